#!/usr/bin/env bash
# 80-flash-api: a flash sale through its API — units set aside at create,
# the pre-queue, one ticket per session, admission with a signed pass,
# buying (the conditional UPDATE is the final word), bad input and abuse
# (forged / expired / another session's pass -> 403, qty -> 400/409,
# unknown sale -> 404), a declined card giving its units back, pause /
# resume / end (units back to stock) and the sale's events.
. "$(dirname "$0")/lib.sh"

pycheck "$(dirname "$0")" <<'PY'
import sys, time
sys.path.insert(0, sys.argv[1])
from flashlib import *

ok = Checks()
sku = make_sku(20, price=5000)
# the pre-queue checks below must all run before the start: 8 s leaves
# room for a loaded machine (each sql/ctl call is a process)
sale = create_sale(sku, 10, price=1999, starts="now+8", prequeue="now", limit=2,
                   max_active=2, admit_per_min=6000)
start = time.time() + 8
ok("create moves 10 units out of normal stock", sql(
    "SELECT sum(quantity_available) FROM inventory WHERE sku_id = %d" % sku) == "10")
ok("flash_stock records where they came from",
   sql("SELECT warehouse_id || ':' || qty FROM flash_stock WHERE sale_id = %d" % sale) == "1:10")
rc, out, err = ctl("flash", "create", "--sku", sku, "--units", 11, "--price", 1,
                   "--starts", "now+5", "--ends", "now+1h")
ok("create beyond the stock left fails and changes nothing", rc != 0 and
   sql("SELECT sum(quantity_available) FROM inventory WHERE sku_id = %d" % sku) == "10", err)
rc, out, err = ctl("flash", "create", "--sku", sku, "--units", 1, "--price", 1,
                   "--starts", "2026-13-01T00:00:00Z", "--ends", "now+1h")
ok("create with a bad time is a usage error", rc == 2, err)

a, b, c = Visitor(), Visitor(), Visitor()
st, j, raw, h = a.ticket(sale)
ok("ticket -> 201 in the pre-queue", st == 201 and j["state"] == "prequeue" and j["eta_s"] >= 1, raw)
tok = j["ticket"]
ok("the ticket cookie is set (HttpOnly)", "souk_flash_t%d" % sale in a.cookies and
   "HttpOnly" in h.get("set-cookie", "") or "souk_flash_t%d" % sale in a.cookies, h)
st, j2, raw, _ = a.ticket(sale)
ok("joining again from the same session -> the same ticket", st == 201 and j2["ticket"] == tok, raw)
st, j3, raw, _ = a.ticket(sale, cookies=False, headers={"X-Souk-Ticket": tok})
ok("the ticket in X-Souk-Ticket without the session's cookie -> 403", st == 403, raw)
b.ticket(sale)
c.ticket(sale)

st, j, raw, _ = a.req("GET", "/api/v1/flash/%d/status" % sale, cookies=False)
ok("status without a ticket -> 400", st == 400 and j["error"]["code"] == "no_ticket", raw)
forged = tok[:-1] + ("0" if tok[-1] != "0" else "1")
st, j, raw, _ = a.status(sale, headers={"X-Souk-Ticket": forged})
ok("status with a forged ticket -> 403", st == 403, raw)
for path, meth in (("/api/v1/flash/999999999/tickets", "POST"),
                   ("/api/v1/flash/999999999/status", "GET"), ("/flash/999999999", "GET"),
                   ("/api/v1/flash/999999999/orders", "POST")):
    st, j, raw, _ = a.req(meth, path, body={} if meth == "POST" else None)
    ok("unknown sale: %s %s -> 404" % (meth, path), st == 404, raw)
st, j, raw, _ = a.req("GET", "/api/v1/flash/abc/status")
ok("a sale id that is not a number -> 400 or 404", st in (400, 404), raw)

st, j, raw, _ = a.order(sale, 1, "k-early-%d" % sale)
ok("buying before admission -> 403 with the waiting room's link",
   st == 403 and j["error"]["waiting_room"] == "/flash/%d" % sale, raw)

time.sleep(max(0, start - time.time()) + 0.3)
sts = [v.status(sale)[1] for v in (a, b, c)]
adm = [v for v, x in zip((a, b, c), sts) if x["state"] == "admitted"]
wait = [x for x in sts if x["state"] == "waiting"]
ok("after the start, max_active 2: two of the pre-queue admitted (with passes), one waits with position 1",
   len(adm) == 2 and len(wait) == 1 and wait[0]["position"] == 1 and wait[0]["ahead"] == 0 and
   all("pass" in x and x["pass"]["expires_at"] > time.time() for x in sts if x["state"] == "admitted"), sts)
a, buyer = adm  # the pre-queue's order is the shuffle's
pa = a.status(sale)[1]["pass"]["token"]

for q, want in ((0, 400), (-1, 400), ("2", 400), (1.5, 400), (3, 409), (100, 400)):
    body = order_body(1)
    body["qty"] = q
    st, j, raw, _ = a.req("POST", "/api/v1/flash/%d/orders" % sale, body,
                          headers={"Idempotency-Key": "flash-k-q-%s-%d" % (q, sale)})
    ok("qty %r -> %d" % (q, want), st == want, raw)
st, j, raw, _ = a.req("POST", "/api/v1/flash/%d/orders" % sale, {"email": "x@example.com"},
                      headers={"Idempotency-Key": "k-noqty-%d" % sale})
ok("no qty -> 400", st == 400, raw)

st, j, raw, _ = a.order(sale, 1, "k-forged-%d" % sale, cookies=True,
                        headers={"X-Souk-Pass": pa[:-2] + ("00" if pa[-2:] != "00" else "11")})
ok("a forged pass -> 403", st == 403 and j["error"]["code"] == "no_pass", raw)
d = Visitor()
d.ticket(sale)
st, j, raw, _ = d.order(sale, 1, "k-other-%d" % sale, headers={"X-Souk-Pass": pa})
ok("another session's pass -> 403", st == 403, raw)
ticket_no = int(pa.split(".")[1])
expired = sign("pass", sale, ticket_no, int(time.time()) - 5, a.caller())
st, j, raw, _ = a.order(sale, 1, "k-exp-%d" % sale, cookies=False,
                        headers={"X-Souk-Pass": expired,
                                 "Cookie": "souk_session=" + a.cookies["souk_session"]})
ok("an expired (correctly signed) pass -> 403", st == 403, raw)
ok("none of these sold anything", sql("SELECT units_sold FROM flash_sales WHERE id = %d" % sale) == "0")

st, j, raw, _ = a.order(sale, 2, "k-buy-%d" % sale)
ok("buying 2 with the pass -> 201 CONFIRMED at the sale price",
   st == 201 and j["order"]["status"] == "CONFIRMED" and j["order"]["subtotal"] == 3998 and
   j["order"]["items"][0]["unit_price"] == 1999 and j["order"]["items"][0]["qty"] == 2, raw)
ok("units_sold 2, one flash order of 2", sql(
    "SELECT s.units_sold || '|' || sum(f.qty) FROM flash_sales s JOIN flash_orders f ON f.sale_id = s.id"
    " WHERE s.id = %d AND NOT f.released GROUP BY s.units_sold" % sale) == "2|2")
ok("Redis has 8 units left", redis("GET", "flash:%d:left" % sale) == "8")
st, j, raw, _ = a.order(sale, 2, "k-buy-%d" % sale)
ok("the same key again -> the same order (replay), nothing more sold",
   st == 201 and sql("SELECT units_sold FROM flash_sales WHERE id = %d" % sale) == "2" and
   redis("GET", "flash:%d:left" % sale) == "8", raw)
st, j, raw, _ = a.order(sale, 1, "k-again-%d" % sale)
ok("a spent pass (limit reached) -> 403", st == 403 and j["error"]["code"] == "pass_spent", raw)
st, j, raw, _ = a.status(sale)
ok("status after buying the limit: ended for this ticket, no pass", j["state"] == "ended" and "pass" not in j, raw)

st, j, raw, _ = buyer.order(sale, 1, "k-decline-%d" % sale, card="4000000000000002")
ok("a declined card -> 402", st == 402 and j["error"]["code"] == "payment_declined", raw)
ok("the decline gives its unit back (PostgreSQL and Redis)",
   sql("SELECT units_sold FROM flash_sales WHERE id = %d" % sale) == "2" and
   redis("GET", "flash:%d:left" % sale) == "8")
st, j, raw, _ = buyer.order(sale, 2, "k-retry-%d" % sale)
ok("the same pass buys with another card -> 201", st == 201, raw)

rc, out, err = ctl("flash", "pause", sale)
ok("ctl flash pause", rc == 0, err)
time.sleep(0.7)
e = Visitor()
st, j, raw, _ = e.ticket(sale)
ok("while paused a new ticket waits (state paused)", st == 201 and j["state"] == "paused", raw)
rc, out, err = ctl("flash", "resume", sale)
time.sleep(0.7)
# FIFO: d joined before e, so the line moves with d first (max_active 2)
ok("after resume admission goes on (the next in line is admitted)",
   wait_until(lambda: d.status(sale)[1]["state"] == "admitted" or
              e.status(sale)[1]["state"] == "admitted", 3))
rc, out, err = ctl("flash", "show", sale)
show = json.loads(out) if rc == 0 else {}
ok("ctl flash show: the dashboard's figures", show.get("units") == 10 and show.get("units_sold") == 4
   and show.get("units_left") == 6 and show.get("queued", 0) >= 4 and show.get("admitted", 0) >= 3
   and show.get("state") == "running" and "active_passes" in show and "last_in_line_eta_s" in show, out)

ok("the worker announced the start", wait_until(lambda: sql(
    "SELECT count(*) FROM outbox WHERE topic = 'flash' AND key = '%d' AND payload->>'type' = 'flash.started'" % sale) == "1", 5))
rc, out, err = ctl("flash", "end", sale)
ok("ctl flash end", rc == 0, err)
ok("ending gives the 6 unsold units back to normal stock", sql(
    "SELECT sum(quantity_available) FROM inventory WHERE sku_id = %d" % sku) == "16")
ok("the sale is shrunk to what sold", sql(
    "SELECT state || '|' || units || '|' || units_sold FROM flash_sales WHERE id = %d" % sale) == "ended|4|4")
rc, out, err = ctl("flash", "end", sale)
ok("ending twice fails (409) and gives nothing more back", rc != 0 and sql(
    "SELECT sum(quantity_available) FROM inventory WHERE sku_id = %d" % sku) == "16", err)
time.sleep(0.6)
st, j, raw, _ = c.status(sale)
ok("status after the end -> ended", j["state"] == "ended", raw)
st, j, raw, _ = Visitor().ticket(sale)
ok("a ticket after the end -> 409", st == 409, raw)
ok("events: created, started, ended", sql(
    "SELECT string_agg(payload->>'type', ',' ORDER BY id) FROM outbox WHERE topic = 'flash' AND key = '%d'" % sale)
   == "flash.created,flash.started,flash.ended")
PY
done_testing
