/* relay: publishes outbox rows in id order to Redis Streams souk:<topic>. */
#include <hiredis/hiredis.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "store/db.h"
#include "shop/event.h"
#include "core/log.h"
#include "store/rds.h"
#include "store/leader.h"
#include "worker.h"

#define RELAY_BATCH 200
#define RELAY_LOCK "7367856001" /* pg advisory lock: one relay batch at a time */
#define EPOCH_KEY "souk:relay:epoch"

/* Polling, not LISTEN/NOTIFY: an idle poll is one index-only query on the
 * partial index of unpublished rows (tens of microseconds), the delay is
 * bounded by the interval (measured in docs/ARCHITECTURE.md), and db.c's
 * dead-connection check relies on a connection never having anything to
 * read while idle, which LISTEN would break. */
static const db_stmt relay_sql[] = {
	{"relay_pending", "SELECT min(id) AS id FROM outbox WHERE published_at IS NULL"},
	{"relay_lock", "SELECT pg_try_advisory_xact_lock(" RELAY_LOCK ") AS locked"},
	{"relay_batch",
	 "SELECT id, topic, key, payload->>'type' AS type, payload::text AS payload,"
	 " (extract(epoch FROM clock_timestamp() - created_at) * 1000)::bigint AS age_ms"
	 " FROM outbox WHERE published_at IS NULL ORDER BY id LIMIT $1"},
	{"relay_mark",
	 "UPDATE outbox SET published_at = clock_timestamp() WHERE id = ANY ($1::bigint[])"},
	/* After Redis lost its streams (restart without persistence): publish
	 * again whatever some group of the event's topic has neither applied
	 * nor given up on; consumers skip what they already applied. */
	{"relay_replay",
	 "UPDATE outbox o SET published_at = NULL"
	 " WHERE o.published_at IS NOT NULL AND o.created_at > now() - interval '7 days'"
	 " AND EXISTS (SELECT 1 FROM unnest($1::text[], $2::text[]) AS g(topic, name)"
	 "             WHERE g.topic = o.topic"
	 "             AND NOT EXISTS (SELECT 1 FROM consumer_applied a"
	 "                             WHERE a.consumer = g.name AND a.event_id = o.id)"
	 "             AND NOT EXISTS (SELECT 1 FROM consumer_failed f"
	 "                             WHERE f.consumer = g.name AND f.event_id = o.id))"},
};

void relay_register(void)
{
	db_register(relay_sql, sizeof(relay_sql) / sizeof(relay_sql[0]));
}

static long maxlen(void)
{
	return (long)cfg_env_num("SOUK_STREAM_MAXLEN", 1000000, 1000, 100000000);
}

const consumer_def *const worker_consumers[] = {&billing_consumer, &notify_consumer,
                                                &cache_consumer, &ledger_consumer, NULL};

/* Every (topic, group) pair as two parallel arrays: "{orders,orders,...}"
 * and "{billing,notifications,...}". */
static void topic_groups(ctx *c, const char **topics, const char **groups)
{
	buf t, g;
	buf_init(&t, c->a, 4096);
	buf_init(&g, c->a, 4096);
	buf_putc(&t, '{');
	buf_putc(&g, '{');
	bool first = true;
	for (const consumer_def *const *d = worker_consumers; *d; d++)
		for (const char *const *tp = (*d)->topics; *tp; tp++) {
			buf_printf(&t, "%s%s", first ? "" : ",", *tp);
			buf_printf(&g, "%s%s", first ? "" : ",", (*d)->group);
			first = false;
		}
	buf_putc(&t, '}');
	buf_putc(&g, '}');
	*topics = t.p;
	*groups = g.p;
}

static int xadd(ctx *c, const char *stream, const char *id, const char *type,
                const char *key, const char *payload, const char *maxlen_s)
{
	const char *argv[] = {"XADD", stream, "MAXLEN", "~", maxlen_s, "*", "id", id,
	                      "type", type, "key", key, "payload", payload};
	return rds_cmd(c, 14, argv, NULL) ? 0 : -1;
}

typedef struct stats {
	long events;
	long long max_age_ms;
	time_t since;
} stats;

/* One locked batch. Returns rows published, 0 when another relay holds
 * the lock, -1 when PostgreSQL or Redis failed (nothing marked: the rows
 * already added are published again later; consumers deduplicate). */
static int batch(ctx *c, stats *st)
{
	char maxlen_s[24];
	snprintf(maxlen_s, sizeof(maxlen_s), "%ld", maxlen());
	if (db_begin(c) < 0)
		return -1;
	db_res *r = db_exec(c, "relay_lock", 0, NULL);
	if (!r)
		goto fail;
	if (!db_bool(r, 0, "locked")) {
		db_rollback(c);
		return 0;
	}
	const char *lim[] = {db_param_i64(c, RELAY_BATCH)};
	r = db_exec(c, "relay_batch", 1, lim);
	if (!r)
		goto fail;
	int n = db_rows(r);
	if (n == 0) {
		db_rollback(c);
		return 0;
	}
	buf ids;
	buf_init(&ids, c->a, 0);
	buf_putc(&ids, '{');
	for (int i = 0; i < n; i++) {
		const char *id = db_val(r, i, "id"), *type = db_val(r, i, "type");
		const char *stream = event_stream(c, db_val(r, i, "topic"));
		if (!type)
			type = ""; /* the consumers reject it; still published in order */
		if (xadd(c, stream, id, type, db_val(r, i, "key"), db_val(r, i, "payload"),
		         maxlen_s) < 0) {
			log_msg(LOG_WARN, NULL, "relay: XADD %s id=%s failed", stream, id);
			goto fail;
		}
		buf_printf(&ids, "%s%s", i ? "," : "", id);
		long long age = db_i64(r, i, "age_ms");
		if (age > st->max_age_ms)
			st->max_age_ms = age;
	}
	buf_putc(&ids, '}');
	const char *p[] = {ids.p};
	if (ids.failed || !db_exec(c, "relay_mark", 1, p) || db_commit(c) < 0)
		goto fail;
	st->events += n;
	return n;
fail:
	db_rollback(c);
	return -1;
}

/* This Redis server's run_id (a new one at every start), or NULL. */
static const char *redis_run_id(ctx *c, char *buf, size_t size)
{
	const char *argv[] = {"INFO", "server"};
	redisReply *rep = rds_cmd(c, 2, argv, NULL);
	if (!rep || rep->type != REDIS_REPLY_STRING)
		return NULL;
	const char *p = strstr(rep->str, "\nrun_id:");
	if (!p)
		return NULL;
	p += strlen("\nrun_id:");
	size_t n = strcspn(p, "\r\n");
	if (n == 0 || n >= size)
		return NULL;
	memcpy(buf, p, n);
	buf[n] = '\0';
	return buf;
}

/* The marker holds the run_id of the Redis server the relay last checked.
 * Another run_id means a restart (or a failover): whatever the server
 * came back with (nothing, or an RDB/AOF that misses the last writes, even
 * a marker of its own) may lack events published before it, so the events
 * some group has not applied are marked unpublished, then the marker set. */
static void check_epoch(ctx *c)
{
	char run_id[64];
	if (!redis_run_id(c, run_id, sizeof(run_id)))
		return;
	const char *argv[] = {"GET", EPOCH_KEY};
	redisReply *rep = rds_cmd(c, 2, argv, NULL);
	if (!rep || (rep->type == REDIS_REPLY_STRING && strcmp(rep->str, run_id) == 0))
		return;
	if (db_begin(c) < 0)
		return;
	db_res *r = db_exec(c, "relay_lock", 0, NULL);
	const char *p[2];
	topic_groups(c, &p[0], &p[1]);
	db_res *u = r && db_bool(r, 0, "locked") ? db_exec(c, "relay_replay", 2, p) : NULL;
	if (!u || db_commit(c) < 0) {
		db_rollback(c);
		return;
	}
	const char *sv[] = {"SET", EPOCH_KEY, run_id};
	rds_cmd(c, 3, sv, NULL);
	log_msg(LOG_INFO, NULL, "relay: Redis is new or restarted (run_id %.8s, %s was %s): %lld "
	        "events not yet applied by every group will be published again", run_id, EPOCH_KEY,
	        rep->type == REDIS_REPLY_STRING ? "another" : "missing", db_affected(u));
}

int relay_run(ctx *c)
{
	int64_t poll_ms = cfg_env_num("SOUK_RELAY_POLL_MS", 100, 5, 10000);
	backoff bo = {0};
	stats st = {0, 0, time(NULL)};
	time_t last_epoch = 0;
	while (!job_stopping()) {
		ctx_begin(c);
		/* one relay polls (the per-batch lock keeps the order anyway;
		 * a leader spares the others the polling and the lock waits) */
		if (!job_lead(c, "relay", LEADER_RELAY))
			continue;
		time_t now = time(NULL);
		if (now != last_epoch) {
			last_epoch = now;
			check_epoch(c);
			ctx_begin(c);
		}
		if (now - st.since >= 60) {
			if (st.events)
				log_msg(LOG_INFO, NULL, "relay: published %ld events in %lld s, max delay "
				        "%lld ms", st.events, (long long)(now - st.since), st.max_age_ms);
			st = (stats){0, 0, now};
		}
		db_res *r = db_exec(c, "relay_pending", 0, NULL);
		if (!r) {
			backoff_wait(&bo, "relay", "PostgreSQL unavailable");
			continue;
		}
		int n = db_null(r, 0, "id") ? 0 : batch(c, &st);
		if (n < 0) {
			backoff_wait(&bo, "relay", "publishing failed (PostgreSQL or Redis down)");
			continue;
		}
		backoff_reset(&bo, "relay");
		if (n < RELAY_BATCH)
			job_sleep_ms((int)poll_ms);
	}
	return 0;
}
