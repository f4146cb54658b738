/* SPDX-License-Identifier: MIT */
/*
 * span_names.c — the one table of names for each span enum (type,
 * status, kind): what output prints and what the parsers match.
 */
#include "span.h"

const char *const span_type_names[SPAN_TYPE_COUNT] = {
	[SPAN_OTHER] = "other",
	[SPAN_WORKFLOW] = "workflow",
	[SPAN_AGENT] = "agent",
	[SPAN_LLM] = "llm",
	[SPAN_TOOL] = "tool",
	[SPAN_RESOURCE] = "resource",
	[SPAN_PROMPT] = "prompt",
};

const char *const span_status_names[SPAN_STATUS_COUNT] = {
	[SPAN_UNSET] = "unset",
	[SPAN_OK] = "ok",
	[SPAN_ERROR] = "error",
};

const char *const span_kind_names[SPAN_KIND_COUNT] = {
	[KIND_UNSPECIFIED] = "UNSPECIFIED",
	[KIND_INTERNAL] = "INTERNAL",
	[KIND_SERVER] = "SERVER",
	[KIND_CLIENT] = "CLIENT",
	[KIND_PRODUCER] = "PRODUCER",
	[KIND_CONSUMER] = "CONSUMER",
};

/* names[v], or names[0] (other, unset, unspecified) when v is out of
 * range: a stored byte is never trusted as an index. */
static const char *
span_name(const char *const *names, unsigned n, unsigned v)
{
	return v < n ? names[v] : names[0];
}

const char *
span_type_name(enum span_type type)
{
	return span_name(span_type_names, SPAN_TYPE_COUNT, (unsigned)type);
}

const char *
span_status_name(enum span_status status)
{
	return span_name(span_status_names, SPAN_STATUS_COUNT,
	    (unsigned)status);
}

const char *
span_kind_name(enum span_kind kind)
{
	return span_name(span_kind_names, SPAN_KIND_COUNT, (unsigned)kind);
}
