#!/usr/bin/env bash
# bench/search-profile.sh: where the CPU of a search goes under load: wrk
# with 16 clients (cache bypassed, memory engine) on one query class of a
# stack bench/search.sh left running, while `perf record` samples
# souk-searchd and the api pool's workers; prints per process the CPU ms
# per query and the top functions (self time).
#
#   BENCH_PORTS_1M="42581 42582 42583" bench/search-profile.sh one category
# Environment: BENCH_SIZE (1m: the stack var/bench-<size>), BENCH_PORTS_1M
# ("http pg redis" as given to bench/search.sh), BENCH_DURATION (10 s),
# BENCH_TOP (25 functions). Output also in var/bench-<size>/bench/profile-<class>.txt.
set -euo pipefail
export LC_ALL=C
REPO=$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/.." && pwd)
SIZE=${BENCH_SIZE:-1m}
DURATION=${BENCH_DURATION:-10}
TOP=${BENCH_TOP:-25}
"$REPO/bin/souk" deps wrk linux-perf >/dev/null || { echo "missing packages" >&2; exit 1; }
read -r PORT _ _ <<<"${BENCH_PORTS_1M:-8281 5634 6591}"
VAR=$REPO/var/bench-$SIZE
OUT=$VAR/bench
[ -s "$VAR/run/searchd.pid" ] || { echo "no stack in $VAR (run bench/search.sh first)" >&2; exit 1; }
searchd=$(head -n1 "$VAR/run/searchd.pid")
api=$(head -n1 "$VAR/run/api.pid")
workers=$(grep -l -E "^PPid:[[:space:]]*$api\$" /proc/[0-9]*/status 2>/dev/null |
    sed -e 's,/proc/\([0-9]*\)/status,\1,' | tr '\n' ',' | sed 's/,$//' || true)
ticks() { local t=0 p; for p in ${1//,/ }; do t=$((t + $(awk '{ print $14 + $15 }' "/proc/$p/stat" 2>/dev/null || echo 0))); done; echo "$t"; }
for class in "${@:-one category}"; do
    bodies=$OUT/queries/$class.jsonl
    [ -s "$bodies" ] || { echo "no bodies $bodies" >&2; exit 1; }
    s0=$(ticks "$searchd") a0=$(ticks "$workers")
    perf record -q -F 499 -g -o "$OUT/perf-$class.data" -p "$searchd,$workers" -- sleep "$DURATION" 2>/dev/null &
    perf_pid=$!
    line=$(BENCH_ENGINE=memory BENCH_BODIES=$bodies BENCH_BYPASS=1 \
        wrk -t2 -c16 -d"${DURATION}s" --timeout 10s -s "$REPO/bench/search.lua" "http://127.0.0.1:$PORT" | grep '^requests=')
    wait "$perf_pid" || true
    s1=$(ticks "$searchd") a1=$(ticks "$workers")
    n=$(sed 's/^requests=\([0-9]*\).*/\1/' <<<"$line")
    hz=$(getconf CLK_TCK)
    {
        echo "== $class, 16 clients, ${DURATION} s: $line"
        awk -v s=$((s1 - s0)) -v a=$((a1 - a0)) -v n="$n" -v hz="$hz" \
            'BEGIN { printf "CPU ms/query: souk-searchd %.2f, api workers %.2f\n", s * 1000 / hz / n, a * 1000 / hz / n }'
        echo "top functions (self), souk-searchd:"
        perf report -q -i "$OUT/perf-$class.data" --no-children --pid "$searchd" --sort symbol -g none 2>/dev/null |
            grep -v '^$' | head -n "$TOP"
        echo "top functions (self), api workers:"
        perf report -q -i "$OUT/perf-$class.data" --no-children --comm souk-api --sort symbol -g none 2>/dev/null |
            grep -v '^$' | head -n "$TOP"
    } | tee "$OUT/profile-$class.txt"
done
