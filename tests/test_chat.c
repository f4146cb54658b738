/* SPDX-License-Identifier: MIT */
/*
 * test_chat.c — unit tests for chat_view.c: the LLM conversation of a span
 * rendered as a chat, in every shape the traces carry, and never unsafe,
 * too wide or crashing whatever the JSON.
 */
#include <check.h>
#include <locale.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check_main.h"
#include "buf.h"
#include "chat_view.h"
#include "text.h"
#include "vdoc.h"

/* The exact attribute values of tests/formats. */
#define SDK_PROMPT "{\"type\": \"text\", \"content\": \"Print the first 2 " \
	"paragraphs of https://modelcontextprotocol.io/introduction\"}"
#define FLAT_PROMPT "[{\"role\": \"system\", \"content\": \"You are a code " \
	"reviewer.\"}, {\"role\": \"user\", \"content\": \"Review this Python " \
	"code for security issues...\"}]"
#define FLAT_RESPONSE "{\"content\": \"I found 3 potential security " \
	"issues...\", \"usage\": {\"total_tokens\": 1500}}"

/* Narrowest width at which json_view keeps nested JSON inside the width;
 * below it only chats without JSON are held to the width. */
#define JSON_MIN_WIDTH 8

static const struct chat_facts no_facts = { NULL, NULL, -1, -1, NULL, NULL, -1, -1 };

/* Does a line of width columns fit?  A wide character cannot fit in one
 * column; it then has the line to itself. */
static bool
fits(const struct vline *l, int width)
{
	unsigned cp;

	if (text_width(l->text, l->len) <= width)
		return true;
	return width == 1 && utf8_decode((const unsigned char *)l->text,
	    l->len, &cp) == l->len;
}

/* Every line of a rendered chat is safe, fits the width and opens no
 * foldable node (nothing in a chat can be unfolded). */
static void
check_doc(const struct vdoc *d, int width)
{
	const struct vline *l;
	size_t i;

	for (i = 0; i < d->n; i++) {
		l = &d->lines[i];
		ck_assert_msg(text_is_safe(l->text, l->len), "unsafe line %zu: %s",
		    i, l->text);
		ck_assert_ptr_null(memchr(l->text, '\x1b', l->len));
		ck_assert_msg(fits(l, width), "line %zu wider than %d: '%s'", i,
		    width, l->text);
		ck_assert_uint_ge(l->nruns, 1);
		ck_assert_uint_eq(l->runs[0].off, 0);
		ck_assert_uint_eq(l->node, VDOC_NO_NODE);
	}
}

/* Render and check; the caller frees the document. */
static void
render_doc(struct vdoc *d, const char *prompt, const char *response,
    const struct chat_facts *f, int width)
{
	chat_view_render(d, prompt, response, f, width);
	check_doc(d, width);
}

/* Render and return the text (caller frees). */
static char *
render(const char *prompt, const char *response, const struct chat_facts *f,
    int width)
{
	struct vdoc d = VDOC_INIT;
	char *text;

	render_doc(&d, prompt, response, f, width);
	text = vdoc_to_text(&d);
	vdoc_free(&d);
	return text;
}

#define CHECK_HAS(text, want)						\
	ck_assert_msg(strstr((text), (want)) != NULL,			\
	    "missing '%s' in:\n%s", (want), (text))
#define CHECK_LACKS(text, unwanted)					\
	ck_assert_msg(strstr((text), (unwanted)) == NULL,		\
	    "unexpected '%s' in:\n%s", (unwanted), (text))

/* a comes before b in text, both present. */
static void
check_order(const char *text, const char *a, const char *b)
{
	const char *pa = strstr(text, a), *pb = strstr(text, b);

	ck_assert_msg(pa != NULL && pb != NULL && pa < pb,
	    "'%s' should come before '%s' in:\n%s", a, b, text);
}

/* The first line starting with prefix, or NULL. */
static const struct vline *
find_line(const struct vdoc *d, const char *prefix)
{
	size_t i;

	for (i = 0; i < d->n; i++) {
		if (strncmp(d->lines[i].text, prefix, strlen(prefix)) == 0)
			return &d->lines[i];
	}
	return NULL;
}

/* The style of the byte at off in a line. */
static int
style_at(const struct vline *l, size_t off)
{
	int st = l->runs[0].style;
	uint16_t i;

	for (i = 0; i < l->nruns && l->runs[i].off <= off; i++)
		st = l->runs[i].style;
	return st;
}

/* The style of the first occurrence of s in line l. */
static int
style_of(const struct vline *l, const char *s)
{
	const char *p = strstr(l->text, s);

	ck_assert_msg(p != NULL, "'%s' not in '%s'", s, l->text);
	return style_at(l, p - l->text);
}

START_TEST(test_no_context)
{
	char *t;

	t = render(NULL, NULL, &no_facts, 80);
	ck_assert_str_eq(t, "No LLM context on this span.\n");
	free(t);
	t = render("", "", NULL, 80);
	ck_assert_str_eq(t, "No LLM context on this span.\n");
	free(t);
}
END_TEST

START_TEST(test_no_context_dim)
{
	struct vdoc d = VDOC_INIT;

	render_doc(&d, NULL, NULL, &no_facts, 80);
	ck_assert_uint_eq(d.n, 1);
	ck_assert_int_eq(style_at(&d.lines[0], 0), VS_DIM);
	vdoc_free(&d);
}
END_TEST

START_TEST(test_facts_header)
{
	struct chat_facts f = { "claude-3-5-sonnet-latest", "anthropic", 812, 120,
	    "end_turn", NULL, 0, 0 };
	struct vdoc d = VDOC_INIT;
	const struct vline *l;
	char *t;

	render_doc(&d, SDK_PROMPT, NULL, &f, 80);
	t = vdoc_to_text(&d);
	CHECK_HAS(t, "model     claude-3-5-sonnet-latest\n");
	CHECK_HAS(t, "provider  anthropic\n");
	CHECK_HAS(t, "tokens    812 in \xc2\xb7 120 out\n");
	CHECK_HAS(t, "stop      end_turn\n");
	CHECK_LACKS(t, "prompt from");
	check_order(t, "model", "provider");
	check_order(t, "stop", "user");
	l = find_line(&d, "model");
	ck_assert_int_eq(style_of(l, "claude"), VS_ACCENT);
	free(t);
	vdoc_free(&d);

	/* Only what is known is shown. */
	f.model = NULL;
	f.provider = NULL;
	f.tokens_out = -1;
	f.stop_reason = NULL;
	t = render(SDK_PROMPT, NULL, &f, 80);
	CHECK_HAS(t, "tokens    812 in\n");
	CHECK_LACKS(t, "model ");
	CHECK_LACKS(t, "provider");
	CHECK_LACKS(t, "stop ");
	free(t);
}
END_TEST

START_TEST(test_prompt_from)
{
	struct chat_facts f = { "claude-3-5-sonnet-latest", "anthropic", 812, -1,
	    NULL, "AnthropicAugmentedLLM.finder", 0, 0 };
	struct vdoc d = VDOC_INIT;
	const struct vline *l;

	render_doc(&d, SDK_PROMPT, NULL, &f, 80);
	l = find_line(&d, "prompt from parent span AnthropicAugmentedLLM.finder");
	ck_assert_ptr_nonnull(l);
	ck_assert_int_eq(style_at(l, 0), VS_DIM);
	vdoc_free(&d);
}
END_TEST

/* The otel-sdk sample: the inspector's own {"type":"text","content":…}. */
START_TEST(test_sdk_sample)
{
	struct chat_facts f = { "claude-3-5-sonnet-latest", "anthropic", 812, -1,
	    NULL, NULL, 0, 0 };
	struct vdoc d = VDOC_INIT;
	const struct vline *l;
	char *t;

	render_doc(&d, SDK_PROMPT, NULL, &f, 100);
	t = vdoc_to_text(&d);
	CHECK_HAS(t, "\n  Print the first 2 paragraphs of "
	    "https://modelcontextprotocol.io/introduction\n");
	CHECK_LACKS(t, "\"type\"");
	CHECK_LACKS(t, "unrecognised");
	l = find_line(&d, "\xe2\x94\x80\xe2\x94\x80 user ");
	ck_assert_ptr_nonnull(l);
	ck_assert_int_eq(style_of(l, "user"), VS_HEADER);
	/* The role rule runs to the width. */
	ck_assert_int_eq(text_width(l->text, l->len), 100);
	free(t);
	vdoc_free(&d);
}
END_TEST

/* The flat sample, pinned whole. */
START_TEST(test_flat_sample)
{
	struct chat_facts f = { "claude-3-opus-20240229", "anthropic", -1, -1,
	    NULL, NULL, 0, 0 };
	char *t;

	t = render(FLAT_PROMPT, FLAT_RESPONSE, &f, 40);
	ck_assert_str_eq(t,
	    "model     claude-3-opus-20240229\n"
	    "provider  anthropic\n"
	    "tokens    1500 total\n"
	    "\n"
	    "\xe2\x94\x80\xe2\x94\x80 system "
	    "\xe2\x94\x80\xe2\x94\x80\xe2\x94\x80\xe2\x94\x80\xe2\x94\x80"
	    "\xe2\x94\x80\xe2\x94\x80\xe2\x94\x80\xe2\x94\x80\xe2\x94\x80"
	    "\xe2\x94\x80\xe2\x94\x80\xe2\x94\x80\xe2\x94\x80\xe2\x94\x80"
	    "\xe2\x94\x80\xe2\x94\x80\xe2\x94\x80\xe2\x94\x80\xe2\x94\x80"
	    "\xe2\x94\x80\xe2\x94\x80\xe2\x94\x80\xe2\x94\x80\xe2\x94\x80"
	    "\xe2\x94\x80\xe2\x94\x80\xe2\x94\x80\xe2\x94\x80\xe2\x94\x80\n"
	    "  You are a code reviewer.\n"
	    "\n"
	    "\xe2\x94\x80\xe2\x94\x80 user "
	    "\xe2\x94\x80\xe2\x94\x80\xe2\x94\x80\xe2\x94\x80\xe2\x94\x80"
	    "\xe2\x94\x80\xe2\x94\x80\xe2\x94\x80\xe2\x94\x80\xe2\x94\x80"
	    "\xe2\x94\x80\xe2\x94\x80\xe2\x94\x80\xe2\x94\x80\xe2\x94\x80"
	    "\xe2\x94\x80\xe2\x94\x80\xe2\x94\x80\xe2\x94\x80\xe2\x94\x80"
	    "\xe2\x94\x80\xe2\x94\x80\xe2\x94\x80\xe2\x94\x80\xe2\x94\x80"
	    "\xe2\x94\x80\xe2\x94\x80\xe2\x94\x80\xe2\x94\x80\xe2\x94\x80"
	    "\xe2\x94\x80\xe2\x94\x80\n"
	    "  Review this Python code for security\n"
	    "  issues...\n"
	    "\n"
	    "\xe2\x94\x80\xe2\x94\x80 assistant \xc2\xb7 response "
	    "\xe2\x94\x80\xe2\x94\x80\xe2\x94\x80\xe2\x94\x80\xe2\x94\x80"
	    "\xe2\x94\x80\xe2\x94\x80\xe2\x94\x80\xe2\x94\x80\xe2\x94\x80"
	    "\xe2\x94\x80\xe2\x94\x80\xe2\x94\x80\xe2\x94\x80\xe2\x94\x80"
	    "\xe2\x94\x80\n"
	    "  I found 3 potential security issues...\n");
	free(t);
}
END_TEST

START_TEST(test_single_message_and_string)
{
	char *t;

	t = render("{\"role\": \"user\", \"content\": \"Create a plan\"}",
	    "{\"role\": \"assistant\", \"content\": \"Here is the plan:\\n1. "
	    "First step...\"}", &no_facts, 60);
	check_order(t, " user ", "  Create a plan\n");
	check_order(t, "  Create a plan\n", " assistant ");
	/* A newline in the text is a line break. */
	CHECK_HAS(t, "  Here is the plan:\n  1. First step...\n");
	free(t);

	/* A bare JSON string is one message of the default role. */
	t = render("\"just text\"", "\"an answer\"", &no_facts, 60);
	check_order(t, " user ", "  just text\n");
	check_order(t, " assistant ", "  an answer\n");
	free(t);

	/* A message of unknown role keeps it. */
	t = render("{\"role\": \"developer\", \"content\": \"rules\"}", NULL,
	    &no_facts, 60);
	check_order(t, " developer ", "  rules\n");
	free(t);
}
END_TEST

START_TEST(test_image_block)
{
	struct buf p = BUF_INIT;
	char *t;
	int i;

	/* 16384 base64 characters decode to 12288 bytes. */
	buf_adds(&p, "{\"role\": \"user\", \"content\": [{\"type\": \"text\", "
	    "\"text\": \"What is this?\"}, {\"type\": \"image\", \"mimeType\": "
	    "\"image/png\", \"data\": \"");
	for (i = 0; i < 4096; i++)
		buf_adds(&p, "iVBO");
	buf_adds(&p, "\"}]}");
	t = render(p.p, NULL, &no_facts, 80);
	CHECK_HAS(t, "  What is this?\n  [image image/png 12 KB]\n");
	CHECK_LACKS(t, "iVBO");
	free(t);
	buf_free(&p);

	/* Anthropic keeps the bytes in a source object. */
	t = render("[{\"role\": \"user\", \"content\": [{\"type\": \"image\", "
	    "\"source\": {\"type\": \"base64\", \"media_type\": \"image/jpeg\", "
	    "\"data\": \"QUJD\"}}]}]", NULL, &no_facts, 80);
	CHECK_HAS(t, "  [image image/jpeg 3 B]\n");
	CHECK_LACKS(t, "QUJD");
	free(t);

	/* OpenAI: a data URL, or a plain URL. */
	t = render("{\"role\": \"user\", \"content\": [{\"type\": \"image_url\", "
	    "\"image_url\": {\"url\": \"data:image/webp;base64,QUJDRA==\"}}, "
	    "{\"type\": \"image_url\", \"image_url\": {\"url\": "
	    "\"https://example.com/cat.png\"}}]}", NULL, &no_facts, 80);
	CHECK_HAS(t, "  [image image/webp 4 B]\n");
	CHECK_HAS(t, "  [image https://example.com/cat.png]\n");
	CHECK_LACKS(t, "QUJDRA");
	free(t);

	/* Audio, and an image whose data is missing. */
	t = render("{\"role\": \"user\", \"content\": [{\"type\": \"audio\", "
	    "\"mimeType\": \"audio/wav\", \"data\": \"QUJD\"}, "
	    "{\"type\": \"image\"}]}", NULL, &no_facts, 80);
	CHECK_HAS(t, "  [audio audio/wav 3 B]\n  [image]\n");
	free(t);
}
END_TEST

START_TEST(test_image_sizes)
{
	struct buf p = BUF_INIT;
	char *t;
	int i;

	/* 2 MB of base64 zeros (AAAA is 3 bytes) shows in MB. */
	buf_adds(&p, "{\"role\": \"user\", \"content\": [{\"type\": \"image\", "
	    "\"mimeType\": \"image/png\", \"data\": \"");
	for (i = 0; i < 2 * 1024 * 1024 / 3 + 1; i++)
		buf_adds(&p, "AAAA");
	buf_adds(&p, "\"}]}");
	t = render(p.p, NULL, &no_facts, 80);
	CHECK_HAS(t, "  [image image/png 2.0 MB]\n");
	free(t);
	buf_free(&p);

	/* 1536 bytes: one decimal below ten units. */
	buf_adds(&p, "{\"role\": \"user\", \"content\": [{\"type\": \"image\", "
	    "\"mimeType\": \"image/gif\", \"data\": \"");
	for (i = 0; i < 512; i++)
		buf_adds(&p, "AAAA");
	buf_adds(&p, "\"}]}");
	t = render(p.p, NULL, &no_facts, 80);
	CHECK_HAS(t, "  [image image/gif 1.5 KB]\n");
	free(t);
	buf_free(&p);
}
END_TEST

START_TEST(test_resource_block)
{
	struct buf p = BUF_INIT;
	struct vdoc d = VDOC_INIT;
	char *t;
	int i;

	/* The telemetry spec's canonical MCP Message example. */
	render_doc(&d, "{\"role\": \"user\", \"content\": [{\"type\": \"text\", "
	    "\"text\": \"Analyze this image and code\"}, {\"type\": \"resource\", "
	    "\"resource\": {\"uri\": \"file:///project/main.py\", \"mimeType\": "
	    "\"text/x-python\", \"text\": \"def main():\\n    pass\"}}]}", NULL,
	    &no_facts, 80);
	t = vdoc_to_text(&d);
	CHECK_HAS(t, "  Analyze this image and code\n"
	    "  [resource file:///project/main.py]\n"
	    "    def main():\n"
	    "        pass\n");
	ck_assert_int_eq(style_at(find_line(&d, "  [resource"), 2), VS_ACCENT);
	free(t);
	vdoc_free(&d);

	/* A blob shows its type and size, a link its uri. */
	t = render("{\"role\": \"user\", \"content\": [{\"type\": \"resource\", "
	    "\"resource\": {\"uri\": \"file:///x.bin\", \"mimeType\": "
	    "\"application/octet-stream\", \"blob\": \"QUJDRA==\"}}, "
	    "{\"type\": \"resource_link\", \"uri\": \"file:///y.txt\", "
	    "\"name\": \"y\"}]}", NULL, &no_facts, 80);
	CHECK_HAS(t, "  [resource file:///x.bin application/octet-stream 4 B]\n");
	CHECK_HAS(t, "  [resource file:///y.txt]\n");
	CHECK_LACKS(t, "QUJDRA");
	free(t);

	/* A long text shows its first lines and how many more there are. */
	buf_adds(&p, "{\"role\": \"user\", \"content\": [{\"type\": \"resource\", "
	    "\"resource\": {\"uri\": \"file:///log.txt\", \"text\": \"");
	for (i = 1; i <= 50; i++)
		buf_printf(&p, "line %d\\n", i);
	buf_adds(&p, "\"}}]}");
	t = render(p.p, NULL, &no_facts, 80);
	CHECK_HAS(t, "    line 1\n");
	CHECK_HAS(t, "    line 20\n    \xe2\x80\xa6 30 more lines\n");
	CHECK_LACKS(t, "line 21\n");
	free(t);
	buf_free(&p);
}
END_TEST

START_TEST(test_tool_use_and_result)
{
	struct vdoc d = VDOC_INIT;
	const struct vline *l;
	char *t;

	render_doc(&d, "[{\"role\": \"user\", \"content\": \"Weather in Paris?\"}, "
	    "{\"role\": \"assistant\", \"content\": [{\"type\": \"text\", \"text\": "
	    "\"Let me check.\"}, {\"type\": \"tool_use\", \"id\": \"toolu_01\", "
	    "\"name\": \"get_weather\", \"input\": {\"city\": \"Paris\", "
	    "\"days\": 2}}]}, {\"role\": \"user\", \"content\": [{\"type\": "
	    "\"tool_result\", \"tool_use_id\": \"toolu_01\", \"content\": "
	    "\"18C, sunny\"}]}]",
	    "{\"role\": \"user\", \"content\": [{\"type\": \"tool_result\", "
	    "\"tool_use_id\": \"toolu_02\", \"is_error\": true, \"content\": "
	    "[{\"type\": \"text\", \"text\": \"rate limited\"}]}]}",
	    &no_facts, 80);
	t = vdoc_to_text(&d);
	CHECK_HAS(t, "  Let me check.\n  \xe2\x86\x92 tool call get_weather "
	    "toolu_01\n");
	/* The input is pretty JSON, indented under the call. */
	CHECK_HAS(t, "    {\n");
	CHECK_HAS(t, "\"city\": \"Paris\"");
	check_order(t, "tool call get_weather", "\"city\"");
	CHECK_HAS(t, "  \xe2\x86\x90 tool result toolu_01\n    18C, sunny\n");
	CHECK_HAS(t, "  \xe2\x86\x90 tool result toolu_02 (error)\n"
	    "    rate limited\n");
	l = find_line(&d, "  \xe2\x86\x92 tool call");
	ck_assert_int_eq(style_of(l, "get_weather"), VS_ACCENT);
	l = find_line(&d, "  \xe2\x86\x90 tool result toolu_02");
	ck_assert_int_eq(style_of(l, "tool result"), VS_ERROR);
	ck_assert_int_eq(style_of(l, "(error)"), VS_ERROR);
	l = find_line(&d, "  \xe2\x86\x90 tool result toolu_01");
	ck_assert_int_ne(style_of(l, "tool result"), VS_ERROR);
	free(t);
	vdoc_free(&d);
}
END_TEST

START_TEST(test_openai_tool_calls)
{
	char *t;

	t = render("{\"model\": \"gpt-4o\", \"messages\": [{\"role\": \"system\", "
	    "\"content\": \"Be brief.\"}, {\"role\": \"user\", \"content\": "
	    "\"Find x\"}, {\"role\": \"assistant\", \"content\": null, "
	    "\"tool_calls\": [{\"id\": \"call_1\", \"type\": \"function\", "
	    "\"function\": {\"name\": \"search\", \"arguments\": "
	    "\"{\\\"query\\\": \\\"x\\\", \\\"limit\\\": 3}\"}}, {\"id\": "
	    "\"call_2\", \"type\": \"function\", \"function\": {\"name\": "
	    "\"broken\", \"arguments\": \"{not json\"}}]}, {\"role\": \"tool\", "
	    "\"tool_call_id\": \"call_1\", \"content\": \"x is 42\"}]}",
	    "{\"id\": \"chatcmpl-1\", \"object\": \"chat.completion\", "
	    "\"model\": \"gpt-4o-2024-08-06\", \"choices\": [{\"index\": 0, "
	    "\"message\": {\"role\": \"assistant\", \"content\": \"x is 42.\"}, "
	    "\"finish_reason\": \"stop\"}], \"usage\": {\"prompt_tokens\": 30, "
	    "\"completion_tokens\": 5, \"total_tokens\": 35}}",
	    &no_facts, 80);
	CHECK_HAS(t, "model     gpt-4o-2024-08-06\n");
	CHECK_HAS(t, "tokens    30 in \xc2\xb7 5 out\n");
	CHECK_HAS(t, "stop      stop\n");
	check_order(t, " system ", "  Be brief.\n");
	check_order(t, "  Be brief.\n", "  Find x\n");
	CHECK_HAS(t, "  \xe2\x86\x92 tool call search call_1\n    {\n");
	CHECK_HAS(t, "\"query\": \"x\"");
	CHECK_HAS(t, "\"limit\": 3");
	/* Arguments that do not parse are shown as they are. */
	CHECK_HAS(t, "  \xe2\x86\x92 tool call broken call_2\n    {not json\n");
	CHECK_HAS(t, " tool call_1 ");
	check_order(t, " tool call_1 ", "  x is 42\n");
	check_order(t, "  x is 42\n", " assistant \xc2\xb7 response ");
	CHECK_HAS(t, "  x is 42.\n");
	CHECK_LACKS(t, "(no content)");
	free(t);
}
END_TEST

START_TEST(test_anthropic_request_and_response)
{
	char *t;

	t = render("{\"system\": \"You are terse.\", \"messages\": [{\"role\": "
	    "\"user\", \"content\": [{\"type\": \"text\", \"text\": \"Hi\"}]}]}",
	    "{\"id\": \"msg_01\", \"type\": \"message\", \"role\": \"assistant\", "
	    "\"model\": \"claude-3-5-sonnet-20241022\", \"content\": [{\"type\": "
	    "\"thinking\", \"thinking\": \"greet back\"}, {\"type\": \"text\", "
	    "\"text\": \"Hello!\"}], \"stop_reason\": \"end_turn\", \"usage\": "
	    "{\"input_tokens\": 10, \"output_tokens\": 5}}", &no_facts, 80);
	CHECK_HAS(t, "model     claude-3-5-sonnet-20241022\n");
	CHECK_HAS(t, "tokens    10 in \xc2\xb7 5 out\n");
	CHECK_HAS(t, "stop      end_turn\n");
	check_order(t, " system ", "  You are terse.\n");
	check_order(t, "  You are terse.\n", " user ");
	check_order(t, " user ", "  Hi\n");
	CHECK_HAS(t, "  thinking\n    greet back\n  Hello!\n");
	free(t);

	/* System as blocks; facts win over the response. */
	t = render("{\"system\": [{\"type\": \"text\", \"text\": \"Sys blocks\"}], "
	    "\"messages\": []}", "{\"role\": \"assistant\", \"content\": \"ok\", "
	    "\"model\": \"from-response\", \"stop_reason\": \"max_tokens\"}",
	    &(struct chat_facts){ "from-facts", NULL, -1, -1, "length", NULL, 0, 0 },
	    80);
	CHECK_HAS(t, "model     from-facts\n");
	CHECK_HAS(t, "stop      length\n");
	CHECK_HAS(t, "  Sys blocks\n");
	CHECK_HAS(t, "(no messages)");
	free(t);
}
END_TEST

/* mcp-agent's generate returns a list of responses, one per tool round. */
START_TEST(test_response_list)
{
	char *t;

	t = render(NULL, "[{\"role\": \"assistant\", \"content\": [{\"type\": "
	    "\"tool_use\", \"id\": \"t1\", \"name\": \"fetch\", \"input\": {}}], "
	    "\"stop_reason\": \"tool_use\", \"usage\": {\"input_tokens\": 100, "
	    "\"output_tokens\": 10}}, {\"role\": \"user\", \"content\": "
	    "[{\"type\": \"tool_result\", \"tool_use_id\": \"t1\", \"content\": "
	    "\"page\"}]}, {\"role\": \"assistant\", \"content\": [{\"type\": "
	    "\"text\", \"text\": \"Done.\"}], \"stop_reason\": \"end_turn\", "
	    "\"usage\": {\"input_tokens\": 200, \"output_tokens\": 20}}]",
	    &no_facts, 80);
	CHECK_HAS(t, "tokens    300 in \xc2\xb7 30 out\n");
	CHECK_HAS(t, "stop      end_turn\n");
	check_order(t, "tool call fetch t1", "tool result t1");
	check_order(t, "tool result t1", "  Done.\n");
	/* Without a prompt there is nothing to tell the response apart from. */
	CHECK_LACKS(t, "response");
	free(t);
}
END_TEST

START_TEST(test_unknown_shape)
{
	static const char *const unknown[] = {
		"{\"foo\": [1, 2], \"bar\": \"baz\"}", "[1, 2, 3]", "42", "null",
		"true", "[{\"role\": \"user\", \"content\": \"x\"}, 7]",
		"{\"type\": \"mystery\", \"value\": 1}",
	};
	struct vdoc d = VDOC_INIT;
	const struct vline *l;
	char *t;
	size_t i;

	render_doc(&d, "{\"foo\": [1, 2], \"bar\": \"baz\"}", NULL, &no_facts,
	    80);
	t = vdoc_to_text(&d);
	check_order(t, " prompt ", "(unrecognised shape; raw JSON)");
	check_order(t, "(unrecognised shape; raw JSON)", "\"foo\"");
	CHECK_HAS(t, "\"baz\"");
	l = find_line(&d, "  (unrecognised");
	ck_assert_int_eq(style_at(l, 2), VS_DIM);
	free(t);
	vdoc_free(&d);

	for (i = 0; i < sizeof unknown / sizeof unknown[0]; i++) {
		t = render(NULL, unknown[i], &no_facts, 80);
		CHECK_HAS(t, " response ");
		CHECK_HAS(t, "(unrecognised shape; raw JSON)");
		free(t);
	}
}
END_TEST

START_TEST(test_invalid_json)
{
	static const char truncated[] =
	    "[{\"role\": \"user\", \"content\": \"Summarise the attached";
	struct vdoc d = VDOC_INIT;
	const struct vline *l;
	char *t;

	render_doc(&d, truncated, "not json at all", &no_facts, 80);
	t = vdoc_to_text(&d);
	check_order(t, " prompt ", "(not valid JSON; shown raw)");
	CHECK_HAS(t, "  [{\"role\": \"user\", \"content\": \"Summarise the "
	    "attached\n");
	check_order(t, " response ", "  not json at all\n");
	l = find_line(&d, "  (not valid JSON");
	ck_assert_int_eq(style_at(l, 2), VS_WARN);
	CHECK_LACKS(t, "unrecognised");
	free(t);
	vdoc_free(&d);
}
END_TEST

/* JSON that jansson refuses but json_view shows: integers past 64 bits. */
START_TEST(test_big_integer)
{
	char *t;

	t = render("{\"n\": 123456789012345678901234567890}", NULL, &no_facts, 80);
	CHECK_HAS(t, "(unrecognised shape; raw JSON)");
	CHECK_HAS(t, "123456789012345678901234567890");
	free(t);
}
END_TEST

START_TEST(test_hostile_text)
{
	struct chat_facts f = { "evil\x1b]0;title\x07model", "prov\x1b[2J", 1, 2,
	    "stop\x9b" "31m", "span\x1b[31m", 0, 0 };
	char *t;

	t = render("[{\"role\": \"us\\u001b[31mer\", \"name\": \"n\\u001b\", "
	    "\"content\": [{\"type\": \"text\", \"text\": \"hi \\u001b]8;;http://x"
	    "\\u0007link\\u001b]8;;\\u0007 \\u009b2J \\u202e bidi \\u0000nul\"}, "
	    "{\"type\": \"image\", \"mimeType\": \"image/\\u001b[5m\", \"data\": "
	    "\"QUJD\"}, {\"type\": \"resource\", \"resource\": {\"uri\": "
	    "\"file:///\\u001b[8m\", \"text\": \"\\u001b[1mbold\"}}, {\"type\": "
	    "\"tool_use\", \"id\": \"i\\u001b\", \"name\": \"t\\u001b[0m\", "
	    "\"input\": {\"k\\u001b\": \"v\\u001b\"}}]}]",
	    "{\"role\": \"assistant\", \"content\": \"bye \\u001b[?1049h\", "
	    "\"stop_reason\": \"\\u001b[H\"}", &f, 80);
	CHECK_HAS(t, "hi \\x1b]8;;http://x\\x07link");
	CHECK_HAS(t, "\\u{9b}2J");
	CHECK_HAS(t, "\\u{202e} bidi");
	CHECK_HAS(t, "\\x00nul");
	CHECK_HAS(t, "us\\x1b[31mer");
	CHECK_HAS(t, "evil\\x1b]0;title\\x07model");
	CHECK_HAS(t, "span\\x1b[31m");
	CHECK_HAS(t, "[image image/\\x1b[5m 3 B]");
	CHECK_HAS(t, "\\x1b[1mbold");
	CHECK_HAS(t, "bye \\x1b[?1049h");
	CHECK_LACKS(t, "\x1b");
	CHECK_LACKS(t, "\x07");
	CHECK_LACKS(t, "\xc2\x9b");
	CHECK_LACKS(t, "\xe2\x80\xae");
	free(t);

	/* Hostile raw text that is not JSON. */
	t = render("\x1b[31m{broken\x9b\xff", NULL, &no_facts, 80);
	CHECK_HAS(t, "\\x1b[31m{broken");
	CHECK_LACKS(t, "\x1b");
	free(t);
}
END_TEST

/* Everything at every width fits, headers cut and text wrapped. */
START_TEST(test_width)
{
	static const char text_only[] = "[{\"role\": \"system\", \"content\": "
	    "\"Keep answers short.\"}, {\"role\": \"a-very-long-role-name\", "
	    "\"content\": [{\"type\": \"text\", \"text\": \"\xe4\xbd\xa0\xe5\xa5"
	    "\xbd wide and averyveryverylongwordthatmustbebroken\"}, "
	    "{\"type\": \"image\", \"mimeType\": \"image/png\", \"data\": "
	    "\"QUJD\"}, {\"type\": \"resource\", \"resource\": {\"uri\": "
	    "\"file:///a/long/uri.txt\", \"text\": \"one\\ntwo\"}}, "
	    "{\"type\": \"tool_result\", \"tool_use_id\": \"toolu_0123\", "
	    "\"is_error\": true, \"content\": [{\"type\": \"tool_result\", "
	    "\"content\": \"nested result text\"}]}]}]";
	static const char prompt[] = "{\"system\": \"Keep answers short and "
	    "precise.\", \"messages\": [{\"role\": \"a-very-long-role-name-"
	    "that-goes-on-and-on\", \"content\": \"\xe4\xbd\xa0\xe5\xa5\xbd\xe4"
	    "\xb8\x96\xe7\x95\x8c wide characters and "
	    "averyveryveryverylongwordwithoutanyspacesatallthatmustbebroken "
	    "end.\"}, {\"role\": \"assistant\", \"content\": [{\"type\": "
	    "\"tool_use\", \"id\": \"toolu_0123456789abcdef\", \"name\": "
	    "\"a_tool_with_a_rather_long_name\", \"input\": {\"path\": "
	    "\"/a/long/path/that/needs/wrapping/somewhere/in/the/middle\"}}, "
	    "{\"type\": \"image\", \"mimeType\": \"image/png\", \"data\": "
	    "\"QUJD\"}, {\"type\": \"resource\", \"resource\": {\"uri\": "
	    "\"file:///some/very/long/uri/that/goes/past/narrow/widths.txt\", "
	    "\"text\": \"text\\tof the resource\"}}]}, {\"role\": \"user\", "
	    "\"content\": [{\"type\": \"tool_result\", \"tool_use_id\": "
	    "\"toolu_0123456789abcdef\", \"is_error\": true, \"content\": "
	    "\"failure explained at some length\"}]}]}";
	struct chat_facts f = { "claude-3-5-sonnet-latest-with-a-long-suffix",
	    "anthropic", 123456, 7890, "end_turn",
	    "AnthropicAugmentedLLM.a-rather-long-agent-name", 0, 0 };
	struct vdoc d = VDOC_INIT;
	int w;

	for (w = 1; w <= 90; w++) {
		render_doc(&d, text_only, FLAT_RESPONSE, &f, w);
		vdoc_clear(&d);
		render_doc(&d, "{\"choices\": []}", "[]", &f, w);
		vdoc_clear(&d);
		render_doc(&d, NULL, NULL, &f, w);
		vdoc_clear(&d);
		render_doc(&d, "[{\"role\": \"user\", \"content\": \"trunc", NULL,
		    &f, w);
		vdoc_clear(&d);
	}
	for (w = JSON_MIN_WIDTH; w <= 90; w++) {
		render_doc(&d, prompt, FLAT_RESPONSE, &f, w);
		vdoc_clear(&d);
		render_doc(&d, "{\"unknown\": {\"deeply\": [1, 2, "
		    "\"a long string value that wraps\"]}}", NULL, &f, w);
		vdoc_clear(&d);
	}
	vdoc_free(&d);
}
END_TEST

/* Shapes where every part has the wrong type render without crashing. */
START_TEST(test_wrong_types)
{
	static const char *const odd[] = {
		"{\"role\": \"user\", \"content\": 42}",
		"{\"role\": \"user\", \"content\": {\"no\": \"type\"}}",
		"{\"role\": \"user\", \"content\": [1, null, true, [], {}]}",
		"{\"role\": \"user\", \"content\": [{\"text\": \"untyped\"}]}",
		"{\"role\": \"user\", \"content\": [{\"type\": 5, \"text\": 6}]}",
		"{\"role\": \"user\", \"content\": [{\"type\": \"text\"}]}",
		"{\"role\": \"user\", \"content\": [{\"type\": \"image\", "
		    "\"data\": 5, \"mimeType\": [], \"source\": \"x\"}]}",
		"{\"role\": \"user\", \"content\": [{\"type\": \"image_url\", "
		    "\"image_url\": \"data:\"}, {\"type\": \"image_url\", "
		    "\"image_url\": \"data:image/png;base64\"}]}",
		"{\"role\": \"user\", \"content\": [{\"type\": \"resource\", "
		    "\"resource\": \"file:///x\"}, {\"type\": \"resource\", "
		    "\"resource\": {\"uri\": 1, \"text\": 2, \"blob\": 3}}]}",
		"{\"role\": \"user\", \"content\": [{\"type\": \"tool_use\"}, "
		    "{\"type\": \"tool_use\", \"name\": 1, \"id\": [], "
		    "\"input\": \"str\"}]}",
		"{\"role\": \"user\", \"content\": [{\"type\": \"tool_result\", "
		    "\"content\": 7, \"is_error\": \"yes\"}, {\"type\": "
		    "\"tool_result\"}]}",
		"{\"role\": \"assistant\", \"tool_calls\": 3}",
		"{\"role\": \"assistant\", \"tool_calls\": [1, {\"function\": 2}, "
		    "{\"function\": {\"arguments\": 5}}, {\"function\": "
		    "{\"name\": \"f\", \"arguments\": \"\"}}]}",
		"{\"role\": \"assistant\", \"function_call\": {\"name\": \"f\", "
		    "\"arguments\": \"[1]\"}}",
		"{\"role\": \"assistant\", \"content\": null, \"refusal\": "
		    "\"cannot\"}",
		"{\"role\": 5, \"content\": \"x\"}",
		"{\"messages\": [1, \"two\", {\"three\": 3}], \"system\": 4}",
		"{\"choices\": [1, {\"message\": 2}, {\"text\": \"t\"}, "
		    "{\"delta\": {\"content\": \"d\"}}]}",
		"{\"choices\": []}",
		"{\"type\": \"text\", \"content\": 5}",
		"{\"type\": \"text\", \"content\": [\"a\", {\"type\": \"text\", "
		    "\"text\": \"b\"}]}",
		"{\"type\": \"messages\", \"content\": [{\"role\": \"user\", "
		    "\"content\": \"wrapped\"}]}",
		"[]", "[\"a\", \"b\"]", "{}", "\"\"",
		"{\"content\": \"x\", \"usage\": {\"input_tokens\": -5, "
		    "\"output_tokens\": 9223372036854775807}}",
		"[{\"usage\": {\"input_tokens\": 9223372036854775807}, "
		    "\"content\": \"a\"}, {\"usage\": {\"input_tokens\": "
		    "9223372036854775807}, \"content\": \"b\"}]",
	};
	size_t i;
	char *t;

	for (i = 0; i < sizeof odd / sizeof odd[0]; i++) {
		t = render(odd[i], odd[i], &no_facts, 40);
		ck_assert_ptr_nonnull(t);
		ck_assert_msg(t[0] != '\0', "nothing shown for %s", odd[i]);
		free(t);
	}

	t = render("{\"role\": \"user\", \"content\": [{\"text\": \"untyped\"}, "
	    "{\"type\": \"mystery\", \"x\": 1}]}", NULL, &no_facts, 60);
	CHECK_HAS(t, "  untyped\n  [mystery]\n");
	CHECK_HAS(t, "\"x\": 1");
	free(t);

	t = render("{\"role\": \"assistant\", \"content\": null}", NULL,
	    &no_facts, 60);
	CHECK_HAS(t, "  (no content)\n");
	free(t);

	t = render("{\"role\": \"assistant\", \"content\": null, \"refusal\": "
	    "\"I cannot help\"}", NULL, &no_facts, 60);
	CHECK_HAS(t, "  refused\n  I cannot help\n");
	free(t);
}
END_TEST

/* Deep nesting is bounded: past a depth the rest is JSON. */
START_TEST(test_deep_nesting)
{
	struct buf p = BUF_INIT;
	char *t;
	int i;

	buf_adds(&p, "{\"role\": \"user\", \"content\": ");
	for (i = 0; i < 1000; i++)
		buf_adds(&p, "[{\"type\": \"tool_result\", \"content\": ");
	buf_adds(&p, "\"bottom\"");
	for (i = 0; i < 1000; i++)
		buf_adds(&p, "}]");
	buf_adds(&p, "}");
	t = render(p.p, NULL, &no_facts, 200);
	CHECK_HAS(t, "tool result");
	free(t);
	buf_free(&p);
}
END_TEST

/* A small deterministic generator, so failures reproduce. */
static uint32_t
next_rand(uint32_t *state)
{
	*state ^= *state << 13;
	*state ^= *state >> 17;
	*state ^= *state << 5;
	return *state;
}

/* A copy of s with byte flips, junk bytes, a truncation or a stretch
 * repeated. */
static char *
mutate(const char *s, uint32_t *state)
{
	static const char junk[] = "{}[]\",:\\\x1b\x9b\xff\n0u";
	size_t n = strlen(s), cap = n * 4 + 1, i, k, edits;
	char *m = malloc(cap);

	ck_assert_ptr_nonnull(m);
	memcpy(m, s, n + 1);
	edits = 1 + next_rand(state) % 4;
	while (edits-- > 0 && n > 0) {
		i = next_rand(state) % n;
		switch (next_rand(state) % 4) {
		case 0:
			m[i] ^= 1 << (next_rand(state) % 8);
			if (m[i] == '\0')
				m[i] = 'x';
			break;
		case 1:
			m[i] = junk[next_rand(state) % (sizeof junk - 1)];
			break;
		case 2:
			m[i] = '\0';
			n = i;
			break;
		default:
			k = (n - i) / 2;
			if (n + k < cap) {
				memmove(m + i + k, m + i, n - i + 1);
				n += k;
			}
			break;
		}
	}
	return m;
}

START_TEST(test_mutations)
{
	static const char *const seeds[] = {
		SDK_PROMPT, FLAT_PROMPT, FLAT_RESPONSE,
		"{\"role\": \"assistant\", \"content\": [{\"type\": \"tool_use\", "
		    "\"id\": \"t\", \"name\": \"n\", \"input\": {\"a\": [1]}}, "
		    "{\"type\": \"image\", \"source\": {\"media_type\": "
		    "\"image/png\", \"data\": \"QUJD\"}}], \"stop_reason\": \"x\"}",
		"{\"choices\": [{\"message\": {\"role\": \"assistant\", "
		    "\"tool_calls\": [{\"id\": \"c\", \"function\": {\"name\": "
		    "\"f\", \"arguments\": \"{\\\"q\\\": 1}\"}}]}}]}",
	};
	struct vdoc d = VDOC_INIT;
	uint32_t state = 0x9e3779b9;
	char *p, *r;
	int i, w;

	for (i = 0; i < 200; i++) {
		p = mutate(seeds[next_rand(&state) % 5], &state);
		r = mutate(seeds[next_rand(&state) % 5], &state);
		w = JSON_MIN_WIDTH + next_rand(&state) % 100;
		render_doc(&d, p, r, &no_facts, w);
		vdoc_clear(&d);
		free(p);
		free(r);
	}
	vdoc_free(&d);
}
END_TEST

/* Outside a UTF-8 locale the rules and arrows are ASCII. */
START_TEST(test_ascii_glyphs)
{
	char *t;

	ck_assert_ptr_nonnull(setlocale(LC_CTYPE, "C"));
	t = render("{\"role\": \"assistant\", \"content\": [{\"type\": "
	    "\"tool_use\", \"name\": \"f\", \"input\": {}}, {\"type\": "
	    "\"tool_result\", \"content\": \"r\"}]}", NULL,
	    &(struct chat_facts){ "a-model-name-too-long-for-the-width", NULL, 1,
	    2, NULL, NULL, 0, 0 }, 22);
	ck_assert_ptr_nonnull(setlocale(LC_CTYPE, "C.UTF-8"));
	ck_assert_str_eq(t,
	    "model     a-model-n...\n"
	    "tokens    1 in - 2 out\n"
	    "\n"
	    "-- assistant ---------\n"
	    "  -> tool call f\n"
	    "    {}\n"
	    "  <- tool result\n"
	    "    r\n");
	free(t);
}
END_TEST

/* Rendering appends to what the document already holds. */
START_TEST(test_appends)
{
	struct vdoc d = VDOC_INIT;
	char *t;

	vdoc_adds(&d, VS_NORMAL, "before");
	vdoc_end_line(&d);
	render_doc(&d, NULL, FLAT_RESPONSE, &no_facts, 60);
	t = vdoc_to_text(&d);
	ck_assert(strncmp(t, "before\ntokens    1500 total\n\n", 29) == 0);
	free(t);
	vdoc_free(&d);
}
END_TEST

static Suite *
chat_suite(void)
{
	Suite *s = suite_create("chat");
	TCase *tc;

	tc = tcase_create("facts");
	tcase_add_test(tc, test_no_context);
	tcase_add_test(tc, test_no_context_dim);
	tcase_add_test(tc, test_facts_header);
	tcase_add_test(tc, test_prompt_from);
	tcase_add_test(tc, test_appends);
	tcase_add_test(tc, test_ascii_glyphs);
	suite_add_tcase(s, tc);

	tc = tcase_create("shapes");
	tcase_add_test(tc, test_sdk_sample);
	tcase_add_test(tc, test_flat_sample);
	tcase_add_test(tc, test_single_message_and_string);
	tcase_add_test(tc, test_image_block);
	tcase_add_test(tc, test_image_sizes);
	tcase_add_test(tc, test_resource_block);
	tcase_add_test(tc, test_tool_use_and_result);
	tcase_add_test(tc, test_openai_tool_calls);
	tcase_add_test(tc, test_anthropic_request_and_response);
	tcase_add_test(tc, test_response_list);
	suite_add_tcase(s, tc);

	tc = tcase_create("fallback");
	tcase_add_test(tc, test_unknown_shape);
	tcase_add_test(tc, test_invalid_json);
	tcase_add_test(tc, test_big_integer);
	suite_add_tcase(s, tc);

	tc = tcase_create("robust");
	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, test_hostile_text);
	tcase_add_test(tc, test_width);
	tcase_add_test(tc, test_wrong_types);
	tcase_add_test(tc, test_deep_nesting);
	tcase_add_test(tc, test_mutations);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	return check_main(chat_suite, "test_chat", "C.UTF-8");
}
