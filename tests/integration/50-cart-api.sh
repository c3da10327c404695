#!/usr/bin/env bash
# 50-cart-api: the cart JSON API — server prices, limits, bad input changes nothing.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/buy-lib.sh"

sku=$(make_sku cart "1:20 2:5" 2599)
sku2=$(make_sku cart2 "1:3" 1000)
price=$(sql "SELECT price FROM offers WHERE id = $sku")

check_json /api/v1/carts "len(j['cart_id']) == 64 and j['lines'] == [] and j['count'] == 0 and j['subtotal'] == 0" 201 POST
cart=$(json_get "j['cart_id']")
ttl=$(redis TTL "cart:$cart")
check "new cart expires within a day (TTL $ttl)" test "$ttl" -gt 86000 -a "$ttl" -le 86400
check_json "/api/v1/carts/$cart" "j['cart_id'] == '$cart' and j['count'] == 0"
check_status "/api/v1/carts/0123456789abcdef0123456789abcdef" 404
check_status "/api/v1/carts/not*a*cart" 404
check_status "/api/v1/carts/0123456789abcdef0123456789abcdef/items" 404 POST -H 'Content-Type: application/json' --data-binary "{\"sku_id\": $sku, \"qty\": 1}"

# Add: the price comes from PostgreSQL; a client-sent price is ignored.
redis EXPIRE "cart:$cart" 100 >/dev/null
http_json POST "/api/v1/carts/$cart/items" "{\"sku_id\": $sku, \"qty\": 2, \"price\": 1, \"unit_price\": 1}"
check "add -> 200" test "$HTTP_STATUS" = 200
json_ok "j['lines'][0]['sku_id'] == $sku and j['lines'][0]['unit_price'] == $price and j['lines'][0]['qty'] == 2" "line priced by the server"
json_ok "j['subtotal'] == 2 * $price and j['count'] == 2 and j['lines'][0]['available'] == 25" "subtotal, count and availability"
ttl=$(redis TTL "cart:$cart")
check "a change refreshes the TTL (got $ttl)" test "$ttl" -gt 86000
check "redis hash field is the qty" test "$(redis HGET "cart:$cart" "$sku")" = 2
http_json POST "/api/v1/carts/$cart/items" "{\"sku_id\": $sku, \"qty\": 3}"
json_ok "j['lines'][0]['qty'] == 5 and j['count'] == 5" "adding again sums quantities"
http_json POST "/api/v1/carts/$cart/items" "{\"sku_id\": $sku2, \"qty\": 1}"
json_ok "[l['sku_id'] for l in j['lines']] == sorted([$sku, $sku2]) and j['subtotal'] == 5 * $price + 1000" "two lines, subtotal"

# PATCH / DELETE.
check_json "/api/v1/carts/$cart/items/$sku" "[l['qty'] for l in j['lines'] if l['sku_id'] == $sku] == [7]" 200 PATCH -H 'Content-Type: application/json' --data-binary '{"qty": 7}'

# Bad input: 400 and nothing stored.
before=$(redis HGETALL "cart:$cart" | paste -sd,)
bad() { # DESCRIPTION METHOD PATH BODY [STATUS]
    http_json "$2" "$3" "$4"
    if [ "$HTTP_STATUS" = "${5:-400}" ] && [ "$(redis HGETALL "cart:$cart" | paste -sd,)" = "$before" ]; then
        ok "$1 -> ${5:-400}, cart unchanged"
    else
        not_ok "$1 -> ${5:-400}, cart unchanged (got $HTTP_STATUS)" "$(_http_diag)" "cart: $(redis HGETALL "cart:$cart" | paste -sd,)"
    fi
}
bad "qty 0" POST "/api/v1/carts/$cart/items" "{\"sku_id\": $sku2, \"qty\": 0}"
bad "qty -3" POST "/api/v1/carts/$cart/items" "{\"sku_id\": $sku2, \"qty\": -3}"
bad "qty 100" POST "/api/v1/carts/$cart/items" "{\"sku_id\": $sku2, \"qty\": 100}"
bad "qty 1e30" POST "/api/v1/carts/$cart/items" "{\"sku_id\": $sku2, \"qty\": 1000000000000000000000000000000}"
bad "qty as a string" POST "/api/v1/carts/$cart/items" "{\"sku_id\": $sku2, \"qty\": \"2\"}"
bad "qty as a float" POST "/api/v1/carts/$cart/items" "{\"sku_id\": $sku2, \"qty\": 1.5}"
bad "qty missing" POST "/api/v1/carts/$cart/items" "{\"sku_id\": $sku2}"
bad "sum over 99" POST "/api/v1/carts/$cart/items" "{\"sku_id\": $sku, \"qty\": 93}"
bad "unknown sku" POST "/api/v1/carts/$cart/items" '{"sku_id": 987654321, "qty": 1}'
bad "sku_id negative" POST "/api/v1/carts/$cart/items" '{"sku_id": -5, "qty": 1}'
bad "sku_id missing" POST "/api/v1/carts/$cart/items" '{"qty": 1}'
bad "malformed JSON" POST "/api/v1/carts/$cart/items" '{"sku_id": '
bad "JSON array body" POST "/api/v1/carts/$cart/items" '[1, 2]'
bad "PATCH qty 0" PATCH "/api/v1/carts/$cart/items/$sku" '{"qty": 0}'
bad "PATCH qty 100" PATCH "/api/v1/carts/$cart/items/$sku" '{"qty": 100}'
bad "PATCH a line not in the cart" PATCH "/api/v1/carts/$cart/items/$((sku + 100000))" '{"qty": 1}' 400
json_ok "j['error']['code'] in ('unknown_sku', 'not_found')" "PATCH of an absent line is refused by name"
wsku=$(make_sku withdrawn "1:5")
sql "UPDATE offers SET status = 'withdrawn' WHERE id = $wsku" >/dev/null
bad "withdrawn sku" POST "/api/v1/carts/$cart/items" "{\"sku_id\": $wsku, \"qty\": 1}"
json_ok "'no longer sold' in j['error']['message']" "withdrawn sku named as no longer sold"
check_json "/api/v1/carts/$cart/items/$sku2" "[l['sku_id'] for l in j['lines']] == [$sku]" 200 DELETE
check_json "/api/v1/carts/$cart/items/$sku2" "[l['sku_id'] for l in j['lines']] == [$sku]" 200 DELETE

# A line whose offer is withdrawn later shows as inactive and is not counted.
sql "UPDATE offers SET status = 'active' WHERE id = $wsku" >/dev/null
http_json POST "/api/v1/carts/$cart/items" "{\"sku_id\": $wsku, \"qty\": 2}"
sql "UPDATE offers SET status = 'withdrawn' WHERE id = $wsku" >/dev/null
check_json "/api/v1/carts/$cart" "j['count'] == 7 and any(l['sku_id'] == $wsku and l['active'] is False for l in j['lines'])"

# At most 100 lines.
big=$(new_cart)
skus=$(sql "SELECT o.id FROM offers o JOIN product_variants v ON v.id = o.variant_id JOIN products p ON p.id = v.product_id WHERE o.status = 'active' AND p.status = 'active' ORDER BY o.id LIMIT 101")
n=0
codes=""
for s in $skus; do
    n=$((n + 1))
    [ "$n" -le 100 ] && codes="$codes $(cart_put "$big" "$s" 1)"
    last=$s
done
check "100 distinct lines accepted" test "$(echo "$codes" | tr ' ' '\n' | grep -c '^200$')" = 100
http_json POST "/api/v1/carts/$big/items" "{\"sku_id\": $last, \"qty\": 1}"
check "the 101st line -> 400 (got $HTTP_STATUS)" test "$HTTP_STATUS" = 400
check "the cart still has 100 lines" test "$(redis HLEN "cart:$big")" = 101 # + the marker field
http_json POST "/api/v1/carts/$big/items" "{\"sku_id\": $(echo "$skus" | head -1), \"qty\": 1}"
check "an existing line can still change in a full cart" test "$HTTP_STATUS" = 200

# Redis down -> 503 (and back).
redis SHUTDOWN NOSAVE >/dev/null 2>&1
check_status "/api/v1/carts/$cart" 503
check_status /api/v1/carts 503 POST
redis-server "$SOUK_VAR/redis/redis.conf" >/dev/null
for _ in $(seq 1 50); do [ "$(redis PING 2>/dev/null)" = PONG ] && break; sleep 0.1; done
# the pools wait a moment before reconnecting (back-off): poll
for _ in $(seq 1 50); do http POST /api/v1/carts; [ "$HTTP_STATUS" = 201 ] && break; sleep 0.2; done
check "carts work again once Redis is back (got $HTTP_STATUS)" test "$HTTP_STATUS" = 201

# A Redis restart of half a second: a request made in it waits for Redis
# (lib/store/rds rides out 2 s) and is served, not answered 503. First
# every api worker talks to Redis again: ten 201s in a row.
n=0
for _ in $(seq 1 60); do
    http POST /api/v1/carts
    if [ "$HTTP_STATUS" = 201 ]; then n=$((n + 1)); else n=0; sleep 0.1; fi
    [ "$n" -ge 10 ] && break
done
redis SHUTDOWN NOSAVE >/dev/null 2>&1
(sleep 0.5; redis-server "$SOUK_VAR/redis/redis.conf" >/dev/null) &
t0=$(date +%s%N)
http POST /api/v1/carts
ms=$((($(date +%s%N) - t0) / 1000000))
wait
for _ in $(seq 1 50); do [ "$(redis PING 2>/dev/null)" = PONG ] && break; sleep 0.1; done
check "a cart made during a 0.5 s Redis restart is served (got $HTTP_STATUS after $ms ms)" \
    test "$HTTP_STATUS" = 201 -a "$ms" -ge 400

done_testing
