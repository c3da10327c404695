/* test_prefork: prefork_supervise in real processes: a dead child is
 * restarted, SIGHUP reaches every child, SIGTERM drains them and removes
 * the pid file. */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "core/log.h"
#include "http/prefork.h"
#include "tests.h"

static int report_fd; /* the children's pipe to the test */

static void report(char what)
{
	char line[32];
	int n = snprintf(line, sizeof(line), "%c%d\n", what, (int)getpid());
	if (write(report_fd, line, (size_t)n) != n)
		_exit(3);
}

/* A job-like child: busy for good, so SIGTERM asks it to stop. */
static int child_run(void *arg)
{
	(void)arg;
	prefork_set_busy(true);
	report('S');
	while (!prefork_should_stop()) {
		if (prefork_take_reload())
			report('H');
		struct timespec ts = {0, 10000000L};
		nanosleep(&ts, NULL);
	}
	report('T');
	return 0;
}

/* The next "<kind><pid>" line within ms; 0 on timeout. */
static int next_line(int fd, char *kind, int ms)
{
	char line[32];
	size_t n = 0;
	while (n < sizeof(line) - 1) {
		struct pollfd p = {fd, POLLIN, 0};
		if (poll(&p, 1, ms) != 1 || read(fd, line + n, 1) != 1)
			return 0;
		if (line[n] == '\n')
			break;
		n++;
	}
	line[n] = '\0';
	*kind = line[0];
	int pid = 0;
	for (size_t i = 1; i < n; i++)
		pid = pid * 10 + (line[i] - '0');
	return pid;
}

static void test_supervise(void)
{
	int fds[2];
	CU_ASSERT_EQUAL_FATAL(pipe(fds), 0);
	char pidfile[64];
	snprintf(pidfile, sizeof(pidfile), "/tmp/souk-ut-prefork.%d.pid", (int)getpid());
	pid_t sup = fork();
	CU_ASSERT_FATAL(sup >= 0);
	if (sup == 0) {
		close(fds[0]);
		report_fd = fds[1];
		log_set_level(LOG_ERROR);
		static const prefork_child ch[] = {{"a", child_run, NULL}, {"b", child_run, NULL}};
		prefork_sup sv = {"ut", "child", pidfile, true, 5};
		_exit(prefork_supervise(&sv, ch, 2));
	}
	close(fds[1]);
	int in = fds[0];
	char k1 = 0, k2 = 0, k = 0;
	int p1 = next_line(in, &k1, 5000), p2 = next_line(in, &k2, 5000);
	CU_ASSERT_EQUAL(k1, 'S');
	CU_ASSERT_EQUAL(k2, 'S');
	CU_ASSERT(p1 > 0 && p2 > 0 && p1 != p2);
	CU_ASSERT_EQUAL(access(pidfile, F_OK), 0);

	/* a child that died quickly comes back after a second or two */
	if (p1 > 0)
		kill(p1, SIGKILL);
	int p3 = next_line(in, &k, 5000);
	CU_ASSERT_EQUAL(k, 'S');
	CU_ASSERT(p3 > 0 && p3 != p1 && p3 != p2);

	/* SIGHUP is forwarded to both live children, none restarted */
	kill(sup, SIGHUP);
	int h1 = next_line(in, &k1, 3000), h2 = next_line(in, &k2, 3000);
	CU_ASSERT_EQUAL(k1, 'H');
	CU_ASSERT_EQUAL(k2, 'H');
	CU_ASSERT((h1 == p2 && h2 == p3) || (h1 == p3 && h2 == p2));

	/* SIGTERM: both finish (T), the supervisor exits 0 without its pid file */
	kill(sup, SIGTERM);
	int t1 = next_line(in, &k1, 5000), t2 = next_line(in, &k2, 5000);
	CU_ASSERT_EQUAL(k1, 'T');
	CU_ASSERT_EQUAL(k2, 'T');
	CU_ASSERT((t1 == p2 && t2 == p3) || (t1 == p3 && t2 == p2));
	int status = -1;
	for (int i = 0; i < 100 && waitpid(sup, &status, WNOHANG) == 0; i++) {
		struct timespec ts = {0, 100000000L};
		nanosleep(&ts, NULL);
	}
	if (status == -1) { /* never leave a supervisor behind */
		kill(sup, SIGKILL);
		waitpid(sup, NULL, 0);
	}
	CU_ASSERT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0);
	CU_ASSERT_NOT_EQUAL(access(pidfile, F_OK), 0);
	close(in);
}

/* A pool worker that greets each connection: accept, "ok", close. */
static int greet_main(int fd)
{
	prefork_set_busy(false);
	for (;;) {
		int c = accept(fd, NULL, NULL);
		if (c < 0)
			continue;
		if (write(c, "ok", 2) != 2)
			_exit(3);
		close(c);
	}
	return 0;
}

/* A free loopback port (closed again: a small race, fine for a test). */
static int free_port(void)
{
	int fd = socket(AF_INET, SOCK_STREAM, 0);
	struct sockaddr_in a = {.sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
	socklen_t len = sizeof(a);
	int port = -1;
	if (fd >= 0 && bind(fd, (struct sockaddr *)&a, sizeof(a)) == 0 &&
	    getsockname(fd, (struct sockaddr *)&a, &len) == 0)
		port = ntohs(a.sin_port);
	if (fd >= 0)
		close(fd);
	return port;
}

/* SOUK_SOCKET=host:port (an app host of a cluster): the pool listens on
 * TCP, and no file of that name is made or removed. */
static void test_tcp_listen(void)
{
	int port = free_port();
	CU_ASSERT_FATAL(port > 0);
	char addr[64];
	snprintf(addr, sizeof(addr), "127.0.0.1:%d", port);
	pid_t sup = fork();
	CU_ASSERT_FATAL(sup >= 0);
	if (sup == 0) {
		log_set_level(LOG_ERROR);
		_exit(prefork_run(addr, 1, NULL, greet_main));
	}
	char got[3] = "";
	for (int i = 0; i < 100 && strcmp(got, "ok") != 0; i++) {
		int fd = socket(AF_INET, SOCK_STREAM, 0);
		struct sockaddr_in a = {.sin_family = AF_INET, .sin_port = htons((uint16_t)port),
		                        .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
		if (connect(fd, (struct sockaddr *)&a, sizeof(a)) == 0 && read(fd, got, 2) == 2)
			got[2] = '\0';
		close(fd);
		if (strcmp(got, "ok") != 0) {
			struct timespec ts = {0, 50000000L};
			nanosleep(&ts, NULL);
		}
	}
	ASSERT_CSTR(got, "ok");
	CU_ASSERT_NOT_EQUAL(access(addr, F_OK), 0); /* no file named host:port */
	kill(sup, SIGTERM);
	int status = -1;
	for (int i = 0; i < 100 && waitpid(sup, &status, WNOHANG) == 0; i++) {
		struct timespec ts = {0, 100000000L};
		nanosleep(&ts, NULL);
	}
	if (status == -1) {
		kill(sup, SIGKILL);
		waitpid(sup, NULL, 0);
	}
	CU_ASSERT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0);
}

void add_prefork_tests(void)
{
	CU_pSuite s = CU_add_suite("prefork", NULL, NULL);
	CU_add_test(s, "supervise: restart, SIGHUP forwarded, drain on SIGTERM", test_supervise);
	CU_add_test(s, "prefork_run on host:port listens on TCP, no socket file", test_tcp_listen);
}
