/* SPDX-License-Identifier: MIT */
/*
 * test_diff.c — the run matcher (diff.c) on hand-made pairs of traces:
 * identical runs, a step added or removed, a retry loop that ran twice,
 * a status change, a slowdown, tokens, orphans, running spans, attributes.
 */
#include <check.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check_main.h"
#include "buf.h"
#include "diff.h"
#include "span.h"
#include "span_detail.h"
#include "trace.h"
#include "xmalloc.h"

/* One span of a hand-made run: tool spans have a tool name (the label). */
struct hs {
	const char *id, *parent, *name, *tool;
	int64_t start_ms, end_ms;  /* -1: absent (running) */
	int status;                /* enum span_status */
	int64_t tok_in, tok_out;   /* -1: unknown */
};

static struct strref
ref(const char *s)
{
	struct strref r = { s, s != NULL ? strlen(s) : 0 };

	return r;
}

static struct trace *
mk(const struct hs *spans, size_t n)
{
	struct trace *t = trace_new();
	struct span_fields f;
	size_t i;

	for (i = 0; i < n; i++) {
		memset(&f, 0, sizeof f);
		f.span_id = ref(spans[i].id);
		f.parent_id = ref(spans[i].parent);
		f.name = ref(spans[i].name);
		if (spans[i].tool != NULL) {
			f.tool_name = ref(spans[i].tool);
			f.flags |= SF_TOOL_ATTR;
		}
		f.start_ns = spans[i].start_ms < 0 ? SPAN_TIME_NONE : spans[i].start_ms * 1000000;
		f.end_ns = spans[i].end_ms < 0 ? SPAN_TIME_NONE : spans[i].end_ms * 1000000;
		f.status = (uint8_t)spans[i].status;
		f.tokens_in = spans[i].tok_in;
		f.tokens_out = spans[i].tok_out;
		trace_add(t, &f, 0, 0, 0);
	}
	trace_update_tree(t);
	return t;
}

/* The diff as words "mark depth name[what]", mark one of = + - ~. */
static char *
render(struct diff *d)
{
	struct buf b = BUF_INIT;
	const struct diff_row *r;
	struct trace *t;
	uint32_t node;
	size_t i;

	for (i = 0; i < d->n; i++) {
		r = &d->rows[i];
		t = r->a != TRACE_NONE ? d->ta : d->tb;
		node = r->a != TRACE_NONE ? r->a : r->b;
		if (i > 0)
			buf_addc(&b, ' ');
		buf_addc(&b, "=+-~"[r->change]);
		buf_printf(&b, "%u", r->depth);
		if (trace_is_placeholder(t, node))
			buf_adds(&b, "?");
		else
			buf_adds(&b, trace_str(t, trace_span(t, node)->name));
		if (r->what & DIFF_W_STATUS)
			buf_adds(&b, "[status]");
		if (r->what & DIFF_W_DURATION)
			buf_adds(&b, "[duration]");
		if (r->what & DIFF_W_TOKENS)
			buf_adds(&b, "[tokens]");
	}
	return buf_detach(&b);
}

#define OK SPAN_OK
#define ER SPAN_ERROR

/* A small agent run: root, an LLM call, a tool call, a second LLM call. */
static const struct hs base[] = {
	{ "r", NULL, "run", NULL, 0, 100, OK, -1, -1 },
	{ "a", "r", "llm", NULL, 0, 20, OK, 100, 10 },
	{ "b", "r", "call_tool", "read", 20, 50, OK, -1, -1 },
	{ "c", "r", "llm", NULL, 50, 90, OK, 200, 20 },
};

static char *
diff_words(const struct hs *a, size_t na, const struct hs *b, size_t nb,
    double threshold, bool *differs)
{
	struct trace *ta = mk(a, na), *tb = mk(b, nb);
	struct diff *d = diff_new(ta, tb, threshold);
	char *s = render(d);

	*differs = diff_differs(d);
	diff_free(d);
	trace_free(ta);
	trace_free(tb);
	return s;
}

#define N(x) (sizeof (x) / sizeof (x)[0])

START_TEST(identical)
{
	/* Same shape, other ids: ids never take part. */
	static const struct hs other[] = {
		{ "R", NULL, "run", NULL, 1000, 1100, OK, -1, -1 },
		{ "A", "R", "llm", NULL, 1000, 1020, OK, 100, 10 },
		{ "B", "R", "call_tool", "read", 1020, 1050, OK, -1, -1 },
		{ "C", "R", "llm", NULL, 1050, 1090, OK, 200, 20 },
	};
	struct trace *ta = mk(base, N(base)), *tb = mk(other, N(other));
	struct diff *d = diff_new(ta, tb, 0);
	char *s = render(d);

	ck_assert_str_eq(s, "=0run =1llm =1call_tool =1llm");
	ck_assert(!diff_differs(d));
	ck_assert_uint_eq(diff_count_changes(d), 0);
	ck_assert_uint_eq(diff_next_change(d, SIZE_MAX, 1), SIZE_MAX);
	ck_assert(fabs(d->rows[0].ratio - 1.0) < 1e-9);
	free(s);
	diff_free(d);
	trace_free(ta);
	trace_free(tb);
}
END_TEST

START_TEST(step_added)
{
	static const struct hs b[] = {
		{ "r", NULL, "run", NULL, 0, 100, OK, -1, -1 },
		{ "a", "r", "llm", NULL, 0, 20, OK, 100, 10 },
		{ "b", "r", "call_tool", "read", 20, 50, OK, -1, -1 },
		{ "w", "r", "call_tool", "write", 50, 55, OK, -1, -1 },
		{ "w2", "w", "http", NULL, 51, 54, OK, -1, -1 },
		{ "c", "r", "llm", NULL, 55, 95, OK, 200, 20 },
	};
	bool differs;
	char *s = diff_words(base, N(base), b, N(b), 0, &differs);

	/* The new step and its child are added, at their place. */
	ck_assert_str_eq(s, "=0run =1llm =1call_tool +1call_tool +2http =1llm");
	ck_assert(differs);
	free(s);
}
END_TEST

START_TEST(step_removed)
{
	static const struct hs b[] = {
		{ "r", NULL, "run", NULL, 0, 100, OK, -1, -1 },
		{ "a", "r", "llm", NULL, 0, 20, OK, 100, 10 },
		{ "c", "r", "llm", NULL, 50, 90, OK, 200, 20 },
	};
	bool differs;
	char *s = diff_words(base, N(base), b, N(b), 0, &differs);

	ck_assert_str_eq(s, "=0run =1llm -1call_tool =1llm");
	ck_assert(differs);
	free(s);
}
END_TEST

START_TEST(retry_twice)
{
	/* The tool failed once and the loop ran again: the nth of each
	 * (type, name, label) matches the nth, the second round is added. */
	static const struct hs b[] = {
		{ "r", NULL, "run", NULL, 0, 100, OK, -1, -1 },
		{ "a", "r", "llm", NULL, 0, 20, OK, 100, 10 },
		{ "b", "r", "call_tool", "read", 20, 50, OK, -1, -1 },
		{ "c", "r", "llm", NULL, 50, 60, OK, 200, 20 },
		{ "d", "r", "call_tool", "read", 60, 70, OK, -1, -1 },
		{ "e", "r", "llm", NULL, 70, 90, OK, 300, 30 },
	};
	bool differs;
	char *s = diff_words(base, N(base), b, N(b), 0, &differs);

	ck_assert_str_eq(s, "=0run =1llm =1call_tool ~1llm[duration] +1call_tool +1llm");
	ck_assert(differs);
	free(s);
}
END_TEST

START_TEST(status_change)
{
	static const struct hs b[] = {
		{ "r", NULL, "run", NULL, 0, 100, ER, -1, -1 },
		{ "a", "r", "llm", NULL, 0, 20, OK, 100, 10 },
		{ "b", "r", "call_tool", "read", 20, 50, ER, -1, -1 },
		{ "c", "r", "llm", NULL, 50, 90, OK, 200, 20 },
	};
	bool differs;
	char *s = diff_words(base, N(base), b, N(b), 0, &differs);

	ck_assert_str_eq(s, "~0run[status] =1llm ~1call_tool[status] =1llm");
	ck_assert(differs);
	free(s);
}
END_TEST

START_TEST(slowdown)
{
	static const struct hs b[] = {
		{ "r", NULL, "run", NULL, 0, 130, OK, -1, -1 },
		{ "a", "r", "llm", NULL, 0, 20, OK, 100, 10 },
		{ "b", "r", "call_tool", "read", 20, 80, OK, -1, -1 },
		{ "c", "r", "llm", NULL, 80, 120, OK, 200, 20 },
	};
	struct trace *ta = mk(base, N(base)), *tb = mk(b, N(b));
	struct diff *d = diff_new(ta, tb, 0);
	char *s = render(d);
	size_t first;

	/* 130/100 = 1.3 ≥ 1.25 and 60/30 = 2; durations never make the
	 * exit status "different". */
	ck_assert_str_eq(s, "~0run[duration] =1llm ~1call_tool[duration] =1llm");
	ck_assert(!diff_differs(d));
	ck_assert(fabs(d->rows[2].ratio - 2.0) < 1e-9);
	first = diff_next_change(d, SIZE_MAX, 1);
	ck_assert_uint_eq(first, 0);
	ck_assert_uint_eq(diff_next_change(d, first, 1), 2);
	ck_assert_uint_eq(diff_next_change(d, 2, 1), 0);
	ck_assert_uint_eq(diff_next_change(d, 0, -1), 2);
	free(s);
	diff_free(d);

	/* A higher threshold: only the tool, twice as slow, is marked. */
	d = diff_new(ta, tb, 1.5);
	s = render(d);
	ck_assert_str_eq(s, "=0run =1llm ~1call_tool[duration] =1llm");
	free(s);
	diff_free(d);

	/* Faster by the threshold is marked too (ratio 0.5). */
	d = diff_new(tb, ta, 1.5);
	s = render(d);
	ck_assert_str_eq(s, "=0run =1llm ~1call_tool[duration] =1llm");
	ck_assert(fabs(d->rows[2].ratio - 0.5) < 1e-9);
	free(s);
	diff_free(d);
	trace_free(ta);
	trace_free(tb);
}
END_TEST

START_TEST(tiny_durations)
{
	/* 0 ms against 0.5 ms is no slowdown: both count as 1 ms. */
	static const struct hs a[] = { { "r", NULL, "run", NULL, 0, 0, OK, -1, -1 } };
	struct trace *ta = mk(a, 1), *tb;
	struct span_fields f;
	struct diff *d;
	char *s;

	tb = trace_new();
	memset(&f, 0, sizeof f);
	f.span_id = ref("r");
	f.name = ref("run");
	f.start_ns = 0;
	f.end_ns = 500000;
	f.tokens_in = f.tokens_out = -1;
	f.status = OK;
	trace_add(tb, &f, 0, 0, 0);
	trace_update_tree(tb);
	d = diff_new(ta, tb, 0);
	s = render(d);
	ck_assert_str_eq(s, "=0run");
	free(s);
	diff_free(d);
	trace_free(ta);
	trace_free(tb);
}
END_TEST

START_TEST(tokens_changed)
{
	static const struct hs b[] = {
		{ "r", NULL, "run", NULL, 0, 100, OK, -1, -1 },
		{ "a", "r", "llm", NULL, 0, 20, OK, 150, 10 },
		{ "b", "r", "call_tool", "read", 20, 50, OK, -1, -1 },
		{ "c", "r", "llm", NULL, 50, 90, OK, 200, 20 },
	};
	bool differs;
	char *s = diff_words(base, N(base), b, N(b), 0, &differs);

	ck_assert_str_eq(s, "=0run ~1llm[tokens] =1call_tool =1llm");
	ck_assert(!differs);
	free(s);
}
END_TEST

START_TEST(label_tells_apart)
{
	/* Same name, another tool: not a match. */
	static const struct hs b[] = {
		{ "r", NULL, "run", NULL, 0, 100, OK, -1, -1 },
		{ "a", "r", "llm", NULL, 0, 20, OK, 100, 10 },
		{ "b", "r", "call_tool", "fetch", 20, 50, OK, -1, -1 },
		{ "c", "r", "llm", NULL, 50, 90, OK, 200, 20 },
	};
	bool differs;
	char *s = diff_words(base, N(base), b, N(b), 0, &differs);

	ck_assert_str_eq(s, "=0run =1llm -1call_tool +1call_tool =1llm");
	ck_assert(differs);
	free(s);
}
END_TEST

START_TEST(orphans_and_running)
{
	/* A running session: no root written yet, its children are orphans
	 * under a placeholder whose id differs between the runs; one child
	 * has not ended. */
	static const struct hs a[] = {
		{ "a", "ROOT1", "llm", NULL, 0, 20, OK, 100, 10 },
		{ "b", "ROOT1", "call_tool", "read", 20, -1, SPAN_UNSET, -1, -1 },
	};
	static const struct hs b[] = {
		{ "x", "ROOT2", "llm", NULL, 0, 20, OK, 100, 10 },
		{ "y", "ROOT2", "call_tool", "read", 20, 90, OK, -1, -1 },
		{ "z", "ROOT2", "llm", NULL, 90, -1, SPAN_UNSET, -1, -1 },
	};
	bool differs;
	char *s = diff_words(a, N(a), b, N(b), 0, &differs);

	/* The running tool has no duration to compare; its status moved. */
	ck_assert_str_eq(s, "=0? =1llm ~1call_tool[status] +1llm");
	ck_assert(differs);
	free(s);
	/* Against itself, a running session is identical. */
	s = diff_words(a, N(a), a, N(a), 0, &differs);
	ck_assert_str_eq(s, "=0? =1llm =1call_tool");
	ck_assert(!differs);
	free(s);
}
END_TEST

START_TEST(empty_sides)
{
	bool differs;
	char *s = diff_words(base, 0, base, N(base), 0, &differs);

	ck_assert_str_eq(s, "+0run +1llm +1call_tool +1llm");
	ck_assert(differs);
	free(s);
	s = diff_words(base, N(base), base, 0, 0, &differs);
	ck_assert_str_eq(s, "-0run -1llm -1call_tool -1llm");
	free(s);
	s = diff_words(base, 0, base, 0, 0, &differs);
	ck_assert_str_eq(s, "");
	ck_assert(!differs);
	free(s);
}
END_TEST

START_TEST(deep_chain)
{
	/* A chain 100 000 deep: the walk keeps its stack on the heap.
	 * (Under memcheck, whose own stack is what matters, 20 000.) */
	const uint32_t DEEP = getenv("MIT_VALGRIND") != NULL ? 20000 : 100000;
	struct trace *ta = trace_new(), *tb = trace_new();
	struct span_fields f;
	struct diff *d;
	char id[32], parent[32];
	uint32_t k;

	for (k = 0; k < DEEP; k++) {
		memset(&f, 0, sizeof f);
		snprintf(id, sizeof id, "s%u", k);
		snprintf(parent, sizeof parent, "s%u", k - 1);
		f.span_id = ref(id);
		f.parent_id = ref(k > 0 ? parent : NULL);
		f.name = ref("step");
		f.start_ns = (int64_t)k * 1000000;
		f.end_ns = (int64_t)(2 * DEEP - k) * 1000000;
		f.tokens_in = f.tokens_out = -1;
		trace_add(ta, &f, 0, 0, 0);
		if (k + 1 < DEEP)
			trace_add(tb, &f, 0, 0, 0);
	}
	trace_update_tree(ta);
	trace_update_tree(tb);
	d = diff_new(ta, tb, 0);
	ck_assert_uint_eq(d->n, DEEP);
	ck_assert_uint_eq(d->rows[DEEP - 1].change, DIFF_REMOVED);
	ck_assert_uint_eq(d->rows[DEEP - 1].depth, DEEP - 1);
	ck_assert_uint_eq(diff_count_changes(d), 1);
	diff_free(d);
	trace_free(ta);
	trace_free(tb);
}
END_TEST

START_TEST(attributes)
{
	const char *la = "{\"name\":\"x\",\"context\":{\"span_id\":\"1\"},\"attributes\":"
	    "{\"k\":1,\"same\":\"s\",\"gone\":true}}";
	const char *lb = "{\"name\":\"x\",\"context\":{\"span_id\":\"2\"},\"attributes\":"
	    "{\"k\":2,\"same\":\"s\",\"new\":null}}";
	char *cause = NULL;
	struct span_detail *a = span_detail_parse(la, strlen(la), 0, &cause);
	struct span_detail *b = span_detail_parse(lb, strlen(lb), 0, &cause);

	ck_assert_ptr_nonnull(a);
	ck_assert_ptr_nonnull(b);
	ck_assert(diff_attr_differs(a, b, "k"));
	ck_assert(!diff_attr_differs(a, b, "same"));
	ck_assert(diff_attr_differs(a, b, "gone"));
	ck_assert(diff_attr_differs(a, b, "new"));
	ck_assert(diff_attrs_differ(a, b));
	ck_assert(!diff_attrs_differ(a, a));
	ck_assert(diff_attrs_differ(NULL, a));
	span_detail_free(a);
	span_detail_free(b);
}
END_TEST

static Suite *
diff_suite(void)
{
	Suite *s = suite_create("diff");
	TCase *tc = tcase_create("match");

	tcase_add_test(tc, identical);
	tcase_add_test(tc, step_added);
	tcase_add_test(tc, step_removed);
	tcase_add_test(tc, retry_twice);
	tcase_add_test(tc, status_change);
	tcase_add_test(tc, slowdown);
	tcase_add_test(tc, tiny_durations);
	tcase_add_test(tc, tokens_changed);
	tcase_add_test(tc, label_tells_apart);
	tcase_add_test(tc, orphans_and_running);
	tcase_add_test(tc, empty_sides);
	tcase_add_test(tc, attributes);
	tcase_add_test(tc, deep_chain);
	tcase_set_timeout(tc, 300);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	return check_main(diff_suite, "test_diff", NULL);
}
