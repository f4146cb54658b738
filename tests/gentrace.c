/* SPDX-License-Identifier: MIT */
/*
 * gentrace — a deterministic generator of mcp-agent trace files, for the
 * demo data in data/, for tests and for the benchmarks of doc/reference.md §8.
 *
 *	gentrace demo DIR
 *	gentrace session N OUT [--format sdk|flat|otlp] [--members span|batch|one]
 *	    [--seed S]
 *	gentrace dir N DIR [--spans M] [--seed S]
 *
 * Files look like what the mcp-agent inspector's exporter writes: one line
 * per span in the order spans end (children before their parents, the
 * root last), in one of the three line formats of doc/reference.md §2, gzip files
 * made of many members.  Span trees imitate real mcp-agent workflows: a
 * root workflow, workflow steps, agents, LLM calls (the prompt, provider
 * and model on the generate_str parent, the response on the generate
 * child), tool calls, resource reads and prompts.  Text is drawn from a
 * vocabulary and conversations repeat their history, so big files
 * compress about as well as real ones (some 8:1), not absurdly better.
 *
 * The output is a pure function of the arguments: the only randomness is
 * a seeded splitmix64, time counts from fixed bases, and gzip members
 * carry mtime 0 and no name at a fixed level.  The same command line
 * always writes the same bytes, so `make data` leaves data/ unchanged
 * and benchmark runs compare like with like.  Output is streamed: a span
 * is formatted and written when it ends, and only the open ancestors of
 * the current span are held.
 */
#include <errno.h>
#include <inttypes.h>
#include <math.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#define ZLIB_CONST
#include <zlib.h>

#include "buf.h"
#include "text.h"
#include "xmalloc.h"

#define nitems(a) (sizeof (a) / sizeof (a)[0])

#define GZ_LEVEL	6		/* zlib's default; Python's 9 is slower, barely smaller */
#define BATCH_SPANS	512		/* the SDK BatchSpanProcessor's export size */
#define ARENA_SIZE	(1 << 20)	/* attribute text of one span */
#define MAX_ATTRS	40
#define MAX_EVENTS	2
#define MAX_TOOLS	6
#define HISTORY		5		/* messages an agent's prompt repeats */
#define STATE_CUT	(30 * 1024)	/* where the inspector truncates *_json values */
#define USEC		1000000LL

/* 2025-07-13T09:46:40Z: where `session` traces begin. */
#define SESSION_EPOCH	(1752400000LL * USEC)
/* 2025-07-01T08:00:00Z: where demo and `dir` sessions begin. */
#define DEMO_EPOCH	(1751356800LL * USEC)

static void die(const char *, ...) __attribute__((format(printf, 1, 2), noreturn));

static void
die(const char *fmt, ...)
{
	va_list ap;

	fputs("gentrace: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	exit(1);
}

/* splitmix64: tiny, fast, and the same sequence everywhere. */
struct rng {
	uint64_t	s;
};

static uint64_t
rng_next(struct rng *r)
{
	uint64_t z = (r->s += 0x9e3779b97f4a7c15ULL);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

/* Uniform in [0, n), n > 0. */
static uint32_t
rng_below(struct rng *r, uint32_t n)
{
	return (uint32_t)(((rng_next(r) >> 32) * n) >> 32);
}

/* Uniform in [lo, hi]. */
static long
rng_range(struct rng *r, long lo, long hi)
{
	if (hi <= lo)
		return lo;
	return lo + (long)rng_below(r, (uint32_t)(hi - lo + 1));
}

static bool
rng_chance(struct rng *r, unsigned percent)
{
	return rng_below(r, 100) < percent;
}

static const char *
rng_pick(struct rng *r, const char *const *v, size_t n)
{
	return v[rng_below(r, (uint32_t)n)];
}

#define PICK(r, v) rng_pick(r, v, nitems(v))

/*
 * Output: a plain file, or gzip made of members the way the inspector
 * appends them (one per span, per export batch, or just one).
 */
enum members { MEMBERS_SPAN, MEMBERS_BATCH, MEMBERS_ONE };

struct sink {
	FILE		*fp;
	char		*path;
	bool		 gzip;
	enum members	 members;
	z_stream	 z;
	bool		 in_member;
	unsigned	 member_spans;
	unsigned char	 out[1 << 16];
};

static void
sink_raw(struct sink *s, const void *p, size_t n)
{
	if (n != 0 && fwrite(p, 1, n, s->fp) != n)
		die("%s: %s", s->path, strerror(errno));
}

/* Without deflateSetHeader zlib writes mtime 0, no name, fixed flags. */
static struct sink *
sink_open(const char *path, bool gzip, enum members members)
{
	struct sink *s;
	FILE *fp = strcmp(path, "-") == 0 ? stdout : fopen(path, "wb");

	if (fp == NULL)
		die("%s: %s", path, strerror(errno));
	s = xcalloc(1, sizeof *s);
	s->fp = fp;
	s->path = xstrdup(path);
	s->gzip = gzip;
	s->members = members;
	if (gzip && deflateInit2(&s->z, GZ_LEVEL, Z_DEFLATED, 15 + 16, 8,
	    Z_DEFAULT_STRATEGY) != Z_OK)
		die("%s: deflateInit2 failed", path);
	return s;
}

static int
sink_deflate(struct sink *s, int flush)
{
	int ret;

	do {
		s->z.next_out = s->out;
		s->z.avail_out = sizeof s->out;
		ret = deflate(&s->z, flush);
		if (ret == Z_STREAM_ERROR)
			die("%s: deflate failed", s->path);
		sink_raw(s, s->out, sizeof s->out - s->z.avail_out);
	} while (s->z.avail_out == 0);
	return ret;
}

static void
sink_end_member(struct sink *s)
{
	if (!s->in_member)
		return;
	s->z.next_in = NULL;
	s->z.avail_in = 0;
	if (sink_deflate(s, Z_FINISH) != Z_STREAM_END)
		die("%s: deflate did not finish", s->path);
	deflateReset(&s->z);
	s->in_member = false;
	s->member_spans = 0;
}

/* Write p[0..n), which holds whole lines with spans spans in them. */
static void
sink_lines(struct sink *s, const char *p, size_t n, unsigned spans)
{
	if (!s->gzip) {
		sink_raw(s, p, n);
		return;
	}
	s->z.next_in = (const Bytef *)p;
	s->z.avail_in = (uInt)n;
	sink_deflate(s, Z_NO_FLUSH);
	s->in_member = true;
	s->member_spans += spans;
	if (s->members == MEMBERS_SPAN ||
	    (s->members == MEMBERS_BATCH && s->member_spans >= BATCH_SPANS))
		sink_end_member(s);
}

static void
sink_close(struct sink *s)
{
	if (s->gzip) {
		sink_end_member(s);
		deflateEnd(&s->z);
	}
	if (s->fp == stdout) {
		if (fflush(s->fp) != 0)
			die("%s: %s", s->path, strerror(errno));
	} else if (fclose(s->fp) != 0)
		die("%s: %s", s->path, strerror(errno));
	free(s->path);
	free(s);
}

/*
 * One span between its start and its emission.  Names and ids live in the
 * span itself because they are set when it starts; attribute text goes to
 * the arena only when the span ends, just before it is written, so one
 * arena serves every open span.
 */
enum role {
	ROLE_ROOT, ROLE_STEP, ROLE_AGENT, ROLE_LLM, ROLE_GENERATE, ROLE_TOOL,
	ROLE_RESOURCE, ROLE_PROMPT, ROLE_LIST_TOOLS, ROLE_SIGNAL,
};

enum kind { KIND_INTERNAL = 1, KIND_SERVER, KIND_CLIENT };

enum status { STATUS_UNSET, STATUS_OK, STATUS_ERROR };

enum vtype { V_STR, V_INT, V_FLOAT, V_BOOL, V_STRS };

struct attr {
	const char	*key;
	enum vtype	 type;
	const char	*s;	/* V_STR: n bytes; V_STRS: i strings, each NUL-ended */
	size_t		 n;
	int64_t		 i;	/* V_INT, V_BOOL, and V_STRS's count */
	double		 d;
};

struct event {
	const char	*name;
	int64_t		 ts;
	struct attr	 attrs[4];
	int		 nattrs;
};

struct span {
	enum role	 role;
	char		 id[32];
	char		 parent[32];	/* "" for a root */
	char		 name[128];
	enum kind	 kind;
	int64_t		 start, end;	/* µs since the epoch */
	bool		 ended;		/* false: no end_time (flat demo) */
	enum status	 status;
	const char	*desc;
	struct attr	 attrs[MAX_ATTRS];
	int		 nattrs;
	struct event	 events[MAX_EVENTS];
	int		 nevents;
	char		 link[32];	/* a linked span (a retry's failed try), or "" */
};

enum format { FORMAT_SDK, FORMAT_FLAT, FORMAT_OTLP };
enum outcome { OUTCOME_COMPLETED, OUTCOME_FAILED, OUTCOME_PAUSED, OUTCOME_RUNNING };
/* How prompts are encoded: doc/reference.md §6's four shapes, or a mix per agent. */
enum shape { SHAPE_MIXED, SHAPE_MCP, SHAPE_STRING, SHAPE_OPENAI, SHAPE_INSPECTOR };

/* Everything that decides one session file. */
struct plan {
	const char	*id;		/* session id */
	const char	*path;		/* the (base) file */
	enum format	 format;
	bool		 gzip;
	enum members	 members;
	int		 chunks;	/* rotated files after the base one */
	uint64_t	 seed;
	long		 spans;		/* spans in the whole tree */
	int64_t		 start;		/* µs since the epoch */
	const char	*app;		/* the root span's name */
	const char	*title;		/* mcp.session.title, or NULL */
	const char	*workflow_type;	/* mcp.workflow.type, or NULL */
	const char	*engine;	/* mcp.engine.type, or NULL */
	const char	*signal_prompt;	/* for OUTCOME_PAUSED */
	enum outcome	 outcome;
	enum shape	 shape;
	int		 scale;		/* text sizes, percent */
	bool		 rich;		/* show every kind of content block early */
	bool		 named_ids;	/* "span-1" ids (flat demo) */
	bool		 loose_times;	/* some times without fraction or zone, one without end */
	bool		 big_state;	/* a state value cut at 30 KB */
	bool		 hostile;	/* control sequences, NaN, a bad line */
	bool		 crlf;
};

struct arena {
	char		*p;
	size_t		 len;
};

struct agent_def {
	const char	*name;
	const char	*servers[2];
	const char	*instruction;
};

enum input { IN_URL, IN_PATH, IN_WRITE, IN_LIST, IN_QUERY, IN_REPO, IN_SQL, IN_SLACK };

struct tool_def {
	const char	*name;
	const char	*server;
	enum input	 input;
};

/* One tool call of the LLM turn being generated. */
struct call {
	const struct tool_def *tool;
	char		 id[40];
	char		 span_id[32];	/* of its span, for a retry's link */
	struct buf	 input;		/* JSON object */
	struct buf	 output;	/* text */
	bool		 error;		/* set beforehand: it is bound to fail */
};

/* An agent and the conversation its prompts repeat. */
struct agent {
	const struct agent_def *def;
	enum shape	 shape;
	const char	*provider;
	const char	*model;
	const char	*llm_class;
	struct buf	 history[HISTORY];	/* encoded messages, a ring */
	int		 nhistory;
	int		 turns;
};

struct gen {
	const struct plan *plan;
	struct rng	 rng;
	struct arena	 arena;
	struct sink	*sink;
	int		 chunk;		/* 0: the base file */
	long		 chunk_at[4];	/* emitted spans where chunk k + 1 begins */
	const char	*eol;
	char		 trace_id[40];
	const char	*wfname;	/* workflow name used in span names */
	int64_t		 now;
	long		 emitted;
	long		 limit;		/* stop after this many spans, or -1 */
	long		 trigger;	/* where a failure or a pause happens */
	long		 next_name;
	bool		 stopped;	/* nothing more is written */
	bool		 fatal;		/* an exception is unwinding */
	char		 fatal_msg[160];	/* "Type: text", the status description */
	const char	*fatal_type;
	const char	*fatal_text;
	long		 turns;		/* LLM turns so far */
	bool		 state_done;
	bool		 hostile_done;
	struct buf	 line;
	struct buf	 batch;		/* OTLP: spans waiting for their line */
	unsigned	 batch_spans;
	unsigned	 batch_max;
	struct buf	 resource;	/* resource attributes, preformatted */
	struct buf	 text;		/* scratch of the leaf helpers */
	struct buf	 json, prompt, user, reply;
	struct call	 calls[MAX_TOOLS];
};

/* Common words first: words are drawn with a bias to the front. */
static const char *const vocab[] = {
	"the", "of", "and", "to", "a", "in", "is", "for", "that", "with",
	"on", "as", "it", "this", "by", "are", "be", "from", "or", "an",
	"can", "which", "server", "model", "tool", "context", "protocol",
	"agent", "data", "request", "response", "client", "you", "we", "not",
	"when", "each", "all", "more", "use", "file", "resource", "prompt",
	"workflow", "results", "about", "these", "other", "their", "into",
	"also", "using", "such", "may", "how", "should", "user", "new",
	"information", "messages", "between", "first", "will", "support",
	"application", "example", "function", "value", "over", "then",
	"system", "access", "content", "local", "remote", "documentation",
	"integration", "servers", "clients", "tools", "provides", "standard",
	"open", "allows", "developers", "build", "secure", "connections",
	"sources", "language", "models", "large", "applications", "way",
	"like", "port", "devices", "connect", "various", "peripherals",
	"accessories", "standardized", "different", "ai", "help", "complex",
	"frequently", "need", "flexibility", "switch", "vendors", "best",
	"practices", "securing", "within", "your", "infrastructure", "general",
	"architecture", "core", "follows", "host", "multiple", "lightweight",
	"programs", "expose", "specific", "capabilities", "through",
	"computer", "databases", "services", "available", "internet", "apis",
	"query", "search", "issue", "pull", "branch", "commit", "review",
	"test", "failure", "error", "timeout", "retry", "latency", "cache",
	"index", "schema", "table", "column", "record", "customer", "order",
	"invoice", "refund", "payment", "ticket", "account", "policy",
	"report", "summary", "draft", "plan", "step", "task", "goal",
	"evaluate", "optimize", "route", "parallel", "fan", "aggregate",
	"score", "quality", "feedback", "revision", "approve", "reject",
	"signal", "human", "input", "wait", "resume", "pause", "session",
	"trace", "span", "attribute", "event", "export", "batch", "gzip",
	"stream", "chunk", "token", "usage", "budget", "cost", "price",
	"vector", "embedding", "retrieval", "document", "paragraph",
	"section", "heading", "markdown", "json", "yaml", "config", "secret",
	"environment", "deploy", "release", "version", "upgrade", "migration",
	"python", "async", "await", "loop", "thread", "process", "memory",
	"state", "history", "conversation", "assistant", "instruction",
	"careful", "quickly", "carefully", "however", "therefore", "because",
	"although", "meanwhile", "finally", "notably", "roughly", "exactly",
	"seventeen", "forty", "hundred", "thousand", "million", "percent",
	"january", "march", "july", "october", "monday", "friday", "morning",
	"evening", "london", "berlin", "tokyo", "toronto", "lisbon", "austin",
	"postgres", "sqlite", "redis", "kafka", "temporal", "docker",
	"kubernetes", "nginx", "linux", "terminal", "browser", "keyboard",
	"ocean", "mountain", "river", "forest", "garden", "coffee", "lemon",
	"orange", "violet", "crimson", "silver", "copper", "granite", "marble",
	"quantum", "entropy", "gradient", "tensor", "matrix", "kernel",
	"lattice", "photon", "neutron", "galaxy", "nebula", "comet", "orbit",
};

static const char *const hosts[] = {
	"modelcontextprotocol.io", "docs.anthropic.com", "github.com",
	"platform.openai.com", "en.wikipedia.org", "news.ycombinator.com",
	"arxiv.org", "example.com", "docs.python.org", "opentelemetry.io",
};

static const struct agent_def agent_defs[] = {
	{ "finder", { "fetch", "filesystem" },
	    "You are an agent with access to the filesystem, as well as the "
	    "ability to fetch URLs. Your job is to identify the closest match "
	    "to a user's request, make the appropriate tool calls, and return "
	    "the URI and CONTENTS of the closest match." },
	{ "researcher", { "fetch", "brave" },
	    "You are a research assistant. Search the web, read the most "
	    "relevant pages and report the facts you found with their "
	    "sources. Never invent a citation." },
	{ "writer", { "filesystem", NULL },
	    "You are a technical writer. Turn the notes you are given into "
	    "clear, well structured markdown and save it where you are told." },
	{ "critic", { "fetch", NULL },
	    "You review drafts for accuracy, clarity and tone. Grade the "
	    "draft as EXCELLENT, GOOD, FAIR or POOR and explain what to fix." },
	{ "coder", { "github", "filesystem" },
	    "You are a senior software engineer. Read the code, find the "
	    "cause of the reported problem and propose a minimal patch." },
	{ "analyst", { "sqlite", "filesystem" },
	    "You are a data analyst. Query the database, check the numbers "
	    "twice and summarise what they mean for the business." },
	{ "notifier", { "slack", NULL },
	    "You send short, friendly status updates to the right Slack "
	    "channel. Keep every message under three sentences." },
	{ "refunder", { "sqlite", "slack" },
	    "You handle refund requests. Look the order up, check the refund "
	    "policy, and ask a human to approve any refund over $100." },
};

static const struct tool_def tool_defs[] = {
	{ "fetch_fetch", "fetch", IN_URL },
	{ "filesystem_read_file", "filesystem", IN_PATH },
	{ "filesystem_write_file", "filesystem", IN_WRITE },
	{ "filesystem_list_directory", "filesystem", IN_LIST },
	{ "brave_web_search", "brave", IN_QUERY },
	{ "github_search_issues", "github", IN_QUERY },
	{ "github_get_file_contents", "github", IN_REPO },
	{ "sqlite_read_query", "sqlite", IN_SQL },
	{ "slack_post_message", "slack", IN_SLACK },
};

static const char *const anthropic_models[] = {
	"claude-3-5-sonnet-latest", "claude-3-7-sonnet-20250219",
	"claude-3-5-haiku-latest", "claude-sonnet-4-20250514",
};

static const char *const openai_models[] = {
	"gpt-4o", "gpt-4o-mini", "o3-mini", "gpt-4.1",
};

static const char *const tool_errors[] = {
	"McpError: Connection closed",
	"McpError: request timed out after 60.0 seconds",
	"McpError: Access denied - path outside allowed directories",
	"McpError: 429 Too Many Requests",
};

/* Raised by a tool call, an LLM call, or the workflow itself. */
static const char *const fatal_errors[][2] = {
	{ "TimeoutError", "tool call did not finish within 300 seconds" },
	{ "ValueError", "could not parse the model's structured output as JSON" },
	{ "anthropic.APIStatusError", "Error code: 529 - overloaded_error" },
	{ "openai.RateLimitError", "Error code: 429 - rate_limit_exceeded" },
	{ "RuntimeError", "planner returned an empty plan after 3 attempts" },
};
#define FATAL_TOOL_ERRORS	2
#define FATAL_ANTHROPIC_ERROR	2
#define FATAL_OPENAI_ERROR	3
#define FATAL_ROOT_ERROR	4

/* ---- time and ids ---- */

static void
civil_from_days(int64_t z, int *y, int *m, int *d)
{
	int64_t era, yy;
	unsigned doe, yoe, doy, mp;

	z += 719468;
	era = (z >= 0 ? z : z - 146096) / 146097;
	doe = (unsigned)(z - era * 146097);
	yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	yy = (int64_t)yoe + era * 400;
	doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	mp = (5 * doy + 2) / 153;
	*d = (int)(doy - (153 * mp + 2) / 5 + 1);
	*m = (int)(mp < 10 ? mp + 3 : mp - 9);
	*y = (int)(yy + (*m <= 2));
}

/* RFC 3339 UTC with microseconds, or (loose) whole seconds and no zone. */
static void
add_time(struct buf *b, int64_t us, bool loose)
{
	int64_t secs = us / USEC, days = secs / 86400, sod = secs % 86400;
	int y, m, d;

	civil_from_days(days, &y, &m, &d);
	buf_printf(b, "%04d-%02d-%02dT%02d:%02d:%02d", y, m, d,
	    (int)(sod / 3600), (int)(sod / 60 % 60), (int)(sod % 60));
	if (!loose)
		buf_printf(b, ".%06dZ", (int)(us % USEC));
}

static void
hex_id(struct rng *r, char *out, int digits)
{
	static const char hex[] = "0123456789abcdef";
	uint64_t v = 0;
	int i;

	for (i = 0; i < digits; i++) {
		if (i % 16 == 0)
			v = rng_next(r) | 1;
		out[i] = hex[v & 15];
		v >>= 4;
	}
	out[digits] = '\0';
}

static void
uuid_id(struct rng *r, char *out)
{
	char h[33];

	hex_id(r, h, 32);
	snprintf(out, 37, "%.8s-%.4s-4%.3s-a%.3s-%.12s", h, h + 8, h + 13,
	    h + 17, h + 20);
}

static void
base62_id(struct rng *r, char *out, const char *prefix, int digits)
{
	static const char alnum[] =
	    "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
	size_t n = strlen(prefix);
	int i;

	memcpy(out, prefix, n);
	for (i = 0; i < digits; i++)
		out[n + i] = alnum[rng_below(r, 62)];
	out[n + digits] = '\0';
}

/* ---- JSON output ---- */

/*
 * Append s[0..n) as a JSON string.  ascii escapes everything outside
 * printable ASCII as Python's json.dumps does by default (the SDK's
 * to_json and every *_json value the instrumentation writes); otherwise
 * UTF-8 stays raw, as in OTLP/JSON.
 */
static void
add_jstrn(struct buf *b, const char *s, size_t n, bool ascii)
{
	const unsigned char *u = (const unsigned char *)s;
	size_t i = 0, run, len;
	unsigned cp;

	if (!ascii) {
		buf_add_json_string(b, s, n);
		return;
	}
	buf_reserve(b, n + 2);
	buf_addc(b, '"');
	while (i < n) {
		for (run = i; run < n && u[run] >= 0x20 && u[run] < 0x7f &&
		    u[run] != '"' && u[run] != '\\'; run++)
			;
		if (run > i) {
			buf_add(b, s + i, run - i);
			i = run;
			continue;
		}
		switch (u[i]) {
		case '"': buf_adds(b, "\\\""); i++; continue;
		case '\\': buf_adds(b, "\\\\"); i++; continue;
		case '\n': buf_adds(b, "\\n"); i++; continue;
		case '\r': buf_adds(b, "\\r"); i++; continue;
		case '\t': buf_adds(b, "\\t"); i++; continue;
		case '\b': buf_adds(b, "\\b"); i++; continue;
		case '\f': buf_adds(b, "\\f"); i++; continue;
		}
		if (u[i] < 0x80) {
			buf_printf(b, "\\u%04x", u[i]);
			i++;
			continue;
		}
		len = utf8_decode(u + i, n - i, &cp);
		if (len == 0) {
			cp = 0xfffd;
			len = 1;
		}
		if (cp > 0xffff) {
			cp -= 0x10000;
			buf_printf(b, "\\u%04x\\u%04x", 0xd800 + (cp >> 10),
			    0xdc00 + (cp & 0x3ff));
		} else
			buf_printf(b, "\\u%04x", cp);
		i += len;
	}
	buf_addc(b, '"');
}

static void
add_jstr(struct buf *b, const char *s)
{
	add_jstrn(b, s, strlen(s), true);
}

/* Python's float repr: shortest round trip, ".0" on integers, NaN. */
static void
add_float(struct buf *b, double d)
{
	char s[40];
	int prec;

	if (isnan(d)) {
		buf_adds(b, "NaN");
		return;
	}
	if (isinf(d)) {
		buf_adds(b, d < 0 ? "-Infinity" : "Infinity");
		return;
	}
	for (prec = 1; prec <= 17; prec++) {
		snprintf(s, sizeof s, "%.*g", prec, d);
		if (strtod(s, NULL) == d)
			break;
	}
	buf_adds(b, s);
	if (strpbrk(s, ".en") == NULL)
		buf_adds(b, ".0");
}

/* ---- the arena and attributes ---- */

static const char *
arena_add(struct arena *a, const void *p, size_t n)
{
	char *s;

	if (n + 1 > ARENA_SIZE - a->len)
		die("internal error: a span's attributes exceed %d bytes", ARENA_SIZE);
	s = a->p + a->len;
	memcpy(s, p, n);
	s[n] = '\0';
	a->len += n + 1;
	return s;
}

static struct attr *
attr_new(struct span *sp, const char *key, enum vtype type)
{
	struct attr *a;

	if (sp->nattrs == MAX_ATTRS)
		die("internal error: span %s has too many attributes", sp->name);
	a = &sp->attrs[sp->nattrs++];
	memset(a, 0, sizeof *a);
	a->key = key;
	a->type = type;
	return a;
}

/* A string that outlives the span: a literal or a plan field. */
static void
attr_static(struct span *sp, const char *key, const char *s)
{
	struct attr *a = attr_new(sp, key, V_STR);

	a->s = s;
	a->n = strlen(s);
}

static void
attr_copy(struct gen *g, struct span *sp, const char *key, const char *s,
    size_t n)
{
	struct attr *a = attr_new(sp, key, V_STR);

	a->s = arena_add(&g->arena, s, n);
	a->n = n;
}

static void
attr_buf(struct gen *g, struct span *sp, const char *key, const struct buf *b)
{
	attr_copy(g, sp, key, buf_str(b), b->len);
}

static void
attr_int(struct span *sp, const char *key, int64_t i)
{
	attr_new(sp, key, V_INT)->i = i;
}

static void
attr_float(struct span *sp, const char *key, double d)
{
	attr_new(sp, key, V_FLOAT)->d = d;
}

static void
attr_bool(struct span *sp, const char *key, bool v)
{
	attr_new(sp, key, V_BOOL)->i = v;
}

static void
attr_strs(struct gen *g, struct span *sp, const char *key,
    const char *const *v, size_t n)
{
	struct attr *a = attr_new(sp, key, V_STRS);
	struct buf b = BUF_INIT;
	size_t i;

	for (i = 0; i < n; i++)
		buf_add(&b, v[i], strlen(v[i]) + 1);
	a->s = arena_add(&g->arena, buf_str(&b), b.len);
	a->n = b.len;
	a->i = (int64_t)n;
	buf_free(&b);
}

static struct event *
event_new(struct span *sp, const char *name, int64_t ts)
{
	struct event *e;

	if (sp->nevents == MAX_EVENTS)
		die("internal error: span %s has too many events", sp->name);
	e = &sp->events[sp->nevents++];
	memset(e, 0, sizeof *e);
	e->name = name;
	e->ts = ts;
	return e;
}

static void
event_attr(struct event *e, const char *key, const char *s)
{
	struct attr *a = &e->attrs[e->nattrs++];

	memset(a, 0, sizeof *a);
	a->key = key;
	a->type = V_STR;
	a->s = s;
	a->n = strlen(s);
}

/* ---- the three line formats ---- */

static void
add_value_python(struct buf *b, const struct attr *a)
{
	const char *s;
	int64_t i;

	switch (a->type) {
	case V_STR:
		add_jstrn(b, a->s, a->n, true);
		break;
	case V_INT:
		buf_printf(b, "%" PRId64, a->i);
		break;
	case V_FLOAT:
		add_float(b, a->d);
		break;
	case V_BOOL:
		buf_adds(b, a->i ? "true" : "false");
		break;
	case V_STRS:
		buf_addc(b, '[');
		for (i = 0, s = a->s; i < a->i; i++, s += strlen(s) + 1) {
			if (i > 0)
				buf_adds(b, ", ");
			add_jstr(b, s);
		}
		buf_addc(b, ']');
		break;
	}
}

static void
add_attrs_python(struct buf *b, const struct attr *attrs, int n)
{
	int i;

	buf_addc(b, '{');
	for (i = 0; i < n; i++) {
		if (i > 0)
			buf_adds(b, ", ");
		add_jstr(b, attrs[i].key);
		buf_adds(b, ": ");
		add_value_python(b, &attrs[i]);
	}
	buf_addc(b, '}');
}

static void
add_events_python(struct buf *b, const struct span *sp, bool loose)
{
	const struct event *e;
	int i;

	buf_addc(b, '[');
	for (i = 0; i < sp->nevents; i++) {
		e = &sp->events[i];
		if (i > 0)
			buf_adds(b, ", ");
		buf_adds(b, "{\"name\": ");
		add_jstr(b, e->name);
		buf_adds(b, ", \"timestamp\": \"");
		add_time(b, e->ts, loose);
		buf_adds(b, "\", \"attributes\": ");
		add_attrs_python(b, e->attrs, e->nattrs);
		buf_addc(b, '}');
	}
	buf_addc(b, ']');
}

static const char *
status_word(enum status st)
{
	switch (st) {
	case STATUS_OK:
		return "OK";
	case STATUS_ERROR:
		return "ERROR";
	default:
		return "UNSET";
	}
}

static void
add_status_python(struct buf *b, const struct span *sp)
{
	buf_printf(b, "{\"status_code\": \"%s\"", status_word(sp->status));
	if (sp->desc != NULL) {
		buf_adds(b, ", \"description\": ");
		add_jstr(b, sp->desc);
	}
	buf_addc(b, '}');
}

/* ReadableSpan.to_json(indent=None) of the OpenTelemetry Python SDK. */
static void
format_sdk(struct gen *g, const struct span *sp, struct buf *b)
{
	static const char *const kinds[] = { "", "INTERNAL", "SERVER", "CLIENT" };

	buf_adds(b, "{\"name\": ");
	add_jstr(b, sp->name);
	buf_printf(b, ", \"context\": {\"trace_id\": \"0x%s\", \"span_id\": "
	    "\"0x%s\", \"trace_state\": \"[]\"}, \"kind\": \"SpanKind.%s\", "
	    "\"parent_id\": ", g->trace_id, sp->id, kinds[sp->kind]);
	if (sp->parent[0] == '\0')
		buf_adds(b, "null");
	else
		buf_printf(b, "\"0x%s\"", sp->parent);
	buf_adds(b, ", \"start_time\": \"");
	add_time(b, sp->start, false);
	if (sp->ended) {
		buf_adds(b, "\", \"end_time\": \"");
		add_time(b, sp->end, false);
		buf_adds(b, "\", \"status\": ");
	} else
		buf_adds(b, "\", \"end_time\": null, \"status\": ");
	add_status_python(b, sp);
	buf_adds(b, ", \"attributes\": ");
	add_attrs_python(b, sp->attrs, sp->nattrs);
	buf_adds(b, ", \"events\": ");
	add_events_python(b, sp, false);
	buf_adds(b, ", \"links\": [");
	if (sp->link[0] != '\0')
		buf_printf(b, "{\"context\": {\"trace_id\": \"0x%s\", "
		    "\"span_id\": \"0x%s\", \"trace_state\": \"[]\"}, "
		    "\"attributes\": {\"mcp.link.reason\": \"retry\"}}",
		    g->trace_id, sp->link);
	buf_adds(b, "], \"resource\": ");
	buf_add(b, buf_str(&g->resource), g->resource.len);
	buf_addc(b, '}');
}

/*
 * The inspector docs' flat layout.  Every third span of a loose plan has
 * whole-second times with no zone.
 */
static void
format_flat(struct gen *g, const struct span *sp, struct buf *b)
{
	bool loose = g->plan->loose_times && g->emitted % 3 == 1;

	buf_printf(b, "{\"trace_id\": \"%s\", \"span_id\": ", g->trace_id);
	add_jstr(b, sp->id);
	if (sp->parent[0] != '\0') {
		buf_adds(b, ", \"parent_span_id\": ");
		add_jstr(b, sp->parent);
	}
	buf_adds(b, ", \"name\": ");
	add_jstr(b, sp->name);
	buf_adds(b, ", \"start_time\": \"");
	add_time(b, sp->start, loose);
	buf_addc(b, '"');
	if (sp->ended) {
		buf_adds(b, ", \"end_time\": \"");
		add_time(b, sp->end, loose);
		buf_addc(b, '"');
	}
	buf_adds(b, ", \"attributes\": ");
	add_attrs_python(b, sp->attrs, sp->nattrs);
	if (sp->nevents > 0) {
		buf_adds(b, ", \"events\": ");
		add_events_python(b, sp, loose);
	}
	if (sp->status != STATUS_UNSET) {
		buf_adds(b, ", \"status\": ");
		add_status_python(b, sp);
	}
	buf_addc(b, '}');
}

static void
add_value_otlp(struct buf *b, const struct attr *a)
{
	const char *s;
	int64_t i;

	switch (a->type) {
	case V_STR:
		buf_adds(b, "{\"stringValue\":");
		add_jstrn(b, a->s, a->n, false);
		buf_addc(b, '}');
		break;
	case V_INT:
		buf_printf(b, "{\"intValue\":\"%" PRId64 "\"}", a->i);
		break;
	case V_FLOAT:
		buf_adds(b, "{\"doubleValue\":");
		add_float(b, a->d);
		buf_addc(b, '}');
		break;
	case V_BOOL:
		buf_printf(b, "{\"boolValue\":%s}", a->i ? "true" : "false");
		break;
	case V_STRS:
		buf_adds(b, "{\"arrayValue\":{\"values\":[");
		for (i = 0, s = a->s; i < a->i; i++, s += strlen(s) + 1) {
			if (i > 0)
				buf_addc(b, ',');
			buf_adds(b, "{\"stringValue\":");
			add_jstrn(b, s, strlen(s), false);
			buf_addc(b, '}');
		}
		buf_adds(b, "]}}");
		break;
	}
}

static void
add_attrs_otlp(struct buf *b, const struct attr *attrs, int n)
{
	int i;

	buf_addc(b, '[');
	for (i = 0; i < n; i++) {
		if (i > 0)
			buf_addc(b, ',');
		buf_adds(b, "{\"key\":");
		add_jstrn(b, attrs[i].key, strlen(attrs[i].key), false);
		buf_adds(b, ",\"value\":");
		add_value_otlp(b, &attrs[i]);
		buf_addc(b, '}');
	}
	buf_addc(b, ']');
}

/* One element of an OTLP/JSON "spans" array, as the Collector writes it. */
static void
format_otlp_span(struct gen *g, const struct span *sp, struct buf *b)
{
	const struct event *e;
	int i;

	buf_printf(b, "{\"traceId\":\"%s\",\"spanId\":\"%s\",\"parentSpanId\":"
	    "\"%s\",\"flags\":256,\"name\":", g->trace_id, sp->id, sp->parent);
	add_jstrn(b, sp->name, strlen(sp->name), false);
	buf_printf(b, ",\"kind\":%d,\"startTimeUnixNano\":\"%" PRId64 "000\"",
	    (int)sp->kind, sp->start);
	if (sp->ended)
		buf_printf(b, ",\"endTimeUnixNano\":\"%" PRId64 "000\"", sp->end);
	buf_adds(b, ",\"attributes\":");
	add_attrs_otlp(b, sp->attrs, sp->nattrs);
	if (sp->nevents > 0) {
		buf_adds(b, ",\"events\":[");
		for (i = 0; i < sp->nevents; i++) {
			e = &sp->events[i];
			if (i > 0)
				buf_addc(b, ',');
			buf_printf(b, "{\"timeUnixNano\":\"%" PRId64 "000\","
			    "\"name\":", e->ts);
			add_jstrn(b, e->name, strlen(e->name), false);
			buf_adds(b, ",\"attributes\":");
			add_attrs_otlp(b, e->attrs, e->nattrs);
			buf_addc(b, '}');
		}
		buf_addc(b, ']');
	}
	if (sp->link[0] != '\0')
		buf_printf(b, ",\"links\":[{\"traceId\":\"%s\",\"spanId\":\"%s\","
		    "\"attributes\":[{\"key\":\"mcp.link.reason\",\"value\":"
		    "{\"stringValue\":\"retry\"}}],\"flags\":256}]",
		    g->trace_id, sp->link);
	switch (sp->status) {
	case STATUS_UNSET:
		buf_adds(b, ",\"status\":{}}");
		break;
	case STATUS_OK:
		buf_adds(b, ",\"status\":{\"code\":1}}");
		break;
	case STATUS_ERROR:
		buf_adds(b, ",\"status\":{\"message\":");
		add_jstrn(b, sp->desc, strlen(sp->desc), false);
		buf_adds(b, ",\"code\":2}}");
		break;
	}
}

static void
otlp_flush(struct gen *g)
{
	struct buf *b = &g->line;

	if (g->batch_spans == 0)
		return;
	buf_reset(b);
	buf_adds(b, "{\"resourceSpans\":[{\"resource\":{\"attributes\":");
	buf_add(b, buf_str(&g->resource), g->resource.len);
	buf_adds(b, "},\"scopeSpans\":[{\"scope\":{\"name\":\"mcp-agent\"},"
	    "\"spans\":[");
	buf_add(b, buf_str(&g->batch), g->batch.len);
	buf_adds(b, "]}]}]}");
	buf_adds(b, g->eol);
	sink_lines(g->sink, b->p, b->len, g->batch_spans);
	buf_reset(&g->batch);
	g->batch_spans = 0;
	g->batch_max = (unsigned)rng_range(&g->rng, 2, 8);
}

/* Resource attributes as the SDK sets them, with the inspector's session.id. */
static void
resource_init(struct gen *g)
{
	const struct plan *p = g->plan;
	struct span tmp;
	const char *service = strchr(p->app, '.') != NULL ? "mcp_agent_app" : p->app;

	memset(&tmp, 0, sizeof tmp);
	attr_static(&tmp, "telemetry.sdk.language", "python");
	attr_static(&tmp, "telemetry.sdk.name", "opentelemetry");
	attr_static(&tmp, "telemetry.sdk.version", "1.33.1");
	attr_static(&tmp, "service.name", service);
	attr_static(&tmp, "service.instance.id", p->id);
	attr_static(&tmp, "service.version", "0.1.7");
	attr_static(&tmp, "session.id", p->id);
	buf_reset(&g->resource);
	if (p->format == FORMAT_OTLP)
		add_attrs_otlp(&g->resource, tmp.attrs, tmp.nattrs);
	else {
		buf_adds(&g->resource, "{\"attributes\": ");
		add_attrs_python(&g->resource, tmp.attrs, tmp.nattrs);
		buf_adds(&g->resource, ", \"schema_url\": \"\"}");
	}
}

/* ---- writing spans ---- */

static char *
chunk_path(const char *base, int k)
{
	size_t n = strlen(base);

	if (n > 3 && strcmp(base + n - 3, ".gz") == 0)
		n -= 3;
	return xasprintf("%.*s.chunk_%d.jsonl.gz", (int)n, base, k);
}

/* The exporter rotated the file: later spans go to the next chunk. */
static void
rotate(struct gen *g)
{
	char *path;

	otlp_flush(g);
	sink_close(g->sink);
	g->chunk++;
	path = chunk_path(g->plan->path, g->chunk);
	g->sink = sink_open(path, true, g->plan->members);
	free(path);
}

/* Deliberately broken input for the safety tests: doc/reference.md §2's bad line. */
static void
write_bad_line(struct gen *g)
{
	struct buf *b = &g->line;

	buf_reset(b);
	buf_adds(b, "{\"name\": \"half a span\", \"context\": {\"trace_id\": ");
	buf_adds(b, g->eol);
	buf_adds(b, g->eol);
	sink_lines(g->sink, b->p, b->len, 1);
}

static void decorate(struct gen *, struct span *);

static void
emit(struct gen *g, struct span *sp)
{
	if (g->stopped) {
		g->arena.len = 0;
		return;
	}
	decorate(g, sp);
	if (g->plan->format == FORMAT_OTLP) {
		if (g->batch_spans > 0)
			buf_addc(&g->batch, ',');
		format_otlp_span(g, sp, &g->batch);
		if (++g->batch_spans >= g->batch_max)
			otlp_flush(g);
	} else {
		buf_reset(&g->line);
		if (g->plan->format == FORMAT_SDK)
			format_sdk(g, sp, &g->line);
		else
			format_flat(g, sp, &g->line);
		buf_adds(&g->line, g->eol);
		sink_lines(g->sink, g->line.p, g->line.len, 1);
	}
	g->arena.len = 0;
	g->emitted++;
	if (g->plan->hostile && g->emitted == 3)
		write_bad_line(g);
	if (g->limit >= 0 && g->emitted >= g->limit)
		g->stopped = true;
	if (g->chunk < g->plan->chunks && g->emitted == g->chunk_at[g->chunk])
		rotate(g);
}

static bool
live(const struct gen *g)
{
	return !g->stopped && !g->fatal;
}

static void span_begin(struct gen *, struct span *, const struct span *,
    enum role, enum kind, const char *, ...) __attribute__((format(printf, 6, 7)));

static void
span_begin(struct gen *g, struct span *sp, const struct span *parent,
    enum role role, enum kind kind, const char *fmt, ...)
{
	va_list ap;

	memset(sp, 0, sizeof *sp);
	sp->role = role;
	sp->kind = kind;
	if (g->plan->named_ids)
		snprintf(sp->id, sizeof sp->id, "span-%ld", ++g->next_name);
	else
		hex_id(&g->rng, sp->id, 16);
	if (parent != NULL)
		memcpy(sp->parent, parent->id, sizeof sp->parent);
	va_start(ap, fmt);
	vsnprintf(sp->name, sizeof sp->name, fmt, ap);
	va_end(ap);
	g->now += rng_range(&g->rng, 40, 1500);
	sp->start = g->now;
	sp->ended = true;
}

/*
 * End a span: an unwinding exception marks it failed the way the SDK's
 * start_as_current_span records it (status and an "exception" event).
 */
static void
span_end(struct gen *g, struct span *sp)
{
	struct event *e;

	g->now += rng_range(&g->rng, 20, 900);
	sp->end = g->now;
	if (g->fatal) {
		sp->status = STATUS_ERROR;
		sp->desc = g->fatal_msg;
		e = event_new(sp, "exception", sp->end);
		event_attr(e, "exception.type", g->fatal_type);
		event_attr(e, "exception.message", g->fatal_text);
		event_attr(e, "exception.stacktrace",
		    "Traceback (most recent call last):\n"
		    "  File \"/app/.venv/lib/python3.12/site-packages/opentelemetry/"
		    "trace/__init__.py\", line 589, in use_span\n    yield span\n"
		    "  File \"/app/.venv/lib/python3.12/site-packages/mcp_agent/"
		    "workflows/llm/augmented_llm.py\", line 246, in "
		    "generate\n    result = await self.executor.execute(task)\n");
		event_attr(e, "exception.escaped", "False");
	}
}

/* ---- text ---- */

static const char *
vocab_word(struct rng *r)
{
	uint64_t v = rng_next(r);
	uint64_t a = v & 0x1fffff, b = (v >> 21) & 0x1fffff, c = v >> 42;

	/* A product of uniforms favours the front, roughly like Zipf. */
	return vocab[(((a * b) >> 21) * c >> 22) * nitems(vocab) >> 21];
}

static void
add_sentence(struct rng *r, struct buf *b)
{
	long n = rng_range(r, 5, 17), i;
	const char *w;

	for (i = 0; i < n; i++) {
		w = vocab_word(r);
		if (i == 0) {
			buf_addc(b, (char)(w[0] - 'a' + 'A'));
			buf_adds(b, w + 1);
		} else {
			buf_addc(b, ' ');
			buf_adds(b, w);
		}
		if (i + 1 < n && rng_chance(r, 7))
			buf_addc(b, ',');
	}
	if (rng_chance(r, 6))
		buf_printf(b, " (see https://%s/%s/%s)", PICK(r, hosts),
		    vocab_word(r), vocab_word(r));
	else if (rng_chance(r, 5))
		buf_printf(b, " in %ld of %ld cases", rng_range(r, 2, 99),
		    rng_range(r, 100, 999));
	buf_addc(b, '.');
}

/* About len bytes of paragraphs. */
static void
add_prose(struct rng *r, struct buf *b, long len)
{
	size_t end = b->len + (size_t)(len > 0 ? len : 1);

	while (b->len < end) {
		add_sentence(r, b);
		if (b->len < end)
			buf_adds(b, rng_chance(r, 20) ? "\n\n" : " ");
	}
}

static long
scaled(struct gen *g, long lo, long hi)
{
	return rng_range(&g->rng, lo, hi) * g->plan->scale / 100;
}

static void
add_base64(struct rng *r, struct buf *b, size_t raw)
{
	static const char b64[] =
	    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
	static const unsigned char png[] = {
		0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n', 0, 0, 0, 13,
		'I', 'H', 'D', 'R', 0, 0, 1, 0, 0, 0, 0, 0xc0, 8, 6, 0, 0, 0,
	};
	unsigned char in[3];
	size_t i, k;

	/* A PNG signature and header, then noise: it is only ever counted. */
	for (i = 0; i < raw; i += 3) {
		for (k = 0; k < 3; k++)
			in[k] = i + k < sizeof png ? png[i + k] :
			    (unsigned char)rng_next(r);
		buf_addc(b, b64[in[0] >> 2]);
		buf_addc(b, b64[((in[0] & 3) << 4) | (in[1] >> 4)]);
		buf_addc(b, b64[((in[1] & 15) << 2) | (in[2] >> 6)]);
		buf_addc(b, b64[in[2] & 63]);
	}
}

/* ---- tools ---- */

static const struct tool_def *
pick_tool(struct gen *g, const struct agent_def *def)
{
	const struct tool_def *fit[nitems(tool_defs)];
	size_t i, n = 0;

	for (i = 0; i < nitems(tool_defs); i++) {
		if ((def->servers[0] != NULL &&
		    strcmp(tool_defs[i].server, def->servers[0]) == 0) ||
		    (def->servers[1] != NULL &&
		    strcmp(tool_defs[i].server, def->servers[1]) == 0))
			fit[n++] = &tool_defs[i];
	}
	return fit[rng_below(&g->rng, (uint32_t)n)];
}

static void
tool_input(struct gen *g, const struct tool_def *t, struct buf *b)
{
	struct rng *r = &g->rng;

	buf_reset(b);
	switch (t->input) {
	case IN_URL:
		buf_printf(b, "{\"url\": \"https://%s/%s/%s\", \"max_length\": 5000}",
		    PICK(r, hosts), vocab_word(r), vocab_word(r));
		break;
	case IN_PATH:
	case IN_LIST:
		buf_printf(b, "{\"path\": \"/workspace/%s/%s%s\"}", vocab_word(r),
		    vocab_word(r), t->input == IN_PATH ? ".md" : "");
		break;
	case IN_WRITE:
		buf_printf(b, "{\"path\": \"/workspace/out/%s.md\", \"content\": ",
		    vocab_word(r));
		buf_reset(&g->text);
		add_prose(r, &g->text, scaled(g, 200, 900));
		add_jstrn(b, g->text.p, g->text.len, true);
		buf_addc(b, '}');
		break;
	case IN_QUERY:
		buf_printf(b, "{\"query\": \"%s %s %s\", \"count\": 10}",
		    vocab_word(r), vocab_word(r), vocab_word(r));
		break;
	case IN_REPO:
		buf_printf(b, "{\"owner\": \"lastmile-ai\", \"repo\": \"mcp-agent\", "
		    "\"path\": \"src/mcp_agent/%s/%s.py\"}", vocab_word(r),
		    vocab_word(r));
		break;
	case IN_SQL:
		buf_printf(b, "{\"query\": \"SELECT id, status, amount FROM %ss "
		    "WHERE %s = '%s' ORDER BY id DESC LIMIT %ld\"}", vocab_word(r),
		    vocab_word(r), vocab_word(r), rng_range(r, 5, 50));
		break;
	case IN_SLACK:
		buf_printf(b, "{\"channel\": \"#%s\", \"text\": ", vocab_word(r));
		buf_reset(&g->text);
		add_sentence(r, &g->text);
		add_jstrn(b, g->text.p, g->text.len, true);
		buf_addc(b, '}');
		break;
	}
}

static void
tool_output(struct gen *g, const struct tool_def *t, struct buf *b)
{
	struct rng *r = &g->rng;
	long i, n;

	buf_reset(b);
	switch (t->input) {
	case IN_LIST:
		n = rng_range(r, 3, 25);
		for (i = 0; i < n; i++)
			buf_printf(b, "%s %s_%s.%s\n", rng_chance(r, 25) ?
			    "[DIR]" : "[FILE]", vocab_word(r), vocab_word(r),
			    rng_chance(r, 50) ? "md" : "py");
		break;
	case IN_SQL:
		n = rng_range(r, 1, 30);
		buf_adds(b, "id,status,amount\n");
		for (i = 0; i < n; i++)
			buf_printf(b, "%ld,%s,%ld.%02ld\n", rng_range(r, 1000, 99999),
			    vocab_word(r), rng_range(r, 1, 900), rng_range(r, 0, 99));
		break;
	case IN_WRITE:
	case IN_SLACK:
		buf_printf(b, "Successfully %s (%ld bytes)",
		    t->input == IN_WRITE ? "wrote the file" : "posted the message",
		    rng_range(r, 80, 4000));
		break;
	case IN_URL:
		buf_printf(b, "Contents of https://%s/%s:\n# %s %s\n\n", PICK(r, hosts),
		    vocab_word(r), vocab_word(r), vocab_word(r));
		add_prose(r, b, scaled(g, 400, 3000));
		break;
	default:
		add_prose(r, b, scaled(g, 300, 1800));
		break;
	}
}

/* Whether the call about to be made is the one that fails the session. */
static bool
fails_session(struct gen *g)
{
	return g->plan->outcome == OUTCOME_FAILED && g->emitted >= g->trigger &&
	    !g->fatal;
}

/* Raise fatal_errors[e]: every open span ends with it as it unwinds. */
static void
raise_fatal(struct gen *g, size_t e)
{
	g->fatal = true;
	g->fatal_type = fatal_errors[e][0];
	g->fatal_text = fatal_errors[e][1];
	snprintf(g->fatal_msg, sizeof g->fatal_msg, "%s: %s", g->fatal_type,
	    g->fatal_text);
}

static void
gen_tool(struct gen *g, const struct agent *a, const struct span *parent,
    struct call *c, const char *retry_of)
{
	struct span sp;
	struct buf *b = &g->json;

	span_begin(g, &sp, parent, ROLE_TOOL, KIND_INTERNAL,
	    "Agent.%s.call_tool", a->def->name);
	memcpy(c->span_id, sp.id, sizeof c->span_id);
	if (retry_of != NULL)
		memcpy(sp.link, retry_of, sizeof sp.link);
	tool_output(g, c->tool, &c->output);
	g->now += rng_range(&g->rng, 30000, 2500000);
	c->error = retry_of == NULL && (c->error || rng_chance(&g->rng, 2));
	if (fails_session(g))
		raise_fatal(g, rng_below(&g->rng, FATAL_TOOL_ERRORS));
	if (c->error && !g->fatal) {
		sp.status = STATUS_ERROR;
		sp.desc = PICK(&g->rng, tool_errors);
		buf_reset(&c->output);
		buf_adds(&c->output, sp.desc);
	} else if (!g->fatal)
		sp.status = STATUS_OK;
	span_end(g, &sp);
	attr_static(&sp, "mcp.tool.name", c->tool->name);
	attr_static(&sp, "mcp.server.name", c->tool->server);
	attr_static(&sp, "mcp.agent.name", a->def->name);
	attr_buf(g, &sp, "mcp.tool.input_json", &c->input);
	if (!g->fatal) {
		buf_reset(b);
		buf_adds(b, "{\"content\": [{\"type\": \"text\", \"text\": ");
		add_jstrn(b, c->output.p, c->output.len, true);
		buf_printf(b, "}], \"isError\": %s}", c->error ? "true" : "false");
		attr_buf(g, &sp, "mcp.tool.output_json", b);
	}
	emit(g, &sp);
}

/* ---- prompts and responses in the four shapes ---- */

static void
add_text_block(struct buf *b, const char *s, size_t n)
{
	buf_adds(b, "{\"type\": \"text\", \"text\": ");
	add_jstrn(b, s, n, true);
	buf_addc(b, '}');
}

/* History keeps a tool's result, but not all of a long one. */
static size_t
history_len(const struct buf *b)
{
	return b->len < 1000 ? b->len : 1000;
}

/* The new user message of a turn, with any image or resource block. */
static void
add_user_message(struct gen *g, const struct agent *a, struct buf *b,
    bool image, bool resource)
{
	struct rng *r = &g->rng;

	if (a->shape != SHAPE_MCP) {
		buf_adds(b, "{\"role\": \"user\", \"content\": ");
		add_jstrn(b, g->user.p, g->user.len, true);
		buf_addc(b, '}');
		return;
	}
	buf_adds(b, "{\"role\": \"user\", \"content\": [");
	add_text_block(b, g->user.p, g->user.len);
	if (image) {
		buf_adds(b, ", {\"type\": \"image\", \"mimeType\": \"image/png\", "
		    "\"data\": \"");
		add_base64(r, b, g->plan->rich ? 2400 : 6000);
		buf_adds(b, "\"}");
	}
	if (resource) {
		buf_printf(b, ", {\"type\": \"resource\", \"resource\": {\"uri\": "
		    "\"file:///workspace/notes/%s.md\", \"mimeType\": "
		    "\"text/markdown\", \"text\": ", vocab_word(r));
		buf_reset(&g->text);
		add_prose(r, &g->text, scaled(g, 300, 1200));
		add_jstrn(b, g->text.p, g->text.len, true);
		buf_adds(b, "}}");
	}
	buf_addc(b, ']');
	buf_addc(b, '}');
}

static void
add_tool_use(struct buf *b, const struct call *c)
{
	buf_printf(b, "{\"type\": \"tool_use\", \"id\": \"%s\", \"name\": \"%s\", "
	    "\"input\": ", c->id, c->tool->name);
	buf_add(b, c->input.p, c->input.len);
	buf_addc(b, '}');
}

static void
add_openai_tool_call(struct buf *b, const struct call *c)
{
	buf_printf(b, "{\"id\": \"%s\", \"type\": \"function\", \"function\": "
	    "{\"name\": \"%s\", \"arguments\": ", c->id, c->tool->name);
	add_jstrn(b, c->input.p, c->input.len, true);
	buf_adds(b, "}}");
}

/* The assistant's message of a turn, without its closing brace. */
static void
add_assistant_fields(struct gen *g, const struct agent *a, struct buf *b,
    int ncalls)
{
	int i;

	buf_adds(b, "{\"role\": \"assistant\", \"content\": ");
	switch (a->shape) {
	case SHAPE_MCP:
		buf_addc(b, '[');
		add_text_block(b, g->reply.p, g->reply.len);
		for (i = 0; i < ncalls; i++) {
			buf_adds(b, ", ");
			add_tool_use(b, &g->calls[i]);
		}
		buf_addc(b, ']');
		break;
	case SHAPE_OPENAI:
		add_jstrn(b, g->reply.p, g->reply.len, true);
		if (ncalls > 0) {
			buf_adds(b, ", \"tool_calls\": [");
			for (i = 0; i < ncalls; i++) {
				if (i > 0)
					buf_adds(b, ", ");
				add_openai_tool_call(b, &g->calls[i]);
			}
			buf_addc(b, ']');
		}
		break;
	default:
		add_jstrn(b, g->reply.p, g->reply.len, true);
		break;
	}
}

static void
add_assistant_message(struct gen *g, const struct agent *a, struct buf *b,
    int ncalls)
{
	add_assistant_fields(g, a, b, ncalls);
	buf_addc(b, '}');
}

/* Tool results as the next message(s) of the conversation. */
static void
add_tool_results(struct gen *g, const struct agent *a, struct buf *b,
    int ncalls)
{
	const struct call *c;
	int i;

	if (a->shape == SHAPE_MCP)
		buf_adds(b, "{\"role\": \"user\", \"content\": [");
	for (i = 0; i < ncalls; i++) {
		c = &g->calls[i];
		if (i > 0)
			buf_adds(b, ", ");
		switch (a->shape) {
		case SHAPE_MCP:
			buf_printf(b, "{\"type\": \"tool_result\", \"tool_use_id\": "
			    "\"%s\", \"content\": [", c->id);
			add_text_block(b, c->output.p, history_len(&c->output));
			buf_printf(b, "], \"is_error\": %s}", c->error ? "true" : "false");
			break;
		case SHAPE_OPENAI:
			buf_printf(b, "{\"role\": \"tool\", \"tool_call_id\": \"%s\", "
			    "\"content\": ", c->id);
			add_jstrn(b, c->output.p, history_len(&c->output), true);
			buf_addc(b, '}');
			break;
		default:
			buf_reset(&g->text);
			buf_printf(&g->text, "Tool %s returned: ", c->tool->name);
			buf_add(&g->text, c->output.p, history_len(&c->output));
			buf_adds(b, "{\"role\": \"user\", \"content\": ");
			add_jstrn(b, g->text.p, g->text.len, true);
			buf_addc(b, '}');
			break;
		}
	}
	if (a->shape == SHAPE_MCP)
		buf_adds(b, "]}");
}

static void
history_push(struct agent *a, const struct buf *msg)
{
	struct buf *slot = &a->history[(a->nhistory++) % HISTORY];

	buf_reset(slot);
	buf_add(slot, buf_str(msg), msg->len);
}

/* mcp.llm.prompt_json: system, repeated history, the new user message. */
static void
add_prompt(struct gen *g, const struct agent *a, struct buf *b, bool image,
    bool resource)
{
	int i, first;

	if (a->shape == SHAPE_INSPECTOR) {
		buf_adds(b, "{\"type\": \"text\", \"content\": ");
		add_jstrn(b, g->user.p, g->user.len, true);
		buf_addc(b, '}');
		return;
	}
	buf_adds(b, "[{\"role\": \"system\", \"content\": ");
	add_jstr(b, a->def->instruction);
	buf_addc(b, '}');
	first = a->nhistory > HISTORY ? a->nhistory - HISTORY : 0;
	for (i = first; i < a->nhistory; i++) {
		buf_adds(b, ", ");
		buf_add(b, a->history[i % HISTORY].p, a->history[i % HISTORY].len);
	}
	buf_adds(b, ", ");
	add_user_message(g, a, b, image, resource);
	buf_addc(b, ']');
}

/* mcp.llm.response_json, Anthropic's Message or an OpenAI-style message. */
static void
add_response(struct gen *g, const struct agent *a, struct buf *b, int ncalls,
    long in, long out, long cache_write)
{
	char id[40];
	int i;

	if (a->shape == SHAPE_OPENAI) {
		add_assistant_fields(g, a, b, ncalls);
		buf_printf(b, ", \"model\": \"%s\", \"finish_reason\": \"%s\", "
		    "\"usage\": {\"prompt_tokens\": %ld, \"completion_tokens\": %ld, "
		    "\"total_tokens\": %ld}}", a->model,
		    ncalls > 0 ? "tool_calls" : "stop", in, out, in + out);
		return;
	}
	base62_id(&g->rng, id, "msg_01", 22);
	buf_printf(b, "{\"id\": \"%s\", \"type\": \"message\", \"role\": "
	    "\"assistant\", \"content\": [", id);
	add_text_block(b, g->reply.p, g->reply.len);
	for (i = 0; i < ncalls; i++) {
		buf_adds(b, ", ");
		add_tool_use(b, &g->calls[i]);
	}
	buf_printf(b, "], \"model\": \"%s\", \"stop_reason\": \"%s\", "
	    "\"stop_sequence\": null, \"usage\": {\"input_tokens\": %ld, ",
	    a->model, ncalls > 0 ? "tool_use" : "end_turn", in - cache_write);
	/* Of in, cache_write were written to the prompt cache (Anthropic
	 * counts them beside input_tokens, not in it). */
	if (cache_write > 0)
		buf_printf(b, "\"cache_creation_input_tokens\": %ld, "
		    "\"cache_read_input_tokens\": 0, ", cache_write);
	buf_printf(b, "\"output_tokens\": %ld}}", out);
}

/*
 * What the inspector's after_llm_generate hook really writes on a generate
 * span: a JSON array of the response messages, one per round of the tool
 * loop, each with its own usage.  Here: the round that asked for the
 * tools, then the closing answer; their usage adds up to in/out.  The
 * second message's id is derived from the first, so the generator's random
 * stream (and every other byte of data/) stays as it was.
 *
 * The rounds use the provider's prompt cache as a real tool loop does:
 * the first writes half its prompt to the cache (Anthropic's
 * cache_creation_input_tokens), the second reads it back
 * (cache_read_input_tokens; OpenAI's prompt_tokens_details.cached_tokens,
 * which prompt_tokens already counts).  Every input token is counted
 * once, so the span's input is still in (doc/reference.md §3.3).
 */
static void
add_response_rounds(struct gen *g, const struct agent *a, struct buf *b,
    int ncalls, long in, long out)
{
	long in1 = in * 3 / 5, out1 = out / 3, in2 = in - in1;
	long write = in1 / 2, read = write < in2 * 3 / 4 ? write : in2 * 3 / 4;
	const char *id;
	char msg_id[32];

	buf_addc(b, '[');
	add_response(g, a, b, ncalls, in1, out1,
	    a->shape == SHAPE_OPENAI ? 0 : write);
	buf_adds(b, ", ");
	if (a->shape == SHAPE_OPENAI) {
		buf_printf(b, "{\"role\": \"assistant\", \"content\": "
		    "\"Done: the tool results are in.\", \"model\": \"%s\", "
		    "\"finish_reason\": \"stop\", \"usage\": {\"prompt_tokens\": "
		    "%ld, \"completion_tokens\": %ld, \"total_tokens\": %ld, "
		    "\"prompt_tokens_details\": {\"cached_tokens\": %ld, "
		    "\"audio_tokens\": 0}}}]", a->model, in2, out - out1,
		    in2 + out - out1, read);
		return;
	}
	/* add_response wrote {"id": "msg_01…": reuse it, one letter on. */
	/* Copied: b->p moves when buf_printf grows b. */
	id = strstr(b->p, "\"msg_01");
	snprintf(msg_id, sizeof msg_id, "%.27s", id != NULL ? id + 1 : "msg_01");
	buf_printf(b, "{\"id\": \"%sZ\", \"type\": \"message\", "
	    "\"role\": \"assistant\", \"content\": [{\"type\": \"text\", "
	    "\"text\": \"Done: the tool results are in.\"}], \"model\": "
	    "\"%s\", \"stop_reason\": \"end_turn\", \"stop_sequence\": null, "
	    "\"usage\": {\"input_tokens\": %ld, \"cache_creation_input_tokens\": 0, "
	    "\"cache_read_input_tokens\": %ld, \"output_tokens\": %ld}}]",
	    msg_id, a->model, in2 - read, read,
	    out - out1);
}

/*
 * One LLM turn: generate_str (prompt, provider, model) over generate
 * (response, usage) over the tool calls the response asked for.
 */
static void
gen_turn(struct gen *g, struct agent *a, const struct span *parent, int ncalls)
{
	static const char *const stops[] = { "\n\nHuman:" };
	const char *reasons[1];
	struct span outer, inner;
	struct rng *r = &g->rng;
	struct buf *b = &g->json;
	bool image, resource, usage;
	long in, out;
	int i, done = 0;

	image = a->shape == SHAPE_MCP &&
	    (g->plan->rich ? g->turns == 0 : rng_chance(r, 1));
	resource = a->shape == SHAPE_MCP &&
	    (g->plan->rich ? g->turns == 1 : rng_chance(r, 3));
	g->turns++;
	a->turns++;
	span_begin(g, &outer, parent, ROLE_LLM, KIND_INTERNAL, "%s.%s.generate_str",
	    a->llm_class, a->def->name);
	span_begin(g, &inner, &outer, ROLE_GENERATE, KIND_CLIENT, "%s.%s.generate",
	    a->llm_class, a->def->name);
	buf_reset(&g->user);
	add_prose(r, &g->user, scaled(g, 100, 560));
	buf_reset(&g->reply);
	add_prose(r, &g->reply, scaled(g, 150, 1200));
	for (i = 0; i < ncalls; i++) {
		g->calls[i].tool = pick_tool(g, a->def);
		base62_id(r, g->calls[i].id, a->shape == SHAPE_OPENAI ? "call_" :
		    "toolu_01", 22);
		tool_input(g, g->calls[i].tool, &g->calls[i].input);
		/* A rich demo shows a failed call and its retry. */
		g->calls[i].error = g->plan->rich && g->turns == 3 && i == 0 &&
		    ncalls >= 2;
	}
	g->now += rng_range(r, 600000, 6000000);
	if (ncalls == 0 && fails_session(g))
		raise_fatal(g, a->shape == SHAPE_OPENAI ? FATAL_OPENAI_ERROR :
		    FATAL_ANTHROPIC_ERROR);
	for (i = 0; i < ncalls && live(g); i++) {
		/* A failed call is retried with the same tool and input. */
		if (i > 0 && g->calls[i - 1].error) {
			g->calls[i].tool = g->calls[i - 1].tool;
			buf_reset(&g->calls[i].input);
			buf_add(&g->calls[i].input, g->calls[i - 1].input.p,
			    g->calls[i - 1].input.len);
		}
		gen_tool(g, a, &inner, &g->calls[i],
		    i > 0 && g->calls[i - 1].error ? g->calls[i - 1].span_id : NULL);
		done++;
	}
	if (live(g))
		g->now += rng_range(r, 400000, 3000000);
	/* The prompt decides the input tokens, so build it first. */
	buf_reset(&g->prompt);
	add_prompt(g, a, &g->prompt, image, resource);
	in = (long)g->prompt.len / 4 + rng_range(r, 200, 900);
	out = (long)g->reply.len / 4 + rng_range(r, 5, 60);

	span_end(g, &inner);
	attr_static(&inner, "gen_ai.system", a->provider);
	attr_static(&inner, "gen_ai.agent.name", a->def->name);
	attr_static(&inner, "gen_ai.response.model", a->model);
	/* A call that raised has no response. */
	if (!g->fatal) {
		reasons[0] = done > 0 ?
		    (a->shape == SHAPE_OPENAI ? "tool_calls" : "tool_use") :
		    (a->shape == SHAPE_OPENAI ? "stop" : "end_turn");
		attr_strs(g, &inner, "gen_ai.response.finish_reasons", reasons, 1);
		/* OpenAI tool rounds always go without: data/ then has
		 * arrays of both shapes whose sum is all there is. */
		usage = rng_chance(r, 70) &&
		    !(a->shape == SHAPE_OPENAI && done > 0);
		if (usage) {
			attr_int(&inner, "gen_ai.usage.input_tokens", in);
			attr_int(&inner, "gen_ai.usage.output_tokens", out);
		}
		buf_reset(b);
		/* Without gen_ai.usage, the tokens are the array's sum. */
		if (!usage && done > 0)
			add_response_rounds(g, a, b, done, in, out);
		else
			add_response(g, a, b, done, in, out, 0);
		attr_buf(g, &inner, "mcp.llm.response_json", b);
	}
	emit(g, &inner);

	span_end(g, &outer);
	attr_static(&outer, "gen_ai.agent.name", a->def->name);
	attr_static(&outer, "gen_ai.request.model", a->model);
	attr_static(&outer, "mcp.llm.provider", a->provider);
	attr_static(&outer, "mcp.llm.model", a->model);
	attr_buf(g, &outer, "mcp.llm.prompt_json", &g->prompt);
	attr_int(&outer, "request_params.maxTokens", 2048);
	attr_float(&outer, "request_params.temperature",
	    a->shape == SHAPE_OPENAI ? 0.2 : 0.7);
	attr_int(&outer, "request_params.max_iterations", 10);
	attr_bool(&outer, "request_params.use_history", true);
	if (strcmp(a->provider, "anthropic") == 0)
		attr_strs(g, &outer, "request_params.stopSequences", stops, 1);
	emit(g, &outer);

	/* What the next prompt of this agent repeats. */
	buf_reset(b);
	add_user_message(g, a, b, false, false);
	history_push(a, b);
	buf_reset(b);
	add_assistant_message(g, a, b, done);
	history_push(a, b);
	if (done > 0) {
		buf_reset(b);
		add_tool_results(g, a, b, done);
		history_push(a, b);
	}
}

/* ---- agents, steps and the root ---- */

static const char *const prompt_names[] = {
	"summarize", "code_review", "explain_error", "draft_reply", "triage",
};

static const char *const signal_prompts[] = {
	"Approve the refund of $120?", "Deploy release 2.4.1 to production?",
	"Send the summary to 42 customers?", "Merge the proposed patch?",
};

static void
agent_init(struct gen *g, struct agent *a)
{
	enum shape shape = g->plan->shape;
	uint32_t u;

	memset(a, 0, sizeof *a);
	a->def = &agent_defs[rng_below(&g->rng, nitems(agent_defs))];
	if (shape == SHAPE_MIXED) {
		u = rng_below(&g->rng, 100);
		if (u < 55)
			shape = SHAPE_MCP;
		else if (u < 70)
			shape = SHAPE_STRING;
		else if (u < 92)
			shape = SHAPE_OPENAI;
		else
			shape = SHAPE_INSPECTOR;
	}
	a->shape = shape;
	if (shape == SHAPE_OPENAI) {
		a->provider = "openai";
		a->llm_class = "OpenAIAugmentedLLM";
		a->model = PICK(&g->rng, openai_models);
	} else {
		a->provider = "anthropic";
		a->llm_class = "AnthropicAugmentedLLM";
		a->model = PICK(&g->rng, anthropic_models);
	}
}

static void
agent_free(struct agent *a)
{
	int i;

	for (i = 0; i < HISTORY; i++)
		buf_free(&a->history[i]);
}

static void
gen_resource(struct gen *g, const struct agent *a, const struct span *parent)
{
	struct rng *r = &g->rng;
	struct span sp;

	span_begin(g, &sp, parent, ROLE_RESOURCE, KIND_CLIENT,
	    "Agent.%s.read_resource", a->def->name);
	g->now += rng_range(r, 5000, 250000);
	span_end(g, &sp);
	buf_reset(&g->text);
	switch (rng_below(r, 3)) {
	case 0:
		buf_printf(&g->text, "file:///workspace/%s/%s.md", vocab_word(r),
		    vocab_word(r));
		attr_buf(g, &sp, "mcp.resource.uri", &g->text);
		attr_static(&sp, "mcp.resource.mime_type", "text/markdown");
		break;
	case 1:
		buf_printf(&g->text, "https://%s/%s", PICK(r, hosts), vocab_word(r));
		attr_buf(g, &sp, "mcp.resource.uri", &g->text);
		attr_static(&sp, "mcp.resource.mime_type", "text/html");
		break;
	default:
		buf_printf(&g->text, "sqlite://%ss/schema", vocab_word(r));
		attr_buf(g, &sp, "mcp.resource.uri", &g->text);
		attr_static(&sp, "mcp.resource.mime_type", "application/json");
		break;
	}
	attr_int(&sp, "mcp.resource.size", rng_range(r, 200, 90000));
	attr_static(&sp, "mcp.agent.name", a->def->name);
	emit(g, &sp);
}

static void
gen_prompt(struct gen *g, const struct agent *a, const struct span *parent)
{
	struct rng *r = &g->rng;
	struct span sp;

	span_begin(g, &sp, parent, ROLE_PROMPT, KIND_CLIENT, "Agent.%s.get_prompt",
	    a->def->name);
	g->now += rng_range(r, 2000, 60000);
	span_end(g, &sp);
	attr_static(&sp, "mcp.prompt.name", PICK(r, prompt_names));
	attr_static(&sp, "mcp.prompt.server", a->def->servers[0]);
	buf_reset(&g->json);
	buf_printf(&g->json, "{\"topic\": \"%s %s\", \"style\": \"%s\"}",
	    vocab_word(r), vocab_word(r), rng_chance(r, 50) ? "concise" : "detailed");
	attr_buf(g, &sp, "mcp.prompt.arguments_json", &g->json);
	attr_static(&sp, "mcp.agent.name", a->def->name);
	emit(g, &sp);
}

static void
gen_list_tools(struct gen *g, const struct agent *a, const struct span *parent)
{
	const char *names[nitems(tool_defs)];
	struct span sp;
	size_t i, n = 0;

	span_begin(g, &sp, parent, ROLE_LIST_TOOLS, KIND_INTERNAL,
	    "Agent.%s.list_tools", a->def->name);
	g->now += rng_range(&g->rng, 1000, 40000);
	span_end(g, &sp);
	for (i = 0; i < nitems(tool_defs); i++) {
		if ((a->def->servers[0] != NULL &&
		    strcmp(tool_defs[i].server, a->def->servers[0]) == 0) ||
		    (a->def->servers[1] != NULL &&
		    strcmp(tool_defs[i].server, a->def->servers[1]) == 0))
			names[n++] = tool_defs[i].name;
	}
	attr_static(&sp, "mcp.agent.name", a->def->name);
	attr_int(&sp, "mcp.agent.tool_count", (int64_t)n);
	attr_strs(g, &sp, "mcp.agent.tools", names, n);
	emit(g, &sp);
}

/*
 * The span that pauses the session.  The workflow waits inside it, so
 * nothing after it, and none of its ancestors, has ended: it is the last
 * span written.
 */
static void
gen_signal(struct gen *g, const struct agent *a, const struct span *parent)
{
	const char *prompt = g->plan->signal_prompt;
	struct event *e;
	struct span sp;

	if (a != NULL)
		span_begin(g, &sp, parent, ROLE_SIGNAL, KIND_INTERNAL,
		    "Agent.%s.request_human_input", a->def->name);
	else
		span_begin(g, &sp, parent, ROLE_SIGNAL, KIND_INTERNAL,
		    "Workflow.%s.wait_for_signal", g->wfname);
	g->now += rng_range(&g->rng, 1000, 5000);
	span_end(g, &sp);
	if (a != NULL)
		attr_static(&sp, "mcp.agent.name", a->def->name);
	attr_bool(&sp, "mcp.session.paused", true);
	attr_static(&sp, "mcp.signal.name", "human_input");
	attr_static(&sp, "mcp.signal.prompt",
	    prompt != NULL ? prompt : PICK(&g->rng, signal_prompts));
	attr_int(&sp, "mcp.signal.timeout_seconds", 3600);
	attr_static(&sp, "mcp.signal.schema_json", "{\"type\": \"object\", "
	    "\"properties\": {\"approved\": {\"type\": \"boolean\"}}}");
	e = event_new(&sp, "waiting_on_signal", sp.end);
	event_attr(e, "signal_name", "human_input");
	emit(g, &sp);
	g->stopped = true;
}

static bool
pauses_now(const struct gen *g)
{
	return g->plan->outcome == OUTCOME_PAUSED && !g->stopped &&
	    g->emitted >= g->trigger;
}

static int
tool_count(struct gen *g)
{
	uint32_t u;

	if (g->plan->rich)
		return (int)rng_range(&g->rng, 1, 3);
	u = rng_below(&g->rng, 100);
	if (u < 25)
		return 0;
	if (u < 60)
		return 1;
	if (u < 80)
		return 2;
	return (int)rng_range(&g->rng, 3, MAX_TOOLS);
}

static void
add_agent_state(struct gen *g, const struct agent *a, struct buf *b)
{
	struct rng *r = &g->rng;

	buf_printf(b, "{\"turns\": %d, \"model\": \"%s\", \"notes\": [", a->turns,
	    a->model);
	buf_reset(&g->text);
	add_sentence(r, &g->text);
	add_jstrn(b, g->text.p, g->text.len, true);
	buf_adds(b, ", ");
	buf_reset(&g->text);
	add_sentence(r, &g->text);
	add_jstrn(b, g->text.p, g->text.len, true);
	buf_printf(b, "], \"budget\": {\"max_tokens\": 2048, \"used\": %ld}}",
	    rng_range(r, 100, 2048));
}

/* An agent's span over its LLM turns and MCP requests, budget spans in all. */
static void
gen_agent(struct gen *g, const struct span *parent, long budget)
{
	const char *servers[2];
	struct agent a;
	struct span sp;
	long left = budget - 1;
	int n;

	agent_init(g, &a);
	span_begin(g, &sp, parent, ROLE_AGENT, KIND_INTERNAL, "Agent.%s.run",
	    a.def->name);
	if (left >= 3 && rng_chance(&g->rng, 30)) {
		gen_list_tools(g, &a, &sp);
		left--;
	}
	while (left > 0 && live(g)) {
		if (pauses_now(g)) {
			gen_signal(g, &a, &sp);
			break;
		}
		if (left < 2 || rng_chance(&g->rng, 12)) {
			if (rng_chance(&g->rng, 60))
				gen_resource(g, &a, &sp);
			else
				gen_prompt(g, &a, &sp);
			left--;
			continue;
		}
		n = tool_count(g);
		if (n > left - 2)
			n = (int)(left - 2);
		gen_turn(g, &a, &sp, n);
		left -= 2 + n;
	}
	span_end(g, &sp);
	attr_static(&sp, "mcp.agent.name", a.def->name);
	attr_static(&sp, "mcp.agent.instruction", a.def->instruction);
	servers[0] = a.def->servers[0];
	servers[1] = a.def->servers[1];
	attr_strs(g, &sp, "mcp.agent.server_names", servers,
	    servers[1] != NULL ? 2 : 1);
	buf_reset(&g->json);
	add_agent_state(g, &a, &g->json);
	attr_buf(g, &sp, "mcp.state.memory_json", &g->json);
	if (!g->fatal) {
		buf_reset(&g->json);
		buf_adds(&g->json, "{\"status\": \"ok\", \"answer\": ");
		buf_reset(&g->text);
		add_prose(&g->rng, &g->text, scaled(g, 100, 700));
		add_jstrn(&g->json, g->text.p, g->text.len, true);
		buf_addc(&g->json, '}');
		attr_buf(g, &sp, "mcp.result.answer_json", &g->json);
	}
	emit(g, &sp);
	agent_free(&a);
}

/* A share of left between lo and hi, or all of it rather than a scrap. */
static long
take(struct gen *g, long left, long lo, long hi)
{
	long n = rng_range(&g->rng, lo, hi);

	if (n >= left || left - n < lo)
		return left;
	return n;
}

static void
gen_agents(struct gen *g, const struct span *parent, long budget)
{
	uint32_t u;
	long n;

	while (budget > 0 && live(g)) {
		/* Now and then a long agent loop, for very uneven siblings. */
		u = rng_below(&g->rng, 100);
		if (u < 2)
			n = take(g, budget, 100, 600);
		else if (u < 12)
			n = take(g, budget, 16, 60);
		else
			n = take(g, budget, 2, 16);
		gen_agent(g, parent, n);
		budget -= n;
	}
}

static const struct {
	const char	*type;
	const char	*class;
	const char	*method;
} step_names[] = {
	{ "orchestrator", "Orchestrator", "execute_step" },
	{ "router", "LLMRouter", "route" },
	{ "parallel", "ParallelLLM", "fan_out" },
	{ "evaluator_optimizer", "EvaluatorOptimizerLLM", "refine" },
	{ "swarm", "AnthropicSwarm", "handoff" },
};

static void
add_plan_state(struct gen *g, struct buf *b, int step)
{
	struct rng *r = &g->rng;
	long i, j, n = rng_range(r, 2, 5), m;

	buf_adds(b, "{\"objective\": ");
	buf_reset(&g->text);
	add_sentence(r, &g->text);
	add_jstrn(b, g->text.p, g->text.len, true);
	buf_adds(b, ", \"steps\": [");
	for (i = 0; i < n; i++) {
		buf_adds(b, i > 0 ? ", {\"description\": " : "{\"description\": ");
		buf_reset(&g->text);
		add_sentence(r, &g->text);
		add_jstrn(b, g->text.p, g->text.len, true);
		buf_adds(b, ", \"tasks\": [");
		m = rng_range(r, 1, 3);
		for (j = 0; j < m; j++) {
			buf_printf(b, "%s{\"agent\": \"%s\", \"description\": ",
			    j > 0 ? ", " : "",
			    agent_defs[rng_below(r, nitems(agent_defs))].name);
			buf_reset(&g->text);
			add_sentence(r, &g->text);
			add_jstrn(b, g->text.p, g->text.len, true);
			buf_addc(b, '}');
		}
		buf_adds(b, "]}");
	}
	buf_printf(b, "], \"current_step\": %d, \"is_complete\": false}", step);
}

static void
gen_step(struct gen *g, const struct span *root, long budget, int step)
{
	const char *class = "Workflow", *method = "run_step";
	struct span sp;
	size_t i;

	for (i = 0; i < nitems(step_names); i++) {
		if (strcmp(step_names[i].type, g->plan->workflow_type) == 0) {
			class = step_names[i].class;
			method = step_names[i].method;
		}
	}
	span_begin(g, &sp, root, ROLE_STEP, KIND_INTERNAL, "%s.%s.%s", class,
	    g->wfname, method);
	gen_agents(g, &sp, budget - 1);
	span_end(g, &sp);
	attr_static(&sp, "mcp.workflow.type", g->plan->workflow_type);
	if (g->plan->engine != NULL)
		attr_static(&sp, "mcp.engine.type", g->plan->engine);
	attr_int(&sp, "mcp.workflow.step", step);
	buf_reset(&g->json);
	add_plan_state(g, &g->json, step);
	attr_buf(g, &sp, "mcp.state.plan_json", &g->json);
	if (!g->fatal) {
		buf_reset(&g->json);
		buf_printf(&g->json, "{\"step\": %d, \"status\": \"completed\", "
		    "\"output\": ", step);
		buf_reset(&g->text);
		add_prose(&g->rng, &g->text, scaled(g, 100, 500));
		add_jstrn(&g->json, g->text.p, g->text.len, true);
		buf_addc(&g->json, '}');
		attr_buf(g, &sp, "mcp.result.step_json", &g->json);
	}
	emit(g, &sp);
}

static void
gen_root(struct gen *g)
{
	const struct plan *p = g->plan;
	struct span root;
	char workflow_id[24], run_id[40];
	long total = p->spans - 1, left = total, lo, hi, n;
	int step = 0;

	span_begin(g, &root, NULL, ROLE_ROOT, KIND_INTERNAL, "%s", p->app);
	hex_id(&g->rng, workflow_id, 12);
	uuid_id(&g->rng, run_id);
	if (p->workflow_type != NULL && total >= 12) {
		lo = total / 60 > 12 ? total / 60 : 12;
		hi = total / 12 > 30 ? total / 12 : 30;
		while (left > 0 && live(g)) {
			n = take(g, left, lo, hi);
			gen_step(g, &root, n, ++step);
			left -= n;
		}
	} else
		gen_agents(g, &root, left);
	if (pauses_now(g))
		gen_signal(g, NULL, &root);
	/* No call was left to fail: the workflow itself does. */
	if (fails_session(g))
		raise_fatal(g, FATAL_ROOT_ERROR);
	span_end(g, &root);
	if (p->title != NULL)
		attr_static(&root, "mcp.session.title", p->title);
	if (p->workflow_type != NULL)
		attr_static(&root, "mcp.workflow.type", p->workflow_type);
	if (p->engine != NULL)
		attr_static(&root, "mcp.engine.type", p->engine);
	if (p->format == FORMAT_FLAT)
		attr_static(&root, "session.id", p->id);
	attr_static(&root, "mcp.workflow.name", g->wfname);
	buf_reset(&g->text);
	buf_printf(&g->text, "wf-%s", workflow_id);
	attr_buf(g, &root, "mcp.workflow.id", &g->text);
	attr_copy(g, &root, "mcp.workflow.run_id", run_id, strlen(run_id));
	buf_reset(&g->json);
	buf_adds(&g->json, "{\"objective\": ");
	buf_reset(&g->text);
	add_prose(&g->rng, &g->text, scaled(g, 100, 600));
	add_jstrn(&g->json, g->text.p, g->text.len, true);
	buf_adds(&g->json, ", \"max_iterations\": 10}");
	attr_buf(g, &root, "mcp.workflow.input_json", &g->json);
	if (!g->fatal) {
		buf_reset(&g->json);
		buf_adds(&g->json, "{\"result\": ");
		buf_reset(&g->text);
		add_prose(&g->rng, &g->text, scaled(g, 300, 1500));
		add_jstrn(&g->json, g->text.p, g->text.len, true);
		buf_printf(&g->json, ", \"llm_calls\": %ld, \"steps\": %d}",
		    g->turns, step);
		attr_buf(g, &root, "mcp.workflow.output_json", &g->json);
		attr_static(&root, "mcp.result.status_json",
		    "{\"status\": \"completed\"}");
	}
	emit(g, &root);
}

/* ---- demo decorations ---- */

/* A state value over 30 KB, cut where the inspector cuts it. */
static void
add_big_state(struct gen *g, struct span *sp)
{
	struct rng *r = &g->rng;
	struct buf *b = &g->json;
	int i;

	buf_reset(b);
	buf_adds(b, "{\"query\": \"vector database comparison\", \"documents\": [");
	for (i = 0; b->len < STATE_CUT + 1024; i++) {
		buf_printf(b, "%s{\"id\": \"doc-%03d\", \"title\": \"%s %s\", "
		    "\"score\": 0.%02ld, \"body\": ", i > 0 ? ", " : "", i,
		    vocab_word(r), vocab_word(r), rng_range(r, 10, 99));
		buf_reset(&g->text);
		add_prose(r, &g->text, rng_range(r, 500, 900));
		add_jstrn(b, g->text.p, g->text.len, true);
		buf_addc(b, '}');
	}
	buf_adds(b, "]}");
	attr_copy(g, sp, "mcp.state.documents_json", b->p, STATE_CUT);
	attr_bool(sp, "mcp.state.documents_json_truncated", true);
}

/* Content that must never reach a terminal raw (doc/reference.md §7). */
static void
add_hostile(struct gen *g, struct span *sp)
{
	size_t n;

	if (sp->role == ROLE_ROOT) {
		attr_float(sp, "eval.score", NAN);
		attr_float(sp, "eval.upper_bound", INFINITY);
		attr_static(sp, "note.bidi", "admin\xe2\x80\xae" "txt.exe");
		return;
	}
	if (sp->role != ROLE_TOOL || g->hostile_done)
		return;
	g->hostile_done = true;
	/* "Agent.X\e[2J.call_tool" is still a tool span by its name. */
	n = strlen(sp->name) - strlen(".call_tool");
	snprintf(sp->name + n, sizeof sp->name - n, "\x1b[2J.call_tool");
	sp->status = STATUS_ERROR;
	sp->desc = "McpError: \x1b[1mboom\x1b[0m \xc2\x9b" "6n \x7f";
	attr_static(sp, "note.ansi", "\x1b[31mred alert\x1b[0m");
	attr_static(sp, "note.osc_title", "\x1b]0;pwned\x07");
	attr_static(sp, "note.c0", "bell\x07 backspace\x08 nul-free\x01");
	attr_static(sp, "note.wide", "\xe6\xbc\xa2\xe5\xad\x97\xe3\x83\x86\xe3\x82\xb9"
	    "\xe3\x83\x88 \xf0\x9f\x9a\x80 caf\xc3\xa9");
	attr_static(sp, "note.multiline", "line one\nline two\r\nline three\ttabbed");
	buf_reset(&g->json);
	buf_adds(&g->json, "{\"ansi\": ");
	add_jstr(&g->json, "\x1b[31mred\x1b[0m");
	buf_adds(&g->json, ", \"osc\": ");
	add_jstr(&g->json, "\x1b]0;pwned\x07");
	buf_adds(&g->json, "}");
	attr_buf(g, sp, "mcp.state.terminal_json", &g->json);
}

static void
decorate(struct gen *g, struct span *sp)
{
	const struct plan *p = g->plan;

	if (p->big_state && sp->role == ROLE_AGENT && !g->state_done) {
		add_big_state(g, sp);
		g->state_done = true;
	}
	if (p->loose_times && g->emitted == 1)
		sp->ended = false;
	if (p->hostile)
		add_hostile(g, sp);
}

/* ---- sessions ---- */

static void
write_session(const struct plan *p)
{
	struct gen g;
	int i;

	memset(&g, 0, sizeof g);
	g.plan = p;
	g.rng.s = p->seed;
	g.arena.p = xmalloc(ARENA_SIZE);
	g.eol = p->crlf ? "\r\n" : "\n";
	g.wfname = strchr(p->app, '.') != NULL ? "workflow" : p->app;
	hex_id(&g.rng, g.trace_id, 32);
	g.now = p->start;
	g.limit = -1;
	g.batch_max = (unsigned)rng_range(&g.rng, 2, 8);
	switch (p->outcome) {
	case OUTCOME_RUNNING:
		g.limit = p->spans * 7 / 10;
		g.stopped = g.limit == 0;
		break;
	case OUTCOME_FAILED:
		g.trigger = p->spans * 55 / 100;
		break;
	case OUTCOME_PAUSED:
		g.trigger = p->spans * 6 / 10;
		break;
	case OUTCOME_COMPLETED:
		break;
	}
	for (i = 0; i < p->chunks; i++)
		g.chunk_at[i] = p->spans * (i + 1) / (p->chunks + 1);
	resource_init(&g);
	g.sink = sink_open(p->path, p->gzip, p->members);
	gen_root(&g);
	otlp_flush(&g);
	sink_close(g.sink);

	free(g.arena.p);
	buf_free(&g.line);
	buf_free(&g.batch);
	buf_free(&g.resource);
	buf_free(&g.text);
	buf_free(&g.json);
	buf_free(&g.prompt);
	buf_free(&g.user);
	buf_free(&g.reply);
	for (i = 0; i < MAX_TOOLS; i++) {
		buf_free(&g.calls[i].input);
		buf_free(&g.calls[i].output);
	}
}

static void
make_dir(const char *dir)
{
	if (mkdir(dir, 0777) != 0 && errno != EEXIST)
		die("%s: %s", dir, strerror(errno));
}

/* The demo traces of data/: every format and status, each small. */
static void
write_demo(const char *dir)
{
	static const struct plan demo[] = {
		{ .id = "orchestrator-completed", .format = FORMAT_SDK,
		  .gzip = true, .members = MEMBERS_SPAN, .seed = 101, .spans = 26,
		  .app = "mcp_basic_agent", .title = "Summarise the MCP introduction",
		  .workflow_type = "orchestrator", .shape = SHAPE_MCP, .scale = 35,
		  .rich = true },
		{ .id = "router-failed", .format = FORMAT_SDK, .gzip = true,
		  .members = MEMBERS_BATCH, .seed = 202, .spans = 16,
		  .app = "workflow.run", .workflow_type = "router",
		  .outcome = OUTCOME_FAILED, .shape = SHAPE_OPENAI, .scale = 25 },
		{ .id = "refund-paused", .format = FORMAT_SDK, .gzip = true,
		  .members = MEMBERS_SPAN, .seed = 334, .spans = 30,
		  .app = "refund_workflow", .title = "Refund request #4821",
		  .workflow_type = "orchestrator", .engine = "temporal",
		  .signal_prompt = "Approve the refund of $120?",
		  .outcome = OUTCOME_PAUSED, .shape = SHAPE_MIXED, .scale = 25 },
		{ .id = "research-running", .format = FORMAT_SDK, .gzip = true,
		  .members = MEMBERS_SPAN, .seed = 404, .spans = 18,
		  .app = "mcp_researcher", .outcome = OUTCOME_RUNNING,
		  .shape = SHAPE_STRING, .scale = 25 },
		{ .id = "rotated-parallel", .format = FORMAT_SDK, .gzip = true,
		  .members = MEMBERS_BATCH, .chunks = 2, .seed = 505, .spans = 27,
		  .app = "mcp_parallel_agent",
		  .title = "Compare three vector databases",
		  .workflow_type = "parallel", .shape = SHAPE_MIXED, .scale = 25 },
		{ .id = "flat-layout", .format = FORMAT_FLAT, .seed = 606,
		  .spans = 10, .app = "workflow.run", .workflow_type = "orchestrator",
		  .shape = SHAPE_STRING, .scale = 15, .rich = true,
		  .named_ids = true, .loose_times = true },
		{ .id = "otlp-export", .format = FORMAT_OTLP, .seed = 707,
		  .spans = 14, .app = "mcp_basic_agent",
		  .title = "OTLP collector export",
		  .workflow_type = "evaluator_optimizer", .shape = SHAPE_INSPECTOR,
		  .scale = 20 },
		{ .id = "truncated-state", .format = FORMAT_SDK, .gzip = true,
		  .members = MEMBERS_ONE, .seed = 808, .spans = 8,
		  .app = "mcp_basic_agent", .title = "Large state snapshot",
		  .shape = SHAPE_MCP, .scale = 20, .big_state = true },
		{ .id = "edge-cases", .format = FORMAT_SDK, .seed = 909, .spans = 8,
		  .app = "mcp_basic_agent",
		  .title = "Edge cases \x1b]0;pwned\x07\x1b[31m red\x1b[0m",
		  .shape = SHAPE_MIXED, .scale = 10, .hostile = true, .crlf = true },
	};
	struct plan p;
	char *path;
	size_t i;

	make_dir(dir);
	for (i = 0; i < nitems(demo); i++) {
		p = demo[i];
		p.start = DEMO_EPOCH + (int64_t)i * 5400 * USEC;
		path = xasprintf("%s/%s%s", dir, p.id,
		    p.gzip ? ".jsonl.gz" : ".jsonl");
		p.path = path;
		write_session(&p);
		free(path);
	}
}

/* About m spans on average, most near it, a few several times bigger. */
static long
dir_spans(struct rng *r, long m)
{
	uint32_t u = rng_below(r, 100);
	long quarter = m / 4 > 0 ? m / 4 : 1;

	if (u < 55)
		return rng_range(r, quarter, m);
	if (u < 90)
		return rng_range(r, m, m + m / 2);
	return rng_range(r, m + m / 2, 3 * m);
}

static void
write_dir(long n, const char *dir, long m, uint64_t seed)
{
	static const char *const apps[] = {
		"mcp_basic_agent", "mcp_researcher", "workflow.run",
		"support_triage", "code_review_bot", "refund_workflow",
	};
	static const char *const types[] = {
		"orchestrator", "router", "parallel", "evaluator_optimizer", "swarm",
	};
	static const char *const verbs[] = {
		"Summarise", "Research", "Review", "Triage", "Compare", "Draft",
	};
	struct rng r = { seed ^ 0x6a09e667f3bcc909ULL };
	int64_t t = DEMO_EPOCH;
	char id[40], title[96], *path;
	struct plan p;
	uint32_t u;
	long i;

	make_dir(dir);
	for (i = 0; i < n; i++) {
		memset(&p, 0, sizeof p);
		uuid_id(&r, id);
		p.id = id;
		path = xasprintf("%s/%s.jsonl.gz", dir, id);
		p.path = path;
		p.format = FORMAT_SDK;
		p.gzip = true;
		p.members = rng_chance(&r, 50) ? MEMBERS_SPAN : MEMBERS_BATCH;
		p.seed = rng_next(&r);
		p.spans = dir_spans(&r, m);
		t += rng_range(&r, 60, 2400) * USEC;
		p.start = t;
		p.app = PICK(&r, apps);
		if (rng_chance(&r, 60)) {
			snprintf(title, sizeof title, "%s the %s %s", PICK(&r, verbs),
			    PICK(&r, vocab), PICK(&r, vocab));
			p.title = title;
		}
		if (rng_chance(&r, 70))
			p.workflow_type = PICK(&r, types);
		if (rng_chance(&r, 15))
			p.engine = "temporal";
		u = rng_below(&r, 100);
		p.outcome = u < 72 ? OUTCOME_COMPLETED : u < 84 ? OUTCOME_FAILED :
		    u < 92 ? OUTCOME_RUNNING : OUTCOME_PAUSED;
		p.shape = SHAPE_MIXED;
		p.scale = 100;
		if (p.spans >= 30 && rng_chance(&r, 3))
			p.chunks = 2;
		write_session(&p);
		free(path);
	}
}

/* The session id is the file name without its suffixes, when it is one. */
static const char *
session_id_of(const char *path, char *out, size_t size, struct rng *r)
{
	static const char *const suffixes[] = { ".gz", ".jsonl", ".json" };
	const char *base = strrchr(path, '/');
	size_t n, k, i;

	base = base != NULL ? base + 1 : path;
	n = strlen(base);
	for (i = 0; i < nitems(suffixes); i++) {
		k = strlen(suffixes[i]);
		if (n > k && strcmp(base + n - k, suffixes[i]) == 0)
			n -= k;
	}
	if (n == 0 || n >= size || strspn(base, "abcdefghijklmnopqrstuvwxyz"
	    "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_-") < n) {
		uuid_id(r, out);
		return out;
	}
	memcpy(out, base, n);
	out[n] = '\0';
	return out;
}

/* ---- command line ---- */

static void
usage(FILE *fp)
{
	fputs("usage: gentrace demo DIR\n"
	    "       gentrace session N OUT [--format sdk|flat|otlp] "
	    "[--members span|batch|one] [--seed S]\n"
	    "       gentrace dir N DIR [--spans M] [--seed S]\n"
	    "       gentrace --help\n"
	    "\n"
	    "Writes mcp-agent trace files, byte for byte the same for the same\n"
	    "arguments.  demo: the small sample traces of data/.  session: one\n"
	    "session of N spans (SDK lines by default; OUT ending in .gz is\n"
	    "gzip with a member per batch of 512 spans by default; - is\n"
	    "standard output).  dir: N sessions of about M spans (default 40)\n"
	    "named <id>.jsonl.gz, with varied sizes and statuses.\n", fp);
}

static void usage_error(const char *, ...) __attribute__((format(printf, 1, 2), noreturn));

static void
usage_error(const char *fmt, ...)
{
	va_list ap;

	fputs("gentrace: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	usage(stderr);
	exit(2);
}

static long
parse_count(const char *s, const char *what)
{
	char *end;
	long v;

	errno = 0;
	v = strtol(s, &end, 10);
	if (errno != 0 || end == s || *end != '\0' || v <= 0)
		usage_error("%s: not a positive number: %s", what, s);
	return v;
}

static uint64_t
parse_seed(const char *s)
{
	char *end;
	unsigned long long v;

	errno = 0;
	v = strtoull(s, &end, 0);
	if (errno != 0 || end == s || *end != '\0')
		usage_error("--seed: not a number: %s", s);
	return (uint64_t)v;
}

struct options {
	const char	*pos[3];
	int		 npos;
	const char	*format;
	const char	*members;
	const char	*seed;
	const char	*spans;
};

/* Options may come before, between or after the positionals. */
static void
parse_options(int argc, char **argv, struct options *o)
{
	static const char *const names[] = { "--format", "--members", "--seed",
	    "--spans" };
	const char **slots[] = { &o->format, &o->members, &o->seed, &o->spans };
	const char *arg, *eq;
	size_t i, n;
	int k;

	memset(o, 0, sizeof *o);
	for (k = 0; k < argc; k++) {
		arg = argv[k];
		if (strncmp(arg, "--", 2) != 0) {
			if (o->npos == (int)nitems(o->pos))
				usage_error("too many arguments");
			o->pos[o->npos++] = arg;
			continue;
		}
		eq = strchr(arg, '=');
		n = eq != NULL ? (size_t)(eq - arg) : strlen(arg);
		for (i = 0; i < nitems(names); i++) {
			if (strlen(names[i]) == n && strncmp(arg, names[i], n) == 0)
				break;
		}
		if (i == nitems(names))
			usage_error("unknown option: %s", arg);
		if (eq != NULL)
			*slots[i] = eq + 1;
		else if (k + 1 < argc)
			*slots[i] = argv[++k];
		else
			usage_error("%s needs a value", names[i]);
	}
}

static void
cmd_session(const struct options *o)
{
	struct plan p;
	struct rng r;
	char id[64], title[64];
	size_t n;

	if (o->npos != 2 || o->spans != NULL)
		usage_error("session takes N and OUT");
	memset(&p, 0, sizeof p);
	p.spans = parse_count(o->pos[0], "N");
	p.path = o->pos[1];
	p.seed = o->seed != NULL ? parse_seed(o->seed) : 1;
	r.s = p.seed;
	p.id = session_id_of(p.path, id, sizeof id, &r);
	n = strlen(p.path);
	p.gzip = n > 3 && strcmp(p.path + n - 3, ".gz") == 0;
	p.members = MEMBERS_BATCH;
	if (o->members != NULL) {
		if (strcmp(o->members, "span") == 0)
			p.members = MEMBERS_SPAN;
		else if (strcmp(o->members, "one") == 0)
			p.members = MEMBERS_ONE;
		else if (strcmp(o->members, "batch") != 0)
			usage_error("--members: span, batch or one, not %s", o->members);
	}
	p.format = FORMAT_SDK;
	if (o->format != NULL) {
		if (strcmp(o->format, "flat") == 0)
			p.format = FORMAT_FLAT;
		else if (strcmp(o->format, "otlp") == 0)
			p.format = FORMAT_OTLP;
		else if (strcmp(o->format, "sdk") != 0)
			usage_error("--format: sdk, flat or otlp, not %s", o->format);
	}
	p.start = SESSION_EPOCH;
	p.app = "mcp_basic_agent";
	snprintf(title, sizeof title, "Benchmark session of %ld spans", p.spans);
	p.title = title;
	p.workflow_type = "orchestrator";
	p.shape = SHAPE_MIXED;
	p.scale = 100;
	write_session(&p);
}

int
main(int argc, char **argv)
{
	struct options o;
	const char *cmd;

	if (argc < 2)
		usage_error("no command");
	cmd = argv[1];
	if (strcmp(cmd, "--help") == 0 || strcmp(cmd, "-h") == 0) {
		usage(stdout);
		return 0;
	}
	parse_options(argc - 2, argv + 2, &o);
	if (strcmp(cmd, "demo") == 0) {
		if (o.npos != 1 || o.format != NULL || o.members != NULL ||
		    o.seed != NULL || o.spans != NULL)
			usage_error("demo takes DIR only");
		write_demo(o.pos[0]);
	} else if (strcmp(cmd, "session") == 0)
		cmd_session(&o);
	else if (strcmp(cmd, "dir") == 0) {
		if (o.npos != 2 || o.format != NULL || o.members != NULL)
			usage_error("dir takes N and DIR, --spans and --seed");
		write_dir(parse_count(o.pos[0], "N"), o.pos[1],
		    o.spans != NULL ? parse_count(o.spans, "--spans") : 40,
		    o.seed != NULL ? parse_seed(o.seed) : 1);
	} else
		usage_error("unknown command: %s", cmd);
	return 0;
}
