#!/usr/bin/env bash
# 89-seller-pages: the seller center's orders, returns, ledger and
# dashboard pages, by page: another seller's shipment or return is a 404
# that changes nothing, a shopper gets nothing; the ledger exports CSV;
# the admin sets a category's commission (a new order snapshots it), reads
# the revenue report and ships an FBA shipment.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/buy-lib.sh"
. "$(dirname "$0")/lib-orders.sh"
. "$(dirname "$0")/web-lib.sh"
. "$(dirname "$0")/seller-lib.sh"

run=$(date +%s%N)
seller_new "pa-$run"; sa=$SELLER_ID wa=$SELLER_WH
seller_new "pb-$run"; sb=$SELLER_ID wb=$SELLER_WH
seller_account "pa-$run@souk.test" "pa-pass-$run-x" "$sa"
seller_account "pb-$run@souk.test" "pb-pass-$run-x" "$sb"
# a category of its own, so the admin's rate change touches only this test
cat_id=$(sql "INSERT INTO categories (parent_id, name, slug, path, depth) VALUES (NULL, 'Cat $run', 'cat-$run', 'tmp', 0) RETURNING id")
sql "UPDATE categories SET path = id::text WHERE id = $cat_id" >/dev/null
mk_offer() { # SELLER WH PRICE FULFILLMENT
    local sku
    sku=$(sql "WITH p AS (INSERT INTO products (ref, title, category_id, seller_id, sales_rank)
                  VALUES ('P-$run-' || md5(random()::text), 'Page item', $cat_id, $1, 999999) RETURNING id),
               v AS (INSERT INTO product_variants (product_id, sku, price) SELECT id, 'PV-' || md5(random()::text), $3 FROM p RETURNING id)
               INSERT INTO offers (variant_id, seller_id, sku, price, fulfillment)
               SELECT id, $1, 'PO-' || md5(random()::text), $3, '$4' FROM v RETURNING id")
    sql "INSERT INTO inventory (sku_id, warehouse_id, quantity_available) VALUES ($sku, $2, 20)" >/dev/null
    echo "$sku"
}
oa=$(mk_offer "$sa" "$wa" 3000 FBM)
ob=$(mk_offer "$sb" "$wb" 2000 FBM)
fba_wh=$(sql "SELECT min(id) FROM warehouses WHERE seller_id IS NULL")
obf=$(mk_offer "$sb" "$fba_wh" 1000 FBA)
buy() { # KEY SKU... : prints the order id
    local key=$1 cart s
    shift
    cart=$(new_cart)
    for s in "$@"; do cart_put "$cart" "$s" 1 >/dev/null; done
    checkout "$cart" "$key" >/dev/null
    sql "SELECT id FROM orders WHERE public_id = '$(json_get "j['order']['public_id']")'"
}

# The admin sets the category's rate; a new order snapshots it.
use_jar admin
login admin@souk.test admin-demo-1
web GET /admin/commissions
check_http "commission rates page" 200
check_body "lists the category" "Cat $run"
post_form "/admin/commissions/$cat_id" - "bps=2500"
check_http "2500 bps is refused" 400
check_body "says the range" "500 to 2000"
post_form "/admin/commissions/$cat_id" /admin/commissions "bps=1250"
check_http "12.5 %" 303
check_sql "the category's rate" "SELECT commission_bps FROM categories WHERE id = $cat_id" 1250
oid=$(buy "pg-$run" "$oa" "$ob" "$obf")
pub=$(sql "SELECT public_id FROM orders WHERE id = $oid")
check_sql "the order snapshots 12.5 %" "SELECT string_agg(DISTINCT commission_bps::text, ',') FROM order_items WHERE order_id = $oid" 1250
sha=$(sql "SELECT id FROM shipments WHERE order_id = $oid AND seller_id = $sa")
shb=$(sql "SELECT id FROM shipments WHERE order_id = $oid AND seller_id = $sb AND fulfillment = 'FBM'")
shf=$(sql "SELECT id FROM shipments WHERE order_id = $oid AND fulfillment = 'FBA'")

# Seller A's pages show only A's shipment.
use_jar sa
login "pa-$run@souk.test" "pa-pass-$run-x"
web GET /seller/orders
check_http "A's orders page" 200
check_body "A's shipment" "id=\"shipment-$sha\""
if grep -q "id=\"shipment-$shb\"" "$HTTP_BODY"; then not_ok "B's shipment is not on A's page"; else ok "B's shipment is not on A's page"; fi
check "the page is never cached" bash -c "grep -qi '^cache-control: .*no-store' '$HTTP_HEADERS'"
post_form "/seller/shipments/$shb/confirm" - "carrier=UPS" "tracking=1ZSTEAL"
check_http "A confirming B's shipment" 404
post_form "/seller/shipments/$shf/confirm" - "carrier=UPS" "tracking=1ZSTEAL"
check_http "A confirming B's FBA shipment" 404
check_sql "B's shipments unchanged" "SELECT string_agg(status, ',' ORDER BY id) FROM shipments WHERE id IN ($shb, $shf)" "pending,pending"
web POST "/seller/shipments/$sha/confirm" --data-urlencode "carrier=UPS" --data-urlencode "tracking=1ZNOCSRF"
check_http "no CSRF token" 403
post_form "/seller/shipments/$sha/confirm" /seller/orders "carrier=UPS" "tracking="
check_http "no tracking number" 400
check_body "says so" "Tracking must be 1 to 64"
post_form "/seller/shipments/$sha/confirm" /seller/orders "carrier=UPS" "tracking=1ZPAGEA"
check_http "A confirms" 303
check_sql "A's shipment shipped" "SELECT status || ':' || tracking FROM shipments WHERE id = $sha" "shipped:1ZPAGEA"
web GET /seller/dashboard
check_http "dashboard" 200
check_body "units waiting" 'id="units-to-ship">0<'
web GET /seller/ledger
check_http "ledger page" 200
check_body "the sale" "sale"
web GET "/seller/ledger?format=csv"
check "CSV export" bash -c "head -1 '$HTTP_BODY' | grep -q '^id,at,kind,order,amount_cents,balance_cents' && grep -q ',sale,$pub,3000,' '$HTTP_BODY'"
web GET "/seller/ledger?from=2026-13-01"
check_http "a bad date" 400

# B ships FBM; the admin ships and delivers FBA.
use_jar sb
login "pb-$run@souk.test" "pb-pass-$run-x"
post_form "/seller/shipments/$shb/confirm" /seller/orders "carrier=DHL" "tracking=JDPAGEB"
check_http "B confirms" 303
use_jar admin
web GET /admin/fba
check_http "FBA desk" 200
check_body "the FBA shipment" "id=\"fba-$shf\""
post_form "/admin/fba/$shf/ship" - "carrier=UPS" "tracking=1ZFBAPAGE"
check_http "the admin ships FBA" 303
check_sql "SHIPPED" "SELECT status FROM orders WHERE id = $oid" SHIPPED
for s in "$sha" "$shb"; do "$SOUK_CTL" shipment deliver "$s" >/dev/null; done
post_form "/admin/fba/$shf/deliver" /admin/fba
check_http "the admin delivers FBA" 303
check_sql "DELIVERED" "SELECT status FROM orders WHERE id = $oid" DELIVERED
web GET /admin/revenue
check_http "revenue report" 200
check_body "a total row" 'id="total-commission"'

# Returns by page: B's return is not A's to decide.
ib=$(sql "SELECT id FROM order_items WHERE order_id = $oid AND sku_id = $ob")
rid=$("$SOUK_CTL" return-items "$pub" "$ib:1")
use_jar sa
post_form "/seller/returns/$rid/approve" /seller/returns
check_http "A approving B's return" 404
check_sql "untouched" "SELECT status FROM returns WHERE id = $rid" requested
use_jar sb
web GET /seller/returns
check_body "B sees it" "id=\"return-$rid\""
post_form "/seller/returns/$rid/reject" -
check_http "B rejects" 303
check_sql "rejected, no refund" "SELECT r.status || ':' || (SELECT count(*) FROM refunds f WHERE f.reason = 'return:' || r.id) FROM returns r WHERE r.id = $rid" "rejected:0"

# Shoppers and visitors get nothing.
use_jar shopper
login shopper@souk.test shopper-demo-1
for p in /seller/orders /seller/returns /seller/ledger /seller/dashboard; do
    web GET "$p"
    check_http "a shopper on $p" 403
done
use_jar nobody
web GET /seller/ledger
check_http "a visitor is sent to sign in" 303
check "ledger check" "$SOUK_CTL" ledger check

done_testing
