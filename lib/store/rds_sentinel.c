/* rds_sentinel: sentinel:// URLs, SENTINEL get-master-addr-by-name, ROLE. */
#include "store/rds_sentinel.h"

#include <hiredis/hiredis.h>
#include <stdio.h>
#include <string.h>

#include "core/buf.h"
#include "core/log.h"

/* A Sentinel that does not answer within this is skipped for the next:
 * the whole question stays well under a request's budget. */
static const struct timeval ask_timeout = {0, 200000};

static int parse_port(const char *p, size_t n, int *port)
{
	int64_t v;
	if (str_to_i64((str){p, n}, 1, 65535, &v) < 0)
		return -1;
	*port = (int)v;
	return 0;
}

int rds_sentinel_parse_url(const char *url, rds_sentinels *s)
{
	static const char scheme[] = "sentinel://";
	memset(s, 0, sizeof(*s));
	if (strncmp(url, scheme, sizeof(scheme) - 1) != 0)
		return -1;
	const char *p = url + sizeof(scheme) - 1;
	const char *slash = strchr(p, '/');
	if (!slash)
		return -1;
	for (;;) {
		const char *comma = memchr(p, ',', (size_t)(slash - p));
		const char *end = comma ? comma : slash;
		const char *colon = memchr(p, ':', (size_t)(end - p));
		if (s->n == RDS_SENTINEL_MAX || !colon || colon == p ||
		    (size_t)(colon - p) >= RDS_HOST_MAX)
			return -1;
		memcpy(s->host[s->n], p, (size_t)(colon - p));
		s->host[s->n][colon - p] = '\0';
		if (parse_port(colon + 1, (size_t)(end - colon - 1), &s->port[s->n]) < 0)
			return -1;
		s->n++;
		if (!comma)
			break;
		p = comma + 1; /* a member must follow: "h:1,/m" is refused */
	}
	const char *name = slash + 1, *db = strchr(name, '/');
	size_t nl = db ? (size_t)(db - name) : strlen(name);
	if (s->n == 0 || nl == 0 || nl >= sizeof(s->master))
		return -1;
	memcpy(s->master, name, nl);
	s->master[nl] = '\0';
	if (db) {
		int64_t v;
		if (str_to_i64(str_c(db + 1), 0, 255, &v) < 0)
			return -1;
		s->dbnum = (int)v;
	}
	return 0;
}

int rds_sentinel_parse_master(const redisReply *rep, char *host, size_t cap, int *port)
{
	if (!rep || rep->type != REDIS_REPLY_ARRAY || rep->elements != 2)
		return -1;
	const redisReply *h = rep->element[0], *p = rep->element[1];
	if (h->type != REDIS_REPLY_STRING || p->type != REDIS_REPLY_STRING || h->len == 0 ||
	    h->len >= cap)
		return -1;
	if (parse_port(p->str, p->len, port) < 0)
		return -1;
	memcpy(host, h->str, h->len);
	host[h->len] = '\0';
	return 0;
}

int rds_sentinel_is_master_role(const redisReply *rep)
{
	return rep && rep->type == REDIS_REPLY_ARRAY && rep->elements > 0 &&
	       rep->element[0]->type == REDIS_REPLY_STRING &&
	       strcmp(rep->element[0]->str, "master") == 0;
}

int rds_sentinel_demoted_error(const char *err)
{
	return err && (strncmp(err, "READONLY", 8) == 0 || strncmp(err, "MASTERDOWN", 10) == 0);
}

int rds_sentinel_ask(rds_sentinels *s, char *host, size_t cap, int *port)
{
	for (int k = 0; k < s->n; k++) {
		int i = (s->next + k) % s->n;
		redisContext *rc = redisConnectWithTimeout(s->host[i], s->port[i], ask_timeout);
		if (!rc || rc->err) {
			log_msg(LOG_WARN, NULL, "redis: sentinel %s:%d: %s", s->host[i], s->port[i],
			        rc ? rc->errstr : "oom");
			if (rc)
				redisFree(rc);
			continue;
		}
		redisSetTimeout(rc, ask_timeout);
		redisReply *rep = redisCommand(rc, "SENTINEL get-master-addr-by-name %s", s->master);
		int ok = rds_sentinel_parse_master(rep, host, cap, port);
		if (rep)
			freeReplyObject(rep);
		redisFree(rc);
		if (ok == 0) {
			s->next = i;
			return 0;
		}
		log_msg(LOG_WARN, NULL, "redis: sentinel %s:%d does not know master %s", s->host[i],
		        s->port[i], s->master);
	}
	return -1;
}
