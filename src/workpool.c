/* SPDX-License-Identifier: MIT */
/* workpool.c — independent jobs over the cores, joined before returning. */
#include "workpool.h"

#include <pthread.h>
#include <stdatomic.h>
#include <unistd.h>

struct workpool_run {
	workpool_fn fn;
	void *arg;
	size_t n;
	atomic_size_t next;	/* the next job to take */
};

unsigned
workpool_threads(void)
{
	long n = sysconf(_SC_NPROCESSORS_ONLN);

	if (n < 1)
		return 1;
	return n > WORKPOOL_MAX ? WORKPOOL_MAX : (unsigned)n;
}

/* Jobs are taken one at a time, so a slow one does not hold a thread's
 * whole share back. */
static void *
workpool_worker(void *p)
{
	struct workpool_run *r = p;
	size_t i;

	while ((i = atomic_fetch_add(&r->next, 1)) < r->n)
		r->fn(r->arg, i);
	return NULL;
}

void
workpool_run(size_t n, workpool_fn fn, void *arg)
{
	struct workpool_run r;
	pthread_t tid[WORKPOOL_MAX];
	unsigned k, started = 0, want = workpool_threads();

	r.fn = fn;
	r.arg = arg;
	r.n = n;
	atomic_init(&r.next, 0);
	if (want > n)
		want = n > 0 ? (unsigned)n : 1;
	/* A helper that cannot start only costs speed. */
	for (k = 1; k < want; k++)
		if (pthread_create(&tid[started], NULL, workpool_worker, &r) == 0)
			started++;
	workpool_worker(&r);
	for (k = 0; k < started; k++)
		pthread_join(tid[k], NULL);
}
