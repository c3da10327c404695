/* test_flash_push: the flash sales' push client against a fake nchan
 * publisher (a forked child on a Unix socket) that records what it got:
 * the message, the request, 2xx taken, anything else and no socket
 * refused without recording a failure in the context. */
#include <json-c/json.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "shop/flash_push.h"
#include "tests.h"

static char sock_path[108], req_log[128];

/* Child: n connections, each one request read whole and logged, then
 * answered with reply (NULL: closed unanswered; "": closed after 3 s, as
 * nchan answers once it has written to a long line: far past the 50 ms
 * the caller waits, so a loaded machine cannot blur the two). */
static void fake_nchan(int lfd, const char *reply, int n)
{
	for (int i = 0; i < n; i++) {
		int fd = accept(lfd, NULL, NULL);
		if (fd < 0)
			_exit(1);
		char rq[4096];
		size_t len = 0;
		for (;;) {
			ssize_t r = recv(fd, rq + len, sizeof(rq) - 1 - len, 0);
			if (r <= 0)
				break;
			len += (size_t)r;
			rq[len] = '\0';
			char *end = strstr(rq, "\r\n\r\n"), *cl = strstr(rq, "Content-Length: ");
			if (end && cl && len >= (size_t)(end + 4 - rq) + strtoul(cl + 16, NULL, 10))
				break;
		}
		FILE *f = fopen(req_log, "a");
		if (f) {
			fwrite(rq, 1, len, f);
			fclose(f);
		}
		if (reply && !*reply)
			usleep(3000000);
		else if (reply && send(fd, reply, strlen(reply), MSG_NOSIGNAL) < 0)
			_exit(1);
		close(fd);
	}
	_exit(0);
}

static pid_t start_fake(const char *reply, int n)
{
	unlink(sock_path);
	unlink(req_log);
	int lfd = socket(AF_UNIX, SOCK_STREAM, 0);
	struct sockaddr_un sa = {.sun_family = AF_UNIX};
	memcpy(sa.sun_path, sock_path, strlen(sock_path) + 1);
	CU_ASSERT_EQUAL(bind(lfd, (struct sockaddr *)&sa, sizeof(sa)), 0);
	CU_ASSERT_EQUAL(listen(lfd, 4), 0);
	pid_t pid = fork();
	if (pid == 0)
		fake_nchan(lfd, reply, n);
	close(lfd);
	return pid;
}

static const char *logged(void)
{
	static char text[4096];
	FILE *f = fopen(req_log, "r");
	size_t n = f ? fread(text, 1, sizeof(text) - 1, f) : 0;
	if (f)
		fclose(f);
	text[n] = '\0';
	return text;
}

static void test_message(void)
{
	json_object *o = json_tokener_parse(flash_push_message(t_c, 42, "sold_out", 0));
	CU_ASSERT_PTR_NOT_NULL_FATAL(o);
	json_object *v;
	CU_ASSERT(json_object_object_get_ex(o, "sale", &v) && json_object_get_int64(v) == 42);
	CU_ASSERT(json_object_object_get_ex(o, "state", &v) &&
	          strcmp(json_object_get_string(v), "sold_out") == 0);
	CU_ASSERT(json_object_object_get_ex(o, "units_left", &v) && json_object_get_int64(v) == 0);
	/* "at": unix ms, so a page can ignore what its own status already held */
	CU_ASSERT(json_object_object_get_ex(o, "at", &v) &&
	          json_object_get_int64(v) > (int64_t)time(NULL) * 1000 - 60000);
	json_object_put(o);
	/* units_left < 0: not sent (a pause does not know them) */
	CU_ASSERT_PTR_NULL(strstr(flash_push_message(t_c, 42, "paused", -1), "units_left"));
}

static void test_publish(void)
{
	snprintf(sock_path, sizeof(sock_path), "/tmp/souk-push-test-%d.sock", (int)getpid());
	snprintf(req_log, sizeof(req_log), "/tmp/souk-push-test-%d.req", (int)getpid());
	setenv("SOUK_FLASH_PUSH_SOCKET", sock_path, 1);
	CU_ASSERT_STRING_EQUAL(flash_push_socket(), sock_path);

	/* nchan's 201 (delivered) and 202 (queued, nobody listening) are both taken */
	pid_t pid = start_fake("HTTP/1.1 202 Accepted\r\nContent-Length: 0\r\n\r\n", 1);
	CU_ASSERT_EQUAL(flash_push(t_c, 7, "sold_out", 0), 0);
	waitpid(pid, NULL, 0);
	const char *rq = logged();
	CU_ASSERT(strncmp(rq, "POST /flash/7 HTTP/1.0\r\n", 24) == 0);
	CU_ASSERT_PTR_NOT_NULL(strstr(rq, "Content-Type: application/json\r\n"));
	CU_ASSERT_PTR_NOT_NULL(strstr(rq, "\r\n\r\n{\"sale\":7,\"state\":\"sold_out\",\"units_left\":0,"));

	/* nginx has it whole but answers late (fanning out to a long line):
	 * taken, and the caller waited only SOUK_FLASH_PUSH_TIMEOUT_MS */
	setenv("SOUK_FLASH_PUSH_TIMEOUT_MS", "50", 1);
	pid = start_fake("", 1);
	struct timespec a, b;
	clock_gettime(CLOCK_MONOTONIC, &a);
	CU_ASSERT_EQUAL(flash_push(t_c, 7, "sold_out", 0), 0);
	clock_gettime(CLOCK_MONOTONIC, &b);
	CU_ASSERT((b.tv_sec - a.tv_sec) * 1000 + (b.tv_nsec - a.tv_nsec) / 1000000 < 2000);
	waitpid(pid, NULL, 0);
	CU_ASSERT_PTR_NOT_NULL(strstr(logged(), "POST /flash/7 HTTP/1.0"));

	/* refused, unanswered, or no publisher at all: -1, and the caller's
	 * request goes on (nothing recorded in the context). The fake answers
	 * at once, but a busy machine may run it late: the caller waits long
	 * enough to hear it, or a late 403 would read as "taken". */
	setenv("SOUK_FLASH_PUSH_TIMEOUT_MS", "5000", 1);
	pid = start_fake("HTTP/1.1 403 Forbidden\r\n\r\n", 1);
	CU_ASSERT_EQUAL(flash_push(t_c, 7, "ended", 0), -1);
	waitpid(pid, NULL, 0);
	pid = start_fake(NULL, 1);
	CU_ASSERT_EQUAL(flash_push(t_c, 7, "ended", 0), -1);
	waitpid(pid, NULL, 0);
	unlink(sock_path);
	CU_ASSERT_EQUAL(flash_push(t_c, 7, "ended", 0), -1);
	CU_ASSERT_EQUAL(t_c->err_status, 0);
	unlink(req_log);
	unsetenv("SOUK_FLASH_PUSH_TIMEOUT_MS");

	/* push off (unit tests, a stack without nchan): nothing tried */
	unsetenv("SOUK_FLASH_PUSH_SOCKET");
	const char *var = getenv("SOUK_VAR");
	char *keep = var ? strdup(var) : NULL;
	unsetenv("SOUK_VAR");
	CU_ASSERT_PTR_NULL(flash_push_socket());
	CU_ASSERT_EQUAL(flash_push(t_c, 7, "ended", 0), -1);
	setenv("SOUK_VAR", "/srv/souk/var", 1);
	CU_ASSERT_STRING_EQUAL(flash_push_socket(), "/srv/souk/var/run/push.sock");
	if (keep)
		setenv("SOUK_VAR", keep, 1);
	else
		unsetenv("SOUK_VAR");
	free(keep);
}

void add_flash_push_tests(void)
{
	CU_pSuite s = CU_add_suite("flash_push", t_ctx_setup, t_ctx_teardown);
	CU_add_test(s, "the message of a state change", test_message);
	CU_add_test(s, "publishing to nchan: 2xx taken, refusals and no socket harmless", test_publish);
}
