#!/usr/bin/env bash
# 97-partial-return-restock: a seller's accepted partial return puts its
# units back into stock, each unit sold at most once (docs/MARKETPLACE.md
# "Returns"): 1 of 3 units -> +1 in the warehouse it was taken from; the
# whole-order return after it -> only the rest (+2, never +4); a rejected
# return -> +0; the same approval twice, or 8 at once -> +N once; a second
# partial return of the rest -> the rest; a seller's return approved after
# the order came back whole -> +0; another seller's return id -> 404 and
# nothing moves; every restock writes inventory.changed; a flash order's
# unit goes to normal stock once (docs/FLASH.md); the books balance.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/buy-lib.sh"
. "$(dirname "$0")/lib-orders.sh"
. "$(dirname "$0")/seller-lib.sh"

run=$(date +%s%N)
seller_new "ra-$run"
sa=$SELLER_ID ka=$SELLER_KEY wa=$SELLER_WH
seller_new "rb-$run"
sb=$SELLER_ID kb=$SELLER_KEY wb=$SELLER_WH
check "two sellers with keys and warehouses" test -n "$ka" -a -n "$kb" -a -n "$wa" -a -n "$wb"
# A second warehouse of A's, after its first in id order.
wa2=$(sql "INSERT INTO warehouses (name, seller_id, region) VALUES ('ra2-$run', $sa, 'US') RETURNING id")

# stock SKU: "warehouse:available/reserved/sold,..." in warehouse order.
stock() {
    sql "SELECT string_agg(warehouse_id || ':' || quantity_available || '/' || quantity_reserved || '/' || quantity_sold, ',' ORDER BY warehouse_id) FROM inventory WHERE sku_id = $1"
}
# events SKU: inventory.changed rows written for the sku.
events() {
    sql "SELECT count(*) FROM outbox WHERE topic = 'inventory' AND (payload->>'sku_id')::bigint = $1"
}
# restocked ITEM: order_items.qty_restocked.
restocked() { sql "SELECT qty_restocked FROM order_items WHERE id = $1"; }
# buy KEY SKU:QTY...: a checkout; sets PUB and OID.
buy() {
    local cart line
    cart=$(new_cart)
    for line in "${@:2}"; do cart_put "$cart" "${line%%:*}" "${line##*:}" >/dev/null; done
    checkout "$cart" "$1-$run"
    PUB=$(json_get "j['order']['public_id']")
    OID=$(sql "SELECT id FROM orders WHERE public_id = '$PUB'")
}
# deliver OID: every shipment shipped and delivered by the platform.
deliver() {
    local s
    for s in $(sql "SELECT id FROM shipments WHERE order_id = $1 ORDER BY id"); do
        "$SOUK_CTL" shipment ship "$s" UPS "1Z$s" >/dev/null &&
            "$SOUK_CTL" shipment deliver "$s" >/dev/null || return 1
    done
    test "$(sql "SELECT status FROM orders WHERE id = $1")" = DELIVERED
}
captured() { sql_is "SELECT status FROM payments WHERE order_id = $1" captured; }

# x: 2 units in A's first warehouse, 2 in its second: 3 bought split 2 + 1.
x=$(seller_offer "$sa" "$wa" 1500 2)
sql "INSERT INTO inventory (sku_id, warehouse_id, quantity_available) VALUES ($x, $wa2, 2)" >/dev/null
y=$(seller_offer "$sb" "$wb" 900 5)
buy p1 "$x:3" "$y:1"
check "checkout of 3 x (A) and 1 y (B)" test "$HTTP_STATUS" = 201
check_sql "x was taken 2 from the first warehouse, 1 from the second" \
    "SELECT string_agg(warehouse_id || ':' || qty || ':' || status, ',' ORDER BY warehouse_id) FROM reservations WHERE order_id = $OID AND sku_id = $x" \
    "$wa:2:committed,$wa2:1:committed"
check "the payment is captured" wait_for 15 captured "$OID"
check "delivered" deliver "$OID"
x0=$(stock "$x") y0=$(stock "$y")
check "x after the sale: nothing left, 3 sold" test "$x0" = "$wa:0/0/2,$wa2:1/0/1"
ix=$(sql "SELECT id FROM order_items WHERE order_id = $OID AND sku_id = $x")
iy=$(sql "SELECT id FROM order_items WHERE order_id = $OID AND sku_id = $y")

# Partial return of 1 of 3.
r1=$("$SOUK_CTL" return-items "$PUB" "$ix:1")
check "a return of 1 of the 3 units of x" test -n "$r1"
check "requesting it moves no stock" test "$(stock "$x")" = "$x0"
ev=$(events "$x")
sapi POST "/api/v1/seller/returns/$r1/approve" "" "$kb"
check "B approving A's return: 404" test "$HTTP_STATUS" = 404
sapi POST "/api/v1/seller/returns/$r1/reject" "" "$kb"
check "B rejecting A's return: 404" test "$HTTP_STATUS" = 404
check "B through ctl: 404" bash -c "'$SOUK_CTL' return-decide $r1 $sb approve 2>&1 | grep -q 'souk-ctl: 404'"
check_sql "another seller's attempts changed nothing" "SELECT status FROM returns WHERE id = $r1" requested
check "... and moved no stock" test "$(stock "$x"):$(restocked "$ix"):$(events "$x")" = "$x0:0:$ev"
sapi POST "/api/v1/seller/returns/$r1/approve" "" "$ka"
check "A approves: 200" test "$HTTP_STATUS" = 200
check "+1 in the warehouse it was taken from (the first), sold -1" \
    test "$(stock "$x")" = "$wa:1/0/1,$wa2:1/0/1"
check "the item records 1 unit restocked" test "$(restocked "$ix")" = 1
check "one inventory.changed event" test "$(events "$x")" = "$((ev + 1))"
check_sql "the event names the warehouse" \
    "SELECT payload->>'warehouse_id' FROM outbox WHERE topic = 'inventory' AND (payload->>'sku_id')::bigint = $x ORDER BY id DESC LIMIT 1" "$wa"
sapi POST "/api/v1/seller/returns/$r1/approve" "" "$ka"
check "the same approval again: 409" test "$HTTP_STATUS" = 409
check "... restocks nothing more" test "$(stock "$x"):$(restocked "$ix")" = "$wa:1/0/1,$wa2:1/0/1:1"
check "refunded" wait_for 15 sql_is "SELECT count(*) FROM refunds WHERE order_id = $OID AND reason = 'return:$r1'" 1
check "the ledger balances after the partial return" wait_for 15 "$SOUK_CTL" ledger check

# The whole order comes back: only the 2 units of x not restocked yet.
check "B's item untouched so far" test "$(stock "$y")" = "$y0"
ret=$("$SOUK_CTL" order return-request "$PUB" "all of it")
check "whole-order return requested" test -n "$ret"
check "approved" "$SOUK_CTL" return approve "$ret"
check "received" "$SOUK_CTL" return receive "$ret"
check_sql "RETURNED" "SELECT status FROM orders WHERE id = $OID" RETURNED
check "x: +2 more (total +3, never +4): back to 2 and 2, none sold" \
    test "$(stock "$x")" = "$wa:2/0/0,$wa2:2/0/0"
check "y: its 1 unit back" test "$(stock "$y")" = "$wb:5/0/0"
check_sql "every unit of the order recorded as restocked" \
    "SELECT string_agg(qty_restocked || '/' || qty, ',' ORDER BY id) FROM order_items WHERE order_id = $OID" "3/3,1/1"
check "x: an inventory.changed event per warehouse moved" test "$(events "$x")" = "$((ev + 3))"
check "receiving again is refused and moves nothing" \
    bash -c "! '$SOUK_CTL' return receive $ret 2>/dev/null && test \"\$(psql -X -q -t -A -c \"SELECT sum(quantity_available) FROM inventory WHERE sku_id = $x\")\" = 4"

# z: one warehouse of 10; 3 bought.
z=$(seller_offer "$sa" "$wa" 700 10)
buy p2 "$z:3"
check "checkout of 3 z" test "$HTTP_STATUS" = 201
o2=$OID p2=$PUB
check "captured" wait_for 15 captured "$o2"
check "delivered" deliver "$o2"
iz=$(sql "SELECT id FROM order_items WHERE order_id = $o2")
check "z after the sale: 7 left, 3 sold" test "$(stock "$z")" = "$wa:7/0/3"

r2=$("$SOUK_CTL" return-items "$p2" "$iz:1")
check "a return of 1 z" test -n "$r2"
sapi POST "/api/v1/seller/returns/$r2/reject" "" "$ka"
check "A rejects: 200" test "$HTTP_STATUS" = 200
check "a rejected return restocks nothing" test "$(stock "$z"):$(restocked "$iz")" = "$wa:7/0/3:0"

r3=$("$SOUK_CTL" return-items "$p2" "$iz:2")
check "a return of 2 z (the rejected unit is returnable again)" test -n "$r3"
ev=$(events "$z")
for i in 1 2 3 4 5 6 7 8; do
    curl -s -o "$T_TMP/par$i" -w '%{http_code}\n' -X POST -H "Authorization: Bearer $ka" \
        "$SOUK_URL/api/v1/seller/returns/$r3/approve" >"$T_TMP/code$i" &
done
wait
codes=$(cat "$T_TMP"/code* | sort | uniq -c | awk '{printf "%s%sx%s", (NR > 1 ? "," : ""), $2, $1}')
check "8 approvals at once: one 200, seven 409 (got $codes)" test "$codes" = "200x1,409x7"
check "+2 once" test "$(stock "$z"):$(restocked "$iz")" = "$wa:9/0/1:2"
check "one inventory.changed event" test "$(events "$z")" = "$((ev + 1))"

r4=$("$SOUK_CTL" return-items "$p2" "$iz:1")
check "a second partial return: the last unit" test -n "$r4"
check "nothing more to return" bash -c "! '$SOUK_CTL' return-items $p2 $iz:1 2>/dev/null"
check "A approves it through ctl" "$SOUK_CTL" return-decide "$r4" "$sa" approve
check "+1: every unit back once" test "$(stock "$z"):$(restocked "$iz")" = "$wa:10/0/0:3"

# A seller's return left open while the whole order comes back: deciding
# it afterwards refunds what is left of it (nothing) and restocks nothing.
w=$(seller_offer "$sa" "$wa" 1100 10)
buy p3 "$w:2"
o3=$OID p3=$PUB
check "captured" wait_for 15 captured "$o3"
check "delivered" deliver "$o3"
iw=$(sql "SELECT id FROM order_items WHERE order_id = $o3")
ret=$("$SOUK_CTL" order return-request "$p3" "all of it")
check "whole-order return requested" test -n "$ret"
r5=$("$SOUK_CTL" return-items "$p3" "$iw:1")
check "a seller's return opened beside it" test -n "$r5"
check "approved" "$SOUK_CTL" return approve "$ret"
check "received" "$SOUK_CTL" return receive "$ret"
check "the whole order restocked: 10 again" test "$(stock "$w"):$(restocked "$iw")" = "$wa:10/0/0:2"
sapi POST "/api/v1/seller/returns/$r5/approve" "" "$ka"
check "A approves its late return: 200" test "$HTTP_STATUS" = 200
check "... which restocks nothing more (10, not 11)" test "$(stock "$w"):$(restocked "$iw")" = "$wa:10/0/0:2"

# A flash order's partial return: its unit to normal stock by the flash
# rule (docs/FLASH.md "Returned orders"), then the whole order only the
# rest, then the sale's end only its unsold unit: every unit back once.
pycheck "$(dirname "$0")" <<'PY'
import sys, time
sys.path.insert(0, sys.argv[1])
from flashlib import *

ok = Checks()
sku = make_sku(10, price=5000, tag="pret")
sale = create_sale(sku, 3, price=1999, starts="now+3", prequeue="now", limit=2,
                   max_active=2, admit_per_min=6000)
start = time.time() + 3
stock, sold, left = sale_figures(sku, sale)
ok("create moves 3 units out of normal stock", stock() == "7")
v, oid = buyer(ok, sale, start, 2, "k-pret")
pub = sql("SELECT public_id FROM orders WHERE id = %s" % oid)
item = sql("SELECT id FROM order_items WHERE order_id = %s" % oid)
returned = lambda: sql("SELECT sum(returned) FROM flash_stock WHERE sale_id = %d" % sale)
ok("the payment is captured", wait_until(lambda: sql(
    "SELECT status FROM payments WHERE order_id = %s" % oid) == "captured", 15) or
   ctl("order", "capture", pub)[0] == 0)
for step in (("process",), ("ship", "UPS", "1Z-PRET"), ("deliver",)):
    rc, out, err = ctl("order", step[0], pub, *step[1:])
    ok("ctl order %s" % step[0], rc == 0, err)
rc, rid, err = ctl("return-items", pub, "%s:1" % item)
ok("a return of 1 of the 2 units", rc == 0 and rid.isdigit(), err)
rc, out, err = ctl("return-decide", rid, 1, "approve")
ok("the seller approves", rc == 0, err)
ok("its unit goes to normal stock; the sale keeps it sold",
   stock() == "8" and sold() == "3|2" and left() == "1" and returned() == "1",
   (stock(), sold(), left(), returned()))
ok("the flash order is not released", sql(
    "SELECT released FROM flash_orders WHERE order_id = %s" % oid) == "f")
rc, ret, err = ctl("order", "return-request", pub, "the other one too")
ok("whole-order return requested", rc == 0 and ret.isdigit(), err)
ok("approved and received", ctl("return", "approve", ret)[0] == 0 and
   ctl("return", "receive", ret)[0] == 0)
ok("the whole return gives only the other unit (9, not 10)",
   stock() == "9" and sold() == "3|2" and returned() == "2", (stock(), sold(), returned()))
rc, out, err = ctl("flash", "end", sale)
ok("the end gives the 1 unsold unit: every unit back once", rc == 0 and stock() == "10" and
   sql("SELECT sum(qty) || '|' || sum(returned) FROM flash_stock WHERE sale_id = %d" % sale)
   == "3|3", (err, stock()))
PY

check "the ledger balances at the end" wait_for 20 "$SOUK_CTL" ledger check

done_testing
