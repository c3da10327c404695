#!/usr/bin/env bash
# 20-storefront: the HTML pages through nginx: content from the database,
# the anonymous page cache, and clear 4xx pages for bad input.
. "$(dirname "$0")/lib.sh"
nocache=(-H 'Cookie: souk_session=integration')

root=$(sql "SELECT r.id FROM categories r JOIN categories c ON c.path LIKE r.path || '.%' JOIN products p ON p.category_id = c.id WHERE r.parent_id IS NULL GROUP BY r.id ORDER BY count(*) DESC LIMIT 1")
rootname=$(sql "SELECT name FROM categories WHERE id = $root")
leaf=$(sql "SELECT c.id FROM categories c WHERE c.depth >= 2 AND EXISTS (SELECT 1 FROM products p WHERE p.category_id = c.id) ORDER BY c.id LIMIT 1")
leafpath=$(sql "SELECT path FROM categories WHERE id = $leaf")
pid=$(sql "SELECT p.id FROM products p WHERE p.in_stock AND p.category_id = $leaf ORDER BY p.sales_rank LIMIT 1")
title=$(sql "SELECT title FROM products WHERE id = $pid")
html() { python3 -c 'import html,sys; print(html.escape(sys.argv[1], quote=False))' "$1"; }

check_body_contains / "Best sellers"
best=$(sql "SELECT title FROM products WHERE status = 'active' AND in_stock ORDER BY sales_rank, id LIMIT 1")
check_body_contains / "$(html "$best")"
check_body_contains / "$(html "$rootname")"

# Category page: breadcrumbs of the whole path, the subtree's count.
total=$(sql "SELECT count(*) FROM products p JOIN categories c ON c.id = p.category_id WHERE (c.path = '$leafpath' OR c.path LIKE '$leafpath.%') AND p.status = 'active'")
check_body_contains "/c/$leaf" "of $total product"
for anc in $(echo "$leafpath" | tr '.' ' '); do
    name=$(sql "SELECT name FROM categories WHERE id = $anc")
    check_body_contains "/c/$leaf" "$(html "$name")"
done
check_body_contains "/c/$leaf/any-slug-works" "$(html "$title")"
check_body_contains "/c/$root?sort=price_desc&page=2" "Showing 25"

# Product page: title, Buy Box price from the cheapest in-stock offer.
price=$(sql "SELECT o.price FROM offers o JOIN product_variants v ON v.id = o.variant_id
             WHERE v.product_id = $pid AND (SELECT sum(quantity_available) FROM inventory WHERE sku_id = o.id) > 0
             ORDER BY v.position, v.id, o.price + o.shipping, o.id LIMIT 1")
check_body_contains "/products/$pid" "$(html "$title")"
check_body_contains "/products/$pid/some-slug" "\$$((price / 100)).$(printf %02d $((price % 100)))"
check_body_contains "/products/$pid" "Other sellers"
check_body_lacks "/products/$pid" "m.media-amazon.com"

# nginx caches anonymous pages and bypasses the cache for sessions.
http_get "/products/$pid"; http_get "/products/$pid"
check "second anonymous product page is a cache HIT" test "$(header X-Cache-Status)" = HIT
http_get "/products/$pid" "${nocache[@]}"
check "a session cookie bypasses the page cache" test "$(header X-Cache-Status)" = BYPASS
check_header /static/souk.css Cache-Control 'max-age=[0-9]+'

# Bad input: an HTML page that says what is wrong, never a 500.
check_status /c/abc 400 GET "${nocache[@]}"
check "the 400 page names the parameter" grep -q "must be a positive integer" "$HTTP_BODY"
check_status /c/999999999 404 GET "${nocache[@]}"
check_status "/c/$root?page=-1" 400 GET "${nocache[@]}"
check "the page error explains the range" grep -q "page must be an integer from 1 to" "$HTTP_BODY"
check_status "/c/$root?per_page=10000" 400 GET "${nocache[@]}"
check_status "/c/$root?sort=cheapest" 400 GET "${nocache[@]}"
check_status "/c/$root?page=9999" 200 GET "${nocache[@]}"
check_status /products/0 400 GET "${nocache[@]}"
check_status /products/99999999 404 GET "${nocache[@]}"
check_status "/products/$pid?variant=abc" 400 GET "${nocache[@]}"
check_status "/products/%zz" 400 GET "${nocache[@]}"
check_status "/c/$root?sort=%ff" 400 GET "${nocache[@]}"
check_status "/products/$pid" 405 POST "${nocache[@]}"
check_status /nope 404 GET "${nocache[@]}"
check "error pages are HTML" sh -c "grep -q '<html' '$HTTP_BODY'"
done_testing
