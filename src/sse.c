/* SPDX-License-Identifier: MIT */
/*
 * sse.c — the WHATWG event-stream parser (HTML, "Server-sent events",
 * parsing and interpreting an event stream); see sse.h.
 *
 * A line that lies whole inside the fed piece is parsed where it is; only
 * a line that straddles pieces is copied, into s->line.  Line ends, ':'
 * and the field names are ASCII, which never occurs inside a UTF-8
 * sequence, so the spec's decoding (ill-formed bytes become U+FFFD) is
 * applied to field values as they are stored: the same result as decoding
 * the whole stream first, without a pass over every byte.
 *
 * The last event id follows the spec's two variables.  An id field sets
 * the "last event ID buffer" (id_buf); every blank line, whether or not
 * it dispatches an event, copies it to the "last event ID string"
 * (last_id).  ev->id and sse_last_id report the string, so the id of an
 * event not yet completed by its blank line is not reported, and a
 * reconnect asks for what follows the last event that was complete.
 *
 * max_line is this parser's own addition: a longer line is dropped whole,
 * and so is the event it belonged to unless it was a comment (a dropped
 * data, id or event line would leave the event wrong, not just short).
 * An event whose data would exceed max_line is dropped too.
 */
#include "sse.h"

#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "xmalloc.h"

static const unsigned char sse_bom[3] = { 0xef, 0xbb, 0xbf };

struct sse {
	size_t		 max_line;
	sse_event_fn	 event_fn;
	sse_retry_fn	 retry_fn;
	void		*arg;

	struct buf	 line;		/* a line straddling pieces */
	struct buf	 data;		/* the spec's data buffer */
	struct buf	 type;		/* event type buffer */
	struct buf	 id_buf;	/* last event ID buffer */
	struct buf	 last_id;	/* last event ID string */

	size_t		 bom;		/* BOM bytes matched; 3 once past it */
	int		 after_cr;	/* a CR ended the last line */
	int		 skip_line;	/* the line being read is too long */
	int		 skip_event;	/* the event being read was dropped */
	uint64_t	 dropped;
};

/*
 * The length of the UTF-8 sequence at s, whose first byte is above 0x7f.
 * Sets *ok when it is a character; otherwise the bytes are the WHATWG
 * decoder's ill-formed run (the longest prefix of a valid sequence, at
 * least one byte), which it replaces with a single U+FFFD.
 */
static size_t
utf8_span(const unsigned char *s, size_t n, int *ok)
{
	unsigned char lo = 0x80, hi = 0xbf;
	size_t need, i;

	*ok = 0;
	if (s[0] >= 0xc2 && s[0] <= 0xdf)
		need = 1;
	else if (s[0] >= 0xe0 && s[0] <= 0xef) {
		need = 2;
		if (s[0] == 0xe0)
			lo = 0xa0;	/* overlong */
		else if (s[0] == 0xed)
			hi = 0x9f;	/* surrogate */
	} else if (s[0] >= 0xf0 && s[0] <= 0xf4) {
		need = 3;
		if (s[0] == 0xf0)
			lo = 0x90;	/* overlong */
		else if (s[0] == 0xf4)
			hi = 0x8f;	/* beyond U+10FFFF */
	} else
		return 1;
	for (i = 1; i <= need; i++) {
		if (i == n || s[i] < lo || s[i] > hi)
			return i;
		lo = 0x80;
		hi = 0xbf;
	}
	*ok = 1;
	return i;
}

/* Append s[0..n) decoded as the spec decodes the stream. */
static void
add_text(struct buf *b, const char *s, size_t n)
{
	const unsigned char *u = (const unsigned char *)s;
	size_t i = 0, run = 0, len;
	int ok;

	while (i < n) {
		if (u[i] < 0x80) {
			i++;
			continue;
		}
		len = utf8_span(u + i, n - i, &ok);
		if (!ok) {
			buf_add(b, s + run, i - run);
			buf_add(b, "\xef\xbf\xbd", 3);
			run = i + len;
		}
		i += len;
	}
	buf_add(b, s + run, n - run);
}

static void
set_text(struct buf *b, const char *s, size_t n)
{
	buf_reset(b);
	add_text(b, s, n);
}

static void
copy_buf(struct buf *dst, const struct buf *src)
{
	buf_reset(dst);
	buf_add(dst, buf_str(src), src->len);
}

static void
reset_event(struct sse *s)
{
	buf_reset(&s->data);
	buf_reset(&s->type);
	s->skip_event = 0;
}

/* Give up on the event being read: its blank line will dispatch nothing. */
static void
drop_event(struct sse *s)
{
	buf_reset(&s->data);
	s->skip_event = 1;
}

/* The spec's "dispatch the event", run by every blank line. */
static int
dispatch(struct sse *s)
{
	struct sse_event ev;
	int rc = 0;

	copy_buf(&s->last_id, &s->id_buf);
	/* A dropped event has an empty data buffer, so it ends here too. */
	if (s->data.len == 0) {
		reset_event(s);
		return 0;
	}
	/* Every data line appended a LF; the last one is not data. */
	s->data.p[--s->data.len] = '\0';
	ev.type = s->type.len != 0 ? s->type.p : "message";
	ev.data = s->data.p;
	ev.data_len = s->data.len;
	ev.id = buf_str(&s->last_id);
	if (s->event_fn != NULL)
		rc = s->event_fn(s->arg, &ev);
	reset_event(s);
	return rc;
}

/* data: append the value and a LF, unless the event outgrows max_line. */
static void
add_data(struct sse *s, const char *v, size_t n)
{
	if (s->skip_event)
		return;
	/* Decoding never shrinks text, so the raw length may reject early. */
	if (n <= s->max_line - s->data.len) {
		add_text(&s->data, v, n);
		/* What is held now is what would be dispatched. */
		if (s->data.len <= s->max_line) {
			buf_addc(&s->data, '\n');
			return;
		}
	}
	drop_event(s);
	s->dropped++;
}

/* retry: ASCII digits only, and at least one; an overflow is ignored. */
static void
set_retry(struct sse *s, const char *v, size_t n)
{
	uint64_t ms = 0;
	unsigned digit;
	size_t i;

	if (n == 0)
		return;
	for (i = 0; i < n; i++) {
		if (v[i] < '0' || v[i] > '9')
			return;
		digit = (unsigned)(v[i] - '0');
		if (ms > (UINT64_MAX - digit) / 10)
			return;
		ms = ms * 10 + digit;
	}
	if (s->retry_fn != NULL)
		s->retry_fn(s->arg, ms);
}

static int
name_is(const char *name, size_t len, const char *want)
{
	return len == strlen(want) && memcmp(name, want, len) == 0;
}

static void
process_field(struct sse *s, const char *name, size_t nlen, const char *v,
    size_t vlen)
{
	if (name_is(name, nlen, "event"))
		set_text(&s->type, v, vlen);
	else if (name_is(name, nlen, "data"))
		add_data(s, v, vlen);
	else if (name_is(name, nlen, "id")) {
		if (memchr(v, '\0', vlen) == NULL)
			set_text(&s->id_buf, v, vlen);
	} else if (name_is(name, nlen, "retry"))
		set_retry(s, v, vlen);
}

static int
process_line(struct sse *s, const char *p, size_t n)
{
	const char *colon, *v;
	size_t vlen;

	if (n == 0)
		return dispatch(s);
	if (p[0] == ':')
		return 0;
	colon = memchr(p, ':', n);
	if (colon == NULL) {
		process_field(s, p, n, p + n, 0);
		return 0;
	}
	v = colon + 1;
	vlen = n - (size_t)(v - p);
	if (vlen != 0 && *v == ' ') {
		v++;
		vlen--;
	}
	process_field(s, p, (size_t)(colon - p), v, vlen);
	return 0;
}

/* A line over max_line is dropped; unless a comment, its event goes too. */
static void
drop_line(struct sse *s, int comment)
{
	s->dropped++;
	if (!comment)
		drop_event(s);
}

/*
 * Add p[0..n) to the held line.  Returns 0 once the line is too long: it
 * is then dropped and the rest of it skipped.
 */
static int
hold(struct sse *s, const char *p, size_t n)
{
	if (s->skip_line)
		return 0;
	if (n > s->max_line - s->line.len) {
		drop_line(s, (s->line.len != 0 ? s->line.p : p)[0] == ':');
		buf_reset(&s->line);
		s->skip_line = 1;
		return 0;
	}
	buf_add(&s->line, p, n);
	return 1;
}

/* A line end follows p[0..n): that, after whatever was held, is a line. */
static int
end_line(struct sse *s, const char *p, size_t n)
{
	int rc = 0;

	if (s->line.len == 0 && !s->skip_line) {
		if (n <= s->max_line)
			return process_line(s, p, n);
		drop_line(s, p[0] == ':');
		return 0;
	}
	if (hold(s, p, n))
		rc = process_line(s, s->line.p, s->line.len);
	buf_reset(&s->line);
	s->skip_line = 0;
	return rc;
}

/*
 * Strip the BOM the spec's UTF-8 decode strips at the start of a stream;
 * it may come a byte at a time.  Returns how many bytes of p it took.
 */
static size_t
skip_bom(struct sse *s, const char *p, size_t len)
{
	size_t i = 0;

	while (s->bom < sizeof sse_bom && i < len) {
		if ((unsigned char)p[i] != sse_bom[s->bom]) {
			/* Not a BOM after all: what matched so far is text. */
			if (s->bom != 0)
				hold(s, (const char *)sse_bom, s->bom);
			s->bom = sizeof sse_bom;
			break;
		}
		s->bom++;
		i++;
	}
	return i;
}

static const char *
find(const char *p, const char *end, int c)
{
	const char *q = memchr(p, c, (size_t)(end - p));

	return q != NULL ? q : end;
}

struct sse *
sse_new(size_t max_line, sse_event_fn event_fn, sse_retry_fn retry_fn,
    void *arg)
{
	struct sse *s = xcalloc(1, sizeof *s);

	s->max_line = max_line;
	s->event_fn = event_fn;
	s->retry_fn = retry_fn;
	s->arg = arg;
	return s;
}

void
sse_free(struct sse *s)
{
	if (s == NULL)
		return;
	buf_free(&s->line);
	buf_free(&s->data);
	buf_free(&s->type);
	buf_free(&s->id_buf);
	buf_free(&s->last_id);
	free(s);
}

int
sse_feed(struct sse *s, const char *buf, size_t len)
{
	const char *p, *end, *cr, *lf, *eol;
	int rc;

	if (len == 0)
		return 0;
	p = buf + skip_bom(s, buf, len);
	end = buf + len;
	/*
	 * The next CR and LF are remembered, not searched for again on each
	 * line, so a piece with many lines of one kind stays linear.
	 */
	cr = find(p, end, '\r');
	lf = find(p, end, '\n');
	while (p < end) {
		if (s->after_cr) {
			s->after_cr = 0;
			if (*p == '\n') {
				p++;
				continue;
			}
		}
		if (cr < p)
			cr = find(p, end, '\r');
		if (lf < p)
			lf = find(p, end, '\n');
		eol = cr < lf ? cr : lf;
		if (eol == end) {
			hold(s, p, (size_t)(end - p));
			break;
		}
		s->after_cr = *eol == '\r';
		rc = end_line(s, p, (size_t)(eol - p));
		p = eol + 1;
		if (rc != 0)
			return rc;
	}
	return 0;
}

void
sse_reset(struct sse *s)
{
	buf_reset(&s->line);
	reset_event(s);
	/*
	 * The spec starts each stream's id buffer empty, which would wipe the
	 * last id at the first blank line without an id; like browsers, start
	 * it from the last id instead.  An unfinished event's id goes.
	 */
	copy_buf(&s->id_buf, &s->last_id);
	s->bom = 0;
	s->after_cr = 0;
	s->skip_line = 0;
}

const char *
sse_last_id(const struct sse *s)
{
	return buf_str(&s->last_id);
}

uint64_t
sse_dropped(const struct sse *s)
{
	return s->dropped;
}
