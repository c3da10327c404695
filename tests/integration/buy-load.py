#!/usr/bin/env python3
"""buy-load: fires many HTTP requests at once (stdlib only) for the buying
concurrency tests and the checkout benchmark.

    buy-load.py BASE_URL REQUESTS.json RESULTS.json [THREADS]

REQUESTS.json is a list of {"method", "path", "headers", "body"} (body: any
JSON value or null). All threads start together behind a barrier. Writes a
list of {"status", "body", "ms"} in request order; prints a one-line JSON
summary {"n", "by_status", "seconds", "per_second"} on stdout."""
import json
import sys
import threading
import time
import urllib.error
import urllib.request


def one(base, r):
    data = None if r.get("body") is None else json.dumps(r["body"]).encode()
    req = urllib.request.Request(base + r["path"], data=data, method=r.get("method", "GET"))
    if data is not None:
        req.add_header("Content-Type", "application/json")
    for k, v in (r.get("headers") or {}).items():
        req.add_header(k, v)
    t0 = time.monotonic()
    try:
        with urllib.request.urlopen(req, timeout=60) as resp:
            status, raw = resp.status, resp.read()
    except urllib.error.HTTPError as e:
        status, raw = e.code, e.read()
    except Exception as e:  # connection refused, timeout: status 0
        status, raw = 0, json.dumps({"error": {"code": "client", "message": str(e)}}).encode()
    try:
        body = json.loads(raw) if raw else None
    except ValueError:
        body = {"raw": raw[:200].decode("utf-8", "replace")}
    return {"status": status, "body": body, "ms": round((time.monotonic() - t0) * 1000, 1)}


def main():
    base, reqs_path, out_path = sys.argv[1:4]
    with open(reqs_path) as f:
        reqs = json.load(f)
    threads = int(sys.argv[4]) if len(sys.argv) > 4 else len(reqs)
    threads = max(1, min(threads, len(reqs)))
    results = [None] * len(reqs)
    next_i = [0]
    lock = threading.Lock()
    barrier = threading.Barrier(threads + 1)

    def worker():
        barrier.wait()
        while True:
            with lock:
                i = next_i[0]
                next_i[0] += 1
            if i >= len(reqs):
                return
            results[i] = one(base, reqs[i])

    ts = [threading.Thread(target=worker) for _ in range(threads)]
    for t in ts:
        t.start()
    barrier.wait()
    t0 = time.monotonic()
    for t in ts:
        t.join()
    secs = time.monotonic() - t0
    with open(out_path, "w") as f:
        json.dump(results, f)
    by = {}
    for r in results:
        by[str(r["status"])] = by.get(str(r["status"]), 0) + 1
    print(json.dumps({"n": len(reqs), "by_status": by, "seconds": round(secs, 3),
                      "per_second": round(len(reqs) / secs, 1) if secs else 0}))


if __name__ == "__main__":
    main()
