/* sx_search: the memory search engine, souk-searchd's answer to one
 * pass of a search over its sx_index: the same hits, total and facets
 * as the SQL engine's statements (search.c), computed in memory. The
 * free text's terms still come from PostgreSQL (statement search_parse,
 * S_TEXT_Q of search_sql.h), remembered per text and relaxation level
 * so a repeated query asks it no more. */
#ifndef SOUK_SX_SEARCH_H
#define SOUK_SX_SEARCH_H

#include "search/search_int.h"
#include "search/sx/sx_index.h"

/* Registers the engine's statements; call once before serving. */
void sx_search_register(void);

/* The memory engine over ix (which must outlive it). Its run_once takes
 * ix's read lock itself. Thread-safe: souk-searchd's threads share it. */
void sx_search_engine(sx_index *ix, search_engine *out);

#endif
