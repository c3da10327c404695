#!/usr/bin/env bash
# bench/ledger-concurrency.sh: the full-size concurrency check of the
# ledger (issue 11): 1,000 orders across 5 sellers, then cancels, partial
# returns and three payout runs all at once; `ctl ledger check` must pass,
# every capture and refund be booked once and no seller be paid twice.
# It is tests/integration/88-ledger-concurrency.sh (100 orders in CI) with
# LEDGER_ORDERS=1000 on bin/souk test's throwaway stack. Usage:
#   SOUK_TEST_PORT=... SOUK_TEST_PG_PORT=... SOUK_TEST_REDIS_PORT=... bench/ledger-concurrency.sh [ORDERS]
set -euo pipefail
REPO=$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/.." && pwd)
export LEDGER_ORDERS=${1:-1000} SOUK_IT_TIMEOUT=${SOUK_IT_TIMEOUT:-3600}
start=$(date +%s)
"$REPO/bin/souk" test 88-ledger-concurrency.sh
echo "bench: $LEDGER_ORDERS orders in $(($(date +%s) - start)) s (stack start included)" >&2
