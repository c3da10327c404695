/* flash_queue: a flash sale's line and pre-warmed stock in Redis, each
 * step one Lua script (atomic, one round trip). Keys flash:<id>:<name>
 * (docs/FLASH.md): seq (ticket numbers), q (zset ticket -> queue score),
 * adm (admission pointer: a score; admitted iff score <= adm), admitted,
 * passes (zset ticket -> pass expiry ms, the active ones), pexp (hash
 * ticket -> expiry ms, every pass issued), spent (set), left (units),
 * bought (hash customer -> units), bucket (rate tokens), admlog (recent
 * admissions "ms:n"), sess (hash caller -> ticket token). */
#include "shop/flash.h"

#include <assert.h>
#include <hiredis/hiredis.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/log.h"
#include "shop/flash_push.h"
#include "store/db.h"
#include "store/rds.h"
#include "store/rds_eval.h"

#define FLASH_ADMLOG_LAST "199" /* 200 admissions remembered for the measured rate */
#define FLASH_REWARM_HOLD_MS 2500 /* after a rebuild: the old passes come back first */

static const db_stmt flash_queue_sql[] = {
	{"flash_bought",
	 "SELECT customer, sum(qty)::bigint AS n, max(ticket) AS ticket FROM flash_orders"
	 " WHERE sale_id = $1"
	 " AND NOT released GROUP BY customer"},
	/* with the orders released already (one snapshot: their units are
	 * in `left`, so no later give-back may count them again) */
	{"flash_units", "SELECT units - units_sold AS left, ck_seq, ck_adm, ck_admitted, state,"
	                " coalesce((SELECT string_agg(order_id::text, ' ') FROM flash_orders"
	                "  WHERE sale_id = $1 AND released), '') AS given"
	                " FROM flash_sales WHERE id = $1"},
};

const char *flash_key(ctx *c, int64_t sale)
{
	buf b;
	buf_init(&b, c->a, 64);
	buf_printf(&b, "flash:%lld:", (long long)sale);
	return b.failed ? "flash:0:" : b.p;
}

/* Join: the caller's ticket token, or a new ticket number. */
static const char lua_join[] =
	"local p = KEYS[1]\n"
	"if redis.call('EXISTS', p..'left') == 0 then return {'cold'} end\n"
	"local tok = redis.call('HGET', p..'sess', ARGV[1])\n"
	"if tok then return {'old', tok} end\n"
	"return {'new', tostring(redis.call('INCR', p..'seq'))}\n";

/* Enter: stores the signed ticket for the caller (the first of two racing
 * joins wins) and puts it in line. */
static const char lua_enter[] =
	"local p = KEYS[1]\n"
	"if redis.call('HSETNX', p..'sess', ARGV[1], ARGV[2]) == 0 then\n"
	"  return {'old', redis.call('HGET', p..'sess', ARGV[1])}\n"
	"end\n"
	"redis.call('ZADD', p..'q', 'NX', ARGV[3], ARGV[4])\n"
	"return {'new', ARGV[2]}\n";

/* Rejoin: a ticket shown after a Redis loss takes its place again. */
static const char lua_rejoin[] =
	"local p = KEYS[1]\n"
	"if redis.call('EXISTS', p..'left') == 0 then return 0 end\n"
	"redis.call('HSETNX', p..'sess', ARGV[1], ARGV[2])\n"
	"redis.call('ZADD', p..'q', 'NX', ARGV[3], ARGV[4])\n"
	"return 1\n";

/* Status poll with the admission step (flash_admit_count's rule).
 * ARGV: now_ms, ticket, score, phase (pre|run|paused|ended), max_active,
 * admit_per_min, pass_ms, over_pct. */
static const char lua_status[] =
	"local p = KEYS[1]\n"
	"local now = tonumber(ARGV[1])\n"
	"local t, score, phase = ARGV[2], tonumber(ARGV[3]), ARGV[4]\n"
	"local maxa, rate = tonumber(ARGV[5]), tonumber(ARGV[6])\n"
	"local pass_ms, over = tonumber(ARGV[7]), tonumber(ARGV[8])\n"
	"if redis.call('EXISTS', p..'left') == 0 then return {'cold'} end\n"
	"if t ~= '0' then redis.call('ZADD', p..'q', 'NX', score, t) end\n"
	"local left = tonumber(redis.call('GET', p..'left'))\n"
	"local adm = tonumber(redis.call('GET', p..'adm') or '-1')\n"
	"redis.call('ZREMRANGEBYSCORE', p..'passes', '-inf', now)\n"
	"local active = redis.call('ZCARD', p..'passes')\n"
	"if phase == 'run' and left > 0 and redis.call('EXISTS', p..'hold') == 0 then\n"
	"  local b = redis.call('HMGET', p..'bucket', 'tokens', 'ts')\n"
	"  local cap = math.max(1, math.min(maxa, math.ceil(rate / 6)))\n"
	"  local tokens = tonumber(b[1] or cap)\n"
	"  local ts = tonumber(b[2] or now)\n"
	"  if now > ts then tokens = math.min(cap, tokens + (now - ts) * rate / 60000) end\n"
	"  local waiting = redis.call('ZCOUNT', p..'q', '(' .. string.format('%.17g', adm), '+inf')\n"
	"  local n = math.min(maxa - active, math.floor(tokens), waiting,\n"
	"                     math.ceil(left * over / 100) - active)\n"
	"  if n > 0 then\n"
	"    local next = redis.call('ZRANGEBYSCORE', p..'q', '(' .. string.format('%.17g', adm),\n"
	"                            '+inf', 'WITHSCORES', 'LIMIT', 0, n)\n"
	"    local exp = now + pass_ms\n"
	"    for i = 1, #next, 2 do\n"
	"      redis.call('ZADD', p..'passes', exp, next[i])\n"
	"      redis.call('HSET', p..'pexp', next[i], exp)\n"
	"      adm = tonumber(next[i + 1])\n"
	"    end\n"
	"    local k = #next / 2\n"
	"    redis.call('SET', p..'adm', string.format('%.17g', adm))\n"
	"    redis.call('INCRBY', p..'admitted', k)\n"
	"    redis.call('LPUSH', p..'admlog', now .. ':' .. k)\n"
	"    redis.call('LTRIM', p..'admlog', 0, " FLASH_ADMLOG_LAST ")\n"
	"    tokens = tokens - k\n"
	"    active = active + k\n"
	/* only when someone was admitted: the refill from the old ts comes
	 * to the same, and a poll that admits nobody then writes nothing (no
	 * AOF growth and rewrites from a line of thousands polling) */
	"    redis.call('HSET', p..'bucket', 'tokens', tostring(tokens), 'ts', now)\n"
	"  end\n"
	"end\n"
	"local mine = (t ~= '0') and score <= adm\n"
	"local pexp = 0\n"
	"local spent = 0\n"
	"local ahead = 0\n"
	"if mine then\n"
	"  spent = redis.call('SISMEMBER', p..'spent', t)\n"
	"  local e = redis.call('HGET', p..'pexp', t)\n"
	"  if not e and phase ~= 'ended' then\n"
	"    e = now + pass_ms\n"   /* lost with Redis: a fresh pass */
	"    redis.call('HSET', p..'pexp', t, e)\n"
	"    redis.call('ZADD', p..'passes', e, t)\n"
	"  end\n"
	"  pexp = tonumber(e or 0)\n"
	"elseif t ~= '0' then\n"
	"  ahead = redis.call('ZCOUNT', p..'q', '(' .. string.format('%.17g', adm),\n"
	"                     '(' .. string.format('%.17g', score))\n"
	"end\n"
	"local log = redis.call('LRANGE', p..'admlog', 0, -1)\n"
	"local sum, oldest = 0, now\n"
	"for i = 1, #log do\n"
	"  local ms, n = string.match(log[i], '(%d+):(%d+)')\n"
	"  ms = tonumber(ms)\n"
	"  if ms >= now - 60000 then sum = sum + tonumber(n); if ms < oldest then oldest = ms end end\n"
	"end\n"
	"return {'ok', left, mine and 1 or 0, ahead, pexp, spent, sum, now - oldest}\n";

/* Warm: the sale's state from PostgreSQL, unless Redis has it. ARGV:
 * left, adm, seq, admitted, hold ms, limit, the released orders (ids
 * separated by spaces: their give-backs are in `left` already, so they
 * join `given`), then customer, qty, ticket triples (a ticket at the
 * limit is spent). For hold
 * ms no one new is admitted: the passes Redis lost come back first (their
 * holders poll within that time) and count again. */
static const char lua_warm[] =
	"local p = KEYS[1]\n"
	"if redis.call('EXISTS', p..'left') == 1 then return 0 end\n"
	"redis.call('SET', p..'adm', ARGV[2])\n"
	"local seq = tonumber(redis.call('GET', p..'seq') or '0')\n"
	"if seq < tonumber(ARGV[3]) then redis.call('SET', p..'seq', ARGV[3]) end\n"
	"redis.call('SET', p..'admitted', ARGV[4])\n"
	"redis.call('DEL', p..'bought')\n"
	"for id in string.gmatch(ARGV[7], '%d+') do redis.call('SADD', p..'given', id) end\n"
	"for i = 8, #ARGV, 3 do\n"
	"  redis.call('HSET', p..'bought', ARGV[i], ARGV[i + 1])\n"
	"  if tonumber(ARGV[i + 1]) >= tonumber(ARGV[6]) then redis.call('SADD', p..'spent', ARGV[i + 2]) end\n"
	"end\n"
	"if tonumber(ARGV[5]) > 0 then redis.call('SET', p..'hold', '1', 'PX', ARGV[5]) end\n"
	"redis.call('SET', p..'left', ARGV[1])\n"
	"return 1\n";

/* Take: qty units if left and within the limit. ARGV: customer, qty, limit. */
static const char lua_take[] =
	"local p = KEYS[1]\n"
	"local left = redis.call('GET', p..'left')\n"
	"if not left then return {'cold', 0} end\n"
	"local q, lim = tonumber(ARGV[2]), tonumber(ARGV[3])\n"
	"local had = tonumber(redis.call('HGET', p..'bought', ARGV[1]) or '0')\n"
	"if had + q > lim then return {'over_limit', had} end\n"
	"if tonumber(left) < q then return {'sold_out', tonumber(left)} end\n"
	"redis.call('HINCRBY', p..'bought', ARGV[1], q)\n"
	"return {'ok', redis.call('DECRBY', p..'left', q)}\n";

/* Give: the units back (only into a warm sale: a cold one is re-read
 * from PostgreSQL, which already has them back); the units left after,
 * -1 when cold, -2 when this order's units came back already. ARGV:
 * customer, qty, order id (0: none was written, nothing to key). */
static const char lua_give[] =
	"local p = KEYS[1]\n"
	"if redis.call('EXISTS', p..'left') == 0 then return -1 end\n"
	"if ARGV[3] ~= '0' and redis.call('SADD', p..'given', ARGV[3]) == 0 then return -2 end\n"
	"local left = redis.call('INCRBY', p..'left', ARGV[2])\n"
	"if redis.call('HINCRBY', p..'bought', ARGV[1], -tonumber(ARGV[2])) <= 0 then\n"
	"  redis.call('HDEL', p..'bought', ARGV[1])\n"
	"end\n"
	"return left\n";

/* Spend: the pass ends when the customer reached the limit. ARGV:
 * customer, ticket, limit. */
static const char lua_spend[] =
	"local p = KEYS[1]\n"
	"local had = tonumber(redis.call('HGET', p..'bought', ARGV[1]) or '0')\n"
	"if had >= tonumber(ARGV[3]) then\n"
	"  redis.call('ZREM', p..'passes', ARGV[2])\n"
	"  redis.call('SADD', p..'spent', ARGV[2])\n"
	"end\n"
	"return had\n";

static const char lua_live[] =
	"local p = KEYS[1]\n"
	"local left = redis.call('GET', p..'left')\n"
	"if not left then return {-1} end\n"
	"redis.call('ZREMRANGEBYSCORE', p..'passes', '-inf', ARGV[1])\n"
	"local log = redis.call('LRANGE', p..'admlog', 0, -1)\n"
	"local sum = 0\n"
	"for i = 1, #log do\n"
	"  local ms, n = string.match(log[i], '(%d+):(%d+)')\n"
	"  if tonumber(ms) >= tonumber(ARGV[1]) - 60000 then sum = sum + tonumber(n) end\n"
	"end\n"
	"return {tonumber(left), tonumber(redis.call('GET', p..'seq') or '0'),\n"
	"        redis.call('ZCARD', p..'q'), tonumber(redis.call('GET', p..'admitted') or '0'),\n"
	"        redis.call('ZCARD', p..'passes'), redis.call('GET', p..'adm') or '-1', sum}\n";

static int64_t wall_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_REALTIME, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static int redis_down(ctx *c)
{
	/* the dispatcher adds Retry-After to every 503 */
	return ctx_fail(c, 503, "unavailable", "the waiting room is briefly unavailable");
}

/* By SHA-1: a status poll then sends ~100 bytes, not the script's 3 KB. */
static redisReply *eval(ctx *c, const char *script, int64_t sale, int nargs, const char **args)
{
	const char *argv[22];
	if (nargs > 20)
		return NULL;
	argv[0] = "1";
	argv[1] = flash_key(c, sale);
	for (int i = 0; i < nargs; i++)
		argv[2 + i] = args[i];
	return rds_eval(c, script, 2 + nargs, argv, NULL);
}

static bool is_word(const redisReply *r, size_t i, const char *w)
{
	return r && r->type == REDIS_REPLY_ARRAY && r->elements > i &&
	       r->element[i]->type == REDIS_REPLY_STRING && strcmp(r->element[i]->str, w) == 0;
}

static int64_t int_at(const redisReply *r, size_t i)
{
	if (!r || r->type != REDIS_REPLY_ARRAY || r->elements <= i)
		return 0;
	const redisReply *e = r->element[i];
	if (e->type == REDIS_REPLY_INTEGER)
		return e->integer;
	if (e->type == REDIS_REPLY_STRING)
		return strtoll(e->str, NULL, 10);
	return 0;
}

static const char *num(ctx *c, int64_t v) { return db_param_i64(c, v); }

static const char *dbl(ctx *c, double v)
{
	buf b;
	buf_init(&b, c->a, 40);
	buf_printf(&b, "%.17g", v);
	return b.p;
}

int flash_warm(ctx *c, const flash_sale *s)
{
	db_register(flash_queue_sql, sizeof(flash_queue_sql) / sizeof(flash_queue_sql[0]));
	const char *p[] = {num(c, s->id)};
	db_res *u = db_exec(c, "flash_units", 1, p);
	db_res *b = u ? db_exec(c, "flash_bought", 1, p) : NULL;
	if (!b)
		return SOUK_ERR;
	if (db_rows(u) == 0)
		return ctx_fail(c, 404, "not_found", "no such flash sale");
	int n = db_rows(b);
	size_t cap = (size_t)(11 + 3 * n); /* EVAL script 1 key, 6 figures, given, the triples */
	const char **argv = arena_alloc(c->a, sizeof(*argv) * cap);
	size_t *lens = arena_alloc(c->a, sizeof(*lens) * cap);
	if (!argv || !lens)
		return ctx_fail(c, 500, "internal", "request too large");
	int64_t left = db_i64(u, 0, "left");
	if (strcmp(db_val(u, 0, "state"), "ended") == 0)
		left = 0;
	int k = 0;
	argv[k++] = "EVAL";
	argv[k++] = lua_warm;
	argv[k++] = "1";
	argv[k++] = flash_key(c, s->id);
	argv[k++] = num(c, left);
	argv[k++] = db_val(u, 0, "ck_adm");
	/* tickets handed out after the last checkpoint must not be handed out
	 * again: jump well past them */
	bool rebuild = db_i64(u, 0, "ck_seq") > 0;
	argv[k++] = num(c, rebuild ? db_i64(u, 0, "ck_seq") + 100000 : 0);
	argv[k++] = num(c, db_i64(u, 0, "ck_admitted"));
	/* a rebuild (a checkpoint exists) holds admission; a first warm-up not */
	argv[k++] = num(c, rebuild ? FLASH_REWARM_HOLD_MS : 0);
	argv[k++] = num(c, s->per_customer);
	argv[k++] = db_val(u, 0, "given");
	for (int i = 0; i < n; i++) {
		argv[k++] = db_val(b, i, "customer");
		argv[k++] = db_val(b, i, "n");
		argv[k++] = db_val(b, i, "ticket");
	}
	assert((size_t)k == cap);
	for (int i = 0; i < k; i++)
		lens[i] = strlen(argv[i]);
	if (!rds_cmd(c, k, argv, lens))
		return redis_down(c);
	log_msg(LOG_INFO, c->rid, "flash: sale %lld warmed in Redis (%lld units left)",
	        (long long)s->id, (long long)left);
	return SOUK_OK;
}

int flash_join(ctx *c, const flash_sale *s, const char *caller, int64_t now,
               const char **token, flash_token *t)
{
	str secret = flash_secret();
	for (int attempt = 0; attempt < 2; attempt++) {
		const char *a1[] = {caller};
		redisReply *r = eval(c, lua_join, s->id, 1, a1);
		if (!r)
			return redis_down(c);
		if (is_word(r, 0, "cold")) {
			if (flash_warm(c, s) < 0)
				return SOUK_ERR;
			continue;
		}
		if (is_word(r, 0, "old")) {
			const char *tok = str_dup(c->a, (str){r->element[1]->str, r->element[1]->len});
			if (flash_token_verify(c->a, secret, FLASH_TICKET, str_c(tok), caller, t)) {
				*token = tok;
				return SOUK_OK;
			}
			return ctx_fail(c, 500, "internal", "a stored ticket does not verify");
		}
		if (!is_word(r, 0, "new"))
			return redis_down(c);
		*t = (flash_token){s->id, int_at(r, 1), now < s->starts_at ? 1 : 0};
		const char *tok = flash_token_sign(c->a, secret, FLASH_TICKET, t, caller);
		if (!tok)
			return ctx_fail(c, 500, "internal", "the ticket could not be signed");
		const char *a2[] = {caller, tok, dbl(c, flash_queue_score(secret, s->id, t->ticket,
		                                                          t->n != 0)),
		                    num(c, t->ticket)};
		r = eval(c, lua_enter, s->id, 4, a2);
		if (!r || r->type != REDIS_REPLY_ARRAY || r->elements != 2)
			return redis_down(c);
		tok = str_dup(c->a, (str){r->element[1]->str, r->element[1]->len});
		if (!flash_token_verify(c->a, secret, FLASH_TICKET, str_c(tok), caller, t))
			return ctx_fail(c, 500, "internal", "a stored ticket does not verify");
		*token = tok;
		return SOUK_OK;
	}
	return redis_down(c);
}

int flash_rejoin(ctx *c, const flash_sale *s, const char *caller, const char *token,
                 const flash_token *t)
{
	str secret = flash_secret();
	const char *a[] = {caller, token,
	                   dbl(c, flash_queue_score(secret, s->id, t->ticket, t->n != 0)),
	                   num(c, t->ticket)};
	return eval(c, lua_rejoin, s->id, 4, a) ? SOUK_OK : redis_down(c);
}

static const char *phase_word(flash_phase ph)
{
	switch (ph) {
	case FLASH_PREQUEUE:
	case FLASH_NOT_OPEN:
		return "pre";
	case FLASH_RUNNING:
		return "run";
	case FLASH_PAUSED:
		return "paused";
	default:
		return "ended";
	}
}

int flash_poll(ctx *c, const flash_sale *s, const flash_token *t, int64_t now_ms,
               flash_status *out)
{
	memset(out, 0, sizeof(*out));
	str secret = flash_secret();
	flash_phase ph = flash_phase_at(s, now_ms / 1000);
	redisReply *r = NULL;
	for (int attempt = 0; attempt < 2; attempt++) {
		const char *a[] = {num(c, now_ms),
		                   num(c, t ? t->ticket : 0),
		                   dbl(c, t ? flash_queue_score(secret, s->id, t->ticket, t->n != 0) : 0),
		                   phase_word(ph),
		                   num(c, s->max_active),
		                   num(c, s->admit_per_min),
		                   num(c, s->pass_minutes * 60000),
		                   num(c, s->over_admit_pct)};
		r = eval(c, lua_status, s->id, 8, a);
		if (!r)
			return redis_down(c);
		if (!is_word(r, 0, "cold"))
			break;
		if (flash_warm(c, s) < 0) /* before any admission */
			return SOUK_ERR;
	}
	if (!is_word(r, 0, "ok") || r->elements != 8)
		return redis_down(c);
	out->units_left = int_at(r, 1);
	bool mine = int_at(r, 2) != 0;
	out->ahead = int_at(r, 3);
	int64_t pexp = int_at(r, 4);
	out->spent = int_at(r, 5) != 0;
	int64_t sum = int_at(r, 6), window = int_at(r, 7);
	if (ph == FLASH_ENDED) {
		out->state = "ended";
		return SOUK_OK;
	}
	if (ph == FLASH_PREQUEUE || ph == FLASH_NOT_OPEN) {
		/* the order is drawn at the start: no place to tell yet, only the
		 * time until then */
		out->state = "prequeue";
		out->eta_s = s->starts_at - now_ms / 1000;
		return SOUK_OK;
	}
	if (mine && pexp > now_ms && !out->spent && out->units_left > 0) {
		out->state = "admitted";
		out->pass_expires = pexp / 1000;
		out->known_place = true;
		out->position = 0;
		return SOUK_OK;
	}
	if (out->units_left <= 0) {
		out->state = "sold_out";
		return SOUK_OK;
	}
	if (mine) { /* spent or expired: this ticket's turn is over */
		out->state = "ended";
		return SOUK_OK;
	}
	out->state = ph == FLASH_PAUSED ? "paused" : "waiting";
	out->known_place = true;
	out->position = out->ahead + 1;
	/* honest: the admissions measured over the last minute; before any,
	 * the configured rate */
	double per_s = sum > 0 ? (double)sum / (double)(window > 1000 ? window : 1000) * 1000.0
	                       : (double)s->admit_per_min / 60.0;
	out->eta_s = (int64_t)ceil((double)(out->ahead + 1) / per_s);
	return SOUK_OK;
}

int flash_stock_take(ctx *c, const flash_sale *s, const char *customer, int64_t qty)
{
	for (int attempt = 0; attempt < 2; attempt++) {
		const char *a[] = {customer, num(c, qty), num(c, s->per_customer)};
		redisReply *r = eval(c, lua_take, s->id, 3, a);
		if (!r)
			return redis_down(c);
		if (is_word(r, 0, "cold")) {
			if (flash_warm(c, s) < 0)
				return SOUK_ERR;
			continue;
		}
		if (is_word(r, 0, "ok")) {
			/* the last units: the line hears it now, not at its next
			 * poll (the status answers sold_out from this moment too) */
			if (int_at(r, 1) == 0)
				flash_push(c, s->id, "sold_out", 0);
			return SOUK_OK;
		}
		if (is_word(r, 0, "over_limit"))
			return ctx_fail(c, 409, "over_limit",
			                "at most %lld per customer in this sale (you have %lld)",
			                (long long)s->per_customer, (long long)int_at(r, 1));
		if (is_word(r, 0, "sold_out"))
			return ctx_fail(c, 409, "sold_out", "sold out: %lld left",
			                (long long)int_at(r, 1));
		break;
	}
	return redis_down(c);
}

int64_t flash_stock_give(ctx *c, const flash_sale *s, const char *customer, int64_t qty,
                         int64_t order_id)
{
	const char *a[] = {customer, num(c, qty), num(c, order_id)};
	redisReply *r = eval(c, lua_give, s->id, 3, a);
	if (!r || r->type != REDIS_REPLY_INTEGER) {
		ctx_log(c, LOG_WARN, "flash: %lld units of sale %lld (order %lld) not given back in Redis",
		        (long long)qty, (long long)s->id, (long long)order_id);
		return -1;
	}
	if (r->integer < 0)
		return 0; /* not warm, or this order's units came back already */
	/* it was sold out and is not any more: the line moves again */
	if (r->integer == qty) {
		flash_phase ph = flash_phase_at(s, wall_ms() / 1000);
		if (ph == FLASH_RUNNING || ph == FLASH_PAUSED)
			flash_push(c, s->id, ph == FLASH_PAUSED ? "paused" : "running", r->integer);
	}
	return qty;
}

void flash_pass_spend(ctx *c, const flash_sale *s, const char *customer, int64_t ticket)
{
	const char *a[] = {customer, num(c, ticket), num(c, s->per_customer)};
	eval(c, lua_spend, s->id, 3, a);
}

void flash_queue_ended(ctx *c, int64_t sale)
{
	const char *argv[] = {"SET", NULL, "0"};
	buf b;
	buf_init(&b, c->a, 64);
	buf_printf(&b, "%sleft", flash_key(c, sale));
	argv[1] = b.p;
	rds_cmd(c, 3, argv, NULL);
}

int flash_live_get(ctx *c, int64_t sale, int64_t now_ms, flash_live *out)
{
	memset(out, 0, sizeof(*out));
	out->left = -1;
	const char *a[] = {num(c, now_ms)};
	redisReply *r = eval(c, lua_live, sale, 1, a);
	if (!r || r->type != REDIS_REPLY_ARRAY)
		return redis_down(c);
	if (r->elements < 7)
		return SOUK_OK; /* not warm */
	out->left = int_at(r, 0);
	out->seq = int_at(r, 1);
	out->queued = int_at(r, 2);
	out->admitted = int_at(r, 3);
	out->active = int_at(r, 4);
	out->adm = r->element[5]->type == REDIS_REPLY_STRING ? strtod(r->element[5]->str, NULL) : -1;
	out->admits_60s = int_at(r, 6);
	return SOUK_OK;
}
