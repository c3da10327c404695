# tests/integration/lib.sh: helpers for the numbered integration scripts.
# shellcheck shell=bash
#
# Source it first in every tests/integration/NN-name.sh:
#     . "$(dirname "$0")/lib.sh"
# Each check prints one TAP-like line, "ok - what" or "not ok - what", plus
# "# ..." diagnostics; tests/integration/run counts them. A script keeps
# going after a failed check (no set -e) and ends with `done_testing`, which
# exits non-zero when a check failed.
#
# Environment (set by bin/souk test; defaults match its throwaway stack):
#   SOUK_URL         http://127.0.0.1:18080
#   PGHOST PGPORT PGDATABASE PGUSER   the private database (psql works as is)
#   SOUK_REDIS_PORT  16390            SOUK_REDIS_URL redis://127.0.0.1:16390/0
#   SOUK_CTL         path of cli/souk-ctl (build dir)
#   SOUK_PORT SOUK_PG_PORT   this stack's ports (with SOUK_VAR, SOUK_REDIS_PORT
#                    and SOUK_BUILD_DIR, `bin/souk ctl` targets this stack)
#   SOUK_VAR SOUK_LOG_DIR SOUK_BUILD_DIR SOUK_TEMPLATE_DIR SOUK_WORKERS
#   SOUK_PG_DATA     the cluster's data directory (pg_ctl; run it as postgres
#                    when root), usually $SOUK_VAR/pg; SOUK_PG_LOG its log file
#   Redis config:    $SOUK_VAR/redis/redis.conf (redis-server it to restart)
#   SOUK_WORKER      path of workers/souk-worker; SOUK_MAIL_DIR its mail dir
#                    (worker_stop / worker_start below restart it)
#
# HTTP helpers keep the last response in $HTTP_STATUS, $HTTP_BODY (file) and
# $HTTP_HEADERS (file, lower-cased names) for follow-up assertions.

set -u

: "${SOUK_REPO:=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)}"
: "${SOUK_URL:=http://127.0.0.1:18080}"
: "${SOUK_REDIS_PORT:=16390}"
: "${SOUK_VAR:=$SOUK_REPO/var/test}"
: "${SOUK_LOG_DIR:=$SOUK_VAR/log}"
: "${SOUK_BUILD_DIR:=$SOUK_REPO/build/test}"
: "${SOUK_CTL:=$SOUK_BUILD_DIR/cli/souk-ctl}"
: "${SOUK_PG_DATA:=$SOUK_VAR/pg}" "${SOUK_PG_LOG:=$SOUK_LOG_DIR/postgres.log}" "${SOUK_WORKERS:=2}"
: "${PGHOST:=$SOUK_VAR/run}" "${PGPORT:=15433}" "${PGDATABASE:=souk}" "${PGUSER:=souk}"
export SOUK_URL SOUK_REDIS_PORT SOUK_VAR SOUK_LOG_DIR SOUK_BUILD_DIR SOUK_CTL SOUK_PG_DATA SOUK_PG_LOG SOUK_WORKERS
export PGHOST PGPORT PGDATABASE PGUSER
case ":$PATH:" in *:/usr/lib/postgresql/15/bin:*) ;; *) PATH=/usr/lib/postgresql/15/bin:$PATH ;; esac

T_NAME=$(basename "$0" .sh)
T_TMP=$(mktemp -d "${TMPDIR:-/tmp}/souk-it.XXXXXX")
trap 'rm -rf "$T_TMP"' EXIT
T_PASS=0
T_FAIL=0
HTTP_STATUS=000
HTTP_BODY=$T_TMP/body
HTTP_HEADERS=$T_TMP/headers
: >"$HTTP_BODY"
: >"$HTTP_HEADERS"

# ok DESCRIPTION / not_ok DESCRIPTION [DIAGNOSTIC...]
ok() {
    T_PASS=$((T_PASS + 1))
    printf 'ok - %s\n' "$1"
}
not_ok() {
    T_FAIL=$((T_FAIL + 1))
    printf 'not ok - %s\n' "$1"
    shift
    local line
    for line in "$@"; do printf '#   %s\n' "$line"; done
}
diag() { printf '# %s\n' "$*"; }

# check DESCRIPTION COMMAND [ARGS...]: ok when the command succeeds.
check() {
    local desc=$1 out
    shift
    if out=$("$@" 2>&1); then ok "$desc"; else not_ok "$desc" "command: $*" "${out:0:600}"; fi
}

# Shows the last response (status, headers, start of the body) as diagnostics.
_http_diag() {
    printf '#   status: %s\n' "$HTTP_STATUS"
    sed -e 's/^/#   < /' "$HTTP_HEADERS" | head -n 20
    head -c 600 "$HTTP_BODY" | sed -e 's/^/#   | /'
    echo
}

# http METHOD URL [curl args...]: performs a request; sets HTTP_STATUS,
# HTTP_BODY, HTTP_HEADERS. URL may be a path (/x) relative to $SOUK_URL.
# Never follows redirects; never fails (status 000 when no answer).
http() {
    local method=$1 url=$2
    shift 2
    case $url in /*) url=$SOUK_URL$url ;; esac
    local how=(-X "$method")
    [ "$method" = HEAD ] && how=(--head)
    HTTP_STATUS=$(curl -s "${how[@]}" -o "$HTTP_BODY" -D "$T_TMP/raw_headers" \
        -w '%{http_code}' --max-time 20 "$@" "$url" 2>/dev/null) || true
    [ -n "$HTTP_STATUS" ] || HTTP_STATUS=000
    tr -d '\r' <"$T_TMP/raw_headers" 2>/dev/null |
        awk -F': ' 'NR > 1 && NF >= 2 { $1 = tolower($1); print }' OFS=': ' >"$HTTP_HEADERS" || true
    rm -f "$T_TMP/raw_headers"
}
http_get() { http GET "$@"; }
# http_json METHOD URL JSON [curl args...]: request with a JSON body.
http_json() {
    local method=$1 url=$2 data=$3
    shift 3
    http "$method" "$url" -H 'Content-Type: application/json' --data-binary "$data" "$@"
}
# header NAME: value of a header of the last response (first one).
header() {
    local name
    name=$(printf '%s' "$1" | tr '[:upper:]' '[:lower:]')
    awk -v n="$name" 'index($0, n ": ") == 1 { print substr($0, length(n) + 3); exit }' "$HTTP_HEADERS"
}

# check_status URL EXPECTED [METHOD] [curl args...]
check_status() {
    local url=$1 want=$2 method=${3:-GET}
    shift 2
    [ $# -gt 0 ] && shift
    http "$method" "$url" "$@"
    if [ "$HTTP_STATUS" = "$want" ]; then
        ok "$method $url -> $want"
    else
        not_ok "$method $url -> $want (got $HTTP_STATUS)" "$(_http_diag)"
    fi
}

# check_body_contains URL TEXT [curl args...]: GET, status 200, body has TEXT.
check_body_contains() {
    local url=$1 text=$2
    shift 2
    http GET "$url" "$@"
    if [ "$HTTP_STATUS" = 200 ] && grep -q -F -- "$text" "$HTTP_BODY"; then
        ok "GET $url contains '$text'"
    else
        not_ok "GET $url contains '$text'" "$(_http_diag)"
    fi
}

# check_body_lacks URL TEXT: GET; the body does not contain TEXT.
check_body_lacks() {
    http GET "$1"
    if ! grep -q -F -- "$2" "$HTTP_BODY"; then
        ok "GET $1 does not contain '$2'"
    else
        not_ok "GET $1 does not contain '$2'" "$(_http_diag)"
    fi
}

# check_header URL HEADER REGEX [curl args...]: GET; header matches the ERE.
check_header() {
    local url=$1 name=$2 re=$3 value
    shift 3
    http GET "$url" "$@"
    value=$(header "$name")
    if [ -n "$value" ] && printf '%s' "$value" | grep -q -E -- "$re"; then
        ok "GET $url header $name ~ /$re/"
    else
        not_ok "GET $url header $name ~ /$re/ (got '${value}')" "$(_http_diag)"
    fi
}

# json_ok PYTHON-EXPR [DESCRIPTION]: evaluates a Python expression over the
# last response body parsed as JSON, bound to `j` (e.g. 'j["db"] == "ok"').
json_ok() {
    local expr=$1 desc=${2:-json: $1} out
    if out=$(python3 - "$expr" "$HTTP_BODY" <<'PY' 2>&1
import json, sys
expr, path = sys.argv[1], sys.argv[2]
with open(path, encoding="utf-8") as f:
    j = json.load(f)
sys.exit(0 if eval(expr, {"j": j, "len": len, "any": any, "all": all, "isinstance": isinstance}) else 1)
PY
    ); then
        ok "$desc"
    else
        not_ok "$desc" "${out:0:400}" "$(_http_diag)"
    fi
}

# json_get PYTHON-EXPR: prints a value from the last JSON body (strings bare,
# everything else as JSON), e.g. id=$(json_get 'j["items"][0]["id"]').
json_get() {
    python3 - "$1" "$HTTP_BODY" <<'PY'
import json, sys
with open(sys.argv[2], encoding="utf-8") as f:
    j = json.load(f)
v = eval(sys.argv[1], {"j": j, "len": len})
print(v if isinstance(v, str) else json.dumps(v))
PY
}

# check_json URL PYTHON-EXPR [EXPECTED-STATUS] [METHOD] [curl args...]:
# request, expect status (default 200) and a JSON body for which EXPR holds.
check_json() {
    local url=$1 expr=$2 want=${3:-200} method=${4:-GET}
    shift 2
    [ $# -gt 0 ] && shift
    [ $# -gt 0 ] && shift
    http "$method" "$url" "$@"
    if [ "$HTTP_STATUS" != "$want" ]; then
        not_ok "$method $url -> $want with json $expr (got $HTTP_STATUS)" "$(_http_diag)"
        return
    fi
    json_ok "$expr" "$method $url -> $want, json: $expr"
}

# check_json_each PATH PYTHON-EXPR EXPECTED-STATUS [PATH EXPR STATUS...]:
# check_json (GET, no curl args) for each triple, the same checks under
# the same descriptions, from one python3 (a start costs what several
# requests do). Leaves HTTP_* as they were.
check_json_each() {
    pycheck "$@" <<'PY'
import json, os, sys, urllib.error, urllib.request
class NoRedirect(urllib.request.HTTPRedirectHandler): # as curl without -L
    def redirect_request(self, *args):
        return None
opener = urllib.request.build_opener(NoRedirect)
a = sys.argv[1:]
assert a and len(a) % 3 == 0, "check_json_each wants PATH EXPR STATUS triples"
for path, expr, want in zip(a[0::3], a[1::3], a[2::3]):
    try:
        with opener.open(os.environ["SOUK_URL"] + path, timeout=20) as r:
            status, body = r.status, r.read()
    except urllib.error.HTTPError as e:
        status, body = e.code, e.read()
    except OSError as e:
        status, body = 0, str(e).encode()
    if f"{status:03d}" != want:
        print(f"not ok - GET {path} -> {want} with json {expr} (got {status:03d})")
        print(body[:600].decode("utf-8", "replace"))
        continue
    try:
        j = json.loads(body)
        good = eval(expr, {"j": j, "len": len, "any": any, "all": all, "isinstance": isinstance})
    except Exception as e:
        good = False
        print(repr(e)[:400])
    print(("ok" if good else "not ok") + f" - GET {path} -> {want}, json: {expr}")
    if not good:
        print(body[:600].decode("utf-8", "replace"))
PY
}

# json_str NAME: the string field NAME of the JSON object on stdin, for
# ids the stack makes (no quotes or escapes in them); "" and 1 when it has
# none. Bash alone: a python3 start costs what several requests do.
json_str() {
    local s
    IFS= read -r -d '' s || true
    [[ $s =~ \"$1\"[[:space:]]*:[[:space:]]*\"([^\"\\]*)\" ]] && printf '%s\n' "${BASH_REMATCH[1]}"
}

# sql QUERY [psql args...]: runs a query on the private database and prints
# the result unaligned, tuples only ("a|b" per row).
sql() { psql -X -q -t -A -v ON_ERROR_STOP=1 -c "$@"; }

# check_sql DESCRIPTION QUERY EXPECTED: the query's output equals EXPECTED.
check_sql() {
    local got
    got=$(sql "$2" 2>&1)
    if [ "$got" = "$3" ]; then ok "$1"; else not_ok "$1" "query: $2" "want: $3" "got:  $got"; fi
}

# souk-payd, the payment provider: payd_sql QUERY runs in its own database
# (souk_payd, same cluster); payd_api METHOD PATH [JSON] calls its HTTP API
# on $SOUK_PAYD_SOCKET; payd_faults JSON sets its fault knobs ('{}' clears).
: "${SOUK_PAYD_SOCKET:=$SOUK_VAR/run/payd.sock}"
export SOUK_PAYD_SOCKET
payd_sql() { psql -X -q -t -A -v ON_ERROR_STOP=1 -d souk_payd -c "$@"; }
check_payd_sql() {
    local got
    got=$(payd_sql "$2" 2>&1)
    if [ "$got" = "$3" ]; then ok "$1"; else not_ok "$1" "payd query: $2" "want: $3" "got:  $got"; fi
}
payd_api() {
    local data=()
    [ $# -ge 3 ] && data=(-H 'Content-Type: application/json' --data "$3")
    curl -s --max-time 30 --unix-socket "$SOUK_PAYD_SOCKET" -X "$1" "${data[@]}" "http://payd$2"
}
payd_faults() { payd_api POST /_faults "$1" >/dev/null; }

# redis ARGS...: redis-cli against the test Redis.
redis() { redis-cli -p "$SOUK_REDIS_PORT" "$@"; }

# worker_stop / worker_start: stop and start the stack's souk-worker the
# way bin/souk does (pidfile $SOUK_VAR/run/worker.pid, log worker.log, so
# the sanitizer-log check still covers it). worker_start waits for the pid.
: "${SOUK_WORKER:=$SOUK_BUILD_DIR/workers/souk-worker}" "${SOUK_MAIL_DIR:=$SOUK_VAR/mail}"
export SOUK_WORKER SOUK_MAIL_DIR
worker_pid() {
    local pid
    pid=$(cat "$SOUK_VAR/run/worker.pid" 2>/dev/null) && [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null && echo "$pid"
}
worker_stop() {
    local pid i
    pid=$(worker_pid) || return 0
    kill -TERM "$pid"
    for i in $(seq 1 150); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    ! kill -0 "$pid" 2>/dev/null
}
worker_start() {
    local i
    worker_pid >/dev/null && return 0
    rm -f "$SOUK_VAR/run/worker.pid"
    env SOUK_PIDFILE="$SOUK_VAR/run/worker.pid" \
        SOUK_DATABASE_URL="${SOUK_DATABASE_URL:-host=$PGHOST port=$PGPORT dbname=souk user=souk} application_name=souk-worker" \
        SOUK_REDIS_URL="${SOUK_REDIS_URL:-redis://127.0.0.1:$SOUK_REDIS_PORT/0}" \
        SOUK_TEMPLATE_DIR="${SOUK_TEMPLATE_DIR:-$SOUK_REPO/templates}" SOUK_MAIL_DIR="$SOUK_MAIL_DIR" \
        SOUK_PUBLIC_URL="$SOUK_URL" ASAN_OPTIONS="detect_leaks=0${ASAN_OPTIONS:+:$ASAN_OPTIONS}" \
        UBSAN_OPTIONS="${UBSAN_OPTIONS:-print_stacktrace=1}" "$@" \
        setsid "$SOUK_WORKER" </dev/null >>"$SOUK_LOG_DIR/worker.log" 2>&1 &
    for i in $(seq 1 100); do worker_pid >/dev/null && return 0; sleep 0.1; done
    return 1
}

# done_testing: prints the script's counts and sets its exit status.
done_testing() {
    printf '# %s: %d passed, %d failed\n' "$T_NAME" "$T_PASS" "$T_FAIL"
    if [ "$T_PASS" -eq 0 ] && [ "$T_FAIL" -eq 0 ]; then
        not_ok "$T_NAME ran no checks"
        exit 1
    fi
    [ "$T_FAIL" -eq 0 ]
    exit $?
}

# within SECONDS PYTHON-EXPR URL [curl args]: polls every 50 ms until EXPR
# holds for the JSON answer; prints the milliseconds it took, fails after
# SECONDS. Search sees a write once souk-searchd has refreshed (100 ms).
within() {
    local limit=$1 expr=$2 url=$3 start now
    shift 3
    start=$(date +%s%N)
    while :; do
        http_get "$url" "$@"
        if [ "$HTTP_STATUS" = 200 ] && python3 -c 'import json,sys; j=json.load(open(sys.argv[2])); sys.exit(0 if eval(sys.argv[1]) else 1)' "$expr" "$HTTP_BODY" 2>/dev/null; then
            now=$(date +%s%N)
            echo "$(((now - start) / 1000000)) ms"
            return 0
        fi
        now=$(date +%s%N)
        [ $(((now - start) / 1000000)) -lt $((limit * 1000)) ] || return 1
        sleep 0.05
    done
}

# pycheck [ARGS]: runs Python (stdin) that prints "ok - ..." / "not ok - ..."
# lines; each becomes a check of the script, other lines diagnostics.
pycheck() {
    local line
    while IFS= read -r line; do
        case $line in
        "ok - "*) ok "${line#ok - }" ;;
        "not ok - "*) not_ok "${line#not ok - }" ;;
        # a crash (a traceback, exit 1) is a failure, not a line of diagnostics
        "pycheck-exit "*) [ "${line#pycheck-exit }" = 0 ] || not_ok "the Python checks ended with status ${line#pycheck-exit } (see above)" ;;
        *) diag "$line" ;;
        esac
    done < <(python3 - "$@" 2>&1; echo "pycheck-exit $?")
}
