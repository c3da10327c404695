#!/usr/bin/env bash
# 71-events: souk-worker stopped while events pile up catches up with no
# duplicate effect (one capture, one refund, one mail per event, consumer
# counts), a republished backlog changes nothing, pending entries are
# redelivered after a restart, expired reservations are released exactly
# once, and a Redis restart (streams lost) is survived.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/lib-orders.sh"
t_pick_offer
tag="T71-$RANDOM$RANDOM"

mails_for() { # the .eml files of a comma list of event ids
    local id n=0
    for id in ${1//,/ }; do [ -s "$SOUK_MAIL_DIR/event-$id.eml" ] && n=$((n + 1)); done
    echo "$n"
}
applied() { # GROUP IDS: how many of the events the group recorded
    sql "SELECT count(*) FROM consumer_applied WHERE consumer = '$1' AND event_id IN ($2)"
}

# ---- a clean stop
wpid=$(worker_pid)
check "SIGTERM stops the worker and its jobs" worker_stop
check "no job outlives the supervisor" test "$(grep -l "^PPid:[[:space:]]*$wpid\$" /proc/[0-9]*/status 2>/dev/null | wc -l)" = 0
check "the log says so" grep -q 'msg="worker: stopped"' "$SOUK_LOG_DIR/worker.log"

# ---- events while the worker is down
o1=$(t_order "$tag-1" a1@example.com "Ann One" CONFIRMED); p1=$(t_payment "$o1" authorized)
o2=$(t_order "$tag-2" a2@example.com "Bo Two" CONFIRMED); p2=$(t_payment "$o2" authorized)
o3=$(t_order "$tag-3" a3@example.com "Cy Three" CONFIRMED); p3=$(t_payment "$o3" authorized)
o4=$(t_order "$tag-4" a4@example.com "Di Four" RETURNED); p4=$(t_payment "$o4" captured)
o5=$(t_order "$tag-5" a5@example.com "Ed Five" SHIPPED)
sql "INSERT INTO shipments (order_id, carrier, tracking) VALUES ($o5, 'UPS', '1Z999AA10123456784')" >/dev/null
e1=$(t_event "$o1" order.confirmed); e2=$(t_event "$o2" order.confirmed); e3=$(t_event "$o3" order.confirmed)
e4=$(t_event "$o4" order.returned); e5=$(t_event "$o5" order.shipped)
"$SOUK_CTL" set-stock "$T_SKU" "$T_WH" 77 >/dev/null
e6=$(sql "SELECT max(id) FROM outbox WHERE topic = 'catalog'")
evs="$e1,$e2,$e3,$e4,$e5"
sleep 0.5
check_sql "nothing is published while the worker is down" \
    "SELECT count(*) FROM outbox WHERE id IN ($evs,$e6) AND published_at IS NULL" 6

# ---- catch up
check "the worker starts again" worker_start
check "the backlog is published within 10 s" wait_for 10 sql_is \
    "SELECT count(*) FROM outbox WHERE id IN ($evs,$e6) AND published_at IS NULL" 0
check "billing applies all five order events within 10 s" wait_for 10 sql_is "$(printf "SELECT count(*) FROM consumer_applied WHERE consumer = 'billing' AND event_id IN (%s)" "$evs")" 5
check "notifications apply all five within 10 s" wait_for 10 sql_is "SELECT count(*) FROM consumer_applied WHERE consumer = 'notifications' AND event_id IN ($evs)" 5
check "the cache group applies the stock event" wait_for 10 sql_is "SELECT count(*) FROM consumer_applied WHERE consumer = 'cache' AND event_id = $e6" 1
check_sql "one captured payment per confirmed order, no extra rows" \
    "SELECT string_agg(order_id || ':' || status, ',' ORDER BY order_id) FROM payments WHERE order_id IN ($o1, $o2, $o3)" \
    "$o1:captured,$o2:captured,$o3:captured"
check_sql "the returned order is refunded once, in full" \
    "SELECT (SELECT count(*) FROM refunds WHERE order_id = $o4), p.status, p.refunded_amount = p.amount
     FROM payments p WHERE p.id = $p4" "1|refunded|t"
check "one refund and no capture reached the provider" test "$(sandbox_ops "$o4" refund)/$(sandbox_ops "$o4" capture)" = 1/0
check "one capture per confirmed order at the provider" \
    test "$(sandbox_ops "$o1" capture)$(sandbox_ops "$o2" capture)$(sandbox_ops "$o3" capture)" = 111
ref_ev=$(sql "SELECT id FROM outbox WHERE payload->>'type' = 'payment.refunded' AND (payload->>'order_id')::bigint = $o4")
check "billing announced the refund (payment.refunded) once" test "$(echo "$ref_ev" | grep -c .)" = 1
check "a refund mail follows" wait_for 10 test -s "$SOUK_MAIL_DIR/event-$ref_ev.eml"
check "one mail per confirmed/shipped event" test "$(mails_for "$e1,$e2,$e3,$e5")" = 4
check "none for order.returned itself (its refund is mailed)" test ! -e "$SOUK_MAIL_DIR/event-$e4.eml"
check "the shipped mail carries carrier and tracking" grep -qF "Tracking number: 1Z999AA10123456784" "$SOUK_MAIL_DIR/event-$e5.eml"
amount=$(sql "SELECT to_char(amount / 100.0, 'FM999999990.00') FROM payments WHERE id = $p4")
check "the refund mail names the amount" grep -qF "we have refunded $amount USD" "$SOUK_MAIL_DIR/event-$ref_ev.eml"
check "the refund mail's subject" grep -qxF "Subject: Refund for your Souk order $tag-4"$'\r' "$SOUK_MAIL_DIR/event-$ref_ev.eml"

# ---- the whole backlog published again (a relay that died before marking)
# (the ledger group also applies payment.refunded: counted once it has)
check "the ledger group has read the payments stream" wait_for 10 caught_up souk:payments ledger
before=$(sql "SELECT (SELECT count(*) FROM consumer_applied WHERE event_id IN ($evs,$e6,$ref_ev)),
                     (SELECT count(*) FROM payments WHERE order_id IN ($o1,$o2,$o3,$o4)),
                     (SELECT count(*) FROM refunds WHERE order_id = $o4),
                     (SELECT count(*) FROM outbox WHERE payload->>'type' = 'payment.refunded' AND (payload->>'order_id')::bigint = $o4),
                     ''")$(payd_sql "SELECT count(*) FROM payd_ops WHERE charge_ref LIKE 'ch_it%'")
stamps=$(stat -c %y "$SOUK_MAIL_DIR"/event-{$e1,$e5,$ref_ev}.eml 2>/dev/null | paste -sd,)
sql "UPDATE outbox SET published_at = NULL WHERE id IN ($evs,$e6,$ref_ev)" >/dev/null
check "the republished events are relayed" wait_for 10 sql_is \
    "SELECT count(*) FROM outbox WHERE id IN ($evs,$e6,$ref_ev) AND published_at IS NULL" 0
check "... and read by every group" wait_for 10 sh -c "$(declare -f caught_up redis); caught_up souk:orders billing && caught_up souk:orders notifications && caught_up souk:payments notifications && caught_up souk:payments ledger && caught_up souk:catalog cache"
check "no duplicate effect: applied rows, payments, refunds, refund events, provider calls unchanged" \
    test "$(sql "SELECT (SELECT count(*) FROM consumer_applied WHERE event_id IN ($evs,$e6,$ref_ev)),
            (SELECT count(*) FROM payments WHERE order_id IN ($o1,$o2,$o3,$o4)),
            (SELECT count(*) FROM refunds WHERE order_id = $o4),
            (SELECT count(*) FROM outbox WHERE payload->>'type' = 'payment.refunded' AND (payload->>'order_id')::bigint = $o4),
            ''")$(payd_sql "SELECT count(*) FROM payd_ops WHERE charge_ref LIKE 'ch_it%'")" = "$before"
check "mail files untouched" test "$(stat -c %y "$SOUK_MAIL_DIR"/event-{$e1,$e5,$ref_ev}.eml 2>/dev/null | paste -sd,)" = "$stamps"

# ---- an entry delivered but never acknowledged is redelivered at start
worker_stop
o7=$(t_order "$tag-7" a7@example.com "Gil Seven" CONFIRMED); p7=$(t_payment "$o7" authorized)
e7=$(t_event "$o7" order.confirmed)
sql "UPDATE outbox SET published_at = now() WHERE id = $e7" >/dev/null # as if relayed
redis XADD souk:orders '*' id "$e7" type order.confirmed key "$tag-7" \
    payload "{\"type\": \"order.confirmed\", \"order_id\": $o7, \"public_id\": \"$tag-7\"}" >/dev/null
me=$(hostname)
redis XREADGROUP GROUP notifications "$me" COUNT 100 STREAMS souk:orders '>' >/dev/null
redis XREADGROUP GROUP billing "$me" COUNT 100 STREAMS souk:orders '>' >/dev/null
check "the entry is pending for this host's consumers" test "$(redis XPENDING souk:orders notifications | head -n1)" -ge 1
check "the worker starts again" worker_start
check "the pending entry is applied: mail" wait_for 10 test -s "$SOUK_MAIL_DIR/event-$e7.eml"
check "... and capture" wait_for 10 sql_is "SELECT status FROM payments WHERE id = $p7" captured
check "nothing stays pending" wait_for 10 sh -c "[ \"\$(redis-cli -p $SOUK_REDIS_PORT XPENDING souk:orders notifications | head -n1)\" = 0 ]"

# ---- entries a dead consumer (another host) left pending are taken over
worker_stop
o9=$(t_order "$tag-9" a9@example.com "Ida Nine" CONFIRMED); p9=$(t_payment "$o9" authorized)
e9=$(t_event "$o9" order.confirmed)
sql "UPDATE outbox SET published_at = now() WHERE id = $e9" >/dev/null
redis XADD souk:orders '*' id "$e9" type order.confirmed key "$tag-9" \
    payload "{\"type\": \"order.confirmed\", \"order_id\": $o9, \"public_id\": \"$tag-9\"}" >/dev/null
redis XREADGROUP GROUP notifications ghost-host COUNT 100 STREAMS souk:orders '>' >/dev/null
redis XREADGROUP GROUP billing ghost-host COUNT 100 STREAMS souk:orders '>' >/dev/null
check "the worker starts with a 1 s claim time" worker_start SOUK_CLAIM_IDLE_MS=1000
check "the ghost's entry is claimed and mailed" wait_for 15 test -s "$SOUK_MAIL_DIR/event-$e9.eml"
check "... and captured" wait_for 10 sql_is "SELECT status FROM payments WHERE id = $p9" captured
check "the claim is logged" grep -q 'notifications: claimed 1 entries left by another consumer' "$SOUK_LOG_DIR/worker.log"
worker_stop
worker_start

# ---- expiry: a held reservation past its time is released exactly once
read -r a0 r0 < <(sql "SELECT quantity_available || ' ' || quantity_reserved FROM inventory WHERE sku_id = $T_SKU AND warehouse_id = $T_WH")
ox=$(t_order "$tag-x" ax@example.com "Exp Ired" PENDING 2)
ok_=$(t_order "$tag-k" ak@example.com "Still Held" PENDING 1)
sql "UPDATE inventory SET quantity_available = quantity_available - 3, quantity_reserved = quantity_reserved + 3
     WHERE sku_id = $T_SKU AND warehouse_id = $T_WH;
     INSERT INTO reservations (order_id, sku_id, warehouse_id, qty, expires_at) VALUES
       ($ox, $T_SKU, $T_WH, 2, now() - interval '1 minute'),
       ($ok_, $T_SKU, $T_WH, 1, now() + interval '30 minutes')" >/dev/null
check "the expired reservation is released within 10 s" wait_for 10 sql_is \
    "SELECT status FROM reservations WHERE order_id = $ox" released
check_sql "its order is CANCELLED" "SELECT status FROM orders WHERE id = $ox" CANCELLED
sleep 4.5 # two more expiry rounds
check_sql "one order_events row PENDING -> CANCELLED by the worker" \
    "SELECT count(*), min(from_status), min(to_status), min(actor) FROM order_events WHERE order_id = $ox" \
    "1|PENDING|CANCELLED|worker"
check_sql "one order.cancelled event" \
    "SELECT count(*) FROM outbox WHERE payload->>'type' = 'order.cancelled' AND (payload->>'order_id')::bigint = $ox" 1
check_sql "stock came back exactly once; the live reservation still holds its unit" \
    "SELECT quantity_available || ' ' || quantity_reserved FROM inventory WHERE sku_id = $T_SKU AND warehouse_id = $T_WH" \
    "$((a0 - 1)) $((r0 + 1))"
check_sql "the unexpired reservation and its order are untouched" \
    "SELECT r.status || ' ' || o.status FROM reservations r JOIN orders o ON o.id = r.order_id WHERE r.order_id = $ok_" \
    "held PENDING"
cx=$(sql "SELECT id FROM outbox WHERE payload->>'type' = 'order.cancelled' AND (payload->>'order_id')::bigint = $ox")
check "billing sees the cancellation" wait_for 10 sql_is "SELECT count(*) FROM consumer_applied WHERE consumer = 'billing' AND event_id = $cx" 1
check_sql "nothing to refund for an order never captured" "SELECT count(*) FROM refunds WHERE order_id = $ox" 0
sql "UPDATE reservations SET status = 'released' WHERE order_id = $ok_;
     UPDATE inventory SET quantity_available = quantity_available + 1, quantity_reserved = quantity_reserved - 1
     WHERE sku_id = $T_SKU AND warehouse_id = $T_WH" >/dev/null

# ---- an event that keeps failing (the provider refuses the capture: 502)
# is given up on (consumer_failed) and does not block the group
worker_stop
check "the worker starts with 3 attempts per event" worker_start SOUK_MAX_ATTEMPTS=3
ob=$(t_order "$tag-b" ab@example.com "Bad Charge" CONFIRMED); pb=$(t_payment "$ob" authorized)
payd_sql "DELETE FROM payd_charges WHERE ref = 'ch_it$ob'" >/dev/null # unknown to the provider
eb=$(t_event "$ob" order.confirmed)
og=$(t_order "$tag-g" ag@example.com "Good Charge" CONFIRMED); pg=$(t_payment "$og" authorized)
eg=$(t_event "$og" order.confirmed)
check "the refused capture is given up on within 10 s" wait_for 10 sql_is \
    "SELECT consumer || '|' || status || '|' || attempts FROM consumer_failed WHERE event_id = $eb" "billing|502|3"
check "the next order is still captured" wait_for 10 sql_is "SELECT status FROM payments WHERE id = $pg" captured
check_sql "the bad one stays authorized and is not recorded as applied" \
    "SELECT (SELECT status FROM payments WHERE id = $pb) || '|' || (SELECT count(*) FROM consumer_applied WHERE consumer = 'billing' AND event_id = $eb)" "authorized|0"
check_sql "the failure names the error" "SELECT error FROM consumer_failed WHERE event_id = $eb" \
    "the payment provider refused the capture"
check "... and an error is logged" grep -q "billing: event $eb (order.confirmed key=$tag-b) failed 3 times" "$SOUK_LOG_DIR/worker.log"
check "notifications were not affected (mailed it)" wait_for 5 test -s "$SOUK_MAIL_DIR/event-$eb.eml"
worker_stop
worker_start

# ---- PostgreSQL restarted under the worker
pgdata=${SOUK_PG_DATA:-$SOUK_VAR/pg}
as_pg() { if [ "$(id -u)" = 0 ]; then (cd / && runuser -u postgres -- "$@"); else "$@"; fi; }
check "postgres restarts" as_pg pg_ctl -D "$pgdata" -m fast -w -t 60 restart -l "${SOUK_PG_LOG:-$SOUK_LOG_DIR/postgres.log}"
o10=$(t_order "$tag-10" a10@example.com "Jo Ten" CONFIRMED); p10=$(t_payment "$o10" authorized)
e10=$(t_event "$o10" order.confirmed)
check "an event after the database restart is captured" wait_for 20 sql_is "SELECT status FROM payments WHERE id = $p10" captured
check "... and mailed" wait_for 10 test -s "$SOUK_MAIL_DIR/event-$e10.eml"

# ---- Redis restarted without its streams: events made meanwhile still arrive
redis SHUTDOWN NOSAVE >/dev/null 2>&1
o8=$(t_order "$tag-8" a8@example.com "Hal Eight" CONFIRMED); p8=$(t_payment "$o8" authorized)
e8=$(t_event "$o8" order.confirmed)
sleep 1
redis-server "$SOUK_VAR/redis/redis.conf" >/dev/null
check "after the Redis restart the event is captured within 20 s" wait_for 20 sql_is \
    "SELECT status FROM payments WHERE id = $p8" captured
check "... and mailed" wait_for 10 test -s "$SOUK_MAIL_DIR/event-$e8.eml"
check "the given-up event was not offered again by the replay" \
    test "$(grep -c "billing: event $eb (order.confirmed) failed" "$SOUK_LOG_DIR/worker.log")" = 3
check "the groups were created again on the new streams" test "$(grep -c 'created group on souk:orders' "$SOUK_LOG_DIR/worker.log")" -ge 4
check "the worker survived (same supervisor)" test "$(worker_pid)" != ""
check "no job died" test "$(grep -c 'exited (status' "$SOUK_LOG_DIR/worker.log")" = "$(grep -c 'exited (status 9)' "$SOUK_LOG_DIR/worker.log")"

# ---- Redis restarted from an older snapshot: it comes back with the
# relay's marker (and streams) of that time, not with the events published
# since; those are published again all the same (the marker is the run_id)
check "the outbox is relayed before the snapshot" wait_for 20 sql_is \
    "SELECT count(*) FROM outbox WHERE published_at IS NULL" 0
redis SAVE >/dev/null
worker_stop
o11=$(t_order "$tag-11" a11@example.com "Ike Eleven" CONFIRMED); p11=$(t_payment "$o11" authorized)
e11=$(t_event "$o11" order.confirmed)
# as if the relay had published it into the Redis that then lost it
sql "UPDATE outbox SET published_at = now() WHERE id = $e11" >/dev/null
redis SHUTDOWN NOSAVE >/dev/null 2>&1
redis-server "$SOUK_VAR/redis/redis.conf" >/dev/null
for _ in $(seq 1 50); do [ "$(redis PING 2>/dev/null)" = PONG ] && break; sleep 0.1; done
check "the snapshot brought the old marker back" test -n "$(redis GET souk:relay:epoch)"
check "the worker starts" worker_start
check "the event published before the stale restart is captured" wait_for 20 sql_is \
    "SELECT status FROM payments WHERE id = $p11" captured
check "... and mailed" wait_for 10 test -s "$SOUK_MAIL_DIR/event-$e11.eml"
check "the relay said why" grep -q 'relay: Redis is new or restarted (run_id [0-9a-f]*, souk:relay:epoch was another)' "$SOUK_LOG_DIR/worker.log"
check "the marker now names this server (its run_id)" test "$(redis GET souk:relay:epoch)" = "$(redis INFO server | tr -d '\r' | sed -n 's/^run_id://p')"

done_testing
