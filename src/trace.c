/* SPDX-License-Identifier: MIT */
/* trace.c — span index, string interning, tree and totals; see trace.h. */
#include "trace.h"

#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "usage.h"
#include "xmalloc.h"

/* The derived tree; every array is indexed by node unless said otherwise. */
struct trace_tree {
	bool built;
	uint32_t nspans;        /* spans when it was built */
	uint32_t nnodes;        /* nspans + placeholders */
	uint32_t *parent;       /* TRACE_NONE for roots */
	uint32_t *order;        /* position → node (depth-first) */
	uint32_t *pos;          /* node → position */
	uint32_t *depth;
	uint32_t *size;         /* subtree size */
	int64_t *start;         /* earliest start in subtree */
	int64_t *roll_in, *roll_out;
	uint8_t *mark;          /* NODE_* below */
	uint32_t *ph_id;        /* placeholder k → missing id (strtab id) */
	uint32_t ncycles;       /* parent cycles broken */
};

enum { NODE_ORPHAN = 1, NODE_CYCLE = 2 };

struct trace {
	struct strtab *strs;
	struct span *spans;
	uint32_t nspans, cap;
	uint32_t *by_id;        /* strtab id → first span with that id */
	uint32_t nby_id;
	struct trace_stats stats;
	struct trace_tree tree;
	bool dirty;             /* spans added since the tree was built */
	bool summary;           /* keep totals only */
	bool out_of_order;      /* a span came before the one added before it
	                           in its file, or from an earlier file */
	struct usage *usage;    /* tokens by model (usage.h) */
	/* Cached-token counts of the spans flagged SPAN_F_CACHE, in span
	 * order (appended as they arrive, so binary-searchable): most spans
	 * have none, and the record stays small without them. */
	struct trace_cache {
		uint32_t span;
		int64_t read, write;   /* -1 when not reported */
	} *cache;
	uint32_t ncache, cache_cap;
};

struct trace *
trace_new(void)
{
	struct trace *t = xcalloc(1, sizeof *t);

	t->strs = strtab_new();
	t->usage = usage_new();
	t->stats.first_start = t->stats.last_end = SPAN_TIME_NONE;
	t->dirty = true;
	return t;
}

struct trace *
trace_new_summary(void)
{
	struct trace *t = trace_new();

	t->summary = true;
	return t;
}

static void
trace_tree_free(struct trace_tree *tr)
{
	free(tr->parent);
	free(tr->order);
	free(tr->pos);
	free(tr->depth);
	free(tr->size);
	free(tr->start);
	free(tr->roll_in);
	free(tr->roll_out);
	free(tr->mark);
	free(tr->ph_id);
	memset(tr, 0, sizeof *tr);
}

void
trace_free(struct trace *t)
{
	if (t == NULL)
		return;
	trace_tree_free(&t->tree);
	strtab_free(t->strs);
	free(t->spans);
	free(t->by_id);
	free(t->cache);
	usage_free(t->usage);
	free(t);
}

static void trace_fill(struct trace *, struct span *, const struct span_fields *,
    enum span_type, bool);

/* A factor beyond which a guess is not trusted (a first slice of a few
 * spans from a big file). */
#define TRACE_EXPECT_MAX 4096

void
trace_expect(struct trace *t, double factor)
{
	double spans = (double)t->nspans * factor, strs = (double)strtab_count(t->strs) * factor;

	if (t->summary || t->nspans == 0 || !(factor > 1) || factor > TRACE_EXPECT_MAX ||
	    spans >= UINT32_MAX / 2 || strs >= UINT32_MAX / 2)
		return;
	if ((uint32_t)spans > t->cap) {
		t->cap = (uint32_t)spans;
		t->spans = xreallocarray(t->spans, t->cap, sizeof *t->spans);
	}
	strtab_reserve(t->strs, (uint32_t)strs);
}

static uint32_t
trace_intern(struct trace *t, struct strref r)
{
	if (r.p == NULL || r.n == 0)
		return STRTAB_EMPTY;
	return strtab_intern(t->strs, r.p, r.n);
}

/* Remember the first span carrying each id; count the spans that reuse
 * one, so the tree can say why a span has no children of its own. */
static void
trace_index_id(struct trace *t, uint32_t strid, uint32_t span)
{
	uint32_t n;

	if (strid == STRTAB_EMPTY)
		return;
	if (strid >= t->nby_id) {
		n = t->nby_id ? t->nby_id : 1024;
		while (n <= strid)
			n *= 2;
		t->by_id = xreallocarray(t->by_id, n, sizeof *t->by_id);
		memset(t->by_id + t->nby_id, 0xff, (n - t->nby_id) * sizeof *t->by_id);
		t->nby_id = n;
	}
	if (t->by_id[strid] == TRACE_NONE)
		t->by_id[strid] = span;
	else
		t->stats.duplicate_ids++;
}

static void
trace_first(struct trace *t, uint32_t *slot, struct strref r)
{
	if (*slot == STRTAB_EMPTY && r.p != NULL && r.n > 0)
		*slot = trace_intern(t, r);
}

static void
trace_count_stats(struct trace *t, const struct span *s, const struct span_fields *f)
{
	struct trace_stats *st = &t->stats;
	bool root = s->parent == STRTAB_EMPTY;

	st->spans++;
	if (s->status == SPAN_ERROR)
		st->errors++;
	if (s->tok_in > 0)
		st->tokens_in = tokens_add(st->tokens_in, s->tok_in);
	if (s->tok_out > 0)
		st->tokens_out = tokens_add(st->tokens_out, s->tok_out);
	if (f->tokens_cache_read > 0)
		st->tokens_cache_read = tokens_add(st->tokens_cache_read,
		    f->tokens_cache_read);
	if (f->tokens_cache_write > 0)
		st->tokens_cache_write = tokens_add(st->tokens_cache_write,
		    f->tokens_cache_write);
	if (s->start_ns != SPAN_TIME_NONE &&
	    (st->first_start == SPAN_TIME_NONE || s->start_ns < st->first_start))
		st->first_start = s->start_ns;
	if (s->end_ns != SPAN_TIME_NONE &&
	    (st->last_end == SPAN_TIME_NONE || s->end_ns > st->last_end))
		st->last_end = s->end_ns;
	if (root) {
		st->roots++;
		if (s->end_ns == SPAN_TIME_NONE)
			st->open_roots++;
	}
	if ((root || s->type == SPAN_WORKFLOW) && s->status == SPAN_ERROR)
		st->root_or_workflow_error = true;
	if (s->flags & SPAN_F_PAUSED)
		st->paused = true;
	trace_first(t, &st->title, f->session_title);
	trace_first(t, &st->workflow_type, f->workflow_type);
	trace_first(t, &st->engine, f->engine);
	trace_first(t, &st->session_id, f->session_id);
	trace_first(t, &st->signal_name, f->signal_name);
	trace_first(t, &st->signal_prompt, f->signal_prompt);
	usage_add(t->usage, t->strs, f, s->type);
}

static void
trace_keep_cache(struct trace *t, struct span *s, uint32_t i,
    const struct span_fields *f)
{
	if (t->ncache == t->cache_cap) {
		t->cache_cap = t->cache_cap ? t->cache_cap * 2 : 64;
		t->cache = xreallocarray(t->cache, t->cache_cap, sizeof *t->cache);
	}
	t->cache[t->ncache++] = (struct trace_cache){ i, f->tokens_cache_read,
	    f->tokens_cache_write };
	s->flags |= SPAN_F_CACHE;
}

uint32_t
trace_add(struct trace *t, const struct span_fields *f, uint16_t file,
    uint64_t off, uint32_t len)
{
	struct span *s, one;
	enum span_type type = span_classify(f);
	uint32_t i;

	if (t->summary) {
		trace_fill(t, &one, f, type, true);
		trace_count_stats(t, &one, f);
		return TRACE_NONE;
	}
	if (t->nspans == t->cap) {
		t->cap = t->cap ? t->cap * 2 : 1024;
		t->spans = xreallocarray(t->spans, t->cap, sizeof *t->spans);
	}
	i = t->nspans++;
	s = &t->spans[i];
	trace_fill(t, s, f, type, false);
	s->off = off;
	s->len = len;
	s->sub = f->index_in_line;
	s->file = file;
	if (i > 0 && (t->spans[i - 1].file > file ||
	    (t->spans[i - 1].file == file && t->spans[i - 1].off > off)))
		t->out_of_order = true;
	/* Anthropic reports zeros on every call: keep only counts. */
	if (f->tokens_cache_read > 0 || f->tokens_cache_write > 0)
		trace_keep_cache(t, s, i, f);
	trace_index_id(t, s->id, i);
	trace_count_stats(t, s, f);
	t->dirty = true;
	return i;
}

/* The record's own fields; a summary trace interns nothing per span (a
 * non-empty parent is all its totals need to know). */
static void
trace_fill(struct trace *t, struct span *s, const struct span_fields *f,
    enum span_type type, bool summary)
{
	memset(s, 0, sizeof *s);
	if (summary)
		s->parent = f->parent_id.n > 0 ? 1 : STRTAB_EMPTY;
	else {
		s->id = trace_intern(t, f->span_id);
		s->parent = trace_intern(t, f->parent_id);
		s->trace_id = trace_intern(t, f->trace_id);
		s->name = trace_intern(t, f->name);
		s->label = trace_intern(t, span_label(f, type));
	}
	s->type = type;
	s->status = f->status;
	s->kind = f->kind;
	if (f->flags & SF_PAUSED)
		s->flags |= SPAN_F_PAUSED;
	if (f->flags & SF_LLM_PROMPT)
		s->flags |= SPAN_F_LLM_PROMPT;
	if (f->flags & SF_LLM_RESPONSE)
		s->flags |= SPAN_F_LLM_RESPONSE;
	s->start_ns = f->start_ns;
	s->end_ns = f->end_ns;
	s->tok_in = f->tokens_in;
	s->tok_out = f->tokens_out;
}

void
trace_add_bad_lines(struct trace *t, uint64_t n)
{
	t->stats.bad_lines += n;
}

bool
trace_in_file_order(const struct trace *t)
{
	return !t->out_of_order;
}

uint32_t
trace_count(const struct trace *t)
{
	return t->nspans;
}

const struct span *
trace_span(const struct trace *t, uint32_t i)
{
	return &t->spans[i];
}

void
trace_span_tokens(const struct trace *t, uint32_t i, struct token_counts *tc)
{
	const struct span *s = &t->spans[i];
	uint32_t lo = 0, hi = t->ncache, mid;

	tc->in = s->tok_in;
	tc->out = s->tok_out;
	tc->cache_read = tc->cache_write = -1;
	if (!(s->flags & SPAN_F_CACHE))
		return;
	while (lo < hi) {
		mid = lo + (hi - lo) / 2;
		if (t->cache[mid].span < i)
			lo = mid + 1;
		else
			hi = mid;
	}
	if (lo < t->ncache && t->cache[lo].span == i) {
		tc->cache_read = t->cache[lo].read;
		tc->cache_write = t->cache[lo].write;
	}
}

const struct trace_stats *
trace_stats(const struct trace *t)
{
	return &t->stats;
}

struct strtab *
trace_strings(const struct trace *t)
{
	return t->strs;
}

const char *
trace_str(const struct trace *t, uint32_t strid)
{
	return strtab_str(t->strs, strid);
}

uint32_t
trace_find(const struct trace *t, const char *id, size_t n)
{
	uint32_t strid = strtab_find(t->strs, id, n);

	if (strid == STRTAB_NONE || strid >= t->nby_id)
		return TRACE_NONE;
	return t->by_id[strid];
}

size_t
trace_bytes(const struct trace *t)
{
	size_t per_node = 6 * sizeof(uint32_t) + 3 * sizeof(int64_t) + 1;

	return strtab_bytes(t->strs) + (size_t)t->cap * sizeof *t->spans +
	    (size_t)t->nby_id * sizeof *t->by_id + (size_t)t->tree.nnodes * per_node +
	    (size_t)t->cache_cap * sizeof *t->cache;
}

/*
 * Tree building.  Step 1 resolves each span's parent node, inventing one
 * placeholder per missing parent id; step 2 breaks parent cycles; step 3
 * lays the nodes out depth first with siblings sorted; step 4 rolls
 * tokens and start times up the tree.
 */

static uint32_t
trace_placeholder_for(struct trace *t, uint32_t **ph_of, uint32_t strid,
    uint32_t *nph)
{
	struct trace_tree *tr = &t->tree;

	if ((*ph_of)[strid] == TRACE_NONE) {
		tr->ph_id = xreallocarray(tr->ph_id, *nph + 1, sizeof *tr->ph_id);
		tr->ph_id[*nph] = strid;
		(*ph_of)[strid] = (*nph)++;
	}
	return t->nspans + (*ph_of)[strid];
}

static void
trace_resolve_parents(struct trace *t)
{
	struct trace_tree *tr = &t->tree;
	uint32_t nstr = strtab_count(t->strs), nph = 0, i, p;
	uint32_t *ph_of = xmalloc((size_t)nstr * sizeof *ph_of);

	memset(ph_of, 0xff, (size_t)nstr * sizeof *ph_of);
	tr->parent = xreallocarray(NULL, t->nspans, sizeof *tr->parent);
	for (i = 0; i < t->nspans; i++) {
		const struct span *s = &t->spans[i];

		if (s->parent == STRTAB_EMPTY) {
			tr->parent[i] = TRACE_NONE;
			continue;
		}
		p = s->parent < t->nby_id ? t->by_id[s->parent] : TRACE_NONE;
		if (p == TRACE_NONE)
			p = trace_placeholder_for(t, &ph_of, s->parent, &nph);
		tr->parent[i] = p;
	}
	free(ph_of);
	tr->nnodes = t->nspans + nph;
	tr->parent = xreallocarray(tr->parent, tr->nnodes, sizeof *tr->parent);
	for (i = t->nspans; i < tr->nnodes; i++)
		tr->parent[i] = TRACE_NONE;
}

static bool
trace_earlier(const struct trace *t, uint32_t a, uint32_t b)
{
	int64_t sa = t->spans[a].start_ns, sb = t->spans[b].start_ns;

	if (sa != sb)
		return sa < sb; /* SPAN_TIME_NONE sorts first */
	return a < b;
}

/*
 * Each span has at most one parent, so the spans form a functional graph:
 * walk up from every unvisited span; meeting a span of the current walk
 * again means a cycle.  It is broken at its earliest-starting span, which
 * becomes a root.  Self-parents are the one-span case.  Linear time.
 */
static void
trace_break_cycles(struct trace *t)
{
	struct trace_tree *tr = &t->tree;
	uint8_t *state = xcalloc(t->nspans ? t->nspans : 1, 1); /* 0 new, 1 on walk, 2 done */
	uint32_t *walk = xmalloc(((size_t)t->nspans + 1) * sizeof *walk);
	uint32_t i, n, x, k, best;

	for (i = 0; i < t->nspans; i++) {
		if (state[i] != 0)
			continue;
		n = 0;
		for (x = i; x < t->nspans && state[x] == 0; x = tr->parent[x]) {
			state[x] = 1;
			walk[n++] = x;
		}
		if (x < t->nspans && state[x] == 1) {
			best = x;
			for (k = 0; k < n; k++) {
				if (walk[k] == x)
					break;
			}
			for (; k < n; k++) {
				if (trace_earlier(t, walk[k], best))
					best = walk[k];
			}
			tr->parent[best] = TRACE_NONE;
			tr->mark[best] |= NODE_CYCLE;
			tr->ncycles++;
		}
		for (k = 0; k < n; k++)
			state[walk[k]] = 2;
	}
	free(walk);
	free(state);
}

/* Earliest start of each node's own children, so placeholders sort by
 * when their orphans began. */
static void
trace_placeholder_starts(struct trace *t)
{
	struct trace_tree *tr = &t->tree;
	uint32_t i, p;

	for (i = 0; i < tr->nnodes; i++)
		tr->start[i] = i < t->nspans ? t->spans[i].start_ns : INT64_MAX;
	for (i = 0; i < t->nspans; i++) {
		p = tr->parent[i];
		if (p != TRACE_NONE && p >= t->nspans && t->spans[i].start_ns < tr->start[p])
			tr->start[p] = t->spans[i].start_ns;
		if (p != TRACE_NONE && p >= t->nspans)
			tr->mark[i] |= NODE_ORPHAN;
	}
}

static int
trace_cmp_nodes(const void *pa, const void *pb, void *arg)
{
	const struct trace *t = arg;
	uint32_t a = *(const uint32_t *)pa, b = *(const uint32_t *)pb;
	int64_t sa = t->tree.start[a], sb = t->tree.start[b];

	if (sa != sb)
		return sa < sb ? -1 : 1;
	return a < b ? -1 : a > b;
}

/*
 * Lay out the depth-first order.  Children are grouped by parent with a
 * counting sort (CSR), each group sorted by start time, then an explicit
 * stack walks them — no recursion, so depth is unbounded.
 */
static void
trace_layout(struct trace *t)
{
	struct trace_tree *tr = &t->tree;
	uint32_t n = tr->nnodes, i, p, top = 0, pos = 0, node, c;
	uint32_t *first = xcalloc((size_t)n + 2, sizeof *first); /* CSR offsets; slot n = roots */
	uint32_t *kids = xmalloc(((size_t)n + 1) * sizeof *kids);
	uint32_t *fill = xmalloc(((size_t)n + 2) * sizeof *fill);
	uint32_t *stack = xmalloc(((size_t)n + 1) * sizeof *stack);

	for (i = 0; i < n; i++) {
		p = tr->parent[i] == TRACE_NONE ? n : tr->parent[i];
		first[p + 1]++;
	}
	for (i = 0; i <= n; i++)
		first[i + 1] += first[i];
	memcpy(fill, first, ((size_t)n + 2) * sizeof *fill);
	for (i = 0; i < n; i++) {
		p = tr->parent[i] == TRACE_NONE ? n : tr->parent[i];
		kids[fill[p]++] = i;
	}
	for (i = 0; i <= n; i++) {
		if (first[i + 1] - first[i] > 1)
			qsort_r(kids + first[i], first[i + 1] - first[i], sizeof *kids,
			    trace_cmp_nodes, t);
	}

	/* Push roots in reverse so the earliest is visited first. */
	for (c = first[n + 1]; c > first[n]; c--)
		stack[top++] = kids[c - 1];
	while (top > 0) {
		node = stack[--top];
		tr->order[pos] = node;
		tr->pos[node] = pos++;
		p = tr->parent[node];
		tr->depth[node] = p == TRACE_NONE ? 0 : tr->depth[p] + 1;
		for (c = first[node + 1]; c > first[node]; c--)
			stack[top++] = kids[c - 1];
	}
	free(stack);
	free(fill);
	free(kids);
	free(first);
}

/* Subtree sizes, earliest starts and token sums, children before parents:
 * walking the depth-first order backwards visits every child first. */
static void
trace_rollup(struct trace *t)
{
	struct trace_tree *tr = &t->tree;
	uint32_t k, node, p;

	for (node = 0; node < tr->nnodes; node++) {
		tr->size[node] = 1;
		tr->roll_in[node] = node < t->nspans && t->spans[node].tok_in > 0 ?
		    t->spans[node].tok_in : 0;
		tr->roll_out[node] = node < t->nspans && t->spans[node].tok_out > 0 ?
		    t->spans[node].tok_out : 0;
	}
	for (k = tr->nnodes; k > 0; k--) {
		node = tr->order[k - 1];
		p = tr->parent[node];
		if (p == TRACE_NONE)
			continue;
		tr->size[p] += tr->size[node];
		tr->roll_in[p] = tokens_add(tr->roll_in[p], tr->roll_in[node]);
		tr->roll_out[p] = tokens_add(tr->roll_out[p], tr->roll_out[node]);
		if (tr->start[node] < tr->start[p])
			tr->start[p] = tr->start[node];
	}
}

static void
trace_build(struct trace *t)
{
	struct trace_tree *tr = &t->tree;
	size_t n;

	trace_tree_free(tr);
	trace_resolve_parents(t);
	n = tr->nnodes ? tr->nnodes : 1;
	tr->order = xreallocarray(NULL, n, sizeof *tr->order);
	tr->pos = xreallocarray(NULL, n, sizeof *tr->pos);
	tr->depth = xreallocarray(NULL, n, sizeof *tr->depth);
	tr->size = xreallocarray(NULL, n, sizeof *tr->size);
	tr->start = xreallocarray(NULL, n, sizeof *tr->start);
	tr->roll_in = xreallocarray(NULL, n, sizeof *tr->roll_in);
	tr->roll_out = xreallocarray(NULL, n, sizeof *tr->roll_out);
	tr->mark = xcalloc(n, 1);
	trace_break_cycles(t);
	trace_placeholder_starts(t);
	trace_layout(t);
	trace_rollup(t);
	tr->nspans = t->nspans;
	tr->built = true;
	t->dirty = false;
}

void
trace_update_tree(struct trace *t)
{
	if (t->dirty || !t->tree.built)
		trace_build(t);
}

bool
trace_tree_stale(const struct trace *t)
{
	return t->dirty;
}

/* Queries read the snapshot; only its absence builds one. */
static const struct trace_tree *
trace_tree(struct trace *t)
{
	if (!t->tree.built)
		trace_build(t);
	return &t->tree;
}

uint32_t
trace_tree_spans(struct trace *t)
{
	return trace_tree(t)->nspans;
}

uint32_t
trace_nodes(struct trace *t)
{
	return trace_tree(t)->nnodes;
}

uint32_t
trace_order(struct trace *t, uint32_t pos)
{
	return trace_tree(t)->order[pos];
}

uint32_t
trace_pos(struct trace *t, uint32_t node)
{
	return trace_tree(t)->pos[node];
}

uint32_t
trace_depth(struct trace *t, uint32_t node)
{
	return trace_tree(t)->depth[node];
}

uint32_t
trace_subtree_size(struct trace *t, uint32_t node)
{
	return trace_tree(t)->size[node];
}

uint32_t
trace_parent(struct trace *t, uint32_t node)
{
	return trace_tree(t)->parent[node];
}

bool
trace_is_placeholder(struct trace *t, uint32_t node)
{
	return node >= trace_tree(t)->nspans;
}

bool
trace_is_orphan(struct trace *t, uint32_t node)
{
	return (trace_tree(t)->mark[node] & NODE_ORPHAN) != 0;
}

bool
trace_is_cycle_break(struct trace *t, uint32_t node)
{
	return (trace_tree(t)->mark[node] & NODE_CYCLE) != 0;
}

uint32_t
trace_cycles_broken(struct trace *t)
{
	return trace_tree(t)->ncycles;
}

bool
trace_describe_structure(struct trace *t, struct buf *b)
{
	uint32_t dup = t->stats.duplicate_ids, cyc = trace_cycles_broken(t);

	if (dup > 0)
		buf_printf(b, "%u span%s reuse%s an earlier span's id (children go under the first)",
		    dup, dup == 1 ? "" : "s", dup == 1 ? "s" : "");
	if (dup > 0 && cyc > 0)
		buf_adds(b, "; ");
	if (cyc > 0)
		buf_printf(b, "%u parent cycle%s broken: the earliest span of each is shown as a root",
		    cyc, cyc == 1 ? "" : "s");
	return dup > 0 || cyc > 0;
}

uint32_t
trace_placeholder_id(struct trace *t, uint32_t node)
{
	const struct trace_tree *tr = trace_tree(t);

	return node >= tr->nspans ? tr->ph_id[node - tr->nspans] : STRTAB_EMPTY;
}

int64_t
trace_node_start(struct trace *t, uint32_t node)
{
	int64_t s = trace_tree(t)->start[node];

	return s == INT64_MAX ? SPAN_TIME_NONE : s;
}

int64_t
trace_rollup_in(struct trace *t, uint32_t node)
{
	return trace_tree(t)->roll_in[node];
}

int64_t
trace_rollup_out(struct trace *t, uint32_t node)
{
	return trace_tree(t)->roll_out[node];
}

size_t
trace_models(struct trace *t, const struct usage_model **out)
{
	return usage_models(t->usage, out);
}
