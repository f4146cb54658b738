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
	struct span_tokens t, prev = { -1, -1, -1 };

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
static void
oracle(const struct span_detail *d, int64_t *in, int64_t *out)
{
	const struct kv *ti = span_detail_attr(d, "gen_ai.usage.input_tokens");
	const struct kv *to = span_detail_attr(d, "gen_ai.usage.output_tokens");
	const struct kv *r = span_detail_attr(d, "mcp.llm.response_json");
	json_t *doc, *e, *u, *v;
	size_t i, n;

	*in = *out = -1;
	if (ti != NULL || to != NULL) {
		if (ti != NULL)
			*in = strtoll(ti->json, NULL, 10);
		if (to != NULL)
			*out = strtoll(to->json, NULL, 10);
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
		if ((v = json_object_get(u, "input_tokens")) == NULL)
			v = json_object_get(u, "prompt_tokens");
		if (json_is_integer(v))
			*in = (*in < 0 ? 0 : *in) + json_integer_value(v);
		if ((v = json_object_get(u, "output_tokens")) == NULL)
			v = json_object_get(u, "completion_tokens");
		if (json_is_integer(v))
			*out = (*out < 0 ? 0 : *out) + json_integer_value(v);
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
expected_fact(int64_t in, int64_t out)
{
	char *s;

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
	return s;
}

struct counts {
	int spans, arrays, openai_arrays, response_only;
};

static void
check_span(struct session *s, uint32_t i, struct counts *c)
{
	static const struct chat_facts none = { NULL, NULL, -1, -1, NULL,
		NULL };
	const struct span *sp = trace_span(session_trace(s), i);
	struct span_detail *d;
	struct span_view *v;
	const struct kv *r;
	struct vdoc doc = VDOC_INIT, own = VDOC_INIT;
	int64_t in, out;
	char *cause = NULL, *want, *tab, *chat;

	d = session_span_detail(s, i, &cause);
	ck_assert_msg(d != NULL, "%s span %u: %s", session_id(s), i, cause);
	oracle(d, &in, &out);
	ck_assert_msg(sp->tok_in == in && sp->tok_out == out,
	    "%s span %s: index %" PRId64 "/%" PRId64 ", jansson %" PRId64
	    "/%" PRId64, session_id(s), d->name, sp->tok_in, sp->tok_out,
	    in, out);

	/* The Context tab shows the same figures. */
	v = span_view_new(s, i, &cause);
	ck_assert_msg(v != NULL, "%s", cause);
	span_view_render(v, TAB_CONTEXT, 200, &doc);
	tab = tokens_fact(&doc);
	want = expected_fact(in, out);
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
	struct counts c = { 0, 0, 0, 0 };
	size_t n, k;
	uint32_t i;
	int64_t sum_in, sum_out;
	char *cause = NULL;

	ck_assert_int_eq(source_init(&src, DATA_DIR, &cause), 0);
	ck_assert_int_eq(source_scan(&src, &refs, &n, &cause), 0);
	ck_assert_uint_ge(n, 9);
	for (k = 0; k < n; k++) {
		s = session_new(&refs[k]);
		while (session_read(s, 1 << 20) == 1)
			continue;
		session_finish(s);
		sum_in = sum_out = -1;
		for (i = 0; i < trace_count(session_trace(s)); i++) {
			const struct span *sp = trace_span(session_trace(s), i);

			check_span(s, i, &c);
			sum_in = tokens_add(sum_in, sp->tok_in);
			sum_out = tokens_add(sum_out, sp->tok_out);
		}
		/* The session totals (list, --list, --dump) are the sum. */
		session_meta_get(s, &m);
		ck_assert_int_eq(m.tokens_in, sum_in);
		ck_assert_int_eq(m.tokens_out, sum_out);
		session_meta_clear(&m);
		session_free(s);
	}
	/* data/ holds the real shape in both spellings. */
	ck_assert_int_ge(c.arrays, 3);
	ck_assert_int_ge(c.openai_arrays, 1);
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
