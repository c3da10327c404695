#!/usr/bin/env bash
# 95-deferred-auth: a checkout paying with a payment method (pm_…) while
# souk-payd is down or times out is taken: 202, order PENDING, stock held,
# payment 'authorizing' with an 'authorize' intent; the worker asks again
# with the same key until the provider answers: approved -> CONFIRMED and
# captured once; declined -> CANCELLED, stock back once, the shopper
# mailed. A card number with the provider down is sealed with souk-payd's
# public key and deferred the same way: the worker has the provider
# tokenise the sealed card (the blob erased at once), then authorizes;
# the card's number and CVC are nowhere meanwhile; a tampered blob is a
# clean decline; with no key known the card number stays a 503. The
# storefront's payment step with the provider down seals the card the
# same way (kept in the session until "Place your order", then only on
# the intent) and the order is taken deferred. A card
# number tokenised whose authorization then fails is deferred with its
# fresh token.
# A timeout after the provider authorized, and a kill -9 of the worker
# while it waits for the answer, still make exactly one authorization and
# one capture at souk-payd (its own books).
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/buy-lib.sh"
. "$(dirname "$0")/web-lib.sh"
. "$(dirname "$0")/lib-orders.sh"

trap 'payd_faults "{}" 2>/dev/null; worker_start >/dev/null 2>&1' EXIT
run=$(date +%s%N)
sku=$(make_sku "defer$run" "1:30" 1500)
pid=$(sql "SELECT v.product_id FROM offers o JOIN product_variants v ON v.id = o.variant_id WHERE o.id = $sku")
payd_faults '{}'
# nobody else's intent may take a fault meant for this script's checkout
wait_for 20 sql_is "SELECT count(*) FROM payment_ops WHERE status = 'pending'" 0

# tokenise CARD: a fresh payment method (pm_…) at souk-payd; one per case,
# so its charges at the provider are this case's alone.
tokenise() {
    payd_api POST /v1/payment_methods "{\"card_number\":\"$1\",\"exp_month\":12,\"exp_year\":2099,\"cvc\":\"123\"}" | json_str id
}
# pm_checkout CART KEY TOKEN: POST /api/v1/checkout paying with the token
# (checkout_json's body with its payment, the last field, replaced).
pm_checkout() {
    local body
    body=$(checkout_json "$1")
    body="${body%,\"payment\":*},\"payment\":{\"payment_method\":\"$3\"}}"
    http_json POST /api/v1/checkout "$body" -H "Idempotency-Key: $2"
}
order_of() { sql "SELECT id FROM orders WHERE idempotency_key = '$1'"; }
# payd_books TOKEN: "charges|authorize keys|captures" of the token at souk-payd.
payd_books() {
    payd_sql "SELECT (SELECT count(*) FROM payd_charges WHERE method = '$1') || '|' ||
        (SELECT count(*) FROM payd_ops p JOIN payd_charges ch ON ch.ref = p.ref WHERE ch.method = '$1' AND p.op = 'authorize') || '|' ||
        (SELECT count(*) FROM payd_ops p JOIN payd_charges ch ON ch.ref = p.charge_ref WHERE ch.method = '$1' AND p.op = 'capture' AND p.approved)"
}
# sealed_pending ORDER_ID KEY_ID: the order of a card sealed while the
# provider was down is PENDING with its stock held, its payment authorizing
# with no token yet, and the intent holds the card sealed with KEY_ID.
sealed_pending() {
    check_sql "order PENDING, stock held, payment authorizing with no token yet, the intent holds the sealed card" \
        "SELECT o.status || '|' || (SELECT string_agg(status, ',') FROM reservations WHERE order_id = o.id) || '|' || p.status || ':' || COALESCE(p.payment_method, '-') || '|' || op.op || ':' || op.status || '|' || (op.sealed_card LIKE 'sk1.$2.%' AND length(op.sealed_card) > 500) FROM orders o JOIN payments p ON p.order_id = o.id JOIN payment_ops op ON op.payment_id = p.id WHERE o.id = $1" \
        "PENDING|held|authorizing:-|authorize:pending|true"
}
# sealed_done ORDER_ID WHAT: the provider is back: the order is CONFIRMED
# and captured, paid with the token the provider made of the sealed card
# (SEALED_TOK), one charge, authorization and capture at souk-payd under
# the order's own key, and the intent done without its sealed card.
sealed_done() {
    check "provider back: $2 is CONFIRMED within 30 s" wait_for 30 sql_is "SELECT status FROM orders WHERE id = $1" CONFIRMED
    check "... and captured within 20 s" wait_for 20 sql_is "SELECT status FROM payments WHERE order_id = $1" captured
    SEALED_TOK=$(sql "SELECT payment_method FROM payments WHERE order_id = $1")
    check "the payment has the token the provider made of the sealed card ($SEALED_TOK)" test "${SEALED_TOK:0:3}" = pm_
    check "souk-payd's books for it: one charge, one authorization, one capture ($(payd_books "$SEALED_TOK"))" test "$(payd_books "$SEALED_TOK")" = "1|1|1"
    check_payd_sql "... under the order's own key" "SELECT count(*) FROM payd_ops WHERE key = 'auth:$1'" 1
    check_sql "the sealed card is gone, the intent done (authorized)" \
        "SELECT status || '|' || result || '|' || (sealed_card IS NULL) FROM payment_ops WHERE order_id = $1 AND op = 'authorize'" "done|authorized|true"
}

# ---- provider down -> 202 pending -> provider back -> CONFIRMED, one of each
tok=$(tokenise 4242424242424242)
check "a payment method to pay with" test "${tok:0:3}" = pm_
before=$(stock_sums "$sku")
payd_faults '{"path":"/v1/authorize","fail":503}'
cart=$(new_cart)
cart_put "$cart" "$sku" 2 >/dev/null
pm_checkout "$cart" "k95-up-$run" "$tok"
check "provider down, paying with a payment method -> 202 (got $HTTP_STATUS)" test "$HTTP_STATUS" = 202
json_ok "j['order']['status'] == 'PENDING' and j['order']['payment']['status'] == 'authorizing' and j['order']['payment']['authorization_pending'] is True and j['order']['public_id'] and j['order']['access_token']" \
    "the reply is the order (its usual shape): PENDING, payment authorizing, authorization pending"
oid=$(order_of "k95-up-$run")
check_sql "order PENDING, its stock held, an 'authorize' intent pending" \
    "SELECT o.status || '|' || (SELECT string_agg(status, ',') FROM reservations WHERE order_id = o.id) || '|' || p.status || '|' || op.op || ':' || op.status FROM orders o JOIN payments p ON p.order_id = o.id JOIN payment_ops op ON op.payment_id = p.id WHERE o.id = $oid" \
    "PENDING|held|authorizing|authorize:pending"
check "2 units reserved" test "$(stock_sums "$sku")" = "$(echo "$before" | awk -F'|' '{ print $1 - 2 "|" $2 + 2 "|" $3 }')"
http GET "/api/v1/carts/$cart"
json_ok "len(j.get('lines', j.get('items', []))) == 0" "the cart is cleared: the order is taken"
pm_checkout "$cart" "k95-up-$run" "$tok"
check "the client's retry with the same key -> 202 again (got $HTTP_STATUS)" test "$HTTP_STATUS" = 202
check "... a replay (Idempotent-Replayed)" test "$(header Idempotent-Replayed)" = true
check_sql "... of the same order, still one" "SELECT count(*) FROM orders WHERE idempotency_key = 'k95-up-$run'" 1
check "the worker keeps trying while the provider is down" wait_for 10 sql_is \
    "SELECT attempts > 0 AND last_error IS NOT NULL FROM payment_ops WHERE order_id = $oid AND op = 'authorize'" t
check_sql "still PENDING meanwhile" "SELECT status FROM orders WHERE id = $oid" PENDING
payd_faults '{}'
check "provider back: the order is CONFIRMED within 30 s" wait_for 30 sql_is "SELECT status FROM orders WHERE id = $oid" CONFIRMED
check "... and captured by billing within 20 s" wait_for 20 sql_is "SELECT status FROM payments WHERE order_id = $oid" captured
check_sql "the intent is done, stock sold, the worker confirmed it" \
    "SELECT op.status || '|' || op.result || '|' || (SELECT string_agg(status, ',') FROM reservations WHERE order_id = $oid) || '|' || (SELECT actor || ':' || note FROM order_events WHERE order_id = $oid AND to_status = 'CONFIRMED') FROM payment_ops op WHERE op.order_id = $oid AND op.op = 'authorize'" \
    "done|authorized|committed|worker:payment authorized (deferred)"
check "souk-payd's books: one charge, one authorization, one capture ($(payd_books "$tok"))" test "$(payd_books "$tok")" = "1|1|1"
check_payd_sql "... under the order's own key" "SELECT count(*) FROM payd_ops WHERE key = 'auth:$oid'" 1
http GET "/api/v1/orders/$(sql "SELECT public_id FROM orders WHERE id = $oid")" -H "Authorization: Bearer $(sql "SELECT access_token FROM orders WHERE id = $oid")"
json_ok "j['order']['status'] == 'CONFIRMED' and j['order']['payment']['authorization_pending'] is False" "the order's JSON says CONFIRMED, nothing pending"

# ---- provider down -> later a decline -> CANCELLED, stock back once, mailed
dtok=$(tokenise 4000000000000002)
before=$(stock_sums "$sku")
payd_faults '{"path":"/v1/authorize","fail":503}'
cart=$(new_cart)
cart_put "$cart" "$sku" 3 >/dev/null
pm_checkout "$cart" "k95-decl-$run" "$dtok"
check "a card that will decline, provider down -> 202 (got $HTTP_STATUS)" test "$HTTP_STATUS" = 202
did=$(order_of "k95-decl-$run")
dpub=$(sql "SELECT public_id FROM orders WHERE id = $did")
check "3 units held" test "$(stock_sums "$sku" | cut -d'|' -f2)" = "$(($(echo "$before" | cut -d'|' -f2) + 3))"
payd_faults '{}'
check "provider back: declined -> CANCELLED within 30 s" wait_for 30 sql_is "SELECT status FROM orders WHERE id = $did" CANCELLED
check "stock back exactly (available, reserved, sold as before)" test "$(stock_sums "$sku")" = "$before"
check_sql "reservations released, one cancel event with the decline, payment failed" \
    "SELECT (SELECT string_agg(DISTINCT status, ',') FROM reservations WHERE order_id = $did) || '|' || (SELECT count(*) || ':' || max(note) FROM order_events WHERE order_id = $did AND to_status = 'CANCELLED') || '|' || (SELECT status || ':' || decline_code FROM payments WHERE order_id = $did) || '|' || (SELECT cancel_reason FROM orders WHERE id = $did)" \
    "released|1:payment declined (card_declined)|failed:card_declined|payment declined"
check_sql "the intent is done (declined), nothing else pending for it" \
    "SELECT string_agg(op || ':' || status || ':' || COALESCE(result, ''), ',' ORDER BY id) FROM payment_ops WHERE order_id = $did" "authorize:done:declined"
check "the shopper is mailed within 20 s" wait_for 20 sh -c "grep -l -F 'Subject: Your Souk order $dpub was cancelled: payment declined' '$SOUK_MAIL_DIR'/*.eml"
mails=$(grep -l -F "$dpub" "$SOUK_MAIL_DIR"/*.eml 2>/dev/null | xargs -r grep -l -F 'payment declined' | wc -l)
check "... once ($mails mail)" test "$mails" = 1
check "... the mail says nothing was charged" sh -c "grep -l -F '$dpub' '$SOUK_MAIL_DIR'/*.eml | xargs grep -q 'nothing was charged'"
check "souk-payd charged nothing for it ($(payd_books "$dtok"))" test "$(payd_books "$dtok")" = "0|0|0"
sleep 1
check "the stock stays back (released once, also after the worker's later rounds)" test "$(stock_sums "$sku")" = "$before"

# ---- a card number with the provider down: sealed, 202, the worker finishes it
PAGES=$T_TMP/pages
mkdir -p "$PAGES"
check "Souk knows souk-payd's public key (the worker fetched it)" wait_for 20 sql_is \
    "SELECT count(*) FROM pay_seal_keys WHERE provider = 'payd' AND key_id ~ '^k_[0-9a-f]+$' AND public_pem LIKE '-----BEGIN PUBLIC KEY-----%'" 1
kid=$(sql "SELECT key_id FROM pay_seal_keys WHERE provider = 'payd'")
check_payd_sql "... the one payd serves, its private key in payd's own database" \
    "SELECT count(*) FROM payd_keys WHERE key_id = '$kid' AND private_pem LIKE '-----BEGIN PRIVATE KEY-----%'" 1
check_sql "Souk holds no private key" "SELECT count(*) FROM pay_seal_keys WHERE public_pem LIKE '%PRIVATE%'" 0
payd_faults '{"fail":503}'
cart=$(new_cart)
cart_put "$cart" "$sku" 2 >/dev/null
before=$(stock_sums "$sku")
checkout "$cart" "k95-raw-$run"
cp "$HTTP_BODY" "$PAGES/raw-202"
check "card number, provider down, key known -> 202 (got $HTTP_STATUS)" test "$HTTP_STATUS" = 202
json_ok "j['order']['status'] == 'PENDING' and j['order']['payment']['status'] == 'authorizing' and j['order']['payment']['authorization_pending'] is True" \
    "the reply is the order: PENDING, payment authorizing, authorization pending"
rid=$(order_of "k95-raw-$run")
sealed_pending "$rid" "$kid"
check "2 units reserved" test "$(stock_sums "$sku")" = "$(echo "$before" | awk -F'|' '{ print $1 - 2 "|" $2 + 2 "|" $3 }')"
checkout "$cart" "k95-raw-$run"
cp "$HTTP_BODY" "$PAGES/raw-replay"
check "the client's retry with the same key -> 202 again, a replay (got $HTTP_STATUS)" \
    test "$HTTP_STATUS:$(header Idempotent-Replayed)" = 202:true
check "the worker keeps trying while the provider is down" wait_for 10 sql_is \
    "SELECT attempts > 0 AND last_error IS NOT NULL AND sealed_card IS NOT NULL FROM payment_ops WHERE order_id = $rid AND op = 'authorize'" t
# while the sealed card is stored: the number and CVC are still nowhere
check_no_card_anywhere "$PAGES"
check "the sealed card is in the dump (the grep above did look at it)" grep -q "sk1.$kid." "$T_TMP/souk.sql"
# a rotation meanwhile: payd serves a new key and still opens the old one's
payd_faults '{"path":"/v1/payment_methods","fail":503}'
kid2=$(payd_api POST /_keys/rotate '{}' | python3 -c 'import json,sys; print(json.load(sys.stdin)["key_id"])')
check "payd rotated its key ($kid -> $kid2)" sh -c "test -n '$kid2' && test '$kid2' != '$kid'"
check "... and serves the new one" test "$(payd_api GET /v1/encryption_key | python3 -c 'import json,sys; print(json.load(sys.stdin)["key_id"])')" = "$kid2"
payd_faults '{}'
sealed_done "$rid" "the card-number order"
check_payd_sql "the card as the provider saw it (sealed under the old key)" "SELECT brand || ':' || last4 FROM payd_methods WHERE token = '$SEALED_TOK'" "visa:4242"
check_sql "no sealed card left anywhere but on pending intents" "SELECT count(*) FROM payment_ops WHERE sealed_card IS NOT NULL AND status <> 'pending'" 0

# ---- a tampered sealed card: the provider refuses it -> CANCELLED, stock back once
wait_for 70 sql_is "SELECT key_id FROM pay_seal_keys WHERE provider = 'payd'" "$kid2" # the worker's refresh
check_sql "Souk picked up the rotated key" "SELECT key_id FROM pay_seal_keys WHERE provider = 'payd'" "$kid2"
payd_faults '{"fail":503}'
cart=$(new_cart)
cart_put "$cart" "$sku" 3 >/dev/null
before=$(stock_sums "$sku")
checkout "$cart" "k95-tamper-$run"
check "card number, provider down -> 202 (got $HTTP_STATUS)" test "$HTTP_STATUS" = 202
xid=$(order_of "k95-tamper-$run")
check_sql "sealed with the new key" "SELECT sealed_card LIKE 'sk1.$kid2.%' FROM payment_ops WHERE order_id = $xid AND op = 'authorize'" t
# one base64 character in the middle of the ciphertext changed
sql "UPDATE payment_ops SET sealed_card = overlay(sealed_card PLACING CASE WHEN substr(sealed_card, 200, 1) = 'A' THEN 'B' ELSE 'A' END FROM 200 FOR 1) WHERE order_id = $xid AND op = 'authorize'" >/dev/null
payd_faults '{}'
check "provider back: the tampered card is refused -> CANCELLED within 40 s" wait_for 40 sql_is "SELECT status FROM orders WHERE id = $xid" CANCELLED
check "stock back exactly (available, reserved, sold as before)" test "$(stock_sums "$sku")" = "$before"
check_sql "reservations released, one cancel event, payment failed (invalid_card), the intent closed without its sealed card" \
    "SELECT (SELECT string_agg(DISTINCT status, ',') FROM reservations WHERE order_id = $xid) || '|' || (SELECT count(*) || ':' || max(note) FROM order_events WHERE order_id = $xid AND to_status = 'CANCELLED') || '|' || (SELECT status || ':' || decline_code || ':' || COALESCE(payment_method, '-') FROM payments WHERE order_id = $xid) || '|' || (SELECT string_agg(op || ':' || status || ':' || result || ':' || (sealed_card IS NULL), ',') FROM payment_ops WHERE order_id = $xid)" \
    "released|1:payment declined (invalid_card)|failed:invalid_card:-|authorize:done:declined:true"
check_payd_sql "souk-payd authorized nothing for it" "SELECT count(*) FROM payd_ops WHERE key = 'auth:$xid'" 0
sleep 1
check "the stock stays back" test "$(stock_sums "$sku")" = "$before"

# ---- no key known (payd never reached, none stored): a card number stays a 503
payd_faults '{"fail":503}'
sql "UPDATE pay_seal_keys SET provider = 'payd-hidden' WHERE provider = 'payd'" >/dev/null
cart=$(new_cart)
cart_put "$cart" "$sku" 1 >/dev/null
before=$(stock_sums "$sku")
checkout "$cart" "k95-nokey-$run"
check "card number, provider down, no key known -> 503 (got $HTTP_STATUS)" test "$HTTP_STATUS" = 503
check "... with Retry-After" test -n "$(header Retry-After)"
json_ok "j['error']['code'] == 'payment_unavailable'" "... payment_unavailable"
check_sql "no order for it" "SELECT count(*) FROM orders WHERE idempotency_key LIKE 'k95-nokey-$run%'" 0
check "no stock held" test "$(stock_sums "$sku")" = "$before"
sql "UPDATE pay_seal_keys SET provider = 'payd' WHERE provider = 'payd-hidden'" >/dev/null
check_sql "(the key is back for the next scripts)" "SELECT count(*) FROM pay_seal_keys WHERE provider = 'payd'" 1
# a card number souk-payd tokenised, then its authorization failed: the
# fresh token is deferred (nothing sealed: the provider has the card)
payd_faults '{"path":"/v1/authorize","fail":503}'
checkout "$cart" "k95-raw2-$run"
check "card number, provider down at authorize only -> 202 (got $HTTP_STATUS)" test "$HTTP_STATUS" = 202
check_sql "... deferred with the provider's token, no sealed card" \
    "SELECT o.status || '|' || (p.payment_method LIKE 'pm_%') || '|' || op.op || ':' || op.status || ':' || (op.sealed_card IS NULL) FROM orders o JOIN payments p ON p.order_id = o.id JOIN payment_ops op ON op.payment_id = p.id WHERE o.idempotency_key = 'k95-raw2-$run'" \
    "PENDING|true|authorize:pending:true"
payd_faults '{}'
check "... CONFIRMED once the provider answers" wait_for 30 sql_is "SELECT status FROM orders WHERE idempotency_key = 'k95-raw2-$run'" CONFIRMED

# ---- the provider authorized, then its answer timed out: same key, one authorization
wait_for 20 sql_is "SELECT count(*) FROM payment_ops WHERE status = 'pending'" 0
ttok=$(tokenise 4242424242424242)
timeouts=$(grep -c 'payd: /v1/authorize: timed out' "$SOUK_LOG_DIR/api.log")
payd_faults '{"path":"/v1/authorize","delay_after_ms":3000,"count":1}'
cart=$(new_cart)
cart_put "$cart" "$sku" 1 >/dev/null
pm_checkout "$cart" "k95-slow-$run" "$ttok"
check "authorized but the answer timed out -> 202 (got $HTTP_STATUS)" test "$HTTP_STATUS" = 202
check "the checkout's call did time out (api log)" test "$(grep -c 'payd: /v1/authorize: timed out' "$SOUK_LOG_DIR/api.log")" -gt "$timeouts"
tid=$(order_of "k95-slow-$run")
check "the worker confirms it within 30 s" wait_for 30 sql_is "SELECT status FROM orders WHERE id = $tid" CONFIRMED
check "... and it is captured within 20 s" wait_for 20 sql_is "SELECT status FROM payments WHERE order_id = $tid" captured
check "one charge, one authorization, one capture at souk-payd ($(payd_books "$ttok"))" test "$(payd_books "$ttok")" = "1|1|1"
check_sql "Souk's payment is that charge" "SELECT provider_ref = '$(payd_sql "SELECT ref FROM payd_charges WHERE method = '$ttok'")' FROM payments WHERE order_id = $tid" t

# ---- kill -9 of souk-worker while it waits for the provider's answer
wait_for 20 sql_is "SELECT count(*) FROM payment_ops WHERE status = 'pending'" 0
ktok=$(tokenise 4242424242424242)
check "the worker stops" worker_stop
payd_faults '{"path":"/v1/authorize","fail":503}'
cart=$(new_cart)
cart_put "$cart" "$sku" 1 >/dev/null
pm_checkout "$cart" "k95-kill-$run" "$ktok"
check "provider down, worker down -> 202 (got $HTTP_STATUS)" test "$HTTP_STATUS" = 202
kid=$(order_of "k95-kill-$run")
payd_faults '{"path":"/v1/authorize","delay_after_ms":4000,"count":1}'
check "the worker starts" worker_start
check "the provider authorized the worker's retry (its answer held back)" wait_for 15 sh -c \
    "test \"\$(psql -X -q -t -A -d souk_payd -c \"SELECT count(*) FROM payd_ops WHERE key = 'auth:$kid' AND approved\")\" = 1"
wpid=$(worker_pid)
kill -9 -- "-$wpid" 2>/dev/null || kill -9 "$wpid"
sleep 0.5
check_sql "killed before the record: order PENDING, payment authorizing, intent pending" \
    "SELECT o.status || '|' || p.status || '|' || op.status FROM orders o JOIN payments p ON p.order_id = o.id JOIN payment_ops op ON op.payment_id = p.id AND op.op = 'authorize' WHERE o.id = $kid" \
    "PENDING|authorizing|pending"
sleep 4 # the held-back answer goes nowhere
payd_faults '{}'
check "the worker starts again" worker_start
check "after the restart the order is CONFIRMED within 30 s" wait_for 30 sql_is "SELECT status FROM orders WHERE id = $kid" CONFIRMED
check "... and captured within 20 s" wait_for 20 sql_is "SELECT status FROM payments WHERE order_id = $kid" captured
check "exactly one charge, one authorization, one capture at souk-payd ($(payd_books "$ktok"))" test "$(payd_books "$ktok")" = "1|1|1"
check_sql "one CONFIRMED event" "SELECT count(*) FROM order_events WHERE order_id = $kid AND to_status = 'CONFIRMED'" 1

# ---- the storefront: the confirmation and order pages say the payment is being confirmed
use_jar defer
web GET "/products/$pid"
post_form /cart/add - "sku_id=$sku" "qty=1"
to_review 4242424242424242 "defer-$run@example.test"
check_http "review page" 200
payd_faults '{"path":"/v1/authorize","fail":503}'
place_order
check_http "place the order with the provider down" 303
spub=$(header Location | sed -n 's#^/checkout/done/##p')
web GET "/checkout/done/$spub"
check_http "the confirmation page" 200
check_body "... says the payment is waiting to be confirmed" "waiting for your payment to be confirmed"
check "... and does not call the order placed" test "$(grep -c 'your order is placed' "$HTTP_BODY")" = 0
web GET "/orders/$spub"
check_http "the order page" 200
check_body "... says the payment is being confirmed" "We are confirming your payment"
check_body "... in the payment line too" "(being confirmed)"
payd_faults '{}'
check "provider back: the storefront order is CONFIRMED within 30 s" wait_for 30 sql_is "SELECT status FROM orders WHERE public_id = '$spub'" CONFIRMED
web GET "/orders/$spub"
check "the order page no longer says it is being confirmed" test "$(grep -c 'We are confirming your payment' "$HTTP_BODY")" = 0
check_body "... and names the card" "ending in 4242"

# ---- the storefront's payment step with souk-payd down: the card sealed,
# the review page, "Place your order" taken deferred, the worker finishes
wait_for 20 sql_is "SELECT count(*) FROM payment_ops WHERE status = 'pending'" 0
SPAGES=$T_TMP/store-pages
mkdir -p "$SPAGES"
skid=$(sql "SELECT key_id FROM pay_seal_keys WHERE provider = 'payd'")
check "a key of souk-payd is known ($skid)" test -n "$skid"
use_jar sealed
web GET "/products/$pid"
post_form /cart/add - "sku_id=$sku" "qty=2"
before=$(stock_sums "$sku")
payd_faults '{"fail":503}'
semail="sealed-$run@example.test"
to_review 4242424242424242 "$semail"
cp "$HTTP_BODY" "$SPAGES/review"
check_http "provider down at the payment step, key known: the review page all the same" 200
check_body "... naming the card by its last 4 only" '<span class="brand">card</span> ending in 4242'
check_sql "no order yet" "SELECT count(*) FROM orders WHERE email = '$semail'" 0
check_no_card_anywhere "$SPAGES"
check "the session keeps the card sealed with payd's key (Redis)" grep -q "sk1\.$skid\." "$T_TMP/redis.txt"
place_order
cp "$HTTP_BODY" "$SPAGES/place"
check_http "place the order with the provider still down" 303
sealpub=$(header Location | sed -n 's#^/checkout/done/##p')
soid=$(sql "SELECT id FROM orders WHERE public_id = '$sealpub'")
sealed_pending "$soid" "$skid"
check "2 units reserved" test "$(stock_sums "$sku")" = "$(echo "$before" | awk -F'|' '{ print $1 - 2 "|" $2 + 2 "|" $3 }')"
web GET "/checkout/done/$sealpub"
cp "$HTTP_BODY" "$SPAGES/done"
check_http "the confirmation page" 200
check_body "... says the payment is waiting to be confirmed" "waiting for your payment to be confirmed"
web GET "/orders/$sealpub"
cp "$HTTP_BODY" "$SPAGES/order"
check_body "the order page says the payment is being confirmed" "We are confirming your payment"
web GET "/cart"
check_body "the cart is empty: the order is taken" "Your cart is empty"
check "the worker keeps trying while the provider is down" wait_for 10 sql_is \
    "SELECT attempts > 0 AND last_error IS NOT NULL AND sealed_card IS NOT NULL FROM payment_ops WHERE order_id = $soid AND op = 'authorize'" t
# while the sealed card is stored: the number and CVC are still nowhere
check_no_card_anywhere "$SPAGES"
check "the sealed card is in the dump (on its intent)" grep -q "sk1\.$skid\." "$T_TMP/souk.sql"
check "... and no longer in the session: Redis holds no sealed card" bash -c "! grep -q 'sk1\.' '$T_TMP/redis.txt'"
payd_faults '{}'
sealed_done "$soid" "the storefront's sealed-card order"
check "stock sold" test "$(stock_sums "$sku")" = "$(echo "$before" | awk -F'|' '{ print $1 - 2 "|" $2 "|" $3 + 2 }')"
web GET "/orders/$sealpub"
check "the order page no longer says it is being confirmed" test "$(grep -c 'We are confirming your payment' "$HTTP_BODY")" = 0
check_body "... and names the card" "ending in 4242"

done_testing
