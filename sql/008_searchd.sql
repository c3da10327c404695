-- 008_searchd: where souk-searchd's in-memory index refreshes from. Every
-- insert and update of a product stamps it with the writing transaction's
-- id; the daemon re-reads the rows whose stamp is at or above the oldest
-- transaction still running at its previous read (pg_snapshot_xmin), so
-- it misses no commit, whatever order transactions commit in.

-- Existing rows get this migration's transaction id (one table rewrite).
ALTER TABLE products ADD COLUMN search_xid xid8 NOT NULL DEFAULT pg_current_xact_id();

-- Every UPDATE restamps the row, whichever path writes it (catalog
-- edits, price_min and stock, the colour/size triggers of 003, imports).
CREATE FUNCTION products_search_xid() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    NEW.search_xid := pg_current_xact_id();
    RETURN NEW;
END $$;
CREATE TRIGGER products_search_xid BEFORE UPDATE ON products
    FOR EACH ROW EXECUTE FUNCTION products_search_xid();

-- A refresh reads the few rows above the watermark by this index.
CREATE INDEX products_search_xid_idx ON products (search_xid);
