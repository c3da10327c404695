#!/usr/bin/env bash
# 60-accounts: register, sign in, sign out through the storefront forms;
# password policy, duplicate address (same page, a mail), wrong password,
# missing CSRF (403, nothing changed),
# cookie attributes, session fixation, caching of personal pages.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/web-lib.sh"

run=$(date +%s%N)
email="ada-$run@example.test"
pw="correct horse $run"

# ---- the login page starts a session: cookie attributes, no caching
use_jar a
web GET /login
check_http "GET /login" 200
ck=$(header Set-Cookie)
check "session cookie: 64 hex id, Path=/, 14 days, HttpOnly, SameSite=Lax, not Secure over http" \
    grep -qE '^souk_session=[0-9a-f]{64}; Path=/; Max-Age=1209600; HttpOnly; SameSite=Lax$' <<<"$ck"
check "personal page: Cache-Control private, no-store" test "$(header Cache-Control)" = "private, no-store"
tok=$(page_csrf)
check "CSRF token is 64 hex chars" grep -qE '^[0-9a-f]{64}$' <<<"$tok"
pre=$(session_id)
check "redis session hash has the token" test "$(redis HGET "session:$pre" csrf)" = "$tok"
ttl=$(redis TTL "session:$pre")
check "redis session TTL ~14 days (got $ttl)" test "$ttl" -gt 1209000

# ---- register without CSRF: 403, no account
web POST /register --data-urlencode "email=$email" --data-urlencode "password=$pw"
check_http "register without csrf" 403
check_sql "no account was created" "SELECT count(*) FROM users WHERE lower(email) = lower('$email')" 0
# flip the last hex digit so the token is wrong whatever it ends in
bad=${tok%?}; [ "${tok: -1}" = 0 ] && bad=${bad}1 || bad=${bad}0
web POST /register --data-urlencode "csrf=$bad" --data-urlencode "email=$email" --data-urlencode "password=$pw"
check_http "register with a wrong csrf" 403
check_sql "still no account" "SELECT count(*) FROM users WHERE lower(email) = lower('$email')" 0

# ---- bad input: 400 with the reason, nothing stored
post_form /register /register "email=not-an-address" "password=$pw"
check_http "register with a bad address" 400
check_body "says the address is wrong" "e-mail address is not valid"
post_form /register /register "email=$email" "password=short"
check_http "register with a 5-character password" 400
check_body "says how long a password must be" "at least 10 characters"
post_form /register /register "email=$email" "password=qwertyuiop"
check_http "register with a common password" 400
check_body "says the password is too common" "one of the most common"
post_form /register /register "email=$email" "password=${email^^}"
check_http "register with the e-mail as password" 400
check_body "says the password must not be the address" "must not be your e-mail address"
check_sql "nothing stored for bad input" "SELECT count(*) FROM users WHERE lower(email) = lower('$email')" 0

# ---- register: the account exists, a mail says so; nobody is signed in
# (a known address gets the same page: see "duplicate address" below)
post_form /register /register "email=$email" "password=$pw"
check_http "register" 200
check_body "asks to check the mail" "Check your e-mail to continue"
cp "$HTTP_BODY" "$T_TMP/register-new"
check "registering signs nobody in (same session, no user)" \
    test "$(session_id)" = "$pre" -a -z "$(redis HGET "session:$pre" user_id | tr -d 0)"
welcome=$(grep -l -F "To: $email" "$SOUK_MAIL_DIR"/account-*.eml 2>/dev/null | head -n1)
check "a welcome mail went to $email" test -n "$welcome"
check "it says the account is ready" grep -q "is ready" "$welcome"
login "$email" "$pw"
check_http "sign in after registering" 303
check "redirects home" test "$(header Location)" = /
post=$(session_id)
check "the session id changed at sign-in (fixation)" test -n "$post" -a "$post" != "$pre"
check "the pre-login session is gone from Redis" test "$(redis EXISTS "session:$pre")" = 0
check_sql "account stored: shopper, argon2id hash, not the password" \
    "SELECT role || '|' || (password_hash LIKE '\$argon2id\$v=19\$m=19456,t=2,p=1\$%') || '|' || (strpos(password_hash, '$pw') = 0) FROM users WHERE email = '$email'" "shopper|true|true"
uid=$(sql "SELECT id FROM users WHERE email = '$email'")
check "the session names the user" test "$(redis HGET "session:$post" user_id)" = "$uid"
web GET /
check_http "home with a session" 200
check_body "header says Sign out" "Sign out"
check "home with a session is private, no-store" test "$(header Cache-Control)" = "private, no-store"
check "home with a session bypasses the page cache" test "$(header X-Cache-Status)" = BYPASS
for path in / /c/ "/products/$(sql "SELECT min(id) FROM products")"; do
    web GET "$path" >/dev/null
    http GET "$path"
    if grep -q -F -e "Sign out" -e "$email" -e "$tok" "$HTTP_BODY"; then
        not_ok "anonymous $path after a signed-in visit shows nothing personal" "$(_http_diag)"
    else
        ok "anonymous $path after a signed-in visit shows nothing personal ($(header X-Cache-Status))"
    fi
done
web GET /orders
check_http "order history when signed in" 200
check_body "order history names the account" "$email"

# ---- an old cookie (the attacker's copy of the pre-login id) is nobody
http GET /orders -b "souk_session=$pre"
check_http "orders with the pre-login id redirect to sign in" 303
check "... to /login?next=/orders" test "$(header Location)" = "/login?next=/orders"

# ---- a cookie chosen by an attacker is never adopted
fake=$(printf 'a%.0s' $(seq 64))
http GET /login -b "souk_session=$fake"
got=$(header Set-Cookie | sed -e 's/;.*//' -e 's/^souk_session=//')
check "an unknown session id gets a fresh one" test -n "$got" -a "$got" != "$fake"

# ---- logout needs CSRF, then ends the session
web POST /logout
check_http "logout without csrf" 403
web GET /orders
check_http "still signed in after the refused logout" 200
post_form /logout /orders
check_http "logout" 303
check "logout expires the cookie" grep -q 'souk_session=; Path=/; Max-Age=0' <<<"$(header Set-Cookie)"
check "logout deletes the Redis session" test "$(redis EXISTS "session:$post")" = 0
web GET /orders
check_http "orders after logout redirect to sign in" 303

# ---- duplicate address (any case): the same page as for a new one (no
# account enumeration), one row, the password unchanged, a mail saying so
use_jar b
post_form /register /register "email=${email^^}" "password=another-password"
check_http "register an existing address (upper case)" 200
check "the answer looks like a new address's (except token and address)" \
    diff <(sed -e 's/value="[0-9a-f]\{64\}"//' -e "s/${email^^}//I" "$T_TMP/register-new") \
         <(sed -e 's/value="[0-9a-f]\{64\}"//' -e "s/${email^^}//I" "$HTTP_BODY")
check_sql "still exactly one account" "SELECT count(*) FROM users WHERE lower(email) = lower('$email')" 1
exists=$(grep -l -F "To: ${email^^}" "$SOUK_MAIL_DIR"/account-*.eml 2>/dev/null | head -n1)
check "a mail went to the address" test -n "$exists"
check "it says the account already exists" grep -q "already have an account" "$exists"

# ---- wrong password and unknown address: the same answer
login "$email" "wrong password"
check_http "login with a wrong password" 401
cp "$HTTP_BODY" "$T_TMP/wrong"
check_body "uniform message" "e-mail address or password is not right"
login "nobody-$run@example.test" "$pw"
check_http "login with an unknown address" 401
check_body "same message for an unknown address" "e-mail address or password is not right"
check "the two failures look the same (except the token)" \
    diff <(sed -e 's/value="[0-9a-f]\{64\}"//' -e "s/nobody-$run@example.test//; s/$email//" "$T_TMP/wrong") \
         <(sed -e 's/value="[0-9a-f]\{64\}"//' -e "s/nobody-$run@example.test//; s/$email//" "$HTTP_BODY")
web GET /orders
check_http "failed logins sign nobody in" 303

# ---- login without a session at all (login CSRF): refused
http POST /login --data-urlencode "email=$email" --data-urlencode "password=$pw"
check_http "login POST without any session" 403

# ---- login works, in any case of the address; next= is followed locally only
web GET "/login?next=/orders"
post_form /login - "email=${email^^}" "password=$pw" "next=/orders"
check_http "login" 303
check "login follows next=/orders" test "$(header Location)" = /orders
use_jar c
web GET /login
post_form /login - "email=$email" "password=$pw" "next=//evil.example/"
check "next= to another site is ignored" test "$(header Location)" = /

# ---- demo accounts
check_sql "demo accounts: shopper, seller of seller 2, admin" \
    "SELECT string_agg(email || ':' || role || ':' || coalesce(seller_id::text, '-'), ',' ORDER BY email) FROM users WHERE email LIKE '%@souk.test'" \
    "admin@souk.test:admin:-,seller@souk.test:seller:2,shopper@souk.test:shopper:-"
use_jar d
login admin@souk.test admin-demo-1
check_http "the demo admin signs in" 303
web GET /
check_body "the admin sees the Admin link (to the dashboard)" 'href="/admin">Admin</a>'

done_testing
