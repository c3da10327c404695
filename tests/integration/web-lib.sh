# tests/integration/web-lib.sh: a browser-like curl session (cookie jar,
# CSRF token from the last page) for the storefront buying scripts (6x).
# shellcheck shell=bash
# Source after lib.sh (and buy-lib.sh when skus are needed).

# use_jar NAME: the cookie jar later web calls use (one per "browser").
use_jar() { JAR=$T_TMP/jar-$1; touch "$JAR"; }
use_jar default

# web METHOD PATH [curl args...]: a request with the current jar.
web() {
    local m=$1 p=$2
    shift 2
    http "$m" "$p" -b "$JAR" -c "$JAR" "$@"
}

# page_csrf: the CSRF token in the last page ("" when none).
page_csrf() {
    grep -o 'name="csrf" value="[0-9a-f]*"' "$HTTP_BODY" | head -n1 | sed -e 's/.*value="//' -e 's/"$//'
}

# session_id: the souk_session cookie in the current jar ("" when none).
session_id() {
    awk -F'\t' '$6 == "souk_session" { v = $7 } END { print v }' "$JAR"
}

# session_cart: the cart id of the current jar's session ("" when none
# yet): a guest's is in its session hash, an account's in user_cart:{id}.
session_cart() {
    local sid uid
    sid=$(session_id)
    [ -n "$sid" ] || return 0
    uid=$(redis HGET "session:$sid" user_id)
    if [ -n "$uid" ] && [ "$uid" != 0 ]; then redis GET "user_cart:$uid"; else redis HGET "session:$sid" cart; fi
}

# post_form PATH PAGE [field=value...]: loads PAGE (for its CSRF token),
# then POSTs the fields plus csrf to PATH. PAGE "-" reuses the last page.
post_form() {
    local path=$1 page=$2 tok args=() kv
    shift 2
    [ "$page" = - ] || web GET "$page"
    tok=$(page_csrf)
    for kv in "$@"; do args+=(--data-urlencode "$kv"); done
    web POST "$path" --data-urlencode "csrf=$tok" "${args[@]}"
}

# login EMAIL PASSWORD: signs in in the current jar; status in HTTP_STATUS.
login() { post_form /login /login "email=$1" "password=$2"; }

# check_http DESCRIPTION WANT-STATUS: the last response had that status.
check_http() {
    if [ "$HTTP_STATUS" = "$2" ]; then
        ok "$1 -> $2"
    else
        not_ok "$1 -> $2 (got $HTTP_STATUS)" "$(grep -o '<p class="error-detail">.*</p>' "$HTTP_BODY" | head -n1)" \
            "$(grep -o '<p class="alert"[^<]*' "$HTTP_BODY" | head -n1)" "$(_http_diag)"
    fi
}

# check_body DESCRIPTION TEXT: the last body contains TEXT (fixed string).
check_body() {
    if grep -q -F -- "$2" "$HTTP_BODY"; then ok "$1"; else not_ok "$1 (no '$2')" "$(_http_diag)"; fi
}

# check_field_error FIELD TEXT: the last page shows TEXT right under
# FIELD's label, and no other field has an error.
check_field_error() {
    if grep -q -F -- "<label for=\"$1\"" "$HTTP_BODY" &&
        grep -o "<label for=\"$1\">[^<]*\(<span[^>]*>[^<]*</span>\)\?</label><p class=\"field-error\" id=\"$1-error\" role=\"alert\">[^<]*</p>" "$HTTP_BODY" | grep -q -F -- "$2" &&
        [ "$(grep -o 'class="field-error"' "$HTTP_BODY" | wc -l)" = 1 ]; then
        ok "the $1 error is next to $1: $2"
    else
        not_ok "the $1 error is next to $1: $2" "$(grep -o '<label for=[^\n]*field-error[^\n]*' "$HTTP_BODY" | head -n 3)"
    fi
}

# form_value NAME: the value of the first input NAME in the last page.
form_value() {
    grep -o "name=\"$1\" value=\"[^\"]*\"" "$HTTP_BODY" | head -n1 | sed -e 's/.*value="//' -e 's/"$//'
}

# to_review CARD [EMAIL] [METHOD]: the address, shipping and payment steps
# in the current jar; the review page is left in HTTP_BODY.
to_review() {
    post_form /checkout/address /checkout "email=${2:-guest@example.test}" "name=Ada Shopper" \
        "line1=1 Main St" "city=Springfield" "postal_code=12345" "country=US"
    post_form /checkout/shipping /checkout/shipping "method=${3:-standard}"
    post_form /checkout/payment /checkout/payment "card_number=$1" "exp_month=12" "exp_year=2030" "cvc=123"
}

# place_order [curl args...]: submits the review form in HTTP_BODY as a
# browser would (extra fields may be added).
place_order() {
    local args=() f
    for f in csrf key card_number exp_month exp_year cvc; do
        args+=(--data-urlencode "$f=$(form_value "$f")")
    done
    web POST /checkout/place "${args[@]}" "$@"
}
