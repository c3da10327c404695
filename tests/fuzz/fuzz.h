/* fuzz: what the libFuzzer harnesses share (a store-less ctx, fake requests, checks). */
#ifndef SOUK_FUZZ_H
#define SOUK_FUZZ_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#include "http/app.h"
#include "http/json_reply.h"
#include "http/query.h"
#include "http/req.h"
#include "http/resp.h"
#include "store/store.h"
#include "search/search.h"

/* The harness's context, made once per process: db and Redis point at
 * addresses that do not exist (a harness that reaches a store gets the
 * 503 path, never a server), logs at error level only so a run's output
 * is libFuzzer's. Each input starts with fuzz_begin. */
ctx *fuzz_ctx(void);
/* Resets the context for the next input (arena, request, failure). */
void fuzz_begin(ctx *c);

/* Splits the input into a fake FastCGI environment and a body: lines
 * "KEY=VALUE" up to the first empty line, the rest is the body. NUL bytes
 * end a line (the environment holds C strings). At most 64 entries;
 * everything lives in c's arena. */
char **fuzz_env(ctx *c, const uint8_t *data, size_t size, str *body);

/* A copy of the input, NUL-terminated, in c's arena. */
char *fuzz_cstr(ctx *c, const uint8_t *data, size_t size);

/* An invariant the code under test promises: a broken one is a crash
 * libFuzzer records, like a sanitizer report. */
#define FUZZ_CHECK(cond)                                                                   \
	do {                                                                                   \
		if (!(cond)) {                                                                     \
			fprintf(stderr, "%s:%d: invariant broken: %s\n", __FILE__, __LINE__, #cond);   \
			abort();                                                                       \
		}                                                                                  \
	} while (0)

/* A ctx_fail that leaves the recorded failure well formed: a 4xx/5xx, a
 * code and a message (what the dispatcher renders). */
void fuzz_check_failure(const ctx *c);

/* search_execute (validation, normalisation, resolve, the relaxation
 * passes) on souk-searchd's memory engine over a small index built
 * without PostgreSQL; the free text's terms are its words (what statement
 * search_parse gives, minus stemming); typo correction (PostgreSQL) is
 * off. A failure must be a 400, a 404 (no such category id) or a 501 (a
 * tsquery the engine cannot parse). */
int fuzz_search_execute(ctx *c, const search_query *q, search_result *out);

/* search_query_to_json then search_query_from_json gives q back (the
 * handler's query and souk-searchd's are the same value); q must be valid
 * (search_execute accepted it). */
void fuzz_check_wire_roundtrip(ctx *c, const search_query *q);

#endif
