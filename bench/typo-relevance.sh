#!/usr/bin/env bash
# bench/typo-relevance.sh: NDCG@10 of the ESCI dev queries as typed with
# typos (bench/typo-queries.tsv, made by bench/typo-queries.py) next to the
# clean queries, through bench/relevance.sh (same stack, same scoring).
# Target: typo NDCG >= 90 % of the clean figure.
#   BENCH_RECORD=1 appends a dated section to bench/RESULTS.md.
set -euo pipefail
export LC_ALL=C.UTF-8
REPO=$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/.." && pwd)
SET=${TYPO_QUERIES:-$REPO/bench/typo-queries.tsv}

score() { sed -n 's/^mean NDCG@10: //p'; }
clean_out=$(BENCH_RECORD=0 "$REPO/bench/relevance.sh")
typo_out=$(BENCH_RECORD=0 RELEVANCE_QUERIES=$SET "$REPO/bench/relevance.sh")
clean=$(printf '%s\n' "$clean_out" | score)
typo=$(printf '%s\n' "$typo_out" | score)
ratio=$(python3 -c "print(f'{$typo / $clean:.3f}')")
echo "clean NDCG@10: $clean"
echo "typo NDCG@10: $typo ($(($(wc -l <"$SET") - 1)) queries, $SET)"
echo "typo / clean: $ratio (target >= 0.90)"
if [ "${BENCH_RECORD:-0}" = 1 ]; then
    {
        echo
        echo "## typo-relevance.sh, $(date -u +%Y-%m-%d) ($(nproc) cores, $(uname -m), tree $(git -C "$REPO" rev-parse --short HEAD))"
        echo
        echo "\`bench/typo-relevance.sh\`: mean NDCG@10 (KDD gains) over the 68 dev queries,"
        echo "clean $clean, with typos $typo: ratio $ratio (target >= 0.90)."
    } >>"$REPO/bench/RESULTS.md"
fi
