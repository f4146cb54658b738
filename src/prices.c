/* SPDX-License-Identifier: MIT */
/* prices.c — the model price table and its matching rules; see prices.h. */
#include "config.h"

#include "prices.h"

#include <ctype.h>
#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "buf.h"
#include "span.h"
#include "xmalloc.h"

#ifndef PKGDATADIR
#define PKGDATADIR "/usr/local/share/mcp-inspect-tui"
#endif

/* Longest model name kept; longer lines are bad lines. */
#define PRICES_MODEL_MAX 200

struct prices {
	struct price *v;     /* sorted by model once lookups start */
	size_t n, cap;
	bool sorted;
	char **warnings;
	size_t nwarnings;
};

struct prices *
prices_new(void)
{
	return xcalloc(1, sizeof(struct prices));
}

void
prices_free(struct prices *p)
{
	size_t i;

	if (p == NULL)
		return;
	for (i = 0; i < p->n; i++)
		free(p->v[i].model);
	for (i = 0; i < p->nwarnings; i++)
		free(p->warnings[i]);
	free(p->v);
	free(p->warnings);
	free(p);
}

static void
prices_warn(struct prices *p, char *msg)
{
	p->warnings = xreallocarray(p->warnings, p->nwarnings + 1, sizeof *p->warnings);
	p->warnings[p->nwarnings++] = msg;
}

/* A price: a non-negative decimal number, or "-" (unknown, -1) where
 * allowed. */
static bool
prices_number(const char *w, bool dash_ok, double *out)
{
	char *end;

	if (dash_ok && strcmp(w, "-") == 0) {
		*out = -1;
		return true;
	}
	if (!isdigit((unsigned char)w[0]) && w[0] != '.')
		return false;
	errno = 0;
	*out = strtod(w, &end);
	return errno == 0 && *end == '\0' && *out >= 0 && *out < 1e9;
}

static void
prices_set(struct prices *p, const char *model, const double v[4])
{
	size_t i;

	for (i = 0; i < p->n; i++) {
		if (strcmp(p->v[i].model, model) == 0)
			break;
	}
	if (i == p->n) {
		if (p->n == p->cap) {
			p->cap = p->cap ? p->cap * 2 : 64;
			p->v = xreallocarray(p->v, p->cap, sizeof *p->v);
		}
		p->v[p->n++].model = xstrdup(model);
		p->sorted = false;
	}
	p->v[i].in = v[0];
	p->v[i].out = v[1];
	p->v[i].cache_read = v[2];
	p->v[i].cache_write = v[3];
}

/* One line, '#' comments and blank lines allowed; false when bad. */
static bool
prices_line(struct prices *p, char *line)
{
	char *w[6], *save = NULL, *tok;
	double v[4] = { -1, -1, -1, -1 }; /* input output cache_read cache_write */
	size_t nw = 0, k;

	if ((tok = strchr(line, '#')) != NULL)
		*tok = '\0';
	for (tok = strtok_r(line, " \t\r", &save); tok != NULL && nw < 6;
	    tok = strtok_r(NULL, " \t\r", &save))
		w[nw++] = tok;
	if (nw == 0)
		return true;
	if (nw < 2 || nw > 5 || strlen(w[0]) > PRICES_MODEL_MAX)
		return false;
	for (k = 1; k < nw; k++) {
		/* Input and output must be known; cache prices may be "-". */
		if (!prices_number(w[k], k > 2, &v[k - 1]))
			return false;
	}
	/* "model input" alone: output priced as input is a guess; refuse. */
	if (nw == 2)
		return false;
	for (k = 0; w[0][k] != '\0'; k++) {
		if ((unsigned char)w[0][k] < 0x21 || (unsigned char)w[0][k] == 0x7f)
			return false;
		w[0][k] = (char)tolower((unsigned char)w[0][k]);
	}
	prices_set(p, w[0], v);
	return true;
}

void
prices_load_text(struct prices *p, const char *text, size_t n, const char *name)
{
	const char *at = text, *end = text + n, *nl;
	char *line;
	unsigned lineno = 0;

	while (at < end) {
		nl = memchr(at, '\n', (size_t)(end - at));
		if (nl == NULL)
			nl = end;
		lineno++;
		line = xstrndup(at, (size_t)(nl - at));
		if (strlen(line) != (size_t)(nl - at) || !prices_line(p, line))
			prices_warn(p, xasprintf("%s:%u: not a price line "
			    "(model input output [cache_read [cache_write]]), skipped", name, lineno));
		free(line);
		at = nl + 1;
	}
}

int
prices_load_file(struct prices *p, const char *path, char **cause)
{
	FILE *f;
	struct buf b = BUF_INIT;
	char chunk[4096];
	size_t got;

	if ((f = fopen(path, "r")) == NULL) {
		*cause = xasprintf("cannot read price table %s: %s", path, strerror(errno));
		return -1;
	}
	while ((got = fread(chunk, 1, sizeof chunk, f)) > 0 && b.len < (1 << 20))
		buf_add(&b, chunk, got);
	if (ferror(f)) {
		*cause = xasprintf("cannot read price table %s: %s", path, strerror(errno));
		fclose(f);
		buf_free(&b);
		return -1;
	}
	fclose(f);
	prices_load_text(p, b.p != NULL ? b.p : "", b.len, path);
	buf_free(&b);
	return 0;
}

static int
prices_cmp(const void *a, const void *b)
{
	return strcmp(((const struct price *)a)->model, ((const struct price *)b)->model);
}

static const struct price *
prices_exact(const struct prices *p, const char *model, size_t n)
{
	char key[PRICES_MODEL_MAX + 1];
	struct price k = { .model = key };
	size_t i;

	if (n == 0 || n > PRICES_MODEL_MAX)
		return NULL;
	for (i = 0; i < n; i++)
		key[i] = (char)tolower((unsigned char)model[i]);
	key[n] = '\0';
	if (!p->sorted) {
		/* Sorting is a write to a table readers share: tables are
		 * sorted before they are published (prices_default), so
		 * this only happens on a caller's own table. */
		if (p->n > 1)
			qsort(((struct prices *)p)->v, p->n, sizeof *p->v, prices_cmp);
		((struct prices *)p)->sorted = true;
	}
	return bsearch(&k, p->v, p->n, sizeof *p->v, prices_cmp);
}

static bool
prices_all_digits(const char *s, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		if (!isdigit((unsigned char)s[i]))
			return false;
	}
	return true;
}

/* Length of model without a trailing snapshot suffix ("-latest",
 * "-YYYYMMDD", "-YYYY-MM-DD"), or n when it has none. */
static size_t
prices_strip_snapshot(const char *m, size_t n)
{
	if (n > 7 && strncasecmp(m + n - 7, "-latest", 7) == 0)
		return n - 7;
	if (n > 9 && m[n - 9] == '-' && prices_all_digits(m + n - 8, 8))
		return n - 9;
	if (n > 11 && m[n - 11] == '-' && prices_all_digits(m + n - 10, 4) &&
	    m[n - 6] == '-' && prices_all_digits(m + n - 5, 2) && m[n - 3] == '-' &&
	    prices_all_digits(m + n - 2, 2))
		return n - 11;
	return n;
}

const struct price *
prices_find(const struct prices *p, const char *model)
{
	const struct price *e;
	const char *slash;
	size_t n, cut;

	if (p == NULL || model == NULL)
		return NULL;
	n = strlen(model);
	if ((e = prices_exact(p, model, n)) != NULL)
		return e;
	if ((slash = strrchr(model, '/')) != NULL) {
		n -= (size_t)(slash + 1 - model);
		model = slash + 1;
		if ((e = prices_exact(p, model, n)) != NULL)
			return e;
	}
	if ((cut = prices_strip_snapshot(model, n)) != n)
		return prices_exact(p, model, cut);
	return NULL;
}

static double
prices_n(int64_t count)
{
	return count > 0 ? (double)count : 0;
}

bool
prices_cost(const struct prices *p, const char *model,
    const struct token_counts *tc, double *usd)
{
	const struct price *e = prices_find(p, model);
	double read = prices_n(tc->cache_read), write = prices_n(tc->cache_write);
	double plain = prices_n(tc->in) - read - write;

	if (e == NULL)
		return false;
	if ((read > 0 && e->cache_read < 0) || (write > 0 && e->cache_write < 0))
		return false;
	/* Input counts that leave out the cached ones (not the rule, but
	 * written by some instrumentations) price no plain input. */
	if (plain < 0)
		plain = 0;
	*usd = (plain * e->in + prices_n(tc->out) * e->out +
	    (read > 0 ? read * e->cache_read : 0) +
	    (write > 0 ? write * e->cache_write : 0)) / 1e6;
	return true;
}

size_t
prices_count(const struct prices *p)
{
	return p->n;
}

size_t
prices_nwarnings(const struct prices *p)
{
	return p->nwarnings;
}

const char *
prices_warning(const struct prices *p, size_t i)
{
	return i < p->nwarnings ? p->warnings[i] : NULL;
}

static struct prices *prices_process;
static char *prices_user_file;
static const char *prices_shipped;
static bool prices_user_named;   /* the configuration file named the table */
static pthread_once_t prices_once = PTHREAD_ONCE_INIT;

void
prices_set_user_path(const char *path)
{
	free(prices_user_file);
	prices_user_file = path != NULL ? xstrdup(path) : NULL;
	prices_user_named = path != NULL;
}

static void
prices_init_paths(void)
{
	const char *xdg = getenv("XDG_CONFIG_HOME"), *home = getenv("HOME");

	if (prices_user_file != NULL)
		return;
	if (xdg != NULL && *xdg == '/')
		prices_user_file = xasprintf("%s/mcp-inspect-tui/prices", xdg);
	else
		prices_user_file = xasprintf("%s/.config/mcp-inspect-tui/prices",
		    home != NULL ? home : "");
}

static void
prices_free_default(void)
{
	prices_free(prices_process);
	prices_process = NULL;
	free(prices_user_file);
	prices_user_file = NULL;
}

static void
prices_load_default(void)
{
	/* Installed first; the source tree's copy serves a program run
	 * from its build tree (before `make install`). */
	static const char *const shipped[] = { PKGDATADIR "/prices",
#ifdef SRCDATADIR
		SRCDATADIR "/prices",
#endif
	};
	struct prices *p = prices_new();
	char *cause = NULL;
	size_t i;

	prices_init_paths();
	for (i = 0; i < sizeof shipped / sizeof shipped[0]; i++) {
		if (prices_load_file(p, shipped[i], &cause) == 0) {
			prices_shipped = shipped[i];
			break;
		}
		free(cause);
		cause = NULL;
	}
	if (prices_load_file(p, prices_user_file, &cause) == -1) {
		/* No user table is the usual case, not worth a word; a
		 * table the configuration names and that is not there is. */
		if (prices_user_named || access(prices_user_file, F_OK) == 0)
			prices_warn(p, cause);
		else
			free(cause);
	}
	/* Without the shipped table every model would be "unknown", and
	 * the hint would send the user to write prices we ship. */
	if (prices_shipped == NULL)
		prices_warn(p, xasprintf("no price table at %s/prices: only "
		    "the user's prices are known", PKGDATADIR));
	if (p->n > 1)
		qsort(p->v, p->n, sizeof *p->v, prices_cmp);
	p->sorted = true;
	prices_process = p;
	atexit(prices_free_default);
}

const struct prices *
prices_default(void)
{
	pthread_once(&prices_once, prices_load_default);
	return prices_process;
}

const char *
prices_user_path(void)
{
	prices_default();
	return prices_user_file;
}

const char *
prices_shipped_path(void)
{
	prices_default();
	return prices_shipped;
}
