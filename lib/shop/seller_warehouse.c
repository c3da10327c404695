/* seller_warehouse: a seller's own warehouses (the default for stock). */
#include "shop/seller_warehouse.h"

static const db_stmt seller_warehouse_sql[] = {
	{"seller_warehouses",
	 "SELECT id, name, region FROM warehouses WHERE seller_id = $1 ORDER BY id"},
};

void seller_warehouse_register(void)
{
	db_register(seller_warehouse_sql, sizeof(seller_warehouse_sql) / sizeof(seller_warehouse_sql[0]));
}

db_res *seller_warehouses(ctx *c, int64_t seller_id)
{
	const char *p[] = {db_param_i64(c, seller_id)};
	return db_exec(c, "seller_warehouses", 1, p);
}

int64_t seller_default_warehouse(ctx *c, int64_t seller_id)
{
	db_res *r = seller_warehouses(c, seller_id);
	if (!r)
		return 0;
	if (db_rows(r) == 0) {
		ctx_fail(c, 500, "internal", "this seller has no warehouse");
		return 0;
	}
	return db_i64(r, 0, "id");
}
