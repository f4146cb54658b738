/* SPDX-License-Identifier: MIT */
/*
 * ui_stats.c — the stats pane (`s`): span groups per tool, model, agent and
 * type of the open session (ui_analysis.c computes and sorts them), the
 * wall-time split along the critical path, sorting by any column, and
 * Enter for the row's spans in the tree (a filter, asked of the loop).
 */
#include "ui.h"

#include <curses.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "cost.h"
#include "fmt.h"
#include "stats.h"
#include "text.h"

static const struct { const char *name; int w; } an_cols[STATS_COL_N] = {
	{ "NAME", 0 }, { "COUNT", 7 }, { "ERRORS", 7 }, { "TOTAL", 9 }, { "P50", 9 },
	{ "P95", 9 }, { "MAX", 9 }, { "TOKENS IN/OUT", 15 }, { "COST", 9 },
};

static void
an_close_stats(struct ui *ui)
{
	ui->an.stats_open = false;
	ui->dirty = true;
}

/* Enter: the tree, filtered to the row's spans. */
static void
an_filter_row(struct ui *ui)
{
	struct ui_analysis *a = &ui->an;
	const struct stats_group *g;
	char *expr;	/* given to the request */

	if (a->nrows == 0)
		return;
	g = &a->stats->g[a->order[a->sel]];
	expr = stats_group_filter(g);
	an_close_stats(ui);
	/* The request owns expr. */
	ui_post(ui, &(struct ui_req){ .kind = REQ_FILTER_TREE, .text = expr });
}

static bool
stats_key(struct ui *ui, enum key_action act)
{
	struct ui_analysis *a = &ui->an;
	/* A page is the rows under the header lines. */
	long page = ui->lay.h > 8 ? ui->lay.h - 8 : 1;
	enum cursor_step step = keys_cursor_step(act);

	if (step != CURSOR_NONE) {
		a->sel = (size_t)cursor_step((long)a->sel, step, (long)a->nrows, page);
		ui->dirty = true;
		return true;
	}
	switch (act) {
	case ACT_SORT_NEXT: a->sort = (a->sort + 1) % STATS_COL_N; a->sort_rev = false; ui_analysis_stats_sort(ui); break;
	case ACT_SORT_PREV: a->sort = (a->sort + STATS_COL_N - 1) % STATS_COL_N; a->sort_rev = false; ui_analysis_stats_sort(ui); break;
	case ACT_SORT_REVERSE: a->sort_rev = !a->sort_rev; ui_analysis_stats_sort(ui); break;
	case ACT_STATS_FILTER: an_filter_row(ui); return true;
	case ACT_STATS: case ACT_BACK: case ACT_CANCEL: an_close_stats(ui); return true;
	default: return false;
	}
	a->sel = (size_t)cursor_clamp((long)a->sel, (long)a->nrows);
	ui->dirty = true;
	return true;
}

/* The key hint for the status bar. */
static bool
an_descending(const struct ui_analysis *a)
{
	return (a->sort != STATS_COL_KEY) != a->sort_rev;
}

static bool
stats_hint(struct ui *ui, struct buf *b)
{
	buf_printf(b, "sorted by %s %s  < > column  r reverse  Enter: its spans in the "
	    "tree  q back", an_cols[ui->an.sort].name, an_descending(&ui->an) ?
	    "descending" : "ascending");
	return true;
}

static void
an_split(struct buf *b, const char *what, int64_t part, int64_t wall)
{
	buf_printf(b, "  %s ", what);
	fmt_duration(b, part);
	buf_printf(b, " (%.0f%%)", wall > 0 ? 100.0 * (double)part / (double)wall : 0.0);
}

static void
an_cell(struct ui *ui, int y, int x, int w, struct buf *b, enum vstyle st, bool sel)
{
	int tw = text_width(b->p, b->len);

	if (w <= 0 || x >= ui->lay.w)
		return;
	ui_put(y, x + (tw < w - 1 ? w - 1 - tw : 0), w - 1, b->p, b->len, st, sel);
	buf_reset(b);
}

static void
an_draw_row(struct ui *ui, int y, const struct stats_group *g, int keyw, bool sel)
{
	struct buf b = BUF_INIT;
	int x = keyw + 8;

	if (sel) {
		attrset(A_REVERSE);
		mvhline(y, 0, ' ', ui->lay.w);
		attrset(A_NORMAL);
	}
	ui_put(y, 1, 6, stats_by_name(g->by), strlen(stats_by_name(g->by)), VS_DIM, sel);
	ui_put(y, 8, keyw - 1, g->key, strlen(g->key), VS_ACCENT, sel);
	buf_printf(&b, "%u", g->count);
	an_cell(ui, y, x, an_cols[STATS_COL_COUNT].w, &b, VS_NORMAL, sel);
	x += an_cols[STATS_COL_COUNT].w;
	buf_printf(&b, "%u", g->errors);
	an_cell(ui, y, x, an_cols[STATS_COL_ERRORS].w, &b, g->errors ? VS_ERROR : VS_NORMAL, sel);
	x += an_cols[STATS_COL_ERRORS].w;
	fmt_duration(&b, g->total_ns);
	an_cell(ui, y, x, an_cols[STATS_COL_TOTAL].w, &b, VS_NORMAL, sel);
	x += an_cols[STATS_COL_TOTAL].w;
	fmt_duration(&b, g->p50_ns);
	an_cell(ui, y, x, an_cols[STATS_COL_P50].w, &b, VS_NORMAL, sel);
	x += an_cols[STATS_COL_P50].w;
	fmt_duration(&b, g->p95_ns);
	an_cell(ui, y, x, an_cols[STATS_COL_P95].w, &b, VS_NORMAL, sel);
	x += an_cols[STATS_COL_P95].w;
	fmt_duration(&b, g->max_ns);
	an_cell(ui, y, x, an_cols[STATS_COL_MAX].w, &b, VS_NORMAL, sel);
	x += an_cols[STATS_COL_MAX].w;
	if (g->tok_in > 0 || g->tok_out > 0) {
		fmt_count(&b, g->tok_in);
		buf_addc(&b, '/');
		fmt_count(&b, g->tok_out);
	} else
		buf_adds(&b, "-");
	an_cell(ui, y, x, an_cols[STATS_COL_TOKENS].w, &b, VS_NUMBER, sel);
	x += an_cols[STATS_COL_TOKENS].w;
	if (!g->cost.known)
		buf_adds(&b, "?");
	else if (g->tok_in > 0 || g->tok_out > 0)
		cost_format(&b, g->cost.usd);
	else
		buf_adds(&b, "-");
	an_cell(ui, y, x, an_cols[STATS_COL_COST].w, &b, g->cost.known ? VS_NUMBER : VS_WARN, sel);
	buf_free(&b);
}

static void
stats_draw(struct ui *ui)
{
	struct ui_analysis *a = &ui->an;
	const struct stats *st = a->stats;
	struct buf b = BUF_INIT;
	int figures = 0, keyw, x, y, rows;
	size_t top, r;
	enum ui_stats_col c;

	if (st == NULL)
		return;
	for (c = STATS_COL_COUNT; c < STATS_COL_N; c++)
		figures += an_cols[c].w;
	keyw = ui->lay.w - 8 - figures;
	if (keyw < 12)
		keyw = 12;
	/* The wall-time split, along the critical path. */
	buf_adds(&b, "wall time ");
	fmt_duration(&b, st->wall_ns);
	buf_adds(&b, "  on the critical path:");
	an_split(&b, "llm", st->llm_ns, st->wall_ns);
	an_split(&b, "tool", st->tool_ns, st->wall_ns);
	an_split(&b, "waiting", st->waiting_ns, st->wall_ns);
	an_split(&b, "other", st->other_ns, st->wall_ns);
	ui_put(1, 1, ui->lay.w - 2, b.p, b.len, VS_NORMAL, false);
	buf_reset(&b);
	/* Column headers; the sort column marked. */
	ui_put(3, 1, 6, "BY", 2, VS_HEADER, false);
	buf_adds(&b, an_cols[STATS_COL_KEY].name);
	if (a->sort == STATS_COL_KEY)
		buf_adds(&b, an_descending(a) ? " v" : " ^");
	ui_put(3, 8, keyw - 1, b.p, b.len, VS_HEADER, false);
	for (x = keyw + 8, c = STATS_COL_COUNT; c < STATS_COL_N; x += an_cols[c].w, c++) {
		buf_reset(&b);
		buf_adds(&b, an_cols[c].name);
		if (a->sort == (int)c)
			buf_adds(&b, an_descending(a) ? " v" : " ^");
		an_cell(ui, 3, x, an_cols[c].w, &b, a->sort == (int)c ? VS_ACCENT : VS_HEADER,
		    false);
	}
	buf_free(&b);
	rows = ui->lay.h - 5;
	if (rows < 1)
		rows = 1;
	a->top = top = (size_t)cursor_follow((long)a->top, (long)a->sel, rows);
	for (y = 0, r = top; y < rows && r < a->nrows; y++, r++)
		an_draw_row(ui, 4 + y, &st->g[a->order[r]], keyw, r == a->sel);
	if (a->nrows == 0)
		ui_put(4, 1, ui->lay.w - 2, "No spans yet.", 13, VS_DIM, false);
}

/* The view has its own keys; of the others only w (warnings) and the
 * loop's (Q, ?, C-l, C-c, C-z) apply. */
static bool
stats_action(struct ui *ui, enum key_action a)
{
	return stats_key(ui, a) || a != ACT_WARNINGS;
}

static void
stats_wheel(struct ui *ui, enum key_action a)
{
	stats_key(ui, a);
}

static const struct ui_hint stats_hints[] = {
	{ "Enter", "its spans", 4 }, { "< >", "sort", 3 }, { "r", "reverse", 2 },
	{ "?", "help", 9 }, { "q", "back", 5 }, { NULL, NULL, 0 },
};

const struct ui_pane_ops ui_stats_pane = {
	.name = "stats",
	.where = KW_STATS,
	.session = true,
	.focus = FOCUS_TREE,
	.hints = stats_hints,
	.draw = stats_draw,
	.action = stats_action,
	.wheel = stats_wheel,
	.hint = stats_hint,
};
