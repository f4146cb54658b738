/* SPDX-License-Identifier: MIT */
/*
 * test_pipe.c — the two-thread read (tracefile.c, textq.c): the queue
 * keeps order and content across threads, and a file read to its end on
 * two threads gives exactly the index, bad lines and errors of the same
 * file read in small slices on one: every file of data/ and
 * tests/formats, and files made here for the paths a thread could break
 * (lines fetched back, pretty-printed objects, a corrupt tail, a file
 * that is not gzip).
 */
#include <check.h>
#include <dirent.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <zlib.h>

#include "buf.h"
#include "check_main.h"
#include "span_parse.h"
#include "textq.h"
#include "trace.h"
#include "tracefile.h"
#include "xmalloc.h"

static char tmpdir[] = "/tmp/test_pipe.XXXXXX";

/* --- the queue ------------------------------------------------------------ */

#define NBLOCKS 2000

static void *
produce(void *arg)
{
	struct textq *q = arg;
	struct buf b = BUF_INIT;
	int i;

	for (i = 0; i < NBLOCKS; i++) {
		textq_reuse(q, &b);
		ck_assert_uint_eq(b.len, 0);
		buf_printf(&b, "block %d;", i);
		/* Blocks of different sizes, some large. */
		if (i % 7 == 0)
			buf_reserve(&b, 64 * 1024);
		textq_push(q, &b);
		ck_assert_ptr_null(b.p);
	}
	textq_close(q);
	buf_free(&b);
	return NULL;
}

START_TEST(test_queue_order_and_content)
{
	struct textq *q = textq_new(3);
	struct buf b = BUF_INIT;
	pthread_t t;
	char want[32];
	int i = 0;

	ck_assert_int_eq(pthread_create(&t, NULL, produce, q), 0);
	while (textq_pop(q, &b)) {
		snprintf(want, sizeof want, "block %d;", i++);
		ck_assert_uint_eq(b.len, strlen(want));
		ck_assert_mem_eq(b.p, want, b.len);
		textq_recycle(q, &b);
		ck_assert_ptr_null(b.p);
	}
	ck_assert_int_eq(i, NBLOCKS);
	ck_assert(!textq_pop(q, &b)); /* closed and empty stays so */
	pthread_join(t, NULL);
	buf_free(&b);
	textq_free(q);
}
END_TEST

START_TEST(test_queue_free_with_blocks_left)
{
	struct textq *q = textq_new(2);
	struct buf b = BUF_INIT;

	buf_adds(&b, "left behind");
	textq_push(q, &b);
	textq_close(q);
	textq_free(q); /* valgrind / ASan: nothing leaks */
}
END_TEST

/* --- one file, both ways --------------------------------------------------- */

struct reading {
	struct trace *trace;
	int rc;
	char *cause;
	uint64_t bad;
	struct buf badtext;
	uint64_t consumed;
};

static void
read_file(const char *path, bool all, struct reading *r)
{
	struct span_parser *sp = span_parser_new();
	struct tracefile *tf;
	char *cause = NULL;
	size_t i;

	memset(r, 0, sizeof *r);
	r->trace = trace_new();
	tracefile_set_pipe_min(all ? 0 : UINT64_MAX);
	tf = tracefile_open(path, 0, &cause);
	ck_assert_msg(tf != NULL, "%s: %s", path, cause);
	while ((r->rc = tracefile_read(tf, sp, r->trace, all ? TRACEFILE_ALL : 4096,
	    &r->cause)) == 1)
		;
	if (r->rc == 0)
		tracefile_finish(tf, sp, r->trace);
	r->bad = tracefile_bad_lines(tf);
	for (i = 0; i < tracefile_nbad_kept(tf); i++)
		buf_printf(&r->badtext, "%s\n", tracefile_bad_line(tf, i));
	r->consumed = tracefile_consumed(tf);
	tracefile_free(tf);
	span_parser_free(sp);
	tracefile_set_pipe_min(4u << 20);
}

static void
reading_free(struct reading *r)
{
	trace_free(r->trace);
	free(r->cause);
	buf_free(&r->badtext);
}

static void
same_both_ways(const char *path)
{
	struct reading a, b;
	const struct span *x, *y;
	uint32_t i;

	read_file(path, false, &a);
	read_file(path, true, &b);
	ck_assert_msg(a.rc == b.rc, "%s: rc %d vs %d", path, a.rc, b.rc);
	ck_assert_msg((a.cause == NULL) == (b.cause == NULL) &&
	    (a.cause == NULL || strcmp(a.cause, b.cause) == 0),
	    "%s: cause '%s' vs '%s'", path, a.cause, b.cause);
	ck_assert_uint_eq(a.consumed, b.consumed);
	ck_assert_uint_eq(a.bad, b.bad);
	ck_assert_str_eq(buf_str(&a.badtext), buf_str(&b.badtext));
	ck_assert_msg(trace_count(a.trace) == trace_count(b.trace), "%s: %u vs %u spans",
	    path, trace_count(a.trace), trace_count(b.trace));
	for (i = 0; i < trace_count(a.trace); i++) {
		x = trace_span(a.trace, i);
		y = trace_span(b.trace, i);
		ck_assert_uint_eq(x->off, y->off);
		ck_assert_uint_eq(x->len, y->len);
		ck_assert_uint_eq(x->sub, y->sub);
		ck_assert_str_eq(trace_str(a.trace, x->id), trace_str(b.trace, y->id));
		ck_assert_int_eq(x->tok_in, y->tok_in);
	}
	reading_free(&a);
	reading_free(&b);
}

static void
same_in_dir(const char *dir, int *n)
{
	DIR *d = opendir(dir);
	struct dirent *de;
	char path[1024];

	ck_assert_ptr_nonnull(d);
	while ((de = readdir(d)) != NULL) {
		if (strstr(de->d_name, ".jsonl") == NULL)
			continue;
		snprintf(path, sizeof path, "%s/%s", dir, de->d_name);
		same_both_ways(path);
		(*n)++;
	}
	closedir(d);
}

START_TEST(test_every_sample_same_both_ways)
{
	int n = 0;

	same_in_dir(DATA_DIR, &n);
	same_in_dir(FORMATS_DIR, &n);
	ck_assert_int_ge(n, 12);
}
END_TEST

/* A gzip file of the demo session's lines, each member count lines, with
 * extra text between (extra is written before line `at`). */
static void
write_gz(const char *path, const char *extra, int at, int repeat)
{
	char src[1024], line[1 << 16];
	gzFile in, out;
	int k, n = 0;

	snprintf(src, sizeof src, "%s/orchestrator-completed.jsonl.gz", DATA_DIR);
	ck_assert_ptr_nonnull(out = gzopen(path, "wb6"));
	for (k = 0; k < repeat; k++) {
		ck_assert_ptr_nonnull(in = gzopen(src, "rb"));
		while (gzgets(in, line, sizeof line) != NULL) {
			if (n++ == at && extra != NULL)
				gzputs(out, extra);
			gzputs(out, line);
		}
		gzclose(in);
	}
	gzclose(out);
}

START_TEST(test_long_lines_and_objects_same_both_ways)
{
	char path[512];
	struct buf big = BUF_INIT;
	size_t k;

	/* A line longer than what is held (fetched back through gz's index
	 * while the other thread inflates on), and a bad one over it. */
	buf_adds(&big, "{\"name\":\"huge\",\"context\":{\"span_id\":\"0x1\",\"trace_id\":\"0x2\"},"
	    "\"start_time\":\"2025-07-13T09:46:40Z\",\"end_time\":\"2025-07-13T09:46:41Z\","
	    "\"attributes\":{\"blob\":\"");
	for (k = 0; k < 3u << 20; k++)
		buf_addc(&big, (char)('a' + k % 26));
	buf_adds(&big, "\"}}\n{\"not a span\n");
	snprintf(path, sizeof path, "%s/long.jsonl.gz", tmpdir);
	write_gz(path, big.p, 10, 3);
	same_both_ways(path);
	/* A pretty-printed object among lines. */
	snprintf(path, sizeof path, "%s/pretty.jsonl.gz", tmpdir);
	write_gz(path, "{\n  \"name\": \"pretty\",\n  \"context\": {\"span_id\": \"0x9\", "
	    "\"trace_id\": \"0x2\"},\n  \"start_time\": \"2025-07-13T09:46:40Z\"\n}\n", 5, 2);
	same_both_ways(path);
	buf_free(&big);
}
END_TEST

START_TEST(test_corrupt_tail_same_both_ways)
{
	char path[512];
	FILE *f;

	snprintf(path, sizeof path, "%s/tail.jsonl.gz", tmpdir);
	write_gz(path, NULL, 0, 4);
	ck_assert_ptr_nonnull(f = fopen(path, "ab"));
	/* A gzip header, then garbage where deflate data should be. */
	{
		static const char tail[] = "\x1f\x8b\x08\x00\x00\x00\x00\x00\x00\x03"
		    "\xff\xff\xff\xff garbage";

		fwrite(tail, 1, sizeof tail - 1, f);
	}
	fclose(f);
	same_both_ways(path);
	snprintf(path, sizeof path, "%s/notgzip.jsonl.gz", tmpdir);
	ck_assert_ptr_nonnull(f = fopen(path, "wb"));
	fputs("{\"this is\": \"not gzip\"}\n", f);
	fclose(f);
	same_both_ways(path);
}
END_TEST

static Suite *
pipe_suite(void)
{
	Suite *s = suite_create("pipe");
	TCase *tc = tcase_create("core");

	tcase_set_timeout(tc, 120);
	tcase_add_test(tc, test_queue_order_and_content);
	tcase_add_test(tc, test_queue_free_with_blocks_left);
	tcase_add_test(tc, test_every_sample_same_both_ways);
	tcase_add_test(tc, test_long_lines_and_objects_same_both_ways);
	tcase_add_test(tc, test_corrupt_tail_same_both_ways);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	return check_main_in_tmpdir(pipe_suite, tmpdir);
}
