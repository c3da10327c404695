#!/usr/bin/env bash
# tests/cluster/01-cluster.sh: a running `bin/souk up --cluster` has every member in its role, both app hosts serve (the pools at their table's CPU weight), one worker leads each run-once job, and psql/ctl reach the primary (about 20 s; not part of bin/souk test).
#
# Usage: bin/souk up --cluster && tests/cluster/01-cluster.sh
# Prints "N passed, N failed" and exits non-zero on any failure. The fault
# scenarios (killing the primary, the Redis master, an app host) are in
# bench/failover.sh, which asserts the data after each.
set -uo pipefail
REPO=$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/../.." && pwd)
eval "$("$REPO/bin/souk-cluster" env)" || { echo "no cluster config"; exit 1; }
PASS=0 FAIL=0
check() { # DESCRIPTION CMD...
    local what=$1
    shift
    if "$@" >/dev/null 2>&1; then PASS=$((PASS + 1)); echo "ok - $what"
    else FAIL=$((FAIL + 1)); echo "not ok - $what"; fi
}
q() { "$REPO/bin/souk" psql --cluster -X -tAc "$1" 2>/dev/null; }
is() { [ "$1" = "$2" ]; }

st=$("$REPO/bin/souk" status --cluster)
echo "$st" | sed 's/^/# /'
check "status --cluster: every member up (exit 0)" "$REPO/bin/souk" status --cluster
check "one PostgreSQL leader/primary" is "$(echo "$st" | grep -c 'leader/primary')" 1
check "one sync standby" is "$(echo "$st" | grep -c 'sync standby')" 1
check "one Redis master, one replica" is "$(echo "$st" | grep -E '^redis' | awk '{print $3}' | sort | paste -sd,)" master,replica
check "three Sentinels agree on the master" is "$(echo "$st" | grep -E '^sentinel' | awk '{print $NF}' | sort -u | wc -l)" 1
check "psql talks to the primary" is "$(q 'SELECT pg_is_in_recovery()')" f
check "synchronous replication is on" is "$(q "SELECT count(*) FROM pg_stat_replication WHERE sync_state = 'sync'")" 1
check "ctl talks to the primary" "$REPO/bin/souk" ctl --cluster product-json "$(q 'SELECT min(id) FROM products WHERE status = $$active$$')"

# each app host's pools answer on TCP (FastCGI: a connect is enough here)
# (bin/souk-cluster: the i-th pool of pools.conf, from 1, on SOUK_CLUSTER_BASE + 110 + i)
API_PORT=$((${SOUK_CLUSTER_BASE:-38500} + 110 + $(awk '!/^#/ && NF { n++ } $1 == "api" { print n; exit }' "$REPO/pools.conf")))
for h in "$HOST0" "$HOST1"; do
    check "app host $h: the api pool listens on TCP" bash -c "exec 3<>/dev/tcp/$h/$API_PORT"
done
# the pool table's CPU weight (7th column) on both app hosts, as bin/souk
# gives it: the supervisor's nice (its workers inherit it) and its
# session's autogroup (bin/souk cpu_weight)
want_nice=${SOUK_NICE_WAITROOM:-$(awk '$1 == "waitroom" { print ($7 == "" || $7 == "-") ? 0 : $7 }' "${SOUK_POOLS:-$REPO/pools.conf}")}
nice_ok() { # PIDFILE NICE
    local pid
    pid=$(head -n1 "$1" | tr -dc 0-9)
    [ -n "$pid" ] && [ "$(ps -o ni= -p "$pid" | tr -d ' ')" = "$2" ] &&
        { [ ! -e "/proc/$pid/autogroup" ] || [ "$(cat /proc/sys/kernel/sched_autogroup_enabled 2>/dev/null)" != 1 ] ||
            grep -q " nice $2\$" "/proc/$pid/autogroup"; }
}
for app in app1 app2; do
    check "$app: the waitroom pool runs at its table nice $want_nice (task and autogroup)" \
        nice_ok "$CVAR/$app/run/waitroom.pid" "$want_nice"
done
check "healthz through nginx" is "$(curl -s -o /dev/null -w '%{http_code}' "$URL/healthz")" 200
# nginx spreads requests over both hosts (round robin): the api workers
# of each host wake up (voluntary context switches; an idle worker sleeps
# in accept and makes none)
switches() { # total of app host $1's api workers
    local sup t=0 c
    sup=$(head -n1 "$CVAR/$1/run/api.pid")
    for c in $(grep -l "^PPid:[[:space:]]*$sup\$" /proc/[0-9]*/status 2>/dev/null); do
        t=$((t + $(awk '/^voluntary_ctxt_switches/ { print $2 }' "$c")))
    done
    echo "$t"
}
before1=$(switches app1) before2=$(switches app2)
for _ in $(seq 1 40); do curl -s -o /dev/null "$URL/api/v1/products/1"; done
check "requests reach app1" test "$(switches app1)" -ge $((before1 + 10))
check "requests reach app2" test "$(switches app2)" -ge $((before2 + 10))

# run-once jobs: exactly one holder of each leader lock, among both workers
for key in 7367856101 7367856102; do
    check "one leader for lock $key" is "$(q "SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND granted AND objsubid = 1 AND (classid::bigint << 32 | objid::bigint) = $key")" 1
done
# both workers consume: one consumer per host in each group
groups=$(redis-cli -h "${SENTINEL0%:*}" -p "${SENTINEL0#*:}" --raw SENTINEL get-master-addr-by-name souk | paste -sd' ')
check "both workers joined the billing group (app1, app2)" bash -c \
    "redis-cli -h ${groups% *} -p ${groups#* } --raw XINFO CONSUMERS souk:orders billing | grep -c '^app[12]\$' | grep -qx 2"

echo "$PASS passed, $FAIL failed"
[ "$FAIL" -eq 0 ]
