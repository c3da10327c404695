#!/usr/bin/env bash
# 66-admin-pages: every admin page answers 200 (never cached) for an admin
# and 404 for a shopper, a seller and an anonymous visitor (POSTs too);
# the menu marks the current page; bad filters answer 400 naming what is
# wrong; customers (search, their orders); the returns list and its
# actions with confirmation and a notice.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/buy-lib.sh"
. "$(dirname "$0")/web-lib.sh"

run=$(date +%s%N)
sku=$(make_sku adp "1:6" 1200)
pid=$(sql "SELECT v.product_id FROM offers o JOIN product_variants v ON v.id = o.variant_id WHERE o.id = $sku")
wid=1
shopper_id=$(sql "SELECT id FROM users WHERE email = 'shopper@souk.test'")
# an order of the shopper's, delivered, with a return asked for
email="ret-$run@example.test"
cart=$(new_cart)
cart_put "$cart" "$sku" 1 >/dev/null
http_json POST /api/v1/checkout "$(checkout_json "$cart" 4242424242424242 "$email")" -H "Idempotency-Key: adp-$run"
check "an order to work on (201, got $HTTP_STATUS)" test "$HTTP_STATUS" = 201
opid=$(json_get "j['order']['public_id']")
oid=$(sql "SELECT id FROM orders WHERE public_id = '$opid'")
sql "UPDATE orders SET status = 'DELIVERED', delivered_at = now() WHERE id = $oid;
     INSERT INTO returns (order_id, reason) VALUES ($oid, 'arrived broken <b>')" >/dev/null
rid=$(sql "SELECT id FROM returns WHERE order_id = $oid")

pages=(/admin /admin/orders "/admin/orders/$opid" /admin/returns /admin/products "/admin/products/$pid"
    /admin/customers "/admin/customers/$shopper_id" /admin/warehouses "/admin/warehouses/$wid")

# ---- not for anyone else: 404, as for a page that does not exist
for who in anon shopper seller; do
    use_jar "$who"
    case $who in
    shopper) login shopper@souk.test shopper-demo-1 ;;
    seller) login seller@souk.test seller-demo-1 ;;
    esac
    for p in "${pages[@]}"; do
        web GET "$p"
        check_http "$who: GET $p" 404
    done
    web GET /orders
    tok=$(page_csrf)
    web POST "/admin/products/$pid/withdraw" --data-urlencode "csrf=$tok" --data "confirm=yes"
    check_http "$who: POST withdraw (with the session's csrf)" 404
    web POST /admin/stock --data-urlencode "csrf=$tok" --data "sku_id=$sku&warehouse_id=$wid&received=99"
    check_http "$who: POST stock" 404
done
check_sql "their POSTs changed nothing" \
    "SELECT p.status || '|' || i.quantity_available FROM products p, inventory i WHERE p.id = $pid AND i.sku_id = $sku" "active|5"

# ---- the admin: every page, never cached, the menu marks where we are
use_jar admin
login admin@souk.test admin-demo-1
for p in "${pages[@]}"; do
    web GET "$p"
    check_http "admin: GET $p" 200
    case $(header Cache-Control) in *no-store*) ok "$p: never cached" ;; *) not_ok "$p: never cached ($(header Cache-Control))" ;; esac
    check_body "$p: the admin menu" '<nav class="admin-nav" aria-label="Admin">'
done
web GET /admin/returns
check_body "the menu marks Returns" '<a href="/admin/returns" aria-current="page">Returns</a>'
web GET "/admin?notice=%3Cscript%3E"
check_http "a made-up notice" 200
if grep -q 'class="notice"' "$HTTP_BODY"; then not_ok "a made-up notice is not shown"; else ok "a made-up notice is not shown"; fi

# ---- bad input: 400 naming it
for bad in "orders?status=LOST:status" "orders?from=2026-02-30:from" "orders?to=yesterday:to" \
    "orders?pay=maybe:pay" "orders?from=2026-12-02&to=2026-12-01:ends" "returns?status=lost:status" \
    "products?page=0:page" "customers?page=x:page"; do
    web GET "/admin/${bad%%:*}"
    check_http "GET /admin/${bad%%:*}" 400
    check_body "the message names ${bad##*:}" "${bad##*:}"
done
web GET /admin/products/999999999
check_http "an unknown product" 404
web GET /admin/customers/999999999
check_http "an unknown customer" 404
web GET /admin/warehouses/999999999
check_http "an unknown warehouse" 404
web GET "/admin/orders/no-such-order"
check_http "an unknown order" 404

# ---- customers: search by e-mail, their orders
web GET "/admin/customers?q=SHOPPER@souk"
check_body "search by e-mail (any case) finds the shopper" "href=\"/admin/customers/$shopper_id\">shopper@souk.test</a>"
check_body "and counts one account" 'id="found">1 account<'
n=$(sql "SELECT count(*) FROM orders WHERE user_id = $shopper_id")
web GET "/admin/customers/$shopper_id"
got=$(grep -o 'href="/admin/orders/[^"]*"' "$HTTP_BODY" | wc -l)
check "their orders: $n (or the first page of 50)" test "$got" = "$((n < 50 ? n : 50))"

# ---- the returns list and its actions
web GET "/admin/returns?status=requested"
check_body "the requested return is listed" "id=\"return-$rid\""
check_body "its reason, escaped" "arrived broken &lt;b&gt;"
check_body "reject asks in a dialog (data-confirm)" "data-confirm=\"Reject return #$rid of order $opid?"
post_form "/admin/returns/$rid/reject" - "order=$opid" "from=returns"
check_http "reject without confirm=yes: a confirmation page" 200
check_body "the confirmation page asks" "Reject return #$rid of order $opid?"
check_body "and posts again with confirm=yes" '<input type="hidden" name="confirm" value="yes">'
check_body "or goes back" 'href="/admin/returns">No, go back</a>'
check_sql "asking changed nothing" "SELECT status FROM returns WHERE id = $rid" requested
post_form "/admin/returns/$rid/approve" /admin/returns "order=$opid" "from=returns"
check_http "approve (not destructive: no question)" 303
check "back to the list with a notice" test "$(header Location)" = "/admin/returns?notice=return_approved"
web GET "$(header Location)"
check_body "the notice says what it did" '<p class="notice" id="notice" role="status">Return approved'
check_sql "approved" "SELECT status FROM returns WHERE id = $rid" approved
stock0=$(sql "SELECT quantity_available FROM inventory WHERE sku_id = $sku AND warehouse_id = 1")
post_form "/admin/returns/$rid/receive" /admin/returns "order=$opid" "from=returns" "confirm=yes"
check_http "receive, confirmed" 303
check "notice: received" test "$(header Location)" = "/admin/returns?notice=return_received"
check_sql "return received, order RETURNED, stock back" \
    "SELECT r.status || '|' || o.status || '|' || i.quantity_available FROM returns r JOIN orders o ON o.id = r.order_id, inventory i WHERE r.id = $rid AND i.sku_id = $sku AND i.warehouse_id = 1" \
    "received|RETURNED|$((stock0 + 1))"
post_form "/admin/returns/$rid/receive" /admin/returns "order=$opid" "from=returns" "confirm=yes"
check_http "receive twice" 409
web POST "/admin/returns/$rid/approve" --data "order=$opid"
check_http "an action without csrf" 403

done_testing
