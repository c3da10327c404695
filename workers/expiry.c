/* expiry: releases expired reservations and cancels their orders, in
 * small batches (lib/shop/order_expiry.c order_expire_batch: FOR UPDATE SKIP
 * LOCKED); once a minute it also forgets used mail links past expiry. */
#include <stdlib.h>
#include <time.h>

#include "shop/maillink.h"
#include "shop/order_expiry.h"
#include "core/log.h"
#include "worker.h"

#define EXPIRY_BATCH 100
#define PRUNE_BATCH 1000

/* Used mail links past expiry, a batch at a time; failures wait for the
 * next minute (nothing depends on them being gone). */
static void prune_links(ctx *c)
{
	long n = 0, total = 0;
	do {
		ctx_begin(c);
		if (maillink_prune(c, PRUNE_BATCH, &n) != SOUK_OK)
			return;
		total += n;
	} while (n == PRUNE_BATCH && !job_stopping());
	if (total)
		log_msg(LOG_INFO, NULL, "expiry: forgot %ld used mail links past their expiry", total);
}

int expiry_run(ctx *c)
{
	int64_t every = cfg_env_num("SOUK_EXPIRY_INTERVAL_MS", 2000, 50, 600000);
	int64_t prune_every = cfg_env_num("SOUK_PRUNE_INTERVAL_S", 60, 1, 86400);
	time_t last_prune = 0;
	backoff bo = {0};
	while (!job_stopping()) {
		if (time(NULL) - last_prune >= prune_every) {
			last_prune = time(NULL);
			prune_links(c);
		}
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
