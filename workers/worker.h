/* worker: what souk-worker's jobs share (consumer groups, the job loops;
 * the runtime of a job process: job.h). */
#ifndef SOUK_WORKER_H
#define SOUK_WORKER_H

#include <stdbool.h>

#include "http/app.h"
#include "core/ctx.h"
#include "shop/event.h"
#include "job.h"

/* A consumer group on one or more streams. apply() runs inside the
 * transaction that also records (group, event id) in consumer_applied,
 * after that row was found new; it returns SOUK_OK, or SOUK_ERR with the
 * failure recorded in c: status 503/500 (or none) is transient (rolled
 * back, left pending, retried after a back-off), any other status is
 * permanent (logged; the event is recorded as applied and acknowledged,
 * so one poison event cannot stop the group). */
typedef struct consumer_def {
	const char *group;            /* "billing": also the consumer_applied name */
	const char *const *topics;    /* NULL-ended: {"orders", NULL} */
	int (*apply)(ctx *c, const event *ev);
	int (*init)(ctx *c);          /* once at job start (may be NULL); <0 exits */
	/* Before the transaction, none open (may be NULL): work that must not
	 * hold its locks, such as a payment provider call. Idempotent (a
	 * redelivery repeats it); a failure counts as apply's. */
	int (*prepare)(ctx *c, const event *ev);
	/* true: the entries of one read are applied in one transaction (one
	 * claim, one commit, one XACK; consumer.c handle_batch); the group
	 * needs no prepare, and a failure re-applies the read one by one. */
	bool batch;
	/* In a batch's transaction, before its applies (may be NULL): take the
	 * locks the applies will, in one order, so that no apply waits for a
	 * lock while holding rows a single writer of that lock needs. */
	int (*batch_lock)(ctx *c, const event *evs, size_t n);
} consumer_def;

extern const consumer_def billing_consumer, notify_consumer, cache_consumer, ledger_consumer;

/* Job loops: each returns when job_stopping() (0) or on a fatal setup
 * error (1); dependency outages are waited out inside. */
int relay_run(ctx *c);
int expiry_run(ctx *c);
int payments_run(ctx *c);
int flash_run(ctx *c);
int payouts_run(ctx *c);
int consumer_run(ctx *c, const consumer_def *def);

/* Statements of the worker's own modules (relay, consumers). */
void relay_register(void);
void consumer_register(void);
void notify_register(void);
void billing_register(void);

/* Every consumer group (relay.c: for the relay's replay after Redis lost
 * its streams, an event counts as delivered once each group of its topic
 * has recorded it). */
extern const consumer_def *const worker_consumers[];

#endif
