#!/usr/bin/env bash
# 84-flash-push: the waiting room's push (nginx's nchan, docs/FLASH.md
# "Push"). An EventSource subscriber (curl -N in the background) hears
# sold_out within 1 s of the last unit (in fact when Redis takes it,
# before the buyer's 201), "running" when a declined card gives the units
# back, "paused" and "ended"; a long-poll that comes later gets the latest
# state at once; publishing from the public port is refused (and
# publishes nothing); one address holds at most 16 streams.
. "$(dirname "$0")/lib.sh"

pycheck "$(dirname "$0")" <<'PY'
import re, sys, time
sys.path.insert(0, sys.argv[1])
from flashlib import *

ok = Checks()
sku = make_sku(10, price=8000)
sale = create_sale(sku, 2, price=2500, starts="now", ends="now+1h", prequeue="now", limit=2,
                   max_active=1, admit_per_min=6000)
buyer, waiter = Visitor(), Visitor()
buyer.ticket(sale)
ok("the first visitor is admitted (max_active 1)",
   wait_until(lambda: buyer.status(sale)[1]["state"] == "admitted", 5))
waiter.ticket(sale)
st, j, raw, _ = waiter.status(sale)
ok("the second waits in line", st == 200 and j["state"] == "waiting", raw)
st, j, raw, _ = waiter.req("GET", "/flash/%d" % sale)
html = raw.decode()
ok("the waiting page carries the time its status was read (data-now) and the script",
   st == 200 and re.search(r'data-now="[0-9]{13}"', html) and "/static/flash.js" in html, html[:600])
js = Visitor().req("GET", "/static/flash.js")[2]
ok("flash.js subscribes to the sale's events", b"EventSource" in js and b"/events" in js)

# the worker announces the start (and pushes "running") within a second:
# after that, every message below is this test's doing
ok("the worker announced the start", wait_until(lambda: sql(
    "SELECT count(*) FROM outbox WHERE topic = 'flash' AND key = '%d' AND payload->>'type' = 'flash.started'" % sale) == "1", 5))
time.sleep(0.3)
sub = Subscriber(sale)
ok("an EventSource subscriber is held by nginx (its greeting arrived)", wait_until(sub.connected, 5), sub.lines)

t0 = time.monotonic()
st, j, raw, _ = buyer.order(sale, 2, "k-push-decl-%d" % sale, card="4000000000000002")
ok("a declined card for the last 2 units -> 402", st == 402, raw)
ok("... pushed: sold_out when Redis took them, then running with 2 left when the decline gave them back",
   wait_until(lambda: sub.first("running", t0) is not None, 3) and sub.first("sold_out", t0) is not None
   and sub.first("sold_out", t0) <= sub.first("running", t0)
   and [m for t, m in sub.messages() if t >= t0 and m["state"] == "running"][0].get("units_left") == 2,
   sub.lines)
ok("... and the line still waits", waiter.status(sale)[1]["state"] == "waiting")

t0 = time.monotonic()
st, j, raw, _ = buyer.order(sale, 2, "k-push-buy-%d" % sale)
t201 = time.monotonic()
ok("buying the last 2 units -> 201", st == 201, raw)
wait_until(lambda: sub.first("sold_out", t0) is not None, 3)
seen = sub.first("sold_out", t0)
ok("the subscriber received sold_out within 1 s of the last unit's 201 (%s s after it)"
   % (None if seen is None else round(seen - t201, 3)), seen is not None and seen - t201 <= 1.0, sub.lines)
m = [m for t, m in sub.messages() if t >= t0 and m["state"] == "sold_out"]
ok("... the message: the sale, units_left 0, when it was published (ms)",
   m and m[0]["sale"] == sale and m[0]["units_left"] == 0 and abs(m[0]["at"] / 1000 - time.time()) < 60, m)
ok("... and the status poll agrees", waiter.status(sale)[1]["state"] == "sold_out")
st, j, raw, h = Visitor().req("GET", "/api/v1/flash/%d/events" % sale)
ok("a long-poll subscriber that comes later gets sold_out at once (the channel keeps the latest state)",
   st == 200 and j and j["state"] == "sold_out", (st, raw[:200]))

n = len(sub.messages())
forged = {"sale": sale, "state": "running", "units_left": 5}
for path, hdrs in (("/api/v1/flash/%d/events" % sale, {}), ("/flash/%d" % sale, {"Host": "push"}),
                   ("/api/v1/flash/%d/events" % sale, {"Host": "push"})):
    st, j, raw, _ = Visitor().req("POST", path, forged, headers=hdrs)
    ok("a public POST %s%s is refused (%d)" % (path, " (Host: push)" if hdrs else "", st), 400 <= st < 500, raw[:200])
time.sleep(0.5)
ok("... and published nothing: the subscriber heard no more", len(sub.messages()) == n
   and not any(m.get("units_left") == 5 for t, m in sub.messages()), sub.lines[-4:])
st, j, raw, h = Visitor().req("GET", "/api/v1/flash/%d/events" % sale)
ok("... the channel still says sold_out", st == 200 and j and j["state"] == "sold_out", raw[:200])

t0 = time.monotonic()
rc, out, err = ctl("flash", "pause", sale)
ok("ctl flash pause -> paused pushed within 1 s", rc == 0 and wait_until(lambda: sub.first("paused", t0), 1), err)
t0 = time.monotonic()
rc, out, err = ctl("flash", "end", sale)
ok("ctl flash end -> ended pushed within 1 s", rc == 0 and wait_until(lambda: sub.first("ended", t0), 1), err)
sub.close()

# one address holds at most 16 streams (nginx limit_conn; the test stack
# exempts 127.0.0.1, so from 127.0.0.2)
subs = [Subscriber(sale, addr="127.0.0.2") for _ in range(16)]
ok("16 streams from one address are held", wait_until(lambda: all(s.connected() for s in subs), 10),
   [s.lines[:2] for s in subs if not s.connected()][:2])
extra = Subscriber(sale, addr="127.0.0.2")
ok("the 17th is refused with 429 (the page then polls)", wait_until(lambda: extra.status() is not None, 5)
   and extra.status() == 429, extra.lines)
for s in subs + [extra]:
    s.close()
PY
done_testing
