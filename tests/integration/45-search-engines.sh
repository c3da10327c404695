#!/usr/bin/env bash
# 45-search-engines: the memory engine (souk-searchd) answers exactly what
# the SQL engine answers. ~190 requests generated from the demo catalog
# (one to three words, phrases, -word, or, without, typos, relaxed
# multi-word queries, category listings, every filter, facets, each sort,
# pages up to deep ones, per_page, Elasticsearch bodies with boosts and
# ranges) are sent through nginx twice, with X-Souk-Search-Engine: sql
# and memory (result cache bypassed); the JSON must be the same, scores
# within 1e-6. Each request is one check; differences are printed.
. "$(dirname "$0")/lib.sh"

# The tests before this one write products; let souk-searchd's refresh
# (every 100 ms) catch up before comparing.
sleep 1

pycheck <<'PY'
import json, os, random, re, subprocess, urllib.parse, urllib.request

BASE = os.environ["SOUK_URL"]
rnd = random.Random(45)


def sql(q):
    out = subprocess.run(["psql", "-X", "-q", "-t", "-A", "-F", "\t", "-v", "ON_ERROR_STOP=1", "-c", q],
                         check=True, capture_output=True, text=True).stdout
    return [line.split("\t") for line in out.splitlines() if line]


def fetch(engine, path, body):
    headers = {"X-Souk-Search-Engine": engine, "X-Souk-Search-Cache": "bypass"}
    data = None
    if body is not None:
        data = json.dumps(body).encode()
        headers["Content-Type"] = "application/json"
    req = urllib.request.Request(BASE + path, data=data, headers=headers,
                                 method="POST" if body is not None else "GET")
    try:
        with urllib.request.urlopen(req, timeout=30) as r:
            status, raw, hdr = r.status, r.read(), r.headers
    except urllib.error.HTTPError as e:
        status, raw, hdr = e.code, e.read(), e.headers
    try:
        j = json.loads(raw)
    except ValueError:
        j = {"unparsable": raw[:200].decode("utf-8", "replace")}
    return status, j, hdr.get("X-Souk-Search-Engine", "")


SCORES = {"score", "_score", "max_score"}


def diff(a, b, path="$"):
    """First difference between two JSON values (None when equal)."""
    if isinstance(a, dict) and isinstance(b, dict):
        for k in sorted(set(a) | set(b)):
            if k == "took":
                continue
            if k not in a or k not in b:
                return f"{path}.{k}: only in {'sql' if k in a else 'memory'}"
            if k in SCORES and isinstance(a[k], (int, float)) and isinstance(b[k], (int, float)):
                if abs(a[k] - b[k]) > 1e-6:
                    return f"{path}.{k}: {a[k]!r} != {b[k]!r}"
                continue
            d = diff(a[k], b[k], f"{path}.{k}")
            if d:
                return d
        return None
    if isinstance(a, list) and isinstance(b, list):
        if len(a) != len(b):
            return f"{path}: {len(a)} items != {len(b)} items"
        for i, (x, y) in enumerate(zip(a, b)):
            d = diff(x, y, f"{path}[{i}]")
            if d:
                return d
        return None
    return None if a == b else f"{path}: {a!r} != {b!r}"


# ------------------------------------------------------- the vocabulary
words = [w for (w,) in sql("SELECT word FROM search_words WHERE word ~ '^[a-z]{4,}$' AND ndoc >= 2 "
                           "AND length(to_tsvector('souk', word)) > 0 "
                           "ORDER BY ndoc DESC, word LIMIT 600")]
common, medium, rare = words[:40], words[150:450], [w for (w,) in sql(
    "SELECT word FROM search_words WHERE word ~ '^[a-z]{5,}$' AND ndoc = 1 ORDER BY word LIMIT 300")]
titles = [t for (t,) in sql("SELECT lower(title) FROM products WHERE status = 'active' "
                            "ORDER BY sales_rank, id LIMIT 400")]
title_words = [re.findall(r"[a-z]{3,}", t) for t in titles]
pairs = [ws[i:i + 2] for ws in title_words for i in range(len(ws) - 1)]
triples = [ws[i:i + 3] for ws in title_words for i in range(len(ws) - 2)]
brands = [b for (b,) in sql("SELECT lower(brand) FROM products WHERE status = 'active' AND brand <> '' "
                            "GROUP BY 1 ORDER BY count(*) DESC, 1 LIMIT 12")]
colors = [c for (c,) in sql("SELECT c FROM products, unnest(colors) c WHERE status = 'active' "
                            "GROUP BY c ORDER BY count(*) DESC, c LIMIT 8")]
sizes = [s for (s,) in sql("SELECT s FROM products, unnest(sizes) s WHERE status = 'active' "
                           "GROUP BY s ORDER BY count(*) DESC, s LIMIT 6")]
cats = {int(d): [(int(i), s) for (i, s, _) in rows] for d, rows in
        [(d, sql(f"SELECT c.id, c.slug, count(*) FROM categories c JOIN categories x ON x.path = c.path "
                 f"OR x.path LIKE c.path || '.%' JOIN products p ON p.category_id = x.id "
                 f"WHERE c.depth = {d} AND p.status = 'active' GROUP BY c.id, c.slug "
                 f"ORDER BY count(*) DESC, c.id LIMIT 4"))
         for d in (0, 1, 2)]}
print(f"vocabulary: {len(words)} words, {len(rare)} rare, {len(pairs)} title pairs, "
      f"{len(brands)} brands, {len(colors)} colours, {len(sizes)} sizes, categories {cats}")

reqs = []  # (label, path, body)


def get(label, **params):
    qs = urllib.parse.urlencode([(k, v) for k, vs in params.items()
                                 for v in (vs if isinstance(vs, list) else [vs])])
    reqs.append((label, "/api/v1/search?" + qs, None))


def es(label, body):
    reqs.append((label, "/api/v1/products/_search", body))


pick = lambda v, n: rnd.sample(v, min(n, len(v)))

# words
for w in common[:8] + pick(medium, 6) + pick(rare, 6):
    get(f"one word {w}", q=w)
for p in pick(pairs, 15):
    get(f"two words {' '.join(p)}", q=" ".join(p))
for t in pick(triples, 10):
    get(f"three words {' '.join(t)}", q=" ".join(t))
for p in pick(pairs, 8):
    get(f"phrase \"{' '.join(p)}\"", q=f'"{p[0]} {p[1]}"')
for p in pick(pairs, 6):
    get(f"{p[0]} -{p[1]}", q=f"{p[0]} -{p[1]}")
for a, b in zip(pick(common, 6), pick(medium, 6)):
    get(f"{a} or {b}", q=f"{a} or {b}")
for p in pick(pairs, 4):
    get(f"{p[0]} without {p[1]}", q=f"{p[0]} without {p[1]}")
for t in pick(triples, 3):
    get(f"{t[0]} without {t[1]} for {t[2]}", q=f"{t[0]} without {t[1]} for {t[2]}")

# compound words (080_search_compounds): title word pairs whose join is a
# title word too, asked apart, joined, and joined with another word (own
# random source: the picks above stay as they were)
crnd = random.Random(4580)
cands = sorted({a + " " + b for a, b in pairs})
joined = {w for (w,) in sql("SELECT word FROM search_words WHERE word = ANY (ARRAY["
                            + ",".join("'" + c.replace(" ", "") + "'" for c in cands) + "])")}
splits = [c for c in cands if c.replace(" ", "") in joined]
for c in crnd.sample(splits, min(6, len(splits))):
    get(f"compound apart {c}", q=c)
    get(f"compound joined {c.replace(' ', '')}", q=c.replace(" ", ""))
    get(f"compound joined {c.replace(' ', '')} + {common[0]}", q=c.replace(" ", "") + " " + common[0])
print(f"compounds: {len(splits)} title pairs whose join is a word, e.g. {splits[:5]}")

# truncated words: the start (4-6 letters) of a common title word that is
# no title word itself also matches the most common word it starts
# (S_TEXT_Q: "stain" | "stainless"), alone and with a common word (own
# random source: the picks above stay as they were)
prnd = random.Random(4581)
vocab = {w for (w,) in sql("SELECT word FROM search_words")}
stubs = sorted({w[:k] for w in common + medium if len(w) >= 8 for k in (4, 5, 6)} - vocab)
for s in prnd.sample(stubs, min(6, len(stubs))):
    get(f"truncated {s}", q=s)
    get(f"truncated {s} + {common[1]}", q=s + " " + common[1])
print(f"truncations: {len(stubs)} starts of common words that are no word, e.g. {stubs[:5]}")


def typo(w):
    i = rnd.randrange(1, len(w) - 1)
    return rnd.choice([w[:i] + w[i + 1:], w[:i] + w[i + 1] + w[i] + w[i + 2:], w[:i] + w[i] + w[i:]])


for w in pick([w for w in common + medium if len(w) >= 6], 8):
    t = typo(w)
    get(f"typo {t} ({w})", q=t)
for p in pick(pairs, 2):
    get(f"typo in two words {p[0]} {typo(p[1]) if len(p[1]) > 3 else p[1]}",
        q=f"{p[0]} {typo(p[1]) if len(p[1]) > 3 else p[1]}")
# relaxed: words that rarely meet
for i in range(8):
    ws = [rnd.choice(medium), rnd.choice(rare), rnd.choice(common)][: 2 + i % 2]
    get(f"relaxed {' '.join(ws)}", q=" ".join(ws))
# odd text
for t in ["the", "or", "-", "without", "the and of", '"', "-sofa", "sofa:*", "4k tv", "décor",
          "SOFA  Bed", "t-shirt", "don't", "100%"]:
    get(f"odd text {t!r}", q=t)

# categories, alone and with text
for d in (0, 1, 2):
    for cid, slug in cats[d][:3]:
        get(f"category {cid} (depth {d})", category=cid)
    if cats[d]:
        cid = cats[d][0][0]
        get(f"category {cid} + {common[d]}", q=common[d], category=cid)
        get(f"category {cid} by price", category=cid, sort="price_asc", per_page=50)

# filters (each alone, then together)
w0, w1, w2 = common[0], common[1], common[3]
for b in brands[:4]:
    get(f"{w0} brand={b}", q=w0, brand=b)
get(f"{w1} two brands", q=w1, brand=brands[:2])
get(f"{w1} brand upper case", q=w1, brand=brands[0].upper())
get("listing brand", brand=brands[1])
for c in colors[:4]:
    get(f"{w2} color={c}", q=w2, color=c)
get(f"{w0} two colours", q=w0, color=colors[:2])
for s in sizes[:3]:
    get(f"size={s}", size=s)
get(f"{w1} sizes", q=w1, size=sizes[:2])
get(f"{w0} price_min", q=w0, price_min=5000)
get(f"{w0} price_max", q=w0, price_max=2500)
get(f"{w1} price range", q=w1, price_min=1000, price_max=20000)
get(f"{w2} in_stock", q=w2, in_stock=1)
for r in range(1, 6):
    get(f"{w0} rating_min={r}", q=w0, rating_min=r)
get("every filter, no text", brand=brands[:3], color=colors[:3], price_min=500, price_max=50000,
    in_stock="true", rating_min=3)
if cats[0]:
    get(f"every filter {w1}", q=w1, category=cats[0][0][0], brand=brands[:3], color=colors[:2],
        price_min=500, price_max=80000, in_stock=1, rating_min=2)
get("unknown brand", q=w0, brand="no-such-brand-xyz")

# sorts
for s in ["relevance", "price_asc", "price_desc", "rating", "newest"]:
    get(f"{w0} sort={s}", q=w0, sort=s)
    get(f"listing sort={s}", sort=s)
    get(f"{pairs[0][0]} {pairs[0][1]} sort={s}", q=" ".join(pairs[0]), sort=s, per_page=30)

# pages
total = fetch("sql", "/api/v1/search?" + urllib.parse.urlencode({"q": w0, "per_page": 1}), None)[1]["total"]
print(f"'{w0}' matches {total}")
for pp, pg in [(20, 2), (20, 5), (7, 3), (1, 1), (1, 150), (100, 1), (100, 2), (100, 3),
               (100, max(1, (total + 99) // 100)), (10, (total + 9) // 10 + 1)]:
    get(f"{w0} per_page={pp} page={pg}", q=w0, per_page=pp, page=pg)
for pp, pg in [(100, 30), (100, 60), (50, 100), (100, 68)]:
    get(f"listing per_page={pp} page={pg}", per_page=pp, page=pg)
get("listing price_desc deep", sort="price_desc", per_page=100, page=40)
get(f"{w1} rating deep", q=w1, sort="rating", per_page=50, page=4)

# Elasticsearch bodies
MM = lambda q, f=("title^3", "description", "brand^2"): {"multi_match": {"query": q, "fields": list(f)}}
slug0 = cats[0][0][1] if cats[0] else "none"
es("es DESIGN request", {"query": {"bool": {"must": [MM(" ".join(pairs[1]))], "filter": [
    {"term": {"category": slug0}}, {"range": {"price": {"gte": 5, "lte": 500}}}, {"term": {"in_stock": True}}]}},
    "sort": [{"_score": "desc"}, {"sales_rank": "asc"}],
    "aggs": {"brands": {"terms": {"field": "brand"}}, "price_ranges": {"range": {"field": "price",
             "ranges": [{"to": 50}, {"from": 50, "to": 100}, {"from": 100}]}}}})
for f in [("title^1.5", "description^0.3", "brand^7"), ("title", "description", "brand"),
          ("title^10", "description^0", "brand^0"), ("title^0.5", "description^4", "brand^1"),
          ("title^2.25", "description^1.125", "brand^3.3333333")]:
    es(f"es {w0} fields {f}", {"query": MM(w0, f), "size": 15})
    es(f"es {' '.join(pairs[2])} fields {f}", {"query": MM(" ".join(pairs[2]), f), "size": 10, "from": 5})
es("es match_all price asc, colour agg", {"query": {"match_all": {}}, "size": 5, "sort": [{"price": "asc"}],
    "aggs": {"c": {"terms": {"field": "color", "size": 3}}}})
es("es ranges with keys", {"query": MM(w1), "size": 0, "aggs": {"p": {"range": {"field": "price", "ranges": [
    {"key": "cheap", "to": 10}, {"key": "mid", "from": 10, "to": 99.99}, {"from": 20, "to": 40},
    {"key": "dear", "from": 99.99}]}}}})
es("es brands + rating", {"query": {"bool": {"must": [MM(w2)], "filter": [
    {"terms": {"brand": brands[:3]}}, {"range": {"rating": {"gte": 4}}}]}},
    "aggs": {"k": {"terms": {"field": "category"}}}})
es("es sort rating desc", {"query": MM(w0), "sort": [{"rating": {"order": "desc"}}], "size": 20})
es("es sort newest", {"query": {"match_all": {}}, "sort": [{"created_at": "desc"}], "size": 20, "from": 40})
es("es deep page", {"query": MM(w0), "from": 150, "size": 50})
if cats[1]:
    es("es category id", {"query": {"bool": {"must": [MM(w1)], "filter": [{"term": {"category": cats[1][0][0]}}]}}})
es("es colour + size filters", {"query": {"bool": {"must": [MM(w2)], "filter": [
    {"terms": {"color": colors[:2]}}, {"terms": {"size": sizes[:3]}}]}}, "size": 30})

# ------------------------------------------------------------ compare
print(f"{len(reqs)} requests")
# A build without souk-searchd (the engine header is not answered at all)
# has nothing to compare: one explicit skip instead of ~190 failures.
if fetch("sql", "/api/v1/search?q=" + w0, None)[2] == "":
    print("ok - # SKIP no X-Souk-Search-Engine header: this build has no souk-searchd")
    raise SystemExit(0)
same = differ = 0
engines_ok = True
for label, path, body in reqs:
    s1, j1, e1 = fetch("sql", path, body)
    s2, j2, e2 = fetch("memory", path, body)
    if s2 == 503 and s1 != 503:
        # the daemon's 1 s deadline passed (a starved machine): what is
        # compared is the answer, so ask once more
        print(f"# memory 503 for {label}; asked again")
        s2, j2, e2 = fetch("memory", path, body)
    why = None
    if s1 != s2:
        why = f"status sql {s1} != memory {s2}: {json.dumps(j2)[:200]}"
    elif s1 == 200 and (e1 != "sql" or e2 != "memory"):
        why = f"answered by {e1!r} and {e2!r}, not sql and memory"
    else:
        why = diff(j1, j2)
    if why:
        differ += 1
        print(f"not ok - memory == sql: {label}")
        print(f"  {path} {json.dumps(body) if body else ''}"[:400])
        print(f"  {why}"[:400])
    else:
        same += 1
        print(f"ok - memory == sql: {label}")
print(f"SQL vs memory: {same} the same, {differ} different, of {len(reqs)}")
print("ok - at least 150 requests compared" if len(reqs) >= 150 else
      f"not ok - at least 150 requests compared (only {len(reqs)})")
PY

done_testing
