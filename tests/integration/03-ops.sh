#!/usr/bin/env bash
# 03-ops: bin/souk's plumbing: the pool table (pools.conf) drives nginx, pools.am and the running pools; config templates; bin/souk ctl; the test report.
. "$(dirname "$0")/lib.sh"

SOUK=$SOUK_REPO/bin/souk
TABLE=$SOUK_REPO/pools.conf

# The pools of the table, as "name binary socket" lines.
pools=$(sed -e 's/#.*//' "$TABLE" | awk 'NF { print $1, $2, $3 }')
if [ -n "$pools" ]; then ok "pools.conf declares pools: $(echo "$pools" | awk '{ printf "%s ", $1 }')"; else not_ok "pools.conf declares pools"; fi

# Every pool of the table runs, has its upstream in the rendered nginx
# config and its program in pools.am (what automake builds).
conf=$SOUK_VAR/nginx/nginx.conf
while read -r name bin sock; do
    pid=$(cat "$SOUK_VAR/run/$name.pid" 2>/dev/null)
    if [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null && [ -S "$SOUK_VAR/run/$sock" ]; then
        ok "pool $name runs (pid $pid) on $sock"
    else
        not_ok "pool $name runs on $sock" "pidfile: ${pid:-none}" "$(ls -l "$SOUK_VAR/run")"
    fi
    # the socket twice, so a request whose worker died goes to another
    if [ "$(grep -A2 "upstream souk_$name {" "$conf" | grep -c -F "server unix:$SOUK_VAR/run/$sock max_fails=0;")" = 2 ]; then
        ok "nginx upstream souk_$name -> $sock (twice)"
    else
        not_ok "nginx upstream souk_$name -> $sock" "$(grep -A2 upstream "$conf")"
    fi
    check "pools.am builds $bin" grep -q -x "bin_PROGRAMS += $bin" "$SOUK_REPO/pools.am"
    check "$bin was built" test -x "$SOUK_BUILD_DIR/$bin"
done <<<"$pools"

# The rendered config keeps the static parts: security headers, the page
# cache on the storefront's catalog pages, never on /api/ or /admin/.
check "rendered nginx.conf keeps the CSP header" grep -q 'add_header Content-Security-Policy' "$conf"
cached=$(awk '$1 == "location" { loc = $0 } $1 == "include" && /page-cache.conf/ { print loc }' "$conf" | sed -e 's/^ *location //' -e 's/ {$//' | sort | tr '\n' '|')
if [ "$cached" = "/c/|/products/|= /|" ]; then ok "the page cache covers = /, /c/, /products/ only"; else not_ok "the page cache covers = /, /c/, /products/ only" "got: $cached"; fi
# the admin pool answers /admin/: 404 to anyone but an admin, its health 200
check_status /admin/orders 404
check_status /admin/healthz 200
check_header / X-Frame-Options '^DENY$'

# The next pool is one line: a table with a waiting room renders an nginx
# config (nginx -t passes) with its upstream and both locations.
# (the table's own waitroom line, once there is one, gives way to this one)
grep -v '^waitroom[[:space:]]' "$TABLE" >"$T_TMP/pools.conf"
echo "waitroom handlers/waitroom/souk-waitroom waitroom.sock 4 /flash/,/api/v1/flash/ -" >>"$T_TMP/pools.conf"
if out=$(SOUK_POOLS=$T_TMP/pools.conf SOUK_VAR=$T_TMP/v bash -c '. "$1"; stack_config run; nginx_render' _ "$SOUK") 2>&1; then
    ok "a table with a waitroom line renders a config nginx -t accepts"
else
    not_ok "a table with a waitroom line renders a config nginx -t accepts" "$out" "$(tail -n 5 "$T_TMP/v/log/nginx-error.log" 2>/dev/null)"
fi
wconf=$T_TMP/v/nginx/nginx.conf
# the waiting room's locations are the flash edge's (a second nginx,
# nginx/flash-edge.conf.in); the shop's nginx passes them to it
econf=$T_TMP/v/flash-edge/nginx.conf
check "waitroom upstream on its socket" grep -q -F "server unix:$T_TMP/v/run/waitroom.sock max_fails=0;" "$econf"
for loc in /flash/ /api/v1/flash/; do
    if grep -A1 -F "location $loc {" "$econf" | grep -q 'fastcgi_pass souk_waitroom;'; then
        ok "flash edge: location $loc -> souk_waitroom"
    else
        not_ok "flash edge: location $loc -> souk_waitroom" "$(grep -A1 location "$econf")"
    fi
    if grep -A1 -F "location $loc {" "$wconf" | grep -q 'proxy_pass http://souk_flash_edge;'; then
        ok "shop's nginx: location $loc -> the flash edge"
    else
        not_ok "shop's nginx: location $loc -> the flash edge" "$(grep -A1 location "$wconf")"
    fi
done
check "the flash edge listens on the edge's socket" grep -q -F "listen unix:$T_TMP/v/run/flash-edge.sock;" "$econf"
check "... which the shop's nginx passes to" grep -q -F "server unix:$T_TMP/v/run/flash-edge.sock" "$wconf"
check "the api keeps /api/" grep -A1 -F -q "location /api/ {" "$wconf"

# ... and bootstrap writes its program, built from its folder.
mkdir -p "$T_TMP/b/handlers/waitroom"
cp "$SOUK_REPO/bootstrap" "$T_TMP/b/"
printf 'waitroom handlers/waitroom/souk-waitroom waitroom.sock - /flash/ -\n' >"$T_TMP/b/pools.conf"
touch "$T_TMP/b/handlers/waitroom/waitroom.c" "$T_TMP/b/handlers/waitroom/waitroom.h" "$T_TMP/b/handlers/waitroom/README"
if (cd "$T_TMP/b" && ./bootstrap pools.am) >"$T_TMP/boot.out" 2>&1; then
    got=$(grep -v '^#' "$T_TMP/b/pools.am" | tr -s ' \t\\\n' ' ')
    want=" bin_PROGRAMS += handlers/waitroom/souk-waitroom handlers_waitroom_souk_waitroom_SOURCES = handlers/waitroom/waitroom.c handlers/waitroom/waitroom.h handlers_waitroom_souk_waitroom_LDADD = \$(SOUK_LIBS) handlers_waitroom_souk_waitroom_LINK = \$(CXXLINK) "
    if [ "$got" = "$want" ]; then ok "bootstrap pools.am: the waitroom program from its folder's .c/.h"; else not_ok "bootstrap pools.am: the waitroom program from its folder's .c/.h" "want: $want" "got:  $got"; fi
else
    not_ok "bootstrap pools.am runs" "$(cat "$T_TMP/boot.out")"
fi

# A bad line is refused, naming the file and line.
printf 'storefront handlers/storefront/souk-storefront storefront.sock - /\n' >"$T_TMP/bad.conf"
out=$(SOUK_POOLS=$T_TMP/bad.conf "$SOUK" status 2>&1)
rc=$?
if [ "$rc" -ne 0 ] && [[ $out == *"$T_TMP/bad.conf:1: want 6 or 7 columns"* ]]; then
    ok "a table line with 5 columns is refused (exit $rc, names the line)"
else
    not_ok "a table line with 5 columns is refused" "exit $rc" "$out"
fi
printf 'waitroom handlers/waitroom/souk-waitroom waitroom.sock - /flash/ - 20\n' >"$T_TMP/bad.conf"
out=$(SOUK_POOLS=$T_TMP/bad.conf "$SOUK" status 2>&1)
rc=$?
if [ "$rc" -ne 0 ] && [[ $out == *"$T_TMP/bad.conf:1: nice '20': -20..19 or -"* ]]; then
    ok "a nice out of -20..19 is refused (exit $rc, names the line)"
else
    not_ok "a nice out of -20..19 is refused" "exit $rc" "$out"
fi
# the pool table's nice (7th column): the running waitroom's, and its
# session's autogroup (bin/souk cpu_weight); SOUK_NICE_<POOL> overrides
got=$(SOUK_VAR=$T_TMP/v bash -c '. "$1"; stack_config run; pool_nice waitroom; pool_nice api; SOUK_NICE_WAITROOM=3 pool_nice waitroom' _ "$SOUK" 2>&1 | tr '\n' ' ')
want_nice=$(awk '$1 == "waitroom" { print ($7 == "" || $7 == "-") ? 0 : $7 }' "$TABLE")
if [ "$got" = "$want_nice 0 3 " ]; then ok "pool_nice: the table's column, 0 for none, SOUK_NICE_WAITROOM overrides"; else not_ok "pool_nice" "got: $got (table: $want_nice)"; fi
wpid=$(head -n1 "$SOUK_VAR/run/waitroom.pid" 2>/dev/null | tr -dc 0-9)
if [ -n "$wpid" ] && [ "$(ps -o ni= -p "$wpid" | tr -d ' ')" = "$want_nice" ] &&
    { [ ! -e "/proc/$wpid/autogroup" ] || [ "$(cat /proc/sys/kernel/sched_autogroup_enabled 2>/dev/null)" != 1 ] ||
        grep -q " nice $want_nice\$" "/proc/$wpid/autogroup"; }; then
    ok "the waitroom pool runs at its table nice $want_nice (task and autogroup)"
else
    not_ok "the waitroom pool runs at its table nice $want_nice" "pid $wpid: nice $(ps -o ni= -p "$wpid" 2>&1), $(cat "/proc/$wpid/autogroup" 2>&1)"
fi
printf 'worker handlers/x/souk-x x.sock - /x/ -\n' >"$T_TMP/bad.conf"
out=$(SOUK_POOLS=$T_TMP/bad.conf "$SOUK" status 2>&1)
if [[ $out == *"'worker' is taken"* ]]; then ok "a pool cannot take the worker's name"; else not_ok "a pool cannot take the worker's name" "$out"; fi

# PostgreSQL: the throwaway stack runs without flushes; `bin/souk up`'s
# rendering of the same template is durable.
check_sql "test stack: fsync off" "SELECT current_setting('fsync') || current_setting('synchronous_commit') || current_setting('full_page_writes')" "offoffoff"
mkdir -p "$T_TMP/pg"
if SOUK_VAR=$T_TMP/v bash -c '. "$1"; stack_config run; PG_DATA=$2; pg_write_conf' _ "$SOUK" "$T_TMP/pg" 2>"$T_TMP/pg.err"; then
    got=$(grep -E '^(fsync|synchronous_commit|full_page_writes) ' "$T_TMP/pg/souk.conf" | tr -s ' \n' ' ')
    want="fsync = on synchronous_commit = on full_page_writes = on "
    if [ "$got" = "$want" ]; then ok "bin/souk up's PostgreSQL config is durable"; else not_ok "bin/souk up's PostgreSQL config is durable" "got: $got"; fi
else
    not_ok "pg_write_conf renders conf/postgres.conf.in" "$(cat "$T_TMP/pg.err")"
fi
check "redis.conf rendered from conf/redis.conf.in with the test port" grep -q -x "port $SOUK_REDIS_PORT" "$SOUK_VAR/redis/redis.conf"
if grep -q '@[A-Z_]*@' "$SOUK_VAR/redis/redis.conf"; then not_ok "no placeholder left in redis.conf"; else ok "no placeholder left in redis.conf"; fi
# Redis: the test stack keeps nothing; `bin/souk up`'s rendering persists.
check "test stack: Redis appendonly off" test "$(redis-cli -p "$SOUK_REDIS_PORT" CONFIG GET appendonly | tail -n1)" = no
if SOUK_VAR=$T_TMP/v bash -c '. "$1"; stack_config run; VAR=$2; redis_write_conf' _ "$SOUK" "$T_TMP/rv" 2>"$T_TMP/rv.err"; then
    got=$(grep -E '^(appendonly|appendfsync) ' "$T_TMP/rv/redis/redis.conf" | tr -s ' \n' ' ')
    if [ "$got" = "appendonly yes appendfsync everysec " ]; then ok "bin/souk up's Redis persists (AOF, fsync every second)"; else not_ok "bin/souk up's Redis persists (AOF, fsync every second)" "got: $got"; fi
else
    not_ok "redis_write_conf renders conf/redis.conf.in" "$(cat "$T_TMP/rv.err")"
fi

# bin/souk ctl runs souk-ctl against this stack (bin/souk test passes its
# SOUK_VAR/ports), with its exit status.
pid=$(sql "SELECT min(id) FROM products WHERE status = 'active'")
out=$("$SOUK" ctl product-json "$pid" 2>"$T_TMP/ctl.err")
rc=$?
if [ "$rc" -eq 0 ] && [ "$(printf '%s' "$out" | python3 -c 'import json, sys; print(json.load(sys.stdin)["id"])' 2>&1)" = "$pid" ]; then
    ok "bin/souk ctl product-json $pid -> the product's document"
else
    not_ok "bin/souk ctl product-json $pid -> the product's document" "exit $rc" "${out:0:300}" "$(head -n 5 "$T_TMP/ctl.err")"
fi
"$SOUK" ctl product-json 0 >/dev/null 2>&1
rc=$?
"$SOUK_CTL" product-json 0 >/dev/null 2>&1
want=$?
if [ "$rc" -eq "$want" ] && [ "$rc" -ne 0 ]; then ok "bin/souk ctl exits with souk-ctl's status ($rc for product-json 0)"; else not_ok "bin/souk ctl exits with souk-ctl's status" "got $rc, souk-ctl $want"; fi
help=$("$SOUK" help)
if grep -q '^  ctl ARGS' <<<"$help" && grep -q '^  deps ' <<<"$help"; then ok "bin/souk help lists ctl and deps"; else not_ok "bin/souk help lists ctl and deps" "$help"; fi

# The report (tests/report.sh) ends with exactly "N passed, N failed".
out=$(bash -c '. "$1"; . "$2"; LOGDIR=/nonexistent UNIT_P=2 UNIT_F=0 INT_P=1 INT_F=1; test_finish' _ "$SOUK" "$SOUK_REPO/tests/report.sh" 2>/dev/null)
rc=$?
if [ "$out" = "3 passed, 1 failed" ] && [ "$rc" -eq 1 ]; then ok "test_finish prints '3 passed, 1 failed' and exits 1"; else not_ok "test_finish prints '3 passed, 1 failed' and exits 1" "got '$out', exit $rc"; fi
printf 'Run Summary:    Type  Total    Ran Passed Failed Inactive\n              suites      4      4    n/a      1        0\n               tests     10     10      8      2        0\n' >"$T_TMP/cunit.log"
out=$(bash -c '. "$1"; . "$2"; cunit_summary "$3"' _ "$SOUK" "$SOUK_REPO/tests/report.sh" "$T_TMP/cunit.log")
if [ "$out" = "8 3" ]; then ok "cunit_summary counts a failed suite as a failure (8 3)"; else not_ok "cunit_summary counts a failed suite as a failure" "got '$out'"; fi

done_testing
