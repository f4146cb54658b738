/* SPDX-License-Identifier: MIT */
/*
 * text.c — making untrusted text safe and measuring it for a terminal.
 *
 * Everything here walks UTF-8 one character at a time; an invalid byte is
 * always consumed on its own, so no input can make a loop stall.
 */
#include "text.h"

#include <stdint.h>
#include <string.h>
#include <wchar.h>

#include "buf.h"

#define REPLACEMENT "\xef\xbf\xbd"	/* U+FFFD */

size_t
utf8_decode(const unsigned char *s, size_t n, unsigned *cp)
{
	unsigned c, min;
	size_t len, i;

	if (n == 0)
		return 0;
	c = s[0];
	if (c < 0x80) {
		*cp = c;
		return 1;
	}
	if (c >= 0xc2 && c <= 0xdf) {
		len = 2;
		c &= 0x1f;
		min = 0x80;
	} else if (c >= 0xe0 && c <= 0xef) {
		len = 3;
		c &= 0x0f;
		min = 0x800;
	} else if (c >= 0xf0 && c <= 0xf4) {
		len = 4;
		c &= 0x07;
		min = 0x10000;
	} else
		return 0;
	if (n < len)
		return 0;
	for (i = 1; i < len; i++) {
		if ((s[i] & 0xc0) != 0x80)
			return 0;
		c = (c << 6) | (s[i] & 0x3f);
	}
	if (c < min || c > 0x10ffff || (c >= 0xd800 && c <= 0xdfff))
		return 0;
	*cp = c;
	return len;
}

size_t
utf8_encode(unsigned cp, char *out)
{
	if (cp < 0x80) {
		out[0] = (char)cp;
		return 1;
	}
	if (cp < 0x800) {
		out[0] = (char)(0xc0 | (cp >> 6));
		out[1] = (char)(0x80 | (cp & 0x3f));
		return 2;
	}
	if (cp < 0x10000) {
		out[0] = (char)(0xe0 | (cp >> 12));
		out[1] = (char)(0x80 | ((cp >> 6) & 0x3f));
		out[2] = (char)(0x80 | (cp & 0x3f));
		return 3;
	}
	out[0] = (char)(0xf0 | (cp >> 18));
	out[1] = (char)(0x80 | ((cp >> 12) & 0x3f));
	out[2] = (char)(0x80 | ((cp >> 6) & 0x3f));
	out[3] = (char)(0x80 | (cp & 0x3f));
	return 4;
}

bool
utf8_is_terminal_control(unsigned cp)
{
	if (cp >= 0x80 && cp <= 0x9f)
		return true;
	switch (cp) {
	case 0x061c:
	case 0x200e:
	case 0x200f:
	case 0x2028:
	case 0x2029:
		return true;
	}
	return (cp >= 0x202a && cp <= 0x202e) || (cp >= 0x2066 && cp <= 0x2069);
}

static bool
text_printable_ascii(unsigned char c)
{
	return c >= 0x20 && c < 0x7f;
}

/* Length of the leading part of s[0..n) that text_sanitize copies as is. */
static size_t
text_safe_prefix(const char *s, size_t n, unsigned flags)
{
	const unsigned char *u = (const unsigned char *)s;
	size_t i = 0, len;
	unsigned cp;

	while (i < n) {
		if (text_printable_ascii(u[i])) {
			i++;
			continue;
		}
		if ((u[i] == '\n' && (flags & TEXT_KEEP_NEWLINES)) ||
		    (u[i] == '\t' && (flags & TEXT_KEEP_TABS))) {
			i++;
			continue;
		}
		if (u[i] < 0x80)
			break;
		len = utf8_decode(u + i, n - i, &cp);
		if (len == 0 || utf8_is_terminal_control(cp))
			break;
		i += len;
	}
	return i;
}

/* Append the escape for the unsafe character at s; returns its length. */
static size_t
text_escape_one(struct buf *out, const unsigned char *s, size_t n)
{
	size_t len;
	unsigned cp;

	switch (s[0]) {
	case '\n':
		buf_adds(out, "\\n");
		return 1;
	case '\t':
		buf_adds(out, "\\t");
		return 1;
	case '\r':
		buf_adds(out, "\\r");
		return 1;
	}
	if (s[0] < 0x80) {
		buf_printf(out, "\\x%02x", s[0]);
		return 1;
	}
	len = utf8_decode(s, n, &cp);
	if (len == 0) {
		/* One U+FFFD per invalid byte, as buf_add_json_string does. */
		buf_adds(out, REPLACEMENT);
		return 1;
	}
	buf_printf(out, "\\u{%x}", cp);
	return len;
}

void
text_sanitize(struct buf *out, const char *s, size_t n, unsigned flags)
{
	size_t i = 0, run;

	/* Reserve only when something will be added: buf_reserve on an empty
	 * buf leaves it unterminated. */
	if (n == 0)
		return;
	buf_reserve(out, n);
	while (i < n) {
		run = text_safe_prefix(s + i, n - i, flags);
		if (run > 0) {
			buf_add(out, s + i, run);
			i += run;
			continue;
		}
		i += text_escape_one(out, (const unsigned char *)s + i, n - i);
	}
}

bool
text_is_safe(const char *s, size_t n)
{
	return text_safe_prefix(s, n, 0) == n;
}

/*
 * Decode the character at s (n > 0 bytes available) and return its length
 * and display width.  Invalid bytes are taken one at a time, as one column:
 * the caller was meant to sanitize, but measuring must not misbehave if
 * it did not.
 */
static size_t
text_next(const char *s, size_t n, int *width)
{
	const unsigned char *u = (const unsigned char *)s;
	size_t len;
	unsigned cp;
	int w;

	if (u[0] < 0x80) {
		*width = 1;
		return 1;
	}
	len = utf8_decode(u, n, &cp);
	if (len == 0) {
		*width = 1;
		return 1;
	}
	w = wcwidth((wchar_t)cp);
	*width = w < 0 ? 1 : w;
	return len;
}

int
text_width(const char *s, size_t n)
{
	size_t i = 0;
	int cols = 0, w;

	while (i < n) {
		i += text_next(s + i, n - i, &w);
		cols += w;
	}
	return cols;
}

size_t
text_fit(const char *s, size_t n, int cols, int *used)
{
	size_t i = 0, len;
	int total = 0, w;

	/* Zero-width characters after a full line still fit: this keeps
	 * combining marks with the character they modify. */
	while (i < n) {
		len = text_next(s + i, n - i, &w);
		if (total + w > cols)
			break;
		total += w;
		i += len;
	}
	if (used != NULL)
		*used = total;
	return i;
}

/*
 * Where to end a line that must stop within s[0..fit), fit < n (s[0..n)
 * being the rest of the paragraph): after the last word followed by a
 * space at or before fit, else at fit itself, inside a word.
 */
static size_t
text_break(const char *s, size_t n, size_t fit)
{
	size_t i, end;

	for (i = fit; i > 0; i--) {
		if (s[i] != ' ')
			continue;
		for (end = i; end > 0 && s[end - 1] == ' '; end--)
			;
		if (end > 0)
			return end;
		break;
	}
	return fit;
}

/* Wrap one paragraph (no '\n' inside); an empty one is one empty line. */
static void
text_wrap_paragraph(const char *s, size_t n, int width, text_line_fn fn,
    void *arg)
{
	size_t pos = 0, fit, end;
	int w;

	do {
		fit = text_fit(s + pos, n - pos, width, NULL);
		if (fit == n - pos) {
			fn(arg, s + pos, fit);
			return;
		}
		if (fit == 0) {
			/* A character wider than the line still gets shown. */
			text_next(s + pos, n - pos, &w);
			fit = text_fit(s + pos, n - pos, w, NULL);
			end = fit;
		} else
			end = text_break(s + pos, n - pos, fit);
		fn(arg, s + pos, end);
		pos += end;
		while (pos < n && s[pos] == ' ')
			pos++;
	} while (pos < n);
}

void
text_wrap(const char *s, size_t n, int width, text_line_fn fn, void *arg)
{
	size_t pos = 0, end;

	if (width < 1)
		width = 1;
	while (pos < n) {
		for (end = pos; end < n && s[end] != '\n'; end++)
			;
		text_wrap_paragraph(s + pos, end - pos, width, fn, arg);
		pos = end + 1;
	}
}

/* Eight bytes at a time: 0x20 added to each byte in 'A'..'Z' (no carry
 * crosses a byte: each lane is below 0x80 when it is a letter). */
void
text_fold(char *s, size_t n)
{
	const uint64_t ones = 0x0101010101010101ull, high = 0x8080808080808080ull;
	uint64_t w, ge_a, gt_z, upper;
	size_t i = 0;

	for (; i + 8 <= n; i += 8) {
		memcpy(&w, s + i, 8);
		/* For bytes below 0x80: ge_a has 0x80 set when the byte is
		 * >= 'A', gt_z when it is > 'Z'. */
		ge_a = (w & ~high) + ones * (0x80 - 'A');
		gt_z = (w & ~high) + ones * (0x80 - 'Z' - 1);
		upper = ge_a & ~gt_z & ~w & high;
		if (upper != 0) {
			w |= upper >> 2;
			memcpy(s + i, &w, 8);
		}
	}
	for (; i < n; i++) {
		if (s[i] >= 'A' && s[i] <= 'Z')
			s[i] = (char)(s[i] + 32);
	}
}

static unsigned char
text_lower(unsigned char c)
{
	return c >= 'A' && c <= 'Z' ? (unsigned char)(c + 32) : c;
}

bool
text_find(const char *hay, size_t n, const char *needle, size_t len, size_t *at)
{
	const unsigned char *h = (const unsigned char *)hay;
	const unsigned char *nd = (const unsigned char *)needle;
	unsigned char first, alt;
	size_t i, k;

	if (len == 0 || len > n)
		return false;
	first = text_lower(nd[0]);
	alt = first >= 'a' && first <= 'z' ? (unsigned char)(first - 32) : first;
	for (i = 0; i + len <= n; i++) {
		if (h[i] != first && h[i] != alt)
			continue;
		for (k = 1; k < len && text_lower(h[i + k]) == text_lower(nd[k]); k++)
			;
		if (k == len) {
			if (at != NULL)
				*at = i;
			return true;
		}
	}
	return false;
}
