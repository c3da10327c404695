-- 040_fulfilment: split fulfilment (one shipment per seller and per
-- FBA/FBM, created pending with the order), returns of a seller's items,
-- and commission rates per category with a seller override. Idempotent.

-- A shipment is created 'pending' at checkout; carrier and tracking come
-- when the seller (FBM) or the platform (FBA) ships it.
ALTER TABLE shipments ALTER COLUMN carrier DROP NOT NULL;
ALTER TABLE shipments ALTER COLUMN tracking DROP NOT NULL;
ALTER TABLE shipments ADD COLUMN IF NOT EXISTS fulfillment text
    CHECK (fulfillment IN ('FBA', 'FBM'));
ALTER TABLE shipments ADD COLUMN IF NOT EXISTS shipped_at timestamptz;
ALTER TABLE shipments ADD COLUMN IF NOT EXISTS delivered_at timestamptz;
-- ship by: two days after the order (late shipment rate, Buy Box)
ALTER TABLE shipments ADD COLUMN IF NOT EXISTS due_at timestamptz;
ALTER TABLE shipments DROP CONSTRAINT IF EXISTS shipments_status_check;
ALTER TABLE shipments ADD CONSTRAINT shipments_status_check
    CHECK (status IN ('pending', 'shipped', 'delivered', 'cancelled'));
CREATE INDEX IF NOT EXISTS shipments_seller_idx ON shipments (seller_id, created_at DESC);
CREATE INDEX IF NOT EXISTS shipments_seller_open_idx ON shipments (seller_id, due_at)
    WHERE status = 'pending';
ALTER TABLE order_items ADD COLUMN IF NOT EXISTS shipment_id bigint REFERENCES shipments;
CREATE INDEX IF NOT EXISTS order_items_shipment_idx ON order_items (shipment_id);
CREATE INDEX IF NOT EXISTS order_items_seller_idx ON order_items (seller_id, order_id);

-- A return belongs to one seller's items (NULL: a whole-order return from
-- before the marketplace); at most one open return per order and seller.
ALTER TABLE returns ADD COLUMN IF NOT EXISTS seller_id bigint REFERENCES sellers;
DROP INDEX IF EXISTS returns_open_idx;
CREATE UNIQUE INDEX IF NOT EXISTS returns_open_seller_idx ON returns (order_id, COALESCE(seller_id, 0))
    WHERE status IN ('requested', 'approved');
CREATE INDEX IF NOT EXISTS returns_seller_idx ON returns (seller_id, created_at DESC);
CREATE TABLE IF NOT EXISTS return_items (
    return_id     bigint NOT NULL REFERENCES returns,
    order_item_id bigint NOT NULL REFERENCES order_items,
    qty           int NOT NULL CHECK (qty BETWEEN 1 AND 99),
    PRIMARY KEY (return_id, order_item_id)
);

-- The commission a sale pays: the category's rate unless the seller has
-- an override (both 5-20 %), snapshot into order_items.commission_bps.
ALTER TABLE categories ADD COLUMN IF NOT EXISTS commission_bps int NOT NULL DEFAULT 1000
    CHECK (commission_bps BETWEEN 500 AND 2000);
ALTER TABLE sellers ADD COLUMN IF NOT EXISTS commission_override_bps int
    CHECK (commission_override_bps BETWEEN 500 AND 2000);
ALTER TABLE sellers ADD COLUMN IF NOT EXISTS status text NOT NULL DEFAULT 'active';
-- The Buy Box compares offers by age.
ALTER TABLE offers ADD COLUMN IF NOT EXISTS created_at timestamptz NOT NULL DEFAULT now();
