/* SPDX-License-Identifier: MIT */
/* xmalloc.c — see xmalloc.h. */
#include "xmalloc.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#ifdef __GLIBC__
#include <malloc.h>
#endif

/* Blocks this big or more are asked to be backed by huge pages. */
#define XMALLOC_HUGE_MIN (4u << 20)

static bool huge_pages;

static void
xmalloc_die(size_t size)
{
	fprintf(stderr, "mcp-inspect-tui: out of memory (allocating %zu bytes)\n", size);
	exit(1);
}

void
xmalloc_huge_pages(bool on)
{
	huge_pages = on;
#if defined(__GLIBC__) && defined(M_MMAP_THRESHOLD)
	/*
	 * The tree of a session is rebuilt while it loads and as it grows
	 * (trace.c): some fifteen arrays of 4 to 12 MiB at a million spans,
	 * freed and allocated again each time.  glibc gives blocks over its
	 * mmap threshold back to the system on free, so each rebuild touched
	 * fresh pages: half of a 150 ms build was page faults and zeroing.
	 * Served from the heap and kept there, a rebuild reuses them (the
	 * final build of a million-span load 136-162 → 64-67 ms).  The cost:
	 * the browser's memory stays at its peak after a session is closed.
	 * 32 MiB is glibc's most (the span store, bigger, stays mmapped and
	 * grows by mremap).
	 */
	if (on) {
		(void)mallopt(M_MMAP_THRESHOLD, 32 << 20);
		(void)mallopt(M_TRIM_THRESHOLD, 1 << 30);
	}
#endif
}

/*
 * A big block's pages are first touched one 4 KiB page at a time, and
 * each first touch is a fault: a million-span trace and its tree take
 * tens of thousands, most of a second of a load on a virtual machine.
 * Transparent huge pages cut that 512 times where the kernel offers them
 * on request ("madvise", Debian's default); elsewhere this does nothing.
 */
static void *
xmalloc_huge(void *p, size_t size)
{
#ifdef MADV_HUGEPAGE
	uintptr_t from, to;

	if (!huge_pages || size < XMALLOC_HUGE_MIN)
		return p;
	from = ((uintptr_t)p + 4095) & ~(uintptr_t)4095;
	to = ((uintptr_t)p + size) & ~(uintptr_t)4095;
	if (to > from)
		(void)madvise((void *)from, to - from, MADV_HUGEPAGE);
#endif
	return p;
}

void *
xmalloc(size_t size)
{
	void *p = malloc(size ? size : 1);

	if (p == NULL)
		xmalloc_die(size);
	return xmalloc_huge(p, size);
}

void *
xcalloc(size_t nmemb, size_t size)
{
	void *p = calloc(nmemb ? nmemb : 1, size ? size : 1);

	if (p == NULL)
		xmalloc_die(nmemb * size);
	return xmalloc_huge(p, nmemb * size);
}

void *
xrealloc(void *old, size_t size)
{
	void *p = realloc(old, size ? size : 1);

	if (p == NULL)
		xmalloc_die(size);
	return xmalloc_huge(p, size);
}

void *
xreallocarray(void *old, size_t nmemb, size_t size)
{
	if (size != 0 && nmemb > SIZE_MAX / size)
		xmalloc_die(SIZE_MAX);
	return xrealloc(old, nmemb * size);
}

char *
xstrdup(const char *s)
{
	return xstrndup(s, strlen(s));
}

char *
xstrndup(const char *s, size_t n)
{
	char *p = xmalloc(n + 1);

	memcpy(p, s, n);
	p[n] = '\0';
	return p;
}

char *
xvasprintf(const char *fmt, va_list ap)
{
	char *p;

	if (vasprintf(&p, fmt, ap) == -1)
		xmalloc_die(strlen(fmt));
	return p;
}

char *
xasprintf(const char *fmt, ...)
{
	va_list ap;
	char *p;

	va_start(ap, fmt);
	p = xvasprintf(fmt, ap);
	va_end(ap);
	return p;
}
