/* test_checkout: request validation (each bad field named, nothing
 * touched) and checkout_place end to end on the live stack: confirm,
 * replay, decline, out of stock; a provider that is down: deferred
 * authorization (payment method) or 503 (card number), then the worker's
 * checkout_defer confirming or cancelling. */
#include <hiredis/hiredis.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "buy_live.h"
#include "shop/checkout.h"
#include "shop/checkout_defer.h"
#include "shop/pay_sandbox.h"
#include "shop/pay_seal.h"
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
	/* a deferred authorization's state; $2: seconds until it is due (the
	 * test stack's worker must leave it to this test) */
	{"ut_co_defer",
	 "WITH u AS (UPDATE payment_ops SET next_at = now() + make_interval(secs => $2)"
	 "           WHERE order_id = $1 AND op = 'authorize' RETURNING status, result)"
	 " SELECT o.status || '|' || p.status || '|' || COALESCE((SELECT string_agg(u.status || ':'"
	 "  || COALESCE(u.result, ''), ',') FROM u), 'none') || '|' || (SELECT string_agg(DISTINCT"
	 "  r.status, ',') FROM reservations r WHERE r.order_id = o.id) AS s,"
	 " (SELECT count(*) FROM outbox b WHERE b.key = o.public_id"
	 "  AND b.payload->>'type' = 'payment.declined') AS declined_events"
	 " FROM orders o JOIN payments p ON p.order_id = o.id WHERE o.id = $1"},
	{"ut_co_by_key",
	 "SELECT count(*) FILTER (WHERE status = 'PENDING') AS pending, count(*) AS n FROM orders"
	 " WHERE idempotency_key LIKE $1 || '%'"},
	{"ut_co_sealed",
	 "SELECT COALESCE(sealed_card, '-') AS s FROM payment_ops WHERE order_id = $1 AND op = 'authorize'"},
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

/* A provider that cannot be reached at authorize (the sandbox otherwise). */
static int down_calls;
static int down_authorize(ctx *c, const char *key, int64_t amount, const char *currency,
                          const pay_card *card, pay_result *out)
{
	(void)key, (void)amount, (void)currency, (void)card, (void)out;
	down_calls++;
	return ctx_fail(c, 503, "payment_unavailable", "unit: the provider is down");
}

static int down_tokenize(ctx *c, const pay_card *card, pay_result *out)
{
	(void)card, (void)out;
	return ctx_fail(c, 503, "payment_unavailable", "unit: the provider is down");
}

/* The deferred authorization's state "order|payment|intent|reservations";
 * due: make it due now (1) or keep the worker off it (0). */
static const char *defer_state(int64_t oid, bool due, int64_t *declined_events)
{
	const char *p[] = {db_param_i64(L, oid), due ? "0" : "3600"};
	db_res *r = db_exec(L, "ut_co_defer", 2, p);
	CU_ASSERT_PTR_NOT_NULL_FATAL(r);
	CU_ASSERT_EQUAL_FATAL(db_rows(r), 1);
	if (declined_events)
		*declined_events = db_i64(r, 0, "declined_events");
	return db_val(r, 0, "s");
}

/* Places with the provider down and a payment method: PENDING; a replay
 * asks no provider. Returns the order id. */
static int64_t place_deferred(checkout_req *rq, const char *cart)
{
	checkout_result res;
	pay_provider down = pay_sandbox;
	down.authorize = down_authorize;
	pay_use(&down);
	down_calls = 0;
	app_ctx_begin(L);
	int rc = checkout_place(L, rq, &res);
	pay_use(&pay_sandbox);
	CU_ASSERT_EQUAL_FATAL(rc, SOUK_OK);
	CU_ASSERT_EQUAL(res.outcome, CHECKOUT_PENDING);
	ASSERT_CSTR(res.status, "PENDING");
	CU_ASSERT_EQUAL(down_calls, 1);
	CU_ASSERT_EQUAL(cart_exists(L, cart), 0); /* the order is taken */
	int64_t oid = res.order_id;
	ASSERT_CSTR(defer_state(oid, false, NULL), "PENDING|authorizing|pending:|held");
	pay_use(&down);
	app_ctx_begin(L);
	rc = checkout_place(L, rq, &res);
	pay_use(&pay_sandbox);
	CU_ASSERT_EQUAL(rc, SOUK_OK);
	CU_ASSERT_EQUAL(res.outcome, CHECKOUT_REPLAYED);
	CU_ASSERT_EQUAL(res.order_id, oid);
	ASSERT_CSTR(res.status, "PENDING");
	CU_ASSERT_EQUAL(down_calls, 1); /* the worker's, not the replay's */
	return oid;
}

static void test_place_deferred(void)
{
	char cart[80], key[64], tok[80];
	checkout_result res;
	pay_card card = {.number = "4242424242424242", .exp_month = 12, .exp_year = 2099,
	                 .cvc = "123"};
	pay_result pm;
	app_ctx_begin(L);
	CU_ASSERT_EQUAL_FATAL(pay_sandbox.tokenize(L, &card, &pm), SOUK_OK);
	snprintf(tok, sizeof(tok), "%s", pm.provider_ref);

	/* approved later: CONFIRMED once, the intent closed */
	fill_cart(cart, 1);
	checkout_req rq = good();
	rq.cart_id = cart;
	rq.card = (pay_card){.token = tok};
	snprintf(key, sizeof(key), "unit-%d-%ld-p", (int)getpid(), (long)time(NULL));
	rq.idempotency_key = key;
	int64_t oid = place_deferred(&rq, cart);
	app_ctx_begin(L);
	defer_state(oid, true, NULL);
	int ran = 0;
	CU_ASSERT_EQUAL(checkout_defer_run_due(L, 1000, &ran), SOUK_OK);
	app_ctx_begin(L);
	const char *s = defer_state(oid, true, NULL);
	/* billing (the stack's worker) may have captured it already */
	CU_ASSERT(strcmp(s, "CONFIRMED|authorized|done:authorized|committed") == 0 ||
	          strcmp(s, "CONFIRMED|captured|done:authorized|committed") == 0);
	app_ctx_begin(L);
	CU_ASSERT_EQUAL(checkout_place(L, &rq, &res), SOUK_OK); /* the replay now: confirmed */
	CU_ASSERT_EQUAL(res.outcome, CHECKOUT_REPLAYED);
	ASSERT_CSTR(res.status, "CONFIRMED");

	/* declined later: CANCELLED, the stock back once, the shopper's event */
	card.number = "4000000000000002";
	app_ctx_begin(L);
	CU_ASSERT_EQUAL_FATAL(pay_sandbox.tokenize(L, &card, &pm), SOUK_OK);
	snprintf(tok, sizeof(tok), "%s", pm.provider_ref);
	app_ctx_begin(L);
	const char *ap[] = {db_param_i64(L, sku)};
	int64_t avail = db_i64(db_exec(L, "ut_co_avail", 1, ap), 0, "n");
	fill_cart(cart, 2);
	rq.cart_id = cart;
	rq.card = (pay_card){.token = tok};
	snprintf(key, sizeof(key), "unit-%d-%ld-q", (int)getpid(), (long)time(NULL));
	oid = place_deferred(&rq, cart);
	app_ctx_begin(L);
	const char *ap2[] = {db_param_i64(L, sku)};
	CU_ASSERT_EQUAL(db_i64(db_exec(L, "ut_co_avail", 1, ap2), 0, "n"), avail - 2);
	defer_state(oid, true, NULL);
	CU_ASSERT_EQUAL(checkout_defer_run_due(L, 1000, &ran), SOUK_OK);
	for (int round = 0; round < 2; round++) { /* a second round changes nothing */
		app_ctx_begin(L);
		int64_t ev = 0;
		ASSERT_CSTR(defer_state(oid, true, &ev), "CANCELLED|failed|done:declined|released");
		CU_ASSERT_EQUAL(ev, 1);
		const char *ap3[] = {db_param_i64(L, sku)};
		CU_ASSERT_EQUAL(db_i64(db_exec(L, "ut_co_avail", 1, ap3), 0, "n"), avail);
		CU_ASSERT_EQUAL(checkout_defer_run_due(L, 1000, &ran), SOUK_OK);
	}

	/* a card number whose authorization cannot reach the provider: the
	 * token the provider has just made of it waits like a payment method */
	fill_cart(cart, 1);
	rq = good();
	rq.cart_id = cart;
	snprintf(key, sizeof(key), "unit-%d-%ld-r", (int)getpid(), (long)time(NULL));
	rq.idempotency_key = key;
	oid = place_deferred(&rq, cart);
	app_ctx_begin(L);
	defer_state(oid, true, NULL);
	CU_ASSERT_EQUAL(checkout_defer_run_due(L, 1000, &ran), SOUK_OK);
	app_ctx_begin(L);
	s = defer_state(oid, true, NULL);
	CU_ASSERT(strcmp(s, "CONFIRMED|authorized|done:authorized|committed") == 0 ||
	          strcmp(s, "CONFIRMED|captured|done:authorized|committed") == 0);

	/* a card number the provider cannot even tokenise, and no key to seal
	 * it with (only souk-payd's cards are sealed; this is the sandbox):
	 * 503 with nothing written, the cart kept for the retry */
	fill_cart(cart, 1);
	rq = good();
	rq.cart_id = cart;
	snprintf(key, sizeof(key), "unit-%d-%ld-s", (int)getpid(), (long)time(NULL));
	rq.idempotency_key = key;
	pay_provider down = pay_sandbox;
	down.tokenize = down_tokenize;
	pay_use(&down);
	app_ctx_begin(L);
	int rc = checkout_place(L, &rq, &res);
	pay_use(&pay_sandbox);
	CU_ASSERT_EQUAL(rc, SOUK_ERR);
	CU_ASSERT_EQUAL(L->err_status, 503);
	app_ctx_begin(L);
	const char *kp[] = {key};
	db_res *k = db_exec(L, "ut_co_by_key", 1, kp);
	CU_ASSERT_EQUAL(db_i64(k, 0, "n"), 0); /* no order at all */
	CU_ASSERT_EQUAL(cart_count(L, cart), 1);
}

/* A card the storefront's payment step sealed while the provider was down
 * (pay_seal_keys_tokenize): checkout_place takes it as it is (it tries to
 * tokenise it first) and, the provider still down, defers it with that
 * blob on the intent, asking no authorization; a provider that cannot
 * open it (the sandbox; souk-payd, which has no such key) declines it
 * cleanly and the blob is erased. */
static void test_place_sealed(void)
{
	static char sealed_copy[2048]; /* outlives the arena resets below */
	char cart[80], key[64];
	checkout_result res;
	fill_cart(cart, 1);
	checkout_req rq = good();
	rq.cart_id = cart;
	snprintf(key, sizeof(key), "unit-%d-%ld-x", (int)getpid(), (long)time(NULL));
	rq.idempotency_key = key;
	app_ctx_begin(L);
	const char *kid, *priv, *pub, *sealed;
	CU_ASSERT_EQUAL_FATAL(pay_seal_keygen(L, &kid, &priv, &pub), SOUK_OK);
	CU_ASSERT_EQUAL_FATAL(pay_seal_card(L, kid, pub, &rq.card, &sealed), SOUK_OK);
	snprintf(sealed_copy, sizeof(sealed_copy), "%s", sealed);
	rq.card = (pay_card){.sealed = sealed_copy};
	pay_provider down = pay_sandbox;
	down.name = "payd"; /* only souk-payd's cards are sealed */
	down.tokenize = down_tokenize;
	down.authorize = down_authorize;
	pay_use(&down);
	down_calls = 0;
	app_ctx_begin(L);
	int rc = checkout_place(L, &rq, &res);
	pay_use(&pay_sandbox);
	CU_ASSERT_EQUAL_FATAL(rc, SOUK_OK);
	CU_ASSERT_EQUAL(res.outcome, CHECKOUT_PENDING);
	CU_ASSERT_EQUAL(down_calls, 0); /* a sealed card is never sent to authorize */
	CU_ASSERT_EQUAL(cart_exists(L, cart), 0);
	int64_t oid = res.order_id;
	app_ctx_begin(L);
	ASSERT_CSTR(defer_state(oid, false, NULL), "PENDING|authorizing|pending:|held");
	const char *p[] = {db_param_i64(L, oid)};
	ASSERT_CSTR(db_val(db_exec(L, "ut_co_sealed", 1, p), 0, "s"), sealed_copy);
	/* the form sent twice: the same order, nothing asked of the provider */
	pay_use(&down);
	app_ctx_begin(L);
	rc = checkout_place(L, &rq, &res);
	pay_use(&pay_sandbox);
	CU_ASSERT_EQUAL(rc, SOUK_OK);
	CU_ASSERT_EQUAL(res.outcome, CHECKOUT_REPLAYED);
	CU_ASSERT_EQUAL(res.order_id, oid);
	CU_ASSERT_EQUAL(down_calls, 0);
	app_ctx_begin(L);
	defer_state(oid, true, NULL);
	int ran = 0;
	CU_ASSERT_EQUAL(checkout_defer_run_due(L, 1000, &ran), SOUK_OK);
	app_ctx_begin(L);
	ASSERT_CSTR(defer_state(oid, true, NULL), "CANCELLED|failed|done:declined|released");
	const char *p2[] = {db_param_i64(L, oid)};
	ASSERT_CSTR(db_val(db_exec(L, "ut_co_sealed", 1, p2), 0, "s"), "-");
	/* a malformed sealed card is the caller's 400, nothing written */
	fill_cart(cart, 1);
	rq = good();
	rq.cart_id = cart;
	snprintf(key, sizeof(key), "unit-%d-%ld-y", (int)getpid(), (long)time(NULL));
	rq.idempotency_key = key;
	rq.card = (pay_card){.sealed = "sk1.not-a-key.AAAA"};
	app_ctx_begin(L);
	CU_ASSERT_EQUAL(checkout_place(L, &rq, &res), SOUK_ERR);
	CU_ASSERT_EQUAL(L->err_status, 400);
	app_ctx_begin(L);
	const char *kp[] = {key};
	CU_ASSERT_EQUAL(db_i64(db_exec(L, "ut_co_by_key", 1, kp), 0, "n"), 0);
}

void add_checkout_tests(void)
{
	CU_pSuite s = CU_add_suite("checkout", t_ctx_setup, t_ctx_teardown);
	CU_add_test(s, "validation names the bad field", test_validate);
	CU_add_test(s, "idempotency: canonical fingerprint and scope", test_fingerprint);
	s = CU_add_suite("checkout_live", live_setup, live_teardown);
	CU_add_test(s, "place, replay, decline, out of stock", test_place);
	CU_add_test(s, "provider down: deferred authorization (a token, a card number's fresh token), or 503 for an untokenised card", test_place_deferred);
	CU_add_test(s, "a card sealed at the storefront's payment step: deferred with its blob, declined cleanly when it does not open", test_place_sealed);
}
