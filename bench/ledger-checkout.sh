#!/usr/bin/env bash
# bench/ledger-checkout.sh: what the ledger costs a checkout. Rounds
# alternate SOUK_LEDGER=off and on (the stack restarted with it, same
# data, same run): each round places BENCH_ORDERS (2,000) API checkouts
# with BENCH_CLIENTS (16) clients over 5 sellers' skus and waits until
# every order is captured (and, when on, booked); orders/s = orders / (last
# capture or, when on, last booking - first request): the ledger consumer
# books beside billing (workers/ledger.c), so its lag counts. Prints the medians and the on/off ratio and
# appends them to bench/RESULTS.md (target: on >= 0.90 x off). Its own
# stacks like bench/checkout.sh (ports 8386/5736/6696): one database per
# mode (var/bench-ledger-off, var/bench-ledger-on), both from the same
# import, because an off round's captures are never booked and would make
# `ledger check` fail in every later on round of a shared database.
set -euo pipefail
export LC_ALL=C
REPO=$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/.." && pwd)
VAR_BASE=${BENCH_VAR:-$REPO/var/bench-ledger}
export SOUK_PORT=${BENCH_PORT:-8386} SOUK_PG_PORT=${BENCH_PG_PORT:-5736} SOUK_REDIS_PORT=${BENCH_REDIS_PORT:-6696}
export SOUK_LIMIT_EXEMPT=${SOUK_LIMIT_EXEMPT-127.0.0.1} SOUK_LOG_LEVEL=warn SOUK_WORKERS=${BENCH_WORKERS:-8}
export PGPORT=$SOUK_PG_PORT PGDATABASE=souk PGUSER=souk
URL=http://127.0.0.1:$SOUK_PORT
ROUNDS=${BENCH_ROUNDS:-3}
ORDERS=${BENCH_ORDERS:-2000}
CLIENTS=${BENCH_CLIENTS:-16}
B=$VAR_BASE-bench
mkdir -p "$B"
log() { printf 'bench: %s\n' "$*" >&2; }
die() { printf 'bench: error: %s\n' "$*" >&2; exit 1; }
q() { psql -X -q -tA -v ON_ERROR_STOP=1 -c "$1"; }
"$REPO/bin/souk" deps postgresql-client-15 curl python3 || die "missing packages"
use_mode() { export SOUK_VAR=$VAR_BASE-$1 PGHOST=$VAR_BASE-$1/run; }
down_all() { local m; for m in off on; do SOUK_VAR=$VAR_BASE-$m "$REPO/bin/souk" down >/dev/null 2>&1 || true; done; }
cleanup() { [ "${BENCH_KEEP:-0}" = 1 ] || down_all; }
trap cleanup EXIT

round() { # MODE R -> prints orders/s (and, on stderr, the clients' own rate)
    down_all # round runs in $( ), so the other mode's stack is stopped here
    use_mode "$1"
    SOUK_LEDGER=$1 "$REPO/bin/souk" up >"$B/up-$1.log" 2>&1 || { tail -20 "$B/up-$1.log"; die "bin/souk up failed"; }
    local skus
    skus=$(q "SELECT string_agg(o.id::text, ',') FROM (SELECT DISTINCT ON (o.seller_id) o.id FROM offers o
              JOIN inventory i ON i.sku_id = o.id WHERE o.status = 'active' AND i.quantity_available > 0
              ORDER BY o.seller_id, o.id LIMIT 5) o")
    q "UPDATE inventory SET quantity_available = quantity_available + 100000 WHERE sku_id IN ($skus)" >/dev/null
    local first
    first=$(q "SELECT COALESCE(max(id), 0) FROM orders")
    python3 - "$URL" "$ORDERS" "$CLIENTS" "$skus" "$1-$2-$RANDOM" >"$B/client-$1" <<'PY'
import json, sys, threading, time, urllib.request
url, n, clients, skus, tag = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), sys.argv[4].split(','), sys.argv[5]
def post(path, body, headers={}):
    req = urllib.request.Request(url + path, json.dumps(body).encode(), {'Content-Type': 'application/json', **headers})
    with urllib.request.urlopen(req, timeout=30) as r:
        return json.load(r)
nxt, lock, ok = [0], threading.Lock(), [0]
def work():
    while True:
        with lock:
            i = nxt[0]; nxt[0] += 1
        if i >= n: return
        try:
            cart = post('/api/v1/carts', {})['cart_id']
            post(f'/api/v1/carts/{cart}/items', {'sku_id': int(skus[i % len(skus)]), 'qty': 1})
            post(f'/api/v1/carts/{cart}/items', {'sku_id': int(skus[(i + 1) % len(skus)]), 'qty': 1})
            post('/api/v1/checkout', {'cart_id': cart, 'email': 'bench@example.com', 'shipping_method': 'standard',
                 'shipping_address': {'name': 'B', 'line1': '1 St', 'city': 'C', 'postal_code': '12345', 'country': 'US'},
                 'payment': {'card_number': '4242424242424242', 'exp_month': 12, 'exp_year': 2099, 'cvc': '123'}},
                 {'Idempotency-Key': f'{tag}-{i}'})
            with lock: ok[0] += 1
        except Exception as e:
            print('error', e, file=sys.stderr)
start = time.time()
ts = [threading.Thread(target=work) for _ in range(clients)]
[t.start() for t in ts]; [t.join() for t in ts]
print(start, ok[0], time.time())
PY
    local start placed end
    read -r start placed end <"$B/client-$1"
    # every order captured (and booked when on)
    local want=$placed got=0 i
    for i in $(seq 1 600); do
        got=$(q "SELECT count(*) FROM payments p WHERE p.order_id > $first AND p.status = 'captured'")
        [ "$got" -ge "$want" ] && break
        sleep 0.5
    done
    [ "$got" -ge "$want" ] || die "only $got of $want orders captured"
    local last
    last=$(q "SELECT extract(epoch FROM max(updated_at)) FROM payments WHERE order_id > $first")
    if [ "$1" = on ]; then
        for i in $(seq 1 600); do
            got=$(q "SELECT count(*) FROM ledger_transactions WHERE kind = 'capture' AND order_id > $first")
            [ "$got" -ge "$want" ] && break
            sleep 0.5
        done
        [ "$got" = "$want" ] || die "not every capture booked ($got of $want)"
        last=$(q "SELECT extract(epoch FROM greatest(to_timestamp($last), max(created_at)))
                  FROM ledger_transactions WHERE kind = 'capture' AND order_id > $first")
        "$REPO/bin/souk" ctl ledger check >/dev/null || die "ledger check failed"
    fi
    log "round $2 $1: $placed orders placed by the clients in $(python3 -c "print('%.1f s' % ($end - $start))")"
    python3 -c "print('%.1f' % ($want / ($last - $start)))"
}

declare -a OFF ON
for r in $(seq 1 "$ROUNDS"); do
    OFF+=("$(round off "$r")"); log "round $r off: ${OFF[-1]} orders/s"
    ON+=("$(round on "$r")"); log "round $r on: ${ON[-1]} orders/s"
done
med() { printf '%s\n' "$@" | sort -n | awk '{ a[NR] = $1 } END { print a[int((NR + 1) / 2)] }'; }
off=$(med "${OFF[@]}") on=$(med "${ON[@]}")
ratio=$(python3 -c "print('%.3f' % ($on / $off))")
log "median: off $off, on $on orders/s; on/off $ratio (target >= 0.90)"
if [ "${BENCH_RECORD:-1}" = 1 ]; then
    {
        echo
        echo "## $(date -u '+%Y-%m-%d %H:%M') UTC: bench/ledger-checkout.sh"
        echo
        echo "- machine: $(nproc) cores, $(awk -F': ' '/model name/ { print $2; exit }' /proc/cpuinfo), shared ($(uptime | sed 's/.*load average/load average/')); tree $(git -C "$REPO" rev-parse --short HEAD)"
        echo "- command: \`bench/ledger-checkout.sh\` ($ROUNDS rounds, $ORDERS orders of 2 sellers' lines, $CLIENTS clients, $SOUK_WORKERS workers per pool)"
        echo "- orders/s captured, ledger off: ${OFF[*]} (median $off); on: ${ON[*]} (median $on); on/off = $ratio (target >= 0.90)"
    } >>"$REPO/bench/RESULTS.md"
fi
