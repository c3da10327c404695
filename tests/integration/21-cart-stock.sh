#!/usr/bin/env bash
# 21-cart-stock: quantities clamped to the stock at add and update ("Only
# 15 left — we changed your quantity to 15"), availability, seller and
# picture per cart line, a hand-edited quantity back on the cart page,
# every checkout step re-checking the stock, and the address form showing
# every field's error at once with postal codes checked per country.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/buy-lib.sh"
. "$(dirname "$0")/web-lib.sh"

sku=$(make_sku stock21 "1:15" 1500)
pid=$(sql "SELECT v.product_id FROM offers o JOIN product_variants v ON v.id = o.variant_id WHERE o.id = $sku")
cart_qty() { redis HGET "cart:$(session_cart)" "$sku"; }

use_jar a
web GET "/products/$pid"
post_form /cart/add - "sku_id=$sku" "qty=40"
check_http "add 40 of 15" 303
check "... goes to the cart" test "$(header Location)" = /cart
check "the line holds 15" test "$(cart_qty)" = 15
web GET /cart
check_body "the cart says what it did" "Only 15 left — we changed your quantity to 15"
check_body "the line shows its availability" '<p class="stock in cl-avail">In stock</p>'
check_body "... who sells it" '<p class="cl-seller small">Sold by '
check_body "... and a thumbnail" '<img class="cl-img" src="'
web GET /cart
check "the message is shown once" bash -c "! grep -qF 'we changed your quantity' '$HTTP_BODY'"

post_form /cart/update /cart "sku_id=$sku" "qty=20"
check_http "update to 20" 303
check "... kept at 15" test "$(cart_qty)" = 15
web GET /cart
check_body "the update says so too" "Only 15 left — we changed your quantity to 15"

# ---- a hand-edited quantity: the cart page with the message, not a dead end
post_form /cart/update /cart "sku_id=$sku" "qty=2x"
check_http "update with qty=2x" 400
check_body "the cart page again" 'action="/cart/update"'
check_body "... saying what is wrong" 'The quantity'
check "nothing changed" test "$(cart_qty)" = 15

# ---- every checkout step checks the stock again
web GET /checkout
check_http "address step with 15 of 15" 200
post_form /checkout/address - "email=s21@example.test" "name=Ada" "line1=1 Main St" "city=Springfield" \
    "postal_code=12345" "country=US"
check_http "address accepted" 303
sql "UPDATE inventory SET quantity_available = 5 WHERE sku_id = $sku" >/dev/null
web GET /checkout/shipping
check_http "stock fell to 5: the shipping step sends back to the cart" 303
check "... to the cart" test "$(header Location)" = /cart
check "the line now holds 5" test "$(cart_qty)" = 5
web GET /cart
check_body "the cart says why" "Only 5 left — we changed your quantity to 5"
sql "UPDATE inventory SET quantity_available = 0 WHERE sku_id = $sku" >/dev/null
web GET /checkout
check_http "sold out: the address step sends back to the cart" 303
check "the line is gone" test -z "$(cart_qty)"
web GET /cart
check_body "the cart says it sold out" "That item just sold out — we removed it from your cart"

# ---- the address form: every error at once, postal codes per country
sql "UPDATE inventory SET quantity_available = 15 WHERE sku_id = $sku" >/dev/null
redis DEL "product:$pid" >/dev/null # stock written behind the catalog's back
post_form /cart/add "/products/$pid" "sku_id=$sku" "qty=1"
check_http "add one again" 303
post_form /checkout/address /checkout "email=s21@example.test" "name=" "line1=1 Main St" "city=" \
    "postal_code=!!!!" "country=US"
check_http "three bad fields" 400
check "three errors shown at once" test "$(grep -o 'class="field-error"' "$HTTP_BODY" | wc -l)" = 3
check_body "name's next to name" '<label for="name">Full name</label><p class="field-error" id="name-error" role="alert">Full name is required</p>'
check_body "city's next to city" 'id="city-error" role="alert">City is required</p>'
check_body "the postal code's names the country's format" 'id="postal_code-error" role="alert">Postal code is not a postal code of United States: use the format 12345 or 12345-6789</p>'
check_body "the field is marked invalid for assistive technology" 'id="postal_code" name="postal_code" aria-invalid="true" aria-describedby="postal_code-error"'
check_body "a summary above the form" "Please correct the 3 fields marked below."
for cc in "CA:12345:A1A 1A1" "GB:12345:SW1A 1AA" "DE:1234:12345" "FR:7500A:75001"; do
    IFS=: read -r c code fmt <<<"$cc"
    post_form /checkout/address /checkout "email=s21@example.test" "name=Ada" "line1=1 Main St" \
        "city=Town" "postal_code=$code" "country=$c"
    check_http "$c $code refused" 400
    check_field_error postal_code "use the format $fmt"
done
for cc in "CA:k1a 0b1" "GB:SW1A 1AA" "DE:10115" "FR:75001" "US:12345-6789"; do
    post_form /checkout/address /checkout "email=s21@example.test" "name=Ada" "line1=1 Main St" \
        "city=Town" "postal_code=${cc#*:}" "country=${cc%%:*}"
    check_http "${cc%%:*} ${cc#*:} accepted" 303
done

# ---- the card form: every error at once too
post_form /checkout/shipping /checkout/shipping "method=standard"
check_http "shipping chosen" 303
post_form /checkout/payment /checkout/payment "card_number=4242 4242 4242 4241" "exp_month=" "exp_year=" "cvc=123"
check_http "a bad number and no expiry" 400
check "three card errors shown at once" test "$(grep -o 'class="field-error"' "$HTTP_BODY" | wc -l)" = 3
check_body "the month's next to the month" 'id="exp_month-error" role="alert">Choose the card&#39;s expiry month</p>'
check_body "the year's next to the year" 'id="exp_year-error" role="alert">Choose the card&#39;s expiry year</p>'
check_body "the number's next to the number" 'id="card_number-error" role="alert">The card number'

done_testing
