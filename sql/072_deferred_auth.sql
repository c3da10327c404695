-- 072_deferred_auth: deferred authorization (docs/BUYING.md, "Provider
-- down: deferred authorization"). A checkout paying with a payment method
-- (pm_…) whose authorization could not reach the provider keeps its order
-- PENDING with the payment 'authorizing' and records an 'authorize'
-- intent; the worker asks the provider again with the payment's own key
-- (auth:<order>) until it answers, then confirms or cancels the order in
-- the transaction that closes the intent.
ALTER TABLE payment_ops DROP CONSTRAINT IF EXISTS payment_ops_op_check;
ALTER TABLE payment_ops ADD CONSTRAINT payment_ops_op_check
    CHECK (op IN ('capture', 'settle', 'refund', 'authorize'));
