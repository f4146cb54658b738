/* SPDX-License-Identifier: MIT */
/*
 * source.h — where sessions come from (doc/reference.md §1) and which files make up
 * each session.
 *
 * A directory holds one session per base file name; rotated chunks
 * (ID.jsonl.chunk_N.jsonl.gz) join their base session, base first, then
 * chunks in numeric order.  A single file or standard input is one session.
 */
#ifndef SOURCE_H
#define SOURCE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <time.h>

enum source_kind { SOURCE_DIR, SOURCE_FILE, SOURCE_STDIN, SOURCE_URL };

struct source {
	enum source_kind kind;
	char *where;  /* directory, file path, "-", pipe path or URL; owned */
};

/* A session as found by a scan, before any of it is read. */
struct session_ref {
	char *id;       /* from the file name; owned */
	char **files;   /* paths in reading order; owned */
	size_t nfiles;
	time_t mtime;   /* newest modification time of its files */
	uint64_t bytes; /* total size of its files */
	bool spooled;   /* a remote trace: its one file is read from fd (the
	                   spool remote_trace.c writes; not owned), files[0] is
	                   only its name for messages */
	int fd;
};

/* Decide what kind of source `arg` names (NULL = the default directory:
 * $MCP_TRACES_DIR, else ~/.mcp_traces).  A named pipe, such as a shell's
 * <(command), is opened (waiting for a writer) and moved onto standard
 * input: it is then SOURCE_STDIN.  Returns -1 with *cause when a path
 * does not exist or is not a trace file, directory or pipe. */
int source_init(struct source *, const char *arg, char **cause);
void source_clear(struct source *);
/* True when arg looks like a source rather than a session id: "-", a URL,
 * or an existing path. */
int source_is_source_arg(const char *arg);

/* The session id a trace file name stands for, and its chunk number (0
 * for the base file); NULL when the name is not a trace file name. */
char *source_session_id(const char *filename, unsigned *chunk);

/* Enumerate sessions (SOURCE_DIR, _FILE, _STDIN; not URL), sorted by
 * modification time, newest first.  Unreadable entries are skipped.
 * Returns -1 with *cause when the source itself cannot be read. */
int source_scan(const struct source *, struct session_ref **refs, size_t *n,
    char **cause);
void session_refs_free(struct session_ref *, size_t n);

/* The same scan of a directory (every session when only_id is NULL, else
 * that session's files) in steps, for a caller that must not wait for
 * all of it.  start: -1 with *cause when the directory cannot be opened.
 * step: reads at most max_entries directory entries; 1 while some
 * remain.  finish: the rest, then the sessions as source_scan gives them;
 * frees the scan.  free: drops a scan not finished (NULL is fine). */
struct source_dirscan;
int source_dirscan_start(const char *dir, const char *only_id,
    struct source_dirscan **, char **cause);
int source_dirscan_step(struct source_dirscan *, size_t max_entries);
void source_dirscan_finish(struct source_dirscan *, struct session_ref **refs,
    size_t *n);
void source_dirscan_free(struct source_dirscan *);
/* The files of session id in a directory source as they are now (new
 * rotated chunks show here first): 1 with *ref (free with
 * session_refs_free(*ref, 1)), 0 when it has none or the source is not a
 * directory, -1 with *cause when the directory cannot be read. */
int source_session_files(const struct source *, const char *id,
    struct session_ref **ref, char **cause);

/* Find a session by id or unique id prefix.  Returns its index, -1 when
 * none matches, -2 when a prefix is ambiguous. */
long session_ref_find(const struct session_ref *, size_t n, const char *id);

#endif
