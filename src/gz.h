/* SPDX-License-Identifier: MIT */
/*
 * gz.h — streaming decoder for trace bytes: plain text or gzip with any
 * number of concatenated members (doc/reference.md §1), fed in arbitrary pieces.
 *
 * Input may stop anywhere — inside a member's header, its deflate data or
 * its trailer — and resume when more arrives: nothing is lost or repeated.
 * While decoding it records access points so that any decompressed offset
 * can later be read back by random access (gz_read_at) instead of keeping
 * decompressed text in memory.
 */
#ifndef GZ_H
#define GZ_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/*
 * A place decoding can restart from: the start of a gzip member (window
 * NULL), or a zran-style point inside a long member (bits and the 32 KiB
 * window of history before it).  For plain input there is one point at 0.
 */
struct gz_point {
	uint64_t in;  /* compressed offset (of the first whole byte) */
	uint64_t out; /* decompressed offset */
	int bits;     /* 0-7 bits of the byte before `in` still to use */
	/* NULL at member starts; else the inflater's state to resume from
	 * (inflater_point: zlib's 32 KiB window, or ISA-L's whole state) */
	unsigned char *window;
	size_t wsize;
};

/* Access points of one stream; owned by the gz that records them. */
struct gz_index {
	bool plain;             /* input is not gzip: offsets are file offsets */
	int backend;            /* enum inflater_backend that made the points */
	struct gz_point *points; /* sorted by out */
	size_t npoints;
};

struct gz;

/* Called with each piece of decompressed output; return non-zero to stop:
 * gz_feed then returns -1 with *cause NULL, the decoder stays usable, and
 * feeding again from input offset gz_total_in() carries on. */
typedef int (*gz_out_fn)(void *arg, const char *buf, size_t len);

/* A decoder with the default inflate (inflater.h: ISA-L when built with
 * it); gz_backend_name() names it, for --version. */
struct gz *gz_new(void);
const char *gz_backend_name(void);
void gz_free(struct gz *);
/* The input must be gzip (a file named *.gz): no plain-text fallback, so
 * anything else fails at once with a clear cause instead of being read
 * as lines of garbage.  Call before the first feed. */
void gz_expect_gzip(struct gz *);

/*
 * Decode the next `len` input bytes (the stream's bytes in order, as they
 * arrive).  Returns 0, or -1 with *cause set (caller frees) when the data is
 * corrupt; everything decoded before the corrupt point has been passed to
 * `out`, and later feeds fail the same way.
 */
int gz_feed(struct gz *, const void *in, size_t len, gz_out_fn out, void *arg,
    char **cause);

/* True while the input seen so far ends inside a gzip member (it may
 * still grow) — e.g. a trace file still being written. */
bool gz_pending(const struct gz *);
/* Between members (nothing pending): give back the inflate state and
 * output buffer, made again when more input comes.  An idle reader of a
 * browser row then costs a few hundred bytes, not ~300 KiB. */
void gz_trim(struct gz *);
bool gz_is_plain(const struct gz *);    /* decided after the first 2 bytes */
uint64_t gz_total_in(const struct gz *);  /* input bytes consumed */
uint64_t gz_total_out(const struct gz *); /* decompressed bytes produced */
unsigned gz_members(const struct gz *);   /* complete members seen */
const struct gz_index *gz_index(const struct gz *);
/* How many of idx's points start at or before decompressed offset off
 * (points[n - 1] is the one to start decoding from; n == 0: none). */
size_t gz_points_upto(const struct gz_index *, uint64_t off);

/*
 * Read up to len decompressed bytes at decompressed offset `off` of the
 * stream stored in file descriptor fd (pread only; the fd offset is not
 * moved), using idx.  Returns bytes read (short only at the end of what is
 * decodable), or -1 with *cause set.
 */
long gz_read_at(int fd, const struct gz_index *idx, uint64_t off, void *buf,
    size_t len, char **cause);

#endif
