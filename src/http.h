/* SPDX-License-Identifier: MIT */
/*
 * http.h — HTTP GETs on libcurl's multi interface, driven from the
 * program's own poll() loop (the UI never waits on the network).
 *
 * The owner asks which sockets to poll and for how long (http_pollfds,
 * http_timeout_ms), polls them together with its own descriptors, and
 * hands the results back (http_perform).  Transfers report body bytes as
 * they arrive and end with one done callback.  Response bodies are passed
 * through as sent: no Content-Encoding decoding (the caller decodes every
 * gzip member itself; libcurl's decoder is not asked to).
 */
#ifndef HTTP_H
#define HTTP_H

#include <poll.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct http;
struct http_req;

/* Body bytes of a 1xx/2xx answer; the status and headers are known by
 * then.  Return non-zero to abort the transfer (done then reports an
 * error).  The body of an answer with status 300 or more never comes here:
 * its first HTTP_ERROR_BODY_MAX bytes are kept for http_error_body and the
 * transfer ends there (done then reports it as completed), so an endless
 * error page costs nothing. */
typedef int (*http_body_fn)(void *arg, struct http_req *, const char *buf, size_t len);
/* The end of a transfer.  error is NULL when the transfer completed (any
 * HTTP status); else a one-line reason.  The request is freed after the
 * call returns. */
typedef void (*http_done_fn)(void *arg, struct http_req *, const char *error);

struct http_get {
	const char *url;
	const char *range_from;     /* "N" → Range: bytes=N-, or NULL */
	const char *if_none_match;  /* an ETag, or NULL */
	const char *last_event_id;  /* for an event stream reconnect, or NULL */
	bool stream;                /* long-lived: no stall detection */
	long timeout_ms;            /* whole transfer; 0: none */
	http_body_fn body;
	http_done_fn done;
	void *arg;
};

/* token: sent as X-Inspector-Token on every request when non-NULL.
 * NULL, with *cause, when libcurl cannot be loaded (curlapi.h). */
struct http *http_new(const char *token, char **cause);
void http_free(struct http *);          /* aborts transfers without callbacks */

struct http_req *http_start(struct http *, const struct http_get *);
/* Body handling one http_perform does before the rest waits for the next
 * (8 ms; a transfer still gets one piece a turn).  Tests set 0 to make
 * every byte wait.  Bytes that wait are held here, in order, before the
 * done callback; a transfer holding 1 MiB stops receiving until half of
 * that is handled.  http_held_max: the most one transfer holds now. */
void http_set_budget_ms(struct http *, int ms);
size_t http_held_max(const struct http *);
/* Abort a transfer; its done callback is not called. */
void http_cancel(struct http *, struct http_req *);

long http_status(const struct http_req *);
/* A response header's value (the last one seen), or NULL. */
const char *http_header(const struct http_req *, const char *name);
/* The start of an error answer's body (status >= 300); *len its length.
 * Untrusted: sanitise before showing it. */
#define HTTP_ERROR_BODY_MAX 4096
const char *http_error_body(const struct http_req *, size_t *len);
uint64_t http_received(const struct http_req *);
int64_t http_last_data_ms(const struct http_req *); /* monotonic ms */
bool http_busy(const struct http *);     /* any transfer running */

/* Poll integration: fill up to max pollfds; the number filled. */
int http_pollfds(struct http *, struct pollfd *, int max);
/* Milliseconds until libcurl wants to be called, or -1. */
long http_timeout_ms(struct http *);
/* After poll: pass the same array back (entries not ours are ignored). */
void http_perform(struct http *, const struct pollfd *, int n);

/* Run transfers until none is left or `until` says stop; for headless
 * modes.  until may be NULL. */
void http_run(struct http *, bool (*until)(void *), void *arg);

/* A one-line description of an HTTP status for people; token never shown. */
const char *http_status_text(long status);

#endif
