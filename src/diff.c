/* SPDX-License-Identifier: MIT */
/* diff.c — matching two span trees into one merged tree; see diff.h. */
#include "diff.h"

#include <stdlib.h>
#include <string.h>

#include "session.h"
#include "span.h"
#include "span_detail.h"
#include "trace.h"
#include "xmalloc.h"

/* A child of one side, with what it is matched by. */
struct diff_kid {
	uint32_t node;
	uint32_t order;     /* its place among its siblings */
	uint32_t match;     /* index of the matching kid on the other side,
	                       UINT32_MAX when none */
	bool done;
};

/* The sort context: qsort has no argument, and the diff is not reentrant
 * across threads anyway (one per caller, built in one call). */
static struct trace *diff_sort_trace;

/* The key is (type, name, label); placeholders sort apart, all alike. */
static int
diff_key_cmp(struct trace *ta, uint32_t na, struct trace *tb, uint32_t nb)
{
	const struct span *a, *b;
	bool pa = trace_is_placeholder(ta, na), pb = trace_is_placeholder(tb, nb);
	int c;

	if (pa || pb)
		return pa == pb ? 0 : pa ? -1 : 1;
	a = trace_span(ta, na);
	b = trace_span(tb, nb);
	if (a->type != b->type)
		return a->type < b->type ? -1 : 1;
	if ((c = strcmp(trace_str(ta, a->name), trace_str(tb, b->name))) != 0)
		return c;
	return strcmp(a->label == STRTAB_EMPTY ? "" : trace_str(ta, a->label),
	    b->label == STRTAB_EMPTY ? "" : trace_str(tb, b->label));
}

static int
diff_kid_sort(const void *pa, const void *pb)
{
	const struct diff_kid *a = *(struct diff_kid *const *)pa;
	const struct diff_kid *b = *(struct diff_kid *const *)pb;
	int c = diff_key_cmp(diff_sort_trace, a->node, diff_sort_trace, b->node);

	if (c != 0)
		return c;
	return a->order < b->order ? -1 : a->order > b->order;
}

/* The children of node p, or the roots when p is TRACE_NONE, in tree order. */
static struct diff_kid *
diff_children(struct trace *t, uint32_t p, uint32_t *n)
{
	uint32_t pos, end, node, k = 0;
	struct diff_kid *kids;

	if (p == TRACE_NONE) {
		pos = 0;
		end = trace_nodes(t);
	} else {
		pos = trace_pos(t, p) + 1;
		end = trace_pos(t, p) + trace_subtree_size(t, p);
	}
	/* Count first: the span range can be far larger than the children
	 * (a chain), and zeroing it for every level would be quadratic. */
	for (k = 0, node = pos; node < end; k++)
		node += trace_subtree_size(t, trace_order(t, node));
	kids = xcalloc(k ? k : 1, sizeof *kids);
	k = 0;
	while (pos < end) {
		node = trace_order(t, pos);
		kids[k].node = node;
		kids[k].order = k;
		kids[k].match = UINT32_MAX;
		k++;
		pos += trace_subtree_size(t, node);
	}
	*n = k;
	return kids;
}

/* Sorted by key then order, equal keys pair up in order: the nth of a key
 * in A with the nth in B. */
static void
diff_match_kids(struct diff *d, struct diff_kid *ka, uint32_t na, struct diff_kid *kb,
    uint32_t nb)
{
	struct diff_kid **sa = xcalloc(na ? na : 1, sizeof *sa);
	struct diff_kid **sb = xcalloc(nb ? nb : 1, sizeof *sb);
	uint32_t i, j;
	int c;

	for (i = 0; i < na; i++)
		sa[i] = &ka[i];
	for (j = 0; j < nb; j++)
		sb[j] = &kb[j];
	diff_sort_trace = d->ta;
	if (na > 1)
		qsort(sa, na, sizeof *sa, diff_kid_sort);
	diff_sort_trace = d->tb;
	if (nb > 1)
		qsort(sb, nb, sizeof *sb, diff_kid_sort);
	for (i = j = 0; i < na && j < nb;) {
		c = diff_key_cmp(d->ta, sa[i]->node, d->tb, sb[j]->node);
		if (c < 0)
			i++;
		else if (c > 0)
			j++;
		else {
			sa[i]->match = sb[j]->order;
			sb[j]->match = sa[i]->order;
			i++;
			j++;
		}
	}
	free(sa);
	free(sb);
}

static struct diff_row *
diff_push(struct diff *d, uint32_t a, uint32_t b, uint32_t depth, enum diff_change ch)
{
	struct diff_row *r;

	if (d->n == d->cap) {
		d->cap = d->cap ? d->cap * 2 : 64;
		d->rows = xreallocarray(d->rows, d->cap, sizeof *d->rows);
	}
	r = &d->rows[d->n++];
	memset(r, 0, sizeof *r);
	r->a = a;
	r->b = b;
	r->depth = depth;
	r->change = ch;
	return r;
}

/* A whole subtree that exists on one side only. */
static void
diff_one_side(struct diff *d, struct trace *t, uint32_t node, uint32_t depth, bool in_a)
{
	uint32_t pos = trace_pos(t, node), size = trace_subtree_size(t, node), k, n;

	for (k = 0; k < size; k++) {
		n = trace_order(t, pos + k);
		diff_push(d, in_a ? n : TRACE_NONE, in_a ? TRACE_NONE : n,
		    depth + trace_depth(t, n) - trace_depth(t, node),
		    in_a ? DIFF_REMOVED : DIFF_ADDED);
	}
}

static int64_t
diff_duration(const struct span *s)
{
	int64_t ns;

	if (s->start_ns == SPAN_TIME_NONE || s->end_ns == SPAN_TIME_NONE)
		return -1;
	ns = s->end_ns - s->start_ns;
	return ns < DIFF_MIN_DURATION_NS ? DIFF_MIN_DURATION_NS : ns;
}

/* The index figures of a matched pair. */
static void
diff_compare(struct diff *d, struct diff_row *r)
{
	const struct span *a, *b;
	int64_t da, db;

	if (trace_is_placeholder(d->ta, r->a) || trace_is_placeholder(d->tb, r->b))
		return;
	a = trace_span(d->ta, r->a);
	b = trace_span(d->tb, r->b);
	if (a->status != b->status)
		r->what |= DIFF_W_STATUS;
	da = diff_duration(a);
	db = diff_duration(b);
	if (da > 0 && db > 0) {
		r->ratio = (double)db / (double)da;
		if (r->ratio >= d->threshold || r->ratio * d->threshold <= 1.0)
			r->what |= DIFF_W_DURATION;
	}
	if (a->tok_in != b->tok_in || a->tok_out != b->tok_out)
		r->what |= DIFF_W_TOKENS;
	if (r->what != 0)
		r->change = DIFF_CHANGED;
}

/* The children of one matched pair (or the two sets of roots) being
 * merged: a frame of the walk's explicit stack, so that a trace nested
 * a million deep costs heap, not the C stack. */
struct diff_frame {
	struct diff_kid *ka, *kb;
	uint32_t na, nb, i, j, depth;
};

static void
diff_frame_push(struct diff_frame **st, size_t *n, size_t *cap, struct diff *d,
    uint32_t pa, uint32_t pb, uint32_t depth)
{
	struct diff_frame *f;

	if (*n == *cap) {
		*cap = *cap ? *cap * 2 : 16;
		*st = xreallocarray(*st, *cap, sizeof **st);
	}
	f = &(*st)[(*n)++];
	memset(f, 0, sizeof *f);
	f->ka = diff_children(d->ta, pa, &f->na);
	f->kb = diff_children(d->tb, pb, &f->nb);
	f->depth = depth;
	diff_match_kids(d, f->ka, f->na, f->kb, f->nb);
}

/*
 * Merge the children of each matched pair, depth first.  Walk both lists
 * in tree order; an unmatched kid is emitted where it stands (A's removed
 * ones before B's added ones in the same gap); a matched one is emitted
 * when A reaches it, then its own children, and B's side skipped later.
 * Matching keeps the order within a key, so only spans whose start order
 * changed between runs are shown in A's order.
 */
static void
diff_walk(struct diff *d)
{
	struct diff_frame *st = NULL, *f;
	struct diff_row *r;
	size_t n = 0, cap = 0;
	uint32_t a, b, depth;

	diff_frame_push(&st, &n, &cap, d, TRACE_NONE, TRACE_NONE, 0);
	while (n > 0) {
		f = &st[n - 1];
		while (f->j < f->nb && f->kb[f->j].done)
			f->j++;
		if (f->i < f->na && f->ka[f->i].match == UINT32_MAX)
			diff_one_side(d, d->ta, f->ka[f->i++].node, f->depth, true);
		else if (f->j < f->nb && f->kb[f->j].match == UINT32_MAX)
			diff_one_side(d, d->tb, f->kb[f->j++].node, f->depth, false);
		else if (f->i < f->na) {
			f->kb[f->ka[f->i].match].done = true;
			a = f->ka[f->i].node;
			b = f->kb[f->ka[f->i].match].node;
			depth = f->depth;
			f->i++;
			r = diff_push(d, a, b, depth, DIFF_SAME);
			diff_compare(d, r);
			diff_frame_push(&st, &n, &cap, d, a, b, depth + 1);
		} else {
			free(f->ka);
			free(f->kb);
			n--;
		}
	}
	free(st);
}

struct diff *
diff_new(struct trace *a, struct trace *b, double threshold)
{
	struct diff *d = xcalloc(1, sizeof *d);

	d->ta = a;
	d->tb = b;
	d->threshold = threshold > 1.0 ? threshold : DIFF_DEFAULT_THRESHOLD;
	diff_walk(d);
	return d;
}

void
diff_free(struct diff *d)
{
	if (d == NULL)
		return;
	free(d->rows);
	free(d);
}

static bool
diff_same_value(const struct kv *a, const struct kv *b)
{
	if (a == NULL || b == NULL)
		return a == b;
	return strcmp(a->json, b->json) == 0;
}

bool
diff_attr_differs(const struct span_detail *a, const struct span_detail *b,
    const char *key)
{
	return !diff_same_value(a ? span_detail_attr(a, key) : NULL,
	    b ? span_detail_attr(b, key) : NULL);
}

bool
diff_attrs_differ(const struct span_detail *a, const struct span_detail *b)
{
	size_t k;

	for (k = 0; a != NULL && k < a->attrs.n; k++) {
		if (diff_attr_differs(a, b, a->attrs.v[k].key))
			return true;
	}
	for (k = 0; b != NULL && k < b->attrs.n; k++) {
		if (diff_attr_differs(a, b, b->attrs.v[k].key))
			return true;
	}
	return false;
}

void
diff_attributes(struct diff *d, struct session *sa, struct session *sb)
{
	struct span_detail *da, *db;
	struct diff_row *r;
	char *cause = NULL;
	size_t i;

	for (i = 0; i < d->n; i++) {
		r = &d->rows[i];
		if (r->a == TRACE_NONE || r->b == TRACE_NONE ||
		    trace_is_placeholder(d->ta, r->a) || trace_is_placeholder(d->tb, r->b))
			continue;
		da = session_span_detail(sa, r->a, &cause);
		free(cause);
		cause = NULL;
		db = session_span_detail(sb, r->b, &cause);
		free(cause);
		cause = NULL;
		if (da != NULL && db != NULL && diff_attrs_differ(da, db)) {
			r->what |= DIFF_W_ATTRS;
			r->change = DIFF_CHANGED;
		}
		span_detail_free(da);
		span_detail_free(db);
	}
}

bool
diff_differs(const struct diff *d)
{
	size_t i;

	for (i = 0; i < d->n; i++) {
		if (d->rows[i].change == DIFF_ADDED || d->rows[i].change == DIFF_REMOVED ||
		    (d->rows[i].what & DIFF_W_STATUS))
			return true;
	}
	return false;
}

size_t
diff_count_changes(const struct diff *d)
{
	size_t i, n = 0;

	for (i = 0; i < d->n; i++)
		n += d->rows[i].change != DIFF_SAME;
	return n;
}

size_t
diff_next_change(const struct diff *d, size_t from, int dir)
{
	size_t k, i;

	if (d->n == 0)
		return SIZE_MAX;
	if (from >= d->n)
		from = dir > 0 ? d->n - 1 : 0;
	for (k = 1; k <= d->n; k++) {
		i = dir > 0 ? (from + k) % d->n : (from + d->n - k % d->n) % d->n;
		if (d->rows[i].change != DIFF_SAME)
			return i;
	}
	return SIZE_MAX;
}

const char *
diff_change_name(enum diff_change c)
{
	switch (c) {
	case DIFF_ADDED: return "added";
	case DIFF_REMOVED: return "removed";
	case DIFF_CHANGED: return "changed";
	case DIFF_SAME: break;
	}
	return "same";
}
