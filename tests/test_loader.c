/* SPDX-License-Identifier: MIT */
/*
 * test_loader.c — a session read on other threads (loader.c, gate.c)
 * while this thread plays the browser: entering and leaving the gate,
 * looking at the trace and reading lines back between the loader's
 * blocks.  What it ends with must be exactly what session_read gives on
 * one thread: every file of data/ and tests/formats, and a made-up file
 * big enough to take the two-thread path; a cancelled load stops early
 * and leaves a session that can be freed.
 */
#include <check.h>
#include <dirent.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>

#include "check_main.h"
#include "loader.h"
#include "session.h"
#include "source.h"
#include "trace.h"
#include "tracefile.h"
#include "xmalloc.h"

static char tmpdir[] = "/tmp/test_loader.XXXXXX";

static struct session *
open_session(const char *path)
{
	char *files[1] = { (char *)path };
	struct session_ref ref = { .id = (char *)"s", .files = files, .nfiles = 1 };

	return session_new(&ref);
}

static struct session *
read_here(const char *path)
{
	struct session *s = open_session(path);

	while (session_read(s, TRACEFILE_ALL) == 1)
		;
	return s;
}

/* One turn of the browser inside the gate: the trace only grows, and the
 * last span's line reads back whole while the loader may be inflating. */
static void
look(struct session *s, uint32_t *seen)
{
	struct trace *tr = session_trace(s);
	uint32_t n = trace_count(tr);
	char *line, *cause = NULL;

	ck_assert_uint_ge(n, *seen);
	*seen = n;
	if (n == 0)
		return;
	line = session_span_line(s, n - 1, &cause);
	ck_assert_msg(line != NULL, "span %u: %s", n - 1, cause);
	ck_assert_uint_eq(strlen(line), trace_span(tr, n - 1)->len);
	free(line);
	free(cause);
}

static struct session *
read_apart(const char *path, int *turns)
{
	struct session *s = open_session(path);
	struct loader *l = loader_start(s);
	uint32_t seen = 0;

	ck_assert_ptr_nonnull(l);
	*turns = 0;
	while (!loader_done(l)) {
		look(s, &seen);
		loader_leave(l);
		sched_yield();
		loader_enter(l);
		(*turns)++;
	}
	loader_end(l, false);
	look(s, &seen);
	/* Read here from now on: nothing is left. */
	ck_assert_int_eq(session_read(s, TRACEFILE_ALL), 0);
	return s;
}

static void
same_apart(const char *path)
{
	struct session *a = read_here(path), *b;
	struct trace *x, *y;
	const struct span *p, *q;
	uint32_t i;
	size_t k;
	int turns;

	b = read_apart(path, &turns);
	x = session_trace(a);
	y = session_trace(b);
	ck_assert_msg(trace_count(x) == trace_count(y), "%s: %u vs %u spans", path,
	    trace_count(x), trace_count(y));
	for (i = 0; i < trace_count(x); i++) {
		p = trace_span(x, i);
		q = trace_span(y, i);
		ck_assert_uint_eq(p->off, q->off);
		ck_assert_uint_eq(p->len, q->len);
		ck_assert_uint_eq(p->sub, q->sub);
		ck_assert_str_eq(trace_str(x, p->id), trace_str(y, q->id));
		ck_assert_str_eq(trace_str(x, p->parent), trace_str(y, q->parent));
		ck_assert_int_eq(p->tok_in, q->tok_in);
		ck_assert_int_eq(p->tok_out, q->tok_out);
	}
	ck_assert_uint_eq(trace_stats(x)->bad_lines, trace_stats(y)->bad_lines);
	ck_assert_uint_eq(session_nwarnings(a), session_nwarnings(b));
	for (k = 0; k < session_nwarnings(a); k++)
		ck_assert_str_eq(session_warning(a, k), session_warning(b, k));
	ck_assert_uint_eq(session_nbad_kept(a), session_nbad_kept(b));
	for (k = 0; k < session_nbad_kept(a); k++)
		ck_assert_str_eq(session_bad_line(a, k), session_bad_line(b, k));
	ck_assert_uint_eq(session_consumed(a), session_consumed(b));
	session_free(a);
	session_free(b);
}

static int
same_in_dir(const char *dir)
{
	DIR *d = opendir(dir);
	struct dirent *de;
	char path[1024];
	int n = 0;

	ck_assert_ptr_nonnull(d);
	while ((de = readdir(d)) != NULL) {
		if (strstr(de->d_name, ".jsonl") == NULL)
			continue;
		snprintf(path, sizeof path, "%s/%s", dir, de->d_name);
		same_apart(path);
		n++;
	}
	closedir(d);
	return n;
}

/* The demo session's lines, repeat times, with ids made unique per copy,
 * in one gzip member per copy. */
static void
write_big(const char *path, int repeat)
{
	char src[1024], line[1 << 16], *id;
	gzFile in, out;
	int k;

	snprintf(src, sizeof src, "%s/orchestrator-completed.jsonl.gz", DATA_DIR);
	ck_assert_ptr_nonnull(out = gzopen(path, "wb1"));
	for (k = 0; k < repeat; k++) {
		ck_assert_ptr_nonnull(in = gzopen(src, "rb"));
		while (gzgets(in, line, sizeof line) != NULL) {
			/* "span_id": "0x..." → a copy's own ids (same length). */
			if ((id = strstr(line, "\"span_id\": \"0x")) != NULL)
				snprintf(id + 14, 5, "%04x", k & 0xffff), id[18] = '0';
			gzputs(out, line);
		}
		gzclose(in);
		gzflush(out, Z_FINISH);
	}
	gzclose(out);
}

START_TEST(test_every_sample_same_apart)
{
	/* Every file through the two-thread path too, however small. */
	tracefile_set_pipe_min(0);
	ck_assert_int_ge(same_in_dir(DATA_DIR) + same_in_dir(FORMATS_DIR), 12);
	tracefile_set_pipe_min(4u << 20);
	ck_assert_int_ge(same_in_dir(DATA_DIR), 8);
}
END_TEST

START_TEST(test_big_file_same_apart)
{
	char path[512];

	snprintf(path, sizeof path, "%s/big.jsonl.gz", tmpdir);
	write_big(path, 400);
	/* Small enough for a test, big enough for many blocks of the
	 * two-thread read, each parsed inside the gate. */
	tracefile_set_pipe_min(1u << 20);
	same_apart(path);
	tracefile_set_pipe_min(4u << 20);
}
END_TEST

START_TEST(test_cancel_stops_early)
{
	char path[512];
	struct session *s;
	struct loader *l;
	uint32_t seen = 0;

	/* 39 000 spans, ~100 ms of parsing: the browser is inside the gate
	 * but for one yield, so the loader cannot have read them all. */
	snprintf(path, sizeof path, "%s/cancel.jsonl.gz", tmpdir);
	write_big(path, 1500);
	tracefile_set_pipe_min(0);
	s = open_session(path);
	ck_assert_ptr_nonnull(l = loader_start(s));
	loader_leave(l);
	sched_yield();
	loader_enter(l);
	look(s, &seen);
	loader_end(l, true);
	/* What was read is there and consistent; the rest is not. */
	look(s, &seen);
	ck_assert_uint_lt(trace_count(session_trace(s)), 1500u * 26u);
	session_free(s);
	tracefile_set_pipe_min(4u << 20);
}
END_TEST

static Suite *
loader_suite(void)
{
	Suite *s = suite_create("loader");
	TCase *tc = tcase_create("core");

	tcase_set_timeout(tc, 120);
	tcase_add_test(tc, test_every_sample_same_apart);
	tcase_add_test(tc, test_big_file_same_apart);
	tcase_add_test(tc, test_cancel_stops_early);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	return check_main_in_tmpdir(loader_suite, tmpdir);
}
