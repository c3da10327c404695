#!/usr/bin/env bash
# 84-flash-edge: the waiting room on an ingress of its own (issue 10,
# "isolation"; docs/FLASH.md "The flash edge"). The flash edge (a second
# nginx) answers the flash API on its own port ($SOUK_FLASH_URL); the
# shop's port answers the same routes through it (same status and body;
# a cookie set through one door works through the other); a push
# subscriber on the shop's port hears a publish; the per-address limits
# see the real client through either door (one budget for both), and a
# forged X-Real-IP on the edge's own port changes nothing; anything but
# the waiting room is 404 on the edge.
. "$(dirname "$0")/lib.sh"

pycheck "$(dirname "$0")" "${SOUK_FLASH_URL:?the test stack names the flash edge}" "$SOUK_LOG_DIR" <<'PY'
import http.client, sys, threading, time, urllib.parse
sys.path.insert(0, sys.argv[1])
from flashlib import *

EDGE, LOGDIR = sys.argv[2], sys.argv[3]
ok = Checks()
sku = make_sku(10, price=8000)
sale = create_sale(sku, 2, price=2500, starts="now", ends="now+1h", prequeue="now", limit=2,
                   max_active=1, admit_per_min=6000)

# ---- the edge answers the flash API on its own port
first = Visitor(base=EDGE)
st, j, raw, _ = first.ticket(sale)
ok("the edge's own port: POST tickets -> 201", st == 201 and j and j.get("ticket"), raw)
ok("the first visitor is admitted (max_active 1), asked at the edge",
   wait_until(lambda: first.status(sale)[1]["state"] == "admitted", 5))

# ---- a ticket made through the shop's port, polled at both doors
waiter = Visitor()
st, j, raw, h = waiter.ticket(sale)
ok("the shop's port: POST tickets -> 201 with the ticket cookie",
   st == 201 and ("souk_flash_t%d" % sale) in waiter.cookies, raw)
ticket = j and j.get("ticket")
at_edge = Visitor(base=EDGE)
at_edge.cookies = dict(waiter.cookies)

def same_status():
    a = waiter.status(sale)
    b = at_edge.status(sale)
    return a, b
for _ in range(3):  # eta_s may tick between the two reads: ask again
    (sa, ja, ra, ha), (sb, jb, rb, hb) = same_status()
    if sa == sb and ja == jb:
        break
ok("a status poll answers the same status and body at both doors (%s / %s)" % (sa, sb),
   sa == sb == 200 and ja == jb and ja["state"] == "waiting", (ra, rb))
ok("... for the ticket set through the shop's port", ja and ja.get("position") is not None)
st, j, raw, _ = at_edge.ticket(sale)
ok("joining again at the edge with the shop's cookies: the same ticket", st in (200, 201) and j and j.get("ticket") == ticket, raw)

# ... and the other way: a ticket made at the edge, used through the shop
other = Visitor(base=EDGE)
st, j, raw, _ = other.ticket(sale)
ok("another visitor joins at the edge -> 201", st == 201, raw)
t2 = j and j.get("ticket")
via_shop = Visitor()
via_shop.cookies = dict(other.cookies)
st, j2, raw, _ = via_shop.status(sale)
ok("its cookies work through the shop's port (status 200, waiting)", st == 200 and j2["state"] == "waiting", raw)
st, j3, raw, _ = via_shop.ticket(sale)
ok("joining again through the shop's port: the same ticket", j3 and j3.get("ticket") == t2, raw)

# the headers: the security headers once, not twice (both nginx add them)
c = http.client.HTTPConnection(urllib.parse.urlparse(BASE).hostname, urllib.parse.urlparse(BASE).port, timeout=10)
c.request("GET", "/api/v1/flash/%d/status" % sale, headers={"Cookie": "; ".join("%s=%s" % kv for kv in waiter.cookies.items())})
r = c.getresponse(); r.read()
xfo = [v for k, v in r.getheaders() if k.lower() == "x-frame-options"]
csp = [v for k, v in r.getheaders() if k.lower() == "content-security-policy"]
ok("through the shop's port the security headers come once (X-Frame-Options %s, CSP %d)" % (xfo, len(csp)),
   xfo == ["DENY"] and len(csp) == 1)
c.close()

# ---- the waiting page works at both doors
st, _, raw, _ = waiter.req("GET", "/flash/%d" % sale)
ok("the waiting page through the shop's port: 200", st == 200 and b"/static/flash.js" in raw)
st, _, raw, _ = at_edge.req("GET", "/flash/%d" % sale)
ok("the waiting page at the edge: 200", st == 200 and b"/static/flash.js" in raw)
st, _, raw, _ = at_edge.req("GET", "/static/flash.js")
ok("the edge serves the page's script (/static/)", st == 200 and b"EventSource" in raw)

# ---- a push subscriber on the shop's port (and one at the edge) hears a publish
time.sleep(0.3)
sub_shop = Subscriber(sale)
sub_edge = Subscriber(sale, base=EDGE)
ok("a push subscriber on the shop's port is held (greeting)", wait_until(sub_shop.connected, 5), sub_shop.lines)
ok("a push subscriber at the edge is held (greeting)", wait_until(sub_edge.connected, 5), sub_edge.lines)
t0 = time.monotonic()
ctl("flash", "pause", sale)
ok("the shop's port's subscriber hears 'paused' within 2 s",
   wait_until(lambda: sub_shop.first("paused", t0) is not None, 2), sub_shop.lines[-5:])
ok("the edge's subscriber hears it too",
   wait_until(lambda: sub_edge.first("paused", t0) is not None, 2), sub_edge.lines[-5:])
ctl("flash", "resume", sale)
sub_shop.close(); sub_edge.close()

# ---- the limits: the real client through either door
def burst(n, addr, door, forge=False):
    """n ticket requests at once from addr (fresh sessions): their statuses."""
    out = []
    def one(i):
        v = Visitor(addr=addr, base=door(i))
        h = {"X-Real-IP": "10.%d.%d.%d" % (i, i, i), "X-Forwarded-For": "10.9.9.%d" % i} if forge else {}
        try:
            out.append(v.ticket(sale, headers=h)[0])
        finally:
            v.close()
    ts = [threading.Thread(target=one, args=(i,)) for i in range(n)]
    for t in ts: t.start()
    for t in ts: t.join()
    return out

def counts(sts):
    return sum(1 for s in sts if s == 429), sum(1 for s in sts if s in (200, 201))

# souk_flash_join: 30/min, burst 20 -> of 30 at once ~21 pass, ~9 get 429.
# Were each forged X-Real-IP its own budget, none would.
n429, npass = counts(burst(30, "127.0.0.3", lambda i: EDGE, forge=True))
ok("a forged X-Real-IP on the edge's own port does not escape the per-address limit (%d passed, %d got 429)" % (npass, n429),
   n429 >= 5 and npass <= 23 and npass + n429 == 30)
log = open(LOGDIR + "/flash-edge-access.log").read()
ok("the edge logs the connecting address, not the forged one",
   "127.0.0.3 " in log and "10.1.1.1 " not in log and "10.9.9." not in log)
# one budget through both doors, the shop's port overwriting a forged header
n429, npass = counts(burst(30, "127.0.0.4", lambda i: EDGE if i % 2 else BASE, forge=True))
ok("30 at once from one address, half through the shop's port and half at the edge: one budget (%d passed, %d got 429)" % (npass, n429),
   n429 >= 5 and npass <= 23 and npass + n429 == 30)
n429, npass = counts(burst(30, "127.0.0.5", lambda i: BASE, forge=True))
ok("through the shop's port alone, with forged headers, the limit still counts the client (%d passed, %d got 429)" % (npass, n429),
   n429 >= 5 and npass <= 23 and npass + n429 == 30)
c = http.client.HTTPConnection(urllib.parse.urlparse(BASE).hostname, urllib.parse.urlparse(BASE).port, timeout=10,
                               source_address=("127.0.0.5", 0))
c.request("POST", "/api/v1/flash/%d/tickets" % sale)
r = c.getresponse(); body = r.read()
ra = [v for k, v in r.getheaders() if k.lower() == "retry-after"]
ok("the 429 through the shop's port is the edge's, with Retry-After 60 once (%s %s)" % (r.status, ra),
   r.status == 429 and ra == ["60"] and b"Too many requests" in body, body[:200])
c.close()
st, _, _, _ = Visitor(addr="127.0.0.6").ticket(sale)
ok("another address is not limited", st == 201)

# ---- nothing but the waiting room at the edge
for path in ["/", "/healthz", "/products/1", "/api/v1/products/1", "/admin/", "/c/1", "/api/v1/cart", "/flashy"]:
    st, _, raw, _ = Visitor(base=EDGE).req("GET", path)
    ok("the edge answers %s with 404" % path, st == 404, raw[:200])
st, _, _, _ = Visitor().req("GET", "/healthz")
ok("the shop's port still answers /healthz", st == 200)
PY
done_testing
