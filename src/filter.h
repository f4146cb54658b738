/* SPDX-License-Identifier: MIT */
/*
 * filter.h — the filter language shared by the UI (`f`) and --filter.
 *
 *   type:tool status:error name:fetch free text
 *
 * Terms are ANDed.  key:value compares a field (type, status, kind: exact,
 * case-insensitive; other keys: case-insensitive substring); a value may
 * list alternatives with commas (type:tool,llm).  A bare word or "quoted
 * phrase" matches as a substring of any text field (name, label, title,
 * id, engine).  A leading '-' negates a term.  dur>500ms, dur<2s,
 * dur>=1.5s, tokens<=1000 compare numbers (< > <= >=; units ns us ms s m
 * h; default ms).  Spans and sessions are both subjects; a key the subject
 * does not have (NULL field, -1 number) never matches, so its negation
 * does.  Case folding is ASCII only.  Quotes may appear anywhere in a term
 * (name:"a b,c"), with \" and \\ inside; an unquoted run of letters
 * before ':', '<' or '>' is a key, so quote free text such as "http://x".
 */
#ifndef FILTER_H
#define FILTER_H

#include <stdbool.h>
#include <stdint.h>

enum filter_field {
	FF_NAME,    /* span name */
	FF_TYPE,    /* span type: workflow agent llm tool resource prompt other */
	FF_STATUS,  /* span: ok error unset; session: running paused failed completed */
	FF_KIND,    /* span kind: internal client server producer consumer */
	FF_LABEL,   /* span label */
	FF_ID,      /* span id or session id */
	FF_TRACE,   /* trace id */
	FF_PARENT,  /* parent span id */
	FF_TITLE,   /* session title */
	FF_ENGINE,  /* session engine */
	FF_NFIELDS
};

/* What a filter is matched against; NULL / -1 = the subject has no such value. */
struct filter_subject {
	const char *field[FF_NFIELDS];
	int64_t duration_ns;
	int64_t tokens;
};

struct filter;

/* NULL with *cause set (caller frees), naming the bad term, on a syntax
 * error or unknown key.  An empty or all-blank expression matches all. */
struct filter *filter_parse(const char *expr, char **cause);
void filter_free(struct filter *);
bool filter_match(const struct filter *, const struct filter_subject *);
/* The expression as given (for the status bar). */
const char *filter_text(const struct filter *);

#endif
