/* SPDX-License-Identifier: MIT */
/* test_sse.c — tests for the WHATWG event-stream parser. */
#include <check.h>
#include <malloc.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#ifdef __SANITIZE_ADDRESS__
/* From libasan (sanitizer/allocator_interface.h, not always installed):
 * malloc statistics do not see ASan's allocator. */
size_t __sanitizer_get_current_allocated_bytes(void);
#endif

#include "check_main.h"
#include "buf.h"
#include "sse.h"
#include "text.h"
#include "xmalloc.h"

#ifndef FORMATS_DIR
#define FORMATS_DIR "tests/formats"
#endif

/* U+FFFD as it appears in a log. */
#define R "\\xef\\xbf\\xbd"

#define MAX_LINE 4096

/* A literal and its length, NULs and all. */
#define TEXT(s) s, sizeof s - 1

/*
 * One parser and what it reported: a log with "type|data|id\n" per event
 * and "retry N\n" per retry, in order, every byte of the strings visible.
 */
struct run {
	struct sse *sse;
	struct buf log;
	size_t max_line;
	int events;
	int stop_at;	/* the event callback returns 7 for this event */
};

static void
add_escaped(struct buf *b, const char *s, size_t n)
{
	unsigned char c;
	size_t i;

	for (i = 0; i < n; i++) {
		c = (unsigned char)s[i];
		if (c == '\n')
			buf_adds(b, "\\n");
		else if (c < 0x20 || c >= 0x7f || c == '|' || c == '\\')
			buf_printf(b, "\\x%02x", c);
		else
			buf_addc(b, (char)c);
	}
}

static int
valid_utf8(const char *s, size_t n)
{
	size_t i = 0, len;
	unsigned cp;

	while (i < n) {
		len = utf8_decode((const unsigned char *)s + i, n - i, &cp);
		if (len == 0)
			return 0;
		i += len;
	}
	return 1;
}

static int
on_event(void *arg, const struct sse_event *ev)
{
	struct run *r = arg;

	/* What the callback gets is always decoded text, and bounded. */
	ck_assert_uint_le(ev->data_len, r->max_line);
	ck_assert_int_eq(ev->data[ev->data_len], '\0');
	ck_assert_uint_ne(strlen(ev->type), 0);
	ck_assert(valid_utf8(ev->type, strlen(ev->type)));
	ck_assert(valid_utf8(ev->data, ev->data_len));
	ck_assert(valid_utf8(ev->id, strlen(ev->id)));

	add_escaped(&r->log, ev->type, strlen(ev->type));
	buf_addc(&r->log, '|');
	add_escaped(&r->log, ev->data, ev->data_len);
	buf_addc(&r->log, '|');
	add_escaped(&r->log, ev->id, strlen(ev->id));
	buf_addc(&r->log, '\n');
	return ++r->events == r->stop_at ? 7 : 0;
}

static void
on_retry(void *arg, uint64_t ms)
{
	struct run *r = arg;

	buf_printf(&r->log, "retry %llu\n", (unsigned long long)ms);
}

static void
run_init(struct run *r, size_t max_line)
{
	memset(r, 0, sizeof *r);
	r->max_line = max_line;
	r->sse = sse_new(max_line, on_event, on_retry, r);
}

static void
run_free(struct run *r)
{
	sse_free(r->sse);
	buf_free(&r->log);
}

static void
feed(struct run *r, const char *p, size_t len)
{
	ck_assert_int_eq(sse_feed(r->sse, p, len), 0);
}

static void
feeds(struct run *r, const char *s)
{
	feed(r, s, strlen(s));
}

/*
 * Feed text whole, in two pieces split at every position and a byte at a
 * time; each way must report want, end with last id want_id and have
 * dropped want_dropped.
 */
static void
check_text(const char *text, size_t len, size_t max_line, const char *want,
    const char *want_id, uint64_t want_dropped)
{
	struct run r;
	size_t k, i;

	for (k = 0; k <= len + 1; k++) {
		run_init(&r, max_line);
		if (k <= len) {
			feed(&r, text, k);
			feed(&r, text + k, len - k);
		} else {
			for (i = 0; i < len; i++)
				feed(&r, text + i, 1);
		}
		ck_assert_msg(strcmp(buf_str(&r.log), want) == 0,
		    "split %zu of %zu: got \"%s\", want \"%s\"", k, len,
		    buf_str(&r.log), want);
		ck_assert_str_eq(sse_last_id(r.sse), want_id);
		ck_assert_uint_eq(sse_dropped(r.sse), want_dropped);
		run_free(&r);
	}
}

static void
check(const char *text, const char *want, const char *want_id)
{
	check_text(text, strlen(text), MAX_LINE, want, want_id, 0);
}

/* Bytes the heap holds now, to see that a parser's memory stays bounded. */
static size_t
heap_used(void)
{
#ifdef __SANITIZE_ADDRESS__
	return __sanitizer_get_current_allocated_bytes();
#else
	struct mallinfo2 mi = mallinfo2();

	return mi.uordblks + mi.hblkhd;
#endif
}

static size_t
grown_since(size_t base)
{
	size_t now = heap_used();

	return now > base ? now - base : 0;
}

static char *
read_sample(size_t *len)
{
	struct buf b = BUF_INIT;
	char chunk[4096];
	size_t n;
	FILE *f;

	f = fopen(FORMATS_DIR "/inspector-events.sse", "rb");
	ck_assert_ptr_nonnull(f);
	while ((n = fread(chunk, 1, sizeof chunk, f)) > 0)
		buf_add(&b, chunk, n);
	fclose(f);
	*len = b.len;
	return buf_detach(&b);
}

/* Rewrite the sample's LF line ends as eol. */
static char *
with_line_ends(const char *text, size_t len, const char *eol, size_t *outlen)
{
	struct buf b = BUF_INIT;
	size_t i;

	for (i = 0; i < len; i++) {
		if (text[i] == '\n')
			buf_adds(&b, eol);
		else
			buf_addc(&b, text[i]);
	}
	*outlen = b.len;
	return buf_detach(&b);
}

/*
 * What the inspector's stream must give: its six data lines as message
 * events, the first without an id, the last keep-alive still under id 4
 * (the last event ID buffer is never cleared), each preceded by its retry.
 */
static char *
sample_want(const char *text)
{
	static const char *ids[] = { "", "1", "2", "3", "4", "4" };
	static const char *types[] = { "Connected", "SessionStarted",
	    "Heartbeat", "WaitingOnSignal", "SessionFinished", "Heartbeat" };
	struct buf want = BUF_INIT;
	const char *p = text, *nl;
	char type[64];
	size_t n = 0;

	for (; (nl = strchr(p, '\n')) != NULL; p = nl + 1) {
		if (strncmp(p, "data: ", 6) != 0)
			continue;
		ck_assert_uint_lt(n, 6);
		snprintf(type, sizeof type, "{\"type\": \"%s\"", types[n]);
		ck_assert(strncmp(p + 6, type, strlen(type)) == 0);
		buf_printf(&want, "retry 2000\nmessage|%.*s|%s\n",
		    (int)(nl - p - 6), p + 6, ids[n]);
		n++;
	}
	ck_assert_uint_eq(n, 6);
	return buf_detach(&want);
}

START_TEST(test_sample)
{
	char *text, *want;
	size_t len;

	text = read_sample(&len);
	want = sample_want(text);
	check_text(text, len, MAX_LINE, want, "4", 0);
	free(want);
	free(text);
}
END_TEST

START_TEST(test_sample_line_ends)
{
	static const char *eols[] = { "\r\n", "\r" };
	char *text, *want, *other;
	size_t len, olen, i;

	text = read_sample(&len);
	want = sample_want(text);
	for (i = 0; i < sizeof eols / sizeof eols[0]; i++) {
		other = with_line_ends(text, len, eols[i], &olen);
		check_text(other, olen, MAX_LINE, want, "4", 0);
		free(other);
	}
	free(want);
	free(text);
}
END_TEST

START_TEST(test_line_ends)
{
	check("data: a\ndata: b\n\n", "message|a\\nb|\n", "");
	check("data: a\rdata: b\r\r", "message|a\\nb|\n", "");
	check("data: a\r\ndata: b\r\n\r\n", "message|a\\nb|\n", "");
	check("data: a\rdata: b\ndata: c\r\n\n", "message|a\\nb\\nc|\n", "");
	check("\n\r\r\n\r\n\n", "", "");
	/* CR CR LF: a line end, then a blank line. */
	check("data: x\r\r\ndata: y\n\n", "message|x|\nmessage|y|\n", "");
}
END_TEST

START_TEST(test_cr_lf_across_feeds)
{
	struct run r;

	/* The LF belongs to the CR: no blank line, so no dispatch. */
	run_init(&r, MAX_LINE);
	feeds(&r, "id: 7\r");
	feeds(&r, "\n");
	ck_assert_str_eq(sse_last_id(r.sse), "");
	feeds(&r, "data: a\r");
	feeds(&r, "\ndata: b\r");
	feeds(&r, "\n");
	ck_assert_str_eq(buf_str(&r.log), "");
	feeds(&r, "\r");
	feeds(&r, "\n");
	ck_assert_str_eq(buf_str(&r.log), "message|a\\nb|7\n");
	ck_assert_str_eq(sse_last_id(r.sse), "7");
	/* The blank line's CRLF split too: dispatched once. */
	feeds(&r, "data: c\r\n\r");
	feeds(&r, "\ndata: d\r\n\r\n");
	ck_assert_str_eq(buf_str(&r.log),
	    "message|a\\nb|7\nmessage|c|7\nmessage|d|7\n");
	/* A CR then something else: the CR alone ended the line. */
	feeds(&r, "data: e\r");
	feeds(&r, "data: f\r");
	feeds(&r, "\r");
	ck_assert_str_eq(buf_str(&r.log),
	    "message|a\\nb|7\nmessage|c|7\nmessage|d|7\nmessage|e\\nf|7\n");
	run_free(&r);
}
END_TEST

START_TEST(test_comments)
{
	check(": hi\n:\ndata: a\n: mid\ndata: b\n\n", "message|a\\nb|\n", "");
	check(": only a comment\n\n", "", "");
	check(":data: x\n\n", "", "");
	check(":\n:\n\n", "", "");
}
END_TEST

START_TEST(test_fields)
{
	check("data: a\ndata: b\n\n", "message|a\\nb|\n", "");
	check("data\n\n", "message||\n", "");
	check("data:\n\n", "message||\n", "");
	check("data\ndata\n\n", "message|\\n|\n", "");
	check("data:x\n\n", "message|x|\n", "");
	check("data:  two spaces\n\n", "message| two spaces|\n", "");
	check("data: a:b: c\n\n", "message|a:b: c|\n", "");
	check("data: trailing \n\n", "message|trailing |\n", "");
	check_text(TEXT("data: a\0b\n\n"), MAX_LINE, "message|a\\x00b|\n",
	    "", 0);
	/* Names are exact: anything else is ignored. */
	check("foo: bar\nDATA: x\ndata : y\n data: z\n\n", "", "");
	check("\n\n\n", "", "");
}
END_TEST

START_TEST(test_event_type)
{
	check("event: add\ndata: 1\n\ndata: 2\n\n",
	    "add|1|\nmessage|2|\n", "");
	check("event\ndata: 3\n\n", "message|3|\n", "");
	check("event: a\nevent: b\ndata: 4\n\n", "b|4|\n", "");
	/* A blank line without data still clears the type. */
	check("event: x\n\ndata: 5\n\n", "message|5|\n", "");
}
END_TEST

START_TEST(test_id)
{
	/* An id with NUL is ignored: the last id stays. */
	check_text(TEXT("id: 1\n\nid: 2\0x\ndata: a\n\n"), MAX_LINE,
	    "message|a|1\n", "1", 0);
	check("id: 1\ndata: a\n\nid\ndata: b\n\nid: 2\ndata: c\n\n"
	    "id:\ndata: d\n\n",
	    "message|a|1\nmessage|b|\nmessage|c|2\nmessage|d|\n", "");
	check("id: 3\ndata: a\n\ndata: b\n\n",
	    "message|a|3\nmessage|b|3\n", "3");
	/* A blank line sets the last id even when no event is dispatched. */
	check("id: 9\n\n", "", "9");
	/* An id not yet ended by a blank line is not the last id yet. */
	check("id: 9\n\nid: 10\ndata: x\n", "", "9");
	check("id: 5\ndata: x\nid: 6\n\n", "message|x|6\n", "6");
	check("id: \xff\ndata: x\n\n", "message|x|" R "\n", "\xef\xbf\xbd");
}
END_TEST

START_TEST(test_retry)
{
	check("retry: 10\nretry:20\nretry:  30\nretry: 4x\nretry: -1\n"
	    "retry:\nretry\nretry: 1.5\nretry: 18446744073709551615\n"
	    "retry: 18446744073709551616\nretry: 99999999999999999999999\n"
	    "retry: 0\nretry: 007\nRetry: 5\nretry : 5\n",
	    "retry 10\nretry 20\nretry 18446744073709551615\nretry 0\n"
	    "retry 7\n", "");
}
END_TEST

START_TEST(test_bom)
{
	struct run r;

	check("\xef\xbb\xbf" "data: a\n\n", "message|a|\n", "");
	/* Only one BOM is stripped; a second one is part of the field name. */
	check("\xef\xbb\xbf\xef\xbb\xbf" "data: a\n\ndata: b\n\n",
	    "message|b|\n", "");
	check("data: a\n\n\xef\xbb\xbf" "data: b\n\n", "message|a|\n", "");
	check("data: \xef\xbb\xbfx\n\n", "message|\\xef\\xbb\\xbfx|\n", "");
	/* Half a BOM is not one: it decodes to U+FFFD. */
	check("\xef\xbb" "data: a\n\ndata: b\n\n", "message|b|\n", "");
	check("\xef\xbb\rdata: a\r\r", "message|a|\n", "");
	check("\xef\n" "data: a\n\n", "message|a|\n", "");
	check("\xef\xbb\xbf\n" "data: a\n\n", "message|a|\n", "");

	/* A new connection may start with a BOM again. */
	run_init(&r, MAX_LINE);
	feeds(&r, "\xef\xbb\xbf" "data: a\n\n");
	sse_reset(r.sse);
	feeds(&r, "\xef\xbb");
	feeds(&r, "\xbf" "data: b\n\n");
	ck_assert_str_eq(buf_str(&r.log), "message|a|\nmessage|b|\n");
	run_free(&r);
}
END_TEST

START_TEST(test_utf8)
{
	check("data: a\xff" "b\xe2\x82" "c\xf0\x9f\x98\n\n",
	    "message|a" R "b" R "c" R "|\n", "");
	/* Overlong, surrogate, beyond U+10FFFF: one U+FFFD per bad byte. */
	check("data: \xc0\xaf\xed\xa0\x80\xf4\x90\x80\x80\n\n",
	    "message|" R R R R R R R R R "|\n", "");
	check("data: \xc3\xa9\xe2\x82\xac\xf0\x9f\x98\x80\n\n",
	    "message|\\xc3\\xa9\\xe2\\x82\\xac\\xf0\\x9f\\x98\\x80|\n", "");
	check("event: \xfe\ndata: \x80x\n\n", R "|" R "x|\n", "");
	/* A sequence cut by the line end is ill-formed. */
	check("data: \xe2\x82\r\n\n", "message|" R "|\n", "");
}
END_TEST

START_TEST(test_reset)
{
	struct run r;

	run_init(&r, 16);
	feeds(&r, "id: 1\ndata: a\n\nid: 2\nevent: e\ndata: b\n");
	sse_reset(r.sse);
	feeds(&r, "\n");
	ck_assert_str_eq(buf_str(&r.log), "message|a|1\n");
	ck_assert_str_eq(sse_last_id(r.sse), "1");
	/* The new stream's blank lines keep the last id. */
	feeds(&r, "data: c\n\n");
	feeds(&r, "data: d");
	sse_reset(r.sse);
	feeds(&r, "ta: x\n\n");
	/* A CR at the very end does not swallow the new stream's LF. */
	feeds(&r, "data: e\r");
	sse_reset(r.sse);
	feeds(&r, "\ndata: f\n\n");
	/* Nor does a line being skipped for length go on being skipped. */
	feeds(&r, "data: 0123456789abcdef");
	sse_reset(r.sse);
	feeds(&r, "data: g\n\n");
	ck_assert_str_eq(buf_str(&r.log),
	    "message|a|1\nmessage|c|1\nmessage|f|1\nmessage|g|1\n");
	ck_assert_uint_eq(sse_dropped(r.sse), 1);
	run_free(&r);
}
END_TEST

START_TEST(test_max_line)
{
	/* A line of max_line bytes is kept, one more is dropped whole. */
	check_text(TEXT("data:0123456789a\n\n"), 16, "message|0123456789a|\n",
	    "", 0);
	check_text(TEXT("data:0123456789ab\n\ndata: ok\n\n"), 16,
	    "message|ok|\n", "", 1);
	/* A dropped line takes its event with it... */
	check_text(TEXT("id: 1\ndata: a\ndata: 0123456789abcdef\ndata: b\n\n"
	    "data: c\n\n"), 16, "message|c|1\n", "1", 1);
	/* ...unless it was a comment. */
	check_text(TEXT("data: a\n: 0123456789abcdefgh\ndata: b\n\n"), 16,
	    "message|a\\nb|\n", "", 1);
	/* Data of exactly max_line bytes is dispatched, more is dropped. */
	check_text(TEXT("data:01234567\ndata:0123456\n\n"), 16,
	    "message|01234567\\n0123456|\n", "", 0);
	check_text(TEXT("data:01234567\ndata:01234567\n\ndata: ok\n\n"), 16,
	    "message|ok|\n", "", 1);
	/* Decoding grows text: six bad bytes are 18 bytes of U+FFFD. */
	check_text(TEXT("data:\xff\xff\xff\xff\xff\xff\n\ndata: ok\n\n"), 16,
	    "message|ok|\n", "", 1);
	/* The dropped event's other fields still count. */
	check_text(TEXT("data:0123456789\ndata:0123456789\nretry: 5\n"
	    "id: 3\n\n"), 16, "retry 5\n", "3", 1);
}
END_TEST

START_TEST(test_huge_line_pieces)
{
	const size_t max_line = 1 << 20, piece = 1 << 16, total = 50 << 20;
	size_t base, peak = 0, n;
	struct run r;
	char *chunk;

	chunk = xmalloc(piece);
	memset(chunk, 'x', piece);
	run_init(&r, max_line);
	feeds(&r, "id: 1\ndata: a\n\ndata: ");
	base = heap_used();
	for (n = 0; n < total; n += piece) {
		feed(&r, chunk, piece);
		if (grown_since(base) > peak)
			peak = grown_since(base);
	}
	feeds(&r, "\n\ndata: ok\n\n");
	ck_assert_uint_le(peak, 3 * max_line);
	ck_assert_uint_eq(sse_dropped(r.sse), 1);
	ck_assert_str_eq(buf_str(&r.log), "message|a|1\nmessage|ok|1\n");
	run_free(&r);
	free(chunk);
}
END_TEST

START_TEST(test_huge_line_whole)
{
	static const char head[] = "data: ", tail[] = "\n\ndata: ok\n\n";
	const size_t max_line = 1 << 20, total = 50 << 20;
	struct run r;
	size_t base;
	char *text;

	text = xmalloc(total);
	memcpy(text, head, sizeof head - 1);
	memset(text + sizeof head - 1, 'x',
	    total - (sizeof head - 1) - (sizeof tail - 1));
	memcpy(text + total - sizeof tail + 1, tail, sizeof tail - 1);
	run_init(&r, max_line);
	base = heap_used();
	feed(&r, text, total);
	ck_assert_uint_le(grown_since(base), 3 * max_line);
	ck_assert_uint_eq(sse_dropped(r.sse), 1);
	ck_assert_str_eq(buf_str(&r.log), "message|ok|\n");
	run_free(&r);
	free(text);
}
END_TEST

START_TEST(test_stop)
{
	static const char text[] = "data: 1\n\ndata: 2\r\n\r\ndata: 3\n\n";
	struct run r;

	run_init(&r, MAX_LINE);
	r.stop_at = 2;
	ck_assert_int_eq(sse_feed(r.sse, text, sizeof text - 1), 7);
	ck_assert_str_eq(buf_str(&r.log), "message|1|\nmessage|2|\n");
	/* The parser is left at a line start, the CRLF half taken. */
	feeds(&r, "\nid: 4\n");
	ck_assert_str_eq(sse_last_id(r.sse), "");
	feeds(&r, "data: 5\n\n");
	ck_assert_str_eq(buf_str(&r.log),
	    "message|1|\nmessage|2|\nmessage|5|4\n");
	run_free(&r);
}
END_TEST

static uint32_t
rnd(uint32_t *state)
{
	*state = *state * 1103515245u + 12345u;
	return *state >> 8;
}

/* Random bytes, rich in the stream's syntax. */
static void
random_text(uint32_t *st, char *text, size_t len)
{
	static const char alphabet[] = "\r\n\n\n::: data:id:retry:event: 0129"
	    "\xef\xbb\xbf\xff\xc3\xa9\0";
	size_t i;

	for (i = 0; i < len; i++) {
		if (rnd(st) % 4 == 0)
			text[i] = (char)(rnd(st) & 0xff);
		else
			text[i] = alphabet[rnd(st) % (sizeof alphabet - 1)];
	}
}

START_TEST(test_random)
{
	struct run whole, split;
	char text[3000], id[256];
	size_t len, max_line, off, n, base;
	uint32_t st = 42;
	int round;

	for (round = 0; round < 400; round++) {
		len = rnd(&st) % sizeof text;
		max_line = 1 + rnd(&st) % 64;
		random_text(&st, text, len);

		run_init(&whole, max_line);
		base = heap_used();
		feed(&whole, text, len);
		ck_assert_uint_le(grown_since(base), 8192 + 32 * max_line);
		snprintf(id, sizeof id, "%s", sse_last_id(whole.sse));

		run_init(&split, max_line);
		for (off = 0; off < len; off += n) {
			n = 1 + rnd(&st) % 17;
			if (n > len - off)
				n = len - off;
			feed(&split, text + off, n);
		}
		ck_assert_str_eq(buf_str(&split.log), buf_str(&whole.log));
		ck_assert_str_eq(sse_last_id(split.sse), id);
		ck_assert_uint_eq(sse_dropped(split.sse),
		    sse_dropped(whole.sse));
		run_free(&whole);
		run_free(&split);
	}
}
END_TEST

static Suite *
sse_suite(void)
{
	Suite *s = suite_create("sse");
	TCase *tc = tcase_create("core");

	tcase_set_timeout(tc, 120);
	tcase_add_test(tc, test_sample);
	tcase_add_test(tc, test_sample_line_ends);
	tcase_add_test(tc, test_line_ends);
	tcase_add_test(tc, test_cr_lf_across_feeds);
	tcase_add_test(tc, test_comments);
	tcase_add_test(tc, test_fields);
	tcase_add_test(tc, test_event_type);
	tcase_add_test(tc, test_id);
	tcase_add_test(tc, test_retry);
	tcase_add_test(tc, test_bom);
	tcase_add_test(tc, test_utf8);
	tcase_add_test(tc, test_reset);
	tcase_add_test(tc, test_max_line);
	tcase_add_test(tc, test_huge_line_pieces);
	tcase_add_test(tc, test_huge_line_whole);
	tcase_add_test(tc, test_stop);
	tcase_add_test(tc, test_random);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	return check_main(sse_suite, "test_sse", NULL);
}
