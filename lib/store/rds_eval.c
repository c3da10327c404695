/* rds_eval: a Lua script run by its SHA-1 (EVALSHA), loaded once per process. */
#include "store/rds_eval.h"

#include <hiredis/hiredis.h>
#include <string.h>

#include "store/rds.h"

#define RDS_EVAL_SCRIPTS 32 /* distinct scripts a process runs this way */
#define RDS_EVAL_ARGS 64

static struct {
	const char *script;
	char sha[41];
} known[RDS_EVAL_SCRIPTS];

/* The script's slot; -1 when the table is full (EVAL then). */
static int slot_of(const char *script)
{
	for (int i = 0; i < RDS_EVAL_SCRIPTS; i++) {
		if (known[i].script == script)
			return i;
		if (!known[i].script) {
			known[i].script = script;
			known[i].sha[0] = '\0';
			return i;
		}
	}
	return -1;
}

static int load(ctx *c, int i)
{
	const char *argv[] = {"SCRIPT", "LOAD", known[i].script};
	redisReply *r = rds_cmd(c, 3, argv, NULL);
	if (!r || r->type != REDIS_REPLY_STRING || r->len != 40)
		return -1;
	memcpy(known[i].sha, r->str, 40);
	known[i].sha[40] = '\0';
	return 0;
}

static redisReply *run(ctx *c, const char *verb, const char *body, int argc, const char **argv,
                       const size_t *lens)
{
	const char *v[RDS_EVAL_ARGS + 2];
	size_t l[RDS_EVAL_ARGS + 2];
	v[0] = verb;
	v[1] = body;
	l[0] = strlen(verb);
	l[1] = strlen(body);
	for (int k = 0; k < argc; k++) {
		v[2 + k] = argv[k];
		l[2 + k] = lens ? lens[k] : strlen(argv[k]);
	}
	return rds_cmd(c, argc + 2, v, l);
}

redisReply *rds_eval(ctx *c, const char *script, int argc, const char **argv, const size_t *lens)
{
	if (argc < 1 || argc > RDS_EVAL_ARGS)
		return NULL;
	int i = slot_of(script);
	if (i < 0)
		return run(c, "EVAL", script, argc, argv, lens);
	if (!known[i].sha[0] && load(c, i) < 0)
		return NULL;
	redisReply *r = run(c, "EVALSHA", known[i].sha, argc, argv, lens);
	if (r)
		return r;
	/* NOSCRIPT, Redis down, or the script failed: only the first is run
	 * again, so nothing runs twice */
	const char *ex[] = {"SCRIPT", "EXISTS", known[i].sha};
	redisReply *e = rds_cmd(c, 3, ex, NULL);
	if (!e || e->type != REDIS_REPLY_ARRAY || e->elements != 1 ||
	    e->element[0]->type != REDIS_REPLY_INTEGER || e->element[0]->integer != 0)
		return NULL;
	if (load(c, i) < 0)
		return NULL;
	return run(c, "EVALSHA", known[i].sha, argc, argv, lens);
}
