/* SPDX-License-Identifier: MIT */
/*
 * keys.h — every action of the browser, where it applies, its help text
 * and its key codes, in one table.  Key dispatch and the `?` help screen
 * both read it, so the help cannot miss a key (tig's approach).
 * Key codes are ncurses', so only UI files include this.
 */
#ifndef KEYS_H
#define KEYS_H

#include <curses.h>

#include "cursor.h"

/* Where an action applies. */
enum key_where {
	KW_LIST = 1 << 0,      /* session list */
	KW_TREE = 1 << 1,      /* span tree (session view) */
	KW_INSPECT = 1 << 2,   /* inspector focused */
	KW_STATS = 1 << 3,     /* the stats view */
	KW_DIFF = 1 << 4,      /* the diff of two runs */
	KW_ANY = KW_LIST | KW_TREE | KW_INSPECT | KW_STATS | KW_DIFF,
};

#define KEY_CTRL(c) ((c) & 0x1f)
#define KEY_ESC 27

/* X(action, where, help text, key codes...) — at most 5 keys a row.
 * Earlier rows win when a key is bound twice in the same place. */
#define KEY_ACTIONS(X) \
	X(ACT_DOWN, KW_ANY, "move down", 'j', KEY_DOWN) \
	X(ACT_UP, KW_ANY, "move up", 'k', KEY_UP) \
	X(ACT_PAGE_DOWN, KW_ANY, "page down", KEY_NPAGE, KEY_CTRL('f')) \
	X(ACT_PAGE_UP, KW_ANY, "page up", KEY_PPAGE, KEY_CTRL('b')) \
	X(ACT_HOME, KW_ANY, "first row", 'g', KEY_HOME) \
	X(ACT_END, KW_ANY, "last row", 'G', KEY_END) \
	X(ACT_OPEN, KW_LIST, "open the session", '\n', 'l', KEY_RIGHT) \
	X(ACT_EXPAND, KW_TREE, "expand, or go to the first child", 'l', KEY_RIGHT) \
	X(ACT_COLLAPSE, KW_TREE, "collapse, or go to the parent", 'h', KEY_LEFT) \
	X(ACT_TOGGLE, KW_TREE | KW_INSPECT, "fold or unfold the span, JSON node or long value", ' ', '\n') \
	X(ACT_EXPAND_ALL, KW_TREE | KW_INSPECT, "expand everything", '+', '*') \
	X(ACT_COLLAPSE_ALL, KW_TREE | KW_INSPECT, "collapse everything", '-') \
	X(ACT_PARENT, KW_TREE, "jump to the parent span", 'p') \
	X(ACT_NEXT_ERROR, KW_TREE, "next span in error", 'e') \
	X(ACT_PREV_ERROR, KW_TREE, "previous span in error", 'E') \
	X(ACT_NEXT_TAB, KW_TREE | KW_INSPECT, "next inspector tab", '\t') \
	X(ACT_PREV_TAB, KW_TREE | KW_INSPECT, "previous inspector tab", KEY_BTAB) \
	X(ACT_TAB1, KW_TREE | KW_INSPECT, "Attributes tab", '1') \
	X(ACT_TAB2, KW_TREE | KW_INSPECT, "State / Result tab", '2') \
	X(ACT_TAB3, KW_TREE | KW_INSPECT, "Context tab (LLM conversation)", '3') \
	X(ACT_FOCUS, KW_TREE | KW_INSPECT, "focus the inspector / the tree", 'i') \
	X(ACT_CRITPATH, KW_TREE, "critical path only (its spans are marked) / every span", 'c') \
	X(ACT_STATS, KW_TREE | KW_INSPECT | KW_STATS, "stats: time, tokens, cost per tool, model, agent, type", 's') \
	X(ACT_SORT_NEXT, KW_STATS, "sort by the next column", '>') \
	X(ACT_SORT_PREV, KW_STATS, "sort by the previous column", '<') \
	X(ACT_SORT_REVERSE, KW_STATS, "reverse the order", 'r') \
	X(ACT_STATS_FILTER, KW_STATS, "show the row's spans in the tree (a filter)", '\n') \
	X(ACT_SCROLL_DOWN, KW_TREE | KW_DIFF, "scroll the inspector down", 'J') \
	X(ACT_SCROLL_UP, KW_TREE | KW_DIFF, "scroll the inspector up", 'K') \
	X(ACT_NEXT_DIFF, KW_DIFF, "next difference", 'n') \
	X(ACT_PREV_DIFF, KW_DIFF, "previous difference", 'N') \
	X(ACT_SEARCH, KW_ANY, "search (highlighted, shown in the inspector)", '/') \
	X(ACT_SEARCH_NEXT, KW_ANY, "next match", 'n') \
	X(ACT_SEARCH_PREV, KW_ANY, "previous match", 'N') \
	X(ACT_FILTER, KW_LIST | KW_TREE, "filter (type:tool status:error fetch ...)", 'f') \
	X(ACT_MARK, KW_LIST | KW_TREE, "mark the session to compare with", 'm') \
	X(ACT_DIFF, KW_LIST | KW_TREE, "compare the marked session with this one", 'D') \
	X(ACT_COPY, KW_TREE | KW_INSPECT, "copy span JSON / JSON node / message (OSC 52)", 'y') \
	X(ACT_COPY_OUTLINE, KW_TREE, "copy the subtree as a Markdown outline", 'Y') \
	X(ACT_PAGER, KW_TREE | KW_INSPECT, "open the value in $PAGER", 'o') \
	X(ACT_PIPE, KW_TREE | KW_INSPECT, "pipe the value into a shell command", '|') \
	X(ACT_WARNINGS, KW_ANY, "every warning of the session", 'w') \
	X(ACT_HELP, KW_ANY, "this help", '?') \
	X(ACT_REDRAW, KW_ANY, "redraw the screen", KEY_CTRL('l')) \
	X(ACT_BACK, KW_ANY, "back; quit from the session list", 'q') \
	X(ACT_CANCEL, KW_ANY, "cancel, close or go back; never quits", KEY_ESC) \
	X(ACT_QUIT, KW_ANY, "quit", 'Q') \
	X(ACT_INTERRUPT, KW_ANY, "quit at once (exit status 130)", KEY_CTRL('c')) \
	X(ACT_SUSPEND, KW_ANY, "suspend to the shell (fg resumes)", KEY_CTRL('z'))

enum key_action {
	ACT_NONE,
#define KEY_ENUM(a, w, h, ...) a,
	KEY_ACTIONS(KEY_ENUM)
#undef KEY_ENUM
	ACT_COUNT
};

#define KEY_MAX_BINDS 5

struct key_row {
	enum key_action action;
	unsigned where;
	const char *help;
	int keys[KEY_MAX_BINDS]; /* 0-terminated when fewer */
};

/* The action bound to key code `key` (ncurses codes) in `where`. */
enum key_action keys_action(int key, unsigned where);
/* The table, in help order; *n rows. */
const struct key_row *keys_table(int *n);
/* The cursor step a movement action asks for; CURSOR_NONE for others. */
enum cursor_step keys_cursor_step(enum key_action);
/* A row's keys as shown to people: "j Down", "Enter l Right". */
void keys_names(const struct key_row *, char *out, size_t size);

#endif
