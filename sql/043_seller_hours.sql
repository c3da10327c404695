-- 043_seller_hours: the seller dashboard's 30-day figures without joining
-- every order of the seller (bench/seller-dashboard.sh: 100,000 orders,
-- 1.5 s per page before). Copies 042's approach: sums per seller and hour
-- kept by statement triggers in the writer's own transaction, and the
-- window's partial edge hours read from rows.
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
-- touching one order through different tables apply one after the
-- other, the second's statements seeing the first's rows. Rows are
-- added to seller_hours in (hour, seller) order so concurrent writers
-- lock them in one order.
CREATE OR REPLACE FUNCTION seller_stats_sync(ids bigint[]) RETURNS void
LANGUAGE plpgsql AS $$
BEGIN
    IF ids IS NULL OR cardinality(ids) = 0 THEN
        RETURN;
    END IF;
    PERFORM 1 FROM orders WHERE id = ANY (ids) ORDER BY id FOR NO KEY UPDATE;

    -- take out what the orders added
    WITH f AS (DELETE FROM seller_order_facts WHERE order_id = ANY (ids) RETURNING *)
    INSERT INTO seller_hours AS h (seller_id, hour, paid, gross, cancelled, defects)
    SELECT seller_id, seller_hour_of(created_at), -count(*) FILTER (WHERE paid),
           -COALESCE(sum(gross) FILTER (WHERE paid), 0), -count(*) FILTER (WHERE cancelled),
           -count(*) FILTER (WHERE defect)
    FROM f GROUP BY 1, 2 ORDER BY 2, 1
    ON CONFLICT (seller_id, hour) DO UPDATE SET paid = h.paid + EXCLUDED.paid,
        gross = h.gross + EXCLUDED.gross, cancelled = h.cancelled + EXCLUDED.cancelled,
        defects = h.defects + EXCLUDED.defects;
    WITH f AS (DELETE FROM seller_ship_facts WHERE order_id = ANY (ids) RETURNING *)
    INSERT INTO seller_hours AS h (seller_id, hour, ship_due, ship_late)
    SELECT seller_id, seller_hour_of(created_at),
           -count(*) FILTER (WHERE counted AND due_at IS NOT NULL),
           -count(*) FILTER (WHERE counted AND late_done)
    FROM f GROUP BY 1, 2 ORDER BY 2, 1
    ON CONFLICT (seller_id, hour) DO UPDATE SET ship_due = h.ship_due + EXCLUDED.ship_due,
        ship_late = h.ship_late + EXCLUDED.ship_late;

    -- and add them again, as the rows are now
    WITH f AS (
        INSERT INTO seller_order_facts (order_id, seller_id, created_at, paid, cancelled, gross, defect)
        SELECT o.id, i.seller_id, o.created_at,
               o.status NOT IN ('PENDING', 'CANCELLED'), o.status = 'CANCELLED',
               sum(i.unit_price * i.qty)::bigint,
               o.status NOT IN ('PENDING', 'CANCELLED') AND EXISTS (
                   SELECT 1 FROM returns r WHERE r.order_id = o.id
                   AND (r.seller_id = i.seller_id OR (r.seller_id IS NULL AND o.status = 'RETURNED')))
        FROM orders o JOIN order_items i ON i.order_id = o.id
        WHERE o.id = ANY (ids)
        GROUP BY o.id, i.seller_id
        RETURNING *)
    INSERT INTO seller_hours AS h (seller_id, hour, paid, gross, cancelled, defects)
    SELECT seller_id, seller_hour_of(created_at), count(*) FILTER (WHERE paid),
           COALESCE(sum(gross) FILTER (WHERE paid), 0), count(*) FILTER (WHERE cancelled),
           count(*) FILTER (WHERE defect)
    FROM f GROUP BY 1, 2 ORDER BY 2, 1
    ON CONFLICT (seller_id, hour) DO UPDATE SET paid = h.paid + EXCLUDED.paid,
        gross = h.gross + EXCLUDED.gross, cancelled = h.cancelled + EXCLUDED.cancelled,
        defects = h.defects + EXCLUDED.defects;
    WITH f AS (
        INSERT INTO seller_ship_facts (shipment_id, order_id, seller_id, created_at, due_at,
                                       counted, pending, late_done, open, units)
        SELECT s.id, s.order_id, s.seller_id, s.created_at, s.due_at,
               o.status <> 'CANCELLED', s.status = 'pending', COALESCE(s.shipped_at > s.due_at, false),
               s.status = 'pending' AND o.status IN ('CONFIRMED', 'PROCESSING'),
               COALESCE((SELECT sum(i.qty) FROM order_items i WHERE i.shipment_id = s.id), 0)
        FROM shipments s JOIN orders o ON o.id = s.order_id
        WHERE s.order_id = ANY (ids) AND s.seller_id IS NOT NULL
        RETURNING *)
    INSERT INTO seller_hours AS h (seller_id, hour, ship_due, ship_late)
    SELECT seller_id, seller_hour_of(created_at),
           count(*) FILTER (WHERE counted AND due_at IS NOT NULL),
           count(*) FILTER (WHERE counted AND late_done)
    FROM f GROUP BY 1, 2 ORDER BY 2, 1
    ON CONFLICT (seller_id, hour) DO UPDATE SET ship_due = h.ship_due + EXCLUDED.ship_due,
        ship_late = h.ship_late + EXCLUDED.ship_late;
END $$;

-- The triggers: one per table and event (a trigger with transition
-- tables has one event and no column list), each passing the orders its
-- statement touched; an update passes only the rows whose columns the
-- figures read changed (an order's updated_at or delivered_at costs
-- nothing).
CREATE OR REPLACE FUNCTION seller_stats_orders_upd() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM seller_stats_sync(ARRAY(
        SELECT n.id FROM new_rows n JOIN old_rows o ON o.id = n.id
        WHERE (n.status, n.created_at) IS DISTINCT FROM (o.status, o.created_at)));
    RETURN NULL;
END $$;
CREATE OR REPLACE FUNCTION seller_stats_orders_del() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM seller_stats_sync(ARRAY(SELECT id FROM old_rows));
    RETURN NULL;
END $$;
-- items: their order, and the order of the shipment they point at
CREATE OR REPLACE FUNCTION seller_stats_items_new() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM seller_stats_sync(ARRAY(
        SELECT order_id FROM new_rows
        UNION SELECT s.order_id FROM shipments s WHERE s.id IN (SELECT shipment_id FROM new_rows)));
    RETURN NULL;
END $$;
CREATE OR REPLACE FUNCTION seller_stats_items_upd() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM seller_stats_sync(ARRAY(
        SELECT x.order_id FROM new_rows n JOIN old_rows o ON o.id = n.id
        CROSS JOIN LATERAL (VALUES (n.order_id), (o.order_id)) x(order_id)
        WHERE (n.order_id, n.seller_id, n.unit_price, n.qty, n.shipment_id)
              IS DISTINCT FROM (o.order_id, o.seller_id, o.unit_price, o.qty, o.shipment_id)
        UNION SELECT s.order_id FROM shipments s WHERE s.id IN (
            SELECT x.shipment_id FROM new_rows n JOIN old_rows o ON o.id = n.id
            CROSS JOIN LATERAL (VALUES (n.shipment_id), (o.shipment_id)) x(shipment_id)
            WHERE n.shipment_id IS DISTINCT FROM o.shipment_id OR n.qty <> o.qty)));
    RETURN NULL;
END $$;
CREATE OR REPLACE FUNCTION seller_stats_items_del() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM seller_stats_sync(ARRAY(
        SELECT order_id FROM old_rows
        UNION SELECT s.order_id FROM shipments s WHERE s.id IN (SELECT shipment_id FROM old_rows)));
    RETURN NULL;
END $$;
-- shipments and returns: their order (an update: the old order too)
CREATE OR REPLACE FUNCTION seller_stats_by_order_new() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM seller_stats_sync(ARRAY(SELECT DISTINCT order_id FROM new_rows));
    RETURN NULL;
END $$;
CREATE OR REPLACE FUNCTION seller_stats_by_order_del() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM seller_stats_sync(ARRAY(SELECT DISTINCT order_id FROM old_rows));
    RETURN NULL;
END $$;
CREATE OR REPLACE FUNCTION seller_stats_shipments_upd() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM seller_stats_sync(ARRAY(
        SELECT x.order_id FROM new_rows n JOIN old_rows o ON o.id = n.id
        CROSS JOIN LATERAL (VALUES (n.order_id), (o.order_id)) x(order_id)
        WHERE (n.order_id, n.seller_id, n.status, n.created_at, n.due_at, n.shipped_at)
              IS DISTINCT FROM (o.order_id, o.seller_id, o.status, o.created_at, o.due_at, o.shipped_at)));
    RETURN NULL;
END $$;
-- a return's status does not matter (any return of a paid order is a defect)
CREATE OR REPLACE FUNCTION seller_stats_returns_upd() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM seller_stats_sync(ARRAY(
        SELECT x.order_id FROM new_rows n JOIN old_rows o ON o.id = n.id
        CROSS JOIN LATERAL (VALUES (n.order_id), (o.order_id)) x(order_id)
        WHERE (n.order_id, n.seller_id) IS DISTINCT FROM (o.order_id, o.seller_id)));
    RETURN NULL;
END $$;

DROP TRIGGER IF EXISTS seller_stats_orders_upd ON orders;
CREATE TRIGGER seller_stats_orders_upd AFTER UPDATE ON orders
    REFERENCING NEW TABLE AS new_rows OLD TABLE AS old_rows
    FOR EACH STATEMENT EXECUTE FUNCTION seller_stats_orders_upd();
DROP TRIGGER IF EXISTS seller_stats_orders_del ON orders;
CREATE TRIGGER seller_stats_orders_del AFTER DELETE ON orders
    REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION seller_stats_orders_del();
DROP TRIGGER IF EXISTS seller_stats_items_ins ON order_items;
CREATE TRIGGER seller_stats_items_ins AFTER INSERT ON order_items
    REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION seller_stats_items_new();
DROP TRIGGER IF EXISTS seller_stats_items_upd ON order_items;
CREATE TRIGGER seller_stats_items_upd AFTER UPDATE ON order_items
    REFERENCING NEW TABLE AS new_rows OLD TABLE AS old_rows
    FOR EACH STATEMENT EXECUTE FUNCTION seller_stats_items_upd();
DROP TRIGGER IF EXISTS seller_stats_items_del ON order_items;
CREATE TRIGGER seller_stats_items_del AFTER DELETE ON order_items
    REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION seller_stats_items_del();
DROP TRIGGER IF EXISTS seller_stats_shipments_ins ON shipments;
CREATE TRIGGER seller_stats_shipments_ins AFTER INSERT ON shipments
    REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION seller_stats_by_order_new();
DROP TRIGGER IF EXISTS seller_stats_shipments_upd ON shipments;
CREATE TRIGGER seller_stats_shipments_upd AFTER UPDATE ON shipments
    REFERENCING NEW TABLE AS new_rows OLD TABLE AS old_rows
    FOR EACH STATEMENT EXECUTE FUNCTION seller_stats_shipments_upd();
DROP TRIGGER IF EXISTS seller_stats_shipments_del ON shipments;
CREATE TRIGGER seller_stats_shipments_del AFTER DELETE ON shipments
    REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION seller_stats_by_order_del();
DROP TRIGGER IF EXISTS seller_stats_returns_ins ON returns;
CREATE TRIGGER seller_stats_returns_ins AFTER INSERT ON returns
    REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION seller_stats_by_order_new();
DROP TRIGGER IF EXISTS seller_stats_returns_upd ON returns;
CREATE TRIGGER seller_stats_returns_upd AFTER UPDATE ON returns
    REFERENCING NEW TABLE AS new_rows OLD TABLE AS old_rows
    FOR EACH STATEMENT EXECUTE FUNCTION seller_stats_returns_upd();
DROP TRIGGER IF EXISTS seller_stats_returns_del ON returns;
CREATE TRIGGER seller_stats_returns_del AFTER DELETE ON returns
    REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION seller_stats_by_order_del();

-- the orders written before this migration
DO $$
BEGIN
    IF NOT EXISTS (SELECT 1 FROM seller_order_facts) AND NOT EXISTS (SELECT 1 FROM seller_ship_facts) THEN
        PERFORM seller_stats_sync(ARRAY(SELECT id FROM orders));
    END IF;
END $$;
