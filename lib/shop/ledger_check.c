/* ledger_check: the books against what they describe, in one query. */
#include "shop/ledger_check.h"

/* An order is in flight while an event that moves its money or books it
 * is pending: a billing event (order.confirmed, cancelled, returned) the
 * billing group, or a payment.captured / payment.refunded the ledger
 * group (which books them, workers/ledger.c) has neither applied nor
 * given up on. Its payment may already say captured or refunded while its
 * booking is still to come, so both sides leave it out until the groups
 * are done; once applied, or given up on (consumer_failed), it is
 * counted, and a booking that is missing shows as a difference.
 *
 * The commission and its pro rata share are the C formulas of ledger.c:
 * (gross * bps + 5000) / 10000, and whole * part / of (integer division
 * of non-negative numbers, i.e. floor). */
static const db_stmt check_sql[] = {
	{"ledger_check",
	 "WITH flight AS (SELECT DISTINCT (o.payload->>'order_id')::bigint AS order_id FROM outbox o"
	 "   JOIN (VALUES ('orders', 'billing'), ('payments', 'ledger')) g(topic, consumer)"
	 "   ON g.topic = o.topic"
	 "   WHERE o.payload->>'type' IN ('order.confirmed', 'order.cancelled', 'order.returned',"
	 "    'payment.captured', 'payment.refunded')"
	 "   AND NOT EXISTS (SELECT 1 FROM consumer_applied a WHERE a.consumer = g.consumer"
	 "                   AND a.event_id = o.id)"
	 "   AND NOT EXISTS (SELECT 1 FROM consumer_failed f WHERE f.consumer = g.consumer"
	 "                   AND f.event_id = o.id)),"
	 " cap AS (SELECT order_id, amount FROM payments WHERE status IN ('captured', 'refunded')"
	 "   AND order_id NOT IN (SELECT order_id FROM flight)),"
	 " full_rev AS (SELECT DISTINCT f.order_id FROM refunds f WHERE NOT EXISTS (SELECT 1"
	 "   FROM return_items ri WHERE ri.return_id ="
	 "   CASE WHEN f.reason ~ '^return:[0-9]+$' THEN substr(f.reason, 8)::bigint END)),"
	 " ret AS (SELECT ri.order_item_id, sum(ri.qty) AS q FROM return_items ri JOIN refunds f"
	 "   ON f.reason = 'return:' || ri.return_id GROUP BY 1),"
	 " line AS (SELECT i.seller_id, i.unit_price, i.qty, LEAST(COALESCE(r.q, 0), i.qty) AS q,"
	 "   (i.unit_price * i.qty * i.commission_bps + 5000) / 10000 AS comm, fr.order_id IS NOT NULL AS gone"
	 "   FROM order_items i JOIN cap ON cap.order_id = i.order_id"
	 "   LEFT JOIN full_rev fr ON fr.order_id = i.order_id LEFT JOIN ret r ON r.order_item_id = i.id),"
	 " sales AS (SELECT seller_id, sum(CASE WHEN gone THEN 0 ELSE unit_price * (qty - q)"
	 "   - (comm - comm * q / qty) END) AS net FROM line GROUP BY 1),"
	 " po AS (SELECT seller_id, sum(amount) AS amount FROM payouts WHERE status <> 'failed' GROUP BY 1),"
	 " book AS (SELECT a.kind, a.seller_id, -sum(e.amount) AS bal FROM ledger_accounts a"
	 "   JOIN ledger_entries e ON e.account_id = a.id JOIN ledger_transactions t"
	 "   ON t.id = e.transaction_id WHERE t.order_id IS NULL"
	 "   OR t.order_id NOT IN (SELECT order_id FROM flight) GROUP BY 1, 2),"
	 " seller AS (SELECT COALESCE(s.seller_id, b.seller_id) AS seller_id,"
	 "   COALESCE(s.net, 0) - COALESCE((SELECT amount FROM po WHERE po.seller_id ="
	 "   COALESCE(s.seller_id, b.seller_id)), 0) AS expected, COALESCE(b.bal, 0) AS actual"
	 "   FROM sales s FULL JOIN (SELECT seller_id, bal FROM book WHERE kind = 'seller_payable') b"
	 "   ON b.seller_id = s.seller_id)"
	 " SELECT 'entries sum' AS what, 0::bigint AS id, 0::bigint AS expected,"
	 "  COALESCE(sum(amount), 0)::bigint AS actual FROM ledger_entries HAVING COALESCE(sum(amount), 0) <> 0"
	 " UNION ALL SELECT 'transaction', transaction_id, 0, sum(amount)::bigint FROM ledger_entries"
	 "  GROUP BY transaction_id HAVING sum(amount) <> 0"
	 " UNION ALL SELECT 'clearing', 0, (SELECT COALESCE(sum(amount), 0) FROM cap)::bigint,"
	 "  (SELECT COALESCE(-bal, 0) FROM book WHERE kind = 'clearing')::bigint"
	 "  WHERE (SELECT COALESCE(sum(amount), 0) FROM cap) <>"
	 "   COALESCE((SELECT -bal FROM book WHERE kind = 'clearing'), 0)"
	 " UNION ALL SELECT 'refunds', 0, x.e::bigint, x.a::bigint FROM (SELECT"
	 "  (SELECT COALESCE(sum(f.amount), 0) FROM refunds f JOIN cap ON cap.order_id = f.order_id) AS e,"
	 "  COALESCE((SELECT bal FROM book WHERE kind = 'refunds'), 0) AS a) x WHERE x.e <> x.a"
	 " UNION ALL SELECT 'payouts', 0, x.e::bigint, x.a::bigint FROM (SELECT"
	 "  (SELECT COALESCE(sum(amount), 0) FROM po) AS e,"
	 "  COALESCE((SELECT bal FROM book WHERE kind = 'payouts'), 0) AS a) x WHERE x.e <> x.a"
	 " UNION ALL SELECT 'seller', seller_id, expected::bigint, actual::bigint FROM seller"
	 "  WHERE expected <> actual"
	 /* the balances' hour sums (042_ledger_hours) against the entries */
	 " UNION ALL SELECT 'ledger_hours', COALESCE(x.account_id, y.account_id),"
	 "  COALESCE(x.amount, 0)::bigint, COALESCE(y.amount, 0)::bigint FROM (SELECT e.account_id,"
	 "   ledger_hour_of(o.delivered_at, t.order_id IS NOT NULL) AS hour, sum(e.amount) AS amount"
	 "   FROM ledger_entries e JOIN ledger_accounts a ON a.id = e.account_id"
	 "   AND a.kind = 'seller_payable' JOIN ledger_transactions t ON t.id = e.transaction_id"
	 "   LEFT JOIN orders o ON o.id = t.order_id GROUP BY 1, 2) x"
	 "  FULL JOIN ledger_hours y ON y.account_id = x.account_id AND y.hour = x.hour"
	 "  WHERE COALESCE(x.amount, 0) <> COALESCE(y.amount, 0) ORDER BY 1, 2"},
};

void ledger_check_register(void)
{
	db_register(check_sql, sizeof(check_sql) / sizeof(check_sql[0]));
}

db_res *ledger_check(ctx *c)
{
	return db_exec(c, "ledger_check", 0, NULL);
}
