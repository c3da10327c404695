/* souk-worker: the background jobs (outbox relay, reservation expiry and
 * the stream consumers) and which of them run here. */
#include <stdlib.h>
#include <string.h>

#include "http/app.h"
#include "shop/catalog.h"
#include "shop/checkout_defer.h"
#include "shop/flash.h"
#include "core/log.h"
#include "shop/payout.h"
#include "shop/pay_choose.h"
#include "shop/payment.h"
#include "shop/shop.h"
#include "http/tmpl.h"
#include "store/leader.h"
#include "worker.h"

/* SOUK_WORKER_JOBS (comma list, default all) picks the jobs, so jobs can
 * also be spread over hosts; each runs in a process of its own (job.c). */

static int run_billing(ctx *c) { return consumer_run(c, &billing_consumer); }
static int run_notify(ctx *c) { return consumer_run(c, &notify_consumer); }
static int run_cache(ctx *c) { return consumer_run(c, &cache_consumer); }
static int run_ledger(ctx *c) { return consumer_run(c, &ledger_consumer); }

static const job jobs[] = {
	{"relay", relay_run},
	{"expiry", expiry_run},
	{"payments", payments_run},
	{"billing", run_billing},
	{"notifications", run_notify},
	{"cache", run_cache},
	{"ledger", run_ledger}, /* workers/ledger.c */
	{"flash", flash_run}, /* workers/flash.c */
	{"payouts", payouts_run},
};
#define NJOBS (sizeof(jobs) / sizeof(jobs[0]))

static bool wanted(const char *list, const char *name)
{
	if (!list || !*list)
		return true;
	size_t n = strlen(name);
	for (const char *p = list; *p;) {
		const char *e = strchr(p, ',');
		size_t len = e ? (size_t)(e - p) : strlen(p);
		if (len == n && strncmp(p, name, n) == 0)
			return true;
		p += len + (e ? 1 : 0);
	}
	return false;
}

int main(void)
{
	const cfg *cf = cfg_load();
	log_set_level(cf->log_level);
	const char *list = getenv("SOUK_WORKER_JOBS");
	job run[NJOBS];
	int n = 0;
	for (size_t i = 0; i < NJOBS; i++)
		if (wanted(list, jobs[i].name))
			run[n++] = jobs[i];
	if (n == 0) {
		log_msg(LOG_ERROR, NULL, "worker: SOUK_WORKER_JOBS=%s names no job (relay, expiry, "
		        "payments, billing, notifications, cache, ledger, flash, payouts)", list);
		return 2;
	}
	catalog_register(); /* also the outbox statement */
	shop_register(); /* checkout, orders, the expiry, the order hooks */
	pay_register();
	checkout_defer_register(); /* also checkout, cart, shipment */
	payout_register();
	if (pay_choose_configured() < 0) /* an unknown provider: refuse to start */
		return 2;
	relay_register();
	leader_register();
	consumer_register();
	notify_register();
	billing_register();
	flash_register();
	if (tmpl_init(cf->template_dir) < 0)
		return 1;
	return job_supervise(run, n, cf->pidfile);
}
