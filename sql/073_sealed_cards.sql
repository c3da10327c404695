-- 073_sealed_cards: a card-number checkout deferred while the provider is
-- down (docs/BUYING.md, "Provider down: deferred authorization"). The card
-- is sealed with souk-payd's public key (RSA-OAEP-SHA256): Souk keeps
-- only ciphertext it cannot open, on the 'authorize' intent, until the
-- provider has answered (tokenised it, or refused it); then it is NULL.
ALTER TABLE payment_ops ADD COLUMN IF NOT EXISTS sealed_card text;

-- The provider's current public key and its id (no secret: anyone may
-- seal for the provider, only the provider can open).
CREATE TABLE IF NOT EXISTS pay_seal_keys (
    provider   text PRIMARY KEY,
    key_id     text NOT NULL,
    public_pem text NOT NULL,
    fetched_at timestamptz NOT NULL DEFAULT now()
);
