/* SPDX-License-Identifier: MIT */
/*
 * check_main.h — the one way a Check suite runs: every tests/test_*.c
 * has `main` return check_main(its_suite, "test_name", locale).
 */
#ifndef CHECK_MAIN_H
#define CHECK_MAIN_H

#include <check.h>
#include <locale.h>
#include <stdio.h>
#include <stdlib.h>

/* Run s (the runner frees it); how many of its tests failed. */
static inline int
check_failures(Suite *s)
{
	SRunner *sr = srunner_create(s);
	int failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed;
}

/*
 * The exit status of a test program running the suite make() builds:
 * locale, when not NULL, is set first (suites that measure or write
 * UTF-8 need "C.UTF-8"), and its absence is a failure naming the
 * program, never a silent pass.
 */
static inline int
check_main(Suite *(*make)(void), const char *name, const char *locale)
{
	if (locale != NULL && setlocale(LC_ALL, locale) == NULL) {
		fprintf(stderr, "%s: the %s locale is missing\n", name, locale);
		return EXIT_FAILURE;
	}
	return check_failures(make()) == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}

/*
 * check_main for a suite that writes its files under tmpdir, a mkdtemp
 * template made into a directory first and removed, with what is in it,
 * after (a failure to remove it fails the run: tests leave nothing).
 */
static inline int
check_main_in_tmpdir(Suite *(*make)(void), char *tmpdir)
{
	char cmd[256];
	int failed;

	if (mkdtemp(tmpdir) == NULL)
		return 99;
	failed = check_failures(make());
	snprintf(cmd, sizeof cmd, "rm -rf '%s'", tmpdir);
	if (system(cmd) != 0)
		failed++;
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}

#endif
