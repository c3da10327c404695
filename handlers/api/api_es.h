/* api_es: POST /api/v1/products/_search, the Elasticsearch-style endpoint. */
#ifndef SOUK_API_ES_H
#define SOUK_API_ES_H

#include "core/ctx.h"

/* Runs an Elasticsearch-shaped query (lib/search/search_es.h) and answers in
 * Elasticsearch's response shape; 400 naming any unsupported clause. */
int api_es_search(ctx *c);

#endif
