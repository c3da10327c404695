/* restock: a return's units back into stock, once per unit sold. */
#include "shop/restock.h"

#include "core/log.h"
#include "shop/flash_release.h"
#include "shop/inventory.h"
#include "store/db.h"

static const db_stmt restock_sql[] = {
	/* Per item: the return's units, clamped to what was sold and not
	 * restocked yet; the conditional UPDATE keeps the sum <= qty even
	 * if a row changed since the snapshot (the CHECK is the last wall).
	 * Per sku: the units put back before this return (d, read in the
	 * statement's snapshot, before the UPDATE) and now. */
	{"restock_claim",
	 "WITH w AS (SELECT i.id, least(ri.qty, i.qty - i.qty_restocked) AS k"
	 "           FROM return_items ri JOIN order_items i ON i.id = ri.order_item_id"
	 "           WHERE ri.return_id = $2 AND i.order_id = $1),"
	 " d AS (SELECT sku_id, sum(qty_restocked)::int AS before FROM order_items"
	 "       WHERE order_id = $1 GROUP BY 1),"
	 " up AS (UPDATE order_items i SET qty_restocked = i.qty_restocked + w.k FROM w"
	 "        WHERE i.id = w.id AND w.k > 0 AND i.qty_restocked + w.k <= i.qty"
	 "        RETURNING i.sku_id, w.k)"
	 " SELECT up.sku_id, d.before, sum(up.k)::int AS k FROM up JOIN d USING (sku_id)"
	 " GROUP BY 1, 2 ORDER BY 1"},
};

void restock_register(void)
{
	inv_register();
	flash_release_register();
	db_register(restock_sql, sizeof(restock_sql) / sizeof(restock_sql[0]));
}

int restock_return(ctx *c, int64_t order_id, int64_t return_id, int64_t *units)
{
	*units = 0;
	const char *p[] = {db_param_i64(c, order_id), db_param_i64(c, return_id)};
	db_res *r = db_exec(c, "restock_claim", 2, p);
	if (!r)
		return SOUK_ERR;
	int n = db_rows(r);
	if (n == 0)
		return SOUK_OK; /* every unit of these items is back already */
	inv_units *u = arena_alloc(c->a, sizeof(*u) * (size_t)n);
	if (!u)
		return ctx_fail(c, 500, "internal", "request too large");
	int64_t claimed = 0;
	for (int i = 0; i < n; i++) {
		u[i] = (inv_units){db_i64(r, i, "sku_id"), (int)db_i64(r, i, "before"),
		                   (int)db_i64(r, i, "k")};
		claimed += u[i].qty;
	}
	/* a flash order holds no reservation: its units came from the sale */
	int flash = flash_return_units(c, order_id, claimed);
	if (flash < 0)
		return SOUK_ERR;
	int64_t moved = claimed;
	if (!flash && inv_restock_units(c, order_id, u, n, &moved) < 0)
		return SOUK_ERR;
	if (moved != claimed) /* an order without reservations (loaded, not bought) */
		ctx_log(c, LOG_WARN, "return %lld: %lld of %lld units had no reservation to restock",
		        (long long)return_id, (long long)(claimed - moved), (long long)claimed);
	*units = moved;
	return SOUK_OK;
}
