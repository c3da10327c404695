-- catalog_checks.sql: asserts the shape of the imported demo catalog and
-- the schema's guards. Read-only (the one write is rolled back). Each check
-- raises with what it found; psql stops at the first failure (exit 3).
--   psql -X -q -v ON_ERROR_STOP=1 -f tests/integration/sql/catalog_checks.sql
-- -v products=N checks another catalog size (default: the ESCI 6764).
\if :{?products}
\else
\set products 6764
\endif
SET client_min_messages = warning;
-- DO bodies cannot see psql variables; a session setting carries it in.
SELECT set_config('souk.expect_products', :'products', false) \g /dev/null

CREATE FUNCTION pg_temp.expect(ok boolean, what text, seen text) RETURNS void
LANGUAGE plpgsql AS $$
BEGIN
    IF ok IS NOT TRUE THEN
        RAISE EXCEPTION 'catalog check failed: %', what USING DETAIL = 'found: ' || COALESCE(seen, 'NULL');
    END IF;
END $$;

DO $$ DECLARE n bigint; want bigint := current_setting('souk.expect_products')::bigint;
BEGIN
    SELECT count(*) INTO n FROM products;
    PERFORM pg_temp.expect(n = want, 'product count is ' || want, n::text);
    SELECT count(DISTINCT ref) INTO n FROM products;
    PERFORM pg_temp.expect(n = want, 'refs (ASINs) are unique', n::text);
    SELECT count(*) INTO n FROM products p
     WHERE NOT EXISTS (SELECT 1 FROM product_variants v WHERE v.product_id = p.id);
    PERFORM pg_temp.expect(n = 0, 'every product has a variant', n || ' without');
    SELECT count(*) INTO n FROM product_variants v
     WHERE NOT EXISTS (SELECT 1 FROM offers o WHERE o.variant_id = v.id AND o.status = 'active');
    PERFORM pg_temp.expect(n = 0, 'every variant has an active offer', n || ' without');
    SELECT count(*) INTO n FROM offers o WHERE NOT EXISTS (SELECT 1 FROM inventory i WHERE i.sku_id = o.id);
    PERFORM pg_temp.expect(n = 0, 'every offer has stock rows', n || ' without');
END $$;

-- The listing seller's offer carries the variant's sku and list price
-- (DESIGN §2: a single-store shop is this with one seller).
DO $$ DECLARE n bigint;
BEGIN
    SELECT count(*) INTO n FROM product_variants v JOIN products p ON p.id = v.product_id
     WHERE NOT EXISTS (SELECT 1 FROM offers o WHERE o.variant_id = v.id AND o.seller_id = p.seller_id
                                                AND o.sku = v.sku AND o.price = v.price);
    PERFORM pg_temp.expect(n = 0, 'each variant has its primary offer', n || ' without');
    SELECT count(*) INTO n FROM products p
     WHERE (SELECT count(DISTINCT price) FROM product_variants v WHERE v.product_id = p.id) <> 1;
    PERFORM pg_temp.expect(n = 0, 'sizes of a product share its price', n || ' products differ');
END $$;

DO $$ DECLARE pct numeric; n bigint; s text;
BEGIN
    SELECT 100.0 * count(*) FILTER (WHERE k > 1) / count(*) INTO pct
      FROM (SELECT count(*) AS k FROM offers GROUP BY variant_id) x;
    PERFORM pg_temp.expect(pct BETWEEN 15 AND 25, 'about a fifth of variants have competing offers', round(pct, 1) || ' %');
    SELECT count(*) || ':' || count(*) FILTER (WHERE is_platform) INTO s FROM sellers;
    PERFORM pg_temp.expect(split_part(s, ':', 1)::int >= 3 AND split_part(s, ':', 2) = '1',
                           'at least 3 sellers, exactly one the platform', s);
    SELECT 100.0 * count(*) FILTER (WHERE s.is_platform) / count(*) INTO pct
      FROM products p JOIN sellers s ON s.id = p.seller_id;
    PERFORM pg_temp.expect(pct BETWEEN 30 AND 50, 'the platform lists about 40 % of products', round(pct, 1) || ' %');
    SELECT count(DISTINCT fulfillment) INTO n FROM offers;
    PERFORM pg_temp.expect(n = 2, 'FBA and FBM offers both exist', n::text);
    SELECT count(*) INTO n FROM offers o JOIN sellers s ON s.id = o.seller_id
     WHERE s.is_platform AND o.fulfillment <> 'FBA';
    PERFORM pg_temp.expect(n = 0, 'the platform fulfils its own offers', n || ' FBM platform offers');
    SELECT count(*) INTO n FROM product_variants WHERE size <> '';
    PERFORM pg_temp.expect(n > 1000, 'apparel and shoes come in sizes', n || ' sized variants');
END $$;

-- Stock sits where the offer's fulfilment says: FBA in platform
-- warehouses, FBM in the seller's own.
DO $$ DECLARE n bigint; pct numeric;
BEGIN
    SELECT count(*) INTO n FROM inventory i JOIN offers o ON o.id = i.sku_id
      JOIN warehouses w ON w.id = i.warehouse_id
     WHERE (o.fulfillment = 'FBA') <> (w.seller_id IS NULL)
        OR (o.fulfillment = 'FBM' AND w.seller_id <> o.seller_id);
    PERFORM pg_temp.expect(n = 0, 'stock is in the right warehouses', n || ' misplaced rows');
    SELECT count(*) INTO n FROM inventory
     WHERE quantity_available < 0 OR quantity_reserved < 0 OR quantity_sold < 0;
    PERFORM pg_temp.expect(n = 0, 'no negative quantities', n::text);
    SELECT 100.0 * count(*) FILTER (WHERE q = 0) / count(*) INTO pct
      FROM (SELECT sum(quantity_available) AS q FROM inventory GROUP BY sku_id) x;
    PERFORM pg_temp.expect(pct BETWEEN 2 AND 10, 'about 5 % of offers are sold out', round(pct, 1) || ' %');
END $$;

-- The CHECK is the second wall behind the reservation UPDATE: it must
-- refuse negative stock (the subtransaction rolls the attempt back).
DO $$
BEGIN
    BEGIN
        UPDATE inventory SET quantity_available = -1
         WHERE (sku_id, warehouse_id) = (SELECT sku_id, warehouse_id FROM inventory ORDER BY 1, 2 LIMIT 1);
        RAISE EXCEPTION 'catalog check failed: inventory accepted quantity_available = -1';
    EXCEPTION WHEN check_violation THEN NULL;
    END;
END $$;

-- Category tree: each path is its parent's path plus its own id.
DO $$ DECLARE n bigint;
BEGIN
    SELECT count(*) INTO n FROM categories c LEFT JOIN categories p ON p.id = c.parent_id
     WHERE c.path IS DISTINCT FROM COALESCE(p.path || '.', '') || c.id
        OR c.depth IS DISTINCT FROM COALESCE(p.depth + 1, 0);
    PERFORM pg_temp.expect(n = 0, 'category paths and depths follow the tree', n || ' wrong');
    SELECT count(*) INTO n FROM products p LEFT JOIN categories c ON c.id = p.category_id WHERE c.id IS NULL;
    PERFORM pg_temp.expect(n = 0, 'every product is in a category', n || ' without');
    SELECT count(*) INTO n FROM categories WHERE slug !~ '^[a-z0-9]+(-[a-z0-9]+)*$';
    PERFORM pg_temp.expect(n = 0, 'category slugs are lowercase words joined by -', n || ' bad');
    SELECT count(*) INTO n FROM categories WHERE depth = 0 AND name = 'More';
    PERFORM pg_temp.expect(n = 1, 'uncategorised products have a root "More"', n::text);
END $$;

-- Listing columns agree with offers and stock, as catalog_refresh_product
-- computes them; sales_rank is a permutation of 1..N.
DO $$ DECLARE n bigint;
BEGIN
    SELECT count(*) INTO n FROM products p
      LEFT JOIN (SELECT v.product_id, min(o.price) FILTER (WHERE q.qty > 0) AS in_min, min(o.price) AS any_min
                   FROM product_variants v JOIN offers o ON o.variant_id = v.id AND o.status = 'active'
                  CROSS JOIN LATERAL (SELECT COALESCE(sum(quantity_available), 0) AS qty
                                        FROM inventory WHERE sku_id = o.id) q
                  GROUP BY v.product_id) s ON s.product_id = p.id
     WHERE p.price_min IS DISTINCT FROM COALESCE(s.in_min, s.any_min)
        OR p.in_stock IS DISTINCT FROM (s.in_min IS NOT NULL);
    PERFORM pg_temp.expect(n = 0, 'price_min and in_stock match offers and stock', n || ' stale');
    SELECT count(*) INTO n FROM products WHERE NOT in_stock;
    PERFORM pg_temp.expect(n BETWEEN 1 AND count_all / 10, 'a few products are sold out', n::text)
      FROM (SELECT count(*) AS count_all FROM products) x;
    SELECT count(*) INTO n FROM (SELECT sales_rank, row_number() OVER (ORDER BY sales_rank) AS r FROM products) x
     WHERE sales_rank <> r;
    PERFORM pg_temp.expect(n = 0, 'sales_rank is 1..N without gaps or ties', n || ' off');
    -- the demo catalog's pictures are Souk's own drawn tiles (050_product_images)
    SELECT count(*) INTO n FROM products
     WHERE image_url <> '' AND image_url !~ '^(https://|/img/p/[0-9]+-0-[0-9a-f]{10}-card\.webp$)';
    PERFORM pg_temp.expect(n = 0, 'image links are https or local pictures', n || ' others');
END $$;

DO $$ DECLARE n bigint;
BEGIN
    SELECT count(*) INTO n FROM schema_migrations WHERE version = '001_catalog';
    PERFORM pg_temp.expect(n = 1, 'migration 001_catalog is recorded', n::text);
END $$;

\echo catalog_checks: all passed
