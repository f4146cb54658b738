/* SPDX-License-Identifier: MIT */
/*
 * workpool.h — run independent jobs on the machine's cores.
 *
 * workpool_run calls fn(arg, i) for every i in [0, n), on the calling
 * thread and up to WORKPOOL_MAX - 1 helper threads (one per further
 * online CPU), and returns when all are done.  The jobs must not share
 * anything they write; whatever they produce is put in order by the
 * caller afterwards.
 */
#ifndef WORKPOOL_H
#define WORKPOOL_H

#include <stddef.h>

#define WORKPOOL_MAX 4

typedef void (*workpool_fn)(void *arg, size_t i);

/* Threads workpool_run uses (1 on a single CPU). */
unsigned workpool_threads(void);
void workpool_run(size_t n, workpool_fn fn, void *arg);

#endif
