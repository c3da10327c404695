-- 002_orders: accounts, orders, reservations, payments, returns, shipments
-- and the outbox (DESIGN.md §2-§4). Money is integer cents.

CREATE TABLE users (
    id            bigserial PRIMARY KEY,
    email         text NOT NULL,
    password_hash text NOT NULL,                 -- argon2id encoded string
    name          text NOT NULL DEFAULT '',
    role          text NOT NULL DEFAULT 'shopper' CHECK (role IN ('shopper', 'seller', 'admin')),
    seller_id     bigint REFERENCES sellers,
    created_at    timestamptz NOT NULL DEFAULT now(),
    CHECK ((role = 'seller') = (seller_id IS NOT NULL))
);
CREATE UNIQUE INDEX users_email_idx ON users (lower(email));

CREATE TABLE orders (
    id              bigserial PRIMARY KEY,
    public_id       text NOT NULL UNIQUE,        -- shown to shoppers, unguessable
    access_token    text NOT NULL,               -- lets a guest/API client read its order
    user_id         bigint REFERENCES users,
    email           text NOT NULL,
    status          text NOT NULL DEFAULT 'PENDING' CHECK (status IN
                    ('PENDING', 'CONFIRMED', 'PROCESSING', 'SHIPPED', 'DELIVERED',
                     'CANCELLED', 'RETURNED')),
    subtotal        bigint NOT NULL CHECK (subtotal >= 0),
    shipping        bigint NOT NULL CHECK (shipping >= 0),
    tax             bigint NOT NULL CHECK (tax >= 0),
    total           bigint NOT NULL CHECK (total = subtotal + shipping + tax),
    currency        char(3) NOT NULL DEFAULT 'USD',
    shipping_method text NOT NULL DEFAULT 'standard',
    address         jsonb NOT NULL,              -- {name,line1,line2,city,postal_code,country}
    idempotency_key text NOT NULL UNIQUE,
    created_at      timestamptz NOT NULL DEFAULT now(),
    updated_at      timestamptz NOT NULL DEFAULT now(),
    delivered_at    timestamptz
);
CREATE INDEX orders_user_idx ON orders (user_id, created_at DESC);
CREATE INDEX orders_status_idx ON orders (status, created_at DESC);

-- Snapshots, not references, for what was bought at which price.
CREATE TABLE order_items (
    id             bigserial PRIMARY KEY,
    order_id       bigint NOT NULL REFERENCES orders,
    sku_id         bigint NOT NULL REFERENCES offers,
    seller_id      bigint NOT NULL REFERENCES sellers,
    product_id     bigint NOT NULL REFERENCES products,
    title          text NOT NULL,
    variant        text NOT NULL DEFAULT '',     -- "Size 9, Black"
    unit_price     bigint NOT NULL CHECK (unit_price > 0),
    qty            int NOT NULL CHECK (qty BETWEEN 1 AND 99),
    commission_bps int NOT NULL,
    fulfillment    text NOT NULL CHECK (fulfillment IN ('FBA', 'FBM'))
);
CREATE INDEX order_items_order_idx ON order_items (order_id);

CREATE TABLE order_events (
    id          bigserial PRIMARY KEY,
    order_id    bigint NOT NULL REFERENCES orders,
    from_status text,                            -- NULL for the creating event
    to_status   text NOT NULL,
    actor       text NOT NULL,                   -- 'shopper', 'admin:3', 'worker', 'billing'
    note        text NOT NULL DEFAULT '',
    at          timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX order_events_order_idx ON order_events (order_id, id);

-- Commit and release are exactly-once: the inventory UPDATE and the status
-- change happen in one transaction guarded by WHERE status = 'held'.
CREATE TABLE reservations (
    id           bigserial PRIMARY KEY,
    order_id     bigint NOT NULL REFERENCES orders,
    sku_id       bigint NOT NULL,
    warehouse_id bigint NOT NULL,
    qty          int NOT NULL CHECK (qty > 0),
    status       text NOT NULL DEFAULT 'held' CHECK (status IN ('held', 'committed', 'released')),
    expires_at   timestamptz NOT NULL,
    created_at   timestamptz NOT NULL DEFAULT now(),
    updated_at   timestamptz NOT NULL DEFAULT now(),
    FOREIGN KEY (sku_id, warehouse_id) REFERENCES inventory (sku_id, warehouse_id)
);
CREATE INDEX reservations_order_idx ON reservations (order_id);
CREATE INDEX reservations_expiry_idx ON reservations (expires_at) WHERE status = 'held';

-- Never a card number: brand and last four digits only.
CREATE TABLE payments (
    id              bigserial PRIMARY KEY,
    order_id        bigint NOT NULL REFERENCES orders,
    provider        text NOT NULL,
    status          text NOT NULL CHECK (status IN
                    ('authorized', 'captured', 'voided', 'refunded', 'failed')),
    amount          bigint NOT NULL CHECK (amount >= 0),
    refunded_amount bigint NOT NULL DEFAULT 0 CHECK (refunded_amount BETWEEN 0 AND amount),
    provider_ref    text,
    decline_code    text,                        -- 'card_declined', 'insufficient_funds', ...
    brand           text NOT NULL DEFAULT '',
    last4           char(4),
    idempotency_key text NOT NULL UNIQUE,
    created_at      timestamptz NOT NULL DEFAULT now(),
    updated_at      timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX payments_order_idx ON payments (order_id);

CREATE TABLE refunds (
    id              bigserial PRIMARY KEY,
    payment_id      bigint NOT NULL REFERENCES payments,
    order_id        bigint NOT NULL REFERENCES orders,
    amount          bigint NOT NULL CHECK (amount > 0),
    reason          text NOT NULL DEFAULT '',
    provider_ref    text,
    idempotency_key text NOT NULL UNIQUE,
    created_at      timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE returns (
    id          bigserial PRIMARY KEY,
    order_id    bigint NOT NULL REFERENCES orders,
    status      text NOT NULL DEFAULT 'requested' CHECK (status IN
                ('requested', 'approved', 'received', 'rejected')),
    reason      text NOT NULL DEFAULT '',
    created_at  timestamptz NOT NULL DEFAULT now(),
    updated_at  timestamptz NOT NULL DEFAULT now()
);
-- at most one open return per order
CREATE UNIQUE INDEX returns_open_idx ON returns (order_id) WHERE status IN ('requested', 'approved');

CREATE TABLE shipments (
    id         bigserial PRIMARY KEY,
    order_id   bigint NOT NULL REFERENCES orders,
    seller_id  bigint REFERENCES sellers,
    carrier    text NOT NULL,
    tracking   text NOT NULL,
    status     text NOT NULL DEFAULT 'shipped' CHECK (status IN ('shipped', 'delivered')),
    created_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX shipments_order_idx ON shipments (order_id);

-- Written in the same transaction as the change it announces; the relay in
-- souk-worker publishes rows in id order to Redis Streams (souk:<topic>).
CREATE TABLE outbox (
    id           bigserial PRIMARY KEY,
    topic        text NOT NULL CHECK (topic IN ('orders', 'catalog', 'inventory')),
    key          text NOT NULL,                  -- e.g. the order's public_id
    payload      jsonb NOT NULL,                 -- {"type":"order.confirmed", ...}
    created_at   timestamptz NOT NULL DEFAULT now(),
    published_at timestamptz
);
CREATE INDEX outbox_unpublished_idx ON outbox (id) WHERE published_at IS NULL;

-- Consumers remember what they applied, so at-least-once delivery is safe:
-- the effect and this row commit together.
CREATE TABLE consumer_applied (
    consumer   text NOT NULL,                    -- 'billing', 'notifications', 'cache'
    event_id   bigint NOT NULL,                  -- outbox.id
    applied_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (consumer, event_id)
);
