#!/usr/bin/env bash
# bench/admin-dashboard.sh: the admin dashboard's aggregates on a big orders
# table. Inside one transaction that is rolled back (the database is left
# as it was), adds BENCH_ORDERS orders (default 1,000,000) spread over 400
# days with 1-3 items each, ANALYZEs, then times each dashboard statement
# (EXPLAIN ANALYZE, median of BENCH_ROUNDS runs) and prints its plan's scan
# nodes. Needs a running stack: bin/souk up (it uses bin/souk psql), or
# BENCH_PSQL=1 with the PG* variables naming another Souk database.
#   bench/admin-dashboard.sh                 # 1M orders
#   BENCH_ORDERS=200000 bench/admin-dashboard.sh
# Appends the figures to bench/RESULTS.md (BENCH_RECORD=0: not).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
repo=$(dirname "$here")
n=${BENCH_ORDERS:-1000000}
rounds=${BENCH_ROUNDS:-5}
# BENCH_PSQL=psql with PGHOST/PGPORT/PGDATABASE/PGUSER set: another database
psql_() {
    if [ -n "${BENCH_PSQL:-}" ]; then psql -X -q -v ON_ERROR_STOP=1 "$@"; else "$repo/bin/souk" psql -X -q -v ON_ERROR_STOP=1 "$@"; fi
}

counted="status IN ('CONFIRMED', 'PROCESSING', 'SHIPPED', 'DELIVERED')"
# the statements as lib/shop/admin_stats.c has them (kept in step by hand)
read -r -d '' windows <<SQL || true
WITH o AS (SELECT id, total, created_at FROM orders
           WHERE created_at >= date_trunc('day', now()) - interval '29 days' AND $counted),
 u AS (SELECT i.order_id, sum(i.qty) AS q FROM order_items i WHERE i.order_id IN (SELECT id FROM o) GROUP BY i.order_id),
 ou AS (SELECT o.total, o.created_at >= date_trunc('day', now()) AS d1,
        o.created_at >= date_trunc('day', now()) - interval '6 days' AS d7, COALESCE(u.q, 0) AS q
        FROM o LEFT JOIN u ON u.order_id = o.id)
SELECT count(*) FILTER (WHERE d1), sum(total) FILTER (WHERE d1), count(*), sum(total), sum(q) FROM ou
SQL
read -r -d '' daily <<SQL || true
SELECT to_char(d, 'YYYY-MM-DD'), count(o.total), COALESCE(sum(o.total), 0)
FROM generate_series(date_trunc('day', now()) - 29 * interval '1 day', date_trunc('day', now()), interval '1 day') AS d
LEFT JOIN orders o ON o.created_at >= d AND o.created_at < d + interval '1 day' AND o.$counted
GROUP BY d ORDER BY d
SQL
read -r -d '' top <<SQL || true
SELECT i.product_id, max(i.title), sum(i.qty) AS units, sum(i.unit_price * i.qty) AS revenue
FROM orders o JOIN order_items i ON i.order_id = o.id
WHERE o.created_at >= date_trunc('day', now()) - 29 * interval '1 day' AND o.$counted
GROUP BY i.product_id ORDER BY units DESC, revenue DESC, i.product_id LIMIT 8
SQL
read -r -d '' low <<SQL || true
SELECT o.id AS sku_id, o.sku, p.id AS product_id, p.title, s.name AS seller, sum(i.quantity_available) AS available
FROM (SELECT DISTINCT sku_id FROM inventory WHERE quantity_available <= 5) c
JOIN inventory i ON i.sku_id = c.sku_id JOIN offers o ON o.id = c.sku_id
JOIN product_variants v ON v.id = o.variant_id JOIN products p ON p.id = v.product_id
JOIN sellers s ON s.id = o.seller_id
WHERE o.status = 'active' AND p.status = 'active'
GROUP BY o.id, o.sku, p.id, p.title, s.name HAVING sum(i.quantity_available) <= 5
ORDER BY available, o.id LIMIT 10
SQL
# /admin/orders as it opens (no filter, first page of 50; lib/shop/admin_lists.c)
read -r -d '' list <<SQL || true
WITH page AS (SELECT o.id FROM orders o
 WHERE o.cancel_reason IS DISTINCT FROM 'payment declined'
 ORDER BY o.created_at DESC, o.id DESC LIMIT 50 OFFSET 0)
SELECT o.id, o.public_id, o.email, o.status, o.total, o.created_at, o.cancel_reason,
 (SELECT COALESCE(sum(qty), 0) FROM order_items i WHERE i.order_id = o.id) AS item_count,
 p.status AS pay_status, p.decline_code,
 (SELECT string_agg(DISTINCT s.name, ', ') FROM order_items i
  JOIN sellers s ON s.id = i.seller_id WHERE i.order_id = o.id) AS sellers,
 (SELECT count(*) FROM orders o WHERE o.cancel_reason IS DISTINCT FROM 'payment declined') AS total_count
FROM page JOIN orders o ON o.id = page.id
LEFT JOIN LATERAL (SELECT status, decline_code FROM payments
 WHERE order_id = o.id ORDER BY id DESC LIMIT 1) p ON true
ORDER BY o.created_at DESC, o.id DESC
SQL

{
    echo "BEGIN;"
    echo "SET LOCAL synchronous_commit = off;"
    # 50 skus to sell; the synthetic orders are never committed
    echo "CREATE TEMP TABLE b_sku AS SELECT row_number() OVER (ORDER BY o.id) - 1 AS rn, o.id AS sku, o.seller_id, v.product_id, o.price FROM offers o JOIN product_variants v ON v.id = o.variant_id WHERE o.status = 'active' ORDER BY o.id LIMIT 50;"
    echo "INSERT INTO orders (public_id, access_token, email, status, subtotal, shipping, tax, total, address, idempotency_key, created_at)
          SELECT 'bench-' || g, 'x', 'b' || (g % 5000) || '@example.test',
                 (ARRAY['CONFIRMED','DELIVERED','SHIPPED','CANCELLED','PROCESSING','RETURNED'])[1 + g % 6],
                 1000 * (1 + g % 9), 0, 0, 1000 * (1 + g % 9), '{}', 'bench-' || g,
                 now() - (g % 400) * interval '1 day' - (g % 86400) * interval '1 second'
          FROM generate_series(1, $n) g;"
    echo "INSERT INTO order_items (order_id, sku_id, seller_id, product_id, title, unit_price, qty, commission_bps, fulfillment)
          SELECT o.id, s.sku, s.seller_id, s.product_id, 'bench', s.price, 1 + o.id % 3, 1000, 'FBA'
          FROM orders o JOIN b_sku s ON s.rn = o.id % (SELECT count(*) FROM b_sku)
          WHERE o.idempotency_key LIKE 'bench-%';"
    echo "ANALYZE orders; ANALYZE order_items;"
    echo "SELECT 'rows: orders ' || (SELECT count(*) FROM orders) || ', order_items ' || (SELECT count(*) FROM order_items);"
    for name in windows daily top low list; do
        for r in $(seq 1 "$rounds"); do
            echo "\\echo $name round $r"
            echo "EXPLAIN (ANALYZE, BUFFERS, FORMAT TEXT) ${!name};"
        done
    done
    echo "ROLLBACK;"
} >"${TMPDIR:-/tmp}/admin-dashboard-bench.sql"

out=$(psql_ -f "${TMPDIR:-/tmp}/admin-dashboard-bench.sql" 2>&1) || { printf '%s\n' "$out" | tail -20 >&2; exit 1; }
rows=$(printf '%s\n' "$out" | grep -E '^ *rows:' || true)
printf '%s\n' "$rows"
table=$(for name in windows daily top low list; do
    ms=$(printf '%s\n' "$out" | awk -v n="$name" '
        $0 ~ "^" n " round" { on = 1; next }
        on && /Execution Time/ { print $3; on = 0 }' | sort -n)
    med=$(printf '%s\n' "$ms" | awk '{ a[NR] = $1 } END { print a[int((NR + 1) / 2)] }')
    scans=$(printf '%s\n' "$out" | awk -v n="$name" '$0 ~ "^" n " round 1" { on = 1; next } on && /round/ { on = 0 } on' |
        grep -oE '(Index Only Scan|Index Scan|Bitmap Index Scan|Seq Scan)( using [a-z_]+)? on [a-z_]+' | sort | uniq -c | tr -s ' ' | paste -sd';' -)
    printf '%-8s median %8s ms  (%s)\n' "$name" "$med" "$scans"
done)
printf '%s\n' "$table"
if [ "${BENCH_RECORD:-1}" = 1 ]; then
    {
        printf '\n## %s: bench/admin-dashboard.sh\n\n' "$(date -u '+%Y-%m-%d %H:%M UTC')"
        printf -- '- machine: %s cores, %s, shared (%s); tree %s\n' "$(nproc)" \
            "$(awk -F': ' '/model name/ { print $2; exit }' /proc/cpuinfo)" \
            "$(uptime | sed 's/.*load average/load average/')" "$(git -C "$repo" rev-parse --short HEAD)"
        printf -- '- command: `BENCH_ORDERS=%s BENCH_ROUNDS=%s bench/admin-dashboard.sh` (EXPLAIN ANALYZE inside a rolled-back transaction; median execution time of the rounds; scan nodes of round 1)\n\n' "$n" "$rounds"
        printf '```\n%s\n%s\n```\n' "$rows" "$table"
    } >>"$repo/bench/RESULTS.md"
fi
