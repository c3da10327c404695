/* throttle: Redis failure counters and locks against password guessing and
 * card testing; fingerprints (HMAC for cards) so no card number or address
 * of a user is ever a key. */
#include "shop/throttle.h"

#include <hiredis/hiredis.h>
#include <stdio.h>

#include "core/digest.h"
#include "core/log.h"
#include "store/rds.h"
#include "store/rds_eval.h"
#include "http/req.h"

const char *throttle_sha256_hex(arena *a, str data)
{
	return digest_sha256_hex(a, data.p, data.len);
}

const char *throttle_card_fingerprint(arena *a, const char *card_number,
                                      const unsigned char *key, size_t klen)
{
	/* digits only: "4000 0000-0000 0002" and "4000000000000002" are one card */
	buf d;
	buf_init(&d, a, 32);
	buf_puts(&d, "");
	for (const char *p = card_number ? card_number : ""; *p; p++)
		if (*p >= '0' && *p <= '9')
			buf_putc(&d, *p);
	if (d.failed)
		return NULL;
	return digest_hmac_sha256_hex(a, key, klen, d.p, d.len);
}

const char *throttle_addr_part(arena *a, str addr)
{
	bool plain = addr.len > 0 && addr.len <= 45;
	for (size_t i = 0; plain && i < addr.len; i++) {
		char ch = addr.p[i];
		plain = (ch >= '0' && ch <= '9') || (ch >= 'a' && ch <= 'f') || (ch >= 'A' && ch <= 'F') ||
		        ch == '.' || ch == ':';
	}
	return plain ? str_dup(a, addr) : throttle_sha256_hex(a, addr);
}

const char *throttle_key(arena *a, const char *kind, const char *part)
{
	buf b;
	buf_init(&b, a, 0);
	if (buf_printf(&b, "throttle:%s:%s", kind, part ? part : "") < 0)
		return NULL;
	return b.p;
}

/* KEYS: the keys; ARGV[1]: the least count that counts. */
static const char lua_wait[] =
	"local m = 0 "
	"for _, k in ipairs(KEYS) do "
	"  local n = tonumber(redis.call('GET', k) or '0') or 0 "
	"  if n >= tonumber(ARGV[1]) then "
	"    local t = redis.call('TTL', k) "
	"    if t > m then m = t end "
	"  end "
	"end "
	"return m";

int throttle_wait(ctx *c, int n, const char *const *keys, long long at_least)
{
	if (n < 1 || n > 8)
		return 0;
	char least[24], nk[8];
	snprintf(least, sizeof(least), "%lld", at_least);
	snprintf(nk, sizeof(nk), "%d", n);
	const char *argv[1 + 8 + 1] = {nk};
	for (int i = 0; i < n; i++)
		argv[1 + i] = keys[i];
	argv[1 + n] = least;
	redisReply *r = rds_eval(c, lua_wait, 2 + n, argv, NULL);
	if (!r || r->type != REDIS_REPLY_INTEGER)
		return -1;
	return r->integer > 0 ? (int)r->integer : 0;
}

/* KEYS[1]: the counter; ARGV[1]: window seconds; ARGV[2]: 1 = sliding. */
static const char lua_hit[] =
	"local n = redis.call('INCR', KEYS[1]) "
	"if n == 1 or ARGV[2] == '1' then redis.call('EXPIRE', KEYS[1], ARGV[1]) end "
	"return n";

long long throttle_hit(ctx *c, const char *key, int window, bool sliding)
{
	char w[16];
	snprintf(w, sizeof(w), "%d", window);
	const char *argv[] = {"1", key, w, sliding ? "1" : "0"};
	redisReply *r = rds_eval(c, lua_hit, 4, argv, NULL);
	if (!r || r->type != REDIS_REPLY_INTEGER)
		return -1;
	return r->integer;
}

int throttle_lock(ctx *c, const char *key, long long count, int seconds)
{
	char v[24], s[16];
	snprintf(v, sizeof(v), "%lld", count);
	snprintf(s, sizeof(s), "%d", seconds > 0 ? seconds : 1);
	const char *argv[] = {"SET", key, v, "EX", s};
	return rds_cmd(c, 5, argv, NULL) ? SOUK_OK : SOUK_ERR;
}

void throttle_forget(ctx *c, int n, const char *const *keys)
{
	const char *argv[1 + 8] = {"DEL"};
	if (n < 1 || n > 8)
		return;
	for (int i = 0; i < n; i++)
		argv[1 + i] = keys[i];
	rds_cmd(c, 1 + n, argv, NULL);
}

int throttle_backoff(long long count, int after, int base, int max)
{
	if (count < after)
		return 0;
	long long s = base;
	for (long long i = after; i < count && s < max; i++)
		s *= 2;
	return s > max ? max : (int)s;
}

int throttle_card_keys(ctx *c, const char *cart_id, const char *card_number,
                       const char *keys[3])
{
	const cfg *g = c->cfg;
	static bool warned;
	if (g->fingerprint_key_random && !warned) {
		warned = true;
		ctx_log(c, LOG_WARN, "throttle: no SOUK_FINGERPRINT_KEY_FILE (or unusable): card "
		                     "fingerprints use a random key of this process");
	}
	const char *cart = throttle_sha256_hex(c->a, str_c(cart_id ? cart_id : ""));
	const char *card = throttle_card_fingerprint(c->a, card_number, g->fingerprint_key,
	                                             g->fingerprint_key_len);
	const char *addr = throttle_addr_part(c->a, c->rq->remote_addr);
	if (!cart || !card || !addr)
		return SOUK_ERR;
	keys[0] = throttle_key(c->a, "decline:cart", cart);
	keys[1] = throttle_key(c->a, "decline:ip", addr);
	keys[2] = throttle_key(c->a, "decline:card", card);
	return keys[0] && keys[1] && keys[2] ? SOUK_OK : SOUK_ERR;
}

int throttle_card_check(ctx *c, const char *const keys[3])
{
	int wait = throttle_wait(c, 3, keys, THROTTLE_DECLINE_AFTER);
	if (wait < 0) {
		ctx_log(c, LOG_WARN, "throttle: Redis down, card-testing check skipped");
		return SOUK_OK;
	}
	if (wait == 0)
		return SOUK_OK;
	ctx_log(c, LOG_WARN, "throttle: payments refused for %d s after repeated declines", wait);
	return ctx_fail_retry(c, wait,
	                      "too many declined payments; please try again in %d seconds", wait);
}

void throttle_card_declined(ctx *c, const char *const keys[3])
{
	for (int i = 0; i < 3; i++)
		throttle_hit(c, keys[i], THROTTLE_DECLINE_WINDOW, false);
}
