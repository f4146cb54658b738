/* SPDX-License-Identifier: MIT */
/*
 * span_view.h — the inspector's three tabs for one span, as documents of
 * display lines (no curses): Attributes, State / Result, Context.
 *
 * Made when a span is selected: one jansson parse of its raw line (and of
 * its parent's, when a generate span's prompt sits there).  Holds the fold
 * state of the State tab's JSON trees while the span stays selected.
 */
#ifndef SPAN_VIEW_H
#define SPAN_VIEW_H

#include <stdbool.h>
#include <stdint.h>

#include "vdoc.h"

struct session;

enum span_tab { TAB_ATTRS, TAB_STATE, TAB_CONTEXT, TAB_COUNT };

struct span_view;

/* NULL with *cause when the span's text cannot be read back or parsed. */
struct span_view *span_view_new(struct session *, uint32_t span, char **cause);
void span_view_free(struct span_view *);
uint32_t span_view_span(const struct span_view *);

/* Render tab at width columns into out (cleared first). */
/* What the analyses (ui_analysis.c) know of the span, shown in the
 * Attributes tab: self time, its part of the critical path, cost. */
struct span_view_extra {
	bool have;               /* a critical path exists */
	int64_t self_ns;         /* duration no child covers */
	int64_t wall_ns;         /* the session's wall time (the path's) */
	bool on_path;
	int64_t path_ns;         /* time it holds the path */
	bool have_cost;          /* it has tokens */
	bool cost_known;
	double cost_usd;
	bool have_subtree;       /* its subtree (with it) has tokens */
	bool subtree_known;
	double subtree_usd;
};
void span_view_set_extra(struct span_view *, const struct span_view_extra *);
void span_view_render(struct span_view *, enum span_tab, int width, struct vdoc *out);

/* Fold or unfold the JSON node a line of the State tab opens; false when
 * the line opens none.  Re-render afterwards. */
bool span_view_toggle(struct span_view *, const struct vline *);
/* Fold (true) or open every JSON tree of the State tab. */
void span_view_fold_all(struct span_view *, bool folded);
/* Unfold the State tab's JSON containers that hold needle (a search; long
 * values stay folded to their summary).  True when a fold changed
 * (re-render). */
bool span_view_reveal(struct span_view *, enum span_tab, const char *needle);

const char *span_tab_name(enum span_tab);

/*
 * The State tab's value at doc line `line` (doc as rendered): the JSON
 * container that line opens or sits in, pretty-printed, else the whole
 * *_json value; *what names it.  Caller frees; NULL when the tab has none.
 */
char *span_view_state_value(struct span_view *, const struct vdoc *doc, size_t line,
    const char **what);
#endif
