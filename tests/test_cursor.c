/* SPDX-License-Identifier: MIT */
/*
 * test_cursor.c — unit tests for cursor.c: the moving, paging and
 * scrolling every list of the browser shares.
 */
#include <check.h>

#include "check_main.h"
#include <stdlib.h>

#include "cursor.h"

START_TEST(test_clamp)
{
	ck_assert_int_eq(cursor_clamp(5, 3), 2);
	ck_assert_int_eq(cursor_clamp(-1, 3), 0);
	ck_assert_int_eq(cursor_clamp(1, 3), 1);
	/* No rows: row 0, never -1 (callers index with it only when n > 0). */
	ck_assert_int_eq(cursor_clamp(4, 0), 0);
	ck_assert_int_eq(cursor_clamp(-4, 0), 0);
}
END_TEST

START_TEST(test_page)
{
	ck_assert_int_eq(cursor_page(10), 9);
	ck_assert_int_eq(cursor_page(2), 1);
	ck_assert_int_eq(cursor_page(1), 1);
	ck_assert_int_eq(cursor_page(0), 1);
	ck_assert_int_eq(cursor_page(-3), 1);
}
END_TEST

START_TEST(test_step)
{
	ck_assert_int_eq(cursor_step(0, CURSOR_DOWN, 5, 3), 1);
	ck_assert_int_eq(cursor_step(4, CURSOR_DOWN, 5, 3), 4);
	ck_assert_int_eq(cursor_step(0, CURSOR_UP, 5, 3), 0);
	ck_assert_int_eq(cursor_step(3, CURSOR_UP, 5, 3), 2);
	ck_assert_int_eq(cursor_step(1, CURSOR_PAGE_DOWN, 5, 3), 4);
	ck_assert_int_eq(cursor_step(3, CURSOR_PAGE_DOWN, 5, 3), 4);
	ck_assert_int_eq(cursor_step(4, CURSOR_PAGE_UP, 5, 3), 1);
	ck_assert_int_eq(cursor_step(2, CURSOR_PAGE_UP, 5, 3), 0);
	ck_assert_int_eq(cursor_step(3, CURSOR_HOME, 5, 3), 0);
	ck_assert_int_eq(cursor_step(0, CURSOR_END, 5, 3), 4);
	ck_assert_int_eq(cursor_step(2, CURSOR_NONE, 5, 3), 2);
	/* No selection yet: down and up both land on the first row. */
	ck_assert_int_eq(cursor_step(-1, CURSOR_DOWN, 5, 3), 0);
	ck_assert_int_eq(cursor_step(-1, CURSOR_UP, 5, 3), 0);
	/* Nothing to select. */
	ck_assert_int_eq(cursor_step(0, CURSOR_END, 0, 3), 0);
	ck_assert_int_eq(cursor_step(0, CURSOR_DOWN, 0, 3), 0);
}
END_TEST

START_TEST(test_top_follows_selection)
{
	/* 100 rows, 10 shown. */
	ck_assert_int_eq(cursor_top(0, 5, 10, 100), 0);
	ck_assert_int_eq(cursor_top(0, 10, 10, 100), 1);
	ck_assert_int_eq(cursor_top(0, 50, 10, 100), 41);
	ck_assert_int_eq(cursor_top(41, 50, 10, 100), 41);
	ck_assert_int_eq(cursor_top(41, 30, 10, 100), 30);
	ck_assert_int_eq(cursor_top(-7, 3, 10, 100), 0);
	/* No selection: the view stays where it is. */
	ck_assert_int_eq(cursor_top(20, -1, 10, 100), 20);
}
END_TEST

START_TEST(test_top_no_blank_tail)
{
	/* The rows shrank (a filter) or the view grew: no blank rows at the
	 * end while rows above are hidden. */
	ck_assert_int_eq(cursor_top(95, 97, 10, 100), 90);
	ck_assert_int_eq(cursor_top(50, -1, 10, 20), 10);
	ck_assert_int_eq(cursor_top(5, 6, 10, 8), 0);
	ck_assert_int_eq(cursor_top(3, -1, 10, 0), 0);
	/* cursor_follow keeps them. */
	ck_assert_int_eq(cursor_follow(95, 97, 10), 95);
	ck_assert_int_eq(cursor_follow(5, 6, 10), 5);
	ck_assert_int_eq(cursor_follow(5, 20, 10), 11);
	ck_assert_int_eq(cursor_follow(5, 2, 10), 2);
}
END_TEST

static Suite *
cursor_suite(void)
{
	Suite *s = suite_create("cursor");
	TCase *tc = tcase_create("core");

	tcase_add_test(tc, test_clamp);
	tcase_add_test(tc, test_page);
	tcase_add_test(tc, test_step);
	tcase_add_test(tc, test_top_follows_selection);
	tcase_add_test(tc, test_top_no_blank_tail);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	return check_main(cursor_suite, "test_cursor", NULL);
}
