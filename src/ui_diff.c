/* SPDX-License-Identifier: MIT */
/*
 * ui_diff.c — comparing two runs in the browser (doc/reference.md §9): `m` marks a
 * session, `D` opens the diff of the marked one (A) against the open one
 * (B), or of the two marked on the list.  The diff screen shows the merged
 * tree (diff.c) with both sides' figures side by side, and for the
 * selected row both spans' attributes with the keys that differ marked;
 * n / N move between differences and it opens on the first.
 */
#include "ui.h"

#include <curses.h>
#include <stdlib.h>
#include <string.h>

#include "diff.h"
#include "fmt.h"
#include "span.h"
#include "span_detail.h"
#include "text.h"
#include "trace.h"
#include "xmalloc.h"

/* Each side's figures take this many columns on a row. */
#define SIDE_W 19

struct ui_diff {
	struct session *sa, *sb;    /* sa owned; sb owned when own_b */
	bool own_b;
	char *ida, *idb;            /* owned */
	struct diff *d;
	size_t sel, top;
	size_t detail_row;          /* row da/db were fetched for, SIZE_MAX none */
	struct span_detail *da, *db;
	int scroll;                 /* first line of the attribute pane */
};

/*
 * Marks: at most two session ids, the older first.  Marking a third drops
 * the oldest; marking a marked one unmarks it.
 */

static const char *
ui_diff_current_id(struct ui *ui)
{
	if (ui->screen == SCREEN_SESSION && ui->tree.s != NULL)
		return ui->tree.id;
	if (ui->screen == SCREEN_LIST && ui->list.nrows > 0 && ui->list.sel < ui->list.n)
		return ui->list.e[ui->list.sel].ref.id;
	return NULL;
}

void
ui_diff_mark(struct ui *ui)
{
	const char *id = ui_diff_current_id(ui);
	int k;

	if (id == NULL) {
		ui_message(ui, true, "no session to mark");
		return;
	}
	for (k = 0; k < 2; k++) {
		if (ui->mark[k] != NULL && strcmp(ui->mark[k], id) == 0) {
			free(ui->mark[k]);
			ui->mark[k] = NULL;
			if (k == 0) {
				ui->mark[0] = ui->mark[1];
				ui->mark[1] = NULL;
			}
			ui_message(ui, false, "unmarked %s", id);
			return;
		}
	}
	if (ui->mark[1] != NULL) {
		free(ui->mark[0]);
		ui->mark[0] = ui->mark[1];
		ui->mark[1] = NULL;
	}
	ui->mark[ui->mark[0] == NULL ? 0 : 1] = xstrdup(id);
	ui_message(ui, false, "marked %s: open another session and press D to compare", id);
}

static struct ui_entry *
ui_diff_entry(struct ui *ui, const char *id)
{
	size_t i;

	for (i = 0; i < ui->list.n; i++) {
		if (strcmp(ui->list.e[i].ref.id, id) == 0)
			return &ui->list.e[i];
	}
	return NULL;
}

/* Read a listed session whole, for one side.  NULL with a message. */
static struct session *
ui_diff_load(struct ui *ui, const char *id)
{
	struct ui_entry *e = ui_diff_entry(ui, id);
	struct session *s;

	if (e == NULL) {
		ui_message(ui, true, "session %s is no longer listed", id);
		return NULL;
	}
	if (ui_entry_remote(e)) {
		/* Its trace would have to be downloaded first; the headless
		 * --diff does that. */
		ui_message(ui, true, "comparing an inspector's sessions here needs them open: "
		    "use mcp-inspect-tui --diff %s OTHER URL", id);
		return NULL;
	}
	s = session_new(&e->ref);
	while (session_read(s, SIZE_MAX) == 1)
		;
	session_finish(s);
	trace_update_tree(session_trace(s));
	return s;
}

static void
ui_diff_free(struct ui_diff *v)
{
	if (v == NULL)
		return;
	diff_free(v->d);
	span_detail_free(v->da);
	span_detail_free(v->db);
	session_free(v->sa);
	if (v->own_b)
		session_free(v->sb);
	free(v->ida);
	free(v->idb);
	free(v);
}

void
ui_diff_close(struct ui *ui)
{
	ui_diff_free(ui->diff);
	ui->diff = NULL;
	if (ui->screen == SCREEN_DIFF)
		ui->screen = ui->diff_back;
	ui->dirty = true;
}

/* The two runs D compares: the marked one and the open one, or the two
 * marked on the list.  False, with why in the status bar, when there are
 * not two. */
static bool
ui_diff_pick(struct ui *ui, const char **a, const char **b)
{
	if (ui->screen == SCREEN_SESSION) {
		*b = ui->tree.id;
		*a = ui->mark[1] != NULL && strcmp(ui->mark[1], *b) != 0 ? ui->mark[1] :
		    ui->mark[0] != NULL && strcmp(ui->mark[0], *b) != 0 ? ui->mark[0] : NULL;
		if (*a == NULL) {
			ui_message(ui, true, "mark a session with m first, then open another and press D");
			return false;
		}
		return true;
	}
	if (ui->mark[0] == NULL || ui->mark[1] == NULL) {
		ui_message(ui, true, "mark two sessions with m (or open one and press D)");
		return false;
	}
	*a = ui->mark[0];
	*b = ui->mark[1];
	return true;
}

bool
ui_diff_ready(struct ui *ui)
{
	const char *a, *b;

	return ui_diff_pick(ui, &a, &b);
}

/* The open session, if one is compared, was read whole by the loop. */
void
ui_diff_open(struct ui *ui)
{
	struct ui_diff *v;
	const char *a, *b;
	size_t first;

	if (!ui_diff_pick(ui, &a, &b))
		return;
	/* A download cannot be hurried. */
	if (ui->screen == SCREEN_SESSION && ui->tree.loading) {
		ui_message(ui, true, "still downloading this session; press D when it is loaded");
		return;
	}
	v = xcalloc(1, sizeof *v);
	v->ida = xstrdup(a);
	v->idb = xstrdup(b);
	v->detail_row = SIZE_MAX;
	if ((v->sa = ui_diff_load(ui, a)) == NULL) {
		ui_diff_free(v);
		return;
	}
	if (ui->screen == SCREEN_SESSION) {
		v->sb = ui->tree.s;
		trace_update_tree(session_trace(v->sb));
	} else if ((v->sb = ui_diff_load(ui, b)) == NULL) {
		ui_diff_free(v);
		return;
	} else
		v->own_b = true;
	v->d = diff_new(session_trace(v->sa), session_trace(v->sb), 0);
	diff_attributes(v->d, v->sa, v->sb);
	first = diff_next_change(v->d, SIZE_MAX, 1);
	v->sel = first != SIZE_MAX ? first : 0;
	ui->diff = v;
	ui->diff_back = ui->screen;
	ui->screen = SCREEN_DIFF;
	if (first == SIZE_MAX)
		ui_message(ui, false, "%s and %s: no differences", a, b);
	else
		ui_message(ui, false, "%zu of %zu rows differ; n / N move between them, q returns",
		    diff_count_changes(v->d), v->d->n);
}

/* The open session is about to go: a diff that borrows it goes first. */
void
ui_diff_forget(struct ui *ui)
{
	if (ui->diff != NULL && !ui->diff->own_b)
		ui_diff_close(ui);
}

/*
 * Drawing.
 */

static const struct span *
ui_diff_span(struct trace *t, uint32_t node)
{
	if (node == TRACE_NONE || trace_is_placeholder(t, node))
		return NULL;
	return trace_span(t, node);
}

static void
ui_diff_side_text(struct buf *b, const struct span *sp)
{
	if (sp == NULL)
		return;
	if (sp->start_ns != SPAN_TIME_NONE && sp->end_ns != SPAN_TIME_NONE)
		fmt_duration(b, sp->end_ns - sp->start_ns);
	else
		buf_adds(b, "running");
	if (sp->status == SPAN_ERROR)
		buf_adds(b, " ERR");
	if (sp->tok_in > 0 || sp->tok_out > 0) {
		buf_addc(b, ' ');
		fmt_count(b, sp->tok_in > 0 ? sp->tok_in : 0);
		buf_addc(b, '/');
		fmt_count(b, sp->tok_out > 0 ? sp->tok_out : 0);
	}
}

static enum vstyle
ui_diff_style(const struct diff_row *r)
{
	switch (r->change) {
	case DIFF_ADDED: return VS_OK;
	case DIFF_REMOVED: return VS_ERROR;
	case DIFF_CHANGED: return VS_WARN;
	default: return VS_NORMAL;
	}
}

static void
ui_diff_draw_row(struct ui *ui, int y, size_t i, bool sel)
{
	struct ui_diff *v = ui->diff;
	const struct diff_row *r = &v->d->rows[i];
	struct trace *t = r->a != TRACE_NONE ? v->d->ta : v->d->tb;
	uint32_t node = r->a != TRACE_NONE ? r->a : r->b;
	const struct span *sp = ui_diff_span(t, node);
	int w = ui->lay.tree_w, x = ui->lay.tree_x, name_w = w - 2 * SIDE_W - 2, col;
	enum vstyle st = ui_diff_style(r);
	struct buf b = BUF_INIT;
	const char *mark = r->change == DIFF_ADDED ? "+" : r->change == DIFF_REMOVED ? "-" :
	    r->change == DIFF_CHANGED ? "~" : " ";

	if (sel) {
		attrset(A_REVERSE);
		mvhline(y, x, ' ', w);
		attrset(A_NORMAL);
	}
	if (name_w < 10)
		name_w = w - 2;
	ui_put(y, x, 2, mark, 1, st, sel);
	buf_printf(&b, "%*s", (int)(r->depth * 2 < 40 ? r->depth * 2 : 40), "");
	if (sp == NULL)
		buf_adds(&b, "? missing parent");
	else {
		buf_adds(&b, trace_str(t, sp->name));
		if (sp->label != STRTAB_EMPTY) {
			buf_adds(&b, "  ");
			buf_adds(&b, trace_str(t, sp->label));
		}
	}
	ui_put(y, x + 2, name_w - 1, b.p, b.len, r->change == DIFF_SAME ? VS_NORMAL : st, sel);
	if (name_w == w - 2) {
		buf_free(&b);
		return;
	}
	col = x + 2 + name_w;
	buf_reset(&b);
	ui_diff_side_text(&b, ui_diff_span(v->d->ta, r->a));
	ui_put(y, col, SIDE_W - 1, b.p, b.len,
	    (r->what & (DIFF_W_DURATION | DIFF_W_STATUS | DIFF_W_TOKENS)) ? VS_WARN : VS_DIM, sel);
	buf_reset(&b);
	ui_diff_side_text(&b, ui_diff_span(v->d->tb, r->b));
	ui_put(y, col + SIDE_W, SIDE_W, b.p, b.len, r->what ? VS_WARN : VS_NORMAL, sel);
	buf_free(&b);
}

/* Fetch the selected row's details, once per selection. */
static void
ui_diff_details(struct ui_diff *v)
{
	const struct diff_row *r = &v->d->rows[v->sel];
	char *cause = NULL;

	if (v->detail_row == v->sel)
		return;
	span_detail_free(v->da);
	span_detail_free(v->db);
	v->da = v->db = NULL;
	if (ui_diff_span(v->d->ta, r->a) != NULL)
		v->da = session_span_detail(v->sa, r->a, &cause);
	free(cause);
	cause = NULL;
	if (ui_diff_span(v->d->tb, r->b) != NULL)
		v->db = session_span_detail(v->sb, r->b, &cause);
	free(cause);
	v->detail_row = v->sel;
	v->scroll = 0;
}

/* The attribute pane as a document: figures A and B, then each key,
 * "≠" before those that differ, with both values. */
static void
ui_diff_doc(struct ui *ui, struct vdoc *o, int width)
{
	struct ui_diff *v = ui->diff;
	const struct diff_row *r = &v->d->rows[v->sel];
	const struct span_detail *side[2] = { v->da, v->db };
	const char *names[2] = { v->ida, v->idb };
	const struct kv *ka, *kb;
	struct buf b = BUF_INIT;
	size_t k;
	int s;

	vdoc_printf(o, VS_HEADER, "%s", diff_change_name(r->change));
	if (r->what & DIFF_W_STATUS)
		vdoc_adds(o, VS_WARN, "  status");
	if (r->what & DIFF_W_DURATION)
		vdoc_printf(o, VS_WARN, "  %.2fx %s", r->ratio >= 1 ? r->ratio : 1 / r->ratio,
		    r->ratio >= 1 ? "slower" : "faster");
	if (r->what & DIFF_W_TOKENS)
		vdoc_adds(o, VS_WARN, "  tokens");
	if (r->what & DIFF_W_ATTRS)
		vdoc_adds(o, VS_WARN, "  attributes");
	vdoc_end_line(o);
	for (s = 0; s < 2; s++) {
		vdoc_printf(o, VS_KEY, "%s ", s == 0 ? "A" : "B");
		vdoc_adds(o, VS_DIM, names[s]);
		if (side[s] == NULL) {
			vdoc_adds(o, VS_DIM, s == 0 ? "  (not in A)" : "  (not in B)");
			vdoc_end_line(o);
			continue;
		}
		vdoc_adds(o, VS_DIM, "  span ");
		vdoc_adds(o, VS_ACCENT, side[s]->span_id);
		vdoc_printf(o, side[s]->status != NULL && strcmp(side[s]->status, "error") == 0 ?
		    VS_ERROR : VS_NORMAL, "  %s", side[s]->status);
		buf_reset(&b);
		ui_diff_side_text(&b, ui_diff_span(s == 0 ? v->d->ta : v->d->tb,
		    s == 0 ? r->a : r->b));
		vdoc_adds(o, VS_NORMAL, "  ");
		vdoc_add(o, VS_NORMAL, b.p, b.len);
		vdoc_end_line(o);
	}
	vdoc_end_line(o);
	vdoc_adds(o, VS_HEADER, "Attributes");
	if (v->da == NULL || v->db == NULL) {
		/* A span on one side only: nothing to set beside it. */
		vdoc_adds(o, VS_DIM, v->da != NULL ? "  (A only)" : "  (B only)");
		vdoc_end_line(o);
		side[0] = v->da != NULL ? v->da : v->db;
		for (k = 0; side[0] != NULL && k < side[0]->attrs.n; k++) {
			ka = &side[0]->attrs.v[k];
			vdoc_adds(o, VS_DIM, "  ");
			vdoc_adds(o, VS_KEY, ka->key);
			vdoc_adds(o, VS_DIM, " = ");
			vdoc_add_wrapped(o, VS_STRING, ka->json, strlen(ka->json), width, 4);
		}
		buf_free(&b);
		return;
	}
	vdoc_adds(o, VS_DIM, "  (! marks a key that differs)");
	vdoc_end_line(o);
	/* A's keys in their order, then those only B has. */
	for (s = 0; s < 2; s++) {
		for (k = 0; side[s] != NULL && k < side[s]->attrs.n; k++) {
			const char *key = side[s]->attrs.v[k].key;

			if (s == 1 && v->da != NULL && span_detail_attr(v->da, key) != NULL)
				continue;
			ka = v->da != NULL ? span_detail_attr(v->da, key) : NULL;
			kb = v->db != NULL ? span_detail_attr(v->db, key) : NULL;
			if (!diff_attr_differs(v->da, v->db, key)) {
				vdoc_adds(o, VS_DIM, "  ");
				vdoc_adds(o, VS_KEY, key);
				vdoc_adds(o, VS_DIM, " = ");
				vdoc_add_wrapped(o, VS_STRING, ka->json, strlen(ka->json), width,
				    4);
				continue;
			}
			vdoc_adds(o, VS_WARN, "! ");
			vdoc_adds(o, VS_KEY, key);
			vdoc_end_line(o);
			vdoc_adds(o, VS_DIM, "    A ");
			if (ka != NULL)
				vdoc_add_wrapped(o, VS_ERROR, ka->json, strlen(ka->json), width, 6);
			else {
				vdoc_adds(o, VS_DIM, "(absent)");
				vdoc_end_line(o);
			}
			vdoc_adds(o, VS_DIM, "    B ");
			if (kb != NULL)
				vdoc_add_wrapped(o, VS_OK, kb->json, strlen(kb->json), width, 6);
			else {
				vdoc_adds(o, VS_DIM, "(absent)");
				vdoc_end_line(o);
			}
		}
	}
	buf_free(&b);
}

static void
ui_diff_draw_detail(struct ui *ui)
{
	struct ui_diff *v = ui->diff;
	struct vdoc doc = VDOC_INIT;
	int y, w = ui->lay.insp_w - 1, h = ui->lay.insp_h;
	size_t i;

	ui_diff_details(v);
	ui_diff_doc(ui, &doc, w > 10 ? w : 10);
	v->scroll = (int)cursor_top(v->scroll, -1, h, (long)doc.n);
	for (y = 0, i = (size_t)v->scroll; y < h && i < doc.n; y++, i++)
		ui_draw_vline(&doc.lines[i], ui->lay.insp_y + y, ui->lay.insp_x + 1, w, 0, false);
	vdoc_free(&doc);
}

static void
diff_draw(struct ui *ui)
{
	struct ui_diff *v = ui->diff;
	struct buf b = BUF_INIT;
	int h = ui->lay.tree_h - 1, y, name_w = ui->lay.tree_w - 2 * SIDE_W - 2;
	size_t i;

	ui_put(0, 0, ui->lay.w, "", 0, VS_NORMAL, true);
	buf_adds(&b, " compare  A ");
	buf_adds(&b, v->ida);
	buf_adds(&b, "  with  B ");
	buf_adds(&b, v->idb);
	buf_printf(&b, "  %zu of %zu rows differ", diff_count_changes(v->d), v->d->n);
	attrset(A_REVERSE);
	mvhline(0, 0, ' ', ui->lay.w);
	attrset(A_NORMAL);
	ui_put(0, 0, ui->lay.w, b.p, b.len, VS_HEADER, true);
	buf_free(&b);
	/* The column header, then the rows. */
	if (name_w >= 10) {
		ui_put(ui->lay.tree_y, ui->lay.tree_x + 2, name_w, "span", 4, VS_HEADER, false);
		ui_put(ui->lay.tree_y, ui->lay.tree_x + 2 + name_w, SIDE_W, "A", 1, VS_HEADER,
		    false);
		ui_put(ui->lay.tree_y, ui->lay.tree_x + 2 + name_w + SIDE_W, SIDE_W, "B", 1,
		    VS_HEADER, false);
	}
	if (v->d->n == 0) {
		ui_put(ui->lay.tree_y + 1, 2, ui->lay.tree_w - 2, "Both runs are empty.", 20,
		    VS_DIM, false);
		return;
	}
	if (h < 1)
		h = 1;
	v->top = (size_t)cursor_follow((long)v->top, (long)v->sel, h);
	for (y = 0, i = v->top; y < h && i < v->d->n; y++, i++)
		ui_diff_draw_row(ui, ui->lay.tree_y + 1 + y, i, i == v->sel);
	if (!ui->lay.stacked) {
		attrset(A_DIM);
		mvvline(ui->lay.insp_y, ui->lay.insp_x - 1, ACS_VLINE, ui->lay.insp_h);
		attrset(A_NORMAL);
	} else {
		attrset(A_DIM);
		mvhline(ui->lay.insp_y - 1, 0, ACS_HLINE, ui->lay.w);
		attrset(A_NORMAL);
	}
	ui_diff_draw_detail(ui);
}

static bool
diff_action(struct ui *ui, enum key_action a)
{
	struct ui_diff *v = ui->diff;
	enum cursor_step step = keys_cursor_step(a);
	size_t next;

	/* Search, filters and the session keys do not apply here: only q
	 * and Esc go on to the loop. */
	if (a == ACT_BACK || a == ACT_CANCEL)
		return false;
	/* A page is the rows under the column header. */
	if (step != CURSOR_NONE && v->d->n > 0)
		v->sel = (size_t)cursor_step((long)v->sel, step, (long)v->d->n,
		    cursor_page(ui->lay.tree_h - 1));
	switch (a) {
	case ACT_SCROLL_DOWN: v->scroll += 3; break;
	case ACT_SCROLL_UP: v->scroll = v->scroll > 3 ? v->scroll - 3 : 0; break;
	case ACT_NEXT_DIFF:
	case ACT_PREV_DIFF:
		next = diff_next_change(v->d, v->sel, a == ACT_NEXT_DIFF ? 1 : -1);
		if (next == SIZE_MAX)
			ui_message(ui, false, "no differences");
		else if (next == v->sel)
			ui_message(ui, false, "this is the only difference");
		else {
			if ((a == ACT_NEXT_DIFF) != (next > v->sel))
				ui_message(ui, false, "wrapped around");
			v->sel = next;
		}
		break;
	default:
		break;
	}
	ui->dirty = true;
	return true;
}

static void
diff_back(struct ui *ui, bool may_quit, struct ui_req *r)
{
	r->kind = REQ_CLOSE_DIFF;
}

static void
diff_wheel(struct ui *ui, enum key_action a)
{
	diff_action(ui, a);
}

static const struct ui_hint diff_hints[] = {
	{ "n", "next difference", 4 }, { "N", "previous", 2 }, { "J K", "scroll", 1 },
	{ "?", "help", 9 }, { "q", "back", 5 }, { NULL, NULL, 0 },
};

const struct ui_pane_ops ui_diff_pane = {
	.name = "diff",
	.where = KW_DIFF,
	.hints = diff_hints,
	.draw = diff_draw,
	.action = diff_action,
	.back = diff_back,
	.wheel = diff_wheel,
};
