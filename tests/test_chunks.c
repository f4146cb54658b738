/* SPDX-License-Identifier: MIT */
/*
 * test_chunks.c — remote_chunks.c: a real inspector's rotated chunk rows of
 * /sessions folded into their session's row (doc/reference.md §4, last bullet).
 */
#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "check_main.h"
#include "remote_chunks.h"
#include "remote.h"
#include "span.h"

START_TEST(test_chunk_id)
{
	size_t len;
	unsigned long n;

	ck_assert(remote_chunk_id("abc.jsonl.chunk_2", &len, &n));
	ck_assert_uint_eq(len, 3);
	ck_assert_uint_eq(n, 2);
	ck_assert(remote_chunk_id("a.jsonl.chunk_1.jsonl.chunk_12", &len, &n));
	ck_assert_uint_eq(len, 15);
	ck_assert_uint_eq(n, 12);
	ck_assert(!remote_chunk_id("abc", &len, &n));
	ck_assert(!remote_chunk_id("abc.jsonl.chunk_", &len, &n));
	ck_assert(!remote_chunk_id("abc.jsonl.chunk_2x", &len, &n));
	ck_assert(!remote_chunk_id(".jsonl.chunk_2", &len, &n));
	ck_assert(!remote_chunk_id("abc-jsonl-chunk_2", &len, &n));
}
END_TEST

static void
parse(const char *json, struct remote_session **s, size_t *n)
{
	ck_assert_int_eq(remote_parse_sessions(json, strlen(json), s, n), 0);
}

START_TEST(test_fold)
{
	struct remote_session *s;
	size_t n;

	/* As the real inspector lists a rotated session: the base file, then
	 * each chunk with a status from that chunk alone (the root, so the
	 * title and "completed", in the last). */
	parse("{\"sessions\": ["
	    "{\"id\": \"other\", \"status\": \"running\", \"engine\": \"asyncio\", "
	    "\"started_at\": \"2025-07-01T15:00:00\", \"title\": \"Other\"},"
	    "{\"id\": \"rot.jsonl.chunk_2\", \"status\": \"completed\", \"engine\": "
	    "\"asyncio\", \"started_at\": \"2025-07-01T14:00:20\", \"ended_at\": "
	    "\"2025-07-01T14:00:43\", \"title\": \"Compare\"},"
	    "{\"id\": \"rot\", \"status\": \"running\", \"engine\": \"asyncio\", "
	    "\"started_at\": \"2025-07-01T14:00:00\", \"ended_at\": "
	    "\"2025-07-01T14:00:10\", \"title\": \"Session rot\"},"
	    "{\"id\": \"rot.jsonl.chunk_1\", \"status\": \"running\", \"engine\": "
	    "\"asyncio\", \"started_at\": \"2025-07-01T14:00:10\", \"title\": "
	    "\"Session rot.json\"},"
	    "{\"id\": \"lone.jsonl.chunk_3\", \"status\": \"failed\", \"engine\": "
	    "\"asyncio\", \"started_at\": \"2025-07-01T13:00:00\"}"
	    "]}", &s, &n);
	ck_assert_uint_eq(n, 3);
	ck_assert_str_eq(s[0].id, "other");
	ck_assert_uint_eq(s[0].chunks, 0);
	ck_assert_str_eq(s[1].id, "rot");
	ck_assert_uint_eq(s[1].chunks, 2);
	/* The newest file's status and title; times over every file. */
	ck_assert_str_eq(s[1].status, "completed");
	ck_assert_str_eq(s[1].title, "Compare");
	ck_assert_int_eq(s[1].started_at, remote_time("2025-07-01T14:00:00"));
	ck_assert_int_eq(s[1].ended_at, remote_time("2025-07-01T14:00:43"));
	/* A chunk whose base is not listed stands for its session. */
	ck_assert_str_eq(s[2].id, "lone");
	ck_assert_uint_eq(s[2].chunks, 1);
	ck_assert_str_eq(s[2].status, "failed");
	remote_sessions_free(s, n);

	/* The contract's server lists no chunk: nothing changes. */
	parse("{\"sessions\": [{\"id\": \"a\"}, {\"id\": \"b.c\"}]}", &s, &n);
	ck_assert_uint_eq(n, 2);
	ck_assert_str_eq(s[0].id, "a");
	ck_assert_str_eq(s[1].id, "b.c");
	ck_assert_uint_eq(s[0].chunks + s[1].chunks, 0);
	remote_sessions_free(s, n);
}
END_TEST

static Suite *
chunks_suite(void)
{
	Suite *s = suite_create("chunks");
	TCase *tc = tcase_create("fold");

	tcase_add_test(tc, test_chunk_id);
	tcase_add_test(tc, test_fold);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	return check_main(chunks_suite, "test_chunks", NULL);
}
