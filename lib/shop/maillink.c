/* maillink: HMAC-signed order links (lib/core/digest), used once (mail_link_used). */
#include "shop/maillink.h"

#include <stdio.h>
#include <string.h>

#include "core/cfg.h"
#include "core/digest.h"
#include "core/rnd.h"
#include "store/db.h"

#define NONCE_HEX 32
#define MAC_HEX 64

static const db_stmt maillink_sql[] = {
	{"maillink_key", "SELECT secret FROM mail_link_key WHERE id = 1"},
	{"maillink_use",
	 "INSERT INTO mail_link_used (nonce, public_id, expires_at) VALUES ($1, $2, to_timestamp($3))"
	 " ON CONFLICT (nonce) DO NOTHING RETURNING nonce"},
	/* an hour past expiry: app hosts' clocks may differ a little */
	{"maillink_prune",
	 "DELETE FROM mail_link_used WHERE nonce IN (SELECT nonce FROM mail_link_used"
	 " WHERE expires_at < now() - interval '1 hour' LIMIT $1)"},
};

void maillink_register(void)
{
	db_register(maillink_sql, sizeof(maillink_sql) / sizeof(maillink_sql[0]));
}

/* The key: SOUK_MAIL_LINK_KEY, else the database's (051), read once per
 * process. Every program that makes or checks links sees the same one. */
static const char *link_key(ctx *c)
{
	static char key[256];
	if (key[0])
		return key;
	const char *env = cfg_env_str("SOUK_MAIL_LINK_KEY", "");
	if (strlen(env) >= 32) {
		snprintf(key, sizeof key, "%s", env);
		return key;
	}
	db_res *r = db_exec(c, "maillink_key", 0, NULL);
	if (!r)
		return NULL;
	if (db_rows(r) != 1 || strlen(db_val(r, 0, "secret")) < 64) {
		ctx_fail(c, 500, "internal", "mail links have no key (migration 051)");
		return NULL;
	}
	snprintf(key, sizeof key, "%s", db_val(r, 0, "secret"));
	return key;
}

static const char *mac_of(ctx *c, const char *key, const char *public_id, long long exp, const char *nonce)
{
	buf m;
	buf_init(&m, c->a, 256);
	buf_printf(&m, "order-link|%s|%lld|%s", public_id, exp, nonce);
	return m.failed ? NULL : digest_hmac_sha256_hex(c->a, key, strlen(key), m.p, m.len);
}

const char *maillink_make(ctx *c, const char *public_id, time_t now)
{
	const char *key = link_key(c);
	if (!key)
		return NULL;
	long long exp = (long long)now + MAILLINK_TTL;
	char *nonce = rnd_hex(c->a, NONCE_HEX / 2);
	const char *mac = nonce ? mac_of(c, key, public_id, exp, nonce) : NULL;
	if (!mac) {
		ctx_fail(c, 500, "internal", "could not sign the order link");
		return NULL;
	}
	buf b;
	buf_init(&b, c->a, 160);
	buf_printf(&b, "%lld.%s.%s", exp, nonce, mac);
	return b.failed ? NULL : b.p;
}

static bool is_hex(const char *p, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (!((p[i] >= '0' && p[i] <= '9') || (p[i] >= 'a' && p[i] <= 'f')))
			return false;
	return true;
}

int maillink_use(ctx *c, const char *public_id, str v, time_t now, maillink_state *state)
{
	*state = MAILLINK_BAD;
	/* shape: digits "." 32 hex "." 64 hex */
	const char *dot1 = memchr(v.p, '.', v.len);
	if (!dot1 || v.len < 2 + NONCE_HEX + MAC_HEX + 1)
		return SOUK_OK;
	size_t elen = (size_t)(dot1 - v.p);
	if (v.len != elen + 1 + NONCE_HEX + 1 + MAC_HEX || dot1[1 + NONCE_HEX] != '.')
		return SOUK_OK;
	int64_t exp;
	const char *nonce_p = dot1 + 1, *mac_p = dot1 + 2 + NONCE_HEX;
	if (str_to_i64((str){v.p, elen}, 1, INT64_MAX / 2, &exp) < 0 || !is_hex(nonce_p, NONCE_HEX) ||
	    !is_hex(mac_p, MAC_HEX))
		return SOUK_OK;
	const char *key = link_key(c);
	if (!key)
		return SOUK_ERR;
	char *nonce = arena_strndup(c->a, nonce_p, NONCE_HEX);
	const char *want = nonce ? mac_of(c, key, public_id, (long long)exp, nonce) : NULL;
	if (!want)
		return ctx_fail(c, 500, "internal", "could not check the order link");
	if (!digest_equal(want, mac_p, MAC_HEX))
		return SOUK_OK;
	if (exp < (int64_t)now) {
		*state = MAILLINK_EXPIRED;
		return SOUK_OK;
	}
	const char *p[] = {nonce, public_id, db_param_i64(c, exp)};
	db_res *r = db_exec(c, "maillink_use", 3, p);
	if (!r)
		return SOUK_ERR;
	*state = db_rows(r) == 1 ? MAILLINK_OK : MAILLINK_USED;
	return SOUK_OK;
}

int maillink_prune(ctx *c, long limit, long *n)
{
	*n = 0;
	const char *p[] = {db_param_i64(c, limit)};
	db_res *r = db_exec(c, "maillink_prune", 1, p);
	if (!r)
		return SOUK_ERR;
	*n = (long)db_affected(r);
	return SOUK_OK;
}
