/* SPDX-License-Identifier: MIT */
/*
 * fuzz_filter.c — libFuzzer target for the filter language (filter.c),
 * shared by --filter and the UI's `f` prompt.
 *
 * The input is the expression (up to its first NUL, as a C string).  A
 * parse either fails with a cause or gives a filter that keeps its text
 * and can be matched; it is matched against a span with every field set
 * and one with none (NULL fields, -1 numbers), following filter.h's
 * rules: an expression of blanks only matches everything; a single term
 * T (no blanks, no leading '-') and -T parse alike and never match the
 * same subject; and as a field the subject lacks never matches, against
 * the empty subject T never matches and -T always does.
 */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "filter.h"
#include "fuzz_util.h"

static const struct filter_subject full = {
	{
		[FF_NAME] = "AnthropicAugmentedLLM.finder.generate",
		[FF_TYPE] = "llm",
		[FF_STATUS] = "error",
		[FF_KIND] = "client",
		[FF_LABEL] = "claude-3-5-sonnet-latest",
		[FF_ID] = "7c1e8e6507370c9c",
		[FF_TRACE] = "5685a931d55c3dfdb34fbe29531f9baa",
		[FF_PARENT] = "d4334246c435572e",
		[FF_TITLE] = "Summarise the MCP introduction \xe2\x80\x94 caf\xc3\xa9",
		[FF_ENGINE] = "asyncio",
	},
	1500000000, 812
};

static const struct filter_subject empty = { { NULL }, -1, -1 };

static bool
all_blank(const char *s)
{
	for (; *s != '\0'; s++) {
		if (strchr(" \t\n\r\v\f", *s) == NULL)
			return false;
	}
	return true;
}

/* expr is one term without a '-' of its own: check it against -expr. */
static void
check_negation(const char *expr, bool m_full, bool m_empty)
{
	struct filter *neg;
	char *negated, *cause = NULL;
	size_t n = strlen(expr);

	if (m_empty)
		fuzz_fail("single term matches a subject with no fields");
	if ((negated = malloc(n + 2)) == NULL)
		abort();
	negated[0] = '-';
	memcpy(negated + 1, expr, n + 1);
	if ((neg = filter_parse(negated, &cause)) == NULL)
		fuzz_fail("'%s' parses but '%s' does not: %s", expr, negated,
		    cause);
	if (filter_match(neg, &full) == m_full ||
	    filter_match(neg, &empty) == m_empty)
		fuzz_fail("'%s' and '%s' agree on a subject", expr, negated);
	filter_free(neg);
	free(negated);
}

static bool
single_term(const char *s)
{
	if (*s == '\0' || *s == '-')
		return false;
	for (; *s != '\0'; s++) {
		if (strchr(" \t\n\r\v\f", *s) != NULL)
			return false;
	}
	return true;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct filter *f;
	char *expr = fuzz_strndup(data, size), *cause = NULL;
	bool m_full, m_empty;

	f = filter_parse(expr, &cause);
	if (f == NULL) {
		if (cause == NULL || cause[0] == '\0')
			fuzz_fail("filter_parse failed without a cause");
		free(cause);
		free(expr);
		return 0;
	}
	if (cause != NULL)
		fuzz_fail("filter_parse succeeded but set a cause");
	if (strcmp(filter_text(f), expr) != 0)
		fuzz_fail("filter_text is not the expression");
	m_full = filter_match(f, &full);
	m_empty = filter_match(f, &empty);
	if (all_blank(expr) && (!m_full || !m_empty))
		fuzz_fail("a blank filter does not match everything");
	if (single_term(expr))
		check_negation(expr, m_full, m_empty);
	fuzz_sink = (unsigned char)(m_full + m_empty);
	filter_free(f);
	free(expr);
	return 0;
}
