/* SPDX-License-Identifier: MIT */
/*
 * stats.h — where a session's time, tokens and money went (doc/reference.md §9):
 * groups of spans per tool, model, agent and span type, each with count,
 * errors, total / p50 / p95 / max duration, tokens and cost; and the
 * session's wall time split into LLM, tool, waiting (paused) and other
 * time along its critical path (critpath.h), so the split adds up to the
 * wall time exactly.
 *
 * Membership: "type" groups every span; "tool" the tool spans by tool
 * name; "agent" the agent spans by agent name; "model" the llm spans by
 * the model their tokens count under (cost.h: their own, else their llm
 * parent's), so with the real instrumentation a call is two llm spans
 * (…generate_str holding …generate) and the tokens are counted once.
 * A span's duration runs to `now` when it has no end; one without a start
 * counts, but has no duration.  Percentiles are nearest-rank: p50 is the
 * smallest duration with at least half the spans at or below it.
 */
#ifndef STATS_H
#define STATS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "cost.h"

struct trace;
struct prices;

enum stats_by { STATS_TOOL, STATS_MODEL, STATS_AGENT, STATS_TYPE, STATS_NBY };

struct stats_group {
	enum stats_by by;
	char *key;               /* owned */
	uint32_t count, errors;
	uint32_t timed;          /* spans with a duration */
	int64_t total_ns, p50_ns, p95_ns, max_ns;
	int64_t tok_in, tok_out;
	int64_t tok_cache_read, tok_cache_write; /* of tok_in */
	struct cost cost;        /* cost.unpriced points into the trace */
};

struct stats {
	int64_t wall_ns;
	int64_t llm_ns, tool_ns, waiting_ns, other_ns;
	struct stats_group *g;   /* by, then total duration descending */
	size_t n;
};

struct stats_acc;

/* The stats of a whole session, on its tree snapshot (trace.h: the caller
 * decides when to bring it up to date); now: the
 * end of spans without one.  With acc, they are also added to it.  Never
 * NULL. */
struct stats *stats_compute(struct trace *, const struct prices *, int64_t now,
    struct stats_acc *acc);
/* The same with the session's critical path already at hand (its split
 * comes from it; NULL: no path, no split). */
struct critpath;
struct stats *stats_compute_path(struct trace *, const struct prices *,
    const struct critpath *, int64_t now, struct stats_acc *acc);
void stats_free(struct stats *);
const char *stats_by_name(enum stats_by);   /* "tool", "model", ... */
/* The nearest-rank percentile q (0..100] of v[0..n) sorted ascending. */
int64_t stats_percentile(const int64_t *v, size_t n, unsigned q);
/* A filter expression (filter.h) that selects the group's spans;
 * caller frees. */
char *stats_group_filter(const struct stats_group *);

/*
 * Stats over many sessions, added one at a time and forgotten (--stats
 * --all): memory grows with the number of groups, not of sessions or
 * spans.  Percentiles come from a log histogram (buckets 1% apart, so
 * within 1% of the exact value, never above the max).
 */
struct stats_acc *stats_acc_new(void);
void stats_acc_free(struct stats_acc *);
/* The aggregate so far (caller frees with stats_free; cost.unpriced
 * points into the accumulator). */
struct stats *stats_acc_result(struct stats_acc *);

#endif
