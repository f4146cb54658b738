/* SPDX-License-Identifier: MIT */
/*
 * fuzz_json_view.c — libFuzzer target for the State/Result tab's JSON
 * view (json_view.c: pre-pass, jansson, node array, folding, wrapping).
 *
 * Input: a width byte, a control byte, then the JSON text (a *_json
 * attribute value; run.sh extracts the seeds from data/).  The view is
 * rendered at that width with its default folds, after toggling a few
 * containers, all folded and all open.  Every rendered line must be
 * terminal-safe and well formed (fuzz_vdoc.h), and fit the width once
 * the width leaves room for indentation.
 */
#include <locale.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

#include "fuzz_util.h"
#include "fuzz_vdoc.h"
#include "json_view.h"
#include "vdoc.h"

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
	/* As the program runs: wcwidth needs a UTF-8 LC_CTYPE. */
	if (setlocale(LC_ALL, "C.UTF-8") == NULL)
		setlocale(LC_ALL, "");
	return 0;
}

/* Render into a fresh document (or after a line already begun) and
 * check what came out. */
static void
render(const struct json_view *jv, int width, int indent, bool begun)
{
	struct vdoc vd = VDOC_INIT;
	char *text;

	if (begun)
		vdoc_adds(&vd, VS_NORMAL, "key: ");
	json_view_render(jv, &vd, width, indent);
	fuzz_check_vdoc(&vd, 0, width, width >= FUZZ_VDOC_FIT_WIDTH,
	    "json_view");
	if (vd.n == 0)
		fuzz_fail("json_view rendered no line");
	text = vdoc_to_text(&vd);
	free(text);
	vdoc_free(&vd);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct json_view *jv;
	char *cause = NULL;
	uint32_t nodes, pick;
	int width, indent, toggles, i;

	if (size < 2)
		return 0;
	width = data[0];
	indent = data[1] & 15;
	toggles = data[1] >> 4;
	jv = json_view_new((const char *)data + 2, size - 2, &cause);
	if (jv == NULL) {
		if (cause == NULL || !text_is_safe(cause, strlen(cause)))
			fuzz_fail("json_view_new: missing or unsafe cause");
		free(cause);
		return 0;
	}
	render(jv, width, indent, false);

	nodes = json_view_nodes(jv);
	for (i = 0; i < toggles; i++) {
		/* Spread over the containers, from both ends. */
		pick = i % 2 == 0 ? (uint32_t)i * 7 : nodes - 1 - (uint32_t)i;
		if (nodes != 0)
			pick %= nodes;
		if (json_view_toggle(jv, pick) != (pick < nodes))
			fuzz_fail("json_view_toggle(%u) of %u containers", pick,
			    nodes);
	}
	if (json_view_toggle(jv, nodes))
		fuzz_fail("json_view_toggle past the last container worked");
	render(jv, width, indent, true);
	json_view_set_all(jv, true);
	render(jv, width, indent, false);
	json_view_set_all(jv, false);
	render(jv, width, indent, false);

	json_view_free(jv);
	return 0;
}
