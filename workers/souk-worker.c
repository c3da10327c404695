/* souk-worker: the background jobs (outbox relay, reservation expiry and
 * the stream consumers), one supervised process per job. */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "http/app.h"
#include "shop/catalog.h"
#include "shop/inventory.h"
#include "core/log.h"
#include "shop/order.h"
#include "shop/payment.h"
#include "http/prefork.h"
#include "http/tmpl.h"
#include "worker.h"

/* Why one process per job: a slow or failing job (billing waiting on a
 * payment provider, a consumer backing off while Redis is down) never
 * delays another (the relay, expiry); each has its own PostgreSQL and
 * Redis connection and blocking reads; a crash costs one job a restart.
 * The supervisor only forks, reaps, restarts with back-off and forwards
 * SIGTERM (stop) and SIGHUP (re-read changed mail templates). SOUK_WORKER_JOBS (comma list, default all) picks the jobs, so
 * jobs can also be spread over hosts. */

static int run_billing(ctx *c) { return consumer_run(c, &billing_consumer); }
static int run_notify(ctx *c) { return consumer_run(c, &notify_consumer); }
static int run_cache(ctx *c) { return consumer_run(c, &cache_consumer); }

static const struct job {
	const char *name;
	int (*run)(ctx *c);
} jobs[] = {
	{"relay", relay_run},
	{"expiry", expiry_run},
	{"payments", payments_run},
	{"billing", run_billing},
	{"notifications", run_notify},
	{"cache", run_cache},
};
#define NJOBS (sizeof(jobs) / sizeof(jobs[0]))

const consumer_def *const worker_consumers[] = {&billing_consumer, &notify_consumer,
                                                &cache_consumer, NULL};

/* ------------------------------------------------------------ job side */

static volatile sig_atomic_t stop_requested, reload_requested;

static void on_hup(int sig)
{
	(void)sig;
	reload_requested = 1;
}

bool worker_take_reload(void)
{
	if (!reload_requested)
		return false;
	reload_requested = 0;
	return true;
}

static void on_stop(int sig)
{
	(void)sig;
	stop_requested = 1;
}

bool worker_stopping(void)
{
	return stop_requested != 0;
}

void worker_sleep_ms(int ms)
{
	while (ms > 0 && !stop_requested) {
		int step = ms > 100 ? 100 : ms;
		struct timespec ts = {0, (long)step * 1000000L};
		nanosleep(&ts, NULL);
		ms -= step;
	}
}

void backoff_wait(backoff *b, const char *job, const char *why)
{
	b->ms = b->ms ? (b->ms >= 5000 ? 10000 : b->ms * 2) : 100;
	log_msg(b->ms >= 1600 ? LOG_WARN : LOG_INFO, NULL, "%s: %s; retrying in %d ms", job, why,
	        b->ms);
	worker_sleep_ms(b->ms);
}

void backoff_reset(backoff *b, const char *job)
{
	if (b->ms)
		log_msg(LOG_INFO, NULL, "%s: recovered", job);
	b->ms = 0;
}

static pid_t spawn(const struct job *j, const sigset_t *oldmask)
{
	pid_t pid = fork();
	if (pid != 0)
		return pid;
	prefork_signal(SIGTERM, on_stop);
	prefork_signal(SIGINT, on_stop);
	prefork_signal(SIGHUP, on_hup);
	prefork_signal(SIGCHLD, SIG_DFL);
	prctl(PR_SET_PDEATHSIG, SIGTERM); /* a killed supervisor takes its jobs along */
	sigprocmask(SIG_SETMASK, oldmask, NULL);
	if (getppid() == 1)
		_exit(0);
	log_msg(LOG_INFO, NULL, "%s: started", j->name);
	ctx *c = app_ctx_new(cfg_get());
	int rc = j->run(c);
	app_ctx_free(c);
	log_msg(LOG_INFO, NULL, "%s: stopped", j->name);
	_exit(rc);
}

/* ------------------------------------------------------------ supervisor */

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

typedef struct slot {
	bool on;
	pid_t pid;
	time_t started, restart_at;
	int delay; /* seconds before the next restart after a quick death */
} slot;

int main(void)
{
	const cfg *cf = cfg_load();
	log_set_level(cf->log_level);
	const char *list = getenv("SOUK_WORKER_JOBS");
	slot slots[NJOBS];
	memset(slots, 0, sizeof(slots));
	int n = 0;
	for (size_t i = 0; i < NJOBS; i++)
		n += slots[i].on = wanted(list, jobs[i].name);
	if (n == 0) {
		log_msg(LOG_ERROR, NULL, "worker: SOUK_WORKER_JOBS=%s names no job (relay, expiry, "
		        "payments, billing, notifications, cache)", list);
		return 2;
	}
	catalog_register(); /* also the outbox statement */
	inv_register();
	order_register();
	pay_register();
	relay_register();
	consumer_register();
	notify_register();
	billing_register();
	if (tmpl_init(cf->template_dir) < 0)
		return 1;

	sigset_t set, old;
	sigemptyset(&set);
	sigaddset(&set, SIGTERM);
	sigaddset(&set, SIGINT);
	sigaddset(&set, SIGHUP);
	sigaddset(&set, SIGCHLD);
	sigprocmask(SIG_BLOCK, &set, &old);
	prefork_write_pidfile(cf->pidfile);
	log_msg(LOG_INFO, NULL, "worker: supervisor starting %d jobs", n);

	bool term = false;
	while (!term) {
		time_t now = time(NULL);
		for (size_t i = 0; i < NJOBS; i++) {
			slot *s = &slots[i];
			if (s->on && s->pid == 0 && now >= s->restart_at) {
				s->pid = spawn(&jobs[i], &old);
				s->started = now;
				if (s->pid < 0) {
					log_msg(LOG_ERROR, NULL, "worker: fork %s: %s", jobs[i].name,
					        strerror(errno));
					s->pid = 0;
					s->restart_at = now + 1;
				}
			}
		}
		struct timespec ts = {1, 0};
		int sig = sigtimedwait(&set, NULL, &ts);
		if (sig == SIGTERM || sig == SIGINT)
			term = true;
		if (sig == SIGHUP) /* templates changed: the jobs reload */
			for (size_t i = 0; i < NJOBS; i++)
				if (slots[i].pid > 0)
					kill(slots[i].pid, SIGHUP);
		int status;
		pid_t dead;
		while ((dead = waitpid(-1, &status, WNOHANG)) > 0) {
			for (size_t i = 0; i < NJOBS; i++) {
				slot *s = &slots[i];
				if (s->pid != dead)
					continue;
				s->pid = 0;
				if (term)
					break;
				now = time(NULL);
				/* a job that dies at once (bad config, crash loop) waits
				 * longer each time, up to 30 s; one that ran a while is
				 * restarted after a second */
				s->delay = now - s->started < 10 ? (s->delay ? s->delay * 2 : 1) : 1;
				if (s->delay > 30)
					s->delay = 30;
				s->restart_at = now + s->delay;
				log_msg(LOG_WARN, NULL, "worker: job %s (pid %d) exited (status %d); "
				        "restarting in %d s", jobs[i].name, (int)dead, status, s->delay);
			}
		}
	}

	log_msg(LOG_INFO, NULL, "worker: stopping");
	for (size_t i = 0; i < NJOBS; i++)
		if (slots[i].pid > 0)
			kill(slots[i].pid, SIGTERM);
	/* jobs finish their current batch or event; 20 s is far more than one */
	for (int waited = 0; waited < 200; waited++) {
		int left = 0, status;
		pid_t dead;
		while ((dead = waitpid(-1, &status, WNOHANG)) > 0)
			for (size_t i = 0; i < NJOBS; i++)
				if (slots[i].pid == dead)
					slots[i].pid = 0;
		for (size_t i = 0; i < NJOBS; i++)
			left += slots[i].pid > 0;
		if (!left)
			break;
		struct timespec ts = {0, 100000000L};
		nanosleep(&ts, NULL);
	}
	for (size_t i = 0; i < NJOBS; i++)
		if (slots[i].pid > 0) {
			log_msg(LOG_WARN, NULL, "worker: job %s did not stop; killing", jobs[i].name);
			kill(slots[i].pid, SIGKILL);
			waitpid(slots[i].pid, NULL, 0);
		}
	if (cf->pidfile)
		unlink(cf->pidfile);
	log_msg(LOG_INFO, NULL, "worker: stopped");
	return 0;
}
