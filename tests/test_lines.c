/* SPDX-License-Identifier: MIT */
/* test_lines.c — tests for splitting a byte stream into lines. */
#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "check_main.h"
#include "buf.h"
#include "lines.h"
#include "xmalloc.h"

/* Every delivered line as "off len text\n", "<long>" for skipped text. */
static int
record(void *arg, const char *line, size_t len, uint64_t off)
{
	struct buf *b = arg;

	buf_printf(b, "%llu %zu ", (unsigned long long)off, len);
	if (line == NULL)
		buf_adds(b, "<long>");
	else if (len != 0)
		buf_add(b, line, len);
	buf_addc(b, '\n');
	return 0;
}

/* What lines_feed must report for all of text, worked out naively. */
static void
expect(struct buf *b, const char *text, size_t len, size_t max_len)
{
	size_t start = 0, i, n;

	buf_reset(b);
	for (i = 0; i < len; i++) {
		if (text[i] != '\n')
			continue;
		n = i - start;
		if (n > 0 && text[i - 1] == '\r')
			n--;
		record(b, n > max_len ? NULL : text + start, n, start);
		start = i + 1;
	}
}

static void
feed(struct lines *l, const char *p, size_t len, struct buf *out)
{
	ck_assert_int_eq(lines_feed(l, p, len, record, out), 0);
}

/* Split text at every position into two feeds, and feed it bytewise. */
static void
check_splits(const char *text, size_t len, size_t max_len)
{
	struct buf want = BUF_INIT, got = BUF_INIT;
	struct lines *l;
	size_t k, last;

	expect(&want, text, len, max_len);
	last = len;
	while (last > 0 && text[last - 1] != '\n')
		last--;
	for (k = 0; k <= len; k++) {
		l = lines_new(max_len);
		buf_reset(&got);
		feed(l, text, k, &got);
		feed(l, text + k, len - k, &got);
		ck_assert_str_eq(buf_str(&got), buf_str(&want));
		ck_assert_uint_eq(lines_offset(l), last);
		ck_assert_uint_eq(lines_pending(l), len - last);
		lines_free(l);
	}
	l = lines_new(max_len);
	buf_reset(&got);
	for (k = 0; k < len; k++)
		feed(l, text + k, 1, &got);
	ck_assert_str_eq(buf_str(&got), buf_str(&want));
	lines_free(l);
	buf_free(&want);
	buf_free(&got);
}

START_TEST(test_basic)
{
	static const char text[] = "a\nbb\n\nccc\n";
	struct lines *l = lines_new(100);
	struct buf got = BUF_INIT;

	feed(l, text, strlen(text), &got);
	ck_assert_str_eq(buf_str(&got), "0 1 a\n2 2 bb\n5 0 \n6 3 ccc\n");
	ck_assert_uint_eq(lines_offset(l), strlen(text));
	ck_assert_uint_eq(lines_pending(l), 0);
	lines_free(l);
	buf_free(&got);
}
END_TEST

START_TEST(test_crlf)
{
	static const char text[] = "a\r\nb\rc\r\n\r\n\rx\n\r\r\n";
	struct lines *l = lines_new(100);
	struct buf got = BUF_INIT;

	feed(l, text, strlen(text), &got);
	ck_assert_str_eq(buf_str(&got),
	    "0 1 a\n3 3 b\rc\n8 0 \n10 2 \rx\n13 1 \r\n");
	lines_free(l);
	buf_free(&got);
	check_splits(text, strlen(text), 100);
}
END_TEST

START_TEST(test_tail_pending)
{
	struct lines *l = lines_new(100);
	struct buf got = BUF_INIT;

	feed(l, "abc\nde", 6, &got);
	ck_assert_str_eq(buf_str(&got), "0 3 abc\n");
	ck_assert_uint_eq(lines_pending(l), 2);
	ck_assert_uint_eq(lines_offset(l), 4);
	feed(l, "f\r", 2, &got);
	ck_assert_uint_eq(lines_pending(l), 4);
	feed(l, "\nxyz", 4, &got);
	ck_assert_str_eq(buf_str(&got), "0 3 abc\n4 3 def\n");
	ck_assert_uint_eq(lines_pending(l), 3);
	ck_assert_uint_eq(lines_offset(l), 9);
	lines_free(l);
	buf_free(&got);
}
END_TEST

START_TEST(test_overlong)
{
	static const char text[] =
	    "0123456789\n"
	    "0123456789a\n"
	    "0123456789\r\n"
	    "0123456789a\r\n"
	    "012345678\r\r\n"
	    "ok\n"
	    "\n";
	struct lines *l = lines_new(10);
	struct buf got = BUF_INIT;

	feed(l, text, strlen(text), &got);
	ck_assert_str_eq(buf_str(&got),
	    "0 10 0123456789\n"
	    "11 11 <long>\n"
	    "23 10 0123456789\n"
	    "35 11 <long>\n"
	    "48 10 012345678\r\n"
	    "60 2 ok\n"
	    "63 0 \n");
	lines_free(l);
	buf_free(&got);
	check_splits(text, strlen(text), 10);
}
END_TEST

START_TEST(test_very_long_line)
{
	struct lines *l = lines_new(100);
	struct buf got = BUF_INIT, text = BUF_INIT;
	size_t i;

	buf_adds(&text, "short\n");
	for (i = 0; i < 100000; i++)
		buf_addc(&text, 'x');
	buf_adds(&text, "\r\nafter\n");
	for (i = 0; i < text.len; i += 777)
		feed(l, text.p + i, text.len - i < 777 ? text.len - i : 777,
		    &got);
	ck_assert_str_eq(buf_str(&got),
	    "0 5 short\n6 100000 <long>\n100008 5 after\n");
	lines_free(l);
	buf_free(&got);
	buf_free(&text);
}
END_TEST

/* With a hold below the limit, a line that crosses feeds and outgrows
 * the hold is delivered as NULL with its full length even though it is
 * within the limit; a line inside one feed is still passed whole. */
START_TEST(test_hold)
{
	static const char text[] = "abc\n0123456789\nxy\n0123456789\r\n";
	struct lines *l = lines_new(100);
	struct buf got = BUF_INIT;

	lines_set_hold(l, 4);
	feed(l, text, 6, &got);		/* "abc\n01" */
	feed(l, text + 6, 10, &got);	/* "23456789\nx" */
	feed(l, text + 16, 2, &got);	/* "y\n": "xy" was held, within 4 */
	feed(l, text + 18, 12, &got);	/* the whole last line in one feed */
	ck_assert_str_eq(buf_str(&got),
	    "0 3 abc\n4 10 <long>\n15 2 xy\n18 10 0123456789\n");
	/* Held memory does not stay at the long line's size. */
	buf_reset(&got);
	feed(l, "short\n", 6, &got);
	ck_assert_str_eq(buf_str(&got), "30 5 short\n");
	lines_free(l);
	buf_free(&got);
}
END_TEST

START_TEST(test_max_len_zero)
{
	static const char text[] = "\n\r\na\n\r\r\n";

	check_splits(text, strlen(text), 0);
}
END_TEST

START_TEST(test_splits_mixed)
{
	static const char text[] =
	    "{\"a\":1}\r\n\n{\"b\":\"long long long long\"}\n\r\n"
	    "x\ry\n{\"c\":3}\r\n{\"unfinished";

	check_splits(text, strlen(text), 16);
	check_splits(text, strlen(text), 1000);
}
END_TEST

struct where {
	const char *start;
	const char *end;
	int inside;
	int lines;
};

static int
check_inside(void *arg, const char *line, size_t len, uint64_t off)
{
	struct where *w = arg;

	w->lines++;
	if (line >= w->start && line + len <= w->end)
		w->inside++;
	return 0;
}

START_TEST(test_zero_copy)
{
	static const char text[] = "one\ntwo\nthr";
	static const char more[] = "ee\nfour\n";
	struct lines *l = lines_new(100);
	struct where w = { text, text + strlen(text), 0, 0 };

	ck_assert_int_eq(lines_feed(l, text, strlen(text), check_inside, &w),
	    0);
	ck_assert_int_eq(w.lines, 2);
	ck_assert_int_eq(w.inside, 2);
	w.start = more;
	w.end = more + strlen(more);
	w.inside = 0;
	ck_assert_int_eq(lines_feed(l, more, strlen(more), check_inside, &w),
	    0);
	ck_assert_int_eq(w.lines, 4);
	ck_assert_int_eq(w.inside, 1);
	lines_free(l);
}
END_TEST

static int
stop_at_two(void *arg, const char *line, size_t len, uint64_t off)
{
	int *n = arg;

	return ++*n == 2 ? 7 : 0;
}

START_TEST(test_stop)
{
	static const char text[] = "a\nbb\nccc\n";
	struct lines *l = lines_new(100);
	int n = 0;

	ck_assert_int_eq(lines_feed(l, text, strlen(text), stop_at_two, &n),
	    7);
	ck_assert_int_eq(n, 2);
	ck_assert_uint_eq(lines_offset(l), 5);
	ck_assert_uint_eq(lines_pending(l), 0);
	lines_free(l);
}
END_TEST

static Suite *
lines_suite(void)
{
	Suite *s = suite_create("lines");
	TCase *tc = tcase_create("core");

	tcase_add_test(tc, test_basic);
	tcase_add_test(tc, test_crlf);
	tcase_add_test(tc, test_tail_pending);
	tcase_add_test(tc, test_overlong);
	tcase_add_test(tc, test_very_long_line);
	tcase_add_test(tc, test_hold);
	tcase_add_test(tc, test_max_len_zero);
	tcase_add_test(tc, test_splits_mixed);
	tcase_add_test(tc, test_zero_copy);
	tcase_add_test(tc, test_stop);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	return check_main(lines_suite, "test_lines", NULL);
}
