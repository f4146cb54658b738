/* SPDX-License-Identifier: MIT */
/* stats.c — span groups, percentiles and the wall-time split; see stats.h. */
#include "stats.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "critpath.h"
#include "prices.h"
#include "trace.h"
#include "xmalloc.h"

const char *
stats_by_name(enum stats_by by)
{
	static const char *const names[] = { "tool", "model", "agent", "type" };

	return by < STATS_NBY ? names[by] : "?";
}

int64_t
stats_percentile(const int64_t *v, size_t n, unsigned q)
{
	size_t rank;

	if (n == 0)
		return 0;
	rank = ((size_t)q * n + 99) / 100;   /* ceil(q/100 * n) */
	if (rank < 1)
		rank = 1;
	if (rank > n)
		rank = n;
	return v[rank - 1];
}

static int
st_group_cmp(const void *pa, const void *pb)
{
	const struct stats_group *a = pa, *b = pb;

	if (a->by != b->by)
		return a->by < b->by ? -1 : 1;
	if (a->total_ns != b->total_ns)
		return a->total_ns > b->total_ns ? -1 : 1;
	return strcmp(a->key, b->key);
}

static char *
st_key(struct trace *t, enum stats_by by, uint32_t key)
{
	if (by == STATS_TYPE)
		return xstrdup(span_type_name((enum span_type)key));
	if (key == STRTAB_EMPTY)
		return xstrdup(by == STATS_MODEL ? "(no model)" : "(no name)");
	return xstrdup(trace_str(t, key));
}

static void st_acc_group(struct stats_acc *, const struct stats_group *,
    const int64_t *, size_t);
static void st_acc_session(struct stats_acc *, const struct stats *);

/* The wall time split along the critical path. */
static void
st_split(struct stats *st, struct trace *t, const struct critpath *cp)
{
	const struct span *sp;
	int64_t len;
	size_t i;

	st->wall_ns = critpath_wall(cp);
	for (i = 0; i < cp->nseg; i++) {
		len = cp->seg[i].end - cp->seg[i].start;
		if (cp->seg[i].node == CRITPATH_SESSION ||
		    trace_is_placeholder(t, cp->seg[i].node)) {
			st->other_ns += len;
			continue;
		}
		sp = trace_span(t, cp->seg[i].node);
		if (sp->flags & SPAN_F_PAUSED)
			st->waiting_ns += len;
		else if (sp->type == SPAN_LLM)
			st->llm_ns += len;
		else if (sp->type == SPAN_TOOL)
			st->tool_ns += len;
		else
			st->other_ns += len;
	}
}

/*
 * The groups are found in one pass (a group index per string id and
 * kind), then each group's durations are sorted on their own: sorting
 * plain numbers per group is what keeps 200 000 spans well inside a
 * frame budget's order of magnitude.
 */
struct st_build {
	struct trace *t;
	const struct prices *pr;
	uint32_t *index[STATS_NBY];  /* per kind: strtab id (or type) → group + 1 */
	struct stats_group *g;
	size_t n, cap;
	uint32_t *member;            /* per span: its groups, 2 at most */
	int64_t *dur;                /* per span: its duration, -1 for none */
};

static uint32_t
st_group(struct st_build *b, enum stats_by by, uint32_t key)
{
	uint32_t *slot = &b->index[by][key];
	struct stats_group *g;

	if (*slot != 0)
		return *slot - 1;
	if (b->n == b->cap) {
		b->cap = b->cap ? b->cap * 2 : 16;
		b->g = xreallocarray(b->g, b->cap, sizeof *b->g);
	}
	g = &b->g[b->n];
	memset(g, 0, sizeof *g);
	g->by = by;
	g->key = st_key(b->t, by, key);
	g->cost.known = true;
	*slot = (uint32_t)++b->n;
	return *slot - 1;
}

static int
st_int64_cmp(const void *pa, const void *pb)
{
	int64_t a = *(const int64_t *)pa, b = *(const int64_t *)pb;

	return a < b ? -1 : a > b;
}

struct stats *
stats_compute_path(struct trace *t, const struct prices *pr, const struct critpath *cp,
    int64_t now, struct stats_acc *acc)
{
	struct stats *st = xcalloc(1, sizeof *st);
	struct st_build b;
	uint32_t nspans = trace_tree_spans(t), nstr = strtab_count(trace_strings(t));
	uint32_t i, k, gi, model;
	size_t *fill, *start, total = 0, j;
	int64_t *durs, end, d;
	const struct span *sp;
	struct stats_group *g;
	struct token_counts tok;
	struct cost c;
	enum stats_by by;

	if (cp != NULL)
		st_split(st, t, cp);
	memset(&b, 0, sizeof b);
	b.t = t;
	b.pr = pr;
	for (by = 0; by < STATS_NBY; by++)
		b.index[by] = xcalloc((by == STATS_TYPE ? 8 : nstr) + 1, sizeof *b.index[by]);
	b.member = xreallocarray(NULL, (size_t)nspans * 2 + 1, sizeof *b.member);
	b.dur = xreallocarray(NULL, (size_t)nspans + 1, sizeof *b.dur);
	for (i = 0; i < nspans; i++) {
		sp = trace_span(t, i);
		d = -1;
		if (sp->start_ns != SPAN_TIME_NONE) {
			end = sp->end_ns != SPAN_TIME_NONE ? sp->end_ns : now;
			d = end > sp->start_ns ? end - sp->start_ns : 0;
		}
		b.dur[i] = d;
		b.member[2 * i] = st_group(&b, STATS_TYPE, sp->type);
		b.member[2 * i + 1] = UINT32_MAX;
		model = STRTAB_EMPTY;
		if (sp->type == SPAN_TOOL || sp->type == SPAN_AGENT)
			b.member[2 * i + 1] = st_group(&b, sp->type == SPAN_TOOL ? STATS_TOOL :
			    STATS_AGENT, sp->label);
		else if (sp->type == SPAN_LLM) {
			model = cost_span_model(t, i);
			b.member[2 * i + 1] = st_group(&b, STATS_MODEL, model);
		}
		trace_span_tokens(t, i, &tok);
		/* The span's cost, once, to each of its groups. */
		c.known = true;
		c.usd = 0;
		c.unpriced = NULL;
		if (sp->tok_in > 0 || sp->tok_out > 0)
			cost_span(t, pr, i, &c);
		for (k = 0; k < 2; k++) {
			if ((gi = b.member[2 * i + k]) == UINT32_MAX)
				continue;
			g = &b.g[gi];
			g->count++;
			if (sp->status == SPAN_ERROR)
				g->errors++;
			if (d >= 0) {
				g->timed++;
				g->total_ns += d;
			}
			g->tok_in = tokens_add(g->tok_in, sp->tok_in);
			g->tok_out = tokens_add(g->tok_out, sp->tok_out);
			g->tok_cache_read = tokens_add(g->tok_cache_read,
			    tok.cache_read);
			g->tok_cache_write = tokens_add(g->tok_cache_write,
			    tok.cache_write);
			cost_add(&g->cost, &c);
		}
	}
	/* Durations grouped (a counting sort by group), then sorted. */
	start = xcalloc(b.n + 1, sizeof *start);
	fill = xcalloc(b.n + 1, sizeof *fill);
	for (gi = 0; gi < b.n; gi++) {
		start[gi] = total;
		total += b.g[gi].timed;
	}
	start[b.n] = total;
	durs = xreallocarray(NULL, total + 1, sizeof *durs);
	for (i = 0; i < nspans; i++) {
		if (b.dur[i] < 0)
			continue;
		for (k = 0; k < 2; k++) {
			if ((gi = b.member[2 * i + k]) != UINT32_MAX)
				durs[start[gi] + fill[gi]++] = b.dur[i];
		}
	}
	for (gi = 0; gi < b.n; gi++) {
		g = &b.g[gi];
		j = start[gi];
		qsort(durs + j, g->timed, sizeof *durs, st_int64_cmp);
		g->p50_ns = stats_percentile(durs + j, g->timed, 50);
		g->p95_ns = stats_percentile(durs + j, g->timed, 95);
		g->max_ns = g->timed > 0 ? durs[j + g->timed - 1] : 0;
		if (acc != NULL)
			st_acc_group(acc, g, durs + j, g->timed);
	}
	free(start);
	free(fill);
	free(durs);
	free(b.member);
	free(b.dur);
	for (by = 0; by < STATS_NBY; by++)
		free(b.index[by]);
	st->g = b.g;
	st->n = b.n;
	if (st->n > 0)
		qsort(st->g, st->n, sizeof *st->g, st_group_cmp);
	if (acc != NULL)
		st_acc_session(acc, st);
	return st;
}

struct stats *
stats_compute(struct trace *t, const struct prices *pr, int64_t now, struct stats_acc *acc)
{
	struct critpath *cp = critpath_compute(t, CRITPATH_SESSION, now);
	struct stats *st = stats_compute_path(t, pr, cp, now, acc);

	critpath_free(cp);
	return st;
}

void
stats_free(struct stats *st)
{
	size_t i;

	if (st == NULL)
		return;
	for (i = 0; i < st->n; i++)
		free(st->g[i].key);
	free(st->g);
	free(st);
}

/* Filter values are quoted, with " and \ escaped (filter.h). */
static void
st_quote(struct buf *b, const char *s)
{
	buf_addc(b, '"');
	for (; *s != '\0'; s++) {
		if (*s == '"' || *s == '\\')
			buf_addc(b, '\\');
		buf_addc(b, *s);
	}
	buf_addc(b, '"');
}

char *
stats_group_filter(const struct stats_group *g)
{
	static const char *const type_of[] = { "tool", "llm", "agent" };
	struct buf b = BUF_INIT;

	buf_adds(&b, "type:");
	if (g->by == STATS_TYPE) {
		buf_adds(&b, g->key);
		return buf_detach(&b);
	}
	buf_adds(&b, type_of[g->by]);
	if (g->key[0] != '(') {
		buf_adds(&b, " label:");
		st_quote(&b, g->key);
	}
	return buf_detach(&b);
}

/*
 * The accumulator.
 */

#define ST_BUCKETS 2800     /* log_1.01 of 10^12 us (11.6 days) is 2777 */

struct st_acc_group {
	struct stats_group g;
	uint32_t *hist;         /* ST_BUCKETS counts of durations */
};

struct stats_acc {
	struct stats tot;
	struct st_acc_group *v;
	size_t n, cap;
	char *unpriced;         /* the first unpriced model seen, owned */
};

struct stats_acc *
stats_acc_new(void)
{
	return xcalloc(1, sizeof(struct stats_acc));
}

void
stats_acc_free(struct stats_acc *a)
{
	size_t i;

	if (a == NULL)
		return;
	for (i = 0; i < a->n; i++) {
		free(a->v[i].g.key);
		free(a->v[i].hist);
	}
	free(a->v);
	free(a->unpriced);
	free(a);
}

static size_t
st_bucket(int64_t ns)
{
	double us = (double)ns / 1000;
	size_t b;

	if (us < 1)
		return 0;
	b = (size_t)(log(us) / log(1.01)) + 1;
	return b < ST_BUCKETS ? b : ST_BUCKETS - 1;
}

/* The largest duration a bucket holds. */
static int64_t
st_bucket_top(size_t b)
{
	return b == 0 ? 1000 : (int64_t)(pow(1.01, (double)b) * 1000);
}

static void
st_acc_group(struct stats_acc *a, const struct stats_group *g, const int64_t *durs,
    size_t n)
{
	struct st_acc_group *ag = NULL;
	size_t i;

	for (i = 0; i < a->n; i++) {
		if (a->v[i].g.by == g->by && strcmp(a->v[i].g.key, g->key) == 0) {
			ag = &a->v[i];
			break;
		}
	}
	if (ag == NULL) {
		if (a->n == a->cap) {
			a->cap = a->cap ? a->cap * 2 : 16;
			a->v = xreallocarray(a->v, a->cap, sizeof *a->v);
		}
		ag = &a->v[a->n++];
		memset(ag, 0, sizeof *ag);
		ag->g.by = g->by;
		ag->g.key = xstrdup(g->key);
		ag->g.cost.known = true;
		ag->hist = xcalloc(ST_BUCKETS, sizeof *ag->hist);
	}
	ag->g.count += g->count;
	ag->g.errors += g->errors;
	ag->g.timed += g->timed;
	ag->g.total_ns += g->total_ns;
	if (g->max_ns > ag->g.max_ns)
		ag->g.max_ns = g->max_ns;
	ag->g.tok_in = tokens_add(ag->g.tok_in, g->tok_in);
	ag->g.tok_out = tokens_add(ag->g.tok_out, g->tok_out);
	ag->g.tok_cache_read = tokens_add(ag->g.tok_cache_read, g->tok_cache_read);
	ag->g.tok_cache_write = tokens_add(ag->g.tok_cache_write,
	    g->tok_cache_write);
	/* The reason must outlive the session's trace. */
	if (!g->cost.known && a->unpriced == NULL)
		a->unpriced = xstrdup(g->cost.unpriced);
	cost_add(&ag->g.cost, &(struct cost){ g->cost.usd, g->cost.known,
	    g->cost.known ? NULL : a->unpriced });
	for (i = 0; i < n; i++)
		ag->hist[st_bucket(durs[i])]++;
}

static void
st_acc_session(struct stats_acc *a, const struct stats *st)
{
	a->tot.wall_ns += st->wall_ns;
	a->tot.llm_ns += st->llm_ns;
	a->tot.tool_ns += st->tool_ns;
	a->tot.waiting_ns += st->waiting_ns;
	a->tot.other_ns += st->other_ns;
}

static int64_t
st_hist_percentile(const struct st_acc_group *ag, unsigned q)
{
	uint64_t rank, seen = 0;
	size_t b;
	int64_t top;

	if (ag->g.timed == 0)
		return 0;
	rank = ((uint64_t)q * ag->g.timed + 99) / 100;
	if (rank < 1)
		rank = 1;
	for (b = 0; b < ST_BUCKETS; b++) {
		seen += ag->hist[b];
		if (seen >= rank)
			break;
	}
	top = st_bucket_top(b);
	return top < ag->g.max_ns ? top : ag->g.max_ns;
}

struct stats *
stats_acc_result(struct stats_acc *a)
{
	struct stats *st = xcalloc(1, sizeof *st);
	size_t i;

	*st = a->tot;
	st->n = a->n;
	st->g = xcalloc(a->n ? a->n : 1, sizeof *st->g);
	for (i = 0; i < a->n; i++) {
		st->g[i] = a->v[i].g;
		st->g[i].key = xstrdup(a->v[i].g.key);
		st->g[i].p50_ns = st_hist_percentile(&a->v[i], 50);
		st->g[i].p95_ns = st_hist_percentile(&a->v[i], 95);
	}
	if (st->n > 0)
		qsort(st->g, st->n, sizeof *st->g, st_group_cmp);
	return st;
}
