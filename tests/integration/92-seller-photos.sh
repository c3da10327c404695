#!/usr/bin/env bash
# 92-seller-photos: a seller's photos of their own product, by page and by
# API — JPEG (with EXIF GPS), PNG and WebP uploads written in the demo
# pictures' sizes (WebP, right dimensions, no metadata) and shown on the
# product page at once; corrupt, text, GIF, over 10 MB, a 50 MB upload
# (nginx's 413 page), a decompression bomb, no CSRF token, another
# seller's product: refused with a message, no row and no file written;
# at most 9; make first; delete (files too), the drawn tiles come back.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/web-lib.sh"
. "$(dirname "$0")/seller-lib.sh"

command -v vips >/dev/null && command -v vipsheader >/dev/null ||
    { not_ok "vips and vipsheader (libvips-tools, bin/souk deps test) are installed"; done_testing; }
run=$(date +%s%N)
IMG=${SOUK_IMG_DIR:-$SOUK_VAR/img}
cat_id=$(sql "SELECT id FROM categories WHERE parent_id IS NOT NULL ORDER BY id LIMIT 1")
mk_product() { # SELLER TITLE: prints the product id (a variant and an offer with it)
    sql "WITH p AS (INSERT INTO products (ref, title, brand, category_id, seller_id, sales_rank)
                    VALUES ('T-PH-$run-' || md5(random()::text), '$2', 'Photo Co', $cat_id, $1, 999999) RETURNING id),
              v AS (INSERT INTO product_variants (product_id, sku, price) SELECT id, 'PHV-' || md5(random()::text), 2500 FROM p RETURNING id, product_id),
              o AS (INSERT INTO offers (variant_id, seller_id, sku, price, fulfillment) SELECT id, $1, 'PHO-' || md5(random()::text), 2500, 'FBM' FROM v)
         SELECT product_id FROM v"
}
seller_new "Photo A $run"; A=$SELLER_ID A_KEY=$SELLER_KEY
seller_new "Photo B $run"; B=$SELLER_ID B_KEY=$SELLER_KEY
seller_account "ph-a-$run@example.test" "Ph-a-pass-$run" "$A"
pa=$(mk_product "$A" "Camera strap $run")
pb=$(mk_product "$B" "Lens cap $run")
check "two products ($pa of A, $pb of B)" test -n "$pa" -a -n "$pb"
# the pictures folder outlives a throwaway database (bin/souk test), whose
# product ids start over: files an earlier run uploaded for these ids go
rm -f "$IMG/p/$pa-u"* "$IMG/p/$pb-u"*

# ---- the pictures: made with libvips' command line
T=$T_TMP
vips black "$T/b.v" 1200 900 --bands 3 && vips linear "$T/b.v" "$T/c.v" 1 120 &&
    vips jpegsave "$T/c.v" "$T/plain.jpg" --strip
vips black "$T/w.v" 640 200 --bands 3 && vips linear "$T/w.v" "$T/w2.v" 1 60 && vips pngsave "$T/w2.v" "$T/wide.png"
vips black "$T/t.v" 300 500 --bands 3 && vips webpsave "$T/t.v" "$T/tall.webp"
head -c "$(($(stat -c %s "$T/plain.jpg") / 2))" "$T/plain.jpg" >"$T/corrupt.jpg"
printf 'just some text, not a picture\n' >"$T/notes.txt"
printf 'GIF89a\001\000\001\000\000\000\000;' >"$T/tiny.gif"
python3 - "$T" <<'PY'
import struct, sys, zlib
d = sys.argv[1]
# a camera's EXIF (Artist, a GPS IFD) spliced in after SOI as APP1
jpg = open(d + "/plain.jpg", "rb").read()
tiff = (b"II*\x00" + struct.pack("<I", 8) + struct.pack("<H", 2)
        + struct.pack("<HHII", 0x013B, 2, 17, 56)          # Artist at 56
        + struct.pack("<HHII", 0x8825, 4, 1, 38)           # GPS IFD at 38
        + struct.pack("<I", 0)
        + struct.pack("<H", 1) + struct.pack("<HHI", 1, 2, 2) + b"N\x00\x00\x00"  # GPSLatitudeRef N
        + struct.pack("<I", 0) + b"SOUK-EXIF-ARTIST\x00")
app1 = b"Exif\x00\x00" + tiff
open(d + "/exif.jpg", "wb").write(jpg[:2] + b"\xff\xe1" + struct.pack(">H", len(app1) + 2) + app1 + jpg[2:])
# over 10 MB (10.5) yet under nginx's 11 MB: the pool's own check answers
open(d + "/big.jpg", "wb").write(b"\xff\xd8\xff\xe0" + b"\x00" * (10 * 1024 * 1024 + 512 * 1024))
# a decompression bomb: 10000 x 8000 one-bit grey (80 megapixels) in ~10 KB
w, h = 10000, 8000
raw = (b"\x00" + b"\x00" * (w // 8)) * h
def chunk(t, b):
    return struct.pack(">I", len(b)) + t + b + struct.pack(">I", zlib.crc32(t + b) & 0xffffffff)
png = (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", w, h, 1, 0, 0, 0, 0))
       + chunk(b"IDAT", zlib.compress(raw, 6)) + chunk(b"IEND", b""))
open(d + "/bomb.png", "wb").write(png)
PY
head -c $((50 * 1024 * 1024)) /dev/zero >"$T/huge.jpg"
check "the test JPEG carries EXIF with a GPS block" bash -c "vipsheader -a '$T/exif.jpg' | grep -q 'exif-ifd3-GPSLatitudeRef' && grep -q SOUK-EXIF-ARTIST '$T/exif.jpg'"
check "the bomb is small ($(stat -c %s "$T/bomb.png") bytes) and says 10000x8000" bash -c "test $(stat -c %s "$T/bomb.png") -lt 100000 && vipsheader '$T/bomb.png' | grep -q '10000x8000'"

files_of() { find "$IMG/p" -maxdepth 1 -name "$1-u*" 2>/dev/null | wc -l; }
rows_of() { sql "SELECT count(*) FROM product_images WHERE product_id = $1 AND source = 'upload'"; }
dims() { vipsheader "$1" 2>/dev/null | sed -n 's/.* \([0-9]*\)x\([0-9]*\) .*/\1x\2/p'; }
# upload FILE TYPE [PRODUCT]: the page's form as a browser posts it (CSRF from the last page)
upload() { web POST "/seller/products/${3:-$pa}/photos" -F "csrf=$(page_csrf)" -F "photo=@$1;type=$2"; }

use_jar a
login "ph-a-$run@example.test" "Ph-a-pass-$run"
A_SKU=$(sql "SELECT o.id FROM offers o JOIN product_variants v ON v.id = o.variant_id WHERE v.product_id = $pa")
web GET "/seller/listings/$A_SKU"
check_http "A's listing page" 200
check_body "... offers the photo form for A's own product" "action=\"/seller/products/$pa/photos\" enctype=\"multipart/form-data\""
web GET "/seller/products/$pa/photos"
check_http "A's photos page" 200
check_body "... the upload form" 'name="photo" type="file" accept="image/jpeg,image/png,image/webp"'

# ---- JPEG with EXIF, by page
upload "$T/exif.jpg" image/jpeg
check_http "upload a JPEG" 303
check "... back to the photos page" test "$(header Location)" = "/seller/products/$pa/photos?added=1"
stem=$(sql "SELECT stem FROM product_images WHERE product_id = $pa AND position = 0 AND source = 'upload'")
check "... a row at position 0 (stem $stem)" test -n "$stem"
name=${stem#/img/p/}
check_sql "... the product's image_url is its card size" "SELECT image_url FROM products WHERE id = $pa" "$stem-card.webp"
for s in thumb:96x72 card:320x240 page:800x600; do
    f=$IMG/p/$name-${s%%:*}.webp
    check "... $s: $f is WebP at ${s#*:}" bash -c "head -c 12 '$f' | grep -q WEBP && test \"\$(vipsheader '$f' | sed -n 's/.* \([0-9]*x[0-9]*\) .*/\1/p')\" = '${s#*:}'"
    check "... ${s%%:*} carries no EXIF (no GPS, no artist)" bash -c "! vipsheader -a '$f' | grep -qi exif && ! grep -q -e SOUK-EXIF-ARTIST -e Exif '$f'"
done
web GET "/seller/products/$pa/photos?added=1"
check_body "the page shows the photo" "$stem-card.webp"
check_body "... says it was added" "Photo added."

# the storefront shows it at once (the cached document was dropped);
# signed in, so nginx's page cache is bypassed as for the seller
web GET "/products/$pa"
check_http "the product page" 200
check_body "... its main picture is the upload" "id=\"g-main\" src=\"$stem-page.webp\""
check_body "... with a srcset of the card and page sizes" "srcset=\"$stem-card.webp 320w, $stem-page.webp 800w\""
http GET "$stem-page.webp"
check "the picture is served: 200 image/webp, immutable" test "$HTTP_STATUS|$(header Content-Type)|$(header Cache-Control)" = "200|image/webp|public, max-age=31536000, immutable"

# ---- PNG and WebP
web GET "/seller/products/$pa/photos"
upload "$T/wide.png" image/png
check_http "upload a PNG" 303
web GET "/seller/products/$pa/photos"
upload "$T/tall.webp" image/webp
check_http "upload a WebP" 303
check_sql "three photos in order" "SELECT string_agg(position::text, ',' ORDER BY position) FROM product_images WHERE product_id = $pa" "0,1,2"
png=$(sql "SELECT substr(stem, 8) FROM product_images WHERE product_id = $pa AND position = 1")
webp=$(sql "SELECT substr(stem, 8) FROM product_images WHERE product_id = $pa AND position = 2")
check "the PNG's page size is 640x200 (never enlarged)" test "$(dims "$IMG/p/$png-page.webp")" = 640x200
check "the WebP's card size is 192x320" test "$(dims "$IMG/p/$webp-card.webp")" = 192x320

# ---- refused: a message, no row, no file
nfiles=$(files_of "$pa") nrows=$(rows_of "$pa")
refused() { # DESCRIPTION STATUS TEXT
    check_http "$1" "$2"
    check_body "... says: $3" "$3"
    check "... no row, no file written" test "$(rows_of "$pa")|$(files_of "$pa")" = "$nrows|$nfiles"
}
web GET "/seller/products/$pa/photos"
upload "$T/corrupt.jpg" image/jpeg
refused "a truncated JPEG" 400 "it may be truncated or damaged"
upload "$T/notes.txt" text/plain
refused "a text file" 400 "The file is not a JPEG, PNG or WebP image."
upload "$T/notes.txt" image/jpeg
refused "a text file sent as image/jpeg" 400 "The file is not a JPEG, PNG or WebP image."
upload "$T/tiny.gif" image/gif
refused "a GIF" 400 "The file is not a JPEG, PNG or WebP image."
upload "$T/big.jpg" image/jpeg
refused "10.5 MB" 400 "The image is larger than 10 MB."
upload "$T/bomb.png" image/png
refused "an 80-megapixel PNG of a few KB" 400 "The image is larger than 40 megapixels."
upload "$T/huge.jpg" image/jpeg
refused "a 50 MB upload: nginx's 413 page" 413 "A photo may be at most 10 MB"
check "... an HTML page with a way back" bash -c "grep -q '<a href=\"/seller/products/$pa/photos\">' '$HTTP_BODY' && test \"\$(awk -F': ' '\$1 == \"content-type\" {print \$2}' '$HTTP_HEADERS')\" = 'text/html; charset=utf-8'"
web GET "/seller/products/$pa/photos"
web POST "/seller/products/$pa/photos" -F "photo=@$T/plain.jpg;type=image/jpeg"
refused "no CSRF token" 403 "Forbidden"
web GET "/seller/products/$pa/photos"
web POST "/seller/products/$pa/photos" -F "csrf=$(page_csrf)" -F "photo=@/dev/null;filename=empty.jpg;type=image/jpeg"
refused "an empty file" 400 "Choose a photo to upload"
web POST "/seller/products/$pa/photos" -H "Content-Type: application/x-www-form-urlencoded" --data "csrf=$(page_csrf)"
refused "not a form upload" 400 "multipart/form-data"
# a body over 1 MB anywhere else is still nginx's 413 (1 MB)
head -c $((2 * 1024 * 1024)) /dev/zero >"$T/2mb"
web POST /seller/inventory-file -F "csrf=$(page_csrf)" -F "file=@$T/2mb;type=text/csv"
check_http "2 MB to the inventory file (not a photo route)" 413

# ---- another seller's product: 404, nothing written
web GET "/seller/products/$pa/photos"
upload "$T/plain.jpg" image/jpeg "$pb"
check_http "A uploads to B's product" 404
check "... no row, no file for B's product" test "$(rows_of "$pb")|$(files_of "$pb")" = "0|0"
web GET "/seller/products/$pb/photos"
check_http "A opens B's photos page" 404
check "... shows nothing of it" bash -c "! grep -q 'Lens cap $run' '$HTTP_BODY'"
post_form "/seller/products/$pb/photos/$name/first" "/seller/products/$pa/photos"
check_http "A reorders B's product with A's photo name" 404
post_form "/seller/products/$pa/photos/$pb-u0000000000000000/delete" "/seller/products/$pa/photos"
check_http "A deletes a photo name that is not one of the product's" 404
web GET "/seller/listings/$(sql "SELECT o.id FROM offers o JOIN product_variants v ON v.id = o.variant_id WHERE v.product_id = $pb")"
check_http "B's listing page for A" 404

# ---- the API (raw body)
SELLER_KEY=$A_KEY
sapi_img() { http POST "/api/v1/seller/products/$1/photos" -H "Authorization: Bearer ${3:-$A_KEY}" -H "Content-Type: $2" --data-binary @"$4"; }
sapi_img "$pa" image/jpeg "" "$T/plain.jpg"
check_http "API: a JPEG" 201
api_name=$(grep -o '"photo":{"name":"[A-Za-z0-9-]*"' "$HTTP_BODY" | sed 's/.*"name":"//; s/"$//')
check "API: 201 with the new photo (position 3 of 4) and its URLs" grep -q "\"photo\":{\"name\":\"$api_name\",\"position\":3,\"source\":\"upload\",\"urls\":{\"thumb\":\"/img/p/$api_name-thumb.webp\",\"card\":\"/img/p/$api_name-card.webp\",\"page\":\"/img/p/$api_name-page.webp\"}}" "$HTTP_BODY"
check "API: ... and the list of four" test "$(grep -o '"position":' "$HTTP_BODY" | wc -l)" = 5
check "API: its page size exists" test -s "$IMG/p/$api_name-page.webp"
sapi_img "$pa" text/plain "" "$T/plain.jpg"
check_http "API: Content-Type text/plain" 415
sapi_img "$pa" image/png "" "$T/notes.txt"
check_http "API: text as image/png" 400
check_body "API: says bad_image" '"code":"bad_image"' 
sapi_img "$pb" image/jpeg "" "$T/plain.jpg"
check_http "API: A's key on B's product" 404
sapi_img "$pa" image/jpeg "$B_KEY" "$T/plain.jpg"
check_http "API: B's key on A's product" 404
http POST "/api/v1/seller/products/$pa/photos" -H "Content-Type: image/jpeg" --data-binary @"$T/plain.jpg"
check_http "API: no key" 401
check "API: B's product still has nothing" test "$(rows_of "$pb")|$(files_of "$pb")" = "0|0"
head -c $((12 * 1024 * 1024)) /dev/zero >"$T/12mb.jpg"
sapi_img "$pa" image/jpeg "" "$T/12mb.jpg"
check_http "API: 12 MB" 413
check_body "API: the 413 says 10 MB" '{"error":{"code":"too_large","message":"the photo is larger than 10 MB"}}' 

# ---- at most 9
# (rows 4..8 stand for five more uploads: the limit counts rows)
sql "INSERT INTO product_images (product_id, position, stem, source)
     SELECT $pa, g, '/img/p/$pa-ufill' || g, 'upload' FROM generate_series(4, 8) g" >/dev/null
nfiles=$(files_of "$pa") nrows=$(rows_of "$pa")
check "nine rows, 12 files" test "$nrows|$nfiles" = "9|12"
sapi_img "$pa" image/png "" "$T/wide.png"
check_http "API: a tenth" 409
check_body "API: says at most 9" "A product has at most 9 photos; delete one before adding another."
web GET "/seller/products/$pa/photos"
check_body "the page says it is full" 'id="photos-full"'
upload "$T/wide.png" image/png
refused "a tenth by page" 409 "at most 9 photos"

# ---- make first, by page
post_form "/seller/products/$pa/photos/$webp/first" "/seller/products/$pa/photos"
check_http "make the WebP the main picture" 303
check_sql "... it is at position 0, the others after it in their order" \
    "SELECT string_agg(substr(stem, 8), ',' ORDER BY position) FROM (SELECT stem, position FROM product_images WHERE product_id = $pa AND position < 3) x" "$webp,$name,$png"
check_sql "... positions 0..8" "SELECT string_agg(position::text, ',' ORDER BY position) FROM product_images WHERE product_id = $pa" "0,1,2,3,4,5,6,7,8"
check_sql "... image_url follows" "SELECT image_url FROM products WHERE id = $pa" "/img/p/$webp-card.webp"
web GET "/products/$pa"
check_body "... the product page shows it first at once" "id=\"g-main\" src=\"/img/p/$webp-page.webp\""

# ---- delete, by page: the row and its files
post_form "/seller/products/$pa/photos/$name/delete" "/seller/products/$pa/photos"
check_http "delete the JPEG" 303
check_sql "... its row is gone, the rest closed up" "SELECT count(*) || ':' || max(position) FROM product_images WHERE product_id = $pa AND stem <> '$stem'" "8:7"
check "... its files are gone" test "$(find "$IMG/p" -maxdepth 1 -name "$name-*" | wc -l)" = 0
check "... the others' files stay" test "$(files_of "$pa")" = 9
web GET "/products/$pa"
check_body_absent() { if grep -q -F -- "$2" "$HTTP_BODY"; then not_ok "$1"; else ok "$1"; fi; }
check_body_absent "... the product page no longer shows it" "$name"

# ---- delete all (API): the drawn tiles come back
sql "DELETE FROM product_images WHERE product_id = $pa AND stem LIKE '%-ufill%'" >/dev/null
for n in $(sql "SELECT substr(stem, 8) FROM product_images WHERE product_id = $pa"); do
    http DELETE "/api/v1/seller/products/$pa/photos/$n" -H "Authorization: Bearer $A_KEY"
done
check_http "API: delete the last photo" 200
check_sql "the product has its three drawn tiles again" "SELECT string_agg(source || position, ',' ORDER BY position) FROM product_images WHERE product_id = $pa" "tile0,tile1,tile2"
check "no upload file of the product is left" test "$(files_of "$pa")" = 0
check_sql "image_url is the first tile's card" "SELECT count(*) FROM products p JOIN product_images i ON i.product_id = p.id AND i.position = 0 WHERE p.id = $pa AND p.image_url = i.stem || '-card.webp'" 1
web GET "/seller/products/$pa/photos"
check_body "the page says the drawn pictures show until a photo is added" 'id="photos-tiles"'
# the first photo again replaces the tiles
upload "$T/plain.jpg" image/jpeg
check_http "a photo again" 303
check_sql "... the tiles gave way" "SELECT string_agg(source || position, ',') FROM product_images WHERE product_id = $pa" "upload0"

done_testing
