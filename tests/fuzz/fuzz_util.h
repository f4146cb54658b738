/* SPDX-License-Identifier: MIT */
/*
 * fuzz_util.h — small helpers shared by the libFuzzer targets in this
 * directory (header-only, so each target stays one .c file plus the
 * project sources it links; see run.sh).
 */
#ifndef FUZZ_UTIL_H
#define FUZZ_UTIL_H

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define FUZZ_UNUSED __attribute__((unused))

/* libFuzzer's entry points; declared so -Wmissing-prototypes is quiet. */
int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Where touched bytes go, so the compiler cannot drop the reads. */
static volatile unsigned char fuzz_sink FUZZ_UNUSED;

/*
 * Read every byte of p[0..n): a pointer the code under test hands back
 * (a strref into an arena, a line from a callback) is then checked by
 * ASan to be live and in bounds, not just trusted.
 */
static FUZZ_UNUSED void
fuzz_touch(const void *p, size_t n)
{
	const unsigned char *u = p;
	unsigned char acc = 0;
	size_t i;

	for (i = 0; i < n; i++)
		acc ^= u[i];
	fuzz_sink = acc;
}

/* An invariant broke: say which, plainly, and abort so libFuzzer keeps
 * the input as a crash artifact. */
static FUZZ_UNUSED __attribute__((noreturn, format(printf, 1, 2))) void
fuzz_fail(const char *fmt, ...)
{
	va_list ap;

	fputs("\n==fuzz== invariant broken: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	abort();
}

/* A NUL-terminated copy of p[0..n) (the fuzzer's data is not one). */
static FUZZ_UNUSED char *
fuzz_strndup(const uint8_t *p, size_t n)
{
	char *s = malloc(n + 1);

	if (s == NULL)
		abort();
	if (n > 0)
		memcpy(s, p, n);
	s[n] = '\0';
	return s;
}

/* Little-endian integers from the input, with what is missing as 0. */
static FUZZ_UNUSED uint32_t
fuzz_le32(const uint8_t *p, size_t n, size_t at)
{
	uint32_t v = 0;
	size_t i;

	for (i = 0; i < 4; i++) {
		if (at + i < n)
			v |= (uint32_t)p[at + i] << (8 * i);
	}
	return v;
}

#endif
