#!/usr/bin/env bash
# 91-chaos-light: bench/chaos.sh in small, so CI guards it (about a minute).
# ~35 s of API checkouts and browsing while handler workers are killed -9
# every 3 s, souk-worker twice, and Redis is restarted (the test stack's
# Redis keeps nothing: carts and streams are lost). The checks
# (bench/chaos-lib.sh, bench/chaos-report.py): 0 oversold, every 201 an
# order CONFIRMED with exactly one capture at souk-payd, no capture without
# an order, no held reservation past its expiry, the outbox relayed, every
# consumer effect once, one mail per event.
# Runs after 90-deps-down (which restarts servers too).
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/buy-lib.sh"
. "$SOUK_REPO/bench/chaos-lib.sh"

q() { sql "$1"; }
qp() { payd_sql "$1"; }
W=$T_TMP/chaos
mkdir -p "$W"
EVENTS=$W/events.tsv
: >"$EVENTS"
event() { printf '%.3f\t%s\t%s\n' "$(date +%s.%N)" "$1" "${2:-}" >>"$EVENTS"; }
RUN=$SOUK_VAR/run
MAIL_DIR=$SOUK_MAIL_DIR
DURATION=${CHAOS_LIGHT_SECONDS:-35}

RUN_TAG=it91-$(date +%s%N)
SKUS=()
for i in 1 2 3 4 5 6; do SKUS+=("$(make_sku "chaos$i" "1:100000" 1299)"); done
SKUS+=("$(make_sku chaos-scarce "1:25 2:25" 1299)")
for s in "${SKUS[@]}"; do chaos_received "$s"; done
SKUS+=("${SKUS[6]}" "${SKUS[6]}") # the scarce one sells out during the run
PRODUCTS=$(sql "SELECT string_agg(id::text, ',') FROM (SELECT id FROM products WHERE status = 'active' ORDER BY sales_rank LIMIT 20) p")
FIRST_ORDER=$(sql "SELECT coalesce(max(id), 0) FROM orders")
FIRST_EVENT=$(sql "SELECT coalesce(max(id), 0) FROM outbox")
CHAOS_SINCE=$(sql "SELECT now()")
chaos_client_config "$W/client.json" 6 1 25 "$PRODUCTS" "${SKUS[@]}"

kill_worker() {
    local pid
    pid=$(worker_pid) || return 0
    kill -9 -- "-$pid" 2>/dev/null || kill -9 "$pid"
    event kill-worker "$pid"
    sleep 1
    # the killed process may linger unreaped (kill -0 still succeeds), so
    # worker_start would take it for running: forget its pidfile
    rm -f "$SOUK_VAR/run/worker.pid"
    worker_start && event restart-worker "$(worker_pid)"
}
handler_kills() {
    local t0=$SECONDS p
    while [ $((SECONDS - t0)) -lt "$DURATION" ]; do
        sleep 3
        p=$(chaos_pool_worker "$RUN") && [ -n "$p" ] && kill -9 "$p" 2>/dev/null && event kill-handler "$p"
    done
}
timeline() {
    sleep 8
    kill_worker
    sleep 6
    event redis-restart begin
    redis SHUTDOWN NOSAVE >/dev/null 2>&1
    redis-server "$SOUK_VAR/redis/redis.conf" >/dev/null
    event redis-restart done
    sleep 6
    kill_worker
}

event start "$DURATION s"
handler_kills &
hpid=$!
timeline &
tpid=$!
python3 "$SOUK_REPO/bench/chaos-client.py" "$SOUK_URL" "$DURATION" "$W/client.json" "$W/client.tsv"
wait "$hpid" "$tpid"
event traffic-end ""
check "the worker is running after the kills" worker_start
for _ in $(seq 1 50); do [ "$(redis PING 2>/dev/null)" = PONG ] && break; sleep 0.1; done

n201=$(awk -F'\t' '$2 == "checkout" && $3 == 201' "$W/client.tsv" | wc -l)
check "checkouts succeeded under the faults ($n201 answered 201)" test "$n201" -ge 20
check "faults were injected: handler kills, 2 worker kills, a Redis restart" \
    test "$(grep -c kill-handler "$EVENTS")" -ge 5 -a "$(grep -c kill-worker "$EVENTS")" = 2 -a "$(grep -c redis-restart "$EVENTS")" = 2
sed 's/^/# event /' "$EVENTS"
secs=$(chaos_wait_caught_up 40)
check "the worker caught up (outbox, payment intents, consumers) within 40 s (took $secs s)" chaos_caught_up
chaos_caught_up || {
    chaos_lagging | sed 's/^/# lagging: /'
    for s in orders payments catalog inventory; do
        echo "# souk:$s groups: $(redis XINFO GROUPS "souk:$s" 2>&1 | tr '\n' ' ')"
    done
}
chaos_invariants
python3 "$SOUK_REPO/bench/chaos-report.py" "$W" >"$W/report.txt"
rc=$?
sed 's/^/# /' "$W/report.txt"
while IFS=$'\t' read -r name val; do
    check "$name: 0 (got $val)" test "$val" = 0
done <"$W/invariants.tsv"
check "every 201 is an order, CONFIRMED, captured exactly once; nothing lost or doubled (bench/chaos-report.py)" test "$rc" = 0
check "no client gave up on a checkout (each ended in an answer)" \
    test "$(awk -F'\t' '$2 == "abandoned"' "$W/client.tsv" | wc -l)" = 0
done_testing
