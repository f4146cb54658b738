/* SPDX-License-Identifier: MIT */
/*
 * remote_int.h — what the remote client's modules (remote.c,
 * remote_sessions.c, remote_trace.c, remote_events.c) share; not for
 * their callers, who include remote.h.
 */
#ifndef REMOTE_INT_H
#define REMOTE_INT_H

#include <stdint.h>

#include "remote.h"

struct http_req;
struct remote_get_sessions;

/*
 * The limits a hostile or broken inspector meets (README "Limits"):
 * what is held in memory is bounded by SESSIONS_MAX, SSE_MAX_LINE and
 * HTTP_ERROR_BODY_MAX; what goes to disk by the spool limit; time by
 * SESSIONS_TIMEOUT_MS, the stall detection in http.c and the watchdogs.
 */
#define DEFAULT_PORT "7800"
#define SESSIONS_MAX (16u << 20)    /* a /sessions answer larger is refused */
#define SESSIONS_TIMEOUT_MS 60000   /* ...and so is one slower than this */
#define SSE_MAX_LINE (4u << 20)
#define KEEPALIVE_MS 45000          /* the server sends one after 30 s idle */
#define HEADERS_MS 15000            /* an event stream that does not start */
#define STABLE_MS 10000             /* a connection this old resets the backoff */
/* Decompressed text spooled per trace (MCP_INSPECT_TUI_SPOOL_MAX), and
 * the free space always left on the spool's file system. */
#define SPOOL_MAX_DEFAULT ((uint64_t)2 << 30)
#define SPOOL_RESERVE ((uint64_t)256 << 20)
#define SPOOL_CHECK_EVERY ((uint64_t)16 << 20)
#define DETAIL_MAX 200              /* bytes of an error body shown */
#define RETRY_DEFAULT_MS 2000
#define RETRY_MAX_MS 60000
#define OFFLINE_AFTER 3             /* failed attempts in a row */

struct remote {
	char *base;             /* .../_inspector */
	struct http *http;
	uint64_t spool_max;
	struct remote_trace *traces; /* every trace opened, for reuse */
	/* /sessions requests in flight: http_free aborts them without their
	 * done callback, so remote_free frees what they hold. */
	struct remote_get_sessions *getting;
};

/* Make a message safe for a terminal, in place (takes and returns msg). */
char *remote_safe(char *msg);
/* "URL answered ..." or "cannot reach URL: ..." for a failed request;
 * caller frees. */
char *remote_failure(const char *url, struct http_req *, const char *error);

/* After http_free: free the /sessions requests it aborted. */
void remote_sessions_abandon(struct remote *);
/* Free every trace of the inspector. */
void remote_traces_free(struct remote *);

#endif
