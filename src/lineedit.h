/* SPDX-License-Identifier: MIT */
/*
 * lineedit.h — one line of text being typed, edited as readline users
 * expect, and the history of one prompt.  No curses here: the UI maps
 * keys to these calls (ui_prompt.c), so every prompt (search, filter,
 * pipe) shares the same editing and each keeps a history of its own.
 *
 * The text is UTF-8 as typed; the cursor is a byte offset that always
 * sits on a character boundary.
 */
#ifndef LINEEDIT_H
#define LINEEDIT_H

#include <stdbool.h>
#include <stddef.h>

#include "buf.h"

/* Lines a history keeps; older ones are dropped. */
#define LINEEDIT_HISTORY_MAX 100
/* Bytes a line may hold; typing past it is ignored. */
#define LINEEDIT_MAX 1024

struct lineedit_history {
	char **lines;                /* owned, oldest first */
	size_t n;
};

struct lineedit {
	struct buf text;             /* owned */
	size_t cursor;               /* byte offset into text */
	struct lineedit_history *hist; /* not owned; may be NULL */
	size_t hpos;                 /* hist->n while not browsing it */
	char *draft;                 /* the line typed before browsing (owned) */
};

/* Start editing text (NULL = empty) with history hist (may be NULL),
 * the cursor at the end. */
void lineedit_start(struct lineedit *, const char *text, struct lineedit_history *);
void lineedit_free(struct lineedit *);
const char *lineedit_text(const struct lineedit *);

void lineedit_insert(struct lineedit *, const char *s, size_t n);
void lineedit_left(struct lineedit *);
void lineedit_right(struct lineedit *);
void lineedit_home(struct lineedit *);
void lineedit_end(struct lineedit *);
/* Delete the character before the cursor; false when there is none. */
bool lineedit_backspace(struct lineedit *);
void lineedit_delete(struct lineedit *);
void lineedit_kill_word(struct lineedit *);   /* C-w: the word before */
void lineedit_kill_start(struct lineedit *);  /* C-u: up to the cursor */
void lineedit_kill_end(struct lineedit *);    /* C-k: from the cursor */
/* Up / Down: older / newer history lines; past the newest, the draft. */
void lineedit_history_prev(struct lineedit *);
void lineedit_history_next(struct lineedit *);

/* Enter: the line goes into its history (if any), and Up starts again
 * from the newest line. */
void lineedit_commit(struct lineedit *);
/* Remember line (not empty, not the same as the last one). */
void lineedit_history_add(struct lineedit_history *, const char *line);
void lineedit_history_free(struct lineedit_history *);

#endif
