#!/usr/bin/env bash
# 30-prefork: the supervisor restarts a worker that dies, keeps its workers
# on SIGHUP (template reload), and requests keep working throughout.
. "$(dirname "$0")/lib.sh"
run=$SOUK_VAR/run
sup=$(cat "$run/api.pid")
workers() { pgrep -P "$sup" | sort | tr '\n' ' '; }

before=$(workers)
check "the api pool runs ${SOUK_WORKERS:-2} workers" test "$(echo $before | wc -w)" -eq "${SOUK_WORKERS:-2}"
victim=$(echo $before | cut -d' ' -f1)
kill -9 "$victim"
for _ in $(seq 1 30); do
    now=$(workers)
    [ "$(echo $now | wc -w)" -eq "${SOUK_WORKERS:-2}" ] && ! echo " $now " | grep -q " $victim " && break
    sleep 0.1
done
check "a killed worker is replaced" sh -c "! echo ' $now ' | grep -q ' $victim ' && [ $(echo $now | wc -w) -eq ${SOUK_WORKERS:-2} ]"
for _ in 1 2 3 4; do check_status /api/v1/categories 200; done

kill -HUP "$sup"
sleep 0.3
check "SIGHUP keeps the same workers" test "$(workers)" = "$now"
check_status /healthz 200

# Many requests in parallel while a worker is killed: none may see a 5xx
# other than the one whose worker died (nginx answers 502 for that one).
codes=$T_TMP/codes
for i in $(seq 1 40); do
    curl -s -o /dev/null -w '%{http_code}\n' "$SOUK_URL/api/v1/categories/1/products?per_page=5" >>"$codes" &
done
wait
check "40 parallel requests all answered 200" test "$(grep -c '^200$' "$codes")" -eq 40
done_testing
