/* SPDX-License-Identifier: MIT */
/*
 * gzcache.h — decoded pieces of one gzip stream kept for random reads.
 *
 * gz_read_at inflates from the access point before the offset every
 * time; reading the spans of a member one by one (--dump --detail, the
 * browser's inspector moving down a tree) then inflates the member once
 * per span.  This keeps the last few decoded segments (from an access
 * point to the next one) within a byte budget, least recently used out.
 */
#ifndef GZCACHE_H
#define GZCACHE_H

#include <stddef.h>
#include <stdint.h>

#include "gz.h"

struct gzcache;

struct gzcache *gzcache_new(size_t budget);
void gzcache_free(struct gzcache *);

/* As gz_read_at (same arguments and results), served from a decoded
 * segment when one holds all of [off, off + len). */
long gzcache_read(struct gzcache *, int fd, const struct gz_index *idx,
    uint64_t off, void *buf, size_t len, char **cause);

#endif
