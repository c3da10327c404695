/* api_search: GET /api/v1/search and /api/v1/search/suggest (JSON). */
#ifndef SOUK_API_SEARCH_H
#define SOUK_API_SEARCH_H

#include "core/ctx.h"

int api_search(ctx *c);
int api_search_suggest(ctx *c);

#endif
