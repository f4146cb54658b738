/* SPDX-License-Identifier: MIT */
/*
 * chat_view.c — the LLM conversation behind a span, rendered as a chat.
 *
 * The prompt and response texts are untrusted and come in many shapes
 * (chat_view.h).  Each is parsed once and its shape decided at the top: a
 * value that matches no known shape is shown as pretty JSON rather than
 * guessed at.  Inside a recognised conversation rendering is lenient: a
 * part of the wrong type is shown as JSON where it stands, so no input can
 * make rendering fail.  Header lines (facts, roles, tool calls) are one
 * line each, cut with an ellipsis at the width; message text wraps.
 */
#include "chat_view.h"

#include <inttypes.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "buf.h"
#include "glyphs.h"
#include "jscan.h"
#include "json_view.h"
#include "span_parse.h"
#include "text.h"

/* Indent of message content, and the step for anything nested in it. */
#define CHAT_INDENT 2
/* Blocks nested deeper than this (tool results holding tool results…)
 * are shown as JSON, which bounds the recursion. */
#define CHAT_MAX_DEPTH 8
/* Lines of an embedded resource's text shown before a "more" note. */
#define CHAT_RESOURCE_LINES 20
/* Digits for JSON reals re-serialised for display: jansson's default of
 * 17 shows 0.1 as 0.10000000000000001; 15 round-trips what people write. */
#define CHAT_REAL_PRECISION 15

#define nitems(a) (sizeof (a) / sizeof (a)[0])

struct chat {
	struct vdoc *out;
	size_t first;		/* out's line count when rendering began */
	int width;
	const struct glyphs *g;
	struct buf tmp;		/* sanitised text of the segment being added */
	bool full;		/* the current line was cut: it takes no more */
	const char *role;	/* role of a message that names none */
	const char *note;	/* shown in every role header ("response") */
};

static void chat_content(struct chat *, const json_t *, int, int);

/* The string member key of v, or NULL (v need not be an object). */
static const char *
chat_str(const json_t *v, const char *key)
{
	return json_string_value(json_object_get(v, key));
}

/*
 * Building lines.
 */

/* Add untrusted text to the current line.  Text that would pass the width
 * is cut with an ellipsis, and the line then takes nothing more. */
static void
chat_put(struct chat *c, enum vstyle st, const char *s, size_t n)
{
	int room, ew;
	size_t fit;

	if (c->full || n == 0)
		return;
	buf_reset(&c->tmp);
	text_sanitize(&c->tmp, s, n, 0);
	room = c->width - vdoc_cur_width(c->out);
	if (room <= 0) {
		c->full = true;
		return;
	}
	if (text_width(buf_str(&c->tmp), c->tmp.len) <= room) {
		vdoc_add_safe(c->out, st, buf_str(&c->tmp), c->tmp.len);
		return;
	}
	c->full = true;
	ew = text_width(c->g->ellipsis, strlen(c->g->ellipsis));
	if (room <= ew) {
		fit = text_fit(buf_str(&c->tmp), c->tmp.len, room, NULL);
		vdoc_add_safe(c->out, st, buf_str(&c->tmp), fit);
		return;
	}
	fit = text_fit(buf_str(&c->tmp), c->tmp.len, room - ew, NULL);
	vdoc_add_safe(c->out, st, buf_str(&c->tmp), fit);
	vdoc_add_safe(c->out, VS_DIM, c->g->ellipsis, strlen(c->g->ellipsis));
}

static void
chat_puts(struct chat *c, enum vstyle st, const char *s)
{
	if (s != NULL)
		chat_put(c, st, s, strlen(s));
}

static void
chat_end(struct chat *c)
{
	vdoc_end_line(c->out);
	c->full = false;
}

/* Keep an indent to half the width, so wrapped text always has room, and
 * leave two columns for it, so a wide character fits whenever it can. */
static int
chat_indent(const struct chat *c, int indent)
{
	int most = c->width / 2;

	if (most > c->width - 2)
		most = c->width - 2;
	if (indent > most)
		indent = most;
	return indent < 0 ? 0 : indent;
}

static void
chat_pad(struct chat *c, int indent)
{
	static const char spaces[] = "                                ";
	int n = chat_indent(c, indent);

	chat_put(c, VS_NORMAL, spaces, n < (int)sizeof spaces - 1 ?
	    (size_t)n : sizeof spaces - 1);
}

/* A run of n rule glyphs. */
static void
chat_rule(struct chat *c, int n)
{
	struct buf b = BUF_INIT;

	while (n-- > 0)
		buf_adds(&b, c->g->rule);
	chat_put(c, VS_DIM, buf_str(&b), b.len);
	buf_free(&b);
}

/* Text wrapped at the width, newlines kept as breaks. */
static void
chat_wrap(struct chat *c, enum vstyle st, const char *s, size_t n, int indent)
{
	if (n == 0)
		return;		/* vdoc_add_wrapped would add an empty line */
	vdoc_add_wrapped(c->out, st, s, n, c->width, chat_indent(c, indent));
}

/* Text wrapped at the width with its newlines shown as escapes: a
 * placeholder or note that must read as one logical line. */
static void
chat_wrap_line(struct chat *c, enum vstyle st, const char *s, size_t n,
    int indent)
{
	struct buf b = BUF_INIT;

	text_sanitize(&b, s, n, 0);
	chat_wrap(c, st, buf_str(&b), b.len, indent);
	buf_free(&b);
}

static void
chat_wrap_json_string(struct chat *c, enum vstyle st, const json_t *s,
    int indent)
{
	chat_wrap(c, st, json_string_value(s), json_string_length(s), indent);
}

/* A note of ours under a header: wrapped, since it must be read whole. */
static void
chat_note(struct chat *c, enum vstyle st, const char *note)
{
	chat_wrap(c, st, note, strlen(note), CHAT_INDENT);
}

/* One blank line between messages, never two, none at the top. */
static void
chat_gap(struct chat *c)
{
	struct vdoc *out = c->out;

	if (out->n > c->first && out->lines[out->n - 1].len != 0)
		vdoc_end_line(out);
}

/* "── role detail · note ─────" across the width. */
static void
chat_header(struct chat *c, const char *role, const char *detail)
{
	chat_gap(c);
	chat_rule(c, 2);
	chat_puts(c, VS_DIM, " ");
	chat_puts(c, VS_HEADER, role);
	if (detail != NULL && *detail != '\0') {
		chat_puts(c, VS_DIM, " ");
		chat_puts(c, VS_DIM, detail);
	}
	if (c->note != NULL) {
		chat_puts(c, VS_DIM, " ");
		chat_puts(c, VS_DIM, c->g->dot);
		chat_puts(c, VS_DIM, " ");
		chat_puts(c, VS_DIM, c->note);
	}
	chat_puts(c, VS_DIM, " ");
	chat_rule(c, c->width - vdoc_cur_width(c->out));
	chat_end(c);
}

/*
 * JSON shown as JSON.
 */

/* Chat lines cannot be folded (no json_view outlives the render), so
 * lines from json_view must not claim to open a node. */
static void
chat_render_view(struct chat *c, const struct json_view *jv, int indent)
{
	size_t i = c->out->n;

	json_view_render(jv, c->out, c->width, chat_indent(c, indent));
	for (; i < c->out->n; i++) {
		c->out->lines[i].node = VDOC_NO_NODE;
		c->out->lines[i].folded = 0;
	}
}

/* Pretty JSON from text, or the raw text wrapped when it does not parse. */
static void
chat_json_text(struct chat *c, const char *s, size_t n, int indent)
{
	struct json_view *jv;
	char *cause = NULL;

	if ((jv = json_view_new(s, n, &cause)) == NULL) {
		free(cause);
		chat_wrap(c, VS_NORMAL, s, n, indent);
		return;
	}
	chat_render_view(c, jv, indent);
	json_view_free(jv);
}

static void
chat_json_value(struct chat *c, const json_t *v, int indent)
{
	char *s;

	s = json_dumps(v, JSON_ENCODE_ANY | JSON_COMPACT |
	    JSON_REAL_PRECISION(CHAT_REAL_PRECISION));
	if (s == NULL) {
		chat_pad(c, indent);
		chat_puts(c, VS_DIM, "(value not shown)");
		chat_end(c);
		return;
	}
	chat_json_text(c, s, strlen(s), indent);
	free(s);
}

/*
 * Content blocks.
 */

/* Bytes that base64 text decodes to: padding and whitespace carry none. */
static uint64_t
chat_base64_bytes(const char *s, size_t n)
{
	uint64_t chars = 0;
	size_t i;

	for (i = 0; i < n; i++) {
		if (s[i] != '=' && s[i] != ' ' && s[i] != '\n' && s[i] != '\r')
			chars++;
	}
	return chars * 3 / 4;
}

/* 812 B, 1.5 KB, 12 KB, 3.2 MB. */
static void
chat_add_size(struct buf *b, uint64_t n)
{
	static const char *units[] = { "KB", "MB", "GB", "TB" };
	double v = n;
	size_t u = 0;

	if (n < 1024) {
		buf_printf(b, "%" PRIu64 " B", n);
		return;
	}
	for (v /= 1024; v >= 1024 && u < 3; u++)
		v /= 1024;
	/* One decimal while it still shows under ten. */
	buf_printf(b, v < 9.95 ? "%.1f %s" : "%.0f %s", v, units[u]);
}

/* Where the bytes of a media block are: MCP puts data and mimeType on
 * the block, Anthropic in a source object, OpenAI in a (data) URL. */
struct chat_media {
	const char *mime;
	size_t mime_len;
	const char *data;	/* base64 */
	size_t data_len;
	const json_t *url;	/* a URL that is not a data URL */
};

/* Split "data:image/png;base64,AAAA" into the media's mime and data. */
static void
chat_data_url(struct chat_media *m, const json_t *url)
{
	const char *s = json_string_value(url), *comma, *semi;
	size_t n = json_string_length(url);

	if (n < 5 || strncmp(s, "data:", 5) != 0) {
		m->url = url;
		return;
	}
	if ((comma = memchr(s, ',', n)) == NULL)
		return;
	semi = memchr(s, ';', comma - s);
	m->mime = s + 5;
	m->mime_len = (semi != NULL ? semi : comma) - m->mime;
	m->data = comma + 1;
	m->data_len = n - (m->data - s);
}

static void
chat_find_media(struct chat_media *m, const json_t *b)
{
	const json_t *src = json_object_get(b, "source"), *v, *url;
	static const char *mimes[] = { "mimeType", "mime_type", "media_type" };
	size_t i;

	memset(m, 0, sizeof *m);
	for (i = 0; i < nitems(mimes) && m->mime == NULL; i++) {
		if (json_is_string(v = json_object_get(b, mimes[i])) ||
		    json_is_string(v = json_object_get(src, mimes[i]))) {
			m->mime = json_string_value(v);
			m->mime_len = json_string_length(v);
		}
	}
	if (json_is_string(v = json_object_get(b, "data")) ||
	    json_is_string(v = json_object_get(src, "data"))) {
		m->data = json_string_value(v);
		m->data_len = json_string_length(v);
		return;
	}
	url = json_object_get(b, "image_url");
	if (json_is_object(url))
		url = json_object_get(url, "url");
	if (!json_is_string(url))
		url = json_object_get(src, "url");
	if (!json_is_string(url))
		url = json_object_get(b, "url");
	if (json_is_string(url))
		chat_data_url(m, url);
}

/* "[image image/png 12 KB]": the bytes themselves are never shown. */
static void
chat_media_block(struct chat *c, const json_t *b, const char *what, int indent)
{
	struct chat_media m;
	struct buf line = BUF_INIT;

	chat_find_media(&m, b);
	buf_printf(&line, "[%s", what);
	if (m.mime != NULL && m.mime_len != 0) {
		buf_addc(&line, ' ');
		buf_add(&line, m.mime, m.mime_len);
	}
	if (m.data != NULL) {
		buf_addc(&line, ' ');
		chat_add_size(&line, chat_base64_bytes(m.data, m.data_len));
	}
	if (m.url != NULL) {
		buf_addc(&line, ' ');
		buf_add(&line, json_string_value(m.url),
		    json_string_length(m.url));
	}
	buf_addc(&line, ']');
	chat_wrap_line(c, VS_DIM, line.p, line.len, indent);
	buf_free(&line);
}

static void
chat_image(struct chat *c, const json_t *b, int indent, int depth)
{
	chat_media_block(c, b, "image", indent);
}

static void
chat_audio(struct chat *c, const json_t *b, int indent, int depth)
{
	chat_media_block(c, b, "audio", indent);
}

static void
chat_document(struct chat *c, const json_t *b, int indent, int depth)
{
	chat_media_block(c, b, "document", indent);
}

/* The first CHAT_RESOURCE_LINES lines of a resource's text: a whole file
 * would bury the conversation around it. */
static void
chat_resource_text(struct chat *c, const json_t *text, int indent)
{
	const char *s = json_string_value(text), *p = s, *nl;
	size_t n = json_string_length(text), lines = 0, more = 0;
	struct buf note = BUF_INIT;

	while (lines < CHAT_RESOURCE_LINES &&
	    (nl = memchr(p, '\n', n - (p - s))) != NULL) {
		p = nl + 1;
		lines++;
	}
	if (lines < CHAT_RESOURCE_LINES) {
		chat_wrap(c, VS_NORMAL, s, n, indent);
		return;
	}
	chat_wrap(c, VS_NORMAL, s, p - s, indent);
	for (; p < s + n; p++) {
		if (*p == '\n' || p == s + n - 1)
			more++;
	}
	if (more == 0)
		return;
	buf_printf(&note, "%s %zu more line%s", c->g->ellipsis, more,
	    more == 1 ? "" : "s");
	chat_pad(c, indent);
	chat_put(c, VS_DIM, note.p, note.len);
	chat_end(c);
	buf_free(&note);
}

/* "[resource file:///x.txt]" and its text, or its blob's type and size. */
static void
chat_resource(struct chat *c, const json_t *b, int indent, int depth)
{
	const json_t *r = json_object_get(b, "resource"), *text, *blob;
	const char *mime;
	struct buf line = BUF_INIT;

	if (!json_is_object(r))
		r = b;	/* a resource_link, or a flattened resource */
	text = json_object_get(r, "text");
	blob = json_object_get(r, "blob");
	buf_adds(&line, "[resource");
	if (chat_str(r, "uri") != NULL) {
		buf_addc(&line, ' ');
		buf_add(&line, chat_str(r, "uri"),
		    json_string_length(json_object_get(r, "uri")));
	}
	if (json_is_string(blob)) {
		if ((mime = chat_str(r, "mimeType")) != NULL)
			buf_printf(&line, " %s", mime);
		buf_addc(&line, ' ');
		chat_add_size(&line, chat_base64_bytes(json_string_value(blob),
		    json_string_length(blob)));
	}
	buf_addc(&line, ']');
	chat_wrap_line(c, VS_ACCENT, line.p, line.len, indent);
	buf_free(&line);
	if (json_is_string(text))
		chat_resource_text(c, text, indent + CHAT_INDENT);
}

/* "→ tool call NAME id" heading a call's input. */
static void
chat_call_header(struct chat *c, const char *name, const char *id, int indent)
{
	chat_pad(c, indent);
	chat_puts(c, VS_DIM, c->g->arrow);
	chat_puts(c, VS_DIM, " tool call ");
	chat_puts(c, VS_ACCENT, name != NULL ? name : "?");
	if (id != NULL) {
		chat_puts(c, VS_DIM, " ");
		chat_puts(c, VS_DIM, id);
	}
	chat_end(c);
}

static void
chat_tool_use(struct chat *c, const json_t *b, int indent, int depth)
{
	const json_t *input = json_object_get(b, "input");

	chat_call_header(c, chat_str(b, "name"), chat_str(b, "id"), indent);
	if (input != NULL)
		chat_json_value(c, input, indent + CHAT_INDENT);
}

static void
chat_tool_result(struct chat *c, const json_t *b, int indent, int depth)
{
	bool error = json_is_true(json_object_get(b, "is_error")) ||
	    json_is_true(json_object_get(b, "isError"));
	enum vstyle st = error ? VS_ERROR : VS_DIM;

	chat_pad(c, indent);
	chat_puts(c, st, c->g->back_arrow);
	chat_puts(c, st, " tool result");
	if (chat_str(b, "tool_use_id") != NULL) {
		chat_puts(c, VS_DIM, " ");
		chat_puts(c, VS_DIM, chat_str(b, "tool_use_id"));
	}
	if (error)
		chat_puts(c, VS_ERROR, " (error)");
	chat_end(c);
	chat_content(c, json_object_get(b, "content"), indent + CHAT_INDENT,
	    depth + 1);
}

static void
chat_thinking(struct chat *c, const json_t *b, int indent, int depth)
{
	const json_t *t = json_object_get(b, "thinking");

	chat_pad(c, indent);
	chat_puts(c, VS_DIM, "thinking");
	chat_end(c);
	if (json_is_string(t))
		chat_wrap_json_string(c, VS_DIM, t, indent + CHAT_INDENT);
}

static void
chat_redacted(struct chat *c, const json_t *b, int indent, int depth)
{
	chat_wrap_line(c, VS_DIM, "[redacted thinking]", 19, indent);
}

/* A text block; the inspector's own wrapper keeps its text in content. */
static void
chat_text_block(struct chat *c, const json_t *b, int indent, int depth)
{
	const json_t *t = json_object_get(b, "text");

	if (!json_is_string(t))
		t = json_object_get(b, "content");
	if (json_is_string(t))
		chat_wrap_json_string(c, VS_NORMAL, t, indent);
	else
		chat_json_value(c, b, indent);
}

typedef void (*chat_block_fn)(struct chat *, const json_t *, int, int);

static const struct chat_block_type {
	const char *type;
	chat_block_fn fn;
} chat_block_types[] = {
	{ "text", chat_text_block },
	{ "input_text", chat_text_block },
	{ "output_text", chat_text_block },
	{ "image", chat_image },
	{ "image_url", chat_image },
	{ "input_image", chat_image },
	{ "audio", chat_audio },
	{ "document", chat_document },
	{ "resource", chat_resource },
	{ "resource_link", chat_resource },
	{ "tool_use", chat_tool_use },
	{ "server_tool_use", chat_tool_use },
	{ "tool_result", chat_tool_result },
	{ "thinking", chat_thinking },
	{ "redacted_thinking", chat_redacted },
};

static const struct chat_block_type *
chat_block_type(const json_t *b)
{
	const char *type = chat_str(b, "type");
	size_t i;

	if (type == NULL)
		return NULL;
	for (i = 0; i < nitems(chat_block_types); i++) {
		if (strcmp(type, chat_block_types[i].type) == 0)
			return &chat_block_types[i];
	}
	return NULL;
}

static void
chat_block(struct chat *c, const json_t *b, int indent, int depth)
{
	const struct chat_block_type *bt;
	const json_t *text = json_object_get(b, "text");

	if (json_is_string(b)) {
		chat_wrap_json_string(c, VS_NORMAL, b, indent);
		return;
	}
	if (depth < CHAT_MAX_DEPTH && (bt = chat_block_type(b)) != NULL) {
		bt->fn(c, b, indent, depth);
		return;
	}
	if (chat_str(b, "type") == NULL && json_is_string(text)) {
		chat_wrap_json_string(c, VS_NORMAL, text, indent);
		return;
	}
	if (chat_str(b, "type") != NULL) {
		chat_pad(c, indent);
		chat_puts(c, VS_DIM, "[");
		chat_puts(c, VS_DIM, chat_str(b, "type"));
		chat_puts(c, VS_DIM, "]");
		chat_end(c);
	}
	chat_json_value(c, b, indent);
}

/* A message's content: a string, blocks, one block, or anything else as
 * JSON. */
static void
chat_content(struct chat *c, const json_t *v, int indent, int depth)
{
	const json_t *b;
	size_t i;

	if (v == NULL || json_is_null(v))
		return;
	if (json_is_string(v))
		chat_wrap_json_string(c, VS_NORMAL, v, indent);
	else if (json_is_array(v) && depth < CHAT_MAX_DEPTH) {
		json_array_foreach(v, i, b)
			chat_block(c, b, indent, depth);
	} else if (json_is_object(v))
		chat_block(c, v, indent, depth);
	else
		chat_json_value(c, v, indent);
}

/*
 * Messages.
 */

/* An OpenAI tool call, {"id","function":{"name","arguments"}}, or a
 * legacy function_call {"name","arguments"}.  The arguments are a JSON
 * string, shown pretty when they parse. */
static void
chat_openai_call(struct chat *c, const json_t *call, int indent)
{
	const json_t *fn = json_object_get(call, "function"), *args;

	if (!json_is_object(call)) {
		chat_json_value(c, call, indent);
		return;
	}
	if (!json_is_object(fn))
		fn = call;
	chat_call_header(c, chat_str(fn, "name"), chat_str(call, "id"), indent);
	args = json_object_get(fn, "arguments");
	if (json_is_string(args))
		chat_json_text(c, json_string_value(args),
		    json_string_length(args), indent + CHAT_INDENT);
	else if (args != NULL)
		chat_json_value(c, args, indent + CHAT_INDENT);
}

static void
chat_message(struct chat *c, const json_t *m)
{
	const json_t *calls = json_object_get(m, "tool_calls"), *call;
	const json_t *refusal = json_object_get(m, "refusal");
	const char *role = chat_str(m, "role"), *detail;
	size_t i, start;

	if ((detail = chat_str(m, "tool_call_id")) == NULL)
		detail = chat_str(m, "name");
	chat_header(c, role != NULL ? role : c->role, detail);
	start = c->out->n;
	chat_content(c, json_object_get(m, "content"), CHAT_INDENT, 0);
	if (json_is_string(refusal)) {
		chat_pad(c, CHAT_INDENT);
		chat_puts(c, VS_WARN, "refused");
		chat_end(c);
		chat_wrap_json_string(c, VS_NORMAL, refusal, CHAT_INDENT);
	}
	if (json_is_array(calls)) {
		json_array_foreach(calls, i, call)
			chat_openai_call(c, call, CHAT_INDENT);
	} else if (calls != NULL)
		chat_json_value(c, calls, CHAT_INDENT);
	if ((call = json_object_get(m, "function_call")) != NULL)
		chat_openai_call(c, call, CHAT_INDENT);
	if (c->out->n == start)
		chat_note(c, VS_DIM, "(no content)");
}

/* Content that is not in a message object, under the default role. */
static void
chat_bare(struct chat *c, const json_t *content)
{
	chat_header(c, c->role, NULL);
	chat_content(c, content, CHAT_INDENT, 0);
}

static bool
chat_is_message(const json_t *v)
{
	const char *type = chat_str(v, "type");

	if (json_is_string(json_object_get(v, "role")))
		return true;
	return json_object_get(v, "content") != NULL &&
	    (type == NULL || strcmp(type, "message") == 0);
}

static bool
chat_is_block(const json_t *v)
{
	if (json_is_string(v) || chat_block_type(v) != NULL)
		return true;
	return chat_str(v, "type") == NULL &&
	    json_is_string(json_object_get(v, "text"));
}

/* A list of messages, of blocks (one message), or of both. */
static bool
chat_is_list(const json_t *v)
{
	const json_t *e;
	size_t i;

	if (!json_is_array(v))
		return false;
	json_array_foreach(v, i, e) {
		if (!chat_is_message(e) && !chat_is_block(e))
			return false;
	}
	return true;
}

static void
chat_list(struct chat *c, const json_t *list)
{
	const json_t *e;
	bool messages = false;
	size_t i;

	if (json_array_size(list) == 0) {
		chat_gap(c);
		chat_puts(c, VS_DIM, "(no messages)");
		chat_end(c);
		return;
	}
	json_array_foreach(list, i, e)
		messages = messages || chat_is_message(e);
	if (!messages) {
		chat_bare(c, list);
		return;
	}
	json_array_foreach(list, i, e) {
		if (chat_is_message(e))
			chat_message(c, e);
		else
			chat_bare(c, e);
	}
}

/* {"system": …, "messages": [...]}: an Anthropic or OpenAI request. */
static void
chat_request(struct chat *c, const json_t *req)
{
	const json_t *system = json_object_get(req, "system");

	if (system != NULL && !json_is_null(system)) {
		chat_header(c, "system", NULL);
		chat_content(c, system, CHAT_INDENT, 0);
	}
	chat_list(c, json_object_get(req, "messages"));
}

/* {"choices": [{"message": {…}, "finish_reason": …}]}: OpenAI. */
static void
chat_choices(struct chat *c, const json_t *resp)
{
	const json_t *choice, *m;
	size_t i;

	if (json_array_size(json_object_get(resp, "choices")) == 0) {
		chat_gap(c);
		chat_puts(c, VS_DIM, "(no choices)");
		chat_end(c);
		return;
	}
	json_array_foreach(json_object_get(resp, "choices"), i, choice) {
		if (json_is_object(m = json_object_get(choice, "message")) ||
		    json_is_object(m = json_object_get(choice, "delta")))
			chat_message(c, m);
		else if (json_is_string(m = json_object_get(choice, "text")))
			chat_bare(c, m);
		else {
			chat_header(c, c->role, NULL);
			chat_json_value(c, choice, CHAT_INDENT);
		}
	}
}

enum chat_shape {
	CHAT_UNKNOWN,
	CHAT_TEXT,	/* a bare string */
	CHAT_MESSAGE,
	CHAT_REQUEST,
	CHAT_CHOICES,
	CHAT_BLOCK,	/* one content block */
	CHAT_WRAPPED,	/* {"type": …, "content": string or list} */
	CHAT_LIST,
};

static enum chat_shape
chat_shape_of(const json_t *v)
{
	const json_t *content = json_object_get(v, "content");

	if (json_is_string(v))
		return CHAT_TEXT;
	if (json_is_array(v))
		return chat_is_list(v) ? CHAT_LIST : CHAT_UNKNOWN;
	if (!json_is_object(v))
		return CHAT_UNKNOWN;
	if (json_is_string(json_object_get(v, "role")))
		return CHAT_MESSAGE;
	if (json_is_array(json_object_get(v, "messages")))
		return CHAT_REQUEST;
	if (json_is_array(json_object_get(v, "choices")))
		return CHAT_CHOICES;
	if (chat_block_type(v) != NULL)
		return CHAT_BLOCK;
	if (chat_str(v, "type") != NULL &&
	    (json_is_string(content) || chat_is_list(content)))
		return CHAT_WRAPPED;
	if (chat_is_message(v))
		return CHAT_MESSAGE;
	return CHAT_UNKNOWN;
}

/* Render a parsed prompt or response; false (nothing added) when its
 * shape is unknown. */
static bool
chat_value(struct chat *c, const json_t *v)
{
	const json_t *content = json_object_get(v, "content");

	switch (chat_shape_of(v)) {
	case CHAT_UNKNOWN:
		return false;
	case CHAT_TEXT:
	case CHAT_BLOCK:
		chat_bare(c, v);
		break;
	case CHAT_MESSAGE:
		chat_message(c, v);
		break;
	case CHAT_REQUEST:
		chat_request(c, v);
		break;
	case CHAT_CHOICES:
		chat_choices(c, v);
		break;
	case CHAT_WRAPPED:
		if (json_is_string(content))
			chat_bare(c, content);
		else
			chat_list(c, content);
		break;
	case CHAT_LIST:
		chat_list(c, v);
		break;
	}
	return true;
}

/* A prompt or response that is no conversation: pretty JSON when it is
 * JSON at all (jansson refuses some JSON, e.g. integers past 64 bits, that
 * json_view shows), else the raw text. */
static void
chat_fallback(struct chat *c, const char *what, const char *text, size_t n)
{
	struct json_view *jv;
	char *cause = NULL;

	c->note = NULL;		/* the header names the part itself */
	chat_header(c, what, NULL);
	if ((jv = json_view_new(text, n, &cause)) != NULL) {
		chat_note(c, VS_DIM, "(unrecognised shape; raw JSON)");
		chat_render_view(c, jv, CHAT_INDENT);
		json_view_free(jv);
		return;
	}
	free(cause);
	chat_note(c, VS_WARN, "(not valid JSON; shown raw)");
	chat_wrap(c, VS_NORMAL, text, n, CHAT_INDENT);
}

static void
chat_part(struct chat *c, const char *what, const char *text, const json_t *v)
{
	if (v == NULL || !chat_value(c, v))
		chat_fallback(c, what, text, strlen(text));
}

/*
 * The facts header.
 */

/* A string member of the response, or of the last message that has it in
 * a list of responses (one per tool round, ending with tool results). */
static const char *
chat_response_str(const json_t *resp, const char *key)
{
	size_t i = json_array_size(resp);
	const char *s;

	if (!json_is_array(resp))
		return chat_str(resp, key);
	while (i-- > 0) {
		if ((s = chat_str(json_array_get(resp, i), key)) != NULL)
			return s;
	}
	return NULL;
}

static const char *
chat_stop_reason(const json_t *resp)
{
	const json_t *choices = json_object_get(resp, "choices");
	const char *s;

	if ((s = chat_response_str(resp, "stop_reason")) != NULL ||
	    (s = chat_response_str(resp, "finish_reason")) != NULL)
		return s;
	return chat_str(json_array_get(choices, 0), "finish_reason");
}

/*
 * "812 in · 120 out" from the facts (the index pass's figures), else from
 * the response by doc/reference.md §3's one rule, span_response_tokens, which reads a
 * text cut at 30 KB as far as it goes (jansson would refuse all of it);
 * then the cached part of the input, "· 600 cache read · 90 cache write",
 * when there is one.
 */
static void
chat_tokens(struct chat *c, const struct chat_facts *f, const char *response,
    struct buf *b)
{
	int64_t t[5] = { f->tokens_in, f->tokens_out, -1,
	    f->tokens_cache_read, f->tokens_cache_write };
	struct span_tokens st;
	struct jarena *arena;

	if (t[0] < 0 && t[1] < 0 && response != NULL) {
		arena = jarena_new();
		span_response_tokens(arena, response, strlen(response), &st);
		jarena_free(arena);
		t[0] = st.in;
		t[1] = st.out;
		t[2] = st.total;
		t[3] = st.cache_read;
		t[4] = st.cache_write;
	}
	if (t[0] >= 0 && t[1] >= 0)
		buf_printf(b, "%" PRId64 " in %s %" PRId64 " out", t[0],
		    c->g->dot, t[1]);
	else if (t[0] >= 0)
		buf_printf(b, "%" PRId64 " in", t[0]);
	else if (t[1] >= 0)
		buf_printf(b, "%" PRId64 " out", t[1]);
	else if (t[2] >= 0)
		buf_printf(b, "%" PRId64 " total", t[2]);
	if (t[3] > 0)
		buf_printf(b, " %s %" PRId64 " cache read", c->g->dot, t[3]);
	if (t[4] > 0)
		buf_printf(b, " %s %" PRId64 " cache write", c->g->dot, t[4]);
}

static void
chat_fact(struct chat *c, const char *label, enum vstyle st, const char *value)
{
	if (value == NULL || *value == '\0')
		return;
	chat_puts(c, VS_DIM, label);
	chat_puts(c, st, value);
	chat_end(c);
}

static void
chat_facts(struct chat *c, const struct chat_facts *f, const json_t *resp,
    const char *response_json)
{
	struct buf tokens = BUF_INIT;
	struct buf from = BUF_INIT;
	const char *model = f->model, *stop = f->stop_reason;

	if (model == NULL)
		model = chat_response_str(resp, "model");
	if (stop == NULL)
		stop = chat_stop_reason(resp);
	chat_tokens(c, f, response_json, &tokens);
	chat_fact(c, "model     ", VS_ACCENT, model);
	chat_fact(c, "provider  ", VS_NORMAL, f->provider);
	chat_fact(c, "tokens    ", VS_NUMBER, buf_str(&tokens));
	chat_fact(c, "stop      ", VS_NORMAL, stop);
	if (f->prompt_from != NULL) {
		buf_printf(&from, "prompt from parent span %s", f->prompt_from);
		chat_wrap_line(c, VS_DIM, from.p, from.len, 0);
	}
	buf_free(&tokens);
	buf_free(&from);
}

static json_t *
chat_parse(const char *text)
{
	if (text == NULL)
		return NULL;
	return json_loadb(text, strlen(text), JSON_DECODE_ANY | JSON_ALLOW_NUL,
	    NULL);
}

/* Both texts, at least one of them present, after the facts. */
static void
chat_conversation(struct chat *c, const char *prompt_json,
    const char *response_json, const struct chat_facts *f)
{
	json_t *prompt = chat_parse(prompt_json);
	json_t *resp = chat_parse(response_json);

	chat_facts(c, f, resp, response_json);
	if (prompt_json != NULL) {
		c->role = "user";
		chat_part(c, "prompt", prompt_json, prompt);
	}
	if (response_json != NULL) {
		c->role = "assistant";
		c->note = prompt_json != NULL ? "response" : NULL;
		chat_part(c, "response", response_json, resp);
	}
	json_decref(prompt);
	json_decref(resp);
}

void
chat_view_render(struct vdoc *out, const char *prompt_json,
    const char *response_json, const struct chat_facts *facts, int width)
{
	static const struct chat_facts none = {
		NULL, NULL, -1, -1, NULL, NULL, -1, -1
	};
	struct chat c = { .out = out, .first = out->n, .g = glyphs_get() };

	c.width = width < 1 ? 1 : width;
	/* An empty attribute carries no more context than a missing one. */
	if (prompt_json != NULL && *prompt_json == '\0')
		prompt_json = NULL;
	if (response_json != NULL && *response_json == '\0')
		response_json = NULL;
	if (prompt_json == NULL && response_json == NULL) {
		chat_puts(&c, VS_DIM, "No LLM context on this span.");
		chat_end(&c);
	} else
		chat_conversation(&c, prompt_json, response_json,
		    facts != NULL ? facts : &none);
	buf_free(&c.tmp);
}
