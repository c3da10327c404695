/* test_seller: lib/shop/seller — API key format, hashing (SHA-256, never
 * the key itself), and create / verify / revoke on the live database,
 * scoped to the key's seller. */
#include <stdlib.h>
#include <string.h>

#include "shop/catalog.h"
#include "shop/seller.h"
#include "shop/seller_warehouse.h"
#include "shop/seller_offer.h"
#include "store/db.h"
#include "tests.h"

static ctx *L;

/* The sellers this suite makes are removed again: the integration
 * scripts that follow count the demo catalog's sellers. */
static const db_stmt t_seller_sql[] = {
	{"t_seller_cleanup",
	 "WITH k AS (DELETE FROM seller_api_keys WHERE seller_id = ANY ($1::bigint[])),"
	 " w AS (DELETE FROM warehouses WHERE seller_id = ANY ($1::bigint[]))"
	 " DELETE FROM sellers WHERE id = ANY ($1::bigint[])"},
	/* a withdrawn product of seller 1 (the demo catalog's counts and
	 * listings stay as they are) with one offer, 3 in stock */
	{"t_refresh_product",
	 "WITH p AS (INSERT INTO products (ref, title, category_id, seller_id, sales_rank, status)"
	 "           VALUES ('UTR-' || md5(random()::text), 'Refresh test', (SELECT min(id) FROM categories),"
	 "                   1, 999999, 'withdrawn') RETURNING id),"
	 " v AS (INSERT INTO product_variants (product_id, sku, price)"
	 "       SELECT id, 'UTRV-' || md5(random()::text), 700 FROM p RETURNING id, product_id),"
	 " o AS (INSERT INTO offers (variant_id, seller_id, sku, price, fulfillment)"
	 "       SELECT id, 1, 'UTRO-' || md5(random()::text), 700, 'FBA' FROM v RETURNING id, variant_id),"
	 " i AS (INSERT INTO inventory (sku_id, warehouse_id, quantity_available) SELECT id, 1, 3 FROM o)"
	 " SELECT v.product_id, o.id AS offer_id FROM v JOIN o ON o.variant_id = v.id"},
	{"t_refresh_row",
	 "SELECT xmin::text AS x, COALESCE(price_min, -1) AS price_min, in_stock FROM products WHERE id = $1"},
	{"t_refresh_qty", "UPDATE inventory SET quantity_available = $2 WHERE sku_id = $1"},
	/* and gone again (05-catalog-data counts every product) */
	{"t_refresh_rm_inventory", "DELETE FROM inventory WHERE sku_id = $1"},
	{"t_refresh_rm_offer", "DELETE FROM offers WHERE id = $1"},
	{"t_refresh_rm_variant", "DELETE FROM product_variants WHERE product_id = $1"},
	{"t_refresh_rm_product", "DELETE FROM products WHERE id = $1"},
};

static int setup(void)
{
	seller_register(); /* before the connection prepares its statements */
	db_register(t_seller_sql, sizeof(t_seller_sql) / sizeof(t_seller_sql[0]));
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

static void test_key_format(void)
{
	char k[SELLER_KEY_LEN + 1];
	memcpy(k, "sk_", 3);
	memset(k + 3, 'a', 64);
	k[SELLER_KEY_LEN] = '\0';
	CU_ASSERT_TRUE(seller_key_well_formed(str_c(k)));
	k[10] = 'A'; /* upper case is not ours */
	CU_ASSERT_FALSE(seller_key_well_formed(str_c(k)));
	k[10] = 'g';
	CU_ASSERT_FALSE(seller_key_well_formed(str_c(k)));
	k[10] = 'a';
	CU_ASSERT_FALSE(seller_key_well_formed((str){k, SELLER_KEY_LEN - 1}));
	CU_ASSERT_FALSE(seller_key_well_formed(str_c("")));
	k[0] = 'p';
	CU_ASSERT_FALSE(seller_key_well_formed(str_c(k)));
}

static void test_key_hash(void)
{
	/* SHA-256("abc") */
	const char *h = seller_key_hash(L->a, STR("abc"));
	CU_ASSERT_STRING_EQUAL(h, "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
	const char *h1 = seller_key_hash(L->a, STR("sk_00"));
	const char *h2 = seller_key_hash(L->a, STR("sk_01"));
	CU_ASSERT_EQUAL(strlen(h1), 64);
	CU_ASSERT_NOT_EQUAL(strcmp(h1, h2), 0);
}

static void test_actor(void)
{
	CU_ASSERT_STRING_EQUAL(seller_actor(L->a, 42), "seller:42");
	CU_ASSERT_STRING_EQUAL(seller_actor(L->a, INT64_MAX), "seller:9223372036854775807");
}

static void test_key_lifecycle(void)
{
	if (!db_ping(L)) {
		CU_PASS("no database: skipped");
		return;
	}
	ctx_begin(L);
	int64_t a = 0, b = 0, kid = 0, kid2 = 0;
	CU_ASSERT_EQUAL_FATAL(seller_create(L, STR("Unit seller A"), &a), SOUK_OK);
	CU_ASSERT_EQUAL_FATAL(seller_create(L, STR("Unit seller B"), &b), SOUK_OK);
	CU_ASSERT(seller_default_warehouse(L, a) > 0);
	const char *key = NULL, *key2 = NULL;
	CU_ASSERT_EQUAL_FATAL(seller_key_create(L, a, STR("unit"), &key, &kid), SOUK_OK);
	CU_ASSERT_TRUE(seller_key_well_formed(str_c(key)));
	CU_ASSERT_EQUAL_FATAL(seller_key_create(L, a, STR(""), &key2, &kid2), SOUK_OK);
	CU_ASSERT_NOT_EQUAL(strcmp(key, key2), 0);
	seller_who who;
	CU_ASSERT_EQUAL(seller_key_verify(L, str_c(key), &who), SOUK_OK);
	CU_ASSERT_EQUAL(who.id, a);
	CU_ASSERT_FALSE(who.suspended);
	/* the table holds the hash, never the key */
	db_res *r = seller_key_list(L, a);
	CU_ASSERT_EQUAL_FATAL(db_rows(r), 2);
	CU_ASSERT_EQUAL(strncmp(db_val(r, 1, "prefix"), key, SELLER_KEY_SHOWN), 0);
	CU_ASSERT(strlen(db_val(r, 1, "prefix")) < 20);
	/* another seller cannot revoke it: 404, and it still works */
	CU_ASSERT_EQUAL(seller_key_revoke(L, b, kid), SOUK_ERR);
	CU_ASSERT_EQUAL(L->err_status, 404);
	ctx_clear(L);
	CU_ASSERT_EQUAL(seller_key_verify(L, str_c(key), &who), SOUK_OK);
	/* its seller can; twice is fine; then 401 */
	CU_ASSERT_EQUAL(seller_key_revoke(L, a, kid), SOUK_OK);
	CU_ASSERT_EQUAL(seller_key_revoke(L, a, kid), SOUK_OK);
	CU_ASSERT_EQUAL(seller_key_verify(L, str_c(key), &who), SOUK_ERR);
	CU_ASSERT_EQUAL(L->err_status, 401);
	ctx_clear(L);
	CU_ASSERT_EQUAL(seller_key_verify(L, str_c(key2), &who), SOUK_OK);
	/* a one-character change is an unknown key */
	char bad[SELLER_KEY_LEN + 1];
	memcpy(bad, key2, sizeof(bad));
	bad[20] = bad[20] == 'a' ? 'b' : 'a';
	CU_ASSERT_EQUAL(seller_key_verify(L, str_c(bad), &who), SOUK_ERR);
	CU_ASSERT_EQUAL(L->err_status, 401);
	ctx_clear(L);
	/* a suspended seller's key still signs in (open orders), flagged */
	CU_ASSERT_EQUAL(seller_suspend(L, a, "unit"), SOUK_OK);
	CU_ASSERT_EQUAL(seller_key_verify(L, str_c(key2), &who), SOUK_OK);
	CU_ASSERT_TRUE(who.suspended);
	CU_ASSERT_EQUAL(seller_suspend(L, a, "unit"), SOUK_ERR); /* already suspended */
	CU_ASSERT_EQUAL(L->err_status, 409);
	ctx_clear(L);
	CU_ASSERT_EQUAL(seller_reinstate(L, a), SOUK_OK);
	const char *ids[] = {catalog_id_array(L, (int64_t[]){a, b}, 2)};
	CU_ASSERT_PTR_NOT_NULL(db_exec(L, "t_seller_cleanup", 1, ids));
}

static void test_fields(void)
{
	ctx_begin(L);
	CU_ASSERT_EQUAL(seller_check_fields(L, STR("Shop"), STR("a@b.co"), STR("12345678")), SOUK_OK);
	CU_ASSERT_EQUAL(seller_check_fields(L, STR(""), STR("a@b.co"), STR("12345678")), SOUK_ERR);
	CU_ASSERT_STRING_EQUAL(L->err_field, "name");
	ctx_clear(L);
	CU_ASSERT_EQUAL(seller_check_fields(L, STR("Shop"), STR("nope"), STR("12345678")), SOUK_ERR);
	CU_ASSERT_STRING_EQUAL(L->err_field, "email");
	ctx_clear(L);
	CU_ASSERT_EQUAL(seller_check_fields(L, STR("Shop"), STR("a@b.co"), STR("12ab5678")), SOUK_ERR);
	CU_ASSERT_STRING_EQUAL(L->err_field, "payout");
	ctx_clear(L);
	CU_ASSERT_EQUAL(seller_check_fields(L, STR("Shop"), STR("a@b.co"), STR("123")), SOUK_ERR);
	ctx_clear(L);
	/* offer fields */
	CU_ASSERT_EQUAL(soffer_check_price(L, "price", 0, SOFFER_PRICE_MAX), SOUK_ERR);
	ctx_clear(L);
	CU_ASSERT_EQUAL(soffer_check_price(L, "price", SOFFER_PRICE_MAX + 1, SOFFER_PRICE_MAX), SOUK_ERR);
	ctx_clear(L);
	CU_ASSERT_EQUAL(soffer_check_price(L, "shipping", 0, SOFFER_SHIPPING_MAX), SOUK_OK);
	CU_ASSERT_EQUAL(soffer_check_quantity(L, -1), SOUK_ERR);
	ctx_clear(L);
	CU_ASSERT_EQUAL(soffer_check_quantity(L, SOFFER_QTY_MAX + 1), SOUK_ERR);
	ctx_clear(L);
	CU_ASSERT_EQUAL(soffer_check_sku(L, "AB-1_2.x"), SOUK_OK);
	CU_ASSERT_EQUAL(soffer_check_sku(L, "a b"), SOUK_ERR);
	ctx_clear(L);
	CU_ASSERT_EQUAL(soffer_dollars(STR("12.99")), 1299);
	CU_ASSERT_EQUAL(soffer_dollars(STR("12.5")), 1250);
	CU_ASSERT_EQUAL(soffer_dollars(STR("12")), 1200);
	CU_ASSERT_EQUAL(soffer_dollars(STR("0.05")), 5);
	CU_ASSERT_EQUAL(soffer_dollars(STR("12.999")), -1);
	CU_ASSERT_EQUAL(soffer_dollars(STR("-1")), -1);
	CU_ASSERT_EQUAL(soffer_dollars(STR(".5")), -1);
	CU_ASSERT_EQUAL(soffer_dollars(STR("1e3")), -1);
	CU_ASSERT_EQUAL(soffer_dollars(STR("")), -1);
}

/* The product's row version (xmin), price_min and in_stock as one string. */
static const char *refresh_row(int64_t pid)
{
	const char *p[] = {db_param_i64(L, pid)};
	db_res *r = db_exec(L, "t_refresh_row", 1, p);
	if (!r || db_rows(r) != 1)
		return "none";
	buf b;
	buf_init(&b, L->a, 64);
	buf_printf(&b, "%s|%lld|%d", db_val(r, 0, "x"), (long long)db_i64(r, 0, "price_min"),
	           db_bool(r, 0, "in_stock"));
	return b.p ? b.p : "oom";
}

static int refresh_qty(int64_t pid, int64_t offer, int qty)
{
	const char *p[] = {db_param_i64(L, offer), db_param_i64(L, qty)};
	if (!db_exec(L, "t_refresh_qty", 2, p))
		return SOUK_ERR;
	return catalog_refresh(L, catalog_id_array(L, &pid, 1));
}

/* catalog_refresh writes a product only when price_min or in_stock
 * changes: the same figures leave the row (its version) as it was. */
static void test_refresh_skips_unchanged(void)
{
	if (!db_ping(L)) {
		CU_PASS("no database: skipped");
		return;
	}
	db_res *r = db_exec(L, "t_refresh_product", 0, NULL);
	CU_ASSERT_FATAL(r && db_rows(r) == 1);
	int64_t pid = db_i64(r, 0, "product_id"), offer = db_i64(r, 0, "offer_id");
	CU_ASSERT_EQUAL_FATAL(catalog_refresh(L, catalog_id_array(L, &pid, 1)), SOUK_OK);
	const char *first = refresh_row(pid);
	CU_ASSERT_PTR_NOT_NULL_FATAL(strstr(first, "|700|1"));
	CU_ASSERT_EQUAL(catalog_refresh(L, catalog_id_array(L, &pid, 1)), SOUK_OK);
	CU_ASSERT_STRING_EQUAL(refresh_row(pid), first);
	CU_ASSERT_EQUAL(refresh_qty(pid, offer, 8), SOUK_OK); /* still in stock, same price */
	CU_ASSERT_STRING_EQUAL(refresh_row(pid), first);
	CU_ASSERT_EQUAL(refresh_qty(pid, offer, 0), SOUK_OK); /* out of stock: written */
	const char *out = refresh_row(pid);
	CU_ASSERT_PTR_NOT_NULL(strstr(out, "|700|0"));
	CU_ASSERT_STRING_NOT_EQUAL(out, first);
	const char *po[] = {db_param_i64(L, offer)}, *pp[] = {db_param_i64(L, pid)};
	CU_ASSERT_PTR_NOT_NULL(db_exec(L, "t_refresh_rm_inventory", 1, po));
	CU_ASSERT_PTR_NOT_NULL(db_exec(L, "t_refresh_rm_offer", 1, po));
	CU_ASSERT_PTR_NOT_NULL(db_exec(L, "t_refresh_rm_variant", 1, pp));
	CU_ASSERT_PTR_NOT_NULL(db_exec(L, "t_refresh_rm_product", 1, pp));
}

void add_seller_tests(void)
{
	CU_pSuite s = CU_add_suite("seller", setup, teardown);
	CU_add_test(s, "API key format", test_key_format);
	CU_add_test(s, "API key hash is SHA-256", test_key_hash);
	CU_add_test(s, "seller_actor for order_events", test_actor);
	CU_add_test(s, "API key create, verify, revoke, scoped", test_key_lifecycle);
	CU_add_test(s, "onboarding and offer field checks", test_fields);
	CU_add_test(s, "catalog_refresh skips products that do not change", test_refresh_skips_unchanged);
}
