#!/usr/bin/env bash
# 90-deps-down: Redis down -> /healthz 503 but the catalog is still served
# from PostgreSQL; PostgreSQL restarted -> every later request works;
# PostgreSQL down -> 503. Runs last: it restarts the stack's servers.
. "$(dirname "$0")/lib.sh"

pid=$(sql "SELECT id FROM products WHERE status = 'active' ORDER BY sales_rank LIMIT 1")
cat=$(sql "SELECT id FROM categories WHERE parent_id IS NULL ORDER BY id LIMIT 1")
nocache=(-H 'Cookie: souk_session=integration')   # bypass nginx's page cache

check_json /healthz "j['db'] == 'ok' and j['redis'] == 'ok'"

redis SHUTDOWN NOSAVE >/dev/null 2>&1
sleep 0.3
check_json /healthz "j['redis'] == 'down' and j['db'] == 'ok'" 503
check_json "/api/v1/products/$pid" "j['id'] == $pid"
check "without Redis the product comes from PostgreSQL" test "$(header X-Souk-Cache)" = miss
check_status "/products/$pid" 200 GET "${nocache[@]}"
check_status "/c/$cat" 200 GET "${nocache[@]}"
check_status / 200 GET "${nocache[@]}"

redis-server "$SOUK_VAR/redis/redis.conf" >/dev/null
for _ in $(seq 1 50); do [ "$(redis PING 2>/dev/null)" = PONG ] && break; sleep 0.1; done
sleep 1.1 # the library retries a lost Redis at most once a second
for _ in 1 2 3 4; do http_get /healthz; done
check_json /healthz "j['redis'] == 'ok'"

# PostgreSQL restart: idle workers notice their dead connection before
# using it, so no request after the restart fails, in either pool.
pgdata=${SOUK_PG_DATA:-$SOUK_VAR/pg}
as_pg() { if [ "$(id -u)" = 0 ]; then (cd / && runuser -u postgres -- "$@"); else "$@"; fi; }
if as_pg pg_ctl -D "$pgdata" -m fast -w -t 60 restart -l "${SOUK_PG_LOG:-$SOUK_LOG_DIR/postgres.log}" >/dev/null 2>&1; then
    ok "postgres restarted"
else
    not_ok "postgres restarted" "pg_ctl restart failed for $pgdata"
fi
codes=""
for _ in $(seq 1 8); do
    http_get "/api/v1/categories/$cat/products?per_page=1"
    codes="$codes $HTTP_STATUS"
    http_get "/c/$cat" "${nocache[@]}"
    codes="$codes $HTTP_STATUS"
done
diag "statuses after the restart:$codes"
check "every request after a database restart succeeds" test "$(echo $codes | tr ' ' '\n' | sort -u)" = 200

# A database that is down: a clear 503, never a 500 or a hang.
as_pg pg_ctl -D "$pgdata" -m fast -w -t 60 stop >/dev/null 2>&1
check_json "/api/v1/products/$pid" "j['error']['code'] == 'unavailable'" 503
check_status "/c/$cat" 503 GET "${nocache[@]}"
check "the 503 page asks to try again" grep -q "try again" "$HTTP_BODY"
check_json /healthz "j['db'] == 'down'" 503
as_pg pg_ctl -D "$pgdata" -w -t 60 start -l "${SOUK_PG_LOG:-$SOUK_LOG_DIR/postgres.log}" >/dev/null 2>&1
check_json "/api/v1/products/$pid" "j['id'] == $pid"
check_status "/c/$cat" 200 GET "${nocache[@]}"
done_testing
