#!/usr/bin/env python3
"""typo-queries.py: the ESCI dev queries with realistic typos, for bench/typo-relevance.sh.

Reads dev_queries.tsv (query_id, query) and writes the same ids with one or
two typos per query (two when the query has 12 letters or more): a dropped,
doubled or swapped letter, or a letter replaced by a neighbouring key on a
QWERTY keyboard. Typos go into words of at least 4 letters without digits
(a slip in "a" or "ua" is another problem), a word chosen with a weight
equal to its length (every keystroke is as likely to slip), never twice
the same word; a query without such a word stays as it is. Deterministic: a fixed seed and
one random.Random per query id, so adding a query changes no other line.

usage: bench/typo-queries.py DEV_QUERIES.tsv > bench/typo-queries.tsv
Columns: query_id, query (with typos), clean (the original), typos (what
was done, e.g. "speaker>speker:drop").
"""
import csv
import random
import sys

SEED = 12
ROWS = ["qwertyuiop", "asdfghjkl", "zxcvbnm"]


def neighbours(ch):
    """Keys next to ch on the same row or the rows above and below."""
    for r, row in enumerate(ROWS):
        i = row.find(ch)
        if i < 0:
            continue
        out = set()
        for rr in (r - 1, r, r + 1):
            if 0 <= rr < len(ROWS):
                for j in (i - 1, i, i + 1):
                    if 0 <= j < len(ROWS[rr]) and ROWS[rr][j] != ch:
                        out.add(ROWS[rr][j])
        return sorted(out)
    return []


def typo(word, rnd):
    """One typo in word (lower-case letters); returns (new word, kind)."""
    kinds = ["drop", "double", "swap", "key"]
    while True:
        kind = rnd.choice(kinds)
        # never the first letter: people rarely miss it, and correctors rely on it
        i = rnd.randrange(1, len(word))
        if kind == "drop":
            new = word[:i] + word[i + 1:]
        elif kind == "double":
            new = word[:i] + word[i] + word[i:]
        elif kind == "swap":
            if i + 1 >= len(word) or word[i] == word[i + 1]:
                continue
            new = word[:i] + word[i + 1] + word[i] + word[i + 2:]
        else:
            keys = neighbours(word[i])
            if not keys:
                continue
            new = word[:i] + rnd.choice(keys) + word[i + 1:]
        if new != word:
            return new, kind


def main():
    if len(sys.argv) != 2:
        sys.exit(__doc__)
    w = csv.writer(sys.stdout, delimiter="\t", lineterminator="\n")
    w.writerow(["query_id", "query", "clean", "typos"])
    with open(sys.argv[1], encoding="utf-8") as f:
        for row in csv.DictReader(f, delimiter="\t"):
            qid, clean = row["query_id"], row["query"]
            rnd = random.Random(f"{SEED}:{qid}")
            words = clean.split(" ")
            able = [k for k, x in enumerate(words) if len(x) >= 4 and x.isalpha()]
            letters = sum(len(x) for x in words)
            n = min(len(able), 2 if letters >= 12 else 1)
            done = []
            picked = []
            while len(picked) < n:
                k = rnd.choices(able, weights=[len(words[j]) for j in able])[0]
                if k not in picked:
                    picked.append(k)
            for k in sorted(picked):
                new, kind = typo(words[k], rnd)
                done.append(f"{words[k]}>{new}:{kind}")
                words[k] = new
            w.writerow([qid, " ".join(words), clean, " ".join(done)])


if __name__ == "__main__":
    main()
