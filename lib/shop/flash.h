/* flash: flash sales — the sale's rules and PostgreSQL rows (flash.c), the
 * waiting line and pre-warmed stock in Redis (flash_queue.c), the
 * purchase through checkout (flash_order.c). docs/FLASH.md. */
#ifndef SOUK_FLASH_H
#define SOUK_FLASH_H

#include <stdbool.h>
#include <stdint.h>

#include "core/ctx.h"
#include "shop/flash_pass.h"

struct json_object;

/* Registers the module's SQL; call once before serving. flash_end
 * (flash_ops.h) also needs flash_release's, which shop_register gives
 * every process. */
void flash_register(void);

typedef struct flash_sale {
	int64_t id, sku_id, product_id;
	int64_t units, units_sold;
	int64_t price, list_price;            /* cents: the sale's and the offer's */
	int64_t prequeue_at, starts_at, ends_at; /* unix seconds */
	int64_t per_customer, max_active, admit_per_min, pass_minutes, over_admit_pct;
	const char *state;                    /* scheduled | paused | ended (arena) */
	const char *title;                    /* the product's title (arena) */
	int64_t ck_seq, ck_admitted;
	double ck_adm;
} flash_sale;

/* Where a sale is at `now` (unix s): before its pre-queue opens, in the
 * pre-queue, selling, paused by an admin, over (ended early or past
 * ends_at). */
typedef enum flash_phase {
	FLASH_NOT_OPEN,
	FLASH_PREQUEUE,
	FLASH_RUNNING,
	FLASH_PAUSED,
	FLASH_ENDED,
} flash_phase;
flash_phase flash_phase_at(const flash_sale *s, int64_t now);

/* The sale (404 "not_found" when there is none). flash_get_cached keeps
 * it per process for FLASH_CACHE_MS (the status poll must not cost a
 * query), so an admin's pause shows within that time. */
#define FLASH_CACHE_MS 500
int flash_get(ctx *c, int64_t id, flash_sale *out);
int flash_get_cached(ctx *c, int64_t id, flash_sale *out);
/* The sale of the offer that is upcoming (pre-queue open or start within
 * a day) or running, if any: 1 found, 0 none, SOUK_ERR failure. */
int flash_for_sku(ctx *c, int64_t sku_id, flash_sale *out);

/* What `flash create` takes; zero fields get the defaults. */
typedef struct flash_params {
	int64_t sku_id, units, price;
	int64_t prequeue_at, starts_at, ends_at; /* unix seconds; prequeue 0 = starts_at */
	int64_t per_customer, max_active, admit_per_min, pass_minutes, over_admit_pct;
} flash_params;

/* A time as the operator writes it: ISO 8601 with Z or an offset
 * ("2026-12-04T10:00:00Z", "...T11:00+01:00", seconds optional, a form's
 * "2026-12-04T10:00" is UTC), "@UNIX", or "now", "now+90", "now-5m",
 * "now+2h": unix seconds, or -1. */
int64_t flash_parse_time(const char *s, int64_t now);

/* SOUK_FLASH_ORIGIN, the waiting room's own host (the flash edge's
 * "flash." name, docs/FLASH.md "The flash edge"): true when s is a bare
 * origin, "http" or "https", "://", a host name or IPv4 address and an
 * optional ":port", nothing else (no path, user, query or quote), at most
 * 200 bytes. The product page links there only then. */
bool flash_origin_ok(const char *s);

/* Creates the sale and moves its units out of the offer's normal stock
 * (warehouses in id order) in one transaction, with a flash.created
 * event. 400 bad parameters, 404 unknown offer, 409 not enough stock. */
int flash_create(ctx *c, const flash_params *p, int64_t *id);
/* pause / resume: admission stops / goes on (flash_end: flash_ops.h). */
int flash_pause(ctx *c, int64_t id);
int flash_resume(ctx *c, int64_t id);

/* The admission rule: how many of `waiting` may be admitted now, given
 * the active passes, max_active, the rate tokens available, the units
 * left and the over-admission factor (percent, 150 = 1.5x): never more
 * than max_active passes, never faster than the rate, and never while the
 * active passes already cover units_left x factor. */
int64_t flash_admit_count(int64_t active, int64_t max_active, int64_t tokens,
                          int64_t units_left, int64_t over_pct, int64_t waiting);

/* The queue order. A pre-queue ticket's place is a keyed hash of (sale,
 * ticket) below FLASH_POST_START: the shuffle, which any process (and a
 * rebuild after a Redis loss) computes the same; a later ticket queues
 * behind all of them in ticket (arrival) order. */
#define FLASH_POST_START 4294967296.0 /* 2^32 */
double flash_queue_score(str secret, int64_t sale, int64_t ticket, bool prequeue);
/* Orders tickets[] by their pre-queue score (the shuffle at the start). */
void flash_shuffle(str secret, int64_t sale, int64_t *tickets, int n);

/* --- the line (flash_queue.c) --- */

/* A ticket for the caller (cart_caller tag) in the sale's line: the one
 * it already has, or a new number. *token: the signed ticket. */
int flash_join(ctx *c, const flash_sale *s, const char *caller, int64_t now,
               const char **token, flash_token *t);
/* Re-enters a ticket the caller showed (its signature checked) after a
 * Redis loss; a no-op when it is there. */
int flash_rejoin(ctx *c, const flash_sale *s, const char *caller, const char *token,
                 const flash_token *t);

typedef struct flash_status {
	const char *state;      /* prequeue|waiting|admitted|sold_out|ended|paused */
	bool known_place;       /* position/ahead/eta mean something */
	int64_t position, ahead, eta_s, units_left;
	int64_t pass_expires;   /* unix s; 0 = no live pass */
	bool spent;             /* bought up to the limit */
} flash_status;

/* One status poll: one Redis round trip that also runs the admission
 * step (the line warmed from PostgreSQL first when Redis lost it). 503
 * when Redis is down. */
int flash_poll(ctx *c, const flash_sale *s, const flash_token *t, int64_t now_ms,
               flash_status *out);

/* Pre-warmed stock: takes qty units for the customer if that many are
 * left and the customer stays within the limit: SOUK_OK, or 409
 * "sold_out" / "over_limit" recorded (503 Redis down). */
int flash_stock_take(ctx *c, const flash_sale *s, const char *customer, int64_t qty);
/* Gives them back (PostgreSQL said no, the card was declined, the order
 * was cancelled). order_id > 0 keys the give: the same order's units
 * come back once whoever gives them (the purchase's give-back, a
 * concurrent cancel's and the worker's repair all may try); 0: no order
 * was written. The units given: qty, or 0 when this order's came back
 * already or the sale is not warm (a warm-up reads PostgreSQL, which has
 * them back), or -1 when Redis failed (logged). */
int64_t flash_stock_give(ctx *c, const flash_sale *s, const char *customer, int64_t qty,
                         int64_t order_id);
/* After a purchase: the pass is spent when the customer reached the limit. */
void flash_pass_spend(ctx *c, const flash_sale *s, const char *customer, int64_t ticket);
/* Warms the sale's Redis state from PostgreSQL unless it is there. */
int flash_warm(ctx *c, const flash_sale *s);
/* The Redis figures for the dashboard and the checkpoint: -1 when
 * missing (Redis lost it or is down). */
typedef struct flash_live {
	int64_t seq, queued, admitted, active, left;
	double adm;
	int64_t admits_60s;
} flash_live;
int flash_live_get(ctx *c, int64_t sale, int64_t now_ms, flash_live *out);

/* Sets the sale's Redis units to 0 (it ended). */
void flash_queue_ended(ctx *c, int64_t sale);
/* A flash.<type> event of the sale in the caller's transaction; units
 * (when >= 0) ride along. */
int flash_announce(ctx *c, int64_t id, const char *type, int64_t units);
/* The latest 100 sales (flash_fill reads row i), for the admin page. */
struct db_res *flash_list(ctx *c);
void flash_fill(ctx *c, struct db_res *r, int i, flash_sale *out);
/* "scheduled", "prequeue", "running", "paused", "ended". */
const char *flash_phase_name(flash_phase p);

/* The Redis key prefix of a sale ("flash:<id>:"), arena. */
const char *flash_key(ctx *c, int64_t sale);

#endif
