/* test_rds: lib/rds on a live Redis (SOUK_TEST_REDIS_URL); -1 when down. */
#include <hiredis/hiredis.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "store/rds.h"
#include "tests.h"

static ctx *C, *C2; /* C2: a second client, to kill C's connection */

/* A context on the test server, database dbnum (-1: the URL as given). */
static ctx *live_ctx(int dbnum)
{
	const char *url = getenv("SOUK_TEST_REDIS_URL");
	ctx *c = t_ctx_new(0);
	rds_free(c->rds);
	if (dbnum < 0 || strncmp(url, "redis://", 8) != 0) {
		c->rds = rds_new(url);
		return c;
	}
	char u[512];
	const char *slash = strchr(url + 8, '/');
	int hl = slash ? (int)(slash - url) : (int)strlen(url);
	snprintf(u, sizeof(u), "%.*s/%d", hl, url, dbnum);
	c->rds = rds_new(u);
	return c;
}

static int setup(void)
{
	C = live_ctx(-1);
	C2 = live_ctx(-1);
	return 0;
}

static int teardown(void)
{
	app_ctx_free(C);
	app_ctx_free(C2);
	return 0;
}

static void test_roundtrip(void)
{
	app_ctx_begin(C);
	const char *k = "souk:unit:k";
	str v = {"v\0x\r\n", 5}; /* binary-safe */
	str got = {NULL, 0};
	CU_ASSERT_TRUE(rds_ping(C));
	CU_ASSERT_EQUAL(rds_del(C, k), 0);
	CU_ASSERT_EQUAL(rds_get(C, k, &got), 0);
	CU_ASSERT_EQUAL(rds_setex(C, k, 60, v), 0);
	CU_ASSERT_EQUAL(rds_get(C, k, &got), 1);
	CU_ASSERT(got.len == 5 && memcmp(got.p, v.p, 5) == 0 && got.p[5] == '\0');
	const char *argv[] = {"TTL", k};
	size_t lens[] = {3, strlen(k)};
	redisReply *ttl = rds_cmd(C, 2, argv, lens);
	CU_ASSERT(ttl && ttl->type == REDIS_REPLY_INTEGER && ttl->integer > 0 && ttl->integer <= 60);
	CU_ASSERT_EQUAL(rds_del(C, k), 0);
	CU_ASSERT_EQUAL(rds_get(C, k, &got), 0);
	CU_ASSERT_EQUAL(C->err_status, 0);
}

static void test_incr_and_error_reply(void)
{
	app_ctx_begin(C);
	const char *n = "souk:unit:n";
	rds_del(C, n);
	CU_ASSERT_EQUAL(rds_incr(C, n), 1);
	CU_ASSERT_EQUAL(rds_incr(C, n), 2);
	CU_ASSERT_EQUAL(rds_setex(C, n, 60, STR("abc")), 0);
	CU_ASSERT_EQUAL(rds_incr(C, n), -1); /* an error reply, not a dead link */
	CU_ASSERT_TRUE(rds_ping(C));
	rds_del(C, n);
	CU_ASSERT_EQUAL(C->err_status, 0);
}

static void test_select_db(void)
{
	if (strncmp(getenv("SOUK_TEST_REDIS_URL"), "redis://", 8) != 0) {
		puts("(a unix: URL names no database; run with a redis:// URL to test this)");
		return;
	}
	ctx *d1 = live_ctx(1), *d2 = live_ctx(2);
	const char *k = "souk:unit:db";
	str got;
	CU_ASSERT_EQUAL(rds_setex(d2, k, 60, STR("two")), 0);
	CU_ASSERT_EQUAL(rds_get(d1, k, &got), 0); /* another database */
	CU_ASSERT_EQUAL(rds_get(d2, k, &got), 1);
	rds_del(d2, k);
	app_ctx_free(d1);
	app_ctx_free(d2);
}

static double now_ms(void)
{
	struct timespec t;
	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)t.tv_sec * 1e3 + (double)t.tv_nsec / 1e6;
}

static void test_reconnect_after_kill(void)
{
	app_ctx_begin(C);
	app_ctx_begin(C2);
	const char *idv[] = {"CLIENT", "ID"};
	size_t idl[] = {6, 2};
	redisReply *id = rds_cmd(C, 2, idv, idl);
	CU_ASSERT(id && id->type == REDIS_REPLY_INTEGER);
	if (!id || id->type != REDIS_REPLY_INTEGER)
		return;
	char ids[32];
	snprintf(ids, sizeof(ids), "%lld", id->integer);
	const char *kv[] = {"CLIENT", "KILL", "ID", ids};
	size_t kl[] = {6, 4, 2, strlen(ids)};
	redisReply *k = rds_cmd(C2, 4, kv, kl);
	CU_ASSERT(k && k->type == REDIS_REPLY_INTEGER && k->integer == 1);

	/* The killed link is noticed and the command retried on a fresh one:
	 * an invalidation (DEL) must not be lost to a stale socket. */
	str val = STR("v1");
	CU_ASSERT_EQUAL(rds_setex(C2, "souk:unit:k", 60, val), 0);
	double t0 = now_ms();
	CU_ASSERT_EQUAL(rds_del(C, "souk:unit:k"), 0);
	CU_ASSERT(now_ms() - t0 < 500);
	str got;
	CU_ASSERT_EQUAL(rds_get(C2, "souk:unit:k", &got), 0); /* really deleted */
	redisReply *id2 = rds_cmd(C, 2, idv, idl);
	CU_ASSERT(id2 && id2->type == REDIS_REPLY_INTEGER && id2->integer != id->integer);
	CU_ASSERT_EQUAL(C->err_status, 0);
}

/* Regression: on a full arena arena_defer frees the reply at once and
 * rds_cmd used to read it afterwards (rep->type): a use-after-free. */
static void get_on_full_arena(void)
{
	ctx *c = live_ctx(-1);
	arena_free(c->a);
	c->a = arena_new(4096);
	app_ctx_begin(c);
	rds_ping(c); /* connect first: the command itself must hit the cap */
	t_arena_fill(c->a);
	str got;
	rds_get(c, "souk:unit:k", &got);
	_exit(0);
}

static void test_regress_full_arena(void)
{
	CU_ASSERT_EQUAL(t_in_child(get_on_full_arena), 0);
}

static void test_unreachable(void)
{
	ctx *c = t_ctx_new(0); /* redis://127.0.0.1:1/0 */
	str got;
	CU_ASSERT_EQUAL(rds_get(c, "k", &got), -1);
	CU_ASSERT_EQUAL(rds_setex(c, "k", 1, STR("v")), -1);
	CU_ASSERT_EQUAL(rds_del(c, "k"), -1);
	CU_ASSERT_EQUAL(rds_incr(c, "k"), -1);
	CU_ASSERT_FALSE(rds_ping(c));
	CU_ASSERT_EQUAL(c->err_status, 0); /* callers decide: degrade or fail */
	app_ctx_free(c);
}

/* ---- a fake Redis that goes away and comes back ----
 * A child listens on 127.0.0.1:port after waiting delay_ms (a restart
 * that takes that long), then answers -LOADING for loading_ms and +PONG
 * after that, to whatever it reads. */
static pid_t fake_redis(int port, long delay_ms, long loading_ms, int *bound)
{
	int fd = delay_ms ? -1 : t_listen_tcp(port, bound);
	if (!delay_ms && fd < 0)
		return -1;
	pid_t pid = fork();
	if (pid != 0) {
		if (fd >= 0)
			close(fd);
		return pid;
	}
	if (delay_ms) {
		struct timespec d = {delay_ms / 1000, (delay_ms % 1000) * 1000000L};
		nanosleep(&d, NULL);
		if ((fd = t_listen_tcp(port, NULL)) < 0)
			_exit(1);
	}
	struct timespec loaded;
	clock_gettime(CLOCK_MONOTONIC, &loaded);
	loaded.tv_sec += loading_ms / 1000;
	loaded.tv_nsec += (loading_ms % 1000) * 1000000L;
	if (loaded.tv_nsec >= 1000000000L) {
		loaded.tv_sec++;
		loaded.tv_nsec -= 1000000000L;
	}
	struct pollfd p[8] = {{fd, POLLIN, 0}};
	int n = 1;
	for (;;) {
		if (poll(p, (nfds_t)n, 10000) <= 0)
			_exit(0);
		for (int i = 0; i < n; i++) {
			if (!(p[i].revents & (POLLIN | POLLHUP)))
				continue;
			if (i == 0) {
				int c = accept(fd, NULL, NULL);
				if (c >= 0 && n < 8)
					p[n++] = (struct pollfd){c, POLLIN, 0};
				continue;
			}
			char b[256];
			struct timespec now;
			clock_gettime(CLOCK_MONOTONIC, &now);
			bool busy = now.tv_sec < loaded.tv_sec ||
			            (now.tv_sec == loaded.tv_sec && now.tv_nsec < loaded.tv_nsec);
			const char *say = busy ? "-LOADING Redis is loading the dataset in memory\r\n"
			                       : "+PONG\r\n";
			if (read(p[i].fd, b, sizeof(b)) <= 0 ||
			    write(p[i].fd, say, strlen(say)) != (ssize_t)strlen(say)) {
				close(p[i].fd);
				p[i--] = p[--n];
			}
		}
	}
}

static void stop(pid_t pid)
{
	kill(pid, SIGKILL);
	waitpid(pid, NULL, 0);
}

static void test_ride_out_restart(void)
{
	int port;
	pid_t a = fake_redis(0, 0, 0, &port);
	CU_ASSERT_FATAL(a > 0);
	char url[64];
	snprintf(url, sizeof(url), "redis://127.0.0.1:%d", port);
	ctx *c = t_ctx_new(0);
	rds_free(c->rds);
	c->rds = rds_new(url);
	app_ctx_begin(c);
	CU_ASSERT_TRUE(rds_ping(c));

	/* Redis restarts: refuses for 400 ms, loads for 300 ms; the command
	 * waits for it. */
	stop(a);
	pid_t b = fake_redis(port, 400, 300, NULL);
	double t0 = now_ms();
	CU_ASSERT_TRUE(rds_ping(c));
	double waited = now_ms() - t0;
	CU_ASSERT(waited >= 600 && waited < 2000);

	/* A second restart is ridden out too (the first one's clock is over). */
	stop(b);
	b = fake_redis(port, 200, 0, NULL);
	t0 = now_ms();
	CU_ASSERT_TRUE(rds_ping(c));
	waited = now_ms() - t0;
	CU_ASSERT(waited >= 150 && waited < 2000);

	/* Gone for good: answered after the ride (~2 s), then at once. */
	stop(b);
	t0 = now_ms();
	CU_ASSERT_FALSE(rds_ping(c));
	waited = now_ms() - t0;
	CU_ASSERT(waited >= 1800 && waited < 3500);
	t0 = now_ms();
	CU_ASSERT_FALSE(rds_ping(c));
	CU_ASSERT(now_ms() - t0 < 100);
	app_ctx_free(c);
}

static void test_never_up_fails_fast(void)
{
	ctx *c = t_ctx_new(0); /* redis://127.0.0.1:1/0, never reached */
	double t0 = now_ms();
	CU_ASSERT_FALSE(rds_ping(c));
	CU_ASSERT(now_ms() - t0 < 300);
	app_ctx_free(c);
}

void add_rds_tests(void)
{
	CU_pSuite s = CU_add_suite("rds_down", NULL, NULL);
	CU_add_test(s, "unreachable Redis: -1, nothing recorded", test_unreachable);
	CU_add_test(s, "Redis restarting: a request waits for it, then fails fast", test_ride_out_restart);
	CU_add_test(s, "Redis never reached: no wait", test_never_up_fails_fast);

	const char *url = getenv("SOUK_TEST_REDIS_URL");
	if (!url || !*url) {
		printf("rds tests skipped: SOUK_TEST_REDIS_URL unset\n");
		return;
	}
	s = CU_add_suite("rds", setup, teardown);
	CU_add_test(s, "setex/get/del round trip, binary-safe", test_roundtrip);
	CU_add_test(s, "incr; an error reply keeps the link", test_incr_and_error_reply);
	CU_add_test(s, "URL database number is selected", test_select_db);
	CU_add_test(s, "killed connection: reconnect and retry once, nothing lost", test_reconnect_after_kill);
	CU_add_test(s, "regress: command on a full arena: no use-after-free", test_regress_full_arena);
}
