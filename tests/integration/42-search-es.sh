#!/usr/bin/env bash
# 42-search-es: POST /api/v1/products/_search (the Elasticsearch query shape)
# through nginx: the DESIGN.md request verbatim, hits and aggregations
# against SQL over the engine's own unfiltered matches, and 400s naming
# every unsupported clause.
. "$(dirname "$0")/lib.sh"
ES=/api/v1/products/_search

# es BODY: POST a JSON body to the endpoint (response in $HTTP_BODY).
es() { http_json POST "$ES" "$1"; }

# es_refused BODY TEXT: 400 whose error message contains TEXT.
es_refused() {
    es "$1"
    if [ "$HTTP_STATUS" = 400 ] && python3 -c 'import json,sys; e=json.load(open(sys.argv[1]))["error"]; sys.exit(0 if e["code"]=="bad_request" and sys.argv[2] in e["message"] else 1)' "$HTTP_BODY" "$2" 2>/dev/null; then
        ok "400 naming '$2'"
    else
        not_ok "400 naming '$2'" "body: $1" "$(_http_diag)"
    fi
}

# The DESIGN.md request, verbatim but for the category (a slug that exists).
design_body() {
    cat <<EOF
{ "query": { "bool": {
    "must":   [ { "multi_match": { "query": "running shoes",
                                   "fields": ["title^3", "description", "brand^2"] } } ],
    "filter": [ { "term":  { "category": $1 } },
                { "range": { "price": { "gte": 50, "lte": 150 } } },
                { "term":  { "in_stock": true } } ] } },
  "sort": [ { "_score": "desc" }, { "sales_rank": "asc" } ],
  "aggs": { "brands":       { "terms": { "field": "brand" } },
            "price_ranges": { "range": { "field": "price",
                                         "ranges": [ { "to": 50 }, { "from": 50, "to": 100 }, { "from": 100 } ] } } } }
EOF
}

# Every product the engine matches for the words, no filters: the base
# the filters are checked against (paged, 100 at a time).
all_ids() {
    local from=0 total ids=""
    while :; do
        es "{\"query\":{\"multi_match\":{\"query\":\"$1\",\"fields\":[\"title^3\",\"description\",\"brand^2\"]}},\"from\":$from,\"size\":100}"
        [ "$HTTP_STATUS" = 200 ] || { echo "ERR"; return; }
        ids="$ids $(json_get "' '.join(h['_id'] for h in j['hits']['hits'])")"
        total=$(json_get "j['hits']['total']['value']")
        from=$((from + 100))
        [ "$from" -lt "$total" ] && [ "$from" -lt 10000 ] || break
    done
    echo "$ids" | tr ' ' '\n' | grep -v '^$' | sort -n | paste -sd,
}
base=$(all_ids "running shoes")
check "the unfiltered words match something" test -n "$base" -a "$base" != ERR
[ -n "$base" ] || base=0

# The category with the most in-stock 50..150 matches among them: a
# subtree root at depth 0 to 2 whose slug is unique.
cat_id=$(sql "SELECT c.id FROM categories c
              JOIN categories d ON d.path = c.path OR d.path LIKE c.path || '.%'
              JOIN products p ON p.category_id = d.id
              WHERE c.depth <= 2 AND p.id IN ($base) AND p.in_stock
                AND p.price_min BETWEEN 5000 AND 15000
                AND (SELECT count(*) FROM categories s WHERE s.slug = c.slug) = 1
              GROUP BY c.id ORDER BY count(*) DESC, c.id LIMIT 1")
cat_slug=$(sql "SELECT slug FROM categories WHERE id = $cat_id")
cat_path=$(sql "SELECT path FROM categories WHERE id = $cat_id")
diag "category $cat_id ($cat_slug, path $cat_path)"

# What the filters must leave, computed in SQL from the base.
expect_sql() {
    sql "SELECT coalesce(string_agg(p.id::text, ',' ORDER BY p.id), '') FROM products p JOIN categories c ON c.id = p.category_id
         WHERE p.id IN ($base) AND p.status = 'active' AND p.in_stock AND p.price_min BETWEEN 5000 AND 15000
           AND (c.path = '$1' OR c.path LIKE '$1.%')"
}
want=$(expect_sql "$cat_path")
diag "expected hits: $want"
check "the category leaves several hits to check" test "$(echo "$want" | tr ',' '\n' | wc -l)" -ge 5

# 1. The request by category id, all pages: exactly the SQL set.
es "$(design_body "$cat_id")"
check "DESIGN.md request (category id) -> 200" test "$HTTP_STATUS" = 200
cp "$HTTP_BODY" "$T_TMP/design.json"
pycheck "$T_TMP/design.json" "$want" <<'PY'
import json, sys
j = json.load(open(sys.argv[1]))
want = [int(x) for x in sys.argv[2].split(",") if x]
def check(cond, what):
    print(("ok - " if cond else "not ok - ") + what)
check(j["timed_out"] is False and isinstance(j["took"], int), "took and timed_out")
check(j["hits"]["total"] == {"value": len(want), "relation": "eq"},
      "hits.total is the SQL count (%d), relation eq (got %s)" % (len(want), j["hits"]["total"]))
hits = j["hits"]["hits"]
check(len(hits) == min(10, len(want)), "size defaults to 10 hits")
check(all(h["_index"] == "products" and h["_id"] == str(h["_source"]["id"]) for h in hits), "_index products, _id = _source.id as a string")
check(all(int(h["_id"]) in want for h in hits), "every hit is in the SQL set")
src_keys = {"id", "ref", "title", "brand", "price", "in_stock", "rating", "rating_count", "image", "sales_rank"}
check(all(set(h["_source"]) == src_keys for h in hits), "_source fields")
check(all(50 <= h["_source"]["price"] <= 150 and h["_source"]["in_stock"] is True for h in hits), "prices in major units within 50..150, in stock")
ok_order = all((a["_score"], -a["_source"]["sales_rank"]) >= (b["_score"], -b["_source"]["sales_rank"]) for a, b in zip(hits, hits[1:]))
check(ok_order, "sorted by _score desc, then sales_rank asc")
check(not hits or j["hits"]["max_score"] == max(h["_score"] for h in hits), "max_score is the top score")
PY

# Every page of it: the ids are exactly the SQL set.
got=""
for from in 0 100 200 300; do
    es "$(design_body "$cat_id" | sed -e 's/"sort"/"from": '$from', "size": 100, "sort"/')"
    got="$got $(json_get "' '.join(h['_id'] for h in j['hits']['hits'])")"
done
got=$(echo "$got" | tr ' ' '\n' | grep -v '^$' | sort -n | paste -sd,)
check "all pages together are exactly the SQL set" test "$got" = "$want"

# Aggregations against SQL over the same set.
es "$(design_body "$cat_id")"
brands_sql=$(sql "SELECT coalesce(json_object_agg(b, n), '{}') FROM (SELECT lower(brand) AS b, count(*) AS n FROM products WHERE id IN (${want:-0}) AND brand <> '' GROUP BY lower(brand)) s")
ranges_sql=$(sql "SELECT json_build_array(count(*) FILTER (WHERE price_min < 5000), count(*) FILTER (WHERE price_min >= 5000 AND price_min < 10000), count(*) FILTER (WHERE price_min >= 10000)) FROM products WHERE id IN (${want:-0})")
pycheck "$HTTP_BODY" "$brands_sql" "$ranges_sql" <<'PY'
import json, sys
j = json.load(open(sys.argv[1]))
brands = json.loads(sys.argv[2])
ranges = json.loads(sys.argv[3])
def check(cond, what):
    print(("ok - " if cond else "not ok - ") + what)
b = j["aggregations"]["brands"]["buckets"]
check(len(b) == min(10, len(brands)), "brands: min(10, %d) buckets (got %d)" % (len(brands), len(b)))
check(all(brands.get(x["key"].lower()) == x["doc_count"] for x in b), "brands: every doc_count is the SQL count %s" % [(x["key"], x["doc_count"], brands.get(x["key"].lower())) for x in b if brands.get(x["key"].lower()) != x["doc_count"]])
check([x["doc_count"] for x in b] == sorted((x["doc_count"] for x in b), reverse=True), "brands: biggest first")
check(not brands or b[0]["doc_count"] == max(brands.values()), "brands: the top bucket is the biggest brand")
check(j["aggregations"]["brands"]["sum_other_doc_count"] == sum(brands.values()) - sum(x["doc_count"] for x in b), "brands: sum_other_doc_count")
r = j["aggregations"]["price_ranges"]["buckets"]
check([x["key"] for x in r] == ["*-50.0", "50.0-100.0", "100.0-*"], "price_ranges: Elasticsearch's keys, in order")
check([x["doc_count"] for x in r] == ranges, "price_ranges: counts %s equal SQL %s within the price filter" % ([x["doc_count"] for x in r], ranges))
check(r[0].get("to") == 50 and "from" not in r[0] and r[1].get("from") == 50 and r[1].get("to") == 100 and r[2].get("from") == 100 and "to" not in r[2], "price_ranges: from/to in major units, open ends left out")
PY

# 2. The DESIGN.md request verbatim but for a unique slug: same answer as by id.
es "$(design_body "$cat_id")"; by_id=$(json_get "[j['hits'], j['aggregations']]")
es "$(design_body "\"$cat_slug\"")"
check "category as a slug -> 200" test "$HTTP_STATUS" = 200
check "category slug and category id give the same hits and aggregations" test "$(json_get "[j['hits'], j['aggregations']]")" = "$by_id"
# ... and "footwear" (which may name several categories) answers, not a 500.
es "$(design_body '"footwear"')"
check "the DESIGN.md request with \"footwear\" -> 200" test "$HTTP_STATUS" = 200
es "$(design_body '"no-such-category-slug"')"
check "an unknown category slug -> 200 with no hits, or a 4xx naming it" \
    bash -c "[ $HTTP_STATUS = 200 ] && grep -q '\"value\":0' $HTTP_BODY || { [ $HTTP_STATUS -ge 400 ] && [ $HTTP_STATUS -lt 500 ] && grep -q category $HTTP_BODY; }"

# 3. Other filters and sorts against SQL over the base.
brand=$(sql "SELECT min(brand) FROM products WHERE id IN ($base) AND brand <> '' GROUP BY lower(brand) ORDER BY count(*) DESC, 1 LIMIT 1")
want_b=$(sql "SELECT count(*) FROM products WHERE id IN ($base) AND status = 'active' AND lower(brand) = lower('${brand//\'/\'\'}') AND rating >= 4")
es "{\"query\":{\"bool\":{\"must\":{\"multi_match\":{\"query\":\"running shoes\",\"fields\":[\"title^3\",\"description\",\"brand^2\"]}},\"filter\":[{\"terms\":{\"brand\":[$(python3 -c 'import json,sys; print(json.dumps(sys.argv[1]))' "$brand")]}},{\"range\":{\"rating\":{\"gte\":4}}}]}},\"sort\":[{\"price\":\"asc\"}],\"size\":100}"
json_ok "j['hits']['total']['value'] == $want_b" "brand terms + rating gte 4: total is the SQL count ($want_b)"
json_ok "[h['_source']['price'] for h in j['hits']['hits'] if h['_source']['price'] is not None] == sorted(h['_source']['price'] for h in j['hits']['hits'] if h['_source']['price'] is not None)" "sort price asc"
json_ok "j['hits']['max_score'] is None and all(h['_score'] is None for h in j['hits']['hits'])" "no scores when sorted by a field"
es '{"query":{"match_all":{}},"size":0,"aggs":{"c":{"terms":{"field":"color","size":3}}}}'
colors_sql=$(sql "SELECT json_agg(n ORDER BY n DESC) FROM (SELECT count(*) AS n FROM products p, unnest(p.colors) AS k WHERE p.status = 'active' GROUP BY k ORDER BY 1 DESC LIMIT 3) s")
json_ok "j['hits']['total']['value'] == $(sql "SELECT count(*) FROM products WHERE status = 'active'") and j['hits']['hits'] == []" "match_all, size 0: the whole catalog's count, no hits"
json_ok "[b['doc_count'] for b in j['aggregations']['c']['buckets']] == $colors_sql" "colour terms size 3: the three biggest colours' SQL counts"
es '{"query":{"match_all":{}},"size":3,"sort":[{"sales_rank":"asc"}]}'
json_ok "[int(h['_id']) for h in j['hits']['hits']] == $(sql "SELECT json_agg(id ORDER BY sales_rank, id) FROM (SELECT id, sales_rank FROM products WHERE status = 'active' ORDER BY sales_rank, id LIMIT 3) s")" "match_all sorted by sales_rank: the three best sellers"

# 4. The result cache: the same body twice is a hit the second time.
es "$(design_body "$cat_id")"; es "$(design_body "$cat_id")"
check "a repeated request is served from the cache" test "$(header X-Souk-Cache)" = hit
http_json POST "$ES" "$(design_body "$cat_id")" -H 'X-Souk-Search-Cache: bypass'
check "X-Souk-Search-Cache: bypass from loopback skips the cache" test "$(header X-Souk-Cache)" = miss

# 5. Bad input: a 400 naming the clause; nothing is guessed.
es_refused '{"query":{"bool":{"should":[{"match_all":{}}]}}}' "query.bool.should is not supported"
es_refused '{"query":{"bool":{"must_not":[]}}}' "query.bool.must_not is not supported"
es_refused '{"query":{"match":{"title":"shoe"}}}' "query.match is not supported"
es_refused '{"query":{"multi_match":{"query":"shoe","fields":["title","sku"]}}}' 'unknown field "sku"'
es_refused '{"query":{"multi_match":{"query":"shoe","fields":["title^3"]}}}' "must name title, description and brand"
es_refused '{"query":{"bool":{"filter":[{"term":{"seller":"x"}}]}}}' "query.bool.filter[0].term.seller: unknown field"
es_refused '{"query":{"bool":{"filter":[{"range":{"price":{"gte":"50"}}}]}}}' "query.bool.filter[0].range.price.gte must be a number"
es_refused '{"query":{"bool":{"filter":[{"term":{"in_stock":false}}]}}}' "in_stock: false is not supported"
es_refused '{"sort":[{"title":"asc"}]}' "sort[0].title asc is not supported"
es_refused '{"sort":[{"_score":"desc"},{"price":"asc"}]}' "sort[1]"
es_refused '{"size":1000}' "size must be an integer from 0 to 100"
es_refused '{"size":"10"}' "size must be an integer"
es_refused '{"aggs":{"a":{"avg":{"field":"price"}}}}' "aggs.a.avg is not supported"
es_refused '{"aggs":{"a":{"terms":{"field":"seller"}}}}' 'terms on "seller" is not supported'
es_refused '{"query":{"bool":{"filter":{"terms":{"color":["black"]}}}},"aggs":{"k":{"terms":{"field":"color"}}}}' "aggs.k: a terms aggregation on color together with a color filter is not supported"
es_refused '{"highlight":{"fields":{}}}' "highlight is not supported"
es_refused '[1,2]' "the body must be a JSON object"
es '{"query":'
check "malformed JSON -> 400" test "$HTTP_STATUS" = 400
http POST "$ES" --data-binary 'query=x'
check "a form body -> 4xx, not a 500" bash -c "[ $HTTP_STATUS -ge 400 ] && [ $HTTP_STATUS -lt 500 ]"
http GET "$ES"
check "GET on _search -> 4xx (POST only), not a 500" bash -c "[ $HTTP_STATUS -ge 400 ] && [ $HTTP_STATUS -lt 500 ]"
es ''
check "an empty body is match_all -> 200" test "$HTTP_STATUS" = 200
# Deep nesting and 1 MB bodies: a clear 4xx, the pool keeps serving.
deep=$(python3 -c 'print("{\"query\":" * 200 + "{}" + "}" * 200)')
es "$deep"
check "200-deep nesting -> 400" test "$HTTP_STATUS" = 400
python3 -c 'import json; print(json.dumps({"query": {"multi_match": {"query": "x" * (1 << 20)}}}))' >"$T_TMP/big.json"
http POST "$ES" -H 'Content-Type: application/json' --data-binary "@$T_TMP/big.json"
check "a 1 MB body -> 413 (got $HTTP_STATUS)" test "$HTTP_STATUS" = 413
python3 -c 'import json; print(json.dumps({"query": {"multi_match": {"query": "x" * 1000000}}}))' >"$T_TMP/big.json"
http POST "$ES" -H 'Content-Type: application/json' --data-binary "@$T_TMP/big.json"
check "a 1,000,000-byte query string -> 400 (got $HTTP_STATUS)" test "$HTTP_STATUS" = 400
es "$(design_body "$cat_id")"
check "the endpoint still answers after the bad bodies" test "$HTTP_STATUS" = 200

done_testing
