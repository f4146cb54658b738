/* SPDX-License-Identifier: MIT */
/* cli.c — headless output: session list, span tree dump, tail. */
#include "cli.h"

#include <errno.h>
#include <langinfo.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "buf.h"
#include "cost.h"
#include "critpath.h"
#include "filter.h"
#include "fmt.h"
#include "http.h"
#include "remote.h"
#include "jscan.h"
#include "prices.h"
#include "session.h"
#include "source.h"
#include "sources.h"
#include "span.h"
#include "span_detail.h"
#include "detail_json.h"
#include "stats.h"
#include "workpool.h"
#include "text.h"
#include "trace.h"
#include "treeguide.h"
#include "tracefile.h"
#include "xmalloc.h"

/* How often --tail looks for new bytes in a file, and asks an inspector. */
#define CLI_TAIL_INTERVAL_MS 200
#define CLI_TAIL_REMOTE_MS 1000
/* Range requests that resume a download that broke off (--list, --dump). */
#define CLI_RESUME_TRIES 5

static volatile sig_atomic_t cli_stop;
/* The first error writing standard output (0 while none): a full disk or
 * a closed descriptor must not pass for success (SIGPIPE still ends the
 * process the usual way). */
static int cli_write_errno;

/* Messages carry paths, ids and servers' words (a Content-Type, a
 * status line), all untrusted: sanitised, they are always one line and
 * never a control sequence. */
void
cli_error(const char *fmt, ...)
{
	struct buf msg = BUF_INIT, out = BUF_INIT;
	va_list ap;

	va_start(ap, fmt);
	buf_vprintf(&msg, fmt, ap);
	va_end(ap);
	buf_adds(&out, "mcp-inspect-tui: ");
	text_sanitize(&out, msg.p, msg.len, 0);
	buf_addc(&out, '\n');
	fflush(stdout);
	fwrite(out.p, 1, out.len, stderr);
	buf_free(&msg);
	buf_free(&out);
}

/* Text output is sanitised even into a pipe: the JSON output is the exact
 * channel for scripts, and a log file of escapes is a hazard later. */
static void
cli_add_text(struct buf *b, const char *s)
{
	text_sanitize(b, s, strlen(s), 0);
}

static void
cli_add_json_ms(struct buf *b, int64_t start, int64_t end)
{
	if (start == SPAN_TIME_NONE || end == SPAN_TIME_NONE)
		buf_adds(b, "null");
	else
		fmt_ms(b, end - start);
}

static void
cli_flush(struct buf *b)
{
	errno = 0;
	if (fwrite(b->p != NULL ? b->p : "", 1, b->len, stdout) != b->len &&
	    cli_write_errno == 0)
		cli_write_errno = errno != 0 ? errno : EIO;
	buf_reset(b);
}

/* Bad lines --dump lists on stderr, one each, before it counts the rest. */
#define CLI_BAD_LINES_SHOWN 100

/* Flush standard output; false once any write to it has failed. */
static bool
cli_output_ok(void)
{
	errno = 0;
	if ((fflush(stdout) == EOF || ferror(stdout)) && cli_write_errno == 0)
		cli_write_errno = errno != 0 ? errno : EIO;
	return cli_write_errno == 0;
}

int
cli_output_close(void)
{
	bool ok = cli_output_ok();

	errno = 0;
	if (fclose(stdout) == EOF && ok) {
		cli_write_errno = errno != 0 ? errno : EIO;
		ok = false;
	}
	if (ok)
		return 0;
	cli_error("cannot write standard output: %s", strerror(cli_write_errno));
	return -1;
}

/* Report what went wrong while reading, one line each. */
static void
cli_report(struct session *s)
{
	const struct trace_stats *st = trace_stats(session_trace(s));
	size_t i;

	for (i = 0; i < session_nwarnings(s); i++)
		cli_error("warning: %s", session_warning(s, i));
	if (st->bad_lines > 0)
		cli_error("warning: session %s: %llu bad line%s (first: %s)", session_id(s),
		    (unsigned long long)st->bad_lines, st->bad_lines == 1 ? "" : "s",
		    session_first_bad(s) ? session_first_bad(s) : "?");
}

/* --dump: after the count and the first, every further bad line, one
 * each, up to CLI_BAD_LINES_SHOWN; then how many more there were. */
static void
cli_report_bad_lines(struct session *s)
{
	uint64_t bad = trace_stats(session_trace(s))->bad_lines, shown = 1;
	size_t i, kept = session_nbad_kept(s);

	for (i = 1; i < kept && shown < CLI_BAD_LINES_SHOWN; i++, shown++)
		cli_error("warning: bad line: %s", session_bad_line(s, i));
	if (bad > shown)
		cli_error("warning: session %s: %llu more bad lines not shown",
		    session_id(s), (unsigned long long)(bad - shown));
}

/* Duplicated ids and broken cycles, from the tree snapshot (build it
 * first): they change where spans are shown, so they are said once. */
static void
cli_report_structure(struct session *s)
{
	struct buf b = BUF_INIT;

	if (trace_describe_structure(session_trace(s), &b))
		cli_error("warning: session %s: %s", session_id(s), buf_str(&b));
	buf_free(&b);
}

static void
cli_read_all(struct session *s)
{
	while (session_read(s, TRACEFILE_ALL) == 1)
		;
	session_finish(s);
}

/* Unpriced tokens: said once per run, with how to price them. */
static void
cli_cost_hint(const char *unpriced)
{
	static bool said;
	struct buf b = BUF_INIT;

	if (unpriced == NULL || *unpriced == '\0' || said)
		return;
	said = true;
	cost_hint(&b, unpriced);
	cli_error("note: %s", buf_str(&b));
	buf_free(&b);
}

/* The price table's own complaints, once per run. */
static void
cli_prices_warnings(void)
{
	static bool said;
	const struct prices *p = prices_default();
	size_t i;

	if (said)
		return;
	said = true;
	for (i = 0; i < prices_nwarnings(p); i++)
		cli_error("warning: %s", prices_warning(p, i));
}

static void
cli_add_json_cost(struct buf *b, const struct cost *c)
{
	if (c->known)
		buf_printf(b, "%.9g", c->usd);
	else
		buf_adds(b, "null");
}

static struct filter *
cli_filter(const struct cli_opts *o, int *failed)
{
	struct filter *f;
	char *cause = NULL;

	*failed = 0;
	if (o->filter == NULL)
		return NULL;
	if ((f = filter_parse(o->filter, &cause)) == NULL) {
		cli_error("%s", cause);
		free(cause);
		*failed = 1;
	}
	return f;
}

/*
 * Remote sources: the session list and the traces come from an inspector;
 * each trace is spooled (decompressed) and then read exactly like a local
 * file, so the output is the same for the same trace.
 */

struct cli_remote {
	struct remote *ins;
	struct remote_session *s;   /* copied from /sessions */
	size_t n;
	char *error;
	bool got;
	struct remote_trace *trace;  /* the last trace downloaded (for --tail) */
	char *warned;              /* the --tail warning printed last */
};

static struct remote *
cli_inspector(const struct source *src, const struct cli_opts *o)
{
	struct remote *ins;
	char *cause = NULL;

	if ((ins = remote_new(src->where, o->token, &cause)) == NULL) {
		cli_error("%s", cause);
		free(cause);
	}
	return ins;
}

static void
cli_remote_got(void *arg, const struct remote_session *s, size_t n, const char *error)
{
	struct cli_remote *r = arg;
	size_t i;

	r->got = true;
	if (error != NULL) {
		r->error = xstrdup(error);
		return;
	}
	r->s = xcalloc(n ? n : 1, sizeof *r->s);
	r->n = n;
	for (i = 0; i < n; i++) {
		r->s[i] = s[i];
		r->s[i].id = xstrdup(s[i].id);
		r->s[i].status = s[i].status ? xstrdup(s[i].status) : NULL;
		r->s[i].engine = s[i].engine ? xstrdup(s[i].engine) : NULL;
		r->s[i].title = s[i].title ? xstrdup(s[i].title) : NULL;
	}
}

static void
cli_remote_clear(struct cli_remote *r)
{
	size_t i;

	for (i = 0; i < r->n; i++) {
		free(r->s[i].id);
		free(r->s[i].status);
		free(r->s[i].engine);
		free(r->s[i].title);
	}
	free(r->s);
	free(r->error);
	free(r->warned);
	remote_free(r->ins);
}

/* GET /sessions, waiting for the answer.  -1 after reporting why (as a
 * warning when other sources go on). */
static int
cli_remote_list(struct cli_remote *r, bool warn)
{
	remote_get_sessions(r->ins, cli_remote_got, r);
	http_run(remote_http(r->ins), NULL, NULL);
	if (r->error != NULL) {
		cli_error("%s%s", warn ? "warning: " : "", r->error);
		return -1;
	}
	return 0;
}

static bool
cli_traces_idle(void *arg)
{
	struct remote_trace **t = arg;

	for (; *t != NULL; t++) {
		if (remote_trace_busy(*t))
			return false;
	}
	return true;
}

/* Downloads that broke off are resumed with Range from what was decoded,
 * a few times: a server that cuts every answer still ends. */
static void
cli_remote_resume(struct cli_remote *r, struct remote_trace **t, size_t n)
{
	size_t i, tries, left;

	for (tries = 0; tries < CLI_RESUME_TRIES; tries++) {
		for (i = left = 0; i < n; i++) {
			if (remote_trace_partial(t[i])) {
				remote_trace_tail(t[i]);
				left++;
			}
		}
		if (left == 0)
			break;
		http_run(remote_http(r->ins), cli_traces_idle, t);
	}
}

/* Download the traces of sessions which[0..n) of r and make refs for
 * them; a trace that fails is reported (as a warning unless fatal) and
 * counted in *nfailed. */
static struct session_ref *
cli_remote_refs(struct cli_remote *r, const size_t *which, size_t n, bool fatal,
    size_t *nfailed)
{
	struct remote_trace **t = xcalloc(n + 1, sizeof *t);
	struct session_ref *refs = xcalloc(n ? n : 1, sizeof *refs);
	size_t i;

	for (i = 0; i < n; i++)
		t[i] = remote_trace_get(r->ins, r->s[which[i]].id);
	http_run(remote_http(r->ins), cli_traces_idle, t);
	cli_remote_resume(r, t, n);
	r->trace = n > 0 ? t[n - 1] : NULL;
	*nfailed = 0;
	for (i = 0; i < n; i++) {
		/* A download stopped at a limit, or broken off and not resumed,
		 * still gives what came before. */
		if (remote_trace_error(t[i]) != NULL && (remote_trace_truncated(t[i]) ||
		    remote_trace_partial(t[i])))
			cli_error("warning: %s", remote_trace_error(t[i]));
		else if (remote_trace_error(t[i]) != NULL) {
			cli_error("%s%s", fatal ? "" : "warning: ", remote_trace_error(t[i]));
			(*nfailed)++;
		}
		refs[i].id = xstrdup(r->s[which[i]].id);
		refs[i].files = xcalloc(1, sizeof *refs[i].files);
		refs[i].files[0] = xasprintf("%s/trace/%s", remote_base(r->ins),
		    r->s[which[i]].id);
		refs[i].nfiles = 1;
		refs[i].spooled = true;
		refs[i].fd = remote_trace_fd(t[i]);
		refs[i].bytes = remote_trace_bytes(t[i]);
	}
	free(t);
	return refs;
}

/* The sessions of a source, ready to read: a directory scan, or for an
 * inspector every session with its trace downloaded.  -1 after reporting
 * (as a warning with warn: other sources go on). */
static int
cli_source_refs(const struct source *src, const struct cli_opts *o, bool warn,
    struct cli_remote *r, struct session_ref **refs, size_t *n)
{
	char *cause = NULL;
	size_t *all, i, nfailed;

	memset(r, 0, sizeof *r);
	*refs = NULL;
	*n = 0;
	if (src->kind != SOURCE_URL) {
		if (source_scan(src, refs, n, &cause) == -1) {
			cli_error("%s%s", warn ? "warning: " : "", cause);
			free(cause);
			return -1;
		}
		return 0;
	}
	if ((r->ins = cli_inspector(src, o)) == NULL || cli_remote_list(r, warn) == -1)
		return -1;
	all = xcalloc(r->n ? r->n : 1, sizeof *all);
	for (i = 0; i < r->n; i++)
		all[i] = i;
	*refs = cli_remote_refs(r, all, r->n, false, &nfailed);
	*n = r->n;
	free(all);
	return 0;
}

/*
 * --list
 */

static int
cli_row_cmp(const void *pa, const void *pb)
{
	const struct session_summary *a = pa, *b = pb;

	if (a->meta.started_at != b->meta.started_at)
		return a->meta.started_at > b->meta.started_at ? -1 : 1; /* NONE sorts last */
	return strcmp(a->meta.id, b->meta.id);
}

/* What went wrong while reading a session, one line each. */
static void
cli_report_summary(const struct session_summary *sum)
{
	size_t i;

	for (i = 0; i < sum->nwarnings; i++)
		cli_error("warning: %s", sum->warnings[i]);
	if (sum->meta.bad_lines > 0)
		cli_error("warning: session %s: %llu bad line%s (first: %s)", sum->meta.id,
		    (unsigned long long)sum->meta.bad_lines, sum->meta.bad_lines == 1 ? "" : "s",
		    sum->first_bad ? sum->first_bad : "?");
}

/*
 * {"line":N,"reason":"…"} of a bad line's message "FILE:N: why", or null.
 * The file is left out: it is a path here and a URL over HTTP, and the
 * output is the same for both (stderr and the browser's w name it).
 */
static void
cli_add_json_bad_line(struct buf *b, const char *msg)
{
	const char *p, *q;

	for (p = msg; p != NULL && (p = strchr(p, ':')) != NULL; p++) {
		for (q = p + 1; *q >= '0' && *q <= '9'; q++)
			;
		if (q > p + 1 && q[0] == ':' && q[1] == ' ') {
			buf_printf(b, "{\"line\":%.*s,\"reason\":", (int)(q - p - 1),
			    p + 1);
			buf_add_json_str_or_null(b, q + 2);
			buf_addc(b, '}');
			return;
		}
	}
	buf_adds(b, "null");
}

/* first_bad: the first bad line's "FILE:LINE: why", or NULL; source:
 * the source it came from when the list has several, or NULL. */
static void
cli_list_json_row(struct buf *b, const struct session_meta *m,
    const char *first_bad, const char *source, bool first)
{
	buf_adds(b, first ? "\n" : ",\n");
	buf_adds(b, "{\"id\":");
	buf_add_json_str_or_null(b, m->id);
	buf_adds(b, ",\"title\":");
	buf_add_json_str_or_null(b, m->title);
	buf_adds(b, ",\"status\":");
	buf_add_json_str_or_null(b, session_status_name(m->status));
	buf_adds(b, ",\"engine\":");
	buf_add_json_str_or_null(b, m->engine);
	buf_adds(b, ",\"started_at\":");
	fmt_json_time(b, m->started_at);
	buf_adds(b, ",\"ended_at\":");
	fmt_json_time(b, m->ended_at);
	buf_adds(b, ",\"duration_ms\":");
	cli_add_json_ms(b, m->started_at, m->ended_at);
	buf_printf(b, ",\"span_count\":%u,\"error_count\":%u,\"bad_lines\":%llu,"
	    "\"tokens_in\":%lld,\"tokens_out\":%lld,\"tokens_cache_read\":%lld,"
	    "\"tokens_cache_write\":%lld,\"cost_usd\":", m->span_count,
	    m->error_count, (unsigned long long)m->bad_lines, (long long)m->tokens_in,
	    (long long)m->tokens_out, (long long)m->tokens_cache_read,
	    (long long)m->tokens_cache_write);
	cli_add_json_cost(b, &(struct cost){ m->cost_usd, m->cost_known, NULL });
	buf_adds(b, ",\"first_bad_line\":");
	cli_add_json_bad_line(b, first_bad);
	if (source != NULL) {
		buf_adds(b, ",\"source\":");
		buf_add_json_str_or_null(b, source);
	}
	buf_addc(b, '}');
}

/* Pad the column that starts at `from` to width; a value too wide for
 * its column still gets one space before the next. */
static void
cli_pad(struct buf *b, size_t from, int width)
{
	int w = text_width(b->p + from, b->len - from);

	do
		buf_addc(b, ' ');
	while (++w < width);
}

/* source: the row's source's short name when the list has several (a
 * column srcw wide), or NULL. */
static void
cli_list_text_row(struct buf *b, const struct session_meta *m, const char *source,
    int srcw)
{
	size_t at = b->len;

	buf_adds(b, session_status_name(m->status));
	cli_pad(b, at, 11);
	at = b->len;
	if (m->started_at != SPAN_TIME_NONE)
		fmt_time_short(b, m->started_at);
	else
		buf_adds(b, "-");
	cli_pad(b, at, 21);
	at = b->len;
	if (m->started_at != SPAN_TIME_NONE && m->ended_at != SPAN_TIME_NONE)
		fmt_duration(b, m->ended_at - m->started_at);
	else
		buf_adds(b, "-");
	cli_pad(b, at, 10);
	buf_printf(b, "%6u %6u ", m->span_count, m->error_count);
	at = b->len;
	fmt_count(b, m->tokens_in);
	buf_addc(b, '/');
	fmt_count(b, m->tokens_out);
	cli_pad(b, at, 13);
	at = b->len;
	if (m->cost_known && (m->tokens_in > 0 || m->tokens_out > 0))
		cost_format(b, m->cost_usd);
	else
		buf_adds(b, m->cost_known ? "-" : "?");
	cli_pad(b, at, 9);
	at = b->len;
	cli_add_text(b, m->engine);
	cli_pad(b, at, 9);
	buf_addc(b, ' ');
	if (source != NULL) {
		at = b->len;
		cli_add_text(b, source);
		cli_pad(b, at, srcw);
	}
	cli_add_text(b, m->id);
	buf_adds(b, "  ");
	cli_add_text(b, m->title);
	if (m->status == SESSION_PAUSED && m->signal_name != NULL) {
		buf_adds(b, "  [waiting on ");
		cli_add_text(b, m->signal_name);
		if (m->signal_prompt != NULL) {
			buf_adds(b, ": ");
			cli_add_text(b, m->signal_prompt);
		}
		buf_addc(b, ']');
	}
	if (m->bad_lines > 0)
		buf_printf(b, "  (%llu bad line%s)", (unsigned long long)m->bad_lines,
		    m->bad_lines == 1 ? "" : "s");
	buf_addc(b, '\n');
}

/* A remote session whose trace gave no span (not written yet, or it
 * failed, which was reported) is shown as the inspector describes it. */
static void
cli_remote_meta(struct session_summary *sum, const struct remote_session *s)
{
	struct session_meta *m = &sum->meta;

	if (s->title != NULL) {
		free(m->title);
		m->title = xstrdup(s->title);
	}
	/* A copy the summary owns: the row outlives the inspector's list
	 * (rows of several sources are printed after all are read). */
	if (s->engine != NULL) {
		free(sum->engine);
		m->engine = sum->engine = xstrdup(s->engine);
	}
	m->status = session_status_parse(s->status);
	m->started_at = s->started_at;
	m->ended_at = s->ended_at;
}

/* A real inspector's rotated session: /trace/ID served the base file
 * only, so the status read from it is a guess from part of the trace;
 * the inspector's stands (with its title and times, which it read from
 * every file), and what is missing is said (doc/reference.md §4). */
static void
cli_remote_partial(struct session_summary *sum, const struct remote_session *s)
{
	cli_error("warning: session %s: %u rotated chunk%s not served by the "
	    "inspector (counts are of the base file; status, title and times "
	    "are the inspector's)", s->id, s->chunks, s->chunks == 1 ? "" : "s");
	cli_remote_meta(sum, s);
}

/* Standard input not read to its end (spool limit, full disk) is a
 * runtime failure: what was read is printed, but it is not the session. */
static int
cli_stdin_rc(const struct source *src, int rc)
{
	return rc == 0 && src->kind == SOURCE_STDIN && tracefile_stdin_error() != NULL ?
	    1 : rc;
}

/* A row of --list: a session's summary and the source it came from. */
struct cli_row {
	struct session_summary sum;
	size_t source;
};

static int
cli_list_row_cmp(const void *pa, const void *pb)
{
	const struct cli_row *a = pa, *b = pb;
	int c = cli_row_cmp(&a->sum, &b->sum);

	if (c != 0)
		return c;
	return a->source < b->source ? -1 : a->source > b->source;
}

/* The rows of source k that pass the filter, appended to *rows; what went
 * wrong reading them reported.  -1 after reporting that the source cannot
 * be read (a warning with warn: the other sources are still listed). */
static int
cli_list_source(const struct source *src, size_t k, const struct cli_opts *o,
    const struct filter *f, bool warn, struct cli_row **rows, size_t *nrows)
{
	struct session_ref *refs;
	struct session_summary *sums;
	struct cli_remote remote;
	struct filter_subject fs;
	size_t n, i;

	if (cli_source_refs(src, o, warn, &remote, &refs, &n) == -1) {
		cli_remote_clear(&remote);
		return -1;
	}
	sums = xcalloc(n ? n : 1, sizeof *sums);
	session_summarise(refs, n, sums);
	*rows = xreallocarray(*rows, *nrows + n + 1, sizeof **rows);
	for (i = 0; i < n; i++) {
		if (remote.ins != NULL && sums[i].meta.span_count == 0)
			cli_remote_meta(&sums[i], &remote.s[i]);
		else if (remote.ins != NULL && remote.s[i].chunks > 0)
			cli_remote_partial(&sums[i], &remote.s[i]);
		cli_report_summary(&sums[i]);
		if (!sums[i].meta.cost_known)
			cli_cost_hint(sums[i].meta.cost_unpriced);
		session_subject(&sums[i].meta, &fs);
		if (f != NULL && !filter_match(f, &fs)) {
			session_summary_clear(&sums[i]);
			continue;
		}
		(*rows)[*nrows].sum = sums[i];
		(*rows)[(*nrows)++].source = k;
	}
	free(sums);
	session_refs_free(refs, n);
	cli_remote_clear(&remote);
	return cli_stdin_rc(src, 0) == 0 ? 0 : 1;
}

/* The SOURCE column of several sources' text list: the widest name. */
static int
cli_source_width(char **labels, size_t n)
{
	size_t i;
	int w = 6, lw;

	for (i = 0; i < n; i++) {
		lw = text_width(labels[i], strlen(labels[i]));
		if (lw > w)
			w = lw;
	}
	return w + 1;
}

/* "a, b and c": the sources, for "no sessions in ...". */
static void
cli_add_sources(struct buf *b, const struct source *src, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		if (i > 0)
			buf_adds(b, i + 1 == n ? " and " : ", ");
		buf_adds(b, src[i].where);
	}
}

/*
 * --list of one source or several: their rows merged, newest first.  With
 * several, each row names its source (a SOURCE column; "source" in JSON)
 * and a source that cannot be read costs a warning, not the others:
 * the exit status is then 1, as any runtime failure's.
 */
int
cli_list(const struct source *src, size_t nsrc, const struct cli_opts *o)
{
	struct cli_row *rows = NULL;
	struct filter *f;
	struct buf b = BUF_INIT;
	char **labels;
	size_t nrows = 0, i, k;
	int failed, rc = 0, r, srcw = 0;
	bool multi = nsrc > 1;

	f = cli_filter(o, &failed);
	if (failed)
		return 2;
	for (k = 0; k < nsrc; k++) {
		r = cli_list_source(&src[k], k, o, f, multi, &rows, &nrows);
		if (r == -1 && !multi) {
			filter_free(f);
			free(rows);
			return 1;
		}
		if (r != 0)
			rc = 1;
	}
	cli_prices_warnings();
	labels = xcalloc(nsrc ? nsrc : 1, sizeof *labels);
	sources_labels(src, nsrc, labels);
	if (multi)
		srcw = cli_source_width(labels, nsrc);
	if (nrows > 0)
		qsort(rows, nrows, sizeof *rows, cli_list_row_cmp);
	if (o->json)
		buf_adds(&b, "{\"sessions\":[");
	else if (nrows > 0) {
		buf_adds(&b, "STATUS     STARTED (UTC)        DURATION   SPANS ERRORS "
		    "TOKENS IN/OUT COST     ENGINE    ");
		if (multi)
			buf_printf(&b, "%-*s", srcw, "SOURCE");
		buf_adds(&b, "ID  TITLE\n");
	}
	for (i = 0; i < nrows; i++) {
		if (o->json)
			cli_list_json_row(&b, &rows[i].sum.meta, rows[i].sum.first_bad,
			    multi ? src[rows[i].source].where : NULL, i == 0);
		else
			cli_list_text_row(&b, &rows[i].sum.meta,
			    multi ? labels[rows[i].source] : NULL, srcw);
		session_summary_clear(&rows[i].sum);
	}
	if (o->json)
		buf_adds(&b, nrows > 0 ? "\n]}\n" : "]}\n");
	else if (nrows == 0) {
		struct buf w = BUF_INIT;

		cli_add_sources(&w, src, nsrc);
		cli_error("no sessions in %s%s", buf_str(&w),
		    f != NULL ? " match the filter" : "");
		buf_free(&w);
	}
	cli_flush(&b);
	buf_free(&b);
	for (k = 0; k < nsrc; k++)
		free(labels[k]);
	free(labels);
	free(rows);
	filter_free(f);
	return rc;
}

/*
 * A session id over several sources (--dump, --tail, --critical-path,
 * --stats): every source's sessions listed (a directory scanned, an
 * inspector's /sessions), the id matched across them (sources.c).
 */

/* The candidates of one source, appended; -1 after a warning when it
 * cannot be listed. */
static int
cli_resolve_source(const struct source *src, size_t k, const struct cli_opts *o,
    struct sources_cand **c, size_t *nc)
{
	struct session_ref *refs;
	struct cli_remote r;
	char *cause = NULL;
	size_t n, i;

	memset(&r, 0, sizeof r);
	if (src->kind != SOURCE_URL) {
		if (source_scan(src, &refs, &n, &cause) == -1) {
			cli_error("warning: %s", cause);
			free(cause);
			return -1;
		}
		*c = xreallocarray(*c, *nc + n + 1, sizeof **c);
		for (i = 0; i < n; i++)
			(*c)[(*nc)++] = (struct sources_cand){ xstrdup(refs[i].id), k,
			    (int64_t)refs[i].mtime * 1000000000 };
		session_refs_free(refs, n);
		return 0;
	}
	if ((r.ins = cli_inspector(src, o)) == NULL || cli_remote_list(&r, true) == -1) {
		cli_remote_clear(&r);
		return -1;
	}
	*c = xreallocarray(*c, *nc + r.n + 1, sizeof **c);
	for (i = 0; i < r.n; i++)
		(*c)[(*nc)++] = (struct sources_cand){ xstrdup(r.s[i].id), k,
		    r.s[i].started_at };
	cli_remote_clear(&r);
	return 0;
}

/* "session id 'x' is ambiguous: x (a), x (b); ...": the candidates with
 * the sources that list them, in the order of their ids, then of the
 * sources (m is sorted so: an insertion sort, as few as a command line's
 * sources list). */
static void
cli_resolve_ambiguous(const char *id, const struct sources_cand *c, size_t *m,
    size_t nm, char **labels)
{
	struct buf b = BUF_INIT;
	size_t i, j, t;
	int d;

	for (i = 1; i < nm; i++) {
		for (j = i; j > 0; j--) {
			d = strcmp(c[m[j - 1]].id, c[m[j]].id);
			if (d < 0 || (d == 0 && c[m[j - 1]].source <= c[m[j]].source))
				break;
			t = m[j];
			m[j] = m[j - 1];
			m[j - 1] = t;
		}
	}

	buf_printf(&b, "session id '%s' is ambiguous across the sources:", id);
	for (i = 0; i < nm && i < 10; i++)
		buf_printf(&b, "%s %s (%s)", i == 0 ? "" : ",", c[m[i]].id,
		    labels[c[m[i]].source]);
	if (nm > 10)
		buf_printf(&b, " and %zu more", nm - 10);
	buf_adds(&b, "; give more of the id, or only its SOURCE");
	cli_error("%s", buf_str(&b));
	buf_free(&b);
}

int
cli_resolve(const struct source *src, size_t nsrc, const char *id,
    const struct cli_opts *o, size_t *which, char **full)
{
	struct sources_cand *c = NULL;
	struct buf w = BUF_INIT;
	char **labels;
	size_t nc = 0, k, nm, *m;
	bool unread = false;
	int rc = 0;

	*full = NULL;
	for (k = 0; k < nsrc; k++) {
		if (cli_resolve_source(&src[k], k, o, &c, &nc) == -1)
			unread = true;
	}
	labels = xcalloc(nsrc ? nsrc : 1, sizeof *labels);
	sources_labels(src, nsrc, labels);
	nm = sources_match(c, nc, id, &m);
	cli_add_sources(&w, src, nsrc);
	if (nm == 1) {
		*which = c[m[0]].source;
		*full = xstrdup(c[m[0]].id);
	} else if (nm > 1) {
		cli_resolve_ambiguous(id, c, m, nm, labels);
		rc = 2;
	} else {
		if (id == NULL)
			cli_error("no sessions in %s%s", buf_str(&w), unread ?
			    " (some could not be read)" : "");
		else
			cli_error("unknown session '%s' in %s%s", id, buf_str(&w),
			    unread ? " (some could not be read)" : "");
		rc = 1;
	}
	buf_free(&w);
	free(m);
	for (k = 0; k < nc; k++)
		free((char *)c[k].id);
	free(c);
	for (k = 0; k < nsrc; k++)
		free(labels[k]);
	free(labels);
	return rc;
}

/*
 * --dump and --tail
 */

/* A session /sessions did not list, fetched by its full id with
 * /trace/ID as one more row of r.  NULL after reporting. */
static struct session *
cli_open_unlisted(struct cli_remote *r, const char *id)
{
	struct remote_trace *t[2];
	struct session_ref *ref;
	struct session *s;

	t[0] = remote_trace_get(r->ins, id);
	t[1] = NULL;
	http_run(remote_http(r->ins), cli_traces_idle, t);
	if (remote_trace_http_status(t[0]) == 404) {
		cli_error("unknown session '%s' at %s", id, remote_base(r->ins));
		return NULL;
	}
	if (remote_trace_error(t[0]) != NULL) {
		cli_error("%s%s", remote_trace_truncated(t[0]) ? "warning: " : "",
		    remote_trace_error(t[0]));
		if (!remote_trace_truncated(t[0]))
			return NULL;
	}
	r->trace = t[0];
	ref = xcalloc(1, sizeof *ref);
	ref->id = xstrdup(id);
	ref->files = xcalloc(1, sizeof *ref->files);
	ref->files[0] = xasprintf("%s/trace/%s", remote_base(r->ins), id);
	ref->nfiles = 1;
	ref->spooled = true;
	ref->fd = remote_trace_fd(t[0]);
	ref->bytes = remote_trace_bytes(t[0]);
	s = session_new(ref);
	session_refs_free(ref, 1);
	return s;
}

static int
cli_str_cmp(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* "session id 'x' is ambiguous in W: it begins a, b, c": the sessions
 * the prefix names (ids[0..n), those that begin with it; takes ids), in
 * the order of their ids, so the user sees how much more to give. */
static void
cli_ambiguous(const char *id, const char *where, const char **ids, size_t n)
{
	struct buf b = BUF_INIT;
	size_t i, shown = 0;

	qsort(ids, n, sizeof *ids, cli_str_cmp);
	buf_printf(&b, "session id '%s' is ambiguous in %s: it begins", id, where);
	for (i = 0; i < n; i++) {
		if (strncmp(ids[i], id, strlen(id)) != 0)
			continue;
		if (shown < 10)
			buf_printf(&b, "%s %s", shown == 0 ? "" : ",", ids[i]);
		shown++;
	}
	if (shown > 10)
		buf_printf(&b, " and %zu more", shown - 10);
	buf_adds(&b, "; give more of it");
	cli_error("%s", buf_str(&b));
	buf_free(&b);
	free(ids);
}

/* The remote session named by id (exact, else a unique prefix), or the
 * one started last; its trace downloaded.  NULL after reporting. */
static struct session *
cli_open_remote(struct cli_remote *r, const char *id)
{
	struct session_ref *ref;
	struct session *s;
	size_t i, pick = SIZE_MAX, matches = 0, nfailed;

	if (cli_remote_list(r, false) == -1)
		return NULL;
	for (i = 0; i < r->n; i++) {
		if (id == NULL) {
			if (pick == SIZE_MAX || r->s[i].started_at > r->s[pick].started_at)
				pick = i;
		} else if (strcmp(r->s[i].id, id) == 0) {
			pick = i;
			matches = 1;
			break;
		} else if (strncmp(r->s[i].id, id, strlen(id)) == 0) {
			pick = i;
			matches++;
		}
	}
	/* /sessions leaves out what it cannot summarise (a torn last gzip
	 * member): a full id is still asked for, and only a 404 makes it
	 * unknown. */
	if (pick == SIZE_MAX && id != NULL)
		return cli_open_unlisted(r, id);
	if (pick == SIZE_MAX || matches > 1) {
		if (id == NULL)
			cli_error("no sessions at %s", remote_base(r->ins));
		else if (matches > 1) {
			const char **ids = xcalloc(r->n, sizeof *ids);

			for (i = 0; i < r->n; i++)
				ids[i] = r->s[i].id;
			cli_ambiguous(id, remote_base(r->ins), ids, r->n);
		} else
			cli_error("unknown session '%s' at %s", id, remote_base(r->ins));
		return NULL;
	}
	if (r->s[pick].chunks > 0)
		cli_error("warning: session %s: %u rotated chunk%s not served by "
		    "the inspector: only the base file is shown", r->s[pick].id,
		    r->s[pick].chunks, r->s[pick].chunks == 1 ? "" : "s");
	ref = cli_remote_refs(r, &pick, 1, true, &nfailed);
	s = nfailed == 0 ? session_new(ref) : NULL;
	session_refs_free(ref, 1);
	return s;
}

/* Open the session named by id (or the only / most recent one). */
static struct session *
cli_open_session(const struct source *src, const char *id, const struct cli_opts *o,
    struct cli_remote *r)
{
	struct session_ref *refs;
	struct session *s;
	size_t n;
	long i;
	char *cause = NULL;

	memset(r, 0, sizeof *r);
	if (src->kind == SOURCE_URL)
		return (r->ins = cli_inspector(src, o)) != NULL ? cli_open_remote(r, id) : NULL;
	if (source_scan(src, &refs, &n, &cause) == -1) {
		cli_error("%s", cause);
		free(cause);
		return NULL;
	}
	if (n == 0) {
		cli_error("no sessions in %s", src->where);
		session_refs_free(refs, n);
		return NULL;
	}
	/* With one file, the id is not needed; the newest is the default. */
	i = id == NULL || src->kind != SOURCE_DIR ? 0 : session_ref_find(refs, n, id);
	if (i < 0) {
		if (i == -1)
			cli_error("unknown session '%s' in %s", id, src->where);
		else {
			const char **ids = xcalloc(n, sizeof *ids);
			size_t k;

			for (k = 0; k < n; k++)
				ids[k] = refs[k].id;
			cli_ambiguous(id, src->where, ids, n);
		}
		session_refs_free(refs, n);
		return NULL;
	}
	s = session_new(&refs[i]);
	session_refs_free(refs, n);
	return s;
}

/* A span's JSON object up to its detail fields, without the closing brace. */
static void
cli_span_json_head(struct buf *b, struct session *s, uint32_t i, uint32_t depth,
    bool orphan)
{
	struct trace *t = session_trace(s);
	const struct span *sp = trace_span(t, i);
	struct cost c;

	buf_printf(b, "{\"depth\":%u,\"span_id\":", depth);
	buf_add_json_str_or_null(b, trace_str(t, sp->id));
	buf_adds(b, ",\"parent_id\":");
	buf_add_json_str_or_null(b, sp->parent == STRTAB_EMPTY ? NULL :
	    trace_str(t, sp->parent));
	buf_adds(b, ",\"trace_id\":");
	buf_add_json_str_or_null(b, sp->trace_id == STRTAB_EMPTY ? NULL :
	    trace_str(t, sp->trace_id));
	buf_adds(b, ",\"name\":");
	buf_add_json_str_or_null(b, trace_str(t, sp->name));
	buf_adds(b, ",\"type\":");
	buf_add_json_str_or_null(b, span_type_name(sp->type));
	buf_adds(b, ",\"label\":");
	buf_add_json_str_or_null(b, sp->label == STRTAB_EMPTY ? NULL :
	    trace_str(t, sp->label));
	buf_adds(b, ",\"status\":");
	buf_add_json_str_or_null(b, span_status_name(sp->status));
	buf_adds(b, ",\"start_time\":");
	fmt_json_time(b, sp->start_ns);
	buf_adds(b, ",\"end_time\":");
	fmt_json_time(b, sp->end_ns);
	buf_adds(b, ",\"duration_ms\":");
	cli_add_json_ms(b, sp->start_ns, sp->end_ns);
	if (orphan)
		buf_adds(b, ",\"orphan\":true");
	cost_span(t, prices_default(), i, &c);
	buf_adds(b, ",\"cost_usd\":");
	cli_add_json_cost(b, &c);
	if (!c.known)
		cli_cost_hint(c.unpriced);
}

static void
cli_span_json(struct buf *b, struct session *s, uint32_t i, uint32_t depth,
    bool orphan, bool detail)
{
	struct span_detail *d;
	char *cause = NULL;

	cli_span_json_head(b, s, i, depth, orphan);
	if (detail) {
		if ((d = session_span_detail(s, i, &cause)) == NULL) {
			cli_error("warning: %s", cause);
			free(cause);
		}
		detail_json_fields(b, d);
		span_detail_free(d);
	}
	buf_adds(b, "}\n");
}

/*
 * --dump --json --detail: spans are done in batches, their lines fetched
 * here (the file's reader and its cache are not shared), then their
 * detail written on every core (workpool.c) in runs of CLI_DETAIL_RUN
 * spans, each run with its own scratch arena, then printed in order with
 * their warnings.  The detail is written straight from the line
 * (detail_json.c); the lines it declines go through jansson
 * (span_detail.c), with the same result.
 */
#define CLI_DETAIL_BATCH 1024
#define CLI_DETAIL_RUN 32

struct cli_djob {
	struct session *s;
	uint32_t node;
	char *line;	/* owned; NULL when it could not be fetched */
	size_t len;
	unsigned sub;	/* the span's index in its line */
	char *cause;	/* owned: why there is no detail */
	struct buf out;	/* the whole object, "}\n" included */
};

struct cli_dbatch {
	struct cli_djob *jobs;
	size_t n;
};

static void
cli_djob_one(struct cli_djob *j, struct jarena *arena)
{
	struct span_detail *d = NULL;

	if (j->line != NULL && detail_json_write(&j->out, j->line, j->len,
	    j->sub, arena) == 0) {
		buf_adds(&j->out, "}\n");
		return;
	}
	if (j->line != NULL)
		d = session_span_detail_of(j->s, j->node, j->line, &j->cause);
	detail_json_fields(&j->out, d);
	span_detail_free(d);
	buf_adds(&j->out, "}\n");
}

static void
cli_djob_run(void *arg, size_t k)
{
	struct cli_dbatch *batch = arg;
	struct jarena *arena = jarena_new();
	size_t i, end = (k + 1) * CLI_DETAIL_RUN;

	if (end > batch->n)
		end = batch->n;
	for (i = k * CLI_DETAIL_RUN; i < end; i++)
		cli_djob_one(&batch->jobs[i], arena);
	jarena_free(arena);
}

/*
 * Two batches: while the main thread fetches the lines of one (the
 * file's reader is its alone) and writes their heads, one more thread
 * writes the detail of the other; the main thread then prints it.
 * Fetching is the longer half, so one writer thread keeps up.
 */
struct cli_dpipe {
	struct cli_djob *jobs[2];
	size_t n[2];
	int cur;		/* the batch being filled */
	pthread_t tid;
	bool running;		/* tid is writing batch !cur */
};

static void *
cli_dpipe_thread(void *arg)
{
	struct cli_dbatch *batch = arg;
	size_t k, runs = (batch->n + CLI_DETAIL_RUN - 1) / CLI_DETAIL_RUN;

	for (k = 0; k < runs; k++)
		cli_djob_run(batch, k);
	free(batch);
	return NULL;
}

/* Print a written batch in order and empty it. */
static void
cli_detail_print(struct buf *b, struct cli_djob *jobs, size_t *n)
{
	size_t k;

	for (k = 0; k < *n; k++) {
		if (jobs[k].cause != NULL) {
			cli_flush(b);
			cli_error("warning: %s", jobs[k].cause);
		}
		buf_add(b, jobs[k].out.p, jobs[k].out.len);
		if (b->len > 65536)
			cli_flush(b);
		free(jobs[k].line);
		free(jobs[k].cause);
		buf_free(&jobs[k].out);
	}
	*n = 0;
}

/* The batch being written is printed; the full one goes to be written
 * (on this thread when there is no second core or no thread). */
static void
cli_detail_rotate(struct buf *b, struct cli_dpipe *dp)
{
	struct cli_dbatch *batch;
	int done = !dp->cur;

	if (dp->running) {
		pthread_join(dp->tid, NULL);
		dp->running = false;
		cli_detail_print(b, dp->jobs[done], &dp->n[done]);
	}
	if (dp->n[dp->cur] == 0)
		return;
	batch = xmalloc(sizeof *batch);
	batch->jobs = dp->jobs[dp->cur];
	batch->n = dp->n[dp->cur];
	if (workpool_threads() > 1 &&
	    pthread_create(&dp->tid, NULL, cli_dpipe_thread, batch) == 0)
		dp->running = true;
	else {
		cli_dpipe_thread(batch);
		cli_detail_print(b, dp->jobs[dp->cur], &dp->n[dp->cur]);
		return;
	}
	dp->cur = done;
}

/* Everything still in the pipe, printed. */
static void
cli_detail_drain(struct buf *b, struct cli_dpipe *dp)
{
	cli_detail_rotate(b, dp);
	cli_detail_rotate(b, dp);
	free(dp->jobs[0]);
	free(dp->jobs[1]);
}

static void
cli_detail_add(struct buf *b, struct cli_dpipe *dp,
    struct session *s, uint32_t node, uint32_t depth, bool orphan)
{
	struct cli_djob *j = &dp->jobs[dp->cur][dp->n[dp->cur]++];
	const struct span *sp = trace_span(session_trace(s), node);

	memset(j, 0, sizeof *j);
	j->s = s;
	j->node = node;
	j->len = sp->len;
	j->sub = sp->sub;
	/* The detail is about as long as the line: one allocation. */
	buf_reserve(&j->out, (size_t)sp->len + 1024);
	cli_span_json_head(&j->out, s, node, depth, orphan);
	j->line = session_span_line(s, node, &j->cause);
	if (dp->n[dp->cur] == CLI_DETAIL_BATCH)
		cli_detail_rotate(b, dp);
}

/* The tree glyphs before a node: "│  " for each open ancestor level and
 * "├─ " or "└─ " for the node itself. */
struct cli_glyphs {
	const char *pipe, *tee, *elbow, *blank;
};

static const struct cli_glyphs cli_utf8 = { "\xe2\x94\x82  ", "\xe2\x94\x9c\xe2\x94\x80 ",
	"\xe2\x94\x94\xe2\x94\x80 ", "   " };
static const struct cli_glyphs cli_ascii = { "|  ", "|- ", "`- ", "   " };

static const struct cli_glyphs *
cli_glyph_set(void)
{
	const char *cs = nl_langinfo(CODESET);

	return cs != NULL && strcmp(cs, "UTF-8") == 0 ? &cli_utf8 : &cli_ascii;
}

/* Every level, however deep: headless output is read whole. */
static void
cli_tree_prefix(struct buf *b, struct trace *t, uint32_t node, const struct cli_glyphs *g)
{
	const struct treeguide_glyphs tg = { g->pipe, g->tee, g->elbow, g->blank };

	treeguide_add(b, t, node, &tg, 0);
}

static void
cli_span_text(struct buf *b, struct trace *t, uint32_t node)
{
	const struct span *sp = trace_span(t, node);
	int64_t in = trace_rollup_in(t, node), out = trace_rollup_out(t, node);

	cli_add_text(b, trace_str(t, sp->name));
	buf_adds(b, "  ");
	buf_adds(b, span_type_name(sp->type));
	if (sp->label != STRTAB_EMPTY) {
		buf_addc(b, ' ');
		cli_add_text(b, trace_str(t, sp->label));
	}
	if (sp->status == SPAN_ERROR)
		buf_adds(b, "  ERROR");
	buf_adds(b, "  ");
	if (sp->start_ns != SPAN_TIME_NONE && sp->end_ns != SPAN_TIME_NONE)
		fmt_duration(b, sp->end_ns - sp->start_ns);
	else
		buf_adds(b, "(running)");
	if (in > 0 || out > 0) {
		buf_adds(b, "  tokens ");
		fmt_count(b, in);
		buf_addc(b, '/');
		fmt_count(b, out);
	}
	if (trace_is_cycle_break(t, node))
		buf_adds(b, "  (parent cycle broken here)");
}

/* "key = value" lines, indented; string values unquoted. */
static void
cli_kv_text(struct buf *b, const struct kv_list *l, size_t indent)
{
	size_t k;

	for (k = 0; k < l->n; k++) {
		buf_printf(b, "%*s", (int)indent, "");
		cli_add_text(b, l->v[k].key);
		buf_adds(b, " = ");
		cli_add_text(b, l->v[k].str != NULL ? l->v[k].str : l->v[k].json);
		buf_addc(b, '\n');
	}
}

static void
cli_detail_text(struct buf *b, struct session *s, uint32_t i, size_t indent)
{
	struct span_detail *d;
	char *cause = NULL;
	size_t k;

	if ((d = session_span_detail(s, i, &cause)) == NULL) {
		cli_error("warning: %s", cause);
		free(cause);
		return;
	}
	if (d->status_description != NULL) {
		buf_printf(b, "%*sstatus %s: ", (int)indent + 4, "", d->status);
		cli_add_text(b, d->status_description);
		buf_addc(b, '\n');
	}
	cli_kv_text(b, &d->attrs, indent + 4);
	/* An exception's type and message are in its event's attributes:
	 * the reason a span failed, so they are shown. */
	for (k = 0; k < d->nevents; k++) {
		buf_printf(b, "%*sevent ", (int)indent + 4, "");
		cli_add_text(b, d->events[k].name);
		buf_addc(b, '\n');
		cli_kv_text(b, &d->events[k].attrs, indent + 8);
	}
	span_detail_free(d);
}

int
cli_dump(const struct source *src, const char *id, const struct cli_opts *o)
{
	const struct cli_glyphs *g = cli_glyph_set();
	struct session *s;
	struct cli_remote remote;
	struct filter_subject fs;
	struct filter *f;
	struct trace *t;
	struct buf b = BUF_INIT;
	struct cli_dpipe dp = { { NULL, NULL }, { 0, 0 }, 0, 0, false };
	uint32_t pos, node, n;
	int failed;

	f = cli_filter(o, &failed);
	if (failed)
		return 2;
	if ((s = cli_open_session(src, id, o, &remote)) == NULL) {
		cli_remote_clear(&remote);
		filter_free(f);
		return 1;
	}
	cli_read_all(s);
	cli_report(s);
	cli_prices_warnings();
	if (trace_stats(session_trace(s))->bad_lines > 1)
		cli_report_bad_lines(s);
	t = session_trace(s);
	trace_update_tree(t);
	cli_report_structure(s);
	n = trace_nodes(t);
	if (o->json && o->detail)
	{
		dp.jobs[0] = xcalloc(CLI_DETAIL_BATCH, sizeof *dp.jobs[0]);
		dp.jobs[1] = xcalloc(CLI_DETAIL_BATCH, sizeof *dp.jobs[1]);
	}
	for (pos = 0; pos < n; pos++) {
		node = trace_order(t, pos);
		if (trace_is_placeholder(t, node)) {
			if (!o->json && f == NULL) {
				cli_tree_prefix(&b, t, node, g);
				buf_adds(&b, "? missing parent ");
				cli_add_text(&b, trace_str(t, trace_placeholder_id(t, node)));
				buf_addc(&b, '\n');
			}
			continue;
		}
		if (f != NULL) {
			session_span_subject(s, node, &fs);
			if (!filter_match(f, &fs))
				continue;
		}
		if (o->json && o->detail)
			cli_detail_add(&b, &dp, s, node,
			    trace_depth(t, node), trace_is_orphan(t, node));
		else if (o->json)
			cli_span_json(&b, s, node, trace_depth(t, node),
			    trace_is_orphan(t, node), false);
		else {
			cli_tree_prefix(&b, t, node, g);
			cli_span_text(&b, t, node);
			buf_addc(&b, '\n');
			if (o->detail)
				cli_detail_text(&b, s, node, (size_t)trace_depth(t, node) * 3);
		}
		if (b.len > 65536)
			cli_flush(&b);
	}
	if (o->json && o->detail)
		cli_detail_drain(&b, &dp);
	cli_flush(&b);
	buf_free(&b);
	session_free(s);
	filter_free(f);
	cli_remote_clear(&remote);
	return cli_stdin_rc(src, 0);
}

static void
cli_on_signal(int sig)
{
	cli_stop = 1;
}

/* Depth and orphan state at arrival: walk the parent chain through the
 * spans seen so far (bounded, so a cycle cannot hang it). */
static uint32_t
cli_arrival_depth(struct trace *t, uint32_t i, bool *orphan)
{
	const struct span *sp = trace_span(t, i);
	uint32_t depth = 0, p;

	*orphan = false;
	while (sp->parent != STRTAB_EMPTY && depth <= trace_count(t)) {
		p = trace_find(t, trace_str(t, sp->parent), strlen(trace_str(t, sp->parent)));
		depth++;
		if (p == TRACE_NONE) {
			*orphan = true;
			break;
		}
		if (trace_span(t, p) == sp)
			break;
		sp = trace_span(t, p);
	}
	return depth;
}

/* "HH:MM:SS.mmmmmm  " before a tailed span's name: where its detail
 * lines are indented from. */
#define TAIL_TIME_WIDTH 21

static void
cli_tail_text(struct buf *b, struct trace *t, uint32_t i)
{
	const struct span *sp = trace_span(t, i);

	if (sp->start_ns != SPAN_TIME_NONE)
		fmt_time_short(b, sp->start_ns);
	else
		buf_adds(b, "-                  ");
	buf_adds(b, "  ");
	cli_span_text(b, t, i);
	buf_addc(b, '\n');
}

static void
cli_tail_print(struct session *s, uint32_t *printed, const struct filter *f,
    const struct cli_opts *o)
{
	struct trace *t = session_trace(s);
	struct filter_subject fs;
	struct buf b = BUF_INIT;
	uint32_t depth;
	bool orphan;

	/* The text form shows subtree tokens and cycle marks, which come from
	 * the tree snapshot: bring it up to the spans about to be printed
	 * (reading past the old snapshot's arrays was out of bounds). */
	if (!o->json && *printed < trace_count(t))
		trace_update_tree(t);
	for (; *printed < trace_count(t); (*printed)++) {
		if (f != NULL) {
			session_span_subject(s, *printed, &fs);
			if (!filter_match(f, &fs))
				continue;
		}
		if (o->json) {
			depth = cli_arrival_depth(t, *printed, &orphan);
			cli_span_json(&b, s, *printed, depth, orphan, o->detail);
		} else {
			cli_tail_text(&b, t, *printed);
			/* The same detail as --dump --detail, under the name
			 * (after the time column). */
			if (o->detail)
				cli_detail_text(&b, s, *printed, TAIL_TIME_WIDTH);
		}
		if (b.len > 65536)
			cli_flush(&b);
	}
	cli_flush(&b);
	buf_free(&b);
	cli_output_ok();
}

static bool
cli_stopped(void *arg)
{
	return cli_stop != 0;
}

/* Wait for the next look: a file is simply read again; an inspector is
 * asked for what was written since (Range), and its answer waited for. */
static void
cli_tail_wait(const struct source *src, struct cli_remote *r)
{
	if (src->kind != SOURCE_URL || r->trace == NULL) {
		poll(NULL, 0, CLI_TAIL_INTERVAL_MS);
		return;
	}
	poll(NULL, 0, CLI_TAIL_REMOTE_MS);
	remote_trace_tail(r->trace);
	http_run(remote_http(r->ins), cli_stopped, NULL);
	/* A lasting failure is said once, not on every look. */
	if (remote_trace_error(r->trace) == NULL) {
		free(r->warned);
		r->warned = NULL;
	} else if (r->warned == NULL || strcmp(r->warned, remote_trace_error(r->trace)) != 0) {
		cli_error("warning: %s", remote_trace_error(r->trace));
		free(r->warned);
		r->warned = xstrdup(remote_trace_error(r->trace));
	}
}

/* Rotated chunks written since the session was opened join it (issue
 * 19: every span after a rotation was lost).  Looked for once a second:
 * it reads the directory. */
static void
cli_tail_chunks(const struct source *src, struct session *s, unsigned *turn)
{
	struct session_ref *ref;
	char *cause = NULL;

	if (src->kind != SOURCE_DIR || (*turn)++ % (1000 / CLI_TAIL_INTERVAL_MS) != 0)
		return;
	if (source_session_files(src, session_id(s), &ref, &cause) == 1) {
		session_add_files(s, ref);
		session_refs_free(ref, 1);
	}
	free(cause);
}

int
cli_tail(const struct source *src, const char *id, const struct cli_opts *o)
{
	struct sigaction sa;
	struct session *s;
	struct cli_remote remote;
	struct filter *f;
	uint32_t printed = 0;
	size_t warned = 0;
	unsigned turn = 1;
	int failed, more;

	f = cli_filter(o, &failed);
	if (failed)
		return 2;
	if ((s = cli_open_session(src, id, o, &remote)) == NULL) {
		cli_remote_clear(&remote);
		filter_free(f);
		return 1;
	}
	memset(&sa, 0, sizeof sa);
	sa.sa_handler = cli_on_signal;
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	while (!cli_stop && cli_write_errno == 0) {
		more = session_read(s, 4 * 1024 * 1024);
		cli_tail_print(s, &printed, f, o);
		for (; warned < session_nwarnings(s); warned++)
			cli_error("warning: %s", session_warning(s, warned));
		if (more)
			continue;
		if (src->kind == SOURCE_STDIN)
			break;
		cli_tail_wait(src, &remote);
		cli_tail_chunks(src, s, &turn);
	}
	if (src->kind == SOURCE_STDIN) {
		session_finish(s);
		cli_tail_print(s, &printed, f, o);
	}
	trace_update_tree(session_trace(s));
	cli_report_structure(s);
	if (trace_stats(session_trace(s))->bad_lines > 0)
		cli_error("warning: session %s: %llu bad line%s (first: %s)", session_id(s),
		    (unsigned long long)trace_stats(session_trace(s))->bad_lines,
		    trace_stats(session_trace(s))->bad_lines == 1 ? "" : "s",
		    session_first_bad(s) ? session_first_bad(s) : "?");
	session_free(s);
	filter_free(f);
	cli_remote_clear(&remote);
	return cli_stdin_rc(src, 0);
}

/*
 * --events
 */

struct cli_events {
	bool json;
	struct buf line;
};

/* The event's JSON as one line: multi-line data only breaks between
 * tokens, so newlines become spaces; data that is not JSON is wrapped.
 * The server's bytes are copied, but what a terminal must not get (a C1
 * control such as U+009B CSI, bidi controls, a raw C0 control or DEL, an
 * invalid UTF-8 byte) can only stand inside a string there, so it is
 * written as the \uXXXX escape of the same character: still valid JSON,
 * the same data, as buf_add_json_string writes it everywhere else. */
static void
cli_event_json(struct buf *b, const char *data, size_t len)
{
	const unsigned char *u = (const unsigned char *)data;
	struct jscan js;
	struct jarena *a = jarena_new();
	size_t i, n;
	unsigned cp;
	bool valid;

	jscan_init(&js, data, len, a);
	valid = jscan_skip(&js) == 0 && jscan_finish(&js) == 0;
	jarena_free(a);
	if (!valid) {
		buf_adds(b, "{\"data\":");
		buf_add_json_string(b, data, len);
		buf_addc(b, '}');
		return;
	}
	for (i = 0; i < len; i += n) {
		n = 1;
		if (u[i] == '\n' || u[i] == '\r')
			buf_addc(b, ' ');
		else if ((u[i] < 0x20 && u[i] != '\t') || u[i] == 0x7f)
			buf_printf(b, "\\u%04x", u[i]);
		else if (u[i] < 0x80)
			buf_addc(b, data[i]);
		else if ((n = utf8_decode(u + i, len - i, &cp)) == 0) {
			buf_adds(b, "\\ufffd");
			n = 1;
		} else if (utf8_is_terminal_control(cp))
			buf_printf(b, "\\u%04x", cp);
		else
			buf_add(b, data + i, n);
	}
}

/* The text form of an event: its type, session and what people read. */
static void
cli_event_text(struct buf *b, const char *data, size_t len)
{
	struct remote_event ev;
	const char *parts[][2] = { { "", NULL }, { " ", NULL }, { " ", NULL }, { " ", NULL },
		{ " signal ", NULL }, { ": ", NULL }, { " error: ", NULL } };
	size_t k;

	if (remote_event_parse(&ev, data, len) == -1 || ev.type == NULL) {
		text_sanitize(b, data, len, 0);
		remote_event_clear(&ev);
		return;
	}
	parts[0][1] = ev.type;
	parts[1][1] = ev.session_id;
	parts[2][1] = ev.status;
	parts[3][1] = ev.title;
	parts[4][1] = ev.signal_name;
	parts[5][1] = ev.prompt;
	parts[6][1] = ev.error;
	for (k = 0; k < sizeof parts / sizeof parts[0]; k++) {
		if (parts[k][1] == NULL)
			continue;
		buf_adds(b, parts[k][0]);
		cli_add_text(b, parts[k][1]);
	}
	if (ev.span_count >= 0)
		buf_printf(b, " spans %lld", (long long)ev.span_count);
	if (ev.tokens_delta >= 0)
		buf_printf(b, " tokens+%lld", (long long)ev.tokens_delta);
	remote_event_clear(&ev);
}

static void
cli_on_event(void *arg, const char *data, size_t len, const char *id)
{
	struct cli_events *ce = arg;
	struct buf *b = &ce->line;

	buf_reset(b);
	if (ce->json)
		cli_event_json(b, data, len);
	else
		cli_event_text(b, data, len);
	buf_addc(b, '\n');
	cli_flush(b);
	cli_output_ok();
}

static void
cli_on_notice(void *arg, const char *msg)
{
	cli_error("warning: %s", msg);
}

static void
cli_on_conn(void *arg, enum remote_conn st, const char *why)
{
	switch (st) {
	case REMOTE_LIVE:
		cli_error("connected");
		break;
	case REMOTE_WAITING:
	case REMOTE_OFFLINE:
		cli_error("%s; reconnecting%s", why != NULL ? why : "disconnected",
		    st == REMOTE_OFFLINE ? " (offline)" : "");
		break;
	case REMOTE_CONNECTING:
		break;
	}
}

int
cli_events(const struct source *src, const struct cli_opts *o)
{
	struct sigaction sa;
	struct cli_events ce;
	struct remote *ins;
	struct remote_events *ev;
	struct pollfd fds[64];
	long t, wait;
	int n;

	if (src->kind != SOURCE_URL) {
		cli_error("--events needs an inspector URL, not %s", src->where);
		return 2;
	}
	if ((ins = cli_inspector(src, o)) == NULL)
		return 1;
	memset(&ce, 0, sizeof ce);
	ce.json = o->json;
	memset(&sa, 0, sizeof sa);
	sa.sa_handler = cli_on_signal;
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	ev = remote_events_open(ins, cli_on_event, cli_on_conn, cli_on_notice, &ce);
	while (!cli_stop && cli_write_errno == 0) {
		n = http_pollfds(remote_http(ins), fds, 64);
		wait = remote_events_tick(ev);
		t = http_timeout_ms(remote_http(ins));
		if (t >= 0 && t < wait)
			wait = t;
		poll(fds, (nfds_t)n, (int)wait);
		http_perform(remote_http(ins), fds, n);
	}
	remote_events_free(ev);
	remote_free(ins);
	buf_free(&ce.line);
	return 0;
}

/*
 * --critical-path and --stats (doc/reference.md §9)
 */

/* Spans without an end last until now, to the microsecond the trace
 * times have (so the figures printed add up exactly). */
static int64_t
cli_now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	return ((int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec) / 1000 * 1000;
}

/* Open and read a whole session for analysis; NULL after reporting. */
static struct session *
cli_analysis_open(const struct source *src, const char *id, const struct cli_opts *o,
    struct cli_remote *r)
{
	struct session *s;

	if ((s = cli_open_session(src, id, o, r)) == NULL)
		return NULL;
	cli_read_all(s);
	cli_report(s);
	trace_update_tree(session_trace(s));
	cli_report_structure(s);
	cli_prices_warnings();
	return s;
}

static void
cli_share(struct buf *b, int64_t part, int64_t wall)
{
	buf_printf(b, "%.6f", wall > 0 ? (double)part / (double)wall : 0.0);
}

static void
cli_critpath_row(struct buf *b, struct trace *t, const struct critpath_seg *sg,
    int64_t session_start, int64_t wall, bool json)
{
	bool session = sg->node == CRITPATH_SESSION || trace_is_placeholder(t, sg->node);
	const struct span *sp = session ? NULL : trace_span(t, sg->node);
	const char *name = sp != NULL ? trace_str(t, sp->name) :
	    sg->node == CRITPATH_SESSION ? "(session)" : "(missing parent)";
	const char *sid = sp != NULL ? trace_str(t, sp->id) :
	    sg->node == CRITPATH_SESSION ? NULL : trace_str(t, trace_placeholder_id(t, sg->node));
	size_t at;

	if (json) {
		buf_adds(b, "{\"span_id\":");
		buf_add_json_str_or_null(b, sid);
		buf_adds(b, ",\"name\":");
		buf_add_json_str_or_null(b, name);
		buf_adds(b, ",\"type\":");
		buf_add_json_str_or_null(b, sp != NULL ? span_type_name(sp->type) : NULL);
		buf_adds(b, ",\"offset_ms\":");
		fmt_ms(b, sg->start - session_start);
		buf_adds(b, ",\"self_ms\":");
		fmt_ms(b, sg->end - sg->start);
		buf_adds(b, ",\"share\":");
		cli_share(b, sg->end - sg->start, wall);
		buf_adds(b, ",\"label\":");
		buf_add_json_str_or_null(b, sp != NULL && sp->label != STRTAB_EMPTY ?
		    trace_str(t, sp->label) : NULL);
		buf_adds(b, "}\n");
		return;
	}
	at = b->len;
	buf_adds(b, "+");
	fmt_duration(b, sg->start - session_start);
	cli_pad(b, at, 11);
	at = b->len;
	fmt_duration(b, sg->end - sg->start);
	cli_pad(b, at, 10);
	buf_printf(b, "%5.1f%%  ", wall > 0 ? 100.0 * (double)(sg->end - sg->start) /
	    (double)wall : 0.0);
	at = b->len;
	buf_adds(b, sp != NULL ? span_type_name(sp->type) : "-");
	cli_pad(b, at, 9);
	cli_add_text(b, name);
	if (sp != NULL && sp->label != STRTAB_EMPTY) {
		buf_adds(b, " [");
		cli_add_text(b, trace_str(t, sp->label));
		buf_addc(b, ']');
	}
	if (sid != NULL) {
		buf_adds(b, "  ");
		cli_add_text(b, sid);
	}
	buf_addc(b, '\n');
}

/* A span id as the user typed it: ids are kept lower-case, without 0x. */
static uint32_t
cli_find_span(struct trace *t, const char *id)
{
	char *norm = xstrdup(id), *p;
	uint32_t i;

	for (p = norm; *p != '\0'; p++)
		*p = (char)(*p >= 'A' && *p <= 'Z' ? *p - 'A' + 'a' : *p);
	p = strncmp(norm, "0x", 2) == 0 ? norm + 2 : norm;
	i = trace_find(t, p, strlen(p));
	free(norm);
	return i;
}

int
cli_critical_path(const struct source *src, const char *id, const struct cli_opts *o)
{
	struct session *s;
	struct cli_remote remote;
	struct session_meta m;
	struct critpath *cp;
	struct trace *t;
	struct buf b = BUF_INIT;
	size_t i;
	int64_t wall, start;
	uint32_t root;

	if ((s = cli_analysis_open(src, id, o, &remote)) == NULL) {
		cli_remote_clear(&remote);
		return 1;
	}
	t = session_trace(s);
	root = CRITPATH_SESSION;
	if (o->span != NULL && (root = cli_find_span(t, o->span)) == TRACE_NONE) {
		cli_error("no span '%s' in session %s", o->span, session_id(s));
		session_free(s);
		cli_remote_clear(&remote);
		return 1;
	}
	if ((cp = critpath_compute(t, root, cli_now())) == NULL) {
		cli_error("%s %s has no start time", o->span != NULL ? "span" : "session",
		    o->span != NULL ? o->span : session_id(s));
		session_free(s);
		cli_remote_clear(&remote);
		return 1;
	}
	session_meta_get(s, &m);
	start = m.started_at != SPAN_TIME_NONE && m.started_at < cp->start ?
	    m.started_at : cp->start;
	wall = critpath_wall(cp);
	if (!o->json) {
		buf_adds(&b, "critical path of ");
		if (o->span != NULL) {
			buf_adds(&b, "span ");
			cli_add_text(&b, o->span);
			buf_adds(&b, " in ");
		}
		cli_add_text(&b, session_id(s));
		buf_adds(&b, ": wall time ");
		fmt_duration(&b, wall);
		buf_printf(&b, ", %zu segment%s%s\nOFFSET     SELF      SHARE   TYPE     NAME [LABEL]  SPAN\n",
		    cp->nseg, cp->nseg == 1 ? "" : "s",
		    m.status == SESSION_RUNNING ? " (running: up to now)" : "");
	}
	for (i = 0; i < cp->nseg; i++) {
		cli_critpath_row(&b, t, &cp->seg[i], start, wall, o->json);
		if (b.len > 65536)
			cli_flush(&b);
	}
	cli_flush(&b);
	buf_free(&b);
	session_meta_clear(&m);
	critpath_free(cp);
	session_free(s);
	cli_remote_clear(&remote);
	return 0;
}

static void
cli_stats_json(struct buf *b, const char *session, const struct stats *st)
{
	const struct stats_group *g;
	size_t i;

	buf_adds(b, "{\"session\":");
	buf_add_json_str_or_null(b, session);
	buf_adds(b, ",\"wall_ms\":");
	fmt_ms(b, st->wall_ns);
	buf_adds(b, ",\"split\":{\"llm_ms\":");
	fmt_ms(b, st->llm_ns);
	buf_adds(b, ",\"tool_ms\":");
	fmt_ms(b, st->tool_ns);
	buf_adds(b, ",\"waiting_ms\":");
	fmt_ms(b, st->waiting_ns);
	buf_adds(b, ",\"other_ms\":");
	fmt_ms(b, st->other_ns);
	buf_adds(b, "},\"groups\":[");
	for (i = 0; i < st->n; i++) {
		g = &st->g[i];
		buf_adds(b, i == 0 ? "{\"by\":" : ",{\"by\":");
		buf_add_json_str_or_null(b, stats_by_name(g->by));
		buf_adds(b, ",\"key\":");
		buf_add_json_str_or_null(b, g->key);
		buf_printf(b, ",\"count\":%u,\"errors\":%u,\"total_ms\":", g->count, g->errors);
		fmt_ms(b, g->total_ns);
		buf_adds(b, ",\"p50_ms\":");
		fmt_ms(b, g->p50_ns);
		buf_adds(b, ",\"p95_ms\":");
		fmt_ms(b, g->p95_ns);
		buf_adds(b, ",\"max_ms\":");
		fmt_ms(b, g->max_ns);
		buf_printf(b, ",\"tokens_in\":%lld,\"tokens_out\":%lld,"
		    "\"tokens_cache_read\":%lld,\"tokens_cache_write\":%lld,"
		    "\"cost_usd\":", (long long)g->tok_in, (long long)g->tok_out,
		    (long long)g->tok_cache_read, (long long)g->tok_cache_write);
		cli_add_json_cost(b, &g->cost);
		buf_addc(b, '}');
	}
	buf_adds(b, "]}\n");
}

static void
cli_stats_split(struct buf *b, const char *what, int64_t part, int64_t wall)
{
	buf_printf(b, "  %-8s", what);
	fmt_duration(b, part);
	buf_printf(b, " (%.1f%%)", wall > 0 ? 100.0 * (double)part / (double)wall : 0.0);
}

/* After the cost, the part of the input the prompt cache served and
 * took (doc/reference.md §3.3): why the cost is below input × price. */
static void
cli_stats_cached(struct buf *b, size_t cost_at, const struct stats_group *g)
{
	if (g->tok_cache_read <= 0 && g->tok_cache_write <= 0)
		return;
	cli_pad(b, cost_at, 9);
	buf_adds(b, "cache ");
	fmt_count(b, g->tok_cache_read);
	buf_adds(b, " read, ");
	fmt_count(b, g->tok_cache_write);
	buf_adds(b, " write");
}

static void
cli_stats_text(struct buf *b, const char *session, const struct stats *st)
{
	const struct stats_group *g;
	size_t i, at;
	int by = -1;

	if (session != NULL) {
		buf_adds(b, "stats of ");
		cli_add_text(b, session);
	} else
		buf_adds(b, "stats of every session");
	buf_adds(b, ": wall time ");
	fmt_duration(b, st->wall_ns);
	buf_adds(b, "\ncritical path:");
	cli_stats_split(b, "llm", st->llm_ns, st->wall_ns);
	cli_stats_split(b, "tool", st->tool_ns, st->wall_ns);
	cli_stats_split(b, "waiting", st->waiting_ns, st->wall_ns);
	cli_stats_split(b, "other", st->other_ns, st->wall_ns);
	buf_addc(b, '\n');
	for (i = 0; i < st->n; i++) {
		g = &st->g[i];
		if ((int)g->by != by) {
			by = (int)g->by;
			buf_printf(b, "\nBY %-28s COUNT ERRORS   TOTAL     P50       P95       MAX"
			    "       TOKENS IN/OUT  COST\n", stats_by_name(g->by));
		}
		at = b->len;
		buf_adds(b, "   ");
		cli_add_text(b, g->key);
		cli_pad(b, at, 32);
		buf_printf(b, "%5u %6u   ", g->count, g->errors);
		at = b->len;
		fmt_duration(b, g->total_ns);
		cli_pad(b, at, 10);
		at = b->len;
		fmt_duration(b, g->p50_ns);
		cli_pad(b, at, 10);
		at = b->len;
		fmt_duration(b, g->p95_ns);
		cli_pad(b, at, 10);
		at = b->len;
		fmt_duration(b, g->max_ns);
		cli_pad(b, at, 10);
		at = b->len;
		fmt_count(b, g->tok_in);
		buf_addc(b, '/');
		fmt_count(b, g->tok_out);
		cli_pad(b, at, 15);
		at = b->len;
		if (!g->cost.known)
			buf_adds(b, "?");
		else if (g->tok_in > 0 || g->tok_out > 0)
			cost_format(b, g->cost.usd);
		else
			buf_adds(b, "-");
		cli_stats_cached(b, at, g);
		buf_addc(b, '\n');
	}
}

static void
cli_stats_hints(const struct stats *st)
{
	size_t i;

	for (i = 0; i < st->n; i++) {
		if (!st->g[i].cost.known) {
			cli_cost_hint(st->g[i].cost.unpriced);
			return;
		}
	}
}

/* --stats --all: each session read, summed up and freed in turn. */
static int
cli_stats_all(const struct source *src, const struct cli_opts *o)
{
	struct session_ref *refs;
	struct cli_remote remote;
	struct stats_acc *acc;
	struct session *s;
	struct stats *st;
	struct buf b = BUF_INIT;
	size_t n, i;
	int64_t now = cli_now();

	if (cli_source_refs(src, o, false, &remote, &refs, &n) == -1) {
		cli_remote_clear(&remote);
		return 1;
	}
	cli_prices_warnings();
	acc = stats_acc_new();
	for (i = 0; i < n; i++) {
		s = session_new(&refs[i]);
		cli_read_all(s);
		cli_report(s);
		trace_update_tree(session_trace(s));
		st = stats_compute(session_trace(s), prices_default(), now, acc);
		cli_stats_hints(st);
		if (o->json)
			cli_stats_json(&b, session_id(s), st);
		else {
			cli_stats_text(&b, session_id(s), st);
			buf_addc(&b, '\n');
		}
		cli_flush(&b);
		stats_free(st);
		session_free(s);
	}
	st = stats_acc_result(acc);
	if (o->json)
		cli_stats_json(&b, NULL, st);
	else
		cli_stats_text(&b, NULL, st);
	cli_flush(&b);
	buf_free(&b);
	stats_free(st);
	stats_acc_free(acc);
	session_refs_free(refs, n);
	cli_remote_clear(&remote);
	return 0;
}

int
cli_stats(const struct source *src, const char *id, const struct cli_opts *o)
{
	struct session *s;
	struct cli_remote remote;
	struct stats *st;
	struct buf b = BUF_INIT;

	if (o->all)
		return cli_stats_all(src, o);
	if ((s = cli_analysis_open(src, id, o, &remote)) == NULL) {
		cli_remote_clear(&remote);
		return 1;
	}
	st = stats_compute(session_trace(s), prices_default(), cli_now(), NULL);
	cli_stats_hints(st);
	if (o->json)
		cli_stats_json(&b, session_id(s), st);
	else
		cli_stats_text(&b, session_id(s), st);
	cli_flush(&b);
	buf_free(&b);
	stats_free(st);
	session_free(s);
	cli_remote_clear(&remote);
	return 0;
}

/*
 * Whole sessions for the other headless modes (--diff): the session named
 * by id in src, read to its end with its warnings reported.
 */

struct cli_loaded {
	struct session *s;
	struct cli_remote remote;  /* keeps a remote trace's spool open */
};

struct cli_loaded *
cli_load(const struct source *src, const char *id, const struct cli_opts *o)
{
	struct cli_loaded *l = xcalloc(1, sizeof *l);

	if ((l->s = cli_open_session(src, id, o, &l->remote)) == NULL) {
		cli_unload(l);
		return NULL;
	}
	cli_read_all(l->s);
	cli_report(l->s);
	trace_update_tree(session_trace(l->s));
	cli_report_structure(l->s);
	return l;
}

struct session *
cli_loaded_session(const struct cli_loaded *l)
{
	return l->s;
}

void
cli_unload(struct cli_loaded *l)
{
	if (l == NULL)
		return;
	session_free(l->s);
	cli_remote_clear(&l->remote);
	free(l);
}
