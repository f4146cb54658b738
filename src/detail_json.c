/* SPDX-License-Identifier: MIT */
/*
 * detail_json.c — a span's detail fields written straight from its line.
 *
 * One validating pass over the top-level object (jscan_skip) remembers a
 * cursor at the last value of each key that matters — jansson keeps the
 * last of a repeated key, and so does span_detail.c — then each field is
 * written from its cursor.  The rules are span_detail.c's, field by
 * field; where that file would go through something this does not copy
 * exactly, this declines (-1) and the caller parses with jansson.
 */
#include "detail_json.h"

#include <inttypes.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "jnorm.h"
#include "jscan.h"
#include "span.h"
#include "span_detail.h"
#include "span_parse.h"
#include "xmalloc.h"

/*
 * jansson stops at a depth of 2048 (JSON_PARSER_MAX_DEPTH) where jscan
 * goes on; a line with fewer opening brackets than that, strings
 * included, cannot reach it.
 */
#define DJ_MAX_OPEN	2000

/* Objects with more keys than this are left to jansson (the check for a
 * repeated key is quadratic). */
#define DJ_MAX_KEYS	128

/* The keys of the objects being written, innermost last. */
struct dj_key {
	const char *s;
	size_t n;
};

struct dj {
	struct buf *b;
	struct dj_key *keys;
	size_t nkeys, keys_cap;
};

/* A value seen under a key: a saved cursor, set when present. */
struct dj_at {
	struct jscan js;
	bool set;
};

static int dj_value(struct dj *, struct jscan *);

static bool
dj_is(const char *k, size_t kn, const char *name)
{
	size_t n = strlen(name);

	return kn == n && memcmp(k, name, n) == 0;
}

static bool
dj_too_deep(const char *s, size_t n)
{
	size_t i, open = 0;

	for (i = 0; i < n; i++)
		open += s[i] == '{' || s[i] == '[';
	return open > DJ_MAX_OPEN;
}

/* A key of the object whose keys start at base; false when it repeats
 * one (jansson keeps the first place and the last value: not copied). */
static bool
dj_key_new(struct dj *dj, size_t base, const char *k, size_t kn)
{
	size_t i;

	if (dj->nkeys - base >= DJ_MAX_KEYS)
		return false;
	for (i = base; i < dj->nkeys; i++) {
		if (dj->keys[i].n == kn && memcmp(dj->keys[i].s, k, kn) == 0)
			return false;
	}
	if (dj->nkeys == dj->keys_cap) {
		dj->keys_cap = dj->keys_cap == 0 ? 64 : dj->keys_cap * 2;
		dj->keys = xreallocarray(dj->keys, dj->keys_cap, sizeof *dj->keys);
	}
	dj->keys[dj->nkeys].s = k;
	dj->keys[dj->nkeys].n = kn;
	dj->nkeys++;
	return true;
}

/* An object, compact, keys in the order written (as json_write). */
static int
dj_object(struct dj *dj, struct jscan *js)
{
	size_t base = dj->nkeys, kn;
	const char *k;
	bool first = true;
	int r;

	if (jscan_object(js) == -1)
		return -1;
	buf_addc(dj->b, '{');
	while ((r = jscan_key(js, &k, &kn)) == 1) {
		if (!dj_key_new(dj, base, k, kn))
			r = -1;
		else {
			if (!first)
				buf_addc(dj->b, ',');
			first = false;
			buf_add_json_string(dj->b, k, kn);
			buf_addc(dj->b, ':');
			r = dj_value(dj, js);
		}
		if (r == -1)
			break;
	}
	dj->nkeys = base;
	if (r == -1)
		return -1;
	buf_addc(dj->b, '}');
	return 0;
}

static int
dj_array(struct dj *dj, struct jscan *js)
{
	bool first = true;
	int r;

	if (jscan_array(js) == -1)
		return -1;
	buf_addc(dj->b, '[');
	while ((r = jscan_elem(js)) == 1) {
		if (!first)
			buf_addc(dj->b, ',');
		first = false;
		if (dj_value(dj, js) == -1)
			return -1;
	}
	if (r == -1)
		return -1;
	buf_addc(dj->b, ']');
	return 0;
}

/* jnorm turns a number jansson cannot hold into a string of its text;
 * integers print as jansson prints them; reals go through jansson. */
static int
dj_number(struct dj *dj, struct jscan *js)
{
	struct jnum num;

	if (jscan_number(js, &num) == -1)
		return -1;
	if (!jnorm_number_fits(&num))
		buf_add_json_string(dj->b, num.text, num.len);
	else if (num.class == JNUM_INT)
		buf_printf(dj->b, "%" PRId64, num.i);
	else
		return span_detail_write_real(dj->b, num.text, num.len);
	return 0;
}

/* Any value, as span_detail.c's json_write writes it. */
static int
dj_value(struct dj *dj, struct jscan *js)
{
	const char *s;
	size_t n;

	switch (jscan_peek(js)) {
	case JSCAN_OBJECT:
		return dj_object(dj, js);
	case JSCAN_ARRAY:
		return dj_array(dj, js);
	case JSCAN_STRING:
		if (jscan_string(js, &s, &n) == -1)
			return -1;
		buf_add_json_string(dj->b, s, n);
		return 0;
	case JSCAN_NUMBER:
		return dj_number(dj, js);
	case JSCAN_TRUE:
	case JSCAN_FALSE:
	case JSCAN_NULL:
		switch (jscan_literal(js)) {
		case JSCAN_TRUE:
			buf_adds(dj->b, "true");
			return 0;
		case JSCAN_FALSE:
			buf_adds(dj->b, "false");
			return 0;
		case JSCAN_NULL:
			buf_adds(dj->b, "null");
			return 0;
		default:
			return -1;
		}
	default:
		return -1;
	}
}

/* Cursors at the last value of each of the keys in names (NULL-ended)
 * of the object at js; the rest is skipped (validated).  A key in
 * decline makes it -1. */
static int
dj_members(struct jscan *js, const char *const *names, struct dj_at *at,
    const char *decline)
{
	const char *k;
	size_t kn;
	int i, r;

	if (jscan_object(js) == -1)
		return -1;
	while ((r = jscan_key(js, &k, &kn)) == 1) {
		if (decline != NULL && dj_is(k, kn, decline))
			return -1;
		for (i = 0; names[i] != NULL; i++) {
			if (dj_is(k, kn, names[i])) {
				at[i].js = *js;
				at[i].set = true;
				break;
			}
		}
		if (jscan_skip(js) == -1)
			return -1;
	}
	return r;
}

/* The string at a cursor, decoded; false when it is not a string. */
static bool
dj_string(struct dj_at *at, const char **s, size_t *n)
{
	return at->set && jscan_peek(&at->js) == JSCAN_STRING &&
	    jscan_string(&at->js, s, n) == 0;
}

/* Whether the value is an object (json_object_get on anything else
 * finds nothing). */
static bool
dj_is_object(struct dj_at *at)
{
	return at->set && jscan_peek(&at->js) == JSCAN_OBJECT;
}

/* kv_list_from then kv_list_write: a plain object is copied; an OTLP
 * list is left to jansson unless empty; anything else is no attributes. */
static int
dj_attrs(struct dj *dj, struct dj_at *at)
{
	struct jscan js;

	if (at->set) {
		switch (jscan_peek(&at->js)) {
		case JSCAN_OBJECT:
			return dj_object(dj, &at->js);
		case JSCAN_ARRAY:
			js = at->js;
			if (jscan_array(&js) == -1 || jscan_elem(&js) != 0)
				return -1;
			break;
		default:
			break;
		}
	}
	buf_adds(dj->b, "{}");
	return 0;
}

/* The span's id, as field_id(root, SKF_SPAN_ID) looks for it: without
 * one span_detail.c fails, and says so itself. */
static bool
dj_usable_id(struct dj_at *at)
{
	const char *s;
	size_t n;
	bool upper;

	return dj_string(at, &s, &n) && span_id_trim(&s, &n, &upper);
}

static bool
dj_has_span_id(struct dj_at *context, struct dj_at *span_id,
    struct dj_at *spanId)
{
	static const char *const names[] = { "span_id", NULL };
	struct dj_at in[1] = { { .set = false } };
	struct jscan js;

	if (dj_is_object(context)) {
		js = context->js;
		if (dj_members(&js, names, in, NULL) == -1)
			return false;
		if (dj_usable_id(&in[0]))
			return true;
	}
	return dj_usable_id(span_id) || dj_usable_id(spanId);
}

/* detail_status: the description of a status object, if a non-empty
 * string ("description" if present at all, else "message"). */
static int
dj_status_description(struct dj *dj, struct dj_at *status)
{
	static const char *const names[] = { "description", "message", NULL };
	struct dj_at in[2] = { { .set = false }, { .set = false } };
	struct dj_at *desc;
	const char *s;
	size_t n;

	if (dj_is_object(status)) {
		if (dj_members(&status->js, names, in, NULL) == -1)
			return -1;
		desc = in[0].set ? &in[0] : &in[1];
		if (dj_string(desc, &s, &n) && n != 0) {
			buf_add_json_string(dj->b, s, n);
			return 0;
		}
	}
	buf_adds(dj->b, "null");
	return 0;
}

/* time_from(timestamp, RFC 3339), else time_from(timeUnixNano, nanos). */
static int64_t
dj_event_time(struct dj_at *ts, struct dj_at *unix_nano)
{
	struct jnum num;
	const char *s;
	size_t n;
	int64_t ns;

	if (dj_string(ts, &s, &n) && span_parse_time(s, n, &ns) == 0)
		return ns;
	if (!unix_nano->set)
		return SPAN_TIME_NONE;
	if (dj_string(unix_nano, &s, &n))
		return span_time_unix_nano(s, n, &ns) == 0 ? ns : SPAN_TIME_NONE;
	if (jscan_peek(&unix_nano->js) != JSCAN_NUMBER ||
	    jscan_number(&unix_nano->js, &num) == -1)
		return SPAN_TIME_NONE;
	/* After jnorm an integer beyond 64 bits is a string of its text. */
	if (num.class == JNUM_INT)
		return span_time_int(num.i, &ns) == 0 ? ns : SPAN_TIME_NONE;
	if (!jnorm_number_fits(&num))
		return span_time_unix_nano(num.text, num.len, &ns) == 0 ? ns :
		    SPAN_TIME_NONE;
	return SPAN_TIME_NONE;
}

static int
dj_event(struct dj *dj, struct jscan *js)
{
	static const char *const names[] = { "name", "timestamp",
		"timeUnixNano", "attributes", NULL };
	struct dj_at in[4];
	const char *s;
	size_t n;

	memset(in, 0, sizeof in);
	if (dj_members(js, names, in, NULL) == -1)
		return -1;
	buf_adds(dj->b, "{\"name\":");
	if (dj_string(&in[0], &s, &n))
		buf_add_json_string(dj->b, s, n);
	else
		buf_adds(dj->b, "\"\"");
	buf_adds(dj->b, ",\"timestamp\":");
	span_detail_write_time(dj->b, dj_event_time(&in[1], &in[2]));
	buf_adds(dj->b, ",\"attributes\":");
	if (dj_attrs(dj, &in[3]) == -1)
		return -1;
	buf_addc(dj->b, '}');
	return 0;
}

/* span_detail_events_json: the objects of an array, others left out. */
static int
dj_events(struct dj *dj, struct dj_at *at)
{
	struct jscan *js = &at->js;
	bool first = true;
	int r;

	buf_addc(dj->b, '[');
	if (at->set && jscan_peek(js) == JSCAN_ARRAY) {
		if (jscan_array(js) == -1)
			return -1;
		while ((r = jscan_elem(js)) == 1) {
			if (jscan_peek(js) != JSCAN_OBJECT) {
				if (jscan_skip(js) == -1)
					return -1;
				continue;
			}
			if (!first)
				buf_addc(dj->b, ',');
			first = false;
			if (dj_event(dj, js) == -1)
				return -1;
		}
		if (r == -1)
			return -1;
	}
	buf_addc(dj->b, ']');
	return 0;
}

/* The resource's attributes, when the resource is an object. */
static int
dj_resource(struct dj *dj, struct dj_at *resource)
{
	static const char *const names[] = { "attributes", NULL };
	struct dj_at in[1] = { { .set = false } };

	if (dj_is_object(resource) &&
	    dj_members(&resource->js, names, in, NULL) == -1)
		return -1;
	return dj_attrs(dj, &in[0]);
}

enum {
	DJ_ATTRIBUTES, DJ_EVENTS, DJ_STATUS, DJ_RESOURCE, DJ_CONTEXT,
	DJ_SPAN_ID, DJ_SPANID, DJ_NROOT
};

static int
dj_fields(struct dj *dj, struct dj_at *at)
{
	buf_adds(dj->b, ",\"status_description\":");
	if (dj_status_description(dj, &at[DJ_STATUS]) == -1)
		return -1;
	buf_adds(dj->b, ",\"attributes\":");
	if (dj_attrs(dj, &at[DJ_ATTRIBUTES]) == -1)
		return -1;
	buf_adds(dj->b, ",\"events\":");
	if (dj_events(dj, &at[DJ_EVENTS]) == -1)
		return -1;
	buf_adds(dj->b, ",\"resource\":");
	return dj_resource(dj, &at[DJ_RESOURCE]);
}

int
detail_json_write(struct buf *b, const char *line, size_t len,
    unsigned index_in_line, struct jarena *arena)
{
	static const char *const names[] = { "attributes", "events", "status",
		"resource", "context", "span_id", "spanId", NULL };
	struct dj_at at[DJ_NROOT];
	struct dj dj = { b, NULL, 0, 0 };
	struct jscan js;
	size_t mark = b->len;
	int r;

	/* Only OTLP lines hold more than one span. */
	if (index_in_line != 0 || dj_too_deep(line, len))
		return -1;
	jarena_reset(arena);
	jscan_init(&js, line, len, arena);
	memset(at, 0, sizeof at);
	if (dj_members(&js, names, at, "resourceSpans") == -1 ||
	    jscan_finish(&js) == -1 ||
	    !dj_has_span_id(&at[DJ_CONTEXT], &at[DJ_SPAN_ID], &at[DJ_SPANID]))
		return -1;
	r = dj_fields(&dj, at);
	free(dj.keys);
	if (r == -1) {
		b->len = mark;
		if (b->p != NULL)
			b->p[mark] = '\0';
	}
	return r;
}

void
detail_json_fields(struct buf *b, const struct span_detail *d)
{
	char *j;

	if (d == NULL) {
		buf_adds(b, ",\"status_description\":null,\"attributes\":null,"
		    "\"events\":null,\"resource\":null");
		return;
	}
	buf_adds(b, ",\"status_description\":");
	buf_add_json_str_or_null(b, d->status_description);
	buf_adds(b, ",\"attributes\":");
	buf_adds(b, j = kv_list_to_json(&d->attrs));
	free(j);
	buf_adds(b, ",\"events\":");
	buf_adds(b, j = span_detail_events_json(d));
	free(j);
	buf_adds(b, ",\"resource\":");
	buf_adds(b, j = kv_list_to_json(&d->resource));
	free(j);
}
