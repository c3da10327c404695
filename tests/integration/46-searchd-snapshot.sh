#!/usr/bin/env bash
# 46-searchd-snapshot: souk-searchd starts from its on-disk snapshot of the
# index instead of PostgreSQL's COPY (issue 14, part 3: load time), and
# still serves the catalog as it is now, not as the snapshot saw it:
# changes stamped while it was down are applied before it serves (its
# refresh held up by a lock to prove it waits), a write that bypassed the
# stamp is found by a reconciliation run at once. A snapshot cut short,
# damaged, not a snapshot, of another format version or database, or
# turned off leaves the daemon loading from PostgreSQL. Answers after a
# snapshot start equal those of the stack's daemon (loaded from
# PostgreSQL). Written after a load, at a stop, every
# SOUK_SEARCHD_SNAPSHOT_S while the index changes (what a crash restarts
# from); mode 0600, default path $SOUK_VAR/searchd/index.snap.
# Runs its own daemon (socket, pidfile, snapshot, log under
# $SOUK_VAR/tmp/46-snapshot) and asks it with searchd_client.py; cleans
# up what it writes.
. "$(dirname "$0")/lib.sh"

CLIENT=$(dirname "$0")/searchd_client.py
MAIN_SOCK=${SOUK_SEARCHD_SOCKET:-$SOUK_VAR/run/searchd.sock}
TMP=$SOUK_VAR/tmp/46-snapshot
SNAP=$TMP/index.snap
DSOCK=$TMP/searchd.sock
DPID=$TMP/searchd.pid
DLOG=$TMP/searchd.log
DCWD=$TMP/cwd # the daemon's working directory: a relative path would land here
START_S=180 # seconds a start may take (a COPY under the sanitizers, a loaded machine)
dpid=
pgpid=      # case 6's daemon loaded from PostgreSQL
from=1      # the first line of $DLOG written by the daemon started last

# ------------------------------------------------------------ helpers

# snapd_start [--no-path] [VAR=value...]: starts the test's daemon,
# against the test database, snapshot $SNAP unless a VAR says otherwise
# (--no-path: SOUK_SEARCHD_SNAPSHOT unset); sets $dpid and $from.
# snapd_serving then waits for its socket.
snapd_start() {
    local path=(SOUK_SEARCHD_SNAPSHOT="$SNAP")
    [ "${1:-}" = --no-path ] && { path=(); shift; }
    rm -f "$DSOCK" "$DPID"
    from=$(($(wc -l <"$DLOG") + 1))
    env -C "$DCWD" -u SOUK_SEARCHD_SNAPSHOT SOUK_PIDFILE="$DPID" SOUK_SEARCHD_SOCKET="$DSOCK" "${path[@]}" \
        SOUK_DATABASE_URL="${SOUK_DATABASE_URL:-host=$PGHOST port=$PGPORT dbname=souk user=souk}" \
        SOUK_SEARCHD_SNAPSHOT_S=3600 SOUK_LOG_LEVEL=info \
        ASAN_OPTIONS="detect_leaks=0${ASAN_OPTIONS:+:$ASAN_OPTIONS}" \
        UBSAN_OPTIONS="${UBSAN_OPTIONS:-print_stacktrace=1}" "$@" \
        setsid "$SOUK_SEARCHD" </dev/null >>"$DLOG" 2>&1 &
    dpid=$!
    disown "$dpid" # a SIGKILL (case 7) is the test's, not news for the log
}
snapd_running() { [ -n "$dpid" ] && kill -0 "$dpid" 2>/dev/null; }
snapd_serving() { # snapd_serving: its socket exists within START_S (false if it died)
    local deadline=$((SECONDS + START_S))
    until [ -S "$DSOCK" ]; do
        snapd_running && [ "$SECONDS" -lt "$deadline" ] || return 1
        sleep 0.1
    done
}
snapd_stop() { # SIGTERM, then up to 60 s to write its snapshot and exit
    local i
    snapd_running || return 0
    kill -TERM "$dpid"
    for i in $(seq 1 600); do snapd_running || break; sleep 0.1; done
    ! snapd_running
}
dlog() { tail -n +"$from" "$DLOG"; }             # this start's lines
dlog_has() { dlog | grep -q -F -- "$1"; }       # dlog_has TEXT
dlog_count() { dlog | grep -c -F -- "$1" || true; }
dlog_wait() { # dlog_wait SECONDS TEXT: TEXT logged within SECONDS
    local deadline=$((SECONDS + $1))
    until dlog_has "$2"; do
        [ "$SECONDS" -lt "$deadline" ] || return 1
        sleep 0.1
    done
}
written() { echo "searchd: snapshot written to $1: "; } # the write's log line, up to its sizes
not_used() { echo "searchd: snapshot $1 not used: "; }  # ... and the refusal's, up to the reason
reason() { dlog | grep -F -- "$(not_used "$1")" | tail -n 1 | sed -e "s|.*$(not_used "$1")||" -e 's/".*//'; }

# status SOCKET [FIELD]: the daemon's status frame, or one field of it.
status() {
    local st
    st=$(python3 "$CLIENT" "$1" status 2>/dev/null) || return 1
    if [ $# -lt 2 ]; then echo "$st"; return; fi
    python3 -c 'import json,sys; print(json.loads(sys.argv[1])["status"].get(sys.argv[2], ""))' "$st" "$2"
}
active() { sql "SELECT count(*) FROM products WHERE status = 'active'"; }
# holds_catalog SOCKET SECONDS: its index holds PostgreSQL's active
# products within SECONDS; prints what it last said.
holds_catalog() {
    local deadline=$((SECONDS + $2)) got='' want
    while :; do
        got=$(status "$1" products) want=$(active)
        [ "$got" = "$want" ] && { echo "$got"; return 0; }
        [ "$SECONDS" -lt "$deadline" ] || break
        sleep 0.1
    done
    echo "$got (PostgreSQL: $want)"
    return 1
}
# search SOCKET QUERY...: searchd_client.py's answers, one JSON line each.
search() { local s=$1; shift; python3 "$CLIENT" "$s" search "$@"; }
# ids ANSWER: the ids of an answer's hits, comma-separated.
ids() { python3 -c 'import json,sys; print(",".join(str(h["id"]) for h in json.loads(sys.argv[1])["hits"]))' "$1"; }
# has_id / lacks_id ANSWER ID: the answer is a result, ID among its hits / not.
hits_id() { # hits_id ANSWER ID: 0 among the hits, 1 not, 2 not a result
    python3 -c 'import json,sys
try: a = json.loads(sys.argv[1]); h = [x["id"] for x in a["hits"]]
except Exception: sys.exit(2)
sys.exit(0 if int(sys.argv[2]) in h else 1)' "$1" "$2"
}
has_id() { hits_id "$1" "$2"; }
lacks_id() { hits_id "$1" "$2"; [ $? = 1 ]; }
# found_in SOCKET SECONDS WORD ID: ID among WORD's hits within SECONDS; prints how long.
found_in() {
    local t0 a
    t0=$(date +%s%N)
    while :; do
        a=$(search "$1" "{\"q\": \"$3\"}" 2>/dev/null) && has_id "$a" "$4" &&
            { echo "$((($(date +%s%N) - t0) / 1000000)) ms"; return 0; }
        [ $((($(date +%s%N) - t0) / 1000000)) -lt $(($2 * 1000)) ] || return 1
        sleep 0.05
    done
}
# new_product REF WORD [STAMP]: an INSERT copying the first active
# product's category and seller, titled "WORD lamp" (search_xid STAMP when given).
new_product() {
    echo "INSERT INTO products (ref, title, brand, category_id, seller_id, sales_rank, price_min, in_stock${3:+, search_xid})
          SELECT '$1', '$2 lamp', 'Acme', category_id, seller_id, 999999, 1500, true${3:+, '$3'::xid8}
          FROM products WHERE id = (SELECT min(id) FROM products WHERE status = 'active')
          RETURNING id"
}
# hold_xid_index SECONDS: holds ACCESS EXCLUSIVE on products' search_xid
# index for SECONDS (ALTER INDEX ... SET TABLESPACE where it already is:
# nothing moves); prints when it took and released it (UTC). Planning any
# query on products waits for it, the refresh's; preparing statements
# does not (db.c prepares all at connect), nor do searches.
hold_xid_index() {
    psql -X -q -t -A -v ON_ERROR_STOP=1 <<EOF | grep -v '^$'
BEGIN;
ALTER INDEX products_search_xid_idx SET TABLESPACE pg_default;
SELECT to_char(clock_timestamp() AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"');
SELECT pg_sleep($1);
SELECT to_char(clock_timestamp() AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"');
COMMIT;
EOF
}
xid_index_held() {
    [ "$(sql "SELECT count(*) FROM pg_locks WHERE relation = 'products_search_xid_idx'::regclass
                AND mode = 'AccessExclusiveLock' AND granted")" = 1 ]
}
mode() { stat -c %a "$1" 2>/dev/null; }
# snap_lines: this start's load and snapshot lines, as diagnostics.
snap_lines() {
    local line
    dlog | grep -F -e 'index loaded' -e 'snapshot' | sed -e 's/^ts=[^T]*T\([^ ]*\) .*msg=/\1 /' |
        while IFS= read -r line; do diag "$line"; done
}
size() { stat -c %s "$1" 2>/dev/null; }

# Whatever happens: the daemon stopped (by its pid), the test's products
# deleted (stamped deletes: every daemon drops them), the directory gone.
cleanup() {
    snapd_stop || kill -KILL "$dpid"
    [ -n "${pgpid:-}" ] && kill -0 "$pgpid" 2>/dev/null && kill -KILL "$pgpid"
    sql "DELETE FROM products WHERE ref LIKE 'H46SN%'" >/dev/null 2>&1
    rm -rf "$TMP"
}
trap 'cleanup; rm -rf "$T_TMP"' EXIT
trap 'exit 143' TERM INT # run's timeout: clean up all the same

check "the stack's souk-searchd serves" test -S "$MAIN_SOCK"
# What a run killed before its cleanup left: its daemon (by the pid in
# its pidfile, if that is a souk-searchd still), its products.
dpid=$(head -n 1 "$DPID" 2>/dev/null)
[ -n "$dpid" ] && grep -q souk-searchd "/proc/$dpid/cmdline" 2>/dev/null || dpid=
cleanup
dpid=
mkdir -p "$TMP" "$DCWD"
: >"$DLOG"

# ------------------------------------------------------------ 1. no snapshot yet
diag "1. no snapshot yet (at ${SECONDS} s)"
snapd_start
check "1: first start: the daemon serves" snapd_serving
check "1: the snapshot is not used: no such file" dlog_has "$(not_used "$SNAP")no such file"
check "1: loaded from PostgreSQL (status loaded_from)" test "$(status "$DSOCK" loaded_from)" = postgresql
if got=$(holds_catalog "$DSOCK" 10); then ok "1: the index holds PostgreSQL's $got active products"
else not_ok "1: the index holds PostgreSQL's active products" "$got"; fi
check "1: after the load, a snapshot is written (log line)" dlog_wait 60 "$(written "$SNAP")"
snap_lines
check "1: ... the file exists" test -s "$SNAP"
check "1: ... mode 0600" test "$(mode "$SNAP")" = 600
check "1: ... no temporary file left behind" test -z "$(find "$TMP" -name "index.snap.tmp*")"
check "1: the log line says its size and time" \
    bash -c "tail -n +$from '$DLOG' | grep -F '$(written "$SNAP")' | grep -q -E ': [0-9.]+ MB in [0-9]+ ms'"

# ------------------------------------------------------------ 2. restart from the snapshot
diag "2. restart from the snapshot (at ${SECONDS} s)"
# Two products the snapshot holds: T (its title changes while the daemon
# is down) and W (withdrawn while it is down).
id_t=$(sql "$(new_product H46SNT zqsnapold)")
id_w=$(sql "$(new_product H46SNW zqsnapwd)")
took=$(found_in "$DSOCK" 10 zqsnapold "$id_t") && took2=$(found_in "$DSOCK" 10 zqsnapwd "$id_w")
check "2: the running daemon finds the two new products (T $took, W ${took2:-})" test -n "${took2:-}"
count_at_stop=$(active)
writes=$(dlog_count "$(written "$SNAP")")
sum_before=$(md5sum <"$SNAP")
check "2: SIGTERM: the daemon stops" snapd_stop
check "2: ... writing its snapshot at the stop" test "$(dlog_count "$(written "$SNAP")")" -gt "$writes"
check "2: ... a new file (it holds T and W), mode 0600" \
    bash -c "[ \"\$(md5sum <'$SNAP')\" != '$sum_before' ] && [ \"\$(stat -c %a '$SNAP')\" = 600 ]"
check "2: ... no temporary file left behind" test -z "$(find "$TMP" -name "index.snap.tmp*")"

# While it is down: T retitled, W withdrawn (both stamped by 011's
# trigger); U inserted as a replica with the stamp trigger off, carrying
# an old search_xid: no refresh can see U, only a reconciliation.
sql "UPDATE products SET title = 'zqsnapnew lamp' WHERE id = $id_t" >/dev/null
sql "UPDATE products SET status = 'withdrawn' WHERE id = $id_w" >/dev/null
id_u=$(sql "BEGIN;
     SET LOCAL session_replication_role = replica;
     ALTER TABLE products DISABLE TRIGGER products_search_xid;
     $(new_product H46SNU zqsnapbyp 3);
     ALTER TABLE products ENABLE ALWAYS TRIGGER products_search_xid;
     COMMIT;" | head -n 1)
check "2: U keeps its old stamp (search_xid 3)" \
    test "$(sql "SELECT search_xid::text FROM products WHERE id = $id_u")" = 3
check "2: the stamp trigger is back, firing always" \
    test "$(sql "SELECT tgenabled FROM pg_trigger WHERE tgname = 'products_search_xid'")" = A

# The refresh must run before the daemon serves. Asking the moment the
# socket accepts is not enough: the refresh thread, started with the
# servers, wins that race too. So the refresh is held up (3 s, the index
# it plans with locked) from before the start: a daemon that served
# before its refresh would answer from the snapshot alone, at once.
locked=$T_TMP/locked
hold_xid_index 3 >"$locked" 2>&1 &
locker=$!
for i in $(seq 1 100); do xid_index_held && break; sleep 0.02; done
check "2: the refresh held up: products_search_xid_idx locked" xid_index_held
# A 600 s reconciliation period: only the reconciliation the spec runs
# right after a snapshot start can find U within 30 s.
snapd_start SOUK_SEARCHD_RECONCILE_S=600
first=$(search "$DSOCK" --wait-socket "$START_S" '{"q": "zqsnapnew"}' '{"q": "zqsnapold"}' '{"q": "zqsnapwd"}')
answered=$(date -u +%FT%T.%NZ)
wait "$locker"
check "2: second start: the daemon serves" snapd_serving
a_new=$(sed -n 1p <<<"$first") a_old=$(sed -n 2p <<<"$first") a_wd=$(sed -n 3p <<<"$first")
diag "first answers: new [$(ids "$a_new" 2>&1)] old [$(ids "$a_old" 2>&1)] withdrawn [$(ids "$a_wd" 2>&1)]"
diag "index locked from $(sed -n 1p "$locked") to $(sed -n 2p "$locked"); first answer at $answered"
check "2: the first answer came once the refresh could run (after the lock)" \
    python3 - "$(sed -n 2p "$locked")" "$answered" <<'EOF'
import sys
from datetime import datetime
released, answered = (datetime.fromisoformat(a[:26].rstrip("Z") + "+00:00") for a in sys.argv[1:3])
sys.exit(0 if released < answered else 1)
EOF
check "2: the log says: index loaded from snapshot $SNAP" dlog_has "searchd: index loaded from snapshot $SNAP in "
snap_lines
# Its count is the index's once the stamped changes are applied: the
# stop's less W (U is not stamped); T and W are the 2 changes.
check "2: ... holding $((count_at_stop - 1)) products, then 2 changes applied" \
    bash -c "tail -n +$from '$DLOG' | grep -F 'index loaded from snapshot $SNAP in ' |
             grep -q -E ' ms: $((count_at_stop - 1)) products, [0-9]+ bytes; then 2 changed since applied in [0-9]+ ms'"
check "2: ... and no COPY from PostgreSQL" bash -c "! tail -n +$from '$DLOG' | grep -q -F 'searchd: index loaded in '"
check "2: status: loaded_from snapshot" test "$(status "$DSOCK" loaded_from)" = snapshot
check "2: T's new title is found in the very first answer (refreshed before serving)" has_id "$a_new" "$id_t"
check "2: ... and its old title no longer finds it" lacks_id "$a_old" "$id_t"
check "2: the withdrawn W is gone from the very first answer" lacks_id "$a_wd" "$id_w"
if took=$(found_in "$DSOCK" 30 zqsnapbyp "$id_u"); then
    ok "2: U (no stamp) found by the first reconciliation, at once (period 600 s): $took"
else
    not_ok "2: U (no stamp) found by the first reconciliation within 30 s (period 600 s)" "$(dlog | tail -n 5)"
fi
check "2: ... the reconciliation logged re-reading it" \
    bash -c "tail -n +$from '$DLOG' | grep 'searchd: reconcile: .* differed' | grep -q ' [1-9][0-9]* products re-read'"
if got=$(holds_catalog "$DSOCK" 30); then ok "2: status: the index holds PostgreSQL's $got active products"
else not_ok "2: status: the index holds PostgreSQL's active products" "$got"; fi
st=$(status "$DSOCK")
diag "status: $st"
check "2: status: reconciles >= 1, repairs >= 1, reconcile_s 600" python3 -c '
import json,sys; s=json.loads(sys.argv[1])["status"]
sys.exit(0 if s["reconciles"] >= 1 and s["repairs"] >= 1 and s["reconcile_s"] == 600 else 1)' "$st"

# ------------------------------------------------------------ 6. the same answers
diag "6. the same answers (at ${SECONDS} s)"
# The snapshot-started daemon against one started beside it from
# PostgreSQL (snapshots off; not the stack's, which 44-searchd restarts
# with a snapshot of its own): 5 searches with facets, whole answers
# (total, hits with scores, every facet) compared.
queries=('{"q": "lamp"}'
    '{"q": "", "sort": 1, "limit": 50}'
    '{"q": "black", "in_stock": true, "rating_min": 4}'
    '{"q": "shirt", "sort": 2, "price_min": 1000, "price_max": 20000}'
    '{"q": "", "brands": ["Nike", "adidas"], "sort": 4, "limit": 30, "ranges": [[-1, 2000, "cheap"], [2000, -1, null]]}')
PGSOCK=$TMP/pg.sock
env -C "$DCWD" SOUK_SEARCHD_SNAPSHOT=off SOUK_PIDFILE="$TMP/pg.pid" SOUK_SEARCHD_SOCKET="$PGSOCK" \
    SOUK_LOG_LEVEL=info ASAN_OPTIONS="detect_leaks=0${ASAN_OPTIONS:+:$ASAN_OPTIONS}" \
    UBSAN_OPTIONS="${UBSAN_OPTIONS:-print_stacktrace=1}" \
    setsid "$SOUK_SEARCHD" </dev/null >>"$TMP/pg.log" 2>&1 &
pgpid=$!
disown "$pgpid"
deadline=$((SECONDS + START_S))
until [ -S "$PGSOCK" ] || [ "$SECONDS" -ge "$deadline" ] || ! kill -0 "$pgpid" 2>/dev/null; do sleep 0.1; done
check "6: a daemon beside it loaded from PostgreSQL (loaded_from)" test "$(status "$PGSOCK" loaded_from)" = postgresql
holds_catalog "$PGSOCK" 30 >/dev/null && found_in "$PGSOCK" 30 zqsnapbyp "$id_u" >/dev/null
check "6: ... holding the catalog, U included" test $? = 0
same=
for i in $(seq 1 50); do
    a_snap=$(search "$DSOCK" "${queries[@]}") a_pg=$(search "$PGSOCK" "${queries[@]}")
    [ -n "$a_snap" ] && [ "$a_snap" = "$a_pg" ] && { same=1; break; }
    sleep 0.1
done
if [ -n "$same" ]; then
    ok "6: 5 searches with facets: the same answers from both daemons"
else
    not_ok "6: 5 searches with facets: the same answers from both daemons" \
        "$(diff <(tr ',' '\n' <<<"$a_pg") <(tr ',' '\n' <<<"$a_snap") | head -n 20)"
fi
pycheck "$a_snap" <<'EOF'
import json, sys
answers = [json.loads(l) for l in sys.argv[1].splitlines()]
print("totals: %s" % [a.get("total") for a in answers])
print(("ok - " if len(answers) == 5 and all(a.get("total", 0) > 0 and a["hits"] for a in answers)
       else "not ok - ") + "6: every one of the 5 searches has hits (a comparison of something)")
print(("ok - " if all(a["brands"] and a["categories"] and a["prices"] for a in answers)
       else "not ok - ") + "6: ... and brand, category and price facets")
EOF
kill -TERM "$pgpid"
deadline=$((SECONDS + 60))
while kill -0 "$pgpid" 2>/dev/null && [ "$SECONDS" -lt "$deadline" ]; do sleep 0.1; done
check "6: SIGTERM: the daemon loaded from PostgreSQL stops" bash -c "! kill -0 $pgpid 2>/dev/null"
check "6: ... having written no snapshot (off)" test -z "$(find "$DCWD" -type f)"
check "2: SIGTERM: the snapshot-started daemon stops" snapd_stop

# ------------------------------------------------------------ 3. cut short, corrupt
diag "3. cut short, corrupt (at ${SECONDS} s)"
# snapd_refused FILE LABEL REASON-ERE: a daemon on snapshot FILE says it is
# not used for REASON, loads from PostgreSQL, serves the catalog, and
# writes a good snapshot over FILE.
snapd_refused() {
    local file=$1 label=$2 want=$3 got
    snapd_start SOUK_SEARCHD_SNAPSHOT="$file"
    check "$label: the daemon serves" snapd_serving
    got=$(reason "$file")
    check "$label: the log says not used: '$got' (want $want)" bash -c "grep -q -x -E '$want' <<<'$got'"
    check "$label: ... loaded from PostgreSQL" test "$(status "$DSOCK" loaded_from)" = postgresql
    if got=$(holds_catalog "$DSOCK" 10); then ok "$label: ... holding PostgreSQL's $got active products"
    else not_ok "$label: ... holding PostgreSQL's active products" "$got"; fi
    check "$label: ... then writes a good snapshot over it" dlog_wait 60 "$(written "$file")"
    check "$label: SIGTERM: the daemon stops" snapd_stop
}
full=$(size "$SNAP")
diag "a snapshot of $(active) products: $full bytes"
head -c $((full / 2)) "$SNAP" >"$TMP/cut.snap"
snapd_refused "$TMP/cut.snap" "3 (cut to half)" 'truncated|checksum mismatch'
check "3: the file is whole again ($(size "$TMP/cut.snap") bytes, a snapshot of $full)" \
    test "$(size "$TMP/cut.snap")" -gt $((full / 2))
# One byte flipped halfway: only the checksum can tell.
python3 - "$SNAP" "$TMP/flip.snap" <<'EOF'
import sys
b = bytearray(open(sys.argv[1], "rb").read())
b[len(b) // 2] ^= 0xff
open(sys.argv[2], "wb").write(b)
EOF
snapd_refused "$TMP/flip.snap" "3 (a byte flipped halfway)" 'checksum mismatch'

# ------------------------------------------------------------ 4. not a snapshot
diag "4. not a snapshot (at ${SECONDS} s)"
head -c 65536 /dev/urandom >"$TMP/garbage.snap"
snapd_refused "$TMP/garbage.snap" "4 (64 KiB of random bytes)" 'not a snapshot'
cp "$SOUK_SEARCHD" "$TMP/program.snap" # another file: the daemon's own program
snapd_refused "$TMP/program.snap" "4 (another file)" 'not a snapshot'
: >"$TMP/empty.snap"
snapd_refused "$TMP/empty.snap" "4 (an empty file)" 'truncated|not a snapshot'

# A header naming another layout: the u32 after the 8-byte magic is the
# format version (lib/search/sx/sx_snap.c, w_header).
python3 - "$SNAP" "$TMP/version.snap" <<'EOF'
import struct, sys
b = bytearray(open(sys.argv[1], "rb").read())
struct.pack_into("=I", b, 8, struct.unpack_from("=I", b, 8)[0] + 1)
open(sys.argv[2], "wb").write(b)
EOF
snapd_refused "$TMP/version.snap" "4 (another format version)" 'format version'
# The same snapshot said to be of another database of this cluster: the
# header's identity, "system identifier/database name" (128 bytes after
# the magic and four u32, w_header), renamed.
python3 - "$SNAP" "$TMP/other.snap" <<'EOF'
import sys
b = bytearray(open(sys.argv[1], "rb").read())
ident = bytes(b[24:152]).rstrip(b"\0")
assert ident.endswith(b"/souk"), ident
b[24:152] = (ident + b"_other").ljust(128, b"\0")
open(sys.argv[2], "wb").write(b)
EOF
snapd_refused "$TMP/other.snap" "4 (another database)" 'another database'

# ------------------------------------------------------------ 5. off
diag "5. off (at ${SECONDS} s)"
# With SOUK_VAR an empty directory: neither a file named "off" (in the
# daemon's working directory) nor the default path may appear.
mkdir -p "$TMP/off/searchd"
snapd_start SOUK_SEARCHD_SNAPSHOT=off SOUK_VAR="$TMP/off"
check "5: SOUK_SEARCHD_SNAPSHOT=off: the daemon serves" snapd_serving
check "5: ... loaded from PostgreSQL" test "$(status "$DSOCK" loaded_from)" = postgresql
if got=$(holds_catalog "$DSOCK" 10); then ok "5: ... holding PostgreSQL's $got active products"
else not_ok "5: ... holding PostgreSQL's active products" "$got"; fi
sleep 2 # a write after the load would be done by now (case 1 waits for it)
check "5: SIGTERM: the daemon stops" snapd_stop
check "5: no file written (not 'off', not \$SOUK_VAR/searchd/index.snap)" \
    test -z "$(find "$TMP/off" "$DCWD" -type f)"
check "5: no snapshot line in the log" bash -c "! tail -n +$from '$DLOG' | grep -q -F 'searchd: snapshot written'"
snap_lines

# ------------------------------------------------------------ 5b. the default path
diag "5b. the default path (at ${SECONDS} s)"
# SOUK_SEARCHD_SNAPSHOT unset: $SOUK_VAR/searchd/index.snap, its
# directory made (private: the file holds the whole catalog).
mkdir -p "$TMP/var"
snapd_start --no-path SOUK_VAR="$TMP/var"
check "5b: SOUK_SEARCHD_SNAPSHOT unset: the daemon serves" snapd_serving
check "5b: ... not used: no such file, at \$SOUK_VAR/searchd/index.snap" \
    dlog_has "$(not_used "$TMP/var/searchd/index.snap")no such file"
check "5b: ... written there after the load" dlog_wait 60 "$(written "$TMP/var/searchd/index.snap")"
check "5b: ... file mode 0600, directory 0700" \
    test "$(mode "$TMP/var/searchd/index.snap") $(mode "$TMP/var/searchd")" = "600 700"
check "5b: SIGTERM: the daemon stops" snapd_stop
diag "the stack's daemon: $(grep 'searchd: starting:' "$SOUK_LOG_DIR/searchd.log" | tail -n 1 | sed -e 's/^ts=[^T]*T\([^ ]*\) .*msg=/\1 /')"

# ------------------------------------------------------------ 5c. a file it cannot write
diag "5c. a file it cannot write (at ${SECONDS} s)"
# In a directory that does not exist: the daemon says so once and serves.
snapd_start SOUK_SEARCHD_SNAPSHOT="$TMP/nodir/index.snap"
check "5c: a path in no directory: the daemon serves" snapd_serving
check "5c: ... loaded from PostgreSQL" test "$(status "$DSOCK" loaded_from)" = postgresql
check "5c: ... the log says the snapshot was not written, and why" \
    dlog_wait 30 "searchd: snapshot not written: $TMP/nodir/index.snap.tmp"
sleep 2 # 20 refreshes: a write retried each time would show
check "5c: ... once ($(dlog_count 'searchd: snapshot not written'))" \
    test "$(dlog_count 'searchd: snapshot not written')" = 1
if got=$(holds_catalog "$DSOCK" 10); then ok "5c: ... holding PostgreSQL's $got active products"
else not_ok "5c: ... holding PostgreSQL's active products" "$got"; fi
check "5c: SIGTERM: the daemon stops" snapd_stop
snap_lines

# ------------------------------------------------------------ 7. every SOUK_SEARCHD_SNAPSHOT_S
diag "7. every SOUK_SEARCHD_SNAPSHOT_S (at ${SECONDS} s)"
# Written every 2 s, but only while the index changes; a crash (SIGKILL:
# no write at the stop) then restarts from the last periodic write. The
# change is a title changed with the stamp trigger off: found by this
# daemon's reconciliation (every 2 s on the test stack), and after the
# crash by nothing before the first answer but the snapshot.
snapd_start SOUK_SEARCHD_SNAPSHOT_S=2
check "7: the daemon serves" snapd_serving
check "7: ... started from the snapshot (loaded_from)" test "$(status "$DSOCK" loaded_from)" = snapshot
writes=$(dlog_count "$(written "$SNAP")")
sleep 5
check "7: nothing changed for 5 s: nothing written ($writes writes before, $(dlog_count "$(written "$SNAP")") after)" \
    test "$(dlog_count "$(written "$SNAP")")" = "$writes"
sql "BEGIN;
     ALTER TABLE products DISABLE TRIGGER products_search_xid;
     UPDATE products SET title = 'zqsnapper lamp' WHERE id = $id_t;
     ALTER TABLE products ENABLE ALWAYS TRIGGER products_search_xid;
     COMMIT;" >/dev/null
took=$(found_in "$DSOCK" 30 zqsnapper "$id_t") || took=never
check "7: a title changed (searchable in $took): written within 10 s" dlog_wait 10 "$(written "$SNAP")"
sleep 3
check "7: ... once, not every 2 s" test "$(dlog_count "$(written "$SNAP")")" = $((writes + 1))
kill -KILL "$dpid"
for i in $(seq 1 50); do snapd_running || break; sleep 0.1; done
check "7: SIGKILL: the daemon is gone" test "$i" -lt 50
snapd_start
first=$(search "$DSOCK" --wait-socket "$START_S" '{"q": "zqsnapper"}')
check "7: after the crash: started from the periodic snapshot" \
    dlog_has "searchd: index loaded from snapshot $SNAP in "
check "7: ... which holds the unstamped title: found in the first answer" has_id "$first" "$id_t"
snap_lines
if got=$(holds_catalog "$DSOCK" 30); then ok "7: ... holding PostgreSQL's $got active products"
else not_ok "7: ... holding PostgreSQL's active products" "$got"; fi
check "7: SIGTERM: the daemon stops" snapd_stop

# ------------------------------------------------------------ clean up
diag "clean up (at ${SECONDS} s)"
check "no sanitizer report in the test daemon's log" \
    bash -c "! grep -E 'ERROR: AddressSanitizer|runtime error:|LeakSanitizer' '$DLOG' '$TMP/pg.log'"
sql "DELETE FROM products WHERE id IN ($id_t, $id_w, $id_u)" >/dev/null
check "the test's products deleted" test "$(sql "SELECT count(*) FROM products WHERE ref LIKE 'H46SN%'")" = 0
if got=$(holds_catalog "$MAIN_SOCK" 10); then ok "the stack's daemon holds PostgreSQL's $got active products again"
else not_ok "the stack's daemon holds PostgreSQL's active products again" "$got"; fi
cleanup
check "the test's directory removed" test ! -e "$TMP"

done_testing
