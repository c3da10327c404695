#!/usr/bin/env bash
# 41-search-fresh: stock, price and title changes reach search within 2 s;
# the Redis result cache hits, and a catalog version bump invalidates it;
# with Redis stopped search still answers (uncached). Restarts Redis.
. "$(dirname "$0")/lib.sh"

# within SECONDS PYTHON-EXPR URL: polls URL every 0.1 s until EXPR holds
# for its JSON; prints the seconds it took, fails after SECONDS.
within() {
    local limit=$1 expr=$2 url=$3 start now
    start=$(date +%s%N)
    while :; do
        http_get "$url"
        if [ "$HTTP_STATUS" = 200 ] && python3 -c 'import json,sys; j=json.load(open(sys.argv[2])); sys.exit(0 if eval(sys.argv[1]) else 1)' "$expr" "$HTTP_BODY" 2>/dev/null; then
            now=$(date +%s%N)
            echo "$(((now - start) / 1000000)) ms"
            return 0
        fi
        now=$(date +%s%N)
        [ $(((now - start) / 1000000)) -lt $((limit * 1000)) ] || return 1
        sleep 0.1
    done
}

# A sofa in stock, with its offers and their stock.
pid=$(sql "SELECT p.id FROM products p WHERE p.status = 'active' AND p.in_stock
           AND p.search_doc @@ websearch_to_tsquery('souk', 'sofa') ORDER BY p.sales_rank LIMIT 1")
url="/api/v1/search?q=sofa&in_stock=1&per_page=100"
diag "product $pid"
check_json "$url" "any(h['id'] == $pid for h in j['hits'])"

# Stock to 0 everywhere through the library's write path.
saved=$(sql "SELECT i.sku_id || ':' || i.warehouse_id || ':' || i.quantity_available FROM inventory i
             JOIN offers o ON o.id = i.sku_id JOIN product_variants v ON v.id = o.variant_id WHERE v.product_id = $pid")
for s in $saved; do
    IFS=: read -r sku wh _ <<<"$s"
    "$SOUK_CTL" set-stock "$sku" "$wh" 0 >/dev/null
done
if took=$(within 2 "not any(h['id'] == $pid for h in j['hits'])" "$url"); then
    ok "out of stock: gone from in_stock=1 results within 2 s ($took)"
else
    not_ok "out of stock: gone from in_stock=1 results within 2 s"
fi
check_json "/api/v1/search?q=sofa&per_page=100" "any(h['id'] == $pid and h['in_stock'] is False for h in j['hits'])"
for s in $saved; do
    IFS=: read -r sku wh qty <<<"$s"
    "$SOUK_CTL" set-stock "$sku" "$wh" "$qty" >/dev/null
done
if took=$(within 2 "any(h['id'] == $pid for h in j['hits'])" "$url"); then
    ok "back in stock: found again within 2 s ($took)"
else
    not_ok "back in stock: found again within 2 s"
fi

# Price: the cheapest in-stock offer down to 1.23 -> the hit's price.
offer=$(sql "SELECT o.id FROM offers o JOIN product_variants v ON v.id = o.variant_id
             WHERE v.product_id = $pid AND (SELECT sum(quantity_available) FROM inventory WHERE sku_id = o.id) > 0
             ORDER BY o.price, o.id LIMIT 1")
old=$(sql "SELECT price FROM offers WHERE id = $offer")
"$SOUK_CTL" set-price "$offer" 123 >/dev/null
if took=$(within 2 "any(h['id'] == $pid and h['price'] == 123 for h in j['hits'])" "$url"); then
    ok "price change visible in search within 2 s ($took)"
else
    not_ok "price change visible in search within 2 s" "$(head -c 300 "$HTTP_BODY")"
fi
check_json "/api/v1/search?q=sofa&price_max=123" "[h['id'] for h in j['hits']] == [$pid]"
"$SOUK_CTL" set-price "$offer" "$old" >/dev/null
# souk-searchd sees the write on its next refresh (every 100 ms), not at
# once: the restored price is searchable within the same 2 s.
if took=$(within 2 "j['total'] == 0" "/api/v1/search?q=sofa&price_max=123"); then
    ok "price restored: gone from price_max=123 within 2 s ($took)"
else
    not_ok "price restored: gone from price_max=123 within 2 s" "$(head -c 300 "$HTTP_BODY")"
fi

# Title: a new word is searchable at once (generated column, same
# transaction); the vocabulary learns it for typo correction.
title=$(sql "SELECT title FROM products WHERE id = $pid")
sql "UPDATE products SET title = title || ' Zephyrine' WHERE id = $pid" >/dev/null
if took=$(within 2 "[h['id'] for h in j['hits']] == [$pid]" "/api/v1/search?q=zephyrine"); then
    ok "title change searchable within 2 s ($took)"
else
    not_ok "title change searchable within 2 s"
fi
check_json "/api/v1/search?q=zephyrina" "j['corrected_query'] == 'zephyrine' and j['total'] == 1"
sql "UPDATE products SET title = \$t\$$title\$t\$ WHERE id = $pid" >/dev/null
redis INCR catalog:version >/dev/null
if took=$(within 2 "j['total'] == 0" "/api/v1/search?q=zephyrine"); then
    ok "title restored: the word is gone within 2 s ($took)"
else
    not_ok "title restored: the word is gone within 2 s" "$(head -c 300 "$HTTP_BODY")"
fi

# Cache: miss, then hit; a version bump makes the next one a miss.
q="/api/v1/search?q=sofa+bed&brand=dhp&per_page=7"
redis INCR catalog:version >/dev/null
check_json "$q" "j['per_page'] == 7"
check "first search is a cache miss" test "$(header X-Souk-Cache)" = miss
body1=$(cat "$HTTP_BODY")
http_get "$q"
check "second search is a cache hit" test "$(header X-Souk-Cache)" = hit
check "the cached answer is the same JSON" test "$(cat "$HTTP_BODY")" = "$body1"
http_get "/api/v1/search?q=Sofa%20%20BED&brand=DHP&per_page=7"
check "the normalised query shares the entry" test "$(header X-Souk-Cache)" = hit
v=$(redis GET catalog:version)
key=$(redis --scan --pattern "search:v$v|*" | head -n 1)
ttl=$(redis TTL "$key")
check "cache entries carry the catalog version and a TTL of at most 300 s ($ttl)" test -n "$key" -a "$ttl" -gt 0 -a "$ttl" -le 300
redis INCR catalog:version >/dev/null
http_get "$q"
check "after a version bump the search is a miss" test "$(header X-Souk-Cache)" = miss

# Redis down: search answers from PostgreSQL, uncached.
n=$(sql "SELECT count(*) FROM products WHERE status = 'active' AND search_doc @@ websearch_to_tsquery('souk', 'sofa')")
redis SHUTDOWN NOSAVE >/dev/null 2>&1
sleep 0.3
check_json "/api/v1/search?q=sofa" "j['total'] == $n"
check "without Redis the search is a miss" test "$(header X-Souk-Cache)" = miss
check_json "/api/v1/search?q=sofaa" "j['corrected_query'] == 'sofa'"
check_json "/api/v1/search/suggest?q=sof" "len(j['suggestions']) > 0"
redis-server "$SOUK_VAR/redis/redis.conf" >/dev/null
for _ in $(seq 1 50); do [ "$(redis PING 2>/dev/null)" = PONG ] && break; sleep 0.1; done
sleep 1.1 # the library retries a lost Redis at most once a second
for _ in 1 2 3 4; do http_get "/api/v1/search?q=sofa"; done
http_get "/api/v1/search?q=sofa"
check "Redis back: searches are cached again" test "$(header X-Souk-Cache)" = hit
done_testing
