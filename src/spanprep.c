/* SPDX-License-Identifier: MIT */
/* spanprep.c — the spans of a block's lines, parsed ahead (spanprep.h). */
#include "spanprep.h"

#include <stdlib.h>
#include <string.h>

#include "jscan.h"
#include "span_parse.h"
#include "xmalloc.h"

/* go_on is asked once per this many lines: it takes the queue's lock. */
#define SPANPREP_ASK_EVERY 8

/* A line kept: where it is and which of spans[] are its. */
struct spanprep_line {
	uint64_t off;
	size_t len;
	size_t first, n;
};

struct spanprep {
	const char *text;        /* the block (producer only) */
	size_t len;
	uint64_t base;           /* stream offset of text[0] */
	size_t pos;              /* where the next line to parse starts */
	struct spanprep_line *lines;
	size_t nlines, lines_cap;
	size_t next;             /* consumer: the first line not yet taken */
	struct span_fields *spans;
	size_t nspans, spans_cap;
	/* Text a parser decoded (escaped strings, ids it rewrote): its own
	 * scratch memory is reset with the next line. */
	struct jarena *arena;
};

struct spanprep *
spanprep_new(void)
{
	struct spanprep *sp = xcalloc(1, sizeof *sp);

	sp->arena = jarena_new();
	return sp;
}

void
spanprep_free(struct spanprep *sp)
{
	if (sp == NULL)
		return;
	jarena_free(sp->arena);
	free(sp->lines);
	free(sp->spans);
	free(sp);
}

void
spanprep_free_tag(void *sp)
{
	spanprep_free(sp);
}

void
spanprep_begin(struct spanprep *sp, const char *text, size_t len, uint64_t base)
{
	const char *nl = memchr(text, '\n', len);

	sp->text = text;
	sp->len = len;
	sp->base = base;
	/* The bytes before the first '\n' end a line the block before began:
	 * the indexing thread holds that line's start, not this. */
	sp->pos = nl != NULL ? (size_t)(nl + 1 - text) : len;
	sp->nlines = sp->next = sp->nspans = 0;
	jarena_reset(sp->arena);
}

/* A strref that points outside the block (into the parser's scratch
 * memory, which the next line reuses) is copied into the arena. */
static void
spanprep_keep_text(struct spanprep *sp, struct strref *r)
{
	char *copy;

	if (r->p == NULL || (r->p >= sp->text && r->p < sp->text + sp->len))
		return;
	copy = jarena_alloc(sp->arena, r->n ? r->n : 1);
	memcpy(copy, r->p, r->n);
	r->p = copy;
}

static void
spanprep_keep_span(struct spanprep *sp, const struct span_fields *f)
{
	struct span_fields *k;

	if (sp->nspans == sp->spans_cap) {
		sp->spans_cap = sp->spans_cap ? sp->spans_cap * 2 : 256;
		sp->spans = xreallocarray(sp->spans, sp->spans_cap, sizeof *sp->spans);
	}
	k = &sp->spans[sp->nspans++];
	*k = *f;
#define KEEP_TEXT(m) spanprep_keep_text(sp, &k->m);
	SPAN_FIELDS_STRREFS(KEEP_TEXT)
#undef KEEP_TEXT
}

/* Parse one whole line of the block; keep its spans when it is clean. */
static bool
spanprep_line(struct spanprep *sp, struct span_parser *parser, size_t at, size_t len)
{
	struct spanprep_line *l;
	int n, i;

	n = span_parse_line(parser, sp->text + at, len);
	if (n <= 0 || span_parser_skipped(parser) != NULL)
		return false;
	if (sp->nlines == sp->lines_cap) {
		sp->lines_cap = sp->lines_cap ? sp->lines_cap * 2 : 256;
		sp->lines = xreallocarray(sp->lines, sp->lines_cap, sizeof *sp->lines);
	}
	l = &sp->lines[sp->nlines++];
	l->off = sp->base + at;
	l->len = len;
	l->first = sp->nspans;
	l->n = (size_t)n;
	for (i = 0; i < n; i++)
		spanprep_keep_span(sp, span_parser_span(parser, i));
	return true;
}

size_t
spanprep_parse(struct spanprep *sp, struct span_parser *parser, size_t max_len,
    bool (*go_on)(void *), void *arg)
{
	const char *nl;
	size_t kept = 0, seen = 0, len;

	while (sp->pos < sp->len) {
		if (seen++ % SPANPREP_ASK_EVERY == 0 && !go_on(arg))
			break;
		nl = memchr(sp->text + sp->pos, '\n', sp->len - sp->pos);
		if (nl == NULL)
			break;          /* the last line goes on in the next block */
		len = (size_t)(nl - (sp->text + sp->pos));
		if (len > 0 && sp->text[sp->pos + len - 1] == '\r')
			len--;
		if (len <= max_len && spanprep_line(sp, parser, sp->pos, len))
			kept++;
		sp->pos = (size_t)(nl + 1 - sp->text);
	}
	return kept;
}

int
spanprep_take(struct spanprep *sp, uint64_t off, size_t len,
    const struct span_fields **spans)
{
	const struct spanprep_line *l;

	while (sp->next < sp->nlines && sp->lines[sp->next].off < off)
		sp->next++;
	if (sp->next == sp->nlines)
		return -1;
	l = &sp->lines[sp->next];
	if (l->off != off || l->len != len)
		return -1;
	sp->next++;
	*spans = &sp->spans[l->first];
	return (int)l->n;
}
