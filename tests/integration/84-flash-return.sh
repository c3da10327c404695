#!/usr/bin/env bash
# 84-flash-return: a flash order returned after delivery (docs/FLASH.md
# "Returned orders") — its units go to normal stock once, through the
# return desk's receive (the order hook on RETURNED), not to the sale:
# the sale's units_sold, the customer's count and the Redis units stay;
# the sale's end then gives back only its unsold units.
. "$(dirname "$0")/lib.sh"

pycheck "$(dirname "$0")" <<'PY'
import sys, time
sys.path.insert(0, sys.argv[1])
from flashlib import *

ok = Checks()
sku = make_sku(10, price=5000)
sale = create_sale(sku, 3, price=1999, starts="now+3", prequeue="now", limit=2,
                   max_active=2, admit_per_min=6000)
start = time.time() + 3
stock, sold, left = sale_figures(sku, sale)
events = lambda: sql("SELECT count(*) FROM outbox WHERE topic = 'inventory'"
                     " AND (payload->>'sku_id')::bigint = %d" % sku)
ok("create moves 3 units out of normal stock", stock() == "7")
v, oid = buyer(ok, sale, start, 2, "k-ret")
pub = sql("SELECT public_id FROM orders WHERE id = %s" % oid)
bought = lambda: redis("HGET", "flash:%d:bought" % sale, v.caller())
ok("sold 2 of 3: Redis 1 left, the customer's count 2",
   sold() == "3|2" and left() == "1" and bought() == "2", (sold(), left(), bought()))

# delivered (billing captures on CONFIRMED; the refund needs the capture)
ok("the payment is captured", wait_until(lambda: sql(
    "SELECT status FROM payments WHERE order_id = %s" % oid) == "captured", 15) or
   ctl("order", "capture", pub)[0] == 0)
for step in (("process",), ("ship", "UPS", "1Z-RET"), ("deliver",)):
    rc, out, err = ctl("order", step[0], pub, *step[1:])
    ok("ctl order %s" % step[0], rc == 0, err)
rc, rid, err = ctl("order", "return-request", pub, "too small")
ok("return requested", rc == 0 and rid.isdigit(), err)
rc, out, err = ctl("return", "approve", rid)
ok("return approved", rc == 0, err)
ok("approving a return moves no stock", stock() == "7" and sold() == "3|2", (stock(), sold()))
before = int(events())
rc, out, err = ctl("return", "receive", rid)
ok("return received: the order is RETURNED", rc == 0 and
   sql("SELECT status FROM orders WHERE id = %s" % oid) == "RETURNED", err)
ok("its 2 units go to normal stock", stock() == "9", stock())
ok("the sale keeps them sold: units_sold 2, Redis 1 left, the customer's count 2",
   sold() == "3|2" and left() == "1" and bought() == "2", (sold(), left(), bought()))
ok("the flash order is not released (the per-customer limit counts it)",
   sql("SELECT released FROM flash_orders WHERE order_id = %s" % oid) == "f")
ok("flash_stock: 2 of the 3 units taken went back", sql(
    "SELECT sum(returned) FROM flash_stock WHERE sale_id = %d" % sale) == "2")
ok("an inventory.changed event for the restock", int(events()) == before + 1, (before, events()))
rc, out, err = ctl("return", "receive", rid)
ok("receiving it again fails and restocks nothing", rc != 0 and stock() == "9" and
   sold() == "3|2" and left() == "1", (rc, stock(), sold(), left()))

# the end: only the unsold unit goes back; every unit taken is back once
rc, out, err = ctl("flash", "end", sale)
ok("ctl flash end gives the 1 unsold unit to stock", rc == 0 and stock() == "10" and
   sold() == "2|2", (err, stock(), sold()))
ok("flash_stock: every unit taken went back, once", sql(
    "SELECT sum(qty) || '|' || sum(returned) FROM flash_stock WHERE sale_id = %d" % sale) == "3|3")
PY
done_testing
