-- 020_flash: flash sales (docs/FLASH.md). A sale sets units of one offer
-- aside (moved out of normal stock at create, the unsold rest moved back
-- at its end); units_sold is the final word on what was sold: a flash
-- order raises it with a conditional UPDATE in the order's transaction,
-- a decline or expiry lowers it again. Queue state lives in Redis; the
-- ck_* columns are its checkpoint (every second, souk-worker's `flash`
-- job) from which a lost Redis is rebuilt.
CREATE TABLE IF NOT EXISTS flash_sales (
    id             bigserial PRIMARY KEY,
    sku_id         bigint NOT NULL REFERENCES offers,
    units          int NOT NULL CHECK (units >= 0),
    units_sold     int NOT NULL DEFAULT 0 CHECK (units_sold >= 0),
    price          bigint NOT NULL CHECK (price > 0),             -- cents
    prequeue_at    timestamptz NOT NULL,
    starts_at      timestamptz NOT NULL,
    ends_at        timestamptz NOT NULL,
    per_customer   int NOT NULL DEFAULT 2 CHECK (per_customer BETWEEN 1 AND 99),
    max_active     int NOT NULL DEFAULT 100 CHECK (max_active BETWEEN 1 AND 100000),
    admit_per_min  int NOT NULL DEFAULT 600 CHECK (admit_per_min BETWEEN 1 AND 1000000),
    pass_minutes   int NOT NULL DEFAULT 10 CHECK (pass_minutes BETWEEN 1 AND 1440),
    over_admit_pct int NOT NULL DEFAULT 150 CHECK (over_admit_pct BETWEEN 100 AND 1000),
    state          text NOT NULL DEFAULT 'scheduled'
                   CHECK (state IN ('scheduled', 'paused', 'ended')),
    started_event  boolean NOT NULL DEFAULT false,
    sold_out_event boolean NOT NULL DEFAULT false,
    -- checkpoint of the Redis queue: last ticket number, admission
    -- pointer (a queue score; -1 none yet), admitted count
    ck_seq         bigint NOT NULL DEFAULT 0,
    ck_adm         double precision NOT NULL DEFAULT -1,
    ck_admitted    bigint NOT NULL DEFAULT 0,
    ck_at          timestamptz,
    created_at     timestamptz NOT NULL DEFAULT now(),
    ended_at       timestamptz,
    CHECK (units_sold <= units),
    CHECK (prequeue_at <= starts_at AND starts_at < ends_at)
);
CREATE INDEX IF NOT EXISTS flash_sales_live ON flash_sales (ends_at) WHERE state <> 'ended';
CREATE INDEX IF NOT EXISTS flash_sales_sku ON flash_sales (sku_id);

-- Where the sale's units came from, so the end gives them back there.
CREATE TABLE IF NOT EXISTS flash_stock (
    sale_id      bigint NOT NULL REFERENCES flash_sales,
    warehouse_id bigint NOT NULL REFERENCES warehouses,
    qty          int NOT NULL CHECK (qty > 0),
    returned     int NOT NULL DEFAULT 0,
    PRIMARY KEY (sale_id, warehouse_id),
    CHECK (returned BETWEEN 0 AND qty)
);

-- The flash orders (placed through checkout, without inventory
-- reservations: the units are the sale's). customer: the cart_caller tag
-- (u:<user> or s:<sha256 of the session>), for the per-customer limit.
CREATE TABLE IF NOT EXISTS flash_orders (
    order_id   bigint PRIMARY KEY REFERENCES orders,
    sale_id    bigint NOT NULL REFERENCES flash_sales,
    customer   text NOT NULL,
    ticket     bigint NOT NULL,
    qty        int NOT NULL CHECK (qty > 0),
    released   boolean NOT NULL DEFAULT false,
    created_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX IF NOT EXISTS flash_orders_customer ON flash_orders (sale_id, customer)
    WHERE NOT released;

-- The sales' events (flash.created / started / sold_out / ended) go to
-- their own stream, souk:flash. (A later migration that rebuilds this
-- constraint must keep 'flash'.)
ALTER TABLE outbox DROP CONSTRAINT IF EXISTS outbox_topic_check;
ALTER TABLE outbox ADD CONSTRAINT outbox_topic_check
    CHECK (topic IN ('orders', 'catalog', 'inventory', 'payments', 'flash'));
