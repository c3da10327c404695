/* search_remote: asks souk-searchd over its Unix socket (see search_remote.h). */
#include "search/search_remote.h"
#include "core/unixsock.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <time.h>
#include <unistd.h>

#include "core/js.h"
#include "core/log.h"
#include "search/search_frame.h"
#include "search/search_int.h"

static int read_all(int fd, char *p, size_t n, int64_t deadline_ms)
{
	while (n > 0) {
		ssize_t r = recv(fd, p, n, MSG_DONTWAIT);
		if (r > 0) {
			p += r;
			n -= (size_t)r;
		} else if (r < 0 && errno == EINTR) {
			continue;
		} else if (r < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) {
			if (unixsock_wait(fd, POLLIN, deadline_ms) < 0)
				return -1;
		} else {
			return -1; /* 0: the peer closed */
		}
	}
	return 0;
}

int search_frame_write(int fd, str payload, int64_t deadline_ms)
{
	if (payload.len > SEARCH_REMOTE_MAX_FRAME)
		return -1;
	uint32_t n = (uint32_t)payload.len;
	unsigned char h[4] = {(unsigned char)(n >> 24), (unsigned char)(n >> 16),
	                      (unsigned char)(n >> 8), (unsigned char)n};
	if (unixsock_send_all(fd, (const char *)h, 4, deadline_ms) < 0)
		return -1;
	return unixsock_send_all(fd, payload.p, payload.len, deadline_ms);
}

int search_frame_read(int fd, arena *a, str *payload, int64_t deadline_ms)
{
	unsigned char h[4];
	if (read_all(fd, (char *)h, 4, deadline_ms) < 0)
		return -1;
	uint32_t n = (uint32_t)h[0] << 24 | (uint32_t)h[1] << 16 | (uint32_t)h[2] << 8 | h[3];
	if (n > SEARCH_REMOTE_MAX_FRAME)
		return -1;
	char *p = arena_alloc(a, (size_t)n + 1);
	if (!p || read_all(fd, p, n, deadline_ms) < 0)
		return -1;
	p[n] = '\0';
	*payload = (str){p, n};
	return 0;
}

/* ------------------------------------------------------------ client */

/* Process state: the handler processes are single-threaded. */
static int conn_fd = -1;
static unsigned long fallbacks;

const char *search_remote_socket(void)
{
	static char path[108];
	const char *s = getenv("SOUK_SEARCHD_SOCKET");
	const char *var = getenv("SOUK_VAR");
	int n = -1;
	if (s && *s)
		n = strcmp(s, "off") == 0 ? -1 : snprintf(path, sizeof(path), "%s", s);
	else if (var && *var)
		n = snprintf(path, sizeof(path), "%s/run/searchd.sock", var);
	return n > 0 && (size_t)n < sizeof(path) ? path : NULL;
}

unsigned long search_remote_fallbacks(void)
{
	return fallbacks;
}

static void disconnect(void)
{
	if (conn_fd >= 0)
		close(conn_fd);
	conn_fd = -1;
}

/* The daemon's error reply, recorded as this request's failure. */
static int record_error(ctx *c, json_object *o)
{
	int64_t status = 500;
	const char *code = "internal", *msg = "search failed";
	json_object *v;
	if (json_object_object_get_ex(o, "status", &v) && json_object_is_type(v, json_type_int))
		status = json_object_get_int64(v);
	if (json_object_object_get_ex(o, "code", &v) && json_object_is_type(v, json_type_string))
		code = json_object_get_string(v);
	if (json_object_object_get_ex(o, "message", &v) && json_object_is_type(v, json_type_string))
		msg = json_object_get_string(v);
	if (status < 400 || status > 599)
		status = 500;
	return ctx_fail(c, (int)status, code, "%s", msg);
}

static int unavailable(ctx *c, const char *why)
{
	fallbacks++;
	ctx_log(c, LOG_DEBUG, "search: daemon unavailable (%s); %lu fallbacks so far", why,
	        fallbacks);
	return SEARCH_REMOTE_UNAVAILABLE;
}

int search_remote_run(ctx *c, const search_query *q, search_result *out)
{
	memset(out, 0, sizeof(*out));
	const char *path = search_remote_socket();
	if (!path)
		return SEARCH_REMOTE_UNAVAILABLE;
	str req = search_query_to_json(c, q);
	int64_t deadline = unixsock_now_ms() + SEARCH_REMOTE_TIMEOUT_MS;
	str reply = {NULL, 0};
	bool got = false;
	for (int attempt = 0; attempt < 2 && !got; attempt++) {
		bool fresh = conn_fd < 0;
		if (fresh && (conn_fd = unixsock_connect(path, false)) < 0)
			return unavailable(c, strerror(errno));
		if (search_frame_write(conn_fd, req, deadline) == 0 &&
		    search_frame_read(conn_fd, c->a, &reply, deadline) == 0) {
			got = true;
			break;
		}
		bool timed_out = unixsock_now_ms() >= deadline;
		disconnect();
		/* A kept-alive connection may have been closed by a restarted
		 * daemon: reconnect once. A fresh one failing, or the time being
		 * up, is the answer. */
		if (fresh || timed_out)
			return unavailable(c, timed_out ? "timeout" : "connection lost");
	}
	if (!got)
		return unavailable(c, "connection lost");
	if (search_is_frame(reply)) {
		/* an unknown version is unreadable: SQL answers instead */
		if (search_result_from_frame(c, reply, out) == SOUK_OK) {
			if (!out->engine)
				out->engine = "memory";
			return SEARCH_REMOTE_OK;
		}
	} else {
		json_object *o = js_parse(c, reply), *ok;
		if (o && json_object_object_get_ex(o, "ok", &ok) &&
		    json_object_is_type(ok, json_type_boolean) && !json_object_get_boolean(ok)) {
			record_error(c, o);
			return SEARCH_REMOTE_ERR;
		}
	}
	disconnect(); /* out of step with the daemon: start afresh */
	return unavailable(c, "unreadable reply");
}
