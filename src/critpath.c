/* SPDX-License-Identifier: MIT */
/* critpath.c — the CRISP critical path on the span index; see critpath.h. */
#include "critpath.h"

#include <stdlib.h>
#include <string.h>

#include "trace.h"
#include "xmalloc.h"

/* A child as its parent's walk sees it: clipped to the parent. */
struct cp_kid {
	uint32_t node;
	uint32_t rank;        /* tree order, for ties */
	int64_t s, e;
};

struct cp_frame {
	uint32_t node;
	int64_t start, t;     /* its clipped start; the walk's point in it */
	size_t base, ci, cn;  /* its kids: kids[base .. base + cn), next ci */
};

struct cp_walk {
	struct trace *t;
	int64_t now;
	struct cp_kid *kids;
	size_t nkids, capkids;
	struct critpath *cp;
	size_t capseg;
};

static bool
cp_span_interval(struct trace *t, uint32_t node, int64_t now, int64_t *s, int64_t *e)
{
	const struct span *sp = trace_span(t, node);

	if (sp->start_ns == SPAN_TIME_NONE)
		return false;
	*s = sp->start_ns;
	*e = sp->end_ns != SPAN_TIME_NONE ? sp->end_ns : (now > *s ? now : *s);
	if (*e < *s)
		*e = *s;
	return true;
}

/* Calls f for each child of node (CRITPATH_SESSION: each top-level node). */
#define CP_FOR_CHILDREN(t, node, c, pos, end)                                  \
	for (pos = (node) == CRITPATH_SESSION ? 0 : trace_pos(t, node) + 1,     \
	    end = (node) == CRITPATH_SESSION ? trace_nodes(t) :                 \
	    trace_pos(t, node) + trace_subtree_size(t, node);                   \
	    pos < end && ((c = trace_order(t, pos)), 1);                        \
	    pos += trace_subtree_size(t, c))

bool
critpath_interval(struct trace *t, uint32_t node, int64_t now, int64_t *start,
    int64_t *end)
{
	uint32_t c, pos, stop;
	int64_t s, e;
	bool any = false;

	if (node != CRITPATH_SESSION && !trace_is_placeholder(t, node))
		return cp_span_interval(t, node, now, start, end);
	CP_FOR_CHILDREN(t, node, c, pos, stop) {
		if (!critpath_interval(t, c, now, &s, &e))
			continue;
		if (!any || s < *start)
			*start = s;
		if (!any || e > *end)
			*end = e;
		any = true;
	}
	return any;
}

static int
cp_kid_cmp(const void *pa, const void *pb)
{
	const struct cp_kid *a = pa, *b = pb;

	if (a->e != b->e)
		return a->e > b->e ? -1 : 1;
	if (a->s != b->s)
		return a->s < b->s ? -1 : 1;
	return a->rank < b->rank ? -1 : a->rank > b->rank;
}

/* Push node's children, clipped to [start, end), ends descending. */
static size_t
cp_gather(struct cp_walk *w, uint32_t node, int64_t start, int64_t end)
{
	struct trace *t = w->t;
	uint32_t c, pos, stop;
	size_t base = w->nkids;
	int64_t s, e;

	CP_FOR_CHILDREN(t, node, c, pos, stop) {
		if (!critpath_interval(t, c, w->now, &s, &e))
			continue;
		if (s < start)
			s = start;
		if (e > end)
			e = end;
		if (e <= s)
			continue;
		if (w->nkids == w->capkids) {
			w->capkids = w->capkids ? w->capkids * 2 : 256;
			w->kids = xreallocarray(w->kids, w->capkids, sizeof *w->kids);
		}
		w->kids[w->nkids++] = (struct cp_kid){ c, pos, s, e };
	}
	/* (qsort must not get a NULL array, even of none) */
	if (w->nkids > base)
		qsort(w->kids + base, w->nkids - base, sizeof *w->kids, cp_kid_cmp);
	return w->nkids - base;
}

static void
cp_emit(struct cp_walk *w, uint32_t node, int64_t s, int64_t e)
{
	struct critpath *cp = w->cp;

	if (cp->nseg == w->capseg) {
		w->capseg = w->capseg ? w->capseg * 2 : 64;
		cp->seg = xreallocarray(cp->seg, w->capseg, sizeof *cp->seg);
	}
	cp->seg[cp->nseg++] = (struct critpath_seg){ node, s, e };
	if (node != CRITPATH_SESSION)
		cp->self[node] += e - s;
}

static void
cp_mark(struct critpath *cp, uint32_t node)
{
	if (node != CRITPATH_SESSION)
		cp->on[node] = 1;
}

/* The walk, with an explicit stack: a path can be as deep as the tree. */
static void
cp_walk(struct cp_walk *w, uint32_t root, int64_t start, int64_t end)
{
	struct cp_frame *st = NULL, *f;
	size_t depth = 0, cap = 0;
	struct cp_kid k;

	cap = 64;
	st = xreallocarray(NULL, cap, sizeof *st);
	st[depth++] = (struct cp_frame){ root, start, end, 0, 0,
		cp_gather(w, root, start, end) };
	cp_mark(w->cp, root);
	while (depth > 0) {
		f = &st[depth - 1];
		while (f->ci < f->cn && w->kids[f->base + f->ci].e > f->t)
			f->ci++;
		if (f->ci == f->cn) {
			if (f->t > f->start)
				cp_emit(w, f->node, f->start, f->t);
			w->nkids = f->base;
			depth--;
			continue;
		}
		k = w->kids[f->base + f->ci++];
		if (f->t > k.e)
			cp_emit(w, f->node, k.e, f->t);
		f->t = k.s;
		if (depth == cap) {
			cap *= 2;
			st = xreallocarray(st, cap, sizeof *st);
		}
		st[depth] = (struct cp_frame){ k.node, k.s, k.e, w->nkids, 0, 0 };
		st[depth].cn = cp_gather(w, k.node, k.s, k.e);
		depth++;
		cp_mark(w->cp, k.node);
	}
	free(st);
}

struct critpath *
critpath_compute(struct trace *t, uint32_t node, int64_t now)
{
	struct cp_walk w;
	struct critpath *cp;
	uint32_t nodes = trace_nodes(t), c, pos, stop, top = 0, only = CRITPATH_SESSION;
	int64_t s, e;
	size_t i;

	if (node == CRITPATH_SESSION) {
		/* One top-level node is the root itself. */
		CP_FOR_CHILDREN(t, CRITPATH_SESSION, c, pos, stop) {
			only = c;
			top++;
		}
		if (top == 1)
			node = only;
	} else if (node >= nodes)
		return NULL;
	if (!critpath_interval(t, node, now, &s, &e))
		return NULL;
	cp = xcalloc(1, sizeof *cp);
	cp->root = node;
	cp->start = s;
	cp->end = e;
	cp->nnodes = nodes;
	cp->on = xcalloc(nodes ? nodes : 1, 1);
	cp->self = xcalloc(nodes ? nodes : 1, sizeof *cp->self);
	memset(&w, 0, sizeof w);
	w.t = t;
	w.now = now;
	w.cp = cp;
	cp_walk(&w, node, s, e);
	free(w.kids);
	/* The walk went backwards in time. */
	for (i = 0; i < cp->nseg / 2; i++) {
		struct critpath_seg tmp = cp->seg[i];

		cp->seg[i] = cp->seg[cp->nseg - 1 - i];
		cp->seg[cp->nseg - 1 - i] = tmp;
	}
	return cp;
}

void
critpath_free(struct critpath *cp)
{
	if (cp == NULL)
		return;
	free(cp->seg);
	free(cp->on);
	free(cp->self);
	free(cp);
}

bool
critpath_on(const struct critpath *cp, uint32_t node)
{
	return cp != NULL && node < cp->nnodes && cp->on[node];
}

int64_t
critpath_self(const struct critpath *cp, uint32_t node)
{
	return cp != NULL && node < cp->nnodes ? cp->self[node] : 0;
}

int64_t
critpath_wall(const struct critpath *cp)
{
	return cp != NULL ? cp->end - cp->start : 0;
}

static int
cp_by_start(const void *pa, const void *pb)
{
	const struct cp_kid *a = pa, *b = pb;

	return a->s < b->s ? -1 : a->s > b->s;
}

int64_t
critpath_span_self(struct trace *t, uint32_t node, int64_t now)
{
	struct cp_walk w;
	int64_t s, e, covered = 0, at;
	size_t n, i;

	if (!critpath_interval(t, node, now, &s, &e))
		return 0;
	memset(&w, 0, sizeof w);
	w.t = t;
	w.now = now;
	n = cp_gather(&w, node, s, e);
	if (n > 1)
		qsort(w.kids, n, sizeof *w.kids, cp_by_start);
	at = s;
	for (i = 0; i < n; i++) {
		if (w.kids[i].e <= at)
			continue;
		covered += w.kids[i].e - (w.kids[i].s > at ? w.kids[i].s : at);
		at = w.kids[i].e;
	}
	free(w.kids);
	return (e - s) - covered;
}
