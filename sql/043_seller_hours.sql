-- 043_seller_hours: the seller dashboard's 30-day figures without joining
-- every order of the seller (bench/seller-dashboard.sh: 100,000 orders,
-- 1.5 s per page before). Copies 042's approach: sums per seller and hour
-- kept by triggers in the writer's own transaction (statement triggers
-- queue the orders touched, a deferred trigger applies them at commit),
-- and the window's partial edge hours read from rows.
--
-- Two fact tables remember what each order and each shipment added, so
-- any change (an order's status, a return, a shipment shipped, an item
-- moved to a shipment) is applied as "take out what the order added,
-- recompute it from the rows, add it again" by seller_stats_sync(order
-- ids), the only writer of the three tables. Every figure keeps the old
-- query's definition (lib/shop/seller_stats.c):
--   seller_order_facts, one row per (order, seller of its items):
--     paid      the order's status is not PENDING or CANCELLED
--     cancelled the order's status is CANCELLED
--     gross     sum of the seller's items' unit_price * qty
--     defect    paid, and a return of the order is the seller's (or a
--               whole-order return, seller NULL, of a RETURNED order)
--   seller_ship_facts, one row per shipment with a seller:
--     counted   its order is not CANCELLED
--     pending   status 'pending'
--     late_done shipped_at > due_at (late whatever the clock says)
--     open      pending and the order CONFIRMED or PROCESSING
--     units     sum of qty of the items in the shipment
--   seller_hours, per seller and UTC hour (orders by their order's
--   created_at, shipments by their own created_at): paid orders, their
--   gross, cancelled orders, defects, shipments counted with a due date,
--   shipments counted and late_done.
-- What depends on the clock (due_at < now()) is read from the facts by
-- partial indexes over the few rows still open or not yet due.
-- Idempotent.

CREATE TABLE IF NOT EXISTS seller_order_facts (
    order_id   bigint NOT NULL,
    seller_id  bigint NOT NULL REFERENCES sellers,
    created_at timestamptz NOT NULL,
    paid       boolean NOT NULL,
    cancelled  boolean NOT NULL,
    gross      bigint NOT NULL,
    defect     boolean NOT NULL,
    PRIMARY KEY (order_id, seller_id)
);
CREATE INDEX IF NOT EXISTS seller_order_facts_seller_idx
    ON seller_order_facts (seller_id, created_at) INCLUDE (paid, cancelled, gross, defect);

CREATE TABLE IF NOT EXISTS seller_ship_facts (
    shipment_id bigint PRIMARY KEY,
    order_id    bigint NOT NULL,
    seller_id   bigint NOT NULL REFERENCES sellers,
    created_at  timestamptz NOT NULL,
    due_at      timestamptz,
    counted     boolean NOT NULL,
    pending     boolean NOT NULL,
    late_done   boolean NOT NULL,
    open        boolean NOT NULL,
    units       bigint NOT NULL
);
CREATE INDEX IF NOT EXISTS seller_ship_facts_order_idx ON seller_ship_facts (order_id);
CREATE INDEX IF NOT EXISTS seller_ship_facts_created_idx
    ON seller_ship_facts (seller_id, created_at) INCLUDE (due_at, counted, late_done);
-- units to ship and late shipments: the open ones, whatever their age
CREATE INDEX IF NOT EXISTS seller_ship_facts_open_idx
    ON seller_ship_facts (seller_id, due_at) INCLUDE (units) WHERE open;
-- due: the counted shipments not due yet (taken off the hours' count)
CREATE INDEX IF NOT EXISTS seller_ship_facts_due_idx
    ON seller_ship_facts (seller_id, due_at) INCLUDE (created_at) WHERE counted;
-- late: the pending ones past due that were not late_done already
CREATE INDEX IF NOT EXISTS seller_ship_facts_late_idx
    ON seller_ship_facts (seller_id, due_at) INCLUDE (created_at)
    WHERE counted AND pending AND NOT late_done;

CREATE TABLE IF NOT EXISTS seller_hours (
    seller_id  bigint NOT NULL REFERENCES sellers,
    hour       timestamptz NOT NULL,
    paid       bigint NOT NULL DEFAULT 0,
    gross      bigint NOT NULL DEFAULT 0,
    cancelled  bigint NOT NULL DEFAULT 0,
    defects    bigint NOT NULL DEFAULT 0,
    ship_due   bigint NOT NULL DEFAULT 0,
    ship_late  bigint NOT NULL DEFAULT 0,
    PRIMARY KEY (seller_id, hour)
);

-- The hour a time falls in, as an instant (whatever the session's zone).
CREATE OR REPLACE FUNCTION seller_hour_of(t timestamptz) RETURNS timestamptz
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
    SELECT date_bin('1 hour', t, TIMESTAMPTZ '2000-01-01 00:00:00+00')
$$;

-- Recomputes what the orders in ids add to their sellers' hours. Locks
-- the orders first (the app's own first lock on an order: order_lock,
-- checkout_lock, shipment and return locks), so two transactions
-- touching one order apply one after the other, the second seeing the
-- first's rows. One statement reads the facts as they were (old: the
-- statement's snapshot), writes the new ones (upsert, and delete those
-- gone: disjoint rows), and adds new - old to seller_hours only where a
-- sum moves (a write that changes no figure, say a PENDING order's items,
-- locks no hour row), in (hour, seller) order: every transaction locks
-- its hour rows in one sorted pass.
CREATE OR REPLACE FUNCTION seller_stats_sync(ids bigint[]) RETURNS void
LANGUAGE plpgsql AS $$
BEGIN
    IF ids IS NULL OR cardinality(ids) = 0 THEN
        RETURN;
    END IF;
    PERFORM 1 FROM orders WHERE id = ANY (ids) ORDER BY id FOR NO KEY UPDATE;

    WITH old_o AS (SELECT * FROM seller_order_facts WHERE order_id = ANY (ids)),
    new_o AS (
        SELECT o.id AS order_id, i.seller_id, o.created_at,
               o.status NOT IN ('PENDING', 'CANCELLED') AS paid, o.status = 'CANCELLED' AS cancelled,
               sum(i.unit_price * i.qty)::bigint AS gross,
               o.status NOT IN ('PENDING', 'CANCELLED') AND EXISTS (
                   SELECT 1 FROM returns r WHERE r.order_id = o.id
                   AND (r.seller_id = i.seller_id OR (r.seller_id IS NULL AND o.status = 'RETURNED'))) AS defect
        FROM orders o JOIN order_items i ON i.order_id = o.id
        WHERE o.id = ANY (ids)
        GROUP BY o.id, i.seller_id),
    up_o AS (
        INSERT INTO seller_order_facts AS f (order_id, seller_id, created_at, paid, cancelled, gross, defect)
        SELECT * FROM new_o
        ON CONFLICT (order_id, seller_id) DO UPDATE SET created_at = EXCLUDED.created_at,
            paid = EXCLUDED.paid, cancelled = EXCLUDED.cancelled, gross = EXCLUDED.gross,
            defect = EXCLUDED.defect
        WHERE (f.created_at, f.paid, f.cancelled, f.gross, f.defect) IS DISTINCT FROM
              (EXCLUDED.created_at, EXCLUDED.paid, EXCLUDED.cancelled, EXCLUDED.gross, EXCLUDED.defect)),
    gone_o AS (
        DELETE FROM seller_order_facts f WHERE f.order_id = ANY (ids)
        AND NOT EXISTS (SELECT 1 FROM new_o n WHERE n.order_id = f.order_id AND n.seller_id = f.seller_id)),
    old_s AS (SELECT * FROM seller_ship_facts WHERE order_id = ANY (ids)),
    new_s AS (
        SELECT s.id AS shipment_id, s.order_id, s.seller_id, s.created_at, s.due_at,
               o.status <> 'CANCELLED' AS counted, s.status = 'pending' AS pending,
               COALESCE(s.shipped_at > s.due_at, false) AS late_done,
               s.status = 'pending' AND o.status IN ('CONFIRMED', 'PROCESSING') AS open,
               COALESCE((SELECT sum(i.qty) FROM order_items i WHERE i.shipment_id = s.id), 0)::bigint AS units
        FROM shipments s JOIN orders o ON o.id = s.order_id
        WHERE s.order_id = ANY (ids) AND s.seller_id IS NOT NULL),
    up_s AS (
        INSERT INTO seller_ship_facts AS f (shipment_id, order_id, seller_id, created_at, due_at,
                                            counted, pending, late_done, open, units)
        SELECT * FROM new_s
        ON CONFLICT (shipment_id) DO UPDATE SET order_id = EXCLUDED.order_id,
            seller_id = EXCLUDED.seller_id, created_at = EXCLUDED.created_at, due_at = EXCLUDED.due_at,
            counted = EXCLUDED.counted, pending = EXCLUDED.pending, late_done = EXCLUDED.late_done,
            open = EXCLUDED.open, units = EXCLUDED.units
        WHERE (f.order_id, f.seller_id, f.created_at, f.due_at, f.counted, f.pending, f.late_done, f.open, f.units)
              IS DISTINCT FROM (EXCLUDED.order_id, EXCLUDED.seller_id, EXCLUDED.created_at, EXCLUDED.due_at,
                                EXCLUDED.counted, EXCLUDED.pending, EXCLUDED.late_done, EXCLUDED.open,
                                EXCLUDED.units)),
    gone_s AS (
        DELETE FROM seller_ship_facts f WHERE f.order_id = ANY (ids)
        AND NOT EXISTS (SELECT 1 FROM new_s n WHERE n.shipment_id = f.shipment_id)),
    d AS (
        SELECT seller_id, seller_hour_of(created_at) AS hour, sign * paid::int AS paid,
               CASE WHEN paid THEN sign * gross ELSE 0 END AS gross,
               sign * cancelled::int AS cancelled, sign * defect::int AS defects, 0 AS ship_due, 0 AS ship_late
        FROM (SELECT -1 AS sign, * FROM old_o UNION ALL SELECT 1, * FROM new_o) x
        UNION ALL
        SELECT seller_id, seller_hour_of(created_at), 0, 0, 0, 0,
               sign * (counted AND due_at IS NOT NULL)::int, sign * (counted AND late_done)::int
        FROM (SELECT -1 AS sign, * FROM old_s UNION ALL SELECT 1, * FROM new_s) y)
    INSERT INTO seller_hours AS h (seller_id, hour, paid, gross, cancelled, defects, ship_due, ship_late)
    SELECT seller_id, hour, sum(paid), sum(gross), sum(cancelled), sum(defects), sum(ship_due), sum(ship_late)
    FROM d GROUP BY 1, 2
    HAVING (sum(paid), sum(gross), sum(cancelled), sum(defects), sum(ship_due), sum(ship_late))
           <> (0, 0, 0, 0, 0, 0)
    ORDER BY 2, 1
    ON CONFLICT (seller_id, hour) DO UPDATE SET paid = h.paid + EXCLUDED.paid,
        gross = h.gross + EXCLUDED.gross, cancelled = h.cancelled + EXCLUDED.cancelled,
        defects = h.defects + EXCLUDED.defects, ship_due = h.ship_due + EXCLUDED.ship_due,
        ship_late = h.ship_late + EXCLUDED.ship_late;
END $$;

-- The orders a transaction touched wait here until it commits: a
-- deferred trigger syncs them all at once, after every other lock the
-- transaction takes. Syncing at each statement took a seller's hour row
-- in the middle of checkout, between its inventory locks (reserve:
-- shipments before stock; confirm: stock before the order's move): two
-- checkouts of one seller deadlocked (88-ledger-concurrency). Unlogged:
-- a committed transaction leaves no row here, so a crash loses nothing.
CREATE UNLOGGED TABLE IF NOT EXISTS seller_stats_dirty (
    xid      xid8 NOT NULL DEFAULT pg_current_xact_id(),
    order_id bigint NOT NULL
);
CREATE INDEX IF NOT EXISTS seller_stats_dirty_xid_idx ON seller_stats_dirty (xid);

-- queues ids and marks the transaction as having a queue (a setting local
-- to the transaction)
CREATE OR REPLACE FUNCTION seller_stats_touch(ids bigint[]) RETURNS void LANGUAGE plpgsql AS $$
BEGIN
    IF cardinality(ids) > 0 THEN
        INSERT INTO seller_stats_dirty (order_id) SELECT DISTINCT unnest(ids);
        PERFORM set_config('souk.seller_stats_queued', 'on', true);
    END IF;
END $$;

-- One event per row queued; the first to fire takes the transaction's
-- whole queue and clears the mark, the others return at once (a DELETE
-- each would scan the rows the first one deleted, still in the index:
-- 100,000 queued orders took minutes).
CREATE OR REPLACE FUNCTION seller_stats_apply() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    ids bigint[];
BEGIN
    IF current_setting('souk.seller_stats_queued', true) IS DISTINCT FROM 'on' THEN
        RETURN NULL;
    END IF;
    PERFORM set_config('souk.seller_stats_queued', 'off', true);
    WITH q AS (DELETE FROM seller_stats_dirty WHERE xid = pg_current_xact_id() RETURNING order_id)
    SELECT array_agg(DISTINCT order_id) INTO ids FROM q;
    PERFORM seller_stats_sync(ids);
    RETURN NULL;
END $$;
DROP TRIGGER IF EXISTS seller_stats_apply ON seller_stats_dirty;
CREATE CONSTRAINT TRIGGER seller_stats_apply AFTER INSERT ON seller_stats_dirty
    DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION seller_stats_apply();

-- The triggers: one per table and event (a trigger with transition
-- tables has one event and no column list), each queueing the orders its
-- statement touched; an order's update passes only the orders whose
-- status or date changed (updated_at, delivered_at cost nothing).
CREATE OR REPLACE FUNCTION seller_stats_orders_upd() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM seller_stats_touch(ARRAY(
        SELECT n.id FROM new_rows n JOIN old_rows o ON o.id = n.id
        WHERE (n.status, n.created_at) IS DISTINCT FROM (o.status, o.created_at)));
    RETURN NULL;
END $$;
CREATE OR REPLACE FUNCTION seller_stats_orders_del() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM seller_stats_touch(ARRAY(SELECT id FROM old_rows));
    RETURN NULL;
END $$;
CREATE OR REPLACE FUNCTION seller_stats_by_order() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    ids bigint[] := '{}';
BEGIN
    IF TG_OP <> 'DELETE' THEN
        ids := ARRAY(SELECT order_id FROM new_rows);
    END IF;
    IF TG_OP <> 'INSERT' THEN
        ids := ids || ARRAY(SELECT order_id FROM old_rows);
    END IF;
    PERFORM seller_stats_touch(ids);
    RETURN NULL;
END $$;

-- trigger seller_stats_<table>_<event> runs function fn
DO $$
DECLARE
    t record;
BEGIN
    FOR t IN SELECT * FROM (VALUES
        ('orders', 'UPDATE', 'seller_stats_orders_upd'), ('orders', 'DELETE', 'seller_stats_orders_del'),
        ('order_items', 'INSERT', 'seller_stats_by_order'), ('order_items', 'UPDATE', 'seller_stats_by_order'),
        ('order_items', 'DELETE', 'seller_stats_by_order'),
        ('shipments', 'INSERT', 'seller_stats_by_order'), ('shipments', 'UPDATE', 'seller_stats_by_order'),
        ('shipments', 'DELETE', 'seller_stats_by_order'),
        ('returns', 'INSERT', 'seller_stats_by_order'), ('returns', 'UPDATE', 'seller_stats_by_order'),
        ('returns', 'DELETE', 'seller_stats_by_order')) v(tab, ev, fn)
    LOOP
        EXECUTE format('DROP TRIGGER IF EXISTS %I ON %I', 'seller_stats_' || t.tab || '_' || lower(t.ev), t.tab);
        EXECUTE format('CREATE TRIGGER %I AFTER %s ON %I REFERENCING %s FOR EACH STATEMENT EXECUTE FUNCTION %I()',
                       'seller_stats_' || t.tab || '_' || lower(t.ev), t.ev, t.tab,
                       CASE t.ev WHEN 'INSERT' THEN 'NEW TABLE AS new_rows'
                                 WHEN 'DELETE' THEN 'OLD TABLE AS old_rows'
                                 ELSE 'NEW TABLE AS new_rows OLD TABLE AS old_rows' END, t.fn);
    END LOOP;
END $$;

-- the orders written before this migration
DO $$
BEGIN
    IF NOT EXISTS (SELECT 1 FROM seller_order_facts) AND NOT EXISTS (SELECT 1 FROM seller_ship_facts) THEN
        PERFORM seller_stats_sync(ARRAY(SELECT id FROM orders));
    END IF;
END $$;
