#!/usr/bin/env bash
# 10-api-catalog: the catalog JSON API against counts computed in SQL.
. "$(dirname "$0")/lib.sh"

# A product with several sellers on one variant, and its offers.
pid=$(sql "SELECT v.product_id FROM offers o JOIN product_variants v ON v.id = o.variant_id
           WHERE o.status = 'active' GROUP BY v.id, v.product_id HAVING count(*) >= 2
           ORDER BY v.product_id LIMIT 1")
ref=$(sql "SELECT ref FROM products WHERE id = $pid")
diag "product $pid ($ref)"

redis DEL "product:$pid" >/dev/null
check_json "/api/v1/products/$pid" "j['id'] == $pid and j['ref'] == '$ref'"
check "first product fetch is a cache miss" test "$(header X-Souk-Cache)" = miss
json_ok "len(j['variants']) >= 1 and all('offers' in v for v in j['variants'])" "variants carry offers"
json_ok "all(isinstance(o['sku_id'], int) and o['price'] > 0 and o['fulfillment'] in ('FBA','FBM') and 'available' in o for v in j['variants'] for o in v['offers'])" \
    "offers carry sku_id, price, fulfilment, availability"
offer_ids=$(json_get "','.join(str(o['sku_id']) for v in j['variants'] for o in v['offers'])")
check_sql "offer sku_ids are the product's active offers" \
    "SELECT string_agg(o.id::text, ',' ORDER BY o.id) FROM offers o JOIN product_variants v ON v.id = o.variant_id WHERE v.product_id = $pid AND o.status = 'active'" \
    "$(echo "$offer_ids" | tr ',' '\n' | sort -n | paste -sd,)"
json_ok "all(v['offers'][0]['landed_price'] == min(o['landed_price'] for o in v['offers'] if o['in_stock']) for v in j['variants'] if any(o['in_stock'] for o in v['offers']))" \
    "the first offer (Buy Box) has the lowest landed price among in-stock offers"
http_get "/api/v1/products/$pid"
check "second fetch is a cache hit" test "$(header X-Souk-Cache)" = hit
check "cache entry has a TTL of at most 300 s" test "$(redis TTL "product:$pid")" -le 300 -a "$(redis TTL "product:$pid")" -gt 0

# Invalidation through the library's write path (souk-ctl).
offer=$(sql "SELECT o.id FROM offers o JOIN product_variants v ON v.id = o.variant_id WHERE v.product_id = $pid ORDER BY o.id LIMIT 1")
old=$(sql "SELECT price FROM offers WHERE id = $offer")
new=$((old + 1234))
check "souk-ctl set-price succeeds" "$SOUK_CTL" set-price "$offer" "$new"
check_json "/api/v1/products/$pid" "any(o['sku_id'] == $offer and o['price'] == $new for v in j['variants'] for o in v['offers'])"
check "price change invalidated the cache" test "$(header X-Souk-Cache)" = miss
"$SOUK_CTL" set-price "$offer" "$old" >/dev/null

# Stock change: out of stock everywhere -> in_stock false.
whs=$(sql "SELECT warehouse_id FROM inventory WHERE sku_id = $offer")
saved=$(sql "SELECT warehouse_id || ':' || quantity_available FROM inventory WHERE sku_id = $offer")
for w in $whs; do "$SOUK_CTL" set-stock "$offer" "$w" 0 >/dev/null; done
check_json "/api/v1/products/$pid" "all(o['available'] == 0 and o['in_stock'] is False for v in j['variants'] for o in v['offers'] if o['sku_id'] == $offer)"
for s in $saved; do "$SOUK_CTL" set-stock "$offer" "${s%%:*}" "${s##*:}" >/dev/null; done
check_json "/api/v1/products/$pid" "any(o['in_stock'] for v in j['variants'] for o in v['offers'] if o['sku_id'] == $offer)" 200

# Categories.
ncat=$(sql "SELECT count(*) FROM categories")
nprod=$(sql "SELECT count(*) FROM products WHERE status = 'active'")
check_json /api/v1/categories "len(j['categories']) == $ncat"
json_ok "sum(c['product_count'] for c in j['categories'] if c['parent_id'] is None) == $nprod" \
    "root category counts add up to all products"

cat=$(sql "SELECT c.id FROM categories c WHERE c.parent_id IS NULL ORDER BY c.id LIMIT 1")
cpath=$(sql "SELECT path FROM categories WHERE id = $cat")
ctotal=$(sql "SELECT count(*) FROM products p JOIN categories c ON c.id = p.category_id WHERE (c.path = '$cpath' OR c.path LIKE '$cpath.%') AND p.status = 'active'")
check_json "/api/v1/categories/$cat/products?per_page=5" "j['total'] == $ctotal and len(j['products']) == min(5, $ctotal)"
check_json "/api/v1/categories/$cat/products?per_page=50&sort=price_asc" \
    "[p['price'] for p in j['products'] if p['price'] is not None] == sorted(p['price'] for p in j['products'] if p['price'] is not None)"
check_json "/api/v1/categories/$cat/products?per_page=50&sort=price_desc" \
    "[p['price'] for p in j['products'] if p['price'] is not None] == sorted((p['price'] for p in j['products'] if p['price'] is not None), reverse=True)"
check_json "/api/v1/categories/$cat/products?page=10000&per_page=100" "j['products'] == [] and j['total'] == $ctotal"
first=$(sql "SELECT p.id FROM products p JOIN categories c ON c.id = p.category_id WHERE (c.path = '$cpath' OR c.path LIKE '$cpath.%') AND p.status = 'active' ORDER BY p.sales_rank, p.id LIMIT 1")
check_json "/api/v1/categories/$cat/products?per_page=1" "j['products'][0]['id'] == $first"

# Bad input: a clear 4xx with the error shape, never a 500.
err="j['error']['code'] and j['error']['message']"
check_json /api/v1/products/999999999 "$err and j['error']['code'] == 'not_found'" 404
check_json /api/v1/products/abc "$err" 400
check_json /api/v1/products/0 "$err" 400
check_json /api/v1/products/-1 "$err" 400
check_json /api/v1/products/99999999999999999999999 "$err" 400
check_json "/api/v1/categories/$cat/products?page=-1" "'page' in j['error']['message']" 400
check_json "/api/v1/categories/$cat/products?page=0" "$err" 400
check_json "/api/v1/categories/$cat/products?per_page=10000" "'per_page' in j['error']['message']" 400
check_json "/api/v1/categories/$cat/products?sort=bogus" "'sort' in j['error']['message']" 400
check_json "/api/v1/categories/$cat/products?sort=%zz" "$err" 400
check_json "/api/v1/categories/$cat/products?sort=%ff" "$err" 400
check_json "/api/v1/categories/$cat/products?sort=%C3%28" "$err" 400
check_json "/api/v1/categories/$cat/products?q=%" "$err" 400
check_json /api/v1/categories/999999999/products "$err" 404
check_json /api/v1/nothing-here "$err" 404
check_json "/api/v1/products/$pid" "$err" 405 POST
check "405 names the allowed methods" test "$(header Allow)" = "GET, HEAD"
long=$(head -c 7000 /dev/zero | tr '\0' a)
http_get "/api/v1/categories/$cat/products?q=$long&sort=x"
check "over-long query gets a 4xx" test "${HTTP_STATUS:0:1}" = 4
http_get "/api/v1/products/$pid" -H "X-Big: $(head -c 9000 /dev/zero | tr '\0' b)"
check "huge header gets a 4xx" test "${HTTP_STATUS:0:1}" = 4
done_testing
