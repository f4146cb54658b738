/* SPDX-License-Identifier: MIT */
/*
 * chat_view.h — the LLM conversation behind a span, as a chat (doc/reference.md §6).
 *
 * Input: the prompt (mcp.llm.prompt_json) and response
 * (mcp.llm.response_json) texts, either of which may be missing, plus the
 * model facts.  Shapes that occur: MCP Message (content = array of blocks:
 * text, image, resource, tool_use, tool_result), plain-string content,
 * OpenAI-style messages with tool_calls, the inspector's own
 * {"type":"text","content":…}, a list of messages or one message, and an
 * Anthropic response object.  Anything else falls back to pretty JSON.
 */
#ifndef CHAT_VIEW_H
#define CHAT_VIEW_H

#include <stdint.h>

#include "vdoc.h"

struct chat_facts {
	const char *model;       /* NULL when unknown */
	const char *provider;
	int64_t tokens_in, tokens_out; /* -1 when unknown */
	const char *stop_reason; /* else taken from the response when present */
	const char *prompt_from; /* non-NULL: the prompt came from this span
	                            (the parent of a generate span) */
	/* Of tokens_in, read from / written to the prompt cache; shown when
	 * positive (last, so that older initialisers leave them 0). */
	int64_t tokens_cache_read, tokens_cache_write;
};

/* Render into out at width columns.  Both texts may be NULL; with neither,
 * a single dim line says there is no LLM context on this span. */
void chat_view_render(struct vdoc *out, const char *prompt_json,
    const char *response_json, const struct chat_facts *, int width);

#endif
