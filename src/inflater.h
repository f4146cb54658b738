/* SPDX-License-Identifier: MIT */
/*
 * inflater.h — raw deflate decoding (no gzip wrapper: gz.c parses that)
 * with two backends: Intel ISA-L's isal_inflate when the build has it
 * (configure finds libisal; several times zlib's speed) and zlib's
 * inflate otherwise.  Both give the same bytes, the same errors at the
 * same places as far as the data allows, and resumable access points.
 */
#ifndef INFLATER_H
#define INFLATER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

enum inflater_backend {
	INFLATER_ZLIB,
	INFLATER_ISAL
};

/* inflater_run results. */
#define INFLATER_ERROR	-1
#define INFLATER_OK	0	/* more input or more output room needed */
#define INFLATER_END	1	/* the deflate stream ended */

struct inflater;

/* The backend new inflaters use: ISA-L when built with it.  Tests and
 * the fuzz targets switch it to run both; false when the backend is not
 * in this build. */
enum inflater_backend inflater_default(void);
bool inflater_set_default(enum inflater_backend);
bool inflater_have(enum inflater_backend);
const char *inflater_name(enum inflater_backend);	/* "ISA-L 2.30" or "zlib 1.2.13" */

/* crc: keep the CRC-32 of the output (inflater_crc). */
struct inflater *inflater_new(enum inflater_backend, bool crc);
void inflater_free(struct inflater *);
enum inflater_backend inflater_backend(const struct inflater *);
/* Start a new raw deflate stream. */
void inflater_reset(struct inflater *);

/*
 * Decode from in[0..inlen) into out[0..outlen) (more than 258 bytes):
 * sets *used, *produced and *full (the output filled up: call again at
 * once).  Returns INFLATER_OK (call again: with more input once *used ==
 * inlen and !*full), INFLATER_END, or INFLATER_ERROR with *msg (static
 * text); the output before the error is in *produced.  ISA-L may hold
 * back the last bytes of a call's output until the next.
 * With want_point the call may stop early where inflater_point() can
 * make an access point (zlib: at a block boundary).
 */
int inflater_run(struct inflater *, const unsigned char *in, size_t inlen,
    size_t *used, unsigned char *out, size_t outlen, size_t *produced,
    bool *full, bool want_point, const char **msg);
/* CRC-32 of the output since the reset (when made with crc). */
uint32_t inflater_crc(const struct inflater *);
/*
 * After INFLATER_END: input bytes of earlier calls that follow the
 * deflate data (ISA-L reads up to 8 bytes ahead and gives them back only
 * when the stream ends, perhaps a call later).  Copies them to buf (8
 * bytes of room) and returns how many; they come before this call's
 * unused input.
 */
size_t inflater_carry(struct inflater *, unsigned char *buf);

/*
 * An access point where the last inflater_run returned: a state blob
 * (caller frees) and the bits of the byte before the input offset that
 * are still unused.  NULL when the decoder is not at a place it can
 * resume from (zlib: inside a block).  zlib's blob is the 32 KiB window
 * (a point at a block boundary); ISA-L's is its whole decoder state,
 * history included, so any call boundary will do.
 */
void *inflater_point(struct inflater *, int *bits, size_t *size);
/* Resume at a point: blob from inflater_point of the same backend; byte
 * is the input byte before the point's offset when bits != 0. */
void inflater_resume(struct inflater *, const void *blob, size_t size,
    int bits, unsigned char byte);

#endif
