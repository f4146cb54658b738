/* SPDX-License-Identifier: MIT */
/*
 * spanprep.h — the spans of a block's lines, parsed ahead on another thread.
 *
 * A big file is read on two threads (tracefile.c): one inflates, the other
 * splits lines, parses them and adds the spans to the trace.  Parsing is
 * two thirds of the second thread's work, so the first one, which would
 * otherwise wait for room in the queue, parses lines of the block it is
 * about to queue with a parser of its own and hands the results over with
 * the block.  The second thread then takes a line's spans from here
 * instead of parsing the line again.
 *
 * Only lines that parse cleanly into spans are kept: a blank line, a bad
 * one or an OTLP batch with a skipped element is parsed again where it is
 * indexed, so every message, count and line number comes from one place.
 * A line is looked up by its stream offset and length, so a line the
 * indexing thread sees differently (the tail of the block before, a line
 * inside a pretty-printed object, which it never parses) simply finds
 * nothing.
 *
 * Ownership: a spanprep belongs to one block and travels with it; the
 * spans it gives out point into the block's text or into its own memory,
 * valid until spanprep_begin or spanprep_free.
 */
#ifndef SPANPREP_H
#define SPANPREP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "span.h"

struct span_parser;
struct spanprep;

struct spanprep *spanprep_new(void);
void spanprep_free(struct spanprep *);
/* void * form of spanprep_free, for textq_new. */
void spanprep_free_tag(void *);

/* Producer: forget what was kept; text (len bytes, the first at stream
 * offset base) is the block whose lines are parsed next. */
void spanprep_begin(struct spanprep *, const char *text, size_t len, uint64_t base);
/*
 * Producer: parse the block's whole lines (those after its first '\n'),
 * each as lines.h delivers it ('\r' before '\n' dropped), while go_on(arg)
 * says so (asked every few lines).  Lines longer than max_len are left.
 * Returns the number of lines kept.
 */
size_t spanprep_parse(struct spanprep *, struct span_parser *, size_t max_len,
    bool (*go_on)(void *), void *arg);

/* Consumer: the spans of the line at stream offset off, len bytes long,
 * into *spans: their count, or -1 when the line was not parsed ahead.
 * Lines are asked for in stream order. */
int spanprep_take(struct spanprep *, uint64_t off, size_t len,
    const struct span_fields **spans);

#endif
