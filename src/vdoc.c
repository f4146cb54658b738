/* SPDX-License-Identifier: MIT */
/*
 * vdoc.c — a document of display lines with style runs (see vdoc.h).
 *
 * The line being built lives in cur/cur_runs; ending it copies both at
 * their exact size into the document, so a long-lived document holds no
 * slack.  Runs are never empty and adjacent runs never share a style.
 */
#include "vdoc.h"

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "text.h"
#include "xmalloc.h"

/* Columns between tab stops when vdoc_add_wrapped expands tabs. */
#define VDOC_TAB_STOP 8

/* Lengths are stored in 32 bits; a line never grows past this. */
#define VDOC_MAX_LINE (UINT32_MAX - 1)

/* Bytes of s[0..n) that keep the current line within VDOC_MAX_LINE,
 * cut back to a character boundary. */
static size_t
vdoc_room(const struct vdoc *vd, const char *s, size_t n)
{
	size_t room = VDOC_MAX_LINE - vd->cur_len;

	if (n <= room)
		return n;
	while (room > 0 && ((unsigned char)s[room] & 0xc0) == 0x80)
		room--;
	return room;
}

/* Note that the bytes from `off` to the end of the line are in style. */
static void
vdoc_style_from(struct vdoc *vd, size_t off, enum vstyle style)
{
	struct vrun *last;

	if (off == vd->cur_len)
		return;
	if (vd->cur_nruns > 0) {
		last = &vd->cur_runs[vd->cur_nruns - 1];
		/* Past UINT16_MAX runs the rest of the line keeps the last
		 * style: colour is lost, never text. */
		if (last->style == style || vd->cur_nruns == UINT16_MAX)
			return;
	}
	if (vd->cur_nruns == vd->cur_runs_cap) {
		vd->cur_runs_cap = vd->cur_runs_cap == 0 ? 4 : vd->cur_runs_cap * 2;
		vd->cur_runs = xreallocarray(vd->cur_runs, vd->cur_runs_cap,
		    sizeof *vd->cur_runs);
	}
	vd->cur_runs[vd->cur_nruns].off = (uint32_t)off;
	vd->cur_runs[vd->cur_nruns].style = (uint8_t)style;
	vd->cur_nruns++;
}

/* The current line as a struct buf, so text.c can append to it in place;
 * vdoc_put_buf hands the (possibly moved) memory back. */
static struct buf
vdoc_take_buf(struct vdoc *vd)
{
	struct buf b = { vd->cur, vd->cur_len, vd->cur_cap };

	return b;
}

static void
vdoc_put_buf(struct vdoc *vd, const struct buf *b)
{
	vd->cur = b->p;
	vd->cur_len = b->len;
	vd->cur_cap = b->cap;
}

void
vdoc_add_safe(struct vdoc *vd, enum vstyle style, const char *s, size_t n)
{
	struct buf b;
	size_t off = vd->cur_len;

	n = vdoc_room(vd, s, n);
	if (n == 0)
		return;
	b = vdoc_take_buf(vd);
	buf_add(&b, s, n);
	vdoc_put_buf(vd, &b);
	vdoc_style_from(vd, off, style);
}

void
vdoc_add(struct vdoc *vd, enum vstyle style, const char *s, size_t n)
{
	struct buf b, safe = BUF_INIT;
	size_t off = vd->cur_len;

	/* Sanitising at most quadruples the text ("\x1b" for one byte);
	 * when that might pass the line limit, go through the checked path. */
	if (n > (VDOC_MAX_LINE - vd->cur_len) / 4) {
		text_sanitize(&safe, s, n, 0);
		vdoc_add_safe(vd, style, buf_str(&safe), safe.len);
		buf_free(&safe);
		return;
	}
	b = vdoc_take_buf(vd);
	text_sanitize(&b, s, n, 0);
	vdoc_put_buf(vd, &b);
	vdoc_style_from(vd, off, style);
}

void
vdoc_adds(struct vdoc *vd, enum vstyle style, const char *s)
{
	vdoc_add(vd, style, s, strlen(s));
}

void
vdoc_printf(struct vdoc *vd, enum vstyle style, const char *fmt, ...)
{
	struct buf b = BUF_INIT;
	va_list ap;

	va_start(ap, fmt);
	buf_vprintf(&b, fmt, ap);
	va_end(ap);
	vdoc_add(vd, style, buf_str(&b), b.len);
	buf_free(&b);
}

int
vdoc_cur_width(const struct vdoc *vd)
{
	return text_width(vd->cur, vd->cur_len);
}

/* Room for one more line. */
static void
vdoc_grow(struct vdoc *vd)
{
	if (vd->n == vd->cap) {
		vd->cap = vd->cap == 0 ? 64 : vd->cap * 2;
		vd->lines = xreallocarray(vd->lines, vd->cap, sizeof *vd->lines);
	}
}

void
vdoc_end_line(struct vdoc *vd)
{
	struct vline *l;

	vdoc_grow(vd);
	l = &vd->lines[vd->n++];
	l->len = (uint32_t)vd->cur_len;
	l->text = xmalloc(vd->cur_len + 1);
	if (vd->cur_len > 0)
		memcpy(l->text, vd->cur, vd->cur_len);
	l->text[vd->cur_len] = '\0';
	l->nruns = vd->cur_nruns == 0 ? 1 : (uint16_t)vd->cur_nruns;
	l->runs = xreallocarray(NULL, l->nruns, sizeof *l->runs);
	if (vd->cur_nruns == 0) {
		l->runs[0].off = 0;
		l->runs[0].style = VS_NORMAL;
	} else
		memcpy(l->runs, vd->cur_runs, l->nruns * sizeof *l->runs);
	l->node = VDOC_NO_NODE;
	l->folded = 0;
	vd->cur_len = 0;
	vd->cur_nruns = 0;
}

void
vdoc_end_node_line(struct vdoc *vd, uint32_t node, int folded)
{
	vdoc_end_line(vd);
	vd->lines[vd->n - 1].node = node;
	vd->lines[vd->n - 1].folded = folded != 0;
}

/* Pad the current line with spaces up to column `to`. */
static void
vdoc_pad(struct vdoc *vd, int from, int to)
{
	static const char spaces[] = "                                ";
	int chunk;

	for (; from < to; from += chunk) {
		chunk = to - from;
		if (chunk > (int)sizeof spaces - 1)
			chunk = (int)sizeof spaces - 1;
		vdoc_add_safe(vd, VS_NORMAL, spaces, (size_t)chunk);
	}
}

struct vdoc_wrap {
	struct vdoc *vd;
	enum vstyle style;
	int indent;
};

static void
vdoc_wrap_line(void *arg, const char *line, size_t n)
{
	struct vdoc_wrap *w = arg;

	/* A blank line stays empty rather than carrying the indent. */
	if (n > 0)
		vdoc_pad(w->vd, 0, w->indent);
	vdoc_add_safe(w->vd, w->style, line, n);
	vdoc_end_line(w->vd);
}

static void
vdoc_first_line_fn(void *arg, const char *line, size_t n)
{
	size_t *len = arg;

	if (*len == SIZE_MAX)
		*len = n;
}

/*
 * The first display line of s[0..n) wrapped at cols columns, exactly as
 * text_wrap cuts it: returns its length and sets *next to where
 * text_wrap would go on (after the spaces dropped at the break, or the
 * newline ending the paragraph).
 */
static size_t
vdoc_first_line(const char *s, size_t n, int cols, size_t *next)
{
	const char *nl = memchr(s, '\n', n);
	size_t end = nl != NULL ? (size_t)(nl - s) : n, len = SIZE_MAX, pos;

	if (end > 0)
		text_wrap(s, end, cols, vdoc_first_line_fn, &len);
	if (len == SIZE_MAX)
		len = 0;
	for (pos = len; pos < end && s[pos] == ' '; pos++)
		;
	if (pos == end && end < n)
		pos++;
	*next = pos;
	return len;
}

/* Replace the tabs in sanitised text by spaces up to the next tab stop,
 * counting columns from the start of each line. */
static void
vdoc_expand_tabs(struct buf *out, const char *s, size_t n)
{
	size_t i = 0, run;
	int col = 0, pad;

	while (i < n) {
		for (run = i; run < n && s[run] != '\t' && s[run] != '\n'; run++)
			;
		buf_add(out, s + i, run - i);
		col += text_width(s + i, run - i);
		if (run == n)
			break;
		if (s[run] == '\n') {
			buf_addc(out, '\n');
			col = 0;
		} else {
			for (pad = VDOC_TAB_STOP - col % VDOC_TAB_STOP; pad > 0; pad--)
				buf_addc(out, ' ');
			col += VDOC_TAB_STOP - col % VDOC_TAB_STOP;
		}
		i = run + 1;
	}
}

/*
 * Tabs expand to spaces (stops every VDOC_TAB_STOP columns from the
 * start of the text's line) rather than show as "\t": indented code and
 * tables stay readable.  An empty text still ends a line, so a value
 * always shows.  Blank lines carry no indent.
 */
void
vdoc_add_wrapped(struct vdoc *vd, enum vstyle style, const char *s, size_t n,
    int width, int indent)
{
	struct buf safe = BUF_INIT, text = BUF_INIT;
	struct vdoc_wrap w = { vd, style, indent < 0 ? 0 : indent };
	size_t first, next = 0;
	int col, start;

	text_sanitize(&safe, s, n, TEXT_KEEP_NEWLINES | TEXT_KEEP_TABS);
	vdoc_expand_tabs(&text, buf_str(&safe), safe.len);
	buf_free(&safe);
	if (text.len == 0) {
		vdoc_end_line(vd);
		buf_free(&text);
		return;
	}
	/* The first display line continues the current one, if there is
	 * one and it leaves room. */
	if (vd->cur_len > 0) {
		col = vdoc_cur_width(vd);
		start = col > w.indent ? col : w.indent;
		if (start < width) {
			vdoc_pad(vd, col, w.indent);
			first = vdoc_first_line(text.p, text.len, width - start,
			    &next);
			vdoc_add_safe(vd, style, text.p, first);
		}
		vdoc_end_line(vd);
	}
	if (next < text.len)
		text_wrap(text.p + next, text.len - next, width - w.indent,
		    vdoc_wrap_line, &w);
	buf_free(&text);
}

void
vdoc_take_line(struct vdoc *vd, struct vline *l, uint32_t node)
{
	vdoc_grow(vd);
	vd->lines[vd->n] = *l;
	vd->lines[vd->n].node = node;
	vd->n++;
	l->text = NULL;
	l->len = 0;
	l->runs = NULL;
	l->nruns = 0;
}

void
vdoc_clear(struct vdoc *vd)
{
	size_t i;

	for (i = 0; i < vd->n; i++) {
		free(vd->lines[i].text);
		free(vd->lines[i].runs);
	}
	free(vd->lines);
	free(vd->cur);
	free(vd->cur_runs);
	memset(vd, 0, sizeof *vd);
}

void
vdoc_free(struct vdoc *vd)
{
	vdoc_clear(vd);
}

char *
vdoc_to_text(const struct vdoc *vd)
{
	struct buf b = BUF_INIT;
	size_t i;

	for (i = 0; i < vd->n; i++) {
		buf_add(&b, vd->lines[i].text, vd->lines[i].len);
		buf_addc(&b, '\n');
	}
	return buf_detach(&b);
}
