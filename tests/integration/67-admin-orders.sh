#!/usr/bin/env bash
# 67-admin-orders: a declined payment records its reason on the cancelled
# order (column and event); the admin list hides declined checkouts unless
# asked, and filters by state, date range, payment outcome and public id
# or e-mail, showing the payment and the items' sellers; cancelling asks
# first, then says what it did.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/buy-lib.sh"
. "$(dirname "$0")/web-lib.sh"

run=$(date +%s%N)
sku=$(make_sku ado "1:20" 1000)
email="ord-$run@example.test"
place() { # place CARD KEY: a checkout by the API; the public id in PLACED
    local cart
    cart=$(new_cart)
    cart_put "$cart" "$sku" 1 >/dev/null
    http_json POST /api/v1/checkout "$(checkout_json "$cart" "$1" "$email")" -H "Idempotency-Key: $2"
    PLACED=$(json_get "j['order']['public_id']")
}
place 4242424242424242 "ado-ok-$run"
check "a paid order (201, got $HTTP_STATUS)" test "$HTTP_STATUS" = 201
ok_pid=$PLACED
place 4000000000000002 "ado-dec-$run"
check "a declined one (402, got $HTTP_STATUS)" test "$HTTP_STATUS" = 402
dec_pid=$PLACED
dec_id=$(sql "SELECT id FROM orders WHERE public_id = '$dec_pid'")
check_sql "the declined order records why" "SELECT status || '|' || cancel_reason FROM orders WHERE id = $dec_id" "CANCELLED|payment declined"
check_sql "and its cancel event says so" \
    "SELECT note FROM order_events WHERE order_id = $dec_id AND to_status = 'CANCELLED'" "payment declined (card_declined)"

use_jar admin
login admin@souk.test admin-demo-1
web GET "/admin/orders?q=$email"
check_http "the list by e-mail" 200
check_body "shows the paid order" ">$ok_pid</a>"
if grep -q -F ">$dec_pid</a>" "$HTTP_BODY"; then not_ok "hides the declined checkout by default"; else ok "hides the declined checkout by default"; fi
check_body "counts one" 'id="found">1 order<'
check_body "the toggle is off" 'name="declined" value="1" id="declined">'
web GET "/admin/orders?q=$email&declined=1"
check_body "Show declined checkouts: it is there" ">$dec_pid</a>"
check_body "with its reason" '(payment declined)'
check_body "and its payment outcome" 'class="pay pay-failed">failed<'
check_body "the toggle is on" 'id="declined" checked>'
check_body "two orders" 'id="found">2 orders<'
web GET "/admin/orders?status=CANCELLED&q=$email"
check_body "the CANCELLED filter alone still hides it" "No orders match."
web GET "/admin/orders?pay=failed&declined=1&q=$email"
check_body "payment outcome failed: the declined one only" 'id="found">1 order<'
check_body "it is the declined one" ">$dec_pid</a>"
web GET "/admin/orders?pay=captured&q=$email"
pay_ok=$(sql "SELECT status FROM payments WHERE order_id = (SELECT id FROM orders WHERE public_id = '$ok_pid') ORDER BY id DESC LIMIT 1")
web GET "/admin/orders?pay=$pay_ok&q=$email"
check_body "payment outcome $pay_ok: the paid one" ">$ok_pid</a>"
check_body "the sellers of its items" "$(sql "SELECT name FROM sellers WHERE id = 1")"
web GET "/admin/orders?q=$ok_pid"
check_body "search by public id" 'id="found">1 order<'

# ---- date range: both days included, in the database's calendar
today=$(sql "SELECT to_char(now(), 'YYYY-MM-DD')")
yesterday=$(sql "SELECT to_char(now() - interval '1 day', 'YYYY-MM-DD')")
web GET "/admin/orders?q=$email&from=$today&to=$today"
check_body "from today to today: found" ">$ok_pid</a>"
web GET "/admin/orders?q=$email&to=$yesterday"
check_body "up to yesterday: not found" "No orders match."
n=$(sql "SELECT count(*) FROM orders WHERE created_at >= '$today'::date AND created_at < '$today'::date + 1 AND cancel_reason IS DISTINCT FROM 'payment declined'")
web GET "/admin/orders?from=$today"
check_body "today's count equals SQL's ($n)" "id=\"found\">$(printf "%'d" "$n" 2>/dev/null || echo "$n") order"

# ---- the order page: payment, sellers, cancel asks first
web GET "/admin/orders/$ok_pid"
check_body "the order's sellers" 'id="order-sellers"'
check_body "cancel asks in a dialog" "data-confirm=\"Cancel order $ok_pid?"
post_form "/admin/orders/$ok_pid/cancel" "/admin/orders/$ok_pid"
check_http "cancel without confirm=yes: the confirmation page" 200
check_body "it asks" "Cancel order $ok_pid? Its stock is released"
check_sql "nothing changed yet" "SELECT status FROM orders WHERE public_id = '$ok_pid'" CONFIRMED
post_form "/admin/orders/$ok_pid/cancel" - "confirm=yes"
check_http "the confirmation page's form (its csrf, confirm=yes) cancels" 303
check "with a notice" test "$(header Location)" = "/admin/orders/$ok_pid?notice=cancelled"
web GET "$(header Location)"
check_body "the notice" 'role="status">Order cancelled'
check_sql "cancelled by this admin" \
    "SELECT o.status || '|' || e.actor FROM orders o JOIN order_events e ON e.order_id = o.id AND e.to_status = 'CANCELLED' WHERE o.public_id = '$ok_pid'" \
    "CANCELLED|admin:$(sql "SELECT id FROM users WHERE email = 'admin@souk.test'")"
post_form "/admin/orders/$ok_pid/cancel" "/admin/orders/$ok_pid" "confirm=yes"
check_http "cancel again: 409, not a question" 409

done_testing
