/* SPDX-License-Identifier: MIT */
/* treeguide.c — tree guides before a span; see treeguide.h. */
#include "treeguide.h"

#include <stdlib.h>

#include "trace.h"
#include "xmalloc.h"

bool
treeguide_is_last(struct trace *t, uint32_t node)
{
	uint32_t p = trace_parent(t, node);
	uint32_t end = p == TRACE_NONE ? trace_nodes(t) :
	    trace_pos(t, p) + trace_subtree_size(t, p);

	return trace_pos(t, node) + trace_subtree_size(t, node) == end;
}

void
treeguide_add(struct buf *b, struct trace *t, uint32_t node,
    const struct treeguide_glyphs *g, uint32_t max_levels)
{
	uint32_t depth = trace_depth(t, node), shown, k, a;
	uint32_t *chain;

	if (depth == 0)
		return;
	shown = max_levels > 0 && depth > max_levels ? max_levels : depth;
	/* chain[0] is node, chain[k] its k-th ancestor. */
	chain = xreallocarray(NULL, shown, sizeof *chain);
	for (a = node, k = 0; k < shown; k++) {
		chain[k] = a;
		a = trace_parent(t, a);
	}
	for (k = shown; k > 1; k--)
		buf_adds(b, treeguide_is_last(t, chain[k - 1]) ? g->blank : g->pipe);
	buf_adds(b, treeguide_is_last(t, node) ? g->elbow : g->tee);
	free(chain);
}
