#!/usr/bin/env bash
# bench/relevance.sh: search relevance on the 68 judged ESCI dev queries.
#
# Runs every query of $ESCI_DIR/dev_queries.tsv through GET /api/v1/search
# (the default relevance sort, no filters) against the demo catalog of
# `bin/souk up` (started if /healthz does not answer), writes the run file
# (query_id, product_id = the hit's ref, the ASIN; rank) to
# $SOUK_VAR/bench/relevance.run and scores it with esci_ndcg.py: mean
# NDCG@10 with the default (KDD Cup) gains, and the linear gains for
# reference. Compared with the README's plain BM25 baseline, 0.6056.
#   BENCH_PER_QUERY=1 also prints the score of each query.
#   RELEVANCE_QUERIES=FILE scores another query set with the same ids
#   (bench/typo-queries.tsv: bench/typo-relevance.sh).
#   BENCH_RECORD=1 appends a dated section to bench/RESULTS.md.
set -euo pipefail
export LC_ALL=C.UTF-8

REPO=$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/.." && pwd)
VAR=${SOUK_VAR:-$REPO/var}
case $VAR in /*) ;; *) VAR=$PWD/$VAR ;; esac
URL=${SOUK_URL:-http://127.0.0.1:${SOUK_PORT:-8080}}
SHARED=${SOUK_SHARED:-$REPO/../shared}
[ -d "$SHARED/data/esci" ] || SHARED=/work/shared
ESCI_DIR=${ESCI_DIR:-$SHARED/data/esci}
NDCG=${ESCI_NDCG:-$SHARED/tools/esci_ndcg.py}
BASELINE=0.6056

"$REPO/bin/souk" deps curl python3 redis-tools || exit 1
QUERIES=${RELEVANCE_QUERIES:-$ESCI_DIR/dev_queries.tsv}
[ -r "$QUERIES" ] || { echo "relevance: no $QUERIES" >&2; exit 1; }
if ! curl -fs "$URL/api/v1/healthz" >/dev/null; then
    echo "relevance: starting the stack (bin/souk up)" >&2
    "$REPO/bin/souk" up >&2
fi
out=$VAR/bench
mkdir -p "$out"
# Results cached by an earlier build would hide what this one ranks: a
# catalog version bump retires them.
redis-cli -p "${SOUK_REDIS_PORT:-6390}" INCR catalog:version >/dev/null 2>&1 ||
    echo "relevance: could not bump catalog:version; cached results may be reused" >&2
run=$out/relevance.run
[ -n "${RELEVANCE_QUERIES:-}" ] && run=$out/relevance-$(basename "$QUERIES" .tsv).run

# One request per query; the run holds the first 10 hits in rank order.
python3 - "$URL" "$QUERIES" "$run" <<'PY'
import csv, json, sys, urllib.parse, urllib.request
url, queries, run = sys.argv[1:4]
with open(queries, encoding="utf-8") as f, open(run, "w", encoding="utf-8") as o:
    o.write("query_id\tproduct_id\trank\n")
    for row in csv.DictReader(f, delimiter="\t"):
        u = url + "/api/v1/search?" + urllib.parse.urlencode({"q": row["query"], "per_page": 10})
        with urllib.request.urlopen(u, timeout=20) as r:
            j = json.load(r)
        for i, h in enumerate(j["hits"], 1):
            o.write(f'{row["query_id"]}\t{h["ref"]}\t{i}\n')
PY

extra=()
[ "${BENCH_PER_QUERY:-0}" = 1 ] && extra=(--per-query)
kdd=$(python3 "$NDCG" "$run" "$ESCI_DIR/dev_judgments.tsv" "${extra[@]}")
linear=$(python3 "$NDCG" "$run" "$ESCI_DIR/dev_judgments.tsv" --gain linear | sed -n 's/^mean NDCG@10: //p')
echo "$kdd"
score=$(printf '%s\n' "$kdd" | sed -n 's/^mean NDCG@10: //p')
echo "linear gains: $linear"
echo "baseline (plain BM25, 3/2/1 boosts): $BASELINE; target >= 0.65"
if [ "${BENCH_RECORD:-0}" = 1 ]; then
    {
        echo
        echo "## relevance.sh, $(date -u +%Y-%m-%d) ($(nproc) cores, $(uname -m))"
        echo
        echo "\`bench/relevance.sh\`: mean NDCG@10 over the 68 dev queries, $score (KDD gains),"
        echo "$linear (linear gains); baseline $BASELINE."
    } >>"$REPO/bench/RESULTS.md"
fi
