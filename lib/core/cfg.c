/* cfg: environment configuration with documented defaults. */
#include "core/cfg.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

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
	loaded = 1;
	return &the_cfg;
}

const cfg *cfg_get(void)
{
	return loaded ? &the_cfg : cfg_load();
}
