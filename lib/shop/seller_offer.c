/* seller_offer: a seller's offers and their FBM stock, always scoped to
 * the seller (another seller's rows look unknown). */
#include "shop/seller_offer.h"

#include <string.h>

#include "core/js.h"
#include "shop/catalog.h"
#include "shop/seller_warehouse.h"

#define OFFER_SELECT                                                                       \
	"SELECT o.id AS sku_id, o.sku, o.variant_id, v.product_id, p.ref, p.title, v.size,"    \
	" v.color, o.price, o.shipping, o.condition, o.fulfillment, o.status,"               \
	" p.status AS product_status,"                                                       \
	" (SELECT COALESCE(sum(i.quantity_available), 0) FROM inventory i"                   \
	"  WHERE i.sku_id = o.id) AS quantity"
#define OFFER_FROM                                                                         \
	" FROM offers o JOIN product_variants v ON v.id = o.variant_id"                       \
	" JOIN products p ON p.id = v.product_id"
#define OFFER_FILTER                                                                        \
	" WHERE o.seller_id = $1"                                                              \
	" AND ($2::text IS NULL OR o.sku ILIKE '%' || $2 || '%' OR p.title ILIKE '%' || $2 || '%'" \
	"      OR p.ref = $2)"                                                                 \
	" AND ($3::text IS NULL OR o.status = $3) AND ($4::text IS NULL OR o.fulfillment = $4)"

static const db_stmt soffer_sql[] = {
	{"soffer_list",
	 OFFER_SELECT ", count(*) OVER () AS total" OFFER_FROM OFFER_FILTER
	 " ORDER BY o.id DESC LIMIT $5 OFFSET $6"},
	{"soffer_count", "SELECT count(*) AS total" OFFER_FROM OFFER_FILTER},
	{"soffer_get", OFFER_SELECT OFFER_FROM " WHERE o.id = $1 AND o.seller_id = $2"},
	{"soffer_stock",
	 "SELECT w.id AS warehouse_id, w.name, w.seller_id IS NULL AS platform,"
	 " COALESCE(i.quantity_available, 0) AS quantity_available,"
	 " COALESCE(i.quantity_reserved, 0) AS quantity_reserved"
	 " FROM warehouses w LEFT JOIN inventory i ON i.warehouse_id = w.id AND i.sku_id = $1"
	 " WHERE w.seller_id = $2 OR (w.seller_id IS NULL AND i.sku_id IS NOT NULL)"
	 " ORDER BY w.seller_id IS NULL, w.id"},
	{"soffer_variant",
	 "SELECT v.id, v.product_id FROM product_variants v JOIN products p ON p.id = v.product_id"
	 " WHERE p.status = 'active' AND (v.id = $1::bigint OR ($1::bigint IS NULL AND p.ref = $2))"
	 " ORDER BY v.position, v.id LIMIT 1"},
	{"soffer_taken",
	 "SELECT EXISTS (SELECT 1 FROM offers WHERE variant_id = $1 AND seller_id = $2) AS mine,"
	 " EXISTS (SELECT 1 FROM offers WHERE sku = $3) AS sku"},
	{"soffer_find_products",
	 "SELECT p.id AS product_id, p.ref, p.title, v.id AS variant_id, v.size, v.color,"
	 " v.price AS list_price,"
	 " EXISTS (SELECT 1 FROM offers o WHERE o.variant_id = v.id AND o.seller_id = $2) AS mine"
	 " FROM (SELECT id, ref, title, sales_rank, ref = $1 AS exact FROM products"
	 "       WHERE status = 'active'"
	 "       AND (ref = $1 OR search_doc @@ websearch_to_tsquery('souk', $1))"
	 "       ORDER BY ref = $1 DESC, sales_rank, id LIMIT 10) p"
	 " JOIN product_variants v ON v.product_id = p.id"
	 " ORDER BY p.exact DESC, p.sales_rank, p.id, v.position, v.id LIMIT 50"},
	{"soffer_own_warehouse", "SELECT id FROM warehouses WHERE id = $1 AND seller_id = $2"},
	/* the offer and, for FBM with a quantity, its stock: one statement */
	{"soffer_insert",
	 "WITH o AS (INSERT INTO offers (variant_id, seller_id, sku, price, shipping, condition,"
	 "                               fulfillment)"
	 "           VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id, variant_id),"
	 " i AS (INSERT INTO inventory (sku_id, warehouse_id, quantity_available)"
	 "       SELECT o.id, $8::bigint, $9::int FROM o WHERE $8::bigint IS NOT NULL)"
	 " SELECT o.id AS sku_id, v.product_id FROM o JOIN product_variants v ON v.id = o.variant_id"},
	{"soffer_update",
	 "UPDATE offers o SET price = COALESCE($3::bigint, o.price),"
	 " shipping = COALESCE($4::bigint, o.shipping), condition = COALESCE($5, o.condition),"
	 " fulfillment = COALESCE($6, o.fulfillment), status = COALESCE($7, o.status)"
	 " FROM product_variants v WHERE o.id = $1 AND o.seller_id = $2 AND v.id = o.variant_id"
	 " RETURNING v.product_id"},
	{"soffer_set_stock",
	 "WITH up AS (INSERT INTO inventory (sku_id, warehouse_id, quantity_available)"
	 "            SELECT o.id, w.id, $4 FROM offers o, warehouses w"
	 "            WHERE o.id = $1 AND o.seller_id = $2 AND w.id = $3 AND w.seller_id = $2"
	 "            ON CONFLICT (sku_id, warehouse_id)"
	 "            DO UPDATE SET quantity_available = EXCLUDED.quantity_available"
	 "            RETURNING sku_id)"
	 " SELECT v.product_id FROM up JOIN offers o ON o.id = up.sku_id"
	 " JOIN product_variants v ON v.id = o.variant_id"},
};

void soffer_register(void)
{
	seller_warehouse_register();
	db_register(soffer_sql, sizeof(soffer_sql) / sizeof(soffer_sql[0]));
	catalog_register();
}

int soffer_check_sku(ctx *c, const char *sku)
{
	size_t n = sku ? strlen(sku) : 0;
	bool okay = n >= 1 && n <= SOFFER_SKU_MAX;
	for (size_t i = 0; okay && i < n; i++) {
		char ch = sku[i];
		okay = (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') || (ch >= '0' && ch <= '9') ||
		       ch == '-' || ch == '_' || ch == '.';
	}
	if (!okay)
		return ctx_fail_field(c, 400, "bad_request", "sku",
		                      "sku must be 1 to %d letters, digits, '-', '_' or '.'", SOFFER_SKU_MAX);
	return SOUK_OK;
}

int soffer_check_price(ctx *c, const char *field, int64_t cents, int64_t max)
{
	bool shipping = strcmp(field, "shipping") == 0;
	if (cents < (shipping ? 0 : 1) || cents > max)
		return ctx_fail_field(c, 400, "bad_request", field, "%s must be from %d to %lld cents", field,
		                      shipping ? 0 : 1, (long long)max);
	return SOUK_OK;
}

int soffer_check_quantity(ctx *c, int64_t qty)
{
	if (qty < 0 || qty > SOFFER_QTY_MAX)
		return ctx_fail_field(c, 400, "bad_request", "quantity", "quantity must be from 0 to %d",
		                      SOFFER_QTY_MAX);
	return SOUK_OK;
}

int soffer_check_condition(ctx *c, const char *v)
{
	static const char *const ok[] = {"new", "like_new", "used", "refurbished", NULL};
	for (int i = 0; v && ok[i]; i++)
		if (strcmp(v, ok[i]) == 0)
			return SOUK_OK;
	return ctx_fail_field(c, 400, "bad_request", "condition",
	                      "condition must be new, like_new, used or refurbished");
}

int soffer_check_fulfillment(ctx *c, const char *v)
{
	if (v && (strcmp(v, "FBA") == 0 || strcmp(v, "FBM") == 0))
		return SOUK_OK;
	return ctx_fail_field(c, 400, "bad_request", "fulfillment", "fulfillment must be FBA or FBM");
}

int64_t soffer_dollars(str s)
{
	const char *dot = memchr(s.p, '.', s.len);
	size_t whole = dot ? (size_t)(dot - s.p) : s.len, frac = dot ? s.len - whole - 1 : 0;
	int64_t d, f = 0;
	if (whole == 0 || whole > 9 || (dot && (frac == 0 || frac > 2)))
		return -1;
	for (size_t i = 0; i < s.len; i++)
		if (s.p + i != dot && (s.p[i] < '0' || s.p[i] > '9'))
			return -1;
	if (str_to_i64((str){s.p, whole}, 0, 999999999, &d) < 0 ||
	    (frac && str_to_i64((str){dot + 1, frac}, 0, 99, &f) < 0))
		return -1;
	return d * 100 + (frac == 1 ? f * 10 : f);
}

db_res *soffer_list(ctx *c, int64_t seller_id, const char *q, const char *status,
                    const char *fulfillment, int64_t limit, int64_t offset, int64_t *total)
{
	const char *p[] = {db_param_i64(c, seller_id), q && *q ? q : NULL, status, fulfillment,
	                   db_param_i64(c, limit), db_param_i64(c, offset)};
	db_res *r = db_exec(c, "soffer_list", 6, p);
	if (!r)
		return NULL;
	*total = db_rows(r) ? db_i64(r, 0, "total") : 0;
	if (db_rows(r) == 0 && offset > 0) { /* a page past the end still has a count */
		db_res *n = db_exec(c, "soffer_count", 4, p);
		if (!n)
			return NULL;
		*total = db_i64(n, 0, "total");
	}
	return r;
}

db_res *soffer_get(ctx *c, int64_t seller_id, int64_t sku_id)
{
	const char *p[] = {db_param_i64(c, sku_id), db_param_i64(c, seller_id)};
	db_res *r = db_exec(c, "soffer_get", 2, p);
	if (r && db_rows(r) == 0) {
		ctx_fail(c, 404, "not_found", "no offer with sku_id %lld", (long long)sku_id);
		return NULL;
	}
	return r;
}

db_res *soffer_stock(ctx *c, int64_t seller_id, int64_t sku_id)
{
	const char *p[] = {db_param_i64(c, sku_id), db_param_i64(c, seller_id)};
	return db_exec(c, "soffer_stock", 2, p);
}

db_res *soffer_find_products(ctx *c, int64_t seller_id, const char *q)
{
	const char *p[] = {q, db_param_i64(c, seller_id)};
	return db_exec(c, "soffer_find_products", 2, p);
}

/* warehouse_id when it is one of the seller's (0: their first); 0 + 404. */
static int64_t own_warehouse(ctx *c, int64_t seller_id, int64_t warehouse_id)
{
	if (warehouse_id == 0)
		return seller_default_warehouse(c, seller_id);
	const char *p[] = {db_param_i64(c, warehouse_id), db_param_i64(c, seller_id)};
	db_res *r = db_exec(c, "soffer_own_warehouse", 2, p);
	if (r && db_rows(r) == 0)
		ctx_fail_field(c, 404, "not_found", "warehouse_id", "no warehouse with id %lld",
		               (long long)warehouse_id);
	return r && db_rows(r) ? warehouse_id : 0;
}

int soffer_create(ctx *c, int64_t seller_id, bool suspended, const soffer_in *in, int64_t *sku_id)
{
	const char *cond = in->condition ? in->condition : "new";
	const char *ful = in->fulfillment ? in->fulfillment : "FBM";
	if (suspended)
		return ctx_fail(c, 403, "suspended", "a suspended seller cannot list offers");
	if (!in->variant_id && !(in->product_ref && *in->product_ref))
		return ctx_fail_field(c, 400, "bad_request", "product_ref",
		                      "name the product: product_ref (its ASIN) or variant_id");
	if (soffer_check_sku(c, in->sku) < 0 ||
	    soffer_check_price(c, "price", in->price, SOFFER_PRICE_MAX) < 0 ||
	    soffer_check_price(c, "shipping", in->shipping, SOFFER_SHIPPING_MAX) < 0 ||
	    soffer_check_condition(c, cond) < 0 || soffer_check_fulfillment(c, ful) < 0 ||
	    (in->quantity >= 0 && soffer_check_quantity(c, in->quantity) < 0))
		return SOUK_ERR;
	bool fbm = strcmp(ful, "FBM") == 0;
	if (!fbm && in->quantity > 0)
		return ctx_fail_field(c, 400, "bad_request", "quantity",
		                      "FBA stock is received by Souk's warehouses; leave quantity out");
	const char *pv[] = {in->variant_id ? db_param_i64(c, in->variant_id) : NULL, in->product_ref};
	db_res *v = db_exec(c, "soffer_variant", 2, pv);
	if (!v)
		return SOUK_ERR;
	if (db_rows(v) == 0)
		return ctx_fail_field(c, 404, "not_found", in->variant_id ? "variant_id" : "product_ref",
		                      "no such product or variant");
	int64_t variant = db_i64(v, 0, "id");
	const char *pt[] = {db_param_i64(c, variant), db_param_i64(c, seller_id), in->sku};
	db_res *t = db_exec(c, "soffer_taken", 3, pt);
	if (!t)
		return SOUK_ERR;
	if (db_bool(t, 0, "mine"))
		return ctx_fail(c, 409, "conflict", "you already offer this product variant; change that offer");
	if (db_bool(t, 0, "sku"))
		return ctx_fail_field(c, 409, "conflict", "sku", "sku %s is already in use", in->sku);
	int64_t wh = 0;
	if (fbm && in->quantity >= 0 && !(wh = own_warehouse(c, seller_id, in->warehouse_id)))
		return SOUK_ERR;
	const char *p[] = {pt[0], pt[1], in->sku, db_param_i64(c, in->price),
	                   db_param_i64(c, in->shipping), cond, ful,
	                   wh ? db_param_i64(c, wh) : NULL, db_param_i64(c, in->quantity)};
	json_object *ev = js_obj(c);
	js_str(ev, "type", "catalog.offer_created");
	js_i64(ev, "seller_id", seller_id);
	db_res *r;
	if (catalog_write(c, "soffer_insert", 9, p, "variant", ev, &r) < 0)
		return SOUK_ERR;
	*sku_id = db_i64(r, 0, "sku_id");
	return SOUK_OK;
}

int soffer_update(ctx *c, int64_t seller_id, bool suspended, int64_t sku_id, const soffer_patch *p)
{
	if ((p->price != SOFFER_KEEP && soffer_check_price(c, "price", p->price, SOFFER_PRICE_MAX) < 0) ||
	    (p->shipping != SOFFER_KEEP &&
	     soffer_check_price(c, "shipping", p->shipping, SOFFER_SHIPPING_MAX) < 0))
		return SOUK_ERR;
	if ((p->condition && soffer_check_condition(c, p->condition) < 0) ||
	    (p->fulfillment && soffer_check_fulfillment(c, p->fulfillment) < 0))
		return SOUK_ERR;
	if (p->status && strcmp(p->status, "active") != 0 && strcmp(p->status, "withdrawn") != 0)
		return ctx_fail_field(c, 400, "bad_request", "status", "status must be active or withdrawn");
	if (suspended && p->status && strcmp(p->status, "active") == 0)
		return ctx_fail(c, 403, "suspended", "a suspended seller cannot reactivate offers");
	const char *q[] = {db_param_i64(c, sku_id), db_param_i64(c, seller_id),
	                   p->price != SOFFER_KEEP ? db_param_i64(c, p->price) : NULL,
	                   p->shipping != SOFFER_KEEP ? db_param_i64(c, p->shipping) : NULL, p->condition,
	                   p->fulfillment, p->status};
	json_object *ev = js_obj(c);
	js_str(ev, "type", "catalog.offer_changed");
	js_i64(ev, "offer_id", sku_id);
	return catalog_write(c, "soffer_update", 7, q, "offer", ev, NULL);
}

int soffer_set_stock(ctx *c, int64_t seller_id, int64_t sku_id, int64_t warehouse_id, int64_t qty)
{
	if (soffer_check_quantity(c, qty) < 0)
		return SOUK_ERR;
	db_res *o = soffer_get(c, seller_id, sku_id);
	if (!o)
		return SOUK_ERR;
	if (strcmp(db_val(o, 0, "fulfillment"), "FBA") == 0)
		return ctx_fail(c, 409, "fba_read_only",
		                "FBA stock sits in Souk's warehouses and is read-only; switch to FBM to set stock");
	int64_t wh = own_warehouse(c, seller_id, warehouse_id);
	if (!wh)
		return SOUK_ERR;
	const char *p[] = {db_param_i64(c, sku_id), db_param_i64(c, seller_id), db_param_i64(c, wh),
	                   db_param_i64(c, qty)};
	json_object *ev = js_obj(c);
	js_str(ev, "type", "catalog.stock_changed");
	js_i64(ev, "offer_id", sku_id);
	js_i64(ev, "warehouse_id", wh);
	js_i64(ev, "quantity", qty);
	return catalog_write(c, "soffer_set_stock", 4, p, "offer", ev, NULL);
}
