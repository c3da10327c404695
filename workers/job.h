/* job: the runtime of souk-worker's jobs: one supervised process each,
 * the stop and reload flags, sleeping, back-off. */
#ifndef SOUK_JOB_H
#define SOUK_JOB_H

#include <stdbool.h>
#include <stdint.h>

#include "core/ctx.h"

/* A job: run(c) loops until job_stopping(), then returns 0; 1 on a fatal
 * setup error (the supervisor restarts it with back-off). c is the job's
 * own context (PostgreSQL, Redis, arena) for its whole life. */
typedef struct job {
	const char *name;
	int (*run)(ctx *c);
} job;

/* Runs every job of jobs[0..n) in a process of its own (lib/http/prefork.c:
 * restarted when it dies, SIGHUP forwarded, stopped with the supervisor),
 * writes pidfile (may be NULL), and on SIGTERM/SIGINT gives the jobs 20 s
 * to finish their current unit of work before killing them. jobs must
 * outlive the call. Returns the exit status. */
int job_supervise(const job *jobs, int n, const char *pidfile);

/* Set by SIGTERM/SIGINT in a job process: finish the current unit of work
 * (one batch, one event) and return from the job's loop. */
bool job_stopping(void);

/* True once after a SIGHUP reached the job (bin/souk up after a template
 * change): the notifications job then re-reads changed templates. */
bool job_take_reload(void);

/* Sleeps ms milliseconds, returning early when the job should stop. */
void job_sleep_ms(int ms);

/* For a job that must run on one worker of all hosts: true while this
 * job process leads (lib/store/leader.h, key), logging each change; a
 * follower sleeps a second and asks again, so it takes over within about
 * a second of the leader's connection going away. */
bool job_lead(ctx *c, const char *name, int64_t key);

/* Exponential back-off for a failing dependency: 100 ms doubling to 10 s;
 * backoff_wait sleeps the next delay, backoff_reset after a success. */
typedef struct backoff {
	int ms;
} backoff;
void backoff_wait(backoff *b, const char *name, const char *why);
void backoff_reset(backoff *b, const char *name);

#endif
