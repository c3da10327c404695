/* auth: argon2id hashing (libargon2), account creation and login checks. */
#include "shop/auth.h"

#include <argon2.h>

#include "store/db.h"

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

static int check_password(ctx *c, str password)
{
	if (password.len < AUTH_PASSWORD_MIN)
		return ctx_fail(c, 400, "bad_request", "the password must be at least %d characters long",
		                AUTH_PASSWORD_MIN);
	if (password.len > AUTH_PASSWORD_MAX)
		return ctx_fail(c, 400, "bad_request", "the password must be at most %d characters long",
		                AUTH_PASSWORD_MAX);
	return SOUK_OK;
}

int auth_create(ctx *c, str email, str password, session_role role, int64_t seller_id,
                auth_user *out)
{
	if (!auth_email_valid(email))
		return ctx_fail(c, 400, "bad_request", "the e-mail address is not valid");
	if (check_password(c, password) < 0)
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

int auth_login(ctx *c, str email, str password, auth_user *out)
{
	static const char *const msg = "the e-mail address or password is not right";
	if (email.len == 0 || email.len > AUTH_EMAIL_MAX || password.len == 0 ||
	    password.len > AUTH_PASSWORD_MAX)
		return ctx_fail(c, 401, "login_failed", "%s", msg);
	const char *p[] = {str_dup(c->a, email)};
	db_res *r = db_exec(c, "auth_by_email", 1, p);
	if (!r)
		return SOUK_ERR;
	if (db_rows(r) == 0) {
		const char *d = dummy_hash(c->a);
		if (d)
			auth_verify(d, password);
		return ctx_fail(c, 401, "login_failed", "%s", msg);
	}
	if (!auth_verify(db_val(r, 0, "password_hash"), password))
		return ctx_fail(c, 401, "login_failed", "%s", msg);
	out->id = db_i64(r, 0, "id");
	out->email = db_val(r, 0, "email");
	out->role = ROLE_SHOPPER;
	session_role_parse(db_val(r, 0, "role"), &out->role);
	out->seller_id = db_i64(r, 0, "seller_id");
	return SOUK_OK;
}
