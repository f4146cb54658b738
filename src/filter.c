/* SPDX-License-Identifier: MIT */
/*
 * filter.c — the filter language shared by the UI (`f`) and --filter.
 *
 * An expression is parsed once into a list of terms; matching is a walk
 * over them with no allocation, since it runs for every span of a trace.
 * Text comparisons fold ASCII case only: the locale must not change what
 * a filter means, and UTF-8 bytes compare as they are.
 */
#include "filter.h"

#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "xmalloc.h"

enum term_kind {
	TERM_TEXT,	/* free text: substring of any text field */
	TERM_FIELD,	/* key:value */
	TERM_DUR,	/* dur<op>duration */
	TERM_TOKENS,	/* tokens<op>count */
};

enum term_op {
	OP_LT,
	OP_LE,
	OP_GT,
	OP_GE,
};

struct term {
	enum term_kind kind;
	bool negate;
	enum filter_field field;	/* TERM_FIELD */
	bool exact;			/* TERM_FIELD: whole value, not substring */
	char **alts;			/* TERM_TEXT, TERM_FIELD: any of these */
	size_t nalts;
	enum term_op op;		/* TERM_DUR, TERM_TOKENS */
	int64_t number;			/* TERM_DUR in ns */
};

struct filter {
	char *text;
	struct term *terms;
	size_t nterms;
};

/* The values of the fixed-choice keys: anything else is a typo, named as
 * an error rather than matching nothing.  status: spans' then sessions'. */
static const char *const filter_type_values[] = {
	"workflow", "agent", "llm", "tool", "resource", "prompt", "other", NULL
};
static const char *const filter_status_values[] = {
	"ok", "error", "unset", "running", "paused", "failed", "completed",
	"partial", NULL
};
static const char *const filter_kind_values[] = {
	"internal", "client", "server", "producer", "consumer", "unspecified", NULL
};

static const struct filter_key {
	const char *name;
	enum term_kind kind;
	enum filter_field field;
	bool exact;
	const char *const *values;	/* the only values, or NULL */
} filter_keys[] = {
	{ "name", TERM_FIELD, FF_NAME, false, NULL },
	{ "type", TERM_FIELD, FF_TYPE, true, filter_type_values },
	{ "status", TERM_FIELD, FF_STATUS, true, filter_status_values },
	{ "kind", TERM_FIELD, FF_KIND, true, filter_kind_values },
	{ "label", TERM_FIELD, FF_LABEL, false, NULL },
	{ "id", TERM_FIELD, FF_ID, false, NULL },
	{ "trace", TERM_FIELD, FF_TRACE, false, NULL },
	{ "parent", TERM_FIELD, FF_PARENT, false, NULL },
	{ "title", TERM_FIELD, FF_TITLE, false, NULL },
	{ "engine", TERM_FIELD, FF_ENGINE, false, NULL },
	{ "dur", TERM_DUR, FF_NFIELDS, false, NULL },
	{ "tokens", TERM_TOKENS, FF_NFIELDS, false, NULL },
};
#define NKEYS (sizeof filter_keys / sizeof filter_keys[0])

/* The fields free text looks in. */
static const enum filter_field filter_text_fields[] = {
	FF_NAME, FF_LABEL, FF_TITLE, FF_ID, FF_ENGINE
};
#define NTEXTFIELDS (sizeof filter_text_fields / sizeof filter_text_fields[0])

static const struct {
	const char *name;
	int64_t ns;
} filter_units[] = {
	{ "ns", 1 },
	{ "us", 1000 },
	{ "ms", 1000000 },
	{ "s", 1000000000 },
	{ "m", INT64_C(60000000000) },
	{ "h", INT64_C(3600000000000) },
};
#define NUNITS (sizeof filter_units / sizeof filter_units[0])

/* A term as the tokeniser sees it, before its key is looked up. */
struct token {
	const char *start;	/* the term as written, for messages */
	size_t len;
	bool negate;
	char *key;		/* NULL for free text */
	char op[3];		/* ":", "<", "<=", ">", ">=" */
	char **parts;		/* the value, split at unquoted commas */
	size_t nparts;
};

static int
fold(unsigned char c)
{
	return c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c;
}

static bool
filter_is_blank(char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v' ||
	    c == '\f';
}

static bool
filter_is_letter(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

static bool
filter_equal(const char *a, const char *b)
{
	while (*a != '\0' && fold(*a) == fold(*b)) {
		a++;
		b++;
	}
	return fold(*a) == fold(*b);
}

static bool
filter_contains(const char *hay, const char *needle)
{
	size_t i;

	for (; *hay != '\0'; hay++) {
		for (i = 0; needle[i] != '\0'; i++) {
			if (fold(hay[i]) != fold(needle[i]))
				break;
		}
		if (needle[i] == '\0')
			return true;
	}
	return *needle == '\0';
}

static void
filter_free_parts(char **parts, size_t nparts)
{
	size_t i;

	for (i = 0; i < nparts; i++)
		free(parts[i]);
	free(parts);
}

static void
token_free(struct token *t)
{
	free(t->key);
	filter_free_parts(t->parts, t->nparts);
}

static void
token_push_part(struct token *t, struct buf *part)
{
	t->parts = xreallocarray(t->parts, t->nparts + 1, sizeof *t->parts);
	t->parts[t->nparts++] = buf_detach(part);
}

/*
 * Copy the quoted string at *pp (just past the opening quote) into part;
 * \" and \\ are the only escapes.  Leaves *pp after the closing quote.
 */
static int
token_quoted(const char **pp, struct buf *part)
{
	const char *p = *pp;

	for (; *p != '"'; p++) {
		if (*p == '\0')
			return -1;
		if (*p == '\\' && (p[1] == '"' || p[1] == '\\'))
			p++;
		buf_addc(part, *p);
	}
	*pp = p + 1;
	return 0;
}

/*
 * Read the next term from *pp into t; returns 1 for a term, 0 at the end,
 * -1 on error.  A key is a run of unquoted letters directly followed by
 * ':', '<' or '>'; anything else is free text.  Commas split only a key's
 * value, and only outside quotes.
 */
static int
token_next(const char **pp, struct token *t, char **cause)
{
	const char *p = *pp;
	struct buf part = BUF_INIT;
	bool maybe_key = true;

	memset(t, 0, sizeof *t);
	while (filter_is_blank(*p))
		p++;
	if (*p == '\0')
		return 0;
	t->start = p;
	if (*p == '-' && p[1] != '\0' && !filter_is_blank(p[1])) {
		t->negate = true;
		p++;
	}
	while (*p != '\0' && !filter_is_blank(*p)) {
		if (*p == '"') {
			p++;
			if (token_quoted(&p, &part) != 0) {
				*cause = xasprintf("filter: missing closing quote "
				    "in '%s'", t->start);
				buf_free(&part);
				token_free(t);
				return -1;
			}
			maybe_key = false;
			continue;
		}
		if (maybe_key && part.len > 0 &&
		    (*p == ':' || *p == '<' || *p == '>')) {
			t->key = buf_detach(&part);
			t->op[0] = *p++;
			if (t->op[0] != ':' && *p == '=')
				t->op[1] = *p++;
			maybe_key = false;
			continue;
		}
		if (t->key == NULL && !filter_is_letter(*p))
			maybe_key = false;
		if (t->key != NULL && *p == ',')
			token_push_part(t, &part);
		else
			buf_addc(&part, *p);
		p++;
	}
	token_push_part(t, &part);
	t->len = (size_t)(p - t->start);
	*pp = p;
	return 1;
}

static const struct filter_key *
filter_find_key(const char *name)
{
	size_t i;

	for (i = 0; i < NKEYS; i++) {
		if (filter_equal(filter_keys[i].name, name))
			return &filter_keys[i];
	}
	return NULL;
}

static char *
filter_unknown_key(const char *name)
{
	struct buf b = BUF_INIT;
	size_t i;

	buf_printf(&b, "filter: unknown key '%s' (known:", name);
	for (i = 0; i < NKEYS; i++)
		buf_printf(&b, "%s %s", i == 0 ? "" : ",", filter_keys[i].name);
	buf_addc(&b, ')');
	return buf_detach(&b);
}

/* Drop empty alternatives ("type:tool," means type:tool). */
static void
filter_drop_empty(struct token *t)
{
	size_t i, n = 0;

	for (i = 0; i < t->nparts; i++) {
		if (t->parts[i][0] == '\0')
			free(t->parts[i]);
		else
			t->parts[n++] = t->parts[i];
	}
	t->nparts = n;
}

/* Parse a non-negative decimal integer with an optional fraction into
 * whole and fraction (scaled to 10^-9); returns the end or NULL. */
static const char *
filter_decimal(const char *s, uint64_t *whole, uint64_t *nano)
{
	uint64_t scale = 100000000;
	const char *p = s;

	*whole = *nano = 0;
	if (*p < '0' || *p > '9')
		return NULL;
	for (; *p >= '0' && *p <= '9'; p++) {
		if (*whole > (UINT64_MAX - 9) / 10)
			return NULL;
		*whole = *whole * 10 + (uint64_t)(*p - '0');
	}
	if (*p != '.')
		return p;
	p++;
	if (*p < '0' || *p > '9')
		return NULL;
	for (; *p >= '0' && *p <= '9'; p++) {
		*nano += (uint64_t)(*p - '0') * scale;
		scale /= 10;
	}
	return p;
}

static int
filter_duration(const char *s, int64_t *ns)
{
	uint64_t whole, nano, unit = 1000000;
	const char *p;
	size_t i;

	if ((p = filter_decimal(s, &whole, &nano)) == NULL)
		return -1;
	if (*p != '\0') {
		for (i = 0; i < NUNITS; i++) {
			if (filter_equal(filter_units[i].name, p))
				break;
		}
		if (i == NUNITS)
			return -1;
		unit = (uint64_t)filter_units[i].ns;
	}
	if (whole > (uint64_t)INT64_MAX / unit)
		return -1;
	/* Add nano * unit / 1e9 in two halves, as the full product can
	 * overflow (unit is up to 3.6e12, nano up to 1e9). */
	whole = whole * unit + (nano / 1000) * (unit / 1000) / 1000 +
	    (nano % 1000) * unit / 1000000000;
	if (whole > (uint64_t)INT64_MAX)
		return -1;
	*ns = (int64_t)whole;
	return 0;
}

static int
filter_count(const char *s, int64_t *n)
{
	uint64_t whole, nano;
	const char *p;

	p = filter_decimal(s, &whole, &nano);
	if (p == NULL || *p != '\0' || nano != 0 || whole > (uint64_t)INT64_MAX)
		return -1;
	*n = (int64_t)whole;
	return 0;
}

static enum term_op
filter_op(const char *op)
{
	if (op[0] == '<')
		return op[1] == '=' ? OP_LE : OP_LT;
	return op[1] == '=' ? OP_GE : OP_GT;
}

/* Turn a numeric key's token into term; -1 with *cause on a bad value. */
static int
filter_numeric_term(const struct filter_key *k, struct token *t,
    struct term *term, char **cause)
{
	int error;

	if (t->op[0] == ':') {
		*cause = xasprintf("filter: %s needs <, >, <= or >= in '%.*s' "
		    "(e.g. %s>%s)", k->name, (int)t->len, t->start, k->name,
		    k->kind == TERM_DUR ? "500ms" : "1000");
		return -1;
	}
	term->op = filter_op(t->op);
	if (t->nparts != 1)
		error = -1;
	else if (k->kind == TERM_DUR)
		error = filter_duration(t->parts[0], &term->number);
	else
		error = filter_count(t->parts[0], &term->number);
	if (error != 0) {
		if (k->kind == TERM_DUR)
			*cause = xasprintf("filter: bad duration in '%.*s' "
			    "(a number with unit ns, us, ms, s, m or h)",
			    (int)t->len, t->start);
		else
			*cause = xasprintf("filter: bad number in '%.*s'",
			    (int)t->len, t->start);
	}
	return error;
}

/* A fixed-choice key's values must be among its own; -1 with *cause
 * listing them otherwise. */
static int
filter_check_values(const struct filter_key *k, const struct token *t, char **cause)
{
	struct buf b = BUF_INIT;
	size_t i, v;

	if (k->values == NULL)
		return 0;
	for (i = 0; i < t->nparts; i++) {
		for (v = 0; k->values[v] != NULL; v++) {
			if (filter_equal(k->values[v], t->parts[i]))
				break;
		}
		if (k->values[v] != NULL)
			continue;
		buf_printf(&b, "filter: unknown %s '%s' in '%.*s' (valid:", k->name,
		    t->parts[i], (int)t->len, t->start);
		for (v = 0; k->values[v] != NULL; v++)
			buf_printf(&b, "%s %s", v == 0 ? "" : ",", k->values[v]);
		buf_addc(&b, ')');
		*cause = buf_detach(&b);
		return -1;
	}
	return 0;
}

/* Turn a token into term (taking its strings); -1 with *cause if bad. */
static int
filter_make_term(struct token *t, struct term *term, char **cause)
{
	const struct filter_key *k;

	memset(term, 0, sizeof *term);
	term->negate = t->negate;
	if (t->key == NULL) {
		term->kind = TERM_TEXT;
		term->alts = t->parts;
		term->nalts = t->nparts;
		t->parts = NULL;
		t->nparts = 0;
		return 0;
	}
	if ((k = filter_find_key(t->key)) == NULL) {
		*cause = filter_unknown_key(t->key);
		return -1;
	}
	term->kind = k->kind;
	if (k->kind != TERM_FIELD)
		return filter_numeric_term(k, t, term, cause);
	if (t->op[0] != ':') {
		*cause = xasprintf("filter: %s takes ':' not '%s' in '%.*s'",
		    k->name, t->op, (int)t->len, t->start);
		return -1;
	}
	filter_drop_empty(t);
	if (t->nparts == 0) {
		*cause = xasprintf("filter: missing value in '%.*s'",
		    (int)t->len, t->start);
		return -1;
	}
	if (filter_check_values(k, t, cause) != 0)
		return -1;
	term->field = k->field;
	term->exact = k->exact;
	term->alts = t->parts;
	term->nalts = t->nparts;
	t->parts = NULL;
	t->nparts = 0;
	return 0;
}

struct filter *
filter_parse(const char *expr, char **cause)
{
	struct filter *f;
	struct token t;
	const char *p = expr;
	int more;

	f = xcalloc(1, sizeof *f);
	f->text = xstrdup(expr);
	while ((more = token_next(&p, &t, cause)) == 1) {
		f->terms = xreallocarray(f->terms, f->nterms + 1,
		    sizeof *f->terms);
		more = filter_make_term(&t, &f->terms[f->nterms], cause);
		token_free(&t);
		if (more != 0)
			break;
		f->nterms++;
	}
	if (more != 0) {
		filter_free(f);
		return NULL;
	}
	return f;
}

void
filter_free(struct filter *f)
{
	size_t i;

	if (f == NULL)
		return;
	for (i = 0; i < f->nterms; i++)
		filter_free_parts(f->terms[i].alts, f->terms[i].nalts);
	free(f->terms);
	free(f->text);
	free(f);
}

static bool
filter_match_value(const struct term *term, const char *value)
{
	size_t i;

	if (value == NULL)
		return false;
	for (i = 0; i < term->nalts; i++) {
		if (term->exact ? filter_equal(value, term->alts[i]) :
		    filter_contains(value, term->alts[i]))
			return true;
	}
	return false;
}

static bool
filter_compare(enum term_op op, int64_t value, int64_t limit)
{
	switch (op) {
	case OP_LT:
		return value < limit;
	case OP_LE:
		return value <= limit;
	case OP_GT:
		return value > limit;
	case OP_GE:
		return value >= limit;
	}
	return false;
}

/* Whether term holds for s, before negation. */
static bool
filter_match_term(const struct term *term, const struct filter_subject *s)
{
	size_t i;

	switch (term->kind) {
	case TERM_TEXT:
		for (i = 0; i < NTEXTFIELDS; i++) {
			if (filter_match_value(term,
			    s->field[filter_text_fields[i]]))
				return true;
		}
		return false;
	case TERM_FIELD:
		return filter_match_value(term, s->field[term->field]);
	case TERM_DUR:
		return s->duration_ns >= 0 &&
		    filter_compare(term->op, s->duration_ns, term->number);
	case TERM_TOKENS:
		return s->tokens >= 0 &&
		    filter_compare(term->op, s->tokens, term->number);
	}
	return false;
}

bool
filter_match(const struct filter *f, const struct filter_subject *s)
{
	size_t i;

	for (i = 0; i < f->nterms; i++) {
		if (filter_match_term(&f->terms[i], s) == f->terms[i].negate)
			return false;
	}
	return true;
}

const char *
filter_text(const struct filter *f)
{
	return f->text;
}
