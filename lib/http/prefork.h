/* prefork: a supervisor that runs N workers on one listening socket. */
#ifndef SOUK_PREFORK_H
#define SOUK_PREFORK_H

#include <stdbool.h>

/* Opens the unix socket at path (mode 0666), writes pidfile (may be NULL),
 * forks `workers` children that each call worker_main(fd), restarts any
 * that die, forwards SIGHUP, and on SIGTERM/SIGINT waits for them to
 * drain before removing the socket. Returns the exit status. */
int prefork_run(const char *path, int workers, const char *pidfile,
                int (*worker_main)(int fd));

/* Shared with other supervisors (souk-worker): installs fn for sig with
 * SA_RESTART and an empty mask; writes the calling process's pid to path
 * (NULL: nothing; a failure is logged, not fatal). */
void prefork_signal(int sig, void (*fn)(int));
void prefork_write_pidfile(const char *path);

/* For workers: mark the accept loop idle (a SIGTERM then exits at once)
 * or busy (SIGTERM waits until the request is done). */
void prefork_set_busy(bool busy);
bool prefork_should_stop(void);
/* True once after a SIGHUP arrived. */
bool prefork_take_reload(void);

#endif
