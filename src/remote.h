/*
 * remote.h — the client of a remote mcp-agent inspector's HTTP API
 * (doc/reference.md §4): the session list (remote_sessions.c), trace
 * downloads and tails (remote_trace.c), and the event stream with its
 * reconnect policy (remote_events.c), on one client object (remote.c).
 * Not the browser's inspector pane (ui_inspector.c), which shows a span.
 * Everything is asynchronous on http.c; the owner's poll loop drives it
 * (inspector_http for the sockets, *_tick for timers).
 */
#ifndef REMOTE_H
#define REMOTE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct http;

/* One SessionMeta of GET /sessions; strings owned by the array. */
struct insp_session {
	char *id, *status, *engine, *title;
	int64_t started_at, ended_at;   /* Unix ns, SPAN_TIME_NONE when absent */
	unsigned chunks;   /* rotated chunk rows folded in (insp_chunks.h):
	                      files of the session /trace/ID does not serve */
};

struct buf;

/* Parse a /sessions answer {"sessions":[SessionMeta…]} into *out (n
 * entries; free with inspector_sessions_free).  Invalid UTF-8 is read as
 * U+FFFD; an element that is not an object with a non-empty string id is
 * skipped; a real inspector's chunk rows are folded (insp_chunks.h).  -1 (nothing in *out) when the text is not that shape. */
int inspector_parse_sessions(const char *json, size_t len, struct insp_session **out,
    size_t *n);
void inspector_sessions_free(struct insp_session *, size_t n);

/* base + "/trace/" + id with every byte outside [A-Za-z0-9_~-] percent-
 * encoded: no id can add a path segment or a dot segment.  Caller frees. */
char *inspector_trace_url(const char *base, const char *id);

/* The one line worth showing from an error answer's body: FastAPI's
 * {"detail": "..."} for JSON, the first line of text/plain; at most 200
 * bytes, appended to out unsanitised.  -1 when there is none (HTML...). */
int inspector_error_detail(struct buf *out, const char *ctype, const char *body,
    size_t n);


struct inspector;

/* url: http(s)://host[:port][/_inspector][/]; port 7800 when none.
 * NULL with *cause when the URL cannot be used (or when
 * MCP_INSPECT_TUI_SPOOL_MAX, the limit of text spooled per trace, is set
 * but not a size). */
struct inspector *inspector_new(const char *url, const char *token, char **cause);
void inspector_free(struct inspector *);
struct http *inspector_http(const struct inspector *);
/* The API base, e.g. http://127.0.0.1:7800/_inspector (for messages). */
const char *inspector_base(const struct inspector *);

/* GET /sessions.  error is NULL on success; the array is valid during the
 * call only. */
typedef void (*insp_sessions_fn)(void *arg, const struct insp_session *, size_t n,
    const char *error);
void inspector_get_sessions(struct inspector *, insp_sessions_fn, void *arg);

/*
 * A session's trace, downloaded into an unlinked temporary file of
 * decompressed text (every gzip member decoded), which a session reads like
 * a growing local file (session_ref.spooled).  insp_trace_tail asks for
 * what was written since with Range: bytes=N- (N = text received so far).
 * A trace opened again is revalidated with If-None-Match and reused on 304.
 */
struct insp_trace;

struct insp_trace *inspector_trace(struct inspector *, const char *id);
int insp_trace_fd(const struct insp_trace *);      /* the spool (not the caller's) */
bool insp_trace_busy(const struct insp_trace *);   /* a request is running */
bool insp_trace_loaded(const struct insp_trace *); /* the first download ended well */
/* Why the last request failed (one line, sanitised), or NULL. */
const char *insp_trace_error(const struct insp_trace *);
/* The download stopped early — at the spool limit, with too little disk
 * left, or at corrupt gzip data — and is not asked for again; the text
 * before the stop is in the spool and reads (insp_trace_error says why). */
bool insp_trace_truncated(const struct insp_trace *);
/* The HTTP status of the last answer (0 before any): a 404 is what
 * makes a session id unknown. */
long insp_trace_http_status(const struct insp_trace *);
/* The last answer broke off: what came is in the spool, and the next
 * insp_trace_tail asks for the rest (insp_trace_error says what broke). */
bool insp_trace_partial(const struct insp_trace *);
uint64_t insp_trace_bytes(const struct insp_trace *); /* text received */
/* Ask for new text, unless a request is already running. */
void insp_trace_tail(struct insp_trace *);

/* The event stream. */
enum insp_conn {
	INSP_CONNECTING,   /* a connection attempt is running */
	INSP_LIVE,         /* connected; events arrive */
	INSP_WAITING,      /* reconnecting after a delay */
	INSP_OFFLINE,      /* several attempts failed; still retrying, slower */
};

struct insp_events;

/* An event: its JSON data (one object) and id ("" when none). */
typedef void (*insp_event_fn)(void *arg, const char *json, size_t len, const char *id);
/* The connection changed; why is a one-line reason or NULL.  On every
 * change to INSP_LIVE the owner must re-read /sessions: the server does
 * not replay missed events. */
typedef void (*insp_conn_fn)(void *arg, enum insp_conn, const char *why);
/* Something was dropped but the stream goes on (a line over 4 MiB): a
 * one-line, sanitised message.  May be NULL. */
typedef void (*insp_notice_fn)(void *arg, const char *msg);

struct insp_events *inspector_events(struct inspector *, insp_event_fn, insp_conn_fn,
    insp_notice_fn, void *arg);
void insp_events_free(struct insp_events *);
enum insp_conn insp_events_state(const struct insp_events *);
/* Seconds until the next attempt while waiting or offline. */
int insp_events_retry_in(const struct insp_events *);
/* Run timers (reconnects, the keep-alive watchdog); call every loop turn.
 * Returns the milliseconds until it wants to run again. */
long insp_events_tick(struct insp_events *);

/* The fields of an inspector event (doc/reference.md §4) that clients use; strings
 * are NULL when absent and owned until insp_event_clear. */
struct insp_event {
	char *type, *session_id, *engine, *title, *status, *error;
	char *signal_name, *prompt;
	int64_t start_time, end_time;  /* Unix ns, SPAN_TIME_NONE when absent */
	int64_t span_count;            /* current_span_count, -1 when absent */
	int64_t tokens_delta;          /* -1 when absent */
};

/* Read an event's JSON object; -1 when it is not one (fields then stay
 * absent).  Unknown fields are ignored. */
int insp_event_parse(struct insp_event *, const char *json, size_t len);
void insp_event_clear(struct insp_event *);

/* An inspector time ("2025-07-01T08:00:00.001296", no zone = UTC) or
 * null → Unix ns; SPAN_TIME_NONE when absent or malformed. */
int64_t inspector_time(const char *s);

#endif
