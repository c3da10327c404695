-- esci.sql: loads the ESCI demo catalog (JSON lines on psql's stdin) into
-- sellers, categories, products, variants, offers, warehouses and stock.
-- Set-based and deterministic: the same input gives the same ids and
-- values whatever the database collation (text orderings use "C").
-- Run in one transaction, as bin/souk-import does:
--   gzip -dc data/esci/products.jsonl.gz | psql -1 -v force=off -f sql/import/esci.sql
-- force=on first empties the catalog tables (same transaction: a failed
-- import leaves the old catalog in place).

\if :{?force}
\else
\set force off
\endif
\if :force
-- TRUNCATE fires no DELETE trigger: souk-searchd learns which products
-- went from search_deleted (009) as after a DELETE. The new rows reuse
-- the ids with fresh stamps (011), so the daemon's refresh reads them.
DO $$ BEGIN
    IF to_regclass('search_deleted') IS NOT NULL THEN
        INSERT INTO search_deleted (product_id) SELECT id FROM products;
    END IF;
END $$;
TRUNCATE inventory, offers, product_variants, products, categories, warehouses, sellers
    RESTART IDENTITY CASCADE;
SELECT 'import: --force: catalog tables emptied';
\endif

-- Raw lines, in file order (n). CSV with a quote and a delimiter that JSON
-- text never contains (control characters are \u-escaped in JSON), so
-- backslashes and tabs inside strings reach the jsonb parser untouched.
CREATE TEMP TABLE esci_raw (n bigint GENERATED ALWAYS AS IDENTITY, doc jsonb) ON COMMIT DROP;
\copy esci_raw (doc) from pstdin with (format csv, quote e'\x01', delimiter e'\x02')
SELECT 'import: raw ' || count(*) || ' lines' FROM esci_raw;

-- h(x): a stable 31-bit hash for the deterministic demo choices.
CREATE FUNCTION pg_temp.h(x text) RETURNS bigint LANGUAGE sql IMMUTABLE
    AS $$ SELECT ('x' || substr(md5(x), 1, 8))::bit(32)::bigint & 2147483647 $$;
-- slug: the same rules as lib/web/views.c view_slug, so category and
-- product URLs read alike: apostrophes dropped ("Men's" -> mens), Latin-1
-- letters folded to ASCII ("Décor" -> decor), other runs -> '-'.
CREATE FUNCTION pg_temp.slug(x text) RETURNS text LANGUAGE sql IMMUTABLE AS $$
    SELECT COALESCE(NULLIF(trim(both '-' from regexp_replace(lower(translate(
        replace(replace(replace(replace(replace(regexp_replace(x, '[''’]', '', 'g'),
            'Æ', 'ae'), 'æ', 'ae'), 'Þ', 'th'), 'þ', 'th'), 'ß', 'ss'),
        'ÀÁÂÃÄÅÇÈÉÊËÌÍÎÏÐÑÒÓÔÕÖØÙÚÛÜÝàáâãäåçèéêëìíîïðñòóôõöøùúûüýÿ',
        'aaaaaaceeeeiiiidnoooooouuuuyaaaaaaceeeeiiiidnoooooouuuuyy')),
        '[^a-z0-9]+', '-', 'g')), ''), 'c') $$;

-- One clean row per ASIN (first occurrence wins); junk fields become
-- defaults. price: cents from a number or a string like "$1,299.00",
-- else 5.99..149.99 from the hash.
CREATE TEMP TABLE esci ON COMMIT DROP AS
SELECT DISTINCT ON (asin COLLATE "C") *
FROM (SELECT r.n, r.doc->>'asin' AS asin,
             COALESCE(NULLIF(btrim(r.doc->>'title'), ''), r.doc->>'asin') AS title,
             COALESCE(r.doc->>'description', '') AS description,
             COALESCE(r.doc->>'bullet_points', '') AS bullets,
             COALESCE(btrim(r.doc->>'brand'), '') AS brand,
             COALESCE(btrim(r.doc->>'color'), '') AS color,
             COALESCE(NULLIF(ARRAY(SELECT btrim(e) FROM jsonb_array_elements_text(
                          CASE jsonb_typeof(r.doc->'category') WHEN 'array' THEN r.doc->'category' ELSE '[]' END)
                          WITH ORDINALITY AS t(e, k) WHERE btrim(e) <> '' ORDER BY k), '{}'), ARRAY['More']) AS cats,
             CASE WHEN pr.s ~ '^([0-9]{1,7}(\.[0-9]*)?|\.[0-9]+)$' AND round(pr.s::numeric * 100) > 0
                  THEN round(pr.s::numeric * 100)::bigint
                  ELSE (5 + pg_temp.h(r.doc->>'asin') % 145) * 100 + 99 END AS price,
             CASE WHEN r.doc->>'rating' ~ '^[0-5](\.[0-9]+)?$' AND (r.doc->>'rating')::numeric <= 5
                  THEN round((r.doc->>'rating')::numeric, 1) END AS rating,
             CASE WHEN r.doc->>'rating_count' ~ '^[0-9]{1,9}$' THEN (r.doc->>'rating_count')::int ELSE 0 END AS rating_count,
             -- only https links reach <img src>
             CASE WHEN r.doc->>'image' ~ '^https://[^[:space:]"<>]+$' THEN r.doc->>'image' ELSE '' END AS image,
             pg_temp.h(r.doc->>'asin') AS h
      FROM esci_raw r
      CROSS JOIN LATERAL (SELECT regexp_replace(r.doc->>'price', '[$,[:space:]]', '', 'g') AS s) pr
      WHERE jsonb_typeof(r.doc) = 'object' AND r.doc->>'asin' ~ '^[A-Za-z0-9_-]{1,40}$') s
ORDER BY asin COLLATE "C", n;
ANALYZE esci;
SELECT 'import: staged ' || count(*) || ' products, ' ||
       (SELECT count(*) FROM esci_raw) - count(*) || ' lines skipped' FROM esci;

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

-- Category tree: every prefix of every category list is a node; ids in
-- (depth, names) order so they are stable and a parent precedes its children.
CREATE TEMP TABLE cat_map ON COMMIT DROP AS
SELECT row_number() OVER (ORDER BY d, names COLLATE "C") AS id, names, d
FROM (SELECT DISTINCT cats[1:d] AS names, d
      FROM esci, generate_series(1, cardinality(cats)) AS d) s;
CREATE UNIQUE INDEX ON cat_map (names);
ANALYZE cat_map;

-- A sibling whose slug is taken by an earlier one gets '-<id>' appended.
INSERT INTO categories (id, parent_id, name, slug, path, depth)
SELECT c.id, p.id, c.names[c.d],
       pg_temp.slug(c.names[c.d]) ||
           CASE WHEN row_number() OVER (PARTITION BY p.id, pg_temp.slug(c.names[c.d]) ORDER BY c.id) > 1
                THEN '-' || c.id ELSE '' END,
       (SELECT string_agg(a.id::text, '.' ORDER BY k)
          FROM generate_series(1, c.d) AS k JOIN cat_map a ON a.names = c.names[1:k]),
       c.d - 1
FROM cat_map c LEFT JOIN cat_map p ON p.names = c.names[1:c.d - 1] AND c.d > 1
ORDER BY c.id;
SELECT setval('categories_id_seq', (SELECT max(id) FROM categories));
SELECT 'import: categories ' || count(*) || ' (' || count(*) FILTER (WHERE depth = 0) || ' roots)' FROM categories;

-- Products sit in their deepest category; the listing seller by hash
-- (platform ~40 %); sales rank by review count; creation dates spread
-- over a year so "newest" has an order.
INSERT INTO products (id, ref, title, description, bullet_points, brand, color, category_id,
                      seller_id, sales_rank, rating, rating_count, image_url, created_at)
SELECT row_number() OVER (ORDER BY e.asin COLLATE "C"), e.asin, e.title, e.description, e.bullets,
       e.brand, e.color, m.id,
       CASE WHEN e.h % 10 < 4 THEN 1 WHEN e.h % 10 < 6 THEN 2 WHEN e.h % 10 < 8 THEN 3 ELSE 4 END,
       row_number() OVER (ORDER BY e.rating_count DESC, e.asin COLLATE "C"), e.rating, e.rating_count,
       -- the first drawn picture's card size (050_product_images), not the source's photo
       product_tile_stem_of(row_number() OVER (ORDER BY e.asin COLLATE "C"), e.asin, e.brand, e.color,
                            (SELECT c.name FROM categories c WHERE c.id = m.id), 0) || '-card.webp',
       timestamptz '2026-06-01 00:00+00' - (e.h % 365) * interval '1 day' - (e.h % 86400) * interval '1 second'
FROM esci e JOIN cat_map m ON m.names = e.cats
ORDER BY e.asin COLLATE "C";
SELECT setval('products_id_seq', (SELECT max(id) FROM products));
SELECT 'import: products ' || count(*) || '/' || (SELECT count(*) FROM esci) FROM products;

-- Variants: wearables come in sizes (shoe sizes for footwear), at the
-- product's price; everything else is one variant with size ''.
INSERT INTO product_variants (id, product_id, sku, size, color, price, position)
SELECT row_number() OVER (ORDER BY p.id, s.n), p.id, 'SK-' || p.ref || '-' || s.n, s.size, p.color, e.price, s.n
FROM products p JOIN esci e ON e.asin = p.ref
CROSS JOIN LATERAL (SELECT EXISTS (SELECT 1 FROM unnest(e.cats[2:]) x
                                   WHERE x ~* 'shoe|boot|sneaker|sandal|slipper|footwear|loafer|oxford') AS shoe) f
CROSS JOIN LATERAL unnest(
    CASE WHEN e.cats[1] <> 'Clothing, Shoes & Jewelry'
              OR EXISTS (SELECT 1 FROM unnest(e.cats[2:]) x
                         WHERE x ~* 'jewel|watch|accessor|luggage|wallet|sunglass|belt|bag|wig')
         THEN ARRAY['']
         WHEN e.cats[2] = 'Baby' AND f.shoe THEN ARRAY['2', '3', '4', '5']
         WHEN e.cats[2] = 'Baby' THEN ARRAY['3M', '6M', '12M', '18M']
         WHEN e.cats[2] = 'Women' AND f.shoe THEN ARRAY['6', '7', '8', '9']
         WHEN f.shoe THEN ARRAY['8', '9', '10', '11']
         ELSE ARRAY['S', 'M', 'L', 'XL'] END) WITH ORDINALITY AS s(size, n)
ORDER BY 1;
SELECT setval('product_variants_id_seq', (SELECT max(id) FROM product_variants));
SELECT 'import: variants ' || count(*) || ' (' || count(*) FILTER (WHERE size <> '') || ' sized)' FROM product_variants;

-- Offers: the listing seller sells every variant at list price (offer id
-- = variant id, offer sku = variant sku); the platform ships its own (FBA),
-- others by hash. About a fifth of variants get one or two competing
-- offers from the next sellers round the table, ±3..15 % of list price.
INSERT INTO offers (id, variant_id, seller_id, sku, price, shipping, fulfillment)
SELECT v.id, v.id, p.seller_id, v.sku, v.price,
       CASE WHEN p.seller_id = 1 OR pg_temp.h(v.sku) % 2 = 0 THEN 0 ELSE 499 END,
       CASE WHEN p.seller_id = 1 OR pg_temp.h(v.sku) % 2 = 0 THEN 'FBA' ELSE 'FBM' END
FROM product_variants v JOIN products p ON p.id = v.product_id
ORDER BY v.id;

INSERT INTO offers (id, variant_id, seller_id, sku, price, shipping, fulfillment)
SELECT (SELECT max(id) FROM product_variants) + row_number() OVER (ORDER BY v.id, s.j),
       v.id, s.seller_id, v.sku || '-' || sl.slug,
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
               generate_series(1, 1 + (x.hv / 5) % 2) AS j
          WHERE x.hv % 5 = 0) y) s
JOIN sellers sl ON sl.id = s.seller_id
ORDER BY 1;
SELECT setval('offers_id_seq', (SELECT max(id) FROM offers));
SELECT 'import: offers ' || count(*) || ' (' || count(*) FILTER (WHERE fulfillment = 'FBA') || ' FBA)' FROM offers;

-- Stock: FBA offers split over both platform warehouses (0..30 each), FBM
-- offers in the seller's own (0..60); one offer in twenty is sold out.
INSERT INTO inventory (sku_id, warehouse_id, quantity_available)
SELECT o.id, w.id,
       CASE WHEN pg_temp.h(o.sku || ':stock') % 20 = 0 THEN 0
            WHEN o.fulfillment = 'FBA' THEN (pg_temp.h(o.sku || ':stock') / (w.id * 31)) % 31
            ELSE (pg_temp.h(o.sku || ':stock') / 7) % 61 END
FROM offers o
JOIN warehouses w ON (o.fulfillment = 'FBA' AND w.seller_id IS NULL)
                  OR (o.fulfillment = 'FBM' AND w.seller_id = o.seller_id)
ORDER BY o.id, w.id;
SELECT 'import: stock ' || count(*) || ' rows, ' || sum(quantity_available) || ' units' FROM inventory;

-- The denormalised listing columns, exactly as lib/shop/catalog.c
-- catalog_refresh_product computes them: cheapest in-stock active offer,
-- else cheapest active offer (so a sold-out product still shows a price).
UPDATE products p SET price_min = COALESCE(s.in_min, s.any_min), in_stock = s.in_min IS NOT NULL
FROM (SELECT v.product_id,
             min(o.price) FILTER (WHERE q.qty > 0) AS in_min, min(o.price) AS any_min
      FROM product_variants v JOIN offers o ON o.variant_id = v.id AND o.status = 'active'
      CROSS JOIN LATERAL (SELECT COALESCE(sum(quantity_available), 0) AS qty
                          FROM inventory WHERE sku_id = o.id) q
      GROUP BY v.product_id) s
WHERE p.id = s.product_id;
SELECT 'import: in stock ' || count(*) FILTER (WHERE in_stock) || '/' || count(*) || ' products' FROM products;
