#!/usr/bin/env bash
# 22-mail-link: the order mail's link opens the order for its recipient,
# guest or not, once: it sets the order cookie and redirects to the clean
# URL; used again, changed, cut or expired it shows a page saying so
# (not an error page); the access log never holds a link that still works.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/buy-lib.sh"
. "$(dirname "$0")/web-lib.sh"
. "$(dirname "$0")/lib-orders.sh"

run=$(date +%s%N)
sku=$(make_sku mail22 "1:5" 1200)
pid=$(sql "SELECT v.product_id FROM offers o JOIN product_variants v ON v.id = o.variant_id WHERE o.id = $sku")

use_jar buyer
web GET "/products/$pid"
post_form /cart/add - "sku_id=$sku" "qty=1"
to_review 4242424242424242 "mail-$run@example.test"
place_order
check_http "guest order placed" 303
opid=$(sql "SELECT public_id FROM orders WHERE email = 'mail-$run@example.test'")
tok=$(sql "SELECT access_token FROM orders WHERE public_id = '$opid'")
ev=$(sql "SELECT id FROM outbox WHERE key = '$opid' AND payload->>'type' = 'order.confirmed'")
mail=$SOUK_MAIL_DIR/event-$ev.eml
check "the confirmation mail is written" wait_for 15 test -s "$mail"
link=$(grep -o "http://[^ ]*/orders/$opid/open?link_token=[0-9a-f.]*" "$mail" | head -n1 | tr -d '\r')
check "the mail carries a one-time link to the order" test -n "$link"
check "... not the order's own token" bash -c "! grep -qF '$tok' '$mail'"
path=${link#"$SOUK_URL"}
value=${link##*=}

# ---- another browser (the mail opened on a phone): the link opens the order
use_jar phone
web GET "$path"
check_http "the mail link" 303
check "redirects to the clean order URL" test "$(header Location)" = "/orders/$opid"
check "sets the order cookie (HttpOnly, SameSite=Lax, this order's path)" \
    grep -q "^set-cookie: souk_order=$tok; Path=/orders/$opid; .*HttpOnly; SameSite=Lax" "$HTTP_HEADERS"
web GET "/orders/$opid"
check_http "the order opens from the cookie" 200
check_body "it is that order" "$opid"

# ---- once only
use_jar thief
web GET "$path"
check_http "the same link again" 410
check_body "says it was used" "This link was already used"
check_body "offers to sign in" "href=\"/login?next=/orders/$opid\""
web GET "/orders/$opid"
check_http "... and opens nothing" 404

# ---- changed, cut, for another order, expired: a clear page, never a 500
bad=${value%?}0; [ "$bad" = "$value" ] && bad=${value%?}1
web GET "/orders/$opid/open?link_token=$bad"
check_http "a changed signature" 400
check_body "says the link is not valid" "This link is not valid"
web GET "/orders/$opid/open?link_token=${value:0:40}"
check_http "a cut link" 400
web GET "/orders/$opid/open"
check_http "no link at all" 400
other=$(sql "SELECT public_id FROM orders WHERE public_id <> '$opid' ORDER BY id DESC LIMIT 1")
if [ -n "$other" ]; then
    web GET "/orders/$other/open?link_token=$value"
    check_http "the link on another order" 400
fi
exp=${value%%.*}
web GET "/orders/$opid/open?link_token=$((exp - 999999)).${value#*.}"
check_http "an earlier expiry (the signature no longer matches)" 400

# ---- the access log: the link's request is there, never a working link
log=$SOUK_LOG_DIR/nginx-access.log
check "the access log has the link's request" grep -q "/orders/$opid/open?link_token=REDACTED" "$log"
if grep -q -F "${value##*.}" "$log"; then
    not_ok "the access log never holds the link's signature" "$(grep -F "${value##*.}" "$log" | head -n 3)"
else
    ok "the access log never holds the link's signature"
fi
if grep -q -F "$tok" "$log"; then
    not_ok "... nor the order's token" "$(grep -F "$tok" "$log" | head -n 3)"
else
    ok "... nor the order's token"
fi
check_sql "the link is recorded used" "SELECT count(*) FROM mail_link_used WHERE public_id = '$opid'" 1

# Used links well past their expiry are forgotten by the worker's expiry
# job (maillink_prune); recent ones stay (they keep a link dead).
sql "INSERT INTO mail_link_used (nonce, public_id, expires_at) VALUES
     ('old-$run', '$opid', now() - interval '2 hours'),
     ('new-$run', '$opid', now() - interval '10 minutes')" >/dev/null
worker_stop
check "the worker starts with a 1 s prune interval" worker_start SOUK_PRUNE_INTERVAL_S=1
check "a used link two hours past expiry is forgotten" \
    wait_for 15 sql_is "SELECT count(*) FROM mail_link_used WHERE nonce = 'old-$run'" 0
check_sql "one ten minutes past expiry is kept" "SELECT count(*) FROM mail_link_used WHERE nonce IN ('new-$run')" 1
check_sql "the link used above is kept" "SELECT count(*) FROM mail_link_used WHERE public_id = '$opid' AND nonce NOT LIKE '%-$run'" 1
worker_stop
worker_start

done_testing
