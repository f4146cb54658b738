/* SPDX-License-Identifier: MIT */
/*
 * fuzz_diff.c — differential libFuzzer target: the fast index pass
 * (span_parse.c, jscan, no tree) against the jansson parse of the same
 * line (span_detail.c).  The tree, list and filters show what the fast
 * pass extracted, the inspector shows what span_detail extracted; for
 * the fields both extract they must agree, or the UI contradicts itself.
 *
 * For every span span_parse_line reports, span_detail_parse must find the
 * same span and the same span id, parent id, trace id (both normalise:
 * lower case, no "0x"), name, start and end time, status and kind, and
 * the labels and session meta the fast pass takes from attributes (tool,
 * agent, resource uri, workflow type, model, engine, session title and
 * id, signal name and prompt) must be span_detail's decoded strings of
 * the same attributes.  Not compared: tokens, the paused flag and the
 * presence flags behind the span type.
 * Lines jansson refuses (deeper than its 2048 levels; jscan allows 10000,
 * see jscan.h) are skipped: span_detail has then no opinion, it reports a
 * JSON error, which is no disagreement.
 *
 * A disagreement aborts with the field, the span and both values.
 * FUZZ_DIFF_IGNORE=field,field,... (names as printed: span_id parent_id
 * trace_id name start end status kind missing, and the span_fields
 * member names of the labels: tool_name llm_model ...) leaves fields out, so a
 * known, reported disagreement does not stop a search for the next one.
 */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz_util.h"
#include "span.h"
#include "span_detail.h"
#include "span_parse.h"

/* span_detail_parse's cause when jansson itself refused the text. */
#define JSON_ERROR_CAUSE "span detail: JSON error"

/* Spans of a line compared (and the last one). */
#define DETAIL_SPANS 32

static const char *ignore_list = "";

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
	const char *s = getenv("FUZZ_DIFF_IGNORE");

	if (s != NULL)
		ignore_list = s;
	return 0;
}

static bool
ignored(const char *field)
{
	size_t n = strlen(field);
	const char *p = ignore_list;

	while ((p = strstr(p, field)) != NULL) {
		if ((p == ignore_list || p[-1] == ',') &&
		    (p[n] == '\0' || p[n] == ','))
			return true;
		p += n;
	}
	return false;
}

/* Print s[0..n) with anything unprintable escaped. */
static void
put_escaped(const char *s, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];

		if (c >= 0x20 && c < 0x7f && c != '\\')
			fputc(c, stderr);
		else
			fprintf(stderr, "\\x%02x", c);
	}
}

static __attribute__((noreturn)) void
disagree(const char *field, int span, const char *fast, size_t fastn,
    const char *det, const uint8_t *line, size_t size)
{
	fprintf(stderr, "\n==fuzz_diff== %s of span %d: fast pass \"", field,
	    span);
	if (fast != NULL)
		put_escaped(fast, fastn);
	else
		fputs("(none)", stderr);
	fputs("\" but span_detail \"", stderr);
	if (det != NULL)
		put_escaped(det, strlen(det));
	else
		fputs("(none)", stderr);
	fputs("\"\nline: ", stderr);
	put_escaped((const char *)line, size < 600 ? size : 600);
	fuzz_fail("fast pass and span_detail disagree on %s", field);
}

/*
 * Strings: the fast pass's strref against span_detail's C string.
 * none_is_empty: span_detail writes "" where the fast pass has no value
 * (span id, trace id, name); otherwise it writes NULL (parent id).
 */
static void
same_string(const char *field, int span, struct strref fast, const char *det,
    bool none_is_empty, const uint8_t *line, size_t size)
{
	bool same;

	if (ignored(field))
		return;
	if (fast.p == NULL)
		same = none_is_empty ? det != NULL && det[0] == '\0' :
		    det == NULL;
	else
		same = det != NULL && strlen(det) == fast.n &&
		    memcmp(det, fast.p, fast.n) == 0;
	if (!same)
		disagree(field, span, fast.p, fast.n, det, line, size);
}

static void
same_time(const char *field, int span, int64_t fast, int64_t det,
    const uint8_t *line, size_t size)
{
	char a[32], b[32];

	if (ignored(field) || fast == det)
		return;
	snprintf(a, sizeof a, "%lld", (long long)fast);
	snprintf(b, sizeof b, "%lld", (long long)det);
	disagree(field, span, a, strlen(a), b, line, size);
}

/* span_detail names the kind as span_kind_name does, or has none (NULL)
 * where the line has no kind it knows: the fast pass's UNSPECIFIED. */
static enum span_kind
detail_kind(const char *kind)
{
	int k;

	if (kind == NULL)
		return KIND_UNSPECIFIED;
	for (k = KIND_UNSPECIFIED; k <= KIND_CONSUMER; k++) {
		if (strcmp(kind, span_kind_name((enum span_kind)k)) == 0)
			return (enum span_kind)k;
	}
	return (enum span_kind)-1;	/* not a name: always a disagreement */
}

/* The decoded string of the last key in l, or NULL (absent, or a value
 * that is not a string). */
static const char *
kv_str(const struct kv_list *l, const char *key)
{
	size_t i;

	for (i = l->n; i > 0; i--) {
		if (strcmp(l->v[i - 1].key, key) == 0)
			return l->v[i - 1].str;
	}
	return NULL;
}

static const char *
first_str(const struct kv_list *l, const char *a, const char *b,
    const char *c)
{
	const char *s = kv_str(l, a);

	if (s == NULL && b != NULL)
		s = kv_str(l, b);
	if (s == NULL && c != NULL)
		s = kv_str(l, c);
	return s;
}

/* signal_name of the first event named *signal* that has one. */
static const char *
event_signal(const struct span_detail *d)
{
	const char *s;
	size_t i;

	for (i = 0; i < d->nevents; i++) {
		if (strstr(d->events[i].name, "signal") != NULL &&
		    (s = kv_str(&d->events[i].attrs, "signal_name")) != NULL)
			return s;
	}
	return NULL;
}

/* The labels and session meta the fast pass takes from attributes
 * (span.h), against span_detail's attributes, resource and events. */
static void
compare_attrs(const struct span_fields *f, const struct span_detail *d,
    int i, const uint8_t *line, size_t size)
{
	const struct kv_list *a = &d->attrs;
	const char *sig;

	same_string("tool_name", i, f->tool_name, kv_str(a, "mcp.tool.name"),
	    false, line, size);
	same_string("agent_name", i, f->agent_name,
	    kv_str(a, "mcp.agent.name"), false, line, size);
	same_string("resource_uri", i, f->resource_uri,
	    kv_str(a, "mcp.resource.uri"), false, line, size);
	same_string("workflow_type", i, f->workflow_type,
	    kv_str(a, "mcp.workflow.type"), false, line, size);
	same_string("session_title", i, f->session_title,
	    kv_str(a, "mcp.session.title"), false, line, size);
	same_string("signal_prompt", i, f->signal_prompt,
	    kv_str(a, "mcp.signal.prompt"), false, line, size);
	same_string("llm_model", i, f->llm_model, first_str(a, "mcp.llm.model",
	    "gen_ai.request.model", "gen_ai.response.model"), false, line,
	    size);
	same_string("engine", i, f->engine, first_str(a, "mcp.engine.type",
	    "mcp.workflow.engine", NULL), false, line, size);
	same_string("session_id", i, f->session_id,
	    kv_str(&d->resource, "session.id") != NULL ?
	    kv_str(&d->resource, "session.id") : kv_str(a, "session.id"),
	    false, line, size);
	sig = kv_str(a, "mcp.signal.name");
	same_string("signal_name", i, f->signal_name,
	    sig != NULL ? sig : event_signal(d), false, line, size);
}

static void
compare(const struct span_fields *f, const struct span_detail *d, int i,
    const uint8_t *line, size_t size)
{
	const char *fk, *fs;

	same_string("span_id", i, f->span_id, d->span_id, true, line, size);
	same_string("parent_id", i, f->parent_id, d->parent_id, false, line,
	    size);
	same_string("trace_id", i, f->trace_id, d->trace_id, true, line, size);
	same_string("name", i, f->name, d->name, true, line, size);
	same_time("start", i, f->start_ns, d->start_ns, line, size);
	same_time("end", i, f->end_ns, d->end_ns, line, size);
	fs = span_status_name((enum span_status)f->status);
	if (!ignored("status") && strcmp(fs, d->status) != 0)
		disagree("status", i, fs, strlen(fs), d->status, line, size);
	fk = span_kind_name((enum span_kind)f->kind);
	if (!ignored("kind") && detail_kind(d->kind) != f->kind)
		disagree("kind", i, fk, strlen(fk), d->kind, line, size);
	compare_attrs(f, d, i, line, size);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct span_parser *sp = span_parser_new();
	struct span_detail *d;
	char *cause;
	int n, i;

	n = span_parse_line(sp, (const char *)data, size);
	for (i = 0; i < n; i++) {
		/* Each detail parses the whole line: bound the work for OTLP
		 * lines of thousands of tiny spans (the last one still shows
		 * a numbering that drifted). */
		if (i >= DETAIL_SPANS && i != n - 1)
			continue;
		cause = NULL;
		/* The span's own element: one left out before it (no id)
		 * does not shift it. */
		d = span_detail_parse((const char *)data, size,
		    span_parser_span(sp, i)->index_in_line, &cause);
		if (d == NULL) {
			if (strncmp(cause, JSON_ERROR_CAUSE,
			    strlen(JSON_ERROR_CAUSE)) != 0 &&
			    !ignored("missing")) {
				span_parser_free(sp);
				disagree("missing", i, "a span", 6, cause,
				    data, size);
			}
			free(cause);
			continue;
		}
		compare(span_parser_span(sp, i), d, i, data, size);
		span_detail_free(d);
	}
	span_parser_free(sp);
	return 0;
}
