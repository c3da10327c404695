# bench/chaos-lib.sh: the after-the-storm checks of bench/chaos.sh and tests/integration/91-chaos-light.sh.
# shellcheck shell=bash
# Source it with q (psql on souk) and qp (psql on souk_payd) defined and
# these set: W (the run dir, client.tsv and events.tsv in it), FIRST_ORDER
# and FIRST_EVENT (the largest orders.id / outbox.id before the run),
# RUN_TAG (the chaos_recv rows of the run's skus), MAIL_DIR, CHAOS_SINCE
# (PostgreSQL's now() before the run: the provider's charges of the run).

# The (topic, consumer group) pairs of the worker (workers/relay.c).
CHAOS_GROUPS="VALUES ('orders','billing'), ('orders','notifications'), ('payments','notifications'), ('catalog','cache'), ('inventory','cache')"

# chaos_received SKU: records the sku's stock per warehouse as received
# (the ledger the oversell check compares with).
chaos_received() {
    q "SET client_min_messages = warning; CREATE TABLE IF NOT EXISTS chaos_recv (run text, sku_id bigint, warehouse_id bigint, received bigint,
         PRIMARY KEY (run, sku_id, warehouse_id));
       INSERT INTO chaos_recv SELECT '$RUN_TAG', sku_id, warehouse_id, quantity_available + quantity_reserved + quantity_sold
         FROM inventory WHERE sku_id = $1" >/dev/null
}

# chaos_client_config FILE BUYERS BROWSERS RETRY_FOR PRODUCTS SKU...:
# bench/chaos-client.py's configuration (PRODUCTS: ids, comma-separated).
chaos_client_config() {
    python3 - "$@" <<'PY'
import json, sys
out, buyers, browsers, retry_for, products = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4]), sys.argv[5]
json.dump({"skus": [int(s) for s in sys.argv[6:]], "products": [int(p) for p in products.split(",")],
           "queries": ["shoes", "bluetooth+speaker", "red+dress", "laptop", "coffee", "jacket", "usb+cable"],
           "buyers": buyers, "browsers": browsers, "retry_for": retry_for}, open(out, "w"))
PY
}

# chaos_pool_worker RUN_DIR: the pid of a random worker of the api (2 in 3)
# or storefront pool (a child of the supervisor in RUN_DIR/<pool>.pid).
chaos_pool_worker() {
    local pool sup
    pool=$( ((RANDOM % 3)) && echo api || echo storefront)
    sup=$(cat "$1/$pool.pid" 2>/dev/null) || return 1
    # (grep exits 2 when a process vanishes while it reads /proc)
    { grep -l "^PPid:[[:space:]]*$sup\$" /proc/[0-9]*/status 2>/dev/null || true; } | awk -F/ '{ print $3 }' | shuf -n 1
}

# chaos_caught_up: 0 once the outbox is relayed, no payment intent or
# authorization is pending and every consumer applied (or gave up on)
# every event of the run.
chaos_caught_up() {
    local n
    n=$(q "SELECT (SELECT count(*) FROM outbox WHERE published_at IS NULL)
             + (SELECT count(*) FROM payment_ops WHERE status = 'pending' AND order_id > $FIRST_ORDER)
             + (SELECT count(*) FROM payments WHERE status = 'authorizing' AND order_id > $FIRST_ORDER)
             + (SELECT count(*) FROM outbox o CROSS JOIN ($CHAOS_GROUPS) g(topic, grp)
                WHERE o.topic = g.topic AND o.id > $FIRST_EVENT
                  AND NOT EXISTS (SELECT 1 FROM consumer_applied a WHERE a.consumer = g.grp AND a.event_id = o.id)
                  AND NOT EXISTS (SELECT 1 FROM consumer_failed f WHERE f.consumer = g.grp AND f.event_id = o.id))" 2>/dev/null) || return 1
    [ "$n" = 0 ]
}

# chaos_lagging: what chaos_caught_up still waits for, one line each
# (to explain a run that did not catch up).
chaos_lagging() {
    q "SELECT 'unrelayed', id, topic, payload->>'type', created_at FROM outbox WHERE published_at IS NULL
       UNION ALL
       SELECT 'unapplied by ' || g.grp, o.id, o.topic, o.payload->>'type', o.published_at FROM outbox o
       CROSS JOIN ($CHAOS_GROUPS) g(topic, grp)
       WHERE o.topic = g.topic AND o.id > $FIRST_EVENT
         AND NOT EXISTS (SELECT 1 FROM consumer_applied a WHERE a.consumer = g.grp AND a.event_id = o.id)
         AND NOT EXISTS (SELECT 1 FROM consumer_failed f WHERE f.consumer = g.grp AND f.event_id = o.id)
       UNION ALL
       SELECT 'pending payment op', id, op, coalesce(last_error, ''), created_at FROM payment_ops
       WHERE status = 'pending' AND order_id > $FIRST_ORDER
       ORDER BY 1, 2 LIMIT 20" 2>&1
}

# chaos_wait_caught_up SECONDS: waits for chaos_caught_up; prints the
# seconds it took (or SECONDS when it never did).
chaos_wait_caught_up() {
    local t=$SECONDS
    until chaos_caught_up; do
        [ $((SECONDS - t)) -lt "$1" ] || break
        sleep 1
    done
    echo $((SECONDS - t))
}

# chaos_invariants: writes $W/invariants.tsv (name, violations), the
# provider's charges ($W/payd.tsv, table chaos_payd) and the run's orders
# ($W/orders.tsv) for bench/chaos-report.py.
chaos_invariants() {
    local R=$W/invariants.tsv SINCE="o.id > $FIRST_ORDER" MAILS MAILVALS
    : >"$R"
    inv() { printf '%s\t%s\n' "$1" "$(q "$2" 2>&1 | tr '\n' ' ' | sed 's/ $//')" >>"$R"; }
    inv "oversold: (sku, warehouse) where available + reserved + sold <> received or available < 0" \
        "SELECT count(*) FROM chaos_recv r JOIN inventory i USING (sku_id, warehouse_id)
         WHERE r.run = '$RUN_TAG' AND (i.quantity_available < 0 OR i.quantity_available + i.quantity_reserved + i.quantity_sold <> r.received)"
    inv "reservations held past their expiry" \
        "SELECT count(*) FROM reservations WHERE status = 'held' AND expires_at < now()"
    inv "outbox rows not relayed" "SELECT count(*) FROM outbox WHERE published_at IS NULL"
    inv "consumer effects recorded twice" \
        "SELECT count(*) FROM (SELECT 1 FROM consumer_applied GROUP BY consumer, event_id HAVING count(*) > 1) d"
    inv "events of this run a consumer neither applied nor gave up on" \
        "SELECT count(*) FROM outbox o CROSS JOIN ($CHAOS_GROUPS) g(topic, grp)
         WHERE o.topic = g.topic AND o.id > $FIRST_EVENT
           AND NOT EXISTS (SELECT 1 FROM consumer_applied a WHERE a.consumer = g.grp AND a.event_id = o.id)"
    inv "events of this run a consumer gave up on (consumer_failed)" \
        "SELECT count(*) FROM consumer_failed WHERE event_id > $FIRST_EVENT"
    inv "payment intents of the run still pending" "SELECT count(*) FROM payment_ops WHERE status = 'pending' AND order_id > $FIRST_ORDER"
    inv "orders without items" "SELECT count(*) FROM orders o WHERE $SINCE AND NOT EXISTS (SELECT 1 FROM order_items i WHERE i.order_id = o.id)"
    inv "orders without their creating event" \
        "SELECT count(*) FROM orders o WHERE $SINCE AND NOT EXISTS (SELECT 1 FROM order_events e WHERE e.order_id = o.id AND e.from_status IS NULL)"
    inv "confirmed orders whose stock is not committed" \
        "SELECT count(*) FROM orders o WHERE $SINCE AND o.status IN ('CONFIRMED','PROCESSING','SHIPPED','DELIVERED')
           AND EXISTS (SELECT 1 FROM reservations r WHERE r.order_id = o.id AND r.status <> 'committed')"
    inv "cancelled orders still holding stock" \
        "SELECT count(*) FROM orders o WHERE $SINCE AND o.status = 'CANCELLED'
           AND EXISTS (SELECT 1 FROM reservations r WHERE r.order_id = o.id AND r.status = 'held')"
    inv "confirmed orders not captured" \
        "SELECT count(*) FROM orders o WHERE $SINCE AND o.status IN ('CONFIRMED','PROCESSING','SHIPPED','DELIVERED')
           AND NOT EXISTS (SELECT 1 FROM payments p WHERE p.order_id = o.id AND p.status = 'captured')"
    # mails: one file per notification event, named by the event
    MAILS=$(find "$MAIL_DIR" -name 'event-*.eml' 2>/dev/null | sed 's/.*event-\([0-9]*\)\.eml/\1/' | awk -v f="$FIRST_EVENT" '$1 > f' | sort -n)
    printf '%s\n' "$MAILS" | grep . | sed 's/^/(/; s/$/)/' | paste -sd, - >"$W/mails.txt" || true
    MAILVALS=$(cat "$W/mails.txt")
    inv "notification events without exactly one mail" \
        "SELECT count(*) FROM outbox o LEFT JOIN (VALUES ${MAILVALS:-(0)}) m(id) ON m.id = o.id
         WHERE o.id > $FIRST_EVENT AND o.payload->>'type' IN ('order.confirmed','order.shipped','order.delivered','payment.refunded','payment.declined') AND m.id IS NULL"
    inv "mails without their event" \
        "SELECT count(*) FROM (VALUES ${MAILVALS:-(0)}) m(id) WHERE m.id > 0 AND NOT EXISTS (SELECT 1 FROM outbox o WHERE o.id = m.id
           AND o.payload->>'type' IN ('order.confirmed','order.shipped','order.delivered','payment.refunded','payment.declined'))"

    # the provider's books, beside Souk's
    qp "COPY (SELECT c.ref, c.status, c.amount, c.captured,
                (SELECT count(*) FROM payd_ops o WHERE o.charge_ref = c.ref AND o.op = 'capture' AND o.approved),
                (SELECT count(*) FROM payd_ops o WHERE o.charge_ref = c.ref AND o.op = 'capture')
              FROM payd_charges c WHERE c.created_at >= '$CHAOS_SINCE') TO STDOUT" >"$W/payd.tsv"
    q "SET client_min_messages = warning; DROP TABLE IF EXISTS chaos_payd; CREATE TABLE chaos_payd (ref text PRIMARY KEY, status text, amount bigint, captured bigint, captures int, capture_keys int)" >/dev/null
    psql -X -q -v ON_ERROR_STOP=1 -c "\\copy chaos_payd FROM '$W/payd.tsv'" >/dev/null
    inv "provider charges captured more than once" "SELECT count(*) FROM chaos_payd WHERE captures > 1"
    inv "provider charges captured without a confirmed order" \
        "SELECT count(*) FROM chaos_payd c WHERE c.captures > 0 AND NOT EXISTS (SELECT 1 FROM payments p JOIN orders o ON o.id = p.order_id
           WHERE p.provider_ref = c.ref AND o.status IN ('CONFIRMED','PROCESSING','SHIPPED','DELIVERED'))"
    inv "provider authorizations still open for a cancelled order" \
        "SELECT count(*) FROM chaos_payd c JOIN payments p ON p.provider_ref = c.ref JOIN orders o ON o.id = p.order_id
         WHERE c.status = 'authorized' AND o.status = 'CANCELLED'"
    inv "provider authorizations Souk does not know" \
        "SELECT count(*) FROM chaos_payd c WHERE c.status = 'authorized' AND NOT EXISTS (SELECT 1 FROM payments p WHERE p.provider_ref = c.ref)"
    # the orders of this run, for the per-201 check in the report
    q "COPY (SELECT o.public_id, o.status, coalesce(p.status, ''), coalesce(c.captures, 0), o.idempotency_key
             FROM orders o LEFT JOIN LATERAL (SELECT * FROM payments p WHERE p.order_id = o.id ORDER BY p.id DESC LIMIT 1) p ON true
             LEFT JOIN chaos_payd c ON c.ref = p.provider_ref WHERE $SINCE) TO STDOUT" >"$W/orders.tsv"
    q "SELECT status, count(*) FROM orders o WHERE $SINCE GROUP BY 1 ORDER BY 1" >"$W/order-status.txt"
}
