/* SPDX-License-Identifier: MIT */
/*
 * test_filter.c — unit tests for filter.c: parsing the filter language,
 * its error messages, and matching spans and sessions.
 */
#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "check_main.h"
#include "filter.h"

/* A tool span, 1.5 s long, 1234 tokens; no session fields. */
static struct filter_subject
span_subject(void)
{
	struct filter_subject s;

	memset(&s, 0, sizeof s);
	s.field[FF_NAME] = "Agent.finder.call_tool";
	s.field[FF_TYPE] = "tool";
	s.field[FF_STATUS] = "error";
	s.field[FF_KIND] = "internal";
	s.field[FF_LABEL] = "fetch_URL";
	s.field[FF_ID] = "00f067aa0ba902b7";
	s.field[FF_TRACE] = "4bf92f3577b34da6a3ce929d0e0e4736";
	s.field[FF_PARENT] = "53995c3f42cd8ad8";
	s.duration_ns = 1500000000;
	s.tokens = 1234;
	return s;
}

/* A paused session with no duration or token count yet; no span fields. */
static struct filter_subject
session_subject(void)
{
	struct filter_subject s;

	memset(&s, 0, sizeof s);
	s.field[FF_ID] = "a1b2c3d4-session";
	s.field[FF_STATUS] = "paused";
	s.field[FF_TITLE] = "Research \xc3\xa9t\xc3\xa9 - a1b2c3d4";
	s.field[FF_ENGINE] = "temporal";
	s.duration_ns = -1;
	s.tokens = -1;
	return s;
}

static bool
matches(const char *expr, const struct filter_subject *s)
{
	struct filter *f;
	char *cause = NULL;
	bool m;

	f = filter_parse(expr, &cause);
	ck_assert_msg(f != NULL, "'%s' failed: %s", expr, cause);
	ck_assert_ptr_null(cause);
	ck_assert_str_eq(filter_text(f), expr);
	m = filter_match(f, s);
	filter_free(f);
	return m;
}

#define SPAN_YES(e) do {						\
	struct filter_subject s_ = span_subject();			\
	ck_assert_msg(matches((e), &s_), "span should match '%s'", (e)); \
} while (0)
#define SPAN_NO(e) do {							\
	struct filter_subject s_ = span_subject();			\
	ck_assert_msg(!matches((e), &s_), "span should not match '%s'", (e)); \
} while (0)
#define SESSION_YES(e) do {						\
	struct filter_subject s_ = session_subject();			\
	ck_assert_msg(matches((e), &s_), "session should match '%s'", (e)); \
} while (0)
#define SESSION_NO(e) do {						\
	struct filter_subject s_ = session_subject();			\
	ck_assert_msg(!matches((e), &s_), "session should not match '%s'", (e)); \
} while (0)

/* Parse expr, which must fail with exactly the message want. */
#define PARSE_FAILS(expr, want) do {					\
	char *cause_ = NULL;						\
	ck_assert_ptr_null(filter_parse((expr), &cause_));		\
	ck_assert_ptr_nonnull(cause_);					\
	ck_assert_str_eq(cause_, (want));				\
	free(cause_);							\
} while (0)

START_TEST(test_empty)
{
	SPAN_YES("");
	SPAN_YES("   \t ");
	SESSION_YES("");
}
END_TEST

START_TEST(test_exact_keys)
{
	SPAN_YES("type:tool");
	SPAN_YES("type:TOOL");
	SPAN_YES("TYPE:tool");
	SPAN_NO("type:llm");
	SPAN_YES("status:error");
	SPAN_NO("status:ok");
	SPAN_YES("kind:Internal");
	SPAN_NO("kind:client");
	SESSION_YES("status:paused");
	SESSION_NO("status:running");
	SPAN_NO("status:completed");
}
END_TEST

START_TEST(test_substring_keys)
{
	SPAN_YES("name:call_tool");
	SPAN_YES("name:FINDER");
	SPAN_NO("name:generate");
	SPAN_YES("label:fetch_url");
	SPAN_YES("id:0ba9");
	SPAN_YES("trace:4bf92f");
	SPAN_NO("trace:00f067");
	SPAN_YES("parent:53995c");
	SESSION_YES("title:research");
	SESSION_YES("title:\xc3\xa9t\xc3\xa9");
	SESSION_YES("engine:TEMP");
	SESSION_YES("id:session");
}
END_TEST

START_TEST(test_missing_fields)
{
	/* A field the subject lacks never matches, so its negation does. */
	SPAN_NO("title:x");
	SPAN_YES("-title:x");
	SPAN_NO("engine:asyncio");
	SESSION_NO("name:x");
	SESSION_YES("-name:x");
	SESSION_NO("type:tool");
	SESSION_NO("label:x");
	SESSION_NO("kind:internal");
	SESSION_NO("trace:x");
	SESSION_NO("parent:x");
}
END_TEST

START_TEST(test_negation)
{
	SPAN_NO("-type:tool");
	SPAN_YES("-type:llm");
	SPAN_YES("-status:ok");
	SPAN_NO("-finder");
	SPAN_YES("-nothing");
	SPAN_YES("-\"no such phrase\"");
	/* A lone '-' is free text; '--x' negates the word "-x". */
	SPAN_NO("-");
	SPAN_NO("- type:tool");
	SPAN_YES("--x");
}
END_TEST

START_TEST(test_alternatives)
{
	SPAN_YES("type:llm,tool");
	SPAN_YES("type:tool,llm");
	SPAN_NO("type:llm,agent");
	SPAN_NO("-type:llm,tool");
	SPAN_YES("status:ok,error");
	SPAN_YES("name:nope,finder");
	/* Empty alternatives are ignored. */
	SPAN_YES("type:tool,");
	SPAN_NO("type:,llm");
	SESSION_YES("status:running,paused");
}
END_TEST

START_TEST(test_quotes)
{
	struct filter_subject s = span_subject();

	s.field[FF_NAME] = "say \"hi\", there: now";
	ck_assert(matches("\"hi\\\", there\"", &s));
	ck_assert(matches("name:\"\\\"hi\\\", there\"", &s));
	/* A quoted comma does not split; an unquoted one does. */
	ck_assert(matches("name:\", th\"", &s));
	ck_assert(!matches("name:\"x, th\"", &s));
	ck_assert(matches("name:x,\", th\"", &s));
	/* A quoted colon is not a key. */
	ck_assert(matches("\"there: now\"", &s));
	ck_assert(!matches("\"foo:bar\"x", &s));
	ck_assert(!matches("-\"there: now\"", &s));
	ck_assert(matches("\"\"", &s));
	s.field[FF_NAME] = "back\\slash";
	ck_assert(matches("\"back\\\\slash\"", &s));
	ck_assert(matches("back\\slash", &s));
}
END_TEST

START_TEST(test_free_text)
{
	SPAN_YES("finder");
	SPAN_YES("FETCH");
	SPAN_YES("0ba902");
	SPAN_YES("finder fetch");
	SPAN_NO("finder nothing");
	SPAN_YES("\"finder.call\"");
	SPAN_NO("\"finder call\"");
	/* Free text does not look at type, status, kind, trace or parent. */
	SPAN_NO("internal");
	SPAN_NO("4bf92f");
	SPAN_NO("53995c");
	/* Sessions: title, engine and id. */
	SESSION_YES("research");
	SESSION_YES("temporal");
	SESSION_YES("a1b2");
	SESSION_NO("paused");
	/* Not a key: a word that is not all letters before the colon. */
	SPAN_NO("a1:b");
	SPAN_NO(":finder");
}
END_TEST

START_TEST(test_combined)
{
	SPAN_YES("type:tool status:error label:fetch name:finder");
	SPAN_YES("kind:internal -type:llm finder 0ba9");
	SPAN_NO("type:tool status:ok");
	SPAN_NO("type:tool status:error name:fetch");
}
END_TEST

START_TEST(test_duration)
{
	SPAN_YES("dur>1s");
	SPAN_NO("dur>2s");
	SPAN_YES("dur<2s");
	SPAN_NO("dur<1500ms");
	SPAN_YES("dur<=1500ms");
	SPAN_YES("dur>=1500ms");
	SPAN_NO("dur>1500ms");
	SPAN_YES("dur>1.4s");
	SPAN_NO("dur>1.5s");
	SPAN_YES("dur>=1.5s");
	SPAN_YES("dur>1499");		/* default unit: ms */
	SPAN_NO("dur>1500");
	SPAN_YES("dur>=1500000000ns");
	SPAN_NO("dur>1500000000ns");
	SPAN_YES("dur>=1500000us");
	SPAN_YES("dur<0.1m");
	SPAN_NO("dur<0.025m");		/* 1.5 s */
	SPAN_YES("dur<=0.025m");
	SPAN_YES("dur<1h");
	SPAN_YES("dur>500MS");
	SPAN_YES("DUR>500ms");
	SPAN_NO("-dur>1s");
	SPAN_YES("dur>1s dur<2s");
	SPAN_YES("dur>0");
	SPAN_YES("dur<9223372036854775807ns");
}
END_TEST

START_TEST(test_tokens)
{
	SPAN_YES("tokens>1000");
	SPAN_YES("tokens>=1234");
	SPAN_NO("tokens>1234");
	SPAN_YES("tokens<=1234");
	SPAN_NO("tokens<1234");
	SPAN_YES("-tokens>5000");
	/* No duration or tokens yet: numeric terms never match. */
	SESSION_NO("dur>0");
	SESSION_NO("dur<1h");
	SESSION_YES("-dur>0");
	SESSION_NO("tokens>=0");
	SESSION_YES("-tokens<100");
}
END_TEST

START_TEST(test_unknown_key)
{
	PARSE_FAILS("foo:bar",
	    "filter: unknown key 'foo' (known: name, type, status, kind, "
	    "label, id, trace, parent, title, engine, dur, tokens)");
	PARSE_FAILS("type:tool -Size>3",
	    "filter: unknown key 'Size' (known: name, type, status, kind, "
	    "label, id, trace, parent, title, engine, dur, tokens)");
}
END_TEST

START_TEST(test_bad_values)
{
	PARSE_FAILS("dur>5x",
	    "filter: bad duration in 'dur>5x' (a number with unit ns, us, "
	    "ms, s, m or h)");
	PARSE_FAILS("type:tool dur<",
	    "filter: bad duration in 'dur<' (a number with unit ns, us, "
	    "ms, s, m or h)");
	PARSE_FAILS("dur>-1s",
	    "filter: bad duration in 'dur>-1s' (a number with unit ns, us, "
	    "ms, s, m or h)");
	PARSE_FAILS("dur>1.s",
	    "filter: bad duration in 'dur>1.s' (a number with unit ns, us, "
	    "ms, s, m or h)");
	PARSE_FAILS("dur>1s,2s",
	    "filter: bad duration in 'dur>1s,2s' (a number with unit ns, us, "
	    "ms, s, m or h)");
	PARSE_FAILS("dur>9999999999999999999999s",
	    "filter: bad duration in 'dur>9999999999999999999999s' (a number "
	    "with unit ns, us, ms, s, m or h)");
	PARSE_FAILS("dur>99999999999h",
	    "filter: bad duration in 'dur>99999999999h' (a number with unit "
	    "ns, us, ms, s, m or h)");
	/* Fixed-choice keys: a typo is an error listing the valid values. */
	PARSE_FAILS("type:toool",
	    "filter: unknown type 'toool' in 'type:toool' (valid: workflow, "
	    "agent, llm, tool, resource, prompt, other)");
	PARSE_FAILS("status:faild",
	    "filter: unknown status 'faild' in 'status:faild' (valid: ok, "
	    "error, unset, running, paused, failed, completed, partial)");
	PARSE_FAILS("kind:foo,client",
	    "filter: unknown kind 'foo' in 'kind:foo,client' (valid: "
	    "internal, client, server, producer, consumer, unspecified)");
	PARSE_FAILS("tokens>lots", "filter: bad number in 'tokens>lots'");
	PARSE_FAILS("tokens>1.5", "filter: bad number in 'tokens>1.5'");
	PARSE_FAILS("tokens>10k", "filter: bad number in 'tokens>10k'");
	PARSE_FAILS("dur:5s",
	    "filter: dur needs <, >, <= or >= in 'dur:5s' (e.g. dur>500ms)");
	PARSE_FAILS("-tokens:5",
	    "filter: tokens needs <, >, <= or >= in '-tokens:5' (e.g. "
	    "tokens>1000)");
	PARSE_FAILS("name>5", "filter: name takes ':' not '>' in 'name>5'");
	PARSE_FAILS("type<=x", "filter: type takes ':' not '<=' in 'type<=x'");
	PARSE_FAILS("type:", "filter: missing value in 'type:'");
	PARSE_FAILS("name:, x", "filter: missing value in 'name:,'");
	PARSE_FAILS("name:\"\"", "filter: missing value in 'name:\"\"'");
	PARSE_FAILS("a \"open quote",
	    "filter: missing closing quote in '\"open quote'");
	PARSE_FAILS("name:\"x\\\"", "filter: missing closing quote in "
	    "'name:\"x\\\"'");
}
END_TEST

START_TEST(test_text_kept)
{
	char *cause = NULL;
	struct filter *f;

	f = filter_parse("  type:tool   \"a b\" ", &cause);
	ck_assert_ptr_nonnull(f);
	ck_assert_str_eq(filter_text(f), "  type:tool   \"a b\" ");
	filter_free(f);
	filter_free(NULL);
}
END_TEST

static Suite *
filter_suite(void)
{
	Suite *s = suite_create("filter");
	TCase *tc;

	tc = tcase_create("match");
	tcase_add_test(tc, test_empty);
	tcase_add_test(tc, test_exact_keys);
	tcase_add_test(tc, test_substring_keys);
	tcase_add_test(tc, test_missing_fields);
	tcase_add_test(tc, test_negation);
	tcase_add_test(tc, test_alternatives);
	tcase_add_test(tc, test_quotes);
	tcase_add_test(tc, test_free_text);
	tcase_add_test(tc, test_combined);
	tcase_add_test(tc, test_duration);
	tcase_add_test(tc, test_tokens);
	suite_add_tcase(s, tc);

	tc = tcase_create("parse");
	tcase_add_test(tc, test_unknown_key);
	tcase_add_test(tc, test_bad_values);
	tcase_add_test(tc, test_text_kept);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	return check_main(filter_suite, "test_filter", NULL);
}
