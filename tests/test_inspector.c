/* SPDX-License-Identifier: MIT */
/* test_inspector.c — the pure parts of the inspector client that stand
 * between a hostile server and the program: the session list parser, the
 * trace URL escaping, the error-body line and the spool size setting; and
 * that quitting with a request in flight loses nothing (under valgrind
 * and ASan, which make check-all runs it with). */
#include <check.h>
#include <poll.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "check_main.h"
#include "buf.h"
#include "http.h"
#include "remote.h"
#include "spool.h"
#include "loopback.h"
#include "span.h"

#define TEXT(s) s, sizeof s - 1

static struct remote_session *S;
static size_t N;

static int
parse(const char *json, size_t len)
{
	remote_sessions_free(S, N);
	S = NULL;
	N = 0;
	return remote_parse_sessions(json, len, &S, &N);
}

START_TEST(sessions_plain)
{
	ck_assert_int_eq(parse(TEXT("{\"sessions\":[{\"id\":\"a\",\"status\":\"running\","
	    "\"engine\":\"asyncio\",\"title\":\"T\",\"started_at\":\"2025-07-01T08:00:00\","
	    "\"ended_at\":null},{\"id\":\"b\"}],\"temporal_error\":\"x\"}")), 0);
	ck_assert_uint_eq(N, 2);
	ck_assert_str_eq(S[0].id, "a");
	ck_assert_str_eq(S[0].title, "T");
	ck_assert_str_eq(S[0].status, "running");
	ck_assert(S[0].started_at != SPAN_TIME_NONE);
	ck_assert(S[0].ended_at == SPAN_TIME_NONE);
	ck_assert_str_eq(S[1].id, "b");
	ck_assert_ptr_null(S[1].title);
}
END_TEST

/* One broken title must not cost the other sessions. */
START_TEST(sessions_bad_text)
{
	ck_assert_int_eq(parse(TEXT("{\"sessions\":[{\"id\":\"a\",\"title\":\"x\xff\xfey\"},"
	    "{\"id\":\"b\",\"title\":\"lone \\udc80 surrogate\"},"
	    "{\"id\":\"c\",\"title\":\"nul \\u0000 cut\"},{\"id\":\"d\"}]}")), 0);
	ck_assert_uint_eq(N, 4);
	ck_assert_str_eq(S[0].title, "x\xef\xbf\xbd\xef\xbf\xbdy");
	ck_assert_str_eq(S[1].title, "lone \xef\xbf\xbd surrogate");
	ck_assert_str_eq(S[2].title, "nul \xef\xbf\xbd cut");
	ck_assert_str_eq(S[3].id, "d");
}
END_TEST

START_TEST(sessions_odd_elements)
{
	ck_assert_int_eq(parse(TEXT("{\"sessions\":[1,\"x\",null,{\"id\":\"\"},{\"id\":7},"
	    "{\"title\":\"no id\"},[{\"id\":\"nested\"}],{\"id\":\"ok\",\"title\":{\"a\":1}}]}")), 0);
	ck_assert_uint_eq(N, 1);
	ck_assert_str_eq(S[0].id, "ok");
	ck_assert_ptr_null(S[0].title);
}
END_TEST

START_TEST(sessions_not_a_list)
{
	ck_assert_int_eq(parse(TEXT("<html><body>Sign in</body></html>")), -1);
	ck_assert_uint_eq(N, 0);
	ck_assert_int_eq(parse(TEXT("{\"detail\":\"Not Found\"}")), -1);
	ck_assert_int_eq(parse(TEXT("{\"sessions\":{}}")), -1);
	ck_assert_int_eq(parse(TEXT("[]")), -1);
	ck_assert_int_eq(parse(TEXT("")), -1);
	/* Cut short (an endless body stopped at the limit): nothing, not half. */
	ck_assert_int_eq(parse(TEXT("{\"sessions\":[{\"id\":\"a\"},{\"id\":\"b\"")), -1);
	ck_assert_uint_eq(N, 0);
	ck_assert_int_eq(parse(TEXT("{\"sessions\":[]} trailing")), -1);
}
END_TEST

START_TEST(trace_url_escapes)
{
	static const struct {
		const char *id, *want;
	} cases[] = {
		{ "plain-id_09", "B/trace/plain-id_09" },
		{ "..", "B/trace/%2E%2E" },
		{ ".", "B/trace/%2E" },
		{ "../../etc/passwd", "B/trace/%2E%2E%2F%2E%2E%2Fetc%2Fpasswd" },
		{ "a%2fb", "B/trace/a%252fb" },
		{ "a b?c#d", "B/trace/a%20b%3Fc%23d" },
		{ "\x1b\xff", "B/trace/%1B%FF" },
	};
	size_t i;
	char *u;

	for (i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		u = remote_trace_url("B", cases[i].id);
		ck_assert_str_eq(u, cases[i].want);
		free(u);
	}
}
END_TEST

static const char *
detail(const char *ct, const char *body, size_t n)
{
	static struct buf b = BUF_INIT;

	buf_reset(&b);
	return remote_error_detail(&b, ct, body, n) == 0 ? buf_str(&b) : NULL;
}

START_TEST(error_detail)
{
	char big[1000];

	ck_assert_str_eq(detail("application/json", TEXT("{\"detail\":\"Session not found: x\"}")),
	    "Session not found: x");
	ck_assert_str_eq(detail("application/json", TEXT("{\"a\":[1],\"detail\":\"two\\nlines\"}")),
	    "two");
	ck_assert_str_eq(detail("text/plain; charset=utf-8", TEXT("  Bad gateway \r\nmore")),
	    "Bad gateway");
	ck_assert_ptr_null(detail("text/html", TEXT("<h1>500</h1>")));
	ck_assert_ptr_null(detail(NULL, TEXT("x")));
	ck_assert_ptr_null(detail("application/json", TEXT("{\"detail\":[{\"loc\":1}]}")));
	/* Escapes are left for the caller's sanitiser. */
	ck_assert_str_eq(detail("application/json", TEXT("{\"detail\":\"a\\u001b]0;x\\u0007\"}")),
	    "a\x1b]0;x\x07");
	/* At most 200 bytes, never half a character. */
	memset(big, 'a', sizeof big);
	memcpy(big + 199, "\xc3\xa9", 2);
	ck_assert_str_eq(detail("text/plain", big, sizeof big) + 199, "...");
	ck_assert_uint_eq(strlen(detail("text/plain", big, sizeof big)), 202);
}
END_TEST

START_TEST(sizes)
{
	uint64_t v;

	ck_assert_int_eq(spool_size("123", &v), 0);
	ck_assert_uint_eq(v, 123);
	ck_assert_int_eq(spool_size("64K", &v), 0);
	ck_assert_uint_eq(v, 65536);
	ck_assert_int_eq(spool_size("512m", &v), 0);
	ck_assert_uint_eq(v, 512u << 20);
	ck_assert_int_eq(spool_size("4G", &v), 0);
	ck_assert_uint_eq(v, (uint64_t)4 << 30);
	ck_assert_int_eq(spool_size("", &v), -1);
	ck_assert_int_eq(spool_size("0", &v), -1);
	ck_assert_int_eq(spool_size("12X", &v), -1);
	ck_assert_int_eq(spool_size("-1", &v), -1);
	ck_assert_int_eq(spool_size("4GB", &v), -1);
	ck_assert_int_eq(spool_size("99999999999999999999", &v), -1);
	ck_assert_int_eq(spool_size("99999999999G", &v), -1);
}
END_TEST

/* A limit is said in the unit it was most likely given in, exactly. */
START_TEST(size_names)
{
	char s[32];

	spool_size_name(1000, s, sizeof s);
	ck_assert_str_eq(s, "1000 bytes");
	spool_size_name(64 << 10, s, sizeof s);
	ck_assert_str_eq(s, "64 KiB");
	spool_size_name(1536 << 10, s, sizeof s);
	ck_assert_str_eq(s, "1536 KiB");
	spool_size_name((uint64_t)2 << 30, s, sizeof s);
	ck_assert_str_eq(s, "2 GiB");
	spool_size_name((uint64_t)5 << 40, s, sizeof s);
	ck_assert_str_eq(s, "5 TiB");
	spool_size_name((uint64_t)3 << 50, s, sizeof s);
	ck_assert_str_eq(s, "3072 TiB");
}
END_TEST

static void
sessions_never(void *arg, const struct remote_session *s, size_t n, const char *error)
{
	(void)arg; (void)s; (void)n; (void)error;
	ck_abort_msg("a request aborted by remote_free must not call back");
}

/* A server that accepts the connection and never answers: the /sessions
 * request is still in flight when the program quits. */
START_TEST(free_with_sessions_in_flight)
{
	struct remote *ins;
	struct pollfd fds[8];
	char url[64], *cause = NULL;
	int lfd, i, n;

	lfd = loopback_listen(4, "", url, sizeof url);
	ins = remote_new(url, NULL, &cause);
	ck_assert_msg(ins != NULL, "%s", cause);
	remote_get_sessions(ins, sessions_never, NULL);
	remote_get_sessions(ins, sessions_never, NULL);
	/* Let the requests connect and be sent. */
	for (i = 0; i < 20; i++) {
		n = http_pollfds(remote_http(ins), fds, 8);
		poll(fds, (nfds_t)n, 10);
		http_perform(remote_http(ins), fds, n);
	}
	ck_assert(http_busy(remote_http(ins)));
	remote_free(ins);
	close(lfd);
}
END_TEST

static Suite *
inspector_suite(void)
{
	Suite *s = suite_create("inspector");
	TCase *tc = tcase_create("core");

	tcase_add_test(tc, sessions_plain);
	tcase_add_test(tc, sessions_bad_text);
	tcase_add_test(tc, sessions_odd_elements);
	tcase_add_test(tc, sessions_not_a_list);
	tcase_add_test(tc, trace_url_escapes);
	tcase_add_test(tc, error_detail);
	tcase_add_test(tc, sizes);
	tcase_add_test(tc, size_names);
	tcase_add_test(tc, free_with_sessions_in_flight);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	int rc = check_main(inspector_suite, "test_inspector", NULL);

	remote_sessions_free(S, N);
	return rc;
}
