/* search_sql: SQL shared by the search engines: the free-text query
 * terms as PostgreSQL derives them (the SQL engine's statements and the
 * memory engine's search_parse both start from S_TEXT_Q). */
#ifndef SOUK_SEARCH_SQL_H
#define SOUK_SEARCH_SQL_H

#include "search/typo.h"

/* S_TEXT_Q's truncation ratio (the "50 *" below) is TYPO_WEIGH. */
_Static_assert(TYPO_WEIGH == 50, "S_TEXT_Q: truncation ratio");

/* The free text $1 (normalised: lower case, single spaces) as query
 * terms. Words after "without" up to the next with/for/and/in/on are
 * unwanted: not required, and they lower the score of products that have
 * them by as much as a wanted word raises it; a product that says
 * "without X" gets twice that back (it lacks X: "belt strap without
 * buckle"; "X free" is not read so: "tool-free" is no case without
 * tools). Each term weighs its inverse document frequency from the
 * planner's statistics on search_doc, copied into search_lexeme_freq by
 * search_refresh_freq() (003_search.sql); rarer lexemes get half the
 * smallest frequency listed. A word that is one of the catalog's compound
 * words (search_compounds, 080) also matches its two parts as a phrase
 * ("bandsaw": 'bandsaw' | 'band' <-> 'saw'), and two adjacent words whose
 * join is one also match the joined word ("table top": 'tabl' |
 * 'tabletop' and 'top' | 'tabletop'). A word of 4+ letters that is the
 * start of a title/brand word (search_words) at least 50 times as common
 * as itself (0 times: a word of no title) also matches the most common
 * such word: a truncation ("stain steel": 'stain' | 'stainless'; "yello":
 * 'yello' | 'yellow'); 50 is typo.h's TYPO_WEIGH, the price of one typo,
 * as a dropped ending is one, and a word common in its own right is not
 * stretched ("sand" is no "sandal"). It keeps the typed word's idf, as
 * compounds do. lx holds each word's single lexeme, tm each term with its
 * alternatives (t) and without (t0), and the websearch query gets the
 * same alternatives by search_rewrite. q holds:
 *   tsq    what must match: the websearch query (quotes, -word, or) of the
 *          wanted words; RELAXED 1: every wanted word but one (either of
 *          two); RELAXED 2: any wanted word. Text without a
 *          lexeme (stop words only) is not parsed at all: no NOTICE in
 *          the logs, NULL matches nothing.
 *   andq   every wanted word, for the "matches every word" bonus
 *   orq    any wanted word, for the first, cheap ranking pass
 *   terms, idfs   the terms and their weights; bigrams: adjacent wanted
 *          terms as phrases, for the proximity bonus. */
#define S_TEXT_Q(RELAXED)                                                                 \
	" w1 AS (SELECT w, k, max(k) FILTER (WHERE w = 'without') OVER (ORDER BY k) AS wk"      \
	"        FROM unnest(string_to_array($1::text, ' ')) WITH ORDINALITY AS x(w, k)),"        \
	" w2 AS (SELECT w, k, wk IS NOT NULL AND k > wk AND NOT EXISTS (SELECT 1 FROM w1 z"    \
	"        WHERE z.k > w1.wk AND z.k <= w1.k AND z.w IN ('with', 'for', 'and', 'in', 'on'))" \
	"        AS neg FROM w1),"                                                              \
	" lx AS (SELECT w2.k, CASE WHEN w2.w NOT LIKE '-%' AND length(y.v) = 1"                 \
	"        THEN (tsvector_to_array(y.v))[1] END AS l"                                      \
	"        FROM w2 CROSS JOIN LATERAL (SELECT to_tsvector('souk', w2.w) AS v) y),"          \
	" tm AS (SELECT CASE WHEN a.alt IS NULL THEN x.t ELSE x.t || a.alt END AS t, x.t AS t0,"  \
	"        w2.k, w2.neg,"                                                                  \
	"        (CASE WHEN w2.neg THEN -1.0 ELSE 1 END) * -ln(greatest(1e-9, COALESCE("      \
	"          (SELECT max(f.freq) FROM search_lexeme_freq f WHERE f.lexeme = ANY ("        \
	"             tsvector_to_array(to_tsvector('souk', w2.w)))),"                          \
	"          (SELECT max(freq) FROM search_freq_default), 0.01))) AS idf"                 \
	"        FROM w2 CROSS JOIN LATERAL (SELECT plainto_tsquery('souk', w2.w) AS t) x"     \
	"        CROSS JOIN LATERAL (SELECT search_or(y.q ORDER BY y.o, y.n DESC, y.q::text)"     \
	"          AS alt FROM lx l0 CROSS JOIN LATERAL ("                                        \
	"            SELECT 1 AS o, c.ndoc AS n,"                                                 \
	"              tsquery_phrase(c.first::tsquery, c.second::tsquery) AS q"                 \
	"              FROM search_compounds c WHERE c.lexeme = l0.l"                             \
	"            UNION ALL SELECT 2, c.ndoc, c.lexeme::tsquery FROM lx lp"                   \
	"              JOIN search_compounds c ON c.first = lp.l AND c.second = l0.l"            \
	"              WHERE lp.k = l0.k - 1"                                                     \
	"            UNION ALL SELECT 3, c.ndoc, c.lexeme::tsquery FROM lx ln"                   \
	"              JOIN search_compounds c ON c.first = l0.l AND c.second = ln.l"            \
	"              WHERE ln.k = l0.k + 1"                                                     \
	"            UNION ALL (SELECT 4, s.ndoc, plainto_tsquery('souk', s.word)"                \
	"              FROM search_words s WHERE length(w2.w) >= 4 AND w2.w ~ '^[a-z]+$'"          \
	"              AND s.word LIKE w2.w || '_%'"                                               \
	"              AND s.ndoc >= 50 * COALESCE((SELECT r.ndoc FROM search_words r"             \
	"                WHERE r.word = w2.w), 0)"                                                 \
	"              AND length(to_tsvector('souk', s.word)) = 1"                                \
	"              AND (tsvector_to_array(to_tsvector('souk', s.word)))[1]"                    \
	"                IS DISTINCT FROM l0.l"                                                    \
	"              ORDER BY s.ndoc DESC, s.word LIMIT 1)"                                      \
	"            ) y WHERE l0.k = w2.k) a"                                                     \
	"        WHERE w2.w <> 'without' AND w2.w NOT LIKE '-%'"                               \
	"        AND length(to_tsvector('souk', w2.w)) > 0),"                                  \
	" tw AS (SELECT t, k, 0 AS x, idf FROM tm UNION ALL"                                   \
	"        SELECT tsquery_phrase('without'::tsquery, t0),"                                         \
	"        k, 1, -2 * idf FROM tm WHERE neg),"                                             \
	" q AS (SELECT CASE " RELAXED "::int"                                                  \
	"         WHEN 2 THEN (SELECT search_or(t ORDER BY k) FROM tm WHERE NOT neg AND idf > 0)" \
	"         WHEN 1 THEN (SELECT search_or(x.sub ORDER BY x.k) FROM (SELECT t1.k, (SELECT" \
	"               search_and(t2.t ORDER BY t2.k) FROM tm t2 WHERE NOT t2.neg"            \
	"               AND t2.k <> t1.k) AS sub FROM tm t1 WHERE NOT t1.neg) x)"              \
	"         ELSE (SELECT search_rewrite(websearch_to_tsquery('souk', s),"                  \
	"               ARRAY(SELECT t0 FROM tm WHERE t0::text <> t::text ORDER BY k),"          \
	"               ARRAY(SELECT t FROM tm WHERE t0::text <> t::text ORDER BY k))"           \
	"               FROM (SELECT string_agg(w, ' '"                                          \
	"               ORDER BY k) AS s FROM w2 WHERE NOT neg AND w <> 'without') x"           \
	"               WHERE length(to_tsvector('souk', s)) > 0) END AS tsq,"                 \
	"        (SELECT search_and(t ORDER BY k) FROM tm WHERE NOT neg) AS andq,"             \
	"        (SELECT search_or(t ORDER BY k) FROM tm WHERE NOT neg) AS orq,"               \
	"        ARRAY(SELECT t FROM tw ORDER BY k, x) AS terms,"                               \
	"        ARRAY(SELECT idf FROM tw ORDER BY k, x) AS idfs,"                              \
	"        ARRAY(SELECT tsquery_phrase(a.t, b.t) FROM tm a JOIN tm b"                     \
	"              ON b.k = (SELECT min(c.k) FROM tm c WHERE c.k > a.k)"                   \
	"              WHERE NOT a.neg AND NOT b.neg) AS bigrams),"
#endif
