#!/usr/bin/env bash
# 62-checkout-pages: the checkout forms with a cookie jar — address,
# shipping, payment, review, confirmation; approve (order CONFIRMED, stock
# moved), decline (reason shown, retry), double submit (one order), out of
# stock (which item, how many left), order page access and cancel.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/buy-lib.sh"
. "$(dirname "$0")/web-lib.sh"

run=$(date +%s%N)
sku=$(make_sku chk "1:3 2:2" 2000)
pid=$(sql "SELECT v.product_id FROM offers o JOIN product_variants v ON v.id = o.variant_id WHERE o.id = $sku")
email="guest-$run@example.test"

# ---- an empty cart cannot check out
use_jar empty
web GET /checkout
check_http "checkout with an empty cart goes back to the cart" 303

# ---- guest: add 2, address step
use_jar a
web GET "/products/$pid"
post_form /cart/add - "sku_id=$sku" "qty=2"
web GET /checkout
check_http "address step" 200
check_body "step 1 is current" 'aria-current="step"><span class="step-n">1</span> Address'
check_body "summary shows the items: 2 x 20.00" 'id="sum-subtotal">$40.00'
post_form /checkout/address - "email=$email" "name=" "line1=1 Main St" "city=Springfield" "postal_code=12345" "country=US"
check_http "address without a name" 400
check_body "names the missing field" "Full name is required"
check_body "keeps what was typed" 'value="1 Main St"'
check_field_error name "Full name is required"
post_form /checkout/address /checkout "email=$email" "name=Ada" "line1=1 Main St" "city=Springfield" "postal_code=" "country=US"
check_http "address without a postal code" 400
check_field_error postal_code "Postal code is required"
post_form /checkout/address /checkout "email=$email" "name=Ada" "line1=1 Main St" "city=$(printf 'c%.0s' $(seq 101))" "postal_code=12345" "country=US"
check_field_error city "City is too long (at most 100 characters)"
post_form /checkout/address /checkout "email=not-an-email" "name=Ada" "line1=1 Main St" "city=Springfield" "postal_code=12345" "country=US"
check_http "address with a bad e-mail" 400
check_field_error email "E-mail address is not a valid address"
post_form /checkout/address /checkout "email=$email" "name=Ada" "line1=1 Main St" "city=Springfield" "postal_code=12345" "country=ZZ"
check_http "address with an unknown country" 400
check_field_error country "Country must be one we ship to"
web POST /checkout/address --data-urlencode "email=$email"
check_http "address without csrf" 403
check "nothing stored in the session by refused steps" test -z "$(redis HGET "session:$(session_id)" co_name)"

# ---- shipping and payment steps; totals from the server
post_form /checkout/address /checkout "email=$email" "name=Ada Shopper" "line1=1 Main St" "city=Springfield" "postal_code=12345" "country=US"
check_http "address" 303
check "to shipping" test "$(header Location)" = /checkout/shipping
web GET /checkout/shipping
check_body "standard costs 5.99 under 50.00" '$5.99'
check_body "express costs 14.99" '$14.99'
post_form /checkout/shipping - "method=overnight-by-drone"
check_http "unknown shipping method" 400
post_form /checkout/shipping /checkout/shipping "method=express"
check_http "shipping" 303
web GET /checkout/payment
tax=$(( (4000 * 800 + 5000) / 10000 ))
check_body "payment page total: 40.00 + 14.99 + tax" "id=\"sum-total\">\$$(printf '%d.%02d' $(( (4000 + 1499 + tax) / 100 )) $(( (4000 + 1499 + tax) % 100 )))"
post_form /checkout/shipping /checkout/shipping "method=standard"
total=$((4000 + 599 + tax))
money=$(printf '%d.%02d' $((total / 100)) $((total % 100)))
post_form /checkout/payment /checkout/payment "card_number=4242 4242 4242 4241" "exp_month=12" "exp_year=2030" "cvc=123"
check_http "a card that fails Luhn" 400
check_body "says the card number is wrong" "The card number is not a valid card number"
check_field_error card_number "The card number is not a valid card number"
post_form /checkout/payment /checkout/payment "card_number=4242424242424242" "exp_month=12" "exp_year=2030" "cvc=12x"
check_http "a malformed security code" 400
check_field_error cvc "The security code must be 3 or 4 digits"
post_form /checkout/payment /checkout/payment "card_number=4242424242424242" "exp_month=" "exp_year=2030" "cvc=123"
check_field_error exp_month "s expiry month"
post_form /checkout/payment /checkout/payment "card_number=4242424242424242" "exp_month=12" "exp_year=" "cvc=123"
check_field_error exp_year "s expiry year"
post_form /checkout/payment /checkout/payment "card_number=4242424242424242" "exp_month=01" "exp_year=$(date +%Y)" "cvc=1"
check_http "a bad security code" 400

# ---- review: same key in two tabs; the client cannot set prices
to_review 4242424242424242 "$email"
check_http "review page" 200
check_body "review shows the card's last 4" "ending in 4242"
check_body "review shows the server's total" "id=\"sum-total\">\$$money"
key1=$(form_value key)
cp "$HTTP_BODY" "$T_TMP/review1"
post_form /checkout/payment /checkout/payment "card_number=4242424242424242" "exp_month=12" "exp_year=2030" "cvc=123"
key2=$(form_value key)
cp "$HTTP_BODY" "$T_TMP/review2"
check "a second tab gets the same order key" test -n "$key1" -a "$key1" = "$key2"

# ---- place without csrf: 403, no order
web POST /checkout/place --data-urlencode "key=$key1" --data-urlencode "card_number=4242424242424242" \
    --data "exp_month=12&exp_year=2030&cvc=123"
check_http "place without csrf" 403
check_sql "no order for the key yet" "SELECT count(*) FROM orders WHERE idempotency_key = '$key1'" 0

# ---- place (with a forged total field that must be ignored)
cp "$T_TMP/review2" "$HTTP_BODY"
place_order --data "total=1&subtotal=1"
check_http "place the order" 303
opid=$(header Location | sed -n 's#^/checkout/done/##p')
check "to the confirmation page" test -n "$opid"
check_sql "order CONFIRMED with the server's total" \
    "SELECT status || '|' || subtotal || '|' || shipping || '|' || tax || '|' || total || '|' || email || '|' || (user_id IS NULL) FROM orders WHERE public_id = '$opid'" \
    "CONFIRMED|4000|599|$tax|$total|$email|true"
oid=$(sql "SELECT id FROM orders WHERE public_id = '$opid'")
check_sql "stock moved: 3 available, 0 reserved, 2 sold" \
    "SELECT sum(quantity_available) || '|' || sum(quantity_reserved) || '|' || sum(quantity_sold) FROM inventory WHERE sku_id = $sku" "3|0|2"
check_sql "reservations committed" "SELECT string_agg(DISTINCT status, ',') FROM reservations WHERE order_id = $oid" committed
# (the worker's billing consumer may have captured it already)
check_sql "payment authorized (or captured), visa 4242, no card number stored" \
    "SELECT (status IN ('authorized', 'captured')) || '|' || brand || '|' || last4 || '|' || (SELECT count(*) FROM payments p WHERE p::text LIKE '%4242424242424242%') FROM payments WHERE order_id = $oid" "true|visa|4242|0"
web GET "/checkout/done/$opid"
check_http "confirmation page" 200
check_body "confirmation names the order" "id=\"order-id\">$opid<"
check_body "confirmation shows Confirmed (a word, not the code)" '<span class="status">Confirmed</span>'
check_body "the header's cart count is 0 (cart cleared)" 'id="cart-count">0<'
tok=$(sql "SELECT access_token FROM orders WHERE id = $oid")
check_body "a guest gets the token link" "/orders/$opid?token=$tok"

# ---- the same form again (double click, back + resubmit): the same order
cp "$T_TMP/review1" "$HTTP_BODY"
place_order
check_http "double submit" 303
check "double submit answers with the first order" test "$(header Location)" = "/checkout/done/$opid"
check "one order, one payment, one authorization" \
    test "$(sql "SELECT (SELECT count(*) FROM orders WHERE idempotency_key = '$key1') || '|' || (SELECT count(*) FROM payments WHERE order_id = $oid)")|$(payd_sql "SELECT count(*) FROM payd_ops WHERE key LIKE 'auth:$oid%'")" = "1|1|1"
check_sql "stock unchanged by the double submit" \
    "SELECT sum(quantity_available) || '|' || sum(quantity_sold) FROM inventory WHERE sku_id = $sku" "3|2"

# ---- order page: token, placing session, strangers
web GET "/orders/$opid"
check_http "the session that placed it sees the order" 200
check_body "timeline: created Pending" '<span class="tl-status">Pending</span>'
check_body "timeline: Confirmed" '<span class="tl-status">Confirmed</span>'
web GET "/api/v1/orders/$opid"
check_http "the API answers the placing session (cookie, no token)" 200
check_body "with that order" "\"public_id\":\"$opid\""
web POST "/api/v1/orders/$opid/cancel"
check_http "but an API cancel needs the token, not just the cookie" 404
check_sql "so the order is still CONFIRMED" "SELECT status FROM orders WHERE public_id = '$opid'" CONFIRMED
use_jar stranger
web GET "/orders/$opid"
check_http "another visitor without the token" 404
web GET "/api/v1/orders/$opid"
check_http "another visitor's session on the API" 404
web GET "/orders/$opid?token=${tok%?}x"
check_http "a wrong token" 404
web GET /checkout/done/$opid
check_http "another visitor's confirmation page" 404
use_jar token-only # no session cookie at all: the page must not assume one
web GET "/checkout/done/$opid?token=$tok"
check_http "the confirmation page by its token link, without a session" 200
check_body "it names the order and keeps the token link" "/orders/$opid?token=$tok"
use_jar stranger
login shopper@souk.test shopper-demo-1
web GET "/orders/$opid"
check_http "another user's order (signed in)" 404
web GET "/orders/$opid?token=$tok"
check_http "the token link works anywhere: exchanged for a cookie" 303
check "... and redirects to the token-free page" test "$(header Location)" = "/orders/$opid"
check "the order cookie: the token, this order's path only, 30 days, HttpOnly, Lax" \
    grep -qx "set-cookie: souk_order=$tok; Path=/orders/$opid; Max-Age=2592000; HttpOnly; SameSite=Lax" "$HTTP_HEADERS"
web GET "/orders/$opid"
check_http "the page then opens with the cookie" 200
check_body "and shows the order" "$opid"
if grep -q -F "$tok" "$HTTP_BODY"; then not_ok "the page does not carry the token"; else ok "the page does not carry the token"; fi
web GET "/orders/nope'--"
check_http "a malformed order id" 404

# ---- cancel from the order page (token link): released stock, voided payment
post_form "/orders/$opid/cancel" "/orders/$opid"
check_http "cancel (the token in the cookie)" 303
check "back to the token-free page" test "$(header Location)" = "/orders/$opid"
check_sql "order CANCELLED by the shopper" "SELECT status FROM orders WHERE id = $oid" CANCELLED
check_sql "payment voided (or refunded when already captured)" \
    "SELECT status IN ('voided', 'refunded') FROM payments WHERE order_id = $oid" t
check_sql "stock back: 5 available, 0 sold" \
    "SELECT sum(quantity_available) || '|' || sum(quantity_sold) FROM inventory WHERE sku_id = $sku" "5|0"
post_form "/orders/$opid/cancel" "/orders/$opid"
check_http "cancel twice" 409

# ---- decline: the reason is shown, the cart kept, a retry works
use_jar d
web GET "/products/$pid"
post_form /cart/add - "sku_id=$sku" "qty=1"
to_review 4000000000000002 "decline-$run@example.test"
dkey=$(form_value key)
place_order
check_http "declined card" 402
check_body "the shopper sees why" "Your card was declined."
check_body "and may try another card" "Please try another card"
check_sql "the declined order is CANCELLED with the reason" \
    "SELECT o.status || '|' || p.decline_code FROM orders o JOIN payments p ON p.order_id = o.id WHERE o.idempotency_key = '$dkey'" "CANCELLED|card_declined"
check_sql "decline released the stock" "SELECT sum(quantity_available) || '|' || sum(quantity_reserved) FROM inventory WHERE sku_id = $sku" "5|0"
check "the cart is kept" test "$(redis HGET "cart:$(session_cart)" "$sku")" = 1
post_form /checkout/payment /checkout/payment "card_number=4000 0000 0000 9995" "exp_month=12" "exp_year=2030" "cvc=123"
rkey=$(form_value key)
check "a retry gets a new order key" test -n "$rkey" -a "$rkey" != "$dkey"
place_order
check_http "insufficient funds" 402
check_body "insufficient funds is explained" "insufficient"
to_review 4242424242424242 "decline-$run@example.test"
place_order
check_http "retry with a good card" 303
check_sql "retry confirmed" "SELECT count(*) FROM orders WHERE email = 'decline-$run@example.test' AND status = 'CONFIRMED'" 1

# ---- out of stock at checkout: which item, how many left
few=$(make_sku few "1:1" 999)
fpid=$(sql "SELECT v.product_id FROM offers o JOIN product_variants v ON v.id = o.variant_id WHERE o.id = $few")
# (x reaches the review page first: every step before it re-checks the
# stock and would send x back to the cart, 21-cart-stock.sh)
use_jar x
web GET "/products/$fpid"
post_form /cart/add - "sku_id=$few" "qty=1"
to_review 4242424242424242 "x-$run@example.test"
cp "$HTTP_BODY" "$T_TMP/review-few-x"
use_jar y
web GET "/products/$fpid"
post_form /cart/add - "sku_id=$few" "qty=1"
to_review 4242424242424242 "y-$run@example.test"
place_order
check_http "y buys the last one" 303
use_jar x
cp "$T_TMP/review-few-x" "$HTTP_BODY"
place_order
check_http "x is too late" 409
check_body "names the item and what is left" "Test item few: you asked for 1, only 0 left"
check_sql "nothing sold twice" "SELECT sum(quantity_available) || '|' || sum(quantity_sold) FROM inventory WHERE sku_id = $few" "0|1"

# ---- a signed-in shopper's order is in the history
use_jar s
login shopper@souk.test shopper-demo-1
web GET "/products/$pid"
post_form /cart/add - "sku_id=$sku" "qty=1"
web GET /checkout
check_body "the account's address is prefilled" 'value="shopper@souk.test"'
to_review 4242424242424242 shopper@souk.test
place_order
check_http "signed-in checkout" 303
spid=$(header Location | sed -n 's#^/checkout/done/##p')
check_sql "the order belongs to the account" \
    "SELECT u.email FROM orders o JOIN users u ON u.id = o.user_id WHERE o.public_id = '$spid'" shopper@souk.test
web GET /orders
check_body "order history lists it" "$spid"
web GET "/api/v1/orders/$spid"
check_http "the API answers the account's session" 200
use_jar s2
login shopper@souk.test shopper-demo-1
web GET "/api/v1/orders/$spid"
check_http "and the same account signed in elsewhere" 200
use_jar stranger2
login admin@souk.test admin-demo-1
web GET "/api/v1/orders/$spid"
check_http "an admin's session" 200
use_jar stranger3
login seller@souk.test seller-demo-1
web GET "/api/v1/orders/$spid"
check_http "another account's session" 404

done_testing
