#!/usr/bin/env bash
# 55-seller-orders-api: the seller API over orders, shipments, returns and
# the ledger: each seller sees only its part; a seller confirms its FBM
# shipment (the shopper is mailed the tracking number); FBA is the
# platform's; the isolation matrix: another seller's shipment, return and
# ledger answer 404 (or show nothing) and change nothing; no key: 401.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/buy-lib.sh"
. "$(dirname "$0")/lib-orders.sh"
. "$(dirname "$0")/seller-lib.sh"

run=$(date +%s%N)
seller_new "sa-$run"
sa=$SELLER_ID ka=$SELLER_KEY wa=$SELLER_WH
seller_new "sb-$run"
sb=$SELLER_ID kb=$SELLER_KEY wb=$SELLER_WH
# the query is run again on every try of wait_for
sql_is() { test "$(sql "$2")" = "$1"; }
check "two sellers with keys and warehouses" test -n "$ka" -a -n "$kb" -a -n "$wa" -a -n "$wb"
# mk_offer SELLER WH PRICE FULFILLMENT: prints the offer id (20 units).
mk_offer() {
    local sku
    sku=$(sql "WITH p AS (INSERT INTO products (ref, title, category_id, seller_id, sales_rank)
                  VALUES ('S-$run-' || md5(random()::text), 'Seller item', (SELECT min(id) FROM categories), $1, 999999) RETURNING id),
               v AS (INSERT INTO product_variants (product_id, sku, price) SELECT id, 'SV-' || md5(random()::text), $3 FROM p RETURNING id)
               INSERT INTO offers (variant_id, seller_id, sku, price, fulfillment)
               SELECT id, $1, 'SO-' || md5(random()::text), $3, '$4' FROM v RETURNING id")
    sql "INSERT INTO inventory (sku_id, warehouse_id, quantity_available) VALUES ($sku, $2, 20)" >/dev/null
    echo "$sku"
}
oa=$(mk_offer "$sa" "$wa" 2500 FBM)
ob=$(mk_offer "$sb" "$wb" 1200 FBM)
fba_wh=$(sql "SELECT min(id) FROM warehouses WHERE seller_id IS NULL")
obf=$(mk_offer "$sb" "$fba_wh" 3000 FBA)

cart=$(new_cart)
cart_put "$cart" "$oa" 2 >/dev/null
cart_put "$cart" "$ob" 1 >/dev/null
cart_put "$cart" "$obf" 1 >/dev/null
checkout "$cart" "so-$run"
check "checkout" test "$HTTP_STATUS" = 201
pub=$(json_get "j['order']['public_id']")
oid=$(sql "SELECT id FROM orders WHERE public_id = '$pub'")
sha=$(sql "SELECT id FROM shipments WHERE order_id = $oid AND seller_id = $sa")
shb=$(sql "SELECT id FROM shipments WHERE order_id = $oid AND seller_id = $sb AND fulfillment = 'FBM'")
shf=$(sql "SELECT id FROM shipments WHERE order_id = $oid AND seller_id = $sb AND fulfillment = 'FBA'")
check "three shipments: A, B FBM, B FBA" test -n "$sha" -a -n "$shb" -a -n "$shf"

# Orders: only the seller's part, with its shipment ids.
sapi GET /api/v1/seller/orders "" "$ka"
check "A's orders" test "$HTTP_STATUS" = 200
json_ok "[(o['public_id'], o['shipment_ids'], o['items'], o['amount']) for o in j['orders'] if o['public_id'] == '$pub'] == [('$pub', [$sha], 2, 5000)]" "A sees the order with its shipment only and its items' amount"
sapi GET /api/v1/seller/orders "" "$kb"
json_ok "[o['shipment_ids'] for o in j['orders'] if o['public_id'] == '$pub'] == [sorted([$shb, $shf])]" "B sees its two shipments"
check_status /api/v1/seller/orders 401
check_status /api/v1/seller/orders 401 GET -H "Authorization: Bearer sk_nope"

# Shipments: A reads its own; B's is a 404 both ways.
sapi GET "/api/v1/seller/shipments/$sha" "" "$ka"
json_ok "j['shipment']['id'] == $sha and j['shipment']['status'] == 'pending' and j['shipment']['items'][0]['qty'] == 2 and j['shipment']['ship_to']['city'] == 'Springfield'" "A reads its shipment and where it goes"
for s in "$shb" "$shf" 999999999; do
    sapi GET "/api/v1/seller/shipments/$s" "" "$ka"
    check "A reading shipment $s: 404" test "$HTTP_STATUS" = 404
    sapi POST "/api/v1/seller/shipments/$s/confirm" '{"carrier":"UPS","tracking":"1ZSTEAL"}' "$ka"
    check "A confirming shipment $s: 404" test "$HTTP_STATUS" = 404
done
check_sql "nothing changed on B's shipments" "SELECT string_agg(status || ':' || coalesce(tracking, '-'), ',' ORDER BY id) FROM shipments WHERE id IN ($shb, $shf)" "pending:-,pending:-"

# Confirming: bad input is a 400 naming the field; FBA is the platform's.
sapi POST "/api/v1/seller/shipments/$sha/confirm" '{"carrier":"UPS"}' "$ka"
check "no tracking: 400" test "$HTTP_STATUS" = 400
json_ok "'tracking' in j['error']['message']" "the message names tracking"
sapi POST "/api/v1/seller/shipments/$sha/confirm" "{\"carrier\":\"UPS\",\"tracking\":\"$(printf 'x%.0s' {1..65})\"}" "$ka"
check "a 65-character tracking number: 400" test "$HTTP_STATUS" = 400
sapi POST "/api/v1/seller/shipments/$shf/confirm" '{"carrier":"UPS","tracking":"1ZFBA"}' "$kb"
check "B cannot ship its FBA shipment: 409" test "$HTTP_STATUS" = 409
sapi POST "/api/v1/seller/shipments/$sha/confirm" '{"carrier":"UPS","tracking":"1ZSELLERA"}' "$ka"
check "A confirms: 200" test "$HTTP_STATUS" = 200
json_ok "j['shipment']['status'] == 'shipped' and j['shipment']['tracking'] == '1ZSELLERA'" "shipped with the tracking"
sapi POST "/api/v1/seller/shipments/$sha/confirm" '{"carrier":"UPS","tracking":"1ZAGAIN"}' "$ka"
check "confirming twice: 409" test "$HTTP_STATUS" = 409
check_sql "PROCESSING, the shopper's mail queued" "SELECT o.status || ':' || (SELECT count(*) FROM outbox WHERE key = o.public_id AND payload->>'type' = 'shipment.shipped') FROM orders o WHERE o.id = $oid" "PROCESSING:1"
check "the shopper gets a mail with A's tracking number" wait_for 20 bash -c "grep -l '1ZSELLERA' '$SOUK_MAIL_DIR'/*.eml"
sapi POST "/api/v1/seller/shipments/$shb/confirm" '{"carrier":"DHL","tracking":"JDSELLERB"}' "$kb"
check "B confirms its FBM shipment" test "$HTTP_STATUS" = 200
check_sql "still PROCESSING: the FBA shipment waits" "SELECT status FROM orders WHERE id = $oid" PROCESSING
check "the platform ships FBA" "$SOUK_CTL" shipment ship "$shf" UPS 1ZSOUKFBA
check_sql "SHIPPED" "SELECT status FROM orders WHERE id = $oid" SHIPPED
for s in "$sha" "$shb" "$shf"; do "$SOUK_CTL" shipment deliver "$s" >/dev/null; done
check_sql "DELIVERED" "SELECT status FROM orders WHERE id = $oid" DELIVERED

# Returns: B's item returned; A cannot see or decide it.
ib=$(sql "SELECT id FROM order_items WHERE order_id = $oid AND sku_id = $ob")
rid=$("$SOUK_CTL" return-items "$pub" "$ib:1")
sapi GET /api/v1/seller/returns "" "$ka"
json_ok "$rid not in [r['id'] for r in j['returns']]" "A does not see B's return"
sapi POST "/api/v1/seller/returns/$rid/approve" "" "$ka"
check "A approving B's return: 404" test "$HTTP_STATUS" = 404
sapi POST "/api/v1/seller/returns/$rid/reject" "" "$ka"
check "A rejecting B's return: 404" test "$HTTP_STATUS" = 404
check_sql "B's return untouched" "SELECT status FROM returns WHERE id = $rid" requested
sapi GET /api/v1/seller/returns "" "$kb"
json_ok "[r['status'] for r in j['returns'] if r['id'] == $rid] == ['requested']" "B sees it"
sapi POST "/api/v1/seller/returns/$rid/approve" "" "$kb"
check "B approves: 200" test "$HTTP_STATUS" = 200
check "refunded" wait_for 15 sql_is 1 "SELECT count(*) FROM refunds WHERE order_id = $oid AND reason = 'return:$rid'"

# The ledger: each seller's own entries and balance.
check "the ledger balances" wait_for 15 "$SOUK_CTL" ledger check
sapi GET /api/v1/seller/ledger "" "$ka"
check "A's ledger" test "$HTTP_STATUS" = 200
json_ok "[e['kind'] for e in j['entries']] == ['sale', 'commission'] and [e['amount'] for e in j['entries']] == [5000, -500] and j['entries'][-1]['balance'] == 4500 and j['balance'] == 4500 and j['pending'] == 4500 and j['available'] == 0 and sum(e['amount'] for e in j['entries']) == j['balance']" "A: a sale, its commission, a running balance"
sapi GET /api/v1/seller/ledger "" "$kb"
json_ok "sorted(set(e['kind'] for e in j['entries'])) == ['commission', 'commission_refund', 'refund', 'sale'] and j['balance'] == 4200 - 420 - (1200 - 120) == sum(e['amount'] for e in j['entries'])" "B: sales, commissions and the refund"
sapi GET "/api/v1/seller/ledger?from=2000-01-01&to=2000-12-31" "" "$ka"
json_ok "j['entries'] == [] and j['balance'] == 4500" "a date filter"
sapi GET "/api/v1/seller/ledger?from=2026-02-30" "" "$ka"
check "a bad date: 400" test "$HTTP_STATUS" = 400
check_status /api/v1/seller/ledger 401

done_testing
