#!/usr/bin/env bash
# 61-cart-pages: "Add to cart" on the product page, the cart page (change
# quantity, remove), bad input (400, nothing stored), the header count,
# CSRF, and the guest cart merging into the user's cart at sign-in.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/buy-lib.sh"
. "$(dirname "$0")/web-lib.sh"

run=$(date +%s%N)
sku=$(make_sku cartp "1:5" 1250)
sku2=$(make_sku cartq "2:3" 800)
pid=$(sql "SELECT v.product_id FROM offers o JOIN product_variants v ON v.id = o.variant_id WHERE o.id = $sku")

# ---- the product page sells it; anonymous, it stays cacheable
use_jar g
web GET "/products/$pid"
check_http "product page" 200
check_body "Add to cart form posts to /cart/add" 'action="/cart/add"'
check_body "the form names the Buy Box offer" "name=\"sku_id\" value=\"$sku\""
check_body "quantity choices up to the stock (5)" '<option value="5">5</option>'
check "no session is started by browsing" test -z "$(header Set-Cookie)"
check "an anonymous product page is not private" test "$(header Cache-Control)" != "private, no-store"

# ---- bad input on the first add: 400, no session, nothing stored
for bad in "qty=0" "qty=100" "qty=-1" "qty=2x" "qty="; do
    web POST /cart/add --data "sku_id=$sku&$bad"
    check_http "add with $bad" 400
done
web POST /cart/add --data "sku_id=abc&qty=1"
check_http "add with sku_id=abc" 400
check "bad adds started no session" test -z "$(session_id)"
web POST /cart/add --data "sku_id=999999999&qty=1"
check_http "add an unknown sku" 400
check_body "names the unknown sku" "999999999"

# ---- a cross-site first add is refused
http POST /cart/add --data "sku_id=$sku&qty=1" -H "Origin: http://evil.example"
check_http "first add from another origin" 403
http POST /cart/add --data "sku_id=$sku&qty=1" -H "Sec-Fetch-Site: cross-site"
check_http "first add marked cross-site" 403
check "no session cookie for a refused add" test -z "$(header Set-Cookie)"

# ---- first add: guest session created lazily, line stored
web POST /cart/add --data "sku_id=$sku&qty=2" -H "Origin: $SOUK_URL"
check_http "first add (no session yet)" 303
check "then to the cart page" test "$(header Location)" = "/cart?added=1"
sid=$(session_id)
check "a guest session cookie was set" grep -qE '^[0-9a-f]{64}$' <<<"$sid"
gcart=$(session_cart)
check "the guest cart has its own random id (not the session id)" \
    bash -c "grep -qE '^[0-9a-f]{64}\$' <<<'$gcart' && test '$gcart' != '$sid'"
check "Redis cart line sku -> 2" test "$(redis HGET "cart:$gcart" "$sku")" = 2
ttl=$(redis TTL "cart:$gcart")
check "cart TTL refreshed to 86400 (got $ttl)" test "$ttl" -gt 86000 -a "$ttl" -le 86400
web GET /cart?added=1
check_http "cart page" 200
check_body "confirms the add" "Added to your cart"
check_body "subtotal from the database: 2 x 12.50" 'id="cart-subtotal">$25.00'
check_body "header count 2" 'id="cart-count">2<'
check "the cart page is private, no-store" test "$(header Cache-Control)" = "private, no-store"

# ---- the price comes from PostgreSQL, not Redis
sql "UPDATE offers SET price = 1300 WHERE id = $sku" >/dev/null
web GET /cart
check_body "a price change shows at once: 2 x 13.00" 'id="cart-subtotal">$26.00'

# ---- with a session every change needs the CSRF token
web POST /cart/add --data "sku_id=$sku&qty=1"
check_http "add without csrf (session exists)" 403
check "refused add changed nothing" test "$(redis HGET "cart:$gcart" "$sku")" = 2
post_form /cart/add "/products/$pid" "sku_id=$sku" "qty=1"
check_http "add with csrf from the product page" 303
check "quantities add up: 3" test "$(redis HGET "cart:$gcart" "$sku")" = 3
post_form /cart/add "/products/$pid" "sku_id=$sku2" "qty=1"
check_http "add a second item" 303
web GET /cart
check_body "header count 4" 'id="cart-count">4<'

# ---- change quantity; bad quantities change nothing
post_form /cart/update /cart "sku_id=$sku" "qty=5"
check_http "update qty to 5" 303
check "line now 5" test "$(redis HGET "cart:$gcart" "$sku")" = 5
for bad in 100 -3 x 1.5; do
    post_form /cart/update /cart "sku_id=$sku" "qty=$bad"
    check_http "update qty=$bad" 400
done
check "bad updates changed nothing" test "$(redis HGET "cart:$gcart" "$sku")" = 5
post_form /cart/update /cart "sku_id=999999999" "qty=2"
check_http "update an unknown sku" 400
check "no line appeared for it" test "$(redis HEXISTS "cart:$gcart" 999999999)" = 0
web POST /cart/update --data "sku_id=$sku&qty=1"
check_http "update without csrf" 403
check "still 5" test "$(redis HGET "cart:$gcart" "$sku")" = 5

# ---- remove (and qty 0 removes too)
post_form /cart/remove /cart "sku_id=$sku2"
check_http "remove" 303
check "line removed" test "$(redis HEXISTS "cart:$gcart" "$sku2")" = 0
post_form /cart/update /cart "sku_id=$sku" "qty=0"
check_http "qty 0" 303
web GET /cart
check_body "empty cart" "Your cart is empty"
check_body "header count 0" 'id="cart-count">0<'

# ---- guest -> user merge at sign-in
email="merge-$run@example.test"
use_jar u
post_form /register /register "email=$email" "password=merge-password"
check_http "register the user" 200
login "$email" merge-password
check_http "sign the new user in" 303
uid=$(sql "SELECT id FROM users WHERE email = '$email'")
post_form /cart/add "/products/$pid" "sku_id=$sku" "qty=1"
post_form /cart/add /cart "sku_id=$sku2" "qty=1"
ucart=cart:$(redis GET "user_cart:$uid")
check "the account's cart id is random, not derived from the user id" grep -qE '^cart:[0-9a-f]{64}$' <<<"$ucart"
check "the user's cart lives under the account" test "$(redis HGET "$ucart" "$sku")" = 1
post_form /logout /cart
web GET /cart
check_body "signed out: the account's cart is not shown" "Your cart is empty"
web POST /cart/add --data "sku_id=$sku&qty=2" -H "Origin: $SOUK_URL"
guest=$(session_cart)
check "guest cart has 2" test "$(redis HGET "cart:$guest" "$sku")" = 2
login "$email" merge-password
check_http "sign in" 303
check "merged: 1 + 2 = 3 of the first item" test "$(redis HGET "$ucart" "$sku")" = 3
check "merged: the second item kept" test "$(redis HGET "$ucart" "$sku2")" = 1
check "the guest cart is gone" test "$(redis EXISTS "cart:$guest")" = 0
web GET /cart
check_body "header count after the merge: 4" 'id="cart-count">4<'

done_testing
