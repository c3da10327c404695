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
    curl -s -X POST "$SOUK_URL/api/v1/carts" | python3 -c 'import json,sys; print(json.load(sys.stdin)["cart_id"])'
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
