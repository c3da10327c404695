-- 042_ledger_hours: a seller's balance without summing every entry (the
-- dashboard of a seller with 100,000 orders, bench/seller-dashboard.sh).
-- ledger_hours holds the seller_payable entries' sum per account and per
-- hour (UTC) their order was delivered: '-infinity' for entries without an
-- order (payouts: settled at once), 'infinity' while the order is not
-- delivered. The triggers below keep it; ledger_balance (lib/shop/ledger.c)
-- reads the hours before the return window's cut whole and the cut's own
-- hour from the entries; `ledger check` compares it with the entries.
-- Idempotent.

CREATE TABLE IF NOT EXISTS ledger_hours (
    account_id bigint NOT NULL REFERENCES ledger_accounts,
    hour       timestamp NOT NULL,
    amount     bigint NOT NULL,
    PRIMARY KEY (account_id, hour)
);
-- the cut's hour: the orders delivered in it
CREATE INDEX IF NOT EXISTS orders_delivered_idx ON orders (delivered_at)
    WHERE delivered_at IS NOT NULL;
-- a booking asks whether the order has refunds to book (ledger_order_src)
CREATE INDEX IF NOT EXISTS refunds_order_idx ON refunds (order_id);

-- The lock every booking of one order takes (lib/shop/ledger.c), and the
-- delivery trigger below: one key for both. An order id past int's range
-- folds onto a smaller one (two orders sharing a lock only wait longer);
-- a plain ::int cast would fail every booking of such an order.
CREATE OR REPLACE FUNCTION ledger_order_lock(order_id bigint) RETURNS void
LANGUAGE sql AS $$
    SELECT pg_advisory_xact_lock(7411, (order_id % 2147483648)::int)
$$;

CREATE OR REPLACE FUNCTION ledger_hour_of(delivered timestamptz, has_order boolean)
RETURNS timestamp LANGUAGE sql IMMUTABLE AS $$
    SELECT CASE WHEN NOT has_order THEN '-infinity'::timestamp
                WHEN delivered IS NULL THEN 'infinity'::timestamp
                ELSE date_trunc('hour', delivered AT TIME ZONE 'UTC') END
$$;

CREATE OR REPLACE FUNCTION ledger_hours_add() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO ledger_hours (account_id, hour, amount)
    SELECT n.account_id, ledger_hour_of(o.delivered_at, t.order_id IS NOT NULL), sum(n.amount)
    FROM new_rows n JOIN ledger_accounts a ON a.id = n.account_id AND a.kind = 'seller_payable'
    JOIN ledger_transactions t ON t.id = n.transaction_id
    LEFT JOIN orders o ON o.id = t.order_id
    GROUP BY 1, 2
    ON CONFLICT (account_id, hour) DO UPDATE SET amount = ledger_hours.amount + EXCLUDED.amount;
    RETURN NULL;
END $$;
DROP TRIGGER IF EXISTS ledger_entries_hours ON ledger_entries;
CREATE TRIGGER ledger_entries_hours AFTER INSERT ON ledger_entries
    REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION ledger_hours_add();

-- An order delivered (or its date corrected) moves its sums to that hour.
CREATE OR REPLACE FUNCTION ledger_hours_deliver() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    -- the bookings' lock (ledger_order_lock): no entry of this order is
    -- being added meanwhile, and the next statement (a new snapshot) sees
    -- every entry booked before
    PERFORM ledger_order_lock(NEW.id);
    INSERT INTO ledger_hours (account_id, hour, amount)
    SELECT s.account_id, d.hour, sum(d.sign * s.amount)
    FROM (SELECT e.account_id, sum(e.amount) AS amount FROM ledger_transactions t
          JOIN ledger_entries e ON e.transaction_id = t.id
          JOIN ledger_accounts a ON a.id = e.account_id AND a.kind = 'seller_payable'
          WHERE t.order_id = NEW.id GROUP BY 1) s
    CROSS JOIN (VALUES (ledger_hour_of(OLD.delivered_at, true), -1),
                       (ledger_hour_of(NEW.delivered_at, true), 1)) d(hour, sign)
    GROUP BY 1, 2
    ON CONFLICT (account_id, hour) DO UPDATE SET amount = ledger_hours.amount + EXCLUDED.amount;
    RETURN NULL;
END $$;
DROP TRIGGER IF EXISTS orders_delivered_hours ON orders;
CREATE TRIGGER orders_delivered_hours AFTER UPDATE OF delivered_at ON orders
    FOR EACH ROW WHEN (OLD.delivered_at IS DISTINCT FROM NEW.delivered_at)
    EXECUTE FUNCTION ledger_hours_deliver();

-- the entries booked before this migration
DO $$
BEGIN
    IF NOT EXISTS (SELECT 1 FROM ledger_hours) THEN
        INSERT INTO ledger_hours (account_id, hour, amount)
        SELECT e.account_id, ledger_hour_of(o.delivered_at, t.order_id IS NOT NULL), sum(e.amount)
        FROM ledger_entries e JOIN ledger_accounts a ON a.id = e.account_id AND a.kind = 'seller_payable'
        JOIN ledger_transactions t ON t.id = e.transaction_id
        LEFT JOIN orders o ON o.id = t.order_id
        GROUP BY 1, 2;
    END IF;
END $$;
