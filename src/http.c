/* SPDX-License-Identifier: MIT */
/*
 * http.c — libcurl multi, driven by the caller's poll(); see http.h.
 *
 * libcurl tells us which sockets it wants watched (socket callback) and
 * when it wants to run next (timer callback); we keep both here so the
 * owner's single poll() can include them.  Completed transfers are
 * reported from http_perform, outside libcurl's callbacks, so a done
 * callback may start new requests.
 *
 * Body handling is budgeted per turn of the owner's loop (WORK_MS).  Body
 * bytes that arrive past the budget are held here, never handed back to
 * libcurl with CURL_WRITEFUNC_PAUSE: libcurl 7.88 (Debian 12) ends a
 * transfer whose last piece was paused and drops that piece, which lost
 * the end of traces on a busy machine.  Held bytes go to the body handler
 * in the next turns, before the transfer's done callback.  A transfer
 * holding HOLD_MAX stops receiving (curl_easy_pause from outside its
 * callbacks, with nothing of it left inside libcurl to drop) until half
 * of that has been handled.
 */
#include "config.h"

#include "http.h"

#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "buf.h"
#include "clock.h"
#include "curlapi.h"
#include "xmalloc.h"

#define CONNECT_TIMEOUT_MS 5000
/* A non-stream transfer that moves less than a byte a second for this
 * long has stalled; streams are watched by their owner's keep-alive. */
#define STALL_SECONDS 30
/* Body handling one http_perform may do before the rest waits for the next
 * turn of the owner's loop: a gzip bomb of a trace decodes a megabyte a
 * millisecond, and the loop must go back to the keyboard. */
#define WORK_MS 8
/* Held body bytes at which a transfer stops receiving, and the piece the
 * body handler is given at a time from them (a gzip bomb's 16 KiB decode
 * to 16 MiB: about the budget). */
#define HOLD_MAX (1u << 20)
#define HOLD_PIECE (16u << 10)

struct http_sock {
	curl_socket_t fd;
	int what;                  /* CURL_POLL_* */
};

struct http_hdr {
	char *name;
	char *value;
};

struct http_req {
	struct http *http;
	CURL *easy;
	struct curl_slist *headers;
	http_body_fn body;
	http_done_fn done;
	void *arg;
	long status;
	struct http_hdr *hdrs;
	size_t nhdrs;
	uint64_t received;
	int64_t last_data_ms;
	char *errbody;             /* the start of an error answer's body */
	size_t errlen;
	bool errbody_full;         /* we ended the transfer there */
	struct buf held;           /* body bytes taken but not yet handled */
	size_t held_off;           /* how many of them have been */
	bool recv_paused;          /* held is full: not receiving */
	bool finished;             /* libcurl is done; easy is NULL */
	bool failed;               /* finished with the error in errbuf */
	char errbuf[CURL_ERROR_SIZE];
	struct http_req *next;
};

struct http {
	CURLM *multi;
	char *token;
	struct http_sock *socks;
	int nsocks, capsocks;
	int64_t timer_at;          /* monotonic ms; -1 none */
	struct http_req *reqs;
	/* libcurl refuses new transfers from inside its callbacks (a body
	 * handler may start one): they wait here until it has returned. */
	bool in_curl;
	CURL **pending;
	size_t npending;
	int64_t work_until;        /* monotonic ms; -1 while no perform runs */
	int work_ms;               /* WORK_MS; tests set 0 */
};

static int
http_on_socket(CURL *easy, curl_socket_t fd, int what, void *userp, void *socketp)
{
	struct http *h = userp;
	int i;

	for (i = 0; i < h->nsocks; i++) {
		if (h->socks[i].fd == fd)
			break;
	}
	if (what == CURL_POLL_REMOVE) {
		if (i < h->nsocks)
			h->socks[i] = h->socks[--h->nsocks];
		return 0;
	}
	if (i == h->nsocks) {
		if (h->nsocks == h->capsocks) {
			h->capsocks = h->capsocks ? h->capsocks * 2 : 8;
			h->socks = xreallocarray(h->socks, (size_t)h->capsocks, sizeof *h->socks);
		}
		h->socks[h->nsocks++].fd = fd;
	}
	h->socks[i].what = what;
	return 0;
}

static int
http_on_timer(CURLM *multi, long timeout_ms, void *userp)
{
	struct http *h = userp;

	h->timer_at = timeout_ms < 0 ? -1 : clock_ms() + timeout_ms;
	return 0;
}

struct http *
http_new(const char *token, char **cause)
{
	struct http *h;

	if (curlapi_load(cause) == -1)
		return NULL;
	h = xcalloc(1, sizeof *h);
	curl_global_init(CURL_GLOBAL_DEFAULT);
	h->multi = curl_multi_init();
	h->timer_at = -1;
	h->work_until = -1;
	h->work_ms = WORK_MS;
	if (token != NULL && *token != '\0')
		h->token = xasprintf("X-Inspector-Token: %s", token);
	curl_multi_setopt(h->multi, CURLMOPT_SOCKETFUNCTION, http_on_socket);
	curl_multi_setopt(h->multi, CURLMOPT_SOCKETDATA, h);
	curl_multi_setopt(h->multi, CURLMOPT_TIMERFUNCTION, http_on_timer);
	curl_multi_setopt(h->multi, CURLMOPT_TIMERDATA, h);
	return h;
}

static void
http_req_free(struct http_req *r)
{
	size_t i;

	for (i = 0; i < r->nhdrs; i++) {
		free(r->hdrs[i].name);
		free(r->hdrs[i].value);
	}
	free(r->hdrs);
	free(r->errbody);
	buf_free(&r->held);
	curl_slist_free_all(r->headers);
	free(r);
}

/* Hand r's transfer back to libcurl for good; r itself stays listed. */
static void
http_release_easy(struct http *h, struct http_req *r)
{
	size_t i;

	if (r->easy == NULL)
		return;
	for (i = 0; i < h->npending; i++) {
		if (h->pending[i] == r->easy) {
			h->pending[i] = h->pending[--h->npending];
			break;
		}
	}
	curl_multi_remove_handle(h->multi, r->easy);
	curl_easy_cleanup(r->easy);
	r->easy = NULL;
}

static void
http_unlink(struct http *h, struct http_req *r)
{
	struct http_req **pp;

	http_release_easy(h, r);
	for (pp = &h->reqs; *pp != NULL; pp = &(*pp)->next) {
		if (*pp == r) {
			*pp = r->next;
			break;
		}
	}
}

void
http_free(struct http *h)
{
	struct http_req *r;

	if (h == NULL)
		return;
	while ((r = h->reqs) != NULL) {
		http_unlink(h, r);
		http_req_free(r);
	}
	curl_multi_cleanup(h->multi);
	free(h->pending);
	free(h->socks);
	free(h->token);
	free(h);
	curl_global_cleanup();
}

/* Headers of the final response only: a new status line starts over. */
static size_t
http_on_header(char *line, size_t size, size_t n, void *arg)
{
	struct http_req *r = arg;
	size_t len = size * n, k;
	char *colon, *v, *end;

	if (len >= 5 && strncmp(line, "HTTP/", 5) == 0) {
		for (k = 0; k < r->nhdrs; k++) {
			free(r->hdrs[k].name);
			free(r->hdrs[k].value);
		}
		r->nhdrs = 0;
		return len;
	}
	colon = memchr(line, ':', len);
	if (colon == NULL)
		return len;
	end = line + len;
	while (end > colon + 1 && (end[-1] == '\r' || end[-1] == '\n' || end[-1] == ' '))
		end--;
	for (v = colon + 1; v < end && (*v == ' ' || *v == '\t'); v++)
		;
	r->hdrs = xreallocarray(r->hdrs, r->nhdrs + 1, sizeof *r->hdrs);
	r->hdrs[r->nhdrs].name = xstrndup(line, (size_t)(colon - line));
	r->hdrs[r->nhdrs].value = xstrndup(v, (size_t)(end - v));
	r->nhdrs++;
	return len;
}

static bool
http_over_budget(const struct http *h)
{
	return h->work_until >= 0 && clock_ms() >= h->work_until;
}

static size_t
http_held(const struct http_req *r)
{
	return r->held.len - r->held_off;
}

static size_t
http_on_body(char *buf, size_t size, size_t n, void *arg)
{
	struct http_req *r = arg;
	size_t len = size * n;

	if (r->status == 0)
		curl_easy_getinfo(r->easy, CURLINFO_RESPONSE_CODE, &r->status);
	r->received += len;
	r->last_data_ms = clock_ms();
	if (r->status >= 300) {
		/* An error page is only ever shown as one line: keep its start and
		 * hang up, however long the server means it to be. */
		if (r->errbody == NULL)
			r->errbody = xmalloc(HTTP_ERROR_BODY_MAX);
		if (len > HTTP_ERROR_BODY_MAX - r->errlen) {
			len = HTTP_ERROR_BODY_MAX - r->errlen;
			r->errbody_full = true;
		}
		memcpy(r->errbody + r->errlen, buf, len);
		r->errlen += len;
		return r->errbody_full ? 0 : size * n;
	}
	if (r->body == NULL)
		return len;
	/* Out of time this turn, or earlier bytes wait: keep these after them. */
	if (http_held(r) > 0 || http_over_budget(r->http)) {
		buf_add(&r->held, buf, len);
		return len;
	}
	if (r->body(r->arg, r, buf, len) != 0)
		return 0; /* aborts the transfer */
	return len;
}

static void
http_add_header(struct http_req *r, const char *fmt, const char *value)
{
	char *line = xasprintf(fmt, value);

	r->headers = curl_slist_append(r->headers, line);
	free(line);
}

struct http_req *
http_start(struct http *h, const struct http_get *g)
{
	struct http_req *r = xcalloc(1, sizeof *r);

	r->http = h;
	r->easy = curl_easy_init();
	r->body = g->body;
	r->done = g->done;
	r->arg = g->arg;
	r->last_data_ms = clock_ms();
	if (h->token != NULL)
		r->headers = curl_slist_append(r->headers, h->token);
	if (g->range_from != NULL)
		http_add_header(r, "Range: bytes=%s-", g->range_from);
	if (g->if_none_match != NULL)
		http_add_header(r, "If-None-Match: %s", g->if_none_match);
	if (g->last_event_id != NULL)
		http_add_header(r, "Last-Event-ID: %s", g->last_event_id);
	if (g->stream)
		r->headers = curl_slist_append(r->headers, "Accept: text/event-stream");
	curl_easy_setopt(r->easy, CURLOPT_URL, g->url);
	curl_easy_setopt(r->easy, CURLOPT_HTTPHEADER, r->headers);
	curl_easy_setopt(r->easy, CURLOPT_PRIVATE, r);
	curl_easy_setopt(r->easy, CURLOPT_WRITEFUNCTION, http_on_body);
	curl_easy_setopt(r->easy, CURLOPT_WRITEDATA, r);
	curl_easy_setopt(r->easy, CURLOPT_HEADERFUNCTION, http_on_header);
	curl_easy_setopt(r->easy, CURLOPT_HEADERDATA, r);
	curl_easy_setopt(r->easy, CURLOPT_ERRORBUFFER, r->errbuf);
	curl_easy_setopt(r->easy, CURLOPT_NOSIGNAL, 1L);
	curl_easy_setopt(r->easy, CURLOPT_CONNECTTIMEOUT_MS, (long)CONNECT_TIMEOUT_MS);
	curl_easy_setopt(r->easy, CURLOPT_TCP_KEEPALIVE, 1L);
	curl_easy_setopt(r->easy, CURLOPT_USERAGENT, "mcp-inspect-tui/" PACKAGE_VERSION);
	/* The inspector never redirects; following one could leave its paths.
	 * A 3xx is an error answer like any other (see remote_failure). */
	curl_easy_setopt(r->easy, CURLOPT_FOLLOWLOCATION, 0L);
	/* Send the path as built: libcurl would otherwise squash "/../" and
	 * "/./", which must never move a request out of the inspector's
	 * paths (the caller escapes ids so that none remain). */
	curl_easy_setopt(r->easy, CURLOPT_PATH_AS_IS, 1L);
	curl_easy_setopt(r->easy, CURLOPT_PROTOCOLS_STR, "http,https");
	/* One transfer per connection: pausing one (a full hold) then stops
	 * exactly its socket, with nothing of it buffered in libcurl. */
	curl_easy_setopt(r->easy, CURLOPT_HTTP_VERSION, (long)CURL_HTTP_VERSION_1_1);
	if (!g->stream) {
		curl_easy_setopt(r->easy, CURLOPT_LOW_SPEED_LIMIT, 1L);
		curl_easy_setopt(r->easy, CURLOPT_LOW_SPEED_TIME, (long)STALL_SECONDS);
	}
	if (g->timeout_ms > 0)
		curl_easy_setopt(r->easy, CURLOPT_TIMEOUT_MS, g->timeout_ms);
	r->next = h->reqs;
	h->reqs = r;
	if (h->in_curl) {
		h->pending = xreallocarray(h->pending, h->npending + 1, sizeof *h->pending);
		h->pending[h->npending++] = r->easy;
	} else
		curl_multi_add_handle(h->multi, r->easy);
	return r;
}

static void
http_add_pending(struct http *h)
{
	size_t i;

	for (i = 0; i < h->npending; i++)
		curl_multi_add_handle(h->multi, h->pending[i]);
	h->npending = 0;
}

static void
http_socket_action(struct http *h, curl_socket_t fd, int flags)
{
	int running;

	h->in_curl = true;
	curl_multi_socket_action(h->multi, fd, flags, &running);
	h->in_curl = false;
	http_add_pending(h);
}

/*
 * Give r's held bytes to its body handler, a piece at a time while the
 * turn's budget lasts, and at least one piece a turn.  -1 when the
 * handler refused them (the transfer is then to end as failed).
 */
static int
http_handle_held(struct http *h, struct http_req *r)
{
	size_t piece;

	do {
		piece = http_held(r) < HOLD_PIECE ? http_held(r) : HOLD_PIECE;
		if (r->body(r->arg, r, r->held.p + r->held_off, piece) != 0) {
			buf_reset(&r->held);
			r->held_off = 0;
			return -1;
		}
		r->held_off += piece;
	} while (http_held(r) > 0 && !http_over_budget(h));
	/* Handled bytes go once they are half the buffer, so that a hold that
	 * never empties (a busy stream) does not grow without end. */
	if (r->held_off >= r->held.len / 2) {
		buf_drop_front(&r->held, r->held_off);
		r->held_off = 0;
	}
	return 0;
}

/* The handler refused held bytes: end the transfer as libcurl would have
 * had it refused them at once. */
static void
http_fail_written(struct http *h, struct http_req *r)
{
	http_release_easy(h, r);
	r->finished = r->failed = true;
	snprintf(r->errbuf, sizeof r->errbuf, "%s", curl_easy_strerror(CURLE_WRITE_ERROR));
}

void
http_set_budget_ms(struct http *h, int ms)
{
	h->work_ms = ms;
}

size_t
http_held_max(const struct http *h)
{
	const struct http_req *r;
	size_t max = 0;

	for (r = h->reqs; r != NULL; r = r->next)
		max = http_held(r) > max ? http_held(r) : max;
	return max;
}

void
http_cancel(struct http *h, struct http_req *r)
{
	if (r == NULL)
		return;
	http_unlink(h, r);
	http_req_free(r);
}

long
http_status(const struct http_req *r)
{
	return r->status;
}

const char *
http_header(const struct http_req *r, const char *name)
{
	size_t i;

	for (i = r->nhdrs; i > 0; i--) {
		if (strcasecmp(r->hdrs[i - 1].name, name) == 0)
			return r->hdrs[i - 1].value;
	}
	return NULL;
}

const char *
http_error_body(const struct http_req *r, size_t *len)
{
	*len = r->errlen;
	return r->errbody != NULL ? r->errbody : "";
}

uint64_t
http_received(const struct http_req *r)
{
	return r->received;
}

int64_t
http_last_data_ms(const struct http_req *r)
{
	return r->last_data_ms;
}

bool
http_busy(const struct http *h)
{
	return h->reqs != NULL;
}

int
http_pollfds(struct http *h, struct pollfd *fds, int max)
{
	int i, n = 0;

	for (i = 0; i < h->nsocks && n < max; i++) {
		fds[n].fd = h->socks[i].fd;
		fds[n].events = 0;
		if (h->socks[i].what & CURL_POLL_IN)
			fds[n].events |= POLLIN;
		if (h->socks[i].what & CURL_POLL_OUT)
			fds[n].events |= POLLOUT;
		fds[n].revents = 0;
		n++;
	}
	return n;
}

/* Held bytes or a finished transfer wait for the next perform. */
static bool
http_work_waiting(const struct http *h)
{
	const struct http_req *r;

	for (r = h->reqs; r != NULL; r = r->next) {
		if (http_held(r) > 0 || r->finished)
			return true;
	}
	return false;
}

long
http_timeout_ms(struct http *h)
{
	int64_t left;

	if (http_work_waiting(h))
		return 0;
	if (h->timer_at < 0)
		return -1;
	left = h->timer_at - clock_ms();
	return left < 0 ? 0 : (long)left;
}

/* Note the transfers libcurl has finished; they are reported once their
 * held bytes are handled (http_report). */
static void
http_reap(struct http *h)
{
	struct http_req *r;
	CURLMsg *msg;
	int left;

	while ((msg = curl_multi_info_read(h->multi, &left)) != NULL) {
		if (msg->msg != CURLMSG_DONE)
			continue;
		curl_easy_getinfo(msg->easy_handle, CURLINFO_PRIVATE, (char **)&r);
		curl_easy_getinfo(r->easy, CURLINFO_RESPONSE_CODE, &r->status);
		/* Hanging up on a long error page is not a failure. */
		r->failed = msg->data.result != CURLE_OK &&
		    !(r->errbody_full && msg->data.result == CURLE_WRITE_ERROR);
		if (r->failed && r->errbuf[0] == '\0')
			snprintf(r->errbuf, sizeof r->errbuf, "%s",
			    curl_easy_strerror(msg->data.result));
		http_release_easy(h, r);
		r->finished = true;
	}
}

/* The next finished transfer with nothing left held, or NULL. */
static struct http_req *
http_next_done(struct http *h)
{
	struct http_req *r;

	for (r = h->reqs; r != NULL; r = r->next) {
		if (r->finished && http_held(r) == 0)
			return r;
	}
	return NULL;
}

/* Call the done callbacks.  One at a time, looking afresh each time: a
 * callback may start or cancel other requests. */
static void
http_report(struct http *h)
{
	struct http_req *r;

	while ((r = http_next_done(h)) != NULL) {
		http_unlink(h, r);
		if (r->done != NULL)
			r->done(r->arg, r, r->failed ? r->errbuf : NULL);
		http_req_free(r);
	}
}

/* Hand held bytes to their handlers while the turn's budget lasts (each
 * transfer gets at least a piece), and let a paused transfer receive again
 * once half its hold is free.  A handler may start requests (they join at
 * the head of the list) but not cancel one: done callbacks and the
 * owner's timers do that, and they run later. */
static void
http_handle_all_held(struct http *h)
{
	struct http_req *r;

	for (r = h->reqs; r != NULL; r = r->next) {
		if (http_held(r) > 0 && http_handle_held(h, r) == -1)
			http_fail_written(h, r);
		if (r->recv_paused && r->easy != NULL && http_held(r) < HOLD_MAX / 2) {
			r->recv_paused = false;
			h->in_curl = true;
			curl_easy_pause(r->easy, CURLPAUSE_CONT);
			h->in_curl = false;
		}
	}
	http_add_pending(h);
}

/* Stop receiving for transfers whose hold is full.  Everything they
 * received has been taken out of libcurl, so a pause drops nothing. */
static void
http_pause_full(struct http *h)
{
	struct http_req *r;

	for (r = h->reqs; r != NULL; r = r->next) {
		if (!r->recv_paused && r->easy != NULL && http_held(r) >= HOLD_MAX) {
			r->recv_paused = true;
			curl_easy_pause(r->easy, CURLPAUSE_RECV);
		}
	}
}

void
http_perform(struct http *h, const struct pollfd *fds, int n)
{
	int i, k, flags;

	h->work_until = clock_ms() + h->work_ms;
	http_handle_all_held(h);
	for (i = 0; i < n; i++) {
		if (fds[i].revents == 0)
			continue;
		for (k = 0; k < h->nsocks; k++) {
			if (h->socks[k].fd == fds[i].fd)
				break;
		}
		if (k == h->nsocks)
			continue;
		flags = 0;
		if (fds[i].revents & POLLIN)
			flags |= CURL_CSELECT_IN;
		if (fds[i].revents & POLLOUT)
			flags |= CURL_CSELECT_OUT;
		if (fds[i].revents & (POLLERR | POLLHUP | POLLNVAL))
			flags |= CURL_CSELECT_ERR;
		http_socket_action(h, fds[i].fd, flags);
	}
	if (h->timer_at >= 0 && clock_ms() >= h->timer_at) {
		h->timer_at = -1;
		http_socket_action(h, CURL_SOCKET_TIMEOUT, 0);
	}
	h->work_until = -1;
	http_reap(h);
	http_pause_full(h);
	http_report(h);
}

void
http_run(struct http *h, bool (*until)(void *), void *arg)
{
	struct pollfd fds[64];
	long t;
	int n;

	while (http_busy(h) && (until == NULL || !until(arg))) {
		n = http_pollfds(h, fds, 64);
		t = http_timeout_ms(h);
		if (t < 0 || t > 1000)
			t = 1000;
		poll(fds, (nfds_t)n, (int)t);
		http_perform(h, fds, n);
	}
}

const char *
http_status_text(long status)
{
	switch (status) {
	case 401: return "401 Unauthorized: the inspector needs a token "
	    "(--token or MCP_INSPECTOR_TOKEN)";
	case 403: return "403 Forbidden: the inspector refused the token";
	case 404: return "404 Not Found";
	case 400: return "400 Bad Request";
	case 304: return "304 Not Modified";
	}
	if (status >= 500)
		return "server error";
	if (status >= 300 && status < 400)
		return "unexpected redirect";
	return "unexpected answer";
}
