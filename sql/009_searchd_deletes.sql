-- 009_searchd_deletes: a deleted product leaves souk-searchd's index too.
-- A DELETE leaves no row to stamp (008), so each deleted product id is
-- written here with the deleting transaction's id, and the daemon's
-- refresh reads it with the same watermark as the products. Deletes are
-- rare (orders keep products alive), so the table stays small.
CREATE TABLE search_deleted (
    product_id bigint NOT NULL,
    search_xid xid8 NOT NULL DEFAULT pg_current_xact_id()
);
CREATE INDEX search_deleted_xid_idx ON search_deleted (search_xid);

CREATE FUNCTION products_search_deleted() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO search_deleted (product_id) SELECT id FROM old_rows;
    RETURN NULL;
END $$;
CREATE TRIGGER products_search_deleted AFTER DELETE ON products
    REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT
    EXECUTE FUNCTION products_search_deleted();
