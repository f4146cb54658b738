/* SPDX-License-Identifier: MIT */
/*
 * replay.c — a main() for the libFuzzer targets in this directory, so
 * that their crashers and seeds run as regression tests on any machine:
 * built with the project's compiler (no clang, no libFuzzer) from one
 * fuzz_TARGET.c, and under ASan/UBSan in `make check-all`.
 *
 *	replay_TARGET [-l] PATH...
 *
 * Each PATH is a file, given to LLVMFuzzerTestOneInput whole, or a
 * directory, whose files are (in name order; subdirectories and dot files
 * are skipped).  -l: from there on, every line of each file (without its
 * '\n') is one input, as lines.c would deliver it; a name ending in .gz
 * is decompressed first.  A broken invariant aborts (fuzz_fail), as under
 * libFuzzer; otherwise the exit status is 0 and one line says how many
 * inputs ran.  A PATH that cannot be read is an error (exit 2), so a
 * renamed seed directory cannot silently replay nothing.
 */
#include <dirent.h>
#include <errno.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <zlib.h>

#include "buf.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
/* Only some targets have one. */
int LLVMFuzzerInitialize(int *argc, char ***argv) __attribute__((weak));

static unsigned long inputs;

/* Read all of path (gzip-decoded if decode and it says .gz) into b. */
static int
read_all(const char *path, bool decode, struct buf *b)
{
	size_t n = strlen(path);
	char chunk[65536];
	gzFile gz;
	FILE *f;
	int got;
	size_t r;

	if (decode && n > 3 && strcmp(path + n - 3, ".gz") == 0) {
		if ((gz = gzopen(path, "rb")) == NULL)
			return -1;
		while ((got = gzread(gz, chunk, sizeof chunk)) > 0)
			buf_add(b, chunk, (size_t)got);
		gzclose(gz);
		return got < 0 ? -1 : 0;
	}
	if ((f = fopen(path, "rb")) == NULL)
		return -1;
	while ((r = fread(chunk, 1, sizeof chunk, f)) > 0)
		buf_add(b, chunk, r);
	if (ferror(f)) {
		fclose(f);
		return -1;
	}
	fclose(f);
	return 0;
}

/* One input in its own allocation, so ASan sees reads past its end. */
static void
run_one(const char *p, size_t n)
{
	uint8_t *copy = malloc(n > 0 ? n : 1);

	if (copy == NULL) {
		fputs("replay: out of memory\n", stderr);
		exit(2);
	}
	if (n > 0)
		memcpy(copy, p, n);
	LLVMFuzzerTestOneInput(copy, n);
	free(copy);
	inputs++;
}

static int
replay_file(const char *path, bool lines)
{
	struct buf b = BUF_INIT;
	const char *p, *end, *nl;

	if (read_all(path, lines, &b) == -1) {
		fprintf(stderr, "replay: cannot read %s: %s\n", path,
		    strerror(errno != 0 ? errno : EIO));
		buf_free(&b);
		return -1;
	}
	if (!lines)
		run_one(b.p != NULL ? b.p : "", b.len);
	else {
		p = b.p;
		end = b.p + b.len;
		for (; p != NULL && p < end; p = nl + 1) {
			if ((nl = memchr(p, '\n', (size_t)(end - p))) == NULL)
				nl = end;
			if (nl > p)
				run_one(p, (size_t)(nl - p));
		}
	}
	buf_free(&b);
	return 0;
}

static int
by_name(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static int
replay_dir(const char *dir, bool lines)
{
	struct dirent *de;
	struct stat st;
	char **names = NULL, *path;
	size_t n = 0, cap = 0, i;
	int rc = 0;
	DIR *d;

	if ((d = opendir(dir)) == NULL) {
		fprintf(stderr, "replay: cannot open %s: %s\n", dir,
		    strerror(errno));
		return -1;
	}
	while ((de = readdir(d)) != NULL) {
		if (de->d_name[0] == '.')
			continue;
		if (n == cap) {
			cap = cap == 0 ? 64 : cap * 2;
			if ((names = realloc(names, cap * sizeof *names)) ==
			    NULL)
				abort();
		}
		if ((names[n++] = strdup(de->d_name)) == NULL)
			abort();
	}
	closedir(d);
	if (n > 0)
		qsort(names, n, sizeof *names, by_name);
	for (i = 0; i < n; i++) {
		path = malloc(strlen(dir) + strlen(names[i]) + 2);
		if (path == NULL)
			abort();
		sprintf(path, "%s/%s", dir, names[i]);
		if (stat(path, &st) == 0 && S_ISREG(st.st_mode) &&
		    replay_file(path, lines) == -1)
			rc = -1;
		free(path);
		free(names[i]);
	}
	free(names);
	return rc;
}

int
main(int argc, char **argv)
{
	struct stat st;
	bool lines = false;
	int i, rc = 0;

	if (LLVMFuzzerInitialize != NULL)
		LLVMFuzzerInitialize(&argc, &argv);
	for (i = 1; i < argc; i++) {
		if (strcmp(argv[i], "-l") == 0) {
			lines = true;
			continue;
		}
		if (stat(argv[i], &st) == -1) {
			fprintf(stderr, "replay: cannot open %s: %s\n", argv[i],
			    strerror(errno));
			rc = 2;
		} else if (S_ISDIR(st.st_mode)) {
			if (replay_dir(argv[i], lines) == -1)
				rc = 2;
		} else if (replay_file(argv[i], lines) == -1)
			rc = 2;
	}
	printf("%s: %lu inputs replayed\n", argv[0], inputs);
	return rc;
}
