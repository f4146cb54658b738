/* SPDX-License-Identifier: MIT */
/*
 * critpath.h — the critical path of a session or a subtree (doc/reference.md §9): the
 * chain of spans that determined its wall time, by the rule Jaeger and
 * Grafana use (CRISP).  Walk back from the end: at each point the child
 * that finished last at or before it holds the path, and the walk goes on
 * inside that child from its end, then in the parent again from that
 * child's start; time that no child covers is the parent's own.
 *
 * Computed on the span index (trace.h), no detail parse.  The hard cases:
 * a child is clipped to its parent's interval (one that ends after its
 * parent counts up to the parent's end, one outside it not at all);
 * overlapping children: the one finishing last wins, the one it overlaps
 * takes over only before the winner's start; equal ends: the earlier
 * start (the longer child) wins, then tree order; a span without an end
 * (running) lasts until `now`; an orphan's missing parent (a placeholder)
 * spans its children; several top-level nodes are held together by the
 * session itself, whose own time is the gaps between them.
 *
 * The segments tile the root's interval exactly: their lengths add up to
 * the root's wall time, to the nanosecond.
 */
#ifndef CRITPATH_H
#define CRITPATH_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct trace;

/* The session itself, as the root of several top-level nodes. */
#define CRITPATH_SESSION UINT32_MAX

struct critpath_seg {
	uint32_t node;        /* tree node, or CRITPATH_SESSION */
	int64_t start, end;   /* Unix ns; end > start */
};

struct critpath {
	struct critpath_seg *seg; /* in time order */
	size_t nseg;
	int64_t start, end;   /* the root's interval; wall = end - start */
	uint32_t root;        /* tree node, or CRITPATH_SESSION */
	uint32_t nnodes;      /* nodes of the snapshot it was computed on */
	uint8_t *on;          /* per node: on the path */
	int64_t *self;        /* per node: time it holds the path */
};

/*
 * The path of node's subtree, or of the whole session when node is
 * CRITPATH_SESSION, on the trace's tree snapshot (the caller decides when
 * to bring it up to date, as for every tree query).  now: the end of
 * spans that have none.  NULL when there is no span with a time.
 */
struct critpath *critpath_compute(struct trace *, uint32_t node, int64_t now);
void critpath_free(struct critpath *);
bool critpath_on(const struct critpath *, uint32_t node);
/* Time node holds the path (0 when off it). */
int64_t critpath_self(const struct critpath *, uint32_t node);
int64_t critpath_wall(const struct critpath *);

/* node's interval as the path sees it: a running span up to now, a
 * placeholder over its children.  false when it has no start time. */
bool critpath_interval(struct trace *, uint32_t node, int64_t now, int64_t *start,
    int64_t *end);
/* A span's self time: its duration that none of its children (clipped
 * to it) covers. */
int64_t critpath_span_self(struct trace *, uint32_t node, int64_t now);

#endif
