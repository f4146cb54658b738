/* SPDX-License-Identifier: MIT */
/*
 * cli_diff.c — --diff A B: two runs compared (diff.c), as a tree with
 * +/-/~ marks for people or JSON Lines for scripts (doc/reference.md §9).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "cli.h"
#include "diff.h"
#include "fmt.h"
#include "glyphs.h"
#include "session.h"
#include "source.h"
#include "span.h"
#include "text.h"
#include "trace.h"
#include "xmalloc.h"

/* One side of the comparison: its own source, and the session read. */
struct cli_side {
	struct source src;
	bool have_src;
	struct cli_loaded *l;
	struct trace *t;
};

/* A is a source of its own when it names one ("-", a URL, a path; a '/'
 * or '.' means a path, which session ids never hold), else an id in the
 * shared source.  -1 after reporting. */
static int
cli_diff_open(struct cli_side *side, const char *source, const char *arg,
    const struct cli_opts *o)
{
	bool own = source_is_source_arg(arg) || strpbrk(arg, "/.") != NULL;
	char *cause = NULL;

	memset(side, 0, sizeof *side);
	if (source_init(&side->src, own ? arg : source, &cause) == -1) {
		cli_error("%s", cause);
		free(cause);
		return -1;
	}
	side->have_src = true;
	if ((side->l = cli_load(&side->src, own ? NULL : arg, o)) == NULL)
		return -1;
	side->t = session_trace(cli_loaded_session(side->l));
	return 0;
}

static void
cli_diff_close(struct cli_side *side)
{
	cli_unload(side->l);
	if (side->have_src)
		source_clear(&side->src);
}

static int64_t
cli_diff_ns(const struct span *sp)
{
	if (sp->start_ns == SPAN_TIME_NONE || sp->end_ns == SPAN_TIME_NONE)
		return -1;
	return sp->end_ns - sp->start_ns;
}

static void
cli_diff_json_tokens(struct buf *b, int64_t n)
{
	if (n < 0)
		buf_adds(b, "null");
	else
		buf_printf(b, "%lld", (long long)n);
}

/* One side's figures: {span_id,status,duration_ms,tokens_in,tokens_out}. */
static void
cli_diff_json_side(struct buf *b, struct trace *t, uint32_t node)
{
	const struct span *sp;
	int64_t ns;

	if (node == TRACE_NONE) {
		buf_adds(b, "null");
		return;
	}
	if (trace_is_placeholder(t, node)) {
		buf_adds(b, "{\"span_id\":");
		buf_add_json_str_or_null(b, trace_str(t, trace_placeholder_id(t, node)));
		buf_adds(b, ",\"status\":null,\"duration_ms\":null,\"tokens_in\":null,"
		    "\"tokens_out\":null,\"missing\":true}");
		return;
	}
	sp = trace_span(t, node);
	buf_adds(b, "{\"span_id\":");
	buf_add_json_str_or_null(b, trace_str(t, sp->id));
	buf_adds(b, ",\"status\":");
	buf_add_json_str_or_null(b, span_status_name(sp->status));
	buf_adds(b, ",\"duration_ms\":");
	if ((ns = cli_diff_ns(sp)) < 0)
		buf_adds(b, "null");
	else
		fmt_ms(b, ns);
	buf_adds(b, ",\"tokens_in\":");
	cli_diff_json_tokens(b, sp->tok_in);
	buf_adds(b, ",\"tokens_out\":");
	cli_diff_json_tokens(b, sp->tok_out);
	buf_addc(b, '}');
}

static void
cli_diff_json_row(struct buf *b, const struct diff *d, const struct diff_row *r)
{
	struct trace *t = r->a != TRACE_NONE ? d->ta : d->tb;
	uint32_t node = r->a != TRACE_NONE ? r->a : r->b;
	const struct span *sp;
	static const char *const what[] = { "status", "duration", "tokens", "attributes" };
	bool first = true;
	size_t k;

	buf_adds(b, "{\"change\":");
	buf_add_json_str_or_null(b, diff_change_name(r->change));
	buf_printf(b, ",\"depth\":%u", r->depth);
	if (trace_is_placeholder(t, node))
		buf_adds(b, ",\"type\":\"missing parent\",\"name\":null,\"label\":null");
	else {
		sp = trace_span(t, node);
		buf_adds(b, ",\"type\":");
		buf_add_json_str_or_null(b, span_type_name(sp->type));
		buf_adds(b, ",\"name\":");
		buf_add_json_str_or_null(b, trace_str(t, sp->name));
		buf_adds(b, ",\"label\":");
		buf_add_json_str_or_null(b, sp->label == STRTAB_EMPTY ? NULL : trace_str(t, sp->label));
	}
	buf_adds(b, ",\"a\":");
	cli_diff_json_side(b, d->ta, r->a);
	buf_adds(b, ",\"b\":");
	cli_diff_json_side(b, d->tb, r->b);
	buf_adds(b, ",\"ratio\":");
	if (r->ratio > 0)
		buf_printf(b, "%.3f", r->ratio);
	else
		buf_adds(b, "null");
	buf_adds(b, ",\"what\":[");
	for (k = 0; k < sizeof what / sizeof what[0]; k++) {
		if (!(r->what & (1u << k)))
			continue;
		buf_printf(b, "%s\"%s\"", first ? "" : ",", what[k]);
		first = false;
	}
	buf_adds(b, "]}\n");
}

/* Text output is sanitised even into a pipe, like every headless text. */
static void
cli_diff_text(struct buf *b, const char *s)
{
	text_sanitize(b, s, strlen(s), 0);
}

static void
cli_diff_tokens(struct buf *b, const struct span *sp)
{
	fmt_count(b, sp->tok_in > 0 ? sp->tok_in : 0);
	buf_addc(b, '/');
	fmt_count(b, sp->tok_out > 0 ? sp->tok_out : 0);
}

static void
cli_diff_duration(struct buf *b, const struct span *sp)
{
	int64_t ns = cli_diff_ns(sp);

	if (ns < 0)
		buf_adds(b, "(running)");
	else
		fmt_duration(b, ns);
}

/* The figures of a span on one side only, or of a pair that matches. */
static void
cli_diff_figures(struct buf *b, const struct span *sp)
{
	cli_diff_duration(b, sp);
	if (sp->status == SPAN_ERROR)
		buf_adds(b, "  ERROR");
	if (sp->tok_in > 0 || sp->tok_out > 0) {
		buf_adds(b, "  tokens ");
		cli_diff_tokens(b, sp);
	}
}

/* What changed in a pair, A → B. */
static void
cli_diff_changes(struct buf *b, const struct diff_row *r, const struct span *a,
    const struct span *sb)
{
	const char *arrow = glyphs_get()->arrow;

	/* The arrow stands between spaces: " → ". */
	if (!(r->what & DIFF_W_DURATION))
		cli_diff_duration(b, sb);
	else {
		cli_diff_duration(b, a);
		buf_printf(b, " %s ", arrow);
		cli_diff_duration(b, sb);
		buf_printf(b, " (%.2fx %s)", r->ratio >= 1 ? r->ratio : 1 / r->ratio,
		    r->ratio >= 1 ? "slower" : "faster");
	}
	if (r->what & DIFF_W_STATUS)
		buf_printf(b, "  status %s %s %s", span_status_name(a->status), arrow,
		    span_status_name(sb->status));
	else if (sb->status == SPAN_ERROR)
		buf_adds(b, "  ERROR");
	if (r->what & DIFF_W_TOKENS) {
		buf_adds(b, "  tokens ");
		cli_diff_tokens(b, a);
		buf_printf(b, " %s ", arrow);
		cli_diff_tokens(b, sb);
	} else if (sb->tok_in > 0 || sb->tok_out > 0) {
		buf_adds(b, "  tokens ");
		cli_diff_tokens(b, sb);
	}
	if (r->what & DIFF_W_ATTRS)
		buf_adds(b, "  attributes differ");
}

/*
 * The tree glyphs of row i: whether each level's row is the last of its
 * siblings decides "│  " or "   " above it, and "├─ " or "└─ " for it.
 * last[] is computed backwards once: a row is last when no later row at
 * its depth comes before a shallower one.
 */
static bool *
cli_diff_lasts(const struct diff *d)
{
	bool *last = xcalloc(d->n ? d->n : 1, sizeof *last);
	uint32_t maxd = 0, k;
	bool *seen;
	size_t i;

	for (i = 0; i < d->n; i++)
		if (d->rows[i].depth > maxd)
			maxd = d->rows[i].depth;
	seen = xcalloc((size_t)maxd + 2, sizeof *seen);
	for (i = d->n; i-- > 0;) {
		last[i] = !seen[d->rows[i].depth];
		seen[d->rows[i].depth] = true;
		for (k = d->rows[i].depth + 1; k <= maxd; k++)
			seen[k] = false;
	}
	free(seen);
	return last;
}

static void
cli_diff_text_row(struct buf *b, const struct diff *d, size_t i, const bool *last,
    bool *open, const struct glyphs *g)
{
	const struct diff_row *r = &d->rows[i];
	struct trace *t = r->a != TRACE_NONE ? d->ta : d->tb;
	uint32_t node = r->a != TRACE_NONE ? r->a : r->b, k;
	const struct span *sp;

	buf_adds(b, r->change == DIFF_ADDED ? "+ " : r->change == DIFF_REMOVED ? "- " :
	    r->change == DIFF_CHANGED ? "~ " : "  ");
	for (k = 1; k < r->depth; k++)
		buf_adds(b, open[k] ? g->guide_pipe : g->guide_blank);
	if (r->depth > 0)
		buf_adds(b, last[i] ? g->guide_elbow : g->guide_tee);
	open[r->depth] = !last[i];
	if (trace_is_placeholder(t, node)) {
		buf_adds(b, "? missing parent\n");
		return;
	}
	sp = trace_span(t, node);
	cli_diff_text(b, trace_str(t, sp->name));
	buf_adds(b, "  ");
	buf_adds(b, span_type_name(sp->type));
	if (sp->label != STRTAB_EMPTY) {
		buf_addc(b, ' ');
		cli_diff_text(b, trace_str(t, sp->label));
	}
	buf_adds(b, "  ");
	if (r->a != TRACE_NONE && r->b != TRACE_NONE)
		cli_diff_changes(b, r, sp, trace_span(d->tb, r->b));
	else
		cli_diff_figures(b, sp);
	buf_addc(b, '\n');
}

static void
cli_diff_header(struct buf *b, const char *mark, const char *arg, struct cli_side *s)
{
	struct session_meta m;

	session_meta_get(cli_loaded_session(s->l), &m);
	buf_printf(b, "%s ", mark);
	cli_diff_text(b, arg);
	buf_adds(b, ": session ");
	cli_diff_text(b, m.id);
	buf_printf(b, ", %s, %u spans", session_status_name(m.status), m.span_count);
	if (m.started_at != SPAN_TIME_NONE && m.ended_at != SPAN_TIME_NONE) {
		buf_adds(b, ", ");
		fmt_duration(b, m.ended_at - m.started_at);
	}
	buf_addc(b, '\n');
	session_meta_clear(&m);
}

static void
cli_diff_summary(struct buf *b, const struct diff *d)
{
	size_t i, added = 0, removed = 0, status = 0, slower = 0, faster = 0, tokens = 0,
	    attrs = 0;
	const struct diff_row *r;

	for (i = 0; i < d->n; i++) {
		r = &d->rows[i];
		added += r->change == DIFF_ADDED;
		removed += r->change == DIFF_REMOVED;
		status += (r->what & DIFF_W_STATUS) != 0;
		slower += (r->what & DIFF_W_DURATION) && r->ratio >= 1;
		faster += (r->what & DIFF_W_DURATION) && r->ratio < 1;
		tokens += (r->what & DIFF_W_TOKENS) != 0;
		attrs += (r->what & DIFF_W_ATTRS) != 0;
	}
	buf_printf(b, "%zu added, %zu removed, %zu status changed, %zu slower, %zu faster "
	    "(threshold %.2fx), %zu tokens changed, %zu attributes changed\n", added,
	    removed, status, slower, faster, d->threshold, tokens, attrs);
}

int
cli_diff(const char *source, const char *a, const char *b, double threshold,
    const struct cli_opts *o)
{
	struct cli_side sa, sb;
	struct diff *d;
	struct buf out = BUF_INIT;
	const struct glyphs *g = glyphs_get();
	bool *last, *open;
	uint32_t maxd = 0;
	size_t i;
	int rc;

	if (cli_diff_open(&sa, source, a, o) == -1) {
		cli_diff_close(&sa);
		return 2;
	}
	if (cli_diff_open(&sb, source, b, o) == -1) {
		cli_diff_close(&sa);
		cli_diff_close(&sb);
		return 2;
	}
	d = diff_new(sa.t, sb.t, threshold);
	diff_attributes(d, cli_loaded_session(sa.l), cli_loaded_session(sb.l));
	if (o->json) {
		for (i = 0; i < d->n; i++) {
			cli_diff_json_row(&out, d, &d->rows[i]);
			if (out.len > 65536) {
				fwrite(out.p, 1, out.len, stdout);
				buf_reset(&out);
			}
		}
	} else {
		cli_diff_header(&out, "---", a, &sa);
		cli_diff_header(&out, "+++", b, &sb);
		last = cli_diff_lasts(d);
		for (i = 0; i < d->n; i++)
			if (d->rows[i].depth > maxd)
				maxd = d->rows[i].depth;
		open = xcalloc((size_t)maxd + 1, sizeof *open);
		for (i = 0; i < d->n; i++) {
			cli_diff_text_row(&out, d, i, last, open, g);
			if (out.len > 65536) {
				fwrite(out.p, 1, out.len, stdout);
				buf_reset(&out);
			}
		}
		cli_diff_summary(&out, d);
		free(open);
		free(last);
	}
	fwrite(out.p != NULL ? out.p : "", 1, out.len, stdout);
	buf_free(&out);
	rc = diff_differs(d) ? 1 : 0;
	diff_free(d);
	cli_diff_close(&sa);
	cli_diff_close(&sb);
	return rc;
}
