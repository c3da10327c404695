#!/usr/bin/env bash
# bench/search.sh: search latency through nginx at the demo catalog's size
# and at 1,000,000 products (bench/gen-catalog.sql), in private stacks.
#
# For each catalog size it starts its own stack (bin/souk up with
# SOUK_VAR=var/bench-<size> and ports of its own, so the demo stack is left
# alone), loads the catalog once, generates the query classes
# (bench/search-queries.py: one-word, two-word, rare-term, category-only,
# heavily-filtered; every one asks for the sidebar's facets) and runs, per
# round and class, with wrk and bench/search.lua against
# POST /api/v1/products/_search:
#   cold-1   1 client, Redis result cache bypassed (X-Souk-Search-Cache:
#            bypass, honoured from loopback only)
#   hot-1    1 client, the class's bodies already cached
#   cold-16  16 clients, cache bypassed (queries/s and p95 under load)
#   sql-1    1 client, cache bypassed, the SQL engine forced (X-Souk-
#            Search-Engine: sql): the same-run reference for the memory
#            engine of souk-searchd, which answers the other modes
# During cold-1 and sql-1 it also reads the CPU time of the stack's
# PostgreSQL backends, api workers and souk-searchd (/proc/<pid>/stat) to
# give CPU ms per query.
# Then it prints EXPLAIN (ANALYZE, BUFFERS) of the slowest cold class's
# statements (auto_explain, one request) and appends medians over the
# rounds, the targets and the plans to bench/RESULTS.md.
#
#   bench/search.sh                 # both sizes, 3 rounds of 10 s each
#   BENCH_SIZES=demo bench/search.sh
# Environment: BENCH_SIZES ("demo 1m"), BENCH_ROUNDS (3), BENCH_DURATION
# (10 s), BENCH_TARGET (1000000), BENCH_RECORD (1: append to RESULTS.md),
# BENCH_ENGINE (memory: the engine asked for in the cold and hot modes),
# BENCH_SQL_REF (1: also run sql-1),
# BENCH_KEEP (1: leave the stacks running; 0: stop them at the end),
# BENCH_QUERIES (40 bodies per class).
# Ports: demo 8282/5635/6592, 1m 8281/5634/6591 (BENCH_PORTS_DEMO /
# BENCH_PORTS_1M="http pg redis").
set -euo pipefail
umask 022
export LC_ALL=C

REPO=$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/.." && pwd)
SIZES=${BENCH_SIZES:-demo 1m}
ROUNDS=${BENCH_ROUNDS:-3}
DURATION=${BENCH_DURATION:-10}
TARGET=${BENCH_TARGET:-1000000}
RECORD=${BENCH_RECORD:-1}
KEEP=${BENCH_KEEP:-1}
NQ=${BENCH_QUERIES:-40}                   # bodies per class
ENGINE=${BENCH_ENGINE:-memory}
SQL_REF=${BENCH_SQL_REF:-1}
RESULTS=${BENCH_RESULTS:-$REPO/bench/RESULTS.md}
CLASSES=(one two rare category filtered)
# Targets (issue "Search"): ms
T_COLD_1M=200 T_HOT=5 T_DEMO_COLD16=15

log() { printf 'bench: %s\n' "$*" >&2; }
die() { printf 'bench: error: %s\n' "$*" >&2; exit 1; }
# Missing packages are installed as `bin/souk up` does (bin/souk deps).
"$REPO/bin/souk" deps wrk curl postgresql-client-15 python3 || die "missing packages (see above)"
for t in wrk curl psql python3 awk; do
    command -v "$t" >/dev/null || die "$t is not installed"
done
export PATH=/usr/lib/postgresql/15/bin:$PATH

# stack SIZE: exports the stack's SOUK_* and libpq variables.
stack() {
    local ports
    if [ "$1" = demo ]; then ports=${BENCH_PORTS_DEMO:-8282 5635 6592}; else ports=${BENCH_PORTS_1M:-8281 5634 6591}; fi
    read -r SOUK_PORT SOUK_PG_PORT SOUK_REDIS_PORT <<<"$ports"
    # loopback load must not be throttled by nginx/limits.conf
    export SOUK_LIMIT_EXEMPT=${SOUK_LIMIT_EXEMPT-127.0.0.1}
    export SOUK_VAR=$REPO/var/bench-$1 SOUK_PORT SOUK_PG_PORT SOUK_REDIS_PORT
    export PGHOST=$SOUK_VAR/run PGPORT=$SOUK_PG_PORT PGDATABASE=souk PGUSER=souk
    URL=http://127.0.0.1:$SOUK_PORT
    OUT=$SOUK_VAR/bench
    mkdir -p "$OUT"
}
q() { psql -X -q -t -A -v ON_ERROR_STOP=1 -c "$1"; }

# PostgreSQL for a read benchmark: enough shared buffers for the 1M
# catalog and its indexes, pg_stat_statements and auto_explain loaded.
# ALTER SYSTEM lands in postgresql.auto.conf, which bin/souk leaves alone.
pg_tune() {
    local want="pg_stat_statements, auto_explain"
    if [ "$(q "SHOW shared_preload_libraries")" != "$want" ] || [ "$(q "SHOW shared_buffers")" != 1GB ]; then
        q "ALTER SYSTEM SET shared_buffers = '1GB'"
        q "ALTER SYSTEM SET shared_preload_libraries = pg_stat_statements, auto_explain"
        q "ALTER SYSTEM SET effective_cache_size = '8GB'"
        log "restarting the $SIZE stack's PostgreSQL with the bench settings"
        "$REPO/bin/souk" down >&2
        "$REPO/bin/souk" up >&2
    fi
    q "CREATE EXTENSION IF NOT EXISTS pg_stat_statements" >/dev/null
}

# The pids whose CPU counts as "the search": PostgreSQL backends of this
# cluster, the api pool's workers and souk-searchd (threads included).
stack_pids() {
    local pm api
    pm=$(head -n1 "$(q "SHOW data_directory")/postmaster.pid")
    api=$(head -n1 "$SOUK_VAR/run/api.pid")
    grep -l -E "^PPid:[[:space:]]*($pm|$api)\$" /proc/[0-9]*/status 2>/dev/null |
        sed -e 's,/proc/\([0-9]*\)/status,\1,' | tr '\n' ' ' || true
    searchd_pid
}
searchd_pid() { head -n1 "$SOUK_VAR/run/searchd.pid" 2>/dev/null || true; }
# searchd_products: the product count of souk-searchd's index, from its
# status frame ({"status":true} on its socket); empty when it cannot say.
searchd_products() {
    python3 - "$SOUK_VAR/run/searchd.sock" <<'EOF' 2>/dev/null || true
import json, socket, struct, sys
s = socket.socket(socket.AF_UNIX); s.settimeout(5); s.connect(sys.argv[1])
b = json.dumps({"status": True}).encode()
s.sendall(struct.pack(">I", len(b)) + b)
n = struct.unpack(">I", s.recv(4, socket.MSG_WAITALL))[0]
print(json.loads(s.recv(n, socket.MSG_WAITALL))["status"]["products"])
EOF
}
# total ENGINE BODY: hits.total of a _search body from that engine, cache bypassed.
total() {
    curl -s --max-time 60 -H 'Content-Type: application/json' -H "X-Souk-Search-Engine: $1" \
        -H 'X-Souk-Search-Cache: bypass' --data-binary "$2" "$URL/api/v1/products/_search" |
        python3 -c 'import json,sys; print(json.load(sys.stdin)["hits"]["total"])' 2>/dev/null || true
}
# check_index: refuses to measure an index that does not hold the
# catalog (a bulk load it never read would make every figure a lie):
# its product count must equal PostgreSQL's active products (waiting up
# to BENCH_INDEX_WAIT s, 180: a reconciliation (60 s) and a reload), and
# the first body of every class must get the same total from both engines.
check_index() {
    local want got t0 class body tm ts
    want=$(q "SELECT count(*) FROM products WHERE status = 'active'")
    t0=$(date +%s)
    until got=$(searchd_products) && [ "$got" = "$want" ]; do
        [ $(($(date +%s) - t0)) -lt "${BENCH_INDEX_WAIT:-180}" ] ||
            die "souk-searchd's index holds ${got:-?} products, PostgreSQL $want active ones: not measuring (docs/SEARCH.md, Freshness)"
        sleep 2
    done
    log "souk-searchd's index holds the catalog: $got products"
    for class in "${CLASSES[@]}"; do
        body=$(head -n 1 "$OUT/queries/$class.jsonl")
        tm=$(total memory "$body")
        ts=$(total sql "$body")
        [ -n "$tm" ] && [ "$tm" = "$ts" ] ||
            die "class $class: total ${tm:-?} from souk-searchd, ${ts:-?} from SQL for $body: not measuring"
    done
    log "sample totals agree between the engines (${CLASSES[*]})"
}
# cpu_ticks PIDS...: their user+system CPU time so far, in clock ticks.
cpu_ticks() {
    local p t=0 v
    for p in "$@"; do
        v=$(awk '{ print $14 + $15 }' "/proc/$p/stat" 2>/dev/null || echo 0)
        t=$((t + v))
    done
    echo "$t"
}

# run CLASS MODE CONNS [ENGINE]: one wrk run; prints its result line.
run() {
    local class=$1 mode=$2 conns=$3 threads=1
    [ "$conns" -gt 1 ] && threads=2
    # A forced engine skips the result cache: hot runs ask for none.
    local engine=${4:-$ENGINE}
    [ "$mode" = hot ] && engine=
    BENCH_ENGINE=$engine BENCH_BODIES=$OUT/queries/$class.jsonl BENCH_BYPASS=$([ "$mode" = cold ] && echo 1 || echo 0) \
        wrk -t"$threads" -c"$conns" -d"${DURATION}s" --timeout 10s -s "$REPO/bench/search.lua" "$URL" |
        grep '^requests='
}

# warm CLASS: every body once without the bypass, so hot runs hit Redis.
warm() {
    local line
    while IFS= read -r line; do
        curl -s -o /dev/null --max-time 60 -H 'Content-Type: application/json' --data-binary "$line" "$URL/api/v1/products/_search" || true
    done <"$OUT/queries/$1.jsonl"
}

field() { sed -e "s/.* $1=\([^ ]*\).*/\1/" -e "s/^$1=\([^ ]*\).*/\1/" <<<"$2"; }
median() { sort -g | awk '{ a[NR] = $1 } END { if (NR) print a[int((NR + 1) / 2)]; else print "-" }'; }

# EXPLAIN (ANALYZE, BUFFERS) of every statement one request of the class
# runs, from auto_explain in the server log.
explain_class() {
    local class=$1 logf mark
    logf=$(readlink -f "/proc/$(head -n1 "$(q "SHOW data_directory")/postmaster.pid")/fd/2")
    mark=$(wc -c <"$logf")
    q "ALTER SYSTEM SET auto_explain.log_min_duration = 0" >/dev/null
    q "ALTER SYSTEM SET auto_explain.log_analyze = on" >/dev/null
    q "ALTER SYSTEM SET auto_explain.log_buffers = on" >/dev/null
    q "SELECT pg_reload_conf()" >/dev/null
    sleep 1
    head -n 1 "$OUT/queries/$class.jsonl" >"$OUT/explain-body.json"
    curl -s -o /dev/null -H 'Content-Type: application/json' -H 'X-Souk-Search-Cache: bypass' \
        -H 'X-Souk-Search-Engine: sql' --data-binary "@$OUT/explain-body.json" "$URL/api/v1/products/_search"
    sleep 1
    q "ALTER SYSTEM SET auto_explain.log_min_duration = -1" >/dev/null
    q "ALTER SYSTEM RESET auto_explain.log_analyze" >/dev/null
    q "ALTER SYSTEM RESET auto_explain.log_buffers" >/dev/null
    q "SELECT pg_reload_conf()" >/dev/null
    # Keep the search statements' plans (a "LOG: duration" line and its
    # tab-indented lines), not this function's own, the worker's nor
    # souk-searchd's refreshes (search_xid).
    tail -c +"$((mark + 1))" "$logf" |
        awk '/^[^\t]/ { if (blk ~ /search_doc/ && blk !~ /search_xid/) printf "%s", blk; blk = "" }
             /^[^\t].*duration: .*plan:/ || (/^\t/ && inplan) { blk = blk $0 "\n"; inplan = 1; next }
             { inplan = 0 }
             END { if (blk ~ /search_doc/ && blk !~ /search_xid/) printf "%s", blk }' |
        sed -e 's/^[0-9-]* [0-9:.]* UTC \[[0-9]*\] [^ ]* //'
}

SUMMARY=$(mktemp)
PLANS=$(mktemp)
trap 'rm -f "$SUMMARY" "$PLANS"' EXIT

for SIZE in $SIZES; do
    stack "$SIZE"
    log "== $SIZE: stack $SOUK_VAR on $URL"
    "$REPO/bin/souk" up >&2
    pg_tune
    # Printed and recorded: the settings the figures were measured with.
    PGSET=$(q "SELECT string_agg(name || '=' || setting, ', ' ORDER BY name) FROM pg_settings WHERE name IN ('fsync', 'synchronous_commit', 'full_page_writes')")
    log "PostgreSQL at $SIZE: $PGSET"
    PGSETS="${PGSETS:+$PGSETS; }$SIZE: $PGSET"
    if [ "$SIZE" = 1m ]; then
        n=$(q "SELECT count(*) FROM products")
        if [ "$n" -lt "$TARGET" ]; then
            log "generating $TARGET products (bench/gen-catalog.sql)"
            start=$(date +%s)
            psql -X -q -v ON_ERROR_STOP=1 -v target="$TARGET" -v seed=1 -f "$REPO/bench/gen-catalog.sql" >&2
            log "generated in $(($(date +%s) - start)) s"
            redis-cli -p "$SOUK_REDIS_PORT" INCR catalog:version >/dev/null
        fi
    fi
    # A migration that rewrote every row (search columns) leaves dead
    # tuples in the heap and the indexes until autovacuum comes by.
    q "VACUUM (ANALYZE) products, product_variants" >/dev/null
    nprod=$(q "SELECT count(*) FROM products")
    if [ "$ENGINE" = memory ]; then
        # souk-searchd loads the whole catalog before it answers.
        t0=$(date +%s)
        until [ "$(curl -s -o /dev/null -w '%{http_code}' -H 'X-Souk-Search-Engine: memory' \
                    "$URL/api/v1/search?q=a")" = 200 ]; do
            [ $(($(date +%s) - t0)) -lt 900 ] || die "souk-searchd did not answer within 900 s"
            sleep 2
        done
        log "souk-searchd answers ($(($(date +%s) - t0)) s after the stack was up)"
    fi
    python3 "$REPO/bench/search-queries.py" "$OUT/queries" "$NQ"
    check_index
    # Each class once first: connections open, statements prepared, pages cached.
    for class in "${CLASSES[@]}"; do warm "$class"; done
    raw=$OUT/raw.txt
    : >"$raw"
    for ((r = 1; r <= ROUNDS; r++)); do
        for class in "${CLASSES[@]}"; do
            pids=$(stack_pids)
            # shellcheck disable=SC2086
            c0=$(cpu_ticks $pids)
            line=$(run "$class" cold 1)
            # shellcheck disable=SC2086
            c1=$(cpu_ticks $pids)
            reqs=$(field requests "$line")
            cpu=$(awk -v t=$((c1 - c0)) -v n="$reqs" -v hz="$(getconf CLK_TCK)" 'BEGIN { printf "%.1f", n ? t * 1000 / hz / n : 0 }')
            echo "$r $class cold-1 $line cpu_ms=$cpu" | tee -a "$raw" >&2
            warm "$class"
            echo "$r $class hot-1 $(run "$class" hot 1)" | tee -a "$raw" >&2
            echo "$r $class cold-16 $(run "$class" cold 16)" | tee -a "$raw" >&2
            if [ "$SQL_REF" = 1 ]; then
                # shellcheck disable=SC2086
                c0=$(cpu_ticks $pids)
                line=$(run "$class" cold 1 sql)
                # shellcheck disable=SC2086
                c1=$(cpu_ticks $pids)
                reqs=$(field requests "$line")
                cpu=$(awk -v t=$((c1 - c0)) -v n="$reqs" -v hz="$(getconf CLK_TCK)" 'BEGIN { printf "%.1f", n ? t * 1000 / hz / n : 0 }')
                echo "$r $class sql-1 $line cpu_ms=$cpu" | tee -a "$raw" >&2
            fi
        done
    done
    # Medians over the rounds.
    {
        printf '\n### %s catalog: %s products\n\n' "$SIZE" "$nprod"
        sp=$(searchd_pid)
        if [ -n "$sp" ] && [ -r "/proc/$sp/status" ]; then
            printf 'souk-searchd: pid %s, RSS %s MB, %s threads.\n\n' "$sp" \
                "$(awk '/VmRSS/ { printf "%.0f", $2 / 1024 }' "/proc/$sp/status")" \
                "$(awk '/Threads/ { print $2 }' "/proc/$sp/status")"
        fi
        printf '| class | cold-1 p50 / p95 / p99 ms | cold-1 q/s | CPU ms/query (pg + api + searchd) | hot-1 p50 / p95 / p99 ms | cold-16 p95 ms | cold-16 q/s | sql-1 p50 / p95 ms (reference) | sql-1 CPU ms/query | errors |\n'
        printf '|---|---|---|---|---|---|---|---|---|---|\n'
    } >>"$SUMMARY"
    slowest="" slowest_p95=0
    for class in "${CLASSES[@]}"; do
        m() { grep " $class $1 " "$raw" | while read -r l; do field "$2" "$l"; done | median; }
        qps() { grep " $class $1 " "$raw" | while read -r l; do awk -v n="$(field requests "$l")" -v s="$(field seconds "$l")" 'BEGIN { printf "%.1f\n", n / s }'; done | median; }
        # A run that completed no request at all (every one slower than the
        # run) counts as an error: its percentiles are not figures.
        errs=$(grep " $class " "$raw" | while read -r l; do echo $(($(field non2xx "$l") + $(field errors "$l") + ($(field requests "$l") == 0))); done | awk '{ s += $1 } END { print s + 0 }')
        c95=$(m cold-1 p95)
        # A target fails on its own mode's errors (or no completed request).
        merr() { grep " $class $1 " "$raw" | while read -r l; do echo $(($(field non2xx "$l") + $(field errors "$l") + ($(field requests "$l") == 0))); done | awk '{ s += $1 } END { print s + 0 }'; }
        ok() { [ "$(merr "$3")" = 0 ] && awk -v v="$1" -v t="$2" 'BEGIN { exit !(v <= t) }'; }
        printf '| %s | %s / %s / %s | %s | %s | %s / %s / %s | %s | %s | %s / %s | %s | %s |\n' "$class" \
            "$(m cold-1 p50)" "$c95" "$(m cold-1 p99)" "$(qps cold-1)" "$(m cold-1 cpu_ms)" \
            "$(m hot-1 p50)" "$(m hot-1 p95)" "$(m hot-1 p99)" "$(m cold-16 p95)" "$(qps cold-16)" \
            "$(m sql-1 p50)" "$(m sql-1 p95)" "$(m sql-1 cpu_ms)" "$errs" >>"$SUMMARY"
        # No completed request: slower than anything measured.
        [ "$(m cold-1 requests)" = 0 ] && c95=999999
        if awk -v a="$c95" -v b="$slowest_p95" 'BEGIN { exit !(a > b) }'; then slowest=$class slowest_p95=$c95; fi
        # Targets.
        if [ "$SIZE" = 1m ]; then
            ok "$c95" $T_COLD_1M cold-1 && r=pass || r=FAIL
            echo "- 1M $class cold p95 (1 client) $c95 ms <= $T_COLD_1M: $r" >>"$SUMMARY.targets"
        fi
        h95=$(m hot-1 p95)
        ok "$h95" $T_HOT hot-1 && r=pass || r=FAIL
        echo "- $SIZE $class hot p95 (1 client) $h95 ms <= $T_HOT: $r" >>"$SUMMARY.targets"
        if [ "$SIZE" = demo ]; then
            d95=$(m cold-16 p95)
            ok "$d95" $T_DEMO_COLD16 cold-16 && r=pass || r=FAIL
            echo "- demo $class cold p95 (16 clients) $d95 ms <= $T_DEMO_COLD16: $r" >>"$SUMMARY.targets"
        fi
    done
    log "slowest cold class at $SIZE: $slowest (p95 $slowest_p95 ms); EXPLAIN follows"
    {
        printf '\n#### EXPLAIN (ANALYZE, BUFFERS): %s catalog, slowest cold class "%s", first body, SQL engine (the memory engine runs no such plan):\n\n' "$SIZE" "$slowest"
        printf '```\n%s\n\n' "$(cat "$OUT/queries/$slowest.jsonl" | head -n 1)"
        explain_class "$slowest"
        printf '```\n'
    } >>"$PLANS"
    PGVERSION=$(q "SHOW server_version" | cut -d' ' -f1)
    [ "$KEEP" = 1 ] || "$REPO/bin/souk" down >&2
done

{
    printf '\n## Search latency (bench/search.sh), %s\n\n' "$(date -u '+%Y-%m-%d %H:%M UTC')"
    printf 'Machine: %s, %s cores, %s RAM (shared). Command: `BENCH_SIZES="%s" BENCH_ROUNDS=%s BENCH_DURATION=%s BENCH_QUERIES=%s bench/search.sh`.\n' \
        "$(awk -F': ' '/model name/ { print $2; exit }' /proc/cpuinfo)" "$(nproc)" \
        "$(awk '/MemTotal/ { printf "%.0f GB", $2 / 1048576 }' /proc/meminfo)" "$SIZES" "$ROUNDS" "$DURATION" "$NQ"
    printf 'Software: PostgreSQL %s (%s), %s, %s; tree %s.\n' "$PGVERSION" "$PGSETS" \
        "$(nginx -v 2>&1 | sed 's/.*: //')" "$(redis-server --version | cut -d' ' -f1-3)" "$(git -C "$REPO" rev-parse --short HEAD)"
    printf 'Through nginx, POST /api/v1/products/_search, 20 hits + brand/colour/category/price facets; %s bodies per class;\n' "$NQ"
    printf 'medians of %s rounds; cold = X-Souk-Search-Cache: bypass; engine asked for: %s (X-Souk-Search-Engine); CPU = PostgreSQL backends + api workers + souk-searchd per query (1 client).\n' "$ROUNDS" "$ENGINE"
    printf 'sql-1: the same bodies, one client, cache bypassed, the SQL engine forced: the reference the memory engine replaces.\n'
    printf 'Same-run reference: hot-1 is the whole path (nginx, FastCGI, parse, Redis GET, JSON out) without the engine.\n'
    cat "$SUMMARY"
    printf '\nTargets (FAIL also when a class had errors):\n\n'
    cat "$SUMMARY.targets"
    cat "$PLANS"
} | tee "$REPO/var/bench-search-last.md"
rm -f "$SUMMARY.targets"
if [ "$RECORD" = 1 ]; then
    cat "$REPO/var/bench-search-last.md" >>"$RESULTS"
    log "appended to $RESULTS"
fi
