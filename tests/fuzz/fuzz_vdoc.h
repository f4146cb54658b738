/* SPDX-License-Identifier: MIT */
/*
 * fuzz_vdoc.h — the invariants every rendered vdoc must keep, checked by
 * the json_view and chat targets: doc/reference.md §7 (nothing unsafe reaches the
 * terminal) and the vdoc.h contract the UI relies on when it draws.
 */
#ifndef FUZZ_VDOC_H
#define FUZZ_VDOC_H

#include "fuzz_util.h"
#include "text.h"
#include "vdoc.h"

/* Below this width views may legitimately overflow (indents and a wide
 * character need room); from here on, every line must fit. */
#define FUZZ_VDOC_FIT_WIDTH 40

static FUZZ_UNUSED void
fuzz_check_line(const struct vline *l, size_t i, int width, int fit,
    const char *who)
{
	uint16_t k;
	int w;

	if (l->text == NULL)
		fuzz_fail("%s: line %zu has no text", who, i);
	if (strlen(l->text) != l->len)
		fuzz_fail("%s: line %zu: len %u but strlen %zu", who, i, l->len,
		    strlen(l->text));
	/* doc/reference.md §7: no control, C1, bidi control or invalid UTF-8 — the UI
	 * prints these bytes as they are. */
	if (!text_is_safe(l->text, l->len))
		fuzz_fail("%s: line %zu is not terminal-safe: \"%s\"", who, i,
		    l->text);
	if (l->nruns == 0 || l->runs == NULL || l->runs[0].off != 0)
		fuzz_fail("%s: line %zu: bad first style run", who, i);
	for (k = 0; k < l->nruns; k++) {
		if (l->runs[k].style >= VS_NSTYLES)
			fuzz_fail("%s: line %zu: run %u has style %u", who, i,
			    k, l->runs[k].style);
		if (k > 0 && l->runs[k].off <= l->runs[k - 1].off)
			fuzz_fail("%s: line %zu: run %u does not advance", who,
			    i, k);
		if (l->len > 0 && l->runs[k].off >= l->len)
			fuzz_fail("%s: line %zu: run %u starts past the text",
			    who, i, k);
	}
	if (fit && (w = text_width(l->text, l->len)) > width)
		fuzz_fail("%s: line %zu is %d columns wide at width %d: \"%s\"",
		    who, i, w, width, l->text);
}

/* Lines from `from` on; fit: also check they are no wider than width. */
static FUZZ_UNUSED void
fuzz_check_vdoc(const struct vdoc *vd, size_t from, int width, int fit,
    const char *who)
{
	size_t i;

	if (vd->cur_len != 0)
		fuzz_fail("%s: render left an unfinished line", who);
	for (i = from; i < vd->n; i++)
		fuzz_check_line(&vd->lines[i], i, width, fit, who);
}

#endif
