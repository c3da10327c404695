/* payout: create payouts under a per-seller lock, then pay them. */
#include "shop/payout.h"

#include "core/buf.h"
#include "core/log.h"
#include "shop/ledger.h"
#include "shop/order.h"
#include "shop/payment.h"
#include "store/db.h"

static const db_stmt payout_sql[] = {
	{"payout_sellers",
	 "SELECT seller_id FROM ledger_accounts WHERE kind = 'seller_payable' ORDER BY seller_id"},
	/* two overlapping runs queue here; the second finds nothing available */
	{"payout_lock", "SELECT pg_advisory_xact_lock(7412, $1::int)"},
	/* A refund of one of the seller's settled orders (delivered before the
	 * balance's cut, so it lowers what is available) recorded but not yet
	 * booked by the ledger group: its refunds row and payment.refunded
	 * event commit together, and the group books it under the unique ref
	 * refund:<id>, so "no such transaction" is "not booked yet" (or given
	 * up on). Driven by the seller's own orders (order_items_seller_idx,
	 * refunds_order_idx, the ref's unique index): a run costs each seller
	 * their orders, not every refund ever recorded. */
	{"payout_unbooked",
	 "SELECT f.id, f.order_id FROM (SELECT DISTINCT order_id FROM order_items WHERE seller_id = $1) i"
	 " JOIN orders o ON o.id = i.order_id AND o.delivered_at <= now() - make_interval(days => $2)"
	 " JOIN refunds f ON f.order_id = i.order_id"
	 " WHERE NOT EXISTS (SELECT 1 FROM ledger_transactions t WHERE t.ref = 'refund:' || f.id)"
	 " ORDER BY f.id LIMIT 1"},
	{"payout_ins",
	 "INSERT INTO payouts (seller_id, period, amount)"
	 " VALUES ($1, to_char(clock_timestamp(), 'YYYY-MM-DD\"T\"HH24:MI:SS.US'), $2) RETURNING id"},
	{"payout_pending",
	 "SELECT p.id, p.seller_id, p.amount,"
	 " 'acct_' || COALESCE(NULLIF(s.payout_account, ''), 'seller_' || s.id) AS account"
	 " FROM payouts p JOIN sellers s ON s.id = p.seller_id WHERE p.status = 'pending' ORDER BY p.id"},
	{"payout_done",
	 "UPDATE payouts SET status = $2, provider_ref = $3, paid_at = CASE WHEN $2 = 'paid'"
	 " THEN now() END WHERE id = $1 AND status = 'pending' RETURNING seller_id, amount"},
};

void payout_register(void)
{
	db_register(payout_sql, sizeof(payout_sql) / sizeof(payout_sql[0]));
	ledger_register();
	pay_register();
}

static const char *ref_of(ctx *c, const char *what, int64_t id)
{
	buf b;
	buf_init(&b, c->a, 64);
	buf_printf(&b, "%s:%lld", what, (long long)id);
	return b.p;
}

/* Under the seller's lock, before the balance is read: *held when a
 * refund that lowers the available balance is recorded but not booked
 * yet (the ledger group trails the money by up to a second): the balance
 * would still count the refunded sale, and paying it out would leave the
 * seller negative once the refund is booked. The seller waits for the
 * next run, which finds it booked. Why not book it here instead: the
 * bookings have one writer (the group, under its per-order locks taken in
 * order), and a payout that books too would add a lock order to get
 * wrong for a case that waits a run at most. */
static int held_back(ctx *c, int64_t seller_id, bool *held)
{
	const char *p[] = {db_param_i64(c, seller_id), db_param_i64(c, ORDER_RETURN_DAYS)};
	db_res *r = db_exec(c, "payout_unbooked", 2, p);
	if (!r)
		return SOUK_ERR;
	*held = db_rows(r) > 0;
	if (*held)
		ctx_log(c, LOG_WARN, "payout: seller %lld held back to the next run: refund %s of "
		        "order %s is not booked yet", (long long)seller_id, db_val(r, 0, "id"),
		        db_val(r, 0, "order_id"));
	return SOUK_OK;
}

/* One seller's payout row and ledger transaction, one transaction. */
static int create_one(ctx *c, int64_t seller_id, int64_t *amount)
{
	*amount = 0;
	if (db_begin(c) < 0)
		return SOUK_ERR;
	const char *p[] = {db_param_i64(c, seller_id)};
	ledger_balance b = {0};
	bool held = false;
	int rc = db_exec(c, "payout_lock", 1, p) ? SOUK_OK : SOUK_ERR;
	if (rc == SOUK_OK)
		rc = held_back(c, seller_id, &held);
	if (rc == SOUK_OK && !held)
		rc = ledger_seller_balance(c, seller_id, &b);
	if (rc == SOUK_OK && !held && b.available > 0) {
		const char *q[] = {p[0], db_param_i64(c, b.available)};
		db_res *r = db_exec(c, "payout_ins", 2, q);
		rc = r ? SOUK_OK : SOUK_ERR;
		bool booked;
		ledger_line l[] = {{"seller_payable", seller_id, b.available, "payout", 0},
		                   {"payouts", 0, -b.available, "payout", 0}};
		if (rc == SOUK_OK)
			rc = ledger_post(c, "payout", ref_of(c, "payout", db_i64(r, 0, "id")), 0,
			                 "payout", l, 2, &booked);
		if (rc == SOUK_OK)
			*amount = b.available;
	}
	if (rc == SOUK_OK)
		return db_commit(c);
	db_rollback(c);
	return SOUK_ERR;
}

/* The provider's answer, recorded once; a refused payout goes back to the
 * seller's balance by a reversal. */
static int record(ctx *c, db_res *po, int i, const pay_result *r)
{
	if (db_begin(c) < 0)
		return SOUK_ERR;
	const char *p[] = {db_val(po, i, "id"), r->approved ? "paid" : "failed", r->provider_ref};
	db_res *u = db_exec(c, "payout_done", 3, p);
	int rc = u ? SOUK_OK : SOUK_ERR;
	if (rc == SOUK_OK && db_rows(u) == 1 && !r->approved) {
		int64_t amt = db_i64(u, 0, "amount");
		ledger_line l[] = {{"seller_payable", db_i64(u, 0, "seller_id"), -amt, "payout_reversal", 0},
		                   {"payouts", 0, amt, "payout_reversal", 0}};
		bool booked;
		rc = ledger_post(c, "reversal", ref_of(c, "payout-failed", db_i64(po, i, "id")), 0,
		                 r->decline_code ? r->decline_code : "payout refused", l, 2, &booked);
	}
	if (rc == SOUK_OK)
		return db_commit(c);
	db_rollback(c);
	return SOUK_ERR;
}

static int pay_pending(ctx *c)
{
	db_res *po = db_exec(c, "payout_pending", 0, NULL);
	if (!po)
		return SOUK_ERR;
	const pay_provider *pv = pay_provider_get();
	for (int i = 0; i < db_rows(po); i++) {
		pay_result r;
		if (pv->payout(c, ref_of(c, "payout", db_i64(po, i, "id")), db_val(po, i, "account"),
		               db_i64(po, i, "amount"), &r) < 0) {
			ctx_log(c, LOG_WARN, "payout %s left pending: %s", db_val(po, i, "id"),
			        c->err_msg ? c->err_msg : "?");
			ctx_clear(c);
			continue;
		}
		if (record(c, po, i, &r) < 0)
			return SOUK_ERR;
	}
	return SOUK_OK;
}

int payout_run(ctx *c, int *count, int64_t *total)
{
	*count = 0;
	*total = 0;
	if (db_in_tx(c->db))
		return ctx_fail(c, 500, "internal", "payout_run inside a transaction");
	db_res *s = db_exec(c, "payout_sellers", 0, NULL);
	if (!s)
		return SOUK_ERR;
	for (int i = 0; i < db_rows(s); i++) {
		int64_t amt;
		if (create_one(c, db_i64(s, i, "seller_id"), &amt) < 0)
			return SOUK_ERR;
		if (amt > 0) {
			(*count)++;
			*total += amt;
		}
	}
	return pay_pending(c);
}
