#!/usr/bin/env bash
# bench/flash.sh: a flash sale under load (issue 10, "Measure").
#
#   sale        tests/integration/flash-load.py: BENCH_VISITORS (10,000)
#               visitors, BENCH_PRE (0.8) of them in the pre-queue, the
#               rest after the start (BENCH_ARRIVAL_RATE a second),
#               BENCH_UNITS (1,000) units, limit 2, every admitted visitor
#               buys; 64 client threads. Reports units sold (= units),
#               oversold (0), polls sent after the last unit's 201 that
#               still answered "waiting" (0) and the time until every
#               client still in line had seen sold_out, orders/s.
#               BENCH_PUSH (1): every visitor also holds the sale's push
#               stream from its join on (EventSource, nginx's nchan,
#               tests/integration/flashpush.py), as the waiting page
#               does; then "seen sold_out" counts the pushed message too
#               (the poll-only figure is kept: the visitors poll as before).
#   fifo        a second sale, BENCH_FIFO_VISITORS (2,000) visitors all
#               after the start (BENCH_FIFO_PRE, 0), arriving
#               BENCH_ARRIVAL_RATE a second, the same units: Kendall tau of
#               arrival vs admission order over the admitted (with 80 % in
#               the pre-queue of the first sale nobody who came after the
#               start is admitted, so it has no tau).
#   isolation   wrk (8 connections, paced to BENCH_ISO_RATE req/s each) on
#               the anonymous product page and GET /api/v1/products/{id}
#               together, BENCH_ISO_DURATION (20) s, on the shop's port: p99
#               without a sale, then p99 during the first sale's storm
#               (from its start).
#   where       the storm (visitors, polls, push streams, orders: the sale
#               and the fifo sale) goes to BENCH_FLASH_VIA (edge): the
#               flash edge's own port (BENCH_FLASH_PORT, BENCH_PORT+1), the
#               waiting room's own nginx at its nice, as a "flash." host
#               would; main: the shop's port, which passes it to the edge
#               (so the shop's nginx carries the storm too, the layout
#               before the edge). BENCH_FLASH_COMPARE (1): each round also
#               runs the sale through the other door, with the isolation
#               measured again, so both ratios come from the same run.
#   poll        wrk, 64 connections, GET /api/v1/flash/{id}/status (one
#               waiting ticket of a running sale: the admission step runs)
#               vs bench/souk-noop with as many workers, both through one
#               private nginx with the same FastCGI settings: the ratio
#               (target >= 0.5), BENCH_POLL_ROUNDS (5) rounds, median.
#   memory      VmRSS of the waitroom workers after the sales and after the
#               poll rounds (<= 10 MB each, flat).
#
# Sale, fifo and isolation run BENCH_ROUNDS (3) times (a new sale each
# time; medians).
#
# What runs where, at what CPU weight: everything on this one host. The
# pools at their pools.conf nice (the waiting room 10: below the
# storefront and the API; SOUK_NICE_WAITROOM=0 turns it off), each in its
# own session (bin/souk cpu_weight: with the kernel's autogroups a
# session is one scheduling entity, weighted by that nice too); nginx at
# -10 when bin/souk runs as root (SOUK_NGINX_NICE).
# The visitors' Python (flash-load.py) stands for browsers on other
# machines: it runs in a session of its own (BENCH_CLIENT_SESSION=1), so
# it is not in the one autogroup with wrk, the isolation's shopper, whose
# requests would otherwise wait behind its 64 threads; at
# BENCH_CLIENT_NICE (0; task and autogroup). 19 would make it take only
# the CPU the stack leaves, but on a shared machine (load 20 measured) it
# is starved and the sale does not happen (0.5 % CPU in 5 min).
# BENCH_CLIENT_SESSION=0 gives the old placement (the bench's session).
# The isolation's shopper (wrk) stands for a shopper on another machine:
# the time it waits for a core on this one is not the shop's latency, so
# it runs in a session of its own at BENCH_SHOPPER_NICE (nginx's nice,
# -10, as root; 0 otherwise), task and autogroup, like nginx. Without
# that, the p99 measured the bench's own client waiting behind the 10,000
# visitors' Python on the same two cores (BENCH_SHOPPER_NICE=0 gives the
# old placement). The poll's wrk runs at nice 0 in the bench's session.
# The noop program for the poll ratio runs at the waiting room's nice.
#
# Runs its own stack (SOUK_VAR=var/bench-flash, ports BENCH_PORT 8395,
# BENCH_PG_PORT 5745, BENCH_REDIS_PORT 6705; the bench nginx BENCH_PORT+20)
# like bench/checkout.sh, stops it at the end (BENCH_KEEP=1 keeps it);
# appends the figures to bench/RESULTS.md (BENCH_RECORD=0: no).
set -euo pipefail
export LC_ALL=C
REPO=$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/.." && pwd)
export SOUK_VAR=${BENCH_VAR:-$REPO/var/bench-flash}
export SOUK_PORT=${BENCH_PORT:-8395} SOUK_PG_PORT=${BENCH_PG_PORT:-5745} SOUK_REDIS_PORT=${BENCH_REDIS_PORT:-6705}
export SOUK_FLASH_PORT=${BENCH_FLASH_PORT:-$((SOUK_PORT + 1))}
VIA=${BENCH_FLASH_VIA:-edge} COMPARE=${BENCH_FLASH_COMPARE:-1}
case $VIA in edge) OTHER=main ;; main) OTHER=edge ;; *) echo "bench: BENCH_FLASH_VIA: edge or main, not '$VIA'" >&2; exit 1 ;; esac
export SOUK_LIMIT_EXEMPT=${SOUK_LIMIT_EXEMPT-127.0.0.1} # the load comes from here
export SOUK_WORKERS=${BENCH_WORKERS:-4} SOUK_LOG_LEVEL=warn
# every waiting visitor holds a push stream: 10,000 connections and more
export SOUK_NGINX_CONNECTIONS=${SOUK_NGINX_CONNECTIONS:-16384}
PUSH=${BENCH_PUSH:-1}
export PGHOST=$SOUK_VAR/run PGPORT=$SOUK_PG_PORT PGDATABASE=souk PGUSER=souk
PATH=/usr/lib/postgresql/15/bin:$PATH
VISITORS=${BENCH_VISITORS:-10000} UNITS=${BENCH_UNITS:-1000} DURATION=${BENCH_DURATION:-10}
PRE=${BENCH_PRE:-0.8} ARRIVAL_RATE=${BENCH_ARRIVAL_RATE:-200}
FIFO_VISITORS=${BENCH_FIFO_VISITORS:-2000} FIFO_PRE=${BENCH_FIFO_PRE:-0}
ISO_RATE=${BENCH_ISO_RATE:-100} ROUNDS=${BENCH_ROUNDS:-3}
SHOPPER_NICE=${BENCH_SHOPPER_NICE:-$([ "$(id -u)" = 0 ] && echo "${SOUK_NGINX_NICE:--10}" || echo 0)}
CLIENT_NICE=${BENCH_CLIENT_NICE:-0} CLIENT_SESSION=${BENCH_CLIENT_SESSION:-1} POLL_ROUNDS=${BENCH_POLL_ROUNDS:-5}
ISO_DURATION=${BENCH_ISO_DURATION:-20}
NOOP_PORT=${BENCH_NOOP_PORT:-$((SOUK_PORT + 20))}
RECORD=${BENCH_RECORD:-1}
B=$SOUK_VAR/bench RUN=$SOUK_VAR/run BUILD=${SOUK_BUILD_DIR:-$REPO/build/run}
export SOUK_URL=http://127.0.0.1:$SOUK_PORT SOUK_CTL=$BUILD/cli/souk-ctl
EDGE_URL=http://127.0.0.1:$SOUK_FLASH_PORT
# the door a storm knocks on: edge | main
door_url() { if [ "$1" = edge ]; then echo "$EDGE_URL"; else echo "$SOUK_URL"; fi; }
COMMAND="$(env | grep -E '^BENCH_' | sort | tr '\n' ' ')bench/flash.sh"
rm -rf "$B" && mkdir -p "$B"
LOAD0=$(cut -d' ' -f1-3 /proc/loadavg)

log() { printf 'bench: %s\n' "$*" >&2; }
die() { printf 'bench: error: %s\n' "$*" >&2; exit 1; }
q() { psql -X -q -tA -v ON_ERROR_STOP=1 -c "$1"; }
"$REPO/bin/souk" deps wrk nginx postgresql-15 postgresql-client-15 redis-tools curl python3 || die "missing packages"
for t in wrk nginx psql redis-cli curl python3; do command -v $t >/dev/null || die "$t is missing"; done

NOOP_PID=""
cleanup() {
    [ -z "$NOOP_PID" ] || kill -- -"$NOOP_PID" 2>/dev/null || true # setsid: its workers too
    [ ! -s "$B/nginx/nginx.pid" ] || kill "$(cat "$B/nginx/nginx.pid")" 2>/dev/null || true
    [ "${BENCH_KEEP:-0}" = 1 ] || "$REPO/bin/souk" down >/dev/null 2>&1 || true
}
trap cleanup EXIT
log "private stack: $SOUK_VAR (http $SOUK_PORT, flash edge $SOUK_FLASH_PORT, $SOUK_WORKERS workers/pool)"
"$REPO/bin/souk" up >"$B/up.log" 2>&1 || { tail -20 "$B/up.log"; die "bin/souk up failed"; }
PUSH_ARG=()
if [ "$PUSH" = 1 ]; then
    [ -S "$RUN/push.sock" ] || die "no push socket $RUN/push.sock (libnginx-mod-nchan missing?); BENCH_PUSH=0 measures polling only"
    PUSH_ARG=(--push)
fi

# the visitors: a session of their own at CLIENT_NICE (task and autogroup)
client() {
    if [ "$CLIENT_SESSION" = 1 ]; then
        setsid sh -c 'ag=/proc/self/autogroup; [ ! -w "$ag" ] || echo "$0" >"$ag" 2>/dev/null || true; exec nice -n "$0" "$@"' "$CLIENT_NICE" "$@"
    else
        nice -n "$CLIENT_NICE" "$@"
    fi
}
WR_NICE=$(awk '$1 == "waitroom" { print ($7 == "" || $7 == "-") ? 0 : $7 }' "$REPO/pools.conf")
WR_NICE=${SOUK_NICE_WAITROOM:-${WR_NICE:-0}}

# wrk's "Requests/sec" and p99 (ms) as "RPS P99".
wrk_run() { # URL CONNS SECONDS [wrk args]
    local url=$1 c=$2 s=$3 out
    shift 3
    out=$(${WRK_AS:-} wrk -t2 -c"$c" -d"${s}s" --latency "$@" "$url" 2>&1)
    printf '%s\n' "$out" >>"$B/wrk.log"
    awk '/Requests\/sec/ { r = $2 } / 99%/ { v = $2; if (v ~ /us$/) { sub(/us/, "", v); v /= 1000 } else if (v ~ /ms$/) { sub(/ms/, "", v) } else if (v ~ /s$/) { sub(/s/, "", v); v *= 1000 } p = v }
         END { printf "%s %s\n", r, p }' <<<"$out"
}
# the isolation's shopper: a session of its own at SHOPPER_NICE
shopper() {
    setsid -w sh -c 'ag=/proc/self/autogroup; [ ! -w "$ag" ] || echo "$0" >"$ag" 2>/dev/null || true; exec nice -n "$0" "$@"' "$SHOPPER_NICE" "$@"
}
shopper_wrk() { WRK_AS=shopper wrk_run "$1" 8 "$ISO_DURATION" -s "$B/paced.lua"; }
# a shopper's pace, not a flood: each of the 8 connections waits between
# requests, so the figure is the latency a normal shopper sees, not the
# queue of a saturated machine
cat >"$B/paced.lua" <<LUA
function delay() return $((8 * 1000 / ISO_RATE)) end
LUA
# the page and the API together, paced; prints "PAGE_RPS PAGE_P99 API_RPS API_P99"
isolation() {
    shopper_wrk "$PAGE" >"$B/iso-page" &
    local p=$!
    shopper_wrk "$SOUK_URL/api/v1/products/$PID" >"$B/iso-api"
    wait "$p"
    echo "$(cat "$B/iso-page") $(cat "$B/iso-api")"
}
# the waitroom pool's workers and their VmRSS (KB)
workers_of() { pgrep -P "$1" | sort -n || true; }
rss_of() {
    local w out=""
    for w in $(workers_of "$1"); do out="$out$(awk '$1 == "VmRSS:" { print $2 }' "/proc/$w/status") "; done
    echo "$out"
}

PID=$(q "SELECT p.id FROM products p JOIN product_variants v ON v.product_id = p.id JOIN offers o ON o.variant_id = v.id
         WHERE p.status = 'active' ORDER BY p.sales_rank NULLS LAST LIMIT 1")
PAGE=$(curl -s -o /dev/null -w '%{redirect_url}' "$SOUK_URL/products/$PID")
PAGE=${PAGE:-$SOUK_URL/products/$PID}
log "isolation: $PAGE and /api/v1/products/$PID, $ISO_RATE req/s each"
# each round: the isolation baseline, the sale (the isolation again from
# its start), the FIFO sale
# sale_storm DOOR NAME: a sale of VISITORS through DOOR (edge | main), the
# isolation measured from its start; writes $B/NAME.json and the
# isolation's "PAGE_RPS PAGE_P99 API_RPS API_P99" to $B/NAME.iso. Runs in
# this shell (not in a $(...)): it waits for the sale to end.
sale_storm() {
    local door=$1 name=$2 pid
    SOUK_URL=$(door_url "$door") client python3 "$REPO/tests/integration/flash-load.py" --visitors "$VISITORS" \
        --units "$UNITS" --limit 2 --threads 64 --max-active 500 --decline 0 --pre "$PRE" \
        --arrival-rate "$ARRIVAL_RATE" --started-file "$B/$name.started" "${PUSH_ARG[@]}" >"$B/$name.json" 2>"$B/$name.err" &
    pid=$!
    # the same paced wrk while the sale goes on, from its start
    while [ ! -e "$B/$name.started" ] && kill -0 "$pid" 2>/dev/null; do sleep 0.1; done
    isolation >"$B/$name.iso"
    wait "$pid" || { cat "$B/$name.err" >&2; die "flash-load ($name, through $door) failed"; }
}
for r in $(seq "$ROUNDS"); do
    read -r PAGE_RPS0 PAGE_P99_0 API_RPS0 API_P99_0 < <(isolation)
    log "round $r sale through $VIA: $VISITORS visitors ($PRE in the pre-queue), $UNITS units, limit 2"
    sale_storm "$VIA" "sale$r"
    read -r PAGE_RPS1 PAGE_P99_1 API_RPS1 API_P99_1 <"$B/sale$r.iso"
    echo "$PAGE_P99_0 $PAGE_P99_1 $API_P99_0 $API_P99_1 $PAGE_RPS0 $PAGE_RPS1 $API_RPS0 $API_RPS1" >"$B/iso$r"
    log "round $r sale: $(cat "$B/sale$r.json")"
    log "round $r isolation p99 page/api alone, during (storm through $VIA): $PAGE_P99_0 $API_P99_0, $PAGE_P99_1 $API_P99_1 ms"
    if [ "$COMPARE" = 1 ]; then
        log "round $r the same sale through $OTHER"
        sale_storm "$OTHER" "other$r"
        read -r PAGE_RPS2 PAGE_P99_2 API_RPS2 API_P99_2 <"$B/other$r.iso"
        echo "$PAGE_P99_0 $PAGE_P99_2 $API_P99_0 $API_P99_2 $PAGE_RPS0 $PAGE_RPS2 $API_RPS0 $API_RPS2" >"$B/isoother$r"
        log "round $r isolation p99 page/api during (storm through $OTHER): $PAGE_P99_2 $API_P99_2 ms"
    fi
    log "round $r fifo: $FIFO_VISITORS visitors ($FIFO_PRE in the pre-queue), $ARRIVAL_RATE arrivals/s, $UNITS units"
    SOUK_URL=$(door_url "$VIA") client python3 "$REPO/tests/integration/flash-load.py" --visitors "$FIFO_VISITORS" \
        --units "$UNITS" --limit 2 --threads 64 --max-active 500 --decline 0 --pre "$FIFO_PRE" \
        --arrival-rate "$ARRIVAL_RATE" >"$B/fifo$r.json" 2>"$B/fifo$r.err" ||
        { cat "$B/fifo$r.err" >&2; die "flash-load (fifo) failed"; }
    log "round $r fifo: $(cat "$B/fifo$r.json")"
done
MEM_SALE=$(rss_of "$(head -n1 "$RUN/waitroom.pid" | tr -dc 0-9)")
# what nginx ran at (bin/souk: -10 as root unless SOUK_NGINX_NICE)
NGINX_NICE=$(cat "/proc/$(head -n1 "$RUN/nginx.pid" | tr -dc 0-9)/autogroup" 2>/dev/null | awk '{ print $NF }')
EDGE_NICE=$(cat "/proc/$(head -n1 "$RUN/flash-edge.pid" | tr -dc 0-9)/autogroup" 2>/dev/null | awk '{ print $NF }')

# ---- status poll vs noop, one private nginx
log "status poll vs souk-noop (64 connections)"
make -C "$BUILD" -s bench/souk-noop >"$B/build.log" 2>&1 || { cat "$B/build.log"; die "make bench/souk-noop failed"; }
WPID=$(head -n1 "$RUN/waitroom.pid" | tr -dc 0-9)
NW=$(workers_of "$WPID" | wc -l)
rm -f "$RUN/noop.sock"
# at the waiting room's CPU weight: the ratio compares the handlers, not
# their priorities
SOUK_SOCKET=$RUN/noop.sock SOUK_WORKERS=$NW setsid nice -n "$WR_NICE" "$BUILD/bench/souk-noop" </dev/null >"$B/noop.log" 2>&1 &
NOOP_PID=$!
for _ in $(seq 50); do [ -S "$RUN/noop.sock" ] && break; sleep 0.1; done
[ ! -w "/proc/$NOOP_PID/autogroup" ] || echo "$WR_NICE" >"/proc/$NOOP_PID/autogroup" 2>/dev/null || true
mkdir -p "$B/nginx/tmp"
# the port may be taken for a moment as the local end of a client
# connection (it lies in the ephemeral range): the next ones then
for try in 0 1 2 3 4 5; do
    cat >"$B/nginx/nginx.conf" <<CONF
worker_processes 2;
pid $B/nginx/nginx.pid;
error_log $B/nginx/error.log warn;
events { worker_connections 1024; }
http {
    access_log off;
    client_body_temp_path $B/nginx/tmp; fastcgi_temp_path $B/nginx/tmp;
    proxy_temp_path $B/nginx/tmp; uwsgi_temp_path $B/nginx/tmp; scgi_temp_path $B/nginx/tmp;
    # as the shop's nginx (nginx/souk.conf.in): no kept-alive FastCGI
    # connections, which would pin the prefork workers (with 16 idle per
    # nginx worker and 4 FastCGI workers, a request could wait in the
    # listen queue behind them: the no-op once served 0 requests in 10 s)
    upstream noop { server unix:$RUN/noop.sock; }
    upstream waitroom { server unix:$RUN/waitroom.sock; }
    server {
        listen 127.0.0.1:$NOOP_PORT;
        include /etc/nginx/fastcgi_params;
        location = /noop { fastcgi_pass noop; }
        location /api/v1/flash/ { fastcgi_pass waitroom; }
    }
}
CONF
    nginx -p "$B/nginx" -c "$B/nginx/nginx.conf" -e "$B/nginx/error.log" 2>>"$B/nginx/start.log" && break
    [ "$try" -lt 5 ] || { cat "$B/nginx/start.log" >&2; die "the bench nginx could not start"; }
    NOOP_PORT=$((NOOP_PORT + 1))
done
sleep 0.5
# a running sale with one pass out (max_active 1): the polling ticket
# waits, and every poll runs the admission step
SID=$(python3 - <<PY
import sys, time; sys.path.insert(0, "$REPO/tests/integration")
from flashlib import *
sku = make_sku(10, tag="poll")
sale = create_sale(sku, 5, starts="now", ends="now+2h", prequeue="now", max_active=1, pass_minutes=60)
first = Visitor(); first.ticket(sale)
st, j, raw, _ = first.status(sale)
assert j["state"] == "admitted", raw
v = Visitor(); st, j, raw, _ = v.ticket(sale)
assert j["state"] == "waiting", raw
print(sale, v.cookies["souk_session"], j["ticket"])
PY
) || die "the poll sale could not be set up"
read -r PSALE PSESS PTICK <<<"$SID"
POLL_URL="http://127.0.0.1:$NOOP_PORT/api/v1/flash/$PSALE/status"
state=$(curl -s -H "Cookie: souk_session=$PSESS" -H "X-Souk-Ticket: $PTICK" "$POLL_URL")
case $state in *'"state": "waiting"'* | *'"state":"waiting"'*) ;; *) die "status poll through the bench nginx answered $state" ;; esac
RATIOS=()
for r in $(seq "$POLL_ROUNDS"); do
    read -r NOOP_RPS NOOP_P99 < <(wrk_run "http://127.0.0.1:$NOOP_PORT/noop" 64 "$DURATION")
    read -r POLL_RPS POLL_P99 < <(wrk_run "$POLL_URL" 64 "$DURATION" \
        -H "Cookie: souk_session=$PSESS" -H "X-Souk-Ticket: $PTICK")
    RATIO=$(python3 -c "print(round($POLL_RPS / $NOOP_RPS, 3))")
    RATIOS+=("$RATIO")
    log "round $r: status $POLL_RPS req/s (p99 $POLL_P99 ms), noop $NOOP_RPS req/s, ratio $RATIO"
    printf 'r%s noop %s req/s p99 %s ms; status %s req/s p99 %s ms; ratio %s\n' "$r" "$NOOP_RPS" "$NOOP_P99" "$POLL_RPS" "$POLL_P99" "$RATIO" >>"$B/poll.txt"
done
MEDIAN=$(printf '%s\n' "${RATIOS[@]}" | sort -n | sed -n "$(((POLL_ROUNDS + 1) / 2))p")
# the wrk runs hit 200; anything else would make the ratio meaningless
! grep -q "Non-2xx" "$B/wrk.log" || die "a wrk run had non-2xx answers (see $B/wrk.log)"
MEM_POLL=$(rss_of "$WPID")

REV=$(git -C "$REPO" rev-parse --short HEAD)
[ -z "$(git -C "$REPO" status --porcelain -- bench lib handlers tests 2>/dev/null)" ] || REV="$REV + uncommitted changes"
REPORT=$(python3 - "$B" "$ROUNDS" "$MEDIAN" "$MEM_SALE" "$MEM_POLL" "$ISO_RATE" "$VIA" "$OTHER" "$COMPARE" <<'PY'
import json, os, statistics, sys
B, rounds, median = sys.argv[1], int(sys.argv[2]), float(sys.argv[3])
mem1, mem2 = ([int(x) for x in a.split()] for a in sys.argv[4:6])
via, other, compare = sys.argv[7], sys.argv[8], sys.argv[9] == "1"
door = {"edge": "on the flash edge's own port", "main": "through the shop's port"}
poll_rps = statistics.median(float(l.split("; status ")[1].split()[0]) for l in open(B + "/poll.txt"))
rate = sys.argv[6]
load = lambda p: json.load(open("%s/%s" % (B, p)))
sales = [load("sale%d.json" % r) for r in range(1, rounds + 1)]
fifos = [load("fifo%d.json" % r) for r in range(1, rounds + 1)]
isos = [[float(x) for x in open("%s/iso%d" % (B, r)).read().split()] for r in range(1, rounds + 1)]
others = [[float(x) for x in open("%s/isoother%d" % (B, r)).read().split()] for r in range(1, rounds + 1)] if compare else []
osales = [load("other%d.json" % r) for r in range(1, rounds + 1)] if compare else []
med = lambda xs: statistics.median(xs) if xs else None
def mark(ok):
    return "met" if ok else "MISSED"
def sale_line(s, name):
    print("%s: %d visitors (%d after the start, %.0f/s), sold %d of %d (by orders %d, by clients %d; oversold %d), max per customer %d, buyers %d, orders %s, HTTP %s, PostgreSQL/Redis left %d/%d" % (
        name, s["visitors"], s["post_start_arrivals"], s["post_start_arrivals"] / max(s["arrival_seconds"], 0.01),
        s["units_sold"], s["units"], s["sold_by_orders"], s["bought_by_clients"], s["oversold"],
        s["max_per_customer"], s["buyers"], s["orders_by_status"], s["orders_by_http_status"],
        s["pg_left"], s["redis_left"]))
    print("  %d requests in %.1f s, %s poll rounds %s (clients, s), %s polls/s; tau %s over %d; stale %d; sold out seen by all %d in line %s s; orders/s %s (%d in %s s)" % (
        s["requests"], s["seconds"], s["rounds"], s["poll_sweeps"], s["polls_per_s"],
        None if s["kendall_tau"] is None else round(s["kendall_tau"], 4), s["post_start_admitted"],
        s["stale_waiting_after_sold_out"], s["waiting_at_sold_out"],
        None if s["sold_out_propagation_s"] is None else round(s["sold_out_propagation_s"], 2),
        s["orders_per_s"], s["orders"], s["orders_window_s"]))
for r in range(rounds):
    sale_line(sales[r], "r%d sale" % (r + 1))
    sale_line(fifos[r], "r%d fifo" % (r + 1))
    p0, p1, a0, a1 = isos[r][:4]
    print("r%d isolation p99 (ms, %s req/s each, paced; storm %s): page %.2f alone, %.2f during (%.2fx); api %.2f alone, %.2f during (%.2fx)" % (
        r + 1, rate, door[via], p0, p1, p1 / p0, a0, a1, a1 / a0))
    if compare:
        sale_line(osales[r], "r%d sale through %s" % (r + 1, other))
        p0, p1, a0, a1 = others[r][:4]
        print("r%d isolation p99 (ms; storm %s): page %.2f alone, %.2f during (%.2fx); api %.2f alone, %.2f during (%.2fx)" % (
            r + 1, door[other], p0, p1, p1 / p0, a0, a1, a1 / a0))
both = sales + fifos + osales
print("units sold = units, oversold 0, every round and sale: %s" % mark(all(
    s["units_sold"] == s["units"] == s["sold_by_orders"] and s["oversold"] == 0 for s in both)))
taus = [f["kendall_tau"] for f in fifos if f["kendall_tau"] is not None]
t = med(taus)
print("FIFO after the start: Kendall tau median %s (rounds %s) over %s admitted post-start arrivals (target >= 0.99): %s" % (
    None if t is None else round(t, 4), [round(x, 4) for x in taus], [f["post_start_admitted"] for f in fifos],
    mark(t is not None and len(taus) == rounds and t >= 0.99)))
stale = [s["stale_waiting_after_sold_out"] for s in both]
print("sold out: polls sent after the last unit's 201 that still answered 'waiting': %s (target 0): %s" % (
    stale, mark(max(stale) == 0)))
props = [s["sold_out_propagation_s"] for s in sales]
p = med([x for x in props if x is not None])
print("sold out, polled: last unit's 201 -> every client still in line (%s) saw sold_out at a poll, median %s s (rounds %s; target <= 1 s): %s" % (
    [s["waiting_at_sold_out"] for s in sales], None if p is None else round(p, 2),
    [None if x is None else round(x, 2) for x in props], mark(None not in props and p <= 1.0)))
if all("sold_out_push_s" in s for s in sales):
    pp = [s["sold_out_push_s"] for s in sales]
    pm = med([x for x in pp if x is not None])
    print("sold out, pushed: last unit's 201 -> every client still in line (%s) had seen sold_out (pushed or polled), median %s s (rounds %s; target <= 1 s): %s" % (
        [s["waiting_at_sold_out"] for s in sales], None if pm is None else round(pm, 3),
        [None if x is None else round(x, 3) for x in pp], mark(None not in pp and pm <= 1.0)))
    for r, s in enumerate(sales):
        print("  r%d push: streams %s; heard sold_out %d, in line without it %d; last / first heard vs the last 201 %s / %s s;"
              " fan-out %s s; publish -> delivered median %s ms, max %s ms (-> read by the one listening process, max %s ms)" % (
            r + 1, s["push_streams"], s["push_heard_sold_out"], s["push_missing_in_line"],
            s["push_last_vs_201_s"], s["push_first_vs_201_s"], s["push_fanout_s"],
            s["push_latency_ms_median"], s["push_latency_ms_max"], s.get("push_read_latency_ms_max")))
    lat = [s["push_latency_ms_max"] for s in sales]
    print("sold out, pushed: publish (the Redis take of the last unit) -> delivered to the last of the line, max per round %s ms (target <= 1000): %s" % (
        lat, mark(None not in lat and max(lat) <= 1000)))
print("  the generator's poll rate meanwhile: %s polls/s (every client in line is polled once per sweep);"
      " with the status poll's own rate under wrk (median %.0f req/s) a perfect client would need %.1f s" % (
    [s["polls_per_s"] for s in sales], poll_rps, max(s["waiting_at_sold_out"] for s in sales) / poll_rps))
print("flash orders/s, median: %s (rounds %s)" % (med([s["orders_per_s"] for s in sales]), [s["orders_per_s"] for s in sales]))
print("status poll / noop req/s, median of %d rounds (target >= 0.5): %s: %s" % (
    len(open(B + "/poll.txt").readlines()), median, mark(median >= 0.5)))
pr = med([i[1] / i[0] for i in isos])
ar = med([i[3] / i[2] for i in isos])
print("isolation p99 during / alone, median, storm %s (target <= 2x): product page %.2fx, GET /api/v1/products/{id} %.2fx: %s" % (
    door[via], pr, ar, mark(pr <= 2 and ar <= 2)))
if compare:
    print("isolation p99 during / alone, median, the same sales' storm %s (same run, for comparison): product page %.2fx, GET /api/v1/products/{id} %.2fx" % (
        door[other], med([i[1] / i[0] for i in others]), med([i[3] / i[2] for i in others])))
print("waitroom workers VmRSS (KB): after the sales %s, after the poll rounds %s (target <= 10240, flat): %s" % (
    mem1, mem2, mark(max(mem1 + mem2) <= 10240 and sum(mem2) - sum(mem1) <= 1024 * len(mem2))))
PY
)
{
    printf '\n## bench/flash.sh — %s\n\n' "$(date -u +%Y-%m-%dT%H:%MZ)"
    printf -- '- machine: %s, %s cores (shared; load average before the run %s)\n' "$(uname -srm)" "$(nproc)" "$LOAD0"
    printf -- '- command: `%s` (stack: `bin/souk up` build, durable PostgreSQL, SOUK_WORKERS=%s)\n' "$COMMAND" "$SOUK_WORKERS"
    # (double quotes: the text has apostrophes, which ended a single-quoted format)
    printf -- "- CPU weights (all on this host): %s; nginx nice %s (%s workers), the flash edge (its own nginx) nice %s, the storm %s; the visitors (flash-load.py) %s at nice %s; the isolation's wrk at nice %s in a session of its own, the poll's at 0; souk-noop at nice %s\n" \
        "$(printf '%s ' $(awk '!/^#/ && NF >= 6 { printf "%s=%s\n", $1, (NF >= 7 && $7 != "-") ? $7 : 0 }' "$REPO/pools.conf"))(SOUK_NICE_WAITROOM=${SOUK_NICE_WAITROOM:-unset})" \
        "$NGINX_NICE" "${SOUK_NGINX_WORKERS:-2}" "$EDGE_NICE" "$([ "$VIA" = edge ] && echo "on the edge's own port" || echo "through the shop's port")$([ "$COMPARE" = 1 ] && echo ", and each sale again through $OTHER")" "$([ "$CLIENT_SESSION" = 1 ] && echo "in a session of their own (autogroup)" || echo "in the bench session")" "$CLIENT_NICE" "$SHOPPER_NICE" "$WR_NICE"
    printf -- '- load average after the run: %s\n' "$(cut -d' ' -f1-3 /proc/loadavg)"
    printf -- '- tree: %s\n\n```\n' "$REV"
    printf '%s\n' "$REPORT"
    printf 'status poll vs souk-noop, 64 connections, %s s each, same nginx:\n' "$DURATION"
    cat "$B/poll.txt"
    printf '```\n'
} >"$B/report.md"
cat "$B/report.md"
[ "$RECORD" != 1 ] || cat "$B/report.md" >>"$REPO/bench/RESULTS.md"
