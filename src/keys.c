/* SPDX-License-Identifier: MIT */
/* keys.c — the action table and key names; see keys.h. */
#include "keys.h"

#include <stdio.h>
#include <string.h>

static const struct key_row key_rows[] = {
#define KEY_ROW(a, w, h, ...) { a, w, h, { __VA_ARGS__ } },
	KEY_ACTIONS(KEY_ROW)
#undef KEY_ROW
};

#define NROWS ((int)(sizeof key_rows / sizeof key_rows[0]))

/* Terminals send Enter as CR or LF, or keypad Enter. */
static int
keys_normalise(int key)
{
	return key == '\r' || key == KEY_ENTER ? '\n' : key;
}

enum key_action
keys_action(int key, unsigned where)
{
	int i, k;

	key = keys_normalise(key);
	for (i = 0; i < NROWS; i++) {
		if (!(key_rows[i].where & where))
			continue;
		for (k = 0; k < KEY_MAX_BINDS && key_rows[i].keys[k] != 0; k++) {
			if (key_rows[i].keys[k] == key)
				return key_rows[i].action;
		}
	}
	return ACT_NONE;
}

const struct key_row *
keys_table(int *n)
{
	*n = NROWS;
	return key_rows;
}

static const char *
keys_name(int key, char *tmp, size_t size)
{
	switch (key) {
	case '\n': return "Enter";
	case ' ': return "Space";
	case '\t': return "Tab";
	case KEY_BTAB: return "S-Tab";
	case KEY_ESC: return "Esc";
	case KEY_DOWN: return "Down";
	case KEY_UP: return "Up";
	case KEY_LEFT: return "Left";
	case KEY_RIGHT: return "Right";
	case KEY_NPAGE: return "PgDn";
	case KEY_PPAGE: return "PgUp";
	case KEY_HOME: return "Home";
	case KEY_END: return "End";
	}
	if (key > 0 && key < 32)
		snprintf(tmp, size, "C-%c", key + 'a' - 1);
	else
		snprintf(tmp, size, "%c", key);
	return tmp;
}

void
keys_names(const struct key_row *row, char *out, size_t size)
{
	char tmp[8];
	size_t len = 0;
	int k;

	out[0] = '\0';
	for (k = 0; k < KEY_MAX_BINDS && row->keys[k] != 0 && len < size; k++)
		len += (size_t)snprintf(out + len, size - len, "%s%s", k ? " " : "",
		    keys_name(row->keys[k], tmp, sizeof tmp));
}

enum cursor_step
keys_cursor_step(enum key_action a)
{
	switch (a) {
	case ACT_DOWN: return CURSOR_DOWN;
	case ACT_UP: return CURSOR_UP;
	case ACT_PAGE_DOWN: return CURSOR_PAGE_DOWN;
	case ACT_PAGE_UP: return CURSOR_PAGE_UP;
	case ACT_HOME: return CURSOR_HOME;
	case ACT_END: return CURSOR_END;
	default: return CURSOR_NONE;
	}
}
