/* order_expiry: the batch that releases expired reservations and cancels their orders. */
#include "shop/order_expiry.h"

#include "shop/inventory.h"
#include "shop/order.h"
#include "shop/payment.h"
#include "store/db.h"

static const db_stmt expiry_sql[] = {
	/* Orders a confirm is working on are locked: skip them, never wait.
	 * A flash order holds no reservation: it expires as long after it
	 * was placed as a reservation would ($2 s). */
	{"order_expire_pick",
	 "SELECT o.id FROM orders o WHERE o.status = 'PENDING' AND (EXISTS"
	 " (SELECT 1 FROM reservations r WHERE r.order_id = o.id AND r.status = 'held'"
	 "  AND r.expires_at < now()) OR EXISTS"
	 " (SELECT 1 FROM flash_orders f WHERE f.order_id = o.id AND NOT f.released"
	 "  AND f.created_at < now() - make_interval(secs => $2)))"
	 " ORDER BY o.id LIMIT $1 FOR UPDATE OF o SKIP LOCKED"},
};

void order_expiry_register(void)
{
	inv_register();
	order_register();
	pay_register(); /* an expired flash order's payment is settled */
	db_register(expiry_sql, sizeof(expiry_sql) / sizeof(expiry_sql[0]));
}

int order_expire_batch(ctx *c, int limit, int *cancelled)
{
	if (cancelled)
		*cancelled = 0;
	if (limit < 1)
		limit = 1;
	if (db_begin(c) < 0)
		return SOUK_ERR;
	const char *pp[] = {db_param_i64(c, limit), db_param_i64(c, INV_HOLD_SECONDS)};
	db_res *picked = db_exec(c, "order_expire_pick", 2, pp);
	if (!picked) {
		db_rollback(c);
		return SOUK_ERR;
	}
	int k = db_rows(picked);
	if (k == 0) {
		db_rollback(c);
		return SOUK_OK;
	}
	int64_t *ids = arena_alloc(c->a, sizeof(*ids) * (size_t)k);
	order_hooked *hk = arena_alloc(c->a, sizeof(*hk) * (size_t)k);
	if (!ids || !hk) {
		db_rollback(c);
		return ctx_fail(c, 500, "internal", "request too large");
	}
	for (int i = 0; i < k; i++)
		ids[i] = db_i64(picked, i, "id");
	int rc = inv_release_orders(c, ids, k, NULL);
	for (int i = 0; i < k && rc == SOUK_OK; i++) {
		rc = order_transition(c, ids[i], ORDER_CANCELLED, "worker", "reservation expired");
		/* e.g. a flash order's units: back to its sale */
		int took = rc == SOUK_OK ? order_hooks_in_tx(c, ids[i], ORDER_CANCELLED, &hk[i]) : 0;
		if (took < 0)
			rc = SOUK_ERR;
		/* an order a hook holds instead of reservations (a flash order)
		 * expires only when its checkout died (no checkout is left to
		 * void what it authorized): the worker's payments job settles it */
		if (rc == SOUK_OK && took > 0)
			rc = pay_settle_cancel(c, ids[i]);
	}
	if (rc != SOUK_OK) {
		db_rollback(c);
		return SOUK_ERR;
	}
	if (db_commit(c) < 0)
		return SOUK_ERR;
	for (int i = 0; i < k; i++)
		order_hooks_after(c, ids[i], &hk[i]);
	if (cancelled)
		*cancelled = k;
	return SOUK_OK;
}
