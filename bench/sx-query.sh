#!/usr/bin/env bash
# bench/sx-query.sh: sx_tsq_match_all over a whole catalog, against the
# same-run naive scan (sx_tsq_match on every live product).
#
# Usage: PGHOST=... PGPORT=... PGUSER=souk PGDATABASE=souk bench/sx-query.sh [ROUNDS]
# (default: the 1M bench stack, /work/main/var/bench-1m; read-only).
# Needs build/run/bench/souk-sx-query (make -C build/run bench/souk-sx-query).
set -euo pipefail
cd "$(dirname "$0")/.."
bin/souk deps postgresql-client-15 || exit 1
: "${PGHOST:=/work/main/var/bench-1m/run}" "${PGPORT:=5634}" "${PGUSER:=souk}" "${PGDATABASE:=souk}"
export PGHOST PGPORT PGUSER PGDATABASE
export SOUK_DATABASE_URL="host=$PGHOST port=$PGPORT user=$PGUSER dbname=$PGDATABASE"
BIN=${SOUK_BUILD_DIR:-build/run}/bench/souk-sx-query
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
# label, websearch text: common words (~40 % of the catalog each), a rare
# one, phrases, or, negation, a hyphenated word, a word no product has.
queries=(
	"one|design"
	"two|high quality"
	"three|easy to use design"
	"four|perfect fit high quality"
	"rare|$(psql -XAtc "SELECT lexeme FROM search_lexeme_freq WHERE freq < 0.001 AND lexeme ~ '^[a-z]{4,}$' ORDER BY freq DESC, lexeme LIMIT 1")"
	"phrase|\"high quality\""
	"phrase3|\"easy to use\" design"
	"or|design or size"
	"not|design -size"
	"not2|perfect fit -size -design"
	"hyphen|t-shirt black"
	"absent|zzzqxv"
)
for q in "${queries[@]}"; do
	label=${q%%|*} text=${q#*|}
	tsq=$(psql -XAt -v t="$text" <<<"SELECT websearch_to_tsquery('souk', :'t')::text")
	printf '%s\t%s\n' "$label" "$tsq"
done >"$tmp/queries"
# 1M stacks predate 008_searchd.sql (no sx_index_load): the documents
# are streamed from psql instead.
if psql -XAtc "SELECT search_xid FROM products LIMIT 0" >/dev/null 2>&1; then
	"$BIN" "${1:-21}" <"$tmp/queries"
else
	"$BIN" "${1:-21}" <(psql -XAt -F $'\t' -v FETCH_COUNT=20000 \
		-c "SELECT id, search_doc::text FROM products WHERE status = 'active'") <"$tmp/queries"
fi
