/* SPDX-License-Identifier: MIT */
/*
 * ui_inspector.c — the inspector panel: three tabs of one span.
 *
 * The selected span's tabs come from span_view (one jansson parse when the
 * selection changes); the current tab is rendered into a vdoc for the
 * panel's width and kept until the span, tab, width or a fold changes, so
 * moving and scrolling only redraw what is on screen.
 */
#include "ui.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "trace.h"
#include "xmalloc.h"

static struct trace *
insp_trace(struct ui *ui)
{
	return session_trace(ui->tree.s);
}

void
ui_inspector_clear(struct ui *ui)
{
	struct ui_inspector *in = &ui->insp;

	span_view_free(in->view);
	in->view = NULL;
	free(in->error);
	in->error = NULL;
	free(in->sought);
	in->sought = NULL;
	in->node = TRACE_NONE;
	vdoc_free(&in->doc);
	in->doc_width = -1;
	in->scroll = in->cursor = 0;
}

void
ui_inspector_show(struct ui *ui, uint32_t node)
{
	struct ui_inspector *in = &ui->insp;
	enum span_tab tab = in->tab;
	char *cause = NULL;

	ui_inspector_clear(ui);
	ui->t_select_us = ui_now_us();
	in->tab = tab;
	in->node = node;
	if (node == TRACE_NONE || trace_is_placeholder(insp_trace(ui), node))
		return;
	in->view = span_view_new(ui->tree.s, node, &cause);
	if (in->view == NULL)
		in->error = cause;
}

static int
doc_width(struct ui *ui)
{
	return ui->lay.insp_w - 2 > 10 ? ui->lay.insp_w - 2 : 10;
}

static void
render_placeholder(struct ui *ui, struct vdoc *d, int w)
{
	static const char why[] = "Spans are written when they end, so in a running "
	    "session the parent usually arrives later and the subtree moves under it.";
	struct trace *tr = insp_trace(ui);
	uint32_t node = ui->insp.node;
	char *note;

	vdoc_adds(d, VS_WARN, "Missing parent span");
	vdoc_end_line(d);
	vdoc_adds(d, VS_DIM, "id  ");
	vdoc_adds(d, VS_NORMAL, trace_str(tr, trace_placeholder_id(tr, node)));
	vdoc_end_line(d);
	vdoc_end_line(d);
	/* Explanations wrap to the pane rather than being cut. */
	note = xasprintf("%u span%s below name this span as parent, but it has not "
	    "been seen.", trace_subtree_size(tr, node) - 1,
	    trace_subtree_size(tr, node) == 2 ? "" : "s");
	vdoc_add_wrapped(d, VS_NORMAL, note, strlen(note), w, 0);
	free(note);
	vdoc_add_wrapped(d, VS_DIM, why, strlen(why), w, 0);
}

static void
ensure_doc(struct ui *ui)
{
	struct ui_inspector *in = &ui->insp;
	int w = doc_width(ui);

	if (in->doc_width == w)
		return;
	vdoc_clear(&in->doc);
	if (in->view != NULL) {
		struct span_view_extra x;

		ui_analysis_span_extra(ui, in->node, &x);
		span_view_set_extra(in->view, &x);
		span_view_render(in->view, in->tab, w, &in->doc);
	}
	else if (in->error != NULL) {
		vdoc_adds(&in->doc, VS_ERROR, "Cannot show this span:");
		vdoc_end_line(&in->doc);
		vdoc_add_wrapped(&in->doc, VS_NORMAL, in->error, strlen(in->error), w, 2);
	} else if (in->node != TRACE_NONE)
		render_placeholder(ui, &in->doc, w);
	in->doc_width = w;
	if (in->cursor >= (int)in->doc.n)
		in->cursor = in->doc.n > 0 ? (int)in->doc.n - 1 : 0;
}

static int
body_h(struct ui *ui)
{
	return ui->lay.insp_h - 1 > 1 ? ui->lay.insp_h - 1 : 1;
}

static void
clamp_scroll(struct ui *ui)
{
	struct ui_inspector *in = &ui->insp;

	/* The cursor stays in view only while it is shown. */
	in->scroll = (int)cursor_top(in->scroll, ui->focus == FOCUS_INSPECTOR ? in->cursor : -1,
	    body_h(ui), (long)in->doc.n);
}

/* x positions of the tab labels, for drawing and clicks. */
static int
tab_x(struct ui *ui, int tab)
{
	int x = ui->lay.insp_x + 1, t;

	for (t = 0; t < tab; t++)
		x += (int)strlen(span_tab_name((enum span_tab)t)) + 5;
	return x;
}

static void
draw_tabs(struct ui *ui)
{
	struct ui_inspector *in = &ui->insp;
	char label[64], pos[64];
	int t, x, y = ui->lay.insp_y, right = ui->lay.insp_x + ui->lay.insp_w;

	for (t = 0; t < TAB_COUNT; t++) {
		x = tab_x(ui, t);
		snprintf(label, sizeof label, " %d %s ", t + 1, span_tab_name((enum span_tab)t));
		ui_put(y, x, right - x, label, strlen(label), t == (int)in->tab ? VS_HEADER : VS_DIM,
		    t == (int)in->tab);
	}
	if (in->doc.n > (size_t)body_h(ui)) {
		snprintf(pos, sizeof pos, "%d-%d/%zu", in->scroll + 1,
		    in->scroll + body_h(ui) < (int)in->doc.n ? in->scroll + body_h(ui) :
		    (int)in->doc.n, in->doc.n);
		x = right - (int)strlen(pos) - 1;
		if (x > tab_x(ui, TAB_COUNT))
			ui_put(y, x, (int)strlen(pos), pos, strlen(pos), VS_DIM, false);
	}
}

/* The first line holding what the search is for, or -1. */
static long
first_match(struct ui *ui, long from)
{
	const struct vdoc *d = &ui->insp.doc;
	size_t i;

	for (i = from < 0 ? 0 : (size_t)from; i < d->n; i++) {
		if (d->lines[i].text != NULL &&
		    ui_text_find(d->lines[i].text, d->lines[i].len, ui->search, NULL))
			return (long)i;
	}
	return -1;
}

/*
 * A search found the span shown (the tree looks in attribute values and
 * the status description too): bring the tab's first line that holds the
 * text into view, once for each span, tab and search, so that scrolling
 * away from it stays where it is put.
 */
static void
seek_match(struct ui *ui)
{
	struct ui_inspector *in = &ui->insp;
	long line;

	if (ui->search == NULL || *ui->search == '\0' ||
	    (in->sought != NULL && strcmp(in->sought, ui->search) == 0))
		return;
	free(in->sought);
	in->sought = xstrdup(ui->search);
	/* Held inside a folded JSON node: unfold it, then look again. */
	if ((line = first_match(ui, 0)) < 0 && in->view != NULL &&
	    span_view_reveal(in->view, in->tab, ui->search)) {
		in->doc_width = -1;
		ensure_doc(ui);
		line = first_match(ui, 0);
	}
	if (line < 0)
		return;
	in->cursor = (int)line;
	/* In view, with a line of what leads to it when it is far down. */
	if (line < in->scroll || line >= in->scroll + body_h(ui))
		in->scroll = (int)(line > 1 ? line - 1 : 0);
}

static void
insp_draw(struct ui *ui)
{
	struct ui_inspector *in = &ui->insp;
	int y, h = body_h(ui);
	size_t i;

	ensure_doc(ui);
	seek_match(ui);
	clamp_scroll(ui);
	draw_tabs(ui);
	for (y = 0; y < h; y++) {
		i = (size_t)(in->scroll + y);
		if (i >= in->doc.n)
			break;
		ui_draw_vline_hl(&in->doc.lines[i], ui->lay.insp_y + 1 + y, ui->lay.insp_x + 1,
		    ui->lay.insp_w - 1, ui->focus == FOCUS_INSPECTOR && (int)i == in->cursor,
		    ui->search);
	}
}

void
ui_inspector_scroll(struct ui *ui, int lines)
{
	ensure_doc(ui);
	ui->insp.scroll += lines;
	if (ui->focus == FOCUS_INSPECTOR)
		ui->insp.cursor += lines;
	ui->insp.cursor = (int)cursor_clamp(ui->insp.cursor, (long)ui->insp.doc.n);
	clamp_scroll(ui);
	ui->dirty = true;
}

static void
set_tab(struct ui *ui, enum span_tab tab)
{
	if (ui->insp.tab == tab)
		return;
	ui->insp.tab = tab;
	ui->insp.doc_width = -1;
	ui->insp.scroll = ui->insp.cursor = 0;
	free(ui->insp.sought);
	ui->insp.sought = NULL;
	ui->dirty = true;
}

static void
move_cursor(struct ui *ui, int to)
{
	struct ui_inspector *in = &ui->insp;

	ensure_doc(ui);
	in->cursor = (int)cursor_clamp(to, (long)in->doc.n);
	clamp_scroll(ui);
	ui->dirty = true;
}

static void
toggle_at_cursor(struct ui *ui)
{
	struct ui_inspector *in = &ui->insp;

	ensure_doc(ui);
	if (in->view == NULL || in->cursor >= (int)in->doc.n)
		return;
	if (span_view_toggle(in->view, &in->doc.lines[in->cursor])) {
		in->doc_width = -1;
		ui->dirty = true;
	}
}

static bool
insp_action(struct ui *ui, enum key_action a)
{
	struct ui_inspector *in = &ui->insp;
	enum cursor_step step = keys_cursor_step(a);

	if (step != CURSOR_NONE) {
		/* END needs the document's length: render it first. */
		ensure_doc(ui);
		move_cursor(ui, (int)cursor_step(in->cursor, step, (long)in->doc.n,
		    cursor_page(body_h(ui))));
		return true;
	}
	switch (a) {
	case ACT_NEXT_TAB: set_tab(ui, (enum span_tab)((in->tab + 1) % TAB_COUNT)); break;
	case ACT_PREV_TAB:
		set_tab(ui, (enum span_tab)((in->tab + TAB_COUNT - 1) % TAB_COUNT));
		break;
	case ACT_TAB1: set_tab(ui, TAB_ATTRS); break;
	case ACT_TAB2: set_tab(ui, TAB_STATE); break;
	case ACT_TAB3: set_tab(ui, TAB_CONTEXT); break;
	case ACT_TOGGLE: toggle_at_cursor(ui); break;
	case ACT_EXPAND_ALL:
	case ACT_COLLAPSE_ALL:
		if (in->view != NULL) {
			span_view_fold_all(in->view, a == ACT_COLLAPSE_ALL);
			in->doc_width = -1;
			ui->dirty = true;
		}
		break;
	case ACT_CRITPATH: ui_analysis_toggle_path(ui); break;
	case ACT_STATS: ui_post(ui, &(struct ui_req){ .kind = REQ_OPEN_STATS }); break;
	case ACT_FOCUS:
		ui_post(ui, &(struct ui_req){ .kind = REQ_FOCUS, .pane = PANE_TREE, .n = 1 });
		break;
	default:
		return false;
	}
	return true;
}

static bool
insp_contains(struct ui *ui, int y, int x)
{
	return x >= ui->lay.insp_x && y >= ui->lay.insp_y;
}

/* A click on the tabs line picks a tab (the focus stays); below it, it
 * puts the cursor on a line and takes the focus. */
static bool
insp_click(struct ui *ui, int y, int x, bool twice)
{
	int t;

	if (y == ui->lay.insp_y) {
		for (t = TAB_COUNT - 1; t >= 0; t--) {
			if (x >= tab_x(ui, t)) {
				set_tab(ui, (enum span_tab)t);
				break;
			}
		}
		return false;
	}
	ui->focus = FOCUS_INSPECTOR;
	move_cursor(ui, ui->insp.scroll + (y - ui->lay.insp_y - 1));
	return true;
}

static void
insp_wheel(struct ui *ui, enum key_action a)
{
	ui_inspector_scroll(ui, a == ACT_UP ? -3 : 3);
}

/* Back from the inspector is the tree. */
static void
insp_back(struct ui *ui, bool may_quit, struct ui_req *r)
{
	r->kind = REQ_FOCUS;
	r->pane = PANE_TREE;
}

static bool
line_has(const struct vline *l, const char *text)
{
	return l->text != NULL && ui_text_find(l->text, l->len, text, NULL);
}

static void
insp_search(struct ui *ui, const char *text, int dir)
{
	struct ui_inspector *in = &ui->insp;
	long n, k, i;

	ensure_doc(ui);
	/* This search moves the cursor itself: no seek_match after it. */
	free(in->sought);
	in->sought = xstrdup(text);
	n = (long)in->doc.n;
	for (k = 1; k <= n; k++) {
		i = ((in->cursor + dir * k) % n + n) % n;
		if (line_has(&in->doc.lines[i], text)) {
			move_cursor(ui, (int)i);
			return;
		}
	}
	ui_message(ui, true, "'%s' is not in this tab", text);
}

static const struct ui_hint insp_hints[] = {
	{ "Enter", "fold", 4 }, { "/", "search", 3 }, { "Tab", "tab", 1 },
	{ "i", "tree", 2 }, { "?", "help", 9 }, { "q", "back", 5 },
	{ NULL, NULL, 0 },
};

const struct ui_pane_ops ui_inspector_pane = {
	.name = "inspector",
	.where = KW_INSPECT,
	.session = true,
	.focus = FOCUS_INSPECTOR,
	.hints = insp_hints,
	.draw = insp_draw,
	.action = insp_action,
	.back = insp_back,
	.contains = insp_contains,
	.click = insp_click,
	.wheel = insp_wheel,
	.search = insp_search,
};
