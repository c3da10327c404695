-- 041_ledger: the double-entry ledger (signed integer cents, positive =
-- debit) and seller payouts. Every transaction's entries sum to zero,
-- checked by a deferred constraint trigger at commit; entries and
-- transactions are never updated or deleted (a mistake is reversed by a
-- new transaction). docs/MARKETPLACE.md "Ledger and payouts". Idempotent.

CREATE TABLE IF NOT EXISTS ledger_accounts (
    id        bigserial PRIMARY KEY,
    kind      text NOT NULL CHECK (kind IN ('clearing', 'seller_payable', 'commission',
              'shipping', 'tax', 'refunds', 'payouts')),
    seller_id bigint REFERENCES sellers,
    name      text NOT NULL,
    CHECK ((kind = 'seller_payable') = (seller_id IS NOT NULL))
);
CREATE UNIQUE INDEX IF NOT EXISTS ledger_accounts_kind_idx
    ON ledger_accounts (kind, COALESCE(seller_id, 0));
INSERT INTO ledger_accounts (kind, name) VALUES
    ('clearing', 'payments clearing'), ('commission', 'commission revenue'),
    ('shipping', 'shipping'), ('tax', 'tax payable'), ('refunds', 'refunds'),
    ('payouts', 'payouts')
    ON CONFLICT DO NOTHING;

-- ref makes each booking happen once: 'capture:<payment_id>',
-- 'refund:<refund_id>', 'payout:<payout_id>'.
CREATE TABLE IF NOT EXISTS ledger_transactions (
    id         bigserial PRIMARY KEY,
    kind       text NOT NULL CHECK (kind IN ('capture', 'refund', 'payout', 'reversal')),
    ref        text NOT NULL UNIQUE,
    order_id   bigint REFERENCES orders,
    reverses   bigint REFERENCES ledger_transactions,
    memo       text NOT NULL DEFAULT '',
    created_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX IF NOT EXISTS ledger_transactions_order_idx ON ledger_transactions (order_id);

-- kind: what the line is on a statement (sale, commission, refund,
-- commission_refund, payout, shipping, tax, clearing).
CREATE TABLE IF NOT EXISTS ledger_entries (
    id             bigserial PRIMARY KEY,
    transaction_id bigint NOT NULL REFERENCES ledger_transactions,
    account_id     bigint NOT NULL REFERENCES ledger_accounts,
    amount         bigint NOT NULL CHECK (amount <> 0),
    kind           text NOT NULL,
    order_item_id  bigint REFERENCES order_items,
    created_at     timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX IF NOT EXISTS ledger_entries_tx_idx ON ledger_entries (transaction_id);
CREATE INDEX IF NOT EXISTS ledger_entries_account_idx ON ledger_entries (account_id, created_at, id);

CREATE OR REPLACE FUNCTION ledger_balanced() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE s bigint;
BEGIN
    SELECT sum(amount) INTO s FROM ledger_entries WHERE transaction_id = NEW.transaction_id;
    IF s <> 0 THEN
        RAISE EXCEPTION 'ledger transaction % does not balance: entries sum to %',
            NEW.transaction_id, s USING ERRCODE = '23514';
    END IF;
    RETURN NULL;
END $$;
DROP TRIGGER IF EXISTS ledger_entries_balanced ON ledger_entries;
CREATE CONSTRAINT TRIGGER ledger_entries_balanced AFTER INSERT ON ledger_entries
    DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION ledger_balanced();

CREATE OR REPLACE FUNCTION ledger_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION '% is append-only: reverse a booking, never % it', TG_TABLE_NAME,
        lower(TG_OP) USING ERRCODE = '23514';
END $$;
DROP TRIGGER IF EXISTS ledger_entries_append_only ON ledger_entries;
CREATE TRIGGER ledger_entries_append_only BEFORE UPDATE OR DELETE ON ledger_entries
    FOR EACH ROW EXECUTE FUNCTION ledger_append_only();
DROP TRIGGER IF EXISTS ledger_transactions_append_only ON ledger_transactions;
CREATE TRIGGER ledger_transactions_append_only BEFORE UPDATE OR DELETE ON ledger_transactions
    FOR EACH ROW EXECUTE FUNCTION ledger_append_only();

-- One payout per seller and period (the run's day): a second run of the
-- same period finds the row and pays nothing twice. The provider is
-- called after the row and its ledger transaction committed.
CREATE TABLE IF NOT EXISTS payouts (
    id           bigserial PRIMARY KEY,
    seller_id    bigint NOT NULL REFERENCES sellers,
    period       text NOT NULL,
    amount       bigint NOT NULL CHECK (amount > 0),
    status       text NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'paid', 'failed')),
    provider_ref text,
    created_at   timestamptz NOT NULL DEFAULT now(),
    paid_at      timestamptz,
    UNIQUE (seller_id, period)
);
