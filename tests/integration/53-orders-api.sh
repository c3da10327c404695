#!/usr/bin/env bash
# 53-orders-api: order read and cancel need the order's token; states move
# only along the table; another's order is a 404.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/buy-lib.sh"

sku=$(make_sku ord "1:10" 1500)
run=$(date +%s%N)
place() { # KEY -> prints "public_id token"
    local cart
    cart=$(new_cart)
    cart_put "$cart" "$sku" 1 >/dev/null
    checkout "$cart" "$1"
    json_get "j['order']['public_id'] + ' ' + j['order']['access_token']"
}
read -r a atok < <(place "o-a-$run")
read -r b btok < <(place "o-b-$run")
diag "orders $a and $b"

# Auth: the token by header or query; anything else is a 404 like an unknown id.
check_json "/api/v1/orders/$a" "j['order']['public_id'] == '$a' and j['order']['status'] == 'CONFIRMED' and len(j['order']['items']) == 1 and len(j['order']['events']) == 2" 200 GET -H "Authorization: Bearer $atok"
check_json "/api/v1/orders/$a?token=$atok" "j['order']['public_id'] == '$a'"
json_ok "'access_token' not in j['order']" "the token is not echoed on reads"
check_json "/api/v1/orders/$a" "j['error']['code'] == 'not_found'" 404 GET -H "Authorization: Bearer $btok"
check_status "/api/v1/orders/$a?token=$btok" 404
check_status "/api/v1/orders/$a" 404
check_status "/api/v1/orders/$a" 404 GET -H "Authorization: Bearer "
check_status "/api/v1/orders/$a" 404 GET -H "Authorization: Basic $atok"
check_status "/api/v1/orders/$a?token=${atok%?}x" 404
check_status "/api/v1/orders/nosuchorder?token=$atok" 404
check_status "/api/v1/orders/$a/cancel" 404 POST -H "Authorization: Bearer $btok"
check_sql "a cancel with the wrong token changed nothing" "SELECT status FROM orders WHERE public_id = '$a'" "CONFIRMED"
check_status "/api/v1/orders/$a" 405 DELETE -H "Authorization: Bearer $atok"

# Cancel with a reason; twice -> 409; events and outbox written once.
check_json "/api/v1/orders/$a/cancel" "j['order']['status'] == 'CANCELLED' and j['order']['events'][-1]['note'] == 'changed my mind' and j['order']['events'][-1]['actor'] == 'shopper'" 200 POST \
    -H "Authorization: Bearer $atok" -H 'Content-Type: application/json' --data-binary '{"reason": "changed my mind"}'
check_json "/api/v1/orders/$a/cancel" "j['error']['code'] == 'illegal_transition' and 'CANCELLED' in j['error']['message']" 409 POST -H "Authorization: Bearer $atok"
check_sql "one cancel event and one order.cancelled outbox row" \
    "SELECT (SELECT count(*) FROM order_events e JOIN orders o ON o.id = e.order_id WHERE o.public_id = '$a' AND e.to_status = 'CANCELLED')::text || (SELECT count(*) FROM outbox WHERE key = '$a' AND payload->>'type' = 'order.cancelled')::text" "11"
check_status "/api/v1/orders/$b/cancel" 400 POST -H "Authorization: Bearer $btok" -H 'Content-Type: application/json' --data-binary '{"reason": 5}'
check_sql "a bad reason changed nothing" "SELECT status FROM orders WHERE public_id = '$b'" "CONFIRMED"

# States through the library; the API refuses cancel once shipped.
check "process" "$SOUK_CTL" order process "$b"
check_json "/api/v1/orders/$b" "j['order']['status'] == 'PROCESSING'" 200 GET -H "Authorization: Bearer $btok"
check "ship" "$SOUK_CTL" order ship "$b" DHL JD014600006281
check_json "/api/v1/orders/$b" "j['order']['status'] == 'SHIPPED' and j['order']['shipments'] == [{'carrier': 'DHL', 'tracking': 'JD014600006281', 'status': 'shipped'}]" 200 GET -H "Authorization: Bearer $btok"
check_status "/api/v1/orders/$b/cancel" 409 POST -H "Authorization: Bearer $btok"
check "deliver" "$SOUK_CTL" order deliver "$b"
check "delivering twice is refused" bash -c "! '$SOUK_CTL' order deliver $b 2>/dev/null"
check_json "/api/v1/orders/$b" "[e['to'] for e in j['order']['events']] == ['PENDING', 'CONFIRMED', 'PROCESSING', 'SHIPPED', 'DELIVERED']" 200 GET -H "Authorization: Bearer $btok"
check_sql "delivered_at set, shipment delivered" "SELECT (o.delivered_at IS NOT NULL)::text || ':' || s.status FROM orders o JOIN shipments s ON s.order_id = o.id WHERE o.public_id = '$b'" "true:delivered"
check_sql "outbox types follow the events" "SELECT string_agg(payload->>'type', ',' ORDER BY id) FROM outbox WHERE topic = 'orders' AND key = '$b'" \
    "order.pending,order.confirmed,order.processing,order.shipped,order.delivered"

# The return window: 30 days after delivery.
sql "UPDATE orders SET delivered_at = now() - interval '31 days' WHERE public_id = '$b'" >/dev/null
check "return after 30 days is refused" bash -c "! '$SOUK_CTL' order return-request $b 2>/dev/null"
sql "UPDATE orders SET delivered_at = now() - interval '29 days' WHERE public_id = '$b'" >/dev/null
ret=$("$SOUK_CTL" order return-request "$b" "wrong colour")
check "return within 30 days accepted" test -n "$ret"
check "reject" "$SOUK_CTL" return reject "$ret"
check_json "/api/v1/orders/$b" "j['order']['status'] == 'DELIVERED' and j['order']['returns'][0]['status'] == 'rejected'" 200 GET -H "Authorization: Bearer $btok"
check_sql "the return desk's steps name their actor in order_events" \
    "SELECT string_agg(from_status || '>' || to_status || ':' || note || '@' || actor, ',' ORDER BY e.id) FROM order_events e JOIN orders o ON o.id = e.order_id WHERE o.public_id = '$b' AND note LIKE 'return %'" \
    "DELIVERED>DELIVERED:return requested@shopper,DELIVERED>DELIVERED:return rejected@admin:ctl"
check_sql "and publish no order event" "SELECT count(*) FROM outbox WHERE topic = 'orders' AND key = '$b'" 5

done_testing
