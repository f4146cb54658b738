/* SPDX-License-Identifier: MIT */
/* buf.c — see buf.h. */
#include "buf.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#ifdef __SSE2__
#include <emmintrin.h>
#endif

#include "text.h"
#include "xmalloc.h"

void
buf_reserve(struct buf *b, size_t extra)
{
	size_t need = b->len + extra + 1;

	if (need <= b->cap)
		return;
	if (b->cap == 0)
		b->cap = 64;
	while (b->cap < need)
		b->cap *= 2;
	b->p = xrealloc(b->p, b->cap);
	b->p[b->len] = '\0';
}

void
buf_add(struct buf *b, const void *s, size_t n)
{
	buf_reserve(b, n);
	memcpy(b->p + b->len, s, n);
	b->len += n;
	b->p[b->len] = '\0';
}

void
buf_adds(struct buf *b, const char *s)
{
	buf_add(b, s, strlen(s));
}

void
buf_addc(struct buf *b, char c)
{
	buf_add(b, &c, 1);
}

void
buf_vprintf(struct buf *b, const char *fmt, va_list ap)
{
	va_list ap2;
	int n;

	va_copy(ap2, ap);
	n = vsnprintf(NULL, 0, fmt, ap2);
	va_end(ap2);
	if (n < 0)
		return;
	buf_reserve(b, (size_t)n);
	vsnprintf(b->p + b->len, (size_t)n + 1, fmt, ap);
	b->len += (size_t)n;
}

void
buf_printf(struct buf *b, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	buf_vprintf(b, fmt, ap);
	va_end(ap);
}

/* A byte that goes into a JSON string literal as it is. */
static inline bool
json_plain(unsigned char c)
{
	return c >= 0x20 && c < 0x7f && c != '"' && c != '\\';
}

/* How many bytes of u[0..n) from the start are json_plain: 16 at a time
 * with SSE2, as the documents stored in string values (prompts, state)
 * are long and have a quote to escape every few bytes. */
static size_t
json_plain_run(const unsigned char *u, size_t n)
{
	size_t i = 0;

#ifdef __SSE2__
	const __m128i lo = _mm_set1_epi8(0x1f), hi = _mm_set1_epi8(0x7f);
	const __m128i quote = _mm_set1_epi8('"'), bslash = _mm_set1_epi8('\\');
	unsigned m;

	for (; n - i >= 16; i += 16) {
		__m128i v = _mm_loadu_si128((const __m128i *)(u + i));
		/* v <= 0x1f, v >= 0x7f (unsigned), a quote, a backslash. */
		__m128i odd = _mm_or_si128(
		    _mm_or_si128(_mm_cmpeq_epi8(_mm_min_epu8(v, lo), v),
		    _mm_cmpeq_epi8(_mm_max_epu8(v, hi), v)),
		    _mm_or_si128(_mm_cmpeq_epi8(v, quote), _mm_cmpeq_epi8(v, bslash)));

		if ((m = (unsigned)_mm_movemask_epi8(odd)) != 0)
			return i + (size_t)__builtin_ctz(m);
	}
#endif
	while (i < n && json_plain(u[i]))
		i++;
	return i;
}

/* "\\u" and four hex digits of cp (< 0x10000) at o; returns the end. */
static char *
json_u_escape(char *o, unsigned cp)
{
	static const char hex[] = "0123456789abcdef";

	*o++ = '\\';
	*o++ = 'u';
	*o++ = hex[(cp >> 12) & 15];
	*o++ = hex[(cp >> 8) & 15];
	*o++ = hex[(cp >> 4) & 15];
	*o++ = hex[cp & 15];
	return o;
}

/* The one character at u[*i] that is not json_plain, written at o (6
 * bytes at most); *i moves past it.  Returns the end. */
static char *
json_escape_one(char *o, const unsigned char *u, size_t n, size_t *i)
{
	size_t len;
	unsigned cp;

	switch (u[*i]) {
	case '"': *o++ = '\\'; *o++ = '"'; (*i)++; return o;
	case '\\': *o++ = '\\'; *o++ = '\\'; (*i)++; return o;
	case '\n': *o++ = '\\'; *o++ = 'n'; (*i)++; return o;
	case '\r': *o++ = '\\'; *o++ = 'r'; (*i)++; return o;
	case '\t': *o++ = '\\'; *o++ = 't'; (*i)++; return o;
	}
	if (u[*i] < 0x20 || u[*i] == 0x7f)
		return json_u_escape(o, u[(*i)++]);
	len = utf8_decode(u + *i, n - *i, &cp);
	if (len == 0) {
		memcpy(o, "\xef\xbf\xbd", 3);
		(*i)++;
		return o + 3;
	}
	if (utf8_is_terminal_control(cp))
		o = json_u_escape(o, cp);
	else {
		memcpy(o, u + *i, len);
		o += len;
	}
	*i += len;
	return o;
}

void
buf_add_json_string(struct buf *b, const char *s, size_t n)
{
	const unsigned char *u = (const unsigned char *)s;
	size_t i = 0, run;
	char *o;

	buf_addc(b, '"');
	while (i < n) {
		run = json_plain_run(u + i, n - i);
		/* The run, one escape (6 bytes at most) and the closing quote. */
		buf_reserve(b, run + 7);
		o = b->p + b->len;
		memcpy(o, s + i, run);
		o += run;
		i += run;
		if (i < n)
			o = json_escape_one(o, u, n, &i);
		b->len = (size_t)(o - b->p);
	}
	buf_addc(b, '"');
}

void
buf_reset(struct buf *b)
{
	b->len = 0;
	if (b->p != NULL)
		b->p[0] = '\0';
}

void
buf_drop_front(struct buf *b, size_t n)
{
	if (n >= b->len) {
		buf_reset(b);
		return;
	}
	memmove(b->p, b->p + n, b->len - n);
	b->len -= n;
	b->p[b->len] = '\0';
}

void
buf_free(struct buf *b)
{
	free(b->p);
	b->p = NULL;
	b->len = b->cap = 0;
}

char *
buf_detach(struct buf *b)
{
	char *p = b->p != NULL ? b->p : xstrdup("");

	b->p = NULL;
	b->len = b->cap = 0;
	return p;
}

const char *
buf_str(const struct buf *b)
{
	return b->p != NULL ? b->p : "";
}

void
buf_add_json_str_or_null(struct buf *b, const char *s)
{
	if (s == NULL)
		buf_adds(b, "null");
	else
		buf_add_json_string(b, s, strlen(s));
}
