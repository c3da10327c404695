#!/usr/bin/env bash
# 46-searchd-reconcile: the daemon's index converges on the catalog
# whatever the writer did (issue "Search at a million products", part 1).
# Inserts carrying an old search_xid, inserts and title changes with
# session_replication_role = replica, are stamped by 011's trigger and
# seen by the 100 ms refresh; inserts, title changes and deletes with the
# stamp trigger disabled (what pg_restore --disable-triggers does) are
# found by the reconciliation (every 2 s on the test stack; 60 s is the
# default, checked on a second daemon). Cleans up what it writes.
. "$(dirname "$0")/lib.sh"

SOCK=${SOUK_SEARCHD_SOCKET:-$SOUK_VAR/run/searchd.sock}
SLOG=$SOUK_LOG_DIR/searchd.log
MEM=(-H 'X-Souk-Search-Engine: memory' -H 'X-Souk-Search-Cache: bypass')
LIMIT=60 # seconds: the production reconciliation period

# searchd_status: the daemon's {"status":true} frame (products, reconcile_s, ...).
searchd_status() {
    python3 - "$SOCK" <<'EOF'
import json, socket, struct, sys
s = socket.socket(socket.AF_UNIX); s.settimeout(5); s.connect(sys.argv[1])
b = json.dumps({"status": True}).encode()
s.sendall(struct.pack(">I", len(b)) + b)
n = struct.unpack(">I", s.recv(4, socket.MSG_WAITALL))[0]
print(s.recv(n, socket.MSG_WAITALL).decode())
EOF
}
found() { # found SECONDS WORD ID: ID is among the hits for WORD within SECONDS
    within "$1" "any(h['id'] == $3 for h in j['hits'])" "/api/v1/search?q=$2" "${MEM[@]}"
}
gone() { # gone SECONDS WORD ID
    within "$1" "not any(h['id'] == $3 for h in j['hits'])" "/api/v1/search?q=$2" "${MEM[@]}"
}
# new_product REF WORD [STAMP]: an INSERT copying product 1's category and
# seller, titled "WORD lamp", with search_xid STAMP when given.
new_product() {
    local stamp=${3:+, search_xid}
    echo "INSERT INTO products (ref, title, brand, category_id, seller_id, sales_rank, price_min, in_stock$stamp)
          SELECT '$1', '$2 lamp', 'Acme', category_id, seller_id, 999999, 1500, true${3:+, '$3'::xid8}
          FROM products WHERE id = (SELECT min(id) FROM products WHERE status = 'active')
          RETURNING id"
}
reconcile_lines() { grep -c 'searchd: reconcile: .* differed' "$SLOG" || true; }

check "souk-searchd serves" test -S "$SOCK"

# --- the period: 2 s on this stack, 60 s by default
check "the test stack's daemon reconciles every 2 s" \
    bash -c "grep 'searchd: starting:' '$SLOG' | tail -n 1 | grep -q 'reconcile every 2 s'"
tmp=$SOUK_VAR/tmp/46-default
mkdir -p "$tmp"
: >"$tmp/searchd.log"
# A second daemon without SOUK_SEARCHD_RECONCILE_S and with no database
# to load from: it says its period at start, then waits for PostgreSQL.
env -u SOUK_SEARCHD_RECONCILE_S SOUK_PIDFILE="$tmp/searchd.pid" SOUK_SEARCHD_SOCKET="$tmp/searchd.sock" \
    SOUK_DATABASE_URL="host=$tmp port=1 dbname=none connect_timeout=1" \
    ASAN_OPTIONS="detect_leaks=0${ASAN_OPTIONS:+:$ASAN_OPTIONS}" \
    setsid "$SOUK_SEARCHD" </dev/null >>"$tmp/searchd.log" 2>&1 &
dpid=$!
for i in $(seq 1 100); do grep -q 'searchd: starting:' "$tmp/searchd.log" && break; sleep 0.1; done
diag "$(grep 'searchd: starting:' "$tmp/searchd.log")"
check "without SOUK_SEARCHD_RECONCILE_S the daemon reconciles every 60 s" \
    grep -q 'searchd: starting:.*reconcile every 60 s' "$tmp/searchd.log"
kill -TERM "$dpid" 2>/dev/null
for i in $(seq 1 100); do kill -0 "$dpid" 2>/dev/null || break; sleep 0.1; done
check "... and stops on SIGTERM" bash -c "! kill -0 $dpid 2>/dev/null"
rm -rf "$tmp"

# --- stamped by 011: the refresh sees them (within 2 s, as 44's changes)
id_old=$(sql "$(new_product H46OLD zqrecold 3)")
check "an INSERT supplying search_xid 3 is stamped with its own transaction" \
    test "$(sql "SELECT search_xid::text <> '3' FROM products WHERE id = $id_old")" = t
if took=$(found 2 zqrecold "$id_old"); then ok "old-stamp insert searchable within 2 s ($took)"
else not_ok "old-stamp insert searchable within 2 s" "$(head -c 300 "$HTTP_BODY")"; fi

id_rep=$(sql "BEGIN; SET LOCAL session_replication_role = replica; $(new_product H46REP zqrecrep 3); COMMIT;" | head -n 1)
check "replica role: the insert is stamped all the same" \
    test "$(sql "SELECT search_xid::text <> '3' FROM products WHERE id = $id_rep")" = t
if took=$(found 2 zqrecrep "$id_rep"); then ok "replica-role insert searchable within 2 s ($took)"
else not_ok "replica-role insert searchable within 2 s" "$(head -c 300 "$HTTP_BODY")"; fi
sql "BEGIN; SET LOCAL session_replication_role = replica;
     UPDATE products SET title = 'zqrecrept ' || title WHERE id = $id_rep; COMMIT;" >/dev/null
if took=$(found 2 zqrecrept "$id_rep"); then ok "replica-role title change searchable within 2 s ($took)"
else not_ok "replica-role title change searchable within 2 s"; fi

# --- the stamp bypassed: only the reconciliation can find these
before=$(reconcile_lines)
victim=$(sql "SELECT id FROM products WHERE status = 'active' AND id NOT IN ($id_old, $id_rep)
              ORDER BY id DESC LIMIT 1")
id_byp=$(sql "BEGIN;
     ALTER TABLE products DISABLE TRIGGER products_search_xid;
     $(new_product H46BYP zqrecbyp 3);
     UPDATE products SET title = 'zqrectitle ' || title WHERE id = $victim;
     ALTER TABLE products ENABLE ALWAYS TRIGGER products_search_xid;
     COMMIT;" | head -n 1)
check "bypassed: the insert keeps its old stamp" \
    test "$(sql "SELECT search_xid::text FROM products WHERE id = $id_byp")" = 3
check "bypassed: the title change keeps the row's old stamp" \
    test "$(sql "SELECT search_xid < pg_snapshot_xmin(pg_current_snapshot()) FROM products WHERE id = $victim")" = t
check "the stamp trigger is back, firing always" \
    test "$(sql "SELECT tgenabled FROM pg_trigger WHERE tgname = 'products_search_xid'")" = A
if took=$(found $LIMIT zqrecbyp "$id_byp"); then ok "trigger-less old-stamp insert searchable within $LIMIT s ($took)"
else not_ok "trigger-less old-stamp insert searchable within $LIMIT s" "$(head -c 300 "$HTTP_BODY")"; fi
if took=$(found $LIMIT zqrectitle "$victim"); then ok "trigger-less title change searchable within $LIMIT s ($took)"
else not_ok "trigger-less title change searchable within $LIMIT s"; fi
check "the reconciliation logged what it repaired" \
    test "$(reconcile_lines)" -gt "$before"
diag "$(grep 'searchd: reconcile: .* differed' "$SLOG" | tail -n 2)"
check "... re-reading products the refresh had missed" \
    bash -c "grep 'searchd: reconcile: .* differed' '$SLOG' | tail -n 3 | grep -q ' [1-9][0-9]* products re-read'"

# A delete with every trigger off leaves no search_deleted row.
sql "BEGIN;
     ALTER TABLE products DISABLE TRIGGER ALL;
     DELETE FROM products WHERE id = $id_byp;
     ALTER TABLE products ENABLE TRIGGER ALL;
     ALTER TABLE products ENABLE ALWAYS TRIGGER products_search_xid;
     ALTER TABLE products ENABLE ALWAYS TRIGGER products_search_deleted;
     COMMIT;" >/dev/null
check "bypassed delete: no search_deleted row" \
    test "$(sql "SELECT count(*) FROM search_deleted WHERE product_id = $id_byp")" = 0
if took=$(gone $LIMIT zqrecbyp "$id_byp"); then ok "trigger-less delete gone from search within $LIMIT s ($took)"
else not_ok "trigger-less delete gone from search within $LIMIT s"; fi
check "triggers as 011 left them" \
    test "$(sql "SELECT string_agg(tgname::text || '=' || tgenabled::text, ',' ORDER BY tgname) FROM pg_trigger
                 WHERE tgname IN ('products_search_xid', 'products_search_deleted')")" \
         = "products_search_deleted=A,products_search_xid=A"

# --- cleaned up the ordinary way; the index holds the catalog again
sql "UPDATE products SET title = substr(title, 12) WHERE id = $victim AND title LIKE 'zqrectitle %'" >/dev/null
sql "DELETE FROM products WHERE id IN ($id_old, $id_rep)" >/dev/null
if took=$(gone 2 zqrectitle "$victim"); then ok "title restored within 2 s ($took)"
else not_ok "title restored within 2 s"; fi
gone 2 zqrecold "$id_old" >/dev/null && gone 2 zqrecrep "$id_rep" >/dev/null
check "test products deleted from search" test $? = 0
want=$(sql "SELECT count(*) FROM products WHERE status = 'active'")
got=
for i in $(seq 1 40); do
    got=$(searchd_status | python3 -c 'import json,sys; print(json.load(sys.stdin)["status"]["products"])')
    [ "$got" = "$want" ] && break
    sleep 0.1
done
check "status frame: the index holds $want products, as PostgreSQL ($got)" test "$got" = "$want"
st=$(searchd_status)
diag "status: $st"
check "status frame: reconcile_s 2, reconciliations counted" python3 -c '
import json,sys; s=json.loads(sys.argv[1])["status"]; sys.exit(0 if s["reconcile_s"] == 2 and s["reconciles"] >= 1 and s["repairs"] >= 1 else 1)' "$st"

done_testing
