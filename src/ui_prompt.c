/* SPDX-License-Identifier: MIT */
/*
 * ui_prompt.c — the keys of a prompt line (search, filter; the pipe
 * prompt later): readline's editing keys mapped onto lineedit.c, and the
 * prompt drawn on the status bar with its cursor, scrolled sideways when
 * the text is wider than the bar.
 */
#include "ui.h"

#include <curses.h>
#include <string.h>

#include "text.h"

bool
ui_lineedit_key(struct lineedit *le, int key)
{
	char c;

	switch (key) {
	case KEY_LEFT: case KEY_CTRL('b'): lineedit_left(le); break;
	case KEY_RIGHT: case KEY_CTRL('f'): lineedit_right(le); break;
	case KEY_HOME: case KEY_CTRL('a'): lineedit_home(le); break;
	case KEY_END: case KEY_CTRL('e'): lineedit_end(le); break;
	case KEY_BACKSPACE: case 127: case KEY_CTRL('h'): lineedit_backspace(le); break;
	case KEY_DC: case KEY_CTRL('d'): lineedit_delete(le); break;
	case KEY_CTRL('w'): lineedit_kill_word(le); break;
	case KEY_CTRL('u'): lineedit_kill_start(le); break;
	case KEY_CTRL('k'): lineedit_kill_end(le); break;
	case KEY_UP: case KEY_CTRL('p'): lineedit_history_prev(le); break;
	case KEY_DOWN: case KEY_CTRL('n'): lineedit_history_next(le); break;
	default:
		/* UTF-8 arrives a byte at a time and is kept as typed. */
		if (key < 32 || key == 127 || key > 255)
			return false;
		c = (char)key;
		lineedit_insert(le, &c, 1);
		break;
	}
	return true;
}

/*
 * Draw label and the line being edited in w columns at (y, 0), with the
 * terminal's cursor on the edit cursor; returns the columns used.  Text
 * before the cursor that does not fit is scrolled off to the left.
 */
int
ui_prompt_draw(int y, int w, const char *label, const struct lineedit *le)
{
	const char *text = lineedit_text(le);
	size_t from = 0, n = le->text.len;
	int lw = text_width(label, strlen(label)), x, cur;

	if (w <= lw + 1)
		return 0;
	/* Keep the cursor inside: drop characters from the left. */
	while (from < le->cursor &&
	    text_width(text + from, le->cursor - from) > w - lw - 1) {
		from++;
		while (from < n && ((unsigned char)text[from] & 0xc0) == 0x80)
			from++;
	}
	x = ui_put(y, 0, w, label, strlen(label), VS_NORMAL, true);
	cur = x + text_width(text + from, le->cursor - from);
	x += ui_put(y, x, w - x, text + from, n - from, VS_NORMAL, true);
	move(y, cur < w ? cur : w - 1);
	return x;
}
