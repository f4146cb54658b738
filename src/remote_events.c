/* SPDX-License-Identifier: MIT */
/*
 * remote_events.c — the event stream (/events over sse.c) with its
 * reconnect policy, and reading one event; see remote.h.
 */
#include "remote_int.h"

#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "clock.h"
#include "http.h"
#include "jscan.h"
#include "span.h"
#include "sse.h"
#include "xmalloc.h"

struct remote_events {
	struct remote *ins;
	struct sse *sse;
	struct http_req *req;
	enum remote_conn state;
	uint64_t retry_ms;
	unsigned failures;
	int64_t next_attempt;    /* monotonic ms */
	remote_event_fn on_event;
	remote_conn_fn on_conn;
	remote_notice_fn on_notice;
	void *arg;
	int64_t live_since;      /* monotonic ms */
	uint64_t dropped;        /* sse_dropped already reported */
	char *why;
};

static void
remote_events_set(struct remote_events *ev, enum remote_conn st, const char *why)
{
	ev->state = st;
	ev->on_conn(ev->arg, st, why);
}

static int
remote_events_sse(void *arg, const struct sse_event *e)
{
	struct remote_events *ev = arg;

	ev->on_event(ev->arg, e->data, e->data_len, e->id);
	return 0;
}

static void
remote_events_retry(void *arg, uint64_t ms)
{
	struct remote_events *ev = arg;

	ev->retry_ms = ms < 100 ? 100 : ms > RETRY_MAX_MS ? RETRY_MAX_MS : ms;
}

static int
remote_events_body(void *arg, struct http_req *r, const char *buf, size_t len)
{
	struct remote_events *ev = arg;
	const char *ct;

	if (http_status(r) != 200)
		return 1;
	if (ev->state != REMOTE_LIVE) {
		ct = http_header(r, "Content-Type");
		if (ct == NULL || strncasecmp(ct, "text/event-stream", 17) != 0)
			return 1;
		ev->live_since = clock_ms();
		remote_events_set(ev, REMOTE_LIVE, NULL);
	}
	sse_feed(ev->sse, buf, len);
	/* The parser dropped an oversized line: say so once per line; the
	 * events after it still come. */
	if (sse_dropped(ev->sse) != ev->dropped) {
		ev->dropped = sse_dropped(ev->sse);
		if (ev->on_notice != NULL) {
			char *msg = xasprintf("the event stream of %s sent a line or event "
			    "over %u MiB; it was dropped", ev->ins->base, SSE_MAX_LINE >> 20);

			msg = remote_safe(msg);
			ev->on_notice(ev->arg, msg);
			free(msg);
		}
	}
	return 0;
}

/* Wait before the next attempt: the server's retry, doubled for each
 * failure in a row, at most a minute. */
static void
remote_events_schedule(struct remote_events *ev, const char *why)
{
	uint64_t delay = ev->retry_ms;
	unsigned k;

	/* Only a connection that stayed up a while resets the backoff: a
	 * server that hangs up at once must not be reconnected to ten times a
	 * second. */
	if (ev->state == REMOTE_LIVE && clock_ms() - ev->live_since >= STABLE_MS)
		ev->failures = 0;
	ev->failures++;
	for (k = 1; k < ev->failures && delay < RETRY_MAX_MS; k++)
		delay *= 2;
	if (delay > RETRY_MAX_MS)
		delay = RETRY_MAX_MS;
	ev->next_attempt = clock_ms() + (int64_t)delay;
	remote_events_set(ev, ev->failures >= OFFLINE_AFTER ? REMOTE_OFFLINE : REMOTE_WAITING, why);
}

static char *
remote_events_why(struct remote_events *ev, struct http_req *r, const char *error)
{
	const char *ct = http_header(r, "Content-Type");
	long st = http_status(r);
	char *url = xasprintf("%s/events", ev->ins->base), *why;

	if (ev->state == REMOTE_LIVE)
		why = error != NULL ? xasprintf("the event stream of %s was cut: %s",
		    ev->ins->base, error) : xasprintf("the event stream of %s ended",
		    ev->ins->base);
	else if (st == 200)
		why = xasprintf("%s is not an event stream (%s)", url, ct ? ct : "no type");
	else
		why = remote_failure(url, r, st != 0 ? NULL : error);
	free(url);
	return remote_safe(why);
}

static void
remote_events_done(void *arg, struct http_req *r, const char *error)
{
	struct remote_events *ev = arg;
	char *why = remote_events_why(ev, r, error);

	ev->req = NULL;
	remote_events_schedule(ev, why);
	free(why);
}

static void
remote_events_connect(struct remote_events *ev)
{
	char *url = xasprintf("%s/events", ev->ins->base);
	struct http_get g;

	sse_reset(ev->sse);
	memset(&g, 0, sizeof g);
	g.url = url;
	g.stream = true;
	g.last_event_id = *sse_last_id(ev->sse) != '\0' ? sse_last_id(ev->sse) : NULL;
	g.body = remote_events_body;
	g.done = remote_events_done;
	g.arg = ev;
	ev->req = http_start(ev->ins->http, &g);
	remote_events_set(ev, REMOTE_CONNECTING, NULL);
	free(url);
}

struct remote_events *
remote_events_open(struct remote *ins, remote_event_fn on_event, remote_conn_fn on_conn,
    remote_notice_fn on_notice, void *arg)
{
	struct remote_events *ev = xcalloc(1, sizeof *ev);

	ev->ins = ins;
	ev->on_event = on_event;
	ev->on_conn = on_conn;
	ev->on_notice = on_notice;
	ev->arg = arg;
	ev->retry_ms = RETRY_DEFAULT_MS;
	ev->sse = sse_new(SSE_MAX_LINE, remote_events_sse, remote_events_retry, ev);
	remote_events_connect(ev);
	return ev;
}

void
remote_events_free(struct remote_events *ev)
{
	if (ev == NULL)
		return;
	if (ev->req != NULL)
		http_cancel(ev->ins->http, ev->req);
	sse_free(ev->sse);
	free(ev->why);
	free(ev);
}

enum remote_conn
remote_events_state(const struct remote_events *ev)
{
	return ev->state;
}

int
remote_events_retry_in(const struct remote_events *ev)
{
	int64_t left = ev->next_attempt - clock_ms();

	return left <= 0 ? 0 : (int)((left + 999) / 1000);
}

long
remote_events_tick(struct remote_events *ev)
{
	int64_t now = clock_ms(), idle;
	char *why;

	if (ev->state == REMOTE_WAITING || ev->state == REMOTE_OFFLINE) {
		if (now >= ev->next_attempt) {
			remote_events_connect(ev);
			return 1000;
		}
		/* Wake each second so the countdown on screen moves. */
		return (ev->next_attempt - now) % 1000 + 1;
	}
	/* Accepted but never answered (or headers and then silence): the
	 * keep-alive watchdog does not run yet, this one does. */
	if (ev->state == REMOTE_CONNECTING && ev->req != NULL) {
		idle = now - http_last_data_ms(ev->req);
		if (idle >= HEADERS_MS) {
			http_cancel(ev->ins->http, ev->req);
			ev->req = NULL;
			why = remote_safe(xasprintf("%s/events did not start an event stream "
			    "within %d s", ev->ins->base, HEADERS_MS / 1000));
			remote_events_schedule(ev, why);
			free(why);
			return 1000;
		}
		return (long)(HEADERS_MS - idle);
	}
	if (ev->state == REMOTE_LIVE && ev->req != NULL) {
		idle = now - http_last_data_ms(ev->req);
		if (idle >= KEEPALIVE_MS) {
			http_cancel(ev->ins->http, ev->req);
			ev->req = NULL;
			remote_events_schedule(ev, "no keep-alive from the inspector for 45 s; "
			    "the connection is dead");
			return 1000;
		}
		return (long)(KEEPALIVE_MS - idle);
	}
	return 1000;
}

/*
 * Events
 */

/* Where each field of struct remote_event comes from. */
static char **
remote_event_slot(struct remote_event *ev, const char *key, size_t n)
{
	static const struct {
		const char *key;
		size_t off;
	} fields[] = {
		{ "type", offsetof(struct remote_event, type) },
		{ "session_id", offsetof(struct remote_event, session_id) },
		{ "engine", offsetof(struct remote_event, engine) },
		{ "title", offsetof(struct remote_event, title) },
		{ "status", offsetof(struct remote_event, status) },
		{ "error", offsetof(struct remote_event, error) },
		{ "signal_name", offsetof(struct remote_event, signal_name) },
		{ "prompt", offsetof(struct remote_event, prompt) },
	};
	size_t i;

	for (i = 0; i < sizeof fields / sizeof fields[0]; i++) {
		if (strlen(fields[i].key) == n && memcmp(fields[i].key, key, n) == 0)
			return (char **)((char *)ev + fields[i].off);
	}
	return NULL;
}

static bool
remote_key_is(const char *key, size_t n, const char *want)
{
	return strlen(want) == n && memcmp(want, key, n) == 0;
}

int
remote_event_parse(struct remote_event *ev, const char *json, size_t len)
{
	struct jarena *a = jarena_new();
	struct jscan js;
	struct jnum num;
	const char *key, *v;
	size_t klen, vlen;
	char **slot, *t;
	int rc = -1;

	memset(ev, 0, sizeof *ev);
	ev->start_time = ev->end_time = SPAN_TIME_NONE;
	ev->span_count = ev->tokens_delta = -1;
	jscan_init(&js, json, len, a);
	if (jscan_object(&js) != 0)
		goto out;
	while (jscan_key(&js, &key, &klen) == 1) {
		if ((slot = remote_event_slot(ev, key, klen)) != NULL &&
		    jscan_peek(&js) == JSCAN_STRING && jscan_string(&js, &v, &vlen) == 0) {
			free(*slot);
			*slot = xstrndup(v, vlen);
		} else if ((remote_key_is(key, klen, "start_time") ||
		    remote_key_is(key, klen, "end_time")) && jscan_peek(&js) == JSCAN_STRING &&
		    jscan_string(&js, &v, &vlen) == 0) {
			t = xstrndup(v, vlen);
			*(remote_key_is(key, klen, "start_time") ? &ev->start_time : &ev->end_time) =
			    remote_time(t);
			free(t);
		} else if ((remote_key_is(key, klen, "current_span_count") ||
		    remote_key_is(key, klen, "tokens_delta")) && jscan_peek(&js) == JSCAN_NUMBER &&
		    jscan_number(&js, &num) == 0 && num.class == JNUM_INT)
			*(remote_key_is(key, klen, "tokens_delta") ? &ev->tokens_delta :
			    &ev->span_count) = num.i;
		else if (jscan_skip(&js) == -1)
			goto out;
	}
	rc = 0;
out:
	jarena_free(a);
	return rc;
}

void
remote_event_clear(struct remote_event *ev)
{
	free(ev->type);
	free(ev->session_id);
	free(ev->engine);
	free(ev->title);
	free(ev->status);
	free(ev->error);
	free(ev->signal_name);
	free(ev->prompt);
	memset(ev, 0, sizeof *ev);
}
