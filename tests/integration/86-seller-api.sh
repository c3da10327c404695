#!/usr/bin/env bash
# 86-seller-api: the seller API for listings — Bearer keys (401 without a
# live one), offers create / list / patch / stock, the product document
# showing the new offer, bad input (400 per field, nothing written), and
# the inventory file (good and bad rows, the per-row report, CSV report).
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/web-lib.sh"
. "$(dirname "$0")/seller-lib.sh"

run=$(date +%s%N)
# a product with two variants nobody of ours offers yet
prod=$(sql "INSERT INTO products (ref, title, brand, category_id, seller_id, sales_rank)
            VALUES ('SAPI-$run', 'Seller api lamp $run', 'Lampco', (SELECT min(id) FROM categories), 1, 999999)
            RETURNING id")
v1=$(sql "INSERT INTO product_variants (product_id, sku, price, position) VALUES ($prod, 'SAPI-V1-$run', 2500, 0) RETURNING id")
v2=$(sql "INSERT INTO product_variants (product_id, sku, price, position) VALUES ($prod, 'SAPI-V2-$run', 2600, 1) RETURNING id")
v3=$(sql "INSERT INTO product_variants (product_id, sku, price, position) VALUES ($prod, 'SAPI-V3-$run', 2700, 2) RETURNING id")

seller_new "Api Seller $run"
check "ctl seller create prints an id ($SELLER_ID)" test "$SELLER_ID" -gt 0
check "the key looks like sk_ + 64 hex" test "$(printf '%s' "$SELLER_KEY" | grep -cE '^sk_[0-9a-f]{64}$')" = 1
check_sql "the new seller is approved" "SELECT status FROM sellers WHERE id = $SELLER_ID" active
check_sql "it has one warehouse of its own" "SELECT count(*) FROM warehouses WHERE seller_id = $SELLER_ID" 1
check_sql "only the key's hash is stored" "SELECT count(*) FROM seller_api_keys WHERE seller_id = $SELLER_ID AND key_hash = encode(sha256('$SELLER_KEY'::bytea), 'hex')" 1
check_sql "the key itself is nowhere in the table" "SELECT count(*) FROM seller_api_keys WHERE key_hash = '$SELLER_KEY' OR prefix = '$SELLER_KEY'" 0

# ---- keys
http GET /api/v1/seller/offers
check "no key -> 401 ($HTTP_STATUS)" test "$HTTP_STATUS" = 401
check "401 says Bearer" test -n "$(header WWW-Authenticate)"
sapi GET /api/v1/seller/offers "" "sk_$(printf '0%.0s' $(seq 64))"
check "an unknown key -> 401 ($HTTP_STATUS)" test "$HTTP_STATUS" = 401
sapi GET /api/v1/seller/offers "" "not-a-key"
check "a malformed key -> 401 ($HTTP_STATUS)" test "$HTTP_STATUS" = 401
check_json /api/v1/seller/offers 'j["offers"] == [] and j["total"] == 0' 200 GET -H "Authorization: Bearer $SELLER_KEY"

# ---- create
sapi POST /api/v1/seller/offers "{\"product_ref\":\"SAPI-$run\",\"sku\":\"LAMP-$run\",\"price\":1999,\"shipping\":499,\"condition\":\"new\",\"fulfillment\":\"FBM\",\"quantity\":7}"
check "POST offer by product_ref -> 201 ($HTTP_STATUS)" test "$HTTP_STATUS" = 201
json_ok 'isinstance(j["sku_id"], int) and j["offer"]["price"] == 1999 and j["offer"]["quantity"] == 7 and j["offer"]["variant_id"] == '"$v1"
sku=$(json_get 'j["sku_id"]')
check_sql "the offer is the seller's, FBM, 7 in its own warehouse" \
    "SELECT o.seller_id || '|' || o.fulfillment || '|' || i.warehouse_id || '|' || i.quantity_available FROM offers o JOIN inventory i ON i.sku_id = o.id WHERE o.id = $sku" \
    "$SELLER_ID|FBM|$SELLER_WH|7"
check_json "/api/v1/products/$prod" "any(o['sku_id'] == $sku and o['price'] == 1999 for v in j['variants'] for o in v['offers'])"
sapi POST /api/v1/seller/offers "{\"variant_id\":$v2,\"sku\":\"LAMP2-$run\",\"price\":2100,\"fulfillment\":\"FBA\"}"
check "POST offer by variant_id, FBA -> 201 ($HTTP_STATUS)" test "$HTTP_STATUS" = 201
sku2=$(json_get 'j["sku_id"]')
sapi POST /api/v1/seller/offers "{\"variant_id\":$v2,\"sku\":\"LAMP3-$run\",\"price\":2100}"
check "the same variant twice -> 409 ($HTTP_STATUS)" test "$HTTP_STATUS" = 409
sapi POST /api/v1/seller/offers "{\"variant_id\":$v3,\"sku\":\"LAMP3-$run\",\"price\":2700}"
sku3=$(json_get 'j["sku_id"]')
check_json "/api/v1/seller/offers?fulfillment=FBA" "j['total'] == 1 and j['offers'][0]['sku_id'] == $sku2" 200 GET -H "Authorization: Bearer $SELLER_KEY"
check_json "/api/v1/seller/offers?q=LAMP-$run" "j['total'] == 1 and j['offers'][0]['sku'] == 'LAMP-$run'" 200 GET -H "Authorization: Bearer $SELLER_KEY"
check_json "/api/v1/seller/offers?per_page=2&page=2" "j['total'] == 3 and len(j['offers']) == 1" 200 GET -H "Authorization: Bearer $SELLER_KEY"

# ---- bad input: 400 naming the field, nothing written
before=$(sql "SELECT count(*) FROM offers WHERE seller_id = $SELLER_ID")
bad() { # BODY FIELD DESCRIPTION
    sapi POST /api/v1/seller/offers "$1"
    if [ "$HTTP_STATUS" = 400 ] && grep -q "$2" "$HTTP_BODY"; then ok "$3 -> 400 naming $2"; else not_ok "$3 -> 400 naming $2 (got $HTTP_STATUS)" "$(_http_diag)"; fi
}
bad "{\"product_ref\":\"SAPI-$run\",\"sku\":\"B1-$run\",\"price\":0}" price "price 0"
bad "{\"product_ref\":\"SAPI-$run\",\"sku\":\"B2-$run\",\"price\":-5}" price "negative price"
bad "{\"product_ref\":\"SAPI-$run\",\"sku\":\"B3-$run\",\"price\":100000000000}" price "absurd price"
bad "{\"product_ref\":\"SAPI-$run\",\"sku\":\"B4-$run\",\"price\":100,\"quantity\":-1}" quantity "negative quantity"
bad "{\"product_ref\":\"SAPI-$run\",\"sku\":\"B5-$run\",\"price\":100,\"quantity\":99999999}" quantity "huge quantity"
bad "{\"product_ref\":\"SAPI-$run\",\"sku\":\"B6-$run\",\"price\":\"12\"}" price "price as a string"
bad "{\"product_ref\":\"SAPI-$run\",\"sku\":\"bad sku!\",\"price\":100}" sku "a bad sku"
bad "{\"product_ref\":\"SAPI-$run\",\"sku\":\"B7-$run\",\"price\":100,\"fulfillment\":\"XYZ\"}" fulfillment "unknown fulfillment"
bad "{\"product_ref\":\"SAPI-$run\",\"sku\":\"B8-$run\",\"price\":100,\"condition\":\"broken\"}" condition "unknown condition"
sapi POST /api/v1/seller/offers "{\"product_ref\":\"NOPE-$run\",\"sku\":\"B9-$run\",\"price\":100}"
check "an unknown product -> 404 ($HTTP_STATUS)" test "$HTTP_STATUS" = 404
check_sql "no bad offer was written" "SELECT count(*) FROM offers WHERE seller_id = $SELLER_ID" "$before"

# ---- patch and stock
sapi PATCH "/api/v1/seller/offers/$sku" '{"price":1799,"shipping":0}'
check "PATCH price and shipping -> 200 ($HTTP_STATUS)" test "$HTTP_STATUS" = 200
check_sql "the price changed" "SELECT price || '|' || shipping FROM offers WHERE id = $sku" "1799|0"
check_json "/api/v1/products/$prod" "any(o['sku_id'] == $sku and o['price'] == 1799 for v in j['variants'] for o in v['offers'])"
sapi PATCH "/api/v1/seller/offers/$sku" '{"price":0}'
check "PATCH price 0 -> 400 ($HTTP_STATUS)" test "$HTTP_STATUS" = 400
sapi PATCH "/api/v1/seller/offers/$sku" '{"seller_id":1}'
check "PATCH an unknown field -> 400 ($HTTP_STATUS)" test "$HTTP_STATUS" = 400
check_sql "bad patches changed nothing" "SELECT price || '|' || seller_id FROM offers WHERE id = $sku" "1799|$SELLER_ID"
sapi PUT "/api/v1/seller/offers/$sku/stock" '{"quantity":12}'
check "PUT stock without warehouse_id -> 200 ($HTTP_STATUS)" test "$HTTP_STATUS" = 200
check_sql "stock set in the seller's own warehouse" "SELECT quantity_available FROM inventory WHERE sku_id = $sku AND warehouse_id = $SELLER_WH" 12
sapi PUT "/api/v1/seller/offers/$sku/stock" "{\"warehouse_id\":$SELLER_WH,\"quantity\":-3}"
check "negative stock -> 400 ($HTTP_STATUS)" test "$HTTP_STATUS" = 400
sapi PUT "/api/v1/seller/offers/$sku/stock" "{\"warehouse_id\":$SELLER_WH,\"quantity\":5000000}"
check "huge stock -> 400 ($HTTP_STATUS)" test "$HTTP_STATUS" = 400
platform_wh=$(sql "SELECT min(id) FROM warehouses WHERE seller_id IS NULL")
sapi PUT "/api/v1/seller/offers/$sku/stock" "{\"warehouse_id\":$platform_wh,\"quantity\":3}"
check "stock in a platform warehouse -> 404 ($HTTP_STATUS)" test "$HTTP_STATUS" = 404
sapi PUT "/api/v1/seller/offers/$sku2/stock" '{"quantity":3}'
check "FBA stock is read-only -> 409 ($HTTP_STATUS)" test "$HTTP_STATUS" = 409
check_sql "refused stock changes changed nothing" "SELECT string_agg(warehouse_id || ':' || quantity_available, ',') FROM inventory WHERE sku_id IN ($sku, $sku2)" "$SELLER_WH:12"
sapi PATCH "/api/v1/seller/offers/$sku" '{"status":"withdrawn"}'
check_json "/api/v1/products/$prod" "not any(o['sku_id'] == $sku for v in j['variants'] for o in v['offers'])"
sapi PATCH "/api/v1/seller/offers/$sku" '{"status":"active"}'
check_json "/api/v1/products/$prod" "any(o['sku_id'] == $sku for v in j['variants'] for o in v['offers'])"

# ---- inventory file
csv() { http POST /api/v1/seller/inventory-file -H "Authorization: Bearer $SELLER_KEY" -H 'Content-Type: text/csv' --data-binary @"$1" "${@:2}"; }
f=$T_TMP/inv.csv
printf 'sku,price,quantity,warehouse\nLAMP-%s,15.49,20,\nLAMP3-%s,2222,,\nLAMP2-%s,,4,\nNOPE-%s,100,1,\nLAMP-%s,-1,3,\nLAMP-%s,100,-2,\nLAMP-%s,100,abc,\nDUP-%s,1,1,\nDUP-%s,2,2,\nLAMP-%s,100000000000,1,\nLAMP-%s,100,1,%s\n' \
    "$run" "$run" "$run" "$run" "$run" "$run" "$run" "$run" "$run" "$run" "$run" "$platform_wh" >"$f"
csv "$f"
check "inventory file -> 200 ($HTTP_STATUS)" test "$HTTP_STATUS" = 200
json_ok 'j["rows"] == 11 and j["applied"] == 2 and j["rejected"] == 9' "2 rows applied, 9 rejected"
json_ok '[r["result"] for r in j["report"]][:3] == ["applied", "applied", "rejected"]' "the report is per row, in file order"
json_ok '"read-only" in j["report"][2]["reason"] and "unknown sku" in j["report"][3]["reason"]' "FBA stock and unknown sku rejected with their reason"
json_ok '"more than 0" in j["report"][4]["reason"] and "negative" in j["report"][5]["reason"] and "whole number" in j["report"][6]["reason"]' "bad price / quantity rejected with their reason"
json_ok '"duplicate" in j["report"][7]["reason"] and "duplicate" in j["report"][8]["reason"] and "absurd" in j["report"][9]["reason"]' "duplicates and an absurd price rejected"
json_ok '"warehouse" in j["report"][10]["reason"]' "another warehouse rejected"
check_sql "good rows applied" "SELECT (SELECT price FROM offers WHERE id = $sku) || '|' || (SELECT quantity_available FROM inventory WHERE sku_id = $sku AND warehouse_id = $SELLER_WH) || '|' || (SELECT price FROM offers WHERE id = $sku3) || '|' || (SELECT count(*) FROM inventory WHERE sku_id = $sku2)" "1549|20|2222|0"
csv "$f" -H 'Accept: text/csv'
check "the report as CSV" test "$(head -n1 "$HTTP_BODY" | tr -d '\r')" = "line,sku,result,reason"
check "the CSV report has a line per row" test "$(grep -c . "$HTTP_BODY")" = 12
printf 'sku;price;qty\nA;1;1\n' >"$f"
csv "$f"
check "wrong columns -> 400 ($HTTP_STATUS)" test "$HTTP_STATUS" = 400
check_body "wrong columns named" "sku,price,quantity"
printf 'sku,price,quantity\nLAMP-%s,\xff\xfe,1\n' "$run" >"$f"
csv "$f"
check "a non-UTF-8 file -> 400 ($HTTP_STATUS)" test "$HTTP_STATUS" = 400
check_body "says UTF-8" "UTF-8"
printf 'sku,price,quantity\n"LAMP-%s,100,1\n' "$run" >"$f"
csv "$f"
check "an unclosed quote -> 400 ($HTTP_STATUS)" test "$HTTP_STATUS" = 400
: >"$f"
csv "$f"
check "an empty file -> 400 ($HTTP_STATUS)" test "$HTTP_STATUS" = 400
check_sql "refused files changed nothing" "SELECT price FROM offers WHERE id = $sku" 1549
head -c 3000000 /dev/zero | tr '\0' 'a' >"$f"
csv "$f"
check "a file over the limit -> 413 ($HTTP_STATUS)" test "$HTTP_STATUS" = 413
json_ok 'j["error"]["code"] == "too_large" and "1 MB" in j["error"]["message"]' "the 413 says what is too large"
head -c 52428800 /dev/zero | tr '\0' 'a' >"$f"
csv "$f"
check "a 50 MB upload -> 413 ($HTTP_STATUS)" test "$HTTP_STATUS" = 413
check_sql "the refused uploads changed nothing" "SELECT price FROM offers WHERE id = $sku" 1549

done_testing
