-- souk-payd's own database (souk_payd): the provider's books, apart from
-- Souk's so that a rolled-back Souk transaction cannot erase what the
-- provider did. Applied by bin/souk before the daemon starts; idempotent.

-- A tokenised card: brand, last 4 and expiry only. The number and CVC
-- are checked and dropped; this test-mode provider keeps the test card's
-- outcome instead (decline_code NULL = approves).
CREATE TABLE IF NOT EXISTS payd_methods (
    token        text PRIMARY KEY,                -- 'pm_<hex>'
    brand        text NOT NULL,
    last4        char(4) NOT NULL,
    exp_month    int NOT NULL,
    exp_year     int NOT NULL,
    decline_code text,
    created_at   timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE IF NOT EXISTS payd_charges (
    ref        text PRIMARY KEY,                  -- 'ch_<hex>'
    method     text,
    amount     bigint NOT NULL CHECK (amount >= 0),
    currency   char(3) NOT NULL DEFAULT 'USD',
    status     text NOT NULL CHECK (status IN ('authorized', 'captured', 'voided')),
    captured   bigint NOT NULL DEFAULT 0 CHECK (captured BETWEEN 0 AND amount),
    refunded   bigint NOT NULL DEFAULT 0 CHECK (refunded BETWEEN 0 AND captured),
    brand      text NOT NULL DEFAULT '',
    last4      char(4),
    created_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT now()
);

-- One row per idempotency key: the first call's result, replayed after.
CREATE TABLE IF NOT EXISTS payd_ops (
    key          text PRIMARY KEY,
    op           text NOT NULL CHECK (op IN ('authorize', 'capture', 'void', 'refund')),
    charge_ref   text,
    amount       bigint NOT NULL DEFAULT 0,
    approved     boolean NOT NULL DEFAULT false,
    ref          text,                            -- charge or refund reference
    decline_code text,
    brand        text NOT NULL DEFAULT '',
    last4        char(4),
    created_at   timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX IF NOT EXISTS payd_ops_charge_idx ON payd_ops (charge_ref);

-- Seller payouts (souk's ledger, docs/MARKETPLACE.md): an op of its own.
ALTER TABLE payd_ops DROP CONSTRAINT IF EXISTS payd_ops_op_check;
ALTER TABLE payd_ops ADD CONSTRAINT payd_ops_op_check
    CHECK (op IN ('authorize', 'capture', 'void', 'refund', 'payout'));

-- The key pairs cards are sealed with (RSA-OAEP-SHA256, 3072 bits): made
-- by souk-payd on its first start; the newest is served as
-- GET /v1/encryption_key, the older ones stay so that a card sealed
-- before a rotation still opens by its key id. payd's own database only.
CREATE TABLE IF NOT EXISTS payd_keys (
    key_id      text PRIMARY KEY,                 -- 'k_<hex>'
    private_pem text NOT NULL,
    public_pem  text NOT NULL,
    created_at  timestamptz NOT NULL DEFAULT now()
);
