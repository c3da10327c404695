#!/usr/bin/env bash
# 43-search-page: the storefront search page /search through nginx: totals
# and facet counts against SQL over the engine's own matches, clean URLs,
# the typo banner, pagination, and 400 pages for bad input.
. "$(dirname "$0")/lib.sh"
WORDS=sofa

# The engine's unfiltered matches for the words (ids, via _search paging):
# the base every filter is checked against in SQL.
base="" from=0
while :; do
    http_json POST /api/v1/products/_search "{\"query\":{\"multi_match\":{\"query\":\"$WORDS\"}},\"from\":$from,\"size\":100}"
    [ "$HTTP_STATUS" = 200 ] || break
    base="$base $(json_get "' '.join(h['_id'] for h in j['hits']['hits'])")"
    total=$(json_get "j['hits']['total']['value']")
    from=$((from + 100))
    [ "$from" -lt "$total" ] || break
done
base=$(echo "$base" | tr ' ' '\n' | grep -v '^$' | paste -sd,)
check "\"$WORDS\" matches products" test -n "$base"
[ -n "$base" ] || base=0
n() { sql "SELECT count(*) FROM products p JOIN categories c ON c.id = p.category_id WHERE p.id IN ($base) AND p.status = 'active' ${1:+AND $1}"; }
esc() { printf '%s' "$1" | sed -e "s/'/''/g"; }
urlenc() { python3 -c 'import sys, urllib.parse; print(urllib.parse.quote_plus(sys.argv[1]))' "$1"; }
html() { python3 -c 'import html,sys; print(html.escape(sys.argv[1]))' "$1"; }
# total_is URL N: the page says "N result(s)".
total_is() {
    http_get "$1"
    local got
    got=$(grep -o -E '[0-9,]+ results?</p>' "$HTTP_BODY" | head -n1 | tr -d ',' | grep -o -E '^[0-9]+')
    if [ "$HTTP_STATUS" = 200 ] && [ "$got" = "$2" ]; then ok "$1 shows $2 results"; else not_ok "$1 shows $2 results (got '${got}')" "$(_http_diag)"; fi
}
# facet_count NAME VALUE: the count next to a checkbox in the last page.
facet_count() {
    python3 - "$HTTP_BODY" "$1" "$2" <<'PY'
import html, re, sys
body, name, value = open(sys.argv[1], encoding="utf-8").read(), sys.argv[2], sys.argv[3]
m = re.search(r'name="%s" value="%s"[^>]*> <span class="check-text">[^<]*</span> <span class="count">([0-9,]+)</span>'
              % (re.escape(name), re.escape(html.escape(value))), body)
print(m.group(1).replace(",", "") if m else "none")
PY
}

# The search box is on every page.
check_body_contains / 'action="/search"'
check_body_contains /c/ 'name="q"'

# Totals against SQL, filter by filter.
all=$(n)
total_is "/search?q=$WORDS" "$all"
# Brands match without regard to case (the engine folds them).
brand=$(sql "SELECT min(brand) FROM products WHERE id IN ($base) AND brand <> '' GROUP BY lower(brand) ORDER BY count(*) DESC, 1 LIMIT 1")
other=$(sql "SELECT min(brand) FROM products WHERE id IN ($base) AND brand <> '' AND lower(brand) <> lower('$(esc "$brand")') GROUP BY lower(brand) ORDER BY count(*) DESC, 1 LIMIT 1")
diag "brands: $brand, $other"
total_is "/search?q=$WORDS&brand=$(urlenc "$brand")" "$(n "lower(p.brand) = lower('$(esc "$brand")')")"
total_is "/search?q=$WORDS&brand=$(urlenc "$brand")&brand=$(urlenc "$other")" "$(n "lower(p.brand) IN (lower('$(esc "$brand")'), lower('$(esc "$other")'))")"
total_is "/search?q=$WORDS&min=50&max=150" "$(n "p.price_min BETWEEN 5000 AND 15000")"
total_is "/search?q=$WORDS&min=49.99" "$(n "p.price_min >= 4999")"
total_is "/search?q=$WORDS&in_stock=1" "$(n "p.in_stock")"
total_is "/search?q=$WORDS&rating_min=4" "$(n "p.rating >= 4")"
total_is "/search?q=$WORDS&brand=$(urlenc "$brand")&min=50&max=150&in_stock=1" \
    "$(n "lower(p.brand) = lower('$(esc "$brand")') AND p.price_min BETWEEN 5000 AND 15000 AND p.in_stock")"

# Disjunctive facets: with one brand ticked the other brand still shows
# its own count (under the other filters).
http_get "/search?q=$WORDS&brand=$(urlenc "$brand")&min=50&max=150"
check "brand facet: the ticked brand counts its products in the price range" \
    test "$(facet_count brand "$brand")" = "$(n "lower(p.brand) = lower('$(esc "$brand")') AND p.price_min BETWEEN 5000 AND 15000")"
want_other=$(n "lower(p.brand) = lower('$(esc "$other")') AND p.price_min BETWEEN 5000 AND 15000")
if [ "$want_other" -gt 0 ]; then
    check "brand facet: another brand keeps its count ($want_other) while $brand is ticked" test "$(facet_count brand "$other")" = "$want_other"
fi
check "the ticked brand's box is checked" grep -q -F "value=\"$(html "$brand")\" checked" "$HTTP_BODY"
check "the price inputs show the dollars" grep -q -F 'value="150"' "$HTTP_BODY"
check "a chip removes the brand" grep -q -F "href=\"/search?q=$WORDS&amp;min=50&amp;max=150\" aria-label=\"Remove Brand" "$HTTP_BODY"

# Category facet: a child's count is its subtree within the matches.
http_get "/search?q=$WORDS"
child=$(grep -o -E 'href="/search\?q=[^"&]*&amp;category=[0-9]+">[^<]*<span class="count">[0-9,]+' "$HTTP_BODY" | head -n1)
cid=$(echo "$child" | sed -E 's/.*category=([0-9]+).*/\1/')
ccount=$(echo "$child" | sed -E 's/.*"count">([0-9,]+)/\1/' | tr -d ,)
check "a department link is offered" test -n "$cid"
cpath=$(sql "SELECT path FROM categories WHERE id = ${cid:-0}")
check "department facet count = its subtree's matches in SQL" test "$ccount" = "$(n "(c.path = '$cpath' OR c.path LIKE '$cpath.%')")"
total_is "/search?q=$WORDS&category=$cid" "$ccount"
check_body_contains "/search?q=$WORDS&category=$cid" "$(html "$(sql "SELECT name FROM categories WHERE id = $cid")")"

# Sorting and pagination.
http_get "/search?q=$WORDS&sort=price_asc"
prices=$(grep -o -E 'class="price">\$[0-9,.]+' "$HTTP_BODY" | sed -e 's/.*\$//' -e 's/,//g')
check "sort=price_asc: prices ascend" test "$prices" = "$(echo "$prices" | sort -g)"
check "the sort menu shows the choice" grep -q 'value="price_asc" selected' "$HTTP_BODY"
if [ "$all" -gt 24 ]; then
    check_body_contains "/search?q=$WORDS&page=2" "Showing 25&ndash;"
    check_body_contains "/search?q=$WORDS" 'href="/search?q='$WORDS'&amp;page=2" rel="next"'
fi
check_body_contains "/search?q=$WORDS&page=400" "Nothing on page 400"
check_status "/search?q=$WORDS&page=9999" 400
check "deep pages are refused with the limit named" grep -q "page must be at most 416" "$HTTP_BODY"
# No words, a category: the whole category.
total_is "/search?category=$cid" "$(sql "SELECT count(*) FROM products p JOIN categories c ON c.id = p.category_id WHERE p.status = 'active' AND (c.path = '$cpath' OR c.path LIKE '$cpath.%')")"

# Clean, shareable addresses: a form submission is redirected once.
check_status "/search?q=$WORDS&min=&max=&rating_min=&brand=$(urlenc "$brand")" 302
check "redirected to the clean address" test "$(header Location)" = "/search?q=$WORDS&brand=$(urlenc "$brand")"
check_status "/search?sort=price_asc&q=$WORDS" 302
check "parameters in one order" test "$(header Location)" = "/search?q=$WORDS&sort=price_asc"
check_status "/search?q=$WORDS&per_page=24&page=1" 302
check "defaults left out" test "$(header Location)" = "/search?q=$WORDS"
check_body_contains "/search?q=$WORDS&brand=$(urlenc "$brand")" "<link rel=\"canonical\" href=\"/search?q=$WORDS&amp;brand="

# Typo tolerance: the banner, and the way back to the words as typed.
check_body_contains "/search?q=${WORDS}aa" "Showing results for"
check_body_contains "/search?q=${WORDS}aa" "href=\"/search?q=${WORDS}aa&amp;exact=1\""
check_body_contains "/search?q=${WORDS}aa&exact=1" "No results for &ldquo;${WORDS}aa&rdquo;"

# Hostile and broken input: escaped, or a 400 page saying why.
check_body_contains "/search?q=%3Cscript%3Ealert%281%29%3C%2Fscript%3E" "&lt;script&gt;alert(1)&lt;/script&gt;"
check_body_lacks "/search?q=%3Cscript%3Ealert%281%29%3C%2Fscript%3E" "<script>alert"
check_status "/search?q=a(b)" 302
check_status "/search?q=%27%3B+DROP+TABLE+products%3B+--" 200
check_status "/search?q=%26%7C%21%3A*%28%29" 200
check_status '/search?q=%22unbalanced' 200
check_status "/search?q=$WORDS&min=cheap" 400
check "the 400 page says what is wrong" grep -q "min must be a price in dollars" "$HTTP_BODY"
check_status "/search?q=$WORDS&min=-5" 400
check_status "/search?q=$WORDS&max=1.234" 400
check_status "/search?q=$WORDS&min=200&max=100" 400
check "min above max is named" grep -q "the lowest price is above the highest" "$HTTP_BODY"
check_status "/search?q=$WORDS&per_page=1000" 400
check_status "/search?q=$WORDS&page=0" 400
check_status "/search?q=$WORDS&sort=cheapest" 400
check_status "/search?q=$WORDS&rating_min=9" 400
check_status "/search?q=$(head -c 300 /dev/zero | tr '\0' a)" 400
check_status "/search?q=a%01b" 400
check_status "/search?q=a%ffb" 400
check "still serving after the bad input" bash -c "curl -s -o /dev/null -w '%{http_code}' '$SOUK_URL/search?q=$WORDS' | grep -q 200"

done_testing
