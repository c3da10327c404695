#!/usr/bin/env bash
# 93-checkout-worker-death: a checkout whose handler worker dies before it
# answers is passed by nginx to another worker of the pool (both checkouts
# are idempotent by key), so the shopper gets the order, not a 502; the
# order exists once and is charged once. Other POSTs are not passed on.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/buy-lib.sh"

RUN=$SOUK_VAR/run
# kill_pool_workers POOL: kill -9 every worker of the pool (its supervisor
# forks new ones; the listening socket stays open meanwhile).
kill_pool_workers() {
    local sup p n=0
    sup=$(cat "$RUN/$1.pid")
    for p in $({ grep -l "^PPid:[[:space:]]*$sup\$" /proc/[0-9]*/status 2>/dev/null || true; } | awk -F/ '{ print $3 }'); do
        kill -9 "$p" 2>/dev/null && n=$((n + 1))
    done
    echo "$n"
}

# checkout_during_kill CART KEY: an API checkout while the provider holds
# the authorization 1.5 s and every api worker is killed 0.5 s in; prints
# the status.
checkout_during_kill() {
    payd_faults '{"path":"/v1/authorize","delay_ms":1500,"count":1}'
    curl -s -o "$TMP/body" -w '%{http_code}' -X POST -H 'Content-Type: application/json' \
        -H "Idempotency-Key: $2" --data-binary "$(checkout_json "$1")" \
        "$SOUK_URL/api/v1/checkout" >"$TMP/status" &
    local c=$!
    sleep 0.5
    kill_pool_workers api >"$TMP/killed"
    wait "$c"
    payd_faults '{}'
    cat "$TMP/status"
}

TMP=$(mktemp -d)
trap 'rm -rf "$TMP"; payd_faults "{}" 2>/dev/null' EXIT
run=$(date +%s%N)
sku=$(make_sku "death$run" "1:5" 2500)
cart=$(new_cart)
cart_put "$cart" "$sku" 2 >/dev/null
key="death-$run"

status=$(checkout_during_kill "$cart" "$key")
killed=$(cat "$TMP/killed")
check "the api workers were killed mid-checkout ($killed)" test "$killed" -ge 1
check "the checkout still answers 201 (got $status)" test "$status" = 201
pub=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["order"]["public_id"])' "$TMP/body" 2>/dev/null)
check "the answer names the order" test -n "$pub"
check "one order for the key" test "$(sql "SELECT count(*) FROM orders WHERE idempotency_key = '$key'")" = 1
check "its stock is taken once (available 3 of 5)" \
    test "$(sql "SELECT sum(quantity_available) FROM inventory WHERE sku_id = $sku")" = 3
check "charged once: one payment for the order" \
    test "$(sql "SELECT count(*) FROM payments p JOIN orders o ON o.id = p.order_id WHERE o.public_id = '$pub'")" = 1

# The same key again (the shopper's own retry) replays the same order.
checkout "$cart" "$key"
check "a retry with the key replays the order" test "$HTTP_STATUS" = 201 -a "$(json_get "j['order']['public_id']")" = "$pub"

# A POST that is not keyed (adding to a cart) is not sent twice: the
# upstream retry is only for the two checkout locations.
grep -q "non_idempotent" "$SOUK_VAR/nginx/nginx.conf"
check "nginx passes on only the checkout POSTs" \
    test "$(grep -c 'non_idempotent' "$SOUK_VAR/nginx/nginx.conf")" = 2
done_testing
