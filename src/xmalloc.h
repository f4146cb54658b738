/* SPDX-License-Identifier: MIT */
/*
 * xmalloc.h — allocation that cannot fail (it exits with a message), and
 * the house convention for errors: functions return -1 and set a
 * `char **cause` that the caller frees.
 */
#ifndef XMALLOC_H
#define XMALLOC_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>

void *xmalloc(size_t);
void *xcalloc(size_t, size_t);
void *xrealloc(void *, size_t);
/* Grow an array of nmemb elements of size bytes, checking for overflow. */
void *xreallocarray(void *, size_t nmemb, size_t size);
/* Ask for huge pages behind blocks of 4 MiB or more, and keep freed
 * blocks of up to 32 MiB for reuse (the browser, whose big traces are
 * built while the user waits; headless modes keep their peak RSS small
 * instead).  Off by default. */
void xmalloc_huge_pages(bool on);
char *xstrdup(const char *);
char *xstrndup(const char *, size_t);
char *xasprintf(const char *, ...) __attribute__((format(printf, 1, 2)));
char *xvasprintf(const char *, va_list) __attribute__((format(printf, 1, 0)));

#endif
