/* test_pay_remote: souk-payd's client: response parsing, and the provider
 * calls against a fake daemon (forked) that records what it was sent. */
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "shop/pay_remote.h"
#include "tests.h"

#define C t_c

static void test_parse(void)
{
	int st;
	str body;
	const char *ok = "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n"
	                 "Content-Length: 2\r\n\r\n{}";
	CU_ASSERT_EQUAL(pay_remote_parse(str_c(ok), &st, &body), 0);
	CU_ASSERT_EQUAL(st, 200);
	CU_ASSERT_EQUAL(body.len, 2);
	CU_ASSERT_EQUAL(memcmp(body.p, "{}", 2), 0);
	/* header names in any case; trailing bytes past Content-Length ignored */
	CU_ASSERT_EQUAL(pay_remote_parse(str_c("HTTP/1.0 503 Error\r\ncontent-length: 4\r\n\r\n"
	                                       "{\"a\"}junk"), &st, &body), 0);
	CU_ASSERT_EQUAL(st, 503);
	CU_ASSERT_EQUAL(body.len, 4);
	/* no Content-Length: the rest (the daemon closes after answering) */
	CU_ASSERT_EQUAL(pay_remote_parse(str_c("HTTP/1.1 404 X\r\n\r\nabc"), &st, &body), 0);
	CU_ASSERT_EQUAL(body.len, 3);
	/* refused: body cut short, no end of head, bad status line, bad length */
	CU_ASSERT_EQUAL(pay_remote_parse(str_c("HTTP/1.1 200 OK\r\nContent-Length: 9\r\n\r\n{}"), &st,
	                                 &body), -1);
	CU_ASSERT_EQUAL(pay_remote_parse(str_c("HTTP/1.1 200 OK\r\nContent-Length: 2\r\n{}"), &st,
	                                 &body), -1);
	CU_ASSERT_EQUAL(pay_remote_parse(str_c("HTTP/1.1 2x0 OK\r\n\r\n"), &st, &body), -1);
	CU_ASSERT_EQUAL(pay_remote_parse(str_c("SMTP/1.1 200 OK\r\n\r\n"), &st, &body), -1);
	CU_ASSERT_EQUAL(pay_remote_parse(str_c("HTTP/1.1 200 OK\r\nContent-Length: -1\r\n\r\n"), &st,
	                                 &body), -1);
	CU_ASSERT_EQUAL(pay_remote_parse(str_c(""), &st, &body), -1);
}

/* ------------------------------------------------- client vs fake daemon */

static char sock_path[108], req_log[128];

/* Child: for each connection reads one request (head + Content-Length
 * bytes), appends it to req_log, answers with the next of `replies`
 * (NULL: close without answering) and closes. */
static void fake_payd(int lfd, const char *const *replies, int n)
{
	for (int i = 0; i < n; i++) {
		int fd = accept(lfd, NULL, NULL);
		if (fd < 0)
			_exit(1);
		char rq[8192];
		size_t len = 0;
		for (;;) {
			ssize_t r = recv(fd, rq + len, sizeof(rq) - 1 - len, 0);
			if (r <= 0)
				break;
			len += (size_t)r;
			rq[len] = '\0';
			char *end = strstr(rq, "\r\n\r\n");
			if (!end)
				continue;
			char *cl = strstr(rq, "Content-Length: ");
			size_t want = cl && cl < end ? strtoul(cl + 16, NULL, 10) : 0;
			if (len >= (size_t)(end + 4 - rq) + want)
				break;
		}
		FILE *f = fopen(req_log, "a");
		if (f) {
			fwrite(rq, 1, len, f);
			fputs("\n=====\n", f);
			fclose(f);
		}
		if (replies[i] && send(fd, replies[i], strlen(replies[i]), MSG_NOSIGNAL) < 0)
			_exit(1);
		close(fd);
	}
	_exit(0);
}

static int listen_on(void)
{
	unlink(sock_path);
	int lfd = socket(AF_UNIX, SOCK_STREAM, 0);
	struct sockaddr_un sa = {.sun_family = AF_UNIX};
	memcpy(sa.sun_path, sock_path, strlen(sock_path) + 1);
	CU_ASSERT_EQUAL(bind(lfd, (struct sockaddr *)&sa, sizeof(sa)), 0);
	CU_ASSERT_EQUAL(listen(lfd, 8), 0);
	return lfd;
}

static pid_t start_fake(const char *const *replies, int n)
{
	int lfd = listen_on();
	pid_t pid = fork();
	if (pid == 0)
		fake_payd(lfd, replies, n);
	close(lfd);
	return pid;
}

static char *read_log(void)
{
	static char text[32768];
	FILE *f = fopen(req_log, "r");
	size_t n = f ? fread(text, 1, sizeof(text) - 1, f) : 0;
	if (f)
		fclose(f);
	text[n] = '\0';
	return text;
}

static int64_t ms_now(void)
{
	struct timespec t;
	clock_gettime(CLOCK_MONOTONIC, &t);
	return (int64_t)t.tv_sec * 1000 + t.tv_nsec / 1000000;
}

static void test_client(void)
{
	snprintf(sock_path, sizeof(sock_path), "/tmp/souk-payr-test-%d.sock", (int)getpid());
	snprintf(req_log, sizeof(req_log), "/tmp/souk-payr-test-%d.req", (int)getpid());
	unlink(req_log);
	const char *ok_capture = "{\"approved\":true,\"ref\":\"ch_abc\"}";
	const char *declined = "{\"approved\":false,\"ref\":null,\"decline_code\":\"card_declined\","
	                       "\"message\":\"Your card was declined.\",\"brand\":\"visa\","
	                       "\"last4\":\"0002\"}";
	const char *token = "{\"id\":\"pm_t1\",\"brand\":\"visa\",\"last4\":\"4242\"}";
	const char *bad = "{\"error\":{\"code\":\"bad_card\",\"message\":\"payment.cvc must be 3 or 4 "
	                  "digits\"}}";
	char r1[256], r2[512], r3[256], r4[256];
	snprintf(r1, sizeof(r1), "HTTP/1.1 200 OK\r\nContent-Length: %zu\r\n\r\n%s", strlen(ok_capture),
	         ok_capture);
	snprintf(r2, sizeof(r2), "HTTP/1.1 200 OK\r\nContent-Length: %zu\r\n\r\n%s", strlen(declined),
	         declined);
	snprintf(r3, sizeof(r3), "HTTP/1.1 200 OK\r\nContent-Length: %zu\r\n\r\n%s", strlen(token),
	         token);
	snprintf(r4, sizeof(r4), "HTTP/1.1 400 Error\r\nContent-Length: %zu\r\n\r\n%s", strlen(bad),
	         bad);
	const char *replies[] = {
		r1, r2, r3, r4,
		"HTTP/1.1 503 Error\r\nContent-Length: 2\r\n\r\n{}",
		NULL,                                        /* closed without an answer */
		"HTTP/1.1 200 OK\r\nContent-Length: 3\r\n\r\nnot",   /* not JSON */
	};
	pid_t pid = start_fake(replies, 7);
	setenv("SOUK_PAYD_SOCKET", sock_path, 1);
	const pay_provider *pv = &pay_remote;
	pay_result r;

	app_ctx_begin(C);
	CU_ASSERT_EQUAL(pv->capture(C, "capture:7", "ch_abc", 1234, &r), SOUK_OK);
	CU_ASSERT_TRUE(r.approved);
	ASSERT_CSTR(r.provider_ref, "ch_abc");

	app_ctx_begin(C);
	pay_card card = {NULL, 0, 0, NULL, "pm_x", NULL};
	CU_ASSERT_EQUAL(pv->authorize(C, "auth:9", 500, "USD", &card, &r), SOUK_OK);
	CU_ASSERT_FALSE(r.approved);
	ASSERT_CSTR(r.decline_code, "card_declined");
	ASSERT_CSTR(r.message, "Your card was declined.");
	ASSERT_CSTR(r.last4, "0002");
	CU_ASSERT_PTR_NULL(r.provider_ref);

	app_ctx_begin(C);
	pay_card raw = {"4242424242424242", 12, 2099, "123", NULL, NULL};
	CU_ASSERT_EQUAL(pv->tokenize(C, &raw, &r), SOUK_OK);
	ASSERT_CSTR(r.provider_ref, "pm_t1");
	ASSERT_CSTR(r.brand, "visa");
	ASSERT_CSTR(r.last4, "4242");

	app_ctx_begin(C); /* the provider's 400 bad_card is the shopper's 400 */
	CU_ASSERT_EQUAL(pv->tokenize(C, &raw, &r), SOUK_ERR);
	CU_ASSERT_EQUAL(C->err_status, 400);
	ASSERT_CSTR(C->err_code, "bad_card");
	ASSERT_CSTR(C->err_msg, "payment.cvc must be 3 or 4 digits");

	app_ctx_begin(C); /* 503, a dropped connection, garbage: all "unavailable" */
	CU_ASSERT_EQUAL(pv->void_auth(C, "void:1", "ch_abc", &r), SOUK_ERR);
	CU_ASSERT_EQUAL(C->err_status, 503);
	ASSERT_CSTR(C->err_code, "payment_unavailable");
	app_ctx_begin(C);
	CU_ASSERT_EQUAL(pv->refund(C, "refund:1:cancel", "ch_abc", 100, &r), SOUK_ERR);
	CU_ASSERT_EQUAL(C->err_status, 503);
	app_ctx_begin(C);
	CU_ASSERT_EQUAL(pv->capture(C, "capture:8", "ch_abc", 1, &r), SOUK_ERR);
	CU_ASSERT_EQUAL(C->err_status, 503);
	waitpid(pid, NULL, 0);

	/* what went over the wire: method, path, key header, exact length */
	const char *log = read_log();
	CU_ASSERT_PTR_NOT_NULL(strstr(log, "POST /v1/capture HTTP/1.1\r\n"));
	CU_ASSERT_PTR_NOT_NULL(strstr(log, "Idempotency-Key: capture:7\r\n"));
	const char *cap = "{\"authorization\":\"ch_abc\",\"amount\":1234}";
	char want[128];
	snprintf(want, sizeof(want), "Content-Length: %zu\r\n\r\n%s", strlen(cap), cap);
	CU_ASSERT_PTR_NOT_NULL(strstr(log, want));
	CU_ASSERT_PTR_NOT_NULL(strstr(log, "POST /v1/authorize HTTP/1.1\r\n"));
	CU_ASSERT_PTR_NOT_NULL(strstr(log, "\"payment_method\":\"pm_x\",\"amount\":500"));
	CU_ASSERT_PTR_NOT_NULL(strstr(log, "POST /v1/payment_methods HTTP/1.1\r\n"));
	CU_ASSERT_PTR_NOT_NULL(strstr(log, "POST /v1/void HTTP/1.1\r\n"));
	CU_ASSERT_PTR_NOT_NULL(strstr(log, "Idempotency-Key: refund:1:cancel\r\n"));
	/* tokenise has no key; the card only ever goes there */
	const char *tok = strstr(log, "POST /v1/payment_methods");
	const char *tok_end = tok ? strstr(tok, "=====") : NULL;
	CU_ASSERT_PTR_NOT_NULL_FATAL(tok_end);
	CU_ASSERT_PTR_NULL(memmem(tok, (size_t)(tok_end - tok), "Idempotency-Key", 15));
	const char *auth = strstr(log, "POST /v1/authorize");
	const char *auth_end = auth ? strstr(auth, "=====") : NULL;
	CU_ASSERT_PTR_NOT_NULL_FATAL(auth_end);
	CU_ASSERT_PTR_NULL(memmem(auth, (size_t)(auth_end - auth), "4242424242424242", 16));

	/* nobody listening: unavailable at once */
	unlink(sock_path);
	app_ctx_begin(C);
	CU_ASSERT_EQUAL(pv->capture(C, "capture:9", "ch_abc", 1, &r), SOUK_ERR);
	CU_ASSERT_EQUAL(C->err_status, 503);

	/* a daemon that never answers: unavailable after SOUK_PAYD_TIMEOUT_MS */
	int lfd = listen_on(); /* accepted by the kernel, never read */
	setenv("SOUK_PAYD_TIMEOUT_MS", "300", 1);
	app_ctx_begin(C);
	int64_t t0 = ms_now();
	CU_ASSERT_EQUAL(pv->capture(C, "capture:10", "ch_abc", 1, &r), SOUK_ERR);
	int64_t took = ms_now() - t0;
	CU_ASSERT_EQUAL(C->err_status, 503);
	CU_ASSERT(took >= 250 && took < 1000);
	close(lfd);
	unlink(sock_path);
	unlink(req_log);
	unsetenv("SOUK_PAYD_TIMEOUT_MS");
	unsetenv("SOUK_PAYD_SOCKET");
}

void add_pay_remote_tests(void)
{
	CU_pSuite s = CU_add_suite("pay_remote", t_ctx_setup, t_ctx_teardown);
	CU_add_test(s, "response parsing: status, Content-Length, refusals", test_parse);
	CU_add_test(s, "client: framing, answers, 4xx, 5xx, dropped, down, timeout", test_client);
}
