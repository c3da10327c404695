#!/usr/bin/env bash
# bench/inventory-file.sh: rows/s of the seller API's inventory file
# (POST /api/v1/seller/inventory-file) for a 10,000-row CSV, end to end
# over HTTP (nginx, the api pool, PostgreSQL, the cache drops).
#
# A new seller (bin/souk ctl seller create) gets BENCH_ROWS FBM offers on
# fresh products (SQL), then each round uploads a file that changes every
# row's price and quantity (a new value each round, so every row writes).
# Reports the median over BENCH_ROUNDS rounds (default 5) of rows/s =
# rows applied / the request's total time (curl), checks that every row
# was applied, and appends the figures to bench/RESULTS.md. Target:
# >= 2,000 rows/s. BENCH_FIELDS=quantity leaves the price column empty:
# only quantities change, all of them stay in stock, so no product's
# price_min/in_stock moves and no product row is written (catalog_refresh
# skips them).
#
# Runs its own private stack (SOUK_VAR=var/bench-inventory, ports 8386/
# 5736/6696), `bin/souk up`'s (durable PostgreSQL), stopped at the end
# (BENCH_KEEP=1 keeps it). BENCH_TEST_STACK=1 measures instead on the
# running throwaway stack of `bin/souk test` (SOUK_TEST_* ports; sanitizer
# build, fsync off), left as it is.
set -euo pipefail
export LC_ALL=C
REPO=$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/.." && pwd)
if [ "${BENCH_TEST_STACK:-0}" = 1 ]; then
    export SOUK_VAR=$REPO/var/test SOUK_PORT=${SOUK_TEST_PORT:-18080} SOUK_PG_PORT=${SOUK_TEST_PG_PORT:-15433}
    export SOUK_REDIS_PORT=${SOUK_TEST_REDIS_PORT:-16390} SOUK_BUILD_DIR=$REPO/build/test BENCH_KEEP=1
else
    export SOUK_VAR=${BENCH_VAR:-$REPO/var/bench-inventory}
    export SOUK_PORT=${BENCH_PORT:-8386} SOUK_PG_PORT=${BENCH_PG_PORT:-5736} SOUK_REDIS_PORT=${BENCH_REDIS_PORT:-6696}
fi
export SOUK_LIMIT_EXEMPT=${SOUK_LIMIT_EXEMPT-127.0.0.1} SOUK_LOG_LEVEL=warn
export PGHOST=$SOUK_VAR/run PGPORT=$SOUK_PG_PORT PGDATABASE=souk PGUSER=souk
PATH=/usr/lib/postgresql/15/bin:$PATH
URL=http://127.0.0.1:$SOUK_PORT
ROWS=${BENCH_ROWS:-10000}
ROUNDS=${BENCH_ROUNDS:-5}
TARGET=2000
FIELDS=${BENCH_FIELDS:-price,quantity}
case $FIELDS in price,quantity | quantity) ;; *) echo "bench: BENCH_FIELDS is price,quantity or quantity" >&2; exit 2 ;; esac
B=$SOUK_VAR/bench
mkdir -p "$B"
log() { printf 'bench: %s\n' "$*" >&2; }
die() { printf 'bench: error: %s\n' "$*" >&2; exit 1; }
q() { psql -X -q -tA -v ON_ERROR_STOP=1 -c "$1"; }
"$REPO/bin/souk" deps postgresql-15 postgresql-client-15 curl python3 || die "missing packages (see above)"

cleanup() { [ "${BENCH_KEEP:-0}" = 1 ] || "$REPO/bin/souk" down >/dev/null 2>&1 || true; }
trap cleanup EXIT
log "private stack: $SOUK_VAR (http $SOUK_PORT, pg $SOUK_PG_PORT, redis $SOUK_REDIS_PORT)"
if [ "${BENCH_TEST_STACK:-0}" = 1 ]; then
    STACK="the bin/souk test stack (sanitizer build)"
else
    "$REPO/bin/souk" up >"$B/up.log" 2>&1 || { tail -20 "$B/up.log"; die "bin/souk up failed"; }
    STACK="bin/souk up's stack"
fi
PGSET=$(q "SELECT string_agg(name || '=' || setting, ', ' ORDER BY name) FROM pg_settings WHERE name IN ('fsync', 'synchronous_commit')")

# ---- data: a seller with ROWS FBM offers on products of its own
run=$(date +%s)
CTL=("$REPO/bin/souk" ctl)
[ "${BENCH_TEST_STACK:-0}" = 1 ] && CTL=("$REPO/bin/souk" ctl --test)
seller=$("${CTL[@]}" seller create "Bench seller $run")
key=$("${CTL[@]}" seller key "$seller")
wh=$(q "SELECT min(id) FROM warehouses WHERE seller_id = $seller")
q "WITH p AS (INSERT INTO products (ref, title, brand, category_id, seller_id, sales_rank)
              SELECT 'BENCH-$run-' || g, 'Bench item ' || g, 'Benchco', (SELECT min(id) FROM categories),
                     $seller, 9999999 FROM generate_series(1, $ROWS) g RETURNING id, ref),
        v AS (INSERT INTO product_variants (product_id, sku, price)
              SELECT id, 'BV-' || ref, 1000 FROM p RETURNING id, sku),
        o AS (INSERT INTO offers (variant_id, seller_id, sku, price, fulfillment)
              SELECT id, $seller, substr(sku, 4), 1000, 'FBM' FROM v RETURNING id)
   INSERT INTO inventory (sku_id, warehouse_id, quantity_available) SELECT id, $wh, 1 FROM o" >/dev/null
log "seller $seller: $ROWS offers"

# ---- rounds
results=()
for r in $(seq 1 "$ROUNDS"); do
    f=$B/inventory-$r.csv
    { echo "sku,price,quantity,warehouse"
      seq 1 "$ROWS" | awk -v run="$run" -v r="$r" -v f="$FIELDS" '{
          price = f == "quantity" ? "" : sprintf("%d.%02d", 10 + r, $1 % 100)
          printf "BENCH-%s-%d,%s,%d,\n", run, $1, price, r * 10 + $1 % 7 }'
    } >"$f"
    out=$(curl -s -o "$B/report-$r.json" -w '%{http_code} %{time_total}' -H "Authorization: Bearer $key" \
        -H 'Content-Type: text/csv' --data-binary @"$f" "$URL/api/v1/seller/inventory-file")
    code=${out%% *} secs=${out##* }
    applied=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["applied"])' "$B/report-$r.json" 2>/dev/null || echo 0)
    [ "$code" = 200 ] && [ "$applied" = "$ROWS" ] || die "round $r: HTTP $code, $applied of $ROWS rows applied ($(head -c 300 "$B/report-$r.json"))"
    rps=$(python3 -c "print(f'{$ROWS / $secs:.0f}')")
    log "round $r: $ROWS rows in $secs s = $rps rows/s"
    results+=("$rps $secs")
done
want_price="(10 + $ROUNDS) * 100 + (substr(o.sku, length('BENCH-$run-') + 1)::int % 100)"
[ "$FIELDS" = quantity ] && want_price=1000
check=$(q "SELECT count(*) FROM offers o JOIN inventory i ON i.sku_id = o.id WHERE o.seller_id = $seller AND o.price = $want_price AND i.quantity_available = $ROUNDS * 10 + substr(o.sku, length('BENCH-$run-') + 1)::int % 7")
[ "$check" = "$ROWS" ] || die "the last file is not what the database holds ($check of $ROWS rows match)"
median=$(printf '%s\n' "${results[@]}" | sort -n | awk '{ a[NR] = $1 } END { print a[int((NR + 1) / 2)] }')
verdict=$([ "$median" -ge "$TARGET" ] && echo PASS || echo FAIL)
log "median: $median rows/s (target >= $TARGET: $verdict)"
{
    printf '\n## %s: bench/inventory-file.sh\n\n' "$(date -u '+%Y-%m-%d %H:%M UTC')"
    printf -- '- machine: %s CPUs (%s), %s RAM, Linux %s; shared and noisy\n' \
        "$(nproc)" "$(awk -F': ' '/model name/ { print $2; exit }' /proc/cpuinfo)" "$(free -h | awk '/Mem:/ { print $2 }')" "$(uname -r)"
    printf -- '- software: PostgreSQL %s (%s); tree %s\n' "$(q 'SHOW server_version')" "$PGSET" "$(git -C "$REPO" rev-parse --short HEAD)"
    printf -- '- command: `%s%sbench/inventory-file.sh` (%s rows, %s each, FBM, one seller; %s rounds; curl total time; %s)\n\n' \
        "$([ "${BENCH_TEST_STACK:-0}" = 1 ] && echo 'BENCH_TEST_STACK=1 ')" "$([ "$FIELDS" = quantity ] && echo 'BENCH_FIELDS=quantity ')" \
        "$ROWS" "${FIELDS/,/ + }" "$ROUNDS" "$STACK"
    printf '| measure | median | target | result |\n|---|---:|---|---|\n'
    printf '| inventory file rows/s (10,000 rows, %s) | %s | >= %s | %s |\n\n' "${FIELDS/,/ + }" "$median" "$TARGET" "$verdict"
    printf 'Per round (rows/s, seconds):\n\n```\n'
    printf '%s\n' "${results[@]}"
    printf '```\n'
} >>"$REPO/bench/RESULTS.md"
log "recorded in bench/RESULTS.md"
