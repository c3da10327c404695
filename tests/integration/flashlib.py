"""flashlib: a flash-sale visitor for the 8x integration scripts and
bench/flash.sh (stdlib only): its own cookies (session, ticket, pass),
the waiting-room API, and helpers to make a sale."""
import hashlib
import hmac
import http.client
import json
import os
import subprocess
import threading
import time
import urllib.parse

BASE = os.environ.get("SOUK_URL", "http://127.0.0.1:18080")
_U = urllib.parse.urlparse(BASE)

ADDRESS = {"name": "Ada Shopper", "line1": "1 Main St", "city": "Springfield",
           "postal_code": "12345", "country": "US"}


def order_body(qty, card="4242424242424242", email="flash@example.com"):
    return {"qty": qty, "email": email, "shipping_address": ADDRESS,
            "payment": {"card_number": card, "exp_month": 12, "exp_year": 2099, "cvc": "123"}}


class Visitor:
    """One browser: keeps the cookies it is given; one connection."""

    def __init__(self, addr=None, base=None):
        self.cookies = {}
        self.conn = None
        self.addr = addr
        # another door than SOUK_URL (the flash edge's own port)
        self.url = urllib.parse.urlparse(base) if base else _U

    def req(self, method, path, body=None, headers=None, cookies=True):
        h = dict(headers or {})
        if cookies and self.cookies:
            h["Cookie"] = "; ".join("%s=%s" % kv for kv in self.cookies.items())
        data = None
        if body is not None:
            data = body if isinstance(body, (bytes, str)) else json.dumps(body)
            h.setdefault("Content-Type", "application/json")
        for attempt in range(3):
            try:
                if self.conn is None:
                    self.conn = http.client.HTTPConnection(self.url.hostname, self.url.port, timeout=60,
                                                           source_address=(self.addr, 0) if self.addr else None)
                self.conn.request(method, path, body=data, headers=h)
                r = self.conn.getresponse()
                raw = r.read()
                break
            except (http.client.HTTPException, ConnectionError, OSError):
                self.close()
                if attempt == 2:
                    raise
        for k, v in r.getheaders():
            if k.lower() == "set-cookie":
                name, _, val = v.split(";", 1)[0].partition("=")
                if "Max-Age=0" in v:
                    self.cookies.pop(name, None)
                else:
                    self.cookies[name] = val
        try:
            j = json.loads(raw)
        except ValueError:
            j = None
        return r.status, j, raw, {k.lower(): v for k, v in r.getheaders()}

    def close(self):
        if self.conn:
            self.conn.close()
        self.conn = None

    def ticket(self, sale, **kw):
        return self.req("POST", "/api/v1/flash/%s/tickets" % sale, **kw)

    def status(self, sale, **kw):
        return self.req("GET", "/api/v1/flash/%s/status" % sale, **kw)

    def order(self, sale, qty, key, card="4242424242424242", headers=None, **kw):
        h = {"Idempotency-Key": "flash-" + key}  # 8..128 characters
        h.update(headers or {})
        return self.req("POST", "/api/v1/flash/%s/orders" % sale, order_body(qty, card),
                        headers=h, **kw)

    def caller(self):
        """The server's caller tag of this guest session (cart_caller)."""
        sid = self.cookies["souk_session"]
        return "s:" + hashlib.sha256(sid.encode()).hexdigest()


class Subscriber:
    """`curl -N` on a sale's push stream (EventSource, nginx's nchan), in
    the background: every line with the time (monotonic) it arrived."""

    def __init__(self, sale, addr=None, path=None, base=None):
        url = (base or BASE) + (path or "/api/v1/flash/%s/events" % sale)
        args = ["curl", "-N", "-s", "-H", "Accept: text/event-stream", "-w", "\n#status %{http_code}\n"]
        if addr:
            args += ["--interface", addr]
        self.lines = []
        self.p = subprocess.Popen(args + [url], stdout=subprocess.PIPE, text=True, bufsize=1)
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self):
        for line in self.p.stdout:
            self.lines.append((time.monotonic(), line.rstrip("\n")))

    def connected(self):
        """nchan greets an EventSource with a comment line (": hi")."""
        return any(l.startswith(":") for _, l in self.lines)

    def status(self):
        """curl's HTTP status, once it ended (None while the stream is open)."""
        for _, l in self.lines:
            if l.startswith("#status "):
                return int(l.split()[1])
        return None

    def messages(self):
        """[(arrived, message)] of the data lines so far."""
        return [(t, json.loads(l[5:].strip())) for t, l in list(self.lines) if l.startswith("data:")]

    def first(self, state, after=0.0):
        """When the first message of that state arrived after `after`, or None."""
        for t, m in self.messages():
            if m.get("state") == state and t >= after:
                return t
        return None

    def close(self):
        if self.p.poll() is None:
            self.p.terminate()
        self.p.wait()


def sign(kind, sale, ticket, n, caller):
    """A token signed like lib/shop/flash_pass.c with the stack's secret."""
    secret = os.environ.get("SOUK_FLASH_SECRET", "").encode()
    if not secret:  # the waiting room's own (the test stack makes one per run)
        pid = open(os.path.join(os.environ["SOUK_VAR"], "run", "waitroom.pid")).read().split()[0]
        env = open("/proc/%s/environ" % pid, "rb").read().split(b"\0")
        secret = [e for e in env if e.startswith(b"SOUK_FLASH_SECRET=")][0].split(b"=", 1)[1]
    msg = "%s|%d|%d|%d|%s" % (kind, sale, ticket, n, caller)
    return "%d.%d.%d.%s" % (sale, ticket, n, hmac.new(secret, msg.encode(), hashlib.sha256).hexdigest())


def sql(q):
    return subprocess.run(["psql", "-X", "-q", "-t", "-A", "-c", q], capture_output=True,
                          text=True, check=True).stdout.strip()


def redis(*args):
    return subprocess.run(["redis-cli", "-p", os.environ["SOUK_REDIS_PORT"], *map(str, args)],
                          capture_output=True, text=True, check=True).stdout.strip()


def ctl(*args):
    r = subprocess.run([os.environ["SOUK_CTL"], *map(str, args)], capture_output=True, text=True)
    return r.returncode, r.stdout.strip(), r.stderr.strip()


def make_sku(stock, price=5000, tag="fl"):
    """A fresh offer with `stock` units in warehouse 1 (like buy-lib.sh)."""
    return int(sql(
        "WITH p AS (INSERT INTO products (ref, title, brand, category_id, seller_id, sales_rank)"
        " VALUES ('T-%s-' || md5(random()::text), 'Flash item %s', 'Testbrand',"
        " (SELECT min(id) FROM categories), 1, 999999) RETURNING id),"
        " v AS (INSERT INTO product_variants (product_id, sku, price)"
        "  SELECT id, 'TV-%s-' || md5(random()::text), %d FROM p RETURNING id),"
        " o AS (INSERT INTO offers (variant_id, seller_id, sku, price, fulfillment)"
        "  SELECT id, 1, 'TO-%s-' || md5(random()::text), %d, 'FBA' FROM v RETURNING id),"
        " i AS (INSERT INTO inventory (sku_id, warehouse_id, quantity_available)"
        "  SELECT id, 1, %d FROM o) SELECT id FROM o" % (tag, tag, tag, price, tag, price, stock)))


def create_sale(sku, units, price=1999, starts="now+2", ends="now+1h", **opts):
    args = ["flash", "create", "--sku", sku, "--units", units, "--price", price,
            "--starts", starts, "--ends", ends]
    for k, v in opts.items():
        args += ["--" + k.replace("_", "-"), v]
    rc, out, err = ctl(*args)
    if rc != 0:
        raise RuntimeError("flash create: %s" % err)
    return int(out)


def sale_figures(sku, sale):
    """Readers of a sale's figures: the sku's normal stock, "units|units_sold"
    and the Redis units left (strings, as psql and redis-cli print them)."""
    return (lambda: sql("SELECT sum(quantity_available) FROM inventory WHERE sku_id = %d" % sku),
            lambda: sql("SELECT units || '|' || units_sold FROM flash_sales WHERE id = %d" % sale),
            lambda: redis("GET", "flash:%d:left" % sale))


def buyer(ok, sale, start, qty, key):
    """A visitor who joins before `start` (unix s), is admitted and buys qty
    units (each step checked with ok): the visitor and its order's id."""
    v = Visitor()
    v.ticket(sale)
    time.sleep(max(0, start - time.time()) + 0.3)
    ok("admitted", wait_until(lambda: v.status(sale)[1]["state"] == "admitted", 5))
    st, j, raw, _ = v.order(sale, qty, "%s-%d" % (key, sale))
    ok("buys %d -> 201" % qty, st == 201, raw)
    return v, sql("SELECT order_id FROM flash_orders WHERE sale_id = %d AND customer = '%s'"
                  % (sale, v.caller()))


def wait_until(pred, seconds, step=0.05):
    end = time.time() + seconds
    while time.time() < end:
        if pred():
            return True
        time.sleep(step)
    return pred()


class Checks:
    """Prints ok / not ok lines for pycheck."""

    def __init__(self):
        self.failed = 0

    def __call__(self, what, cond, diag=None):
        print(("ok - " if cond else "not ok - ") + what)
        if not cond:
            self.failed += 1
            if diag is not None:
                print(str(diag)[:600])
        return cond
