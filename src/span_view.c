/* SPDX-License-Identifier: MIT */
/* span_view.c — the inspector's tabs for one span; see span_view.h. */
#include "span_view.h"

#include <jansson.h>
#include <stdlib.h>
#include <string.h>

#include "blob.h"
#include "buf.h"
#include "chat_view.h"
#include "cost.h"
#include "fmt.h"
#include "json_view.h"
#include "session.h"
#include "span.h"
#include "span_detail.h"
#include "text.h"
#include "trace.h"
#include "xmalloc.h"

/* Node ids of the State tab's trees are (tree index << NODE_SHIFT) | node;
 * a folded blob's line is BLOB_NODE | its index in span_view.open. */
#define NODE_SHIFT 24
#define NODE_MASK ((1u << NODE_SHIFT) - 1)
#define BLOB_NODE 0x80000000u

/* One *_json attribute of the State tab. */
struct state_item {
	const struct kv *kv;
	struct json_view *jv;  /* NULL when the value does not parse */
	bool truncated;        /* <key>_truncated is true */
};

struct span_view {
	uint8_t *open;              /* blobs unfolded: attributes, then raw states */
	struct session *session;
	uint32_t span;
	struct span_detail *d;
	struct span_detail *parent; /* for a generate span's prompt; may be NULL */
	struct state_item *items;
	size_t nitems;
	struct span_view_extra extra;
};

void
span_view_set_extra(struct span_view *v, const struct span_view_extra *x)
{
	v->extra = *x;
}

const char *
span_tab_name(enum span_tab tab)
{
	static const char *names[] = { "Attributes", "State / Result", "Context" };

	return (unsigned)tab < TAB_COUNT ? names[tab] : "?";
}

static bool
kv_is_true(const struct kv *kv)
{
	return kv != NULL && (strcmp(kv->json, "true") == 0 ||
	    (kv->str != NULL && strcmp(kv->str, "true") == 0));
}

static bool
key_is_json(const char *key)
{
	size_t n = strlen(key);

	return n > 5 && strcmp(key + n - 5, "_json") == 0;
}

static void
span_view_collect_state(struct span_view *v)
{
	const struct kv *kv;
	struct state_item *it;
	char *tkey, *cause;
	size_t i;

	for (i = 0; i < v->d->attrs.n; i++) {
		kv = &v->d->attrs.v[i];
		if (!key_is_json(kv->key))
			continue;
		v->items = xreallocarray(v->items, v->nitems + 1, sizeof *v->items);
		it = &v->items[v->nitems++];
		it->kv = kv;
		tkey = xasprintf("%s_truncated", kv->key);
		it->truncated = kv_is_true(span_detail_attr(v->d, tkey));
		free(tkey);
		cause = NULL;
		it->jv = kv->str != NULL ? json_view_new(kv->str, strlen(kv->str), &cause) :
		    json_view_new(kv->json, strlen(kv->json), &cause);
		free(cause);
	}
}

/* A generate span's prompt, provider and model sit on its parent (doc/reference.md §3). */
static void
span_view_load_parent(struct span_view *v)
{
	struct trace *t = session_trace(v->session);
	const struct span *sp = trace_span(t, v->span);
	uint32_t p;
	char *cause = NULL;

	if ((sp->flags & SPAN_F_LLM_PROMPT) || sp->parent == STRTAB_EMPTY)
		return;
	p = trace_find(t, trace_str(t, sp->parent), strtab_len(trace_strings(t), sp->parent));
	if (p == TRACE_NONE || !(trace_span(t, p)->flags & SPAN_F_LLM_PROMPT))
		return;
	v->parent = session_span_detail(v->session, p, &cause);
	free(cause);
}

struct span_view *
span_view_new(struct session *s, uint32_t span, char **cause)
{
	struct span_view *v;
	struct span_detail *d = session_span_detail(s, span, cause);

	if (d == NULL)
		return NULL;
	v = xcalloc(1, sizeof *v);
	v->session = s;
	v->span = span;
	v->d = d;
	span_view_collect_state(v);
	span_view_load_parent(v);
	v->open = xcalloc(d->attrs.n + v->nitems + 1, 1);
	return v;
}

void
span_view_free(struct span_view *v)
{
	size_t i;

	if (v == NULL)
		return;
	for (i = 0; i < v->nitems; i++)
		json_view_free(v->items[i].jv);
	free(v->items);
	span_detail_free(v->d);
	span_detail_free(v->parent);
	free(v->open);
	free(v);
}

uint32_t
span_view_span(const struct span_view *v)
{
	return v->span;
}

/*
 * Attributes tab.
 */

#define LABEL_W 10

static void
field(struct vdoc *o, const char *label, enum vstyle st, const char *value)
{
	vdoc_printf(o, VS_DIM, "%-*s", LABEL_W, label);
	vdoc_adds(o, st, value != NULL ? value : "-");
	vdoc_end_line(o);
}

static void
field_time(struct vdoc *o, const char *label, int64_t ns)
{
	struct buf b = BUF_INIT;

	if (ns == SPAN_TIME_NONE)
		buf_adds(&b, "-");
	else
		fmt_time_rfc3339(&b, ns);
	field(o, label, VS_NORMAL, buf_str(&b));
	buf_free(&b);
}

/* A value, wrapped from column col, or its summary line (node `node`)
 * while blob `k` is folded. */
static void
blob_or_text(struct span_view *v, struct vdoc *o, size_t k, enum vstyle st,
    const char *s, int width, int col)
{
	struct buf sum = BUF_INIT;

	if (!v->open[k] && blob_summary(s, strlen(s), width, &sum)) {
		vdoc_adds(o, VS_DIM, buf_str(&sum));
		vdoc_end_node_line(o, BLOB_NODE | (uint32_t)k, 1);
	} else if (v->open[k] && blob_summary(s, strlen(s), width, &sum)) {
		/* Unfolded: a line to fold it again, then the text. */
		vdoc_adds(o, VS_DIM, "(Enter folds)");
		vdoc_end_node_line(o, BLOB_NODE | (uint32_t)k, 0);
		vdoc_add_wrapped(o, st, s, strlen(s), width, col);
	} else
		vdoc_add_wrapped(o, st, s, strlen(s), width, col);
	buf_free(&sum);
}

/* key  value, the value wrapped under itself when long. */
static void
kv_lines(struct span_view *v, struct vdoc *o, const struct kv_list *l, int width, int indent)
{
	size_t i, keyw = 0, n;
	int col;

	for (i = 0; i < l->n; i++) {
		n = strlen(l->v[i].key);
		if (n > keyw)
			keyw = n;
	}
	if (keyw > 28)
		keyw = 28;
	for (i = 0; i < l->n; i++) {
		vdoc_printf(o, VS_NORMAL, "%*s", indent, "");
		vdoc_adds(o, VS_KEY, l->v[i].key);
		col = vdoc_cur_width(o);
		if (col < indent + (int)keyw + 2)
			vdoc_printf(o, VS_NORMAL, "%*s", indent + (int)keyw + 2 - col, "");
		else
			vdoc_adds(o, VS_NORMAL, "  ");
		col = vdoc_cur_width(o);
		if (width - col < 20) {
			vdoc_end_line(o);
			col = indent + 4;
		}
		/* A long value folds, a string or JSON (an object or array). */
		if (v != NULL && l->v[i].str != NULL)
			blob_or_text(v, o, i, VS_STRING, l->v[i].str, width, col);
		else if (v != NULL)
			blob_or_text(v, o, i, VS_NUMBER, l->v[i].json, width, col);
		else if (l->v[i].str != NULL)
			vdoc_add_wrapped(o, VS_STRING, l->v[i].str, strlen(l->v[i].str), width, col);
		else
			vdoc_add_wrapped(o, VS_NUMBER, l->v[i].json, strlen(l->v[i].json), width, col);
	}
}

static void
section(struct vdoc *o, const char *title, size_t n)
{
	vdoc_end_line(o);
	vdoc_printf(o, VS_HEADER, "%s (%zu)", title, n);
	vdoc_end_line(o);
}

/* Another, earlier span carries this span's id (trace_find gives the first). */
static bool
span_id_reused(struct trace *t, uint32_t span)
{
	const struct span *sp = trace_span(t, span);

	return sp->id != STRTAB_EMPTY && trace_find(t, trace_str(t, sp->id),
	    strtab_len(trace_strings(t), sp->id)) != span;
}

static void
share(struct buf *b, int64_t part, int64_t wall)
{
	buf_printf(b, " (%.1f%% of the wall time)",
	    wall > 0 ? 100.0 * (double)part / (double)wall : 0.0);
}

/* Self time, the critical path, cost (doc/reference.md §9). */
static void
render_extra(const struct span_view_extra *x, struct vdoc *o, struct buf *b)
{
	if (x->have) {
		buf_reset(b);
		fmt_duration(b, x->self_ns);
		share(b, x->self_ns, x->wall_ns);
		field(o, "Self time", VS_NORMAL, buf_str(b));
		buf_reset(b);
		if (x->on_path) {
			buf_adds(b, "on it, holding it ");
			fmt_duration(b, x->path_ns);
			share(b, x->path_ns, x->wall_ns);
		} else
			buf_adds(b, "not on the critical path");
		field(o, "Critical", x->on_path ? VS_WARN : VS_DIM, buf_str(b));
	}
	if (x->have_cost) {
		buf_reset(b);
		if (x->cost_known)
			cost_format(b, x->cost_usd);
		else
			buf_adds(b, "unknown: no price for its model (or its cached tokens)");
		field(o, "Cost", x->cost_known ? VS_NORMAL : VS_WARN, buf_str(b));
	}
	if (x->have_subtree) {
		buf_reset(b);
		if (x->subtree_known)
			cost_format(b, x->subtree_usd);
		else
			buf_adds(b, "unknown: some tokens have no price");
		buf_adds(b, " (it and everything below it)");
		field(o, "Roll-up", x->subtree_known ? VS_NORMAL : VS_WARN, buf_str(b));
	}
}

/* " (600 cache read, 90 cache write)": the cached part of the input. */
static void
render_cached(const struct trace *t, uint32_t span, struct buf *b)
{
	struct token_counts tok;

	trace_span_tokens(t, span, &tok);
	if (tok.cache_read <= 0 && tok.cache_write <= 0)
		return;
	buf_adds(b, " (");
	if (tok.cache_read > 0)
		buf_printf(b, "%lld cache read", (long long)tok.cache_read);
	if (tok.cache_read > 0 && tok.cache_write > 0)
		buf_adds(b, ", ");
	if (tok.cache_write > 0)
		buf_printf(b, "%lld cache write", (long long)tok.cache_write);
	buf_addc(b, ')');
}

static void
render_identity(struct span_view *v, struct vdoc *o)
{
	const struct span_detail *d = v->d;
	struct trace *t = session_trace(v->session);
	const struct span *sp = trace_span(t, v->span);
	struct buf b = BUF_INIT;

	field(o, "Name", VS_ACCENT, d->name);
	buf_adds(&b, span_type_name(sp->type));
	if (sp->label != STRTAB_EMPTY)
		buf_printf(&b, " \xc2\xb7 %s", trace_str(t, sp->label));
	field(o, "Type", VS_NORMAL, buf_str(&b));
	field(o, "Span", VS_NORMAL, d->span_id);
	if (span_id_reused(t, v->span))
		field(o, "", VS_WARN, "reused: the earlier span has the children");
	field(o, "Parent", VS_NORMAL, d->parent_id != NULL ? d->parent_id : "(root)");
	if (v->span < trace_tree_spans(t) && trace_is_cycle_break(t, v->span))
		field(o, "", VS_WARN, "parent cycle: shown as a root");
	field(o, "Trace", VS_NORMAL, d->trace_id);
	field(o, "Kind", VS_NORMAL, d->kind);
	buf_reset(&b);
	buf_adds(&b, d->status);
	if (d->status_description != NULL)
		buf_printf(&b, ": %s", d->status_description);
	field(o, "Status", strcmp(d->status, "error") == 0 ? VS_ERROR :
	    strcmp(d->status, "ok") == 0 ? VS_OK : VS_NORMAL, buf_str(&b));
	field_time(o, "Start", d->start_ns);
	field_time(o, "End", d->end_ns);
	buf_reset(&b);
	if (d->start_ns != SPAN_TIME_NONE && d->end_ns != SPAN_TIME_NONE)
		fmt_duration(&b, d->end_ns - d->start_ns);
	else
		buf_adds(&b, "(not ended)");
	field(o, "Duration", VS_NORMAL, buf_str(&b));
	if (sp->tok_in >= 0 || sp->tok_out >= 0) {
		buf_reset(&b);
		buf_printf(&b, "%lld in / %lld out", (long long)(sp->tok_in > 0 ? sp->tok_in : 0),
		    (long long)(sp->tok_out > 0 ? sp->tok_out : 0));
		render_cached(t, v->span, &b);
		field(o, "Tokens", VS_NORMAL, buf_str(&b));
	}
	render_extra(&v->extra, o, &b);
	buf_free(&b);
}

static void
render_attrs(struct span_view *v, int width, struct vdoc *o)
{
	const struct span_detail *d = v->d;
	struct buf b = BUF_INIT;
	size_t i;

	render_identity(v, o);
	section(o, "Attributes", d->attrs.n);
	kv_lines(v, o, &d->attrs, width, 2);
	section(o, "Events", d->nevents);
	for (i = 0; i < d->nevents; i++) {
		buf_reset(&b);
		if (d->events[i].time_ns != SPAN_TIME_NONE)
			fmt_time_rfc3339(&b, d->events[i].time_ns);
		vdoc_printf(o, VS_DIM, "  %s  ", buf_str(&b));
		vdoc_adds(o, VS_ACCENT, d->events[i].name);
		vdoc_end_line(o);
		kv_lines(NULL, o, &d->events[i].attrs, width, 4);
	}
	section(o, "Links", d->nlinks);
	for (i = 0; i < d->nlinks; i++) {
		vdoc_adds(o, VS_NORMAL, "  ");
		vdoc_adds(o, VS_NORMAL, d->links[i].trace_id);
		vdoc_adds(o, VS_DIM, " / ");
		vdoc_adds(o, VS_NORMAL, d->links[i].span_id);
		vdoc_end_line(o);
		kv_lines(NULL, o, &d->links[i].attrs, width, 4);
	}
	section(o, "Resource", d->resource.n);
	kv_lines(NULL, o, &d->resource, width, 2);
	buf_free(&b);
}

/*
 * State / Result tab.
 */

static void
render_state(struct span_view *v, int width, struct vdoc *o)
{
	struct state_item *it;
	struct vdoc tree = VDOC_INIT;
	const char *raw;
	size_t i, k;

	if (v->nitems == 0) {
		vdoc_adds(o, VS_DIM, "No state or result JSON on this span.");
		vdoc_end_line(o);
		return;
	}
	for (i = 0; i < v->nitems; i++) {
		it = &v->items[i];
		if (i > 0)
			vdoc_end_line(o);
		vdoc_adds(o, VS_HEADER, it->kv->key);
		vdoc_end_line(o);
		if (it->truncated) {
			vdoc_adds(o, VS_WARN, "  truncated by the writer (values are cut at 30 KB)");
			vdoc_end_line(o);
		}
		if (it->jv == NULL) {
			if (it->truncated)
				vdoc_adds(o, VS_WARN, "  the cut text no longer parses; shown raw:");
			else
				vdoc_adds(o, VS_WARN, "  not valid JSON; shown raw:");
			vdoc_end_line(o);
			raw = it->kv->str != NULL ? it->kv->str : it->kv->json;
			vdoc_adds(o, VS_NORMAL, "  ");
			blob_or_text(v, o, v->d->attrs.n + i, VS_STRING, raw, width, 2);
			continue;
		}
		vdoc_clear(&tree);
		json_view_render(it->jv, &tree, width, 2);
		/* Splice the tree in, tagging its node ids with the item index. */
		for (k = 0; k < tree.n; k++)
			vdoc_take_line(o, &tree.lines[k], tree.lines[k].node == VDOC_NO_NODE ||
			    tree.lines[k].node > NODE_MASK ? VDOC_NO_NODE : ((uint32_t)i << NODE_SHIFT) | tree.lines[k].node);
		tree.n = 0;
	}
	vdoc_free(&tree);
}

bool
span_view_toggle(struct span_view *v, const struct vline *line)
{
	uint32_t item;

	if (line->node == VDOC_NO_NODE)
		return false;
	if (line->node & BLOB_NODE) {
		item = line->node & ~BLOB_NODE;
		if (item >= v->d->attrs.n + v->nitems)
			return false;
		v->open[item] = !v->open[item];
		return true;
	}
	item = line->node >> NODE_SHIFT;
	if (item >= v->nitems || v->items[item].jv == NULL)
		return false;
	return json_view_toggle(v->items[item].jv, line->node & NODE_MASK);
}

void
span_view_fold_all(struct span_view *v, bool folded)
{
	size_t i;

	for (i = 0; i < v->nitems; i++) {
		if (v->items[i].jv != NULL)
			json_view_set_all(v->items[i].jv, folded);
	}
}

bool
span_view_reveal(struct span_view *v, enum span_tab tab, const char *needle)
{
	size_t i;
	bool changed = false;

	if (tab != TAB_STATE)
		return false;
	for (i = 0; i < v->nitems; i++) {
		if (v->items[i].jv != NULL)
			changed |= json_view_reveal(v->items[i].jv, needle);
	}
	return changed;
}

/*
 * Context tab.
 */

static const char *
attr_str(const struct span_detail *d, const char *key)
{
	const struct kv *kv = d != NULL ? span_detail_attr(d, key) : NULL;

	return kv != NULL ? kv->str : NULL;
}

/* The first of keys present on the span, else on its parent. */
static const char *
attr_either(const struct span_view *v, const char *const *keys)
{
	const char *s;
	size_t i;

	for (i = 0; keys[i] != NULL; i++) {
		if ((s = attr_str(v->d, keys[i])) != NULL)
			return s;
	}
	for (i = 0; keys[i] != NULL; i++) {
		if ((s = attr_str(v->parent, keys[i])) != NULL)
			return s;
	}
	return NULL;
}

static void
render_context(struct span_view *v, int width, struct vdoc *o)
{
	static const char *const model_keys[] = { "mcp.llm.model",
		"gen_ai.request.model", "gen_ai.response.model", NULL };
	static const char *const provider_keys[] = { "mcp.llm.provider",
		"gen_ai.system", NULL };
	struct token_counts tok;
	struct chat_facts facts;
	const char *prompt = attr_str(v->d, "mcp.llm.prompt_json");

	memset(&facts, 0, sizeof facts);
	facts.model = attr_either(v, model_keys);
	facts.provider = attr_either(v, provider_keys);
	trace_span_tokens(session_trace(v->session), v->span, &tok);
	facts.tokens_in = tok.in;
	facts.tokens_out = tok.out;
	facts.tokens_cache_read = tok.cache_read;
	facts.tokens_cache_write = tok.cache_write;
	if (prompt == NULL && v->parent != NULL) {
		prompt = attr_str(v->parent, "mcp.llm.prompt_json");
		facts.prompt_from = v->parent->name;
	}
	chat_view_render(o, prompt, attr_str(v->d, "mcp.llm.response_json"), &facts, width);
}

void
span_view_render(struct span_view *v, enum span_tab tab, int width, struct vdoc *out)
{
	vdoc_clear(out);
	switch (tab) {
	case TAB_ATTRS:
		render_attrs(v, width, out);
		break;
	case TAB_STATE:
		render_state(v, width, out);
		break;
	case TAB_CONTEXT:
	default:
		render_context(v, width, out);
		break;
	}
}

/*
 * What `y`, `o` and `|` take from the State tab: the JSON container that
 * the cursor line opens or sits in, found by the lines' indentation (the
 * tree indents two columns a level), as the value's own JSON text.
 */

static int
span_view_indent(const struct vline *l)
{
	int n = 0;

	while ((uint32_t)n < l->len && l->text[n] == ' ')
		n++;
	return n;
}

static bool
span_view_is_header(const struct vline *l)
{
	uint16_t r;

	for (r = 0; r < l->nruns; r++) {
		if (l->runs[r].style == VS_HEADER)
			return true;
	}
	return false;
}

/* Container number cid of v in pre-order — json_view numbers them so,
 * iterating objects in the same (insertion) order. */
static json_t *
span_view_container(json_t *v, uint32_t *cid)
{
	json_t *found;
	const char *key;
	json_t *child;
	size_t i;

	if (!json_is_object(v) && !json_is_array(v))
		return NULL;
	if ((*cid)-- == 0)
		return v;
	if (json_is_object(v)) {
		json_object_foreach(v, key, child) {
			if ((found = span_view_container(child, cid)) != NULL)
				return found;
		}
	} else {
		json_array_foreach(v, i, child) {
			if ((found = span_view_container(child, cid)) != NULL)
				return found;
		}
	}
	return NULL;
}

char *
span_view_state_value(struct span_view *v, const struct vdoc *doc, size_t line,
    const char **what)
{
	const struct state_item *it;
	const char *text;
	uint32_t node = VDOC_NO_NODE, item = UINT32_MAX, cid;
	json_error_t err;
	json_t *root, *sub;
	char *out;
	size_t i, headers = 0;
	int indent;

	if (doc->n == 0 || v->nitems == 0)
		return NULL;
	if (line >= doc->n)
		line = doc->n - 1;
	indent = span_view_indent(&doc->lines[line]);
	for (i = line + 1; i-- > 0;) {
		if (doc->lines[i].node != VDOC_NO_NODE &&
		    (i == line || span_view_indent(&doc->lines[i]) < indent)) {
			node = doc->lines[i].node;
			break;
		}
		if (span_view_is_header(&doc->lines[i]))
			break;
	}
	if (node != VDOC_NO_NODE)
		item = node >> NODE_SHIFT;
	else {
		/* No container: the whole value of the item the line is in. */
		for (i = 0; i <= line; i++)
			headers += span_view_is_header(&doc->lines[i]);
		item = headers > 0 ? (uint32_t)(headers - 1) : 0;
	}
	if (item >= v->nitems)
		return NULL;
	it = &v->items[item];
	text = it->kv->str != NULL ? it->kv->str : it->kv->json;
	*what = it->kv->key;
	if (node == VDOC_NO_NODE || (node & NODE_MASK) == 0)
		return xstrdup(text);
	root = json_loads(text, JSON_DECODE_ANY | JSON_DISABLE_EOF_CHECK, &err);
	cid = node & NODE_MASK;
	if (root == NULL || (sub = span_view_container(root, &cid)) == NULL) {
		json_decref(root);
		return xstrdup(text);
	}
	out = json_dumps(sub, JSON_INDENT(2) | JSON_PRESERVE_ORDER | JSON_ENCODE_ANY);
	json_decref(root);
	*what = "JSON node";
	if (out == NULL)
		return xstrdup(text);
	/* jansson's memory, handed on as ours. */
	text = out;
	out = xstrdup(text);
	free((void *)text);
	return out;
}
