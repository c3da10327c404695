#!/usr/bin/env bash
# 51-checkout-api: checkout over HTTP — approve, decline, retry, replay, bad
# input (nothing changes), out of stock, and where stock and payment end up
# on the cancel and return paths.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/buy-lib.sh"

sku=$(make_sku co "1:6 2:4" 2599)
run=$(date +%s%N)

# ---- approve
cart=$(new_cart)
cart_put "$cart" "$sku" 2 >/dev/null
checkout "$cart" "k-ok-$run"
check "checkout -> 201 (got $HTTP_STATUS)" test "$HTTP_STATUS" = 201
tax=$(( (5198 * 800 + 5000) / 10000 ))
json_ok "j['order']['status'] == 'CONFIRMED' and j['order']['subtotal'] == 5198 and j['order']['shipping'] == 0 and j['order']['tax'] == $tax and j['order']['total'] == 5198 + $tax" \
    "confirmed; subtotal, free standard shipping over \$50, 8 % tax, total"
json_ok "len(j['order']['public_id']) == 20 and len(j['order']['access_token']) == 64 and j['order']['items'][0]['qty'] == 2 and j['order']['items'][0]['unit_price'] == 2599" "public id, token, item snapshot"
json_ok "j['order']['payment']['status'] == 'authorized' and j['order']['payment']['brand'] == 'visa' and j['order']['payment']['last4'] == '4242'" "payment authorized, brand + last4"
pid=$(json_get "j['order']['public_id']")
tok=$(json_get "j['order']['access_token']")
oid=$(sql "SELECT id FROM orders WHERE public_id = '$pid'")
check_sql "reservations committed (2 units)" "SELECT status || ':' || sum(qty) FROM reservations WHERE order_id = $oid GROUP BY status" "committed:2"
check_sql "stock: 8 available, 0 reserved, 2 sold" "SELECT sum(quantity_available) || '|' || sum(quantity_reserved) || '|' || sum(quantity_sold) FROM inventory WHERE sku_id = $sku" "8|0|2"
check_sql "events: created PENDING, then CONFIRMED" "SELECT string_agg(coalesce(from_status, '-') || '>' || to_status, ',' ORDER BY id) FROM order_events WHERE order_id = $oid" "->PENDING,PENDING>CONFIRMED"
check_sql "outbox: order.pending, order.confirmed" "SELECT string_agg(payload->>'type', ',' ORDER BY id) FROM outbox WHERE topic = 'orders' AND key = '$pid'" "order.pending,order.confirmed"
check_sql "inventory events for the sku" "SELECT count(*) > 0 FROM outbox WHERE topic = 'inventory' AND (payload->>'sku_id')::bigint = $sku" "t"
check_sql "no card number anywhere" "SELECT count(*) FROM payments p WHERE p::text LIKE '%4242424242424242%'" "0"
check_payd_sql "... nor in the provider's books" "SELECT (SELECT count(*) FROM payd_ops s WHERE s::text LIKE '%4242424242424242%') + (SELECT count(*) FROM payd_methods m WHERE m::text LIKE '%4242424242424242%') + (SELECT count(*) FROM payd_charges c WHERE c::text LIKE '%4242424242424242%')" "0"
check "cart cleared after the order" test "$(redis EXISTS "cart:$cart")" = 0

# ---- replay: same key -> same order, no second authorization
checkout "$cart" "k-ok-$run"
check "replay -> 201 (got $HTTP_STATUS)" test "$HTTP_STATUS" = 201
json_ok "j['order']['public_id'] == '$pid' and j['order']['status'] == 'CONFIRMED'" "replay answers with the first order"
check "replay is marked" test "$(header Idempotent-Replayed)" = true
check "one order, one payment, one provider authorization for the key" \
    test "$(sql "SELECT (SELECT count(*) FROM orders WHERE idempotency_key = 'k-ok-$run')::text || (SELECT count(*) FROM payments WHERE order_id = $oid)::text")$(payd_sql "SELECT count(*) FROM payd_ops WHERE key = 'auth:$oid'")" = 111

# ---- decline, then retry with another card
cart=$(new_cart)
cart_put "$cart" "$sku" 1 >/dev/null
checkout "$cart" "k-dec-$run" 4000000000000002
check "declined card -> 402 (got $HTTP_STATUS)" test "$HTTP_STATUS" = 402
json_ok "j['error']['code'] == 'payment_declined' and j['error']['decline_code'] == 'card_declined' and 'declined' in j['error']['message'] and j['order']['status'] == 'CANCELLED'" "the shopper is told why; order cancelled"
dpid=$(json_get "j['order']['public_id']")
did=$(sql "SELECT id FROM orders WHERE public_id = '$dpid'")
check_sql "declined: reservation released, stock back" "SELECT (SELECT string_agg(status, ',') FROM reservations WHERE order_id = $did) || '|' || (SELECT sum(quantity_available) FROM inventory WHERE sku_id = $sku)" "released|8"
check_sql "declined: payment failed with the code" "SELECT status || ':' || decline_code FROM payments WHERE order_id = $did" "failed:card_declined"
check_sql "declined: events" "SELECT string_agg(coalesce(from_status, '-') || '>' || to_status || ':' || note, ',' ORDER BY id) FROM order_events WHERE order_id = $did" "->PENDING:,PENDING>CANCELLED:payment declined (card_declined)"
check "declined: the cart is kept for a retry" test "$(redis HGET "cart:$cart" "$sku")" = 1
checkout "$cart" "k-dec-$run" 4000000000000002
check "replay of the declined key -> 402 again, same order (got $HTTP_STATUS)" test "$HTTP_STATUS" = 402
json_ok "j['order']['public_id'] == '$dpid'" "the replay names the declined order"
# (the key is bound to its request: another card under it is not a replay)
checkout "$cart" "k-dec-$run" 4242424242424242
check "the declined key with another card -> 422, not a new charge (got $HTTP_STATUS)" test "$HTTP_STATUS" = 422
json_ok "j['error']['code'] == 'idempotency_mismatch' and 'order' not in j" "idempotency_mismatch, no order"
check_sql "still one order for the key" "SELECT count(*) FROM orders WHERE idempotency_key = 'k-dec-$run'" 1
checkout "$cart" "k-retry-$run" 4242424242424242
check "retry with a new key and a good card -> 201 (got $HTTP_STATUS)" test "$HTTP_STATUS" = 201
rpid=$(json_get "j['order']['public_id']")
rtok=$(json_get "j['order']['access_token']")
check "stock 7 after the retry" test "$(stock_sums "$sku")" = "7|0|3"
cart=$(new_cart)
cart_put "$cart" "$sku" 1 >/dev/null
checkout "$cart" "k-nsf-$run" 4000000000009995
json_ok "j['error']['decline_code'] == 'insufficient_funds' and 'insufficient funds' in j['error']['message']" "insufficient funds named"

# ---- out of stock: 409 naming the sku and what is left; nothing changes
counts() { sql "SELECT (SELECT count(*) FROM orders) || '/' || (SELECT count(*) FROM reservations) || '/' || (SELECT count(*) FROM payments) || '/' || (SELECT count(*) FROM outbox) || '/' || (SELECT count(*) FROM order_items) || '/' || (SELECT sum(quantity_available) || ':' || sum(quantity_reserved) || ':' || sum(quantity_sold) FROM inventory)"; }
short=$(make_sku short "1:2 2:1")
cart=$(new_cart)
cart_put "$cart" "$sku" 1 >/dev/null
cart_put "$cart" "$short" 5 >/dev/null
before=$(counts)
checkout "$cart" "k-oos-$run"
check "out of stock -> 409 (got $HTTP_STATUS)" test "$HTTP_STATUS" = 409
json_ok "j['error']['code'] == 'out_of_stock' and j['error']['sku_id'] == $short and j['error']['available'] == 3 and j['error']['wanted'] == 5 and '3 left' in j['error']['message']" "409 names the short sku and how many are left"
check "out of stock: nothing changed (orders/reservations/payments/outbox/items/stock)" test "$(counts)" = "$before"

# ---- bad input: 400, nothing changed
cart=$(new_cart)
cart_put "$cart" "$sku" 1 >/dev/null
good=$(checkout_json "$cart")
before=$(counts)
bad() { # DESCRIPTION BODY [KEY]
    http_json POST /api/v1/checkout "$2" -H "Idempotency-Key: ${3-k-bad-$run}"
    if [ "$HTTP_STATUS" = 400 ] && [ "$(counts)" = "$before" ]; then ok "$1 -> 400, nothing changed"
    else not_ok "$1 -> 400, nothing changed (got $HTTP_STATUS)" "$(_http_diag)"; fi
}
edit() { python3 -c 'import json,sys; j=json.loads(sys.argv[1]); exec(sys.argv[2]); print(json.dumps(j))' "$good" "$1"; }
http_json POST /api/v1/checkout "$good"
if [ "$HTTP_STATUS" = 400 ] && [ "$(counts)" = "$before" ]; then ok "no Idempotency-Key -> 400"; else not_ok "no Idempotency-Key -> 400 (got $HTTP_STATUS)"; fi
json_ok "'Idempotency-Key' in j['error']['message']" "the missing header is named"
bad "malformed JSON" '{"cart_id": "x",'
bad "short key" "$good" "abc"
bad "missing email" "$(edit 'del j["email"]')"
bad "bad email" "$(edit 'j["email"] = "not-an-email"')"
bad "missing city" "$(edit 'del j["shipping_address"]["city"]')"
bad "country not two letters" "$(edit 'j["shipping_address"]["country"] = "USA"')"
bad "address not an object" "$(edit 'j["shipping_address"] = "1 Main St"')"
bad "Luhn-invalid card" "$(edit 'j["payment"]["card_number"] = "4242424242424241"')"
bad "expired card" "$(edit 'j["payment"]["exp_year"] = 2020')"
bad "exp_month 13" "$(edit 'j["payment"]["exp_month"] = 13')"
bad "cvc too short" "$(edit 'j["payment"]["cvc"] = "12"')"
bad "letters in the card number" "$(edit 'j["payment"]["card_number"] = "4242abcd42424242"')"
bad "payment missing" "$(edit 'del j["payment"]')"
bad "unknown shipping method" "$(edit 'j["shipping_method"] = "teleport"')"
bad "malformed cart id" "$(edit 'j["cart_id"] = "../../etc"')"
bad "empty (unknown) cart" "$(edit 'j["cart_id"] = "0123456789abcdef0123456789abcdef"')"
json_ok "j['error']['code'] == 'empty_cart'" "empty cart named"
bad "email is a number" "$(edit 'j["email"] = 5')"
json_ok "'email' in j['error']['message']" "the bad field is named"

# a cart holding a sku that was withdrawn since: refused by name
wsku=$(make_sku gone "1:5")
wcart=$(new_cart)
cart_put "$wcart" "$wsku" 1 >/dev/null
sql "UPDATE offers SET status = 'withdrawn' WHERE id = $wsku" >/dev/null
before=$(counts)
bad "a withdrawn sku in the cart" "$(checkout_json "$wcart")" "k-gone-$run"
json_ok "j['error']['code'] == 'unknown_sku' and '$wsku' in j['error']['message']" "the withdrawn sku is named"

# Redis down: 503, nothing changed; back up: the same key works
redis SHUTDOWN NOSAVE >/dev/null 2>&1
http_json POST /api/v1/checkout "$good" -H "Idempotency-Key: k-rdown-$run"
if [ "$HTTP_STATUS" = 503 ] && [ "$(counts)" = "$before" ]; then ok "Redis down: checkout -> 503, nothing changed"
else not_ok "Redis down: checkout -> 503, nothing changed (got $HTTP_STATUS)" "$(_http_diag)"; fi
redis-server "$SOUK_VAR/redis/redis.conf" >/dev/null
for _ in $(seq 1 50); do [ "$(redis PING 2>/dev/null)" = PONG ] && break; sleep 0.1; done
# the restarted Redis lost the carts; each pool worker reconnects at most
# once a second (back-off), so give every worker that second
sleep 1.5
for _ in $(seq 1 50); do http POST /api/v1/carts; [ "$HTTP_STATUS" = 201 ] && break; sleep 0.2; done
cart=$(json_get "j['cart_id']")
for _ in $(seq 1 50); do [ "$(cart_put "$cart" "$sku" 1)" = 200 ] && break; sleep 0.2; done
good=$(checkout_json "$cart")

# ---- prices are the server's: a client-sent total is ignored; express shipping
http_json POST /api/v1/checkout "$(edit 'j["total"] = 1; j["subtotal"] = 1; j["shipping_method"] = "express"')" -H "Idempotency-Key: k-exp-$run"
check "express checkout -> 201 (got $HTTP_STATUS)" test "$HTTP_STATUS" = 201
json_ok "j['order']['subtotal'] == 2599 and j['order']['shipping'] == 1499 and j['order']['tax'] == 208 and j['order']['total'] == 2599 + 1499 + 208" "server totals; express \$14.99; client total ignored"
cart=$(new_cart)
cart_put "$cart" "$sku" 1 >/dev/null
checkout "$cart" "k-std-$run"
json_ok "j['order']['shipping'] == 599" "standard under \$50 costs \$5.99"
spid=$(json_get "j['order']['public_id']")
stok=$(json_get "j['order']['access_token']")

# ---- another's order -> 404
check_status "/api/v1/orders/$pid?token=$rtok" 404
check_status "/api/v1/orders/$pid" 404
check_json "/api/v1/orders/$pid" "j['order']['public_id'] == '$pid' and 'access_token' not in j['order']" 200 GET -H "Authorization: Bearer $tok"

# ---- cancel path (authorized): stock back, authorization voided
stock_before=$(stock_sums "$sku")
# (a billing consumer may have captured it already: then it is refunded)
check_json "/api/v1/orders/$spid/cancel" "j['order']['status'] == 'CANCELLED' and (j['order']['payment']['status'] == 'voided' or j['order']['payment']['refunded_amount'] == j['order']['total'])" 200 POST -H "Authorization: Bearer $stok"
sid=$(sql "SELECT id FROM orders WHERE public_id = '$spid'")
a=${stock_before%%|*}; s=${stock_before##*|}
check "cancel restocked one unit" test "$(stock_sums "$sku")" = "$((a + 1))|0|$((s - 1))"
IFS='|' read -r sref spst < <(sql "SELECT provider_ref, status FROM payments WHERE order_id = $sid")
check "cancel: reservation released; the provider's charge voided (or captured and refunded in full) as the payment says" \
    test "$(sql "SELECT string_agg(status, ',') FROM reservations WHERE order_id = $sid")|$(payd_sql "SELECT CASE WHEN '$spst' = 'voided' AND c.status = 'voided' THEN 'ok' WHEN '$spst' = 'refunded' AND c.status = 'captured' AND c.refunded = c.captured THEN 'ok' ELSE '$spst' || '/' || c.status END FROM payd_charges c WHERE c.ref = '$sref'")" = "released|ok"
check "no capture after cancel" test "$("$SOUK_CTL" order capture "$spid")" = "not captured"
check_status "/api/v1/orders/$spid/cancel" 409 POST -H "Authorization: Bearer $stok"

# ---- cancel after capture: refunded in full
check "capture the retried order" test "$("$SOUK_CTL" order capture "$rpid")" = captured
check "capture again is a no-op" test "$("$SOUK_CTL" order capture "$rpid")" = captured
rid=$(sql "SELECT id FROM orders WHERE public_id = '$rpid'")
check_json "/api/v1/orders/$rpid/cancel" "j['order']['status'] == 'CANCELLED' and j['order']['payment']['status'] == 'refunded' and j['order']['payment']['refunded_amount'] == j['order']['total']" 200 POST -H "Authorization: Bearer $rtok"
rref=$(sql "SELECT provider_ref FROM payments WHERE order_id = $rid AND status <> 'failed'")
check "one refund row for the full amount; the provider agrees" test "$(sql "SELECT (SELECT count(*) || ':' || sum(r.amount) FROM refunds r WHERE r.order_id = $rid) = (SELECT '1:' || total FROM orders WHERE id = $rid)")$(payd_sql "SELECT c.refunded = c.captured FROM payd_charges c WHERE c.ref = '$rref'")" = tt
"$SOUK_CTL" order refund "$rpid" >/dev/null 2>&1
check_sql "a second refund call changes nothing" "SELECT count(*) FROM refunds WHERE order_id = $rid" "1"

# ---- return path (library through souk-ctl): refund + restock -> RETURNED
cart=$(new_cart)
cart_put "$cart" "$sku" 2 >/dev/null
checkout "$cart" "k-ret-$run"
tpid=$(json_get "j['order']['public_id']")
tid=$(sql "SELECT id FROM orders WHERE public_id = '$tpid'")
check "ship before processing is refused" bash -c "! '$SOUK_CTL' order ship $tpid UPS 1Z999 2>/dev/null"
check "return before delivery is refused" bash -c "! '$SOUK_CTL' order return-request $tpid 2>/dev/null"
"$SOUK_CTL" order capture "$tpid" >/dev/null
check "process" "$SOUK_CTL" order process "$tpid"
check "ship with carrier and tracking" "$SOUK_CTL" order ship "$tpid" UPS 1Z999AA10123456784
check_status "/api/v1/orders/$tpid/cancel" 409 POST -H "Authorization: Bearer $(sql "SELECT access_token FROM orders WHERE id = $tid")"
check "deliver" "$SOUK_CTL" order deliver "$tpid"
stock_before=$(stock_sums "$sku")
ret=$("$SOUK_CTL" order return-request "$tpid" "too small")
check "return requested (id $ret)" test -n "$ret"
check "a second open return is refused" bash -c "! '$SOUK_CTL' order return-request $tpid 2>/dev/null"
check "receive before approval is refused" bash -c "! '$SOUK_CTL' return receive $ret 2>/dev/null"
check "approve" "$SOUK_CTL" return approve "$ret"
check "receive" "$SOUK_CTL" return receive "$ret"
check_sql "returned: status, events" "SELECT status || '|' || (SELECT string_agg(to_status, ',' ORDER BY id) FROM order_events WHERE order_id = $tid) FROM orders WHERE id = $tid" \
    "RETURNED|PENDING,CONFIRMED,PROCESSING,SHIPPED,DELIVERED,DELIVERED,DELIVERED,RETURNED"
check_sql "returned: the request and the approval are events naming their actor" \
    "SELECT string_agg(coalesce(from_status, '-') || '>' || to_status || ':' || note || '@' || actor, ',' ORDER BY id) FROM order_events WHERE order_id = $tid AND id > (SELECT max(id) FROM order_events WHERE order_id = $tid AND to_status = 'DELIVERED' AND from_status = 'SHIPPED')" \
    "DELIVERED>DELIVERED:return requested@shopper,DELIVERED>DELIVERED:return approved@admin:ctl,DELIVERED>RETURNED:return received@admin:ctl"
check_sql "returned: refunded in full, shipment delivered" "SELECT p.status || ':' || (p.refunded_amount = o.total) || ':' || (SELECT string_agg(status, ',') FROM shipments WHERE order_id = $tid) FROM payments p JOIN orders o ON o.id = p.order_id WHERE o.id = $tid" "refunded:true:delivered"
a=${stock_before%%|*}; s=${stock_before##*|}
check "return restocked 2 units" test "$(stock_sums "$sku")" = "$((a + 2))|0|$((s - 2))"
check "receiving twice is refused" bash -c "! '$SOUK_CTL' return receive $ret 2>/dev/null"
check_sql "one outbox row per order event, in order (billing may add order.refunded)" \
    "SELECT string_agg(payload->>'type', ',' ORDER BY id) FROM outbox WHERE topic = 'orders' AND key = '$tpid' AND payload->>'type' <> 'order.refunded'" \
    "order.pending,order.confirmed,order.processing,order.shipped,order.delivered,order.returned"

# ---- the invariant for the test skus
check_sql "available + reserved + sold = received (10 and 3)" \
    "SELECT string_agg((quantity_available + quantity_reserved + quantity_sold)::text, ',' ORDER BY sku_id, warehouse_id) FROM inventory WHERE sku_id IN ($sku, $short)" "6,4,2,1"

done_testing
