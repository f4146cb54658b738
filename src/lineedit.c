/* SPDX-License-Identifier: MIT */
/* lineedit.c — readline-style editing of one line, and prompt histories;
 * see lineedit.h. */
#include "lineedit.h"

#include <stdlib.h>
#include <string.h>

#include "xmalloc.h"

static bool
is_cont(char c)
{
	return ((unsigned char)c & 0xc0) == 0x80;
}

static void
lineedit_set(struct lineedit *le, const char *text)
{
	buf_reset(&le->text);
	buf_adds(&le->text, text != NULL ? text : "");
	le->cursor = le->text.len;
}

void
lineedit_start(struct lineedit *le, const char *text, struct lineedit_history *hist)
{
	free(le->draft);
	le->draft = NULL;
	le->hist = hist;
	le->hpos = hist != NULL ? hist->n : 0;
	lineedit_set(le, text);
}

void
lineedit_free(struct lineedit *le)
{
	buf_free(&le->text);
	free(le->draft);
	memset(le, 0, sizeof *le);
}

const char *
lineedit_text(const struct lineedit *le)
{
	return buf_str(&le->text);
}

/* Remove text[from..to) and leave the cursor at from. */
static void
lineedit_cut(struct lineedit *le, size_t from, size_t to)
{
	if (to <= from)
		return;
	memmove(le->text.p + from, le->text.p + to, le->text.len - to + 1);
	le->text.len -= to - from;
	le->cursor = from;
}

void
lineedit_insert(struct lineedit *le, const char *s, size_t n)
{
	if (n == 0 || le->text.len + n > LINEEDIT_MAX)
		return;
	buf_reserve(&le->text, n);
	memmove(le->text.p + le->cursor + n, le->text.p + le->cursor,
	    le->text.len - le->cursor + 1);
	memcpy(le->text.p + le->cursor, s, n);
	le->text.len += n;
	le->cursor += n;
}

static size_t
prev_char(const struct lineedit *le, size_t at)
{
	while (at > 0) {
		at--;
		if (!is_cont(le->text.p[at]))
			break;
	}
	return at;
}

static size_t
next_char(const struct lineedit *le, size_t at)
{
	if (at < le->text.len)
		at++;
	while (at < le->text.len && is_cont(le->text.p[at]))
		at++;
	return at;
}

void
lineedit_left(struct lineedit *le)
{
	le->cursor = prev_char(le, le->cursor);
}

void
lineedit_right(struct lineedit *le)
{
	le->cursor = next_char(le, le->cursor);
}

void
lineedit_home(struct lineedit *le)
{
	le->cursor = 0;
}

void
lineedit_end(struct lineedit *le)
{
	le->cursor = le->text.len;
}

bool
lineedit_backspace(struct lineedit *le)
{
	if (le->cursor == 0)
		return false;
	lineedit_cut(le, prev_char(le, le->cursor), le->cursor);
	return true;
}

void
lineedit_delete(struct lineedit *le)
{
	size_t at = le->cursor;

	lineedit_cut(le, at, next_char(le, at));
	le->cursor = at;
}

/* C-w as in readline (unix-word-rubout): blanks before the cursor, then
 * the non-blanks before them. */
void
lineedit_kill_word(struct lineedit *le)
{
	size_t at = le->cursor;

	while (at > 0 && le->text.p[at - 1] == ' ')
		at--;
	while (at > 0 && le->text.p[at - 1] != ' ')
		at--;
	lineedit_cut(le, at, le->cursor);
}

void
lineedit_kill_start(struct lineedit *le)
{
	lineedit_cut(le, 0, le->cursor);
}

void
lineedit_kill_end(struct lineedit *le)
{
	if (le->cursor < le->text.len) {
		le->text.len = le->cursor;
		le->text.p[le->text.len] = '\0';
	}
}

void
lineedit_history_prev(struct lineedit *le)
{
	if (le->hist == NULL || le->hpos == 0)
		return;
	if (le->hpos == le->hist->n) {
		free(le->draft);
		le->draft = xstrdup(lineedit_text(le));
	}
	le->hpos--;
	lineedit_set(le, le->hist->lines[le->hpos]);
}

void
lineedit_history_next(struct lineedit *le)
{
	if (le->hist == NULL || le->hpos >= le->hist->n)
		return;
	le->hpos++;
	lineedit_set(le, le->hpos == le->hist->n ? le->draft : le->hist->lines[le->hpos]);
}

void
lineedit_commit(struct lineedit *le)
{
	if (le->hist == NULL)
		return;
	lineedit_history_add(le->hist, lineedit_text(le));
	le->hpos = le->hist->n;
	free(le->draft);
	le->draft = NULL;
}

void
lineedit_history_add(struct lineedit_history *h, const char *line)
{
	if (*line == '\0' || (h->n > 0 && strcmp(h->lines[h->n - 1], line) == 0))
		return;
	if (h->n == LINEEDIT_HISTORY_MAX) {
		free(h->lines[0]);
		memmove(h->lines, h->lines + 1, (h->n - 1) * sizeof *h->lines);
		h->n--;
	}
	h->lines = xreallocarray(h->lines, h->n + 1, sizeof *h->lines);
	h->lines[h->n++] = xstrdup(line);
}

void
lineedit_history_free(struct lineedit_history *h)
{
	size_t i;

	for (i = 0; i < h->n; i++)
		free(h->lines[i]);
	free(h->lines);
	memset(h, 0, sizeof *h);
}
