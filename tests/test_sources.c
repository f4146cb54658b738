/* SPDX-License-Identifier: MIT */
/* test_sources.c — several sources at once (sources.c): short names and
 * a session id resolved across them. */
#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "check_main.h"
#include "sources.h"
#include "xmalloc.h"

/* Labels of sources given as "kind:where" (d: dir, f: file, u: URL, s: stdin). */
static char **
labels_of(const char *const *spec, size_t n)
{
	struct source *src = xcalloc(n, sizeof *src);
	char **labels = xcalloc(n, sizeof *labels);
	size_t i;

	for (i = 0; i < n; i++) {
		src[i].kind = spec[i][0] == 'd' ? SOURCE_DIR : spec[i][0] == 'f' ?
		    SOURCE_FILE : spec[i][0] == 'u' ? SOURCE_URL : SOURCE_STDIN;
		src[i].where = (char *)spec[i] + 2;
	}
	sources_labels(src, n, labels);
	free(src);
	return labels;
}

static void
labels_free(char **labels, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		free(labels[i]);
	free(labels);
}

START_TEST(test_labels_short)
{
	const char *spec[] = { "d:/home/me/.mcp_traces", "u:http://127.0.0.1:7801",
	    "u:https://user@inspector.example.com/_inspector", "f:runs/a.jsonl.gz",
	    "s:-", "d:data", "d:/" };
	char **l = labels_of(spec, 7);

	ck_assert_str_eq(l[0], ".mcp_traces");
	ck_assert_str_eq(l[1], "127.0.0.1:7801");
	ck_assert_str_eq(l[2], "inspector.example.com");
	ck_assert_str_eq(l[3], "a.jsonl.gz");
	ck_assert_str_eq(l[4], "stdin");
	ck_assert_str_eq(l[5], "data");
	ck_assert_str_eq(l[6], "/");
	labels_free(l, 7);
}
END_TEST

/* Directories that end alike get their parents back until they differ. */
START_TEST(test_labels_differ)
{
	const char *spec[] = { "d:/srv/a/traces", "d:/srv/b/traces", "d:/x/y/z",
	    "d:traces" };
	char **l = labels_of(spec, 4);

	ck_assert_str_eq(l[0], "a/traces");
	ck_assert_str_eq(l[1], "b/traces");
	ck_assert_str_eq(l[2], "z");
	/* Whole, and still like the others' ends: as given. */
	ck_assert_str_eq(l[3], "traces");
	labels_free(l, 4);
}
END_TEST

START_TEST(test_labels_whole_and_long)
{
	const char *spec[] = { "d:/a/traces", "d:/b/a/traces",
	    "d:/very/long/path/a-directory-name-longer-than-twenty-four" };
	char **l = labels_of(spec, 3);

	ck_assert_str_eq(l[0], "/a/traces");
	/* Told apart from the whole /a/traces by its missing root. */
	ck_assert_str_eq(l[1], "a/traces");
	ck_assert_uint_eq(strlen(l[2]), SOURCES_LABEL_MAX);
	ck_assert_str_eq(l[2], "...nger-than-twenty-four");
	labels_free(l, 3);
}
END_TEST

START_TEST(test_labels_utf8_cut)
{
	/* 30 two-byte characters: the cut keeps whole characters. */
	char where[2 + 61];
	const char *spec[1] = { where };
	char **l;
	int i;

	memcpy(where, "d:", 2);
	for (i = 0; i < 30; i++)
		memcpy(where + 2 + i * 2, "\xc3\xa9", 2);
	where[62] = '\0';
	l = labels_of(spec, 1);
	ck_assert_int_eq(strncmp(l[0], "...", 3), 0);
	ck_assert_int_eq((unsigned char)l[0][3], 0xc3);
	ck_assert_uint_le(strlen(l[0]), SOURCES_LABEL_MAX);
	labels_free(l, 1);
}
END_TEST

static const struct sources_cand cands[] = {
	{ "alpha-1", 0, 100 }, { "alpha-2", 0, 300 }, { "beta", 1, 200 },
	{ "alpha-1", 1, 50 }, { "gamma", 2, 400 },
};
#define NCANDS (sizeof cands / sizeof cands[0])

START_TEST(test_match_unique)
{
	size_t *m, n;

	n = sources_match(cands, NCANDS, "beta", &m);
	ck_assert_uint_eq(n, 1);
	ck_assert_uint_eq(m[0], 2);
	free(m);
	/* A unique prefix, in whichever source. */
	n = sources_match(cands, NCANDS, "gam", &m);
	ck_assert_uint_eq(n, 1);
	ck_assert_uint_eq(cands[m[0]].source, 2);
	free(m);
	n = sources_match(cands, NCANDS, "delta", &m);
	ck_assert_uint_eq(n, 0);
	ck_assert_ptr_null(m);
}
END_TEST

START_TEST(test_match_ambiguous)
{
	size_t *m, n;

	/* The same id in two sources: both, in their order. */
	n = sources_match(cands, NCANDS, "alpha-1", &m);
	ck_assert_uint_eq(n, 2);
	ck_assert_uint_eq(m[0], 0);
	ck_assert_uint_eq(m[1], 3);
	free(m);
	/* An exact match beats prefixes of it ("alpha-2" begins "alpha-2"
	 * only, so the prefix "alpha" names three). */
	n = sources_match(cands, NCANDS, "alpha", &m);
	ck_assert_uint_eq(n, 3);
	free(m);
	n = sources_match(cands, NCANDS, "alpha-2", &m);
	ck_assert_uint_eq(n, 1);
	ck_assert_uint_eq(m[0], 1);
	free(m);
}
END_TEST

START_TEST(test_match_newest)
{
	size_t *m, n;

	n = sources_match(cands, NCANDS, NULL, &m);
	ck_assert_uint_eq(n, 1);
	ck_assert_str_eq(cands[m[0]].id, "gamma");
	free(m);
	n = sources_match(cands, 0, NULL, &m);
	ck_assert_uint_eq(n, 0);
	ck_assert_ptr_null(m);
}
END_TEST

static Suite *
sources_suite(void)
{
	Suite *s = suite_create("sources");
	TCase *tc = tcase_create("core");

	tcase_add_test(tc, test_labels_short);
	tcase_add_test(tc, test_labels_differ);
	tcase_add_test(tc, test_labels_whole_and_long);
	tcase_add_test(tc, test_labels_utf8_cut);
	tcase_add_test(tc, test_match_unique);
	tcase_add_test(tc, test_match_ambiguous);
	tcase_add_test(tc, test_match_newest);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	return check_main(sources_suite, "test_sources", NULL);
}
