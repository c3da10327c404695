/* prefork: a supervisor of child processes (the pools' FastCGI workers,
 * souk-worker's jobs): fork, restart the dead, forward SIGHUP, drain on
 * SIGTERM. */
#ifndef SOUK_PREFORK_H
#define SOUK_PREFORK_H

#include <stdbool.h>

/* One child of a supervisor: run(arg) in a forked process; its return
 * value is the child's exit status. */
typedef struct prefork_child {
	const char *name;       /* in the log; NULL: the supervisor's kind */
	int (*run)(void *arg);
	void *arg;
} prefork_child;

typedef struct prefork_sup {
	const char *who;        /* the log's prefix: "prefork", "worker" */
	const char *kind;       /* what a child is called in the log: "worker" */
	const char *pidfile;    /* written at start, removed at the end; may be NULL */
	bool stop_with_supervisor; /* children get SIGTERM when the supervisor dies */
	int drain_s;            /* after SIGTERM, seconds to wait before SIGKILL; 0: no limit */
} prefork_sup;

/* Runs one process per entry of ch (n of them) until SIGTERM/SIGINT; ch
 * must outlive the call. A child that dies is restarted: at once after it
 * ran 10 s or more, else after 1, 2, 4 ... up to 30 s (a crash loop must
 * not spin). SIGHUP is forwarded to every child. On SIGTERM each child
 * gets SIGTERM and the supervisor waits for it (drain_s). In a child,
 * SIGTERM exits at once while idle (prefork_set_busy(false)), else sets
 * prefork_should_stop; SIGHUP sets prefork_take_reload. Returns 0. */
int prefork_supervise(const prefork_sup *sv, const prefork_child *ch, int n);

/* A pool: opens the unix socket at path (mode 0666), or a TCP listener
 * when path is "host:port" without a '/' (SOUK_SOCKET=127.0.0.2:9101),
 * then supervises `workers` children that each call worker_main(fd) (the
 * accept loop), removing the socket at the end. Returns the exit status. */
int prefork_run(const char *path, int workers, const char *pidfile,
                int (*worker_main)(int fd));

/* Installs fn for sig with SA_RESTART and an empty mask; writes the
 * calling process's pid to path (NULL: nothing; a failure is logged, not
 * fatal). */
void prefork_signal(int sig, void (*fn)(int));
void prefork_write_pidfile(const char *path);

/* For children: mark the loop idle (a SIGTERM then exits at once) or busy
 * (SIGTERM waits until the unit of work is done). */
void prefork_set_busy(bool busy);
bool prefork_should_stop(void);
/* True once after a SIGHUP arrived. */
bool prefork_take_reload(void);

#endif
