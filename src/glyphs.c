/* SPDX-License-Identifier: MIT */
/*
 * glyphs.c — the UTF-8 and ASCII glyph sets (see glyphs.h).
 */
#include "glyphs.h"

#include <langinfo.h>
#include <string.h>

const struct glyphs glyphs_utf8_set = {
	.guide_pipe = "\xe2\x94\x82  ",
	.guide_blank = "   ",
	.guide_tee = "\xe2\x94\x9c\xe2\x94\x80 ",
	.guide_elbow = "\xe2\x94\x94\xe2\x94\x80 ",
	.rule = "\xe2\x94\x80",
	.arrow = "\xe2\x86\x92",
	.back_arrow = "\xe2\x86\x90",
	.ellipsis = "\xe2\x80\xa6",
	.dot = "\xc2\xb7",
};

const struct glyphs glyphs_ascii_set = {
	.guide_pipe = "|  ",
	.guide_blank = "   ",
	.guide_tee = "|- ",
	.guide_elbow = "`- ",
	.rule = "-",
	.arrow = "->",
	.back_arrow = "<-",
	.ellipsis = "...",
	.dot = "-",
};

bool
glyphs_locale_utf8(void)
{
	const char *cs = nl_langinfo(CODESET);

	return cs != NULL && strcmp(cs, "UTF-8") == 0;
}

const struct glyphs *
glyphs_get(void)
{
	return glyphs_locale_utf8() ? &glyphs_utf8_set : &glyphs_ascii_set;
}
