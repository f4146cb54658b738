/* SPDX-License-Identifier: MIT */
/*
 * remote_chunks.h — folding a real inspector's rotated chunk rows of
 * /sessions (ID.jsonl.chunk_N) into their session's row (doc/reference.md §4).
 */
#ifndef REMOTE_CHUNKS_H
#define REMOTE_CHUNKS_H

#include <stdbool.h>
#include <stddef.h>

#include "remote.h"

/* Whether id names a rotated chunk, "BASE.jsonl.chunk_N"; *baselen gets
 * the length of BASE and *n the chunk number. */
bool remote_chunk_id(const char *id, size_t *baselen, unsigned long *n);

/* Fold every chunk row of s[0..*n) into the row of its session (made
 * from the chunk when the base is not listed), which counts them in
 * .chunks and takes the newest file's status, title and engine; *n
 * shrinks, freed rows are cleared.  Order: non-chunk rows as they were,
 * then sessions known only from chunks. */
void remote_chunks_fold(struct remote_session *, size_t *n);

#endif
