-- 030_sellers: seller onboarding (status, contact, payout account, who
-- applied), seller API keys (hashed), and the 'suspended' product status
-- that hides a product whose only sellers are suspended. Idempotent.

ALTER TABLE sellers ADD COLUMN IF NOT EXISTS status text NOT NULL DEFAULT 'active';
ALTER TABLE sellers ADD COLUMN IF NOT EXISTS contact_email text NOT NULL DEFAULT '';
ALTER TABLE sellers ADD COLUMN IF NOT EXISTS payout_account text NOT NULL DEFAULT '';
ALTER TABLE sellers ADD COLUMN IF NOT EXISTS applicant_id bigint REFERENCES users;
ALTER TABLE sellers ADD COLUMN IF NOT EXISTS status_changed_at timestamptz NOT NULL DEFAULT now();
ALTER TABLE sellers ADD COLUMN IF NOT EXISTS status_note text NOT NULL DEFAULT '';

DO $$
BEGIN
    IF NOT EXISTS (SELECT 1 FROM pg_constraint WHERE conname = 'sellers_status_check') THEN
        ALTER TABLE sellers ADD CONSTRAINT sellers_status_check
            CHECK (status IN ('pending', 'active', 'rejected', 'suspended'));
    END IF;
    -- a product hidden because every seller of it is suspended
    IF NOT EXISTS (SELECT 1 FROM pg_constraint WHERE conname = 'products_status_check'
                   AND pg_get_constraintdef(oid) LIKE '%suspended%') THEN
        ALTER TABLE products DROP CONSTRAINT IF EXISTS products_status_check;
        ALTER TABLE products ADD CONSTRAINT products_status_check
            CHECK (status IN ('active', 'withdrawn', 'suspended'));
    END IF;
END $$;

-- one open application per account
CREATE UNIQUE INDEX IF NOT EXISTS sellers_pending_applicant_idx
    ON sellers (applicant_id) WHERE status = 'pending';
CREATE INDEX IF NOT EXISTS sellers_status_idx ON sellers (status, id);
CREATE INDEX IF NOT EXISTS offers_seller_idx ON offers (seller_id, id);
CREATE INDEX IF NOT EXISTS warehouses_seller_idx ON warehouses (seller_id);

-- The key itself is shown once; only its SHA-256 is kept (a 256-bit random
-- key needs no salt or slow hash: nothing to guess).
CREATE TABLE IF NOT EXISTS seller_api_keys (
    id           bigserial PRIMARY KEY,
    seller_id    bigint NOT NULL REFERENCES sellers,
    key_hash     text NOT NULL UNIQUE CHECK (key_hash ~ '^[0-9a-f]{64}$'),
    prefix       text NOT NULL,              -- the key's first characters, for the list
    label        text NOT NULL DEFAULT '',
    created_at   timestamptz NOT NULL DEFAULT now(),
    last_used_at timestamptz,
    revoked_at   timestamptz
);
CREATE INDEX IF NOT EXISTS seller_api_keys_seller_idx ON seller_api_keys (seller_id, id);
