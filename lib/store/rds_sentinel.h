/* rds_sentinel: finds the current Redis master through Redis Sentinel. */
#ifndef SOUK_RDS_SENTINEL_H
#define SOUK_RDS_SENTINEL_H

#include <stddef.h>

struct redisReply;

#define RDS_SENTINEL_MAX 8
#define RDS_HOST_MAX 256

/* Where the Sentinels are and which master they watch, from
 * "sentinel://h1:p1,h2:p2,h3:p3/master[/db]" (hiredis 0.14 has no
 * Sentinel client). Plain values; the struct owns no memory. */
typedef struct rds_sentinels {
	int n;
	char host[RDS_SENTINEL_MAX][RDS_HOST_MAX];
	int port[RDS_SENTINEL_MAX];
	char master[64];
	int dbnum;
	int next; /* the Sentinel asked first: the last that answered */
} rds_sentinels;

/* 0 and *s filled when url is a sentinel URL; -1 when it is not one or is
 * malformed (no Sentinel, a bad port, no master name, more than
 * RDS_SENTINEL_MAX Sentinels). */
int rds_sentinel_parse_url(const char *url, rds_sentinels *s);

/* The master's address from a reply to SENTINEL get-master-addr-by-name
 * (an array of two strings: host, port). 0 on success; -1 for a nil reply
 * (the Sentinel does not know the master), an error or a bad shape. */
int rds_sentinel_parse_master(const struct redisReply *rep, char *host, size_t cap, int *port);

/* true when the reply of ROLE says master (a server a Sentinel named may
 * have been demoted since: clients must check, Sentinel's client rules). */
int rds_sentinel_is_master_role(const struct redisReply *rep);

/* true for an error reply that means "not the master any more": READONLY
 * (a demoted master refuses writes) or a replica's MASTERDOWN. */
int rds_sentinel_demoted_error(const char *err);

/* Asks the Sentinels in turn (the last that answered first) for the
 * master's address, each with a short connect/read timeout. 0 on
 * success; -1 when none answered with an address. */
int rds_sentinel_ask(rds_sentinels *s, char *host, size_t cap, int *port);

#endif
