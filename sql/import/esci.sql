-- esci.sql: turns the staged ESCI catalog (temp table esci_raw(doc jsonb))
-- into sellers, categories, products, variants, offers, warehouses and
-- stock. Set-based and deterministic: the same input gives the same ids
-- and values. Run by bin/souk-import inside one transaction.

-- h(x): a stable 31-bit hash for the deterministic demo choices.
CREATE FUNCTION pg_temp.h(x text) RETURNS bigint LANGUAGE sql IMMUTABLE
    AS $$ SELECT ('x' || substr(md5(x), 1, 8))::bit(32)::bigint & 2147483647 $$;
CREATE FUNCTION pg_temp.slug(x text) RETURNS text LANGUAGE sql IMMUTABLE
    AS $$ SELECT COALESCE(NULLIF(trim(both '-' from regexp_replace(lower(x), '[^a-z0-9]+', '-', 'g')), ''), 'c') $$;

CREATE TEMP TABLE esci ON COMMIT DROP AS
SELECT doc->>'asin' AS asin,
       COALESCE(NULLIF(doc->>'title', ''), doc->>'asin') AS title,
       COALESCE(doc->>'description', '') AS description,
       COALESCE(doc->>'bullet_points', '') AS bullets,
       COALESCE(doc->>'brand', '') AS brand,
       COALESCE(doc->>'color', '') AS color,
       COALESCE(NULLIF(ARRAY(SELECT e FROM jsonb_array_elements_text(
                    CASE jsonb_typeof(doc->'category') WHEN 'array' THEN doc->'category' ELSE '[]' END)
                    WITH ORDINALITY AS t(e, n) WHERE e <> '' ORDER BY n), '{}'), ARRAY['More']) AS cats,
       CASE WHEN doc->>'price' ~ '^[0-9]{1,7}(\.[0-9]+)?$' AND (doc->>'price')::numeric > 0
            THEN round((doc->>'price')::numeric * 100)::bigint
            ELSE (5 + pg_temp.h(doc->>'asin') % 145) * 100 + 99 END AS price,
       CASE WHEN doc->>'rating' ~ '^[0-5](\.[0-9]+)?$' THEN round((doc->>'rating')::numeric, 1) END AS rating,
       CASE WHEN doc->>'rating_count' ~ '^[0-9]{1,9}$' THEN (doc->>'rating_count')::int ELSE 0 END AS rating_count,
       COALESCE(doc->>'image', '') AS image,
       pg_temp.h(doc->>'asin') AS h
FROM esci_raw
WHERE doc->>'asin' IS NOT NULL;
SELECT 'import: staged ' || count(*) || ' products' FROM esci;

INSERT INTO sellers (id, name, slug, is_platform, rating, commission_bps) VALUES
    (1, 'Souk', 'souk', true, 4.8, 1000),
    (2, 'Northwind Traders', 'northwind-traders', false, 4.6, 1200),
    (3, 'Acme Outfitters', 'acme-outfitters', false, 4.2, 1500),
    (4, 'Bazaar Direct', 'bazaar-direct', false, 3.9, 800);
SELECT setval('sellers_id_seq', 4);

INSERT INTO warehouses (id, name, seller_id, region) VALUES
    (1, 'Souk FBA East', NULL, 'us-east'),
    (2, 'Souk FBA West', NULL, 'us-west'),
    (3, 'Northwind Traders Warehouse', 2, 'us-east'),
    (4, 'Acme Outfitters Warehouse', 3, 'us-central'),
    (5, 'Bazaar Direct Warehouse', 4, 'us-west');
SELECT setval('warehouses_id_seq', 5);

-- Category tree: every prefix of every category list is a node; ids are
-- assigned in (depth, names) order so they are stable.
CREATE TEMP TABLE cat_map ON COMMIT DROP AS
SELECT row_number() OVER (ORDER BY d, names) AS id, names, d
FROM (SELECT DISTINCT cats[1:d] AS names, d
      FROM esci, generate_series(1, cardinality(cats)) AS d) s;
CREATE INDEX ON cat_map (names);

INSERT INTO categories (id, parent_id, name, slug, path, depth)
SELECT c.id, p.id, c.names[c.d],
       pg_temp.slug(c.names[c.d]) ||
           CASE WHEN row_number() OVER (PARTITION BY p.id, pg_temp.slug(c.names[c.d]) ORDER BY c.id) > 1
                THEN '-' || c.id ELSE '' END,
       (SELECT string_agg(a.id::text, '.' ORDER BY a.d) FROM cat_map a
         WHERE a.d <= c.d AND a.names = c.names[1:a.d]),
       c.d - 1
FROM cat_map c LEFT JOIN cat_map p ON p.d = c.d - 1 AND p.names = c.names[1:c.d - 1]
ORDER BY c.id;
SELECT setval('categories_id_seq', (SELECT max(id) FROM categories));
SELECT 'import: ' || count(*) || ' categories' FROM categories;

-- Products: the seller who listed it by hash (platform ~40 %); sales rank
-- by review count; creation dates spread over a year for "newest".
INSERT INTO products (id, ref, title, description, bullet_points, brand, color, category_id,
                      seller_id, sales_rank, rating, rating_count, image_url, created_at)
SELECT row_number() OVER (ORDER BY e.asin), e.asin, e.title, e.description, e.bullets, e.brand,
       e.color, m.id,
       CASE WHEN e.h % 10 < 4 THEN 1 WHEN e.h % 10 < 6 THEN 2 WHEN e.h % 10 < 8 THEN 3 ELSE 4 END,
       row_number() OVER (ORDER BY e.rating_count DESC, e.asin), e.rating, e.rating_count, e.image,
       timestamptz '2026-06-01 00:00+00' - (e.h % 365) * interval '1 day' - (e.h % 86400) * interval '1 second'
FROM esci e JOIN cat_map m ON m.names = e.cats
ORDER BY e.asin;
SELECT setval('products_id_seq', (SELECT max(id) FROM products));
SELECT 'import: ' || count(*) || '/' || (SELECT count(*) FROM esci) || ' products' FROM products;

-- Variants: apparel and shoes come in sizes, everything else in one.
INSERT INTO product_variants (product_id, sku, size, color, price, position)
SELECT p.id, 'SK-' || p.ref || '-' || s.n, s.size, p.color, e.price, s.n
FROM products p JOIN esci e ON e.asin = p.ref
CROSS JOIN LATERAL unnest(
    CASE WHEN e.cats[1] <> 'Clothing, Shoes & Jewelry'
              OR EXISTS (SELECT 1 FROM unnest(e.cats[2:]) x WHERE x ~* 'jewelry|watch|accessor|luggage|wallet|sunglass|belt|costume')
         THEN ARRAY['']
         WHEN EXISTS (SELECT 1 FROM unnest(e.cats[2:]) x WHERE x ~* 'shoe|boot|sneaker|sandal|slipper')
         THEN ARRAY['8', '9', '10', '11']
         ELSE ARRAY['S', 'M', 'L', 'XL'] END) WITH ORDINALITY AS s(size, n)
ORDER BY p.id, s.n;
SELECT 'import: ' || count(*) || ' variants' FROM product_variants;

-- Offers: the listing seller sells every variant at list price; about a
-- fifth of variants also get one or two competing offers.
INSERT INTO offers (variant_id, seller_id, sku, price, shipping, fulfillment)
SELECT v.id, p.seller_id, v.sku, v.price,
       CASE WHEN p.seller_id = 1 OR pg_temp.h(v.sku) % 2 = 0 THEN 0 ELSE 499 END,
       CASE WHEN p.seller_id = 1 OR pg_temp.h(v.sku) % 2 = 0 THEN 'FBA' ELSE 'FBM' END
FROM product_variants v JOIN products p ON p.id = v.product_id
ORDER BY v.id;

INSERT INTO offers (variant_id, seller_id, sku, price, shipping, fulfillment)
SELECT v.id, s.seller_id, v.sku || '-' || sl.slug,
       greatest(99, round(v.price * (100 + s.pct) / 100.0)::bigint),
       CASE WHEN s.fba THEN 0 ELSE (ARRAY[0, 399, 599])[1 + (s.hv / 11 + s.j) % 3] END,
       CASE WHEN s.fba THEN 'FBA' ELSE 'FBM' END
FROM product_variants v JOIN products p ON p.id = v.product_id
CROSS JOIN LATERAL (
    SELECT j, hv, seller_id, pct,
           seller_id = 1 OR (hv / 13 + j) % 2 = 0 AS fba  -- the platform ships itself
    FROM (SELECT j, hv, (p.seller_id - 1 + j) % 4 + 1 AS seller_id,
                 (CASE WHEN (hv / 3 + j) % 2 = 0 THEN -1 ELSE 1 END) * (3 + (hv / 7 + j) % 13) AS pct
          FROM (SELECT pg_temp.h(v.sku || ':extra') AS hv) x,
               generate_series(1, 1 + (pg_temp.h(v.sku || ':extra') / 5) % 2) AS j
          WHERE hv % 5 = 0) y) s
JOIN sellers sl ON sl.id = s.seller_id
ORDER BY v.id, s.j;
SELECT 'import: ' || count(*) || ' offers' FROM offers;

-- Stock: FBA offers split over both platform warehouses, FBM offers in the
-- seller's own; about one offer in twenty is sold out everywhere.
INSERT INTO inventory (sku_id, warehouse_id, quantity_available)
SELECT o.id, w.id,
       CASE WHEN pg_temp.h(o.sku || ':stock') % 20 = 0 THEN 0
            WHEN o.fulfillment = 'FBA' THEN (pg_temp.h(o.sku || ':stock') / (w.id * 31)) % 31
            ELSE (pg_temp.h(o.sku || ':stock') / 7) % 61 END
FROM offers o
JOIN warehouses w ON (o.fulfillment = 'FBA' AND w.seller_id IS NULL)
                  OR (o.fulfillment = 'FBM' AND w.seller_id = o.seller_id)
ORDER BY o.id, w.id;
SELECT 'import: ' || count(*) || ' stock rows, ' || sum(quantity_available) || ' units' FROM inventory;

-- The denormalised listing columns, as catalog_refresh_product computes them.
UPDATE products p SET price_min = COALESCE(s.in_min, s.any_min), in_stock = s.in_min IS NOT NULL
FROM (SELECT v.product_id,
             min(o.price) FILTER (WHERE q.qty > 0) AS in_min, min(o.price) AS any_min
      FROM product_variants v JOIN offers o ON o.variant_id = v.id AND o.status = 'active'
      CROSS JOIN LATERAL (SELECT COALESCE(sum(quantity_available), 0) AS qty
                          FROM inventory WHERE sku_id = o.id) q
      GROUP BY v.product_id) s
WHERE p.id = s.product_id;
SELECT 'import: ' || count(*) FILTER (WHERE in_stock) || ' products in stock' FROM products;
ANALYZE;
