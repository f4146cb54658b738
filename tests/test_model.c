/* SPDX-License-Identifier: MIT */
/*
 * test_model.c — the trace model and session rules (doc/reference.md §3) and source
 * enumeration (doc/reference.md §1): tree order, orphans and placeholders, duplicate
 * ids, self-parents and cycles, status/title/engine rules, token totals,
 * rotated chunks.
 */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zlib.h>

#include "check_main.h"
#include "buf.h"
#include "session.h"
#include "source.h"
#include "span.h"
#include "span_detail.h"
#include "trace.h"
#include "span_parse.h"
#include "strtab.h"
#include "tracefile.h"
#include "xmalloc.h"

static struct strref
ref(const char *s)
{
	struct strref r = { s, s != NULL ? strlen(s) : 0 };

	return r;
}

/* A span as the parser would report it; times in ms. */
static struct span_fields
mk(const char *id, const char *parent, const char *name, int64_t start_ms,
    int64_t end_ms)
{
	struct span_fields f;

	memset(&f, 0, sizeof f);
	f.span_id = ref(id);
	f.parent_id = ref(parent);
	f.name = ref(name);
	f.start_ns = start_ms < 0 ? SPAN_TIME_NONE : start_ms * 1000000;
	f.end_ns = end_ms < 0 ? SPAN_TIME_NONE : end_ms * 1000000;
	f.tokens_in = f.tokens_out = -1;
	f.tokens_cache_read = f.tokens_cache_write = -1;
	return f;
}

static uint32_t
add(struct trace *t, struct span_fields f)
{
	return trace_add(t, &f, 0, 0, 0);
}

/* The tree as "depth:name" words in depth-first order; placeholders as
 * "depth:?id". */
static char *
shape(struct trace *t)
{
	static char out[4096];
	uint32_t pos, node;
	size_t len = 0;

	out[0] = '\0';
	trace_update_tree(t);
	for (pos = 0; pos < trace_nodes(t); pos++) {
		node = trace_order(t, pos);
		if (trace_is_placeholder(t, node))
			len += snprintf(out + len, sizeof out - len, "%s%u:?%s", pos ? " " : "",
			    trace_depth(t, node), trace_str(t, trace_placeholder_id(t, node)));
		else
			len += snprintf(out + len, sizeof out - len, "%s%u:%s", pos ? " " : "",
			    trace_depth(t, node), trace_str(t, trace_span(t, node)->name));
	}
	return out;
}

/* trace_describe_structure's line, "" when it has none. */
static char *
describe(struct trace *t)
{
	static char line[256];
	struct buf b = BUF_INIT;

	line[0] = '\0';
	if (trace_describe_structure(t, &b))
		snprintf(line, sizeof line, "%s", buf_str(&b));
	buf_free(&b);
	return line;
}

START_TEST(test_tree_order_children_first)
{
	struct trace *t = trace_new();

	/* Written in end order, root last, as the SDK exporter does. */
	add(t, mk("c2", "r", "second", 20, 30));
	add(t, mk("g1", "c1", "grandchild", 11, 12));
	add(t, mk("c1", "r", "first", 10, 15));
	add(t, mk("c0", "r", "same-start-later-in-file", 20, 25));
	add(t, mk("r", NULL, "root", 0, 40));
	ck_assert_str_eq(shape(t),
	    "0:root 1:first 2:grandchild 1:second 1:same-start-later-in-file");
	ck_assert_int_eq(trace_subtree_size(t, 4), 5);
	ck_assert_int_eq(trace_parent(t, 1), 2);
	trace_free(t);
}
END_TEST

START_TEST(test_orphans_move_when_parent_arrives)
{
	struct trace *t = trace_new();
	uint32_t a;

	a = add(t, mk("a", "missing", "orphan-a", 5, 6));
	add(t, mk("b", "missing", "orphan-b", 1, 2));
	add(t, mk("c", "a", "child-of-a", 5, 6));
	ck_assert_str_eq(shape(t), "0:?missing 1:orphan-b 1:orphan-a 2:child-of-a");
	ck_assert(trace_is_orphan(t, a));
	ck_assert(!trace_is_orphan(t, 2));
	add(t, mk("missing", NULL, "root", 0, 10));
	ck_assert_str_eq(shape(t), "0:root 1:orphan-b 1:orphan-a 2:child-of-a");
	ck_assert(!trace_is_orphan(t, a));
	trace_free(t);
}
END_TEST

START_TEST(test_snapshot_until_updated)
{
	struct trace *t = trace_new();

	add(t, mk("a", "missing", "orphan", 5, 6));
	ck_assert_str_eq(shape(t), "0:?missing 1:orphan");
	/* A span added later is not in the snapshot, and the placeholder
	 * keeps its node number, until the tree is updated. */
	add(t, mk("missing", NULL, "root", 0, 10));
	ck_assert(trace_tree_stale(t));
	ck_assert_uint_eq(trace_nodes(t), 2);
	ck_assert(trace_is_placeholder(t, 1));
	ck_assert_str_eq(trace_str(t, trace_placeholder_id(t, 1)), "missing");
	ck_assert_str_eq(shape(t), "0:root 1:orphan");
	ck_assert(!trace_tree_stale(t));
	ck_assert(!trace_is_placeholder(t, 1));
	trace_free(t);
}
END_TEST

/* Whether span index order is file order (the search's file pass relies
 * on it, and it is tracked as spans come instead of looked for). */
START_TEST(test_file_order_tracked)
{
	struct trace *t = trace_new();
	struct span_fields f = mk("a", NULL, "a", 0, 1);

	ck_assert(trace_in_file_order(t));
	trace_add(t, &f, 0, 100, 10);
	trace_add(t, &f, 0, 100, 10);   /* the next span of the same line */
	trace_add(t, &f, 0, 200, 10);
	trace_add(t, &f, 1, 0, 10);     /* the next file */
	ck_assert(trace_in_file_order(t));
	trace_add(t, &f, 1, 5, 10);
	trace_add(t, &f, 0, 300, 10);   /* an earlier file again */
	ck_assert(!trace_in_file_order(t));
	trace_free(t);
	t = trace_new();
	trace_add(t, &f, 0, 200, 10);
	trace_add(t, &f, 0, 100, 10);   /* back within a file */
	ck_assert(!trace_in_file_order(t));
	trace_free(t);
}
END_TEST

/* Room made for a load's expected size keeps what the trace holds and
 * finds every id after; a guess that cannot be trusted is ignored. */
START_TEST(test_expect_keeps_and_finds)
{
	struct trace *t = trace_new(), *plain = trace_new();
	struct strtab *st = strtab_new();
	char id[16], parent[16];
	size_t before;
	uint32_t i, a;
	int k;

	trace_expect(t, 100);                 /* empty: nothing to scale */
	ck_assert_uint_eq(trace_bytes(t), trace_bytes(plain));
	for (k = 0; k < 10; k++) {
		snprintf(id, sizeof id, "s%d", k);
		snprintf(parent, sizeof parent, "s%d", k / 2);
		add(t, mk(id, k ? parent : NULL, "n", k, k + 1));
	}
	before = trace_bytes(t);
	trace_expect(t, 1e9);                 /* too wild a guess */
	ck_assert_uint_eq(trace_bytes(t), before);
	trace_expect(t, 300);
	ck_assert_uint_gt(trace_bytes(t), before);
	for (k = 10; k < 5000; k++) {
		snprintf(id, sizeof id, "s%d", k);
		snprintf(parent, sizeof parent, "s%d", k / 2);
		add(t, mk(id, parent, "n", k, k + 1));
	}
	ck_assert_uint_eq(trace_count(t), 5000);
	for (k = 0; k < 5000; k += 7) {
		snprintf(id, sizeof id, "s%d", k);
		i = trace_find(t, id, strlen(id));
		ck_assert_uint_eq(i, (uint32_t)k);
		ck_assert_str_eq(trace_str(t, trace_span(t, i)->id), id);
	}
	ck_assert_uint_eq(trace_subtree_size(t, 0), 5000);
	/* The table alone: strings kept and found, ids unchanged. */
	a = strtab_intern(st, "alpha", 5);
	strtab_reserve(st, 100000);
	ck_assert_uint_eq(strtab_find(st, "alpha", 5), a);
	ck_assert_uint_eq(strtab_intern(st, "beta", 4), a + 1);
	ck_assert_str_eq(strtab_str(st, a + 1), "beta");
	strtab_free(st);
	trace_free(plain);
	trace_free(t);
}
END_TEST

START_TEST(test_duplicate_ids_do_not_hang)
{
	struct trace *t = trace_new();

	add(t, mk("r", NULL, "root", 0, 10));
	add(t, mk("x", "r", "x-first", 1, 2));
	add(t, mk("x", "r", "x-again", 3, 4));
	add(t, mk("y", "x", "child-of-x", 1, 2));
	ck_assert_str_eq(shape(t), "0:root 1:x-first 2:child-of-x 1:x-again");
	ck_assert_int_eq(trace_find(t, "x", 1), 1);
	ck_assert_uint_eq(trace_stats(t)->duplicate_ids, 1);
	ck_assert_uint_eq(trace_cycles_broken(t), 0);
	ck_assert_str_eq(describe(t), "1 span reuses an earlier span's id (children go under the first)");
	trace_free(t);
}
END_TEST

START_TEST(test_self_parent_is_root)
{
	struct trace *t = trace_new();
	uint32_t s;

	s = add(t, mk("s", "s", "self", 0, 1));
	ck_assert_str_eq(shape(t), "0:self");
	ck_assert(trace_is_cycle_break(t, s));
	trace_free(t);
}
END_TEST

START_TEST(test_cycles_are_broken)
{
	struct trace *t = trace_new();

	/* a → b → c → a, plus d hanging off b; the earliest (b) becomes root. */
	add(t, mk("a", "c", "a", 30, 40));
	add(t, mk("b", "a", "b", 10, 50));
	add(t, mk("c", "b", "c", 20, 30));
	add(t, mk("d", "b", "d", 25, 26));
	ck_assert_str_eq(shape(t), "0:b 1:c 2:a 1:d");
	ck_assert(trace_is_cycle_break(t, 1));
	add(t, mk("s", "s", "self", 0, 1));
	add(t, mk("", NULL, "no-id", 0, 1));
	add(t, mk("", NULL, "no-id-either", 0, 1));
	trace_update_tree(t);
	ck_assert_uint_eq(trace_cycles_broken(t), 2);
	ck_assert_uint_eq(trace_stats(t)->duplicate_ids, 0); /* empty ids are not ids */
	ck_assert_str_eq(describe(t),
	    "2 parent cycles broken: the earliest span of each is shown as a root");
	trace_free(t);
}
END_TEST

START_TEST(test_deep_chain_no_recursion)
{
	struct trace *t = trace_new();
	char id[32], parent[32];
	int i, n = 200000;

	for (i = 0; i < n; i++) {
		snprintf(id, sizeof id, "s%d", i);
		snprintf(parent, sizeof parent, "s%d", i - 1);
		add(t, mk(id, i == 0 ? NULL : parent, "deep", i, i + 1));
	}
	ck_assert_int_eq(trace_nodes(t), n);
	ck_assert_int_eq(trace_depth(t, (uint32_t)n - 1), n - 1);
	ck_assert_int_eq(trace_subtree_size(t, 0), n);
	trace_free(t);
}
END_TEST

START_TEST(test_token_rollup)
{
	struct trace *t = trace_new();
	struct span_fields f;

	f = mk("l1", "r", "llm.generate", 1, 2);
	f.tokens_in = 100;
	f.tokens_out = 10;
	add(t, f);
	f = mk("l2", "a", "llm.generate", 3, 4);
	f.tokens_in = 5;
	add(t, f);
	add(t, mk("a", "r", "agent.call", 2, 5));
	add(t, mk("r", NULL, "workflow.run", 0, 9));
	ck_assert_int_eq(trace_rollup_in(t, 3), 105);
	ck_assert_int_eq(trace_rollup_out(t, 3), 10);
	ck_assert_int_eq(trace_rollup_in(t, 2), 5);
	ck_assert_int_eq(trace_stats(t)->tokens_in, 105);
	ck_assert_int_eq(trace_stats(t)->tokens_out, 10);
	trace_free(t);

	/* Counts are untrusted: sums saturate instead of wrapping negative. */
	t = trace_new();
	f = mk("l1", "r", "llm.generate", 1, 2);
	f.tokens_in = INT64_MAX;
	f.tokens_out = INT64_MAX - 1;
	add(t, f);
	f = mk("l2", "r", "llm.generate", 1, 2);
	f.tokens_in = INT64_MAX;
	f.tokens_out = 5;
	add(t, f);
	add(t, mk("r", NULL, "workflow.run", 0, 9));
	ck_assert_int_eq(trace_rollup_in(t, 2), INT64_MAX);
	ck_assert_int_eq(trace_rollup_out(t, 2), INT64_MAX);
	ck_assert_int_eq(trace_stats(t)->tokens_in, INT64_MAX);
	ck_assert_int_eq(trace_stats(t)->tokens_out, INT64_MAX);
	trace_free(t);

	/* The one sum every module uses (a server's heartbeat deltas too):
	 * unknown (-1) counts add nothing. */
	ck_assert_int_eq(tokens_add(-1, 7), 7);
	ck_assert_int_eq(tokens_add(7, -1), 7);
	ck_assert_int_eq(tokens_add(-1, -1), 0);
	ck_assert_int_eq(tokens_add(INT64_MAX - 3, 3), INT64_MAX);
	ck_assert_int_eq(tokens_add(INT64_MAX - 3, 4), INT64_MAX);
	ck_assert_int_eq(tokens_add(INT64_MAX, INT64_MAX), INT64_MAX);
}
END_TEST

/*
 * Session status and meta rules, through a real session read from a file
 * written by the test (flat layout: the least to write).
 */

static char tmpdir[] = "/tmp/test_model.XXXXXX";

static void
setup_tmp(void)
{
	ck_assert_ptr_nonnull(mkdtemp(tmpdir));
}

static void
teardown_tmp(void)
{
	char cmd[128];

	snprintf(cmd, sizeof cmd, "rm -rf %s", tmpdir);
	ck_assert_int_eq(system(cmd), 0);
	strcpy(tmpdir, "/tmp/test_model.XXXXXX");
}

static void
write_file(const char *name, const char *text)
{
	char path[512];
	FILE *f;

	snprintf(path, sizeof path, "%s/%s", tmpdir, name);
	f = fopen(path, "w");
	ck_assert_ptr_nonnull(f);
	fputs(text, f);
	fclose(f);
}

/* Read the one file as session id and fill *m (free with meta_clear). */
static struct session *
read_session_id(const char *name, const char *id, struct session_meta *m)
{
	struct session_ref r;
	struct session *s;
	char path[512], *files[1];

	snprintf(path, sizeof path, "%s/%s", tmpdir, name);
	files[0] = path;
	memset(&r, 0, sizeof r);
	r.id = (char *)id;
	r.files = files;
	r.nfiles = 1;
	s = session_new(&r);
	while (session_read(s, 1 << 20) == 1)
		;
	session_finish(s);
	session_meta_get(s, m);
	return s;
}

static struct session *
read_session(const char *name, struct session_meta *m)
{
	return read_session_id(name, "0123456789abcdef", m);
}

static enum session_status
status_of(const char *text)
{
	struct session_meta m;
	struct session *s;
	enum session_status st;

	write_file("s.jsonl", text);
	s = read_session("s.jsonl", &m);
	st = m.status;
	session_meta_clear(&m);
	session_free(s);
	return st;
}

#define ROOT_OK "{\"span_id\":\"r\",\"name\":\"workflow.run\",\"start_time\":\"2025-01-01T00:00:00Z\",\"end_time\":\"2025-01-01T00:00:01Z\"}\n"
#define ROOT_OPEN "{\"span_id\":\"r\",\"name\":\"workflow.run\",\"start_time\":\"2025-01-01T00:00:00Z\"}\n"
#define ROOT_ERR "{\"span_id\":\"r\",\"name\":\"workflow.run\",\"start_time\":\"2025-01-01T00:00:00Z\",\"end_time\":\"2025-01-01T00:00:01Z\",\"status\":{\"status_code\":\"ERROR\"}}\n"
#define CHILD "{\"span_id\":\"c\",\"parent_span_id\":\"r\",\"name\":\"tool.call\",\"start_time\":\"2025-01-01T00:00:00.5Z\",\"end_time\":\"2025-01-01T00:00:00.7Z\"}\n"
#define CHILD_ERR "{\"span_id\":\"c\",\"parent_span_id\":\"r\",\"name\":\"tool.call\",\"start_time\":\"2025-01-01T00:00:00.5Z\",\"end_time\":\"2025-01-01T00:00:00.7Z\",\"status\":{\"status_code\":\"ERROR\"}}\n"
#define WF_ERR "{\"span_id\":\"w\",\"parent_span_id\":\"r\",\"name\":\"sub\",\"attributes\":{\"mcp.workflow.type\":\"router\"},\"start_time\":\"2025-01-01T00:00:00.5Z\",\"end_time\":\"2025-01-01T00:00:00.7Z\",\"status\":{\"status_code\":\"ERROR\"}}\n"
#define PAUSED "{\"span_id\":\"p\",\"parent_span_id\":\"r\",\"name\":\"wait\",\"attributes\":{\"mcp.session.paused\":true,\"mcp.signal.name\":\"human_input\"},\"start_time\":\"2025-01-01T00:00:00.5Z\"}\n"

START_TEST(test_status_rules)
{
	ck_assert_int_eq(status_of(CHILD), SESSION_RUNNING);          /* no root yet */
	ck_assert_int_eq(status_of(CHILD ROOT_OPEN), SESSION_RUNNING); /* root open */
	ck_assert_int_eq(status_of(CHILD ROOT_OK), SESSION_COMPLETED);
	ck_assert_int_eq(status_of(CHILD_ERR ROOT_OK), SESSION_COMPLETED); /* a tool error alone */
	ck_assert_int_eq(status_of(CHILD ROOT_ERR), SESSION_FAILED);
	ck_assert_int_eq(status_of(WF_ERR ROOT_OK), SESSION_FAILED);
	ck_assert_int_eq(status_of(PAUSED ROOT_ERR), SESSION_PAUSED);  /* paused wins */
	ck_assert_int_eq(status_of(""), SESSION_RUNNING);
}
END_TEST

/* One read of a gzip file decodes a bounded amount, whatever its input
 * budget: 64 MiB of zeros in 64 KiB of gzip must not be decoded in one
 * call (the browser reads in slices between keys). */
START_TEST(test_read_output_bounded)
{
	struct span_parser *sp = span_parser_new();
	struct trace *t = trace_new();
	struct tracefile *tf;
	char path[512], *cause = NULL, *zeros = xcalloc(1, 1 << 20);
	gzFile gz;
	int k, rc;

	snprintf(path, sizeof path, "%s/zeros.jsonl.gz", tmpdir);
	ck_assert_ptr_nonnull(gz = gzopen(path, "wb9"));
	for (k = 0; k < 64; k++)
		ck_assert_int_eq(gzwrite(gz, zeros, 1 << 20), 1 << 20);
	gzclose(gz);
	free(zeros);
	ck_assert_ptr_nonnull(tf = tracefile_open(path, 0, &cause));
	rc = tracefile_read(tf, sp, t, 1 << 20, &cause);
	ck_assert_int_eq(rc, 1); /* more to read: it stopped early */
	ck_assert_uint_lt(tracefile_consumed(tf), 16 * 1024);
	while ((rc = tracefile_read(tf, sp, t, 1 << 20, &cause)) == 1)
		;
	ck_assert_int_eq(rc, 0); /* and reads on to the end */
	ck_assert_uint_eq(tracefile_consumed(tf), tracefile_size(tf));
	tracefile_free(tf);
	trace_free(t);
	span_parser_free(sp);
}
END_TEST

/* One read also stops after a bounded number of lines: 2 MiB of tiny
 * lines is a million of them, too many between two keys. */
START_TEST(test_read_lines_bounded)
{
	struct span_parser *sp = span_parser_new();
	struct trace *t = trace_new();
	struct tracefile *tf;
	char path[512], *cause = NULL, *tiny = xmalloc(1 << 20);
	gzFile gz;
	int k, rc;

	for (k = 0; k < 1 << 20; k += 2)
		memcpy(tiny + k, "x\n", 2);
	snprintf(path, sizeof path, "%s/tiny.jsonl.gz", tmpdir);
	ck_assert_ptr_nonnull(gz = gzopen(path, "wb6"));
	for (k = 0; k < 8; k++)
		ck_assert_int_eq(gzwrite(gz, tiny, 1 << 20), 1 << 20);
	gzclose(gz);
	free(tiny);
	ck_assert_ptr_nonnull(tf = tracefile_open(path, 0, &cause));
	rc = tracefile_read(tf, sp, t, 1 << 20, &cause);
	ck_assert_int_eq(rc, 1);
	/* The budget plus at most one piece of output (64 KiB) past it. */
	ck_assert_uint_gt(tracefile_bad_lines(tf), 0);
	ck_assert_uint_le(tracefile_bad_lines(tf), 16384 + 32768);
	while ((rc = tracefile_read(tf, sp, t, 1 << 20, &cause)) == 1)
		;
	ck_assert_int_eq(rc, 0);
	ck_assert_uint_eq(tracefile_bad_lines(tf), 4u << 20);
	ck_assert_uint_eq(tracefile_consumed(tf), tracefile_size(tf));
	tracefile_free(tf);
	trace_free(t);
	span_parser_free(sp);
}
END_TEST

START_TEST(test_meta_title_engine_counts)
{
	struct session_meta m;
	struct session *s;

	write_file("a.jsonl", CHILD_ERR "not json\n\n" ROOT_OK);
	s = read_session("a.jsonl", &m);
	ck_assert_str_eq(m.title, "Session 01234567");
	ck_assert_str_eq(m.engine, "asyncio");
	ck_assert_int_eq(m.span_count, 2);
	ck_assert_int_eq(m.error_count, 1);
	ck_assert_int_eq(m.bad_lines, 1); /* the blank line is not bad */
	ck_assert_int_eq(m.started_at, 1735689600LL * 1000000000);
	ck_assert_int_eq(m.ended_at, 1735689601LL * 1000000000);
	ck_assert_ptr_nonnull(session_first_bad(s));
	ck_assert_ptr_nonnull(strstr(session_first_bad(s), "a.jsonl:2:"));
	session_meta_clear(&m);
	session_free(s);

	write_file("b.jsonl", WF_ERR "{\"span_id\":\"r\",\"name\":\"x\",\"attributes\":"
	    "{\"mcp.engine.type\":\"temporal\"}}\n");
	s = read_session("b.jsonl", &m);
	ck_assert_str_eq(m.title, "router - 01234567");
	ck_assert_str_eq(m.engine, "temporal");
	session_meta_clear(&m);
	session_free(s);
	/* The id's first 8 characters, not bytes: "é" is two bytes. */
	s = read_session_id("b.jsonl", "\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9", &m);
	ck_assert_str_eq(m.title, "router - \xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9");
	session_meta_clear(&m);
	session_free(s);

	write_file("c.jsonl", "{\"span_id\":\"r\",\"name\":\"x\",\"attributes\":"
	    "{\"mcp.session.title\":\"Refund flow\",\"mcp.workflow.type\":\"router\"}}\n");
	s = read_session("c.jsonl", &m);
	ck_assert_str_eq(m.title, "Refund flow");
	session_meta_clear(&m);
	session_free(s);

	write_file("d.jsonl", PAUSED);
	s = read_session("d.jsonl", &m);
	ck_assert_int_eq(m.status, SESSION_PAUSED);
	ck_assert_str_eq(m.signal_name, "human_input");
	session_meta_clear(&m);
	session_free(s);
}
END_TEST

START_TEST(test_detail_fetched_back_by_offset)
{
	struct session_meta m;
	struct session *s;
	char *line, *cause = NULL;

	write_file("e.jsonl", CHILD "garbage\r\n" ROOT_OK);
	s = read_session("e.jsonl", &m);
	ck_assert_int_eq(trace_count(session_trace(s)), 2);
	line = session_span_line(s, 1, &cause);
	ck_assert_ptr_nonnull(line);
	ck_assert_int_eq(strncmp(line, ROOT_OK, strlen(ROOT_OK) - 1), 0);
	free(line);
	session_meta_clear(&m);
	session_free(s);
}
END_TEST

START_TEST(test_final_line_without_newline)
{
	struct session_meta m;
	struct session *s;

	/* Kept when it parses; a torn tail is neither a span nor a bad line. */
	write_file("f.jsonl", CHILD "{\"span_id\":\"r\",\"name\":\"workflow.run\"}");
	s = read_session("f.jsonl", &m);
	ck_assert_int_eq(m.span_count, 2);
	session_meta_clear(&m);
	session_free(s);
	write_file("g.jsonl", CHILD "{\"span_id\":\"r\",\"na");
	s = read_session("g.jsonl", &m);
	ck_assert_int_eq(m.span_count, 1);
	ck_assert_int_eq(m.bad_lines, 0);
	session_meta_clear(&m);
	session_free(s);
}
END_TEST

START_TEST(test_session_ids_from_names)
{
	unsigned chunk;
	char *id;

	id = source_session_id("/x/abc-1.jsonl.gz", &chunk);
	ck_assert_str_eq(id, "abc-1");
	ck_assert_uint_eq(chunk, 0);
	free(id);
	id = source_session_id("abc-1.jsonl.chunk_12.jsonl.gz", &chunk);
	ck_assert_str_eq(id, "abc-1");
	ck_assert_uint_eq(chunk, 12);
	free(id);
	id = source_session_id("mcp-agent-trace-x.jsonl", &chunk);
	ck_assert_str_eq(id, "mcp-agent-trace-x");
	free(id);
	id = source_session_id("t.json", &chunk);
	ck_assert_str_eq(id, "t");
	free(id);
	ck_assert_ptr_null(source_session_id("notes.txt", &chunk));
	ck_assert_ptr_null(source_session_id(".jsonl", &chunk));
}
END_TEST

START_TEST(test_scan_groups_chunks_in_order)
{
	struct session_ref *refs;
	struct source src;
	size_t n;
	char *cause = NULL;

	write_file("s1.jsonl.chunk_10.jsonl.gz", "");
	write_file("s1.jsonl.chunk_2.jsonl.gz", "");
	write_file("s1.jsonl.gz", "");
	write_file("s2.jsonl", "");
	write_file("README.md", "");
	ck_assert_int_eq(source_init(&src, tmpdir, &cause), 0);
	ck_assert_int_eq(src.kind, SOURCE_DIR);
	ck_assert_int_eq(source_scan(&src, &refs, &n, &cause), 0);
	ck_assert_uint_eq(n, 2);
	ck_assert_int_eq(session_ref_find(refs, n, "s1"), session_ref_find(refs, n, "s1"));
	{
		long i = session_ref_find(refs, n, "s1");

		ck_assert_int_ge(i, 0);
		ck_assert_uint_eq(refs[i].nfiles, 3);
		ck_assert_ptr_nonnull(strstr(refs[i].files[0], "/s1.jsonl.gz"));
		ck_assert_ptr_nonnull(strstr(refs[i].files[1], "chunk_2."));
		ck_assert_ptr_nonnull(strstr(refs[i].files[2], "chunk_10."));
	}
	ck_assert_int_eq(session_ref_find(refs, n, "s"), -2);  /* ambiguous */
	ck_assert_int_eq(session_ref_find(refs, n, "zz"), -1);
	session_refs_free(refs, n);
	source_clear(&src);
}
END_TEST

START_TEST(test_missing_source_is_an_error)
{
	struct source src;
	char *cause = NULL;

	ck_assert_int_eq(source_init(&src, "/nonexistent/traces", &cause), -1);
	ck_assert_ptr_nonnull(strstr(cause, "/nonexistent/traces"));
	free(cause);
}
END_TEST


/*
 * A file still being written: multi-member gzip torn inside a member's
 * header, its deflate data and its trailer, read, then grown.  Every span
 * must appear exactly once, in order.
 */

/* One gzip member holding text. */
static size_t
gzip_member(const char *text, unsigned char *out, size_t cap)
{
	z_stream z;

	memset(&z, 0, sizeof z);
	ck_assert_int_eq(deflateInit2(&z, 6, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY), Z_OK);
	z.next_in = (unsigned char *)text;
	z.avail_in = (uInt)strlen(text);
	z.next_out = out;
	z.avail_out = (uInt)cap;
	ck_assert_int_eq(deflate(&z, Z_FINISH), Z_STREAM_END);
	deflateEnd(&z);
	return cap - z.avail_out;
}

static void
append_bytes(const char *name, const unsigned char *p, size_t n)
{
	char path[512];
	FILE *f;

	snprintf(path, sizeof path, "%s/%s", tmpdir, name);
	f = fopen(path, "ab");
	ck_assert_ptr_nonnull(f);
	ck_assert_uint_eq(fwrite(p, 1, n, f), n);
	fclose(f);
}

START_TEST(test_torn_gzip_grows_without_loss)
{
	enum { NSPANS = 40 };
	static unsigned char gz[NSPANS * 512];
	size_t off[NSPANS + 1], total = 0, cuts[3], k;
	char line[256], name[64], want[16];
	struct session_ref r;
	struct session *s;
	struct trace *t;
	char path[512], *files[1];
	uint32_t i;
	int c;

	for (i = 0; i < NSPANS; i++) {
		snprintf(line, sizeof line, "{\"span_id\":\"s%u\",\"parent_span_id\":\"root\","
		    "\"name\":\"tool.call\",\"start_time\":\"2025-01-01T00:00:%02uZ\"}\n", i, i % 60);
		off[i] = total;
		total += gzip_member(line, gz + total, sizeof gz - total);
	}
	off[NSPANS] = total;
	/* Inside member 10's header, 20's deflate data, 30's trailer. */
	cuts[0] = off[10] + 4;
	cuts[1] = off[20] + 14;
	cuts[2] = off[31] - 3;
	for (c = 0; c < 3; c++) {
		snprintf(name, sizeof name, "torn%d.jsonl.gz", c);
		append_bytes(name, gz, cuts[c]);
		snprintf(path, sizeof path, "%s/%s", tmpdir, name);
		files[0] = path;
		memset(&r, 0, sizeof r);
		r.id = name;
		r.files = files;
		r.nfiles = 1;
		s = session_new(&r);
		while (session_read(s, 1000) == 1)
			;
		t = session_trace(s);
		/* Every line whose text was inflated before the cut (in a
		 * trailer cut, member 30's line is whole), nothing torn. */
		k = c == 0 ? 10 : c == 1 ? 20 : 31;
		ck_assert_uint_eq(trace_count(t), k);
		ck_assert_uint_eq(trace_stats(t)->bad_lines, 0);
		append_bytes(name, gz + cuts[c], total - cuts[c]);
		while (session_read(s, 1000) == 1)
			;
		ck_assert_uint_eq(trace_count(t), NSPANS);
		ck_assert_uint_eq(trace_stats(t)->bad_lines, 0);
		for (i = 0; i < NSPANS; i++) {
			snprintf(want, sizeof want, "s%u", i);
			ck_assert_str_eq(trace_str(t, trace_span(t, i)->id), want);
		}
		ck_assert_uint_eq(session_nwarnings(s), 0);
		session_free(s);
	}
}
END_TEST

START_TEST(test_corrupt_member_keeps_what_came_before)
{
	static unsigned char gz[4096];
	size_t n = 0;
	struct session_meta m;
	struct session *s;

	n += gzip_member(CHILD, gz + n, sizeof gz - n);
	memcpy(gz + n, "garbage!", 8);
	n += 8;
	n += gzip_member(ROOT_OK, gz + n, sizeof gz - n);
	append_bytes("bad.jsonl.gz", gz, n);
	s = read_session("bad.jsonl.gz", &m);
	ck_assert_int_eq(m.span_count, 1);
	ck_assert_uint_eq(session_nwarnings(s), 1);
	ck_assert_ptr_nonnull(strstr(session_warning(s, 0), "bad.jsonl.gz"));
	ck_assert_ptr_nonnull(strstr(session_warning(s, 0), "corrupt"));
	session_meta_clear(&m);
	session_free(s);
}
END_TEST

/* A valid span whose name attribute makes its line n bytes long. */
static char *
long_span(const char *id, size_t n)
{
	static const char head[] = "{\"span_id\":\"%s\",\"parent_span_id\":\"r\","
	    "\"name\":\"tool.call\",\"attributes\":{\"blob\":\"";
	char *line = xmalloc(n + 2);
	int k = snprintf(line, n, head, id);

	memset(line + k, 'x', n - (size_t)k - 4);
	memcpy(line + n - 4, "\"}}\n", 5);
	return line;
}

/* A line longer than what is held between reads (TRACEFILE_HOLD) but
 * within the limit is read back from the file, plain and gzip, from a file
 * read in small pieces; its text can be fetched again by offset. */
START_TEST(test_long_line_read_back)
{
	size_t n = TRACEFILE_HOLD * 3 + 17, len, cap;
	char *big = long_span("big", n), *text, *line, *cause = NULL;
	unsigned char *gz;
	struct session_meta m;
	struct session *s;

	ck_assert_uint_eq(strlen(big), n);
	text = xasprintf("%s%s%s", CHILD, big, ROOT_OK);
	write_file("long.jsonl", text);
	cap = strlen(text) + 4096;
	gz = xmalloc(cap);
	len = gzip_member(text, gz, cap);
	append_bytes("long.jsonl.gz", gz, len);
	for (int k = 0; k < 2; k++) {
		s = read_session(k == 0 ? "long.jsonl" : "long.jsonl.gz", &m);
		ck_assert_int_eq(m.span_count, 3);
		ck_assert_int_eq(m.bad_lines, 0);
		ck_assert_uint_eq(session_nwarnings(s), 0);
		ck_assert_str_eq(trace_str(session_trace(s), trace_span(session_trace(s), 1)->id),
		    "big");
		line = session_span_line(s, 1, &cause);
		ck_assert_ptr_nonnull(line);
		ck_assert_uint_eq(strlen(line), n - 1);
		ck_assert_int_eq(memcmp(line, big, n - 1), 0);
		free(line);
		session_meta_clear(&m);
		session_free(s);
	}
	free(gz);
	free(text);
	free(big);
}
END_TEST

/* Over the limit: one bad line that says so; the lines around it stay. */
START_TEST(test_overlong_line_is_one_bad_line)
{
	char *big = long_span("big", TRACEFILE_MAX_LINE + 2);
	struct session_meta m;
	struct session *s;

	write_file("over.jsonl", CHILD);
	append_bytes("over.jsonl", (unsigned char *)big, strlen(big));
	append_bytes("over.jsonl", (unsigned char *)ROOT_OK, strlen(ROOT_OK));
	s = read_session("over.jsonl", &m);
	ck_assert_int_eq(m.span_count, 2);
	ck_assert_int_eq(m.bad_lines, 1);
	ck_assert_ptr_nonnull(strstr(session_first_bad(s), "over.jsonl:2: line of"));
	ck_assert_ptr_nonnull(strstr(session_first_bad(s), "limit of 64 MiB"));
	session_meta_clear(&m);
	session_free(s);
	free(big);
}
END_TEST

/*
 * A gzip bomb: a good member, then one member of zeros that would inflate
 * to 1 GiB (one MiB's deflate blocks repeated: after a full flush deflate
 * writes the same bytes for the same input).  Reading stops past
 * TRACEFILE_BOMB_MIN with one warning; the good span stays.
 */
START_TEST(test_gzip_bomb_stops)
{
	static const unsigned char header[10] = { 0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 0xff };
	size_t cap = 1 << 20, n, len;
	unsigned char *zeros = xcalloc(1, cap), *block = xmalloc(cap), *gz = xmalloc(4096);
	struct session_meta m;
	struct session *s;
	z_stream z;
	int i;

	memset(&z, 0, sizeof z);
	ck_assert_int_eq(deflateInit2(&z, 9, Z_DEFLATED, -15, 8, Z_DEFAULT_STRATEGY), Z_OK);
	z.next_in = zeros;
	z.avail_in = (uInt)cap;
	z.next_out = block;
	z.avail_out = (uInt)cap;
	ck_assert_int_eq(deflate(&z, Z_FULL_FLUSH), Z_OK);
	n = cap - z.avail_out;
	deflateEnd(&z);
	len = gzip_member(CHILD ROOT_OK, gz, 4096);
	append_bytes("bomb.jsonl.gz", gz, len);
	append_bytes("bomb.jsonl.gz", header, sizeof header);
	for (i = 0; i < 1024; i++)
		append_bytes("bomb.jsonl.gz", block, n);
	s = read_session("bomb.jsonl.gz", &m);
	ck_assert_int_eq(m.span_count, 2);
	ck_assert_uint_eq(session_nwarnings(s), 1);
	ck_assert_ptr_nonnull(strstr(session_warning(s, 0), "bomb.jsonl.gz: decompresses to over"));
	ck_assert_uint_lt(session_consumed(s), 1024 * n);
	session_meta_clear(&m);
	session_free(s);
	free(zeros);
	free(block);
	free(gz);
}
END_TEST

/* A .gz name promises gzip: plain text in it is one warning, not lines. */
START_TEST(test_gz_name_needs_gzip)
{
	struct session_meta m;
	struct session *s;

	write_file("plain.jsonl.gz", CHILD ROOT_OK);
	s = read_session("plain.jsonl.gz", &m);
	ck_assert_int_eq(m.span_count, 0);
	ck_assert_int_eq(m.bad_lines, 0);
	ck_assert_uint_eq(session_nwarnings(s), 1);
	ck_assert_ptr_nonnull(strstr(session_warning(s, 0), "plain.jsonl.gz: not gzip data"));
	session_meta_clear(&m);
	session_free(s);
}
END_TEST

/* Read every session of the directory; the warnings of all, joined. */
static char *
scan_and_read(size_t *nsessions, uint32_t *spans)
{
	struct session_ref *refs;
	struct source src;
	struct session *s;
	struct buf b = BUF_INIT;
	size_t n, i, k;
	char *cause = NULL;

	ck_assert_int_eq(source_init(&src, tmpdir, &cause), 0);
	ck_assert_int_eq(source_scan(&src, &refs, &n, &cause), 0);
	*spans = 0;
	for (i = 0; i < n; i++) {
		s = session_new(&refs[i]);
		while (session_read(s, 1 << 20) == 1)
			;
		session_finish(s);
		*spans += trace_count(session_trace(s));
		for (k = 0; k < session_nwarnings(s); k++)
			buf_printf(&b, "%s\n", session_warning(s, k));
		session_free(s);
	}
	*nsessions = n;
	session_refs_free(refs, n);
	source_clear(&src);
	return buf_detach(&b);
}

/*
 * Names of trace files that cannot be read — looping and dangling
 * symlinks, a directory, a pipe (which must not block), an empty file —
 * each give their session one warning naming them; a looping chunk of a
 * good session leaves its good spans alone.
 */
START_TEST(test_unreadable_names_warn)
{
	char path[600], target[600], *w;
	size_t n;
	uint32_t spans;

	write_file("good.jsonl", CHILD ROOT_OK);
	write_file("empty.jsonl", "");
	snprintf(path, sizeof path, "%s/loop.jsonl", tmpdir);
	ck_assert_int_eq(symlink("loop.jsonl", path), 0);
	snprintf(path, sizeof path, "%s/good.jsonl.chunk_1.jsonl", tmpdir);
	ck_assert_int_eq(symlink("loop.jsonl", path), 0);
	snprintf(path, sizeof path, "%s/dangling.jsonl", tmpdir);
	snprintf(target, sizeof target, "%s/nowhere", tmpdir);
	ck_assert_int_eq(symlink(target, path), 0);
	snprintf(path, sizeof path, "%s/dir.jsonl", tmpdir);
	ck_assert_int_eq(mkdir(path, 0755), 0);
	snprintf(path, sizeof path, "%s/fifo.jsonl", tmpdir);
	ck_assert_int_eq(mkfifo(path, 0644), 0);
	w = scan_and_read(&n, &spans);
	ck_assert_uint_eq(n, 6);
	ck_assert_uint_eq(spans, 2);
#define HAS(s) ck_assert_msg(strstr(w, s) != NULL, "no '%s' in:\n%s", s, w)
	HAS("/loop.jsonl: Too many levels of symbolic links\n");
	HAS("/good.jsonl.chunk_1.jsonl: Too many levels of symbolic links\n");
	HAS("/dangling.jsonl: No such file or directory\n");
	HAS("/dir.jsonl: is a directory\n");
	HAS("/fifo.jsonl: not a regular file");
	HAS("/empty.jsonl is empty\n");
#undef HAS
	free(w);
}
END_TEST

/* jansson refuses \u0000 in keys: the key is shown with the escape as
 * text and values keep their NUL; a span whose detail cannot be parsed
 * (deeper than jansson's limit) says which file and span. */
START_TEST(test_detail_nul_key_and_cause)
{
	static const char nul[] = "{\"span_id\":\"n\",\"name\":\"x\",\"attributes\":"
	    "{\"k\\u0000\" : \"v\\u0000w\",\"s\":\"\\\\u0000\\\"\"}}\n";
	struct session_meta m;
	struct session *s;
	struct span_detail *d;
	const struct kv *kv;
	struct buf b = BUF_INIT;
	char *cause = NULL;
	int k;

	buf_adds(&b, nul);
	buf_adds(&b, "{\"span_id\":\"deep\",\"name\":\"y\",\"attributes\":{\"x\":");
	for (k = 0; k < 3000; k++)
		buf_addc(&b, '[');
	for (k = 0; k < 3000; k++)
		buf_addc(&b, ']');
	buf_adds(&b, "}}\n");
	write_file("nul.jsonl", buf_str(&b));
	s = read_session("nul.jsonl", &m);
	ck_assert_int_eq(m.span_count, 2);
	d = session_span_detail(s, 0, &cause);
	ck_assert_msg(d != NULL, "%s", cause);
	ck_assert_ptr_nonnull(kv = span_detail_attr(d, "k\xef\xbf\xbd"));
	ck_assert_str_eq(kv->json, "\"v\xef\xbf\xbdw\"");
	ck_assert_ptr_nonnull(kv = span_detail_attr(d, "s"));
	ck_assert_str_eq(kv->str, "\\u0000\"");
	span_detail_free(d);
	ck_assert_ptr_null(session_span_detail(s, 1, &cause));
	ck_assert_msg(strstr(cause, "/nul.jsonl: span deep: span detail: JSON error") != NULL,
	    "%s", cause);
	free(cause);
	session_meta_clear(&m);
	session_free(s);
	buf_free(&b);
}
END_TEST

static Suite *
model_suite(void)
{
	Suite *s = suite_create("model");
	TCase *tc = tcase_create("tree");
	TCase *ts = tcase_create("session");

	tcase_add_test(tc, test_tree_order_children_first);
	tcase_add_test(tc, test_orphans_move_when_parent_arrives);
	tcase_add_test(tc, test_snapshot_until_updated);
	tcase_add_test(tc, test_file_order_tracked);
	tcase_add_test(tc, test_expect_keeps_and_finds);
	tcase_add_test(tc, test_duplicate_ids_do_not_hang);
	tcase_add_test(tc, test_self_parent_is_root);
	tcase_add_test(tc, test_cycles_are_broken);
	tcase_add_test(tc, test_deep_chain_no_recursion);
	tcase_add_test(tc, test_token_rollup);
	tcase_set_timeout(tc, 60);
	suite_add_tcase(s, tc);
	tcase_add_checked_fixture(ts, setup_tmp, teardown_tmp);
	tcase_add_test(ts, test_status_rules);
	tcase_add_test(ts, test_meta_title_engine_counts);
	tcase_add_test(ts, test_read_output_bounded);
	tcase_add_test(ts, test_read_lines_bounded);
	tcase_add_test(ts, test_detail_fetched_back_by_offset);
	tcase_add_test(ts, test_final_line_without_newline);
	tcase_add_test(ts, test_session_ids_from_names);
	tcase_add_test(ts, test_scan_groups_chunks_in_order);
	tcase_add_test(ts, test_missing_source_is_an_error);
	tcase_add_test(ts, test_torn_gzip_grows_without_loss);
	tcase_add_test(ts, test_corrupt_member_keeps_what_came_before);
	tcase_add_test(ts, test_long_line_read_back);
	tcase_add_test(ts, test_overlong_line_is_one_bad_line);
	tcase_add_test(ts, test_gzip_bomb_stops);
	tcase_add_test(ts, test_gz_name_needs_gzip);
	tcase_add_test(ts, test_unreadable_names_warn);
	tcase_add_test(ts, test_detail_nul_key_and_cause);
	tcase_set_timeout(ts, 60);
	suite_add_tcase(s, ts);
	return s;
}

int
main(void)
{
	return check_main(model_suite, "test_model", NULL);
}
