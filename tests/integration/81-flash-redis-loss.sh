#!/usr/bin/env bash
# 81-flash-redis-loss: Redis FLUSHALL in the middle of a sale. The line is
# rebuilt from the signed tickets that come back and the checkpoint in
# PostgreSQL: the same order, nobody's place lost, no ticket number given
# twice, the units re-warmed from PostgreSQL before anyone new is
# admitted, and nothing oversold.
. "$(dirname "$0")/lib.sh"

pycheck "$(dirname "$0")" <<'PY'
import sys, time
sys.path.insert(0, sys.argv[1])
from flashlib import *

ok = Checks()
sku = make_sku(30)
sale = create_sale(sku, 10, starts="now+2", prequeue="now", limit=2, max_active=3,
                   admit_per_min=60000)
vs = [Visitor() for _ in range(14)]
for v in vs[:8]:
    v.ticket(sale)             # pre-queue
time.sleep(2.3)
for v in vs[8:]:
    v.ticket(sale)             # after the start, in order
def states():
    return [v.status(sale)[1] for v in vs]
before = states()
adm = [i for i, s in enumerate(before) if s["state"] == "admitted"]
ok("3 admitted (max_active), the others wait", len(adm) == 3 and
   sum(1 for s in before if s["state"] == "waiting") == 11, before)
order_before = [i for i, s in sorted(enumerate(before), key=lambda x: x[1].get("position") or 0)
                if s["state"] == "waiting"]
ok("post-start arrivals wait behind the pre-queue, in arrival order",
   order_before[-6:] == list(range(8, 14)), order_before)
st, j, raw, _ = vs[adm[0]].order(sale, 2, "k-pre-%d" % sale)
ok("an admitted visitor buys 2", st == 201, raw)
ok("the worker checkpoints the queue", wait_until(lambda: sql(
    "SELECT ck_adm > 0 AND ck_seq >= 14 FROM flash_sales WHERE id = %d" % sale) == "t", 5))

redis("FLUSHALL")
after = states()
ok("after FLUSHALL: re-warmed from PostgreSQL (8 left)", redis("GET", "flash:%d:left" % sale) == "8")
ok("the admitted keep their turn", all(after[i]["state"] in ("admitted", "ended") for i in adm), after)
after = states()  # everyone is back in line now
order_after = [i for i, s in sorted(enumerate(after), key=lambda x: x[1].get("position") or 0)
               if s["state"] == "waiting"]
ok("the line resumes in the same order", order_after == order_before, (order_before, order_after))
ok("the same positions", [after[i]["position"] for i in order_after] ==
   [before[i]["position"] for i in order_before], after)
ok("nobody new admitted during the rebuild hold", sum(1 for s in after if s["state"] == "admitted") == 2, after)
n = Visitor()
st, j, raw, _ = n.ticket(sale)
ok("a new ticket after the loss gets a fresh number (not one given before)",
   st == 201 and j["number"] > 14 and j["state"] == "waiting" and j["position"] == len(order_before) + 1, raw)
st, j, raw, _ = vs[adm[0]].order(sale, 1, "k-post-%d" % sale)
ok("the customer's bought units survive the loss (limit reached -> 403)", st == 403, raw)

# everyone buys what they can: never more than the 10 units
time.sleep(2.6)
deadline = time.time() + 25
sold = 0
while time.time() < deadline:
    busy = False
    for i, v in enumerate(vs + [n]):
        s = v.status(sale)[1]
        if s["state"] == "admitted":
            st, j, raw, _ = v.order(sale, 2, "k-end-%d-%d" % (sale, i))
            busy = True
        elif s["state"] == "waiting":
            busy = True
    if not busy:
        break
ok("sold out at exactly 10, nothing oversold", sql(
    "SELECT units_sold || '|' || (SELECT sum(qty) FROM flash_orders WHERE sale_id = %d AND NOT released)"
    " FROM flash_sales WHERE id = %d" % (sale, sale)) == "10|10")
ok("PostgreSQL and Redis agree (0 left)", redis("GET", "flash:%d:left" % sale) == "0")
ok("everyone still in line is told sold out", all(v.status(sale)[1]["state"] in ("sold_out", "ended")
                                                  for v in vs + [n]))
PY
done_testing
