/* pay_seal_keys: the provider's public key, fetched and kept in PostgreSQL. */
#include "shop/pay_seal_keys.h"

#include <stdatomic.h>
#include <string.h>

#include "core/js.h"
#include "core/log.h"
#include "core/unixsock.h"
#include "shop/pay_remote.h"
#include "shop/pay_seal.h"
#include "shop/payment.h"
#include "store/db.h"

#define SEAL_PROVIDER "payd"
/* how often a pool asks souk-payd for its encryption key after a
 * tokenisation (a rotation is picked up within this; the worker asks too) */
#define SEAL_KEY_REFRESH_MS 60000

static const db_stmt keys_sql[] = {
	{"pay_seal_key_put",
	 "INSERT INTO pay_seal_keys (provider, key_id, public_pem) VALUES ($1, $2, $3)"
	 " ON CONFLICT (provider) DO UPDATE SET key_id = EXCLUDED.key_id,"
	 " public_pem = EXCLUDED.public_pem, fetched_at = now()"
	 " WHERE pay_seal_keys.key_id <> EXCLUDED.key_id"
	 " OR pay_seal_keys.fetched_at < now() - interval '1 minute'"},
	{"pay_seal_key_get", "SELECT key_id, public_pem FROM pay_seal_keys WHERE provider = $1"},
};

void pay_seal_keys_register(void)
{
	db_register(keys_sql, sizeof(keys_sql) / sizeof(keys_sql[0]));
}

int pay_seal_keys_refresh(ctx *c)
{
	int status;
	json_object *o;
	if (pay_remote_call(c, "/v1/encryption_key", NULL, NULL, &status, &o) < 0)
		return SOUK_ERR;
	const char *id = NULL, *pem = NULL;
	if (status != 200 || js_get_str(o, "key_id", &id) != 1 || !pay_seal_key_id_ok(id) ||
	    js_get_str(o, "public_key", &pem) != 1 || !pem || strncmp(pem, "-----BEGIN", 10) != 0)
		return ctx_fail(c, 502, "payment_error", "souk-payd gave no usable encryption key");
	const char *p[] = {SEAL_PROVIDER, id, pem};
	return db_exec(c, "pay_seal_key_put", 3, p) ? SOUK_OK : SOUK_ERR;
}

void pay_seal_keys_refresh_every(ctx *c, int64_t every_ms)
{
	static _Atomic int64_t last_ms;
	if (strcmp(pay_provider_get()->name, SEAL_PROVIDER) != 0)
		return; /* only souk-payd seals (the sandbox has no keys) */
	int64_t now = unixsock_now_ms(), prev = atomic_load(&last_ms);
	if (prev && now - prev < every_ms)
		return;
	if (!atomic_compare_exchange_strong(&last_ms, &prev, now))
		return; /* another thread of this process asks */
	if (pay_seal_keys_refresh(c) < 0) {
		ctx_log(c, LOG_INFO, "payd: encryption key not refreshed: %s",
		        c->err_msg ? c->err_msg : "?");
		/* a provider that is down is asked again in 2 s, not every round */
		atomic_store(&last_ms, now - every_ms + (every_ms > 2000 ? 2000 : every_ms));
		ctx_clear(c);
	}
}

int pay_seal_keys_seal(ctx *c, const pay_card *card, const char **sealed)
{
	*sealed = NULL;
	const char *p[] = {SEAL_PROVIDER};
	db_res *r = db_exec(c, "pay_seal_key_get", 1, p);
	if (!r)
		return SOUK_ERR;
	if (db_rows(r) == 0)
		return SOUK_OK;
	return pay_seal_card(c, db_val(r, 0, "key_id"), db_val(r, 0, "public_pem"), card, sealed);
}

/* The provider could not tokenise (c holds its failure): the card sealed
 * with the kept key, or SOUK_ERR with that failure standing. */
static int seal_instead(ctx *c, const pay_card *card, const char **sealed)
{
	/* the key kept is souk-payd's: only its cards are sealed */
	if (c->err_status != 503 || strcmp(pay_provider_get()->name, SEAL_PROVIDER) != 0)
		return SOUK_ERR;
	int st = c->err_status;
	const char *code = c->err_code, *msg = c->err_msg;
	ctx_clear(c);
	if (card->sealed) { /* sealed at an earlier step: it waits as it is */
		*sealed = card->sealed;
		return SOUK_OK;
	}
	if (pay_seal_keys_seal(c, card, sealed) == SOUK_OK && *sealed)
		return SOUK_OK;
	/* no key known (or it is unusable): the provider's 503 stands */
	if (c->err_status)
		ctx_log(c, LOG_WARN, "checkout: the card could not be sealed: %s",
		        c->err_msg ? c->err_msg : "?");
	ctx_clear(c);
	c->err_status = st;
	c->err_code = code;
	c->err_msg = msg;
	return SOUK_ERR;
}

int pay_seal_keys_tokenize(ctx *c, const pay_card *card, bool may_seal, pay_result *pm,
                           pay_card *out)
{
	memset(pm, 0, sizeof(*pm));
	*out = (pay_card){0};
	if (pay_provider_get()->tokenize(c, card, pm) == SOUK_OK) {
		out->token = pm->provider_ref;
		pay_seal_keys_refresh_every(c, SEAL_KEY_REFRESH_MS);
		return SOUK_OK;
	}
	if (!may_seal)
		return SOUK_ERR;
	return seal_instead(c, card, &out->sealed);
}
