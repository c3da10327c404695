-- 080_search_compounds: compound words learned from the catalog's own
-- titles, so that a query finds a product however it writes a compound:
-- "bandsaw" also finds "band saw", "table top" also finds "tabletop".
-- A compound is a title/brand word (search_words) that is the
-- concatenation of two words found next to each other in some title
-- ("band" "saw" in one title, "bandsaw" in another). Nothing is written
-- by hand: search_refresh_compounds() derives the table from the active
-- titles; bin/souk-import and bench/gen-catalog.sql run it after a bulk
-- load, next to search_refresh_freq(). S_TEXT_Q
-- (lib/search/search_sql.h) reads it while parsing a query, for both
-- engines, so they stay equal.

-- One row per (compound, split): lexemes as to_tsvector('souk', …)
-- gives them, so plurals and other inflections meet ("bandsaws" ->
-- 'bandsaw'; "band saws" -> 'band' 'saw'). ndoc: active products whose
-- title has the two parts next to each other.
CREATE TABLE IF NOT EXISTS search_compounds (
    lexeme text NOT NULL,
    first  text NOT NULL,
    second text NOT NULL,
    ndoc   int NOT NULL,
    PRIMARY KEY (lexeme, first, second)
);
CREATE INDEX IF NOT EXISTS search_compounds_parts_idx ON search_compounds (first, second);

-- Rebuilds the table; returns its rows. Parts of 3+ letters (no digits:
-- "usb 3" is not a compound of anything), none a stop word, and a
-- compound whose lexeme differs from both parts' ("controlled" is
-- 'control', not "control led"). Cost: one pass over the active titles'
-- words (2.7-2.9 s for the demo's 6,764 titles on the busy 2-core machine;
-- linear in the titles' words, so minutes at a million products).
CREATE OR REPLACE FUNCTION search_refresh_compounds() RETURNS bigint LANGUAGE plpgsql AS $$
DECLARE
    n bigint;
BEGIN
    DELETE FROM search_compounds;
    INSERT INTO search_compounds (lexeme, first, second, ndoc)
    SELECT lj[1], la[1], lb[1], count(DISTINCT p.id)::int
    FROM (SELECT id, w AS a, lead(w) OVER (PARTITION BY id ORDER BY k) AS b
          FROM products,
               regexp_split_to_table(search_fold(title), '[^[:alnum:]]+') WITH ORDINALITY AS x(w, k)
          WHERE status = 'active') p
    -- the vocabulary first: only the few pairs whose join is a word are
    -- sorted and counted (sorting every pair took 1.4 s of the demo's 3.7)
    JOIN search_words s ON s.word = p.a || p.b
    CROSS JOIN LATERAL (SELECT tsvector_to_array(to_tsvector('souk', p.a)) AS la,
                               tsvector_to_array(to_tsvector('souk', p.b)) AS lb,
                               tsvector_to_array(to_tsvector('souk', s.word)) AS lj) l
    WHERE length(p.a) >= 3 AND length(p.b) >= 3 AND p.a ~ '^[a-z]+$' AND p.b ~ '^[a-z]+$'
      AND cardinality(la) = 1 AND cardinality(lb) = 1 AND cardinality(lj) = 1
      AND lj[1] <> la[1] AND lj[1] <> lb[1]
      AND lj[1] ~ '^[a-z]+$' AND la[1] ~ '^[a-z]+$' AND lb[1] ~ '^[a-z]+$'
    GROUP BY 1, 2, 3;
    GET DIAGNOSTICS n = ROW_COUNT;
    RETURN n;
END $$;

-- The query's words with their alternatives: ts_rewrite of q, target i
-- by substitute i in turn (the wanted words' websearch query keeps its
-- quotes, "or" and -word; only the words change).
CREATE OR REPLACE FUNCTION search_rewrite(q tsquery, targets tsquery[], substs tsquery[])
    RETURNS tsquery LANGUAGE plpgsql IMMUTABLE PARALLEL SAFE AS $$
BEGIN
    FOR i IN 1 .. COALESCE(cardinality(targets), 0) LOOP
        q := ts_rewrite(q, targets[i], substs[i]);
    END LOOP;
    RETURN q;
END $$;

SELECT search_refresh_compounds();
