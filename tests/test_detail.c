/* SPDX-License-Identifier: MIT */
/*
 * test_detail.c — span_detail: the three formats normalised alike, the
 * values Python writes that jansson refuses, and hostile input.
 */
#include <check.h>
#include <jansson.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check_main.h"
#include "span.h"
#include "span_detail.h"

#ifndef FORMATS_DIR
#define FORMATS_DIR "tests/formats"
#endif

/* The same spans, as the SDK, OTLP and the SSE samples all hold them. */
#define GENERATE_START	INT64_C(1795317292267137000)
#define GENERATE_END	INT64_C(1795317292267244000)
#define GENERATE_EVENT	INT64_C(1795317292267216000)
#define CALL_TOOL_START	INT64_C(1795317292267645000)
#define CALL_TOOL_END	INT64_C(1795317292267672000)
#define ROOT_START	INT64_C(1795317292267063000)
#define ROOT_END	INT64_C(1795317292267828000)
#define FLAT_NOON	INT64_C(1735732800000000000)
#define SESSION		"3f1c2a9e-5b7d-4c1e-9a2b-0d4e6f8a1b2c"
#define PROMPT \
	"{\"type\": \"text\", \"content\": \"Print the first 2 paragraphs " \
	"of https://modelcontextprotocol.io/introduction\"}"

static char *
read_line(const char *file, int n)
{
	char path[1024], *line = NULL;
	size_t cap = 0;
	ssize_t len = -1;
	FILE *f;
	int i;

	snprintf(path, sizeof path, "%s/%s", FORMATS_DIR, file);
	f = fopen(path, "r");
	ck_assert_msg(f != NULL, "cannot open %s", path);
	for (i = 0; i <= n; i++) {
		len = getline(&line, &cap, f);
		ck_assert_msg(len >= 0, "%s has no line %d", path, n);
	}
	fclose(f);
	if (len > 0 && line[len - 1] == '\n')
		line[len - 1] = '\0';
	return line;
}

static struct span_detail *
parse_ok(const char *line, unsigned index)
{
	struct span_detail *d;
	char *cause = NULL;

	d = span_detail_parse(line, strlen(line), index, &cause);
	ck_assert_msg(d != NULL, "parse failed: %s",
	    cause != NULL ? cause : "(no cause)");
	return d;
}

static struct span_detail *
parse_file_line(const char *file, int n, unsigned index)
{
	struct span_detail *d;
	char *line = read_line(file, n);

	d = parse_ok(line, index);
	free(line);
	return d;
}

/* The cause of a parse that must fail (caller frees). */
static char *
parse_fails(const char *line, size_t len, unsigned index)
{
	struct span_detail *d;
	char *cause = NULL;

	d = span_detail_parse(line, len, index, &cause);
	ck_assert_ptr_null(d);
	ck_assert_ptr_nonnull(cause);
	ck_assert_msg(strncmp(cause, "span detail: ", 13) == 0,
	    "cause does not name the module: %s", cause);
	return cause;
}

static void
check_kv(const struct kv *kv, const char *key, const char *json,
    const char *str)
{
	ck_assert_ptr_nonnull(kv);
	ck_assert_str_eq(kv->key, key);
	ck_assert_str_eq(kv->json, json);
	if (str == NULL)
		ck_assert_ptr_null(kv->str);
	else {
		ck_assert_ptr_nonnull(kv->str);
		ck_assert_str_eq(kv->str, str);
	}
}

static void
check_attr(const struct span_detail *d, const char *key, const char *json,
    const char *str)
{
	const struct kv *kv = span_detail_attr(d, key);

	ck_assert_msg(kv != NULL, "no attribute %s", key);
	check_kv(kv, key, json, str);
}

static void
check_str_or_null(const char *got, const char *want)
{
	if (want == NULL)
		ck_assert_ptr_null(got);
	else {
		ck_assert_ptr_nonnull(got);
		ck_assert_str_eq(got, want);
	}
}

/* got, a JSON text we produced, means the same as want. */
static void
check_json_text(const char *got, const char *want)
{
	json_error_t err;
	json_t *g, *w;

	g = json_loads(got, JSON_DECODE_ANY | JSON_ALLOW_NUL, &err);
	ck_assert_msg(g != NULL, "output is not JSON (%s): %s", err.text, got);
	w = json_loads(want, JSON_DECODE_ANY | JSON_ALLOW_NUL, &err);
	ck_assert_msg(w != NULL, "expectation is not JSON: %s", err.text);
	ck_assert_msg(json_equal(g, w), "got %s, want %s", got, want);
	json_decref(g);
	json_decref(w);
}

static void
check_resource(const struct span_detail *d)
{
	ck_assert_uint_eq(d->resource.n, 7);
	check_kv(&d->resource.v[0], "telemetry.sdk.language", "\"python\"",
	    "python");
	check_kv(&d->resource.v[1], "telemetry.sdk.name", "\"opentelemetry\"",
	    "opentelemetry");
	check_kv(&d->resource.v[2], "telemetry.sdk.version", "\"1.33.1\"",
	    "1.33.1");
	check_kv(&d->resource.v[3], "service.name", "\"mcp_basic_agent\"",
	    "mcp_basic_agent");
	check_kv(&d->resource.v[4], "service.instance.id", "\"" SESSION "\"",
	    SESSION);
	check_kv(&d->resource.v[5], "service.version", "\"0.1.7\"", "0.1.7");
	check_kv(&d->resource.v[6], "session.id", "\"" SESSION "\"", SESSION);
}

static void
check_generate(const struct span_detail *d)
{
	char *json;

	ck_assert_str_eq(d->name, "AnthropicAugmentedLLM.finder.generate");
	ck_assert_str_eq(d->trace_id, "5685a931d55c3dfdb34fbe29531f9baa");
	ck_assert_str_eq(d->span_id, "7c1e8e6507370c9c");
	check_str_or_null(d->parent_id, "d4334246c435572e");
	check_str_or_null(d->kind, "CLIENT");
	ck_assert_str_eq(d->status, "error");
	check_str_or_null(d->status_description, "boom: caf\xc3\xa9");
	ck_assert_int_eq(d->start_ns, GENERATE_START);
	ck_assert_int_eq(d->end_ns, GENERATE_END);

	ck_assert_uint_eq(d->attrs.n, 7);
	check_kv(&d->attrs.v[0], "mcp.llm.provider", "\"anthropic\"",
	    "anthropic");
	check_kv(&d->attrs.v[1], "mcp.llm.model",
	    "\"claude-3-5-sonnet-latest\"", "claude-3-5-sonnet-latest");
	check_kv(&d->attrs.v[2], "mcp.llm.prompt_json",
	    "\"{\\\"type\\\": \\\"text\\\", \\\"content\\\": \\\"Print the "
	    "first 2 paragraphs of https://modelcontextprotocol.io/"
	    "introduction\\\"}\"", PROMPT);
	check_kv(&d->attrs.v[3], "gen_ai.usage.input_tokens", "812", NULL);
	check_kv(&d->attrs.v[4], "temperature", "0.7", NULL);
	check_kv(&d->attrs.v[5], "stop_sequences", "[\"\\n\\nHuman:\"]", NULL);
	check_kv(&d->attrs.v[6], "mcp.session.paused", "true", NULL);
	check_attr(d, "gen_ai.usage.input_tokens", "812", NULL);
	ck_assert_ptr_null(span_detail_attr(d, "gen_ai.usage"));

	ck_assert_uint_eq(d->nevents, 1);
	ck_assert_str_eq(d->events[0].name, "human_input_signal_received");
	ck_assert_int_eq(d->events[0].time_ns, GENERATE_EVENT);
	ck_assert_uint_eq(d->events[0].attrs.n, 2);
	check_kv(&d->events[0].attrs.v[0], "signal_name", "\"abc\"", "abc");
	check_kv(&d->events[0].attrs.v[1], "timeout_seconds", "300", NULL);
	ck_assert_uint_eq(d->nlinks, 0);
	check_resource(d);

	json = kv_list_to_json(&d->attrs);
	ck_assert_str_eq(json, "{\"mcp.llm.provider\":\"anthropic\","
	    "\"mcp.llm.model\":\"claude-3-5-sonnet-latest\","
	    "\"mcp.llm.prompt_json\":\"{\\\"type\\\": \\\"text\\\", "
	    "\\\"content\\\": \\\"Print the first 2 paragraphs of "
	    "https://modelcontextprotocol.io/introduction\\\"}\","
	    "\"gen_ai.usage.input_tokens\":812,\"temperature\":0.7,"
	    "\"stop_sequences\":[\"\\n\\nHuman:\"],"
	    "\"mcp.session.paused\":true}");
	free(json);
	json = span_detail_events_json(d);
	ck_assert_str_eq(json, "[{\"name\":\"human_input_signal_received\","
	    "\"timestamp\":\"2026-11-22T03:14:52.267216Z\","
	    "\"attributes\":{\"signal_name\":\"abc\","
	    "\"timeout_seconds\":300}}]");
	free(json);
	json = kv_list_to_json(&d->resource);
	check_json_text(json, "{\"telemetry.sdk.language\":\"python\","
	    "\"telemetry.sdk.name\":\"opentelemetry\","
	    "\"telemetry.sdk.version\":\"1.33.1\","
	    "\"service.name\":\"mcp_basic_agent\","
	    "\"service.instance.id\":\"" SESSION "\","
	    "\"service.version\":\"0.1.7\",\"session.id\":\"" SESSION "\"}");
	free(json);
}

static void
check_call_tool(const struct span_detail *d)
{
	char *json;

	ck_assert_str_eq(d->name, "Agent.finder.call_tool");
	ck_assert_str_eq(d->trace_id, "5685a931d55c3dfdb34fbe29531f9baa");
	ck_assert_str_eq(d->span_id, "59cb2bde9b3e30a0");
	check_str_or_null(d->parent_id, "d4334246c435572e");
	check_str_or_null(d->kind, "INTERNAL");
	ck_assert_str_eq(d->status, "ok");
	ck_assert_ptr_null(d->status_description);
	ck_assert_int_eq(d->start_ns, CALL_TOOL_START);
	ck_assert_int_eq(d->end_ns, CALL_TOOL_END);
	ck_assert_uint_eq(d->attrs.n, 2);
	check_kv(&d->attrs.v[0], "mcp.tool.name", "\"fetch_fetch\"",
	    "fetch_fetch");
	check_kv(&d->attrs.v[1], "mcp.tool.input_json",
	    "\"{\\\"url\\\": \\\"https://example.com\\\"}\"",
	    "{\"url\": \"https://example.com\"}");
	ck_assert_uint_eq(d->nevents, 0);
	ck_assert_uint_eq(d->nlinks, 1);
	ck_assert_str_eq(d->links[0].trace_id,
	    "5685a931d55c3dfdb34fbe29531f9baa");
	ck_assert_str_eq(d->links[0].span_id, "d4334246c435572e");
	ck_assert_uint_eq(d->links[0].attrs.n, 1);
	check_kv(&d->links[0].attrs.v[0], "k", "\"v\"", "v");
	check_resource(d);

	json = span_detail_events_json(d);
	ck_assert_str_eq(json, "[]");
	free(json);
	json = kv_list_to_json(&d->links[0].attrs);
	ck_assert_str_eq(json, "{\"k\":\"v\"}");
	free(json);
}

static void
check_root(const struct span_detail *d)
{
	char *json;

	ck_assert_str_eq(d->name, "mcp_basic_agent");
	ck_assert_str_eq(d->span_id, "d4334246c435572e");
	ck_assert_ptr_null(d->parent_id);
	check_str_or_null(d->kind, "INTERNAL");
	ck_assert_str_eq(d->status, "unset");
	ck_assert_ptr_null(d->status_description);
	ck_assert_int_eq(d->start_ns, ROOT_START);
	ck_assert_int_eq(d->end_ns, ROOT_END);
	ck_assert_uint_eq(d->attrs.n, 0);
	ck_assert_uint_eq(d->nevents, 0);
	ck_assert_uint_eq(d->nlinks, 0);
	check_resource(d);
	json = kv_list_to_json(&d->attrs);
	ck_assert_str_eq(json, "{}");
	free(json);
}

START_TEST(sdk_lines)
{
	struct span_detail *d;

	d = parse_file_line("otel-sdk-to_json.jsonl", 0, 0);
	check_generate(d);
	span_detail_free(d);
	d = parse_file_line("otel-sdk-to_json.jsonl", 1, 0);
	check_call_tool(d);
	span_detail_free(d);
	d = parse_file_line("otel-sdk-to_json.jsonl", 2, 0);
	check_root(d);
	span_detail_free(d);
}
END_TEST

START_TEST(otlp_lines)
{
	struct span_detail *d;

	d = parse_file_line("otlp.jsonl", 0, 0);
	check_generate(d);
	span_detail_free(d);
	d = parse_file_line("otlp.jsonl", 0, 1);
	check_call_tool(d);
	span_detail_free(d);
	d = parse_file_line("otlp.jsonl", 0, 2);
	check_root(d);
	span_detail_free(d);
}
END_TEST

START_TEST(no_such_span)
{
	char *line, *cause;

	line = read_line("otlp.jsonl", 0);
	cause = parse_fails(line, strlen(line), 3);
	ck_assert_str_eq(cause, "span detail: line has no span 3");
	free(cause);
	cause = parse_fails(line, strlen(line), 4000000000u);
	free(cause);
	free(line);

	line = read_line("otel-sdk-to_json.jsonl", 0);
	cause = parse_fails(line, strlen(line), 1);
	ck_assert_str_eq(cause, "span detail: line has no span 1");
	free(cause);
	free(line);
}
END_TEST

START_TEST(flat_lines)
{
	struct span_detail *d;
	char *json;

	d = parse_file_line("inspector-flat.jsonl", 0, 0);
	ck_assert_str_eq(d->name, "workflow.run");
	ck_assert_str_eq(d->trace_id, "12345678901234567890123456789012");
	ck_assert_str_eq(d->span_id, "1234567890123456");
	ck_assert_ptr_null(d->parent_id);
	ck_assert_ptr_null(d->kind);
	ck_assert_str_eq(d->status, "unset");
	ck_assert_ptr_null(d->status_description);
	ck_assert_int_eq(d->start_ns, FLAT_NOON);
	ck_assert_int_eq(d->end_ns, FLAT_NOON + 1000000000);
	ck_assert_uint_eq(d->attrs.n, 2);
	check_kv(&d->attrs.v[0], "mcp.workflow.type", "\"orchestrator\"",
	    "orchestrator");
	check_kv(&d->attrs.v[1], "session.id", "\"test-session-123\"",
	    "test-session-123");
	ck_assert_uint_eq(d->nevents, 0);
	ck_assert_uint_eq(d->nlinks, 0);
	ck_assert_uint_eq(d->resource.n, 0);
	json = kv_list_to_json(&d->resource);
	ck_assert_str_eq(json, "{}");
	free(json);
	span_detail_free(d);

	d = parse_file_line("inspector-flat.jsonl", 1, 0);
	ck_assert_str_eq(d->span_id, "2345678901234567");
	check_str_or_null(d->parent_id, "1234567890123456");
	ck_assert_int_eq(d->start_ns, FLAT_NOON + 100000000);
	ck_assert_int_eq(d->end_ns, FLAT_NOON + 900000000);
	check_attr(d, "mcp.agent.name", "\"test-agent\"", "test-agent");
	span_detail_free(d);

	/* No end_time; status present. */
	d = parse_file_line("inspector-flat.jsonl", 2, 0);
	ck_assert_str_eq(d->span_id, "span-3");
	ck_assert_str_eq(d->trace_id, "trace-3");
	ck_assert_ptr_null(d->parent_id);
	ck_assert_int_eq(d->start_ns, FLAT_NOON);
	ck_assert_int_eq(d->end_ns, SPAN_TIME_NONE);
	ck_assert_str_eq(d->status, "ok");
	check_attr(d, "mcp.session.paused", "true", NULL);
	span_detail_free(d);

	d = parse_file_line("inspector-flat.jsonl", 3, 0);
	ck_assert_str_eq(d->span_id, "span-6");
	check_str_or_null(d->parent_id, "span-5");
	ck_assert_str_eq(d->status, "unset");
	ck_assert_int_eq(d->start_ns, FLAT_NOON + 60000000000);
	ck_assert_int_eq(d->end_ns, FLAT_NOON + 120000000000);
	ck_assert_uint_eq(d->attrs.n, 4);
	check_kv(&d->attrs.v[1], "mcp.llm.model",
	    "\"claude-3-opus-20240229\"", "claude-3-opus-20240229");
	check_kv(&d->attrs.v[3], "mcp.llm.response_json",
	    "\"{\\\"content\\\": \\\"I found 3 potential security "
	    "issues...\\\", \\\"usage\\\": {\\\"total_tokens\\\": 1500}}\"",
	    "{\"content\": \"I found 3 potential security issues...\", "
	    "\"usage\": {\"total_tokens\": 1500}}");
	span_detail_free(d);
}
END_TEST

/* A trailing '\r' (CRLF files) is whitespace to JSON. */
START_TEST(crlf_line)
{
	struct span_detail *d;
	char *line;
	size_t len;

	line = read_line("otel-sdk-to_json.jsonl", 0);
	len = strlen(line);
	line = realloc(line, len + 2);
	ck_assert_ptr_nonnull(line);
	memcpy(line + len, "\r", 2);
	d = parse_ok(line, 0);
	check_generate(d);
	span_detail_free(d);
	free(line);
}
END_TEST

/* A real beyond a double is kept as its text, like a big integer; it
 * used to make jansson refuse the whole span ("real number overflow"). */
START_TEST(real_overflow)
{
	static const char line[] = "{\"name\": \"big\", \"context\": "
	    "{\"trace_id\": \"0xAB\", \"span_id\": \"0xCD\"}, "
	    "\"attributes\": {\"a\": 1e999, \"b\": [-1.5E+400, 2.5], "
	    "\"c\": 1e-999, \"d\": 1.7976931348623157e308}, "
	    "\"events\": [{\"name\": \"ev\", \"attributes\": {\"x\": 1e999}}]}";
	struct span_detail *d;
	char *json;

	d = parse_ok(line, 0);
	ck_assert_str_eq(d->name, "big");
	ck_assert_uint_eq(d->attrs.n, 4);
	check_kv(&d->attrs.v[0], "a", "\"1e999\"", "1e999");
	check_kv(&d->attrs.v[1], "b", "[\"-1.5E+400\",2.5]", NULL);
	check_kv(&d->attrs.v[2], "c", "0.0", NULL);
	check_kv(&d->attrs.v[3], "d", "1.7976931348623157e308", NULL);
	json = span_detail_events_json(d);
	check_json_text(json, "[{\"name\":\"ev\",\"timestamp\":null,"
	    "\"attributes\":{\"x\":\"1e999\"}}]");
	free(json);
	span_detail_free(d);
}
END_TEST

START_TEST(python_specials)
{
	static const char line[] = "{\"name\": \"nan\", \"context\": "
	    "{\"trace_id\": \"0xAB\", \"span_id\": \"0xCD\"}, "
	    "\"kind\": \"SpanKind.SERVER\", \"parent_id\": null, "
	    "\"attributes\": {\"a\": NaN, \"b\": Infinity, \"c\": -Infinity, "
	    "\"d\": 123456789012345678901234567890, "
	    "\"e\": -123456789012345678901234567890, "
	    "\"f\": [NaN, 1.5, -Infinity], "
	    "\"g\": \"say \\\"NaN\\\" Infinity 99999999999999999999\", "
	    "\"h\": 9223372036854775807, \"i\": -9223372036854775808, "
	    "\"j\": 9223372036854775808, \"k\": -9223372036854775809, "
	    "\"l\": \"tail\\\\\", \"m\": NaN, \"n\": {\"q\": Infinity}}, "
	    "\"start_time\": \"2026-11-22T03:14:52.267137Z\", "
	    "\"end_time\": \"2026-11-22T03:14:52.267244Z\", "
	    "\"status\": {\"status_code\": \"OK\"}, \"events\": [{\"name\": "
	    "\"ev\", \"timestamp\": \"2026-11-22T03:14:52.267216Z\", "
	    "\"attributes\": {\"x\": -Infinity}}], \"links\": []}";
	struct span_detail *d;
	char *json;

	d = parse_ok(line, 0);
	ck_assert_str_eq(d->name, "nan");
	ck_assert_str_eq(d->trace_id, "ab");
	ck_assert_str_eq(d->span_id, "cd");
	ck_assert_ptr_null(d->parent_id);
	check_str_or_null(d->kind, "SERVER");
	ck_assert_str_eq(d->status, "ok");
	ck_assert_int_eq(d->start_ns, GENERATE_START);
	ck_assert_int_eq(d->end_ns, GENERATE_END);
	ck_assert_uint_eq(d->attrs.n, 14);
	check_kv(&d->attrs.v[0], "a", "\"NaN\"", "NaN");
	check_kv(&d->attrs.v[1], "b", "\"Infinity\"", "Infinity");
	check_kv(&d->attrs.v[2], "c", "\"-Infinity\"", "-Infinity");
	check_kv(&d->attrs.v[3], "d", "\"123456789012345678901234567890\"",
	    "123456789012345678901234567890");
	check_kv(&d->attrs.v[4], "e", "\"-123456789012345678901234567890\"",
	    "-123456789012345678901234567890");
	check_kv(&d->attrs.v[5], "f", "[\"NaN\",1.5,\"-Infinity\"]", NULL);
	check_kv(&d->attrs.v[6], "g",
	    "\"say \\\"NaN\\\" Infinity 99999999999999999999\"",
	    "say \"NaN\" Infinity 99999999999999999999");
	check_kv(&d->attrs.v[7], "h", "9223372036854775807", NULL);
	check_kv(&d->attrs.v[8], "i", "-9223372036854775808", NULL);
	check_kv(&d->attrs.v[9], "j", "\"9223372036854775808\"",
	    "9223372036854775808");
	check_kv(&d->attrs.v[10], "k", "\"-9223372036854775809\"",
	    "-9223372036854775809");
	check_kv(&d->attrs.v[11], "l", "\"tail\\\\\"", "tail\\");
	check_kv(&d->attrs.v[12], "m", "\"NaN\"", "NaN");
	check_kv(&d->attrs.v[13], "n", "{\"q\":\"Infinity\"}", NULL);
	ck_assert_uint_eq(d->nevents, 1);
	json = span_detail_events_json(d);
	check_json_text(json, "[{\"name\":\"ev\","
	    "\"timestamp\":\"2026-11-22T03:14:52.267216Z\","
	    "\"attributes\":{\"x\":\"-Infinity\"}}]");
	free(json);
	span_detail_free(d);
}
END_TEST

START_TEST(reals_shortest)
{
	static const char line[] = "{\"span_id\": \"r\", \"attributes\": "
	    "{\"a\": 0.1, \"b\": 0.30000000000000004, \"c\": 1e300, "
	    "\"d\": 1.0, \"e\": -0.0, \"f\": 2.5e-8, "
	    "\"g\": 1.7976931348623157e308, "
	    "\"h\": 5e-324}}";
	struct span_detail *d;
	json_t *v;
	size_t i;

	d = parse_ok(line, 0);
	check_attr(d, "a", "0.1", NULL);
	check_attr(d, "b", "0.30000000000000004", NULL);
	check_attr(d, "d", "1.0", NULL);
	check_attr(d, "e", "-0.0", NULL);
	/* Whatever the spelling, each must read back as the same double. */
	for (i = 0; i < d->attrs.n; i++) {
		v = json_loads(d->attrs.v[i].json, JSON_DECODE_ANY, NULL);
		ck_assert_msg(json_is_real(v), "%s", d->attrs.v[i].json);
		json_decref(v);
	}
	v = json_loads(span_detail_attr(d, "c")->json, JSON_DECODE_ANY, NULL);
	ck_assert(json_real_value(v) == 1e300);
	json_decref(v);
	v = json_loads(span_detail_attr(d, "g")->json, JSON_DECODE_ANY, NULL);
	ck_assert(json_real_value(v) == 1.7976931348623157e308);
	json_decref(v);
	span_detail_free(d);
}
END_TEST

/* Every AnyValue kind, spans counted across resourceSpans and scopeSpans,
 * and each span given its own resource. */
static const char otlp_types[] = "{\"resourceSpans\":["
    "{\"resource\":{\"attributes\":[{\"key\":\"r\",\"value\":{\"stringValue\":\"first\"}}]},"
    "\"scopeSpans\":[{\"scope\":{\"name\":\"s\"},\"spans\":[]},"
    "{\"scope\":{\"name\":\"t\"},\"spans\":[{\"traceId\":\"AA\",\"spanId\":\"0xBB\","
    "\"name\":\"one\",\"kind\":0,\"startTimeUnixNano\":1000,\"endTimeUnixNano\":\"2000\","
    "\"status\":{\"code\":\"STATUS_CODE_ERROR\",\"message\":\"\"},\"attributes\":["
    "{\"key\":\"s\",\"value\":{\"stringValue\":\"x\"}},"
    "{\"key\":\"i\",\"value\":{\"intValue\":\"-42\"}},"
    "{\"key\":\"n\",\"value\":{\"intValue\":7}},"
    "{\"key\":\"big\",\"value\":{\"intValue\":\"123456789012345678901234567890\"}},"
    "{\"key\":\"bigbare\",\"value\":{\"intValue\":123456789012345678901234567890}},"
    "{\"key\":\"d\",\"value\":{\"doubleValue\":2.5}},"
    "{\"key\":\"dn\",\"value\":{\"doubleValue\":\"NaN\"}},"
    "{\"key\":\"dbare\",\"value\":{\"doubleValue\":NaN}},"
    "{\"key\":\"di\",\"value\":{\"doubleValue\":-Infinity}},"
    "{\"key\":\"b\",\"value\":{\"boolValue\":false}},"
    "{\"key\":\"arr\",\"value\":{\"arrayValue\":{\"values\":[{\"stringValue\":\"a\"},"
    "{\"intValue\":\"1\"},{\"arrayValue\":{\"values\":[{\"boolValue\":true}]}},"
    "{\"kvlistValue\":{\"values\":[{\"key\":\"k\",\"value\":{\"doubleValue\":0.5}}]}}]}}},"
    "{\"key\":\"kv\",\"value\":{\"kvlistValue\":{\"values\":["
    "{\"key\":\"x\",\"value\":{\"intValue\":\"3\"}},"
    "{\"key\":\"y\",\"value\":{\"arrayValue\":{}}}]}}},"
    "{\"key\":\"bytes\",\"value\":{\"bytesValue\":\"aGVsbG8=\"}},"
    "{\"key\":\"empty\",\"value\":{}},"
    "{\"key\":\"nul\",\"value\":{\"stringValue\":\"a\\u0000b\"}},"
    "{\"key\":\"s\",\"value\":{\"stringValue\":\"again\"}}]}]}]},"
    "{\"resource\":{\"attributes\":[{\"key\":\"r\",\"value\":{\"stringValue\":\"second\"}}]},"
    "\"scopeSpans\":[{\"spans\":[{\"spanId\":\"cc\",\"name\":\"two\","
    "\"kind\":\"SPAN_KIND_SERVER\",\"parentSpanId\":\"BB\",\"events\":["
    "{\"name\":\"e\",\"timeUnixNano\":\"0\"}],"
    "\"links\":[{\"traceId\":\"0XFF\",\"spanId\":\"EE\"}]},"
    "{\"spanId\":\"dd\",\"name\":\"three\",\"kind\":9,\"parentSpanId\":null,"
    "\"status\":{\"code\":1}}]}]}]}";

START_TEST(otlp_values)
{
	struct span_detail *d;
	char *json, *cause;

	d = parse_ok(otlp_types, 0);
	ck_assert_str_eq(d->name, "one");
	ck_assert_str_eq(d->trace_id, "aa");
	ck_assert_str_eq(d->span_id, "bb");
	ck_assert_ptr_null(d->parent_id);
	check_str_or_null(d->kind, "UNSPECIFIED");
	ck_assert_str_eq(d->status, "error");
	ck_assert_ptr_null(d->status_description);
	ck_assert_int_eq(d->start_ns, 1000);
	ck_assert_int_eq(d->end_ns, 2000);
	ck_assert_uint_eq(d->attrs.n, 16);
	check_kv(&d->attrs.v[0], "s", "\"x\"", "x");
	check_kv(&d->attrs.v[1], "i", "-42", NULL);
	check_kv(&d->attrs.v[2], "n", "7", NULL);
	check_kv(&d->attrs.v[3], "big", "\"123456789012345678901234567890\"",
	    "123456789012345678901234567890");
	check_kv(&d->attrs.v[4], "bigbare",
	    "\"123456789012345678901234567890\"",
	    "123456789012345678901234567890");
	check_kv(&d->attrs.v[5], "d", "2.5", NULL);
	check_kv(&d->attrs.v[6], "dn", "\"NaN\"", "NaN");
	check_kv(&d->attrs.v[7], "dbare", "\"NaN\"", "NaN");
	check_kv(&d->attrs.v[8], "di", "\"-Infinity\"", "-Infinity");
	check_kv(&d->attrs.v[9], "b", "false", NULL);
	check_kv(&d->attrs.v[10], "arr", "[\"a\",1,[true],{\"k\":0.5}]", NULL);
	check_kv(&d->attrs.v[11], "kv", "{\"x\":3,\"y\":[]}", NULL);
	check_kv(&d->attrs.v[12], "bytes", "\"aGVsbG8=\"", "aGVsbG8=");
	check_kv(&d->attrs.v[13], "empty", "null", NULL);
	check_kv(&d->attrs.v[14], "nul", "\"a\xef\xbf\xbd" "b\"", "a\xef\xbf\xbd" "b");
	/* Duplicates stay, in order; lookup finds the last, as the index
	 * pass reads a repeated key (span_parse.h). */
	check_kv(&d->attrs.v[15], "s", "\"again\"", "again");
	check_attr(d, "s", "\"again\"", "again");
	json = kv_list_to_json(&d->attrs);
	ck_assert_str_eq(json, "{\"s\":\"x\",\"i\":-42,\"n\":7,"
	    "\"big\":\"123456789012345678901234567890\","
	    "\"bigbare\":\"123456789012345678901234567890\",\"d\":2.5,"
	    "\"dn\":\"NaN\",\"dbare\":\"NaN\",\"di\":\"-Infinity\",\"b\":false,"
	    "\"arr\":[\"a\",1,[true],{\"k\":0.5}],\"kv\":{\"x\":3,\"y\":[]},"
	    "\"bytes\":\"aGVsbG8=\",\"empty\":null,\"nul\":\"a\xef\xbf\xbd" "b\","
	    "\"s\":\"again\"}");
	free(json);
	ck_assert_uint_eq(d->resource.n, 1);
	check_kv(&d->resource.v[0], "r", "\"first\"", "first");
	span_detail_free(d);

	d = parse_ok(otlp_types, 1);
	ck_assert_str_eq(d->name, "two");
	ck_assert_str_eq(d->trace_id, "");
	ck_assert_str_eq(d->span_id, "cc");
	check_str_or_null(d->parent_id, "bb");
	check_str_or_null(d->kind, "SERVER");
	ck_assert_str_eq(d->status, "unset");
	ck_assert_int_eq(d->start_ns, SPAN_TIME_NONE);
	ck_assert_int_eq(d->end_ns, SPAN_TIME_NONE);
	ck_assert_uint_eq(d->attrs.n, 0);
	ck_assert_uint_eq(d->nevents, 1);
	ck_assert_int_eq(d->events[0].time_ns, SPAN_TIME_NONE);
	json = span_detail_events_json(d);
	ck_assert_str_eq(json,
	    "[{\"name\":\"e\",\"timestamp\":null,\"attributes\":{}}]");
	free(json);
	ck_assert_uint_eq(d->nlinks, 1);
	ck_assert_str_eq(d->links[0].trace_id, "ff");
	ck_assert_str_eq(d->links[0].span_id, "ee");
	ck_assert_uint_eq(d->links[0].attrs.n, 0);
	check_kv(&d->resource.v[0], "r", "\"second\"", "second");
	span_detail_free(d);

	d = parse_ok(otlp_types, 2);
	ck_assert_str_eq(d->name, "three");
	ck_assert_ptr_null(d->parent_id);
	ck_assert_ptr_null(d->kind);
	ck_assert_str_eq(d->status, "ok");
	check_kv(&d->resource.v[0], "r", "\"second\"", "second");
	span_detail_free(d);

	cause = parse_fails(otlp_types, strlen(otlp_types), 3);
	ck_assert_str_eq(cause, "span detail: line has no span 3");
	free(cause);
}
END_TEST

START_TEST(strings_odd)
{
	static const char line[] = "{\"span_id\": \"s\", \"parent_id\": \"\", "
	    "\"attributes\": {\"nul\": \"a\\u0000b\", "
	    "\"nested\": [\"\\u0000\"], "
	    "\"lone\": \"a\\ud800b\", \"low\": \"\\udc00\", "
	    "\"end\": \"\\uD800\", \"pair\": \"\\ud83d\\ude00\", "
	    "\"bad\": \"x\xffy\", \"raw\": \"caf\xc3\xa9\", "
	    "\"ctl\": \"\\u001b[31m\"}}";
	struct span_detail *d;

	d = parse_ok(line, 0);
	ck_assert_ptr_null(d->parent_id);
	check_attr(d, "nul", "\"a\xef\xbf\xbd" "b\"", "a\xef\xbf\xbd" "b");
	check_attr(d, "nested", "[\"\xef\xbf\xbd\"]", NULL);
	check_attr(d, "lone", "\"a\xef\xbf\xbd" "b\"", "a\xef\xbf\xbd" "b");
	check_attr(d, "low", "\"\xef\xbf\xbd\"", "\xef\xbf\xbd");
	check_attr(d, "end", "\"\xef\xbf\xbd\"", "\xef\xbf\xbd");
	check_attr(d, "pair", "\"\xf0\x9f\x98\x80\"", "\xf0\x9f\x98\x80");
	check_attr(d, "bad", "\"x\xef\xbf\xbdy\"", "x\xef\xbf\xbdy");
	check_attr(d, "raw", "\"caf\xc3\xa9\"", "caf\xc3\xa9");
	check_attr(d, "ctl", "\"\\u001b[31m\"", "\x1b[31m");
	span_detail_free(d);
}
END_TEST

START_TEST(ids_normalised)
{
	static const char line[] = "{\"trace_id\": \"0xABCdef\", "
	    "\"span_id\": \"Span-X\", \"parent_span_id\": \"0X12\", "
	    "\"links\": [{\"trace_id\": \"0xAA\", \"span_id\": \"0xBB\", "
	    "\"attributes\": {\"n\": 1}}], "
	    "\"resource\": {\"attributes\": {\"session.id\": \"S\"}}}";
	struct span_detail *d;

	d = parse_ok(line, 0);
	ck_assert_str_eq(d->name, "");
	ck_assert_str_eq(d->trace_id, "abcdef");
	ck_assert_str_eq(d->span_id, "span-x");
	check_str_or_null(d->parent_id, "12");
	ck_assert_ptr_null(d->kind);
	ck_assert_str_eq(d->status, "unset");
	ck_assert_int_eq(d->start_ns, SPAN_TIME_NONE);
	ck_assert_uint_eq(d->nlinks, 1);
	ck_assert_str_eq(d->links[0].trace_id, "aa");
	ck_assert_str_eq(d->links[0].span_id, "bb");
	check_kv(&d->links[0].attrs.v[0], "n", "1", NULL);
	check_kv(&d->resource.v[0], "session.id", "\"S\"", "S");
	span_detail_free(d);
}
END_TEST

START_TEST(invalid_json)
{
	static const char *const bad[] = {
		"", "   ", "not json", "{\"span_id\": ",
		"{\"span_id\": \"a\"} x",
		"{\"span_id\": \"a\", \"n\": 0123}", "{\"span_id\": nan}",
		"{\"span_id\": \"a\\x\"}", "{\"span_id\": \"a\" \"b\"}",
	};
	char *cause;
	size_t i;

	for (i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		cause = parse_fails(bad[i], strlen(bad[i]), 0);
		ck_assert_msg(strstr(cause, "JSON error") != NULL,
		    "%s: %s", bad[i], cause);
		free(cause);
	}
	cause = parse_fails("{\"span_id\": ", 12, 0);
	ck_assert_msg(strncmp(cause, "span detail: JSON error at column 12: ",
	    38) == 0, "%s", cause);
	free(cause);

	cause = parse_fails("[1, 2]", 6, 0);
	ck_assert_str_eq(cause, "span detail: line is not a JSON object");
	free(cause);
	cause = parse_fails("{\"name\": \"x\"}", 13, 0);
	ck_assert_str_eq(cause, "span detail: line is not a span (no span id)");
	free(cause);
	/* Only the given length is read. */
	cause = parse_fails("{\"span_id\": \"a\"}", 10, 0);
	free(cause);
}
END_TEST

static char *
nested(const char *prefix, size_t depth, const char *suffix)
{
	size_t np = strlen(prefix), ns = strlen(suffix);
	char *s = malloc(np + 2 * depth + ns + 1);

	ck_assert_ptr_nonnull(s);
	memcpy(s, prefix, np);
	memset(s + np, '[', depth);
	memset(s + np + depth, ']', depth);
	memcpy(s + np + 2 * depth, suffix, ns + 1);
	return s;
}

START_TEST(deep_nesting)
{
	struct span_detail *d;
	char *line, *cause;

	line = nested("", 100000, "");
	cause = parse_fails(line, strlen(line), 0);
	ck_assert_msg(strstr(cause, "depth") != NULL, "%s", cause);
	free(cause);
	free(line);

	line = nested("{\"span_id\": \"s\", \"attributes\": {\"a\": ", 100000,
	    "}}");
	cause = parse_fails(line, strlen(line), 0);
	ck_assert_msg(strstr(cause, "depth") != NULL, "%s", cause);
	free(cause);
	free(line);

	/* Just under jansson's limit: kept whole. */
	line = nested("{\"span_id\": \"s\", \"attributes\": {\"a\": ", 2000,
	    "}}");
	d = parse_ok(line, 0);
	ck_assert_uint_eq(d->attrs.n, 1);
	ck_assert_uint_eq(strlen(d->attrs.v[0].json), 4000);
	ck_assert(strspn(d->attrs.v[0].json, "[") == 2000);
	span_detail_free(d);
	free(line);
}
END_TEST

/* A deeply nested OTLP arrayValue decodes by recursion; it is bounded by
 * jansson's depth limit. */
START_TEST(deep_otlp_value)
{
	static const char head[] = "{\"resourceSpans\":[{\"scopeSpans\":"
	    "[{\"spans\":[{\"spanId\":\"s\",\"attributes\":[{\"key\":\"a\","
	    "\"value\":";
	static const char open[] = "{\"arrayValue\":{\"values\":[";
	struct span_detail *d;
	char *text = NULL;
	size_t len = 0;
	FILE *f;
	int i, depth;
	char *cause;

	for (depth = 600; depth <= 700; depth += 100) {
		f = open_memstream(&text, &len);
		ck_assert_ptr_nonnull(f);
		fputs(head, f);
		for (i = 0; i < depth; i++)
			fputs(open, f);
		fputs("{\"intValue\":\"1\"}", f);
		for (i = 0; i < depth; i++)
			fputs("]}}", f);
		fputs("}]}]}]}]}", f);
		fclose(f);
		if (depth == 600) {
			d = parse_ok(text, 0);
			ck_assert_uint_eq(strspn(d->attrs.v[0].json, "["), 600);
			ck_assert_int_eq(d->attrs.v[0].json[600], '1');
			ck_assert_uint_eq(strspn(d->attrs.v[0].json + 601,
			    "]"), 600);
			ck_assert_uint_eq(strlen(d->attrs.v[0].json), 1201);
			span_detail_free(d);
		} else {
			cause = parse_fails(text, len, 0);
			free(cause);
		}
		free(text);
	}
}
END_TEST

START_TEST(output_round_trip)
{
	struct span_detail *d;
	char *json;

	d = parse_ok(otlp_types, 0);
	json = kv_list_to_json(&d->attrs);
	/* Duplicate "s": jansson keeps the last. */
	check_json_text(json, "{\"s\":\"again\",\"i\":-42,\"n\":7,"
	    "\"big\":\"123456789012345678901234567890\","
	    "\"bigbare\":\"123456789012345678901234567890\",\"d\":2.5,"
	    "\"dn\":\"NaN\",\"dbare\":\"NaN\",\"di\":\"-Infinity\",\"b\":false,"
	    "\"arr\":[\"a\",1,[true],{\"k\":0.5}],\"kv\":{\"x\":3,\"y\":[]},"
	    "\"bytes\":\"aGVsbG8=\",\"empty\":null,\"nul\":\"a\xef\xbf\xbd" "b\"}");
	free(json);
	json = span_detail_events_json(d);
	ck_assert_str_eq(json, "[]");
	free(json);
	span_detail_free(d);

	d = parse_file_line("otlp.jsonl", 0, 0);
	json = span_detail_events_json(d);
	check_json_text(json, "[{\"name\":\"human_input_signal_received\","
	    "\"timestamp\":\"2026-11-22T03:14:52.267216Z\","
	    "\"attributes\":{\"signal_name\":\"abc\","
	    "\"timeout_seconds\":300}}]");
	free(json);
	span_detail_free(d);
}
END_TEST

START_TEST(event_times)
{
	static const char line[] = "{\"span_id\": \"s\", \"events\": ["
	    "{\"name\": \"a\", \"timestamp\": \"1969-12-31T23:59:59.999999Z\"},"
	    "{\"name\": \"b\", \"timestamp\": \"garbage\"},"
	    "{\"name\": \"c\", \"timeUnixNano\": 1500},"
	    "{\"timestamp\": \"2025-01-01T12:00:00\"}, 7]}";
	struct span_detail *d;
	char *json;

	d = parse_ok(line, 0);
	ck_assert_uint_eq(d->nevents, 4);
	ck_assert_int_eq(d->events[0].time_ns, -1000);
	ck_assert_int_eq(d->events[1].time_ns, SPAN_TIME_NONE);
	ck_assert_int_eq(d->events[2].time_ns, 1500);
	ck_assert_str_eq(d->events[3].name, "");
	ck_assert_int_eq(d->events[3].time_ns, FLAT_NOON);
	json = span_detail_events_json(d);
	ck_assert_str_eq(json, "["
	    "{\"name\":\"a\",\"timestamp\":\"1969-12-31T23:59:59.999999Z\","
	    "\"attributes\":{}},"
	    "{\"name\":\"b\",\"timestamp\":null,\"attributes\":{}},"
	    "{\"name\":\"c\",\"timestamp\":\"1970-01-01T00:00:00.000001Z\","
	    "\"attributes\":{}},"
	    "{\"name\":\"\",\"timestamp\":\"2025-01-01T12:00:00.000000Z\","
	    "\"attributes\":{}}]");
	free(json);
	span_detail_free(d);
}
END_TEST

START_TEST(free_null)
{
	span_detail_free(NULL);
}
END_TEST

/* jansson refuses \u0000 in an object key even with JSON_ALLOW_NUL; the
 * pre-pass makes it U+FFFD there, as everywhere (span_parse.h, "Text"),
 * and leaves an escaped backslash before "u0000" alone. */
START_TEST(nul_in_keys)
{
	struct span_detail *d;

	d = parse_ok("{\"span_id\":\"a\",\"attributes\":{\"k\\u0000\\\\u0000\" :"
	    " \"v\\u0000w\", \"l\": [\"\\u0000\", \":\"]}}", 0);
	ck_assert_uint_eq(d->attrs.n, 2);
	check_kv(&d->attrs.v[0], "k\xef\xbf\xbd\\u0000", "\"v\xef\xbf\xbdw\"", "v\xef\xbf\xbdw");
	check_kv(&d->attrs.v[1], "l", "[\"\xef\xbf\xbd\",\":\"]", NULL);
	span_detail_free(d);
}
END_TEST

static Suite *
detail_suite(void)
{
	Suite *s = suite_create("span_detail");
	TCase *tc = tcase_create("core");

	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, sdk_lines);
	tcase_add_test(tc, real_overflow);
	tcase_add_test(tc, otlp_lines);
	tcase_add_test(tc, no_such_span);
	tcase_add_test(tc, flat_lines);
	tcase_add_test(tc, crlf_line);
	tcase_add_test(tc, python_specials);
	tcase_add_test(tc, reals_shortest);
	tcase_add_test(tc, otlp_values);
	tcase_add_test(tc, strings_odd);
	tcase_add_test(tc, nul_in_keys);
	tcase_add_test(tc, ids_normalised);
	tcase_add_test(tc, invalid_json);
	tcase_add_test(tc, deep_nesting);
	tcase_add_test(tc, deep_otlp_value);
	tcase_add_test(tc, output_round_trip);
	tcase_add_test(tc, event_times);
	tcase_add_test(tc, free_null);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	return check_main(detail_suite, "test_detail", NULL);
}
