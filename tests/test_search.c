/* SPDX-License-Identifier: MIT */
/*
 * test_search.c — the tree search (spansearch.c): the file pass and the
 * span-by-span path give the same answers, and both are what the search
 * always was (strcasestr on name, label, id and the raw line), on data/,
 * tests/formats and a gzip file long enough to have access points inside
 * its member; text_find and text_fold, the one rule.
 */
#include <check.h>
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <zlib.h>

#include "check_main.h"
#include "session.h"
#include "source.h"
#include "spansearch.h"
#include "text.h"
#include "trace.h"

static const char *const needles[] = {
	"error", "McpError", "call_tool", "ANTHROPIC", "\"status\"", "0x", "span",
	"zz-nothing-zz", "12", "\xc3\xa9", "Tool", "e", NULL,
};

/* What the search found before spansearch.c: strcasestr, C locale. */
static bool
reference(struct session *s, uint32_t i, const char *text)
{
	struct trace *tr = session_trace(s);
	const struct span *sp = trace_span(tr, i);
	char *line, *cause = NULL;
	bool found;

	if (strcasestr(trace_str(tr, sp->name), text) != NULL ||
	    strcasestr(trace_str(tr, sp->label), text) != NULL ||
	    strcasestr(trace_str(tr, sp->id), text) != NULL)
		return true;
	if ((line = session_span_line(s, i, &cause)) == NULL) {
		free(cause);
		return false;
	}
	found = strcasestr(line, text) != NULL;
	free(line);
	return found;
}

/* Every needle: the file pass (in slices as short as they come), the
 * span-by-span path and the reference agree on every span.  Returns the
 * matches found. */
static uint32_t
check_session(struct session *s)
{
	struct spansearch *fast, *alone;
	uint32_t i, n = trace_count(session_trace(s)), hits = 0;
	size_t k;
	bool ref;

	for (k = 0; needles[k] != NULL; k++) {
		fast = spansearch_new(s, needles[k]);
		alone = spansearch_new(s, needles[k]);
		ck_assert_uint_eq(spansearch_count(fast), n);
		/* A deadline already past: one read a call. */
		while (spansearch_work(fast, 0))
			continue;
		ck_assert_uint_eq(spansearch_known(fast), n);
		for (i = 0; i < n; i++) {
			ref = reference(s, i, needles[k]);
			ck_assert_msg(spansearch_get(fast, i) == (ref ? SPANSEARCH_YES : SPANSEARCH_NO),
			    "file pass: span %u, '%s': %d, reference %d", i, needles[k],
			    spansearch_get(fast, i), ref);
			ck_assert_msg(spansearch_span(alone, i) == (ref ? SPANSEARCH_YES : SPANSEARCH_NO),
			    "span alone: span %u, '%s'", i, needles[k]);
			hits += ref;
		}
		spansearch_free(fast);
		spansearch_free(alone);
	}
	return hits;
}

static struct session *
load(char **files, size_t nfiles)
{
	struct session_ref r;
	struct session *s;

	memset(&r, 0, sizeof r);
	r.id = (char *)"search";
	r.files = files;
	r.nfiles = nfiles;
	s = session_new(&r);
	while (session_read(s, 1 << 20) == 1)
		continue;
	session_finish(s);
	return s;
}

START_TEST(test_data)
{
	struct source src;
	struct session_ref *refs;
	struct session *s;
	size_t n, k;
	uint32_t hits = 0;
	char *cause = NULL;

	ck_assert_int_eq(source_init(&src, DATA_DIR, &cause), 0);
	ck_assert_int_eq(source_scan(&src, &refs, &n, &cause), 0);
	ck_assert_uint_ge(n, 9);
	for (k = 0; k < n; k++) {
		s = session_new(&refs[k]);
		while (session_read(s, 1 << 20) == 1)
			continue;
		session_finish(s);
		hits += check_session(s);
		session_free(s);
	}
	ck_assert_uint_gt(hits, 500);
	session_refs_free(refs, n);
	source_clear(&src);
}
END_TEST

/* The three line formats (OTLP lines hold several spans each). */
START_TEST(test_formats)
{
	static const char *const names[] = { "inspector-flat.jsonl",
		"otel-sdk-to_json.jsonl", "otlp.jsonl" };
	struct session *s;
	char path[1024], *files[1] = { path };
	size_t k;

	for (k = 0; k < sizeof names / sizeof names[0]; k++) {
		snprintf(path, sizeof path, "%s/%s", FORMATS_DIR, names[k]);
		s = load(files, 1);
		ck_assert_uint_gt(trace_count(session_trace(s)), 0);
		check_session(s);
		session_free(s);
	}
}
END_TEST

/* Two files, the first one gzip in one member long enough (~9 MB) to
 * have access points inside it, the second plain: windows run across
 * points and start again in the next file. */
START_TEST(test_long_member)
{
	static const char line[] = "{\"trace_id\": \"12345678901234567890123456789012\", "
	    "\"span_id\": \"%016x\", \"name\": \"step %u\", \"start_time\": "
	    "\"2025-01-01T12:00:00.000000Z\", \"end_time\": \"2025-01-01T12:00:01.000000Z\", "
	    "\"attributes\": {\"session.id\": \"s1\", \"mcp.tool.result\": \"%s %s\"}}\n";
	char dir[] = "/tmp/test_search.XXXXXX", gzpath[1100], plain[1100], *files[2];
	char filler[600], text[2048];
	struct session *s;
	gzFile gz;
	FILE *f;
	unsigned i;

	ck_assert_ptr_nonnull(mkdtemp(dir));
	snprintf(gzpath, sizeof gzpath, "%s/a.jsonl.gz", dir);
	snprintf(plain, sizeof plain, "%s/b.jsonl", dir);
	memset(filler, 'x', sizeof filler - 1);
	filler[sizeof filler - 1] = '\0';
	ck_assert_ptr_nonnull(gz = gzopen(gzpath, "wb"));
	for (i = 0; i < 12000; i++) {
		snprintf(text, sizeof text, line, i + 1, i, filler,
		    i % 997 == 0 ? "Needle-In-Value" : i % 3 == 0 ? "call_tool" : "ok");
		gzputs(gz, text);
	}
	gzclose(gz);
	ck_assert_ptr_nonnull(f = fopen(plain, "w"));
	for (i = 0; i < 50; i++)
		fprintf(f, line, 100000 + i, 100000 + i, "short", i == 7 ? "NEEDLE-in-value" : "ok");
	fclose(f);
	files[0] = gzpath;
	files[1] = plain;
	s = load(files, 2);
	ck_assert_uint_eq(trace_count(session_trace(s)), 12050);
	check_session(s);
	{
		struct spansearch *ss = spansearch_new(s, "needle-in-VALUE");
		uint32_t k, hits = 0;

		while (spansearch_work(ss, 0))
			continue;
		for (k = 0; k < 12050; k++)
			hits += spansearch_get(ss, k) == SPANSEARCH_YES;
		ck_assert_uint_eq(hits, 13 + 1);
		spansearch_free(ss);
	}
	session_free(s);
	unlink(gzpath);
	unlink(plain);
	rmdir(dir);
}
END_TEST

START_TEST(test_rule)
{
	char b[300], c[300];
	size_t at = 99, i, n;

	ck_assert(text_find("an McpError here", 16, "mcperror", 8, &at));
	ck_assert_uint_eq(at, 3);
	ck_assert(text_find("ABC", 3, "abc", 3, NULL));
	ck_assert(!text_find("ab", 2, "abc", 3, NULL));
	ck_assert(!text_find("abc", 3, "", 0, NULL));
	/* Only ASCII letters fold: É is not é, '[' is not '{'. */
	ck_assert(!text_find("caf\xc3\x89", 5, "caf\xc3\xa9", 5, NULL));
	ck_assert(!text_find("[", 1, "{", 1, NULL));
	ck_assert(text_find("x\xc3\xa9y", 4, "\xc3\xa9Y", 3, &at));
	ck_assert_uint_eq(at, 1);
	/* text_fold, eight bytes at a time, against the plain rule. */
	for (n = 0; n < sizeof b; n++) {
		for (i = 0; i < n; i++)
			b[i] = c[i] = (char)((i * 37 + n) & 0xff);
		text_fold(b, n);
		for (i = 0; i < n; i++) {
			unsigned char x = (unsigned char)c[i];

			ck_assert_int_eq((unsigned char)b[i], x >= 'A' && x <= 'Z' ? x + 32 : x);
		}
	}
}
END_TEST

static Suite *
search_suite(void)
{
	Suite *s = suite_create("search");
	TCase *tc = tcase_create("agree");

	tcase_set_timeout(tc, 120);
	tcase_add_test(tc, test_rule);
	tcase_add_test(tc, test_formats);
	tcase_add_test(tc, test_long_member);
	tcase_add_test(tc, test_data);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	return check_main(search_suite, "test_search", NULL);
}
