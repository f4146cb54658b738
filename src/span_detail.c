/* SPDX-License-Identifier: MIT */
/*
 * span_detail.c — one span's full detail, parsed with jansson on demand.
 *
 * The three line formats (doc/reference.md §2) are read by one code path: every field
 * is looked up under each of the names the formats use for it, and
 * attributes may be a plain object (SDK, flat) or an OTLP key/value list.
 * Only finding the span inside an OTLP line and its resource is specific
 * to one format.
 */
#include "span_detail.h"

#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include <jansson.h>

#include "buf.h"
#include "jnorm.h"
#include "span.h"
#include "span_parse.h"
#include "xmalloc.h"

static json_t	*otlp_value(json_t *);

/* The first of the NULL-terminated keys that object o has, or NULL. */
static json_t *
member(json_t *o, const char *const *keys)
{
	json_t *v;

	for (; *keys != NULL; keys++) {
		if ((v = json_object_get(o, *keys)) != NULL)
			return v;
	}
	return NULL;
}
#define MEMBER(o, ...) member((o), (const char *const []){ __VA_ARGS__, NULL })

/*
 * jansson prints reals with 17 significant digits (0.7 becomes
 * 0.69999999999999996); use the shortest of 15, 16 or 17 that reads back
 * as the same double.  jansson formats and reads so that the decimal
 * point is '.' whatever LC_NUMERIC says.
 */
static void
json_write_real(struct buf *b, json_t *v)
{
	char text[64];
	json_t *back;
	size_t n = 0;
	bool same;
	int p;

	for (p = 15; p <= 17; p++) {
		n = json_dumpb(v, text, sizeof text,
		    JSON_ENCODE_ANY | JSON_REAL_PRECISION(p));
		if (n == 0 || n > sizeof text)
			break;
		back = json_loadb(text, n, JSON_DECODE_ANY, NULL);
		same = json_is_real(back) &&
		    json_real_value(back) == json_real_value(v);
		json_decref(back);
		if (same)
			break;
	}
	if (n == 0 || n > sizeof text)
		buf_adds(b, "null");
	else
		buf_add(b, text, n);
}

int
span_detail_write_real(struct buf *b, const char *text, size_t len)
{
	json_t *v;

	/* jansson reads the number as it reads it inside a line. */
	v = json_loadb(text, len, JSON_DECODE_ANY, NULL);
	if (!json_is_real(v)) {
		json_decref(v);
		return -1;
	}
	json_write_real(b, v);
	json_decref(v);
	return 0;
}

/* Compact JSON; strings keep embedded NULs as \u0000. */
static void
json_write(struct buf *b, json_t *v)
{
	const char *key;
	size_t key_len, i;
	json_t *item;
	bool first = true;

	switch (json_typeof(v)) {
	case JSON_OBJECT:
		buf_addc(b, '{');
		json_object_keylen_foreach(v, key, key_len, item) {
			if (!first)
				buf_addc(b, ',');
			first = false;
			buf_add_json_string(b, key, key_len);
			buf_addc(b, ':');
			json_write(b, item);
		}
		buf_addc(b, '}');
		break;
	case JSON_ARRAY:
		buf_addc(b, '[');
		json_array_foreach(v, i, item) {
			if (i != 0)
				buf_addc(b, ',');
			json_write(b, item);
		}
		buf_addc(b, ']');
		break;
	case JSON_STRING:
		buf_add_json_string(b, json_string_value(v),
		    json_string_length(v));
		break;
	case JSON_INTEGER:
		buf_printf(b, "%" JSON_INTEGER_FORMAT, json_integer_value(v));
		break;
	case JSON_REAL:
		json_write_real(b, v);
		break;
	case JSON_TRUE:
		buf_adds(b, "true");
		break;
	case JSON_FALSE:
		buf_adds(b, "false");
		break;
	case JSON_NULL:
		buf_adds(b, "null");
		break;
	}
}

/*
 * OTLP sends int64 (and may send doubles) as decimal strings.  A string
 * that is not a number jansson can hold — "NaN", a 30-digit integer —
 * stays a string.
 */
static json_t *
otlp_number(json_t *v)
{
	json_t *n;

	/* The index pass's test, so both see a number or both text. */
	if (!json_is_string(v) || !span_otlp_number(json_string_value(v),
	    json_string_length(v), NULL))
		return json_incref(v);
	n = json_loadb(json_string_value(v), json_string_length(v),
	    JSON_DECODE_ANY, NULL);
	if (json_is_number(n))
		return n;
	json_decref(n);
	return json_incref(v);
}

static json_t *
otlp_array(json_t *values)
{
	json_t *a = json_array(), *item;
	size_t i;

	json_array_foreach(values, i, item)
		json_array_append_new(a, otlp_value(item));
	return a;
}

static json_t *
otlp_kvlist(json_t *values)
{
	json_t *o = json_object(), *item, *key;
	size_t i;

	json_array_foreach(values, i, item) {
		key = json_object_get(item, "key");
		if (json_is_string(key)) {
			json_object_setn_new(o, json_string_value(key),
			    json_string_length(key),
			    otlp_value(json_object_get(item, "value")));
		}
	}
	return o;
}

/* An OTLP AnyValue as the plain JSON value it stands for (new
 * reference): its first member in span_any_value_keys[] order. */
static json_t *
otlp_value(json_t *any)
{
	json_t *v;
	int i;

	for (i = 0; i < SPAN_NANY_KEYS; i++) {
		if ((v = json_object_get(any, span_any_value_keys[i])) != NULL)
			break;
	}
	switch (i) {
	case SPAN_ANY_STRING:
	case SPAN_ANY_BOOL:
	case SPAN_ANY_BYTES:
		return json_incref(v);
	case SPAN_ANY_INT:
	case SPAN_ANY_DOUBLE:
		return otlp_number(v);
	case SPAN_ANY_ARRAY:
		return otlp_array(json_object_get(v, "values"));
	case SPAN_ANY_KVLIST:
		return otlp_kvlist(json_object_get(v, "values"));
	default:
		return json_null();
	}
}

static void
kv_set(struct kv *kv, const char *key, json_t *value)
{
	struct buf b = BUF_INIT;

	json_write(&b, value);
	kv->key = xstrdup(key);
	kv->json = buf_detach(&b);
	kv->str = json_is_string(value) ?
	    xstrdup(json_string_value(value)) : NULL;
}

/* Attributes as a plain object (SDK, flat) or an OTLP key/value list. */
static void
kv_list_from(struct kv_list *l, json_t *attrs)
{
	const char *key;
	json_t *value, *item, *k;
	size_t i;

	if (json_is_object(attrs)) {
		l->v = xcalloc(json_object_size(attrs), sizeof *l->v);
		json_object_foreach(attrs, key, value)
			kv_set(&l->v[l->n++], key, value);
	} else if (json_is_array(attrs)) {
		l->v = xcalloc(json_array_size(attrs), sizeof *l->v);
		json_array_foreach(attrs, i, item) {
			k = json_object_get(item, "key");
			if (!json_is_string(k))
				continue;
			value = otlp_value(json_object_get(item, "value"));
			kv_set(&l->v[l->n++], json_string_value(k), value);
			json_decref(value);
		}
	}
}

static void
kv_list_clear(struct kv_list *l)
{
	size_t i;

	for (i = 0; i < l->n; i++) {
		free(l->v[i].key);
		free(l->v[i].json);
		free(l->v[i].str);
	}
	free(l->v);
}

static char *
string_or_empty(json_t *v)
{
	return xstrdup(json_is_string(v) ? json_string_value(v) : "");
}

/*
 * The field rules are span_parse.c's (span_parse.h): one copy, so the
 * inspector and the tree never disagree.  jansson keeps the last of a
 * repeated key, which is the rule, and its strings are C strings here,
 * which end at a NUL as the rule says.
 */

/* An id as span_id_trim() says, lower-cased; NULL when it is no id. */
static char *
id_new(json_t *v)
{
	const char *s = json_string_value(v);
	size_t n, i;
	bool upper;
	char *id;

	if (s == NULL)
		return NULL;
	n = json_string_length(v);
	if (!span_id_trim(&s, &n, &upper))
		return NULL;
	id = xmalloc(n + 1);
	for (i = 0; i < n; i++)
		id[i] = s[i] >= 'A' && s[i] <= 'Z' ? (char)(s[i] - 'A' + 'a') :
		    s[i];
	id[n] = '\0';
	return id;
}

/* A time under the rule of its spelling; SPAN_TIME_NONE when unusable. */
static int64_t
time_from(json_t *v, enum span_key_rule rule)
{
	int64_t ns;

	if (rule == SKR_RFC3339 && json_is_string(v) &&
	    span_parse_time(json_string_value(v), json_string_length(v),
	    &ns) == 0)
		return ns;
	if (rule == SKR_UNIX_NANO && json_is_string(v) &&
	    span_time_unix_nano(json_string_value(v), json_string_length(v),
	    &ns) == 0)
		return ns;
	if (rule == SKR_UNIX_NANO && json_is_integer(v) &&
	    span_time_int(json_integer_value(v), &ns) == 0)
		return ns;
	return SPAN_TIME_NONE;
}

/* The value of span_keys[i] in object o (its "context" if it says so). */
static json_t *
key_value(json_t *o, int i)
{
	if (span_keys[i].in_context)
		o = json_object_get(o, "context");
	return json_object_get(o, span_keys[i].name);
}

/* A field's id from its first spelling with a usable value, or NULL. */
static char *
field_id(json_t *o, enum span_key_field field)
{
	char *id;
	int i;

	for (i = 0; i < SPAN_NKEYS; i++) {
		if (span_keys[i].field == field &&
		    (id = id_new(key_value(o, i))) != NULL)
			return id;
	}
	return NULL;
}

static char *
field_id_or_empty(json_t *o, enum span_key_field field)
{
	char *id = field_id(o, field);

	return id != NULL ? id : xstrdup("");
}

static int64_t
field_time(json_t *o, enum span_key_field field)
{
	int64_t ns;
	int i;

	for (i = 0; i < SPAN_NKEYS; i++) {
		if (span_keys[i].field == field &&
		    (ns = time_from(key_value(o, i), span_keys[i].rule)) !=
		    SPAN_TIME_NONE)
			return ns;
	}
	return SPAN_TIME_NONE;
}

/* "SpanKind.CLIENT" (SDK), "SPAN_KIND_CLIENT" or 3 (OTLP) → "CLIENT";
 * NULL when absent or not a kind (which the tree shows as unspecified). */
static char *
kind_new(json_t *v)
{
	int k = -1;

	if (json_is_integer(v))
		k = span_kind_from_int(json_integer_value(v));
	else if (json_is_string(v))
		k = span_kind_from_text(json_string_value(v),
		    json_string_length(v));
	return k >= 0 ? xstrdup(span_kind_name(k)) : NULL;
}

/* A status code under span_status_from_text/_int, or -1. */
static int
status_code(json_t *code)
{
	if (json_is_integer(code))
		return span_status_from_int(json_integer_value(code));
	if (json_is_string(code))
		return span_status_from_text(json_string_value(code),
		    json_string_length(code));
	return -1;
}

/* {"status_code"} (SDK), else {"code"} (OTLP), or the code itself. */
static void
detail_status(struct span_detail *d, json_t *status)
{
	json_t *desc;
	int code = -1;

	if (json_is_object(status)) {
		code = status_code(json_object_get(status, "status_code"));
		if (code < 0)
			code = status_code(json_object_get(status, "code"));
		desc = MEMBER(status, "description", "message");
		if (json_is_string(desc) && json_string_length(desc) != 0) {
			d->status_description =
			    xstrdup(json_string_value(desc));
		}
	} else
		code = status_code(status);
	d->status = xstrdup(span_status_name(code >= 0 ?
	    (enum span_status)code : SPAN_UNSET));
}

static void
detail_events(struct span_detail *d, json_t *events)
{
	struct span_event *e;
	json_t *item;
	size_t i;

	d->events = xcalloc(json_array_size(events), sizeof *d->events);
	json_array_foreach(events, i, item) {
		if (!json_is_object(item))
			continue;
		e = &d->events[d->nevents++];
		e->name = string_or_empty(json_object_get(item, "name"));
		e->time_ns = time_from(json_object_get(item, "timestamp"),
		    SKR_RFC3339);
		if (e->time_ns == SPAN_TIME_NONE)
			e->time_ns = time_from(json_object_get(item,
			    "timeUnixNano"), SKR_UNIX_NANO);
		kv_list_from(&e->attrs, json_object_get(item, "attributes"));
	}
}

static void
detail_links(struct span_detail *d, json_t *links)
{
	struct span_link *l;
	json_t *item;
	size_t i;

	d->links = xcalloc(json_array_size(links), sizeof *d->links);
	json_array_foreach(links, i, item) {
		if (!json_is_object(item))
			continue;
		l = &d->links[d->nlinks++];
		l->trace_id = field_id_or_empty(item, SKF_TRACE_ID);
		l->span_id = field_id_or_empty(item, SKF_SPAN_ID);
		kv_list_from(&l->attrs, json_object_get(item, "attributes"));
	}
}

/* Any format's span object; resource is where its format keeps it. */
static struct span_detail *
detail_from_span(json_t *span, json_t *resource)
{
	struct span_detail *d = xcalloc(1, sizeof *d);

	d->name = string_or_empty(json_object_get(span, "name"));
	d->span_id = field_id_or_empty(span, SKF_SPAN_ID);
	d->trace_id = field_id_or_empty(span, SKF_TRACE_ID);
	d->parent_id = field_id(span, SKF_PARENT_ID);
	d->kind = kind_new(json_object_get(span, "kind"));
	detail_status(d, json_object_get(span, "status"));
	d->start_ns = field_time(span, SKF_START);
	d->end_ns = field_time(span, SKF_END);
	kv_list_from(&d->attrs, json_object_get(span, "attributes"));
	detail_events(d, json_object_get(span, "events"));
	detail_links(d, json_object_get(span, "links"));
	kv_list_from(&d->resource, json_object_get(resource, "attributes"));
	return d;
}

/* A resourceSpans entry's scope list: the first span_scope_keys[]
 * spelling whose value is an array (span_parse.h). */
static json_t *
scope_list(json_t *rs)
{
	json_t *v;
	int i;

	for (i = 0; span_scope_keys[i] != NULL; i++) {
		if (json_is_array(v = json_object_get(rs, span_scope_keys[i])))
			return v;
	}
	return NULL;
}

/* Spans are numbered across all resourceSpans and scopeSpans in order. */
static struct span_detail *
detail_from_otlp(json_t *resource_spans, unsigned index, char **cause)
{
	json_t *rs, *ss, *spans, *span;
	size_t i, j, n;
	unsigned left = index;

	json_array_foreach(resource_spans, i, rs) {
		json_array_foreach(scope_list(rs), j, ss) {
			spans = json_object_get(ss, "spans");
			n = json_array_size(spans);
			if (left >= n) {
				left -= n;
				continue;
			}
			span = json_array_get(spans, left);
			if (!json_is_object(span))
				goto fail;
			return detail_from_span(span,
			    json_object_get(rs, "resource"));
		}
	}
fail:
	*cause = xasprintf("span detail: line has no span %u", index);
	return NULL;
}

static struct span_detail *
detail_from_root(json_t *root, unsigned index, char **cause)
{
	json_t *rs;
	char *id;

	if (!json_is_object(root)) {
		*cause = xasprintf("span detail: line is not a JSON object");
		return NULL;
	}
	if ((rs = json_object_get(root, "resourceSpans")) != NULL)
		return detail_from_otlp(rs, index, cause);
	if (index != 0) {
		*cause = xasprintf("span detail: line has no span %u", index);
		return NULL;
	}
	if ((id = field_id(root, SKF_SPAN_ID)) == NULL) {
		*cause = xasprintf("span detail: line is not a span "
		    "(no span id)");
		return NULL;
	}
	free(id);
	return detail_from_span(root, json_object_get(root, "resource"));
}

struct span_detail *
span_detail_parse(const char *line, size_t len, unsigned index_in_line,
    char **cause)
{
	struct span_detail *d;
	json_error_t err;
	json_t *root;

	/* NaN, the infinities and numbers beyond int64 or a double become
	 * strings holding their text; \u0000, lone surrogates and bad UTF-8
	 * become U+FFFD, as the index pass reads them (jnorm.h).  jansson
	 * stops at JSON_PARSER_MAX_DEPTH, so deep input fails here. */
	root = jnorm_load(line, len, JNORM_TEXT, &err);
	if (root == NULL) {
		/* After a rewrite the column is the rewritten text's: a few
		 * characters late, which is good enough to find the fault. */
		*cause = xasprintf("span detail: JSON error at column %d: %s",
		    err.column, err.text);
		return NULL;
	}
	d = detail_from_root(root, index_in_line, cause);
	json_decref(root);
	return d;
}

void
span_detail_free(struct span_detail *d)
{
	size_t i;

	if (d == NULL)
		return;
	free(d->name);
	free(d->span_id);
	free(d->parent_id);
	free(d->trace_id);
	free(d->kind);
	free(d->status);
	free(d->status_description);
	kv_list_clear(&d->attrs);
	for (i = 0; i < d->nevents; i++) {
		free(d->events[i].name);
		kv_list_clear(&d->events[i].attrs);
	}
	free(d->events);
	for (i = 0; i < d->nlinks; i++) {
		free(d->links[i].trace_id);
		free(d->links[i].span_id);
		kv_list_clear(&d->links[i].attrs);
	}
	free(d->links);
	kv_list_clear(&d->resource);
	free(d);
}

const struct kv *
span_detail_attr(const struct span_detail *d, const char *key)
{
	size_t i;

	/* The last of a repeated key, as the index pass reads it. */
	for (i = d->attrs.n; i > 0; i--) {
		if (strcmp(d->attrs.v[i - 1].key, key) == 0)
			return &d->attrs.v[i - 1];
	}
	return NULL;
}

static void
kv_list_write(struct buf *b, const struct kv_list *l)
{
	size_t i;

	buf_addc(b, '{');
	for (i = 0; i < l->n; i++) {
		if (i != 0)
			buf_addc(b, ',');
		buf_add_json_string(b, l->v[i].key, strlen(l->v[i].key));
		buf_addc(b, ':');
		buf_adds(b, l->v[i].json);
	}
	buf_addc(b, '}');
}

char *
kv_list_to_json(const struct kv_list *l)
{
	struct buf b = BUF_INIT;

	kv_list_write(&b, l);
	return buf_detach(&b);
}

void
span_detail_write_time(struct buf *b, int64_t ns)
{
	int64_t sec = ns / 1000000000, frac = ns % 1000000000;
	time_t t;
	struct tm tm;

	/* Division truncates toward zero; times before 1970 need the floor. */
	if (frac < 0) {
		frac += 1000000000;
		sec--;
	}
	t = (time_t)sec;
	if (ns == SPAN_TIME_NONE || gmtime_r(&t, &tm) == NULL) {
		buf_adds(b, "null");
		return;
	}
	buf_printf(b, "\"%04d-%02d-%02dT%02d:%02d:%02d.%06dZ\"",
	    tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday, tm.tm_hour,
	    tm.tm_min, tm.tm_sec, (int)(frac / 1000));
}

char *
span_detail_events_json(const struct span_detail *d)
{
	struct buf b = BUF_INIT;
	const struct span_event *e;
	size_t i;

	buf_addc(&b, '[');
	for (i = 0; i < d->nevents; i++) {
		e = &d->events[i];
		if (i != 0)
			buf_addc(&b, ',');
		buf_adds(&b, "{\"name\":");
		buf_add_json_string(&b, e->name, strlen(e->name));
		buf_adds(&b, ",\"timestamp\":");
		span_detail_write_time(&b, e->time_ns);
		buf_adds(&b, ",\"attributes\":");
		kv_list_write(&b, &e->attrs);
		buf_addc(&b, '}');
	}
	buf_addc(&b, ']');
	return buf_detach(&b);
}
