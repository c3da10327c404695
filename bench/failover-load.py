#!/usr/bin/env python3
"""bench/failover-load.py: steady checkout and browsing load through nginx for bench/failover.sh; one line per request.

usage: failover-load.py URL CARTS_FILE PRODUCTS_FILE SECONDS CHECKOUT_THREADS BROWSE_THREADS OUT

CARTS_FILE: one pre-filled API cart id a line (each checked out once, its
id also the Idempotency-Key). PRODUCTS_FILE: product ids to browse.
OUT: tab-separated lines "start end kind status retry_after public_id"
(times in seconds since the epoch; status 0 = no HTTP answer: refused,
reset or timed out). Only loopback URLs are accepted.
"""
import http.client
import json
import random
import sys
import threading
import time
import urllib.parse

url, carts_file, products_file = sys.argv[1], sys.argv[2], sys.argv[3]
seconds, nco, nbr, out_path = float(sys.argv[4]), int(sys.argv[5]), int(sys.argv[6]), sys.argv[7]
u = urllib.parse.urlparse(url)
if not u.hostname.startswith("127."):
    sys.exit("failover-load: loopback addresses only")
carts = [l.strip() for l in open(carts_file) if l.strip()]
products = [l.strip() for l in open(products_file) if l.strip()]
lock = threading.Lock()
out = open(out_path, "w")
stop_at = time.time() + seconds
next_cart = [0]

BODY = ('{"cart_id":"%s","email":"failover@example.com",'
        '"shipping_address":{"name":"Fail Over","line1":"1 Main St","city":"Springfield",'
        '"postal_code":"12345","country":"US"},"payment":{"card_number":"4242424242424242",'
        '"exp_month":12,"exp_year":2099,"cvc":"123"}}')


def record(t0, kind, status, retry, pid):
    with lock:
        out.write("%.3f\t%.3f\t%s\t%d\t%s\t%s\n" % (t0, time.time(), kind, status, retry or "-", pid or "-"))


def call(method, path, body=None, headers=None):
    """(status, Retry-After, body); status 0 when no answer came."""
    c = http.client.HTTPConnection(u.hostname, u.port, timeout=10)
    try:
        c.request(method, path, body=body, headers=headers or {})
        r = c.getresponse()
        data = r.read()
        return r.status, r.getheader("Retry-After"), data
    except (OSError, http.client.HTTPException):
        return 0, None, b""
    finally:
        c.close()


def checkout():
    cart = None
    while time.time() < stop_at:
        if cart is None:
            with lock:
                if next_cart[0] >= len(carts):
                    return
                cart = carts[next_cart[0]]
                next_cart[0] += 1
        t0 = time.time()
        status, retry, data = call("POST", "/api/v1/checkout", BODY % cart,
                                   {"Content-Type": "application/json", "Idempotency-Key": cart})
        pid = None
        if status == 201:
            try:
                pid = json.loads(data)["order"]["public_id"]
            except (ValueError, KeyError, TypeError):
                status = 2  # a 201 without an order: counted as an error
        record(t0, "checkout", status, retry, pid)
        if status in (0, 502, 503, 504):
            # what a client does: the same cart and Idempotency-Key again
            # after a pause (Retry-After, capped: this is a measurement),
            # so each cart ends as one order at most
            time.sleep(0.2)
        else:
            cart = None


def browse():
    while time.time() < stop_at:
        t0 = time.time()
        status, retry, _ = call("GET", "/api/v1/products/" + random.choice(products))
        record(t0, "browse", status, retry, None)
        time.sleep(0.02)


threads = [threading.Thread(target=checkout) for _ in range(nco)]
threads += [threading.Thread(target=browse) for _ in range(nbr)]
for t in threads:
    t.start()
for t in threads:
    t.join()
out.close()
