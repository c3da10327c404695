/* seller: who a seller is — onboarding (apply, approve, reject, suspend,
 * reinstate), their own warehouse, and API keys (created once, stored as
 * SHA-256, verified from "Authorization: Bearer"). */
#ifndef SOUK_SELLER_H
#define SOUK_SELLER_H

#include <stdbool.h>
#include <stdint.h>

#include "core/ctx.h"
#include "store/db.h"

#define SELLER_NAME_MAX 120
#define SELLER_PAYOUT_MAX 34     /* an IBAN's length; sandbox accounts are digits */
#define SELLER_KEY_PREFIX "sk_"  /* keys: "sk_" + 64 hex chars */
#define SELLER_KEY_LEN (3 + 64)
#define SELLER_KEY_SHOWN 11      /* characters of a key kept in the clear for the list */

/* The seller a request acts for, filled by a guard: everything a seller
 * route may touch is scoped to id. Strings live in the request arena. */
typedef struct seller_who {
	int64_t id;
	const char *name;
	bool suspended; /* signed in and sees their data, but lists nothing new */
} seller_who;

/* Registers the module's SQL (catalog's too); call once before serving. */
void seller_register(void);

/* Validation of the onboarding fields: 400 naming the field. */
int seller_check_fields(ctx *c, str name, str email, str payout);

/* Creates an approved seller with one warehouse of its own (souk-ctl,
 * tests): *id the new sellers.id. 400 on a bad name. */
int seller_create(ctx *c, str name, int64_t *id);

/* The signed-in shopper user_id applies to sell: a 'pending' seller row.
 * 409 "already_applied" when a pending application or a seller account
 * exists; 403 for an admin (an admin account cannot also be a seller). */
int seller_apply(ctx *c, int64_t user_id, str name, str email, str payout, int64_t *id);

/* Admin moves, each one transaction; 404 for an unknown seller, 409
 * "bad_state" when the move does not apply to its status.
 * approve: pending -> active, its warehouse, the applicant becomes role
 * seller. reject: pending -> rejected. suspend: active -> suspended, its
 * offers leave the Buy Box and search (products with no other active
 * seller are hidden), open orders stay. reinstate: suspended -> active. */
int seller_approve(ctx *c, int64_t id);
int seller_reject(ctx *c, int64_t id, const char *note);
int seller_suspend(ctx *c, int64_t id, const char *note);
int seller_reinstate(ctx *c, int64_t id);

/* One seller (id, name, slug, status, contact_email, payout_account,
 * applicant_id, applicant_email, commission_bps, rating, created_at,
 * status_changed_at, status_note, offers, warehouse_id); 404 when unknown. */
db_res *seller_get(ctx *c, int64_t id);
/* Sellers with status (NULL: any), newest first, one page with the full
 * count in column "total". */
db_res *seller_list(ctx *c, const char *status, int64_t limit, int64_t offset);
/* The seller (id, status) of account user_id, or 0 rows. */
db_res *seller_of_user(ctx *c, int64_t user_id);
/* Where account user_id stands as a seller: its seller account, else its
 * latest application (id, status), or 0 rows. */
db_res *seller_standing(ctx *c, int64_t user_id);

/* API keys. A new key for seller_id, returned once in *key (arena);
 * *key_id its row. label may be empty. At most 20 live keys (409). */
int seller_key_create(ctx *c, int64_t seller_id, str label, const char **key, int64_t *key_id);
/* Revokes key_id when it is seller_id's: 404 otherwise (another seller's
 * key looks unknown). Revoking twice is fine. */
int seller_key_revoke(ctx *c, int64_t seller_id, int64_t key_id);
/* The seller's keys (id, prefix, label, created_at, revoked_at), newest first. */
db_res *seller_key_list(ctx *c, int64_t seller_id);
/* true when key looks like a key ("sk_" + 64 lower-case hex chars). */
bool seller_key_well_formed(str key);
/* The stored form of a key: SHA-256 hex in arena a (NULL when the arena is full). */
const char *seller_key_hash(arena *a, str key);
/* The seller of a live key, for the API guard: 401 "unauthorized" for a
 * malformed, unknown or revoked key, or a seller no longer active or
 * suspended. */
int seller_key_verify(ctx *c, str key, seller_who *out);

/* "seller:<id>", who acted in order_events when a seller ships or decides
 * a return (in arena a). */
const char *seller_actor(arena *a, int64_t seller_id);

/* The API guard: the request's "Authorization: Bearer <key>" as a seller;
 * 401 (with WWW-Authenticate: Bearer) when missing or not a live key. */
int seller_api_guard(ctx *c, seller_who *out);

#endif
