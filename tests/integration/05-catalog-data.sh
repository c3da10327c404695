#!/usr/bin/env bash
# 05-catalog-data: the imported demo catalog has the shape the shop needs.
. "$(dirname "$0")/lib.sh"

check_sql "all 6764 products imported" "SELECT count(*) FROM products" 6764
check_sql "refs are the unique ASINs" "SELECT count(DISTINCT ref) FROM products" 6764
check_sql "every product has a variant" \
    "SELECT count(*) FROM products p WHERE NOT EXISTS (SELECT 1 FROM product_variants v WHERE v.product_id = p.id)" 0
check_sql "every variant has an active offer" \
    "SELECT count(*) FROM product_variants v WHERE NOT EXISTS (SELECT 1 FROM offers o WHERE o.variant_id = v.id AND o.status = 'active')" 0
check_sql "every offer has stock rows" \
    "SELECT count(*) FROM offers o WHERE NOT EXISTS (SELECT 1 FROM inventory i WHERE i.sku_id = o.id)" 0
check_sql "about a fifth of variants have competing offers (15-25 %)" \
    "SELECT (100 * count(*) FILTER (WHERE n > 1) / count(*)) BETWEEN 15 AND 25 FROM (SELECT count(*) AS n FROM offers GROUP BY variant_id) s" t
check_sql "four sellers, one of them the platform" \
    "SELECT count(*) || ':' || count(*) FILTER (WHERE is_platform) FROM sellers" "4:1"
check_sql "stock spread over 2-3 warehouses per seller kind" \
    "SELECT count(DISTINCT warehouse_id) >= 5 FROM inventory" t
check_sql "FBA and FBM both present" "SELECT count(DISTINCT fulfillment) FROM offers" 2
check_sql "some products sold out, most in stock" \
    "SELECT count(*) FILTER (WHERE NOT in_stock) BETWEEN 50 AND 1000 FROM products" t
check_sql "apparel comes in sizes" \
    "SELECT count(*) > 1000 FROM product_variants WHERE size <> ''" t
check_sql "every category path starts at a root and ends at itself" \
    "SELECT count(*) FROM categories c WHERE split_part(c.path, '.', c.depth + 1)::bigint <> c.id OR (c.depth = 0) <> (c.parent_id IS NULL)" 0
check_sql "every product sits in a category" "SELECT count(*) FROM products WHERE category_id IS NULL" 0
check_sql "price_min is the cheapest in-stock offer" \
    "SELECT count(*) FROM products p WHERE p.in_stock AND p.price_min <> (SELECT min(o.price) FROM offers o JOIN product_variants v ON v.id = o.variant_id WHERE v.product_id = p.id AND (SELECT sum(quantity_available) FROM inventory i WHERE i.sku_id = o.id) > 0)" 0
check_sql "migrations recorded" "SELECT count(*) > 0 FROM schema_migrations" t
check "migrations run twice are harmless" "$SOUK_REPO/bin/souk-migrate"
check "import into a full database does nothing" "$SOUK_REPO/bin/souk-import"
check_sql "still 6764 products" "SELECT count(*) FROM products" 6764
check_sql "the inventory CHECK refuses negative stock" \
    "SELECT 1 FROM (SELECT 1) x WHERE false; DO \$\$ BEGIN UPDATE inventory SET quantity_available = -1 WHERE sku_id = 1; RAISE EXCEPTION 'accepted'; EXCEPTION WHEN check_violation THEN NULL; END \$\$" ""
check "catalog SQL self-checks pass" psql -X -q -v ON_ERROR_STOP=1 -f "$SOUK_REPO/tests/integration/sql/catalog_checks.sql"
done_testing
