/* test_js: unit tests for lib/js (parse, typed getters, JSON responses). */
#include <stdint.h>
#include <unistd.h>

#include "core/js.h"
#include "tests.h"
#include "http/json_reply.h"
#include "http/resp.h"

#define C t_c /* the suite's context (t_ctx_setup) */

static void test_parse(void)
{
	app_ctx_begin(C);
	json_object *o = js_parse(C, STR("{\"a\":1}"));
	CU_ASSERT(o && json_object_is_type(o, json_type_object));
	o = js_parse(C, STR(" [1, 2, 3] "));
	CU_ASSERT(o && json_object_array_length(o) == 3);
	o = js_parse(C, (str){"{\"a\":1}garbage", 7}); /* only the view is read */
	CU_ASSERT_PTR_NOT_NULL(o);
	static const char *const bad[] = {"", "{bad", "{\"a\":", "}", "[1,2"};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		CU_ASSERT_PTR_NULL(js_parse(C, str_c(bad[i])));
	app_ctx_begin(C); /* the arena drops the trees: LeakSanitizer checks */
}

/* Regression: "NULL when malformed" — text after the value is malformed
 * JSON, as req_parse_body already says. */
static void test_regress_parse_trailing(void)
{
	app_ctx_begin(C);
	CU_ASSERT_PTR_NULL(js_parse(C, STR("{\"a\":1} x")));
	CU_ASSERT_PTR_NULL(js_parse(C, STR("{\"a\":1}{\"b\":2}")));
	CU_ASSERT_PTR_NOT_NULL(js_parse(C, STR("{\"a\":1} \n")));
}

static const char *DOC =
	"{\"s\":\"x\",\"n\":5,\"neg\":-7,\"b\":true,\"z\":null,\"f\":1.5,\"o\":{},"
	"\"max\":9223372036854775807}";

static void test_getters(void)
{
	app_ctx_begin(C);
	json_object *o = js_parse(C, str_c(DOC));
	CU_ASSERT_PTR_NOT_NULL(o);
	const char *s = "unset";
	CU_ASSERT_EQUAL(js_get_str(o, "s", &s), 1);
	ASSERT_CSTR(s, "x");
	s = "unset";
	CU_ASSERT_EQUAL(js_get_str(o, "n", &s), -1);
	CU_ASSERT_EQUAL(js_get_str(o, "o", &s), -1);
	CU_ASSERT_EQUAL(js_get_str(o, "missing", &s), 0);
	CU_ASSERT_EQUAL(js_get_str(o, "z", &s), 0); /* null counts as absent */
	ASSERT_CSTR(s, "unset");

	int64_t n = 42;
	CU_ASSERT_EQUAL(js_get_i64(o, "n", &n), 1);
	CU_ASSERT_EQUAL(n, 5);
	CU_ASSERT_EQUAL(js_get_i64(o, "neg", &n), 1);
	CU_ASSERT_EQUAL(n, -7);
	CU_ASSERT_EQUAL(js_get_i64(o, "max", &n), 1);
	CU_ASSERT_EQUAL(n, INT64_MAX);
	n = 42;
	CU_ASSERT_EQUAL(js_get_i64(o, "f", &n), -1);
	CU_ASSERT_EQUAL(js_get_i64(o, "s", &n), -1);
	CU_ASSERT_EQUAL(js_get_i64(o, "b", &n), -1);
	CU_ASSERT_EQUAL(js_get_i64(o, "missing", &n), 0);
	CU_ASSERT_EQUAL(js_get_i64(o, "z", &n), 0);
	CU_ASSERT_EQUAL(n, 42);

	bool b = false;
	CU_ASSERT_EQUAL(js_get_bool(o, "b", &b), 1);
	CU_ASSERT_TRUE(b);
	CU_ASSERT_EQUAL(js_get_bool(o, "n", &b), -1);
	CU_ASSERT_EQUAL(js_get_bool(o, "s", &b), -1);
	CU_ASSERT_EQUAL(js_get_bool(o, "missing", &b), 0);
	CU_ASSERT_EQUAL(js_get_str(NULL, "s", &s), 0);
	CU_ASSERT_EQUAL(js_get_i64(NULL, "n", &n), 0);
}

/* Regression: json-c clamps integers outside int64 to INT64_MAX/MIN; a
 * quantity of 9223372036854775808 must be refused, not silently changed. */
static void test_regress_i64_out_of_range(void)
{
	app_ctx_begin(C);
	json_object *o = js_parse(C, STR("{\"big\":9223372036854775808,"
	                                 "\"huge\":99999999999999999999,"
	                                 "\"low\":-9223372036854775809}"));
	CU_ASSERT_PTR_NOT_NULL(o);
	int64_t n = 42;
	CU_ASSERT_EQUAL(js_get_i64(o, "big", &n), -1);
	CU_ASSERT_EQUAL(js_get_i64(o, "huge", &n), -1);
	CU_ASSERT_EQUAL(js_get_i64(o, "low", &n), -1);
}

static void test_resp_json(void)
{
	app_ctx_begin(C);
	json_object *o = js_obj(C);
	js_i64(o, "id", 7);
	js_str(o, "name", "a/b \"q\" <x>");
	js_str(o, "none", NULL);
	js_bool(o, "ok", true);
	js_strn(o, "v", (str){"xyz", 2});
	json_object *arr = json_object_new_array();
	json_object_array_add(arr, json_object_new_int64(1));
	json_object_object_add(o, "list", arr);
	CU_ASSERT_EQUAL(resp_json(C, 201, o), SOUK_OK);
	CU_ASSERT_EQUAL(C->rs->status, 201);
	ASSERT_CSTR(C->rs->content_type, "application/json");
	ASSERT_STR(buf_str(&C->rs->body),
	           "{\"id\":7,\"name\":\"a/b \\\"q\\\" <x>\",\"none\":null,\"ok\":true,\"v\":\"xy\","
	           "\"list\":[1]}");
	CU_ASSERT_EQUAL(C->err_status, 0);

	json_object *a = js_arr(C);
	CU_ASSERT(a && json_object_is_type(a, json_type_array));
	CU_ASSERT_EQUAL(resp_json(C, 200, a), SOUK_OK); /* replaces the body */
	ASSERT_STR(buf_str(&C->rs->body), "[]");

	CU_ASSERT_EQUAL(resp_json_text(C, 202, STR("{\"queued\":true}")), SOUK_OK);
	CU_ASSERT_EQUAL(C->rs->status, 202);
	ASSERT_STR(buf_str(&C->rs->body), "{\"queued\":true}");

	C->rs->body.max = 4;
	CU_ASSERT_EQUAL(resp_json_text(C, 200, STR("12345")), SOUK_ERR);
	CU_ASSERT_EQUAL(C->err_status, 500);
}

/* Regression: on a full arena arena_defer drops the new object at once,
 * and js_obj used to hand it out anyway. It must return NULL or a live
 * object; the probe reads it in instrumented code so ASan can tell. */
static void obj_on_full_arena(void)
{
	ctx *c = t_ctx_new(4096);
	t_arena_fill(c->a);
	json_object *o = js_obj(c);
	if (o)
		(void)*(volatile char *)o;
	_exit(0);
}

static void test_regress_obj_full_arena(void)
{
	CU_ASSERT_EQUAL(t_in_child(obj_on_full_arena), 0);
}

void add_js_tests(void)
{
	CU_pSuite s = CU_add_suite("js", t_ctx_setup, t_ctx_teardown);
	CU_add_test(s, "js_parse valid/invalid", test_parse);
	CU_add_test(s, "regress: js_parse refuses trailing bytes", test_regress_parse_trailing);
	CU_add_test(s, "typed getters: right/wrong type/absent", test_getters);
	CU_add_test(s, "regress: js_get_i64 refuses out-of-range", test_regress_i64_out_of_range);
	CU_add_test(s, "resp_json/resp_json_text body, status, type", test_resp_json);
	CU_add_test(s, "regress: js_obj on a full arena: no use-after-free", test_regress_obj_full_arena);
}
