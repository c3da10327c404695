/* test_unixsock: unit tests for lib/core/unixsock (listen mode, connect, bounds). */
#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "core/unixsock.h"
#include "tests.h"

static void test_listen_connect(void)
{
	char path[64];
	snprintf(path, sizeof(path), "/tmp/souk-unixsock-%d.sock", (int)getpid());
	int l = unixsock_listen(path, 4);
	CU_ASSERT_FATAL(l >= 0);
	struct stat st;
	CU_ASSERT_EQUAL_FATAL(stat(path, &st), 0);
	CU_ASSERT_EQUAL(st.st_mode & 0777, 0660);
	int c = unixsock_connect(path, false);
	CU_ASSERT_FATAL(c >= 0);
	int a = accept(l, NULL, NULL);
	CU_ASSERT_FATAL(a >= 0);
	CU_ASSERT_EQUAL(write(c, "ping", 4), 4);
	char got[8] = {0};
	CU_ASSERT_EQUAL(read(a, got, sizeof(got)), 4);
	CU_ASSERT_STRING_EQUAL(got, "ping");
	close(a);
	close(c);
	/* listening again on the same path replaces the stale file */
	close(l);
	l = unixsock_listen(path, 4);
	CU_ASSERT(l >= 0);
	close(l);
	unlink(path);
	/* nobody listening: a clear failure, not a hang */
	errno = 0;
	CU_ASSERT_EQUAL(unixsock_connect(path, false), -1);
	CU_ASSERT_EQUAL(errno, ENOENT);
	CU_ASSERT_EQUAL(unixsock_connect(path, true), -1);
}

static void test_path_too_long(void)
{
	char path[200];
	memset(path, 'a', sizeof(path) - 1);
	path[0] = '/';
	path[sizeof(path) - 1] = '\0';
	errno = 0;
	CU_ASSERT_EQUAL(unixsock_listen(path, 4), -1);
	CU_ASSERT_EQUAL(errno, ENAMETOOLONG);
	errno = 0;
	CU_ASSERT_EQUAL(unixsock_connect(path, true), -1);
	CU_ASSERT_EQUAL(errno, ENAMETOOLONG);
}

static void test_wait(void)
{
	int sv[2];
	CU_ASSERT_FATAL(socketpair(AF_UNIX, SOCK_STREAM, 0, sv) == 0);
	/* nothing to read: -1 once the deadline passes, not before */
	int64_t t0 = unixsock_now_ms();
	CU_ASSERT_EQUAL(unixsock_wait(sv[0], POLLIN, t0 + 80), -1);
	int64_t took = unixsock_now_ms() - t0;
	CU_ASSERT(took >= 75 && took < 1000);
	/* a deadline already past: -1 at once */
	CU_ASSERT_EQUAL(unixsock_wait(sv[0], POLLIN, t0), -1);
	/* writable at once; readable once the peer wrote, with or without a deadline */
	CU_ASSERT_EQUAL(unixsock_wait(sv[0], POLLOUT, unixsock_now_ms() + 1000), 0);
	CU_ASSERT_EQUAL(write(sv[1], "x", 1), 1);
	CU_ASSERT_EQUAL(unixsock_wait(sv[0], POLLIN, unixsock_now_ms() + 1000), 0);
	CU_ASSERT_EQUAL(unixsock_wait(sv[0], POLLIN, 0), 0);
	close(sv[0]);
	close(sv[1]);
}

static void test_send_all(void)
{
	int sv[2];
	CU_ASSERT_FATAL(socketpair(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK, 0, sv) == 0);
	static char big[4 << 20]; /* more than a socket buffer holds */
	memset(big, 'b', sizeof(big));
	/* nobody reads: the deadline ends it */
	int64_t t0 = unixsock_now_ms();
	errno = 0;
	CU_ASSERT_EQUAL(unixsock_send_all(sv[0], big, sizeof(big), t0 + 100), -1);
	CU_ASSERT_EQUAL(errno, ETIMEDOUT);
	CU_ASSERT(unixsock_now_ms() - t0 >= 95);
	close(sv[0]);
	close(sv[1]);

	/* a reader in a child: every byte arrives */
	CU_ASSERT_FATAL(socketpair(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK, 0, sv) == 0);
	pid_t pid = fork();
	if (pid == 0) {
		close(sv[0]);
		size_t total = 0;
		char b[65536];
		for (;;) {
			if (unixsock_wait(sv[1], POLLIN, unixsock_now_ms() + 5000) < 0)
				_exit(2);
			ssize_t r = recv(sv[1], b, sizeof(b), 0);
			if (r == 0)
				break;
			if (r > 0)
				total += (size_t)r;
		}
		_exit(total == sizeof(big) ? 0 : 1);
	}
	close(sv[1]);
	CU_ASSERT_EQUAL(unixsock_send_all(sv[0], big, sizeof(big), unixsock_now_ms() + 5000), 0);
	close(sv[0]);
	int st = -1;
	waitpid(pid, &st, 0);
	CU_ASSERT(WIFEXITED(st) && WEXITSTATUS(st) == 0);
}

void add_unixsock_tests(void)
{
	CU_pSuite s = CU_add_suite("unixsock", NULL, NULL);
	CU_add_test(s, "listen 0660, connect, exchange, replace a stale file", test_listen_connect);
	CU_add_test(s, "a path longer than sun_path is refused", test_path_too_long);
	CU_add_test(s, "wait: ready at once, or -1 at the deadline", test_wait);
	CU_add_test(s, "send_all: whole, or ETIMEDOUT when nobody reads", test_send_all);
}
