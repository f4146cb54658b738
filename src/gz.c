/* SPDX-License-Identifier: MIT */
/* gz.c — streaming multi-member gzip decoder with random-access points. */
#include "gz.h"

#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <zlib.h>

#include "inflater.h"
#include "xmalloc.h"

/*
 * The gzip wrapper (RFC 1952) is parsed here and only the deflate data goes
 * through a raw inflate (inflater.c: ISA-L, or zlib): that gives the exact offset of every member
 * start for the index, and a member split anywhere — even inside its header
 * — is just a state to resume from.
 *
 * Zero bytes where a member could start are skipped: some writers pad, and a
 * crash can leave a zero-filled tail on which the writer later appends more
 * members.  Any other byte that does not start a member is corrupt.
 */

/* Inflate output per out() call: also how finely a reader can stop (a
 * tracefile checks its line and ratio budgets per piece); 64 KiB of
 * near-empty lines is still 32768 of them. */
#define GZ_OUTSIZE	(64 * 1024)
#define GZ_READSIZE	(64 * 1024)	/* pread and output chunk of gz_read_at */
#define GZ_SPAN		(2 * 1024 * 1024) /* output between in-member points: a read
					   inflates at most this much to reach a span */

#define GZ_ID1		0x1f
#define GZ_ID2		0x8b
#define GZ_CM_DEFLATE	8
#define GZ_FHCRC	0x02
#define GZ_FEXTRA	0x04
#define GZ_FNAME	0x08
#define GZ_FCOMMENT	0x10
#define GZ_FRESERVED	0xe0

enum gz_state {
	GZ_DETECT,	/* nothing or only ID1 seen: plain or gzip? */
	GZ_PLAIN,
	GZ_MAGIC,	/* where the next member may start */
	GZ_HEADER,	/* the fixed 10-byte header */
	GZ_XLEN,
	GZ_EXTRA,
	GZ_NAME,
	GZ_COMMENT,
	GZ_HCRC,
	GZ_DATA,
	GZ_TRAILER,
	GZ_ERROR
};

/* gz_step results besides 0 and -1: out() asked to stop. */
#define GZ_STOP	1

struct gz {
	enum gz_state state;
	bool verify;		/* check members' CRC-32 and ISIZE */
	bool record;		/* record access points */
	bool any_member;	/* a member header has been seen */

	enum inflater_backend backend;
	struct inflater *inf;	/* NULL until the first member's data */
	unsigned char *outbuf;
	size_t outsize;

	unsigned char field[10]; /* fixed header, XLEN, header CRC or trailer */
	size_t have;		/* bytes of field so far */
	unsigned flags;		/* header fields of this member still to parse */
	size_t skip;		/* FEXTRA bytes still to skip */
	uLong hcrc;		/* CRC-32 of this member's header so far */

	uint64_t total_in;
	uint64_t total_out;
	uint64_t member_in;
	uint64_t member_out;
	uint64_t point_out;	/* out of the last access point */
	unsigned members;

	struct gz_index idx;
	size_t pointcap;
	char *error;
};

static struct gz *
gz_create(bool verify, bool record, size_t outsize,
    enum inflater_backend backend)
{
	struct gz *gz = xcalloc(1, sizeof *gz);

	gz->state = GZ_DETECT;
	gz->verify = verify;
	gz->record = record;
	gz->outsize = outsize;
	gz->backend = backend;
	gz->idx.backend = backend;
	return gz;
}

struct gz *
gz_new(void)
{
	return gz_create(true, true, GZ_OUTSIZE, inflater_default());
}

const char *
gz_backend_name(void)
{
	return inflater_name(inflater_default());
}

void
gz_expect_gzip(struct gz *gz)
{
	if (gz->state == GZ_DETECT && gz->have == 0)
		gz->state = GZ_MAGIC;
}

void
gz_free(struct gz *gz)
{
	size_t i;

	if (gz == NULL)
		return;
	inflater_free(gz->inf);
	for (i = 0; i < gz->idx.npoints; i++)
		free(gz->idx.points[i].window);
	free(gz->idx.points);
	free(gz->outbuf);
	free(gz->error);
	free(gz);
}

void
gz_trim(struct gz *gz)
{
	if (gz_pending(gz))
		return;
	/* Made again by gz_inflate_reset at the next member. */
	inflater_free(gz->inf);
	gz->inf = NULL;
	free(gz->outbuf);
	gz->outbuf = NULL;
}

bool
gz_pending(const struct gz *gz)
{
	switch (gz->state) {
	case GZ_DETECT:
	case GZ_MAGIC:
		return gz->have != 0;
	case GZ_PLAIN:
	case GZ_ERROR:
		return false;
	default:
		return true;
	}
}

bool
gz_is_plain(const struct gz *gz)
{
	return gz->state == GZ_PLAIN;
}

uint64_t
gz_total_in(const struct gz *gz)
{
	return gz->total_in;
}

uint64_t
gz_total_out(const struct gz *gz)
{
	return gz->total_out;
}

unsigned
gz_members(const struct gz *gz)
{
	return gz->members;
}

const struct gz_index *
gz_index(const struct gz *gz)
{
	return &gz->idx;
}

static int
gz_fail(struct gz *gz, uint64_t at, const char *why)
{
	gz->error = xasprintf("gzip data corrupt at byte %llu: %s",
	    (unsigned long long)at, why);
	gz->state = GZ_ERROR;
	return -1;
}

static void
gz_add_point(struct gz *gz, uint64_t in, int bits, unsigned char *window,
    size_t wsize)
{
	struct gz_point *pt;

	if (gz->idx.npoints == gz->pointcap) {
		gz->pointcap = gz->pointcap ? gz->pointcap * 2 : 8;
		gz->idx.points = xreallocarray(gz->idx.points, gz->pointcap,
		    sizeof *gz->idx.points);
	}
	pt = &gz->idx.points[gz->idx.npoints++];
	pt->in = in;
	pt->out = gz->total_out;
	pt->bits = bits;
	pt->window = window;
	pt->wsize = wsize;
	gz->point_out = gz->total_out;
}

/* Raw inflate from scratch, for a new member or an in-member point. */
static void
gz_inflate_reset(struct gz *gz)
{
	if (gz->inf == NULL)
		gz->inf = inflater_new(gz->backend, gz->verify);
	else
		inflater_reset(gz->inf);
	if (gz->outbuf == NULL)
		gz->outbuf = xmalloc(gz->outsize);
}

static int
gz_plain(struct gz *gz, const unsigned char *p, size_t len, size_t *used,
    gz_out_fn out, void *arg)
{
	*used = len;
	gz->total_out += len;
	if (len != 0 && out(arg, (const char *)p, len) != 0)
		return GZ_STOP;
	return 0;
}

static void
gz_start_plain(struct gz *gz)
{
	gz->state = GZ_PLAIN;
	gz->idx.plain = true;
	gz_add_point(gz, 0, 0, NULL, 0);
}

/* ID1 ID2 are in: the rest of the header follows, all under its CRC. */
static void
gz_start_header(struct gz *gz)
{
	gz->field[0] = GZ_ID1;
	gz->field[1] = GZ_ID2;
	gz->have = 2;
	gz->hcrc = crc32(0, gz->field, 2);
	gz->state = GZ_HEADER;
	gz->any_member = true;
}

/* The first two bytes decide: gzip magic, or plain text passed through. */
static int
gz_detect(struct gz *gz, const unsigned char *p, size_t len, size_t *used,
    gz_out_fn out, void *arg)
{
	static const char id1 = GZ_ID1;

	if (gz->have == 0) {
		if (p[0] != GZ_ID1) {
			gz_start_plain(gz);
			return 0;
		}
		gz->have = 1;
		*used = 1;
		return 0;
	}
	gz->have = 0;
	if (p[0] == GZ_ID2) {
		*used = 1;
		gz_start_header(gz);
		return 0;
	}
	gz_start_plain(gz);
	gz->total_out++;
	if (out(arg, &id1, 1) != 0)
		return GZ_STOP;
	return 0;
}

/* Not a member where one must start; before any member of a stream read
 * from its start (not gz_read_at's), the input is not gzip at all. */
static int
gz_not_member(struct gz *gz, uint64_t at)
{
	if (gz->any_member || !gz->record)
		return gz_fail(gz, at, "not a gzip member");
	gz->error = xstrdup("not gzip data (no gzip header where it starts)");
	gz->state = GZ_ERROR;
	return -1;
}

/* Between members: padding zeros, then ID1 ID2 or corruption. */
static int
gz_magic(struct gz *gz, const unsigned char *p, size_t len, size_t *used)
{
	size_t i = 0;

	if (gz->have == 0) {
		while (i < len && p[i] == 0)
			i++;
		if (i == len) {
			*used = i;
			return 0;
		}
		if (p[i] != GZ_ID1)
			return gz_not_member(gz, gz->total_in + i);
		gz->member_in = gz->total_in + i;
		gz->member_out = gz->total_out;
		gz->have = 1;
		i++;
	}
	*used = i;
	if (i == len)
		return 0;
	if (p[i] != GZ_ID2)
		return gz_not_member(gz, gz->total_in + i);
	*used = i + 1;
	gz_start_header(gz);
	return 0;
}

/* Take up to need - have bytes into field; true once it is full. */
static bool
gz_collect(struct gz *gz, const unsigned char *p, size_t len, size_t *used,
    size_t need)
{
	size_t n = need - gz->have;

	if (n > len)
		n = len;
	memcpy(gz->field + gz->have, p, n);
	gz->have += n;
	*used = n;
	return gz->have == need;
}

static void
gz_start_data(struct gz *gz)
{
	gz_inflate_reset(gz);
	gz->state = GZ_DATA;
	if (gz->record)
		gz_add_point(gz, gz->member_in, 0, NULL, 0);
}

/* Go on with the next optional header field still flagged. */
static void
gz_next_field(struct gz *gz)
{
	gz->have = 0;
	if (gz->flags & GZ_FEXTRA)
		gz->state = GZ_XLEN;
	else if (gz->flags & GZ_FNAME)
		gz->state = GZ_NAME;
	else if (gz->flags & GZ_FCOMMENT)
		gz->state = GZ_COMMENT;
	else if (gz->flags & GZ_FHCRC)
		gz->state = GZ_HCRC;
	else
		gz_start_data(gz);
}

static int
gz_fixed_header(struct gz *gz, const unsigned char *p, size_t len,
    size_t *used)
{
	bool done = gz_collect(gz, p, len, used, 10);

	gz->hcrc = crc32(gz->hcrc, p, *used);
	if (!done)
		return 0;
	if (gz->field[2] != GZ_CM_DEFLATE)
		return gz_fail(gz, gz->member_in + 2,
		    "unknown compression method");
	if (gz->field[3] & GZ_FRESERVED)
		return gz_fail(gz, gz->member_in + 3,
		    "reserved header flags set");
	gz->flags = gz->field[3] & (GZ_FEXTRA|GZ_FNAME|GZ_FCOMMENT|GZ_FHCRC);
	gz_next_field(gz);
	return 0;
}

static void
gz_xlen(struct gz *gz, const unsigned char *p, size_t len, size_t *used)
{
	bool done = gz_collect(gz, p, len, used, 2);

	gz->hcrc = crc32(gz->hcrc, p, *used);
	if (!done)
		return;
	gz->skip = gz->field[0] | (size_t)gz->field[1] << 8;
	gz->state = GZ_EXTRA;
	if (gz->skip == 0) {
		gz->flags &= ~GZ_FEXTRA;
		gz_next_field(gz);
	}
}

static void
gz_extra(struct gz *gz, const unsigned char *p, size_t len, size_t *used)
{
	size_t n = gz->skip < len ? gz->skip : len;

	gz->hcrc = crc32(gz->hcrc, p, n);
	gz->skip -= n;
	*used = n;
	if (gz->skip == 0) {
		gz->flags &= ~GZ_FEXTRA;
		gz_next_field(gz);
	}
}

/* FNAME or FCOMMENT: skip through the terminating NUL. */
static void
gz_string(struct gz *gz, const unsigned char *p, size_t len, size_t *used,
    unsigned flag)
{
	const unsigned char *nul = memchr(p, '\0', len);

	*used = nul != NULL ? (size_t)(nul - p) + 1 : len;
	gz->hcrc = crc32(gz->hcrc, p, *used);
	if (nul != NULL) {
		gz->flags &= ~flag;
		gz_next_field(gz);
	}
}

static int
gz_header_crc(struct gz *gz, const unsigned char *p, size_t len, size_t *used)
{
	unsigned want;

	if (!gz_collect(gz, p, len, used, 2))
		return 0;
	want = gz->field[0] | (unsigned)gz->field[1] << 8;
	if (want != (gz->hcrc & 0xffff))
		return gz_fail(gz, gz->total_in + *used - 2,
		    "header CRC mismatch");
	gz->flags &= ~GZ_FHCRC;
	gz_next_field(gz);
	return 0;
}

/*
 * Once a member has produced GZ_SPAN bytes since the last point, the
 * inflater is asked for a place to resume from: zlib stops at the next
 * block boundary for it, ISA-L can resume from any call's end.
 */
static void
gz_maybe_point(struct gz *gz, uint64_t in)
{
	unsigned char *blob;
	size_t size;
	int bits;

	if ((blob = inflater_point(gz->inf, &bits, &size)) != NULL)
		gz_add_point(gz, in, bits, blob, size);
}

static int gz_trailer(struct gz *, const unsigned char *, size_t, size_t *);

/* The deflate data ended: its trailer starts with the bytes the inflater
 * read ahead, maybe all eight of them. */
static int
gz_end_data(struct gz *gz)
{
	size_t none;

	gz->state = GZ_TRAILER;
	gz->have = inflater_carry(gz->inf, gz->field);
	if (gz->have == 8)
		return gz_trailer(gz, gz->field, 0, &none);
	return 0;
}

static int
gz_data(struct gz *gz, const unsigned char *p, size_t len, size_t *used,
    gz_out_fn out, void *arg)
{
	size_t off = 0, n, produced;
	bool point, full;
	int ret;
	const char *msg = NULL;

	for (;;) {
		point = gz->record && gz->total_out - gz->point_out >= GZ_SPAN;
		ret = inflater_run(gz->inf, p + off, len - off, &n, gz->outbuf,
		    gz->outsize, &produced, &full, point, &msg);
		off += n;
		*used = off;
		gz->total_out += produced;
		if (ret == INFLATER_OK && point)
			gz_maybe_point(gz, gz->total_in + off);
		if (produced != 0 &&
		    out(arg, (const char *)gz->outbuf, produced) != 0) {
			if (ret == INFLATER_END && gz_end_data(gz) != 0)
				return -1;
			return ret == INFLATER_ERROR ?
			    gz_fail(gz, gz->total_in + off, msg) : GZ_STOP;
		}
		if (ret == INFLATER_END)
			return gz_end_data(gz);
		if (ret == INFLATER_ERROR)
			return gz_fail(gz, gz->total_in + off, msg);
		if (!full && off == len)
			return 0;
	}
}

static uint32_t
gz_le32(const unsigned char *p)
{
	return p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 |
	    (uint32_t)p[3] << 24;
}

static int
gz_trailer(struct gz *gz, const unsigned char *p, size_t len, size_t *used)
{
	uint64_t at;

	if (!gz_collect(gz, p, len, used, 8))
		return 0;
	at = gz->total_in + *used - 8;
	if (gz->verify && gz_le32(gz->field) != inflater_crc(gz->inf))
		return gz_fail(gz, at, "CRC-32 mismatch");
	if (gz->verify &&
	    gz_le32(gz->field + 4) != (uint32_t)(gz->total_out - gz->member_out))
		return gz_fail(gz, at + 4, "length mismatch");
	gz->members++;
	gz->have = 0;
	gz->state = GZ_MAGIC;
	return 0;
}

/* Consume some of p (setting *used); 0, GZ_STOP or -1. */
static int
gz_step(struct gz *gz, const unsigned char *p, size_t len, size_t *used,
    gz_out_fn out, void *arg)
{
	*used = 0;
	switch (gz->state) {
	case GZ_DETECT:
		return gz_detect(gz, p, len, used, out, arg);
	case GZ_PLAIN:
		return gz_plain(gz, p, len, used, out, arg);
	case GZ_MAGIC:
		return gz_magic(gz, p, len, used);
	case GZ_HEADER:
		return gz_fixed_header(gz, p, len, used);
	case GZ_XLEN:
		gz_xlen(gz, p, len, used);
		return 0;
	case GZ_EXTRA:
		gz_extra(gz, p, len, used);
		return 0;
	case GZ_NAME:
		gz_string(gz, p, len, used, GZ_FNAME);
		return 0;
	case GZ_COMMENT:
		gz_string(gz, p, len, used, GZ_FCOMMENT);
		return 0;
	case GZ_HCRC:
		return gz_header_crc(gz, p, len, used);
	case GZ_DATA:
		return gz_data(gz, p, len, used, out, arg);
	case GZ_TRAILER:
		return gz_trailer(gz, p, len, used);
	case GZ_ERROR:
		break;
	}
	return -1;
}

/*
 * Run every byte through the state machine.  With no input only inflate
 * runs: after a stop it may still hold output for the next call.  (The
 * header steps must not see an empty p, which may be NULL: crc32 of NULL
 * is the initial value, not a no-op.)
 */
static int
gz_run(struct gz *gz, const unsigned char *p, size_t len, gz_out_fn out,
    void *arg)
{
	size_t off = 0, used;
	int ret;

	if (len == 0 && gz->state != GZ_DATA)
		return 0;
	do {
		ret = gz_step(gz, p + off, len - off, &used, out, arg);
		off += used;
		gz->total_in += used;
		if (ret != 0)
			return ret;
	} while (off < len);
	return 0;
}

/*
 * A stop is not an error: gz_total_in() says how much of this input was
 * consumed, and feeding again from there goes on where output stopped.
 */
int
gz_feed(struct gz *gz, const void *in, size_t len, gz_out_fn out, void *arg,
    char **cause)
{
	int ret;

	if (gz->state == GZ_ERROR) {
		*cause = xstrdup(gz->error);
		return -1;
	}
	ret = gz_run(gz, in, len, out, arg);
	if (ret == GZ_STOP) {
		*cause = NULL;
		return -1;
	}
	if (ret != 0) {
		*cause = xstrdup(gz->error);
		return -1;
	}
	return 0;
}

size_t
gz_points_upto(const struct gz_index *idx, uint64_t off)
{
	size_t lo = 0, hi = idx->npoints, mid;

	while (lo < hi) {
		mid = lo + (hi - lo) / 2;
		if (idx->points[mid].out <= off)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

/* The last point at or before decompressed offset off. */
static const struct gz_point *
gz_find_point(const struct gz_index *idx, uint64_t off)
{
	size_t n = gz_points_upto(idx, off);

	return n == 0 ? NULL : &idx->points[n - 1];
}

static ssize_t
gz_pread(int fd, void *buf, size_t len, uint64_t at)
{
	ssize_t n;

	do
		n = pread(fd, buf, len, (off_t)at);
	while (n == -1 && errno == EINTR);
	return n;
}

static long
gz_read_plain(int fd, uint64_t off, void *buf, size_t len, char **cause)
{
	size_t got = 0;
	ssize_t n;

	while (got < len) {
		n = gz_pread(fd, (char *)buf + got, len - got, off + got);
		if (n == -1) {
			*cause = xasprintf("read: %s", strerror(errno));
			return -1;
		}
		if (n == 0)
			break;
		got += (size_t)n;
	}
	return (long)got;
}

/* Where gz_read_at's output goes: bytes [off, off + len) of the stream. */
struct gz_copy {
	char *buf;
	size_t len;
	size_t got;
	uint64_t off;
	uint64_t pos;	/* stream offset of the next output byte */
};

static int
gz_copy_out(void *arg, const char *p, size_t len)
{
	struct gz_copy *c = arg;
	uint64_t start = c->pos, want = c->off + c->got;
	size_t skip, n;

	c->pos += len;
	if (c->pos <= want)
		return 0;
	skip = want > start ? (size_t)(want - start) : 0;
	n = len - skip;
	if (n > c->len - c->got)
		n = c->len - c->got;
	memcpy(c->buf + c->got, p + skip, n);
	c->got += n;
	return c->got == c->len;
}

/* Put the reader at an in-member point: its state, and for zlib's
 * points the bits of the byte before it. */
static int
gz_resume_point(int fd, struct gz *gz, const struct gz_point *pt,
    char **cause)
{
	unsigned char c = 0;
	ssize_t n;

	gz_inflate_reset(gz);
	gz->state = GZ_DATA;
	if (pt->bits != 0) {
		n = gz_pread(fd, &c, 1, pt->in - 1);
		if (n != 1) {
			*cause = xasprintf("read: %s",
			    n == -1 ? strerror(errno) : "file shrank");
			return -1;
		}
	}
	inflater_resume(gz->inf, pt->window, pt->wsize, pt->bits, c);
	return 0;
}

/* Inflate from the point into c until it is full or the data ends. */
static long
gz_read_from(int fd, struct gz *gz, const struct gz_point *pt,
    struct gz_copy *c, char **cause)
{
	unsigned char *in = xmalloc(GZ_READSIZE);
	uint64_t at = pt->in;
	ssize_t n;
	int ret;
	long result = -1;

	for (;;) {
		n = gz_pread(fd, in, GZ_READSIZE, at);
		if (n == -1) {
			*cause = xasprintf("read: %s", strerror(errno));
			goto out;
		}
		if (n == 0)
			break;
		at += (size_t)n;
		ret = gz_run(gz, in, (size_t)n, gz_copy_out, c);
		if (ret == GZ_STOP)
			break;
		if (ret != 0) {
			if (c->got != 0)
				break;
			*cause = xstrdup(gz->error);
			goto out;
		}
	}
	result = (long)c->got;
out:
	free(in);
	return result;
}

long
gz_read_at(int fd, const struct gz_index *idx, uint64_t off, void *buf,
    size_t len, char **cause)
{
	const struct gz_point *pt;
	struct gz *gz;
	struct gz_copy c;
	long result;

	if (len == 0)
		return 0;
	if (len > (size_t)LONG_MAX)
		len = LONG_MAX;
	if (idx->plain)
		return gz_read_plain(fd, off, buf, len, cause);
	if ((pt = gz_find_point(idx, off)) == NULL)
		return 0;

	gz = gz_create(false, false, GZ_READSIZE, idx->backend);
	gz->total_in = pt->in;
	gz->total_out = pt->out;
	gz->state = GZ_MAGIC;
	if (pt->window != NULL && gz_resume_point(fd, gz, pt, cause) != 0) {
		gz_free(gz);
		return -1;
	}
	c.buf = buf;
	c.len = len;
	c.got = 0;
	c.off = off;
	c.pos = pt->out;
	result = gz_read_from(fd, gz, pt, &c, cause);
	gz_free(gz);
	return result;
}
