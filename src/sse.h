/* SPDX-License-Identifier: MIT */
/*
 * sse.h — a WHATWG event-stream parser (the EventSource parsing model),
 * pure and byte-fed: no I/O, no clock.
 *
 * Feed it the response body in pieces of any size; it calls back once per
 * dispatched event.  It handles CR, LF and CRLF line ends even when a CR
 * and its LF arrive in different pieces, a leading UTF-8 BOM, comments,
 * multi-line data, `id` values containing NUL (ignored), and `retry` with
 * anything but ASCII digits (ignored).  Per the spec: an event with an
 * empty data buffer is not dispatched; the last event id persists across
 * events (and is what a reconnect sends as Last-Event-ID).
 */
#ifndef SSE_H
#define SSE_H

#include <stddef.h>
#include <stdint.h>

struct sse_event {
	const char *type;  /* "message" when no event field was given */
	const char *data;  /* data lines joined with '\n', trailing '\n' removed */
	size_t data_len;
	const char *id;    /* the last event id at dispatch ("" if none) */
};

/* Strings in ev are valid only during the call.  Return non-zero to stop
 * sse_feed (it then returns that value, leaving the rest of buf unparsed). */
typedef int (*sse_event_fn)(void *arg, const struct sse_event *ev);
/* Called when a valid retry field is seen (milliseconds). */
typedef void (*sse_retry_fn)(void *arg, uint64_t ms);

struct sse;

/* max_line bounds the bytes one line (and one event's data) may take;
 * beyond it the line is dropped, and with it the event unless the line was
 * a comment, so a hostile stream cannot grow memory. */
struct sse *sse_new(size_t max_line, sse_event_fn, sse_retry_fn, void *arg);
void sse_free(struct sse *);

int sse_feed(struct sse *, const char *buf, size_t len);

/* Start over for a new connection: discards a partial line and the data
 * and event type buffers, keeps the last event id (an id whose event had
 * not ended goes with it), expects a BOM again. */
void sse_reset(struct sse *);

/* The last event id ("" when none), for Last-Event-ID: the spec's "last
 * event ID string", which each blank line sets, so an id field is not
 * reported until the blank line that ends its event. */
const char *sse_last_id(const struct sse *);

/* Lines dropped for exceeding max_line since sse_new, and events dropped
 * because their data would. */
uint64_t sse_dropped(const struct sse *);

#endif
