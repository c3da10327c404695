-- 005_pay_sandbox: the built-in sandbox card processor keeps its state here
-- so authorize/capture/void/refund are idempotent by key across processes.
-- It plays an external provider: Souk's own tables never reference these.

CREATE TABLE pay_sandbox_charges (
    ref        text PRIMARY KEY,                  -- 'ch_<hex>'
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
CREATE TABLE pay_sandbox_ops (
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
