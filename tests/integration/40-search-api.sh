#!/usr/bin/env bash
# 40-search-api: GET /api/v1/search and /search/suggest through nginx:
# ranking on products made here, every filter and facet against counts
# computed independently in SQL, paging edges, hostile input, typos.
. "$(dirname "$0")/lib.sh"
# enc TEXT: TEXT percent-encoded as urllib.parse.quote(TEXT, safe="") does
# (bash: a python3 start for each costs what several requests do)
enc() {
    local LC_ALL=C s=$1 out='' c i
    for ((i = 0; i < ${#s}; i++)); do
        c=${s:i:1}
        case $c in
        [A-Za-z0-9_.~-]) out+=$c ;;
        *) printf -v c '%%%02X' "'$c" && out+=$c ;;
        esac
    done
    printf '%s\n' "$out"
}
bump() { redis INCR catalog:version >/dev/null; } # the tests write SQL directly

# ---------------------------------------------------------------- ranking
# Four products with an invented word: in the title (twice, equal but for
# sales rank), in the brand only, in the description only.
cat=$(sql "SELECT id FROM categories WHERE parent_id IS NULL ORDER BY id LIMIT 1")
sql "DELETE FROM products WHERE ref LIKE 'ITSEARCH-%'" >/dev/null
sql "INSERT INTO products (ref, title, description, bullet_points, brand, category_id, seller_id,
                           sales_rank, rating, rating_count, price_min, in_stock) VALUES
     ('ITSEARCH-T1', 'Quillomat widget alpha', 'plain text here', '', 'Acme', $cat, 1, 900002, 4.0, 5, 1000, true),
     ('ITSEARCH-B',  'Plain widget beta', 'plain text here', '', 'Quillomat', $cat, 1, 900000, 4.0, 5, 1000, true),
     ('ITSEARCH-D',  'Plain widget gamma', 'the quillomat inside', '', 'Acme', $cat, 1, 899999, 4.0, 5, 1000, true),
     ('ITSEARCH-T2', 'Quillomat widget delta', 'plain text here', '', 'Acme', $cat, 1, 900001, 4.0, 5, 1000, true)" >/dev/null
bump
# souk-searchd sees the rows at its next refresh: wait for them, then check.
within 2 "j['total'] == 4" "/api/v1/search?q=quillomat" >/dev/null || true
check_json "/api/v1/search?q=quillomat" \
    "[h['ref'] for h in j['hits']] == ['ITSEARCH-T2', 'ITSEARCH-T1', 'ITSEARCH-B', 'ITSEARCH-D'] and j['total'] == 4"
json_ok "j['hits'][0]['score'] == j['hits'][1]['score'] > j['hits'][2]['score'] > j['hits'][3]['score'] > 0" \
    "title > brand > description; equal title matches tie, broken by sales rank"
json_ok "set(j['hits'][0]) >= {'id','ref','title','brand','price','rating','in_stock','image','score'} and j['hits'][0]['price'] == 1000 and j['hits'][0]['rating'] == 4.0" \
    "hits carry id, ref, title, brand, price (cents), rating, in_stock, image, score"
check_json "/api/v1/search?q=QUILLOMAT%20%20widget" "[h['ref'] for h in j['hits']][:2] == ['ITSEARCH-T2', 'ITSEARCH-T1']"
check_json "/api/v1/search?q=quillomat&sort=price_asc" "all(h['score'] == 0 for h in j['hits']) and j['total'] == 4"
sql "DELETE FROM products WHERE ref LIKE 'ITSEARCH-%'" >/dev/null
bump
within 2 "j['total'] == 0" "/api/v1/search?q=quillomat" >/dev/null || true
check_json "/api/v1/search?q=quillomat" "j['total'] == 0 and j['hits'] == []"

# ------------------------------------------------------------ compounds
# A compound learned from the titles (080_search_compounds): "zorbel wexit"
# apart in one title, "zorbelwexit" in another. Either spelling finds
# both products, in both engines; a title with only one part is no match
# of the joined word.
sql "INSERT INTO products (ref, title, description, bullet_points, brand, category_id, seller_id,
                           sales_rank, rating, rating_count, price_min, in_stock) VALUES
     ('ITSEARCH-C1', 'Zorbel wexit lamp', 'plain text here', '', 'Acme', $cat, 1, 900010, 4.0, 5, 1000, true),
     ('ITSEARCH-C2', 'Zorbelwexit lamp', 'plain text here', '', 'Acme', $cat, 1, 900011, 4.0, 5, 1000, true),
     ('ITSEARCH-C3', 'Zorbel lamp', 'plain text here', '', 'Acme', $cat, 1, 900012, 4.0, 5, 1000, true)" >/dev/null
sql "SELECT search_refresh_compounds()" >/dev/null
bump
check_sql "search_refresh_compounds learns zorbel + wexit = zorbelwexit from the titles" \
    "SELECT first || '+' || second || '=' || lexeme || ':' || ndoc FROM search_compounds WHERE lexeme = 'zorbelwexit'" \
    "zorbel+wexit=zorbelwexit:1"
within 2 "j['total'] == 3" "/api/v1/search?q=zorbel" >/dev/null || true
pycheck <<'PY'
import json, os, urllib.parse, urllib.request
def refs(engine, q):
    req = urllib.request.Request(os.environ["SOUK_URL"] + "/api/v1/search?" + urllib.parse.urlencode({"q": q}),
                                 headers={"X-Souk-Search-Engine": engine, "X-Souk-Search-Cache": "bypass"})
    with urllib.request.urlopen(req, timeout=30) as r:
        j = json.load(r)
    return j["total"], [h["ref"] for h in j["hits"]]
for engine in ("sql", "memory"):
    for q, want_total in (("zorbelwexit", 2), ("zorbelwexit lamp", None), ("zorbel wexit", None)):
        total, got = refs(engine, q)
        good = sorted(got[:2]) == ["ITSEARCH-C1", "ITSEARCH-C2"] and (want_total is None or total == want_total)
        print(("ok" if good else "not ok") + f" - {engine}: '{q}' finds the joined and the split title first"
              + ("" if good else f" (total {total}, hits {got})"))
PY
sql "DELETE FROM products WHERE ref LIKE 'ITSEARCH-%'" >/dev/null
# the catalog's own compounds stay as learned; only the invented one goes
sql "DELETE FROM search_compounds WHERE lexeme = 'zorbelwexit'" >/dev/null
bump

# ------------------------------------------------------------ truncations
# A query word of 4+ letters that starts a title word at least 50 times as
# common as itself also matches that word (S_TEXT_Q: "stain" also finds
# "stainless"). 50 titles say "Quastromel", one "Quastro": "quastrom" (in
# no title) and "quastro" (1 title, 50 >= 50 x 1) also find the 50, in both
# engines with the same hits and scores. "Vexmo" and "Vexmorind" have one
# title each: "vexmo" is not stretched (1 < 50 x 1), and "qua" (3
# letters) never is.
sql "INSERT INTO products (ref, title, description, bullet_points, brand, category_id, seller_id,
                           sales_rank, rating, rating_count, price_min, in_stock)
     SELECT 'ITSEARCH-P' || i, 'Quastromel frying pan ' || i, 'plain text here', '', 'Acme', $cat, 1,
            900100 + i, 4.0, 5, 1000, true FROM generate_series(1, 50) i
     UNION ALL SELECT 'ITSEARCH-Q', 'Quastro frying pan', 'plain text here', '', 'Acme', $cat, 1,
            900099, 4.0, 5, 1000, true
     UNION ALL SELECT 'ITSEARCH-V1', 'Vexmo lamp', 'plain text here', '', 'Acme', $cat, 1,
            900097, 4.0, 5, 1000, true
     UNION ALL SELECT 'ITSEARCH-V2', 'Vexmorind lamp', 'plain text here', '', 'Acme', $cat, 1,
            900098, 4.0, 5, 1000, true" >/dev/null
bump
within 2 "j['total'] == 50" "/api/v1/search?q=quastromel" >/dev/null || true
pycheck <<'PY'
import json, os, urllib.parse, urllib.request
def res(engine, q):
    req = urllib.request.Request(os.environ["SOUK_URL"] + "/api/v1/search?"
                                 + urllib.parse.urlencode({"q": q, "per_page": 60}),
                                 headers={"X-Souk-Search-Engine": engine, "X-Souk-Search-Cache": "bypass"})
    with urllib.request.urlopen(req, timeout=30) as r:
        j = json.load(r)
    return j["total"], [(h["ref"], round(h["score"], 6)) for h in j["hits"]]
for q, want in (("quastromel", 50), ("quastrom", 50), ("quastrom pan", 50), ("quastro", 51),
                ("quastro pan", 51), ("vexmo", 1), ("vexmorind", 1)):
    got = {e: res(e, q) for e in ("sql", "memory")}
    total = got["sql"][0]
    good = total == want and got["sql"] == got["memory"]
    print(("ok" if good else "not ok") + f" - '{q}' finds {want} in both engines, same hits and scores"
          + ("" if good else f" (sql {got['sql'][0]}, memory {got['memory'][0]},"
                             f" equal {got['sql'] == got['memory']})"))
total, hits = res("sql", "vexmo")
print(("ok" if [r for r, _ in hits] == ["ITSEARCH-V1"] else "not ok")
      + f" - 'vexmo' (as common as 'vexmorind') finds only its own title ({hits})")
total, hits = res("sql", "qua")
print(("ok" if not any(r.startswith("ITSEARCH-") for r, _ in hits) else "not ok")
      + " - 'qua' (3 letters) is not stretched to 'quastromel'")
PY
sql "DELETE FROM products WHERE ref LIKE 'ITSEARCH-%'" >/dev/null
sql "DELETE FROM search_words WHERE word IN ('quastromel', 'quastro', 'vexmo', 'vexmorind')" >/dev/null
bump

# ------------------------------------------------------------- without
# "without X": a product with X is pushed down, one that says "without X"
# comes first (the best sales rank goes to the one with X, so order by
# anything else fails).
sql "INSERT INTO products (ref, title, description, bullet_points, brand, category_id, seller_id,
                           sales_rank, rating, rating_count, price_min, in_stock) VALUES
     ('ITSEARCH-N1', 'Quorvane strap with gleddon clasp', 'plain text here', '', 'Acme', $cat, 1, 900020, 4.0, 5, 1000, true),
     ('ITSEARCH-N2', 'Quorvane strap without gleddon clasp', 'plain text here', '', 'Acme', $cat, 1, 900022, 4.0, 5, 1000, true),
     ('ITSEARCH-N3', 'Quorvane strap plain clasp', 'plain text here', '', 'Acme', $cat, 1, 900021, 4.0, 5, 1000, true)" >/dev/null
bump
within 2 "j['total'] == 3" "/api/v1/search?q=quorvane" >/dev/null || true
pycheck <<'PY'
import json, os, urllib.parse, urllib.request
for engine in ("sql", "memory"):
    req = urllib.request.Request(os.environ["SOUK_URL"] + "/api/v1/search?q=quorvane+strap+without+gleddon",
                                 headers={"X-Souk-Search-Engine": engine, "X-Souk-Search-Cache": "bypass"})
    with urllib.request.urlopen(req, timeout=30) as r:
        got = [h["ref"] for h in json.load(r)["hits"]]
    good = got[:3] == ["ITSEARCH-N2", "ITSEARCH-N3", "ITSEARCH-N1"]
    print(("ok" if good else "not ok") + f" - {engine}: 'quorvane strap without gleddon' puts 'without gleddon'"
          " first and the one with gleddon last" + ("" if good else f" (got {got})"))
PY
sql "DELETE FROM products WHERE ref LIKE 'ITSEARCH-%'" >/dev/null
bump

# ---------------------------------------------------- filters and facets
M="p.status = 'active' AND p.search_doc @@ websearch_to_tsquery('souk', 'sofa')"
n=$(sql "SELECT count(*) FROM products p WHERE $M")
diag "sofa matches $n products"
check_json "/api/v1/search?q=sofa&per_page=5" "j['total'] == $n and len(j['hits']) == 5 and j['corrected_query'] is None"

read -r b1 b2 <<<"$(sql "SELECT string_agg(b, ' ') FROM (SELECT lower(brand) b FROM products p WHERE $M AND brand <> '' AND brand !~ ' '
                         GROUP BY lower(brand) ORDER BY count(*) DESC, lower(brand) LIMIT 2) x")"
nb=$(sql "SELECT count(*) FROM products p WHERE $M AND lower(brand) IN ('$b1', '$b2')")
nb2=$(sql "SELECT count(*) FROM products p WHERE $M AND lower(brand) = '$b2'")
check_json "/api/v1/search?q=sofa&brand=$b1&brand=$b2&per_page=100" \
    "j['total'] == $nb and all(h['brand'].lower() in ('$b1', '$b2') for h in j['hits'])"
json_ok "next(b['count'] for b in j['facets']['brand'] if b['value'].lower() == '$b2') == $nb2" \
    "brand facet is disjunctive: a selected brand keeps the other brand's count"
nbrands=$(sql "SELECT count(DISTINCT lower(brand)) FROM products p WHERE $M AND brand <> ''")
json_ok "len(j['facets']['brand']) == min(50, $nbrands)" "brand facet lists every brand of the match (up to 50)"
check_json "/api/v1/search?q=sofa&brand=${b1^^}" "j['total'] == $(sql "SELECT count(*) FROM products p WHERE $M AND lower(brand) = '$b1'")"

col=$(sql "SELECT c FROM products p, unnest(p.colors) c WHERE $M GROUP BY c ORDER BY count(*) DESC, c LIMIT 1")
nc=$(sql "SELECT count(*) FROM products p WHERE $M AND '$col' = ANY (colors)")
check_json "/api/v1/search?q=sofa&color=$(enc "$col")" "j['total'] == $nc"
check_sql "colors array equals the variants' colours" \
    "SELECT count(*) FROM products p WHERE p.colors IS DISTINCT FROM ARRAY(SELECT DISTINCT lower(btrim(v.color)) FROM product_variants v WHERE v.product_id = p.id AND btrim(v.color) <> '' ORDER BY 1)" 0
json_ok "next(b['count'] for b in j['facets']['color'] if b['value'] == '$col') == $nc" "colour facet count for the selected colour"
ncolors=$(sql "SELECT count(DISTINCT c) FROM products p, unnest(p.colors) c WHERE $M")
json_ok "len(j['facets']['color']) == min(50, $ncolors)" "colour facet ignores its own filter"

SM="p.status = 'active' AND p.search_doc @@ websearch_to_tsquery('souk', 'shirt')"
ns=$(sql "SELECT count(*) FROM products p WHERE $SM AND sizes && ARRAY['XL', 'S']")
check_json "/api/v1/search?q=shirt&size=XL&size=S" "j['total'] == $ns and $ns > 0"

np=$(sql "SELECT count(*) FROM products p WHERE $M AND price_min BETWEEN 5000 AND 15000")
check_json "/api/v1/search?q=sofa&price_min=5000&price_max=15000&per_page=100" \
    "j['total'] == $np and all(5000 <= h['price'] <= 15000 for h in j['hits'])"
buckets=$(sql "SELECT count(*) FILTER (WHERE price_min < 2500) || ',' || count(*) FILTER (WHERE price_min >= 2500 AND price_min < 5000) || ',' ||
               count(*) FILTER (WHERE price_min >= 5000 AND price_min < 10000) || ',' || count(*) FILTER (WHERE price_min >= 10000 AND price_min < 20000) || ',' ||
               count(*) FILTER (WHERE price_min >= 20000) FROM products p WHERE $M")
json_ok "[b['count'] for b in j['facets']['price']] == [$buckets]" "price facet ignores the price filter, buckets match SQL"
json_ok "[(b['from'], b['to']) for b in j['facets']['price']] == [(None, 2500), (2500, 5000), (5000, 10000), (10000, 20000), (20000, None)]" "price buckets in cents, open ends null"

ni=$(sql "SELECT count(*) FROM products p WHERE $M AND in_stock")
check_json "/api/v1/search?q=sofa&in_stock=1&per_page=100" "j['total'] == $ni and all(h['in_stock'] for h in j['hits'])"
nr=$(sql "SELECT count(*) FROM products p WHERE $M AND rating >= 4")
check_json "/api/v1/search?q=sofa&rating_min=4" "j['total'] == $nr"
ratings=$(sql "SELECT count(*) FILTER (WHERE rating >= 4) || ',' || count(*) FILTER (WHERE rating >= 3) || ',' ||
               count(*) FILTER (WHERE rating >= 2) || ',' || count(*) FILTER (WHERE rating >= 1) FROM products p WHERE $M AND in_stock")
check_json "/api/v1/search?q=sofa&rating_min=4&in_stock=1" \
    "[(b['value'], b['count']) for b in j['facets']['rating']] == list(zip(['4','3','2','1'], [$ratings]))"

# Category: the whole subtree; the facet counts the children.
root=$(sql "SELECT r.id FROM products p JOIN categories c ON c.id = p.category_id JOIN categories r ON r.parent_id IS NULL
            AND (c.path = r.path OR c.path LIKE r.path || '.%') WHERE $M GROUP BY r.id ORDER BY count(*) DESC LIMIT 1")
rpath=$(sql "SELECT path FROM categories WHERE id = $root")
SUB="(c.path = '$rpath' OR c.path LIKE '$rpath.%')"
ncat=$(sql "SELECT count(*) FROM products p JOIN categories c ON c.id = p.category_id WHERE $M AND $SUB")
children=$(sql "SELECT string_agg(id || ':' || n, ',' ORDER BY id) FROM (SELECT ch.id, count(*) n FROM products p
                JOIN categories c ON c.id = p.category_id JOIN categories ch ON ch.parent_id = $root
                AND (c.path = ch.path OR c.path LIKE ch.path || '.%') WHERE $M GROUP BY ch.id) x")
check_json "/api/v1/search?q=sofa&category=$root" "j['total'] == $ncat"
json_ok "','.join(f\"{b['id']}:{b['count']}\" for b in sorted(j['facets']['category'], key=lambda b: b['id'])) == '$children'" \
    "category facet: the current category's children with their counts"
check_json "/api/v1/search?q=sofa&category=999999999" "True" 404

# Every filter at once, against one SQL count.
nall=$(sql "SELECT count(*) FROM products p JOIN categories c ON c.id = p.category_id WHERE $M AND $SUB AND in_stock
            AND rating >= 3 AND price_min BETWEEN 1000 AND 50000 AND lower(brand) IN ('$b1', '$b2')")
check_json "/api/v1/search?q=sofa&category=$root&in_stock=true&rating_min=3&price_min=1000&price_max=50000&brand=$b1&brand=$b2" \
    "j['total'] == $nall"

# Empty query with a category lists the category (best sellers first).
leaf=$(sql "SELECT c.id FROM categories c WHERE c.depth >= 1 AND (SELECT count(*) FROM products p JOIN categories d ON d.id = p.category_id
            WHERE d.path = c.path OR d.path LIKE c.path || '.%') BETWEEN 30 AND 300 ORDER BY c.id LIMIT 1")
lpath=$(sql "SELECT path FROM categories WHERE id = $leaf")
ltotal=$(sql "SELECT count(*) FROM products p JOIN categories c ON c.id = p.category_id WHERE (c.path = '$lpath' OR c.path LIKE '$lpath.%') AND p.status = 'active'")
lfirst=$(sql "SELECT string_agg(id::text, ',' ORDER BY sales_rank, id) FROM (SELECT p.id, p.sales_rank FROM products p JOIN categories c ON c.id = p.category_id
              WHERE (c.path = '$lpath' OR c.path LIKE '$lpath.%') AND p.status = 'active' ORDER BY p.sales_rank, p.id LIMIT 10) x")
check_json "/api/v1/search?category=$leaf&per_page=10" \
    "j['total'] == $ltotal and ','.join(str(h['id']) for h in j['hits']) == '$lfirst'"

# ------------------------------------------------------------- sorting
check_json_each \
    "/api/v1/search?q=sofa&sort=price_asc&per_page=100" \
    "[h['price'] for h in j['hits'] if h['price'] is not None] == sorted(h['price'] for h in j['hits'] if h['price'] is not None)" 200 \
    "/api/v1/search?q=sofa&sort=price_desc&per_page=100" \
    "[h['price'] for h in j['hits']] == sorted((h['price'] for h in j['hits']), reverse=True)" 200 \
    "/api/v1/search?q=sofa&sort=rating&per_page=100" \
    "[h['rating'] or 0 for h in j['hits']] == sorted((h['rating'] or 0 for h in j['hits']), reverse=True)" 200 \
    "/api/v1/search?q=sofa&sort=best" "'relevance, price_asc' in j['error']['message']" 400

# ------------------------------------------------------------- paging
http_get "/api/v1/search?q=sofa&per_page=10"
p1=$(json_get "[h['id'] for h in j['hits']]")
http_get "/api/v1/search?q=sofa&per_page=20"
p12=$(json_get "[h['id'] for h in j['hits']]")
last=$(((n + 9) / 10))
check_json_each \
    "/api/v1/search?q=sofa&per_page=10&page=2" "$p1 + [h['id'] for h in j['hits']] == $p12 and j['page'] == 2" 200 \
    "/api/v1/search?q=sofa&per_page=10&page=$last" "len(j['hits']) == $n - 10 * ($last - 1) and j['total'] == $n" 200 \
    "/api/v1/search?q=sofa&per_page=10&page=$((last + 1))" "j['hits'] == [] and j['total'] == $n" 200 \
    "/api/v1/search?q=sofa&per_page=100" "len(j['hits']) == min(100, $n) and j['per_page'] == 100" 200 \
    "/api/v1/search?q=sofa&per_page=101" "'per_page' in j['error']['message']" 400 \
    "/api/v1/search?q=sofa&per_page=0" "j['error']['code'] == 'bad_request'" 400 \
    "/api/v1/search?q=sofa&per_page=100&page=101" "'10000' in j['error']['message']" 400 \
    "/api/v1/search?q=sofa&page=-1" "j['error']['code'] == 'bad_request'" 400

# ------------------------------------------------------------ bad input
long=$(printf 'a%.0s' $(seq 201))
check_json_each \
    "/api/v1/search?q=$long" "'q is longer than 200 bytes' == j['error']['message']" 400 \
    "/api/v1/search?q=$(printf 'a%.0s' $(seq 200))" "j['total'] >= 0" 200
check_status "/api/v1/search?q=sofa%01" 400
check_status "/api/v1/search?q=sofa%0Abed" 200
check_status "/api/v1/search?q=%FF%FE" 400
hostile=()
for q in '"unbalanced sofa' "sofa\"\"\"" '&|!:*()' "!!!sofa:*" "<-> & | ()" "' OR 1=1; DROP TABLE products; --" \
    "sofa') UNION SELECT * FROM sellers --" '\' 'or' '-sofa' '"' "$(printf 'é%.0s' $(seq 50))" "%" "_"; do
    hostile+=("/api/v1/search?q=$(enc "$q")" "isinstance(j['total'], int) and isinstance(j['hits'], list)" 200)
done
check_json_each "${hostile[@]}"
check_sql "products survive the SQL-looking queries" "SELECT count(*) > 0 FROM products" t
check_json_each \
    "/api/v1/search?q=sofa&brand=$(enc "x',\"}{")" "j['total'] == 0" 200 \
    "/api/v1/search?q=sofa&price_min=abc" "'price_min' in j['error']['message']" 400 \
    "/api/v1/search?q=sofa&price_min=500&price_max=100" "'price_min' in j['error']['message']" 400 \
    "/api/v1/search?q=sofa&in_stock=maybe" "'in_stock' in j['error']['message']" 400 \
    "/api/v1/search?$(for i in $(seq 21); do printf 'brand=b%d&' "$i"; done)q=x" "'at most 20 brand' in j['error']['message']" 400
check_status "/api/v1/search" 405 POST

# --------------------------------------------------------------- typos
check_json_each \
    "/api/v1/search?q=sofaa" "j['corrected_query'] == 'sofa' and j['total'] == $n" 200 \
    "/api/v1/search?q=sofaa%20bedd" "j['corrected_query'] == 'sofa bed' and j['total'] > 0" 200 \
    "/api/v1/search?q=sofa" "j['corrected_query'] is None and j['suggestions'] == []" 200 \
    "/api/v1/search?q=qwxzv" "j['total'] == 0 and j['corrected_query'] is None" 200

# ------------------------------------------------------------- suggest
brand=$(sql "SELECT brand FROM products WHERE brand ~ '^[A-Za-z]{5,}$' GROUP BY brand ORDER BY count(*) DESC, brand LIMIT 1")
check_json_each \
    "/api/v1/search/suggest?q=sof" \
    "0 < len(j['suggestions']) <= 8 and any(s['kind'] == 'title' and 'sof' in s['text'].lower() for s in j['suggestions'])" 200 \
    "/api/v1/search/suggest?q=$(enc "${brand:0:4}")" \
    "any(s['kind'] == 'brand' and s['text'].lower().startswith('${brand:0:4}'.lower()) for s in j['suggestions'])" 200 \
    "/api/v1/search/suggest?q=" "j['suggestions'] == []" 200 \
    "/api/v1/search/suggest?q=%25%25" "j['suggestions'] == []" 200 \
    "/api/v1/search/suggest?q=$long" "j['error']['code'] == 'bad_request'" 400

done_testing
