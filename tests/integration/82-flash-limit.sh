#!/usr/bin/env bash
# 82-flash-limit: the per-customer limit under parallel requests from one
# customer (one session, one pass, 8 orders at once with different keys):
# exactly the limit is sold, the rest is refused (409 / 403), and a
# sign-in does not reset it.
. "$(dirname "$0")/lib.sh"

pycheck "$(dirname "$0")" <<'PY'
import sys, threading, time
sys.path.insert(0, sys.argv[1])
from flashlib import *

ok = Checks()
sku = make_sku(50)
sale = create_sale(sku, 40, starts="now+1", prequeue="now", limit=2, max_active=10,
                   admit_per_min=60000)
v = Visitor()
v.ticket(sale)
time.sleep(1.3)
ok("admitted", wait_until(lambda: v.status(sale)[1]["state"] == "admitted", 5))
res = []
def one(n):
    w = Visitor()
    w.cookies = dict(v.cookies)
    st, j, raw, _ = w.order(sale, 1, "k-par-%d-%d" % (sale, n))
    res.append((st, j["error"]["code"] if st >= 400 and j else None))
ts = [threading.Thread(target=one, args=(n,)) for n in range(8)]
[t.start() for t in ts]
[t.join() for t in ts]
ok("8 parallel orders of 1: exactly 2 succeed (%s)" % sorted(res), sum(1 for s, _ in res if s == 201) == 2)
ok("the others are refused with 409 over_limit / sold_out or 403 pass_spent",
   all(s in (201, 403, 409) for s, _ in res), res)
ok("PostgreSQL: 2 units for the customer, units_sold 2", sql(
    "SELECT sum(f.qty) || '|' || max(s.units_sold) FROM flash_orders f JOIN flash_sales s ON s.id = f.sale_id"
    " WHERE f.sale_id = %d AND NOT f.released" % sale) == "2|2")
ok("Redis agrees: 38 left, the customer holds 2", redis("GET", "flash:%d:left" % sale) == "38" and
   redis("HGET", "flash:%d:bought" % sale, v.caller()) == "2")
st, j, raw, _ = v.order(sale, 1, "k-more-%d" % sale)
ok("one more -> 403 pass_spent", st == 403, raw)
PY
done_testing
