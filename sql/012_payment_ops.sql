-- 012_payment_ops: provider calls outside transactions. Capture, void and
-- refund are first recorded here (an intent, committed with whatever
-- caused it), then made with no lock held, then their result recorded;
-- the worker's `payments` job retries pending intents with the same
-- idempotency key, so a crash between call and record costs nothing.
-- An authorization is recorded first as payments.status 'authorizing'.
ALTER TABLE payments DROP CONSTRAINT payments_status_check;
ALTER TABLE payments ADD CONSTRAINT payments_status_check CHECK (status IN
    ('authorizing', 'authorized', 'captured', 'voided', 'refunded', 'failed'));
-- The provider's payment method (pm_…): a token, never a card number.
ALTER TABLE payments ADD COLUMN payment_method text;

CREATE TABLE payment_ops (
    id              bigserial PRIMARY KEY,
    payment_id      bigint NOT NULL REFERENCES payments,
    order_id        bigint NOT NULL REFERENCES orders,
    -- settle: whatever a cancel needs when it runs (finish an unknown
    -- authorization, void it, or refund what was captured)
    op              text NOT NULL CHECK (op IN ('capture', 'settle', 'refund')),
    amount          bigint NOT NULL DEFAULT 0 CHECK (amount >= 0), -- refund: 0 = the rest
    reason          text NOT NULL DEFAULT '',
    idempotency_key text NOT NULL UNIQUE,
    status          text NOT NULL DEFAULT 'pending' CHECK (status IN
                    ('pending', 'done', 'skipped', 'failed')),
    result          text,
    attempts        int NOT NULL DEFAULT 0,
    last_error      text,
    -- whoever recorded the intent makes the call at once; the job takes
    -- only what that caller did not finish (longer than a call's timeout)
    next_at         timestamptz NOT NULL DEFAULT now() + interval '3 seconds',
    created_at      timestamptz NOT NULL DEFAULT now(),
    updated_at      timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX payment_ops_pending_idx ON payment_ops (next_at, id) WHERE status = 'pending';
CREATE INDEX payment_ops_payment_idx ON payment_ops (payment_id, id);
