/* SPDX-License-Identifier: MIT */
/* gate.c — a lock that lets the browser in before waiting workers. */
#include "gate.h"

void
gate_init(struct gate *g)
{
	pthread_mutex_init(&g->lock, NULL);
	pthread_cond_init(&g->changed, NULL);
	g->held = false;
	g->first_waiting = 0;
	g->cancel = false;
}

void
gate_destroy(struct gate *g)
{
	pthread_cond_destroy(&g->changed);
	pthread_mutex_destroy(&g->lock);
}

void
gate_enter(struct gate *g, bool first)
{
	pthread_mutex_lock(&g->lock);
	if (first)
		g->first_waiting++;
	while (g->held || (!first && g->first_waiting > 0))
		pthread_cond_wait(&g->changed, &g->lock);
	if (first)
		g->first_waiting--;
	g->held = true;
	pthread_mutex_unlock(&g->lock);
}

void
gate_leave(struct gate *g)
{
	pthread_mutex_lock(&g->lock);
	g->held = false;
	/* Broadcast: the browser and a worker may both wait, and the one
	 * that may go in depends on who waits. */
	pthread_cond_broadcast(&g->changed);
	pthread_mutex_unlock(&g->lock);
}

void
gate_cancel(struct gate *g)
{
	pthread_mutex_lock(&g->lock);
	g->cancel = true;
	pthread_mutex_unlock(&g->lock);
}

bool
gate_cancelled(struct gate *g)
{
	bool c;

	pthread_mutex_lock(&g->lock);
	c = g->cancel;
	pthread_mutex_unlock(&g->lock);
	return c;
}
