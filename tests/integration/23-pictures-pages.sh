#!/usr/bin/env bash
# 23-pictures-pages: pictures drawn on first request and then served by
# nginx (WebP, immutable for a year), names Souk never gave out refused
# without writing anything, every product with three pictures, no page's
# HTML over 100 KB ("All categories" a department tree), amounts with
# thousands separators.
. "$(dirname "$0")/lib.sh"

check_sql "every demo product has three pictures" \
    "SELECT count(*) FROM products p WHERE (SELECT count(*) FROM product_images i WHERE i.product_id = p.id) <> 3 AND p.ref NOT LIKE 'T-%'" 0
check_sql "image_url is the first picture's card size" \
    "SELECT count(*) FROM products p JOIN product_images i ON i.product_id = p.id AND i.position = 0 WHERE p.image_url <> i.stem || '-card.webp'" 0
pid=$(sql "SELECT id FROM products WHERE status = 'active' ORDER BY sales_rank LIMIT 1")
stem=$(sql "SELECT stem FROM product_images WHERE product_id = $pid AND position = 1")
img=${SOUK_IMG_DIR:-$SOUK_VAR/img}
file=$img/p/${stem#/img/p/}-page.webp
rm -f "$img/p/${stem#/img/p/}"-*.webp
check_status "$stem-page.webp" 200
check "... is WebP" test "$(header Content-Type)" = image/webp
check "... cached a year, immutable" test "$(header Cache-Control)" = "public, max-age=31536000, immutable"
check "... and now on disk, that size only (the others when asked)" test -s "$file" -a ! -e "${file%-page.webp}-card.webp"
check "... a real WebP" bash -c "head -c 12 '$file' | grep -q WEBP"
check_status "$stem-thumb.webp" 200
check "... same headers" test "$(header Cache-Control)" = "public, max-age=31536000, immutable"
check_status "/img/p/$pid-1-0000000000-page.webp" 404
check "... writes nothing" test ! -e "$img/p/$pid-1-0000000000-page.webp"
http GET "/img/p/..%2f..%2fetc%2fpasswd-page.webp"
check "a path trick is refused" test "$HTTP_STATUS" = 404 -o "$HTTP_STATUS" = 400
check_status "/img/p/$pid-1-0000000000-huge.webp" 404

# ---- page sizes
for path in / /c/ "/products/$pid" "/search?q=bluetooth+speaker" \
    "/c/$(sql "SELECT id FROM categories WHERE parent_id IS NULL ORDER BY id LIMIT 1")"; do
    http GET "$path"
    n=$(wc -c <"$HTTP_BODY")
    check "$path: $n bytes of HTML, under 100 KB" test "$n" -lt 102400
done
http GET /c/
check "All categories: every department" test "$(grep -o '<details class="cat-dept">' "$HTTP_BODY" | wc -l)" = "$(sql "SELECT count(*) FROM categories WHERE parent_id IS NULL")"
check "... each with its own categories, not the deeper ones" test "$(grep -o '<li><a href="/c/' "$HTTP_BODY" | wc -l)" = "$(sql "SELECT count(*) FROM categories WHERE depth <= 1")"

# ---- money: thousands separators
big=$(sql "SELECT p.id FROM products p WHERE p.status = 'active' AND p.in_stock AND p.price_min >= 100000 ORDER BY p.price_min LIMIT 1")
if [ -n "$big" ]; then
    cents=$(sql "SELECT price_min FROM products WHERE id = $big")
    want=$(python3 -c "c=$cents; print(f'\${c//100:,}.{c%100:02d}')")
    http GET "/products/$big"
    check_body_contains "/products/$big" "$want"
else
    ok "no product over \$1,000 in this catalog (nothing to check)"
fi

done_testing
