#!/usr/bin/env bash
# 52-checkout-concurrency: the invariants under parallel checkouts over HTTP —
# no oversell, all-or-nothing multi-line carts without deadlocks reaching a
# client, one order per idempotency key, expiry racing a late payment.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/buy-lib.sh"

LOAD=$(dirname "$0")/buy-load.py
run=$(date +%s%N)

# carts_json N "SKU:QTY,SKU:QTY|SKU:QTY..." PREFIX: N API carts in Redis
# (cycling through the |-separated line sets; "_" marks an API cart, as
# POST /api/v1/carts makes it) and N checkout requests, one key each. Also
# writes $T_TMP/idem.values: "(i, scope, fingerprint)" per request, i from
# 1, the idempotency scope and request hash checkout computes for it
# (docs/BUYING.md), for orders planted as if a first request had stopped.
carts_json() {
    python3 - "$@" "$run" "$T_TMP/idem.values" >"$T_TMP/reqs.json" 2>"$T_TMP/redis.cmds" <<'PY'
import hashlib, json, secrets, sys
n, sets, prefix, run = int(sys.argv[1]), sys.argv[2].split("|"), sys.argv[3], sys.argv[4]
reqs, idem = [], []
for i in range(n):
    cart = secrets.token_hex(32)
    args = []
    for line in sets[i % len(sets)].split(","):
        sku, qty = line.split(":")
        args += [sku, qty]
    print("HSET cart:%s _ 0 %s" % (cart, " ".join(args)), file=sys.stderr)
    body = {"cart_id": cart, "email": "load%d@example.com" % i,
            "shipping_address": {"name": "Load", "line1": "1 St", "city": "C",
                                 "postal_code": "1", "country": "US"},
            "payment": {"card_number": "4242424242424242", "exp_month": 12,
                        "exp_year": 2099, "cvc": "123"}}
    reqs.append({"method": "POST", "path": "/api/v1/checkout",
                 "headers": {"Idempotency-Key": "%s-%s-%d" % (prefix, run, i)}, "body": body})
    a, p = body["shipping_address"], body["payment"]
    canon = [("cart_id", cart), ("user_id", "0"), ("email", body["email"]),
             ("shipping_method", "standard"), ("name", a["name"]), ("line1", a["line1"]),
             ("line2", ""), ("city", a["city"]), ("postal_code", a["postal_code"]),
             ("country", a["country"]), ("card_number", p["card_number"]),
             ("exp_month", str(p["exp_month"])), ("exp_year", str(p["exp_year"])), ("cvc", p["cvc"])]
    text = "".join("%s:%d:%s\n" % (k, len(v.encode()), v) for k, v in canon)
    idem.append("(%d, 'c:%s', '%s')" % (i + 1, hashlib.sha256(cart.encode()).hexdigest(),
                                         hashlib.sha256(text.encode()).hexdigest()))
json.dump(reqs, sys.stdout)
open(sys.argv[5], "w").write(",".join(idem))
PY
    redis <"$T_TMP/redis.cmds" >/dev/null
}
# summary EXPR: evaluates over the results list `r` (after a load run).
summary() {
    python3 -c 'import json,sys; r=json.load(open(sys.argv[1])); print(eval(sys.argv[2]))' "$T_TMP/res.json" "$1"
}
invariant() { # SKU... : every (sku, warehouse) row adds up to what it received
    local skus
    skus=$(echo "$@" | tr ' ' ',')
    check_sql "no oversell: available + reserved + sold = received, nothing negative, nothing left reserved ($skus)" \
        "SELECT bool_and(i.quantity_available + i.quantity_reserved + i.quantity_sold = r.received AND i.quantity_available >= 0 AND i.quantity_reserved = 0) FROM inventory i JOIN recv r USING (sku_id, warehouse_id) WHERE i.sku_id IN ($skus)" "t"
}
sql "CREATE TABLE IF NOT EXISTS recv (sku_id bigint, warehouse_id bigint, received int)" >/dev/null
received() { sql "INSERT INTO recv SELECT sku_id, warehouse_id, quantity_available FROM inventory WHERE sku_id = $1" >/dev/null; }

# ---- 1. 200 parallel checkouts for 50 units in two warehouses
hot=$(make_sku hot "1:31 2:19")
received "$hot"
carts_json 200 "$hot:1" hot
out=$(python3 "$LOAD" "$SOUK_URL" "$T_TMP/reqs.json" "$T_TMP/res.json" 200)
diag "200 checkouts: $out"
check "exactly 50 x 201" test "$(summary "sum(1 for x in r if x['status'] == 201)")" = 50
check "exactly 150 clean 409 out_of_stock naming the sku with 0 left" test "$(summary "sum(1 for x in r if x['status'] == 409 and x['body']['error']['code'] == 'out_of_stock' and x['body']['error']['sku_id'] == $hot and x['body']['error']['available'] == 0)")" = 150
check_sql "50 units sold, none available or reserved" "SELECT sum(quantity_sold) || '|' || sum(quantity_available) || '|' || sum(quantity_reserved) FROM inventory WHERE sku_id = $hot" "50|0|0"
check_sql "50 CONFIRMED orders with committed reservations of 50 units" "SELECT count(DISTINCT o.id) || '|' || sum(r.qty) FROM orders o JOIN reservations r ON r.order_id = o.id WHERE r.sku_id = $hot AND o.status = 'CONFIRMED' AND r.status = 'committed'" "50|50"
invariant "$hot"

# ---- 2. a line split across warehouses
split=$(make_sku split "1:3 2:3")
received "$split"
carts_json 1 "$split:5" split
python3 "$LOAD" "$SOUK_URL" "$T_TMP/reqs.json" "$T_TMP/res.json" 1 >/dev/null
check "5 units from 3+3 -> 201" test "$(summary "r[0]['status']")" = 201
check_sql "the line was split over both warehouses" "SELECT string_agg(warehouse_id || ':' || qty, ',' ORDER BY warehouse_id) FROM reservations WHERE sku_id = $split" "1:3,2:2"
invariant "$split"

# ---- 3. multi-line carts sharing skus, lines in opposite orders
x=$(make_sku mx "1:25 2:15")
y=$(make_sku my "1:20 2:20")
z=$(make_sku mz "2:30")
for s in $x $y $z; do received "$s"; done
carts_json 150 "$x:1,$y:2|$y:1,$x:1,$z:1|$z:2,$y:1|$y:1,$x:2" multi
out=$(python3 "$LOAD" "$SOUK_URL" "$T_TMP/reqs.json" "$T_TMP/res.json" 150)
diag "150 multi-line checkouts: $out"
check "only 201 and out_of_stock 409 reach the shopper (no 5xx, no deadlock)" test "$(summary "sum(1 for x in r if not (x['status'] == 201 or (x['status'] == 409 and x['body']['error']['code'] == 'out_of_stock')))")" = 0
n201=$(summary "sum(1 for x in r if x['status'] == 201)")
diag "$n201 orders placed"
check "some orders placed, some refused" test "$n201" -gt 0 -a "$n201" -lt 150
check_sql "sold per sku = sum of the confirmed items (all or nothing per cart)" \
    "SELECT bool_and(s.sold = coalesce(c.q, 0)) FROM (SELECT sku_id, sum(quantity_sold) AS sold FROM inventory WHERE sku_id IN ($x, $y, $z) GROUP BY sku_id) s LEFT JOIN (SELECT i.sku_id, sum(i.qty) AS q FROM order_items i JOIN orders o ON o.id = i.order_id WHERE o.status = 'CONFIRMED' AND o.idempotency_key LIKE 'multi-$run-%' GROUP BY i.sku_id) c USING (sku_id)" "t"
check_sql "no order holds a partial reservation" \
    "SELECT count(*) FROM orders o WHERE o.idempotency_key LIKE 'multi-$run-%' AND (SELECT count(*) FROM order_items i WHERE i.order_id = o.id) <> (SELECT count(DISTINCT r.sku_id) FROM reservations r WHERE r.order_id = o.id AND r.status = 'committed')" "0"
check_sql "201 answers = CONFIRMED orders" "SELECT count(*) FROM orders WHERE idempotency_key LIKE 'multi-$run-%' AND status = 'CONFIRMED'" "$n201"
invariant "$x" "$y" "$z"

# ---- 4. one idempotency key from 20 parallel clients
dup=$(make_sku dup "1:10")
received "$dup"
carts_json 1 "$dup:3" dup
python3 - "$T_TMP/reqs.json" <<'PY'
import json, sys
r = json.load(open(sys.argv[1]))
json.dump(r * 20, open(sys.argv[1], "w"))
PY
out=$(python3 "$LOAD" "$SOUK_URL" "$T_TMP/reqs.json" "$T_TMP/res.json" 20)
diag "20 duplicate submits: $out"
check "all 20 answered 201" test "$(summary "sum(1 for x in r if x['status'] == 201)")" = 20
check "all 20 name the same order" test "$(summary "len(set(x['body']['order']['public_id'] for x in r if x['status'] == 201))")" = 1
did=$(sql "SELECT id FROM orders WHERE idempotency_key = 'dup-$run-0'")
check_sql "one order, one payment row, one provider authorization, one charge" \
    "SELECT (SELECT count(*) FROM orders WHERE idempotency_key = 'dup-$run-0')::text || (SELECT count(*) FROM payments WHERE order_id = $did)::text" "11"
dref=$(sql "SELECT provider_ref FROM payments WHERE order_id = $did")
check_payd_sql "... one authorization and one charge at the provider" \
    "SELECT (SELECT count(*) FROM payd_ops WHERE key = 'auth:$did')::text || (SELECT count(*) FROM payd_charges WHERE ref = '$dref')::text" "11"
check_sql "3 units sold once" "SELECT sum(quantity_sold) FROM inventory WHERE sku_id = $dup" "3"
check_sql "one CONFIRMED event" "SELECT count(*) FROM order_events WHERE order_id = $did AND to_status = 'CONFIRMED'" "1"
invariant "$dup"

# ---- 5. expiry racing a late payment: exactly one of release / commit wins
K=40
race=$(make_sku race "1:$K")
received "$race"
# (each planted order carries the scope and request hash of the request
# that will replay it, as if that request had stopped after the insert,
# and its line, as a checkout writes it: a confirmed order without one
# cannot be booked, and 54's ledger check would see its capture unbooked)
carts_json $K "$race:1" race
sql "WITH v(g, scope, hash) AS (VALUES $(cat "$T_TMP/idem.values")),
          o AS (INSERT INTO orders (public_id, access_token, email, subtotal, shipping, tax, total, address, idempotency_key, idempotency_scope, request_hash)
               SELECT 'race' || g || 'r$run', md5(random()::text), 'race@example.com', 1999, 0, 0, 1999, '{}', 'race-$run-' || (g - 1), scope, hash
               FROM v RETURNING id),
          i AS (INSERT INTO order_items (order_id, sku_id, seller_id, product_id, title, unit_price, qty, commission_bps, fulfillment)
               SELECT o.id, f.id, f.seller_id, vr.product_id, p.title, 1999, 1,
                      COALESCE(s.commission_override_bps, c.commission_bps), f.fulfillment
               FROM o, offers f JOIN product_variants vr ON vr.id = f.variant_id JOIN products p ON p.id = vr.product_id
               JOIN sellers s ON s.id = f.seller_id JOIN categories c ON c.id = p.category_id WHERE f.id = $race),
          r AS (INSERT INTO reservations (order_id, sku_id, warehouse_id, qty, expires_at)
               SELECT id, $race, 1, 1, now() + interval '1 hour' FROM o)
     UPDATE inventory SET quantity_available = quantity_available - $K, quantity_reserved = quantity_reserved + $K
     WHERE sku_id = $race AND warehouse_id = 1" >/dev/null
# expire them only now, right before the racers start, so that the test
# stack's own worker (expiry every 2 s) rarely gets there first
sql "UPDATE reservations r SET expires_at = now() - interval '1 minute' FROM orders o
     WHERE o.id = r.order_id AND o.idempotency_key LIKE 'race-$run-%'" >/dev/null
( for _ in 1 2 3 4 5 6 7 8; do "$SOUK_CTL" expire-reservations 2 >>"$T_TMP/expired" 2>>"$T_TMP/expire.err"; done ) &
e1=$!
( for _ in 1 2 3 4 5 6 7 8; do "$SOUK_CTL" expire-reservations 3 >>"$T_TMP/expired" 2>>"$T_TMP/expire.err"; done ) &
e2=$!
out=$(python3 "$LOAD" "$SOUK_URL" "$T_TMP/reqs.json" "$T_TMP/res.json" $K)
wait $e1 $e2
"$SOUK_CTL" expire-reservations 100 >>"$T_TMP/expired" 2>>"$T_TMP/expire.err"
conf=$(summary "sum(1 for x in r if x['status'] == 201)")
late=$(summary "sum(1 for x in r if x['status'] == 409 and x['body']['error']['code'] == 'reservation_expired')")
diag "race: $out; $conf confirmed, $late too late, expirer cancelled $(paste -sd+ "$T_TMP/expired" | bc)"
check "every racer answered 201 or 409 reservation_expired" test "$((conf + late))" = $K
check "expirer never failed" test ! -s "$T_TMP/expire.err"
check_sql "201s = CONFIRMED orders, 409s = CANCELLED orders" \
    "SELECT count(*) FILTER (WHERE status = 'CONFIRMED') || '|' || count(*) FILTER (WHERE status = 'CANCELLED') FROM orders WHERE idempotency_key LIKE 'race-$run-%'" "$conf|$late"
check_sql "each order decided exactly once (one terminal event, reservations match)" \
    "SELECT count(*) FROM orders o WHERE o.idempotency_key LIKE 'race-$run-%' AND NOT (
        (SELECT count(*) FROM order_events e WHERE e.order_id = o.id AND e.to_status IN ('CONFIRMED', 'CANCELLED')) = 1
        AND (SELECT string_agg(r.status, ',') FROM reservations r WHERE r.order_id = o.id) = CASE o.status WHEN 'CONFIRMED' THEN 'committed' ELSE 'released' END)" "0"
check_sql "no authorization left open on a cancelled order" \
    "SELECT count(*) FROM payments p JOIN orders o ON o.id = p.order_id WHERE o.idempotency_key LIKE 'race-$run-%' AND o.status = 'CANCELLED' AND p.status <> 'voided'" "0"
check_sql "stock: sold = confirmed, the rest available again" "SELECT sum(quantity_sold) || '|' || sum(quantity_available) FROM inventory WHERE sku_id = $race" "$conf|$((K - conf))"
diag "late payments voided: $(sql "SELECT count(*) FROM payments p JOIN orders o ON o.id = p.order_id WHERE o.idempotency_key LIKE 'race-$run-%' AND p.status = 'voided'")"
invariant "$race"

done_testing
