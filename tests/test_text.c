/* SPDX-License-Identifier: MIT */
/*
 * test_text.c — unit tests for text.c: sanitizing hostile text, display
 * widths, fitting and wrapping.
 */
#include <check.h>
#include <locale.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check_main.h"
#include "buf.h"
#include "fmt.h"
#include "text.h"

/* Sanitize s[0..n) and return the result (caller frees). */
static char *
san_n(const char *s, size_t n, unsigned flags)
{
	struct buf b = BUF_INIT;

	text_sanitize(&b, s, n, flags);
	return buf_detach(&b);
}

#define CHECK_SAN_FLAGS(in, flags, want) do {				\
	char *got_ = san_n((in), sizeof(in) - 1, (flags));		\
	ck_assert_str_eq(got_, (want));					\
	free(got_);							\
} while (0)

/* Without flags the output is itself safe: sanitizing is idempotent. */
#define CHECK_SAN(in, want) do {					\
	CHECK_SAN_FLAGS(in, 0, want);					\
	ck_assert(text_is_safe((want), strlen(want)));			\
} while (0)

START_TEST(test_buf_drop_front)
{
	struct buf b = BUF_INIT;

	buf_drop_front(&b, 3);
	ck_assert_uint_eq(b.len, 0);
	buf_adds(&b, "abcdef");
	buf_drop_front(&b, 0);
	ck_assert_str_eq(buf_str(&b), "abcdef");
	buf_drop_front(&b, 2);
	ck_assert_str_eq(buf_str(&b), "cdef");
	ck_assert_uint_eq(b.len, 4);
	buf_adds(&b, "gh");
	ck_assert_str_eq(buf_str(&b), "cdefgh");
	buf_drop_front(&b, 99);
	ck_assert_str_eq(buf_str(&b), "");
	ck_assert_uint_eq(b.len, 0);
	buf_free(&b);
}
END_TEST

START_TEST(test_sanitize_plain)
{
	CHECK_SAN("", "");
	CHECK_SAN("hello, world ~!@#$%^&*()", "hello, world ~!@#$%^&*()");
	/* A backslash is harmless to a terminal. */
	CHECK_SAN("C:\\path\\x1b", "C:\\path\\x1b");
	ck_assert(text_is_safe("", 0));
	ck_assert(text_is_safe("plain ascii", 11));
	ck_assert(text_is_safe("back\\slash", 10));
}
END_TEST

START_TEST(test_sanitize_c0)
{
	CHECK_SAN("a\nb\tc\rd", "a\\nb\\tc\\rd");
	CHECK_SAN("\x01\x02\x07\x08\x0b\x0c\x1f", "\\x01\\x02\\x07\\x08\\x0b\\x0c\\x1f");
	CHECK_SAN("\x1b[31mred", "\\x1b[31mred");
	CHECK_SAN("del\x7f", "del\\x7f");
	ck_assert(!text_is_safe("a\nb", 3));
	ck_assert(!text_is_safe("\x1b", 1));
	ck_assert(!text_is_safe("\x7f", 1));
}
END_TEST

START_TEST(test_sanitize_nul)
{
	char *got = san_n("a\0b", 3, 0);

	ck_assert_str_eq(got, "a\\x00b");
	free(got);
	ck_assert(!text_is_safe("a\0b", 3));
}
END_TEST

START_TEST(test_sanitize_keep_flags)
{
	char *got;

	CHECK_SAN_FLAGS("a\nb\tc\r", TEXT_KEEP_NEWLINES, "a\nb\\tc\\r");
	CHECK_SAN_FLAGS("a\nb\tc\r", TEXT_KEEP_TABS, "a\\nb\tc\\r");
	got = san_n("a\nb\tc\r\x1b", 7, TEXT_KEEP_NEWLINES | TEXT_KEEP_TABS);
	ck_assert_str_eq(got, "a\nb\tc\\r\\x1b");
	free(got);
}
END_TEST

START_TEST(test_sanitize_attack)
{
	static const char attack[] =
	    "\x1b]0;pwned\x07\x1b[2J\x1b]52;c;ZXZpbA==\x07\x1bPq#0;2;0;0;0\x1b\\";
	char *got = san_n(attack, sizeof attack - 1, 0);

	ck_assert_str_eq(got,
	    "\\x1b]0;pwned\\x07\\x1b[2J\\x1b]52;c;ZXZpbA==\\x07"
	    "\\x1bPq#0;2;0;0;0\\x1b\\");
	ck_assert(strchr(got, 0x1b) == NULL);
	ck_assert(strchr(got, 0x07) == NULL);
	ck_assert(!text_is_safe(attack, sizeof attack - 1));
	free(got);
}
END_TEST

START_TEST(test_sanitize_c1)
{
	/* U+009B is an 8-bit CSI; U+009D an 8-bit OSC. */
	CHECK_SAN("\xc2\x9b" "2J", "\\u{9b}2J");
	CHECK_SAN("\xc2\x80\xc2\x9d\xc2\x9f", "\\u{80}\\u{9d}\\u{9f}");
	/* U+00A0 (no-break space) is the first code point past C1. */
	CHECK_SAN("\xc2\xa0", "\xc2\xa0");
	ck_assert(!text_is_safe("\xc2\x9b", 2));
	/* A raw C1 byte is not UTF-8 at all. */
	CHECK_SAN("\x9b" "2J", "\xef\xbf\xbd" "2J");
}
END_TEST

START_TEST(test_sanitize_bidi)
{
	CHECK_SAN("abc\xe2\x80\xae" "fdp.exe", "abc\\u{202e}fdp.exe");
	CHECK_SAN("\xd8\x9c", "\\u{61c}");
	CHECK_SAN("\xe2\x80\x8e\xe2\x80\x8f", "\\u{200e}\\u{200f}");
	CHECK_SAN("\xe2\x80\xaa\xe2\x80\xab\xe2\x80\xac\xe2\x80\xad",
	    "\\u{202a}\\u{202b}\\u{202c}\\u{202d}");
	CHECK_SAN("\xe2\x81\xa6\xe2\x81\xa7\xe2\x81\xa8\xe2\x81\xa9",
	    "\\u{2066}\\u{2067}\\u{2068}\\u{2069}");
	CHECK_SAN("\xe2\x80\xa8\xe2\x80\xa9", "\\u{2028}\\u{2029}");
	/* Neighbours of the bidi ranges are ordinary text. */
	CHECK_SAN("\xe2\x80\x90\xe2\x80\xaf\xe2\x81\xa5",
	    "\xe2\x80\x90\xe2\x80\xaf\xe2\x81\xa5");
	ck_assert(!text_is_safe("\xe2\x80\xae", 3));
}
END_TEST

START_TEST(test_sanitize_invalid_utf8)
{
	/* Lone continuation byte. */
	CHECK_SAN("a\x80z", "a\xef\xbf\xbdz");
	/* Truncated sequences: one U+FFFD per byte, in the middle and at the end. */
	CHECK_SAN("\xe6\x97z", "\xef\xbf\xbd\xef\xbf\xbdz");
	CHECK_SAN("x\xf0\x9f\x98", "x\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd");
	/* Overlong encodings of '/' and of NUL. */
	CHECK_SAN("\xc0\xaf", "\xef\xbf\xbd\xef\xbf\xbd");
	CHECK_SAN("\xe0\x80\xaf", "\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd");
	CHECK_SAN("\xc0\x80", "\xef\xbf\xbd\xef\xbf\xbd");
	/* An overlong ESC must not become a real one. */
	CHECK_SAN("\xc0\x9b", "\xef\xbf\xbd\xef\xbf\xbd");
	/* UTF-16 surrogate U+D800 encoded in UTF-8. */
	CHECK_SAN("\xed\xa0\x80", "\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd");
	/* Beyond U+10FFFF. */
	CHECK_SAN("\xf4\x90\x80\x80",
	    "\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd");
	CHECK_SAN("\xff\xfe", "\xef\xbf\xbd\xef\xbf\xbd");
	ck_assert(!text_is_safe("\x80", 1));
	ck_assert(!text_is_safe("\xe6\x97", 2));
	/* The length bound is respected: a valid sequence cut by n is invalid. */
	ck_assert(!text_is_safe("\xc3\xa9", 1));
}
END_TEST

START_TEST(test_sanitize_valid_multibyte)
{
	static const char s[] = "caf\xc3\xa9 \xe6\xbc\xa2\xe5\xad\x97 \xf0\x9f\x98\x80 e\xcc\x81";

	CHECK_SAN(s, s);
	ck_assert(text_is_safe(s, sizeof s - 1));
	/* U+FFFD itself and the highest code point are fine as they are. */
	CHECK_SAN("\xef\xbf\xbd\xf4\x8f\xbf\xbf", "\xef\xbf\xbd\xf4\x8f\xbf\xbf");
}
END_TEST

START_TEST(test_sanitize_appends)
{
	struct buf b = BUF_INIT;

	buf_adds(&b, "pre:");
	text_sanitize(&b, "\x1b", 1, 0);
	ck_assert_str_eq(buf_str(&b), "pre:\\x1b");
	buf_free(&b);
}
END_TEST

START_TEST(test_sanitize_every_byte)
{
	char in[256];
	char *got;
	size_t i;

	/* No single byte survives as a control character. */
	for (i = 0; i < 256; i++)
		in[i] = (char)i;
	got = san_n(in, sizeof in, 0);
	for (i = 0; got[i] != '\0'; i++) {
		unsigned char c = (unsigned char)got[i];

		ck_assert(c >= 0x20 && c != 0x7f);
	}
	ck_assert(text_is_safe(got, strlen(got)));
	free(got);
}
END_TEST

START_TEST(test_width)
{
	ck_assert_int_eq(text_width("", 0), 0);
	ck_assert_int_eq(text_width("hello", 5), 5);
	/* CJK is two columns a character. */
	ck_assert_int_eq(text_width("\xe6\xbc\xa2\xe5\xad\x97", 6), 4);
	/* A combining acute accent takes no column. */
	ck_assert_int_eq(text_width("e\xcc\x81", 3), 1);
	ck_assert_int_eq(text_width("caf\xc3\xa9", 5), 4);
	ck_assert_int_eq(text_width("\xf0\x9f\x98\x80", 4), 2);
	/* Non-printable and invalid input still measure as one column. */
	ck_assert_int_eq(text_width("\x01", 1), 1);
	ck_assert_int_eq(text_width("\x80", 1), 1);
	ck_assert_int_eq(text_width("\xc2\x9b", 2), 1);
}
END_TEST

START_TEST(test_fit)
{
	static const char cjk[] = "a\xe6\xbc\xa2\xe5\xad\x97";	/* 1 + 2 + 2 */
	int used;

	ck_assert_uint_eq(text_fit("hello", 5, 10, &used), 5);
	ck_assert_int_eq(used, 5);
	ck_assert_uint_eq(text_fit("hello", 5, 3, &used), 3);
	ck_assert_int_eq(used, 3);
	ck_assert_uint_eq(text_fit("hello", 5, 0, &used), 0);
	ck_assert_int_eq(used, 0);
	ck_assert_uint_eq(text_fit("hello", 5, -4, &used), 0);
	ck_assert_int_eq(used, 0);
	ck_assert_uint_eq(text_fit("hello", 5, 5, NULL), 5);

	/* A wide character that would straddle the edge is left out. */
	ck_assert_uint_eq(text_fit(cjk, 7, 2, &used), 1);
	ck_assert_int_eq(used, 1);
	ck_assert_uint_eq(text_fit(cjk, 7, 3, &used), 4);
	ck_assert_int_eq(used, 3);
	ck_assert_uint_eq(text_fit(cjk, 7, 4, &used), 4);
	ck_assert_int_eq(used, 3);
	ck_assert_uint_eq(text_fit(cjk, 7, 5, &used), 7);
	ck_assert_int_eq(used, 5);
	ck_assert_uint_eq(text_fit(cjk + 1, 6, 1, &used), 0);
	ck_assert_int_eq(used, 0);

	/* Never splits a character; combining marks stay with their base. */
	ck_assert_uint_eq(text_fit("e\xcc\x81x", 4, 1, &used), 3);
	ck_assert_int_eq(used, 1);
	ck_assert_uint_eq(text_fit("\xc3\xa9\xc3\xa9", 4, 1, &used), 2);
	ck_assert_int_eq(used, 1);
}
END_TEST

/* Collects wrapped lines as "line|line|…" and checks their widths. */
struct wrapped {
	struct buf out;
	int width;
	int lines;
};

static void
collect_line(void *arg, const char *line, size_t n)
{
	struct wrapped *w = arg;

	ck_assert(memchr(line, '\n', n) == NULL);
	if (text_width(line, n) > w->width)
		ck_assert_uint_eq(text_fit(line, n, w->width, NULL), 0);
	if (w->lines++ > 0)
		buf_addc(&w->out, '|');
	buf_add(&w->out, line, n);
}

static char *
wrap(const char *s, int width, int *lines)
{
	struct wrapped w = { BUF_INIT, width < 1 ? 1 : width, 0 };

	text_wrap(s, strlen(s), width, collect_line, &w);
	*lines = w.lines;
	return buf_detach(&w.out);
}

#define CHECK_WRAP(in, width, want, nlines) do {			\
	int lines_;							\
	char *got_ = wrap((in), (width), &lines_);			\
	ck_assert_str_eq(got_, (want));					\
	ck_assert_int_eq(lines_, (nlines));				\
	free(got_);							\
} while (0)

START_TEST(test_wrap_words)
{
	CHECK_WRAP("", 10, "", 0);
	CHECK_WRAP("short", 10, "short", 1);
	CHECK_WRAP("exactly10!", 10, "exactly10!", 1);
	CHECK_WRAP("the quick brown fox jumps", 10, "the quick|brown fox|jumps", 3);
	CHECK_WRAP("abc def", 3, "abc|def", 2);
	CHECK_WRAP("abc def", 4, "abc|def", 2);
	/* Spaces at a break are dropped, spaces inside a line are kept. */
	CHECK_WRAP("a    b", 10, "a    b", 1);
	CHECK_WRAP("aaa    bbb", 5, "aaa|bbb", 2);
	CHECK_WRAP("aaa    ", 3, "aaa", 1);
	CHECK_WRAP("  indented text", 10, "  indented|text", 2);
}
END_TEST

START_TEST(test_wrap_long_words)
{
	CHECK_WRAP("abcdefghij", 4, "abcd|efgh|ij", 3);
	CHECK_WRAP("ab abcdefghij", 4, "ab|abcd|efgh|ij", 4);
	/* Only leading spaces before the break: cut inside the word. */
	CHECK_WRAP("   abcdef", 5, "   ab|cdef", 2);
	CHECK_WRAP("abc", 0, "a|b|c", 3);
	CHECK_WRAP("abc", -3, "a|b|c", 3);
}
END_TEST

START_TEST(test_wrap_newlines)
{
	CHECK_WRAP("a\nb", 10, "a|b", 2);
	CHECK_WRAP("a\n\nb", 10, "a||b", 3);
	CHECK_WRAP("\n", 10, "", 1);
	CHECK_WRAP("a\n", 10, "a", 1);
	CHECK_WRAP("a\n\n", 10, "a|", 2);
	CHECK_WRAP("one two\nthree four", 5, "one|two|three|four", 4);
}
END_TEST

START_TEST(test_wrap_wide)
{
	/* 漢字漢字 is 8 columns. */
	CHECK_WRAP("\xe6\xbc\xa2\xe5\xad\x97\xe6\xbc\xa2\xe5\xad\x97", 4,
	    "\xe6\xbc\xa2\xe5\xad\x97|\xe6\xbc\xa2\xe5\xad\x97", 2);
	CHECK_WRAP("\xe6\xbc\xa2\xe5\xad\x97\xe6\xbc\xa2", 3,
	    "\xe6\xbc\xa2|\xe5\xad\x97|\xe6\xbc\xa2", 3);
	CHECK_WRAP("a\xe6\xbc\xa2 \xe5\xad\x97", 3, "a\xe6\xbc\xa2|\xe5\xad\x97", 2);
	/* Width 1: a wide character still gets shown, one to a line. */
	CHECK_WRAP("\xe6\xbc\xa2\xe5\xad\x97", 1, "\xe6\xbc\xa2|\xe5\xad\x97", 2);
	/* A combining mark is not separated from its base. */
	CHECK_WRAP("e\xcc\x81" "e\xcc\x81", 1, "e\xcc\x81|e\xcc\x81", 2);
}
END_TEST

/* JSON output is exact and carries no control a terminal would obey:
 * C0, DEL, C1 and bidi controls are \u escapes; other text passes as is. */
#define CHECK_JSON(in, want) do {					\
	struct buf b_ = BUF_INIT;					\
	buf_add_json_string(&b_, (in), sizeof(in) - 1);		\
	ck_assert_str_eq(buf_str(&b_), (want));				\
	buf_free(&b_);							\
} while (0)

START_TEST(test_json_string_controls)
{
	CHECK_JSON("a\"b\\c", "\"a\\\"b\\\\c\"");
	CHECK_JSON("\x1b]0;t\x07\n\x7f", "\"\\u001b]0;t\\u0007\\n\\u007f\"");
	/* U+009B (CSI), U+202E (RLO), U+2028 (line separator). */
	CHECK_JSON("\xc2\x9b" "6n\xe2\x80\xae\xe2\x80\xa8",
	    "\"\\u009b6n\\u202e\\u2028\"");
	/* Printable non-ASCII stays raw; an invalid byte becomes U+FFFD. */
	CHECK_JSON("\xc3\xa9\xf0\x9f\x98\x80\xff", "\"\xc3\xa9\xf0\x9f\x98\x80\xef\xbf\xbd\"");
}
END_TEST

/* Counts fit the 7-column token column at every magnitude. */
#define CHECK_COUNT(n, want) do {					\
	struct buf b_ = BUF_INIT;					\
	fmt_count(&b_, (n));						\
	ck_assert_str_eq(buf_str(&b_), (want));				\
	buf_free(&b_);							\
} while (0)

/* The escaping written plainly, a byte at a time: what the block scan of
 * buf_add_json_string must give, byte for byte. */
static void
json_string_by_bytes(struct buf *b, const unsigned char *u, size_t n)
{
	size_t i = 0, len;
	unsigned cp;

	buf_addc(b, '"');
	while (i < n) {
		switch (u[i]) {
		case '"': buf_adds(b, "\\\""); i++; continue;
		case '\\': buf_adds(b, "\\\\"); i++; continue;
		case '\n': buf_adds(b, "\\n"); i++; continue;
		case '\r': buf_adds(b, "\\r"); i++; continue;
		case '\t': buf_adds(b, "\\t"); i++; continue;
		}
		if (u[i] < 0x20 || u[i] == 0x7f) {
			buf_printf(b, "\\u%04x", u[i++]);
			continue;
		}
		if (u[i] < 0x80) {
			buf_addc(b, (char)u[i++]);
			continue;
		}
		len = utf8_decode(u + i, n - i, &cp);
		if (len == 0) {
			buf_adds(b, "\xef\xbf\xbd");
			i++;
		} else if (utf8_is_terminal_control(cp)) {
			buf_printf(b, "\\u%04x", cp);
			i += len;
		} else {
			buf_add(b, u + i, len);
			i += len;
		}
	}
	buf_addc(b, '"');
}

/* Random text of every kind of byte, plain runs mostly, at every length
 * and alignment. */
START_TEST(test_json_string_equals_bytewise)
{
	static const char *const odd[] = { "\"", "\\", "\n", "\t", "\r", "\x01", "\x7f",
	    "\xc3\xa9", "\xe6\x97\xa5", "\xf0\x9f\x98\x80", "\xc2\x85", "\xe2\x80\xae",
	    "\xff", "\x80", "\xe6\x97", "\xed\xa0\x80" };
	struct buf in = BUF_INIT, got = BUF_INIT, want = BUF_INIT;
	uint64_t x = 88172645463325252ULL;
	size_t off;
	int i, k;

	for (i = 0; i < 20000; i++) {
		buf_reset(&in);
		while (in.len < (size_t)(i % 300)) {
			x ^= x << 13;
			x ^= x >> 7;
			x ^= x << 17;
			if (x % 3 != 0) {
				for (k = (int)(x >> 8) % 40; k >= 0; k--)
					buf_addc(&in, (char)(' ' + (x >> (k % 48)) % 95));
			} else
				buf_adds(&in, odd[(x >> 4) % (sizeof odd / sizeof *odd)]);
		}
		buf_reset(&got);
		buf_reset(&want);
		buf_adds(&got, "x");                  /* appends to what is there */
		buf_adds(&want, "x");
		/* From the first bytes too: every alignment of the blocks. */
		off = (size_t)(i % 3) < in.len ? (size_t)(i % 3) : 0;
		buf_add_json_string(&got, in.p + off, in.len - off);
		json_string_by_bytes(&want, (const unsigned char *)in.p + off, in.len - off);
		ck_assert_uint_eq(got.len, want.len);
		ck_assert_mem_eq(got.p, want.p, got.len);
		ck_assert_int_eq(got.p[got.len], '\0');
	}
	buf_free(&in);
	buf_free(&got);
	buf_free(&want);
}
END_TEST

START_TEST(test_fmt_count)
{
	CHECK_COUNT(0, "0");
	CHECK_COUNT(999, "999");
	CHECK_COUNT(1000, "1.0k");
	CHECK_COUNT(12345, "12.3k");
	CHECK_COUNT(999949, "999.9k");
	CHECK_COUNT(999950, "1.00M");   /* not "1000.0k" */
	CHECK_COUNT(4560000, "4.56M");
	CHECK_COUNT(999995000, "1.00G");
	CHECK_COUNT(1234567890123LL, "1.23T");
	CHECK_COUNT(INT64_MAX, "9.22E");
}
END_TEST

static Suite *
text_suite(void)
{
	Suite *s = suite_create("text");
	TCase *tc;

	tc = tcase_create("sanitize");
	tcase_add_test(tc, test_buf_drop_front);
	tcase_add_test(tc, test_sanitize_plain);
	tcase_add_test(tc, test_sanitize_c0);
	tcase_add_test(tc, test_sanitize_nul);
	tcase_add_test(tc, test_sanitize_keep_flags);
	tcase_add_test(tc, test_sanitize_attack);
	tcase_add_test(tc, test_sanitize_c1);
	tcase_add_test(tc, test_sanitize_bidi);
	tcase_add_test(tc, test_sanitize_invalid_utf8);
	tcase_add_test(tc, test_sanitize_valid_multibyte);
	tcase_add_test(tc, test_sanitize_appends);
	tcase_add_test(tc, test_sanitize_every_byte);
	tcase_add_test(tc, test_json_string_controls);
	tcase_add_test(tc, test_json_string_equals_bytewise);
	tcase_add_test(tc, test_fmt_count);
	suite_add_tcase(s, tc);

	tc = tcase_create("measure");
	tcase_add_test(tc, test_width);
	tcase_add_test(tc, test_fit);
	suite_add_tcase(s, tc);

	tc = tcase_create("wrap");
	tcase_add_test(tc, test_wrap_words);
	tcase_add_test(tc, test_wrap_long_words);
	tcase_add_test(tc, test_wrap_newlines);
	tcase_add_test(tc, test_wrap_wide);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	return check_main(text_suite, "test_text", "C.UTF-8");
}
