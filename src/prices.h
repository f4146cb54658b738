/* SPDX-License-Identifier: MIT */
/*
 * prices.h — the model price table (doc/reference.md §9): USD per million input,
 * output and cache-read tokens, from the table shipped with the program
 * (data/prices, installed in pkgdatadir) and the user's own
 * ($XDG_CONFIG_HOME/mcp-inspect-tui/prices, whose lines win).
 *
 * A model is matched exactly (ignoring case), then without a provider
 * prefix ("anthropic/claude-…" → "claude-…"), then without a trailing
 * "-latest", "-YYYYMMDD" or "-YYYY-MM-DD" snapshot date (so
 * claude-sonnet-4-20250514 is claude-sonnet-4, gpt-4o-2024-08-06 is
 * gpt-4o unless the table names that snapshot itself).  Nothing else:
 * an unknown model has no price, never a guess.
 */
#ifndef PRICES_H
#define PRICES_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct price {
	char *model;         /* as written in the table, lower-cased */
	double in, out;      /* USD per million tokens */
	double cache_read;   /* ... or -1 when not known */
	double cache_write;  /* ... or -1 when not known */
};

struct prices;

struct prices *prices_new(void);
void prices_free(struct prices *);

/*
 * Add the lines of a table (text of n bytes; name says where it came
 * from in warnings).  A later line for a model replaces an earlier one.
 * A line that is not "model input output [cache_read [cache_write]]" is skipped with
 * one warning naming name:line; the good lines around it are kept.
 */
void prices_load_text(struct prices *, const char *text, size_t n, const char *name);
/* The same from a file; -1 with *cause when it cannot be read. */
int prices_load_file(struct prices *, const char *path, char **cause);

/* The entry for model (rules above), or NULL. */
const struct price *prices_find(const struct prices *, const char *model);
/*
 * The cost of a model's tokens (negative counts are none): the input
 * tokens not read from or written to the cache at the input price, the
 * cached ones at the cache-read and cache-write prices, the output at
 * the output price.  true with *usd; false when the model has no price,
 * or there are cached tokens whose price its line does not give (never
 * a guess).
 */
struct token_counts;
bool prices_cost(const struct prices *, const char *model,
    const struct token_counts *, double *usd);

size_t prices_count(const struct prices *);
size_t prices_nwarnings(const struct prices *);
const char *prices_warning(const struct prices *, size_t i);

/*
 * The process's table: the shipped file (pkgdatadir, else the source
 * tree's copy when run from the build tree), then the user's file.
 * Loaded once, on first use, from any thread; lives until exit.
 */
const struct prices *prices_default(void);
/* The configuration file's `prices` path (settings.h) instead of the
 * default user table; before the first prices_default(). */
void prices_set_user_path(const char *path);
/* Where the user's table is looked for (static storage). */
const char *prices_user_path(void);
/* Where the shipped table was read from, NULL when none was found. */
const char *prices_shipped_path(void);

#endif
