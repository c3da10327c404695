#!/usr/bin/env bash
# 84-flash-pages: the waiting room's HTML (the deal, joining with the
# form, the pre-queue page with its polling script and meta refresh
# fallback, 404 for an unknown sale, buying without a pass -> 403, a
# forged CSRF token -> 403), the product page's deal, the admin pages,
# and nginx's limits on joining from one address (429 + Retry-After).
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/buy-lib.sh"
. "$(dirname "$0")/web-lib.sh"
LIMITED=127.0.0.2

pycheck "$(dirname "$0")" <<'PY'
import re, sys, time
sys.path.insert(0, sys.argv[1])
from flashlib import *

ok = Checks()
sku = make_sku(10, price=12900)
sale = create_sale(sku, 4, price=4999, starts="now+1h", ends="now+2h", prequeue="now", limit=1)
pid = sql("SELECT v.product_id FROM offers o JOIN product_variants v ON v.id = o.variant_id WHERE o.id = %d" % sku)
v = Visitor()
st, j, raw, h = v.req("GET", "/flash/%d" % sale)
html = raw.decode()
ok("GET /flash/{id}: the deal and Join the line", st == 200 and "$49.99" in html and 'id="join"' in html
   and "private" in h.get("cache-control", ""), html[:300])
st, j, raw, h = v.req("POST", "/flash/%d/join" % sale, "csrf=", headers={
    "Content-Type": "application/x-www-form-urlencoded", "Origin": "https://evil.example"})
ok("joining from another site -> 403", st == 403, raw[:200])
st, j, raw, h = v.req("POST", "/flash/%d/join" % sale, "csrf=", headers={
    "Content-Type": "application/x-www-form-urlencoded", "Sec-Fetch-Site": "same-origin"})
ok("joining with the form -> 303 to the waiting page", st == 303 and h.get("location", "").endswith("/flash/%d" % sale), h)
st, j, raw, h = v.req("GET", "/flash/%d" % sale)
html = raw.decode()
ok("the pre-queue page: countdown, polling script, meta refresh without JavaScript",
   st == 200 and 'id="prequeue"' in html and 'id="countdown"' in html and "/static/flash.js" in html
   and '<noscript><meta http-equiv="refresh" content="5"></noscript>' in html, html[-1500:])
ok("the ticket cookie came with the redirect", "souk_flash_t%d" % sale in v.cookies)
st, j, raw, h = v.req("POST", "/flash/%d/join" % sale, "csrf=0000", headers={
    "Content-Type": "application/x-www-form-urlencoded"})
ok("a forged CSRF token -> 403", st == 403)
csrf = re.search(r'name="csrf" value="([0-9a-f]+)"', v.req("GET", "/flash/%d" % sale)[2].decode() + v.req("GET", "/login")[2].decode())
st, j, raw, h = v.req("POST", "/flash/%d/buy" % sale, "csrf=%s&qty=1" % (csrf.group(1) if csrf else ""),
                      headers={"Content-Type": "application/x-www-form-urlencoded"})
ok("buying before admission -> 403 (page)", st == 403 and b"/flash/%d" % sale in raw, raw[:300])
st, j, raw, h = v.req("GET", "/flash/999999999")
ok("unknown sale page -> 404", st == 404)
st, j, raw, h = v.req("GET", "/flash/abc")
ok("a sale id that is not a number -> 400 or 404", st in (400, 404))
st, j, raw, h = Visitor().req("GET", "/products/%s" % pid)
if st in (301, 302, 308):
    st, j, raw, h = Visitor().req("GET", h["location"].replace(BASE, ""))
html = raw.decode()
ok("the product page shows the deal with Join the line instead of Add to cart",
   st == 200 and 'id="flash-deal"' in html and 'href="/flash/%d"' % sale in html and "$49.99" in html
   and 'class="add-cart"' not in html, html[:200])
js = Visitor().req("GET", "/static/flash.js")
ok("static/flash.js is served", js[0] == 200 and b"/api/v1/flash/" in js[2])
PY

# ---- admin pages
admin_email="flash-admin-$(date +%s%N)@example.com"
SOUK_USER_PASSWORD='Flash-admin-pass-9' "$SOUK_CTL" add-user "$admin_email" admin >/dev/null
use_jar admin
login "$admin_email" 'Flash-admin-pass-9'
web GET /admin/flash
check "GET /admin/flash as admin -> 200 with the create form (got $HTTP_STATUS)" test "$HTTP_STATUS" = 200
check_body "the create form" 'id="flash-create"'
fsku=$(make_sku fa "1:20" 3000)
post_form /admin/flash - "sku=$fsku" units=5 price=1500 starts=2030-01-01T10:00 ends=2030-01-01T12:00
check "creating a sale on the admin page -> 303 to its dashboard (got $HTTP_STATUS)" test "$HTTP_STATUS" = 303
fsale=$(sql "SELECT max(id) FROM flash_sales WHERE sku_id = $fsku")
check_sql "... the sale and its units set aside" "SELECT units || '|' || (SELECT sum(quantity_available) FROM inventory WHERE sku_id = $fsku) FROM flash_sales WHERE id = ${fsale:-0}" "5|15"
web GET "/admin/flash/${fsale:-0}"
check "the dashboard -> 200 (got $HTTP_STATUS)" test "$HTTP_STATUS" = 200
check_body "units left 5" 'id="fig-units_left">5<'
post_form "/admin/flash/${fsale:-0}/end" - "confirm=no"
check "ending without the confirmation -> 400 (got $HTTP_STATUS)" test "$HTTP_STATUS" = 400
post_form "/admin/flash/${fsale:-0}/end" "/admin/flash/${fsale:-0}" "confirm=yes"
check "ending with the confirmation -> 303 (got $HTTP_STATUS)" test "$HTTP_STATUS" = 303
check_sql "... the units are back in stock" "SELECT sum(quantity_available) FROM inventory WHERE sku_id = $fsku" 20
post_form /admin/flash /admin/flash "sku=$fsku" units=abc price=1500 starts=2030-01-01T10:00 ends=2030-01-01T12:00
check "a bad form -> 400 with the message on the page (got $HTTP_STATUS)" test "$HTTP_STATUS" = 400
check_body "the message" 'Units must be a positive number'
use_jar anon
web GET /admin/flash
check "GET /admin/flash signed out -> to the login page (got $HTTP_STATUS)" test "$HTTP_STATUS" = 303

# ---- nginx: joining from one address is limited
sale=$(sql "SELECT max(id) FROM flash_sales")
codes=$(for i in $(seq 40); do echo "-o /dev/null $SOUK_URL/api/v1/flash/$sale/tickets"; done |
    xargs curl -s --parallel --parallel-immediate --parallel-max 40 --interface "$LIMITED" -X POST -w '%{http_code}\n' 2>/dev/null)
n429=$(grep -c '^429$' <<<"$codes" || true)
check "40 joins at once from one address: some are refused with 429 (got $n429)" test "$n429" -gt 0
check "... and none is a 5xx" test "$(grep -c '^5' <<<"$codes" || true)" = 0
done_testing
