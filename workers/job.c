/* job: souk-worker's job processes on prefork's supervisor, and what a job loop needs. */
#include "job.h"

#include <stdlib.h>
#include <time.h>

#include "core/log.h"
#include "http/app.h"
#include "http/prefork.h"
#include "store/leader.h"
#include "store/store.h"

/* Why one process per job: a slow or failing job (billing waiting on a
 * payment provider, a consumer backing off while Redis is down) never
 * delays another (the relay, expiry); each has its own PostgreSQL and
 * Redis connection and blocking reads; a crash costs one job a restart. */

static int job_main(void *arg)
{
	const job *j = arg;
	/* always busy: SIGTERM only asks the loop to stop after its unit */
	prefork_set_busy(true);
	log_msg(LOG_INFO, NULL, "%s: started", j->name);
	ctx *c = store_ctx_new(cfg_get());
	int rc = j->run(c);
	store_ctx_free(c);
	log_msg(LOG_INFO, NULL, "%s: stopped", j->name);
	return rc;
}

int job_supervise(const job *jobs, int n, const char *pidfile)
{
	prefork_child *ch = calloc((size_t)n, sizeof(*ch));
	if (!ch)
		abort();
	for (int i = 0; i < n; i++)
		ch[i] = (prefork_child){jobs[i].name, job_main, (void *)&jobs[i]};
	log_msg(LOG_INFO, NULL, "worker: supervisor starting %d jobs", n);
	/* jobs finish their current batch or event; 20 s is far more than one */
	prefork_sup sv = {"worker", "job", pidfile, true, 20};
	int rc = prefork_supervise(&sv, ch, n);
	free(ch);
	return rc;
}

bool job_stopping(void)
{
	return prefork_should_stop();
}

bool job_take_reload(void)
{
	return prefork_take_reload();
}

void job_sleep_ms(int ms)
{
	while (ms > 0 && !prefork_should_stop()) {
		int step = ms > 100 ? 100 : ms;
		struct timespec ts = {0, (long)step * 1000000L};
		nanosleep(&ts, NULL);
		ms -= step;
	}
}

void backoff_wait(backoff *b, const char *name, const char *why)
{
	b->ms = b->ms ? (b->ms >= 5000 ? 10000 : b->ms * 2) : 100;
	log_msg(b->ms >= 1600 ? LOG_WARN : LOG_INFO, NULL, "%s: %s; retrying in %d ms", name, why,
	        b->ms);
	job_sleep_ms(b->ms);
}

void backoff_reset(backoff *b, const char *name)
{
	if (b->ms)
		log_msg(LOG_INFO, NULL, "%s: recovered", name);
	b->ms = 0;
}

bool job_lead(ctx *c, const char *name, int64_t key)
{
	static int was = -1; /* one job per process: unknown, follower, leader */
	bool lead = leader_hold(c, key);
	if (lead != was)
		log_msg(LOG_INFO, NULL, "%s: %s", name,
		        lead ? "leading (this worker runs the job)" : "following (another worker leads, or PostgreSQL is away)");
	was = lead;
	if (!lead)
		job_sleep_ms(1000);
	return lead;
}
