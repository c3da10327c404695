#!/usr/bin/env bash
# 96-payout-unbooked-refund (issue 11): a refund recorded on an order past
# its return window but not yet booked by the ledger group (the worker is
# stopped, so its payment.refunded event waits) must not be paid out: the
# payout run holds that seller back (and says so); once the group books
# the refund the next run pays the balance net of it, and `ctl ledger
# check` passes throughout.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/buy-lib.sh"
. "$(dirname "$0")/lib-orders.sh"
. "$(dirname "$0")/seller-lib.sh"

trap 'worker_start >/dev/null 2>&1' EXIT
run=$(date +%s%N)
ledger_ok() { "$SOUK_CTL" ledger check >/dev/null; }
balance() { "$SOUK_CTL" ledger balance "$SELLER_ID"; }
payouts_of() { sql "SELECT COALESCE(string_agg(amount || ':' || status, ',' ORDER BY id), '-') FROM payouts WHERE seller_id = $SELLER_ID"; }

seller_new "unbooked-$run"
check "a seller with a warehouse (${SELLER_ID:-}, ${SELLER_WH:-})" test -n "${SELLER_ID:-}" -a -n "${SELLER_WH:-}"
# 10 % commission whatever the category's rate: the amounts below are exact
sql "UPDATE sellers SET commission_override_bps = 1000 WHERE id = $SELLER_ID" >/dev/null
sku=$(seller_offer "$SELLER_ID" "$SELLER_WH" 1999)
cart=$(new_cart)
check "three units in a cart" test "$(cart_put "$cart" "$sku" 3)" -lt 300
checkout "$cart" "k96-$run"
check "... bought (got $HTTP_STATUS)" test "$HTTP_STATUS" = 201
read -r oid pub < <(sql "SELECT id || ' ' || public_id FROM orders WHERE idempotency_key = 'k96-$run'")
check "the capture is booked" wait_for 15 sql_is \
    "SELECT count(*) FROM ledger_transactions WHERE order_id = $oid AND kind = 'capture'" 1
ship=$(sql "SELECT id FROM shipments WHERE order_id = $oid")
check "shipped" "$SOUK_CTL" shipment ship "$ship" UPS "1Z96$run"
check "delivered" "$SOUK_CTL" shipment deliver "$ship"
item=$(sql "SELECT id FROM order_items WHERE order_id = $oid")
rid=$("$SOUK_CTL" return-items "$pub" "$item:1")
check "the shopper returns one unit inside the window" test -n "$rid"
# the window passes while the return waits for the seller's decision
sql "UPDATE orders SET delivered_at = now() - interval '31 days' WHERE id = $oid" >/dev/null
# 3 x 1999 = 5997 less 600 commission ((5997 x 1000 + 5000) / 10000)
check "the whole sale is available: 5397 ($(balance))" test "$(balance)" = "total 5397 available 5397 pending 0"
check "ledger check before" ledger_ok

# ---- the refund is recorded, its event not consumed by the ledger group yet
check "the worker stops (no ledger group)" worker_stop
check "the seller approves the return (the refund runs in ctl)" "$SOUK_CTL" return-decide "$rid" "$SELLER_ID" approve
tax=$(sql "SELECT tax * 1999 / subtotal FROM orders WHERE id = $oid")
check_sql "refunded: one unit and its tax share" \
    "SELECT string_agg(amount::text, ',') FROM refunds WHERE order_id = $oid" "$((1999 + tax))"
fid=$(sql "SELECT id FROM refunds WHERE order_id = $oid")
check_sql "its payment.refunded event is written, not applied by the ledger group" \
    "SELECT count(*) FROM outbox o WHERE o.topic = 'payments' AND o.payload->>'type' = 'payment.refunded' AND (o.payload->>'order_id')::bigint = $oid AND NOT EXISTS (SELECT 1 FROM consumer_applied a WHERE a.consumer = 'ledger' AND a.event_id = o.id)" 1
check_sql "... so the refund is not booked" "SELECT count(*) FROM ledger_transactions WHERE ref = 'refund:$fid'" 0
check "the books still count the refunded unit as available ($(balance))" test "$(balance)" = "total 5397 available 5397 pending 0"
"$SOUK_CTL" payouts run >"$T_TMP/run1.out" 2>"$T_TMP/run1.err"
check "a payout run right now succeeds" test $? = 0
check "... and pays this seller nothing ($(payouts_of))" test "$(payouts_of)" = -
check "... saying why (ctl's log)" grep -q "seller $SELLER_ID held back to the next run: refund $fid of order $oid is not booked yet" "$T_TMP/run1.err"
check "ledger check while the refund waits" ledger_ok
check "the balance is untouched ($(balance))" test "$(balance)" = "total 5397 available 5397 pending 0"

# ---- the group books it; the next run pays the balance net of the refund
check "the worker starts" worker_start
check "the ledger group books the refund" wait_for 20 sql_is \
    "SELECT count(*) FROM ledger_transactions WHERE ref = 'refund:$fid'" 1
# the refund gives back 1999 less the unit's commission share floor(600 x 1 / 3) = 200
check "available: 5397 - 1799 = 3598 ($(balance))" test "$(balance)" = "total 3598 available 3598 pending 0"
check "ledger check after the booking" ledger_ok
check "the next run succeeds" "$SOUK_CTL" payouts run
check "... and pays 3598, once ($(payouts_of))" test "$(payouts_of)" = "3598:paid"
check_payd_sql "the provider paid it once" \
    "SELECT count(*) FROM payd_ops WHERE op = 'payout' AND approved AND key = 'payout:$(sql "SELECT id FROM payouts WHERE seller_id = $SELLER_ID")'" 1
check "a further run pays nothing more" "$SOUK_CTL" payouts run
check "... still one payout ($(payouts_of))" test "$(payouts_of)" = "3598:paid"
check "the balance is zero, never negative ($(balance))" test "$(balance)" = "total 0 available 0 pending 0"
check "ledger check after the payout" ledger_ok

done_testing
