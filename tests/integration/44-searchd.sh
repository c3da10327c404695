#!/usr/bin/env bash
# 44-searchd: the search daemon answers the pools' searches (the same
# result as SQL); killed, searches still answer 200 from SQL (header sql)
# and a forced memory engine is a 503; restarted, it answers again;
# price/stock changes reach it within 2 s; errors come back unchanged.
# Stops and restarts souk-searchd.
. "$(dirname "$0")/lib.sh"

SOCK=${SOUK_SEARCHD_SOCKET:-$SOUK_VAR/run/searchd.sock}
PIDFILE=$SOUK_VAR/run/searchd.pid
SLOG=$SOUK_LOG_DIR/searchd.log
MEM=(-H 'X-Souk-Search-Engine: memory' -H 'X-Souk-Search-Cache: bypass')
SQLH=(-H 'X-Souk-Search-Engine: sql')

searchd_pid() {
    local pid
    pid=$(cat "$PIDFILE" 2>/dev/null) || return 1
    [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null && grep -q souk-searchd "/proc/$pid/cmdline" 2>/dev/null &&
        echo "$pid"
}
wait_socket() { # the daemon serves once its index is loaded
    local i
    for i in $(seq 1 300); do [ -S "$SOCK" ] && return 0; sleep 0.1; done
    return 1
}
searchd_start() {
    local i
    rm -f "$PIDFILE"
    env SOUK_PIDFILE="$PIDFILE" SOUK_SEARCHD_SOCKET="$SOCK" \
        SOUK_DATABASE_URL="${SOUK_DATABASE_URL:-host=$PGHOST port=$PGPORT dbname=souk user=souk} application_name=souk-searchd" \
        SOUK_REDIS_URL="${SOUK_REDIS_URL:-redis://127.0.0.1:$SOUK_REDIS_PORT/0}" \
        ASAN_OPTIONS="detect_leaks=0${ASAN_OPTIONS:+:$ASAN_OPTIONS}" \
        UBSAN_OPTIONS="${UBSAN_OPTIONS:-print_stacktrace=1}" \
        setsid "$SOUK_SEARCHD" </dev/null >>"$SLOG" 2>&1 &
    for i in $(seq 1 100); do searchd_pid >/dev/null && return 0; sleep 0.1; done
    return 1
}
# The engine the daemon says it answers with (its start line).
daemon_engine() { grep -o 'engine [a-z]*' "$SLOG" | tail -n 1 | cut -d' ' -f2; }
# "total id id id ..." of the last response
summary() { json_get '" ".join(str(x) for x in [j.get("total")] + [h["id"] for h in j.get("hits", [])])'; }


# --- the daemon is up and answers
check "souk-searchd is running" searchd_pid
check "its socket exists once the index is loaded" wait_socket
ENGINE=$(daemon_engine)
diag "daemon engine: $ENGINE"
check "the daemon names its engine (sql or memory)" test -n "$ENGINE"

urls=("/api/v1/search?q=sofa" "/api/v1/search?q=sofa&sort=price_asc&per_page=5&page=2"
      "/api/v1/search?q=wooden+chair&in_stock=1" "/api/v1/search?category=1&per_page=7"
      "/api/v1/search?q=sofaa" "/api/v1/search?q=red+leather+sofa+zzqx")
for u in "${urls[@]}"; do
    http_get "$u" "${SQLH[@]}"
    want=$(summary)
    hs=$(header X-Souk-Search-Engine)
    http_get "$u" "${MEM[@]}"
    got=$(summary)
    hm=$(header X-Souk-Search-Engine)
    if [ "$HTTP_STATUS" = 200 ] && [ "$got" = "$want" ] && [ "$hs" = sql ] && [ "$hm" = "$ENGINE" ]; then
        ok "daemon answers $u like SQL (header $hm)"
    else
        not_ok "daemon answers $u like SQL" "status $HTTP_STATUS header sql:$hs daemon:$hm" "sql: $want" "daemon: $got"
    fi
done
# Without the forcing header the pools ask the daemon.
http_get "/api/v1/search?q=lamp&per_page=3" -H 'X-Souk-Search-Cache: bypass'
check "unforced search: answered by the daemon ($(header X-Souk-Search-Engine))" \
    test "$HTTP_STATUS" = 200 -a "$(header X-Souk-Search-Engine)" = "$ENGINE"
http_json POST /api/v1/products/_search '{"query":{"multi_match":{"query":"sofa","fields":["title^3","brand^2","description"]}},"size":3}' "${MEM[@]}"
check "_search through the daemon: 200, header $ENGINE" \
    test "$HTTP_STATUS" = 200 -a "$(header X-Souk-Search-Engine)" = "$ENGINE"
check "a bad X-Souk-Search-Engine value is a 400" \
    test "$(curl -s -o /dev/null -w '%{http_code}' -H 'X-Souk-Search-Engine: fast' "$SOUK_URL/api/v1/search?q=sofa")" = 400

# Concurrent searches from every pool worker at once: all answered by the
# daemon (its threads share the connections), none falls back or fails.
codes=$(for i in $(seq 1 48); do echo "/api/v1/search?q=sofa&page=$((i % 6 + 1))&per_page=$((i % 4 + 2))"; done |
    xargs -P 8 -I{} curl -s -o /dev/null -w '%{http_code}\n' --max-time 10 \
        -H 'X-Souk-Search-Engine: memory' -H 'X-Souk-Search-Cache: bypass' "$SOUK_URL{}" | sort | uniq -c | tr -s ' ')
diag "48 concurrent forced-daemon searches: $codes"
check "48 concurrent searches through the daemon: all 200" test "$codes" = " 48 200"

# --- errors come back as they are
for u in "/api/v1/search?q=sofa&category=987654321" "/api/v1/search?q=sofa&price_min=500&price_max=100"; do
    http_get "$u" "${SQLH[@]}"
    ws=$HTTP_STATUS
    wb=$(cat "$HTTP_BODY")
    http_get "$u" "${MEM[@]}"
    if [ "$HTTP_STATUS" = "$ws" ] && [ "$(cat "$HTTP_BODY")" = "$wb" ] && [ "${ws:0:1}" = 4 ]; then
        ok "$u: the same $ws through the daemon"
    else
        not_ok "$u: the same error through the daemon" "sql: $ws $wb" "daemon: $HTTP_STATUS $(cat "$HTTP_BODY")"
    fi
done
# On the wire itself: a bad query is the daemon's own 400, a malformed
# request too, and the connection stays usable.
wire=$(python3 - "$SOCK" <<'EOF'
import json, socket, struct, sys
s = socket.socket(socket.AF_UNIX); s.settimeout(5); s.connect(sys.argv[1])
def ask(payload):
    b = payload.encode()
    s.sendall(struct.pack(">I", len(b)) + b)
    n = struct.unpack(">I", s.recv(4, socket.MSG_WAITALL))[0]
    data = b""
    while len(data) < n: data += s.recv(n - len(data))
    # a result is a binary frame (lib/search/search_frame.h): magic,
    # version 1, then the total as a big-endian int64; errors are JSON
    if data[:4] == b"SXR\x01":
        return {"ok": True, "result": {"t": struct.unpack(">q", data[4:12])[0]}}
    return json.loads(data)
q = {"q": "sofa", "w": [3, 2, 1], "category_id": 0, "category_slug": None, "brands": [],
     "colors": [], "sizes": [], "price_min": 500, "price_max": 100, "in_stock": False,
     "rating_min": 0, "sort": 0, "offset": 0, "limit": 5, "facets": True, "ranges": [],
     "no_cache": False, "no_correct": False}
a = ask(json.dumps(q))
b = ask(json.dumps(dict(q, bogus=1)))
c = ask(json.dumps(dict(q, price_min=-1, price_max=-1)))
print(json.dumps([a, b, c["ok"], c["result"]["t"] > 0]))
EOF
)
diag "wire: $wire"
check "wire: price_min > price_max is the daemon's 400 with the API's message" python3 -c '
import json,sys; a,b,ok,t=json.loads(sys.argv[1])
sys.exit(0 if a=={"ok":False,"status":400,"code":"bad_request","message":"price_min must not exceed price_max"} else 1)' "$wire"
check "wire: an unknown field is a 400; the same connection then answers" python3 -c '
import json,sys; a,b,ok,t=json.loads(sys.argv[1])
sys.exit(0 if b["status"]==400 and "unknown field bogus" in b["message"] and ok is True and t else 1)' "$wire"

# --- freshness through the daemon
# Quiet catalog: the refresh thread (every 100 ms) bumps nothing, so the
# Redis result cache keeps its entries.
v1=$(redis GET catalog:version)
sleep 1
v2=$(redis GET catalog:version)
check "no catalog write: catalog:version stays $v1 over 1 s" test "$v1" = "$v2"
# A write behind the library's back (no catalog_invalidate, no event):
# only the daemon's refresh can bump the version.
tid=$(sql "SELECT id FROM products WHERE status = 'active' ORDER BY id LIMIT 1")
sql "UPDATE products SET rating_count = rating_count + 1 WHERE id = $tid" >/dev/null
bumped=0
for i in $(seq 1 40); do
    v3=$(redis GET catalog:version)
    [ "$v3" != "$v2" ] && { bumped=1; break; }
    sleep 0.05
done
check "a direct UPDATE: the daemon's refresh bumps catalog:version ($v2 -> $v3)" test "$bumped" = 1
sql "UPDATE products SET rating_count = rating_count - 1 WHERE id = $tid" >/dev/null
pid=$(sql "SELECT p.id FROM products p WHERE p.status = 'active' AND p.in_stock
           AND p.search_doc @@ websearch_to_tsquery('souk', 'sofa') ORDER BY p.sales_rank LIMIT 1")
offer=$(sql "SELECT o.id FROM offers o JOIN product_variants v ON v.id = o.variant_id
             WHERE v.product_id = $pid AND (SELECT sum(quantity_available) FROM inventory WHERE sku_id = o.id) > 0
             ORDER BY o.price, o.id LIMIT 1")
old=$(sql "SELECT price FROM offers WHERE id = $offer")
url="/api/v1/search?q=sofa&in_stock=1&per_page=100"
"$SOUK_CTL" set-price "$offer" 117 >/dev/null
if took=$(within 2 "any(h['id'] == $pid and h['price'] == 117 for h in j['hits'])" "$url" "${MEM[@]}"); then
    ok "price change reaches the daemon within 2 s ($took)"
else
    not_ok "price change reaches the daemon within 2 s" "$(head -c 300 "$HTTP_BODY")"
fi
if took=$(within 2 "any(h['id'] == $pid and h['price'] == 117 for h in j['hits'])" "$url"); then
    ok "... and the cached path within 2 s ($took)"
else
    not_ok "... and the cached path within 2 s"
fi
"$SOUK_CTL" set-price "$offer" "$old" >/dev/null
saved=$(sql "SELECT i.sku_id || ':' || i.warehouse_id || ':' || i.quantity_available FROM inventory i
             JOIN offers o ON o.id = i.sku_id JOIN product_variants v ON v.id = o.variant_id WHERE v.product_id = $pid")
for s in $saved; do IFS=: read -r sku wh _ <<<"$s"; "$SOUK_CTL" set-stock "$sku" "$wh" 0 >/dev/null; done
if took=$(within 2 "not any(h['id'] == $pid for h in j['hits'])" "$url" "${MEM[@]}"); then
    ok "out of stock: gone from the daemon's in_stock results within 2 s ($took)"
else
    not_ok "out of stock: gone from the daemon's in_stock results within 2 s"
fi
for s in $saved; do IFS=: read -r sku wh qty <<<"$s"; "$SOUK_CTL" set-stock "$sku" "$wh" "$qty" >/dev/null; done
if took=$(within 2 "any(h['id'] == $pid and h['price'] == $old for h in j['hits'])" "$url" "${MEM[@]}"); then
    ok "back in stock at the old price in the daemon within 2 s ($took)"
else
    not_ok "back in stock at the old price in the daemon within 2 s"
fi

# --- a product's search columns stay in the heap (sql/082)
# The daemon's load reads every row's search_doc: out of line, each row
# cost a TOAST index probe. A product whose tsvector alone passes 2 KB:
# only the description goes to TOAST (the chunks added are its own:
# its stored size over TOAST's 1,996-byte chunks), the search_doc stays
# in the row.
toast=$(sql "SELECT reltoastrelid::regclass FROM pg_class WHERE relname = 'products'")
chunks0=$(sql "SELECT count(*) FROM $toast")
big=$(sql "INSERT INTO products (ref, title, description, category_id, seller_id, sales_rank)
    SELECT 'toast-check-1', 'Toast check lamp', string_agg(md5(i::text), ' '),
           (SELECT min(id) FROM categories), (SELECT min(id) FROM sellers), 999999
    FROM generate_series(1, 110) i RETURNING id")
chunks1=$(sql "SELECT count(*) FROM $toast")
read -r dsize ssize <<<"$(sql "SELECT pg_column_size(description), pg_column_size(search_doc) FROM products WHERE id = $big" | tr '|' ' ')"
check "a search_doc past 2 KB on its own ($ssize bytes)" test "$ssize" -gt 2100
check "only the description went to TOAST: $((chunks1 - chunks0)) chunks, its $(((dsize + 1995) / 1996))" \
    test "$((chunks1 - chunks0))" = "$(((dsize + 1995) / 1996))"
check_sql "search columns stored MAIN" \
    "SELECT string_agg(attname || '=' || attstorage::text, ',' ORDER BY attname) FROM pg_attribute
     WHERE attrelid = 'products'::regclass AND attname IN ('search_doc', 'title', 'brand', 'colors', 'sizes', 'ref', 'image_url', 'description')" \
    "brand=m,colors=m,description=x,image_url=m,ref=m,search_doc=m,sizes=m,title=m"
sql "DELETE FROM products WHERE id = $big" >/dev/null

# --- the daemon killed: SQL answers, a forced memory engine is a 503
dpid=$(searchd_pid)
kill -KILL "$dpid"
for i in $(seq 1 50); do kill -0 "$dpid" 2>/dev/null || break; sleep 0.1; done
check "killed (SIGKILL: its socket file is left behind)" test -S "$SOCK"
bad=0
for u in "${urls[@]}" "/search?q=sofa" "/search?q=table&sort=price_desc"; do
    http_get "$u" -H 'X-Souk-Search-Cache: bypass'
    h=$(header X-Souk-Search-Engine)
    if [ "$HTTP_STATUS" != 200 ] || [ "$h" != sql ]; then
        bad=1
        diag "$u: $HTTP_STATUS engine '$h'"
    fi
done
check "daemon down: every search 200, answered by sql" test "$bad" = 0
http_json POST /api/v1/products/_search '{"query":{"multi_match":{"query":"sofa","fields":["title^3","brand^2","description"]}},"size":3}' -H 'X-Souk-Search-Cache: bypass'
check "daemon down: _search 200 by sql" test "$HTTP_STATUS" = 200 -a "$(header X-Souk-Search-Engine)" = sql
check_json "/api/v1/search?q=sofa" 'j["error"]["code"] == "unavailable"' 503 GET "${MEM[@]}"
check "the forced memory 503 is JSON" grep -q 'application/json' "$HTTP_HEADERS"

# --- restarted: the daemon answers again (the pools reconnect)
check "souk-searchd restarts" searchd_start
check "... and serves" wait_socket
http_get "/api/v1/search?q=sofa" "${MEM[@]}"
check "after the restart: 200 from the daemon ($(header X-Souk-Search-Engine))" \
    test "$HTTP_STATUS" = 200 -a "$(header X-Souk-Search-Engine)" = "$ENGINE"
bad=0
for i in 1 2 3 4 5 6; do # every pool worker's kept connection was to the old daemon
    http_get "/api/v1/search?q=sofa&page=$i&per_page=3" "${MEM[@]}"
    [ "$HTTP_STATUS" = 200 ] && [ "$(header X-Souk-Search-Engine)" = "$ENGINE" ] || bad=1
    http_get "/search?q=sofa&page=$((i + 1))" "${MEM[@]}" # page=1 is a redirect
    if [ "$HTTP_STATUS" != 200 ] || [ "$(header X-Souk-Search-Engine)" != "$ENGINE" ]; then
        bad=1
        diag "/search?q=sofa&page=$((i + 1)): $HTTP_STATUS '$(header X-Souk-Search-Engine)'"
    fi
done
check "after the restart every api and storefront worker reaches the new daemon" test "$bad" = 0

# --- a clean stop removes the socket; searches still answer
dpid=$(searchd_pid)
kill -TERM "$dpid"
for i in $(seq 1 100); do kill -0 "$dpid" 2>/dev/null || break; sleep 0.1; done
check "SIGTERM: the daemon exits" bash -c "! kill -0 $dpid 2>/dev/null"
check "SIGTERM: socket and pidfile removed" test ! -e "$SOCK" -a ! -e "$PIDFILE"
check_json "/api/v1/search?q=sofa" 'j["total"] > 0' 200 GET -H 'X-Souk-Search-Cache: bypass'
check "daemon stopped: header sql" test "$(header X-Souk-Search-Engine)" = sql
searchd_start && wait_socket
check "daemon up again for the next scripts" test -S "$SOCK"

done_testing
