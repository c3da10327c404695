/* test_cart: cart ids, limits, server prices and merge on live Redis +
 * PostgreSQL; Redis down -> 503; checkout's shipping and tax arithmetic. */
#include <hiredis/hiredis.h>
#include <stdio.h>
#include <string.h>

#include "buy_live.h"
#include "shop/cart.h"
#include "shop/checkout.h"
#include "shop/session.h"

static void test_ids(void)
{
	CU_ASSERT_TRUE(cart_id_valid(STR("0123456789abcdef")));
	CU_ASSERT_TRUE(cart_id_valid(STR("AbC-_0123456789xyz")));
	CU_ASSERT_FALSE(cart_id_valid(STR("0123456789abcde")));   /* 15 */
	CU_ASSERT_FALSE(cart_id_valid(STR("0123456789abcdef:x"))); /* ':' would break the key */
	CU_ASSERT_FALSE(cart_id_valid(STR("0123456789abcdef x")));
	CU_ASSERT_FALSE(cart_id_valid(STR("../../0123456789abcdef")));
	CU_ASSERT_FALSE(cart_id_valid(STR("")));
	char big[130];
	memset(big, 'a', sizeof(big) - 1);
	big[129] = '\0';
	CU_ASSERT_FALSE(cart_id_valid(str_c(big)));
	big[128] = '\0';
	CU_ASSERT_TRUE(cart_id_valid(str_c(big)));
	/* new ids: 256 random bits as 64 lower-case hex, never the same twice */
	app_ctx_begin(t_c);
	const char *a = cart_new_id(t_c->a), *b = cart_new_id(t_c->a);
	CU_ASSERT_PTR_NOT_NULL_FATAL(a);
	CU_ASSERT_PTR_NOT_NULL_FATAL(b);
	CU_ASSERT_EQUAL(strlen(a), 2 * CART_ID_BYTES);
	CU_ASSERT_EQUAL(strspn(a, "0123456789abcdef"), 64);
	CU_ASSERT_TRUE(cart_id_valid(str_c(a)));
	CU_ASSERT_NOT_EQUAL(strcmp(a, b), 0);
}

/* The ownership rule: an owned cart only for its owner; an unowned one
 * only when it is an API cart; a stored cart with neither is nobody's. */
static void test_owner_rule(void)
{
	CU_ASSERT_TRUE(cart_owner_may("u:1", false, "u:1"));
	CU_ASSERT_FALSE(cart_owner_may("u:1", false, "u:2"));
	CU_ASSERT_FALSE(cart_owner_may("u:1", false, "u:10"));
	CU_ASSERT_FALSE(cart_owner_may("u:1", false, NULL));  /* an API client by id alone */
	CU_ASSERT_FALSE(cart_owner_may("u:1", true, NULL));   /* an owner wins over the mark */
	CU_ASSERT_FALSE(cart_owner_may("s:ab", false, "u:1"));
	CU_ASSERT_TRUE(cart_owner_may(NULL, true, NULL));     /* API cart: a bearer capability */
	CU_ASSERT_TRUE(cart_owner_may("", true, "s:ab"));
	CU_ASSERT_FALSE(cart_owner_may(NULL, false, NULL));   /* old user_... / session-id carts */
	CU_ASSERT_FALSE(cart_owner_may("", false, "u:1"));
	/* the caller tag: none without a session */
	app_ctx_begin(t_c);
	CU_ASSERT_PTR_NULL(cart_caller(t_c));
}

static void test_totals(void)
{
	CU_ASSERT_EQUAL(checkout_shipping_cost("standard", 4999), 599);
	CU_ASSERT_EQUAL(checkout_shipping_cost("standard", 5000), 0);
	CU_ASSERT_EQUAL(checkout_shipping_cost(NULL, 100), 599);
	CU_ASSERT_EQUAL(checkout_shipping_cost("express", 100000), 1499);
	CU_ASSERT_EQUAL(checkout_shipping_cost("teleport", 100), -1);
	CU_ASSERT_EQUAL(checkout_tax(5198, 800), 416);  /* 415.84 */
	CU_ASSERT_EQUAL(checkout_tax(2599, 800), 208);  /* 207.92 */
	CU_ASSERT_EQUAL(checkout_tax(1, 5000), 1);      /* 0.5 rounds up */
	CU_ASSERT_EQUAL(checkout_tax(1, 4999), 0);
	CU_ASSERT_EQUAL(checkout_tax(0, 800), 0);
	CU_ASSERT_EQUAL(checkout_tax(10000, 0), 0);
}

static void test_redis_down(void)
{
	app_ctx_begin(t_c);
	CU_ASSERT_EQUAL(cart_count(t_c, "0123456789abcdef0123"), -1);
	CU_ASSERT_EQUAL(cart_create(t_c, &(const char *){NULL}), SOUK_ERR);
	CU_ASSERT_EQUAL(t_c->err_status, 503);
	app_ctx_begin(t_c);
	cart k;
	CU_ASSERT_EQUAL(cart_get(t_c, "0123456789abcdef0123", &k), SOUK_ERR);
	CU_ASSERT_EQUAL(t_c->err_status, 503);
	app_ctx_begin(t_c);
	CU_ASSERT_EQUAL(cart_get(t_c, "bad id", &k), SOUK_ERR);
	CU_ASSERT_EQUAL(t_c->err_status, 400);
}

/* ---- live ---- */

static const db_stmt stmts[] = {
	{"ut_cart_skus",
	 "SELECT o.id, o.price FROM offers o JOIN product_variants v ON v.id = o.variant_id"
	 " JOIN products p ON p.id = v.product_id WHERE o.status = 'active' AND p.status = 'active'"
	 " ORDER BY o.id LIMIT 3"},
};

static ctx *L;
static int64_t sku[3], price[3];

static int live_setup(void)
{
	db_register(stmts, sizeof(stmts) / sizeof(stmts[0]));
	L = buy_live_ctx();
	db_res *r = db_exec(L, "ut_cart_skus", 0, NULL);
	if (!r || db_rows(r) < 3)
		return 1;
	for (int i = 0; i < 3; i++) {
		sku[i] = db_i64(r, i, "id");
		price[i] = db_i64(r, i, "price");
	}
	return 0;
}

static int live_teardown(void)
{
	app_ctx_free(L);
	return 0;
}

static const char *raw(const char *id, int64_t s)
{
	char key[200], field[32];
	snprintf(key, sizeof(key), "cart:%s", id);
	snprintf(field, sizeof(field), "%lld", (long long)s);
	const char *argv[] = {"HGET", key, field};
	size_t lens[] = {4, strlen(key), strlen(field)};
	redisReply *r = rds_cmd(L, 3, argv, lens);
	return r && r->type == REDIS_REPLY_STRING ? r->str : NULL;
}

/* A cart id that outlives app_ctx_begin (the arena copy does not). */
static const char *keep(char *dst, const char *id)
{
	snprintf(dst, 80, "%s", id);
	return dst;
}

static void test_live_cart(void)
{
	app_ctx_begin(L);
	const char *tmp, *id;
	char idbuf[80];
	CU_ASSERT_EQUAL_FATAL(cart_create(L, &tmp), SOUK_OK);
	id = keep(idbuf, tmp);
	CU_ASSERT_EQUAL(strlen(id), 64);
	CU_ASSERT_EQUAL(cart_exists(L, id), 1);
	CU_ASSERT_EQUAL(cart_exists(L, "0000000000000000ffff"), 0);
	CU_ASSERT_EQUAL(cart_count(L, id), 0);
	CU_ASSERT_EQUAL(cart_add(L, id, sku[0], 2), SOUK_OK);
	CU_ASSERT_EQUAL(cart_add(L, id, sku[0], 3), SOUK_OK);
	CU_ASSERT_EQUAL(cart_add(L, id, sku[1], 1), SOUK_OK);
	CU_ASSERT_EQUAL(cart_count(L, id), 6);
	/* limits: nothing stored on refusal */
	CU_ASSERT_EQUAL(cart_add(L, id, sku[0], 95), SOUK_ERR);
	CU_ASSERT_EQUAL(L->err_status, 400);
	app_ctx_begin(L);
	ASSERT_CSTR(raw(id, sku[0]), "5");
	CU_ASSERT_EQUAL(cart_add(L, id, sku[2], 0), SOUK_ERR);
	CU_ASSERT_EQUAL(L->err_status, 400);
	app_ctx_begin(L);
	CU_ASSERT_EQUAL(cart_add(L, id, sku[2], 100), SOUK_ERR);
	app_ctx_begin(L);
	CU_ASSERT_EQUAL(cart_add(L, id, 987654321, 1), SOUK_ERR);
	CU_ASSERT_EQUAL(L->err_status, 400);
	ASSERT_CSTR(L->err_code, "unknown_sku");
	app_ctx_begin(L);
	CU_ASSERT_PTR_NULL(raw(id, sku[2]));
	CU_ASSERT_PTR_NULL(raw(id, 987654321));
	CU_ASSERT_EQUAL(cart_set(L, id, sku[2], 1), SOUK_ERR); /* not in the cart */
	CU_ASSERT_EQUAL(L->err_status, 404);
	app_ctx_begin(L);
	CU_ASSERT_EQUAL(cart_set(L, id, sku[0], 99), SOUK_OK);
	ASSERT_CSTR(raw(id, sku[0]), "99");
	/* priced from PostgreSQL, in sku order */
	cart k;
	CU_ASSERT_EQUAL_FATAL(cart_get(L, id, &k), SOUK_OK);
	CU_ASSERT_EQUAL_FATAL(k.nlines, 2);
	CU_ASSERT_EQUAL(k.lines[0].sku_id, sku[0]);
	CU_ASSERT_EQUAL(k.lines[0].unit_price, price[0]);
	CU_ASSERT_EQUAL(k.lines[0].line_total, price[0] * 99);
	CU_ASSERT_EQUAL(k.lines[1].qty, 1);
	CU_ASSERT_EQUAL(k.subtotal, price[0] * 99 + price[1]);
	CU_ASSERT_EQUAL(k.count, 100);
	CU_ASSERT_TRUE(k.lines[0].active);
	CU_ASSERT_PTR_NOT_NULL(k.lines[0].title);
	/* remove, clear */
	CU_ASSERT_EQUAL(cart_remove(L, id, sku[1]), SOUK_OK);
	CU_ASSERT_EQUAL(cart_remove(L, id, sku[1]), SOUK_OK);
	CU_ASSERT_EQUAL(cart_count(L, id), 99);
	CU_ASSERT_EQUAL(cart_clear(L, id), SOUK_OK);
	CU_ASSERT_EQUAL(cart_exists(L, id), 0);
	CU_ASSERT_EQUAL(cart_count(L, id), 0);
}

static void test_live_merge(void)
{
	app_ctx_begin(L);
	const char *tmp, *guest, *user;
	char gbuf[80], ubuf[80];
	CU_ASSERT_EQUAL_FATAL(cart_create(L, &tmp), SOUK_OK);
	guest = keep(gbuf, tmp);
	CU_ASSERT_EQUAL_FATAL(cart_create(L, &tmp), SOUK_OK);
	user = keep(ubuf, tmp);
	CU_ASSERT_EQUAL(cart_add(L, guest, sku[0], 60), SOUK_OK);
	CU_ASSERT_EQUAL(cart_add(L, guest, sku[1], 2), SOUK_OK);
	CU_ASSERT_EQUAL(cart_add(L, user, sku[0], 50), SOUK_OK);
	CU_ASSERT_EQUAL(cart_add(L, user, sku[2], 1), SOUK_OK);
	CU_ASSERT_EQUAL(cart_merge(L, guest, NULL, user), SOUK_OK);
	ASSERT_CSTR(raw(user, sku[0]), "99"); /* 110 capped */
	ASSERT_CSTR(raw(user, sku[1]), "2");
	ASSERT_CSTR(raw(user, sku[2]), "1");
	CU_ASSERT_EQUAL(cart_exists(L, guest), 0);
	CU_ASSERT_EQUAL(cart_merge(L, guest, NULL, user), SOUK_OK); /* nothing left to merge */
	CU_ASSERT_EQUAL(cart_count(L, user), 102);
	cart_clear(L, user);
}

/* A new request on L carrying the session cookie `id` (NULL: none). */
static void as_session(const char *id)
{
	app_ctx_begin(L);
	char cookie[160];
	snprintf(cookie, sizeof(cookie), "HTTP_COOKIE=souk_session=%s", id ? id : "");
	char *env[] = {"REQUEST_METHOD=POST", "REQUEST_URI=/x", id ? cookie : NULL, NULL};
	const char *why;
	CU_ASSERT_EQUAL_FATAL(t_req(L, env, &why), 0);
}

/* A storefront cart: a random id kept in the session, owned by it; any
 * other session and any client without one is told it does not exist. */
static void test_live_owned(void)
{
	char a[80], b[80], id[80];
	as_session(NULL);
	session *s = session_ensure(L);
	CU_ASSERT_PTR_NOT_NULL_FATAL(s);
	keep(a, s->id);
	as_session(NULL);
	s = session_ensure(L);
	CU_ASSERT_PTR_NOT_NULL_FATAL(s);
	keep(b, s->id);
	as_session(a);
	CU_ASSERT_PTR_NULL(cart_of_session(L)); /* none until the first add */
	const char *tmp = cart_for_session(L);
	CU_ASSERT_PTR_NOT_NULL_FATAL(tmp);
	keep(id, tmp);
	CU_ASSERT_EQUAL(strlen(id), 64);
	CU_ASSERT_NOT_EQUAL(strcmp(id, a), 0); /* not the session id */
	CU_ASSERT_EQUAL(cart_add(L, id, sku[0], 2), SOUK_OK);
	as_session(a);
	ASSERT_CSTR(cart_of_session(L), id);
	CU_ASSERT_EQUAL(cart_exists(L, id), 1);
	CU_ASSERT_EQUAL(cart_count(L, id), 2);
	for (int who = 0; who < 2; who++) {
		const char *other = who ? NULL : b;
		cart k;
		as_session(other);
		CU_ASSERT_EQUAL(cart_exists(L, id), 0);
		CU_ASSERT_EQUAL(cart_count(L, id), 0);
		CU_ASSERT_EQUAL(cart_get(L, id, &k), SOUK_ERR);
		CU_ASSERT_EQUAL(L->err_status, 404);
		as_session(other);
		CU_ASSERT_EQUAL(cart_add(L, id, sku[1], 1), SOUK_ERR);
		CU_ASSERT_EQUAL(L->err_status, 404);
		as_session(other);
		CU_ASSERT_EQUAL(cart_set(L, id, sku[0], 5), SOUK_ERR);
		CU_ASSERT_EQUAL(L->err_status, 404);
		as_session(other);
		CU_ASSERT_EQUAL(cart_remove(L, id, sku[0]), SOUK_ERR);
		CU_ASSERT_EQUAL(L->err_status, 404);
		as_session(other);
		CU_ASSERT_EQUAL(cart_clear(L, id), SOUK_ERR);
		CU_ASSERT_EQUAL(L->err_status, 404);
	}
	as_session(a);
	ASSERT_CSTR(raw(id, sku[0]), "2"); /* unchanged */
	CU_ASSERT_PTR_NULL(raw(id, sku[1]));
	/* a client without a session makes no cart under a chosen id */
	as_session(NULL);
	CU_ASSERT_EQUAL(cart_add(L, "0123456789abcdef0123456789abcdef", sku[0], 1), SOUK_ERR);
	CU_ASSERT_EQUAL(L->err_status, 404);
	as_session(a);
	CU_ASSERT_EQUAL(cart_clear(L, id), SOUK_OK);
}

void add_cart_tests(void)
{
	CU_pSuite s = CU_add_suite("cart", t_ctx_setup, t_ctx_teardown);
	CU_add_test(s, "cart ids", test_ids);
	CU_add_test(s, "cart ownership rule", test_owner_rule);
	CU_add_test(s, "checkout shipping and tax arithmetic", test_totals);
	CU_add_test(s, "Redis down: 503 / -1, bad id 400", test_redis_down);
	s = CU_add_suite("cart_live", live_setup, live_teardown);
	CU_add_test(s, "add, limits, set, server prices, remove, clear", test_live_cart);
	CU_add_test(s, "guest cart merges into the user's, capped", test_live_merge);
	CU_add_test(s, "a session's cart is nobody else's", test_live_owned);
}
