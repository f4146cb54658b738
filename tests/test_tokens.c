/* SPDX-License-Identifier: MIT */
/*
 * test_tokens.c — doc/reference.md §3's token rule: one copy (span_response_tokens),
 * and the index pass, the tree and the Context tab agreeing on every span
 * of data/, whose generate spans include the inspector's real shape (a
 * JSON array of response messages, Anthropic and OpenAI).
 */
#include <check.h>
#include <inttypes.h>
#include <locale.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "check_main.h"
#include "buf.h"
#include "chat_view.h"
#include "jscan.h"
#include "session.h"
#include "source.h"
#include "span_detail.h"
#include "span_parse.h"
#include "span_view.h"
#include "trace.h"
#include "vdoc.h"

static struct span_tokens
rule(const char *s, size_t n)
{
	struct jarena *a = jarena_new();
	struct span_tokens t;

	span_response_tokens(a, s, n, &t);
	jarena_free(a);
	return t;
}

#define CHECK_RULE(text, i, o, tot) do {				\
	struct span_tokens t_ = rule(text, strlen(text));		\
	ck_assert_int_eq(t_.in, i);					\
	ck_assert_int_eq(t_.out, o);					\
	ck_assert_int_eq(t_.total, tot);				\
} while (0)

#define ANTHROPIC_ARRAY "[{\"id\": \"msg_1\", \"content\": [{\"type\": " \
	"\"tool_use\", \"id\": \"t1\", \"name\": \"fetch\", \"input\": {}}], " \
	"\"usage\": {\"input_tokens\": 1200, \"output_tokens\": 80}}, " \
	"{\"id\": \"msg_2\", \"content\": [{\"type\": \"text\", \"text\": " \
	"\"done\"}], \"usage\": {\"input_tokens\": 1350, \"output_tokens\": 40}}]"
#define OPENAI_ARRAY "[{\"role\": \"assistant\", \"tool_calls\": [], " \
	"\"usage\": {\"prompt_tokens\": 10, \"completion_tokens\": 2, " \
	"\"total_tokens\": 12}}, {\"role\": \"assistant\", \"content\": \"ok\", " \
	"\"usage\": {\"prompt_tokens\": 30, \"completion_tokens\": 5, " \
	"\"total_tokens\": 35}}]"

#define CHECK_CACHE(text, i, o, r, w) do {				\
	struct span_tokens t_ = rule(text, strlen(text));		\
	ck_assert_int_eq(t_.in, i);					\
	ck_assert_int_eq(t_.out, o);					\
	ck_assert_int_eq(t_.cache_read, r);				\
	ck_assert_int_eq(t_.cache_write, w);				\
} while (0)

#define OPENAI_CACHED "{\"usage\": {\"prompt_tokens\": 1000, " \
	"\"completion_tokens\": 9, \"total_tokens\": 1009, " \
	"\"prompt_tokens_details\": {\"cached_tokens\": 800, " \
	"\"audio_tokens\": 0}}}"

/* Cached input (doc/reference.md §3.3): in counts every input token once;
 * cache_read / cache_write say how many of them the cache served / took. */
START_TEST(test_rule_cached)
{
	/* Anthropic: the cache counts sit beside input_tokens. */
	CHECK_CACHE("{\"usage\": {\"input_tokens\": 50, "
	    "\"cache_creation_input_tokens\": 200, "
	    "\"cache_read_input_tokens\": 1000, \"output_tokens\": 7}}",
	    1250, 7, 1000, 200);
	/* Zeros, as Anthropic writes them on every call. */
	CHECK_CACHE("{\"usage\": {\"input_tokens\": 5, "
	    "\"cache_creation_input_tokens\": 0, "
	    "\"cache_read_input_tokens\": 0, \"output_tokens\": 1}}",
	    5, 1, 0, 0);
	/* OpenAI Chat Completions: cached_tokens are within prompt_tokens. */
	CHECK_CACHE(OPENAI_CACHED, 1000, 9, 800, -1);
	/* The Responses API spells it input_tokens(_details): still within. */
	CHECK_CACHE("{\"usage\": {\"input_tokens\": 1000, "
	    "\"input_tokens_details\": {\"cached_tokens\": 600}, "
	    "\"output_tokens\": 3}}", 1000, 3, 600, -1);
	/* More cached than prompt tokens is no count; a details object
	 * written twice counts with its last one. */
	CHECK_CACHE("{\"usage\": {\"prompt_tokens\": 10, "
	    "\"prompt_tokens_details\": {\"cached_tokens\": 20}}}",
	    10, -1, -1, -1);
	CHECK_CACHE("{\"usage\": {\"prompt_tokens\": 10, "
	    "\"prompt_tokens_details\": {\"cached_tokens\": 4}, "
	    "\"prompt_tokens_details\": {\"audio_tokens\": 1}}}",
	    10, -1, -1, -1);
	/* The inspector's array: the rounds add up. */
	CHECK_CACHE("[{\"usage\": {\"input_tokens\": 100, "
	    "\"cache_creation_input_tokens\": 400, \"output_tokens\": 5}}, "
	    "{\"usage\": {\"input_tokens\": 20, "
	    "\"cache_read_input_tokens\": 400, \"output_tokens\": 6}}]",
	    920, 11, 400, 400);
	/* Cache counts alone are input too. */
	CHECK_CACHE("{\"usage\": {\"cache_read_input_tokens\": 30}}",
	    30, -1, 30, -1);
}
END_TEST

/* A cached document cut anywhere: the cached count is whole or none. */
START_TEST(test_rule_cached_cut)
{
	const char *doc = OPENAI_CACHED;
	size_t n = strlen(doc), i;
	struct span_tokens t;

	for (i = 0; i <= n; i++) {
		t = rule(doc, i);
		ck_assert(t.cache_read == -1 || t.cache_read == 800);
		ck_assert(t.in == -1 || t.in == 1000);
		ck_assert(t.cache_read == -1 || t.in == 1000);
	}
	ck_assert_int_eq(rule(doc, n).cache_read, 800);
}
END_TEST

START_TEST(test_rule_shapes)
{
	/* One message, either spelling. */
	CHECK_RULE("{\"usage\": {\"input_tokens\": 7, \"output_tokens\": 3}}",
	    7, 3, -1);
	CHECK_RULE("{\"usage\": {\"prompt_tokens\": 7, \"completion_tokens\": 3,"
	    " \"total_tokens\": 10}}", 7, 3, 10);
	/* The inspector's array: every element's usage adds up. */
	CHECK_RULE(ANTHROPIC_ARRAY, 2550, 120, -1);
	CHECK_RULE(OPENAI_ARRAY, 40, 7, 47);
	/* Anthropic's spelling wins within one usage; a key written twice
	 * counts with its last value, and so does "usage". */
	CHECK_RULE("{\"usage\": {\"prompt_tokens\": 1, \"input_tokens\": 2, "
	    "\"output_tokens\": 4, \"output_tokens\": 5}}", 2, 5, -1);
	CHECK_RULE("{\"usage\": {\"input_tokens\": 1}, \"usage\": "
	    "{\"input_tokens\": 9}}", 9, -1, -1);
	/* No usage, or not a count: none. */
	CHECK_RULE("{\"content\": \"hi\"}", -1, -1, -1);
	CHECK_RULE("[1, \"x\", null, {\"usage\": {\"input_tokens\": -4, "
	    "\"output_tokens\": 2.5}}]", -1, -1, -1);
	CHECK_RULE("[1, {\"usage\": {\"input_tokens\": 4}}]", 4, -1, -1);
	CHECK_RULE("not json", -1, -1, -1);
	CHECK_RULE("", -1, -1, -1);
}
END_TEST

/* A document cut anywhere keeps what was read before the cut and never
 * more: counts only grow with the prefix, never past the whole, and a
 * number cut short is not counted. */
START_TEST(test_rule_cut)
{
	const char *doc = ANTHROPIC_ARRAY;
	size_t n = strlen(doc), i, first_end;
	struct span_tokens t, prev = { -1, -1, -1, -1, -1 };

	for (i = 0; i <= n; i++) {
		t = rule(doc, i);
		ck_assert(t.in == -1 || t.in == 1200 || t.in == 2550);
		ck_assert(t.out == -1 || t.out == 80 || t.out == 120);
		ck_assert(t.in >= prev.in && t.out >= prev.out);
		prev = t;
	}
	/* Just after the first message: its usage, all of it. */
	first_end = (size_t)(strstr(doc, "}}, {") - doc) + 2;
	t = rule(doc, first_end);
	ck_assert_int_eq(t.in, 1200);
	ck_assert_int_eq(t.out, 80);
	/* Cut inside "1350": the first message only. */
	t = rule(doc, (size_t)(strstr(doc, "1350") - doc) + 2);
	ck_assert_int_eq(t.in, 1200);
}
END_TEST

/* The index pass on an SDK line whose response is an array cut at 30 KB,
 * as the inspector truncates *_json values. */
START_TEST(test_index_truncated_array)
{
	struct span_parser *sp = span_parser_new();
	const struct span_fields *f;
	struct buf doc = BUF_INIT, esc = BUF_INIT, line = BUF_INIT;
	const char *p;
	size_t i;
	int nmsg = 0, whole;

	buf_addc(&doc, '[');
	while (doc.len < 40000) {
		if (nmsg > 0)
			buf_adds(&doc, ", ");
		buf_printf(&doc, "{\"content\": [{\"type\": \"text\", \"text\": "
		    "\"%0400d\"}], \"usage\": {\"input_tokens\": 100, "
		    "\"output_tokens\": 10}}", nmsg);
		nmsg++;
	}
	buf_addc(&doc, ']');
	/* Keep the first 30 720 bytes, as the exporter does. */
	for (i = 0; i < 30720; i++) {
		if (doc.p[i] == '"' || doc.p[i] == '\\')
			buf_addc(&esc, '\\');
		buf_addc(&esc, doc.p[i]);
	}
	buf_printf(&line, "{\"name\": \"AnthropicAugmentedLLM.a.generate\", "
	    "\"context\": {\"trace_id\": \"0x01\", \"span_id\": \"0x02\"}, "
	    "\"parent_id\": \"0x03\", \"start_time\": \"2025-07-01T08:00:00Z\", "
	    "\"end_time\": \"2025-07-01T08:00:01Z\", \"attributes\": "
	    "{\"mcp.llm.response_json\": \"%s\", "
	    "\"mcp.llm.response_json_truncated\": true}}", esc.p);
	ck_assert_int_eq(span_parse_line(sp, line.p, line.len), 1);
	f = span_parser_span(sp, 0);
	/* Every usage whole within the 30 720 bytes counts; the cut
	 * message does not. */
	whole = 0;
	for (p = doc.p; (p = strstr(p, "\"output_tokens\": 10}")) != NULL &&
	    p + 20 <= doc.p + 30720; p++)
		whole++;
	ck_assert_int_gt(whole, 10);
	ck_assert_int_lt(whole, nmsg);
	ck_assert_int_eq(f->tokens_in, 100 * whole);
	ck_assert_int_eq(f->tokens_out, 10 * whole);
	buf_free(&doc);
	buf_free(&esc);
	buf_free(&line);
	span_parser_free(sp);
}
END_TEST

/* Tokens of a span as jansson reads its detail: an independent reading
 * of the same rule. */
static int64_t
oracle_add(int64_t sum, json_t *v)
{
	if (!json_is_integer(v) || json_integer_value(v) < 0)
		return sum;
	return (sum < 0 ? 0 : sum) + json_integer_value(v);
}

static int64_t
oracle_attr(const struct span_detail *d, const char *key)
{
	const struct kv *a = span_detail_attr(d, key);

	return a != NULL ? strtoll(a->json[0] == '"' ? a->json + 1 : a->json,
	    NULL, 10) : -1;
}

static void
oracle(const struct span_detail *d, struct token_counts *tc)
{
	static const char *const genai[] = { "gen_ai.usage.input_tokens",
		"gen_ai.usage.output_tokens", "gen_ai.usage.cache_read.input_tokens",
		"gen_ai.usage.cache_creation.input_tokens" };
	const struct kv *r = span_detail_attr(d, "mcp.llm.response_json");
	json_t *doc, *e, *u, *v, *det;
	int64_t uin, cr, cw;
	size_t i, n;

	tc->in = tc->out = tc->cache_read = tc->cache_write = -1;
	for (i = 0; i < 4; i++) {
		if (span_detail_attr(d, genai[i]) != NULL)
			break;
	}
	if (i < 4) {
		tc->in = oracle_attr(d, genai[0]);
		tc->out = oracle_attr(d, genai[1]);
		tc->cache_read = oracle_attr(d, genai[2]);
		tc->cache_write = oracle_attr(d, genai[3]);
		return;
	}
	if (r == NULL || r->str == NULL ||
	    (doc = json_loads(r->str, JSON_DECODE_ANY, NULL)) == NULL)
		return;
	n = json_is_array(doc) ? json_array_size(doc) : 1;
	for (i = 0; i < n; i++) {
		e = json_is_array(doc) ? json_array_get(doc, i) : doc;
		if ((u = json_object_get(e, "usage")) == NULL)
			continue;
		if ((v = json_object_get(u, "output_tokens")) == NULL)
			v = json_object_get(u, "completion_tokens");
		tc->out = oracle_add(tc->out, v);
		det = json_object_get(u, "prompt_tokens_details");
		if (det == NULL)
			det = json_object_get(u, "input_tokens_details");
		if ((v = json_object_get(u, "input_tokens")) != NULL) {
			/* Anthropic: cache counts beside input_tokens. */
			uin = oracle_add(-1, v);
			cr = oracle_add(-1, json_object_get(u, "cache_read_input_tokens"));
			cw = oracle_add(-1, json_object_get(u, "cache_creation_input_tokens"));
			tc->in = oracle_add(tc->in, v);
			tc->in = oracle_add(tc->in, json_object_get(u, "cache_read_input_tokens"));
			tc->in = oracle_add(tc->in, json_object_get(u, "cache_creation_input_tokens"));
			if (cr < 0 && uin >= 0) {
				cr = oracle_add(-1, json_object_get(det, "cached_tokens"));
				if (cr > uin)
					cr = -1;
			}
		} else if ((v = json_object_get(u, "prompt_tokens")) != NULL) {
			/* OpenAI: cached_tokens within prompt_tokens. */
			tc->in = oracle_add(tc->in, v);
			cr = oracle_add(-1, json_object_get(det, "cached_tokens"));
			if (!json_is_integer(v) || cr > json_integer_value(v))
				cr = -1;
			cw = -1;
		} else
			cr = cw = -1;
		if (cr >= 0)
			tc->cache_read = (tc->cache_read < 0 ? 0 : tc->cache_read) + cr;
		if (cw >= 0)
			tc->cache_write = (tc->cache_write < 0 ? 0 : tc->cache_write) + cw;
	}
	json_decref(doc);
}

/* The "tokens" fact of a rendered chat, or "" when it shows none. */
static char *
tokens_fact(const struct vdoc *d)
{
	size_t i;

	for (i = 0; i < d->n; i++) {
		if (strncmp(d->lines[i].text, "tokens", 6) == 0)
			return strdup(d->lines[i].text + 10);
	}
	return strdup("");
}

static char *
expected_fact(const struct token_counts *tc)
{
	int64_t in = tc->in, out = tc->out;
	char *s, *c;

	if (in >= 0 && out >= 0) {
		if (asprintf(&s, "%" PRId64 " in \xc2\xb7 %" PRId64 " out",
		    in, out) == -1)
			abort();
	} else if (in >= 0 || out >= 0) {
		if (asprintf(&s, "%" PRId64 " %s", in >= 0 ? in : out,
		    in >= 0 ? "in" : "out") == -1)
			abort();
	} else
		s = strdup("");
	if (tc->cache_read > 0) {
		if (asprintf(&c, "%s \xc2\xb7 %" PRId64 " cache read", s,
		    tc->cache_read) == -1)
			abort();
		free(s);
		s = c;
	}
	if (tc->cache_write > 0) {
		if (asprintf(&c, "%s \xc2\xb7 %" PRId64 " cache write", s,
		    tc->cache_write) == -1)
			abort();
		free(s);
		s = c;
	}
	return s;
}

struct counts {
	int spans, arrays, openai_arrays, response_only;
	int cached_anthropic, cached_openai;
};

static void
check_span(struct session *s, uint32_t i, struct counts *c)
{
	static const struct chat_facts none = { NULL, NULL, -1, -1, NULL,
		NULL, -1, -1 };
	struct span_detail *d;
	struct span_view *v;
	const struct kv *r;
	struct vdoc doc = VDOC_INIT, own = VDOC_INIT;
	struct token_counts tc, ix;
	char *cause = NULL, *want, *tab, *chat;

	d = session_span_detail(s, i, &cause);
	ck_assert_msg(d != NULL, "%s span %u: %s", session_id(s), i, cause);
	oracle(d, &tc);
	trace_span_tokens(session_trace(s), i, &ix);
	ck_assert_msg(ix.in == tc.in && ix.out == tc.out,
	    "%s span %s: index %" PRId64 "/%" PRId64 ", jansson %" PRId64
	    "/%" PRId64, session_id(s), d->name, ix.in, ix.out, tc.in, tc.out);
	/* The index keeps counts only: a reported 0 is none. */
	ck_assert_msg((ix.cache_read > 0 ? ix.cache_read : 0) ==
	    (tc.cache_read > 0 ? tc.cache_read : 0) &&
	    (ix.cache_write > 0 ? ix.cache_write : 0) ==
	    (tc.cache_write > 0 ? tc.cache_write : 0),
	    "%s span %s: index cache %" PRId64 "/%" PRId64 ", jansson %"
	    PRId64 "/%" PRId64, session_id(s), d->name, ix.cache_read,
	    ix.cache_write, tc.cache_read, tc.cache_write);

	/* The Context tab shows the same figures. */
	v = span_view_new(s, i, &cause);
	ck_assert_msg(v != NULL, "%s", cause);
	span_view_render(v, TAB_CONTEXT, 200, &doc);
	tab = tokens_fact(&doc);
	want = expected_fact(&tc);
	r = span_detail_attr(d, "mcp.llm.response_json");
	if (r != NULL && r->str != NULL && *r->str != '\0')
		ck_assert_msg(strcmp(tab, want) == 0, "%s span %s: tab '%s', "
		    "index '%s'", session_id(s), d->name, tab, want);

	/* The chat view reading the response alone (no index figures)
	 * finds them too, wherever the response is all there is. */
	if (r != NULL && r->str != NULL &&
	    span_detail_attr(d, "gen_ai.usage.input_tokens") == NULL &&
	    span_detail_attr(d, "gen_ai.usage.output_tokens") == NULL) {
		chat_view_render(&own, NULL, r->str, &none, 200);
		chat = tokens_fact(&own);
		ck_assert_msg(strcmp(chat, want) == 0, "%s span %s: chat '%s', "
		    "index '%s'", session_id(s), d->name, chat, want);
		free(chat);
		c->response_only++;
		if (r->str[0] == '[') {
			c->arrays++;
			if (strstr(r->str, "prompt_tokens") != NULL)
				c->openai_arrays++;
		}
		if (tc.cache_read > 0 || tc.cache_write > 0) {
			if (strstr(r->str, "prompt_tokens") != NULL)
				c->cached_openai++;
			else
				c->cached_anthropic++;
		}
	}
	c->spans++;
	free(tab);
	free(want);
	vdoc_free(&doc);
	vdoc_free(&own);
	span_view_free(v);
	span_detail_free(d);
}

START_TEST(test_data_agrees)
{
	struct source src;
	struct session_ref *refs;
	struct session *s;
	struct session_meta m;
	struct counts c = { 0, 0, 0, 0, 0, 0 };
	struct token_counts tc;
	size_t n, k;
	uint32_t i;
	int64_t sum_in, sum_out, sum_read, sum_write;
	char *cause = NULL;

	ck_assert_int_eq(source_init(&src, DATA_DIR, &cause), 0);
	ck_assert_int_eq(source_scan(&src, &refs, &n, &cause), 0);
	ck_assert_uint_ge(n, 9);
	for (k = 0; k < n; k++) {
		s = session_new(&refs[k]);
		while (session_read(s, 1 << 20) == 1)
			continue;
		session_finish(s);
		sum_in = sum_out = sum_read = sum_write = -1;
		for (i = 0; i < trace_count(session_trace(s)); i++) {
			check_span(s, i, &c);
			trace_span_tokens(session_trace(s), i, &tc);
			sum_in = tokens_add(sum_in, tc.in);
			sum_out = tokens_add(sum_out, tc.out);
			sum_read = tokens_add(sum_read, tc.cache_read);
			sum_write = tokens_add(sum_write, tc.cache_write);
		}
		/* The session totals (list, --list, --dump) are the sum. */
		session_meta_get(s, &m);
		ck_assert_int_eq(m.tokens_in, sum_in);
		ck_assert_int_eq(m.tokens_out, sum_out);
		ck_assert_int_eq(m.tokens_cache_read, sum_read);
		ck_assert_int_eq(m.tokens_cache_write, sum_write);
		session_meta_clear(&m);
		session_free(s);
	}
	/* data/ holds the real shape in both spellings. */
	ck_assert_int_ge(c.arrays, 3);
	ck_assert_int_ge(c.openai_arrays, 1);
	/* ... and cached input in both (tests/gentrace.c's tool rounds). */
	ck_assert_int_ge(c.cached_anthropic, 1);
	ck_assert_int_ge(c.cached_openai, 1);
	ck_assert_int_gt(c.spans, 100);
	session_refs_free(refs, n);
	source_clear(&src);
}
END_TEST

static Suite *
tokens_suite(void)
{
	Suite *s = suite_create("tokens");
	TCase *tc = tcase_create("rule");

	tcase_add_test(tc, test_rule_shapes);
	tcase_add_test(tc, test_rule_cut);
	tcase_add_test(tc, test_rule_cached);
	tcase_add_test(tc, test_rule_cached_cut);
	tcase_add_test(tc, test_index_truncated_array);
	tcase_add_test(tc, test_data_agrees);
	tcase_set_timeout(tc, 60);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	return check_main(tokens_suite, "test_tokens", "C.UTF-8");
}
