/* ledger: commission arithmetic, capture/refund postings, balances. */
#include "shop/ledger.h"

#include <stdlib.h>
#include <string.h>

#include "core/buf.h"
#include "core/log.h"
#include "shop/order.h"

static const db_stmt ledger_sql[] = {
	/* one booker per order at a time: refunds are planned against what
	 * the previous bookings reversed */
	{"ledger_order_lock", "SELECT ledger_order_lock($1)"}, /* sql/042 */
	{"ledger_orders_lock",
	 "SELECT ledger_order_lock(o) FROM (SELECT DISTINCT o FROM unnest($1::bigint[]) o"
	 " ORDER BY o) x"},
	/* booked / refunds_todo spare a capture's booking two round trips */
	{"ledger_order_src",
	 "SELECT o.subtotal, o.shipping, o.tax, o.total, p.id AS payment_id, p.amount,"
	 " EXISTS (SELECT 1 FROM ledger_transactions WHERE ref = 'capture:' || p.id) AS booked,"
	 " EXISTS (SELECT 1 FROM refunds f WHERE f.order_id = o.id AND NOT EXISTS (SELECT 1"
	 "  FROM ledger_transactions t WHERE t.ref = 'refund:' || f.id)) AS refunds_todo"
	 " FROM orders o LEFT JOIN LATERAL (SELECT id, amount FROM payments"
	 "  WHERE order_id = o.id AND status IN ('captured', 'refunded') ORDER BY id DESC LIMIT 1) p"
	 " ON true WHERE o.id = $1"},
	{"ledger_items",
	 "SELECT id, seller_id, unit_price, qty, commission_bps FROM order_items"
	 " WHERE order_id = $1 ORDER BY id"},
	{"ledger_refunds_todo",
	 "SELECT f.id, f.amount, EXISTS (SELECT 1 FROM return_items ri WHERE ri.return_id ="
	 "  CASE WHEN f.reason ~ '^return:[0-9]+$' THEN substr(f.reason, 8)::bigint END) AS by_items"
	 " FROM refunds f WHERE f.order_id = $1 AND NOT EXISTS (SELECT 1 FROM ledger_transactions t"
	 "  WHERE t.ref = 'refund:' || f.id) ORDER BY f.id"},
	/* units returned by the refunds up to $2 and by the return $3 (0: none) */
	{"ledger_returned",
	 "SELECT ri.order_item_id, sum(ri.qty) AS qty FROM return_items ri"
	 " WHERE ri.return_id = $3 OR ri.return_id IN (SELECT substr(f.reason, 8)::bigint"
	 "  FROM refunds f WHERE f.order_id = $1 AND f.id <= $2 AND f.reason ~ '^return:[0-9]+$')"
	 " GROUP BY 1"},
	{"ledger_reversed",
	 "SELECT a.kind AS account, e.kind, COALESCE(e.order_item_id, 0) AS item, sum(e.amount) AS amount"
	 " FROM ledger_transactions t JOIN ledger_entries e ON e.transaction_id = t.id"
	 " JOIN ledger_accounts a ON a.id = e.account_id"
	 " WHERE t.order_id = $1 AND t.kind = 'refund' GROUP BY 1, 2, 3"},
	{"ledger_seller_accounts",
	 "INSERT INTO ledger_accounts (kind, seller_id, name)"
	 " SELECT 'seller_payable', s, 'seller ' || s || ' payable' FROM unnest($1::bigint[]) s"
	 " WHERE s > 0 ON CONFLICT DO NOTHING"},
	/* the transaction once by ref and its entries in one round trip (the
	 * capture's cost, bench/ledger-checkout.sh); no row: booked before */
	{"ledger_post",
	 "WITH t AS (INSERT INTO ledger_transactions (kind, ref, order_id, memo) VALUES ($1, $2, $3, $4)"
	 "  ON CONFLICT (ref) DO NOTHING RETURNING id),"
	 " ins AS (INSERT INTO ledger_entries (transaction_id, account_id, amount, kind, order_item_id)"
	 "  SELECT t.id, a.id, e.amount, e.kind, NULLIF(e.item, 0) FROM t CROSS JOIN"
	 "  unnest($5::text[], $6::bigint[], $7::bigint[], $8::text[], $9::bigint[])"
	 "   WITH ORDINALITY AS e(acc, seller, amount, kind, item, n)"
	 "  JOIN ledger_accounts a ON a.kind = e.acc AND COALESCE(a.seller_id, 0) = e.seller"
	 "  WHERE e.amount <> 0 ORDER BY e.n RETURNING 1)"
	 " SELECT t.id, (SELECT count(*) FROM ins) AS entries FROM t"},
	/* settled: delivered longer ago than the return window (no refund can
	 * follow); a cancelled order never is (its refund may still be on its
	 * way, and it nets to zero once booked). From ledger_hours (042): the
	 * hours before the cut's whole, the cut's own hour from its orders. */
	{"ledger_balance",
	 "WITH cut AS (SELECT now() - make_interval(days => $2) AS at),"
	 " h AS (SELECT at, date_trunc('hour', at AT TIME ZONE 'UTC') AS hour FROM cut)"
	 " SELECT (SELECT COALESCE(-sum(amount), 0) FROM ledger_hours WHERE account_id = a.id) AS total,"
	 "  (SELECT COALESCE(-sum(amount), 0) FROM ledger_hours WHERE account_id = a.id AND hour < h.hour)"
	 "  + (SELECT COALESCE(-sum(e.amount), 0) FROM orders o"
	 "   JOIN ledger_transactions t ON t.order_id = o.id JOIN ledger_entries e ON e.transaction_id = t.id"
	 "   WHERE e.account_id = a.id AND o.delivered_at >= h.hour AT TIME ZONE 'UTC'"
	 "   AND o.delivered_at <= h.at) AS settled"
	 " FROM h LEFT JOIN ledger_accounts a ON a.kind = 'seller_payable' AND a.seller_id = $1"},
	{"ledger_statement",
	 "SELECT * FROM (SELECT e.id, e.created_at AS at, e.kind, -e.amount AS amount,"
	 "  COALESCE(o.public_id, '') AS public_id, t.memo,"
	 "  sum(-e.amount) OVER (ORDER BY e.created_at, e.id) AS balance"
	 "  FROM ledger_accounts a JOIN ledger_entries e ON e.account_id = a.id"
	 "  JOIN ledger_transactions t ON t.id = e.transaction_id"
	 "  LEFT JOIN orders o ON o.id = t.order_id"
	 "  WHERE a.kind = 'seller_payable' AND a.seller_id = $1) s"
	 " WHERE ($2::date IS NULL OR at >= $2::date) AND ($3::date IS NULL OR at < $3::date + 1)"
	 " ORDER BY at, id LIMIT $4"},
};

void ledger_register(void)
{
	db_register(ledger_sql, sizeof(ledger_sql) / sizeof(ledger_sql[0]));
}

int64_t ledger_commission(int64_t gross, int bps)
{
	return (gross * bps + 5000) / 10000;
}

int64_t ledger_prorate(int64_t whole, int64_t part, int64_t of)
{
	return of > 0 ? whole * part / of : 0;
}

static ledger_line line(const char *account, int64_t seller, int64_t amount, const char *kind,
                        int64_t item)
{
	return (ledger_line){account, seller, amount, kind, item};
}

int ledger_capture_lines(const ledger_item *items, int n, int64_t shipping, int64_t tax,
                         int64_t amount, ledger_line *out)
{
	int k = 0;
	out[k++] = line("clearing", 0, amount, "clearing", 0);
	for (int i = 0; i < n; i++) {
		int64_t gross = items[i].unit_price * items[i].qty;
		int64_t comm = ledger_commission(gross, items[i].commission_bps);
		out[k++] = line("seller_payable", items[i].seller_id, -gross, "sale", items[i].id);
		out[k++] = line("seller_payable", items[i].seller_id, comm, "commission", items[i].id);
		out[k++] = line("commission", 0, -comm, "commission", items[i].id);
	}
	out[k++] = line("shipping", 0, -shipping, "shipping", 0);
	out[k++] = line("tax", 0, -tax, "tax", 0);
	return k;
}

int ledger_refund_lines(const ledger_item *items, int n, int64_t subtotal, int64_t shipping,
                        int64_t tax, bool full, const ledger_reversed *done, ledger_line *out,
                        int64_t *total)
{
	int k = 0;
	int64_t sum = 0, gross_target = 0;
	for (int i = 0; i < n; i++) {
		int units = full ? items[i].qty : items[i].returned;
		int64_t comm_full = ledger_commission(items[i].unit_price * items[i].qty,
		                                      items[i].commission_bps);
		int64_t g = items[i].unit_price * units - done->gross[i];
		int64_t cm = ledger_prorate(comm_full, units, items[i].qty) - done->commission[i];
		gross_target += items[i].unit_price * units;
		out[k++] = line("seller_payable", items[i].seller_id, g, "refund", items[i].id);
		out[k++] = line("seller_payable", items[i].seller_id, -cm, "commission_refund", items[i].id);
		out[k++] = line("commission", 0, cm, "commission_refund", items[i].id);
		sum += g;
	}
	int64_t t = (full ? tax : ledger_prorate(tax, gross_target, subtotal)) - done->tax;
	int64_t s = (full ? shipping : 0) - done->shipping;
	out[k++] = line("tax", 0, t, "tax", 0);
	out[k++] = line("shipping", 0, s, "shipping", 0);
	sum += t + s;
	out[k++] = line("refunds", 0, -sum, "refund", 0);
	*total = sum;
	return k;
}

/* "{a,b}" of the lines' field picked by `pick` */
typedef void (*pick_fn)(buf *b, const ledger_line *l);
static const char *array(ctx *c, const ledger_line *l, int n, pick_fn pick)
{
	buf b;
	buf_init(&b, c->a, 64 + (size_t)n * 48);
	buf_puts(&b, "{");
	for (int i = 0; i < n; i++) {
		if (i)
			buf_puts(&b, ",");
		pick(&b, &l[i]);
	}
	buf_puts(&b, "}");
	return b.p;
}
static void pick_acc(buf *b, const ledger_line *l) { buf_puts(b, l->account); }
static void pick_seller(buf *b, const ledger_line *l) { buf_printf(b, "%lld", (long long)l->seller_id); }
static void pick_amount(buf *b, const ledger_line *l) { buf_printf(b, "%lld", (long long)l->amount); }
static void pick_kind(buf *b, const ledger_line *l) { buf_puts(b, l->kind); }
static void pick_item(buf *b, const ledger_line *l) { buf_printf(b, "%lld", (long long)l->order_item_id); }

int ledger_post(ctx *c, const char *kind, const char *ref, int64_t order_id, const char *memo,
                const ledger_line *lines, int n, bool *booked)
{
	*booked = false;
	/* made first, apart: a seller's account another booking is adding is
	 * waited for here and seen by the next statement */
	const char *sellers = array(c, lines, n, pick_seller);
	const char *s[] = {sellers};
	if (!db_exec(c, "ledger_seller_accounts", 1, s))
		return SOUK_ERR;
	const char *t[] = {kind, ref, order_id ? db_param_i64(c, order_id) : NULL, memo ? memo : "",
	                   array(c, lines, n, pick_acc), sellers, array(c, lines, n, pick_amount),
	                   array(c, lines, n, pick_kind), array(c, lines, n, pick_item)};
	db_res *r = db_exec(c, "ledger_post", 9, t);
	if (!r)
		return SOUK_ERR;
	*booked = db_rows(r) > 0; /* none: booked before */
	return SOUK_OK;
}

static bool ledger_off(void)
{
	const char *v = getenv("SOUK_LEDGER");
	return v && strcmp(v, "off") == 0;
}

/* The order's items (returned = 0), arena-owned. */
static int load_items(ctx *c, int64_t order_id, ledger_item **out, int *n)
{
	const char *p[] = {db_param_i64(c, order_id)};
	db_res *r = db_exec(c, "ledger_items", 1, p);
	if (!r)
		return SOUK_ERR;
	*n = db_rows(r);
	ledger_item *it = arena_alloc(c->a, sizeof(*it) * (size_t)(*n + 1));
	for (int i = 0; i < *n; i++)
		it[i] = (ledger_item){db_i64(r, i, "id"), db_i64(r, i, "seller_id"),
		                      db_i64(r, i, "unit_price"), (int)db_i64(r, i, "qty"),
		                      (int)db_i64(r, i, "commission_bps"), 0};
	*out = it;
	return SOUK_OK;
}

static int item_index(const ledger_item *it, int n, int64_t id)
{
	for (int i = 0; i < n; i++)
		if (it[i].id == id)
			return i;
	return -1;
}

/* What the order's refund bookings reversed so far. */
static int load_reversed(ctx *c, int64_t order_id, const ledger_item *it, int n,
                         ledger_reversed *d)
{
	d->gross = arena_alloc(c->a, sizeof(int64_t) * (size_t)(n + 1));
	d->commission = arena_alloc(c->a, sizeof(int64_t) * (size_t)(n + 1));
	memset(d->gross, 0, sizeof(int64_t) * (size_t)(n + 1));
	memset(d->commission, 0, sizeof(int64_t) * (size_t)(n + 1));
	d->tax = d->shipping = 0;
	const char *p[] = {db_param_i64(c, order_id)};
	db_res *r = db_exec(c, "ledger_reversed", 1, p);
	if (!r)
		return SOUK_ERR;
	for (int j = 0; j < db_rows(r); j++) {
		const char *acc = db_val(r, j, "account"), *kind = db_val(r, j, "kind");
		int64_t amt = db_i64(r, j, "amount");
		int i = item_index(it, n, db_i64(r, j, "item"));
		if (strcmp(acc, "seller_payable") == 0 && strcmp(kind, "refund") == 0 && i >= 0)
			d->gross[i] += amt;
		else if (strcmp(acc, "commission") == 0 && i >= 0)
			d->commission[i] += amt;
		else if (strcmp(acc, "tax") == 0)
			d->tax += amt;
		else if (strcmp(acc, "shipping") == 0)
			d->shipping += amt;
	}
	return SOUK_OK;
}

/* Sets items[].returned from the returns refunded up to refund_id and the
 * return return_id (0: none). */
static int load_returned(ctx *c, int64_t order_id, int64_t refund_id, int64_t return_id,
                         ledger_item *it, int n)
{
	const char *p[] = {db_param_i64(c, order_id), db_param_i64(c, refund_id),
	                   db_param_i64(c, return_id)};
	db_res *r = db_exec(c, "ledger_returned", 3, p);
	if (!r)
		return SOUK_ERR;
	for (int j = 0; j < db_rows(r); j++) {
		int i = item_index(it, n, db_i64(r, j, "order_item_id"));
		if (i >= 0)
			it[i].returned = (int)db_i64(r, j, "qty") > it[i].qty ? it[i].qty
			                                                    : (int)db_i64(r, j, "qty");
	}
	return SOUK_OK;
}

static const char *ref_of(ctx *c, const char *what, int64_t id)
{
	buf b;
	buf_init(&b, c->a, 64);
	buf_printf(&b, "%s:%lld", what, (long long)id);
	return b.p;
}

static int book_order(ctx *c, int64_t order_id)
{
	const char *p[] = {db_param_i64(c, order_id)};
	if (!db_exec(c, "ledger_order_lock", 1, p))
		return SOUK_ERR;
	db_res *o = db_exec(c, "ledger_order_src", 1, p);
	if (!o)
		return SOUK_ERR;
	if (db_rows(o) == 0 || db_null(o, 0, "payment_id"))
		return SOUK_OK; /* never captured: nothing to book */
	bool todo = db_bool(o, 0, "refunds_todo");
	if (db_bool(o, 0, "booked") && !todo)
		return SOUK_OK;
	ledger_item *it;
	int n;
	if (load_items(c, order_id, &it, &n) < 0)
		return SOUK_ERR;
	if (n == 0) { /* no item, no seller to owe: a hand-made row, never a checkout's */
		ctx_log(c, LOG_WARN, "ledger: order %lld has no items; not booked", (long long)order_id);
		return SOUK_OK;
	}
	ledger_line *lines = arena_alloc(c->a, sizeof(*lines) * (size_t)(3 * n + 4));
	bool booked;
	if (!db_bool(o, 0, "booked")) {
		const char *cref = ref_of(c, "capture", db_i64(o, 0, "payment_id"));
		int k = ledger_capture_lines(it, n, db_i64(o, 0, "shipping"), db_i64(o, 0, "tax"),
		                             db_i64(o, 0, "amount"), lines);
		if (ledger_post(c, "capture", cref, order_id, "order captured", lines, k, &booked) < 0)
			return SOUK_ERR;
	}
	if (!todo)
		return SOUK_OK;
	db_res *f = db_exec(c, "ledger_refunds_todo", 1, p);
	if (!f)
		return SOUK_ERR;
	for (int j = 0; j < db_rows(f); j++) {
		ledger_reversed done;
		for (int i = 0; i < n; i++)
			it[i].returned = 0;
		if (load_reversed(c, order_id, it, n, &done) < 0 ||
		    load_returned(c, order_id, db_i64(f, j, "id"), 0, it, n) < 0)
			return SOUK_ERR;
		int64_t total;
		int k = ledger_refund_lines(it, n, db_i64(o, 0, "subtotal"), db_i64(o, 0, "shipping"),
		                            db_i64(o, 0, "tax"), !db_bool(f, j, "by_items"), &done, lines,
		                            &total);
		if (total != db_i64(f, j, "amount"))
			ctx_log(c, LOG_WARN, "ledger: refund %s of order %lld is %lld, its reversal %lld",
			        db_val(f, j, "id"), (long long)order_id, (long long)db_i64(f, j, "amount"),
			        (long long)total);
		if (ledger_post(c, "refund", ref_of(c, "refund", db_i64(f, j, "id")), order_id,
		                "refund", lines, k, &booked) < 0)
			return SOUK_ERR;
	}
	return SOUK_OK;
}

int ledger_book_order(ctx *c, int64_t order_id)
{
	if (ledger_off())
		return SOUK_OK;
	bool own;
	if (db_tx_join(c, &own) < 0)
		return SOUK_ERR;
	return db_tx_leave(c, own, book_order(c, order_id));
}

int ledger_lock_orders(ctx *c, const char *ids)
{
	const char *p[] = {ids};
	return db_exec(c, "ledger_orders_lock", 1, p) ? SOUK_OK : SOUK_ERR;
}

int ledger_return_amount(ctx *c, int64_t order_id, int64_t return_id, int64_t *amount)
{
	*amount = 0;
	/* planned against what the books reversed: an earlier refund the
	 * ledger consumer has not booked yet is booked now (once, by ref) */
	if (ledger_book_order(c, order_id) < 0)
		return SOUK_ERR;
	const char *p[] = {db_param_i64(c, order_id)};
	db_res *o = db_exec(c, "ledger_order_src", 1, p);
	if (!o)
		return SOUK_ERR;
	if (db_rows(o) == 0)
		return ctx_fail(c, 404, "not_found", "no such order");
	ledger_item *it;
	int n;
	ledger_reversed done;
	if (load_items(c, order_id, &it, &n) < 0 || load_reversed(c, order_id, it, n, &done) < 0 ||
	    load_returned(c, order_id, INT64_MAX, return_id, it, n) < 0)
		return SOUK_ERR;
	ledger_line *lines = arena_alloc(c->a, sizeof(*lines) * (size_t)(3 * n + 4));
	ledger_refund_lines(it, n, db_i64(o, 0, "subtotal"), db_i64(o, 0, "shipping"),
	                    db_i64(o, 0, "tax"), false, &done, lines, amount);
	return SOUK_OK;
}

int ledger_seller_balance(ctx *c, int64_t seller_id, ledger_balance *out)
{
	const char *p[] = {db_param_i64(c, seller_id), db_param_i64(c, ORDER_RETURN_DAYS)};
	db_res *r = db_exec(c, "ledger_balance", 2, p);
	if (!r)
		return SOUK_ERR;
	out->total = db_i64(r, 0, "total");
	int64_t settled = db_i64(r, 0, "settled");
	out->available = settled > 0 ? (settled < out->total ? settled : out->total) : 0;
	out->pending = out->total - out->available;
	return SOUK_OK;
}

db_res *ledger_statement(ctx *c, int64_t seller_id, const char *from, const char *to,
                         int64_t limit)
{
	const char *p[] = {db_param_i64(c, seller_id), from && *from ? from : NULL,
	                   to && *to ? to : NULL, db_param_i64(c, limit)};
	return db_exec(c, "ledger_statement", 4, p);
}
