/* prefork: supervisor process in the style of nginx's master/workers. */
#include "http/prefork.h"

#include <errno.h>
#include <fcgiapp.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "core/log.h"

#define MAX_WORKERS 64

static volatile sig_atomic_t got_term, got_hup, got_chld;
static volatile sig_atomic_t busy, stop_after_request, reload_pending;

static void on_parent_signal(int sig)
{
	if (sig == SIGTERM || sig == SIGINT)
		got_term = 1;
	else if (sig == SIGHUP)
		got_hup = 1;
	else if (sig == SIGCHLD)
		got_chld = 1;
}

static void on_worker_term(int sig)
{
	(void)sig;
	if (!busy)
		_exit(0); /* idle in accept(): nothing in flight */
	stop_after_request = 1;
}

static void on_worker_hup(int sig)
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

static pid_t spawn(int fd, int (*worker_main)(int), sigset_t *oldmask)
{
	pid_t pid = fork();
	if (pid != 0)
		return pid;
	prefork_signal(SIGTERM, on_worker_term);
	prefork_signal(SIGINT, on_worker_term);
	prefork_signal(SIGHUP, on_worker_hup);
	prefork_signal(SIGCHLD, SIG_DFL);
	sigprocmask(SIG_SETMASK, oldmask, NULL);
	_exit(worker_main(fd));
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

int prefork_run(const char *path, int workers, const char *pidfile,
                int (*worker_main)(int fd))
{
	if (workers < 1 || workers > MAX_WORKERS)
		workers = 2;
	unlink(path); /* a stale socket from a crash */
	if (FCGX_Init() != 0)
		return 1;
	int fd = FCGX_OpenSocket(path, 1024);
	if (fd < 0) {
		log_msg(LOG_ERROR, NULL, "prefork: cannot listen on %s: %s", path, strerror(errno));
		return 1;
	}
	chmod(path, 0666); /* nginx may run as another user */
	prefork_write_pidfile(pidfile);

	sigset_t block, old;
	sigemptyset(&block);
	sigaddset(&block, SIGTERM);
	sigaddset(&block, SIGINT);
	sigaddset(&block, SIGHUP);
	sigaddset(&block, SIGCHLD);
	sigprocmask(SIG_BLOCK, &block, &old);
	prefork_signal(SIGTERM, on_parent_signal);
	prefork_signal(SIGINT, on_parent_signal);
	prefork_signal(SIGHUP, on_parent_signal);
	prefork_signal(SIGCHLD, on_parent_signal);

	pid_t pids[MAX_WORKERS] = {0};
	for (int i = 0; i < workers; i++)
		pids[i] = spawn(fd, worker_main, &old);
	log_msg(LOG_INFO, NULL, "prefork: listening on %s with %d workers", path, workers);

	time_t last_restart = 0;
	while (!got_term) {
		sigsuspend(&old); /* signals are blocked except while we wait here */
		if (got_hup) {
			got_hup = 0;
			for (int i = 0; i < workers; i++)
				if (pids[i] > 0)
					kill(pids[i], SIGHUP);
		}
		if (got_chld) {
			got_chld = 0;
			int status;
			pid_t dead;
			while ((dead = waitpid(-1, &status, WNOHANG)) > 0) {
				for (int i = 0; i < workers; i++) {
					if (pids[i] != dead)
						continue;
					log_msg(LOG_WARN, NULL, "prefork: worker %d exited (status %d); restarting",
					        (int)dead, status);
					if (time(NULL) == last_restart)
						sleep(1); /* a crash loop must not spin */
					last_restart = time(NULL);
					pids[i] = got_term ? 0 : spawn(fd, worker_main, &old);
				}
			}
		}
	}

	log_msg(LOG_INFO, NULL, "prefork: draining %d workers", workers);
	for (int i = 0; i < workers; i++)
		if (pids[i] > 0)
			kill(pids[i], SIGTERM);
	for (int i = 0; i < workers; i++)
		if (pids[i] > 0)
			waitpid(pids[i], NULL, 0);
	close(fd);
	unlink(path);
	if (pidfile)
		unlink(pidfile);
	return 0;
}
