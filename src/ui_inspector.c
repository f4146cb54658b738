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
	int max = (int)in->doc.n - body_h(ui);

	if (ui->focus == FOCUS_INSPECTOR) {
		if (in->cursor < in->scroll)
			in->scroll = in->cursor;
		if (in->cursor >= in->scroll + body_h(ui))
			in->scroll = in->cursor - body_h(ui) + 1;
	}
	if (in->scroll > max)
		in->scroll = max;
	if (in->scroll < 0)
		in->scroll = 0;
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

void
ui_inspector_draw(struct ui *ui)
{
	struct ui_inspector *in = &ui->insp;
	int y, h = body_h(ui);
	size_t i;

	ensure_doc(ui);
	clamp_scroll(ui);
	draw_tabs(ui);
	for (y = 0; y < h; y++) {
		i = (size_t)(in->scroll + y);
		if (i >= in->doc.n)
			break;
		ui_draw_vline(&in->doc.lines[i], ui->lay.insp_y + 1 + y, ui->lay.insp_x + 1,
		    ui->lay.insp_w - 1, 0, ui->focus == FOCUS_INSPECTOR && (int)i == in->cursor);
	}
}

void
ui_inspector_scroll(struct ui *ui, int lines)
{
	ensure_doc(ui);
	ui->insp.scroll += lines;
	if (ui->focus == FOCUS_INSPECTOR)
		ui->insp.cursor += lines;
	if (ui->insp.cursor < 0)
		ui->insp.cursor = 0;
	if (ui->insp.cursor >= (int)ui->insp.doc.n)
		ui->insp.cursor = ui->insp.doc.n > 0 ? (int)ui->insp.doc.n - 1 : 0;
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
	ui->dirty = true;
}

static void
move_cursor(struct ui *ui, int to)
{
	struct ui_inspector *in = &ui->insp;

	ensure_doc(ui);
	if (to >= (int)in->doc.n)
		to = (int)in->doc.n - 1;
	if (to < 0)
		to = 0;
	in->cursor = to;
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

void
ui_inspector_action(struct ui *ui, enum key_action a)
{
	struct ui_inspector *in = &ui->insp;
	int page = body_h(ui) > 1 ? body_h(ui) - 1 : 1;

	switch (a) {
	case ACT_NEXT_TAB: set_tab(ui, (enum span_tab)((in->tab + 1) % TAB_COUNT)); break;
	case ACT_PREV_TAB:
		set_tab(ui, (enum span_tab)((in->tab + TAB_COUNT - 1) % TAB_COUNT));
		break;
	case ACT_TAB1: set_tab(ui, TAB_ATTRS); break;
	case ACT_TAB2: set_tab(ui, TAB_STATE); break;
	case ACT_TAB3: set_tab(ui, TAB_CONTEXT); break;
	case ACT_DOWN: move_cursor(ui, in->cursor + 1); break;
	case ACT_UP: move_cursor(ui, in->cursor - 1); break;
	case ACT_PAGE_DOWN: move_cursor(ui, in->cursor + page); break;
	case ACT_PAGE_UP: move_cursor(ui, in->cursor - page); break;
	case ACT_HOME: move_cursor(ui, 0); break;
	case ACT_END: move_cursor(ui, (int)in->doc.n - 1); break;
	case ACT_TOGGLE: toggle_at_cursor(ui); break;
	case ACT_EXPAND_ALL:
	case ACT_COLLAPSE_ALL:
		if (in->view != NULL) {
			span_view_fold_all(in->view, a == ACT_COLLAPSE_ALL);
			in->doc_width = -1;
			ui->dirty = true;
		}
		break;
	default:
		break;
	}
}

void
ui_inspector_click(struct ui *ui, int y, int x)
{
	int t;

	if (y == ui->lay.insp_y) {
		for (t = TAB_COUNT - 1; t >= 0; t--) {
			if (x >= tab_x(ui, t)) {
				set_tab(ui, (enum span_tab)t);
				return;
			}
		}
		return;
	}
	ui->focus = FOCUS_INSPECTOR;
	move_cursor(ui, ui->insp.scroll + (y - ui->lay.insp_y - 1));
}

static bool
line_has(const struct vline *l, const char *text)
{
	return l->text != NULL && strcasestr(l->text, text) != NULL;
}

void
ui_inspector_search(struct ui *ui, const char *text, int dir)
{
	struct ui_inspector *in = &ui->insp;
	long n, k, i;

	ensure_doc(ui);
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
