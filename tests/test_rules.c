/* SPDX-License-Identifier: MIT */
/*
 * test_rules.c — the field rules of span_parse.h, which the index pass
 * (span_parse.c: tree, list, filters) and the inspector (span_detail.c)
 * share.  Each rule is tested as a function, and each case that once made
 * the two parsers disagree (tests/fuzz/crashers/diff-*) is parsed by both
 * here: both must give the value the rule says.
 */
#include <check.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "check_main.h"
#include "span.h"
#include "span_detail.h"
#include "span_parse.h"
#include "xmalloc.h"

#define NONE SPAN_TIME_NONE

START_TEST(test_text_len)
{
	ck_assert_uint_eq(span_text_len("abc", 3), 3);
	ck_assert_uint_eq(span_text_len("a\0c", 3), 1);
	ck_assert_uint_eq(span_text_len("\0", 1), 0);
	ck_assert_uint_eq(span_text_len(NULL, 0), 0);
}
END_TEST

/* span_id_trim on s: want is the id before lower-casing, NULL for none. */
static void
ck_trim(const char *s, size_t n, const char *want, bool want_upper)
{
	const char *p = s;
	bool upper;

	if (want == NULL) {
		ck_assert_msg(!span_id_trim(&p, &n, &upper), "%s is an id", s);
		return;
	}
	ck_assert_msg(span_id_trim(&p, &n, &upper), "%s is no id", s);
	ck_assert_uint_eq(n, strlen(want));
	ck_assert(memcmp(p, want, n) == 0);
	ck_assert_int_eq(upper, want_upper);
}

START_TEST(test_id_trim)
{
	ck_trim("0xABcd", 6, "ABcd", true);
	ck_trim("0Xabcd", 6, "abcd", false);
	ck_trim("span-1", 6, "span-1", false);
	ck_trim("0x", 2, NULL, false);
	ck_trim("", 0, NULL, false);
	ck_trim("ab\0CD", 5, "ab", false);
	ck_trim("\0ab", 3, NULL, false);
	ck_trim("x0xab", 5, "x0xab", false);
	ck_trim("0ABC", 4, "0ABC", true);
	ck_trim("0XAB", 4, "AB", true);
}
END_TEST

START_TEST(test_unix_nano)
{
	int64_t ns = 42;

	ck_assert_int_eq(span_time_unix_nano("1752400000015090000", 19, &ns), 0);
	ck_assert_int_eq(ns, INT64_C(1752400000015090000));
	ck_assert_int_eq(span_time_unix_nano("06", 2, &ns), 0);
	ck_assert_int_eq(ns, 6);
	ck_assert_int_eq(span_time_unix_nano("7\0junk", 6, &ns), 0);
	ck_assert_int_eq(ns, 7);
	ck_assert_int_eq(span_time_unix_nano("9223372036854775807", 19, &ns), 0);
	ck_assert_int_eq(ns, INT64_MAX);
	ck_assert_int_eq(span_time_unix_nano("9223372036854775808", 19, &ns), -1);
	ck_assert_int_eq(span_time_unix_nano("0", 1, &ns), -1);
	ck_assert_int_eq(span_time_unix_nano("", 0, &ns), -1);
	ck_assert_int_eq(span_time_unix_nano(" 123", 4, &ns), -1);
	ck_assert_int_eq(span_time_unix_nano("-5", 2, &ns), -1);
	ck_assert_int_eq(span_time_unix_nano("1e9", 3, &ns), -1);
	ck_assert_int_eq(span_time_unix_nano("2025-01-01T00:00:00Z", 20, &ns),
	    -1);
	ck_assert_int_eq(span_time_int(5, &ns), 0);
	ck_assert_int_eq(ns, 5);
	ck_assert_int_eq(span_time_int(0, &ns), -1);
	ck_assert_int_eq(span_time_int(-5, &ns), -1);
	/* A NUL ends RFC 3339 text too. */
	ck_assert_int_eq(span_parse_time("1970-01-01T00:00:01Z\0x", 22, &ns), 0);
	ck_assert_int_eq(ns, INT64_C(1000000000));
}
END_TEST

#define TXT(s) s, sizeof s - 1

START_TEST(test_status_names)
{
	ck_assert_int_eq(span_status_from_text(TXT("OK")), SPAN_OK);
	ck_assert_int_eq(span_status_from_text(TXT("error")), SPAN_ERROR);
	ck_assert_int_eq(span_status_from_text(TXT("UNSET")), SPAN_UNSET);
	ck_assert_int_eq(span_status_from_text(TXT("STATUS_CODE_ERROR")),
	    SPAN_ERROR);
	ck_assert_int_eq(span_status_from_text(TXT("StatusCode.OK")), SPAN_OK);
	ck_assert_int_eq(span_status_from_text(TXT("ok\0more")), SPAN_OK);
	ck_assert_int_eq(span_status_from_text(TXT("StatusCode.STATUS_CODE_OK")),
	    -1);
	ck_assert_int_eq(span_status_from_text(TXT("fine")), -1);
	ck_assert_int_eq(span_status_from_text(TXT("")), -1);
	ck_assert_int_eq(span_status_from_int(2), SPAN_ERROR);
	ck_assert_int_eq(span_status_from_int(0), SPAN_UNSET);
	ck_assert_int_eq(span_status_from_int(3), -1);
	ck_assert_int_eq(span_status_from_int(-1), -1);
}
END_TEST

START_TEST(test_kind_names)
{
	ck_assert_int_eq(span_kind_from_text(TXT("SpanKind.CLIENT")),
	    KIND_CLIENT);
	ck_assert_int_eq(span_kind_from_text(TXT("SPAN_KIND_SERVER")),
	    KIND_SERVER);
	ck_assert_int_eq(span_kind_from_text(TXT("consumer")), KIND_CONSUMER);
	ck_assert_int_eq(span_kind_from_text(TXT("SpanKind.SPAN_KIND_CLIENT")),
	    -1);
	ck_assert_int_eq(span_kind_from_text(TXT("SpanKind.")), -1);
	ck_assert_int_eq(span_kind_from_text(TXT("client\0x")), KIND_CLIENT);
	ck_assert_int_eq(span_kind_from_int(5), KIND_CONSUMER);
	ck_assert_int_eq(span_kind_from_int(6), -1);
}
END_TEST

/*
 * One line through both parsers.  Expected values: NULL for an absent
 * string, NONE for an absent time, nspans -1 for a bad line (which
 * span_detail must then not make a span of either).
 */
struct both_case {
	const char *why;
	const char *line;
	int nspans;
	const char *span_id, *parent_id, *trace_id, *name;
	int64_t start, end;
	enum span_status status;
	enum span_kind kind;
};

static const struct both_case both_cases[] = {
	/* A repeated key: the last counts, as in jansson and Python. */
	{ "dup span_id", "{\"span_id\":\"a\",\"span_id\":\"b\"}", 1,
	    "b", NULL, NULL, NULL, NONE, NONE, SPAN_UNSET, KIND_UNSPECIFIED },
	{ "dup span_id, last unusable",
	    "{\"span_id\":\"a\",\"spanId\":\"c\",\"span_id\":null}", 1,
	    "c", NULL, NULL, NULL, NONE, NONE, SPAN_UNSET, KIND_UNSPECIFIED },
	{ "dup name", "{\"span_id\":\"a\",\"name\":\"x\",\"name\":\"y\"}", 1,
	    "a", NULL, NULL, "y", NONE, NONE, SPAN_UNSET, KIND_UNSPECIFIED },
	{ "dup name, last not text",
	    "{\"span_id\":\"a\",\"name\":\"x\",\"name\":5}", 1,
	    "a", NULL, NULL, NULL, NONE, NONE, SPAN_UNSET, KIND_UNSPECIFIED },
	{ "dup context", "{\"context\":{\"span_id\":\"a\"},\"context\":{}}", -1,
	    NULL, NULL, NULL, NULL, NONE, NONE, SPAN_UNSET, KIND_UNSPECIFIED },
	{ "dup status",
	    "{\"span_id\":\"a\",\"status\":{\"code\":2},\"status\":{}}", 1,
	    "a", NULL, NULL, NULL, NONE, NONE, SPAN_UNSET, KIND_UNSPECIFIED },
	{ "dup kind", "{\"span_id\":\"a\",\"kind\":3,\"kind\":\"nope\"}", 1,
	    "a", NULL, NULL, NULL, NONE, NONE, SPAN_UNSET, KIND_UNSPECIFIED },
	/* Spellings: a fixed order, whatever the key order. */
	{ "spanId then span_id", "{\"spanId\":\"a\",\"span_id\":\"b\"}", 1,
	    "b", NULL, NULL, NULL, NONE, NONE, SPAN_UNSET, KIND_UNSPECIFIED },
	{ "span_id then spanId", "{\"span_id\":\"b\",\"spanId\":\"a\"}", 1,
	    "b", NULL, NULL, NULL, NONE, NONE, SPAN_UNSET, KIND_UNSPECIFIED },
	{ "traceId then trace_id",
	    "{\"span_id\":\"a\",\"traceId\":\"t1\",\"trace_id\":\"t2\"}", 1,
	    "a", NULL, "t2", NULL, NONE, NONE, SPAN_UNSET, KIND_UNSPECIFIED },
	{ "context wins", "{\"span_id\":\"b\",\"context\":{\"span_id\":\"A\","
	    "\"trace_id\":\"0xT\"}}", 1,
	    "a", NULL, "t", NULL, NONE, NONE, SPAN_UNSET, KIND_UNSPECIFIED },
	{ "context null falls through",
	    "{\"context\":{\"span_id\":null},\"span_id\":\"a\"}", 1,
	    "a", NULL, NULL, NULL, NONE, NONE, SPAN_UNSET, KIND_UNSPECIFIED },
	{ "parent null falls through",
	    "{\"span_id\":\"a\",\"parent_id\":null,\"parent_span_id\":\"p\"}", 1,
	    "a", "p", NULL, NULL, NONE, NONE, SPAN_UNSET, KIND_UNSPECIFIED },
	{ "parent 0x is none", "{\"span_id\":\"a\",\"parent_id\":\"0x\"}", 1,
	    "a", NULL, NULL, NULL, NONE, NONE, SPAN_UNSET, KIND_UNSPECIFIED },
	/* Times: start_time is RFC 3339, *UnixNano digits or an integer. */
	{ "both time keys", "{\"span_id\":\"a\",\"start_time\":"
	    "\"1970-01-01T00:00:01Z\",\"startTimeUnixNano\":\"5\"}", 1,
	    "a", NULL, NULL, NULL, INT64_C(1000000000), NONE, SPAN_UNSET,
	    KIND_UNSPECIFIED },
	{ "bad start_time falls through", "{\"span_id\":\"a\",\"start_time\":"
	    "\"soon\",\"startTimeUnixNano\":\"5\",\"endTimeUnixNano\":7}", 1,
	    "a", NULL, NULL, NULL, 5, 7, SPAN_UNSET, KIND_UNSPECIFIED },
	{ "start_time of digits",
	    "{\"span_id\":\"a\",\"start_time\":\"1700000000000000000\"}", 1,
	    "a", NULL, NULL, NULL, NONE, NONE, SPAN_UNSET, KIND_UNSPECIFIED },
	{ "unixnano leading zero", "{\"spanId\":\"a\",\"endTimeUnixNano\":\"06\"}",
	    1, "a", NULL, NULL, NULL, NONE, 6, SPAN_UNSET, KIND_UNSPECIFIED },
	{ "unixnano negative", "{\"spanId\":\"a\",\"startTimeUnixNano\":-5}", 1,
	    "a", NULL, NULL, NULL, NONE, NONE, SPAN_UNSET, KIND_UNSPECIFIED },
	{ "unixnano RFC 3339", "{\"spanId\":\"a\",\"startTimeUnixNano\":"
	    "\"2025-01-01T00:00:00Z\"}", 1,
	    "a", NULL, NULL, NULL, NONE, NONE, SPAN_UNSET, KIND_UNSPECIFIED },
	{ "unixnano space", "{\"spanId\":\"a\",\"startTimeUnixNano\":\" 123\"}", 1,
	    "a", NULL, NULL, NULL, NONE, NONE, SPAN_UNSET, KIND_UNSPECIFIED },
	{ "unixnano beyond int64",
	    "{\"spanId\":\"a\",\"startTimeUnixNano\":99999999999999999999}", 1,
	    "a", NULL, NULL, NULL, NONE, NONE, SPAN_UNSET, KIND_UNSPECIFIED },
	/* Status and kind. */
	{ "status as a string", "{\"span_id\":\"a\",\"status\":\"ERROR\"}", 1,
	    "a", NULL, NULL, NULL, NONE, NONE, SPAN_ERROR, KIND_UNSPECIFIED },
	{ "status StatusCode.", "{\"span_id\":\"a\",\"status\":"
	    "{\"status_code\":\"StatusCode.ERROR\"}}", 1,
	    "a", NULL, NULL, NULL, NONE, NONE, SPAN_ERROR, KIND_UNSPECIFIED },
	{ "status_code before code", "{\"span_id\":\"a\",\"status\":"
	    "{\"code\":2,\"status_code\":\"OK\"}}", 1,
	    "a", NULL, NULL, NULL, NONE, NONE, SPAN_OK, KIND_UNSPECIFIED },
	{ "bad status_code falls through", "{\"span_id\":\"a\",\"status\":"
	    "{\"status_code\":\"bogus\",\"code\":2}}", 1,
	    "a", NULL, NULL, NULL, NONE, NONE, SPAN_ERROR, KIND_UNSPECIFIED },
	{ "NUL in status", "{\"span_id\":\"a\",\"status\":"
	    "{\"status_code\":\"ok\\u0000\"}}", 1,
	    "a", NULL, NULL, NULL, NONE, NONE, SPAN_UNSET, KIND_UNSPECIFIED },
	{ "kind double prefix",
	    "{\"span_id\":\"a\",\"kind\":\"SpanKind.SPAN_KIND_CLIENT\"}", 1,
	    "a", NULL, NULL, NULL, NONE, NONE, SPAN_UNSET, KIND_UNSPECIFIED },
	{ "kind OTLP name", "{\"span_id\":\"a\",\"kind\":\"SPAN_KIND_SERVER\"}",
	    1, "a", NULL, NULL, NULL, NONE, NONE, SPAN_UNSET, KIND_SERVER },
	/* Text: a NUL reads as U+FFFD, hiding nothing; numbers jansson
	 * cannot hold are text. */
	{ "NUL in name", "{\"span_id\":\"a\",\"name\":\"x\\u0000y\"}", 1,
	    "a", NULL, NULL, "x\xef\xbf\xbdy", NONE, NONE, SPAN_UNSET, KIND_UNSPECIFIED },
	{ "NUL in id", "{\"span_id\":\"A\\u0000b\"}", 1,
	    "a\xef\xbf\xbd" "b", NULL, NULL, NULL, NONE, NONE, SPAN_UNSET, KIND_UNSPECIFIED },
	{ "NaN name", "{\"span_id\":\"a\",\"name\":NaN}", 1,
	    "a", NULL, NULL, "NaN", NONE, NONE, SPAN_UNSET, KIND_UNSPECIFIED },
	{ "big integer id", "{\"span_id\":-123456789012345678901}", 1,
	    "-123456789012345678901", NULL, NULL, NULL, NONE, NONE, SPAN_UNSET,
	    KIND_UNSPECIFIED },
	/* jansson refuses a NUL in an object key: span_detail's pre-pass
	 * makes it U+FFFD, so the inspector still shows this span. */
	{ "NUL in a key", "{\"span_id\":\"a\",\"x\\u0000\" : 1,"
	    "\"attributes\":{\"mcp.tool.name\\u0000\":\"v\\u0000w\"}}", 1,
	    "a", NULL, NULL, NULL, NONE, NONE, SPAN_UNSET, KIND_UNSPECIFIED },
	/* OTLP lists. */
	{ "dup spans", "{\"resourceSpans\":[{\"scopeSpans\":[{\"spans\":"
	    "[{\"spanId\":\"a\"}],\"spans\":[{\"spanId\":\"b\"}]}]}]}", 1,
	    "b", NULL, NULL, NULL, NONE, NONE, SPAN_UNSET, KIND_UNSPECIFIED },
	{ "both scope keys", "{\"resourceSpans\":[{\"scopeSpans\":[],"
	    "\"instrumentationLibrarySpans\":[{\"spans\":[{\"spanId\":\"a\"}]}]}]}",
	    -1, NULL, NULL, NULL, NULL, NONE, NONE, SPAN_UNSET,
	    KIND_UNSPECIFIED },
	{ "scope keys, the old one first", "{\"resourceSpans\":[{"
	    "\"instrumentationLibrarySpans\":[{\"spans\":[{\"spanId\":\"a\"}]}],"
	    "\"scopeSpans\":[{\"spans\":[{\"spanId\":\"b\"}]}]}]}", 1,
	    "b", NULL, NULL, NULL, NONE, NONE, SPAN_UNSET, KIND_UNSPECIFIED },
	{ "scopeSpans taken back", "{\"resourceSpans\":[{\"scopeSpans\":"
	    "[{\"spans\":[{\"spanId\":\"b\"}]}],\"instrumentationLibrarySpans\":"
	    "[{\"spans\":[{\"spanId\":\"a\"}]}],\"scopeSpans\":null}]}", 1,
	    "a", NULL, NULL, NULL, NONE, NONE, SPAN_UNSET, KIND_UNSPECIFIED },
	{ "dup resourceSpans", "{\"resourceSpans\":[{\"scopeSpans\":[{\"spans\":"
	    "[{\"spanId\":\"a\"},{\"spanId\":\"c\"}]}]}],\"resourceSpans\":"
	    "[{\"scopeSpans\":[{\"spans\":[{\"spanId\":\"b\"}]}]}]}", 1,
	    "b", NULL, NULL, NULL, NONE, NONE, SPAN_UNSET, KIND_UNSPECIFIED },
};

static void
ck_str(const char *what, const char *why, struct strref fast,
    const char *det, const char *want)
{
	if (want == NULL) {
		ck_assert_msg(fast.p == NULL, "%s: %s: fast pass has one", why,
		    what);
	} else {
		ck_assert_msg(fast.p != NULL && fast.n == strlen(want) &&
		    memcmp(fast.p, want, fast.n) == 0,
		    "%s: %s: fast pass \"%.*s\", want \"%s\"", why, what,
		    fast.p != NULL ? (int)fast.n : 6,
		    fast.p != NULL ? fast.p : "(none)", want);
	}
	ck_assert_msg(strcmp(det, want != NULL ? want : "") == 0,
	    "%s: %s: span_detail \"%s\", want \"%s\"", why, what, det,
	    want != NULL ? want : "");
}

START_TEST(test_both_parsers)
{
	const struct both_case *c = &both_cases[_i];
	struct span_parser *sp = span_parser_new();
	const struct span_fields *f;
	struct span_detail *d;
	char *cause = NULL;
	int n;

	n = span_parse_line(sp, c->line, strlen(c->line));
	ck_assert_msg(n == c->nspans, "%s: %d spans, want %d", c->why, n,
	    c->nspans);
	d = span_detail_parse(c->line, strlen(c->line), 0, &cause);
	if (n < 0) {
		ck_assert_msg(d == NULL, "%s: a bad line has a detail", c->why);
		free(cause);
		span_parser_free(sp);
		return;
	}
	ck_assert_msg(d != NULL, "%s: %s", c->why, cause);
	f = span_parser_span(sp, 0);
	ck_str("span id", c->why, f->span_id, d->span_id, c->span_id);
	ck_str("trace id", c->why, f->trace_id, d->trace_id, c->trace_id);
	ck_str("name", c->why, f->name, d->name, c->name);
	if (c->parent_id == NULL)
		ck_assert_msg(f->parent_id.p == NULL && d->parent_id == NULL,
		    "%s: has a parent", c->why);
	else
		ck_str("parent", c->why, f->parent_id,
		    d->parent_id != NULL ? d->parent_id : "(none)",
		    c->parent_id);
	ck_assert_msg(f->start_ns == c->start && d->start_ns == c->start,
	    "%s: start %lld / %lld, want %lld", c->why,
	    (long long)f->start_ns, (long long)d->start_ns,
	    (long long)c->start);
	ck_assert_msg(f->end_ns == c->end && d->end_ns == c->end,
	    "%s: end %lld / %lld, want %lld", c->why, (long long)f->end_ns,
	    (long long)d->end_ns, (long long)c->end);
	ck_assert_msg(f->status == c->status, "%s: fast status %s", c->why,
	    span_status_name(f->status));
	ck_assert_str_eq(d->status, span_status_name(c->status));
	ck_assert_msg(f->kind == c->kind, "%s: fast kind %s", c->why,
	    span_kind_name(f->kind));
	/* span_detail has no kind where the line has none it knows. */
	ck_assert_str_eq(d->kind != NULL ? d->kind : "UNSPECIFIED",
	    span_kind_name(c->kind));
	span_detail_free(d);
	span_parser_free(sp);
}
END_TEST

/* OTLP attribute lists: the label both parsers read from one item. */
static const struct {
	const char *item;	/* one element of "attributes" */
	const char *tool;	/* mcp.tool.name, NULL for none */
} label_cases[] = {
	{ "{\"key\":\"mcp.tool.name\",\"value\":{\"stringValue\":\"t\"}}",
	    "t" },
	{ "{\"value\":{\"stringValue\":\"t\"},\"key\":\"mcp.tool.name\"}",
	    "t" },
	/* The first member in span_any_value_keys[] order. */
	{ "{\"key\":\"mcp.tool.name\",\"value\":{\"intValue\":\"5\","
	    "\"stringValue\":\"t\"}}", "t" },
	{ "{\"key\":\"mcp.tool.name\",\"value\":{\"stringValue\":\"t\","
	    "\"boolValue\":true,\"stringValue\":5}}", NULL },
	{ "{\"key\":\"mcp.tool.name\",\"value\":{\"bytesValue\":\"aGk=\"}}",
	    "aGk=" },
	{ "{\"key\":\"mcp.tool.name\",\"value\":{\"intValue\":\"NaN\"}}",
	    "NaN" },
	/* The last key and value of an item. */
	{ "{\"key\":\"x\",\"value\":{\"stringValue\":\"t\"},"
	    "\"key\":\"mcp.tool.name\"}", "t" },
	{ "{\"key\":\"mcp.tool.name\",\"value\":{\"stringValue\":\"t\"},"
	    "\"key\":\"x\"}", NULL },
	{ "{\"key\":\"mcp.tool.name\",\"value\":{\"stringValue\":\"t\"},"
	    "\"value\":{\"stringValue\":\"u\"}}", "u" },
	/* A value that is no AnyValue is null; a NUL in a key is U+FFFD, so
	 * this is no tool name. */
	{ "{\"key\":\"mcp.tool.name\",\"value\":\"t\"}", NULL },
	{ "{\"key\":\"mcp.tool.name\\u0000x\",\"value\":"
	    "{\"stringValue\":\"t\\u0000u\"}}", NULL },
	{ "{\"key\":\"mcp.tool.name\",\"value\":"
	    "{\"stringValue\":\"t\\u0000u\"}}", "t\xef\xbf\xbdu" },
};

START_TEST(test_otlp_labels)
{
	struct span_parser *sp = span_parser_new();
	const struct span_fields *f;
	struct span_detail *d;
	const struct kv *kv;
	char *line, *cause = NULL;
	const char *want = label_cases[_i].tool;

	line = xasprintf("{\"resourceSpans\":[{\"scopeSpans\":[{\"spans\":"
	    "[{\"spanId\":\"a\",\"attributes\":[%s]}]}]}]}",
	    label_cases[_i].item);
	ck_assert_int_eq(span_parse_line(sp, line, strlen(line)), 1);
	f = span_parser_span(sp, 0);
	d = span_detail_parse(line, strlen(line), 0, &cause);
	ck_assert_msg(d != NULL, "%s", cause);
	kv = span_detail_attr(d, "mcp.tool.name");
	if (want == NULL) {
		ck_assert_msg(f->tool_name.p == NULL, "%s: fast pass has a tool",
		    line);
		ck_assert_msg(kv == NULL || kv->str == NULL,
		    "%s: span_detail has a tool", line);
	} else {
		ck_assert_msg(f->tool_name.p != NULL &&
		    f->tool_name.n == strlen(want) &&
		    memcmp(f->tool_name.p, want, f->tool_name.n) == 0,
		    "%s: fast pass tool", line);
		ck_assert_msg(kv != NULL && kv->str != NULL &&
		    strcmp(kv->str, want) == 0, "%s: span_detail tool", line);
	}
	span_detail_free(d);
	span_parser_free(sp);
	free(line);
}
END_TEST

static Suite *
rules_suite(void)
{
	Suite *s = suite_create("rules");
	TCase *tc = tcase_create("rules");

	tcase_add_test(tc, test_text_len);
	tcase_add_test(tc, test_id_trim);
	tcase_add_test(tc, test_unix_nano);
	tcase_add_test(tc, test_status_names);
	tcase_add_test(tc, test_kind_names);
	tcase_add_loop_test(tc, test_both_parsers, 0,
	    sizeof both_cases / sizeof both_cases[0]);
	tcase_add_loop_test(tc, test_otlp_labels, 0,
	    sizeof label_cases / sizeof label_cases[0]);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	return check_main(rules_suite, "test_rules", NULL);
}
