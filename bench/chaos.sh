#!/usr/bin/env bash
# bench/chaos.sh: faults under load; checkout traffic while processes die, then the books must add up.
#
# Starts its own durable stack (`bin/souk up` settings: PostgreSQL fsync and
# synchronous_commit on, Redis append-only file fsync'd every second) under
# $CHAOS_VAR (default var/chaos) on ports 31180/31533/31490, creates test
# skus with known received quantities, and runs bench/chaos-client.py for
# CHAOS_SECONDS (default 270): CHAOS_BUYERS API buyers (cart, then checkout
# with an Idempotency-Key, retrying the same key after a 5xx; paying with a
# saved card, a payment method tokenised once at souk-payd before the run,
# or for a share CHAOS_CARD_SHARE (default 0.2) with the card number) and
# CHAOS_BROWSERS browsers (product pages, search), every attempt logged.
# Meanwhile, on a timeline (fractions of the run):
#   all along  kill -9 of a random handler worker every 3-5 s (paused from
#              5 s before to 25 s after each PostgreSQL restart, so every
#              failure there is PostgreSQL's)
#   0.08, 0.60 kill -9 of souk-worker (its process group)
#   0.14       kill -9 of souk-searchd
#   0.22       Redis restart (SHUTDOWN, start again: the AOF is read back)
#   0.30       Redis SIGSTOP for 5 s, then SIGCONT
#   0.38       souk-payd slow (delay_ms 1500 on every call) for 0.08 of the run
#   0.50       souk-payd down (stopped) for 10 s
#   0.66       pg_ctl restart -m fast
#   0.82       pg_ctl restart -m immediate (crash recovery)
# Nothing in bin/souk restarts a daemon killed with -9 (it has no
# supervisor; the pools' prefork supervisors restart their own workers), so
# this script restarts souk-worker and souk-searchd 2 s after killing them
# and souk-payd after its 10 s, as systemd's Restart=always would.
# Afterwards it waits (at most 180 s) for the worker to catch up, then
# checks the invariants (bench/chaos-report.py prints the figures) and
# exits 1 if one fails. CHAOS_RECORD=1 appends the figures to
# bench/RESULTS.md. Traffic goes to 127.0.0.1 only. The stack is stopped at
# the end (CHAOS_KEEP=1 keeps it).
set -euo pipefail
export LC_ALL=C
REPO=$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/.." && pwd)

export SOUK_VAR=${CHAOS_VAR:-$REPO/var/chaos}
export SOUK_PORT=${CHAOS_PORT:-31180} SOUK_PG_PORT=${CHAOS_PG_PORT:-31533} SOUK_REDIS_PORT=${CHAOS_REDIS_PORT:-31490}
# The load comes from this machine: nginx/limits.conf must not throttle it.
export SOUK_LIMIT_EXEMPT=${SOUK_LIMIT_EXEMPT-127.0.0.1}
export SOUK_WORKERS=${CHAOS_WORKERS:-4} SOUK_LOG_LEVEL=${SOUK_LOG_LEVEL:-warn}
# A slow provider is slow for everyone at once, not a provider that can
# only serve 4 calls at a time (souk-payd's default): with 4 threads, a
# 1.5 s delay queues the calls past the pools' 2 s deadline.
export SOUK_PAYD_THREADS=${CHAOS_PAYD_THREADS:-16}
DURATION=${CHAOS_SECONDS:-270}
BUYERS=${CHAOS_BUYERS:-12}
BROWSERS=${CHAOS_BROWSERS:-3}
RECORD=${CHAOS_RECORD:-0}
URL=http://127.0.0.1:$SOUK_PORT
RUN=$SOUK_VAR/run
W=$SOUK_VAR/chaos-$(date -u +%Y%m%dT%H%M%S)
mkdir -p "$W"
EVENTS=$W/events.tsv
: >"$EVENTS"

log() { printf 'chaos: %s\n' "$*" >&2; }
die() { printf 'chaos: error: %s\n' "$*" >&2; exit 2; }
event() { printf '%.3f\t%s\t%s\n' "$(date +%s.%N)" "$1" "${2:-}" >>"$EVENTS"; log "$(printf '%5ds' $((SECONDS - T0))) $1 ${2:-}"; }

"$REPO/bin/souk" deps postgresql-15 postgresql-client-15 redis-tools curl python3 || die "missing packages (see above)"
for t in psql redis-cli curl python3; do command -v $t >/dev/null || die "$t is missing"; done

# souk FN ARGS...: one of bin/souk's functions (daemon_start, redis_start,
# ...) on this stack, in a subshell (bin/souk defines them when sourced).
souk() { (. "$REPO/bin/souk" && stack_config run && "$@"); }
PG_DATA=$(souk eval 'echo "$PG_DATA"')
PG_SOCK=$(souk eval 'echo "$PG_SOCKDIR"')
export PGHOST=$PG_SOCK PGPORT=$SOUK_PG_PORT PGDATABASE=souk PGUSER=souk
q() { psql -X -q -tA -v ON_ERROR_STOP=1 -c "$1"; }
qp() { psql -X -q -tA -v ON_ERROR_STOP=1 -d souk_payd -c "$1"; }

cleanup() {
    [ -n "${TL_PID:-}" ] && kill "$TL_PID" 2>/dev/null
    [ -n "${HK_PID:-}" ] && kill "$HK_PID" 2>/dev/null
    [ -n "${REDIS_STOPPED:-}" ] && kill -CONT "$REDIS_STOPPED" 2>/dev/null
    [ "${CHAOS_KEEP:-0}" = 1 ] || "$REPO/bin/souk" down >/dev/null 2>&1 || true
}
trap cleanup EXIT

T0=$SECONDS
log "private stack: $SOUK_VAR (http $SOUK_PORT, pg $SOUK_PG_PORT, redis $SOUK_REDIS_PORT, $SOUK_WORKERS workers/pool); run dir $W"
"$REPO/bin/souk" up >"$W/up.log" 2>&1 || { tail -20 "$W/up.log"; die "bin/souk up failed"; }
PGSET=$(q "SELECT string_agg(name || '=' || setting, ', ' ORDER BY name) FROM pg_settings WHERE name IN ('fsync', 'synchronous_commit', 'full_page_writes')")
RSET=$(redis-cli -p "$SOUK_REDIS_PORT" CONFIG GET appendonly | paste -sd= -),$(redis-cli -p "$SOUK_REDIS_PORT" CONFIG GET appendfsync | paste -sd= -)
log "PostgreSQL: $PGSET; Redis: $RSET"
# a previous run's orders are not this run's business
q "UPDATE payment_ops SET next_at = now() WHERE status = 'pending'" >/dev/null

# ---- test stock: 40 skus with ample stock, 2 scarce ones over 2 warehouses
# (they sell out during the run, so the oversell check meets contention)
RUN_TAG=c$(date +%s)
# make_sku (the integration tests' helper) writes with sql
sql() { q "$@"; }
# shellcheck source=tests/integration/buy-lib.sh
. "$REPO/tests/integration/buy-lib.sh"
# shellcheck source=bench/chaos-lib.sh
. "$REPO/bench/chaos-lib.sh"
mk_sku() { # TAG "WH:QTY ..." -> sku id, its stock recorded as received
    local sku
    sku=$(make_sku "$1" "$2" 1299)
    chaos_received "$sku"
    echo "$sku"
}
WH=$(q "SELECT string_agg(id::text, ' ' ORDER BY id) FROM (SELECT id FROM warehouses ORDER BY id LIMIT 2) w")
read -r WH1 WH2 <<<"$WH"
[ -n "${WH2:-}" ] || WH2=$WH1
SKUS=()
for i in $(seq 1 40); do SKUS+=("$(mk_sku "$RUN_TAG-$i" "$WH1:100000")"); done
for i in 1 2; do SKUS+=("$(mk_sku "$RUN_TAG-s$i" "$WH1:60 $WH2:60")"); done
# the scarce ones are asked for more often
SKUS+=("${SKUS[40]}" "${SKUS[41]}" "${SKUS[40]}" "${SKUS[41]}")
PRODUCTS=$(q "SELECT string_agg(id::text, ',') FROM (SELECT id FROM products WHERE status = 'active' ORDER BY sales_rank LIMIT 60) p")
FIRST_ORDER=$(q "SELECT coalesce(max(id), 0) FROM orders")
FIRST_EVENT=$(q "SELECT coalesce(max(id), 0) FROM outbox")
CHAOS_SINCE=$(q "SELECT now()")
chaos_client_config "$W/client.json" "$BUYERS" "$BROWSERS" 120 "$PRODUCTS" "${SKUS[@]}"
# the saved card: tokenised once, as a shop's customer saves a card (a
# provider that is down later defers these checkouts' authorization: 202)
PM=$(curl -s --max-time 5 --unix-socket "$RUN/payd.sock" -H 'Content-Type: application/json' \
    --data '{"card_number":"4242424242424242","exp_month":12,"exp_year":2099,"cvc":"123"}' \
    http://payd/v1/payment_methods | python3 -c 'import json,sys; print(json.load(sys.stdin)["id"])') ||
    die "souk-payd did not tokenise the saved card"
python3 - "$W/client.json" "$PM" "${CHAOS_CARD_SHARE:-0.2}" <<'PY'
import json, sys
cfg = json.load(open(sys.argv[1]))
cfg["payment_method"], cfg["card_share"] = sys.argv[2], float(sys.argv[3])
json.dump(cfg, open(sys.argv[1], "w"))
PY
log "run $RUN_TAG: ${#SKUS[@]} sku slots (2 scarce: ${SKUS[40]}, ${SKUS[41]}), $BUYERS buyers, $BROWSERS browsers, $DURATION s"

# ---- the faults
handler_killer() {
    while :; do
        sleep "$((3 + RANDOM % 3))"
        [ -e "$W/pause-kills" ] && continue
        local p
        p=$(chaos_pool_worker "$RUN") && [ -n "$p" ] && kill -9 "$p" 2>/dev/null && event kill-handler "$p"
    done
}
kill_daemon() { # NAME RESTART_FN
    local pid
    pid=$(cat "$RUN/$1.pid" 2>/dev/null) || { event "kill-$1" "not running"; return 0; }
    kill -9 -- "-$pid" 2>/dev/null || kill -9 "$pid" 2>/dev/null || true
    event "kill-$1" "$pid"
    sleep 2
    if kill -0 "$pid" 2>/dev/null; then event "$1-alive" "$pid"; return 0; fi
    souk "$2" >>"$W/restarts.log" 2>&1 && event "restart-$1" "$(cat "$RUN/$1.pid")" || event "restart-$1-failed" ""
}
payd_faults() { curl -s --max-time 5 --unix-socket "$RUN/payd.sock" -H 'Content-Type: application/json' --data "$1" http://payd/_faults >/dev/null || true; }
pg_restart() { # MODE
    touch "$W/pause-kills"
    sleep 5
    event "pg-restart-$1" begin
    souk as_pg pg_ctl -D "$PG_DATA" -l "$(souk eval 'echo "$PG_LOG"')" -m "$1" -w -t 120 restart >>"$W/restarts.log" 2>&1 ||
        event "pg-restart-$1-failed" ""
    event "pg-restart-$1" done
    sleep 25
    rm -f "$W/pause-kills"
}
at() { # FRACTION: sleeps until that point of the run
    local t
    t=$(awk -v f="$1" -v d="$DURATION" 'BEGIN { printf "%d", f * d }')
    while [ $((SECONDS - TSTART)) -lt "$t" ]; do sleep 0.2; done
}
timeline() {
    at 0.08; kill_daemon worker worker_start
    at 0.14; kill_daemon searchd searchd_start
    at 0.22; event redis-restart begin
    redis-cli -p "$SOUK_REDIS_PORT" SHUTDOWN >/dev/null 2>&1 || true
    souk redis_start >>"$W/restarts.log" 2>&1 || event redis-start-failed ""
    event redis-restart done
    at 0.30; local rp
    rp=$(cat "$RUN/redis.pid"); kill -STOP "$rp"; event redis-stop "$rp"
    sleep 5; kill -CONT "$rp"; event redis-cont "$rp"
    at 0.38; payd_faults '{"delay_ms":1500}'; event payd-slow 1500ms
    at 0.46; payd_faults '{}'; event payd-normal ""
    at 0.50; event payd-down ""; souk payd_stop >>"$W/restarts.log" 2>&1
    sleep 10; souk payd_start >>"$W/restarts.log" 2>&1 && event payd-up "" || event payd-start-failed ""
    at 0.60; kill_daemon worker worker_start
    at 0.66; pg_restart fast
    at 0.82; pg_restart immediate
}

TSTART=$SECONDS
event start "$DURATION s"
handler_killer &
HK_PID=$!
timeline &
TL_PID=$!
python3 "$REPO/bench/chaos-client.py" "$URL" "$DURATION" "$W/client.json" "$W/client.tsv" || die "the client failed"
event traffic-end ""
kill "$HK_PID" 2>/dev/null; HK_PID=""
wait "$TL_PID" 2>/dev/null || true
TL_PID=""

# ---- the worker catches up, then the checks
MAIL_DIR=$SOUK_VAR/mail
CATCHUP=$(chaos_wait_caught_up 180)
event caught-up "$CATCHUP s"
chaos_invariants

# ---- figures and verdict
set +e
python3 "$REPO/bench/chaos-report.py" "$W" >"$W/report.txt"
rc=$?
set -e
cat "$W/report.txt"
printf 'PostgreSQL: %s; Redis: %s; worker caught up in %s s\n' "$PGSET" "$RSET" "$CATCHUP" | tee -a "$W/report.txt"
grep -h 'ERROR\|AddressSanitizer\|runtime error' "$SOUK_VAR"/log/{api,storefront,worker,payd,searchd}.log 2>/dev/null |
    sed 's/[0-9a-f]\{16,\}/…/g' | cut -c1-200 | sort | uniq -c | sort -rn | head -15 >"$W/log-errors.txt" || true

if [ "$RECORD" = 1 ]; then
    {
        printf '\n## %s: bench/chaos.sh\n\n' "$(date -u '+%Y-%m-%d %H:%M UTC')"
        printf -- '- machine: %s CPUs (%s), %s RAM, Linux %s; shared and noisy; client on the same machine\n' \
            "$(nproc)" "$(awk -F': ' '/model name/ { print $2; exit }' /proc/cpuinfo)" "$(free -h | awk '/Mem:/ { print $2 }')" "$(uname -r)"
        printf -- '- command: `CHAOS_SECONDS=%s bench/chaos.sh` (%s buyers, %s browsers, %s workers per pool; tree %s); PostgreSQL %s; Redis %s\n\n' \
            "$DURATION" "$BUYERS" "$BROWSERS" "$SOUK_WORKERS" "$(git -C "$REPO" rev-parse --short HEAD)" "$PGSET" "$RSET"
        printf '```\n'
        cat "$W/report.txt"
        printf '```\n'
    } >>"$REPO/bench/RESULTS.md"
    log "recorded in bench/RESULTS.md"
fi
exit "$rc"
