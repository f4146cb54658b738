/* SPDX-License-Identifier: MIT */
/*
 * test_analysis.c — doc/reference.md §9's analyses on hand-built span indexes: the
 * critical path's hard cases (overlapping children, a child ending after
 * its parent, equal starts and ends, running spans, orphans, several
 * roots, subtrees), self time, percentiles, the stats groups and the
 * wall-time split, tokens by model with the parent rule, and the price
 * table's matching rules.
 */
#include <check.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check_main.h"
#include "buf.h"
#include "cost.h"
#include "critpath.h"
#include "prices.h"
#include "span.h"
#include "stats.h"
#include "trace.h"
#include "usage.h"
#include "xmalloc.h"

static struct strref
ref(const char *s)
{
	struct strref r = { s, s != NULL ? strlen(s) : 0 };

	return r;
}

/* A span as the parser would report it; times in ms, -1 for none. */
static struct span_fields
mk(const char *id, const char *parent, const char *name, int64_t start_ms,
    int64_t end_ms)
{
	struct span_fields f;

	memset(&f, 0, sizeof f);
	f.span_id = ref(id);
	f.parent_id = ref(parent);
	f.name = ref(name);
	f.start_ns = start_ms < 0 ? SPAN_TIME_NONE : start_ms * 1000000;
	f.end_ns = end_ms < 0 ? SPAN_TIME_NONE : end_ms * 1000000;
	f.tokens_in = f.tokens_out = -1;
	f.tokens_cache_read = f.tokens_cache_write = -1;
	return f;
}

static uint32_t
add(struct trace *t, struct span_fields f)
{
	return trace_add(t, &f, 0, 0, 0);
}

static uint32_t
node_of(struct trace *t, const char *id)
{
	return trace_find(t, id, strlen(id));
}

/* The path as "id:start-end" words (ms), placeholders as "?id", the
 * session as "@"; also checks that the segments tile the root. */
static const char *
path_of(struct trace *t, uint32_t root, int64_t now_ms)
{
	static char out[2048];
	struct critpath *cp;
	struct buf b = BUF_INIT;
	int64_t sum = 0, at;
	size_t i;
	uint32_t n;

	trace_update_tree(t);
	cp = critpath_compute(t, root, now_ms * 1000000);
	if (cp == NULL)
		return "(none)";
	at = cp->start;
	for (i = 0; i < cp->nseg; i++) {
		n = cp->seg[i].node;
		ck_assert_int_eq(cp->seg[i].start, at);   /* no gap, no overlap */
		ck_assert_int_gt(cp->seg[i].end, cp->seg[i].start);
		at = cp->seg[i].end;
		sum += cp->seg[i].end - cp->seg[i].start;
		if (i > 0)
			buf_addc(&b, ' ');
		if (n == CRITPATH_SESSION)
			buf_adds(&b, "@");
		else if (trace_is_placeholder(t, n))
			buf_printf(&b, "?%s", trace_str(t, trace_placeholder_id(t, n)));
		else
			buf_adds(&b, trace_str(t, trace_span(t, n)->id));
		buf_printf(&b, ":%lld-%lld", (long long)(cp->seg[i].start / 1000000),
		    (long long)(cp->seg[i].end / 1000000));
	}
	ck_assert_int_eq(at, cp->end);
	ck_assert_int_eq(sum, critpath_wall(cp));
	snprintf(out, sizeof out, "%s", buf_str(&b));
	buf_free(&b);
	critpath_free(cp);
	return out;
}

START_TEST(cp_sequential)
{
	struct trace *t = trace_new();

	add(t, mk("a", "r", "a", 10, 40));
	add(t, mk("b", "r", "b", 50, 90));
	add(t, mk("r", NULL, "r", 0, 100));
	ck_assert_str_eq(path_of(t, CRITPATH_SESSION, 0),
	    "r:0-10 a:10-40 r:40-50 b:50-90 r:90-100");
	trace_free(t);
}
END_TEST

/* b finishes last and holds the path back to its start; a, which it
 * overlaps, ended after that point and is not on it. */
START_TEST(cp_overlapping)
{
	struct trace *t = trace_new();
	struct critpath *cp;

	add(t, mk("a", "r", "a", 10, 60));
	add(t, mk("b", "r", "b", 40, 90));
	add(t, mk("r", NULL, "r", 0, 100));
	ck_assert_str_eq(path_of(t, CRITPATH_SESSION, 0), "r:0-40 b:40-90 r:90-100");
	cp = critpath_compute(t, CRITPATH_SESSION, 0);
	ck_assert(critpath_on(cp, node_of(t, "b")));
	ck_assert(!critpath_on(cp, node_of(t, "a")));
	ck_assert_int_eq(critpath_self(cp, node_of(t, "r")), 50 * 1000000);
	critpath_free(cp);
	/* Self time is what no child covers: 0-10 and 90-100. */
	ck_assert_int_eq(critpath_span_self(t, node_of(t, "r"), 0), 20 * 1000000);
	/* Overlap where the earlier child still ends before the later
	 * one's start point: both are on the path. */
	trace_free(t);
	t = trace_new();
	add(t, mk("a", "r", "a", 10, 30));
	add(t, mk("b", "r", "b", 20, 90));
	add(t, mk("c", "r", "c", 5, 15));
	add(t, mk("r", NULL, "r", 0, 100));
	ck_assert_str_eq(path_of(t, CRITPATH_SESSION, 0), "r:0-5 c:5-15 r:15-20 b:20-90 r:90-100");
	trace_free(t);
}
END_TEST

START_TEST(cp_child_after_parent)
{
	struct trace *t = trace_new();

	add(t, mk("a", "r", "a", 50, 150));  /* ends after its parent */
	add(t, mk("z", "r", "z", 120, 130)); /* entirely after it */
	add(t, mk("e", "r", "e", -1, 40));   /* no start: no time */
	add(t, mk("r", NULL, "r", 0, 100));
	ck_assert_str_eq(path_of(t, CRITPATH_SESSION, 0), "r:0-50 a:50-100");
	trace_free(t);
}
END_TEST

START_TEST(cp_equal_times)
{
	struct trace *t = trace_new();

	/* Equal starts: the one that ends last holds the path. */
	add(t, mk("a", "r", "a", 0, 50));
	add(t, mk("b", "r", "b", 0, 80));
	add(t, mk("r", NULL, "r", 0, 100));
	ck_assert_str_eq(path_of(t, CRITPATH_SESSION, 0), "b:0-80 r:80-100");
	trace_free(t);
	/* Equal ends: the earlier start (the longer child) wins. */
	t = trace_new();
	add(t, mk("a", "r", "a", 20, 80));
	add(t, mk("b", "r", "b", 10, 80));
	add(t, mk("c", "r", "c", 30, 80));
	add(t, mk("r", NULL, "r", 0, 100));
	ck_assert_str_eq(path_of(t, CRITPATH_SESSION, 0), "r:0-10 b:10-80 r:80-100");
	trace_free(t);
	/* A child as long as its parent leaves the parent no time. */
	t = trace_new();
	add(t, mk("a", "r", "a", 0, 100));
	add(t, mk("r", NULL, "r", 0, 100));
	ck_assert_str_eq(path_of(t, CRITPATH_SESSION, 0), "a:0-100");
	trace_free(t);
}
END_TEST

START_TEST(cp_running)
{
	struct trace *t = trace_new();

	add(t, mk("a", "r", "a", 10, -1));
	add(t, mk("b", "r", "b", 20, 30));
	add(t, mk("r", NULL, "r", 0, -1));
	ck_assert_str_eq(path_of(t, CRITPATH_SESSION, 200), "r:0-10 a:10-200");
	trace_free(t);
}
END_TEST

START_TEST(cp_orphans)
{
	struct trace *t = trace_new();

	/* Only orphans: their missing parent spans them. */
	add(t, mk("x", "p", "x", 10, 30));
	add(t, mk("y", "p", "y", 20, 50));
	ck_assert_str_eq(path_of(t, CRITPATH_SESSION, 0), "?p:10-20 y:20-50");
	/* With a root beside them, the session holds both. */
	add(t, mk("r", NULL, "r", 0, 40));
	ck_assert_str_eq(path_of(t, CRITPATH_SESSION, 0), "@:0-10 ?p:10-20 y:20-50");
	trace_free(t);
}
END_TEST

START_TEST(cp_several_roots)
{
	struct trace *t = trace_new();

	add(t, mk("r1", NULL, "r1", 0, 30));
	add(t, mk("r2", NULL, "r2", 50, 80));
	ck_assert_str_eq(path_of(t, CRITPATH_SESSION, 0), "r1:0-30 @:30-50 r2:50-80");
	trace_free(t);
}
END_TEST

START_TEST(cp_nested_and_subtree)
{
	struct trace *t = trace_new();

	add(t, mk("a1", "a", "a1", 20, 30));
	add(t, mk("a2", "a", "a2", 50, 80));
	add(t, mk("a", "r", "a", 10, 90));
	add(t, mk("r", NULL, "r", 0, 100));
	ck_assert_str_eq(path_of(t, CRITPATH_SESSION, 0),
	    "r:0-10 a:10-20 a1:20-30 a:30-50 a2:50-80 a:80-90 r:90-100");
	ck_assert_str_eq(path_of(t, node_of(t, "a"), 0),
	    "a:10-20 a1:20-30 a:30-50 a2:50-80 a:80-90");
	ck_assert_int_eq(critpath_span_self(t, node_of(t, "a"), 0), 40 * 1000000);
	trace_free(t);
}
END_TEST

/* A deep chain must not recurse on the C stack. */
START_TEST(cp_deep)
{
	struct trace *t = trace_new();
	char id[32], parent[32];
	int i, n = 100000;

	for (i = n - 1; i >= 0; i--) {
		snprintf(id, sizeof id, "s%d", i);
		snprintf(parent, sizeof parent, "s%d", i - 1);
		add(t, mk(id, i > 0 ? parent : NULL, id, i, 2 * n - i));
	}
	struct critpath *cp = critpath_compute(t, CRITPATH_SESSION, 0);
	ck_assert_ptr_nonnull(cp);
	ck_assert_int_eq(critpath_wall(cp), (int64_t)2 * n * 1000000);
	ck_assert_uint_eq(cp->nseg, (size_t)2 * n - 1);
	critpath_free(cp);
	trace_free(t);
}
END_TEST

START_TEST(percentiles)
{
	int64_t v[20];
	int i;

	for (i = 0; i < 20; i++)
		v[i] = i + 1;
	ck_assert_int_eq(stats_percentile(v, 10, 50), 5);
	ck_assert_int_eq(stats_percentile(v, 10, 95), 10);
	ck_assert_int_eq(stats_percentile(v, 20, 95), 19);
	ck_assert_int_eq(stats_percentile(v, 20, 50), 10);
	ck_assert_int_eq(stats_percentile(v, 1, 50), 1);
	ck_assert_int_eq(stats_percentile(v, 1, 95), 1);
	ck_assert_int_eq(stats_percentile(v, 2, 50), 1);
	ck_assert_int_eq(stats_percentile(v, 2, 95), 2);
	ck_assert_int_eq(stats_percentile(v, 3, 50), 2);
	ck_assert_int_eq(stats_percentile(v, 0, 50), 0);
}
END_TEST

#define TOK(i, o, r, w) ((struct token_counts){ i, o, r, w })

static const char table[] =
    "# test table\n"
    "claude-sonnet-4   3.00  15.00  0.30\n"
    "gpt-4o            2.50  10.00  1.25\n"
    "gpt-4o-2024-05-13 5     15     -\n"
    "gpt-4o-mini       0.15  0.60\n"
    "Claude-3-5-Sonnet 3 15\n"
    "bad line here\n"
    "only-input 2\n"
    "negative -1 2\n"
    "\n"
    "   # indented comment\n";

START_TEST(price_matching)
{
	struct prices *p = prices_new();
	const struct price *e;
	double usd;

	prices_load_text(p, table, strlen(table), "t");
	ck_assert_uint_eq(prices_count(p), 5);
	ck_assert_uint_eq(prices_nwarnings(p), 3);
	ck_assert_str_eq(prices_warning(p, 0),
	    "t:7: not a price line (model input output [cache_read [cache_write]]), skipped");
	ck_assert_ptr_nonnull(strstr(prices_warning(p, 1), "t:8:"));
	ck_assert_ptr_nonnull(strstr(prices_warning(p, 2), "t:9:"));
	/* Exact, ignoring case. */
	ck_assert_ptr_nonnull(e = prices_find(p, "CLAUDE-SONNET-4"));
	ck_assert_str_eq(e->model, "claude-sonnet-4");
	ck_assert(e->cache_read == 0.30);
	/* Dated snapshots. */
	ck_assert_ptr_nonnull(e = prices_find(p, "claude-sonnet-4-20250514"));
	ck_assert_str_eq(e->model, "claude-sonnet-4");
	ck_assert_ptr_nonnull(e = prices_find(p, "gpt-4o-2024-08-06"));
	ck_assert_str_eq(e->model, "gpt-4o");
	ck_assert(e->in == 2.50 && e->out == 10.00);
	/* A snapshot the table names itself wins over its family. */
	ck_assert_ptr_nonnull(e = prices_find(p, "gpt-4o-2024-05-13"));
	ck_assert(e->in == 5 && e->cache_read == -1);
	ck_assert_ptr_nonnull(e = prices_find(p, "gpt-4o-mini-2024-07-18"));
	ck_assert_str_eq(e->model, "gpt-4o-mini");
	ck_assert_ptr_nonnull(e = prices_find(p, "claude-3-5-sonnet-latest"));
	ck_assert_str_eq(e->model, "claude-3-5-sonnet");
	ck_assert_ptr_nonnull(e = prices_find(p, "anthropic/claude-sonnet-4-20250514"));
	ck_assert_str_eq(e->model, "claude-sonnet-4");
	/* Nothing else: no prefix guessing. */
	ck_assert_ptr_null(prices_find(p, "gpt-4"));
	ck_assert_ptr_null(prices_find(p, "gpt-4o-mini-search"));
	ck_assert_ptr_null(prices_find(p, "claude-sonnet-4-5"));
	ck_assert_ptr_null(prices_find(p, "claude-sonnet-4-2025051"));
	ck_assert_ptr_null(prices_find(p, "claude-sonnet"));
	ck_assert_ptr_null(prices_find(p, ""));
	ck_assert(!prices_cost(p, "mystery-model", &TOK(10, 10, -1, -1), &usd));
	ck_assert(prices_cost(p, "claude-sonnet-4-20250514", &TOK(1000, 500, -1, -1), &usd));
	ck_assert(fabs(usd - 0.0105) < 1e-12);
	/* A later line (the user's table) replaces an earlier one. */
	prices_load_text(p, "gpt-4o 1 2\nmy-model 0.5 1\n", 25, "user");
	ck_assert(prices_cost(p, "gpt-4o-2024-08-06", &TOK(1000000, 1000000, 0, 0), &usd));
	ck_assert(fabs(usd - 3.0) < 1e-12);
	ck_assert_ptr_nonnull(prices_find(p, "my-model"));
	prices_free(p);
}
END_TEST

/* The shipped table loads without a warning and prices the models the
 * demo data and the real instrumentation use. */
START_TEST(price_shipped)
{
	struct prices *p = prices_new();
	char *cause = NULL;

	ck_assert_int_eq(prices_load_file(p, DATA_DIR "/prices", &cause), 0);
	ck_assert_uint_eq(prices_nwarnings(p), 0);
	ck_assert_ptr_nonnull(prices_find(p, "claude-sonnet-4-20250514"));
	ck_assert_ptr_nonnull(prices_find(p, "claude-3-5-haiku-latest"));
	ck_assert_ptr_nonnull(prices_find(p, "claude-3-7-sonnet-20250219"));
	ck_assert_ptr_nonnull(prices_find(p, "gpt-4o-2024-08-06"));
	ck_assert_ptr_nonnull(prices_find(p, "gpt-4o-mini"));
	ck_assert_int_eq(prices_load_file(p, "/nonexistent/prices", &cause), -1);
	ck_assert_ptr_nonnull(strstr(cause, "/nonexistent/prices"));
	free(cause);
	prices_free(p);
}
END_TEST

static struct span_fields
llm(const char *id, const char *parent, const char *name, const char *model,
    int64_t in, int64_t out, int64_t s, int64_t e)
{
	struct span_fields f = mk(id, parent, name, s, e);

	f.llm_model = ref(model);
	f.tokens_in = in;
	f.tokens_out = out;
	return f;
}

static struct span_fields
tool(const char *id, const char *parent, const char *name, int64_t s, int64_t e)
{
	struct span_fields f = mk(id, parent, "Agent.x.call_tool", s, e);

	f.tool_name = ref(name);
	f.flags |= SF_TOOL_ATTR;
	return f;
}

/* The real instrumentation: the usage on …generate, the model on its
 * parent …generate_str, written after it. */
START_TEST(usage_parent_rule)
{
	struct trace *t = trace_new_summary(), *full;
	struct prices *p = prices_new();
	const struct usage_model *m;
	struct cost c;
	size_t n;

	prices_load_text(p, table, strlen(table), "t");
	add(t, llm("g1", "gs1", "A.x.generate", NULL, 1000, 100, 1, 9));
	n = trace_models(t, &m);
	ck_assert_uint_eq(n, 1);
	ck_assert_uint_eq(m[0].model, STRTAB_EMPTY);   /* waiting for its parent */
	add(t, llm("gs1", "w", "A.x.generate_str", "claude-sonnet-4-20250514", -1, -1, 0, 10));
	n = trace_models(t, &m);
	ck_assert_uint_eq(n, 1);
	ck_assert_str_eq(strtab_str(trace_strings(t), m[0].model), "claude-sonnet-4-20250514");
	ck_assert_int_eq(m[0].tok.in, 1000);
	ck_assert_int_eq(m[0].tok.out, 100);
	cost_trace(t, p, &c);
	ck_assert(c.known);
	ck_assert(fabs(c.usd - (1000 * 3.0 + 100 * 15.0) / 1e6) < 1e-12);
	/* Parent first (flat layouts), and a model of its own. */
	add(t, llm("gs2", "w", "A.x.generate_str", "gpt-4o", -1, -1, 10, 20));
	add(t, llm("g2", "gs2", "A.x.generate", NULL, 1000000, 0, 11, 19));
	add(t, llm("g3", "w", "A.x.generate", "gpt-4o-mini", 1000000, 0, 11, 19));
	cost_trace(t, p, &c);
	ck_assert(c.known);
	ck_assert(fabs(c.usd - (0.0045 + 2.5 + 0.15)) < 1e-9);
	/* A model without a price: the cost is unknown, and says why. */
	add(t, llm("g4", "w", "A.x.generate", "mystery-1", 5, 5, 11, 19));
	cost_trace(t, p, &c);
	ck_assert(!c.known);
	ck_assert_str_eq(c.unpriced, "mystery-1");
	trace_free(t);
	/* Tokens whose parent is not an llm span have no model. */
	full = trace_new();
	add(full, mk("w", NULL, "workflow.run", 0, 100));
	add(full, llm("g", "w", "A.x.generate", NULL, 10, 10, 1, 9));
	cost_trace(full, p, &c);
	ck_assert(!c.known);
	ck_assert_str_eq(c.unpriced, "");
	cost_span(full, p, node_of(full, "w"), &c);
	ck_assert(c.known && c.usd == 0);   /* no tokens cost nothing */
	trace_free(full);
	prices_free(p);
}
END_TEST

static const struct stats_group *group(const struct stats *, enum stats_by,
    const char *);

static const char cache_table[] =
    "claude-sonnet-4 3.00 15.00 0.30 3.75\n"
    "gpt-4o          2.50 10.00 1.25\n"
    "nocache-model   1    2\n"
    "readonly-model  1    2     0.5  -\n"
    "writeonly-model 1    2     -    3\n"
    "six-columns     1    2     3    4 5\n";

#define NEAR(a, b) (fabs((a) - (b)) < 1e-12)

/* Cached input at the cache prices, hand-computed (USD per million):
 * the input that was neither read from nor written to the cache at the
 * input price, the rest at the cache-read and cache-write prices. */
START_TEST(price_cached_tokens)
{
	struct prices *p = prices_new();
	double usd;

	prices_load_text(p, cache_table, strlen(cache_table), "t");
	ck_assert_uint_eq(prices_count(p), 5);
	ck_assert_uint_eq(prices_nwarnings(p), 1);
	ck_assert_ptr_nonnull(strstr(prices_warning(p, 0), "t:6:"));
	ck_assert(prices_find(p, "claude-sonnet-4")->cache_write == 3.75);
	ck_assert(prices_find(p, "gpt-4o")->cache_write == -1);
	/* Anthropic: 100 plain + 2000 read + 500 written = 2600 in;
	 * 100·3 + 2000·0.30 + 500·3.75 + 300·15 = 7275 µ$. */
	ck_assert(prices_cost(p, "claude-sonnet-4-20250514",
	    &TOK(2600, 300, 2000, 500), &usd));
	ck_assert(NEAR(usd, 0.007275));
	/* OpenAI: 800 of 1000 prompt tokens cached, none written;
	 * 200·2.5 + 800·1.25 + 50·10 = 2000 µ$. */
	ck_assert(prices_cost(p, "gpt-4o", &TOK(1000, 50, 800, -1), &usd));
	ck_assert(NEAR(usd, 0.002));
	/* Zero cached counts need no cache price. */
	ck_assert(prices_cost(p, "nocache-model", &TOK(100, 10, 0, -1), &usd));
	ck_assert(NEAR(usd, 0.00012));
	/* Cached tokens without their price: unknown, never a guess. */
	ck_assert(!prices_cost(p, "nocache-model", &TOK(100, 10, 50, -1), &usd));
	ck_assert(!prices_cost(p, "gpt-4o", &TOK(1000, 10, 0, 5), &usd));
	ck_assert(prices_cost(p, "readonly-model", &TOK(100, 0, 40, 0), &usd));
	ck_assert(NEAR(usd, (60 * 1 + 40 * 0.5) / 1e6));
	ck_assert(!prices_cost(p, "readonly-model", &TOK(100, 0, 40, 10), &usd));
	ck_assert(prices_cost(p, "writeonly-model", &TOK(100, 0, -1, 10), &usd));
	ck_assert(NEAR(usd, (90 * 1 + 10 * 3) / 1e6));
	/* An input count that leaves the cached ones out prices no plain
	 * input: 20 read at 0.30. */
	ck_assert(prices_cost(p, "claude-sonnet-4", &TOK(10, 0, 20, 0), &usd));
	ck_assert(NEAR(usd, 20 * 0.30 / 1e6));
	prices_free(p);
}
END_TEST

static struct span_fields
cached(struct span_fields f, int64_t read, int64_t write)
{
	f.tokens_cache_read = read;
	f.tokens_cache_write = write;
	return f;
}

/* The index keeps cached counts beside the records; cost, usage by
 * model (the parent rule), totals and stats all use them. */
START_TEST(cache_in_the_index)
{
	struct trace *t = trace_new(), *sum = trace_new_summary();
	struct prices *p = prices_new();
	const struct usage_model *m;
	const struct trace_stats *ts;
	struct token_counts tc;
	struct cost c;
	struct stats *st;
	const struct stats_group *g;
	struct span_fields f[4];
	size_t n, k;

	prices_load_text(p, cache_table, strlen(cache_table), "t");
	f[0] = mk("w", NULL, "workflow.run", 0, 100);
	/* The usage on …generate, written before its …generate_str. */
	f[1] = cached(llm("g1", "gs1", "A.x.generate", NULL, 2600, 300, 1, 9), 2000, 500);
	f[2] = llm("gs1", "w", "A.x.generate_str", "claude-sonnet-4-20250514", -1, -1, 0, 10);
	/* Zeros, as Anthropic reports them: nothing kept. */
	f[3] = cached(llm("g2", "w", "A.x.generate", "gpt-4o", 1000, 50, 11, 19), 0, 0);
	for (k = 0; k < 4; k++) {
		add(t, f[k]);
		add(sum, f[k]);
	}
	trace_span_tokens(t, node_of(t, "g1"), &tc);
	ck_assert(tc.in == 2600 && tc.out == 300 && tc.cache_read == 2000 &&
	    tc.cache_write == 500);
	trace_span_tokens(t, node_of(t, "g2"), &tc);
	ck_assert(tc.in == 1000 && tc.cache_read == -1 && tc.cache_write == -1);
	trace_span_tokens(t, node_of(t, "w"), &tc);
	ck_assert(tc.in == -1 && tc.cache_read == -1);
	/* Per span, then per model after the parent arrived. */
	cost_span(t, p, node_of(t, "g1"), &c);
	ck_assert(c.known && NEAR(c.usd, 0.007275));
	n = trace_models(sum, &m);
	ck_assert_uint_eq(n, 2);
	ck_assert_str_eq(strtab_str(trace_strings(sum), m[0].model),
	    "claude-sonnet-4-20250514");
	ck_assert(m[0].tok.in == 2600 && m[0].tok.cache_read == 2000 &&
	    m[0].tok.cache_write == 500);
	cost_trace(sum, p, &c);
	ck_assert(c.known && NEAR(c.usd, 0.007275 + (1000 * 2.5 + 50 * 10) / 1e6));
	ts = trace_stats(sum);
	ck_assert(ts->tokens_in == 3600 && ts->tokens_cache_read == 2000 &&
	    ts->tokens_cache_write == 500);
	/* The subtree roll-up and the stats group of the model. */
	st = stats_compute(t, p, 100 * 1000000LL, NULL);
	g = group(st, STATS_MODEL, "claude-sonnet-4-20250514");
	ck_assert_ptr_nonnull(g);
	ck_assert(g->tok_in == 2600 && g->tok_cache_read == 2000 &&
	    g->tok_cache_write == 500 && g->cost.known && NEAR(g->cost.usd, 0.007275));
	stats_free(st);
	/* A model whose line has no cache-write price: unknown. */
	prices_load_text(p, "claude-sonnet-4 3 15 0.30\n",
	    strlen("claude-sonnet-4 3 15 0.30\n"), "user");
	cost_trace(sum, p, &c);
	ck_assert(!c.known);
	ck_assert_str_eq(c.unpriced, "claude-sonnet-4-20250514");
	trace_free(t);
	trace_free(sum);
	prices_free(p);
}
END_TEST

static const struct stats_group *
group(const struct stats *st, enum stats_by by, const char *key)
{
	size_t i;

	for (i = 0; i < st->n; i++) {
		if (st->g[i].by == by && strcmp(st->g[i].key, key) == 0)
			return &st->g[i];
	}
	return NULL;
}

START_TEST(stats_groups_and_split)
{
	struct trace *t = trace_new();
	struct prices *p = prices_new();
	const struct stats_group *g;
	struct stats *st;
	struct span_fields f;
	char *flt;

	prices_load_text(p, table, strlen(table), "t");
	add(t, tool("t1", "g", "read", 10, 20));
	add(t, tool("t2", "g", "read", 20, 50));
	f = tool("t3", "g", "read", 50, 60);
	f.status = SPAN_ERROR;
	add(t, f);
	add(t, tool("t4", "g", "write", 60, 70));
	add(t, llm("g", "gs", "A.x.generate", NULL, 2000, 100, 5, 80));
	add(t, llm("gs", "a", "A.x.generate_str", "claude-sonnet-4", -1, -1, 5, 80));
	f = mk("a", "r", "Agent.x.run", 0, 90);
	f.agent_name = ref("x");
	f.flags |= SF_AGENT_NAME;
	add(t, f);
	f = mk("w", "r", "wait", 90, 95);
	f.flags |= SF_PAUSED;
	add(t, f);
	add(t, mk("r", NULL, "r", 0, 100));
	trace_update_tree(t);
	st = stats_compute(t, p, 0, NULL);
	ck_assert_int_eq(st->wall_ns, 100 * 1000000);
	/* Path: a 0-5, g 5-10, t1 10-20, t2 20-50, t3 50-60, t4 60-70,
	 * g 70-80, a 80-90, w 90-95 (paused), r 95-100. */
	ck_assert_int_eq(st->tool_ns, 60 * 1000000);
	ck_assert_int_eq(st->llm_ns, 15 * 1000000);
	ck_assert_int_eq(st->waiting_ns, 5 * 1000000);
	ck_assert_int_eq(st->other_ns, 20 * 1000000);
	ck_assert_int_eq(st->llm_ns + st->tool_ns + st->waiting_ns + st->other_ns, st->wall_ns);
	ck_assert_ptr_nonnull(g = group(st, STATS_TOOL, "read"));
	ck_assert_uint_eq(g->count, 3);
	ck_assert_uint_eq(g->errors, 1);
	ck_assert_int_eq(g->total_ns, 50 * 1000000);
	ck_assert_int_eq(g->p50_ns, 10 * 1000000);
	ck_assert_int_eq(g->p95_ns, 30 * 1000000);
	ck_assert_int_eq(g->max_ns, 30 * 1000000);
	ck_assert(g->cost.known && g->cost.usd == 0);
	flt = stats_group_filter(g);
	ck_assert_str_eq(flt, "type:tool label:\"read\"");
	free(flt);
	ck_assert_ptr_nonnull(g = group(st, STATS_MODEL, "claude-sonnet-4"));
	ck_assert_uint_eq(g->count, 2);     /* generate_str and generate */
	ck_assert_int_eq(g->tok_in, 2000);  /* counted once */
	ck_assert(g->cost.known && fabs(g->cost.usd - 0.0075) < 1e-12);
	ck_assert_ptr_nonnull(g = group(st, STATS_AGENT, "x"));
	ck_assert_uint_eq(g->count, 1);
	ck_assert_ptr_nonnull(g = group(st, STATS_TYPE, "tool"));
	ck_assert_uint_eq(g->count, 4);
	flt = stats_group_filter(g);
	ck_assert_str_eq(flt, "type:tool");
	free(flt);
	/* Groups: by kind, then the most time first. */
	ck_assert_int_eq(st->g[0].by, STATS_TOOL);
	ck_assert_str_eq(st->g[0].key, "read");
	stats_free(st);
	trace_free(t);
	prices_free(p);
}
END_TEST

/* --stats --all: sums exactly, percentiles within 1% and never above
 * the max. */
START_TEST(stats_accumulate)
{
	struct stats_acc *acc = stats_acc_new();
	struct stats *st;
	const struct stats_group *g;
	struct trace *t;
	char id[16];
	int s, i;

	for (s = 0; s < 3; s++) {
		t = trace_new();
		for (i = 0; i < 100; i++) {
			snprintf(id, sizeof id, "t%d", i);
			add(t, tool(id, "r", "read", 0, (s * 100 + i + 1) * 7));
		}
		add(t, mk("r", NULL, "r", 0, 3000));
		trace_update_tree(t);
		stats_free(stats_compute(t, NULL, 0, acc));
		trace_free(t);
	}
	st = stats_acc_result(acc);
	ck_assert_ptr_nonnull(g = group(st, STATS_TOOL, "read"));
	ck_assert_uint_eq(g->count, 300);
	ck_assert_int_eq(g->max_ns, 300 * 7 * 1000000LL);
	ck_assert_int_eq(g->total_ns, 7 * 1000000LL * 300 * 301 / 2);
	ck_assert(llabs(g->p50_ns - 150 * 7 * 1000000LL) <= 150 * 7 * 10000LL);
	ck_assert(llabs(g->p95_ns - 285 * 7 * 1000000LL) <= 285 * 7 * 10000LL);
	ck_assert_int_le(g->p95_ns, g->max_ns);
	ck_assert_int_eq(st->wall_ns, 3 * 3000 * 1000000LL);
	stats_free(st);
	stats_acc_free(acc);
}
END_TEST

static Suite *
suite(void)
{
	Suite *s = suite_create("analysis");
	TCase *tc = tcase_create("all");

	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, cp_sequential);
	tcase_add_test(tc, cp_overlapping);
	tcase_add_test(tc, cp_child_after_parent);
	tcase_add_test(tc, cp_equal_times);
	tcase_add_test(tc, cp_running);
	tcase_add_test(tc, cp_orphans);
	tcase_add_test(tc, cp_several_roots);
	tcase_add_test(tc, cp_nested_and_subtree);
	tcase_add_test(tc, cp_deep);
	tcase_add_test(tc, percentiles);
	tcase_add_test(tc, price_matching);
	tcase_add_test(tc, price_shipped);
	tcase_add_test(tc, usage_parent_rule);
	tcase_add_test(tc, price_cached_tokens);
	tcase_add_test(tc, cache_in_the_index);
	tcase_add_test(tc, stats_groups_and_split);
	tcase_add_test(tc, stats_accumulate);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	return check_main(suite, "test_analysis", NULL);
}
