/* SPDX-License-Identifier: MIT */
/*
 * jscan.c — the pull JSON scanner and its scratch arena; see jscan.h.
 *
 * Strings are scanned a block at a time (16 bytes with SSE2, else 8 bytes
 * as one 64-bit word): one pass finds the first byte that needs a look —
 * a quote, a backslash, a control character or a non-ASCII byte — so a
 * long plain run costs a few instructions per block.  Containers are
 * skipped by a loop with an explicit bit stack, never by recursion.
 */
#include "jscan.h"

#include <stdlib.h>
#include <string.h>

#ifdef __SSE2__
#include <emmintrin.h>
#endif

#include "buf.h"
#include "text.h"
#include "xmalloc.h"

/* Small allocations share chunks of this size; bigger ones get their own. */
#define JARENA_CHUNK (64 * 1024)

struct jchunk {
	struct jchunk *next;
	size_t size, used;
	char data[];
};

struct jarena {
	struct jchunk *head; /* small allocations are served from head */
	struct jchunk *base; /* kept across resets: steady use never mallocs */
};

static struct jchunk *
jchunk_new(size_t size)
{
	struct jchunk *c = xmalloc(sizeof *c + size);

	c->next = NULL;
	c->size = size;
	c->used = 0;
	return c;
}

struct jarena *
jarena_new(void)
{
	struct jarena *a = xmalloc(sizeof *a);

	a->base = a->head = jchunk_new(JARENA_CHUNK);
	return a;
}

void
jarena_free(struct jarena *a)
{
	if (a == NULL)
		return;
	jarena_reset(a);
	free(a->base);
	free(a);
}

void
jarena_reset(struct jarena *a)
{
	struct jchunk *c, *next;

	for (c = a->head; c != NULL; c = next) {
		next = c->next;
		if (c != a->base)
			free(c);
	}
	a->base->next = NULL;
	a->base->used = 0;
	a->head = a->base;
}

char *
jarena_alloc(struct jarena *a, size_t n)
{
	struct jchunk *c = a->head;

	if (c->size - c->used >= n) {
		c->used += n;
		return c->data + c->used - n;
	}
	if (n > JARENA_CHUNK / 4) {
		/* Link a big block behind head, so head keeps its free room. */
		c = jchunk_new(n);
		c->next = a->head->next;
		a->head->next = c;
	} else {
		c = jchunk_new(JARENA_CHUNK);
		c->next = a->head;
		a->head = c;
	}
	c->used = n;
	return c->data;
}

#ifdef __SSE2__
#define BLOCK 16
typedef unsigned block_mask;

/* One bit per byte of p[0..16) that a string scan must look at. */
static inline block_mask
block_specials(const char *p)
{
	__m128i v = _mm_loadu_si128((const __m128i *)p);
	__m128i quote = _mm_cmpeq_epi8(v, _mm_set1_epi8('"'));
	__m128i bslash = _mm_cmpeq_epi8(v, _mm_set1_epi8('\\'));
	__m128i ctl = _mm_cmpeq_epi8(_mm_max_epu8(v, _mm_set1_epi8(0x1f)),
	    _mm_set1_epi8(0x1f));

	/* v itself contributes its high bits: the non-ASCII bytes. */
	return (block_mask)_mm_movemask_epi8(_mm_or_si128(
	    _mm_or_si128(quote, bslash), _mm_or_si128(ctl, v)));
}

/* Index of the first byte flagged in m (m != 0). */
static inline size_t
block_first(block_mask m)
{
	return (size_t)__builtin_ctz(m);
}

/* m without the flags of bytes 0..i. */
static inline block_mask
block_clear_through(block_mask m, size_t i)
{
	return m & ~((2u << i) - 1);
}
#else
#define BLOCK 8
typedef uint64_t block_mask;
#define ONES UINT64_C(0x0101010101010101)
#define LOWS (ONES * 0x7f)
#define HIGHS (ONES * 0x80)

/* The high bit of each zero byte of v, exactly (no borrows between bytes). */
static inline uint64_t
zero_bytes(uint64_t v)
{
	return ~(((v & LOWS) + LOWS) | v | LOWS);
}

/* The high bit of each byte of p[0..8) that a string scan must look at. */
static inline block_mask
block_specials(const char *p)
{
	uint64_t x;

	memcpy(&x, p, sizeof x);
#if __BYTE_ORDER__ == __ORDER_BIG_ENDIAN__
	x = __builtin_bswap64(x);
#endif
	return zero_bytes(x ^ (ONES * '"')) | zero_bytes(x ^ (ONES * '\\')) |
	    zero_bytes(x & (ONES * 0xe0)) | (x & HIGHS);
}

static inline size_t
block_first(block_mask m)
{
	return (size_t)__builtin_ctzll(m) / 8;
}

static inline block_mask
block_clear_through(block_mask m, size_t i)
{
	return m & ~((UINT64_C(2) << (8 * i + 7)) - 1);
}
#endif

static int
fail_at(struct jscan *js, const char *at, const char *why)
{
	if (js->error == NULL) {
		js->error = why;
		js->error_off = (size_t)(at - js->start);
	}
	return -1;
}

/* JSON whitespace as a bit set over the bytes up to ' '. */
#define WS_BITS ((UINT64_C(1) << ' ') | (UINT64_C(1) << '\n') | \
	(UINT64_C(1) << '\r') | (UINT64_C(1) << '\t'))

/* Skip whitespace; the next byte, or -1 at the end.  Tokens mostly start
 * with bytes above ' ', so one comparison settles most calls. */
static inline int
skip_ws(struct jscan *js)
{
	const char *p = js->p, *end = js->end;

	while (p < end && (unsigned char)*p <= ' ' &&
	    (WS_BITS >> (unsigned char)*p & 1))
		p++;
	js->p = p;
	return p < end ? (unsigned char)*p : -1;
}

/* Fail with why, or with "unexpected end" when the input ran out. */
static int
fail_here(struct jscan *js, const char *why)
{
	if (js->p >= js->end)
		why = "unexpected end of input";
	return fail_at(js, js->p, why);
}

static int
hex_digit(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

long
jscan_hex4(const char *s, size_t n)
{
	long v = 0;
	int d, i;

	if (n < 4)
		return -1;
	for (i = 0; i < 4; i++) {
		if ((d = hex_digit(s[i])) == -1)
			return -1;
		v = v * 16 + d;
	}
	return v;
}

/* fail_at() for functions that return a length: 0 is the failure. */
static size_t
fail_len(struct jscan *js, const char *at, const char *why)
{
	fail_at(js, at, why);
	return 0;
}

/* The escapes that stand for one byte: \" \\ \/ \b \f \n \r \t. */
static inline bool
short_escape(char c)
{
	switch (c) {
	case '"': case '\\': case '/': case 'b':
	case 'f': case 'n': case 'r': case 't':
		return true;
	}
	return false;
}

/*
 * s points at a byte a string scan stopped on (not the closing quote).
 * Check what starts there and return its length, or 0 after failing.
 */
static size_t
string_special(struct jscan *js, const char *s, bool *escaped)
{
	const unsigned char *u = (const unsigned char *)s;
	size_t avail = (size_t)(js->end - s), n, len;
	unsigned cp;

	if (*u == '\\') {
		*escaped = true;
		if (avail < 2)
			return fail_len(js, s, "unterminated string");
		if (short_escape(s[1]))
			return 2;
		if (s[1] != 'u')
			return fail_len(js, s, "invalid escape");
		if (jscan_hex4(s + 2, avail - 2) == -1)
			return fail_len(js, s, "invalid \\u escape");
		return 6;
	}
	if (*u < 0x20)
		return fail_len(js, s, "control character in string");
	/* Non-ASCII: take the whole run of such characters in one go. */
	for (n = 0; n < avail && u[n] >= 0x80; n += len) {
		if ((len = utf8_decode(u + n, avail - n, &cp)) == 0)
			return fail_len(js, s + n, "invalid UTF-8 in string");
	}
	return n;
}

/*
 * The closing quote of the string whose body starts at p, or NULL after
 * failing.  *escaped is set when the body holds a backslash.  Short
 * escapes are stepped over inside the block: JSON documents stored in
 * string values are full of \" and must not cost a reload each.
 */
static __attribute__((noinline)) const char *
string_end_scan(struct jscan *js, const char *p, bool *escaped)
{
	const char *end = js->end, *next, *s;
	block_mask m;
	size_t len;

	while (end - p >= BLOCK) {
		m = block_specials(p);
		next = p + BLOCK;
		while (m != 0) {
			s = p + block_first(m);
			if (*s == '"')
				return s;
			if (*s == '\\' && s + 1 < next && short_escape(s[1])) {
				*escaped = true;
				m = block_clear_through(m, (size_t)(s + 1 - p));
				continue;
			}
			if ((len = string_special(js, s, escaped)) == 0)
				return NULL;
			next = s + len;
			break;
		}
		p = next;
	}
	while (p < end) {
		if (*p == '"')
			return p;
		if (*p >= 0x20 && *p != '\\' && (unsigned char)*p < 0x80) {
			p++;
			continue;
		}
		if ((len = string_special(js, p, escaped)) == 0)
			return NULL;
		p += len;
	}
	fail_at(js, end, "unterminated string");
	return NULL;
}

/* Most strings (keys, ids, short values) end within their first block
 * without a special byte: settle those without the full loop. */
static inline const char *
string_end(struct jscan *js, const char *p, bool *escaped)
{
	block_mask m;
	const char *s;

	if (js->end - p >= BLOCK && (m = block_specials(p)) != 0 &&
	    *(s = p + block_first(m)) == '"')
		return s;
	return string_end_scan(js, p, escaped);
}

/* Scan the string whose opening quote is at js->p. */
static inline int
scan_string(struct jscan *js, const char **s, size_t *n, bool *escaped)
{
	const char *close;

	*escaped = false;
	if ((close = string_end(js, js->p + 1, escaped)) == NULL)
		return -1;
	*s = js->p + 1;
	*n = (size_t)(close - *s);
	js->p = close + 1;
	return 0;
}

void
jscan_init(struct jscan *js, const char *s, size_t n, struct jarena *arena)
{
	js->start = js->p = s;
	js->end = s + n;
	js->arena = arena;
	js->error = NULL;
	js->error_off = 0;
	js->depth = 0;
	js->fresh = false;
}

enum jscan_type
jscan_peek(struct jscan *js)
{
	if (js->error != NULL)
		return JSCAN_ERROR;
	switch (skip_ws(js)) {
	case '{':
		return JSCAN_OBJECT;
	case '[':
		return JSCAN_ARRAY;
	case '"':
		return JSCAN_STRING;
	case '-': case '0': case '1': case '2': case '3': case '4':
	case '5': case '6': case '7': case '8': case '9': case 'N': case 'I':
		return JSCAN_NUMBER;
	case 't':
		return JSCAN_TRUE;
	case 'f':
		return JSCAN_FALSE;
	case 'n':
		return JSCAN_NULL;
	}
	fail_here(js, "expected a value");
	return JSCAN_ERROR;
}

static int
open_container(struct jscan *js, char open, const char *why)
{
	if (js->error != NULL)
		return -1;
	if (skip_ws(js) != open)
		return fail_here(js, why);
	if (js->depth >= JSCAN_MAX_DEPTH)
		return fail_at(js, js->p, "nested too deeply");
	js->p++;
	js->depth++;
	js->fresh = true;
	return 0;
}

int
jscan_object(struct jscan *js)
{
	return open_container(js, '{', "expected an object");
}

int
jscan_array(struct jscan *js)
{
	return open_container(js, '[', "expected an array");
}

/* Consume the closing byte of the container being read. */
static int
close_container(struct jscan *js)
{
	js->p++;
	js->depth--;
	js->fresh = false;
	return 0;
}

int
jscan_string_raw(struct jscan *js, const char **s, size_t *n, bool *escaped)
{
	if (js->error != NULL)
		return -1;
	if (skip_ws(js) != '"')
		return fail_here(js, "expected a string");
	return scan_string(js, s, n, escaped);
}

int
jscan_string(struct jscan *js, const char **s, size_t *n)
{
	bool escaped;

	if (jscan_string_raw(js, s, n, &escaped) == -1)
		return -1;
	if (escaped)
		jscan_unescape(js->arena, *s, *n, s, n);
	return 0;
}

int
jscan_key(struct jscan *js, const char **key, size_t *keylen)
{
	bool escaped;
	int c;

	if (js->error != NULL)
		return -1;
	c = skip_ws(js);
	if (c == '}')
		return close_container(js);
	if (!js->fresh) {
		if (c != ',')
			return fail_here(js, "expected ',' or '}'");
		js->p++;
		c = skip_ws(js);
	}
	if (c != '"')
		return fail_here(js, "expected a key");
	if (scan_string(js, key, keylen, &escaped) == -1)
		return -1;
	if (escaped)
		jscan_unescape(js->arena, *key, *keylen, key, keylen);
	if (skip_ws(js) != ':')
		return fail_here(js, "expected ':'");
	js->p++;
	js->fresh = false;
	return 1;
}

int
jscan_elem(struct jscan *js)
{
	int c;

	if (js->error != NULL)
		return -1;
	c = skip_ws(js);
	if (c == ']')
		return close_container(js);
	if (js->fresh) {
		js->fresh = false;
		return 1;
	}
	if (c != ',')
		return fail_here(js, "expected ',' or ']'");
	js->p++;
	return 1;
}

/* Append the UTF-8 of the \u escape(s) at p (just past "\u"); returns the
 * bytes of raw text used.  A surrogate without its partner is U+FFFD, and
 * so is \u0000: text is kept as C strings downstream, and a NUL there
 * would hide everything after it (span_parse.h, "Text"). */
static size_t
unescape_u(const char *p, const char *end, char **out)
{
	long cp = jscan_hex4(p, (size_t)(end - p)), lo;

	if (cp >= 0xd800 && cp <= 0xdbff && end - p >= 10 && p[4] == '\\' &&
	    p[5] == 'u' && (lo = jscan_hex4(p + 6, 4)) >= 0xdc00 && lo <= 0xdfff) {
		*out += utf8_encode(0x10000 + (((unsigned)cp - 0xd800) << 10) +
		    ((unsigned)lo - 0xdc00), *out);
		return 10;
	}
	if (cp == 0 || (cp >= 0xd800 && cp <= 0xdfff))
		cp = 0xfffd;
	*out += utf8_encode((unsigned)cp, *out);
	return 4;
}

/*
 * The decoded text is never longer than the raw text (every escape
 * shrinks or keeps its length), so one allocation of n bytes is enough.
 * Raw text that jscan did not validate is decoded without reading past
 * it: a trailing backslash or a short \u is copied as written, and an
 * unknown escape \x gives x.
 */
void
jscan_unescape(struct jarena *a, const char *raw, size_t n, const char **s,
    size_t *len)
{
	const char *p = raw, *end = raw + n, *bs;
	char *out = jarena_alloc(a, n), *o = out;

	*s = out;
	while ((bs = memchr(p, '\\', (size_t)(end - p))) != NULL) {
		memcpy(o, p, (size_t)(bs - p));
		o += bs - p;
		p = bs + 1;
		if (p == end) {
			*o++ = '\\';
			break;
		}
		switch (*p++) {
		case 'b': *o++ = '\b'; continue;
		case 'f': *o++ = '\f'; continue;
		case 'n': *o++ = '\n'; continue;
		case 'r': *o++ = '\r'; continue;
		case 't': *o++ = '\t'; continue;
		case 'u':
			if (jscan_hex4(p, (size_t)(end - p)) != -1) {
				p += unescape_u(p, end, &o);
				continue;
			}
			*o++ = '\\';
			*o++ = 'u';
			continue;
		default:
			*o++ = p[-1];
			continue;
		}
	}
	memcpy(o, p, (size_t)(end - p));
	o += end - p;
	*len = (size_t)(o - out);
}

/* Match the literal word w at js->p. */
static bool
match_word(const struct jscan *js, const char *w, size_t n)
{
	return (size_t)(js->end - js->p) >= n && memcmp(js->p, w, n) == 0;
}

/* Digits at p: their end; *zero is cleared by any non-zero digit. */
static const char *
skip_digits(const char *p, const char *end, bool *zero)
{
	for (; p < end && *p >= '0' && *p <= '9'; p++) {
		if (*p != '0')
			*zero = false;
	}
	return p;
}

/* The integer part at p (already known to start with a digit). */
static const char *
scan_int_part(const char *p, const char *end, struct jnum *num, bool *big)
{
	uint64_t u = 0;
	unsigned d;

	if (*p == '0')
		return p + 1;
	num->zero = false;
	for (; p < end && *p >= '0' && *p <= '9'; p++) {
		d = (unsigned)(*p - '0');
		if (u > (UINT64_MAX - d) / 10)
			*big = true;
		else
			u = u * 10 + d;
	}
	if (!*big && u > (uint64_t)INT64_MAX + num->neg)
		*big = true;
	if (!*big)
		num->i = num->neg ? -(int64_t)(u - 1) - 1 : (int64_t)u;
	return p;
}

int
jscan_number(struct jscan *js, struct jnum *num)
{
	const char *p, *end = js->end;
	bool big = false;

	if (js->error != NULL)
		return -1;
	skip_ws(js);
	p = js->p;
	memset(num, 0, sizeof *num);
	num->text = p;
	num->zero = true;
	if (p < end && *p == '-') {
		num->neg = true;
		p++;
	}
	if (match_word(js, num->neg ? "-Infinity" : "Infinity",
	    num->neg ? 9 : 8)) {
		num->class = JNUM_INF;
		num->zero = false;
		p += 8;
	} else if (!num->neg && match_word(js, "NaN", 3)) {
		num->class = JNUM_NAN;
		num->zero = false;
		p += 3;
	} else {
		if (p >= end || *p < '0' || *p > '9')
			return fail_at(js, p, "invalid number");
		p = scan_int_part(p, end, num, &big);
		num->class = big ? JNUM_BIGINT : JNUM_INT;
		if (p < end && *p == '.') {
			if (++p >= end || *p < '0' || *p > '9')
				return fail_at(js, p, "invalid number");
			p = skip_digits(p, end, &num->zero);
			num->class = JNUM_FLOAT;
		}
		if (p < end && (*p == 'e' || *p == 'E')) {
			bool ignored = true;

			if (++p < end && (*p == '+' || *p == '-'))
				p++;
			if (p >= end || *p < '0' || *p > '9')
				return fail_at(js, p, "invalid number");
			p = skip_digits(p, end, &ignored);
			num->class = JNUM_FLOAT;
		}
		if (num->class != JNUM_INT)
			num->i = 0;
	}
	num->len = (size_t)(p - num->text);
	js->p = p;
	return 0;
}

int
jscan_literal(struct jscan *js)
{
	if (js->error != NULL)
		return -1;
	switch (skip_ws(js)) {
	case 't':
		if (!match_word(js, "true", 4))
			break;
		js->p += 4;
		return JSCAN_TRUE;
	case 'f':
		if (!match_word(js, "false", 5))
			break;
		js->p += 5;
		return JSCAN_FALSE;
	case 'n':
		if (!match_word(js, "null", 4))
			break;
		js->p += 4;
		return JSCAN_NULL;
	}
	return fail_here(js, "invalid literal");
}

/* Skip the string whose opening quote is at js->p. */
static int
skip_string(struct jscan *js)
{
	const char *s;
	size_t n;
	bool escaped;

	return scan_string(js, &s, &n, &escaped);
}

/* Scan one scalar value (or fail). */
static int
skip_scalar(struct jscan *js, int c)
{
	struct jnum num;

	switch (c) {
	case '"':
		return skip_string(js);
	case 't': case 'f': case 'n':
		return jscan_literal(js) == -1 ? -1 : 0;
	case '-': case '0': case '1': case '2': case '3': case '4':
	case '5': case '6': case '7': case '8': case '9': case 'N': case 'I':
		return jscan_number(js, &num);
	}
	return fail_here(js, "expected a value");
}

#define BIT_WORDS ((JSCAN_MAX_DEPTH + 63) / 64)

/*
 * Skip and validate one value.  Nesting is tracked in a bit stack (1 =
 * object) so any depth up to JSCAN_MAX_DEPTH costs no recursion.
 */
int
jscan_skip(struct jscan *js)
{
	uint64_t objects[BIT_WORDS], bit;
	unsigned level = 0;
	bool object, want_key = false;
	int c;

	if (js->error != NULL)
		return -1;
	for (;;) {
		c = skip_ws(js);
		if (want_key) {
			if (c != '"')
				return fail_here(js, "expected a key");
			if (skip_string(js) == -1)
				return -1;
			if (skip_ws(js) != ':')
				return fail_here(js, "expected ':'");
			js->p++;
			c = skip_ws(js);
			want_key = false;
		}
		if (c == '{' || c == '[') {
			if (js->depth + level >= JSCAN_MAX_DEPTH)
				return fail_at(js, js->p, "nested too deeply");
			object = c == '{';
			if (level % 64 == 0)
				objects[level / 64] = 0;
			bit = UINT64_C(1) << (level % 64);
			if (object)
				objects[level / 64] |= bit;
			else
				objects[level / 64] &= ~bit;
			level++;
			js->p++;
			c = skip_ws(js);
			if (c != (object ? '}' : ']')) {
				want_key = object;
				continue;
			}
			js->p++;
			level--;
		} else if (skip_scalar(js, c) == -1)
			return -1;

		/* A value is complete: close containers or go to the next. */
		for (;;) {
			if (level == 0)
				return 0;
			object = objects[(level - 1) / 64] >>
			    ((level - 1) % 64) & 1;
			c = skip_ws(js);
			if (c == ',') {
				js->p++;
				want_key = object;
				break;
			}
			if (c != (object ? '}' : ']'))
				return fail_here(js, object ?
				    "expected ',' or '}'" :
				    "expected ',' or ']'");
			js->p++;
			level--;
		}
	}
}

int
jscan_finish(struct jscan *js)
{
	if (js->error != NULL)
		return -1;
	if (skip_ws(js) != -1)
		return fail_at(js, js->p, "unexpected data after the value");
	return 0;
}

const char *
jscan_error(const struct jscan *js, size_t *off)
{
	if (off != NULL)
		*off = js->error_off;
	return js->error;
}
