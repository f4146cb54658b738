/* SPDX-License-Identifier: MIT */
/*
 * tracefile.h — one trace file (or standard input) being indexed.
 *
 * Owns the pipeline bytes → gz → lines → span_parse → trace for that file,
 * remembers where reading stopped so that a growing file can be followed,
 * and fetches any span's raw line back by random access.  Standard input
 * cannot be re-read, so its bytes are spooled to an unlinked temporary
 * file as they are read and fetched back from there.
 */
#ifndef TRACEFILE_H
#define TRACEFILE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct buf;
struct span_parser;
struct trace;

/* Longest line indexed; longer lines are counted as bad. */
#define TRACEFILE_MAX_LINE (64u * 1024 * 1024)
/* Most of an unfinished line kept in memory between reads; a longer line
 * is read back from the file once it is complete (if within the limit),
 * so a file costs at most this much for its unfinished line. */
#define TRACEFILE_HOLD (1024u * 1024)
/* A gzip file that has decompressed to more than TRACEFILE_BOMB_MIN bytes
 * at more than TRACEFILE_BOMB_RATIO times the input read is not a trace
 * (real ones compress 5-20 times; deflate's most is 1032): reading it
 * stops there with a warning, so a gzip bomb costs neither memory nor
 * minutes. */
#define TRACEFILE_BOMB_MIN (256ull * 1024 * 1024)
#define TRACEFILE_BOMB_RATIO 200

/* Most descriptors of trace files kept open at once (at most a quarter of
 * RLIMIT_NOFILE; $MCP_INSPECT_TUI_MAX_FDS sets it for tests): the rest are
 * closed and reopened when read again. */
#define TRACEFILE_MAX_OPEN 256

/* Most of standard input spooled (MCP_INSPECT_TUI_SPOOL_MAX sets it, as for
 * a remote trace): past it reading stops with a warning. */
#define TRACEFILE_SPOOL_MAX ((uint64_t)2 << 30)

struct tracefile;

/* path "-" is standard input.  index is the file's number within its
 * session (stored in each span).  NULL with *cause when it cannot be
 * opened. */
struct tracefile *tracefile_open(const char *path, uint16_t index, char **cause);
/* A file already open (a remote trace's spool): fd is duplicated, name is
 * used in messages only.  It is followed as it grows, like a path. */
struct tracefile *tracefile_open_fd(const char *name, int fd, uint16_t index,
    char **cause);
void tracefile_free(struct tracefile *);

/*
 * Read and index up to max_bytes more input, adding spans to trace with
 * parser.  Returns 1 when more input is waiting (call again), 0 at the
 * current end of the file (it may grow: call again later to follow), or
 * -1 when reading this file has ended for good with *cause (corrupt gzip,
 * I/O error, file replaced); everything indexed before stays in trace.
 */
int tracefile_read(struct tracefile *, struct span_parser *, struct trace *,
    size_t max_bytes, char **cause);
/* max_bytes for "all there is" (headless loads, which call again while
 * 1 comes back): a big file is then read to its end in one call,
 * inflated and parsed on two threads. */
#define TRACEFILE_ALL SIZE_MAX
/*
 * A background load (loader.h): while gate is set, tracefile_read is
 * called inside it, and a TRACEFILE_ALL read leaves it while inflating
 * (its parsing thread enters it per block) or reads a slice of at most
 * TRACEFILE_GATED_SLICE, so that the gate is never held for long.  It
 * stops early, returning 1, once the gate is cancelled.  NULL: no gate.
 */
struct gate;
void tracefile_set_gate(struct tracefile *, struct gate *);
#define TRACEFILE_GATED_SLICE (256u * 1024)
/* Input left from which a TRACEFILE_ALL read takes two threads (4 MiB;
 * tests lower it to run small files through both paths). */
void tracefile_set_pipe_min(uint64_t bytes);
/* Blocks waiting for the parsing thread from which the inflating thread
 * parses lines ahead (spanprep.h; 2; tests set 0, always, or SIZE_MAX,
 * never), and how many lines of tf were indexed from such spans. */
void tracefile_set_pipe_behind(size_t blocks);
uint64_t tracefile_lines_ahead(const struct tracefile *);

/*
 * At the end of a one-shot read (not following), index a final line that
 * lacks its '\n' if it parses as spans; a torn line is left alone.  The
 * inspector's writer always ends lines, but hand-made files may not.
 */
void tracefile_finish(struct tracefile *, struct span_parser *, struct trace *);

/* The raw text of the line at decompressed offset off (caller frees),
 * NUL-terminated; NULL with *cause on failure. */
char *tracefile_line(struct tracefile *, uint64_t off, uint32_t len, char **cause);
/* For reading a file in order (the browser's search): the decompressed
 * bytes from off to the first access point at or past off + min (or to
 * what has been read), appended to out, in one inflate that starts at off
 * when off is an access point.  Returns the bytes added, 0 at the end,
 * -1 with *cause. */
long tracefile_read_on(struct tracefile *, uint64_t off, size_t min, struct buf *out,
    char **cause);

/* True after tracefile_read failed because the file was truncated and
 * written again in place: its new content is read by a new tracefile
 * (the spans read before stay, their text is gone). */
bool tracefile_rewritten(const struct tracefile *);
const char *tracefile_path(const struct tracefile *);
/* This file is standard input and it was not read to its end (the spool
 * limit, a full disk, a failed write of the spool): what it holds is a
 * part of the session, whose status cannot be told (doc/reference.md §3.5). */
bool tracefile_input_cut(const struct tracefile *);
/* Why standard input was not read to its end (spool limit, full disk,
 * no spool), or NULL. */
const char *tracefile_stdin_error(void);
/* Standard input is being read and may bring more: a browser polls it,
 * so that a read follows as soon as a writer sends (not on a timer). */
bool tracefile_stdin_waiting(void);
/* True when it was read without failing and nothing came out of it (an
 * empty file, or gzip members that hold no text). */
bool tracefile_empty(const struct tracefile *);
/* True when what was read ends inside a gzip member or a line. */
bool tracefile_pending(const struct tracefile *);
/* Input bytes consumed so far, and the file's size when last looked at. */
uint64_t tracefile_consumed(const struct tracefile *);
uint64_t tracefile_size(const struct tracefile *);
/* Bad lines seen in this file, and a message about the first one
 * ("FILE:LINE: why"), NULL when none. */
uint64_t tracefile_bad_lines(const struct tracefile *);
const char *tracefile_first_bad(const struct tracefile *);
/* Each bad line's message, in file order, for the first
 * TRACEFILE_BAD_KEPT of them (the rest are only counted); valid while
 * the tracefile lives. */
#define TRACEFILE_BAD_KEPT 1000
size_t tracefile_nbad_kept(const struct tracefile *);
const char *tracefile_bad_line(const struct tracefile *, size_t i);

#endif
