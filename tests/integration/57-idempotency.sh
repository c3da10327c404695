#!/usr/bin/env bash
# 57-idempotency: an Idempotency-Key is its caller's and bound to one
# request (issue "Trust", part 2): same key + another body -> 422 and no
# replay; another caller with the same key never gets the first order;
# parallel duplicates make one order; a replay answers the same status and
# body; a key older than 24 h is new again; the storefront's form key is
# scoped to the session.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/buy-lib.sh"
. "$(dirname "$0")/web-lib.sh"

run=$(date +%s%N)
sku=$(make_sku idem "1:60" 1200)
pid_sku=$(sql "SELECT v.product_id FROM offers o JOIN product_variants v ON v.id = o.variant_id WHERE o.id = $sku")
orders() { sql "SELECT count(*) FROM orders"; }
# billing would capture the payment between two answers; a replay must be
# byte for byte the first answer, so no consumer runs while we compare
worker_stop
trap 'worker_start; rm -rf "$T_TMP"' EXIT

# ---- first request, then the same again
cart=$(new_cart)
cart_put "$cart" "$sku" 1 >/dev/null
body=$(checkout_json "$cart")
http_json POST /api/v1/checkout "$body" -H "Idempotency-Key: idem-$run"
check "first checkout -> 201 (got $HTTP_STATUS)" test "$HTTP_STATUS" = 201
cp "$HTTP_BODY" "$T_TMP/first"
pid=$(json_get "j['order']['public_id']")
tok=$(json_get "j['order']['access_token']")
check_sql "the order stores its scope (the cart's holder, hashed) and the request's SHA-256" \
    "SELECT idempotency_scope ~ '^c:[0-9a-f]{64}\$' AND request_hash ~ '^[0-9a-f]{64}\$' FROM orders WHERE public_id = '$pid'" t
http_json POST /api/v1/checkout "$body" -H "Idempotency-Key: idem-$run"
check "replay -> 201 again (got $HTTP_STATUS)" test "$HTTP_STATUS" = 201
check "replay is marked" test "$(header Idempotent-Replayed)" = true
check "replay body is the first body, byte for byte" cmp "$T_TMP/first" "$HTTP_BODY"
reordered=$(python3 -c 'import json,sys; j=json.loads(sys.argv[1]); r=lambda o: {k: r(o[k]) for k in reversed(list(o))} if isinstance(o, dict) else o; print(json.dumps(r(j), indent=1))' "$body")
http_json POST /api/v1/checkout "$reordered" -H "Idempotency-Key: idem-$run"
check "the same request with its JSON fields in another order is the same request (got $HTTP_STATUS)" test "$HTTP_STATUS" = 201
json_ok "j['order']['public_id'] == '$pid'" "... and replays the first order"

# ---- same key, another body: 422, no order, nothing of the first one
edit() { python3 -c 'import json,sys; j=json.loads(sys.argv[1]); exec(sys.argv[2]); print(json.dumps(j))' "$body" "$1"; }
mismatch() { # DESCRIPTION BODY
    local n
    n=$(orders)
    http_json POST /api/v1/checkout "$2" -H "Idempotency-Key: idem-$run"
    check "$1: same key -> 422 (got $HTTP_STATUS)" test "$HTTP_STATUS" = 422
    json_ok "j['error']['code'] == 'idempotency_mismatch' and 'different request' in j['error']['message'] and 'order' not in j" \
        "$1: idempotency_mismatch, said clearly, no order"
    check "$1: neither the token nor the order id in the answer" bash -c "! grep -q -e '$tok' -e '$pid' '$HTTP_BODY'"
    check "$1: no new order" test "$(orders)" = "$n"
}
mismatch "another e-mail" "$(edit 'j["email"] = "mallory@example.com"')"
mismatch "express shipping" "$(edit 'j["shipping_method"] = "express"')"
mismatch "another card" "$(edit 'j["payment"]["card_number"] = "5555555555554444"')"
mismatch "another address" "$(edit 'j["shipping_address"]["line2"] = "Flat 9"')"

# ---- same key from another caller: its own request, never the first order
cart2=$(new_cart)
cart_put "$cart2" "$sku" 1 >/dev/null
http_json POST /api/v1/checkout "$(checkout_json "$cart2")" -H "Idempotency-Key: idem-$run"
check "another API client (another cart), same key -> 201, a new order (got $HTTP_STATUS)" test "$HTTP_STATUS" = 201
json_ok "j['order']['public_id'] != '$pid' and j['order']['access_token'] != '$tok'" "... not the first order, not its token"
check "... and the first order's token appears nowhere in it" bash -c "! grep -q '$tok' '$HTTP_BODY'"
use_jar s
web GET "/products/$pid_sku"
post_form /cart/add - "sku_id=$sku" "qty=1"
scart=$(session_cart)
web POST /api/v1/checkout -H 'Content-Type: application/json' --data-binary "$(checkout_json "$scart")" -H "Idempotency-Key: idem-$run"
check "a browser session on the API, same key -> 201, a new order (got $HTTP_STATUS)" test "$HTTP_STATUS" = 201
json_ok "j['order']['public_id'] != '$pid' and j['order']['access_token'] != '$tok'" "... not the first order, not its token"
check_sql "three orders share the key, each in its own scope" \
    "SELECT count(*) || '|' || count(DISTINCT idempotency_scope) FROM orders WHERE idempotency_key = 'idem-$run'" "3|3"

# ---- 8 parallel identical requests: one order, every answer names it
pcart=$(new_cart)
cart_put "$pcart" "$sku" 2 >/dev/null
pbody=$(checkout_json "$pcart")
for i in 1 2 3 4 5 6 7 8; do
    curl -s -o "$T_TMP/par$i" -w '%{http_code}' -X POST -H 'Content-Type: application/json' \
        -H "Idempotency-Key: par-$run" --data-binary "$pbody" "$SOUK_URL/api/v1/checkout" >"$T_TMP/par$i.code" &
done
wait
pycheck "$T_TMP" <<'PY'
import json, sys
d = sys.argv[1]
codes = [open("%s/par%d.code" % (d, i)).read() for i in range(1, 9)]
ids = set(json.load(open("%s/par%d" % (d, i)))["order"]["public_id"] for i in range(1, 9) if codes[i - 1] == "201")
print("%s - 8 parallel duplicates all answered 201 (%s)" % ("ok" if codes == ["201"] * 8 else "not ok", ",".join(codes)))
print("%s - all name the same order (%d distinct)" % ("ok" if len(ids) == 1 else "not ok", len(ids)))
PY
check_sql "exactly one order, one payment for the parallel key" \
    "SELECT count(*) || '|' || (SELECT count(*) FROM payments p JOIN orders o ON o.id = p.order_id WHERE o.idempotency_key = 'par-$run') FROM orders WHERE idempotency_key = 'par-$run'" "1|1"
check_sql "2 units sold once" "SELECT sum(i.qty) FROM order_items i JOIN orders o ON o.id = i.order_id WHERE o.idempotency_key = 'par-$run'" 2

# ---- a key older than 24 hours is a new key
dcart=$(new_cart)
cart_put "$dcart" "$sku" 1 >/dev/null
checkout "$dcart" "exp-$run" 4000000000000002
check "a declined checkout -> 402 (got $HTTP_STATUS)" test "$HTTP_STATUS" = 402
dpid=$(json_get "j['order']['public_id']")
checkout "$dcart" "exp-$run" 4242424242424242
check "within 24 h the key is bound to the declined request: another card -> 422 (got $HTTP_STATUS)" test "$HTTP_STATUS" = 422
sql "UPDATE orders SET created_at = created_at - interval '25 hours' WHERE public_id = '$dpid'" >/dev/null
checkout "$dcart" "exp-$run" 4242424242424242
check "after 25 h the same key is new: another request -> 201 (got $HTTP_STATUS)" test "$HTTP_STATUS" = 201
json_ok "j['order']['public_id'] != '$dpid' and j['order']['status'] == 'CONFIRMED'" "a new, confirmed order"
check_sql "the expired order let go of its key" "SELECT idempotency_key IS NULL FROM orders WHERE public_id = '$dpid'" t
check_sql "one live order for the key" "SELECT count(*) FROM orders WHERE idempotency_key = 'exp-$run'" 1

# ---- the storefront: a review form's key is the session's, whoever copies it
use_jar x
web GET "/products/$pid_sku"
post_form /cart/add - "sku_id=$sku" "qty=1"
to_review 4242424242424242 "x-$run@example.test"
kx=$(form_value key)
cp "$HTTP_BODY" "$T_TMP/review-x"
place_order
check_http "x places its order" 303
xloc=$(header Location)
xpid=${xloc#/checkout/done/}
xtok=$(sql "SELECT access_token FROM orders WHERE public_id = '$xpid'")
check_sql "x's order is scoped to x's session" "SELECT idempotency_scope ~ '^s:[0-9a-f]{64}\$' FROM orders WHERE public_id = '$xpid'" t
# Another card is chosen at the payment step (the review form carries only
# the key; the card is the session's payment method): then x's old form
n=$(orders)
web GET "/products/$pid_sku"
post_form /cart/add - "sku_id=$sku" "qty=1"
to_review 5555555555554444 "x-$run@example.test"
check_body "a new review, with the other card" "ending in 4444"
check "... and a key of its own" test "$(form_value key)" != "$kx"
cp "$T_TMP/review-x" "$HTTP_BODY"
place_order
check_http "x's form again with another card: the key is bound to the first request" 422
check "... no order made" test "$(orders)" = "$n"
use_jar y
web GET "/products/$pid_sku"
post_form /cart/add - "sku_id=$sku" "qty=1"
to_review 4242424242424242 "y-$run@example.test"
sed -i "s/name=\"key\" value=\"[^\"]*\"/name=\"key\" value=\"$kx\"/" "$HTTP_BODY"
check "y's form now carries x's key" test "$(form_value key)" = "$kx"
place_order
check_http "y places with x's key" 303
check "y is not sent to x's order" test "$(header Location)" != "$xloc"
ypid=$(header Location | sed -n 's#^/checkout/done/##p')
check_sql "y got its own order" "SELECT email FROM orders WHERE public_id = '$ypid'" "y-$run@example.test"
web GET "$(header Location)"
check "y's confirmation shows nothing of x's order" bash -c "! grep -q -e '$xpid' -e '$xtok' '$HTTP_BODY'"
web GET "/orders/$xpid"
check_http "and y may not see x's order" 404

done_testing
