/* SPDX-License-Identifier: MIT */
/*
 * jscan.h — a pull scanner over one JSON text held in memory.
 *
 * No tree is built: the caller walks the document with a cursor, reads
 * the few values it wants and skips the rest.  Skipping is the hot path
 * of the index pass (most bytes of a trace are long string values), so it
 * scans strings a block at a time and skips containers by counting depth
 * without recursion.  Everything consumed is validated as strictly as
 * jansson does (grammar, escapes, control characters, UTF-8), except
 * that Python's NaN, Infinity and -Infinity are numbers, integers and
 * exponents of any size are numbers, \u0000 is allowed (also in keys)
 * and a lone surrogate escape decodes to U+FFFD.
 *
 * Strings without escapes are returned as pointers into the text; strings
 * with escapes are decoded into a jarena and stay valid until it is reset.
 * Errors are sticky: after the first one every call returns -1, and
 * jscan_error() tells what and where.
 *
 * A struct jscan is a plain value: copying it saves the cursor, so a
 * caller can skip a value now and come back to read it later.
 *
 * Typical walk over an object:
 *
 *	if (jscan_object(&js) == -1) ...
 *	while ((r = jscan_key(&js, &k, &kn)) == 1) {
 *		if (is "name") jscan_string(&js, &s, &sn); else jscan_skip(&js);
 *	}
 *	if (r == -1) ...
 */
#ifndef JSCAN_H
#define JSCAN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Deeper nesting is an error rather than a risk. */
#define JSCAN_MAX_DEPTH 10000

/* Chunked scratch memory: chunks never move, so pointers handed out stay
 * valid until jarena_reset() or jarena_free(). */
struct jarena;

struct jarena *jarena_new(void);
void jarena_free(struct jarena *);
void jarena_reset(struct jarena *);
char *jarena_alloc(struct jarena *, size_t);

enum jscan_type {
	JSCAN_ERROR = -1,
	JSCAN_OBJECT,
	JSCAN_ARRAY,
	JSCAN_STRING,
	JSCAN_NUMBER, /* includes NaN, Infinity, -Infinity */
	JSCAN_TRUE,
	JSCAN_FALSE,
	JSCAN_NULL,
};

enum jnum_class {
	JNUM_INT,    /* integer syntax, value in i */
	JNUM_BIGINT, /* integer syntax, beyond int64 */
	JNUM_FLOAT,  /* fraction or exponent */
	JNUM_NAN,
	JNUM_INF,    /* neg tells the sign */
};

struct jnum {
	const char *text; /* the number as written */
	size_t len;
	enum jnum_class class;
	int64_t i;        /* JNUM_INT only */
	bool neg;
	bool zero;        /* every mantissa digit is 0 (0, -0, 0.0, 0e5) */
};

struct jscan {
	const char *start, *p, *end;
	struct jarena *arena;
	const char *error;   /* static text; NULL while all is well */
	size_t error_off;    /* byte offset of the error from start */
	unsigned depth;      /* containers entered with jscan_object/array */
	bool fresh;          /* a container was just opened: no ',' due */
};

/* Scan s[0..n); decoded strings go to arena. */
void jscan_init(struct jscan *, const char *s, size_t n, struct jarena *);

/* Type of the next value without consuming it (whitespace is skipped). */
enum jscan_type jscan_peek(struct jscan *);

/* Consume '{' or '['.  Returns 0, or -1 if the next value is not one. */
int jscan_object(struct jscan *);
int jscan_array(struct jscan *);

/* Inside an object: read the next key and its ':'; returns 1, or 0 when
 * the closing '}' was consumed instead, or -1.  The caller must then
 * consume the value (read it or jscan_skip it). */
int jscan_key(struct jscan *, const char **key, size_t *keylen);
/* Inside an array: returns 1 when another element follows (the caller
 * consumes it), 0 when the closing ']' was consumed, or -1. */
int jscan_elem(struct jscan *);

/* Read a string, decoded.  -1 if the next value is not a string. */
int jscan_string(struct jscan *, const char **s, size_t *n);
/* Read a string as written between its quotes (validated, not decoded);
 * *escaped tells whether jscan_unescape() is needed to decode it. */
int jscan_string_raw(struct jscan *, const char **s, size_t *n, bool *escaped);
/* Decode the raw text of a string that jscan_string_raw() returned. */
void jscan_unescape(struct jarena *, const char *raw, size_t n,
    const char **s, size_t *len);

/* Read a number; -1 if the next value is not one. */
int jscan_number(struct jscan *, struct jnum *);
/* Read true, false or null; returns its type, or -1. */
int jscan_literal(struct jscan *);

/* Skip the next value whatever it is, validating it. */
int jscan_skip(struct jscan *);

/* After the top-level value: only whitespace may follow.  Returns 0 or -1. */
int jscan_finish(struct jscan *);

/* The value of the four hex digits of a \uXXXX escape at s (n bytes
 * available), or -1. */
long jscan_hex4(const char *s, size_t n);

/* NULL, or why scanning stopped; *off gets the byte offset. */
const char *jscan_error(const struct jscan *, size_t *off);

#endif
