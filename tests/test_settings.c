/* SPDX-License-Identifier: MIT */
/* test_settings.c — tests for the user's configuration file (settings.c). */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "check_main.h"
#include "buf.h"
#include "settings.h"
#include "xmalloc.h"

/* Every warning, one a line. */
static void
collect(void *arg, const char *msg)
{
	buf_printf(arg, "%s\n", msg);
}

/* Writes text to a fresh file; returns its path (caller frees, unlinks). */
static char *
write_file(const char *text)
{
	char *path = xstrdup("/tmp/test_settings.XXXXXX");
	int fd = mkstemp(path);
	FILE *f;

	ck_assert_int_ge(fd, 0);
	f = fdopen(fd, "w");
	fputs(text, f);
	fclose(f);
	return path;
}

START_TEST(test_keys)
{
	char *path = write_file("# comment\n\n  source = ~/traces  \n"
	    "token=abc\r\ntoken-command = pass show x\ncolor = off\nprices = /p\n");
	struct settings c;
	struct buf w = BUF_INIT;
	char *cause = NULL, *want;

	setenv("HOME", "/home/u", 1);
	ck_assert_int_eq(settings_load(&c, path, collect, &w, &cause), 0);
	ck_assert_str_eq(c.source, "/home/u/traces");
	ck_assert_str_eq(c.token, "abc");
	ck_assert_str_eq(c.token_command, "pass show x");
	ck_assert_str_eq(c.prices, "/p");
	ck_assert_int_eq(c.color, SETTINGS_COLOR_OFF);
	ck_assert_uint_eq(w.len, 0);
	want = xstrdup(path);
	ck_assert_str_eq(c.path, want);
	settings_clear(&c);
	unlink(path);
	free(path);
	free(want);
	buf_free(&w);
}
END_TEST

START_TEST(test_bad_lines_warn_and_the_rest_holds)
{
	char *path = write_file("bogus = 1\nno equals sign\ncolor = purple\n"
	    "token =\nsource = /a\nsource = /b\n");
	struct settings c;
	struct buf w = BUF_INIT, want = BUF_INIT;
	char *cause = NULL;

	ck_assert_int_eq(settings_load(&c, path, collect, &w, &cause), 0);
	buf_printf(&want, "%s:1: unknown key (keys: source, token, token-command, "
	    "color, prices): 'bogus'\n", path);
	buf_printf(&want, "%s:2: not 'key = value'\n", path);
	buf_printf(&want, "%s:3: color is auto, on or off, not 'purple'\n", path);
	buf_printf(&want, "%s:4: empty value for 'token'\n", path);
	ck_assert_str_eq(buf_str(&w), buf_str(&want));
	/* A later line wins, as in most rc files. */
	ck_assert_str_eq(c.source, "/b");
	/* Each source line adds a source. */
	ck_assert_uint_eq(c.nsources, 2);
	ck_assert_str_eq(c.sources[0], "/a");
	ck_assert_str_eq(c.sources[1], "/b");
	ck_assert_ptr_null(c.token);
	ck_assert_int_eq(c.color, SETTINGS_COLOR_AUTO);
	settings_clear(&c);
	unlink(path);
	free(path);
	buf_free(&w);
	buf_free(&want);
}
END_TEST

START_TEST(test_long_line)
{
	struct buf text = BUF_INIT, w = BUF_INIT;
	struct settings c;
	char *path, *cause = NULL;

	buf_adds(&text, "token = ");
	for (int i = 0; i < 10000; i++)
		buf_addc(&text, 'x');
	buf_adds(&text, "\ncolor = on\n");
	path = write_file(buf_str(&text));
	ck_assert_int_eq(settings_load(&c, path, collect, &w, &cause), 0);
	ck_assert_ptr_nonnull(strstr(buf_str(&w), ":1: line too long"));
	ck_assert_ptr_null(c.token);
	ck_assert_int_eq(c.color, SETTINGS_COLOR_ON);
	settings_clear(&c);
	unlink(path);
	free(path);
	buf_free(&text);
	buf_free(&w);
}
END_TEST

START_TEST(test_missing_and_unreadable)
{
	struct settings c;
	struct buf w = BUF_INIT;
	char *cause = NULL;

	ck_assert_int_eq(settings_load(&c, "/nonexistent/dir/config", collect, &w,
	    &cause), 0);
	ck_assert_ptr_null(c.path);
	ck_assert_int_eq(settings_load(&c, NULL, collect, &w, &cause), 0);
	/* A directory where the file should be cannot be read. */
	ck_assert_int_eq(settings_load(&c, "/tmp", collect, &w, &cause), -1);
	ck_assert_ptr_nonnull(strstr(cause, "/tmp"));
	free(cause);
	settings_clear(&c);
	buf_free(&w);
}
END_TEST

START_TEST(test_default_path)
{
	char *p;

	setenv("XDG_CONFIG_HOME", "/x", 1);
	p = settings_default_path();
	ck_assert_str_eq(p, "/x/mcp-inspect-tui/config");
	free(p);
	/* A relative XDG_CONFIG_HOME is ignored (XDG base directory spec). */
	setenv("XDG_CONFIG_HOME", "rel", 1);
	setenv("HOME", "/h", 1);
	p = settings_default_path();
	ck_assert_str_eq(p, "/h/.config/mcp-inspect-tui/config");
	free(p);
	unsetenv("XDG_CONFIG_HOME");
	unsetenv("HOME");
	ck_assert_ptr_null(settings_default_path());
}
END_TEST

START_TEST(test_token_command)
{
	struct settings c;
	char *cause = NULL, *t;

	memset(&c, 0, sizeof c);
	c.path = xstrdup("cfg");
	c.token_command = xstrdup("printf 'tok\\nsecond line\\n'");
	t = settings_run_token_command(&c, &cause);
	ck_assert_str_eq(t, "tok");
	free(t);
	free(c.token_command);
	c.token_command = xstrdup("echo x; exit 3");
	ck_assert_ptr_null(settings_run_token_command(&c, &cause));
	ck_assert_ptr_nonnull(strstr(cause, "failed"));
	free(cause);
	cause = NULL;
	free(c.token_command);
	c.token_command = xstrdup("true");
	ck_assert_ptr_null(settings_run_token_command(&c, &cause));
	ck_assert_ptr_nonnull(strstr(cause, "no token"));
	free(cause);
	settings_clear(&c);
}
END_TEST

static Suite *
settings_suite(void)
{
	Suite *s = suite_create("settings");
	TCase *tc = tcase_create("core");

	tcase_add_test(tc, test_keys);
	tcase_add_test(tc, test_bad_lines_warn_and_the_rest_holds);
	tcase_add_test(tc, test_long_line);
	tcase_add_test(tc, test_missing_and_unreadable);
	tcase_add_test(tc, test_default_path);
	tcase_add_test(tc, test_token_command);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	return check_main(settings_suite, "test_settings", NULL);
}
