/* SPDX-License-Identifier: MIT */
/*
 * settings.h — the user's configuration file,
 * $XDG_CONFIG_HOME/mcp-inspect-tui/config (else ~/.config/…): one
 * `key = value` a line, `#` starts a comment.  Keys:
 *
 *   source = PATH-OR-URL     the source used when none is given (after
 *                            $MCP_TRACES_DIR); a leading ~/ is $HOME;
 *                            each such line adds one: several are read
 *                            at once
 *   token = TOKEN            the inspector token (after --token and
 *                            $MCP_INSPECTOR_TOKEN)
 *   token-command = CMD      run with sh -c when a remote source needs a
 *                            token and none was given; its first output
 *                            line is the token
 *   color = auto|on|off      on overrides NO_COLOR, off sets it
 *   prices = PATH            the user's price table
 *
 * The command line beats the environment, which beats this file.  A bad
 * line costs one warning naming the file and line, and is skipped: the
 * program still starts.
 */
#ifndef SETTINGS_H
#define SETTINGS_H

#include <stddef.h>

enum settings_color { SETTINGS_COLOR_AUTO, SETTINGS_COLOR_ON, SETTINGS_COLOR_OFF };

struct settings {
	char *path;          /* the file read, or NULL; owned */
	char *source;        /* each owned, NULL when unset; source: the
	                        last source line */
	char **sources;      /* every source line, in order (nsources) */
	size_t nsources;
	char *token;
	char *token_command;
	char *prices;
	enum settings_color color;
};

/* Called once per bad line with "FILE:LINE: reason". */
typedef void (*settings_warn_fn)(void *arg, const char *msg);

/* The default file's path (caller frees), or NULL without $HOME and
 * $XDG_CONFIG_HOME. */
char *settings_default_path(void);
/* Reads path into c (zeroed first).  A missing file is an empty
 * configuration.  Returns -1 with *cause when the file exists but cannot
 * be read; whatever it set before that stays. */
int settings_load(struct settings *c, const char *path, settings_warn_fn warn, void *arg,
    char **cause);
/* Runs c->token_command; returns the token (caller frees) or NULL with
 * *cause naming the command's failure. */
char *settings_run_token_command(const struct settings *c, char **cause);
void settings_clear(struct settings *);

#endif
