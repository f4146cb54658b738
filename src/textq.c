/* SPDX-License-Identifier: MIT */
/* textq.c — a bounded single-producer, single-consumer queue of blocks. */
#include "textq.h"

#include <pthread.h>
#include <stdlib.h>

#include "xmalloc.h"

/* A block and the tag that goes with it. */
struct textq_slot {
	struct buf text;
	void *tag;
};

struct textq {
	pthread_mutex_t lock;
	pthread_cond_t changed; /* a block was added or taken, or closed */
	struct textq_slot *ring; /* queued blocks */
	size_t cap, head, n;
	struct textq_slot *spare; /* recycled memory, at most cap + 1 */
	size_t nspare;
	bool closed;
	void (*free_tag)(void *);
};

struct textq *
textq_new(size_t max_blocks, void (*free_tag)(void *))
{
	struct textq *q = xcalloc(1, sizeof *q);

	q->cap = max_blocks > 0 ? max_blocks : 1;
	q->ring = xcalloc(q->cap, sizeof *q->ring);
	q->spare = xcalloc(q->cap + 1, sizeof *q->spare);
	q->free_tag = free_tag;
	pthread_mutex_init(&q->lock, NULL);
	pthread_cond_init(&q->changed, NULL);
	return q;
}

static void
textq_slot_free(struct textq *q, struct textq_slot *s)
{
	buf_free(&s->text);
	if (s->tag != NULL && q->free_tag != NULL)
		q->free_tag(s->tag);
	s->tag = NULL;
}

void
textq_free(struct textq *q)
{
	size_t i;

	if (q == NULL)
		return;
	for (i = 0; i < q->n; i++)
		textq_slot_free(q, &q->ring[(q->head + i) % q->cap]);
	for (i = 0; i < q->nspare; i++)
		textq_slot_free(q, &q->spare[i]);
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
textq_push(struct textq *q, struct buf *b, void *tag)
{
	struct textq_slot *s;

	pthread_mutex_lock(&q->lock);
	while (q->n == q->cap)
		pthread_cond_wait(&q->changed, &q->lock);
	s = &q->ring[(q->head + q->n) % q->cap];
	textq_move(&s->text, b);
	s->tag = tag;
	q->n++;
	pthread_cond_broadcast(&q->changed);
	pthread_mutex_unlock(&q->lock);
}

void *
textq_reuse(struct textq *q, struct buf *b)
{
	struct textq_slot *s;
	void *tag = NULL;

	pthread_mutex_lock(&q->lock);
	if (q->nspare > 0 && b->p == NULL) {
		s = &q->spare[--q->nspare];
		textq_move(b, &s->text);
		b->len = 0;
		tag = s->tag;
		s->tag = NULL;
	}
	pthread_mutex_unlock(&q->lock);
	return tag;
}

size_t
textq_depth(struct textq *q)
{
	size_t n;

	pthread_mutex_lock(&q->lock);
	n = q->n;
	pthread_mutex_unlock(&q->lock);
	return n;
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
textq_pop(struct textq *q, struct buf *b, void **tag)
{
	struct textq_slot *s;
	bool got;

	pthread_mutex_lock(&q->lock);
	while (q->n == 0 && !q->closed)
		pthread_cond_wait(&q->changed, &q->lock);
	if ((got = q->n > 0)) {
		s = &q->ring[q->head];
		buf_free(b);
		textq_move(b, &s->text);
		*tag = s->tag;
		s->tag = NULL;
		q->head = (q->head + 1) % q->cap;
		q->n--;
		pthread_cond_broadcast(&q->changed);
	}
	pthread_mutex_unlock(&q->lock);
	return got;
}

void
textq_recycle(struct textq *q, struct buf *b, void *tag)
{
	struct textq_slot s = { .tag = tag };

	pthread_mutex_lock(&q->lock);
	if (q->nspare < q->cap + 1) {
		textq_move(&q->spare[q->nspare].text, b);
		q->spare[q->nspare++].tag = tag;
	} else {
		textq_move(&s.text, b);
		textq_slot_free(q, &s);
	}
	pthread_mutex_unlock(&q->lock);
}
