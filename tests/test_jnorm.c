/* SPDX-License-Identifier: MIT */
/*
 * test_jnorm.c — unit tests for jnorm.c, the pre-pass before jansson:
 * each rewrite, what it leaves alone, and that jansson then reads it.
 */
#include <check.h>
#include <jansson.h>
#include <stdlib.h>
#include <string.h>

#include "check_main.h"
#include "buf.h"
#include "jnorm.h"
#include "jscan.h"

/* Normalise in and return a copy of the result (caller frees). */
static char *
norm(const char *in, unsigned flags)
{
	struct buf out = BUF_INIT;
	const char *s;
	char *copy;
	size_t n;

	s = jnorm_text(in, strlen(in), flags, &out, &n);
	copy = malloc(n + 1);
	ck_assert_ptr_nonnull(copy);
	memcpy(copy, s, n);
	copy[n] = '\0';
	buf_free(&out);
	return copy;
}

#define CHECK_NORM(in, flags, want) do {				\
	char *got_ = norm((in), (flags));				\
	ck_assert_str_eq(got_, (want));					\
	free(got_);							\
} while (0)

/* jansson reads the normalised text. */
static void
check_loads(const char *in, unsigned flags)
{
	char *s = norm(in, flags);
	json_error_t e;
	json_t *v;

	v = json_loadb(s, strlen(s), JSON_DECODE_ANY | JSON_ALLOW_NUL, &e);
	ck_assert_msg(v != NULL, "%s: %s", in, e.text);
	json_decref(v);
	free(s);
}

START_TEST(test_untouched_is_not_copied)
{
	const char *in = "{\"a\": [1, 2.5, -3e10, true, null, \"NaN\"]}";
	struct buf out = BUF_INIT;
	size_t n;

	ck_assert_ptr_eq(jnorm_text(in, strlen(in), JNORM_TEXT, &out, &n), in);
	ck_assert_uint_eq(n, strlen(in));
	ck_assert_uint_eq(out.len, 0);
	ck_assert_ptr_eq(jnorm_text("", 0, JNORM_TEXT, &out, &n), "");
	ck_assert_uint_eq(n, 0);
	buf_free(&out);
}
END_TEST

START_TEST(test_python_floats)
{
	CHECK_NORM("[NaN, Infinity, -Infinity]", JNORM_TEXT,
	    "[\"NaN\", \"Infinity\", \"-Infinity\"]");
	CHECK_NORM("{\"a\":NaN,\"b\":{\"c\":-Infinity}}", JNORM_TEXT,
	    "{\"a\":\"NaN\",\"b\":{\"c\":\"-Infinity\"}}");
	CHECK_NORM("NaN", JNORM_TEXT, "\"NaN\"");
	check_loads("[NaN, Infinity, -Infinity]", JNORM_TEXT);
}
END_TEST

START_TEST(test_big_integers)
{
	CHECK_NORM("[9223372036854775807, -9223372036854775808]", JNORM_TEXT,
	    "[9223372036854775807, -9223372036854775808]");
	CHECK_NORM("[9223372036854775808, -9223372036854775809]", JNORM_TEXT,
	    "[\"9223372036854775808\", \"-9223372036854775809\"]");
	CHECK_NORM("{\"n\": 123456789012345678901234567890}", JNORM_TEXT,
	    "{\"n\": \"123456789012345678901234567890\"}");
	check_loads("[123456789012345678901234567890]", JNORM_TEXT);
}
END_TEST

/* A real beyond a double is kept as written, like a big integer; one
 * that only underflows, or rounds down to DBL_MAX, is a number. */
START_TEST(test_real_overflow)
{
	CHECK_NORM("[1e999, -1E+400, 1.5e309, 0.1e310]", JNORM_TEXT,
	    "[\"1e999\", \"-1E+400\", \"1.5e309\", \"0.1e310\"]");
	CHECK_NORM("[1e99999999999999999999999]", JNORM_TEXT,
	    "[\"1e99999999999999999999999\"]");
	CHECK_NORM("[1.8e308, 17976931348623159e292]", JNORM_TEXT,
	    "[\"1.8e308\", \"17976931348623159e292\"]");
	CHECK_NORM("[1.7976931348623157e308, 179769313486231570e291]",
	    JNORM_TEXT, "[1.7976931348623157e308, 179769313486231570e291]");
	CHECK_NORM("[1e308, 0.000001e313, 1e-999, 0e999, 0.0E+99999, -0.0]",
	    JNORM_TEXT,
	    "[1e308, 0.000001e313, 1e-999, 0e999, 0.0E+99999, -0.0]");
	CHECK_NORM("[1234.5e305, 12345.6e305]", JNORM_TEXT,
	    "[1234.5e305, \"12345.6e305\"]");
	check_loads("{\"a\": 1e999, \"b\": [-1e999]}", JNORM_TEXT);
}
END_TEST

START_TEST(test_number_fits)
{
	static const struct {
		const char *text;
		bool fits;
	} cases[] = {
		{ "0", true }, { "-9223372036854775808", true },
		{ "9223372036854775808", false }, { "NaN", false },
		{ "-Infinity", false }, { "2.5", true }, { "1e308", true },
		{ "1e309", false }, { "-1e309", false }, { "1e-400", true },
		{ "0.00000000000000000000000000000000000001e340", true },
		{ "0.0000000000000000000000000000000000001e346", false },
	};
	struct jscan js;
	struct jnum num;
	size_t i;

	for (i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		jscan_init(&js, cases[i].text, strlen(cases[i].text), NULL);
		ck_assert_int_eq(jscan_number(&js, &num), 0);
		ck_assert_msg(jnorm_number_fits(&num) == cases[i].fits,
		    "%s", cases[i].text);
	}
}
END_TEST

/* Strings and keys are never numbers; garbage stays garbage. */
START_TEST(test_left_alone)
{
	CHECK_NORM("[\"say NaN 99999999999999999999\", \"\\\"NaN\"]",
	    JNORM_TEXT, "[\"say NaN 99999999999999999999\", \"\\\"NaN\"]");
	CHECK_NORM("{NaN: 1, 99999999999999999999 : 2}", JNORM_TEXT,
	    "{NaN: 1, 99999999999999999999 : 2}");
	CHECK_NORM("[NaNa, -NaN, nan, Inf, 01, 1e999x, 0x10, +1]",
	    JNORM_TEXT, "[NaNa, -NaN, nan, Inf, 01, 1e999x, 0x10, +1]");
	CHECK_NORM("{\"a\": NaN", JNORM_TEXT, "{\"a\": \"NaN\"");
	CHECK_NORM("[\"unterminated NaN", JNORM_TEXT, "[\"unterminated NaN");
}
END_TEST

START_TEST(test_text_rewrites)
{
	/* \u0000, in keys too, and lone surrogates become U+FFFD. */
	CHECK_NORM("{\"k\\u0000\": \"a\\u0000b\"}", JNORM_TEXT,
	    "{\"k\\ufffd\": \"a\\ufffdb\"}");
	CHECK_NORM("[\"a\\ud800b\", \"\\udc00\", \"\\ud800\\u0041\"]",
	    JNORM_TEXT, "[\"a\\ufffdb\", \"\\ufffd\", \"\\ufffd\\u0041\"]");
	/* A pair stays; an escaped backslash before u0000 is not an escape. */
	CHECK_NORM("[\"\\ud83d\\ude00\", \"\\\\u0000\"]", JNORM_TEXT,
	    "[\"\\ud83d\\ude00\", \"\\\\u0000\"]");
	/* Each byte that does not start valid UTF-8 becomes U+FFFD. */
	CHECK_NORM("[\"a\xff" "b\xe6\x97\", \"\xe6\x97\xa5\"]", JNORM_TEXT,
	    "[\"a\xef\xbf\xbd" "b\xef\xbf\xbd\xef\xbf\xbd\", \"\xe6\x97\xa5\"]");
	check_loads("{\"k\\u0000\": \"\\ud800\xff\"}", JNORM_TEXT);
	/* Without JNORM_TEXT strings are copied as they are. */
	CHECK_NORM("[\"a\\u0000\\ud800\xff\"]", 0,
	    "[\"a\\u0000\\ud800\xff\"]");
}
END_TEST

START_TEST(test_mark_numbers)
{
	CHECK_NORM("[1, -2.50, NaN, 1e999, true, \"x\"]", JNORM_MARK_NUMBERS,
	    "[\"\\u0000n1\", \"\\u0000n-2.50\", \"\\u0000nNaN\","
	    " \"\\u0000n1e999\", true, \"x\"]");
	/* A real string starting with \u0000 is marked so it cannot pass
	 * for a number. */
	CHECK_NORM("[\"\\u0000n1\", \"\\u0000\"]", JNORM_MARK_NUMBERS,
	    "[\"\\u0000s\\u0000n1\", \"\\u0000s\\u0000\"]");
	CHECK_NORM("{1: 2}", JNORM_MARK_NUMBERS, "{1: \"\\u0000n2\"}");
	check_loads("{\"a\": [1, NaN, 123456789012345678901234567890]}",
	    JNORM_MARK_NUMBERS);
}
END_TEST

START_TEST(test_source_offset)
{
	const char *in = "[1, \"ab\", NaN]";
	size_t n = strlen(in);

	/* Copied pieces map exactly; in a rewritten one ("NaN" → "\"NaN\"",
	 * output bytes 10..15) as far as the input goes, then to its end. */
	ck_assert_uint_eq(jnorm_source_offset(in, n, JNORM_TEXT, 0), 0);
	ck_assert_uint_eq(jnorm_source_offset(in, n, JNORM_TEXT, 5), 5);
	ck_assert_uint_eq(jnorm_source_offset(in, n, JNORM_TEXT, 10), 10);
	ck_assert_uint_eq(jnorm_source_offset(in, n, JNORM_TEXT, 12), 12);
	ck_assert_uint_eq(jnorm_source_offset(in, n, JNORM_TEXT, 14), 13);
	ck_assert_uint_eq(jnorm_source_offset(in, n, JNORM_TEXT, 15), 13);
	ck_assert_uint_eq(jnorm_source_offset(in, n, JNORM_TEXT, 99), n);
	/* [ "\u0000n1" ...: byte 1 of the output is the number's start. */
	ck_assert_uint_eq(jnorm_source_offset(in, n, JNORM_MARK_NUMBERS, 1),
	    1);
	ck_assert_uint_eq(jnorm_source_offset(in, n, JNORM_MARK_NUMBERS, 9),
	    2);
}
END_TEST

static Suite *
jnorm_suite(void)
{
	Suite *s = suite_create("jnorm");
	TCase *tc = tcase_create("rewrites");

	tcase_add_test(tc, test_untouched_is_not_copied);
	tcase_add_test(tc, test_python_floats);
	tcase_add_test(tc, test_big_integers);
	tcase_add_test(tc, test_real_overflow);
	tcase_add_test(tc, test_number_fits);
	tcase_add_test(tc, test_left_alone);
	tcase_add_test(tc, test_text_rewrites);
	tcase_add_test(tc, test_mark_numbers);
	tcase_add_test(tc, test_source_offset);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	return check_main(jnorm_suite, "test_jnorm", NULL);
}
