/* catalog: product documents (cached in Redis), listings, and every write
 * path that changes what a product page shows (each one invalidates). */
#ifndef SOUK_CATALOG_H
#define SOUK_CATALOG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/ctx.h"
#include "store/db.h"

/* Registers the module's SQL; call once before serving. */
void catalog_register(void);

/* The product document as JSON text: id, ref, title, brand, category,
 * breadcrumbs, variants[] with offers[] (in Buy Box order: the first
 * in-stock offer wins), prices in cents. Served from Redis key
 * product:{id} (TTL cfg->cache_ttl) when there, else built by PostgreSQL
 * and cached; a Redis outage only costs speed.
 * Returns SOUK_OK; records 404 for an unknown or withdrawn product. */
int catalog_product_json(ctx *c, int64_t id, str *out, bool *cache_hit);

/* Drops product:{id} and bumps catalog:version (search caches key on it). */
void catalog_invalidate(ctx *c, int64_t product_id);
/* The same for n products in a few round trips (an inventory file's
 * 10,000 products cost 20,000 one by one: bench/inventory-file.sh). */
void catalog_invalidate_many(ctx *c, const int64_t *ids, size_t n);

/* Refreshes price_min/in_stock of the products in ids (an SQL array
 * literal, catalog_id_array) in the caller's transaction; offers of
 * suspended sellers count for nothing. Products whose two columns stay
 * the same are not written (nor stamped for souk-searchd). */
int catalog_refresh(ctx *c, const char *ids);
/* "{1,2,3}" in the arena: ids as an SQL array parameter. */
const char *catalog_id_array(ctx *c, const int64_t *ids, size_t n);
/* Runs write statement stmt (it must return column product_id; no row:
 * 404 "no such <what>"), refreshes that product and writes the `catalog`
 * outbox event ev (+ product_id), in one transaction; invalidates the
 * cache after commit. *row (may be NULL) receives the statement's result. */
int catalog_write(ctx *c, const char *stmt, int n, const char *const *params, const char *what,
                  struct json_object *ev, db_res **row);

/* Write paths. Each runs in one transaction, refreshes the product's
 * denormalised price_min/in_stock and invalidates its cache entry. */
int catalog_set_offer_price(ctx *c, int64_t offer_id, int64_t cents);
int catalog_set_stock(ctx *c, int64_t offer_id, int64_t warehouse_id, int64_t qty);

typedef enum {
	CATALOG_SORT_RANK,       /* best sellers first */
	CATALOG_SORT_PRICE_ASC,
	CATALOG_SORT_PRICE_DESC,
	CATALOG_SORT_RATING,
	CATALOG_SORT_NEWEST,
} catalog_sort;
extern const char *const catalog_sort_names[]; /* "rank", "price_asc", ... NULL */

/* One category: id, parent_id, name, slug, path, depth. NULL + 404
 * recorded when unknown. */
db_res *catalog_category(ctx *c, int64_t id);
/* Root-to-leaf breadcrumbs (id, name, slug) of a category path. */
db_res *catalog_breadcrumbs(ctx *c, const char *path);
/* Direct children with product counts of their subtrees; only the
 * parent's subtree (parent_path) is counted. */
db_res *catalog_children(ctx *c, int64_t parent_id, const char *parent_path);
/* Top-level categories with product counts. */
db_res *catalog_roots(ctx *c);
/* Every category (id, parent_id, name, slug, path, depth, product_count). */
db_res *catalog_all_categories(ctx *c);
/* Active products in the category's whole subtree, one page, with the
 * full count in column "total" of every row (id, title, brand, rating,
 * rating_count, price_min, in_stock, image_url, ref). */
db_res *catalog_list(ctx *c, const char *path, catalog_sort sort, int64_t limit,
                     int64_t offset);
/* Count for an empty page (when offset is past the end). */
int64_t catalog_count(ctx *c, const char *path);
/* Best-selling in-stock products for the home page. */
db_res *catalog_featured(ctx *c, int64_t limit);

#endif
