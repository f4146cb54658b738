/* SPDX-License-Identifier: MIT */
/*
 * strtab.h — interned strings: each distinct byte string is stored once
 * and named by a small integer id.
 *
 * Span names, labels and ids repeat across hundreds of thousands of spans;
 * interning keeps the span index compact and turns "find the span with
 * this id" into an array lookup by string id (see trace.c).  Strings live
 * in chunks that never move, so strtab_str pointers stay valid until
 * strtab_free.
 */
#ifndef STRTAB_H
#define STRTAB_H

#include <stddef.h>
#include <stdint.h>

/* Id 0 is always the empty string; STRTAB_NONE means "not interned". */
#define STRTAB_EMPTY 0
#define STRTAB_NONE UINT32_MAX

struct strtab;

struct strtab *strtab_new(void);
void strtab_free(struct strtab *);

/* The id of s[0..n), adding it if new. */
uint32_t strtab_intern(struct strtab *, const char *s, size_t n);
/* The id of s[0..n), or STRTAB_NONE if it was never interned. */
uint32_t strtab_find(const struct strtab *, const char *s, size_t n);
/* NUL-terminated text of id (which may itself contain NULs; see _len). */
const char *strtab_str(const struct strtab *, uint32_t id);
size_t strtab_len(const struct strtab *, uint32_t id);
/* Number of ids handed out (ids are 0 .. count-1). */
uint32_t strtab_count(const struct strtab *);
/* Room for n strings in all, so that growing to them moves nothing. */
void strtab_reserve(struct strtab *, uint32_t n);
/* Bytes held, for memory accounting. */
size_t strtab_bytes(const struct strtab *);

#endif
