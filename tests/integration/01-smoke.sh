#!/usr/bin/env bash
# 01-smoke: the stack answers: health with db + redis, static files, 404s.
. "$(dirname "$0")/lib.sh"

# /healthz: 200, JSON, and both dependencies reported ok. Accepts
# {"db": "ok", "redis": "ok"}, booleans, or the same under "checks".
http GET /healthz
if [ "$HTTP_STATUS" = 200 ]; then ok "GET /healthz -> 200"; else not_ok "GET /healthz -> 200 (got $HTTP_STATUS)" "$(_http_diag)"; fi
check "healthz is application/json" grep -q -i '^content-type: application/json' "$HTTP_HEADERS"
dep_ok='(lambda c: all(c.get(k) in ("ok", True) or (isinstance(c.get(k), dict) and c[k].get("status") in ("ok", True)) for k in ("db", "redis")))(j.get("checks", j))'
json_ok "$dep_ok" "healthz reports db and redis ok"
if [ -z "$(header X-Cache-Status)" ]; then ok "healthz is not cached by nginx"; else not_ok "healthz is not cached by nginx" "$(_http_diag)"; fi

# Security headers come from nginx on every response.
check_header /healthz X-Content-Type-Options '^nosniff$'
check_header /healthz X-Frame-Options '^DENY$'
check_header /healthz Referrer-Policy '^strict-origin-when-cross-origin$'
check_header /healthz Content-Security-Policy "default-src 'self'"

# A static file: served by nginx byte for byte, cacheable for a week.
file=$(cd "$SOUK_REPO/static" 2>/dev/null && find . -type f ! -name '.*' | sed -e 's|^\./||' | sort | head -n1)
if [ -z "$file" ]; then
    not_ok "static/ holds at least one file"
else
    check_status "/static/$file" 200
    check "/static/$file equals static/$file" cmp -s "$HTTP_BODY" "$SOUK_REPO/static/$file"
    check_header "/static/$file" Cache-Control 'max-age=604800'
    check_header "/static/$file" Expires 'GMT$'
fi
check_status /static/no-such-file.css 404
check_status /static/../bin/souk 404 GET --path-as-is

# Unknown paths are a 404 from the storefront, not a crash or a 5xx.
check_status /no-such-page-$$ 404
check_status /api/v1/no-such-endpoint-$$ 404

done_testing
