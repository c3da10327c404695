#!/usr/bin/env bash
# 88-ledger-concurrency: ${LEDGER_ORDERS:-50} orders across 5 sellers;
# then, all at once, cancels (full refunds), partial returns approved by
# their sellers (pro rata refunds) and three payout runs; afterwards
# `ctl ledger check` passes, every capture and refund is booked exactly
# once (also across a kill -9 of the worker during the checkouts) and no
# seller is paid twice. bench/ledger-concurrency.sh runs the
# 1,000-order version.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/buy-lib.sh"
. "$(dirname "$0")/lib-orders.sh"

N=${LEDGER_ORDERS:-50}
run=$(date +%s%N)
sellers=() skus=()
for k in 1 2 3 4 5; do
    read -r s w < <(sql "WITH s AS (INSERT INTO sellers (name, slug) VALUES ('conc$k', 'conc$k-$run') RETURNING id),
          w AS (INSERT INTO warehouses (name, seller_id, region) SELECT 'wh', id, 'US' FROM s RETURNING id, seller_id)
         SELECT seller_id || ' ' || id FROM w")
    sku=$(sql "WITH p AS (INSERT INTO products (ref, title, category_id, seller_id, sales_rank)
                  VALUES ('C-$run-$k', 'Conc item $k', (SELECT min(id) FROM categories), $s, 999999) RETURNING id),
               v AS (INSERT INTO product_variants (product_id, sku, price) SELECT id, 'CV-$run-$k', 1000 + 37 * $k FROM p RETURNING id)
               INSERT INTO offers (variant_id, seller_id, sku, price, fulfillment)
               SELECT id, $s, 'CO-$run-$k', 1000 + 37 * $k, 'FBM' FROM v RETURNING id")
    sql "INSERT INTO inventory (sku_id, warehouse_id, quantity_available) VALUES ($sku, $w, 100000)" >/dev/null
    sellers+=("$s") skus+=("$sku")
done
slist=$(IFS=,; echo "${sellers[*]}")

# N checkouts, 4 at a time; each order has 2 or 3 lines from different sellers.
one() {
    local i=$1 cart a b
    cart=$(new_cart)
    a=$((i % 5)) b=$(((i + 1 + i % 3) % 5))
    cart_put "$cart" "${skus[$a]}" $((1 + i % 3)) >/dev/null
    cart_put "$cart" "${skus[$b]}" 1 >/dev/null
    curl -s -o /dev/null -w '%{http_code}\n' -X POST -H 'Content-Type: application/json' \
        -H "Idempotency-Key: conc-$run-$i" --data-binary "$(checkout_json "$cart")" "$SOUK_URL/api/v1/checkout"
}
export -f one new_cart json_str cart_put checkout_json
export SOUK_URL run
skus_s="${skus[*]}"
# kill -9 of the whole worker (supervisor and every job) while the orders
# are being captured and booked: the ledger group's batch in flight is
# rolled back with its consumer_applied rows, and the restarted worker
# books it again from the pending entries, once (ledger_transactions.ref).
wpid=$(worker_pid)
(sleep 2; kill -9 -- "-$wpid" 2>/dev/null) &
killer=$!
codes=$(seq 1 "$N" | SKUS="$skus_s" xargs -P 4 -I{} bash -c 'skus=($SKUS); one {}' | sort | uniq -c | tr -s ' ')
wait "$killer"
check "the worker was killed with -9 during the checkouts" bash -c "! kill -0 $wpid 2>/dev/null"
check "... and starts again" worker_start
# the query is run again on every try of wait_for
sql_is() { test "$(sql "$2")" = "$1"; }
check "$N checkouts answered 201 ($codes)" test "$codes" = " $N 201"
check "every capture booked" wait_for 60 sql_is 0 "SELECT count(*) FROM orders o JOIN order_items i ON i.order_id = o.id AND i.seller_id IN ($slist) WHERE NOT EXISTS (SELECT 1 FROM ledger_transactions t WHERE t.order_id = o.id AND t.kind = 'capture')"

mapfile -t ids < <(sql "SELECT DISTINCT o.id FROM orders o JOIN order_items i ON i.order_id = o.id WHERE i.seller_id IN ($slist) ORDER BY o.id")
check "$N orders" test "${#ids[@]}" = "$N"
# 40 % delivered long ago (their balance is available), 20 % delivered now
# (returns), 20 % cancelled, the rest left CONFIRMED.
old=() new=() gone=()
for idx in "${!ids[@]}"; do
    case $((idx % 5)) in
        0 | 1) old+=("${ids[$idx]}") ;;
        2) new+=("${ids[$idx]}") ;;
        3) gone+=("${ids[$idx]}") ;;
    esac
done
ol=$(IFS=,; echo "${old[*]}") nl=$(IFS=,; echo "${new[*]}")
sql "UPDATE orders SET status = 'DELIVERED', delivered_at = now() - interval '31 days' WHERE id IN ($ol);
     UPDATE orders SET status = 'DELIVERED', delivered_at = now() WHERE id IN ($nl)" >/dev/null

pubs_gone=$(sql "SELECT string_agg(public_id, ' ') FROM orders WHERE id IN ($(IFS=,; echo "${gone[*]}"))")
ret_args=$(sql "SELECT string_agg(o.public_id || ':' || i.id || ':' || i.seller_id, ' ') FROM orders o
                JOIN LATERAL (SELECT id, seller_id FROM order_items WHERE order_id = o.id ORDER BY id LIMIT 1) i ON true
                WHERE o.id IN ($nl)")
# everything at once: cancels, returns, payouts
(for p in $pubs_gone; do "$SOUK_CTL" order cancel "$p" >/dev/null 2>&1 & done; wait) &
(for a in $ret_args; do
     IFS=: read -r pub item seller <<<"$a"
     ( rid=$("$SOUK_CTL" return-items "$pub" "$item:1" 2>/dev/null) &&
       "$SOUK_CTL" return-decide "$rid" "$seller" approve >/dev/null 2>&1 ) &
 done; wait) &
for r in 1 2 3; do "$SOUK_CTL" payouts run >"$T_TMP/payout$r" 2>&1 & done
wait

check "every refund booked once" wait_for 60 sql_is 0 "SELECT count(*) FROM refunds f WHERE f.order_id IN ($(IFS=,; echo "${ids[*]}")) AND (SELECT count(*) FROM ledger_transactions t WHERE t.ref = 'refund:' || f.id) <> 1"
check_sql "cancels refunded in full" "SELECT count(*) FROM payments WHERE order_id IN ($(IFS=,; echo "${gone[*]}")) AND status = 'refunded'" "${#gone[@]}"
check_sql "returns refunded" "SELECT count(*) FROM refunds WHERE order_id IN ($nl) AND reason LIKE 'return:%'" "${#new[@]}"
check_sql "one capture transaction per order" "SELECT count(*) FROM ledger_transactions WHERE kind = 'capture' AND order_id IN ($(IFS=,; echo "${ids[*]}"))" "$N"
paid=$(sql "SELECT count(DISTINCT seller_id) FROM order_items WHERE order_id IN ($ol)")
check_sql "one payout per seller with settled sales ($paid)" "SELECT count(*) || ':' || count(DISTINCT seller_id) FROM payouts WHERE seller_id IN ($slist)" "$paid:$paid"
check_sql "each payout is the sellers' settled net, paid" \
    "SELECT bool_and(p.amount = x.net AND p.status = 'paid') FROM payouts p JOIN (SELECT i.seller_id, sum(i.unit_price * i.qty - (i.unit_price * i.qty * i.commission_bps + 5000) / 10000) AS net FROM order_items i WHERE i.order_id IN ($ol) GROUP BY 1) x ON x.seller_id = p.seller_id" t
keys=$(sql "SELECT string_agg(quote_literal('payout:' || id), ',') FROM payouts WHERE seller_id IN ($slist)")
check_payd_sql "the provider paid each payout once" "SELECT count(*) FROM payd_ops WHERE op = 'payout' AND approved AND key IN ($keys)" "$paid"
out=$("$SOUK_CTL" ledger check 2>&1); rc=$?
check "ledger check passes ($out)" test "$rc" = 0

done_testing
