/* test_app: app_dispatch driven in memory with a small route table. */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/js.h"
#include "tests.h"
#include "http/json_reply.h"
#include "http/req.h"
#include "http/resp.h"

static int h_thing(ctx *c)
{
	int64_t id;
	if (ctx_param_id(c, "id", &id) < 0)
		return SOUK_ERR;
	json_object *o = js_obj(c);
	js_i64(o, "id", id);
	return resp_json(c, 200, o);
}

static int h_conflict(ctx *c)
{
	resp_header(c->rs, "X-Leak", STR("1")); /* dropped with the error */
	return ctx_fail(c, 409, "conflict", "thing already exists");
}

static int h_broken(ctx *c)
{
	(void)c;
	return SOUK_ERR; /* nothing recorded: the dispatcher says 500 */
}

static int h_down(ctx *c)
{
	return ctx_fail(c, 503, "unavailable", "try again");
}

static int h_echo(ctx *c)
{
	const char *name;
	if (js_get_str(c->rq->json, "name", &name) != 1)
		return ctx_fail(c, 422, "invalid", "name is required");
	json_object *o = js_obj(c);
	js_str(o, "name", name);
	return resp_json(c, 200, o);
}

/* An error with details and an extra member, and a header that holds
 * for any outcome (api_checkout's shape). */
static int h_details(ctx *c)
{
	resp_header(c->rs, "Cache-Control", STR("no-store"));
	resp_keep_headers(c->rs);
	resp_header(c->rs, "X-Leak", STR("1")); /* dropped with the error */
	json_object *d = js_obj(c), *x = js_obj(c), *order = json_object_new_object();
	js_i64(d, "sku_id", 12);
	js_str(order, "status", "CANCELLED");
	json_object_object_add(x, "order", order);
	return ctx_fail_json(c, 409, "out_of_stock", d, x, "only %d left", 3);
}

static int h_page(ctx *c)
{
	buf_puts(&c->rs->body, "<p>hi</p>");
	return SOUK_OK;
}

static void html_error(ctx *c)
{
	buf_printf(&c->rs->body, "<h1>%d</h1>", c->err_status);
}

static const route routes[] = {
	{"GET", "/api/v1/things/{id}", h_thing, ROUTE_JSON},
	{"POST", "/api/v1/things", h_conflict, ROUTE_JSON},
	{"GET", "/api/v1/broken", h_broken, ROUTE_JSON},
	{"GET", "/api/v1/down", h_down, ROUTE_JSON},
	{"POST", "/api/v1/echo", h_echo, ROUTE_JSON},
	{"POST", "/api/v1/details", h_details, ROUTE_JSON},
	{"GET", "/page", h_page, 0},
	{"GET", "/page/broken", h_broken, 0},
};
static const app api = {"unit-api", routes, sizeof(routes) / sizeof(routes[0]), NULL};
static const app site = {"unit-site", routes, sizeof(routes) / sizeof(routes[0]), html_error};

static ctx *C;

static int setup(void)
{
	C = app_ctx_new(cfg_load()); /* db/redis connect lazily: never here */
	return 0;
}

static int teardown(void)
{
	app_ctx_free(C);
	return 0;
}

/* One request: "METHOD /uri", optional content type and body. */
static void run(const app *ap, const char *method, const char *uri, const char *ctype,
                const char *body)
{
	app_ctx_begin(C);
	char *env[4] = {NULL, NULL, NULL, NULL};
	buf b;
	buf_init(&b, C->a, 0);
	buf_printf(&b, "REQUEST_METHOD=%s", method);
	env[0] = b.p;
	buf_init(&b, C->a, 0);
	buf_printf(&b, "REQUEST_URI=%s", uri);
	env[1] = b.p;
	if (ctype) {
		buf_init(&b, C->a, 0);
		buf_printf(&b, "CONTENT_TYPE=%s", ctype);
		env[2] = b.p;
	}
	app_dispatch(ap, C, env, str_c(body));
}

/* The response is {"error":{"code":code,"message":msg}} and nothing else. */
static void assert_error(int status, const char *code, const char *msg)
{
	CU_ASSERT_EQUAL(C->rs->status, status);
	ASSERT_CSTR(C->rs->content_type, "application/json");
	json_object *o = js_parse(C, buf_str(&C->rs->body)), *e = NULL;
	CU_ASSERT(o && json_object_object_length(o) == 1 &&
	          json_object_object_get_ex(o, "error", &e) && json_object_object_length(e) == 2);
	const char *s = NULL;
	CU_ASSERT_EQUAL(js_get_str(e, "code", &s), 1);
	if (s)
		ASSERT_CSTR(s, code);
	s = NULL;
	CU_ASSERT_EQUAL(js_get_str(e, "message", &s), 1);
	if (s)
		ASSERT_CSTR(s, msg);
}

/* The allocator settings: the pools' as measured on /search; souk-searchd's
 * trim threshold below a thread arena's largest heap (64 MB in glibc), or
 * the index memory freed in the arenas of the threads that built it is
 * never given back, and above the pad a serving thread's queries use. */
static void test_malloc_settings(void)
{
	app_malloc pool = app_malloc_for(APP_MALLOC_POOL);
	CU_ASSERT_EQUAL(pool.mxfast, 0);
	CU_ASSERT_EQUAL(pool.trim_threshold, 64 << 20);
	CU_ASSERT_EQUAL(pool.top_pad, 16 << 20);
	app_malloc sd = app_malloc_for(APP_MALLOC_SEARCHD);
	CU_ASSERT_EQUAL(sd.mxfast, 0);
	CU_ASSERT_EQUAL(sd.trim_threshold, 32 << 20);
	CU_ASSERT(sd.trim_threshold < 64 << 20);
	CU_ASSERT_EQUAL(sd.top_pad, 16 << 20);
	CU_ASSERT(sd.trim_threshold > sd.top_pad);
}

#if !defined(__SANITIZE_ADDRESS__)
/* Resident bytes of this process (/proc/self/statm). */
static long resident_bytes(void)
{
	long size = 0, res = 0;
	FILE *f = fopen("/proc/self/statm", "r");
	if (f) {
		if (fscanf(f, "%ld %ld", &size, &res) != 2)
			res = 0;
		fclose(f);
	}
	return res * sysconf(_SC_PAGESIZE);
}

/* In a thread of its own (so a thread arena): 24 MB in 8 KB chunks,
 * touched, then freed. They end as the arena's top, below souk-searchd's
 * 32 MB trim threshold, so glibc keeps them resident; app_give_back_arena
 * gives them back. */
static void *arena_work(void *arg)
{
	long *drop = arg;
	enum { N = 3072, SZ = 8 << 10 };
	static char *p[N];
	for (int i = 0; i < N; i++) {
		p[i] = malloc(SZ);
		memset(p[i], i, SZ);
	}
	for (int i = N - 1; i >= 0; i--)
		free(p[i]);
	long before = resident_bytes();
	app_give_back_arena();
	*drop = before - resident_bytes();
	return NULL;
}
#endif

static void test_give_back_arena(void)
{
#if defined(__SANITIZE_ADDRESS__)
	/* ASan's allocator replaces glibc's: nothing of this applies */
	app_give_back_arena();
	CU_PASS("glibc's allocator not in use under AddressSanitizer");
#else
	app_tune_malloc(APP_MALLOC_SEARCHD);
	long drop = 0;
	pthread_t th;
	CU_ASSERT_EQUAL_FATAL(pthread_create(&th, NULL, arena_work, &drop), 0);
	pthread_join(th, NULL);
	/* most of the 24 MB (25.3 MB measured) */
	CU_ASSERT(drop >= 16L << 20);
	app_tune_malloc(APP_MALLOC_POOL);
#endif
}

static void test_ok(void)
{
	run(&api, "GET", "/api/v1/things/7", NULL, NULL);
	CU_ASSERT_EQUAL(C->rs->status, 200);
	ASSERT_CSTR(C->rs->content_type, "application/json");
	ASSERT_STR(buf_str(&C->rs->body), "{\"id\":7}");
	CU_ASSERT_EQUAL(C->rs->headers.len, 0);
	run(&api, "HEAD", "/api/v1/things/7/", NULL, NULL);
	CU_ASSERT_EQUAL(C->rs->status, 200);
	run(&site, "GET", "/page?x=1", NULL, NULL);
	CU_ASSERT_EQUAL(C->rs->status, 200);
	ASSERT_CSTR(C->rs->content_type, "text/html; charset=utf-8");
	ASSERT_STR(buf_str(&C->rs->body), "<p>hi</p>");
}

static void test_not_found(void)
{
	run(&api, "GET", "/api/v1/nope", NULL, NULL);
	assert_error(404, "not_found", "no page at this address");
	ASSERT_STR(buf_str(&C->rs->body),
	           "{\"error\":{\"code\":\"not_found\",\"message\":\"no page at this address\"}}");
	run(&site, "GET", "/api/v2/x", NULL, NULL); /* /api/ paths answer JSON everywhere */
	assert_error(404, "not_found", "no page at this address");
	run(&site, "GET", "/nope", NULL, NULL);
	CU_ASSERT_EQUAL(C->rs->status, 404);
	ASSERT_CSTR(C->rs->content_type, "text/html; charset=utf-8");
	ASSERT_STR(buf_str(&C->rs->body), "<h1>404</h1>");
}

static void test_bad_method(void)
{
	run(&api, "DELETE", "/api/v1/things/7", NULL, NULL);
	assert_error(405, "method_not_allowed", "DELETE is not allowed here");
	ASSERT_STR(buf_str(&C->rs->headers), "Allow: GET, HEAD\r\n");
	run(&api, "GET", "/api/v1/things", NULL, NULL);
	assert_error(405, "method_not_allowed", "GET is not allowed here");
	ASSERT_STR(buf_str(&C->rs->headers), "Allow: POST\r\n");
	run(&site, "POST", "/page", NULL, NULL);
	CU_ASSERT_EQUAL(C->rs->status, 405);
	ASSERT_STR(buf_str(&C->rs->body), "<h1>405</h1>");
	ASSERT_STR(buf_str(&C->rs->headers), "Allow: GET, HEAD\r\n");
}

static void test_handler_errors(void)
{
	run(&api, "POST", "/api/v1/things", NULL, NULL);
	assert_error(409, "conflict", "thing already exists");
	CU_ASSERT_PTR_NULL(strstr(C->rs->headers.p, "X-Leak"));
	run(&api, "GET", "/api/v1/broken", NULL, NULL);
	assert_error(500, "internal", "internal error");
	run(&site, "GET", "/page/broken", NULL, NULL);
	CU_ASSERT_EQUAL(C->rs->status, 500);
	ASSERT_STR(buf_str(&C->rs->body), "<h1>500</h1>");
	run(&api, "GET", "/api/v1/down", NULL, NULL);
	assert_error(503, "unavailable", "try again");
	ASSERT_STR(buf_str(&C->rs->headers), "Retry-After: 5\r\n");
	run(&api, "GET", "/api/v1/things/0", NULL, NULL);
	assert_error(400, "bad_request", "id must be a positive integer");
}

static void test_error_details(void)
{
	run(&api, "POST", "/api/v1/details", NULL, NULL);
	CU_ASSERT_EQUAL(C->rs->status, 409);
	ASSERT_STR(buf_str(&C->rs->body),
	           "{\"error\":{\"code\":\"out_of_stock\",\"message\":\"only 3 left\",\"sku_id\":12},"
	           "\"order\":{\"status\":\"CANCELLED\"}}");
	ASSERT_STR(buf_str(&C->rs->headers), "Cache-Control: no-store\r\n");
	/* the next request starts without them */
	run(&api, "POST", "/api/v1/things", NULL, NULL);
	assert_error(409, "conflict", "thing already exists");
	CU_ASSERT_EQUAL(C->rs->headers.len, 0);
}

static void test_bad_requests(void)
{
	run(&api, "GET", "/api/v1/things/%zz", NULL, NULL);
	assert_error(400, "bad_request", "malformed percent-encoding or invalid UTF-8 in path");
	run(&api, "GET", "/api/v1/things/7?q=%C3%28", NULL, NULL);
	assert_error(400, "bad_request", "malformed percent-encoding or invalid UTF-8 in parameters");
	run(&api, "POST", "/api/v1/echo", "application/json", "{\"name\":");
	assert_error(400, "bad_request", "malformed JSON body");
	run(&api, "POST", "/api/v1/echo", "application/json; charset=utf-8", "{\"name\":1} x");
	assert_error(400, "bad_request", "trailing bytes after the JSON body");
}

static void test_json_body(void)
{
	run(&api, "POST", "/api/v1/echo", "application/json", "{\"name\":\"<b>\"}");
	CU_ASSERT_EQUAL(C->rs->status, 200);
	ASSERT_STR(buf_str(&C->rs->body), "{\"name\":\"<b>\"}");
	run(&api, "POST", "/api/v1/echo", "application/json", "{}");
	assert_error(422, "invalid", "name is required");
	run(&api, "POST", "/api/v1/echo", "text/plain", "{\"name\":\"x\"}");
	assert_error(422, "invalid", "name is required"); /* not parsed as JSON */
}

/* A body over SOUK_MAX_BODY reaches a ROUTE_UPLOAD route only (a photo);
 * any other route of the same program answers 413, and a program without
 * upload routes keeps refusing it as before. */
static int h_size(ctx *c)
{
	buf_printf(&c->rs->body, "%zu", c->rq->body.len);
	return SOUK_OK;
}

static const route upload_routes[] = {
	{"POST", "/photos", h_size, ROUTE_UPLOAD},
	{"POST", "/other", h_size, 0},
};
static const app uploads = {"unit-upload", upload_routes, 2, NULL};

static void test_upload_body(void)
{
	size_t n = C->cfg->max_body + 4096;
	CU_ASSERT_FATAL(n < ROUTE_UPLOAD_MAX);
	char *big = malloc(n + 1); /* outlives each request's arena */
	CU_ASSERT_PTR_NOT_NULL_FATAL(big);
	memset(big, 'x', n);
	big[n] = '\0';
	char m[] = "REQUEST_METHOD=POST", ct[] = "CONTENT_TYPE=image/jpeg", u1[] = "REQUEST_URI=/photos",
	     u2[] = "REQUEST_URI=/other", u3[] = "REQUEST_URI=/api/v1/echo";
	char *env[] = {m, u1, ct, NULL};
	app_ctx_begin(C);
	app_dispatch(&uploads, C, env, (str){big, n});
	CU_ASSERT_EQUAL(C->rs->status, 200);
	CU_ASSERT_EQUAL(strtoull(C->rs->body.p, NULL, 10), n);
	env[1] = u2;
	app_ctx_begin(C);
	app_dispatch(&uploads, C, env, (str){big, n});
	assert_error(413, "too_large", "request body too large");
	env[1] = u3;
	app_ctx_begin(C);
	app_dispatch(&api, C, env, (str){big, n});
	assert_error(400, "bad_request", "request body too large");
	free(big);
}

static void test_healthz_down(void)
{
	ctx *c = t_ctx_new(0); /* unreachable database and Redis */
	CU_ASSERT_EQUAL(app_healthz(c), SOUK_OK);
	CU_ASSERT_EQUAL(c->rs->status, 503);
	ASSERT_STR(buf_str(&c->rs->body), "{\"status\":\"degraded\",\"db\":\"down\",\"redis\":\"down\"}");
	ASSERT_STR(buf_str(&c->rs->headers), "Cache-Control: no-store\r\n");
	app_ctx_free(c);
}

void add_app_tests(void)
{
	CU_pSuite s = CU_add_suite("app", setup, teardown);
	CU_add_test(s, "dispatch: JSON and HTML success", test_ok);
	CU_add_test(s, "dispatch: 404 JSON for /api/, HTML otherwise", test_not_found);
	CU_add_test(s, "dispatch: 405 with Allow", test_bad_method);
	CU_add_test(s, "dispatch: handler errors 409/500/503/400", test_handler_errors);
	CU_add_test(s, "dispatch: error details, extra members, kept headers", test_error_details);
	CU_add_test(s, "dispatch: 400 for broken encoding and bodies", test_bad_requests);
	CU_add_test(s, "dispatch: JSON body reaches the handler", test_json_body);
	CU_add_test(s, "healthz degraded when both are down", test_healthz_down);
	CU_add_test(s, "dispatch: large bodies only on upload routes", test_upload_body);
	CU_add_test(s, "a thread's arena gives back its free top (souk-searchd after a load)",
	            test_give_back_arena);
	CU_add_test(s, "malloc settings: souk-searchd trims its thread arenas, the pools as before",
	            test_malloc_settings);
}
