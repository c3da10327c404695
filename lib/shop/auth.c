/* auth: argon2id hashing (libargon2), account creation and login checks. */
#include "shop/auth.h"

#include <argon2.h>

#include "core/cfg.h"
#include "core/log.h"
#include "shop/throttle.h"
#include "store/db.h"

#include <stdio.h>
#include <stdlib.h>
#include <strings.h>
#include <sys/random.h>

static const db_stmt auth_stmts[] = {
	{"auth_insert",
	 "INSERT INTO users (email, password_hash, role, seller_id) VALUES ($1, $2, $3, $4::bigint) "
	 "ON CONFLICT ((lower(email))) DO NOTHING RETURNING id"},
	{"auth_by_email",
	 "SELECT id, email, password_hash, role, seller_id FROM users WHERE lower(email) = lower($1)"},
};

void auth_register_sql(void)
{
	db_register(auth_stmts, sizeof(auth_stmts) / sizeof(auth_stmts[0]));
}

bool auth_email_valid(str e)
{
	if (e.len < 3 || e.len > AUTH_EMAIL_MAX)
		return false;
	size_t at = 0, nat = 0;
	for (size_t i = 0; i < e.len; i++) {
		unsigned char ch = (unsigned char)e.p[i];
		if (ch <= ' ' || ch >= 0x7f || ch == '<' || ch == '>' || ch == '"' || ch == ',' ||
		    ch == ';' || ch == '\\')
			return false;
		if (ch == '@')
			at = i, nat++;
	}
	if (nat != 1 || at == 0 || at + 1 >= e.len)
		return false;
	str dom = {e.p + at + 1, e.len - at - 1};
	const char *dot = memchr(dom.p, '.', dom.len);
	return dot && dot != dom.p && dom.p[dom.len - 1] != '.';
}

const char *auth_hash(arena *a, str password)
{
	unsigned char salt[AUTH_SALT_BYTES];
	size_t got = 0;
	while (got < sizeof(salt)) {
		ssize_t n = getrandom(salt + got, sizeof(salt) - got, 0);
		if (n <= 0)
			return NULL;
		got += (size_t)n;
	}
	size_t len = argon2_encodedlen(AUTH_T_COST, AUTH_M_COST_KIB, AUTH_PARALLELISM,
	                               AUTH_SALT_BYTES, AUTH_HASH_BYTES, Argon2_id);
	char *out = arena_alloc(a, len);
	if (!out)
		return NULL;
	if (argon2id_hash_encoded(AUTH_T_COST, AUTH_M_COST_KIB, AUTH_PARALLELISM, password.p,
	                          password.len, salt, sizeof(salt), AUTH_HASH_BYTES, out,
	                          len) != ARGON2_OK)
		return NULL;
	return out;
}

bool auth_verify(const char *encoded, str password)
{
	if (!encoded || strncmp(encoded, "$argon2id$", 10) != 0)
		return false;
	return argon2id_verify(encoded, password.p, password.len) == ARGON2_OK;
}

/* The common-password list: process lifetime, sorted for bsearch. */
static struct {
	char **words;
	size_t n;
	bool loaded;
} common;

static int cmp_word(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

int auth_common_load(const char *path)
{
	FILE *f = fopen(path, "r");
	if (!f)
		return -1;
	/* a reload replaces the list; a file that cannot be opened keeps it */
	for (size_t i = 0; i < common.n; i++)
		free(common.words[i]);
	free(common.words);
	common.words = NULL;
	common.n = 0;
	common.loaded = false;
	char line[AUTH_PASSWORD_MAX + 2];
	size_t cap = 0;
	while (fgets(line, sizeof(line), f)) {
		size_t len = strcspn(line, "\r\n");
		line[len] = '\0';
		if (len == 0 || line[0] == '#')
			continue;
		for (size_t i = 0; i < len; i++)
			if (line[i] >= 'A' && line[i] <= 'Z')
				line[i] = (char)(line[i] + 32);
		if (common.n == cap) {
			cap = cap ? cap * 2 : 16384;
			char **w = realloc(common.words, cap * sizeof(*w));
			if (!w)
				abort(); /* allocation failure aborts (STYLE.md) */
			common.words = w;
		}
		common.words[common.n] = strdup(line);
		if (!common.words[common.n])
			abort();
		common.n++;
	}
	fclose(f);
	qsort(common.words, common.n, sizeof(*common.words), cmp_word);
	common.loaded = common.n > 0;
	return common.loaded ? 0 : -1;
}

/* 1 when the list holds the password (ASCII case ignored), 0 when not, -1
 * when the list cannot be read. */
static int is_common(ctx *c, str password)
{
	if (!common.loaded) {
		const char *path = cfg_env_str("SOUK_PASSWORD_LIST", "data/passwords/common-10k.txt");
		if (auth_common_load(path) < 0) {
			ctx_log(c, LOG_ERROR, "auth: the common-password list %s could not be read", path);
			return -1;
		}
	}
	char *low = str_dup(c->a, password);
	if (!low)
		return -1;
	for (size_t i = 0; i < password.len; i++)
		if (low[i] >= 'A' && low[i] <= 'Z')
			low[i] = (char)(low[i] + 32);
	return bsearch(&low, common.words, common.n, sizeof(*common.words), cmp_word) != NULL;
}

/* Characters, not bytes: a UTF-8 passphrase is measured as typed. */
static size_t utf8_chars(str s)
{
	size_t n = 0;
	for (size_t i = 0; i < s.len; i++)
		if (((unsigned char)s.p[i] & 0xC0) != 0x80)
			n++;
	return n;
}

static bool eq_nocase(str a, str b)
{
	return a.len == b.len && a.len > 0 && strncasecmp(a.p, b.p, a.len) == 0;
}

int auth_password_check(ctx *c, str email, str password)
{
	if (utf8_chars(password) < AUTH_PASSWORD_MIN)
		return ctx_fail(c, 400, "bad_request", "the password must be at least %d characters long",
		                AUTH_PASSWORD_MIN);
	if (password.len > AUTH_PASSWORD_MAX)
		return ctx_fail(c, 400, "bad_request", "the password must be at most %d characters long",
		                AUTH_PASSWORD_MAX);
	const char *at = memchr(email.p, '@', email.len);
	str local = {email.p, at ? (size_t)(at - email.p) : email.len};
	if (eq_nocase(password, email) || eq_nocase(password, local))
		return ctx_fail(c, 400, "bad_request", "the password must not be your e-mail address");
	int common_pw = is_common(c, password);
	if (common_pw < 0)
		return ctx_fail(c, 500, "internal", "the password could not be checked");
	if (common_pw)
		return ctx_fail(c, 400, "bad_request",
		                "this password is one of the most common ones and easy to guess; please choose another");
	return SOUK_OK;
}

int auth_create(ctx *c, str email, str password, session_role role, int64_t seller_id,
                auth_user *out)
{
	if (!auth_email_valid(email))
		return ctx_fail(c, 400, "bad_request", "the e-mail address is not valid");
	if (auth_password_check(c, email, password) < 0)
		return SOUK_ERR;
	if (role == ROLE_GUEST || (role == ROLE_SELLER) != (seller_id > 0))
		return ctx_fail(c, 400, "bad_request", "a seller account needs a seller id, other roles none");
	const char *hash = auth_hash(c->a, password);
	if (!hash)
		return ctx_fail(c, 500, "internal", "the password could not be hashed");
	const char *em = str_dup(c->a, email);
	const char *p[] = {em, hash, session_role_name(role),
	                   seller_id > 0 ? db_param_i64(c, seller_id) : NULL};
	db_res *r = db_exec(c, "auth_insert", 4, p);
	if (!r)
		return SOUK_ERR;
	if (db_rows(r) == 0)
		return ctx_fail(c, 409, "email_taken",
		                "an account with this e-mail address already exists; sign in instead");
	if (out) {
		out->id = db_i64(r, 0, "id");
		out->email = em;
		out->role = role;
		out->seller_id = seller_id;
	}
	return SOUK_OK;
}

/* Verified against when the address is unknown, so the answer takes as
 * long as for a wrong password (the hash of a random string). */
static const char *dummy_hash(arena *a)
{
	static char *cached;
	if (!cached) {
		const char *h = auth_hash(a, STR("no such account, no such password"));
		cached = h ? strdup(h) : NULL;
	}
	return cached;
}

/* The back-off keys of a sign-in: [0] the account's failures, [1] its
 * lock, [2] the address's failures, [3] its lock. The account part is the
 * SHA-256 of the lower-cased address, so unknown addresses are counted
 * exactly like real ones. -1 when hashing fails. */
static int login_keys(ctx *c, str email, const char *k[4])
{
	char *low = str_dup(c->a, email);
	if (!low)
		return -1;
	for (size_t i = 0; i < email.len; i++)
		if (low[i] >= 'A' && low[i] <= 'Z')
			low[i] = (char)(low[i] + 32);
	const char *acct = throttle_sha256_hex(c->a, (str){low, email.len});
	const char *addr = throttle_addr_part(c->a, c->rq->remote_addr);
	if (!acct || !addr)
		return -1;
	k[0] = throttle_key(c->a, "login:acct", acct);
	k[1] = throttle_key(c->a, "login:acct:lock", acct);
	k[2] = throttle_key(c->a, "login:ip", addr);
	k[3] = throttle_key(c->a, "login:ip:lock", addr);
	return k[0] && k[1] && k[2] && k[3] ? 0 : -1;
}

/* Counts a failed sign-in; the longest lock it set (0: none yet). */
static int login_failed(ctx *c, const char *const k[4])
{
	long long na = throttle_hit(c, k[0], THROTTLE_LOGIN_WINDOW, true);
	long long ni = throttle_hit(c, k[2], THROTTLE_LOGIN_WINDOW, true);
	int sa = throttle_backoff(na, THROTTLE_LOGIN_ACCT_AFTER, THROTTLE_LOGIN_BASE,
	                          THROTTLE_LOGIN_ACCT_MAX);
	int si = throttle_backoff(ni, THROTTLE_LOGIN_IP_AFTER, THROTTLE_LOGIN_BASE,
	                          THROTTLE_LOGIN_IP_MAX);
	if (sa)
		throttle_lock(c, k[1], na, sa);
	if (si) {
		throttle_lock(c, k[3], ni, si);
		ctx_log(c, LOG_WARN, "auth: %lld failed sign-ins from this address; locked for %d s", ni,
		        si);
	}
	return sa > si ? sa : si;
}

int auth_login(ctx *c, str email, str password, auth_user *out)
{
	static const char *const msg = "the e-mail address or password is not right";
	if (email.len == 0 || email.len > AUTH_EMAIL_MAX || password.len == 0 ||
	    password.len > AUTH_PASSWORD_MAX)
		return ctx_fail(c, 401, "login_failed", "%s", msg);
	const char *k[4] = {0};
	bool counted = login_keys(c, email, k) == 0;
	if (counted) {
		const char *locks[] = {k[1], k[3]};
		int wait = throttle_wait(c, 2, locks, 1);
		if (wait > 0) /* not even checked: a lock that let the right password in would tell */
			return ctx_fail_retry(c, wait,
			                      "too many failed sign-ins; please try again in %d seconds", wait);
		if (wait < 0)
			ctx_log(c, LOG_WARN, "auth: Redis down, sign-in back-off not checked");
	}
	const char *p[] = {str_dup(c->a, email)};
	db_res *r = db_exec(c, "auth_by_email", 1, p);
	if (!r)
		return SOUK_ERR;
	bool ok;
	if (db_rows(r) == 0) {
		const char *d = dummy_hash(c->a);
		if (d)
			auth_verify(d, password);
		ok = false;
	} else {
		ok = auth_verify(db_val(r, 0, "password_hash"), password);
	}
	if (!ok) {
		int wait = counted ? login_failed(c, k) : 0;
		if (wait > 0)
			return ctx_fail_retry(c, wait, "%s; after too many failed sign-ins, please try again in %d seconds",
			                      msg, wait);
		return ctx_fail(c, 401, "login_failed", "%s", msg);
	}
	if (counted) /* the account's owner got in: forget its failures (not the address's) */
		throttle_forget(c, 2, k);
	out->id = db_i64(r, 0, "id");
	out->email = db_val(r, 0, "email");
	out->role = ROLE_SHOPPER;
	session_role_parse(db_val(r, 0, "role"), &out->role);
	out->seller_id = db_i64(r, 0, "seller_id");
	return SOUK_OK;
}
