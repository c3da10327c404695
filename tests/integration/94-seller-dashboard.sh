#!/usr/bin/env bash
# 94-seller-dashboard: the seller dashboard's figures, read from the
# rollup of sql/043 (seller_hours and its facts), equal what the join over
# the seller's raw orders gives (the statement the page ran before 043,
# kept below as the truth): after real checkouts, shipping, a cancel and a
# return through the app, after orders generated in SQL around every
# window's edge (30 days, 7 days, today; due dates around now), and again
# after their statuses, shipments, returns and dates change. Then the
# rollup equals one rebuilt from the rows for every seller.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/buy-lib.sh"
. "$(dirname "$0")/web-lib.sh"
. "$(dirname "$0")/seller-lib.sh"

run=$(date +%s%N)
seller_new "da-$run"; sa=$SELLER_ID wa=$SELLER_WH ka=$SELLER_KEY
seller_new "db-$run"; sb=$SELLER_ID wb=$SELLER_WH
seller_account "da-$run@souk.test" "da-pass-$run-x" "$sa"
oa=$(seller_offer "$sa" "$wa" 2500 500)
oa2=$(seller_offer "$sa" "$wa" 1100 500)
ob=$(seller_offer "$sb" "$wb" 1700 500)

# truth SELLER: the figures as the join over every order computes them
# (lib/shop/seller_stats.c before sql/043), one line
truth() {
    sql "WITH it AS (SELECT i.order_id, i.unit_price * i.qty AS gross, o.created_at, o.status
           FROM order_items i JOIN orders o ON o.id = i.order_id
           WHERE i.seller_id = $1 AND o.created_at > now() - interval '30 days'),
         paid AS (SELECT * FROM it WHERE status NOT IN ('PENDING', 'CANCELLED')),
         sh AS (SELECT s.status, s.due_at, s.shipped_at, o.status AS ostatus FROM shipments s
           JOIN orders o ON o.id = s.order_id WHERE s.seller_id = $1
           AND s.created_at > now() - interval '30 days')
         SELECT concat_ws(' ',
          (SELECT count(DISTINCT order_id) FROM paid WHERE created_at >= date_trunc('day', now())),
          (SELECT COALESCE(sum(gross), 0) FROM paid WHERE created_at >= date_trunc('day', now())),
          (SELECT count(DISTINCT order_id) FROM paid WHERE created_at > now() - interval '7 days'),
          (SELECT COALESCE(sum(gross), 0) FROM paid WHERE created_at > now() - interval '7 days'),
          (SELECT COALESCE(sum(i.qty), 0) FROM shipments s JOIN order_items i ON i.shipment_id = s.id
           JOIN orders o ON o.id = s.order_id WHERE s.seller_id = $1 AND s.status = 'pending'
           AND o.status IN ('CONFIRMED', 'PROCESSING')),
          (SELECT count(*) FROM shipments s JOIN orders o ON o.id = s.order_id WHERE s.seller_id = $1
           AND s.status = 'pending' AND s.due_at < now() AND o.status IN ('CONFIRMED', 'PROCESSING')),
          (SELECT count(DISTINCT order_id) FROM paid),
          (SELECT count(DISTINCT r.order_id) FROM returns r JOIN paid p ON p.order_id = r.order_id
           WHERE r.seller_id = $1 OR (r.seller_id IS NULL AND p.status = 'RETURNED')),
          (SELECT count(*) FROM sh WHERE due_at < now() AND ostatus <> 'CANCELLED'),
          (SELECT count(*) FROM sh WHERE ostatus <> 'CANCELLED' AND ((status = 'pending' AND
           due_at < now()) OR shipped_at > due_at)),
          (SELECT count(DISTINCT order_id) FROM it WHERE status = 'CANCELLED'))"
}
# shown: the same figures read from the dashboard page, one line
shown() {
    web GET /seller/dashboard
    python3 - "$HTTP_BODY" <<'PY'
import re, sys
h = open(sys.argv[1]).read()
def dd(i):
    m = re.search(r'<dd id="%s"([^>]*)>(.*?)</dd>' % i, h, re.S)
    return (m.group(1), m.group(2)) if m else ('', '')
def cents(s):
    d, _, c = s.replace(',', '').replace('$', '').partition('.')
    return str(int(d) * 100 + int((c + '00')[:2]))
def counted(i):  # "N ($X.YY)"
    m = re.match(r'\s*(\d+) \(\$([\d,.]+)\)', dd(i)[1])
    return [m.group(1), cents(m.group(2))] if m else ['?', '?']
def attr(i, a):
    m = re.search(r'%s="(\d+)"' % a, dd(i)[0])
    return m.group(1) if m else '?'
out = counted('orders-today') + counted('orders-7d') + [dd('units-to-ship')[1], dd('late')[1]]
out += [attr('defect-rate', 'data-of'), attr('defect-rate', 'data-n'), attr('late-rate', 'data-of'),
        attr('late-rate', 'data-n'), attr('cancel-rate', 'data-n')]
print(' '.join(out))
PY
}
compare() { # WHAT
    local t s
    s=$(shown) t=$(truth "$sa")
    check "$1: the dashboard ($s) equals the join over the orders ($t)" test "$s" = "$t"
}
# rebuilt: the rollup's sums recomputed from the rows for every seller;
# differing rows, none expected
rollup_diff() {
    sql "WITH f AS (SELECT i.seller_id, o.created_at, o.status NOT IN ('PENDING', 'CANCELLED') AS paid,
                           o.status = 'CANCELLED' AS cancelled, sum(i.unit_price * i.qty) AS gross,
                           o.status NOT IN ('PENDING', 'CANCELLED') AND EXISTS (SELECT 1 FROM returns r
                             WHERE r.order_id = o.id AND (r.seller_id = i.seller_id
                             OR (r.seller_id IS NULL AND o.status = 'RETURNED'))) AS defect
                    FROM orders o JOIN order_items i ON i.order_id = o.id GROUP BY o.id, i.seller_id),
              s AS (SELECT s.seller_id, s.created_at, o.status <> 'CANCELLED' AND s.due_at IS NOT NULL AS due,
                           o.status <> 'CANCELLED' AND COALESCE(s.shipped_at > s.due_at, false) AS late
                    FROM shipments s JOIN orders o ON o.id = s.order_id WHERE s.seller_id IS NOT NULL),
              want AS (SELECT seller_id, hour, sum(paid) paid, sum(gross) gross, sum(cancelled) cancelled,
                              sum(defects) defects, sum(ship_due) ship_due, sum(ship_late) ship_late
                       FROM (SELECT seller_id, seller_hour_of(created_at) AS hour, paid::int AS paid,
                                    CASE WHEN paid THEN gross ELSE 0 END AS gross, cancelled::int AS cancelled,
                                    defect::int AS defects, 0 AS ship_due, 0 AS ship_late FROM f
                             UNION ALL SELECT seller_id, seller_hour_of(created_at), 0, 0, 0, 0, due::int, late::int
                             FROM s) x GROUP BY 1, 2
                       HAVING (sum(paid), sum(gross), sum(cancelled), sum(defects), sum(ship_due), sum(ship_late))
                              <> (0, 0, 0, 0, 0, 0)),
              have AS (SELECT seller_id, hour, paid, gross, cancelled, defects, ship_due, ship_late
                       FROM seller_hours WHERE (paid, gross, cancelled, defects, ship_due, ship_late)
                       <> (0, 0, 0, 0, 0, 0))
         SELECT count(*) FROM ((TABLE want EXCEPT TABLE have) UNION ALL (TABLE have EXCEPT TABLE want)) d"
}

# ---- through the app: two checkouts (one with both sellers), A ships one
buy() { # SKU... : prints the order's public id
    local cart s
    cart=$(new_cart)
    for s in "$@"; do cart_put "$cart" "$s" 2 >/dev/null; done
    checkout "$cart" "dash-$run-$RANDOM" >/dev/null
    json_get "j['order']['public_id']"
}
use_jar sa
login "da-$run@souk.test" "da-pass-$run-x"
web GET /seller/dashboard
check_http "A's dashboard" 200
compare "a new seller"
p1=$(buy "$oa" "$oa2" "$ob")
p2=$(buy "$oa")
p3=$(buy "$oa2")
check_sql "three orders confirmed" "SELECT count(*) FROM orders WHERE public_id IN ('$p1', '$p2', '$p3') AND status = 'CONFIRMED'" 3
compare "three orders today"
check_sql "A's two items of one order count once" "SELECT paid::int FROM seller_order_facts f JOIN orders o ON o.id = f.order_id WHERE o.public_id = '$p1' AND f.seller_id = $sa" 1
s1=$(sql "SELECT s.id FROM shipments s JOIN orders o ON o.id = s.order_id WHERE o.public_id = '$p1' AND s.seller_id = $sa")
sapi POST "/api/v1/seller/shipments/$s1/confirm" '{"carrier": "UPS", "tracking": "1ZDASH1"}' "$ka" >/dev/null
check_sql "A shipped" "SELECT status FROM shipments WHERE id = $s1" shipped
compare "after A ships one"
"$SOUK_CTL" order cancel "$p3" >/dev/null
check_sql "the third cancelled" "SELECT status FROM orders WHERE public_id = '$p3'" CANCELLED
compare "after a cancel"

# ---- generated orders around every window's edge
sql "BEGIN;
 CREATE TEMP TABLE g AS
   SELECT n, now() - (n % 41) * interval '1 day' - (n * 37 % 1440) * interval '1 minute' AS at FROM generate_series(1, 300) n
   UNION ALL
   SELECT 1000 + row_number() OVER (), e + d * interval '1 minute'
   FROM unnest(ARRAY[now() - interval '30 days', now() - interval '7 days', date_trunc('day', now())]) e,
        unnest(ARRAY[-70, -50, -20, -5, -1, 1, 5, 20, 50, 70]) d
   UNION ALL SELECT 2000, date_trunc('day', now());
 INSERT INTO orders (public_id, access_token, email, status, subtotal, shipping, tax, total, address,
                     idempotency_key, idempotency_scope, created_at, updated_at)
 SELECT 'DG$run-' || n, md5(n::text), 'dg@example.com',
        (ARRAY['PENDING', 'CANCELLED', 'CONFIRMED', 'PROCESSING', 'SHIPPED', 'DELIVERED', 'RETURNED',
               'DELIVERED', 'CONFIRMED'])[1 + n % 9],
        1000, 0, 0, 1000, '{}'::jsonb, 'dg-$run-' || n, 'test', at, at FROM g;
 INSERT INTO order_items (order_id, sku_id, seller_id, product_id, title, unit_price, qty, commission_bps, fulfillment)
 SELECT o.id, x.sku, x.seller, v.product_id, 'Dash item', 1000 + g.n, 1 + g.n % 3, 1000, 'FBM'
 FROM g JOIN orders o ON o.public_id = 'DG$run-' || g.n
 CROSS JOIN LATERAL (SELECT $oa, $sa UNION ALL SELECT $oa2, $sa WHERE g.n % 4 = 0
                     UNION ALL SELECT $ob, $sb WHERE g.n % 5 = 0) x(sku, seller)
 JOIN offers f ON f.id = x.sku JOIN product_variants v ON v.id = f.variant_id;
 INSERT INTO shipments (order_id, seller_id, fulfillment, status, carrier, tracking, created_at, due_at, shipped_at)
 SELECT o.id, i.seller_id, 'FBM',
        CASE WHEN o.status IN ('PENDING', 'CONFIRMED', 'PROCESSING') THEN 'pending'
             WHEN o.status = 'CANCELLED' THEN (ARRAY['cancelled', 'pending'])[1 + g.n % 2]
             WHEN o.status = 'SHIPPED' THEN 'shipped' ELSE 'delivered' END,
        'UPS', '1Z' || o.id, o.created_at + (g.n % 3) * interval '1 minute',
        CASE WHEN g.n % 11 = 0 THEN NULL WHEN g.n % 13 = 0 THEN now() + (g.n % 7 - 3) * interval '1 minute'
             ELSE o.created_at + interval '2 days' END,
        CASE WHEN o.status IN ('SHIPPED', 'DELIVERED', 'RETURNED') OR g.n % 6 = 1
             THEN o.created_at + (g.n % 4) * interval '1 day' END
 FROM g JOIN orders o ON o.public_id = 'DG$run-' || g.n
 JOIN (SELECT DISTINCT order_id, seller_id FROM order_items) i ON i.order_id = o.id;
 UPDATE order_items i SET shipment_id = s.id FROM shipments s, orders o
 WHERE s.order_id = i.order_id AND s.seller_id = i.seller_id AND o.id = i.order_id AND o.public_id LIKE 'DG$run-%';
 INSERT INTO returns (order_id, seller_id, status)
 SELECT o.id, CASE WHEN g.n % 2 = 0 THEN NULL WHEN g.n % 3 = 0 THEN $sb ELSE $sa END, 'requested'
 FROM g JOIN orders o ON o.public_id = 'DG$run-' || g.n WHERE o.status IN ('RETURNED', 'DELIVERED') AND g.n % 4 <> 1;
 COMMIT;" >/dev/null
check_sql "generated" "SELECT count(*) FROM orders WHERE public_id LIKE 'DG$run-%'" 331
compare "generated orders around the edges"
check "the rollup equals one rebuilt from the rows" test "$(rollup_diff)" = 0

# ---- the same orders change: statuses, shipments, returns, dates
sql "BEGIN;
 UPDATE orders SET status = 'CANCELLED' WHERE public_id LIKE 'DG$run-%' AND status IN ('CONFIRMED', 'PENDING') AND id % 3 = 0;
 UPDATE orders SET status = 'RETURNED' WHERE public_id LIKE 'DG$run-%' AND status = 'DELIVERED' AND id % 5 = 0;
 UPDATE shipments s SET status = 'shipped', shipped_at = now() FROM orders o
 WHERE o.id = s.order_id AND o.public_id LIKE 'DG$run-%' AND s.status = 'pending' AND s.id % 2 = 0;
 UPDATE shipments s SET due_at = now() - interval '1 minute' FROM orders o
 WHERE o.id = s.order_id AND o.public_id LIKE 'DG$run-%' AND s.status = 'pending' AND s.id % 3 = 0;
 UPDATE orders SET created_at = created_at - interval '3 hours' WHERE public_id LIKE 'DG$run-%' AND id % 7 = 0;
 UPDATE order_items i SET qty = 9 FROM orders o WHERE o.id = i.order_id AND o.public_id LIKE 'DG$run-%' AND i.id % 4 = 0;
 DELETE FROM returns r USING orders o WHERE o.id = r.order_id AND o.public_id LIKE 'DG$run-%' AND r.id % 3 = 0;
 UPDATE returns r SET seller_id = $sa FROM orders o WHERE o.id = r.order_id AND o.public_id LIKE 'DG$run-%' AND r.seller_id IS NULL AND r.id % 2 = 0;
 COMMIT;" >/dev/null
compare "after statuses, shipments, returns and dates change"
# a return and a delivery through the app
i1=$(sql "SELECT i.id FROM order_items i JOIN orders o ON o.id = i.order_id WHERE o.public_id = '$p2'")
s2=$(sql "SELECT s.id FROM shipments s JOIN orders o ON o.id = s.order_id WHERE o.public_id = '$p2'")
sapi POST "/api/v1/seller/shipments/$s2/confirm" '{"carrier": "UPS", "tracking": "1ZDASH2"}' "$ka" >/dev/null
"$SOUK_CTL" shipment deliver "$s2" >/dev/null
check_sql "delivered" "SELECT status FROM orders WHERE public_id = '$p2'" DELIVERED
"$SOUK_CTL" return-items "$p2" "$i1:1" >/dev/null
check_sql "a return of A's item" "SELECT count(*) FROM returns r JOIN orders o ON o.id = r.order_id WHERE o.public_id = '$p2'" 1
compare "after a delivery and a return"
check "the rollup still equals one rebuilt from the rows" test "$(rollup_diff)" = 0
check "ledger check" "$SOUK_CTL" ledger check
done_testing
