-- 003_search: the search columns of products (weighted document, colour
-- and size arrays), the vocabulary for typo correction, and their indexes.
-- Everything here is kept fresh by the database itself (a generated column
-- and statement triggers), so every write path, bin/souk-import included,
-- feeds search in the same transaction as the change.

CREATE EXTENSION IF NOT EXISTS unaccent;
CREATE EXTENSION IF NOT EXISTS pg_trgm;

-- English stemming with accents folded first ("Décor" matches "decor").
-- Queries use the same configuration (websearch_to_tsquery('souk', ...)).
CREATE TEXT SEARCH CONFIGURATION souk (COPY = english);
ALTER TEXT SEARCH CONFIGURATION souk
    ALTER MAPPING FOR hword, hword_part, word WITH unaccent, english_stem;

-- Accent-folded lower case, for the vocabulary and prefix matches.
CREATE FUNCTION search_fold(t text) RETURNS text
    LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
    AS $$ SELECT lower(public.unaccent('public.unaccent'::regdictionary, t)) $$;

-- The weighted document: title A, brand B, description and bullet points
-- C. A generated column: always equal to the row, whoever writes it.
ALTER TABLE products ADD COLUMN search_doc tsvector GENERATED ALWAYS AS (
    setweight(to_tsvector('souk'::regconfig, title), 'A') ||
    setweight(to_tsvector('souk'::regconfig, brand), 'B') ||
    setweight(to_tsvector('souk'::regconfig, description || ' ' || bullet_points), 'C')) STORED;
CREATE INDEX products_search_doc_idx ON products USING gin (search_doc);

-- Colours and sizes of a product's variants (lower case, distinct), for
-- the colour/size filters and the colour facet.
ALTER TABLE products ADD COLUMN colors text[] NOT NULL DEFAULT '{}',
                     ADD COLUMN sizes text[] NOT NULL DEFAULT '{}';
CREATE INDEX products_colors_idx ON products USING gin (colors);
CREATE INDEX products_sizes_idx ON products USING gin (sizes);
CREATE INDEX products_brand_idx ON products (lower(brand) text_pattern_ops);

CREATE FUNCTION search_refresh_variants(ids bigint[]) RETURNS void
    LANGUAGE sql AS $$
    UPDATE products p
    SET colors = COALESCE(v.colors, '{}'), sizes = COALESCE(v.sizes, '{}')
    FROM (SELECT x.id,
                 ARRAY(SELECT DISTINCT lower(btrim(pv.color)) FROM product_variants pv
                       WHERE pv.product_id = x.id AND btrim(pv.color) <> '' ORDER BY 1) AS colors,
                 ARRAY(SELECT DISTINCT btrim(pv.size) FROM product_variants pv
                       WHERE pv.product_id = x.id AND btrim(pv.size) <> '' ORDER BY 1) AS sizes
          FROM unnest(ids) AS x(id)) v
    WHERE p.id = v.id AND (p.colors IS DISTINCT FROM v.colors OR p.sizes IS DISTINCT FROM v.sizes)
$$;

-- Statement triggers with transition tables: one UPDATE per statement,
-- so a bulk import of a million variants costs one pass, not a million.
CREATE FUNCTION search_variants_ins() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM search_refresh_variants(ARRAY(SELECT DISTINCT product_id FROM new_rows));
    RETURN NULL;
END $$;
CREATE FUNCTION search_variants_del() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM search_refresh_variants(ARRAY(SELECT DISTINCT product_id FROM old_rows));
    RETURN NULL;
END $$;
CREATE FUNCTION search_variants_upd() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM search_refresh_variants(ARRAY(
        SELECT n.product_id FROM new_rows n JOIN old_rows o ON o.id = n.id
        WHERE (n.product_id, n.color, n.size) IS DISTINCT FROM (o.product_id, o.color, o.size)
        UNION SELECT o.product_id FROM new_rows n JOIN old_rows o ON o.id = n.id
        WHERE n.product_id IS DISTINCT FROM o.product_id));
    RETURN NULL;
END $$;
CREATE TRIGGER search_variants_ins AFTER INSERT ON product_variants
    REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION search_variants_ins();
CREATE TRIGGER search_variants_del AFTER DELETE ON product_variants
    REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION search_variants_del();
CREATE TRIGGER search_variants_upd AFTER UPDATE ON product_variants
    REFERENCING NEW TABLE AS new_rows OLD TABLE AS old_rows
    FOR EACH STATEMENT EXECUTE FUNCTION search_variants_upd();

-- The vocabulary of titles and brands (folded words, 2..30 letters) with
-- the number of products that brought each word in: typo correction
-- looks a misspelt word up here by trigram similarity (a few thousand
-- rows instead of every title). Words are added, never removed: a stale
-- word only costs a correction that finds nothing.
CREATE TABLE search_words (
    word text PRIMARY KEY,
    ndoc int NOT NULL
);
CREATE INDEX search_words_trgm_idx ON search_words USING gin (word gin_trgm_ops);

CREATE FUNCTION search_words_add(titles text[]) RETURNS void
    LANGUAGE sql AS $$
    INSERT INTO search_words (word, ndoc)
    SELECT w, count(*) FROM (
        SELECT DISTINCT t.k, w
        FROM unnest(titles) WITH ORDINALITY AS t(s, k),
             regexp_split_to_table(search_fold(t.s), '[^[:alnum:]]+') AS w
        WHERE length(w) BETWEEN 2 AND 30) x
    GROUP BY w
    ON CONFLICT (word) DO UPDATE SET ndoc = search_words.ndoc + EXCLUDED.ndoc
$$;
CREATE FUNCTION search_products_ins() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM search_words_add(ARRAY(SELECT title || ' ' || brand FROM new_rows));
    RETURN NULL;
END $$;
CREATE FUNCTION search_products_upd() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM search_words_add(ARRAY(
        SELECT n.title || ' ' || n.brand FROM new_rows n JOIN old_rows o ON o.id = n.id
        WHERE (n.title, n.brand) IS DISTINCT FROM (o.title, o.brand)));
    RETURN NULL;
END $$;
CREATE TRIGGER search_products_ins AFTER INSERT ON products
    REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION search_products_ins();
CREATE TRIGGER search_products_upd AFTER UPDATE ON products
    REFERENCING NEW TABLE AS new_rows OLD TABLE AS old_rows
    FOR EACH STATEMENT EXECUTE FUNCTION search_products_upd();

-- Rows that existed before this migration (an upgraded database).
SELECT search_refresh_variants(ARRAY(SELECT id FROM products));
SELECT search_words_add(ARRAY(SELECT title || ' ' || brand FROM products));

-- OR / AND of many tsqueries (the relaxed match, "every word" test).
CREATE AGGREGATE search_or(tsquery) (sfunc = tsquery_or, stype = tsquery);
CREATE AGGREGATE search_and(tsquery) (sfunc = tsquery_and, stype = tsquery);

-- Ranking weighs each query word by its rarity (inverse document
-- frequency). The frequencies come from the planner's statistics on
-- search_doc (ANALYZE keeps the most common lexemes and their frequency;
-- 1000 keeps about 10,000), copied into a table with a primary key so a
-- query reads a few rows instead of parsing the statistics array. No
-- per-query count, at any catalog size. search_refresh_freq() runs after
-- bulk loads (bin/souk-import calls it); until then every word weighs
-- the same, which only costs ranking quality.
ALTER TABLE products ALTER COLUMN search_doc SET STATISTICS 1000;
CREATE TABLE search_lexeme_freq (
    lexeme text PRIMARY KEY,
    freq   float8 NOT NULL
);
-- One row: the frequency assumed for a lexeme the statistics do not list
-- (half the smallest listed one).
CREATE TABLE search_freq_default (
    freq float8 NOT NULL
);
CREATE FUNCTION search_refresh_freq() RETURNS bigint LANGUAGE plpgsql AS $$
DECLARE
    n bigint;
BEGIN
    DELETE FROM search_lexeme_freq;
    DELETE FROM search_freq_default;
    INSERT INTO search_lexeme_freq (lexeme, freq)
    SELECT DISTINCT ON (u.lexeme) u.lexeme, s.most_common_elem_freqs[u.i]
    FROM pg_stats s, unnest(s.most_common_elems::text::text[]) WITH ORDINALITY AS u(lexeme, i)
    WHERE s.schemaname = current_schema() AND s.tablename = 'products' AND s.attname = 'search_doc'
    ORDER BY u.lexeme, u.i;
    GET DIAGNOSTICS n = ROW_COUNT;
    INSERT INTO search_freq_default (freq)
    SELECT most_common_elem_freqs[cardinality(most_common_elems) + 1] / 2
    FROM pg_stats WHERE schemaname = current_schema() AND tablename = 'products'
        AND attname = 'search_doc' AND most_common_elems IS NOT NULL;
    RETURN n;
END $$;

-- The title and brand part of the document alone (small, never
-- compressed): the first ranking pass reads it for every match and only
-- the best few hundred pay for the whole document.
ALTER TABLE products ADD COLUMN search_title tsvector GENERATED ALWAYS AS (
    setweight(to_tsvector('souk'::regconfig, title), 'A') ||
    setweight(to_tsvector('souk'::regconfig, brand), 'B')) STORED;

-- Search statements are short and many: JIT compilation (on by default
-- above a cost the ranking query reaches) costs more than it saves.
DO $$ BEGIN
    EXECUTE format('ALTER DATABASE %I SET jit = off', current_database());
END $$;

ANALYZE products;
SELECT search_refresh_freq();
