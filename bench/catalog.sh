#!/usr/bin/env bash
# bench/catalog.sh: catalog read-path benchmark (wrk through nginx).
#
# In one run, round by round, each right after its reference, with
# wrk -t2 -c64 --latency:
#   static     nginx serving a 2 KB static file               (reference A)
#   page       anonymous product page, nginx fastcgi_cache HIT  vs A
#   noop       bench/souk-noop, a FastCGI program answering
#              2 KB, through nginx, same worker count as api   (reference B)
#   api-hit    GET /api/v1/products/{id}, Redis hit             vs B
#   api-miss   GET /api/v1/products/{id}, Redis miss            vs B
# then the resident memory of the api and storefront workers before and
# after 100,000 mixed requests (and after 100,000 more: growth).
#
# Prints req/s, p50, p99 and each ratio to its reference per round, the
# medians over the rounds, pass/fail against the targets, and appends a
# dated section to bench/RESULTS.md. See bench/README.md.
#
# Runs against the stack of `bin/souk up` (started if /healthz does not
# answer) and leaves it running. What it adds (the noop program, a private
# nginx, files under $SOUK_VAR/bench) is stopped or removed on exit, except
# the per-run outputs in $SOUK_VAR/bench.
set -euo pipefail
umask 022
export LC_ALL=C

REPO=$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/.." && pwd)

VAR=${SOUK_VAR:-$REPO/var}
case $VAR in /*) ;; *) VAR=$PWD/$VAR ;; esac
PORT=${SOUK_PORT:-8080}
REDIS_PORT=${SOUK_REDIS_PORT:-6390}
BUILD=${SOUK_BUILD_DIR:-$REPO/build/run}
case $BUILD in /*) ;; *) BUILD=$PWD/$BUILD ;; esac
WORKERS=0 # the api pool's worker count, found at start
RUN=$VAR/run
LOGDIR=$VAR/log

DURATION=${BENCH_DURATION:-10}          # seconds per measurement
ROUNDS=${BENCH_ROUNDS:-3}
CONNS=${BENCH_CONNECTIONS:-64}
THREADS=${BENCH_THREADS:-2}
MEM_REQUESTS=${BENCH_MEM_REQUESTS:-100000}    # 0: skip the memory part
NGINX_MODE=${BENCH_NGINX:-private}       # private | hook (see setup_nginx)
PRIVATE_PORT=${BENCH_NGINX_PORT:-$((PORT + 10))}
RECORD=${BENCH_RECORD:-1}                # 0: do not append to RESULTS.md
RESULTS=${BENCH_RESULTS:-$REPO/bench/RESULTS.md}
# BENCH_PAGE_PATH: the product page to measure (default: the canonical URL
# of the first hot product). BENCH_NOOP_BIN: the no-op FastCGI program
# (default: bench/souk-noop, built in $SOUK_BUILD_DIR).
HOT_IDS=100                              # distinct products in the Redis-hit set

# Targets (issue "bench/catalog.sh").
T_PAGE_RATIO=0.85 T_HIT_RATIO=0.60 T_P99_MS=15 T_RSS_KB=10240

B=$VAR/bench                # scratch dir for this run
HOOK_DIR=$VAR/nginx/conf.d  # the nginx hook directory (see bench/README.md)
HOOK_FILE=$HOOK_DIR/bench.conf
NOOP_SOCK=$RUN/noop.sock

log() { printf 'bench: %s\n' "$*" >&2; }
die() { printf 'bench: error: %s\n' "$*" >&2; exit 1; }

# Missing packages are installed as `bin/souk up` does (as root; otherwise
# it prints the apt-get line).
"$REPO/bin/souk" deps wrk curl redis-tools nginx-light || die "missing packages (see above)"
for t in wrk curl redis-cli nginx awk; do
    command -v "$t" >/dev/null || die "$t is not installed (apt-get install wrk curl redis-tools nginx-light)"
done
[ "${#NOOP_SOCK}" -lt 100 ] || die "socket path too long: $NOOP_SOCK; set SOUK_VAR to a shorter path"

rcli() { redis-cli -p "$REDIS_PORT" "$@"; }
psql_q() { "$REPO/bin/souk" psql -X -q -v ON_ERROR_STOP=1 -tA -c "$1"; }
http_code() { curl -s -o /dev/null -w '%{http_code}' --max-time 5 "$@" || true; }

# ---------------------------------------------------------------- cleanup

NOOP_PID="" NGINX_KIND="" DEL_LOOP_PID=""
cleanup() {
    local rc=$?
    set +e
    if [ -n "$DEL_LOOP_PID" ]; then kill "$DEL_LOOP_PID" 2>/dev/null; wait "$DEL_LOOP_PID" 2>/dev/null; fi
    if [ "$NGINX_KIND" = hook ]; then
        rm -f "$HOOK_FILE"
        nginx_main -s reload 2>>"$B/nginx-reload.log" || log "warning: nginx reload after removing $HOOK_FILE failed"
    elif [ "$NGINX_KIND" = private ]; then
        nginx -p "$B/nginx" -c "$B/nginx/nginx.conf" -e "$B/nginx/error.log" -s quit 2>/dev/null
        local i
        for ((i = 0; i < 50; i++)); do [ -s "$B/nginx/nginx.pid" ] || break; sleep 0.1; done
    fi
    if [ -n "$NOOP_PID" ]; then
        kill -TERM -- "-$NOOP_PID" 2>/dev/null || kill -TERM "$NOOP_PID" 2>/dev/null
        wait "$NOOP_PID" 2>/dev/null
        rm -f "$NOOP_SOCK"
    fi
    # Keep the logs and the per-run figures; drop the big scratch files.
    rm -rf "$B/nginx/cache" "$B/nginx/tmp" "$B/nginx/log" "$B/static" "$B/marks"
    exit "$rc"
}

nginx_main() { nginx -p "$VAR/nginx" -c "$VAR/nginx/nginx.conf" -e "$LOGDIR/nginx-error.log" "$@"; }

# ---------------------------------------------------------------- stack

ensure_stack() {
    if [ "$(http_code "http://127.0.0.1:$PORT/healthz")" != 200 ]; then
        [ "${BENCH_UP:-1}" = 1 ] || die "the stack does not answer on :$PORT (run bin/souk up)"
        log "stack not healthy on :$PORT; running bin/souk up"
        "$REPO/bin/souk" up >&2 || die "bin/souk up failed"
    fi
    [ -s "$RUN/api.pid" ] && [ -s "$RUN/storefront.pid" ] || die "no pool pidfiles in $RUN"
    # The noop program gets as many workers as the api pool has.
    local n
    n=$(workers_of "$(head -n1 "$RUN/api.pid" | tr -dc 0-9)" | wc -l)
    [ "$n" -gt 0 ] || die "the api pool has no workers"
    WORKERS=$n
    if [ -n "${BENCH_NOOP_BIN:-}" ]; then
        NOOP_BIN=$BENCH_NOOP_BIN
        log "noop program: $NOOP_BIN (BENCH_NOOP_BIN)"
    else
        NOOP_BIN=$BUILD/bench/souk-noop
        log "building bench/souk-noop in ${BUILD#"$REPO"/}"
        make -C "$BUILD" -s bench/souk-noop >"$B/build.log" 2>&1 || { tail -n 20 "$B/build.log" >&2; die "make bench/souk-noop failed"; }
    fi
    [ -x "$NOOP_BIN" ] || die "$NOOP_BIN is missing"
}

start_noop() {
    rm -f "$NOOP_SOCK"
    SOUK_SOCKET=$NOOP_SOCK SOUK_WORKERS=$WORKERS setsid "$NOOP_BIN" \
        </dev/null >>"$B/noop.log" 2>&1 &
    NOOP_PID=$!
    local i
    for ((i = 0; i < 50; i++)); do
        [ -S "$NOOP_SOCK" ] && return 0
        kill -0 "$NOOP_PID" 2>/dev/null || die "souk-noop exited during start"
        sleep 0.1
    done
    die "souk-noop did not create $NOOP_SOCK"
}

# The bench's nginx locations: included into the server block of the running
# nginx (hook) or of a private copy of its config (private).
write_locations() {
    cat >"$1" <<EOF
# Written by bench/catalog.sh for the length of one benchmark run.
location = /bench/static-2k.txt {
    alias $B/static/static-2k.txt;
}
location = /bench/noop {
    fastcgi_pass unix:$NOOP_SOCK;
}
EOF
}

# private (default): a second nginx from a copy of the stack's rendered
# config (same workers, gzip, logging and cache settings) with its own port,
# pid, logs, temp and cache dirs, and the bench locations included; the
# stack's nginx is not touched. hook: the stack's nginx includes
# $HOOK_DIR/*.conf in its server block; the locations go there and it is
# reloaded (its access log then takes every benchmark request).
setup_nginx() {
    local conf=$VAR/nginx/nginx.conf mode=$NGINX_MODE
    [ -f "$conf" ] || die "$conf is missing (bin/souk up renders it)"
    if [ "$mode" = hook ] && ! grep -qE "^[[:space:]]*include[[:space:]]+$HOOK_DIR/\\*\\.conf;" "$conf"; then
        die "BENCH_NGINX=hook, but $conf does not include $HOOK_DIR/*.conf"
    fi
    mkdir -p "$B/static"
    head -c 2048 /dev/zero | tr '\0' 'x' >"$B/static/static-2k.txt"
    case $mode in
        hook)
            mkdir -p "$HOOK_DIR"
            write_locations "$HOOK_FILE"
            NGINX_KIND=hook
            nginx_main -q -t 2>>"$B/nginx-reload.log" || { cat "$B/nginx-reload.log" >&2; die "nginx -t failed with $HOOK_FILE"; }
            nginx_main -s reload 2>>"$B/nginx-reload.log" || die "nginx reload failed"
            BASE=http://127.0.0.1:$PORT
            ;;
        private)
            local bn=$B/nginx v
            v=$(printf '%s' "$VAR" | sed -e 's/[][\\.*^$/|]/\\&/g')
            mkdir -p "$bn/log"
            write_locations "$bn/bench-locations.conf"
            # the request-rate zones the config includes from the stack's nginx dir
            cp "$VAR/nginx/limits.conf" "$bn/limits.conf"
            # Everything nginx itself writes moves to $bn; the pool sockets,
            # static files and templates stay where the stack has them.
            sed -e "s|$v/run/nginx\\.|$bn/nginx.|g" \
                -e "s|$v/log/nginx-|$bn/log/nginx-|g" \
                -e "s|$v/nginx/|$bn/|g" \
                -e "s|^\\([[:space:]]*listen[[:space:]]*127\\.0\\.0\\.1:\\)$PORT\\b|\\1$PRIVATE_PORT|" \
                -e "s|^\\([[:space:]]*server_name[[:space:]].*;\\)|\\1\\n        include $bn/bench-locations.conf;|" \
                "$conf" >"$bn/nginx.conf"
            grep -q "listen 127.0.0.1:$PRIVATE_PORT" "$bn/nginx.conf" || die "could not rewrite the listen port in a copy of $conf"
            grep -q "include $bn/bench-locations.conf" "$bn/nginx.conf" || die "could not add the bench locations to a copy of $conf"
            if grep -nE "$v/(run/nginx|log/nginx|nginx/)" "$bn/nginx.conf" >&2; then
                die "the private nginx config still writes into the stack's nginx paths"
            fi
            mkdir -p "$bn/tmp/body" "$bn/tmp/fastcgi" "$bn/tmp/proxy" "$bn/tmp/scgi" "$bn/tmp/uwsgi" "$bn/cache"
            (exec 3<>"/dev/tcp/127.0.0.1/$PRIVATE_PORT") 2>/dev/null && die "port $PRIVATE_PORT is busy; set BENCH_NGINX_PORT"
            nginx -q -t -p "$bn" -c "$bn/nginx.conf" -e "$bn/error.log" 2>>"$bn/error.log" ||
                { tail -n 20 "$bn/error.log" >&2; die "private nginx config test failed ($bn/nginx.conf)"; }
            NGINX_KIND=private
            nginx -p "$bn" -c "$bn/nginx.conf" -e "$bn/error.log" || die "private nginx did not start"
            BASE=http://127.0.0.1:$PRIVATE_PORT
            ;;
        *) die "BENCH_NGINX must be private or hook" ;;
    esac
    NGINX_MODE_USED=$mode
    local i
    for ((i = 0; i < 50; i++)); do
        if [ "$(http_code "$BASE/bench/noop")" = 200 ] && [ "$(http_code "$BASE/bench/static-2k.txt")" = 200 ]; then
            break
        fi
        sleep 0.2
    done
    local n
    n=$(curl -s "$BASE/bench/static-2k.txt" | wc -c)
    [ "$n" = 2048 ] || die "$BASE/bench/static-2k.txt answered $n bytes, not 2048"
    n=$(curl -s "$BASE/bench/noop" | wc -c)
    # (libfcgi's FCGX_FPrintF knows no %zu: a noop.c printing Content-Length
    # with it never ends its headers, and nginx answers 502.)
    [ "$n" = 2048 ] || die "$BASE/bench/noop answered $n bytes, not 2048 (HTTP $(http_code "$BASE/bench/noop"); see $B/noop.log and the nginx error log)"
    log "nginx: $mode ($BASE)"
}

# ---------------------------------------------------------------- data

# Active product ids (shuffled, fixed seed), the hot set, the page URL.
prepare_data() {
    psql_q "SELECT id FROM products WHERE status = 'active' ORDER BY id" >"$B/ids.sorted" ||
        die "could not list products (is the catalog imported?)"
    NPRODUCTS=$(wc -l <"$B/ids.sorted")
    [ "$NPRODUCTS" -ge "$HOT_IDS" ] || die "only $NPRODUCTS active products"
    awk 'BEGIN { srand(42) } { print rand() "\t" $1 }' "$B/ids.sorted" | sort -k1,1g | cut -f2 >"$B/ids.shuf"
    MAX_ID=$(tail -n1 "$B/ids.sorted")
    head -n "$HOT_IDS" "$B/ids.shuf" | sed 's|^|/api/v1/products/|' >"$B/api-hit.paths"
    sed 's|^|/api/v1/products/|' "$B/ids.shuf" >"$B/api-miss.paths"
    HOT_ID=$(head -n1 "$B/ids.shuf")
    if [ -n "${BENCH_PAGE_PATH:-}" ]; then
        PAGE_PATH=$BENCH_PAGE_PATH
    else
        PAGE_PATH=$(product_page_path "$HOT_ID") || die "no product page for product $HOT_ID (set BENCH_PAGE_PATH)"
    fi
    echo "$PAGE_PATH" >"$B/page.paths"
    PAGE_BYTES=$(curl -s "$BASE$PAGE_PATH" | wc -c)
    DOC_BYTES=$(awk -v base="$BASE" '{ printf "url = \"%s%s\"\noutput = \"/dev/null\"\n", base, $0 }' "$B/api-hit.paths" >"$B/curl.cfg" &&
        curl -s -w '%{size_download}\n' -K "$B/curl.cfg" | awk '{ s += $1 } END { printf "%d", NR ? s / NR : 0 }')
    echo /bench/static-2k.txt >"$B/static.paths"
    echo /bench/noop >"$B/noop.paths"
    log "catalog: $NPRODUCTS active products (max id $MAX_ID); page $PAGE_PATH"
}

# The canonical storefront URL of product $1 (its rel=canonical link; any
# slug serves the page, so /products/$1 itself when there is none).
product_page_path() {
    local id=$1 code path
    code=$(curl -s -o "$B/page.html" -w '%{http_code}' -H 'Cookie: souk_session=bench' "$BASE/products/$id" || true)
    [ "$code" = 200 ] || { log "GET /products/$id answered $code"; return 1; }
    path=$(canonical_links <"$B/page.html" | head -n1)
    printf '%s\n' "${path:-/products/$id}"
}
canonical_links() { grep -o '<link rel="canonical" href="/products/[^"]*"' | sed 's/.*href="//; s/"$//'; }

# ---------------------------------------------------------------- wrk

# One wrk script for every measurement, so the client does the same work
# for each: requests are pre-formatted in init(); request() hands them out
# round-robin from this thread's share of the paths file; no response()
# callback (it would make wrk parse every header into Lua).
# Arguments: paths-file nthreads mode quota cookie marker-dir
#   mode "cycle": each thread loops over all the paths; "once": each thread
#   takes a disjoint share and stops when it is used up (every path is
#   requested at most once); quota > 0: stop a thread after that many
#   requests.
write_lua() {
    cat >"$B/bench.lua" <<'EOF'
-- wrk 4.1 (Debian 12) is built with LuaJIT but has no wrk.time_us: FFI
-- gives a monotonic clock, and kill() to end the run early (see stop()).
local ffi = require("ffi")
ffi.cdef[[
  typedef struct { long s; long ns; } bench_ts;
  int clock_gettime(int, bench_ts *);
  int kill(int, int);
  int getpid(void);
]]
local ts = ffi.new("bench_ts")
local function now_us()
  ffi.C.clock_gettime(1, ts) -- CLOCK_MONOTONIC
  return tonumber(ts.s) * 1e6 + tonumber(ts.ns) / 1e3
end

local threads = {}
function setup(thread)
  table.insert(threads, thread)
  thread:set("tid", #threads)
end

local reqs, n, i, once, quota, sent = {}, 0, 0, false, 0, 0
local nthreads, tid, markdir
function init(args)
  local file, mode = args[1], args[3]
  nthreads = tonumber(args[2])
  quota = tonumber(args[4] or "0") or 0
  markdir = args[6] or ""
  local headers = {}
  if args[5] and args[5] ~= "" then headers["Cookie"] = args[5] end
  once = (mode == "once")
  tid = wrk.thread:get("tid")
  local lines = {}
  for line in io.lines(file) do lines[#lines + 1] = line end
  assert(#lines > 0, file .. " is empty")
  if once then
    -- Disjoint shares: every path is requested once in all.
    for k = tid, #lines, nthreads do
      n = n + 1
      reqs[n] = wrk.format("GET", lines[k], headers)
    end
  else
    -- Every thread cycles over all paths, each from its own offset.
    local start = math.floor((tid - 1) * #lines / nthreads)
    for k = 1, #lines do
      n = n + 1
      reqs[n] = wrk.format("GET", lines[1 + (start + k - 1) % #lines], headers)
    end
  end
  if n == 0 then wrk.thread:stop(); reqs[1] = wrk.format("GET", lines[1], headers); n = 1 end
  t_start = now_us()
end

-- A thread that stops early records when (t_stop), because wrk's own
-- duration is always the full -d; done() then uses the threads' window.
-- wrk's main thread sleeps for -d whatever its threads do, but a SIGINT
-- ends that sleep (wrk still reports): the last thread to stop sends it.
local function stop()
  if t_stop then return end
  t_stop = now_us()
  wrk.thread:stop()
  if markdir == "" then return end
  local f = io.open(markdir .. "/stop." .. tid, "w")
  if f then f:close() end
  for k = 1, nthreads do
    local g = io.open(markdir .. "/stop." .. k, "r")
    if not g then return end
    g:close()
  end
  ffi.C.kill(ffi.C.getpid(), 2)
end

function request()
  i = i + 1
  if i > n then
    if once then stop(); i = n else i = 1 end
  end
  if quota > 0 then
    sent = sent + 1
    if sent >= quota then stop() end
  end
  return reqs[i]
end

function done(summary, latency, requests)
  local e = summary.errors
  local secs = summary.duration / 1e6
  local t0, t1, all_stopped = nil, 0, true
  for _, t in ipairs(threads) do
    local a, b = t:get("t_start"), t:get("t_stop")
    if not b then all_stopped = false else
      if not t0 or a < t0 then t0 = a end
      if b > t1 then t1 = b end
    end
  end
  if all_stopped and t0 and t1 > t0 then secs = (t1 - t0) / 1e6 end
  io.write(string.format(
    "BENCH requests=%d secs=%.3f rps=%.1f p50_us=%d p90_us=%d p99_us=%d max_us=%d non2xx=%d sockerr=%d\n",
    summary.requests, secs, summary.requests / secs,
    latency:percentile(50), latency:percentile(90), latency:percentile(99), latency.max,
    e.status, e.connect + e.read + e.write + e.timeout))
end
EOF
}

# run_wrk name paths-file mode duration [quota] [cookie]: runs wrk, prints
# the BENCH line (also kept in $B/wrk-<name>.out).
run_wrk() {
    local name=$1 paths=$2 mode=$3 dur=$4 quota=${5:-0} cookie=${6:-}
    local out=$B/wrk-$name.out first
    first=$(head -n1 "$paths")
    rm -rf "$B/marks" && mkdir "$B/marks"
    wrk -t"$THREADS" -c"$CONNS" -d"${dur}s" --timeout 10s --latency -s "$B/bench.lua" \
        "$BASE$first" -- "$paths" "$THREADS" "$mode" "$quota" "$cookie" "$B/marks" >"$out" 2>&1 ||
        { cat "$out" >&2; die "wrk failed ($name)"; }
    grep '^BENCH ' "$out" | tail -n1
}

field() { printf '%s\n' "$1" | tr ' ' '\n' | sed -n "s/^$2=//p"; }
redis_stat() { rcli INFO stats | tr -d '\r' | sed -n "s/^$1://p"; }

drop_product_cache() {
    local n
    n=$(rcli --scan --pattern 'product:*' | tee "$B/keys" | wc -l)
    [ "$n" -gt 0 ] && xargs -r -n 500 redis-cli -p "$REDIS_PORT" UNLINK <"$B/keys" >/dev/null
    return 0
}

# Requests each path once (curl, keep-alive); prints the status codes seen.
touch_paths() {
    local paths=$1 cookie=${2:-}
    awk -v base="$BASE" '{ printf "url = \"%s%s\"\noutput = \"/dev/null\"\n", base, $0 }' "$paths" >"$B/curl.cfg"
    curl -s ${cookie:+-H "Cookie: $cookie"} -w '%{http_code}\n' -K "$B/curl.cfg" | sort | uniq -c | awk '{ printf "%s:%s ", $2, $1 }'
}

cache_status() { curl -s -o /dev/null -D - "$BASE$1" | tr -d '\r' | sed -n 's/^[Xx]-[Cc]ache-[Ss]tatus: *//p'; }

# Lines nginx logged for $1 since byte offset $2 of its access log:
# prints "status:count ... cache:count ...".
ACCESS_LOG=""
log_offset() { stat -c %s "$ACCESS_LOG" 2>/dev/null || echo 0; }
log_summary() {
    tail -c +"$(($2 + 1))" "$ACCESS_LOG" | awk -v p="$1" '
        index($0, "\"GET " p " ") {
            n++
            for (i = 1; i <= NF; i++) if ($i ~ /^cache=/) c[substr($i, 7) == "" ? "none" : substr($i, 7)]++
            split($0, a, "\" "); split(a[2], b, " "); s[b[1]]++
        }
        END { printf "n=%d", n; for (k in s) printf " status%s=%d", k, s[k]; for (k in c) printf " cache_%s=%d", k, c[k]; print "" }'
}

# ---------------------------------------------------------------- measure

declare -A RPS P50 P99 NOTE
ENDPOINTS=(static page noop api-hit api-miss) # each after its reference
declare -A LABEL=([static]="static 2 KB file (nginx)" [noop]="no-op FastCGI 2 KB"
    [page]="product page, nginx cache" [api-hit]="API product, Redis hit"
    [api-miss]="API product, Redis miss")

# measure round endpoint: one wrk run; stores figures in RPS/P50/P99.
measure() {
    local r=$1 ep=$2 line paths mode=cycle warm hits0 miss0 off note=""
    paths=$B/$ep.paths
    case $ep in
        page)
            curl -s -o /dev/null "$BASE$PAGE_PATH"
            local st
            st=$(cache_status "$PAGE_PATH")
            [ "$st" = HIT ] || log "warning: $PAGE_PATH: X-Cache-Status '$st' before the run (expected HIT)"
            ;;
        api-hit)
            warm=$(touch_paths "$paths")
            [ "$warm" = "200:$HOT_IDS " ] || note="warm-up answered $warm; "
            ;;
        api-miss) drop_product_cache; mode=once ;;
    esac
    hits0=$(redis_stat keyspace_hits) miss0=$(redis_stat keyspace_misses)
    off=$(log_offset)
    line=$(run_wrk "$ep-r$r" "$paths" "$mode" "$DURATION")
    local dh=$(($(redis_stat keyspace_hits) - hits0)) dm=$(($(redis_stat keyspace_misses) - miss0))
    local req non2xx sockerr
    req=$(field "$line" requests) non2xx=$(field "$line" non2xx) sockerr=$(field "$line" sockerr)
    case $ep in
        page)
            local ls
            ls=$(log_summary "$PAGE_PATH" "$off")
            note="nginx log: $ls"
            ;;
        api-hit | api-miss) note="${note}redis GET hits=$dh misses=$dm" ;;
    esac
    [ "$non2xx" = 0 ] && [ "$sockerr" = 0 ] || note="$note; NON-2XX=$non2xx SOCKET-ERRORS=$sockerr"
    RPS[$r,$ep]=$(field "$line" rps)
    P50[$r,$ep]=$(awk -v u="$(field "$line" p50_us)" 'BEGIN { printf "%.2f", u / 1000 }')
    P99[$r,$ep]=$(awk -v u="$(field "$line" p99_us)" 'BEGIN { printf "%.2f", u / 1000 }')
    NOTE[$r,$ep]="$req req in $(field "$line" secs) s; $note"
    printf '%s\t%s\t%s\t%s\t%s\t%s\n' "$r" "$ep" "${RPS[$r,$ep]}" "${P50[$r,$ep]}" "${P99[$r,$ep]}" "${NOTE[$r,$ep]}" >>"$B/rounds.tsv"
}

ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (b > 0) printf "%.3f", a / b; else print "nan" }'; }
median() { printf '%s\n' "$@" | sort -g | awk '{ v[NR] = $1 } END { if (NR % 2) printf "%s", v[(NR + 1) / 2]; else printf "%.3f", (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }
ge() { awk -v a="$1" -v b="$2" 'BEGIN { exit !(a >= b) }'; }
le() { awk -v a="$1" -v b="$2" 'BEGIN { exit !(a <= b) }'; }

# ---------------------------------------------------------------- memory

workers_of() { grep -l "^PPid:[[:space:]]*$1\$" /proc/[0-9]*/status 2>/dev/null | sed 's|/proc/\([0-9]*\)/status|\1|' | sort -n; }
rss_kb() { awk -v k="$2:" '$1 == k { print $2 }' "/proc/$1/status" 2>/dev/null || echo 0; }

# Mixed traffic for the memory run, cycled: 60 % hot products (Redis hit),
# 25 % spread over other products (Redis miss while the cache is being
# dropped), 10 % unknown ids (404 after a DB query), 5 % bad input and
# other routes (for the api the largest answer too: every category, ~230 KB).
# Storefront product pages by their canonical URLs.
mem_paths() {
    local pool=$1 out cat_id
    out=$B/mem-$pool.paths
    # The top category with the most products (a full page of 100).
    cat_id=$(psql_q "SELECT c.id FROM categories c JOIN categories s ON s.path = c.path OR s.path LIKE c.path || '.%'
                     JOIN products p ON p.category_id = s.id WHERE c.parent_id IS NULL
                     GROUP BY c.id ORDER BY count(*) DESC LIMIT 1" 2>/dev/null || echo 1)
    if [ "$pool" = api ]; then
        sed 's|^|/api/v1/products/|' "$B/ids.shuf" >"$B/mem-api.products"
    else
        # 100 hot + 900 more products by their canonical URLs (one curl).
        head -n 1000 "$B/ids.shuf" | awk -v base="$BASE" '{ printf "url = \"%s/products/%s\"\n", base, $1 }' >"$B/curl.cfg"
        curl -s -H 'Cookie: souk_session=bench' -K "$B/curl.cfg" | canonical_links >"$B/mem-storefront.products"
        local got
        got=$(wc -l <"$B/mem-storefront.products")
        [ "$got" -ge "$HOT_IDS" ] || die "only $got of 1000 product pages answered 200"
    fi
    awk -v pool="$pool" -v max="$MAX_ID" -v cat="${cat_id:-1}" -v hot="$HOT_IDS" '
        BEGIN { srand(7) }
        { p[NR] = $0 }
        END {
            n = NR
            for (j = 0; j < 20000; j++) {
                x = rand()
                if (x < 0.60) { print p[1 + int(rand() * hot)]; continue }
                if (x < 0.85) { print p[1 + int(rand() * n)]; continue }
                if (x < 0.95) {
                    id = max + 1 + int(rand() * 100000)
                    print (pool == "api" ? "/api/v1/products/" : "/products/") id
                    continue
                }
                y = int(rand() * 5)
                if (pool == "api") {
                    if (y == 0) print "/api/v1/products/abc"
                    else if (y == 1) print "/api/v1/nothing/here"
                    else if (y == 2) print "/api/v1/categories/" cat "/products?per_page=100&page=2"
                    else if (y == 3) print "/api/v1/categories"
                    else print "/api/v1/products/-1"
                } else {
                    y = int(rand() * 4)
                    if (y == 0) print "/"
                    else if (y == 1) print "/no/such/page"
                    else if (y == 2) print "/products/abc"
                    else print "/c/" cat
                }
            }
        }' "$B/mem-$pool.products" >"$out"
    echo "$out"
}

# mem_run pool: RSS of each worker of the pool before, after MEM_REQUESTS
# mixed requests and after MEM_REQUESTS more.
declare -A MEM A
mem_run() {
    local pool=$1 sup paths w cookie=""
    sup=$(head -n1 "$RUN/$pool.pid" | tr -dc 0-9)
    kill -0 "$sup" 2>/dev/null || die "$pool supervisor ($sup) is not running"
    mapfile -t w < <(workers_of "$sup")
    [ "${#w[@]}" -gt 0 ] || die "no $pool workers under pid $sup"
    paths=$(mem_paths "$pool")
    [ "$pool" = storefront ] && cookie="souk_session=bench" # bypass the nginx cache
    local quota=$(((MEM_REQUESTS + THREADS - 1) / THREADS)) phase pid
    local -A R
    for pid in "${w[@]}"; do R[$pid,0]=$(rss_kb "$pid" VmRSS) A[$pid,0]=$(rss_kb "$pid" RssAnon); done
    # A background loop keeps dropping product:* so that "spread" requests
    # keep missing Redis (the miss path allocates the most).
    (while :; do drop_product_cache; sleep 1; done) >/dev/null 2>&1 &
    DEL_LOOP_PID=$!
    for phase in 1 2; do
        local line
        line=$(run_wrk "mem-$pool-$phase" "$paths" cycle 600 "$quota" "$cookie")
        for pid in "${w[@]}"; do R[$pid,$phase]=$(rss_kb "$pid" VmRSS) A[$pid,$phase]=$(rss_kb "$pid" RssAnon); done
        MEM[$pool,req$phase]=$(field "$line" requests)
        MEM[$pool,rps$phase]=$(field "$line" rps)
        MEM[$pool,non2xx$phase]=$(field "$line" non2xx)
    done
    kill "$DEL_LOOP_PID" 2>/dev/null; wait "$DEL_LOOP_PID" 2>/dev/null || true; DEL_LOOP_PID=""
    local now restarted=""
    mapfile -t now < <(workers_of "$sup")
    [ "${now[*]}" = "${w[*]}" ] || restarted=" (worker pids changed: ${w[*]} -> ${now[*]}: a worker died)"
    local max1=0 max2=0 growth=0 lines=""
    for pid in "${w[@]}"; do
        local r0=${R[$pid,0]} r1=${R[$pid,1]:-0} r2=${R[$pid,2]:-0}
        [ "$r1" -gt "$max1" ] && max1=$r1
        [ "$r2" -gt "$max2" ] && max2=$r2
        [ $((r2 - r1)) -gt "$growth" ] && growth=$((r2 - r1))
        lines+=$(printf '  %s worker %s: VmRSS %s -> %s -> %s KB (RssAnon %s -> %s -> %s KB)' \
            "$pool" "$pid" "$r0" "$r1" "$r2" "${A[$pid,0]}" "${A[$pid,1]:-0}" "${A[$pid,2]:-0}")$'\n'
    done
    MEM[$pool,lines]=$lines
    MEM[$pool,max1]=$max1 MEM[$pool,max2]=$max2 MEM[$pool,growth]=$growth MEM[$pool,note]="$restarted"
}

# ---------------------------------------------------------------- main

main() {
    mkdir -p "$B"
    rm -f "$B"/wrk-*.out "$B/rounds.tsv"
    trap cleanup EXIT
    trap 'exit 130' INT TERM
    ensure_stack
    start_noop
    setup_nginx
    ACCESS_LOG=$(sed -n 's/^[[:space:]]*access_log[[:space:]]\+\([^ ;]*\).*/\1/p' \
        "$([ "$NGINX_MODE_USED" = private ] && echo "$B/nginx/nginx.conf" || echo "$VAR/nginx/nginx.conf")" | head -n1)
    write_lua
    prepare_data

    local started
    started=$(date -u '+%Y-%m-%d %H:%M UTC')
    LOAD_BEFORE=$(cut -d' ' -f1-3 /proc/loadavg)
    PGSET=$(psql_q "SELECT string_agg(name || '=' || setting, ', ' ORDER BY name) FROM pg_settings WHERE name IN ('fsync', 'synchronous_commit', 'full_page_writes')")
    log "PostgreSQL: $PGSET"
    log "warm-up: every product once through the api (Redis miss, fills PostgreSQL's cache)"
    drop_product_cache
    run_wrk warm-miss "$B/api-miss.paths" once 60 >/dev/null
    local ep
    for ep in static noop page api-hit; do run_wrk "warm-$ep" "$B/$ep.paths" cycle 2 >/dev/null; done

    local r
    for ((r = 1; r <= ROUNDS; r++)); do
        log "round $r/$ROUNDS (wrk -t$THREADS -c$CONNS -d${DURATION}s per endpoint)"
        for ep in "${ENDPOINTS[@]}"; do
            measure "$r" "$ep"
            printf '  %-9s %10s req/s  p50 %7s ms  p99 %7s ms  %s\n' "$ep" "${RPS[$r,$ep]}" \
                "${P50[$r,$ep]}" "${P99[$r,$ep]}" "${NOTE[$r,$ep]}" >&2
        done
    done

    if [ "$MEM_REQUESTS" -gt 0 ]; then
        log "memory: $MEM_REQUESTS + $MEM_REQUESTS mixed requests per pool"
        mem_run api
        mem_run storefront
    fi

    report "$started"
}

# ---------------------------------------------------------------- report

report() {
    local started=$1 r ep out
    declare -A RATIO
    local ref
    for ((r = 1; r <= ROUNDS; r++)); do
        for ep in "${ENDPOINTS[@]}"; do
            case $ep in static | noop) ref=$ep ;; page) ref=static ;; *) ref=noop ;; esac
            RATIO[$r,$ep]=$(ratio "${RPS[$r,$ep]}" "${RPS[$r,$ref]}")
        done
    done
    declare -A MR MP50 MP99 MRAT
    for ep in "${ENDPOINTS[@]}"; do
        local a=() b=() c=() d=()
        for ((r = 1; r <= ROUNDS; r++)); do
            a+=("${RPS[$r,$ep]}") b+=("${P50[$r,$ep]}") c+=("${P99[$r,$ep]}") d+=("${RATIO[$r,$ep]}")
        done
        MR[$ep]=$(median "${a[@]}") MP50[$ep]=$(median "${b[@]}") MP99[$ep]=$(median "${c[@]}")
        MRAT[$ep]=$(median "${d[@]}")
    done
    verdict() { if "$@"; then echo PASS; else echo FAIL; fi; }
    local v_page v_hit v_p99p v_p99h
    v_page=$(verdict ge "${MRAT[page]}" "$T_PAGE_RATIO")
    v_hit=$(verdict ge "${MRAT[api-hit]}" "$T_HIT_RATIO")
    v_p99p=$(verdict le "${MP99[page]}" "$T_P99_MS")
    v_p99h=$(verdict le "${MP99[api-hit]}" "$T_P99_MS")
    rss_ok() { [ "${MEM[$1,max2]}" -le "$T_RSS_KB" ] && [ "${MEM[$1,growth]}" -le 256 ] && [ -z "${MEM[$1,note]}" ]; }

    out=$B/report.md
    {
        printf '| endpoint | req/s | p50 ms | p99 ms | ratio | reference | target | result |\n'
        printf '|---|---:|---:|---:|---:|---|---|---|\n'
        row() { printf '| %s | %.0f | %.2f | %.2f | %.3f | %s | %s | %s |\n' "${LABEL[$1]}" "${MR[$1]}" "${MP50[$1]}" "${MP99[$1]}" "${MRAT[$1]}" "$2" "$3" "$4"; }
        row static - reference ""
        row page static "≥ $T_PAGE_RATIO, p99 ≤ $T_P99_MS ms" "$v_page, $v_p99p"
        row noop - reference ""
        row api-hit noop "≥ $T_HIT_RATIO, p99 ≤ $T_P99_MS ms" "$v_hit, $v_p99h"
        row api-miss noop "(none)" ""
        printf '\nMedians over %d rounds; each ratio is computed within its round, then the median is taken. PostgreSQL: %s.\n' "$ROUNDS" "$PGSET"
        printf '\nPer round (req/s, p50 ms, p99 ms, ratio; notes):\n\n```\n'
        for ((r = 1; r <= ROUNDS; r++)); do
            for ep in "${ENDPOINTS[@]}"; do
                printf 'r%d %-9s %9s %7s %7s %6s  %s\n' "$r" "$ep" "${RPS[$r,$ep]}" "${P50[$r,$ep]}" "${P99[$r,$ep]}" "${RATIO[$r,$ep]}" "${NOTE[$r,$ep]}"
            done
        done
        printf '```\n'
        local pool
        if [ "$MEM_REQUESTS" -gt 0 ]; then
            printf '\nWorker memory (VmRSS; target ≤ %d KB after %d requests, no growth):\n\n```\n' "$T_RSS_KB" "$MEM_REQUESTS"
        fi
        for pool in api storefront; do
            [ "$MEM_REQUESTS" -gt 0 ] || break
            printf '%s' "${MEM[$pool,lines]}"
            printf '  %s: %s + %s requests (%s, %s req/s; non-2xx %s, %s); max VmRSS after the first %d: %s KB, after the second: %s KB; growth %s KB%s -> %s\n' \
                "$pool" "${MEM[$pool,req1]}" "${MEM[$pool,req2]}" "${MEM[$pool,rps1]}" "${MEM[$pool,rps2]}" \
                "${MEM[$pool,non2xx1]}" "${MEM[$pool,non2xx2]}" "$MEM_REQUESTS" "${MEM[$pool,max1]}" "${MEM[$pool,max2]}" \
                "${MEM[$pool,growth]}" "${MEM[$pool,note]}" "$(verdict rss_ok "$pool")"
        done
        if [ "$MEM_REQUESTS" -gt 0 ]; then printf '```\n'; fi
    } >"$out"
    echo
    cat "$out"

    if [ "$RECORD" = 1 ]; then
        local cpu mem rev
        cpu=$(lscpu 2>/dev/null | sed -n 's/^Model name:[[:space:]]*//p' | head -n1)
        mem=$(awk '/^MemTotal/ { printf "%.1f GiB", $2 / 1048576 }' /proc/meminfo)
        rev=$(git -C "$REPO" rev-parse --short HEAD 2>/dev/null || echo '?')
        [ -z "$(git -C "$REPO" status --porcelain 2>/dev/null)" ] || rev="$rev + uncommitted changes"
        [ -f "$RESULTS" ] || printf '# Benchmark results\n\nNewest last. Written by the scripts in bench/.\n' >"$RESULTS"
        {
            printf '\n## %s: bench/catalog.sh\n\n' "$started"
            printf -- '- machine: %s CPUs (%s), %s RAM, %s; shared and noisy; wrk runs on the same machine\n' \
                "$(nproc)" "${cpu:-?}" "$mem" "$(uname -sr)"
            printf -- '- software: %s, %s, %s, %s (%s); tree %s\n' "$(nginx -v 2>&1 | sed 's/^nginx version: //')" \
                "$(wrk --version 2>&1 | head -n1 | awk '{ print $1, $2 }')" \
                "$(redis-server --version | awk '{ print $1, $2, $3 }')" \
                "$(psql_q 'SHOW server_version' | awk '{ print "PostgreSQL " $1 }')" "$PGSET" "$rev"
            printf -- '- command: `%s` (wrk -t%s -c%s -d%ss --latency per endpoint, %s rounds, interleaved; nginx %s; %s pool workers; %s products)\n' \
                "${BENCH_COMMAND:-bench/catalog.sh}" "$THREADS" "$CONNS" "$DURATION" "$ROUNDS" "$NGINX_MODE_USED" "$WORKERS" "$NPRODUCTS"
            printf -- '- page: `%s` (%s bytes, no gzip); API documents of the hot set: %s bytes on average; load average before the run: %s\n' \
                "$PAGE_PATH" "$PAGE_BYTES" "$DOC_BYTES" "$LOAD_BEFORE"
            [ -z "${BENCH_NOOP_BIN:-}" ] || printf -- '- noop program: %s (BENCH_NOOP_BIN), not the build'"'"'s bench/souk-noop\n' "$BENCH_NOOP_BIN"
            printf '\n'
            cat "$out"
        } >>"$RESULTS"
        log "recorded in ${RESULTS#"$REPO"/}"
    fi
}

# Sourcing this file (for debugging) defines the functions only.
if [ "${BASH_SOURCE[0]}" = "$0" ]; then main "$@"; fi
