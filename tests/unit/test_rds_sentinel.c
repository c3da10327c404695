/* test_rds_sentinel: sentinel:// parsing, master replies, and the switch to a new master on READONLY. */
#include <arpa/inet.h>
#include <hiredis/hiredis.h>
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include "store/rds.h"
#include "store/rds_sentinel.h"
#include "tests.h"

static void test_parse_url(void)
{
	rds_sentinels s;
	CU_ASSERT_EQUAL(rds_sentinel_parse_url("sentinel://127.0.0.1:26379,10.0.0.2:26380/souk/3", &s), 0);
	CU_ASSERT_EQUAL(s.n, 2);
	ASSERT_CSTR(s.host[0], "127.0.0.1");
	CU_ASSERT_EQUAL(s.port[0], 26379);
	ASSERT_CSTR(s.host[1], "10.0.0.2");
	CU_ASSERT_EQUAL(s.port[1], 26380);
	ASSERT_CSTR(s.master, "souk");
	CU_ASSERT_EQUAL(s.dbnum, 3);
	CU_ASSERT_EQUAL(rds_sentinel_parse_url("sentinel://h:1/m", &s), 0);
	CU_ASSERT(s.n == 1 && s.dbnum == 0 && strcmp(s.master, "m") == 0);
	/* not a sentinel URL, or a broken one */
	CU_ASSERT_EQUAL(rds_sentinel_parse_url("redis://127.0.0.1:6379/0", &s), -1);
	CU_ASSERT_EQUAL(rds_sentinel_parse_url("sentinel://h:1", &s), -1);     /* no master */
	CU_ASSERT_EQUAL(rds_sentinel_parse_url("sentinel://h:1/", &s), -1);    /* empty master */
	CU_ASSERT_EQUAL(rds_sentinel_parse_url("sentinel://h/m", &s), -1);     /* no port */
	CU_ASSERT_EQUAL(rds_sentinel_parse_url("sentinel://h:0/m", &s), -1);   /* bad port */
	CU_ASSERT_EQUAL(rds_sentinel_parse_url("sentinel://h:70000/m", &s), -1);
	CU_ASSERT_EQUAL(rds_sentinel_parse_url("sentinel://:1/m", &s), -1);    /* no host */
	CU_ASSERT_EQUAL(rds_sentinel_parse_url("sentinel://h:1,/m", &s), -1);  /* empty member */
	CU_ASSERT_EQUAL(rds_sentinel_parse_url("sentinel://h:1/m/x", &s), -1); /* bad db */
	CU_ASSERT_EQUAL(rds_sentinel_parse_url(
	                    "sentinel://a:1,a:2,a:3,a:4,a:5,a:6,a:7,a:8,a:9/m", &s), -1);
}

/* Builds a reply tree like hiredis's for the parsers. */
static redisReply *str_reply(const char *s)
{
	redisReply *r = calloc(1, sizeof(*r));
	r->type = REDIS_REPLY_STRING;
	r->str = strdup(s);
	r->len = strlen(s);
	return r;
}

static redisReply *arr_reply(int n, ...)
{
	redisReply *r = calloc(1, sizeof(*r));
	r->type = REDIS_REPLY_ARRAY;
	r->elements = (size_t)n;
	r->element = calloc((size_t)n + 1, sizeof(*r->element));
	va_list ap;
	va_start(ap, n);
	for (int i = 0; i < n; i++)
		r->element[i] = va_arg(ap, redisReply *);
	va_end(ap);
	return r;
}

static void test_parse_master(void)
{
	char host[RDS_HOST_MAX];
	int port = 0;
	redisReply *ok = arr_reply(2, str_reply("127.0.0.3"), str_reply("38392"));
	CU_ASSERT_EQUAL(rds_sentinel_parse_master(ok, host, sizeof(host), &port), 0);
	ASSERT_CSTR(host, "127.0.0.3");
	CU_ASSERT_EQUAL(port, 38392);
	char tiny[4];
	CU_ASSERT_EQUAL(rds_sentinel_parse_master(ok, tiny, sizeof(tiny), &port), -1);
	freeReplyObject(ok);
	redisReply *nil = calloc(1, sizeof(*nil));
	nil->type = REDIS_REPLY_NIL; /* the Sentinel does not know the master */
	CU_ASSERT_EQUAL(rds_sentinel_parse_master(nil, host, sizeof(host), &port), -1);
	freeReplyObject(nil);
	redisReply *badport = arr_reply(2, str_reply("h"), str_reply("port"));
	CU_ASSERT_EQUAL(rds_sentinel_parse_master(badport, host, sizeof(host), &port), -1);
	freeReplyObject(badport);
	redisReply *one = arr_reply(1, str_reply("h"));
	CU_ASSERT_EQUAL(rds_sentinel_parse_master(one, host, sizeof(host), &port), -1);
	freeReplyObject(one);
	CU_ASSERT_EQUAL(rds_sentinel_parse_master(NULL, host, sizeof(host), &port), -1);

	redisReply *m = arr_reply(2, str_reply("master"), str_reply("0"));
	redisReply *s = arr_reply(2, str_reply("slave"), str_reply("127.0.0.1"));
	CU_ASSERT_TRUE(rds_sentinel_is_master_role(m));
	CU_ASSERT_FALSE(rds_sentinel_is_master_role(s));
	CU_ASSERT_FALSE(rds_sentinel_is_master_role(NULL));
	freeReplyObject(m);
	freeReplyObject(s);
	CU_ASSERT_TRUE(rds_sentinel_demoted_error("READONLY You can't write against a read only replica."));
	CU_ASSERT_TRUE(rds_sentinel_demoted_error("MASTERDOWN Link with MASTER is down"));
	CU_ASSERT_FALSE(rds_sentinel_demoted_error("WRONGTYPE Operation against a key"));
	CU_ASSERT_FALSE(rds_sentinel_demoted_error(NULL));
}

/* ---- a fake Sentinel and a fake demoted master, in a child process ----
 * The Sentinel names the fake master first and the real test Redis after;
 * the fake master says "master" to ROLE but READONLY to everything else,
 * like a master demoted after the client connected. */

static void say(int fd, const char *s)
{
	if (write(fd, s, strlen(s)) < 0)
		_exit(1);
}

static void serve_fakes(int sfd, int mfd, int real_port, int fake_port)
{
	int asked = 0;
	struct pollfd p[16] = {{sfd, POLLIN, 0}, {mfd, POLLIN, 0}};
	int kind[16] = {0, 1}, n = 2; /* 0 sentinel, 1 fake master */
	for (;;) {
		if (poll(p, (nfds_t)n, 5000) <= 0)
			_exit(0);
		for (int i = 0; i < n; i++) {
			if (!(p[i].revents & (POLLIN | POLLHUP)))
				continue;
			if (i < 2) {
				int c = accept(p[i].fd, NULL, NULL);
				if (c >= 0 && n < 16) {
					kind[n] = kind[i];
					p[n++] = (struct pollfd){c, POLLIN, 0};
				}
				continue;
			}
			char b[512];
			ssize_t got = read(p[i].fd, b, sizeof(b) - 1);
			if (got <= 0) {
				close(p[i].fd);
				p[i] = p[--n];
				kind[i] = kind[n];
				i--;
				continue;
			}
			b[got] = '\0';
			char out[128];
			if (kind[i] == 0) {
				snprintf(out, sizeof(out), "*2\r\n$9\r\n127.0.0.1\r\n$%d\r\n%d\r\n",
				         snprintf(NULL, 0, "%d", asked ? real_port : fake_port),
				         asked ? real_port : fake_port);
				asked++;
				say(p[i].fd, out);
			} else if (strstr(b, "ROLE") || strstr(b, "role")) {
				say(p[i].fd, "*3\r\n$6\r\nmaster\r\n:0\r\n*0\r\n");
			} else {
				say(p[i].fd, "-READONLY You can't write against a read only replica.\r\n");
			}
		}
	}
}

static void test_readonly_switch(void)
{
	const char *url = getenv("SOUK_TEST_REDIS_URL");
	const char *colon = url ? strrchr(url, ':') : NULL;
	int real_port = colon ? (int)strtol(colon + 1, NULL, 10) : 0;
	CU_ASSERT_FATAL(real_port > 0);
	int sport, mport;
	int sfd = t_listen_tcp(0, &sport), mfd = t_listen_tcp(0, &mport);
	CU_ASSERT_FATAL(sfd >= 0 && mfd >= 0);
	pid_t pid = fork();
	CU_ASSERT_FATAL(pid >= 0);
	if (pid == 0)
		serve_fakes(sfd, mfd, real_port, mport);
	close(sfd);
	close(mfd);
	char su[128];
	/* an unreachable Sentinel first: skipped for the next */
	snprintf(su, sizeof(su), "sentinel://127.0.0.1:1,127.0.0.1:%d/souk", sport);
	ctx *c = t_ctx_new(0);
	rds_free(c->rds);
	c->rds = rds_new(su);
	const char *k = "souk:unit:sentinel";
	/* connects to the fake master (the Sentinel's first answer), is told
	 * READONLY, asks again and writes to the real one */
	CU_ASSERT_EQUAL(rds_setex(c, k, 60, STR("moved")), 0);
	str got = {NULL, 0};
	CU_ASSERT_EQUAL(rds_get(c, k, &got), 1);
	CU_ASSERT(got.len == 5 && memcmp(got.p, "moved", 5) == 0);
	rds_del(c, k);
	app_ctx_free(c);
	kill(pid, SIGTERM);
	waitpid(pid, NULL, 0);

	/* no Sentinel answers: Redis is unavailable, nothing crashes */
	c = t_ctx_new(0);
	rds_free(c->rds);
	c->rds = rds_new("sentinel://127.0.0.1:1/souk");
	CU_ASSERT_FALSE(rds_ping(c));
	CU_ASSERT_EQUAL(rds_get(c, k, &got), -1);
	app_ctx_free(c);
}

void add_rds_sentinel_tests(void)
{
	CU_pSuite s = CU_add_suite("rds_sentinel", NULL, NULL);
	CU_add_test(s, "sentinel:// URLs: members, master, db; malformed refused", test_parse_url);
	CU_add_test(s, "master address, ROLE and READONLY replies", test_parse_master);
	const char *url = getenv("SOUK_TEST_REDIS_URL");
	if (!url || strncmp(url, "redis://", 8) != 0) {
		printf("rds_sentinel live test skipped: SOUK_TEST_REDIS_URL unset\n");
		return;
	}
	CU_add_test(s, "READONLY from a demoted master: ask the Sentinels, retry on the new one",
	            test_readonly_switch);
}
