/* test_event: parsing stream entries into events; the stream name of a topic. */
#include <string.h>

#include "shop/event.h"
#include "tests.h"

#define F(s) ((str){(s), sizeof(s) - 1})

static void test_parse_ok(void)
{
	app_ctx_begin(t_c);
	str f[] = {F("id"), F("42"), F("type"), F("order.confirmed"), F("key"), F("SK-1"),
	           F("payload"), F("{\"type\":\"order.confirmed\",\"order_id\":7}"), F("extra"), F("x")};
	event ev;
	CU_ASSERT_EQUAL_FATAL(event_parse(t_c, f, 10, &ev), 0);
	CU_ASSERT_EQUAL(ev.id, 42);
	ASSERT_CSTR(ev.type, "order.confirmed");
	ASSERT_CSTR(ev.key, "SK-1");
	int64_t v = 0;
	CU_ASSERT_EQUAL(event_id_field(&ev, "order_id", &v), 1);
	CU_ASSERT_EQUAL(v, 7);
	CU_ASSERT_EQUAL(event_id_field(&ev, "product_id", &v), 0);
}

static void test_parse_rejects(void)
{
	app_ctx_begin(t_c);
	event ev;
	str no_id[] = {F("type"), F("a.b"), F("key"), F("k"), F("payload"), F("{\"type\":\"a.b\"}")};
	CU_ASSERT_EQUAL(event_parse(t_c, no_id, 6, &ev), -1);
	str bad_id[] = {F("id"), F("4x"), F("type"), F("a.b"), F("key"), F("k"), F("payload"),
	                F("{\"type\":\"a.b\"}")};
	CU_ASSERT_EQUAL(event_parse(t_c, bad_id, 8, &ev), -1);
	str zero_id[] = {F("id"), F("0"), F("type"), F("a.b"), F("key"), F("k"), F("payload"),
	                 F("{\"type\":\"a.b\"}")};
	CU_ASSERT_EQUAL(event_parse(t_c, zero_id, 8, &ev), -1);
	str not_json[] = {F("id"), F("1"), F("type"), F("a.b"), F("key"), F("k"), F("payload"),
	                  F("{\"type\":")};
	CU_ASSERT_EQUAL(event_parse(t_c, not_json, 8, &ev), -1);
	str array[] = {F("id"), F("1"), F("type"), F("a.b"), F("key"), F("k"), F("payload"),
	               F("[1]")};
	CU_ASSERT_EQUAL(event_parse(t_c, array, 8, &ev), -1);
	str mismatch[] = {F("id"), F("1"), F("type"), F("order.shipped"), F("key"), F("k"),
	                  F("payload"), F("{\"type\":\"order.confirmed\"}")};
	CU_ASSERT_EQUAL(event_parse(t_c, mismatch, 8, &ev), -1);
	str odd[] = {F("id"), F("1"), F("type")};
	CU_ASSERT_EQUAL(event_parse(t_c, odd, 3, &ev), -1);
	str neg[] = {F("id"), F("1"), F("type"), F("a.b"), F("key"), F("k"), F("payload"),
	             F("{\"type\":\"a.b\",\"order_id\":-3,\"product_id\":\"9\"}")};
	CU_ASSERT_EQUAL_FATAL(event_parse(t_c, neg, 8, &ev), 0);
	int64_t v = 99;
	CU_ASSERT_EQUAL(event_id_field(&ev, "order_id", &v), -1);
	CU_ASSERT_EQUAL(event_id_field(&ev, "product_id", &v), -1); /* a string is not an id */
	CU_ASSERT_EQUAL(v, 99);
}

static void test_stream_name(void)
{
	app_ctx_begin(t_c);
	ASSERT_CSTR(event_stream(t_c, "orders"), "souk:orders");
	ASSERT_CSTR(event_stream(t_c, "catalog"), "souk:catalog");
}

void add_event_tests(void)
{
	CU_pSuite s = CU_add_suite("event", t_ctx_setup, t_ctx_teardown);
	CU_add_test(s, "a relay entry parses into an event", test_parse_ok);
	CU_add_test(s, "missing fields, bad ids, bad JSON, type mismatch refused", test_parse_rejects);
	CU_add_test(s, "souk:<topic>", test_stream_name);
}
