/* SPDX-License-Identifier: MIT */
/* test_gz.c — tests for the streaming gzip decoder and random access. */
#include <check.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <zlib.h>

#include "check_main.h"
#include "buf.h"
#include "gz.h"
#include "inflater.h"
#include "xmalloc.h"

/* Optional gzip header fields of a test member. */
struct hdr {
	const char *name;
	const char *comment;
	const char *extra;
	size_t extra_len;
	bool hcrc;
};

/* A compressed stream with its text and where each member lies. */
struct stream {
	struct buf gz;
	struct buf text;
	size_t *start;
	size_t *end;
	size_t n;
};

static void
stream_free(struct stream *s)
{
	buf_free(&s->gz);
	buf_free(&s->text);
	free(s->start);
	free(s->end);
	memset(s, 0, sizeof *s);
}

/* Append one gzip member holding data[0..len) to s. */
static void
stream_add(struct stream *s, const char *data, size_t len,
    const struct hdr *h, int level)
{
	z_stream z;
	gz_header head;
	unsigned char out[16384];
	int ret;

	memset(&z, 0, sizeof z);
	ck_assert_int_eq(deflateInit2(&z, level, Z_DEFLATED, 15 + 16, 8,
	    Z_DEFAULT_STRATEGY), Z_OK);
	if (h != NULL) {
		memset(&head, 0, sizeof head);
		head.name = (unsigned char *)h->name;
		head.comment = (unsigned char *)h->comment;
		if (h->extra != NULL) {
			head.extra = (unsigned char *)h->extra;
			head.extra_len = h->extra_len;
		}
		head.hcrc = h->hcrc;
		ck_assert_int_eq(deflateSetHeader(&z, &head), Z_OK);
	}
	s->start = xreallocarray(s->start, s->n + 1, sizeof *s->start);
	s->end = xreallocarray(s->end, s->n + 1, sizeof *s->end);
	s->start[s->n] = s->gz.len;
	z.next_in = (unsigned char *)data;
	z.avail_in = len;
	do {
		z.next_out = out;
		z.avail_out = sizeof out;
		ret = deflate(&z, Z_FINISH);
		ck_assert(ret == Z_OK || ret == Z_STREAM_END);
		buf_add(&s->gz, out, sizeof out - z.avail_out);
	} while (ret != Z_STREAM_END);
	deflateEnd(&z);
	s->end[s->n++] = s->gz.len;
	if (len != 0)
		buf_add(&s->text, data, len);
}

static void
stream_adds(struct stream *s, const char *data, const struct hdr *h)
{
	stream_add(s, data, strlen(data), h, Z_DEFAULT_COMPRESSION);
}

/* Append n in decimal: make_text writes megabytes of these, and printf is
 * most of the test's time under valgrind. */
static void
add_uint(struct buf *b, unsigned n)
{
	char d[16];
	size_t i = sizeof d;

	do
		d[--i] = '0' + n % 10;
	while ((n /= 10) != 0);
	buf_add(b, d + i, sizeof d - i);
}

/* Deterministic JSON-ish lines that compress like real traces do. */
static void
make_text(struct buf *b, size_t size, unsigned seed)
{
	static const char *words[] = { "span", "agent", "tool", "llm",
	    "\"trace_id\":", "\"attributes\":{", "}", "workflow", "0x",
	    "session", "call", "result", "error", "ok", "mcp", "\"name\":" };
	unsigned x = seed;

	buf_reset(b);
	while (b->len < size) {
		x = x * 1103515245 + 12345;
		if ((x >> 16) % 11 == 0) {
			add_uint(b, x % 100000);
			buf_addc(b, '\n');
		} else {
			buf_adds(b, words[(x >> 8) % 16]);
			buf_addc(b, ' ');
			add_uint(b, (x >> 20) % 1000);
			buf_addc(b, ' ');
		}
	}
}

/* A stream with every kind of header and empty members among others. */
static void
make_mixed(struct stream *s)
{
	static const struct hdr name = { "trace.jsonl", NULL, NULL, 0, false };
	static const struct hdr comment = { NULL, "a comment", NULL, 0, false };
	static const struct hdr extra = { NULL, NULL, "AB\4\0data", 8, false };
	static const struct hdr hcrc = { NULL, NULL, NULL, 0, true };
	static const struct hdr all = { "n", "c", "XY\2\0zz", 6, true };
	static const struct hdr emptyextra = { NULL, NULL, "", 0, false };
	struct buf big = BUF_INIT;

	memset(s, 0, sizeof *s);
	stream_adds(s, "first line\n", NULL);
	stream_adds(s, "", NULL);
	stream_adds(s, "named\r\n", &name);
	stream_adds(s, "commented\n", &comment);
	stream_adds(s, "", &all);
	stream_adds(s, "extra\n", &extra);
	stream_adds(s, "hcrc\n", &hcrc);
	stream_adds(s, "all of them\n", &all);
	stream_adds(s, "empty extra\n", &emptyextra);
	make_text(&big, 3000, 7);
	stream_add(s, big.p, big.len, NULL, 9);
	stream_add(s, "stored\n", 7, NULL, 0);
	stream_adds(s, "", NULL);
	buf_free(&big);
}

static int
collect(void *arg, const char *p, size_t len)
{
	buf_add(arg, p, len);
	return 0;
}

/* Feed and expect success. */
static void
feed_ok(struct gz *gz, const void *p, size_t len, struct buf *out)
{
	char *cause = NULL;
	int ret = gz_feed(gz, p, len, collect, out, &cause);

	ck_assert_msg(ret == 0, "gz_feed: %s", cause ? cause : "stopped");
}

/* Feed and expect corruption; the cause is returned. */
static char *
feed_bad(struct gz *gz, const void *p, size_t len, struct buf *out)
{
	char *cause = NULL;

	ck_assert_int_eq(gz_feed(gz, p, len, collect, out, &cause), -1);
	ck_assert_ptr_nonnull(cause);
	return cause;
}

static bool
pending_at(const struct stream *s, size_t k)
{
	size_t i;

	for (i = 0; i < s->n; i++) {
		if (k > s->start[i] && k < s->end[i])
			return true;
	}
	return false;
}

static void
check_same(const struct buf *got, const struct buf *want)
{
	ck_assert_uint_eq(got->len, want->len);
	if (want->len != 0)
		ck_assert(memcmp(got->p, want->p, want->len) == 0);
}

static void
check_prefix(const struct buf *got, const struct buf *want)
{
	ck_assert_uint_le(got->len, want->len);
	if (got->len != 0)
		ck_assert(memcmp(got->p, want->p, got->len) == 0);
}

/* Member-start points must be exactly the member starts. */
static void
check_member_points(const struct gz *gz, const struct stream *s)
{
	const struct gz_index *idx = gz_index(gz);
	size_t i, j = 0, out = 0;

	ck_assert(!idx->plain);
	for (i = 0; i < idx->npoints; i++) {
		if (idx->points[i].window != NULL)
			continue;
		ck_assert_uint_lt(j, s->n);
		ck_assert_uint_eq(idx->points[i].in, s->start[j]);
		ck_assert_int_eq(idx->points[i].bits, 0);
		ck_assert_uint_ge(idx->points[i].out, out);
		out = idx->points[i].out;
		j++;
	}
	ck_assert_uint_eq(j, s->n);
}

/* Write p[0..len) to a new unlinked temporary file. */
static int
temp_file(const void *p, size_t len)
{
	char path[] = "/tmp/test_gz.XXXXXX";
	int fd = mkstemp(path);

	ck_assert_int_ge(fd, 0);
	unlink(path);
	ck_assert_int_eq(write(fd, p, len), (ssize_t)len);
	return fd;
}

/* gz_read_at of off/len must match text (reads past it are short). */
static void
check_read(int fd, const struct gz_index *idx, const struct buf *text,
    uint64_t off, size_t len)
{
	char *got = xmalloc(len + 1), *cause = NULL;
	size_t want = 0;
	long n;

	if (off < text->len)
		want = text->len - off < len ? text->len - off : len;
	n = gz_read_at(fd, idx, off, got, len, &cause);
	ck_assert_msg(n >= 0, "gz_read_at: %s", cause);
	ck_assert_msg((size_t)n == want, "off %llu len %zu: got %ld want %zu",
	    (unsigned long long)off, len, n, want);
	if (want != 0)
		ck_assert(memcmp(got, text->p + off, want) == 0);
	free(got);
}

static void
check_random_reads(int fd, const struct gz_index *idx,
    const struct buf *text, int count, size_t maxlen)
{
	unsigned x = 12345;
	uint64_t off;
	size_t len;
	int i;

	for (i = 0; i < count; i++) {
		x = x * 1103515245 + 12345;
		off = ((uint64_t)x << 7 ^ x >> 3) % (text->len + 10);
		x = x * 1103515245 + 12345;
		len = 1 + (x >> 4) % maxlen;
		check_read(fd, idx, text, off, len);
	}
	check_read(fd, idx, text, 0, text->len);
	check_read(fd, idx, text, 0, text->len + 100);
	check_read(fd, idx, text, text->len - 1, 10);
	check_read(fd, idx, text, text->len, 10);
	check_read(fd, idx, text, text->len + 1000, 10);
}

START_TEST(test_plain)
{
	static const char text[] = "hello\nworld\n";
	struct gz *gz = gz_new();
	struct buf out = BUF_INIT;
	const struct gz_index *idx;

	feed_ok(gz, text, 5, &out);
	ck_assert(gz_is_plain(gz));
	feed_ok(gz, text + 5, sizeof text - 1 - 5, &out);
	ck_assert_str_eq(buf_str(&out), text);
	ck_assert(!gz_pending(gz));
	ck_assert_uint_eq(gz_total_in(gz), sizeof text - 1);
	ck_assert_uint_eq(gz_total_out(gz), sizeof text - 1);
	ck_assert_uint_eq(gz_members(gz), 0);
	idx = gz_index(gz);
	ck_assert(idx->plain);
	ck_assert_uint_eq(idx->npoints, 1);
	ck_assert_uint_eq(idx->points[0].in, 0);
	ck_assert_uint_eq(idx->points[0].out, 0);
	ck_assert_ptr_null(idx->points[0].window);
	gz_free(gz);
	buf_free(&out);
}
END_TEST

START_TEST(test_plain_starting_with_id1)
{
	struct gz *gz = gz_new();
	struct buf out = BUF_INIT;

	feed_ok(gz, "\x1f", 1, &out);
	ck_assert(!gz_is_plain(gz));
	ck_assert(gz_pending(gz));
	ck_assert_uint_eq(out.len, 0);
	feed_ok(gz, "x\n", 2, &out);
	ck_assert(gz_is_plain(gz));
	ck_assert(!gz_pending(gz));
	ck_assert_str_eq(buf_str(&out), "\x1fx\n");
	ck_assert_uint_eq(gz_total_out(gz), 3);
	gz_free(gz);
	buf_free(&out);
}
END_TEST

START_TEST(test_empty_input)
{
	struct gz *gz = gz_new();
	struct buf out = BUF_INIT;

	feed_ok(gz, "", 0, &out);
	ck_assert(!gz_pending(gz));
	ck_assert(!gz_is_plain(gz));
	ck_assert_uint_eq(gz_index(gz)->npoints, 0);
	gz_free(gz);
	buf_free(&out);
}
END_TEST

START_TEST(test_single_member)
{
	struct stream s = { 0 };
	struct gz *gz = gz_new();
	struct buf out = BUF_INIT;

	stream_adds(&s, "{\"name\":\"one\"}\n", NULL);
	feed_ok(gz, s.gz.p, s.gz.len, &out);
	check_same(&out, &s.text);
	ck_assert(!gz_is_plain(gz));
	ck_assert(!gz_pending(gz));
	ck_assert_uint_eq(gz_members(gz), 1);
	ck_assert_uint_eq(gz_total_in(gz), s.gz.len);
	ck_assert_uint_eq(gz_total_out(gz), s.text.len);
	check_member_points(gz, &s);
	gz_free(gz);
	buf_free(&out);
	stream_free(&s);
}
END_TEST

START_TEST(test_many_members)
{
	struct stream s = { 0 };
	struct gz *gz = gz_new();
	struct buf out = BUF_INIT, line = BUF_INIT;
	const struct gz_index *idx;
	size_t i, *off = xcalloc(1000, sizeof *off);

	for (i = 0; i < 1000; i++) {
		off[i] = s.text.len;
		buf_reset(&line);
		buf_printf(&line, "{\"span\":%zu}\n", i);
		stream_adds(&s, line.p, NULL);
	}
	feed_ok(gz, s.gz.p, s.gz.len, &out);
	check_same(&out, &s.text);
	ck_assert_uint_eq(gz_members(gz), 1000);
	idx = gz_index(gz);
	ck_assert_uint_eq(idx->npoints, 1000);
	for (i = 0; i < 1000; i++) {
		ck_assert_uint_eq(idx->points[i].in, s.start[i]);
		ck_assert_uint_eq(idx->points[i].out, off[i]);
		ck_assert_ptr_null(idx->points[i].window);
	}
	free(off);
	gz_free(gz);
	buf_free(&out);
	buf_free(&line);
	stream_free(&s);
}
END_TEST

START_TEST(test_header_fields)
{
	static const struct hdr hdrs[] = {
		{ "name.jsonl", NULL, NULL, 0, false },
		{ NULL, "comment", NULL, 0, false },
		{ NULL, NULL, "ex\3\0abc", 7, false },
		{ NULL, NULL, NULL, 0, true },
		{ "name", "comment", "ex\3\0abc", 7, true },
	};
	struct stream s;
	struct gz *gz;
	struct buf out = BUF_INIT;
	size_t i;

	for (i = 0; i < sizeof hdrs / sizeof hdrs[0]; i++) {
		memset(&s, 0, sizeof s);
		stream_adds(&s, "a line\n", &hdrs[i]);
		stream_adds(&s, "another\n", &hdrs[i]);
		gz = gz_new();
		buf_reset(&out);
		feed_ok(gz, s.gz.p, s.gz.len, &out);
		check_same(&out, &s.text);
		ck_assert_uint_eq(gz_members(gz), 2);
		check_member_points(gz, &s);
		gz_free(gz);
		stream_free(&s);
	}
	buf_free(&out);
}
END_TEST

START_TEST(test_empty_members)
{
	struct stream s = { 0 };
	struct gz *gz = gz_new();
	struct buf out = BUF_INIT;

	stream_adds(&s, "", NULL);
	stream_adds(&s, "", NULL);
	stream_adds(&s, "", NULL);
	feed_ok(gz, s.gz.p, s.gz.len, &out);
	ck_assert_uint_eq(out.len, 0);
	ck_assert_uint_eq(gz_members(gz), 3);
	ck_assert(!gz_pending(gz));
	ck_assert(!gz_is_plain(gz));
	check_member_points(gz, &s);
	gz_free(gz);
	buf_free(&out);
	stream_free(&s);
}
END_TEST

START_TEST(test_split_in_two)
{
	struct stream s;
	struct gz *gz, *whole;
	struct buf out = BUF_INIT;
	const struct gz_index *a, *b;
	size_t k, i;

	make_mixed(&s);
	whole = gz_new();
	feed_ok(whole, s.gz.p, s.gz.len, &out);
	check_same(&out, &s.text);
	b = gz_index(whole);
	for (k = 0; k <= s.gz.len; k++) {
		gz = gz_new();
		buf_reset(&out);
		feed_ok(gz, s.gz.p, k, &out);
		ck_assert_msg(gz_pending(gz) == pending_at(&s, k),
		    "pending wrong after %zu bytes", k);
		check_prefix(&out, &s.text);
		feed_ok(gz, s.gz.p + k, s.gz.len - k, &out);
		check_same(&out, &s.text);
		ck_assert(!gz_pending(gz));
		ck_assert_uint_eq(gz_members(gz), s.n);
		ck_assert_uint_eq(gz_total_in(gz), s.gz.len);
		a = gz_index(gz);
		ck_assert_uint_eq(a->npoints, b->npoints);
		for (i = 0; i < a->npoints; i++) {
			ck_assert_uint_eq(a->points[i].in, b->points[i].in);
			ck_assert_uint_eq(a->points[i].out, b->points[i].out);
		}
		gz_free(gz);
	}
	gz_free(whole);
	buf_free(&out);
	stream_free(&s);
}
END_TEST

START_TEST(test_byte_by_byte)
{
	struct stream s;
	struct gz *gz = gz_new();
	struct buf out = BUF_INIT;
	size_t k;

	make_mixed(&s);
	for (k = 0; k < s.gz.len; k++) {
		feed_ok(gz, s.gz.p + k, 1, &out);
		ck_assert_msg(gz_pending(gz) == pending_at(&s, k + 1),
		    "pending wrong after %zu bytes", k + 1);
		feed_ok(gz, NULL, 0, &out);
	}
	check_same(&out, &s.text);
	ck_assert_uint_eq(gz_members(gz), s.n);
	check_member_points(gz, &s);
	gz_free(gz);
	buf_free(&out);
	stream_free(&s);
}
END_TEST

/* Cut the stream at `cut`, then let the "file grow" by the rest. */
static void
check_torn(const struct stream *s, size_t cut, size_t complete)
{
	struct gz *gz = gz_new();
	struct buf out = BUF_INIT, done = BUF_INIT;

	buf_add(&done, s->text.p, complete);
	feed_ok(gz, s->gz.p, cut, &out);
	ck_assert(gz_pending(gz));
	ck_assert_uint_ge(out.len, complete);
	check_prefix(&out, &s->text);
	ck_assert(memcmp(out.p, done.p, complete) == 0);
	ck_assert_uint_eq(gz_members(gz), 2);
	feed_ok(gz, s->gz.p + cut, s->gz.len - cut, &out);
	check_same(&out, &s->text);
	ck_assert(!gz_pending(gz));
	ck_assert_uint_eq(gz_members(gz), 3);
	gz_free(gz);
	buf_free(&out);
	buf_free(&done);
}

START_TEST(test_torn)
{
	struct stream s = { 0 };
	struct buf big = BUF_INIT;
	size_t two;

	stream_adds(&s, "one\n", NULL);
	stream_adds(&s, "two\n", NULL);
	make_text(&big, 20000, 3);
	stream_add(&s, big.p, big.len, NULL, 6);
	two = strlen("one\ntwo\n");

	check_torn(&s, s.start[2] + 1, two);
	check_torn(&s, s.start[2] + 3, two);
	check_torn(&s, s.start[2] + 10, two);
	check_torn(&s, (s.start[2] + s.end[2]) / 2, two);
	check_torn(&s, s.end[2] - 8, s.text.len);
	check_torn(&s, s.end[2] - 3, s.text.len);
	buf_free(&big);
	stream_free(&s);
}
END_TEST

START_TEST(test_torn_header_fields)
{
	static const struct hdr all = { "name", "comment", "ex\3\0abc", 7,
	    true };
	struct stream s = { 0 };
	size_t k;

	stream_adds(&s, "one\n", NULL);
	stream_adds(&s, "two\n", NULL);
	stream_adds(&s, "three\n", &all);
	for (k = s.start[2] + 1; k < s.end[2]; k++)
		check_torn(&s, k, strlen("one\ntwo\n"));
	stream_free(&s);
}
END_TEST

START_TEST(test_corrupt_garbage)
{
	struct stream s = { 0 };
	struct gz *gz = gz_new();
	struct buf out = BUF_INIT, data = BUF_INIT, want = BUF_INIT;
	char *cause, *again;

	stream_adds(&s, "one\n", NULL);
	stream_adds(&s, "two\n", NULL);
	buf_add(&data, s.gz.p, s.gz.len);
	buf_adds(&data, "garbage");
	cause = feed_bad(gz, data.p, data.len, &out);
	buf_printf(&want, "gzip data corrupt at byte %zu: ", s.gz.len);
	ck_assert_msg(strstr(cause, want.p) != NULL, "cause: %s", cause);
	check_same(&out, &s.text);
	ck_assert_uint_eq(gz_members(gz), 2);
	ck_assert(!gz_pending(gz));
	again = feed_bad(gz, "x", 1, &out);
	ck_assert_str_eq(again, cause);
	check_same(&out, &s.text);
	free(cause);
	free(again);
	gz_free(gz);
	buf_free(&out);
	buf_free(&data);
	buf_free(&want);
	stream_free(&s);
}
END_TEST

START_TEST(test_corrupt_id2)
{
	struct stream s = { 0 };
	struct gz *gz = gz_new();
	struct buf out = BUF_INIT;
	char *cause;

	stream_adds(&s, "one\n", NULL);
	feed_ok(gz, s.gz.p, s.gz.len, &out);
	feed_ok(gz, "\x1f", 1, &out);
	ck_assert(gz_pending(gz));
	cause = feed_bad(gz, "\x8c", 1, &out);
	ck_assert_ptr_nonnull(strstr(cause, "at byte"));
	check_same(&out, &s.text);
	free(cause);
	gz_free(gz);
	buf_free(&out);
	stream_free(&s);
}
END_TEST

/* A stream that must be gzip (a *.gz file): plain text, even text that
 * starts with ID1, fails at once; padding zeros, nothing at all and
 * members still decode; garbage after a member is corruption as usual. */
START_TEST(test_expect_gzip)
{
	static const char *const plain[] = { "{\"a\":1}\n", "\x1f not gzip\n" };
	struct stream s = { 0 };
	struct buf out = BUF_INIT, data = BUF_INIT;
	struct gz *gz;
	char *cause;
	size_t k;

	for (k = 0; k < 2; k++) {
		gz = gz_new();
		gz_expect_gzip(gz);
		cause = feed_bad(gz, plain[k], strlen(plain[k]), &out);
		ck_assert_str_eq(cause, "not gzip data (no gzip header where it starts)");
		ck_assert_uint_eq(out.len, 0);
		free(cause);
		gz_free(gz);
	}
	gz = gz_new();
	gz_expect_gzip(gz);
	feed_ok(gz, "", 0, &out);
	ck_assert(!gz_pending(gz));
	stream_adds(&s, "one\n", NULL);
	buf_add(&data, "\0\0", 2);
	buf_add(&data, s.gz.p, s.gz.len);
	feed_ok(gz, data.p, data.len, &out);
	check_same(&out, &s.text);
	cause = feed_bad(gz, "junk", 4, &out);
	ck_assert_ptr_nonnull(strstr(cause, "not a gzip member"));
	free(cause);
	gz_free(gz);
	buf_free(&out);
	buf_free(&data);
	stream_free(&s);
}
END_TEST

START_TEST(test_corrupt_flipped)
{
	struct stream s = { 0 };
	struct gz *gz = gz_new();
	struct buf out = BUF_INIT, big = BUF_INIT;
	char *cause;
	size_t at;

	stream_adds(&s, "one\n", NULL);
	make_text(&big, 5000, 11);
	stream_add(&s, big.p, big.len, NULL, 6);
	stream_adds(&s, "three\n", NULL);
	at = (s.start[1] + s.end[1]) / 2;
	s.gz.p[at] ^= 0x55;
	cause = feed_bad(gz, s.gz.p, s.gz.len, &out);
	ck_assert_msg(strncmp(cause, "gzip data corrupt at byte ", 26) == 0,
	    "cause: %s", cause);
	ck_assert_uint_ge(out.len, 4);
	ck_assert(memcmp(out.p, "one\n", 4) == 0);
	ck_assert_uint_eq(gz_members(gz), 1);
	free(cause);
	gz_free(gz);
	buf_free(&out);
	buf_free(&big);
	stream_free(&s);
}
END_TEST

/* Damage byte `at` of a two-member stream; expect a cause naming it. */
static void
check_damaged(size_t (*where)(const struct stream *), const char *why,
    const struct hdr *h)
{
	struct stream s = { 0 };
	struct gz *gz = gz_new();
	struct buf out = BUF_INIT, want = BUF_INIT;
	char *cause;
	size_t at;

	stream_adds(&s, "one\n", NULL);
	stream_adds(&s, "two\n", h);
	at = where(&s);
	s.gz.p[at] ^= 0x20;
	cause = feed_bad(gz, s.gz.p, s.gz.len, &out);
	buf_printf(&want, "gzip data corrupt at byte %zu: %s", at, why);
	ck_assert_str_eq(cause, want.p);
	ck_assert_uint_ge(out.len, 4);
	ck_assert(memcmp(out.p, "one\n", 4) == 0);
	free(cause);
	gz_free(gz);
	buf_free(&out);
	buf_free(&want);
	stream_free(&s);
}

static size_t
crc_byte(const struct stream *s)
{
	return s->end[1] - 8;
}

static size_t
isize_byte(const struct stream *s)
{
	return s->end[1] - 4;
}

static size_t
method_byte(const struct stream *s)
{
	return s->start[1] + 2;
}

static size_t
flags_byte(const struct stream *s)
{
	return s->start[1] + 3;
}

/* Only FHCRC set: the CRC16 follows the fixed 10 bytes. */
static size_t
hcrc_byte(const struct stream *s)
{
	return s->start[1] + 10;
}

START_TEST(test_corrupt_trailer_and_header)
{
	static const struct hdr hcrc = { NULL, NULL, NULL, 0, true };

	check_damaged(crc_byte, "CRC-32 mismatch", NULL);
	check_damaged(isize_byte, "length mismatch", NULL);
	check_damaged(method_byte, "unknown compression method", NULL);
	check_damaged(flags_byte, "reserved header flags set", NULL);
	check_damaged(hcrc_byte, "header CRC mismatch", &hcrc);
}
END_TEST

START_TEST(test_trailing_zeros)
{
	static const char zeros[64];
	struct stream s = { 0 }, t = { 0 };
	struct gz *gz = gz_new();
	struct buf out = BUF_INIT;
	char *cause;

	stream_adds(&s, "one\n", NULL);
	stream_adds(&t, "two\n", NULL);
	feed_ok(gz, s.gz.p, s.gz.len, &out);
	feed_ok(gz, zeros, sizeof zeros, &out);
	ck_assert(!gz_pending(gz));
	feed_ok(gz, t.gz.p, t.gz.len, &out);
	ck_assert_str_eq(buf_str(&out), "one\ntwo\n");
	ck_assert_uint_eq(gz_members(gz), 2);
	ck_assert_uint_eq(gz_index(gz)->points[1].in, s.gz.len + sizeof zeros);
	feed_ok(gz, zeros, 3, &out);
	cause = feed_bad(gz, "\0\1", 2, &out);
	ck_assert_ptr_nonnull(strstr(cause, "at byte"));
	free(cause);
	gz_free(gz);
	buf_free(&out);
	stream_free(&s);
	stream_free(&t);
}
END_TEST

static int
collect_then_stop(void *arg, const char *p, size_t len)
{
	buf_add(arg, p, len);
	return 1;
}

/* After a stop, feeding again from gz_total_in() loses nothing. */
static void
check_stop_resume(const struct buf *in, const struct buf *text)
{
	struct gz *gz = gz_new();
	struct buf out = BUF_INIT;
	char *cause = NULL;
	size_t at;
	int stops = 0;

	for (;;) {
		at = gz_total_in(gz);
		if (gz_feed(gz, in->p + at, in->len - at, collect_then_stop,
		    &out, &cause) == 0)
			break;
		ck_assert_ptr_null(cause);
		ck_assert_int_lt(++stops, 1000);
	}
	ck_assert_int_gt(stops, 0);
	check_same(&out, text);
	gz_free(gz);
	buf_free(&out);
}

START_TEST(test_stop_and_resume)
{
	struct stream s = { 0 };
	struct buf big = BUF_INIT;

	make_text(&big, 2 * 1024 * 1024, 5);
	stream_adds(&s, "one\n", NULL);
	stream_add(&s, big.p, big.len, NULL, 1);
	stream_adds(&s, "three\n", NULL);
	check_stop_resume(&s.gz, &s.text);
	check_stop_resume(&big, &big);
	buf_free(&big);
	stream_free(&s);
}
END_TEST

START_TEST(test_read_at_members)
{
	struct stream s = { 0 };
	struct gz *gz = gz_new();
	struct buf out = BUF_INIT, text = BUF_INIT;
	size_t i;
	int fd;

	for (i = 0; i < 300; i++) {
		make_text(&text, i % 7 == 0 ? 0 : (i * 37) % 900, i);
		stream_add(&s, text.p, text.len, NULL, i % 10);
	}
	feed_ok(gz, s.gz.p, s.gz.len, &out);
	check_same(&out, &s.text);
	fd = temp_file(s.gz.p, s.gz.len);
	check_random_reads(fd, gz_index(gz), &s.text, 3000, 3000);
	close(fd);
	gz_free(gz);
	buf_free(&out);
	buf_free(&text);
	stream_free(&s);
}
END_TEST

START_TEST(test_read_at_plain)
{
	struct gz *gz = gz_new();
	struct buf out = BUF_INIT, text = BUF_INIT;
	int fd;

	make_text(&text, 100000, 9);
	feed_ok(gz, text.p, text.len, &out);
	fd = temp_file(text.p, text.len);
	check_random_reads(fd, gz_index(gz), &text, 1000, 5000);
	close(fd);
	gz_free(gz);
	buf_free(&out);
	buf_free(&text);
}
END_TEST

/* Reads that start just before, at and just after every access point, and
 * across it: where a read must switch from one point to the next. */
static void
check_point_reads(int fd, const struct gz_index *idx, const struct buf *text)
{
	uint64_t out;
	size_t i;

	for (i = 0; i < idx->npoints; i++) {
		out = idx->points[i].out;
		if (out > 0) {
			check_read(fd, idx, text, out - 1, 1);
			check_read(fd, idx, text, out - 1, 2);
		}
		if (out > 100000)
			check_read(fd, idx, text, out - 100000, 200000);
		check_read(fd, idx, text, out, 1);
		check_read(fd, idx, text, out + 1, 70000);
	}
}

/* Long members get points inside them, and reads from those work. */
static void
check_big_member(const struct buf *big, int level)
{
	struct stream s = { 0 };
	struct gz *gz = gz_new();
	struct buf out = BUF_INIT;
	const struct gz_index *idx;
	size_t i, inside = 0, withbits = 0;
	int fd;

	stream_adds(&s, "before\n", NULL);
	stream_add(&s, big->p, big->len, NULL, level);
	stream_adds(&s, "after\n", NULL);
	feed_ok(gz, s.gz.p, s.gz.len, &out);
	check_same(&out, &s.text);
	idx = gz_index(gz);
	for (i = 0; i < idx->npoints; i++) {
		if (i > 0)
			ck_assert_uint_ge(idx->points[i].out,
			    idx->points[i - 1].out);
		if (idx->points[i].window != NULL)
			inside++;
		if (idx->points[i].bits != 0)
			withbits++;
	}
	/* gz.c makes a point every 2 MiB of output inside a member; an
	 * 8 MiB member needs at least 3 to keep reads short. */
	ck_assert_uint_ge(inside, 3);
	/* zlib's points sit at block boundaries, mostly mid-byte; ISA-L's
	 * hold its whole state and start at a whole byte. */
	if (level != 0 && idx->backend == INFLATER_ZLIB)
		ck_assert_uint_gt(withbits, 0);
	check_member_points(gz, &s);
	fd = temp_file(s.gz.p, s.gz.len);
	/* Each read inflates up to GZ_SPAN (2 MiB) from its point: the reads
	 * around every point, then a few anywhere, keep this fast enough to
	 * run under valgrind. */
	check_point_reads(fd, idx, &s.text);
	check_random_reads(fd, idx, &s.text, 40, 200000);
	close(fd);
	gz_free(gz);
	buf_free(&out);
	stream_free(&s);
}

START_TEST(test_read_at_big_member)
{
	struct buf big = BUF_INIT;

	make_text(&big, 8 * 1024 * 1024, 1);
	check_big_member(&big, 6);
	check_big_member(&big, 1);
	check_big_member(&big, 0);
	buf_free(&big);
}
END_TEST

START_TEST(test_read_at_torn)
{
	struct stream s = { 0 };
	struct gz *gz = gz_new();
	struct buf out = BUF_INIT, big = BUF_INIT;
	size_t cut;
	int fd;

	stream_adds(&s, "one\n", NULL);
	make_text(&big, 3 * 1024 * 1024, 2);
	stream_add(&s, big.p, big.len, NULL, 6);
	cut = s.gz.len - 1000;
	feed_ok(gz, s.gz.p, cut, &out);
	ck_assert(gz_pending(gz));
	fd = temp_file(s.gz.p, cut);
	check_point_reads(fd, gz_index(gz), &out);
	check_random_reads(fd, gz_index(gz), &out, 40, 100000);
	close(fd);
	gz_free(gz);
	buf_free(&out);
	buf_free(&big);
	stream_free(&s);
}
END_TEST

START_TEST(test_read_at_corrupt)
{
	struct stream s = { 0 };
	struct gz *gz = gz_new();
	struct buf out = BUF_INIT;
	char got[16], *cause = NULL;
	int fd;

	stream_adds(&s, "one\n", NULL);
	feed_ok(gz, s.gz.p, s.gz.len, &out);
	s.gz.p[s.start[0] + 2] = 9;
	fd = temp_file(s.gz.p, s.gz.len);
	ck_assert_int_eq(gz_read_at(fd, gz_index(gz), 0, got, sizeof got,
	    &cause), -1);
	ck_assert_ptr_nonnull(cause);
	ck_assert_ptr_nonnull(strstr(cause, "unknown compression method"));
	free(cause);
	close(fd);
	gz_free(gz);
	buf_free(&out);
	stream_free(&s);
}
END_TEST

static Suite *
gz_suite(void)
{
	Suite *s = suite_create("gz");
	TCase *tc = tcase_create("core");

	tcase_set_timeout(tc, 600);
	tcase_add_test(tc, test_plain);
	tcase_add_test(tc, test_plain_starting_with_id1);
	tcase_add_test(tc, test_empty_input);
	tcase_add_test(tc, test_single_member);
	tcase_add_test(tc, test_many_members);
	tcase_add_test(tc, test_header_fields);
	tcase_add_test(tc, test_empty_members);
	tcase_add_test(tc, test_split_in_two);
	tcase_add_test(tc, test_byte_by_byte);
	tcase_add_test(tc, test_torn);
	tcase_add_test(tc, test_torn_header_fields);
	tcase_add_test(tc, test_corrupt_garbage);
	tcase_add_test(tc, test_corrupt_id2);
	tcase_add_test(tc, test_corrupt_flipped);
	tcase_add_test(tc, test_expect_gzip);
	tcase_add_test(tc, test_corrupt_trailer_and_header);
	tcase_add_test(tc, test_trailing_zeros);
	tcase_add_test(tc, test_stop_and_resume);
	tcase_add_test(tc, test_read_at_members);
	tcase_add_test(tc, test_read_at_plain);
	tcase_add_test(tc, test_read_at_big_member);
	tcase_add_test(tc, test_read_at_torn);
	tcase_add_test(tc, test_read_at_corrupt);
	suite_add_tcase(s, tc);
	return s;
}

/* Every test with each inflate this build has: ISA-L (when built with
 * it) and zlib, the fallback, which must stay alive. */
int
main(void)
{
	static const enum inflater_backend backends[] = { INFLATER_ISAL, INFLATER_ZLIB };
	size_t i;
	int failed = 0;

	for (i = 0; i < sizeof backends / sizeof backends[0]; i++) {
		if (!inflater_set_default(backends[i]))
			continue;
		printf("inflate: %s\n", inflater_name(backends[i]));
		failed += check_failures(gz_suite());
	}
	return failed > 0 ? EXIT_FAILURE : EXIT_SUCCESS;
}
