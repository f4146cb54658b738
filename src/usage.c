/* SPDX-License-Identifier: MIT */
/* usage.c — tokens by model with the parent rule; see usage.h. */
#include "usage.h"

#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "xmalloc.h"

/* An open-addressing map of strtab id → uint32. */
struct u32map {
	uint32_t *key, *val;
	size_t cap, n;
};

#define U32MAP_EMPTY UINT32_MAX

static size_t
u32map_slot(const struct u32map *m, uint32_t key)
{
	size_t i = (key * 2654435761u) & (m->cap - 1);

	while (m->key[i] != U32MAP_EMPTY && m->key[i] != key)
		i = (i + 1) & (m->cap - 1);
	return i;
}

static uint32_t
u32map_get(const struct u32map *m, uint32_t key)
{
	return m->cap == 0 ? U32MAP_EMPTY : m->val[u32map_slot(m, key)];
}

static void
u32map_put(struct u32map *m, uint32_t key, uint32_t val)
{
	struct u32map old = *m;
	size_t i;

	if ((m->n + 1) * 2 > m->cap) {
		m->cap = m->cap ? m->cap * 2 : 64;
		m->key = xreallocarray(NULL, m->cap, sizeof *m->key);
		m->val = xreallocarray(NULL, m->cap, sizeof *m->val);
		memset(m->key, 0xff, m->cap * sizeof *m->key);
		memset(m->val, 0xff, m->cap * sizeof *m->val);
		for (i = 0; i < old.cap; i++) {
			if (old.key[i] != U32MAP_EMPTY) {
				size_t s = u32map_slot(m, old.key[i]);

				m->key[s] = old.key[i];
				m->val[s] = old.val[i];
			}
		}
		free(old.key);
		free(old.val);
	}
	i = u32map_slot(m, key);
	if (m->key[i] == U32MAP_EMPTY)
		m->n++;
	m->key[i] = key;
	m->val[i] = val;
}

/* Tokens waiting for their parent: a list per parent id. */
struct usage_pending {
	uint32_t next;       /* next of the same parent, U32MAP_EMPTY at the end */
	struct token_counts tok;
	bool done;
};

struct usage {
	struct usage_model *models;
	size_t nmodels, cap;  /* the STRTAB_EMPTY row is built in usage_models */
	struct token_counts none; /* tokens without a model (yet) */
	struct u32map llm;    /* llm span id → its model */
	struct u32map waiting; /* parent id → first pending */
	struct usage_pending *pend;
	size_t npend, pcap;
};

struct usage *
usage_new(void)
{
	return xcalloc(1, sizeof(struct usage));
}

void
usage_free(struct usage *u)
{
	if (u == NULL)
		return;
	free(u->models);
	free(u->llm.key);
	free(u->llm.val);
	free(u->waiting.key);
	free(u->waiting.val);
	free(u->pend);
	free(u);
}

/* a += b, each count saturating (doc/reference.md §3.3); b's counts
 * are at most INT64_MAX / 4, so a - b below never wraps. */
static void
usage_sum(struct token_counts *a, const struct token_counts *b)
{
	a->in = tokens_add(a->in, b->in);
	a->out = tokens_add(a->out, b->out);
	a->cache_read = tokens_add(a->cache_read, b->cache_read);
	a->cache_write = tokens_add(a->cache_write, b->cache_write);
}

static void
usage_unsum(struct token_counts *a, const struct token_counts *b)
{
	a->in -= b->in;
	a->out -= b->out;
	a->cache_read -= b->cache_read;
	a->cache_write -= b->cache_write;
}

static void
usage_credit(struct usage *u, uint32_t model, const struct token_counts *tok)
{
	size_t i;

	for (i = 0; i < u->nmodels; i++) {
		if (u->models[i].model == model)
			break;
	}
	if (i == u->nmodels) {
		if (u->nmodels == u->cap) {
			u->cap = u->cap ? u->cap * 2 : 4;
			u->models = xreallocarray(u->models, u->cap + 1, sizeof *u->models);
		}
		u->models[u->nmodels++] = (struct usage_model){ model, { 0, 0, 0, 0 } };
	}
	usage_sum(&u->models[i].tok, tok);
}

/* Hand every span waiting for parent id over to its model. */
static void
usage_settle(struct usage *u, uint32_t id, uint32_t model)
{
	uint32_t k = u32map_get(&u->waiting, id);

	for (; k != U32MAP_EMPTY; k = u->pend[k].next) {
		if (u->pend[k].done)
			continue;
		usage_credit(u, model, &u->pend[k].tok);
		usage_unsum(&u->none, &u->pend[k].tok);
		u->pend[k].done = true;
	}
	if (u->waiting.cap != 0)
		u32map_put(&u->waiting, id, U32MAP_EMPTY);
}

static void
usage_wait(struct usage *u, uint32_t parent, const struct token_counts *tok)
{
	uint32_t k;

	if (u->npend == u->pcap) {
		u->pcap = u->pcap ? u->pcap * 2 : 16;
		u->pend = xreallocarray(u->pend, u->pcap, sizeof *u->pend);
	}
	k = (uint32_t)u->npend++;
	u->pend[k] = (struct usage_pending){ u32map_get(&u->waiting, parent), *tok, false };
	u32map_put(&u->waiting, parent, k);
	usage_sum(&u->none, tok);
}

/* Counts are untrusted: keep sums far from overflow. */
static int64_t
usage_clamp(int64_t v)
{
	if (v <= 0)
		return 0;
	return v > INT64_MAX / 4 ? INT64_MAX / 4 : v;
}

void
usage_add(struct usage *u, struct strtab *strs, const struct span_fields *f,
    enum span_type type)
{
	struct token_counts tok = { usage_clamp(f->tokens_in),
	    usage_clamp(f->tokens_out), usage_clamp(f->tokens_cache_read),
	    usage_clamp(f->tokens_cache_write) };
	bool any = tok.in > 0 || tok.out > 0 || tok.cache_read > 0 ||
	    tok.cache_write > 0;
	uint32_t id, model, parent;

	if (type == SPAN_LLM && f->llm_model.n > 0) {
		model = strtab_intern(strs, f->llm_model.p, f->llm_model.n);
		if (f->span_id.n > 0) {
			id = strtab_intern(strs, f->span_id.p, f->span_id.n);
			if (u32map_get(&u->llm, id) == U32MAP_EMPTY) {
				u32map_put(&u->llm, id, model);
				usage_settle(u, id, model);
			}
		}
		if (any)
			usage_credit(u, model, &tok);
		return;
	}
	if (!any)
		return;
	if (f->parent_id.n == 0) {
		usage_sum(&u->none, &tok);
		return;
	}
	parent = strtab_intern(strs, f->parent_id.p, f->parent_id.n);
	if ((model = u32map_get(&u->llm, parent)) != U32MAP_EMPTY)
		usage_credit(u, model, &tok);
	else
		usage_wait(u, parent, &tok);
}

size_t
usage_models(struct usage *u, const struct usage_model **out)
{
	size_t n = u->nmodels;

	if (u->none.in > 0 || u->none.out > 0 || u->none.cache_read > 0 ||
	    u->none.cache_write > 0) {
		if (u->nmodels == u->cap) {
			u->cap = u->cap ? u->cap * 2 : 4;
			u->models = xreallocarray(u->models, u->cap + 1, sizeof *u->models);
		}
		u->models[n++] = (struct usage_model){ STRTAB_EMPTY, u->none };
	}
	*out = u->models;
	return n;
}
