#!/usr/bin/env python3
"""flash-load: a flash sale under load (stdlib only), for
83-flash-concurrency and bench/flash.sh.

    flash-load.py --visitors N --units U [--limit 2] [--pre 0.8]
                  [--threads 32] [--max-active 200] [--decline 0.05]
                  [--arrival-rate R] [--started-file PATH] [--push]

Makes an offer and a sale; most visitors join the pre-queue, then the
sale starts (starts_at set to now) and the rest join in order (R a
second, open loop, so arrival order is the order sent; 0: as fast as the
threads go); everyone
polls in rounds until admitted or told sold out / over; the admitted buy
(the limit, or the last unit; a share of them with a declined card, who
then retry once with a good one). Prints one JSON object: the sale, units sold, orders by
status, the per-customer maximum, PostgreSQL's and Redis's figures, the
Kendall tau of post-start arrival vs admission order, sold-out
propagation (from the client that got the last unit's 201: polls sent
after it that still answered "waiting", and how long until every client
still in line had seen sold_out), and request rates.

--push: every visitor also holds the sale's push stream from its join on
(EventSource, flashpush.py, a process of its own), as the waiting page
does; the figures then add when the pushed sold_out reached the line
(sold_out_push_s counts a client as having seen sold_out at its first
pushed message or poll answer, whichever came first). The visitors keep
polling as before (a real page slows down once it is sold out), so the
poll-only figure is measured in the same run and the push is measured
under the full poll load."""
import argparse
import json
import os
import random
import sys
import threading
import time
import urllib.parse
from concurrent.futures import ThreadPoolExecutor

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from flashlib import BASE, Visitor, create_sale, make_sku, redis, sql  # noqa: E402
from flashpush import PushLine  # noqa: E402


def kendall_tau(xs, ys):
    """Kendall tau-b of two equal-length sequences (O(n^2), n <= a few thousand)."""
    n = len(xs)
    c = d = tx = ty = 0
    for i in range(n):
        for j in range(i + 1, n):
            a = (xs[i] > xs[j]) - (xs[i] < xs[j])
            b = (ys[i] > ys[j]) - (ys[i] < ys[j])
            if a == 0 and b == 0:
                continue
            if a == 0:
                tx += 1
            elif b == 0:
                ty += 1
            elif a == b:
                c += 1
            else:
                d += 1
    den = ((c + d + tx) * (c + d + ty)) ** 0.5
    return (c - d) / den if den else 1.0


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--visitors", type=int, default=2000)
    ap.add_argument("--units", type=int, default=300)
    ap.add_argument("--limit", type=int, default=2)
    ap.add_argument("--pre", type=float, default=0.8)
    ap.add_argument("--threads", type=int, default=32)
    ap.add_argument("--max-active", type=int, default=200)
    ap.add_argument("--decline", type=float, default=0.05)
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument("--arrival-rate", type=float, default=0)
    ap.add_argument("--started-file", default="")
    ap.add_argument("--push", action="store_true")
    a = ap.parse_args()
    rnd = random.Random(a.seed)
    sku = make_sku(a.units + 10, price=9900, tag="load")
    sale = create_sale(sku, a.units, price=4900, starts="now+1h", ends="now+2h", prequeue="now",
                       limit=a.limit, max_active=a.max_active, admit_per_min=1000000)
    # forked before any thread exists
    u = urllib.parse.urlparse(BASE)
    push = PushLine(u.hostname, u.port, sale) if a.push else None
    push_lock = threading.Lock()
    visitors = [Visitor() for _ in range(a.visitors)]
    npre = int(a.visitors * a.pre)
    pool = ThreadPoolExecutor(a.threads)
    lock = threading.Lock()
    counts = {"requests": 0}

    def count(n=1):
        with lock:
            counts["requests"] += n

    info = [{} for _ in visitors]
    tl = threading.local()

    # a visitor's requests go over its thread's kept-alive connection (a
    # browser keeps one too; 10,000 open ones would not fit nginx, and one
    # per request would spend the client's CPU on connecting)
    def take_conn(v):
        v.conn = getattr(tl, "conn", None)

    def keep_conn(v):
        tl.conn, v.conn = v.conn, None

    def join(i):
        v = visitors[i]
        take_conn(v)
        t0 = time.monotonic()
        st, j, raw, _ = v.ticket(sale)
        count()
        keep_conn(v)
        info[i]["join_status"] = st
        info[i]["arrived"] = t0
        info[i]["number"] = j.get("number") if j else None
        if push and st == 201:  # the waiting page opens its stream
            with push_lock:
                push.add(i)
        return st

    t_start = time.monotonic()
    list(pool.map(join, range(npre)))
    sql("UPDATE flash_sales SET starts_at = now() WHERE id = %d" % sale)
    time.sleep(0.7)  # the pools' sale cache (FLASH_CACHE_MS)
    if a.started_file:
        open(a.started_file, "w").close()
    t_post = time.monotonic()

    def arrive(i):
        if a.arrival_rate > 0:  # open loop: visitor i comes at its time
            d = t_post + (i - npre) / a.arrival_rate - time.monotonic()
            if d > 0:
                time.sleep(d)
        return join(i)

    list(pool.map(arrive, range(npre, a.visitors)))
    t_arrived = time.monotonic()

    done = [False] * a.visitors
    bought = [0] * a.visitors
    orders = {}
    stale_after_sellout = [0]
    sold_out_at = [None]  # the 201 that completed the units came back
    units_bought = [0]
    first_order = [None]
    last_201 = [None]
    seen_sold_out = {}
    waiting_at_sold_out = []

    def buy(i):
        v = visitors[i]
        # the limit (a pass that bought less stays active until it expires
        # and holds a place that could admit someone else)
        want = a.limit
        card = "4000000000000002" if rnd.random() < a.decline else "4242424242424242"
        for attempt in range(2):
            t_sent = time.monotonic()
            st, j, raw, _ = v.order(sale, want, "k-%d-%d-%d" % (sale, i, attempt), card=card)
            now = time.monotonic()
            count()
            with lock:
                orders[st] = orders.get(st, 0) + 1
                if first_order[0] is None or t_sent < first_order[0]:
                    first_order[0] = t_sent
                if st == 201:
                    units_bought[0] += want
                    last_201[0] = now
                    if units_bought[0] >= a.units and sold_out_at[0] is None:
                        sold_out_at[0] = now
                        waiting_at_sold_out.extend(k for k in range(a.visitors) if not done[k])
            if st == 201:
                bought[i] += want
                return
            if st == 402:
                card = "4242424242424242"
                continue
            if st == 409 and j and j["error"]["code"] in ("over_limit", "sold_out") and want > 1:
                want = 1  # the last unit
                continue
            return

    buyers = ThreadPoolExecutor(a.threads)
    buying = []

    def buy_and_leave(i):
        take_conn(visitors[i])
        buy(i)
        keep_conn(visitors[i])

    def poll(i):
        v = visitors[i]
        take_conn(v)
        sent = time.monotonic()
        st, j, raw, _ = v.status(sale)
        count()
        keep_conn(v)
        now = time.monotonic()
        if st != 200:
            return
        s = j["state"]
        if s == "admitted":
            info[i].setdefault("admitted_seen", now)
            done[i] = True
            # buying apart, so the line's polls go on meanwhile
            buying.append(buyers.submit(buy_and_leave, i))
        elif s in ("sold_out", "ended"):
            if s == "sold_out":
                seen_sold_out.setdefault(i, now)
            done[i] = True
        elif sold_out_at[0] is not None and sent > sold_out_at[0]:
            with lock:
                stale_after_sellout[0] += 1

    rounds = 0
    sweeps = []  # (clients polled, seconds) per round
    t_sale = time.monotonic()
    while not all(done) and rounds < 2000:
        rounds += 1
        todo = [i for i in range(a.visitors) if not done[i]]
        t0 = time.monotonic()
        list(pool.map(poll, todo))
        took = time.monotonic() - t0
        sweeps.append((len(todo), took))
        if took < 0.2:  # a client polls at most 5 times a second (nginx's limit)
            time.sleep(0.2 - took)
    for f in buying:
        f.result()
    t_end = time.monotonic()
    pushed, push_stats = push.finish() if push else ({}, {})
    pool.shutdown()
    buyers.shutdown()

    pg = sql("SELECT units || '|' || units_sold FROM flash_sales WHERE id = %d" % sale).split("|")
    per_cust = sql("SELECT coalesce(max(n), 0) || '|' || count(*) FROM (SELECT customer, sum(qty) AS n"
                   " FROM flash_orders WHERE sale_id = %d AND NOT released GROUP BY customer) x" % sale).split("|")
    statuses = dict(tuple(r.split("|")) for r in sql(
        "SELECT o.status || '|' || count(*) FROM flash_orders f JOIN orders o ON o.id = f.order_id"
        " WHERE f.sale_id = %d GROUP BY o.status" % sale).splitlines() if r)
    released_ok = sql(
        "SELECT count(*) FROM flash_orders f JOIN orders o ON o.id = f.order_id WHERE f.sale_id = %d"
        " AND NOT ((o.status = 'CONFIRMED' AND NOT f.released) OR (o.status = 'CANCELLED' AND f.released))" % sale)
    sold_pg = int(sql("SELECT coalesce(sum(qty), 0) FROM flash_orders WHERE sale_id = %d AND NOT released" % sale))
    # FIFO after the start: client arrival order vs admission order (the
    # pass's issue time in Redis, then queue rank)
    pexp = redis("HGETALL", "flash:%d:pexp" % sale).split("\n")
    adm_ms = {int(pexp[k]): int(pexp[k + 1]) for k in range(0, len(pexp) - 1, 2)}
    post = [i for i in range(npre, a.visitors) if info[i].get("number") in adm_ms]
    tau = kendall_tau([info[i]["arrived"] for i in post],
                      [(adm_ms[info[i]["number"]], info[i]["number"]) for i in post]) if len(post) > 1 else None
    # every client still in line when the last unit went: its first
    # sold_out answer (none before the last 201 came back counts as 0)
    # (the admitted, buying meanwhile, are not in line)
    late = [seen_sold_out.get(i) for i in waiting_at_sold_out if "admitted_seen" not in info[i]]
    prop = None
    if sold_out_at[0] is not None and late and None not in late:
        prop = max(0.0, max(late) - sold_out_at[0])
    # pushed: when every client in line heard it (a poll answer counts
    # too, whichever came first), and the push alone (signed: before the
    # last 201 came back is negative; the unit is taken, and sold_out
    # pushed, before the buyer's payment and confirmation)
    push_out = {}
    if push:
        inline = [i for i in waiting_at_sold_out if "admitted_seen" not in info[i]]
        firsts = [min(x for x in (seen_sold_out.get(i), pushed.get(i, (None,))[0]) if x is not None)
                  if (i in seen_sold_out or i in pushed) else None for i in inline]
        heard = [pushed[i][0] for i in inline if i in pushed]
        every = [v[0] for v in pushed.values()]
        push_out = {
            "push_streams": push_stats,
            "push_heard_sold_out": len(pushed),
            "push_missing_in_line": sum(1 for i in inline if i not in pushed),
            "sold_out_push_s": max(0.0, max(firsts) - sold_out_at[0])
            if sold_out_at[0] is not None and firsts and None not in firsts else None,
            "push_last_vs_201_s": round(max(heard) - sold_out_at[0], 3)
            if heard and sold_out_at[0] is not None else None,
            "push_first_vs_201_s": round(min(heard) - sold_out_at[0], 3)
            if heard and sold_out_at[0] is not None else None,
            "push_fanout_s": round(max(every) - min(every), 3) if every else None,
            # publish (the server's "at") -> delivered to the client's socket,
            # wall clocks of one machine; and -> read by the one listening
            # process (the simulation's own serial cost on top)
            "push_latency_ms_max": round(max(v[1] * 1000 - v[2] for v in pushed.values()), 1)
            if pushed else None,
            "push_latency_ms_median": round(sorted(v[1] * 1000 - v[2] for v in pushed.values())[len(pushed) // 2], 1)
            if pushed else None,
            "push_read_latency_ms_max": round(max(v[4] * 1000 - v[2] for v in pushed.values()), 1)
            if pushed else None,
        }
    polled = sum(n for n, _ in sweeps)
    out = {
        "sale": sale, "visitors": a.visitors, "units": int(pg[0]), "units_sold": int(pg[1]),
        "sold_by_orders": sold_pg, "oversold": max(0, sold_pg - a.units),
        "bought_by_clients": sum(bought), "max_per_customer": int(per_cust[0]),
        "buyers": int(per_cust[1]), "orders_by_http_status": orders,
        "orders_by_status": statuses, "orders_not_confirmed_or_released": int(released_ok),
        "redis_left": int(redis("GET", "flash:%d:left" % sale) or -1),
        "pg_left": int(pg[0]) - int(pg[1]), "join_ok": sum(1 for x in info if x.get("join_status") == 201),
        "rounds": rounds, "post_start_admitted": len(post), "kendall_tau": tau,
        "stale_waiting_after_sold_out": stale_after_sellout[0],
        "sold_out_propagation_s": prop, "waiting_at_sold_out": len(late),
        "seconds": round(t_end - t_start, 2), "sale_seconds": round(t_end - t_sale, 2),
        "post_start_arrivals": a.visitors - npre, "arrival_seconds": round(t_arrived - t_post, 2),
        "poll_sweeps": [[n, round(s, 2)] for n, s in sweeps[:3] + sweeps[3:][-2:]],
        "polls_per_s": round(polled / sum(s for _, s in sweeps), 1) if sweeps else None,
        "requests": counts["requests"], "req_per_s": round(counts["requests"] / (t_end - t_start), 1),
        # orders answered a second, first order sent .. last 201 received
        "orders": sum(orders.values()),
        "orders_window_s": round(last_201[0] - first_order[0], 2) if last_201[0] else None,
        "orders_per_s": round(sum(orders.values()) / (last_201[0] - first_order[0]), 1)
        if last_201[0] and last_201[0] > first_order[0] else None,
    }
    out.update(push_out)
    print(json.dumps(out))


if __name__ == "__main__":
    main()
