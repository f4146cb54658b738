/* SPDX-License-Identifier: MIT */
/*
 * diff.h — compare two runs (doc/reference.md §9 "Compare two runs"): the span trees of
 * two traces merged into one tree of rows, each span of A matched with a
 * span of B or marked removed / added.
 *
 * Matching: a span is known by its path of (type, name, label) from the
 * root; among the children of a matched pair (or among the roots), the nth
 * child with a given (type, name, label) in A matches the nth such child
 * in B, in tree order (start time).  So a retry loop that ran twice instead
 * of once shows its second round as added, and a step that vanished as
 * removed, while everything around them still lines up.  Placeholders (the
 * missing parents of orphans) match each other by their order, whatever
 * the missing id: ids differ between runs.
 *
 * A matched pair is "changed" when its status differs, its duration moved
 * by the threshold ratio or more (either way; durations under
 * DIFF_MIN_DURATION_NS count as that much, so 0 ms against 1 ms is not
 * "infinitely slower"), its own tokens differ, or — after diff_attributes —
 * an attribute key was added, removed or changed value.
 */
#ifndef DIFF_H
#define DIFF_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct trace;
struct session;
struct span_detail;

#define DIFF_DEFAULT_THRESHOLD 1.25
#define DIFF_MIN_DURATION_NS 1000000LL /* 1 ms */

enum diff_change { DIFF_SAME, DIFF_ADDED, DIFF_REMOVED, DIFF_CHANGED };

enum diff_what {
	DIFF_W_STATUS = 1 << 0,
	DIFF_W_DURATION = 1 << 1,  /* slower or faster by the threshold */
	DIFF_W_TOKENS = 1 << 2,
	DIFF_W_ATTRS = 1 << 3,
};

/* One row of the merged tree. */
struct diff_row {
	uint32_t a, b;       /* tree nodes in A and B; TRACE_NONE on the side
	                        where the span is absent */
	uint32_t depth;
	uint8_t change;      /* enum diff_change */
	uint8_t what;        /* enum diff_what, for DIFF_CHANGED */
	double ratio;        /* B's duration / A's, 0 when either is unknown */
};

/* The traces are borrowed: they must outlive the diff, and their tree
 * snapshots are the ones compared (rebuild them first if they grew). */
struct diff {
	struct trace *ta, *tb;
	double threshold;
	struct diff_row *rows;   /* merged tree order; owned */
	size_t n, cap;
};

/* threshold <= 1 means DIFF_DEFAULT_THRESHOLD. */
struct diff *diff_new(struct trace *a, struct trace *b, double threshold);
void diff_free(struct diff *);

/*
 * Compare the attributes of every matched pair of spans, fetching both
 * details from the sessions (whose traces the diff was made from); pairs
 * that differ get DIFF_W_ATTRS.  A detail that cannot be fetched is
 * skipped: its pair is compared on the index figures only.
 */
void diff_attributes(struct diff *, struct session *a, struct session *b);

/* True when A and B differ in structure (rows added or removed) or in a
 * status: what --diff's exit status 1 means. */
bool diff_differs(const struct diff *);
/* Rows that are not DIFF_SAME. */
size_t diff_count_changes(const struct diff *);
/* The next row after `from` (dir 1) or before it (dir -1) that is not
 * DIFF_SAME, wrapping; SIZE_MAX when none.  from may be SIZE_MAX to start
 * at the first (or last). */
size_t diff_next_change(const struct diff *, size_t from, int dir);

/* "same", "added", "removed", "changed". */
const char *diff_change_name(enum diff_change);

/*
 * Is attribute `key` different between two details (absent on one side,
 * or a different value)?  Either detail may be NULL (then every key of the
 * other differs).
 */
bool diff_attr_differs(const struct span_detail *a, const struct span_detail *b,
    const char *key);
/* Whether any attribute differs. */
bool diff_attrs_differ(const struct span_detail *a, const struct span_detail *b);

#endif
