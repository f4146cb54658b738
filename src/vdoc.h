/* SPDX-License-Identifier: MIT */
/*
 * vdoc.h — a document of display lines: what the inspector's text views
 * (attributes, state JSON, chat) produce and the UI draws.
 *
 * Views render for a given width, so lines are already wrapped and their
 * text already sanitised (text.h): the UI only clips and colours.  Each
 * line carries style runs and, for foldable JSON, the node it opens.
 * No curses here; tests read documents as plain text.
 */
#ifndef VDOC_H
#define VDOC_H

#include <stddef.h>
#include <stdint.h>

enum vstyle {
	VS_NORMAL,
	VS_DIM,      /* secondary text, punctuation, placeholders */
	VS_HEADER,   /* section and role headers */
	VS_KEY,      /* attribute and JSON object keys */
	VS_STRING,
	VS_NUMBER,
	VS_LITERAL,  /* true false null */
	VS_ERROR,    /* error status, parse failures */
	VS_WARN,     /* truncated values, paused */
	VS_OK,
	VS_ACCENT,   /* model names, tool names, ids worth noticing */
	VS_NSTYLES
};

#define VDOC_NO_NODE UINT32_MAX

/* A style applies from byte `off` of the line to the next run's off. */
struct vrun {
	uint32_t off;
	uint8_t style;
};

struct vline {
	char *text;       /* safe UTF-8, no newline; owned by the document */
	uint32_t len;
	struct vrun *runs; /* at least one; runs[0].off == 0 */
	uint16_t nruns;
	uint32_t node;    /* foldable node this line opens, or VDOC_NO_NODE */
	uint8_t folded;   /* that node is folded */
};

struct vdoc {
	struct vline *lines;
	size_t n, cap;
	/* The line being built by vdoc_add/vdoc_end_line. */
	char *cur;
	size_t cur_len, cur_cap;
	struct vrun *cur_runs;
	size_t cur_nruns, cur_runs_cap;
};

#define VDOC_INIT { NULL, 0, 0, NULL, 0, 0, NULL, 0, 0 }

/*
 * Building: append text in a style to the current line, then end it.
 * vdoc_add sanitises its input (text_sanitize) unless told the text is
 * already safe with vdoc_add_safe; neither accepts '\n' (escaped).
 */
void vdoc_add(struct vdoc *, enum vstyle, const char *s, size_t n);
void vdoc_adds(struct vdoc *, enum vstyle, const char *s);
void vdoc_add_safe(struct vdoc *, enum vstyle, const char *s, size_t n);
void vdoc_printf(struct vdoc *, enum vstyle, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
/* Display width of the current, unfinished line. */
int vdoc_cur_width(const struct vdoc *);
/* End the current line (an empty one if nothing was added). */
void vdoc_end_line(struct vdoc *);
/* End the current line, marking it as opening node (folded or not). */
void vdoc_end_node_line(struct vdoc *, uint32_t node, int folded);

/*
 * Add text wrapped to width columns, every display line prefixed by
 * `indent` spaces (continuation lines too), ending each line.  Text is
 * sanitised with newlines kept as breaks.  When the current line is not
 * empty, the first display line continues it instead (padded with spaces
 * up to `indent` if it is narrower), so "key  value…" can share a line.
 */
void vdoc_add_wrapped(struct vdoc *, enum vstyle, const char *s, size_t n,
    int width, int indent);

/* Move a finished line of another document to the end of this one,
 * setting its node; the source line is left empty (text NULL). */
void vdoc_take_line(struct vdoc *, struct vline *, uint32_t node);

void vdoc_clear(struct vdoc *);   /* empty, keeping nothing */
void vdoc_free(struct vdoc *);

/* The whole document as plain text, one '\n' per line (tests, dumps). */
char *vdoc_to_text(const struct vdoc *);

#endif
