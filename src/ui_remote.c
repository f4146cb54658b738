/*
 * ui_remote.c — the browser on a remote inspector.
 *
 * The session list comes from GET /sessions and is kept current by the
 * event stream: SessionStarted adds a running row, WaitingOnSignal pauses
 * it, SessionFinished ends it, Heartbeat updates its counters and pulls new
 * spans of the open session.  After every (re)connect /sessions is read
 * again, because the server does not replay the events that were missed.
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
	e->remote = true;
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

static void
on_sessions(void *arg, const struct remote_session *s, size_t n, const char *error)
{
	struct ui *ui = arg;
	struct ui_entry *e;
	size_t i;

	ui_message_cause(ui, UI_CAUSE_SOURCE, error);
	if (error != NULL)
		return;
	for (i = 0; i < n; i++) {
		e = ui_list_entry(ui, s[i].id, true);
		entry_set(e, s[i].title, s[i].engine, s[i].status, s[i].started_at,
		    s[i].ended_at);
		e->chunks = s[i].chunks;
	}
	ui->list.order_dirty = true;
	ui->dirty = true;
}

static void
event_heartbeat(struct ui *ui, struct ui_entry *e, const struct remote_event *ev)
{
	if (ev->span_count >= 0) {
		e->meta.span_count = (uint32_t)ev->span_count;
		e->counts = true;
	}
	if (ev->tokens_delta > 0)
		e->meta.tokens_in = tokens_add(e->meta.tokens_in, ev->tokens_delta);
	/* The open session has new spans: fetch them now. */
	if (ui->screen == SCREEN_SESSION && ui->tree.remote != NULL &&
	    strcmp(ui->tree.id, e->ref.id) == 0)
		remote_trace_tail(ui->tree.remote);
}

static bool
event_is(const struct remote_event *ev, const char *type)
{
	return ev->type != NULL && strcmp(ev->type, type) == 0;
}

static void
on_event(void *arg, const char *data, size_t len, const char *id)
{
	struct ui *ui = arg;
	struct ui_entry *e;
	struct remote_event ev;

	/* Connected and the keep-alive Heartbeat name no session. */
	if (remote_event_parse(&ev, data, len) == -1 || ev.session_id == NULL) {
		remote_event_clear(&ev);
		return;
	}
	e = ui_list_entry(ui, ev.session_id, true);
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
		event_heartbeat(ui, e, &ev);
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
	ui_message(arg, true, "%s", msg);
}

static void
on_conn(void *arg, enum remote_conn st, const char *why)
{
	struct ui *ui = arg;

	ui->conn = st;
	set_str(&ui->conn_why, why, why != NULL ? strlen(why) : 0);
	if (st == REMOTE_LIVE)
		remote_get_sessions(ui->ins, on_sessions, ui);
	ui->dirty = true;
}

bool
ui_remote_init(struct ui *ui, const char *token)
{
	char *cause = NULL;

	if ((ui->ins = remote_new(ui->src.where, token, &cause)) == NULL) {
		ui_message(ui, true, "%s", cause);
		free(cause);
		return false;
	}
	remote_get_sessions(ui->ins, on_sessions, ui);
	ui->events = remote_events_open(ui->ins, on_event, on_conn, on_notice, ui);
	return true;
}

void
ui_remote_free(struct ui *ui)
{
	remote_events_free(ui->events);
	remote_free(ui->ins);
	free(ui->conn_why);
	free(ui->remote_err);
	ui->remote_err = NULL;
	ui->events = NULL;
	ui->ins = NULL;
}

/* Point ref at the session's spool, starting (or revalidating) its
 * download. */
void
ui_remote_open(struct ui *ui, struct ui_entry *e, struct session_ref *ref)
{
	struct remote_trace *t = remote_trace_get(ui->ins, e->ref.id);

	*ref = e->ref;
	ref->spooled = true;
	ref->fd = remote_trace_fd(t);
	ui->tree.remote = t;
}

/* A failure of the open session's download goes to the status line once
 * (the tree shows it too, but only while it has no rows). */
static void
trace_error(struct ui *ui)
{
	const char *err = remote_trace_error(ui->tree.remote);

	if (err == NULL && ui->remote_err != NULL) {
		free(ui->remote_err);
		ui->remote_err = NULL;
		ui_message_cause(ui, UI_CAUSE_TRACE, NULL);
	}
	if (err == NULL || (ui->remote_err != NULL && strcmp(err, ui->remote_err) == 0))
		return;
	free(ui->remote_err);
	ui->remote_err = xstrdup(err);
	ui_message_cause(ui, UI_CAUSE_TRACE, err);
}

/* Timers: the open session asks for new spans every TAIL_MS even when no
 * Heartbeat says so (events may be lost while reconnecting). */
void
ui_remote_tick(struct ui *ui)
{
	int64_t now = ui_now_ms();

	if (ui->screen != SCREEN_SESSION || ui->tree.remote == NULL)
		return;
	trace_error(ui);
	if (now - ui->tree.last_tail_ms < TAIL_MS)
		return;
	ui->tree.last_tail_ms = now;
	remote_trace_tail(ui->tree.remote);
}

/* The connection state for the status bar. */
void
ui_remote_status(struct ui *ui, struct buf *b)
{
	switch (ui->conn) {
	case REMOTE_LIVE:
		buf_adds(b, "live");
		break;
	case REMOTE_CONNECTING:
		buf_adds(b, "connecting");
		break;
	case REMOTE_WAITING:
		buf_printf(b, "reconnecting in %ds", remote_events_retry_in(ui->events));
		break;
	case REMOTE_OFFLINE:
		buf_printf(b, "offline, retry in %ds", remote_events_retry_in(ui->events));
		break;
	}
}
