/* SPDX-License-Identifier: MIT */
/*
 * span_parse.h — the fast index pass: one line of a trace → span_fields.
 *
 * Formats (doc/reference.md §2) are detected per line: OpenTelemetry SDK to_json,
 * the flat inspector layout, and OTLP/JSON (many spans per line).  No JSON
 * tree is built; the scanner skips what it does not need.
 */
#ifndef SPAN_PARSE_H
#define SPAN_PARSE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "span.h"

struct span_parser;

struct span_parser *span_parser_new(void);
void span_parser_free(struct span_parser *);

/*
 * Parse one line (without its '\n'; a trailing '\r' is tolerated).
 * Returns the number of spans found (0 for a blank line), or -1 when the
 * line is bad: not JSON, or JSON that holds no span.  When -1 is returned
 * no span of it is reported.  An OTLP batch whose JSON is good keeps its
 * good spans when some elements are no span (no spanId, not an object):
 * span_parser_skipped then says which (doc/reference.md §2.8).
 */
int span_parse_line(struct span_parser *, const char *line, size_t len);
/* After a line that returned spans: NULL, or what of it was skipped, e.g.
 * "span 2 of 3 in the line skipped: span without spanId"; valid until the
 * next call. */
const char *span_parser_skipped(struct span_parser *);

/* The i-th span of the last parsed line; valid until the next parse call. */
const struct span_fields *span_parser_span(const struct span_parser *, int i);

/* Why the last line was bad, e.g. "not JSON at byte 17"; static storage
 * inside the parser, valid until the next parse call. */
const char *span_parser_error(const struct span_parser *);

/*
 * Tokens of an mcp.llm.response_json document (doc/reference.md §3), the one rule the
 * index pass and the chat view share: the "usage" of a response message,
 * or the sum over a JSON array of them (the inspector's after_llm_generate
 * writes one message per tool round).  Anthropic input/output_tokens, else
 * OpenAI prompt/completion_tokens; total_tokens beside.  A document cut
 * short (30 KB) keeps every count read before the cut.  -1: none.  s is
 * the decoded text; arena takes decoded strings (reset by the caller).
 *
 * in counts every input token the model read, cached ones included:
 * Anthropic reports cache_read_input_tokens and cache_creation_input_tokens
 * beside input_tokens, and they are added to it; OpenAI's
 * prompt_tokens_details.cached_tokens (input_tokens_details in the
 * Responses API) is already part of prompt_tokens.  cache_read and
 * cache_write say how many of in were read from / written to the cache.
 */
struct jarena;
struct span_tokens {
	int64_t in, out, total;
	int64_t cache_read, cache_write;
};
void span_response_tokens(struct jarena *, const char *s, size_t n,
    struct span_tokens *);

/*
 * Field rules, shared with span_detail.c so that the tree, the list and
 * the filters (this pass) and the inspector (span_detail) never disagree:
 * each rule lives here once and both parsers call it.
 *
 * Keys: a key written twice counts once, with its last value (as jansson
 * and Python's json read it).  A field spelled several ways (span_id,
 * spanId, context.span_id) takes the first spelling in span_keys[] order
 * whose value the field's rule accepts; a value it does not accept (null,
 * "", a number where text is due, a malformed time) is as if absent.
 * Text: a \u0000 reads as U+FFFD in every string, keys included (jscan
 * and span_detail's prepass both rewrite it): text is kept as C strings,
 * and a NUL would hide whatever follows it.  span_text_len still stops
 * at a NUL, as a guard, but none is ever decoded.
 */

/* The fields read under several spellings. */
enum span_key_field {
	SKF_SPAN_ID, SKF_TRACE_ID, SKF_PARENT_ID, SKF_START, SKF_END,
	SKF_NFIELDS
};

/* How a spelling's value is read. */
enum span_key_rule {
	SKR_ID,        /* span_id_trim */
	SKR_RFC3339,   /* span_parse_time on a string */
	SKR_UNIX_NANO, /* span_time_unix_nano: digits in a string, or an integer */
};

struct span_key {
	const char *name;
	size_t len;
	enum span_key_field field;
	enum span_key_rule rule;
	bool in_context;   /* the SDK's "context": {"span_id", "trace_id"} */
};

/* Every spelling, each field's in priority order (first usable wins):
 * X(name, field, rule, in_context).  The SDK's spelling comes first, as
 * it is what the inspector writes. */
#define SPAN_KEYS(X)							\
	X("span_id", SKF_SPAN_ID, SKR_ID, true)				\
	X("span_id", SKF_SPAN_ID, SKR_ID, false)			\
	X("spanId", SKF_SPAN_ID, SKR_ID, false)				\
	X("trace_id", SKF_TRACE_ID, SKR_ID, true)			\
	X("trace_id", SKF_TRACE_ID, SKR_ID, false)			\
	X("traceId", SKF_TRACE_ID, SKR_ID, false)			\
	X("parent_id", SKF_PARENT_ID, SKR_ID, false)			\
	X("parent_span_id", SKF_PARENT_ID, SKR_ID, false)		\
	X("parentSpanId", SKF_PARENT_ID, SKR_ID, false)			\
	X("start_time", SKF_START, SKR_RFC3339, false)			\
	X("startTimeUnixNano", SKF_START, SKR_UNIX_NANO, false)		\
	X("end_time", SKF_END, SKR_RFC3339, false)			\
	X("endTimeUnixNano", SKF_END, SKR_UNIX_NANO, false)
#define SPAN_NKEYS 13

/* SPAN_KEYS as a table. */
extern const struct span_key span_keys[SPAN_NKEYS];

/* OTLP: a resourceSpans entry's scope list, in priority order. */
extern const char *const span_scope_keys[]; /* NULL-terminated */
#define SPAN_NSCOPE_KEYS 2

/* OTLP AnyValue members: the first present counts (the last, if
 * repeated).  NULL-terminated; the indices below name them. */
extern const char *const span_any_value_keys[];
enum {
	SPAN_ANY_STRING, SPAN_ANY_BOOL, SPAN_ANY_BYTES, SPAN_ANY_INT,
	SPAN_ANY_DOUBLE, SPAN_ANY_ARRAY, SPAN_ANY_KVLIST, SPAN_NANY_KEYS
};

/* Whether an OTLP intValue/doubleValue string is a number both parsers
 * hold as one (not NaN, Infinity, beyond int64 or beyond a double); else
 * it stays text.  num, if not NULL, gets it. */
struct jnum;
bool span_otlp_number(const char *s, size_t n, struct jnum *num);

/* Length of s[0..n) up to its first NUL. */
size_t span_text_len(const char *s, size_t n);

/* An id: cut at a NUL, a leading "0x"/"0X" dropped; false when nothing is
 * left (no id).  *upper tells whether it must still be lower-cased. */
bool span_id_trim(const char **s, size_t *n, bool *upper);

/* OTLP nanoseconds as a string of ASCII digits; 0 and overflow are no
 * time.  Returns 0, or -1.  span_time_int: the same for a JSON integer. */
int span_time_unix_nano(const char *s, size_t n, int64_t *ns);
int span_time_int(int64_t v, int64_t *ns);

/* Status: "OK", "ERROR", "UNSET" in any case, optionally behind
 * "StatusCode." or "STATUS_CODE_", or the integers 0-2.  -1 otherwise. */
int span_status_from_text(const char *s, size_t n);
int span_status_from_int(int64_t v);

/* Kind: "INTERNAL" ... in any case, optionally behind one "SpanKind." or
 * "SPAN_KIND_", or the integers 0-5.  -1 otherwise. */
int span_kind_from_text(const char *s, size_t n);
int span_kind_from_int(int64_t v);

/* Parse an RFC 3339 time ("2025-07-13T09:46:40.015090Z", fraction and zone
 * optional, no zone = UTC; a NUL ends the text) into Unix ns.  Returns 0,
 * or -1 if malformed. */
int span_parse_time(const char *s, size_t n, int64_t *ns);

#endif
