/* SPDX-License-Identifier: MIT */
/*
 * blob.h — when a value is too long to show in full: an image's base64, a
 * memory dump.  The inspector folds such a value to a one-line summary
 * until Enter opens it (span_view.c for attribute values, json_view.c for
 * strings inside a JSON document): one rule for both.
 */
#ifndef BLOB_H
#define BLOB_H

#include <stdbool.h>
#include <stddef.h>

#include "buf.h"

/* A value this long, or that wraps to more lines, is folded. */
#define BLOB_BYTES 2048
#define BLOB_LINES 24

/*
 * When s[0..n) (not NUL-terminated) is a blob at width columns, its
 * one-line summary into out: "[base64 image/png 2.3 KB], Enter to expand",
 * or "… 1 097 lines (30 KB), Enter to expand"; false when it is short
 * enough to show.
 */
bool blob_summary(const char *s, size_t n, int width, struct buf *out);

#endif
