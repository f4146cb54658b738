/* SPDX-License-Identifier: MIT */
/* gzcache.c — a few decoded segments of a gzip stream, for random reads. */
#include "gzcache.h"

#include <stdlib.h>
#include <string.h>

#include "xmalloc.h"

#define GZCACHE_SLOTS	16
/* A segment runs from an access point to the next (a member, or 2 MiB of
 * a long member); no longer than this, whatever the points. */
#define GZCACHE_SEGMENT_MAX	(8u << 20)

struct gzcache_slot {
	uint64_t start;		/* decompressed offset of data[0] */
	size_t len;		/* bytes decoded; 0: empty slot */
	char *data;
	uint64_t used;		/* last use, for LRU */
};

struct gzcache {
	struct gzcache_slot slots[GZCACHE_SLOTS];
	size_t budget;		/* bytes all slots may hold */
	size_t held;
	uint64_t clock;
};

struct gzcache *
gzcache_new(size_t budget)
{
	struct gzcache *c = xcalloc(1, sizeof *c);

	c->budget = budget;
	return c;
}

void
gzcache_free(struct gzcache *c)
{
	size_t i;

	if (c == NULL)
		return;
	for (i = 0; i < GZCACHE_SLOTS; i++)
		free(c->slots[i].data);
	free(c);
}

static void
gzcache_drop(struct gzcache *c, struct gzcache_slot *s)
{
	c->held -= s->len;
	free(s->data);
	memset(s, 0, sizeof *s);
}

/* The least recently used slot, emptied; also empties others until
 * need more bytes fit the budget. */
static struct gzcache_slot *
gzcache_victim(struct gzcache *c, size_t need)
{
	struct gzcache_slot *s, *lru;
	size_t i;

	for (;;) {
		lru = NULL;
		for (i = 0; i < GZCACHE_SLOTS; i++) {
			s = &c->slots[i];
			if (s->len == 0)
				continue;
			if (lru == NULL || s->used < lru->used)
				lru = s;
		}
		if (lru == NULL || c->held + need <= c->budget)
			break;
		gzcache_drop(c, lru);
	}
	for (i = 0; i < GZCACHE_SLOTS; i++)
		if (c->slots[i].len == 0)
			return &c->slots[i];
	gzcache_drop(c, lru);
	return lru;
}

/* The segment holding off: [the point at or before it, the next point). */
static void
gzcache_segment(const struct gz_index *idx, uint64_t off, size_t len,
    uint64_t *start, size_t *seglen)
{
	size_t lo = gz_points_upto(idx, off);
	uint64_t end;

	*start = lo == 0 ? off : idx->points[lo - 1].out;
	end = lo < idx->npoints ? idx->points[lo].out : *start + GZCACHE_SEGMENT_MAX;
	if (end > *start + GZCACHE_SEGMENT_MAX)
		end = *start + GZCACHE_SEGMENT_MAX;
	if (end < off + len)
		end = off + len;
	*seglen = (size_t)(end - *start);
}

long
gzcache_read(struct gzcache *c, int fd, const struct gz_index *idx,
    uint64_t off, void *buf, size_t len, char **cause)
{
	struct gzcache_slot *s;
	uint64_t start;
	size_t i, seglen;
	long got;

	if (len == 0 || idx->plain || len > GZCACHE_SEGMENT_MAX)
		return gz_read_at(fd, idx, off, buf, len, cause);
	for (i = 0; i < GZCACHE_SLOTS; i++) {
		s = &c->slots[i];
		if (s->len != 0 && off >= s->start && off + len <= s->start + s->len) {
			memcpy(buf, s->data + (off - s->start), len);
			s->used = ++c->clock;
			return (long)len;
		}
	}
	gzcache_segment(idx, off, len, &start, &seglen);
	if (seglen > c->budget)
		return gz_read_at(fd, idx, off, buf, len, cause);
	s = gzcache_victim(c, seglen);
	s->data = xmalloc(seglen);
	got = gz_read_at(fd, idx, start, s->data, seglen, cause);
	if (got <= 0 || (uint64_t)got < off - start) {
		free(s->data);
		s->data = NULL;
		/* Not decodable here: the plain read says why. */
		if (got < 0)
			return -1;
		return gz_read_at(fd, idx, off, buf, len, cause);
	}
	s->start = start;
	s->len = (size_t)got;
	s->used = ++c->clock;
	c->held += s->len;
	if (off + len > start + s->len)
		len = (size_t)(start + s->len - off);
	memcpy(buf, s->data + (off - start), len);
	return (long)len;
}
