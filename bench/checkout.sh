#!/usr/bin/env bash
# bench/checkout.sh: full checkouts over HTTP vs the same SQL in pgbench.
#
# Rounds (3 by default), each measured right after its reference:
#   pgb-wide   pgbench, 32 clients, bench/checkout.pgbench over 10,000 skus
#   wide       wrk, 32 connections, POST /api/v1/checkout, each request a
#              fresh one-line cart of a random sku among the same 10,000
#   pgb-hot    pgbench, 32 clients, the same script on one sku
#   hot        wrk, 32 connections, every cart buys 1 unit of one hot sku
#              (BENCH_HOT_STOCK units) until it is sold out
# orders/s: wide = CONFIRMED orders / wrk time; hot = units sold / (time of
# the last confirm - time of the first order). Ratio = HTTP / pgbench of the
# same round. After every run: zero oversell (for every (sku, warehouse):
# available + reserved + sold = received and available >= 0) or the script
# fails. Prints medians and appends them to bench/RESULTS.md.
#
# Runs its own private stack (SOUK_VAR=var/bench-checkout, ports 8385/5735/
# 6695, SOUK_WORKERS=8) so it never disturbs `bin/souk up` or the tests,
# and stops it at the end (BENCH_KEEP=1 keeps it). That stack is `bin/souk
# up`'s: PostgreSQL durable (fsync, synchronous_commit on); the settings
# measured with are printed and recorded. Missing packages (wrk, ...) are
# installed as `bin/souk up` does (bin/souk deps).
set -euo pipefail
export LC_ALL=C
REPO=$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/.." && pwd)

export SOUK_VAR=${BENCH_VAR:-$REPO/var/bench-checkout}
export SOUK_PORT=${BENCH_PORT:-8385} SOUK_PG_PORT=${BENCH_PG_PORT:-5735} SOUK_REDIS_PORT=${BENCH_REDIS_PORT:-6695}
# The load comes from this machine: nginx/limits.conf must not throttle it
# (the benchmark measures the shop, not the limiter).
export SOUK_LIMIT_EXEMPT=${SOUK_LIMIT_EXEMPT-127.0.0.1}
export SOUK_WORKERS=${BENCH_WORKERS:-8} SOUK_LOG_LEVEL=warn
export PGHOST=$SOUK_VAR/run PGPORT=$SOUK_PG_PORT PGDATABASE=souk PGUSER=souk
PATH=/usr/lib/postgresql/15/bin:$PATH
URL=http://127.0.0.1:$SOUK_PORT
ROUNDS=${BENCH_ROUNDS:-3}
DURATION=${BENCH_DURATION:-10}
CLIENTS=${BENCH_CLIENTS:-32}
NSKUS=${BENCH_SKUS:-10000}
HOT_STOCK=${BENCH_HOT_STOCK:-800}
TARGET=0.40
RECORD=${BENCH_RECORD:-1}
B=$SOUK_VAR/bench
mkdir -p "$B"

log() { printf 'bench: %s\n' "$*" >&2; }
die() { printf 'bench: error: %s\n' "$*" >&2; exit 1; }
q() { psql -X -q -tA -v ON_ERROR_STOP=1 -c "$1"; }
"$REPO/bin/souk" deps wrk postgresql-15 postgresql-client-15 redis-tools curl python3 || die "missing packages (see above)"
for t in wrk pgbench psql redis-cli curl python3; do command -v $t >/dev/null || die "$t is missing"; done

cleanup() { [ "${BENCH_KEEP:-0}" = 1 ] || "$REPO/bin/souk" down >/dev/null 2>&1 || true; }
trap cleanup EXIT
log "private stack: $SOUK_VAR (http $SOUK_PORT, pg $SOUK_PG_PORT, redis $SOUK_REDIS_PORT, $SOUK_WORKERS workers/pool)"
"$REPO/bin/souk" up >"$B/up.log" 2>&1 || { tail -20 "$B/up.log"; die "bin/souk up failed"; }
# What the figures depend on most: whether commits wait for the disk.
PGSET=$(q "SELECT string_agg(name || '=' || setting, ', ' ORDER BY name) FROM pg_settings WHERE name IN ('fsync', 'synchronous_commit', 'full_page_writes')")
log "PostgreSQL: $PGSET"

# ---- data: 10,000 skus with ample stock, one hot sku, the received ledger
log "setting up $NSKUS skus"
q "DROP TABLE IF EXISTS bench_skus, bench_recv;
   CREATE TABLE bench_skus AS SELECT row_number() OVER (ORDER BY o.id) AS n, o.id AS sku_id
     FROM offers o JOIN product_variants v ON v.id = o.variant_id JOIN products p ON p.id = v.product_id
     WHERE o.status = 'active' AND p.status = 'active' AND EXISTS (SELECT 1 FROM inventory i WHERE i.sku_id = o.id)
     ORDER BY o.id LIMIT $NSKUS + 1;
   CREATE UNIQUE INDEX ON bench_skus (n);
   UPDATE inventory SET quantity_available = quantity_available + 100000 WHERE sku_id IN (SELECT sku_id FROM bench_skus);" >/dev/null
[ "$(q "SELECT count(*) FROM bench_skus")" = "$((NSKUS + 1))" ] || die "fewer than $NSKUS skus with stock"
# the hot sku is one more, outside the wide set
HOT=$(q "SELECT sku_id FROM bench_skus WHERE n = $((NSKUS + 1))")
q "CREATE TABLE bench_recv AS SELECT sku_id, warehouse_id, quantity_available + quantity_reserved + quantity_sold AS received FROM inventory" >/dev/null

oversell_check() { # fails the run on any oversell
    local bad
    bad=$(q "SELECT count(*) FROM inventory i JOIN bench_recv r USING (sku_id, warehouse_id)
             WHERE i.quantity_available < 0 OR i.quantity_available + i.quantity_reserved + i.quantity_sold <> r.received")
    [ "$bad" = 0 ] || die "OVERSELL: $bad (sku, warehouse) rows do not add up after $1"
    echo "0"
}
# Sets a sku's stock to exactly N available (received follows).
set_hot_stock() {
    q "UPDATE inventory SET quantity_available = CASE WHEN warehouse_id = (SELECT min(warehouse_id) FROM inventory WHERE sku_id = $HOT) THEN $1 ELSE 0 END WHERE sku_id = $HOT;
       UPDATE bench_recv r SET received = i.quantity_available + i.quantity_reserved + i.quantity_sold FROM inventory i WHERE i.sku_id = r.sku_id AND i.warehouse_id = r.warehouse_id AND r.sku_id = $HOT" >/dev/null
}
# carts PREFIX MODE: fills 2 x PER carts in Redis (wrk's 2 threads).
PER=${BENCH_CARTS_PER_THREAD:-30000}
carts() {
    python3 - "$1" "$2" "$PER" "$NSKUS" "$HOT" >"$B/carts.cmds" <<'PY'
import random, sys
prefix, mode, per, nskus, hot = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4]), sys.argv[5]
for t in range(2):
    for i in range(per):
        sku = hot if mode == "hot" else "@%d" % random.randint(1, nskus)
        # "_ 0": an API cart (bearer: holding its id is ownership)
        print("HSET %s%02d%07d %s 1 _ 0" % ("cart:" + prefix, t, i, sku))
PY
    # map the "@n" placeholders to sku ids
    q "COPY (SELECT n, sku_id FROM bench_skus) TO STDOUT" >"$B/skus.tsv"
    awk 'NR == FNR { m["@" $1] = $2; next } { if ($3 in m) $3 = m[$3]; print }' "$B/skus.tsv" "$B/carts.cmds" |
        redis-cli -p "$SOUK_REDIS_PORT" --pipe >/dev/null
}

run_wrk() { # PREFIX SECONDS -> wrk output in $B/wrk.out
    wrk -t2 -c"$CLIENTS" -d"${2}s" --latency --timeout 10s -s "$REPO/bench/checkout.lua" "$URL" -- "$1" "$PER" >"$B/wrk.out" 2>&1
}
run_pgbench() { # LO HI (bench_skus rows) -> tps
    pgbench -n -c "$CLIENTS" -j 2 -T "$DURATION" -D lo="$1" -D hi="$2" -f "$REPO/bench/checkout.pgbench" >"$B/pgbench.out" 2>&1 ||
        { cat "$B/pgbench.out" >&2; die "pgbench failed"; }
    awk '/^tps = / { printf "%.1f\n", $3; exit }' "$B/pgbench.out"
}

declare -a R_PW R_W R_WR R_PH R_H R_HR
rows=""
for r in $(seq 1 "$ROUNDS"); do
    # wide
    pw=$(run_pgbench 1 "$NSKUS"); oversell_check "pgbench wide" >/dev/null
    prefix=w$r$RANDOM$RANDOM
    carts "$prefix" wide
    before=$(q "SELECT count(*) FROM orders WHERE status = 'CONFIRMED'")
    run_wrk "$prefix" "$DURATION"
    after=$(q "SELECT count(*) FROM orders WHERE status = 'CONFIRMED'")
    secs=$(awk '/requests in/ { v = $4; sub("s,", "", v); print v; exit }' "$B/wrk.out")
    non2xx=$(awk '/Non-2xx/ { print $5 }' "$B/wrk.out")
    w=$(awk -v n=$((after - before)) -v s="$secs" 'BEGIN { printf "%.1f", n / s }')
    oversell_check "http wide" >/dev/null
    wr=$(awk -v a="$w" -v b="$pw" 'BEGIN { printf "%.3f", a / b }')
    rows="$rows
r$r pgb-wide  $(printf '%8.1f' "$pw") tps
r$r wide      $(printf '%8.1f' "$w") orders/s  ratio $wr  ($((after - before)) orders in $secs s; non-2xx ${non2xx:-0}; p50/p99 $(awk '/^ +50%/ { a = $2 } /^ +99%/ { b = $2 } END { print a "/" b }' "$B/wrk.out"))"
    # hot: pgbench on one sku with ample stock, then HTTP until sold out
    set_hot_stock 1000000
    ph=$(run_pgbench $((NSKUS + 1)) $((NSKUS + 1))); oversell_check "pgbench hot" >/dev/null
    set_hot_stock "$HOT_STOCK"
    prefix=h$r$RANDOM$RANDOM
    carts "$prefix" hot
    t0=$(q "SELECT now()")
    run_wrk "$prefix" "$((DURATION + 5))" # long enough to sell out
    sold=$(q "SELECT count(*) FROM orders o JOIN order_items i ON i.order_id = o.id WHERE i.sku_id = $HOT AND o.status = 'CONFIRMED' AND o.created_at >= '$t0'")
    span=$(q "SELECT extract(epoch FROM max(o.updated_at) - min(o.created_at)) FROM orders o JOIN order_items i ON i.order_id = o.id WHERE i.sku_id = $HOT AND o.status = 'CONFIRMED' AND o.created_at >= '$t0'")
    left=$(q "SELECT sum(quantity_available) FROM inventory WHERE sku_id = $HOT")
    oversell_check "http hot" >/dev/null
    [ "$sold" -le "$HOT_STOCK" ] || die "OVERSELL: sold $sold of $HOT_STOCK"
    h=$(awk -v n="$sold" -v s="$span" 'BEGIN { printf "%.1f", n / s }')
    hr=$(awk -v a="$h" -v b="$ph" 'BEGIN { printf "%.3f", a / b }')
    rows="$rows
r$r pgb-hot   $(printf '%8.1f' "$ph") tps
r$r hot       $(printf '%8.1f' "$h") orders/s  ratio $hr  ($sold of $HOT_STOCK sold in ${span} s, $left left, after that 409s)"
    R_PW+=("$pw"); R_W+=("$w"); R_WR+=("$wr"); R_PH+=("$ph"); R_H+=("$h"); R_HR+=("$hr")
    log "round $r: wide $w orders/s vs pgbench $pw (ratio $wr); hot $h orders/s vs pgbench $ph (ratio $hr)"
done

median() { printf '%s\n' "$@" | sort -g | awk '{ a[NR] = $1 } END { print a[int((NR + 1) / 2)] }'; }
mpw=$(median "${R_PW[@]}"); mw=$(median "${R_W[@]}"); mwr=$(median "${R_WR[@]}")
mph=$(median "${R_PH[@]}"); mh=$(median "${R_H[@]}"); mhr=$(median "${R_HR[@]}")
verdict() { awk -v r="$1" -v t="$TARGET" 'BEGIN { print (r >= t) ? "PASS" : "FAIL" }'; }
table="| measurement | HTTP orders/s | pgbench tps | ratio | target | result |
|---|---:|---:|---:|---|---|
| 32 clients, 10,000 skus | $mw | $mpw | $mwr | ≥ $TARGET | $(verdict "$mwr") |
| 32 clients, one hot sku until sold out | $mh | $mph | $mhr | ≥ $TARGET | $(verdict "$mhr") |"
printf '%s\n\nPer round:%s\n\noversell: 0 in every run\nPostgreSQL: %s\n' "$table" "$rows" "$PGSET"

if [ "$RECORD" = 1 ]; then
    {
        printf '\n## %s: bench/checkout.sh\n\n' "$(date -u '+%Y-%m-%d %H:%M UTC')"
        printf -- '- machine: %s CPUs (%s), %s RAM, Linux %s; shared and noisy; wrk and pgbench on the same machine\n' \
            "$(nproc)" "$(awk -F': ' '/model name/ { print $2; exit }' /proc/cpuinfo)" "$(free -h | awk '/Mem:/ { print $2 }')" "$(uname -r)"
        printf -- '- software: %s, %s, PostgreSQL %s (%s: bin/souk up'"'"'s settings); tree %s\n' "$(nginx -v 2>&1 | sed 's/.*: //')" \
            "$(wrk -v 2>&1 | head -1 | awk '{ print $1, $2 }')" "$(q 'SHOW server_version')" "$PGSET" "$(git -C "$REPO" rev-parse --short HEAD)"
        printf -- '- command: `bench/checkout.sh` (%s rounds, %s s per measurement, %s clients, %s workers per pool, hot stock %s)\n\n' \
            "$ROUNDS" "$DURATION" "$CLIENTS" "$SOUK_WORKERS" "$HOT_STOCK"
        printf '%s\n\nMedians over %s rounds; each ratio is computed within its round. Zero oversell after every run (checked, the script fails otherwise).\n\n```%s\n```\n' "$table" "$ROUNDS" "$rows"
    } >>"$REPO/bench/RESULTS.md"
    log "recorded in bench/RESULTS.md"
fi
