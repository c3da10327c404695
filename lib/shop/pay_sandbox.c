/* pay_sandbox: the built-in test-mode card processor; its state lives in
 * PostgreSQL (pay_sandbox_*) so every call is idempotent by key across
 * processes. */
#include "shop/pay_sandbox.h"

#include <stdio.h>
#include <string.h>
#include <time.h>

#include "core/rnd.h"
#include "store/db.h"

static const db_stmt sandbox_sql[] = {
	/* The key row first: a concurrent call with the same key waits on the
	 * unique index here and then finds the stored result. */
	{"paysb_claim",
	 "INSERT INTO pay_sandbox_ops (key, op, charge_ref, amount, brand, last4)"
	 " VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (key) DO NOTHING RETURNING key"},
	{"paysb_stored",
	 "SELECT op, approved, ref, decline_code, brand, last4 FROM pay_sandbox_ops WHERE key = $1"},
	{"paysb_result",
	 "UPDATE pay_sandbox_ops SET approved = $2, ref = $3, decline_code = $4 WHERE key = $1"},
	/* An authorization's outcome depends on the card alone, so the key
	 * row is written with its result and the charge in one statement. */
	{"paysb_authorize",
	 "WITH k AS (INSERT INTO pay_sandbox_ops (key, op, amount, approved, ref, decline_code,"
	 "           brand, last4) VALUES ($1, 'authorize', $2, $3, $4, $5, $6, $7)"
	 "           ON CONFLICT (key) DO NOTHING RETURNING key),"
	 " ch AS (INSERT INTO pay_sandbox_charges (ref, amount, currency, status, brand, last4)"
	 "        SELECT $4, $2, $8, 'authorized', $6, $7 FROM k WHERE $3::boolean)"
	 " SELECT count(*) AS claimed FROM k"},
	{"paysb_capture",
	 "UPDATE pay_sandbox_charges SET status = 'captured', captured = $2, updated_at = now()"
	 " WHERE ref = $1 AND status = 'authorized' AND $2::bigint <= amount RETURNING ref"},
	{"paysb_void",
	 "UPDATE pay_sandbox_charges SET status = 'voided', updated_at = now()"
	 " WHERE ref = $1 AND status = 'authorized' RETURNING ref"},
	{"paysb_refund",
	 "UPDATE pay_sandbox_charges SET refunded = refunded + $2, updated_at = now()"
	 " WHERE ref = $1 AND status = 'captured' AND refunded + $2::bigint <= captured"
	 " RETURNING ref"},
};

void pay_sandbox_register(void)
{
	db_register(sandbox_sql, sizeof(sandbox_sql) / sizeof(sandbox_sql[0]));
}

typedef struct outcome {
	const char *code, *message;
} outcome;

static outcome card_outcome(const char *digits)
{
	const char *code = pay_test_decline(digits);
	return (outcome){code, pay_decline_message(code)};
}

static void fill_stored(db_res *r, pay_result *out)
{
	out->approved = db_bool(r, 0, "approved");
	out->provider_ref = db_val(r, 0, "ref");
	out->decline_code = db_val(r, 0, "decline_code");
	out->message = pay_decline_message(out->decline_code);
	out->brand = db_val(r, 0, "brand");
	const char *l4 = db_val(r, 0, "last4");
	snprintf(out->last4, sizeof(out->last4), "%s", l4 ? l4 : "");
}

/* Claims the key; 1 = claimed (do the work), 0 = replayed into *out. */
static int claim(ctx *c, const char *key, const char *op, const char *charge, int64_t amount,
                 const char *brand, const char *last4, pay_result *out)
{
	const char *p[] = {key, op, charge, db_param_i64(c, amount), brand ? brand : "",
	                   last4 && *last4 ? last4 : NULL};
	db_res *r = db_exec(c, "paysb_claim", 6, p);
	if (!r)
		return -1;
	if (db_rows(r) == 1)
		return 1;
	const char *q[] = {key};
	db_res *s = db_exec(c, "paysb_stored", 1, q);
	if (!s)
		return -1;
	if (db_rows(s) == 0 || strcmp(db_val(s, 0, "op"), op) != 0)
		return ctx_fail(c, 409, "conflict", "payment key reused for another operation"), -1;
	fill_stored(s, out);
	return 0;
}

static int store(ctx *c, const char *key, pay_result *out)
{
	const char *p[] = {key, out->approved ? "t" : "f", out->provider_ref, out->decline_code};
	return db_exec(c, "paysb_result", 4, p) ? SOUK_OK : SOUK_ERR;
}

/* Sandbox tokens carry what the sandbox needs and no more:
 * "pm_sb_<last4>_<brand>_<hex>"; the test outcome follows from last 4. */
static int sb_tokenize(ctx *c, const pay_card *card, pay_result *out)
{
	const char *digits;
	char last4[5];
	memset(out, 0, sizeof(*out));
	if (card->sealed) /* sealed for souk-payd's key: the sandbox has none */
		return ctx_fail(c, 400, "bad_card", "the sandbox cannot open a sealed card");
	time_t now = time(NULL);
	struct tm tm;
	gmtime_r(&now, &tm);
	if (pay_card_check(c, card, tm.tm_year + 1900, tm.tm_mon + 1, &digits, last4) < 0)
		return SOUK_ERR;
	char *hex = rnd_hex(c->a, 8);
	if (!hex)
		return ctx_fail(c, 500, "internal", "no randomness");
	buf b;
	buf_init(&b, c->a, 64);
	buf_printf(&b, "pm_sb_%s_%s_%s", last4, pay_card_brand(digits), hex);
	out->approved = true;
	out->provider_ref = b.p;
	out->brand = pay_card_brand(digits);
	snprintf(out->last4, sizeof(out->last4), "%s", last4);
	return SOUK_OK;
}

static outcome token_outcome(const char *tok, const char **brand, char last4[5])
{
	static const char *const brands[] = {"visa", "mastercard", "amex", "discover", "card"};
	snprintf(last4, 5, "%.4s", strlen(tok) >= 10 ? tok + 6 : "0000");
	*brand = "card";
	for (size_t i = 0; i < sizeof(brands) / sizeof(brands[0]); i++)
		if (strlen(tok) > 11 && strncmp(tok + 11, brands[i], strlen(brands[i])) == 0)
			*brand = brands[i];
	char fake[17];
	snprintf(fake, sizeof(fake), "400000000000%s", last4);
	return card_outcome(fake);
}

static int sb_authorize(ctx *c, const char *key, int64_t amount, const char *currency,
                        const pay_card *card, pay_result *out)
{
	const char *digits = "";
	char last4[5];
	memset(out, 0, sizeof(*out));
	outcome oc;
	if (card->token && *card->token) {
		if (strncmp(card->token, "pm_sb_", 6) != 0)
			return ctx_fail(c, 400, "bad_card", "unknown payment method");
		oc = token_outcome(card->token, &out->brand, last4);
	} else {
		/* The processor checks the card itself too (Luhn, expiry as of now). */
		time_t now = time(NULL);
		struct tm tm;
		gmtime_r(&now, &tm);
		if (pay_card_check(c, card, tm.tm_year + 1900, tm.tm_mon + 1, &digits, last4) < 0)
			return SOUK_ERR;
		oc = card_outcome(digits);
		out->brand = pay_card_brand(digits);
	}
	snprintf(out->last4, sizeof(out->last4), "%s", last4);
	out->approved = oc.code == NULL;
	out->decline_code = oc.code;
	out->message = oc.message;
	if (out->approved) {
		char *hex = rnd_hex(c->a, 12);
		if (!hex)
			return ctx_fail(c, 500, "internal", "no randomness");
		buf ref;
		buf_init(&ref, c->a, 64);
		buf_printf(&ref, "ch_%s", hex);
		out->provider_ref = ref.p;
	}
	const char *p[] = {key, db_param_i64(c, amount), out->approved ? "t" : "f",
	                   out->provider_ref, out->decline_code, out->brand, last4,
	                   currency ? currency : "USD"};
	db_res *r = db_exec(c, "paysb_authorize", 8, p);
	if (!r)
		return SOUK_ERR;
	if (db_i64(r, 0, "claimed") == 1)
		return SOUK_OK;
	/* The key was used before: its first result, whatever this card says. */
	const char *q[] = {key};
	db_res *st = db_exec(c, "paysb_stored", 1, q);
	if (!st)
		return SOUK_ERR;
	if (db_rows(st) == 0 || strcmp(db_val(st, 0, "op"), "authorize") != 0)
		return ctx_fail(c, 409, "conflict", "payment key reused for another operation");
	memset(out, 0, sizeof(*out));
	fill_stored(st, out);
	return SOUK_OK;
}

/* capture / void / refund: claim the key, apply the guarded UPDATE. */
static int sb_apply(ctx *c, const char *op, const char *stmt, const char *key, const char *ref,
                    int64_t amount, pay_result *out)
{
	memset(out, 0, sizeof(*out));
	bool own;
	if (db_tx_join(c, &own) < 0)
		return SOUK_ERR;
	int k = claim(c, key, op, ref, amount, NULL, NULL, out);
	if (k != 1)
		return db_tx_leave(c, own, k == 0 ? SOUK_OK : SOUK_ERR);
	db_res *r;
	if (strcmp(op, "void") == 0) {
		const char *p[] = {ref};
		r = db_exec(c, stmt, 1, p);
	} else {
		const char *p[] = {ref, db_param_i64(c, amount)};
		r = db_exec(c, stmt, 2, p);
	}
	if (!r)
		return db_tx_leave(c, own, SOUK_ERR);
	out->approved = db_rows(r) == 1;
	if (out->approved) {
		char *hex = rnd_hex(c->a, 12);
		buf b;
		buf_init(&b, c->a, 64);
		buf_printf(&b, "%s_%s", strcmp(op, "refund") == 0 ? "re" : "ch", hex ? hex : "");
		out->provider_ref = strcmp(op, "refund") == 0 ? b.p : ref;
	} else {
		out->decline_code = "invalid_state";
		out->message = "The payment is not in a state that allows this.";
	}
	return db_tx_leave(c, own, store(c, key, out));
}

static int sb_capture(ctx *c, const char *key, const char *auth_ref, int64_t amount,
                      pay_result *out)
{
	return sb_apply(c, "capture", "paysb_capture", key, auth_ref, amount, out);
}

static int sb_void(ctx *c, const char *key, const char *auth_ref, pay_result *out)
{
	return sb_apply(c, "void", "paysb_void", key, auth_ref, 0, out);
}

static int sb_refund(ctx *c, const char *key, const char *charge_ref, int64_t amount,
                     pay_result *out)
{
	return sb_apply(c, "refund", "paysb_refund", key, charge_ref, amount, out);
}

/* The in-database sandbox keeps no payout books: a payout to a
 * well-formed account is paid (payouts.provider_ref names the key). */
static int sb_payout(ctx *c, const char *key, const char *account, int64_t amount,
                     pay_result *out)
{
	memset(out, 0, sizeof(*out));
	out->approved = amount > 0 && account && strncmp(account, "acct_", 5) == 0;
	buf b;
	buf_init(&b, c->a, 128);
	buf_printf(&b, "po_sandbox_%s", key);
	out->provider_ref = b.p;
	if (!out->approved)
		out->decline_code = "invalid_account";
	return SOUK_OK;
}

const pay_provider pay_sandbox = {"sandbox", sb_authorize, sb_capture, sb_void, sb_refund,
                                  sb_tokenize, sb_payout};
