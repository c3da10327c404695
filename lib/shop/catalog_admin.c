/* catalog_admin: the admin's catalog edits over the catalog's write path. */
#include "shop/catalog_admin.h"

#include "core/js.h"
#include "shop/catalog.h"
#include "store/db.h"

static const db_stmt catalog_admin_sql[] = {
	{"catalog_set_title", "UPDATE products SET title = $2 WHERE id = $1 RETURNING id AS product_id"},
	{"catalog_set_status",
	 "UPDATE products SET status = $2 WHERE id = $1 RETURNING id AS product_id"},
	{"catalog_stock_row",
	 "SELECT quantity_reserved + quantity_sold AS floor FROM inventory"
	 " WHERE sku_id = $1 AND warehouse_id = $2"},
	/* guarded again: a reservation between the read and this write */
	{"catalog_set_received",
	 "WITH up AS (UPDATE inventory SET quantity_available = $3 - quantity_reserved - quantity_sold"
	 "            WHERE sku_id = $1 AND warehouse_id = $2"
	 "              AND $3 >= quantity_reserved + quantity_sold RETURNING sku_id)"
	 " SELECT v.product_id FROM up JOIN offers o ON o.id = up.sku_id"
	 " JOIN product_variants v ON v.id = o.variant_id"},
};

void catalog_admin_register(void)
{
	db_register(catalog_admin_sql, sizeof(catalog_admin_sql) / sizeof(catalog_admin_sql[0]));
}

int catalog_set_title(ctx *c, int64_t product_id, const char *title)
{
	size_t n = title ? strlen(title) : 0;
	if (n == 0 || n > 300)
		return ctx_fail(c, 400, "bad_request", "the title must be 1 to 300 characters");
	for (size_t i = 0; i < n; i++)
		if ((unsigned char)title[i] < 0x20 || title[i] == 0x7f)
			return ctx_fail(c, 400, "bad_request", "the title may not contain control characters");
	const char *p[] = {db_param_i64(c, product_id), title};
	json_object *ev = js_obj(c);
	js_str(ev, "type", "catalog.product_changed");
	js_str(ev, "field", "title");
	return catalog_write(c, "catalog_set_title", 2, p, "product", ev, NULL);
}

int catalog_set_status(ctx *c, int64_t product_id, const char *status)
{
	if (!status || (strcmp(status, "active") && strcmp(status, "withdrawn")))
		return ctx_fail(c, 400, "bad_request", "the status must be active or withdrawn");
	const char *p[] = {db_param_i64(c, product_id), status};
	json_object *ev = js_obj(c);
	js_str(ev, "type", "catalog.product_changed");
	js_str(ev, "field", "status");
	js_str(ev, "status", status);
	return catalog_write(c, "catalog_set_status", 2, p, "product", ev, NULL);
}

int catalog_set_received(ctx *c, int64_t offer_id, int64_t warehouse_id, int64_t received)
{
	if (received < 0 || received > 1000000)
		return ctx_fail(c, 400, "bad_request", "received must be from 0 to 1000000");
	const char *p[] = {db_param_i64(c, offer_id), db_param_i64(c, warehouse_id),
	                   db_param_i64(c, received)};
	db_res *row = db_exec(c, "catalog_stock_row", 2, p);
	if (!row)
		return SOUK_ERR;
	if (db_rows(row) == 0)
		return ctx_fail(c, 404, "not_found", "sku %lld has no stock in warehouse %lld",
		                (long long)offer_id, (long long)warehouse_id);
	int64_t floor = db_i64(row, 0, "floor");
	if (received < floor)
		return ctx_fail(c, 400, "bad_request",
		                "received must be at least %lld (reserved + sold of sku %lld)",
		                (long long)floor, (long long)offer_id);
	json_object *ev = js_obj(c);
	js_str(ev, "type", "catalog.stock_changed");
	js_i64(ev, "offer_id", offer_id);
	js_i64(ev, "warehouse_id", warehouse_id);
	js_i64(ev, "received", received);
	js_i64(ev, "quantity", received - floor);
	return catalog_write(c, "catalog_set_received", 3, p, "stock row (it changed; try again)", ev,
	                     NULL);
}
