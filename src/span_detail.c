/*
 * span_detail.c — one span's full detail, parsed with jansson on demand.
 *
 * The three line formats (SPEC §2) are read by one code path: every field
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
#include "span.h"
#include "span_parse.h"
#include "xmalloc.h"

static const char *const detail_kind_names[] = {
	"UNSPECIFIED", "INTERNAL", "SERVER", "CLIENT", "PRODUCER", "CONSUMER",
};

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
 * Pre-pass: rewrite what Python's json module writes but jansson refuses,
 * so such a line is still a span.  Outside strings, bare NaN, Infinity and
 * -Infinity and integers beyond int64 become JSON strings.  Inside strings,
 * lone UTF-16 surrogate escapes and bytes that are not UTF-8 become U+FFFD.
 * Copying starts only at the first rewrite; most lines need none.
 */
struct prepass {
	const char *s;
	size_t n;
	size_t i;    /* scan position */
	size_t done; /* s[0..done) is already in out */
	struct buf out;
};

static void
prepass_replace(struct prepass *pp, size_t skip, const char *with, size_t len)
{
	buf_add(&pp->out, pp->s + pp->done, pp->i - pp->done);
	buf_add(&pp->out, with, len);
	pp->i += skip;
	pp->done = pp->i;
}

static bool
prepass_match(const struct prepass *pp, const char *word)
{
	size_t len = strlen(word);

	return pp->n - pp->i >= len && memcmp(pp->s + pp->i, word, len) == 0;
}

static int
prepass_hex(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/* The code unit of a \uXXXX escape at s[i], or -1 if it is not one. */
static long
prepass_escape_unit(const struct prepass *pp, size_t i)
{
	long u = 0;
	size_t k;

	if (pp->n - i < 6 || pp->s[i] != '\\' || pp->s[i + 1] != 'u')
		return -1;
	for (k = i + 2; k < i + 6; k++) {
		if (prepass_hex(pp->s[k]) < 0)
			return -1;
		u = u * 16 + prepass_hex(pp->s[k]);
	}
	return u;
}

/* At a backslash inside a string. */
static void
prepass_escape(struct prepass *pp)
{
	long u = prepass_escape_unit(pp, pp->i), lo;

	if (u >= 0xd800 && u <= 0xdbff) {
		lo = prepass_escape_unit(pp, pp->i + 6);
		if (lo >= 0xdc00 && lo <= 0xdfff)
			pp->i += 12;
		else
			prepass_replace(pp, 6, "\\ufffd", 6);
	} else if (u >= 0xdc00 && u <= 0xdfff)
		prepass_replace(pp, 6, "\\ufffd", 6);
	else if (u >= 0)
		pp->i += 6;
	else
		pp->i += pp->n - pp->i >= 2 ? 2 : 1;
}

/* Whether digits (no sign, no leading zero) exceed int64 with this sign. */
static bool
prepass_too_big(const char *digits, size_t n, bool negative)
{
	const char *limit = negative ? "9223372036854775808" :
	    "9223372036854775807";

	if (n != 19)
		return n > 19;
	return memcmp(digits, limit, 19) > 0;
}

/* At a '-' or digit outside a string. */
static void
prepass_number(struct prepass *pp)
{
	size_t start = pp->i, digits, end;
	bool integer = true;

	digits = start + (pp->s[start] == '-');
	for (end = start; end < pp->n; end++) {
		if (strchr("0123456789+-.eE", pp->s[end]) == NULL)
			break;
		if (end >= digits && (pp->s[end] < '0' || pp->s[end] > '9'))
			integer = false;
	}
	/* A leading zero is invalid JSON: leave it for jansson to refuse. */
	if (integer && end > digits && pp->s[digits] != '0' &&
	    prepass_too_big(pp->s + digits, end - digits, digits != start)) {
		buf_add(&pp->out, pp->s + pp->done, start - pp->done);
		buf_addc(&pp->out, '"');
		buf_add(&pp->out, pp->s + start, end - start);
		buf_addc(&pp->out, '"');
		pp->done = end;
	}
	pp->i = end;
}

static void
prepass_outside(struct prepass *pp, bool *in_string)
{
	unsigned char c = pp->s[pp->i];

	if (c == '"') {
		*in_string = true;
		pp->i++;
	} else if (c == 'N' && prepass_match(pp, "NaN"))
		prepass_replace(pp, 3, "\"NaN\"", 5);
	else if (c == 'I' && prepass_match(pp, "Infinity"))
		prepass_replace(pp, 8, "\"Infinity\"", 10);
	else if (c == '-' && prepass_match(pp, "-Infinity"))
		prepass_replace(pp, 9, "\"-Infinity\"", 11);
	else if (c == '-' || (c >= '0' && c <= '9'))
		prepass_number(pp);
	else
		pp->i++;
}

static void
prepass_inside(struct prepass *pp, bool *in_string)
{
	unsigned char c = pp->s[pp->i];
	unsigned cp;
	size_t len;

	if (c == '"') {
		*in_string = false;
		pp->i++;
	} else if (c == '\\')
		prepass_escape(pp);
	else if (c >= 0x80) {
		len = utf8_decode((const unsigned char *)pp->s + pp->i,
		    pp->n - pp->i, &cp);
		if (len == 0)
			prepass_replace(pp, 1, "\xef\xbf\xbd", 3);
		else
			pp->i += len;
	} else
		pp->i++;
}

/* Returns the text to parse: line itself, or pp->out holding the rewrite. */
static const char *
prepass_run(struct prepass *pp, const char *line, size_t len, size_t *outlen)
{
	bool in_string = false;

	memset(pp, 0, sizeof *pp);
	pp->s = line;
	pp->n = len;
	while (pp->i < pp->n) {
		if (in_string)
			prepass_inside(pp, &in_string);
		else
			prepass_outside(pp, &in_string);
	}
	if (pp->out.len == 0) {
		*outlen = len;
		return line;
	}
	buf_add(&pp->out, pp->s + pp->done, pp->n - pp->done);
	*outlen = pp->out.len;
	return pp->out.p;
}

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

	if (!json_is_string(v))
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

/* An OTLP AnyValue as the plain JSON value it stands for (new reference). */
static json_t *
otlp_value(json_t *any)
{
	json_t *v;

	if ((v = MEMBER(any, "stringValue", "boolValue", "bytesValue")) != NULL)
		return json_incref(v);
	if ((v = MEMBER(any, "intValue", "doubleValue")) != NULL)
		return otlp_number(v);
	if ((v = json_object_get(any, "arrayValue")) != NULL)
		return otlp_array(json_object_get(v, "values"));
	if ((v = json_object_get(any, "kvlistValue")) != NULL)
		return otlp_kvlist(json_object_get(v, "values"));
	return json_null();
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

/* An id lower-cased without its "0x"; NULL when absent, null or "". */
static char *
id_new(json_t *v)
{
	const char *s = json_string_value(v);
	char *id, *p;

	if (s == NULL || *s == '\0')
		return NULL;
	id = xstrdup(s);
	for (p = id; *p != '\0'; p++) {
		if (*p >= 'A' && *p <= 'Z')
			*p += 'a' - 'A';
	}
	if (id[0] == '0' && id[1] == 'x')
		memmove(id, id + 2, strlen(id + 2) + 1);
	return id;
}

static char *
id_or_empty(json_t *v)
{
	char *id = id_new(v);

	return id != NULL ? id : xstrdup("");
}

/* The SDK keeps span and link ids in "context". */
static json_t *
id_member(json_t *o, const char *snake, const char *camel)
{
	json_t *v;

	v = json_object_get(json_object_get(o, "context"), snake);
	if (v == NULL)
		v = MEMBER(o, snake, camel);
	return v;
}

/* Unix ns from decimal ns (OTLP, string or number) or RFC 3339 text;
 * OTLP's 0 means unset. */
static int64_t
time_from(json_t *v)
{
	const char *s = json_string_value(v), *p;
	int64_t ns = 0;
	size_t len;

	if (json_is_integer(v))
		ns = json_integer_value(v);
	else if (s != NULL) {
		len = json_string_length(v);
		for (p = s; *p >= '0' && *p <= '9'; p++) {
			if (ns > (INT64_MAX - (*p - '0')) / 10)
				return SPAN_TIME_NONE;
			ns = ns * 10 + (*p - '0');
		}
		if (p == s || *p != '\0') {
			if (span_parse_time(s, len, &ns) != 0)
				return SPAN_TIME_NONE;
			return ns;
		}
	}
	return ns != 0 ? ns : SPAN_TIME_NONE;
}

/* "SpanKind.CLIENT" (SDK), "SPAN_KIND_CLIENT" or 3 (OTLP) → "CLIENT". */
static char *
kind_new(json_t *v)
{
	const char *s = json_string_value(v);
	json_int_t k;

	if (json_is_integer(v)) {
		k = json_integer_value(v);
		if (k < 0 || k > 5)
			return NULL;
		return xstrdup(detail_kind_names[k]);
	}
	if (s == NULL)
		return NULL;
	if (strncmp(s, "SpanKind.", 9) == 0)
		s += 9;
	else if (strncmp(s, "SPAN_KIND_", 10) == 0)
		s += 10;
	return *s != '\0' ? xstrdup(s) : NULL;
}

/* "OK"/"ERROR" (SDK), 1/2 or "STATUS_CODE_OK" (OTLP); else unset. */
static const char *
status_name(json_t *code)
{
	const char *s = json_string_value(code);

	if (json_is_integer(code)) {
		switch (json_integer_value(code)) {
		case 1:
			return "ok";
		case 2:
			return "error";
		}
		return "unset";
	}
	if (s == NULL)
		return "unset";
	if (strncmp(s, "STATUS_CODE_", 12) == 0)
		s += 12;
	if (strcasecmp(s, "ok") == 0)
		return "ok";
	if (strcasecmp(s, "error") == 0)
		return "error";
	return "unset";
}

static void
detail_status(struct span_detail *d, json_t *status)
{
	json_t *desc;

	if (json_is_object(status)) {
		d->status = xstrdup(status_name(MEMBER(status, "status_code",
		    "code")));
		desc = MEMBER(status, "description", "message");
		if (json_is_string(desc) && json_string_length(desc) != 0) {
			d->status_description =
			    xstrdup(json_string_value(desc));
		}
	} else
		d->status = xstrdup(status_name(status));
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
		e->time_ns = time_from(MEMBER(item, "timestamp",
		    "timeUnixNano"));
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
		l->trace_id = id_or_empty(id_member(item, "trace_id",
		    "traceId"));
		l->span_id = id_or_empty(id_member(item, "span_id", "spanId"));
		kv_list_from(&l->attrs, json_object_get(item, "attributes"));
	}
}

/* Any format's span object; resource is where its format keeps it. */
static struct span_detail *
detail_from_span(json_t *span, json_t *resource)
{
	struct span_detail *d = xcalloc(1, sizeof *d);

	d->name = string_or_empty(json_object_get(span, "name"));
	d->span_id = id_or_empty(id_member(span, "span_id", "spanId"));
	d->trace_id = id_or_empty(id_member(span, "trace_id", "traceId"));
	d->parent_id = id_new(MEMBER(span, "parent_id", "parent_span_id",
	    "parentSpanId"));
	d->kind = kind_new(json_object_get(span, "kind"));
	detail_status(d, json_object_get(span, "status"));
	d->start_ns = time_from(MEMBER(span, "start_time",
	    "startTimeUnixNano"));
	d->end_ns = time_from(MEMBER(span, "end_time", "endTimeUnixNano"));
	kv_list_from(&d->attrs, json_object_get(span, "attributes"));
	detail_events(d, json_object_get(span, "events"));
	detail_links(d, json_object_get(span, "links"));
	kv_list_from(&d->resource, json_object_get(resource, "attributes"));
	return d;
}

/* Spans are numbered across all resourceSpans and scopeSpans in order. */
static struct span_detail *
detail_from_otlp(json_t *resource_spans, unsigned index, char **cause)
{
	json_t *rs, *ss, *spans, *span;
	size_t i, j, n;
	unsigned left = index;

	json_array_foreach(resource_spans, i, rs) {
		json_array_foreach(MEMBER(rs, "scopeSpans",
		    "instrumentationLibrarySpans"), j, ss) {
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
	if (id_member(root, "span_id", "spanId") == NULL) {
		*cause = xasprintf("span detail: line is not a span "
		    "(no span id)");
		return NULL;
	}
	return detail_from_span(root, json_object_get(root, "resource"));
}

struct span_detail *
span_detail_parse(const char *line, size_t len, unsigned index_in_line,
    char **cause)
{
	struct span_detail *d;
	struct prepass pp;
	json_error_t err;
	const char *text;
	json_t *root;
	size_t n;

	text = prepass_run(&pp, line, len, &n);
	/* jansson stops at JSON_PARSER_MAX_DEPTH, so deep input fails here. */
	root = json_loadb(text, n, JSON_DECODE_ANY | JSON_ALLOW_NUL, &err);
	buf_free(&pp.out);
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

	for (i = 0; i < d->attrs.n; i++) {
		if (strcmp(d->attrs.v[i].key, key) == 0)
			return &d->attrs.v[i];
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

/* RFC 3339 UTC with microseconds, as a JSON string, or null. */
static void
time_write(struct buf *b, int64_t ns)
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
		time_write(&b, e->time_ns);
		buf_adds(&b, ",\"attributes\":");
		kv_list_write(&b, &e->attrs);
		buf_addc(&b, '}');
	}
	buf_addc(&b, ']');
	return buf_detach(&b);
}
