/* flash: every second, checkpoints each live flash sale's Redis queue to
 * PostgreSQL (so a lost Redis rebuilds the line), announces starts and
 * ends sales past their end (units back to stock). lib/shop/flash.c
 * flash_tick. */
#include "shop/flash.h"
#include "shop/flash_ops.h"
#include "worker.h"

int flash_run(ctx *c)
{
	int64_t every = cfg_env_num("SOUK_FLASH_TICK_MS", 1000, 50, 60000);
	backoff bo = {0};
	while (!job_stopping()) {
		ctx_begin(c);
		if (flash_tick(c) != SOUK_OK) {
			backoff_wait(&bo, "flash", "the flash-sale checkpoint failed");
			continue;
		}
		backoff_reset(&bo, "flash");
		job_sleep_ms((int)every);
	}
	return 0;
}
