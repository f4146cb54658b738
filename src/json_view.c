/* SPDX-License-Identifier: MIT */
/*
 * json_view.c — a JSON value as a foldable, pretty-printed tree of lines
 * (see json_view.h).
 *
 * jansson parses, but first the pre-pass (jnorm.h) rewrites every number,
 * and Python's NaN, Infinity and -Infinity, into a marked string: numbers are
 * then shown exactly as written, even those jansson refuses (integers
 * beyond 64 bits, doubles that overflow).  The parsed value is copied
 * into a flat array of nodes in document order, holding display-ready
 * (sanitised, escaped) text, and the json_t is freed at once.
 *
 * Nothing here recurses: jansson stops at depth 2048, and building and
 * rendering walk the tree with explicit stacks.
 */
#include "json_view.h"

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "blob.h"
#include "buf.h"
#include "jnorm.h"
#include "text.h"
#include "xmalloc.h"


/* Narrowest text worth wrapping beside a key; below this a long value
 * wraps under its key instead, and indentation stops growing. */
#define JV_MIN_WRAP 20
/* Shortest string (quoted, as shown) that blob_summary may fold. */
#define JV_BLOB_MIN (64 + 2)

enum jv_type {
	JV_OBJECT,
	JV_ARRAY,
	JV_STRING,
	JV_NUMBER,
	JV_LITERAL,
};

/* One value, in document order: a container's subtree is the nodes from
 * it to `end`.  Text is in the pool, ready to display. */
struct jv_node {
	size_t key, keylen;	/* `"key"` when a member, else keylen 0 */
	size_t text, textlen;	/* scalars: the value as shown */
	size_t lines;		/* unwrapped lines: 1 + newlines in a string;
				   1 for a container (folded) */
	size_t kidlines;	/* containers: lines of the children, folded */
	uint32_t end;
	uint32_t nkids;
	uint32_t cid;		/* containers: container id */
	uint32_t depth;
	uint8_t type;
};

struct json_view {
	struct jv_node *nodes;
	uint32_t nnodes;
	uint32_t *containers;	/* container id → node */
	uint8_t *folded;	/* by container id */
	uint8_t *opened;	/* by node: a long string shown in full */
	uint32_t ncontainers;
	uint32_t maxdepth;
	char *pool;
};

/*
 * jansson's message, placed in the original text.  Its " near '…'" part
 * quotes the rewritten text (and raw input), so it is left out.
 */
static char *
jv_cause(const char *s, size_t n, const json_error_t *e)
{
	struct buf b = BUF_INIT;
	const char *near = strstr(e->text, " near ");
	size_t pos, i, line = 1, column = 0;

	pos = jnorm_source_offset(s, n, JNORM_MARK_NUMBERS,
	    e->position < 0 ? 0 : (size_t)e->position);
	for (i = 0; i < pos; i++) {
		if (s[i] == '\n') {
			line++;
			column = 0;
		} else if (((unsigned char)s[i] & 0xc0) != 0x80)
			column++;
	}
	text_sanitize(&b, e->text,
	    near != NULL ? (size_t)(near - e->text) : strlen(e->text), 0);
	buf_printf(&b, " at line %zu, column %zu", line, column);
	return buf_detach(&b);
}

/* ---- building the node array ------------------------------------------- */

struct jv_frame {
	json_t *value;
	void *iter;		/* objects: the next member */
	size_t index;		/* arrays: the next item */
	uint32_t node;
};

struct jv_build {
	struct json_view *jv;
	size_t nodes_cap, containers_cap;
	struct buf pool;
	struct jv_frame *stack;
	size_t depth, stack_cap;
};

/* Append `"s"` to the pool, with '"' and '\' escaped as in JSON and
 * everything else made safe by text_sanitize (controls as "\x01", "\t"…). */
static void
jv_pool_quoted(struct buf *pool, const char *s, size_t n, unsigned flags)
{
	size_t i = 0, run;

	buf_addc(pool, '"');
	while (i < n) {
		for (run = i; run < n && s[run] != '"' && s[run] != '\\'; run++)
			;
		text_sanitize(pool, s + i, run - i, flags);
		if (run == n)
			break;
		buf_addc(pool, '\\');
		buf_addc(pool, s[run]);
		i = run + 1;
	}
	buf_addc(pool, '"');
}

static size_t
jv_count_lines(const char *s, size_t n)
{
	const char *end = s + n, *nl;
	size_t lines = 1;

	while ((nl = memchr(s, '\n', (size_t)(end - s))) != NULL) {
		lines++;
		s = nl + 1;
	}
	return lines;
}

/* Set the node's scalar text from v, added to the pool. */
static void
jv_set_scalar(struct jv_build *b, struct jv_node *node, json_t *v)
{
	const char *s;
	size_t n;

	node->text = b->pool.len;
	switch (json_typeof(v)) {
	case JSON_STRING:
		s = json_string_value(v);
		n = json_string_length(v);
		if (n >= JNORM_MARK_LEN && s[0] == '\0' && s[1] == 'n') {
			node->type = JV_NUMBER;
			buf_add(&b->pool, s + JNORM_MARK_LEN, n - JNORM_MARK_LEN);
			break;
		}
		if (n >= JNORM_MARK_LEN && s[0] == '\0' && s[1] == 's') {
			s += JNORM_MARK_LEN;
			n -= JNORM_MARK_LEN;
		}
		node->type = JV_STRING;
		jv_pool_quoted(&b->pool, s, n, TEXT_KEEP_NEWLINES);
		break;
	case JSON_INTEGER:
	case JSON_REAL:
		/* Not after the pre-pass, which hides every number. */
		node->type = JV_NUMBER;
		buf_printf(&b->pool, "%.17g", json_number_value(v));
		break;
	case JSON_TRUE:
	case JSON_FALSE:
	case JSON_NULL:
		node->type = JV_LITERAL;
		buf_adds(&b->pool, json_is_true(v) ? "true" :
		    json_is_false(v) ? "false" : "null");
		break;
	case JSON_OBJECT:
	case JSON_ARRAY:
		break;
	}
	node->textlen = b->pool.len - node->text;
	node->lines = jv_count_lines(b->pool.p + node->text, node->textlen);
}

static void
jv_push_frame(struct jv_build *b, json_t *v, uint32_t node)
{
	struct jv_frame *f;

	if (b->depth == b->stack_cap) {
		b->stack_cap = b->stack_cap == 0 ? 16 : b->stack_cap * 2;
		b->stack = xreallocarray(b->stack, b->stack_cap, sizeof *b->stack);
	}
	f = &b->stack[b->depth++];
	f->value = v;
	f->iter = json_is_object(v) ? json_object_iter(v) : NULL;
	f->index = 0;
	f->node = node;
}

/* Append the node for v (a member named key[0..keylen) when key is not
 * NULL) at the current depth; a container also gets a frame. */
static void
jv_add_node(struct jv_build *b, const char *key, size_t keylen, json_t *v)
{
	struct json_view *jv = b->jv;
	struct jv_node *node;
	uint32_t idx = jv->nnodes;

	if (jv->nnodes == b->nodes_cap) {
		b->nodes_cap = b->nodes_cap == 0 ? 64 : b->nodes_cap * 2;
		jv->nodes = xreallocarray(jv->nodes, b->nodes_cap, sizeof *jv->nodes);
	}
	node = &jv->nodes[jv->nnodes++];
	memset(node, 0, sizeof *node);
	node->depth = (uint32_t)b->depth;
	if (node->depth > jv->maxdepth)
		jv->maxdepth = node->depth;
	if (key != NULL) {
		node->key = b->pool.len;
		jv_pool_quoted(&b->pool, key, keylen, 0);
		node->keylen = b->pool.len - node->key;
	}
	node->end = idx + 1;
	if (!json_is_object(v) && !json_is_array(v)) {
		jv_set_scalar(b, node, v);
		return;
	}
	node->type = json_is_object(v) ? JV_OBJECT : JV_ARRAY;
	node->lines = 1;
	if (jv->ncontainers == b->containers_cap) {
		b->containers_cap = b->containers_cap == 0 ? 16 :
		    b->containers_cap * 2;
		jv->containers = xreallocarray(jv->containers,
		    b->containers_cap, sizeof *jv->containers);
	}
	node->cid = jv->ncontainers;
	jv->containers[jv->ncontainers++] = idx;
	jv_push_frame(b, v, idx);
}

/* The next child of the innermost open container, if any. */
static bool
jv_next_child(struct jv_frame *f, const char **key, size_t *keylen,
    json_t **child)
{
	if (json_is_object(f->value)) {
		if (f->iter == NULL)
			return false;
		/* jansson refuses keys holding NUL, so strlen is the length
		 * (json_object_iter_key_len needs 2.14; configure asks 2.10). */
		*key = json_object_iter_key(f->iter);
		*keylen = strlen(*key);
		*child = json_object_iter_value(f->iter);
		f->iter = json_object_iter_next(f->value, f->iter);
		return true;
	}
	if (f->index >= json_array_size(f->value))
		return false;
	*key = NULL;
	*keylen = 0;
	*child = json_array_get(f->value, f->index++);
	return true;
}

static struct json_view *
jv_build(json_t *root)
{
	struct jv_build b;
	struct jv_frame *f;
	const char *key;
	size_t keylen;
	json_t *child;
	uint32_t parent, idx;

	memset(&b, 0, sizeof b);
	b.jv = xcalloc(1, sizeof *b.jv);
	jv_add_node(&b, NULL, 0, root);
	while (b.depth > 0) {
		f = &b.stack[b.depth - 1];
		parent = f->node;
		if (!jv_next_child(f, &key, &keylen, &child)) {
			b.jv->nodes[parent].end = b.jv->nnodes;
			b.depth--;
			continue;
		}
		idx = b.jv->nnodes;
		jv_add_node(&b, key, keylen, child);
		b.jv->nodes[parent].nkids++;
		b.jv->nodes[parent].kidlines += b.jv->nodes[idx].lines;
	}
	free(b.stack);
	b.jv->pool = buf_detach(&b.pool);
	b.jv->folded = xcalloc(b.jv->ncontainers + 1, 1);
	b.jv->opened = xcalloc(b.jv->nnodes + 1, 1);
	return b.jv;
}

/* ---- folding ------------------------------------------------------------ */

/*
 * Open the top levels whole, as deep as the budget allows, then open
 * what else of the next level fits, in document order; fold the rest.
 * This keeps the outline of a big value in view, where folding the
 * largest containers first would hide the top.  Lines are counted
 * without wrapping.
 */
static void
jv_default_folds(struct json_view *jv)
{
	const struct jv_node *node;
	size_t *shown, *closing, total, spare;
	uint32_t i, level, levels = jv->maxdepth + 2;

	shown = xcalloc(levels, sizeof *shown);
	closing = xcalloc(levels, sizeof *closing);
	for (i = 0; i < jv->nnodes; i++) {
		node = &jv->nodes[i];
		shown[node->depth] += node->lines;
		if (node->nkids > 0)
			closing[node->depth]++;
	}
	/* With levels < `level` open: every node down to `level` shows. */
	total = shown[0];
	for (level = 0; level + 1 < levels; level++) {
		if (total + closing[level] + shown[level + 1] >
		    JSON_VIEW_LINE_BUDGET)
			break;
		total += closing[level] + shown[level + 1];
	}
	spare = total < JSON_VIEW_LINE_BUDGET ? JSON_VIEW_LINE_BUDGET - total : 0;
	for (i = 0; i < jv->ncontainers; i++) {
		node = &jv->nodes[jv->containers[i]];
		if (node->nkids == 0 || node->depth < level)
			jv->folded[i] = 0;
		else if (node->depth == level && node->kidlines + 1 <= spare) {
			jv->folded[i] = 0;
			spare -= node->kidlines + 1;
		} else
			jv->folded[i] = 1;
	}
	free(closing);
	free(shown);
}

struct json_view *
json_view_new(const char *text, size_t len, char **cause)
{
	struct json_view *jv;
	json_error_t error;
	json_t *root;

	root = jnorm_load(text, len, JNORM_MARK_NUMBERS, &error);
	if (root == NULL) {
		if (cause != NULL)
			*cause = jv_cause(text, len, &error);
		return NULL;
	}
	jv = jv_build(root);
	json_decref(root);
	jv_default_folds(jv);
	return jv;
}

void
json_view_free(struct json_view *jv)
{
	if (jv == NULL)
		return;
	free(jv->nodes);
	free(jv->containers);
	free(jv->folded);
	free(jv->opened);
	free(jv->pool);
	free(jv);
}

bool
json_view_toggle(struct json_view *jv, uint32_t node)
{
	uint32_t i;

	if (node < jv->ncontainers) {
		jv->folded[node] = !jv->folded[node];
		return true;
	}
	/* A long string's line (json_view_render's id for it). */
	i = node - jv->ncontainers;
	if (i >= jv->nnodes || jv->nodes[i].type != JV_STRING ||
	    jv->nodes[i].textlen < JV_BLOB_MIN)
		return false;
	jv->opened[i] = !jv->opened[i];
	return true;
}

/* Folding everything still leaves the top container open: a lone
 * `{...}` would show nothing. */
void
json_view_set_all(struct json_view *jv, bool folded)
{
	uint32_t i;

	for (i = 0; i < jv->ncontainers; i++)
		jv->folded[i] = folded && i != 0;
	if (folded)
		memset(jv->opened, 0, jv->nnodes);
}

bool
json_view_reveal(struct json_view *jv, const char *needle)
{
	const struct jv_node *n;
	uint32_t *stack, depth = 0, i, k;
	size_t len = strlen(needle);
	bool changed = false;

	if (len == 0 || jv->nnodes == 0)
		return false;
	stack = xreallocarray(NULL, (size_t)jv->maxdepth + 1, sizeof *stack);
	for (i = 0; i < jv->nnodes; i++) {
		n = &jv->nodes[i];
		while (depth > 0 && jv->nodes[stack[depth - 1]].end <= i)
			depth--;
		/* A long string stays folded: its summary says how big it
		 * is, and Enter is one key away. */
		if (text_find(jv->pool + n->key, n->keylen, needle, len, NULL) ||
		    ((n->type != JV_STRING || n->textlen < JV_BLOB_MIN) &&
		    text_find(jv->pool + n->text, n->textlen, needle, len, NULL))) {
			for (k = 0; k < depth; k++) {
				changed |= jv->folded[jv->nodes[stack[k]].cid] != 0;
				jv->folded[jv->nodes[stack[k]].cid] = 0;
			}
		}
		if ((n->type == JV_OBJECT || n->type == JV_ARRAY) && depth <= jv->maxdepth)
			stack[depth++] = i;
	}
	free(stack);
	return changed;
}

uint32_t
json_view_nodes(const struct json_view *jv)
{
	return jv->ncontainers;
}

/* ---- rendering ---------------------------------------------------------- */

#define JV_LINE_RUNS 8

/* One value's line before wrapping: key, value and punctuation. */
struct jv_line {
	struct buf text;
	struct vrun runs[JV_LINE_RUNS];
	size_t nruns;
	size_t value;		/* where the value starts in text */
};

struct jv_render {
	const struct json_view *jv;
	struct vdoc *vd;
	int width;
	int indent;
	int deepest;		/* indentation stops growing here */
	struct jv_line line;
};

static void
jv_line_reset(struct jv_line *l)
{
	buf_reset(&l->text);
	l->nruns = 0;
	l->value = 0;
}

static void
jv_line_add(struct jv_line *l, enum vstyle style, const char *s, size_t n)
{
	/* A line has at most a key, a separator, a value and a comma;
	 * should it ever have more, the last style carries on. */
	if (n == 0)
		return;
	if (l->nruns == 0 || (l->runs[l->nruns - 1].style != style &&
	    l->nruns < JV_LINE_RUNS)) {
		l->runs[l->nruns].off = (uint32_t)l->text.len;
		l->runs[l->nruns].style = (uint8_t)style;
		l->nruns++;
	}
	buf_add(&l->text, s, n);
}

static void
jv_pad(struct vdoc *vd, int cols)
{
	static const char spaces[] = "                                ";
	int chunk;

	for (; cols > 0; cols -= chunk) {
		chunk = cols < (int)sizeof spaces - 1 ? cols : (int)sizeof spaces - 1;
		vdoc_add_safe(vd, VS_NORMAL, spaces, (size_t)chunk);
	}
}

/* Add bytes [a, b) of the logical line to the document, in their styles. */
static void
jv_put(struct jv_render *r, size_t a, size_t b)
{
	const struct jv_line *l = &r->line;
	size_t k, start, end;

	for (k = 0; k < l->nruns; k++) {
		start = l->runs[k].off;
		end = k + 1 < l->nruns ? l->runs[k + 1].off : l->text.len;
		if (start < a)
			start = a;
		if (end > b)
			end = b;
		if (start < end)
			vdoc_add_safe(r->vd, (enum vstyle)l->runs[k].style,
			    l->text.p + start, end - start);
	}
}

static void
jv_end(struct jv_render *r, uint32_t node, int folded)
{
	if (node == VDOC_NO_NODE)
		vdoc_end_line(r->vd);
	else
		vdoc_end_node_line(r->vd, node, folded);
}

static int
jv_column(const struct jv_render *r, uint32_t depth)
{
	long col = (long)r->indent + 2L * depth;

	return col > r->deepest ? r->deepest : (int)col;
}

/* Wrapping the logical line from byte `from`: the first display line
 * carries what comes before it unwrapped. */
struct jv_wrap {
	struct jv_render *r;
	size_t from;
	int first, cont;	/* columns where the lines start */
	uint32_t node;
	int folded;
	bool started;
};

static void
jv_wrap_line(void *arg, const char *s, size_t n)
{
	struct jv_wrap *w = arg;
	struct jv_render *r = w->r;
	size_t off = (size_t)(s - r->line.text.p);

	if (!w->started) {
		jv_pad(r->vd, w->first);
		jv_put(r, 0, w->from);
		jv_put(r, off, off + n);
		jv_end(r, w->node, w->folded);
		w->started = true;
		return;
	}
	if (n > 0)
		jv_pad(r->vd, w->cont);
	jv_put(r, off, off + n);
	vdoc_end_line(r->vd);
}

static void
jv_wrap(struct jv_render *r, size_t from, int first, int cont, uint32_t node,
    int folded)
{
	struct jv_wrap w = { r, from, first, cont, node, folded, false };
	const struct jv_line *l = &r->line;

	text_wrap(l->text.p + from, l->text.len - from, r->width - cont,
	    jv_wrap_line, &w);
	if (!w.started)
		jv_wrap_line(&w, l->text.p + from, 0);
}

/*
 * Lay out the logical line at the node's depth.  A line that does not
 * fit wraps: a string's text continues under its first character when
 * that leaves JV_MIN_WRAP columns; otherwise (and for anything else) the
 * whole line wraps with its continuation two columns in.
 */
static void
jv_emit(struct jv_render *r, uint32_t depth, uint32_t node, int folded,
    bool string, bool multiline)
{
	const struct jv_line *l = &r->line;
	int base = jv_column(r, depth), lead;

	if (!multiline && base + text_width(l->text.p, l->text.len) <= r->width) {
		jv_pad(r->vd, base);
		jv_put(r, 0, l->text.len);
		jv_end(r, node, folded);
		return;
	}
	if (string) {
		lead = text_width(l->text.p, l->value + 1);
		if (r->width - (base + lead) >= JV_MIN_WRAP) {
			jv_wrap(r, l->value + 1, base, base + lead, node, folded);
			return;
		}
	}
	jv_wrap(r, 0, base, base + 2, node, folded);
}

static const uint8_t jv_scalar_style[] = {
	[JV_STRING] = VS_STRING,
	[JV_NUMBER] = VS_NUMBER,
	[JV_LITERAL] = VS_LITERAL,
};

/*
 * A string too long to show (blob.h's rule, as for attribute values):
 * folded, one line `"key": … 1 097 lines (30 KB), Enter to expand`; open,
 * the string in full, its first line folding it again.  Such a line's
 * node id is ncontainers + the string's node.  False for a short string.
 */
static bool
jv_render_blob(struct jv_render *r, uint32_t i, bool last)
{
	const struct json_view *jv = r->jv;
	const struct jv_node *n = &jv->nodes[i];
	struct jv_line *l = &r->line;
	struct buf sum = BUF_INIT;
	uint32_t id = jv->ncontainers + i;

	if (!blob_summary(jv->pool + n->text + 1, n->textlen - 2, r->width, &sum)) {
		buf_free(&sum);
		return false;
	}
	if (jv->opened[i]) {
		jv_line_add(l, VS_STRING, jv->pool + n->text, n->textlen);
		if (!last)
			jv_line_add(l, VS_DIM, ",", 1);
		jv_emit(r, n->depth, id, 0, true, n->lines > 1);
	} else {
		jv_line_add(l, VS_DIM, buf_str(&sum), sum.len);
		if (!last)
			jv_line_add(l, VS_DIM, ",", 1);
		jv_emit(r, n->depth, id, 1, false, false);
	}
	buf_free(&sum);
	return true;
}

/* Lay out node i; true when it is a container left open, whose children
 * come next. */
static bool
jv_render_node(struct jv_render *r, uint32_t i, bool last)
{
	const struct json_view *jv = r->jv;
	const struct jv_node *n = &jv->nodes[i];
	struct jv_line *l = &r->line;
	bool object = n->type == JV_OBJECT, open;
	char summary[64];

	jv_line_reset(l);
	if (n->keylen > 0) {
		jv_line_add(l, VS_KEY, jv->pool + n->key, n->keylen);
		jv_line_add(l, VS_DIM, ": ", 2);
	}
	l->value = l->text.len;
	if (n->type == JV_STRING && n->textlen >= JV_BLOB_MIN &&
	    jv_render_blob(r, i, last))
		return false;
	if (n->type != JV_OBJECT && n->type != JV_ARRAY) {
		jv_line_add(l, jv_scalar_style[n->type], jv->pool + n->text,
		    n->textlen);
		if (!last)
			jv_line_add(l, VS_DIM, ",", 1);
		jv_emit(r, n->depth, VDOC_NO_NODE, 0, n->type == JV_STRING,
		    n->lines > 1);
		return false;
	}
	open = n->nkids > 0 && !jv->folded[n->cid];
	if (n->nkids == 0)
		jv_line_add(l, VS_DIM, object ? "{}" : "[]", 2);
	else if (open)
		jv_line_add(l, VS_DIM, object ? "{" : "[", 1);
	else {
		snprintf(summary, sizeof summary, "%s %u %s%s",
		    object ? "{...}" : "[...]", n->nkids,
		    object ? "key" : "item", n->nkids == 1 ? "" : "s");
		jv_line_add(l, VS_DIM, summary, strlen(summary));
	}
	if (!open && !last)
		jv_line_add(l, VS_DIM, ",", 1);
	jv_emit(r, n->depth, n->nkids > 0 ? n->cid : VDOC_NO_NODE, !open,
	    false, false);
	return open;
}

static void
jv_render_close(struct jv_render *r, uint32_t i, bool last)
{
	const struct jv_node *n = &r->jv->nodes[i];

	jv_line_reset(&r->line);
	jv_line_add(&r->line, VS_DIM, n->type == JV_OBJECT ? "}" : "]", 1);
	if (!last)
		jv_line_add(&r->line, VS_DIM, ",", 1);
	jv_emit(r, n->depth, VDOC_NO_NODE, 0, false, false);
}

struct jv_open {
	uint32_t node;
	uint32_t next;		/* the next child to lay out */
	bool last;		/* the container is its parent's last child */
};

void
json_view_render(const struct json_view *jv, struct vdoc *vd, int width,
    int indent)
{
	struct jv_render r;
	struct jv_open *stack, *top;
	const struct jv_node *n;
	size_t depth = 0;
	uint32_t child;
	bool last;

	memset(&r, 0, sizeof r);
	r.jv = jv;
	r.vd = vd;
	r.width = width < 1 ? 1 : width;
	r.indent = indent < 0 ? 0 : indent;
	r.deepest = r.width - JV_MIN_WRAP > r.width / 2 ?
	    r.width - JV_MIN_WRAP : r.width / 2;
	if (r.deepest < r.indent)
		r.deepest = r.indent;
	if (vd->cur_len > 0)
		vdoc_end_line(vd);

	stack = xreallocarray(NULL, (size_t)jv->maxdepth + 1, sizeof *stack);
	if (jv_render_node(&r, 0, true))
		stack[depth++] = (struct jv_open){ 0, 1, true };
	while (depth > 0) {
		top = &stack[depth - 1];
		n = &jv->nodes[top->node];
		if (top->next == n->end) {
			jv_render_close(&r, top->node, top->last);
			depth--;
			continue;
		}
		child = top->next;
		top->next = jv->nodes[child].end;
		last = jv->nodes[child].end == n->end;
		if (jv_render_node(&r, child, last))
			stack[depth++] = (struct jv_open){ child, child + 1, last };
	}
	free(stack);
	buf_free(&r.line.text);
}
