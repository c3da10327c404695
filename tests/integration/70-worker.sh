#!/usr/bin/env bash
# 70-worker: souk-worker's outbox relay (id order, marked published, delay,
# crash of the relay), the cache consumer after souk-ctl set-price, and the
# notification and billing consumers on order.confirmed (one mail, one
# capture, also when the event is delivered again); an unknown
# SOUK_PAY_PROVIDER makes souk-worker and souk-ctl refuse to start.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/lib-orders.sh"
. "$(dirname "$0")/buy-lib.sh"

check "the worker is running" worker_pid
check "the worker runs nine jobs (relay, expiry, payments, billing, notifications, cache, ledger, flash, payouts)" test "$(grep -l "^PPid:[[:space:]]*$(worker_pid)\$" /proc/[0-9]*/status 2>/dev/null | wc -l)" = 9

# stream_ids STREAM TYPE: the outbox ids of the entries of TYPE, in stream order.
stream_ids() {
    redis --raw XRANGE "$1" - + | awk -v t="$2" '
        prev == "id" { id = $0 } prev == "type" && $0 == t { print id } { prev = $0 }'
}

# order_report STREAM TYPE FIRST LAST [firsts]: a one-line summary of the
# entries of TYPE: "N once, in order" when the stream holds exactly ids
# FIRST..LAST in that order; with "firsts", repeats are allowed and only
# first sightings count.
order_report() {
    stream_ids "$1" "$2" | awk -v f="$3" -v l="$4" -v firsts="${5:-}" '
        { if (seen[$0]++) { dup++; if (firsts != "") next } else n++
          if (prev != "" && $0 + 0 < prev + 0) back++; prev = $0 }
        END { miss = 0; for (i = f; i <= l; i++) if (!(i in seen)) miss++
              if (miss == 0 && back == 0 && (dup == 0 || firsts != "") && n == l - f + 1)
                  print n " once, in order"
              else printf "%d distinct, %d repeated, %d missing, %d out of order\n", n, dup, miss, back }'
}

# ---- relay: id order, marked published
first=$(sql "INSERT INTO outbox (topic, key, payload)
             SELECT 'inventory', 'k' || g, jsonb_build_object('type', 'test.relay', 'seq', g)
             FROM generate_series(1, 30) g RETURNING id" | head -n1)
last=$((first + 29))
check "30 events are published within 5 s" wait_for 5 sql_is \
    "SELECT count(*) FROM outbox WHERE id BETWEEN $first AND $last AND published_at IS NOT NULL" 30
check "they are in souk:inventory in id order, each once" \
    test "$(order_report souk:inventory test.relay "$first" "$last")" = "30 once, in order"
entry=$(redis --raw XREVRANGE souk:inventory + - COUNT 1 | paste -sd'|')
check "an entry carries id, type, key and the payload" \
    test "$entry" = "$(redis --raw XREVRANGE souk:inventory + - COUNT 1 | head -n1)|id|$last|type|test.relay|key|k30|payload|{\"seq\": 30, \"type\": \"test.relay\"}"

# ---- delay from insert to XADD (the entry id is Redis's clock in ms)
delays=()
for n in $(seq 1 10); do
    id=$(sql "INSERT INTO outbox (topic, key, payload) VALUES ('inventory', 'd$n',
              '{\"type\":\"test.delay\"}') RETURNING id")
    created=$(sql "SELECT (extract(epoch FROM created_at) * 1000)::bigint FROM outbox WHERE id = $id")
    wait_for 5 sql_is "SELECT published_at IS NOT NULL FROM outbox WHERE id = $id" t
    xms=$(redis --raw XRANGE souk:inventory - + | awk -v id="$id" '
        /^[0-9]+-[0-9]+$/ { e = $0 } prev == "id" && $0 == id { split(e, a, "-"); print a[1] } { prev = $0 }')
    delays+=($((xms - created)))
    sleep 0.0$((RANDOM % 9 + 1))
done
sorted=$(printf '%s\n' "${delays[@]}" | sort -n | paste -sd' ')
diag "insert -> XADD delay, ms (10 single events): $sorted"
check "every event reached its stream within 1 s of its insert" \
    test "$(printf '%s\n' "${delays[@]}" | sort -n | tail -n1)" -lt 1000

# ---- a killed relay loses and reorders nothing
relay_pid=$(grep 'msg="relay: started"' "$SOUK_LOG_DIR/worker.log" | tail -n1 | sed -E 's/.* pid=([0-9]+) .*/\1/')
first=$(sql "SELECT nextval('outbox_id_seq') + 1")
xlen0=$(redis XLEN souk:inventory)
sql "INSERT INTO outbox (topic, key, payload)
     SELECT 'inventory', 'c' || g, jsonb_build_object('type', 'test.crash', 'seq', g)
     FROM generate_series(1, 3000) g" >/dev/null
# kill it as soon as it has added part of the burst: most of a batch is
# XADDs, so this lands between an XADD and the batch's commit
xlen_grew() { [ "$(redis XLEN souk:inventory)" -gt "$xlen0" ]; }
wait_for 10 xlen_grew
kill -KILL "$relay_pid" 2>/dev/null
diag "killed relay job $relay_pid during a burst of 3000 events"
last=$(sql "SELECT max(id) FROM outbox")
check "after the supervisor restarts the relay, all 3000 are published" wait_for 20 sql_is \
    "SELECT count(*) FROM outbox WHERE id BETWEEN $first AND $last AND published_at IS NULL" 0
got=$(order_report souk:inventory test.crash "$first" "$last" firsts)
diag "after the kill: $(stream_ids souk:inventory test.crash | wc -l) entries for 3000 events"
check "the stream holds every id, first sightings in id order ($got)" test "$got" = "3000 once, in order"
check "a new relay job was started" test "$(grep -c 'msg="relay: started"' "$SOUK_LOG_DIR/worker.log")" -ge 2

# ---- two relays (a second worker running only the relay) never reorder
env SOUK_PIDFILE="$T_TMP/relay2.pid" SOUK_WORKER_JOBS=relay \
    SOUK_DATABASE_URL="${SOUK_DATABASE_URL:-host=$PGHOST port=$PGPORT dbname=souk user=souk}" \
    SOUK_REDIS_URL="${SOUK_REDIS_URL:-redis://127.0.0.1:$SOUK_REDIS_PORT/0}" \
    SOUK_TEMPLATE_DIR="${SOUK_TEMPLATE_DIR:-$SOUK_REPO/templates}" SOUK_RELAY_POLL_MS=5 \
    ASAN_OPTIONS=detect_leaks=0 "$SOUK_WORKER" </dev/null >>"$SOUK_LOG_DIR/worker.log" 2>&1 &
relay2=$!
sleep 0.5
first=$(sql "SELECT nextval('outbox_id_seq') + 1")
for part in 1 2 3 4; do
    sql "INSERT INTO outbox (topic, key, payload)
         SELECT 'inventory', 'two' || g, jsonb_build_object('type', 'test.two', 'seq', g)
         FROM generate_series(1, 500) g" >/dev/null
done
last=$(sql "SELECT max(id) FROM outbox")
check "with two relays all 2000 are published" wait_for 20 sql_is \
    "SELECT count(*) FROM outbox WHERE id BETWEEN $first AND $last AND published_at IS NULL" 0
got=$(order_report souk:inventory test.two "$first" "$last")
check "... exactly once each, in id order ($got)" test "$got" = "2000 once, in order"
kill -TERM "$relay2"
wait "$relay2"
check "the second worker stopped cleanly on SIGTERM" test $? = 0

# ---- an unknown payment provider: the programs refuse to start, saying why
out=$(env SOUK_PAY_PROVIDER=nope SOUK_WORKER_JOBS=relay SOUK_PIDFILE="$T_TMP/nope.pid" \
    ASAN_OPTIONS=detect_leaks=0 timeout 10 "$SOUK_WORKER" </dev/null 2>&1)
rc=$?
check "souk-worker with SOUK_PAY_PROVIDER=nope exits 2 at once (got $rc)" test "$rc" = 2
check "... naming the setting and the known providers" \
    grep -q 'SOUK_PAY_PROVIDER=nope is not a known provider (sandbox, payd)' <<<"$out"
check "... and never wrote its pid file" test ! -e "$T_TMP/nope.pid"
out=$(env SOUK_PAY_PROVIDER=nope ASAN_OPTIONS=detect_leaks=0 timeout 10 "$SOUK_CTL" product-json 1 2>&1)
rc=$?
check "souk-ctl with SOUK_PAY_PROVIDER=nope exits 2 (got $rc)" test "$rc" = 2
check "... saying why" grep -q 'SOUK_PAY_PROVIDER=nope is not a known provider' <<<"$out"

# ---- cache consumer: souk-ctl set-price -> outbox event -> invalidation
t_pick_offer
redis SET "product:$T_PRODUCT" stale >/dev/null
v0=$(redis GET catalog:version)
[ -n "$v0" ] || v0=0
check "souk-ctl set-price succeeds" "$SOUK_CTL" set-price "$T_SKU" $((T_PRICE + 100))
ev=$(sql "SELECT id FROM outbox WHERE topic = 'catalog' ORDER BY id DESC LIMIT 1")
check_sql "set-price wrote one catalog event with the change" \
    "SELECT payload->>'type', payload->>'product_id', payload->>'offer_id', payload->>'price', key
     FROM outbox WHERE id = $ev" "catalog.price_changed|$T_PRODUCT|$T_SKU|$((T_PRICE + 100))|$T_PRODUCT"
check "the cache group records it within 15 s" wait_for 15 sql_is \
    "SELECT count(*) FROM consumer_applied WHERE consumer = 'cache' AND event_id = $ev" 1
# ... and once more by souk-searchd's refresh (it applied the product)
# when the daemon is serving
want=$((v0 + 2))
[ -S "${SOUK_SEARCHD_SOCKET:-$SOUK_VAR/run/searchd.sock}" ] && want=$((v0 + 3))
version_is() { [ "$(redis GET catalog:version)" = "$1" ]; }
check "catalog:version went up by souk-ctl, the consumer (and souk-searchd): $v0 -> $want" \
    wait_for 2 version_is "$want"
# a stale document cached after the write is dropped by the event
redis SET "product:$T_PRODUCT" stale >/dev/null
ev=$(sql "INSERT INTO outbox (topic, key, payload) VALUES ('catalog', '$T_PRODUCT',
          jsonb_build_object('type', 'catalog.price_changed', 'product_id', $T_PRODUCT)) RETURNING id")
key_gone() { [ "$(redis EXISTS "$1")" = 0 ]; }
check "a catalog event deletes product:$T_PRODUCT within 5 s" wait_for 5 key_gone "product:$T_PRODUCT"
redis SET "product:$T_PRODUCT" stale >/dev/null
ev=$(sql "INSERT INTO outbox (topic, key, payload) VALUES ('inventory', '$T_PRODUCT',
          jsonb_build_object('type', 'inventory.changed', 'sku_id', $T_SKU, 'warehouse_id', $T_WH,
                             'product_id', $T_PRODUCT)) RETURNING id")
check "an inventory event is applied by the cache group" wait_for 5 sql_is \
    "SELECT count(*) FROM consumer_applied WHERE consumer = 'cache' AND event_id = $ev" 1
check "... and the key is gone" test "$(redis EXISTS "product:$T_PRODUCT")" = 0
"$SOUK_CTL" set-price "$T_SKU" "$T_PRICE" >/dev/null

# ---- notifications + billing: order.confirmed
pub="T70-$RANDOM$RANDOM"
name='Zoë Ådahl'
oid=$(t_order "$pub" "zoe@example.com" "$name" CONFIRMED 2)
pay=$(t_payment "$oid" authorized)
ev=$(t_event "$oid" order.confirmed)
mail="$SOUK_MAIL_DIR/event-$ev.eml"
check "order.confirmed -> $mail within 5 s" wait_for 5 test -s "$mail"
check "billing captured the payment" wait_for 5 sql_is "SELECT status FROM payments WHERE id = $pay" captured
to_want="To: =?UTF-8?B?$(printf '%s' "$name" | base64 -w0)?= <zoe@example.com>"
check "To: the RFC 2047-encoded name and the order's address" grep -qxF "$to_want"$'\r' "$mail"
check "Subject names the order" grep -qxF "Subject: Your Souk order $pub is confirmed"$'\r' "$mail"
check "Message-ID is the event's" grep -qF "Message-ID: <event-$ev.$pub@souk.example>" "$mail"
check "Content-Type text/plain utf-8" grep -qxF $'Content-Type: text/plain; charset=utf-8\r' "$mail"
check "every line ends with CRLF" test "$(grep -c $'\r$' "$mail")" = "$(wc -l <"$mail")"
total=$(sql "SELECT to_char(total / 100.0, 'FM999999990.00') FROM orders WHERE id = $oid")
check "the body has the total and the greeting" grep -qF "Total: $total USD" "$mail"
check "... the greeting with the name (UTF-8 body)" grep -qF "Hello $name," "$mail"
check_sql "one payment row for the order, captured" \
    "SELECT count(*) FILTER (WHERE status = 'captured'), count(*) FROM payments WHERE order_id = $oid" "1|1"
check "one capture reached the sandbox provider" test "$(sandbox_ops "$oid" capture)" = 1
IFS='|' read -r pref pamt < <(sql "SELECT provider_ref, amount FROM payments WHERE id = $pay")
check_payd_sql "the provider's charge is captured in full" \
    "SELECT s.status, s.captured = $pamt FROM payd_charges s WHERE s.ref = '$pref'" "captured|t"

# the same event delivered again (what a relay crash after XADD does)
mtime=$(stat -c %y "$mail")
redis XADD souk:orders '*' id "$ev" type order.confirmed key "$pub" \
    payload "{\"type\": \"order.confirmed\", \"order_id\": $oid, \"public_id\": \"$pub\"}" >/dev/null
check "the redelivered event is read and acknowledged by notifications" wait_for 5 caught_up souk:orders notifications
check "... and by billing" wait_for 5 caught_up souk:orders billing
check "still exactly one mail for the event" test "$(ls "$SOUK_MAIL_DIR" | grep -c "^event-$ev\.eml$")" = 1
check "the mail file was not rewritten" test "$(stat -c %y "$mail")" = "$mtime"
check_sql "each group applied the event once" \
    "SELECT string_agg(consumer || ':' || n, ',' ORDER BY consumer) FROM
       (SELECT consumer, count(*) n FROM consumer_applied WHERE event_id = $ev GROUP BY 1) s" \
    "billing:1,notifications:1"
check "the log says it was skipped" grep -q "notifications: event $ev (order.confirmed) already applied" "$SOUK_LOG_DIR/worker.log"
check_sql "still one capture" "SELECT count(*) FROM payments WHERE order_id = $oid AND status = 'captured'" 1
check "still one capture at the provider" test "$(sandbox_ops "$oid" capture)" = 1
check "no mail temp files left" test -z "$(ls -A "$SOUK_MAIL_DIR" | grep '^\.')"

# ---- a real checkout (the JSON API) through the worker, to delivery
sku=$(make_sku w70 "1:5" 2599)
cart=$(new_cart)
cart_put "$cart" "$sku" 1 >/dev/null
checkout "$cart" "k-w70-$RANDOM$RANDOM"
check "checkout -> 201 (got $HTTP_STATUS)" test "$HTTP_STATUS" = 201
pub=$(json_get "j['order']['public_id']")
tok=$(json_get "j['order']['access_token']")
oid=$(sql "SELECT id FROM orders WHERE public_id = '$pub'")
ev=$(sql "SELECT id FROM outbox WHERE topic = 'orders' AND key = '$pub' AND payload->>'type' = 'order.confirmed'")
check "billing captures the checkout's payment within 5 s" wait_for 5 sql_is \
    "SELECT status FROM payments WHERE order_id = $oid" captured
check_json "/api/v1/orders/$pub" "j['order']['payment']['status'] == 'captured'" 200 GET -H "Authorization: Bearer $tok"
check "one capture at the provider" test "$(sandbox_ops "$oid" capture)" = 1
check "the confirmation mail is written" wait_for 5 test -s "$SOUK_MAIL_DIR/event-$ev.eml"
check "... to the shopper" grep -qxF $'To: "Ada Shopper" <shopper@example.com>\r' "$SOUK_MAIL_DIR/event-$ev.eml"
check "... naming the item" grep -qF "1 x Test item w70" "$SOUK_MAIL_DIR/event-$ev.eml"
check "no mail for order.pending" test ! -e "$SOUK_MAIL_DIR/event-$(sql "SELECT id FROM outbox WHERE key = '$pub' AND payload->>'type' = 'order.pending'").eml"
"$SOUK_CTL" order process "$pub" >/dev/null
"$SOUK_CTL" order ship "$pub" DHL JD014600003828 >/dev/null
"$SOUK_CTL" order deliver "$pub" >/dev/null
shipped=$(sql "SELECT id FROM outbox WHERE key = '$pub' AND payload->>'type' = 'order.shipped'")
delivered=$(sql "SELECT id FROM outbox WHERE key = '$pub' AND payload->>'type' = 'order.delivered'")
check "shipped and delivered mails follow" wait_for 5 test -s "$SOUK_MAIL_DIR/event-$delivered.eml" -a -s "$SOUK_MAIL_DIR/event-$shipped.eml"
check "the shipped mail has carrier and tracking" grep -q "Carrier: DHL" "$SOUK_MAIL_DIR/event-$shipped.eml"
check "... and its subject" grep -qxF "Subject: Your Souk order $pub has shipped"$'\r' "$SOUK_MAIL_DIR/event-$shipped.eml"
check "the delivered mail's subject" grep -qxF "Subject: Your Souk order $pub was delivered"$'\r' "$SOUK_MAIL_DIR/event-$delivered.eml"
check_sql "still one capture after the moves" "SELECT count(*) FROM payments WHERE order_id = $oid AND status = 'captured'" 1

# ---- cancel after capture: buy-core refunds, billing announces, one mail
cart=$(new_cart)
cart_put "$cart" "$sku" 1 >/dev/null
checkout "$cart" "k-w70c-$RANDOM$RANDOM"
pub=$(json_get "j['order']['public_id']")
tok=$(json_get "j['order']['access_token']")
oid=$(sql "SELECT id FROM orders WHERE public_id = '$pub'")
check "captured by the worker" wait_for 5 sql_is "SELECT status FROM payments WHERE order_id = $oid" captured
check_json "/api/v1/orders/$pub/cancel" "j['order']['status'] == 'CANCELLED' and j['order']['payment']['status'] == 'refunded'" 200 POST -H "Authorization: Bearer $tok"
check "billing announces the refund once (payment.refunded)" wait_for 5 sql_is \
    "SELECT count(*) FROM outbox WHERE topic = 'payments' AND payload->>'type' = 'payment.refunded' AND (payload->>'order_id')::bigint = $oid AND payload->>'amount' = (SELECT total::text FROM orders WHERE id = $oid)" 1
refund_ev=$(sql "SELECT id FROM outbox WHERE topic = 'payments' AND payload->>'type' = 'payment.refunded' AND (payload->>'order_id')::bigint = $oid")
check_sql "the capture was announced once too (payment.captured, for the ledger)" \
    "SELECT count(*) FROM outbox WHERE topic = 'payments' AND payload->>'type' = 'payment.captured' AND (payload->>'order_id')::bigint = $oid AND payload->>'amount' = (SELECT total::text FROM orders WHERE id = $oid)" 1
check "the refund mail is written" wait_for 5 test -s "$SOUK_MAIL_DIR/event-$refund_ev.eml"
check_sql "one refund, at the provider too" \
    "SELECT (SELECT count(*) FROM refunds WHERE order_id = $oid) || '|' || $(sandbox_ops "$oid" refund)" "1|1"

# ---- SIGHUP: a changed mail template is used without a restart
worker_stop
mkdir -p "$T_TMP/tpl"
cp -r "${SOUK_TEMPLATE_DIR:-$SOUK_REPO/templates}/." "$T_TMP/tpl/"
check "the worker starts on a copy of the templates" worker_start SOUK_TEMPLATE_DIR="$T_TMP/tpl"
wpid=$(worker_pid)
oid=$(t_order "T70-hup-$RANDOM" hup@example.com "Hup" DELIVERED)
ev=$(t_event "$oid" order.delivered)
check "a delivered mail with the template as it was (now cached)" wait_for 5 grep -qx $'Souk\r' "$SOUK_MAIL_DIR/event-$ev.eml"
sed -i 's/^Souk$/Souk, version two/' "$T_TMP/tpl/mail/order_delivered.tpl"
touch -d '+2 seconds' "$T_TMP/tpl/mail/order_delivered.tpl"
kill -HUP "$wpid"
sleep 0.5
oid=$(t_order "T70-hup-$RANDOM" hup@example.com "Hup" DELIVERED)
ev=$(t_event "$oid" order.delivered)
check "the mail after SIGHUP uses the changed template" wait_for 5 grep -q "^Souk, version two" "$SOUK_MAIL_DIR/event-$ev.eml"
check "SIGHUP did not restart the worker" test "$(worker_pid)" = "$wpid"
worker_stop
worker_start

done_testing
