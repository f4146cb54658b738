/* SPDX-License-Identifier: MIT */
/*
 * text.h — making untrusted text safe and measuring it for a terminal.
 *
 * Trace content is hostile (doc/reference.md §7): nothing from it may reach the
 * terminal as a control sequence.  text_sanitize turns C0/C1 controls, ESC,
 * DEL and bidi controls into visible escapes and invalid UTF-8 into U+FFFD;
 * the width functions measure the result in terminal columns (wcwidth,
 * under the caller's LC_CTYPE).
 */
#ifndef TEXT_H
#define TEXT_H

#include <stdbool.h>
#include <stddef.h>

#include "buf.h"

/* Decode one UTF-8 sequence at s (n bytes available).  Returns its length
 * and stores the code point, or returns 0 for an invalid or truncated
 * sequence (overlongs, surrogates and values over U+10FFFF are invalid). */
size_t utf8_decode(const unsigned char *s, size_t n, unsigned *cp);
/*
 * Code points that must not reach a terminal as they are, even though they
 * are valid UTF-8: C1 controls (U+009B is CSI, U+009D is OSC on terminals
 * that honour 8-bit controls), bidi controls (they reorder what follows and
 * can disguise text) and the line and paragraph separators (some terminals
 * break lines on them).  text_sanitize escapes them for the screen and
 * buf_add_json_string writes them as \uXXXX, so neither channel carries
 * them raw.
 */
bool utf8_is_terminal_control(unsigned cp);
/* Encode cp (≤ U+10FFFF) as UTF-8 into out[4]; returns the length. */
size_t utf8_encode(unsigned cp, char *out);

enum text_flags {
	TEXT_KEEP_NEWLINES = 1 << 0, /* '\n' passes through (for wrapping) */
	TEXT_KEEP_TABS = 1 << 1,     /* '\t' passes through */
};

/*
 * Append a safe rendering of s[0..n) to out:
 *   C0 (except kept \n/\t), DEL → "\n", "\t", "\r" or "\xNN" escapes
 *   (ESC is "\x1b");
 *   C1 (U+0080–U+009F) → "\u{80}"…; bidi controls (U+061C, U+200E, U+200F,
 *   U+202A–U+202E, U+2066–U+2069) and the line/paragraph separators
 *   (U+2028, U+2029) → "\u{202e}"…;
 *   invalid UTF-8 → one U+FFFD per byte that does not start a valid
 *   sequence (so the truncated "\xe6\x97" gives two).
 * Hex digits are lower case; a backslash is left as it is.
 */
void text_sanitize(struct buf *out, const char *s, size_t n, unsigned flags);

/* True when s[0..n) would be left unchanged by text_sanitize(…, 0). */
bool text_is_safe(const char *s, size_t n);

/* Display columns of valid UTF-8 text (sanitized); non-printable code
 * points, and any invalid byte, count as 1. */
int text_width(const char *s, size_t n);

/* Bytes of s[0..n) that fit in cols columns without splitting a
 * character; *used (if non-NULL) receives the columns they take.  A wide
 * character that would straddle the edge is left out; zero-width ones
 * (combining marks) right at the edge are kept. */
size_t text_fit(const char *s, size_t n, int cols, int *used);

/*
 * Wrap valid UTF-8 text to width columns: breaks at spaces when possible,
 * else inside words; '\n' always breaks.  Calls fn for each display line
 * (without newline; line points into s and is not NUL-terminated).
 * width < 1 is treated as 1.  No line is wider than width, except a single
 * character wider than width, which gets a line of its own.  The spaces at
 * a break are dropped.  '\n' ends a line as in a text file: "" gives no
 * lines, "\n" and "a\n\nb" give empty lines, a final '\n' adds none.
 */
typedef void (*text_line_fn)(void *arg, const char *line, size_t n);
void text_wrap(const char *s, size_t n, int width, text_line_fn fn, void *arg);

/*
 * What a search finds (the browser's /, its highlights, the tree search
 * of spansearch.c): needle[0..len) in hay[0..n), ASCII letters matched
 * without regard to case, every other byte as it is.  *at (if non-NULL)
 * receives where the first match starts.  An empty needle matches nothing.
 */
bool text_find(const char *hay, size_t n, const char *needle, size_t len, size_t *at);
/* The lower-case form text_find compares: ASCII A-Z made a-z in s[0..n),
 * in place. */
void text_fold(char *s, size_t n);

#endif
