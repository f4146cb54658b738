/* SPDX-License-Identifier: MIT */
/* settings.c — the user's configuration file; see settings.h. */
#include "settings.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>

#include "buf.h"
#include "xmalloc.h"

/* A line longer than this is a mistake (a pasted blob), not a setting. */
#define SETTINGS_LINE_MAX 4096

char *
settings_default_path(void)
{
	const char *xdg = getenv("XDG_CONFIG_HOME"), *home = getenv("HOME");

	/* XDG: a relative $XDG_CONFIG_HOME is invalid and is ignored. */
	if (xdg != NULL && xdg[0] == '/')
		return xasprintf("%s/mcp-inspect-tui/config", xdg);
	if (home != NULL && *home != '\0')
		return xasprintf("%s/.config/mcp-inspect-tui/config", home);
	return NULL;
}

static char *
settings_trim(char *s)
{
	char *end;

	while (*s == ' ' || *s == '\t')
		s++;
	end = s + strlen(s);
	while (end > s && (end[-1] == ' ' || end[-1] == '\t' || end[-1] == '\r' ||
	    end[-1] == '\n'))
		*--end = '\0';
	return s;
}

/* "~/x" → "$HOME/x"; anything else as written. */
static char *
settings_expand_home(const char *v)
{
	const char *home = getenv("HOME");

	if (v[0] == '~' && v[1] == '/' && home != NULL && *home != '\0')
		return xasprintf("%s%s", home, v + 1);
	return xstrdup(v);
}

static void
settings_set(char **slot, char *value)
{
	free(*slot);
	*slot = value;
}

/* Applies one `key = value`; returns NULL, or the reason it is bad and in
 * *quote what to quote with it. */
static const char *
settings_apply(struct settings *c, const char *key, const char *value,
    const char **quote)
{
	*quote = key;
	if (*value == '\0')
		return "empty value for";
	if (strcmp(key, "source") == 0) {
		/* Each line one more source: several are read at once. */
		settings_set(&c->source, settings_expand_home(value));
		c->sources = xreallocarray(c->sources, c->nsources + 1,
		    sizeof *c->sources);
		c->sources[c->nsources++] = xstrdup(c->source);
	}
	else if (strcmp(key, "token") == 0)
		settings_set(&c->token, xstrdup(value));
	else if (strcmp(key, "token-command") == 0)
		settings_set(&c->token_command, xstrdup(value));
	else if (strcmp(key, "prices") == 0)
		settings_set(&c->prices, settings_expand_home(value));
	else if (strcmp(key, "color") == 0 || strcmp(key, "colour") == 0) {
		if (strcmp(value, "auto") == 0)
			c->color = SETTINGS_COLOR_AUTO;
		else if (strcmp(value, "on") == 0)
			c->color = SETTINGS_COLOR_ON;
		else if (strcmp(value, "off") == 0)
			c->color = SETTINGS_COLOR_OFF;
		else {
			*quote = value;
			return "color is auto, on or off, not";
		}
	} else
		return "unknown key (keys: source, token, token-command, color, prices):";
	return NULL;
}

static void
settings_bad_line(const struct settings *c, unsigned lineno, const char *why,
    const char *key, settings_warn_fn warn, void *arg)
{
	char *msg;

	if (key != NULL)
		msg = xasprintf("%s:%u: %s '%s'", c->path, lineno, why, key);
	else
		msg = xasprintf("%s:%u: %s", c->path, lineno, why);
	warn(arg, msg);
	free(msg);
}

static void
settings_line(struct settings *c, char *line, unsigned lineno, settings_warn_fn warn,
    void *arg)
{
	char *s = settings_trim(line), *eq, *key, *value;
	const char *why, *quote;

	if (*s == '\0' || *s == '#')
		return;
	if ((eq = strchr(s, '=')) == NULL) {
		settings_bad_line(c, lineno, "not 'key = value'", NULL, warn, arg);
		return;
	}
	*eq = '\0';
	key = settings_trim(s);
	value = settings_trim(eq + 1);
	if ((why = settings_apply(c, key, value, &quote)) != NULL)
		settings_bad_line(c, lineno, why, quote, warn, arg);
}

int
settings_load(struct settings *c, const char *path, settings_warn_fn warn, void *arg,
    char **cause)
{
	char line[SETTINGS_LINE_MAX];
	unsigned lineno = 0;
	FILE *f;
	size_t len;
	int rc = 0;

	memset(c, 0, sizeof *c);
	if (path == NULL)
		return 0;
	if ((f = fopen(path, "r")) == NULL) {
		if (errno == ENOENT || errno == ENOTDIR)
			return 0;
		*cause = xasprintf("cannot read %s: %s", path, strerror(errno));
		return -1;
	}
	c->path = xstrdup(path);
	while (fgets(line, sizeof line, f) != NULL) {
		lineno++;
		len = strlen(line);
		if (len == sizeof line - 1 && line[len - 1] != '\n' && !feof(f)) {
			settings_bad_line(c, lineno, "line too long", NULL, warn, arg);
			while (fgets(line, sizeof line, f) != NULL &&
			    line[strlen(line) - 1] != '\n')
				;
			continue;
		}
		settings_line(c, line, lineno, warn, arg);
	}
	if (ferror(f)) {
		*cause = xasprintf("cannot read %s: %s", path, strerror(errno));
		rc = -1;
	}
	fclose(f);
	return rc;
}

char *
settings_run_token_command(const struct settings *c, char **cause)
{
	struct buf out = BUF_INIT;
	char chunk[512], *nl, *token;
	size_t n;
	FILE *p;
	int status;

	if ((p = popen(c->token_command, "r")) == NULL) {
		*cause = xasprintf("token-command: %s", strerror(errno));
		return NULL;
	}
	while ((n = fread(chunk, 1, sizeof chunk, p)) > 0 && out.len < 65536)
		buf_add(&out, chunk, n);
	status = pclose(p);
	if (status == -1 || !WIFEXITED(status) || WEXITSTATUS(status) != 0) {
		*cause = xasprintf("token-command (%s) failed%s", c->path,
		    WIFEXITED(status) ? " with a non-zero exit status" : "");
		buf_free(&out);
		return NULL;
	}
	token = buf_detach(&out);
	if ((nl = strpbrk(token, "\r\n")) != NULL)
		*nl = '\0';
	if (*token == '\0') {
		*cause = xasprintf("token-command (%s) printed no token", c->path);
		free(token);
		return NULL;
	}
	return token;
}

void
settings_clear(struct settings *c)
{
	size_t i;

	free(c->path);
	free(c->source);
	for (i = 0; i < c->nsources; i++)
		free(c->sources[i]);
	free(c->sources);
	free(c->token);
	free(c->token_command);
	free(c->prices);
	memset(c, 0, sizeof *c);
}
