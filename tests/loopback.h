/* SPDX-License-Identifier: MIT */
/*
 * loopback.h — a listening socket on 127.0.0.1 at a port the kernel picks,
 * for the unit tests that need a server (test_http, test_inspector).
 */
#ifndef LOOPBACK_H
#define LOOPBACK_H

#include <arpa/inet.h>
#include <check.h>
#include <netinet/in.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>

/* Listen with the given backlog; url receives "http://127.0.0.1:PORT" and
 * then path.  Returns the listening descriptor (the caller closes it). */
static inline int
loopback_listen(int backlog, const char *path, char *url, size_t urlsz)
{
	struct sockaddr_in sa;
	socklen_t len = sizeof sa;
	int fd = socket(AF_INET, SOCK_STREAM, 0);

	ck_assert_int_ge(fd, 0);
	memset(&sa, 0, sizeof sa);
	sa.sin_family = AF_INET;
	sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	ck_assert_int_eq(bind(fd, (struct sockaddr *)&sa, sizeof sa), 0);
	ck_assert_int_eq(listen(fd, backlog), 0);
	ck_assert_int_eq(getsockname(fd, (struct sockaddr *)&sa, &len), 0);
	snprintf(url, urlsz, "http://127.0.0.1:%u%s", (unsigned)ntohs(sa.sin_port), path);
	return fd;
}

#endif
