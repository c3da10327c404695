#!/usr/bin/env bash
# 56-cart-ownership: a cart is its owner's (issue "Trust", part 1). Cart ids
# are random and never derived from a user id; another session's cart, or
# a session's cart from a client without that session, is 404 on every
# cart route and on checkout, and stays as it was; an API cart is a bearer
# capability; the guest cart still merges into the account's at sign-in.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/buy-lib.sh"
. "$(dirname "$0")/web-lib.sh"

run=$(date +%s%N)
sku=$(make_sku own "1:20" 1500)
sku2=$(make_sku own2 "1:20" 700)
pid=$(sql "SELECT v.product_id FROM offers o JOIN product_variants v ON v.id = o.variant_id WHERE o.id = $sku")
orders() { sql "SELECT count(*) FROM orders"; }

# ---- the victim: a signed-in shopper with 2 in the cart
email="victim-$run@example.test"
use_jar victim
post_form /register /register "email=$email" "password=victim-password"
check_http "register the victim" 200
login "$email" victim-password
check_http "the victim signs in" 303
uid=$(sql "SELECT id FROM users WHERE email = '$email'")
post_form /cart/add "/products/$pid" "sku_id=$sku" "qty=2"
check_http "the victim adds 2" 303
vcart=$(session_cart)
derived=$(printf 'user_%016d' "$uid")
check "the signed-in shopper's cart id is 64 hex chars (got '$vcart')" grep -qE '^[0-9a-f]{64}$' <<<"$vcart"
check "... not derived from the user id" test "$vcart" != "$derived"
check "... and the derived name is not a cart" test "$(redis EXISTS "cart:$derived")" = 0
check "the cart records its owner, the account" test "$(redis HGET "cart:$vcart" owner)" = "u:$uid"
lines() { redis HGETALL "cart:$vcart" | paste -sd,; }
before=$(lines)
check "the victim's cart holds the line" test "$(redis HGET "cart:$vcart" "$sku")" = 2

# ---- the owner reaches it through the API with the session
web GET "/api/v1/carts/$vcart"
check_http "the owner's session reads its cart on the API" 200
json_ok "j['cart_id'] == '$vcart' and [(l['sku_id'], l['qty']) for l in j['lines']] == [($sku, 2)]" "with its line"

# ---- the probe's attack: the id guessed from the user id
check_status "/api/v1/carts/$derived" 404
check_status "/api/v1/carts/$derived/items" 404 POST -H 'Content-Type: application/json' --data-binary "{\"sku_id\": $sku, \"qty\": 1}"
n=$(orders)
http_json POST /api/v1/checkout "$(checkout_json "$derived" 4242424242424242 "mallory-$run@example.test")" -H "Idempotency-Key: atk-derived-$run"
check "checkout of the derived id is refused (got $HTTP_STATUS)" test "${HTTP_STATUS:0:1}" = 4
check "... with no order" test "$(orders)" = "$n"
check "the victim's cart is unchanged" test "$(lines)" = "$before"

# ---- an old user_... cart still in Redis (before this change) is nobody's
redis HSET "cart:$derived" "$sku2" 3 >/dev/null
check_status "/api/v1/carts/$derived" 404
check_status "/api/v1/carts/$derived/items" 404 POST -H 'Content-Type: application/json' --data-binary "{\"sku_id\": $sku, \"qty\": 1}"
http_json POST /api/v1/checkout "$(checkout_json "$derived" 4242424242424242 "mallory-$run@example.test")" -H "Idempotency-Key: atk-old-$run"
check "checkout of an old user_ cart -> 404 (got $HTTP_STATUS)" test "$HTTP_STATUS" = 404
json_ok "j['error']['code'] == 'not_found'" "named not_found"
check "the old cart is untouched and bought nothing" test "$(redis HGETALL "cart:$derived" | paste -sd,)|$(orders)" = "$sku2,3|$n"
redis DEL "cart:$derived" >/dev/null

# ---- the real id from another session, and from no session: 404, nothing changes
# refused ATTACKER-DESCRIPTION [curl args for the attacker]: every cart route
# and checkout on the victim's cart id -> 404, the cart and orders unchanged.
refused() {
    local who=$1 n
    shift
    n=$(orders)
    http GET "/api/v1/carts/$vcart" "$@"
    check "$who: GET the cart -> 404 (got $HTTP_STATUS)" test "$HTTP_STATUS" = 404
    json_ok "j['error']['code'] == 'not_found' and 'lines' not in j" "$who: GET says not_found, shows no lines"
    http_json POST "/api/v1/carts/$vcart/items" "{\"sku_id\": $sku2, \"qty\": 5}" "$@"
    check "$who: POST items -> 404 (got $HTTP_STATUS)" test "$HTTP_STATUS" = 404
    http_json PATCH "/api/v1/carts/$vcart/items/$sku" '{"qty": 9}' "$@"
    check "$who: PATCH a line -> 404 (got $HTTP_STATUS)" test "$HTTP_STATUS" = 404
    http DELETE "/api/v1/carts/$vcart/items/$sku" "$@"
    check "$who: DELETE a line -> 404 (got $HTTP_STATUS)" test "$HTTP_STATUS" = 404
    http_json POST /api/v1/checkout "$(checkout_json "$vcart" 4242424242424242 "mallory-$run@example.test")" \
        -H "Idempotency-Key: atk-$RANDOM$RANDOM" "$@"
    check "$who: checkout -> 404 (got $HTTP_STATUS)" test "$HTTP_STATUS" = 404
    json_ok "j['error']['code'] == 'not_found' and 'order' not in j" "$who: checkout says not_found, no order"
    check "$who: the victim's cart is unchanged ($(lines))" test "$(lines)" = "$before"
    check "$who: no order was placed" test "$(orders)" = "$n"
}
refused "no session (plain API client)"
use_jar mallory
web GET /login
refused "another guest session" -b "$JAR"
use_jar mallory2
login shopper@souk.test shopper-demo-1
refused "another account's session" -b "$JAR"
use_jar victim
web GET "/api/v1/carts/$vcart"
json_ok "[(l['sku_id'], l['qty']) for l in j['lines']] == [($sku, 2)]" "the owner still sees exactly its line"

# ---- a guest's cart: the same, and its id is not the session id
use_jar guest
web GET "/products/$pid"
post_form /cart/add - "sku_id=$sku2" "qty=1"
check_http "a guest adds 1" 303
gcart=$(session_cart)
check "the guest cart id is 64 hex chars, not the session id" \
    bash -c "grep -qE '^[0-9a-f]{64}\$' <<<'$gcart' && test '$gcart' != '$(session_id)'"
gbefore=$(redis HGETALL "cart:$gcart" | paste -sd,)
check_status "/api/v1/carts/$gcart" 404
check_status "/api/v1/carts/$gcart/items/$sku2" 404 DELETE
use_jar mallory
check_status "/api/v1/carts/$gcart" 404 GET -b "$JAR"
check "the guest cart is unchanged" test "$(redis HGETALL "cart:$gcart" | paste -sd,)" = "$gbefore"
use_jar guest
web GET "/api/v1/carts/$gcart"
check_http "the guest's own session reads it" 200

# ---- an API cart is a bearer capability: whoever holds the id may use it
acart=$(new_cart)
check "an API cart id is 64 hex chars" grep -qE '^[0-9a-f]{64}$' <<<"$acart"
use_jar other
check_json "/api/v1/carts/$acart/items" "j['lines'][0]['qty'] == 1" 200 POST -b "$JAR" -H 'Content-Type: application/json' --data-binary "{\"sku_id\": $sku, \"qty\": 1}"
check_json "/api/v1/carts/$acart" "j['count'] == 1"

# ---- the account's cart follows it to another session; the merge still works
use_jar victim2
login "$email" victim-password
check_http "the victim signs in elsewhere" 303
check "the same cart there" test "$(session_cart)" = "$vcart"
use_jar guest
login "$email" victim-password
check_http "the guest signs in as the victim" 303
check "after sign-in the session uses the account's cart" test "$(session_cart)" = "$vcart"
check "the guest's line merged into it" test "$(redis HGET "cart:$vcart" "$sku2")" = 1
check "the victim's line kept" test "$(redis HGET "cart:$vcart" "$sku")" = 2
check "the guest cart is gone" test "$(redis EXISTS "cart:$gcart")" = 0
web GET /cart
check_body "the cart page shows both: count 3" 'id="cart-count">3<'

done_testing
