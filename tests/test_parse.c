/* SPDX-License-Identifier: MIT */
/*
 * test_parse.c — unit tests of jscan (the JSON pull scanner) and
 * span_parse (trace line → span_fields, type rules, labels, times).
 *
 * The sample lines in tests/formats are real output of the three writers;
 * every line of them is checked field by field, and the same spans seen
 * through the SDK and the OTLP layouts must agree.
 */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check_main.h"
#include "buf.h"
#include "jscan.h"
#include "span_parse.h"
#include "xmalloc.h"

#ifndef FORMATS_DIR
#define FORMATS_DIR "tests/formats"
#endif

static struct span_parser *sp;
static struct jarena *arena;
static char *line_copy; /* see json() */

static void
setup(void)
{
	sp = span_parser_new();
	arena = jarena_new();
}

static void
teardown(void)
{
	span_parser_free(sp);
	jarena_free(arena);
	free(line_copy);
	line_copy = NULL;
}

/* Compare a strref with a C string; NULL means "absent". */
#define ck_ref(r, want) do {						\
	struct strref r_ = (r);						\
	const char *w_ = (want);					\
	if (w_ == NULL) {						\
		ck_assert_msg(r_.p == NULL,				\
		    "%s: expected absent, got \"%.*s\"",		\
		    #r, (int)r_.n, r_.p);				\
	} else {							\
		ck_assert_msg(r_.p != NULL, "%s: absent, expected \"%s\"", \
		    #r, w_);						\
		ck_assert_msg(r_.n == strlen(w_) &&			\
		    memcmp(r_.p, w_, r_.n) == 0,			\
		    "%s: got \"%.*s\", expected \"%s\"", #r, (int)r_.n,	\
		    r_.p, w_);						\
	}								\
} while (0)

/*
 * Test lines are written with ' where JSON has " so that they stay
 * readable; json() makes the real line.  It is kept until the next one,
 * since the parsed spans point into it.
 */
static const char *
json(const char *s)
{
	char *p;

	free(line_copy);
	line_copy = xstrdup(s);
	for (p = line_copy; *p != '\0'; p++) {
		if (*p == '\'')
			*p = '"';
	}
	return line_copy;
}

/* Parse a line that must hold exactly one span. */
static const struct span_fields *
one_span(const char *line)
{
	int n = span_parse_line(sp, line, strlen(line));

	ck_assert_msg(n == 1, "expected 1 span, got %d (%s) from %s", n,
	    span_parser_error(sp), line);
	return span_parser_span(sp, 0);
}

static int
parse(const char *s)
{
	return span_parse_line(sp, json(s), strlen(s));
}

static const struct span_fields *
parse1(const char *s)
{
	return one_span(json(s));
}

static void
ck_bad(const char *line, size_t len)
{
	int n = span_parse_line(sp, line, len);

	ck_assert_msg(n == -1, "expected a bad line, got %d from %.*s", n,
	    (int)(len > 200 ? 200 : len), line);
	ck_assert_ptr_null(span_parser_span(sp, 0));
	ck_assert_str_ne(span_parser_error(sp), "");
}
#define CK_BAD(s) ck_bad(json(s), strlen(s))

/* The lines of a file in FORMATS_DIR; the caller frees lines[0] and lines. */
static size_t
read_lines(const char *name, char ***lines)
{
	char path[1024], *text, *p, *nl;
	size_t n = 0, len;
	FILE *f;
	long size;

	snprintf(path, sizeof path, "%s/%s", FORMATS_DIR, name);
	ck_assert_msg((f = fopen(path, "rb")) != NULL, "cannot open %s", path);
	fseek(f, 0, SEEK_END);
	size = ftell(f);
	rewind(f);
	text = xmalloc((size_t)size + 1);
	len = fread(text, 1, (size_t)size, f);
	fclose(f);
	text[len] = '\0';
	*lines = NULL;
	for (p = text; *p != '\0'; p = nl + 1) {
		if ((nl = strchr(p, '\n')) == NULL)
			nl = p + strlen(p);
		*lines = xreallocarray(*lines, n + 1, sizeof **lines);
		(*lines)[n++] = p;
		if (*nl == '\0')
			break;
		*nl = '\0';
	}
	if (n == 0) {
		*lines = xmalloc(sizeof **lines);
		(*lines)[0] = text;
	}
	return n;
}

static void
free_lines(char **lines)
{
	free(lines[0]);
	free(lines);
}

/* ------------------------------------------------------------------ */
/* jscan */

static void
js_start(struct jscan *js, const char *s)
{
	jscan_init(js, s, strlen(s), arena);
}

/* Validate a whole text the way the index pass does. */
static int
js_valid(const char *s, size_t n)
{
	struct jscan js;

	jscan_init(&js, s, n, arena);
	return jscan_skip(&js) == 0 && jscan_finish(&js) == 0;
}
#define JS_VALID(s) js_valid(s, strlen(s))

START_TEST(test_jscan_walk)
{
	const char *text = " {\"a\": \"x\", \"b\" : [1, true, false, null,"
	    " {}, []], \"c\": {\"d\": -2.5e3}, \"e\": \"\"} \r";
	struct jscan js;
	struct jnum num;
	const char *k, *s;
	size_t kn, n;

	js_start(&js, text);
	ck_assert_int_eq(jscan_peek(&js), JSCAN_OBJECT);
	ck_assert_int_eq(jscan_object(&js), 0);
	ck_assert_int_eq(jscan_key(&js, &k, &kn), 1);
	ck_assert(kn == 1 && k[0] == 'a');
	ck_assert_int_eq(jscan_peek(&js), JSCAN_STRING);
	ck_assert_int_eq(jscan_string(&js, &s, &n), 0);
	ck_assert(n == 1 && s[0] == 'x');
	/* No escapes: the string points into the text itself. */
	ck_assert_ptr_eq(s, text + 8);

	ck_assert_int_eq(jscan_key(&js, &k, &kn), 1);
	ck_assert(kn == 1 && k[0] == 'b');
	ck_assert_int_eq(jscan_array(&js), 0);
	ck_assert_int_eq(jscan_elem(&js), 1);
	ck_assert_int_eq(jscan_number(&js, &num), 0);
	ck_assert_int_eq(num.class, JNUM_INT);
	ck_assert_int_eq(num.i, 1);
	ck_assert_int_eq(jscan_elem(&js), 1);
	ck_assert_int_eq(jscan_literal(&js), JSCAN_TRUE);
	ck_assert_int_eq(jscan_elem(&js), 1);
	ck_assert_int_eq(jscan_literal(&js), JSCAN_FALSE);
	ck_assert_int_eq(jscan_elem(&js), 1);
	ck_assert_int_eq(jscan_peek(&js), JSCAN_NULL);
	ck_assert_int_eq(jscan_literal(&js), JSCAN_NULL);
	ck_assert_int_eq(jscan_elem(&js), 1);
	ck_assert_int_eq(jscan_object(&js), 0);
	ck_assert_int_eq(jscan_key(&js, &k, &kn), 0);
	ck_assert_int_eq(jscan_elem(&js), 1);
	ck_assert_int_eq(jscan_peek(&js), JSCAN_ARRAY);
	ck_assert_int_eq(jscan_skip(&js), 0);
	ck_assert_int_eq(jscan_elem(&js), 0);

	ck_assert_int_eq(jscan_key(&js, &k, &kn), 1);
	ck_assert_int_eq(jscan_skip(&js), 0);
	ck_assert_int_eq(jscan_key(&js, &k, &kn), 1);
	ck_assert_int_eq(jscan_string(&js, &s, &n), 0);
	ck_assert_uint_eq(n, 0);
	ck_assert_int_eq(jscan_key(&js, &k, &kn), 0);
	ck_assert_uint_eq(js.depth, 0);
	ck_assert_int_eq(jscan_finish(&js), 0);
	ck_assert_ptr_null(jscan_error(&js, NULL));
}
END_TEST

START_TEST(test_jscan_save_cursor)
{
	struct jscan js, saved;
	struct jnum num;
	const char *k;
	size_t kn;

	js_start(&js, "{\"v\": 42, \"k\": 1}");
	jscan_object(&js);
	ck_assert_int_eq(jscan_key(&js, &k, &kn), 1);
	saved = js;
	ck_assert_int_eq(jscan_skip(&js), 0);
	ck_assert_int_eq(jscan_key(&js, &k, &kn), 1);
	ck_assert_int_eq(jscan_skip(&js), 0);
	ck_assert_int_eq(jscan_key(&js, &k, &kn), 0);
	ck_assert_int_eq(jscan_number(&saved, &num), 0);
	ck_assert_int_eq(num.i, 42);
}
END_TEST

/* Decode the single string s (a JSON string literal, quotes included). */
static void
ck_decodes(const char *literal, const char *want, size_t wantn)
{
	struct jscan js;
	const char *s;
	size_t n;

	js_start(&js, literal);
	ck_assert_msg(jscan_string(&js, &s, &n) == 0, "%s: %s", literal,
	    jscan_error(&js, NULL));
	ck_assert_int_eq(jscan_finish(&js), 0);
	ck_assert_msg(n == wantn && memcmp(s, want, n) == 0,
	    "%s decoded to \"%.*s\" (%zu bytes)", literal, (int)n, s, n);
}
#define CK_DECODES(lit, want) ck_decodes(lit, want, sizeof want - 1)

START_TEST(test_jscan_escapes)
{
	CK_DECODES("\"a\\\"b\\\\c\\/d\\be\\ff\\ng\\rh\\ti\"",
	    "a\"b\\c/d\be\ff\ng\rh\ti");
	CK_DECODES("\"caf\\u00e9\"", "caf\xc3\xa9");
	CK_DECODES("\"\\u20AC\"", "\xe2\x82\xac");
	/* A surrogate pair is one code point. */
	CK_DECODES("\"\\ud83d\\ude00!\"", "\xf0\x9f\x98\x80!");
	CK_DECODES("\"\\uD83D\\uDE00\"", "\xf0\x9f\x98\x80");
	/* Lone surrogates become U+FFFD. */
	CK_DECODES("\"\\ud800x\"", "\xef\xbf\xbdx");
	CK_DECODES("\"\\udc00\"", "\xef\xbf\xbd");
	CK_DECODES("\"\\ud800\\u0041\"", "\xef\xbf\xbd" "A");
	CK_DECODES("\"\\ud800\\ud800\\udc00\"", "\xef\xbf\xbd\xf0\x90\x80\x80");
	CK_DECODES("\"\\ud800\"", "\xef\xbf\xbd");
	/* NUL is allowed and kept. */
	CK_DECODES("\"a\\u0000b\"", "a\xef\xbf\xbd" "b"); /* a NUL would hide "b" */
	/* Raw UTF-8 passes through. */
	CK_DECODES("\"caf\xc3\xa9 \xf0\x9f\x98\x80\"",
	    "caf\xc3\xa9 \xf0\x9f\x98\x80");
}
END_TEST

START_TEST(test_jscan_unescape_unvalidated)
{
	const char *s;
	size_t n;

	/* Text jscan did not check is decoded without reading past it. */
	jscan_unescape(arena, "a\\", 2, &s, &n);
	ck_assert(n == 2 && memcmp(s, "a\\", 2) == 0);
	jscan_unescape(arena, "\\u12", 4, &s, &n);
	ck_assert(n == 4 && memcmp(s, "\\u12", 4) == 0);
	jscan_unescape(arena, "\\q", 2, &s, &n);
	ck_assert(n == 1 && s[0] == 'q');
}
END_TEST

/*
 * The block scanner must find a quote or escape at every offset, across
 * block boundaries; check every position in strings of many lengths.
 */
START_TEST(test_jscan_string_positions)
{
	char letters[80], text[128], want[128];
	struct jscan js;
	const char *s;
	size_t len, pos, n, i;

	for (i = 0; i < sizeof letters; i++)
		letters[i] = (char)('a' + i % 26);
	for (len = 0; len < 70; len++) {
		/* A plain string of len bytes, then a stray byte. */
		snprintf(text, sizeof text, "\"%.*s\"x", (int)len, letters);
		js_start(&js, text);
		ck_assert_int_eq(jscan_string(&js, &s, &n), 0);
		ck_assert_uint_eq(n, len);
		ck_assert_int_eq(jscan_finish(&js), -1);

		/* len letters with an escaped quote at pos */
		for (pos = 0; pos <= len; pos++) {
			snprintf(text, sizeof text, "\"%.*s\\\"%.*s\"",
			    (int)pos, letters, (int)(len - pos), letters + pos);
			snprintf(want, sizeof want, "%.*s\"%.*s",
			    (int)pos, letters, (int)(len - pos), letters + pos);
			js_start(&js, text);
			ck_assert_int_eq(jscan_string(&js, &s, &n), 0);
			ck_assert_uint_eq(n, len + 1);
			ck_assert(memcmp(s, want, n) == 0);
			ck_assert_int_eq(jscan_finish(&js), 0);
		}
	}
}
END_TEST

START_TEST(test_jscan_bad_strings)
{
	static const char *const bad[] = {
		"\"abc", "\"abc\\", "\"abc\\\"", "\"\\x\"", "\"\\u12\"",
		"\"\\u12g4\"",
		"\"a\tb\"", "\"a\nb\"", "\"a\x01\"",
		"\"\xff\"", "\"\xc3\"", "\"\xc0\xaf\"", "\"\xed\xa0\x80\"",
		"\"\xf4\x90\x80\x80\"",
		"\"0123456789abcdef0123456789\xe2\x82\"",
		"\"0123456789abcdef\x1f" "0123456789abcdef\"",
		"'single'",
	};
	size_t i;

	for (i = 0; i < sizeof bad / sizeof bad[0]; i++)
		ck_assert_msg(!JS_VALID(bad[i]), "accepted %s", bad[i]);
	/* DEL and friends are fine in JSON strings. */
	ck_assert(JS_VALID("\"\x7f\""));
}
END_TEST

static void
ck_number(const char *text, enum jnum_class class, int64_t i, bool zero)
{
	struct jscan js;
	struct jnum num;

	js_start(&js, text);
	ck_assert_int_eq(jscan_peek(&js), JSCAN_NUMBER);
	ck_assert_msg(jscan_number(&js, &num) == 0, "%s", text);
	ck_assert_msg(jscan_finish(&js) == 0, "%s", text);
	ck_assert_msg(num.class == class, "%s: class %d", text, num.class);
	if (class == JNUM_INT)
		ck_assert_msg(num.i == i, "%s: %lld", text, (long long)num.i);
	ck_assert_msg(num.zero == zero, "%s: zero", text);
	ck_assert_uint_eq(num.len, strlen(text));
}

START_TEST(test_jscan_numbers)
{
	ck_number("0", JNUM_INT, 0, true);
	ck_number("-0", JNUM_INT, 0, true);
	ck_number("812", JNUM_INT, 812, false);
	ck_number("-17", JNUM_INT, -17, false);
	ck_number("9223372036854775807", JNUM_INT, INT64_MAX, false);
	ck_number("-9223372036854775808", JNUM_INT, INT64_MIN, false);
	ck_number("9223372036854775808", JNUM_BIGINT, 0, false);
	ck_number("-9223372036854775809", JNUM_BIGINT, 0, false);
	ck_number("18446744073709551616", JNUM_BIGINT, 0, false);
	ck_number("123456789012345678901234567890", JNUM_BIGINT, 0, false);
	ck_number("1.5", JNUM_FLOAT, 0, false);
	ck_number("0.0", JNUM_FLOAT, 0, true);
	ck_number("0.001", JNUM_FLOAT, 0, false);
	ck_number("1e10", JNUM_FLOAT, 0, false);
	ck_number("0E+5", JNUM_FLOAT, 0, true);
	ck_number("-2.5e-3", JNUM_FLOAT, 0, false);
	ck_number("NaN", JNUM_NAN, 0, false);
	ck_number("Infinity", JNUM_INF, 0, false);
	ck_number("-Infinity", JNUM_INF, 0, false);
}
END_TEST

START_TEST(test_jscan_bad_numbers)
{
	static const char *const bad[] = {
		"01", "-", "+1", "1.", ".5", "1e", "1e+", "-a", "0x10", "1.5.2",
		"--1", "-NaN", "nan", "inf", "Infinit", "NaNa", "Infinityy",
		"1 2",
	};
	size_t i;

	for (i = 0; i < sizeof bad / sizeof bad[0]; i++)
		ck_assert_msg(!JS_VALID(bad[i]), "accepted %s", bad[i]);
}
END_TEST

START_TEST(test_jscan_grammar)
{
	static const char *const good[] = {
		"{}", "[]", " { } ", "[[]]", "{\"a\":{}}",
		"[1,[2,[3]],{\"x\":[]}]",
		"\"\"", "true", "null", "{\"\":0}", "[NaN,-Infinity,Infinity]",
		"{\"a\":1}\r", "{\"a\":1}\r\n\t ", "{\"a\":1,\"a\":2}",
	};
	static const char *const bad[] = {
		"", " ", "{", "}", "[", "]", "{]", "[}", "{\"a\"}", "{\"a\":}",
		"{\"a\":1,}", "[1,]", "[,1]", "{,}", "{a:1}", "{\"a\" 1}",
		"{\"a\":1 \"b\":2}", "[1 2]", "tru", "truee", "nul", "True",
		"{\"a\":1}x", "{\"a\":1}{}", "[1]]", "{} {}",
		"{\"a\":1}\r\x01", "{'a':1}", "[\"a\",]", "{\"a\":1}}",
	};
	size_t i;

	for (i = 0; i < sizeof good / sizeof good[0]; i++)
		ck_assert_msg(JS_VALID(good[i]), "rejected %s", good[i]);
	for (i = 0; i < sizeof bad / sizeof bad[0]; i++)
		ck_assert_msg(!JS_VALID(bad[i]), "accepted %s", bad[i]);
	ck_assert(!js_valid("[1]\0", 4));
}
END_TEST

START_TEST(test_jscan_error_offset)
{
	struct jscan js;
	size_t off;

	js_start(&js, "{\"a\": tru}");
	ck_assert_int_eq(jscan_skip(&js), -1);
	ck_assert_ptr_nonnull(jscan_error(&js, &off));
	ck_assert_uint_eq(off, 6);
	/* Errors are sticky. */
	ck_assert_int_eq(jscan_finish(&js), -1);
	ck_assert_int_eq(jscan_peek(&js), JSCAN_ERROR);

	js_start(&js, "[1, 2] x");
	ck_assert_int_eq(jscan_skip(&js), 0);
	ck_assert_int_eq(jscan_finish(&js), -1);
	jscan_error(&js, &off);
	ck_assert_uint_eq(off, 7);

	js_start(&js, "[1, 2");
	ck_assert_int_eq(jscan_skip(&js), -1);
	ck_assert_str_eq(jscan_error(&js, &off), "unexpected end of input");
	ck_assert_uint_eq(off, 5);

	js_start(&js, "\"ab\x01\"");
	ck_assert_int_eq(jscan_skip(&js), -1);
	jscan_error(&js, &off);
	ck_assert_uint_eq(off, 3);
}
END_TEST

/* n '[' then n ']' (or '{"a":' ... '}' when objects). */
static char *
nested(size_t n, bool objects, size_t *len)
{
	size_t unit = objects ? 5 : 1, i;
	char *s = xmalloc(n * (unit + 1) + 2), *p = s;

	for (i = 0; i < n; i++) {
		memcpy(p, objects ? "{\"a\":" : "[", unit);
		p += unit;
	}
	*p++ = '0';
	for (i = 0; i < n; i++)
		*p++ = objects ? '}' : ']';
	*p = '\0';
	*len = (size_t)(p - s);
	return s;
}

START_TEST(test_jscan_depth)
{
	struct jscan js;
	size_t len, i;
	char *s;

	s = nested(JSCAN_MAX_DEPTH, false, &len);
	ck_assert(js_valid(s, len));
	free(s);
	s = nested(JSCAN_MAX_DEPTH, true, &len);
	ck_assert(js_valid(s, len));
	free(s);
	s = nested(JSCAN_MAX_DEPTH + 1, false, &len);
	ck_assert(!js_valid(s, len));
	free(s);
	s = nested(100000, true, &len);
	jscan_init(&js, s, len, arena);
	ck_assert_int_eq(jscan_skip(&js), -1);
	ck_assert_str_eq(jscan_error(&js, NULL), "nested too deeply");
	free(s);

	/* Containers entered by the caller count too. */
	s = nested(JSCAN_MAX_DEPTH, false, &len);
	jscan_init(&js, s, len, arena);
	ck_assert_int_eq(jscan_array(&js), 0);
	ck_assert_int_eq(jscan_elem(&js), 1);
	ck_assert_int_eq(jscan_skip(&js), 0);
	free(s);
	s = nested(JSCAN_MAX_DEPTH + 1, false, &len);
	jscan_init(&js, s, len, arena);
	ck_assert_int_eq(jscan_array(&js), 0);
	ck_assert_int_eq(jscan_elem(&js), 1);
	ck_assert_int_eq(jscan_skip(&js), -1);
	/* The pull API has the same limit. */
	jscan_init(&js, s, len, arena);
	for (i = 0; i < JSCAN_MAX_DEPTH; i++) {
		ck_assert_int_eq(jscan_array(&js), 0);
		ck_assert_int_eq(jscan_elem(&js), 1);
	}
	ck_assert_int_eq(jscan_array(&js), -1);
	ck_assert_str_eq(jscan_error(&js, NULL), "nested too deeply");
	free(s);
}
END_TEST

START_TEST(test_jarena)
{
	char *small[2000], *big = NULL;
	size_t i;

	/* Chunks never move: earlier pointers keep their bytes. */
	for (i = 0; i < 2000; i++) {
		small[i] = jarena_alloc(arena, 100);
		memset(small[i], (int)(i & 0xff), 100);
		if (i == 1000) {
			big = jarena_alloc(arena, 1 << 20);
			memset(big, 0x5a, 1 << 20);
		}
	}
	for (i = 0; i < 2000; i++)
		ck_assert(small[i][0] == (char)(i & 0xff) &&
		    small[i][99] == (char)(i & 0xff));
	ck_assert(big[0] == 0x5a && big[(1 << 20) - 1] == 0x5a);
	jarena_reset(arena);
	ck_assert_ptr_nonnull(jarena_alloc(arena, 10));
}
END_TEST

/* ------------------------------------------------------------------ */
/* span_parse: the sample files */

#define SDK_TRACE "5685a931d55c3dfdb34fbe29531f9baa"
#define SDK_SESSION "3f1c2a9e-5b7d-4c1e-9a2b-0d4e6f8a1b2c"

/* The three spans of the sample, as both the SDK and OTLP lines hold them. */
static void
ck_sample_generate(const struct span_fields *f)
{
	ck_ref(f->span_id, "7c1e8e6507370c9c");
	ck_ref(f->parent_id, "d4334246c435572e");
	ck_ref(f->trace_id, SDK_TRACE);
	ck_ref(f->name, "AnthropicAugmentedLLM.finder.generate");
	ck_assert_int_eq(f->kind, KIND_CLIENT);
	ck_assert_int_eq(f->start_ns, INT64_C(1795317292267137000));
	ck_assert_int_eq(f->end_ns, INT64_C(1795317292267244000));
	ck_assert_int_eq(f->status, SPAN_ERROR);
	ck_assert_int_eq(span_classify(f), SPAN_LLM);
	ck_ref(span_label(f, SPAN_LLM), "claude-3-5-sonnet-latest");
	ck_ref(f->llm_model, "claude-3-5-sonnet-latest");
	ck_assert_int_eq(f->tokens_in, 812);
	ck_assert_int_eq(f->tokens_out, -1);
	ck_assert_uint_eq(f->flags, SF_GENAI_ATTR | SF_PAUSED | SF_LLM_PROMPT);
	ck_ref(f->session_id, SDK_SESSION);
	ck_ref(f->signal_name, "abc");
	ck_ref(f->signal_prompt, NULL);
	ck_ref(f->tool_name, NULL);
}

static void
ck_sample_tool(const struct span_fields *f)
{
	ck_ref(f->span_id, "59cb2bde9b3e30a0");
	ck_ref(f->parent_id, "d4334246c435572e");
	ck_ref(f->trace_id, SDK_TRACE);
	ck_ref(f->name, "Agent.finder.call_tool");
	ck_assert_int_eq(f->kind, KIND_INTERNAL);
	ck_assert_int_eq(f->start_ns, INT64_C(1795317292267645000));
	ck_assert_int_eq(f->end_ns, INT64_C(1795317292267672000));
	ck_assert_int_eq(f->status, SPAN_OK);
	ck_assert_int_eq(span_classify(f), SPAN_TOOL);
	ck_ref(span_label(f, SPAN_TOOL), "fetch_fetch");
	ck_assert_int_eq(f->tokens_in, -1);
	ck_assert_int_eq(f->tokens_out, -1);
	ck_assert_uint_eq(f->flags, SF_TOOL_ATTR);
	ck_ref(f->session_id, SDK_SESSION);
	ck_ref(f->signal_name, NULL);
}

static void
ck_sample_root(const struct span_fields *f)
{
	ck_ref(f->span_id, "d4334246c435572e");
	ck_ref(f->parent_id, NULL);
	ck_ref(f->trace_id, SDK_TRACE);
	ck_ref(f->name, "mcp_basic_agent");
	ck_assert_int_eq(f->kind, KIND_INTERNAL);
	ck_assert_int_eq(f->start_ns, INT64_C(1795317292267063000));
	ck_assert_int_eq(f->end_ns, INT64_C(1795317292267828000));
	ck_assert_int_eq(f->status, SPAN_UNSET);
	ck_assert_int_eq(span_classify(f), SPAN_WORKFLOW);
	ck_ref(span_label(f, SPAN_WORKFLOW), NULL);
	ck_assert_int_eq(f->tokens_in, -1);
	ck_assert_int_eq(f->tokens_out, -1);
	ck_assert_uint_eq(f->flags, 0);
	ck_ref(f->session_id, SDK_SESSION);
}

static void (*const sample_checks[])(const struct span_fields *) = {
	ck_sample_generate, ck_sample_tool, ck_sample_root,
};

START_TEST(test_format_sdk)
{
	char **lines;
	size_t n, i;

	n = read_lines("otel-sdk-to_json.jsonl", &lines);
	ck_assert_uint_eq(n, 3);
	for (i = 0; i < n; i++) {
		const struct span_fields *f = one_span(lines[i]);

		ck_assert_uint_eq(f->index_in_line, 0);
		sample_checks[i](f);
	}
	free_lines(lines);
}
END_TEST

START_TEST(test_format_otlp)
{
	char **lines;
	size_t n;
	int i;

	n = read_lines("otlp.jsonl", &lines);
	ck_assert_uint_eq(n, 1);
	ck_assert_int_eq(span_parse_line(sp, lines[0], strlen(lines[0])), 3);
	for (i = 0; i < 3; i++) {
		const struct span_fields *f = span_parser_span(sp, i);

		ck_assert_uint_eq(f->index_in_line, (unsigned)i);
		sample_checks[i](f);
	}
	ck_assert_ptr_null(span_parser_span(sp, 3));
	ck_assert_ptr_null(span_parser_span(sp, -1));
	free_lines(lines);
}
END_TEST

START_TEST(test_format_flat)
{
	const struct span_fields *f;
	char **lines;
	size_t n;

	n = read_lines("inspector-flat.jsonl", &lines);
	ck_assert_uint_eq(n, 4);

	f = one_span(lines[0]);
	ck_ref(f->span_id, "1234567890123456");
	ck_ref(f->trace_id, "12345678901234567890123456789012");
	ck_ref(f->parent_id, NULL);
	ck_ref(f->name, "workflow.run");
	ck_assert_int_eq(f->start_ns, INT64_C(1735732800000000000));
	ck_assert_int_eq(f->end_ns, INT64_C(1735732801000000000));
	ck_assert_int_eq(f->status, SPAN_UNSET);
	ck_assert_int_eq(f->kind, KIND_UNSPECIFIED);
	ck_assert_int_eq(span_classify(f), SPAN_WORKFLOW);
	ck_ref(span_label(f, SPAN_WORKFLOW), "orchestrator");
	ck_ref(f->session_id, "test-session-123");
	ck_assert_uint_eq(f->flags, SF_WORKFLOW_TYPE);

	f = one_span(lines[1]);
	ck_ref(f->span_id, "2345678901234567");
	ck_ref(f->parent_id, "1234567890123456");
	ck_assert_int_eq(f->start_ns, INT64_C(1735732800100000000));
	ck_assert_int_eq(f->end_ns, INT64_C(1735732800900000000));
	ck_assert_int_eq(span_classify(f), SPAN_AGENT);
	ck_ref(span_label(f, SPAN_AGENT), "test-agent");
	ck_ref(f->session_id, NULL);

	f = one_span(lines[2]);
	ck_ref(f->span_id, "span-3");
	ck_ref(f->trace_id, "trace-3");
	ck_ref(f->parent_id, NULL);
	ck_assert_int_eq(f->start_ns, INT64_C(1735732800000000000));
	ck_assert_int_eq(f->end_ns, SPAN_TIME_NONE);
	ck_assert_int_eq(f->status, SPAN_OK);
	ck_assert_uint_eq(f->flags, SF_PAUSED);
	ck_assert_int_eq(span_classify(f), SPAN_WORKFLOW);

	f = one_span(lines[3]);
	ck_ref(f->span_id, "span-6");
	ck_ref(f->parent_id, "span-5");
	ck_assert_int_eq(f->start_ns, INT64_C(1735732860000000000));
	ck_assert_int_eq(f->end_ns, INT64_C(1735732920000000000));
	ck_assert_int_eq(span_classify(f), SPAN_LLM);
	ck_ref(span_label(f, SPAN_LLM), "claude-3-opus-20240229");
	ck_assert_uint_eq(f->flags, SF_LLM_RESPONSE | SF_LLM_PROMPT);
	/* The usage there has only total_tokens. */
	ck_assert_int_eq(f->tokens_in, -1);
	ck_assert_int_eq(f->tokens_out, -1);
	free_lines(lines);
}
END_TEST

/* Every proper prefix of a sample line is a bad line, never a crash. */
START_TEST(test_truncated_samples)
{
	static const char *const files[] = {
		"otel-sdk-to_json.jsonl", "inspector-flat.jsonl", "otlp.jsonl",
	};
	char **lines, *copy;
	size_t n, i, j, len, cut;

	for (i = 0; i < sizeof files / sizeof files[0]; i++) {
		n = read_lines(files[i], &lines);
		for (j = 0; j < n; j++) {
			len = strlen(lines[j]);
			for (cut = 1; cut < len; cut++) {
				/* A heap copy of exactly cut bytes, so reading
				 * past the end is caught by the sanitizers. */
				copy = xmalloc(cut);
				memcpy(copy, lines[j], cut);
				ck_bad(copy, cut);
				free(copy);
			}
			ck_assert_int_ge(span_parse_line(sp, lines[j], len), 1);
		}
		free_lines(lines);
	}
}
END_TEST

/* ------------------------------------------------------------------ */
/* span_parse: details */

/* SDK sample line 1 with every object's keys in another order. */
static const char shuffled_sdk[] =
    "{'resource': {'schema_url': '', 'attributes': {'session.id': '"
    SDK_SESSION "', 'service.name': 'mcp_basic_agent'}}, 'links': [],"
    " 'events': [{'attributes': {'timeout_seconds': 300,"
    " 'signal_name': 'abc'}, 'timestamp': '2026-11-22T03:14:52.267216Z',"
    " 'name': 'human_input_signal_received'}], 'attributes':"
    " {'mcp.session.paused': true, 'stop_sequences': ['\\n\\nHuman:'],"
    " 'temperature': 0.7, 'gen_ai.usage.input_tokens': 812,"
    " 'mcp.llm.prompt_json': '{}', 'mcp.llm.model':"
    " 'claude-3-5-sonnet-latest', 'mcp.llm.provider': 'anthropic'},"
    " 'status': {'description': 'boom', 'status_code': 'ERROR'},"
    " 'end_time': '2026-11-22T03:14:52.267244Z',"
    " 'start_time': '2026-11-22T03:14:52.267137Z',"
    " 'parent_id': '0xd4334246c435572e', 'kind': 'SpanKind.CLIENT',"
    " 'context': {'trace_state': '[]', 'span_id': '0x7c1e8e6507370c9c',"
    " 'trace_id': '0x" SDK_TRACE "'},"
    " 'name': 'AnthropicAugmentedLLM.finder.generate'}";

/* The OTLP sample's first and last spans reordered: resource after the
 * scopes, value before key, span members reversed, ids in upper case. */
static const char shuffled_otlp[] =
    "{'resourceSpans':[{'scopeSpans':[{'spans':["
    "{'status':{'code':2,'message':'boom'},'events':[{'attributes':"
    "[{'value':{'stringValue':'abc'},'key':'signal_name'}],"
    "'name':'human_input_signal_received',"
    "'timeUnixNano':'1795317292267216000'}],"
    "'attributes':[{'value':{'boolValue':true},"
    "'key':'mcp.session.paused'},"
    "{'value':{'stringValue':'{}'},'key':'mcp.llm.prompt_json'},"
    "{'value':{'intValue':812},'key':'gen_ai.usage.input_tokens'},"
    "{'key':'mcp.llm.model',"
    "'value':{'stringValue':'claude-3-5-sonnet-latest'}}],"
    "'endTimeUnixNano':1795317292267244000,"
    "'startTimeUnixNano':'1795317292267137000',"
    "'kind':3,'name':'AnthropicAugmentedLLM.finder.generate',"
    "'parentSpanId':'D4334246C435572E','spanId':'7C1E8E6507370C9C',"
    "'traceId':'" SDK_TRACE "'},"
    "{'kind':1,'status':{},'endTimeUnixNano':'1795317292267828000',"
    "'startTimeUnixNano':'1795317292267063000','name':'mcp_basic_agent',"
    "'parentSpanId':'','spanId':'d4334246c435572e',"
    "'traceId':'" SDK_TRACE "'}"
    "],'scope':{'name':'x'}}],'resource':{'attributes':[{'value':"
    "{'stringValue':'" SDK_SESSION "'},'key':'session.id'}]}}]}";

START_TEST(test_key_order)
{
	ck_sample_generate(parse1(shuffled_sdk));
	ck_assert_int_eq(parse(shuffled_otlp), 2);
	ck_sample_generate(span_parser_span(sp, 0));
	ck_sample_root(span_parser_span(sp, 1));
}
END_TEST

/* One OTLP line holding a single span with these members. */
static const struct span_fields *
parse_otlp1(const char *members)
{
	static char line[2048];

	snprintf(line, sizeof line, "{'resourceSpans':[{'scopeSpans':"
	    "[{'spans':[{%s}]}]}]}", members);
	return parse1(line);
}

START_TEST(test_otlp_details)
{
	const struct span_fields *f;

	/* Each resourceSpans entry gives its spans its own session. */
	ck_assert_int_eq(parse("{'resourceSpans':["
	    "{'resource':{'attributes':[{'key':'session.id',"
	    "'value':{'stringValue':'s1'}}]},"
	    "'scopeSpans':[{'spans':[{'spanId':'a'},{'spanId':'b'}]}]},"
	    "{'scopeSpans':[{'spans':[{'spanId':'c','attributes':"
	    "[{'key':'session.id','value':{'stringValue':'own'}}]}]},"
	    "{'spans':[{'spanId':'d','kind':5}]}],"
	    "'resource':{'attributes':[{'key':'session.id',"
	    "'value':{'stringValue':'s2'}}]}},"
	    "{'scopeSpans':[{'spans':[{'spanId':'e','attributes':"
	    "[{'key':'session.id','value':{'stringValue':'own'}}]}]}]}]}"), 5);
	ck_ref(span_parser_span(sp, 0)->session_id, "s1");
	ck_ref(span_parser_span(sp, 1)->session_id, "s1");
	/* The resource attribute wins over the span's own. */
	ck_ref(span_parser_span(sp, 2)->session_id, "s2");
	ck_ref(span_parser_span(sp, 3)->session_id, "s2");
	ck_ref(span_parser_span(sp, 4)->session_id, "own");
	ck_assert_int_eq(span_parser_span(sp, 3)->kind, KIND_CONSUMER);
	ck_assert_uint_eq(span_parser_span(sp, 4)->index_in_line, 4);
	f = span_parser_span(sp, 0);
	ck_assert_int_eq(f->status, SPAN_UNSET);
	ck_assert_int_eq(f->start_ns, SPAN_TIME_NONE);
	ck_assert_int_eq(f->end_ns, SPAN_TIME_NONE);
	ck_ref(f->name, NULL);

	/* Numeric AnyValues, and times as numbers; 0 is unset. */
	f = parse_otlp1("'spanId':'a','startTimeUnixNano':5,"
	    "'endTimeUnixNano':'0','status':{'code':1},'attributes':["
	    "{'key':'gen_ai.usage.input_tokens','value':{'intValue':7}},"
	    "{'key':'gen_ai.usage.output_tokens',"
	    "'value':{'intValue':'123456789012'}},"
	    "{'key':'mcp.session.paused','value':{'intValue':'0'}},"
	    "{'key':'x','value':{'kvlistValue':{'values':[{'key':'y',"
	    "'value':{'arrayValue':{'values':[]}}}]}}},"
	    "{'key':'b','value':{'bytesValue':'AAEC'}},"
	    "{'key':'mcp.tool.name','value':{'stringValue':'t'}}]");
	ck_assert_int_eq(f->start_ns, 5);
	ck_assert_int_eq(f->end_ns, SPAN_TIME_NONE);
	ck_assert_int_eq(f->status, SPAN_OK);
	ck_assert_int_eq(f->tokens_in, 7);
	ck_assert_int_eq(f->tokens_out, INT64_C(123456789012));
	ck_assert_uint_eq(f->flags, SF_GENAI_ATTR | SF_TOOL_ATTR);
	ck_ref(f->tool_name, "t");

	f = parse_otlp1("'spanId':'a','attributes':[{"
	    "'key':'mcp.session.paused','value':{'doubleValue':'NaN'}}]");
	ck_assert_uint_eq(f->flags, SF_PAUSED);

	CK_BAD("{'resourceSpans':[]}");
	CK_BAD("{'resourceSpans':[{'scopeSpans':[{'spans':[]}]}]}");
	CK_BAD("{'resourceSpans':{}}");
	/* A span without an id is skipped and named; its neighbours stay,
	 * numbered as span_detail numbers them (by element). */
	ck_assert_int_eq(parse("{'resourceSpans':[{'scopeSpans':[{'spans':"
	    "[{'spanId':'a'},{'name':'x'},{'spanId':'c'}]}]}]}"), 2);
	ck_assert_str_eq(span_parser_skipped(sp),
	    "span 2 of 3 in the line skipped: span without spanId");
	ck_assert_uint_eq(span_parser_span(sp, 1)->index_in_line, 2);
	ck_assert_int_eq(parse("{'resourceSpans':[{'scopeSpans':[{'spans':"
	    "[7,{'spanId':'a'},{}]}]}]}"), 1);
	ck_assert_str_eq(span_parser_skipped(sp), "2 of 3 spans in the line "
	    "skipped, the first (span 1): span is not an object");
	ck_assert_uint_eq(span_parser_span(sp, 0)->index_in_line, 1);
	/* A repeated "spans" key: the last counts, its bad spans too. */
	ck_assert_int_eq(parse("{'resourceSpans':[{'scopeSpans':[{'spans':"
	    "[{}],'spans':[{'spanId':'a'}]}]}]}"), 1);
	ck_assert_ptr_null(span_parser_skipped(sp));
	ck_assert_uint_eq(span_parser_span(sp, 0)->index_in_line, 0);
	/* No good span at all: the line is bad. */
	CK_BAD("{'resourceSpans':[{'scopeSpans':[{'spans':"
	    "[{'name':'x'},7]}]}]}");
	ck_assert_ptr_null(span_parser_skipped(sp));
	CK_BAD("{'resourceSpans':[{'scopeSpans':[{'spans':"
	    "[{'spanId':'a'}]}]}]} x");
}
END_TEST

START_TEST(test_python_floats)
{
	const struct span_fields *f;

	f = parse1("{'name': 'x', 'context': {'span_id': '0x1'},"
	    " 'attributes': {'a': NaN, 'b': Infinity, 'c': -Infinity,"
	    " 'd': [NaN, 1.5e300], 'mcp.session.paused': NaN}}");
	ck_ref(f->span_id, "1");
	ck_assert_uint_eq(f->flags, SF_PAUSED);
	CK_BAD("{'span_id': '1', 'attributes': {'a': nan}}");
	CK_BAD("{'span_id': '1', 'attributes': {'a': -NaN}}");
}
END_TEST

START_TEST(test_big_integers)
{
	const struct span_fields *f;

	f = parse1("{'span_id': '1', 'attributes': {"
	    "'big': 123456789012345678901234567890,"
	    " 'neg': -123456789012345678901234567890,"
	    " 'gen_ai.usage.input_tokens': 123456789012345678901234567890,"
	    " 'gen_ai.usage.output_tokens': 9223372036854775807}}");
	/* Too big for a count: unknown, not wrapped. */
	ck_assert_int_eq(f->tokens_in, -1);
	ck_assert_int_eq(f->tokens_out, INT64_MAX);
}
END_TEST

START_TEST(test_line_ends_and_blanks)
{
	const char *line = "{'span_id': 's', 'name': 'n'}";
	char buf[128];

	ck_assert_int_eq(span_parse_line(sp, "", 0), 0);
	ck_assert_int_eq(parse("   "), 0);
	ck_assert_int_eq(parse("\r"), 0);
	ck_assert_int_eq(parse(" \t\r"), 0);
	ck_assert_ptr_null(span_parser_span(sp, 0));
	snprintf(buf, sizeof buf, "%s\r", line);
	ck_ref(parse1(buf)->name, "n");
	snprintf(buf, sizeof buf, "  %s  \r", line);
	ck_ref(parse1(buf)->name, "n");
	/* A line is given without its '\n', but one more is harmless. */
	snprintf(buf, sizeof buf, "%s\r\n", line);
	ck_ref(parse1(buf)->name, "n");
}
END_TEST

/* A NUL ends the name (span_parse.h), as it ends it on screen. */
#define ESCAPED_NAME "caf\xc3\xa9 \xf0\x9f\x98\x80 \xef\xbf\xbd a\xef\xbf\xbd" "b"

START_TEST(test_escapes_in_fields)
{
	const struct span_fields *f;

	f = parse1("{'span_id': '0XABC\\u0044', 'trace_id': 'T-\\u0031',"
	    " 'parent_span_id': '0x',"
	    " 'name': 'caf\\u00e9 \\ud83d\\ude00 \\ud800 a\\u0000b',"
	    " 'attributes': {'mcp.tool.n\\u0061me': 'x\\ty'}}");
	ck_ref(f->span_id, "abcd");
	ck_ref(f->trace_id, "t-1");
	/* "0x" alone is no id, so this span has no parent. */
	ck_ref(f->parent_id, NULL);
	ck_assert_uint_eq(f->name.n, sizeof ESCAPED_NAME - 1);
	ck_assert(memcmp(f->name.p, ESCAPED_NAME, f->name.n) == 0);
	ck_ref(f->tool_name, "x\ty");
	ck_assert_int_eq(span_classify(f), SPAN_TOOL);
}
END_TEST

/*
 * Many decoded strings in one line: they live in the parser's scratch,
 * which must not move while earlier spans point into it.
 */
START_TEST(test_scratch_stability)
{
	struct buf b = BUF_INIT;
	char name[64], id[32];
	int i, n = 3000;

	buf_adds(&b, "{\"resourceSpans\":[{\"scopeSpans\":[{\"spans\":[");
	for (i = 0; i < n; i++) {
		buf_printf(&b, "%s{\"spanId\":\"ABCDEF%08X\",\"name\":"
		    "\"span\\u0020%d with an escaped name that is long"
		    " enough to fill the scratch memory quickly\"}",
		    i ? "," : "", i, i);
	}
	buf_adds(&b, "]}]}]}");
	ck_assert_int_eq(span_parse_line(sp, b.p, b.len), n);
	for (i = 0; i < n; i++) {
		const struct span_fields *f = span_parser_span(sp, i);

		snprintf(id, sizeof id, "abcdef%08x", i);
		snprintf(name, sizeof name, "span %d with an escaped", i);
		ck_ref(f->span_id, id);
		ck_assert(f->name.n > strlen(name) &&
		    memcmp(f->name.p, name, strlen(name)) == 0);
		ck_assert_uint_eq(f->index_in_line, (unsigned)i);
	}
	buf_free(&b);
}
END_TEST

START_TEST(test_missing_fields)
{
	const struct span_fields *f;

	f = parse1("{'span_id': 'only'}");
	ck_ref(f->span_id, "only");
	ck_ref(f->name, NULL);
	ck_ref(f->trace_id, NULL);
	ck_ref(f->parent_id, NULL);
	ck_assert_int_eq(f->start_ns, SPAN_TIME_NONE);
	ck_assert_int_eq(f->end_ns, SPAN_TIME_NONE);
	ck_assert_int_eq(f->status, SPAN_UNSET);
	ck_assert_int_eq(f->kind, KIND_UNSPECIFIED);
	ck_assert_int_eq(f->tokens_in, -1);
	ck_assert_int_eq(f->tokens_out, -1);
	ck_assert_uint_eq(f->flags, 0);
	ck_assert_int_eq(span_classify(f), SPAN_WORKFLOW);

	/* null and wrongly typed members are absent, not errors. */
	f = parse1("{'span_id': 's', 'parent_id': null, 'name': 5,"
	    " 'end_time': null, 'start_time': 'yesterday', 'status': null,"
	    " 'kind': 'SpanKind.NOPE', 'attributes': null, 'events': {},"
	    " 'resource': [], 'context': 3}");
	ck_ref(f->parent_id, NULL);
	ck_ref(f->name, NULL);
	ck_assert_int_eq(f->start_ns, SPAN_TIME_NONE);
	ck_assert_int_eq(f->end_ns, SPAN_TIME_NONE);
	ck_assert_int_eq(f->kind, KIND_UNSPECIFIED);

	/* context.span_id beats span_id, parent_id beats parent_span_id,
	 * whatever the order. */
	f = parse1("{'span_id': 'flat', 'context': {'span_id': 'ctx'},"
	    " 'parent_span_id': 'p1', 'parent_id': 'p2'}");
	ck_ref(f->span_id, "ctx");
	ck_ref(f->parent_id, "p2");
	f = parse1("{'context': {'span_id': 'ctx'}, 'span_id': 'flat',"
	    " 'parent_id': 'p2', 'parent_span_id': 'p1'}");
	ck_ref(f->span_id, "ctx");
	ck_ref(f->parent_id, "p2");
	f = parse1("{'span_id': 's', 'parent_id': null,"
	    " 'parent_span_id': 'p1'}");
	ck_ref(f->parent_id, "p1");
}
END_TEST

START_TEST(test_kinds_and_status)
{
	static const struct {
		const char *kind;
		enum span_kind want;
	} kinds[] = {
		{ "'SpanKind.INTERNAL'", KIND_INTERNAL },
		{ "'SpanKind.SERVER'", KIND_SERVER },
		{ "'SpanKind.CLIENT'", KIND_CLIENT },
		{ "'SpanKind.PRODUCER'", KIND_PRODUCER },
		{ "'SpanKind.CONSUMER'", KIND_CONSUMER },
		{ "'SPAN_KIND_SERVER'", KIND_SERVER },
		{ "'client'", KIND_CLIENT },
		{ "0", KIND_UNSPECIFIED }, { "1", KIND_INTERNAL },
		{ "2", KIND_SERVER }, { "3", KIND_CLIENT },
		{ "4", KIND_PRODUCER }, { "5", KIND_CONSUMER },
		{ "6", KIND_UNSPECIFIED }, { "-1", KIND_UNSPECIFIED },
		{ "1.0", KIND_UNSPECIFIED },
	};
	static const struct {
		const char *status;
		enum span_status want;
	} statuses[] = {
		{ "{'status_code': 'UNSET'}", SPAN_UNSET },
		{ "{'status_code': 'OK'}", SPAN_OK },
		{ "{'status_code': 'ERROR', 'description': 'x'}", SPAN_ERROR },
		{ "{'description': 'x', 'status_code': 'ERROR'}", SPAN_ERROR },
		{ "{'status_code': 'STATUS_CODE_ERROR'}", SPAN_ERROR },
		{ "{'code': 0}", SPAN_UNSET }, { "{'code': 1}", SPAN_OK },
		{ "{'code': 2, 'message': 'm'}", SPAN_ERROR },
		{ "{'code': 3}", SPAN_UNSET }, { "{}", SPAN_UNSET },
		{ "{'message': 'm'}", SPAN_UNSET },
	};
	char line[256];
	size_t i;

	for (i = 0; i < sizeof kinds / sizeof kinds[0]; i++) {
		snprintf(line, sizeof line, "{'span_id': 's', 'kind': %s}",
		    kinds[i].kind);
		ck_assert_msg(parse1(line)->kind == kinds[i].want, "%s", line);
	}
	for (i = 0; i < sizeof statuses / sizeof statuses[0]; i++) {
		snprintf(line, sizeof line, "{'span_id': 's', 'status': %s}",
		    statuses[i].status);
		ck_assert_msg(parse1(line)->status == statuses[i].want, "%s",
		    line);
	}
}
END_TEST

static void
ck_time(const char *s, int64_t want)
{
	int64_t ns = 0;

	ck_assert_msg(span_parse_time(s, strlen(s), &ns) == 0, "rejected %s",
	    s);
	ck_assert_msg(ns == want, "%s: %lld, expected %lld", s, (long long)ns,
	    (long long)want);
}

START_TEST(test_times)
{
	static const char *const bad[] = {
		"", "2025", "2025-01-01", "2025-01-01T", "2025-01-01T12:00",
		"2025-13-01T00:00:00Z", "2025-00-01T00:00:00Z",
		"2025-01-32T00:00:00Z", "2025-01-00T00:00:00Z",
		"2025-02-29T00:00:00Z", "1900-02-29T00:00:00Z",
		"2025-04-31T00:00:00Z", "2025-01-01T24:00:00Z",
		"2025-01-01T12:60:00Z", "2025-01-01T12:00:61Z",
		"2025-01-01T12:00:00.Z", "2025-01-01T12:00:00ZZ",
		"2025-01-01T12:00:00+24:00", "2025-01-01T12:00:00+02:60",
		"2025-01-01T12:00:00+2", "2025-01-01T12:00:00+02-00",
		"2025-01-01T12:00:00 Z", "2025-01-01X12:00:00",
		"25-01-01T12:00:00Z", "2025-1-01T12:00:00Z",
		"+2025-01-01T12:00:00Z", "2025-01-01T12:00:00z ",
		"2262-04-12T00:00:00Z", "1677-09-21T00:00:00Z",
		"2025-01-01T12:00:00.123abc", "2025-01-01T1a:00:00Z",
	};
	int64_t ns = 7;
	size_t i;

	ck_time("1970-01-01T00:00:00Z", 0);
	ck_time("1970-01-01T00:00:00", 0);
	ck_time("1969-12-31T23:59:59Z", INT64_C(-1000000000));
	ck_time("1969-12-31T23:59:59.5Z", INT64_C(-500000000));
	ck_time("2025-01-01T12:00:00", INT64_C(1735732800000000000));
	ck_time("2025-01-01 12:00:00", INT64_C(1735732800000000000));
	ck_time("2025-01-01t12:00:00z", INT64_C(1735732800000000000));
	ck_time("2025-01-01T12:00:00.1", INT64_C(1735732800100000000));
	ck_time("2025-01-01T12:00:00.000000001Z",
	    INT64_C(1735732800000000001));
	ck_time("2025-01-01T12:00:00.123456789Z",
	    INT64_C(1735732800123456789));
	/* Digits past the ninth are below a nanosecond and dropped. */
	ck_time("2025-01-01T12:00:00.1234567891Z",
	    INT64_C(1735732800123456789));
	ck_time("2026-11-22T03:14:52.267137Z", INT64_C(1795317292267137000));
	ck_time("2025-07-13T09:46:40.015090+02:00",
	    INT64_C(1752392800015090000));
	ck_time("2025-07-13T09:46:40-05:30", INT64_C(1752419800000000000));
	ck_time("2025-07-13T09:46:40-0530", INT64_C(1752419800000000000));
	ck_time("2025-07-13T07:46:40.015090-00:00",
	    INT64_C(1752392800015090000));
	ck_time("2024-02-29T23:59:59Z", INT64_C(1709251199000000000));
	ck_time("2000-02-29T00:00:00Z", INT64_C(951782400000000000));
	ck_time("2016-12-31T23:59:60Z", INT64_C(1483228800000000000));
	ck_time("2262-04-11T23:47:15Z", INT64_C(9223372035000000000));
	for (i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		ck_assert_msg(span_parse_time(bad[i], strlen(bad[i]), &ns) ==
		    -1, "accepted %s", bad[i]);
	}
	ck_assert_int_eq(ns, 7);
}
END_TEST

/* A flat line with this name, parent (or none) and attributes. */
static const struct span_fields *
parse_flat(const char *name, const char *parent, const char *attrs)
{
	static char line[2048];

	if (parent == NULL)
		snprintf(line, sizeof line, "{'span_id': 's1', 'name': '%s',"
		    " 'attributes': {%s}}", name, attrs);
	else
		snprintf(line, sizeof line, "{'span_id': 's1', 'name': '%s',"
		    " 'parent_span_id': '%s', 'attributes': {%s}}", name,
		    parent, attrs);
	return parse1(line);
}

static const struct type_case {
	const char *name, *parent, *attrs;
	enum span_type want;
} type_cases[] = {
	/* 1. tool */
	{ "x", "p", "'mcp.tool.name': 't'", SPAN_TOOL },
	{ "tool.call", "p", "", SPAN_TOOL },
	{ "Agent.finder.call_tool", "p", "", SPAN_TOOL },
	{ "call_tool", "p", "", SPAN_OTHER },
	/* 2. llm */
	{ "x", "p", "'mcp.llm.response_json': '{}'", SPAN_LLM },
	{ "x", "p", "'gen_ai.system': 'anthropic'", SPAN_LLM },
	{ "x", "p", "'gen_ai.usage.input_tokens': 3", SPAN_LLM },
	{ "llm.generate", "p", "", SPAN_LLM },
	{ "AnthropicAugmentedLLM.finder.generate", "p", "", SPAN_LLM },
	{ "OpenAIAugmentedLLM.x.generate_structured", "p", "", SPAN_LLM },
	{ "generate", "p", "", SPAN_LLM },
	{ "generate_str", NULL, "", SPAN_LLM },
	{ "generate.x", "p", "", SPAN_OTHER },
	{ "x.regenerate", "p", "", SPAN_OTHER },
	/* The prompt is on the generate span's parent: not an llm span. */
	{ "x", "p", "'mcp.llm.prompt_json': '[]'", SPAN_OTHER },
	{ "x", "p", "'mcp.llm.model': 'm'", SPAN_OTHER },
	/* 3. resource */
	{ "x", "p", "'mcp.resource.uri': 'file:///a'", SPAN_RESOURCE },
	{ "x", "p", "'mcp.resource.name': 'a'", SPAN_RESOURCE },
	{ "resource.fetch", "p", "", SPAN_RESOURCE },
	{ "x", "p", "'mcp.resourcex': 1", SPAN_OTHER },
	/* 4. prompt */
	{ "x", "p", "'mcp.prompt.name': 'a'", SPAN_PROMPT },
	{ "prompt.apply", "p", "", SPAN_PROMPT },
	/* 5. workflow */
	{ "x", "p", "'mcp.workflow.type': 'router'", SPAN_WORKFLOW },
	{ "workflow.run", "p", "", SPAN_WORKFLOW },
	{ "x", NULL, "", SPAN_WORKFLOW },
	{ "x", "", "", SPAN_WORKFLOW },
	/* 6. agent */
	{ "x", "p", "'mcp.agent.name': 'a'", SPAN_AGENT },
	{ "agent.call", "p", "", SPAN_AGENT },
	{ "Agent.finder.list_tools", "p", "", SPAN_AGENT },
	{ "agent.finder", "p", "", SPAN_OTHER },
	/* 7. other */
	{ "x", "p", "", SPAN_OTHER },
	{ "", "p", "'mcp.session.paused': true", SPAN_OTHER },
	/* Precedence: the first rule that matches wins. */
	{ "llm.generate", "p", "'mcp.tool.name': 't'", SPAN_TOOL },
	{ "x.call_tool", "p", "'gen_ai.system': 's'", SPAN_TOOL },
	{ "resource.fetch", "p", "'mcp.llm.response_json': '{}'", SPAN_LLM },
	{ "x.generate", "p", "'mcp.resource.uri': 'u'", SPAN_LLM },
	{ "prompt.apply", "p", "'mcp.resource.uri': 'u'", SPAN_RESOURCE },
	{ "workflow.run", "p", "'mcp.prompt.name': 'n'", SPAN_PROMPT },
	{ "x", NULL, "'mcp.prompt.name': 'n'", SPAN_PROMPT },
	{ "agent.call", "p", "'mcp.workflow.type': 'w'", SPAN_WORKFLOW },
	{ "Agent.x", NULL, "'mcp.agent.name': 'a'", SPAN_WORKFLOW },
	{ "x", "p", "'mcp.agent.name': 'a', 'mcp.workflow.type': 'w'",
	    SPAN_WORKFLOW },
	{ "Agent.x.generate", "p", "", SPAN_LLM },
	{ "Agent.x.call_tool", "p", "'mcp.llm.response_json': '{}'",
	    SPAN_TOOL },
};

START_TEST(test_type_rules)
{
	const struct type_case *c = &type_cases[_i];
	const struct span_fields *f = parse_flat(c->name, c->parent, c->attrs);
	enum span_type got = span_classify(f);

	ck_assert_msg(got == c->want, "name %s parent %s attrs {%s}: %s,"
	    " expected %s", c->name, c->parent != NULL ? c->parent : "(none)",
	    c->attrs, span_type_name(got), span_type_name(c->want));
}
END_TEST

START_TEST(test_labels)
{
	const struct span_fields *f;

	f = parse_flat("x", "p", "'mcp.tool.name': 'fetch',"
	    " 'mcp.agent.name': 'a'");
	ck_ref(span_label(f, SPAN_TOOL), "fetch");
	ck_ref(span_label(f, SPAN_AGENT), "a");
	ck_ref(span_label(f, SPAN_OTHER), NULL);
	ck_ref(span_label(f, SPAN_PROMPT), NULL);
	ck_ref(span_label(f, SPAN_LLM), NULL);
	f = parse_flat("x", "p", "'mcp.resource.uri': 'file:///x'");
	ck_ref(span_label(f, span_classify(f)), "file:///x");
	f = parse_flat("x", NULL, "'mcp.workflow.type': 'orchestrator'");
	ck_ref(span_label(f, span_classify(f)), "orchestrator");
	/* A non-string value sets the flag but gives no label. */
	f = parse_flat("x", "p", "'mcp.tool.name': 5");
	ck_assert_int_eq(span_classify(f), SPAN_TOOL);
	ck_ref(span_label(f, SPAN_TOOL), NULL);

	/* Model: mcp.llm.model, else gen_ai.request.model, else response. */
	f = parse_flat("x", "p", "'gen_ai.response.model': 'r',"
	    " 'gen_ai.request.model': 'q', 'mcp.llm.model': 'm'");
	ck_ref(span_label(f, SPAN_LLM), "m");
	f = parse_flat("x", "p", "'gen_ai.response.model': 'r',"
	    " 'gen_ai.request.model': 'q'");
	ck_ref(span_label(f, SPAN_LLM), "q");
	f = parse_flat("x", "p", "'gen_ai.response.model': 'r'");
	ck_ref(span_label(f, SPAN_LLM), "r");
}
END_TEST

START_TEST(test_session_meta)
{
	const struct span_fields *f;

	f = parse_flat("x", NULL, "'mcp.session.title': 'T',"
	    " 'mcp.workflow.engine': 'temporal', 'mcp.engine.type': 'asyncio',"
	    " 'mcp.signal.name': 'approve', 'mcp.signal.prompt': 'OK?',"
	    " 'session.id': 'sid'");
	ck_ref(f->session_title, "T");
	ck_ref(f->engine, "asyncio");
	ck_ref(f->signal_name, "approve");
	ck_ref(f->signal_prompt, "OK?");
	ck_ref(f->session_id, "sid");
	f = parse_flat("x", NULL, "'mcp.workflow.engine': 'temporal'");
	ck_ref(f->engine, "temporal");

	/* The resource's session.id wins over the span's own. */
	f = parse1("{'span_id': 's', 'attributes': {'session.id': 'own'},"
	    " 'resource': {'attributes': {'session.id': 'res'}}}");
	ck_ref(f->session_id, "res");
	f = parse1("{'resource': {'attributes': {'session.id': 'res'}},"
	    " 'span_id': 's', 'attributes': {'session.id': 'own'}}");
	ck_ref(f->session_id, "res");
	/* Only the resource's attributes count as the resource. */
	f = parse1("{'span_id': 's', 'resource': {'session.id': 'no'}}");
	ck_ref(f->session_id, NULL);

	/* Signal name from a *signal* event, attributes before the name;
	 * other events do not count, mcp.signal.name wins. */
	f = parse1("{'span_id': 's', 'events': [{'name': 'other',"
	    " 'attributes': {'signal_name': 'no'}}, {'attributes':"
	    " {'signal_name': 'yes'}, 'name': 'waiting_on_signal'},"
	    " {'name': 'signal2', 'attributes': {'signal_name': 'later'}}]}");
	ck_ref(f->signal_name, "yes");
	f = parse1("{'span_id': 's', 'events': [{'name': 'signal',"
	    " 'attributes': {'signal_name': 'ev'}}], 'attributes':"
	    " {'mcp.signal.name': 'attr'}}");
	ck_ref(f->signal_name, "attr");
	f = parse1("{'span_id': 's', 'events': [{'name': 'a signal'}]}");
	ck_ref(f->signal_name, NULL);
}
END_TEST

START_TEST(test_paused_truthiness)
{
	static const struct {
		const char *value;
		bool paused;
	} cases[] = {
		{ "true", true }, { "false", false }, { "null", false },
		{ "1", true }, { "-1", true }, { "0", false }, { "-0", false },
		{ "0.0", false }, { "0.5", true }, { "0e3", false },
		{ "NaN", true }, { "Infinity", true },
		{ "123456789012345678901234567890", true },
		{ "'yes'", true }, { "'true'", true }, { "''", false },
		{ "'false'", false }, { "'False'", false }, { "'0'", false },
		{ "'0.0'", true }, { "[1]", false }, { "{}", false },
	};
	const struct span_fields *f;
	char attrs[128];
	size_t i;

	for (i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		snprintf(attrs, sizeof attrs, "'mcp.session.paused': %s",
		    cases[i].value);
		f = parse_flat("x", "p", attrs);
		ck_assert_msg(!!(f->flags & SF_PAUSED) == cases[i].paused,
		    "paused %s", cases[i].value);
	}
}
END_TEST

START_TEST(test_tokens)
{
	const struct span_fields *f;

	f = parse_flat("x", "p", "'gen_ai.usage.input_tokens': 10,"
	    " 'gen_ai.usage.output_tokens': 20");
	ck_assert_int_eq(f->tokens_in, 10);
	ck_assert_int_eq(f->tokens_out, 20);
	f = parse_flat("x", "p", "'gen_ai.usage.input_tokens': '11',"
	    " 'gen_ai.usage.output_tokens': -3");
	ck_assert_int_eq(f->tokens_in, 11);
	ck_assert_int_eq(f->tokens_out, -1);
	f = parse_flat("x", "p", "'gen_ai.usage.output_tokens': 2.5");
	ck_assert_int_eq(f->tokens_out, -1);

	/* Anthropic usage inside the response document; the word in the
	 * text does not count. */
	f = parse_flat("x", "p", "'mcp.llm.response_json': '{\\'id\\':"
	    " \\'msg\\', \\'content\\': [{\\'type\\': \\'text\\', \\'text\\':"
	    " \\'usage: none\\'}], \\'usage\\': {\\'input_tokens\\': 1200,"
	    " \\'cache_read_input_tokens\\': 5, \\'output_tokens\\': 345}}'");
	/* Anthropic's input_tokens leave the cached ones out: in counts
	 * them all (doc/reference.md §3.3). */
	ck_assert_int_eq(f->tokens_in, 1205);
	ck_assert_int_eq(f->tokens_out, 345);
	ck_assert_int_eq(f->tokens_cache_read, 5);
	ck_assert_int_eq(f->tokens_cache_write, -1);
	/* OpenAI usage. */
	f = parse_flat("x", "p", "'mcp.llm.response_json': '{\\'choices\\':"
	    " [], \\'usage\\': {\\'prompt_tokens\\': 9,"
	    " \\'completion_tokens\\': 4, \\'total_tokens\\': 13}}'");
	ck_assert_int_eq(f->tokens_in, 9);
	ck_assert_int_eq(f->tokens_out, 4);
	ck_assert_int_eq(f->tokens_cache_read, -1);
	/* OTel's cache attributes, counted within input_tokens. */
	f = parse_flat("x", "p", "'gen_ai.usage.input_tokens': 100,"
	    " 'gen_ai.usage.cache_read.input_tokens': 60,"
	    " 'gen_ai.usage.cache_creation.input_tokens': '30',"
	    " 'mcp.llm.response_json': '{\\'usage\\': {\\'input_tokens\\': 1}}'");
	ck_assert_int_eq(f->tokens_in, 100);
	ck_assert_int_eq(f->tokens_out, -1);
	ck_assert_int_eq(f->tokens_cache_read, 60);
	ck_assert_int_eq(f->tokens_cache_write, 30);
	/* A document without escapes, and one that is not an object. */
	f = parse_flat("x", "p", "'mcp.llm.response_json': '[1]'");
	ck_assert_int_eq(f->tokens_in, -1);
	/* The key may be spelt with escapes. */
	f = parse_flat("x", "p", "'mcp.llm.response_json':"
	    " '{\\'\\\\u0075sage\\': {\\'input_tokens\\': 1}}'");
	ck_assert_int_eq(f->tokens_in, 1);
	/* Either gen_ai attribute means the response is not consulted. */
	f = parse_flat("x", "p", "'mcp.llm.response_json': '{\\'usage\\':"
	    " {\\'input_tokens\\': 1, \\'output_tokens\\': 2}}',"
	    " 'gen_ai.usage.output_tokens': 7");
	ck_assert_int_eq(f->tokens_in, -1);
	ck_assert_int_eq(f->tokens_out, 7);
	/* Only a top-level usage counts. */
	f = parse_flat("x", "p", "'mcp.llm.response_json': '{\\'a\\':"
	    " {\\'usage\\': {\\'input_tokens\\': 1}}}'");
	ck_assert_int_eq(f->tokens_in, -1);
	/* A document cut short after its usage still gives the tokens;
	 * one that is not JSON gives none, and the line stays good. */
	f = parse_flat("x", "p", "'mcp.llm.response_json': '{\\'usage\\':"
	    " {\\'input_tokens\\': 5, \\'output_tokens\\': 6},"
	    " \\'content\\': [{\\'te'");
	ck_assert_int_eq(f->tokens_in, 5);
	ck_assert_int_eq(f->tokens_out, 6);
	f = parse_flat("x", "p", "'mcp.llm.response_json': 'usage: lots'");
	ck_assert_int_eq(f->tokens_in, -1);
	ck_assert_uint_eq(f->flags, SF_LLM_RESPONSE);
	f = parse_flat("x", "p", "'mcp.llm.response_json': '{\\'usage\\':"
	    " {\\'input_tokens\\': \\'5\\', \\'output_tokens\\': -1}}'");
	ck_assert_int_eq(f->tokens_in, -1);
	ck_assert_int_eq(f->tokens_out, -1);

	/* OTLP: the response from a stringValue. */
	f = parse_otlp1("'spanId':'a','attributes':[{'key':"
	    "'mcp.llm.response_json','value':{'stringValue':"
	    "'{\\'usage\\':{\\'input_tokens\\':3,\\'output_tokens\\':4}}'}}]");
	ck_assert_int_eq(f->tokens_in, 3);
	ck_assert_int_eq(f->tokens_out, 4);
}
END_TEST

START_TEST(test_bad_lines)
{
	static const char *const bad[] = {
		"not json", "{", "}", "{'span_id': 's'", "{'span_id': 's'}}",
		"{'span_id': 's'} x", "{'span_id': 's'}{}", "{}", "[1,2]",
		"[{'span_id': 's'}]", "{'foo': 1}", "null", "'str'", "42",
		"{'span_id': ''}", "{'span_id': null}", "{'span_id': 12}",
		"{'context': {'trace_id': 't'}}", "{'span_id': '0x'}",
		"{'span_id': 's', 'attributes': {'a': tru}}",
		"{'span_id': 's', 'attributes': {'a': '\\q'}}",
		"{'span_id': 's', 'name': '\xff'}",
		"\xef\xbb\xbf{'span_id': 's'}",
	};
	size_t i, len;
	char *s;

	for (i = 0; i < sizeof bad / sizeof bad[0]; i++)
		CK_BAD(bad[i]);
	ck_bad("{\"span_id\": \"s\"}\0", 17);
	CK_BAD("{'foo': 1}");
	ck_assert_str_eq(span_parser_error(sp), "not a span: no span id");
	CK_BAD("{'span_id': 's'} x");
	ck_assert_str_eq(span_parser_error(sp),
	    "not JSON at byte 17: unexpected data after the value");

	/* 100 000 levels of nesting: bad, not a stack overflow. */
	s = nested(100000, false, &len);
	ck_bad(s, len);
	free(s);
	s = nested(100000, true, &len);
	ck_bad(s, len);
	free(s);
}
END_TEST

START_TEST(test_deep_attribute)
{
	struct buf b = BUF_INIT;
	size_t i, depth;

	/* Nesting counts from the line's top: 2 levels are the line and
	 * its attributes object. */
	for (depth = JSCAN_MAX_DEPTH - 2; depth < JSCAN_MAX_DEPTH; depth++) {
		buf_reset(&b);
		buf_adds(&b, "{\"span_id\": \"s\", \"attributes\": {\"a\": ");
		for (i = 0; i < depth; i++)
			buf_addc(&b, '[');
		for (i = 0; i < depth; i++)
			buf_addc(&b, ']');
		buf_adds(&b, "}}");
		if (depth + 2 <= JSCAN_MAX_DEPTH)
			ck_assert_int_eq(span_parse_line(sp, b.p, b.len), 1);
		else
			ck_bad(b.p, b.len);
	}
	buf_free(&b);
}
END_TEST

/* Overwrite count random bytes of s with bytes that matter to JSON. */
static void
damage(char *s, size_t len, int count, unsigned *seed)
{
	static const char alphabet[] =
	    "{}[]\",:\\0123456789eE.-+ntfaNI\r\n\x80\xff u";
	int k;

	for (k = 0; k < count; k++) {
		*seed = *seed * 1103515245 + 12345;
		s[(*seed >> 8) % len] =
		    alphabet[(*seed >> 20) % (sizeof alphabet - 1)];
	}
}

/* Random damage to real lines: never a crash, and all or nothing. */
START_TEST(test_mutations)
{
	static const char *const files[] = {
		"otel-sdk-to_json.jsonl", "inspector-flat.jsonl", "otlp.jsonl",
	};
	unsigned seed = 12345;
	char **lines, *copy;
	size_t n, i, j, len;
	int round, r;

	for (i = 0; i < sizeof files / sizeof files[0]; i++) {
		n = read_lines(files[i], &lines);
		for (j = 0; j < n; j++) {
			len = strlen(lines[j]);
			for (round = 0; round < 300; round++) {
				/* Exactly len bytes, for the sanitizers. */
				copy = xmalloc(len);
				memcpy(copy, lines[j], len);
				damage(copy, len, 1 + round % 4, &seed);
				r = span_parse_line(sp, copy, len);
				ck_assert_int_ge(r, -1);
				ck_assert(r <= 0 ||
				    span_parser_span(sp, r - 1) != NULL);
				ck_assert_ptr_null(span_parser_span(sp,
				    r > 0 ? r : 0));
				free(copy);
			}
		}
		free_lines(lines);
	}
}
END_TEST

START_TEST(test_names)
{
	ck_assert_str_eq(span_type_name(SPAN_OTHER), "other");
	ck_assert_str_eq(span_type_name(SPAN_WORKFLOW), "workflow");
	ck_assert_str_eq(span_type_name(SPAN_AGENT), "agent");
	ck_assert_str_eq(span_type_name(SPAN_LLM), "llm");
	ck_assert_str_eq(span_type_name(SPAN_TOOL), "tool");
	ck_assert_str_eq(span_type_name(SPAN_RESOURCE), "resource");
	ck_assert_str_eq(span_type_name(SPAN_PROMPT), "prompt");
	ck_assert_str_eq(span_type_name((enum span_type)99), "other");
	ck_assert_str_eq(span_status_name(SPAN_UNSET), "unset");
	ck_assert_str_eq(span_status_name(SPAN_OK), "ok");
	ck_assert_str_eq(span_status_name(SPAN_ERROR), "error");
	ck_assert_str_eq(span_status_name((enum span_status)7), "unset");
	ck_assert_str_eq(span_kind_name(KIND_UNSPECIFIED), "UNSPECIFIED");
	ck_assert_str_eq(span_kind_name(KIND_INTERNAL), "INTERNAL");
	ck_assert_str_eq(span_kind_name(KIND_SERVER), "SERVER");
	ck_assert_str_eq(span_kind_name(KIND_CLIENT), "CLIENT");
	ck_assert_str_eq(span_kind_name(KIND_PRODUCER), "PRODUCER");
	ck_assert_str_eq(span_kind_name(KIND_CONSUMER), "CONSUMER");
	ck_assert_str_eq(span_kind_name((enum span_kind)42), "UNSPECIFIED");
}
END_TEST

static Suite *
parse_suite(void)
{
	Suite *s = suite_create("parse");
	TCase *tc;

	tc = tcase_create("jscan");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, test_jscan_walk);
	tcase_add_test(tc, test_jscan_save_cursor);
	tcase_add_test(tc, test_jscan_escapes);
	tcase_add_test(tc, test_jscan_unescape_unvalidated);
	tcase_add_test(tc, test_jscan_string_positions);
	tcase_add_test(tc, test_jscan_bad_strings);
	tcase_add_test(tc, test_jscan_numbers);
	tcase_add_test(tc, test_jscan_bad_numbers);
	tcase_add_test(tc, test_jscan_grammar);
	tcase_add_test(tc, test_jscan_error_offset);
	tcase_add_test(tc, test_jscan_depth);
	tcase_add_test(tc, test_jarena);
	suite_add_tcase(s, tc);

	tc = tcase_create("formats");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, test_format_sdk);
	tcase_add_test(tc, test_format_otlp);
	tcase_add_test(tc, test_format_flat);
	tcase_add_test(tc, test_truncated_samples);
	tcase_add_test(tc, test_key_order);
	tcase_add_test(tc, test_otlp_details);
	suite_add_tcase(s, tc);

	tc = tcase_create("fields");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, test_python_floats);
	tcase_add_test(tc, test_big_integers);
	tcase_add_test(tc, test_line_ends_and_blanks);
	tcase_add_test(tc, test_escapes_in_fields);
	tcase_add_test(tc, test_scratch_stability);
	tcase_add_test(tc, test_missing_fields);
	tcase_add_test(tc, test_kinds_and_status);
	tcase_add_test(tc, test_times);
	tcase_add_test(tc, test_labels);
	tcase_add_test(tc, test_session_meta);
	tcase_add_test(tc, test_paused_truthiness);
	tcase_add_test(tc, test_tokens);
	tcase_add_test(tc, test_names);
	suite_add_tcase(s, tc);

	tc = tcase_create("rules");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_loop_test(tc, test_type_rules, 0,
	    (int)(sizeof type_cases / sizeof type_cases[0]));
	suite_add_tcase(s, tc);

	tc = tcase_create("bad");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_set_timeout(tc, 120);
	tcase_add_test(tc, test_bad_lines);
	tcase_add_test(tc, test_deep_attribute);
	tcase_add_test(tc, test_mutations);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	return check_main(parse_suite, "test_parse", NULL);
}
