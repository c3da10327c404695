/* test_auth: lib/auth — argon2id hash/verify, email rules, create and
 * login on the live database (uniform failure, duplicate address). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "shop/auth.h"
#include "store/db.h"
#include "core/rnd.h"
#include "tests.h"

static ctx *L;

static int setup(void)
{
	auth_register_sql(); /* before the connection prepares its statements */
	L = t_ctx_new(0);
	db_free(L->db);
	L->db = db_new(getenv("SOUK_TEST_DATABASE_URL"));
	return 0;
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
	CU_ASSERT_PTR_NOT_NULL(strstr(L->err_msg, "at least 8"));
	app_ctx_begin(L);
	CU_ASSERT_EQUAL(auth_create(L, str_c(fresh_email(L)), STR("longenough"), ROLE_SELLER, 0, NULL), SOUK_ERR);
	CU_ASSERT_EQUAL(L->err_status, 400);
	app_ctx_begin(L);
	auth_user u;
	CU_ASSERT_EQUAL(auth_create(L, str_c(fresh_email(L)), STR("longenough"), ROLE_SELLER, 2, &u), SOUK_OK);
	CU_ASSERT_EQUAL(u.seller_id, 2);
}

void add_auth_tests(void)
{
	CU_pSuite s = CU_add_suite("auth", setup, teardown);
	CU_add_test(s, "argon2id hash and verify", test_hash_verify);
	CU_add_test(s, "e-mail rules", test_email_valid);
	CU_add_test(s, "create, login, duplicate, uniform failure", test_create_login);
	CU_add_test(s, "create refuses bad input", test_create_rules);
}
