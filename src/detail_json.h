/* SPDX-License-Identifier: MIT */
/*
 * detail_json.h — a span's detail fields for --dump --json --detail,
 * written straight from its line with the pull scanner (jscan.c).
 *
 * span_detail.c parses the whole line with jansson into a tree, then
 * into a struct span_detail, then the CLI writes that out again: most of
 * the time of --dump --json --detail.  The attribute values are already
 * JSON text in the line, so for the common lines (the SDK and flat
 * formats) this copies them through, re-encoding only strings and
 * numbers the way span_detail.c writes them.  Whatever it is not sure to
 * write byte for byte as span_detail.c would (OTLP lines and OTLP
 * attribute lists, repeated keys, reals, deep nesting, any JSON error)
 * it declines, and the caller takes the jansson path: one behaviour,
 * two speeds.
 */
#ifndef DETAIL_JSON_H
#define DETAIL_JSON_H

#include <stddef.h>

#include "buf.h"

struct jarena;
struct span_detail;

/* The same fields from a parsed span (span_detail.c); nulls when d is
 * NULL (the span could not be read). */
void detail_json_fields(struct buf *b, const struct span_detail *d);

/*
 * Append ,"status_description":…,"attributes":…,"events":…,"resource":…
 * for span index_in_line of line[0..len) to b, exactly as
 * detail_json_fields writes them from span_detail_parse's result.  Returns 0, or -1 when it
 * declines; then b is as it was.  arena is scratch for decoded strings
 * (reset here; one per thread).
 */
int detail_json_write(struct buf *b, const char *line, size_t len,
    unsigned index_in_line, struct jarena *arena);

#endif
