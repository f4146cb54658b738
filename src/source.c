/* SPDX-License-Identifier: MIT */
/* source.c — trace sources and session enumeration; see source.h. */
#include "source.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "xmalloc.h"

static bool
source_is_url(const char *arg)
{
	return strncmp(arg, "http://", 7) == 0 || strncmp(arg, "https://", 8) == 0;
}

int
source_is_source_arg(const char *arg)
{
	struct stat st;

	return strcmp(arg, "-") == 0 || source_is_url(arg) || stat(arg, &st) == 0;
}

static char *
source_default_dir(void)
{
	const char *env = getenv("MCP_TRACES_DIR"), *home;

	if (env != NULL && *env != '\0')
		return xstrdup(env);
	home = getenv("HOME");
	return xasprintf("%s/.mcp_traces", home != NULL && *home != '\0' ? home : ".");
}

/*
 * A named pipe (what a shell's <(command) passes) is read exactly as
 * standard input is: open it and put it on descriptor 0, so that the
 * spool, the browser's /dev/tty keys and end-of-input need nothing new.
 * The open waits for a writer, as cat(1) does.
 */
static int
source_take_pipe(const char *path, char **cause)
{
	int fd;

	do
		fd = open(path, O_RDONLY);
	while (fd == -1 && errno == EINTR);
	if (fd == -1) {
		*cause = xasprintf("cannot open %s: %s", path, strerror(errno));
		return -1;
	}
	if (fd != STDIN_FILENO) {
		if (dup2(fd, STDIN_FILENO) == -1) {
			*cause = xasprintf("cannot read %s as standard input: %s", path,
			    strerror(errno));
			close(fd);
			return -1;
		}
		close(fd);
	}
	return 0;
}

int
source_init(struct source *src, const char *arg, char **cause)
{
	struct stat st;
	char *where = arg != NULL ? xstrdup(arg) : source_default_dir();

	memset(src, 0, sizeof *src);
	/* "dir/" and "dir" name the same sessions; keep file paths tidy. */
	while (strlen(where) > 1 && where[strlen(where) - 1] == '/')
		where[strlen(where) - 1] = '\0';
	if (strcmp(where, "-") == 0)
		src->kind = SOURCE_STDIN;
	else if (source_is_url(where))
		src->kind = SOURCE_URL;
	else if (stat(where, &st) == -1) {
		*cause = xasprintf("cannot open %s%s: %s%s", arg == NULL ?
		    "trace directory " : "", where, strerror(errno), arg == NULL ?
		    " (set MCP_TRACES_DIR, or source in the configuration file, or give "
		    "a SOURCE: a directory, a file, - or an inspector URL)" : "");
		free(where);
		return -1;
	} else if (S_ISDIR(st.st_mode))
		src->kind = SOURCE_DIR;
	else if (S_ISREG(st.st_mode))
		src->kind = SOURCE_FILE;
	else if (S_ISFIFO(st.st_mode)) {
		if (source_take_pipe(where, cause) == -1) {
			free(where);
			return -1;
		}
		src->kind = SOURCE_STDIN;
	} else {
		*cause = xasprintf("cannot read %s: not a trace file, directory or pipe",
		    where);
		free(where);
		return -1;
	}
	src->where = where;
	return 0;
}

void
source_clear(struct source *src)
{
	free(src->where);
	src->where = NULL;
}

static bool
source_strip(char *name, size_t *len, const char *suffix)
{
	size_t n = strlen(suffix);

	if (*len > n && memcmp(name + *len - n, suffix, n) == 0) {
		*len -= n;
		name[*len] = '\0';
		return true;
	}
	return false;
}

char *
source_session_id(const char *filename, unsigned *chunk)
{
	const char *base = strrchr(filename, '/');
	char *name, *mark, *end;
	size_t len;
	unsigned long n;

	name = xstrdup(base != NULL ? base + 1 : filename);
	len = strlen(name);
	*chunk = 0;
	if (!source_strip(name, &len, ".jsonl.gz") && !source_strip(name, &len, ".jsonl") &&
	    !source_strip(name, &len, ".json")) {
		free(name);
		return NULL;
	}
	/* ID.jsonl.chunk_N → ID, chunk N */
	mark = strstr(name, ".jsonl.chunk_");
	if (mark != NULL) {
		errno = 0;
		n = strtoul(mark + 13, &end, 10);
		if (*end == '\0' && end != mark + 13 && errno == 0 && n > 0 && n < 1000000) {
			*mark = '\0';
			*chunk = (unsigned)n;
		}
	}
	if (*name == '\0') {
		free(name);
		return NULL;
	}
	return name;
}

/* A file of one session, while grouping. */
struct source_entry {
	char *id;
	char *path;
	unsigned chunk;
	time_t mtime;
	uint64_t bytes;
};

static int
source_entry_cmp(const void *pa, const void *pb)
{
	const struct source_entry *a = pa, *b = pb;
	int c = strcmp(a->id, b->id);

	if (c != 0)
		return c;
	return a->chunk < b->chunk ? -1 : a->chunk > b->chunk;
}

static int
session_ref_cmp(const void *pa, const void *pb)
{
	const struct session_ref *a = pa, *b = pb;

	if (a->mtime != b->mtime)
		return a->mtime > b->mtime ? -1 : 1;
	return strcmp(a->id, b->id);
}

static void
session_ref_add_file(struct session_ref *r, const struct source_entry *e)
{
	r->files = xreallocarray(r->files, r->nfiles + 1, sizeof *r->files);
	r->files[r->nfiles++] = e->path;
	if (e->mtime > r->mtime)
		r->mtime = e->mtime;
	r->bytes += e->bytes;
}

/* Group sorted entries into sessions; takes ownership of the strings. */
static struct session_ref *
source_group(struct source_entry *e, size_t ne, size_t *n)
{
	/* At most one session a file: one allocation, not one a session
	 * (growing it by one cost ~20 ms at 20 000 sessions). */
	struct session_ref *refs = xcalloc(ne ? ne : 1, sizeof *refs);
	size_t i, nrefs = 0;

	for (i = 0; i < ne; i++) {
		if (nrefs == 0 || strcmp(refs[nrefs - 1].id, e[i].id) != 0) {
			refs[nrefs++].id = e[i].id;
		} else
			free(e[i].id);
		session_ref_add_file(&refs[nrefs - 1], &e[i]);
	}
	*n = nrefs;
	if (nrefs == 0) {
		free(refs);
		return NULL;
	}
	return refs;
}

/*
 * A directory scan that can stop and go on: the browser spreads one over
 * its loop's turns (20 000 entries cost ~200 ms of stat calls, which a key
 * must not wait for); --list and the followed session run one to its end.
 */
struct source_dirscan {
	char *dir;
	char *only_id;             /* NULL: every session */
	DIR *d;                    /* NULL once readdir is done */
	struct source_entry *e;    /* the trace files found so far */
	size_t ne;
};

/* Every session of dir, or only session only_id's files when it is not
 * NULL (a followed session looking for new chunks: no other file is
 * looked at). */
int
source_dirscan_start(const char *dir, const char *only_id, struct source_dirscan **out,
    char **cause)
{
	struct source_dirscan *sc;
	DIR *d = opendir(dir);

	*out = NULL;
	if (d == NULL) {
		*cause = xasprintf("cannot open trace directory %s: %s", dir, strerror(errno));
		return -1;
	}
	sc = xcalloc(1, sizeof *sc);
	sc->dir = xstrdup(dir);
	sc->only_id = only_id != NULL ? xstrdup(only_id) : NULL;
	sc->d = d;
	*out = sc;
	return 0;
}

/* One directory entry: a trace file becomes an entry of the scan. */
static void
source_dirscan_entry(struct source_dirscan *sc, const char *name)
{
	struct stat st;
	unsigned chunk;
	char *id, *path;

	if (name[0] == '.' || (sc->only_id != NULL &&
	    strncmp(name, sc->only_id, strlen(sc->only_id)) != 0) ||
	    (id = source_session_id(name, &chunk)) == NULL)
		return;
	if (sc->only_id != NULL && strcmp(id, sc->only_id) != 0) {
		free(id);
		return;
	}
	path = xasprintf("%s/%s", sc->dir, name);
	/*
	 * A trace file name that is not a readable file (a dangling or
	 * looping symlink, a directory, a pipe) is kept: opening it
	 * then gives its session one warning that names it, instead
	 * of it vanishing without a word.
	 */
	if (stat(path, &st) == -1)
		memset(&st, 0, sizeof st);
	sc->e = xreallocarray(sc->e, sc->ne + 1, sizeof *sc->e);
	sc->e[sc->ne].id = id;
	sc->e[sc->ne].path = path;
	sc->e[sc->ne].chunk = chunk;
	sc->e[sc->ne].mtime = st.st_mtime;
	sc->e[sc->ne].bytes = S_ISREG(st.st_mode) ? (uint64_t)st.st_size : 0;
	sc->ne++;
}

int
source_dirscan_step(struct source_dirscan *sc, size_t max_entries)
{
	struct dirent *de;
	size_t i;

	for (i = 0; i < max_entries && sc->d != NULL; i++) {
		if ((de = readdir(sc->d)) == NULL) {
			closedir(sc->d);
			sc->d = NULL;
			break;
		}
		source_dirscan_entry(sc, de->d_name);
	}
	return sc->d != NULL;
}

void
source_dirscan_finish(struct source_dirscan *sc, struct session_ref **refs, size_t *n)
{
	while (source_dirscan_step(sc, SIZE_MAX))
		;
	if (sc->ne > 0)
		qsort(sc->e, sc->ne, sizeof *sc->e, source_entry_cmp);
	*refs = source_group(sc->e, sc->ne, n);
	if (*n > 0)
		qsort(*refs, *n, sizeof **refs, session_ref_cmp);
	sc->ne = 0;
	source_dirscan_free(sc);
}

void
source_dirscan_free(struct source_dirscan *sc)
{
	size_t i;

	if (sc == NULL)
		return;
	if (sc->d != NULL)
		closedir(sc->d);
	for (i = 0; i < sc->ne; i++) {
		free(sc->e[i].id);
		free(sc->e[i].path);
	}
	free(sc->e);
	free(sc->only_id);
	free(sc->dir);
	free(sc);
}

static int
source_scan_dir(const char *dir, const char *only_id, struct session_ref **refs,
    size_t *n, char **cause)
{
	struct source_dirscan *sc;

	if (source_dirscan_start(dir, only_id, &sc, cause) == -1)
		return -1;
	source_dirscan_finish(sc, refs, n);
	return 0;
}

static int
source_scan_one(const char *path, bool is_stdin, struct session_ref **refs, size_t *n)
{
	struct session_ref *r = xcalloc(1, sizeof *r);
	struct source_entry e;
	struct stat st;
	unsigned chunk;
	char *id;
	const char *base;

	/* A pipe's own name (/dev/fd/63) says nothing; a mkfifo's may. */
	if (is_stdin && (strcmp(path, "-") == 0 || strncmp(path, "/dev/fd/", 8) == 0 ||
	    strncmp(path, "/proc/", 6) == 0))
		id = xstrdup("stdin");
	else if ((id = source_session_id(path, &chunk)) == NULL) {
		/* Any other file name: the name itself, so it stays recognisable. */
		base = strrchr(path, '/');
		id = xstrdup(base != NULL ? base + 1 : path);
	}
	memset(&e, 0, sizeof e);
	e.id = id;
	/* Standard input, where a named pipe was put too, is read as "-". */
	e.path = xstrdup(is_stdin ? "-" : path);
	if (!is_stdin && stat(path, &st) == 0) {
		e.mtime = st.st_mtime;
		e.bytes = (uint64_t)st.st_size;
	}
	r->id = id;
	session_ref_add_file(r, &e);
	*refs = r;
	*n = 1;
	return 0;
}

int
source_scan(const struct source *src, struct session_ref **refs, size_t *n,
    char **cause)
{
	*refs = NULL;
	*n = 0;
	switch (src->kind) {
	case SOURCE_DIR:
		return source_scan_dir(src->where, NULL, refs, n, cause);
	case SOURCE_FILE:
		return source_scan_one(src->where, false, refs, n);
	case SOURCE_STDIN:
		return source_scan_one(src->where, true, refs, n);
	case SOURCE_URL:
		break;
	}
	*cause = xasprintf("%s: remote inspector sources are not supported yet", src->where);
	return -1;
}

int
source_session_files(const struct source *src, const char *id,
    struct session_ref **ref, char **cause)
{
	size_t n = 0;

	*ref = NULL;
	if (src->kind != SOURCE_DIR)
		return 0;
	if (source_scan_dir(src->where, id, ref, &n, cause) == -1)
		return -1;
	return n > 0 ? 1 : 0;
}

void
session_refs_free(struct session_ref *refs, size_t n)
{
	size_t i, j;

	for (i = 0; i < n; i++) {
		for (j = 0; j < refs[i].nfiles; j++)
			free(refs[i].files[j]);
		free(refs[i].files);
		free(refs[i].id);
	}
	free(refs);
}

long
session_ref_find(const struct session_ref *refs, size_t n, const char *id)
{
	size_t i, len = strlen(id);
	long found = -1;

	for (i = 0; i < n; i++) {
		if (strcmp(refs[i].id, id) == 0)
			return (long)i;
	}
	for (i = 0; i < n; i++) {
		if (strncmp(refs[i].id, id, len) != 0)
			continue;
		if (found != -1)
			return -2;
		found = (long)i;
	}
	return found;
}
