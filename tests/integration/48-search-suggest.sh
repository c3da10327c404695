#!/usr/bin/env bash
# 48-search-suggest: GET /api/v1/search/suggest, the typeahead's source:
# prefixes of the last word, completed words corrected, bad input 400;
# the header loads the typeahead script (the form works without it).
. "$(dirname "$0")/lib.sh"

check_json "/api/v1/search/suggest?q=bl" \
    "0 < len(j['suggestions']) <= 8 and all(s['kind'] in ('brand', 'category', 'title') and s['text'] for s in j['suggestions'])"
json_ok "all(isinstance(s.get('id'), int) and s['id'] > 0 for s in j['suggestions'] if s['kind'] != 'brand')" \
    "titles and categories carry the id their page needs"
# The last word is a prefix; the words before it must all be there.
check_json "/api/v1/search/suggest?q=bluetooth%20spe" \
    "len(j['suggestions']) > 0 and all('bluetooth' in s['text'].lower() and ' spe' in ' ' + s['text'].lower() for s in j['suggestions'] if s['kind'] == 'title')"
want=$(json_get '[s["id"] for s in j["suggestions"] if s["kind"] == "title"]')
# A misspelt completed word is corrected: the same titles.
check_json "/api/v1/search/suggest?q=blutooth%20spe" \
    "[s['id'] for s in j['suggestions'] if s['kind'] == 'title'] == $want"
check_json "/api/v1/search/suggest?q=" "j['suggestions'] == []"
check_json "/api/v1/search/suggest?q=zzqqxxj" "j['suggestions'] == []"
# Bad input: a clear 400.
long=$(printf 'a%.0s' $(seq 1 201))
check_json "/api/v1/search/suggest?q=$long" "j['error']['code'] == 'bad_request' and '200' in j['error']['message']" 400
check_json "/api/v1/search/suggest?q=bl%01" "j['error']['code'] == 'bad_request'" 400
check_status "/api/v1/search/suggest?q=%FF%FE" 400

# The header: the script, deferred, served as JavaScript; the plain form
# (GET /search?q=) still answers.
check_body_contains "/" '<script src="/static/typeahead.js" defer></script>'
check_body_contains "/" '<form class="search-box" role="search" method="get" action="/search">'
check_header "/static/typeahead.js" "Content-Type" "javascript"
check_body_contains "/static/typeahead.js" "aria-activedescendant"
check_body_contains "/search?q=bluetooth" "Results for"

done_testing
