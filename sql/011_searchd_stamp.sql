-- 011_searchd_stamp: every row souk-searchd must re-read carries the
-- writing transaction's id, whatever the writer supplied or switched off.
-- 008 stamped inserts only by a column DEFAULT, so a writer that set
-- search_xid (a copy of whole rows, a restore) left an old stamp below the
-- daemon's watermark and the row was never read. The trigger now stamps
-- inserts too and overwrites any supplied value, and it fires ALWAYS:
-- also in sessions with session_replication_role = replica (bulk loads,
-- logical replication), which skip ordinary triggers. What still bypasses
-- it (ALTER TABLE ... DISABLE TRIGGER, pg_restore --disable-triggers) is
-- found by the daemon's reconciliation (docs/SEARCH.md, "Freshness").
-- Idempotent (CREATE OR REPLACE, DROP ... IF EXISTS): safe to run again.

CREATE OR REPLACE FUNCTION products_search_xid() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    NEW.search_xid := pg_current_xact_id();
    RETURN NEW;
END $$;

DROP TRIGGER IF EXISTS products_search_xid ON products;
CREATE TRIGGER products_search_xid BEFORE INSERT OR UPDATE ON products
    FOR EACH ROW EXECUTE FUNCTION products_search_xid();
ALTER TABLE products ENABLE ALWAYS TRIGGER products_search_xid;

-- A delete under session_replication_role = replica must reach the
-- daemon too (009's statement trigger).
ALTER TABLE products ENABLE ALWAYS TRIGGER products_search_deleted;
