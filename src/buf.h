/* SPDX-License-Identifier: MIT */
/*
 * buf.h — a growable byte buffer, always NUL-terminated.
 * Owns its memory; buf_detach hands it to the caller.
 */
#ifndef BUF_H
#define BUF_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>

struct buf {
	char *p;    /* NUL-terminated once anything was added; may be NULL before */
	size_t len;
	size_t cap;
};

#define BUF_INIT { NULL, 0, 0 }

void buf_reserve(struct buf *, size_t extra);
void buf_add(struct buf *, const void *, size_t);
void buf_adds(struct buf *, const char *);
void buf_addc(struct buf *, char);
void buf_printf(struct buf *, const char *, ...) __attribute__((format(printf, 2, 3)));
void buf_vprintf(struct buf *, const char *, va_list) __attribute__((format(printf, 2, 0)));
/* Append s[0..n) as a JSON string literal, quotes included.  Bytes that
 * are not valid UTF-8 become U+FFFD so the output is always valid JSON;
 * controls (C0, DEL and utf8_is_terminal_control) are \u escapes, so JSON
 * output printed on a terminal is as safe as text output, and exact. */
void buf_add_json_string(struct buf *, const char *s, size_t n);
/* buf_add_json_string of a C string, or null when s is NULL. */
void buf_add_json_str_or_null(struct buf *, const char *s);
void buf_reset(struct buf *);       /* len = 0, keeps memory */
void buf_drop_front(struct buf *, size_t n); /* remove the first n bytes */
void buf_free(struct buf *);
char *buf_detach(struct buf *);     /* caller frees; never NULL */
const char *buf_str(const struct buf *); /* "" when empty */

#endif
