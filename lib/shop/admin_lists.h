/* admin_lists: the admin's lists and look-ups (orders with filters,
 * returns, customers, products, warehouses and stock). Reads only; every
 * db_res belongs to the request arena; NULL + failure recorded on error. */
#ifndef SOUK_ADMIN_LISTS_H
#define SOUK_ADMIN_LISTS_H

#include <stdbool.h>

#include "core/ctx.h"
#include "store/db.h"

void admin_lists_register(void);

/* The order list's filters; NULL (or false) = any. Dates "YYYY-MM-DD"
 * (checked by the caller), both days included. pay: the latest payment's
 * status, or "none". q: a public id (exact) or part of the e-mail. */
typedef struct admin_order_filter {
	const char *status, *from, *to, *pay, *q;
	bool declined; /* include checkouts cancelled by a declined payment */
} admin_order_filter;
/* Newest first: id, public_id, email, status, total, created_at,
 * cancel_reason, item_count, pay_status, decline_code, sellers (names,
 * comma-separated) and total_count (the full count, in every row). */
db_res *admin_orders(ctx *c, const admin_order_filter *f, int64_t limit, int64_t offset);

/* The order's items with their sellers: title, variant, qty, seller,
 * fulfillment. */
db_res *admin_order_sellers(ctx *c, int64_t order_id);

/* Returns, newest first, optionally of one status: id, status, reason,
 * created_at, public_id, email, total, total_count. */
db_res *admin_returns(ctx *c, const char *status, int64_t limit, int64_t offset);

/* Accounts, newest first, optionally whose e-mail contains q: id, email,
 * name, role, created_at, orders, spent (cents, counted orders),
 * total_count. */
db_res *admin_customers(ctx *c, const char *q, int64_t limit, int64_t offset);
/* One account (id, email, name, role, created_at); 404 when unknown. */
db_res *admin_customer(ctx *c, int64_t id);

/* Products by ref (exact) or title (contains, case-insensitive), by id:
 * id, ref, title, status, price_min, in_stock, available. limit + 1 rows
 * are asked for by callers who want to know of a next page. */
db_res *admin_products(ctx *c, const char *q, int64_t limit, int64_t offset);
/* One product (id, ref, title, status, price_min, in_stock, brand); 404. */
db_res *admin_product(ctx *c, int64_t id);
/* The product's offers: sku_id, sku, variant, seller, price, status,
 * available, reserved, sold. */
db_res *admin_product_offers(ctx *c, int64_t product_id);

/* The product's stock rows: sku_id, sku, warehouse_id, warehouse,
 * available, reserved, sold, received (their sum); by sku, warehouse. */
db_res *admin_product_stock(ctx *c, int64_t product_id);

/* Warehouses: id, name, region, seller (NULL: the platform's), skus,
 * available, reserved, sold. */
db_res *admin_warehouses(ctx *c);
/* One warehouse (id, name, region, seller); 404 when unknown. */
db_res *admin_warehouse(ctx *c, int64_t id);
/* Stock rows of a warehouse, optionally only skus whose code or product
 * title contains q: sku_id, sku, product_id, title, available, reserved,
 * sold, received (their sum); by sku id. limit + 1 as above. */
db_res *admin_stock(ctx *c, int64_t warehouse_id, const char *q, int64_t limit, int64_t offset);

#endif
