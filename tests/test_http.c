/* SPDX-License-Identifier: MIT */
/*
 * test_http.c — the body flow of http.c against a real socket: bytes that
 * arrive past a turn's budget are held, handed on in order and before the
 * done callback, also when they are the last of the answer (libcurl 7.88
 * dropped a paused last piece); a handler's refusal fails the transfer;
 * a transfer holding its maximum is not read further.
 *
 * The server is a thread of this process on 127.0.0.1 that answers one
 * request per test from a script of writes.
 */
#include <check.h>
#include <poll.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "check_main.h"
#include "buf.h"
#include "http.h"
#include "loopback.h"

/* One answer: its head, then a body of body_len pattern bytes sent in
 * npieces writes with pause_ms between them. */
struct script {
	int lfd;
	size_t body_len;
	int npieces;
	int pause_ms;
};

static unsigned char
pattern(size_t i)
{
	return (unsigned char)(i % 251);
}

static void
sleep_ms(int ms)
{
	struct timespec ts = { ms / 1000, (long)(ms % 1000) * 1000000L };

	nanosleep(&ts, NULL);
}

static void
send_all(int fd, const void *p, size_t n)
{
	const char *c = p;
	ssize_t w;

	while (n > 0 && (w = send(fd, c, n, MSG_NOSIGNAL)) > 0) {
		c += w;
		n -= (size_t)w;
	}
}

static void *
serve(void *arg)
{
	struct script *sc = arg;
	char head[256], req[4096];
	unsigned char *body = malloc(sc->body_len);
	size_t got = 0, i, at, piece;
	ssize_t r;
	int fd = accept(sc->lfd, NULL, NULL);

	for (i = 0; i < sc->body_len; i++)
		body[i] = pattern(i);
	/* The request ends at its blank line. */
	while (got < sizeof req - 1 && (r = recv(fd, req + got, sizeof req - 1 - got, 0)) > 0) {
		got += (size_t)r;
		req[got] = '\0';
		if (strstr(req, "\r\n\r\n") != NULL)
			break;
	}
	snprintf(head, sizeof head, "HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\n"
	    "Content-Length: %zu\r\nConnection: close\r\n\r\n", sc->body_len);
	send_all(fd, head, strlen(head));
	piece = sc->body_len / (size_t)sc->npieces;
	for (at = 0; at < sc->body_len; at += piece) {
		if (at > 0)
			sleep_ms(sc->pause_ms);
		send_all(fd, body + at, at + piece > sc->body_len ? sc->body_len - at : piece);
	}
	sleep_ms(20);
	close(fd);
	free(body);
	return NULL;
}

/* What the client saw. */
struct seen {
	struct buf body;
	int ndone;
	size_t body_at_done;
	char error[256];
	bool has_error;
	int refuse_after;   /* refuse the body once this many calls came; 0 never */
	int ncalls;
};

static int
on_body(void *arg, struct http_req *r, const char *buf, size_t len)
{
	struct seen *s = arg;

	(void)r;
	s->ncalls++;
	ck_assert_msg(s->ndone == 0, "body after done");
	buf_add(&s->body, buf, len);
	return s->refuse_after > 0 && s->ncalls >= s->refuse_after;
}

static void
on_done(void *arg, struct http_req *r, const char *error)
{
	struct seen *s = arg;

	(void)r;
	s->ndone++;
	s->body_at_done = s->body.len;
	s->has_error = error != NULL;
	snprintf(s->error, sizeof s->error, "%s", error != NULL ? error : "");
}

/* Start the server thread on a fresh port; returns the URL. */
static void
start_server(struct script *sc, pthread_t *th, char *url, size_t urlsz)
{
	sc->lfd = loopback_listen(1, "/x", url, urlsz);
	ck_assert_int_eq(pthread_create(th, NULL, serve, sc), 0);
}

/*
 * Fetch the scripted answer with a budget of 0 (every byte past the first
 * piece of a turn waits) until done; *max_held receives the most one
 * transfer held.  Gives up after 60 s.
 */
static void
fetch(struct script *sc, struct seen *s, size_t *max_held)
{
	char *cause = NULL;
	struct http *h = http_new(NULL, &cause);
	struct http_get g;
	struct pollfd fds[8];
	pthread_t th;
	char url[64];
	long t;
	int n, turns = 0;
	time_t until = time(NULL) + 60;

	start_server(sc, &th, url, sizeof url);
	http_set_budget_ms(h, 0);
	memset(&g, 0, sizeof g);
	g.url = url;
	g.body = on_body;
	g.done = on_done;
	g.arg = s;
	http_start(h, &g);
	*max_held = 0;
	while (s->ndone == 0 && time(NULL) < until) {
		n = http_pollfds(h, fds, 8);
		t = http_timeout_ms(h);
		poll(fds, (nfds_t)n, t < 0 || t > 100 ? 100 : (int)t);
		http_perform(h, fds, n);
		if (http_held_max(h) > *max_held)
			*max_held = http_held_max(h);
		turns++;
	}
	ck_assert_msg(s->ndone == 1, "done %d times after %d turns", s->ndone, turns);
	ck_assert(!http_busy(h));
	http_free(h);
	pthread_join(th, NULL);
	close(sc->lfd);
}

static void
ck_body_is_pattern(const struct seen *s, size_t len)
{
	size_t i;

	ck_assert_uint_eq(s->body.len, len);
	for (i = 0; i < len; i++) {
		if ((unsigned char)s->body.p[i] != pattern(i))
			ck_abort_msg("body byte %zu is %u, not %u", i,
			    (unsigned char)s->body.p[i], pattern(i));
	}
}

/* Fetch the scripted answer and check it all came, in order, before
 * done; returns the most that was held. */
static size_t
fetch_whole(struct script *sc)
{
	struct seen s;
	size_t max_held;

	memset(&s, 0, sizeof s);
	fetch(sc, &s, &max_held);
	ck_assert_msg(!s.has_error, "%s", s.error);
	ck_assert_uint_eq(s.body_at_done, sc->body_len);
	ck_body_is_pattern(&s, sc->body_len);
	buf_free(&s.body);
	return max_held;
}

START_TEST(held_bytes_arrive_in_order_before_done)
{
	struct script sc = { -1, 300 * 1024, 1, 0 };

	/* 300 KiB in 16 KiB pieces, one a turn: the body did wait. */
	ck_assert_uint_gt(fetch_whole(&sc), 0);
}
END_TEST

/* The last piece of the answer comes alone, after a pause, and finishes
 * the transfer in libcurl while it waits here. */
START_TEST(a_held_last_piece_is_not_lost)
{
	struct script sc = { -1, 3 * 1000, 3, 60 };

	fetch_whole(&sc);
}
END_TEST

START_TEST(refused_held_bytes_fail_the_transfer)
{
	struct script sc = { -1, 300 * 1024, 1, 0 };
	struct seen s;
	size_t max_held;

	memset(&s, 0, sizeof s);
	s.refuse_after = 2;
	fetch(&sc, &s, &max_held);
	ck_assert(s.has_error);
	ck_assert_int_eq(s.ncalls, 2);
	ck_assert_uint_lt(s.body.len, sc.body_len);
	buf_free(&s.body);
}
END_TEST

/* 32 MiB sent as fast as loopback goes, handled 16 KiB a turn: the
 * transfer stops receiving past 1 MiB held instead of holding it all, and
 * every byte still arrives once, in order, across the pauses. */
START_TEST(a_full_hold_stops_reading)
{
	struct script sc = { -1, 32u << 20, 1, 0 };
	size_t max_held = fetch_whole(&sc);

	ck_assert_msg(max_held >= (1u << 20), "held at most %zu", max_held);
	/* 1 MiB, plus what one turn reads before the pause (libcurl reads up
	 * to 100 buffers of 16 KiB per action, a socket's and a timer's). */
	ck_assert_msg(max_held < (6u << 20), "held %zu: reading did not stop", max_held);
	fprintf(stderr, "a_full_hold_stops_reading: held at most %zu bytes\n", max_held);
}
END_TEST

static Suite *
http_suite(void)
{
	Suite *s = suite_create("http");
	TCase *tc = tcase_create("core");

	/* valgrind runs these too, 20 to 50 times slower. */
	tcase_set_timeout(tc, 300);
	tcase_add_test(tc, held_bytes_arrive_in_order_before_done);
	tcase_add_test(tc, a_held_last_piece_is_not_lost);
	tcase_add_test(tc, refused_held_bytes_fail_the_transfer);
	tcase_add_test(tc, a_full_hold_stops_reading);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	return check_main(http_suite, "test_http", NULL);
}
