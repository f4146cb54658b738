/* SPDX-License-Identifier: MIT */
/*
 * json_view.h — a JSON value as a foldable, pretty-printed tree of lines.
 *
 * Used by the State/Result tab (every *_json attribute) and as the chat
 * view's fallback for unknown shapes.  Containers are numbered in document
 * order (0 = the top value); each has a fold state.  A value with more
 * lines than a budget opens with its large containers folded.
 */
#ifndef JSON_VIEW_H
#define JSON_VIEW_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "vdoc.h"

/* Lines a value may take before its biggest containers start folded. */
#define JSON_VIEW_LINE_BUDGET 2000

struct json_view;

/* NULL with *cause (caller frees) when text is not JSON.  NaN/Infinity
 * and integers beyond 64 bits are accepted and shown as written. */
struct json_view *json_view_new(const char *text, size_t len, char **cause);
void json_view_free(struct json_view *);

/* Render at width columns, each line prefixed by indent spaces.  Lines
 * opening a container carry its node id and fold state; a folded
 * container shows as one line, e.g. `"messages": [...] 12 items`. */
void json_view_render(const struct json_view *, struct vdoc *, int width, int indent);

/* Fold or unfold one container; false if node is not a container. */
bool json_view_toggle(struct json_view *, uint32_t node);
void json_view_set_all(struct json_view *, bool folded);
uint32_t json_view_nodes(const struct json_view *);
/* Show what holds needle (text_find's rule, in keys and values as shown):
 * open the containers around it (a long string stays folded).  True when
 * a fold changed. */
bool json_view_reveal(struct json_view *, const char *needle);

#endif
