/* rds: lazy hiredis connection with timeouts and reconnect back-off. */
#include "store/rds.h"

#include <hiredis/hiredis.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/log.h"
#include "store/rds_sentinel.h"

struct rds {
	char *host;   /* host name, or socket path when unix */
	int port;     /* 0 for a unix socket */
	int dbnum;
	redisContext *rc;
	struct timespec retry_at; /* no reconnect attempt before this */
	bool was_up;              /* connected since the last outage began */
	struct timespec ride_end; /* an outage's first moments: retry until */
	rds_sentinels *sentinels; /* sentinel:// URL: host/port follow the master */
};

static const struct timeval conn_timeout = {0, 200000};
static const struct timeval cmd_timeout = {0, 500000};
/* A Redis restart (a deploy, a crash and respawn) refuses connections,
 * then answers LOADING while it reads its data back: about a second in
 * all. A process that had Redis until a moment ago waits that long,
 * retrying every RIDE_STEP_MS, so the requests of those moments are
 * served instead of answered 503; after RIDE_MS, or when Redis was
 * already gone, callers hear at once and a reconnect is tried once a
 * second (back-off below). */
#define RIDE_MS 2000L
#define RIDE_STEP_MS 100L

rds *rds_new(const char *url)
{
	rds *r = calloc(1, sizeof(*r));
	if (!r)
		abort();
	rds_sentinels s;
	if (rds_sentinel_parse_url(url, &s) == 0) {
		/* the master is asked for at every (re)connect */
		if (!(r->sentinels = malloc(sizeof(s))) || !(r->host = strdup("")))
			abort();
		*r->sentinels = s;
		r->dbnum = s.dbnum;
		return r;
	}
	if (strncmp(url, "unix:", 5) == 0) {
		r->host = strdup(url + 5);
	} else {
		const char *h = strncmp(url, "redis://", 8) == 0 ? url + 8 : url;
		const char *colon = strchr(h, ':');
		const char *slash = strchr(h, '/');
		size_t hl = colon ? (size_t)(colon - h) : slash ? (size_t)(slash - h) : strlen(h);
		r->host = strndup(h, hl);
		r->port = 6379;
		int64_t v;
		if (colon) {
			const char *pe = slash ? slash : colon + strlen(colon);
			if (str_to_i64((str){colon + 1, (size_t)(pe - colon - 1)}, 1, 65535, &v) == 0)
				r->port = (int)v;
		}
		if (slash && str_to_i64(str_c(slash + 1), 0, 255, &v) == 0)
			r->dbnum = (int)v;
	}
	if (!r->host)
		abort();
	return r;
}

static void drop(rds *r)
{
	if (r->rc)
		redisFree(r->rc);
	r->rc = NULL;
}

void rds_free(rds *r)
{
	if (!r)
		return;
	drop(r);
	free(r->host);
	free(r->sentinels);
	free(r);
}

static bool now_before(const struct timespec *t)
{
	struct timespec now;
	clock_gettime(CLOCK_MONOTONIC, &now);
	return now.tv_sec < t->tv_sec || (now.tv_sec == t->tv_sec && now.tv_nsec < t->tv_nsec);
}

static void after_ms(struct timespec *t, long ms)
{
	clock_gettime(CLOCK_MONOTONIC, t);
	t->tv_nsec += ms * 1000000L;
	t->tv_sec += t->tv_nsec / 1000000000L;
	t->tv_nsec %= 1000000000L;
}

static void back_off(rds *r, long ms)
{
	drop(r);
	after_ms(&r->retry_at, ms);
}

/* true after a pause of RIDE_STEP_MS when the outage began less than
 * RIDE_MS ago (the first failure after being up starts the clock). */
static bool ride_out(rds *r)
{
	if (r->was_up) {
		r->was_up = false;
		after_ms(&r->ride_end, RIDE_MS);
	}
	if (!now_before(&r->ride_end))
		return false;
	struct timespec step = {0, RIDE_STEP_MS * 1000000L};
	nanosleep(&step, NULL);
	r->retry_at = (struct timespec){0, 0};
	return true;
}

/* With Sentinels: asks them where the master is now, and checks that the
 * server named still says "master" (it may have been demoted since the
 * Sentinel answered). -1 when no master can be found. */
static int find_master(rds *r)
{
	char host[RDS_HOST_MAX];
	int port;
	if (rds_sentinel_ask(r->sentinels, host, sizeof(host), &port) < 0)
		return -1;
	if (strcmp(host, r->host) != 0 || port != r->port) {
		log_msg(LOG_INFO, NULL, "redis: master of %s is %s:%d", r->sentinels->master, host, port);
		char *h = strdup(host);
		if (!h)
			abort();
		free(r->host);
		r->host = h;
		r->port = port;
	}
	return 0;
}

static bool is_master(rds *r)
{
	redisReply *rep = redisCommand(r->rc, "ROLE");
	bool ok = rds_sentinel_is_master_role(rep);
	if (rep)
		freeReplyObject(rep);
	return ok;
}

/* A down Redis costs one failed connect per second per process, not one
 * per request; behind Sentinels a quarter second, since a failover is
 * expected to end within seconds and the new master must be found soon. */
static int connect_once(rds *r)
{
	long pause = r->sentinels ? 250 : 1000;
	if (r->sentinels && find_master(r) < 0) {
		back_off(r, pause);
		return -1;
	}
	r->rc = r->port ? redisConnectWithTimeout(r->host, r->port, conn_timeout)
	                : redisConnectUnixWithTimeout(r->host, conn_timeout);
	if (!r->rc || r->rc->err) {
		log_msg(LOG_WARN, NULL, "redis: connect failed: %s", r->rc ? r->rc->errstr : "oom");
		back_off(r, pause);
		return -1;
	}
	redisSetTimeout(r->rc, cmd_timeout);
	if (r->sentinels && !is_master(r)) {
		log_msg(LOG_WARN, NULL, "redis: %s:%d is not a master (yet); asking again", r->host,
		        r->port);
		back_off(r, pause);
		return -1;
	}
	if (r->dbnum) {
		redisReply *rep = redisCommand(r->rc, "SELECT %d", r->dbnum);
		bool ok = rep && rep->type != REDIS_REPLY_ERROR;
		if (rep)
			freeReplyObject(rep);
		if (!ok) {
			drop(r);
			return -1;
		}
	}
	return 0;
}

static int ensure(rds *r)
{
	if (r->rc && !r->rc->err)
		return 0;
	drop(r);
	do {
		if (!now_before(&r->retry_at) && connect_once(r) == 0) {
			r->was_up = true;
			return 0;
		}
	} while (ride_out(r));
	return -1;
}

static bool loading(const redisReply *rep)
{
	return rep->type == REDIS_REPLY_ERROR && strncmp(rep->str, "LOADING", 7) == 0;
}

static void reply_free(void *p)
{
	freeReplyObject(p);
}

redisReply *rds_cmd(ctx *c, int argc, const char **argv, const size_t *lens)
{
	rds *r = c->rds;
	if (ensure(r) < 0)
		return NULL;
	redisReply *rep = redisCommandArgv(r->rc, argc, argv, lens);
	if (!rep) {
		/* A connection that died while idle (Redis restarted): one fresh
		 * connection and one more try, so a cache invalidation is not
		 * lost to a stale socket. Souk's commands are safe to repeat. */
		ctx_log(c, LOG_WARN, "redis: %s failed: %s; reconnecting", argv[0], r->rc->errstr);
		drop(r);
		if (ensure(r) < 0)
			return NULL;
		rep = redisCommandArgv(r->rc, argc, argv, lens);
		if (!rep) {
			ctx_log(c, LOG_WARN, "redis: %s failed again: %s", argv[0], r->rc->errstr);
			drop(r);
			return NULL;
		}
	}
	/* LOADING: the command was not run, so asking again is safe */
	while (loading(rep) && ride_out(r)) {
		freeReplyObject(rep);
		if (ensure(r) < 0 || !(rep = redisCommandArgv(r->rc, argc, argv, lens))) {
			drop(r);
			return NULL;
		}
	}
	if (!loading(rep))
		r->was_up = true;
	if (rep->type == REDIS_REPLY_ERROR && r->sentinels && rds_sentinel_demoted_error(rep->str)) {
		/* the master we knew was demoted (Sentinel failed over while we
		 * were connected): find the new one, try once more there */
		ctx_log(c, LOG_WARN, "redis: %s: %s; asking the sentinels", argv[0], rep->str);
		freeReplyObject(rep);
		drop(r);
		if (ensure(r) < 0 || !(rep = redisCommandArgv(r->rc, argc, argv, lens))) {
			drop(r);
			return NULL;
		}
	}
	arena_defer(c->a, reply_free, rep);
	if (rep->type == REDIS_REPLY_ERROR) {
		ctx_log(c, LOG_WARN, "redis: %s: %s", argv[0], rep->str);
		return NULL;
	}
	return rep;
}

int rds_get(ctx *c, const char *key, str *out)
{
	const char *argv[] = {"GET", key};
	size_t lens[] = {3, strlen(key)};
	redisReply *rep = rds_cmd(c, 2, argv, lens);
	if (!rep)
		return -1;
	if (rep->type != REDIS_REPLY_STRING)
		return 0;
	char *p = arena_strndup(c->a, rep->str, rep->len);
	if (!p)
		return -1;
	*out = (str){p, rep->len};
	return 1;
}

int rds_setex(ctx *c, const char *key, int ttl, str val)
{
	char t[16];
	snprintf(t, sizeof(t), "%d", ttl);
	const char *argv[] = {"SETEX", key, t, val.p};
	size_t lens[] = {5, strlen(key), strlen(t), val.len};
	return rds_cmd(c, 4, argv, lens) ? 0 : -1;
}

int rds_del(ctx *c, const char *key)
{
	const char *argv[] = {"DEL", key};
	size_t lens[] = {3, strlen(key)};
	return rds_cmd(c, 2, argv, lens) ? 0 : -1;
}

long long rds_incr(ctx *c, const char *key)
{
	const char *argv[] = {"INCR", key};
	size_t lens[] = {4, strlen(key)};
	redisReply *rep = rds_cmd(c, 2, argv, lens);
	return rep && rep->type == REDIS_REPLY_INTEGER ? rep->integer : -1;
}

bool rds_ping(ctx *c)
{
	const char *argv[] = {"PING"};
	size_t lens[] = {4};
	redisReply *rep = rds_cmd(c, 1, argv, lens);
	return rep != NULL;
}
