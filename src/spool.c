/* SPDX-License-Identifier: MIT */
/*
 * spool.c — unlinked temporary files and the spool limit (see spool.h).
 */
#include "spool.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "xmalloc.h"

const char *
spool_dir(void)
{
	const char *dir = getenv("TMPDIR");

	return dir != NULL && *dir != '\0' ? dir : "/tmp";
}

int
spool_open(const char *what, char **cause)
{
	char *path = xasprintf("%s/mcp-inspect-tui.XXXXXX", spool_dir());
	int fd = mkstemp(path);

	if (fd == -1)
		*cause = xasprintf("cannot create a temporary file in %s to hold "
		    "%s: %s", spool_dir(), what, strerror(errno));
	else
		unlink(path);
	free(path);
	return fd;
}

int
spool_size(const char *s, uint64_t *out)
{
	uint64_t v = 0, unit = 1;
	const char *p = s;

	if (*p < '0' || *p > '9')
		return -1;
	for (; *p >= '0' && *p <= '9'; p++) {
		if (v > (UINT64_MAX - 9) / 10)
			return -1;
		v = v * 10 + (uint64_t)(*p - '0');
	}
	switch (*p) {
	case 'k': case 'K': unit = 1 << 10; p++; break;
	case 'm': case 'M': unit = 1 << 20; p++; break;
	case 'g': case 'G': unit = 1 << 30; p++; break;
	}
	if (*p != '\0' || v == 0 || v > UINT64_MAX / unit)
		return -1;
	*out = v * unit;
	return 0;
}

void
spool_size_name(uint64_t n, char *out, size_t len)
{
	static const char *const unit[] = { "bytes", "KiB", "MiB", "GiB", "TiB" };
	size_t u = 0;

	while (u + 1 < sizeof unit / sizeof unit[0] && n >= 1024 && n % 1024 == 0) {
		n /= 1024;
		u++;
	}
	snprintf(out, len, "%llu %s", (unsigned long long)n, unit[u]);
}

int
spool_limit(uint64_t def, uint64_t *out)
{
	const char *env = getenv("MCP_INSPECT_TUI_SPOOL_MAX");

	*out = def;
	if (env == NULL || *env == '\0')
		return 0;
	if (spool_size(env, out) == -1) {
		*out = def;
		return -1;
	}
	return 0;
}
