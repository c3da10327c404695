/* test_checkout: request validation (each bad field named, nothing
 * touched) and checkout_place end to end on the live stack: confirm,
 * replay, decline, out of stock. */
#include <hiredis/hiredis.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "buy_live.h"
#include "shop/checkout.h"
#include "shop/throttle.h"
#include "store/rds.h"

static checkout_req good(void)
{
	return (checkout_req){
		.cart_id = "0123456789abcdef0123456789abcdef",
		.email = "ada@example.com",
		.addr = {"Ada", "1 Main St", NULL, "Springfield", "12345", "US"},
		.shipping_method = "standard",
		.card = {"4242424242424242", 12, 2099, "123"},
		.idempotency_key = "unit-key-0001",
		.actor = "shopper",
	};
}

/* validate(rq) fails with 400 and a message containing `field` */
static void bad(checkout_req rq, const char *field)
{
	app_ctx_begin(t_c);
	CU_ASSERT_EQUAL(checkout_validate(t_c, &rq), SOUK_ERR);
	CU_ASSERT_EQUAL(t_c->err_status, 400);
	if (!t_c->err_msg || !strstr(t_c->err_msg, field)) {
		printf("\n  want '%s' in '%s'", field, t_c->err_msg ? t_c->err_msg : "");
		CU_FAIL("field not named");
	}
}

static void test_validate(void)
{
	checkout_req rq = good();
	app_ctx_begin(t_c);
	CU_ASSERT_EQUAL(checkout_validate(t_c, &rq), SOUK_OK);
	rq = good(), rq.cart_id = "short", bad(rq, "cart_id");
	rq = good(), rq.email = "no-at-sign", bad(rq, "email");
	rq = good(), rq.email = "a@b", bad(rq, "email");
	rq = good(), rq.email = "a b@example.com", bad(rq, "email");
	rq = good(), rq.email = NULL, bad(rq, "email");
	rq = good(), rq.addr.name = "", bad(rq, "shipping_address.name");
	rq = good(), rq.addr.line1 = NULL, bad(rq, "shipping_address.line1");
	rq = good(), rq.addr.city = "Spring\nfield", bad(rq, "shipping_address.city");
	rq = good(), rq.addr.postal_code = "123456789012345678901", bad(rq, "postal_code");
	rq = good(), rq.addr.country = "us", bad(rq, "country");
	rq = good(), rq.addr.country = "USA", bad(rq, "country");
	rq = good(), rq.shipping_method = "drone", bad(rq, "shipping_method");
	rq = good(), rq.idempotency_key = "short", bad(rq, "idempotency key");
	rq = good(), rq.idempotency_key = "has a space in it", bad(rq, "idempotency key");
	rq = good(), rq.card.number = "4242424242424241", bad(rq, "card_number");
	rq = good(), rq.card.exp_year = 2020, bad(rq, "expired");
	rq = good(), rq.card.cvc = "1", bad(rq, "cvc");
}

/* The canonical fingerprint: pinned (tests/integration/52 computes it in
 * Python too), defaults filled in, blind to the key, and changed by any
 * field of the request. */
static void test_fingerprint(void)
{
	app_ctx_begin(t_c);
	checkout_req a = good(), b = good();
	const char *fa = checkout_fingerprint(t_c, &a);
	CU_ASSERT_PTR_NOT_NULL_FATAL(fa);
	ASSERT_CSTR(fa, "b579257b3d9be2ba67faed21f3bcf36d198b4bbf8c75453917fba753e84ff477");
	/* the same content through other pointers, the defaults spelled out,
	 * another key or actor: the same request */
	char email[] = "ada@example.com";
	b.email = email;
	b.shipping_method = NULL;
	b.addr.line2 = "";
	b.idempotency_key = "another-key-0002";
	b.actor = "someone";
	ASSERT_CSTR(checkout_fingerprint(t_c, &b), fa);
	/* any field changes it, each to a different value */
	checkout_req v[15];
	for (int i = 0; i < 15; i++)
		v[i] = good();
	v[0].cart_id = "0123456789abcdef0123456789abcdee";
	v[1].user_id = 7;
	v[2].email = "eve@example.com";
	v[3].shipping_method = "express";
	v[4].addr.name = "Eve";
	v[5].addr.line1 = "2 Main St";
	v[6].addr.line2 = "Flat 3";
	v[7].addr.city = "Shelbyville";
	v[8].addr.postal_code = "12346";
	v[9].addr.country = "CA";
	v[10].card.number = "5555555555554444";
	v[11].card.exp_month = 11;
	v[12].card.exp_year = 2098;
	v[13].card.cvc = "124";
	/* a boundary moved between two fields is another request too */
	v[14].addr.name = "Ada1";
	v[14].addr.line1 = " Main St";
	const char *h[15];
	for (int i = 0; i < 15; i++) {
		h[i] = checkout_fingerprint(t_c, &v[i]);
		CU_ASSERT_PTR_NOT_NULL_FATAL(h[i]);
		CU_ASSERT_NOT_EQUAL(strcmp(h[i], fa), 0);
		for (int k = 0; k < i; k++)
			CU_ASSERT_NOT_EQUAL(strcmp(h[i], h[k]), 0);
	}
	/* the scope without a session: the cart's holder, hashed */
	ASSERT_CSTR(checkout_scope(t_c, &a),
	            "c:3eb1bd439947eb762998e566ccc2e099c791118b2f40579cc4f7da2b5061b7f9");
	CU_ASSERT_NOT_EQUAL(strcmp(checkout_scope(t_c, &v[0]), checkout_scope(t_c, &a)), 0);
}

/* ---- live ---- */

static const db_stmt stmts[] = {
	/* A demo offer with 10..90 units: the test buys 2 (it stays in stock,
	 * so the catalog's listing columns stay right for later checks). */
	{"ut_co_sku",
	 "SELECT o.id, o.price, q.n FROM offers o JOIN product_variants v ON v.id = o.variant_id"
	 " JOIN products p ON p.id = v.product_id"
	 " CROSS JOIN LATERAL (SELECT sum(quantity_available) AS n FROM inventory"
	 "                     WHERE sku_id = o.id) q"
	 " WHERE o.status = 'active' AND p.status = 'active' AND q.n BETWEEN 10 AND 90"
	 " ORDER BY o.id DESC LIMIT 1"},
	{"ut_co_avail", "SELECT sum(quantity_available) AS n FROM inventory WHERE sku_id = $1"},
	{"ut_co_order",
	 "SELECT status, subtotal, shipping, tax, total, (SELECT count(*) FROM payments p"
	 " WHERE p.order_id = o.id) AS payments FROM orders o WHERE id = $1"},
};

static ctx *L;
static int64_t sku, price;

static int live_setup(void)
{
	db_register(stmts, sizeof(stmts) / sizeof(stmts[0]));
	L = buy_live_ctx();
	db_res *r = db_exec(L, "ut_co_sku", 0, NULL);
	if (!r)
		return 1;
	if (db_rows(r) == 0)
		return 1;
	sku = db_i64(r, 0, "id");
	price = db_i64(r, 0, "price");
	return 0;
}

static int live_teardown(void)
{
	app_ctx_free(L);
	return 0;
}

/* A fresh cart with qty of the test sku; its id in idbuf (outlives the
 * arena). */
static void fill_cart(char *idbuf, int qty)
{
	const char *id;
	app_ctx_begin(L);
	CU_ASSERT_EQUAL_FATAL(cart_create(L, &id), SOUK_OK);
	snprintf(idbuf, 80, "%s", id);
	CU_ASSERT_EQUAL_FATAL(cart_add(L, idbuf, sku, qty), SOUK_OK);
}

static void test_place(void)
{
	char cart[80], key[64], pid[64];
	checkout_result res;
	fill_cart(cart, 2);
	snprintf(key, sizeof(key), "unit-%d-%ld-a", (int)getpid(), (long)time(NULL));
	checkout_req rq = good();
	rq.cart_id = cart;
	rq.idempotency_key = key;
	app_ctx_begin(L);
	CU_ASSERT_EQUAL_FATAL(checkout_place(L, &rq, &res), SOUK_OK);
	CU_ASSERT_EQUAL(res.outcome, CHECKOUT_CONFIRMED);
	ASSERT_CSTR(res.status, "CONFIRMED");
	snprintf(pid, sizeof(pid), "%s", res.public_id);
	int64_t oid = res.order_id;
	const char *p[] = {db_param_i64(L, oid)};
	db_res *o = db_exec(L, "ut_co_order", 1, p);
	int64_t ship = 2 * price >= 5000 ? 0 : 599;
	CU_ASSERT_EQUAL(db_i64(o, 0, "subtotal"), 2 * price);
	CU_ASSERT_EQUAL(db_i64(o, 0, "shipping"), ship);
	CU_ASSERT_EQUAL(db_i64(o, 0, "tax"), 0); /* the unit config has no tax rate */
	CU_ASSERT_EQUAL(db_i64(o, 0, "total"), 2 * price + ship);
	CU_ASSERT_EQUAL(cart_exists(L, cart), 0); /* cleared */
	/* replay: the same order, nothing new */
	app_ctx_begin(L);
	CU_ASSERT_EQUAL(checkout_place(L, &rq, &res), SOUK_OK);
	CU_ASSERT_EQUAL(res.outcome, CHECKOUT_REPLAYED);
	CU_ASSERT_EQUAL(res.order_id, oid);
	ASSERT_CSTR(res.public_id, pid);
	const char *p2[] = {db_param_i64(L, oid)};
	CU_ASSERT_EQUAL(db_i64(db_exec(L, "ut_co_order", 1, p2), 0, "payments"), 1);
	/* the same key with another request: 422, and nothing of the order */
	checkout_req other = rq;
	other.email = "mallory@example.com";
	app_ctx_begin(L);
	CU_ASSERT_EQUAL(checkout_place(L, &other, &res), SOUK_ERR);
	CU_ASSERT_EQUAL(L->err_status, 422);
	ASSERT_CSTR(L->err_code, "idempotency_mismatch");
	CU_ASSERT_EQUAL(res.outcome, CHECKOUT_FAILED);
	CU_ASSERT_EQUAL(res.order_id, 0);
	CU_ASSERT_PTR_NULL(res.access_token);
	CU_ASSERT_PTR_NULL(res.public_id);

	/* decline: cancelled, stock back, cart kept */
	fill_cart(cart, 1);
	snprintf(key, sizeof(key), "unit-%d-%ld-d", (int)getpid(), (long)time(NULL));
	rq.card.number = "4000000000009995";
	app_ctx_begin(L);
	const char *ck[3] = {0}; /* the card's counter, as the check before payment sees it */
	CU_ASSERT_EQUAL_FATAL(throttle_card_keys(L, cart, rq.card.number, ck), SOUK_OK);
	const char *card_key = arena_strdup(L->a, ck[2]);
	const char *del[] = {"DEL", card_key};
	rds_cmd(L, 2, del, NULL);
	CU_ASSERT_EQUAL(checkout_place(L, &rq, &res), SOUK_ERR);
	CU_ASSERT_EQUAL(res.outcome, CHECKOUT_DECLINED);
	CU_ASSERT_EQUAL(L->err_status, 402);
	ASSERT_CSTR(res.decline_code, "insufficient_funds");
	ASSERT_CSTR(res.status, "CANCELLED");
	CU_ASSERT_EQUAL(cart_count(L, cart), 1);
	/* the decline counted under that card's fingerprint, not under the
	 * token the card became (a new one per checkout, so a card could be
	 * tested forever) */
	const char *get[] = {"GET", card_key};
	redisReply *cnt = rds_cmd(L, 2, get, NULL);
	CU_ASSERT(cnt && cnt->type == REDIS_REPLY_STRING && strcmp(cnt->str, "1") == 0);
	rds_cmd(L, 2, del, NULL);

	/* out of stock: one more than is left */
	app_ctx_begin(L);
	const char *ap[] = {db_param_i64(L, sku)};
	int64_t left = db_i64(db_exec(L, "ut_co_avail", 1, ap), 0, "n");
	CU_ASSERT_EQUAL(cart_set(L, cart, sku, left + 1), SOUK_OK);
	snprintf(key, sizeof(key), "unit-%d-%ld-o", (int)getpid(), (long)time(NULL));
	rq.card.number = "4242424242424242";
	app_ctx_begin(L);
	CU_ASSERT_EQUAL(checkout_place(L, &rq, &res), SOUK_ERR);
	CU_ASSERT_EQUAL(res.outcome, CHECKOUT_OUT_OF_STOCK);
	CU_ASSERT_EQUAL(L->err_status, 409);
	CU_ASSERT_EQUAL(res.short_sku, sku);
	CU_ASSERT_EQUAL(res.short_wanted, left + 1);
	CU_ASSERT_EQUAL(res.short_available, left);
	CU_ASSERT_EQUAL(res.order_id, 0);
}

void add_checkout_tests(void)
{
	CU_pSuite s = CU_add_suite("checkout", t_ctx_setup, t_ctx_teardown);
	CU_add_test(s, "validation names the bad field", test_validate);
	CU_add_test(s, "idempotency: canonical fingerprint and scope", test_fingerprint);
	s = CU_add_suite("checkout_live", live_setup, live_teardown);
	CU_add_test(s, "place, replay, decline, out of stock", test_place);
}
