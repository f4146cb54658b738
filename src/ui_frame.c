/* SPDX-License-Identifier: MIT */
/*
 * ui_frame.c — the frame around the panes: the title bar, the status bar
 * (a message or the first warning, the pane's key hints, its counts), the
 * too-small message and the overlays (help, warnings, a pipe's output).
 * It knows the pane on screen only through its table (ui.h).
 */
#include "ui.h"

#include <curses.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "filter.h"
#include "text.h"
#include "trace.h"
#include "xmalloc.h"

static void
ui_draw_too_small(struct ui *ui)
{
	static const char msg[] = "Terminal too small";
	char need[64];

	erase();
	snprintf(need, sizeof need, "need at least %dx%d, have %dx%d", UI_MIN_W, UI_MIN_H,
	    ui->lay.w, ui->lay.h);
	ui_put(ui->lay.h / 2 - 1, 0, ui->lay.w, msg, strlen(msg), VS_WARN, false);
	ui_put(ui->lay.h / 2, 0, ui->lay.w, need, strlen(need), VS_NORMAL, false);
	ui_put(ui->lay.h / 2 + 1, 0, ui->lay.w, "q quits", 7, VS_DIM, false);
}

static const char *
status_word_style(enum session_status st, enum vstyle *vs)
{
	*vs = st == SESSION_FAILED ? VS_ERROR : st == SESSION_PAUSED ? VS_WARN :
	    st == SESSION_COMPLETED ? VS_OK : VS_ACCENT;
	return session_status_name(st);
}

/* What the title bar names: the source, or several by their short names. */
static void
ui_title_sources(struct ui *ui, struct buf *b)
{
	size_t i;

	if (ui->nsources == 1) {
		buf_adds(b, ui->sources[0]->ops->where(ui, ui->sources[0]));
		return;
	}
	buf_printf(b, "%zu sources:", ui->nsources);
	for (i = 0; i < ui->nsources; i++)
		buf_printf(b, "%s %s", i > 0 ? "," : "", ui->sources[i]->label);
}

static void
ui_draw_title(struct ui *ui, const struct ui_pane_ops *pane)
{
	struct buf b = BUF_INIT;
	struct session_meta m;
	struct ui_entry *e;
	enum vstyle vs;
	const char *word;
	bool partial;
	int x;

	ui_fill(0, 0, ui->lay.w, A_REVERSE);
	if (!pane->session || ui->tree.s == NULL) {
		buf_adds(&b, " mcp-inspect-tui  ");
		ui_title_sources(ui, &b);
		ui_put(0, 0, ui->lay.w, b.p, b.len, VS_NORMAL, true);
		buf_free(&b);
		return;
	}
	session_meta_get(ui->tree.s, &m);
	e = ui_list_entry(ui, ui->tree.source, ui->tree.id);
	/* A partly served trace (a real inspector's rotated session): the
	 * inspector's status and title stand, not a guess from the part. */
	partial = e != NULL && ui_entry_remote(e) && e->chunks > 0 && e->have_meta;
	if (partial)
		m.status = e->meta.status;
	buf_printf(&b, " %s  ", partial ? e->meta.title : m.title);
	x = ui_put(0, 0, ui->lay.w, b.p, b.len, VS_HEADER, true);
	/* The status waits for the whole read (the root is written last). */
	if (ui->tree.loading && !partial) {
		word = "loading";
		vs = VS_DIM;
	} else
		word = status_word_style(m.status, &vs);
	x += ui_put(0, x, ui->lay.w - x, word, strlen(word), vs, true);
	buf_reset(&b);
	if (m.status == SESSION_PAUSED && m.signal_name != NULL)
		buf_printf(&b, "  waiting on %s%s%s", m.signal_name,
		    m.signal_prompt ? ": " : "", m.signal_prompt ? m.signal_prompt : "");
	buf_printf(&b, "  %s", m.id);
	/* Of several sources, the one it comes from. */
	if (ui->nsources > 1 && ui->tree.source != NULL)
		buf_printf(&b, "  (%s)", ui->tree.source->label);
	x += ui_put(0, x, ui->lay.w - x, b.p, b.len, VS_NORMAL, true);
	/* Deleted while open: what was read stays on screen, marked. */
	if (e != NULL && e->gone)
		ui_put(0, x, ui->lay.w - x, "  files gone", 12, VS_WARN, true);
	if (partial) {
		buf_reset(&b);
		buf_printf(&b, "  %u rotated chunk%s not served", e->chunks,
		    e->chunks == 1 ? "" : "s");
		ui_put(0, x, ui->lay.w - x, b.p, b.len, VS_WARN, true);
	}
	session_meta_clear(&m);
	buf_free(&b);
}

/* The open session's counts, filter and progress. */
static void
ui_session_status(struct ui *ui, struct buf *b)
{
	const struct trace_stats *st = trace_stats(session_trace(ui->tree.s));
	uint64_t done, size;

	if (ui->tree.filter != NULL && ui->tree.keep != NULL)
		buf_printf(b, "%u of %u spans", ui->tree.nmatch, st->spans);
	else
		buf_printf(b, "%u spans", st->spans);
	if (st->errors)
		buf_printf(b, "  %u error%s", st->errors, st->errors == 1 ? "" : "s");
	if (st->bad_lines)
		buf_printf(b, "  %llu bad line%s", (unsigned long long)st->bad_lines,
		    st->bad_lines == 1 ? "" : "s");
	if (ui->tree.filter != NULL)
		buf_printf(b, "  filter: %s", filter_text(ui->tree.filter));
	if (ui->tree.loading) {
		done = session_consumed(ui->tree.s);
		size = session_size(ui->tree.s);
		buf_printf(b, "  loading %d%%", size ? (int)(done * 100 / size) : 0);
	}
}

/* The connections: one source's word as it is; of several, each
 * connection and each source that cannot be read, by name. */
static void
ui_sources_status(struct ui *ui, struct buf *b)
{
	struct ui_source *src;
	size_t i;

	for (i = 0; i < ui->nsources; i++) {
		src = ui->sources[i];
		if (ui->nsources > 1 && src->error != NULL)
			buf_printf(b, "%s: %s  ", src->label, ui_source_down(ui, src));
		else if (src->ops->status != NULL) {
			if (ui->nsources > 1)
				buf_printf(b, "%s: ", src->label);
			src->ops->status(ui, src, b);
			buf_adds(b, "  ");
		}
	}
}

/* Right side of the status bar: the search, the connection, and the
 * pane's counts (by default the open session's, else the list's). */
static void
ui_status_right(struct ui *ui, const struct ui_pane_ops *pane, struct buf *b)
{
	if (ui->search_note != NULL)
		buf_printf(b, "%s  ", ui->search_note);
	ui_sources_status(ui, b);
	if (pane->status != NULL)
		pane->status(ui, b);
	else if (pane->session && ui->tree.s != NULL)
		ui_session_status(ui, b);
	else
		ui_list_status(ui, b);
	buf_addc(b, ' ');
}

/* The width of the hints of rank min_rank and up. */
static int
ui_hints_width(const struct ui_hint *h, int min_rank)
{
	int w = 0;

	for (; h->keys != NULL; h++) {
		if (h->rank >= min_rank)
			w += (w ? 2 : 1) + (int)strlen(h->keys) + 1 + (int)strlen(h->what);
	}
	return w;
}

/* The lowest rank of hints that fit in w columns (10: none do). */
static int
ui_hints_rank(const struct ui_hint *h, int w)
{
	int min_rank = 0;

	while (min_rank < 10 && ui_hints_width(h, min_rank) > w)
		min_rank++;
	return min_rank;
}

/* Draw the hints of rank min_rank and up at (y, x). */
static void
ui_draw_hints(struct ui *ui, const struct ui_pane_ops *pane, int y, int x, int min_rank)
{
	const struct ui_hint *h = pane->hints;
	struct ui_req back = { .kind = REQ_NONE };
	const char *what;

	/* q says what it does here: the list, or a session opened directly
	 * (a file or stdin, with no list behind), quits. */
	if (pane->back != NULL)
		pane->back(ui, true, &back);
	for (; h->keys != NULL && min_rank < 10; h++) {
		if (h->rank < min_rank)
			continue;
		what = strcmp(h->keys, "q") == 0 && back.kind == REQ_QUIT ? "quit" : h->what;
		x += ui_put(y, x, ui->lay.w - x, h->keys, strlen(h->keys), VS_NORMAL, true);
		x += ui_put(y, x, ui->lay.w - x, " ", 1, VS_NORMAL, true);
		x += ui_put_attr(y, x, ui->lay.w - x, what, strlen(what), A_REVERSE | A_DIM);
		x += ui_put(y, x, ui->lay.w - x, "  ", 2, VS_NORMAL, true);
	}
}

/* The session the status bar and the warnings box speak of: the open
 * one, else the selected list row's; NULL when there is none. */
static struct session *
ui_session_on_screen(struct ui *ui, const struct ui_pane_ops *pane)
{
	if (pane->session && ui->tree.s != NULL)
		return ui->tree.s;
	if (ui->list.nrows > 0 && ui->list.sel < ui->list.n)
		return ui->list.e[ui->list.sel].summary;
	return NULL;
}

/* One line of ui_session_problems: safe, no newline inside. */
static void
ui_problem_line(struct buf *out, const char *prefix, const char *msg, size_t n)
{
	buf_adds(out, prefix);
	text_sanitize(out, msg, n, 0);
	buf_addc(out, '\n');
}

/* After the first bad line, each further one kept, and how many more
 * were only counted.  Returns how many lines. */
static size_t
ui_each_bad_line(struct session *s, uint64_t bad, struct buf *out)
{
	struct buf more = BUF_INIT;
	size_t i, kept = session_nbad_kept(s);
	const char *line;

	for (i = 1; i < kept; i++) {
		line = session_bad_line(s, i);
		ui_problem_line(out, "bad line: ", line, strlen(line));
	}
	if (bad <= kept)
		return kept - 1;
	buf_printf(&more, "%llu more bad lines, counted but not kept",
	    (unsigned long long)(bad - kept));
	ui_problem_line(out, "", more.p, more.len);
	buf_free(&more);
	return kept;
}

/*
 * Everything that went wrong reading the session on screen, one line of
 * out each, as the status bar words it: its warnings; what the open
 * tree moved (duplicated ids, broken cycles); its bad lines, the first
 * only or (each_bad, for w) every one kept.  Returns how many lines.
 */
static size_t
ui_session_problems(struct ui *ui, const struct ui_pane_ops *pane, struct buf *out,
    bool each_bad)
{
	struct session *s = ui_session_on_screen(ui, pane);
	struct buf one = BUF_INIT;
	uint64_t bad;
	size_t i, n = 0;

	if (s == NULL)
		return 0;
	for (i = 0; i < session_nwarnings(s); i++, n++)
		ui_problem_line(out, "warning: ", session_warning(s, i),
		    strlen(session_warning(s, i)));
	if (pane->session && s == ui->tree.s && trace_describe_structure(session_trace(s), &one)) {
		ui_problem_line(out, "warning: ", one.p, one.len);
		n++;
	}
	bad = trace_stats(session_trace(s))->bad_lines;
	if (bad > 0 && session_first_bad(s) != NULL) {
		buf_reset(&one);
		if (bad > 1)
			buf_printf(&one, "first of %llu bad lines: ", (unsigned long long)bad);
		else
			buf_adds(&one, "bad line: ");
		ui_problem_line(out, buf_str(&one), session_first_bad(s),
		    strlen(session_first_bad(s)));
		n++;
		if (each_bad)
			n += ui_each_bad_line(s, bad, out);
	}
	buf_free(&one);
	return n;
}

/* For the status bar: the first thing that went wrong reading the session
 * on screen, and how many more (w shows them).  False when nothing did. */
static bool
ui_status_warning(struct ui *ui, const struct ui_pane_ops *pane, struct buf *b)
{
	struct buf all = BUF_INIT;
	size_t n = ui_session_problems(ui, pane, &all, false);

	if (n > 0) {
		buf_add(b, all.p, (size_t)((char *)memchr(all.p, '\n', all.len) - all.p));
		if (n > 1)
			buf_printf(b, "  (+%zu more: w)", n - 1);
	}
	buf_free(&all);
	return n > 0;
}

static const char *
ui_prompt_label(const struct ui *ui)
{
	return ui->prompt == PROMPT_SEARCH ? "/" :
	    ui->prompt == PROMPT_PIPE ? "pipe to: " : "filter: ";
}

static void
ui_draw_status(struct ui *ui, const struct ui_pane_ops *pane)
{
	struct buf right = BUF_INIT, left = BUF_INIT;
	int y = ui->lay.h - 1, rw, x, cy = 0, cx = 0, avail, lw, hw, rank;
	enum vstyle vs = VS_NORMAL;

	ui_fill(y, 0, ui->lay.w, A_REVERSE);
	ui_status_right(ui, pane, &right);
	rw = text_width(right.p, right.len);
	if (rw > ui->lay.w / 2)
		rw = ui->lay.w / 2;
	if (ui->prompt != PROMPT_NONE && ui->prompt_error != NULL) {
		/* A prompt Enter refused: the reason takes the whole bar. */
		x = ui_prompt_draw(y, ui->lay.w / 2, ui_prompt_label(ui), &ui->edit);
		getyx(stdscr, cy, cx);
		x += 2;
		ui_put(y, x, ui->lay.w - x, ui->prompt_error, strlen(ui->prompt_error),
		    VS_ERROR, true);
		move(cy, cx);
		curs_set(1);
		buf_free(&right);
		buf_free(&left);
		return;
	}
	if (ui->prompt != PROMPT_NONE)
		ui_prompt_draw(y, ui->lay.w - rw - 1, ui_prompt_label(ui), &ui->edit);
	else {
		/* A message or the first warning on the left, the keys that
		 * matter after it when there is room. */
		avail = ui->lay.w - rw - 1;
		if (ui->message != NULL)
			buf_adds(&left, ui->message);
		else if (pane->hint != NULL && pane->hint(ui, &left))
			;	/* the pane's own (the stats view's keys) */
		else if (ui_status_warning(ui, pane, &left))
			vs = VS_WARN;
		if (ui->message != NULL && ui->message_error)
			vs = VS_ERROR;
		lw = text_width(buf_str(&left), left.len);
		/* A message or warning says something the user needs: the
		 * hints take only the room it leaves. */
		rank = ui_hints_rank(pane->hints, left.len > 0 ? avail - lw - 2 : avail - 1);
		hw = rank < 10 ? ui_hints_width(pane->hints, rank) + 2 : 0;
		if (left.len > 0) {
			ui_put(y, 0, avail - hw, left.p, left.len, vs, true);
			ui_draw_hints(ui, pane, y, avail - hw + 2, rank);
		} else
			ui_draw_hints(ui, pane, y, 1, rank);
	}
	if (ui->prompt != PROMPT_NONE)
		getyx(stdscr, cy, cx);
	ui_put(y, ui->lay.w - rw, rw, right.p, right.len, VS_NORMAL, true);
	if (ui->prompt != PROMPT_NONE) {
		move(cy, cx);
		curs_set(1);
	} else
		curs_set(0);
	buf_free(&right);
	buf_free(&left);
}

static const char *
where_name(unsigned where)
{
	if (where == KW_ANY)
		return "";
	if (where == KW_LIST)
		return "list";
	if (where == (KW_TREE | KW_INSPECT))
		return "session";
	if (where == KW_TREE)
		return "tree";
	if (where == (KW_LIST | KW_TREE))
		return "list, tree";
	if (where == KW_STATS)
		return "stats";
	if (where == (KW_TREE | KW_INSPECT | KW_STATS))
		return "session";
	if (where == KW_DIFF)
		return "diff";
	if (where == (KW_TREE | KW_DIFF))
		return "tree, diff";
	return "";
}

/* One display line of the help: a key row's keys (on its first line),
 * a piece of its wrapped help text, and where it applies. */
struct ui_help_line {
	const struct key_row *row;
	const char *text;
	size_t n;
	bool first;
};

struct ui_help_lines {
	struct ui_help_line *l;
	size_t n, cap;
	const struct key_row *row;
	bool first;
};

static void
ui_help_add(void *arg, const char *text, size_t n)
{
	struct ui_help_lines *hl = arg;

	if (hl->n == hl->cap) {
		hl->cap = hl->cap ? hl->cap * 2 : 64;
		hl->l = xreallocarray(hl->l, hl->cap, sizeof *hl->l);
	}
	hl->l[hl->n].row = hl->row;
	hl->l[hl->n].text = text;
	hl->l[hl->n].n = n;
	hl->l[hl->n].first = hl->first;
	hl->first = false;
	hl->n++;
}

/*
 * The key table, each help text wrapped to what is left of the box
 * beside the keys; on a narrow terminal the keys get a line of their
 * own, the text the lines below, and the "where" column goes.
 */
static void
ui_draw_help(struct ui *ui)
{
	const struct key_row *rows;
	const char *foot = " mouse: click selects, double-click opens, wheel scrolls ";
	struct ui_help_lines hl = { NULL, 0, 0, NULL, false };
	char keys[64];
	int n, i, x, y, w, h, bw, kw, tw, ww;
	bool narrow;

	rows = keys_table(&n);
	bw = ui->lay.w < 60 ? ui->lay.w - 4 : (ui->lay.w - 4 < 76 ? ui->lay.w - 4 : 76) - 4;
	narrow = bw < 44;
	kw = narrow ? 2 : 17;
	ww = bw >= 56 ? 11 : 0;
	tw = bw - kw - ww > 8 ? bw - kw - ww : 8;
	for (i = 0; i < n; i++) {
		hl.row = &rows[i];
		hl.first = true;
		if (narrow)
			ui_help_add(&hl, "", 0);
		text_wrap(rows[i].help, strlen(rows[i].help), tw, ui_help_add, &hl);
		if (narrow)
			hl.l[hl.n - 1].first = false;
	}
	ui_draw_box(ui, 76, (int)hl.n, " Keys  (scroll with j/k; q or ? closes) ", &x, &y, &w, &h);
	for (i = 0; i < h && (size_t)(i + ui->overlay_scroll) < hl.n; i++) {
		const struct ui_help_line *l = &hl.l[i + ui->overlay_scroll];

		if (l->first || (narrow && l->n == 0 && l->text[0] == '\0')) {
			keys_names(l->row, keys, sizeof keys);
			ui_put(y + i, x, narrow ? w : 16, keys, strlen(keys), VS_KEY, false);
			if (narrow && l->n == 0)
				continue;
		}
		ui_put(y + i, x + kw, w - kw - ww, l->text, l->n, VS_NORMAL, false);
		if (ww > 0 && l->first)
			ui_put(y + i, x + w - 10, 11, where_name(l->row->where),
			    strlen(where_name(l->row->where)), VS_DIM, false);
	}
	ui_put(y + h + 1, x, w, foot, strlen(foot), VS_DIM, false);
	free(hl.l);
}

/* Wrapped lines of the warnings box, pointing into its text. */
struct ui_wrapped {
	struct { const char *p; size_t n; bool first; } *line;
	size_t n, cap;
	const char *para;      /* the message being wrapped */
};

static void
ui_wrapped_add(void *arg, const char *line, size_t n)
{
	struct ui_wrapped *wr = arg;

	if (wr->n == wr->cap) {
		wr->cap = wr->cap ? wr->cap * 2 : 16;
		wr->line = xreallocarray(wr->line, wr->cap, sizeof *wr->line);
	}
	wr->line[wr->n].p = line;
	wr->line[wr->n].n = n;
	wr->line[wr->n].first = line == wr->para;
	wr->n++;
}

/* Every problem of the session on screen, each wrapped, the lines after
 * a message's first indented, so that long file names can be read. */
static void
ui_draw_warnings(struct ui *ui, const struct ui_pane_ops *pane)
{
	struct buf all = BUF_INIT, title = BUF_INIT;
	struct ui_wrapped wr = { NULL, 0, 0, NULL };
	struct session *s = ui_session_on_screen(ui, pane);
	const char *p, *nl, *none = "Nothing went wrong reading this session.";
	int x, y, w, h, width, i;
	size_t k;

	ui_session_problems(ui, pane, &all, true);
	width = (ui->lay.w - 4 < 100 ? ui->lay.w - 4 : 100) - 4;
	for (p = all.p; p != NULL && p < all.p + all.len; p = nl + 1) {
		nl = memchr(p, '\n', (size_t)(all.p + all.len - p));
		wr.para = p;
		text_wrap(p, (size_t)(nl - p), width > 4 ? width - 2 : 2, ui_wrapped_add, &wr);
	}
	buf_adds(&title, " Warnings");
	if (s != NULL) {
		buf_adds(&title, ": ");
		text_sanitize(&title, session_id(s), strlen(session_id(s)), 0);
	}
	buf_adds(&title, "  (j/k scroll; q or w closes) ");
	ui_draw_box(ui, 100, wr.n > 0 ? (int)wr.n : 1, buf_str(&title), &x, &y, &w, &h);
	if (wr.n == 0)
		ui_put(y, x, w, none, strlen(none), VS_DIM, false);
	for (i = 0; i < h && (size_t)(i + ui->overlay_scroll) < wr.n; i++) {
		k = (size_t)(i + ui->overlay_scroll);
		ui_put(y + i, x + (wr.line[k].first ? 0 : 2), w - 2, wr.line[k].p, wr.line[k].n,
		    VS_WARN, false);
	}
	free(wr.line);
	buf_free(&title);
	buf_free(&all);
}

/* The frame before the panes draw; false when the terminal is too small
 * for them (the frame said so). */
bool
ui_frame_begin(struct ui *ui, const struct ui_pane_ops *pane)
{
	ui_draw_layout(ui);
	if (ui->lay.too_small) {
		ui_draw_too_small(ui);
		refresh();
		return false;
	}
	erase();
	ui_draw_title(ui, pane);
	return true;
}

/* After the panes: the status bar, an overlay, and out to the terminal. */
void
ui_frame_end(struct ui *ui, const struct ui_pane_ops *pane)
{
	ui_draw_status(ui, pane);
	if (ui->overlay == OVERLAY_HELP)
		ui_draw_help(ui);
	else if (ui->overlay == OVERLAY_WARNINGS)
		ui_draw_warnings(ui, pane);
	else if (ui->overlay == OVERLAY_PIPE)
		ui_out_draw_pipe(ui);
	refresh();
}
