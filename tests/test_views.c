/* SPDX-License-Identifier: MIT */
/*
 * test_views.c — unit tests for the display-line views: vdoc.c (styled
 * lines, sanitising, wrapping) and json_view.c (pretty JSON, numbers as
 * written, wrapping, folding, hostile input).
 */
#include <check.h>
#include <locale.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check_main.h"
#include "buf.h"
#include "json_view.h"
#include "text.h"
#include "vdoc.h"

/* ---- helpers ------------------------------------------------------------ */

static struct json_view *
parse_ok(const char *json)
{
	struct json_view *jv;
	char *cause = NULL;

	jv = json_view_new(json, strlen(json), &cause);
	if (jv == NULL)
		ck_abort_msg("parse failed: %s: %s", cause, json);
	ck_assert_ptr_null(cause);
	return jv;
}

/* The view rendered as plain text (caller frees). */
static char *
view_text(const struct json_view *jv, int width, int indent)
{
	struct vdoc vd = VDOC_INIT;
	char *text;

	json_view_render(jv, &vd, width, indent);
	text = vdoc_to_text(&vd);
	vdoc_free(&vd);
	return text;
}

/* Parse, render at width, compare with want. */
#define CHECK_JSON(json, width, want) do {				\
	struct json_view *jv_ = parse_ok(json);				\
	char *got_ = view_text(jv_, (width), 0);			\
	ck_assert_str_eq(got_, (want));					\
	free(got_);							\
	json_view_free(jv_);						\
} while (0)

/* NULL with a cause, which is itself safe to display. */
static char *
parse_fails(const char *json, size_t len)
{
	struct json_view *jv;
	char *cause = NULL;

	jv = json_view_new(json, len, &cause);
	ck_assert_msg(jv == NULL, "parsed: %.*s", (int)len, json);
	ck_assert_ptr_nonnull(cause);
	ck_assert(text_is_safe(cause, strlen(cause)));
	return cause;
}

/* The style at byte off of a line. */
static int
style_at(const struct vline *l, uint32_t off)
{
	int style = -1;
	uint16_t i;

	for (i = 0; i < l->nruns && l->runs[i].off <= off; i++)
		style = l->runs[i].style;
	return style;
}

/* Runs start at 0, increase, are never empty and never repeat a style. */
static void
check_runs(const struct vline *l)
{
	uint16_t i;

	ck_assert_uint_ge(l->nruns, 1);
	ck_assert_uint_eq(l->runs[0].off, 0);
	for (i = 1; i < l->nruns; i++) {
		ck_assert_uint_gt(l->runs[i].off, l->runs[i - 1].off);
		ck_assert_uint_lt(l->runs[i].off, l->len);
		ck_assert_uint_ne(l->runs[i].style, l->runs[i - 1].style);
	}
}

static size_t
count_lines(const char *text)
{
	size_t n = 0;

	for (; *text != '\0'; text++)
		n += *text == '\n';
	return n;
}

/* text without spaces and newlines: what wrapping must not change. */
static char *
squeeze(const char *text)
{
	struct buf b = BUF_INIT;

	for (; *text != '\0'; text++) {
		if (*text != ' ' && *text != '\n')
			buf_addc(&b, *text);
	}
	return buf_detach(&b);
}

/* ---- vdoc --------------------------------------------------------------- */

START_TEST(test_vdoc_runs_merge)
{
	struct vdoc vd = VDOC_INIT;
	const struct vline *l;
	char *text;

	vdoc_adds(&vd, VS_KEY, "ab");
	vdoc_adds(&vd, VS_KEY, "cd");
	vdoc_adds(&vd, VS_ERROR, "");
	vdoc_adds(&vd, VS_STRING, "ef");
	vdoc_add_safe(&vd, VS_STRING, "g", 1);
	vdoc_printf(&vd, VS_NUMBER, "%d", 42);
	ck_assert_int_eq(vdoc_cur_width(&vd), 9);
	vdoc_end_line(&vd);
	vdoc_end_line(&vd);
	vdoc_adds(&vd, VS_DIM, "\xe6\x97\xa5\xe6\x9c\xac");
	ck_assert_int_eq(vdoc_cur_width(&vd), 4);
	vdoc_end_node_line(&vd, 7, 1);

	ck_assert_uint_eq(vd.n, 3);
	l = &vd.lines[0];
	ck_assert_str_eq(l->text, "abcdefg42");
	ck_assert_uint_eq(l->len, 9);
	ck_assert_uint_eq(l->nruns, 3);
	ck_assert_uint_eq(l->runs[0].off, 0);
	ck_assert_uint_eq(l->runs[0].style, VS_KEY);
	ck_assert_uint_eq(l->runs[1].off, 4);
	ck_assert_uint_eq(l->runs[1].style, VS_STRING);
	ck_assert_uint_eq(l->runs[2].off, 7);
	ck_assert_uint_eq(l->runs[2].style, VS_NUMBER);
	ck_assert_uint_eq(l->node, VDOC_NO_NODE);

	/* An empty line still has one run. */
	l = &vd.lines[1];
	ck_assert_uint_eq(l->len, 0);
	ck_assert_str_eq(l->text, "");
	ck_assert_uint_eq(l->nruns, 1);
	ck_assert_uint_eq(l->runs[0].style, VS_NORMAL);

	l = &vd.lines[2];
	ck_assert_uint_eq(l->node, 7);
	ck_assert_uint_eq(l->folded, 1);
	ck_assert_uint_eq(l->runs[0].style, VS_DIM);

	text = vdoc_to_text(&vd);
	ck_assert_str_eq(text, "abcdefg42\n\n\xe6\x97\xa5\xe6\x9c\xac\n");
	free(text);

	/* Cleared, the document is empty and usable again. */
	vdoc_adds(&vd, VS_NORMAL, "unfinished");
	vdoc_clear(&vd);
	ck_assert_uint_eq(vd.n, 0);
	ck_assert_uint_eq(vd.cur_len, 0);
	text = vdoc_to_text(&vd);
	ck_assert_str_eq(text, "");
	free(text);
	vdoc_adds(&vd, VS_NORMAL, "again");
	vdoc_end_line(&vd);
	ck_assert_str_eq(vd.lines[0].text, "again");
	vdoc_free(&vd);
}
END_TEST

START_TEST(test_vdoc_sanitises)
{
	struct vdoc vd = VDOC_INIT;
	const char *attack = "\x1b[31mred\x1b]0;title\x07 \xc2\x9b" "2J "
	    "\xe2\x80\xae" "evil a\nb\tc\x7f\xff";

	vdoc_adds(&vd, VS_NORMAL, attack);
	vdoc_end_line(&vd);
	ck_assert_str_eq(vd.lines[0].text,
	    "\\x1b[31mred\\x1b]0;title\\x07 \\u{9b}2J \\u{202e}evil a\\nb\\tc"
	    "\\x7f\xef\xbf\xbd");
	ck_assert(text_is_safe(vd.lines[0].text, vd.lines[0].len));

	/* printf arguments are untrusted too. */
	vdoc_printf(&vd, VS_NORMAL, "[%s]", "\x1b[2J");
	vdoc_end_line(&vd);
	ck_assert_str_eq(vd.lines[1].text, "[\\x1b[2J]");

	/* Embedded NULs are counted, not stopped at. */
	vdoc_add(&vd, VS_NORMAL, "a\0b", 3);
	vdoc_end_line(&vd);
	ck_assert_str_eq(vd.lines[2].text, "a\\x00b");

	/* The caller vouches for vdoc_add_safe. */
	vdoc_add_safe(&vd, VS_NORMAL, "as is", 5);
	vdoc_end_line(&vd);
	ck_assert_str_eq(vd.lines[3].text, "as is");
	vdoc_free(&vd);
}
END_TEST

START_TEST(test_vdoc_wrapped)
{
	struct vdoc vd = VDOC_INIT;
	char *text;
	size_t i;

	vdoc_add_wrapped(&vd, VS_STRING, "hello world foo bar", 19, 12, 2);
	/* Blank lines stay empty; a final newline adds no line. */
	vdoc_add_wrapped(&vd, VS_STRING, "a\n\nb\n", 5, 12, 2);
	/* Tabs go to the next multiple of 8 columns. */
	vdoc_add_wrapped(&vd, VS_STRING, "a\tb\n\tc", 6, 40, 1);
	/* Controls other than newline are escaped. */
	vdoc_add_wrapped(&vd, VS_STRING, "x\x1b[1my\r", 7, 40, 0);
	/* An empty text is one empty line. */
	vdoc_add_wrapped(&vd, VS_STRING, "", 0, 40, 4);
	/* With an empty text, an unfinished line just ends. */
	vdoc_adds(&vd, VS_KEY, "key");
	vdoc_add_wrapped(&vd, VS_STRING, "", 0, 40, 2);
	text = vdoc_to_text(&vd);
	ck_assert_str_eq(text,
	    "  hello\n"
	    "  world foo\n"
	    "  bar\n"
	    "  a\n"
	    "\n"
	    "  b\n"
	    " a       b\n"
	    "         c\n"
	    "x\\x1b[1my\\r\n"
	    "\n"
	    "key\n");
	free(text);

	/* The indent is unstyled, the text in its style. */
	ck_assert_uint_eq(vd.lines[0].nruns, 2);
	ck_assert_uint_eq(style_at(&vd.lines[0], 0), VS_NORMAL);
	ck_assert_uint_eq(style_at(&vd.lines[0], 2), VS_STRING);
	for (i = 0; i < vd.n; i++)
		check_runs(&vd.lines[i]);
	vdoc_free(&vd);
}
END_TEST

START_TEST(test_vdoc_wrapped_continues)
{
	struct vdoc vd = VDOC_INIT;
	char *text;

	/* A current line narrower than the indent is padded to it, and the
	 * text goes on beside it. */
	vdoc_adds(&vd, VS_KEY, "key");
	vdoc_add_wrapped(&vd, VS_STRING, "alpha beta gamma delta epsilon", 30,
	    20, 8);
	/* A wider one leaves the first line less room. */
	vdoc_adds(&vd, VS_KEY, "a_long_key: ");
	vdoc_add_wrapped(&vd, VS_STRING, "one two three four five six", 27,
	    24, 4);
	/* One that is already full makes the text start below. */
	vdoc_adds(&vd, VS_KEY, "0123456789012345678901234");
	vdoc_add_wrapped(&vd, VS_STRING, "below", 5, 20, 2);
	/* The first line breaks at a newline and in long words too. */
	vdoc_adds(&vd, VS_KEY, "k");
	vdoc_add_wrapped(&vd, VS_STRING, "ab\ncd", 5, 20, 3);
	vdoc_adds(&vd, VS_KEY, "k");
	vdoc_add_wrapped(&vd, VS_STRING, "abcdefghij   klm", 16, 8, 2);
	text = vdoc_to_text(&vd);
	ck_assert_str_eq(text,
	    "key     alpha beta\n"
	    "        gamma delta\n"
	    "        epsilon\n"
	    "a_long_key: one two\n"
	    "    three four five six\n"
	    "0123456789012345678901234\n"
	    "  below\n"
	    "k  ab\n"
	    "   cd\n"
	    "k abcdef\n"
	    "  ghij\n"
	    "  klm\n");
	free(text);
	ck_assert_int_eq(style_at(&vd.lines[0], 0), VS_KEY);
	ck_assert_int_eq(style_at(&vd.lines[0], 3), VS_NORMAL);
	ck_assert_int_eq(style_at(&vd.lines[0], 8), VS_STRING);
	vdoc_free(&vd);
}
END_TEST

START_TEST(test_vdoc_take_line)
{
	struct vdoc from = VDOC_INIT, to = VDOC_INIT;
	char *text;

	vdoc_adds(&from, VS_KEY, "moved");
	vdoc_end_node_line(&from, 3, 1);
	vdoc_adds(&to, VS_NORMAL, "first");
	vdoc_end_line(&to);
	vdoc_take_line(&to, &from.lines[0], 7);
	ck_assert_ptr_null(from.lines[0].text);
	ck_assert_uint_eq(to.n, 2);
	ck_assert_str_eq(to.lines[1].text, "moved");
	ck_assert_uint_eq(to.lines[1].node, 7);
	ck_assert_uint_eq(to.lines[1].folded, 1);
	ck_assert_int_eq(style_at(&to.lines[1], 0), VS_KEY);
	text = vdoc_to_text(&to);
	ck_assert_str_eq(text, "first\nmoved\n");
	free(text);
	/* Both documents free cleanly. */
	vdoc_free(&from);
	vdoc_free(&to);
}
END_TEST

START_TEST(test_vdoc_wrapped_width)
{
	struct vdoc vd = VDOC_INIT;
	struct buf b = BUF_INIT;
	size_t i;
	int w;

	for (i = 0; i < 200; i++)
		buf_adds(&b, i % 7 == 0 ? "\xe6\x97\xa5\xe6\x9c\xac " :
		    i % 5 == 0 ? "supercalifragilisticexpialidocious\n" : "word ");
	vdoc_add_wrapped(&vd, VS_NORMAL, b.p, b.len, 30, 6);
	ck_assert_uint_gt(vd.n, 20);
	for (i = 0; i < vd.n; i++) {
		w = text_width(vd.lines[i].text, vd.lines[i].len);
		ck_assert_int_le(w, 30);
		ck_assert(vd.lines[i].len == 0 ||
		    strncmp(vd.lines[i].text, "      ", 6) == 0);
	}
	buf_free(&b);
	vdoc_free(&vd);
}
END_TEST

/* ---- json_view: layout -------------------------------------------------- */

START_TEST(test_json_pretty)
{
	CHECK_JSON("{\"name\": \"demo\", \"n\": 3, \"ok\": true, \"none\": null,"
	    " \"list\": [1, \"two\", [], {}, false], \"obj\": {\"k\": \"v\"}}", 80,
	    "{\n"
	    "  \"name\": \"demo\",\n"
	    "  \"n\": 3,\n"
	    "  \"ok\": true,\n"
	    "  \"none\": null,\n"
	    "  \"list\": [\n"
	    "    1,\n"
	    "    \"two\",\n"
	    "    [],\n"
	    "    {},\n"
	    "    false\n"
	    "  ],\n"
	    "  \"obj\": {\n"
	    "    \"k\": \"v\"\n"
	    "  }\n"
	    "}\n");
	CHECK_JSON("[[[1]], {\"a\": [{}]}]", 80,
	    "[\n"
	    "  [\n"
	    "    [\n"
	    "      1\n"
	    "    ]\n"
	    "  ],\n"
	    "  {\n"
	    "    \"a\": [\n"
	    "      {}\n"
	    "    ]\n"
	    "  }\n"
	    "]\n");
	/* Scalars and empty containers at the top; whitespace around. */
	CHECK_JSON(" \"just text\"\n", 80, "\"just text\"\n");
	CHECK_JSON("42", 80, "42\n");
	CHECK_JSON("null", 80, "null\n");
	CHECK_JSON("{}", 80, "{}\n");
	CHECK_JSON("[ ]", 80, "[]\n");
}
END_TEST

START_TEST(test_json_indent)
{
	struct json_view *jv = parse_ok("{\"a\": [1]}");
	struct vdoc vd = VDOC_INIT;
	char *text;

	/* Appends to what is there, ending an unfinished line first. */
	vdoc_adds(&vd, VS_HEADER, "mcp.state.x");
	json_view_render(jv, &vd, 80, 4);
	text = vdoc_to_text(&vd);
	ck_assert_str_eq(text,
	    "mcp.state.x\n"
	    "    {\n"
	    "      \"a\": [\n"
	    "        1\n"
	    "      ]\n"
	    "    }\n");
	free(text);
	vdoc_free(&vd);
	json_view_free(jv);
}
END_TEST

START_TEST(test_json_key_order)
{
	CHECK_JSON("{\"z\": 1, \"a\": 2, \"m\": 3, \"b\": 4, \"y\": 5, \"c\": 6,"
	    " \"x\": 7, \"d\": 8, \"zz\": 9, \"aa\": 10}", 80,
	    "{\n  \"z\": 1,\n  \"a\": 2,\n  \"m\": 3,\n  \"b\": 4,\n  \"y\": 5,\n"
	    "  \"c\": 6,\n  \"x\": 7,\n  \"d\": 8,\n  \"zz\": 9,\n  \"aa\": 10\n}\n");
	/* A repeated key keeps its first place and its last value. */
	CHECK_JSON("{\"b\": 1, \"a\": 2, \"b\": 3}", 80,
	    "{\n  \"b\": 3,\n  \"a\": 2\n}\n");
}
END_TEST

START_TEST(test_json_numbers_as_written)
{
	struct json_view *jv;
	struct vdoc vd = VDOC_INIT;
	size_t i;

	CHECK_JSON("[NaN, Infinity, -Infinity, 123456789012345678901234567890,"
	    " -123456789012345678901234567890, 1.50e+3, -0, 0.10, 1E400, 2e-999,"
	    " 9223372036854775807, 18446744073709551616]", 80,
	    "[\n  NaN,\n  Infinity,\n  -Infinity,\n"
	    "  123456789012345678901234567890,\n"
	    "  -123456789012345678901234567890,\n"
	    "  1.50e+3,\n  -0,\n  0.10,\n  1E400,\n  2e-999,\n"
	    "  9223372036854775807,\n  18446744073709551616\n]\n");
	CHECK_JSON("{\"v\":NaN,\"w\":-Infinity}", 80,
	    "{\n  \"v\": NaN,\n  \"w\": -Infinity\n}\n");
	CHECK_JSON("NaN", 80, "NaN\n");
	CHECK_JSON("-1e5", 80, "-1e5\n");
	/* In strings they are just text. */
	CHECK_JSON("[\"NaN\", \"12\"]", 80, "[\n  \"NaN\",\n  \"12\"\n]\n");

	jv = parse_ok("[NaN, 123456789012345678901234567890, 1.5, \"1\"]");
	json_view_render(jv, &vd, 80, 0);
	for (i = 1; i <= 3; i++)
		ck_assert_int_eq(style_at(&vd.lines[i], 2), VS_NUMBER);
	ck_assert_int_eq(style_at(&vd.lines[4], 2), VS_STRING);
	vdoc_free(&vd);
	json_view_free(jv);
}
END_TEST

START_TEST(test_json_bad_numbers)
{
	static const char *bad[] = {
		"[01]", "[1.]", "[.5]", "[1e]", "[+1]", "[- 1]", "[1.5.3]",
		"[nan]", "[-NaN]", "[Inf]", "[infinity]", "[0x10]", "[1 2]",
		"{1: 2}", "{NaN: 1}", "{\"a\": 1 : 2}", "[True]", "[NaNa]",
		"[1]x", "12 13",
	};
	size_t i;

	for (i = 0; i < sizeof bad / sizeof bad[0]; i++)
		free(parse_fails(bad[i], strlen(bad[i])));
}
END_TEST

START_TEST(test_json_strings)
{
	/* JSON escapes for quote and backslash, visible escapes for
	 * controls, unicode as it is. */
	CHECK_JSON("[\"a\\\"b\\\\c/\\/\", \"h\\u00e9llo \xe2\x9c\x93 \xe6\x97\xa5\","
	    " \"\\u0001\\u001b[31m\\t\\r\\b\\f\\u007f\", \"\\u202eevil\","
	    " \"\\u0000\", \"\\ud83d\\ude00\", \"\"]", 80,
	    "[\n"
	    "  \"a\\\"b\\\\c//\",\n"
	    "  \"h\xc3\xa9llo \xe2\x9c\x93 \xe6\x97\xa5\",\n"
	    "  \"\\x01\\x1b[31m\\t\\r\\x08\\x0c\\x7f\",\n"
	    "  \"\\u{202e}evil\",\n"
	    "  \"\\x00\",\n"
	    "  \"\xf0\x9f\x98\x80\",\n"
	    "  \"\"\n"
	    "]\n");
	/* Keys are escaped the same way, newlines included. */
	CHECK_JSON("{\"a\\nb\\u001b\\\"\": 1}", 80,
	    "{\n  \"a\\nb\\x1b\\\"\": 1\n}\n");
	/* Strings that look like the pre-pass's marks stay strings. */
	CHECK_JSON("[\"\\u0000n1\", \"\\u0000s\", \"\\u0000\\u0000\"]", 80,
	    "[\n  \"\\x00n1\",\n  \"\\x00s\",\n  \"\\x00\\x00\"\n]\n");
}
END_TEST

START_TEST(test_json_multiline_string)
{
	/* A newline breaks the display line; the text continues under its
	 * first character. */
	CHECK_JSON("{\"text\": \"first line\\nsecond\\n\\nlast\", \"n\": 1}", 80,
	    "{\n"
	    "  \"text\": \"first line\n"
	    "           second\n"
	    "\n"
	    "           last\",\n"
	    "  \"n\": 1\n"
	    "}\n");
	CHECK_JSON("[\"a\\n\"]", 80, "[\n  \"a\n   \"\n]\n");
}
END_TEST

START_TEST(test_json_wrap)
{
	CHECK_JSON("{\"key\": \"Lorem ipsum dolor sit amet, consectetur "
	    "adipiscing elit, sed do eiusmod\", \"a_long_key_name_for_wrapping\":"
	    " \"Lorem ipsum dolor sit amet, consectetur\"}", 40,
	    "{\n"
	    "  \"key\": \"Lorem ipsum dolor sit amet,\n"
	    "          consectetur adipiscing elit,\n"
	    "          sed do eiusmod\",\n"
	    "  \"a_long_key_name_for_wrapping\":\n"
	    "    \"Lorem ipsum dolor sit amet,\n"
	    "    consectetur\"\n"
	    "}\n");
}
END_TEST

/* Open every long string (folded to a summary line) of jv at width. */
static void
open_strings(struct json_view *jv, int width)
{
	struct vdoc vd = VDOC_INIT;
	size_t i;
	bool more = true;

	while (more) {
		more = false;
		json_view_render(jv, &vd, width, 0);
		for (i = 0; i < vd.n; i++) {
			if (vd.lines[i].folded && vd.lines[i].node >= json_view_nodes(jv)) {
				ck_assert(json_view_toggle(jv, vd.lines[i].node));
				more = true;
			}
		}
		vdoc_clear(&vd);
	}
	vdoc_free(&vd);
}

START_TEST(test_json_wrap_width)
{
	struct json_view *jv;
	struct vdoc vd = VDOC_INIT;
	struct buf doc = BUF_INIT, words = BUF_INIT;
	char *narrow, *wide, *a, *b;
	size_t i;
	int width;

	for (i = 0; i < 300; i++)
		buf_adds(&words, i % 11 == 0 ? "\xe6\x97\xa5\xe6\x9c\xac\xe8\xaa\x9e " :
		    i % 13 == 0 ? "\\n" : i % 17 == 0 ? "\\u001b[0m " : "word ");
	buf_printf(&doc, "{\"s\": \"%s\", \"deep\": {\"deeper\": [{\"x\": \"%s\"}]},"
	    " \"run\": \"", words.p, words.p);
	for (i = 0; i < 500; i++)
		buf_addc(&doc, 'x');
	buf_adds(&doc, "\", \"");
	for (i = 0; i < 100; i++)
		buf_adds(&doc, "long_key_");
	buf_adds(&doc, "\": [1234567890123456789012345678901234567890123456789"
	    "01234567890, \"\xe6\x97\xa5\xe6\x97\xa5\xe6\x97\xa5\xe6\x97\xa5\xe6\x97\xa5"
	    "\xe6\x97\xa5\xe6\x97\xa5\xe6\x97\xa5\xe6\x97\xa5\xe6\x97\xa5\xe6\x97\xa5"
	    "\xe6\x97\xa5\xe6\x97\xa5\xe6\x97\xa5\xe6\x97\xa5\xe6\x97\xa5\xe6\x97\xa5"
	    "\xe6\x97\xa5\xe6\x97\xa5\xe6\x97\xa5\xe6\x97\xa5\xe6\x97\xa5\"]}");
	jv = parse_ok(doc.p);
	for (width = 25; width <= 60; width += 5) {
		open_strings(jv, width);
		json_view_render(jv, &vd, width, 0);
		ck_assert_uint_gt(vd.n, 50);
		for (i = 0; i < vd.n; i++) {
			ck_assert_msg(text_width(vd.lines[i].text,
			    vd.lines[i].len) <= width, "width %d line %zu: %s",
			    width, i, vd.lines[i].text);
			check_runs(&vd.lines[i]);
		}
		vdoc_clear(&vd);
	}

	/* Wrapping only moves text between lines. */
	narrow = view_text(jv, 40, 0);
	wide = view_text(jv, 100000, 0);
	a = squeeze(narrow);
	b = squeeze(wide);
	ck_assert_str_eq(a, b);
	free(a);
	free(b);
	free(narrow);
	free(wide);
	json_view_free(jv);
	buf_free(&words);
	buf_free(&doc);
}
END_TEST

START_TEST(test_json_huge_string)
{
	struct json_view *jv;
	struct vdoc vd = VDOC_INIT;
	struct buf doc = BUF_INIT;
	size_t i, total = 0;

	buf_adds(&doc, "{\"output\": \"");
	for (i = 0; i < 3000; i++)
		buf_adds(&doc, i % 20 == 19 ? "line end\\n" : "0123456789");
	buf_adds(&doc, "\"}");
	jv = parse_ok(doc.p);
	/* Folded to one line, as a long attribute value is (blob.h)... */
	json_view_render(jv, &vd, 100, 2);
	ck_assert_uint_eq(vd.n, 3);
	ck_assert_str_eq(vd.lines[1].text, "    \"output\": \xe2\x80\xa6 450 lines (29 KB), Enter to expand");
	ck_assert_uint_eq(vd.lines[1].node, 2);
	ck_assert_uint_eq(vd.lines[1].folded, 1);
	vdoc_clear(&vd);
	/* ... and Enter (its line's node) shows it in full. */
	ck_assert(json_view_toggle(jv, 2));
	json_view_render(jv, &vd, 100, 2);
	ck_assert_uint_eq(vd.lines[1].node, 2);
	ck_assert_uint_eq(vd.lines[1].folded, 0);
	for (i = 0; i < vd.n; i++) {
		ck_assert_int_le(text_width(vd.lines[i].text, vd.lines[i].len), 100);
		total += vd.lines[i].len;
	}
	ck_assert_uint_gt(total, 30000);
	vdoc_clear(&vd);
	/* Folding everything folds it again; a short string never folds. */
	json_view_set_all(jv, true);
	json_view_render(jv, &vd, 100, 2);
	ck_assert_uint_eq(vd.n, 3);
	vdoc_clear(&vd);
	json_view_free(jv);
	jv = parse_ok("{\"a\": \"short\", \"b\": [1]}");
	ck_assert(!json_view_toggle(jv, 2 + 1));
	ck_assert(!json_view_toggle(jv, 2 + 3));
	vdoc_free(&vd);
	json_view_free(jv);
	buf_free(&doc);
}
END_TEST

/* A search's text inside folded containers: they open, nothing else
 * does; a long string holding it stays folded. */
START_TEST(test_json_reveal)
{
	struct json_view *jv;
	struct buf doc = BUF_INIT;
	char *text;
	size_t i;

	buf_adds(&doc, "{\"a\": {\"b\": [1, 2]}, \"c\": {\"d\": [{\"x\": \"Find-Me\"}]},"
	    " \"long\": \"");
	for (i = 0; i < 300; i++)
		buf_printf(&doc, "memory line %zu\\n", i);
	buf_adds(&doc, "\", \"e\": {\"f\": 1}}");
	jv = parse_ok(doc.p);
	json_view_set_all(jv, true);
	text = view_text(jv, 80, 0);
	ck_assert_ptr_null(strstr(text, "Find-Me"));
	free(text);
	ck_assert(json_view_reveal(jv, "find-me"));
	text = view_text(jv, 80, 0);
	/* "c" and what is inside open; "a" and "e" stay folded. */
	ck_assert_ptr_nonnull(strstr(text, "\"x\": \"Find-Me\""));
	ck_assert_ptr_nonnull(strstr(text, "\"a\": {...} 1 key"));
	ck_assert_ptr_nonnull(strstr(text, "\"e\": {...} 1 key"));
	free(text);
	ck_assert(!json_view_reveal(jv, "find-me"));
	ck_assert(!json_view_reveal(jv, "not there"));
	ck_assert(!json_view_reveal(jv, "memory line 250"));
	text = view_text(jv, 80, 0);
	ck_assert_ptr_null(strstr(text, "memory line 250"));
	free(text);
	ck_assert(json_view_reveal(jv, "\"f\""));
	text = view_text(jv, 80, 0);
	ck_assert_ptr_nonnull(strstr(text, "\"f\": 1"));
	free(text);
	json_view_free(jv);
	buf_free(&doc);
}
END_TEST

START_TEST(test_json_styles)
{
	struct json_view *jv = parse_ok("{\"k\": \"v\", \"n\": -1.5, \"t\": true,"
	    " \"f\": false, \"z\": null, \"o\": {}}");
	struct vdoc vd = VDOC_INIT;
	const struct vline *l;
	size_t i;

	json_view_render(jv, &vd, 80, 0);
	ck_assert_uint_eq(vd.n, 8);
	/* `{` opens node 0. */
	l = &vd.lines[0];
	ck_assert_uint_eq(l->nruns, 1);
	ck_assert_int_eq(style_at(l, 0), VS_DIM);
	ck_assert_uint_eq(l->node, 0);
	ck_assert_uint_eq(l->folded, 0);
	/* `  "k": "v",` */
	l = &vd.lines[1];
	ck_assert_str_eq(l->text, "  \"k\": \"v\",");
	ck_assert_uint_eq(l->nruns, 5);
	ck_assert_int_eq(style_at(l, 0), VS_NORMAL);
	ck_assert_int_eq(style_at(l, 2), VS_KEY);
	ck_assert_int_eq(style_at(l, 4), VS_KEY);
	ck_assert_int_eq(style_at(l, 5), VS_DIM);
	ck_assert_int_eq(style_at(l, 7), VS_STRING);
	ck_assert_int_eq(style_at(l, 9), VS_STRING);
	ck_assert_int_eq(style_at(l, 10), VS_DIM);
	ck_assert_uint_eq(l->node, VDOC_NO_NODE);
	ck_assert_int_eq(style_at(&vd.lines[2], 7), VS_NUMBER);
	ck_assert_int_eq(style_at(&vd.lines[3], 7), VS_LITERAL);
	ck_assert_int_eq(style_at(&vd.lines[4], 7), VS_LITERAL);
	ck_assert_int_eq(style_at(&vd.lines[5], 7), VS_LITERAL);
	/* An empty container has nothing to fold. */
	ck_assert_str_eq(vd.lines[6].text, "  \"o\": {}");
	ck_assert_int_eq(style_at(&vd.lines[6], 7), VS_DIM);
	ck_assert_uint_eq(vd.lines[6].node, VDOC_NO_NODE);
	ck_assert_int_eq(style_at(&vd.lines[7], 0), VS_DIM);
	for (i = 0; i < vd.n; i++)
		check_runs(&vd.lines[i]);
	ck_assert_uint_eq(json_view_nodes(jv), 2);
	vdoc_free(&vd);
	json_view_free(jv);
}
END_TEST

/* ---- json_view: folding ------------------------------------------------- */

START_TEST(test_json_fold)
{
	struct json_view *jv = parse_ok("{\"a\": {\"x\": 1, \"y\": 2},"
	    " \"b\": [1, 2, 3], \"c\": [[true]]}");
	struct vdoc vd = VDOC_INIT;
	char *text;

	ck_assert_uint_eq(json_view_nodes(jv), 5);
	text = view_text(jv, 80, 0);
	ck_assert_uint_eq(count_lines(text), 16);
	free(text);

	ck_assert(json_view_toggle(jv, 1));
	ck_assert(json_view_toggle(jv, 3));
	text = view_text(jv, 80, 0);
	ck_assert_str_eq(text,
	    "{\n"
	    "  \"a\": {...} 2 keys,\n"
	    "  \"b\": [\n"
	    "    1,\n"
	    "    2,\n"
	    "    3\n"
	    "  ],\n"
	    "  \"c\": [...] 1 item\n"
	    "}\n");
	free(text);

	/* The folded line carries its node. */
	json_view_render(jv, &vd, 80, 0);
	ck_assert_uint_eq(vd.lines[1].node, 1);
	ck_assert_uint_eq(vd.lines[1].folded, 1);
	ck_assert_int_eq(style_at(&vd.lines[1], 2), VS_KEY);
	ck_assert_int_eq(style_at(&vd.lines[1], 7), VS_DIM);
	ck_assert_uint_eq(vd.lines[2].node, 2);
	ck_assert_uint_eq(vd.lines[2].folded, 0);
	ck_assert_uint_eq(vd.lines[7].node, 3);
	ck_assert_uint_eq(vd.lines[7].folded, 1);
	vdoc_free(&vd);

	/* Unfolding the outer shows the inner as it was left. */
	ck_assert(json_view_toggle(jv, 3));
	ck_assert(json_view_toggle(jv, 4));
	text = view_text(jv, 80, 0);
	ck_assert(strstr(text, "  \"c\": [\n    [...] 1 item\n  ]\n}\n") != NULL);
	free(text);

	ck_assert(!json_view_toggle(jv, 5));
	ck_assert(!json_view_toggle(jv, VDOC_NO_NODE));

	/* Folding everything keeps the top open. */
	json_view_set_all(jv, true);
	text = view_text(jv, 80, 0);
	ck_assert_str_eq(text,
	    "{\n"
	    "  \"a\": {...} 2 keys,\n"
	    "  \"b\": [...] 3 items,\n"
	    "  \"c\": [...] 1 item\n"
	    "}\n");
	free(text);
	json_view_set_all(jv, false);
	text = view_text(jv, 80, 0);
	ck_assert_uint_eq(count_lines(text), 16);
	free(text);

	/* The top can still be folded on demand. */
	ck_assert(json_view_toggle(jv, 0));
	text = view_text(jv, 80, 0);
	ck_assert_str_eq(text, "{...} 3 keys\n");
	free(text);
	json_view_free(jv);

	/* A scalar has no containers. */
	jv = parse_ok("\"x\"");
	ck_assert_uint_eq(json_view_nodes(jv), 0);
	ck_assert(!json_view_toggle(jv, 0));
	json_view_set_all(jv, true);
	text = view_text(jv, 80, 0);
	ck_assert_str_eq(text, "\"x\"\n");
	free(text);
	json_view_free(jv);
}
END_TEST

START_TEST(test_json_default_fold_array)
{
	struct json_view *jv;
	struct vdoc vd = VDOC_INIT;
	struct buf doc = BUF_INIT;
	size_t i;

	/* 5000 objects: even folded they are too many lines, so the top
	 * folds; it is still the line shown. */
	buf_addc(&doc, '[');
	for (i = 0; i < 5000; i++)
		buf_printf(&doc, "%s{\"id\": %zu, \"name\": \"item\", \"v\": [1, 2]}",
		    i > 0 ? ", " : "", i);
	buf_addc(&doc, ']');
	jv = parse_ok(doc.p);
	ck_assert_uint_eq(json_view_nodes(jv), 10001);
	json_view_render(jv, &vd, 100, 0);
	ck_assert_uint_le(vd.n, JSON_VIEW_LINE_BUDGET);
	ck_assert_str_eq(vd.lines[0].text, "[...] 5000 items");
	ck_assert_uint_eq(vd.lines[0].node, 0);
	ck_assert_uint_eq(vd.lines[0].folded, 1);
	vdoc_clear(&vd);

	/* Opened, it lists the objects folded. */
	ck_assert(json_view_toggle(jv, 0));
	json_view_render(jv, &vd, 100, 0);
	ck_assert_uint_eq(vd.n, 5002);
	ck_assert_str_eq(vd.lines[1].text, "  {...} 3 keys,");
	vdoc_clear(&vd);

	json_view_set_all(jv, false);
	json_view_render(jv, &vd, 100, 0);
	ck_assert_uint_eq(vd.n, 2 + 5000 * 8);
	vdoc_free(&vd);
	json_view_free(jv);
	buf_free(&doc);
}
END_TEST

START_TEST(test_json_default_fold_levels)
{
	struct json_view *jv;
	struct vdoc vd = VDOC_INIT;
	struct buf doc = BUF_INIT;
	size_t i, open = 0, folded = 0;

	/* The outline stays open; the messages open in order while they
	 * fit, the rest fold. */
	buf_adds(&doc, "{\"model\": \"m\", \"messages\": [");
	for (i = 0; i < 300; i++)
		buf_printf(&doc, "%s{\"role\": \"user\", \"n\": %zu, \"content\":"
		    " [{\"type\": \"text\", \"text\": \"hi\"}], \"a\": 1, \"b\": 2,"
		    " \"c\": 3, \"d\": 4, \"e\": 5}", i > 0 ? ", " : "", i);
	buf_adds(&doc, "], \"tail\": true}");
	jv = parse_ok(doc.p);
	json_view_render(jv, &vd, 100, 0);
	ck_assert_uint_le(vd.n, JSON_VIEW_LINE_BUDGET);
	ck_assert_uint_ge(vd.n, JSON_VIEW_LINE_BUDGET - 20);
	ck_assert_str_eq(vd.lines[0].text, "{");
	ck_assert_str_eq(vd.lines[1].text, "  \"model\": \"m\",");
	ck_assert_str_eq(vd.lines[2].text, "  \"messages\": [");
	ck_assert_str_eq(vd.lines[3].text, "    {");
	ck_assert_str_eq(vd.lines[4].text, "      \"role\": \"user\",");
	ck_assert_str_eq(vd.lines[6].text, "      \"content\": [...] 1 item,");
	ck_assert_str_eq(vd.lines[vd.n - 2].text, "  \"tail\": true");
	for (i = 0; i < vd.n; i++) {
		if (vd.lines[i].node == VDOC_NO_NODE ||
		    strncmp(vd.lines[i].text, "    {", 5) != 0)
			continue;
		if (vd.lines[i].folded)
			folded++;
		else {
			/* Only the first ones open. */
			ck_assert_uint_eq(folded, 0);
			open++;
		}
	}
	ck_assert_uint_gt(open, 100);
	ck_assert_uint_eq(open + folded, 300);
	vdoc_free(&vd);
	json_view_free(jv);
	buf_free(&doc);

	/* A value within the budget opens whole. */
	buf_adds(&doc, "[");
	for (i = 0; i < 600; i++)
		buf_printf(&doc, "%s{\"i\": %zu}", i > 0 ? ", " : "", i);
	buf_adds(&doc, "]");
	jv = parse_ok(doc.p);
	json_view_render(jv, &vd, 100, 0);
	ck_assert_uint_eq(vd.n, 2 + 600 * 3);
	vdoc_free(&vd);
	json_view_free(jv);
	buf_free(&doc);
}
END_TEST

/* ---- json_view: hostile input ------------------------------------------- */

START_TEST(test_json_invalid)
{
	static const char *bad[] = {
		"", " ", "nope", "{", "}", "[1,]", "{\"a\"}", "{\"a\":}",
		"[\"\\x\"]", "[\"\\ud800\"]", "[\"tab\there\"]", "'single'",
		"{\"a\\u0000\": 1}", "[\"\xff\"]", "[\"\xe6\x97\"]", "\x1b[31m",
		"[1] [2]", "\"unterminated",
	};
	char *cause;
	size_t i;

	for (i = 0; i < sizeof bad / sizeof bad[0]; i++)
		free(parse_fails(bad[i], strlen(bad[i])));

	cause = parse_fails("[1 2]", 5);
	ck_assert_str_eq(cause, "']' expected at line 1, column 4");
	free(cause);
	cause = parse_fails("{\n  \"a\": [\n    1,\n    oops\n", 27);
	ck_assert_str_eq(cause, "invalid token at line 4, column 8");
	free(cause);
	/* jansson's "near" quote is raw input: it is left out. */
	cause = parse_fails("[\x1b[2J]", 6);
	ck_assert(strstr(cause, "\x1b") == NULL);
	free(cause);

	/* A NULL cause pointer is allowed. */
	ck_assert_ptr_null(json_view_new("{", 1, NULL));
	/* Only len bytes are read. */
	json_view_free(parse_ok("[1]"));
	{
		char *c = NULL;
		struct json_view *jv = json_view_new("[1]garbage", 3, &c);

		ck_assert_ptr_nonnull(jv);
		json_view_free(jv);
	}
}
END_TEST

START_TEST(test_json_truncated)
{
	const char *doc = "{\"a\": \"hello \\\"world\\\"\", \"b\": [1, 2.5, NaN,"
	    " {\"c\": null}], \"d\": \"\xe6\x97\xa5\xe6\x9c\xac\"}";
	size_t n = strlen(doc), len;
	char *copy;

	json_view_free(parse_ok(doc));
	/* Every cut, mid-string, mid-escape and mid-character included,
	 * fails cleanly; the copy lets valgrind see any overread. */
	for (len = 0; len < n; len++) {
		copy = malloc(len + 1);
		memcpy(copy, doc, len);
		free(parse_fails(copy, len));
		free(copy);
	}
}
END_TEST

START_TEST(test_json_deep)
{
	struct json_view *jv;
	struct buf doc = BUF_INIT;
	struct vdoc vd = VDOC_INIT;
	char *cause;
	size_t i;

	for (i = 0; i < 5000; i++)
		buf_addc(&doc, '[');
	for (i = 0; i < 5000; i++)
		buf_addc(&doc, ']');
	cause = parse_fails(doc.p, doc.len);
	ck_assert_msg(strstr(cause, "depth") != NULL, "cause: %s", cause);
	free(cause);
	/* Unclosed, and far deeper. */
	buf_reset(&doc);
	for (i = 0; i < 200000; i++)
		buf_adds(&doc, "{\"a\":");
	free(parse_fails(doc.p, doc.len));

	/* 1000 deep works; fully open it is 2001 lines, so the innermost
	 * folds to stay within the budget. */
	buf_reset(&doc);
	for (i = 0; i < 1000; i++)
		buf_addc(&doc, '[');
	buf_adds(&doc, "NaN");
	for (i = 0; i < 1000; i++)
		buf_addc(&doc, ']');
	jv = parse_ok(doc.p);
	ck_assert_uint_eq(json_view_nodes(jv), 1000);
	json_view_render(jv, &vd, 100, 0);
	ck_assert_uint_eq(vd.n, 1999);
	ck_assert_str_eq(vd.lines[0].text, "[");
	ck_assert_str_eq(vd.lines[1].text, "  [");
	ck_assert(strstr(vd.lines[999].text, "[...] 1 item") != NULL);
	ck_assert_uint_eq(vd.lines[999].node, 999);
	/* Indentation stops growing, so deep lines stay on screen. */
	for (i = 0; i < vd.n; i++)
		ck_assert_int_le(text_width(vd.lines[i].text, vd.lines[i].len), 100);
	vdoc_clear(&vd);
	json_view_set_all(jv, false);
	json_view_render(jv, &vd, 100, 0);
	ck_assert_uint_eq(vd.n, 2001);
	ck_assert(strstr(vd.lines[1000].text, "NaN") != NULL);
	vdoc_free(&vd);
	json_view_free(jv);

	buf_reset(&doc);
	for (i = 0; i < 1000; i++)
		buf_adds(&doc, "{\"k\": ");
	buf_adds(&doc, "\"leaf\"");
	for (i = 0; i < 1000; i++)
		buf_addc(&doc, '}');
	jv = parse_ok(doc.p);
	json_view_set_all(jv, false);
	json_view_render(jv, &vd, 60, 0);
	ck_assert_uint_eq(vd.n, 2001);
	vdoc_free(&vd);
	json_view_free(jv);
	buf_free(&doc);
}
END_TEST

START_TEST(test_json_big_doc)
{
	struct json_view *jv;
	struct vdoc vd = VDOC_INIT;
	struct buf doc = BUF_INIT;
	size_t i;

	/* About 5 MB: it opens mostly folded, within the budget. */
	buf_adds(&doc, "{\"spans\": [");
	for (i = 0; i < 20000; i++)
		buf_printf(&doc, "%s{\"id\": %zu, \"name\": \"span %zu\", \"tags\":"
		    " [\"a\", \"b\", \"c\"], \"score\": %zu.25, \"attrs\": {\"text\":"
		    " \"Lorem ipsum dolor sit amet, consectetur adipiscing elit, sed"
		    " do eiusmod tempor incididunt ut labore et dolore magna aliqua"
		    " ut enim ad minim veniam quis\", \"ok\": true, \"none\": null}}",
		    i > 0 ? ", " : "", i, i, i);
	buf_adds(&doc, "]}");
	ck_assert_uint_gt(doc.len, 5000000);
	jv = parse_ok(doc.p);
	json_view_render(jv, &vd, 100, 0);
	ck_assert_uint_le(vd.n, JSON_VIEW_LINE_BUDGET);
	ck_assert_str_eq(vd.lines[0].text, "{");
	ck_assert_str_eq(vd.lines[1].text, "  \"spans\": [...] 20000 items");
	vdoc_free(&vd);
	json_view_free(jv);
	buf_free(&doc);
}
END_TEST

static Suite *
views_suite(void)
{
	Suite *s = suite_create("views");
	TCase *tc;

	tc = tcase_create("vdoc");
	tcase_add_test(tc, test_vdoc_runs_merge);
	tcase_add_test(tc, test_vdoc_sanitises);
	tcase_add_test(tc, test_vdoc_wrapped);
	tcase_add_test(tc, test_vdoc_wrapped_continues);
	tcase_add_test(tc, test_vdoc_take_line);
	tcase_add_test(tc, test_vdoc_wrapped_width);
	suite_add_tcase(s, tc);

	tc = tcase_create("json_layout");
	tcase_add_test(tc, test_json_pretty);
	tcase_add_test(tc, test_json_indent);
	tcase_add_test(tc, test_json_key_order);
	tcase_add_test(tc, test_json_numbers_as_written);
	tcase_add_test(tc, test_json_bad_numbers);
	tcase_add_test(tc, test_json_strings);
	tcase_add_test(tc, test_json_multiline_string);
	tcase_add_test(tc, test_json_wrap);
	tcase_add_test(tc, test_json_wrap_width);
	tcase_add_test(tc, test_json_huge_string);
	tcase_add_test(tc, test_json_reveal);
	tcase_add_test(tc, test_json_styles);
	suite_add_tcase(s, tc);

	tc = tcase_create("json_fold");
	tcase_add_test(tc, test_json_fold);
	tcase_add_test(tc, test_json_default_fold_array);
	tcase_add_test(tc, test_json_default_fold_levels);
	suite_add_tcase(s, tc);

	/* Slow under valgrind: big and deep documents. */
	tc = tcase_create("json_hostile");
	tcase_set_timeout(tc, 600);
	tcase_add_test(tc, test_json_invalid);
	tcase_add_test(tc, test_json_truncated);
	tcase_add_test(tc, test_json_deep);
	tcase_add_test(tc, test_json_big_doc);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	return check_main(views_suite, "test_views", "C.UTF-8");
}
