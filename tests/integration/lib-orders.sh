# tests/integration/lib-orders.sh: orders, payments and events made in SQL
# for the worker's tests (70-, 71-), independent of the checkout code.
# shellcheck shell=bash
# Source after lib.sh.

# One active offer with its product and a warehouse row: T_SKU T_SELLER
# T_PRODUCT T_TITLE T_PRICE T_WH.
t_pick_offer() {
    IFS='|' read -r T_SKU T_SELLER T_PRODUCT T_PRICE T_WH < <(sql "
        SELECT o.id, o.seller_id, v.product_id, o.price, i.warehouse_id
        FROM offers o JOIN product_variants v ON v.id = o.variant_id
        JOIN inventory i ON i.sku_id = o.id
        WHERE o.status = 'active' AND i.quantity_available >= 10
        ORDER BY o.id LIMIT 1")
}

# t_order PUBLIC_ID EMAIL NAME STATUS [QTY]: an order with one item of
# $T_SKU; prints its id.
t_order() {
    local pub=$1 email=$2 name=$3 status=$4 qty=${5:-1}
    sql "WITH o AS (
           INSERT INTO orders (public_id, access_token, email, status, subtotal, shipping, tax,
                               total, address, idempotency_key)
           VALUES ('$pub', md5('$pub'), '$email', '$status', $T_PRICE * $qty, 499, 0,
                   $T_PRICE * $qty + 499,
                   jsonb_build_object('name', \$n\$$name\$n\$, 'line1', '1 Main St',
                                      'city', 'Springfield', 'postal_code', '12345', 'country', 'US'),
                   'it-$pub')
           RETURNING id),
         i AS (INSERT INTO order_items (order_id, sku_id, seller_id, product_id, title, unit_price,
                                        qty, commission_bps, fulfillment)
               SELECT o.id, $T_SKU, $T_SELLER, $T_PRODUCT, p.title, $T_PRICE, $qty, 1000, 'FBM'
               FROM o, products p WHERE p.id = $T_PRODUCT)
         SELECT id FROM o"
}

# t_payment ORDER_ID STATUS: a payment for the order's total, authorized
# (or captured) at the provider (souk-payd) as well (its charge row, what
# pay_authorize_order would have left); prints the payments id.
t_payment() {
    local row
    row=$(sql "INSERT INTO payments (order_id, provider, status, amount, provider_ref, brand, last4,
                                     idempotency_key)
               SELECT id, 'payd', '$2', total, 'ch_it' || id, 'visa', '4242', 'it-auth:' || id
               FROM orders WHERE id = $1 RETURNING id, amount, provider_ref")
    local id amount ref
    IFS='|' read -r id amount ref <<<"$row"
    payd_sql "INSERT INTO payd_charges (ref, amount, status, captured, brand, last4)
              VALUES ('$ref', $amount, CASE '$2' WHEN 'captured' THEN 'captured' ELSE 'authorized' END,
                      CASE '$2' WHEN 'captured' THEN $amount ELSE 0 END, 'visa', '4242')" >/dev/null
    echo "$id"
}

# sandbox_ops ORDER_ID OP: how many OP (capture, refund, void) calls reached
# the provider (souk-payd's books) for the order's payments.
sandbox_ops() {
    local refs
    refs=$(sql "SELECT string_agg(quote_literal(provider_ref), ',') FROM payments WHERE order_id = $1 AND provider_ref IS NOT NULL")
    payd_sql "SELECT count(*) FROM payd_ops WHERE charge_ref IN (${refs:-NULL}) AND op = '$2' AND approved"
}

# t_event ORDER_ID TYPE: an order event in the outbox (what order_transition
# writes); prints the outbox id.
t_event() {
    sql "INSERT INTO outbox (topic, key, payload)
         SELECT 'orders', public_id, jsonb_build_object('type', '$2', 'order_id', id,
                'public_id', public_id)
         FROM orders WHERE id = $1 RETURNING id"
}

# wait_for SECONDS COMMAND...: retries the command every 0.1 s until it
# succeeds; 1 when it never did.
wait_for() {
    local secs=$1 i
    shift
    for ((i = 0; i < secs * 10; i++)); do
        "$@" >/dev/null 2>&1 && return 0
        sleep 0.1
    done
    return 1
}

# sql_is QUERY EXPECTED: 0 when the query prints EXPECTED (for wait_for).
sql_is() { [ "$(sql "$1" 2>/dev/null)" = "$2" ]; }

# caught_up STREAM GROUP: 0 when the group has been handed the stream's
# last entry and acknowledged everything (for wait_for).
caught_up() {
    local last info
    last=$(redis --raw XINFO STREAM "$1" | awk 'prev == "last-generated-id" { print; exit } { prev = $0 }')
    info=$(redis --raw XINFO GROUPS "$1" | awk -v g="$2" '
        prev == "name" { cur = $0 } prev == "pending" && cur == g { p = $0 }
        prev == "last-delivered-id" && cur == g { d = $0 } { prev = $0 } END { print p "|" d }')
    [ -n "$last" ] && [ "$info" = "0|$last" ]
}
