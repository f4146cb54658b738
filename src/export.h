/* SPDX-License-Identifier: MIT */
/*
 * export.h — getting things out of the browser (doc/reference.md §9): a span as JSON,
 * a subtree as a Markdown outline, and the OSC 52 sequence that puts text
 * on the terminal's clipboard.  Plain text in, plain text out: no curses.
 */
#ifndef EXPORT_H
#define EXPORT_H

#include <stddef.h>
#include <stdint.h>

struct buf;
struct session;
struct trace;

/*
 * The most a copy may hold, before base64: terminals drop or cut longer
 * OSC 52 sequences (xterm's default and several others stop near 100 KB;
 * tmux keeps at most what its buffer limit allows), so a larger copy is
 * refused with a message rather than cut silently.
 */
#define EXPORT_COPY_MAX (100 * 1024)

/*
 * Span i of the session as pretty-printed JSON: identity, times, status,
 * type and label, then every attribute, event and resource attribute with
 * its value exactly as written.  Caller frees; NULL with *cause when the
 * span cannot be read back.
 */
char *export_span_json(struct session *, uint32_t span, char **cause);

/*
 * The subtree of tree node `node` as a Markdown outline, one "- " line a
 * span, indented two spaces a level: name, type, label, duration, status,
 * tokens.  Text is sanitised (one line a span, no control characters).
 * Caller frees.
 */
char *export_outline(struct trace *, uint32_t node);

/*
 * Append the OSC 52 sequence that sets the clipboard to data[0..n) to out.
 * -1 with *cause, out untouched, when n is over EXPORT_COPY_MAX.
 */
int export_osc52(struct buf *out, const char *data, size_t n, char **cause);

/* "812 B", "12.3 KB", "1.2 MB": a size for a status note. */
void export_size(struct buf *, size_t n);

#endif
