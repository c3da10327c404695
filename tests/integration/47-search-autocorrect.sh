#!/usr/bin/env bash
# 47-search-autocorrect: a query that finds little is shown with the
# correction that finds much more, through the API and the search page
# ("blutooth speker" -> "bluetooth speaker", never the split "blu tooth");
# the "search instead" link (exact=1) searches the words as typed; the
# per-word typo budget; punctuation kept; bad input is a 400.
. "$(dirname "$0")/lib.sh"
NC=(-H 'X-Souk-Search-Cache: bypass')

# The demo catalog: the clean query's total, to compare with.
http_get "/api/v1/search?q=bluetooth%20speaker&exact=1" "${NC[@]}"
clean=$(json_get 'j["total"]')
check "bluetooth speaker finds a page ($clean)" test "$clean" -ge 10

# ------------------------------------------------------------------ API
check_json "/api/v1/search?q=blutooth%20speker&per_page=5" \
    "j['corrected_query'] == 'bluetooth speaker' and j['searched_query'] == 'bluetooth speaker' and j['original_query'] == 'blutooth speker' and j['exact'] is False and j['total'] == $clean" \
    200 GET "${NC[@]}"
json_ok "not any(' tooth' in s or 'blu ' in s for s in j['suggestions'])" "no split worse than the joined word is suggested"
for engine in sql memory; do
    check_json "/api/v1/search?q=blutooth%20speker&per_page=5" \
        "j['corrected_query'] == 'bluetooth speaker' and j['total'] == $clean" 200 GET \
        "${NC[@]}" -H "X-Souk-Search-Engine: $engine"
done
# The forced original: the words as typed, nothing corrected.
check_json "/api/v1/search?q=blutooth%20speker&exact=1" \
    "j['corrected_query'] is None and j['searched_query'] == 'blutooth speker' and j['exact'] is True and j['total'] < $clean" \
    200 GET "${NC[@]}"
# A swap is one typo; a doubled letter none; a five-letter word gets one.
check_json "/api/v1/search?q=bluetooth%20spaeker" "j['corrected_query'] == 'bluetooth speaker'" 200 GET "${NC[@]}"
check_json "/api/v1/search?q=bluettooth%20speaker" "j['corrected_query'] == 'bluetooth speaker'" 200 GET "${NC[@]}"
# Under 5 letters no typo is corrected ("sofs" is not "sofa").
check_json "/api/v1/search?q=sofs" "j['corrected_query'] is None and 'sofa' not in j['suggestions']" 200 GET "${NC[@]}"
# Only the misspelt word changes: "1/2" stays "1/2".
check_json "/api/v1/search?q=1/2%20incch%20binder" "j['corrected_query'] == '1/2 inch binder' and j['total'] > 0" 200 GET "${NC[@]}"
# A query that finds plenty is never corrected.
check_json "/api/v1/search?q=bluetooth%20speaker" "j['corrected_query'] is None and j['searched_query'] == 'bluetooth speaker'" 200 GET "${NC[@]}"
# Bad input.
check_json "/api/v1/search?q=blutooth&exact=2" "j['error']['code'] == 'bad_request' and 'exact' in j['error']['message']" 400
check_json "/api/v1/search?q=blutooth&exact=yes" "j['error']['code'] == 'bad_request'" 400

# ----------------------------------------------------------------- page
check_body_contains "/search?q=blutooth+speker" \
    'Showing results for <a href="/search?q=bluetooth+speaker"><strong>bluetooth speaker</strong></a>. Search instead for <a href="/search?q=blutooth+speker&amp;exact=1">blutooth speker</a>.'
check "the page shows the corrected results" grep -q -F "Showing 1&ndash;20 of $clean results" "$HTTP_BODY"
check "the heading names the corrected words" grep -q -F '<h1>Results for “bluetooth speaker”</h1>' "$HTTP_BODY"
check_body_lacks "/search?q=blutooth+speker" "blu tooth"
# The link as typed: no banner, the original words, exact kept in forms.
check_body_contains "/search?q=blutooth+speker&exact=1" '<h1>Results for “blutooth speker”</h1>'
check "no correction banner with exact=1" sh -c "! grep -q 'Showing results for' '$HTTP_BODY'"
check "the sort form keeps exact=1" grep -q -F '<input type="hidden" name="exact" value="1">' "$HTTP_BODY"
check_status "/search?q=blutooth&exact=2" 400

done_testing
