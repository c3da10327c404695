#!/usr/bin/env bash
# 02-nginx: the front: page micro-cache, compression, body limit.
. "$(dirname "$0")/lib.sh"

# Anonymous home page: stored by nginx's fastcgi_cache (MISS or EXPIRED,
# then HIT); with a souk_session cookie the cache is bypassed.
http GET /
first=$(header X-Cache-Status)
if [ "$HTTP_STATUS" = 200 ]; then ok "GET / -> 200"; else not_ok "GET / -> 200 (got $HTTP_STATUS)" "$(_http_diag)"; fi
http GET /
second=$(header X-Cache-Status)
if [ "$second" = HIT ]; then
    ok "anonymous GET / is served from the page cache (X-Cache-Status $first, then $second)"
else
    not_ok "anonymous GET / is served from the page cache (X-Cache-Status '$first', then '$second')" \
        "a Set-Cookie or Cache-Control: private/no-store on anonymous pages prevents caching" "$(_http_diag)"
fi
check_header / X-Cache-Status '^BYPASS$' -H 'Cookie: souk_session=integration-test'

# HTML is compressed for clients that accept gzip.
check_header / Content-Encoding '^gzip$' -H 'Accept-Encoding: gzip'

# The API is never cached by nginx.
http GET /api/v1/no-such-endpoint-$$
if [ -z "$(header X-Cache-Status)" ]; then ok "/api/ is not cached by nginx"; else not_ok "/api/ is not cached by nginx" "$(_http_diag)"; fi

# Request bodies over 1 MiB are refused by nginx before reaching a pool.
head -c 1100000 /dev/zero | tr '\0' 'a' >"$T_TMP/big"
check_status /api/v1/products/_search 413 POST -H 'Content-Type: application/json' --data-binary "@$T_TMP/big"

done_testing
