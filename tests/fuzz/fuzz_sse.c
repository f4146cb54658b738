/* SPDX-License-Identifier: MIT */
/*
 * fuzz_sse.c — libFuzzer target for the event-stream parser (sse.c).
 *
 * The first input byte is a control byte (run.sh prefixes the seeds
 * with a few): it picks max_line and how the rest, the response body,
 * is cut into pieces.  The body is parsed once in one feed and once in
 * those pieces; a byte-fed parser must not care where the network cut
 * its input, so both must dispatch the same events (type, data, id) and
 * retries, and end with the same last event id and drop count.  Every
 * event must also keep what sse.h promises: its data within max_line,
 * NUL-terminated, and all text valid UTF-8 (the spec's decode turns
 * ill-formed bytes into U+FFFD).  Then sse_reset and a second feed
 * cover reconnects.
 */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "fuzz_util.h"
#include "sse.h"
#include "text.h"

static const size_t max_lines[] = { 16, 256, 4096, 1u << 20 };

/* Everything the parser reported, in order, as one byte string. */
struct log {
	struct buf b;
	size_t max_line;
	unsigned events;
};

static void
check_utf8(const char *what, const char *s, size_t n)
{
	const unsigned char *u = (const unsigned char *)s;
	unsigned cp;
	size_t i = 0, len;

	while (i < n) {
		if ((len = utf8_decode(u + i, n - i, &cp)) == 0)
			fuzz_fail("sse: %s has invalid UTF-8 at byte %zu", what, i);
		i += len;
	}
}

static int
on_event(void *arg, const struct sse_event *ev)
{
	struct log *log = arg;

	if (ev->type == NULL || ev->data == NULL || ev->id == NULL)
		fuzz_fail("sse: event with a NULL member");
	if (ev->data_len > log->max_line)
		fuzz_fail("sse: %zu bytes of data with max_line %zu",
		    ev->data_len, log->max_line);
	if (ev->data[ev->data_len] != '\0')
		fuzz_fail("sse: data not NUL-terminated");
	check_utf8("type", ev->type, strlen(ev->type));
	check_utf8("data", ev->data, ev->data_len);
	check_utf8("id", ev->id, strlen(ev->id));
	buf_printf(&log->b, "event type=%s id=%s data[%zu]=", ev->type, ev->id,
	    ev->data_len);
	buf_add(&log->b, ev->data, ev->data_len);
	buf_addc(&log->b, '\n');
	log->events++;
	return 0;
}

static void
on_retry(void *arg, uint64_t ms)
{
	struct log *log = arg;

	buf_printf(&log->b, "retry %llu\n", (unsigned long long)ms);
}

/* Piece lengths from a small LCG: varied, and the same for an input. */
static size_t
next_piece(uint32_t *state, unsigned most)
{
	*state = *state * 1103515245u + 12345u;
	return 1 + (*state >> 16) % most;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct log whole = { BUF_INIT, 0, 0 }, pieces = { BUF_INIT, 0, 0 };
	struct sse *a, *b;
	const char *body;
	uint32_t state;
	size_t len, off, n, max_line;
	unsigned most;

	if (size == 0)
		return 0;
	max_line = max_lines[data[0] & 3];
	most = 1 + (data[0] >> 2) * 4;	/* pieces of 1 to 253 bytes */
	state = data[0];
	body = (const char *)data + 1;
	len = size - 1;
	whole.max_line = pieces.max_line = max_line;

	a = sse_new(max_line, on_event, on_retry, &whole);
	sse_feed(a, body, len);
	b = sse_new(max_line, on_event, on_retry, &pieces);
	for (off = 0; off < len; off += n) {
		n = next_piece(&state, most);
		if (n > len - off)
			n = len - off;
		sse_feed(b, body + off, n);
	}
	if (whole.b.len != pieces.b.len ||
	    (whole.b.len != 0 && memcmp(whole.b.p, pieces.b.p, whole.b.len)))
		fuzz_fail("sse: in one feed:\n%s\nin pieces of up to %u:\n%s",
		    buf_str(&whole.b), most, buf_str(&pieces.b));
	if (strcmp(sse_last_id(a), sse_last_id(b)) != 0 ||
	    sse_dropped(a) != sse_dropped(b))
		fuzz_fail("sse: last id or drop count depends on the pieces");
	check_utf8("last id", sse_last_id(a), strlen(sse_last_id(a)));

	/* A reconnect: the same body again after sse_reset. */
	sse_reset(b);
	sse_feed(b, body, len);
	sse_feed(b, body, 0);

	sse_free(a);
	sse_free(b);
	buf_free(&whole.b);
	buf_free(&pieces.b);
	return 0;
}
