/* search_correct: typo correction of a query that found little (the
 * corrected query's results shown instead, "did you mean" otherwise),
 * the same for every engine (search.c's execute calls it). */
#ifndef SOUK_SEARCH_CORRECT_H
#define SOUK_SEARCH_CORRECT_H

#include "search/search_int.h"

/* Registers the statement; search_register calls it. */
void search_correct_register(void);

/* text (normalised) found out->total results on engine e. Each misspelt
 * word (not in search_words) gets its candidates within its typo budget
 * (typo.h) and splits into two known words; up to SEARCH_CORRECT_QUERIES
 * corrected queries are counted on e and ranked (typo_rank). When the
 * best brings much more (typo_much_more), *out becomes its results and
 * out->corrected_query its text; the others become out->suggestions
 * (at most 3). When neither the text nor any correction finds anything,
 * out->corrected_query is the best guess with no results yet: the
 * caller relaxes it, and forgets it if that finds nothing. Strings in c's arena. SOUK_OK or SOUK_ERR recorded in c. */
#define SEARCH_CORRECT_QUERIES 6
int search_correct(ctx *c, const search_engine *e, const search_query *q,
                   const search_scope *sc, const char *text, search_result *out);

/* text with each misspelt word replaced by its best candidate (fewest
 * typos, then most products), nothing counted: *fixed, or NULL when no
 * word has one. For the autocomplete's completed words. SOUK_OK or
 * SOUK_ERR recorded in c. */
int search_correct_guess(ctx *c, const char *text, const char **fixed);

#endif
