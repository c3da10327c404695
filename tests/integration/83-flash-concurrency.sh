#!/usr/bin/env bash
# 83-flash-concurrency: 2,000 visitors (distinct sessions) for 300 units,
# limit 2, 32 at a time (tests/integration/flash-load.py): exactly 300
# sold, nobody above the limit, PostgreSQL and Redis agree at the end,
# every order CONFIRMED (kept) or CANCELLED (released), never a 5xx.
. "$(dirname "$0")/lib.sh"

out=$(python3 "$(dirname "$0")/flash-load.py" --visitors "${FLASH_IT_VISITORS:-2000}" \
    --units 300 --limit 2 --threads 32 --max-active 200 --decline 0 2>&1)
diag "$out"
pycheck "$out" <<'PY'
import json, sys
r = json.loads(sys.argv[1].splitlines()[-1])
def ok(what, cond):
    print(("ok - " if cond else "not ok - ") + what)
ok("every visitor got a ticket (%d)" % r["join_ok"], r["join_ok"] == r["visitors"])
ok("exactly 300 sold (units_sold %d, by orders %d, by clients %d)" % (r["units_sold"], r["sold_by_orders"], r["bought_by_clients"]),
   r["units_sold"] == 300 and r["sold_by_orders"] == 300 and r["bought_by_clients"] == 300)
ok("nothing oversold", r["oversold"] == 0)
ok("nobody above the limit (max %d)" % r["max_per_customer"], r["max_per_customer"] <= 2)
ok("PostgreSQL and Redis agree on what is left (%d / %d)" % (r["pg_left"], r["redis_left"]),
   r["pg_left"] == r["redis_left"] == 0)
ok("every flash order is CONFIRMED or released (%s)" % r["orders_by_status"], r["orders_not_confirmed_or_released"] == 0)
ok("no 5xx among the orders (%s)" % r["orders_by_http_status"],
   not any(int(s) >= 500 for s in r["orders_by_http_status"]))
ok("admission after the start is first come, first served (tau %s)" % r["kendall_tau"],
   r["kendall_tau"] is None or r["kendall_tau"] >= 0.9)
PY
done_testing
