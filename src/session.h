/* SPDX-License-Identifier: MIT */
/*
 * session.h — a session being read: its files, its span index, and the
 * session meta derived from it (doc/reference.md §3, same meaning as the inspector's
 * SessionMeta).
 */
#ifndef SESSION_H
#define SESSION_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "source.h"

struct buf;
struct trace;
struct span_detail;

enum session_status {
	SESSION_RUNNING,
	SESSION_PAUSED,
	SESSION_FAILED,
	SESSION_COMPLETED,
	SESSION_PARTIAL,   /* its input was cut (standard input past the spool
	                      limit, a full disk): the status cannot be told */
};

/* Derived values; strings point into the session's trace or ref and stay
 * valid while the session lives (title is owned by the meta). */
struct session_meta {
	const char *id;
	char *title;                /* owned */
	const char *engine;
	enum session_status status;
	int64_t started_at, ended_at; /* Unix ns, SPAN_TIME_NONE when unknown */
	uint32_t span_count, error_count;
	uint64_t bad_lines;
	int64_t tokens_in, tokens_out;
	int64_t tokens_cache_read, tokens_cache_write; /* of tokens_in */
	const char *signal_name;    /* NULL when unknown */
	const char *signal_prompt;  /* NULL when unknown */
	/* What the tokens cost by the process's price table (cost.h):
	 * cost_known false when some tokens have no price; cost_unpriced
	 * then names the first such model ("" for tokens without one). */
	double cost_usd;
	bool cost_known;
	const char *cost_unpriced;
};

struct session;

/* The session's files are opened lazily, one at a time, as it is read.
 * A summary session keeps only the totals its meta needs (a session list
 * row); it has no spans, tree or details. */
struct session *session_new(const struct session_ref *ref);
struct session *session_new_summary(const struct session_ref *ref);
void session_free(struct session *);

/*
 * Read up to max_bytes more input.  Returns 1 when more is waiting, 0 when
 * every file has been read to its current end.  A file that fails is
 * skipped with a warning (session_warnings); nothing read before is lost.
 */
int session_read(struct session *, size_t max_bytes);
/* A background load (loader.h) reads the session inside gate; NULL
 * when it ends.  Only sessions of files read by path load apart: standard
 * input and a remote spool are read where they arrive. */
struct gate;
void session_set_gate(struct session *, struct gate *);
bool session_loads_apart(const struct session *);
/* ref is a newer look at the same session (source_session_files): its
 * files this session lacks (rotated chunks written since) are appended,
 * to be read after the others.  Returns how many were added, or -1 when
 * ref also lacks some of this session's files (they went away: read the
 * session again to see it as it is now). */
int session_add_files(struct session *, const struct session_ref *ref);
/* After a one-shot read: index final lines that lack a newline. */
void session_finish(struct session *);

struct trace *session_trace(const struct session *);
const char *session_id(const struct session *);
/* Meta from what has been read so far; session_meta_clear frees it. */
void session_meta_get(struct session *, struct session_meta *);
void session_meta_clear(struct session_meta *);
const char *session_status_name(enum session_status);
/* An inspector's status word: "cancelled", "error" and unknown words
 * are failed; none (NULL) is running. */
enum session_status session_status_parse(const char *);
/* The title of a session that has none (doc/reference.md §3), as the
 * inspector makes it: "<workflow type> - " or "Session " and the id's
 * first 8 characters (code points, never cut inside one).  workflow_type
 * may be NULL.  Caller frees. */
char *session_fallback_title(const char *workflow_type, const char *id);

/* Full detail of span i, parsed from its raw line (caller frees with
 * span_detail_free); NULL with *cause when it cannot be fetched. */
struct span_detail *session_span_detail(struct session *, uint32_t i, char **cause);
/* The detail of span i from its line (session_span_line's); reads the
 * session only, so several threads may call it at once while nothing
 * else touches the session. */
struct span_detail *session_span_detail_of(const struct session *, uint32_t i,
    const char *line, char **cause);
/* The raw line of span i (caller frees). */
char *session_span_line(struct session *, uint32_t i, char **cause);
/* Decompressed bytes of the session's file `file` from off on, as
 * tracefile_read_on (a file read in order, one inflate each segment). */
long session_read_on(struct session *, uint16_t file, uint64_t off, size_t min,
    struct buf *out, char **cause);

/* Warnings collected while reading (one line each), and the first bad
 * line's message, NULL when none. */
size_t session_nwarnings(const struct session *);
const char *session_warning(const struct session *, size_t i);
const char *session_first_bad(const struct session *);
/* Every bad line's message ("FILE:LINE: why"), files in reading order,
 * as far as each file keeps them (TRACEFILE_BAD_KEPT); the trace's
 * bad_lines counts them all. */
size_t session_nbad_kept(const struct session *);
const char *session_bad_line(const struct session *, size_t i);
/* Input consumed and total input known, for progress. */
uint64_t session_consumed(const struct session *);
uint64_t session_size(const struct session *);

#include "filter.h"

/* A session's meta with every string owned, for lists that outlive the
 * session read to make it. */
struct session_summary {
	struct session_meta meta;   /* its strings point into this summary */
	char *id, *engine, *signal_name, *signal_prompt, *cost_unpriced;
	char **warnings;            /* one line each */
	size_t nwarnings;
	char *first_bad;            /* the first bad line's message, or NULL */
};

/*
 * Read each session of refs to its end and summarise it into out[i]
 * (which the caller allocates and clears with session_summary_clear).
 * Sessions are independent, so the worker pool's threads (workpool.h)
 * read them; each reader is freed as soon as its session is summarised,
 * so memory does not grow with the count.
 */
void session_summarise(const struct session_ref *refs, size_t n,
    struct session_summary *out);
void session_summary_clear(struct session_summary *);

/* What --filter and the UI filter match a session or a span against.
 * Strings point into the meta or the trace. */
void session_subject(const struct session_meta *, struct filter_subject *);
void session_span_subject(struct session *, uint32_t span, struct filter_subject *);

#endif
