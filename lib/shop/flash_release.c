/* flash_release: a cancelled flash order's units back to the sale (or to
 * stock once the sale ended) in PostgreSQL inside the cancel, then into
 * the sale's Redis units after the commit, each exactly once (the worker
 * repairs a lost Redis give-back); a returned one's to normal stock.
 * Installed as order hooks. */
#include "shop/flash_release.h"

#include <string.h>

#include <hiredis/hiredis.h>

#include "core/buf.h"
#include "core/log.h"
#include "shop/flash.h"
#include "shop/inventory.h"
#include "shop/order.h"
#include "store/db.h"
#include "store/rds.h"

/* Stock moves keep the (sku, warehouse) lock order of inventory.c. */
static const db_stmt flash_release_sql[] = {
	/* released flips once; a sale that ended meanwhile shrinks (its
	 * units go to stock, below) */
	{"flash_order_give",
	 "WITH f AS (UPDATE flash_orders SET released = true WHERE order_id = $1 AND NOT released"
	 "           RETURNING sale_id, qty, customer)"
	 " UPDATE flash_sales s SET units_sold = s.units_sold - f.qty,"
	 "  units = CASE WHEN s.state = 'ended' THEN s.units - f.qty ELSE s.units END,"
	 "  sold_out_event = false"
	 " FROM f WHERE s.id = f.sale_id RETURNING s.id, s.state, s.sku_id, f.qty, f.customer,"
	 " extract(epoch FROM s.prequeue_at)::bigint AS pq,"
	 " extract(epoch FROM s.starts_at)::bigint AS st,"
	 " extract(epoch FROM s.ends_at)::bigint AS en"},
	/* gives $2 units back to the warehouses they came from */
	{"flash_return_stock",
	 "WITH s AS (SELECT warehouse_id, qty - returned AS room,"
	 "   coalesce(sum(qty - returned) OVER (ORDER BY warehouse_id ROWS BETWEEN"
	 "   UNBOUNDED PRECEDING AND 1 PRECEDING), 0) AS before"
	 "   FROM flash_stock WHERE sale_id = $1),"
	 " g AS (SELECT warehouse_id, least(room, greatest($2 - before, 0))::int AS q FROM s"
	 "       WHERE least(room, greatest($2 - before, 0)) > 0),"
	 " f AS (UPDATE flash_stock x SET returned = x.returned + g.q FROM g"
	 "       WHERE x.sale_id = $1 AND x.warehouse_id = g.warehouse_id),"
	 " u AS (UPDATE inventory i SET quantity_available = i.quantity_available + g.q FROM g"
	 "       WHERE i.sku_id = $3 AND i.warehouse_id = g.warehouse_id"
	 "       RETURNING g.warehouse_id, g.q)"
	 " SELECT warehouse_id, q FROM u ORDER BY warehouse_id"},
	/* the released orders of the sales still selling, newest first: a
	 * give-back in Redis lost after the release's commit is made again
	 * (flash_repair_gives); idx flash_orders_released (021) */
	{"flash_released_live",
	 "SELECT f.order_id, f.sale_id, f.customer, f.qty, s.state,"
	 " extract(epoch FROM s.prequeue_at)::bigint AS pq,"
	 " extract(epoch FROM s.starts_at)::bigint AS st,"
	 " extract(epoch FROM s.ends_at)::bigint AS en"
	 " FROM flash_sales s JOIN flash_orders f ON f.sale_id = s.id AND f.released"
	 " WHERE s.state <> 'ended' AND s.ends_at > now() ORDER BY f.order_id DESC LIMIT $1"},
	/* a returned (delivered) flash order: its units, and those a seller's
	 * partial return has not put back yet (order_items.qty_restocked),
	 * under the sale row's lock (the order every flash stock move takes:
	 * sale, then flash_stock and inventory) */
	{"flash_order_returned",
	 "SELECT f.sale_id, f.qty, s.sku_id, f.qty - coalesce((SELECT sum(i.qty_restocked)"
	 "   FROM order_items i WHERE i.order_id = f.order_id AND i.sku_id = s.sku_id), 0) AS left_qty"
	 " FROM flash_orders f"
	 " JOIN flash_sales s ON s.id = f.sale_id WHERE f.order_id = $1 AND NOT f.released"
	 " FOR UPDATE OF s"},
};

/* ORDER_CANCELLED: the units back to the sale (or to stock once it
 * ended) in the cancel's transaction, then to the line in Redis. */
static int cancel_in_tx(ctx *c, int64_t order_id, void **done)
{
	flash_released *fr = arena_alloc(c->a, sizeof(*fr));
	if (!fr)
		return ctx_fail(c, 500, "internal", "request too large");
	if (flash_release_order(c, order_id, fr) < 0)
		return SOUK_ERR;
	*done = fr;
	return fr->qty > 0;
}

static void cancel_after(ctx *c, int64_t order_id, void *done)
{
	flash_release_redis(c, order_id, done);
}

/* ORDER_RETURNED: a unit sent back after delivery goes to normal stock,
 * not to the sale (Amazon's Lightning Deals do the same): the sale's
 * units_sold, the customer's count and the Redis units stay. The move
 * to RETURNED happens once, so this does too. */
static int return_in_tx(ctx *c, int64_t order_id, void **done)
{
	(void)done;
	const char *p[] = {db_param_i64(c, order_id)};
	db_res *r = db_exec(c, "flash_order_returned", 1, p);
	if (!r)
		return SOUK_ERR;
	if (db_rows(r) == 0)
		return 0; /* not a flash order */
	int64_t left = db_i64(r, 0, "left_qty"); /* a partial return took the rest */
	if (left > 0 &&
	    flash_return_stock(c, db_i64(r, 0, "sale_id"), left, db_i64(r, 0, "sku_id")) < 0)
		return SOUK_ERR;
	return 1;
}

int flash_return_units(ctx *c, int64_t order_id, int64_t qty)
{
	const char *p[] = {db_param_i64(c, order_id)};
	db_res *r = db_exec(c, "flash_order_returned", 1, p);
	if (!r)
		return SOUK_ERR;
	if (db_rows(r) == 0)
		return 0; /* not a flash order (or a cancelled one: nothing was sold) */
	if (qty > 0 &&
	    flash_return_stock(c, db_i64(r, 0, "sale_id"), qty, db_i64(r, 0, "sku_id")) < 0)
		return SOUK_ERR;
	return 1;
}

static const order_hook flash_on_cancel = {cancel_in_tx, cancel_after};
static const order_hook flash_on_return = {return_in_tx, NULL};

void flash_release_register(void)
{
	inv_register();
	db_register(flash_release_sql, sizeof(flash_release_sql) / sizeof(flash_release_sql[0]));
	order_hook_add(ORDER_CANCELLED, &flash_on_cancel);
	order_hook_add(ORDER_RETURNED, &flash_on_return);
}

int flash_return_stock(ctx *c, int64_t sale, int64_t qty, int64_t sku_id)
{
	const char *p[] = {db_param_i64(c, sale), db_param_i64(c, qty), db_param_i64(c, sku_id)};
	db_res *r = db_exec(c, "flash_return_stock", 3, p);
	if (!r)
		return SOUK_ERR;
	/* like every restock: caches and search hear of the stock */
	for (int i = 0; i < db_rows(r); i++)
		if (inv_outbox_changed(c, sku_id, db_i64(r, i, "warehouse_id")) < 0)
			return SOUK_ERR;
	return SOUK_OK;
}

int flash_release_order(ctx *c, int64_t order_id, flash_released *out)
{
	memset(out, 0, sizeof(*out));
	const char *p[] = {db_param_i64(c, order_id)};
	db_res *r = db_exec(c, "flash_order_give", 1, p);
	if (!r)
		return SOUK_ERR;
	if (db_rows(r) == 0)
		return SOUK_OK;
	out->sale = db_i64(r, 0, "id");
	out->qty = db_i64(r, 0, "qty");
	out->customer = db_val(r, 0, "customer");
	out->state = db_val(r, 0, "state");
	out->prequeue_at = db_i64(r, 0, "pq");
	out->starts_at = db_i64(r, 0, "st");
	out->ends_at = db_i64(r, 0, "en");
	if (strcmp(out->state, "ended") == 0)
		return flash_return_stock(c, out->sale, out->qty, db_i64(r, 0, "sku_id"));
	return SOUK_OK;
}

int64_t flash_release_redis(ctx *c, int64_t order_id, const flash_released *r)
{
	if (r->qty <= 0 || strcmp(r->state, "ended") == 0)
		return 0;
	flash_sale s = {.id = r->sale, .state = r->state, .prequeue_at = r->prequeue_at,
	                .starts_at = r->starts_at, .ends_at = r->ends_at};
	return flash_stock_give(c, &s, r->customer, r->qty, order_id);
}

/* Which of rows [from, n) of sale `sale` are in its `given` set already,
 * one SMISMEMBER for all of them: *in[i] for row i (rows of other sales
 * keep false). false when Redis is down. */
static bool given_already(ctx *c, db_res *r, int from, int64_t sale, bool *in)
{
	int n = db_rows(r), k = 0;
	const char **argv = arena_alloc(c->a, sizeof(*argv) * (size_t)(n - from + 2));
	int *row = arena_alloc(c->a, sizeof(*row) * (size_t)(n - from));
	buf key;
	buf_init(&key, c->a, 64);
	buf_printf(&key, "%sgiven", flash_key(c, sale));
	if (!argv || !row || key.failed)
		return false;
	argv[k++] = "SMISMEMBER";
	argv[k++] = key.p;
	for (int i = from; i < n; i++)
		if (db_i64(r, i, "sale_id") == sale) {
			row[k - 2] = i;
			argv[k++] = db_val(r, i, "order_id");
		}
	redisReply *m = rds_cmd(c, k, argv, NULL);
	if (!m || m->type != REDIS_REPLY_ARRAY || m->elements != (size_t)(k - 2))
		return false;
	for (size_t j = 0; j < m->elements; j++)
		in[row[j]] = m->element[j]->type == REDIS_REPLY_INTEGER && m->element[j]->integer == 1;
	return true;
}

int flash_repair_gives(ctx *c, int limit, int64_t *orders, int64_t *units)
{
	*orders = *units = 0;
	const char *p[] = {db_param_i64(c, limit)};
	db_res *r = db_exec(c, "flash_released_live", 1, p);
	if (!r)
		return SOUK_ERR;
	int n = db_rows(r);
	/* in[i]: row i's units are back in Redis already (the usual case),
	 * asked once per sale instead of one script run per order */
	bool *in = arena_alloc(c->a, sizeof(*in) * (size_t)(n ? n : 1));
	bool *asked = arena_alloc(c->a, sizeof(*asked) * (size_t)(n ? n : 1));
	if (!in || !asked)
		return ctx_fail(c, 500, "internal", "out of memory");
	memset(in, 0, sizeof(*in) * (size_t)n);
	memset(asked, 0, sizeof(*asked) * (size_t)n);
	for (int i = 0; i < n; i++) {
		int64_t order_id = db_i64(r, i, "order_id"), sale = db_i64(r, i, "sale_id");
		if (!asked[i]) {
			if (!given_already(c, r, i, sale, in)) {
				ctx_log(c, LOG_WARN, "flash: the give-backs' repair waits for Redis");
				break; /* the next round */
			}
			for (int j = i; j < n; j++)
				asked[j] = asked[j] || db_i64(r, j, "sale_id") == sale;
		}
		if (in[i])
			continue;
		flash_released fr = {.sale = sale, .qty = db_i64(r, i, "qty"),
		                     .customer = db_val(r, i, "customer"), .state = db_val(r, i, "state"),
		                     .prequeue_at = db_i64(r, i, "pq"), .starts_at = db_i64(r, i, "st"),
		                     .ends_at = db_i64(r, i, "en")};
		int64_t given = flash_release_redis(c, order_id, &fr);
		if (given < 0)
			break; /* Redis is down (logged once): the next round */
		if (given == 0)
			continue; /* given meanwhile, or the sale is not warm */
		ctx_log(c, LOG_WARN, "flash: sale %lld: order %lld's %lld units were not back in Redis:"
		        " given back now", (long long)fr.sale, (long long)order_id, (long long)given);
		*orders += 1;
		*units += given;
	}
	return SOUK_OK;
}
