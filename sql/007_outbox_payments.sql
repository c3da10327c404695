-- 007_outbox_payments: a `payments` topic for money events that are not
-- order state changes (payment.refunded, written by the worker's billing
-- group), so the `orders` topic stays exactly one row per order transition.
ALTER TABLE outbox DROP CONSTRAINT outbox_topic_check;
ALTER TABLE outbox ADD CONSTRAINT outbox_topic_check
    CHECK (topic IN ('orders', 'catalog', 'inventory', 'payments'));
