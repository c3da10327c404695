/* payments: the job that makes pending payment intents (payment_ops:
 * captures queued by billing, voids/refunds of cancels and returns, and
 * any the pools left when the provider was down or they crashed between
 * the call and its record), with the intent's own idempotency key; and
 * the authorizations checkouts deferred while the provider was down
 * (checkout_defer), with the payment's own key; and it keeps Souk's copy
 * of souk-payd's public key fresh (pay_seal_keys). */
#include "core/log.h"
#include "shop/checkout_defer.h"
#include "shop/pay_seal_keys.h"
#include "shop/payment.h"
#include "store/leader.h"
#include "worker.h"

#define PAYMENTS_BATCH 20

int payments_run(ctx *c)
{
	int64_t every = cfg_env_num("SOUK_PAYMENTS_INTERVAL_MS", 200, 20, 60000);
	/* how often the provider's public key is asked for (a rotation is
	 * picked up within this): a minute; the test stack's is shorter */
	int64_t key_every = cfg_env_num("SOUK_PAY_KEY_REFRESH_MS", 60000, 1000, 3600000);
	backoff bo = {0};
	while (!job_stopping()) {
		int n = 0;
		ctx_begin(c);
		/* one worker makes the intents: two would race to the provider
		 * with the same key (safe, but twice the calls) */
		if (!job_lead(c, "payments", LEADER_PAYMENTS))
			continue;
		/* the provider's public key, for checkouts to seal cards with
		 * while it is down (key_every old at most while it answers) */
		pay_seal_keys_refresh_every(c, key_every);
		int deferred = 0;
		if (pay_ops_run_due(c, PAYMENTS_BATCH, &n) != SOUK_OK ||
		    checkout_defer_run_due(c, PAYMENTS_BATCH, &deferred) != SOUK_OK) {
			backoff_wait(&bo, "payments", "reading pending payment operations failed");
			continue;
		}
		n = n > deferred ? n : deferred;
		backoff_reset(&bo, "payments");
		if (n < PAYMENTS_BATCH) /* a full batch: more may be due at once */
			job_sleep_ms((int)every);
	}
	return 0;
}
