#!/usr/bin/env bash
# 84-flash-repair: a flash order released in PostgreSQL whose Redis
# give-back was lost (Redis failed right after the release's commit) is
# given back by the worker's flash job (flash_repair_gives, every
# SOUK_FLASH_REPAIR_S: 10 s, the test stack's 2 s), logged, and only once.
. "$(dirname "$0")/lib.sh"

pycheck "$(dirname "$0")" <<'PY'
import os, sys, time
sys.path.insert(0, sys.argv[1])
from flashlib import *

ok = Checks()
sku = make_sku(10, price=5000)
sale = create_sale(sku, 3, price=1999, starts="now+3", prequeue="now", limit=2,
                   max_active=2, admit_per_min=6000)
start = time.time() + 3
stock, sold, left = sale_figures(sku, sale)
v, oid = buyer(ok, sale, start, 2, "k-rep")
ok("sold 2 of 3: Redis 1 left", sold() == "3|2" and left() == "1", (sold(), left()))

# the release commits in PostgreSQL (flash_release_order's statement),
# its Redis give-back never comes
sql("WITH f AS (UPDATE flash_orders SET released = true WHERE order_id = %s AND NOT released"
    " RETURNING sale_id, qty) UPDATE flash_sales s SET units_sold = s.units_sold - f.qty"
    " FROM f WHERE s.id = f.sale_id" % oid)
# the worker's repair runs every 2 s here and may already have given the
# units back by this check: Redis then holds 3, never anything else
ok("released in PostgreSQL: units_sold 0, Redis 1 left (3 once repaired)",
   sold() == "3|0" and left() in ("1", "3"), (sold(), left()))
log = os.path.join(os.environ["SOUK_VAR"], "log", "worker.log")
ok("the worker's repair gives the 2 units back in Redis: 3 left", wait_until(lambda: left() == "3", 25),
   left())
ok("and logs it", wait_until(lambda: "order %s's 2 units were not back in Redis" % oid
                             in open(log, errors="replace").read(), 3))
ok("the customer's count is back to 0", redis("HEXISTS", "flash:%d:bought" % sale, v.caller()) == "0")
time.sleep(int(os.environ.get("SOUK_FLASH_REPAIR_S", "10")) + 1)  # one more repair round
ok("a later repair gives nothing more: 3 left", left() == "3", left())
rc, out, err = ctl("flash", "end", sale)
ok("the end gives the 3 unsold units to stock", rc == 0 and stock() == "10", (err, stock()))
PY
done_testing
