/* prefork: supervisor process in the style of nginx's master/workers. */
#include "http/prefork.h"

#include <errno.h>
#include <fcgiapp.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "core/log.h"

#define MAX_WORKERS 64

static volatile sig_atomic_t busy, stop_after_request, reload_pending;

/* The supervisor takes its signals with sigtimedwait; the handler only
 * makes sure none of them is ignored (nohup, an ignoring parent). */
static void on_parent_signal(int sig)
{
	(void)sig;
}

static void on_child_term(int sig)
{
	(void)sig;
	if (!busy)
		_exit(0); /* idle in accept(): nothing in flight */
	stop_after_request = 1;
}

static void on_child_hup(int sig)
{
	(void)sig;
	reload_pending = 1;
}

void prefork_set_busy(bool b) { busy = b; }
bool prefork_should_stop(void) { return stop_after_request; }

bool prefork_take_reload(void)
{
	if (!reload_pending)
		return false;
	reload_pending = 0;
	return true;
}

void prefork_signal(int sig, void (*fn)(int))
{
	struct sigaction sa;
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = fn;
	sa.sa_flags = SA_RESTART;
	sigemptyset(&sa.sa_mask);
	sigaction(sig, &sa, NULL);
}

static pid_t spawn(const prefork_sup *sv, const prefork_child *ch, const sigset_t *oldmask)
{
	pid_t pid = fork();
	if (pid != 0)
		return pid;
	prefork_signal(SIGTERM, on_child_term);
	prefork_signal(SIGINT, on_child_term);
	prefork_signal(SIGHUP, on_child_hup);
	prefork_signal(SIGCHLD, SIG_DFL);
	if (sv->stop_with_supervisor)
		prctl(PR_SET_PDEATHSIG, SIGTERM); /* a killed supervisor takes its children along */
	sigprocmask(SIG_SETMASK, oldmask, NULL);
	if (sv->stop_with_supervisor && getppid() == 1)
		_exit(0); /* it died before prctl */
	_exit(ch->run(ch->arg));
}

void prefork_write_pidfile(const char *path)
{
	if (!path)
		return;
	FILE *f = fopen(path, "w");
	if (!f) {
		log_msg(LOG_WARN, NULL, "cannot write pidfile %s", path);
		return;
	}
	fprintf(f, "%d\n", (int)getpid());
	fclose(f);
}

typedef struct slot {
	pid_t pid;
	time_t started, restart_at;
	int delay; /* seconds before the next restart after a quick death */
} slot;

/* "job relay", or "worker" for an unnamed child (arguments for "%s%s%s"). */
#define LABEL(sv, ch) (sv)->kind, (ch)->name ? " " : "", (ch)->name ? (ch)->name : ""

/* Reaps every dead child; while running, schedules its restart. */
static void reap(const prefork_sup *sv, const prefork_child *ch, slot *sl, int n, bool term)
{
	int status;
	pid_t dead;
	while ((dead = waitpid(-1, &status, WNOHANG)) > 0) {
		for (int i = 0; i < n; i++) {
			slot *s = &sl[i];
			if (s->pid != dead)
				continue;
			s->pid = 0;
			if (term)
				break;
			time_t now = time(NULL);
			/* one that dies at once (bad config, crash loop) waits longer
			 * each time, up to 30 s; one that ran a while comes back at
			 * once */
			if (now - s->started < 10) {
				s->delay = s->delay ? s->delay * 2 : 1;
				if (s->delay > 30)
					s->delay = 30;
			} else {
				s->delay = 0;
			}
			s->restart_at = now + s->delay;
			log_msg(LOG_WARN, NULL, "%s: %s%s%s (pid %d) exited (status %d); restarting in %d s",
			        sv->who, LABEL(sv, &ch[i]), (int)dead, status, s->delay);
		}
	}
}

static int live(const slot *sl, int n)
{
	int k = 0;
	for (int i = 0; i < n; i++)
		k += sl[i].pid > 0;
	return k;
}

int prefork_supervise(const prefork_sup *sv, const prefork_child *ch, int n)
{
	slot *sl = calloc((size_t)n, sizeof(*sl));
	if (!sl)
		abort();
	sigset_t set, old;
	sigemptyset(&set);
	sigaddset(&set, SIGTERM);
	sigaddset(&set, SIGINT);
	sigaddset(&set, SIGHUP);
	sigaddset(&set, SIGCHLD);
	sigprocmask(SIG_BLOCK, &set, &old);
	prefork_signal(SIGTERM, on_parent_signal);
	prefork_signal(SIGINT, on_parent_signal);
	prefork_signal(SIGHUP, on_parent_signal);
	prefork_signal(SIGCHLD, on_parent_signal);
	prefork_write_pidfile(sv->pidfile);

	bool term = false;
	while (!term) {
		time_t now = time(NULL);
		for (int i = 0; i < n; i++) {
			slot *s = &sl[i];
			if (s->pid != 0 || now < s->restart_at)
				continue;
			s->pid = spawn(sv, &ch[i], &old);
			s->started = now;
			if (s->pid < 0) {
				log_msg(LOG_ERROR, NULL, "%s: fork %s%s%s: %s", sv->who, LABEL(sv, &ch[i]),
				        strerror(errno));
				s->pid = 0;
				s->restart_at = now + 1;
			}
		}
		struct timespec ts = {1, 0}; /* also the clock of delayed restarts */
		int sig = sigtimedwait(&set, NULL, &ts);
		if (sig == SIGTERM || sig == SIGINT)
			term = true;
		if (sig == SIGHUP) /* templates changed: the children reload */
			for (int i = 0; i < n; i++)
				if (sl[i].pid > 0)
					kill(sl[i].pid, SIGHUP);
		reap(sv, ch, sl, n, term);
	}

	log_msg(LOG_INFO, NULL, "%s: draining %d processes", sv->who, live(sl, n));
	for (int i = 0; i < n; i++)
		if (sl[i].pid > 0)
			kill(sl[i].pid, SIGTERM);
	/* each finishes what it is doing (a request, a batch, an event) */
	for (int waited = 0; live(sl, n) && (!sv->drain_s || waited < sv->drain_s * 10); waited++) {
		struct timespec ts = {0, 100000000L};
		nanosleep(&ts, NULL);
		reap(sv, ch, sl, n, true);
	}
	for (int i = 0; i < n; i++)
		if (sl[i].pid > 0) {
			log_msg(LOG_WARN, NULL, "%s: %s%s%s did not stop; killing", sv->who,
			        LABEL(sv, &ch[i]));
			kill(sl[i].pid, SIGKILL);
			waitpid(sl[i].pid, NULL, 0);
		}
	free(sl);
	if (sv->pidfile)
		unlink(sv->pidfile);
	log_msg(LOG_INFO, NULL, "%s: stopped", sv->who);
	return 0;
}

/* A pool worker: the FastCGI accept loop on the shared socket. */
typedef struct pool {
	int fd;
	int (*worker_main)(int fd);
} pool;

static int pool_child(void *arg)
{
	const pool *p = arg;
	return p->worker_main(p->fd);
}

int prefork_run(const char *path, int workers, const char *pidfile,
                int (*worker_main)(int fd))
{
	if (workers < 1 || workers > MAX_WORKERS)
		workers = 2;
	/* "host:port" (no '/'): libfcgi listens on TCP (an app host of a
	 * cluster); there is no file to clean up or open to nginx. */
	bool tcp = strchr(path, ':') && !strchr(path, '/');
	if (!tcp)
		unlink(path); /* a stale socket from a crash */
	if (FCGX_Init() != 0)
		return 1;
	int fd = FCGX_OpenSocket(path, 1024);
	if (fd < 0) {
		log_msg(LOG_ERROR, NULL, "prefork: cannot listen on %s: %s", path, strerror(errno));
		return 1;
	}
	if (!tcp)
		chmod(path, 0666); /* nginx may run as another user */

	pool p = {fd, worker_main};
	prefork_child ch[MAX_WORKERS];
	for (int i = 0; i < workers; i++)
		ch[i] = (prefork_child){NULL, pool_child, &p};
	log_msg(LOG_INFO, NULL, "prefork: listening on %s with %d workers", path, workers);
	prefork_sup sv = {"prefork", "worker", pidfile, false, 0};
	int rc = prefork_supervise(&sv, ch, workers);
	close(fd);
	if (!tcp)
		unlink(path);
	return rc;
}
