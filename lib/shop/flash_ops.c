/* flash_ops: a sale's moves that span its PostgreSQL rows (flash.c) and
 * its line in Redis (flash_queue.c): ending it, the dashboard's figures
 * and the worker's every-second tick. */
#include "shop/flash_ops.h"

#include <stdio.h>
#include <time.h>

#include "core/js.h"
#include "core/log.h"
#include "shop/catalog.h"
#include "shop/flash_push.h"
#include "shop/flash_release.h"
#include "store/db.h"

int flash_end(ctx *c, int64_t id)
{
	flash_sale s;
	if (flash_get(c, id, &s) < 0)
		return SOUK_ERR;
	if (db_begin(c) < 0)
		return SOUK_ERR;
	const char *p[] = {db_param_i64(c, id)};
	db_res *r = db_exec(c, "flash_end", 1, p);
	int rc = r ? SOUK_OK : SOUK_ERR;
	if (rc == SOUK_OK && db_rows(r) == 0)
		rc = ctx_fail(c, 409, "ended", "flash sale %lld has ended", (long long)id);
	int64_t back = rc == SOUK_OK ? db_i64(r, 0, "back") : 0;
	if (rc == SOUK_OK && back > 0) {
		rc = flash_return_stock(c, id, back, s.sku_id);
	}
	if (rc == SOUK_OK)
		rc = flash_announce(c, id, "flash.ended", back);
	if (rc == SOUK_OK && db_commit(c) == SOUK_OK) {
		catalog_invalidate(c, s.product_id);
		flash_queue_ended(c, id); /* no unit left to take in Redis either */
		flash_push(c, id, "ended", 0);
		return SOUK_OK;
	}
	db_rollback(c);
	return SOUK_ERR;
}

static void iso(ctx *c, json_object *o, const char *key, int64_t t)
{
	char b[32];
	time_t tt = (time_t)t;
	struct tm tm;
	gmtime_r(&tt, &tm);
	strftime(b, sizeof(b), "%Y-%m-%dT%H:%M:%SZ", &tm);
	js_str(o, key, b);
	(void)c;
}

int flash_show(ctx *c, int64_t id, json_object **out)
{
	flash_sale s;
	if (flash_get(c, id, &s) < 0)
		return SOUK_ERR;
	const char *p[] = {db_param_i64(c, id)};
	db_res *k = db_exec(c, "flash_sold_counts", 1, p);
	if (!k)
		return SOUK_ERR;
	struct timespec ts;
	clock_gettime(CLOCK_REALTIME, &ts);
	int64_t now = ts.tv_sec, ms = (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
	json_object *o = js_obj(c);
	js_i64(o, "id", s.id);
	js_i64(o, "sku_id", s.sku_id);
	js_i64(o, "product_id", s.product_id);
	js_str(o, "title", s.title);
	js_str(o, "state", flash_phase_name(flash_phase_at(&s, now)));
	js_i64(o, "price", s.price);
	js_i64(o, "list_price", s.list_price);
	iso(c, o, "prequeue_at", s.prequeue_at);
	iso(c, o, "starts_at", s.starts_at);
	iso(c, o, "ends_at", s.ends_at);
	js_i64(o, "limit", s.per_customer);
	js_i64(o, "max_active", s.max_active);
	js_i64(o, "admit_per_min", s.admit_per_min);
	js_i64(o, "pass_minutes", s.pass_minutes);
	js_i64(o, "units", s.units);
	js_i64(o, "units_sold", s.units_sold);
	int64_t pending = db_i64(k, 0, "pending");
	js_i64(o, "units_held", pending); /* orders in payment: their units are counted sold */
	js_i64(o, "units_left", s.units - s.units_sold);
	js_i64(o, "orders", db_i64(k, 0, "orders"));
	js_i64(o, "buyers", db_i64(k, 0, "buyers"));
	flash_live l;
	if (flash_live_get(c, id, ms, &l) == SOUK_OK && l.left >= 0) {
		js_i64(o, "queued", l.queued);
		js_i64(o, "admitted", l.admitted);
		js_i64(o, "active_passes", l.active);
		js_i64(o, "redis_units_left", l.left);
		js_i64(o, "admits_last_minute", l.admits_60s);
		int64_t waiting = l.queued - l.admitted;
		int64_t rate = l.admits_60s > 0 ? l.admits_60s : s.admit_per_min;
		js_i64(o, "last_in_line_eta_s", waiting > 0 ? (waiting * 60 + rate - 1) / rate : 0);
	} else {
		ctx_clear(c);
		json_object_object_add(o, "queued", NULL);
		json_object_object_add(o, "admitted", NULL);
		json_object_object_add(o, "active_passes", NULL);
		json_object_object_add(o, "redis_units_left", NULL);
	}
	*out = o;
	return SOUK_OK;
}

int flash_tick(ctx *c)
{
	db_res *r = db_exec(c, "flash_live_ids", 0, NULL);
	if (!r)
		return SOUK_ERR;
	struct timespec ts;
	clock_gettime(CLOCK_REALTIME, &ts);
	int64_t ms = (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
	int rc = SOUK_OK;
	for (int i = 0; i < db_rows(r); i++) {
		int64_t id = db_i64(r, i, "id");
		bool started = false;
		if (db_bool(r, i, "over")) {
			if (flash_end(c, id) < 0) {
				ctx_log(c, LOG_WARN, "flash: ending sale %lld failed", (long long)id);
				ctx_clear(c);
			}
			continue;
		}
		if (db_bool(r, i, "starting")) {
			bool own;
			const char *p[] = {db_param_i64(c, id)};
			if (db_tx_join(c, &own) == SOUK_OK) {
				db_res *u = db_exec(c, "flash_started", 1, p);
				int x = u ? SOUK_OK : SOUK_ERR;
				started = x == SOUK_OK && db_rows(u) > 0;
				if (started)
					x = flash_announce(c, id, "flash.started", -1);
				if (db_tx_leave(c, own, x) < 0) {
					rc = SOUK_ERR;
					started = false;
				}
			}
		}
		flash_live l;
		if (flash_live_get(c, id, ms, &l) < 0 || l.left < 0) {
			ctx_clear(c); /* Redis lost it: the next poll warms it from the checkpoint */
			if (started)
				flash_push(c, id, "running", -1);
			continue;
		}
		/* the pre-queue's pages ask for their place; a sale that sold out
		 * in its first second has said so already, and this must not
		 * become the channel's latest word */
		if (started && l.left > 0)
			flash_push(c, id, "running", l.left);
		char adm[40];
		snprintf(adm, sizeof(adm), "%.17g", l.adm);
		const char *p[] = {db_param_i64(c, id), db_param_i64(c, l.seq), adm,
		                   db_param_i64(c, l.admitted)};
		if (!db_exec(c, "flash_checkpoint", 4, p))
			rc = SOUK_ERR;
	}
	return rc;
}
