-- bench/gen-catalog.sql: grows the demo catalog to :target products for the
-- search latency bench, deterministically (same :seed, same rows).
--
-- Every new product is a recombination of real ones, so the vocabulary,
-- brands, colours, categories and price/rating spreads stay the demo
-- catalog's: product A (drawn uniformly from the demo products) gives the
-- category, brand (80 %), colour, sizes, image and the first words of the
-- title; product B (another demo product of the same category) gives the
-- rest of the title, the description and the bullet points. Prices are A's
-- price times 0.80..1.30, in stock 95 %, ratings near A's. New rows get
-- refs 'GEN00000001'..; sales ranks continue after the demo's. Only
-- products and product_variants are written (search reads the products'
-- denormalised price_min / in_stock; offers and stock rows for a million
-- generated products would only slow the load).
--
-- Set-based: one INSERT ... SELECT generate_series per table; hashint8 of
-- the row number (and the seed) is the PRNG. Secondary indexes on products
-- and product_variants are dropped before the load and re-created after
-- (same definitions), which is several times faster than maintaining a
-- GIN index row by row. Run once on a freshly imported demo catalog:
--   psql -v target=1000000 -v seed=1 -f bench/gen-catalog.sql
\set ON_ERROR_STOP on
\if :{?target}
\else
\set target 1000000
\endif
\if :{?seed}
\else
\set seed 1
\endif

BEGIN;
SELECT set_config('souk.gen_target', :'target', true), set_config('souk.gen_seed', :'seed', true);

-- The demo products, numbered, with their title words: whole rows, so
-- columns other modules add to products (search's colours and sizes)
-- are carried over too; generated columns are left to the database.
CREATE TEMP TABLE gen_src ON COMMIT DROP AS
SELECT row_number() OVER (ORDER BY id) AS rn, p.* FROM products p WHERE ref NOT LIKE 'GEN%';
DO $$
DECLARE r record;
BEGIN
    FOR r IN SELECT attname FROM pg_attribute
             WHERE attrelid = 'products'::regclass AND attnum > 0 AND NOT attisdropped AND attgenerated <> ''
    LOOP
        EXECUTE format('ALTER TABLE gen_src DROP COLUMN %I', r.attname);
    END LOOP;
END $$;
ALTER TABLE gen_src ADD COLUMN words text[];
UPDATE gen_src SET words = regexp_split_to_array(btrim(title), '\s+');
CREATE UNIQUE INDEX ON gen_src (rn);
CREATE TEMP TABLE gen_bycat ON COMMIT DROP AS
SELECT category_id, array_agg(rn ORDER BY rn) AS rns FROM gen_src GROUP BY category_id;
CREATE UNIQUE INDEX ON gen_bycat (category_id);
-- Brands by category, for the 20 % whose brand comes from a neighbour.
CREATE TEMP TABLE gen_brands ON COMMIT DROP AS
SELECT array_agg(DISTINCT brand) FILTER (WHERE brand <> '') AS brands FROM gen_src;
ANALYZE gen_src;
ANALYZE gen_bycat;

DO $$
DECLARE
    n bigint := (SELECT count(*) FROM gen_src);
    have bigint := (SELECT count(*) FROM products);
    target bigint := current_setting('souk.gen_target')::bigint;
BEGIN
    IF have <> n THEN
        RAISE EXCEPTION 'gen-catalog: % products present, % of them demo: run it once, on a fresh demo import', have, n;
    END IF;
    IF target <= n THEN
        RAISE NOTICE 'gen-catalog: % products already, nothing to add', n;
    END IF;
END $$;

-- Which demo rows each new product comes from.
CREATE TEMP TABLE gen_pick ON COMMIT DROP AS
SELECT g, (abs(hashint8(g * 8 + s)) % n) + 1 AS a_rn, abs(hashint8(g * 8 + 1 + s)) AS hb,
       abs(hashint8(g * 8 + 2 + s)) AS hc, abs(hashint8(g * 8 + 3 + s)) AS hd
FROM (SELECT count(*) AS n FROM gen_src) c,
     (SELECT current_setting('souk.gen_seed')::bigint * 1000003 AS s) sd,
     generate_series(1, greatest(0, current_setting('souk.gen_target')::bigint - (SELECT count(*) FROM gen_src))) AS g;

-- Secondary indexes: dropped now, re-created after the load.
CREATE TEMP TABLE gen_idx ON COMMIT DROP AS
SELECT i.indexrelid::regclass::text AS name, pg_get_indexdef(i.indexrelid) AS def
FROM pg_index i
WHERE i.indrelid IN ('products'::regclass, 'product_variants'::regclass)
  AND NOT i.indisprimary
  AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conindid = i.indexrelid);
DO $$
DECLARE r record;
BEGIN
    FOR r IN SELECT name FROM gen_idx LOOP
        EXECUTE 'DROP INDEX ' || r.name;
    END LOOP;
END $$;

CREATE TEMP TABLE gen_m ON COMMIT DROP AS
SELECT max(id) AS max_id, max(sales_rank) AS max_rank FROM products;

-- The new rows: A's whole row with the recombined fields replaced, except
-- search_xid: a copied stamp lies below souk-searchd's watermark and the
-- daemon would never read the row (011_searchd_stamp.sql stamps inserts
-- whatever they carry; leaving the column out gets the DEFAULT's stamp
-- from 008 on a database without it too).
CREATE TEMP VIEW gen_new AS
SELECT p.g, jsonb_populate_record(NULL::products, to_jsonb(a) - 'rn' - 'words' || jsonb_build_object(
       'id', m.max_id + p.g,
       'ref', 'GEN' || lpad(p.g::text, 8, '0'),
       'title', left(array_to_string(a.words[1:1 + p.hc % greatest(1, cardinality(a.words))] ||
                                     b.words[2 + p.hc % greatest(1, cardinality(a.words)):], ' '), 400),
       'description', b.description, 'bullet_points', b.bullet_points,
       'brand', CASE WHEN p.hd % 5 = 0 AND a.brand <> ''
                     THEN br.brands[1 + (p.hd / 5) % cardinality(br.brands)] ELSE a.brand END,
       'status', 'active',
       'sales_rank', m.max_rank + p.g,
       'rating', CASE WHEN a.rating IS NULL THEN NULL
                      ELSE least(5.0, greatest(1.0, a.rating + ((p.hd / 7) % 7 - 3) / 10.0)) END,
       'rating_count', (a.rating_count * ((p.hd / 11) % 100)) / 100,
       'price_min', greatest(99, (a.price_min * (80 + (p.hd / 13) % 51)) / 100),
       'in_stock', (p.hd / 17) % 20 <> 0,
       'created_at', timestamptz '2026-06-01 00:00+00' - (p.hd % 31536000) * interval '1 second',
       'updated_at', now())) AS r
FROM gen_pick p
JOIN gen_src a ON a.rn = p.a_rn
JOIN gen_bycat bc ON bc.category_id = a.category_id
JOIN gen_src b ON b.rn = bc.rns[1 + p.hb % cardinality(bc.rns)]
CROSS JOIN gen_brands br
CROSS JOIN gen_m m;

DO $$
DECLARE cols text; sel text;
BEGIN
    SELECT string_agg(quote_ident(attname), ', ' ORDER BY attnum),
           string_agg('(n.r).' || quote_ident(attname), ', ' ORDER BY attnum) INTO cols, sel
    FROM pg_attribute
    WHERE attrelid = 'products'::regclass AND attnum > 0 AND NOT attisdropped AND attgenerated = ''
      AND attname <> 'search_xid';
    EXECUTE format('INSERT INTO products (%s) SELECT %s FROM (SELECT g, r FROM gen_new OFFSET 0) n ORDER BY n.g',
                   cols, sel);
END $$;

-- Variants: A's sizes and colours, at the new product's price. Triggers
-- are off for this statement (session_replication_role): the products
-- already carry A's copies of whatever the triggers would derive from
-- the variants (search's colours and sizes), and a million-row UPDATE
-- would rewrite every new product once more.
SET LOCAL session_replication_role = replica;
INSERT INTO product_variants (product_id, sku, size, color, price, position)
SELECT m.max_id + p.g, 'GEN-' || (m.max_id + p.g) || '-' || v.position, v.size, v.color,
       greatest(99, (a.price_min * (80 + (p.hd / 13) % 51)) / 100), v.position
FROM gen_pick p
JOIN gen_src a ON a.rn = p.a_rn
JOIN product_variants v ON v.product_id = a.id
CROSS JOIN gen_m m
ORDER BY 1, v.position;
SET LOCAL session_replication_role = origin;
SELECT setval('products_id_seq', (SELECT max(id) FROM products));
SELECT setval('product_variants_id_seq', (SELECT max(id) FROM product_variants));

SET LOCAL maintenance_work_mem = '1GB';
DO $$
DECLARE r record;
BEGIN
    FOR r IN SELECT def FROM gen_idx LOOP
        EXECUTE r.def;
    END LOOP;
END $$;
SELECT 'gen-catalog: ' || count(*) || ' products, ' ||
       (SELECT count(*) FROM product_variants) || ' variants' FROM products;
COMMIT;
VACUUM (ANALYZE) products, product_variants;
-- Search's word frequencies come from the statistics just gathered.
DO $$ BEGIN
    IF to_regproc('search_refresh_freq') IS NOT NULL THEN
        PERFORM search_refresh_freq();
    END IF;
    -- and the compound words of the titles (080_search_compounds)
    IF to_regproc('search_refresh_compounds') IS NOT NULL THEN
        PERFORM search_refresh_compounds();
    END IF;
END $$;
