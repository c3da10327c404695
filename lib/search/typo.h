/* typo: typo tolerance per word (the budget Meilisearch and Typesense
 * document, Damerau distance) and the ranking of corrected queries; pure
 * functions, no I/O, shared by every engine through search_correct.c. */
#ifndef SOUK_TYPO_H
#define SOUK_TYPO_H

#include <stdbool.h>
#include <stdint.h>

/* Words longer than this (in code points) are never corrected. */
#define TYPO_MAX_WORD 48

/* Typos a typed word may carry: 0 below 5 letters, 1 from 5, 2 from 9
 * (letters = UTF-8 code points of the word as typed). */
int typo_budget(const char *typed);

/* Optimal string alignment distance (restricted Damerau-Levenshtein) in
 * code points: insertions, deletions, substitutions and a swap of two
 * adjacent letters each cost one. -1 when a word is longer than
 * TYPO_MAX_WORD or is not UTF-8. */
int typo_osa(const char *a, const char *b);

/* The typos between a typed word and a known one: typo_osa after each
 * run of one repeated letter is read as that letter once ("bedd" = "bed",
 * "sofaaa" = "sofa", "cofee" = "coffee": a held or double-struck key is
 * no typo). -1 as typo_osa. */
int typo_distance(const char *typed, const char *known);

/* true when known is within the typed word's budget (and differs). */
bool typo_within(const char *typed, const char *known);

/* A corrected query and what it brings. */
typedef struct {
	const char *text;   /* the whole query text */
	int64_t total;      /* results it finds (every word) */
	int distance;       /* typos corrected, summed over its words; a split
	                     * of one word in two counts one */
	bool split;         /* one of its words was split in two */
	int64_t ndoc;       /* products whose title or brand holds its rarest
	                     * corrected word (a tie-break: "lifht" is "light",
	                     * not "lift", after "without" where both find the
	                     * same) */
} typo_cand;

/* Ranks v in place, best first: by results weighed against typos (one
 * more typo must bring TYPO_WEIGH times the results: "sofaaa" is "sofa",
 * 93 results, not "soft", 1,433), then fewer typos, then the more
 * common corrected words (ndoc), then the text (so
 * equal inputs rank equally whichever engine counted).
 * Drops candidates that find nothing, repeated texts, and every split
 * that brings no more results than a candidate without one ("blu tooth
 * speaker" never shows beside "bluetooth speaker"). Returns how many
 * remain (at the front of v). */
#define TYPO_WEIGH 50
int typo_rank(typo_cand *v, int n);

/* true when `alt` results are "much more" than `orig`, enough to show the
 * corrected query's results instead of the query as typed: some where
 * there were none, else at least TYPO_MUCH times as many. */
#define TYPO_MUCH 4
bool typo_much_more(int64_t alt, int64_t orig);

#endif
