/* SPDX-License-Identifier: MIT */
/* loader.c — reading a session on other threads (see loader.h). */
#include "loader.h"

#include <fcntl.h>
#include <pthread.h>
#include <stdlib.h>
#include <unistd.h>

#include "gate.h"
#include "session.h"
#include "trace.h"
#include "tracefile.h"
#include "xmalloc.h"

struct loader {
	struct gate gate;
	struct session *s;        /* borrowed */
	pthread_t thread;
	int wake[2];              /* written once when done */
	pthread_mutex_t done_lock; /* a mutex, not an atomic: helgrind sees it */
	bool done;
};

/* Room for the whole session in its trace, guessed from what the first
 * slice read: at a million spans, the span store doubling as it went
 * copied itself ten times on the parsing thread (4% of its time, and as
 * much again in page faults). */
static void
loader_presize(struct session *s)
{
	uint64_t done = session_consumed(s), size = session_size(s);

	if (done > 0 && size > done)
		trace_expect(session_trace(s), (double)size / (double)done * 1.05);
}

/* The reading thread: the whole session, one session_read at a time,
 * leaving the gate between them so that the browser gets its turns. */
static void *
loader_main(void *arg)
{
	struct loader *l = arg;

	gate_enter(&l->gate, false);
	/* Here, not before the first frame: the string table's room takes
	 * tens of ms to lay out. */
	loader_presize(l->s);
	session_set_gate(l->s, &l->gate);
	while (!gate_cancelled(&l->gate) && session_read(l->s, TRACEFILE_ALL) == 1) {
		gate_leave(&l->gate);
		gate_enter(&l->gate, false);
	}
	session_set_gate(l->s, NULL);
	gate_leave(&l->gate);
	pthread_mutex_lock(&l->done_lock);
	l->done = true;
	pthread_mutex_unlock(&l->done_lock);
	/* A full pipe cannot happen (one byte); a failed write only costs
	 * the browser its poll timeout. */
	if (write(l->wake[1], "", 1) < 0) {
		/* nothing to do */
	}
	return NULL;
}

static void
loader_free(struct loader *l)
{
	pthread_mutex_destroy(&l->done_lock);
	gate_destroy(&l->gate);
	free(l);
}

struct loader *
loader_start(struct session *s)
{
	struct loader *l = xcalloc(1, sizeof *l);

	l->s = s;
	gate_init(&l->gate);
	pthread_mutex_init(&l->done_lock, NULL);
	if (pipe(l->wake) == -1) {
		loader_free(l);
		return NULL;
	}
	fcntl(l->wake[0], F_SETFD, FD_CLOEXEC);
	fcntl(l->wake[1], F_SETFD, FD_CLOEXEC);
	/* Inside before the thread can be: the caller's turn goes on. */
	gate_enter(&l->gate, true);
	if (pthread_create(&l->thread, NULL, loader_main, l) != 0) {
		gate_leave(&l->gate);
		close(l->wake[0]);
		close(l->wake[1]);
		loader_free(l);
		return NULL;
	}
	return l;
}

void
loader_enter(struct loader *l)
{
	gate_enter(&l->gate, true);
}

void
loader_leave(struct loader *l)
{
	gate_leave(&l->gate);
}

bool
loader_done(struct loader *l)
{
	bool done;

	pthread_mutex_lock(&l->done_lock);
	done = l->done;
	pthread_mutex_unlock(&l->done_lock);
	return done;
}

int
loader_fd(const struct loader *l)
{
	return l->wake[0];
}

void
loader_end(struct loader *l, bool cancel)
{
	if (cancel)
		gate_cancel(&l->gate);
	gate_leave(&l->gate);
	pthread_join(l->thread, NULL);
	close(l->wake[0]);
	close(l->wake[1]);
	loader_free(l);
}
