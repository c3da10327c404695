/* consumer: the loop every consumer group runs (read, dedupe, apply, ack). */
#include <hiredis/hiredis.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "core/buf.h"
#include "store/db.h"
#include "shop/event.h"
#include "core/log.h"
#include "store/rds.h"
#include "worker.h"

#define MAX_STREAMS 4
#define READ_COUNT "50"
/* Below rds.c's 500 ms command timeout, so a blocked read is not taken for
 * a dead connection; also how long SIGTERM may wait for an idle consumer. */
#define BLOCK_MS "250"
/* Entries another consumer left unacknowledged this long are taken over
 * (SOUK_CLAIM_IDLE_MS, default 60 s; checked every half of that, at most
 * every 30 s). */
static int64_t claim_idle_ms(void)
{
	return cfg_env_num("SOUK_CLAIM_IDLE_MS", 60000, 100, 3600000);
}

static const db_stmt consumer_sql[] = {
	/* Taken first, in the transaction of the effect: a row already there
	 * means the event was applied (skip, acknowledge); the primary key
	 * also makes a second consumer of the same event wait, then skip. */
	{"consumer_claim",
	 "INSERT INTO consumer_applied (consumer, event_id) VALUES ($1, $2)"
	 " ON CONFLICT DO NOTHING"},
	/* a batch's claims in one statement (consumer_def.batch): the
	 * events not applied before */
	{"consumer_claim_many",
	 "INSERT INTO consumer_applied (consumer, event_id) SELECT $1, unnest($2::bigint[])"
	 " ON CONFLICT DO NOTHING RETURNING event_id"},
	{"consumer_give_up",
	 "INSERT INTO consumer_failed (consumer, event_id, status, error, attempts)"
	 " VALUES ($1, $2, $3, $4, $5) ON CONFLICT (consumer, event_id) DO UPDATE"
	 " SET status = EXCLUDED.status, error = EXCLUDED.error,"
	 "     attempts = consumer_failed.attempts + EXCLUDED.attempts, failed_at = now()"},
};

void consumer_register(void)
{
	db_register(consumer_sql, sizeof(consumer_sql) / sizeof(consumer_sql[0]));
}

typedef struct group {
	const consumer_def *def;
	const char *name;               /* this consumer within the group */
	const char *streams[MAX_STREAMS];
	int nstreams;
	long applied, repeated, rejected; /* since the last summary line */
	char failing[64];               /* the entry that failed last, and how often */
	int attempts;
} group;

/* An event that keeps failing for a reason other than a dependency being
 * down (a payment provider refusing a capture, a bug) would block its
 * group for good: after this many attempts in a row it is written to
 * consumer_failed (group, event, status, error), logged as an error and
 * acknowledged. It is not in consumer_applied; an operator re-drives it
 * by deleting the consumer_failed row and unpublishing the outbox row. */
static int max_attempts(void) /* SOUK_MAX_ATTEMPTS, default 10 */
{
	return (int)cfg_env_num("SOUK_MAX_ATTEMPTS", 10, 1, 1000);
}

/* Creates the group on each stream (from id 0, so events published while
 * no consumer ran are read) unless it exists. -1 when Redis is down. */
static int ensure_groups(ctx *c, const group *g)
{
	for (int i = 0; i < g->nstreams; i++) {
		const char *ex[] = {"EXISTS", g->streams[i]};
		redisReply *r = rds_cmd(c, 2, ex, NULL);
		if (!r)
			return -1;
		bool have = false;
		if (r->type == REDIS_REPLY_INTEGER && r->integer == 1) {
			const char *info[] = {"XINFO", "GROUPS", g->streams[i]};
			redisReply *gi = rds_cmd(c, 3, info, NULL);
			if (!gi)
				return -1;
			for (size_t k = 0; gi->type == REDIS_REPLY_ARRAY && k < gi->elements; k++) {
				redisReply *e = gi->element[k]; /* name, <group>, consumers, ... */
				for (size_t f = 0; e->type == REDIS_REPLY_ARRAY && f + 1 < e->elements; f += 2)
					if (e->element[f]->type == REDIS_REPLY_STRING &&
					    strcmp(e->element[f]->str, "name") == 0 &&
					    e->element[f + 1]->type == REDIS_REPLY_STRING &&
					    strcmp(e->element[f + 1]->str, g->def->group) == 0)
						have = true;
			}
		}
		if (have)
			continue;
		const char *mk[] = {"XGROUP", "CREATE", g->streams[i], g->def->group, "0", "MKSTREAM"};
		if (!rds_cmd(c, 6, mk, NULL))
			return -1;
		log_msg(LOG_INFO, NULL, "%s: created group on %s from the start", g->def->group,
		        g->streams[i]);
	}
	return 0;
}

static int ack(ctx *c, const group *g, const char *stream, const char *entry)
{
	const char *argv[] = {"XACK", stream, g->def->group, entry};
	return rds_cmd(c, 4, argv, NULL) ? 0 : -1;
}

/* Records the event as applied on its own (after a permanent failure). */
static void record_only(ctx *c, const group *g, const event *ev)
{
	ctx_clear(c);
	const char *p[] = {g->def->group, db_param_i64(c, ev->id)};
	if (db_begin(c) < 0)
		return;
	if (!db_exec(c, "consumer_claim", 2, p) || db_commit(c) < 0)
		db_rollback(c);
}

static int give_up(ctx *c, group *g, const char *stream, const char *eid, const event *ev,
                   int status, const char *why)
{
	const char *p[] = {g->def->group, db_param_i64(c, ev->id), db_param_i64(c, status),
	                   why ? why : "", db_param_i64(c, g->attempts)};
	ctx_clear(c);
	if (!db_exec(c, "consumer_give_up", 5, p))
		return -1;
	log_msg(LOG_ERROR, NULL, "%s: event %lld (%s key=%s) failed %d times (%d %s); given up: "
	        "see consumer_failed", g->def->group, (long long)ev->id, ev->type, ev->key,
	        g->attempts, status, why ? why : "");
	g->attempts = 0;
	g->failing[0] = '\0';
	return ack(c, g, stream, eid);
}

/* apply (or prepare) failed: transient (none or 5xx) is retried, 503 as
 * long as it takes, others up to SOUK_MAX_ATTEMPTS; anything else is
 * permanent: recorded as applied and acknowledged. */
static int failed(ctx *c, group *g, const char *stream, const char *eid, const event *ev)
{
	const char *group_name = g->def->group;
	int status = c->err_status;
	if (db_in_tx(c->db))
		db_rollback(c);
	if (status == 0 || status >= 500) {
		log_msg(LOG_WARN, NULL, "%s: event %lld (%s) failed (%d %s); will retry", group_name,
		        (long long)ev->id, ev->type, status, c->err_msg ? c->err_msg : "");
		if (status == 503) /* a dependency is down: wait as long as it takes */
			return -1;
		if (strcmp(g->failing, eid) != 0) {
			snprintf(g->failing, sizeof(g->failing), "%s", eid);
			g->attempts = 0;
		}
		if (++g->attempts < max_attempts())
			return -1;
		return give_up(c, g, stream, eid, ev, status, c->err_msg ? str_dup(c->a, str_c(c->err_msg)) : NULL);
	}
	log_msg(LOG_ERROR, NULL, "%s: event %lld (%s key=%s) cannot be applied (%d %s); "
	        "recorded and skipped", group_name, (long long)ev->id, ev->type, ev->key, status,
	        c->err_msg ? c->err_msg : "");
	record_only(c, g, ev);
	g->rejected++;
	return ack(c, g, stream, eid);
}
/* An entry's field/value list as an event (event_parse); -1 when it is
 * not one. */
static int parse_fields(ctx *c, redisReply *f, event *ev)
{
	str *fields = arena_alloc(c->a, (f->elements + 1) * sizeof(str));
	if (!fields)
		return -1;
	for (size_t i = 0; i < f->elements; i++)
		fields[i] = f->element[i]->type == REDIS_REPLY_STRING
		                ? (str){f->element[i]->str, f->element[i]->len}
		                : (str){"", 0};
	return event_parse(c, fields, f->elements, ev);
}

/* One entry: 0 done (acknowledged), -1 transient failure (left pending). */
static int handle(ctx *c, group *g, const char *stream, redisReply *entry)
{
	const char *group_name = g->def->group;
	if (entry->type != REDIS_REPLY_ARRAY || entry->elements < 2 ||
	    entry->element[0]->type != REDIS_REPLY_STRING)
		return 0;
	const char *eid = entry->element[0]->str;
	redisReply *f = entry->element[1];
	if (f->type != REDIS_REPLY_ARRAY) { /* trimmed away while pending */
		log_msg(LOG_WARN, NULL, "%s: %s %s has no data (trimmed); acknowledged", group_name,
		        stream, eid);
		return ack(c, g, stream, eid);
	}
	event ev;
	if (parse_fields(c, f, &ev) < 0) {
		log_msg(LOG_ERROR, NULL, "%s: %s %s is not a valid event; acknowledged and skipped",
		        group_name, stream, eid);
		return ack(c, g, stream, eid);
	}
	/* work that must not run inside the event's transaction (a payment
	 * provider call); idempotent, so a redelivery may repeat it */
	if (g->def->prepare && g->def->prepare(c, &ev) != SOUK_OK)
		return failed(c, g, stream, eid, &ev);
	const char *p[] = {group_name, db_param_i64(c, ev.id)};
	if (db_begin(c) < 0)
		return -1;
	db_res *r = db_exec(c, "consumer_claim", 2, p);
	if (!r) {
		db_rollback(c);
		return -1;
	}
	if (db_affected(r) == 0) {
		db_rollback(c);
		g->repeated++;
		log_msg(LOG_INFO, NULL, "%s: event %lld (%s) already applied; acknowledged",
		        group_name, (long long)ev.id, ev.type);
		return ack(c, g, stream, eid);
	}
	if (g->def->apply(c, &ev) == SOUK_OK) {
		if (db_commit(c) < 0)
			return -1;
		g->attempts = 0;
		g->applied++;
		log_msg(LOG_DEBUG, NULL, "%s: applied event %lld (%s key=%s)", group_name,
		        (long long)ev.id, ev.type, ev.key);
		return ack(c, g, stream, eid);
	}
	return failed(c, g, stream, eid, &ev);
}

/* The entry's event, for a batch; false when it is not a plain event
 * (trimmed, malformed): such an entry goes through handle(). */
static bool batch_event(ctx *c, redisReply *entry, event *ev)
{
	if (entry->type != REDIS_REPLY_ARRAY || entry->elements < 2 ||
	    entry->element[0]->type != REDIS_REPLY_STRING || entry->element[1]->type != REDIS_REPLY_ARRAY)
		return false;
	return parse_fields(c, entry->element[1], ev) == 0;
}

/* A group with def->batch applies the entries of one read together: one
 * transaction claims them all in one statement, applies each event new to
 * the group, commits once, and one XACK acknowledges them. 0 done; 1 not
 * done (an odd entry, an apply or the commit failed: rolled back, and the
 * caller applies the entries one by one, so a failing event is isolated
 * and handled as always); -1 the database is unreachable. */
static int handle_batch(ctx *c, group *g, const char *stream, redisReply *list)
{
	size_t n = list->elements;
	event *evs = arena_alloc(c->a, (n + 1) * sizeof(*evs));
	const char **ack_argv = arena_alloc(c->a, (n + 3) * sizeof(*ack_argv));
	bool *fresh = arena_alloc(c->a, (n + 1) * sizeof(*fresh));
	if (!evs || !ack_argv || !fresh)
		return 1;
	buf ids;
	buf_init(&ids, c->a, 24 * n + 8);
	buf_putc(&ids, '{');
	for (size_t i = 0; i < n; i++) {
		if (!batch_event(c, list->element[i], &evs[i]))
			return 1;
		buf_printf(&ids, "%s%lld", i ? "," : "", (long long)evs[i].id);
		ack_argv[3 + i] = list->element[i]->element[0]->str;
		fresh[i] = false;
	}
	buf_putc(&ids, '}');
	if (db_begin(c) < 0)
		return -1;
	const char *p[] = {g->def->group, ids.p};
	db_res *r = db_exec(c, "consumer_claim_many", 2, p);
	if (!r) {
		db_rollback(c);
		return 1;
	}
	/* each claimed id once, at its first entry (a redelivery may repeat it) */
	for (int k = 0; k < db_rows(r); k++)
		for (size_t i = 0; i < n; i++)
			if (evs[i].id == db_i64(r, k, "event_id")) {
				fresh[i] = true;
				break;
			}
	if (db_rows(r) > 0 && g->def->batch_lock && g->def->batch_lock(c, evs, n) != SOUK_OK) {
		db_rollback(c);
		ctx_clear(c);
		return 1;
	}
	long applied = 0;
	for (size_t i = 0; i < n; i++) {
		if (!fresh[i])
			continue;
		if (g->def->apply(c, &evs[i]) != SOUK_OK) {
			log_msg(LOG_INFO, NULL, "%s: event %lld (%s) failed in a batch (%d %s); applying "
			        "the batch one by one", g->def->group, (long long)evs[i].id, evs[i].type,
			        c->err_status, c->err_msg ? c->err_msg : "");
			db_rollback(c);
			ctx_clear(c);
			return 1;
		}
		applied++;
	}
	if (db_commit(c) < 0) {
		ctx_clear(c);
		return 1;
	}
	g->attempts = 0;
	g->applied += applied;
	g->repeated += (long)n - applied;
	ack_argv[0] = "XACK";
	ack_argv[1] = stream;
	ack_argv[2] = g->def->group;
	/* not acknowledged (Redis down): read again as pending, found applied */
	return rds_cmd(c, (int)n + 3, ack_argv, NULL) ? 0 : -1;
}

/* Takes over entries another consumer of the group left unacknowledged
 * for a minute (it died). Returns how many became ours. */
static long autoclaim(ctx *c, const group *g)
{
	long n = 0;
	char idle[24];
	snprintf(idle, sizeof(idle), "%lld", (long long)claim_idle_ms());
	for (int i = 0; i < g->nstreams; i++) {
		const char *argv[] = {"XAUTOCLAIM", g->streams[i], g->def->group, g->name,
		                      idle, "0-0", "COUNT", "100", "JUSTID"};
		redisReply *r = rds_cmd(c, 9, argv, NULL);
		if (r && r->type == REDIS_REPLY_ARRAY && r->elements >= 2 &&
		    r->element[1]->type == REDIS_REPLY_ARRAY)
			n += (long)r->element[1]->elements;
	}
	if (n)
		log_msg(LOG_INFO, NULL, "%s: claimed %ld entries left by another consumer",
		        g->def->group, n);
	return n;
}

/* One XREADGROUP: pending (id 0: our delivered, unacknowledged entries)
 * or new (">", blocking briefly). Returns entries seen, -1 on failure. */
static long read_once(ctx *c, group *g, bool pending, bool *failed)
{
	const char *argv[8 + 2 * MAX_STREAMS];
	int n = 0;
	argv[n++] = "XREADGROUP";
	argv[n++] = "GROUP";
	argv[n++] = g->def->group;
	argv[n++] = g->name;
	argv[n++] = "COUNT";
	argv[n++] = READ_COUNT;
	if (!pending) {
		argv[n++] = "BLOCK";
		argv[n++] = BLOCK_MS;
	}
	argv[n++] = "STREAMS";
	for (int i = 0; i < g->nstreams; i++)
		argv[n++] = g->streams[i];
	for (int i = 0; i < g->nstreams; i++)
		argv[n++] = pending ? "0" : ">";
	*failed = false;
	redisReply *r = rds_cmd(c, n, argv, NULL);
	if (!r)
		return -1;
	if (r->type != REDIS_REPLY_ARRAY)
		return 0; /* nil: nothing new within BLOCK_MS */
	long seen = 0;
	for (size_t s = 0; s < r->elements; s++) {
		redisReply *sr = r->element[s]; /* [stream, [entries]] */
		if (sr->type != REDIS_REPLY_ARRAY || sr->elements < 2 ||
		    sr->element[0]->type != REDIS_REPLY_STRING ||
		    sr->element[1]->type != REDIS_REPLY_ARRAY)
			continue;
		const char *stream = sr->element[0]->str;
		if (g->def->batch && sr->element[1]->elements > 1 && !job_stopping()) {
			int b = handle_batch(c, g, stream, sr->element[1]);
			if (b < 0) {
				*failed = true;
				return seen;
			}
			if (b == 0) {
				seen += (long)sr->element[1]->elements;
				continue;
			}
		}
		for (size_t e = 0; e < sr->element[1]->elements && !job_stopping(); e++) {
			seen++;
			if (handle(c, g, stream, sr->element[1]->element[e]) < 0) {
				*failed = true;
				return seen;
			}
			ctx_clear(c);
		}
	}
	return seen;
}

int consumer_run(ctx *c, const consumer_def *def)
{
	static char host[128];
	group g = {.def = def};
	const char *name = getenv("SOUK_WORKER_NAME");
	if (!name || !*name) {
		if (gethostname(host, sizeof(host) - 1) < 0 || !*host)
			snprintf(host, sizeof(host), "souk");
		name = host;
	}
	g.name = name;
	for (const char *const *t = def->topics; *t && g.nstreams < MAX_STREAMS; t++) {
		char *s = malloc(strlen(*t) + 6);
		if (!s)
			abort();
		snprintf(s, strlen(*t) + 6, "souk:%s", *t);
		g.streams[g.nstreams++] = s;
	}
	if (def->init && def->init(c) < 0)
		return 1;
	backoff bo = {0};
	bool ready = false, pending = true;
	time_t last_claim = 0, last_summary = time(NULL);
	int64_t claim_every = claim_idle_ms() / 2000;
	if (claim_every < 1)
		claim_every = 1;
	if (claim_every > 30)
		claim_every = 30;
	while (!job_stopping()) {
		ctx_begin(c);
		if (time(NULL) - last_summary >= 60) {
			if (g.applied || g.repeated || g.rejected)
				log_msg(LOG_INFO, NULL, "%s: applied %ld events, skipped %ld seen before, "
				        "rejected %ld in the last minute", def->group, g.applied, g.repeated,
				        g.rejected);
			g.applied = g.repeated = g.rejected = 0;
			last_summary = time(NULL);
		}
		if (!ready) {
			if (ensure_groups(c, &g) < 0) {
				backoff_wait(&bo, def->group, "Redis unavailable");
				continue;
			}
			ready = pending = true;
		}
		time_t now = time(NULL);
		if (now - last_claim >= claim_every) {
			last_claim = now;
			if (autoclaim(c, &g) > 0)
				pending = true;
		}
		bool failed;
		long seen = read_once(c, &g, pending, &failed);
		if (seen < 0) {
			/* Redis down, or restarted without our group (NOGROUP) */
			ready = false;
			backoff_wait(&bo, def->group, "reading the stream failed");
			continue;
		}
		if (failed) {
			pending = true; /* the failed entry is retried first */
			backoff_wait(&bo, def->group, "applying an event failed");
			continue;
		}
		backoff_reset(&bo, def->group);
		if (pending && seen == 0)
			pending = false; /* caught up with what was delivered before */
	}
	for (int i = 0; i < g.nstreams; i++)
		free((void *)g.streams[i]);
	return 0;
}
