/* seller: onboarding moves, the seller's warehouse, API keys and the API guard. */
#include "shop/seller.h"

#include <string.h>
#include <strings.h>

#include "core/digest.h"
#include "core/js.h"
#include "core/rnd.h"
#include "http/req.h"
#include "http/resp.h"
#include "shop/auth.h"
#include "shop/catalog.h"
#include "shop/outbox.h"
#include "shop/seller_csv.h"
#include "shop/seller_offer.h"
#include "shop/seller_photo.h"
#include "shop/seller_product.h"

#define SELLER_MAX_KEYS 20

/* A slug is unique: the name's letters plus the row's id. */
static const db_stmt seller_sql[] = {
	{"seller_insert",
	 "INSERT INTO sellers (id, name, slug, status, contact_email, payout_account, applicant_id)"
	 " SELECT q.n, $1, trim(both '-' from left(regexp_replace(lower($1), '[^a-z0-9]+', '-', 'g'), 40))"
	 "        || '-' || q.n, $2, $3, $4, $5::bigint"
	 " FROM (SELECT nextval('sellers_id_seq') AS n) q RETURNING id"},
	{"seller_add_warehouse",
	 "INSERT INTO warehouses (name, seller_id, region)"
	 " SELECT left(name, 80) || ' warehouse', id, 'seller' FROM sellers WHERE id = $1 RETURNING id"},
	{"seller_user_state",
	 "SELECT u.role, u.seller_id,"
	 " EXISTS (SELECT 1 FROM sellers s WHERE s.applicant_id = u.id AND s.status = 'pending') AS pending"
	 " FROM users u WHERE u.id = $1"},
	{"seller_set_status",
	 "UPDATE sellers SET status = $3, status_changed_at = now(), status_note = $4"
	 " WHERE id = $1 AND status = $2 RETURNING id, applicant_id"},
	{"seller_status", "SELECT status FROM sellers WHERE id = $1"},
	{"seller_make_user_seller",
	 "UPDATE users SET role = 'seller', seller_id = $2 WHERE id = $1 AND role = 'shopper'"
	 " RETURNING id"},
	{"seller_products",
	 "SELECT DISTINCT v.product_id FROM offers o JOIN product_variants v ON v.id = o.variant_id"
	 " WHERE o.seller_id = $1 ORDER BY 1"},
	/* products left with no active offer of an active seller are hidden;
	 * those that have one again come back */
	{"seller_hide_products",
	 "UPDATE products p SET status = CASE WHEN p.status = 'active' THEN 'suspended' ELSE 'active' END"
	 " WHERE p.id = ANY ($1::bigint[]) AND p.status IN ('active', 'suspended')"
	 " AND (p.status = 'active') = NOT EXISTS (SELECT 1 FROM product_variants v"
	 "      JOIN offers o ON o.variant_id = v.id AND o.status = 'active'"
	 "      JOIN sellers s ON s.id = o.seller_id AND s.status = 'active'"
	 "      WHERE v.product_id = p.id)"},
	{"seller_get",
	 "SELECT s.id, s.name, s.slug, s.status, s.contact_email, s.payout_account, s.applicant_id,"
	 " u.email AS applicant_email, s.commission_bps, s.rating, s.created_at, s.status_changed_at,"
	 " s.status_note, (SELECT count(*) FROM offers o WHERE o.seller_id = s.id) AS offers,"
	 " (SELECT min(w.id) FROM warehouses w WHERE w.seller_id = s.id) AS warehouse_id"
	 " FROM sellers s LEFT JOIN users u ON u.id = s.applicant_id WHERE s.id = $1"},
	{"seller_list",
	 "SELECT s.id, s.name, s.status, s.contact_email, s.created_at, s.status_changed_at,"
	 " u.email AS applicant_email, count(*) OVER () AS total"
	 " FROM sellers s LEFT JOIN users u ON u.id = s.applicant_id"
	 " WHERE NOT s.is_platform AND ($1::text IS NULL OR s.status = $1)"
	 " ORDER BY s.id DESC LIMIT $2 OFFSET $3"},
	{"seller_of_user",
	 "SELECT s.id, s.name, s.status FROM users u JOIN sellers s ON s.id = u.seller_id"
	 " WHERE u.id = $1"},
	{"seller_standing",
	 "SELECT s.id, s.status FROM sellers s"
	 " WHERE s.id = (SELECT seller_id FROM users WHERE id = $1) OR s.applicant_id = $1"
	 " ORDER BY s.status IN ('active', 'suspended') DESC, s.id DESC LIMIT 1"},
	{"seller_key_insert",
	 "INSERT INTO seller_api_keys (seller_id, key_hash, prefix, label)"
	 " SELECT $1, $2, $3, $4 WHERE (SELECT count(*) FROM seller_api_keys"
	 "   WHERE seller_id = $1 AND revoked_at IS NULL) < $5 RETURNING id"},
	{"seller_key_revoke",
	 "UPDATE seller_api_keys SET revoked_at = COALESCE(revoked_at, now())"
	 " WHERE id = $1 AND seller_id = $2 RETURNING id"},
	{"seller_key_list",
	 "SELECT id, prefix, label, created_at, revoked_at FROM seller_api_keys"
	 " WHERE seller_id = $1 ORDER BY id DESC"},
	{"seller_key_find",
	 "SELECT s.id, s.name, s.status FROM seller_api_keys k JOIN sellers s ON s.id = k.seller_id"
	 " WHERE k.key_hash = $1 AND k.revoked_at IS NULL AND s.status IN ('active', 'suspended')"},
};

void seller_register(void)
{
	db_register(seller_sql, sizeof(seller_sql) / sizeof(seller_sql[0]));
	soffer_register(); /* catalog too */
	scsv_register();
	sproduct_register();
	sphoto_register();
}

/* Printable text without control characters, 1..max bytes (UTF-8 is
 * checked by the request parser). */
static bool plain_text(str s, size_t max)
{
	if (s.len == 0 || s.len > max)
		return false;
	for (size_t i = 0; i < s.len; i++)
		if ((unsigned char)s.p[i] < 0x20 || s.p[i] == 0x7f)
			return false;
	return true;
}

int seller_check_fields(ctx *c, str name, str email, str payout)
{
	if (!plain_text(name, SELLER_NAME_MAX))
		return ctx_fail_field(c, 400, "bad_request", "name",
		                      "the business name must be 1 to %d characters", SELLER_NAME_MAX);
	if (!auth_email_valid(email))
		return ctx_fail_field(c, 400, "bad_request", "email", "the contact e-mail is not valid");
	bool digits = payout.len >= 6 && payout.len <= SELLER_PAYOUT_MAX;
	for (size_t i = 0; digits && i < payout.len; i++)
		digits = payout.p[i] >= '0' && payout.p[i] <= '9';
	if (!digits)
		return ctx_fail_field(c, 400, "bad_request", "payout",
		                      "the payout account must be 6 to %d digits (a sandbox account number)",
		                      SELLER_PAYOUT_MAX);
	return SOUK_OK;
}

static int insert_seller(ctx *c, str name, const char *status, str email, str payout,
                         int64_t applicant, int64_t *id)
{
	const char *p[] = {str_dup(c->a, name), status, str_dup(c->a, email), str_dup(c->a, payout),
	                   applicant ? db_param_i64(c, applicant) : NULL};
	db_res *r = db_exec(c, "seller_insert", 5, p);
	if (!r)
		return SOUK_ERR;
	*id = db_i64(r, 0, "id");
	return SOUK_OK;
}

static int add_warehouse(ctx *c, int64_t id)
{
	const char *p[] = {db_param_i64(c, id)};
	return db_exec(c, "seller_add_warehouse", 1, p) ? SOUK_OK : SOUK_ERR;
}

int seller_create(ctx *c, str name, int64_t *id)
{
	if (!plain_text(name, SELLER_NAME_MAX))
		return ctx_fail(c, 400, "bad_request", "the seller name must be 1 to %d characters",
		                SELLER_NAME_MAX);
	if (db_begin(c) < 0)
		return SOUK_ERR;
	if (insert_seller(c, name, "active", STR(""), STR(""), 0, id) < 0 ||
	    add_warehouse(c, *id) < 0 || db_commit(c) < 0) {
		db_rollback(c);
		return SOUK_ERR;
	}
	return SOUK_OK;
}

int seller_apply(ctx *c, int64_t user_id, str name, str email, str payout, int64_t *id)
{
	if (seller_check_fields(c, name, email, payout) < 0)
		return SOUK_ERR;
	const char *p[] = {db_param_i64(c, user_id)};
	db_res *u = db_exec(c, "seller_user_state", 1, p);
	if (!u)
		return SOUK_ERR;
	if (db_rows(u) == 0)
		return ctx_fail(c, 404, "not_found", "no such account");
	if (strcmp(db_val(u, 0, "role"), "admin") == 0)
		return ctx_fail(c, 403, "forbidden", "an admin account cannot also sell; apply with another account");
	if (!db_null(u, 0, "seller_id") || db_bool(u, 0, "pending"))
		return ctx_fail(c, 409, "already_applied",
		                "this account already has a seller account or an application waiting");
	if (insert_seller(c, name, "pending", email, payout, user_id, id) < 0) {
		if (c->err_status == 409) { /* two submits at once: the unique index */
			ctx_clear(c);
			return ctx_fail(c, 409, "already_applied", "an application is already waiting");
		}
		return SOUK_ERR;
	}
	return SOUK_OK;
}

/* Moves seller id from status `from` to `to` inside the caller's
 * transaction: 404 unknown, 409 when its status is not `from`. *applicant
 * (may be NULL) receives the applicant's user id (0 for none). */
static int move(ctx *c, int64_t id, const char *from, const char *to, const char *note,
                int64_t *applicant)
{
	const char *p[] = {db_param_i64(c, id), from, to, note ? note : ""};
	db_res *r = db_exec(c, "seller_set_status", 4, p);
	if (!r)
		return SOUK_ERR;
	if (db_rows(r) == 1) {
		if (applicant)
			*applicant = db_i64(r, 0, "applicant_id");
		return SOUK_OK;
	}
	db_res *s = db_exec(c, "seller_status", 1, p);
	if (!s)
		return SOUK_ERR;
	if (db_rows(s) == 0)
		return ctx_fail(c, 404, "not_found", "no seller with id %lld", (long long)id);
	return ctx_fail(c, 409, "bad_state", "the seller is %s; only a %s seller can become %s",
	                db_val(s, 0, "status"), from, to);
}

int seller_approve(ctx *c, int64_t id)
{
	int64_t applicant = 0;
	if (db_begin(c) < 0)
		return SOUK_ERR;
	if (move(c, id, "pending", "active", "", &applicant) < 0 || add_warehouse(c, id) < 0)
		goto fail;
	if (applicant) {
		const char *p[] = {db_param_i64(c, applicant), db_param_i64(c, id)};
		db_res *r = db_exec(c, "seller_make_user_seller", 2, p);
		if (!r)
			goto fail;
		if (db_rows(r) == 0) {
			ctx_fail(c, 409, "bad_state", "the applicant's account is no longer a shopper account");
			goto fail;
		}
	}
	return db_commit(c);
fail:
	db_rollback(c);
	return SOUK_ERR;
}

int seller_reject(ctx *c, int64_t id, const char *note)
{
	return move(c, id, "pending", "rejected", note, NULL);
}

/* suspend / reinstate: the status move, then every product the seller
 * offers is refreshed (price_min, in_stock without the suspended offers),
 * hidden or shown again, and announced (`catalog` event), in one
 * transaction; the caches are dropped after commit. */
static int flip(ctx *c, int64_t id, const char *from, const char *to, const char *note)
{
	if (db_begin(c) < 0)
		return SOUK_ERR;
	const char *p[] = {db_param_i64(c, id)};
	db_res *r = NULL;
	if (move(c, id, from, to, note, NULL) < 0 || !(r = db_exec(c, "seller_products", 1, p)))
		goto fail;
	int n = db_rows(r);
	int64_t *ids = arena_alloc(c->a, sizeof(int64_t) * (size_t)(n ? n : 1));
	if (!ids) {
		ctx_fail(c, 500, "internal", "out of memory");
		goto fail;
	}
	for (int i = 0; i < n; i++)
		ids[i] = db_i64(r, i, "product_id");
	const char *arr[] = {catalog_id_array(c, ids, (size_t)n)};
	if (catalog_refresh(c, arr[0]) < 0 || !db_exec(c, "seller_hide_products", 1, arr))
		goto fail;
	for (int i = 0; i < n; i++) {
		json_object *ev = js_obj(c);
		js_str(ev, "type", strcmp(to, "suspended") == 0 ? "catalog.seller_suspended"
		                                                : "catalog.seller_reinstated");
		js_i64(ev, "seller_id", id);
		js_i64(ev, "product_id", ids[i]);
		if (outbox_add(c, "catalog", db_param_i64(c, ids[i]), ev) < 0)
			goto fail;
	}
	if (db_commit(c) < 0)
		goto fail;
	catalog_invalidate_many(c, ids, (size_t)n);
	return SOUK_OK;
fail:
	db_rollback(c);
	return SOUK_ERR;
}

int seller_suspend(ctx *c, int64_t id, const char *note)
{
	return flip(c, id, "active", "suspended", note);
}

int seller_reinstate(ctx *c, int64_t id)
{
	return flip(c, id, "suspended", "active", "");
}

db_res *seller_get(ctx *c, int64_t id)
{
	const char *p[] = {db_param_i64(c, id)};
	db_res *r = db_exec(c, "seller_get", 1, p);
	if (r && db_rows(r) == 0) {
		ctx_fail(c, 404, "not_found", "no seller with id %lld", (long long)id);
		return NULL;
	}
	return r;
}

db_res *seller_list(ctx *c, const char *status, int64_t limit, int64_t offset)
{
	const char *p[] = {status, db_param_i64(c, limit), db_param_i64(c, offset)};
	return db_exec(c, "seller_list", 3, p);
}

db_res *seller_of_user(ctx *c, int64_t user_id)
{
	const char *p[] = {db_param_i64(c, user_id)};
	return db_exec(c, "seller_of_user", 1, p);
}

db_res *seller_standing(ctx *c, int64_t user_id)
{
	const char *p[] = {db_param_i64(c, user_id)};
	return db_exec(c, "seller_standing", 1, p);
}

bool seller_key_well_formed(str key)
{
	if (key.len != SELLER_KEY_LEN || !str_starts(key, SELLER_KEY_PREFIX))
		return false;
	for (size_t i = strlen(SELLER_KEY_PREFIX); i < key.len; i++) {
		char ch = key.p[i];
		if (!((ch >= '0' && ch <= '9') || (ch >= 'a' && ch <= 'f')))
			return false;
	}
	return true;
}

const char *seller_key_hash(arena *a, str key)
{
	return digest_sha256_hex(a, key.p, key.len);
}

int seller_key_create(ctx *c, int64_t seller_id, str label, const char **key, int64_t *key_id)
{
	if (label.len > 80 || (label.len && !plain_text(label, 80)))
		return ctx_fail_field(c, 400, "bad_request", "label", "the label must be at most 80 characters");
	const char *hex = rnd_hex(c->a, 32);
	char *k = hex ? arena_alloc(c->a, SELLER_KEY_LEN + 1) : NULL;
	if (!k)
		return ctx_fail(c, 500, "internal", "no random key");
	memcpy(k, SELLER_KEY_PREFIX, strlen(SELLER_KEY_PREFIX));
	memcpy(k + strlen(SELLER_KEY_PREFIX), hex, 65);
	const char *hash = seller_key_hash(c->a, str_c(k));
	const char *p[] = {db_param_i64(c, seller_id), hash, arena_strndup(c->a, k, SELLER_KEY_SHOWN),
	                   str_dup(c->a, label), db_param_i64(c, SELLER_MAX_KEYS)};
	db_res *r = db_exec(c, "seller_key_insert", 5, p);
	if (!r)
		return SOUK_ERR;
	if (db_rows(r) == 0)
		return ctx_fail(c, 409, "too_many_keys",
		                "at most %d live API keys; revoke one first", SELLER_MAX_KEYS);
	*key = k;
	*key_id = db_i64(r, 0, "id");
	return SOUK_OK;
}

int seller_key_revoke(ctx *c, int64_t seller_id, int64_t key_id)
{
	const char *p[] = {db_param_i64(c, key_id), db_param_i64(c, seller_id)};
	db_res *r = db_exec(c, "seller_key_revoke", 2, p);
	if (!r)
		return SOUK_ERR;
	if (db_rows(r) == 0)
		return ctx_fail(c, 404, "not_found", "no API key with id %lld", (long long)key_id);
	return SOUK_OK;
}

db_res *seller_key_list(ctx *c, int64_t seller_id)
{
	const char *p[] = {db_param_i64(c, seller_id)};
	return db_exec(c, "seller_key_list", 1, p);
}

int seller_key_verify(ctx *c, str key, seller_who *out)
{
	if (!seller_key_well_formed(key))
		return ctx_fail(c, 401, "unauthorized", "the API key is not valid");
	const char *p[] = {seller_key_hash(c->a, key)};
	db_res *r = db_exec(c, "seller_key_find", 1, p);
	if (!r)
		return SOUK_ERR;
	if (db_rows(r) == 0)
		return ctx_fail(c, 401, "unauthorized", "the API key is not valid or was revoked");
	out->id = db_i64(r, 0, "id");
	out->name = db_val(r, 0, "name");
	out->suspended = strcmp(db_val(r, 0, "status"), "suspended") == 0;
	return SOUK_OK;
}

int seller_api_guard(ctx *c, seller_who *out)
{
	memset(out, 0, sizeof(*out));
	const str *h = c->rq ? req_header(c->rq, "authorization") : NULL;
	int rc;
	if (!h || h->len < 7 || strncasecmp(h->p, "Bearer ", 7) != 0)
		rc = ctx_fail(c, 401, "unauthorized",
		              "send a seller API key as \"Authorization: Bearer <key>\"");
	else
		rc = seller_key_verify(c, (str){h->p + 7, h->len - 7}, out);
	if (rc < 0 && c->err_status == 401) {
		resp_header(c->rs, "WWW-Authenticate", STR("Bearer realm=\"souk-seller\""));
		resp_keep_headers(c->rs);
	}
	return rc;
}

const char *seller_actor(arena *a, int64_t seller_id)
{
	buf b;
	buf_init(&b, a, 32);
	buf_printf(&b, "seller:%lld", (long long)seller_id);
	return b.p;
}
