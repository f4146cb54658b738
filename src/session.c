/* SPDX-License-Identifier: MIT */
/* session.c — reading a session's files and deriving its meta. */
#include "session.h"

#include <fcntl.h>
#include <stdlib.h>
#include <unistd.h>
#include <string.h>

#include "buf.h"
#include "cost.h"
#include "prices.h"
#include "span.h"
#include "span_detail.h"
#include "span_parse.h"
#include "text.h"
#include "trace.h"
#include "tracefile.h"
#include "workpool.h"
#include "xmalloc.h"

struct session {
	char *id;
	char **paths;
	size_t npaths;
	struct tracefile **files; /* opened lazily; NULL until then or if it failed */
	bool *dead;               /* the file could not be opened (warned once) */
	size_t cur;               /* file being read */
	struct span_parser *parser;
	struct trace *trace;
	char **warnings;
	size_t nwarnings;
	uint64_t size;            /* total input size from the scan */
	int spool_fd;             /* a remote trace's spool (owned copy), or -1 */
	struct gate *gate;        /* a background load's (loader.c), or NULL */
};

static struct session *
session_create(const struct session_ref *ref, struct trace *trace)
{
	struct session *s = xcalloc(1, sizeof *s);
	size_t i;

	s->id = xstrdup(ref->id);
	s->npaths = ref->nfiles;
	s->paths = xcalloc(ref->nfiles ? ref->nfiles : 1, sizeof *s->paths);
	for (i = 0; i < ref->nfiles; i++)
		s->paths[i] = xstrdup(ref->files[i]);
	s->files = xcalloc(ref->nfiles ? ref->nfiles : 1, sizeof *s->files);
	s->dead = xcalloc(ref->nfiles ? ref->nfiles : 1, sizeof *s->dead);
	s->trace = trace;
	s->size = ref->bytes;
	s->spool_fd = ref->spooled ? fcntl(ref->fd, F_DUPFD_CLOEXEC, 0) : -1;
	return s;
}

struct session *
session_new(const struct session_ref *ref)
{
	return session_create(ref, trace_new());
}

struct session *
session_new_summary(const struct session_ref *ref)
{
	return session_create(ref, trace_new_summary());
}

void
session_free(struct session *s)
{
	size_t i;

	if (s == NULL)
		return;
	for (i = 0; i < s->npaths; i++) {
		tracefile_free(s->files[i]);
		free(s->paths[i]);
	}
	for (i = 0; i < s->nwarnings; i++)
		free(s->warnings[i]);
	free(s->warnings);
	free(s->files);
	free(s->dead);
	free(s->paths);
	span_parser_free(s->parser);
	trace_free(s->trace);
	if (s->spool_fd != -1)
		close(s->spool_fd);
	free(s->id);
	free(s);
}

static void
session_warn(struct session *s, char *msg)
{
	s->warnings = xreallocarray(s->warnings, s->nwarnings + 1, sizeof *s->warnings);
	s->warnings[s->nwarnings++] = msg;
}

/* One more file to read after the others: a new rotated chunk, or a file
 * rewritten in place read again as a new one (its spans before keep their
 * file number).  -1 past the 16 bits of a span's file number. */
static int
session_append_path(struct session *s, const char *path)
{
	if (s->npaths >= UINT16_MAX)
		return -1;
	s->paths = xreallocarray(s->paths, s->npaths + 1, sizeof *s->paths);
	s->files = xreallocarray(s->files, s->npaths + 1, sizeof *s->files);
	s->dead = xreallocarray(s->dead, s->npaths + 1, sizeof *s->dead);
	s->paths[s->npaths] = xstrdup(path);
	s->files[s->npaths] = NULL;
	s->dead[s->npaths] = false;
	s->npaths++;
	return 0;
}

/* Open file i on first use; a failure becomes a warning. */
static struct tracefile *
session_file(struct session *s, size_t i)
{
	char *cause = NULL;

	if (s->files[i] == NULL && !s->dead[i]) {
		if (s->spool_fd != -1 && i == 0)
			s->files[i] = tracefile_open_fd(s->paths[i], s->spool_fd, 0, &cause);
		else
			s->files[i] = tracefile_open(s->paths[i], (uint16_t)i, &cause);
		if (s->files[i] == NULL) {
			session_warn(s, cause);
			s->dead[i] = true;
		} else
			tracefile_set_gate(s->files[i], s->gate);
	}
	return s->files[i];
}

/*
 * Files are read in order; when one is at its end the next starts.  The
 * last file is the one a live writer appends to, but earlier ones may
 * still grow too (a chunk being rotated), so every call revisits them.
 */
int
session_read(struct session *s, size_t max_bytes)
{
	struct tracefile *tf;
	char *cause;
	size_t i;
	int rc;

	if (s->parser == NULL)
		s->parser = span_parser_new();
	for (i = 0; i < s->npaths; i++) {
		if ((tf = session_file(s, i)) == NULL)
			continue;
		cause = NULL;
		rc = tracefile_read(tf, s->parser, s->trace, max_bytes, &cause);
		if (rc == -1)
			session_warn(s, cause);
		if (rc == -1 && tracefile_rewritten(tf))
			session_append_path(s, s->paths[i]);
		if (rc == 1)
			return 1;
	}
	/* Caught up: the parser's arena (tens of KiB once used) goes until
	 * more is read; thousands of idle list rows would keep it. */
	span_parser_free(s->parser);
	s->parser = NULL;
	return 0;
}

void
session_set_gate(struct session *s, struct gate *gate)
{
	size_t i;

	s->gate = gate;
	for (i = 0; i < s->npaths; i++) {
		if (s->files[i] != NULL)
			tracefile_set_gate(s->files[i], gate);
	}
}

bool
session_loads_apart(const struct session *s)
{
	size_t i;

	if (s->spool_fd != -1)
		return false;
	for (i = 0; i < s->npaths; i++) {
		if (strcmp(s->paths[i], "-") == 0)
			return false;
	}
	return true;
}

/*
 * The exporter rotates a session into ID.jsonl.chunk_N.jsonl.gz files
 * while it runs, and every span after a rotation is in a chunk this
 * session did not have when it was opened.  Files of ref that are new are
 * appended, in ref's (chunk) order, and read after the ones before: each
 * span once, none lost.
 */
int
session_add_files(struct session *s, const struct session_ref *ref)
{
	size_t i, j, n = s->npaths;
	bool gone = false;

	if (s->spool_fd != -1)
		return -1;
	/* A file that went away keeps what was read from it. */
	for (j = 0; j < n && !gone; j++) {
		for (i = 0; i < ref->nfiles; i++) {
			if (strcmp(ref->files[i], s->paths[j]) == 0)
				break;
		}
		gone = i == ref->nfiles;
	}
	for (i = 0; i < ref->nfiles; i++) {
		for (j = 0; j < n; j++) {
			if (strcmp(ref->files[i], s->paths[j]) == 0)
				break;
		}
		if (j == n && session_append_path(s, ref->files[i]) == -1)
			return -1;
	}
	return gone ? -1 : (int)(s->npaths - n);
}

void
session_finish(struct session *s)
{
	size_t i;

	if (s->parser == NULL)
		s->parser = span_parser_new();
	for (i = 0; i < s->npaths; i++) {
		if (s->files[i] == NULL)
			continue;
		tracefile_finish(s->files[i], s->parser, s->trace);
		/* Not an error (a writer creates the file before its first
		 * export), but a read that shows nothing should say why. */
		if (tracefile_empty(s->files[i]))
			session_warn(s, xasprintf("%s is empty", s->paths[i]));
	}
}

struct trace *
session_trace(const struct session *s)
{
	return s->trace;
}

const char *
session_id(const struct session *s)
{
	return s->id;
}

static const char *
session_opt_str(const struct trace *t, uint32_t strid)
{
	return strid == STRTAB_EMPTY ? NULL : trace_str(t, strid);
}

/* doc/reference.md §3: paused, else running (no root yet, or a root still open),
 * else failed (root or any workflow span in error), else completed. */
static enum session_status
session_status_of(const struct trace_stats *st)
{
	if (st->paused)
		return SESSION_PAUSED;
	if (st->roots == 0 || st->open_roots > 0)
		return SESSION_RUNNING;
	if (st->root_or_workflow_error)
		return SESSION_FAILED;
	return SESSION_COMPLETED;
}

/* Some of the session's input was never read (doc/reference.md §3.5): no
 * status is guessed from the part that was. */
static bool
session_input_cut(const struct session *s)
{
	size_t i;

	for (i = 0; i < s->npaths; i++) {
		if (s->files[i] != NULL && tracefile_input_cut(s->files[i]))
			return true;
	}
	return false;
}

/* Bytes of the id's first 8 characters: the inspector's fallback titles
 * take sid[:8] in Python, which counts code points, so a multibyte id is
 * never cut inside a character. */
static int
session_id_head(const char *id)
{
	const unsigned char *u = (const unsigned char *)id;
	size_t i = 0, n = strlen(id), len;
	unsigned cp;
	int chars;

	for (chars = 0; chars < 8 && i < n; chars++) {
		len = utf8_decode(u + i, n - i, &cp);
		i += len > 0 ? len : 1;
	}
	return (int)i;
}

char *
session_fallback_title(const char *workflow_type, const char *id)
{
	if (workflow_type != NULL)
		return xasprintf("%s - %.*s", workflow_type, session_id_head(id),
		    id);
	return xasprintf("Session %.*s", session_id_head(id), id);
}

static void
session_meta_cost(struct session *s, struct session_meta *m)
{
	struct cost c;

	cost_trace(s->trace, prices_default(), &c);
	m->cost_usd = c.usd;
	m->cost_known = c.known;
	m->cost_unpriced = c.unpriced;
}

void
session_meta_get(struct session *s, struct session_meta *m)
{
	const struct trace_stats *st = trace_stats(s->trace);
	const char *title = session_opt_str(s->trace, st->title);
	const char *wtype = session_opt_str(s->trace, st->workflow_type);
	const char *engine = session_opt_str(s->trace, st->engine);

	memset(m, 0, sizeof *m);
	m->id = s->id;
	m->title = title != NULL ? xstrdup(title) :
	    session_fallback_title(wtype, s->id);
	m->engine = engine != NULL ? engine : "asyncio";
	m->status = session_input_cut(s) ? SESSION_PARTIAL : session_status_of(st);
	m->started_at = st->first_start;
	m->ended_at = st->last_end;
	m->span_count = st->spans;
	m->error_count = st->errors;
	m->bad_lines = st->bad_lines;
	m->tokens_in = st->tokens_in;
	m->tokens_out = st->tokens_out;
	m->tokens_cache_read = st->tokens_cache_read;
	m->tokens_cache_write = st->tokens_cache_write;
	m->signal_name = session_opt_str(s->trace, st->signal_name);
	m->signal_prompt = session_opt_str(s->trace, st->signal_prompt);
	session_meta_cost(s, m);
}

void
session_meta_clear(struct session_meta *m)
{
	free(m->title);
	m->title = NULL;
}

enum session_status
session_status_parse(const char *s)
{
	if (s == NULL)
		return SESSION_RUNNING;
	if (strcmp(s, "paused") == 0)
		return SESSION_PAUSED;
	if (strcmp(s, "completed") == 0)
		return SESSION_COMPLETED;
	if (strcmp(s, "running") == 0)
		return SESSION_RUNNING;
	return SESSION_FAILED; /* failed, cancelled, error */
}

const char *
session_status_name(enum session_status st)
{
	static const char *names[] = { "running", "paused", "failed", "completed",
		"partial" };

	return (unsigned)st < sizeof names / sizeof names[0] ? names[st] : "unknown";
}

char *
session_span_line(struct session *s, uint32_t i, char **cause)
{
	const struct span *sp;

	if (i >= trace_count(s->trace)) {
		*cause = xasprintf("no span %u in session %s", i, s->id);
		return NULL;
	}
	sp = trace_span(s->trace, i);
	if (sp->file >= s->npaths || s->files[sp->file] == NULL) {
		*cause = xasprintf("the file holding span %u of %s is closed", i, s->id);
		return NULL;
	}
	return tracefile_line(s->files[sp->file], sp->off, sp->len, cause);
}

long
session_read_on(struct session *s, uint16_t file, uint64_t off, size_t min,
    struct buf *out, char **cause)
{
	if (file >= s->npaths || s->files[file] == NULL) {
		*cause = xasprintf("file %u of %s is closed", (unsigned)file, s->id);
		return -1;
	}
	return tracefile_read_on(s->files[file], off, min, out, cause);
}

/*
 * jansson refuses \u0000 in an object key (JSON_ALLOW_NUL covers values
 * only), which would hide a whole span's detail.  Rewrite the escape in
 * keys as the text it is ("\u0000" becomes "\\u0000"), so the key shows as
 * written; values are left alone.  Each string is copied twice as it is
 * scanned, as written and rewritten; which one is kept is known at its
 * closing quote, by whether a ':' follows.
 */
static char *
session_unnul_keys(const char *p, size_t n, size_t *outlen)
{
	struct buf out = BUF_INIT, orig = BUF_INIT, alt = BUF_INIT;
	size_t i = 0, k;

	while (i < n) {
		if (p[i] != '"') {
			buf_addc(&out, p[i++]);
			continue;
		}
		buf_reset(&orig);
		buf_reset(&alt);
		buf_addc(&orig, p[i++]);
		while (i < n && p[i] != '"') {
			if (p[i] == '\\' && n - i >= 6 && memcmp(p + i, "\\u0000", 6) == 0) {
				buf_add(&orig, p + i, 6);
				buf_add(&alt, "\\\\u0000", 7);
				i += 6;
				continue;
			}
			k = p[i] == '\\' && i + 1 < n ? 2 : 1;
			buf_add(&orig, p + i, k);
			buf_add(&alt, p + i, k);
			i += k;
		}
		for (k = i + 1; k < n && strchr(" \t\r\n", p[k]) != NULL; k++)
			;
		if (k < n && p[k] == ':') {
			buf_addc(&out, '"');
			buf_add(&out, buf_str(&alt), alt.len);
		} else
			buf_add(&out, buf_str(&orig), orig.len);
		if (i < n)
			buf_addc(&out, p[i++]);
	}
	buf_free(&orig);
	buf_free(&alt);
	*outlen = out.len;
	return buf_detach(&out);
}

struct span_detail *
session_span_detail(struct session *s, uint32_t i, char **cause)
{
	char *line = session_span_line(s, i, cause);
	struct span_detail *d;

	if (line == NULL)
		return NULL;
	d = session_span_detail_of(s, i, line, cause);
	free(line);
	return d;
}

struct span_detail *
session_span_detail_of(const struct session *s, uint32_t i, const char *line,
    char **cause)
{
	const struct span *sp;
	struct span_detail *d;
	char *fixed, *why;
	size_t n;

	sp = trace_span(s->trace, i);
	d = span_detail_parse(line, sp->len, sp->sub, cause);
	if (d == NULL && strstr(*cause, "NUL byte in object key") != NULL) {
		fixed = session_unnul_keys(line, sp->len, &n);
		free(*cause);
		*cause = NULL;
		d = span_detail_parse(fixed, n, sp->sub, cause);
		free(fixed);
	}
	if (d == NULL) {
		/* Say which span of which file. */
		why = *cause;
		*cause = xasprintf("%s: span %s: %s", sp->file < s->npaths &&
		    s->files[sp->file] != NULL ? tracefile_path(s->files[sp->file]) : s->id,
		    trace_str(s->trace, sp->id), why);
		free(why);
	}
	return d;
}

size_t
session_nwarnings(const struct session *s)
{
	return s->nwarnings;
}

const char *
session_warning(const struct session *s, size_t i)
{
	return s->warnings[i];
}

const char *
session_first_bad(const struct session *s)
{
	size_t i;

	for (i = 0; i < s->npaths; i++) {
		if (s->files[i] != NULL && tracefile_first_bad(s->files[i]) != NULL)
			return tracefile_first_bad(s->files[i]);
	}
	return NULL;
}

size_t
session_nbad_kept(const struct session *s)
{
	size_t i, n = 0;

	for (i = 0; i < s->npaths; i++) {
		if (s->files[i] != NULL)
			n += tracefile_nbad_kept(s->files[i]);
	}
	return n;
}

const char *
session_bad_line(const struct session *s, size_t k)
{
	size_t i, n;

	for (i = 0; i < s->npaths; i++) {
		if (s->files[i] == NULL)
			continue;
		n = tracefile_nbad_kept(s->files[i]);
		if (k < n)
			return tracefile_bad_line(s->files[i], k);
		k -= n;
	}
	return NULL;
}

uint64_t
session_consumed(const struct session *s)
{
	uint64_t n = 0;
	size_t i;

	for (i = 0; i < s->npaths; i++) {
		if (s->files[i] != NULL)
			n += tracefile_consumed(s->files[i]);
	}
	return n;
}

uint64_t
session_size(const struct session *s)
{
	return s->size;
}

void
session_subject(const struct session_meta *m, struct filter_subject *fs)
{
	memset(fs, 0, sizeof *fs);
	fs->field[FF_ID] = m->id;
	fs->field[FF_TITLE] = m->title;
	fs->field[FF_STATUS] = session_status_name(m->status);
	fs->field[FF_ENGINE] = m->engine;
	fs->duration_ns = m->started_at != SPAN_TIME_NONE && m->ended_at != SPAN_TIME_NONE ?
	    m->ended_at - m->started_at : -1;
	fs->tokens = tokens_add(m->tokens_in, m->tokens_out);
}

void
session_span_subject(struct session *s, uint32_t i, struct filter_subject *fs)
{
	const struct span *sp = trace_span(s->trace, i);
	const struct trace *t = s->trace;

	memset(fs, 0, sizeof *fs);
	fs->field[FF_NAME] = trace_str(t, sp->name);
	fs->field[FF_TYPE] = span_type_name(sp->type);
	fs->field[FF_STATUS] = span_status_name(sp->status);
	fs->field[FF_KIND] = span_kind_name(sp->kind);
	fs->field[FF_LABEL] = trace_str(t, sp->label);
	fs->field[FF_ID] = trace_str(t, sp->id);
	fs->field[FF_TRACE] = trace_str(t, sp->trace_id);
	fs->field[FF_PARENT] = trace_str(t, sp->parent);
	fs->duration_ns = sp->start_ns != SPAN_TIME_NONE && sp->end_ns != SPAN_TIME_NONE ?
	    sp->end_ns - sp->start_ns : -1;
	fs->tokens = tokens_add(sp->tok_in, sp->tok_out);
	if (sp->tok_in < 0 && sp->tok_out < 0)
		fs->tokens = -1;
}

static char *
session_dup(const char *s)
{
	return s != NULL ? xstrdup(s) : NULL;
}

static void
session_summary_fill(struct session_summary *out, struct session *s)
{
	size_t i;

	memset(out, 0, sizeof *out);
	session_meta_get(s, &out->meta);
	out->id = session_dup(out->meta.id);
	out->engine = session_dup(out->meta.engine);
	out->signal_name = session_dup(out->meta.signal_name);
	out->signal_prompt = session_dup(out->meta.signal_prompt);
	out->cost_unpriced = session_dup(out->meta.cost_unpriced);
	out->meta.cost_unpriced = out->cost_unpriced;
	out->meta.id = out->id;
	out->meta.engine = out->engine;
	out->meta.signal_name = out->signal_name;
	out->meta.signal_prompt = out->signal_prompt;
	out->nwarnings = s->nwarnings;
	out->warnings = xcalloc(s->nwarnings ? s->nwarnings : 1, sizeof *out->warnings);
	for (i = 0; i < s->nwarnings; i++)
		out->warnings[i] = xstrdup(s->warnings[i]);
	out->first_bad = session_dup(session_first_bad(s));
}

/* One job of session_summarise: session i read to its end, summarised,
 * freed. */
struct session_summarise_job {
	const struct session_ref *refs;
	struct session_summary *out;
};

static void
session_summarise_one(void *arg, size_t i)
{
	struct session_summarise_job *job = arg;
	struct session *s = session_new_summary(&job->refs[i]);

	while (session_read(s, TRACEFILE_ALL) == 1)
		;
	session_finish(s);
	session_summary_fill(&job->out[i], s);
	session_free(s);
}

void
session_summarise(const struct session_ref *refs, size_t n, struct session_summary *out)
{
	struct session_summarise_job job = { refs, out };

	/* Jobs taken one at a time: a big session does not hold back the
	 * small ones that would have shared its thread. */
	workpool_run(n, session_summarise_one, &job);
}

void
session_summary_clear(struct session_summary *sum)
{
	size_t i;

	session_meta_clear(&sum->meta);
	for (i = 0; i < sum->nwarnings; i++)
		free(sum->warnings[i]);
	free(sum->warnings);
	free(sum->id);
	free(sum->engine);
	free(sum->signal_name);
	free(sum->signal_prompt);
	free(sum->cost_unpriced);
	free(sum->first_bad);
	memset(sum, 0, sizeof *sum);
}
