/*
 * ui_draw.c — colours, layout and the pieces of the screen every view
 * shares: title bar, status bar, help overlay, the too-small message.
 * All text reaches the terminal through ui_put_attr, which sanitises it
 * (doc/reference.md §7): no byte of a trace can become a control sequence.
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

#define MIN_W 40
#define MIN_H 8

static int style_attr[VS_NSTYLES];
/* What ends text cut short: "…", or "~" (as tig does) without UTF-8. */
static const char *ellipsis = "~";
/* Without a UTF-8 locale, curses would show each byte of a UTF-8
 * character as "~W"-like soup: each character becomes one "?". */
static bool ascii_only;

/* Replace every non-ASCII character of s[0..n) with '?' into out. */
static void
ui_asciify(struct buf *out, const char *s, size_t n)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t i = 0, len;
	unsigned cp;

	buf_reset(out);
	while (i < n) {
		if (p[i] < 0x80) {
			buf_addc(out, (char)p[i++]);
			continue;
		}
		len = utf8_decode(p + i, n - i, &cp);
		buf_addc(out, '?');
		i += len > 0 ? len : 1;
	}
}

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
	ascii_only = !ui->utf8;
	/* no-color.org: NO_COLOR set and not empty turns colour off. */
	ui->color = has_colors() && (getenv("NO_COLOR") == NULL ||
	    *getenv("NO_COLOR") == '\0');
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
	static struct buf safe = BUF_INIT, ascii = BUF_INIT;
	size_t fit, i;
	int used = 0;

	if (w <= 0)
		return 0;
	if (!text_is_safe(s, n)) {
		buf_reset(&safe);
		text_sanitize(&safe, s, n, 0);
		s = buf_str(&safe);
		n = safe.len;
	}
	if (ascii_only) {
		for (i = 0; i < n && (unsigned char)s[i] < 0x80; i++)
			;
		if (i < n) {
			ui_asciify(&ascii, s, n);
			s = buf_str(&ascii);
			n = ascii.len;
		}
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

int
ui_put_hl(int y, int x, int w, const char *s, size_t n, enum vstyle st, bool reverse,
    const char *needle)
{
	size_t at;
	int used;

	if (needle == NULL || !ui_text_find(s, n, needle, &at))
		return ui_put(y, x, w, s, n, st, reverse);
	used = ui_put(y, x, w, s, at, st, reverse);
	used += ui_put_attr(y, x + used, w - used, s + at, strlen(needle),
	    ui_style_attr(VS_LITERAL) | A_BOLD | A_UNDERLINE | (reverse ? 0 : A_REVERSE));
	used += ui_put(y, x + used, w - used, s + at + strlen(needle),
	    n - at - strlen(needle), st, reverse);
	return used;
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
	struct ui_entry *e;
	enum vstyle vs;
	const char *word;
	bool partial;
	int x;

	ui_fill(0, 0, ui->lay.w, A_REVERSE);
	if (ui->screen == SCREEN_LIST || ui->tree.s == NULL) {
		buf_printf(&b, " mcp-inspect-tui  %s", ui->ins != NULL ?
		    remote_base(ui->ins) : ui->src.where);
		ui_put(0, 0, ui->lay.w, b.p, b.len, VS_NORMAL, true);
		buf_free(&b);
		return;
	}
	session_meta_get(ui->tree.s, &m);
	e = ui_list_entry(ui, ui->tree.id, false);
	/* A partly served trace (a real inspector's rotated session): the
	 * inspector's status and title stand, not a guess from the part. */
	partial = e != NULL && e->remote && e->chunks > 0 && e->have_meta;
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

/* Right side of the status bar: counts, bad lines, progress. */
static void
ui_status_right(struct ui *ui, struct buf *b)
{
	const struct trace_stats *st;
	uint64_t done, size;
	size_t i, read = 0;

	if (ui->search_note != NULL)
		buf_printf(b, "%s  ", ui->search_note);
	if (ui->ins != NULL) {
		ui_remote_status(ui, b);
		buf_adds(b, "  ");
	}
	if (ui->screen == SCREEN_SESSION && ui->tree.s != NULL) {
		st = trace_stats(session_trace(ui->tree.s));
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
	buf_addc(b, ' ');
}

/*
 * The keys that matter on the screen shown, for the status bar when it
 * has nothing else to say.  When they do not all fit, the least needed
 * go first (the lowest rank); ? help stays longest.
 */
struct ui_hint {
	const char *keys, *what;
	int rank;
};

static const struct ui_hint hints_list[] = {
	{ "Enter", "open", 4 }, { "/", "search", 3 }, { "f", "filter", 2 },
	{ "?", "help", 9 }, { "q", "quit", 5 }, { NULL, NULL, 0 },
};
static const struct ui_hint hints_tree[] = {
	{ "Enter", "fold", 4 }, { "/", "search", 3 }, { "f", "filter", 2 },
	{ "e", "next error", 1 }, { "Tab", "tab", 1 }, { "i", "inspector", 0 },
	{ "?", "help", 9 }, { "q", "back", 5 }, { NULL, NULL, 0 },
};
static const struct ui_hint hints_inspector[] = {
	{ "Enter", "fold", 4 }, { "/", "search", 3 }, { "Tab", "tab", 1 },
	{ "i", "tree", 2 }, { "?", "help", 9 }, { "q", "back", 5 },
	{ NULL, NULL, 0 },
};

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

static const struct ui_hint *
ui_hints(struct ui *ui)
{
	return ui->screen == SCREEN_LIST ? hints_list :
	    ui->focus == FOCUS_INSPECTOR ? hints_inspector : hints_tree;
}

/* The lowest rank of hints that fit in w columns (10: none do). */
static int
ui_hints_rank(struct ui *ui, int w)
{
	int min_rank = 0;

	while (min_rank < 10 && ui_hints_width(ui_hints(ui), min_rank) > w)
		min_rank++;
	return min_rank;
}

/* Draw the hints of rank min_rank and up at (y, x). */
static void
ui_draw_hints(struct ui *ui, int y, int x, int min_rank)
{
	const struct ui_hint *h = ui_hints(ui);
	const char *what;

	for (; h->keys != NULL && min_rank < 10; h++) {
		if (h->rank < min_rank)
			continue;
		/* q quits a session opened directly: there is no list behind. */
		what = strcmp(h->keys, "q") == 0 && (ui->screen == SCREEN_LIST ||
		    (ui->direct && ui->focus == FOCUS_TREE)) ? "quit" : h->what;
		x += ui_put(y, x, ui->lay.w - x, h->keys, strlen(h->keys), VS_NORMAL, true);
		x += ui_put(y, x, ui->lay.w - x, " ", 1, VS_NORMAL, true);
		x += ui_put_attr(y, x, ui->lay.w - x, what, strlen(what), A_REVERSE | A_DIM);
		x += ui_put(y, x, ui->lay.w - x, "  ", 2, VS_NORMAL, true);
	}
}

/* The session the status bar and the warnings box speak of: the open
 * one, else the selected list row's; NULL when there is none. */
static struct session *
ui_session_on_screen(struct ui *ui)
{
	if (ui->screen == SCREEN_SESSION)
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
ui_session_problems(struct ui *ui, struct buf *out, bool each_bad)
{
	struct session *s = ui_session_on_screen(ui);
	struct buf one = BUF_INIT;
	uint64_t bad;
	size_t i, n = 0;

	if (s == NULL)
		return 0;
	for (i = 0; i < session_nwarnings(s); i++, n++)
		ui_problem_line(out, "warning: ", session_warning(s, i),
		    strlen(session_warning(s, i)));
	if (ui->screen == SCREEN_SESSION && trace_describe_structure(session_trace(s), &one)) {
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
ui_status_warning(struct ui *ui, struct buf *b)
{
	struct buf all = BUF_INIT;
	size_t n = ui_session_problems(ui, &all, false);

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
ui_draw_status(struct ui *ui)
{
	struct buf right = BUF_INIT, left = BUF_INIT;
	int y = ui->lay.h - 1, rw, x, cy = 0, cx = 0, avail, lw, hw, rank;
	enum vstyle vs = VS_NORMAL;

	ui_fill(y, 0, ui->lay.w, A_REVERSE);
	ui_status_right(ui, &right);
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
		else if (ui->screen == SCREEN_SESSION && ui->an.stats_open)
			/* The stats view's own keys. */
			ui_analysis_stats_hint(ui, &left);
		else if (ui_status_warning(ui, &left))
			vs = VS_WARN;
		if (ui->message != NULL && ui->message_error)
			vs = VS_ERROR;
		lw = text_width(buf_str(&left), left.len);
		/* A message or warning says something the user needs: the
		 * hints take only the room it leaves. */
		rank = ui_hints_rank(ui, left.len > 0 ? avail - lw - 2 : avail - 1);
		hw = rank < 10 ? ui_hints_width(ui_hints(ui), rank) + 2 : 0;
		if (left.len > 0) {
			ui_put(y, 0, avail - hw, left.p, left.len, vs, true);
			ui_draw_hints(ui, y, avail - hw + 2, rank);
		} else
			ui_draw_hints(ui, y, 1, rank);
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

/*
 * Clear a box of up to max_w columns for nlines lines of content, centred,
 * with rules above and below and title on the top one; clamp the
 * overlay's scroll to the content.  *x and *y receive where content goes,
 * *w its width and *rows how many lines fit.
 */
void
ui_draw_box(struct ui *ui, int max_w, int nlines, const char *title,
    int *x, int *y, int *w, int *rows)
{
	/* A small terminal: the box takes all of it (but the status bar),
	 * so nothing of what is under it shows through at the sides. */
	int bw = ui->lay.w < 60 ? ui->lay.w : ui->lay.w - 4 < max_w ? ui->lay.w - 4 : max_w;
	int bh = ui->lay.h < 16 ? ui->lay.h - 1 :
	    ui->lay.h - 2 < nlines + 4 ? ui->lay.h - 2 : nlines + 4;
	int x0 = (ui->lay.w - bw) / 2, y0 = ui->lay.h < 16 ? 0 : (ui->lay.h - bh) / 2, i;

	if (ui->overlay_scroll > nlines - (bh - 4))
		ui->overlay_scroll = nlines - (bh - 4) > 0 ? nlines - (bh - 4) : 0;
	for (i = 0; i < bh; i++)
		ui_fill(y0 + i, x0, bw, A_NORMAL);
	attrset(A_BOLD);
	mvhline(y0, x0, ACS_HLINE, bw);
	mvhline(y0 + bh - 1, x0, ACS_HLINE, bw);
	attrset(A_NORMAL);
	ui_put(y0, x0 + 2, bw - 4, title, strlen(title), VS_HEADER, false);
	*x = x0 + 2;
	*y = y0 + 2;
	*w = bw - 4;
	*rows = bh - 4;
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
ui_draw_warnings(struct ui *ui)
{
	struct buf all = BUF_INIT, title = BUF_INIT;
	struct ui_wrapped wr = { NULL, 0, 0, NULL };
	struct session *s = ui_session_on_screen(ui);
	const char *p, *nl, *none = "Nothing went wrong reading this session.";
	int x, y, w, h, width, i;
	size_t k;

	ui_session_problems(ui, &all, true);
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
	else if (ui->screen == SCREEN_DIFF)
		ui_diff_draw(ui);
	else if (ui->an.stats_open)
		ui_analysis_stats_draw(ui);
	else {
		ui_tree_draw(ui);
		ui_inspector_draw(ui);
	}
	ui_draw_status(ui);
	if (ui->overlay == OVERLAY_HELP)
		ui_draw_help(ui);
	else if (ui->overlay == OVERLAY_WARNINGS)
		ui_draw_warnings(ui);
	else if (ui->overlay == OVERLAY_PIPE)
		ui_out_draw_pipe(ui);
	refresh();
}
