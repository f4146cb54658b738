/* SPDX-License-Identifier: MIT */
/*
 * test_pipe.c — the two-thread read (tracefile.c, textq.c, spanprep.c):
 * the queue keeps order, content and tags across threads; spans parsed
 * ahead equal the spans of the same lines parsed in place; and a file
 * read to its end on two threads, with every line parsed ahead or none,
 * gives exactly the index, spans, totals, bad lines and errors of the
 * same file read in small slices on one: every file of data/ and
 * tests/formats, and files made here for the paths a thread could break
 * (lines fetched back, pretty-printed objects, a corrupt tail, a file
 * that is not gzip).
 */
#include <check.h>
#include <dirent.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <zlib.h>

#include "buf.h"
#include "check_main.h"
#include "span_parse.h"
#include "spanprep.h"
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
	uintptr_t back;
	int i;

	for (i = 0; i < NBLOCKS; i++) {
		/* A recycled block comes back with its own tag. */
		back = (uintptr_t)textq_reuse(q, &b);
		ck_assert(back == 0 || (b.p != NULL && back <= (uintptr_t)i));
		ck_assert_uint_eq(b.len, 0);
		buf_printf(&b, "block %d;", i);
		/* Blocks of different sizes, some large. */
		if (i % 7 == 0)
			buf_reserve(&b, 64 * 1024);
		textq_push(q, &b, (void *)(uintptr_t)(i + 1));
		ck_assert_ptr_null(b.p);
	}
	textq_close(q);
	buf_free(&b);
	return NULL;
}

START_TEST(test_queue_order_and_content)
{
	struct textq *q = textq_new(3, NULL);
	struct buf b = BUF_INIT;
	pthread_t t;
	char want[32];
	void *tag;
	int i = 0;

	ck_assert_int_eq(pthread_create(&t, NULL, produce, q), 0);
	while (textq_pop(q, &b, &tag)) {
		snprintf(want, sizeof want, "block %d;", i++);
		ck_assert_uint_eq(b.len, strlen(want));
		ck_assert_mem_eq(b.p, want, b.len);
		ck_assert(tag == (void *)(uintptr_t)i); /* each block its own tag */
		textq_recycle(q, &b, tag);
		ck_assert_ptr_null(b.p);
	}
	ck_assert_int_eq(i, NBLOCKS);
	ck_assert(!textq_pop(q, &b, &tag)); /* closed and empty stays so */
	pthread_join(t, NULL);
	buf_free(&b);
	textq_free(q);
}
END_TEST

START_TEST(test_queue_free_with_blocks_left)
{
	struct textq *q = textq_new(2, free);
	struct buf b = BUF_INIT;
	void *tag;

	buf_adds(&b, "left behind");
	textq_push(q, &b, xstrdup("its tag"));
	buf_adds(&b, "recycled");
	textq_push(q, &b, xstrdup("another"));
	ck_assert_uint_eq(textq_depth(q), 2);
	ck_assert(textq_pop(q, &b, &tag));
	ck_assert_uint_eq(textq_depth(q), 1);
	textq_recycle(q, &b, tag);
	textq_close(q);
	textq_free(q); /* valgrind / ASan: nothing leaks, tags included */
}
END_TEST

/* --- spans parsed ahead -------------------------------------------------- */

/* Lines of every kind in one block, as the inflating thread would see it:
 * the end of a line the block before began, then whole lines, then the
 * start of a line the next block ends. */
static const char *const block_lines[] = {
	"\"tail of a line begun before\"}",
	"{\"name\":\"crlf\",\"context\":{\"span_id\":\"0xA1\",\"trace_id\":\"0x2\"},"
	    "\"start_time\":\"2025-07-13T09:46:40Z\",\"end_time\":\"2025-07-13T09:46:41Z\"}\r",
	"",
	"not json",
	/* Escapes: text decoded into the parser's scratch memory, which the
	 * lines after reuse. */
	"{\"name\":\"esc\\u0061ped \\\"name\\\"\",\"context\":{\"span_id\":\"0x\\u0062\\u0032\","
	    "\"trace_id\":\"0x2\"},\"parent_id\":\"0xa1\",\"attributes\":"
	    "{\"mcp.tool.name\":\"t\\u006fol\",\"mcp.session.title\":\"T\\u00e9\"}}",
	"{\"resourceSpans\":[{\"scopeSpans\":[{\"spans\":[{\"spanId\":\"c1\",\"name\":\"one\"},"
	    "{\"spanId\":\"c2\",\"name\":\"two\",\"kind\":3}]}]}]}",
	"{\"resourceSpans\":[{\"scopeSpans\":[{\"spans\":[{\"spanId\":\"d1\"},{\"name\":\"x\"}]}]}]}",
	"{\"name\":\"last whole\",\"span_id\":\"e1\",\"trace_id\":\"2\"}",
	"{\"name\":\"cut by the block's end\"",
};
#define NBLOCK_LINES (sizeof block_lines / sizeof *block_lines)

static void
same_strref(struct strref a, struct strref b)
{
	ck_assert((a.p == NULL) == (b.p == NULL));
	ck_assert_uint_eq(a.n, b.n);
	if (a.p != NULL)
		ck_assert_mem_eq(a.p, b.p, a.n);
}

static void
same_fields(const struct span_fields *a, const struct span_fields *b)
{
#define SAME_TEXT(m) same_strref(a->m, b->m);
	SPAN_FIELDS_STRREFS(SAME_TEXT)
#undef SAME_TEXT
	ck_assert_int_eq(a->start_ns, b->start_ns);
	ck_assert_int_eq(a->end_ns, b->end_ns);
	ck_assert_int_eq(a->tokens_in, b->tokens_in);
	ck_assert_int_eq(a->tokens_out, b->tokens_out);
	ck_assert_uint_eq(a->flags, b->flags);
	ck_assert_uint_eq(a->status, b->status);
	ck_assert_uint_eq(a->kind, b->kind);
	ck_assert_uint_eq(a->index_in_line, b->index_in_line);
}

static bool
always(void *arg)
{
	return true;
}

/* go_on that says yes *arg times. */
static bool
countdown(void *arg)
{
	int *n = arg;

	return (*n)-- > 0;
}

START_TEST(test_spans_parsed_ahead_equal_parsed_in_place)
{
	struct span_parser *ahead = span_parser_new(), *here = span_parser_new();
	struct spanprep *prep = spanprep_new();
	const struct span_fields *got;
	struct buf block = BUF_INIT;
	uint64_t base = 1000, off[NBLOCK_LINES];
	size_t i, len, kept = 0;
	int n, k, m, asks;

	for (i = 0; i < NBLOCK_LINES; i++) {
		off[i] = base + block.len;
		buf_adds(&block, block_lines[i]);
		if (i + 1 < NBLOCK_LINES)
			buf_addc(&block, '\n');
	}
	spanprep_begin(prep, block.p, block.len, base);
	ck_assert_uint_eq(spanprep_parse(prep, ahead, 1u << 20, always, NULL), 4);
	/* Each line as the indexing thread sees it: parsed here, and looked
	 * up among the lines parsed ahead. */
	for (i = 0; i + 1 < NBLOCK_LINES; i++) {
		len = strlen(block_lines[i]);
		if (len > 0 && block_lines[i][len - 1] == '\r')
			len--;
		n = span_parse_line(here, block_lines[i], len);
		k = spanprep_take(prep, off[i], len, &got);
		if (i == 0 || n <= 0 || span_parser_skipped(here) != NULL) {
			ck_assert_msg(k == -1, "line %zu: %d spans kept", i, k);
			continue;
		}
		ck_assert_msg(k == n, "line %zu: %d spans kept, %d parsed", i, k, n);
		for (m = 0; m < n; m++)
			same_fields(span_parser_span(here, m), &got[m]);
		kept++;
	}
	ck_assert_uint_eq(kept, 4);
	/* Taken once, in order: asking again finds nothing. */
	ck_assert_int_eq(spanprep_take(prep, off[1], strlen(block_lines[1]) - 1, &got), -1);

	/* A length or offset that differs (a line the indexing thread sees
	 * otherwise) finds nothing, and go_on stops the parsing early. */
	spanprep_begin(prep, block.p, block.len, base);
	asks = 1;
	ck_assert_uint_eq(spanprep_parse(prep, ahead, 1u << 20, countdown, &asks), 4);
	ck_assert_int_eq(spanprep_take(prep, off[1] + 1, strlen(block_lines[1]) - 1, &got), -1);
	ck_assert_int_eq(spanprep_take(prep, off[4], 3, &got), -1);
	spanprep_begin(prep, block.p, block.len, base);
	asks = 0;
	ck_assert_uint_eq(spanprep_parse(prep, ahead, 1u << 20, countdown, &asks), 0);
	ck_assert_int_eq(spanprep_take(prep, off[1], strlen(block_lines[1]) - 1, &got), -1);
	/* Lines over the limit are left to the indexing thread. */
	spanprep_begin(prep, block.p, block.len, base);
	ck_assert_uint_eq(spanprep_parse(prep, ahead, 60, always, NULL), 1);

	buf_free(&block);
	spanprep_free(prep);
	span_parser_free(ahead);
	span_parser_free(here);
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
	uint64_t ahead;      /* lines indexed from spans parsed ahead */
};

/* How a file is read: in small slices on one thread, or to its end on
 * two, the inflating thread parsing every line ahead or none. */
enum way { SLICES, PIPE_ALL_AHEAD, PIPE_NONE_AHEAD };

/* Lines parsed ahead, and spans, over the reads that parse every line
 * ahead. */
static uint64_t total_ahead, total_spans;

static void
read_file(const char *path, enum way way, struct reading *r)
{
	bool all = way != SLICES;
	struct span_parser *sp = span_parser_new();
	struct tracefile *tf;
	char *cause = NULL;
	size_t i;

	memset(r, 0, sizeof *r);
	r->trace = trace_new();
	tracefile_set_pipe_min(all ? 0 : UINT64_MAX);
	tracefile_set_pipe_behind(way == PIPE_ALL_AHEAD ? 0 : SIZE_MAX);
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
	r->ahead = tracefile_lines_ahead(tf);
	total_ahead += r->ahead;
	if (way == PIPE_ALL_AHEAD)
		total_spans += trace_count(r->trace);
	if (way != PIPE_ALL_AHEAD)
		ck_assert_uint_eq(r->ahead, 0);
	tracefile_free(tf);
	span_parser_free(sp);
	tracefile_set_pipe_min(4u << 20);
	tracefile_set_pipe_behind(2);
}

static void
reading_free(struct reading *r)
{
	trace_free(r->trace);
	free(r->cause);
	buf_free(&r->badtext);
}

static void
same_str(const struct trace *a, uint32_t x, const struct trace *b, uint32_t y)
{
	ck_assert_str_eq(trace_str(a, x), trace_str(b, y));
}

/* Every field of every span, and the totals. */
static void
same_spans(const char *path, const struct reading *a, const struct reading *b)
{
	const struct trace_stats *sa = trace_stats(a->trace), *sb = trace_stats(b->trace);
	const struct span *x, *y;
	struct token_counts ta, tb;
	uint32_t i;

	ck_assert_msg(trace_count(a->trace) == trace_count(b->trace), "%s: %u vs %u spans",
	    path, trace_count(a->trace), trace_count(b->trace));
	for (i = 0; i < trace_count(a->trace); i++) {
		x = trace_span(a->trace, i);
		y = trace_span(b->trace, i);
		ck_assert_uint_eq(x->off, y->off);
		ck_assert_uint_eq(x->len, y->len);
		ck_assert_uint_eq(x->sub, y->sub);
		same_str(a->trace, x->id, b->trace, y->id);
		same_str(a->trace, x->parent, b->trace, y->parent);
		same_str(a->trace, x->trace_id, b->trace, y->trace_id);
		same_str(a->trace, x->name, b->trace, y->name);
		same_str(a->trace, x->label, b->trace, y->label);
		ck_assert_uint_eq(x->type, y->type);
		ck_assert_uint_eq(x->status, y->status);
		ck_assert_uint_eq(x->kind, y->kind);
		ck_assert_uint_eq(x->flags, y->flags);
		ck_assert_int_eq(x->start_ns, y->start_ns);
		ck_assert_int_eq(x->end_ns, y->end_ns);
		trace_span_tokens(a->trace, i, &ta);
		trace_span_tokens(b->trace, i, &tb);
		ck_assert_mem_eq(&ta, &tb, sizeof ta);
	}
	ck_assert_uint_eq(sa->spans, sb->spans);
	ck_assert_uint_eq(sa->errors, sb->errors);
	ck_assert_int_eq(sa->tokens_in, sb->tokens_in);
	ck_assert_int_eq(sa->tokens_out, sb->tokens_out);
	ck_assert_int_eq(sa->tokens_cache_read, sb->tokens_cache_read);
	ck_assert_int_eq(sa->first_start, sb->first_start);
	ck_assert_int_eq(sa->last_end, sb->last_end);
	ck_assert_uint_eq(sa->roots, sb->roots);
	ck_assert_uint_eq(sa->duplicate_ids, sb->duplicate_ids);
	ck_assert(sa->paused == sb->paused);
	same_str(a->trace, sa->title, b->trace, sb->title);
	same_str(a->trace, sa->session_id, b->trace, sb->session_id);
	same_str(a->trace, sa->signal_name, b->trace, sb->signal_name);
}

static void
same_as_slices(const char *path, const struct reading *a, enum way way)
{
	struct reading b;

	read_file(path, way, &b);
	ck_assert_msg(a->rc == b.rc, "%s: rc %d vs %d", path, a->rc, b.rc);
	ck_assert_msg((a->cause == NULL) == (b.cause == NULL) &&
	    (a->cause == NULL || strcmp(a->cause, b.cause) == 0),
	    "%s: cause '%s' vs '%s'", path, a->cause, b.cause);
	ck_assert_uint_eq(a->consumed, b.consumed);
	ck_assert_uint_eq(a->bad, b.bad);
	ck_assert_str_eq(buf_str(&a->badtext), buf_str(&b.badtext));
	same_spans(path, a, &b);
	reading_free(&b);
}

static void
same_both_ways(const char *path)
{
	struct reading a;

	read_file(path, SLICES, &a);
	same_as_slices(path, &a, PIPE_NONE_AHEAD);
	same_as_slices(path, &a, PIPE_ALL_AHEAD);
	reading_free(&a);
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

	total_ahead = total_spans = 0;
	same_in_dir(DATA_DIR, &n);
	same_in_dir(FORMATS_DIR, &n);
	ck_assert_int_ge(n, 12);
	/* The reads with every line parsed ahead did take those spans: all
	 * lines but the first of each file (and pretty-printed ones). */
	ck_assert_uint_gt(total_ahead * 2, total_spans);
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

/* A slice stops at its budget of text, whatever input it read: a file
 * that compresses 400 times (1 KiB lines of one span over and over) is
 * read a piece at a time, each of at most 2 MiB of text, and whole. */
START_TEST(test_slice_stops_at_its_text_budget)
{
	struct span_parser *sp = span_parser_new();
	struct trace *t = trace_new();
	struct tracefile *tf;
	char path[512], line[1100], *cause = NULL;
	gzFile out;
	uint32_t before;
	int i, rc, reads = 0;

	snprintf(path, sizeof path, "%s/dense.jsonl.gz", tmpdir);
	ck_assert_ptr_nonnull(out = gzopen(path, "wb9"));
	for (i = 0; i < 20000; i++) {
		snprintf(line, sizeof line, "{\"name\":\"n\",\"span_id\":\"%x\",\"trace_id\":\"1\","
		    "\"attributes\":{\"pad\":\"%0960d\"}}\n", i, 0);
		gzputs(out, line);
	}
	gzclose(out);
	tracefile_set_pipe_min(UINT64_MAX);
	ck_assert_ptr_nonnull(tf = tracefile_open(path, 0, &cause));
	do {
		before = trace_count(t);
		rc = tracefile_read(tf, sp, t, TRACEFILE_ALL, &cause);
		ck_assert_int_ge(rc, 0);
		/* 2 MiB of text, plus the piece of at most 64 KiB it ended in. */
		ck_assert_uint_le((trace_count(t) - before) * 1024u, (2u << 20) + (64u << 10) + 1024);
		reads++;
	} while (rc == 1);
	ck_assert_uint_eq(trace_count(t), 20000);
	ck_assert_int_ge(reads, 9);
	tracefile_free(tf);
	trace_free(t);
	span_parser_free(sp);
	tracefile_set_pipe_min(4u << 20);
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
	tcase_add_test(tc, test_spans_parsed_ahead_equal_parsed_in_place);
	tcase_add_test(tc, test_every_sample_same_both_ways);
	tcase_add_test(tc, test_long_lines_and_objects_same_both_ways);
	tcase_add_test(tc, test_corrupt_tail_same_both_ways);
	tcase_add_test(tc, test_slice_stops_at_its_text_budget);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	return check_main_in_tmpdir(pipe_suite, tmpdir);
}
