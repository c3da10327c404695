-- 051_mail_links: the one-time links of order mails (lib/shop/maillink.c).
-- A link is {expiry}.{nonce}.{HMAC-SHA-256 of order, expiry and nonce};
-- the key is made here once, from the server's strong random UUIDs
-- (SOUK_MAIL_LINK_KEY overrides it), and a link's nonce is recorded when
-- it is used, so it opens the order once.
CREATE TABLE IF NOT EXISTS mail_link_key (
    id     int PRIMARY KEY CHECK (id = 1),
    secret text NOT NULL CHECK (length(secret) >= 64)
);
INSERT INTO mail_link_key (id, secret)
VALUES (1, replace(gen_random_uuid()::text || gen_random_uuid()::text || gen_random_uuid()::text, '-', ''))
ON CONFLICT (id) DO NOTHING;

CREATE TABLE IF NOT EXISTS mail_link_used (
    nonce      text PRIMARY KEY,
    public_id  text NOT NULL,
    expires_at timestamptz NOT NULL,
    used_at    timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX IF NOT EXISTS mail_link_used_expires_idx ON mail_link_used (expires_at);
