/* buy_stub: stand-ins for buy-core's pay_capture_order, pay_refund_order
 * and inv_expire_batch with the contract's semantics, until lib/payment.c
 * and lib/inventory.c are merged (then this file is deleted). */
#include "buy_stub.h"

#include "db.h"

static const db_stmt stub_sql[] = {
	{"stub_capture",
	 "UPDATE payments SET status = 'captured', updated_at = now()"
	 " WHERE order_id = $1 AND status = 'authorized'"},
	{"stub_refund",
	 "WITH p AS (SELECT id FROM payments WHERE order_id = $1"
	 "           AND status IN ('captured', 'refunded') AND amount - refunded_amount >= $2"
	 "           ORDER BY id LIMIT 1 FOR UPDATE),"
	 " r AS (INSERT INTO refunds (payment_id, order_id, amount, reason, idempotency_key)"
	 "       SELECT id, $1, $2, $3, 'refund:' || $1 || ':' || $3 FROM p"
	 "       ON CONFLICT (idempotency_key) DO NOTHING RETURNING payment_id)"
	 " UPDATE payments y SET refunded_amount = y.refunded_amount + $2,"
	 "  status = CASE WHEN y.refunded_amount + $2 = y.amount THEN 'refunded' ELSE y.status END,"
	 "  updated_at = now() FROM r WHERE y.id = r.payment_id"},
	{"stub_expire",
	 "WITH r AS (SELECT id FROM reservations WHERE status = 'held' AND expires_at < now()"
	 "           ORDER BY expires_at, id LIMIT $1 FOR UPDATE SKIP LOCKED),"
	 " rel AS (UPDATE reservations x SET status = 'released', updated_at = now() FROM r"
	 "         WHERE x.id = r.id AND x.status = 'held'"
	 "         RETURNING x.order_id, x.sku_id, x.warehouse_id, x.qty),"
	 " inv AS (UPDATE inventory i SET quantity_available = i.quantity_available + s.qty,"
	 "         quantity_reserved = i.quantity_reserved - s.qty"
	 "         FROM (SELECT sku_id, warehouse_id, sum(qty) AS qty FROM rel GROUP BY 1, 2) s"
	 "         WHERE i.sku_id = s.sku_id AND i.warehouse_id = s.warehouse_id RETURNING 1),"
	 " o AS (UPDATE orders SET status = 'CANCELLED', updated_at = now()"
	 "       WHERE id IN (SELECT order_id FROM rel) AND status = 'PENDING'"
	 "       RETURNING id, public_id),"
	 " ev AS (INSERT INTO order_events (order_id, from_status, to_status, actor, note)"
	 "        SELECT id, 'PENDING', 'CANCELLED', 'worker', 'reservation expired' FROM o),"
	 " ob AS (INSERT INTO outbox (topic, key, payload)"
	 "        SELECT 'orders', public_id, json_build_object('type', 'order.cancelled',"
	 "          'order_id', id, 'public_id', public_id, 'from', 'PENDING', 'to', 'CANCELLED',"
	 "          'reason', 'expired') FROM o ORDER BY id)"
	 " SELECT count(*) AS n FROM rel"},
};

void buy_stub_register(void)
{
	db_register(stub_sql, sizeof(stub_sql) / sizeof(stub_sql[0]));
}

int pay_capture_order(ctx *c, int64_t order_id)
{
	const char *p[] = {db_param_i64(c, order_id)};
	return db_exec(c, "stub_capture", 1, p) ? SOUK_OK : SOUK_ERR;
}

int pay_refund_order(ctx *c, int64_t order_id, int64_t amount, const char *reason)
{
	const char *p[] = {db_param_i64(c, order_id), db_param_i64(c, amount), reason};
	return db_exec(c, "stub_refund", 3, p) ? SOUK_OK : SOUK_ERR;
}

int inv_expire_batch(ctx *c, int limit)
{
	const char *p[] = {db_param_i64(c, limit)};
	if (db_begin(c) < 0)
		return -1;
	db_res *r = db_exec(c, "stub_expire", 1, p);
	if (!r || db_commit(c) < 0) {
		db_rollback(c);
		return -1;
	}
	return (int)db_i64(r, 0, "n");
}
