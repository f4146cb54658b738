/* SPDX-License-Identifier: MIT */
/* inflater.c — raw deflate with ISA-L or zlib. */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include "inflater.h"

#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>
#ifdef HAVE_ISAL
#include <isa-l.h>
#endif

#include "xmalloc.h"

#define INFLATER_WINSIZE	32768	/* deflate's history */
/* ISA-L's lengths are 32-bit: feed and drain at most this per call. */
#define INFLATER_MAX_CALL	(1u << 30)
/*
 * ISA-L 2.30's decoder moves its output pointer past a match before it
 * checks the match's distance, so the output of a call that fails ends
 * in up to 258 bytes (deflate's longest match) that were never decoded.
 * The last INFLATER_HOLD bytes of a call that filled its output are
 * therefore held back until the next call, and dropped on an error; a
 * call that used all its input delivers everything (a torn tail waits
 * for more input with all it decoded shown, as with zlib).  So before a
 * corrupt point ISA-L delivers the same bytes as zlib except up to 258
 * of them, fewer the closer the input was cut before it.
 */
#define INFLATER_HOLD		258

struct inflater {
	enum inflater_backend backend;
	bool crc_wanted;
	uint32_t crc;

	z_stream strm;
	bool zinit;

#ifdef HAVE_ISAL
	struct inflate_state *isal;
	/* The last input bytes fed, for inflater_carry. */
	unsigned char tail[8];
	size_t tail_len;
	unsigned char carry[8];
	size_t carry_len;
	unsigned char held[INFLATER_HOLD];
	size_t held_len;
#endif
};

#ifdef HAVE_ISAL
static enum inflater_backend inflater_dflt = INFLATER_ISAL;
#else
static enum inflater_backend inflater_dflt = INFLATER_ZLIB;
#endif

bool
inflater_have(enum inflater_backend b)
{
#ifdef HAVE_ISAL
	return b == INFLATER_ISAL || b == INFLATER_ZLIB;
#else
	return b == INFLATER_ZLIB;
#endif
}

enum inflater_backend
inflater_default(void)
{
	return inflater_dflt;
}

bool
inflater_set_default(enum inflater_backend b)
{
	if (!inflater_have(b))
		return false;
	inflater_dflt = b;
	return true;
}

const char *
inflater_name(enum inflater_backend b)
{
	static char name[64];

	if (b == INFLATER_ISAL) {
#ifdef ISAL_MAJOR_VERSION
		snprintf(name, sizeof name, "ISA-L %d.%d", ISAL_MAJOR_VERSION,
		    ISAL_MINOR_VERSION);
#else
		snprintf(name, sizeof name, "ISA-L");
#endif
	} else
		snprintf(name, sizeof name, "zlib %s", zlibVersion());
	return name;
}

static voidpf
inflater_zalloc(voidpf opaque, uInt items, uInt size)
{
	return xcalloc(items, size);
}

static void
inflater_zfree(voidpf opaque, voidpf p)
{
	free(p);
}

struct inflater *
inflater_new(enum inflater_backend b, bool crc)
{
	struct inflater *inf = xcalloc(1, sizeof *inf);

	if (!inflater_have(b))
		b = INFLATER_ZLIB;
	inf->backend = b;
	inf->crc_wanted = crc;
	inf->strm.zalloc = inflater_zalloc;
	inf->strm.zfree = inflater_zfree;
	inflater_reset(inf);
	return inf;
}

void
inflater_free(struct inflater *inf)
{
	if (inf == NULL)
		return;
	if (inf->zinit)
		inflateEnd(&inf->strm);
#ifdef HAVE_ISAL
	free(inf->isal);
#endif
	free(inf);
}

enum inflater_backend
inflater_backend(const struct inflater *inf)
{
	return inf->backend;
}

#ifdef HAVE_ISAL
static void
inflater_isal_reset(struct inflater *inf)
{
	if (inf->isal == NULL) {
		inf->isal = xmalloc(sizeof *inf->isal);
		isal_inflate_init(inf->isal);
	} else
		isal_inflate_reset(inf->isal);
	/* ISAL_GZIP_NO_HDR: raw deflate, with the gzip CRC-32 kept in
	 * state->crc by ISA-L's own (PCLMUL) CRC; the trailer is ours. */
	inf->isal->crc_flag = inf->crc_wanted ? ISAL_GZIP_NO_HDR : ISAL_DEFLATE;
	inf->tail_len = 0;
	inf->carry_len = 0;
	inf->held_len = 0;
}
#endif

void
inflater_reset(struct inflater *inf)
{
	int ret;

	inf->crc = 0;
#ifdef HAVE_ISAL
	if (inf->backend == INFLATER_ISAL) {
		inflater_isal_reset(inf);
		return;
	}
#endif
	if (inf->zinit)
		ret = inflateReset(&inf->strm);
	else
		ret = inflateInit2(&inf->strm, -15);
	if (ret != Z_OK) {
		fprintf(stderr, "mcp-inspect-tui: zlib: cannot initialise "
		    "inflate (%d)\n", ret);
		exit(1);
	}
	inf->zinit = true;
}

static int
inflater_run_zlib(struct inflater *inf, const unsigned char *in, size_t inlen,
    size_t *used, unsigned char *out, size_t outlen, size_t *produced,
    bool *full, bool want_point, const char **msg)
{
	z_stream *strm = &inf->strm;
	int ret;

	strm->next_in = (unsigned char *)in;
	strm->avail_in = inlen;
	strm->next_out = out;
	strm->avail_out = outlen;
	/* Z_BLOCK returns at the next block boundary: a point can be made
	 * there from the unused bits and the window. */
	ret = inflate(strm, want_point ? Z_BLOCK : Z_NO_FLUSH);
	*used = inlen - strm->avail_in;
	*produced = outlen - strm->avail_out;
	*full = strm->avail_out == 0;
	if (inf->crc_wanted)
		inf->crc = crc32(inf->crc, out, *produced);
	if (ret == Z_STREAM_END)
		return INFLATER_END;
	if (ret != Z_OK && ret != Z_BUF_ERROR) {
		*msg = strm->msg != NULL ? strm->msg : "inflate failed";
		return INFLATER_ERROR;
	}
	return INFLATER_OK;
}

#ifdef HAVE_ISAL
static const char *
inflater_isal_error(int ret)
{
	switch (ret) {
	case ISAL_INVALID_BLOCK:
		return "invalid block";
	case ISAL_INVALID_SYMBOL:
		return "invalid code";
	case ISAL_INVALID_LOOKBACK:
		return "invalid distance too far back";
	case ISAL_NEED_DICT:
		return "needs a dictionary";
	default:
		return "inflate failed";
	}
}

/* Remember the last (up to 8) bytes fed, for a later carry. */
static void
inflater_keep_tail(struct inflater *inf, const unsigned char *in, size_t n)
{
	size_t keep;

	if (n >= sizeof inf->tail) {
		memcpy(inf->tail, in + n - sizeof inf->tail, sizeof inf->tail);
		inf->tail_len = sizeof inf->tail;
		return;
	}
	keep = inf->tail_len + n > sizeof inf->tail ? sizeof inf->tail - n : inf->tail_len;
	memmove(inf->tail, inf->tail + inf->tail_len - keep, keep);
	memcpy(inf->tail + keep, in, n);
	inf->tail_len = keep + n;
}

static int
inflater_run_isal(struct inflater *inf, const unsigned char *in, size_t inlen,
    size_t *used, unsigned char *out, size_t outlen, size_t *produced,
    bool *full, const char **msg)
{
	struct inflate_state *st = inf->isal;
	ptrdiff_t consumed;
	size_t back, held = inf->held_len, total, keep;
	int ret;

	if (inlen > INFLATER_MAX_CALL)
		inlen = INFLATER_MAX_CALL;
	if (outlen > INFLATER_MAX_CALL)
		outlen = INFLATER_MAX_CALL;
	if (outlen <= INFLATER_HOLD) {
		fprintf(stderr, "mcp-inspect-tui: inflater: output buffer of %zu "
		    "bytes is too small\n", outlen);
		exit(1);
	}
	memcpy(out, inf->held, held);
	inf->held_len = 0;
	st->next_in = (uint8_t *)in;
	st->avail_in = (uint32_t)inlen;
	st->next_out = out + held;
	st->avail_out = (uint32_t)(outlen - held);
	ret = isal_inflate(st);
	total = outlen - st->avail_out;
	*full = st->avail_out == 0;
	consumed = (const unsigned char *)st->next_in - in;
	if (ret < 0) {
		/* The last bytes may be a match that was never copied. */
		*produced = total > INFLATER_HOLD ? total - INFLATER_HOLD : 0;
		*full = false;
		*used = consumed > 0 ? (size_t)consumed : 0;
		*msg = inflater_isal_error(ret);
		return INFLATER_ERROR;
	}
	if (st->block_state == ISAL_BLOCK_FINISH) {
		*produced = total;
		inf->crc = st->crc;
		/* The whole bytes read ahead past the end are still in read_in
		 * (ISA-L 2.32 gives them back itself and leaves none there):
		 * they may go back before this call's input, when an earlier
		 * call read them. */
		consumed -= st->read_in_length / 8;
		st->read_in_length = 0;
		st->read_in = 0;
		if (consumed < 0) {
			back = (size_t)-consumed;
			if (back > inf->tail_len)
				back = inf->tail_len;
			memcpy(inf->carry, inf->tail + inf->tail_len - back, back);
			inf->carry_len = back;
			consumed = 0;
		}
		*used = (size_t)consumed;
		return INFLATER_END;
	}
	keep = total < INFLATER_HOLD ? total : INFLATER_HOLD;
	if (!*full && (size_t)consumed == inlen)
		keep = 0;
	memcpy(inf->held, out + total - keep, keep);
	inf->held_len = keep;
	*produced = total - keep;
	*used = (size_t)consumed;
	inflater_keep_tail(inf, in, *used);
	inf->crc = st->crc;
	return INFLATER_OK;
}
#endif

int
inflater_run(struct inflater *inf, const unsigned char *in, size_t inlen,
    size_t *used, unsigned char *out, size_t outlen, size_t *produced,
    bool *full, bool want_point, const char **msg)
{
#ifdef HAVE_ISAL
	if (inf->backend == INFLATER_ISAL)
		return inflater_run_isal(inf, in, inlen, used, out, outlen,
		    produced, full, msg);
#endif
	return inflater_run_zlib(inf, in, inlen, used, out, outlen, produced,
	    full, want_point, msg);
}

uint32_t
inflater_crc(const struct inflater *inf)
{
	return inf->crc;
}

size_t
inflater_carry(struct inflater *inf, unsigned char *buf)
{
#ifdef HAVE_ISAL
	size_t n = inf->carry_len;

	memcpy(buf, inf->carry, n);
	inf->carry_len = 0;
	return n;
#else
	return 0;
#endif
}

void *
inflater_point(struct inflater *inf, int *bits, size_t *size)
{
	unsigned char *window;
	uInt wlen = INFLATER_WINSIZE;
	int type;

#ifdef HAVE_ISAL
	if (inf->backend == INFLATER_ISAL) {
		struct inflate_state *st = inf->isal;
		size_t head = offsetof(struct inflate_state, tmp_out_buffer);
		unsigned char *blob;

		/* Between calls the state is self-contained (the caller may
		 * change output buffers): the Huffman tables, the unused bits
		 * and the history in tmp_out_buffer.  Only the valid part of
		 * that buffer is kept. */
		if (st->block_state == ISAL_BLOCK_INPUT_DONE ||
		    st->block_state == ISAL_BLOCK_FINISH || st->tmp_out_valid < 0 ||
		    (size_t)st->tmp_out_valid > sizeof st->tmp_out_buffer)
			return NULL;
		/* The output held back comes first, then the state. */
		*size = 2 + INFLATER_HOLD + head + (size_t)st->tmp_out_valid;
		blob = xmalloc(*size);
		blob[0] = (unsigned char)(inf->held_len & 0xff);
		blob[1] = (unsigned char)(inf->held_len >> 8);
		memcpy(blob + 2, inf->held, INFLATER_HOLD);
		memcpy(blob + 2 + INFLATER_HOLD, st, *size - 2 - INFLATER_HOLD);
		*bits = 0;
		return blob;
	}
#endif
	type = inf->strm.data_type;
	if (!(type & 128) || (type & 64))
		return NULL;
	window = xmalloc(INFLATER_WINSIZE);
	if (inflateGetDictionary(&inf->strm, window, &wlen) != Z_OK ||
	    wlen != INFLATER_WINSIZE) {
		free(window);
		return NULL;
	}
	*bits = type & 7;
	*size = INFLATER_WINSIZE;
	return window;
}

void
inflater_resume(struct inflater *inf, const void *blob, size_t size, int bits,
    unsigned char byte)
{
	inflater_reset(inf);
#ifdef HAVE_ISAL
	if (inf->backend == INFLATER_ISAL) {
		const unsigned char *b = blob;

		size -= 2 + INFLATER_HOLD;
		if (size > sizeof *inf->isal)
			size = sizeof *inf->isal;
		inf->held_len = b[0] | (size_t)b[1] << 8;
		memcpy(inf->held, b + 2, INFLATER_HOLD);
		memcpy(inf->isal, b + 2 + INFLATER_HOLD, size);
		/* Reads only decode: no CRC wanted from here. */
		inf->isal->crc_flag = inf->crc_wanted ? inf->isal->crc_flag : ISAL_DEFLATE;
		return;
	}
#endif
	if (bits != 0)
		inflatePrime(&inf->strm, bits, byte >> (8 - bits));
	inflateSetDictionary(&inf->strm, blob, (uInt)size);
}
