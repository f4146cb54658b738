/* SPDX-License-Identifier: MIT */
/* export.c — span JSON, Markdown outlines and OSC 52; see export.h. */
#include "export.h"

#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "fmt.h"
#include "session.h"
#include "span.h"
#include "span_detail.h"
#include "text.h"
#include "trace.h"
#include "xmalloc.h"

/* An object of kv pairs, one a line at indent; values are already JSON. */
static void
export_kv(struct buf *b, const struct kv_list *l, int indent)
{
	size_t k;

	if (l->n == 0) {
		buf_adds(b, "{}");
		return;
	}
	buf_adds(b, "{\n");
	for (k = 0; k < l->n; k++) {
		buf_printf(b, "%*s", indent + 2, "");
		buf_add_json_str_or_null(b, l->v[k].key);
		buf_adds(b, ": ");
		buf_adds(b, l->v[k].json);
		buf_adds(b, k + 1 < l->n ? ",\n" : "\n");
	}
	buf_printf(b, "%*s}", indent, "");
}

static void
export_field(struct buf *b, const char *key, const char *value)
{
	buf_printf(b, "  \"%s\": ", key);
	buf_add_json_str_or_null(b, value);
	buf_adds(b, ",\n");
}

char *
export_span_json(struct session *s, uint32_t i, char **cause)
{
	struct trace *t = session_trace(s);
	const struct span *sp = trace_span(t, i);
	struct span_detail *d;
	struct buf b = BUF_INIT;
	size_t k;

	if ((d = session_span_detail(s, i, cause)) == NULL)
		return NULL;
	buf_adds(&b, "{\n");
	export_field(&b, "name", d->name);
	export_field(&b, "span_id", d->span_id);
	export_field(&b, "parent_id", d->parent_id);
	export_field(&b, "trace_id", d->trace_id);
	export_field(&b, "type", span_type_name(sp->type));
	export_field(&b, "label", sp->label == STRTAB_EMPTY ? NULL : trace_str(t, sp->label));
	export_field(&b, "kind", d->kind);
	export_field(&b, "status", d->status);
	export_field(&b, "status_description", d->status_description);
	buf_adds(&b, "  \"start_time\": ");
	fmt_json_time(&b, d->start_ns);
	buf_adds(&b, ",\n  \"end_time\": ");
	fmt_json_time(&b, d->end_ns);
	buf_adds(&b, ",\n  \"duration_ms\": ");
	if (d->start_ns == SPAN_TIME_NONE || d->end_ns == SPAN_TIME_NONE)
		buf_adds(&b, "null");
	else
		fmt_ms(&b, d->end_ns - d->start_ns);
	buf_adds(&b, ",\n  \"attributes\": ");
	export_kv(&b, &d->attrs, 2);
	buf_adds(&b, ",\n  \"events\": [");
	for (k = 0; k < d->nevents; k++) {
		buf_adds(&b, k > 0 ? ",\n    {\"name\": " : "\n    {\"name\": ");
		buf_add_json_str_or_null(&b, d->events[k].name);
		buf_adds(&b, ", \"time\": ");
		fmt_json_time(&b, d->events[k].time_ns);
		buf_adds(&b, ", \"attributes\": ");
		export_kv(&b, &d->events[k].attrs, 4);
		buf_addc(&b, '}');
	}
	buf_adds(&b, d->nevents > 0 ? "\n  ],\n  \"resource\": " : "],\n  \"resource\": ");
	export_kv(&b, &d->resource, 2);
	buf_adds(&b, "\n}\n");
	span_detail_free(d);
	return buf_detach(&b);
}

static void
export_outline_line(struct buf *b, struct trace *t, uint32_t node, uint32_t level)
{
	const struct span *sp;
	const char *s;

	buf_printf(b, "%*s- ", (int)level * 2, "");
	if (trace_is_placeholder(t, node)) {
		buf_adds(b, "(missing parent ");
		s = trace_str(t, trace_placeholder_id(t, node));
		text_sanitize(b, s, strlen(s), 0);
		buf_adds(b, ")\n");
		return;
	}
	sp = trace_span(t, node);
	buf_adds(b, "**");
	s = trace_str(t, sp->name);
	text_sanitize(b, s, strlen(s), 0);
	buf_printf(b, "** %s", span_type_name(sp->type));
	if (sp->label != STRTAB_EMPTY) {
		buf_adds(b, " `");
		s = trace_str(t, sp->label);
		text_sanitize(b, s, strlen(s), 0);
		buf_addc(b, '`');
	}
	buf_adds(b, " — ");
	if (sp->start_ns != SPAN_TIME_NONE && sp->end_ns != SPAN_TIME_NONE)
		fmt_duration(b, sp->end_ns - sp->start_ns);
	else
		buf_adds(b, "running");
	buf_printf(b, ", %s", span_status_name(sp->status));
	if (sp->tok_in > 0 || sp->tok_out > 0)
		buf_printf(b, ", tokens %lld in / %lld out",
		    (long long)(sp->tok_in > 0 ? sp->tok_in : 0),
		    (long long)(sp->tok_out > 0 ? sp->tok_out : 0));
	buf_addc(b, '\n');
}

char *
export_outline(struct trace *t, uint32_t node)
{
	struct buf b = BUF_INIT;
	uint32_t pos = trace_pos(t, node), size = trace_subtree_size(t, node), k, n;
	uint32_t base = trace_depth(t, node);

	for (k = 0; k < size; k++) {
		n = trace_order(t, pos + k);
		export_outline_line(&b, t, n, trace_depth(t, n) - base);
	}
	return buf_detach(&b);
}

int
export_osc52(struct buf *out, const char *data, size_t n, char **cause)
{
	static const char b64[] =
	    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
	const unsigned char *p = (const unsigned char *)data;
	struct buf size = BUF_INIT;
	size_t i;
	unsigned v;

	if (n > EXPORT_COPY_MAX) {
		export_size(&size, n);
		*cause = xasprintf("not copied: %s is over the %d KB a terminal takes "
		    "through OSC 52; use o (pager) or | (pipe) instead", buf_str(&size),
		    EXPORT_COPY_MAX / 1024);
		buf_free(&size);
		return -1;
	}
	buf_adds(out, "\033]52;c;");
	for (i = 0; i + 2 < n; i += 3) {
		v = (unsigned)p[i] << 16 | (unsigned)p[i + 1] << 8 | p[i + 2];
		buf_addc(out, b64[v >> 18 & 63]);
		buf_addc(out, b64[v >> 12 & 63]);
		buf_addc(out, b64[v >> 6 & 63]);
		buf_addc(out, b64[v & 63]);
	}
	if (n - i == 1) {
		v = (unsigned)p[i] << 16;
		buf_addc(out, b64[v >> 18 & 63]);
		buf_addc(out, b64[v >> 12 & 63]);
		buf_adds(out, "==");
	} else if (n - i == 2) {
		v = (unsigned)p[i] << 16 | (unsigned)p[i + 1] << 8;
		buf_addc(out, b64[v >> 18 & 63]);
		buf_addc(out, b64[v >> 12 & 63]);
		buf_addc(out, b64[v >> 6 & 63]);
		buf_addc(out, '=');
	}
	buf_addc(out, '\a');
	return 0;
}

void
export_size(struct buf *b, size_t n)
{
	if (n < 1024)
		buf_printf(b, "%zu B", n);
	else if (n < 1024 * 1024)
		buf_printf(b, "%.1f KB", (double)n / 1024);
	else
		buf_printf(b, "%.1f MB", (double)n / (1024 * 1024));
}
