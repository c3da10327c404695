-- 010_idempotency: an idempotency key belongs to its caller (scope) and to
-- one request (the SHA-256 fingerprint of the canonical checkout request);
-- docs/BUYING.md. A key is unique per scope, not globally, and is cleared
-- (NULL) once it is older than 24 hours and used again. Idempotent: safe
-- to apply again.
ALTER TABLE orders ADD COLUMN IF NOT EXISTS idempotency_scope text NOT NULL DEFAULT 'legacy';
ALTER TABLE orders ADD COLUMN IF NOT EXISTS request_hash text;
ALTER TABLE orders ALTER COLUMN idempotency_key DROP NOT NULL;
CREATE UNIQUE INDEX IF NOT EXISTS orders_idempotency_scope_key
    ON orders (idempotency_scope, idempotency_key);
ALTER TABLE orders DROP CONSTRAINT IF EXISTS orders_idempotency_key_key;
