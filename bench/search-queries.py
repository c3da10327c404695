#!/usr/bin/env python3
"""bench/search-queries.py: the query classes of bench/search.sh as _search bodies.

Usage: search-queries.py OUTDIR [N]   (PGHOST/PGPORT/... name the database)

Writes OUTDIR/<class>.jsonl, N bodies per class (default 40), drawn
deterministically from the demo products (refs not starting with GEN), so
the same classes are asked of the demo and the 1M catalog:
  one       one common title word
  two       two adjacent title words of a demo product
  rare      a word found in one or two demo titles
  category  no words: a category (depth 0-2) listing
  filtered  a common word + its main department + price 20..200 + in stock
            + rating >= 4 + the word's two biggest brands
Every body asks for the sidebar's facets: brand, colour, category terms and
price ranges, and 20 hits sorted by relevance.
"""
import json
import os
import subprocess
import sys

STOP = set("""a an and are as at be by for from has in is it its of on or s the to with
without your you our this that these those set pack pcs pc inch inches x""".split())


def sql(q):
    out = subprocess.run(["psql", "-X", "-q", "-t", "-A", "-F", "\t", "-v", "ON_ERROR_STOP=1", "-c", q],
                         check=True, capture_output=True, text=True).stdout
    return [line.split("\t") for line in out.splitlines() if line]


def aggs():
    return {
        "brands": {"terms": {"field": "brand", "size": 20}},
        "colors": {"terms": {"field": "color", "size": 20}},
        "categories": {"terms": {"field": "category", "size": 20}},
        "prices": {"range": {"field": "price", "ranges": [
            {"to": 25}, {"from": 25, "to": 50}, {"from": 50, "to": 100},
            {"from": 100, "to": 200}, {"from": 200}]}},
    }


def text_body(words, filters=None):
    q = {"multi_match": {"query": words, "fields": ["title^3", "description", "brand^2"]}}
    if filters:
        q = {"bool": {"must": [q], "filter": filters}}
    return {"query": q, "size": 20, "aggs": aggs()}


def spread(rows, n):
    """n rows spread evenly over the list (deterministic)."""
    if len(rows) <= n:
        return rows
    step = len(rows) / n
    return [rows[int(i * step)] for i in range(n)]


def main():
    outdir = sys.argv[1]
    n = int(sys.argv[2]) if len(sys.argv) > 2 else 40
    os.makedirs(outdir, exist_ok=True)
    demo = "SELECT title FROM products WHERE ref NOT LIKE ''GEN%'' AND status = ''active''"
    words = sql(f"""SELECT word, ndoc FROM ts_stat('SELECT to_tsvector(''simple'', lower(title)) FROM products
                    WHERE ref NOT LIKE ''GEN%'' AND status = ''active''')
                   WHERE word ~ '^[a-z]{{4,}}$' ORDER BY ndoc DESC, word""")
    words = [(w, int(d)) for w, d in words if w not in STOP]
    common = spread([w for w, d in words[:300]], n)
    rare = spread([w for w, d in words if d <= 2 and len(w) >= 6], n)
    titles = sql(f"SELECT id, lower(title) FROM products WHERE ref NOT LIKE 'GEN%' AND status = 'active' ORDER BY id")
    pairs = []
    for _, t in spread(titles, n * 3):
        ws = [w for w in "".join(ch if ch.isalpha() else " " for ch in t).split()]
        for a, b in zip(ws, ws[1:]):
            if len(a) >= 3 and len(b) >= 3 and a not in STOP and b not in STOP:
                pairs.append(a + " " + b)
                break
    pairs = spread(pairs, n)
    cats = sql("""SELECT c.id FROM categories c JOIN categories d ON d.path = c.path OR d.path LIKE c.path || '.%'
                  JOIN products p ON p.category_id = d.id
                  WHERE c.depth <= 2 AND p.ref NOT LIKE 'GEN%' GROUP BY c.id HAVING count(*) >= 20
                  ORDER BY count(*) DESC, c.id""")
    cats = spread([int(c[0]) for c in cats], n)

    classes = {
        "one": [text_body(w) for w in common],
        "two": [text_body(p) for p in pairs],
        "rare": [text_body(w) for w in rare],
        "category": [{"query": {"bool": {"filter": [{"term": {"category": c}}]}}, "size": 20, "aggs": aggs()}
                     for c in cats],
        "filtered": [],
    }
    for w in common:
        esc = w.replace("'", "''")
        top = sql(f"""SELECT split_part(c.path, '.', 1) FROM products p JOIN categories c ON c.id = p.category_id
                      WHERE p.ref NOT LIKE 'GEN%' AND lower(p.title) ~ ('\\m' || '{esc}' || '\\M')
                      GROUP BY 1 ORDER BY count(*) DESC, 1 LIMIT 1""")
        brands = sql(f"""SELECT brand FROM products WHERE ref NOT LIKE 'GEN%' AND brand <> ''
                         AND lower(title) ~ ('\\m' || '{esc}' || '\\M') GROUP BY brand ORDER BY count(*) DESC, brand LIMIT 2""")
        f = [{"range": {"price": {"gte": 20, "lte": 200}}}, {"term": {"in_stock": True}},
             {"range": {"rating": {"gte": 4}}}]
        if top:
            f.append({"term": {"category": int(top[0][0])}})
        if brands:
            f.append({"terms": {"brand": [b[0] for b in brands]}})
        classes["filtered"].append(text_body(w, f))
    for name, bodies in classes.items():
        with open(os.path.join(outdir, name + ".jsonl"), "w", encoding="utf-8") as fh:
            for b in bodies:
                fh.write(json.dumps(b, separators=(",", ":")) + "\n")
        print(f"{name}: {len(bodies)} bodies", file=sys.stderr)


if __name__ == "__main__":
    main()
