#!/usr/bin/env python3
"""chaos-report: the figures and the verdict of one bench/chaos.sh run.

    chaos-report.py RUN_DIR

Reads RUN_DIR/client.tsv (every attempt, bench/chaos-client.py),
events.tsv (the injected faults), invariants.tsv (name, violations from
SQL) and orders.tsv (public_id, status, payment status, provider captures,
key). Prints availability (overall, outside the PostgreSQL outages, per
logical checkout; and per way of paying, by the key's prefix: chaos-pm-
a saved card, chaos-card- a card number), each outage's seconds, the
statuses, the failures near each fault and every invariant; exits 1 when
an invariant failed. A 202 (order taken, authorization deferred) must
end like a 201: CONFIRMED or later, captured exactly once."""
import collections
import sys

LATER = {"CONFIRMED", "PROCESSING", "SHIPPED", "DELIVERED"}


def failed(st):
    return st == 0 or st >= 500


def main():
    d = sys.argv[1]
    rows = []
    for line in open(d + "/client.tsv"):
        f = line.rstrip("\n").split("\t")
        if len(f) < 9:
            continue
        rows.append({"t": float(f[0]), "kind": f[1], "st": int(f[2]), "ra": f[3], "key": f[4],
                     "pid": f[5], "attempt": int(f[6]), "ms": float(f[7]), "code": f[8]})
    events = []
    for line in open(d + "/events.tsv"):
        f = line.rstrip("\n").split("\t")
        events.append((float(f[0]), f[1], f[2] if len(f) > 2 else ""))
    t0 = next((t for t, n, _ in events if n == "start"), rows[0]["t"] if rows else 0)
    co = [r for r in rows if r["kind"] == "checkout"]
    bad = []  # invariant violations found here

    # Outages: from the first to the last checkout attempt failed by the
    # fault around each PostgreSQL restart and the provider's downtime
    # (failures less than 10 s apart belong together), and the fault's own
    # begin..end.
    def outage(name, tb, tdone, cause):
        fails = sorted(r["t"] for r in co if cause(r) and tb - 2 <= r["t"] <= tdone + 60)
        first = last = None
        for t in fails:
            if first is None:
                if t > tdone + 10:
                    break
                first = last = t
            elif t - last <= 10:
                last = t
            else:
                break
        lo = min(tb, first) if first else tb
        hi = max(tdone, last) if last else tdone
        return {"name": name, "begin": tb, "done": tdone, "first": first, "last": last,
                "lo": lo, "hi": hi + 1.0, "secs": (last - first) if first else 0.0}

    outages = []
    for tb, name in [(t, n) for t, n, x in events if n.startswith("pg-restart-") and x == "begin"]:
        tdone = next((t for t, n, x in events if n == name and x == "done" and t >= tb), tb)
        # PostgreSQL's own: 503s and lost connections, not a killed handler's 502
        outages.append(outage(name, tb, tdone, lambda r: r["st"] in (0, 503)))
    payd = []
    for tb in [t for t, n, x in events if n == "payd-down"]:
        tdone = next((t for t, n, x in events if n == "payd-up" and t >= tb), tb)
        payd.append(outage("payd-down", tb, tdone, lambda r: r["code"] == "payment_unavailable"))

    def in_outage(t):
        return any(o["lo"] <= t <= o["hi"] for o in outages)

    def avail(rs):
        n = len(rs)
        ok = sum(1 for r in rs if not failed(r["st"]))
        return ok, n, (100.0 * ok / n if n else 100.0)

    by = collections.Counter(r["st"] for r in co)
    ok, n, a = avail(co)
    out_rs = [r for r in co if not in_outage(r["t"])]
    ok2, n2, a2 = avail(out_rs)
    print("checkout attempts: %d; by status: %s" % (n, ", ".join("%d=%d" % kv for kv in sorted(by.items()))))
    print("checkout availability (answered without a 5xx or a connection error / attempted):")
    print("  overall                         %6.3f %%  (%d / %d)" % (a, ok, n))
    print("  outside the PostgreSQL outages  %6.3f %%  (%d / %d)" % (a2, ok2, n2))
    ok3, n3, a3 = avail([r for r in out_rs if not any(o["lo"] <= r["t"] <= o["hi"] for o in payd)])
    print("  outside those and the provider's downtime (only workers, Redis, a slow provider)  %6.3f %%  (%d / %d)"
          % (a3, ok3, n3))
    for label, prefix in (("saved card (payment_method)", "chaos-pm-"), ("card number", "chaos-card-")):
        rs = [r for r in co if r["key"].startswith(prefix)]
        if not rs:
            continue
        k1, m1, p1 = avail(rs)
        k2, m2, p2 = avail([r for r in rs if not in_outage(r["t"])])
        print("  paying with a %-28s overall %6.3f %% (%d / %d); outside the PostgreSQL outages %6.3f %% (%d / %d); 202 answers %d"
              % (label, p1, k1, m1, p2, k2, m2, sum(1 for r in rs if r["st"] == 202)))
    # per logical checkout: one key, retried by the client with the same key
    keys = collections.OrderedDict()
    for r in co:
        keys.setdefault(r["key"], []).append(r)
    final = collections.Counter()
    for k, rs in keys.items():
        final[rs[-1]["st"]] += 1
    abandoned = sum(1 for r in rows if r["kind"] == "abandoned")
    nk = len(keys)
    done = sum(v for s, v in final.items() if not failed(s))
    print("  per checkout (one Idempotency-Key, retried after a 5xx)  %6.3f %%  (%d / %d; final statuses %s; abandoned %d)"
          % (100.0 * done / nk if nk else 100.0, done, nk,
             ", ".join("%d=%d" % kv for kv in sorted(final.items())), abandoned))
    for o in outages:
        print("PostgreSQL %-22s at %6.1f s: restart took %.1f s; checkouts failing from %s to %s: outage %.1f s"
              % (o["name"], o["begin"] - t0, o["done"] - o["begin"],
                 "%.1f" % (o["first"] - t0) if o["first"] else "-",
                 "%.1f" % (o["last"] - t0) if o["last"] else "-", o["secs"]))
    for o in payd:
        print("provider down at %6.1f s for %.1f s: checkouts failing from %s to %s: %.1f s"
              % (o["begin"] - t0, o["done"] - o["begin"],
                 "%.1f" % (o["first"] - t0) if o["first"] else "-",
                 "%.1f" % (o["last"] - t0) if o["last"] else "-", o["secs"]))
    # during an outage: 503 with Retry-After, or a success; nothing else
    odd = collections.Counter()
    for r in rows:
        if r["kind"] == "abandoned" or not in_outage(r["t"]):
            continue
        if r["st"] == 503 and r["ra"]:
            continue
        if not failed(r["st"]):
            continue
        odd["%s %d%s" % (r["kind"], r["st"], "" if r["ra"] else " (no Retry-After)")] += 1
    if odd:
        bad.append("answers during the PostgreSQL outages other than 503 + Retry-After or success: %s"
                   % ", ".join("%s x%d" % kv for kv in odd.items()))
    # failures outside the outages, by status and the fault just before them
    fault_names = [(t, n) for t, n, x in events if not n.startswith(("pg-restart", "start", "traffic", "caught"))
                   and not n.endswith(("-normal", "-cont", "-up", "done"))]
    near = collections.Counter()
    for r in out_rs:
        if not failed(r["st"]):
            continue
        # the latest fault of the 30 s before, a daemon's over a handler kill
        prev = [n for t, n in fault_names if r["t"] - 30 <= t <= r["t"]]
        big = [n for n in prev if n != "kill-handler"]
        near["%d %s after %s" % (r["st"], r["code"] or "-", (big or prev or ["nothing"])[-1])] += 1
    if near:
        print("failed checkout attempts outside the outages, by status, code and the fault of the 30 s before:")
        for k, v in near.most_common():
            print("  %5d  %s" % (v, k))
    kinds = collections.Counter((r["kind"], r["st"]) for r in rows if r["kind"] in ("cart", "browse"))
    print("other requests: %s" % ", ".join("%s %d=%d" % (k, s, v) for (k, s), v in sorted(kinds.items())))
    lat = sorted(r["ms"] for r in co if r["st"] == 201)
    if lat:
        print("checkout 201 latency ms: p50 %.0f, p99 %.0f, max %.0f"
              % (lat[len(lat) // 2], lat[int(len(lat) * 0.99)], lat[-1]))
    print("faults injected: %s" % ", ".join("%s=%d" % kv for kv in
                                            collections.Counter(n for t, n, x in events).items()))

    # every 201 is an order, CONFIRMED or later, captured exactly once
    orders = {}
    for line in open(d + "/orders.tsv"):
        f = line.rstrip("\n").split("\t")
        orders[f[0]] = {"status": f[1], "pay": f[2], "captures": int(f[3] or 0), "key": f[4]}
    got = {}
    lost = double = notconf = 0
    for r in co:
        if r["st"] not in (201, 202):
            continue
        if not r["pid"]:
            lost += 1
            continue
        if got.setdefault(r["key"], r["pid"]) != r["pid"]:
            double += 1  # one key, two orders
        o = orders.get(r["pid"])
        if o is None:
            lost += 1
        elif o["status"] not in LATER:
            notconf += 1
        elif o["captures"] != 1:
            double += 1 if o["captures"] > 1 else 0
            notconf += 1 if o["captures"] == 0 else 0
    status = collections.Counter(o["status"] for o in orders.values())
    print("orders of this run: %s; answered 201 or 202: %d keys" % (dict(status), len(got)))
    inv = [("201/202 answers whose order is missing (lost)", lost),
           ("201/202 answers with a second order or capture (double)", double),
           ("201/202 answers whose order is not CONFIRMED+ with its capture", notconf)]
    for line in open(d + "/invariants.tsv"):
        name, val = line.rstrip("\n").split("\t", 1)
        inv.append((name, val))
    print("invariants (violations):")
    for name, val in inv:
        okv = str(val).strip() == "0"
        print("  %-4s %-90s %s" % ("ok" if okv else "FAIL", name, val))
        if not okv:
            bad.append("%s: %s" % (name, val))
    if bad:
        print("RESULT: FAIL")
        for b in bad:
            print("  " + b)
        sys.exit(1)
    print("RESULT: PASS (0 lost, 0 double, 0 oversold)")


if __name__ == "__main__":
    main()
