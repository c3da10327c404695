#!/usr/bin/env bash
# 54-marketplace-ledger: a shopper buys from two sellers in one order ->
# two shipments -> each shipped -> delivered -> a partial return refunded
# pro rata -> a payout (run twice at once, paid once); `ctl ledger check`
# passes at every step; the ledger refuses updates, deletes and unbalanced
# transactions; another seller's return is a 404 that changes nothing.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/buy-lib.sh"
. "$(dirname "$0")/lib-orders.sh"

run=$(date +%s%N)
# mk_seller NAME: an active seller with a warehouse of its own; prints "id wh".
mk_seller() {
    sql "WITH s AS (INSERT INTO sellers (name, slug) VALUES ('$1', '$1-$run') RETURNING id),
          w AS (INSERT INTO warehouses (name, seller_id, region) SELECT '$1 wh', id, 'US' FROM s RETURNING id, seller_id)
         SELECT seller_id || ' ' || id FROM w"
}
# mk_offer SELLER WH PRICE: an FBM offer with 20 units; prints its id.
mk_offer() {
    local sku
    sku=$(sql "WITH p AS (INSERT INTO products (ref, title, category_id, seller_id, sales_rank)
                  VALUES ('M-$run-' || md5(random()::text), 'Market item $1', (SELECT min(id) FROM categories), $1, 999999) RETURNING id),
               v AS (INSERT INTO product_variants (product_id, sku, price) SELECT id, 'MV-' || md5(random()::text), $3 FROM p RETURNING id)
               INSERT INTO offers (variant_id, seller_id, sku, price, fulfillment)
               SELECT id, $1, 'MO-' || md5(random()::text), $3, 'FBM' FROM v RETURNING id")
    sql "INSERT INTO inventory (sku_id, warehouse_id, quantity_available) VALUES ($sku, $2, 20)" >/dev/null
    echo "$sku"
}
ledger_ok() { "$SOUK_CTL" ledger check >/dev/null; }

read -r sa wa < <(mk_seller "alpha")
read -r sb wb < <(mk_seller "beta")
sql "UPDATE sellers SET commission_override_bps = 1500 WHERE id = $sb" >/dev/null
ska=$(mk_offer "$sa" "$wa" 1999)
skb=$(mk_offer "$sb" "$wb" 4550)
check "ledger check passes before" ledger_ok
check_sql "an order id past int's range still takes the bookings' lock" \
    "SELECT count(*) FROM (SELECT ledger_order_lock(3000000000)) l" 1

cart=$(new_cart)
cart_put "$cart" "$ska" 3 >/dev/null
cart_put "$cart" "$skb" 1 >/dev/null
checkout "$cart" "mk-$run"
check "checkout from two sellers" test "$HTTP_STATUS" = 201
pub=$(json_get "j['order']['public_id']")
oid=$(sql "SELECT id FROM orders WHERE public_id = '$pub'")
check_sql "one pending shipment per seller, each item linked" \
    "SELECT string_agg(s.seller_id || ':' || s.fulfillment || ':' || s.status || ':' || (SELECT count(*) FROM order_items i WHERE i.shipment_id = s.id), ',' ORDER BY s.seller_id) FROM shipments s WHERE s.order_id = $oid" \
    "$sa:FBM:pending:1,$sb:FBM:pending:1"
check_sql "commission: category rate for alpha, override for beta" \
    "SELECT string_agg(commission_bps::text, ',' ORDER BY seller_id) FROM order_items WHERE order_id = $oid" "1000,1500"
check "the capture is booked once" wait_for 15 \
    test "$(sql "SELECT count(*) FROM ledger_transactions WHERE order_id = $oid AND kind = 'capture'")" = 1
check_sql "capture postings: clearing = total, alpha 5997-600, beta 4550-683, commission 1283" \
    "SELECT string_agg(a.kind || coalesce('/' || a.seller_id, '') || '=' || x.s, ',' ORDER BY a.kind, a.seller_id) FROM (SELECT e.account_id, sum(e.amount) s FROM ledger_entries e JOIN ledger_transactions t ON t.id = e.transaction_id WHERE t.order_id = $oid GROUP BY 1) x JOIN ledger_accounts a ON a.id = x.account_id WHERE a.kind IN ('seller_payable', 'commission')" \
    "commission=-1283,seller_payable/$sa=-5397,seller_payable/$sb=-3867"
check_sql "clearing holds the order total" \
    "SELECT sum(e.amount) = (SELECT total FROM orders WHERE id = $oid) FROM ledger_entries e JOIN ledger_transactions t ON t.id = e.transaction_id JOIN ledger_accounts a ON a.id = e.account_id WHERE t.order_id = $oid AND a.kind = 'clearing'" t
check "ledger check after the capture" ledger_ok

read -r s1 s2 < <(sql "SELECT string_agg(id::text, ' ' ORDER BY seller_id) FROM shipments WHERE order_id = $oid")
check "shipping needs a tracking number" bash -c "! '$SOUK_CTL' shipment ship $s1 UPS '' 2>/dev/null"
check "alpha's shipment ships" "$SOUK_CTL" shipment ship "$s1" UPS 1ZALPHA0001
check_sql "the order is PROCESSING while beta's waits" "SELECT status FROM orders WHERE id = $oid" PROCESSING
check_sql "the shopper hears of the first parcel" "SELECT count(*) FROM outbox WHERE key = '$pub' AND payload->>'type' = 'shipment.shipped' AND payload->>'tracking' = '1ZALPHA0001'" 1
check "a shipment ships once" bash -c "! '$SOUK_CTL' shipment ship $s1 UPS 1ZALPHA0002 2>/dev/null"
check "beta's shipment ships" "$SOUK_CTL" shipment ship "$s2" DHL JDBETA0002
check_sql "SHIPPED with the last shipment" "SELECT status FROM orders WHERE id = $oid" SHIPPED
tok=$(sql "SELECT access_token FROM orders WHERE id = $oid")
check_json "/api/v1/orders/$pub" "[s['tracking'] for s in j['order']['shipments']] == ['1ZALPHA0001', 'JDBETA0002']" 200 GET -H "Authorization: Bearer $tok"
curl -s -L -c "$T_TMP/jar" -b "$T_TMP/jar" -o "$T_TMP/page" "$SOUK_URL/orders/$pub?token=$tok"
check "the order page shows both shipments with their tracking" \
    bash -c "grep -q 1ZALPHA0001 '$T_TMP/page' && grep -q JDBETA0002 '$T_TMP/page' && grep -q 'Shipment 2 of 2' '$T_TMP/page'"
check "alpha's shipment delivered" "$SOUK_CTL" shipment deliver "$s1"
check_sql "still SHIPPED with one parcel out" "SELECT status FROM orders WHERE id = $oid" SHIPPED
check "beta's shipment delivered" "$SOUK_CTL" shipment deliver "$s2"
check_sql "DELIVERED with the last" "SELECT status || ':' || (delivered_at IS NOT NULL) FROM orders WHERE id = $oid" "DELIVERED:true"
check "ledger check after delivery" ledger_ok

# A partial return: one of alpha's three units.
ia=$(sql "SELECT id FROM order_items WHERE order_id = $oid AND seller_id = $sa")
ib=$(sql "SELECT id FROM order_items WHERE order_id = $oid AND seller_id = $sb")
check "mixing sellers in one return is refused" bash -c "! '$SOUK_CTL' return-items $pub $ia:1 $ib:1 2>/dev/null"
check "more units than bought is refused" bash -c "! '$SOUK_CTL' return-items $pub $ia:4 2>/dev/null"
rid=$("$SOUK_CTL" return-items "$pub" "$ia:1")
check "a return of one unit" test -n "$rid"
check "beta cannot decide alpha's return: 404" bash -c "'$SOUK_CTL' return-decide $rid $sb approve 2>&1 | grep -q 'souk-ctl: 404'"
check_sql "another seller's attempt changed nothing" "SELECT status FROM returns WHERE id = $rid" requested
check "alpha approves" "$SOUK_CTL" return-decide "$rid" "$sa" approve
tax=$(sql "SELECT tax * 1999 / subtotal FROM orders WHERE id = $oid")
check "refunded: one unit and its tax share" wait_for 15 \
    test "$(sql "SELECT string_agg(amount::text, ',') FROM refunds WHERE order_id = $oid")" = "$((1999 + tax))"
check "the refund is booked" wait_for 15 \
    test "$(sql "SELECT count(*) FROM ledger_transactions WHERE order_id = $oid AND kind = 'refund'")" = 1
check_sql "alpha's payable gives back 1999 less 200 commission" \
    "SELECT sum(e.amount) FROM ledger_entries e JOIN ledger_transactions t ON t.id = e.transaction_id JOIN ledger_accounts a ON a.id = e.account_id WHERE t.order_id = $oid AND t.kind = 'refund' AND a.seller_id = $sa" 1799
check_sql "the order stays DELIVERED" "SELECT status FROM orders WHERE id = $oid" DELIVERED
check "ledger check after the return" ledger_ok

# The books refuse edits and unbalanced transactions.
check "entries are never updated" bash -c "! psql -X -q -c 'UPDATE ledger_entries SET amount = amount + 1 WHERE id = (SELECT max(id) FROM ledger_entries)' 2>/dev/null"
check "entries are never deleted" bash -c "! psql -X -q -c 'DELETE FROM ledger_entries WHERE id = (SELECT max(id) FROM ledger_entries)' 2>/dev/null"
check "an unbalanced transaction is refused at commit" bash -c "! psql -X -q -v ON_ERROR_STOP=1 -c \"BEGIN; WITH t AS (INSERT INTO ledger_transactions (kind, ref) VALUES ('reversal', 'it-unbalanced-$run') RETURNING id) INSERT INTO ledger_entries (transaction_id, account_id, amount, kind) SELECT t.id, (SELECT id FROM ledger_accounts WHERE kind = 'clearing'), 5, 'x' FROM t; COMMIT\" 2>/dev/null"
check_sql "nothing of it stayed" "SELECT count(*) FROM ledger_transactions WHERE ref = 'it-unbalanced-$run'" 0

# Payouts: nothing is available inside the return window ...
check_sql "nothing available yet" "SELECT count(*) FROM payouts WHERE seller_id IN ($sa, $sb)" 0
"$SOUK_CTL" payouts run >/dev/null
check_sql "a run inside the window pays these sellers nothing" "SELECT count(*) FROM payouts WHERE seller_id IN ($sa, $sb)" 0
# ... and everything after it; two runs at once pay once.
sql "UPDATE orders SET delivered_at = now() - interval '31 days' WHERE id = $oid" >/dev/null
"$SOUK_CTL" payouts run >"$T_TMP/p1" 2>&1 & p1=$!
"$SOUK_CTL" payouts run >"$T_TMP/p2" 2>&1 & p2=$!
wait $p1; r1=$?
wait $p2; r2=$?
check "both runs succeed" test "$r1:$r2" = "0:0"
check_sql "one payout each, for the balance (alpha 5397-1799, beta 3867)" \
    "SELECT string_agg(seller_id || ':' || amount || ':' || status, ',' ORDER BY seller_id) FROM payouts WHERE seller_id IN ($sa, $sb)" \
    "$sa:3598:paid,$sb:3867:paid"
keys=$(sql "SELECT string_agg(quote_literal('payout:' || id), ',') FROM payouts WHERE seller_id IN ($sa, $sb)")
check_payd_sql "the provider paid each once" "SELECT count(*) FROM payd_ops WHERE op = 'payout' AND approved AND key IN ($keys)" 2
check "a third run pays nothing more" bash -c "'$SOUK_CTL' payouts run >/dev/null && test \"\$(psql -X -q -t -A -c 'SELECT count(*) FROM payouts WHERE seller_id IN ($sa, $sb)')\" = 2"
check "ledger check after the payouts" ledger_ok
check "balance after payout is zero" test "$("$SOUK_CTL" ledger balance "$sa")" = "total 0 available 0 pending 0"

# A tampered book is reported with its difference and a non-zero exit.
sql "BEGIN; WITH t AS (INSERT INTO ledger_transactions (kind, ref) VALUES ('reversal', 'it-tamper-$run') RETURNING id)
     INSERT INTO ledger_entries (transaction_id, account_id, amount, kind)
     SELECT t.id, a.id, x.amt, 'tamper' FROM t, (VALUES ('seller_payable', $sa, -7), ('commission', 0, 7)) x(k, s, amt)
     JOIN ledger_accounts a ON a.kind = x.k AND COALESCE(a.seller_id, 0) = x.s; COMMIT" >/dev/null
out=$("$SOUK_CTL" ledger check 2>/dev/null); rc=$?
check "a difference exits non-zero and names the seller (got $rc: $out)" bash -c "test $rc != 0 && grep -q 'seller $sa: expected 0, booked 7' <<<'$out'"
# put it right the ledger's way: a reversal
sql "BEGIN; WITH t AS (INSERT INTO ledger_transactions (kind, ref) VALUES ('reversal', 'it-untamper-$run') RETURNING id)
     INSERT INTO ledger_entries (transaction_id, account_id, amount, kind)
     SELECT t.id, a.id, x.amt, 'tamper' FROM t, (VALUES ('seller_payable', $sa, 7), ('commission', 0, -7)) x(k, s, amt)
     JOIN ledger_accounts a ON a.kind = x.k AND COALESCE(a.seller_id, 0) = x.s; COMMIT" >/dev/null
check "a reversal puts it right" ledger_ok

done_testing
