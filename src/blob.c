/* SPDX-License-Identifier: MIT */
/* blob.c — values too long to show in full; see blob.h. */
#include "blob.h"

#include <string.h>

#include "fmt.h"
#include "text.h"

/* Whether s[0..n) holds any byte of set. */
static bool
blob_has_any(const char *s, size_t n, const char *set)
{
	size_t i;

	for (i = 0; i < n; i++) {
		if (s[i] != '\0' && strchr(set, s[i]) != NULL)
			return true;
	}
	return false;
}

/* The media type base64 text starts like, or NULL. */
static const char *
blob_magic(const char *s, size_t n)
{
	static const struct { const char *prefix, *mime; } magic[] = {
		{ "iVBORw0KGgo", "image/png" }, { "/9j/", "image/jpeg" },
		{ "R0lGOD", "image/gif" }, { "UklGR", "image/webp" },
		{ "JVBERi0", "application/pdf" },
	};
	size_t i;

	for (i = 0; i < sizeof magic / sizeof magic[0]; i++) {
		if (n >= strlen(magic[i].prefix) &&
		    strncmp(s, magic[i].prefix, strlen(magic[i].prefix)) == 0)
			return magic[i].mime;
	}
	return NULL;
}

static bool
blob_is_base64(const char *s, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		if (!((s[i] >= 'A' && s[i] <= 'Z') || (s[i] >= 'a' && s[i] <= 'z') ||
		    (s[i] >= '0' && s[i] <= '9') || s[i] == '+' || s[i] == '/' ||
		    s[i] == '=' || s[i] == '\n' || s[i] == '\r'))
			return false;
	}
	return true;
}

struct blob_count {
	size_t lines;
};

static void
blob_count_line(void *arg, const char *line, size_t n)
{
	((struct blob_count *)arg)->lines++;
}

/*
 * When s[0..n) is a blob, its one-line summary into out: "[base64
 * image/png 2.3 KB]", or "… 1 097 lines (30 KB), Enter to expand"; false
 * when it is short enough to show.
 */
bool
blob_summary(const char *s, size_t n, int width, struct buf *out)
{
	struct blob_count c = { 0 };
	struct buf safe = BUF_INIT;
	const char *data = s, *mime = NULL, *comma;
	size_t dn = n;

	const char *p;
	size_t nl = 0;

	/* Most values are short: decide from their length and newlines
	 * alone before wrapping anything (this runs on every selection). */
	if (n < 64)
		return false;
	for (p = s; (p = memchr(p, '\n', (size_t)(s + n - p))) != NULL; p++)
		nl++;
	if (n < 512 && nl < BLOB_LINES / 2)
		return false;
	if (strncmp(s, "data:", 5) == 0 && (comma = memchr(s, ',', n < 256 ? n : 256)) != NULL &&
	    comma - s > 12 && strncmp(comma - 7, ";base64", 7) == 0) {
		data = comma + 1;
		dn = n - (size_t)(data - s);
	}
	/* Plain base64 is taken for it only with a known start or a mix of
	 * cases and digits: a run of one letter is text. */
	if ((data != s || (n >= BLOB_BYTES / 4 && (blob_magic(data, dn) != NULL ||
	    (blob_has_any(data, dn, "0123456789+/") && blob_has_any(data, dn, "ABCDEFGHIJKLMNOPQRSTUVWXYZ") &&
	    blob_has_any(data, dn, "abcdefghijklmnopqrstuvwxyz"))))) && blob_is_base64(data, dn)) {
		mime = data != s ? NULL : blob_magic(data, dn);
		buf_adds(out, "[base64 ");
		if (data != s)
			buf_add(out, s + 5, (size_t)(data - 1 - 7 - (s + 5)));
		else if (mime != NULL)
			buf_adds(out, mime);
		if (data != s || mime != NULL)
			buf_addc(out, ' ');
		fmt_size(out, (uint64_t)dn / 4 * 3);
		buf_adds(out, "], Enter to expand");
		return true;
	}
	if (n < BLOB_BYTES && nl + n / (size_t)(width > 12 ? width - 8 : 4) + 1 <= BLOB_LINES)
		return false;
	text_sanitize(&safe, s, n, TEXT_KEEP_NEWLINES);
	text_wrap(safe.p, safe.len, width > 8 ? width - 4 : 4, blob_count_line, &c);
	buf_free(&safe);
	if (n < BLOB_BYTES && c.lines <= BLOB_LINES)
		return false;
	buf_adds(out, "\xe2\x80\xa6 ");
	fmt_grouped(out, c.lines);
	buf_adds(out, " lines (");
	fmt_size(out, n);
	buf_adds(out, "), Enter to expand");
	return true;
}

