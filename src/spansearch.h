/* SPDX-License-Identifier: MIT */
/*
 * spansearch.h — which spans of a session hold a text: the browser's tree
 * search (doc/reference.md §6).
 *
 * A span holds the text when its name, label or id does (in memory), or
 * its raw line does (attribute values, status description, events), by
 * text_find's rule (ASCII letters in either case), up to the line's first
 * NUL byte.  Lines are looked at two ways, with the same answers
 * (tests/test_search.c): one span alone, its line fetched back by random
 * access (the spans just after the selection, for the first jump), or
 * every span in file order, each file read once a segment at a time (one
 * inflate per segment) and searched with memmem on its folded bytes.
 * Both work in slices: nothing blocks for longer than one segment's read.
 */
#ifndef SPANSEARCH_H
#define SPANSEARCH_H

#include <stdbool.h>
#include <stdint.h>

struct session;
struct spansearch;

enum spansearch_result {
	SPANSEARCH_UNKNOWN,
	SPANSEARCH_NO,
	SPANSEARCH_YES,
};

/* A search of text in the spans s has now (later spans: a new search).
 * s must outlive it; text is copied. */
struct spansearch *spansearch_new(struct session *s, const char *text);
void spansearch_free(struct spansearch *);
const char *spansearch_text(const struct spansearch *);
/* Spans it covers, and how many of them are known. */
uint32_t spansearch_count(const struct spansearch *);
uint32_t spansearch_known(const struct spansearch *);
enum spansearch_result spansearch_get(const struct spansearch *, uint32_t span);

/* Span alone: known at once, its line read back by itself if need be. */
enum spansearch_result spansearch_span(struct spansearch *, uint32_t span);
/*
 * Read on through the files in order until deadline_us (clock_us(); at
 * least one read is made).  True while spans are left.
 */
bool spansearch_work(struct spansearch *, int64_t deadline_us);

#endif
