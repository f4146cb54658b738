/*
 * ui_draw.c — colours, layout and the pieces of the screen every view
 * shares: title bar, status bar, help overlay, the too-small message.
 * All text reaches the terminal through ui_put_attr, which sanitises it
 * (SPEC §7): no byte of a trace can become a control sequence.
 */
#include "ui.h"

#include <curses.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "filter.h"
#include "text.h"
#include "trace.h"

#define MIN_W 40
#define MIN_H 8

static int style_attr[VS_NSTYLES];
/* What ends text cut short: "…", or "~" (as tig does) without UTF-8. */
static const char *ellipsis = "~";

void
ui_draw_init(struct ui *ui)
{
	static const struct { enum vstyle st; short fg; int extra; int mono; } map[] = {
		{ VS_NORMAL, -1, 0, 0 },
		{ VS_DIM, -1, A_DIM, A_DIM },
		{ VS_HEADER, COLOR_CYAN, A_BOLD, A_BOLD },
		{ VS_KEY, COLOR_CYAN, 0, 0 },
		{ VS_STRING, COLOR_GREEN, 0, 0 },
		{ VS_NUMBER, COLOR_MAGENTA, 0, 0 },
		{ VS_LITERAL, COLOR_YELLOW, 0, 0 },
		{ VS_ERROR, COLOR_RED, A_BOLD, A_BOLD },
		{ VS_WARN, COLOR_YELLOW, A_BOLD, A_BOLD | A_UNDERLINE },
		{ VS_OK, COLOR_GREEN, 0, 0 },
		{ VS_ACCENT, COLOR_BLUE, A_BOLD, A_BOLD },
	};
	size_t i;

	ellipsis = ui->utf8 ? "\xe2\x80\xa6" : "~";
	ui->color = has_colors() && getenv("NO_COLOR") == NULL;
	if (ui->color) {
		start_color();
		use_default_colors();
	}
	for (i = 0; i < sizeof map / sizeof map[0]; i++) {
		if (ui->color && map[i].fg != -1) {
			init_pair((short)(i + 1), map[i].fg, -1);
			style_attr[map[i].st] = (int)COLOR_PAIR(i + 1) | map[i].extra;
		} else
			style_attr[map[i].st] = ui->color ? map[i].extra : map[i].mono;
	}
}

int
ui_style_attr(enum vstyle st)
{
	return (unsigned)st < VS_NSTYLES ? style_attr[st] : 0;
}

int
ui_put_attr(int y, int x, int w, const char *s, size_t n, int attr)
{
	static struct buf safe = BUF_INIT;
	size_t fit;
	int used = 0;

	if (w <= 0)
		return 0;
	if (!text_is_safe(s, n)) {
		buf_reset(&safe);
		text_sanitize(&safe, s, n, 0);
		s = buf_str(&safe);
		n = safe.len;
	}
	fit = text_fit(s, n, w, &used);
	attrset(attr);
	if (fit < n && w >= 2) {
		/* Cut short: say so in the last column, so a name that fills
		 * its column is not taken for the whole name. */
		fit = text_fit(s, n, w - 1, &used);
		mvaddnstr(y, x, s, (int)fit);
		mvaddstr(y, x + used, ellipsis);
		used++;
	} else
		mvaddnstr(y, x, s, (int)fit);
	attrset(A_NORMAL);
	return used;
}

int
ui_put(int y, int x, int w, const char *s, size_t n, enum vstyle st, bool reverse)
{
	return ui_put_attr(y, x, w, s, n, ui_style_attr(st) | (reverse ? A_REVERSE : 0));
}

static void
ui_fill(int y, int x, int w, int attr)
{
	attrset(attr);
	if (w > 0)
		mvhline(y, x, ' ', w);
	attrset(A_NORMAL);
}

/* One document line, from column skip_cols, clipped to w. */
void
ui_draw_vline(const struct vline *l, int y, int x, int w, int skip_cols, bool selected)
{
	int col = 0, used;
	uint16_t r;
	uint32_t from, to;
	size_t skip;

	if (selected)
		ui_fill(y, x, w, A_REVERSE);
	for (r = 0; r < l->nruns && col < w; r++) {
		from = l->runs[r].off;
		to = r + 1 < l->nruns ? l->runs[r + 1].off : l->len;
		if (skip_cols > 0) {
			skip = text_fit(l->text + from, to - from, skip_cols, &used);
			skip_cols -= used;
			from += (uint32_t)skip;
			if (skip_cols > 0)
				continue;
		}
		col += ui_put(y, x + col, w - col, l->text + from, to - from,
		    (enum vstyle)l->runs[r].style, selected);
	}
}

void
ui_draw_layout(struct ui *ui)
{
	struct ui_layout *l = &ui->lay;
	int body;

	getmaxyx(stdscr, l->h, l->w);
	l->too_small = l->w < MIN_W || l->h < MIN_H;
	l->list_y = 2;
	l->list_h = l->h - 3;
	body = l->h - 2;
	l->stacked = l->w < 100;
	if (!l->stacked) {
		l->tree_w = l->w * 55 / 100;
		l->tree_x = 0;
		l->tree_y = 1;
		l->tree_h = body;
		l->insp_x = l->tree_w + 1;
		l->insp_y = 1;
		l->insp_w = l->w - l->insp_x;
		l->insp_h = body;
	} else {
		l->tree_x = 0;
		l->tree_y = 1;
		l->tree_w = l->w;
		l->tree_h = body * 45 / 100 > 2 ? body * 45 / 100 : 2;
		l->insp_x = 0;
		l->insp_y = l->tree_y + l->tree_h + 1;
		l->insp_w = l->w;
		l->insp_h = body - l->tree_h - 1;
	}
}

static void
ui_draw_too_small(struct ui *ui)
{
	static const char msg[] = "Terminal too small";
	char need[64];

	erase();
	snprintf(need, sizeof need, "need at least %dx%d, have %dx%d", MIN_W, MIN_H,
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

static void
ui_draw_title(struct ui *ui)
{
	struct buf b = BUF_INIT;
	struct session_meta m;
	enum vstyle vs;
	const char *word;
	int x;

	ui_fill(0, 0, ui->lay.w, A_REVERSE);
	if (ui->screen == SCREEN_LIST || ui->tree.s == NULL) {
		buf_printf(&b, " mcp-inspect-tui  %s", ui->ins != NULL ?
		    inspector_base(ui->ins) : ui->src.where);
		ui_put(0, 0, ui->lay.w, b.p, b.len, VS_NORMAL, true);
		buf_free(&b);
		return;
	}
	session_meta_get(ui->tree.s, &m);
	buf_printf(&b, " %s  ", m.title);
	x = ui_put(0, 0, ui->lay.w, b.p, b.len, VS_HEADER, true);
	word = status_word_style(m.status, &vs);
	x += ui_put(0, x, ui->lay.w - x, word, strlen(word), vs, true);
	buf_reset(&b);
	if (m.status == SESSION_PAUSED && m.signal_name != NULL)
		buf_printf(&b, "  waiting on %s%s%s", m.signal_name,
		    m.signal_prompt ? ": " : "", m.signal_prompt ? m.signal_prompt : "");
	buf_printf(&b, "  %s", m.id);
	ui_put(0, x, ui->lay.w - x, b.p, b.len, VS_NORMAL, true);
	session_meta_clear(&m);
	buf_free(&b);
}

/* Right side of the status bar: counts, bad lines, progress. */
static void
ui_status_right(struct ui *ui, struct buf *b)
{
	const struct trace_stats *st;
	uint64_t done, size;
	size_t i, read = 0;

	if (ui->ins != NULL) {
		ui_remote_status(ui, b);
		buf_adds(b, "  ");
	}
	if (ui->screen == SCREEN_SESSION && ui->tree.s != NULL) {
		st = trace_stats(session_trace(ui->tree.s));
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
	} else {
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
	buf_adds(b, "  ? help ");
}

/*
 * What went wrong reading the session on screen (the open one, else the
 * selected list row), for the status bar: its first warning with how many
 * more — an open session's duplicated ids and broken cycles count as one
 * — else its first bad line.  False when nothing did.
 */
static bool
ui_status_warning(struct ui *ui, struct buf *b)
{
	struct session *s = NULL;
	struct buf note = BUF_INIT;
	size_t n;

	if (ui->screen == SCREEN_SESSION)
		s = ui->tree.s;
	else if (ui->list.nrows > 0 && ui->list.sel < ui->list.n)
		s = ui->list.e[ui->list.sel].summary;
	if (s == NULL)
		return false;
	n = session_nwarnings(s);
	if (ui->screen == SCREEN_SESSION && trace_describe_structure(session_trace(s), &note))
		n++;
	if (n > 0) {
		buf_printf(b, "warning: %s", session_nwarnings(s) > 0 ?
		    session_warning(s, 0) : buf_str(&note));
		if (n > 1)
			buf_printf(b, "  (+%zu more)", n - 1);
	} else if (session_first_bad(s) != NULL)
		buf_printf(b, "bad line: %s", session_first_bad(s));
	buf_free(&note);
	return b->len > 0;
}

static void
ui_draw_status(struct ui *ui)
{
	struct buf right = BUF_INIT, left = BUF_INIT;
	int y = ui->lay.h - 1, rw;

	ui_fill(y, 0, ui->lay.w, A_REVERSE);
	ui_status_right(ui, &right);
	rw = text_width(right.p, right.len);
	if (rw > ui->lay.w / 2)
		rw = ui->lay.w / 2;
	if (ui->prompt != PROMPT_NONE) {
		buf_adds(&left, ui->prompt == PROMPT_SEARCH ? "/" : "filter: ");
		buf_add(&left, buf_str(&ui->input), ui->input.len);
		ui_put(y, 0, ui->lay.w - rw - 1, left.p, left.len, VS_NORMAL, true);
	} else if (ui->message != NULL)
		ui_put(y, 0, ui->lay.w - rw - 1, ui->message, strlen(ui->message),
		    ui->message_error ? VS_ERROR : VS_NORMAL, true);
	else if (ui_status_warning(ui, &left))
		ui_put(y, 0, ui->lay.w - rw - 1, left.p, left.len, VS_WARN, true);
	ui_put(y, ui->lay.w - rw, rw, right.p, right.len, VS_NORMAL, true);
	if (ui->prompt != PROMPT_NONE) {
		move(y, text_width(left.p, left.len) < ui->lay.w - rw - 1 ?
		    text_width(left.p, left.len) : ui->lay.w - rw - 1);
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
	return "";
}

static void
ui_draw_help(struct ui *ui)
{
	const struct key_row *rows;
	char keys[64], line[256];
	int n, i, w, h, x0, y0, y;

	rows = keys_table(&n);
	w = ui->lay.w - 4 < 76 ? ui->lay.w - 4 : 76;
	h = ui->lay.h - 2 < n + 4 ? ui->lay.h - 2 : n + 4;
	x0 = (ui->lay.w - w) / 2;
	y0 = (ui->lay.h - h) / 2;
	if (ui->help_scroll > n - (h - 4))
		ui->help_scroll = n - (h - 4) > 0 ? n - (h - 4) : 0;
	for (y = 0; y < h; y++)
		ui_fill(y0 + y, x0, w, A_NORMAL);
	attrset(A_BOLD);
	mvhline(y0, x0, ACS_HLINE, w);
	mvhline(y0 + h - 1, x0, ACS_HLINE, w);
	attrset(A_NORMAL);
	snprintf(line, sizeof line, " Keys  (scroll with j/k; q or ? closes) ");
	ui_put(y0, x0 + 2, w - 4, line, strlen(line), VS_HEADER, false);
	for (i = 0; i < h - 4 && i + ui->help_scroll < n; i++) {
		const struct key_row *r = &rows[i + ui->help_scroll];

		keys_names(r, keys, sizeof keys);
		ui_put(y0 + 2 + i, x0 + 2, 16, keys, strlen(keys), VS_KEY, false);
		ui_put(y0 + 2 + i, x0 + 19, w - 21 - 11, r->help, strlen(r->help),
		    VS_NORMAL, false);
		ui_put(y0 + 2 + i, x0 + w - 12, 11, where_name(r->where),
		    strlen(where_name(r->where)), VS_DIM, false);
	}
	snprintf(line, sizeof line, " mouse: click selects, double-click opens, wheel scrolls ");
	ui_put(y0 + h - 1, x0 + 2, w - 4, line, strlen(line), VS_DIM, false);
}

void
ui_draw(struct ui *ui)
{
	ui_draw_layout(ui);
	if (ui->lay.too_small) {
		ui_draw_too_small(ui);
		refresh();
		return;
	}
	erase();
	ui_draw_title(ui);
	if (ui->screen == SCREEN_LIST)
		ui_list_draw(ui);
	else {
		ui_tree_draw(ui);
		ui_inspector_draw(ui);
	}
	ui_draw_status(ui);
	if (ui->help)
		ui_draw_help(ui);
	refresh();
}
