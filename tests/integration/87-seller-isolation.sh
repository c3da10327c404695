#!/usr/bin/env bash
# 87-seller-isolation: the tenant-isolation matrix of the listing routes —
# every seller route (pages and API) with another seller's ids answers 404
# and changes nothing; shoppers, admins and anonymous users get nothing
# from /seller/ or /api/v1/seller/.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/web-lib.sh"
. "$(dirname "$0")/seller-lib.sh"

run=$(date +%s%N)
ref=$(sql "SELECT p.ref FROM products p WHERE p.status = 'active' AND EXISTS (SELECT 1 FROM product_variants v WHERE v.product_id = p.id) ORDER BY p.id LIMIT 1")
# seller B: the victim, with an offer, stock, a key and a report
seller_new "Iso B $run"
B=$SELLER_ID B_KEY=$SELLER_KEY B_WH=$SELLER_WH
seller_account "iso-b-$run@example.test" "Iso-b-pass-$run" "$B"
sapi POST /api/v1/seller/offers "{\"product_ref\":\"$ref\",\"sku\":\"ISOB-$run\",\"price\":777,\"quantity\":5}"
B_SKU=$(json_get 'j["sku_id"]')
B_KEY_ID=$(sql "SELECT id FROM seller_api_keys WHERE seller_id = $B")
use_jar b
login "iso-b-$run@example.test" "Iso-b-pass-$run"
web GET /seller/inventory-file
printf 'sku,price,quantity\nISOB-%s,777,5\n' "$run" >"$T_TMP/b.csv"
web POST /seller/inventory-file -F "csrf=$(page_csrf)" -F "file=@$T_TMP/b.csv;type=text/csv"
check_http "B uploads an inventory file" 200
B_RID=$(grep -o 'inventory-file/reports/[0-9a-f]*' "$HTTP_BODY" | head -n1 | sed 's#.*/##')
web GET "/seller/inventory-file/reports/$B_RID"
check_http "B downloads its report" 200
check "the report is CSV" grep -q "^line,sku,result,reason" "$HTTP_BODY"
# seller A: the attacker, with its own offer
seller_new "Iso A $run"
A=$SELLER_ID A_KEY=$SELLER_KEY
seller_account "iso-a-$run@example.test" "Iso-a-pass-$run" "$A"
vid=$(sql "SELECT v.id FROM product_variants v JOIN products p ON p.id = v.product_id WHERE p.ref = '$ref' ORDER BY v.position, v.id OFFSET 1 LIMIT 1")
[ -n "$vid" ] || vid=$(sql "SELECT min(v.id) FROM product_variants v JOIN products p ON p.id = v.product_id WHERE p.status = 'active' AND p.ref <> '$ref'")
sapi POST /api/v1/seller/offers "{\"variant_id\":$vid,\"sku\":\"ISOA-$run\",\"price\":555}"
A_SKU=$(json_get 'j["sku_id"]')
check "both sellers have an offer ($A_SKU, $B_SKU)" test -n "$A_SKU" -a -n "$B_SKU"

b_state() { sql "SELECT o.price || '|' || o.shipping || '|' || o.status || '|' || o.fulfillment || '|' || (SELECT string_agg(warehouse_id || ':' || quantity_available, ',' ORDER BY warehouse_id) FROM inventory WHERE sku_id = o.id) || '|' || (SELECT count(*) FROM seller_api_keys WHERE seller_id = $B AND revoked_at IS NULL) || '|' || (SELECT count(*) FROM inventory WHERE warehouse_id = $B_WH) FROM offers o WHERE o.id = $B_SKU"; }
before=$(b_state)

# ---- the API matrix, with A's key
SELLER_KEY=$A_KEY
api_404() { # METHOD PATH JSON
    sapi "$1" "$2" "$3"
    if [ "$HTTP_STATUS" = 404 ]; then ok "API $1 $2 with another seller's id -> 404"; else not_ok "API $1 $2 with another seller's id -> 404 (got $HTTP_STATUS)" "$(_http_diag)"; fi
}
api_404 GET "/api/v1/seller/offers/$B_SKU" ""
api_404 PATCH "/api/v1/seller/offers/$B_SKU" '{"price":1}'
api_404 PATCH "/api/v1/seller/offers/$B_SKU" '{"status":"withdrawn"}'
api_404 PUT "/api/v1/seller/offers/$B_SKU/stock" '{"quantity":0}'
api_404 PUT "/api/v1/seller/offers/$B_SKU/stock" "{\"warehouse_id\":$B_WH,\"quantity\":0}"
api_404 PUT "/api/v1/seller/offers/$A_SKU/stock" "{\"warehouse_id\":$B_WH,\"quantity\":1}"
sapi GET "/api/v1/seller/offers?q=ISOB-$run"
json_ok 'j["total"] == 0 and j["offers"] == []' "API: A's list never shows B's offer"
printf 'sku,price,quantity,warehouse\nISOB-%s,1,0,\nISOA-%s,,1,%s\n' "$run" "$run" "$B_WH" >"$T_TMP/a.csv"
http POST /api/v1/seller/inventory-file -H "Authorization: Bearer $A_KEY" -H 'Content-Type: text/csv' --data-binary @"$T_TMP/a.csv"
json_ok 'j["applied"] == 0 and "unknown sku" in j["report"][0]["reason"] and "warehouse" in j["report"][1]["reason"]' "API: an inventory file with B's sku / warehouse applies nothing"

# ---- the page matrix, signed in as A
use_jar a
login "iso-a-$run@example.test" "Iso-a-pass-$run"
web GET /seller/listings
page_404() { # METHOD PATH [field=value...]
    local m=$1 p=$2
    shift 2
    if [ "$m" = GET ]; then web GET "$p"; else post_form "$p" /seller/listings "$@"; fi
    if [ "$HTTP_STATUS" = 404 ]; then ok "page $m $p with another seller's id -> 404"; else not_ok "page $m $p with another seller's id -> 404 (got $HTTP_STATUS)" "$(_http_diag)"; fi
}
page_404 GET "/seller/listings/$B_SKU"
page_404 POST "/seller/listings/$B_SKU" "price=0.01"
page_404 POST "/seller/listings/$B_SKU/stock" "warehouse_id=$B_WH" "quantity=0"
page_404 POST "/seller/listings/$B_SKU/withdraw"
page_404 POST "/seller/listings/$B_SKU/reactivate"
page_404 POST "/seller/listings/$A_SKU/stock" "warehouse_id=$B_WH" "quantity=1"
page_404 POST "/seller/keys/$B_KEY_ID/revoke"
page_404 GET "/seller/inventory-file/reports/$B_RID"
web GET "/seller/listings?q=ISOB-$run"
check "page: A's list never shows B's offer" test "$(grep -c "data-sku-id=" "$HTTP_BODY")" = 0
check_sql "nothing of B's changed" "SELECT '$(b_state)'" "$before"
SELLER_KEY=$B_KEY
sapi GET "/api/v1/seller/offers/$B_SKU"
check "B's key still works and sees its offer ($HTTP_STATUS)" test "$HTTP_STATUS" = 200

# ---- shoppers, admins and anonymous users get nothing
use_jar shopper
login shopper@souk.test shopper-demo-1
use_jar admin
login admin@souk.test admin-demo-1
for path in /seller/ /seller/listings "/seller/listings/$B_SKU" /seller/keys /seller/inventory-file /seller/products/new; do
    use_jar shopper; web GET "$path"; check_http "a shopper on $path" 403
    use_jar admin; web GET "$path"; check_http "an admin on $path" 403
    use_jar anon; web GET "$path"; check_http "anonymous on $path" 303
done
for path in /api/v1/seller/offers "/api/v1/seller/offers/$B_SKU"; do
    use_jar shopper; web GET "$path"; check_http "a shopper's session on $path" 401
    use_jar anon; web GET "$path"; check_http "anonymous on $path" 401
done
use_jar shopper
web POST /api/v1/seller/inventory-file -H 'Content-Type: text/csv' --data-binary @"$T_TMP/a.csv"
check_http "a shopper posting an inventory file" 401
sapi PATCH "/api/v1/seller/offers/$B_SKU" '{"price":1}' "sk_$(printf '%064d' 0)"
check "a made-up key -> 401 ($HTTP_STATUS)" test "$HTTP_STATUS" = 401
use_jar b
web GET /seller/keys
post_form "/seller/keys/$B_KEY_ID/revoke" -
check_http "B revokes its key" 303
sapi GET /api/v1/seller/offers "" "$B_KEY"
check "a revoked key -> 401 ($HTTP_STATUS)" test "$HTTP_STATUS" = 401
check_sql "nothing of B's offer changed after all that" "SELECT price || '|' || status FROM offers WHERE id = $B_SKU" "777|active"

done_testing
