/* SPDX-License-Identifier: MIT */
/*
 * ui_tree.c — the span tree of the open session.
 *
 * Virtualised: `rows` lists the visible nodes (tree order, collapsed
 * subtrees and filtered-out spans skipped) and only the rows on screen are
 * drawn.  The selection and the first row shown are remembered as nodes,
 * not row numbers, so spans arriving while a session loads or runs never
 * move what the user is looking at.
 */
#include "ui.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "buf.h"
#include "cost.h"
#include "filter.h"
#include "fmt.h"
#include "loader.h"
#include "text.h"
#include "span.h"
#include "spansearch.h"
#include "trace.h"
#include "treeguide.h"
#include "xmalloc.h"

/* Input read per slice while loading, and how often the rows are rebuilt
 * then: a rebuild is O(spans), so the wait grows with what the last one
 * cost (at most a fifth of the load goes to rebuilds); the last slice
 * always rebuilds. */
#define TREE_SLICE (512 * 1024)
#define TREE_REBUILD_MS 250
#define TREE_REBUILD_FACTOR 4
/* A load on other threads waits for every rebuild (the gate): rows grow
 * after a second there, then as rarely as it takes for rebuilds to cost
 * at most a twenty-fifth of the load, and not when the load looks like
 * ending within that second anyway (at a million spans: once, at
 * ~450 000; the status bar counts on meanwhile). */
#define TREE_REBUILD_APART_MS 1000
#define TREE_REBUILD_APART_FACTOR 25
#define BAR_MIN_PANE 70
/* The subtree cost column, where names keep their room. */
#define COST_MIN_PANE 100
#define NAME_COLS 64
#define SEARCH_SLICE_MS 6
/* Tree positions past the selection whose spans a search looks at one by
 * one before the first match (random reads, in tree order); past them,
 * the file pass alone, which reads each segment once. */
#define SEARCH_ALONE 2048

static void tree_select(struct ui *, uint32_t);

static struct trace *
tree_trace(struct ui *ui)
{
	return session_trace(ui->tree.s);
}

void
ui_tree_close(struct ui *ui)
{
	struct ui_tree *t = &ui->tree;

	/* The loader borrows the session: it stops first. */
	if (t->loader != NULL)
		loader_end(t->loader, true);
	session_free(t->s);
	free(t->rows);
	free(t->collapsed);
	free(t->ph_collapsed);
	free(t->keep);
	free(t->s_text);
	free(t->s_hit);
	free(t->s_ranks);
	spansearch_free(t->s_search);
	filter_free(t->filter);
	memset(t, 0, sizeof *t);
}

static bool
is_collapsed(struct ui *ui, uint32_t node)
{
	struct trace *tr = tree_trace(ui);
	uint32_t id;
	size_t i;

	if (!trace_is_placeholder(tr, node))
		return node < ui->tree.ncollapsed_cap && ui->tree.collapsed[node];
	id = trace_placeholder_id(tr, node);
	for (i = 0; i < ui->tree.nph_collapsed; i++) {
		if (ui->tree.ph_collapsed[i] == id)
			return true;
	}
	return false;
}

static void
set_collapsed(struct ui *ui, uint32_t node, bool on)
{
	struct ui_tree *t = &ui->tree;
	struct trace *tr = tree_trace(ui);
	uint32_t id, n;
	size_t i;

	if (trace_is_placeholder(tr, node)) {
		id = trace_placeholder_id(tr, node);
		for (i = 0; i < t->nph_collapsed; i++) {
			if (t->ph_collapsed[i] == id) {
				if (!on)
					t->ph_collapsed[i] = t->ph_collapsed[--t->nph_collapsed];
				goto done;
			}
		}
		if (on) {
			t->ph_collapsed = xreallocarray(t->ph_collapsed, t->nph_collapsed + 1,
			    sizeof *t->ph_collapsed);
			t->ph_collapsed[t->nph_collapsed++] = id;
		}
		goto done;
	}
	if (node >= t->ncollapsed_cap) {
		n = trace_count(tr) > node ? trace_count(tr) : node + 1;
		t->collapsed = xrealloc(t->collapsed, n);
		memset(t->collapsed + t->ncollapsed_cap, 0, n - t->ncollapsed_cap);
		t->ncollapsed_cap = n;
	}
	t->collapsed[node] = on;
done:
	t->rows_dirty = true;
	ui->dirty = true;
}

static bool
span_matches(struct ui *ui, uint32_t node)
{
	struct filter_subject fs;

	session_span_subject(ui->tree.s, node, &fs);
	return filter_match(ui->tree.filter, &fs);
}

/* With a filter, a span stays when it or a descendant matches, so the
 * matches keep their place in the tree. */
static uint8_t *
filter_keep(struct ui *ui)
{
	struct trace *tr = tree_trace(ui);
	uint32_t n = trace_nodes(tr), k, node, p;
	uint8_t *keep = xcalloc(n ? n : 1, 1);

	ui->tree.nmatch = 0;
	for (k = n; k > 0; k--) {
		node = trace_order(tr, k - 1);
		if (!trace_is_placeholder(tr, node) && span_matches(ui, node)) {
			keep[node] |= 1;
			ui->tree.nmatch++;
		}
		p = trace_parent(tr, node);
		if (keep[node] && p != TRACE_NONE)
			keep[p] |= 2;
	}
	return keep;
}

/* Row of node, or -1; rows are in tree order, so binary search by pos. */
static long
row_of(struct ui *ui, uint32_t node)
{
	struct trace *tr = tree_trace(ui);
	uint32_t want = trace_pos(tr, node), lo = 0, hi = ui->tree.nrows, mid, pos;

	while (lo < hi) {
		mid = lo + (hi - lo) / 2;
		pos = trace_pos(tr, ui->tree.rows[mid]);
		if (pos == want)
			return (long)mid;
		if (pos < want)
			lo = mid + 1;
		else
			hi = mid;
	}
	return -1;
}

/* Placeholder node numbers move as spans arrive; find one by its id. */
static uint32_t
placeholder_node(struct ui *ui, uint32_t strid)
{
	struct trace *tr = tree_trace(ui);
	uint32_t node;

	for (node = trace_tree_spans(tr); node < trace_nodes(tr); node++) {
		if (trace_placeholder_id(tr, node) == strid)
			return node;
	}
	return TRACE_NONE;
}

/* The nearest visible node at or above node. */
static uint32_t
visible_anchor(struct ui *ui, uint32_t node)
{
	struct trace *tr = tree_trace(ui);

	while (node != TRACE_NONE && row_of(ui, node) < 0)
		node = trace_parent(tr, node);
	return node;
}

void
ui_tree_rows(struct ui *ui)
{
	struct ui_tree *t = &ui->tree;
	struct trace *tr = tree_trace(ui);
	int64_t started_ms = ui_now_ms();
	uint32_t n, pos, node, sel;
	uint8_t *keep;
	const struct trace_stats *st = trace_stats(tr);

	/* The one place the browser rebuilds the tree: while a session loads
	 * this runs only now and then (ui_tree_work), and every other query
	 * reads the last snapshot. */
	trace_update_tree(tr);
	ui_analysis_update(ui);
	n = trace_nodes(tr);
	free(t->keep);
	t->keep = keep = t->filter != NULL ? filter_keep(ui) : NULL;
	t->rows = xreallocarray(t->rows, n ? n : 1, sizeof *t->rows);
	t->nrows = 0;
	for (pos = 0; pos < n; pos++) {
		node = trace_order(tr, pos);
		if ((keep != NULL && !keep[node]) || !ui_analysis_keep(ui, node)) {
			pos += trace_subtree_size(tr, node) - 1;
			continue;
		}
		t->rows[t->nrows++] = node;
		/* A filter shows every match whatever is folded. */
		if (keep == NULL && is_collapsed(ui, node))
			pos += trace_subtree_size(tr, node) - 1;
	}
	t->t0 = st->first_start;
	t->t1 = st->last_end;
	t->rows_dirty = false;
	t->shown_spans = trace_count(tr);
	clock_gettime(CLOCK_MONOTONIC, &t->last_rows);
	t->rebuild_ms = ui_now_ms() - started_ms;

	/* Keep the selection on its node; a placeholder is found by id. */
	sel = t->sel_ph != STRTAB_EMPTY ? placeholder_node(ui, t->sel_ph) : t->sel;
	if (t->nrows == 0)
		sel = TRACE_NONE;
	else if (sel == TRACE_NONE || sel >= n)
		sel = t->rows[0];
	else
		sel = visible_anchor(ui, sel);
	if (sel == TRACE_NONE && t->nrows > 0)
		sel = t->rows[0];
	if (t->top >= n || row_of(ui, t->top) < 0)
		t->top = t->nrows > 0 ? t->rows[0] : TRACE_NONE;
	tree_select(ui, sel);
}

static void
tree_rows_if_dirty(struct ui *ui)
{
	if (ui->tree.rows_dirty)
		ui_tree_rows(ui);
}

static void
tree_select(struct ui *ui, uint32_t node)
{
	struct ui_tree *t = &ui->tree;
	struct trace *tr = tree_trace(ui);

	t->sel = node;
	t->sel_ph = node != TRACE_NONE && trace_is_placeholder(tr, node) ?
	    trace_placeholder_id(tr, node) : STRTAB_EMPTY;
	/* The inspector follows the selection. */
	ui_post(ui, &(struct ui_req){ .kind = REQ_SHOW_SPAN, .node = node });
	ui->dirty = true;
}

static void
select_row(struct ui *ui, long r)
{
	tree_rows_if_dirty(ui);
	if (ui->tree.nrows == 0)
		return;
	tree_select(ui, ui->tree.rows[cursor_clamp(r, (long)ui->tree.nrows)]);
}

/* Un-collapse every ancestor so node gets a row. */
static void
reveal(struct ui *ui, uint32_t node)
{
	struct trace *tr = tree_trace(ui);
	bool opened = false;
	uint32_t p;

	for (p = trace_parent(tr, node); p != TRACE_NONE; p = trace_parent(tr, p)) {
		if (is_collapsed(ui, p)) {
			set_collapsed(ui, p, false);
			opened = true;
		}
	}
	/* Rows are a pass over every node (15 ms at a million): only when
	 * they change, not for each n of a search. */
	if (opened || ui->tree.rows_dirty || node >= trace_nodes(tr) || row_of(ui, node) < 0)
		ui_tree_rows(ui);
}

/* The tree must be closed, and t->source set to the session's source,
 * whose open pointed ref at what to read. */
void
ui_tree_open(struct ui *ui, const char *id, const struct session_ref *ref)
{
	struct ui_tree *t = &ui->tree;

	t->s = session_new(ref);
	t->id = id;
	t->sel = t->top = TRACE_NONE;
	t->sel_ph = STRTAB_EMPTY;
	t->loading = true;
	t->rows_dirty = true;
	/* The first slice now, so the first rows show with the first frame;
	 * the rest on other threads when it is a big file of ours. */
	if (ui_tree_work(ui, ui_now_ms() + 30) && session_loads_apart(t->s)) {
		t->loader = loader_start(t->s);
		t->load_started_ms = ui_now_ms();
	}
	ui_tree_rows(ui);
	ui->dirty = true;
}

bool
ui_tree_loading_apart(const struct ui *ui)
{
	return ui->tree.loader != NULL && !loader_done(ui->tree.loader);
}

int
ui_tree_load_fd(const struct ui *ui)
{
	return ui->tree.loader != NULL ? loader_fd(ui->tree.loader) : -1;
}

void
ui_tree_leave(struct ui *ui)
{
	if (ui->tree.loader != NULL)
		loader_leave(ui->tree.loader);
}

void
ui_tree_enter(struct ui *ui)
{
	if (ui->tree.loader != NULL)
		loader_enter(ui->tree.loader);
}

void
ui_tree_load_all(struct ui *ui)
{
	ui_analysis_wait(ui);
	if (ui->tree.loader != NULL) {
		loader_end(ui->tree.loader, false);
		ui->tree.loader = NULL;
	}
	while (ui->tree.loading && ui_tree_work(ui, INT64_MAX))
		;
}

/* Rows are rebuilt now and then while spans arrive: a rebuild is
 * O(spans), so the wait grows with what the last one cost. */
static void
tree_rows_due(struct ui_tree *t, int64_t min_ms, int64_t factor)
{
	struct timespec now;
	int64_t wait = min_ms > factor * t->rebuild_ms ? min_ms : factor * t->rebuild_ms;

	clock_gettime(CLOCK_MONOTONIC, &now);
	if ((now.tv_sec - t->last_rows.tv_sec) * 1000 +
	    (now.tv_nsec - t->last_rows.tv_nsec) / 1000000 >= wait)
		t->rows_dirty = true;
}

/* Whether a background load will be done within TREE_REBUILD_APART_MS
 * at the pace it has read so far: then its final rows come soon, and a
 * rebuild now would only slow it down (at a million spans one cost
 * 110 ms of a 2.6 s load, at 95%). */
static bool
tree_load_ends_soon(struct ui *ui)
{
	struct ui_tree *t = &ui->tree;
	uint64_t done = session_consumed(t->s), size = session_size(t->s);
	int64_t spent = ui_now_ms() - t->load_started_ms;

	if (done == 0 || size <= done)
		return size != 0;
	return (double)spent * (double)(size - done) / (double)done < TREE_REBUILD_APART_MS;
}

/* A background load: the rows follow it now and then; once it is done
 * the session is read here again (what grew since, then following). */
static bool
tree_work_apart(struct ui *ui)
{
	struct ui_tree *t = &ui->tree;

	if (!loader_done(t->loader)) {
		if (trace_count(tree_trace(ui)) != t->shown_spans) {
			if (!tree_load_ends_soon(ui))
				tree_rows_due(t, TREE_REBUILD_APART_MS,
				    TREE_REBUILD_APART_FACTOR);
			ui->dirty = true;
		}
		return false;
	}
	loader_end(t->loader, false);
	t->loader = NULL;
	return true;
}

/* Read the open session until the deadline; true while more is waiting. */
bool
ui_tree_work(struct ui *ui, int64_t deadline_ms)
{
	struct ui_tree *t = &ui->tree;
	int more = 1;

	if (t->s == NULL || !t->loading || ui_analysis_busy(ui))
		return false;
	if (t->loader != NULL && !tree_work_apart(ui))
		return false;
	while (more && ui_now_ms() < deadline_ms)
		more = session_read(t->s, TREE_SLICE);
	if (!more) {
		/* A download still running: more comes through the sockets. */
		t->loading = t->source->ops->busy(ui, t->source);
		t->rows_dirty = true;
		ui->dirty = true;
		return false;
	}
	tree_rows_due(t, TREE_REBUILD_MS, TREE_REBUILD_FACTOR);
	ui->dirty = true;
	return more;
}

/* The open session's files changed on disk (ui_list_rescan): rotated
 * chunks join it and are read on the next follow, in chunk order. */
void
ui_tree_add_files(struct ui *ui, const struct session_ref *ref)
{
	if (ui->tree.s != NULL && session_add_files(ui->tree.s, ref) > 0)
		ui->dirty = true;
}

/* The follow timer: pick up spans written since. */
void
ui_tree_follow(struct ui *ui)
{
	struct ui_tree *t = &ui->tree;
	uint32_t before;
	size_t warned;

	/* The analyses' thread reads the trace: it grows after them. */
	if (t->s == NULL || t->loading || ui_analysis_busy(ui))
		return;
	before = trace_count(tree_trace(ui));
	warned = session_nwarnings(t->s);
	if (session_read(t->s, TREE_SLICE) == 1)
		t->loading = true;
	if (trace_count(tree_trace(ui)) != before) {
		t->rows_dirty = true;
		ui->dirty = true;
	}
	/* A file that shrank or was replaced: the status bar says so. */
	if (session_nwarnings(t->s) != warned)
		ui->dirty = true;
}

/*
 * Drawing.
 */

/* Tree guides for node: one cell of three columns per ancestor level;
 * deep trees show only the last 64 levels' guides. */
static void
guides(struct ui *ui, struct buf *b, uint32_t node)
{
	treeguide_add(b, tree_trace(ui), node, &ui->glyph->guide, 64);
}

static void
type_marker(enum span_type type, const char **s, enum vstyle *st)
{
	static const char *letters[] = { "\xc2\xb7", "W", "A", "L", "T", "R", "P" };
	static const enum vstyle styles[] = { VS_DIM, VS_HEADER, VS_ACCENT, VS_NUMBER,
		VS_STRING, VS_LITERAL, VS_KEY };

	*s = (unsigned)type < 7 ? letters[type] : "?";
	*st = (unsigned)type < 7 ? styles[type] : VS_NORMAL;
}

/* The waterfall: where the span sits within the session's time range. */
static void
draw_bar(struct ui *ui, int y, int x, int w, const struct span *sp, bool sel)
{
	struct ui_tree *t = &ui->tree;
	int64_t range = t->t1 - t->t0, end;
	int a, z, i;

	if (w <= 0 || t->t0 == SPAN_TIME_NONE || t->t1 == SPAN_TIME_NONE || range <= 0 ||
	    sp->start_ns == SPAN_TIME_NONE)
		return;
	end = sp->end_ns != SPAN_TIME_NONE ? sp->end_ns : t->t1;
	a = (int)((double)(sp->start_ns - t->t0) / (double)range * w);
	z = (int)((double)(end - t->t0) / (double)range * w);
	if (a < 0)
		a = 0;
	if (a >= w)
		a = w - 1;
	if (z <= a)
		z = a + 1;
	if (z > w)
		z = w;
	for (i = a; i < z; i++)
		ui_put(y, x + i, 1, ui->glyph->bar, strlen(ui->glyph->bar),
		    sp->status == SPAN_ERROR ? VS_ERROR : sp->end_ns == SPAN_TIME_NONE ?
		    VS_WARN : VS_ACCENT, sel);
}

static void
draw_row(struct ui *ui, int y, uint32_t node, bool sel)
{
	struct trace *tr = tree_trace(ui);
	const struct ui_layout *l = &ui->lay;
	const struct span *sp;
	struct buf b = BUF_INIT;
	const char *mark;
	enum vstyle mst;
	int x = l->tree_x, w = l->tree_w, x0, right, bar_w, cost_w;
	int64_t in, out;
	double usd;
	bool context;

	if (sel) {
		attrset(A_REVERSE);
		mvhline(y, x, ' ', w);
		attrset(A_NORMAL);
	}
	/* The gutter: a glyph, not only a colour, on the critical path. */
	if (ui_analysis_on_path(ui, node))
		ui_put(y, x, 1, ui->glyph->on_path, strlen(ui->glyph->on_path), VS_WARN, sel);
	/* The rest of the row starts one column in. */
	x0 = ++x;
	w--;
	guides(ui, &b, node);
	if (trace_subtree_size(tr, node) > 1)
		buf_adds(&b, is_collapsed(ui, node) && ui->tree.keep == NULL ?
		    ui->glyph->fold_closed : ui->glyph->fold_open);
	else
		buf_adds(&b, trace_depth(tr, node) > 0 ? ui->glyph->leaf : " ");
	x += ui_put(y, x, w, b.p, b.len, VS_DIM, sel);
	x += ui_put(y, x, x0 + w - x, " ", 1, VS_NORMAL, sel);
	if (trace_is_placeholder(tr, node)) {
		buf_reset(&b);
		buf_printf(&b, "? missing parent %s", trace_str(tr, trace_placeholder_id(tr, node)));
		ui_put(y, x, x0 + w - x, b.p, b.len, VS_WARN, sel);
		buf_free(&b);
		return;
	}
	sp = trace_span(tr, node);
	/* Shown only because a match is below it. */
	context = ui->tree.keep != NULL && !(ui->tree.keep[node] & 1);
	/* Names get up to NAME_COLS; a wider pane grows the waterfall
	 * rather than a column of blanks. */
	cost_w = w >= COST_MIN_PANE ? 9 : 0;
	bar_w = w < BAR_MIN_PANE ? 0 : w - 18 - cost_w - NAME_COLS > 14 ?
	    w - 18 - cost_w - NAME_COLS : 14;
	right = x0 + w - bar_w - cost_w - 18;
	type_marker(sp->type, &mark, &mst);
	x += ui_put(y, x, right - x, mark, strlen(mark), mst, sel);
	x += ui_put(y, x, right - x, " ", 1, VS_NORMAL, sel);
	/* A glyph besides the colour, so errors show without colour too. */
	if (sp->status == SPAN_ERROR) {
		x += ui_put(y, x, right - x, ui->glyph->error, strlen(ui->glyph->error),
		    VS_ERROR, sel);
		x += ui_put(y, x, right - x, " ", 1, VS_NORMAL, sel);
	}
	x += ui_put_hl(y, x, right - x, trace_str(tr, sp->name),
	    strtab_len(trace_strings(tr), sp->name),
	    sp->status == SPAN_ERROR ? VS_ERROR : context ? VS_DIM : VS_NORMAL, sel, ui->search);
	if (sp->label != STRTAB_EMPTY && right - x < 2 && x > x0) {
		/* No room left for the label: say it was cut. */
		ui_put(y, x - 1, 1, ui->glyph->ellipsis, strlen(ui->glyph->ellipsis),
		    VS_DIM, sel);
	} else if (sp->label != STRTAB_EMPTY) {
		x += ui_put(y, x, right - x, " ", 1, VS_NORMAL, sel);
		ui_put_hl(y, x, right - x, trace_str(tr, sp->label),
		    strtab_len(trace_strings(tr), sp->label), context ? VS_DIM : VS_ACCENT, sel,
		    ui->search);
	}
	/* Right columns: duration, tokens of the subtree, waterfall. */
	buf_reset(&b);
	if (sp->start_ns != SPAN_TIME_NONE && sp->end_ns != SPAN_TIME_NONE)
		fmt_duration(&b, sp->end_ns - sp->start_ns);
	else
		buf_adds(&b, "...");
	ui_put(y, right + 1 + 8 - text_width(b.p, b.len), 8, b.p, b.len,
	    sp->end_ns == SPAN_TIME_NONE ? VS_WARN : VS_DIM, sel);
	in = trace_rollup_in(tr, node);
	out = trace_rollup_out(tr, node);
	if (in > 0 || out > 0) {
		buf_reset(&b);
		fmt_count(&b, tokens_add(in, out));
		ui_put(y, right + 10 + 7 - text_width(b.p, b.len), 7, b.p, b.len, VS_NUMBER, sel);
		/* The subtree's cost; "?" when some of its tokens have no
		 * price. */
		if (cost_w > 0) {
			buf_reset(&b);
			if (ui_analysis_cost(ui, node, &usd))
				cost_format(&b, usd);
			else
				buf_adds(&b, "?");
			ui_put(y, right + 18 + cost_w - 1 - text_width(b.p, b.len), cost_w - 1,
			    b.p, b.len, VS_NUMBER, sel);
		}
	}
	if (bar_w > 0)
		draw_bar(ui, y, x0 + w - bar_w, bar_w - 1, sp, sel);
	buf_free(&b);
}

static void
tree_draw(struct ui *ui)
{
	struct ui_tree *t = &ui->tree;
	const struct ui_layout *l = &ui->lay;
	long sr, top;
	int y;

	tree_rows_if_dirty(ui);
	if (!l->stacked)
		ui_draw_rule(ui, l->tree_y, l->tree_w, l->tree_h, true);
	else
		ui_draw_rule(ui, l->tree_y + l->tree_h, 0, l->w, false);
	if (t->nrows == 0) {
		const char *err = t->source->ops->error(ui, t->source);
		const char *msg = err != NULL ? err : t->loading ? "Loading..." : t->filter != NULL ?
		    "No span matches the filter (f to change it)." : "No spans yet.";

		ui_put(l->tree_y, 1, l->tree_w - 1, msg, strlen(msg), VS_DIM, false);
		return;
	}
	sr = t->sel != TRACE_NONE ? row_of(ui, t->sel) : 0;
	top = t->top != TRACE_NONE ? row_of(ui, t->top) : 0;
	top = cursor_top(top, sr, l->tree_h, (long)t->nrows);
	t->top = t->rows[top];
	for (y = 0; y < l->tree_h && top + y < (long)t->nrows; y++)
		draw_row(ui, l->tree_y + y, t->rows[top + y], top + y == sr);
}

/*
 * Keys.
 */

/* The next node after the selection in tree order (dir 1) or before it
 * (dir -1), wrapping, for which match() holds; TRACE_NONE when none. */
static uint32_t
find_node(struct ui *ui, int dir, bool (*match)(struct ui *, uint32_t, const void *),
    const void *arg)
{
	struct trace *tr = tree_trace(ui);
	uint32_t n = trace_nodes(tr), k, pos, node;
	uint32_t start = ui->tree.sel != TRACE_NONE ? trace_pos(tr, ui->tree.sel) : 0;

	for (k = 1; k <= n; k++) {
		pos = (uint32_t)(((int64_t)start + dir * (int64_t)k % n + n) % n);
		node = trace_order(tr, pos);
		if (match(ui, node, arg))
			return node;
	}
	return TRACE_NONE;
}

/* reveal() may rebuild the tree, which renumbers placeholders: find a
 * placeholder again by the id it stands for. */
static void
reveal_and_select(struct ui *ui, uint32_t node)
{
	struct trace *tr = tree_trace(ui);
	uint32_t ph = trace_is_placeholder(tr, node) ? trace_placeholder_id(tr, node) :
	    STRTAB_EMPTY;

	reveal(ui, node);
	if (ph != STRTAB_EMPTY)
		node = placeholder_node(ui, ph);
	if (node != TRACE_NONE)
		tree_select(ui, node);
}

static bool
node_in_error(struct ui *ui, uint32_t node, const void *arg)
{
	struct trace *tr = tree_trace(ui);

	return !trace_is_placeholder(tr, node) && trace_span(tr, node)->status == SPAN_ERROR;
}

static void
step_error(struct ui *ui, int dir)
{
	uint32_t node = find_node(ui, dir, node_in_error, NULL);

	if (node == TRACE_NONE)
		ui_message(ui, false, "no span in error");
	else
		reveal_and_select(ui, node);
}

static void
set_all_collapsed(struct ui *ui, bool on)
{
	struct trace *tr = tree_trace(ui);
	uint32_t node, n = trace_nodes(tr);

	if (!on) {
		memset(ui->tree.collapsed, 0, ui->tree.ncollapsed_cap);
		ui->tree.nph_collapsed = 0;
	} else {
		for (node = 0; node < n; node++) {
			if (trace_subtree_size(tr, node) > 1)
				set_collapsed(ui, node, true);
		}
	}
	ui->tree.rows_dirty = true;
	ui->dirty = true;
}

static bool
tree_action(struct ui *ui, enum key_action a)
{
	struct ui_tree *t = &ui->tree;
	struct trace *tr = tree_trace(ui);
	enum cursor_step step = keys_cursor_step(a);
	long r;
	uint32_t sel;

	tree_rows_if_dirty(ui);
	sel = t->sel;
	r = sel != TRACE_NONE ? row_of(ui, sel) : -1;
	if (step != CURSOR_NONE) {
		select_row(ui, cursor_step(r, step, (long)t->nrows, cursor_page(ui->lay.tree_h)));
		return true;
	}
	switch (a) {
	case ACT_EXPAND:
		if (sel == TRACE_NONE)
			break;
		if (is_collapsed(ui, sel))
			set_collapsed(ui, sel, false);
		else if (trace_subtree_size(tr, sel) > 1)
			select_row(ui, r + 1);
		break;
	case ACT_COLLAPSE:
		if (sel == TRACE_NONE)
			break;
		if (trace_subtree_size(tr, sel) > 1 && !is_collapsed(ui, sel))
			set_collapsed(ui, sel, true);
		else if (trace_parent(tr, sel) != TRACE_NONE)
			tree_select(ui, visible_anchor(ui, trace_parent(tr, sel)));
		break;
	case ACT_TOGGLE:
		if (sel != TRACE_NONE && trace_subtree_size(tr, sel) > 1)
			set_collapsed(ui, sel, !is_collapsed(ui, sel));
		break;
	case ACT_EXPAND_ALL: set_all_collapsed(ui, false); break;
	case ACT_COLLAPSE_ALL: set_all_collapsed(ui, true); break;
	case ACT_PARENT:
		if (sel != TRACE_NONE && trace_parent(tr, sel) != TRACE_NONE)
			tree_select(ui, visible_anchor(ui, trace_parent(tr, sel)));
		else
			ui_message(ui, false, "this span has no parent");
		break;
	case ACT_NEXT_ERROR: step_error(ui, 1); break;
	case ACT_PREV_ERROR: step_error(ui, -1); break;
	case ACT_SCROLL_DOWN:
	case ACT_SCROLL_UP:
		ui_post(ui, &(struct ui_req){ .kind = REQ_SCROLL_INSPECTOR,
		    .n = a == ACT_SCROLL_DOWN ? 3 : -3 });
		break;
	case ACT_CRITPATH: ui_analysis_toggle_path(ui); break;
	case ACT_STATS: ui_post(ui, &(struct ui_req){ .kind = REQ_OPEN_STATS }); break;
	case ACT_FOCUS:
		ui_post(ui, &(struct ui_req){ .kind = REQ_FOCUS, .pane = PANE_INSPECTOR,
		    .n = 1 });
		break;
	case ACT_NEXT_TAB:
	case ACT_PREV_TAB:
	case ACT_TAB1:
	case ACT_TAB2:
	case ACT_TAB3:
		ui_post(ui, &(struct ui_req){ .kind = REQ_PANE_ACTION, .pane = PANE_INSPECTOR,
		    .action = a });
		break;
	default:
		return false;
	}
	return true;
}

static void
tree_wheel(struct ui *ui, enum key_action a)
{
	tree_action(ui, a);
}

/* The tree has all of the session screen the inspector does not. */
static bool
tree_contains(struct ui *ui, int y, int x)
{
	return !(x >= ui->lay.insp_x && y >= ui->lay.insp_y);
}

static bool
tree_click(struct ui *ui, int y, int x, bool twice)
{
	long top, r;

	tree_rows_if_dirty(ui);
	top = ui->tree.top != TRACE_NONE ? row_of(ui, ui->tree.top) : 0;
	r = (top < 0 ? 0 : top) + (y - ui->lay.tree_y);
	if (r < 0 || r >= (long)ui->tree.nrows)
		return true;
	select_row(ui, r);
	if (twice)
		tree_action(ui, ACT_TOGGLE);
	return true;
}

/* q quits a session opened directly (a file or stdin: the list would be
 * one row), else goes back to the list, as Esc always does. */
static void
tree_back(struct ui *ui, bool may_quit, struct ui_req *r)
{
	r->kind = ui->direct && may_quit ? REQ_QUIT : REQ_CLOSE_SESSION;
}

/* A search match: a span (the filter shows) found to hold the text, or a
 * placeholder whose id does. */
static bool
node_is_hit(struct ui *ui, uint32_t node, const void *arg)
{
	struct trace *tr = tree_trace(ui);
	const char *id;

	if (trace_is_placeholder(tr, node)) {
		id = trace_str(tr, trace_placeholder_id(tr, node));
		return text_find(id, strlen(id), ui->tree.s_text, strlen(ui->tree.s_text), NULL);
	}
	return node < ui->tree.s_nspans && ui->tree.s_hit[node] == 2;
}

/* How far the search has got, in percent: the spans it knows, or the
 * tree positions passed from the selection on, whichever is further. */
static unsigned
search_percent(struct ui *ui)
{
	struct ui_tree *t = &ui->tree;
	uint32_t n = trace_nodes(tree_trace(ui));
	uint64_t done = t->s_done;

	if (t->s_search != NULL && (uint64_t)spansearch_known(t->s_search) * n >
	    done * (t->s_nspans ? t->s_nspans : 1))
		return (unsigned)((uint64_t)spansearch_known(t->s_search) * 100 /
		    (t->s_nspans ? t->s_nspans : 1));
	return (unsigned)(done * 100 / (n ? n : 1));
}

/* Matches at tree positions up to pos, and in all: a pass over every
 * node while the search runs; once it is done, a binary search in the
 * positions kept then. */
static void
search_rank(struct ui *ui, uint32_t pos, uint32_t *rank, uint32_t *total)
{
	struct ui_tree *t = &ui->tree;
	struct trace *tr = tree_trace(ui);
	uint32_t k, n = trace_nodes(tr), lo, hi, mid;

	if (t->s_done >= n && (t->s_ranks == NULL || t->s_ranks_nodes != n)) {
		free(t->s_ranks);
		t->s_ranks = NULL;
		t->s_nranks = 0;
		t->s_ranks_nodes = n;
		for (k = 0; k < n; k++) {
			if (!node_is_hit(ui, trace_order(tr, k), NULL))
				continue;
			if (t->s_nranks % 1024 == 0)
				t->s_ranks = xreallocarray(t->s_ranks, t->s_nranks + 1025,
				    sizeof *t->s_ranks);
			t->s_ranks[t->s_nranks++] = k;
		}
	}
	*rank = *total = 0;
	if (t->s_ranks != NULL && t->s_done >= n) {
		for (lo = 0, hi = t->s_nranks; lo < hi;) {
			mid = lo + (hi - lo) / 2;
			if (t->s_ranks[mid] <= pos)
				lo = mid + 1;
			else
				hi = mid;
		}
		*rank = lo;
		*total = t->s_nranks;
		return;
	}
	for (k = 0; k < n; k++) {
		if (node_is_hit(ui, trace_order(tr, k), NULL)) {
			(*total)++;
			if (k <= pos)
				(*rank)++;
		}
	}
}

/* "match i of N", and whether the jump went round the end. */
static void
search_report(struct ui *ui, uint32_t from, uint32_t node, int dir)
{
	struct ui_tree *t = &ui->tree;
	struct trace *tr = tree_trace(ui);
	uint32_t n = trace_nodes(tr), rank, total, pos = trace_pos(tr, node);
	bool wrapped = from != TRACE_NONE && (dir > 0 ? pos <= trace_pos(tr, from) :
	    pos >= trace_pos(tr, from));

	search_rank(ui, pos, &rank, &total);
	if (t->s_done < n)
		ui_search_note(ui, "match %u of %u so far, searching %u%%...%s", rank, total,
		    search_percent(ui),
		    wrapped ? dir > 0 ? "  (wrapped to the top)" : "  (wrapped to the bottom)" : "");
	else
		ui_search_note(ui, "match %u of %u%s", rank, total,
		    wrapped ? dir > 0 ? "  (search wrapped to the top)" :
		    "  (search wrapped to the bottom)" : "");
}

static void
search_jump(struct ui *ui, int dir)
{
	uint32_t from = ui->tree.sel, node = find_node(ui, dir, node_is_hit, NULL);

	if (node == TRACE_NONE) {
		if (ui->tree.s_done < trace_nodes(tree_trace(ui)))
			ui_search_note(ui, "searching for '%s'... %u%%", ui->tree.s_text,
			    search_percent(ui));
		else {
			free(ui->search_note);
			ui->search_note = NULL;
			ui_message(ui, true, "no span matches '%s'", ui->tree.s_text);
		}
		return;
	}
	ui->tree.s_jump = false;
	reveal_and_select(ui, node);
	search_report(ui, from, node, dir);
}

/*
 * Move the search's frontier on: the tree positions from where it
 * started whose spans are known (spansearch.c), in order, so that the
 * first match found after the selection is the first there is.  alone:
 * look at unknown spans one by one (their lines read back alone) until
 * until_us; else stop at the first unknown one.
 */
static void
search_advance(struct ui *ui, bool alone, int64_t until_us)
{
	struct ui_tree *t = &ui->tree;
	struct trace *tr = tree_trace(ui);
	uint32_t n = trace_nodes(tr), node, k;
	enum spansearch_result r;

	for (k = 0; t->s_done < n; k++) {
		node = trace_order(tr, (uint32_t)(((int64_t)t->s_start + (int64_t)t->s_dir *
		    (t->s_done + 1)) % n + n) % n);
		if (trace_is_placeholder(tr, node) || node >= t->s_nspans ||
		    t->s_hit[node] != 0) {
			t->s_done++;
			continue;
		}
		/* Spans the filter hides are not matches: never read them. */
		if (t->filter != NULL && !span_matches(ui, node)) {
			t->s_hit[node] = 1;
			t->s_done++;
			continue;
		}
		if ((r = spansearch_get(t->s_search, node)) == SPANSEARCH_UNKNOWN) {
			if (!alone || (k > 0 && ui_now_us() >= until_us))
				break;
			r = spansearch_span(t->s_search, node);
		}
		t->s_hit[node] = r == SPANSEARCH_YES ? 2 : 1;
		t->s_done++;
		if (t->s_hit[node] == 2) {
			t->s_nhits++;
			if (t->s_jump)
				search_jump(ui, t->s_dir);
		}
	}
}

/*
 * Search a slice of the session until the deadline.  While the first
 * jump is owed, a third of the slice goes to the spans just past the
 * selection (SEARCH_ALONE of them), one by one: a match a few rows on
 * shows at once.  The rest
 * reads the files in order (spansearch_work), which finds every match of
 * a 200 000-span session in about a second.  True while spans are left.
 */
bool
ui_tree_search_work(struct ui *ui, int64_t deadline_ms)
{
	struct ui_tree *t = &ui->tree;
	uint32_t n;
	unsigned pct;
	int64_t deadline_us, start_us = ui_now_us();

	if (t->s_text == NULL || t->s == NULL || t->s_search == NULL ||
	    t->s_done >= trace_nodes(tree_trace(ui)))
		return false;
	tree_rows_if_dirty(ui);
	n = trace_nodes(tree_trace(ui));
	/* Leave the turn's budget half to reading and drawing. */
	if (deadline_ms > start_us / 1000 + SEARCH_SLICE_MS)
		deadline_ms = start_us / 1000 + SEARCH_SLICE_MS;
	deadline_us = deadline_ms * 1000;
	pct = search_percent(ui);
	if (t->s_jump && t->s_done < SEARCH_ALONE)
		search_advance(ui, true, start_us + (deadline_us - start_us) / 3);
	if (t->s_done < n && ui_now_us() < deadline_us)
		spansearch_work(t->s_search, deadline_us);
	search_advance(ui, false, 0);
	if (t->s_done >= n) {
		if (t->s_jump)
			search_jump(ui, t->s_dir);
		else if (ui->search_note != NULL)
			search_report(ui, TRACE_NONE, t->sel, t->s_dir);
		ui->dirty = true;
	} else if (search_percent(ui) != pct) {
		/* Progress shows; a frame per slice would cost more than the
		 * slice. */
		if (t->s_jump)
			ui_search_note(ui, "searching for '%s'... %u%%", t->s_text,
			    search_percent(ui));
		else if (ui->search_note != NULL)
			search_report(ui, TRACE_NONE, t->sel, t->s_dir);
	}
	return t->s_done < n;
}

/* Search every span, not only visible rows: a match inside a collapsed
 * subtree is revealed.  A new text (or a session that grew since) starts
 * a search; n and N then step through what it found.  What spans hold the
 * text is kept across filters (spansearch.c knows nothing of them). */
static void
tree_search(struct ui *ui, const char *text, int dir)
{
	struct ui_tree *t = &ui->tree;
	struct trace *tr = tree_trace(ui);

	tree_rows_if_dirty(ui);
	if (t->s_text == NULL || strcmp(t->s_text, text) != 0 ||
	    t->s_nspans != trace_count(tr)) {
		free(t->s_text);
		free(t->s_hit);
		free(t->s_ranks);
		t->s_ranks = NULL;
		if (t->s_search == NULL || strcmp(spansearch_text(t->s_search), text) != 0 ||
		    spansearch_count(t->s_search) != trace_count(tr)) {
			spansearch_free(t->s_search);
			t->s_search = spansearch_new(t->s, text);
		}
		t->s_text = xstrdup(text);
		t->s_nspans = trace_count(tr);
		t->s_hit = xcalloc(t->s_nspans ? t->s_nspans : 1, 1);
		t->s_start = t->sel != TRACE_NONE ? trace_pos(tr, t->sel) : 0;
		t->s_done = 0;
		t->s_nhits = 0;
		t->s_dir = dir;
		t->s_jump = true;
		/* Small sessions are searched at once. */
		ui_tree_search_work(ui, ui_now_ms() + SEARCH_SLICE_MS);
		if (t->s_jump)
			search_jump(ui, dir);
		return;
	}
	search_jump(ui, dir);
}

bool
ui_tree_set_filter(struct ui *ui, const char *expr)
{
	struct filter *f;

	if (!ui_filter_parse(ui, expr, &f))
		return false;
	filter_free(ui->tree.filter);
	ui->tree.filter = f;
	free(ui->tree.s_text);
	ui->tree.s_text = NULL;
	ui_tree_rows(ui);
	ui->dirty = true;
	return true;
}

static const char *
tree_filter_text(struct ui *ui)
{
	return ui->tree.filter != NULL ? filter_text(ui->tree.filter) : NULL;
}

static const struct ui_hint tree_hints[] = {
	{ "Enter", "fold", 4 }, { "/", "search", 3 }, { "f", "filter", 2 },
	{ "e", "next error", 1 }, { "Tab", "tab", 1 }, { "i", "inspector", 0 },
	{ "?", "help", 9 }, { "q", "back", 5 }, { NULL, NULL, 0 },
};

const struct ui_pane_ops ui_tree_pane = {
	.name = "tree",
	.where = KW_TREE,
	.session = true,
	.focus = FOCUS_TREE,
	.hints = tree_hints,
	.draw = tree_draw,
	.action = tree_action,
	.back = tree_back,
	.contains = tree_contains,
	.click = tree_click,
	.wheel = tree_wheel,
	.search = tree_search,
	.set_filter = ui_tree_set_filter,
	.filter_text = tree_filter_text,
};
