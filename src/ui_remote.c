/* SPDX-License-Identifier: MIT */
/*
 * ui_remote.c — the browser on a remote inspector.
 *
 * The session list comes from GET /sessions and is kept current by the
 * event stream: SessionStarted adds a running row, WaitingOnSignal pauses
 * it, SessionFinished ends it, Heartbeat updates its counters and pulls new
 * spans of the open session.  After every (re)connect /sessions is read
 * again, because the server does not replay the events that were missed.
 * This is the remote source of ui.h's ui_source_ops; its state (struct
 * ui_remote, the source's) is nobody else's.
 */
#include "ui.h"

#include <stdlib.h>
#include <string.h>

#include "http.h"
#include "span.h"
#include "xmalloc.h"

/* How often an open running session asks for new spans without being
 * told to by a Heartbeat. */
#define TAIL_MS 2000

/* A source's state: one inspector. */
struct ui_remote {
	struct ui *ui;
	struct ui_source *src;
	struct remote *ins;       /* NULL when the URL did not parse */
	struct remote_events *events;
	enum remote_conn conn;
	char *conn_why;
	char *err;                   /* the open trace's error last put on the
	                                status line */
	struct remote_trace *trace;    /* the open session's download, or NULL
	                                (owned by the inspector, which reuses it) */
	int64_t last_tail_ms;
};

static void
set_str(char **slot, const char *s, size_t n)
{
	free(*slot);
	*slot = s != NULL ? xstrndup(s, n) : NULL;
}

/* Make e a remote row with the given meta; strings are copied. */
static void
entry_set(struct ui_entry *e, const char *title, const char *engine, const char *status,
    int64_t started, int64_t ended)
{
	if (!e->have_meta) {
		memset(&e->meta, 0, sizeof e->meta);
		e->meta.started_at = e->meta.ended_at = SPAN_TIME_NONE;
		e->have_meta = true;
	}
	e->meta.id = e->ref.id;
	if (title != NULL) {
		free(e->meta.title);
		e->meta.title = xstrdup(title);
	} else if (e->meta.title == NULL)
		e->meta.title = session_fallback_title(NULL, e->ref.id);
	if (engine != NULL)
		set_str(&e->r_engine, engine, strlen(engine));
	e->meta.engine = e->r_engine != NULL ? e->r_engine : "asyncio";
	if (status != NULL)
		e->meta.status = session_status_parse(status);
	if (started != SPAN_TIME_NONE)
		e->meta.started_at = started;
	if (ended != SPAN_TIME_NONE)
		e->meta.ended_at = ended;
	e->meta.signal_name = e->r_signal;
	e->meta.signal_prompt = e->r_prompt;
	e->read_once = true;
}

/* The row of session id, made if there is none; its one "file" is the
 * trace URL, shown in messages. */
static struct ui_entry *
rsrc_entry(struct ui_remote *r, const char *id)
{
	struct ui_entry *e = ui_list_entry(r->ui, r->src, id);
	struct session_ref ref;
	char *files[1];

	if (e != NULL)
		return e;
	memset(&ref, 0, sizeof ref);
	ref.id = (char *)id;
	files[0] = xasprintf("%s/trace/%s", remote_base(r->ins), id);
	ref.files = files;
	ref.nfiles = 1;
	e = ui_list_add(r->ui, &ref, r->src);
	free(files[0]);
	return e;
}

static void
on_sessions(void *arg, const struct remote_session *s, size_t n, const char *error)
{
	struct ui_remote *r = arg;
	struct ui *ui = r->ui;
	struct ui_entry *e;
	size_t i;

	ui_source_error(ui, r->src, error);
	if (error != NULL)
		return;
	for (i = 0; i < n; i++) {
		e = rsrc_entry(r, s[i].id);
		entry_set(e, s[i].title, s[i].engine, s[i].status, s[i].started_at,
		    s[i].ended_at);
		e->chunks = s[i].chunks;
	}
	ui->list.order_dirty = true;
	ui->dirty = true;
}

static void
event_heartbeat(struct ui_remote *r, struct ui_entry *e, const struct remote_event *ev)
{
	if (ev->span_count >= 0) {
		e->meta.span_count = (uint32_t)ev->span_count;
		e->counts = true;
	}
	/* tokens_delta counts a session's tokens, input and output together
	 * (doc/reference.md §4.5), and only since the last Heartbeat: their sum
	 * is what was seen since connecting, not the session's input. */
	if (ev->tokens_delta > 0)
		e->r_tokens = tokens_add(e->r_tokens, ev->tokens_delta);
	/* The open session has new spans: fetch them now. */
	if (r->ui->screen == SCREEN_SESSION && r->trace != NULL &&
	    strcmp(r->ui->tree.id, e->ref.id) == 0)
		remote_trace_tail(r->trace);
}

static bool
event_is(const struct remote_event *ev, const char *type)
{
	return ev->type != NULL && strcmp(ev->type, type) == 0;
}

static void
on_event(void *arg, const char *data, size_t len, const char *id)
{
	struct ui_remote *r = arg;
	struct ui *ui = r->ui;
	struct ui_entry *e;
	struct remote_event ev;

	/* Connected and the keep-alive Heartbeat name no session. */
	if (remote_event_parse(&ev, data, len) == -1 || ev.session_id == NULL) {
		remote_event_clear(&ev);
		return;
	}
	e = rsrc_entry(r, ev.session_id);
	if (event_is(&ev, "SessionStarted"))
		entry_set(e, ev.title, ev.engine, "running", ev.start_time, SPAN_TIME_NONE);
	else if (event_is(&ev, "WaitingOnSignal")) {
		set_str(&e->r_signal, ev.signal_name, ev.signal_name ? strlen(ev.signal_name) : 0);
		set_str(&e->r_prompt, ev.prompt, ev.prompt ? strlen(ev.prompt) : 0);
		entry_set(e, NULL, NULL, "paused", SPAN_TIME_NONE, SPAN_TIME_NONE);
	} else if (event_is(&ev, "SessionFinished"))
		entry_set(e, NULL, NULL, ev.status != NULL ? ev.status : "completed",
		    SPAN_TIME_NONE, ev.end_time);
	else if (event_is(&ev, "Heartbeat")) {
		entry_set(e, NULL, NULL, NULL, SPAN_TIME_NONE, SPAN_TIME_NONE);
		event_heartbeat(r, e, &ev);
	}
	remote_event_clear(&ev);
	ui->list.order_dirty = true;
	ui->dirty = true;
}

/* Something dropped from the event stream (a line over the limit): the
 * stream and the list go on. */
static void
on_notice(void *arg, const char *msg)
{
	struct ui_remote *r = arg;

	ui_message(r->ui, true, "%s", msg);
}

static void
on_conn(void *arg, enum remote_conn st, const char *why)
{
	struct ui_remote *r = arg;

	r->conn = st;
	set_str(&r->conn_why, why, why != NULL ? strlen(why) : 0);
	if (st == REMOTE_LIVE)
		remote_get_sessions(r->ins, on_sessions, r);
	r->ui->dirty = true;
}

static bool
rsrc_init(struct ui *ui, struct ui_source *src, const char *token)
{
	struct ui_remote *r = xcalloc(1, sizeof *r);
	char *cause = NULL;

	r->ui = ui;
	r->src = src;
	src->state = r;
	if ((r->ins = remote_new(src->src.where, token, &cause)) == NULL) {
		ui_message(ui, true, "%s", cause);
		free(cause);
		return false;
	}
	remote_get_sessions(r->ins, on_sessions, r);
	r->events = remote_events_open(r->ins, on_event, on_conn, on_notice, r);
	return true;
}

static void
rsrc_free(struct ui *ui, struct ui_source *src)
{
	struct ui_remote *r = src->state;

	remote_events_free(r->events);
	remote_free(r->ins);
	free(r->conn_why);
	free(r->err);
	free(r);
	src->state = NULL;
}

/* Point ref at the session's spool, starting (or revalidating) its
 * download. */
static void
rsrc_open(struct ui *ui, struct ui_source *src, struct ui_entry *e,
    struct session_ref *ref)
{
	struct ui_remote *r = src->state;

	r->trace = remote_trace_get(r->ins, e->ref.id);
	r->last_tail_ms = 0;
	*ref = e->ref;
	ref->spooled = true;
	ref->fd = remote_trace_fd(r->trace);
}

/* The inspector keeps the download for a session opened again. */
static void
rsrc_close(struct ui *ui, struct ui_source *src)
{
	struct ui_remote *r = src->state;

	r->trace = NULL;
}

/* A failure of the open session's download goes to the status line once
 * (the tree shows it too, but only while it has no rows). */
static void
trace_error(struct ui_remote *r)
{
	const char *err = remote_trace_error(r->trace);

	if (err == NULL && r->err != NULL) {
		free(r->err);
		r->err = NULL;
		ui_message_cause(r->ui, UI_CAUSE_TRACE, NULL);
	}
	if (err == NULL || (r->err != NULL && strcmp(err, r->err) == 0))
		return;
	free(r->err);
	r->err = xstrdup(err);
	ui_message_cause(r->ui, UI_CAUSE_TRACE, err);
}

/* Timers: the open session asks for new spans every TAIL_MS even when no
 * Heartbeat says so (events may be lost while reconnecting). */
static void
rsrc_turn(struct ui *ui, struct ui_source *src)
{
	struct ui_remote *r = src->state;
	int64_t now = ui_now_ms();

	if (ui->screen != SCREEN_SESSION || r->trace == NULL)
		return;
	trace_error(r);
	if (now - r->last_tail_ms < TAIL_MS)
		return;
	r->last_tail_ms = now;
	remote_trace_tail(r->trace);
}

/* The connection state for the status bar. */
static void
rsrc_status(struct ui *ui, struct ui_source *src, struct buf *b)
{
	struct ui_remote *r = src->state;

	switch (r->conn) {
	case REMOTE_LIVE:
		buf_adds(b, "live");
		break;
	case REMOTE_CONNECTING:
		buf_adds(b, "connecting");
		break;
	case REMOTE_WAITING:
		buf_printf(b, "reconnecting in %ds", remote_events_retry_in(r->events));
		break;
	case REMOTE_OFFLINE:
		buf_printf(b, "offline, retry in %ds", remote_events_retry_in(r->events));
		break;
	}
}

static const char *
rsrc_where(struct ui *ui, struct ui_source *src)
{
	struct ui_remote *r = src->state;

	return r->ins != NULL ? remote_base(r->ins) : src->src.where;
}

/* The event stream keeps the rows current: no scan. */
static bool
rsrc_scan(struct ui *ui, struct ui_source *src)
{
	return false;
}

/* A download still running: more comes through the sockets. */
static bool
rsrc_busy(struct ui *ui, struct ui_source *src)
{
	struct ui_remote *r = src->state;

	return r->trace != NULL && remote_trace_busy(r->trace);
}

static const char *
rsrc_error(struct ui *ui, struct ui_source *src)
{
	struct ui_remote *r = src->state;

	return r->trace != NULL ? remote_trace_error(r->trace) : NULL;
}

static int
rsrc_pollfds(struct ui *ui, struct ui_source *src, struct pollfd *fds, int max)
{
	struct ui_remote *r = src->state;

	return r->ins != NULL ? http_pollfds(remote_http(r->ins), fds, max) : 0;
}

static void
rsrc_perform(struct ui *ui, struct ui_source *src, struct pollfd *fds, int n)
{
	struct ui_remote *r = src->state;

	if (r->ins != NULL)
		http_perform(remote_http(r->ins), fds, n);
}

/* libcurl's timers and the event stream's watchdog. */
static long
rsrc_poll_ms(struct ui *ui, struct ui_source *src)
{
	struct ui_remote *r = src->state;
	long t, n;

	if (r->ins == NULL)
		return -1;
	t = http_timeout_ms(remote_http(r->ins));
	n = remote_events_tick(r->events);
	if (n >= 0 && (t < 0 || n < t))
		t = n;
	return t;
}

static const char *
rsrc_waiting(struct ui *ui, struct ui_source *src)
{
	struct ui_remote *r = src->state;

	return r->conn != REMOTE_LIVE ? "Waiting for the inspector..." : NULL;
}

/* Rows of an inspector not connected: what they say is the last word
 * heard, until the stream is back and /sessions read again. */
static const char *
rsrc_down(struct ui *ui, struct ui_source *src)
{
	struct ui_remote *r = src->state;

	return r->ins != NULL && r->conn != REMOTE_LIVE ? "offline" : NULL;
}

const struct ui_source_ops ui_remote_source = {
	.name = "remote",
	.meta_given = true,
	.down = rsrc_down,
	.init = rsrc_init,
	.free = rsrc_free,
	.where = rsrc_where,
	.scan = rsrc_scan,
	.turn = rsrc_turn,
	.open = rsrc_open,
	.close = rsrc_close,
	.busy = rsrc_busy,
	.error = rsrc_error,
	.pollfds = rsrc_pollfds,
	.perform = rsrc_perform,
	.poll_ms = rsrc_poll_ms,
	.status = rsrc_status,
	.waiting = rsrc_waiting,
};
