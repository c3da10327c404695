/* payouts: the scheduled seller payouts (lib/shop/payout.c payout_run),
 * once per SOUK_PAYOUT_INTERVAL_S (default a day), the first after one
 * interval so a restart never pays early; `ctl payouts run` is the same
 * run on demand and overlapping runs pay once. */
#include "core/log.h"
#include "shop/payout.h"
#include "worker.h"

int payouts_run(ctx *c)
{
	int64_t every = cfg_env_num("SOUK_PAYOUT_INTERVAL_S", 86400, 1, 30 * 86400);
	backoff bo = {0};
	while (!job_stopping()) {
		for (int64_t s = 0; s < every && !job_stopping(); s++)
			job_sleep_ms(1000);
		if (job_stopping())
			break;
		ctx_begin(c);
		int n;
		int64_t total;
		if (payout_run(c, &n, &total) != SOUK_OK) {
			backoff_wait(&bo, "payouts", "the payout run failed");
			continue;
		}
		backoff_reset(&bo, "payouts");
		log_msg(LOG_INFO, NULL, "payouts: %d payouts, %lld cents", n, (long long)total);
	}
	return 0;
}
