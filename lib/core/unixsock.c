/* unixsock: listening on and connecting to Unix-domain stream sockets. */
#include "core/unixsock.h"

#include <errno.h>
#include <poll.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <time.h>
#include <unistd.h>

/* A non-blocking socket and the address of path in *sa; -1 when path does
 * not fit. */
static int open_with(const char *path, struct sockaddr_un *sa)
{
	size_t len = strlen(path);
	memset(sa, 0, sizeof(*sa));
	sa->sun_family = AF_UNIX;
	if (len >= sizeof(sa->sun_path)) {
		errno = ENAMETOOLONG;
		return -1;
	}
	memcpy(sa->sun_path, path, len + 1);
	return socket(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
}

int unixsock_listen(const char *path, int backlog)
{
	struct sockaddr_un sa;
	int fd = open_with(path, &sa);
	if (fd < 0)
		return -1;
	unlink(path);
	mode_t old = umask(0117);
	int rc = bind(fd, (struct sockaddr *)&sa, sizeof(sa));
	umask(old);
	if (rc < 0 || chmod(path, 0660) < 0 || listen(fd, backlog) < 0) {
		int e = errno;
		close(fd);
		errno = e;
		return -1;
	}
	return fd;
}

int unixsock_connect(const char *path, bool pending_ok)
{
	struct sockaddr_un sa;
	int fd = open_with(path, &sa);
	if (fd < 0)
		return -1;
	if (connect(fd, (struct sockaddr *)&sa, sizeof(sa)) == 0 ||
	    (pending_ok && (errno == EINPROGRESS || errno == EAGAIN)))
		return fd;
	int e = errno;
	close(fd);
	errno = e;
	return -1;
}

int64_t unixsock_now_ms(void)
{
	struct timespec t;
	clock_gettime(CLOCK_MONOTONIC, &t);
	return (int64_t)t.tv_sec * 1000 + t.tv_nsec / 1000000;
}

int unixsock_wait(int fd, short events, int64_t deadline_ms)
{
	for (;;) {
		int ms = -1;
		if (deadline_ms) {
			int64_t left = deadline_ms - unixsock_now_ms();
			if (left <= 0)
				return -1;
			ms = (int)left;
		}
		struct pollfd p = {fd, events, 0};
		int n = poll(&p, 1, ms);
		if (n > 0)
			return 0;
		if (n == 0 || errno != EINTR)
			return -1;
	}
}

int unixsock_send_all(int fd, const char *p, size_t n, int64_t deadline_ms)
{
	while (n > 0) {
		ssize_t w = send(fd, p, n, MSG_NOSIGNAL | MSG_DONTWAIT);
		if (w > 0) {
			p += w;
			n -= (size_t)w;
		} else if (w < 0 && errno == EINTR) {
			continue;
		} else if (w < 0 && (errno == EAGAIN || errno == EWOULDBLOCK || errno == ENOTCONN)) {
			if (unixsock_wait(fd, POLLOUT, deadline_ms) < 0) {
				errno = ETIMEDOUT;
				return -1;
			}
		} else {
			return -1;
		}
	}
	return 0;
}
