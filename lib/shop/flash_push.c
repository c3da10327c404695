/* flash_push: publishes a flash sale's state changes to nginx's nchan
 * publisher over a Unix socket (HTTP/1.0, one short request per change:
 * a sale has a handful of them, so no connection is kept). The socket is
 * not on any public port, so nobody outside the stack can publish. */
#include "shop/flash_push.h"

#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "core/log.h"
#include "core/unixsock.h"

const char *flash_push_socket(void)
{
	static char path[108];
	const char *s = cfg_env_str("SOUK_FLASH_PUSH_SOCKET", "");
	const char *var = cfg_env_str("SOUK_VAR", "");
	int n = -1;
	if (*s)
		n = snprintf(path, sizeof(path), "%s", s);
	else if (*var) /* like payd's: the stack's run directory */
		n = snprintf(path, sizeof(path), "%s/run/push.sock", var);
	return n > 0 && (size_t)n < sizeof(path) ? path : NULL;
}

const char *flash_push_message(ctx *c, int64_t sale, const char *state, int64_t units_left)
{
	struct timespec t;
	clock_gettime(CLOCK_REALTIME, &t);
	buf b;
	buf_init(&b, c->a, 160);
	buf_printf(&b, "{\"sale\":%lld,\"state\":\"%s\"", (long long)sale, state);
	if (units_left >= 0)
		buf_printf(&b, ",\"units_left\":%lld", (long long)units_left);
	buf_printf(&b, ",\"at\":%lld}", (long long)t.tv_sec * 1000 + t.tv_nsec / 1000000);
	return b.failed ? NULL : b.p;
}

#define PUSH_SENT 0 /* written whole, nginx has not answered yet */

/* Sends rq and reads the status line: the HTTP status, PUSH_SENT when
 * the answer did not come by the deadline, or -1. */
static int exchange(int fd, str rq, int64_t deadline)
{
	if (unixsock_send_all(fd, rq.p, rq.len, deadline) < 0)
		return -1;
	char head[16];
	size_t got = 0;
	while (got < 12) {
		ssize_t r = recv(fd, head + got, sizeof(head) - got, 0);
		if (r > 0)
			got += (size_t)r;
		else if (r == 0)
			break;
		else if (errno == EINTR)
			continue;
		else if (errno != EAGAIN)
			return -1;
		else if (unixsock_wait(fd, POLLIN, deadline) < 0)
			return got == 0 ? PUSH_SENT : -1;
	}
	int64_t st;
	if (got < 12 || memcmp(head, "HTTP/1.", 7) != 0 ||
	    str_to_i64((str){head + 9, 3}, 100, 599, &st) < 0)
		return -1;
	return (int)st;
}

int flash_push(ctx *c, int64_t sale, const char *state, int64_t units_left)
{
	const char *sock = flash_push_socket();
	if (!sock)
		return -1;
	const char *msg = flash_push_message(c, sale, state, units_left);
	buf rq;
	buf_init(&rq, c->a, 512);
	buf_printf(&rq,
	           "POST /flash/%lld HTTP/1.0\r\nHost: push\r\nContent-Type: application/json\r\n"
	           "Content-Length: %zu\r\n\r\n%s",
	           (long long)sale, msg ? strlen(msg) : 0, msg ? msg : "");
	if (!msg || rq.failed)
		return -1;
	/* nchan answers once it has written the message to the subscribers
	 * of the worker that took it: a line of 10,000 takes it 0.2-0.9 s on
	 * 2 cores. The message is published by then whether we wait or not
	 * (bench/flash.sh: every stream heard it after we had gone), so the
	 * caller (the buyer of the last unit) waits only this long. */
	int64_t t0 = unixsock_now_ms();
	int64_t deadline = t0 + cfg_env_num("SOUK_FLASH_PUSH_TIMEOUT_MS", 50, 10, 10000);
	int fd = unixsock_connect(sock, true);
	int st = fd < 0 ? -1 : exchange(fd, buf_str(&rq), deadline);
	int e = errno;
	if (fd >= 0)
		close(fd);
	if ((st >= 200 && st < 300) || st == PUSH_SENT) {
		ctx_log(c, LOG_DEBUG, "flash: pushed %s of sale %lld in %lld ms%s", state, (long long)sale,
		        (long long)(unixsock_now_ms() - t0), st == PUSH_SENT ? " (sent; nginx still fanning out)" : "");
		return 0;
	}
	/* no socket: nginx without nchan (bin/souk says so at start), the
	 * pages poll; anything else is worth a line */
	ctx_log(c, fd < 0 && e == ENOENT ? LOG_DEBUG : LOG_WARN,
	        "flash: push of %s for sale %lld failed (%s); the pages' polls will tell", state,
	        (long long)sale, st > 0 ? "nginx refused it" : strerror(e));
	return -1;
}
