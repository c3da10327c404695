/* test_order: the transition table (every pair), and order_transition on
 * the live database: legal moves write one event and one outbox row,
 * illegal ones are 409 and write nothing. */
#include <stdio.h>
#include <string.h>

#include "buy_live.h"
#include "core/js.h"
#include "shop/order.h"

/* The legal moves, written out independently of lib/shop/order.c's table. */
static const char *const legal[] = {
	"PENDING>CONFIRMED", "PENDING>CANCELLED",   "CONFIRMED>PROCESSING", "CONFIRMED>CANCELLED",
	"PROCESSING>SHIPPED", "PROCESSING>CANCELLED", "SHIPPED>DELIVERED",    "DELIVERED>RETURNED",
};

static bool is_legal(const char *from, const char *to)
{
	char k[64];
	snprintf(k, sizeof(k), "%s>%s", from, to);
	for (size_t i = 0; i < sizeof(legal) / sizeof(legal[0]); i++)
		if (strcmp(legal[i], k) == 0)
			return true;
	return false;
}

static void test_names(void)
{
	order_status s;
	for (int i = 0; i < ORDER_NSTATUS; i++) {
		CU_ASSERT_EQUAL(order_status_parse(order_status_name((order_status)i), &s), 0);
		CU_ASSERT_EQUAL(s, (order_status)i);
	}
	CU_ASSERT_EQUAL(order_status_parse("pending", &s), -1);
	CU_ASSERT_EQUAL(order_status_parse("", &s), -1);
	CU_ASSERT_EQUAL(order_status_parse(NULL, &s), -1);
	CU_ASSERT_PTR_NULL(order_status_name(ORDER_NSTATUS));
	CU_ASSERT_PTR_NULL(order_status_name((order_status)-1));
}

static void test_table(void)
{
	int n = 0;
	for (int f = 0; f < ORDER_NSTATUS; f++)
		for (int t = 0; t < ORDER_NSTATUS; t++) {
			bool want = is_legal(order_status_name((order_status)f), order_status_name((order_status)t));
			bool got = order_can_transition((order_status)f, (order_status)t);
			if (want != got)
				printf("\n  %s -> %s: want %d got %d", order_status_name((order_status)f),
				       order_status_name((order_status)t), want, got);
			CU_ASSERT_EQUAL(want, got);
			n += got;
		}
	CU_ASSERT_EQUAL(n, 8);
	CU_ASSERT_FALSE(order_can_transition(ORDER_NSTATUS, ORDER_PENDING));
	CU_ASSERT_FALSE(order_can_transition(ORDER_PENDING, ORDER_NSTATUS));
}

static void test_token(void)
{
	CU_ASSERT_TRUE(order_token_ok("abc123", STR("abc123")));
	CU_ASSERT_FALSE(order_token_ok("abc123", STR("abc124")));
	CU_ASSERT_FALSE(order_token_ok("abc123", STR("abc12")));
	CU_ASSERT_FALSE(order_token_ok("abc123", STR("")));
	CU_ASSERT_FALSE(order_token_ok("", STR("")));
	CU_ASSERT_FALSE(order_token_ok(NULL, STR("x")));
}

/* ---- live ---- */

static const db_stmt stmts[] = {
	{"ut_order_new",
	 "INSERT INTO orders (public_id, access_token, email, subtotal, shipping, tax, total,"
	 " address, idempotency_key) VALUES ('ut' || md5(random()::text), 'tok', 'ut@example.com',"
	 " 100, 0, 8, 108, '{}', 'ut-' || md5(random()::text)) RETURNING id, public_id"},
	{"ut_order_force", "UPDATE orders SET status = $2 WHERE id = $1"},
	{"ut_order_state",
	 "SELECT o.status, (SELECT count(*) FROM order_events e WHERE e.order_id = o.id) AS events,"
	 " (SELECT count(*) FROM outbox b WHERE b.topic = 'orders' AND b.key = o.public_id) AS outbox,"
	 " (SELECT b.payload::text FROM outbox b WHERE b.key = o.public_id ORDER BY b.id DESC LIMIT 1)"
	 "  AS payload,"
	 " (SELECT e.from_status || '>' || e.to_status || ':' || e.actor || ':' || e.note"
	 "  FROM order_events e WHERE e.order_id = o.id ORDER BY e.id DESC LIMIT 1) AS last_event"
	 " FROM orders o WHERE o.id = $1"},
};

static ctx *L;
static int64_t oid;

static int live_setup(void)
{
	db_register(stmts, sizeof(stmts) / sizeof(stmts[0]));
	L = buy_live_ctx();
	db_res *r = db_exec(L, "ut_order_new", 0, NULL);
	if (!r)
		return 1;
	oid = db_i64(r, 0, "id");
	return 0;
}

static int live_teardown(void)
{
	app_ctx_free(L);
	return 0;
}

static db_res *state(void)
{
	const char *p[] = {db_param_i64(L, oid)};
	return db_exec(L, "ut_order_state", 1, p);
}

/* Every (from, to) pair through order_transition: the outcome, the row
 * written (or not), and the event/outbox counts. */
static void test_live_pairs(void)
{
	for (int f = 0; f < ORDER_NSTATUS; f++)
		for (int t = 0; t < ORDER_NSTATUS; t++) {
			app_ctx_begin(L);
			const char *fn = order_status_name((order_status)f), *tn = order_status_name((order_status)t);
			const char *fp[] = {db_param_i64(L, oid), fn};
			CU_ASSERT_PTR_NOT_NULL_FATAL(db_exec(L, "ut_order_force", 2, fp));
			db_res *before = state();
			int64_t ev = db_i64(before, 0, "events"), ob = db_i64(before, 0, "outbox");
			CU_ASSERT_EQUAL_FATAL(db_begin(L), SOUK_OK);
			int rc = order_transition(L, oid, (order_status)t, "unit", "why");
			if (rc == SOUK_OK)
				db_commit(L);
			else
				db_rollback(L);
			bool legal_move = is_legal(fn, tn);
			CU_ASSERT_EQUAL(rc == SOUK_OK, legal_move);
			int status = L->err_status;
			app_ctx_begin(L);
			db_res *after = state();
			if (legal_move) {
				ASSERT_CSTR(db_val(after, 0, "status"), tn);
				CU_ASSERT_EQUAL(db_i64(after, 0, "events"), ev + 1);
				CU_ASSERT_EQUAL(db_i64(after, 0, "outbox"), ob + 1);
				char want[128];
				snprintf(want, sizeof(want), "%s>%s:unit:why", fn, tn);
				ASSERT_CSTR(db_val(after, 0, "last_event"), want);
				json_object *pl = js_parse(L, str_c(db_val(after, 0, "payload")));
				const char *type = NULL, *from = NULL;
				int64_t id = 0;
				CU_ASSERT_PTR_NOT_NULL_FATAL(pl);
				js_get_str(pl, "type", &type);
				js_get_str(pl, "from", &from);
				js_get_i64(pl, "order_id", &id);
				char wt[64];
				snprintf(wt, sizeof(wt), "order.%s", tn);
				for (char *p = wt; *p; p++)
					*p = (char)(*p >= 'A' && *p <= 'Z' ? *p + 32 : *p);
				ASSERT_CSTR(type, wt);
				ASSERT_CSTR(from, fn);
				CU_ASSERT_EQUAL(id, oid);
			} else {
				CU_ASSERT_EQUAL(status, 409);
				ASSERT_CSTR(db_val(after, 0, "status"), fn);
				CU_ASSERT_EQUAL(db_i64(after, 0, "events"), ev);
				CU_ASSERT_EQUAL(db_i64(after, 0, "outbox"), ob);
			}
		}
}

static void test_live_unknown(void)
{
	app_ctx_begin(L);
	CU_ASSERT_EQUAL_FATAL(db_begin(L), SOUK_OK);
	CU_ASSERT_EQUAL(order_transition(L, 999999999, ORDER_CONFIRMED, "unit", NULL), SOUK_ERR);
	CU_ASSERT_EQUAL(L->err_status, 404);
	db_rollback(L);
	app_ctx_begin(L);
	CU_ASSERT_PTR_NULL(order_find(L, "nope"));
	CU_ASSERT_EQUAL(L->err_status, 404);
}

void add_order_tests(void)
{
	CU_pSuite s = CU_add_suite("order", NULL, NULL);
	CU_add_test(s, "status names round-trip", test_names);
	CU_add_test(s, "transition table: all 49 pairs", test_table);
	CU_add_test(s, "access token comparison", test_token);
	s = CU_add_suite("order_live", live_setup, live_teardown);
	CU_add_test(s, "every pair through order_transition: event + outbox or 409", test_live_pairs);
	CU_add_test(s, "unknown order: 404", test_live_unknown);
}
