/* flash: every second, checkpoints each live flash sale's Redis queue to
 * PostgreSQL (so a lost Redis rebuilds the line), announces starts and
 * ends sales past their end (units back to stock), lib/shop/flash_ops.c
 * flash_tick; every SOUK_FLASH_REPAIR_S (10 s) gives back in Redis what
 * a release's give-back lost (lib/shop/flash_release.c
 * flash_repair_gives). */
#include <time.h>

#include "core/log.h"
#include "shop/flash.h"
#include "shop/flash_ops.h"
#include "shop/flash_release.h"
#include "worker.h"

static int64_t mono_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* Best effort: a failure waits for the next round. */
static void repair(ctx *c)
{
	int64_t orders, units;
	if (flash_repair_gives(c, FLASH_REPAIR_LIMIT, &orders, &units) < 0) {
		ctx_log(c, LOG_WARN, "flash: the give-back repair failed: %s",
		        c->err_msg ? c->err_msg : "?");
		ctx_clear(c);
	} else if (orders > 0) {
		ctx_log(c, LOG_WARN, "flash: repair gave back %lld units of %lld orders in Redis",
		        (long long)units, (long long)orders);
	}
}

int flash_run(ctx *c)
{
	int64_t every = cfg_env_num("SOUK_FLASH_TICK_MS", 1000, 50, 60000);
	int64_t repair_ms = 1000 * cfg_env_num("SOUK_FLASH_REPAIR_S", 10, 1, 3600);
	int64_t repaired_at = mono_ms();
	backoff bo = {0};
	while (!job_stopping()) {
		ctx_begin(c);
		if (flash_tick(c) != SOUK_OK) {
			backoff_wait(&bo, "flash", "the flash-sale checkpoint failed");
			continue;
		}
		backoff_reset(&bo, "flash");
		if (mono_ms() - repaired_at >= repair_ms) {
			repair(c);
			repaired_at = mono_ms();
		}
		job_sleep_ms((int)every);
	}
	return 0;
}
