/*
 * inspector.c — the inspector's HTTP API on http.c; see inspector.h.
 */
#include "inspector.h"

#include <curl/curl.h>
#include <stddef.h>
#include <errno.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>
#include <unistd.h>

#include "buf.h"
#include "gz.h"
#include "http.h"
#include "jscan.h"
#include "span.h"
#include "span_parse.h"
#include "sse.h"
#include "xmalloc.h"

#define DEFAULT_PORT "7800"
#define SESSIONS_MAX (64u << 20)    /* a /sessions answer larger is refused */
#define SSE_MAX_LINE (4u << 20)
#define KEEPALIVE_MS 45000          /* the server sends one after 30 s idle */
#define RETRY_DEFAULT_MS 2000
#define RETRY_MAX_MS 60000
#define OFFLINE_AFTER 3             /* failed attempts in a row */

struct insp_trace {
	struct inspector *ins;
	char *id;
	int fd;                 /* spool of decompressed text */
	char *etag;
	uint64_t bytes;         /* text written to the spool */
	uint64_t skip;          /* text to drop from a full answer to a Range */
	bool loaded;
	char *error;
	struct http_req *req;
	struct gz *gz;          /* decodes a gzip body */
	bool body_gzip;
	struct insp_trace *next;
};

struct inspector {
	char *base;             /* .../_inspector */
	struct http *http;
	struct insp_trace *traces; /* every trace opened, for reuse */
};

static int64_t
insp_now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

int64_t
inspector_time(const char *s)
{
	int64_t ns;

	if (s == NULL || span_parse_time(s, strlen(s), &ns) == -1)
		return SPAN_TIME_NONE;
	return ns;
}

/* The API base from what the user typed: port 7800 by default, path
 * ending in /_inspector, no query or fragment. */
static char *
insp_base(const char *url, char **cause)
{
	CURLU *u = curl_url();
	char *scheme = NULL, *host = NULL, *port = NULL, *path = NULL, *base = NULL;
	size_t n;

	if (curl_url_set(u, CURLUPART_URL, url, 0) != CURLUE_OK ||
	    curl_url_get(u, CURLUPART_SCHEME, &scheme, 0) != CURLUE_OK ||
	    curl_url_get(u, CURLUPART_HOST, &host, 0) != CURLUE_OK) {
		*cause = xasprintf("%s is not a usable URL", url);
		goto out;
	}
	if (strcmp(scheme, "http") != 0 && strcmp(scheme, "https") != 0) {
		*cause = xasprintf("%s: only http:// and https:// inspectors are supported", url);
		goto out;
	}
	if (curl_url_get(u, CURLUPART_PORT, &port, 0) != CURLUE_OK)
		port = NULL;
	if (curl_url_get(u, CURLUPART_PATH, &path, 0) != CURLUE_OK)
		path = NULL;
	n = path != NULL ? strlen(path) : 0;
	while (n > 0 && path[n - 1] == '/')
		path[--n] = '\0';
	base = xasprintf("%s://%s:%s%s%s", scheme, host, port != NULL ? port : DEFAULT_PORT,
	    path != NULL ? path : "",
	    n >= 11 && strcmp(path + n - 11, "/_inspector") == 0 ? "" : "/_inspector");
out:
	curl_free(scheme);
	curl_free(host);
	curl_free(port);
	curl_free(path);
	curl_url_cleanup(u);
	return base;
}

struct inspector *
inspector_new(const char *url, const char *token, char **cause)
{
	struct inspector *ins;
	char *base;

	curl_global_init(CURL_GLOBAL_DEFAULT);
	base = insp_base(url, cause);
	curl_global_cleanup();
	if (base == NULL)
		return NULL;
	ins = xcalloc(1, sizeof *ins);
	ins->base = base;
	ins->http = http_new(token);
	return ins;
}

static void
insp_trace_free(struct insp_trace *t)
{
	if (t->req != NULL)
		http_cancel(t->ins->http, t->req);
	if (t->fd != -1)
		close(t->fd);
	gz_free(t->gz);
	free(t->etag);
	free(t->error);
	free(t->id);
	free(t);
}

void
inspector_free(struct inspector *ins)
{
	struct insp_trace *t;

	if (ins == NULL)
		return;
	while ((t = ins->traces) != NULL) {
		ins->traces = t->next;
		insp_trace_free(t);
	}
	http_free(ins->http);
	free(ins->base);
	free(ins);
}

struct http *
inspector_http(const struct inspector *ins)
{
	return ins->http;
}

const char *
inspector_base(const struct inspector *ins)
{
	return ins->base;
}

/* "GET URL: why" for a failed answer; an HTML error page is named by its
 * content type, never printed. */
static char *
insp_failure(const char *url, struct http_req *r, const char *error)
{
	const char *ct;
	long st;

	if (error != NULL)
		return xasprintf("cannot reach %s: %s", url, error);
	st = http_status(r);
	ct = http_header(r, "Content-Type");
	if (st >= 500)
		return xasprintf("%s answered %ld (server error%s%s)", url, st,
		    ct != NULL ? ", " : "", ct != NULL ? ct : "");
	return xasprintf("%s answered %s", url, http_status_text(st));
}

/*
 * GET /sessions
 */

struct insp_get_sessions {
	struct inspector *ins;
	char *url;
	struct buf body;
	insp_sessions_fn fn;
	void *arg;
};

static int
insp_sessions_body(void *arg, struct http_req *r, const char *buf, size_t len)
{
	struct insp_get_sessions *g = arg;

	if (g->body.len + len > SESSIONS_MAX)
		return 1;
	buf_add(&g->body, buf, len);
	return 0;
}

static char *
insp_json_str(json_t *o, const char *key)
{
	json_t *v = json_object_get(o, key);

	return json_is_string(v) ? xstrdup(json_string_value(v)) : NULL;
}

/* Parse {"sessions":[…]}; -1 when it is not that shape. */
static int
insp_parse_sessions(const struct buf *body, struct insp_session **out, size_t *n)
{
	json_t *root, *arr, *o;
	json_error_t err;
	struct insp_session *s;
	size_t i, k = 0;
	char *t;

	root = json_loadb(buf_str(body), body->len, 0, &err);
	arr = json_object_get(root, "sessions");
	if (!json_is_array(arr)) {
		json_decref(root);
		return -1;
	}
	s = xcalloc(json_array_size(arr) + 1, sizeof *s);
	json_array_foreach(arr, i, o) {
		if (!json_is_string(json_object_get(o, "id")))
			continue;
		s[k].id = insp_json_str(o, "id");
		s[k].status = insp_json_str(o, "status");
		s[k].engine = insp_json_str(o, "engine");
		s[k].title = insp_json_str(o, "title");
		t = insp_json_str(o, "started_at");
		s[k].started_at = inspector_time(t);
		free(t);
		t = insp_json_str(o, "ended_at");
		s[k].ended_at = inspector_time(t);
		free(t);
		k++;
	}
	json_decref(root);
	*out = s;
	*n = k;
	return 0;
}

static void
insp_sessions_done(void *arg, struct http_req *r, const char *error)
{
	struct insp_get_sessions *g = arg;
	struct insp_session *s = NULL;
	size_t n = 0, i;
	char *why = NULL;

	if (error != NULL || http_status(r) != 200)
		why = insp_failure(g->url, r, error != NULL ? error :
		    g->body.len > SESSIONS_MAX ? "answer too large" : NULL);
	else if (insp_parse_sessions(&g->body, &s, &n) == -1)
		why = xasprintf("%s did not answer with a session list", g->url);
	g->fn(g->arg, s, n, why);
	for (i = 0; i < n; i++) {
		free(s[i].id);
		free(s[i].status);
		free(s[i].engine);
		free(s[i].title);
	}
	free(s);
	free(why);
	buf_free(&g->body);
	free(g->url);
	free(g);
}

void
inspector_get_sessions(struct inspector *ins, insp_sessions_fn fn, void *arg)
{
	struct insp_get_sessions *g = xcalloc(1, sizeof *g);
	struct http_get req;

	g->ins = ins;
	g->url = xasprintf("%s/sessions", ins->base);
	g->fn = fn;
	g->arg = arg;
	memset(&req, 0, sizeof req);
	req.url = g->url;
	req.body = insp_sessions_body;
	req.done = insp_sessions_done;
	req.arg = g;
	http_start(ins->http, &req);
}

/*
 * Traces
 */

static int
insp_spool(void)
{
	const char *dir = getenv("TMPDIR");
	char *path = xasprintf("%s/mcp-inspect-tui.XXXXXX", dir && *dir ? dir : "/tmp");
	int fd = mkstemp(path);

	if (fd != -1)
		unlink(path);
	free(path);
	return fd;
}

/* Record why the last request failed (NULL: it did not); takes why. */
static void
insp_trace_fail(struct insp_trace *t, char *why)
{
	free(t->error);
	t->error = why;
}

/* Append decoded text, dropping what a full answer repeats. */
static int
insp_trace_write(void *arg, const char *buf, size_t len)
{
	struct insp_trace *t = arg;
	size_t drop = t->skip < len ? (size_t)t->skip : len;

	t->skip -= drop;
	buf += drop;
	len -= drop;
	if (len == 0)
		return 0;
	if (pwrite(t->fd, buf, len, (off_t)t->bytes) != (ssize_t)len) {
		insp_trace_fail(t, xasprintf("cannot write the spool of %s: %s", t->id,
		    strerror(errno)));
		return 1;
	}
	t->bytes += len;
	return 0;
}

static int
insp_trace_body(void *arg, struct http_req *r, const char *buf, size_t len)
{
	struct insp_trace *t = arg;
	const char *ce;
	char *cause = NULL;
	long st = http_status(r);

	if (st != 200 && st != 206)
		return 0; /* an error page: read and dropped */
	if (t->gz == NULL) {
		ce = http_header(r, "Content-Encoding");
		t->body_gzip = st == 200 && ce != NULL && strcasecmp(ce, "gzip") == 0;
		t->gz = gz_new();
		/* Only a full answer repeats what the spool already holds. */
		if (st == 206)
			t->skip = 0;
	}
	/* 206 answers are decompressed text (SPEC §4). */
	if (st == 206 || !t->body_gzip)
		return insp_trace_write(t, buf, len);
	if (gz_feed(t->gz, buf, len, insp_trace_write, t, &cause) == -1) {
		if (cause != NULL)
			insp_trace_fail(t, xasprintf("trace %s: %s", t->id, cause));
		free(cause);
		return 1;
	}
	return 0;
}

static bool
insp_trace_status_ok(long st)
{
	/* 304: unchanged; 416: nothing past the end yet. */
	return st == 200 || st == 206 || st == 304 || st == 416;
}

static void
insp_trace_done(void *arg, struct http_req *r, const char *error)
{
	struct insp_trace *t = arg;
	char *url = xasprintf("%s/trace/%s", t->ins->base, t->id);
	const char *etag = http_header(r, "ETag");
	long st = http_status(r);
	bool wrote_why = error != NULL && t->error != NULL; /* the body handler said */

	t->req = NULL;
	gz_free(t->gz);
	t->gz = NULL;
	t->skip = 0;
	if (error != NULL || !insp_trace_status_ok(st)) {
		if (!wrote_why)
			insp_trace_fail(t, insp_failure(url, r, st >= 300 ? NULL : error));
	} else {
		insp_trace_fail(t, NULL);
		if (etag != NULL && st == 200) {
			free(t->etag);
			t->etag = xstrdup(etag);
		}
		t->loaded = true;
	}
	free(url);
}

static void
insp_trace_request(struct insp_trace *t, bool tail)
{
	char *url, *esc, from[32];
	struct http_get g;
	CURL *c = curl_easy_init();

	esc = curl_easy_escape(c, t->id, 0);
	url = xasprintf("%s/trace/%s", t->ins->base, esc);
	curl_free(esc);
	curl_easy_cleanup(c);
	memset(&g, 0, sizeof g);
	g.url = url;
	g.body = insp_trace_body;
	g.done = insp_trace_done;
	g.arg = t;
	if (tail) {
		snprintf(from, sizeof from, "%llu", (unsigned long long)t->bytes);
		g.range_from = from;
		t->skip = t->bytes; /* in case the server ignores Range */
	} else if (t->loaded && t->etag != NULL)
		g.if_none_match = t->etag;
	t->req = http_start(t->ins->http, &g);
	free(url);
}

struct insp_trace *
inspector_trace(struct inspector *ins, const char *id)
{
	struct insp_trace *t;

	for (t = ins->traces; t != NULL; t = t->next) {
		if (strcmp(t->id, id) == 0)
			break;
	}
	if (t == NULL) {
		t = xcalloc(1, sizeof *t);
		t->ins = ins;
		t->id = xstrdup(id);
		t->fd = insp_spool();
		t->next = ins->traces;
		ins->traces = t;
		if (t->fd == -1) {
			insp_trace_fail(t, xasprintf("cannot create a temporary file: %s",
			    strerror(errno)));
			return t;
		}
	}
	if (t->req == NULL && t->fd != -1)
		insp_trace_request(t, t->loaded && t->etag == NULL);
	return t;
}

int
insp_trace_fd(const struct insp_trace *t)
{
	return t->fd;
}

bool
insp_trace_busy(const struct insp_trace *t)
{
	return t->req != NULL;
}

bool
insp_trace_loaded(const struct insp_trace *t)
{
	return t->loaded;
}

const char *
insp_trace_error(const struct insp_trace *t)
{
	return t->error;
}

uint64_t
insp_trace_bytes(const struct insp_trace *t)
{
	return t->bytes;
}

void
insp_trace_tail(struct insp_trace *t)
{
	if (t->req == NULL && t->fd != -1 && t->loaded)
		insp_trace_request(t, true);
}

/*
 * The event stream
 */

struct insp_events {
	struct inspector *ins;
	struct sse *sse;
	struct http_req *req;
	enum insp_conn state;
	uint64_t retry_ms;
	unsigned failures;
	int64_t next_attempt;    /* monotonic ms */
	insp_event_fn on_event;
	insp_conn_fn on_conn;
	void *arg;
	char *why;
};

static void
insp_events_set(struct insp_events *ev, enum insp_conn st, const char *why)
{
	ev->state = st;
	ev->on_conn(ev->arg, st, why);
}

static int
insp_events_sse(void *arg, const struct sse_event *e)
{
	struct insp_events *ev = arg;

	ev->on_event(ev->arg, e->data, e->data_len, e->id);
	return 0;
}

static void
insp_events_retry(void *arg, uint64_t ms)
{
	struct insp_events *ev = arg;

	ev->retry_ms = ms < 100 ? 100 : ms > RETRY_MAX_MS ? RETRY_MAX_MS : ms;
}

static int
insp_events_body(void *arg, struct http_req *r, const char *buf, size_t len)
{
	struct insp_events *ev = arg;
	const char *ct;

	if (http_status(r) != 200)
		return 1;
	if (ev->state != INSP_LIVE) {
		ct = http_header(r, "Content-Type");
		if (ct == NULL || strncasecmp(ct, "text/event-stream", 17) != 0)
			return 1;
		ev->failures = 0;
		insp_events_set(ev, INSP_LIVE, NULL);
	}
	sse_feed(ev->sse, buf, len);
	return 0;
}

/* Wait before the next attempt: the server's retry, doubled for each
 * failure in a row, at most a minute. */
static void
insp_events_schedule(struct insp_events *ev, const char *why)
{
	uint64_t delay = ev->retry_ms;
	unsigned k;

	ev->failures++;
	for (k = 1; k < ev->failures && delay < RETRY_MAX_MS; k++)
		delay *= 2;
	if (delay > RETRY_MAX_MS)
		delay = RETRY_MAX_MS;
	ev->next_attempt = insp_now_ms() + (int64_t)delay;
	insp_events_set(ev, ev->failures >= OFFLINE_AFTER ? INSP_OFFLINE : INSP_WAITING, why);
}

static char *
insp_events_why(struct insp_events *ev, struct http_req *r, const char *error)
{
	const char *ct = http_header(r, "Content-Type");
	long st = http_status(r);
	char *url = xasprintf("%s/events", ev->ins->base), *why;

	if (ev->state == INSP_LIVE)
		why = error != NULL ? xasprintf("the event stream of %s was cut: %s",
		    ev->ins->base, error) : xasprintf("the event stream of %s ended",
		    ev->ins->base);
	else if (st == 200)
		why = xasprintf("%s is not an event stream (%s)", url, ct ? ct : "no type");
	else
		why = insp_failure(url, r, st >= 300 ? NULL : error);
	free(url);
	return why;
}

static void
insp_events_done(void *arg, struct http_req *r, const char *error)
{
	struct insp_events *ev = arg;
	char *why = insp_events_why(ev, r, error);

	ev->req = NULL;
	insp_events_schedule(ev, why);
	free(why);
}

static void
insp_events_connect(struct insp_events *ev)
{
	char *url = xasprintf("%s/events", ev->ins->base);
	struct http_get g;

	sse_reset(ev->sse);
	memset(&g, 0, sizeof g);
	g.url = url;
	g.stream = true;
	g.last_event_id = *sse_last_id(ev->sse) != '\0' ? sse_last_id(ev->sse) : NULL;
	g.body = insp_events_body;
	g.done = insp_events_done;
	g.arg = ev;
	ev->req = http_start(ev->ins->http, &g);
	insp_events_set(ev, INSP_CONNECTING, NULL);
	free(url);
}

struct insp_events *
inspector_events(struct inspector *ins, insp_event_fn on_event, insp_conn_fn on_conn,
    void *arg)
{
	struct insp_events *ev = xcalloc(1, sizeof *ev);

	ev->ins = ins;
	ev->on_event = on_event;
	ev->on_conn = on_conn;
	ev->arg = arg;
	ev->retry_ms = RETRY_DEFAULT_MS;
	ev->sse = sse_new(SSE_MAX_LINE, insp_events_sse, insp_events_retry, ev);
	insp_events_connect(ev);
	return ev;
}

void
insp_events_free(struct insp_events *ev)
{
	if (ev == NULL)
		return;
	if (ev->req != NULL)
		http_cancel(ev->ins->http, ev->req);
	sse_free(ev->sse);
	free(ev->why);
	free(ev);
}

enum insp_conn
insp_events_state(const struct insp_events *ev)
{
	return ev->state;
}

int
insp_events_retry_in(const struct insp_events *ev)
{
	int64_t left = ev->next_attempt - insp_now_ms();

	return left <= 0 ? 0 : (int)((left + 999) / 1000);
}

long
insp_events_tick(struct insp_events *ev)
{
	int64_t now = insp_now_ms(), idle;

	if (ev->state == INSP_WAITING || ev->state == INSP_OFFLINE) {
		if (now >= ev->next_attempt) {
			insp_events_connect(ev);
			return 1000;
		}
		/* Wake each second so the countdown on screen moves. */
		return (ev->next_attempt - now) % 1000 + 1;
	}
	if (ev->state == INSP_LIVE && ev->req != NULL) {
		idle = now - http_last_data_ms(ev->req);
		if (idle >= KEEPALIVE_MS) {
			http_cancel(ev->ins->http, ev->req);
			ev->req = NULL;
			insp_events_schedule(ev, "no keep-alive from the inspector for 45 s; "
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

/* Where each field of struct insp_event comes from. */
static char **
insp_event_slot(struct insp_event *ev, const char *key, size_t n)
{
	static const struct {
		const char *key;
		size_t off;
	} fields[] = {
		{ "type", offsetof(struct insp_event, type) },
		{ "session_id", offsetof(struct insp_event, session_id) },
		{ "engine", offsetof(struct insp_event, engine) },
		{ "title", offsetof(struct insp_event, title) },
		{ "status", offsetof(struct insp_event, status) },
		{ "error", offsetof(struct insp_event, error) },
		{ "signal_name", offsetof(struct insp_event, signal_name) },
		{ "prompt", offsetof(struct insp_event, prompt) },
	};
	size_t i;

	for (i = 0; i < sizeof fields / sizeof fields[0]; i++) {
		if (strlen(fields[i].key) == n && memcmp(fields[i].key, key, n) == 0)
			return (char **)((char *)ev + fields[i].off);
	}
	return NULL;
}

static bool
insp_key_is(const char *key, size_t n, const char *want)
{
	return strlen(want) == n && memcmp(want, key, n) == 0;
}

int
insp_event_parse(struct insp_event *ev, const char *json, size_t len)
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
		if ((slot = insp_event_slot(ev, key, klen)) != NULL &&
		    jscan_peek(&js) == JSCAN_STRING && jscan_string(&js, &v, &vlen) == 0) {
			free(*slot);
			*slot = xstrndup(v, vlen);
		} else if ((insp_key_is(key, klen, "start_time") ||
		    insp_key_is(key, klen, "end_time")) && jscan_peek(&js) == JSCAN_STRING &&
		    jscan_string(&js, &v, &vlen) == 0) {
			t = xstrndup(v, vlen);
			*(insp_key_is(key, klen, "start_time") ? &ev->start_time : &ev->end_time) =
			    inspector_time(t);
			free(t);
		} else if ((insp_key_is(key, klen, "current_span_count") ||
		    insp_key_is(key, klen, "tokens_delta")) && jscan_peek(&js) == JSCAN_NUMBER &&
		    jscan_number(&js, &num) == 0 && num.class == JNUM_INT)
			*(insp_key_is(key, klen, "tokens_delta") ? &ev->tokens_delta :
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
insp_event_clear(struct insp_event *ev)
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
