/* SPDX-License-Identifier: MIT */
/*
 * fuzz_gz.c — libFuzzer target for the streaming gzip reader (gz.c) and
 * the line splitter behind it (lines.c), and for random access by
 * decompressed offset (gz_read_at).
 *
 * The input is the byte stream of a trace file: gzip members, plain text
 * or garbage.  It is decoded twice: once in one feed (the reference),
 * and once as a file still being written is read — in three pieces,
 * with the output callback asking to stop now and then and the caller
 * resuming from gz_total_in() as gz.h says — through lines_feed.  Both
 * must give the same bytes, the same error state and the same counts,
 * and every line must be exactly the reference's bytes at its offset.
 * Then gz_read_at, over a memfd holding the input and the reference's
 * access points, must read back the reference's bytes at a few offsets.
 *
 * All of it runs once with each inflate the build has (inflater.h: ISA-L
 * and zlib); where both decode the whole input without an error, they
 * must give the same bytes and members.
 *
 * Control values come from bytes 4-9 of the input, which a gzip member
 * keeps for MTIME, XFL and OS — fields the decoder ignores — so the
 * .gz seed files work as they are and mutating the controls keeps them
 * valid gzip.
 */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE	/* memfd_create */
#endif
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "fuzz_util.h"
#include "gz.h"
#include "inflater.h"
#include "lines.h"

/* Decoded bytes kept per run: a few bytes of input can inflate to
 * gigabytes, which is gz.c's caller's business, not a bug here. */
#define MAX_OUT (4u << 20)

/* Decoded bytes, in one of two buffers allocated once: growing them on
 * each run made page faults the bulk of the time. */
struct out {
	unsigned char *p;
	size_t len;
	bool overflow;
};

static unsigned char *ref_buf, *pw_buf, *other_buf;
static int memfd = -1;

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
	memfd = memfd_create("fuzz_gz", 0);
	if (memfd == -1) {
		perror("memfd_create");
		abort();
	}
	ref_buf = malloc(MAX_OUT);
	pw_buf = malloc(MAX_OUT);
	other_buf = malloc(MAX_OUT);
	if (ref_buf == NULL || pw_buf == NULL || other_buf == NULL)
		abort();
	return 0;
}

static int
collect(void *arg, const char *buf, size_t len)
{
	struct out *o = arg;

	if (o->overflow || len > MAX_OUT - o->len) {
		o->overflow = true;
		return 1;
	}
	memcpy(o->p + o->len, buf, len);
	o->len += len;
	return 0;
}

/* The piecewise run: decoded bytes go to lines_feed via this. */
struct piecewise {
	struct out out;
	struct lines *lines;
	const struct out *ref;
	size_t max_len;
	uint64_t next_line;	/* where the next line must start */
	unsigned stop_every, calls;
	bool line_overflow;
};

static int
check_line(void *arg, const char *line, size_t len, uint64_t off)
{
	struct piecewise *pw = arg;
	/* The run's own bytes (collected before lines_feed saw them), which
	 * are checked against the reference's as a whole. */
	const unsigned char *r = pw->out.p;
	size_t rlen = pw->out.len, end;

	if (off != pw->next_line)
		fuzz_fail("line at %llu, expected %llu", (unsigned long long)off,
		    (unsigned long long)pw->next_line);
	if (len > rlen || off > rlen - len)
		fuzz_fail("line %llu+%zu past the decoded %zu bytes",
		    (unsigned long long)off, len, rlen);
	end = (size_t)off + len;
	/* The terminator: '\n', or "\r\n" with the '\r' dropped. */
	if (end < rlen && r[end] == '\n')
		pw->next_line = end + 1;
	else if (end + 1 < rlen && r[end] == '\r' && r[end + 1] == '\n')
		pw->next_line = end + 2;
	else
		fuzz_fail("line %llu+%zu not followed by its line end",
		    (unsigned long long)off, len);
	if (line == NULL) {
		if (len <= pw->max_len)
			fuzz_fail("line of %zu bytes (limit %zu) not delivered",
			    len, pw->max_len);
		return 0;
	}
	if (len > pw->max_len)
		fuzz_fail("line of %zu bytes delivered past the limit %zu", len,
		    pw->max_len);
	if (memcmp(line, r + off, len) != 0)
		fuzz_fail("line at %llu differs from the decoded bytes",
		    (unsigned long long)off);
	return 0;
}

static int
to_lines(void *arg, const char *buf, size_t len)
{
	struct piecewise *pw = arg;

	if (collect(&pw->out, buf, len) != 0)
		return 1;
	lines_feed(pw->lines, buf, len, check_line, pw);
	/* Stopping is how a reader yields to its poll loop; the rest must
	 * come on the next feed. */
	return pw->stop_every != 0 && ++pw->calls % pw->stop_every == 0;
}

/* Feed one piece, resuming after each stop; false once gz failed. */
static bool
feed_piece(struct gz *gz, const uint8_t *p, size_t len, struct piecewise *pw)
{
	uint64_t start = gz_total_in(gz), used;
	char *cause = NULL;

	for (;;) {
		used = gz_total_in(gz) - start;
		if (used > len)
			fuzz_fail("gz consumed %llu of a %zu-byte piece",
			    (unsigned long long)used, len);
		if (gz_feed(gz, p + used, len - used, to_lines, pw, &cause) == 0)
			return true;
		if (cause != NULL) {
			free(cause);
			return false;
		}
		if (pw->out.overflow)
			return false;
	}
}

/* gz_read_at at off must give the reference's bytes. */
static void
read_back(const struct gz *ref_gz, const struct out *ref, uint64_t off,
    size_t len)
{
	char *buf = malloc(len), *cause = NULL;
	long got;
	size_t want;

	if (buf == NULL)
		abort();
	got = gz_read_at(memfd, gz_index(ref_gz), off, buf, len, &cause);
	want = off < ref->len ? ref->len - (size_t)off : 0;
	if (want > len)
		want = len;
	if (got < 0) {
		if (want != 0)
			fuzz_fail("gz_read_at(%llu, %zu) failed (%s) where %zu "
			    "bytes were decoded", (unsigned long long)off, len,
			    cause, want);
		free(cause);
	} else if ((size_t)got > len)
		fuzz_fail("gz_read_at returned %ld for %zu", got, len);
	else if ((size_t)got < want)
		fuzz_fail("gz_read_at(%llu, %zu) gave %ld bytes, the stream "
		    "has %zu there", (unsigned long long)off, len, got, want);
	else if (want != 0 && memcmp(buf, ref->p + off, want) != 0)
		fuzz_fail("gz_read_at(%llu, %zu) differs from the stream",
		    (unsigned long long)off, len);
	free(buf);
}

static void
write_memfd(const uint8_t *data, size_t size)
{
	size_t done = 0;
	ssize_t n;

	if (ftruncate(memfd, 0) == -1)
		abort();
	while (done < size) {
		n = pwrite(memfd, data + done, size - done, (off_t)done);
		if (n <= 0)
			abort();
		done += (size_t)n;
	}
}

/* One decoder's run over the input, into ref; sets *ref_ok.  Returns the
 * reference gz (caller frees), or NULL when its output overflowed. */
static struct gz *
run_backend(const uint8_t *data, size_t size, struct out *refp, bool *ref_okp)
{
	struct out ref = *refp;
	struct piecewise pw;
	struct gz *ref_gz, *gz;
	char *cause = NULL;
	bool ref_ok, ok = true;
	size_t split1, split2, len, slack;
	uint64_t at;

	ref_gz = gz_new();
	ref_ok = gz_feed(ref_gz, data, size, collect, &ref, &cause) == 0;
	free(cause);
	if (ref.overflow)
		goto out;

	memset(&pw, 0, sizeof pw);
	pw.out.p = pw_buf;
	pw.ref = &ref;
	pw.stop_every = size > 9 ? data[9] & 7 : 0;
	pw.max_len = (size_t)16 << (size > 9 ? data[9] >> 5 : 0);
	pw.lines = lines_new(pw.max_len);
	split1 = fuzz_le32(data, size, 4) % (size + 1);
	split2 = split1 + (size > 8 ? (size_t)data[8] * 257 : 0) %
	    (size - split1 + 1);
	gz = gz_new();
	ok = feed_piece(gz, data, split1, &pw) &&
	    feed_piece(gz, data + split1, split2 - split1, &pw) &&
	    feed_piece(gz, data + split2, size - split2, &pw);
	/* Before a corrupt point ISA-L may hold back up to 258 bytes, fewer
	 * when the input was cut just before it (inflater.c): then the split
	 * run delivers a little more, all of it the same bytes. */
	slack = !ref_ok && inflater_default() == INFLATER_ISAL ? 258 : 0;
	if (ok != ref_ok || pw.out.len < ref.len || pw.out.len > ref.len + slack ||
	    (ref.len != 0 && memcmp(pw.out.p, ref.p, ref.len) != 0))
		fuzz_fail("split at %zu and %zu: %s, %zu bytes; in one feed: "
		    "%s, %zu bytes%s", split1, split2, ok ? "ok" : "failed",
		    pw.out.len, ref_ok ? "ok" : "failed", ref.len,
		    pw.out.len == ref.len ? " (bytes differ)" : "");
	if ((slack == 0 && gz_total_out(gz) != gz_total_out(ref_gz)) ||
	    gz_members(gz) != gz_members(ref_gz) ||
	    gz_is_plain(gz) != gz_is_plain(ref_gz) ||
	    gz_pending(gz) != gz_pending(ref_gz))
		fuzz_fail("split decode ends in another state than one feed");
	if (ok && gz_total_in(gz) != size)
		fuzz_fail("gz consumed %llu of %zu bytes without an error",
		    (unsigned long long)gz_total_in(gz), size);
	if (lines_offset(pw.lines) + lines_pending(pw.lines) != pw.out.len)
		fuzz_fail("lines: %llu delivered + %zu pending != %zu decoded",
		    (unsigned long long)lines_offset(pw.lines),
		    lines_pending(pw.lines), ref.len);
	gz_free(gz);
	lines_free(pw.lines);

	/* Random access, over the reference's access points. */
	write_memfd(data, size);
	len = 1 + (size > 8 ? (size_t)data[8] * 37 : 0);
	at = ref.len != 0 ? split1 % ref.len : 0;
	read_back(ref_gz, &ref, 0, len);
	read_back(ref_gz, &ref, at, len);
	read_back(ref_gz, &ref, ref.len / 2, len);
	read_back(ref_gz, &ref, ref.len != 0 ? ref.len - 1 : 0, len);
	read_back(ref_gz, &ref, ref.len, len);
	*refp = ref;
	*ref_okp = ref_ok;
	return ref_gz;
out:
	gz_free(ref_gz);
	return NULL;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct out a = { ref_buf, 0, false }, b = { other_buf, 0, false };
	struct gz *ga, *gb;
	bool a_ok = false, b_ok = false;

	if (!inflater_set_default(INFLATER_ISAL)) {
		gz_free(run_backend(data, size, &a, &a_ok));
		return 0;
	}
	ga = run_backend(data, size, &a, &a_ok);
	inflater_set_default(INFLATER_ZLIB);
	gb = run_backend(data, size, &b, &b_ok);
	inflater_set_default(INFLATER_ISAL);
	if (ga != NULL && gb != NULL && a_ok && b_ok &&
	    (a.len != b.len || memcmp(a.p, b.p, a.len) != 0 ||
	    gz_members(ga) != gz_members(gb) || gz_pending(ga) != gz_pending(gb)))
		fuzz_fail("ISA-L and zlib both decode it, to different results "
		    "(%zu and %zu bytes, %u and %u members)", a.len, b.len,
		    gz_members(ga), gz_members(gb));
	gz_free(ga);
	gz_free(gb);
	return 0;
}
