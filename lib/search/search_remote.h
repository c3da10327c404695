/* search_remote: the client of souk-searchd (the in-memory search
 * engine): one persistent Unix-socket connection per process, frames of
 * a 4-byte big-endian length and a payload: search_query_to_json out;
 * back a binary result frame (search_frame.h) or {"ok":false,"status":N,
 * "code":..,"message":..}. Not thread-safe: a handler process is one thread. */
#ifndef SOUK_SEARCH_REMOTE_H
#define SOUK_SEARCH_REMOTE_H

#include "search/search.h"

#define SEARCH_REMOTE_OK 0
#define SEARCH_REMOTE_ERR (-1)          /* the daemon's error, recorded in c */
#define SEARCH_REMOTE_UNAVAILABLE (-2)  /* no daemon, loading, timed out */

#define SEARCH_REMOTE_TIMEOUT_MS 1000
#define SEARCH_REMOTE_MAX_FRAME (16u << 20)

/* The daemon's socket: SOUK_SEARCHD_SOCKET; unset: $SOUK_VAR/run/
 * searchd.sock when SOUK_VAR is set; "off" (or neither): NULL, no daemon. */
const char *search_remote_socket(void);

/* Asks the daemon for q (already validated). On SEARCH_REMOTE_OK *out
 * (arena) is the daemon's answer with out->engine "memory" unless the
 * daemon said otherwise. A broken kept-alive connection is reopened
 * once; a timeout closes it. Failures other than the daemon's own
 * answer are logged at debug and counted (search_remote_fallbacks). */
int search_remote_run(ctx *c, const search_query *q, search_result *out);

/* How many searches of this process the daemon could not answer. */
unsigned long search_remote_fallbacks(void);

/* Frame I/O on a blocking or non-blocking socket with an absolute
 * deadline (unixsock_now_ms; 0: none), shared with souk-searchd.
 * 0 on success, -1 on error, end of file or timeout. */
int search_frame_write(int fd, str payload, int64_t deadline_ms);
/* Reads one frame into the arena (NUL-terminated). */
int search_frame_read(int fd, arena *a, str *payload, int64_t deadline_ms);

#endif
