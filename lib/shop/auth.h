/* auth: accounts — argon2id password hashes, register and login. */
#ifndef SOUK_AUTH_H
#define SOUK_AUTH_H

#include <stdbool.h>
#include <stdint.h>

#include "core/ctx.h"
#include "shop/session.h"

/* argon2id costs: 2 passes over 19 MiB, one lane (OWASP's minimum
 * recommendation); 37-89 ms per hash measured on the shared 2-core VM. */
#define AUTH_T_COST 2
#define AUTH_M_COST_KIB 19456
#define AUTH_PARALLELISM 1
#define AUTH_SALT_BYTES 16
#define AUTH_HASH_BYTES 32
#define AUTH_PASSWORD_MIN 10 /* characters */
#define AUTH_PASSWORD_MAX 256
#define AUTH_EMAIL_MAX 254

/* Registers the module's SQL; call once before serving. */
void auth_register_sql(void);

/* A plausible e-mail address: 3..254 printable ASCII bytes without
 * spaces, exactly one '@', a non-empty local part and a dotted domain. */
bool auth_email_valid(str email);

/* The argon2id encoded hash ("$argon2id$v=19$m=19456,t=2,p=1$...") of a
 * password with a fresh random salt, in the arena; NULL on failure. */
const char *auth_hash(arena *a, str password);
/* true when password matches the encoded hash. */
bool auth_verify(const char *encoded, str password);

typedef struct auth_user {
	int64_t id;
	const char *email;
	session_role role;
	int64_t seller_id;
} auth_user;

/* The password policy: at least 10 characters, at most 256 bytes, not
 * the e-mail address nor its local part (case ignored), not in the list of
 * the 10,000 most common passwords (SOUK_PASSWORD_LIST, default
 * data/passwords/common-10k.txt, read once per process; case ignored).
 * 400 "bad_request" naming the broken rule; 500 when the list is missing. */
int auth_password_check(ctx *c, str email, str password);
/* Loads (or reloads) the common-password list from path (one per line,
 * '#' comments); process lifetime. 0, or -1 when it cannot be opened (the
 * list loaded before stays) or is empty. */
int auth_common_load(const char *path);

/* Creates an account: 400 naming a bad email or a password that breaks
 * auth_password_check; 409 "email_taken" when the address (case-insensitive)
 * is already registered. role ROLE_SELLER needs seller_id (a sellers.id). */
int auth_create(ctx *c, str email, str password, session_role role, int64_t seller_id,
                auth_user *out);

/* Checks credentials: 401 "login_failed" with one message whether the
 * address is unknown or the password wrong (an unknown address still
 * costs one argon2 verification, so timing does not tell either).
 * Back-off (throttle.h): failures are counted per account (known or not)
 * and per client address; while either is locked every attempt, right or
 * wrong, gets 429 "too_many" with Retry-After and no check; the failure
 * that sets a lock answers 429 too. A success forgets the account's
 * failures. Redis down: no back-off (logged), sign-in itself then needs
 * Redis for the session anyway. */
int auth_login(ctx *c, str email, str password, auth_user *out);

#endif
