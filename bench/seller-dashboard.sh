#!/usr/bin/env bash
# bench/seller-dashboard.sh: the seller center dashboard's latency for a
# seller with BENCH_ORDERS (100,000) orders: generates them in SQL (orders,
# items, shipments and their ledger capture transactions, spread over 90
# days), signs the seller in, then times BENCH_N (200) GET /seller/dashboard
# one after another with curl; prints p50/p95/max and appends them to
# bench/RESULTS.md (target: p95 <= 50 ms). Runs its own stack like
# bench/checkout.sh (SOUK_VAR=var/bench-dashboard, ports 8387/5737/6697).
# BENCH_SELLER=ID measures again the seller a previous run generated (on
# the stack it kept with BENCH_KEEP=1), without generating anything.
set -euo pipefail
export LC_ALL=C
REPO=$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/.." && pwd)
export SOUK_VAR=${BENCH_VAR:-$REPO/var/bench-dashboard}
export SOUK_PORT=${BENCH_PORT:-8387} SOUK_PG_PORT=${BENCH_PG_PORT:-5737} SOUK_REDIS_PORT=${BENCH_REDIS_PORT:-6697}
export SOUK_LIMIT_EXEMPT=${SOUK_LIMIT_EXEMPT-127.0.0.1} SOUK_LOG_LEVEL=warn
export PGHOST=$SOUK_VAR/run PGPORT=$SOUK_PG_PORT PGDATABASE=souk PGUSER=souk
URL=http://127.0.0.1:$SOUK_PORT
ORDERS=${BENCH_ORDERS:-100000}
N=${BENCH_N:-200}
B=$SOUK_VAR/bench
mkdir -p "$B"
log() { printf 'bench: %s\n' "$*" >&2; }
die() { printf 'bench: error: %s\n' "$*" >&2; exit 1; }
q() { psql -X -q -tA -v ON_ERROR_STOP=1 -c "$1"; }
"$REPO/bin/souk" deps postgresql-client-15 curl python3 || die "missing packages"
cleanup() { [ "${BENCH_KEEP:-0}" = 1 ] || "$REPO/bin/souk" down >/dev/null 2>&1 || true; }
trap cleanup EXIT
"$REPO/bin/souk" up >"$B/up.log" 2>&1 || { tail -20 "$B/up.log"; die "bin/souk up failed"; }

if [ -n "${BENCH_SELLER:-}" ]; then
    SELLER=$BENCH_SELLER SKUS=$(q "SELECT count(*) FROM offers WHERE seller_id = $SELLER")
else
log "generating $ORDERS orders for one seller"
SELLER=$(SOUK_LOG_LEVEL=warn "$REPO/bin/souk" ctl seller create "bench-dash-$RANDOM")
SKUS=$(q "WITH p AS (INSERT INTO products (ref, title, category_id, seller_id, sales_rank)
            SELECT 'BD-$SELLER-' || g, 'Dashboard item ' || g, (SELECT min(id) FROM categories), $SELLER, 999999
            FROM generate_series(1, 50) g RETURNING id),
          v AS (INSERT INTO product_variants (product_id, sku, price) SELECT id, 'BDV-' || id, 1999 FROM p RETURNING id)
          INSERT INTO offers (variant_id, seller_id, sku, price, fulfillment)
          SELECT id, $SELLER, 'BDO-' || id, 1999, 'FBM' FROM v RETURNING id" | wc -l)
q "INSERT INTO inventory (sku_id, warehouse_id, quantity_available)
   SELECT o.id, (SELECT min(id) FROM warehouses WHERE seller_id = $SELLER), 100 FROM offers o WHERE o.seller_id = $SELLER" >/dev/null
q "BEGIN;
   CREATE TEMP TABLE g AS SELECT n, now() - (n % 90) * interval '1 day' - (n % 1440) * interval '1 minute' AS at,
     (SELECT array_agg(id) FROM offers WHERE seller_id = $SELLER) AS skus FROM generate_series(1, $ORDERS) n;
   INSERT INTO orders (public_id, access_token, email, status, subtotal, shipping, tax, total, address,
                       idempotency_key, idempotency_scope, created_at, updated_at, delivered_at)
   SELECT 'BD$SELLER-' || n, md5(n::text), 'bd@example.com',
          CASE WHEN n % 50 = 0 THEN 'CANCELLED' WHEN at > now() - interval '3 days' THEN 'CONFIRMED' ELSE 'DELIVERED' END,
          1999, 0, 0, 1999, '{}'::jsonb, 'bd-$SELLER-' || n, 'bench', at, at,
          CASE WHEN at <= now() - interval '3 days' THEN at + interval '2 days' END FROM g;
   INSERT INTO order_items (order_id, sku_id, seller_id, product_id, title, unit_price, qty, commission_bps, fulfillment)
   SELECT o.id, g.skus[1 + g.n % array_length(g.skus, 1)], $SELLER, v.product_id, 'Dashboard item', 1999, 1, 1000, 'FBM'
   FROM g JOIN orders o ON o.public_id = 'BD$SELLER-' || g.n
   JOIN offers f ON f.id = g.skus[1 + g.n % array_length(g.skus, 1)] JOIN product_variants v ON v.id = f.variant_id;
   INSERT INTO shipments (order_id, seller_id, fulfillment, status, carrier, tracking, created_at, due_at, shipped_at, delivered_at)
   SELECT o.id, $SELLER, 'FBM', CASE WHEN o.status = 'DELIVERED' THEN 'delivered' WHEN o.status = 'CANCELLED' THEN 'cancelled' ELSE 'pending' END,
          CASE WHEN o.status = 'DELIVERED' THEN 'UPS' END, CASE WHEN o.status = 'DELIVERED' THEN '1Z' || o.id END,
          o.created_at, o.created_at + interval '2 days', CASE WHEN o.status = 'DELIVERED' THEN o.created_at + interval '1 day' END, o.delivered_at
   FROM orders o WHERE o.public_id LIKE 'BD$SELLER-%';
   UPDATE order_items i SET shipment_id = s.id FROM shipments s WHERE s.order_id = i.order_id AND i.seller_id = $SELLER;
   INSERT INTO ledger_accounts (kind, seller_id, name) VALUES ('seller_payable', $SELLER, 'seller $SELLER payable') ON CONFLICT DO NOTHING;
   INSERT INTO ledger_transactions (kind, ref, order_id, memo, created_at)
   SELECT 'capture', 'bench-capture:' || o.id, o.id, 'order captured', o.created_at FROM orders o
   WHERE o.public_id LIKE 'BD$SELLER-%' AND o.status <> 'CANCELLED';
   INSERT INTO ledger_entries (transaction_id, account_id, amount, kind, created_at)
   SELECT t.id, a.id, x.amount, x.kind, t.created_at FROM ledger_transactions t
   CROSS JOIN LATERAL (VALUES ('clearing', 0::bigint, 1999, 'clearing'), ('seller_payable', $SELLER, -1999, 'sale'),
                              ('seller_payable', $SELLER, 200, 'commission'), ('commission', 0, -200, 'commission')) x(acc, s, amount, kind)
   JOIN ledger_accounts a ON a.kind = x.acc AND COALESCE(a.seller_id, 0) = x.s
   WHERE t.ref LIKE 'bench-capture:%';
   COMMIT; ANALYZE;" >/dev/null
fi
log "seller $SELLER: $(q "SELECT count(*) FROM order_items WHERE seller_id = $SELLER") order lines, $SKUS offers"

JAR=$B/jar
rm -f "$JAR"
[ -n "${BENCH_SELLER:-}" ] ||
    SOUK_USER_PASSWORD=bench-dash-pass-1 "$REPO/bin/souk" ctl add-user "bd$SELLER@souk.test" seller "$SELLER" >/dev/null
curl -s -c "$JAR" -b "$JAR" -o "$B/login.html" "$URL/login"
tok=$(grep -o 'name="csrf" value="[0-9a-f]*"' "$B/login.html" | head -1 | sed -e 's/.*value="//' -e 's/"$//')
curl -s -c "$JAR" -b "$JAR" -o /dev/null --data-urlencode "csrf=$tok" --data-urlencode "email=bd$SELLER@souk.test" \
    --data-urlencode "password=bench-dash-pass-1" "$URL/login"
code=$(curl -s -b "$JAR" -o "$B/dash.html" -w '%{http_code}' "$URL/seller/dashboard")
[ "$code" = 200 ] || die "dashboard answered $code"
for i in $(seq 1 10); do curl -s -b "$JAR" -o /dev/null "$URL/seller/dashboard"; done # warm
for i in $(seq 1 "$N"); do curl -s -b "$JAR" -o /dev/null -w '%{time_total}\n' "$URL/seller/dashboard"; done >"$B/times"
read -r p50 p95 max < <(sort -n "$B/times" | awk '{ a[NR] = $1 } END { printf "%.1f %.1f %.1f\n", a[int(NR * 0.5)] * 1000, a[int(NR * 0.95)] * 1000, a[NR] * 1000 }')
log "dashboard over $N requests: p50 $p50 ms, p95 $p95 ms, max $max ms"
if [ "${BENCH_RECORD:-1}" = 1 ]; then
    {
        echo
        echo "## $(date -u '+%Y-%m-%d %H:%M') UTC: bench/seller-dashboard.sh"
        echo
        echo "- machine: $(nproc) cores, $(awk -F': ' '/model name/ { print $2; exit }' /proc/cpuinfo), shared ($(uptime | sed 's/.*load average/load average/')); tree $(git -C "$REPO" rev-parse --short HEAD)"
        echo "- command: \`${BENCH_SELLER:+BENCH_SELLER=$BENCH_SELLER }BENCH_N=$N bench/seller-dashboard.sh\` ($ORDERS orders for one seller, $N sequential GET /seller/dashboard)"
        echo "- p50 $p50 ms, p95 $p95 ms, max $max ms (target p95 <= 50 ms)"
    } >>"$REPO/bench/RESULTS.md"
fi
