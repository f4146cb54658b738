/* SPDX-License-Identifier: MIT */
/*
 * treeguide.h — the guides drawn before a span in a tree ("│  ├─"), for
 * the headless --dump tree and the browser's span tree alike: which
 * ancestors still have siblings below them, and the glyphs for that.
 */
#ifndef TREEGUIDE_H
#define TREEGUIDE_H

#include <stdbool.h>
#include <stdint.h>

#include "buf.h"

struct trace;

/* The four pieces of a guide: an ancestor with siblings still to come,
 * the node with siblings after it, the last child, an ancestor without. */
struct treeguide_glyphs {
	const char *pipe, *tee, *elbow, *blank;
};

/* Whether node is its parent's last child in tree order (a root: the last
 * root).  Needs the trace's tree (trace_update_tree). */
bool treeguide_is_last(struct trace *, uint32_t node);
/*
 * Append node's guides to b: one piece per ancestor level below the root,
 * then the node's own tee or elbow; nothing for a root.  max_levels > 0
 * keeps only the nearest max_levels levels (a screen row has no room for
 * a thousand); 0 shows every level.
 */
void treeguide_add(struct buf *b, struct trace *, uint32_t node,
    const struct treeguide_glyphs *, uint32_t max_levels);

#endif
