/* SPDX-License-Identifier: MIT */
/*
 * fmt.h — turning times, durations and counts into text, the same way in
 * headless output and in the UI.
 */
#ifndef FMT_H
#define FMT_H

#include <stddef.h>
#include <stdint.h>

#include "buf.h"

/* RFC 3339 UTC with microseconds: 2026-11-22T03:14:52.267137Z. */
void fmt_time_rfc3339(struct buf *, int64_t ns);
/* The same as a JSON string, or null for SPAN_TIME_NONE (JSON output). */
void fmt_json_time(struct buf *, int64_t ns);
/* Compact local-free form for tables: 2026-11-22 03:14:52 (UTC). */
void fmt_time_short(struct buf *, int64_t ns);
/* Milliseconds with up to three decimals, JSON-safe: 765, 0.107, 1500.5 */
void fmt_ms(struct buf *, int64_t ns);
/* Human duration: 27µs, 107ms, 1.25s, 2m03s, 1h02m. */
void fmt_duration(struct buf *, int64_t ns);
/* Human count: 812, 12.3k, 4.56M, … 9.22E; at most 7 columns. */
void fmt_count(struct buf *, int64_t n);
/* A size in bytes: "812 B", "2.3 KB", "30 KB", "1.2 MB" (1024-based). */
void fmt_size(struct buf *, uint64_t n);
/* An integer with its thousands apart: "1 097", "12 345 678". */
void fmt_grouped(struct buf *, uint64_t n);

#endif
