#!/usr/bin/env bash
# search-load.sh: times souk-searchd's full load of a running stack's
# catalog, two builds alternately (old, new, old, new, ...), medians.
#
# The load is what a restart or a deploy costs (docs/SEARCH.md,
# "Scale-out"). The stack must be up (`bin/souk up` with SOUK_VAR and its
# ports, e.g. var/bench-1m as bench/search.sh leaves it); this script
# restarts only souk-searchd, with the environment the running one was
# started with, and reads for each load:
#   wall, thread  the load's log line (`sx_index: loaded ... in N ms (M ms
#                 of its thread's CPU ...; postings built in P ms)`)
#   searchd       the daemon's CPU (utime + stime, every thread) when the
#                 load is logged
#   postgres      the CPU of the PostgreSQL backends that served the COPY
#                 (the connections opened after the restart that run the
#                 load's COPY: one, or one per part when the load reads
#                 in parts), summed; each read when the load is logged
#                 or, for a backend gone by then (a part's connection is
#                 closed after its COPY), last seen while polling every
#                 0.1 s (up to 0.1 s of its CPU missed)
#   serving       from the daemon's "starting" log line to its "serving"
#                 line: what a restart costs before searches are answered
# With BENCH_FROM=snapshot the new build is timed starting from its index
# snapshot (lib/search/sx/sx_snap.c) instead: written first by one load
# from PostgreSQL when there is none, then every round a restart that
# reads it (wall: the read; thread, pg, postings: -). With
# BENCH_FROM=postgresql (the default) snapshots are off
# (SOUK_SEARCHD_SNAPSHOT=off), so every round loads from PostgreSQL.
# Rounds alternate the builds, so a noisy machine weighs on both alike.
# The new build is left running (`bin/souk down` stops it as usual). A
# daemon stopped in the middle of a load stops once the load is done.
#
#   BENCH_OLD=/tmp/souk-searchd.main bench/search-load.sh
#   BENCH_FROM=snapshot bench/search-load.sh
#
# Environment: SOUK_VAR (var/bench-1m), BENCH_PORTS_1M ("http pg redis",
# "8281 5634 6591" as bench/search.sh), BENCH_OLD (the reference build,
# none: only BENCH_NEW), BENCH_NEW (build/run/searchd/souk-searchd),
# BENCH_ROUNDS (3), BENCH_LOAD_WAIT (seconds for one load, 900),
# BENCH_FROM (postgresql, or snapshot: the new build only).
set -euo pipefail
REPO=$(cd "$(dirname "$0")/.." && pwd)
SOUK_VAR=${SOUK_VAR:-$REPO/var/bench-1m}
read -r _ PG_PORT _ <<<"${BENCH_PORTS_1M:-8281 5634 6591}"
NEW=${BENCH_NEW:-$REPO/build/run/searchd/souk-searchd}
OLD=${BENCH_OLD:-}
ROUNDS=${BENCH_ROUNDS:-3}
WAIT=${BENCH_LOAD_WAIT:-900}
FROM=${BENCH_FROM:-postgresql}
PIDFILE=$SOUK_VAR/run/searchd.pid
LOG=$SOUK_VAR/log/searchd.log
HZ=$(getconf CLK_TCK)

die() { echo "search-load: $*" >&2; exit 1; }
q() { psql -X -q -t -A -h "$SOUK_VAR/run" -p "$PG_PORT" -U souk -d souk -c "$1"; }
# cpu_ms PID: its utime + stime in ms, read with builtins only: the
# polling below must not take the CPU the load it measures needs (a
# fork per poll took ≈ 10 % of both cores).
# It sets CPU (no subshell), and fails when PID is gone.
cpu_ms() {
    local s f
    { read -r s <"/proc/$1/stat"; } 2>/dev/null || return 1
    read -r -a f <<<"${s##*) }" # past "pid (comm) ": field 3 is f[0]
    CPU=$(((f[11] + f[12]) * 1000 / HZ))
}

pid=$(head -n1 "$PIDFILE" 2>/dev/null) || die "no $PIDFILE: bring the stack up first (bin/souk up)"
[ -r "/proc/$pid/environ" ] || die "souk-searchd (pid $pid) is not running"
mapfile -d '' ENVV0 <"/proc/$pid/environ"
ENVV=()
for e in "${ENVV0[@]}"; do case $e in SOUK_SEARCHD_SNAPSHOT=*) ;; *) ENVV+=("$e") ;; esac; done
case $FROM in
    postgresql) ENVV+=(SOUK_SEARCHD_SNAPSHOT=off) ;;
    snapshot) [ -z "$OLD" ] || die "BENCH_FROM=snapshot times the new build only (unset BENCH_OLD)" ;;
    *) die "BENCH_FROM: postgresql or snapshot" ;;
esac
CWD=$(readlink "/proc/$pid/cwd")
for b in "$NEW" ${OLD:+"$OLD"}; do [ -x "$b" ] || die "$b is not an executable"; done

stop() {
    local p
    p=$(head -n1 "$PIDFILE" 2>/dev/null) || return 0
    kill -TERM "$p" 2>/dev/null || return 0
    # a daemon in the middle of a load stops once the load is done
    for _ in $(seq $((WAIT * 10))); do kill -0 "$p" 2>/dev/null || return 0; sleep 0.1; done
    die "souk-searchd $p did not stop in $WAIT s"
}

# load BIN: restarts souk-searchd on BIN, waits for its load; prints
# "wall thread searchd postgres postings" (ms). It polls every 0.1 s
# with builtins only (the log read from where it ended, /proc read with
# `read`), and asks PostgreSQL for the COPY's backends once a second
# until it has seen SX_LOAD_PARTS (2) of them.
load() {
    local bin=$1 p since line l part b pg log sl i
    local -A seen=()
    stop
    rm -f "$PIDFILE"
    since=$(date -u +%Y-%m-%dT%H:%M:%SZ)
    exec {log}<"$LOG" {sl}<> <(:)
    while IFS= read -r -u "$log" _; do :; done
    (cd "$CWD" && exec env -i "${ENVV[@]}" setsid "$bin" </dev/null >>"$LOG" 2>&1) &
    p=$!
    line= part=
    for ((i = 0; i < WAIT * 10; i++)); do
        # the log's new lines (a line without its newline yet: kept)
        while IFS= read -r -u "$log" l; do
            l=$part$l part=
            [[ $l == *"pid=$p "*"sx_index: loaded"* ]] && line=$l
        done
        part+=$l
        # the backends serving the load's COPY, seen while they run
        if ((i % 10 == 0 && ${#seen[@]} < 2)) || [ -n "$line" ]; then
            for b in $(q "SELECT pid FROM pg_stat_activity
                WHERE query LIKE 'COPY (SELECT s.xmin%'
                AND backend_start >= '$since'::timestamptz - interval '1 s'" 2>/dev/null || true); do
                seen[$b]=${seen[$b]:-0}
            done
        fi
        for b in "${!seen[@]}"; do
            if cpu_ms "$b"; then seen[$b]=$CPU; fi
        done
        [ -n "$line" ] && break
        kill -0 "$p" 2>/dev/null || die "$bin exited (see $LOG)"
        read -r -t 0.1 -u "$sl" _ || true
    done
    exec {log}<&- {sl}<&-
    [ -n "$line" ] || die "no load logged by pid $p in ${WAIT} s"
    pg=-
    for b in "${!seen[@]}"; do
        if cpu_ms "$b"; then seen[$b]=$CPU; fi
        pg=$(( ${pg/-/0} + seen[$b] ))
    done
    # it answers (503 until then) a moment after the load's line
    for _ in $(seq 60); do
        grep -aq "pid=$p msg=\"searchd: serving" "$LOG" && break
        sleep 0.5
    done
    echo "$line" | sed -E 's/.* in ([0-9]+) ms \(([0-9]+) ms of its.*postings built in ([0-9]+) ms.*/\1 \2 \3/' |
        { read -r wall thread post
          cpu_ms "$p"; echo "$wall $thread $CPU $pg $post $(serving_ms "$p")"; }
}

# serving_ms PID: ms from the daemon's "starting" line to its "serving"
# line (the log's timestamps); - when either is missing.
serving_ms() {
    grep -a "pid=$1 " "$LOG" | python3 -c '
import re, sys
from datetime import datetime
t = {}
for line in sys.stdin:
    m = re.match(r"ts=(\S+) .*msg=\"searchd: (starting|serving)", line)
    if m: t.setdefault(m.group(2), datetime.strptime(m.group(1), "%Y-%m-%dT%H:%M:%S.%fZ"))
print(round((t["serving"] - t["starting"]).total_seconds() * 1000) if len(t) == 2 else "-")'
}

# load_snapshot BIN: restarts souk-searchd on BIN with its snapshot on;
# prints "wall - searchd - - serving" (ms), wall the snapshot's read.
load_snapshot() {
    local bin=$1 p line
    stop
    rm -f "$PIDFILE"
    (cd "$CWD" && exec env -i "${ENVV[@]}" setsid "$bin" </dev/null >>"$LOG" 2>&1) &
    p=$!
    for _ in $(seq $((WAIT * 10))); do
        line=$(grep -a "pid=$p .*searchd: \(index loaded from snapshot\|snapshot .* not used\)" "$LOG" | tail -n1 || true)
        [ -n "$line" ] && break
        kill -0 "$p" 2>/dev/null || die "$bin exited (see $LOG)"
        sleep 0.1
    done
    case $line in *"not used"*) die "pid $p: ${line#*msg=}" ;; "") die "pid $p: no snapshot line in $WAIT s" ;; esac
    for _ in $(seq 600); do
        grep -aq "pid=$p msg=\"searchd: serving" "$LOG" && break
        sleep 0.1
    done
    echo "$line" | sed -E 's/.* in ([0-9]+) ms: .*/\1/' |
        { read -r wall; cpu_ms "$p"; echo "$wall - $CPU - - $(serving_ms "$p")"; }
}

median() { sort -n | awk '{ v[NR] = $1 } END { print (NR ? v[int((NR + 1) / 2)] : "-") }'; }

declare -A RES
builds=(new)
[ -n "$OLD" ] && builds=(old new)
echo "search-load: $(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg), $ROUNDS rounds, from $FROM, $SOUK_VAR"
if [ "$FROM" = snapshot ] && [ ! -s "$SOUK_VAR/searchd/index.snap" ]; then
    echo "search-load: no snapshot yet: one load from PostgreSQL writes it"
    load "$NEW" >/dev/null
    p=$(head -n1 "$PIDFILE")
    for _ in $(seq $((WAIT * 10))); do
        grep -aq "pid=$p msg=\"searchd: snapshot written" "$LOG" && break
        sleep 0.1
    done
fi
printf '%-6s %-5s %9s %9s %9s %9s %9s %10s\n' round build wall_ms thread_ms searchd_ms pg_ms postings_ms serving_ms
for r in $(seq "$ROUNDS"); do
    for b in "${builds[@]}"; do
        bin=$NEW
        [ "$b" = old ] && bin=$OLD
        if [ "$FROM" = snapshot ]; then res=$(load_snapshot "$bin"); else res=$(load "$bin"); fi
        RES[$b]+="$res"$'\n'
        # shellcheck disable=SC2086
        printf '%-6s %-5s %9s %9s %9s %9s %9s %10s\n' "$r" "$b" $res
    done
done
echo "medians (load average now $(cut -d' ' -f1-3 /proc/loadavg)):"
for b in "${builds[@]}"; do
    m=()
    for f in 1 2 3 4 5 6; do m+=("$(printf '%s' "${RES[$b]}" | awk -v f=$f 'NF { print $f }' | median)"); done
    printf '%-6s %-5s %9s %9s %9s %9s %9s %10s\n' median "$b" "${m[@]}"
done
