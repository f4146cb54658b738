/* SPDX-License-Identifier: MIT */
/*
 * cli.h — the headless modes (doc/reference.md §5): --list, --dump and --tail, as
 * text for people or JSON for scripts.  Each returns the exit status
 * (0 ok, 1 runtime failure) after printing one stderr line per failure.
 */
#ifndef CLI_H
#define CLI_H

#include <stdbool.h>
#include <stddef.h>

struct source;

struct cli_opts {
	bool json;
	bool detail;
	bool all;           /* --stats --all */
	const char *span;   /* --critical-path --span: a subtree's, or NULL */
	const char *filter; /* NULL for none */
	const char *token;  /* for a remote inspector, or NULL */
};

/* --list of nsrc sources merged (several: each row names its source; one
 * that cannot be read is a warning, and the status 1). */
int cli_list(const struct source *, size_t nsrc, const struct cli_opts *);
/* The one session id (NULL: the newest) names among nsrc sources: 0 with
 * its source's index in *which and its full id in *full (caller frees);
 * 1 after reporting that none has it, 2 after reporting the candidates
 * when several do (the same id in two sources, or a prefix of several). */
int cli_resolve(const struct source *, size_t nsrc, const char *id,
    const struct cli_opts *, size_t *which, char **full);
int cli_dump(const struct source *, const char *id, const struct cli_opts *);
/* Follows until SIGINT/SIGTERM (exit 0) or, for standard input, its end. */
int cli_tail(const struct source *, const char *id, const struct cli_opts *);
/* --events: a remote inspector's events, one line each, until SIGINT;
 * connection changes on stderr. */
int cli_events(const struct source *, const struct cli_opts *);

/* Flush and close standard output at exit: -1 after one stderr line when
 * any write to it failed (a full disk, a closed descriptor). */
int cli_output_close(void);

/* doc/reference.md §9: a session's critical path, one row per segment; its stats
 * (o->all: every session of the source, one after another, then the
 * whole source). */
int cli_critical_path(const struct source *, const char *id, const struct cli_opts *);
int cli_stats(const struct source *, const char *id, const struct cli_opts *);

/*
 * --diff A B: two sessions compared (diff.c).  A and B are each a source
 * of their own (a file, directory's newest session, URL) or a session id
 * in `source` (NULL: the default directory).  Returns 0 when they match in
 * structure and status, 1 when they differ, 2 when one cannot be read.
 */
int cli_diff(const char *source, const char *a, const char *b, double threshold,
    const struct cli_opts *);

/* A session read to its end, warnings reported, tree built; NULL after
 * reporting why it cannot be.  cli_unload frees it and what it needs. */
struct cli_loaded;
struct session;
struct cli_loaded *cli_load(const struct source *, const char *id,
    const struct cli_opts *);
struct session *cli_loaded_session(const struct cli_loaded *);
void cli_unload(struct cli_loaded *);

/* "mcp-inspect-tui: " + message + "\n" on stderr. */
void cli_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

#endif
