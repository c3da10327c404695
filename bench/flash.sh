#!/usr/bin/env bash
# bench/flash.sh: a flash sale under load (issue 10, "Measure").
#
#   sale        tests/integration/flash-load.py: BENCH_VISITORS (10,000)
#               visitors, 80 % in the pre-queue, the rest after the start,
#               BENCH_UNITS (1,000) units, limit 2, every admitted visitor
#               buys; 64 client threads. Reports units sold (= units),
#               oversold (0), Kendall tau of post-start arrival vs
#               admission order, stale "waiting" answers after the last
#               unit and the time until every waiting client saw sold_out,
#               orders/s.
#   isolation   wrk (8 connections) on the anonymous product page and
#               GET /api/v1/products/{id}: p99 alone, then p99 during the
#               sale (same run).
#   poll        wrk, 64 connections, GET /api/v1/flash/{id}/status (one
#               ticket) vs bench/souk-noop with as many workers, both
#               through one private nginx with the same FastCGI settings:
#               the ratio (target >= 0.5).
#   memory      VmRSS of the waitroom workers after the run (<= 10 MB).
#
# Runs its own stack (SOUK_VAR=var/bench-flash, ports 8395/5745/6705) like
# bench/checkout.sh, stops it at the end (BENCH_KEEP=1 keeps it); appends
# the figures to bench/RESULTS.md (BENCH_RECORD=0: no).
set -euo pipefail
export LC_ALL=C
REPO=$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/.." && pwd)
export SOUK_VAR=${BENCH_VAR:-$REPO/var/bench-flash}
export SOUK_PORT=${BENCH_PORT:-8395} SOUK_PG_PORT=${BENCH_PG_PORT:-5745} SOUK_REDIS_PORT=${BENCH_REDIS_PORT:-6705}
export SOUK_LIMIT_EXEMPT=${SOUK_LIMIT_EXEMPT-127.0.0.1} # the load comes from here
export SOUK_WORKERS=${BENCH_WORKERS:-4} SOUK_LOG_LEVEL=warn
export PGHOST=$SOUK_VAR/run PGPORT=$SOUK_PG_PORT PGDATABASE=souk PGUSER=souk
PATH=/usr/lib/postgresql/15/bin:$PATH
export SOUK_URL=http://127.0.0.1:$SOUK_PORT SOUK_CTL
VISITORS=${BENCH_VISITORS:-10000} UNITS=${BENCH_UNITS:-1000} DURATION=${BENCH_DURATION:-10}
NOOP_PORT=$((SOUK_PORT + 20))
RECORD=${BENCH_RECORD:-1}
B=$SOUK_VAR/bench RUN=$SOUK_VAR/run BUILD=${SOUK_BUILD_DIR:-$REPO/build/run}
SOUK_CTL=$BUILD/cli/souk-ctl
mkdir -p "$B"

log() { printf 'bench: %s\n' "$*" >&2; }
die() { printf 'bench: error: %s\n' "$*" >&2; exit 1; }
q() { psql -X -q -tA -v ON_ERROR_STOP=1 -c "$1"; }
"$REPO/bin/souk" deps wrk nginx postgresql-15 postgresql-client-15 redis-tools curl python3 || die "missing packages"
for t in wrk nginx psql redis-cli curl python3; do command -v $t >/dev/null || die "$t is missing"; done

NOOP_PID="" WRK_PIDS=()
cleanup() {
    [ -z "$NOOP_PID" ] || kill "$NOOP_PID" 2>/dev/null || true
    [ ! -s "$B/nginx/nginx.pid" ] || kill "$(cat "$B/nginx/nginx.pid")" 2>/dev/null || true
    [ "${BENCH_KEEP:-0}" = 1 ] || "$REPO/bin/souk" down >/dev/null 2>&1 || true
}
trap cleanup EXIT
log "private stack: $SOUK_VAR (http $SOUK_PORT, $SOUK_WORKERS workers/pool)"
"$REPO/bin/souk" up >"$B/up.log" 2>&1 || { tail -20 "$B/up.log"; die "bin/souk up failed"; }
export SOUK_REDIS_PORT

# wrk's "Requests/sec" and p99 (ms) as "RPS P99".
wrk_run() { # URL CONNS SECONDS [wrk args]
    local url=$1 c=$2 s=$3 out
    shift 3
    out=$(wrk -t2 -c"$c" -d"${s}s" --latency "$@" "$url" 2>&1)
    printf '%s\n' "$out" >>"$B/wrk.log"
    awk '/Requests\/sec/ { r = $2 } / 99%/ { v = $2; if (v ~ /us$/) { sub(/us/, "", v); v /= 1000 } else if (v ~ /ms$/) { sub(/ms/, "", v) } else if (v ~ /s$/) { sub(/s/, "", v); v *= 1000 } p = v }
         END { printf "%s %s\n", r, p }' <<<"$out"
}

PID=$(q "SELECT p.id FROM products p JOIN product_variants v ON v.product_id = p.id JOIN offers o ON o.variant_id = o.variant_id
         WHERE p.status = 'active' ORDER BY p.sales_rank NULLS LAST LIMIT 1")
PAGE=$(curl -s -o /dev/null -w '%{redirect_url}' "$SOUK_URL/products/$PID")
PAGE=${PAGE:-$SOUK_URL/products/$PID}
log "isolation baseline: $PAGE and /api/v1/products/$PID"
read -r PAGE_RPS0 PAGE_P99_0 < <(wrk_run "$PAGE" 8 "$DURATION")
read -r API_RPS0 API_P99_0 < <(wrk_run "$SOUK_URL/api/v1/products/$PID" 8 "$DURATION")

log "sale: $VISITORS visitors, $UNITS units, limit 2"
python3 "$REPO/tests/integration/flash-load.py" --visitors "$VISITORS" --units "$UNITS" --limit 2 \
    --threads 64 --max-active 500 --decline 0 >"$B/sale.json" 2>"$B/sale.err" &
SALE_PID=$!
sleep 2
# the same wrk runs while the sale goes on
wrk_run "$PAGE" 8 "$DURATION" >"$B/page-during" &
wrk_run "$SOUK_URL/api/v1/products/$PID" 8 "$DURATION" >"$B/api-during" &
wait "$SALE_PID" || { cat "$B/sale.err" >&2; die "flash-load failed"; }
wait
read -r PAGE_RPS1 PAGE_P99_1 <"$B/page-during"
read -r API_RPS1 API_P99_1 <"$B/api-during"
SALE=$(cat "$B/sale.json")
log "sale: $SALE"

# ---- status poll vs noop, one private nginx
log "status poll vs souk-noop (64 connections)"
make -C "$BUILD" -s bench/souk-noop >"$B/build.log" 2>&1 || die "make bench/souk-noop failed"
WPID=$(head -n1 "$RUN/waitroom.pid" | tr -dc 0-9)
workers_of() { grep -l "^PPid:[[:space:]]*$1\$" /proc/[0-9]*/status 2>/dev/null | sed 's|/proc/\([0-9]*\)/status|\1|' | sort -n; }
NW=$(workers_of "$WPID" | wc -l)
rm -f "$RUN/noop.sock"
SOUK_SOCKET=$RUN/noop.sock SOUK_WORKERS=$NW setsid "$BUILD/bench/souk-noop" </dev/null >"$B/noop.log" 2>&1 &
NOOP_PID=$!
for _ in $(seq 50); do [ -S "$RUN/noop.sock" ] && break; sleep 0.1; done
mkdir -p "$B/nginx/tmp"
cat >"$B/nginx/nginx.conf" <<CONF
worker_processes 2;
pid $B/nginx/nginx.pid;
error_log $B/nginx/error.log warn;
events { worker_connections 1024; }
http {
    access_log off;
    client_body_temp_path $B/nginx/tmp; fastcgi_temp_path $B/nginx/tmp;
    proxy_temp_path $B/nginx/tmp; uwsgi_temp_path $B/nginx/tmp; scgi_temp_path $B/nginx/tmp;
    upstream noop { server unix:$RUN/noop.sock; keepalive 16; }
    upstream waitroom { server unix:$RUN/waitroom.sock; keepalive 16; }
    server {
        listen 127.0.0.1:$NOOP_PORT;
        include /etc/nginx/fastcgi_params;
        fastcgi_keep_conn on;
        location = /noop { fastcgi_pass noop; }
        location /api/v1/flash/ { fastcgi_pass waitroom; }
    }
}
CONF
nginx -p "$B/nginx" -c "$B/nginx/nginx.conf" -e "$B/nginx/error.log"
sleep 0.5
SID=$(python3 - <<PY
import sys; sys.path.insert(0, "$REPO/tests/integration")
from flashlib import *
sku = make_sku(10, tag="poll")
sale = create_sale(sku, 5, starts="now+1h", ends="now+2h", prequeue="now")
v = Visitor(); st, j, raw, _ = v.ticket(sale)
print(sale, v.cookies["souk_session"], j["ticket"])
PY
)
read -r PSALE PSESS PTICK <<<"$SID"
ok=$(curl -s -o /dev/null -w '%{http_code}' -H "Cookie: souk_session=$PSESS" -H "X-Souk-Ticket: $PTICK" \
    "http://127.0.0.1:$NOOP_PORT/api/v1/flash/$PSALE/status")
[ "$ok" = 200 ] || die "status poll through the bench nginx answered $ok"
RATIOS=()
for r in 1 2 3; do
    read -r NOOP_RPS NOOP_P99 < <(wrk_run "http://127.0.0.1:$NOOP_PORT/noop" 64 "$DURATION")
    read -r POLL_RPS POLL_P99 < <(wrk_run "http://127.0.0.1:$NOOP_PORT/api/v1/flash/$PSALE/status" 64 "$DURATION" \
        -H "Cookie: souk_session=$PSESS" -H "X-Souk-Ticket: $PTICK")
    RATIO=$(python3 -c "print(round($POLL_RPS / $NOOP_RPS, 3))")
    RATIOS+=("$RATIO")
    log "round $r: status $POLL_RPS req/s (p99 $POLL_P99 ms), noop $NOOP_RPS req/s, ratio $RATIO"
    printf 'r%s noop %s req/s p99 %s ms; status %s req/s p99 %s ms; ratio %s\n' "$r" "$NOOP_RPS" "$NOOP_P99" "$POLL_RPS" "$POLL_P99" "$RATIO" >>"$B/poll.txt"
done
MEDIAN=$(printf '%s\n' "${RATIOS[@]}" | sort -n | sed -n 2p)

MEM=""
for w in $(workers_of "$WPID"); do
    MEM="$MEM$(awk '$1 == "VmRSS:" { print $2 }' "/proc/$w/status") "
done

REPORT=$(python3 - "$SALE" <<PY
import json, sys
s = json.loads(sys.argv[1])
print("units sold %d of %d (oversold %d; by orders %d; max per customer %d); buyers %d; orders by status %s" % (
    s["units_sold"], s["units"], s["oversold"], s["sold_by_orders"], s["max_per_customer"], s["buyers"], s["orders_by_status"]))
print("Kendall tau (post-start arrival vs admission, %d visitors): %s" % (s["post_start_admitted"], s["kendall_tau"]))
print("sold out: last unit -> every waiting client saw sold_out: %s s (poll sweeps of %d clients); stale 'waiting' answers after it: %d" % (
    None if s["sold_out_propagation_s"] is None else round(s["sold_out_propagation_s"], 2), s["visitors"], s["stale_waiting_after_sold_out"]))
print("PostgreSQL left %d, Redis left %d; %d requests in %.1f s (%.0f req/s); flash orders/s %.1f" % (
    s["pg_left"], s["redis_left"], s["requests"], s["seconds"], s["req_per_s"], s["orders_per_s"]))
PY
)
{
    printf '\n## bench/flash.sh — %s\n\n' "$(date -u +%Y-%m-%dT%H:%MZ)"
    printf 'Machine: %s, %s cores; command: `bin/souk`-built stack (SOUK_WORKERS=%s), `bench/flash.sh` (visitors %s, units %s).\n\n```\n' \
        "$(uname -srm)" "$(nproc)" "$SOUK_WORKERS" "$VISITORS" "$UNITS"
    printf '%s\n' "$REPORT"
    printf 'status poll vs souk-noop, 64 connections, %s s each, same nginx:\n' "$DURATION"
    cat "$B/poll.txt"
    printf 'median ratio %s (target >= 0.5)\n' "$MEDIAN"
    printf 'isolation p99 (8 connections): product page %s ms alone, %s ms during the sale (%s / %s req/s); GET /api/v1/products/%s %s ms alone, %s ms during (%s / %s req/s)\n' \
        "$PAGE_P99_0" "$PAGE_P99_1" "$PAGE_RPS0" "$PAGE_RPS1" "$PID" "$API_P99_0" "$API_P99_1" "$API_RPS0" "$API_RPS1"
    printf 'waitroom workers VmRSS after the run (KB): %s(target <= 10240)\n```\n' "$MEM"
} >"$B/report.md"
cat "$B/report.md"
[ "$RECORD" = 1 ] && cat "$B/report.md" >>"$REPO/bench/RESULTS.md"
