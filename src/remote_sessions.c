/* SPDX-License-Identifier: MIT */
/*
 * remote_sessions.c — GET /sessions: the session list, parsed and
 * folded (remote_chunks.h); see remote.h.
 */
#include "remote_int.h"

#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "http.h"
#include "remote_chunks.h"
#include "jscan.h"
#include "text.h"
#include "xmalloc.h"

struct remote_get_sessions {
	struct remote *ins;
	struct remote_get_sessions *next; /* in ins->getting */
	char *url;
	struct buf body;
	bool too_large;
	remote_sessions_fn fn;
	void *arg;
};

static int
remote_sessions_body(void *arg, struct http_req *r, const char *buf, size_t len)
{
	struct remote_get_sessions *g = arg;

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
remote_repair_utf8(const char *s, size_t n, size_t *outlen)
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
remote_parse_session(struct jscan *js, struct remote_session *s)
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
		s->started_at = remote_time(str[4]);
		s->ended_at = remote_time(str[5]);
		str[0] = str[1] = str[2] = str[3] = NULL;
	}
	for (k = 0; k < 6; k++)
		free(str[k]);
	return r == 0 ? 0 : -1;
}

int
remote_parse_sessions(const char *json, size_t len, struct remote_session **out,
    size_t *n)
{
	struct jarena *a = jarena_new();
	struct remote_session *s = NULL, one;
	struct jscan js;
	size_t k = 0, cap = 0, fixedlen;
	char *fixed = remote_repair_utf8(json, len, &fixedlen);
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
			if (remote_parse_session(&js, &one) == -1)
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
		remote_chunks_fold(s, &k);
		rc = 0;
	}
out:
	if (rc == -1) {
		remote_sessions_free(s, k);
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
remote_sessions_free(struct remote_session *s, size_t n)
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
remote_get_sessions_free(struct remote_get_sessions *g)
{
	buf_free(&g->body);
	free(g->url);
	free(g);
}

/* Take g off its inspector's list of requests in flight. */
static void
remote_sessions_forget(struct remote_get_sessions *g)
{
	struct remote_get_sessions **pp;

	for (pp = &g->ins->getting; *pp != NULL; pp = &(*pp)->next) {
		if (*pp == g) {
			*pp = g->next;
			break;
		}
	}
}

/* After http_free: the requests it aborted hold what nothing else frees. */
void
remote_sessions_abandon(struct remote *ins)
{
	struct remote_get_sessions *g;

	while ((g = ins->getting) != NULL) {
		ins->getting = g->next;
		remote_get_sessions_free(g);
	}
}

static void
remote_sessions_done(void *arg, struct http_req *r, const char *error)
{
	struct remote_get_sessions *g = arg;
	struct remote_session *s = NULL;
	const char *ct = http_header(r, "Content-Type");
	size_t n = 0;
	char *why = NULL;

	if (g->too_large)
		why = xasprintf("%s answered more than %u MiB; a session list is never "
		    "that large", g->url, SESSIONS_MAX >> 20);
	else if (error != NULL || http_status(r) != 200)
		why = remote_failure(g->url, r, error);
	else if (remote_parse_sessions(buf_str(&g->body), g->body.len, &s, &n) == -1)
		why = remote_safe(xasprintf("%s did not answer with a session list (%s)",
		    g->url, ct != NULL ? ct : "no Content-Type"));
	remote_sessions_forget(g);
	g->fn(g->arg, s, n, why);
	remote_sessions_free(s, n);
	free(why);
	remote_get_sessions_free(g);
}

void
remote_get_sessions(struct remote *ins, remote_sessions_fn fn, void *arg)
{
	struct remote_get_sessions *g = xcalloc(1, sizeof *g);
	struct http_get req;

	g->ins = ins;
	g->url = xasprintf("%s/sessions", ins->base);
	g->fn = fn;
	g->arg = arg;
	memset(&req, 0, sizeof req);
	req.url = g->url;
	req.timeout_ms = SESSIONS_TIMEOUT_MS;
	req.body = remote_sessions_body;
	req.done = remote_sessions_done;
	req.arg = g;
	g->next = ins->getting;
	ins->getting = g;
	http_start(ins->http, &req);
}
