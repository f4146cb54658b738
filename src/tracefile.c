/* SPDX-License-Identifier: MIT */
/* tracefile.c — indexing one trace file, following it, fetching lines back. */
#include "tracefile.h"

#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <unistd.h>

#include "buf.h"
#include "gate.h"
#include "gz.h"
#include "gzcache.h"
#include "lines.h"
#include "span_parse.h"
#include "spanprep.h"
#include "spool.h"
#include "textq.h"
#include "trace.h"
#include "xmalloc.h"

#define TRACEFILE_CHUNK (256 * 1024)
/* Decoded bytes one tracefile_read may produce (a few tens of ms of
 * parsing): its budget counts input bytes, and a gzip bomb turns 256 KiB
 * of input into 256 MiB, a second the browser would not answer keys. */
#define TRACEFILE_OUT_PER_READ (2u << 20)
/* Lines one tracefile_read may deliver: 2 MiB of near-empty lines is two
 * million of them, tens of ms however little each costs.  Checked after
 * each piece of output (at most 256 KiB). */
#define TRACEFILE_LINES_PER_READ 16384
#define TRACEFILE_PLAIN_PIECE (64 * 1024)
/* Decoded segments kept for fetching spans back (gzcache.c). */
#define TRACEFILE_CACHE (32u << 20)
/* Deflate's largest expansion, assumed until a file shows its own. */
#define DEFLATE_MAX_RATIO 1032
#define RATIO_KNOWN_AFTER (64u * 1024)
/* Input bytes remembered to tell an append from a rewrite. */
#define TRACEFILE_LAST 64

struct tracefile {
	char *path;
	uint16_t index;
	int fd;              /* the file, or (a descriptor of) the stdin spool */
	bool spooled;        /* standard input, through the stdin spool */
	bool told;           /* the stdin spool's error was reported */
	bool by_fd;          /* opened from a descriptor: no path to check */
	dev_t dev;
	ino_t ino;
	struct gz *gz;
	struct gzcache *cache; /* for tracefile_line; NULL until first used */
	struct lines *lines;
	uint64_t consumed;   /* input bytes fed to gz */
	uint64_t size;       /* file size when last looked at */
	uint64_t line_no;    /* lines delivered, for messages */
	uint64_t bad_lines;
	char **bad;          /* "FILE:LINE: why" of the first TRACEFILE_BAD_KEPT */
	size_t nbad;
	bool failed;
	bool rewritten;      /* truncated and written again (copytruncate) */
	bool bomb;           /* reading stopped: it decompresses too far */
	/* The last input bytes read, which end at consumed: still there when
	 * the file has only grown, different when it was rewritten. */
	unsigned char last[TRACEFILE_LAST];
	size_t nlast;
	uint64_t read_lines; /* lines delivered in this tracefile_read */
	uint64_t out_stop;   /* decoded offset where this read's slice ends */
	/* A pretty-printed object being read (see tracefile_pretty_line). */
	bool in_object;
	uint64_t object_off;
	uint64_t object_line;
	unsigned char *chunk; /* input buffer, only while reading (NULL idle) */
	/* Open descriptors of files read by path are a bounded set, most
	 * recently used first (tracefile_hold); fd is -1 while closed. */
	struct tracefile *lru_prev, *lru_next;
	bool lru_linked;
	int busy;            /* holds on fd: not closed while > 0 */
	/* Held around gz_feed and every use of gz's index: a two-thread read
	 * (tracefile_read_piped) inflates on one thread while the other, and
	 * the browser during a background load, read lines back.  Recursive:
	 * a long line is fetched back from inside gz_feed's callback. */
	pthread_mutex_t gz_lock;
	/* Set while a loader reads this file in the background (gate.h):
	 * whoever touches the parser, lines or trace is inside it. */
	struct gate *gate;
	/* Valid during one tracefile_read: where spans go. */
	struct span_parser *parser;
	struct trace *trace;
	/* The spans of the block being indexed that the inflating thread
	 * parsed ahead (tracefile_read_piped), or NULL; lines taken so. */
	struct spanprep *prep;
	uint64_t lines_ahead;
};

/*
 * Standard input can be read once, but several tracefiles read "-": the
 * browser's list row and its open session both do.  Each used to take
 * what it read away from the other (a trace arriving after the first
 * frame went to the list row and never showed).  So stdin is copied into
 * one spool for the process, an unlinked file; every "-" reads the spool
 * at its own offset through its own descriptor, and whoever has caught
 * up with it reads stdin on into it.  The spool lives until exit.
 */
static struct {
	pthread_mutex_t lock;
	int fd;              /* -1 until the first "-" */
	uint64_t size;       /* bytes of stdin copied so far */
	bool eof;            /* stdin has ended (or reading it stopped) */
	uint64_t max;        /* the spool limit, 0 until known */
	char *error;         /* why reading stopped early, or NULL */
} stdin_spool = { PTHREAD_MUTEX_INITIALIZER, -1, 0, false, 0, NULL };

/* Append n bytes to the spool (lock held); false, with the reason kept,
 * when they do not all fit: what does stays readable. */
static bool
tracefile_spool_append(const unsigned char *p, size_t n)
{
	size_t done = 0;
	ssize_t w;

	/* The limit of a remote trace's spool holds for stdin too. */
	if (stdin_spool.max == 0)
		spool_limit(TRACEFILE_SPOOL_MAX, &stdin_spool.max);
	if (stdin_spool.size + n > stdin_spool.max) {
		char limit[32];

		n = (size_t)(stdin_spool.max - stdin_spool.size);
		spool_size_name(stdin_spool.max, limit, sizeof limit);
		stdin_spool.error = xasprintf("standard input: stopped at the spool "
		    "limit of %s (MCP_INSPECT_TUI_SPOOL_MAX); the rest is not read",
		    limit);
	}
	while (done < n) {
		w = pwrite(stdin_spool.fd, p + done, n - done,
		    (off_t)(stdin_spool.size + done));
		if (w == -1 && errno == EINTR)
			continue;
		if (w <= 0) {
			free(stdin_spool.error);
			/* A short write is a full disk: errno is not set then. */
			stdin_spool.error = xasprintf("cannot spool standard input in "
			    "%s: %s; reading it stopped after %llu bytes",
			    spool_dir(), strerror(w == 0 ? ENOSPC : errno),
			    (unsigned long long)(stdin_spool.size + done));
			break;
		}
		done += (size_t)w;
	}
	stdin_spool.size += done;
	if (stdin_spool.error != NULL)
		stdin_spool.eof = true;
	return stdin_spool.error == NULL;
}

const char *
tracefile_stdin_error(void)
{
	const char *e;

	pthread_mutex_lock(&stdin_spool.lock);
	e = stdin_spool.error;
	pthread_mutex_unlock(&stdin_spool.lock);
	return e;
}

bool
tracefile_stdin_waiting(void)
{
	bool w;

	pthread_mutex_lock(&stdin_spool.lock);
	w = stdin_spool.fd != -1 && !stdin_spool.eof;
	pthread_mutex_unlock(&stdin_spool.lock);
	return w;
}

bool
tracefile_input_cut(const struct tracefile *tf)
{
	return tf->spooled && tracefile_stdin_error() != NULL;
}

/* A descriptor of the stdin spool for one tracefile (created on first use). */
static int
tracefile_stdin_fd(char **cause)
{
	int fd = -1;

	pthread_mutex_lock(&stdin_spool.lock);
	if (stdin_spool.fd == -1 &&
	    (stdin_spool.fd = spool_open("standard input", cause)) == -1)
		stdin_spool.error = xstrdup(*cause);
	if (stdin_spool.fd != -1 && (fd = fcntl(stdin_spool.fd, F_DUPFD_CLOEXEC, 0)) == -1)
		*cause = xasprintf("cannot read standard input: %s", strerror(errno));
	pthread_mutex_unlock(&stdin_spool.lock);
	return fd;
}

/* Up to want bytes of stdin from where tf has consumed to: from the spool
 * when it has them, else read on from stdin (non-blocking in the browser:
 * nothing yet is not the end) into the spool.  0 at the end of stdin or of
 * what it has sent. */
static ssize_t
tracefile_stdin_input(struct tracefile *tf, size_t want, char **cause)
{
	uint64_t at = tf->consumed;
	ssize_t n = 0;

	pthread_mutex_lock(&stdin_spool.lock);
	if (at < stdin_spool.size) {
		if (want > stdin_spool.size - at)
			want = (size_t)(stdin_spool.size - at);
		do
			n = pread(tf->fd, tf->chunk, want, (off_t)at);
		while (n == -1 && errno == EINTR);
		if (n == -1)
			*cause = xasprintf("cannot read the spool of standard input: %s",
			    strerror(errno));
	} else if (!stdin_spool.eof) {
		do
			n = read(STDIN_FILENO, tf->chunk, want);
		while (n == -1 && errno == EINTR);
		if (n == -1 && (errno == EAGAIN || errno == EWOULDBLOCK))
			n = 0;
		else if (n == -1)
			*cause = xasprintf("cannot read standard input: %s", strerror(errno));
		else if (n == 0)
			stdin_spool.eof = true;
		else if (!tracefile_spool_append(tf->chunk, (size_t)n)) {
			/* What fitted is read; the reason comes at its end. */
			n = (ssize_t)(stdin_spool.size - at);
			if (n == 0) {
				tf->told = true;
				*cause = xstrdup(stdin_spool.error);
				n = -1;
			}
		}
	} else if (stdin_spool.error != NULL && !tf->told) {
		tf->told = true;
		*cause = xstrdup(stdin_spool.error);
		n = -1;
	}
	pthread_mutex_unlock(&stdin_spool.lock);
	return n;
}

/*
 * A browser lists thousands of sessions, and a session can have a thousand
 * rotated chunks: holding a descriptor for each ran into the descriptor
 * limit ("Too many open files", rows never read, 251 of 1 000 chunks).
 * Files read by path are opened when used and closed when the set of open
 * ones grows past a quarter of the limit, least recently used first; a
 * file is reopened (and checked to be the same file) when it is read
 * again.  A file being read or fetched from is held and never closed.
 */
static struct {
	pthread_mutex_t lock;
	struct tracefile *head, *tail; /* head most recently used */
	size_t n, cap;
} tf_lru = { PTHREAD_MUTEX_INITIALIZER, NULL, NULL, 0, 0 };

static size_t
tracefile_lru_cap(void)
{
	const char *env = getenv("MCP_INSPECT_TUI_MAX_FDS");
	struct rlimit rl;
	size_t cap = TRACEFILE_MAX_OPEN;

	if (env != NULL && atoi(env) > 0)
		return (size_t)atoi(env);
	if (getrlimit(RLIMIT_NOFILE, &rl) == 0 && rl.rlim_cur != RLIM_INFINITY &&
	    rl.rlim_cur / 4 < cap)
		cap = rl.rlim_cur / 4;
	return cap < 4 ? 4 : cap;
}

static void
tracefile_lru_unlink(struct tracefile *tf)
{
	if (!tf->lru_linked)
		return;
	if (tf->lru_prev != NULL)
		tf->lru_prev->lru_next = tf->lru_next;
	else
		tf_lru.head = tf->lru_next;
	if (tf->lru_next != NULL)
		tf->lru_next->lru_prev = tf->lru_prev;
	else
		tf_lru.tail = tf->lru_prev;
	tf->lru_prev = tf->lru_next = NULL;
	tf->lru_linked = false;
	tf_lru.n--;
}

static void
tracefile_lru_push(struct tracefile *tf)
{
	tf->lru_prev = NULL;
	tf->lru_next = tf_lru.head;
	if (tf_lru.head != NULL)
		tf_lru.head->lru_prev = tf;
	tf_lru.head = tf;
	if (tf_lru.tail == NULL)
		tf_lru.tail = tf;
	tf->lru_linked = true;
	tf_lru.n++;
}

/* Close least recently used descriptors not held until at most keep are
 * open (lock held). */
static void
tracefile_lru_trim(size_t keep)
{
	struct tracefile *tf = tf_lru.tail, *prev;

	while (tf != NULL && tf_lru.n > keep) {
		prev = tf->lru_prev;
		if (tf->busy == 0) {
			tracefile_lru_unlink(tf);
			close(tf->fd);
			tf->fd = -1;
		}
		tf = prev;
	}
}

/* Open path, making room among our own descriptors when the process is
 * at its limit (lock held). */
static int
tracefile_lru_open(const char *path)
{
	int fd;

	if (tf_lru.cap == 0)
		tf_lru.cap = tracefile_lru_cap();
	tracefile_lru_trim(tf_lru.cap > 0 ? tf_lru.cap - 1 : 0);
	/* O_NONBLOCK: opening a pipe must not wait for a writer. */
	fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK);
	if (fd == -1 && (errno == EMFILE || errno == ENFILE)) {
		tracefile_lru_trim(0);
		fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK);
	}
	return fd;
}

/* A file read by path joins the open set (lock held). */
static void
tracefile_lru_add(struct tracefile *tf)
{
	tracefile_lru_push(tf);
	tracefile_lru_trim(tf_lru.cap);
}

/*
 * Hold tf's descriptor for one operation, reopening it if it was closed;
 * -1 with *cause when it cannot be opened again or is another file now.
 */
static int
tracefile_hold(struct tracefile *tf, char **cause)
{
	struct stat st;
	int fd, rc = 0;

	if (tf->spooled || tf->by_fd) {
		tf->busy++;
		return 0;
	}
	pthread_mutex_lock(&tf_lru.lock);
	if (tf->fd == -1) {
		if ((fd = tracefile_lru_open(tf->path)) == -1) {
			*cause = xasprintf("cannot open %s again: %s", tf->path,
			    strerror(errno));
			rc = -1;
		} else if (fstat(fd, &st) == -1 || st.st_dev != tf->dev ||
		    st.st_ino != tf->ino) {
			*cause = xasprintf("%s was replaced while being read; "
			    "showing what was read before", tf->path);
			close(fd);
			rc = -1;
		} else {
			tf->fd = fd;
			tracefile_lru_push(tf);
		}
	} else if (tf->lru_linked) {
		tracefile_lru_unlink(tf);
		tracefile_lru_push(tf);
	}
	if (rc == 0)
		tf->busy++;
	pthread_mutex_unlock(&tf_lru.lock);
	return rc;
}

static void
tracefile_release(struct tracefile *tf)
{
	if (tf->spooled || tf->by_fd) {
		tf->busy--;
		return;
	}
	pthread_mutex_lock(&tf_lru.lock);
	tf->busy--;
	if (tf_lru.n > tf_lru.cap)
		tracefile_lru_trim(tf_lru.cap);
	pthread_mutex_unlock(&tf_lru.lock);
}

static struct tracefile *
tracefile_new(const char *name, int fd, uint16_t index)
{
	struct tracefile *tf = xcalloc(1, sizeof *tf);
	pthread_mutexattr_t attr;

	pthread_mutexattr_init(&attr);
	pthread_mutexattr_settype(&attr, PTHREAD_MUTEX_RECURSIVE);
	pthread_mutex_init(&tf->gz_lock, &attr);
	pthread_mutexattr_destroy(&attr);
	tf->path = xstrdup(name);
	tf->index = index;
	tf->fd = fd;
	tf->gz = gz_new();
	tf->lines = lines_new(TRACEFILE_MAX_LINE);
	lines_set_hold(tf->lines, TRACEFILE_HOLD);
	return tf;
}

struct tracefile *
tracefile_open(const char *path, uint16_t index, char **cause)
{
	struct tracefile *tf;
	struct stat st;
	int fd;

	if (strcmp(path, "-") == 0) {
		if ((fd = tracefile_stdin_fd(cause)) == -1)
			return NULL;
		tf = tracefile_new("<stdin>", fd, index);
		tf->spooled = true;
		return tf;
	}
	pthread_mutex_lock(&tf_lru.lock);
	if ((fd = tracefile_lru_open(path)) == -1) {
		*cause = xasprintf("cannot open %s: %s", path, strerror(errno));
		pthread_mutex_unlock(&tf_lru.lock);
		return NULL;
	}
	if (fstat(fd, &st) == -1 || !S_ISREG(st.st_mode)) {
		*cause = xasprintf("cannot read %s: %s", path,
		    S_ISDIR(st.st_mode) ? "is a directory" : !S_ISREG(st.st_mode) ?
		    "not a regular file (a pipe can be read as standard input, -)" :
		    strerror(errno));
		close(fd);
		pthread_mutex_unlock(&tf_lru.lock);
		return NULL;
	}
	tf = tracefile_new(path, fd, index);
	tracefile_lru_add(tf);
	pthread_mutex_unlock(&tf_lru.lock);
	/* A .gz name promises gzip: random bytes get one clear error, not
	 * hundreds of bad lines. */
	if (strlen(path) > 3 && strcmp(path + strlen(path) - 3, ".gz") == 0)
		gz_expect_gzip(tf->gz);
	tf->dev = st.st_dev;
	tf->ino = st.st_ino;
	tf->size = (uint64_t)st.st_size;
	return tf;
}

struct tracefile *
tracefile_open_fd(const char *name, int fd, uint16_t index, char **cause)
{
	struct tracefile *tf;
	int copy = fcntl(fd, F_DUPFD_CLOEXEC, 0);

	if (copy == -1) {
		*cause = xasprintf("cannot read %s: %s", name, strerror(errno));
		return NULL;
	}
	tf = tracefile_new(name, copy, index);
	tf->by_fd = true;
	return tf;
}

void
tracefile_free(struct tracefile *tf)
{
	if (tf == NULL)
		return;
	if (!tf->spooled && !tf->by_fd) {
		pthread_mutex_lock(&tf_lru.lock);
		tracefile_lru_unlink(tf);
		pthread_mutex_unlock(&tf_lru.lock);
	}
	if (tf->fd != -1)
		close(tf->fd);
	pthread_mutex_destroy(&tf->gz_lock);
	gz_free(tf->gz);
	gzcache_free(tf->cache);
	lines_free(tf->lines);
	free(tf->chunk);
	while (tf->nbad > 0)
		free(tf->bad[--tf->nbad]);
	free(tf->bad);
	free(tf->path);
	free(tf);
}

/* gz and its index are shared with the parsing thread of a two-thread
 * read and with a browser reading lines back while a loader inflates.
 * Uncontended, the lock costs nanoseconds against a 64 KiB inflate. */
static void
tracefile_gz_lock(struct tracefile *tf)
{
	pthread_mutex_lock(&tf->gz_lock);
}

static void
tracefile_gz_unlock(struct tracefile *tf)
{
	pthread_mutex_unlock(&tf->gz_lock);
}

static void
tracefile_bad(struct tracefile *tf, const char *why)
{
	tf->bad_lines++;
	trace_add_bad_lines(tf->trace, 1);
	/* Each is kept, up to a bound: a file of garbage costs a count,
	 * not memory without end. */
	if (tf->nbad < TRACEFILE_BAD_KEPT) {
		tf->bad = xreallocarray(tf->bad, tf->nbad + 1, sizeof *tf->bad);
		tf->bad[tf->nbad++] = xasprintf("%s:%llu: %s", tf->path,
		    (unsigned long long)tf->line_no, why);
	}
}

static void
tracefile_add_span(struct tracefile *tf, const struct span_fields *f, size_t len,
    uint64_t off)
{
	trace_add(tf->trace, f, tf->index, off, len > UINT32_MAX ? UINT32_MAX : (uint32_t)len);
}

static void
tracefile_index_line(struct tracefile *tf, const char *line, size_t len, uint64_t off)
{
	const struct span_fields *ahead;
	int n, i;

	if (tf->prep != NULL && (n = spanprep_take(tf->prep, off, len, &ahead)) > 0) {
		tf->lines_ahead++;
		for (i = 0; i < n; i++)
			tracefile_add_span(tf, &ahead[i], len, off);
		return;
	}
	n = span_parse_line(tf->parser, line, len);
	if (n < 0) {
		tracefile_bad(tf, span_parser_error(tf->parser));
		return;
	}
	if (span_parser_skipped(tf->parser) != NULL)
		tracefile_bad(tf, span_parser_skipped(tf->parser));
	for (i = 0; i < n; i++)
		tracefile_add_span(tf, span_parser_span(tf->parser, i), len, off);
}

/* A line too long to have been held while it arrived: read it back from
 * the file, whose bytes up to the end of the line are all there. */
static void
tracefile_index_fetched(struct tracefile *tf, size_t len, uint64_t off)
{
	char *line = xmalloc(len ? len : 1), *cause = NULL, *why;
	long got;

	tracefile_gz_lock(tf);
	got = gz_read_at(tf->fd, gz_index(tf->gz), off, line, len, &cause);
	tracefile_gz_unlock(tf);
	if (got == (long)len)
		tracefile_index_line(tf, line, len, off);
	else {
		why = xasprintf("cannot read the line of %zu bytes back: %s", len,
		    cause != NULL ? cause : "the file shrank");
		tracefile_bad(tf, why);
		free(why);
	}
	free(cause);
	free(line);
}

/* Whether a line is c in its first column, trailing spaces aside: the
 * braces of nested objects are indented. */
static bool
tracefile_line_is(const char *line, size_t len, char c)
{
	while (len > 0 && (line[len - 1] == ' ' || line[len - 1] == '\t'))
		len--;
	return len == 1 && *line == c;
}

/* The pretty-printed object that started at object_off ends at end: index
 * it as one span line, read back whole, numbered by its first line. */
static void
tracefile_close_object(struct tracefile *tf, uint64_t end)
{
	uint64_t line_no = tf->line_no, len = end - tf->object_off;
	char why[96];

	tf->in_object = false;
	tf->line_no = tf->object_line;
	if (len > TRACEFILE_MAX_LINE) {
		snprintf(why, sizeof why, "object of %llu bytes is longer than the "
		    "limit of %u MiB", (unsigned long long)len, TRACEFILE_MAX_LINE >> 20);
		tracefile_bad(tf, why);
	} else
		tracefile_index_fetched(tf, (size_t)len, tf->object_off);
	tf->line_no = line_no;
}

/*
 * Pretty-printed JSON (the OpenTelemetry SDK's to_json() with its default
 * indent, which ConsoleSpanExporter writes; jq's output): an object starts
 * on a line that is just "{" and ends on the next line that is just "}",
 * both in the first column; the lines between are indented.  True when
 * the line was part of one.  (line is NULL for a line too long to hold:
 * never a brace.)
 */
static bool
tracefile_pretty_line(struct tracefile *tf, const char *line, size_t len, uint64_t off)
{
	if (!tf->in_object) {
		if (line == NULL || !tracefile_line_is(line, len, '{'))
			return false;
		tf->in_object = true;
		tf->object_off = off;
		tf->object_line = tf->line_no;
		return true;
	}
	if (line != NULL && tracefile_line_is(line, len, '}'))
		tracefile_close_object(tf, off + len);
	return true;
}

static int
tracefile_on_line(void *arg, const char *line, size_t len, uint64_t off)
{
	struct tracefile *tf = arg;
	char why[80];

	tf->line_no++;
	tf->read_lines++;
	if (tracefile_pretty_line(tf, line, len, off))
		return 0;
	if (line == NULL && len > TRACEFILE_MAX_LINE) {
		snprintf(why, sizeof why, "line of %zu bytes is longer than the "
		    "limit of %u MiB", len, TRACEFILE_MAX_LINE >> 20);
		tracefile_bad(tf, why);
	} else if (line == NULL)
		tracefile_index_fetched(tf, len, off);
	else
		tracefile_index_line(tf, line, len, off);
	return 0;
}

/* Whether the output so far makes tf a gzip bomb (then tf->bomb is
 * set).  Checked per piece of output (at most 256 KiB), before the lines
 * in it cost anything. */
static bool
tracefile_check_bomb(struct tracefile *tf)
{
	uint64_t out = gz_total_out(tf->gz);

	if (out > TRACEFILE_BOMB_MIN && out / TRACEFILE_BOMB_RATIO > tf->consumed)
		tf->bomb = true;
	return tf->bomb;
}

static int
tracefile_on_text(void *arg, const char *buf, size_t len)
{
	struct tracefile *tf = arg;

	if (tracefile_check_bomb(tf))
		return 1;
	if (lines_feed(tf->lines, buf, len, tracefile_on_line, tf) != 0)
		return 1;
	/* Enough lines or text for one read: gz stops, and the next read
	 * feeds on from gz_total_in(). */
	return tf->read_lines >= TRACEFILE_LINES_PER_READ ||
	    gz_total_out(tf->gz) >= tf->out_stop;
}

/* Fetch the next input bytes: from the file at the consumed offset, or
 * from standard input through its spool.  0 at end. */
static ssize_t
tracefile_input(struct tracefile *tf, size_t want, char **cause)
{
	ssize_t n;

	if (tf->spooled)
		return tracefile_stdin_input(tf, want, cause);
	do
		n = pread(tf->fd, tf->chunk, want, (off_t)tf->consumed);
	while (n == -1 && errno == EINTR);
	if (n == -1)
		*cause = xasprintf("cannot read %s: %s", tf->path, strerror(errno));
	return n;
}

/* Whether the bytes read last are still where they were. */
static bool
tracefile_last_same(struct tracefile *tf)
{
	unsigned char now[TRACEFILE_LAST];
	ssize_t n;

	if (tf->nlast == 0)
		return true;
	do
		n = pread(tf->fd, now, tf->nlast, (off_t)(tf->consumed - tf->nlast));
	while (n == -1 && errno == EINTR);
	return n == (ssize_t)tf->nlast && memcmp(now, tf->last, tf->nlast) == 0;
}

/* Remember the last bytes of what was just read (they end at consumed). */
static void
tracefile_keep_last(struct tracefile *tf, const unsigned char *p, size_t n)
{
	if (n >= TRACEFILE_LAST) {
		memcpy(tf->last, p + n - TRACEFILE_LAST, TRACEFILE_LAST);
		tf->nlast = TRACEFILE_LAST;
		return;
	}
	if (tf->nlast + n > TRACEFILE_LAST) {
		memmove(tf->last, tf->last + tf->nlast + n - TRACEFILE_LAST,
		    TRACEFILE_LAST - n);
		tf->nlast = TRACEFILE_LAST - n;
	}
	memcpy(tf->last + tf->nlast, p, n);
	tf->nlast += n;
}

/*
 * A followed file that was replaced cannot be resumed.  One that was
 * truncated and written again in place (logrotate's copytruncate) is
 * read again from its start: it is smaller than what was read, or, when
 * the new content already outgrew the read offset, the bytes read last
 * are no longer there (GNU tail -F says "file truncated" and does the
 * same; looking only at the size lost every span up to the old offset).
 */
static int
tracefile_check_same(struct tracefile *tf, char **cause)
{
	struct stat st;

	if (tf->spooled)
		return 0;
	if (!tf->by_fd && stat(tf->path, &st) == 0 &&
	    (st.st_dev != tf->dev || st.st_ino != tf->ino)) {
		*cause = xasprintf("%s was replaced while being read; "
		    "showing what was read before", tf->path);
		return -1;
	}
	if (fstat(tf->fd, &st) == 0) {
		if ((uint64_t)st.st_size < tf->consumed || (tf->by_fd == false &&
		    (uint64_t)st.st_size != tf->size && !tracefile_last_same(tf))) {
			*cause = xasprintf("%s was truncated; "
			    "reading it again from its start", tf->path);
			tf->rewritten = !tf->by_fd;
			if (tf->rewritten) {
				/* Its text is read again by a new reader; the
				 * descriptor goes when the hold ends. */
				tf->failed = true;
			} else {
				free(*cause);
				*cause = xasprintf("%s shrank while being read; "
				    "showing what was read before", tf->path);
			}
			return -1;
		}
		tf->size = (uint64_t)st.st_size;
	}
	return 0;
}

/* Input to read next.  Plain text goes to the lines in one piece per
 * input chunk: keep it as small as gz's pieces, for the line budget.
 * by_ratio (the two-thread read, whose decoding does not stop at
 * TRACEFILE_OUT_PER_READ): as much as decodes to TRACEFILE_OUT_PER_READ
 * at the file's ratio so far, or at deflate's worst before it is known. */
static size_t
tracefile_input_cap(const struct tracefile *tf, bool by_ratio)
{
	uint64_t in = gz_total_in(tf->gz), out = gz_total_out(tf->gz);

	if (gz_is_plain(tf->gz))
		return TRACEFILE_PLAIN_PIECE;
	if (!by_ratio)
		return TRACEFILE_CHUNK;
	return (size_t)(TRACEFILE_OUT_PER_READ /
	    (in >= RATIO_KNOWN_AFTER ? out / in + 1 : DEFLATE_MAX_RATIO));
}

/* A closed file that still is the same one, of the size read to: nothing
 * new, known without opening it again. */
static bool
tracefile_idle(const struct tracefile *tf)
{
	struct stat st;

	if (tf->fd != -1 || tf->spooled || tf->by_fd)
		return false;
	return stat(tf->path, &st) == 0 && st.st_dev == tf->dev && st.st_ino == tf->ino &&
	    (uint64_t)st.st_size == tf->size && tf->size == tf->consumed;
}

/* Feed n bytes of input just read to gz; -1 with *cause when decoding
 * stopped for good (a line budget stop is 0, with *stopped set). */
static int
tracefile_decode(struct tracefile *tf, size_t n, gz_out_fn on_text, void *arg,
    bool *stopped, char **cause)
{
	char *why;
	int rc;

	/* Atomic: the browser reads it for progress while a loader's
	 * reading thread, outside the gate, adds to it. */
	__atomic_store_n(&tf->consumed, tf->consumed + (uint64_t)n, __ATOMIC_RELAXED);
	tracefile_keep_last(tf, tf->chunk, n);
	tracefile_gz_lock(tf);
	rc = gz_feed(tf->gz, tf->chunk, n, on_text, arg, cause);
	tracefile_gz_unlock(tf);
	if (rc != -1)
		return 0;
	why = *cause;
	if (why == NULL && !tf->bomb) {
		/* Stopped at the line budget: the rest of this input is read
		 * again next time. */
		__atomic_store_n(&tf->consumed, gz_total_in(tf->gz), __ATOMIC_RELAXED);
		*stopped = true;
		return 0;
	}
	if (tf->bomb)
		*cause = xasprintf("%s: decompresses to over %d times its size (a gzip "
		    "bomb?); reading of this file stopped after %llu MiB", tf->path,
		    TRACEFILE_BOMB_RATIO, (unsigned long long)(gz_total_out(tf->gz) >> 20));
	else
		*cause = xasprintf("%s: %s; reading of this file stopped there",
		    tf->path, why ? why : "decoding failed");
	free(why);
	tf->failed = true;
	return -1;
}

/* The next input for one decode step: at most want bytes, and the
 * input cap. */
static ssize_t
tracefile_next_input(struct tracefile *tf, size_t want, bool by_ratio, char **cause)
{
	size_t cap = tracefile_input_cap(tf, by_ratio);
	ssize_t n;

	if (want > TRACEFILE_CHUNK)
		want = TRACEFILE_CHUNK;
	if (want > cap)
		want = cap;
	if ((n = tracefile_input(tf, want, cause)) == -1)
		tf->failed = true;
	return n;
}

/*
 * One slice: up to max_bytes of input, TRACEFILE_OUT_PER_READ of text and
 * TRACEFILE_LINES_PER_READ lines, parsed here as they are decoded.
 * Decoding stops at either budget and the input left is read again next
 * time, so input is read in whole chunks: a small file in one pread, not
 * one per 2 KiB (as when the input itself was cut to what could not
 * decode past the budget at deflate's worst ratio; 13 reads per file of
 * a 500-session directory).
 */
static int
tracefile_read_slice(struct tracefile *tf, size_t max_bytes, char **cause)
{
	size_t done = 0;
	bool stopped = false;
	ssize_t n;

	/* The text budget is tracefile_on_text's: it stops the decoding,
	 * and then stopped ends the slice. */
	tf->out_stop = gz_total_out(tf->gz) + TRACEFILE_OUT_PER_READ;
	while (done < max_bytes && !stopped) {
		if ((n = tracefile_next_input(tf, max_bytes - done, false, cause)) <= 0)
			return n == 0 ? 0 : -1;
		done += (size_t)n;
		if (tracefile_decode(tf, (size_t)n, tracefile_on_text, tf, &stopped,
		    cause) == -1)
			return -1;
	}
	return 1;
}

/*
 * A big file read to its end (TRACEFILE_ALL) runs on two threads: this one
 * reads and inflates, a second splits lines and parses, with a few blocks
 * of text queued between them (textq.c).  Inflate and parsing cost about
 * the same, so the read takes the longer of the two, not their sum.
 * While it runs the parsing thread owns the lines, the parser, the trace
 * and the bad-line list; this one owns gz and the input.  The one thing
 * both touch is gz's index of access points, which the parser reads to
 * fetch a long line back (tf->gz_lock).
 *
 * In a background load (tf->gate set, loader.h) the caller is inside the
 * gate; it leaves it while it inflates, and the parsing thread enters it
 * for each block, so the browser can look at the trace between blocks.
 */
/* Input left below which a thread is not worth starting. */
static uint64_t pipe_min_input = 4u << 20;
#define PIPE_BLOCKS 4
#define PIPE_BLOCK (512u * 1024)   /* text gathered before it is queued */
/* Input inflated at a time: 256 KiB of a trace is ~2 MiB of text, and
 * each of the queued blocks would be that big; 64 KiB keeps them near
 * PIPE_BLOCK (peak RSS of --list, SPEC §8). */
#define PIPE_INPUT (64u * 1024)
/* Blocks queued from which the inflating thread parses ahead. */
#define PIPE_BEHIND 2
static size_t pipe_behind = PIPE_BEHIND;

struct tracefile_pipe {
	struct tracefile *tf;
	struct textq *q;
	struct buf text;           /* decoded, not yet queued */
	uint64_t text_off;         /* stream offset of its first byte */
	struct spanprep *prep;     /* its lines parsed ahead */
	struct span_parser *parser; /* the inflating thread's own */
};

/* The gate of a background load, when there is one (tf->gate). */
static void
tracefile_gate_enter(struct tracefile *tf)
{
	if (tf->gate != NULL)
		gate_enter(tf->gate, false);
}

static void
tracefile_gate_leave(struct tracefile *tf)
{
	if (tf->gate != NULL)
		gate_leave(tf->gate);
}

/* The background load reading this file was asked to stop. */
static bool
tracefile_cancelled(struct tracefile *tf)
{
	return tf->gate != NULL && gate_cancelled(tf->gate);
}

static void *
tracefile_pipe_parse(void *arg)
{
	struct tracefile_pipe *p = arg;
	struct buf block = BUF_INIT;
	void *prep;

	while (textq_pop(p->q, &block, &prep)) {
		tracefile_gate_enter(p->tf);
		p->tf->prep = prep;
		lines_feed(p->tf->lines, block.p, block.len, tracefile_on_line, p->tf);
		p->tf->prep = NULL;
		tracefile_gate_leave(p->tf);
		textq_recycle(p->q, &block, prep);
	}
	buf_free(&block);
	return NULL;
}

static int
tracefile_pipe_on_text(void *arg, const char *buf, size_t len)
{
	struct tracefile_pipe *p = arg;

	if (tracefile_check_bomb(p->tf))
		return 1;
	buf_add(&p->text, buf, len);
	return 0;
}

/* Whether the parsing thread is behind: blocks wait for it. */
static bool
tracefile_pipe_behind(void *arg)
{
	struct tracefile_pipe *p = arg;

	return textq_depth(p->q) >= pipe_behind;
}

/*
 * Queue the decoded text once there is at_least of it.  Parsing costs
 * more than inflating, so the inflating thread would wait for room in
 * the queue.  Instead, while the parsing thread is behind, it parses
 * lines of this block itself and the parsing thread takes their spans
 * (spanprep.h): the two threads share the parsing as it goes, and both
 * stay busy.  (Parsing ahead only while the queue is full left the
 * inflating thread waiting a quarter of the time: the blocks it had
 * parsed sat behind four it had not.)
 */
static void
tracefile_pipe_flush(struct tracefile_pipe *p, size_t at_least)
{
	if (p->text.len == 0 || p->text.len < at_least)
		return;
	if (p->prep == NULL)
		p->prep = spanprep_new();
	spanprep_begin(p->prep, p->text.p, p->text.len, p->text_off);
	spanprep_parse(p->prep, p->parser, TRACEFILE_MAX_LINE, tracefile_pipe_behind, p);
	p->text_off += p->text.len;
	textq_push(p->q, &p->text, p->prep);
	p->prep = textq_reuse(p->q, &p->text);
}

void
tracefile_set_gate(struct tracefile *tf, struct gate *gate)
{
	tf->gate = gate;
}

void
tracefile_set_pipe_min(uint64_t bytes)
{
	pipe_min_input = bytes;
}

void
tracefile_set_pipe_behind(size_t blocks)
{
	pipe_behind = blocks;
}

uint64_t
tracefile_lines_ahead(const struct tracefile *tf)
{
	return tf->lines_ahead;
}

static bool
tracefile_pipe_worth(const struct tracefile *tf)
{
	struct stat st;

	if (tf->spooled || fstat(tf->fd, &st) == -1 || !S_ISREG(st.st_mode))
		return false;
	return (uint64_t)st.st_size >= tf->consumed &&
	    (uint64_t)st.st_size - tf->consumed >= pipe_min_input;
}

/* The whole rest of the file on two threads; 0 at its end, -1 as
 * tracefile_read; 1 when a second thread cannot be had (read on in
 * slices). */
static int
tracefile_read_piped(struct tracefile *tf, char **cause)
{
	struct tracefile_pipe p = { .tf = tf };
	pthread_t parser;
	bool stopped = false;
	ssize_t n;
	int rc = 0;

	/* Every byte decoded so far went to lines: the next starts here. */
	p.text_off = lines_offset(tf->lines) + lines_pending(tf->lines);
	p.q = textq_new(PIPE_BLOCKS, spanprep_free_tag);
	p.parser = span_parser_new();
	if (pthread_create(&parser, NULL, tracefile_pipe_parse, &p) != 0) {
		textq_free(p.q);
		span_parser_free(p.parser);
		return 1;
	}
	tracefile_gate_leave(tf);
	for (;;) {
		if (tracefile_cancelled(tf)) {
			rc = 1;
			break;
		}
		if ((n = tracefile_next_input(tf, PIPE_INPUT, true, cause)) <= 0) {
			rc = n == 0 ? 0 : -1;
			break;
		}
		if (tracefile_decode(tf, (size_t)n, tracefile_pipe_on_text, &p, &stopped,
		    cause) == -1) {
			rc = -1;
			break;
		}
		tracefile_pipe_flush(&p, PIPE_BLOCK);
	}
	/* What was decoded before an error is parsed all the same. */
	tracefile_pipe_flush(&p, 0);
	textq_close(p.q);
	pthread_join(parser, NULL);
	tracefile_gate_enter(tf);
	textq_free(p.q);
	spanprep_free(p.prep);
	span_parser_free(p.parser);
	buf_free(&p.text);
	return rc;
}

int
tracefile_read(struct tracefile *tf, struct span_parser *parser, struct trace *trace,
    size_t max_bytes, char **cause)
{
	int rc = 1;

	if (tf->failed)
		return 0;
	if (tracefile_idle(tf))
		return 0;
	if (tracefile_hold(tf, cause) == -1) {
		tf->failed = true;
		return -1;
	}
	if (tracefile_check_same(tf, cause) == -1) {
		tf->failed = true;
		tracefile_release(tf);
		return -1;
	}
	tf->parser = parser;
	tf->trace = trace;
	tf->chunk = xmalloc(TRACEFILE_CHUNK);
	tf->read_lines = 0;
	if (max_bytes == TRACEFILE_ALL && tracefile_pipe_worth(tf))
		rc = tracefile_read_piped(tf, cause);
	/* What is left of a file in a background load is read a slice at
	 * a time, each inside the gate: the browser waits for one slice at
	 * most.  (A cancelled piped read stops here too.) */
	if (tf->gate != NULL && max_bytes == TRACEFILE_ALL)
		max_bytes = TRACEFILE_GATED_SLICE;
	if (rc == 1 && !tracefile_cancelled(tf))
		rc = tracefile_read_slice(tf, max_bytes, cause);
	tf->parser = NULL;
	tf->trace = NULL;
	/* An idle reader keeps no input buffer: thousands of rows are. */
	free(tf->chunk);
	tf->chunk = NULL;
	if (rc != 1) {
		gz_trim(tf->gz);
		lines_trim(tf->lines);
	}
	tracefile_release(tf);
	return rc;
}

void
tracefile_finish(struct tracefile *tf, struct span_parser *parser, struct trace *trace)
{
	size_t n = lines_pending(tf->lines);
	uint64_t off = lines_offset(tf->lines);
	char *cause = NULL, *line = NULL;
	bool whole = false;

	if (tf->rewritten || (n == 0 && !tf->in_object))
		return;
	if (tracefile_hold(tf, &cause) == -1) {
		free(cause);
		return;
	}
	if (n > 0 && n <= TRACEFILE_MAX_LINE) {
		line = xmalloc(n);
		tracefile_gz_lock(tf);
		whole = gz_read_at(tf->fd, gz_index(tf->gz), off, line, n, &cause) == (long)n;
		tracefile_gz_unlock(tf);
	}
	tf->parser = parser;
	tf->trace = trace;
	if (tf->in_object) {
		/* The closing brace may be the file's last byte. */
		if (whole && tracefile_line_is(line, n, '}')) {
			tf->line_no++;
			tracefile_close_object(tf, off + n);
		} else {
			tf->in_object = false;
			tf->line_no = tf->object_line;
			tracefile_bad(tf, "a pretty-printed object starts here and never ends");
		}
	} else if (whole && span_parse_line(parser, line, n) > 0) {
		tf->line_no++;
		tracefile_index_line(tf, line, n, off);
	}
	tf->parser = NULL;
	tf->trace = NULL;
	tracefile_release(tf);
	free(cause);
	free(line);
}

char *
tracefile_line(struct tracefile *tf, uint64_t off, uint32_t len, char **cause)
{
	char *line;
	long got;

	if (tf->rewritten) {
		*cause = xasprintf("%s was rewritten after this span was read; its "
		    "text is gone", tf->path);
		return NULL;
	}
	if (tracefile_hold(tf, cause) == -1)
		return NULL;
	line = xmalloc((size_t)len + 1);
	if (tf->cache == NULL)
		tf->cache = gzcache_new(TRACEFILE_CACHE);
	tracefile_gz_lock(tf);
	got = gzcache_read(tf->cache, tf->fd, gz_index(tf->gz), off, line, len, cause);
	tracefile_gz_unlock(tf);
	tracefile_release(tf);
	if (got < 0) {
		free(line);
		return NULL;
	}
	if ((uint32_t)got != len) {
		*cause = xasprintf("%s: span text at offset %llu is no longer readable",
		    tf->path, (unsigned long long)off);
		free(line);
		return NULL;
	}
	line[len] = '\0';
	return line;
}

long
tracefile_read_on(struct tracefile *tf, uint64_t off, size_t min, struct buf *out,
    char **cause)
{
	const struct gz_index *idx;
	uint64_t end = off + min, total;
	size_t k;
	long got;

	if (tf->rewritten) {
		*cause = xasprintf("%s was rewritten after this span was read; its "
		    "text is gone", tf->path);
		return -1;
	}
	/* The index grows while a loader inflates: read it under its lock. */
	tracefile_gz_lock(tf);
	idx = gz_index(tf->gz);
	total = gz_total_out(tf->gz);
	if (!idx->plain && (k = gz_points_upto(idx, end)) > 0 &&
	    idx->points[k - 1].out != end)
		end = k < idx->npoints ? idx->points[k].out : total;
	if (end > total)
		end = total;
	if (end <= off || tracefile_hold(tf, cause) == -1) {
		tracefile_gz_unlock(tf);
		return end <= off ? 0 : -1;
	}
	buf_reserve(out, (size_t)(end - off));
	got = gz_read_at(tf->fd, idx, off, out->p + out->len, (size_t)(end - off), cause);
	tracefile_release(tf);
	tracefile_gz_unlock(tf);
	if (got > 0)
		out->len += (size_t)got;
	out->p[out->len] = '\0';
	return got;
}

bool
tracefile_rewritten(const struct tracefile *tf)
{
	return tf->rewritten;
}

const char *
tracefile_path(const struct tracefile *tf)
{
	return tf->path;
}

bool
tracefile_empty(const struct tracefile *tf)
{
	return !tf->failed && gz_total_out(tf->gz) == 0 && !gz_pending(tf->gz);
}

bool
tracefile_pending(const struct tracefile *tf)
{
	return gz_pending(tf->gz) || lines_pending(tf->lines) > 0;
}

uint64_t
tracefile_consumed(const struct tracefile *tf)
{
	return __atomic_load_n(&tf->consumed, __ATOMIC_RELAXED);
}

uint64_t
tracefile_size(const struct tracefile *tf)
{
	return tf->spooled ? tracefile_consumed(tf) : tf->size;
}

uint64_t
tracefile_bad_lines(const struct tracefile *tf)
{
	return tf->bad_lines;
}

const char *
tracefile_first_bad(const struct tracefile *tf)
{
	return tf->nbad > 0 ? tf->bad[0] : NULL;
}

size_t
tracefile_nbad_kept(const struct tracefile *tf)
{
	return tf->nbad;
}

const char *
tracefile_bad_line(const struct tracefile *tf, size_t i)
{
	return tf->bad[i];
}
