/* SPDX-License-Identifier: MIT */
/* lines.c — complete '\n' lines out of a byte stream. */
#include "lines.h"

#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "xmalloc.h"

/*
 * A line wholly inside the fed buffer is passed straight from it; only the
 * unfinished line at the end of a feed is copied, into tail.  The tail keeps
 * at most hold bytes, by default max_len + 1: one more than the limit,
 * because a final '\r' is only known to be dropped when the '\n' after it
 * arrives.  Past that the line is counted, not kept.
 */
struct lines {
	size_t max_len;
	size_t hold;		/* most bytes of an unfinished line kept */
	char *tail;
	size_t tail_len;
	size_t tail_cap;
	size_t cur_len;		/* raw bytes of the unfinished line seen */
	bool overlong;		/* it outgrew the tail: only counted */
	char last;		/* its last byte, for a '\r' before the '\n' */
	uint64_t off;		/* stream offset of its first byte */
};

struct lines *
lines_new(size_t max_len)
{
	struct lines *l = xcalloc(1, sizeof *l);

	l->max_len = max_len;
	l->hold = max_len == SIZE_MAX ? SIZE_MAX : max_len + 1;
	return l;
}

void
lines_set_hold(struct lines *l, size_t hold)
{
	l->hold = hold;
}

void
lines_free(struct lines *l)
{
	if (l == NULL)
		return;
	free(l->tail);
	free(l);
}

uint64_t
lines_offset(const struct lines *l)
{
	return l->off;
}

size_t
lines_pending(const struct lines *l)
{
	return l->cur_len;
}

void
lines_trim(struct lines *l)
{
	if (l->tail_len != 0)
		return;
	free(l->tail);
	l->tail = NULL;
	l->tail_cap = 0;
}

/* Add p[0..n) to the unfinished line. */
static void
lines_hold(struct lines *l, const char *p, size_t n)
{
	size_t need;

	if (n == 0)
		return;
	l->cur_len += n;
	l->last = p[n - 1];
	if (l->overlong)
		return;
	if (l->cur_len > l->hold) {
		/* Give the memory back too: the next line starts small. */
		l->overlong = true;
		l->tail_len = 0;
		free(l->tail);
		l->tail = NULL;
		l->tail_cap = 0;
		return;
	}
	need = l->tail_len + n;
	if (need > l->tail_cap) {
		l->tail_cap = l->tail_cap ? l->tail_cap : 256;
		while (l->tail_cap < need)
			l->tail_cap *= 2;
		l->tail = xrealloc(l->tail, l->tail_cap);
	}
	memcpy(l->tail + l->tail_len, p, n);
	l->tail_len += n;
}

/*
 * Deliver a finished line of raw bytes (its '\n' excluded); line is NULL if
 * it was only counted.  The state moves past it before fn runs, so after a
 * stop lines_offset() says where delivery ended.
 */
static int
lines_deliver(struct lines *l, const char *line, size_t raw, bool cr,
    lines_fn fn, void *arg)
{
	uint64_t off = l->off;
	size_t len = raw - (cr ? 1 : 0);

	l->off += raw + 1;
	l->cur_len = 0;
	l->tail_len = 0;
	l->overlong = false;
	if (len > l->max_len)
		line = NULL;
	return fn(arg, line, len, off);
}

/* The unfinished line ends with p[0..n) and the '\n' after it. */
static int
lines_finish(struct lines *l, const char *p, size_t n, lines_fn fn, void *arg)
{
	lines_hold(l, p, n);
	return lines_deliver(l, l->overlong ? NULL : l->tail, l->cur_len,
	    l->last == '\r', fn, arg);
}

int
lines_feed(struct lines *l, const char *buf, size_t len, lines_fn fn,
    void *arg)
{
	const char *p = buf, *end = buf + len, *nl;
	size_t n;
	int ret;

	while (p < end) {
		nl = memchr(p, '\n', end - p);
		if (nl == NULL) {
			lines_hold(l, p, end - p);
			break;
		}
		n = nl - p;
		if (l->cur_len != 0)
			ret = lines_finish(l, p, n, fn, arg);
		else
			ret = lines_deliver(l, p, n, n != 0 && p[n - 1] == '\r',
			    fn, arg);
		p = nl + 1;
		if (ret != 0)
			return ret;
	}
	return 0;
}
