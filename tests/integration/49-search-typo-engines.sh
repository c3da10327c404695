#!/usr/bin/env bash
# 49-search-typo-engines: the typo query set (bench/typo-queries.tsv, 68
# ESCI queries with one or two typos each) answers the same through both
# engines: corrected query, suggestions, total and the first hits (the
# correction runs above the engines, so it must agree); and at least half
# of the queries with a misspelt word of 5+ letters are corrected.
. "$(dirname "$0")/lib.sh"
sleep 1 # earlier tests write products: let souk-searchd catch up

pycheck "$(dirname "$0")/../../bench/typo-queries.tsv" <<'PY'
import csv, json, os, sys, urllib.error, urllib.parse, urllib.request

BASE = os.environ["SOUK_URL"]


def get(engine, q):
    url = BASE + "/api/v1/search?" + urllib.parse.urlencode({"q": q, "per_page": 10})
    req = urllib.request.Request(url, headers={"X-Souk-Search-Engine": engine,
                                               "X-Souk-Search-Cache": "bypass"})
    try:
        with urllib.request.urlopen(req, timeout=30) as r:
            return r.status, json.load(r)
    except urllib.error.HTTPError as e:
        return e.code, {}


KEYS = ("total", "corrected_query", "searched_query", "suggestions")
rows = list(csv.DictReader(open(sys.argv[1], encoding="utf-8"), delimiter="\t"))
print(f"{len(rows)} typo queries")
corrected = able = 0
for row in rows:
    q = row["query"]
    s1, a = get("sql", q)
    s2, b = get("memory", q)
    same = s1 == s2 == 200 and all(a.get(k) == b.get(k) for k in KEYS) and \
        [h["id"] for h in a["hits"]] == [h["id"] for h in b["hits"]]
    print(("ok - " if same else "not ok - ") + f"both engines agree on {q!r} -> {a.get('corrected_query')!r}")
    if not same:
        print(f"sql {s1} {[a.get(k) for k in KEYS]} / memory {s2} {[b.get(k) for k in KEYS]}")
    if any(len(t.split(">")[0]) >= 5 for t in row["typos"].split()):
        able += 1
        corrected += a.get("corrected_query") is not None
print(("ok - " if corrected * 2 >= able else "not ok - ") +
      f"{corrected} of {able} queries with a misspelt word of 5+ letters corrected")
PY

done_testing
