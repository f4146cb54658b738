/* SPDX-License-Identifier: MIT */
/*
 * remote.c — the inspector's HTTP API client: the base URL, the
 * client object, and the error messages every request shares; see remote.h.
 */
#include "remote_int.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "buf.h"
#include "curlapi.h"
#include "http.h"
#include "jscan.h"
#include "span.h"
#include "span_parse.h"
#include "spool.h"
#include "text.h"
#include "xmalloc.h"

int64_t
remote_time(const char *s)
{
	int64_t ns;

	if (s == NULL || span_parse_time(s, strlen(s), &ns) == -1)
		return SPAN_TIME_NONE;
	return ns;
}

/* The API base from what the user typed: port 7800 by default, path
 * ending in /_inspector, no query or fragment. */
static char *
remote_base_url(const char *url, char **cause)
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

struct remote *
remote_new(const char *url, const char *token, char **cause)
{
	struct remote *ins;
	uint64_t spool_max;
	char *base;

	if (spool_limit(SPOOL_MAX_DEFAULT, &spool_max) == -1) {
		*cause = remote_safe(xasprintf("MCP_INSPECT_TUI_SPOOL_MAX: '%s' is not a "
		    "size (e.g. 512M or 4G)", getenv("MCP_INSPECT_TUI_SPOOL_MAX")));
		return NULL;
	}
	if (curlapi_load(cause) == -1)
		return NULL;
	curl_global_init(CURL_GLOBAL_DEFAULT);
	base = remote_base_url(url, cause);
	curl_global_cleanup();
	if (base == NULL)
		return NULL;
	ins = xcalloc(1, sizeof *ins);
	ins->base = base;
	/* Cannot fail: libcurl is loaded. */
	ins->http = http_new(token, cause);
	ins->spool_max = spool_max;
	return ins;
}

void
remote_free(struct remote *ins)
{
	if (ins == NULL)
		return;
	remote_traces_free(ins);
	http_free(ins->http);
	remote_sessions_abandon(ins);
	free(ins->base);
	free(ins);
}

struct http *
remote_http(const struct remote *ins)
{
	return ins->http;
}

const char *
remote_base(const struct remote *ins)
{
	return ins->base;
}

/* Make a message safe for a terminal, in place: everything a server sent
 * is escaped (text_sanitize), newlines too, so it stays one line.  Takes
 * and returns msg. */
char *
remote_safe(char *msg)
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
remote_first_line(struct buf *out, const char *s, size_t n)
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
remote_error_detail(struct buf *out, const char *ctype, const char *body, size_t n)
{
	struct jarena *a;
	struct jscan js;
	const char *key, *v;
	size_t klen, vlen, before = out->len;

	if (ctype == NULL || n == 0)
		return -1;
	if (strncasecmp(ctype, "text/plain", 10) == 0)
		remote_first_line(out, body, n);
	else if (strncasecmp(ctype, "application/json", 16) == 0 ||
	    strncasecmp(ctype, "application/problem+json", 24) == 0) {
		/* FastAPI's {"detail": "..."}; the body may be cut short. */
		a = jarena_new();
		jscan_init(&js, body, n, a);
		if (jscan_object(&js) == 0) {
			while (jscan_key(&js, &key, &klen) == 1) {
				if (klen == 6 && memcmp(key, "detail", 6) == 0 &&
				    jscan_string(&js, &v, &vlen) == 0) {
					remote_first_line(out, v, vlen);
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
char *
remote_failure(const char *url, struct http_req *r, const char *error)
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
	if (remote_error_detail(&detail, ct, body, n) == 0)
		buf_printf(&b, ": %s", buf_str(&detail));
	buf_free(&detail);
out:
	return remote_safe(buf_detach(&b));
}
