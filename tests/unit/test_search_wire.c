/* test_search_wire: the souk-searchd wire: query JSON round trip and its
 * strictness, frames, and the client against a fake daemon (forked). */
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <unistd.h>

#include "search/search_frame.h"
#include "search/search_int.h"
#include "core/unixsock.h"
#include "search/search_remote.h"
#include "tests.h"

#define C t_c

static bool str_is(str s, const char *want)
{
	return s.len == strlen(want) && memcmp(s.p, want, s.len) == 0;
}

static void test_query_round_trip(void)
{
	app_ctx_begin(C);
	search_query q;
	search_query_init(&q);
	q.q = STR("Red \"sofa\" \xc3\xa9t\xc3\xa9");
	q.w = (search_weights){5.5, 0, 1.25};
	q.category_id = 42;
	q.category_slug = "living-room";
	q.brands[0] = STR("ACME");
	q.brands[1] = STR("Dhp");
	q.nbrands = 2;
	q.colors[0] = STR("red");
	q.ncolors = 1;
	q.sizes[0] = STR("XL");
	q.sizes[1] = STR("M");
	q.sizes[2] = STR("40");
	q.nsizes = 3;
	q.price_min = 1000;
	q.price_max = 99999;
	q.in_stock = true;
	q.rating_min = 4;
	q.sort = SEARCH_SORT_NEWEST;
	q.offset = 40;
	q.limit = 0;
	q.facets = false;
	q.ranges[0] = (search_range){-1, 2500, "cheap"};
	q.ranges[1] = (search_range){2500, -1, NULL};
	q.nranges = 2;
	q.no_cache = true;
	q.no_correct = true;
	str j = search_query_to_json(C, &q);
	search_query o;
	CU_ASSERT_EQUAL_FATAL(search_query_from_json(C, j, &o), SOUK_OK);
	CU_ASSERT_TRUE(str_is(o.q, "Red \"sofa\" \xc3\xa9t\xc3\xa9"));
	CU_ASSERT_DOUBLE_EQUAL(o.w.title, 5.5, 1e-12);
	CU_ASSERT_DOUBLE_EQUAL(o.w.brand, 0, 1e-12);
	CU_ASSERT_DOUBLE_EQUAL(o.w.description, 1.25, 1e-12);
	CU_ASSERT_EQUAL(o.category_id, 42);
	ASSERT_CSTR(o.category_slug, "living-room");
	CU_ASSERT_EQUAL_FATAL(o.nbrands, 2);
	CU_ASSERT_TRUE(str_is(o.brands[0], "ACME"));
	CU_ASSERT_TRUE(str_is(o.brands[1], "Dhp"));
	CU_ASSERT_EQUAL_FATAL(o.ncolors, 1);
	CU_ASSERT_TRUE(str_is(o.colors[0], "red"));
	CU_ASSERT_EQUAL_FATAL(o.nsizes, 3);
	CU_ASSERT_TRUE(str_is(o.sizes[2], "40"));
	CU_ASSERT_EQUAL(o.price_min, 1000);
	CU_ASSERT_EQUAL(o.price_max, 99999);
	CU_ASSERT_TRUE(o.in_stock);
	CU_ASSERT_EQUAL(o.rating_min, 4);
	CU_ASSERT_EQUAL(o.sort, SEARCH_SORT_NEWEST);
	CU_ASSERT_EQUAL(o.offset, 40);
	CU_ASSERT_EQUAL(o.limit, 0);
	CU_ASSERT_FALSE(o.facets);
	CU_ASSERT_EQUAL_FATAL(o.nranges, 2);
	CU_ASSERT_EQUAL(o.ranges[0].from, -1);
	CU_ASSERT_EQUAL(o.ranges[0].to, 2500);
	ASSERT_CSTR(o.ranges[0].key, "cheap");
	CU_ASSERT_EQUAL(o.ranges[1].from, 2500);
	CU_ASSERT_EQUAL(o.ranges[1].to, -1);
	CU_ASSERT_PTR_NULL(o.ranges[1].key);
	CU_ASSERT_TRUE(o.no_cache);
	CU_ASSERT_TRUE(o.no_correct);
	CU_ASSERT_PTR_NULL(o.engine); /* the daemon picks its own */
	/* the same text again: nothing lost on the way */
	str j2 = search_query_to_json(C, &o);
	CU_ASSERT_TRUE(j.len == j2.len && memcmp(j.p, j2.p, j.len) == 0);

	/* the defaults survive too (no slug, no ranges) */
	search_query_init(&q);
	j = search_query_to_json(C, &q);
	CU_ASSERT_EQUAL_FATAL(search_query_from_json(C, j, &o), SOUK_OK);
	CU_ASSERT_PTR_NULL(o.category_slug);
	CU_ASSERT_EQUAL(o.nranges, 0);
	CU_ASSERT_EQUAL(o.limit, 20);
	CU_ASSERT_EQUAL(o.price_min, -1);
	CU_ASSERT_TRUE(o.facets);
	CU_ASSERT_EQUAL(o.q.len, 0);
}

/* text with `from` replaced by `to` in the default query's JSON */
static int parse_edited(const char *from, const char *to)
{
	app_ctx_begin(C);
	search_query q;
	search_query_init(&q);
	str j = search_query_to_json(C, &q);
	const char *at = strstr(j.p, from);
	CU_ASSERT_PTR_NOT_NULL_FATAL(at);
	buf b;
	buf_init(&b, C->a, 0);
	buf_append(&b, j.p, (size_t)(at - j.p));
	buf_puts(&b, to);
	buf_puts(&b, at + strlen(from));
	search_query o;
	return search_query_from_json(C, (str){b.p, b.len}, &o);
}

static void test_query_strict(void)
{
	CU_ASSERT_EQUAL(parse_edited("\"q\":\"\"", "\"q\":\"\",\"extra\":1"), SOUK_ERR);
	CU_ASSERT_EQUAL(C->err_status, 400);
	ASSERT_CSTR(C->err_msg, "search request: unknown field extra");
	CU_ASSERT_EQUAL(parse_edited("\"limit\":20", "\"limit\":\"20\""), SOUK_ERR);
	ASSERT_CSTR(C->err_msg, "search request: limit is missing or not a int");
	CU_ASSERT_EQUAL(parse_edited("\"in_stock\":false", "\"in_stock\":0"), SOUK_ERR);
	CU_ASSERT_EQUAL(C->err_status, 400);
	CU_ASSERT_EQUAL(parse_edited("\"in_stock\":false,", ""), SOUK_ERR);
	ASSERT_CSTR(C->err_msg, "search request: in_stock is missing or not a boolean");
	CU_ASSERT_EQUAL(parse_edited("\"brands\":[]", "\"brands\":[1]"), SOUK_ERR);
	ASSERT_CSTR(C->err_msg, "search request: brands holds a non-string");
	CU_ASSERT_EQUAL(parse_edited("\"ranges\":[]", "\"ranges\":[[1,2]]"), SOUK_ERR);
	ASSERT_CSTR(C->err_msg, "search request: a range must be [from, to, key]");
	CU_ASSERT_EQUAL(parse_edited("\"sort\":0", "\"sort\":9"), SOUK_ERR);
	ASSERT_CSTR(C->err_msg, "unknown sort");
	CU_ASSERT_EQUAL(parse_edited("\"category_slug\":null", "\"category_slug\":7"), SOUK_ERR);
	CU_ASSERT_EQUAL(C->err_status, 400);
	/* weights may be written as integers */
	CU_ASSERT_EQUAL(parse_edited("\"w\":[3.0,2.0,1.0]", "\"w\":[3,2,1]"), SOUK_OK);
	app_ctx_begin(C);
	search_query o;
	CU_ASSERT_EQUAL(search_query_from_json(C, STR("[1]"), &o), SOUK_ERR);
	CU_ASSERT_EQUAL(C->err_status, 400);
	app_ctx_begin(C);
	CU_ASSERT_EQUAL(search_query_from_json(C, STR("{\"q\":"), &o), SOUK_ERR);
	CU_ASSERT_EQUAL(C->err_status, 400);
}

static void test_frames(void)
{
	app_ctx_begin(C);
	int sv[2];
	CU_ASSERT_EQUAL_FATAL(socketpair(AF_UNIX, SOCK_STREAM, 0, sv), 0);
	CU_ASSERT_EQUAL(search_frame_write(sv[0], STR("{\"a\":1}"), unixsock_now_ms() + 1000), 0);
	unsigned char h[4];
	CU_ASSERT_EQUAL(recv(sv[1], h, 4, MSG_PEEK), 4);
	CU_ASSERT(h[0] == 0 && h[1] == 0 && h[2] == 0 && h[3] == 7); /* big-endian length */
	str got;
	CU_ASSERT_EQUAL_FATAL(search_frame_read(sv[1], C->a, &got, unixsock_now_ms() + 1000), 0);
	CU_ASSERT_TRUE(str_is(got, "{\"a\":1}"));
	/* nothing more: the read times out rather than blocking */
	int64_t t0 = unixsock_now_ms();
	CU_ASSERT_EQUAL(search_frame_read(sv[1], C->a, &got, t0 + 100), -1);
	CU_ASSERT(unixsock_now_ms() - t0 >= 90);
	/* a frame longer than the limit is refused */
	unsigned char big[4] = {0x7f, 0, 0, 0};
	CU_ASSERT_EQUAL(write(sv[0], big, 4), 4);
	CU_ASSERT_EQUAL(search_frame_read(sv[1], C->a, &got, unixsock_now_ms() + 1000), -1);
	close(sv[0]);
	close(sv[1]);
}

/* ------------------------------------------------- client vs fake daemon */

static char sock_path[108];

/* Child: accepts connections and answers each request frame with the
 * next of `replies` (p NULL: close the connection without answering). */
static void fake_daemon(int lfd, const str *replies, int n)
{
	arena *a = arena_new(0);
	int i = 0;
	while (i < n) {
		int fd = accept(lfd, NULL, NULL);
		if (fd < 0)
			_exit(1);
		str req;
		while (i < n && search_frame_read(fd, a, &req, 0) == 0) {
			str r = replies[i++];
			if (!r.p)
				break;
			if (search_frame_write(fd, r, 0) < 0)
				break;
		}
		close(fd);
	}
	_exit(0);
}

static pid_t start_fake(const str *replies, int n)
{
	snprintf(sock_path, sizeof(sock_path), "/tmp/souk-wire-test-%d.sock", (int)getpid());
	unlink(sock_path);
	int lfd = socket(AF_UNIX, SOCK_STREAM, 0);
	struct sockaddr_un sa = {.sun_family = AF_UNIX};
	memcpy(sa.sun_path, sock_path, strlen(sock_path) + 1);
	CU_ASSERT_EQUAL_FATAL(bind(lfd, (struct sockaddr *)&sa, sizeof(sa)), 0);
	CU_ASSERT_EQUAL_FATAL(listen(lfd, 8), 0);
	pid_t pid = fork();
	if (pid == 0)
		fake_daemon(lfd, replies, n);
	close(lfd);
	return pid;
}

static void stop_fake(pid_t pid)
{
	kill(pid, SIGKILL);
	waitpid(pid, NULL, 0);
	unlink(sock_path);
}

static void test_client(void)
{
	search_query q;
	search_query_init(&q);
	q.q = STR("sofa");
	search_result r;

	/* no daemon configured: unavailable, nothing recorded */
	setenv("SOUK_SEARCHD_SOCKET", "off", 1);
	app_ctx_begin(C);
	CU_ASSERT_EQUAL(search_remote_run(C, &q, &r), SEARCH_REMOTE_UNAVAILABLE);
	CU_ASSERT_EQUAL(C->err_status, 0);

	/* the daemon's answer; its error as this request's failure; a
	 * connection the daemon dropped is reopened once */
	search_result r5 = {.total = 5, .engine = "memory"};
	const char *soft[] = {"soft"};
	search_result r6 = {.total = 6, .corrected_query = "sofa", .suggestions = soft,
	                    .nsuggestions = 1};
	app_ctx_begin(C);
	str replies[] = {
		search_result_to_frame(C, &r5),
		STR("{\"ok\":false,\"status\":404,\"code\":\"not_found\",\"message\":\"no such category\"}"),
		{NULL, 0},
		search_result_to_frame(C, &r6),
	};
	pid_t pid = start_fake(replies, 4);
	setenv("SOUK_SEARCHD_SOCKET", sock_path, 1);
	app_ctx_begin(C);
	CU_ASSERT_EQUAL(search_remote_run(C, &q, &r), SEARCH_REMOTE_OK);
	CU_ASSERT_EQUAL(r.total, 5);
	ASSERT_CSTR(r.engine, "memory");
	app_ctx_begin(C);
	CU_ASSERT_EQUAL(search_remote_run(C, &q, &r), SEARCH_REMOTE_ERR);
	CU_ASSERT_EQUAL(C->err_status, 404);
	ASSERT_CSTR(C->err_code, "not_found");
	ASSERT_CSTR(C->err_msg, "no such category");
	app_ctx_begin(C);
	unsigned long before = search_remote_fallbacks();
	CU_ASSERT_EQUAL(search_remote_run(C, &q, &r), SEARCH_REMOTE_OK);
	CU_ASSERT_EQUAL(r.total, 6);
	ASSERT_CSTR(r.corrected_query, "sofa");
	CU_ASSERT_EQUAL(r.nsuggestions, 1);
	ASSERT_CSTR(r.engine, "memory"); /* the daemon did not say: memory */
	CU_ASSERT_EQUAL(search_remote_fallbacks(), before);
	stop_fake(pid);

	/* the daemon gone: unavailable (counted), not an error */
	app_ctx_begin(C);
	CU_ASSERT_EQUAL(search_remote_run(C, &q, &r), SEARCH_REMOTE_UNAVAILABLE);
	CU_ASSERT_EQUAL(C->err_status, 0);
	CU_ASSERT_EQUAL(search_remote_fallbacks(), before + 1);

	/* a daemon that never answers: unavailable after the 1 s timeout */
	const char *silent[] = {NULL};
	(void)silent;
	snprintf(sock_path, sizeof(sock_path), "/tmp/souk-wire-test-%d.sock", (int)getpid());
	int lfd = socket(AF_UNIX, SOCK_STREAM, 0);
	struct sockaddr_un sa = {.sun_family = AF_UNIX};
	memcpy(sa.sun_path, sock_path, strlen(sock_path) + 1);
	CU_ASSERT_EQUAL_FATAL(bind(lfd, (struct sockaddr *)&sa, sizeof(sa)), 0);
	CU_ASSERT_EQUAL_FATAL(listen(lfd, 8), 0); /* accepted by the kernel, never read */
	app_ctx_begin(C);
	int64_t t0 = unixsock_now_ms();
	CU_ASSERT_EQUAL(search_remote_run(C, &q, &r), SEARCH_REMOTE_UNAVAILABLE);
	int64_t took = unixsock_now_ms() - t0;
	CU_ASSERT(took >= 900 && took < 1500);
	close(lfd);
	unlink(sock_path);
	unsetenv("SOUK_SEARCHD_SOCKET");
}

/* A frame of another version, or a damaged one, is no answer: the
 * client counts a fallback (the pool runs SQL) and reconnects. */
static void test_client_frame_version(void)
{
	search_query q;
	search_query_init(&q);
	q.q = STR("sofa");
	search_result r, r7 = {.total = 7};
	app_ctx_begin(C);
	str good = search_result_to_frame(C, &r7);
	char *v2 = arena_strndup(C->a, good.p, good.len);
	v2[3] = 2;
	str replies[] = {{v2, good.len}, {good.p, good.len - 1}, good};
	pid_t pid = start_fake(replies, 3);
	setenv("SOUK_SEARCHD_SOCKET", sock_path, 1);
	unsigned long before = search_remote_fallbacks();
	app_ctx_begin(C);
	CU_ASSERT_EQUAL(search_remote_run(C, &q, &r), SEARCH_REMOTE_UNAVAILABLE);
	CU_ASSERT_EQUAL(C->err_status, 0);
	app_ctx_begin(C);
	CU_ASSERT_EQUAL(search_remote_run(C, &q, &r), SEARCH_REMOTE_UNAVAILABLE);
	CU_ASSERT_EQUAL(search_remote_fallbacks(), before + 2);
	app_ctx_begin(C);
	CU_ASSERT_EQUAL(search_remote_run(C, &q, &r), SEARCH_REMOTE_OK);
	CU_ASSERT_EQUAL(r.total, 7);
	stop_fake(pid);
	unsetenv("SOUK_SEARCHD_SOCKET");
}

void add_search_wire_tests(void)
{
	CU_pSuite s = CU_add_suite("search_wire", t_ctx_setup, t_ctx_teardown);
	CU_add_test(s, "query JSON round trip, every field", test_query_round_trip);
	CU_add_test(s, "query JSON strict: unknown, ill-typed, missing", test_query_strict);
	CU_add_test(s, "frames: big-endian length, timeout, size limit", test_frames);
	CU_add_test(s, "client: answer, error, reconnect, down, timeout", test_client);
	CU_add_test(s, "client: a frame of another version or cut short is no answer",
	            test_client_frame_version);
}
