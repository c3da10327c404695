/* test_router: unit tests for lib/router (captures, 404 vs 405, order). */
#include "http/router.h"
#include "tests.h"
#include "http/req.h"

static int h_home(ctx *c) { (void)c; return SOUK_OK; }
static int h_new(ctx *c) { (void)c; return SOUK_OK; }
static int h_product(ctx *c) { (void)c; return SOUK_OK; }
static int h_update(ctx *c) { (void)c; return SOUK_OK; }
static int h_cat_product(ctx *c) { (void)c; return SOUK_OK; }
static int h_cart_add(ctx *c) { (void)c; return SOUK_OK; }
static int h_four(ctx *c) { (void)c; return SOUK_OK; }
static int h_five(ctx *c) { (void)c; return SOUK_OK; }

static const route routes[] = {
	{"GET", "/", h_home, 0},
	{"GET", "/products/new", h_new, 0},
	{"GET", "/products/{id}", h_product, 0},
	{"POST", "/products/{id}", h_update, 0},
	{"GET", "/c/{slug}/p/{id}", h_cat_product, 0},
	{"POST", "/cart/add", h_cart_add, 0},
	{"GET", "/4/{a}/{b}/{c}/{d}", h_four, 0},
	{"GET", "/5/{a}/{b}/{c}/{d}/{e}", h_five, 0}, /* more than CTX_MAX_PARAMS */
};
#define NROUTES (sizeof(routes) / sizeof(routes[0]))

#define C t_c /* the suite's context (t_ctx_setup) */
static const route *RT;
static const char *ALLOW;

static route_result m(const char *method, const char *path)
{
	app_ctx_begin(C);
	C->rq->method = str_c(method);
	C->rq->path = str_c(path);
	RT = NULL;
	ALLOW = NULL;
	return router_match(routes, NROUTES, C, &RT, &ALLOW);
}

static void assert_param(const char *name, const char *want)
{
	const str *v = ctx_param(C, name);
	CU_ASSERT_PTR_NOT_NULL(v);
	if (v)
		ASSERT_STR(*v, want);
}

static void test_literal(void)
{
	CU_ASSERT_EQUAL(m("GET", "/"), ROUTE_FOUND);
	CU_ASSERT(RT && RT->fn == h_home);
	CU_ASSERT_EQUAL(C->nparams, 0);
	CU_ASSERT_EQUAL(m("POST", "/cart/add"), ROUTE_FOUND);
	CU_ASSERT(RT && RT->fn == h_cart_add);
	CU_ASSERT_EQUAL(m("GET", "/products"), ROUTE_NOT_FOUND);
	CU_ASSERT_EQUAL(m("GET", "/productsx/1"), ROUTE_NOT_FOUND);
	CU_ASSERT_EQUAL(m("GET", "/cart/add/more"), ROUTE_NOT_FOUND);
	CU_ASSERT_EQUAL(m("GET", "/Cart/add"), ROUTE_NOT_FOUND);
	CU_ASSERT_PTR_NULL(RT);
}

static void test_captures(void)
{
	CU_ASSERT_EQUAL(m("GET", "/products/42"), ROUTE_FOUND);
	CU_ASSERT(RT && RT->fn == h_product);
	CU_ASSERT_EQUAL(C->nparams, 1);
	assert_param("id", "42");
	CU_ASSERT_PTR_NULL(ctx_param(C, "slug"));

	CU_ASSERT_EQUAL(m("GET", "/c/shoes/p/7"), ROUTE_FOUND);
	CU_ASSERT(RT && RT->fn == h_cat_product);
	CU_ASSERT_EQUAL(C->nparams, 2);
	assert_param("slug", "shoes");
	assert_param("id", "7");
	CU_ASSERT_EQUAL(m("GET", "/c/shoes/x/7"), ROUTE_NOT_FOUND);
	CU_ASSERT_EQUAL(m("GET", "/c/shoes/p"), ROUTE_NOT_FOUND);

	CU_ASSERT_EQUAL(m("GET", "/4/a/b/c/d"), ROUTE_FOUND);
	CU_ASSERT_EQUAL(C->nparams, 4);
	assert_param("d", "d");
	CU_ASSERT_EQUAL(m("GET", "/5/a/b/c/d/e"), ROUTE_NOT_FOUND);
}

static void test_trailing_slash_and_empty(void)
{
	CU_ASSERT_EQUAL(m("GET", "/products/42/"), ROUTE_FOUND);
	assert_param("id", "42");
	CU_ASSERT_EQUAL(m("POST", "/cart/add/"), ROUTE_FOUND);
	CU_ASSERT_EQUAL(m("GET", "/products//"), ROUTE_NOT_FOUND);
	CU_ASSERT_EQUAL(m("GET", "/products/"), ROUTE_NOT_FOUND);
	CU_ASSERT_EQUAL(m("GET", "/c//p/7"), ROUTE_NOT_FOUND);
	CU_ASSERT_EQUAL(m("GET", "/products/42//"), ROUTE_NOT_FOUND);
	CU_ASSERT_EQUAL(C->nparams, 0);
}

static void test_bad_method(void)
{
	CU_ASSERT_EQUAL(m("DELETE", "/products/42"), ROUTE_BAD_METHOD);
	ASSERT_CSTR(ALLOW, "GET, HEAD, POST");
	CU_ASSERT_EQUAL(C->nparams, 0);
	CU_ASSERT_PTR_NULL(RT);
	CU_ASSERT_EQUAL(m("GET", "/cart/add"), ROUTE_BAD_METHOD);
	ASSERT_CSTR(ALLOW, "POST");
	CU_ASSERT_EQUAL(m("HEAD", "/cart/add"), ROUTE_BAD_METHOD);
	ASSERT_CSTR(ALLOW, "POST");
	CU_ASSERT_EQUAL(m("PUT", "/"), ROUTE_BAD_METHOD);
	ASSERT_CSTR(ALLOW, "GET, HEAD");
	CU_ASSERT_EQUAL(m("get", "/"), ROUTE_BAD_METHOD); /* methods are case-sensitive */
	CU_ASSERT_EQUAL(m("DELETE", "/nowhere"), ROUTE_NOT_FOUND);
	CU_ASSERT_PTR_NULL(ALLOW);
}

static void test_head_matches_get(void)
{
	CU_ASSERT_EQUAL(m("HEAD", "/products/42"), ROUTE_FOUND);
	CU_ASSERT(RT && RT->fn == h_product);
	assert_param("id", "42");
	CU_ASSERT_EQUAL(m("HEAD", "/"), ROUTE_FOUND);
}

static void test_order(void)
{
	CU_ASSERT_EQUAL(m("GET", "/products/new"), ROUTE_FOUND);
	CU_ASSERT(RT && RT->fn == h_new); /* listed before {id} */
	CU_ASSERT_EQUAL(C->nparams, 0);

	static const route reversed[] = {
		{"GET", "/products/{id}", h_product, 0},
		{"GET", "/products/new", h_new, 0},
	};
	app_ctx_begin(C);
	C->rq->method = STR("GET");
	C->rq->path = STR("/products/new");
	const route *rt = NULL;
	const char *allow = NULL;
	CU_ASSERT_EQUAL(router_match(reversed, 2, C, &rt, &allow), ROUTE_FOUND);
	CU_ASSERT(rt && rt->fn == h_product); /* first match wins */
	assert_param("id", "new");
}

void add_router_tests(void)
{
	CU_pSuite s = CU_add_suite("router", t_ctx_setup, t_ctx_teardown);
	CU_add_test(s, "literal match", test_literal);
	CU_add_test(s, "{name} captures, up to CTX_MAX_PARAMS", test_captures);
	CU_add_test(s, "trailing slash; empty capture rejected", test_trailing_slash_and_empty);
	CU_add_test(s, "405 with Allow vs 404", test_bad_method);
	CU_add_test(s, "HEAD matches GET", test_head_matches_get);
	CU_add_test(s, "route order priority", test_order);
}
