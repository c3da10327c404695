/* cfg: environment configuration with documented defaults. */
#include "core/cfg.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>

#include "core/buf.h"

static cfg the_cfg;
static int loaded;

const char *cfg_env_str(const char *name, const char *def)
{
	const char *v = getenv(name);
	return v && *v ? v : def;
}

long long cfg_env_num(const char *name, long long def, long long min, long long max)
{
	const char *v = getenv(name);
	if (!v || !*v)
		return def;
	int64_t n;
	if (str_to_i64(str_c(v), min, max, &n) < 0) {
		fprintf(stderr, "souk: %s=%s is not a number in [%lld, %lld]; using %lld\n",
		        name, v, min, max, def);
		return def;
	}
	return n;
}

long cfg_read_secret(const char *path, unsigned char *out, size_t cap, size_t min)
{
	FILE *f = path ? fopen(path, "rb") : NULL;
	if (!f)
		return -1;
	size_t n = fread(out, 1, cap, f);
	bool more = fgetc(f) != EOF;
	fclose(f);
	while (n > 0 && (out[n - 1] == '\n' || out[n - 1] == '\r' || out[n - 1] == ' ' ||
	                 out[n - 1] == '\t'))
		n--;
	if (more || n < min)
		return -1;
	return (long)n;
}

static void load_fingerprint_key(cfg *c)
{
	const char *path = cfg_env_str("SOUK_FINGERPRINT_KEY_FILE", NULL);
	long n = cfg_read_secret(path, c->fingerprint_key, sizeof(c->fingerprint_key), 16);
	if (n > 0) {
		c->fingerprint_key_len = (size_t)n;
		c->fingerprint_key_random = false;
		return;
	}
	/* Better a key of our own than a bare hash anyone can recompute;
	 * said once by whoever uses it (throttle), not by every program. */
	if (getrandom(c->fingerprint_key, 32, 0) != 32)
		abort(); /* no kernel randomness: nothing is safe to do */
	c->fingerprint_key_len = 32;
	c->fingerprint_key_random = true;
}

static int level_of(const char *s)
{
	if (strcmp(s, "debug") == 0)
		return 0;
	if (strcmp(s, "warn") == 0)
		return 2;
	if (strcmp(s, "error") == 0)
		return 3;
	return 1;
}

const cfg *cfg_load(void)
{
	the_cfg.database_url = cfg_env_str("SOUK_DATABASE_URL", "dbname=souk");
	the_cfg.redis_url = cfg_env_str("SOUK_REDIS_URL", "redis://127.0.0.1:6379/0");
	the_cfg.template_dir = cfg_env_str("SOUK_TEMPLATE_DIR", "./templates");
	the_cfg.socket = cfg_env_str("SOUK_SOCKET", NULL);
	the_cfg.pidfile = cfg_env_str("SOUK_PIDFILE", NULL);
	the_cfg.workers = (int)cfg_env_num("SOUK_WORKERS", 2, 1, 64);
	the_cfg.max_body = (size_t)cfg_env_num("SOUK_MAX_BODY", 1 << 20, 1024, 64 << 20);
	the_cfg.arena_max = (size_t)cfg_env_num("SOUK_ARENA_MAX", 32 << 20, 1 << 20, 1LL << 32);
	the_cfg.cache_ttl = (int)cfg_env_num("SOUK_CACHE_TTL", 300, 1, 86400);
	the_cfg.log_level = level_of(cfg_env_str("SOUK_LOG_LEVEL", "info"));
	the_cfg.cookie_secure = cfg_env_num("SOUK_COOKIE_SECURE", 0, 0, 1) == 1;
	the_cfg.tax_bps = (int)cfg_env_num("SOUK_TAX_BPS", 800, 0, 5000);
	load_fingerprint_key(&the_cfg);
	loaded = 1;
	return &the_cfg;
}

const cfg *cfg_get(void)
{
	return loaded ? &the_cfg : cfg_load();
}
