/* SPDX-License-Identifier: MIT */
/*
 * span.h — what the fast parse pass extracts from one span.
 *
 * The index pass never keeps a JSON tree: span_parse.c fills one
 * struct span_fields per span with the few things the model needs (ids,
 * times, status, the attributes that decide type, label, tokens and
 * session meta) and trace.c copies them into its compact store.  Full
 * detail is parsed later, on demand, by span_detail.c from the raw line.
 */
#ifndef SPAN_H
#define SPAN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Absent timestamps are stored as this value. */
#define SPAN_TIME_NONE INT64_MIN

enum span_type {
	SPAN_OTHER,
	SPAN_WORKFLOW,
	SPAN_AGENT,
	SPAN_LLM,
	SPAN_TOOL,
	SPAN_RESOURCE,
	SPAN_PROMPT,
};
#define SPAN_TYPE_COUNT (SPAN_PROMPT + 1)

enum span_status { SPAN_UNSET, SPAN_OK, SPAN_ERROR };
#define SPAN_STATUS_COUNT (SPAN_ERROR + 1)

/* Numbered as OTLP numbers them (0 = unspecified). */
enum span_kind {
	KIND_UNSPECIFIED,
	KIND_INTERNAL,
	KIND_SERVER,
	KIND_CLIENT,
	KIND_PRODUCER,
	KIND_CONSUMER,
};
#define SPAN_KIND_COUNT (KIND_CONSUMER + 1)

/* A byte range; p is NULL when the field was absent. */
struct strref {
	const char *p;
	size_t n;
};

/* Which rule-relevant attributes a span carries (doc/reference.md §3). */
enum span_attr_flag {
	SF_TOOL_ATTR = 1 << 0,     /* mcp.tool.name */
	SF_GENAI_ATTR = 1 << 1,    /* any gen_ai.* */
	SF_LLM_RESPONSE = 1 << 2,  /* mcp.llm.response_json */
	SF_RESOURCE_ATTR = 1 << 3, /* any mcp.resource.* */
	SF_PROMPT_ATTR = 1 << 4,   /* any mcp.prompt.* */
	SF_WORKFLOW_TYPE = 1 << 5, /* mcp.workflow.type */
	SF_AGENT_NAME = 1 << 6,    /* mcp.agent.name */
	SF_PAUSED = 1 << 7,        /* truthy mcp.session.paused */
	SF_LLM_PROMPT = 1 << 8,    /* mcp.llm.prompt_json */
};

/*
 * One span as the fast pass saw it.  Every strref points either into the
 * line given to span_parse_line() or into the parser's scratch memory; all
 * are valid until the next span_parse_line() call on the same parser.
 * Ids are normalised: lower-cased, a leading "0x" removed.
 */
struct span_fields {
	struct strref span_id, parent_id, trace_id, name;
	/* Label sources. */
	struct strref tool_name;     /* mcp.tool.name */
	struct strref llm_model;     /* mcp.llm.model, else gen_ai.request.model / gen_ai.response.model */
	struct strref agent_name;    /* mcp.agent.name */
	struct strref resource_uri;  /* mcp.resource.uri */
	struct strref workflow_type; /* mcp.workflow.type */
	/* Session meta sources. */
	struct strref session_title; /* mcp.session.title */
	struct strref engine;        /* mcp.engine.type, else mcp.workflow.engine */
	struct strref session_id;    /* resource or span attribute session.id */
	struct strref signal_name;   /* mcp.signal.name, or a *signal* event's signal_name */
	struct strref signal_prompt; /* mcp.signal.prompt */

	int64_t start_ns, end_ns;    /* Unix ns, SPAN_TIME_NONE when absent */
	int64_t tokens_in, tokens_out; /* -1 when unknown */
	/* Of tokens_in, read from and written to the provider's prompt
	 * cache (doc/reference.md §3.3); -1 when not reported. */
	int64_t tokens_cache_read, tokens_cache_write;
	unsigned flags;              /* enum span_attr_flag */
	uint8_t status;              /* enum span_status */
	uint8_t kind;                /* enum span_kind */
	uint32_t index_in_line;      /* position among the spans of its line (OTLP) */
};

/* Every strref of span_fields, for code that moves a span's text
 * (spanprep.c).  They come first in the struct, and the assertion below
 * fails when one is added without being listed here. */
#define SPAN_FIELDS_STRREFS(X)						\
	X(span_id) X(parent_id) X(trace_id) X(name) X(tool_name)	\
	X(llm_model) X(agent_name) X(resource_uri) X(workflow_type)	\
	X(session_title) X(engine) X(session_id) X(signal_name)		\
	X(signal_prompt)
#define SPAN_FIELDS_COUNT_ONE(m) + 1
_Static_assert(offsetof(struct span_fields, start_ns) ==
    (0 SPAN_FIELDS_STRREFS(SPAN_FIELDS_COUNT_ONE)) * sizeof(struct strref),
    "a strref of span_fields is missing from SPAN_FIELDS_STRREFS");

/*
 * Token counts are untrusted: a span or a server may claim INT64_MAX.
 * The sum of two counts, an unknown (negative) one counting as none,
 * stops at INT64_MAX instead of wrapping (signed overflow is undefined).
 */
static inline int64_t
tokens_add(int64_t a, int64_t b)
{
	a = a > 0 ? a : 0;
	b = b > 0 ? b : 0;
	return a > INT64_MAX - b ? INT64_MAX : a + b;
}

/*
 * A span's, a model's or a session's tokens (doc/reference.md §3.3): in
 * counts every input token, cached ones included; cache_read and
 * cache_write are how many of them were read from / written to the
 * provider's prompt cache.  Negative: unknown (none).
 */
struct token_counts {
	int64_t in, out, cache_read, cache_write;
};

/* doc/reference.md §3 type rules, first match wins.  has_parent: parent id present. */
enum span_type span_classify(const struct span_fields *);

/* The label shown beside the name for a span of this type (may be empty). */
struct strref span_label(const struct span_fields *, enum span_type);

/* The one table of names of each enum (span_names.c), indexed by it. */
extern const char *const span_type_names[SPAN_TYPE_COUNT];
extern const char *const span_status_names[SPAN_STATUS_COUNT];
extern const char *const span_kind_names[SPAN_KIND_COUNT];
const char *span_type_name(enum span_type);     /* "tool", "llm", ... */
const char *span_status_name(enum span_status); /* "ok", "error", "unset" */
const char *span_kind_name(enum span_kind);     /* "INTERNAL", ... */

#endif
