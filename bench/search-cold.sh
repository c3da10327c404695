#!/usr/bin/env bash
# bench/search-cold.sh: bench/search.sh's cold-1 and cold-16 modes (the
# same wrk call through nginx, cache bypassed, memory engine, and the
# same CPU accounting: PostgreSQL backends + api workers + souk-searchd
# per query at 1 client) on a stack bench/search.sh left running, without
# its build, restart and index check (that check asks the SQL engine for
# "one" at 1M, which can outlast nginx's timeout on a busy machine).
# For comparing code changes on one loaded index: `bin/souk up` the
# change (souk-searchd reloads), then run this.
#
#   BENCH_PORTS_1M="23081 23532 23491" bench/search-cold.sh one category
# Environment: BENCH_SIZE (1m), BENCH_PORTS_1M ("http pg redis"),
# BENCH_DURATION (8 s). Prints one line per class and mode.
set -euo pipefail
export LC_ALL=C
REPO=$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/.." && pwd)
VAR=$REPO/var/bench-${BENCH_SIZE:-1m}
OUT=$VAR/bench
DURATION=${BENCH_DURATION:-8}
read -r PORT _ _ <<<"${BENCH_PORTS_1M:-8281 5634 6591}"
URL=http://127.0.0.1:$PORT
[ -s "$VAR/run/searchd.pid" ] || { echo "no stack in $VAR (run bench/search.sh first)" >&2; exit 1; }
pids() {
    local pm api
    pm=$(head -n1 "$VAR/pg/postmaster.pid")
    api=$(head -n1 "$VAR/run/api.pid")
    grep -l -E "^PPid:[[:space:]]*($pm|$api)\$" /proc/[0-9]*/status 2>/dev/null |
        sed -e 's,/proc/\([0-9]*\)/status,\1,' | tr '\n' ' ' || true
    head -n1 "$VAR/run/searchd.pid"
}
ticks() { local t=0 p v; for p in "$@"; do v=$(awk '{ print $14 + $15 }' "/proc/$p/stat" 2>/dev/null || echo 0); t=$((t + v)); done; echo "$t"; }
run() {
    local threads=1
    [ "$2" -gt 1 ] && threads=2
    BENCH_ENGINE=memory BENCH_BODIES=$OUT/queries/$1.jsonl BENCH_BYPASS=1 \
        wrk -t"$threads" -c"$2" -d"${DURATION}s" --timeout 10s -s "$REPO/bench/search.lua" "$URL" | grep '^requests='
}
classes=("$@")
[ $# -gt 0 ] || classes=(one two rare category filtered)
for class in "${classes[@]}"; do
    [ -s "$OUT/queries/$class.jsonl" ] || { echo "no bodies for $class" >&2; exit 1; }
    read -r -a p <<<"$(pids)"
    c0=$(ticks "${p[@]}")
    line=$(run "$class" 1)
    c1=$(ticks "${p[@]}")
    n=${line#requests=}
    n=${n%% *}
    cpu=$(awk -v t=$((c1 - c0)) -v n="$n" -v hz="$(getconf CLK_TCK)" 'BEGIN { printf "%.1f", n ? t * 1000 / hz / n : 0 }')
    echo "$class cold-1 $line cpu_ms=$cpu load=$(cut -d' ' -f1 /proc/loadavg)"
    echo "$class cold-16 $(run "$class" 16) load=$(cut -d' ' -f1 /proc/loadavg)"
done
