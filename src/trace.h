/* SPDX-License-Identifier: MIT */
/*
 * trace.h — the span index of one session: compact span records, the
 * interned strings they name, the span tree and running totals.
 *
 * Spans are appended as the fast pass finds them (trace_add) and are never
 * moved or removed, so a span index is stable for the life of the trace.
 * The tree is derived data: a snapshot built whole by trace_update_tree
 * (or on the first tree query).  That keeps every rule about it — orphans
 * under placeholders, duplicate ids, self-parents, cycles, sibling order —
 * in one function that cannot get out of step with the spans, and lets a
 * reader that is still adding spans decide when a rebuild is worth it: the
 * snapshot stays consistent, it just does not show spans added since.
 */
#ifndef TRACE_H
#define TRACE_H

#include <stdbool.h>
#include <stdint.h>

#include "span.h"
#include "strtab.h"

struct buf;

#define TRACE_NONE UINT32_MAX

enum span_flag {
	SPAN_F_PAUSED = 1 << 0,      /* truthy mcp.session.paused */
	SPAN_F_LLM_PROMPT = 1 << 1,  /* carries mcp.llm.prompt_json */
	SPAN_F_LLM_RESPONSE = 1 << 2, /* carries mcp.llm.response_json */
	SPAN_F_CACHE = 1 << 3,       /* reports cached tokens: trace_span_tokens */
};

/* One span of the index: where its raw line is, and what the list, tree
 * and filters need.  Everything else is parsed from the line on demand. */
struct span {
	uint64_t off;        /* decompressed offset of its line in its file */
	uint32_t len;        /* that line's length */
	uint32_t sub;        /* index among the spans of the line (OTLP) */
	uint32_t id, parent, trace_id, name, label; /* strtab ids; parent
	                        STRTAB_EMPTY when the span has none */
	uint16_t file;       /* index of its file within the session */
	uint8_t type;        /* enum span_type */
	uint8_t status;      /* enum span_status */
	uint8_t kind;        /* enum span_kind */
	uint8_t flags;       /* enum span_flag */
	int64_t start_ns, end_ns; /* SPAN_TIME_NONE when absent */
	int64_t tok_in, tok_out;  /* -1 when unknown */
};

/* Running totals over every span added; the session meta is derived
 * from them (session.c). */
struct trace_stats {
	uint32_t spans, errors;
	uint64_t bad_lines;
	int64_t tokens_in, tokens_out;
	int64_t tokens_cache_read, tokens_cache_write; /* of tokens_in */
	int64_t first_start, last_end; /* SPAN_TIME_NONE when none seen */
	uint32_t roots;                /* spans with no parent id */
	uint32_t duplicate_ids;        /* spans whose id an earlier span has */
	uint32_t open_roots;           /* ... of which without end_time */
	bool root_or_workflow_error;
	bool paused;
	/* First value seen, as strtab ids (STRTAB_EMPTY when none). */
	uint32_t title, workflow_type, engine, session_id;
	uint32_t signal_name, signal_prompt;
};

/*
 * Tree nodes are numbered 0 .. trace_nodes()-1: node i < trace_tree_spans()
 * is span i; the rest are placeholders for parents that had not been seen
 * when the tree was built.  Tree order is depth first, siblings by start
 * time then file order.
 */
struct trace;

struct trace *trace_new(void);
/* A trace that keeps only the totals (trace_stats), no spans: what a
 * session list needs.  trace_add then returns TRACE_NONE. */
struct trace *trace_new_summary(void);
void trace_free(struct trace *);
/* The trace will grow to about factor times what it holds (a load that
 * has read part of its input): make room for that at once, as its span
 * store and string table would otherwise copy themselves each time they
 * double.  Guesses too high cost address space, not memory. */
void trace_expect(struct trace *, double factor);

/* Add one span; strings in f are copied (interned).  Returns its index
 * (TRACE_NONE for a summary trace). */
uint32_t trace_add(struct trace *, const struct span_fields *f, uint16_t file,
    uint64_t off, uint32_t len);
void trace_add_bad_lines(struct trace *, uint64_t n);

uint32_t trace_count(const struct trace *);
/* Every span was added after those before it in its file, and files in
 * their order: span index order is file order (known as they are added,
 * so a search over a million spans need not look). */
bool trace_in_file_order(const struct trace *);
const struct span *trace_span(const struct trace *, uint32_t i);
/* Span i's tokens, cached ones too.  Cached counts are rare (LLM spans
 * of providers that report them), so they are kept beside the records,
 * not in each one. */
void trace_span_tokens(const struct trace *, uint32_t i, struct token_counts *);
const struct trace_stats *trace_stats(const struct trace *);
struct strtab *trace_strings(const struct trace *);
const char *trace_str(const struct trace *, uint32_t strid);
/* First span with this (normalised) id, or TRACE_NONE. */
uint32_t trace_find(const struct trace *, const char *id, size_t n);
/* Bytes held by the index, for memory accounting. */
size_t trace_bytes(const struct trace *);

/* Rebuild the tree snapshot if spans were added since it was built. */
void trace_update_tree(struct trace *);
/* Spans were added since the snapshot was built. */
bool trace_tree_stale(const struct trace *);

/* Tree queries, on the snapshot (built first if there is none yet). */
uint32_t trace_nodes(struct trace *);
/* Spans in the snapshot: nodes below this are spans. */
uint32_t trace_tree_spans(struct trace *);
/* Node at position pos of the depth-first order (0 .. trace_nodes()-1). */
uint32_t trace_order(struct trace *, uint32_t pos);
/* Position of node in the depth-first order. */
uint32_t trace_pos(struct trace *, uint32_t node);
uint32_t trace_depth(struct trace *, uint32_t node);
/* Nodes in node's subtree, itself included: in the depth-first order they
 * are the positions pos .. pos + size - 1. */
uint32_t trace_subtree_size(struct trace *, uint32_t node);
/* Parent node in the tree, TRACE_NONE for a root. */
uint32_t trace_parent(struct trace *, uint32_t node);
bool trace_is_placeholder(struct trace *, uint32_t node);
/* A span whose parent is missing (it sits under a placeholder). */
bool trace_is_orphan(struct trace *, uint32_t node);
/* A span shown as a root because its parent chain looped back to it. */
bool trace_is_cycle_break(struct trace *, uint32_t node);
/* Parent cycles the snapshot broke (one span of each shown as a root). */
uint32_t trace_cycles_broken(struct trace *);
/*
 * One line saying how the tree differs from what the spans claim —
 * duplicated ids, broken cycles — appended to b; false (b untouched)
 * when it does not.  Readers see a span at the root or without its
 * children and deserve to know why.
 */
bool trace_describe_structure(struct trace *, struct buf *b);
/* The missing parent id a placeholder stands for (strtab id). */
uint32_t trace_placeholder_id(struct trace *, uint32_t node);
/* Earliest start in the node's subtree (placeholders have no own time). */
int64_t trace_node_start(struct trace *, uint32_t node);
/* Tokens summed over node's subtree (0 when none known). */
int64_t trace_rollup_in(struct trace *, uint32_t node);
int64_t trace_rollup_out(struct trace *, uint32_t node);

/* Tokens by model over every span added (usage.h: the model of an LLM
 * span's tokens is its own, else its llm parent's); *out is valid until
 * the next trace_add or trace_models. */
struct usage_model;
size_t trace_models(struct trace *, const struct usage_model **out);

#endif
