/* SPDX-License-Identifier: MIT */
/*
 * jnorm.c — the pre-pass before jansson (see jnorm.h).
 *
 * The text is taken a piece at a time: a string, a bare word (numbers,
 * literals and any garbage next to them, taken whole so garbage stays an
 * error), or a run of anything else (punctuation, white space).  Copying
 * starts only at the first rewrite.
 */
#include "jnorm.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "jscan.h"
#include "text.h"

/* Past this an exponent is only "huge": the magnitude test saturates. */
#define JNORM_EXP_CAP 1000000000000000LL

/* DBL_MAX is 1.797…e308: a real of magnitude 10^309 or more overflows,
 * one below 10^308 never does. */
#define JNORM_DBL_MAX_EXP10 308

struct jnorm {
	const char *s;
	size_t n;
	size_t i;	/* scan position */
	size_t done;	/* s[0..done) is already in out */
	unsigned flags;
	struct buf *out;
};

/* Copy what is pending up to `at`, then `with` in place of s[at..at+skip). */
static void
jnorm_emit(struct jnorm *jn, size_t at, size_t skip, const char *with,
    size_t len)
{
	buf_add(jn->out, jn->s + jn->done, at - jn->done);
	buf_add(jn->out, with, len);
	jn->done = at + skip;
}

/* Bytes of normalised text so far if the rest up to i were copied. */
static size_t
jnorm_produced(const struct jnorm *jn)
{
	return jn->out->len + (jn->i - jn->done);
}

/* The code unit of a \uXXXX escape at s[i], or -1 if it is not one. */
static long
jnorm_escape_unit(const struct jnorm *jn, size_t i)
{
	if (i > jn->n || jn->n - i < 6 || jn->s[i] != '\\' ||
	    jn->s[i + 1] != 'u')
		return -1;
	return jscan_hex4(jn->s + i + 2, jn->n - i - 2);
}

/* At a backslash inside a string, with JNORM_TEXT. */
static void
jnorm_escape(struct jnorm *jn)
{
	long u = jnorm_escape_unit(jn, jn->i), lo;

	if (u >= 0xd800 && u <= 0xdbff) {
		lo = jnorm_escape_unit(jn, jn->i + 6);
		if (lo >= 0xdc00 && lo <= 0xdfff) {
			jn->i += 12;
			return;
		}
	}
	if (u == 0 || (u >= 0xd800 && u <= 0xdfff)) {
		jnorm_emit(jn, jn->i, 6, "\\ufffd", 6);
		jn->i += 6;
	} else if (u > 0)
		jn->i += 6;
	else
		jn->i += jn->n - jn->i >= 2 ? 2 : 1;
}

/* One byte (or sequence) of a string's body, with JNORM_TEXT. */
static void
jnorm_string_byte(struct jnorm *jn)
{
	unsigned char c = jn->s[jn->i];
	unsigned cp;
	size_t len;

	if (c == '\\')
		jnorm_escape(jn);
	else if (c >= 0x80) {
		len = utf8_decode((const unsigned char *)jn->s + jn->i,
		    jn->n - jn->i, &cp);
		if (len == 0) {
			jnorm_emit(jn, jn->i, 1, "\xef\xbf\xbd", 3);
			len = 1;
		}
		jn->i += len;
	} else
		jn->i++;
}

/* At the '"' that opens a string: to just past its closing quote. */
static void
jnorm_string(struct jnorm *jn)
{
	jn->i++;
	if ((jn->flags & (JNORM_MARK_NUMBERS | JNORM_TEXT)) ==
	    JNORM_MARK_NUMBERS && jn->n - jn->i >= 6 &&
	    memcmp(jn->s + jn->i, "\\u0000", 6) == 0)
		jnorm_emit(jn, jn->i, 0, JNORM_MARK_STRING,
		    strlen(JNORM_MARK_STRING));
	while (jn->i < jn->n && jn->s[jn->i] != '"') {
		if (jn->flags & JNORM_TEXT)
			jnorm_string_byte(jn);
		else
			jn->i += jn->s[jn->i] == '\\' ? 2 : 1;
	}
	if (jn->i < jn->n)
		jn->i++;
	else
		jn->i = jn->n;
}

static bool
jnorm_is_word(char c)
{
	return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') ||
	    (c >= 'A' && c <= 'Z') || c == '-' || c == '+' || c == '.';
}

static bool
jnorm_is_word_start(char c)
{
	return jnorm_is_word(c) && c != '+' && c != '.';
}

/* Is the word ending at s[i] followed by ':', i.e. an object key? */
static bool
jnorm_before_colon(const struct jnorm *jn, size_t i)
{
	while (i < jn->n && (jn->s[i] == ' ' || jn->s[i] == '\t' ||
	    jn->s[i] == '\n' || jn->s[i] == '\r'))
		i++;
	return i < jn->n && jn->s[i] == ':';
}

/* Whether s[0..n) is one number by jscan's rule (NaN and the infinities
 * included). */
static bool
jnorm_word_number(const char *s, size_t n, struct jnum *num)
{
	struct jscan js;

	jscan_init(&js, s, n, NULL);
	return jscan_peek(&js) == JSCAN_NUMBER && jscan_number(&js, num) == 0 &&
	    jscan_finish(&js) == 0;
}

/* At the start of a bare word: to its end. */
static void
jnorm_word(struct jnorm *jn)
{
	size_t start = jn->i;
	struct jnum num;
	struct buf quoted = BUF_INIT;

	while (jn->i < jn->n && jnorm_is_word(jn->s[jn->i]))
		jn->i++;
	if (!jnorm_word_number(jn->s + start, jn->i - start, &num) ||
	    jnorm_before_colon(jn, jn->i))
		return;
	if (jn->flags & JNORM_MARK_NUMBERS)
		buf_adds(&quoted, JNORM_MARK_NUMBER);
	else if (!jnorm_number_fits(&num))
		buf_addc(&quoted, '"');
	else
		return;
	buf_add(&quoted, num.text, num.len);
	buf_addc(&quoted, '"');
	jnorm_emit(jn, start, jn->i - start, quoted.p, quoted.len);
	buf_free(&quoted);
}

/* One piece at s[i]: a string, a word, or a run of anything else. */
static void
jnorm_piece(struct jnorm *jn)
{
	if (jn->s[jn->i] == '"')
		jnorm_string(jn);
	else if (jnorm_is_word_start(jn->s[jn->i]))
		jnorm_word(jn);
	else {
		for (jn->i++; jn->i < jn->n && jn->s[jn->i] != '"' &&
		    !jnorm_is_word_start(jn->s[jn->i]); jn->i++)
			;
	}
}

static void
jnorm_init(struct jnorm *jn, const char *s, size_t n, unsigned flags,
    struct buf *out)
{
	memset(jn, 0, sizeof *jn);
	jn->s = s;
	jn->n = n;
	jn->flags = flags;
	jn->out = out;
}

const char *
jnorm_text(const char *s, size_t n, unsigned flags, struct buf *out,
    size_t *outlen)
{
	struct jnorm jn;

	jnorm_init(&jn, s, n, flags, out);
	buf_reset(out);
	while (jn.i < n)
		jnorm_piece(&jn);
	if (jn.done == 0 && out->len == 0) {
		*outlen = n;
		return s;
	}
	buf_add(out, s + jn.done, n - jn.done);
	*outlen = out->len;
	return buf_str(out);
}

json_t *
jnorm_load(const char *s, size_t n, unsigned flags, json_error_t *err)
{
	struct buf rewritten = BUF_INIT;
	const char *text;
	json_t *root;
	size_t len;

	text = jnorm_text(s, n, flags, &rewritten, &len);
	/* \u0000 is allowed in values: JNORM_TEXT has made it U+FFFD, and
	 * JNORM_MARK_NUMBERS marks with it. */
	root = json_loadb(text, len, JSON_DECODE_ANY | JSON_ALLOW_NUL, err);
	buf_free(&rewritten);
	return root;
}

size_t
jnorm_source_offset(const char *s, size_t n, unsigned flags, size_t pos)
{
	struct buf scratch = BUF_INIT;
	struct jnorm jn;
	size_t start, before, after, off = n;

	jnorm_init(&jn, s, n, flags, &scratch);
	while (jn.i < n) {
		start = jn.i;
		before = jnorm_produced(&jn);
		jnorm_piece(&jn);
		after = jnorm_produced(&jn);
		if (after > pos) {
			off = jn.i;
			if (pos - before < jn.i - start)
				off = start + (pos - before);
			break;
		}
	}
	buf_free(&scratch);
	return off;
}

/* Saturating decimal exponent of a real's "e…" part at p. */
static long long
jnorm_exponent(const char *p, const char *end)
{
	long long e = 0;
	bool neg = false;

	if (p >= end || (*p != 'e' && *p != 'E'))
		return 0;
	p++;
	if (p < end && (*p == '+' || *p == '-'))
		neg = *p++ == '-';
	for (; p < end && *p >= '0' && *p <= '9'; p++) {
		if (e < JNORM_EXP_CAP)
			e = e * 10 + (*p - '0');
	}
	return neg ? -e : e;
}

/*
 * Whether a real (valid JSON syntax) stays below DBL_MAX once rounded.
 * The magnitude is found from the digits and the exponent; only a real
 * of magnitude 10^308 is given to strtod, written as digits and an
 * exponent without a decimal point so LC_NUMERIC cannot change it.
 */
static bool
jnorm_real_fits(const char *text, size_t len)
{
	const char *p = text, *end = text + len;
	struct buf digits = BUF_INIT;
	long long lead = 0, mag, ndigits;
	bool seen = false, point = false;
	double d;

	if (p < end && *p == '-')
		p++;
	for (; p < end && ((*p >= '0' && *p <= '9') || *p == '.');
	    p++) {
		if (*p == '.')
			point = true;
		else if (seen || *p != '0') {
			seen = true;
			if (!point)
				lead++;
			buf_addc(&digits, *p);
		} else if (point)
			lead--;
	}
	if (!seen) {
		buf_free(&digits);
		return true;	/* zero */
	}
	mag = lead - 1 + jnorm_exponent(p, end);
	if (mag != JNORM_DBL_MAX_EXP10) {
		buf_free(&digits);
		return mag < JNORM_DBL_MAX_EXP10;
	}
	ndigits = (long long)digits.len;
	buf_printf(&digits, "e%lld", mag - (ndigits - 1));
	d = strtod(digits.p, NULL);
	buf_free(&digits);
	return d < HUGE_VAL;
}

bool
jnorm_number_fits(const struct jnum *num)
{
	switch (num->class) {
	case JNUM_INT:
		return true;
	case JNUM_FLOAT:
		return jnorm_real_fits(num->text, num->len);
	default:
		return false;
	}
}
