/* tracefile.c — indexing one trace file, following it, fetching lines back. */
#include "tracefile.h"

#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "buf.h"
#include "gz.h"
#include "gzcache.h"
#include "lines.h"
#include "span_parse.h"
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

struct tracefile {
	char *path;
	uint16_t index;
	int fd;              /* the file, or (a descriptor of) the stdin spool */
	bool spooled;        /* standard input, through the stdin spool */
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
	char *first_bad;
	bool failed;
	bool bomb;           /* reading stopped: it decompresses too far */
	uint64_t read_lines; /* lines delivered in this tracefile_read */
	/* A pretty-printed object being read (see tracefile_pretty_line). */
	bool in_object;
	uint64_t object_off;
	uint64_t object_line;
	unsigned char *chunk;
	/* Valid during one tracefile_read: where spans go. */
	struct span_parser *parser;
	struct trace *trace;
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
	bool eof;            /* stdin has ended */
} stdin_spool = { PTHREAD_MUTEX_INITIALIZER, -1, 0, false };

static int
tracefile_spool(char **cause)
{
	const char *dir = getenv("TMPDIR");
	char *path = xasprintf("%s/mcp-inspect-tui.XXXXXX", dir && *dir ? dir : "/tmp");
	int fd = mkstemp(path);

	if (fd == -1) {
		*cause = xasprintf("cannot create a temporary file in %s to hold standard input: %s",
		    dir && *dir ? dir : "/tmp", strerror(errno));
		free(path);
		return -1;
	}
	unlink(path);
	free(path);
	return fd;
}

/* A descriptor of the stdin spool for one tracefile (created on first use). */
static int
tracefile_stdin_fd(char **cause)
{
	int fd = -1;

	pthread_mutex_lock(&stdin_spool.lock);
	if (stdin_spool.fd == -1)
		stdin_spool.fd = tracefile_spool(cause);
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
		else if (pwrite(tf->fd, tf->chunk, (size_t)n, (off_t)at) != n) {
			*cause = xasprintf("cannot spool standard input: %s", strerror(errno));
			n = -1;
		} else
			stdin_spool.size += (uint64_t)n;
	}
	pthread_mutex_unlock(&stdin_spool.lock);
	return n;
}

static struct tracefile *
tracefile_new(const char *name, int fd, uint16_t index)
{
	struct tracefile *tf = xcalloc(1, sizeof *tf);

	tf->path = xstrdup(name);
	tf->index = index;
	tf->fd = fd;
	tf->gz = gz_new();
	tf->lines = lines_new(TRACEFILE_MAX_LINE);
	lines_set_hold(tf->lines, TRACEFILE_HOLD);
	tf->chunk = xmalloc(TRACEFILE_CHUNK);
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
	/* O_NONBLOCK: opening a pipe must not wait for a writer. */
	if ((fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK)) == -1) {
		*cause = xasprintf("cannot open %s: %s", path, strerror(errno));
		return NULL;
	}
	if (fstat(fd, &st) == -1 || !S_ISREG(st.st_mode)) {
		*cause = xasprintf("cannot read %s: %s", path,
		    S_ISDIR(st.st_mode) ? "is a directory" : !S_ISREG(st.st_mode) ?
		    "not a regular file (a pipe can be read as standard input, -)" :
		    strerror(errno));
		close(fd);
		return NULL;
	}
	tf = tracefile_new(path, fd, index);
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
	close(tf->fd);
	gz_free(tf->gz);
	gzcache_free(tf->cache);
	lines_free(tf->lines);
	free(tf->chunk);
	free(tf->first_bad);
	free(tf->path);
	free(tf);
}

static void
tracefile_bad(struct tracefile *tf, const char *why)
{
	tf->bad_lines++;
	trace_add_bad_lines(tf->trace, 1);
	if (tf->first_bad == NULL)
		tf->first_bad = xasprintf("%s:%llu: %s", tf->path,
		    (unsigned long long)tf->line_no, why);
}

static void
tracefile_index_line(struct tracefile *tf, const char *line, size_t len, uint64_t off)
{
	int n, i;

	n = span_parse_line(tf->parser, line, len);
	if (n < 0) {
		tracefile_bad(tf, span_parser_error(tf->parser));
		return;
	}
	for (i = 0; i < n; i++)
		trace_add(tf->trace, span_parser_span(tf->parser, i), tf->index, off,
		    len > UINT32_MAX ? UINT32_MAX : (uint32_t)len);
}

/* A line too long to have been held while it arrived: read it back from
 * the file, whose bytes up to the end of the line are all there. */
static void
tracefile_index_fetched(struct tracefile *tf, size_t len, uint64_t off)
{
	char *line = xmalloc(len ? len : 1), *cause = NULL, *why;
	long got;

	got = gz_read_at(tf->fd, gz_index(tf->gz), off, line, len, &cause);
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

static int
tracefile_on_text(void *arg, const char *buf, size_t len)
{
	struct tracefile *tf = arg;
	uint64_t out = gz_total_out(tf->gz);

	/* Checked per piece of output (at most 256 KiB), before the lines
	 * in it cost anything. */
	if (out > TRACEFILE_BOMB_MIN && out / TRACEFILE_BOMB_RATIO > tf->consumed) {
		tf->bomb = true;
		return 1;
	}
	if (lines_feed(tf->lines, buf, len, tracefile_on_line, tf) != 0)
		return 1;
	/* Enough lines for one read: gz stops, and the next read feeds on
	 * from gz_total_in(). */
	return tf->read_lines >= TRACEFILE_LINES_PER_READ;
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

/* A followed file that shrank or was replaced cannot be resumed. */
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
		if ((uint64_t)st.st_size < tf->consumed) {
			*cause = xasprintf("%s shrank while being read; "
			    "showing what was read before", tf->path);
			return -1;
		}
		tf->size = (uint64_t)st.st_size;
	}
	return 0;
}

/* Input to read next so that decoding it stays within
 * TRACEFILE_OUT_PER_READ: the file's ratio so far, or deflate's worst
 * before it is known.  Plain text has a ratio of 1. */
static size_t
tracefile_input_cap(const struct tracefile *tf)
{
	uint64_t in = gz_total_in(tf->gz), out = gz_total_out(tf->gz);
	uint64_t ratio = in >= RATIO_KNOWN_AFTER ? out / in + 1 : DEFLATE_MAX_RATIO;

	/* Plain text goes to the lines in one piece per input chunk: keep
	 * it as small as gz's pieces, for the line budget. */
	if (gz_is_plain(tf->gz))
		return TRACEFILE_PLAIN_PIECE;
	return (size_t)(TRACEFILE_OUT_PER_READ / ratio);
}

int
tracefile_read(struct tracefile *tf, struct span_parser *parser, struct trace *trace,
    size_t max_bytes, char **cause)
{
	uint64_t out0 = gz_total_out(tf->gz);
	size_t done = 0, want, cap;
	ssize_t n;
	int rc = 1;

	if (tf->failed)
		return 0;
	if (tracefile_check_same(tf, cause) == -1) {
		tf->failed = true;
		return -1;
	}
	tf->parser = parser;
	tf->trace = trace;
	tf->read_lines = 0;
	while (done < max_bytes) {
		if (gz_total_out(tf->gz) - out0 >= TRACEFILE_OUT_PER_READ)
			break; /* more next time (rc 1) */
		want = max_bytes - done < TRACEFILE_CHUNK ? max_bytes - done : TRACEFILE_CHUNK;
		if (want > (cap = tracefile_input_cap(tf)))
			want = cap;
		if ((n = tracefile_input(tf, want, cause)) == -1) {
			tf->failed = true;
			rc = -1;
			break;
		}
		if (n == 0) {
			rc = 0;
			break;
		}
		tf->consumed += (uint64_t)n;
		done += (size_t)n;
		if (gz_feed(tf->gz, tf->chunk, (size_t)n, tracefile_on_text, tf, cause) == -1) {
			char *why = *cause;

			if (why == NULL && !tf->bomb) {
				/* Stopped at the line budget: the rest of this
				 * input is read again next time. */
				tf->consumed = gz_total_in(tf->gz);
				break;
			}
			if (tf->bomb)
				*cause = xasprintf("%s: decompresses to over %d times its "
				    "size (a gzip bomb?); reading of this file stopped after "
				    "%llu MiB", tf->path, TRACEFILE_BOMB_RATIO,
				    (unsigned long long)(gz_total_out(tf->gz) >> 20));
			else
				*cause = xasprintf("%s: %s; reading of this file stopped there",
				    tf->path, why ? why : "decoding failed");
			free(why);
			tf->failed = true;
			rc = -1;
			break;
		}
	}
	tf->parser = NULL;
	tf->trace = NULL;
	return rc;
}

void
tracefile_finish(struct tracefile *tf, struct span_parser *parser, struct trace *trace)
{
	size_t n = lines_pending(tf->lines);
	uint64_t off = lines_offset(tf->lines);
	char *cause = NULL, *line = NULL;
	bool whole = false;

	if (n > 0 && n <= TRACEFILE_MAX_LINE) {
		line = xmalloc(n);
		whole = gz_read_at(tf->fd, gz_index(tf->gz), off, line, n, &cause) == (long)n;
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
	free(cause);
	free(line);
}

char *
tracefile_line(struct tracefile *tf, uint64_t off, uint32_t len, char **cause)
{
	char *line = xmalloc((size_t)len + 1);
	long got;

	if (tf->cache == NULL)
		tf->cache = gzcache_new(TRACEFILE_CACHE);
	got = gzcache_read(tf->cache, tf->fd, gz_index(tf->gz), off, line, len, cause);
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
	return tf->consumed;
}

uint64_t
tracefile_size(const struct tracefile *tf)
{
	return tf->spooled ? tf->consumed : tf->size;
}

uint64_t
tracefile_bad_lines(const struct tracefile *tf)
{
	return tf->bad_lines;
}

const char *
tracefile_first_bad(const struct tracefile *tf)
{
	return tf->first_bad;
}
