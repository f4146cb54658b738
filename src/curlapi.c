/* SPDX-License-Identifier: MIT */
/* curlapi.c — libcurl, opened when first needed; see curlapi.h. */
#include "curlapi.h"

#include <dlfcn.h>
#include <pthread.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include "xmalloc.h"

struct curlapi curlapi;

/* libcurl's soname, then Debian's GnuTLS build of the same ABI; or only
 * what MCP_INSPECT_TUI_LIBCURL names. */
static const char *const curlapi_names[] = { "libcurl.so.4", "libcurl-gnutls.so.4" };
#define CURLAPI_NNAMES (sizeof curlapi_names / sizeof *curlapi_names)

/* Each table entry and the symbol it is. */
static const struct {
	size_t at;
	const char *name;
} curlapi_syms[] = {
#define SYM(field, name) { offsetof(struct curlapi, field), name }
	SYM(global_init, "curl_global_init"),
	SYM(global_cleanup, "curl_global_cleanup"),
	SYM(easy_init, "curl_easy_init"),
	SYM(easy_cleanup, "curl_easy_cleanup"),
	SYM(easy_setopt, "curl_easy_setopt"),
	SYM(easy_getinfo, "curl_easy_getinfo"),
	SYM(easy_pause, "curl_easy_pause"),
	SYM(easy_strerror, "curl_easy_strerror"),
	SYM(multi_init, "curl_multi_init"),
	SYM(multi_cleanup, "curl_multi_cleanup"),
	SYM(multi_setopt, "curl_multi_setopt"),
	SYM(multi_add_handle, "curl_multi_add_handle"),
	SYM(multi_remove_handle, "curl_multi_remove_handle"),
	SYM(multi_socket_action, "curl_multi_socket_action"),
	SYM(multi_info_read, "curl_multi_info_read"),
	SYM(slist_append, "curl_slist_append"),
	SYM(slist_free_all, "curl_slist_free_all"),
	SYM(url, "curl_url"),
	SYM(url_cleanup, "curl_url_cleanup"),
	SYM(url_set, "curl_url_set"),
	SYM(url_get, "curl_url_get"),
	SYM(free, "curl_free"),
#undef SYM
};

static pthread_mutex_t curlapi_lock = PTHREAD_MUTEX_INITIALIZER;
static bool curlapi_loaded;

/* Fill the table from handle; the name of a missing symbol, or NULL. */
static const char *
curlapi_fill(void *handle)
{
	size_t i;
	void *f;

	for (i = 0; i < sizeof curlapi_syms / sizeof *curlapi_syms; i++) {
		if ((f = dlsym(handle, curlapi_syms[i].name)) == NULL)
			return curlapi_syms[i].name;
		/* POSIX: a function pointer converts to and from void *. */
		memcpy((char *)&curlapi + curlapi_syms[i].at, &f, sizeof f);
	}
	return NULL;
}

static int
curlapi_open(char **cause)
{
	const char *names[CURLAPI_NNAMES], *missing, *env = getenv("MCP_INSPECT_TUI_LIBCURL");
	char *why = NULL;
	void *handle = NULL;
	size_t i, n = CURLAPI_NNAMES;

	memcpy(names, curlapi_names, sizeof names);
	if (env != NULL && *env != '\0') {
		names[0] = env;
		n = 1;
	}
	for (i = 0; i < n && handle == NULL; i++) {
		if ((handle = dlopen(names[i], RTLD_NOW | RTLD_LOCAL)) == NULL && why == NULL)
			why = xstrdup(dlerror());
	}
	if (handle == NULL) {
		*cause = xasprintf("cannot load %s, which remote inspectors need: %s",
		    names[0], why != NULL ? why : "not found");
		free(why);
		return -1;
	}
	free(why);
	if ((missing = curlapi_fill(handle)) != NULL) {
		*cause = xasprintf("the libcurl found has no %s: 7.62 or later is needed",
		    missing);
		dlclose(handle);
		return -1;
	}
	/* Kept open for the life of the process. */
	return 0;
}

int
curlapi_load(char **cause)
{
	int rc = 0;

	pthread_mutex_lock(&curlapi_lock);
	if (!curlapi_loaded && (rc = curlapi_open(cause)) == 0)
		curlapi_loaded = true;
	pthread_mutex_unlock(&curlapi_lock);
	return rc;
}
