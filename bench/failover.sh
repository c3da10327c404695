#!/usr/bin/env bash
# bench/failover.sh: checkout availability through nginx while the cluster loses its PostgreSQL primary, its Redis master or an app host.
#
# Starts `bin/souk up --cluster` (docs/CLUSTER.md) unless one is up, and runs
# scenarios (arguments; default: pg-kill pg-node redis app):
#   pg-kill   kill -9 the PostgreSQL primary's postmaster (Patroni stays)
#   pg-node   kill -9 the primary's whole Patroni node (Patroni + PostgreSQL)
#   redis     kill -9 the Redis master (Sentinel fails over)
#   app       kill -9 every process of app host 1 (nginx routes around it)
#   long      BENCH_LONG_S (600) seconds with one pg-node, one redis and one
#             app fault: the checkout availability figure
# Each short run is BENCH_RUN_S (40) s of load (BENCH_CHECKOUT (4) checkout
# clients, each checking out pre-filled carts one after the other and
# retrying a 503 with the same Idempotency-Key; BENCH_BROWSE (2) clients
# reading product JSON), the fault at BENCH_FAULT_AT (10) s. Measured: the
# longest time between two successful checkouts around the fault, and the
# answers by kind (201, 503 with Retry-After, anything else). After every
# run it asserts, failing the script otherwise: every order that got a 201
# is on the (new) primary, 0 oversold, 0 double captures at souk-payd, the
# outbox fully relayed, every reservation settled; after a Redis failover,
# the witness carts written before it are still there. The failed member
# is started again (it rejoins as standby/replica) before the next run.
# Traffic goes to loopback addresses only. Prints a table and appends it to
# bench/RESULTS.md (BENCH_RECORD=0: not). BENCH_KEEP=1 leaves the cluster up.
set -euo pipefail
export LC_ALL=C
REPO=$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/.." && pwd)
export SOUK_LIMIT_EXEMPT=${SOUK_LIMIT_EXEMPT-127.0.0.1} # the load comes from here
export SOUK_LOG_LEVEL=${SOUK_LOG_LEVEL:-warn} SOUK_WORKERS=${BENCH_WORKERS:-4}
PATH=/usr/lib/postgresql/15/bin:$PATH
RUN_S=${BENCH_RUN_S:-40}
FAULT_AT=${BENCH_FAULT_AT:-10}
LONG_S=${BENCH_LONG_S:-600}
NCO=${BENCH_CHECKOUT:-4}
NBR=${BENCH_BROWSE:-2}
RECORD=${BENCH_RECORD:-1}
SCENARIOS=("$@")
[ "${#SCENARIOS[@]}" -gt 0 ] || SCENARIOS=(pg-kill pg-node redis app)

log() { printf 'failover: %s\n' "$*" >&2; }
die() { printf 'failover: error: %s\n' "$*" >&2; exit 1; }

"$REPO/bin/souk" deps --cluster
"$REPO/bin/souk" deps redis-tools postgresql-client-15 curl python3
B=${BENCH_DIR:-$REPO/var/bench-failover}
mkdir -p "$B"
if ! "$REPO/bin/souk" status --cluster >/dev/null 2>&1; then
    log "starting the cluster (log $B/up.log)"
    "$REPO/bin/souk" up --cluster >"$B/up.log" 2>&1 || { tail -30 "$B/up.log"; die "bin/souk up --cluster failed"; }
fi
cleanup() { [ "${BENCH_KEEP:-0}" = 1 ] || "$REPO/bin/souk" down --cluster >/dev/null 2>&1 || true; }
trap cleanup EXIT
eval "$("$REPO/bin/souk-cluster" env)"
HOSTS=("$HOST0" "$HOST1") PGDIRS=("$PGDIR0" "$PGDIR1") REDIS_PORTS=("$REDIS_PORT0" "$REDIS_PORT1")
REST_PORTS=("$REST_PORT0" "$REST_PORT1")

# psql on the current primary
q() {
    PGHOST=$PG_HOSTS PGPORT=$PG_PORTLIST PGUSER=souk PGDATABASE=${2:-souk} PGTARGETSESSIONATTRS=read-write \
        PGCONNECT_TIMEOUT=2 psql -X -q -tA -v ON_ERROR_STOP=1 -c "$1"
}
redis_master() {
    local s a
    for s in "$SENTINEL0" "$SENTINEL1" "$SENTINEL2"; do
        a=$(redis-cli -h "${s%:*}" -p "${s#*:}" --raw SENTINEL get-master-addr-by-name souk 2>/dev/null | paste -sd' ' -) || continue
        [ -n "$a" ] && { echo "$a"; return 0; }
    done
    return 1
}
rcli() { local m; m=$(redis_master) || return 1; redis-cli -h "${m% *}" -p "${m#* }" "$@"; }
pg_primary_index() {
    local i
    for i in 0 1; do
        curl -fs -o /dev/null --max-time 1 "http://${HOSTS[$i]}:${REST_PORTS[$i]}/primary" && { echo "$i"; return 0; }
    done
    return 1
}
has_sync() {
    local i
    for i in 0 1; do curl -fs -o /dev/null --max-time 1 "http://${HOSTS[$i]}:${REST_PORTS[$i]}/sync" && return 0; done
    return 1
}
wait_until() { # SECONDS CMD...
    local s=$1 i
    shift
    for ((i = 0; i < s * 5; i++)); do "$@" >/dev/null 2>&1 && return 0; sleep 0.2; done
    return 1
}

# ---- data: skus with ample stock, their ledger, products to browse
log "preparing skus and the stock ledger"
q "CREATE TABLE IF NOT EXISTS bench_fo_skus AS SELECT o.id AS sku_id
     FROM offers o JOIN product_variants v ON v.id = o.variant_id JOIN products p ON p.id = v.product_id
     WHERE o.status = 'active' AND p.status = 'active' AND EXISTS (SELECT 1 FROM inventory i WHERE i.sku_id = o.id)
     ORDER BY o.id LIMIT 2000;
   UPDATE inventory SET quantity_available = quantity_available + 100000
     WHERE sku_id IN (SELECT sku_id FROM bench_fo_skus) AND quantity_available < 50000;" >/dev/null
q "COPY (SELECT sku_id FROM bench_fo_skus) TO STDOUT" >"$B/skus.txt"
q "COPY (SELECT id FROM products WHERE status = 'active' ORDER BY id LIMIT 2000) TO STDOUT" >"$B/products.txt"
[ -s "$B/skus.txt" ] || die "no skus with stock"

ledger() { # the stock each (sku, warehouse) received, before a run
    q "DROP TABLE IF EXISTS bench_fo_recv; CREATE TABLE bench_fo_recv AS SELECT sku_id, warehouse_id,
         quantity_available + quantity_reserved + quantity_sold AS received FROM inventory" >/dev/null
}

# carts PREFIX N: N one-line API carts in Redis (on the master), ids in $B/carts.txt
carts() {
    python3 - "$1" "$2" "$B/skus.txt" "$B/carts.txt" >"$B/carts.cmds" <<'PY'
import random, sys
prefix, n, skus, ids = sys.argv[1], int(sys.argv[2]), open(sys.argv[3]).read().split(), open(sys.argv[4], "w")
for i in range(n):
    cid = "%s%07d" % (prefix, i)
    ids.write(cid + "\n")
    # "_ 0": an API cart (holding its id is ownership), as bench/checkout.sh
    print("HSET cart:%s %s 1 _ 0" % (cid, random.choice(skus)))
PY
    rcli --pipe <"$B/carts.cmds" >/dev/null
}

# The fault of a scenario; sets FAILED (what to restart afterwards).
fault() {
    local i pid
    case $1 in
        pg-kill)
            i=$(pg_primary_index) || die "no PostgreSQL primary"
            pid=$(head -n1 "${PGDIRS[$i]}/data/postmaster.pid")
            log "kill -9 postmaster of pg$((i + 1)) (pid $pid)"
            kill -9 "$pid"
            FAILED="pg $i" ;;
        pg-node)
            i=$(pg_primary_index) || die "no PostgreSQL primary"
            pid=$(head -n1 "${PGDIRS[$i]}/patroni.pid")
            log "kill -9 the Patroni node pg$((i + 1)) (Patroni $pid and its PostgreSQL)"
            kill -9 "$pid" "$(head -n1 "${PGDIRS[$i]}/data/postmaster.pid")"
            FAILED="pg $i" ;;
        redis)
            local m
            m=$(redis_master) || die "no Redis master"
            i=0
            [ "${m#* }" = "${REDIS_PORTS[1]}" ] && i=1
            log "kill -9 the Redis master redis$((i + 1)) ($m)"
            kill -9 "$(head -n1 "$CVAR/redis$((i + 1))/redis.pid")"
            FAILED="redis $i" ;;
        app)
            log "kill -9 every process of app1 (${HOSTS[0]})"
            local f
            for f in "$CVAR"/app1/run/*.pid; do
                pid=$(head -n1 "$f")
                # the pools' and the worker's children are in its session
                kill -9 -- "-$pid" 2>/dev/null || kill -9 "$pid" 2>/dev/null || true
            done
            FAILED="app 0" ;;
    esac
}

restore() {
    local what=${FAILED% *} i=${FAILED#* }
    case $what in
        pg)
            if ! kill -0 "$(head -n1 "${PGDIRS[$i]}/patroni.pid" 2>/dev/null)" 2>/dev/null; then
                "$REPO/bin/souk-cluster" start-pg "$i" >>"$B/restore.log" 2>&1
            fi
            wait_until 120 has_sync || die "no synchronous standby 120 s after restarting pg$((i + 1))" ;;
        redis)
            "$REPO/bin/souk-cluster" start-redis "$i" >>"$B/restore.log" 2>&1
            sleep 2 ;;
        app)
            "$REPO/bin/souk-cluster" start-app "$i" >>"$B/restore.log" 2>&1 ;;
    esac
}

# After a run: the assertions; prints "lost oversold double_captures".
verify() {
    local name=$1 lost oversold dbl pending held
    # every 201 answered is on the primary now
    awk -F'\t' '$3 == "checkout" && $4 == 201 { print $6 }' "$B/$name.tsv" | sort -u >"$B/$name.ok"
    lost=$(PGHOST=$PG_HOSTS PGPORT=$PG_PORTLIST PGUSER=souk PGDATABASE=souk PGTARGETSESSIONATTRS=read-write psql -X -q -tA \
        -v ON_ERROR_STOP=1 <<EOF
CREATE TEMP TABLE ok (public_id text);
\copy ok FROM '$B/$name.ok'
SELECT count(*) FROM ok WHERE NOT EXISTS (SELECT 1 FROM orders o WHERE o.public_id = ok.public_id AND o.status = 'CONFIRMED');
EOF
    )
    oversold=$(q "SELECT count(*) FROM inventory i JOIN bench_fo_recv r USING (sku_id, warehouse_id)
                  WHERE i.quantity_available < 0 OR i.quantity_available + i.quantity_reserved + i.quantity_sold <> r.received")
    # outbox relayed and payments made (the worker's jobs after the fault)
    wait_until 120 test "$(q "SELECT count(*) FROM outbox WHERE published_at IS NULL")" = 0 ||
        die "$name: outbox not relayed 120 s after the run"
    wait_until 60 test "$(q "SELECT count(*) FROM payment_ops WHERE status = 'pending'")" = 0 ||
        log "$name: payment operations still pending after 60 s (a capture backlog drains at the payments job's pace)"
    dbl=$(q "SELECT count(*) FROM (SELECT charge_ref FROM payd_ops WHERE op = 'capture' AND approved
              GROUP BY charge_ref HAVING count(*) > 1) d" souk_payd)
    dbl=$((dbl + $(q "SELECT count(*) FROM payd_charges WHERE captured > amount" souk_payd)))
    # reservations: none held for a finished order; those of orders left
    # PENDING by the fault are released by expiry (time brought forward)
    held=$(q "SELECT count(*) FROM reservations r JOIN orders o ON o.id = r.order_id
              WHERE r.status = 'held' AND o.status <> 'PENDING'")
    pending=$(q "SELECT count(DISTINCT order_id) FROM reservations WHERE status = 'held'")
    if [ "$pending" != 0 ]; then
        q "UPDATE reservations SET expires_at = now() - interval '1 second' WHERE status = 'held'" >/dev/null
        "$REPO/bin/souk" ctl --cluster expire-reservations 10000 >>"$B/restore.log" 2>&1 || true
    fi
    local left
    left=$(q "SELECT count(*) FROM reservations WHERE status = 'held'")
    [ "$lost" = 0 ] || die "$name: $lost confirmed orders (201) are not on the primary"
    [ "$oversold" = 0 ] || die "$name: OVERSOLD on $oversold (sku, warehouse) rows"
    [ "$dbl" = 0 ] || die "$name: $dbl double captures"
    [ "$held" = 0 ] || die "$name: $held reservations held for finished orders"
    [ "$left" = 0 ] || die "$name: $left reservations still held after expiry"
    echo "0 0 0 $pending"
}

# analyse NAME FAULT_TIMES...: outage and answer counts (python).
analyse() {
    python3 - "$B/$1.tsv" "${@:2}" <<'PY'
import sys
rows = [l.rstrip("\n").split("\t") for l in open(sys.argv[1])]
faults = [float(x) for x in sys.argv[2:]]
co = [r for r in rows if r[2] == "checkout"]
br = [r for r in rows if r[2] == "browse"]
ok = sorted(float(r[1]) for r in co if r[3] == "201")
t0 = min(float(r[0]) for r in rows); t1 = max(float(r[1]) for r in rows)
gaps = [b - a for a, b in zip(ok + [t1], ok[1:] + [t1])]
gaps.sort()
median = gaps[len(gaps) // 2] if gaps else 0
# per fault: the longest gap between successful checkouts that ends after it
# the run's end closes an outage still open then
pts = ok + [t1]
outs = []
for f in faults:
    g = [b - a for a, b in zip(pts, pts[1:]) if b >= f and a <= f + 60]
    outs.append(max(g) if g else t1 - f)
def kinds(rs):
    n = len(rs)
    ok2 = sum(1 for r in rs if r[3] in ("200", "201"))
    ra = sum(1 for r in rs if r[3] == "503" and r[4] != "-")
    other = n - ok2 - ra
    codes = {}
    for r in rs:
        if r[3] not in ("200", "201") and not (r[3] == "503" and r[4] != "-"):
            codes[r[3]] = codes.get(r[3], 0) + 1
    return n, ok2, ra, other, ",".join("%s:%d" % kv for kv in sorted(codes.items())) or "-"
# availability: the share of the run's time with checkouts succeeding
# (each outage longer than 5 x the median gap counts whole)
down = sum(g for g in gaps if g > max(5 * median, 0.5))
span = t1 - t0
avail = 100.0 * (1 - down / span) if span else 0
c = kinds(co); b = kinds(br)
# 99.99 % of a year is 3,153.6 s: how many outages of the longest
# measured length that budget holds
worst = max(outs) if outs else 0
budget = "%d" % (3153.6 / worst) if worst > 0 else "-"
print("failovers_per_year_in_99.99%%=%s " % budget, end="")
print("outage=%s median_gap=%.3f down=%.1f span=%.1f avail=%.4f co_n=%d co_ok=%d co_503ra=%d co_other=%d co_codes=%s "
      "br_n=%d br_ok=%d br_503ra=%d br_other=%d br_codes=%s orders_per_s=%.1f" % (
      "/".join("%.1f" % o for o in outs), median, down, span, avail, *c, *b, len(ok) / span if span else 0))
PY
}

# witness carts for the Redis scenario: written through the API before the
# fault, read back after it
witness_write() {
    : >"$B/witness.txt"
    local i sku id
    sku=$(head -n1 "$B/skus.txt")
    for i in $(seq 1 20); do
        id=$(curl -s -X POST "$URL/api/v1/carts" | python3 -c 'import json,sys; print(json.load(sys.stdin)["cart_id"])' 2>/dev/null) || continue
        curl -s -o /dev/null -X POST -H 'Content-Type: application/json' -d "{\"sku_id\":$sku,\"qty\":2}" \
            "$URL/api/v1/carts/$id/items"
        echo "$id" >>"$B/witness.txt"
    done
}
witness_check() { # prints "present/written"
    local id n=0 t=0
    while read -r id; do
        t=$((t + 1))
        curl -s "$URL/api/v1/carts/$id" | python3 -c 'import json,sys; sys.exit(0 if [l["qty"] for l in json.load(sys.stdin)["lines"]] == [2] else 1)' 2>/dev/null &&
            n=$((n + 1))
    done <"$B/witness.txt"
    echo "$n/$t"
}

ROWS=""
run() { # NAME SECONDS FAULT:AT...
    local name=$1 secs=$2 carts_n
    shift 2
    carts_n=$((secs * 150))
    ledger
    carts "failover-$name-$RANDOM-" "$carts_n" # ids: 16 characters at least
    if [ "$name" = redis ]; then witness_write; fi
    log "$name: ${secs} s of load ($NCO checkout, $NBR browse clients); faults: $*"
    python3 "$REPO/bench/failover-load.py" "$URL" "$B/carts.txt" "$B/products.txt" "$secs" "$NCO" "$NBR" \
        "$B/$name.tsv" &
    local load=$! start f kind at times=()
    start=$(date +%s.%N)
    for f in "$@"; do
        kind=${f%:*} at=${f#*:}
        sleep "$(awk -v s="$start" -v a="$at" -v n="$(date +%s.%N)" 'BEGIN { d = s + a - n; print (d > 0 ? d : 0) }')"
        times+=("$(date +%s.%N)")
        fault "$kind"
        # the failed member comes back later in the run (long) or after it
        if [ "$name" = long ]; then (sleep 30; restore) & fi
    done
    wait "$load"
    [ "$name" = long ] || restore
    wait
    local a v w=""
    a=$(analyse "$name" "${times[@]}")
    if [ "$name" = redis ]; then w=" witness_carts=$(witness_check)"; fi
    v=$(verify "$name")
    log "$name: $a$w; lost/oversold/double=0/0/0 (pending orders expired: ${v##* })"
    ROWS+="| $name | $a$w | 0 / 0 / 0 | ${v##* } |"$'\n'
}

for s in "${SCENARIOS[@]}"; do
    case $s in
        pg-kill | pg-node | redis | app) run "$s" "$RUN_S" "$s:$FAULT_AT" ;;
        long) run long "$LONG_S" "pg-node:$((LONG_S / 5))" "redis:$((LONG_S / 2))" "app:$((LONG_S * 4 / 5))" ;;
        *) die "unknown scenario $s" ;;
    esac
done

MACHINE="$(nproc) cores ($(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ *//')), $(awk '/MemTotal/ { printf "%.0f GB", $2 / 1048576 }' /proc/meminfo)"
REPORT="
### Failover ($(date -u +%Y-%m-%d), bench/failover.sh ${SCENARIOS[*]})

Machine: $MACHINE, shared. Cluster: \`bin/souk up --cluster\` (Patroni ttl 8 s,
loop_wait 1 s, retry_timeout 3 s, synchronous_mode; Sentinel
down-after-milliseconds 2000, quorum 2; nginx max_fails=2 fail_timeout=5s).
Load: $NCO checkout clients (503 retried with the same Idempotency-Key after
0.2 s) + $NBR browsing clients; runs of $RUN_S s, fault at $FAULT_AT s.
outage = longest time between two successful checkouts around each fault (s).

| run | figures | lost / oversold / double captures | orders left PENDING (expired) |
|---|---|---|---|
$ROWS"
printf '%s\n' "$REPORT"
[ "$RECORD" = 1 ] && printf '%s\n' "$REPORT" >>"$REPO/bench/RESULTS.md"
exit 0
