/* SPDX-License-Identifier: MIT */
/* textq.c — a bounded single-producer, single-consumer queue of blocks. */
#include "textq.h"

#include <pthread.h>
#include <stdlib.h>

#include "xmalloc.h"

struct textq {
	pthread_mutex_t lock;
	pthread_cond_t changed; /* a block was added or taken, or closed */
	struct buf *ring;       /* queued blocks */
	size_t cap, head, n;
	struct buf *spare;      /* recycled memory, at most cap + 1 */
	size_t nspare;
	bool closed;
};

struct textq *
textq_new(size_t max_blocks)
{
	struct textq *q = xcalloc(1, sizeof *q);

	q->cap = max_blocks > 0 ? max_blocks : 1;
	q->ring = xcalloc(q->cap, sizeof *q->ring);
	q->spare = xcalloc(q->cap + 1, sizeof *q->spare);
	pthread_mutex_init(&q->lock, NULL);
	pthread_cond_init(&q->changed, NULL);
	return q;
}

void
textq_free(struct textq *q)
{
	size_t i;

	if (q == NULL)
		return;
	for (i = 0; i < q->n; i++)
		buf_free(&q->ring[(q->head + i) % q->cap]);
	for (i = 0; i < q->nspare; i++)
		buf_free(&q->spare[i]);
	pthread_cond_destroy(&q->changed);
	pthread_mutex_destroy(&q->lock);
	free(q->ring);
	free(q->spare);
	free(q);
}

/* Move a buf's memory: *to takes it, *from is left empty. */
static void
textq_move(struct buf *to, struct buf *from)
{
	*to = *from;
	from->p = NULL;
	from->len = from->cap = 0;
}

void
textq_push(struct textq *q, struct buf *b)
{
	pthread_mutex_lock(&q->lock);
	while (q->n == q->cap)
		pthread_cond_wait(&q->changed, &q->lock);
	textq_move(&q->ring[(q->head + q->n) % q->cap], b);
	q->n++;
	pthread_cond_broadcast(&q->changed);
	pthread_mutex_unlock(&q->lock);
}

void
textq_reuse(struct textq *q, struct buf *b)
{
	pthread_mutex_lock(&q->lock);
	if (q->nspare > 0 && b->p == NULL) {
		textq_move(b, &q->spare[--q->nspare]);
		b->len = 0;
	}
	pthread_mutex_unlock(&q->lock);
}

void
textq_close(struct textq *q)
{
	pthread_mutex_lock(&q->lock);
	q->closed = true;
	pthread_cond_broadcast(&q->changed);
	pthread_mutex_unlock(&q->lock);
}

bool
textq_pop(struct textq *q, struct buf *b)
{
	bool got;

	pthread_mutex_lock(&q->lock);
	while (q->n == 0 && !q->closed)
		pthread_cond_wait(&q->changed, &q->lock);
	if ((got = q->n > 0)) {
		buf_free(b);
		textq_move(b, &q->ring[q->head]);
		q->head = (q->head + 1) % q->cap;
		q->n--;
		pthread_cond_broadcast(&q->changed);
	}
	pthread_mutex_unlock(&q->lock);
	return got;
}

void
textq_recycle(struct textq *q, struct buf *b)
{
	pthread_mutex_lock(&q->lock);
	if (q->nspare < q->cap + 1)
		textq_move(&q->spare[q->nspare++], b);
	else
		buf_free(b);
	pthread_mutex_unlock(&q->lock);
}
