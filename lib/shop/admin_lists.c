/* admin_lists: the statements behind the admin's lists. */
#include "shop/admin_lists.h"

/* An order's latest payment, and the filters of the order list ($1 state,
 * $2/$3 dates, $4 payment outcome, $5 public id or e-mail, $6 declined
 * shown); the payment is looked up only when $4 filters on it. */
#define ADMIN_LAST_PAYMENT \
	"SELECT status, decline_code FROM payments WHERE order_id = o.id ORDER BY id DESC LIMIT 1"
#define ADMIN_ORDERS_WHERE \
	"($1::text IS NULL OR o.status = $1)" \
	" AND ($2::date IS NULL OR o.created_at >= $2::date)" \
	" AND ($3::date IS NULL OR o.created_at < $3::date + 1)" \
	" AND ($4::text IS NULL OR COALESCE((SELECT status FROM (" ADMIN_LAST_PAYMENT ") lp), 'none') = $4)" \
	" AND ($5::text IS NULL OR o.public_id = $5 OR strpos(lower(o.email), lower($5)) > 0)" \
	" AND ($6::bool OR o.cancel_reason IS DISTINCT FROM 'payment declined')"

static const db_stmt admin_lists_sql[] = {
	/* The page's rows first and the count apart: a window count made the
	 * per-row subqueries run for every matching order (15.9 s at 1M). */
	{"admin_orders",
	 "WITH page AS (SELECT o.id FROM orders o WHERE " ADMIN_ORDERS_WHERE
	 " ORDER BY o.created_at DESC, o.id DESC LIMIT $7 OFFSET $8)"
	 " SELECT o.id, o.public_id, o.email, o.status, o.total, o.created_at, o.cancel_reason,"
	 " (SELECT COALESCE(sum(qty), 0) FROM order_items i WHERE i.order_id = o.id) AS item_count,"
	 " p.status AS pay_status, p.decline_code,"
	 " (SELECT string_agg(DISTINCT s.name, ', ') FROM order_items i"
	 "  JOIN sellers s ON s.id = i.seller_id WHERE i.order_id = o.id) AS sellers,"
	 " (SELECT count(*) FROM orders o WHERE " ADMIN_ORDERS_WHERE ") AS total_count"
	 " FROM page JOIN orders o ON o.id = page.id"
	 " LEFT JOIN LATERAL (" ADMIN_LAST_PAYMENT ") p ON true"
	 " ORDER BY o.created_at DESC, o.id DESC"},
	{"admin_order_sellers",
	 "SELECT i.title, i.variant, i.qty, s.name AS seller, i.fulfillment FROM order_items i"
	 " JOIN sellers s ON s.id = i.seller_id WHERE i.order_id = $1 ORDER BY i.id"},
	{"admin_returns",
	 "SELECT r.id, r.status, r.reason, r.created_at, o.public_id, o.email, o.total,"
	 " count(*) OVER () AS total_count FROM returns r JOIN orders o ON o.id = r.order_id"
	 " WHERE ($1::text IS NULL OR r.status = $1)"
	 " ORDER BY r.created_at DESC, r.id DESC LIMIT $2 OFFSET $3"},
	{"admin_customers",
	 "SELECT u.id, u.email, u.name, u.role, u.created_at,"
	 " (SELECT count(*) FROM orders o WHERE o.user_id = u.id) AS orders,"
	 " (SELECT COALESCE(sum(total), 0) FROM orders o WHERE o.user_id = u.id"
	 "  AND o.status IN ('CONFIRMED', 'PROCESSING', 'SHIPPED', 'DELIVERED')) AS spent,"
	 " count(*) OVER () AS total_count FROM users u"
	 " WHERE ($1::text IS NULL OR strpos(lower(u.email), lower($1)) > 0)"
	 " ORDER BY u.created_at DESC, u.id DESC LIMIT $2 OFFSET $3"},
	{"admin_customer", "SELECT id, email, name, role, created_at FROM users WHERE id = $1"},
	{"admin_products",
	 "SELECT p.id, p.ref, p.title, p.status, p.price_min, p.in_stock,"
	 " (SELECT COALESCE(sum(i.quantity_available), 0) FROM product_variants v"
	 "  JOIN offers o ON o.variant_id = v.id JOIN inventory i ON i.sku_id = o.id"
	 "  WHERE v.product_id = p.id) AS available"
	 " FROM products p WHERE $1::text IS NULL OR p.ref = $1"
	 "  OR strpos(lower(p.title), lower($1)) > 0"
	 " ORDER BY p.id LIMIT $2 OFFSET $3"},
	{"admin_product",
	 "SELECT id, ref, title, status, price_min, in_stock, brand FROM products WHERE id = $1"},
	{"admin_product_offers",
	 "SELECT o.id AS sku_id, o.sku, concat_ws(', ', NULLIF(v.size, ''), NULLIF(v.color, ''))"
	 " AS variant, s.name AS seller, o.price, o.status,"
	 " COALESCE(sum(i.quantity_available), 0) AS available,"
	 " COALESCE(sum(i.quantity_reserved), 0) AS reserved,"
	 " COALESCE(sum(i.quantity_sold), 0) AS sold"
	 " FROM product_variants v JOIN offers o ON o.variant_id = v.id"
	 " JOIN sellers s ON s.id = o.seller_id LEFT JOIN inventory i ON i.sku_id = o.id"
	 " WHERE v.product_id = $1 GROUP BY o.id, v.id, s.name ORDER BY v.position, v.id, o.id"},
	{"admin_product_stock",
	 "SELECT i.sku_id, o.sku, w.id AS warehouse_id, w.name AS warehouse,"
	 " i.quantity_available AS available, i.quantity_reserved AS reserved,"
	 " i.quantity_sold AS sold,"
	 " i.quantity_available + i.quantity_reserved + i.quantity_sold AS received"
	 " FROM product_variants v JOIN offers o ON o.variant_id = v.id"
	 " JOIN inventory i ON i.sku_id = o.id JOIN warehouses w ON w.id = i.warehouse_id"
	 " WHERE v.product_id = $1 ORDER BY o.id, w.id"},
	{"admin_warehouses",
	 "SELECT w.id, w.name, w.region, s.name AS seller, count(i.sku_id) AS skus,"
	 " COALESCE(sum(i.quantity_available), 0) AS available,"
	 " COALESCE(sum(i.quantity_reserved), 0) AS reserved,"
	 " COALESCE(sum(i.quantity_sold), 0) AS sold"
	 " FROM warehouses w LEFT JOIN sellers s ON s.id = w.seller_id"
	 " LEFT JOIN inventory i ON i.warehouse_id = w.id GROUP BY w.id, s.name ORDER BY w.id"},
	{"admin_warehouse",
	 "SELECT w.id, w.name, w.region, s.name AS seller FROM warehouses w"
	 " LEFT JOIN sellers s ON s.id = w.seller_id WHERE w.id = $1"},
	{"admin_stock",
	 "SELECT i.sku_id, o.sku, p.id AS product_id, p.title, i.quantity_available AS available,"
	 " i.quantity_reserved AS reserved, i.quantity_sold AS sold,"
	 " i.quantity_available + i.quantity_reserved + i.quantity_sold AS received"
	 " FROM inventory i JOIN offers o ON o.id = i.sku_id"
	 " JOIN product_variants v ON v.id = o.variant_id JOIN products p ON p.id = v.product_id"
	 " WHERE i.warehouse_id = $1 AND ($2::text IS NULL OR o.sku = $2"
	 "  OR strpos(lower(p.title), lower($2)) > 0)"
	 " ORDER BY i.sku_id LIMIT $3 OFFSET $4"},
};

void admin_lists_register(void)
{
	db_register(admin_lists_sql, sizeof(admin_lists_sql) / sizeof(admin_lists_sql[0]));
}

static const char *opt(const char *s)
{
	return s && *s ? s : NULL;
}

db_res *admin_orders(ctx *c, const admin_order_filter *f, int64_t limit, int64_t offset)
{
	const char *p[] = {opt(f->status), opt(f->from), opt(f->to), opt(f->pay), opt(f->q),
	                   f->declined ? "true" : "false", db_param_i64(c, limit),
	                   db_param_i64(c, offset)};
	return db_exec(c, "admin_orders", 8, p);
}

db_res *admin_order_sellers(ctx *c, int64_t order_id)
{
	const char *p[] = {db_param_i64(c, order_id)};
	return db_exec(c, "admin_order_sellers", 1, p);
}

db_res *admin_returns(ctx *c, const char *status, int64_t limit, int64_t offset)
{
	const char *p[] = {opt(status), db_param_i64(c, limit), db_param_i64(c, offset)};
	return db_exec(c, "admin_returns", 3, p);
}

db_res *admin_customers(ctx *c, const char *q, int64_t limit, int64_t offset)
{
	const char *p[] = {opt(q), db_param_i64(c, limit), db_param_i64(c, offset)};
	return db_exec(c, "admin_customers", 3, p);
}

/* One row by id, or 404 naming what. */
static db_res *one(ctx *c, const char *stmt, int64_t id, const char *what)
{
	const char *p[] = {db_param_i64(c, id)};
	db_res *r = db_exec(c, stmt, 1, p);
	if (r && db_rows(r) == 0) {
		ctx_fail(c, 404, "not_found", "there is no %s %lld", what, (long long)id);
		return NULL;
	}
	return r;
}

db_res *admin_customer(ctx *c, int64_t id)
{
	return one(c, "admin_customer", id, "customer");
}

db_res *admin_products(ctx *c, const char *q, int64_t limit, int64_t offset)
{
	const char *p[] = {opt(q), db_param_i64(c, limit), db_param_i64(c, offset)};
	return db_exec(c, "admin_products", 3, p);
}

db_res *admin_product(ctx *c, int64_t id)
{
	return one(c, "admin_product", id, "product");
}

db_res *admin_product_offers(ctx *c, int64_t product_id)
{
	const char *p[] = {db_param_i64(c, product_id)};
	return db_exec(c, "admin_product_offers", 1, p);
}

db_res *admin_product_stock(ctx *c, int64_t product_id)
{
	const char *p[] = {db_param_i64(c, product_id)};
	return db_exec(c, "admin_product_stock", 1, p);
}

db_res *admin_warehouses(ctx *c)
{
	return db_exec(c, "admin_warehouses", 0, NULL);
}

db_res *admin_warehouse(ctx *c, int64_t id)
{
	return one(c, "admin_warehouse", id, "warehouse");
}

db_res *admin_stock(ctx *c, int64_t warehouse_id, const char *q, int64_t limit, int64_t offset)
{
	const char *p[] = {db_param_i64(c, warehouse_id), opt(q), db_param_i64(c, limit),
	                   db_param_i64(c, offset)};
	return db_exec(c, "admin_stock", 4, p);
}
