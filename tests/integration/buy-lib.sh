# tests/integration/buy-lib.sh: helpers shared by the buying scripts (5x).
# shellcheck shell=bash
# Source after lib.sh. Test skus are made here so a script never depends
# on (or disturbs) the demo catalog's stock.

# make_sku TAG "WH:QTY WH:QTY..." [PRICE_CENTS]: a fresh FBA offer (product,
# variant, offer of seller 1) with stock in the given warehouses; prints
# the offer (sku) id.
make_sku() {
    local tag=$1 stock=$2 price=${3:-1999} sku vals="" pair
    sku=$(sql "WITH p AS (INSERT INTO products (ref, title, brand, category_id, seller_id, sales_rank)
                  VALUES ('T-$tag-' || md5(random()::text), 'Test item $tag', 'Testbrand',
                          (SELECT min(id) FROM categories), 1, 999999) RETURNING id),
               v AS (INSERT INTO product_variants (product_id, sku, price)
                  SELECT id, 'TV-$tag-' || md5(random()::text), $price FROM p RETURNING id)
               INSERT INTO offers (variant_id, seller_id, sku, price, fulfillment)
               SELECT id, 1, 'TO-$tag-' || md5(random()::text), $price, 'FBA' FROM v RETURNING id")
    for pair in $stock; do
        vals="$vals${vals:+,}($sku, ${pair%%:*}, ${pair##*:})"
    done
    [ -n "$vals" ] && sql "INSERT INTO inventory (sku_id, warehouse_id, quantity_available) VALUES $vals" >/dev/null
    printf '%s\n' "$sku"
}

# new_cart: creates an API cart, prints its id.
new_cart() {
    curl -s -X POST "$SOUK_URL/api/v1/carts" | json_str cart_id
}

# cart_put CART SKU QTY: adds a line (quietly); prints the status.
cart_put() {
    curl -s -o /dev/null -w '%{http_code}' -X POST -H 'Content-Type: application/json' \
        --data-binary "{\"sku_id\": $2, \"qty\": $3}" "$SOUK_URL/api/v1/carts/$1/items"
}

# checkout_json CART [CARD] [EMAIL] [METHOD]: a checkout body.
checkout_json() {
    local cart=$1 card=${2:-4242424242424242} email=${3:-shopper@example.com} method=${4:-standard}
    printf '{"cart_id":"%s","email":"%s","shipping_method":"%s","shipping_address":{"name":"Ada Shopper","line1":"1 Main St","city":"Springfield","postal_code":"12345","country":"US"},"payment":{"card_number":"%s","exp_month":12,"exp_year":2099,"cvc":"123"}}' \
        "$cart" "$email" "$method" "$card"
}

# checkout CART KEY [CARD]: POST /api/v1/checkout; last response in HTTP_*.
checkout() {
    http_json POST /api/v1/checkout "$(checkout_json "$1" "${3:-4242424242424242}")" -H "Idempotency-Key: $2"
}

# stock_sums SKU: "available|reserved|sold" summed over warehouses.
stock_sums() {
    sql "SELECT sum(quantity_available) || '|' || sum(quantity_reserved) || '|' || sum(quantity_sold) FROM inventory WHERE sku_id = $1"
}

# check_no_card_anywhere PAGES_DIR: the test card's number (4242…, any
# spacing) and CVC (123) are in none of the stack's logs, the pages kept
# in PAGES_DIR, Redis (every key and value), the souk database nor the
# provider's (issue 9). Leaves $T_TMP/souk.sql and $T_TMP/redis.txt.
card_hits() { # FILES...: lines with the full number (any spacing) or the CVC next to card words
    grep -a -E -l '4242[ -]?4242[ -]?4242[ -]?4242|"cvc" *: *"123"|cvc=123|name="cvc" value="123"' "$@" 2>/dev/null
}
# redis_dump_all: every key of the test Redis ("KEY name") followed by
# its value(s), a line each. One script inside Redis: two redis-cli a key
# took 35-40 s a call once a whole run's sessions and carts were there.
redis_dump_all() {
    redis --raw EVAL "
        local out = {}
        local function add(v)
            if type(v) == 'table' then
                for _, x in ipairs(v) do add(x) end
            else
                out[#out + 1] = v
            end
        end
        local read = {string = {'GET'}, hash = {'HGETALL'}, list = {'LRANGE', 0, -1},
            set = {'SMEMBERS'}, zset = {'ZRANGE', 0, -1}, stream = {'XRANGE', '-', '+'}}
        for _, k in ipairs(redis.call('KEYS', '*')) do
            out[#out + 1] = 'KEY ' .. k
            local how = read[redis.call('TYPE', k).ok]
            if how then add(redis.call(how[1], k, unpack(how, 2))) end
        end
        return out" 0
}
check_no_card_anywhere() {
    local pages=$1 dump=$T_TMP/souk.sql redis_all=$T_TMP/redis.txt payd_dump=$T_TMP/payd.sql
    pg_dump -d souk >"$dump" 2>/dev/null
    redis_dump_all >"$redis_all"
    check "no card number or CVC in the logs ($(card_hits "$SOUK_LOG_DIR"/*.log | paste -sd' '))" test -z "$(card_hits "$SOUK_LOG_DIR"/*.log)"
    check "... nor in the pages received" test -z "$(card_hits "$pages"/*)"
    check "... nor in Redis" test -z "$(card_hits "$redis_all")"
    check "... nor in PostgreSQL (pg_dump souk)" test -z "$(card_hits "$dump")"
    pg_dump -d souk_payd >"$payd_dump" 2>/dev/null
    check "... nor in the provider's own database" test -z "$(card_hits "$payd_dump")"
}
