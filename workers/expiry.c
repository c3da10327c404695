/* expiry: releases expired reservations and cancels their orders, in
 * small batches (lib/shop/order_expiry.c order_expire_batch: FOR UPDATE SKIP LOCKED). */
#include <stdlib.h>

#include "shop/order_expiry.h"
#include "core/log.h"
#include "worker.h"

#define EXPIRY_BATCH 100

int expiry_run(ctx *c)
{
	int64_t every = cfg_env_num("SOUK_EXPIRY_INTERVAL_MS", 2000, 50, 600000);
	backoff bo = {0};
	while (!job_stopping()) {
		long total = 0;
		int n = 0, rc;
		/* until nothing is left: a backlog drains at once */
		do {
			ctx_begin(c);
			rc = order_expire_batch(c, EXPIRY_BATCH, &n);
			if (rc == SOUK_OK)
				total += n;
		} while (rc == SOUK_OK && n > 0 && !job_stopping());
		if (rc != SOUK_OK) {
			backoff_wait(&bo, "expiry", "releasing expired reservations failed");
			continue;
		}
		backoff_reset(&bo, "expiry");
		if (total)
			log_msg(LOG_INFO, NULL, "expiry: cancelled %ld orders whose reservations expired",
			        total);
		job_sleep_ms((int)every);
	}
	return 0;
}
