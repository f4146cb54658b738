/* SPDX-License-Identifier: MIT */
/*
 * ui_draw.c — the drawing helpers every pane and the frame share: colours,
 * the glyph table, the layout, text, document lines, rules and boxes.
 * All text reaches the terminal through ui_put_attr, which sanitises it
 * (doc/reference.md §7): no byte of a trace can become a control sequence.
 */
#include "ui.h"

#include <curses.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "text.h"

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

static const struct ui_glyphs glyphs_utf8 = {
	.ellipsis = "\xe2\x80\xa6",
	.gone = "\xe2\x88\x85", .loading = "\xe2\x80\xa6", .paused = "\xe2\x80\x96",
	.failed = "\xe2\x9c\x97", .completed = "\xe2\x9c\x93", .running = "\xe2\x97\x8f",
	.partial = "?",
	.guide = { "\xe2\x94\x82  ", "\xe2\x94\x9c\xe2\x94\x80", "\xe2\x94\x94\xe2\x94\x80",
	    "   " },
	.fold_closed = "\xe2\x96\xb8", .fold_open = "\xe2\x96\xbe", .leaf = "\xe2\x94\x80",
	.on_path = "\xe2\x97\x86", .error = "\xe2\x9c\x97", .bar = "\xe2\x96\x88",
	.acs = true,
};

/* What a terminal without UTF-8 gets: tig's and htop's ASCII forms. */
static const struct ui_glyphs glyphs_ascii = {
	.ellipsis = "~",
	.gone = "-", .loading = ".", .paused = "=", .failed = "x", .completed = "+",
	.running = "*", .partial = "?",
	.guide = { "|  ", "|-", "`-", "   " },
	.fold_closed = "+", .fold_open = "-", .leaf = "-",
	.on_path = "*", .error = "!", .bar = "=",
	.acs = false,
};

void
ui_draw_rule(struct ui *ui, int y, int x, int len, bool vertical)
{
	attrset(A_DIM);
	if (vertical)
		mvvline(y, x, ui->glyph->acs ? ACS_VLINE : '|', len);
	else
		mvhline(y, x, ui->glyph->acs ? ACS_HLINE : '-', len);
	attrset(A_NORMAL);
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

	ui->glyph = ui->utf8 ? &glyphs_utf8 : &glyphs_ascii;
	ellipsis = ui->glyph->ellipsis;
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

/* What a search match is drawn in, over text drawn in attr. */
static int
ui_match_attr(bool reverse)
{
	return ui_style_attr(VS_LITERAL) | A_BOLD | A_UNDERLINE | (reverse ? 0 : A_REVERSE);
}

/*
 * The one highlighting rule (list and tree rows, the inspector's lines):
 * s[0..n), drawn in runs of styles (runs[k].off to the next run's),
 * with every match of needle (text_find's rule) in ui_match_attr.  A match
 * may cross runs.  Returns the columns used.
 */
static int
ui_put_runs_hl(int y, int x, int w, const char *s, size_t n, const struct vrun *runs,
    size_t nruns, bool reverse, const char *needle)
{
	size_t len = needle != NULL ? strlen(needle) : 0, pos = 0, at, r, end, stop;
	size_t mstart = n, mend = n;
	int used = 0;

	if (len > 0 && text_find(s, n, needle, len, &at)) {
		mstart = at;
		mend = at + len;
	}
	for (r = 0; r < nruns && pos < n && used < w; r++) {
		end = r + 1 < nruns ? runs[r + 1].off : n;
		while (pos < end && used < w) {
			if (pos >= mstart && pos < mend) {
				stop = mend < end ? mend : end;
				used += ui_put_attr(y, x + used, w - used, s + pos, stop - pos,
				    ui_match_attr(reverse));
			} else {
				stop = mstart > pos && mstart < end ? mstart : end;
				used += ui_put(y, x + used, w - used, s + pos, stop - pos,
				    (enum vstyle)runs[r].style, reverse);
			}
			pos = stop;
			if (pos == mend && text_find(s + pos, n - pos, needle, len, &at)) {
				mstart = pos + at;
				mend = mstart + len;
			}
		}
	}
	return used;
}

int
ui_put_hl(int y, int x, int w, const char *s, size_t n, enum vstyle st, bool reverse,
    const char *needle)
{
	struct vrun run = { 0, (uint8_t)st };

	if (needle == NULL || *needle == '\0')
		return ui_put(y, x, w, s, n, st, reverse);
	return ui_put_runs_hl(y, x, w, s, n, &run, 1, reverse, needle);
}

void
ui_fill(int y, int x, int w, int attr)
{
	attrset(attr);
	if (w > 0)
		mvhline(y, x, ' ', w);
	attrset(A_NORMAL);
}

/* One document line, clipped to w, with what a search found highlighted
 * (needle may be NULL). */
void
ui_draw_vline_hl(const struct vline *l, int y, int x, int w, bool selected,
    const char *needle)
{
	if (needle == NULL || *needle == '\0' || l->text == NULL) {
		ui_draw_vline(l, y, x, w, 0, selected);
		return;
	}
	if (selected)
		ui_fill(y, x, w, A_REVERSE);
	ui_put_runs_hl(y, x, w, l->text, l->len, l->runs, l->nruns, selected, needle);
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
	l->too_small = l->w < UI_MIN_W || l->h < UI_MIN_H;
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

	ui->overlay_scroll = (int)cursor_top(ui->overlay_scroll, -1, bh - 4, nlines);
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
