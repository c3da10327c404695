# tests/integration/seller-lib.sh: sellers for the marketplace scripts
# (85-87 and the orders/ledger ones): a new approved seller with its own
# warehouse and API key, a seller account to sign in with, and seller API
# calls. Source after lib.sh (web-lib.sh too for pages).
# shellcheck shell=bash

# seller_new NAME: a new approved seller (bin/souk ctl seller create) and an
# API key (ctl seller key); sets SELLER_ID, SELLER_KEY, SELLER_WH (its
# warehouse). Returns non-zero when either command fails.
seller_new() {
    SELLER_ID=$("$SOUK_CTL" seller create "$1") || return 1
    SELLER_KEY=$("$SOUK_CTL" seller key "$SELLER_ID") || return 1
    SELLER_WH=$(sql "SELECT min(id) FROM warehouses WHERE seller_id = $SELLER_ID")
}

# seller_account EMAIL PASSWORD SELLER_ID: an account with role seller for
# SELLER_ID (sign in with login EMAIL PASSWORD from web-lib.sh).
seller_account() {
    SOUK_USER_PASSWORD=$2 "$SOUK_CTL" add-user "$1" seller "$3" >/dev/null
}

# sapi METHOD PATH [JSON] [KEY]: a seller API call with KEY (default
# $SELLER_KEY) as "Authorization: Bearer"; JSON "" sends no body.
sapi() {
    local key=${4:-$SELLER_KEY}
    if [ $# -ge 3 ] && [ -n "$3" ]; then
        http_json "$1" "$2" "$3" -H "Authorization: Bearer $key"
    else
        http "$1" "$2" -H "Authorization: Bearer $key"
    fi
}

# seller_offer SELLER WH PRICE [QTY]: a new product of SELLER with one FBM
# offer at PRICE cents and QTY (default 20) units in warehouse WH; prints
# the offer's id.
seller_offer() {
    local sku tag
    tag=$(date +%s%N)
    sku=$(sql "WITH p AS (INSERT INTO products (ref, title, category_id, seller_id, sales_rank)
                  VALUES ('SO-$tag-' || md5(random()::text), 'Seller item', (SELECT min(id) FROM categories), $1, 999999) RETURNING id),
               v AS (INSERT INTO product_variants (product_id, sku, price) SELECT id, 'SV-' || md5(random()::text), $3 FROM p RETURNING id)
               INSERT INTO offers (variant_id, seller_id, sku, price, fulfillment)
               SELECT id, $1, 'SOO-' || md5(random()::text), $3, 'FBM' FROM v RETURNING id") || return 1
    sql "INSERT INTO inventory (sku_id, warehouse_id, quantity_available) VALUES ($sku, $2, ${4:-20})" >/dev/null || return 1
    echo "$sku"
}
