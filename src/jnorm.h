/* SPDX-License-Identifier: MIT */
/*
 * jnorm.h — the one pre-pass that makes a JSON text jansson can parse
 * out of what the traces hold (doc/reference.md §2.7).
 *
 * jansson refuses some things the index pass (jscan.c) reads: Python's
 * NaN, Infinity and -Infinity, integers beyond 64 bits, reals beyond a
 * double (1e999), \u0000 in a key, lone surrogate escapes.  Detail
 * (span_detail.c) and the JSON view (json_view.c) both parse with
 * jansson, so both run the text through jnorm first: numbers are found
 * and classified by jscan's own number rule, and whatever jansson cannot
 * hold becomes a string holding the number exactly as written.
 *
 * Only values are rewritten: a number used as an object key, and any
 * other text that is not JSON, is copied unchanged for jansson to refuse.
 */
#ifndef JNORM_H
#define JNORM_H

#include <stdbool.h>
#include <stddef.h>

#include <jansson.h>

#include "buf.h"

struct jnum;

/*
 * Inside strings, \u0000, lone surrogate escapes and bytes that are not
 * UTF-8 become U+FFFD, as jscan reads them (span detail: jansson refuses
 * \u0000 in a key, and a NUL would cut every C string that shows it).
 */
#define JNORM_TEXT		0x1
/*
 * Every number, not only those jansson cannot hold, becomes a marked
 * string: JNORM_MARK_NUMBER, the number as written, '"' (the JSON view
 * shows numbers as written).  A decoded string that starts with NUL can
 * only come from a "\u0000" escape, so a real string starting with
 * \u0000 gets JNORM_MARK_STRING put in front, to be taken off again.
 * (With JNORM_TEXT as well no string can start with NUL, so there is
 * nothing to mark.)
 */
#define JNORM_MARK_NUMBERS	0x2

#define JNORM_MARK_NUMBER	"\"\\u0000n"
#define JNORM_MARK_STRING	"\\u0000s"
#define JNORM_MARK_LEN		2	/* decoded: NUL and the letter */

/*
 * Normalise s[0..n).  Returns s itself (and *outlen = n) when nothing
 * needed rewriting — most texts — else out's text, valid until out
 * changes; the caller frees out either way.
 */
const char *jnorm_text(const char *s, size_t n, unsigned flags,
    struct buf *out, size_t *outlen);

/* Normalise s[0..n) and parse it with jansson (any value; jansson's
 * depth limit holds): the one way trace text reaches jansson.  NULL,
 * with *err telling why (its position is in the normalised text: map it
 * back with jnorm_source_offset). */
json_t *jnorm_load(const char *s, size_t n, unsigned flags,
    json_error_t *err);

/* The offset in s of byte pos of the normalised text: exact where the
 * piece around it was copied unchanged, else the end of that piece. */
size_t jnorm_source_offset(const char *s, size_t n, unsigned flags,
    size_t pos);

/* Whether jansson holds this number as a number: an integer within
 * 64 bits or a real within a double (not NaN, not an infinity). */
bool jnorm_number_fits(const struct jnum *);

#endif
