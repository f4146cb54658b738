/* SPDX-License-Identifier: MIT */
/*
 * lines.h — complete lines out of a stream of decompressed bytes.
 *
 * Only '\n'-terminated lines are delivered; the unfinished tail is kept
 * until more bytes come.  A '\r' before the '\n' is dropped.  Each line is
 * delivered with the stream offset of its first byte, which is what the
 * span index stores to fetch the raw text back later.
 */
#ifndef LINES_H
#define LINES_H

#include <stddef.h>
#include <stdint.h>

struct lines;

/*
 * line: the line's bytes without terminator, valid only during the call;
 * NULL when the line was longer than the limit, or (with lines_set_hold)
 * when it grew past what is held across feeds: its bytes were skipped and
 * len is its full length, so the caller compares len with the limit and
 * fetches a line within it from its source.  off: offset of its first
 * byte.  Return non-zero to stop lines_feed.
 */
typedef int (*lines_fn)(void *arg, const char *line, size_t len, uint64_t off);

/* max_len: longest line delivered; longer ones are reported with NULL. */
struct lines *lines_new(size_t max_len);
void lines_free(struct lines *);
/*
 * Hold at most `hold` bytes of an unfinished line between feeds (default:
 * max_len + 1).  A line that grows past it is only counted and delivered
 * with NULL, so memory does not grow with a line that may turn out to be
 * over the limit anyway; a reader that can fetch bytes back by offset
 * (tracefile.c) reads such a line back once it is complete.
 */
void lines_set_hold(struct lines *, size_t hold);
/* Give back the buffer of the unfinished line when there is none (an
 * idle reader). */
void lines_trim(struct lines *);

/* Returns 0, or the non-zero value fn returned. */
int lines_feed(struct lines *, const char *buf, size_t len, lines_fn fn, void *arg);

/* Offset of the first byte not yet delivered as part of a line. */
uint64_t lines_offset(const struct lines *);
/* Bytes of the unfinished last line held back. */
size_t lines_pending(const struct lines *);

#endif
