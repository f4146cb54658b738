/* SPDX-License-Identifier: MIT */
/*
 * span_detail.h — one span's full detail, parsed with jansson on demand.
 *
 * Input is the span's raw line, fetched back by offset; the span is picked
 * by its index_in_line (OTLP lines hold many).  Every format is normalised
 * into the same structure: values are compact JSON text of the *decoded*
 * value (OTLP {"intValue":"812"} becomes 812), so views and --dump --detail
 * never see format differences.  No json_t leaves span_detail.c.
 */
#ifndef SPAN_DETAIL_H
#define SPAN_DETAIL_H

#include <stddef.h>
#include <stdint.h>

struct kv {
	char *key;
	char *json; /* compact JSON of the decoded value; NaN/Infinity and
	               integers beyond 64 bits are kept as JSON strings */
	char *str;  /* the decoded string when the value is a string, else NULL */
};

struct kv_list {
	struct kv *v;
	size_t n;
};

struct span_event {
	char *name;
	int64_t time_ns; /* SPAN_TIME_NONE when absent */
	struct kv_list attrs;
};

struct span_link {
	char *trace_id, *span_id; /* normalised like all ids */
	struct kv_list attrs;
};

/* Owns everything it points to; free with span_detail_free(). */
struct span_detail {
	char *name, *span_id, *parent_id, *trace_id; /* parent_id NULL for none */
	char *kind;               /* "INTERNAL", "CLIENT", ... or NULL */
	char *status;             /* "ok" | "error" | "unset" */
	char *status_description; /* NULL when none */
	int64_t start_ns, end_ns;
	struct kv_list attrs;     /* in the order written */
	struct span_event *events;
	size_t nevents;
	struct span_link *links;
	size_t nlinks;
	struct kv_list resource;
};

/* Returns NULL and sets *cause (caller frees) when the line cannot be
 * parsed or has no span at index_in_line. */
struct span_detail *span_detail_parse(const char *line, size_t len,
    unsigned index_in_line, char **cause);
void span_detail_free(struct span_detail *);

/* The value of attribute key (the last, if repeated), or NULL. */
const struct kv *span_detail_attr(const struct span_detail *, const char *key);

/* Compact JSON texts for --dump --detail (caller frees):
 * {"key":value,...} of a kv_list, and the events array
 * [{"name","timestamp","attributes"}...]. */
char *kv_list_to_json(const struct kv_list *);
char *span_detail_events_json(const struct span_detail *);

/* For detail_json.c, which writes the same text without jansson trees:
 * RFC 3339 UTC with microseconds as a JSON string, or null for
 * SPAN_TIME_NONE; and a real as json_write writes a jansson real
 * (-1 when jansson does not read text as one). */
struct buf;
void span_detail_write_time(struct buf *, int64_t ns);
int span_detail_write_real(struct buf *, const char *text, size_t len);

#endif
