/* SPDX-License-Identifier: MIT */
/*
 * fuzz_parse.c — libFuzzer target for the line parsers: the fast index
 * pass (span_parse_line, all three formats of doc/reference.md §2) and, for every
 * span it reports, the on-demand jansson parse of the same line
 * (span_detail_parse) with the JSON it re-serialises, and the direct
 * writer of --dump --json --detail (detail_json.c) against it.  Also the RFC 3339
 * time parser, which both of them use.
 *
 * The whole input is one line, as lines.c would deliver it; it may hold
 * '\n' or NUL bytes, which a real line cannot, but the parsers must not
 * care.  Invariants checked beyond "no crash, no leak": the return value
 * agrees with the spans the parser hands out, every string it hands out
 * is readable memory, and a bad line has a reason.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "detail_json.h"
#include "fuzz_util.h"
#include "jscan.h"
#include "span.h"
#include "span_detail.h"
#include "span_parse.h"

/* Spans of a line whose detail is parsed (and the last one). */
#define DETAIL_SPANS 32

static void
touch_ref(struct strref r)
{
	if (r.p != NULL)
		fuzz_touch(r.p, r.n);
}

/* Read every string of a span, and run the model rules over it. */
/* index_in_line counts the line's span elements, kept or not: an OTLP
 * span without an id is left out (a bad line names it) and the ones after
 * it keep their own element's index, so the detail finds the right one.
 * So it grows with i and is never below it; next is the least it may be. */
static void
check_fields(const struct span_fields *f, int i, unsigned next)
{
	enum span_type type;

	if ((int)f->index_in_line < i || f->index_in_line < next)
		fuzz_fail("span %d says index_in_line %u (at least %u)", i,
		    f->index_in_line, next);
	/* doc/reference.md §2: a span is only a span with an id ("" is no id). */
	if (f->span_id.p == NULL || f->span_id.n == 0)
		fuzz_fail("span %d reported without a span id", i);
	if (f->status > SPAN_ERROR || f->kind > KIND_CONSUMER)
		fuzz_fail("span %d: status %u / kind %u out of range", i,
		    f->status, f->kind);
	touch_ref(f->span_id);
	touch_ref(f->parent_id);
	touch_ref(f->trace_id);
	touch_ref(f->name);
	touch_ref(f->tool_name);
	touch_ref(f->llm_model);
	touch_ref(f->agent_name);
	touch_ref(f->resource_uri);
	touch_ref(f->workflow_type);
	touch_ref(f->session_title);
	touch_ref(f->engine);
	touch_ref(f->session_id);
	touch_ref(f->signal_name);
	touch_ref(f->signal_prompt);
	type = span_classify(f);
	touch_ref(span_label(f, type));
	fuzz_touch(span_type_name(type), 1);
}

/* --dump --json --detail's direct writer (detail_json.c): when it writes
 * a span's fields they are byte for byte those of the jansson path. */
static void
detail_direct(const uint8_t *data, size_t size, unsigned i,
    const struct span_detail *d)
{
	struct jarena *arena = jarena_new();
	struct buf fast = BUF_INIT, slow = BUF_INIT;

	if (detail_json_write(&fast, (const char *)data, size, i, arena) == 0) {
		if (d == NULL)
			fuzz_fail("detail_json_write wrote a span jansson refuses");
		detail_json_fields(&slow, d);
		if (fast.len != slow.len || memcmp(fast.p, slow.p, fast.len) != 0)
			fuzz_fail("detail_json_write differs from span_detail_parse");
	} else if (fast.len != 0)
		fuzz_fail("detail_json_write declined but wrote");
	buf_free(&fast);
	buf_free(&slow);
	jarena_free(arena);
}

/* The detail of span i, and what the inspector's views make of it. */
static void
detail(const uint8_t *data, size_t size, unsigned i, const struct strref *id)
{
	struct span_detail *d;
	char *cause = NULL, *json;

	d = span_detail_parse((const char *)data, size, i, &cause);
	detail_direct(data, size, i, d);
	/* The detail of a span is that span's, whatever was left out before
	 * it (index_in_line). */
	if (d != NULL && id != NULL && (d->span_id == NULL ||
	    strlen(d->span_id) != id->n || memcmp(d->span_id, id->p, id->n) != 0))
		fuzz_fail("the detail at element %u is span %s, not %.*s", i,
		    d->span_id != NULL ? d->span_id : "(none)", (int)id->n, id->p);
	if (d == NULL) {
		if (cause == NULL)
			fuzz_fail("span_detail_parse failed without a cause");
		free(cause);
		return;
	}
	json = kv_list_to_json(&d->attrs);
	free(json);
	json = kv_list_to_json(&d->resource);
	free(json);
	json = span_detail_events_json(d);
	free(json);
	(void)span_detail_attr(d, "mcp.llm.prompt_json");
	span_detail_free(d);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct span_parser *sp = span_parser_new();
	const char *line = (const char *)data;
	unsigned next;
	int n, i;
	int64_t ns;

	n = span_parse_line(sp, line, size);
	if (n < 0) {
		/* A bad line is counted and reported with a reason. */
		if (span_parser_error(sp)[0] == '\0')
			fuzz_fail("bad line without an error message");
		if (span_parser_span(sp, 0) != NULL)
			fuzz_fail("bad line still hands out span 0");
		/* The program never asks for the detail of a bad line, but
		 * span_detail_parse is an API of its own: its pre-pass
		 * (invalid UTF-8, lone surrogates) only sees such lines. */
		detail(data, size, 0, NULL);
	} else {
		if (span_parser_span(sp, n) != NULL ||
		    span_parser_span(sp, -1) != NULL)
			fuzz_fail("span_parser_span out of range not NULL");
		for (i = 0, next = 0; i < n; i++) {
			check_fields(span_parser_span(sp, i), i, next);
			next = span_parser_span(sp, i)->index_in_line + 1;
		}
		/* Detail second: the fields above stay valid until the next
		 * parse call, which detail must not be.  Each detail parses
		 * the whole line, so an OTLP line of thousands of tiny spans
		 * would make a run quadratic: the first DETAIL_SPANS and the
		 * last one are enough to reach every path. */
		for (i = 0; i < n; i++) {
			if (i >= DETAIL_SPANS && i != n - 1)
				continue;
			detail(data, size, span_parser_span(sp, i)->index_in_line,
			    &span_parser_span(sp, i)->span_id);
			touch_ref(span_parser_span(sp, i)->name);
		}
		detail(data, size, next, NULL); /* one past the last: no span */
	}
	span_parser_free(sp);

	(void)span_parse_time(line, size, &ns);
	return 0;
}
