/*
 * ui_analysis.c — the browser's side of doc/reference.md §9: the critical path in the
 * span tree (a mark on its spans, `c` for "critical path only"), cost in
 * the tree roll-up and the inspector, and the stats view (`s`).
 *
 * Everything here is computed on the tree snapshot ui_tree_rows() builds,
 * and again only when that snapshot changes; the path of a running
 * session runs to the time the snapshot was taken.  A snapshot rebuilt
 * while a big session is still loading gets no path (the load finishing
 * brings one): the path costs O(spans log spans), and keys come first.
 */
#include "ui.h"

#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "cost.h"
#include "critpath.h"
#include "fmt.h"
#include "prices.h"
#include "stats.h"
#include "text.h"
#include "trace.h"
#include "xmalloc.h"

/* Below this many nodes the path follows every snapshot, even while a
 * session loads. */
#define AN_LOADING_NODES 50000

static struct trace *
an_trace(struct ui *ui)
{
	return session_trace(ui->tree.s);
}

static int64_t
an_now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	return ((int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec) / 1000 * 1000;
}

/* MCP_INSPECT_TUI_TIMING (ui.c): "critpath MS SPANS" once the session
 * has loaded, "stats MS SPANS" when the view first shows them. */
static void
ui_analysis_timing(struct ui *ui, const char *what, int64_t us)
{
	if (ui->timing == NULL)
		return;
	fprintf(ui->timing, "%s %.3f %u\n", what, (double)us / 1000.0,
	    trace_tree_spans(an_trace(ui)));
	fflush(ui->timing);
}

void
ui_analysis_clear(struct ui *ui)
{
	struct ui_analysis *a = &ui->an;

	critpath_free(a->cp);
	cost_rollup_free(a->cost);
	stats_free(a->stats);
	free(a->order);
	memset(a, 0, sizeof *a);
}

/* Unpriced tokens: one hint per run, in the status bar. */
static void
an_hint(struct ui *ui, const char *unpriced)
{
	struct buf b = BUF_INIT;

	if (unpriced == NULL || *unpriced == '\0' || ui->an_hinted)
		return;
	ui->an_hinted = true;
	cost_hint(&b, unpriced);
	ui_message(ui, false, "%s", buf_str(&b));
	buf_free(&b);
}

void
ui_analysis_update(struct ui *ui)
{
	struct ui_analysis *a = &ui->an;
	struct trace *tr = an_trace(ui);
	uint32_t nodes = trace_nodes(tr), spans = trace_tree_spans(tr);
	int64_t t0;
	struct cost c;

	if (a->cost != NULL && a->nodes == nodes && a->spans == spans &&
	    (a->cp != NULL || a->cp_none || ui->tree.loading))
		return;
	if (ui->tree.loading && nodes >= AN_LOADING_NODES) {
		/* Keep the old marks rather than none; they are about to be
		 * replaced. */
		return;
	}
	critpath_free(a->cp);
	cost_rollup_free(a->cost);
	stats_free(a->stats);
	a->stats = NULL;
	a->nodes = nodes;
	a->spans = spans;
	t0 = ui_now_us();
	a->cp = critpath_compute(tr, CRITPATH_SESSION, an_now_ns());
	a->cp_none = a->cp == NULL;
	a->cp_us = ui_now_us() - t0;
	a->cost = cost_rollup_new(tr, prices_default());
	/* The inspector's self time and share come from the path. */
	ui->insp.doc_width = -1;
	if (!ui->tree.loading && a->cp != NULL && !a->cp_logged) {
		a->cp_logged = true;
		ui_analysis_timing(ui, "critpath", a->cp_us);
	}
	if (!ui->tree.loading) {
		cost_trace(tr, prices_default(), &c);
		if (!c.known)
			an_hint(ui, c.unpriced);
	}
	/* The stats too, so that `s` is a key like any other: once when a
	 * session has loaded, and after that on every change of a small one
	 * (a big live session recomputes them when `s` asks). */
	if (a->stats_open || (!ui->tree.loading && (!a->stats_eager ||
	    nodes < AN_LOADING_NODES))) {
		a->stats_eager = true;
		ui_analysis_stats_refresh(ui);
	}
}

bool
ui_analysis_on_path(struct ui *ui, uint32_t node)
{
	return critpath_on(ui->an.cp, node);
}

/* For ui_tree_rows: false for a node `c` hides (with its subtree). */
bool
ui_analysis_keep(struct ui *ui, uint32_t node)
{
	return !ui->an.cp_only || ui->an.cp == NULL || critpath_on(ui->an.cp, node);
}

bool
ui_analysis_cost(struct ui *ui, uint32_t node, double *usd)
{
	return cost_rollup_get(ui->an.cost, node, usd);
}

void
ui_analysis_toggle_path(struct ui *ui)
{
	struct ui_analysis *a = &ui->an;
	struct buf b = BUF_INIT;

	if (a->cp == NULL) {
		ui_message(ui, false, ui->tree.loading ? "the critical path comes when "
		    "the session has loaded" : "no critical path: no span has a start time");
		return;
	}
	a->cp_only = !a->cp_only;
	ui->tree.rows_dirty = true;
	if (a->cp_only) {
		buf_adds(&b, "critical path only: wall time ");
		fmt_duration(&b, critpath_wall(a->cp));
		buf_printf(&b, ", %zu segment%s (c shows every span)", a->cp->nseg,
		    a->cp->nseg == 1 ? "" : "s");
		ui_message(ui, false, "%s", buf_str(&b));
	} else
		ui_message(ui, false, "every span (c: critical path only)");
	buf_free(&b);
}

/* What the inspector's Attributes tab says about a span. */
void
ui_analysis_span_extra(struct ui *ui, uint32_t node, struct span_view_extra *x)
{
	struct ui_analysis *a = &ui->an;
	struct trace *tr = an_trace(ui);
	const struct span *sp;
	struct cost c;

	memset(x, 0, sizeof *x);
	if (a->cp == NULL || node >= trace_tree_spans(tr))
		return;
	x->have = true;
	x->self_ns = critpath_span_self(tr, node, an_now_ns());
	x->wall_ns = critpath_wall(a->cp);
	x->on_path = critpath_on(a->cp, node);
	x->path_ns = critpath_self(a->cp, node);
	if (trace_rollup_in(tr, node) > 0 || trace_rollup_out(tr, node) > 0) {
		x->have_subtree = true;
		x->subtree_known = cost_rollup_get(a->cost, node, &x->subtree_usd);
	}
	sp = trace_span(tr, node);
	if (sp->tok_in > 0 || sp->tok_out > 0) {
		cost_span(tr, prices_default(), node, &c);
		x->have_cost = true;
		x->cost_known = c.known;
		x->cost_usd = c.usd;
	}
}

/*
 * The stats view.
 */

enum an_col { COL_KEY, COL_COUNT, COL_ERRORS, COL_TOTAL, COL_P50, COL_P95, COL_MAX,
	COL_TOKENS, COL_COST, COL_N };

static const struct { const char *name; int w; } an_cols[COL_N] = {
	{ "NAME", 0 }, { "COUNT", 7 }, { "ERRORS", 7 }, { "TOTAL", 9 }, { "P50", 9 },
	{ "P95", 9 }, { "MAX", 9 }, { "TOKENS IN/OUT", 15 }, { "COST", 9 },
};

static struct ui *an_sort_ui;

static int
an_cmp_num(int64_t a, int64_t b)
{
	return a < b ? -1 : a > b;
}

static int
an_row_cmp(const void *pa, const void *pb)
{
	struct ui_analysis *a = &an_sort_ui->an;
	const struct stats_group *x = &a->stats->g[*(const size_t *)pa];
	const struct stats_group *y = &a->stats->g[*(const size_t *)pb];
	int c = 0;

	if (x->by != y->by)
		return x->by < y->by ? -1 : 1;
	switch (a->sort) {
	case COL_KEY: c = strcmp(x->key, y->key); break;
	case COL_COUNT: c = an_cmp_num(x->count, y->count); break;
	case COL_ERRORS: c = an_cmp_num(x->errors, y->errors); break;
	case COL_TOTAL: c = an_cmp_num(x->total_ns, y->total_ns); break;
	case COL_P50: c = an_cmp_num(x->p50_ns, y->p50_ns); break;
	case COL_P95: c = an_cmp_num(x->p95_ns, y->p95_ns); break;
	case COL_MAX: c = an_cmp_num(x->max_ns, y->max_ns); break;
	case COL_TOKENS: c = an_cmp_num(tokens_add(x->tok_in, x->tok_out),
	    tokens_add(y->tok_in, y->tok_out)); break;
	case COL_COST:
		/* Unknown costs sort above every known one. */
		c = x->cost.known != y->cost.known ? (x->cost.known ? -1 : 1) :
		    x->cost.usd < y->cost.usd ? -1 : x->cost.usd > y->cost.usd;
		break;
	}
	/* Names ascend by default, figures descend. */
	if (a->sort != COL_KEY)
		c = -c;
	if (a->sort_rev)
		c = -c;
	return c != 0 ? c : strcmp(x->key, y->key);
}

static void
an_sort(struct ui *ui)
{
	struct ui_analysis *a = &ui->an;
	size_t i;

	free(a->order);
	a->order = xcalloc(a->stats->n ? a->stats->n : 1, sizeof *a->order);
	for (i = 0; i < a->stats->n; i++)
		a->order[i] = i;
	an_sort_ui = ui;
	if (a->stats->n > 1)
		qsort(a->order, a->stats->n, sizeof *a->order, an_row_cmp);
	a->nrows = a->stats->n;
	if (a->sel >= a->nrows)
		a->sel = a->nrows > 0 ? a->nrows - 1 : 0;
}

void
ui_analysis_stats_refresh(struct ui *ui)
{
	struct ui_analysis *a = &ui->an;
	int64_t t0 = ui_now_us();

	stats_free(a->stats);
	a->stats_logged = false;
	a->stats = a->cp != NULL ? stats_compute_path(an_trace(ui), prices_default(), a->cp,
	    an_now_ns(), NULL) : stats_compute(an_trace(ui), prices_default(), an_now_ns(), NULL);
	a->stats_us = ui_now_us() - t0;
	if (!ui->tree.loading && !a->stats_logged) {
		a->stats_logged = true;
		ui_analysis_timing(ui, "stats", a->stats_us);
	}
	an_sort(ui);
}

void
ui_analysis_open_stats(struct ui *ui)
{
	struct ui_analysis *a = &ui->an;
	size_t i;

	if (!a->sort_chosen) {
		a->sort = COL_TOTAL;
		a->sort_chosen = true;
	}
	/* The loop rebuilt the tree's rows first (REQ_OPEN_STATS). */
	if (a->stats == NULL)
		ui_analysis_stats_refresh(ui);
	else
		an_sort(ui);   /* computed before the sort was set */
	a->stats_open = true;
	for (i = 0; i < a->stats->n; i++) {
		if (!a->stats->g[i].cost.known) {
			an_hint(ui, a->stats->g[i].cost.unpriced);
			break;
		}
	}
}

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
	case ACT_SORT_NEXT: a->sort = (a->sort + 1) % COL_N; a->sort_rev = false; an_sort(ui); break;
	case ACT_SORT_PREV: a->sort = (a->sort + COL_N - 1) % COL_N; a->sort_rev = false; an_sort(ui); break;
	case ACT_SORT_REVERSE: a->sort_rev = !a->sort_rev; an_sort(ui); break;
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
	return (a->sort != COL_KEY) != a->sort_rev;
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
	an_cell(ui, y, x, an_cols[COL_COUNT].w, &b, VS_NORMAL, sel);
	x += an_cols[COL_COUNT].w;
	buf_printf(&b, "%u", g->errors);
	an_cell(ui, y, x, an_cols[COL_ERRORS].w, &b, g->errors ? VS_ERROR : VS_NORMAL, sel);
	x += an_cols[COL_ERRORS].w;
	fmt_duration(&b, g->total_ns);
	an_cell(ui, y, x, an_cols[COL_TOTAL].w, &b, VS_NORMAL, sel);
	x += an_cols[COL_TOTAL].w;
	fmt_duration(&b, g->p50_ns);
	an_cell(ui, y, x, an_cols[COL_P50].w, &b, VS_NORMAL, sel);
	x += an_cols[COL_P50].w;
	fmt_duration(&b, g->p95_ns);
	an_cell(ui, y, x, an_cols[COL_P95].w, &b, VS_NORMAL, sel);
	x += an_cols[COL_P95].w;
	fmt_duration(&b, g->max_ns);
	an_cell(ui, y, x, an_cols[COL_MAX].w, &b, VS_NORMAL, sel);
	x += an_cols[COL_MAX].w;
	if (g->tok_in > 0 || g->tok_out > 0) {
		fmt_count(&b, g->tok_in);
		buf_addc(&b, '/');
		fmt_count(&b, g->tok_out);
	} else
		buf_adds(&b, "-");
	an_cell(ui, y, x, an_cols[COL_TOKENS].w, &b, VS_NUMBER, sel);
	x += an_cols[COL_TOKENS].w;
	if (!g->cost.known)
		buf_adds(&b, "?");
	else if (g->tok_in > 0 || g->tok_out > 0)
		cost_format(&b, g->cost.usd);
	else
		buf_adds(&b, "-");
	an_cell(ui, y, x, an_cols[COL_COST].w, &b, g->cost.known ? VS_NUMBER : VS_WARN, sel);
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
	enum an_col c;

	if (st == NULL)
		return;
	for (c = COL_COUNT; c < COL_N; c++)
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
	buf_adds(&b, an_cols[COL_KEY].name);
	if (a->sort == COL_KEY)
		buf_adds(&b, an_descending(a) ? " v" : " ^");
	ui_put(3, 8, keyw - 1, b.p, b.len, VS_HEADER, false);
	for (x = keyw + 8, c = COL_COUNT; c < COL_N; x += an_cols[c].w, c++) {
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
