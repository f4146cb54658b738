/* SPDX-License-Identifier: MIT */
/*
 * spool.h — the unlinked temporary files that hold text read once and
 * read back many times: standard input (tracefile.c) and remote traces
 * (remote_trace.c), and their size limit (doc/reference.md §7).
 */
#ifndef SPOOL_H
#define SPOOL_H

#include <stddef.h>
#include <stdint.h>

/* Where spools go: $TMPDIR, else /tmp.  Static or the environment's. */
const char *spool_dir(void);

/* A new temporary file in spool_dir(), already unlinked (it goes when
 * the descriptor is closed), open for reading and writing.  -1 with
 * *cause: "cannot create a temporary file in DIR to hold WHAT: …". */
int spool_open(const char *what, char **cause);

/* "123", "64K", "512M", "4G" (binary units) → bytes; -1 when not a size. */
int spool_size(const char *s, uint64_t *out);

/* A size as spool_size reads it, in the largest binary unit that holds
 * it exactly: "5 MiB", "1536 KiB", "1000 bytes" (a limit of 1000 bytes
 * must not be said as "0 MiB").  Written into out (24 bytes suffice). */
void spool_size_name(uint64_t, char *out, size_t len);

/* The limit of text spooled per source: MCP_INSPECT_TUI_SPOOL_MAX, else
 * def.  -1 (and *out = def) when the variable is set but not a size. */
int spool_limit(uint64_t def, uint64_t *out);

#endif
