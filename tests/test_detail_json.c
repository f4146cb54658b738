/* SPDX-License-Identifier: MIT */
/*
 * test_detail_json.c — detail_json_write against the jansson path: for
 * every line of the sample traces and for the odd lines below, what it
 * writes is byte for byte what detail_json_fields writes from
 * span_detail_parse, and what it is not sure of it declines.
 */
#include <check.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>

#include "buf.h"
#include "check_main.h"
#include "detail_json.h"
#include "jscan.h"
#include "span_detail.h"

#ifndef FORMATS_DIR
#define FORMATS_DIR "tests/formats"
#endif
#ifndef DATA_DIR
#define DATA_DIR "data"
#endif

/* Compare both paths on span index of line; true when the fast one
 * wrote it (and then it must equal the jansson one). */
static bool
same(const char *line, unsigned index)
{
	struct jarena *arena = jarena_new();
	struct buf fast = BUF_INIT, slow = BUF_INIT;
	struct span_detail *d;
	char *cause = NULL;
	int r;

	buf_adds(&fast, "head");
	r = detail_json_write(&fast, line, strlen(line), index, arena);
	d = span_detail_parse(line, strlen(line), index, &cause);
	if (r == 0) {
		ck_assert_msg(d != NULL, "fast path wrote a line jansson "
		    "refuses (%s): %s", cause, line);
		buf_adds(&slow, "head");
		detail_json_fields(&slow, d);
		ck_assert_msg(strcmp(fast.p, slow.p) == 0,
		    "line %s\nfast %s\nslow %s", line, fast.p, slow.p);
	} else
		ck_assert_str_eq(fast.p, "head"); /* left as it was */
	span_detail_free(d);
	free(cause);
	buf_free(&fast);
	buf_free(&slow);
	jarena_free(arena);
	return r == 0;
}

/* Every line of a file (gzip or not), spans 0..3 of each. */
static void
same_file(const char *dir, const char *name, size_t *written)
{
	char path[1024];
	struct buf line = BUF_INIT;
	char chunk[65536];
	size_t n;
	gzFile f;
	unsigned i;

	snprintf(path, sizeof path, "%s/%s", dir, name);
	f = gzopen(path, "rb");
	ck_assert_msg(f != NULL, "cannot open %s", path);
	for (;;) {
		buf_reset(&line);
		while (gzgets(f, chunk, sizeof chunk) != NULL) {
			buf_adds(&line, chunk);
			if (line.len > 0 && line.p[line.len - 1] == '\n')
				break;
		}
		if (line.len == 0)
			break;
		if (line.p[line.len - 1] == '\n')
			line.p[--line.len] = '\0';
		for (i = 0; i < 4; i++)
			*written += same(line.p, i);
	}
	gzclose(f);
	buf_free(&line);
	(void)n;
}

START_TEST(sample_files)
{
	static const char *const formats[] = { "otel-sdk-to_json.jsonl",
		"inspector-flat.jsonl", "otlp.jsonl", NULL };
	static const char *const data[] = { "edge-cases.jsonl",
		"flat-layout.jsonl", "orchestrator-completed.jsonl.gz",
		"otlp-export.jsonl", "refund-paused.jsonl.gz",
		"research-running.jsonl.gz", "rotated-parallel.jsonl.gz",
		"router-failed.jsonl.gz", "truncated-state.jsonl.gz", NULL };
	size_t written = 0;
	int i;

	for (i = 0; formats[i] != NULL; i++)
		same_file(FORMATS_DIR, formats[i], &written);
	for (i = 0; data[i] != NULL; i++)
		same_file(DATA_DIR, data[i], &written);
	/* The SDK and flat lines are the fast path's own. */
	ck_assert_uint_gt(written, 100);
}
END_TEST

#define SPAN(rest) "{\"name\":\"n\",\"context\":{\"span_id\":\"0xAB\"}" rest "}"

START_TEST(written_directly)
{
	static const char *const lines[] = {
		SPAN(",\"attributes\":{\"a\":1,\"b\":\"x\",\"c\":[true,false,null]}"),
		SPAN(",\"attributes\":{\"a\":1},\"attributes\":{\"z\":2}"),
		SPAN(",\"attributes\":{\"r\":0.7,\"big\":1e999,\"nan\":NaN,"
		    "\"inf\":-Infinity,\"i\":123456789012345678901234,\"z\":-0,"
		    "\"f\":-0.0,\"e\":1E2}"),
		SPAN(",\"attributes\":{\"s\":\"a\\u0000b\\ud800c\\u00e9\\/\\\"\","
		    "\"k\\u0000\":\"\\u001b[31m\"}"),
		SPAN(",\"attributes\":{\"o\":{\"x\":{\"y\":[1,{\"z\":\"w\"}]}}}"),
		SPAN(",\"status\":{\"status_code\":\"ERROR\",\"description\":\"boom\"}"),
		SPAN(",\"status\":{\"description\":\"\",\"message\":\"m\"}"),
		SPAN(",\"status\":{\"message\":\"m\"}"),
		SPAN(",\"status\":{\"description\":5,\"message\":\"m\"}"),
		SPAN(",\"status\":\"ERROR\""),
		SPAN(",\"events\":[1,{\"name\":\"e\",\"timestamp\":"
		    "\"2025-01-01T00:00:00.5Z\",\"attributes\":{\"q\":1}},"
		    "{\"timeUnixNano\":1735689600000000001},"
		    "{\"timeUnixNano\":\"1735689600000000002\"},"
		    "{\"timeUnixNano\":123456789012345678901234},"
		    "{\"name\":7,\"timeUnixNano\":1.5,\"attributes\":[]}]"),
		SPAN(",\"events\":{}"),
		SPAN(",\"resource\":{\"attributes\":{\"service.name\":\"s\"}}"),
		SPAN(",\"resource\":[1]"),
		SPAN(",\"attributes\":\"none\""),
		SPAN(",\"attributes\":[]"),
		"{\"span_id\":\"1\",\"attributes\":{\"a\":1}}",
		"{\"spanId\":\"0X1\",\"context\":{\"span_id\":\"\"}}",
		" {\"span_id\":\"1\"} \r",
		NULL
	};
	int i;

	for (i = 0; lines[i] != NULL; i++)
		ck_assert_msg(same(lines[i], 0), "declined: %s", lines[i]);
}
END_TEST

START_TEST(left_to_jansson)
{
	static const char *const lines[] = {
		/* A repeated key keeps its first place in jansson. */
		SPAN(",\"attributes\":{\"a\":1,\"b\":2,\"a\":3}"),
		SPAN(",\"attributes\":{\"o\":{\"x\":1,\"x\":2}}"),
		/* OTLP lists, OTLP lines. */
		SPAN(",\"attributes\":[{\"key\":\"a\",\"value\":{\"intValue\":\"5\"}}]"),
		"{\"resourceSpans\":[]}",
		/* Not a span, not JSON, not an object. */
		"{\"name\":\"n\"}",
		"{\"span_id\":\"0x\"}",
		SPAN(",\"attributes\":{\"a\":}"),
		SPAN(" x"),
		"[1]",
		"{\"span_id\":\"1\",\"attributes\":{\"bad\":\"\xff\"}}",
		NULL
	};
	int i;

	for (i = 0; lines[i] != NULL; i++)
		ck_assert_msg(!same(lines[i], 0), "written: %s", lines[i]);
	/* Only OTLP lines hold a second span. */
	ck_assert(!same(SPAN(""), 1));
}
END_TEST

/* Deeper than jansson goes: declined, so jansson's error is the one. */
START_TEST(deep_nesting)
{
	struct buf b = BUF_INIT;
	int i;

	buf_adds(&b, "{\"span_id\":\"1\",\"attributes\":{\"a\":");
	for (i = 0; i < 3000; i++)
		buf_addc(&b, '[');
	for (i = 0; i < 3000; i++)
		buf_addc(&b, ']');
	buf_adds(&b, "}}");
	ck_assert(!same(b.p, 0));
	buf_free(&b);
}
END_TEST

static Suite *
detail_json_suite(void)
{
	Suite *s = suite_create("detail_json");
	TCase *tc = tcase_create("core");

	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, sample_files);
	tcase_add_test(tc, written_directly);
	tcase_add_test(tc, left_to_jansson);
	tcase_add_test(tc, deep_nesting);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	return check_main(detail_json_suite, "test_detail_json", NULL);
}
