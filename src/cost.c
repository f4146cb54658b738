/* SPDX-License-Identifier: MIT */
/* cost.c — token cost by the price table; see cost.h. */
#include "cost.h"

#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "prices.h"
#include "trace.h"
#include "usage.h"
#include "xmalloc.h"

uint32_t
cost_span_model(struct trace *t, uint32_t i)
{
	const struct span *s = trace_span(t, i), *p;
	const char *pid;
	uint32_t parent;

	if (s->type == SPAN_LLM && s->label != STRTAB_EMPTY)
		return s->label;
	if (s->parent == STRTAB_EMPTY)
		return STRTAB_EMPTY;
	/* By id, not by the tree snapshot, which may predate this span
	 * (--tail): the parent as usage.c finds it. */
	pid = trace_str(t, s->parent);
	if ((parent = trace_find(t, pid, strlen(pid))) == TRACE_NONE || parent == i)
		return STRTAB_EMPTY;
	p = trace_span(t, parent);
	return p->type == SPAN_LLM ? p->label : STRTAB_EMPTY;
}

static void
cost_of(struct trace *t, const struct prices *pr, uint32_t model,
    const struct token_counts *tc, struct cost *c)
{
	const char *name = trace_str(t, model);

	c->usd = 0;
	c->known = true;
	c->unpriced = NULL;
	if (tc->in <= 0 && tc->out <= 0 && tc->cache_read <= 0 &&
	    tc->cache_write <= 0)
		return;
	if (model == STRTAB_EMPTY || !prices_cost(pr, name, tc, &c->usd)) {
		c->known = false;
		c->usd = 0;
		c->unpriced = model == STRTAB_EMPTY ? "" : name;
	}
}

void
cost_span(struct trace *t, const struct prices *pr, uint32_t i, struct cost *c)
{
	static const struct token_counts none = { 0, 0, 0, 0 };
	struct token_counts tc;

	trace_span_tokens(t, i, &tc);
	if (tc.in <= 0 && tc.out <= 0 && tc.cache_read <= 0 && tc.cache_write <= 0)
		cost_of(t, pr, STRTAB_EMPTY, &none, c);
	else
		cost_of(t, pr, cost_span_model(t, i), &tc, c);
}

void
cost_add(struct cost *a, const struct cost *b)
{
	if (!b->known) {
		/* A model the table could price is the reason worth giving. */
		if (a->known || a->unpriced == NULL ||
		    (a->unpriced[0] == '\0' && b->unpriced != NULL))
			a->unpriced = b->unpriced;
		a->known = false;
		a->usd = 0;
	} else if (a->known)
		a->usd += b->usd;
}

void
cost_trace(struct trace *t, const struct prices *pr, struct cost *c)
{
	const struct usage_model *m;
	struct cost one;
	size_t n, k;

	static const struct token_counts none = { 0, 0, 0, 0 };

	n = trace_models(t, &m);
	cost_of(t, pr, STRTAB_EMPTY, &none, c);
	for (k = 0; k < n; k++) {
		cost_of(t, pr, m[k].model, &m[k].tok, &one);
		cost_add(c, &one);
	}
}

struct cost_rollup {
	uint32_t n;
	double *usd;
	uint8_t *unknown;
};

struct cost_rollup *
cost_rollup_new(struct trace *t, const struct prices *pr)
{
	struct cost_rollup *r = xcalloc(1, sizeof *r);
	uint32_t nodes = trace_nodes(t), spans = trace_tree_spans(t), pos, node, parent;
	struct cost c;

	r->n = nodes;
	r->usd = xcalloc(nodes ? nodes : 1, sizeof *r->usd);
	r->unknown = xcalloc(nodes ? nodes : 1, 1);
	/* Children come after their parent in depth-first order: walking it
	 * backwards hands each finished subtree up. */
	for (pos = nodes; pos-- > 0;) {
		node = trace_order(t, pos);
		if (node < spans) {
			cost_span(t, pr, node, &c);
			if (c.known)
				r->usd[node] += c.usd;
			else
				r->unknown[node] = 1;
		}
		if ((parent = trace_parent(t, node)) != TRACE_NONE) {
			r->usd[parent] += r->usd[node];
			r->unknown[parent] |= r->unknown[node];
		}
	}
	return r;
}

void
cost_rollup_free(struct cost_rollup *r)
{
	if (r == NULL)
		return;
	free(r->usd);
	free(r->unknown);
	free(r);
}

bool
cost_rollup_get(const struct cost_rollup *r, uint32_t node, double *usd)
{
	if (r == NULL || node >= r->n || r->unknown[node])
		return false;
	*usd = r->usd[node];
	return true;
}

void
cost_format(struct buf *b, double usd)
{
	if (usd >= 1 || usd == 0)
		buf_printf(b, "$%.2f", usd);
	else
		buf_printf(b, "$%.4f", usd);
}

void
cost_hint(struct buf *b, const char *unpriced)
{
	if (unpriced == NULL || *unpriced == '\0')
		return;
	const struct price *e = prices_find(prices_default(), unpriced);

	if (e != NULL) {
		/* The model is priced; its cached tokens are not. */
		buf_printf(b, "no %s price for model '%s': give its line a "
		    "\"model input output cache_read cache_write\" form "
		    "(USD per million tokens, '-' unknown) in %s",
		    e->cache_read < 0 ? "cache-read" : "cache-write", unpriced,
		    prices_user_path());
		return;
	}
	buf_printf(b, "no price for model '%s': add a line "
	    "\"model input output\" (USD per million tokens) to %s", unpriced,
	    prices_user_path());
}
