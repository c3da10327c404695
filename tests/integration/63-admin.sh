#!/usr/bin/env bash
# 63-admin: the admin order desk — role checks (404 for everyone but an
# admin: the admin area does not exist for them), list filters, moving
# an order through PROCESSING / SHIPPED / DELIVERED (events rows), an
# illegal move (409, nothing changed), and the return desk (approve,
# receive -> RETURNED, stock back).
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/buy-lib.sh"
. "$(dirname "$0")/web-lib.sh"

run=$(date +%s%N)
sku=$(make_sku adm "1:4" 1500)
email="admin-test-$run@example.test"

# an order placed through the API (a guest's)
cart=$(new_cart)
cart_put "$cart" "$sku" 2 >/dev/null
http_json POST /api/v1/checkout "$(checkout_json "$cart" 4242424242424242 "$email")" -H "Idempotency-Key: adm-$run"
check "an order to work on (201, got $HTTP_STATUS)" test "$HTTP_STATUS" = 201
pid=$(json_get "j['order']['public_id']")
tok=$(json_get "j['order']['access_token']")
oid=$(sql "SELECT id FROM orders WHERE public_id = '$pid'")

# ---- who may enter
use_jar anon
web GET /admin/orders
check_http "anonymous admin list" 404
use_jar shopper
login shopper@souk.test shopper-demo-1
web GET /admin/orders
check_http "a shopper on the admin list" 404
web GET "/admin/orders/$pid"
check_http "a shopper on an admin order page" 404
web GET /orders
tok_s=$(page_csrf)
web POST "/admin/orders/$pid/process" --data-urlencode "csrf=$tok_s"
check_http "a shopper posting an admin move (valid csrf)" 404
check_sql "the refused move changed nothing" "SELECT status FROM orders WHERE id = $oid" CONFIRMED
use_jar seller
login seller@souk.test seller-demo-1
web GET /admin/orders
check_http "a seller on the admin list" 404

# ---- the list and its filters
use_jar admin
login admin@souk.test admin-demo-1
web GET /admin/orders
check_http "admin list" 200
check_body "lists the new order" "$pid"
web GET "/admin/orders?status=CONFIRMED&email=admin-test-$run"
check_body "filter status + e-mail finds it" "$pid"
check_body "and counts exactly one" 'id="found">1 order<'
web GET "/admin/orders?status=DELIVERED&email=admin-test-$run"
check_body "another status does not" "No orders match"
web GET "/admin/orders?status=LOST"
check_http "an unknown status filter" 400
n=$(sql "SELECT count(*) FROM orders WHERE status = 'CONFIRMED'")
web GET "/admin/orders?status=CONFIRMED"
check_body "the status filter counts what SQL counts ($n)" "id=\"found\">$(printf "%'d" "$n" 2>/dev/null || echo "$n") order"

# ---- the order page and its moves
web GET "/admin/orders/$pid"
check_http "admin order page" 200
check_body "offers PROCESSING" "Mark PROCESSING"
post_form "/admin/orders/$pid/deliver" "/admin/orders/$pid"
check_http "DELIVERED straight from CONFIRMED (illegal)" 409
check_body "says which move is refused" "CONFIRMED"
check_sql "the illegal move changed nothing" "SELECT status || '|' || (SELECT count(*) FROM order_events WHERE order_id = $oid) FROM orders WHERE id = $oid" "CONFIRMED|2"
web POST "/admin/orders/$pid/process"
check_http "a move without csrf" 403
check_sql "still CONFIRMED" "SELECT status FROM orders WHERE id = $oid" CONFIRMED
post_form "/admin/orders/$pid/process" "/admin/orders/$pid"
check_http "PROCESSING" 303
check "back to the order, saying what was done" test "$(header Location)" = "/admin/orders/$pid?notice=processing"
post_form "/admin/orders/$pid/ship" "/admin/orders/$pid" "carrier=" "tracking=1Z999"
check_http "SHIPPED without a carrier" 400
check_sql "still PROCESSING" "SELECT status FROM orders WHERE id = $oid" PROCESSING
post_form "/admin/orders/$pid/ship" "/admin/orders/$pid" "carrier=UPS" "tracking=1Z999AA10123456784"
check_http "SHIPPED with carrier and tracking" 303
check_sql "shipment recorded" "SELECT carrier || ':' || tracking FROM shipments WHERE order_id = $oid" "UPS:1Z999AA10123456784"
web GET "/orders/$pid?token=$tok" -L # the link sets the order cookie, then 303
check_body "the shopper's page shows the tracking number" "1Z999AA10123456784"
if grep -q 'id="cancel-order"' "$HTTP_BODY"; then not_ok "no cancel button after SHIPPED"; else ok "no cancel button after SHIPPED"; fi
post_form "/admin/orders/$pid/deliver" "/admin/orders/$pid"
check_http "DELIVERED" 303
admin_id=$(sql "SELECT id FROM users WHERE email = 'admin@souk.test'")
check_sql "events: every move, by this admin" \
    "SELECT string_agg(coalesce(from_status, '-') || '>' || to_status || '@' || actor, ',' ORDER BY id) FROM order_events WHERE order_id = $oid" \
    "->PENDING@shopper,PENDING>CONFIRMED@shopper,CONFIRMED>PROCESSING@admin:$admin_id,PROCESSING>SHIPPED@admin:$admin_id,SHIPPED>DELIVERED@admin:$admin_id"
check_sql "an outbox row per move" \
    "SELECT string_agg(payload->>'type', ',' ORDER BY id) FROM outbox WHERE topic = 'orders' AND key = '$pid'" \
    "order.pending,order.confirmed,order.processing,order.shipped,order.delivered"
post_form "/admin/orders/$pid/cancel" "/admin/orders/$pid"
check_http "cancel after DELIVERED" 409

# ---- a return: the shopper asks, the admin approves and receives it
stock0=$(sql "SELECT sum(quantity_available) FROM inventory WHERE sku_id = $sku")
use_jar guest
web GET "/orders/$pid?token=$tok" -L # the link sets the order cookie, then 303
check_body "the shopper may request a return" 'id="request-return"'
post_form "/orders/$pid/return" - "token=$tok" "reason=too small"
check_http "request a return" 303
check_sql "return requested" "SELECT status || ':' || reason FROM returns WHERE order_id = $oid" "requested:too small"
# (the page has no return form now; the session's token is on /login)
post_form "/orders/$pid/return" /login "token=$tok" "reason=again"
check_http "a second return request" 409
rid=$(sql "SELECT id FROM returns WHERE order_id = $oid")
use_jar admin
post_form "/admin/returns/$rid/receive" "/admin/orders/$pid" "order=$pid"
check_http "receive before approval" 409
post_form "/admin/returns/$rid/approve" "/admin/orders/$pid" "order=$pid"
check_http "approve the return" 303
check_sql "return approved" "SELECT status FROM returns WHERE id = $rid" approved
check_sql "order_events name who asked and who approved" \
    "SELECT string_agg(note || '@' || actor, ',' ORDER BY id) FROM order_events WHERE order_id = $oid AND note LIKE 'return %'" \
    "return requested@shopper,return approved@admin:$admin_id"
post_form "/admin/returns/$rid/receive" "/admin/orders/$pid" "order=wrong-order"
check_http "receive naming another order" 404
post_form "/admin/returns/$rid/receive" "/admin/orders/$pid" "order=$pid"
check_http "receive asks first (a confirmation page)" 200
check_body "the question names the return" "Receive return #$rid of order $pid?"
check_sql "asking changed nothing" "SELECT status FROM returns WHERE id = $rid" approved
post_form "/admin/returns/$rid/receive" - "order=$pid" "confirm=yes"
check_http "receive the return" 303
check_sql "order RETURNED, return received" \
    "SELECT o.status || '|' || r.status FROM orders o JOIN returns r ON r.order_id = o.id WHERE o.id = $oid" "RETURNED|received"
check_sql "stock back: +2 available" "SELECT sum(quantity_available) FROM inventory WHERE sku_id = $sku" "$((stock0 + 2))"
check_sql "events end DELIVERED>RETURNED" \
    "SELECT from_status || '>' || to_status FROM order_events WHERE order_id = $oid ORDER BY id DESC LIMIT 1" "DELIVERED>RETURNED"
web GET "/admin/orders/$pid"
check_body "the admin page shows RETURNED" 'id="order-status">RETURNED<'

# ---- Redis down: browsing still works, pages that need the session 503
# (SHUTDOWN SAVE keeps the data: sessions, carts and the worker's streams
# come back with Redis)
use_jar admin
web GET /orders
tok_a=$(page_csrf)
redis SHUTDOWN SAVE >/dev/null 2>&1
for _ in $(seq 1 50); do redis PING >/dev/null 2>&1 || break; sleep 0.1; done
web GET "/products/$(sql "SELECT v.product_id FROM offers o JOIN product_variants v ON v.id = o.variant_id WHERE o.id = $sku")"
check_http "Redis down: a product page is still served" 200
check_body "Redis down: the header falls back to Sign in" 'href="/login"'
web GET /cart
check_http "Redis down: the cart page" 503
web POST /cart/add --data-urlencode "csrf=$tok_a" --data "sku_id=$sku&qty=1"
check_http "Redis down: add to cart" 503
web GET /login
check_http "Redis down: the login form (needs a session)" 503
post_form "/admin/orders/$pid/cancel" - 
check_http "Redis down: an admin move" 503
redis-server "$SOUK_VAR/redis/redis.conf" >/dev/null
for _ in $(seq 1 50); do [ "$(redis PING 2>/dev/null)" = PONG ] && break; sleep 0.1; done
sleep 1.1 # the library retries a lost Redis at most once a second
web GET /cart
check_http "Redis back: the same session works again" 200
check_body "Redis back: still signed in" "Sign out"

done_testing
