/* seller_return: request, decide and list returns of a seller's items. */
#include "shop/seller_return.h"

#include <string.h>

#include "core/buf.h"
#include "core/log.h"
#include "shop/ledger.h"
#include "shop/order.h"
#include "shop/payment.h"
#include "shop/restock.h"

static const db_stmt sret_sql[] = {
	{"sret_order",
	 "SELECT status, delivered_at IS NOT NULL AND delivered_at > now() - make_interval(days => $2)"
	 " AS in_window FROM orders WHERE id = $1 FOR UPDATE"},
	/* per item: its seller and the units not yet in a live return */
	{"sret_item",
	 "SELECT i.seller_id, i.qty - COALESCE((SELECT sum(ri.qty) FROM return_items ri"
	 "  JOIN returns r ON r.id = ri.return_id WHERE ri.order_item_id = i.id"
	 "  AND r.status <> 'rejected'), 0) AS left_qty"
	 " FROM order_items i WHERE i.id = $1 AND i.order_id = $2"},
	{"sret_ins",
	 "INSERT INTO returns (order_id, seller_id, reason) VALUES ($1, $2, $3) RETURNING id"},
	{"sret_item_ins", "INSERT INTO return_items (return_id, order_item_id, qty) VALUES ($1, $2, $3)"},
	{"sret_get",
	 "SELECT r.order_id, r.status, r.seller_id FROM returns r WHERE r.id = $1"
	 " AND ($2::bigint = 0 OR r.seller_id = $2) FOR UPDATE"},
	/* after the return's row: the lock the whole-order return takes
	 * first, so a restock never races it (lib/shop/restock.h) */
	{"sret_lock_order", "SELECT status FROM orders WHERE id = $1 FOR UPDATE"},
	{"sret_move",
	 "UPDATE returns SET status = $2, updated_at = now() WHERE id = $1 AND status = 'requested'"},
	{"sret_event",
	 "INSERT INTO order_events (order_id, from_status, to_status, actor, note)"
	 " SELECT id, status, status, $2, $3 FROM orders WHERE id = $1"},
	{"sret_list",
	 "SELECT r.id, o.public_id, r.status, r.reason, r.created_at,"
	 " (SELECT COALESCE(sum(qty), 0) FROM return_items ri WHERE ri.return_id = r.id) AS items"
	 " FROM returns r JOIN orders o ON o.id = r.order_id WHERE r.seller_id = $1"
	 " ORDER BY r.id DESC LIMIT $2 OFFSET $3"},
};

void seller_return_register(void)
{
	db_register(sret_sql, sizeof(sret_sql) / sizeof(sret_sql[0]));
	ledger_register();
	pay_register();
	restock_register();
}

static int finish(ctx *c, int rc)
{
	if (rc == SOUK_OK)
		return db_commit(c);
	db_rollback(c);
	return SOUK_ERR;
}

static int event(ctx *c, int64_t order_id, const char *actor, const char *note)
{
	const char *p[] = {db_param_i64(c, order_id), actor, note};
	return db_exec(c, "sret_event", 3, p) ? SOUK_OK : SOUK_ERR;
}

static int request_locked(ctx *c, int64_t order_id, const char *actor, const char *reason,
                          const seller_return_item *items, int n, int64_t *return_id)
{
	const char *p[] = {db_param_i64(c, order_id), db_param_i64(c, ORDER_RETURN_DAYS)};
	db_res *o = db_exec(c, "sret_order", 2, p);
	if (!o)
		return SOUK_ERR;
	if (db_rows(o) == 0)
		return ctx_fail(c, 404, "not_found", "no such order");
	if (strcmp(db_val(o, 0, "status"), "DELIVERED") != 0)
		return ctx_fail(c, 409, "not_returnable", "only a delivered order can be returned");
	if (!db_bool(o, 0, "in_window"))
		return ctx_fail(c, 409, "not_returnable", "the %d-day return window has closed",
		                ORDER_RETURN_DAYS);
	int64_t seller = 0;
	for (int i = 0; i < n; i++) {
		const char *q[] = {db_param_i64(c, items[i].order_item_id), p[0]};
		db_res *it = db_exec(c, "sret_item", 2, q);
		if (!it)
			return SOUK_ERR;
		if (db_rows(it) == 0)
			return ctx_fail_field(c, 400, "bad_request", "items", "item %lld is not in this order",
			                      (long long)items[i].order_item_id);
		if (seller && db_i64(it, 0, "seller_id") != seller)
			return ctx_fail_field(c, 400, "bad_request", "items",
			                      "one return holds the items of one seller");
		seller = db_i64(it, 0, "seller_id");
		if (items[i].qty < 1 || items[i].qty > db_i64(it, 0, "left_qty"))
			return ctx_fail_field(c, 400, "bad_request", "items",
			                      "item %lld: %d units asked, %lld left to return",
			                      (long long)items[i].order_item_id, items[i].qty,
			                      (long long)db_i64(it, 0, "left_qty"));
	}
	const char *r[] = {p[0], db_param_i64(c, seller), reason ? reason : ""};
	db_res *ins = db_exec(c, "sret_ins", 3, r);
	if (!ins) /* the open-return index: one at a time per seller */
		return strcmp(db_sqlstate(c->db), "23505") == 0
		           ? (ctx_clear(c), ctx_fail(c, 409, "not_returnable",
		                                     "a return of this seller's items is already open"))
		           : SOUK_ERR;
	*return_id = db_i64(ins, 0, "id");
	for (int i = 0; i < n; i++) {
		const char *q[] = {db_val(ins, 0, "id"), db_param_i64(c, items[i].order_item_id),
		                   db_param_i64(c, items[i].qty)};
		if (!db_exec(c, "sret_item_ins", 3, q))
			return SOUK_ERR;
	}
	return event(c, order_id, actor, "return requested");
}

int seller_return_request(ctx *c, int64_t order_id, const char *actor, const char *reason,
                          const seller_return_item *items, int n, int64_t *return_id)
{
	if (n < 1 || n > 100)
		return ctx_fail_field(c, 400, "bad_request", "items", "name 1 to 100 items to return");
	if (reason && strlen(reason) > 500)
		return ctx_fail_field(c, 400, "bad_request", "reason",
		                      "reason must be at most 500 characters");
	if (db_begin(c) < 0)
		return SOUK_ERR;
	return finish(c, request_locked(c, order_id, actor, reason, items, n, return_id));
}

static int decide_locked(ctx *c, int64_t return_id, int64_t seller_id, bool approve,
                         const char *actor, int64_t *order_id)
{
	const char *p[] = {db_param_i64(c, return_id), db_param_i64(c, seller_id)};
	db_res *r = db_exec(c, "sret_get", 2, p);
	if (!r)
		return SOUK_ERR;
	if (db_rows(r) == 0 || (seller_id > 0 && db_null(r, 0, "seller_id")))
		return ctx_fail(c, 404, "not_found", "no such return");
	if (strcmp(db_val(r, 0, "status"), "requested") != 0)
		return ctx_fail(c, 409, "illegal_transition", "a return that is %s cannot be decided",
		                db_val(r, 0, "status"));
	*order_id = db_i64(r, 0, "order_id");
	const char *m[] = {p[0], approve ? "received" : "rejected"};
	if (!db_exec(c, "sret_move", 2, m))
		return SOUK_ERR;
	if (event(c, *order_id, actor, approve ? "return approved" : "return rejected") < 0)
		return SOUK_ERR;
	if (!approve)
		return SOUK_OK;
	/* accepted back: its units are sellable again, each unit once */
	const char *o[] = {db_param_i64(c, *order_id)};
	int64_t units;
	if (!db_exec(c, "sret_lock_order", 1, o) || restock_return(c, *order_id, return_id, &units) < 0)
		return SOUK_ERR;
	int64_t amount;
	if (ledger_return_amount(c, *order_id, return_id, &amount) < 0)
		return SOUK_ERR;
	if (amount <= 0)
		return SOUK_OK;
	buf why;
	buf_init(&why, c->a, 64);
	buf_printf(&why, "return:%lld", (long long)return_id);
	return pay_refund_order(c, *order_id, amount, why.p);
}

int seller_return_decide(ctx *c, int64_t return_id, int64_t seller_id, bool approve,
                         const char *actor)
{
	if (db_begin(c) < 0)
		return SOUK_ERR;
	int64_t order_id = 0;
	if (finish(c, decide_locked(c, return_id, seller_id, approve, actor, &order_id)) < 0)
		return SOUK_ERR;
	if (approve && pay_ops_run_order(c, order_id) < 0) { /* else the worker makes it */
		ctx_log(c, LOG_WARN, "return %lld: refund left for the worker: %s", (long long)return_id,
		        c->err_msg ? c->err_msg : "?");
		ctx_clear(c);
	}
	return SOUK_OK;
}

db_res *seller_return_list(ctx *c, int64_t seller_id, int64_t limit, int64_t offset)
{
	const char *p[] = {db_param_i64(c, seller_id), db_param_i64(c, limit),
	                   db_param_i64(c, offset)};
	return db_exec(c, "sret_list", 3, p);
}
