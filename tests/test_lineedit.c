/* SPDX-License-Identifier: MIT */
/*
 * test_lineedit.c — unit tests for lineedit.c: readline-style editing of
 * the browser's prompts, and each prompt's history.
 */
#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "check_main.h"
#include "lineedit.h"

static void
type(struct lineedit *le, const char *s)
{
	lineedit_insert(le, s, strlen(s));
}

START_TEST(test_insert_and_move)
{
	struct lineedit le;

	memset(&le, 0, sizeof le);
	lineedit_start(&le, NULL, NULL);
	ck_assert_str_eq(lineedit_text(&le), "");
	type(&le, "type:tol");
	lineedit_left(&le);
	type(&le, "o");
	ck_assert_str_eq(lineedit_text(&le), "type:tool");
	lineedit_home(&le);
	type(&le, "-");
	ck_assert_str_eq(lineedit_text(&le), "-type:tool");
	lineedit_end(&le);
	type(&le, " x");
	ck_assert_str_eq(lineedit_text(&le), "-type:tool x");
	lineedit_right(&le); /* at the end: stays */
	ck_assert_uint_eq(le.cursor, strlen("-type:tool x"));
	lineedit_free(&le);
}
END_TEST

START_TEST(test_utf8_steps_by_character)
{
	struct lineedit le;

	memset(&le, 0, sizeof le);
	lineedit_start(&le, "a\xc3\xa9" "b", NULL);
	lineedit_left(&le);
	lineedit_left(&le);
	ck_assert_uint_eq(le.cursor, 1);
	lineedit_delete(&le);
	ck_assert_str_eq(lineedit_text(&le), "ab");
	lineedit_start(&le, "\xe2\x9c\x97", NULL);
	ck_assert(lineedit_backspace(&le));
	ck_assert_str_eq(lineedit_text(&le), "");
	ck_assert(!lineedit_backspace(&le));
	lineedit_free(&le);
}
END_TEST

START_TEST(test_kills)
{
	struct lineedit le;

	memset(&le, 0, sizeof le);
	lineedit_start(&le, "status:error  name:fetch", NULL);
	lineedit_kill_word(&le);
	ck_assert_str_eq(lineedit_text(&le), "status:error  ");
	lineedit_kill_word(&le);
	ck_assert_str_eq(lineedit_text(&le), "");
	lineedit_start(&le, "one two three", NULL);
	lineedit_home(&le);
	lineedit_right(&le);
	lineedit_right(&le);
	lineedit_right(&le);
	lineedit_kill_end(&le);
	ck_assert_str_eq(lineedit_text(&le), "one");
	type(&le, " four");
	lineedit_left(&le);
	lineedit_left(&le);
	lineedit_kill_start(&le);
	ck_assert_str_eq(lineedit_text(&le), "ur");
	ck_assert_uint_eq(le.cursor, 0);
	lineedit_delete(&le);
	lineedit_delete(&le);
	lineedit_delete(&le);
	ck_assert_str_eq(lineedit_text(&le), "");
	lineedit_free(&le);
}
END_TEST

START_TEST(test_history)
{
	struct lineedit_history h = { NULL, 0 };
	struct lineedit le;
	int i;

	memset(&le, 0, sizeof le);
	lineedit_history_add(&h, "first");
	lineedit_history_add(&h, "second");
	lineedit_history_add(&h, "second"); /* repeated: kept once */
	lineedit_history_add(&h, "");      /* empty: not kept */
	ck_assert_uint_eq(h.n, 2);
	lineedit_start(&le, NULL, &h);
	type(&le, "draft");
	lineedit_history_prev(&le);
	ck_assert_str_eq(lineedit_text(&le), "second");
	lineedit_history_prev(&le);
	ck_assert_str_eq(lineedit_text(&le), "first");
	lineedit_history_prev(&le); /* the oldest: stays */
	ck_assert_str_eq(lineedit_text(&le), "first");
	lineedit_history_next(&le);
	ck_assert_str_eq(lineedit_text(&le), "second");
	lineedit_history_next(&le);
	ck_assert_str_eq(lineedit_text(&le), "draft");
	lineedit_history_next(&le);
	ck_assert_str_eq(lineedit_text(&le), "draft");
	/* Enter keeps the line, and Up starts from it again. */
	lineedit_commit(&le);
	ck_assert_uint_eq(h.n, 3);
	lineedit_history_prev(&le);
	ck_assert_str_eq(lineedit_text(&le), "draft");
	lineedit_history_prev(&le);
	ck_assert_str_eq(lineedit_text(&le), "second");
	/* Bounded: the oldest lines go. */
	for (i = 0; i < LINEEDIT_HISTORY_MAX + 10; i++) {
		char line[16];

		snprintf(line, sizeof line, "l%d", i);
		lineedit_history_add(&h, line);
	}
	ck_assert_uint_eq(h.n, LINEEDIT_HISTORY_MAX);
	ck_assert_str_eq(h.lines[0], "l10");
	lineedit_free(&le);
	lineedit_history_free(&h);
}
END_TEST

START_TEST(test_length_bound)
{
	struct lineedit le;
	char big[LINEEDIT_MAX + 2];

	memset(&le, 0, sizeof le);
	memset(big, 'x', sizeof big - 1);
	big[sizeof big - 1] = '\0';
	lineedit_start(&le, NULL, NULL);
	type(&le, big);
	ck_assert_str_eq(lineedit_text(&le), "");
	type(&le, "ok");
	ck_assert_str_eq(lineedit_text(&le), "ok");
	lineedit_free(&le);
}
END_TEST

static Suite *
lineedit_suite(void)
{
	Suite *s = suite_create("lineedit");
	TCase *tc = tcase_create("core");

	tcase_add_test(tc, test_insert_and_move);
	tcase_add_test(tc, test_utf8_steps_by_character);
	tcase_add_test(tc, test_kills);
	tcase_add_test(tc, test_history);
	tcase_add_test(tc, test_length_bound);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	return check_main(lineedit_suite, "test_lineedit", NULL);
}
