/* SPDX-License-Identifier: MIT */
/*
 * ui_list.c — the session list screen.
 *
 * Rows appear at once from the file names (doc/reference.md §6) and fill in as each
 * session's totals are read, a slice at a time, between key presses.  A
 * directory is re-scanned every second: new sessions appear, growing ones
 * update in place, and the selection stays on the same session.
 */
#include "ui.h"

#include <sys/stat.h>

#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "buf.h"
#include "cost.h"
#include "filter.h"
#include "fmt.h"
#include "span.h"
#include "strtab.h"
#include "text.h"
#include "xmalloc.h"

/* Input bytes read for one session per slice. */
#define LIST_SLICE (256 * 1024)


static void
entry_copy_ref(struct ui_entry *e, const struct session_ref *r)
{
	size_t i;

	e->ref.id = xstrdup(r->id);
	e->ref.nfiles = r->nfiles;
	e->ref.files = xcalloc(r->nfiles ? r->nfiles : 1, sizeof *e->ref.files);
	for (i = 0; i < r->nfiles; i++)
		e->ref.files[i] = xstrdup(r->files[i]);
	e->ref.mtime = r->mtime;
	e->ref.bytes = r->bytes;
}

static void
entry_clear(struct ui_entry *e)
{
	size_t i;

	for (i = 0; i < e->ref.nfiles; i++)
		free(e->ref.files[i]);
	free(e->ref.files);
	free(e->ref.id);
	session_free(e->summary);
	if (e->have_meta)
		session_meta_clear(&e->meta);
	free(e->r_engine);
	free(e->r_signal);
	free(e->r_prompt);
	memset(e, 0, sizeof *e);
}

static bool
same_files(const struct session_ref *a, const struct session_ref *b)
{
	size_t i;

	if (a->nfiles != b->nfiles)
		return false;
	for (i = 0; i < a->nfiles; i++) {
		if (strcmp(a->files[i], b->files[i]) != 0)
			return false;
	}
	return true;
}

/* Rows are a session of a source: the same id in two sources is two. */
static long
entry_find(struct ui *ui, struct ui_source *src, const char *id)
{
	size_t i;

	for (i = 0; i < ui->list.n; i++) {
		if ((src == NULL || ui->list.e[i].source == src) &&
		    strcmp(ui->list.e[i].ref.id, id) == 0)
			return (long)i;
	}
	return -1;
}

struct ui_entry *
ui_list_add(struct ui *ui, const struct session_ref *r, struct ui_source *from)
{
	struct ui_entry *e;

	ui->list.e = xreallocarray(ui->list.e, ui->list.n + 1, sizeof *ui->list.e);
	e = &ui->list.e[ui->list.n++];
	memset(e, 0, sizeof *e);
	entry_copy_ref(e, r);
	e->source = from;
	ui->list.order_dirty = true;
	ui->dirty = true;
	return e;
}

struct ui_entry *
ui_list_entry(struct ui *ui, struct ui_source *src, const char *id)
{
	long k = entry_find(ui, src, id);

	return k >= 0 ? &ui->list.e[k] : NULL;
}

/*
 * A session whose files went away (deleted, moved): its row stays with
 * the figures last read, marked gone, and is read no more (a reader on a
 * deleted file would only collect "cannot open" warnings and turn the
 * row's status to failed).  Reading resumes if the files come back.
 */
static void
entry_gone(struct ui *ui, struct ui_entry *e)
{
	if (ui_entry_remote(e) || e->gone)
		return;
	/* The summary stays: the row's meta points into it. */
	e->gone = true;
	e->behind = false;
	ui->list.order_dirty = true;
	ui->dirty = true;
}

/* A single trace file named on the command line: gone when no file of
 * its session is there any more. */
void
ui_list_check_files(struct ui *ui, struct ui_source *src)
{
	struct stat st;
	struct ui_entry *e;
	size_t i, k;

	for (i = 0; i < ui->list.n; i++) {
		e = &ui->list.e[i];
		if (e->source != src || ui_entry_remote(e) || e->gone || e->ref.spooled)
			continue;
		for (k = 0; k < e->ref.nfiles; k++) {
			if (stat(e->ref.files[k], &st) == 0)
				break;
		}
		if (k == e->ref.nfiles && e->ref.nfiles > 0)
			entry_gone(ui, e);
	}
}

/* The entry's files changed: rotated chunks were added (read on into
 * them, row and open session alike), or a file went away (the row is read
 * again from its start; its figures stay shown meanwhile). */
static void
entry_new_files(struct ui *ui, struct ui_entry *e, const struct session_ref *r)
{
	struct session_meta keep = e->meta;
	struct session *summary = NULL;
	bool had = e->have_meta, open = ui->tree.id == e->ref.id;
	struct ui_source *from = e->source;

	/* The open session reads on into them too (the loop's to do). */
	if (open && ui->tree.s != NULL)
		ui_post(ui, &(struct ui_req){ .kind = REQ_SESSION_FILES,
		    .entry = (size_t)(e - ui->list.e) });
	if (e->summary != NULL && session_add_files(e->summary, r) >= 0) {
		summary = e->summary;
		e->summary = NULL;
	}
	e->have_meta = false;
	entry_clear(e);
	entry_copy_ref(e, r);
	e->source = from;
	e->meta = keep;
	e->have_meta = had;
	if (summary != NULL) {
		e->summary = summary;
		e->read_once = true;
	}
	if (open)
		ui->tree.id = e->ref.id;
}

/*
 * A rescan looks up every scanned session among the rows: one by one that
 * was n² string compares a second (20 000 rows took most of a second per
 * scan, and keys waited); sorting the rows by id and searching them still
 * cost ~30 ms a scan at 20 000 (compares through rows spread over
 * memory), in one turn.  The rows' ids are hashed instead (strtab), each
 * id naming its row; only rows of the source scanned (another source may
 * list the same id).  (ids are unique within a scan, so rows added during
 * it need not be found again.)  The caller frees both.
 */
static struct strtab *
entries_by_id(struct ui *ui, struct ui_source *from, size_t **row_of)
{
	struct strtab *t = strtab_new();
	size_t i;

	*row_of = xcalloc(ui->list.n + 1, sizeof **row_of);
	for (i = 0; i < ui->list.n; i++) {
		if (ui->list.e[i].source == from)
			(*row_of)[strtab_intern(t, ui->list.e[i].ref.id,
			    strlen(ui->list.e[i].ref.id))] = i;
	}
	return t;
}

static long
entry_find_hashed(const struct strtab *t, const size_t *row_of, const char *id)
{
	uint32_t k = strtab_find(t, id, strlen(id));

	return k == STRTAB_NONE || k == STRTAB_EMPTY ? -1 : (long)row_of[k];
}

/* Merge a scan into the list: new sessions are added; a session that
 * gained a file (a rotated chunk) reads on into it (entry_new_files); one
 * no longer found is gone, and read afresh if it comes back.  Takes refs. */
void
ui_list_merge(struct ui *ui, struct ui_source *from, struct session_ref *refs,
    size_t n)
{
	struct ui_entry *e;
	struct strtab *ids;
	size_t i, *row_of, nold = ui->list.n;
	bool *seen;
	long k;

	seen = xcalloc(ui->list.n ? ui->list.n : 1, sizeof *seen);
	ids = entries_by_id(ui, from, &row_of);
	for (i = 0; i < n; i++) {
		k = entry_find_hashed(ids, row_of, refs[i].id);
		if (k >= 0) {
			e = &ui->list.e[k];
			seen[k] = true;
			/* Back again (a new file): read it afresh. */
			if (e->gone) {
				struct session_meta keep = e->meta;
				bool had = e->have_meta;
				bool open = ui->tree.id == e->ref.id;

				e->have_meta = false;
				entry_clear(e);
				entry_copy_ref(e, &refs[i]);
				e->source = from;
				e->meta = keep;
				e->have_meta = had;
				/* The open tree names its entry by this string. */
				if (open)
					ui->tree.id = e->ref.id;
			} else if (!same_files(&e->ref, &refs[i]))
				entry_new_files(ui, e, &refs[i]);
			continue;
		}
		ui_list_add(ui, &refs[i], from);
	}
	for (i = 0; i < nold; i++) {
		if (!seen[i] && ui->list.e[i].source == from)
			entry_gone(ui, &ui->list.e[i]);
	}
	free(seen);
	free(row_of);
	strtab_free(ids);
	session_refs_free(refs, n);
}

/* A whole scan of a source at once (the first rows, and files named on
 * the command line); a directory's later scans are ui_local.c's sweep. */
void
ui_list_rescan(struct ui *ui, struct ui_source *from)
{
	struct session_ref *refs;
	size_t n;
	char *cause = NULL;

	if (source_scan(&from->src, &refs, &n, &cause) == -1) {
		ui_source_error(ui, from, cause);
		free(cause);
		return;
	}
	ui_source_error(ui, from, NULL);
	ui_list_merge(ui, from, refs, n);
}

/* After the first rows came (a scan, or /sessions asked for). */
void
ui_list_init(struct ui *ui)
{
	ui->list.sel_top = true;
	ui_list_sort(ui);
}

void
ui_list_free(struct ui *ui)
{
	size_t i;

	for (i = 0; i < ui->list.n; i++)
		entry_clear(&ui->list.e[i]);
	free(ui->list.e);
	free(ui->list.rows);
	filter_free(ui->list.filter);
	memset(&ui->list, 0, sizeof ui->list);
}

static void
entry_refresh_meta(struct ui *ui, struct ui_entry *e)
{
	if (e->have_meta)
		session_meta_clear(&e->meta);
	session_meta_get(e->summary, &e->meta);
	e->have_meta = true;
	ui->list.order_dirty = true;
	ui->dirty = true;
}

/* Read one slice of the entry; true when it has more waiting. */
static bool
entry_read(struct ui *ui, struct ui_entry *e)
{
	uint64_t before;
	size_t warned;
	int more;

	if (e->summary == NULL)
		e->summary = session_new_summary(&e->ref);
	before = session_consumed(e->summary);
	warned = session_nwarnings(e->summary);
	more = session_read(e->summary, LIST_SLICE);
	if (session_consumed(e->summary) != before || !e->read_once ||
	    session_nwarnings(e->summary) != warned)
		entry_refresh_meta(ui, e);
	if (!more)
		e->read_once = true;
	e->behind = e->read_once && more;
	return more;
}

/* Read sessions not read yet, or behind their files, round robin, until
 * the deadline.  True when some remain. */
bool
ui_list_work(struct ui *ui, int64_t deadline_ms)
{
	struct ui_list *l = &ui->list;
	size_t tried;

	for (tried = 0; tried < l->n; tried++) {
		if (ui_now_ms() >= deadline_ms)
			return true;
		if (l->next_read >= l->n)
			l->next_read = 0;
		if (!l->e[l->next_read].gone && (!l->e[l->next_read].read_once ||
		    l->e[l->next_read].behind)) {
			entry_read(ui, &l->e[l->next_read]);
			tried = 0;
			if (!l->e[l->next_read].gone &&
			    (!l->e[l->next_read].read_once ||
			    l->e[l->next_read].behind))
				continue;
		}
		l->next_read++;
	}
	return false;
}

/* Look at grown files of a session already read (a live session): one
 * slice; a file that grew by more is left behind for ui_list_work, which
 * reads on within the loop's budget, so a huge append (a gzip bomb) never
 * holds a key back. */
static void
entry_follow(struct ui *ui, struct ui_entry *e)
{
	if (e->read_once && !ui_entry_remote(e) && !e->behind && !e->gone)
		entry_read(ui, e);
}

/* Every row, at once (files named on the command line: a few rows). */
void
ui_list_follow(struct ui *ui)
{
	size_t i;

	for (i = 0; i < ui->list.n; i++)
		entry_follow(ui, &ui->list.e[i]);
}

/* Rows from..from+count of source src, followed; the row after them
 * (ui->list.n when the list is done). */
size_t
ui_list_follow_rows(struct ui *ui, struct ui_source *src, size_t from,
    size_t count)
{
	for (; from < ui->list.n && count > 0; from++, count--) {
		if (ui->list.e[from].source == src)
			entry_follow(ui, &ui->list.e[from]);
	}
	return from;
}

static int64_t
entry_time(const struct ui_entry *e)
{
	if (e->have_meta && e->meta.started_at != SPAN_TIME_NONE)
		return e->meta.started_at;
	return (int64_t)e->ref.mtime * 1000000000;
}

static const struct ui_entry *sort_entries;

static int
row_cmp(const void *pa, const void *pb)
{
	const struct ui_entry *a = &sort_entries[*(const size_t *)pa];
	const struct ui_entry *b = &sort_entries[*(const size_t *)pb];
	int64_t ta = entry_time(a), tb = entry_time(b);

	if (ta != tb)
		return ta > tb ? -1 : 1;
	return strcmp(a->ref.id, b->ref.id);
}

/* Still reading what the files held when the list found them. */
static bool
entry_loading(const struct ui_entry *e)
{
	return !ui_entry_remote(e) && !e->read_once && !e->gone;
}

static bool
entry_matches(const struct ui *ui, const struct ui_entry *e)
{
	struct filter_subject fs;
	struct session_meta m;

	if (ui->list.filter == NULL)
		return true;
	if (e->have_meta) {
		session_subject(&e->meta, &fs);
		if (ui_entry_remote(e))
			fs.tokens = e->r_tokens; /* what the row shows */
		if (entry_loading(e))
			fs.field[FF_STATUS] = NULL;
	} else {
		memset(&m, 0, sizeof m);
		m.id = e->ref.id;
		m.title = e->ref.id;
		m.engine = "";
		m.status = SESSION_RUNNING;
		m.started_at = m.ended_at = SPAN_TIME_NONE;
		session_subject(&m, &fs);
		fs.field[FF_STATUS] = NULL;
	}
	return filter_match(ui->list.filter, &fs);
}

void
ui_list_sort(struct ui *ui)
{
	struct ui_list *l = &ui->list;
	size_t i;

	l->rows = xreallocarray(l->rows, l->n ? l->n : 1, sizeof *l->rows);
	l->nrows = 0;
	for (i = 0; i < l->n; i++) {
		if (entry_matches(ui, &l->e[i]))
			l->rows[l->nrows++] = i;
	}
	sort_entries = l->e;
	qsort(l->rows, l->nrows, sizeof *l->rows, row_cmp);
	sort_entries = NULL;
	l->order_dirty = false;
	/* Rows reorder as their start times are read; until that settles
	 * the top row stays selected, so Enter opens what is on top.  After
	 * it, the selection stays on its session whatever arrives. */
	if (l->sel_top && l->nrows > 0) {
		l->sel = l->rows[0];
		for (i = 0; i < l->n && l->e[i].read_once; i++)
			;
		if (i == l->n)
			l->sel_top = false;
	}
}

static long
sel_row(const struct ui *ui)
{
	size_t r;

	for (r = 0; r < ui->list.nrows; r++) {
		if (ui->list.rows[r] == ui->list.sel)
			return (long)r;
	}
	return -1;
}

static void
select_row(struct ui *ui, long r)
{
	if (ui->list.nrows == 0)
		return;
	ui->list.sel = ui->list.rows[cursor_clamp(r, (long)ui->list.nrows)];
	ui->dirty = true;
}

static const char *
status_marker(const struct ui *ui, const struct ui_entry *e, enum vstyle *st)
{
	if (e->gone) {
		*st = VS_DIM;
		return ui->glyph->gone;
	}
	if (!e->have_meta || entry_loading(e)) {
		*st = VS_DIM;
		return ui->glyph->loading;
	}
	switch (e->meta.status) {
	case SESSION_PAUSED:
		*st = VS_WARN;
		return ui->glyph->paused;
	case SESSION_FAILED:
		*st = VS_ERROR;
		return ui->glyph->failed;
	case SESSION_COMPLETED:
		*st = VS_OK;
		return ui->glyph->completed;
	case SESSION_PARTIAL:
		*st = VS_WARN;
		return ui->glyph->partial;
	case SESSION_RUNNING:
	default:
		*st = VS_ACCENT;
		return ui->glyph->running;
	}
}

/* Column x positions of the list; the title takes the rest.  The cost
 * column comes in where it leaves titles their room (COST_MIN_W columns):
 * the engine and title columns then start COST_W further right.  With
 * several sources, a source column comes before the title. */
enum { C_MARK = 1, C_STATUS = 3, C_START = 14, C_DUR = 34, C_SPANS = 43,
	C_ERR = 50, C_TOK = 57, C_COST = 70, C_ENGINE0 = 70, C_TITLE0 = 80 };
#define COST_W 9
#define COST_MIN_W 170
#define C_ENGINE (C_ENGINE0 + list_cost_w)
#define C_SOURCE (C_TITLE0 + list_cost_w)
#define C_TITLE (C_TITLE0 + list_cost_w + list_src_w)

/* COST_W when the list shows the cost column, else 0; set per frame.
 * list_src_w: the source column's width, 0 with one source. */
static int list_cost_w, list_src_w;

/* The widest source name and a gap, when there are several. */
static int
source_column_width(struct ui *ui)
{
	size_t i;
	int w = 6, lw;

	if (ui->nsources < 2)
		return 0;
	for (i = 0; i < ui->nsources; i++) {
		lw = text_width(ui->sources[i]->label, strlen(ui->sources[i]->label));
		if (lw > w)
			w = lw;
	}
	return w + 2;
}

static void
draw_header(struct ui *ui)
{
	const struct { int x; const char *s; } cols[] = {
		{ C_STATUS, "STATUS" }, { C_START, "STARTED (UTC)" }, { C_DUR, "DURATION" },
		{ C_SPANS, "SPANS" }, { C_ERR, "ERRORS" }, { C_TOK, "TOKENS" },
		{ list_cost_w > 0 ? C_COST : -1, "COST" },
		{ C_ENGINE, "ENGINE" }, { list_src_w > 0 ? C_SOURCE : -1, "SOURCE" },
		{ C_TITLE, "TITLE / ID" },
	};
	size_t i;

	for (i = 0; i < sizeof cols / sizeof cols[0]; i++) {
		if (cols[i].x >= 0 && cols[i].x < ui->lay.w)
			ui_put(1, cols[i].x, ui->lay.w - cols[i].x, cols[i].s,
			    strlen(cols[i].s), VS_HEADER, false);
	}
}

static void
cell(int y, int x, int w, const char *s, enum vstyle st, bool rev)
{
	ui_put(y, x, w, s, strlen(s), st, rev);
}

/* Spans, errors and tokens; a remote row knows them only from its
 * Heartbeats (the list does not download every trace). */
static void
draw_counts(int y, const struct ui_entry *e, bool sel)
{
	const struct session_meta *m = &e->meta;
	struct buf b = BUF_INIT;

	if (ui_entry_remote(e) && !e->counts) {
		cell(y, C_SPANS + 4, 2, "-", VS_DIM, sel);
		cell(y, C_ERR + 5, 2, "-", VS_DIM, sel);
		cell(y, C_TOK, 2, "-", VS_DIM, sel);
		return;
	}
	buf_printf(&b, "%6u", m->span_count);
	cell(y, C_SPANS - 1, 7, buf_str(&b), VS_NORMAL, sel);
	buf_reset(&b);
	if (ui_entry_remote(e))
		buf_adds(&b, "     -");
	else
		buf_printf(&b, "%6u", m->error_count);
	cell(y, C_ERR - 1, 7, buf_str(&b), m->error_count ? VS_ERROR : VS_NORMAL, sel);
	buf_reset(&b);
	if (ui_entry_remote(e)) {
		/* Heartbeats' tokens since connecting, in and out together. */
		if (e->r_tokens > 0) {
			buf_addc(&b, '+');
			fmt_count(&b, e->r_tokens);
		} else
			buf_adds(&b, "-");
	} else {
		fmt_count(&b, m->tokens_in);
		buf_addc(&b, '/');
		fmt_count(&b, m->tokens_out);
	}
	cell(y, C_TOK, 12, buf_str(&b), VS_NORMAL, sel);
	/* Cost by the price table; "?" when some tokens have no price. */
	buf_reset(&b);
	if (list_cost_w == 0) {
		buf_free(&b);
		return;
	}
	if (ui_entry_remote(e) || (m->tokens_in <= 0 && m->tokens_out <= 0 && m->cost_known))
		buf_adds(&b, "-");
	else if (m->cost_known)
		cost_format(&b, m->cost_usd);
	else
		buf_adds(&b, "?");
	cell(y, C_COST, 8, buf_str(&b), m->cost_known ? VS_NUMBER : VS_WARN, sel);
	buf_free(&b);
}

static void
draw_row(struct ui *ui, int y, const struct ui_entry *e, bool sel)
{
	const char *down = ui_source_down(ui, e->source);
	const struct session_meta *m = &e->meta;
	struct buf b = BUF_INIT;
	enum vstyle st;
	const char *mark = status_marker(ui, e, &st);
	int w = ui->lay.w, x;

	if (sel) {
		attrset(A_REVERSE);
		mvhline(y, 0, ' ', w);
		attrset(A_NORMAL);
	}
	cell(y, C_MARK, 2, mark, st, sel);
	if (list_src_w > 0 && C_SOURCE < w)
		cell(y, C_SOURCE, list_src_w - 1, e->source->label,
		    down != NULL ? VS_WARN : VS_DIM, sel);
	if (!e->have_meta) {
		cell(y, C_STATUS, w - C_STATUS, e->gone ? "gone" : "reading",
		    VS_DIM, sel);
		if (C_TITLE < w)
			cell(y, C_TITLE, w - C_TITLE, e->ref.id, VS_NORMAL, sel);
		return;
	}
	/* A local session's status is known once all of it was read: the
	 * root is written last, so until then it would read "running".  Its
	 * source down (a server gone): the last word it gave is not current. */
	if (down != NULL && !e->gone)
		cell(y, C_STATUS, 10, down, VS_WARN, sel);
	else
		cell(y, C_STATUS, 10, e->gone ? "gone" : entry_loading(e) ?
		    "loading" : session_status_name(m->status), e->gone ||
		    entry_loading(e) ? VS_DIM : st, sel);
	if (m->started_at != SPAN_TIME_NONE)
		fmt_time_short(&b, m->started_at);
	cell(y, C_START, 19, buf_str(&b), VS_NORMAL, sel);
	buf_reset(&b);
	if (m->started_at != SPAN_TIME_NONE && m->ended_at != SPAN_TIME_NONE)
		fmt_duration(&b, m->ended_at - m->started_at);
	cell(y, C_DUR, 8, buf_str(&b), VS_NORMAL, sel);
	draw_counts(y, e, sel);
	cell(y, C_ENGINE, 9, m->engine, VS_NORMAL, sel);
	if (C_TITLE >= w) {
		/* A terminal too narrow for titles: b holds the duration. */
		buf_free(&b);
		return;
	}
	x = C_TITLE;
	if (ui_is_marked(ui, e->ref.id))
		x += ui_put(y, x, w - x, "[marked] ", 9, VS_ACCENT, sel);
	x += ui_put_hl(y, x, w - x, m->title, strlen(m->title),
	    m->status == SESSION_PAUSED ? VS_WARN : VS_NORMAL, sel, ui->search);
	buf_reset(&b);
	if (m->status == SESSION_PAUSED)
		buf_printf(&b, "  waiting on %s%s%s", m->signal_name ? m->signal_name : "a signal",
		    m->signal_prompt ? ": " : "", m->signal_prompt ? m->signal_prompt : "");
	if (b.len > 0)
		x += ui_put(y, x, w - x, b.p, b.len, VS_WARN, sel);
	buf_reset(&b);
	buf_printf(&b, "  %s", m->id);
	if (entry_loading(e) && e->summary != NULL &&
	    session_size(e->summary) > 0)
		buf_printf(&b, "  %d%% read", (int)(session_consumed(e->summary) *
		    100 / session_size(e->summary)));
	if (m->bad_lines)
		buf_printf(&b, "  %llu bad line%s", (unsigned long long)m->bad_lines,
		    m->bad_lines == 1 ? "" : "s");
	x += ui_put(y, x, w - x, b.p, b.len, VS_DIM, sel);
	if (e->chunks > 0) {
		buf_reset(&b);
		buf_printf(&b, "  %u rotated chunk%s not served", e->chunks,
		    e->chunks == 1 ? "" : "s");
		x += ui_put(y, x, w - x, b.p, b.len, VS_WARN, sel);
	}
	if (e->gone) {
		buf_reset(&b);
		buf_printf(&b, "  files gone, last read: %s",
		    session_status_name(m->status));
		x += ui_put(y, x, w - x, b.p, b.len, VS_WARN, sel);
	} else if (down != NULL) {
		buf_reset(&b);
		buf_printf(&b, "  %s %s, last heard: %s", e->source->label, down,
		    session_status_name(m->status));
		x += ui_put(y, x, w - x, b.p, b.len, VS_WARN, sel);
	}
	/* A file that could not be read; the status bar says which and why. */
	buf_reset(&b);
	if (e->summary != NULL && session_nwarnings(e->summary) > 0)
		buf_printf(&b, "  %zu warning%s", session_nwarnings(e->summary),
		    session_nwarnings(e->summary) == 1 ? "" : "s");
	if (b.len > 0)
		ui_put(y, x, w - x, b.p, b.len, VS_WARN, sel);
	buf_free(&b);
}

/* What an empty list says while a source is still coming (the first
 * source that has something to say). */
static const char *
list_waiting(struct ui *ui)
{
	const char *wait;
	size_t i;

	for (i = 0; i < ui->nsources; i++) {
		if (ui->sources[i]->ops->waiting != NULL &&
		    (wait = ui->sources[i]->ops->waiting(ui, ui->sources[i])) != NULL)
			return wait;
	}
	return NULL;
}

static void
list_draw(struct ui *ui)
{
	struct ui_list *l = &ui->list;
	long sr;
	size_t r;
	int y;

	if (l->order_dirty)
		ui_list_sort(ui);
	list_cost_w = ui->lay.w >= COST_MIN_W ? COST_W : 0;
	list_src_w = source_column_width(ui);
	draw_header(ui);
	if (l->nrows == 0) {
		const char *wait = list_waiting(ui);
		const char *msg = l->n == 0 ? (wait != NULL ? wait :
		    "No sessions here yet; new ones appear as they are written.") :
		    "No session matches the filter (f to change it).";

		ui_put(ui->lay.list_y, 2, ui->lay.w - 2, msg, strlen(msg), VS_DIM, false);
		return;
	}
	sr = sel_row(ui);
	if (sr < 0)
		select_row(ui, 0), sr = 0;
	l->top = (size_t)cursor_top((long)l->top, sr, ui->lay.list_h, (long)l->nrows);
	for (y = 0, r = l->top; y < ui->lay.list_h && r < l->nrows; y++, r++)
		draw_row(ui, ui->lay.list_y + y, &l->e[l->rows[r]], (long)r == sr);
}

static bool
list_action(struct ui *ui, enum key_action a)
{
	long r = sel_row(ui);
	enum cursor_step step = keys_cursor_step(a);

	ui->list.sel_top = false;
	if (step != CURSOR_NONE) {
		select_row(ui, cursor_step(r, step, (long)ui->list.nrows,
		    cursor_page(ui->lay.list_h)));
		return true;
	}
	if (a != ACT_OPEN)
		return false;
	if (r >= 0)
		ui_post(ui, &(struct ui_req){ .kind = REQ_OPEN_SESSION, .entry = ui->list.sel });
	return true;
}

static void
list_wheel(struct ui *ui, enum key_action a)
{
	list_action(ui, a);
}

static bool
list_click(struct ui *ui, int y, int x, bool twice)
{
	size_t r = ui->list.top + (size_t)(y - ui->lay.list_y);

	if (y < ui->lay.list_y || r >= ui->list.nrows)
		return false;
	ui->list.sel_top = false;
	select_row(ui, (long)r);
	if (twice)
		ui_post(ui, &(struct ui_req){ .kind = REQ_OPEN_SESSION, .entry = ui->list.sel });
	return false;
}

/* q quits from the list; Esc never quits. */
static void
list_back(struct ui *ui, bool may_quit, struct ui_req *r)
{
	r->kind = may_quit ? REQ_QUIT : REQ_NONE;
}

/* What a list search looks at: id, title, status word and engine. */
static bool
entry_has_text(const struct ui_entry *e, const char *text)
{
	return strcasestr(e->ref.id, text) != NULL ||
	    (e->have_meta && (strcasestr(e->meta.title, text) != NULL ||
	    strcasestr(session_status_name(e->meta.status), text) != NULL ||
	    (e->meta.engine != NULL && strcasestr(e->meta.engine, text) != NULL)));
}

static void
list_search(struct ui *ui, const char *text, int dir)
{
	long n = (long)ui->list.nrows, start = sel_row(ui), k, r, i, rank = 0, total = 0;

	for (k = 1; k <= n; k++) {
		r = ((start + dir * k) % n + n) % n;
		if (!entry_has_text(&ui->list.e[ui->list.rows[r]], text))
			continue;
		ui->list.sel_top = false;
		select_row(ui, r);
		for (i = 0; i < n; i++) {
			if (entry_has_text(&ui->list.e[ui->list.rows[i]], text)) {
				total++;
				rank += i <= r;
			}
		}
		ui_search_note(ui, "match %ld of %ld%s", rank, total,
		    (dir > 0 ? r <= start : r >= start) ? dir > 0 ?
		    "  (search wrapped to the top)" : "  (search wrapped to the bottom)" : "");
		return;
	}
	ui_message(ui, true, "no session matches '%s'", text);
}

static bool
list_set_filter(struct ui *ui, const char *expr)
{
	struct filter *f;

	if (!ui_filter_parse(ui, expr, &f))
		return false;
	filter_free(ui->list.filter);
	ui->list.filter = f;
	ui_list_sort(ui);
	ui->dirty = true;
	return true;
}

static const char *
list_filter_text(struct ui *ui)
{
	return ui->list.filter != NULL ? filter_text(ui->list.filter) : NULL;
}

void
ui_list_status(struct ui *ui, struct buf *b)
{
	size_t i, read = 0;

	for (i = 0; i < ui->list.n; i++)
		read += ui->list.e[i].read_once;
	buf_printf(b, "%zu sessions", ui->list.nrows);
	if (ui->list.nrows != ui->list.n)
		buf_printf(b, " of %zu", ui->list.n);
	if (ui->list.filter != NULL)
		buf_printf(b, "  filter: %s", filter_text(ui->list.filter));
	if (read < ui->list.n)
		buf_printf(b, "  reading %zu/%zu", read, ui->list.n);
}

static const struct ui_hint list_hints[] = {
	{ "Enter", "open", 4 }, { "/", "search", 3 }, { "f", "filter", 2 },
	{ "?", "help", 9 }, { "q", "quit", 5 }, { NULL, NULL, 0 },
};

const struct ui_pane_ops ui_list_pane = {
	.name = "list",
	.where = KW_LIST,
	.hints = list_hints,
	.draw = list_draw,
	.action = list_action,
	.back = list_back,
	.click = list_click,
	.wheel = list_wheel,
	.search = list_search,
	.set_filter = list_set_filter,
	.filter_text = list_filter_text,
	.status = ui_list_status,
};
