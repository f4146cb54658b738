/*
 * span_parse.h — the fast index pass: one line of a trace → span_fields.
 *
 * Formats (SPEC §2) are detected per line: OpenTelemetry SDK to_json,
 * the flat inspector layout, and OTLP/JSON (many spans per line).  No JSON
 * tree is built; the scanner skips what it does not need.
 */
#ifndef SPAN_PARSE_H
#define SPAN_PARSE_H

#include "span.h"

struct span_parser;

struct span_parser *span_parser_new(void);
void span_parser_free(struct span_parser *);

/*
 * Parse one line (without its '\n'; a trailing '\r' is tolerated).
 * Returns the number of spans found (0 for a blank line), or -1 when the
 * line is bad: not JSON, or JSON that holds no span.  A line is all or
 * nothing: when -1 is returned no span of it is reported.
 */
int span_parse_line(struct span_parser *, const char *line, size_t len);

/* The i-th span of the last parsed line; valid until the next parse call. */
const struct span_fields *span_parser_span(const struct span_parser *, int i);

/* Why the last line was bad, e.g. "not JSON at byte 17"; static storage
 * inside the parser, valid until the next parse call. */
const char *span_parser_error(const struct span_parser *);

/* Parse an RFC 3339 time ("2025-07-13T09:46:40.015090Z", fraction and zone
 * optional, no zone = UTC) into Unix ns.  Returns 0, or -1 if malformed. */
int span_parse_time(const char *s, size_t n, int64_t *ns);

#endif
