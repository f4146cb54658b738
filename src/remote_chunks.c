/* SPDX-License-Identifier: MIT */
/*
 * remote_chunks.c — a real inspector's rotated chunk rows, folded into their
 * session (doc/reference.md §4, last bullet).
 *
 * The inspector's /sessions lists each file of a rotated session as a
 * session of its own: ID (the base file) and ID.jsonl.chunk_N (each chunk,
 * with a status guessed from that chunk alone), and /trace/ refuses the
 * chunk ids (a '.' is outside the id alphabet).  So a client sees one
 * session, ID, of which /trace/ID serves only the base file: the row
 * counts the chunks it cannot read, and takes the status, title and
 * engine of the newest file (the last chunk holds the root once it ends).
 */
#include "remote_chunks.h"

#include <stdlib.h>
#include <string.h>

#include "span.h"
#include "xmalloc.h"

#define CHUNK_MARK ".jsonl.chunk_"

bool
remote_chunk_id(const char *id, size_t *baselen, unsigned long *n)
{
	const char *p, *mark = NULL, *q;
	char *end;

	/* The last ".jsonl.chunk_" followed by digits only. */
	for (p = id; (q = strstr(p, CHUNK_MARK)) != NULL; p = q + 1)
		mark = q;
	if (mark == NULL || mark == id)
		return false;
	q = mark + strlen(CHUNK_MARK);
	if (*q < '0' || *q > '9')
		return false;
	*n = strtoul(q, &end, 10);
	if (*end != '\0')
		return false;
	*baselen = (size_t)(mark - id);
	return true;
}

static long
find_row(const struct remote_session *s, size_t n, const char *id, size_t len)
{
	size_t i;

	for (i = 0; i < n; i++) {
		if (strlen(s[i].id) == len && memcmp(s[i].id, id, len) == 0)
			return (long)i;
	}
	return -1;
}

static void
take_str(char **to, char **from)
{
	if (*from == NULL)
		return;
	free(*to);
	*to = *from;
	*from = NULL;
}

/* Fold chunk row c (chunk number k) into row r, whose newest file so far
 * is *newest. */
static void
fold_into(struct remote_session *r, unsigned long *newest,
    struct remote_session *c, unsigned long k)
{
	r->chunks += 1 + c->chunks;
	if (c->started_at != SPAN_TIME_NONE && (r->started_at == SPAN_TIME_NONE ||
	    c->started_at < r->started_at))
		r->started_at = c->started_at;
	if (c->ended_at != SPAN_TIME_NONE && (r->ended_at == SPAN_TIME_NONE ||
	    c->ended_at > r->ended_at))
		r->ended_at = c->ended_at;
	if (k > *newest) {
		*newest = k;
		take_str(&r->status, &c->status);
		take_str(&r->title, &c->title);
		take_str(&r->engine, &c->engine);
	}
}

static void
session_clear(struct remote_session *s)
{
	free(s->id);
	free(s->status);
	free(s->engine);
	free(s->title);
}

void
remote_chunks_fold(struct remote_session *s, size_t *n)
{
	unsigned long *newest = xcalloc(*n ? *n : 1, sizeof *newest), k;
	size_t i, kept = 0, len;
	long r;

	/* Rows that are not chunks first, in their order ... */
	for (i = 0; i < *n; i++) {
		if (remote_chunk_id(s[i].id, &len, &k))
			continue;
		if (kept != i) {
			struct remote_session t = s[kept];

			s[kept] = s[i];
			s[i] = t;
		}
		kept++;
	}
	/* ... then each chunk goes into its session's row, or becomes it
	 * when the base file is not listed. */
	for (i = kept; i < *n; i++) {
		remote_chunk_id(s[i].id, &len, &k);
		if ((r = find_row(s, kept, s[i].id, len)) >= 0) {
			fold_into(&s[r], &newest[r], &s[i], k);
			session_clear(&s[i]);
			continue;
		}
		s[i].id[len] = '\0';
		s[i].chunks = 1;
		newest[kept] = k;
		if (kept != i) {
			s[kept] = s[i];
			memset(&s[i], 0, sizeof s[i]);
		}
		kept++;
	}
	*n = kept;
	free(newest);
}
