/* SPDX-License-Identifier: MIT */
/*
 * remote_trace.c — a session's trace downloaded into a spool, then
 * tailed with Range; see remote.h.
 */
#include "remote_int.h"

#include <errno.h>
#include <limits.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/statvfs.h>
#include <unistd.h>

#include "buf.h"
#include "gz.h"
#include "http.h"
#include "spool.h"
#include "xmalloc.h"

struct remote_trace {
	struct remote *ins;
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
	struct remote_trace *next;
};


static void
remote_trace_free(struct remote_trace *t)
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

/* Record why the last request failed (NULL: it did not); takes why. */
static void
remote_trace_fail(struct remote_trace *t, char *why)
{
	free(t->error);
	t->error = why;
}

/* Stop the download where it is: what the spool holds stays readable. */
static int
remote_trace_stop(struct remote_trace *t, char *why)
{
	t->truncated = true;
	remote_trace_fail(t, remote_safe(why));
	return 1;
}

/* Room for len more bytes of text: under the spool limit, and leaving
 * SPOOL_RESERVE free on the disk (checked every SPOOL_CHECK_EVERY bytes).
 * Returns how many bytes may be written; fewer than len means stop. */
static size_t
remote_trace_room(struct remote_trace *t, size_t len)
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
remote_trace_write(void *arg, const char *buf, size_t len)
{
	struct remote_trace *t = arg;
	size_t drop = t->skip < len ? (size_t)t->skip : len, room;
	bool at_limit;

	t->skip -= drop;
	buf += drop;
	len -= drop;
	if (len == 0)
		return 0;
	if ((room = remote_trace_room(t, len)) < len) {
		at_limit = t->bytes + len > t->ins->spool_max;
		/* Keep whole lines only: the spool ends at the last one that fits. */
		while (room > 0 && buf[room - 1] != '\n')
			room--;
		if (room > 0 && pwrite(t->fd, buf, room, (off_t)t->bytes) == (ssize_t)room)
			t->bytes += room;
		if (at_limit) {
			char limit[32];

			spool_size_name(t->ins->spool_max, limit, sizeof limit);
			return remote_trace_stop(t, xasprintf("trace %s: stopped at the "
			    "spool limit of %s of text (MCP_INSPECT_TUI_SPOOL_MAX); the "
			    "rest is not read", t->id, limit));
		}
		return remote_trace_stop(t, xasprintf("trace %s: stopped at %llu MiB: "
		    "the disk holding the spool ($TMPDIR) is nearly full", t->id,
		    (unsigned long long)(t->bytes >> 20)));
	}
	if (pwrite(t->fd, buf, len, (off_t)t->bytes) != (ssize_t)len) {
		remote_trace_fail(t, xasprintf("cannot write the spool of %s: %s", t->id,
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
remote_trace_range(struct remote_trace *t, struct http_req *r)
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
			remote_trace_fail(t, remote_safe(xasprintf("%s/trace/%s answered from byte "
			    "%llu, not %llu as asked; refused (asked again later)",
			    t->ins->base, t->id, from, (unsigned long long)t->asked_from)));
			return -1;
		}
	}
	remote_trace_fail(t, remote_safe(xasprintf("%s/trace/%s answered 206 without a "
	    "usable Content-Range; refused", t->ins->base, t->id)));
	return -1;
}

/* Checks on the first bytes of an answer; -1 (with t->error) to refuse it. */
static int
remote_trace_start(struct remote_trace *t, struct http_req *r)
{
	const char *ce = http_header(r, "Content-Encoding");
	const char *ct = http_header(r, "Content-Type");
	long st = http_status(r);

	/* A proxy's login or error page with status 200 is not a trace. */
	if (ct != NULL && strncasecmp(ct, "text/html", 9) == 0) {
		remote_trace_fail(t, remote_safe(xasprintf("%s/trace/%s answered an HTML page "
		    "(%s), not a trace", t->ins->base, t->id, ct)));
		return -1;
	}
	/* A full answer goes through the gzip decoder, which also passes plain
	 * text through, so a gzip body labelled as anything (or nothing)
	 * still reads; only an encoding we cannot decode is refused. */
	if (st == 200 && ce != NULL && *ce != '\0' && strcasecmp(ce, "gzip") != 0 &&
	    strcasecmp(ce, "x-gzip") != 0 && strcasecmp(ce, "identity") != 0) {
		remote_trace_fail(t, remote_safe(xasprintf("%s/trace/%s answered in an "
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
		return remote_trace_range(t, r);
	return 0;
}

static int remote_trace_body_1(struct remote_trace *, struct http_req *, const char *,
    size_t);

/* Every early end of a body is ours to explain (t->error). */
static int
remote_trace_body(void *arg, struct http_req *r, const char *buf, size_t len)
{
	struct remote_trace *t = arg;

	if (remote_trace_body_1(t, r, buf, len) == 0)
		return 0;
	t->refused = true;
	return 1;
}

static int
remote_trace_body_1(struct remote_trace *t, struct http_req *r, const char *buf, size_t len)
{
	char *cause = NULL;
	long st = http_status(r);

	if (st != 200 && st != 206)
		return 0; /* another 2xx: nothing we asked for */
	if (t->gz == NULL && remote_trace_start(t, r) == -1)
		return 1;
	/* 206 answers are decompressed text (doc/reference.md §4). */
	if (!t->body_gzip)
		return remote_trace_write(t, buf, len);
	if (gz_feed(t->gz, buf, len, remote_trace_write, t, &cause) == -1) {
		/* Not gzip at all: refused, nothing of it spooled. */
		if (gz_total_out(t->gz) == 0)
			remote_trace_fail(t, remote_safe(xasprintf("%s/trace/%s answered "
			    "Content-Encoding: gzip, but the body is not gzip (%s); refused",
			    t->ins->base, t->id, cause != NULL ? cause : "?")));
		/* Corrupt data: what decoded before it is kept. */
		else if (cause != NULL)
			remote_trace_stop(t, xasprintf("trace %s: %s", t->id, cause));
		free(cause);
		return 1;
	}
	return 0;
}

/* 304 (unchanged) only answers If-None-Match, 416 (nothing past the end
 * yet) only a Range: unasked, they would pass off nothing as a trace. */
static bool
remote_trace_status_ok(struct remote_trace *t, long st)
{
	return st == 200 || st == 206 || (st == 304 && t->asked_etag) ||
	    (st == 416 && t->asked_range);
}

static void
remote_trace_done(void *arg, struct http_req *r, const char *error)
{
	struct remote_trace *t = arg;
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
		remote_trace_fail(t, remote_safe(xasprintf("trace %s: the download broke "
		    "off after %llu bytes of text (%s); asking for the rest", t->id,
		    (unsigned long long)t->bytes, error)));
		t->partial = true;
		t->loaded = true;
	} else if (error != NULL || !remote_trace_status_ok(t, st)) {
		if (!wrote_why)
			remote_trace_fail(t, remote_failure(url, r, st >= 300 ? NULL : error));
	} else {
		remote_trace_fail(t, NULL);
		if (etag != NULL && st == 200) {
			free(t->etag);
			t->etag = xstrdup(etag);
		}
		t->loaded = true;
	}
	free(url);
}

long
remote_trace_http_status(const struct remote_trace *t)
{
	return t->http_status;
}

char *
remote_trace_url(const char *base, const char *id)
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
remote_trace_request(struct remote_trace *t, bool tail)
{
	char *url, from[32];
	struct http_get g;

	url = remote_trace_url(t->ins->base, t->id);
	memset(&g, 0, sizeof g);
	g.url = url;
	g.body = remote_trace_body;
	g.done = remote_trace_done;
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

struct remote_trace *
remote_trace_get(struct remote *ins, const char *id)
{
	struct remote_trace *t;
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
			remote_trace_fail(t, cause);
			return t;
		}
	}
	if (t->req == NULL && t->fd != -1 && !t->truncated)
		remote_trace_request(t, t->loaded && t->etag == NULL);
	return t;
}

int
remote_trace_fd(const struct remote_trace *t)
{
	return t->fd;
}

bool
remote_trace_busy(const struct remote_trace *t)
{
	return t->req != NULL;
}

bool
remote_trace_loaded(const struct remote_trace *t)
{
	return t->loaded;
}

const char *
remote_trace_error(const struct remote_trace *t)
{
	return t->error;
}

bool
remote_trace_truncated(const struct remote_trace *t)
{
	return t->truncated;
}

bool
remote_trace_partial(const struct remote_trace *t)
{
	return t->partial;
}

uint64_t
remote_trace_bytes(const struct remote_trace *t)
{
	return t->bytes;
}

void
remote_trace_tail(struct remote_trace *t)
{
	if (t->req == NULL && t->fd != -1 && t->loaded && !t->truncated)
		remote_trace_request(t, true);
}

/* Every trace of ins (when the inspector is freed). */
void
remote_traces_free(struct remote *ins)
{
	struct remote_trace *t;

	while ((t = ins->traces) != NULL) {
		ins->traces = t->next;
		remote_trace_free(t);
	}
}
