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
#define AUTH_PASSWORD_MIN 8
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

/* Creates an account: 400 naming a bad email or a password outside
 * 8..256 bytes; 409 "email_taken" when the address (case-insensitive) is
 * already registered. role ROLE_SELLER needs seller_id (a sellers.id). */
int auth_create(ctx *c, str email, str password, session_role role, int64_t seller_id,
                auth_user *out);

/* Checks credentials: 401 "login_failed" with one message whether the
 * address is unknown or the password wrong (an unknown address still
 * costs one argon2 verification, so timing does not tell either). */
int auth_login(ctx *c, str email, str password, auth_user *out);

#endif
