/* test_ctx: unit tests for lib/ctx (the failure record, typed parameters). */
#include <stdint.h>

#include "tests.h"
#include "http/query.h"

#define C t_c /* the suite's context (t_ctx_setup) */

/* A fresh request whose query string is q. */
static void with_query(const char *q)
{
	app_ctx_begin(C);
	buf b;
	buf_init(&b, C->a, 0);
	buf_printf(&b, "REQUEST_URI=/x?%s", q);
	char *env[] = {b.p, NULL};
	CU_ASSERT_EQUAL(t_req(C, env, NULL), 0);
}

static void assert_400(const char *msg)
{
	CU_ASSERT_EQUAL(C->err_status, 400);
	ASSERT_CSTR(C->err_code, "bad_request");
	ASSERT_CSTR(C->err_msg, msg);
}

static void test_fail_first_wins(void)
{
	app_ctx_begin(C);
	CU_ASSERT_EQUAL(C->err_status, 0);
	CU_ASSERT_EQUAL(ctx_fail(C, 409, "conflict", "sku %s is taken", "X1"), SOUK_ERR);
	CU_ASSERT_EQUAL(SOUK_ERR, -1);
	CU_ASSERT_EQUAL(C->err_status, 409);
	ASSERT_CSTR(C->err_code, "conflict");
	ASSERT_CSTR(C->err_msg, "sku X1 is taken");
	CU_ASSERT_EQUAL(ctx_fail(C, 500, "internal", "later"), SOUK_ERR);
	CU_ASSERT_EQUAL(C->err_status, 409);
	ASSERT_CSTR(C->err_code, "conflict");
	ASSERT_CSTR(C->err_msg, "sku X1 is taken");
	app_ctx_begin(C); /* a new request forgets it */
	CU_ASSERT_EQUAL(C->err_status, 0);
	CU_ASSERT_PTR_NULL(C->err_msg);
}

static void test_clear(void)
{
	app_ctx_begin(C);
	CU_ASSERT_EQUAL(ctx_fail_field(C, 400, "bad_request", "postal_code", "postal code %s", "?"),
	                SOUK_ERR);
	CU_ASSERT_EQUAL(C->err_status, 400);
	ASSERT_CSTR(C->err_field, "postal_code");
	ASSERT_CSTR(C->err_msg, "postal code ?");
	ctx_clear(C); /* expected: carry on */
	CU_ASSERT_EQUAL(C->err_status, 0);
	CU_ASSERT_PTR_NULL(C->err_code);
	CU_ASSERT_PTR_NULL(C->err_msg);
	CU_ASSERT_PTR_NULL(C->err_field);
	/* a later failure is recorded again, without the old field */
	CU_ASSERT_EQUAL(ctx_fail(C, 503, "unavailable", "down"), SOUK_ERR);
	CU_ASSERT_EQUAL(C->err_status, 503);
	ASSERT_CSTR(C->err_code, "unavailable");
	CU_ASSERT_PTR_NULL(C->err_field);
	/* the first failure still wins over a later one with a field */
	CU_ASSERT_EQUAL(ctx_fail_field(C, 400, "bad_request", "city", "city"), SOUK_ERR);
	CU_ASSERT_EQUAL(C->err_status, 503);
	CU_ASSERT_PTR_NULL(C->err_field);
	ctx_clear(C);
	CU_ASSERT_EQUAL(ctx_fail_json(C, 409, "conflict", NULL, NULL, "x"), SOUK_ERR);
	CU_ASSERT_EQUAL(C->err_status, 409);
	CU_ASSERT_PTR_NULL(C->err_details);
	app_ctx_begin(C); /* a new request forgets the field too */
	CU_ASSERT_EQUAL(C->err_status, 0);
	CU_ASSERT_PTR_NULL(C->err_field);
}

static int param_id(const char *v, int64_t *out)
{
	app_ctx_begin(C);
	C->param_names[0] = "id";
	C->params[0] = str_c(v);
	C->nparams = 1;
	return ctx_param_id(C, "id", out);
}

static void test_param_id(void)
{
	int64_t id = -99;
	CU_ASSERT_EQUAL(param_id("7", &id), SOUK_OK);
	CU_ASSERT_EQUAL(id, 7);
	CU_ASSERT_EQUAL(C->err_status, 0);
	CU_ASSERT_EQUAL(param_id("9223372036854775807", &id), SOUK_OK);
	CU_ASSERT_EQUAL(id, INT64_MAX);
	static const char *const bad[] = {"0", "-1", "abc", "99999999999999999999", "", "+7", "7 ",
	                                  "0x7"};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		CU_ASSERT_EQUAL(param_id(bad[i], &id), SOUK_ERR);
		assert_400("id must be a positive integer");
	}
	app_ctx_begin(C); /* no such capture */
	CU_ASSERT_EQUAL(ctx_param_id(C, "id", &id), SOUK_ERR);
	assert_400("id must be a positive integer");
}

static void test_query_int(void)
{
	int64_t v = 0;
	with_query("page=3&size=&bad=x1&big=1000&neg=-5&page=9");
	CU_ASSERT_EQUAL(ctx_query_int(C, "page", 1, 100, 1, &v), SOUK_OK);
	CU_ASSERT_EQUAL(v, 3); /* the first one */
	CU_ASSERT_EQUAL(ctx_query_int(C, "size", 1, 100, 24, &v), SOUK_OK);
	CU_ASSERT_EQUAL(v, 24); /* empty: default */
	CU_ASSERT_EQUAL(ctx_query_int(C, "absent", 1, 100, 7, &v), SOUK_OK);
	CU_ASSERT_EQUAL(v, 7);
	CU_ASSERT_EQUAL(ctx_query_int(C, "neg", -10, 10, 0, &v), SOUK_OK);
	CU_ASSERT_EQUAL(v, -5);
	CU_ASSERT_EQUAL(C->err_status, 0);

	CU_ASSERT_EQUAL(ctx_query_int(C, "bad", 1, 100, 1, &v), SOUK_ERR);
	assert_400("bad must be an integer from 1 to 100");
	with_query("big=1000");
	CU_ASSERT_EQUAL(ctx_query_int(C, "big", 1, 100, 1, &v), SOUK_ERR);
	assert_400("big must be an integer from 1 to 100");
	with_query("page=0");
	CU_ASSERT_EQUAL(ctx_query_int(C, "page", 1, 100, 1, &v), SOUK_ERR);
	with_query("page=%2B5"); /* "+5" after decoding */
	CU_ASSERT_EQUAL(ctx_query_int(C, "page", 1, 100, 1, &v), SOUK_ERR);
	assert_400("page must be an integer from 1 to 100");
}

static void test_query_paging(void)
{
	int64_t page = 0, per = 0;
	with_query("page=4&per_page=30");
	CU_ASSERT_EQUAL(ctx_query_paging(C, 50, 200, &page, &per), SOUK_OK);
	CU_ASSERT_EQUAL(page, 4);
	CU_ASSERT_EQUAL(per, 30);
	with_query("page=&per_page=");
	CU_ASSERT_EQUAL(ctx_query_paging(C, 50, 200, &page, &per), SOUK_OK);
	CU_ASSERT_EQUAL(page, 1); /* empty: the defaults */
	CU_ASSERT_EQUAL(per, 50);
	with_query("page=10000");
	CU_ASSERT_EQUAL(ctx_query_page(C, &page), SOUK_OK);
	CU_ASSERT_EQUAL(page, QUERY_MAX_PAGE);
	CU_ASSERT_EQUAL(C->err_status, 0);

	with_query("page=10001&per_page=30");
	CU_ASSERT_EQUAL(ctx_query_paging(C, 50, 200, &page, &per), SOUK_ERR);
	assert_400("page must be an integer from 1 to 10000");
	with_query("page=2&per_page=201");
	CU_ASSERT_EQUAL(ctx_query_paging(C, 50, 200, &page, &per), SOUK_ERR);
	assert_400("per_page must be an integer from 1 to 200");
	with_query("per_page=0");
	CU_ASSERT_EQUAL(ctx_query_paging(C, 24, 100, &page, &per), SOUK_ERR);
	assert_400("per_page must be an integer from 1 to 100");
}

static const char *const sorts[] = {"rank", "price_asc", "price_desc", NULL};

static void test_query_enum(void)
{
	int v = -1;
	with_query("sort=price_desc");
	CU_ASSERT_EQUAL(ctx_query_enum(C, "sort", sorts, 0, &v), SOUK_OK);
	CU_ASSERT_EQUAL(v, 2);
	CU_ASSERT_EQUAL(ctx_query_enum(C, "order", sorts, 1, &v), SOUK_OK);
	CU_ASSERT_EQUAL(v, 1);
	with_query("sort=");
	CU_ASSERT_EQUAL(ctx_query_enum(C, "sort", sorts, 0, &v), SOUK_OK);
	CU_ASSERT_EQUAL(v, 0);
	with_query("sort=bogus");
	CU_ASSERT_EQUAL(ctx_query_enum(C, "sort", sorts, 0, &v), SOUK_ERR);
	assert_400("sort must be one of: rank, price_asc, price_desc");
	with_query("sort=RANK");
	CU_ASSERT_EQUAL(ctx_query_enum(C, "sort", sorts, 0, &v), SOUK_ERR);
	with_query("sort=ran");
	CU_ASSERT_EQUAL(ctx_query_enum(C, "sort", sorts, 0, &v), SOUK_ERR);
}

static void test_query_id(void)
{
	int64_t v = -1;
	with_query("variant=42");
	CU_ASSERT_EQUAL(ctx_query_id(C, "variant", &v), SOUK_OK);
	CU_ASSERT_EQUAL(v, 42);
	CU_ASSERT_EQUAL(ctx_query_id(C, "other", &v), SOUK_OK);
	CU_ASSERT_EQUAL(v, 0); /* absent */
	const char *bad[] = {"variant=0", "variant=-3", "variant=abc", "variant=99999999999999999999"};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		with_query(bad[i]);
		CU_ASSERT_EQUAL(ctx_query_id(C, "variant", &v), SOUK_ERR);
		assert_400("variant must be a positive integer");
	}
}

void add_ctx_tests(void)
{
	CU_pSuite s = CU_add_suite("ctx", t_ctx_setup, t_ctx_teardown);
	CU_add_test(s, "ctx_fail: first error wins, returns SOUK_ERR", test_fail_first_wins);
	CU_add_test(s, "ctx_clear, ctx_fail_field", test_clear);
	CU_add_test(s, "ctx_param_id", test_param_id);
	CU_add_test(s, "ctx_query_int", test_query_int);
	CU_add_test(s, "ctx_query_id", test_query_id);
	CU_add_test(s, "ctx_query_page, ctx_query_paging", test_query_paging);
	CU_add_test(s, "ctx_query_enum", test_query_enum);
}
