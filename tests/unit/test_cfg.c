/* test_cfg: unit tests for lib/cfg (defaults and SOUK_* parsing). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/cfg.h"
#include "tests.h"

static const char *const vars[] = {
	"SOUK_DATABASE_URL", "SOUK_REDIS_URL", "SOUK_TEMPLATE_DIR", "SOUK_SOCKET",
	"SOUK_PIDFILE", "SOUK_WORKERS", "SOUK_MAX_BODY", "SOUK_ARENA_MAX",
	"SOUK_CACHE_TTL", "SOUK_LOG_LEVEL", NULL,
};

/* Suite init and cleanup: later suites (app) load the defaults too. */
static int unset_all(void)
{
	for (int i = 0; vars[i]; i++)
		unsetenv(vars[i]);
	return 0;
}

static void test_defaults(void)
{
	unset_all();
	const cfg *c = cfg_load();
	ASSERT_CSTR(c->database_url, "dbname=souk");
	ASSERT_CSTR(c->redis_url, "redis://127.0.0.1:6379/0");
	ASSERT_CSTR(c->template_dir, "./templates");
	CU_ASSERT_PTR_NULL(c->socket);
	CU_ASSERT_PTR_NULL(c->pidfile);
	CU_ASSERT_EQUAL(c->workers, 2);
	CU_ASSERT_EQUAL(c->max_body, 1048576);
	CU_ASSERT_EQUAL(c->arena_max, 32u << 20);
	CU_ASSERT_EQUAL(c->cache_ttl, 300);
	CU_ASSERT_EQUAL(c->log_level, 1);
	CU_ASSERT_PTR_EQUAL(cfg_get(), c);
}

/* SOUK_WORKERS=v as cfg_load sees it; *warn: what it said on stderr. */
static int workers(const char *v, const char **warn)
{
	setenv("SOUK_WORKERS", v, 1);
	t_stderr_begin();
	int n = cfg_load()->workers;
	*warn = t_stderr_end();
	unsetenv("SOUK_WORKERS");
	return n;
}

static void test_workers(void)
{
	unset_all();
	const char *warn;
	CU_ASSERT_EQUAL(workers("8", &warn), 8);
	ASSERT_CSTR(warn, "");
	CU_ASSERT_EQUAL(workers("1", &warn), 1);
	CU_ASSERT_EQUAL(workers("64", &warn), 64);
	CU_ASSERT_EQUAL(workers("", &warn), 2); /* empty = unset: no warning */
	ASSERT_CSTR(warn, "");
	CU_ASSERT_EQUAL(workers("abc", &warn), 2);
	ASSERT_CSTR(warn, "souk: SOUK_WORKERS=abc is not a number in [1, 64]; using 2\n");
	static const char *const bad[] = {"0", "65", "-3", "8x", " 8", "+8", "99999999999999999999"};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		CU_ASSERT_EQUAL(workers(bad[i], &warn), 2);
		CU_ASSERT_PTR_NOT_NULL(strstr(warn, "SOUK_WORKERS"));
	}
}

static void test_other_values(void)
{
	unset_all();
	setenv("SOUK_DATABASE_URL", "dbname=test", 1);
	setenv("SOUK_SOCKET", "", 1); /* empty = unset */
	setenv("SOUK_MAX_BODY", "2048", 1);
	setenv("SOUK_CACHE_TTL", "0", 1); /* below 1: default */
	setenv("SOUK_LOG_LEVEL", "warn", 1);
	t_stderr_begin();
	const cfg *c = cfg_load();
	const char *warn = t_stderr_end();
	CU_ASSERT_PTR_NOT_NULL(strstr(warn, "SOUK_CACHE_TTL=0 is not a number in [1, 86400]; using 300"));
	ASSERT_CSTR(c->database_url, "dbname=test");
	CU_ASSERT_PTR_NULL(c->socket);
	CU_ASSERT_EQUAL(c->max_body, 2048);
	CU_ASSERT_EQUAL(c->cache_ttl, 300);
	CU_ASSERT_EQUAL(c->log_level, 2);
	unsetenv("SOUK_CACHE_TTL");
	setenv("SOUK_MAX_BODY", "100", 1); /* below 1024: default */
	t_stderr_begin();
	CU_ASSERT_EQUAL(cfg_load()->max_body, 1048576);
	t_stderr_end();
	unsetenv("SOUK_MAX_BODY");
	static const struct {
		const char *v;
		int want;
	} lv[] = {{"debug", 0}, {"info", 1}, {"warn", 2}, {"error", 3}, {"verbose", 1}};
	for (size_t i = 0; i < sizeof(lv) / sizeof(lv[0]); i++) {
		setenv("SOUK_LOG_LEVEL", lv[i].v, 1);
		CU_ASSERT_EQUAL(cfg_load()->log_level, lv[i].want);
	}
	unset_all();
	cfg_load();
}

static void test_env_helpers(void)
{
	unsetenv("SOUK_UT_MS");
	CU_ASSERT_EQUAL(cfg_env_num("SOUK_UT_MS", 100, 5, 1000), 100); /* unset */
	setenv("SOUK_UT_MS", "250", 1);
	CU_ASSERT_EQUAL(cfg_env_num("SOUK_UT_MS", 100, 5, 1000), 250);
	setenv("SOUK_UT_MS", "4", 1); /* below min */
	CU_ASSERT_EQUAL(cfg_env_num("SOUK_UT_MS", 100, 5, 1000), 100);
	setenv("SOUK_UT_MS", "12ms", 1); /* not a number */
	CU_ASSERT_EQUAL(cfg_env_num("SOUK_UT_MS", 100, 5, 1000), 100);
	setenv("SOUK_UT_MS", "", 1); /* empty = unset */
	CU_ASSERT_EQUAL(cfg_env_num("SOUK_UT_MS", 100, 5, 1000), 100);
	ASSERT_CSTR(cfg_env_str("SOUK_UT_MS", "dflt"), "dflt");
	setenv("SOUK_UT_MS", "var/x", 1);
	ASSERT_CSTR(cfg_env_str("SOUK_UT_MS", "dflt"), "var/x");
	unsetenv("SOUK_UT_MS");
}

/* The fingerprint secret: read from its file (newline dropped), refused
 * when too short or too long, and a random key of the process otherwise
 * (never none: an empty HMAC key would be a bare hash). */
static void test_fingerprint_key(void)
{
	char path[] = "/tmp/souk-unit-key-XXXXXX";
	int fd = mkstemp(path);
	CU_ASSERT_FATAL(fd >= 0);
	FILE *f = fdopen(fd, "w");
	fputs("0123456789abcdef0123456789abcdef\n", f);
	fclose(f);
	unsigned char k[256];
	CU_ASSERT_EQUAL(cfg_read_secret(path, k, sizeof(k), 16), 32);
	CU_ASSERT(memcmp(k, "0123456789abcdef0123456789abcdef", 32) == 0);
	CU_ASSERT_EQUAL(cfg_read_secret(path, k, 31, 16), -1); /* longer than the buffer */
	CU_ASSERT_EQUAL(cfg_read_secret(path, k, sizeof(k), 33), -1); /* shorter than asked */
	CU_ASSERT_EQUAL(cfg_read_secret("/nonexistent/souk-key", k, sizeof(k), 16), -1);
	setenv("SOUK_FINGERPRINT_KEY_FILE", path, 1);
	const cfg *c = cfg_load();
	CU_ASSERT_EQUAL(c->fingerprint_key_len, 32);
	CU_ASSERT(memcmp(c->fingerprint_key, "0123456789abcdef0123456789abcdef", 32) == 0);
	CU_ASSERT_FALSE(c->fingerprint_key_random);
	setenv("SOUK_FINGERPRINT_KEY_FILE", "/nonexistent/souk-key", 1);
	c = cfg_load();
	CU_ASSERT_EQUAL(c->fingerprint_key_len, 32); /* a random one */
	CU_ASSERT_TRUE(c->fingerprint_key_random);
	CU_ASSERT(memcmp(c->fingerprint_key, "0123456789abcdef0123456789abcdef", 32) != 0);
	unsetenv("SOUK_FINGERPRINT_KEY_FILE");
	unlink(path);
}

void add_cfg_tests(void)
{
	CU_pSuite s = CU_add_suite("cfg", unset_all, unset_all);
	CU_add_test(s, "defaults when unset", test_defaults);
	CU_add_test(s, "SOUK_WORKERS valid and invalid", test_workers);
	CU_add_test(s, "strings, sizes, log level", test_other_values);
	CU_add_test(s, "cfg_env_num/cfg_env_str for a module's own setting", test_env_helpers);
	CU_add_test(s, "the card fingerprint secret (file, or random)", test_fingerprint_key);
}
