/* cfg: process configuration from SOUK_* environment variables. */
#ifndef SOUK_CFG_H
#define SOUK_CFG_H

#include <stdbool.h>
#include <stddef.h>

typedef struct cfg {
	const char *database_url; /* SOUK_DATABASE_URL, default "dbname=souk" */
	const char *redis_url;    /* SOUK_REDIS_URL, default redis://127.0.0.1:6379/0 */
	const char *template_dir; /* SOUK_TEMPLATE_DIR, default ./templates */
	const char *socket;       /* SOUK_SOCKET, unset = CGI mode */
	const char *pidfile;      /* SOUK_PIDFILE */
	int workers;              /* SOUK_WORKERS, default 2, 1..64 */
	size_t max_body;          /* SOUK_MAX_BODY, default 1 MiB */
	size_t arena_max;         /* SOUK_ARENA_MAX, default 32 MiB per request */
	int cache_ttl;            /* SOUK_CACHE_TTL, seconds, default 300 */
	int log_level;            /* SOUK_LOG_LEVEL: debug=0 info=1 warn=2 error=3 */
	bool cookie_secure;       /* SOUK_COOKIE_SECURE=1: session cookie only over HTTPS */
	int tax_bps;              /* SOUK_TAX_BPS, sales tax in basis points, default 800 (8 %) */
	/* The server secret of the card fingerprints (HMAC key): the text of
	 * SOUK_FINGERPRINT_KEY_FILE (bin/souk writes one into var/secrets/),
	 * trailing whitespace dropped, 16..256 bytes. Unset or unusable: 32
	 * random bytes for this process and fingerprint_key_random (the
	 * throttle warns on first use: fingerprints then differ between
	 * processes, so the card-testing counters only count within one). */
	unsigned char fingerprint_key[256];
	size_t fingerprint_key_len;
	bool fingerprint_key_random;
} cfg;

/* Reads the environment once; invalid numbers fall back to the default
 * with a warning on stderr. The returned config lives for the process. */
const cfg *cfg_load(void);
const cfg *cfg_get(void);

/* One SOUK_* variable for a module's own setting (the worker's jobs):
 * the value, or def when unset or empty. A number outside [min, max] or
 * not a number falls back to def with a warning on stderr. */
const char *cfg_env_str(const char *name, const char *def);
long long cfg_env_num(const char *name, long long def, long long min, long long max);

/* Reads a secret from path into out (at most cap bytes, trailing
 * whitespace dropped); its length, or -1 when it cannot be read, is
 * shorter than min or longer than cap. */
long cfg_read_secret(const char *path, unsigned char *out, size_t cap, size_t min);

#endif
