#!/usr/bin/env bash
# bench/lighthouse.sh: Lighthouse (desktop preset) on the shopper pages:
# home, a category, a product, a search, the cart; performance,
# accessibility and best-practices, each target >= 95 (issue 12).
#
# Lighthouse 12.2.3 is pinned in bench/lighthouse/ (13 wants Node 22) and
# drives the system Chromium (--chrome-path=/usr/bin/chromium) with the
# flags tests/browser/run.mjs uses; nothing is downloaded but the npm
# package. Runs against SOUK_URL (default the stack of `bin/souk up`,
# started if /healthz does not answer; a running `bin/souk test` stack
# works too: SOUK_URL=http://127.0.0.1:$SOUK_TEST_PORT). Each page is
# audited BENCH_ROUNDS times (default 3) after one warm-up load (the
# pictures are drawn on first request); the median of each score is kept.
# BENCH_PAGES="search cart" audits only the pages named.
#   BENCH_RECORD=1 appends a dated section to bench/RESULTS.md.
set -euo pipefail
export LC_ALL=C.UTF-8

REPO=$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/.." && pwd)
URL=${SOUK_URL:-http://127.0.0.1:${SOUK_PORT:-8080}}
ROUNDS=${BENCH_ROUNDS:-3}
CHROME=${SOUK_CHROMIUM:-/usr/bin/chromium}
LH_DIR=$REPO/bench/lighthouse
OUT=${SOUK_VAR:-$REPO/var}/bench/lighthouse
mkdir -p "$OUT"

# npm only when missing, as bin/souk test does: NodeSource's nodejs bundles
# it and conflicts with Debian's npm package (apt-get would fail)
pkgs=(chromium nodejs curl python3)
command -v npm >/dev/null || pkgs+=(npm)
"$REPO/bin/souk" deps "${pkgs[@]}" || exit 1
if [ ! -x "$LH_DIR/node_modules/.bin/lighthouse" ]; then
    echo "lighthouse: npm ci in bench/lighthouse (lighthouse 12.2.3)" >&2
    (cd "$LH_DIR" && PUPPETEER_SKIP_DOWNLOAD=1 npm ci --no-audit --no-fund) >&2
fi
if ! curl -fs "$URL/healthz" >/dev/null; then
    echo "lighthouse: starting the stack (bin/souk up)" >&2
    "$REPO/bin/souk" up >&2
fi

# The pages: a category and a product as a shopper reaches them from home.
home=$(curl -fs "$URL/")
cat=$(printf '%s' "$home" | grep -o 'class="tile" href="/c/[^"]*"' | head -n1 | sed 's/.*href="//; s/"$//')
[ -n "$cat" ] || cat=$(printf '%s' "$home" | grep -o 'href="/c/[0-9][^"]*"' | head -n1 | sed 's/href="//; s/"$//')
prod=$(printf '%s' "$home" | grep -o 'href="/products/[^"]*"' | head -n1 | sed 's/href="//; s/"$//')
pages=("home /" "category $cat" "product $prod" "search /search?q=bluetooth+speaker" "cart /cart")
if [ -n "${BENCH_PAGES:-}" ]; then # e.g. BENCH_PAGES="search cart": only those
    keep=()
    for entry in "${pages[@]}"; do
        case " $BENCH_PAGES " in *" ${entry%% *} "*) keep+=("$entry") ;; esac
    done
    pages=("${keep[@]}")
fi

flags="--headless=new --no-sandbox --disable-gpu --disable-quic --no-first-run --disable-background-networking --disable-component-update --disable-sync --disable-dev-shm-usage"
results=$OUT/scores.tsv
: >"$results"
for entry in "${pages[@]}"; do
    name=${entry%% *} path=${entry#* }
    curl -fs -o /dev/null "$URL$path" || true # warm-up: pictures drawn, caches filled
    # every picture of the page, once, so no audit pays for drawing them
    # (no picture, as on an empty cart, is no failure under pipefail)
    curl -fs "$URL$path" | { grep -o '/img/p/[A-Za-z0-9-]*\.webp' || true; } | sort -u |
        while read -r img; do curl -fs -o /dev/null "$URL$img" || true; done
    for ((r = 1; r <= ROUNDS; r++)); do
        json=$OUT/$name-$r.json
        "$LH_DIR/node_modules/.bin/lighthouse" "$URL$path" --preset=desktop \
            --only-categories=performance,accessibility,best-practices \
            --chrome-path="$CHROME" --chrome-flags="$flags" \
            --output=json --output-path="$json" --quiet >/dev/null 2>"$OUT/$name-$r.log" ||
            { echo "lighthouse: $name round $r failed (see $OUT/$name-$r.log)" >&2; continue; }
        python3 - "$json" "$name" "$r" >>"$results" <<'PY'
import json, sys
j = json.load(open(sys.argv[1]))
c = j["categories"]
print("\t".join([sys.argv[2], sys.argv[3]] + [str(round(c[k]["score"] * 100)) for k in ("performance", "accessibility", "best-practices")]))
PY
    done
done

table=$(python3 - "$results" "$URL" "${pages[@]}" <<'PY'
import statistics, sys
rows = [l.split("\t") for l in open(sys.argv[1]).read().splitlines() if l]
url = sys.argv[2]
pages = [p.split(" ", 1) for p in sys.argv[3:]]
ok = True
print(f"{'page':10} {'path':48} {'perf':>5} {'a11y':>5} {'best':>5}  rounds (perf/a11y/best)")
for name, path in pages:
    rs = [r for r in rows if r[0] == name]
    if not rs:
        print(f"{name:10} {path[:48]:48}   (no run)"); ok = False; continue
    med = [int(statistics.median(int(r[i]) for r in rs)) for i in (2, 3, 4)]
    ok &= all(m >= 95 for m in med)
    print(f"{name:10} {path[:48]:48} {med[0]:5} {med[1]:5} {med[2]:5}  " + " ".join("/".join(r[2:5]) for r in rs))
print("target: each median >= 95 ->", "PASS" if ok else "FAIL")
PY
)
printf '%s\n' "$table"

sizes=$(for entry in "${pages[@]}" "categories /c/"; do
    printf '%-10s %-48s %7s bytes of HTML\n' "${entry%% *}" "${entry#* }" "$(curl -fs "$URL${entry#* }" | wc -c)"
done)
printf '%s\n' "$sizes"

if [ "${BENCH_RECORD:-0}" = 1 ]; then
    {
        printf '\n## lighthouse.sh — %s\n\n' "$(date -u '+%Y-%m-%d %H:%M UTC')"
        printf 'Machine: %s, %s cores (shared); Lighthouse 12.2.3, desktop preset, system Chromium %s; %s rounds per page, medians.\n' \
            "$(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -n1)" "$(nproc)" \
            "$("$CHROME" --version 2>/dev/null | awk '{print $2}')" "$ROUNDS"
        printf 'Command: `SOUK_URL=%s %sBENCH_RECORD=1 bench/lighthouse.sh` (tree %s; load average %s)\n\n```\n%s\n\n%s\n```\n' \
            "$URL" "${BENCH_PAGES:+BENCH_PAGES=\"$BENCH_PAGES\" }" "$(git -C "$REPO" rev-parse --short HEAD)" \
            "$(uptime | sed 's/.*load average: //')" "$table" "$sizes"
    } >>"$REPO/bench/RESULTS.md"
fi
