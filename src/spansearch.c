/* SPDX-License-Identifier: MIT */
/* spansearch.c — which spans of a session hold a text; see spansearch.h. */
#include "spansearch.h"

#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "clock.h"
#include "session.h"
#include "text.h"
#include "trace.h"
#include "xmalloc.h"

/* Decompressed bytes asked for by one read of the file pass (it goes on
 * to the next access point, so a segment of a long member, ~2 MiB, or a
 * run of small members): a few ms of inflate. */
#define SPANSEARCH_READ (1u << 20)
/* Spans looked at between looks at the clock. */
#define SPANSEARCH_CLOCK_EVERY 256
/* Spans already known leave gaps in the file; one shorter than this is
 * read through (from an access point), a longer one skipped (reading
 * then starts at the point before the next span: up to a segment spent). */
#define SPANSEARCH_GAP (2u * SPANSEARCH_READ)

struct spansearch {
	struct session *s;
	char *text;             /* as typed */
	char *folded;           /* text_fold'ed */
	size_t len;
	bool letters;           /* the text has ASCII letters: lines are folded */
	uint32_t n;             /* spans covered */
	uint8_t *state;         /* per span: enum spansearch_result */
	uint32_t known;
	/* The file pass: spans by file, then offset; order[next] is next
	 * (NULL: span index order is file order). */
	uint32_t *order;
	uint32_t next;
	/* Decompressed bytes [wstart, wstart + win.len) of file `file`,
	 * folded (text_fold) as they are read; wend: nothing can be read
	 * past them. */
	uint16_t file;
	uint64_t wstart;
	struct buf win;
	bool wend;
	uint64_t reads;
	struct buf scratch;     /* a line folded */
};

struct spansearch_key {
	uint64_t off;
	uint32_t file, span;
};

static int
spansearch_key_cmp(const void *a, const void *b)
{
	const struct spansearch_key *x = a, *y = b;

	if (x->file != y->file)
		return x->file < y->file ? -1 : 1;
	if (x->off != y->off)
		return x->off < y->off ? -1 : 1;
	return x->span < y->span ? -1 : x->span > y->span;
}

/* Spans are added as their files are read, so they are nearly always in
 * file order already (the trace knows); sort only when they are not.
 * Looking at a million records to tell cost a 40 ms key. */
static void
spansearch_order(struct spansearch *ss)
{
	struct trace *tr = session_trace(ss->s);
	const struct span *a;
	struct spansearch_key *keys;
	uint32_t i;

	if (trace_in_file_order(tr))
		return;
	ss->order = xreallocarray(NULL, ss->n ? ss->n : 1, sizeof *ss->order);
	keys = xreallocarray(NULL, ss->n, sizeof *keys);
	for (i = 0; i < ss->n; i++) {
		a = trace_span(tr, i);
		keys[i].off = a->off;
		keys[i].file = a->file;
		keys[i].span = i;
	}
	qsort(keys, ss->n, sizeof *keys, spansearch_key_cmp);
	for (i = 0; i < ss->n; i++)
		ss->order[i] = keys[i].span;
	free(keys);
}

struct spansearch *
spansearch_new(struct session *s, const char *text)
{
	struct spansearch *ss = xcalloc(1, sizeof *ss);
	size_t i;

	ss->s = s;
	ss->text = xstrdup(text);
	ss->folded = xstrdup(text);
	ss->len = strlen(text);
	text_fold(ss->folded, ss->len);
	for (i = 0; i < ss->len; i++) {
		if (ss->folded[i] >= 'a' && ss->folded[i] <= 'z')
			ss->letters = true;
	}
	ss->n = trace_count(session_trace(s));
	ss->state = xcalloc(ss->n ? ss->n : 1, 1);
	spansearch_order(ss);
	return ss;
}

void
spansearch_free(struct spansearch *ss)
{
	if (ss == NULL)
		return;
	free(ss->text);
	free(ss->folded);
	free(ss->state);
	free(ss->order);
	buf_free(&ss->win);
	buf_free(&ss->scratch);
	free(ss);
}

const char *
spansearch_text(const struct spansearch *ss)
{
	return ss->text;
}

uint32_t
spansearch_count(const struct spansearch *ss)
{
	return ss->n;
}

uint32_t
spansearch_known(const struct spansearch *ss)
{
	return ss->known;
}

enum spansearch_result
spansearch_get(const struct spansearch *ss, uint32_t span)
{
	return span < ss->n ? (enum spansearch_result)ss->state[span] : SPANSEARCH_UNKNOWN;
}

static enum spansearch_result
spansearch_set(struct spansearch *ss, uint32_t span, bool yes)
{
	if (ss->state[span] == SPANSEARCH_UNKNOWN) {
		ss->state[span] = yes ? SPANSEARCH_YES : SPANSEARCH_NO;
		ss->known++;
	}
	return (enum spansearch_result)ss->state[span];
}

/* Name, label or id (what the tree shows). */
static bool
spansearch_in_memory(struct spansearch *ss, uint32_t span)
{
	struct trace *tr = session_trace(ss->s);
	const struct span *sp = trace_span(tr, span);
	const char *f[3];
	size_t k;

	f[0] = trace_str(tr, sp->name);
	f[1] = trace_str(tr, sp->label);
	f[2] = trace_str(tr, sp->id);
	for (k = 0; k < 3; k++) {
		if (text_find(f[k], strlen(f[k]), ss->text, ss->len, NULL))
			return true;
	}
	return false;
}

/* The raw line s[0..n), up to its first NUL; folded: already text_fold'ed. */
static bool
spansearch_in_line(struct spansearch *ss, const char *s, size_t n, bool folded)
{
	const char *nul;

	if (ss->len == 0 || n < ss->len)
		return false;
	if ((nul = memchr(s, '\0', n)) != NULL)
		n = (size_t)(nul - s);
	if (n < ss->len)
		return false;
	if (!ss->letters || folded)
		return memmem(s, n, ss->folded, ss->len) != NULL;
	buf_reset(&ss->scratch);
	buf_add(&ss->scratch, s, n);
	text_fold(ss->scratch.p, n);
	return memmem(ss->scratch.p, n, ss->folded, ss->len) != NULL;
}

enum spansearch_result
spansearch_span(struct spansearch *ss, uint32_t span)
{
	const struct span *sp;
	char *line, *cause = NULL;
	bool yes;

	if (span >= ss->n)
		return SPANSEARCH_UNKNOWN;
	if (ss->state[span] != SPANSEARCH_UNKNOWN)
		return (enum spansearch_result)ss->state[span];
	if (spansearch_in_memory(ss, span))
		return spansearch_set(ss, span, true);
	/* A line that cannot be read back holds nothing. */
	if ((line = session_span_line(ss->s, span, &cause)) == NULL) {
		free(cause);
		return spansearch_set(ss, span, false);
	}
	sp = trace_span(session_trace(ss->s), span);
	yes = spansearch_in_line(ss, line, sp->len, false);
	free(line);
	return spansearch_set(ss, span, yes);
}

/*
 * Make the window hold [off, off + len) of file, reading on; false when
 * it cannot (the span is then looked at alone, which says why not).
 * Reads start where the window ends, at an access point after the first,
 * so each segment of the file is inflated once.
 */
static bool
spansearch_window(struct spansearch *ss, uint16_t file, uint64_t off, uint32_t len)
{
	char *cause = NULL;
	uint64_t end;
	size_t want, drop;
	long got;

	if (file != ss->file || off < ss->wstart ||
	    off > ss->wstart + ss->win.len + SPANSEARCH_GAP) {
		ss->file = file;
		ss->wstart = off;
		ss->wend = false;
		buf_reset(&ss->win);
	}
	while (off + len > ss->wstart + ss->win.len) {
		if (ss->wend)
			return false;
		/* Keep only what spans still to come may need. */
		drop = off - ss->wstart < ss->win.len ? (size_t)(off - ss->wstart) : ss->win.len;
		buf_drop_front(&ss->win, drop);
		ss->wstart += drop;
		end = ss->wstart + ss->win.len;
		want = off + len - end > SPANSEARCH_READ ? (size_t)(off + len - end) :
		    SPANSEARCH_READ;
		got = session_read_on(ss->s, file, end, want, &ss->win, &cause);
		free(cause);
		cause = NULL;
		ss->reads++;
		if (got <= 0)
			ss->wend = true;
		else if (ss->letters)
			text_fold(ss->win.p + ss->win.len - (size_t)got, (size_t)got);
	}
	return true;
}

bool
spansearch_work(struct spansearch *ss, int64_t deadline_us)
{
	struct trace *tr = session_trace(ss->s);
	const struct span *sp;
	uint32_t span, k = 0;
	uint64_t reads;

	while (ss->next < ss->n) {
		if (++k % SPANSEARCH_CLOCK_EVERY == 0 && clock_us() >= deadline_us)
			break;
		span = ss->order != NULL ? ss->order[ss->next] : ss->next;
		if (ss->state[span] != SPANSEARCH_UNKNOWN) {
			ss->next++;
			continue;
		}
		if (spansearch_in_memory(ss, span)) {
			spansearch_set(ss, span, true);
			ss->next++;
			continue;
		}
		sp = trace_span(tr, span);
		if (sp->len < ss->len) {
			spansearch_set(ss, span, false);
			ss->next++;
			continue;
		}
		reads = ss->reads;
		if (!spansearch_window(ss, sp->file, sp->off, sp->len)) {
			spansearch_span(ss, span);
			ss->next++;
			continue;
		}
		spansearch_set(ss, span, spansearch_in_line(ss,
		    ss->win.p + (sp->off - ss->wstart), sp->len, true));
		ss->next++;
		/* A read costs ms: look at the clock after each. */
		if (ss->reads != reads && clock_us() >= deadline_us)
			break;
	}
	if (ss->next >= ss->n) {
		buf_free(&ss->win);
		buf_free(&ss->scratch);
	}
	return ss->next < ss->n;
}
