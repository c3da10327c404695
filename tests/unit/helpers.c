/* helpers: shared fixtures for the unit tests (contexts, fake requests, asserts). */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include "http/app.h"
#include "tests.h"
#include "http/req.h"

/* Unreachable on purpose: a unix socket dir that does not exist, port 1. */
static cfg t_cfg = {
	.database_url = "host=/nonexistent/souk-unit dbname=none connect_timeout=1",
	.redis_url = "redis://127.0.0.1:1/0",
	.template_dir = "/nonexistent/souk-unit",
	.workers = 1,
	.max_body = 1 << 20,
	.arena_max = 1 << 20,
	.cache_ttl = 300,
	.log_level = 1,
	.fingerprint_key = "unit-test fingerprint key",
	.fingerprint_key_len = 25,
};

ctx *t_ctx_new(size_t cap)
{
	ctx *c = app_ctx_new(&t_cfg);
	arena_free(c->a);
	c->a = arena_new(cap);
	app_ctx_begin(c);
	return c;
}

ctx *t_c;

int t_ctx_setup(void)
{
	t_c = t_ctx_new(0);
	return 0;
}

int t_ctx_teardown(void)
{
	app_ctx_free(t_c);
	t_c = NULL;
	return 0;
}

arena *t_a;

int t_arena_setup(void)
{
	t_a = arena_new(0);
	return 0;
}

int t_arena_teardown(void)
{
	arena_free(t_a);
	t_a = NULL;
	return 0;
}

int t_req(ctx *c, char *const *envp, const char **why)
{
	const char *w = NULL;
	int rc = req_from_env(c->rq, c->a, envp, &req_default_limits, &w);
	if (why)
		*why = w;
	return rc;
}

void t_arena_fill(arena *a)
{
	for (int i = 0; i < (1 << 22) && arena_alloc(a, 16); i++)
		;
}

int t_in_child(void (*fn)(void))
{
	fflush(NULL);
	FILE *err = tmpfile();
	pid_t pid = err ? fork() : -1;
	if (pid < 0)
		return -1;
	if (pid == 0) {
		dup2(fileno(err), 2); /* the parent shows the sanitizer's summary */
		fn();
		_exit(0);
	}
	int st;
	if (waitpid(pid, &st, 0) != pid)
		st = -1;
	char line[512];
	rewind(err);
	while (fgets(line, sizeof(line), err))
		if (strncmp(line, "SUMMARY:", 8) == 0)
			printf("\n    child: %s", line);
	fclose(err);
	if (st == -1)
		return -1;
	return WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
}

static FILE *captured;
static int saved_stderr = -1;

void t_stderr_begin(void)
{
	fflush(stderr);
	captured = tmpfile();
	if (!captured)
		return;
	saved_stderr = dup(2);
	dup2(fileno(captured), 2);
}

const char *t_stderr_end(void)
{
	static char text[16384];
	text[0] = '\0';
	if (!captured)
		return text;
	fflush(stderr);
	dup2(saved_stderr, 2);
	close(saved_stderr);
	rewind(captured);
	size_t n = fread(text, 1, sizeof(text) - 1, captured);
	text[n] = '\0';
	fclose(captured);
	captured = NULL;
	return text;
}

static void report(bool ok, const char *got, size_t len, const char *want, unsigned line,
                   const char *file)
{
	char msg[600];
	snprintf(msg, sizeof(msg), "got \"%.*s\", want \"%s\"", (int)(len > 250 ? 250 : len), got,
	         want);
	CU_assertImplementation(ok ? CU_TRUE : CU_FALSE, line, msg, file, "", CU_FALSE);
}

void t_assert_str(str got, const char *want, unsigned line, const char *file)
{
	if (!got.p)
		report(false, "(null)", 6, want, line, file);
	else
		report(str_eq_c(got, want), got.p, got.len, want, line, file);
}

void t_assert_cstr(const char *got, const char *want, unsigned line, const char *file)
{
	if (!got)
		report(false, "(null)", 6, want, line, file);
	else
		report(strcmp(got, want) == 0, got, strlen(got), want, line, file);
}

int t_listen_tcp(int port, int *bound)
{
	int fd = socket(AF_INET, SOCK_STREAM, 0);
	int one = 1;
	struct sockaddr_in a = {.sin_family = AF_INET, .sin_port = htons((uint16_t)port),
	                        .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
	socklen_t len = sizeof(a);
	if (fd < 0 || setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one)) < 0 ||
	    bind(fd, (struct sockaddr *)&a, sizeof(a)) < 0 || listen(fd, 8) < 0 ||
	    getsockname(fd, (struct sockaddr *)&a, &len) < 0) {
		if (fd >= 0)
			close(fd);
		return -1;
	}
	if (bound)
		*bound = ntohs(a.sin_port);
	return fd;
}
