/* cart: Redis hash per cart with atomic limit checks (Lua), priced from
 * PostgreSQL on read. */
#include "shop/cart.h"

#include <hiredis/hiredis.h>
#include <string.h>

#include "core/digest.h"
#include "store/db.h"
#include "store/rds.h"
#include "store/rds_eval.h"
#include "core/rnd.h"
#include "shop/session.h"

/* "_" marks a cart made by cart_create so an empty API cart still exists;
 * it is never a line. */
#define CART_MARK "_"
/* The owner of a storefront cart (a caller tag); never a line either. */
#define CART_OWNER "owner"
/* Session field of a guest's cart id; an account's is in user_cart:{id}. */
#define CART_SESSION_FIELD "cart"

static const db_stmt cart_sql[] = {
	/* a suspended (or not yet approved) seller's offer cannot be bought:
	 * it left the Buy Box and search, and the sku_id must not get round that */
	{"cart_sku_state",
	 "SELECT o.status = 'active' AND p.status = 'active' AND s.status = 'active' AS active"
	 " FROM offers o JOIN product_variants v ON v.id = o.variant_id"
	 " JOIN products p ON p.id = v.product_id JOIN sellers s ON s.id = o.seller_id"
	 " WHERE o.id = $1"},
	{"cart_price",
	 "SELECT o.id AS sku_id, o.sku, o.price, o.fulfillment, o.seller_id, v.product_id,"
	 " p.title, p.image_url, s.commission_bps, s.name AS seller_name,"
	 " concat_ws(', ', CASE WHEN v.size <> '' THEN 'Size ' || v.size END,"
	 "           NULLIF(v.color, '')) AS variant,"
	 " o.status = 'active' AND p.status = 'active' AND s.status = 'active' AS active,"
	 " (SELECT COALESCE(sum(i.quantity_available), 0) FROM inventory i WHERE i.sku_id = o.id)"
	 "   AS available"
	 " FROM offers o JOIN product_variants v ON v.id = o.variant_id"
	 " JOIN products p ON p.id = v.product_id JOIN sellers s ON s.id = o.seller_id"
	 " WHERE o.id = ANY ($1::bigint[]) ORDER BY o.id"},
};

void cart_register(void)
{
	db_register(cart_sql, sizeof(cart_sql) / sizeof(cart_sql[0]));
}

/* KEYS[1] cart; ARGV: sku, qty, mode (add|set), max qty, max lines, ttl,
 * and the field and value that make a new cart somebody's (the owner or
 * the API mark; '' for none).
 * Returns {new qty} or {-1 over qty, current} / {-2 too many lines} /
 * {-3 not in cart (set)}: the check and the write are one atomic step. */
static const char lua_put[] =
	"local cur = tonumber(redis.call('HGET', KEYS[1], ARGV[1]) or '0')\n"
	"if ARGV[3] == 'set' and cur == 0 then return {-3, 0} end\n"
	"local n = tonumber(ARGV[2])\n"
	"if ARGV[3] == 'add' then n = cur + n end\n"
	"if n > tonumber(ARGV[4]) then return {-1, cur} end\n"
	"if cur == 0 then\n"
	"  local lines = redis.call('HLEN', KEYS[1])\n"
	"  if redis.call('HEXISTS', KEYS[1], '_') == 1 then lines = lines - 1 end\n"
	"  if redis.call('HEXISTS', KEYS[1], 'owner') == 1 then lines = lines - 1 end\n"
	"  if lines >= tonumber(ARGV[5]) then return {-2, lines} end\n"
	"end\n"
	"if ARGV[7] ~= '' and redis.call('EXISTS', KEYS[1]) == 0 then\n"
	"  redis.call('HSET', KEYS[1], ARGV[7], ARGV[8])\n"
	"end\n"
	"redis.call('HSET', KEYS[1], ARGV[1], n)\n"
	"redis.call('EXPIRE', KEYS[1], ARGV[6])\n"
	"return {n, cur}\n";

/* KEYS[1] from, KEYS[2] to; ARGV: max qty, max lines, ttl, and the field
 * and value that make a new `to` somebody's ('' for none). */
static const char lua_merge[] =
	"local src = redis.call('HGETALL', KEYS[1])\n"
	"if ARGV[4] ~= '' and #src > 0 and redis.call('EXISTS', KEYS[2]) == 0 then\n"
	"  redis.call('HSET', KEYS[2], ARGV[4], ARGV[5])\n"
	"end\n"
	"for i = 1, #src, 2 do\n"
	"  local f = src[i]\n"
	"  if f ~= '_' and f ~= 'owner' then\n"
	"    local cur = tonumber(redis.call('HGET', KEYS[2], f) or '0')\n"
	"    local lines = redis.call('HLEN', KEYS[2])\n"
	"    if redis.call('HEXISTS', KEYS[2], '_') == 1 then lines = lines - 1 end\n"
	"    if redis.call('HEXISTS', KEYS[2], 'owner') == 1 then lines = lines - 1 end\n"
	"    if cur > 0 or lines < tonumber(ARGV[2]) then\n"
	"      local n = math.min(cur + tonumber(src[i + 1]), tonumber(ARGV[1]))\n"
	"      redis.call('HSET', KEYS[2], f, n)\n"
	"    end\n"
	"  end\n"
	"end\n"
	"redis.call('DEL', KEYS[1])\n"
	"if redis.call('EXISTS', KEYS[2]) == 1 then redis.call('EXPIRE', KEYS[2], ARGV[3]) end\n"
	"return 1\n";

/* KEYS[1] cart: {exists, owner or '', has the API mark}. */
static const char lua_state[] =
	"return {redis.call('EXISTS', KEYS[1]), redis.call('HGET', KEYS[1], 'owner') or '',\n"
	"        redis.call('HEXISTS', KEYS[1], '_')}\n";

bool cart_id_valid(str id)
{
	if (id.len < 16 || id.len > 128)
		return false;
	for (size_t i = 0; i < id.len; i++) {
		char ch = id.p[i];
		if (!((ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') || (ch >= '0' && ch <= '9') ||
		      ch == '_' || ch == '-'))
			return false;
	}
	return true;
}

char *cart_new_id(arena *a)
{
	return rnd_hex(a, CART_ID_BYTES);
}

bool cart_owner_may(const char *owner, bool api_mark, const char *caller)
{
	if (owner && *owner)
		return caller && strcmp(owner, caller) == 0;
	return api_mark;
}

const char *cart_caller(ctx *c)
{
	session *s = session_load(c);
	if (!s || !s->id)
		return NULL;
	buf b;
	buf_init(&b, c->a, 80);
	if (s->user_id) {
		buf_printf(&b, "u:%lld", (long long)s->user_id);
	} else {
		/* the session id is a credential: the cart keeps only its hash */
		const char *h = digest_sha256_hex(c->a, s->id, strlen(s->id));
		if (!h)
			return NULL;
		buf_printf(&b, "s:%s", h);
	}
	return b.p;
}

static const char *cart_key(ctx *c, const char *id)
{
	buf b;
	buf_init(&b, c->a, 160);
	buf_printf(&b, "cart:%s", id);
	return b.p;
}

/* The key that names an account's cart id. */
static const char *user_cart_key(ctx *c, int64_t user_id)
{
	buf b;
	buf_init(&b, c->a, 40);
	buf_printf(&b, "user_cart:%lld", (long long)user_id);
	return b.p;
}

static int redis_down(ctx *c)
{
	return ctx_fail(c, 503, "unavailable", "the cart store is unavailable, please try again");
}

static int check_id(ctx *c, const char *id)
{
	if (!id || !cart_id_valid(str_c(id)))
		return ctx_fail(c, 400, "bad_request", "malformed cart id");
	return SOUK_OK;
}

static int not_yours(ctx *c)
{
	return ctx_fail(c, 404, "not_found", "no such cart (carts expire after a day)");
}

/* The stored owner and mark of a cart. 503 recorded when Redis is down. */
static int cart_state(ctx *c, const char *id, bool *exists, const char **owner, bool *mark)
{
	const char *argv[] = {"1", cart_key(c, id)};
	redisReply *r = rds_eval(c, lua_state, 2, argv, NULL);
	if (!r || r->type != REDIS_REPLY_ARRAY || r->elements != 3 ||
	    r->element[0]->type != REDIS_REPLY_INTEGER || r->element[1]->type != REDIS_REPLY_STRING ||
	    r->element[2]->type != REDIS_REPLY_INTEGER)
		return redis_down(c);
	*exists = r->element[0]->integer > 0;
	*owner = str_dup(c->a, (str){r->element[1]->str, r->element[1]->len});
	*mark = r->element[2]->integer > 0;
	return SOUK_OK;
}

/* A cart as the ownership check saw it. `field`/`value` make the cart
 * somebody's should a write find it gone (expired or cleared meanwhile):
 * its owner, or its API mark, or for a missing cart the caller's session
 * ("" when there is none), so no write leaves a cart that is nobody's. */
typedef struct cart_who {
	bool exists, mine;
	const char *field, *value;
} cart_who;

/* Whether the cart exists and whether the caller may use it (a missing
 * cart is nobody's yet: mine). 400/503 recorded. */
static int whose(ctx *c, const char *id, cart_who *w)
{
	const char *owner, *caller = cart_caller(c);
	bool mark;
	if (check_id(c, id) < 0 || cart_state(c, id, &w->exists, &owner, &mark) < 0)
		return SOUK_ERR;
	w->mine = !w->exists || cart_owner_may(owner, mark, caller);
	w->field = *owner ? CART_OWNER : mark ? CART_MARK : caller ? CART_OWNER : "";
	w->value = *owner ? owner : mark ? "0" : caller ? caller : "";
	return SOUK_OK;
}

/* The one ownership check of the operations: SOUK_OK when the cart does
 * not exist or the caller may use it; 404 when it is someone else's. */
static int authorize(ctx *c, const char *id, cart_who *w)
{
	if (whose(c, id, w) < 0)
		return SOUK_ERR;
	return w->mine ? SOUK_OK : not_yours(c);
}

const char *cart_of_session(ctx *c)
{
	session *s = session_load(c);
	if (!s || !s->id)
		return NULL;
	if (!s->user_id) {
		const char *id = session_get(c, CART_SESSION_FIELD);
		return cart_id_valid(str_c(id)) ? id : NULL;
	}
	const char *argv[] = {"GET", user_cart_key(c, s->user_id)};
	redisReply *r = rds_cmd(c, 2, argv, NULL);
	if (!r || r->type != REDIS_REPLY_STRING || !cart_id_valid((str){r->str, r->len}))
		return NULL;
	return str_dup(c->a, (str){r->str, r->len});
}

const char *cart_for_session(ctx *c)
{
	session *s = session_load(c);
	if (!s || !s->id)
		return ctx_fail(c, 500, "internal", "no session for the cart"), NULL;
	const char *id = cart_of_session(c);
	if (id)
		return id;
	char *fresh = cart_new_id(c->a);
	if (!fresh)
		return ctx_fail(c, 500, "internal", "no randomness"), NULL;
	if (!s->user_id)
		return session_set(c, CART_SESSION_FIELD, fresh, NULL) < 0 ? NULL : fresh;
	/* NX: another session of the account may be making one right now;
	 * both then use whichever was stored first */
	const char *set[] = {"SET", user_cart_key(c, s->user_id), fresh, "NX"};
	if (!rds_cmd(c, 4, set, NULL))
		return redis_down(c), NULL;
	id = cart_of_session(c);
	return id ? id : (redis_down(c), NULL);
}

int cart_create(ctx *c, const char **out_id)
{
	char *id = cart_new_id(c->a);
	if (!id)
		return ctx_fail(c, 500, "internal", "no randomness");
	const char *key = cart_key(c, id);
	const char *hset[] = {"HSET", key, CART_MARK, "0"};
	const char *exp[] = {"EXPIRE", key, "86400"};
	if (!rds_cmd(c, 4, hset, NULL) || !rds_cmd(c, 3, exp, NULL))
		return redis_down(c);
	*out_id = id;
	return SOUK_OK;
}

int cart_exists(ctx *c, const char *cart_id)
{
	cart_who w;
	if (whose(c, cart_id, &w) < 0)
		return SOUK_ERR;
	return w.exists && w.mine; /* someone else's: the same answer as unknown */
}

/* 400 unless the sku is an active offer of an active product. */
static int check_sku(ctx *c, int64_t sku_id)
{
	if (sku_id <= 0)
		return ctx_fail(c, 400, "bad_request", "sku_id must be a positive integer");
	const char *p[] = {db_param_i64(c, sku_id)};
	db_res *r = db_exec(c, "cart_sku_state", 1, p);
	if (!r)
		return SOUK_ERR;
	if (db_rows(r) == 0)
		return ctx_fail(c, 400, "unknown_sku", "unknown sku %lld", (long long)sku_id);
	if (!db_bool(r, 0, "active"))
		return ctx_fail(c, 400, "unknown_sku", "sku %lld is no longer sold", (long long)sku_id);
	return SOUK_OK;
}

static int put(ctx *c, const char *cart_id, int64_t sku_id, int64_t qty, const char *mode)
{
	cart_who w;
	if (authorize(c, cart_id, &w) < 0)
		return SOUK_ERR;
	/* a new cart is the caller's session's; without a session only
	 * cart_create makes carts */
	if (!*w.field)
		return not_yours(c);
	if (qty < 1 || qty > CART_MAX_QTY)
		return ctx_fail(c, 400, "bad_quantity", "qty must be from 1 to %d", CART_MAX_QTY);
	if (check_sku(c, sku_id) < 0)
		return SOUK_ERR;
	buf sku, q, maxq, maxl, ttl;
	buf_init(&sku, c->a, 32);
	buf_init(&q, c->a, 32);
	buf_init(&maxq, c->a, 32);
	buf_init(&maxl, c->a, 32);
	buf_init(&ttl, c->a, 32);
	buf_printf(&sku, "%lld", (long long)sku_id);
	buf_printf(&q, "%lld", (long long)qty);
	buf_printf(&maxq, "%d", CART_MAX_QTY);
	buf_printf(&maxl, "%d", CART_MAX_LINES);
	buf_printf(&ttl, "%d", CART_TTL);
	const char *argv[] = {"1", cart_key(c, cart_id), sku.p, q.p, mode, maxq.p,
	                      maxl.p, ttl.p, w.field, w.value};
	redisReply *r = rds_eval(c, lua_put, 10, argv, NULL);
	if (!r || r->type != REDIS_REPLY_ARRAY || r->elements != 2 ||
	    r->element[0]->type != REDIS_REPLY_INTEGER)
		return redis_down(c);
	long long res = r->element[0]->integer, cur = r->element[1]->integer;
	if (res == -1)
		return ctx_fail(c, 400, "bad_quantity",
		                "at most %d of one item per order (%lld already in the cart)",
		                CART_MAX_QTY, cur);
	if (res == -2)
		return ctx_fail(c, 400, "cart_full", "a cart holds at most %d different items",
		                CART_MAX_LINES);
	if (res == -3)
		return ctx_fail(c, 404, "not_found", "sku %lld is not in the cart", (long long)sku_id);
	return SOUK_OK;
}

int cart_add(ctx *c, const char *cart_id, int64_t sku_id, int64_t qty)
{
	return put(c, cart_id, sku_id, qty, "add");
}

int cart_set(ctx *c, const char *cart_id, int64_t sku_id, int64_t qty)
{
	return put(c, cart_id, sku_id, qty, "set");
}

int cart_remove(ctx *c, const char *cart_id, int64_t sku_id)
{
	cart_who w;
	if (authorize(c, cart_id, &w) < 0)
		return SOUK_ERR;
	if (!w.exists)
		return SOUK_OK;
	buf sku;
	buf_init(&sku, c->a, 32);
	buf_printf(&sku, "%lld", (long long)sku_id);
	const char *key = cart_key(c, cart_id);
	const char *del[] = {"HDEL", key, sku.p};
	const char *exp[] = {"EXPIRE", key, "86400"};
	if (!rds_cmd(c, 3, del, NULL) || !rds_cmd(c, 3, exp, NULL))
		return redis_down(c);
	return SOUK_OK;
}

int cart_clear(ctx *c, const char *cart_id)
{
	cart_who w;
	if (authorize(c, cart_id, &w) < 0)
		return SOUK_ERR;
	if (!w.exists)
		return SOUK_OK;
	const char *argv[] = {"DEL", cart_key(c, cart_id)};
	return rds_cmd(c, 2, argv, NULL) ? SOUK_OK : redis_down(c);
}

int cart_merge(ctx *c, const char *from_id, const char *from_owner, const char *to_id)
{
	if (check_id(c, from_id) < 0 || check_id(c, to_id) < 0)
		return SOUK_ERR;
	if (strcmp(from_id, to_id) == 0)
		return SOUK_OK;
	bool exists, mark;
	const char *owner;
	if (cart_state(c, from_id, &exists, &owner, &mark) < 0)
		return SOUK_ERR;
	if (!exists)
		return SOUK_OK;
	if (from_owner ? strcmp(owner, from_owner) != 0
	               : !cart_owner_may(owner, mark, cart_caller(c)))
		return not_yours(c);
	cart_who to;
	if (authorize(c, to_id, &to) < 0)
		return SOUK_ERR;
	if (!*to.field)
		return not_yours(c);
	buf maxq, maxl, ttl;
	buf_init(&maxq, c->a, 32);
	buf_init(&maxl, c->a, 32);
	buf_init(&ttl, c->a, 32);
	buf_printf(&maxq, "%d", CART_MAX_QTY);
	buf_printf(&maxl, "%d", CART_MAX_LINES);
	buf_printf(&ttl, "%d", CART_TTL);
	const char *argv[] = {"2", cart_key(c, from_id), cart_key(c, to_id),
	                      maxq.p, maxl.p, ttl.p, to.field, to.value};
	return rds_eval(c, lua_merge, 8, argv, NULL) ? SOUK_OK : redis_down(c);
}

/* The raw lines: (sku, qty) pairs from HGETALL, junk fields skipped.
 * -1 when Redis is down; -2 when the cart is someone else's (checked on
 * the same reply the lines come from). */
static int raw_lines(ctx *c, const char *cart_id, int64_t **skus, int **qtys, int *n)
{
	const char *argv[] = {"HGETALL", cart_key(c, cart_id)};
	redisReply *r = rds_cmd(c, 2, argv, NULL);
	if (!r || r->type != REDIS_REPLY_ARRAY)
		return -1;
	const char *owner = NULL;
	bool mark = false;
	for (size_t i = 0; i + 1 < r->elements; i += 2) {
		redisReply *f = r->element[i], *v = r->element[i + 1];
		if (f->type != REDIS_REPLY_STRING || v->type != REDIS_REPLY_STRING)
			continue;
		if (str_eq_c((str){f->str, f->len}, CART_OWNER))
			owner = str_dup(c->a, (str){v->str, v->len});
		else if (str_eq_c((str){f->str, f->len}, CART_MARK))
			mark = true;
	}
	if (r->elements > 0 && !cart_owner_may(owner, mark, cart_caller(c)))
		return -2;
	size_t pairs = r->elements / 2;
	*skus = arena_alloc(c->a, sizeof(int64_t) * (pairs + 1));
	*qtys = arena_alloc(c->a, sizeof(int) * (pairs + 1));
	if (!*skus || !*qtys)
		return -1;
	*n = 0;
	for (size_t i = 0; i + 1 < r->elements && *n < CART_MAX_LINES; i += 2) {
		redisReply *f = r->element[i], *v = r->element[i + 1];
		int64_t sku, q;
		if (f->type != REDIS_REPLY_STRING || v->type != REDIS_REPLY_STRING ||
		    str_to_i64((str){f->str, f->len}, 1, INT64_MAX, &sku) < 0 ||
		    str_to_i64((str){v->str, v->len}, 1, CART_MAX_QTY, &q) < 0)
			continue;
		(*skus)[*n] = sku;
		(*qtys)[*n] = (int)q;
		(*n)++;
	}
	return 0;
}

int cart_count(ctx *c, const char *cart_id)
{
	int64_t *skus;
	int *qtys, n;
	if (!cart_id || !cart_id_valid(str_c(cart_id)))
		return 0;
	int rl = raw_lines(c, cart_id, &skus, &qtys, &n);
	if (rl < 0)
		return rl == -2 ? 0 : -1;
	int sum = 0;
	for (int i = 0; i < n; i++)
		sum += qtys[i];
	return sum;
}

int cart_get(ctx *c, const char *cart_id, cart *out)
{
	memset(out, 0, sizeof(*out));
	if (check_id(c, cart_id) < 0)
		return SOUK_ERR;
	out->id = cart_id;
	int64_t *skus;
	int *qtys, n;
	int rl = raw_lines(c, cart_id, &skus, &qtys, &n);
	if (rl < 0)
		return rl == -2 ? not_yours(c) : redis_down(c);
	if (n == 0)
		return SOUK_OK;
	buf ids;
	buf_init(&ids, c->a, 0);
	buf_putc(&ids, '{');
	for (int i = 0; i < n; i++)
		buf_printf(&ids, "%s%lld", i ? "," : "", (long long)skus[i]);
	buf_putc(&ids, '}');
	const char *p[] = {ids.p};
	db_res *r = db_exec(c, "cart_price", 1, p);
	if (!r)
		return SOUK_ERR;
	out->lines = arena_zalloc(c->a, sizeof(cart_line) * (size_t)n);
	if (!out->lines)
		return ctx_fail(c, 500, "internal", "request too large");
	/* Rows come in sku order; a line whose offer is gone has no row. */
	for (int row = 0; row < db_rows(r); row++) {
		int64_t sku = db_i64(r, row, "sku_id");
		int q = 0;
		for (int i = 0; i < n; i++)
			if (skus[i] == sku)
				q = qtys[i];
		cart_line *l = &out->lines[out->nlines++];
		l->sku_id = sku;
		l->product_id = db_i64(r, row, "product_id");
		l->seller_id = db_i64(r, row, "seller_id");
		l->sku = db_val(r, row, "sku");
		l->title = db_val(r, row, "title");
		l->variant = db_val(r, row, "variant");
		l->image = db_val(r, row, "image_url");
		l->seller = db_val(r, row, "seller_name");
		l->fulfillment = db_val(r, row, "fulfillment");
		l->commission_bps = (int)db_i64(r, row, "commission_bps");
		l->unit_price = db_i64(r, row, "price");
		l->qty = q;
		l->line_total = l->unit_price * q;
		l->available = db_i64(r, row, "available");
		l->active = db_bool(r, row, "active");
		if (l->active) {
			out->count += q;
			out->subtotal += l->line_total;
		} else {
			out->has_inactive = true;
		}
	}
	if (out->nlines < n) {
		/* Offers deleted outright: keep them visible as inactive lines. */
		for (int i = 0; i < n; i++) {
			bool found = false;
			for (int k = 0; k < out->nlines && !found; k++)
				found = out->lines[k].sku_id == skus[i];
			if (!found) {
				cart_line *l = &out->lines[out->nlines++];
				l->sku_id = skus[i];
				l->qty = qtys[i];
				l->title = "(no longer available)";
				l->variant = "";
				l->sku = "";
				l->fulfillment = "FBM";
				out->has_inactive = true;
			}
		}
	}
	return SOUK_OK;
}
