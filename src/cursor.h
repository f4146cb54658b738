/* SPDX-License-Identifier: MIT */
/*
 * cursor.h — a selection among n rows shown h at a time: moving it,
 * paging, clamping, and which row to show first.  Every list of the
 * browser (sessions, spans, the inspector's lines, the stats and diff
 * rows, the overlays) moves and scrolls with these, so a page or an end
 * means the same everywhere.  Plain arithmetic: no curses, no state.
 */
#ifndef CURSOR_H
#define CURSOR_H

/* One step of a selection, as the movement keys ask for it. */
enum cursor_step {
	CURSOR_NONE,
	CURSOR_DOWN,
	CURSOR_UP,
	CURSOR_PAGE_DOWN,
	CURSOR_PAGE_UP,
	CURSOR_HOME,
	CURSOR_END,
};

/* i held within the rows 0 .. n-1; 0 when there are none. */
long cursor_clamp(long i, long n);
/* What a page moves in a view h rows high: all but one row, at least 1. */
long cursor_page(long h);
/* The row the selection goes to from cur (-1: none yet) for a step, in n
 * rows paged by page, clamped; cur itself for CURSOR_NONE. */
long cursor_step(long cur, enum cursor_step, long n, long page);
/*
 * The first row to show of n in a view h rows high, from top: moved the
 * least that shows row sel (sel < 0: no selection to show), and never so
 * far that the view ends in blank rows while rows above are hidden.
 */
long cursor_top(long top, long sel, long h, long n);
/* cursor_top without the rule about blank rows at the end: the view may
 * stay where it is when the rows shrink under it. */
long cursor_follow(long top, long sel, long h);

#endif
