/*
 * cli.h — the headless modes (SPEC §5): --list, --dump and --tail, as
 * text for people or JSON for scripts.  Each returns the exit status
 * (0 ok, 1 runtime failure) after printing one stderr line per failure.
 */
#ifndef CLI_H
#define CLI_H

#include <stdbool.h>

struct source;

struct cli_opts {
	bool json;
	bool detail;
	bool all;           /* --stats --all */
	const char *span;   /* --critical-path --span: a subtree's, or NULL */
	const char *filter; /* NULL for none */
	const char *token;  /* for a remote inspector, or NULL */
};

int cli_list(const struct source *, const struct cli_opts *);
int cli_dump(const struct source *, const char *id, const struct cli_opts *);
/* Follows until SIGINT/SIGTERM (exit 0) or, for standard input, its end. */
int cli_tail(const struct source *, const char *id, const struct cli_opts *);
/* --events: a remote inspector's events, one line each, until SIGINT;
 * connection changes on stderr. */
int cli_events(const struct source *, const struct cli_opts *);

/* Flush and close standard output at exit: -1 after one stderr line when
 * any write to it failed (a full disk, a closed descriptor). */
int cli_output_close(void);

/* SPEC §9: a session's critical path, one row per segment; its stats
 * (o->all: every session of the source, one after another, then the
 * whole source). */
int cli_critical_path(const struct source *, const char *id, const struct cli_opts *);
int cli_stats(const struct source *, const char *id, const struct cli_opts *);

/* "mcp-inspect-tui: " + message + "\n" on stderr. */
void cli_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

#endif
