/* SPDX-License-Identifier: MIT */
/*
 * loader.h — a session read to its current end on other threads while
 * the browser goes on answering keys.
 *
 * A reading thread calls session_read(TRACEFILE_ALL) inside the session's
 * gate (gate.h): a big file is inflated on it with the gate left open and
 * parsed on the tracefile's second thread a block at a time inside the
 * gate (tracefile_read_piped); small files and what is left are read a
 * slice at a time inside it.  The browser is inside the gate for each
 * turn of its loop and outside while it sleeps in poll, so it sees the
 * trace grow between its turns and is never kept waiting longer than one
 * block or slice.
 *
 * Ownership: the loader borrows the session, which must outlive it
 * (loader_end before session_free).  Only the browser's thread calls
 * these functions.
 */
#ifndef LOADER_H
#define LOADER_H

#include <stdbool.h>

struct loader;
struct session;

/* Start reading s (session_loads_apart must hold).  The caller is inside
 * the gate when it returns, as if it had called loader_enter.  NULL when
 * no thread can be had: read the session where you are. */
struct loader *loader_start(struct session *s);
/* Around each turn of the caller's loop; first in line. */
void loader_enter(struct loader *);
void loader_leave(struct loader *);
/* Everything there was has been read (or the load failed: the session's
 * warnings say why).  Read inside or outside the gate. */
bool loader_done(struct loader *);
/* Readable once loader_done: for poll. */
int loader_fd(const struct loader *);
/* Called inside the gate: wait for the reading thread (asking it to stop
 * first when cancel is set) and free the loader.  Returns outside any
 * gate: the session is the caller's alone again. */
void loader_end(struct loader *, bool cancel);

#endif
