/* SPDX-License-Identifier: MIT */
/*
 * fuzz_chat.c — libFuzzer target for the Context tab's chat view
 * (chat_view.c, and json_view.c for the shapes it shows as JSON).
 *
 * Input: a control byte, then the prompt and the response texts
 * (mcp.llm.prompt_json and mcp.llm.response_json) separated by a NUL;
 * without a NUL the text is cut in the middle.  Either may be empty,
 * which the view treats as missing.  The control byte gives the width
 * (1-128) and, in its top bit, whether model facts (with hostile text)
 * are passed.  Every rendered line must be terminal-safe and well formed
 * (fuzz_vdoc.h), and fit the width once it leaves room for indentation.
 */
#include <locale.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "chat_view.h"
#include "fuzz_util.h"
#include "fuzz_vdoc.h"
#include "vdoc.h"

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
	/* As the program runs: UTF-8 glyphs, and wcwidth that knows them. */
	if (setlocale(LC_ALL, "C.UTF-8") == NULL)
		setlocale(LC_ALL, "");
	return 0;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const struct chat_facts facts = {
		"claude-3-5-sonnet\x1b[2J", "anthropic", 812, -1, NULL,
		"Agent.finder\xe2\x80\xae.generate_str"
	};
	struct vdoc vd = VDOC_INIT;
	const uint8_t *body, *nul;
	char *prompt, *response, *text;
	size_t len, cut, rest;
	int width;

	if (size == 0)
		return 0;
	width = 1 + (data[0] & 0x7f);
	body = data + 1;
	len = size - 1;
	nul = memchr(body, '\0', len);
	cut = nul != NULL ? (size_t)(nul - body) : len / 2;
	rest = nul != NULL ? cut + 1 : cut;
	prompt = fuzz_strndup(body, cut);
	response = fuzz_strndup(body + rest, len - rest);

	/* A line already in the document: chat starts below it. */
	vdoc_adds(&vd, VS_HEADER, "Context");
	vdoc_end_line(&vd);
	chat_view_render(&vd, prompt, response,
	    (data[0] & 0x80) ? &facts : NULL, width);
	fuzz_check_vdoc(&vd, 0, width, width >= FUZZ_VDOC_FIT_WIDTH, "chat");
	if (vd.n < 2)
		fuzz_fail("chat rendered no line");
	text = vdoc_to_text(&vd);
	free(text);

	vdoc_free(&vd);
	free(prompt);
	free(response);
	return 0;
}
