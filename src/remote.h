/* SPDX-License-Identifier: MIT */
/*
 * remote.h — the client of a remote mcp-agent inspector's HTTP API
 * (doc/reference.md §4): the session list (remote_sessions.c), trace
 * downloads and tails (remote_trace.c), and the event stream with its
 * reconnect policy (remote_events.c), on one client object (remote.c).
 * Not the browser's inspector pane (ui_inspector.c), which shows a span.
 * Everything is asynchronous on http.c; the owner's poll loop drives it
 * (remote_http for the sockets, *_tick for timers).
 */
#ifndef REMOTE_H
#define REMOTE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct http;

/* One SessionMeta of GET /sessions; strings owned by the array. */
struct remote_session {
	char *id, *status, *engine, *title;
	int64_t started_at, ended_at;   /* Unix ns, SPAN_TIME_NONE when absent */
	unsigned chunks;   /* rotated chunk rows folded in (remote_chunks.h):
	                      files of the session /trace/ID does not serve */
};

struct buf;

/* Parse a /sessions answer {"sessions":[SessionMeta…]} into *out (n
 * entries; free with remote_sessions_free).  Invalid UTF-8 is read as
 * U+FFFD; an element that is not an object with a non-empty string id is
 * skipped; a real inspector's chunk rows are folded (remote_chunks.h).  -1 (nothing in *out) when the text is not that shape. */
int remote_parse_sessions(const char *json, size_t len, struct remote_session **out,
    size_t *n);
void remote_sessions_free(struct remote_session *, size_t n);

/* base + "/trace/" + id with every byte outside [A-Za-z0-9_~-] percent-
 * encoded: no id can add a path segment or a dot segment.  Caller frees. */
char *remote_trace_url(const char *base, const char *id);

/* The one line worth showing from an error answer's body: FastAPI's
 * {"detail": "..."} for JSON, the first line of text/plain; at most 200
 * bytes, appended to out unsanitised.  -1 when there is none (HTML...). */
int remote_error_detail(struct buf *out, const char *ctype, const char *body,
    size_t n);


struct remote;

/* url: http(s)://host[:port][/_inspector][/]; port 7800 when none.
 * NULL with *cause when the URL cannot be used (or when
 * MCP_INSPECT_TUI_SPOOL_MAX, the limit of text spooled per trace, is set
 * but not a size). */
struct remote *remote_new(const char *url, const char *token, char **cause);
void remote_free(struct remote *);
struct http *remote_http(const struct remote *);
/* The API base, e.g. http://127.0.0.1:7800/_inspector (for messages). */
const char *remote_base(const struct remote *);

/* GET /sessions.  error is NULL on success; the array is valid during the
 * call only. */
typedef void (*remote_sessions_fn)(void *arg, const struct remote_session *, size_t n,
    const char *error);
void remote_get_sessions(struct remote *, remote_sessions_fn, void *arg);

/*
 * A session's trace, downloaded into an unlinked temporary file of
 * decompressed text (every gzip member decoded), which a session reads like
 * a growing local file (session_ref.spooled).  remote_trace_tail asks for
 * what was written since with Range: bytes=N- (N = text received so far).
 * A trace opened again is revalidated with If-None-Match and reused on 304.
 */
struct remote_trace;

struct remote_trace *remote_trace_get(struct remote *, const char *id);
int remote_trace_fd(const struct remote_trace *);      /* the spool (not the caller's) */
bool remote_trace_busy(const struct remote_trace *);   /* a request is running */
bool remote_trace_loaded(const struct remote_trace *); /* the first download ended well */
/* Why the last request failed (one line, sanitised), or NULL. */
const char *remote_trace_error(const struct remote_trace *);
/* The download stopped early — at the spool limit, with too little disk
 * left, or at corrupt gzip data — and is not asked for again; the text
 * before the stop is in the spool and reads (remote_trace_error says why). */
bool remote_trace_truncated(const struct remote_trace *);
/* The HTTP status of the last answer (0 before any): a 404 is what
 * makes a session id unknown. */
long remote_trace_http_status(const struct remote_trace *);
/* The last answer broke off: what came is in the spool, and the next
 * remote_trace_tail asks for the rest (remote_trace_error says what broke). */
bool remote_trace_partial(const struct remote_trace *);
uint64_t remote_trace_bytes(const struct remote_trace *); /* text received */
/* Ask for new text, unless a request is already running. */
void remote_trace_tail(struct remote_trace *);

/* The event stream. */
enum remote_conn {
	REMOTE_CONNECTING,   /* a connection attempt is running */
	REMOTE_LIVE,         /* connected; events arrive */
	REMOTE_WAITING,      /* reconnecting after a delay */
	REMOTE_OFFLINE,      /* several attempts failed; still retrying, slower */
};

struct remote_events;

/* An event: its JSON data (one object) and id ("" when none). */
typedef void (*remote_event_fn)(void *arg, const char *json, size_t len, const char *id);
/* The connection changed; why is a one-line reason or NULL.  On every
 * change to REMOTE_LIVE the owner must re-read /sessions: the server does
 * not replay missed events. */
typedef void (*remote_conn_fn)(void *arg, enum remote_conn, const char *why);
/* Something was dropped but the stream goes on (a line over 4 MiB): a
 * one-line, sanitised message.  May be NULL. */
typedef void (*remote_notice_fn)(void *arg, const char *msg);

struct remote_events *remote_events_open(struct remote *, remote_event_fn, remote_conn_fn,
    remote_notice_fn, void *arg);
void remote_events_free(struct remote_events *);
enum remote_conn remote_events_state(const struct remote_events *);
/* Seconds until the next attempt while waiting or offline. */
int remote_events_retry_in(const struct remote_events *);
/* Run timers (reconnects, the keep-alive watchdog); call every loop turn.
 * Returns the milliseconds until it wants to run again. */
long remote_events_tick(struct remote_events *);

/* The fields of an inspector event (doc/reference.md §4) that clients use; strings
 * are NULL when absent and owned until remote_event_clear. */
struct remote_event {
	char *type, *session_id, *engine, *title, *status, *error;
	char *signal_name, *prompt;
	int64_t start_time, end_time;  /* Unix ns, SPAN_TIME_NONE when absent */
	int64_t span_count;            /* current_span_count, -1 when absent */
	int64_t tokens_delta;          /* -1 when absent */
};

/* Read an event's JSON object; -1 when it is not one (fields then stay
 * absent).  Unknown fields are ignored. */
int remote_event_parse(struct remote_event *, const char *json, size_t len);
void remote_event_clear(struct remote_event *);

/* An inspector time ("2025-07-01T08:00:00.001296", no zone = UTC) or
 * null → Unix ns; SPAN_TIME_NONE when absent or malformed. */
int64_t remote_time(const char *s);

#endif
