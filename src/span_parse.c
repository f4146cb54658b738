/* SPDX-License-Identifier: MIT */
/*
 * span_parse.c — the fast index pass: one trace line → span_fields, and
 * the span model rules (type, label, names) that go with them.
 *
 * The three layouts of doc/reference.md §2 share one walker.  A span object is read
 * by one key dispatcher that knows the names every format uses
 * (context.span_id / span_id / spanId, start_time / startTimeUnixNano,
 * ...); attributes may be a flat object (SDK, flat layout) or a list of
 * {key, value} (OTLP); a top-level "resourceSpans" makes the line an OTLP
 * batch.  Keys come in any order, so values whose precedence matters are
 * collected in a struct span_work and settled when the object ends.  Only
 * the values the model needs are decoded; jscan skips the rest.
 */
#include "span_parse.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "jnorm.h"
#include "jscan.h"
#include "xmalloc.h"

struct span_parser {
	struct jarena *arena;   /* decoded strings of the current line */
	struct span_fields *spans;
	size_t nspans, cap;
	const char *why;        /* why valid JSON is not a span */
	char error[96];
	/* An OTLP batch: its span elements so far, good and bad (span_detail
	 * numbers the spans of a line the same way), and the bad ones, which
	 * are skipped, the rest of the line kept. */
	size_t nelems;
	size_t nbad;
	size_t bad_elem;        /* the first bad one's element number */
	const char *bad_why;
	char skipped[128];
};

/* A span being read, with the candidates that are settled at its end. */
struct span_work {
	struct span_fields f;
	struct strref genai_request_model, genai_response_model;
	struct strref workflow_engine;
	struct strref attr_session_id, resource_session_id;
	struct strref event_signal;   /* signal_name of a *signal* event */
	struct strref pending_signal; /* signal_name of the event being read */
	struct strref response;       /* mcp.llm.response_json, as written */
	bool response_escaped;
	bool has_tokens;              /* a gen_ai.usage token attribute */
	/* The last value of each span_keys[] spelling (NULL / SPAN_TIME_NONE
	 * when absent or not usable), settled by settle_keys() at the end of
	 * the span: span_parse.h's rules do not depend on key order. */
	struct strref key_id[SPAN_NKEYS];
	int64_t key_ns[SPAN_NKEYS];   /* 0 is none: no rule gives time 0 */
	int8_t status_code, code;     /* status.status_code, status.code; -1 */
	bool seen_attrs;              /* "attributes" was read: a repeat resets */
};

/* Attribute keys the model cares about; values are read only for these. */
enum attr_id {
	AT_NONE,
	AT_TOOL_NAME,
	AT_LLM_MODEL,
	AT_GENAI,
	AT_GENAI_REQUEST_MODEL,
	AT_GENAI_RESPONSE_MODEL,
	AT_GENAI_INPUT_TOKENS,
	AT_GENAI_OUTPUT_TOKENS,
	AT_GENAI_CACHE_READ_TOKENS,
	AT_GENAI_CACHE_WRITE_TOKENS,
	AT_LLM_RESPONSE,
	AT_LLM_PROMPT,
	AT_RESOURCE,
	AT_RESOURCE_URI,
	AT_PROMPT,
	AT_WORKFLOW_TYPE,
	AT_AGENT_NAME,
	AT_PAUSED,
	AT_SESSION_TITLE,
	AT_ENGINE,
	AT_WORKFLOW_ENGINE,
	AT_SESSION_ID,
	AT_SIGNAL_NAME,
	AT_SIGNAL_PROMPT,
	AT_RESOURCE_SESSION_ID, /* session.id among resource attributes */
	AT_EVENT_SIGNAL,        /* signal_name among event attributes */
};

/* Where attributes come from: each place has its own keys of interest. */
enum attr_scope { SCOPE_SPAN, SCOPE_RESOURCE, SCOPE_EVENT };

enum want { WANT_NOTHING, WANT_VALUE, WANT_RAW };

static const struct attr_rule {
	unsigned flag;
	enum want want;
} attr_rules[] = {
	[AT_NONE] = { 0, WANT_NOTHING },
	[AT_TOOL_NAME] = { SF_TOOL_ATTR, WANT_VALUE },
	[AT_LLM_MODEL] = { 0, WANT_VALUE },
	[AT_GENAI] = { SF_GENAI_ATTR, WANT_NOTHING },
	[AT_GENAI_REQUEST_MODEL] = { SF_GENAI_ATTR, WANT_VALUE },
	[AT_GENAI_RESPONSE_MODEL] = { SF_GENAI_ATTR, WANT_VALUE },
	[AT_GENAI_INPUT_TOKENS] = { SF_GENAI_ATTR, WANT_VALUE },
	[AT_GENAI_OUTPUT_TOKENS] = { SF_GENAI_ATTR, WANT_VALUE },
	[AT_GENAI_CACHE_READ_TOKENS] = { SF_GENAI_ATTR, WANT_VALUE },
	[AT_GENAI_CACHE_WRITE_TOKENS] = { SF_GENAI_ATTR, WANT_VALUE },
	[AT_LLM_RESPONSE] = { SF_LLM_RESPONSE, WANT_RAW },
	[AT_LLM_PROMPT] = { SF_LLM_PROMPT, WANT_NOTHING },
	[AT_RESOURCE] = { SF_RESOURCE_ATTR, WANT_NOTHING },
	[AT_RESOURCE_URI] = { SF_RESOURCE_ATTR, WANT_VALUE },
	[AT_PROMPT] = { SF_PROMPT_ATTR, WANT_NOTHING },
	[AT_WORKFLOW_TYPE] = { SF_WORKFLOW_TYPE, WANT_VALUE },
	[AT_AGENT_NAME] = { SF_AGENT_NAME, WANT_VALUE },
	[AT_PAUSED] = { 0, WANT_VALUE },
	[AT_SESSION_TITLE] = { 0, WANT_VALUE },
	[AT_ENGINE] = { 0, WANT_VALUE },
	[AT_WORKFLOW_ENGINE] = { 0, WANT_VALUE },
	[AT_SESSION_ID] = { 0, WANT_VALUE },
	[AT_SIGNAL_NAME] = { 0, WANT_VALUE },
	[AT_SIGNAL_PROMPT] = { 0, WANT_VALUE },
	[AT_RESOURCE_SESSION_ID] = { 0, WANT_VALUE },
	[AT_EVENT_SIGNAL] = { 0, WANT_VALUE },
};

#define KEY(s, id) { s, sizeof s - 1, id }
static const struct attr_key {
	const char *key;
	size_t len;
	enum attr_id id;
} span_attr_keys[] = {
	KEY("mcp.tool.name", AT_TOOL_NAME),
	KEY("mcp.llm.model", AT_LLM_MODEL),
	KEY("gen_ai.request.model", AT_GENAI_REQUEST_MODEL),
	KEY("gen_ai.response.model", AT_GENAI_RESPONSE_MODEL),
	KEY("gen_ai.usage.input_tokens", AT_GENAI_INPUT_TOKENS),
	KEY("gen_ai.usage.output_tokens", AT_GENAI_OUTPUT_TOKENS),
	KEY("gen_ai.usage.cache_read.input_tokens", AT_GENAI_CACHE_READ_TOKENS),
	KEY("gen_ai.usage.cache_creation.input_tokens", AT_GENAI_CACHE_WRITE_TOKENS),
	KEY("mcp.llm.response_json", AT_LLM_RESPONSE),
	KEY("mcp.llm.prompt_json", AT_LLM_PROMPT),
	KEY("mcp.resource.uri", AT_RESOURCE_URI),
	KEY("mcp.workflow.type", AT_WORKFLOW_TYPE),
	KEY("mcp.agent.name", AT_AGENT_NAME),
	KEY("mcp.session.paused", AT_PAUSED),
	KEY("mcp.session.title", AT_SESSION_TITLE),
	KEY("mcp.engine.type", AT_ENGINE),
	KEY("mcp.workflow.engine", AT_WORKFLOW_ENGINE),
	KEY("session.id", AT_SESSION_ID),
	KEY("mcp.signal.name", AT_SIGNAL_NAME),
	KEY("mcp.signal.prompt", AT_SIGNAL_PROMPT),
};
#undef KEY

/* An attribute value as far as the model looks at it. */
enum val_type {
	VAL_OTHER, VAL_STRING, VAL_NUMBER, VAL_TRUE, VAL_FALSE, VAL_NULL
};

struct attr_val {
	enum val_type type;
	struct strref s;   /* VAL_STRING: decoded, or as written for WANT_RAW */
	bool escaped;      /* WANT_RAW: s still holds escapes */
	struct jnum num;   /* VAL_NUMBER */
};

static bool
str_eq(const char *s, size_t n, const char *lit, size_t litn)
{
	return n == litn && memcmp(s, lit, n) == 0;
}
#define STR_EQ(s, n, lit) str_eq(s, n, lit, sizeof lit - 1)

static bool
str_prefix(const char *s, size_t n, const char *lit, size_t litn)
{
	return n >= litn && memcmp(s, lit, litn) == 0;
}
#define STR_PREFIX(s, n, lit) str_prefix(s, n, lit, sizeof lit - 1)

static char
ascii_lower(char c)
{
	return c >= 'A' && c <= 'Z' ? (char)(c - 'A' + 'a') : c;
}

/* s[0..n) equals lit, ignoring ASCII case. */
static bool
ascii_caseeq(const char *s, size_t n, const char *lit)
{
	size_t i;

	if (n != strlen(lit))
		return false;
	for (i = 0; i < n; i++) {
		if (ascii_lower(s[i]) != ascii_lower(lit[i]))
			return false;
	}
	return true;
}

/* Does s[0..n) contain the text lit? (memmem is not in C11.) */
static bool
str_contains(const char *s, size_t n, const char *lit)
{
	size_t litn = strlen(lit);
	const char *p = s, *end = s + n, *hit;

	while ((size_t)(end - p) >= litn &&
	    (hit = memchr(p, lit[0], (size_t)(end - p) - litn + 1)) != NULL) {
		if (memcmp(hit, lit, litn) == 0)
			return true;
		p = hit + 1;
	}
	return false;
}

static struct strref
ref(const char *p, size_t n)
{
	struct strref r = { p, n };

	return r;
}

static enum attr_id
attr_lookup(enum attr_scope scope, const char *k, size_t n)
{
	size_t i;

	switch (scope) {
	case SCOPE_RESOURCE:
		return STR_EQ(k, n, "session.id") ? AT_RESOURCE_SESSION_ID :
		    AT_NONE;
	case SCOPE_EVENT:
		return STR_EQ(k, n, "signal_name") ? AT_EVENT_SIGNAL : AT_NONE;
	case SCOPE_SPAN:
		break;
	}
	/* Most keys are someone else's: reject them on the first byte. */
	if (n == 0 || (k[0] != 'm' && k[0] != 'g' && k[0] != 's'))
		return AT_NONE;
	for (i = 0; i < sizeof span_attr_keys / sizeof span_attr_keys[0]; i++) {
		if (str_eq(k, n, span_attr_keys[i].key, span_attr_keys[i].len))
			return span_attr_keys[i].id;
	}
	if (STR_PREFIX(k, n, "gen_ai."))
		return AT_GENAI;
	if (STR_PREFIX(k, n, "mcp.resource."))
		return AT_RESOURCE;
	if (STR_PREFIX(k, n, "mcp.prompt."))
		return AT_PROMPT;
	return AT_NONE;
}

/* The whole of s[0..n) as one JSON number ("812" in an OTLP intValue). */
static bool
string_number(const char *s, size_t n, struct jnum *num)
{
	struct jscan js;

	jscan_init(&js, s, n, NULL);
	return jscan_peek(&js) == JSCAN_NUMBER && jscan_number(&js, num) == 0 &&
	    jscan_finish(&js) == 0;
}

bool
span_otlp_number(const char *s, size_t n, struct jnum *num)
{
	struct jnum tmp;

	if (num == NULL)
		num = &tmp;
	/* jansson's limits, as the detail pre-pass applies them. */
	return string_number(s, n, num) && jnorm_number_fits(num);
}

/* A token count: a non-negative integer, or a string holding one. */
static bool
val_count(const struct attr_val *v, int64_t *out)
{
	struct jnum num;

	if (v->type == VAL_NUMBER)
		num = v->num;
	else if (v->type != VAL_STRING || !string_number(v->s.p, v->s.n, &num))
		return false;
	if (num.class != JNUM_INT || num.i < 0)
		return false;
	*out = num.i;
	return true;
}

/* doc/reference.md §3 "truthy": true, a non-zero number, or a non-empty string other
 * than "false" (any case) and "0". */
static bool
val_truthy(const struct attr_val *v)
{
	switch (v->type) {
	case VAL_TRUE:
		return true;
	case VAL_NUMBER:
		return !v->num.zero;
	case VAL_STRING:
		return v->s.n > 0 && !STR_EQ(v->s.p, v->s.n, "0") &&
		    !ascii_caseeq(v->s.p, v->s.n, "false");
	default:
		return false;
	}
}

/* A key written twice counts with its last value, as in span_detail.
 * (read_plain_value already cut the text at a NUL.) */
static void
val_string(const struct attr_val *v, struct strref *out)
{
	*out = v->type == VAL_STRING ? v->s : ref(NULL, 0);
}

static void
apply_attr(struct span_work *w, enum attr_id id, const struct attr_val *v)
{
	struct span_fields *f = &w->f;

	f->flags |= attr_rules[id].flag;
	switch (id) {
	case AT_TOOL_NAME: val_string(v, &f->tool_name); break;
	case AT_LLM_MODEL: val_string(v, &f->llm_model); break;
	case AT_GENAI_REQUEST_MODEL:
		val_string(v, &w->genai_request_model);
		break;
	case AT_GENAI_RESPONSE_MODEL:
		val_string(v, &w->genai_response_model);
		break;
	case AT_RESOURCE_URI: val_string(v, &f->resource_uri); break;
	case AT_WORKFLOW_TYPE: val_string(v, &f->workflow_type); break;
	case AT_AGENT_NAME: val_string(v, &f->agent_name); break;
	case AT_SESSION_TITLE: val_string(v, &f->session_title); break;
	case AT_ENGINE: val_string(v, &f->engine); break;
	case AT_WORKFLOW_ENGINE: val_string(v, &w->workflow_engine); break;
	case AT_SESSION_ID: val_string(v, &w->attr_session_id); break;
	case AT_SIGNAL_NAME: val_string(v, &f->signal_name); break;
	case AT_SIGNAL_PROMPT: val_string(v, &f->signal_prompt); break;
	case AT_RESOURCE_SESSION_ID:
		val_string(v, &w->resource_session_id);
		break;
	case AT_EVENT_SIGNAL: val_string(v, &w->pending_signal); break;
	case AT_GENAI_INPUT_TOKENS:
		w->has_tokens = true;
		if (!val_count(v, &f->tokens_in))
			f->tokens_in = -1;
		break;
	case AT_GENAI_OUTPUT_TOKENS:
		w->has_tokens = true;
		if (!val_count(v, &f->tokens_out))
			f->tokens_out = -1;
		break;
	/* OpenTelemetry's semantic conventions count these within
	 * gen_ai.usage.input_tokens, as doc/reference.md §3.3 does. */
	case AT_GENAI_CACHE_READ_TOKENS:
		w->has_tokens = true;
		if (!val_count(v, &f->tokens_cache_read))
			f->tokens_cache_read = -1;
		break;
	case AT_GENAI_CACHE_WRITE_TOKENS:
		w->has_tokens = true;
		if (!val_count(v, &f->tokens_cache_write))
			f->tokens_cache_write = -1;
		break;
	case AT_PAUSED:
		if (val_truthy(v))
			f->flags |= SF_PAUSED;
		else
			f->flags &= ~(unsigned)SF_PAUSED;
		break;
	case AT_LLM_RESPONSE:
		/* escaped is set for strings only. */
		w->response = v->type == VAL_STRING ? v->s : ref(NULL, 0);
		w->response_escaped = v->type == VAL_STRING && v->escaped;
		break;
	default:
		break;
	}
}

/*
 * s[0..n), a string jscan returned, up to a NUL (span_parse.h).  Only a
 * string decoded from escapes can hold one: one that points into the
 * line has none (jscan.h; raw control bytes are not JSON), which spares
 * a memchr for nearly every string of a trace.
 */
static size_t
text_len(const struct jscan *js, const char *s, size_t n)
{
	if (s >= js->start && s < js->end)
		return n;
	return span_text_len(s, n);
}

/* Read a JSON value as an attribute value; containers count as other.
 * A decoded string (WANT_VALUE) ends at a NUL, as span_parse.h says. */
static int
read_plain_value(struct jscan *js, enum want want, struct attr_val *v)
{
	int t;

	v->type = VAL_OTHER;
	if (want == WANT_NOTHING)
		return jscan_skip(js);
	switch (jscan_peek(js)) {
	case JSCAN_STRING:
		v->type = VAL_STRING;
		if (want == WANT_RAW)
			return jscan_string_raw(js, &v->s.p, &v->s.n,
			    &v->escaped);
		if (jscan_string(js, &v->s.p, &v->s.n) == -1)
			return -1;
		v->s.n = text_len(js, v->s.p, v->s.n);
		return 0;
	case JSCAN_NUMBER:
		v->type = VAL_NUMBER;
		if (jscan_number(js, &v->num) == -1)
			return -1;
		/* span_detail.c's pre-pass makes NaN, Infinity and integers
		 * beyond 64 bits JSON strings (jansson has no such numbers):
		 * read them as that text here too, so both passes see one
		 * value. */
		if (v->num.class == JNUM_NAN || v->num.class == JNUM_INF ||
		    v->num.class == JNUM_BIGINT) {
			v->type = VAL_STRING;
			v->s = ref(v->num.text, v->num.len);
			v->escaped = false;
		}
		return 0;
	case JSCAN_TRUE:
	case JSCAN_FALSE:
	case JSCAN_NULL:
		if ((t = jscan_literal(js)) == -1)
			return -1;
		v->type = t == JSCAN_TRUE ? VAL_TRUE :
		    t == JSCAN_FALSE ? VAL_FALSE : VAL_NULL;
		return 0;
	default:
		return jscan_skip(js);
	}
}

/*
 * Read an OTLP AnyValue ({"stringValue": ...} and friends): its first
 * member in span_any_value_keys[] order (the last, if repeated); a value
 * that is not such an object is null.  intValue is a string of digits in
 * OTLP/JSON (64-bit integers do not survive JSON numbers) and doubleValue
 * may be "1.5": read as numbers when span_otlp_number says so.
 */
static int
read_any_value(struct jscan *js, enum want want, struct attr_val *v)
{
	const char *k;
	size_t kn;
	int best = SPAN_NANY_KEYS, i, r;

	v->type = VAL_OTHER;
	if (want == WANT_NOTHING || jscan_peek(js) != JSCAN_OBJECT)
		return jscan_skip(js);
	if (jscan_object(js) == -1)
		return -1;
	while ((r = jscan_key(js, &k, &kn)) == 1) {
		for (i = 0; i < SPAN_NANY_KEYS; i++) {
			if (str_eq(k, kn, span_any_value_keys[i],
			    strlen(span_any_value_keys[i])))
				break;
		}
		/* Unknown, or below the best so far (a repeat re-reads). */
		if (i == SPAN_NANY_KEYS || i > best) {
			if (jscan_skip(js) == -1)
				return -1;
			continue;
		}
		best = i;
		v->type = VAL_OTHER;
		if (i >= SPAN_ANY_ARRAY)	/* a container: other */
			r = jscan_skip(js);
		else
			r = read_plain_value(js, i >= SPAN_ANY_INT ?
			    WANT_VALUE : want, v);
		if (r == -1)
			return -1;
		if (i >= SPAN_ANY_INT && i < SPAN_ANY_ARRAY &&
		    v->type == VAL_STRING &&
		    span_otlp_number(v->s.p, v->s.n, &v->num))
			v->type = VAL_NUMBER;
	}
	return r;
}

/* One member of a flat attributes object. */
static int
read_attr_value(struct jscan *js, struct span_work *w, enum attr_scope scope,
    const char *k, size_t kn)
{
	enum attr_id id = attr_lookup(scope, k, kn);
	struct attr_val v;

	if (read_plain_value(js, attr_rules[id].want, &v) == -1)
		return -1;
	apply_attr(w, id, &v);
	return 0;
}

/*
 * One OTLP {key, value}, applied once at its end with the last key and
 * the last value (a missing value is null, as in span_detail).  The value
 * is read as it comes when the key is known; when it came first, or the
 * key changed after it, it is read again from a saved copy of the scanner.
 */
static int
read_key_value(struct jscan *js, struct span_work *w, enum attr_scope scope)
{
	struct jscan saved;
	struct attr_val v;
	const char *k, *key = NULL, *read_with = NULL;
	size_t kn, keyn = 0;
	bool have_value = false;
	enum attr_id id = AT_NONE;
	int r;

	if (jscan_peek(js) != JSCAN_OBJECT)
		return jscan_skip(js);
	if (jscan_object(js) == -1)
		return -1;
	while ((r = jscan_key(js, &k, &kn)) == 1) {
		if (STR_EQ(k, kn, "key")) {
			key = NULL;
			r = jscan_peek(js) == JSCAN_STRING ?
			    jscan_string(js, &key, &keyn) : jscan_skip(js);
			if (key != NULL) {
				/* Text ends at a NUL, as span_detail's
				 * keys do. */
				keyn = text_len(js, key, keyn);
				id = attr_lookup(scope, key, keyn);
			}
		} else if (STR_EQ(k, kn, "value")) {
			saved = *js;
			have_value = true;
			read_with = key;
			if (key != NULL)
				r = read_any_value(js, attr_rules[id].want, &v);
			else
				r = jscan_skip(js);
		} else
			r = jscan_skip(js);
		if (r == -1)
			return -1;
	}
	if (r == -1 || key == NULL)
		return r;
	if (!have_value)
		v.type = VAL_NULL;
	else if (read_with != key &&
	    read_any_value(&saved, attr_rules[id].want, &v) == -1)
		return -1;
	apply_attr(w, id, &v);
	return 0;
}

/* Attributes: a flat object (SDK, flat layout) or an OTLP list. */
static int
read_attributes(struct jscan *js, struct span_work *w, enum attr_scope scope)
{
	const char *k;
	size_t kn;
	int r;

	switch (jscan_peek(js)) {
	case JSCAN_OBJECT:
		if (jscan_object(js) == -1)
			return -1;
		while ((r = jscan_key(js, &k, &kn)) == 1) {
			if (read_attr_value(js, w, scope, k, kn) == -1)
				return -1;
		}
		return r;
	case JSCAN_ARRAY:
		if (jscan_array(js) == -1)
			return -1;
		while ((r = jscan_elem(js)) == 1) {
			if (read_key_value(js, w, scope) == -1)
				return -1;
		}
		return r;
	default:
		return jscan_skip(js);
	}
}

/* {"attributes": ...} of a resource; other members are skipped. */
static int
read_resource(struct jscan *js, struct span_work *w)
{
	const char *k;
	size_t kn;
	int r;

	if (jscan_peek(js) != JSCAN_OBJECT)
		return jscan_skip(js);
	if (jscan_object(js) == -1)
		return -1;
	while ((r = jscan_key(js, &k, &kn)) == 1) {
		if (STR_EQ(k, kn, "attributes")) {
			w->resource_session_id = ref(NULL, 0); /* last counts */
			r = read_attributes(js, w, SCOPE_RESOURCE);
		} else
			r = jscan_skip(js);
		if (r == -1)
			return -1;
	}
	return r;
}

/* One event: only a *signal* event's signal_name matters here. */
static int
read_event(struct jscan *js, struct span_work *w)
{
	struct strref name = { NULL, 0 };
	struct attr_val v;
	const char *k;
	size_t kn;
	int r;

	if (jscan_peek(js) != JSCAN_OBJECT)
		return jscan_skip(js);
	if (jscan_object(js) == -1)
		return -1;
	w->pending_signal = ref(NULL, 0);
	/* A repeated key counts with its last value (span_parse.h). */
	while ((r = jscan_key(js, &k, &kn)) == 1) {
		if (STR_EQ(k, kn, "name")) {
			if ((r = read_plain_value(js, WANT_VALUE, &v)) == 0)
				val_string(&v, &name);
		} else if (STR_EQ(k, kn, "attributes")) {
			w->pending_signal = ref(NULL, 0);
			r = read_attributes(js, w, SCOPE_EVENT);
		} else
			r = jscan_skip(js);
		if (r == -1)
			return -1;
	}
	if (r == -1)
		return -1;
	if (w->event_signal.p == NULL && w->pending_signal.p != NULL &&
	    name.p != NULL && str_contains(name.p, name.n, "signal"))
		w->event_signal = w->pending_signal;
	return 0;
}

static int
read_events(struct jscan *js, struct span_work *w)
{
	int r;

	if (jscan_peek(js) != JSCAN_ARRAY)
		return jscan_skip(js);
	if (jscan_array(js) == -1)
		return -1;
	while ((r = jscan_elem(js)) == 1) {
		if (read_event(js, w) == -1)
			return -1;
	}
	return r;
}

/* An id as span_id_trim() says, lower-cased; NULL when it is no id. */
static struct strref
id_value(struct jarena *arena, const struct attr_val *v)
{
	const char *p = v->s.p;
	size_t n = v->s.n, i;
	bool upper;
	char *copy;

	if (v->type != VAL_STRING || !span_id_trim(&p, &n, &upper))
		return ref(NULL, 0);
	if (upper) {
		copy = jarena_alloc(arena, n);
		for (i = 0; i < n; i++)
			copy[i] = ascii_lower(p[i]);
		p = copy;
	}
	return ref(p, n);
}

/* A time under the rule of its spelling; SPAN_TIME_NONE when unusable. */
static int64_t
time_value(enum span_key_rule rule, const struct attr_val *v)
{
	int64_t ns;

	if (rule == SKR_RFC3339 && v->type == VAL_STRING &&
	    span_parse_time(v->s.p, v->s.n, &ns) == 0)
		return ns;
	if (rule == SKR_UNIX_NANO && v->type == VAL_STRING &&
	    span_time_unix_nano(v->s.p, v->s.n, &ns) == 0)
		return ns;
	if (rule == SKR_UNIX_NANO && v->type == VAL_NUMBER &&
	    v->num.class == JNUM_INT && span_time_int(v->num.i, &ns) == 0)
		return ns;
	return SPAN_TIME_NONE;
}

/* The span_keys[] index of key k (in "context" or not), or -1. */
static int
key_index(const char *k, size_t kn, bool in_context)
{
	int i = 0;

	/* Every span member comes here: compared with constants the
	 * compiler can turn into a length switch, not a loop over the
	 * table. */
#define SK(s, f, r, ctx)						\
	if ((ctx) == in_context && STR_EQ(k, kn, s))			\
		return i;						\
	i++;
	SPAN_KEYS(SK)
#undef SK
	return -1;
}

/* The value of spelling i: its slot keeps the last one written. */
static int
read_key(struct jscan *js, struct span_work *w, int i)
{
	struct attr_val v;

	if (read_plain_value(js, WANT_VALUE, &v) == -1)
		return -1;
	if (span_keys[i].rule == SKR_ID)
		w->key_id[i] = id_value(js->arena, &v);
	else if ((w->key_ns[i] = time_value(span_keys[i].rule, &v)) ==
	    SPAN_TIME_NONE)
		w->key_ns[i] = 0;
	return 0;
}

/* Each field from its first spelling with a usable value. */
static void
settle_keys(struct span_work *w)
{
	struct strref *ids[] = {
		[SKF_SPAN_ID] = &w->f.span_id, [SKF_TRACE_ID] = &w->f.trace_id,
		[SKF_PARENT_ID] = &w->f.parent_id,
	};
	int64_t *times[] = {
		[SKF_START] = &w->f.start_ns, [SKF_END] = &w->f.end_ns,
	};
	enum span_key_field fld;
	int i;

	for (i = SPAN_NKEYS - 1; i >= 0; i--) {
		fld = span_keys[i].field;
		if (span_keys[i].rule == SKR_ID) {
			if (w->key_id[i].p != NULL)
				*ids[fld] = w->key_id[i];
		} else if (w->key_ns[i] != 0)
			*times[fld] = w->key_ns[i];
	}
}

/* {"span_id", "trace_id"}; a second "context" replaces the first. */
static int
read_context(struct jscan *js, struct span_work *w)
{
	const char *k;
	size_t kn;
	int i, r;

	for (i = 0; i < SPAN_NKEYS; i++) {
		if (span_keys[i].in_context)
			w->key_id[i] = ref(NULL, 0);
	}
	if (jscan_peek(js) != JSCAN_OBJECT)
		return jscan_skip(js);
	if (jscan_object(js) == -1)
		return -1;
	while ((r = jscan_key(js, &k, &kn)) == 1) {
		if ((i = key_index(k, kn, true)) >= 0)
			r = read_key(js, w, i);
		else
			r = jscan_skip(js);
		if (r == -1)
			return -1;
	}
	return r;
}

/* "SpanKind.CLIENT" (SDK) or 3 (OTLP); anything else is unspecified. */
static int
read_kind(struct jscan *js, struct span_work *w)
{
	struct attr_val v;
	int k = -1;

	if (read_plain_value(js, WANT_VALUE, &v) == -1)
		return -1;
	if (v.type == VAL_STRING)
		k = span_kind_from_text(v.s.p, v.s.n);
	else if (v.type == VAL_NUMBER && v.num.class == JNUM_INT)
		k = span_kind_from_int(v.num.i);
	w->f.kind = k >= 0 ? (uint8_t)k : KIND_UNSPECIFIED;
	return 0;
}

/* A status code as span_status_from_text/_int read it, or -1. */
static int8_t
status_value(const struct attr_val *v)
{
	if (v->type == VAL_STRING)
		return (int8_t)span_status_from_text(v->s.p, v->s.n);
	if (v->type == VAL_NUMBER && v->num.class == JNUM_INT)
		return (int8_t)span_status_from_int(v->num.i);
	return -1;
}

/* {"status_code": "ERROR"} (SDK, flat), {"code": 2} (OTLP), or the code
 * itself; a second "status" replaces the first. */
static int
read_status(struct jscan *js, struct span_work *w)
{
	struct attr_val v;
	const char *k;
	size_t kn;
	int8_t *slot;
	int r;

	w->status_code = w->code = -1;
	if (jscan_peek(js) != JSCAN_OBJECT) {
		if ((r = read_plain_value(js, WANT_VALUE, &v)) == 0)
			w->status_code = status_value(&v);
		return r;
	}
	if (jscan_object(js) == -1)
		return -1;
	while ((r = jscan_key(js, &k, &kn)) == 1) {
		slot = STR_EQ(k, kn, "status_code") ? &w->status_code :
		    STR_EQ(k, kn, "code") ? &w->code : NULL;
		if (slot != NULL && (r = read_plain_value(js, WANT_VALUE,
		    &v)) == 0)
			*slot = status_value(&v);
		else if (slot == NULL)
			r = jscan_skip(js);
		if (r == -1)
			return -1;
	}
	return r;
}

/* What a span's own attributes set; a second "attributes" starts over. */
static void
attrs_reset(struct span_work *w)
{
	struct span_fields *f = &w->f;
	struct strref none = { NULL, 0 };

	f->tool_name = f->llm_model = f->agent_name = f->resource_uri = none;
	f->workflow_type = f->session_title = f->engine = none;
	f->signal_name = f->signal_prompt = none;
	f->tokens_in = f->tokens_out = -1;
	f->tokens_cache_read = f->tokens_cache_write = -1;
	f->flags = 0;
	w->genai_request_model = w->genai_response_model = none;
	w->workflow_engine = w->attr_session_id = w->response = none;
	w->response_escaped = w->has_tokens = false;
}

/* One member of a span object, whatever the format. */
static int
read_span_member(struct jscan *js, struct span_work *w, const char *k,
    size_t kn)
{
	struct span_fields *f = &w->f;
	struct attr_val v;
	int i;

	if (STR_EQ(k, kn, "name")) {
		if (read_plain_value(js, WANT_VALUE, &v) == -1)
			return -1;
		/* read_plain_value cut the text at a NUL (span_parse.h). */
		f->name = v.type == VAL_STRING ? v.s : ref(NULL, 0);
		return 0;
	}
	if (STR_EQ(k, kn, "attributes")) {
		if (w->seen_attrs)
			attrs_reset(w);
		w->seen_attrs = true;
		return read_attributes(js, w, SCOPE_SPAN);
	}
	if ((i = key_index(k, kn, false)) >= 0)
		return read_key(js, w, i);
	if (STR_EQ(k, kn, "context"))
		return read_context(js, w);
	if (STR_EQ(k, kn, "kind"))
		return read_kind(js, w);
	if (STR_EQ(k, kn, "status"))
		return read_status(js, w);
	if (STR_EQ(k, kn, "events")) {
		w->event_signal = ref(NULL, 0);
		return read_events(js, w);
	}
	if (STR_EQ(k, kn, "resource")) {
		w->resource_session_id = ref(NULL, 0);
		return read_resource(js, w);
	}
	return jscan_skip(js);
}

static void
work_init(struct span_work *w)
{
	memset(w, 0, sizeof *w);
	w->f.start_ns = w->f.end_ns = SPAN_TIME_NONE;
	w->f.tokens_in = w->f.tokens_out = -1;
	w->f.tokens_cache_read = w->f.tokens_cache_write = -1;
	w->status_code = w->code = -1;
}

/*
 * doc/reference.md §3's token rule for an mcp.llm.response_json document, the one copy
 * (the index pass and the chat view both call span_response_tokens).
 *
 * A usage object: Anthropic input/output_tokens, else OpenAI
 * prompt/completion_tokens; total_tokens on the side.  Cached input:
 * Anthropic's cache_read_input_tokens / cache_creation_input_tokens, which
 * input_tokens leaves out, and OpenAI's {prompt,input}_tokens_details
 * .cached_tokens, which prompt_tokens already holds.  A key written twice
 * counts with its last value.  A count is taken only once the scanner has
 * read past it (the ',' or '}' after it), so a document cut inside a number
 * never yields the number's first digits.
 */
enum usage_key {
	U_INPUT, U_OUTPUT, U_PROMPT, U_COMPLETION, U_TOTAL,
	U_CACHE_READ,   /* Anthropic cache_read_input_tokens */
	U_CACHE_WRITE,  /* Anthropic cache_creation_input_tokens */
	U_CACHED,       /* OpenAI *_tokens_details.cached_tokens */
	USAGE_NKEYS
};
struct usage_read {
	int64_t v[USAGE_NKEYS];
};

static void
usage_commit(struct usage_read *u, int64_t *pending, int slot)
{
	if (slot >= 0)
		u->v[slot] = *pending;
	*pending = -1;
}

/* A whole non-negative integer, else -1 (the caller commits it). */
static int
usage_count(struct jscan *js, int64_t *pending)
{
	struct jnum num;

	if (jscan_number(js, &num) == -1)
		return -1;
	*pending = num.class == JNUM_INT && num.i >= 0 ? num.i : -1;
	return 0;
}

/* OpenAI's prompt_tokens_details / input_tokens_details: cached_tokens
 * into u's U_CACHED slot, committed as in read_usage. */
static void
read_usage_details(struct jscan *js, struct usage_read *u)
{
	const char *k;
	size_t kn;
	int64_t pending = -1;
	int slot = -1, r;

	if (jscan_object(js) == -1)
		return;
	while ((r = jscan_key(js, &k, &kn)) != -1) {
		usage_commit(u, &pending, slot);
		slot = -1;
		if (r == 0)
			return;
		if (STR_EQ(k, kn, "cached_tokens") &&
		    jscan_peek(js) == JSCAN_NUMBER) {
			if (usage_count(js, &pending) == -1)
				return;
			slot = U_CACHED;
		} else if (jscan_skip(js) == -1)
			return;
	}
}

static void
read_usage(struct jscan *js, struct usage_read *u)
{
	static const char *const keys[U_CACHED] = { "input_tokens",
		"output_tokens", "prompt_tokens", "completion_tokens",
		"total_tokens", "cache_read_input_tokens",
		"cache_creation_input_tokens" };
	const char *k;
	size_t kn, i;
	int64_t pending = -1;
	int slot = -1, r;

	for (i = 0; i < USAGE_NKEYS; i++)
		u->v[i] = -1;
	if (jscan_object(js) == -1)
		return;
	while ((r = jscan_key(js, &k, &kn)) != -1) {
		usage_commit(u, &pending, slot);
		slot = -1;
		if (r == 0)
			return;
		if ((STR_EQ(k, kn, "prompt_tokens_details") ||
		    STR_EQ(k, kn, "input_tokens_details")) &&
		    jscan_peek(js) == JSCAN_OBJECT) {
			/* A later details object replaces an earlier one. */
			u->v[U_CACHED] = -1;
			read_usage_details(js, u);
			if (js->error != NULL)
				return;
			continue;
		}
		for (i = 0; i < U_CACHED; i++) {
			if (kn == strlen(keys[i]) && memcmp(k, keys[i], kn) == 0)
				break;
		}
		if (i < U_CACHED && jscan_peek(js) == JSCAN_NUMBER) {
			if (usage_count(js, &pending) == -1)
				return;
			slot = (int)i;
		} else if (jscan_skip(js) == -1)
			return;
	}
}

static int64_t
usage_sum(int64_t a, int64_t b)
{
	if (b < 0)
		return a;
	if (a < 0)
		return b;
	return a <= INT64_MAX - b ? a + b : INT64_MAX;
}

/* One usage object's figures by the rule above. */
static void
usage_figures(const struct usage_read *u, struct span_tokens *one)
{
	const int64_t *v = u->v;

	one->out = v[U_OUTPUT] >= 0 ? v[U_OUTPUT] : v[U_COMPLETION];
	one->total = v[U_TOTAL];
	if (v[U_INPUT] >= 0) {
		/* Anthropic's input_tokens are the uncached part only. */
		one->in = usage_sum(usage_sum(v[U_INPUT], v[U_CACHE_READ]),
		    v[U_CACHE_WRITE]);
		one->cache_write = v[U_CACHE_WRITE];
		if (v[U_CACHE_READ] >= 0)
			one->cache_read = v[U_CACHE_READ];
		else	/* The Responses API: input_tokens hold them. */
			one->cache_read = v[U_CACHED] <= v[U_INPUT] ?
			    v[U_CACHED] : -1;
	} else if (v[U_PROMPT] >= 0) {
		/* OpenAI's prompt_tokens hold the cached ones. */
		one->in = v[U_PROMPT];
		one->cache_read = v[U_CACHED] >= 0 && v[U_CACHED] <= v[U_PROMPT] ?
		    v[U_CACHED] : -1;
		one->cache_write = -1;
	} else {
		/* Cache counts without an input count: they are input. */
		one->cache_read = v[U_CACHE_READ];
		one->cache_write = v[U_CACHE_WRITE];
		one->in = usage_sum(one->cache_read, one->cache_write);
	}
}

/* Add one message's "usage" (its last one, if written twice). */
static void
read_message(struct jscan *js, struct span_tokens *t)
{
	struct usage_read u, last;
	struct span_tokens one;
	const char *k;
	size_t kn;
	bool seen = false;
	int r;

	if (jscan_object(js) == -1)
		return;
	while ((r = jscan_key(js, &k, &kn)) == 1) {
		if (STR_EQ(k, kn, "usage")) {
			read_usage(js, &u);
			last = u;
			seen = true;
			if (js->error != NULL)
				break;
		} else if (jscan_skip(js) == -1)
			break;
	}
	if (!seen)
		return;
	usage_figures(&last, &one);
	t->in = usage_sum(t->in, one.in);
	t->out = usage_sum(t->out, one.out);
	t->total = usage_sum(t->total, one.total);
	t->cache_read = usage_sum(t->cache_read, one.cache_read);
	t->cache_write = usage_sum(t->cache_write, one.cache_write);
}

void
span_response_tokens(struct jarena *arena, const char *s, size_t n,
    struct span_tokens *t)
{
	struct jscan js;

	t->in = t->out = t->total = t->cache_read = t->cache_write = -1;
	jscan_init(&js, s, n, arena);
	switch (jscan_peek(&js)) {
	case JSCAN_OBJECT:
		read_message(&js, t);
		break;
	case JSCAN_ARRAY:
		if (jscan_array(&js) == -1)
			break;
		while (jscan_elem(&js) == 1 && js.error == NULL) {
			if (jscan_peek(&js) == JSCAN_OBJECT)
				read_message(&js, t);
			else if (jscan_skip(&js) == -1)
				break;
		}
		break;
	default:
		break;
	}
}

/*
 * Tokens from the response document, a JSON text inside the attribute's
 * string.  The document is the LLM's and may be cut short (SPEC: *_json
 * values are truncated at 30 KB), so whatever was read before an error is
 * kept and the line is never made bad by it.
 */
static void
response_tokens(struct jarena *arena, const struct span_work *w,
    struct span_fields *f)
{
	struct span_tokens t;
	const char *s = w->response.p;
	size_t n = w->response.n;

	if (w->response_escaped)
		jscan_unescape(arena, s, n, &s, &n);
	span_response_tokens(arena, s, n, &t);
	f->tokens_in = t.in;
	f->tokens_out = t.out;
	f->tokens_cache_read = t.cache_read;
	f->tokens_cache_write = t.cache_write;
}

/* The fields spelled several ways, and the status, as span_parse.h's
 * rules settle them. */
static void
settle_span(struct span_work *w)
{
	settle_keys(w);
	w->f.status = w->status_code >= 0 ? (uint8_t)w->status_code :
	    w->code >= 0 ? (uint8_t)w->code : SPAN_UNSET;
}

/* Settle precedence between candidates and store the span. */
static void
finish_span(struct span_parser *sp, struct span_work *w)
{
	struct span_fields *f = &w->f;

	if (f->llm_model.p == NULL)
		f->llm_model = w->genai_request_model.p != NULL ?
		    w->genai_request_model : w->genai_response_model;
	if (f->engine.p == NULL)
		f->engine = w->workflow_engine;
	f->session_id = w->resource_session_id.p != NULL ?
	    w->resource_session_id : w->attr_session_id;
	if (f->signal_name.p == NULL)
		f->signal_name = w->event_signal;
	if (!w->has_tokens && w->response.p != NULL)
		response_tokens(sp->arena, w, f);
	f->index_in_line = (uint32_t)sp->nelems++;
	if (sp->nspans == sp->cap) {
		sp->cap = sp->cap == 0 ? 8 : sp->cap * 2;
		sp->spans = xreallocarray(sp->spans, sp->cap,
		    sizeof *sp->spans);
	}
	sp->spans[sp->nspans++] = *f;
}

static int
not_a_span(struct span_parser *sp, const char *why)
{
	sp->why = why;
	return -1;
}

/* An element of an OTLP "spans" array that is no span: skipped, and
 * reported with the line (span_parser_skipped), its good neighbours kept. */
static int
bad_otlp_span(struct span_parser *sp, const char *why)
{
	if (sp->nbad++ == 0) {
		sp->bad_elem = sp->nelems;
		sp->bad_why = why;
	}
	sp->nelems++;
	return 0;
}

/* A repeated key discards what its earlier value gave (the last counts):
 * the spans, elements and bad ones since the mark. */
struct batch_mark {
	size_t nspans, nelems, nbad;
};

static struct batch_mark
batch_mark(const struct span_parser *sp)
{
	struct batch_mark m = { sp->nspans, sp->nelems, sp->nbad };

	return m;
}

static void
batch_rewind(struct span_parser *sp, const struct batch_mark *m)
{
	sp->nspans = m->nspans;
	sp->nelems = m->nelems;
	sp->nbad = m->nbad;
}

/* One element of an OTLP "spans" array. */
static int
read_otlp_span(struct span_parser *sp, struct jscan *js)
{
	struct span_work w;
	const char *k;
	size_t kn;
	int r;

	if (jscan_peek(js) != JSCAN_OBJECT) {
		if (jscan_skip(js) == -1)
			return -1;
		return bad_otlp_span(sp, "span is not an object");
	}
	if (jscan_object(js) == -1)
		return -1;
	work_init(&w);
	while ((r = jscan_key(js, &k, &kn)) == 1) {
		if (read_span_member(js, &w, k, kn) == -1)
			return -1;
	}
	if (r == -1)
		return -1;
	settle_span(&w);
	/* An OTLP span's resource is its resourceSpans entry's (set by
	 * read_resource_spans), never a member of its own. */
	w.resource_session_id = ref(NULL, 0);
	if (w.f.span_id.p == NULL)
		return bad_otlp_span(sp, "span without spanId");
	finish_span(sp, &w);
	return 0;
}

/* An array whose elements are each read by fn. */
static int
read_each(struct span_parser *sp, struct jscan *js,
    int (*fn)(struct span_parser *, struct jscan *))
{
	int r;

	if (jscan_peek(js) != JSCAN_ARRAY)
		return jscan_skip(js);
	if (jscan_array(js) == -1)
		return -1;
	while ((r = jscan_elem(js)) == 1) {
		if (fn(sp, js) == -1)
			return -1;
	}
	return r;
}

/* {"scope": ..., "spans": [...]}; a second "spans" replaces the first
 * (the last of a repeated key counts, span_parse.h). */
static int
read_scope_spans(struct span_parser *sp, struct jscan *js)
{
	struct batch_mark first = batch_mark(sp);
	const char *k;
	size_t kn;
	int r;

	if (jscan_peek(js) != JSCAN_OBJECT)
		return jscan_skip(js);
	if (jscan_object(js) == -1)
		return -1;
	while ((r = jscan_key(js, &k, &kn)) == 1) {
		if (STR_EQ(k, kn, "spans")) {
			batch_rewind(sp, &first);
			r = read_each(sp, js, read_otlp_span);
		} else
			r = jscan_skip(js);
		if (r == -1)
			return -1;
	}
	return r;
}

/* The span_scope_keys[] index of k, or -1. */
static int
scope_key_index(const char *k, size_t kn)
{
	int i;

	for (i = 0; span_scope_keys[i] != NULL; i++) {
		if (str_eq(k, kn, span_scope_keys[i], strlen(span_scope_keys[i])))
			return i;
	}
	return -1;
}

/*
 * {"resource": ..., "scopeSpans": [...]}; the resource may come last,
 * so its session.id is given to this entry's spans at the end.
 *
 * The spans come from the first span_scope_keys[] spelling whose (last)
 * value is an array.  A list that can still win is read as it comes; one
 * that cannot is skipped, its cursor kept, and read at the end only if a
 * later key took the win from the one read (never, in real traces).
 */
static int
read_resource_spans(struct span_parser *sp, struct jscan *js)
{
	struct span_work res;
	struct jscan saved[SPAN_NSCOPE_KEYS];
	bool is_array[SPAN_NSCOPE_KEYS] = { false };
	struct batch_mark first = batch_mark(sp);
	size_t i;
	const char *k;
	size_t kn;
	int loaded = -1, win, s, r;

	if (jscan_peek(js) != JSCAN_OBJECT)
		return jscan_skip(js);
	if (jscan_object(js) == -1)
		return -1;
	work_init(&res);
	while ((r = jscan_key(js, &k, &kn)) == 1) {
		if (STR_EQ(k, kn, "resource")) {
			res.resource_session_id = ref(NULL, 0);
			r = read_resource(js, &res);
		} else if ((s = scope_key_index(k, kn)) >= 0) {
			saved[s] = *js;
			is_array[s] = jscan_peek(js) == JSCAN_ARRAY;
			if (loaded == s)
				loaded = -1;
			if (is_array[s] && (s == 0 || !is_array[0])) {
				batch_rewind(sp, &first);
				loaded = s;
				r = read_each(sp, js, read_scope_spans);
			} else
				r = jscan_skip(js);
		} else
			r = jscan_skip(js);
		if (r == -1)
			return -1;
	}
	if (r == -1)
		return -1;
	win = is_array[0] ? 0 : is_array[1] ? 1 : -1;
	if (win != loaded) {
		batch_rewind(sp, &first);
		if (win >= 0 && read_each(sp, &saved[win], read_scope_spans) == -1)
			return -1;
	}
	if (res.resource_session_id.p != NULL) {
		for (i = first.nspans; i < sp->nspans; i++)
			sp->spans[i].session_id = res.resource_session_id;
	}
	return 0;
}

/* The top-level object: one span (SDK, flat) or an OTLP batch. */
static int
read_line(struct span_parser *sp, struct jscan *js)
{
	struct span_work top;
	bool batch = false;
	const char *k;
	size_t kn;
	int r;

	if (jscan_peek(js) != JSCAN_OBJECT) {
		if (jscan_skip(js) == -1 || jscan_finish(js) == -1)
			return -1;
		return not_a_span(sp, "not an object");
	}
	if (jscan_object(js) == -1)
		return -1;
	work_init(&top);
	while ((r = jscan_key(js, &k, &kn)) == 1) {
		if (STR_EQ(k, kn, "resourceSpans")) {
			batch = true;
			/* a repeated key: the last counts */
			sp->nspans = sp->nelems = sp->nbad = 0;
			r = read_each(sp, js, read_resource_spans);
		} else
			r = read_span_member(js, &top, k, kn);
		if (r == -1)
			return -1;
	}
	if (r == -1 || jscan_finish(js) == -1)
		return -1;
	if (batch)
		return sp->nspans > 0 ? 0 : not_a_span(sp, sp->nbad > 0 ?
		    sp->bad_why : "no spans");
	settle_span(&top);
	if (top.f.span_id.p == NULL)
		return not_a_span(sp, "no span id");
	finish_span(sp, &top);
	return 0;
}

struct span_parser *
span_parser_new(void)
{
	struct span_parser *sp = xcalloc(1, sizeof *sp);

	sp->arena = jarena_new();
	return sp;
}

void
span_parser_free(struct span_parser *sp)
{
	if (sp == NULL)
		return;
	jarena_free(sp->arena);
	free(sp->spans);
	free(sp);
}

static bool
is_blank(const char *s, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		if (s[i] != ' ' && s[i] != '\t' && s[i] != '\r' && s[i] != '\n')
			return false;
	}
	return true;
}

int
span_parse_line(struct span_parser *sp, const char *line, size_t len)
{
	struct jscan js;
	const char *why;
	size_t off;

	jarena_reset(sp->arena);
	sp->nspans = sp->nelems = sp->nbad = 0;
	sp->why = NULL;
	sp->error[0] = '\0';
	if (is_blank(line, len))
		return 0;
	jscan_init(&js, line, len, sp->arena);
	if (read_line(sp, &js) == 0)
		return (int)sp->nspans;
	sp->nspans = sp->nbad = 0;
	if ((why = jscan_error(&js, &off)) != NULL)
		snprintf(sp->error, sizeof sp->error,
		    "not JSON at byte %zu: %s", off, why);
	else
		snprintf(sp->error, sizeof sp->error, "not a span: %s",
		    sp->why);
	return -1;
}

const struct span_fields *
span_parser_span(const struct span_parser *sp, int i)
{
	if (i < 0 || (size_t)i >= sp->nspans)
		return NULL;
	return &sp->spans[i];
}

const char *
span_parser_error(const struct span_parser *sp)
{
	return sp->error;
}

const char *
span_parser_skipped(struct span_parser *sp)
{
	if (sp->nspans == 0 || sp->nbad == 0)
		return NULL;
	if (sp->nbad == 1)
		snprintf(sp->skipped, sizeof sp->skipped, "span %zu of %zu in the "
		    "line skipped: %s", sp->bad_elem + 1, sp->nelems, sp->bad_why);
	else
		snprintf(sp->skipped, sizeof sp->skipped, "%zu of %zu spans in the "
		    "line skipped, the first (span %zu): %s", sp->nbad, sp->nelems,
		    sp->bad_elem + 1, sp->bad_why);
	return sp->skipped;
}

/* ---- field rules shared with span_detail.c (span_parse.h) ---------- */

#define SK(s, f, r, ctx) { s, sizeof s - 1, f, r, ctx },
const struct span_key span_keys[SPAN_NKEYS] = { SPAN_KEYS(SK) };
#undef SK

const char *const span_scope_keys[SPAN_NSCOPE_KEYS + 1] = {
	"scopeSpans", "instrumentationLibrarySpans", NULL
};

const char *const span_any_value_keys[SPAN_NANY_KEYS + 1] = {
	"stringValue", "boolValue", "bytesValue", "intValue", "doubleValue",
	"arrayValue", "kvlistValue", NULL
};

size_t
span_text_len(const char *s, size_t n)
{
	const char *nul = n > 0 ? memchr(s, '\0', n) : NULL;

	return nul != NULL ? (size_t)(nul - s) : n;
}

bool
span_id_trim(const char **s, size_t *n, bool *upper)
{
	const unsigned char *p = (const unsigned char *)*s;
	size_t len = *n, i;
	unsigned up = 0;

	if (len >= 2 && p[0] == '0' && (p[1] == 'x' || p[1] == 'X')) {
		p += 2;
		len -= 2;
	}
	/* Three ids of every span come here: memchr and a loop without
	 * an exit, which the compiler can vectorise. */
	len = span_text_len((const char *)p, len);
	for (i = 0; i < len; i++)
		up |= (unsigned char)(p[i] - 'A') < 26u;
	*upper = up != 0;
	*s = (const char *)p;
	*n = len;
	return len > 0;
}

int
span_time_int(int64_t v, int64_t *ns)
{
	if (v <= 0)
		return -1;
	*ns = v;
	return 0;
}

int
span_time_unix_nano(const char *s, size_t n, int64_t *ns)
{
	uint64_t v = 0;
	size_t i;

	n = span_text_len(s, n);
	if (n == 0)
		return -1;
	for (i = 0; i < n - 1 && s[i] == '0'; i++)
		;
	/* 19 digits cannot overflow a uint64: no check per digit. */
	if (n - i > 19)
		return -1;
	for (; i < n; i++) {
		if (s[i] < '0' || s[i] > '9')
			return -1;
		v = v * 10 + (uint64_t)(s[i] - '0');
	}
	return v > INT64_MAX ? -1 : span_time_int((int64_t)v, ns);
}

/* s[0..n) behind an optional prefix (one of two), as one of names[]
 * (lower case) ignoring ASCII case; its index, or -1.  Inlined with
 * constant prefixes: every span has a kind and a status. */
static inline int
name_index(const char *s, size_t n, const char *prefix1, size_t l1,
    const char *prefix2, size_t l2, const char *const *names, int nnames)
{
	int i;

	n = span_text_len(s, n);
	if (n >= l1 && memcmp(s, prefix1, l1) == 0) {
		s += l1;
		n -= l1;
	} else if (n >= l2 && memcmp(s, prefix2, l2) == 0) {
		s += l2;
		n -= l2;
	}
	for (i = 0; i < nnames; i++) {
		if (ascii_caseeq(s, n, names[i]))
			return i;
	}
	return -1;
}
#define PREFIX(s) s, sizeof s - 1

int
span_status_from_text(const char *s, size_t n)
{
	return name_index(s, n, PREFIX("StatusCode."), PREFIX("STATUS_CODE_"),
	    span_status_names, SPAN_STATUS_COUNT);
}

int
span_status_from_int(int64_t v)
{
	return v >= SPAN_UNSET && v <= SPAN_ERROR ? (int)v : -1;
}

int
span_kind_from_text(const char *s, size_t n)
{
	/* Matched without regard to case: "SpanKind.CLIENT", "client". */
	return name_index(s, n, PREFIX("SpanKind."), PREFIX("SPAN_KIND_"),
	    span_kind_names, SPAN_KIND_COUNT);
}
#undef PREFIX

int
span_kind_from_int(int64_t v)
{
	return v >= KIND_UNSPECIFIED && v <= KIND_CONSUMER ? (int)v : -1;
}

#define NS_PER_S INT64_C(1000000000)

/* The value of the two digits at p, or -1. */
static int
two_digits(const char *p)
{
	unsigned hi = (unsigned)(p[0] - '0'), lo = (unsigned)(p[1] - '0');

	return hi <= 9 && lo <= 9 ? (int)(hi * 10 + lo) : -1;
}

static int
days_in_month(int y, int m)
{
	static const int days[] = {
		31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31
	};

	if (m == 2 && y % 4 == 0 && (y % 100 != 0 || y % 400 == 0))
		return 29;
	return days[m - 1];
}

/* Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's
 * days_from_civil), so no timegm() and no time zone database. */
static int64_t
days_from_civil(int y, int m, int d)
{
	int64_t era, yoe, doy, doe;

	y -= m <= 2;
	era = (y >= 0 ? y : y - 399) / 400;
	yoe = y - era * 400;
	doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1;
	doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + doe - 719468;
}

/* ".123456": nanoseconds; digits past the ninth are dropped. */
static bool
take_fraction(const char **p, const char *end, int64_t *frac)
{
	int64_t scale = 100000000;
	const char *s = *p;

	*frac = 0;
	if (s == end || *s != '.')
		return true;
	if (++s == end || *s < '0' || *s > '9')
		return false;
	for (; s < end && *s >= '0' && *s <= '9'; s++, scale /= 10)
		*frac += (*s - '0') * scale;
	*p = s;
	return true;
}

/* "Z", "+02:00", "-0530" or nothing (UTC): seconds east of UTC. */
static bool
take_zone(const char *p, const char *end, int64_t *off)
{
	int hh, mm;

	*off = 0;
	if (p == end)
		return true;
	if (*p == 'Z' || *p == 'z')
		return p + 1 == end;
	if ((*p != '+' && *p != '-') || (end - p != 6 && end - p != 5) ||
	    (end - p == 6 && p[3] != ':'))
		return false;
	hh = two_digits(p + 1);
	mm = two_digits(end - 2);
	if (hh < 0 || mm < 0 || hh > 23 || mm > 59)
		return false;
	*off = (*p == '-' ? -1 : 1) * (hh * 3600 + mm * 60);
	return true;
}

int
span_parse_time(const char *s, size_t n, int64_t *ns)
{
	const char *p = s + 19, *end;
	int cc, yy, y, mo, d, h, mi, sec;
	int64_t frac, off, secs;

	n = span_text_len(s, n);
	end = s + n;

	/* YYYY-MM-DDTHH:MM:SS at fixed places, then fraction and zone. */
	if (n < 19 || s[4] != '-' || s[7] != '-' || s[13] != ':' ||
	    s[16] != ':' || (s[10] != 'T' && s[10] != 't' && s[10] != ' '))
		return -1;
	if ((cc = two_digits(s)) < 0 || (yy = two_digits(s + 2)) < 0 ||
	    (mo = two_digits(s + 5)) < 0 || (d = two_digits(s + 8)) < 0 ||
	    (h = two_digits(s + 11)) < 0 || (mi = two_digits(s + 14)) < 0 ||
	    (sec = two_digits(s + 17)) < 0)
		return -1;
	if (!take_fraction(&p, end, &frac) || !take_zone(p, end, &off))
		return -1;
	y = cc * 100 + yy;
	/* Second 60 is a leap second; it lands on the next minute's 00. */
	if (mo < 1 || mo > 12 || d < 1 || d > days_in_month(y, mo) ||
	    h > 23 || mi > 59 || sec > 60)
		return -1;
	secs = days_from_civil(y, mo, d) * 86400 + h * 3600 + mi * 60 + sec -
	    off;
	/* Years 0000-9999 are accepted; int64 ns covers 1677-2262. */
	if (secs > INT64_MAX / NS_PER_S - 1 || secs < INT64_MIN / NS_PER_S + 1)
		return -1;
	*ns = secs * NS_PER_S + frac;
	return 0;
}

/* doc/reference.md §3: the last dot-separated part of the name starts with "generate". */
static bool
name_is_generate(struct strref name)
{
	size_t i = name.n;

	while (i > 0 && name.p[i - 1] != '.')
		i--;
	return STR_PREFIX(name.p + i, name.n - i, "generate");
}

enum span_type
span_classify(const struct span_fields *f)
{
	struct strref nm = f->name;

	if (nm.p == NULL)
		nm = ref("", 0);
	if ((f->flags & SF_TOOL_ATTR) || STR_EQ(nm.p, nm.n, "tool.call") ||
	    (nm.n >= 10 && memcmp(nm.p + nm.n - 10, ".call_tool", 10) == 0))
		return SPAN_TOOL;
	if ((f->flags & (SF_LLM_RESPONSE | SF_GENAI_ATTR)) ||
	    STR_EQ(nm.p, nm.n, "llm.generate") || name_is_generate(nm))
		return SPAN_LLM;
	if ((f->flags & SF_RESOURCE_ATTR) ||
	    STR_EQ(nm.p, nm.n, "resource.fetch"))
		return SPAN_RESOURCE;
	if ((f->flags & SF_PROMPT_ATTR) || STR_EQ(nm.p, nm.n, "prompt.apply"))
		return SPAN_PROMPT;
	if ((f->flags & SF_WORKFLOW_TYPE) ||
	    STR_EQ(nm.p, nm.n, "workflow.run") ||
	    f->parent_id.p == NULL || f->parent_id.n == 0)
		return SPAN_WORKFLOW;
	if ((f->flags & SF_AGENT_NAME) || STR_EQ(nm.p, nm.n, "agent.call") ||
	    STR_PREFIX(nm.p, nm.n, "Agent."))
		return SPAN_AGENT;
	return SPAN_OTHER;
}

struct strref
span_label(const struct span_fields *f, enum span_type type)
{
	switch (type) {
	case SPAN_TOOL:
		return f->tool_name;
	case SPAN_LLM:
		return f->llm_model;
	case SPAN_AGENT:
		return f->agent_name;
	case SPAN_RESOURCE:
		return f->resource_uri;
	case SPAN_WORKFLOW:
		return f->workflow_type;
	default:
		return ref(NULL, 0);
	}
}
