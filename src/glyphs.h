/* SPDX-License-Identifier: MIT */
/*
 * glyphs.h — the one table of the characters the program draws with,
 * in a UTF-8 set and an ASCII set chosen by the locale's codeset.
 *
 * Headless output (cli.c, cli_diff.c), the views (chat_view.c) and the
 * browser draw with the same glyphs, so a tree, a rule or an arrow looks
 * the same everywhere, and a terminal that is not UTF-8 gets ASCII
 * everywhere.  The strings are static.
 */
#ifndef GLYPHS_H
#define GLYPHS_H

#include <stdbool.h>

struct glyphs {
	/* Tree guides, three columns each: an ancestor level with more
	 * children below ("│  "), one without ("   "), and the node itself,
	 * followed by siblings ("├─ ") or the last of them ("└─ "). */
	const char *guide_pipe;
	const char *guide_blank;
	const char *guide_tee;
	const char *guide_elbow;
	const char *rule;	/* one column of a horizontal rule */
	const char *arrow;	/* from → to; a tool call */
	const char *back_arrow;	/* a tool result */
	const char *ellipsis;	/* text goes on */
	const char *dot;	/* between values on a line */
};

extern const struct glyphs glyphs_utf8_set;
extern const struct glyphs glyphs_ascii_set;

/* Whether the current locale's codeset is UTF-8 (after setlocale). */
bool glyphs_locale_utf8(void);

/* The set for the current locale. */
const struct glyphs *glyphs_get(void);

#endif
