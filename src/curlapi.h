/* SPDX-License-Identifier: MIT */
/*
 * curlapi.h — libcurl, opened when a remote inspector is first used.
 *
 * Linking libcurl costs every run of the program 11 ms before main: the
 * dynamic loader maps and relocates it and the TLS, Kerberos and LDAP
 * libraries behind it (33 objects), and runs their constructors.  Most
 * runs read local files and never use it: `--list` of a 500-session
 * directory takes 75 ms in all.  So the program does not link libcurl;
 * curlapi_load() opens it with dlopen the first time an inspector URL is
 * used, and the calls go through a table of its functions.  It opens
 * libcurl.so.4, else libcurl-gnutls.so.4, or only the file that
 * MCP_INSPECT_TUI_LIBCURL names.
 *
 * Files that call libcurl include this instead of <curl/curl.h>: the
 * macros below keep libcurl's own names for the calls, so the code
 * reads as ordinary libcurl code.  Every call must come after a
 * successful curlapi_load() (remote_new does it; http_new expects it).
 */
#ifndef CURLAPI_H
#define CURLAPI_H

/* The typecheck macros of curl.h would define these names themselves. */
#define CURL_DISABLE_TYPECHECK
#include <curl/curl.h>

struct curlapi {
	CURLcode (*global_init)(long);
	void (*global_cleanup)(void);
	CURL *(*easy_init)(void);
	void (*easy_cleanup)(CURL *);
	CURLcode (*easy_setopt)(CURL *, CURLoption, ...);
	CURLcode (*easy_getinfo)(CURL *, CURLINFO, ...);
	CURLcode (*easy_pause)(CURL *, int);
	const char *(*easy_strerror)(CURLcode);
	CURLM *(*multi_init)(void);
	CURLMcode (*multi_cleanup)(CURLM *);
	CURLMcode (*multi_setopt)(CURLM *, CURLMoption, ...);
	CURLMcode (*multi_add_handle)(CURLM *, CURL *);
	CURLMcode (*multi_remove_handle)(CURLM *, CURL *);
	CURLMcode (*multi_socket_action)(CURLM *, curl_socket_t, int, int *);
	CURLMsg *(*multi_info_read)(CURLM *, int *);
	struct curl_slist *(*slist_append)(struct curl_slist *, const char *);
	void (*slist_free_all)(struct curl_slist *);
	CURLU *(*url)(void);
	void (*url_cleanup)(CURLU *);
	CURLUcode (*url_set)(CURLU *, CURLUPart, const char *, unsigned int);
	CURLUcode (*url_get)(const CURLU *, CURLUPart, char **, unsigned int);
	void (*free)(void *);
};

/* The table, once curlapi_load() has filled it. */
extern struct curlapi curlapi;

/* Open libcurl (once; later calls return at once).  0, or -1 with *cause
 * saying what failed, e.g. "cannot load libcurl.so.4, which remote
 * inspectors need: ...". */
int curlapi_load(char **cause);

/* curl.h checks the argument count of these with macros of its own. */
#undef curl_easy_setopt
#undef curl_easy_getinfo
#undef curl_multi_setopt
#define curl_global_init (curlapi.global_init)
#define curl_global_cleanup (curlapi.global_cleanup)
#define curl_easy_init (curlapi.easy_init)
#define curl_easy_cleanup (curlapi.easy_cleanup)
#define curl_easy_setopt (curlapi.easy_setopt)
#define curl_easy_getinfo (curlapi.easy_getinfo)
#define curl_easy_pause (curlapi.easy_pause)
#define curl_easy_strerror (curlapi.easy_strerror)
#define curl_multi_init (curlapi.multi_init)
#define curl_multi_cleanup (curlapi.multi_cleanup)
#define curl_multi_setopt (curlapi.multi_setopt)
#define curl_multi_add_handle (curlapi.multi_add_handle)
#define curl_multi_remove_handle (curlapi.multi_remove_handle)
#define curl_multi_socket_action (curlapi.multi_socket_action)
#define curl_multi_info_read (curlapi.multi_info_read)
#define curl_slist_append (curlapi.slist_append)
#define curl_slist_free_all (curlapi.slist_free_all)
#define curl_url (curlapi.url)
#define curl_url_cleanup (curlapi.url_cleanup)
#define curl_url_set (curlapi.url_set)
#define curl_url_get (curlapi.url_get)
#define curl_free (curlapi.free)

#endif
