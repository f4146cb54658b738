/* SPDX-License-Identifier: MIT */
/* sources.c — several SOURCE arguments: short names, ids across them; see sources.h. */
#include "sources.h"

#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "xmalloc.h"

/* host[:port] of an http(s) URL (no user, no path). */
static char *
sources_host(const char *url)
{
	const char *p = strstr(url, "://"), *end, *at;

	p = p != NULL ? p + 3 : url;
	end = p + strcspn(p, "/?#");
	at = memchr(p, '@', (size_t)(end - p));
	if (at != NULL)
		p = at + 1;
	return end > p ? xstrndup(p, (size_t)(end - p)) : xstrdup(url);
}

/* How many '/'-separated components path has (empty ones not counted). */
static size_t
sources_ncomponents(const char *path)
{
	size_t n = 0;
	const char *p = path;

	while (*p != '\0') {
		p += strspn(p, "/");
		if (*p == '\0')
			break;
		n++;
		p += strcspn(p, "/");
	}
	return n;
}

/* The last depth components of path; all of them keep a leading '/'. */
static char *
sources_tail(const char *path, size_t depth, size_t ncomp)
{
	const char *p = path + strlen(path);
	size_t seen = 0;

	if (ncomp == 0)
		return xstrdup(*path == '/' ? "/" : path);
	while (p > path && p[-1] == '/')
		p--;
	while (p > path) {
		while (p > path && p[-1] != '/')
			p--;
		if (++seen == depth)
			break;
		while (p > path && p[-1] == '/')
			p--;
	}
	if (depth >= ncomp)
		p = path;
	return xstrdup(p);
}

/* A name too long keeps its end (the part that tells sources apart),
 * cut at a character boundary. */
static char *
sources_shorten(char *label)
{
	size_t len = strlen(label), from;
	char *s;

	if (len <= SOURCES_LABEL_MAX)
		return label;
	from = len - (SOURCES_LABEL_MAX - 3);
	while (from < len && ((unsigned char)label[from] & 0xc0) == 0x80)
		from++;
	s = xasprintf("...%s", label + from);
	free(label);
	return s;
}

static char *
sources_label(const struct source *src, size_t depth, size_t ncomp)
{
	switch (src->kind) {
	case SOURCE_URL:
		return xstrdup(src->where);
	case SOURCE_STDIN:
		return xstrdup("stdin");
	default:
		break;
	}
	return sources_tail(src->where, depth, ncomp);
}

/* One more component of a path's name, if it has one. */
static bool
sources_grow(const struct source *src, size_t *depth, size_t ncomp, char **label)
{
	if (*depth >= ncomp)
		return false;
	(*depth)++;
	free(*label);
	*label = sources_label(src, *depth, ncomp);
	return true;
}

void
sources_labels(const struct source *src, size_t n, char **labels)
{
	size_t *depth = xcalloc(n ? n : 1, sizeof *depth);
	size_t *ncomp = xcalloc(n ? n : 1, sizeof *ncomp);
	char **host = xcalloc(n ? n : 1, sizeof *host);
	size_t i, j;
	bool grew = true;

	for (i = 0; i < n; i++) {
		depth[i] = 1;
		ncomp[i] = sources_ncomponents(src[i].where);
		if (src[i].kind == SOURCE_URL)
			host[i] = sources_host(src[i].where);
		labels[i] = host[i] != NULL ? xstrdup(host[i]) :
		    sources_label(&src[i], depth[i], ncomp[i]);
	}
	/* Paths that end alike get components back until they differ or
	 * are whole; n is a command line's worth, so n² is nothing. */
	while (grew) {
		grew = false;
		for (i = 0; i < n; i++) {
			for (j = i + 1; j < n; j++) {
				if (host[i] != NULL || host[j] != NULL ||
				    strcmp(labels[i], labels[j]) != 0)
					continue;
				if (sources_grow(&src[i], &depth[i], ncomp[i], &labels[i]))
					grew = true;
				if (sources_grow(&src[j], &depth[j], ncomp[j], &labels[j]))
					grew = true;
			}
		}
	}
	for (i = 0; i < n; i++) {
		labels[i] = sources_shorten(labels[i]);
		free(host[i]);
	}
	free(host);
	free(ncomp);
	free(depth);
}

size_t
sources_match(const struct sources_cand *c, size_t n, const char *id, size_t **out)
{
	size_t i, k = 0, len, newest = SIZE_MAX;
	bool exact = false;

	*out = NULL;
	if (id == NULL) {
		for (i = 0; i < n; i++) {
			if (newest == SIZE_MAX || c[i].time > c[newest].time)
				newest = i;
		}
		if (newest == SIZE_MAX)
			return 0;
		*out = xcalloc(1, sizeof **out);
		(*out)[0] = newest;
		return 1;
	}
	len = strlen(id);
	for (i = 0; i < n && !exact; i++)
		exact = strcmp(c[i].id, id) == 0;
	for (i = 0; i < n; i++) {
		if (exact ? strcmp(c[i].id, id) != 0 : strncmp(c[i].id, id, len) != 0)
			continue;
		*out = xreallocarray(*out, k + 1, sizeof **out);
		(*out)[k++] = i;
	}
	return k;
}
