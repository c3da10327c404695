/* catalog: product documents, category listings and catalog write paths. */
#include "shop/catalog.h"

#include <stdio.h>

#include "core/js.h"
#include "core/log.h"
#include "shop/outbox.h"
#include "store/rds.h"

const char *const catalog_sort_names[] = {"rank", "price_asc", "price_desc", "rating",
                                          "newest", NULL};

/* Offer availability is the sum over warehouses; Buy Box order is in stock
 * first, then landed price, FBA before FBM, seller rating, oldest offer. */
#define OFFER_JSON                                                                      \
	"SELECT COALESCE(json_agg(json_build_object("                                       \
	"  'sku_id', o.id, 'sku', o.sku,"                                                   \
	"  'seller', json_build_object('id', s.id, 'name', s.name, 'rating', s.rating),"   \
	"  'price', o.price, 'shipping', o.shipping, 'landed_price', o.price + o.shipping," \
	"  'condition', o.condition, 'fulfillment', o.fulfillment,"                         \
	"  'available', q.qty, 'in_stock', q.qty > 0)"                                      \
	"  ORDER BY q.qty > 0 DESC, o.price + o.shipping, o.fulfillment = 'FBA' DESC,"       \
	"           s.rating DESC, o.id), '[]')"                                           \
	" FROM offers o JOIN sellers s ON s.id = o.seller_id"                               \
	" CROSS JOIN LATERAL (SELECT COALESCE(sum(i.quantity_available), 0)::int AS qty"   \
	"                     FROM inventory i WHERE i.sku_id = o.id) q"                    \
	" WHERE o.variant_id = v.id AND o.status = 'active' AND s.status = 'active'"

#define LIST_COLS                                                                   \
	"SELECT p.id, p.ref, p.title, p.brand, p.rating, p.rating_count, p.price_min," \
	" p.in_stock, p.image_url, count(*) OVER () AS total"                          \
	" FROM products p JOIN categories c ON c.id = p.category_id"                   \
	" WHERE (c.path = $1 OR c.path LIKE $1 || '.%') AND p.status = 'active'"

/* Product counts per subtree: each category's direct count is added to
 * every id on its path, so the cost follows products, not categories².
 * FILTER narrows the products counted (a subtree) with an SQL condition on
 * their category c. */
#define COUNTED_CATEGORIES(FILTER)                                                    \
	"WITH direct AS (SELECT c.path, count(*) AS n FROM products p"                  \
	"                JOIN categories c ON c.id = p.category_id"                      \
	"                WHERE p.status = 'active'" FILTER " GROUP BY c.path),"          \
	" rolled AS (SELECT a.id::bigint AS id, sum(d.n) AS n FROM direct d,"           \
	"            unnest(string_to_array(d.path, '.')) AS a(id) GROUP BY a.id)"      \
	" SELECT c.id, c.parent_id, c.name, c.slug, c.path, c.depth,"                   \
	"        COALESCE(r.n, 0)::bigint AS product_count"                              \
	" FROM categories c LEFT JOIN rolled r ON r.id = c.id"

static const db_stmt catalog_sql[] = {
	{"catalog_product_doc",
	 "SELECT json_build_object("
	 "  'id', p.id, 'ref', p.ref, 'title', p.title, 'brand', p.brand, 'color', p.color,"
	 "  'description', p.description, 'bullet_points', p.bullet_points,"
	 "  'rating', p.rating, 'rating_count', p.rating_count, 'sales_rank', p.sales_rank,"
	 "  'image', p.image_url, 'price_min', p.price_min, 'in_stock', p.in_stock,"
	 "  'images', (SELECT COALESCE(json_agg(i.stem ORDER BY i.position), '[]')"
	 "             FROM product_images i WHERE i.product_id = p.id),"
	 "  'currency', 'USD',"
	 "  'category', json_build_object('id', c.id, 'name', c.name, 'slug', c.slug),"
	 "  'breadcrumbs', (SELECT json_agg(json_build_object('id', a.id, 'name', a.name,"
	 "                  'slug', a.slug) ORDER BY a.depth) FROM categories a"
	 "                  WHERE a.id = ANY (string_to_array(c.path, '.')::bigint[])),"
	 "  'seller', json_build_object('id', s.id, 'name', s.name),"
	 "  'variants', (SELECT COALESCE(json_agg(json_build_object("
	 "      'id', v.id, 'sku', v.sku, 'size', v.size, 'color', v.color,"
	 "      'price', v.price, 'currency', v.currency, 'images', v.images,"
	 "      'offers', (" OFFER_JSON ")) ORDER BY v.position, v.id), '[]')"
	 "    FROM product_variants v WHERE v.product_id = p.id)"
	 ")::text AS doc"
	 " FROM products p JOIN categories c ON c.id = p.category_id"
	 " JOIN sellers s ON s.id = p.seller_id"
	 " WHERE p.id = $1 AND p.status = 'active'"},
	/* price_min: cheapest in-stock offer, else cheapest offer at all so
	 * an out-of-stock product still shows a price.
	 * $1: an array of product ids; a suspended seller's offers count for
	 * nothing. A product whose two columns stay as they are is not
	 * written: a product row's update is never HOT (search_xid is indexed)
	 * and goes into all its indexes, GIN ones too, for nothing (an
	 * inventory file of quantities only: bench/inventory-file.sh). What
	 * the search index holds of it (sx_index_load.c: product columns
	 * only) is unchanged then, so souk-searchd need not see it again. */
	{"catalog_refresh_product",
	 "UPDATE products p SET price_min = s.price_min, in_stock = s.in_stock, updated_at = now()"
	 " FROM (SELECT x.id, COALESCE(min(o.price) FILTER (WHERE q.qty > 0), min(o.price)) AS price_min,"
	 "       min(o.price) FILTER (WHERE q.qty > 0) IS NOT NULL AS in_stock"
	 "       FROM unnest($1::bigint[]) AS x(id)"
	 "       LEFT JOIN (product_variants v JOIN offers o ON o.variant_id = v.id AND o.status = 'active'"
	 "                  JOIN sellers sl ON sl.id = o.seller_id AND sl.status = 'active'"
	 "                  CROSS JOIN LATERAL (SELECT COALESCE(sum(quantity_available), 0) AS qty"
	 "                                      FROM inventory WHERE sku_id = o.id) q)"
	 "       ON v.product_id = x.id GROUP BY x.id) s"
	 " WHERE p.id = s.id AND (p.price_min, p.in_stock) IS DISTINCT FROM (s.price_min, s.in_stock)"},
	{"catalog_set_offer_price",
	 "UPDATE offers o SET price = $2 FROM product_variants v"
	 " WHERE o.id = $1 AND v.id = o.variant_id RETURNING v.product_id"},
	{"catalog_set_stock",
	 "WITH up AS (INSERT INTO inventory (sku_id, warehouse_id, quantity_available)"
	 "            VALUES ($1, $2, $3) ON CONFLICT (sku_id, warehouse_id)"
	 "            DO UPDATE SET quantity_available = EXCLUDED.quantity_available"
	 "            RETURNING sku_id)"
	 " SELECT v.product_id FROM up JOIN offers o ON o.id = up.sku_id"
	 " JOIN product_variants v ON v.id = o.variant_id"},
	{"catalog_category",
	 "SELECT id, parent_id, name, slug, path, depth FROM categories WHERE id = $1"},
	{"catalog_breadcrumbs",
	 "SELECT id, name, slug FROM categories"
	 " WHERE id = ANY (string_to_array($1, '.')::bigint[]) ORDER BY depth"},
	{"catalog_children", COUNTED_CATEGORIES(" AND c.path LIKE $2 || '.%'")
	 " WHERE c.parent_id = $1 ORDER BY c.name"},
	{"catalog_roots", COUNTED_CATEGORIES("")
	 " WHERE c.parent_id IS NULL ORDER BY product_count DESC, c.name"},
	{"catalog_all_categories", COUNTED_CATEGORIES("") " ORDER BY c.path"},
	{"catalog_list_rank", LIST_COLS " ORDER BY p.sales_rank, p.id LIMIT $2 OFFSET $3"},
	{"catalog_list_price_asc",
	 LIST_COLS " ORDER BY p.price_min NULLS LAST, p.sales_rank, p.id LIMIT $2 OFFSET $3"},
	{"catalog_list_price_desc",
	 LIST_COLS " ORDER BY p.price_min DESC NULLS LAST, p.sales_rank, p.id LIMIT $2 OFFSET $3"},
	{"catalog_list_rating",
	 LIST_COLS " ORDER BY p.rating DESC NULLS LAST, p.rating_count DESC, p.id LIMIT $2 OFFSET $3"},
	{"catalog_list_newest",
	 LIST_COLS " ORDER BY p.created_at DESC, p.id DESC LIMIT $2 OFFSET $3"},
	{"catalog_count",
	 "SELECT count(*) AS total FROM products p JOIN categories c ON c.id = p.category_id"
	 " WHERE (c.path = $1 OR c.path LIKE $1 || '.%') AND p.status = 'active'"},
	{"catalog_featured",
	 "SELECT id, ref, title, brand, rating, rating_count, price_min, in_stock, image_url"
	 " FROM products WHERE status = 'active' AND in_stock ORDER BY sales_rank, id LIMIT $1"},
};

void catalog_register(void)
{
	db_register(catalog_sql, sizeof(catalog_sql) / sizeof(catalog_sql[0]));
	outbox_register();
}

static const char *product_key(ctx *c, int64_t id)
{
	buf b;
	buf_init(&b, c->a, 64);
	buf_printf(&b, "product:%lld", (long long)id);
	return b.p;
}

int catalog_product_json(ctx *c, int64_t id, str *out, bool *cache_hit)
{
	const char *key = product_key(c, id);
	*cache_hit = false;
	if (rds_get(c, key, out) == 1) {
		*cache_hit = true;
		return SOUK_OK;
	}
	const char *params[] = {db_param_i64(c, id)};
	db_res *r = db_exec(c, "catalog_product_doc", 1, params);
	if (!r)
		return SOUK_ERR;
	if (db_rows(r) == 0)
		return ctx_fail(c, 404, "not_found", "no product with id %lld", (long long)id);
	*out = str_c(db_val(r, 0, "doc"));
	rds_setex(c, key, c->cfg->cache_ttl, *out); /* best effort */
	return SOUK_OK;
}

#define INVALIDATE_CHUNK 500 /* keys per DEL: bounded command size */

void catalog_invalidate_many(ctx *c, const int64_t *ids, size_t n)
{
	const char *argv[INVALIDATE_CHUNK + 1] = {"DEL"};
	for (size_t at = 0; at < n; at += INVALIDATE_CHUNK) {
		size_t k = n - at < INVALIDATE_CHUNK ? n - at : INVALIDATE_CHUNK;
		for (size_t i = 0; i < k; i++) {
			const char *key = product_key(c, ids[at + i]);
			argv[i + 1] = key ? key : "product:"; /* out of memory: a key nobody uses */
		}
		if (!rds_cmd(c, (int)k + 1, argv, NULL)) {
			ctx_log(c, LOG_WARN, "catalog: could not invalidate %zu products (redis down); "
			        "the entries expire within their TTL", n - at);
			break;
		}
	}
	if (n)
		rds_incr(c, "catalog:version");
}

void catalog_invalidate(ctx *c, int64_t product_id)
{
	catalog_invalidate_many(c, &product_id, 1);
}

const char *catalog_id_array(ctx *c, const int64_t *ids, size_t n)
{
	buf b;
	buf_init(&b, c->a, 0);
	buf_putc(&b, '{');
	for (size_t i = 0; i < n; i++)
		buf_printf(&b, i ? ",%lld" : "%lld", (long long)ids[i]);
	buf_putc(&b, '}');
	return b.p;
}

int catalog_refresh(ctx *c, const char *ids)
{
	const char *p[] = {ids};
	return db_exec(c, "catalog_refresh_product", 1, p) ? SOUK_OK : SOUK_ERR;
}

int catalog_write(ctx *c, const char *stmt, int n, const char *const *params, const char *what,
                  json_object *ev, db_res **row)
{
	if (db_begin(c) < 0)
		return SOUK_ERR;
	db_res *r = db_exec(c, stmt, n, params);
	if (!r)
		goto fail;
	if (db_rows(r) == 0) {
		db_rollback(c);
		return ctx_fail(c, 404, "not_found", "no such %s", what);
	}
	int64_t pid = db_i64(r, 0, "product_id");
	const char *p1[] = {db_param_i64(c, pid)};
	js_i64(ev, "product_id", pid);
	if (catalog_refresh(c, catalog_id_array(c, &pid, 1)) < 0 ||
	    outbox_add(c, "catalog", p1[0], ev) < 0 || db_commit(c) < 0)
		goto fail;
	/* After commit: a reader must not re-cache the old document. */
	catalog_invalidate(c, pid);
	if (row)
		*row = r;
	return SOUK_OK;
fail:
	db_rollback(c);
	return SOUK_ERR;
}

int catalog_set_offer_price(ctx *c, int64_t offer_id, int64_t cents)
{
	if (cents <= 0 || cents > 100000000)
		return ctx_fail(c, 400, "bad_request", "price must be from 1 to 100000000 cents");
	const char *params[] = {db_param_i64(c, offer_id), db_param_i64(c, cents)};
	json_object *ev = js_obj(c);
	js_str(ev, "type", "catalog.price_changed");
	js_i64(ev, "offer_id", offer_id);
	js_i64(ev, "price", cents);
	return catalog_write(c, "catalog_set_offer_price", 2, params, "offer", ev, NULL);
}

int catalog_set_stock(ctx *c, int64_t offer_id, int64_t warehouse_id, int64_t qty)
{
	if (qty < 0 || qty > 1000000)
		return ctx_fail(c, 400, "bad_request", "quantity must be from 0 to 1000000");
	const char *params[] = {db_param_i64(c, offer_id), db_param_i64(c, warehouse_id),
	                        db_param_i64(c, qty)};
	json_object *ev = js_obj(c);
	js_str(ev, "type", "catalog.stock_changed");
	js_i64(ev, "offer_id", offer_id);
	js_i64(ev, "warehouse_id", warehouse_id);
	js_i64(ev, "quantity", qty);
	return catalog_write(c, "catalog_set_stock", 3, params, "offer or warehouse", ev, NULL);
}

db_res *catalog_category(ctx *c, int64_t id)
{
	const char *params[] = {db_param_i64(c, id)};
	db_res *r = db_exec(c, "catalog_category", 1, params);
	if (r && db_rows(r) == 0) {
		ctx_fail(c, 404, "not_found", "no category with id %lld", (long long)id);
		return NULL;
	}
	return r;
}

db_res *catalog_breadcrumbs(ctx *c, const char *path)
{
	const char *params[] = {path};
	return db_exec(c, "catalog_breadcrumbs", 1, params);
}

db_res *catalog_children(ctx *c, int64_t parent_id, const char *parent_path)
{
	const char *params[] = {db_param_i64(c, parent_id), parent_path};
	return db_exec(c, "catalog_children", 2, params);
}

db_res *catalog_roots(ctx *c)
{
	return db_exec(c, "catalog_roots", 0, NULL);
}

db_res *catalog_all_categories(ctx *c)
{
	return db_exec(c, "catalog_all_categories", 0, NULL);
}

db_res *catalog_list(ctx *c, const char *path, catalog_sort sort, int64_t limit,
                     int64_t offset)
{
	static const char *const stmts[] = {"catalog_list_rank", "catalog_list_price_asc",
	                                    "catalog_list_price_desc", "catalog_list_rating",
	                                    "catalog_list_newest"};
	const char *params[] = {path, db_param_i64(c, limit), db_param_i64(c, offset)};
	return db_exec(c, stmts[sort], 3, params);
}

int64_t catalog_count(ctx *c, const char *path)
{
	const char *params[] = {path};
	db_res *r = db_exec(c, "catalog_count", 1, params);
	return r ? db_i64(r, 0, "total") : -1;
}

db_res *catalog_featured(ctx *c, int64_t limit)
{
	const char *params[] = {db_param_i64(c, limit)};
	return db_exec(c, "catalog_featured", 1, params);
}
