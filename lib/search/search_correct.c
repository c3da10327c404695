/* search_correct: misspelt words → candidate queries, counted on the engine, ranked. */
#include "search/search_correct.h"

#include "store/db.h"
#include "search/typo.h"

#define PER_WORD 3   /* candidates kept per misspelt word */
#define SHOWN 3      /* "did you mean" entries */

/* Each folded word of $1 (k = position) with its candidates: none when
 * the vocabulary knows it (or it is short or has digits), else splits
 * into two known words ("firestick" -> "fire stick", also of the word
 * with repeated letters made one), the words most similar by trigrams,
 * and the words with its first letter and a near length within its
 * budget + 1 by Levenshtein (a swap costs 2 there, 1 in typo.c). The
 * indexes narrow; typo.c decides. */
#define SQL_SPLITS                                                                      \
	"   (SELECT a.word || ' ' || b.word AS cand, least(a.ndoc, b.ndoc) AS ndoc, true AS split" \
	"     FROM (SELECT DISTINCT v FROM unnest(ARRAY[w.w, w.sq]) AS v) v"                 \
	"     CROSS JOIN generate_series(3, length(v.v) - 3) AS i"                                        \
	"     JOIN search_words a ON a.word = left(v.v, i)"                                   \
	"     JOIN search_words b ON b.word = substr(v.v, i + 1)"                             \
	"     WHERE NOT w.known ORDER BY least(a.ndoc, b.ndoc) DESC, 1 LIMIT 2)"
#define SQL_TRIGRAMS                                                                    \
	"   UNION ALL (SELECT s.word, s.ndoc, false FROM search_words s"                     \
	"     WHERE NOT w.known AND s.word % w.w"                                             \
	"     ORDER BY similarity(s.word, w.w) DESC, s.ndoc DESC, s.word LIMIT 24)"
#define SQL_NEAR                                                                        \
	"   UNION ALL (SELECT s.word, s.ndoc, false FROM search_words s"                     \
	"     WHERE NOT w.known AND w.b > 0 AND left(s.word, 1) = left(w.w, 1)"              \
	"     AND length(s.word) BETWEEN length(w.w) - w.b - 1 AND length(w.w) + w.b + 1"      \
	"     AND levenshtein_less_equal(w.w, s.word, w.b + 1) <= w.b + 1"                    \
	"     ORDER BY levenshtein_less_equal(w.w, s.word, w.b + 1), s.ndoc DESC, s.word LIMIT 24)"
/* The text cut into tokens (k = position): words (runs of letters and
 * digits) and what separates them, kept so a correction changes only the
 * misspelt words ("1/2 incch" -> "1/2 inch", not "1 2 inch"). */
static const db_stmt correct_sql[] = {
	{"search_correct",
	 "WITH t AS (SELECT k, COALESCE(m[1], m[2]) AS tok, m[1] IS NOT NULL AS isw"
	 "             FROM regexp_matches($1, '([[:alnum:]]+)|([^[:alnum:]]+)', 'g')"
	 "             WITH ORDINALITY AS x(m, k)),"
	 " f AS (SELECT k, tok, isw, CASE WHEN isw THEN search_fold(tok) ELSE '' END AS w FROM t),"
	 " w AS (SELECT k, tok, w, regexp_replace(w, '(.)\\1+', '\\1', 'g') AS sq,"
	 "         CASE WHEN length(w) >= 9 THEN 2 WHEN length(w) >= 5 THEN 1 ELSE 0 END AS b,"
	 "         NOT isw OR length(w) < 3 OR w ~ '[^[:alpha:]]'"
	 "         OR EXISTS (SELECT 1 FROM search_words s WHERE s.word = w) AS known FROM f)"
	 " SELECT w.k, w.tok, w.w, x.cand, x.ndoc, x.split FROM w LEFT JOIN LATERAL ("
	 "  SELECT * FROM (" SQL_SPLITS SQL_TRIGRAMS SQL_NEAR ") y"
	 /* a word the search ignores (a stop word such as "where" for
	  * "whire") would only drop the word */
	 "  WHERE y.split OR length(to_tsvector('souk', y.cand)) > 0) x ON true"
	 " ORDER BY w.k"},
};

void search_correct_register(void)
{
	db_register(correct_sql, sizeof(correct_sql) / sizeof(correct_sql[0]));
}

typedef struct {
	const char *text;
	int dist;
	int64_t ndoc;
	bool split;
} wcand;

typedef struct {
	const char *tok;    /* as in the text (a word or what separates words) */
	const char *typed;  /* the word folded ("" for a separator) */
	wcand c[PER_WORD];
	int n;
} wslot;

/* Keeps the PER_WORD best of a word's candidates: fewer typos, then more
 * products, then the text. */
static bool better(const wcand *a, const wcand *b)
{
	if (a->dist != b->dist)
		return a->dist < b->dist;
	if (a->ndoc != b->ndoc)
		return a->ndoc > b->ndoc;
	return strcmp(a->text, b->text) < 0;
}

static void slot_add(wslot *s, wcand w)
{
	for (int i = 0; i < s->n; i++)
		if (strcmp(s->c[i].text, w.text) == 0)
			return;
	int i = s->n < PER_WORD ? s->n++ : PER_WORD;
	if (i == PER_WORD) {
		if (!better(&w, &s->c[PER_WORD - 1]))
			return;
		i = PER_WORD - 1;
	}
	while (i > 0 && better(&w, &s->c[i - 1])) {
		s->c[i] = s->c[i - 1];
		i--;
	}
	s->c[i] = w;
}

/* The text with each token's choice (pick[k]: -1 as typed, else the
 * index of its candidate); distance and split summed into *t. */
static void compose(ctx *c, const wslot *w, int nw, const int *pick, typo_cand *t)
{
	buf b;
	buf_init(&b, c->a, 0);
	t->distance = 0;
	t->split = false;
	t->ndoc = INT64_MAX;
	for (int k = 0; k < nw; k++) {
		if (pick[k] < 0) {
			buf_puts(&b, w[k].tok);
			continue;
		}
		const wcand *x = &w[k].c[pick[k]];
		buf_puts(&b, x->text);
		t->distance += x->dist;
		t->split |= x->split;
		if (x->ndoc < t->ndoc)
			t->ndoc = x->ndoc;
	}
	t->text = b.p ? b.p : "";
}

/* The tokens of text and the candidates of its misspelt words, from
 * statement search_correct. */
static int read_words(ctx *c, const char *text, wslot **out, int *nw)
{
	const char *params[] = {text};
	db_res *r = db_exec(c, "search_correct", 1, params);
	if (!r)
		return SOUK_ERR;
	int n = db_rows(r);
	wslot *w = arena_alloc(c->a, sizeof(wslot) * (size_t)(n ? n : 1));
	if (!w)
		return ctx_fail(c, 500, "internal", "out of memory");
	int k = -1;
	int64_t prev = -1;
	for (int i = 0; i < n; i++) {
		int64_t pos = db_i64(r, i, "k");
		if (pos != prev) {
			prev = pos;
			k++;
			memset(&w[k], 0, sizeof(w[k]));
			w[k].tok = arena_strdup(c->a, db_val(r, i, "tok"));
			w[k].typed = arena_strdup(c->a, db_val(r, i, "w"));
			if (!w[k].tok || !w[k].typed)
				return ctx_fail(c, 500, "internal", "out of memory");
		}
		if (db_null(r, i, "cand"))
			continue;
		wcand x = {db_val(r, i, "cand"), 0, db_i64(r, i, "ndoc"), db_bool(r, i, "split")};
		if (x.split) {
			/* a missing space is one typo */
			if (typo_budget(w[k].typed) < 1)
				continue;
			x.dist = 1;
		} else {
			if (!typo_within(w[k].typed, x.text))
				continue;
			x.dist = typo_distance(w[k].typed, x.text);
		}
		if (!(x.text = arena_strdup(c->a, x.text)))
			return ctx_fail(c, 500, "internal", "out of memory");
		slot_add(&w[k], x);
	}
	*out = w;
	*nw = k + 1;
	return SOUK_OK;
}

int search_correct(ctx *c, const search_engine *e, const search_query *q,
                   const search_scope *sc, const char *text, search_result *out)
{
	wslot *w;
	int nw;
	if (read_words(c, text, &w, &nw) < 0)
		return SOUK_ERR;
	int *pick = arena_alloc(c->a, sizeof(int) * (size_t)(nw ? nw : 1));
	typo_cand *cand = arena_alloc(c->a, sizeof(typo_cand) * SEARCH_CORRECT_QUERIES);
	if (!pick || !cand)
		return ctx_fail(c, 500, "internal", "out of memory");
	/* The first: every misspelt word's best candidate; then each word's
	 * other candidates in turn, the rest kept at their best. */
	bool any = false;
	for (int k = 0; k < nw; k++) {
		pick[k] = w[k].n ? 0 : -1;
		any |= w[k].n > 0;
	}
	if (!any)
		return SOUK_OK;
	int n = 0;
	compose(c, w, nw, pick, &cand[n++]);
	for (int k = 0; k < nw && n < SEARCH_CORRECT_QUERIES; k++)
		for (int j = 1; j < w[k].n && n < SEARCH_CORRECT_QUERIES; j++) {
			pick[k] = j;
			compose(c, w, nw, pick, &cand[n++]);
			pick[k] = 0;
		}

	/* Counted with q's filters; a sort other than relevance skips the
	 * scoring, and no hits or facets are asked. */
	search_query cq = *q;
	cq.limit = 0;
	cq.offset = 0;
	cq.facets = false;
	cq.sort = SEARCH_SORT_PRICE_ASC;
	for (int i = 0; i < n; i++) {
		search_result r;
		if (e->run_once(c, e->self, &cq, sc, cand[i].text, 0, &r) < 0)
			return SOUK_ERR;
		cand[i].total = r.total;
	}
	const char *guess = cand[0].text; /* every misspelt word at its best */
	n = typo_rank(cand, n);

	const char *shown = NULL;
	if (n > 0 && strcmp(cand[0].text, text) != 0 && typo_much_more(cand[0].total, out->total)) {
		search_result alt;
		if (e->run_once(c, e->self, q, sc, cand[0].text, 0, &alt) < 0)
			return SOUK_ERR;
		*out = alt;
		out->corrected_query = shown = cand[0].text;
	} else if (n == 0 && out->total == 0) {
		/* Nothing with every word, typed or corrected ("vib mattres":
		 * "vib" is too short to correct): the relaxation tries the
		 * corrected words, and search.c forgets the guess if that finds
		 * nothing either. */
		out->corrected_query = guess;
	}
	out->suggestions = arena_alloc(c->a, sizeof(char *) * SHOWN);
	if (!out->suggestions)
		return ctx_fail(c, 500, "internal", "out of memory");
	out->nsuggestions = 0;
	for (int i = 0; i < n && out->nsuggestions < SHOWN; i++)
		if (cand[i].text != shown && strcmp(cand[i].text, text) != 0)
			out->suggestions[out->nsuggestions++] = cand[i].text;
	return SOUK_OK;
}

int search_correct_guess(ctx *c, const char *text, const char **fixed)
{
	*fixed = NULL;
	wslot *w;
	int nw;
	if (read_words(c, text, &w, &nw) < 0)
		return SOUK_ERR;
	int *pick = arena_alloc(c->a, sizeof(int) * (size_t)(nw ? nw : 1));
	if (!pick)
		return ctx_fail(c, 500, "internal", "out of memory");
	bool any = false;
	for (int k = 0; k < nw; k++) {
		pick[k] = w[k].n ? 0 : -1;
		any |= w[k].n > 0;
	}
	if (any) {
		typo_cand t;
		compose(c, w, nw, pick, &t);
		*fixed = t.text;
	}
	return SOUK_OK;
}
