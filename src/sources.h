/* SPDX-License-Identifier: MIT */
/*
 * sources.h — several SOURCE arguments at once (doc/reference.md §5):
 * the short name each is shown by, and a session id resolved across
 * them.  Curses-free; the browser (ui.c) and the headless modes (cli.c)
 * share it.
 */
#ifndef SOURCES_H
#define SOURCES_H

#include <stddef.h>
#include <stdint.h>

#include "source.h"

/* The longest short name, in characters; longer ones keep their end. */
#define SOURCES_LABEL_MAX 24

/*
 * Short names for n sources (labels[i] for src[i], each owned by the
 * caller): an inspector URL is its host[:port], a directory or file its
 * last path component, standard input "stdin".  Paths that end the same
 * get leading components back until they differ (a/traces, b/traces);
 * a name longer than SOURCES_LABEL_MAX keeps its end after "...".
 */
void sources_labels(const struct source *src, size_t n, char **labels);

/* A session some source lists, for resolving an id across sources. */
struct sources_cand {
	const char *id;       /* not owned */
	size_t source;        /* which source lists it */
	int64_t time;         /* newest first when no id is given (ns) */
};

/*
 * The candidates id names, as indexes into c (*out, caller frees; NULL
 * when none): every exact match when there is one, else every candidate
 * it begins; with id NULL, the newest.  Returns how many: one is the
 * session; more than one is ambiguous (the same id in two sources, or a
 * prefix of several), in the order of c.
 */
size_t sources_match(const struct sources_cand *c, size_t n, const char *id,
    size_t **out);

#endif
