/* test_auth: lib/auth — argon2id hash/verify, email rules, create and
 * login on the live database (uniform failure, duplicate address). */
#include <hiredis/hiredis.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "shop/auth.h"
#include "store/db.h"
#include "store/rds.h"
#include "shop/throttle.h"
#include "core/rnd.h"
#include "tests.h"

static ctx *L;

static int setup(void)
{
	auth_register_sql(); /* before the connection prepares its statements */
	L = t_ctx_new(0);
	db_free(L->db);
	L->db = db_new(getenv("SOUK_TEST_DATABASE_URL"));
	rds_free(L->rds); /* the sign-in back-off lives in Redis */
	L->rds = rds_new(getenv("SOUK_TEST_REDIS_URL"));
	return auth_common_load(SOUK_SRCDIR "/data/passwords/common-10k.txt") == 0 ? 0 : -1;
}

static int teardown(void)
{
	app_ctx_free(L);
	return 0;
}

static void test_hash_verify(void)
{
	struct timespec t0, t1;
	clock_gettime(CLOCK_MONOTONIC, &t0);
	const char *h = auth_hash(L->a, STR("correct horse"));
	clock_gettime(CLOCK_MONOTONIC, &t1);
	CU_ASSERT_PTR_NOT_NULL_FATAL(h);
	CU_ASSERT_EQUAL(strncmp(h, "$argon2id$v=19$m=19456,t=2,p=1$", 31), 0);
	CU_ASSERT_TRUE(auth_verify(h, STR("correct horse")));
	CU_ASSERT_FALSE(auth_verify(h, STR("correct horsE")));
	CU_ASSERT_FALSE(auth_verify(h, STR("correct hors")));
	CU_ASSERT_FALSE(auth_verify(h, STR("")));
	/* a fresh salt each time: same password, different hash */
	const char *h2 = auth_hash(L->a, STR("correct horse"));
	CU_ASSERT_NOT_EQUAL(strcmp(h, h2), 0);
	CU_ASSERT_TRUE(auth_verify(h2, STR("correct horse")));
	/* only argon2id strings are accepted */
	CU_ASSERT_FALSE(auth_verify("$argon2i$v=19$m=19456,t=2,p=1$AAAA$BBBB", STR("x")));
	CU_ASSERT_FALSE(auth_verify(NULL, STR("x")));
	double ms = (double)(t1.tv_sec - t0.tv_sec) * 1e3 + (double)(t1.tv_nsec - t0.tv_nsec) / 1e6;
	fprintf(stderr, "[auth: one argon2id hash took %.1f ms] ", ms);
}

static void test_email_valid(void)
{
	CU_ASSERT_TRUE(auth_email_valid(STR("a@b.co")));
	CU_ASSERT_TRUE(auth_email_valid(STR("first.last+tag@mail.example.com")));
	CU_ASSERT_FALSE(auth_email_valid(STR("no-at.example.com")));
	CU_ASSERT_FALSE(auth_email_valid(STR("a@@b.co")));
	CU_ASSERT_FALSE(auth_email_valid(STR("@b.co")));
	CU_ASSERT_FALSE(auth_email_valid(STR("a@b")));
	CU_ASSERT_FALSE(auth_email_valid(STR("a@b.")));
	CU_ASSERT_FALSE(auth_email_valid(STR("a b@c.de")));
	CU_ASSERT_FALSE(auth_email_valid(STR("a<b@c.de")));
	CU_ASSERT_FALSE(auth_email_valid(STR("")));
}

/* A unique address for this run. */
static const char *fresh_email(ctx *c)
{
	buf b;
	buf_init(&b, c->a, 0);
	buf_printf(&b, "unit-%s@Example.test", rnd_hex(c->a, 6));
	return b.p;
}

static void test_create_login(void)
{
	app_ctx_begin(L);
	char email[128];
	snprintf(email, sizeof(email), "%s", fresh_email(L));
	auth_user u = {0}, v = {0};
	CU_ASSERT_EQUAL_FATAL(auth_create(L, str_c(email), STR("s3cret-pass"), ROLE_SHOPPER, 0, &u), SOUK_OK);
	CU_ASSERT(u.id > 0);
	/* the address is case-insensitive at login */
	app_ctx_begin(L);
	char upper[128];
	snprintf(upper, sizeof(upper), "%s", email);
	for (char *p = upper; *p; p++)
		if (*p >= 'a' && *p <= 'z')
			*p = (char)(*p - 32);
	CU_ASSERT_EQUAL(auth_login(L, str_c(upper), STR("s3cret-pass"), &v), SOUK_OK);
	CU_ASSERT_EQUAL(v.id, u.id);
	CU_ASSERT_EQUAL(v.role, ROLE_SHOPPER);
	/* duplicate address, any case: 409 with a clear message */
	app_ctx_begin(L);
	CU_ASSERT_EQUAL(auth_create(L, str_c(upper), STR("another-pass"), ROLE_SHOPPER, 0, NULL), SOUK_ERR);
	CU_ASSERT_EQUAL(L->err_status, 409);
	ASSERT_STR(str_c(L->err_code), "email_taken");
	/* wrong password and unknown address: the same answer */
	app_ctx_begin(L);
	CU_ASSERT_EQUAL(auth_login(L, str_c(email), STR("s3cret-pasS"), &v), SOUK_ERR);
	CU_ASSERT_EQUAL(L->err_status, 401);
	char m1[200];
	snprintf(m1, sizeof(m1), "%s", L->err_msg);
	app_ctx_begin(L);
	CU_ASSERT_EQUAL(auth_login(L, STR("nobody-here@example.test"), STR("s3cret-pass"), &v), SOUK_ERR);
	CU_ASSERT_EQUAL(L->err_status, 401);
	ASSERT_STR(str_c(L->err_msg), m1);
}

static void test_create_rules(void)
{
	app_ctx_begin(L);
	CU_ASSERT_EQUAL(auth_create(L, STR("bad-address"), STR("longenough"), ROLE_SHOPPER, 0, NULL), SOUK_ERR);
	CU_ASSERT_EQUAL(L->err_status, 400);
	CU_ASSERT_PTR_NOT_NULL(strstr(L->err_msg, "e-mail"));
	app_ctx_begin(L);
	CU_ASSERT_EQUAL(auth_create(L, str_c(fresh_email(L)), STR("short7!"), ROLE_SHOPPER, 0, NULL), SOUK_ERR);
	CU_ASSERT_EQUAL(L->err_status, 400);
	CU_ASSERT_PTR_NOT_NULL(strstr(L->err_msg, "at least 10"));
	app_ctx_begin(L);
	CU_ASSERT_EQUAL(auth_create(L, str_c(fresh_email(L)), STR("longenough"), ROLE_SELLER, 0, NULL), SOUK_ERR);
	CU_ASSERT_EQUAL(L->err_status, 400);
	app_ctx_begin(L);
	auth_user u;
	CU_ASSERT_EQUAL(auth_create(L, str_c(fresh_email(L)), STR("longenough"), ROLE_SELLER, 2, &u), SOUK_OK);
	CU_ASSERT_EQUAL(u.seller_id, 2);
}

static void test_password_policy(void)
{
	struct {
		const char *email, *pw, *why; /* why NULL: accepted */
	} cases[] = {
		{"ada@example.test", "nine char", "at least 10"},
		/* characters, not bytes: 9 two-byte letters are too short */
		{"ada@example.test", "\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9", "at least 10"},
		{"ada@example.test", "\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9", NULL},
		{"ada.lovelace@example.test", "ada.lovelace@example.test", "e-mail"},
		{"ada.lovelace@example.test", "ADA.Lovelace@Example.TEST", "e-mail"},
		{"ada.lovelace@example.test", "Ada.Lovelace", "e-mail"},
		{"ada@example.test", "qwertyuiop", "most common"},
		{"ada@example.test", "QwertyUIOP", "most common"},
		{"ada@example.test", "1q2w3e4r5t", "most common"},
		{"ada@example.test", "correct horse battery", NULL},
		{"ada@example.test", "qwertyuiop!", NULL},
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		app_ctx_begin(L);
		int rc = auth_password_check(L, str_c(cases[i].email), str_c(cases[i].pw));
		if (!cases[i].why) {
			CU_ASSERT_EQUAL(rc, SOUK_OK);
			continue;
		}
		CU_ASSERT_EQUAL(rc, SOUK_ERR);
		CU_ASSERT_EQUAL(L->err_status, 400);
		if (!L->err_msg || !strstr(L->err_msg, cases[i].why))
			fprintf(stderr, "case %zu: %s\n", i, L->err_msg ? L->err_msg : "(none)");
		CU_ASSERT_PTR_NOT_NULL(L->err_msg ? strstr(L->err_msg, cases[i].why) : NULL);
	}
	/* the list has the 10,000 entries and is sorted for lookup */
	CU_ASSERT_EQUAL(auth_common_load(SOUK_SRCDIR "/data/passwords/common-10k.txt"), 0);
	CU_ASSERT_EQUAL(auth_common_load("/nonexistent/list.txt"), -1);
}

/* A request on L from address addr (the back-off counts per address). */
static void begin_from(const char *addr)
{
	app_ctx_begin(L);
	char ra[64];
	snprintf(ra, sizeof(ra), "REMOTE_ADDR=%s", addr);
	char *env[] = {"REQUEST_METHOD=POST", "REQUEST_URI=/login", ra, NULL};
	const char *why;
	CU_ASSERT_EQUAL_FATAL(t_req(L, env, &why), 0);
}

static void test_login_backoff(void)
{
	char email[128], ip[32], ip2[32];
	app_ctx_begin(L);
	snprintf(email, sizeof(email), "%s", fresh_email(L));
	snprintf(ip, sizeof(ip), "10.77.%u.%u", (unsigned)(rand() % 250), (unsigned)(rand() % 250));
	snprintf(ip2, sizeof(ip2), "10.78.%u.%u", (unsigned)(rand() % 250), (unsigned)(rand() % 250));
	auth_user u;
	CU_ASSERT_EQUAL_FATAL(auth_create(L, str_c(email), STR("right-password"), ROLE_SHOPPER, 0, &u), SOUK_OK);
	/* four failures: plain 401s */
	for (int i = 1; i < THROTTLE_LOGIN_ACCT_AFTER; i++) {
		begin_from(ip);
		CU_ASSERT_EQUAL(auth_login(L, str_c(email), STR("wrong-password"), &u), SOUK_ERR);
		CU_ASSERT_EQUAL(L->err_status, 401);
	}
	/* the 5th locks the account for 15 s and says so */
	begin_from(ip);
	CU_ASSERT_EQUAL(auth_login(L, str_c(email), STR("wrong-password"), &u), SOUK_ERR);
	CU_ASSERT_EQUAL(L->err_status, 429);
	CU_ASSERT_EQUAL(L->err_retry_after, THROTTLE_LOGIN_BASE);
	CU_ASSERT_PTR_NOT_NULL(strstr(L->err_msg, "try again in 15 seconds"));
	/* while locked even the right password, from another address, waits */
	begin_from(ip2);
	CU_ASSERT_EQUAL(auth_login(L, str_c(email), STR("right-password"), &u), SOUK_ERR);
	CU_ASSERT_EQUAL(L->err_status, 429);
	CU_ASSERT(L->err_retry_after > 0 && L->err_retry_after <= THROTTLE_LOGIN_BASE);
	/* the lock ends (as if 15 s passed): the owner gets in, failures forgotten */
	char low[128];
	snprintf(low, sizeof(low), "%s", email);
	for (char *p = low; *p; p++) /* the account key is the lower-cased address */
		if (*p >= 'A' && *p <= 'Z')
			*p = (char)(*p + 32);
	/* own copies: every begin_from resets the arena */
	char lock[128], cnt[128], ipk[128], ipc[128], ipc1[128];
	const char *h = throttle_sha256_hex(L->a, str_c(low));
	snprintf(lock, sizeof(lock), "throttle:login:acct:lock:%s", h);
	snprintf(cnt, sizeof(cnt), "throttle:login:acct:%s", h);
	snprintf(ipk, sizeof(ipk), "throttle:login:ip:lock:%s", ip2);
	snprintf(ipc, sizeof(ipc), "throttle:login:ip:%s", ip2);
	snprintf(ipc1, sizeof(ipc1), "throttle:login:ip:%s", ip);
	const char *del[] = {"DEL", lock};
	rds_cmd(L, 2, del, NULL);
	begin_from(ip2);
	CU_ASSERT_EQUAL(auth_login(L, str_c(email), STR("right-password"), &u), SOUK_OK);
	const char *ex[] = {"EXISTS", cnt};
	redisReply *r = rds_cmd(L, 2, ex, NULL);
	CU_ASSERT(r && r->type == REDIS_REPLY_INTEGER && r->integer == 0);
	/* many more failures (each lock deleted as if it had passed): the
	 * account's lock stops at 60 s (an attacker only slows the owner), the
	 * address's grows to 15 minutes */
	for (int i = 0; i < 16; i++) {
		begin_from(ip2);
		const char *d2[] = {"DEL", lock, ipk};
		rds_cmd(L, 3, d2, NULL);
		auth_login(L, str_c(email), STR("wrong-password"), &u);
	}
	CU_ASSERT_EQUAL(L->err_status, 429);
	CU_ASSERT_EQUAL(L->err_retry_after, THROTTLE_LOGIN_IP_MAX);
	const char *t1[] = {"TTL", lock}, *t2[] = {"TTL", ipk};
	r = rds_cmd(L, 2, t1, NULL);
	CU_ASSERT(r && r->type == REDIS_REPLY_INTEGER && r->integer > 55 &&
	          r->integer <= THROTTLE_LOGIN_ACCT_MAX);
	r = rds_cmd(L, 2, t2, NULL);
	CU_ASSERT(r && r->type == REDIS_REPLY_INTEGER && r->integer > 895 &&
	          r->integer <= THROTTLE_LOGIN_IP_MAX);
	const char *cleanup[] = {"DEL", lock, cnt, ipk, ipc, ipc1};
	rds_cmd(L, 6, cleanup, NULL);
}

void add_auth_tests(void)
{
	CU_pSuite s = CU_add_suite("auth", setup, teardown);
	CU_add_test(s, "argon2id hash and verify", test_hash_verify);
	CU_add_test(s, "e-mail rules", test_email_valid);
	CU_add_test(s, "create, login, duplicate, uniform failure", test_create_login);
	CU_add_test(s, "create refuses bad input", test_create_rules);
	CU_add_test(s, "password policy: length, e-mail, common list", test_password_policy);
	CU_add_test(s, "sign-in back-off per account and address", test_login_backoff);
}
