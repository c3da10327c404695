#!/usr/bin/env python3
"""chaos-client: steady checkout and browsing traffic for bench/chaos.sh,
logging every attempt (stdlib only; traffic to the given loopback URL).

    chaos-client.py URL SECONDS CONFIG.json LOG.tsv

CONFIG: {"skus": [...], "products": [...], "queries": [...],
         "buyers": N, "browsers": N, "retry_for": S,
         "payment_method": "pm_…" (optional), "card_share": F (optional)}
Each buyer: make an API cart, put 1-2 random skus in it, then POST
/api/v1/checkout with a fresh Idempotency-Key, paying with the saved card
(payment_method, tokenised once at souk-payd before the run) or, for a
share card_share of the checkouts (all of them without a payment_method),
with the card number; the key says which ("chaos-pm-…" / "chaos-card-…").
A 202 (the provider did not answer: order taken, payment pending) is a
definite answer like a 201. On a 5xx or a connection
error it waits Retry-After (at most 2 s) and sends the same request with
the same key again, as a well-behaved client would, for at most
retry_for seconds. Each browser: product pages, the search page and the
search API, one after another.

LOG (tab-separated, one line per HTTP attempt):
    t  kind  status  retry_after  key  public_id  attempt  ms  error_code
kind: cart | checkout | browse. t: epoch seconds when the answer came."""
import json
import random
import sys
import threading
import time
import urllib.error
import urllib.request
import uuid

URL = ""
END = 0.0
LOCK = threading.Lock()
OUT = None
ADDRESS = {"name": "Chaos Buyer", "line1": "1 Main St", "city": "Springfield",
           "postal_code": "12345", "country": "US"}
CARD = {"card_number": "4242424242424242", "exp_month": 12, "exp_year": 2099, "cvc": "123"}


def call(method, path, body=None, headers=None, timeout=30):
    """One request: (status, retry_after, json or None, ms); status 0 on a
    connection error or timeout."""
    data = None if body is None else json.dumps(body).encode()
    req = urllib.request.Request(URL + path, data=data, method=method)
    if data is not None:
        req.add_header("Content-Type", "application/json")
    for k, v in (headers or {}).items():
        req.add_header(k, v)
    t0 = time.monotonic()
    ra = ""
    try:
        with urllib.request.urlopen(req, timeout=timeout) as resp:
            status, raw = resp.status, resp.read()
    except urllib.error.HTTPError as e:
        status, raw = e.code, e.read()
        ra = e.headers.get("Retry-After") or ""
    except Exception:  # refused, reset, timeout
        status, raw = 0, b""
    ms = round((time.monotonic() - t0) * 1000, 1)
    try:
        j = json.loads(raw) if raw and raw[:1] in (b"{", b"[") else None
    except ValueError:
        j = None
    return status, ra, j, ms


def log(kind, status, ra="", key="", public_id="", attempt=0, ms=0.0, code=""):
    line = "%.3f\t%s\t%d\t%s\t%s\t%s\t%d\t%.1f\t%s\n" % (
        time.time(), kind, status, ra, key, public_id, attempt, ms, code)
    with LOCK:
        OUT.write(line)


def err_code(j):
    if isinstance(j, dict) and isinstance(j.get("error"), dict):
        return str(j["error"].get("code", ""))
    return ""


def wait_retry(ra):
    try:
        s = min(float(ra), 2.0) if ra else 0.5
    except ValueError:
        s = 0.5
    time.sleep(s * (0.5 + random.random() / 2))


def make_cart(skus):
    """A cart with 1-2 lines; None when time ran out."""
    while time.time() < END:
        st, ra, j, ms = call("POST", "/api/v1/carts", {})
        log("cart", st, ra, ms=ms, code=err_code(j))
        if st == 201 or st == 200:
            cart = j["cart_id"]
            break
        wait_retry(ra)
    else:
        return None
    for sku in random.sample(skus, random.choice((1, 2))):
        while time.time() < END:
            st, ra, j, ms = call("POST", "/api/v1/carts/%s/items" % cart,
                                 {"sku_id": sku, "qty": random.choice((1, 1, 2))})
            log("cart", st, ra, key=cart[:12], ms=ms, code=err_code(j))
            if st in (200, 201):
                break
            if 400 <= st < 500:
                return None  # e.g. the cart was lost with Redis: start again
            wait_retry(ra)
        else:
            return None
    return cart


def buyer(cfg):
    skus = cfg["skus"]
    retry_for = cfg.get("retry_for", 120)
    while time.time() < END:
        cart = make_cart(skus)
        if not cart:
            continue
        saved = cfg.get("payment_method")
        if saved and random.random() >= cfg.get("card_share", 0.0):
            key, payment = "chaos-pm-" + uuid.uuid4().hex, {"payment_method": saved}
        else:
            key, payment = "chaos-card-" + uuid.uuid4().hex, CARD
        body = {"cart_id": cart, "email": "chaos@example.com", "shipping_method": "standard",
                "shipping_address": ADDRESS, "payment": payment}
        first = time.time()
        attempt = 0
        while True:
            attempt += 1
            st, ra, j, ms = call("POST", "/api/v1/checkout", body, {"Idempotency-Key": key})
            pid = ""
            if st in (201, 202) and isinstance(j, dict):
                pid = str(j.get("public_id") or (j.get("order") or {}).get("public_id") or "")
            log("checkout", st, ra, key, pid, attempt, ms, err_code(j))
            if st != 0 and st < 500:
                break  # a definite answer: 201, or a refusal that retrying cannot change
            if time.time() - first > retry_for:
                log("abandoned", st, ra, key, "", attempt, 0, "")
                break
            wait_retry(ra)


def browser(cfg):
    products, queries = cfg["products"], cfg["queries"]
    while time.time() < END:
        r = random.random()
        if r < 0.5:
            path = "/products/%d" % random.choice(products)
        elif r < 0.75:
            path = "/search?q=%s" % random.choice(queries)
        else:
            path = "/api/v1/search?q=%s" % random.choice(queries)
        st, ra, j, ms = call("GET", path)
        log("browse", st, ra, path, "", 1, ms, err_code(j))
        time.sleep(0.05)


def main():
    global URL, END, OUT
    URL, secs, cfg_path, out_path = sys.argv[1], float(sys.argv[2]), sys.argv[3], sys.argv[4]
    with open(cfg_path) as f:
        cfg = json.load(f)
    END = time.time() + secs
    OUT = open(out_path, "a", buffering=1)
    ts = [threading.Thread(target=buyer, args=(cfg,), daemon=True) for _ in range(cfg["buyers"])]
    ts += [threading.Thread(target=browser, args=(cfg,), daemon=True) for _ in range(cfg["browsers"])]
    for t in ts:
        t.start()
    # buyers finish the checkout they started (bounded by retry_for)
    deadline = END + cfg.get("retry_for", 120) + 40
    for t in ts:
        t.join(max(0.1, deadline - time.time()))
    OUT.close()


if __name__ == "__main__":
    main()
