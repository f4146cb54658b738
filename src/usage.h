/* SPDX-License-Identifier: MIT */
/*
 * usage.h — tokens by model, as spans arrive (doc/reference.md §9 cost).
 *
 * Which model an LLM span's tokens belong to: its own model (mcp.llm.model,
 * else gen_ai.request.model / gen_ai.response.model) when it is an llm
 * span that names one; otherwise its parent's, when the parent is an llm
 * span that names one.  The real instrumentation puts the model on the
 * parent (…generate_str) and the usage on the child (…generate); children
 * are written before their parents, so tokens wait here until the parent
 * arrives.  Tokens whose model is never found stay "no model" (they are
 * counted, never priced).  The same rule on a built tree: analysis.c.
 */
#ifndef USAGE_H
#define USAGE_H

#include <stddef.h>
#include <stdint.h>

#include "span.h"
#include "strtab.h"

struct usage_model {
	uint32_t model;      /* strtab id; STRTAB_EMPTY: no model found */
	struct token_counts tok; /* sums (0 when none), cached ones of in too */
};

struct usage;

struct usage *usage_new(void);
void usage_free(struct usage *);
/* Count one span's tokens; ids and models are interned in strs. */
void usage_add(struct usage *, struct strtab *strs, const struct span_fields *,
    enum span_type);
/* Tokens by model so far, models in first-seen order, then one
 * STRTAB_EMPTY row when some tokens have no model (yet).  Returns the
 * count; *out is valid until the next usage_add or usage_models. */
size_t usage_models(struct usage *, const struct usage_model **out);

#endif
