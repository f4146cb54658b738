/* SPDX-License-Identifier: MIT */
/*
 * cost.h — what a session's tokens cost (doc/reference.md §9), from the price table
 * (prices.h) and the model rule of usage.h, on the span index.
 *
 * A cost is unknown (null in JSON) exactly when there are tokens whose
 * model has no price, or no model could be found for them; no tokens
 * cost 0.  Never a partial sum passed off as the cost.
 */
#ifndef COST_H
#define COST_H

#include <stdbool.h>
#include <stdint.h>

struct trace;
struct prices;
struct buf;

struct cost {
	double usd;
	bool known;
	/* Why it is unknown: the first model without a price, "" when
	 * tokens have no model at all, NULL when known.  Points into the
	 * trace's strings. */
	const char *unpriced;
};

/* The model span's tokens are counted under (strtab id; STRTAB_EMPTY
 * when none): its own if it is an llm span naming one, else its
 * parent's (the first span with its parent id) if that is an llm span naming one. */
uint32_t cost_span_model(struct trace *, uint32_t span);
/* One span's own tokens. */
void cost_span(struct trace *, const struct prices *, uint32_t span, struct cost *);
/* Every span added so far (works on summary traces too). */
void cost_trace(struct trace *, const struct prices *, struct cost *);
/* Add b to a (unknown stays unknown, the first reason kept). */
void cost_add(struct cost *a, const struct cost *b);

/* Each tree node's subtree cost, built in one pass over the snapshot. */
struct cost_rollup;
struct cost_rollup *cost_rollup_new(struct trace *, const struct prices *);
void cost_rollup_free(struct cost_rollup *);
/* false when the node's subtree has unpriced tokens (or node is out of
 * range: the rollup is of an older snapshot). */
bool cost_rollup_get(const struct cost_rollup *, uint32_t node, double *usd);

/* "$0.0123": 4 significant decimals below a dollar, 2 above. */
void cost_format(struct buf *, double usd);
/* The one hint for tokens of a model without a price, without a newline;
 * nothing for tokens without a model (no table line would help). */
void cost_hint(struct buf *, const char *unpriced);

#endif
