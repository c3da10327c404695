-- 007_worker: a `payments` topic for money events that are not
-- order state changes (payment.refunded, written by the worker's billing
-- group), so the `orders` topic stays exactly one row per order transition.
ALTER TABLE outbox DROP CONSTRAINT outbox_topic_check;
ALTER TABLE outbox ADD CONSTRAINT outbox_topic_check
    CHECK (topic IN ('orders', 'catalog', 'inventory', 'payments'));

-- Events a consumer group gave up on after SOUK_MAX_ATTEMPTS transient
-- failures that were not an outage (a provider refusing a capture, a bug):
-- kept here (durable, unlike a Redis stream) for an operator, and skipped
-- by the relay's replay. Re-drive: delete the row and set the outbox row's
-- published_at to NULL.
CREATE TABLE consumer_failed (
    consumer  text NOT NULL,
    event_id  bigint NOT NULL,                   -- outbox.id
    status    int NOT NULL,                      -- the failure's HTTP-style status
    error     text NOT NULL,
    attempts  int NOT NULL,
    failed_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (consumer, event_id)
);
