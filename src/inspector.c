/*
 * inspector.c — the inspector's HTTP API on http.c; see inspector.h.
 */
#include "inspector.h"

#include <curl/curl.h>
#include <stddef.h>
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>
#include <sys/statvfs.h>
#include <unistd.h>

#include "buf.h"
#include "gz.h"
#include "http.h"
#include "insp_chunks.h"
#include "jscan.h"
#include "span.h"
#include "span_parse.h"
#include "spool.h"
#include "sse.h"
#include "text.h"
#include "xmalloc.h"

/*
 * The limits a hostile or broken inspector meets (README "Limits"):
 * what is held in memory is bounded by SESSIONS_MAX, SSE_MAX_LINE and
 * HTTP_ERROR_BODY_MAX; what goes to disk by the spool limit; time by
 * SESSIONS_TIMEOUT_MS, the stall detection in http.c and the watchdogs.
 */
#define DEFAULT_PORT "7800"
#define SESSIONS_MAX (16u << 20)    /* a /sessions answer larger is refused */
#define SESSIONS_TIMEOUT_MS 60000   /* ...and so is one slower than this */
#define SSE_MAX_LINE (4u << 20)
#define KEEPALIVE_MS 45000          /* the server sends one after 30 s idle */
#define HEADERS_MS 15000            /* an event stream that does not start */
#define STABLE_MS 10000             /* a connection this old resets the backoff */
/* Decompressed text spooled per trace (MCP_INSPECT_TUI_SPOOL_MAX), and
 * the free space always left on the spool's file system. */
#define SPOOL_MAX_DEFAULT ((uint64_t)2 << 30)
#define SPOOL_RESERVE ((uint64_t)256 << 20)
#define SPOOL_CHECK_EVERY ((uint64_t)16 << 20)
#define DETAIL_MAX 200              /* bytes of an error body shown */
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
	bool truncated;         /* stopped early; the text before is good */
	bool partial;           /* the last answer broke off: what came is kept,
	                           the rest is asked for with Range */
	bool asked_etag, asked_range; /* what the running request sent */
	uint64_t asked_from;    /* t->bytes when the running request was sent */
	bool refused;           /* our body handler ended it (t->error says why) */
	uint64_t checked_at;    /* bytes when the free space was last checked */
	char *error;
	struct http_req *req;
	struct gz *gz;          /* decodes a gzip body */
	bool body_gzip;
	long http_status;       /* of the last answer */
	struct insp_trace *next;
};

static char *insp_safe(char *);
static void insp_sessions_abandon(struct inspector *);

struct inspector {
	char *base;             /* .../_inspector */
	struct http *http;
	uint64_t spool_max;
	struct insp_trace *traces; /* every trace opened, for reuse */
	/* /sessions requests in flight: http_free aborts them without their
	 * done callback, so inspector_free frees what they hold. */
	struct insp_get_sessions *getting;
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
	uint64_t spool_max;
	char *base;

	if (spool_limit(SPOOL_MAX_DEFAULT, &spool_max) == -1) {
		*cause = insp_safe(xasprintf("MCP_INSPECT_TUI_SPOOL_MAX: '%s' is not a "
		    "size (e.g. 512M or 4G)", getenv("MCP_INSPECT_TUI_SPOOL_MAX")));
		return NULL;
	}
	curl_global_init(CURL_GLOBAL_DEFAULT);
	base = insp_base(url, cause);
	curl_global_cleanup();
	if (base == NULL)
		return NULL;
	ins = xcalloc(1, sizeof *ins);
	ins->base = base;
	ins->http = http_new(token);
	ins->spool_max = spool_max;
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
	insp_sessions_abandon(ins);
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

/* Make a message safe for a terminal, in place: everything a server sent
 * is escaped (text_sanitize), newlines too, so it stays one line.  Takes
 * and returns msg. */
static char *
insp_safe(char *msg)
{
	struct buf b = BUF_INIT;

	if (text_is_safe(msg, strlen(msg)))
		return msg;
	text_sanitize(&b, msg, strlen(msg), 0);
	free(msg);
	return buf_detach(&b);
}

/* The first line of text, at most DETAIL_MAX bytes, not cutting a UTF-8
 * sequence; surrounding spaces dropped. */
static void
insp_first_line(struct buf *out, const char *s, size_t n)
{
	const char *nl = memchr(s, '\n', n);

	if (nl != NULL)
		n = (size_t)(nl - s);
	while (n > 0 && (*s == ' ' || *s == '\t' || *s == '\r')) {
		s++;
		n--;
	}
	while (n > 0 && (s[n - 1] == ' ' || s[n - 1] == '\t' || s[n - 1] == '\r'))
		n--;
	if (n > DETAIL_MAX) {
		n = DETAIL_MAX;
		while (n > 0 && ((unsigned char)s[n] & 0xc0) == 0x80)
			n--;
		buf_add(out, s, n);
		buf_adds(out, "...");
	} else
		buf_add(out, s, n);
}

int
inspector_error_detail(struct buf *out, const char *ctype, const char *body, size_t n)
{
	struct jarena *a;
	struct jscan js;
	const char *key, *v;
	size_t klen, vlen, before = out->len;

	if (ctype == NULL || n == 0)
		return -1;
	if (strncasecmp(ctype, "text/plain", 10) == 0)
		insp_first_line(out, body, n);
	else if (strncasecmp(ctype, "application/json", 16) == 0 ||
	    strncasecmp(ctype, "application/problem+json", 24) == 0) {
		/* FastAPI's {"detail": "..."}; the body may be cut short. */
		a = jarena_new();
		jscan_init(&js, body, n, a);
		if (jscan_object(&js) == 0) {
			while (jscan_key(&js, &key, &klen) == 1) {
				if (klen == 6 && memcmp(key, "detail", 6) == 0 &&
				    jscan_string(&js, &v, &vlen) == 0) {
					insp_first_line(out, v, vlen);
					break;
				}
				if (jscan_skip(&js) == -1)
					break;
			}
		}
		jarena_free(a);
	}
	return out->len > before ? 0 : -1;
}

/* "URL answered ..." or "cannot reach URL: ..." for a failed request: the
 * status, a redirect's target (never followed), an error body's first
 * line when it is plain text or JSON (an HTML page is named by its type,
 * never printed); all of it sanitised. */
static char *
insp_failure(const char *url, struct http_req *r, const char *error)
{
	struct buf b = BUF_INIT, detail = BUF_INIT;
	const char *ct, *loc, *body;
	size_t n;
	long st;

	if (error != NULL) {
		buf_printf(&b, "cannot reach %s: %s", url, error);
		goto out;
	}
	st = http_status(r);
	ct = http_header(r, "Content-Type");
	loc = http_header(r, "Location");
	if (st >= 300 && st < 400 && st != 304) {
		buf_printf(&b, "%s answered %ld, a redirect%s%s (not followed: the "
		    "inspector never redirects)", url, st, loc != NULL ? " to " : "",
		    loc != NULL ? loc : "");
		goto out;
	}
	if (st >= 500)
		buf_printf(&b, "%s answered %ld (server error%s%s)", url, st,
		    ct != NULL ? ", " : "", ct != NULL ? ct : "");
	else
		buf_printf(&b, "%s answered %s", url, http_status_text(st));
	body = http_error_body(r, &n);
	if (inspector_error_detail(&detail, ct, body, n) == 0)
		buf_printf(&b, ": %s", buf_str(&detail));
	buf_free(&detail);
out:
	return insp_safe(buf_detach(&b));
}

/*
 * GET /sessions
 */

struct insp_get_sessions {
	struct inspector *ins;
	struct insp_get_sessions *next; /* in ins->getting */
	char *url;
	struct buf body;
	bool too_large;
	insp_sessions_fn fn;
	void *arg;
};

static int
insp_sessions_body(void *arg, struct http_req *r, const char *buf, size_t len)
{
	struct insp_get_sessions *g = arg;

	if (g->body.len + len > SESSIONS_MAX) {
		g->too_large = true;
		return 1;
	}
	buf_add(&g->body, buf, len);
	return 0;
}

/* Invalid UTF-8 becomes U+FFFD, one per byte, as everywhere else: one
 * broken title must not make the whole list unreadable (JSON must be
 * UTF-8, so the scanner refuses it).  NULL when s is valid already. */
static char *
insp_repair_utf8(const char *s, size_t n, size_t *outlen)
{
	const unsigned char *u = (const unsigned char *)s;
	struct buf b = BUF_INIT;
	size_t i = 0, run = 0, len;
	unsigned cp;
	bool bad = false;

	while (i < n) {
		if (u[i] < 0x80) {
			i++;
			continue;
		}
		if ((len = utf8_decode(u + i, n - i, &cp)) != 0) {
			i += len;
			continue;
		}
		bad = true;
		buf_add(&b, s + run, i - run);
		buf_add(&b, "\xef\xbf\xbd", 3);
		run = ++i;
	}
	if (!bad)
		return NULL;
	buf_add(&b, s + run, n - run);
	*outlen = b.len;
	return buf_detach(&b);
}

/* One SessionMeta; an element that is not an object with a non-empty
 * string id is skipped (returns 0 with s->id NULL).  -1 on bad JSON. */
static int
insp_parse_session(struct jscan *js, struct insp_session *s)
{
	static const char *const keys[] = { "id", "status", "engine", "title",
	    "started_at", "ended_at" };
	char *str[6] = { NULL };
	const char *key, *v;
	size_t klen, vlen, k;
	int r;

	memset(s, 0, sizeof *s);
	if (jscan_peek(js) != JSCAN_OBJECT)
		return jscan_skip(js);
	jscan_object(js);
	while ((r = jscan_key(js, &key, &klen)) == 1) {
		for (k = 0; k < 6; k++) {
			if (strlen(keys[k]) == klen && memcmp(keys[k], key, klen) == 0)
				break;
		}
		if (k < 6 && jscan_peek(js) == JSCAN_STRING) {
			if (jscan_string(js, &v, &vlen) == -1)
				break;
			free(str[k]);
			str[k] = xstrndup(v, vlen); /* a \u0000 ends it */
		} else if (jscan_skip(js) == -1)
			break;
	}
	if (r == 0 && str[0] != NULL && *str[0] != '\0') {
		s->id = str[0];
		s->status = str[1];
		s->engine = str[2];
		s->title = str[3];
		s->started_at = inspector_time(str[4]);
		s->ended_at = inspector_time(str[5]);
		str[0] = str[1] = str[2] = str[3] = NULL;
	}
	for (k = 0; k < 6; k++)
		free(str[k]);
	return r == 0 ? 0 : -1;
}

int
inspector_parse_sessions(const char *json, size_t len, struct insp_session **out,
    size_t *n)
{
	struct jarena *a = jarena_new();
	struct insp_session *s = NULL, one;
	struct jscan js;
	size_t k = 0, cap = 0, fixedlen;
	char *fixed = insp_repair_utf8(json, len, &fixedlen);
	const char *key;
	size_t klen;
	int r, rc = -1, found = 0;

	jscan_init(&js, fixed != NULL ? fixed : json, fixed != NULL ? fixedlen : len, a);
	if (jscan_object(&js) == -1)
		goto out;
	while ((r = jscan_key(&js, &key, &klen)) == 1) {
		if (klen != 8 || memcmp(key, "sessions", 8) != 0 || found ||
		    jscan_peek(&js) != JSCAN_ARRAY) {
			if (jscan_skip(&js) == -1)
				goto out;
			continue;
		}
		found = 1;
		jscan_array(&js);
		while ((r = jscan_elem(&js)) == 1) {
			if (insp_parse_session(&js, &one) == -1)
				goto out;
			if (one.id == NULL)
				continue;
			if (k == cap) {
				cap = cap ? cap * 2 : 64;
				s = xreallocarray(s, cap, sizeof *s);
			}
			s[k++] = one;
		}
		if (r == -1)
			goto out;
	}
	if (r == 0 && found && jscan_finish(&js) == 0) {
		insp_chunks_fold(s, &k);
		rc = 0;
	}
out:
	if (rc == -1) {
		inspector_sessions_free(s, k);
		s = NULL;
		k = 0;
	}
	*out = s;
	*n = k;
	free(fixed);
	jarena_free(a);
	return rc;
}

void
inspector_sessions_free(struct insp_session *s, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		free(s[i].id);
		free(s[i].status);
		free(s[i].engine);
		free(s[i].title);
	}
	free(s);
}

static void
insp_get_sessions_free(struct insp_get_sessions *g)
{
	buf_free(&g->body);
	free(g->url);
	free(g);
}

/* Take g off its inspector's list of requests in flight. */
static void
insp_sessions_forget(struct insp_get_sessions *g)
{
	struct insp_get_sessions **pp;

	for (pp = &g->ins->getting; *pp != NULL; pp = &(*pp)->next) {
		if (*pp == g) {
			*pp = g->next;
			break;
		}
	}
}

/* After http_free: the requests it aborted hold what nothing else frees. */
static void
insp_sessions_abandon(struct inspector *ins)
{
	struct insp_get_sessions *g;

	while ((g = ins->getting) != NULL) {
		ins->getting = g->next;
		insp_get_sessions_free(g);
	}
}

static void
insp_sessions_done(void *arg, struct http_req *r, const char *error)
{
	struct insp_get_sessions *g = arg;
	struct insp_session *s = NULL;
	const char *ct = http_header(r, "Content-Type");
	size_t n = 0;
	char *why = NULL;

	if (g->too_large)
		why = xasprintf("%s answered more than %u MiB; a session list is never "
		    "that large", g->url, SESSIONS_MAX >> 20);
	else if (error != NULL || http_status(r) != 200)
		why = insp_failure(g->url, r, error);
	else if (inspector_parse_sessions(buf_str(&g->body), g->body.len, &s, &n) == -1)
		why = insp_safe(xasprintf("%s did not answer with a session list (%s)",
		    g->url, ct != NULL ? ct : "no Content-Type"));
	insp_sessions_forget(g);
	g->fn(g->arg, s, n, why);
	inspector_sessions_free(s, n);
	free(why);
	insp_get_sessions_free(g);
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
	req.timeout_ms = SESSIONS_TIMEOUT_MS;
	req.body = insp_sessions_body;
	req.done = insp_sessions_done;
	req.arg = g;
	g->next = ins->getting;
	ins->getting = g;
	http_start(ins->http, &req);
}

/*
 * Traces
 */

/* Record why the last request failed (NULL: it did not); takes why. */
static void
insp_trace_fail(struct insp_trace *t, char *why)
{
	free(t->error);
	t->error = why;
}

/* Stop the download where it is: what the spool holds stays readable. */
static int
insp_trace_stop(struct insp_trace *t, char *why)
{
	t->truncated = true;
	insp_trace_fail(t, insp_safe(why));
	return 1;
}

/* Room for len more bytes of text: under the spool limit, and leaving
 * SPOOL_RESERVE free on the disk (checked every SPOOL_CHECK_EVERY bytes).
 * Returns how many bytes may be written; fewer than len means stop. */
static size_t
insp_trace_room(struct insp_trace *t, size_t len)
{
	uint64_t max = t->ins->spool_max;
	struct statvfs sv;

	if (t->bytes + len > max)
		return t->bytes >= max ? 0 : (size_t)(max - t->bytes);
	if (t->bytes + len - t->checked_at >= SPOOL_CHECK_EVERY || t->checked_at == 0) {
		t->checked_at = t->bytes + 1;
		if (fstatvfs(t->fd, &sv) == 0 &&
		    (uint64_t)sv.f_bavail * sv.f_frsize < SPOOL_RESERVE + len)
			return 0;
	}
	return len;
}

/* Append decoded text, dropping what a full answer repeats. */
static int
insp_trace_write(void *arg, const char *buf, size_t len)
{
	struct insp_trace *t = arg;
	size_t drop = t->skip < len ? (size_t)t->skip : len, room;
	bool at_limit;

	t->skip -= drop;
	buf += drop;
	len -= drop;
	if (len == 0)
		return 0;
	if ((room = insp_trace_room(t, len)) < len) {
		at_limit = t->bytes + len > t->ins->spool_max;
		/* Keep whole lines only: the spool ends at the last one that fits. */
		while (room > 0 && buf[room - 1] != '\n')
			room--;
		if (room > 0 && pwrite(t->fd, buf, room, (off_t)t->bytes) == (ssize_t)room)
			t->bytes += room;
		if (at_limit)
			return insp_trace_stop(t, xasprintf("trace %s: stopped at the spool "
			    "limit of %llu MiB of text (MCP_INSPECT_TUI_SPOOL_MAX); the rest "
			    "is not read", t->id,
			    (unsigned long long)(t->ins->spool_max >> 20)));
		return insp_trace_stop(t, xasprintf("trace %s: stopped at %llu MiB: "
		    "the disk holding the spool ($TMPDIR) is nearly full", t->id,
		    (unsigned long long)(t->bytes >> 20)));
	}
	if (pwrite(t->fd, buf, len, (off_t)t->bytes) != (ssize_t)len) {
		insp_trace_fail(t, xasprintf("cannot write the spool of %s: %s", t->id,
		    strerror(errno)));
		return 1;
	}
	t->bytes += len;
	return 0;
}

/*
 * A 206 must start where the Range asked (t->asked_from).  One that starts
 * earlier repeats what the spool holds: that much is skipped.  One that
 * starts later, or says nothing, would put text at the wrong offset: it is
 * refused (the next tail asks again).  -1 with t->error to refuse.
 */
static int
insp_trace_range(struct insp_trace *t, struct http_req *r)
{
	const char *cr = http_header(r, "Content-Range");
	unsigned long long from;
	char *end;

	if (cr != NULL && strncasecmp(cr, "bytes", 5) == 0) {
		cr += 5;
		while (*cr == ' ')
			cr++;
		errno = 0;
		from = *cr >= '0' && *cr <= '9' ? strtoull(cr, &end, 10) : ULLONG_MAX;
		if (errno == 0 && from != ULLONG_MAX && *end == '-') {
			if (from <= t->asked_from) {
				t->skip = t->asked_from - from;
				return 0;
			}
			insp_trace_fail(t, insp_safe(xasprintf("%s/trace/%s answered from byte "
			    "%llu, not %llu as asked; refused (asked again later)",
			    t->ins->base, t->id, from, (unsigned long long)t->asked_from)));
			return -1;
		}
	}
	insp_trace_fail(t, insp_safe(xasprintf("%s/trace/%s answered 206 without a "
	    "usable Content-Range; refused", t->ins->base, t->id)));
	return -1;
}

/* Checks on the first bytes of an answer; -1 (with t->error) to refuse it. */
static int
insp_trace_start(struct insp_trace *t, struct http_req *r)
{
	const char *ce = http_header(r, "Content-Encoding");
	const char *ct = http_header(r, "Content-Type");
	long st = http_status(r);

	/* A proxy's login or error page with status 200 is not a trace. */
	if (ct != NULL && strncasecmp(ct, "text/html", 9) == 0) {
		insp_trace_fail(t, insp_safe(xasprintf("%s/trace/%s answered an HTML page "
		    "(%s), not a trace", t->ins->base, t->id, ct)));
		return -1;
	}
	/* A full answer goes through the gzip decoder, which also passes plain
	 * text through, so a gzip body labelled as anything (or nothing)
	 * still reads; only an encoding we cannot decode is refused. */
	if (st == 200 && ce != NULL && *ce != '\0' && strcasecmp(ce, "gzip") != 0 &&
	    strcasecmp(ce, "x-gzip") != 0 && strcasecmp(ce, "identity") != 0) {
		insp_trace_fail(t, insp_safe(xasprintf("%s/trace/%s answered in an "
		    "unsupported Content-Encoding (%s)", t->ins->base, t->id, ce)));
		return -1;
	}
	t->body_gzip = st == 200;
	t->gz = gz_new();
	/* Labelled gzip, it must be gzip: plain text passed off as gzip was
	 * spooled as text, and the next Range asked from the wrong place. */
	if (st == 200 && ce != NULL && (strcasecmp(ce, "gzip") == 0 ||
	    strcasecmp(ce, "x-gzip") == 0))
		gz_expect_gzip(t->gz);
	if (st == 206)
		return insp_trace_range(t, r);
	return 0;
}

static int insp_trace_body_1(struct insp_trace *, struct http_req *, const char *,
    size_t);

/* Every early end of a body is ours to explain (t->error). */
static int
insp_trace_body(void *arg, struct http_req *r, const char *buf, size_t len)
{
	struct insp_trace *t = arg;

	if (insp_trace_body_1(t, r, buf, len) == 0)
		return 0;
	t->refused = true;
	return 1;
}

static int
insp_trace_body_1(struct insp_trace *t, struct http_req *r, const char *buf, size_t len)
{
	char *cause = NULL;
	long st = http_status(r);

	if (st != 200 && st != 206)
		return 0; /* another 2xx: nothing we asked for */
	if (t->gz == NULL && insp_trace_start(t, r) == -1)
		return 1;
	/* 206 answers are decompressed text (doc/reference.md §4). */
	if (!t->body_gzip)
		return insp_trace_write(t, buf, len);
	if (gz_feed(t->gz, buf, len, insp_trace_write, t, &cause) == -1) {
		/* Not gzip at all: refused, nothing of it spooled. */
		if (gz_total_out(t->gz) == 0)
			insp_trace_fail(t, insp_safe(xasprintf("%s/trace/%s answered "
			    "Content-Encoding: gzip, but the body is not gzip (%s); refused",
			    t->ins->base, t->id, cause != NULL ? cause : "?")));
		/* Corrupt data: what decoded before it is kept. */
		else if (cause != NULL)
			insp_trace_stop(t, xasprintf("trace %s: %s", t->id, cause));
		free(cause);
		return 1;
	}
	return 0;
}

/* 304 (unchanged) only answers If-None-Match, 416 (nothing past the end
 * yet) only a Range: unasked, they would pass off nothing as a trace. */
static bool
insp_trace_status_ok(struct insp_trace *t, long st)
{
	return st == 200 || st == 206 || (st == 304 && t->asked_etag) ||
	    (st == 416 && t->asked_range);
}

static void
insp_trace_done(void *arg, struct http_req *r, const char *error)
{
	struct insp_trace *t = arg;
	char *url = xasprintf("%s/trace/%s", t->ins->base, t->id);
	const char *etag = http_header(r, "ETag");
	long st = http_status(r);
	bool wrote_why = error != NULL && t->refused; /* the body handler said */

	t->req = NULL;
	t->http_status = error != NULL ? 0 : st;
	gz_free(t->gz);
	t->gz = NULL;
	t->skip = 0;
	t->partial = false;
	if (t->truncated)
		t->loaded = true; /* what was spooled before the stop reads */
	else if (error != NULL && !wrote_why && (st == 200 || st == 206) &&
	    t->bytes > t->asked_from) {
		/* A body that broke off (a Content-Length too long, a bad chunk,
		 * a cut connection): every line that came is good and stays; the
		 * rest is asked for with Range from what was decoded. */
		insp_trace_fail(t, insp_safe(xasprintf("trace %s: the download broke "
		    "off after %llu bytes of text (%s); asking for the rest", t->id,
		    (unsigned long long)t->bytes, error)));
		t->partial = true;
		t->loaded = true;
	} else if (error != NULL || !insp_trace_status_ok(t, st)) {
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

long
insp_trace_http_status(const struct insp_trace *t)
{
	return t->http_status;
}

char *
inspector_trace_url(const char *base, const char *id)
{
	static const char hex[] = "0123456789ABCDEF";
	struct buf b = BUF_INIT;
	unsigned char c;

	buf_printf(&b, "%s/trace/", base);
	for (; *id != '\0'; id++) {
		c = (unsigned char)*id;
		if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') ||
		    (c >= '0' && c <= '9') || c == '-' || c == '_' || c == '~')
			buf_addc(&b, (char)c);
		else {
			buf_addc(&b, '%');
			buf_addc(&b, hex[c >> 4]);
			buf_addc(&b, hex[c & 15]);
		}
	}
	return buf_detach(&b);
}

static void
insp_trace_request(struct insp_trace *t, bool tail)
{
	char *url, from[32];
	struct http_get g;

	url = inspector_trace_url(t->ins->base, t->id);
	memset(&g, 0, sizeof g);
	g.url = url;
	g.body = insp_trace_body;
	g.done = insp_trace_done;
	g.arg = t;
	/* A full answer repeats what the spool holds (a server ignoring Range,
	 * a changed ETag, a first download that broke off): never twice. */
	t->skip = t->bytes;
	t->asked_from = t->bytes;
	t->refused = false;
	if (tail) {
		snprintf(from, sizeof from, "%llu", (unsigned long long)t->bytes);
		g.range_from = from;
	} else if (t->loaded && t->etag != NULL)
		g.if_none_match = t->etag;
	t->asked_range = g.range_from != NULL;
	t->asked_etag = g.if_none_match != NULL;
	t->req = http_start(t->ins->http, &g);
	free(url);
}

struct insp_trace *
inspector_trace(struct inspector *ins, const char *id)
{
	struct insp_trace *t;
	char *cause;

	for (t = ins->traces; t != NULL; t = t->next) {
		if (strcmp(t->id, id) == 0)
			break;
	}
	if (t == NULL) {
		t = xcalloc(1, sizeof *t);
		t->ins = ins;
		t->id = xstrdup(id);
		t->fd = spool_open("a remote trace", &cause);
		t->next = ins->traces;
		ins->traces = t;
		if (t->fd == -1) {
			insp_trace_fail(t, cause);
			return t;
		}
	}
	if (t->req == NULL && t->fd != -1 && !t->truncated)
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

bool
insp_trace_truncated(const struct insp_trace *t)
{
	return t->truncated;
}

bool
insp_trace_partial(const struct insp_trace *t)
{
	return t->partial;
}

uint64_t
insp_trace_bytes(const struct insp_trace *t)
{
	return t->bytes;
}

void
insp_trace_tail(struct insp_trace *t)
{
	if (t->req == NULL && t->fd != -1 && t->loaded && !t->truncated)
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
	insp_notice_fn on_notice;
	void *arg;
	int64_t live_since;      /* monotonic ms */
	uint64_t dropped;        /* sse_dropped already reported */
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
		ev->live_since = insp_now_ms();
		insp_events_set(ev, INSP_LIVE, NULL);
	}
	sse_feed(ev->sse, buf, len);
	/* The parser dropped an oversized line: say so once per line; the
	 * events after it still come. */
	if (sse_dropped(ev->sse) != ev->dropped) {
		ev->dropped = sse_dropped(ev->sse);
		if (ev->on_notice != NULL) {
			char *msg = xasprintf("the event stream of %s sent a line or event "
			    "over %u MiB; it was dropped", ev->ins->base, SSE_MAX_LINE >> 20);

			msg = insp_safe(msg);
			ev->on_notice(ev->arg, msg);
			free(msg);
		}
	}
	return 0;
}

/* Wait before the next attempt: the server's retry, doubled for each
 * failure in a row, at most a minute. */
static void
insp_events_schedule(struct insp_events *ev, const char *why)
{
	uint64_t delay = ev->retry_ms;
	unsigned k;

	/* Only a connection that stayed up a while resets the backoff: a
	 * server that hangs up at once must not be reconnected to ten times a
	 * second. */
	if (ev->state == INSP_LIVE && insp_now_ms() - ev->live_since >= STABLE_MS)
		ev->failures = 0;
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
		why = insp_failure(url, r, st != 0 ? NULL : error);
	free(url);
	return insp_safe(why);
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
    insp_notice_fn on_notice, void *arg)
{
	struct insp_events *ev = xcalloc(1, sizeof *ev);

	ev->ins = ins;
	ev->on_event = on_event;
	ev->on_conn = on_conn;
	ev->on_notice = on_notice;
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
	char *why;

	if (ev->state == INSP_WAITING || ev->state == INSP_OFFLINE) {
		if (now >= ev->next_attempt) {
			insp_events_connect(ev);
			return 1000;
		}
		/* Wake each second so the countdown on screen moves. */
		return (ev->next_attempt - now) % 1000 + 1;
	}
	/* Accepted but never answered (or headers and then silence): the
	 * keep-alive watchdog does not run yet, this one does. */
	if (ev->state == INSP_CONNECTING && ev->req != NULL) {
		idle = now - http_last_data_ms(ev->req);
		if (idle >= HEADERS_MS) {
			http_cancel(ev->ins->http, ev->req);
			ev->req = NULL;
			why = insp_safe(xasprintf("%s/events did not start an event stream "
			    "within %d s", ev->ins->base, HEADERS_MS / 1000));
			insp_events_schedule(ev, why);
			free(why);
			return 1000;
		}
		return (long)(HEADERS_MS - idle);
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
