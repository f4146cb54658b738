/* SPDX-License-Identifier: MIT */
/*
 * gate.h — one thread at a time inside a session, the browser first.
 *
 * While a session loads in the background (loader.h), three threads touch
 * it: the browser's loop, the loader's reading thread and its parsing
 * thread.  Whoever reads or changes the session's trace, files or
 * warnings is inside the gate.  Inflating needs no gate (it touches only
 * the gz state, behind the tracefile's own lock), which is why the load
 * goes at the speed of the slower of inflate and parse.
 *
 * The browser enters with priority: a worker that wants in waits while
 * the browser waits, so a key never queues behind a run of parsed blocks
 * (a plain mutex lets the thread that just left take it again first).
 * Workers hold the gate for one block or slice at a time, a few ms.
 */
#ifndef GATE_H
#define GATE_H

#include <pthread.h>
#include <stdbool.h>

struct gate {
	pthread_mutex_t lock;
	pthread_cond_t changed;  /* left, or the browser stopped waiting */
	bool held;
	unsigned first_waiting;  /* browser threads waiting to enter */
	bool cancel;             /* the load is to stop: workers read it */
};

void gate_init(struct gate *);
void gate_destroy(struct gate *);
/* first: the browser's loop (goes before waiting workers). */
void gate_enter(struct gate *, bool first);
void gate_leave(struct gate *);
/* Ask the workers to stop; they see it between blocks. */
void gate_cancel(struct gate *);
bool gate_cancelled(struct gate *);

#endif
