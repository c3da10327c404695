/* search: product search (the cache, then souk-searchd, then the SQL
 * engine's statements; typo correction, relaxation); the query and its
 * validation are search_query.c's. */
#include "search/search.h"

#include <ctype.h>
#include <math.h>

#include "shop/catalog.h"
#include "store/db.h"
#include "core/log.h"
#include "store/rds.h"
#include "search/search_correct.h"
#include "search/search_frame.h"
#include "search/search_int.h"
#include "search/search_remote.h"
#include "search/search_sql.h"
#include "http/resp.h"

/* A query with a misspelt word finding fewer products than SEARCH_FEW (a
 * page: "little") is compared with its corrections, whose results are
 * shown when they are much more (search_correct.c); one still finding
 * fewer than SEARCH_RELAX (a page) of several words is relaxed to match
 * all its words but one, then any of them; the products with every word
 * still come first. */
#define SEARCH_FEW 10
#define SEARCH_RELAX 10
/* Matches that get the full relevance score (see S_SCORE). */
#define SEARCH_CANDIDATES "200"
/* SEARCH_MAX_RANGES as SQL text. */
#define SEARCH_MAX_RANGES_S "10"
_Static_assert(SEARCH_MAX_RANGES == 10, "SEARCH_MAX_RANGES_S");

/* ------------------------------------------------------------ the SQL */

/* Parameters shared by the hit and facet statements:
 *   $1 free text (websearch syntax; NULL in the *_all statements)
 *   $2 category ids bigint[]: the chosen categories and every category
 *      under them ('{}': any), resolved beforehand (search_category_ids)
 *   $3 brands text[] lower case   $4 colours text[]   $5 sizes text[]
 *   $6 price_min, $7 price_max (cents, NULL: open)   $8 in_stock bool
 *   $9 rating_min (NULL: any)
 * Optional filters are "(unset OR condition)": the statement never
 * changes shape, only its parameters do. Free text and no free text are
 * separate statements so that even a generic plan keeps the GIN index for
 * the one and the category index for the other. */
#define S_BASE                                                                      \
	" p.status = 'active'"                                                          \
	" AND (cardinality($2::bigint[]) = 0 OR p.category_id = ANY ($2::bigint[]))"   \
	" AND (cardinality($5::text[]) = 0 OR p.sizes && $5::text[])"                  \
	" AND (NOT $8::bool OR p.in_stock)"
#define F_BRAND "(cardinality($3::text[]) = 0 OR lower(p.brand) = ANY ($3::text[]))"
#define F_COLOR "(cardinality($4::text[]) = 0 OR p.colors && $4::text[])"
#define F_PRICE                                                             \
	"(($6::bigint IS NULL OR p.price_min >= $6::bigint)"                    \
	" AND ($7::bigint IS NULL OR p.price_min <= $7::bigint))"
#define F_RATING "($9::numeric IS NULL OR p.rating >= $9::numeric)"
#define F_ALL F_BRAND " AND " F_COLOR " AND " F_PRICE " AND " F_RATING

/* One statement answers a search: hits, total and facets from one pass
 * over the match, planned once. Parameters after the shared ones:
 *   $10 sort (search_sort)  $11 limit  $12 offset  $13 relaxed (0, 1, 2)
 *   $14 field weights {title, brand, description}  $15 the same scaled
 *   into [0, 1] in ts_rank's order {D, C, B, A}  $16 depth of the current
 *   category (-1: none; the category facet counts its children)
 *   $17 / $18 price bucket bounds bigint[] (NULL: open)  $19 facets (bool)
 * Rows: kind 'hit' (n = position from 1, with the hit's columns), 'total'
 * (n), 'rating' and 'price' (value: the counts as a bigint[] literal),
 * 'brand', 'color', 'category' (value, id, n = count). The category facet
 * counts per category first and maps those to the current category's
 * children through their paths: no per-product join. */
#define S_SORT(T)                                                                  \
	" CASE WHEN $10::int = 1 THEN " T ".price_min END ASC NULLS LAST,"            \
	" CASE WHEN $10::int = 2 THEN " T ".price_min END DESC NULLS LAST,"           \
	" CASE WHEN $10::int = 3 THEN " T ".rating END DESC NULLS LAST,"              \
	" CASE WHEN $10::int = 3 THEN " T ".rating_count END DESC,"                   \
	" CASE WHEN $10::int = 4 THEN " T ".created_at END DESC,"
/* Relevance:
 *   100 when the product has every wanted word (so in the relaxed OR mode
 *       the complete matches come first), plus
 *   for each term: its idf times the weight of the best field holding it;
 *       the title's weight scaled down for long titles as BM25 does
 *       (k1 1.2, b 0.5, average title 15 lexemes: 1 + 1.2 * (0.5 + 0.5 *
 *       len / 15) written as (160 + 4 len) / 100, exact in numeric, so
 *       the memory engine computes the same double), negative for
 *       unwanted words; a word in both the title and the brand adds half
 *       the brand's weight (brand detection: the query names the
 *       product's maker, not only something its title mentions, as "case
 *       for Fire TV Stick" or "fits DeWalt" do), plus
 *   the weighted cover density (ts_rank_cd: terms close together), plus
 *   1 for each pair of adjacent query words found adjacent in the title,
 *   plus 2 when the title alone holds every wanted word (the product is
 *   what the query names, not a listing that mentions some words only
 *   in its description).
 * Ties: sales rank. It runs in two passes: every match is ranked cheaply
 * by ts_rank over its small title+brand vector (search_title), the best
 * SEARCH_CANDIDATES (or the page, if deeper) get the full score. The
 * document is decompressed once per candidate (f.d: "|| ''" makes the
 * copy), not once per use. */
#define S_SCORE                                                                          \
	" CROSS JOIN LATERAL (SELECT ts_filter(p.search_title, '{a}') AS ta,"                \
	"   ts_filter(p.search_title, '{b}') AS tb,"                                         \
	"   p.search_doc || ''::tsvector AS d OFFSET 0) f"                                    \
	" CROSS JOIN LATERAL (SELECT"                                                         \
	"   100 * COALESCE((f.d @@ q.andq)::int, 0)"                                          \
	"   + COALESCE((SELECT sum(x.i * (CASE WHEN f.ta @@ x.t"                              \
	"       THEN ($14::float8[])[1] * 2.2 / ((160 + 4 * length(f.ta)) / 100.0)"             \
	"       WHEN f.tb @@ x.t THEN ($14::float8[])[2] ELSE ($14::float8[])[3] END"           \
	"       + CASE WHEN f.ta @@ x.t AND f.tb @@ x.t THEN ($14::float8[])[2] * 0.5 ELSE 0 END))" \
	"     FROM unnest(q.terms, q.idfs) AS x(t, i) WHERE f.d @@ x.t), 0)"                   \
	"   + ts_rank_cd($15::float4[], f.d, q.tsq, 1)"                                      \
	"   + (SELECT count(*) FROM unnest(q.bigrams) AS b WHERE f.ta @@ b)"                 \
	"   + 2 * COALESCE((f.ta @@ q.andq)::int, 0) AS score) sc"
/* Total, rating and price counts come from one grouping of the matches
 * (g: a few dozen groups) instead of fourteen count(*) FILTER per match,
 * whose price bounds were array subscripts evaluated per row under the
 * generic plan. Price buckets may overlap: the bounds, sorted and
 * distinct (pbb.b), cut prices into elementary intervals; width_bucket
 * gives each match its interval (0: below every bound; NULL: no price)
 * and a bucket [l, h) sums the intervals inside it. A product without
 * a price falls in a bucket open at both ends only, as before. */
#define S_COUNTS                                                                           \
	" pbb AS (SELECT ARRAY(SELECT DISTINCT v FROM unnest($17::bigint[] || $18::bigint[])"   \
	"   AS v WHERE v IS NOT NULL ORDER BY v) AS b),"                                         \
	" g AS (SELECT fb AND fc AND fp AS fx, fb AND fc AND fr AS fy, fr, floor(rating) AS rf," \
	"   width_bucket(price_min, pbb.b) AS wb, count(*) AS n FROM m, pbb GROUP BY 1, 2, 3, 4, 5)," \
	" s AS (SELECT COALESCE(sum(n) FILTER (WHERE fx AND fr), 0)::bigint AS total,"          \
	"   ARRAY[COALESCE(sum(n) FILTER (WHERE fx AND rf >= 4), 0),"                            \
	"         COALESCE(sum(n) FILTER (WHERE fx AND rf >= 3), 0),"                            \
	"         COALESCE(sum(n) FILTER (WHERE fx AND rf >= 2), 0),"                            \
	"         COALESCE(sum(n) FILTER (WHERE fx AND rf >= 1), 0)]::bigint[] AS ratings,"      \
	"   ARRAY(SELECT COALESCE(sum(g2.n), 0)::bigint FROM unnest($17::bigint[], $18::bigint[])" \
	"     WITH ORDINALITY AS u(l, h, i) CROSS JOIN pbb LEFT JOIN g g2 ON g2.fy AND CASE"      \
	"       WHEN g2.wb IS NULL THEN u.l IS NULL AND u.h IS NULL"                              \
	"       ELSE (u.l IS NULL OR (g2.wb > 0 AND pbb.b[g2.wb] >= u.l))"                        \
	"        AND (u.h IS NULL OR (g2.wb < cardinality(pbb.b) AND pbb.b[g2.wb + 1] <= u.h)) END" \
	"     WHERE u.i <= " SEARCH_MAX_RANGES_S " GROUP BY u.i ORDER BY u.i) AS prices FROM g)"
#define S_NOHIT                                                                    \
	", NULL::text, NULL::text, NULL::text, NULL::text, NULL::bigint, NULL::numeric," \
	" NULL::int, NULL::bool, NULL::int, NULL::float8"
/* The statement. FROM_Q / MATCH: the free-text parts (empty without
 * text); R0: the cheap first-pass rank; CAND: how many hits to fetch;
 * SCORE / SCORE_FROM: the full score. */
#define S_SEARCH(FROM_Q, MATCH, R0, CAND, SCORE, SCORE_FROM)                                \
	" m AS MATERIALIZED (SELECT p.id, p.brand, p.colors, p.price_min, p.rating,"           \
	"   p.rating_count, p.sales_rank, p.created_at, p.category_id, " R0 " AS r0,"          \
	"   " F_BRAND " AS fb, " F_COLOR " AS fc, " F_PRICE " AS fp, " F_RATING " AS fr"       \
	"   FROM products p" FROM_Q                                                            \
	"   WHERE " S_BASE MATCH "),"                                                          \
	" h AS (SELECT m.id FROM m WHERE fb AND fc AND fp AND fr"                             \
	"   ORDER BY" S_SORT("m") " m.r0 DESC, m.sales_rank, m.id LIMIT " CAND "),"             \
	" hp AS (SELECT p.id, p.ref, p.title, p.brand, p.image_url, p.price_min, p.rating,"    \
	"   p.rating_count, p.in_stock, p.sales_rank, p.created_at, " SCORE " AS score"       \
	"   FROM h JOIN products p ON p.id = h.id" SCORE_FROM "),"                             \
	S_COUNTS                                                                                \
	" (SELECT 'hit' AS kind, NULL::text AS value, id, n, ref, title, brand, image_url,"    \
	"   price_min, rating, rating_count, in_stock, sales_rank, score FROM"                 \
	"   (SELECT hp.*, row_number() OVER (ORDER BY" S_SORT("hp")                            \
	"     score DESC, sales_rank, id) AS n FROM hp) x ORDER BY n OFFSET $12 LIMIT $11)"    \
	" UNION ALL SELECT 'total', NULL, 0, total" S_NOHIT " FROM s"                          \
	" UNION ALL SELECT 'rating', ratings::text, 0, 0" S_NOHIT " FROM s WHERE $19::bool"    \
	" UNION ALL SELECT 'price', prices::text, 0, 0" S_NOHIT " FROM s WHERE $19::bool"      \
	" UNION ALL (SELECT 'brand', min(brand), 0, count(*)" S_NOHIT " FROM m"                \
	"   WHERE fc AND fp AND fr AND brand <> '' AND $19::bool GROUP BY lower(brand)"        \
	"   ORDER BY 4 DESC, 2 LIMIT 50)"                                                      \
	" UNION ALL (SELECT 'color', col, 0, count(*)" S_NOHIT " FROM"                         \
	"   (SELECT unnest(colors) AS col FROM m WHERE fb AND fp AND fr AND $19::bool) x"      \
	"   GROUP BY col ORDER BY 4 DESC, 2 LIMIT 50)"                                         \
	" UNION ALL (SELECT 'category', min(ch.name), ch.id, sum(x.n)::bigint" S_NOHIT " FROM" \
	"   (SELECT category_id, count(*) AS n FROM m WHERE fb AND fc AND fp AND fr"            \
	"    AND $19::bool GROUP BY category_id) x"                                             \
	"   JOIN categories c ON c.id = x.category_id"                                          \
	"   JOIN categories ch ON ch.id = (string_to_array(c.path, '.'))[$16::int + 2]::bigint" \
	"   GROUP BY ch.id ORDER BY 4 DESC, 2, 3 LIMIT 50)"

static const db_stmt search_sql[] = {
	{"search_text",
	 "WITH" S_TEXT_Q("$13")
	 S_SEARCH(", q", " AND p.search_doc @@ q.tsq",
	          "CASE WHEN $10::int = 0 THEN ts_rank($15::float4[], p.search_title, q.orq)"
	          " ELSE 0 END",
	          "CASE WHEN $10::int = 0 THEN greatest(" SEARCH_CANDIDATES ","
	          " $11::bigint + $12::bigint) ELSE $11::bigint + $12::bigint END",
	          "CASE WHEN $10::int = 0 THEN sc.score ELSE 0 END", " CROSS JOIN q" S_SCORE)},
	{"search_all",
	 "WITH"
	 S_SEARCH("", " AND ($1::text IS NULL OR $13::int > 0 OR $14::float8[] IS NOT NULL"
	              " OR $15::float4[] IS NOT NULL)",
	          "0::float4", "$11::bigint + $12::bigint", "0::float8", "")},
	/* For the length of one transaction: see run_once. */
	{"search_generic_plan",
	 "SELECT set_config('plan_cache_mode', 'force_generic_plan', true) AS mode"},
	{"search_custom_plan",
	 "SELECT set_config('plan_cache_mode', 'force_custom_plan', true) AS mode"},
	/* The ids of the categories at the paths $1 and under them. */
	{"search_category_ids",
	 "SELECT COALESCE(array_agg(DISTINCT c.id ORDER BY c.id), '{}')::text AS ids"
	 " FROM categories c JOIN unnest($1::text[]) AS pp(path)"
	 " ON c.path = pp.path OR c.path LIKE pp.path || '.%'"},
	{"search_category_slug",
	 "SELECT path, depth FROM categories WHERE slug = $1 ORDER BY depth, id LIMIT 20"},
	/* Autocomplete: $1 the raw prefix, $2 it folded and LIKE-escaped, $3
	 * how many titles. Brands and categories whose name starts with the
	 * prefix; titles (weight A) with every word, the last one as a prefix of a
	 * word or of its stem (stop words such as "so" still complete). */
	{"search_suggest",
	 "(SELECT 'brand' AS kind, min(brand) AS text, 0::bigint AS id FROM products"
	 "  WHERE status = 'active' AND lower(brand) LIKE $2 || '%' GROUP BY lower(brand)"
	 "  ORDER BY count(*) DESC, 2 LIMIT 2)"
	 " UNION ALL (SELECT 'category', name, id FROM categories"
	 "  WHERE search_fold(name) LIKE $2 || '%' ORDER BY depth, name, id LIMIT 2)"
	 " UNION ALL (SELECT 'title', title, id FROM products,"
	 "  (SELECT string_agg(w || ':A', ' & ') FILTER (WHERE k < n"
	 "           AND length(to_tsvector('souk', w)) > 0) AS head,"
	 "          max(w) FILTER (WHERE k = n) AS last"
	 "   FROM (SELECT w, k, count(*) OVER () AS n FROM"
	 "         regexp_split_to_table(search_fold($1), '[^[:alnum:]]+') WITH ORDINALITY AS t(w, k)"
	 "         WHERE w <> '') x) t"
	 "  CROSS JOIN LATERAL (SELECT CASE WHEN length(to_tsvector('souk', t.last)) > 0"
	 "   THEN to_tsquery('simple', t.last || ':*A') || to_tsquery('souk', t.last || ':*A')"
	 "   ELSE to_tsquery('simple', t.last || ':*A') END AS lastq) l"
	 "  WHERE status = 'active' AND t.last IS NOT NULL AND search_doc @@ CASE"
	 "   WHEN t.head IS NULL THEN l.lastq ELSE to_tsquery('souk', t.head) && l.lastq END"
	 "  ORDER BY sales_rank, id LIMIT $3)"},
};

void search_register(void)
{
	db_register(search_sql, sizeof(search_sql) / sizeof(search_sql[0]));
	search_correct_register();
}

void search_engine_header(ctx *c, const search_result *r)
{
	resp_header(c->rs, "X-Souk-Search-Engine", str_c(r->engine ? r->engine : "sql"));
}

/* A PostgreSQL array literal of text values: each element quoted, '"'
 * and '\' escaped; lower-cased when asked (brand and colour match
 * case-insensitively). The value is a parameter, never SQL text. */
static const char *text_array(ctx *c, const str *v, int n, bool lower)
{
	buf b;
	buf_init(&b, c->a, 0);
	buf_putc(&b, '{');
	for (int i = 0; i < n; i++) {
		buf_puts(&b, i ? ",\"" : "\"");
		for (size_t j = 0; j < v[i].len; j++) {
			char ch = v[i].p[j];
			if (ch == '"' || ch == '\\')
				buf_putc(&b, '\\');
			buf_putc(&b, lower && (unsigned char)ch < 0x80 ? (char)tolower((unsigned char)ch) : ch);
		}
		buf_putc(&b, '"');
	}
	buf_putc(&b, '}');
	return b.p;
}

static const char *opt_i64(ctx *c, int64_t v)
{
	return v < 0 ? NULL : db_param_i64(c, v);
}

/* The default price buckets, in cents. */
static const search_range default_ranges[] = {
	{-1, 2500, NULL}, {2500, 5000, NULL}, {5000, 10000, NULL},
	{10000, 20000, NULL}, {20000, -1, NULL},
};

static const char *bound_array(ctx *c, const search_range *r, int n, bool to)
{
	buf b;
	buf_init(&b, c->a, 0);
	buf_putc(&b, '{');
	for (int i = 0; i < n; i++) {
		int64_t v = to ? r[i].to : r[i].from;
		if (i)
			buf_putc(&b, ',');
		if (v < 0)
			buf_puts(&b, "NULL");
		else
			buf_printf(&b, "%lld", (long long)v);
	}
	buf_putc(&b, '}');
	return b.p;
}

static const char *dup_val(const db_res *r, int i, const char *col)
{
	const char *v = db_val(r, i, col);
	return v ? v : "";
}

/* Parses a bigint[] literal ("{1,2,3}") into an arena array. */
static int parse_ids(ctx *c, const char *s, int64_t **out, int *n)
{
	*n = 0;
	size_t cap = 1;
	for (const char *t = s; *t; t++)
		cap += *t == ',';
	*out = arena_alloc(c->a, sizeof(int64_t) * cap);
	if (!*out)
		return ctx_fail(c, 500, "internal", "out of memory");
	if (*s != '{')
		return SOUK_OK;
	for (s++; *s && *s != '}';) {
		char *end;
		long long x = strtoll(s, &end, 10);
		if (end == s)
			break;
		(*out)[(*n)++] = x;
		s = *end == ',' ? end + 1 : end;
	}
	return SOUK_OK;
}

/* The scope's categories as the bigint[] literal the statements take. */
static const char *ids_array(ctx *c, const search_scope *sc)
{
	buf b;
	buf_init(&b, c->a, 0);
	buf_putc(&b, '{');
	for (int i = 0; i < sc->ncat; i++)
		buf_printf(&b, i ? ",%lld" : "%lld", (long long)sc->cat_ids[i]);
	buf_putc(&b, '}');
	return b.p;
}

/* The SQL engine's resolve: the category (id or slug) through its paths
 * into the ids of its subtree. */
static int sql_resolve(ctx *c, void *self, const search_query *q, search_scope *sc)
{
	(void)self;
	const char *paths = "{}";
	sc->depth = -1;
	if (q->category_id > 0) {
		sc->filtered = true;
		db_res *r = catalog_category(c, q->category_id);
		if (!r)
			return SOUK_ERR;
		str path = str_c(db_val(r, 0, "path"));
		paths = text_array(c, &path, 1, false);
		sc->depth = (int)db_i64(r, 0, "depth");
	} else if (q->category_slug) {
		sc->filtered = true;
		const char *params[] = {q->category_slug};
		db_res *r = db_exec(c, "search_category_slug", 1, params);
		if (!r)
			return SOUK_ERR;
		int n = db_rows(r);
		if (n == 0) {
			sc->no_match = true;
			return SOUK_OK;
		}
		str *pv = arena_alloc(c->a, sizeof(str) * (size_t)n);
		if (!pv)
			return ctx_fail(c, 500, "internal", "out of memory");
		for (int i = 0; i < n; i++)
			pv[i] = str_c(db_val(r, i, "path"));
		paths = text_array(c, pv, n, false);
		sc->depth = (int)db_i64(r, 0, "depth");
	}
	if (strcmp(paths, "{}") != 0) {
		/* The subtrees' ids as a constant list: the listing's plan can
		 * then read products_category_rank_idx for a small category
		 * instead of filtering every product through a sub-select. */
		const char *params[] = {paths};
		db_res *r = db_exec(c, "search_category_ids", 1, params);
		if (!r)
			return SOUK_ERR;
		int64_t *ids;
		if (parse_ids(c, dup_val(r, 0, "ids"), &ids, &sc->ncat) < 0)
			return SOUK_ERR;
		sc->cat_ids = ids;
		if (sc->ncat == 0)
			sc->no_match = true;
	}
	return SOUK_OK;
}

static void fill_common(ctx *c, const search_query *q, const search_scope *sc,
                        const char *text, const char **p)
{
	p[0] = text;
	p[1] = sc->filtered ? ids_array(c, sc) : "{}";
	p[2] = text_array(c, q->brands, q->nbrands, true);
	p[3] = text_array(c, q->colors, q->ncolors, true);
	p[4] = text_array(c, q->sizes, q->nsizes, false);
	p[5] = opt_i64(c, q->price_min);
	p[6] = opt_i64(c, q->price_max);
	p[7] = q->in_stock ? "true" : "false";
	p[8] = q->rating_min > 0 ? db_param_i64(c, q->rating_min) : NULL;
}

/* Parses "{1,2,3}" (a bigint[] as text) into at most max numbers. */
static int parse_counts(const char *s, int64_t *v, int max)
{
	int n = 0;
	if (!s || *s != '{')
		return 0;
	s++;
	while (*s && *s != '}' && n < max) {
		char *end;
		long long x = strtoll(s, &end, 10);
		if (end == s)
			break;
		v[n++] = x;
		s = *end == ',' ? end + 1 : end;
	}
	return n;
}

static void put_hit(const db_res *r, int i, search_hit *h)
{
	memset(h, 0, sizeof(*h));
	h->id = db_i64(r, i, "id");
	h->ref = dup_val(r, i, "ref");
	h->title = dup_val(r, i, "title");
	h->brand = dup_val(r, i, "brand");
	h->image = dup_val(r, i, "image_url");
	h->price = db_null(r, i, "price_min") ? -1 : db_i64(r, i, "price_min");
	const char *rt = db_val(r, i, "rating");
	h->rating = rt ? strtod(rt, NULL) : 0;
	h->rating_count = (int)db_i64(r, i, "rating_count");
	h->in_stock = db_bool(r, i, "in_stock");
	h->sales_rank = (int)db_i64(r, i, "sales_rank");
	const char *sc = db_val(r, i, "score");
	h->score = sc ? strtod(sc, NULL) : 0;
}

/* Runs stmt (19 parameters) in a transaction whose plan_cache_mode is
 * set by the statement `mode`; the setting ends with the transaction. */
static db_res *run_planned(ctx *c, const char *mode, const char *stmt, const char **p)
{
	if (db_begin(c) < 0)
		return NULL;
	db_res *r = db_exec(c, mode, 0, NULL);
	if (r)
		r = db_exec(c, stmt, 19, p);
	if (!r || db_commit(c) < 0) {
		db_rollback(c);
		return NULL;
	}
	return r;
}

/* One search for `text` (NULL: no free text) with q's filters: one
 * statement, whose rows are sorted into hits, total and facets. */
static int sql_run_once(ctx *c, void *self, const search_query *q, const search_scope *sc,
                        const char *text, int relaxed, search_result *out)
{
	(void)self;
	memset(out, 0, sizeof(*out));
	if (sc->no_match)
		return SOUK_OK;
	const char *p[19];
	fill_common(c, q, sc, text, p);
	buf w, rw;
	buf_init(&w, c->a, 0);
	buf_printf(&w, "{%.6f,%.6f,%.6f}", q->w.title, q->w.brand, q->w.description);
	/* ts_rank takes weights in [0, 1], in the order D, C, B, A. */
	double mx = fmax(q->w.title, fmax(q->w.brand, q->w.description));
	buf_init(&rw, c->a, 0);
	buf_printf(&rw, "{0,%.6f,%.6f,%.6f}", q->w.description / mx, q->w.brand / mx,
	           q->w.title / mx);
	p[9] = db_param_i64(c, q->sort);
	p[10] = db_param_i64(c, q->limit);
	p[11] = db_param_i64(c, q->offset);
	p[12] = db_param_i64(c, relaxed);
	p[13] = w.p;
	p[14] = rw.p;
	p[15] = db_param_i64(c, sc->depth);
	p[16] = bound_array(c, sc->ranges, sc->nranges, false);
	p[17] = bound_array(c, sc->ranges, sc->nranges, true);
	p[18] = q->facets ? "true" : "false";
	db_res *r;
	if (text) {
		/* Planning the free-text statement afresh costs more than running
		 * it on a small catalog, and its plan does not depend on the
		 * values (the GIN match drives it): a generic plan, in a
		 * transaction so the setting ends with it. */
		r = run_planned(c, "search_generic_plan", "search_text", p);
	} else {
		/* The no-text statement always gets a custom plan: left to
		 * itself PostgreSQL switches to the generic one after five runs,
		 * where "(cardinality($2) = 0 OR category_id IN cats)" cannot
		 * use the category index and a category listing reads the whole
		 * table (1M products: 1.3 s). With the values known the
		 * condition folds away and the index drives the listing. */
		r = run_planned(c, "search_custom_plan", "search_all", p);
	}
	if (!r)
		return SOUK_ERR;
	int n = db_rows(r);
	size_t sz = sizeof(search_bucket) * (size_t)(n ? n : 1);
	out->hits = arena_alloc(c->a, sizeof(search_hit) * (size_t)(q->limit ? q->limit : 1));
	out->brands = arena_alloc(c->a, sz);
	out->colors = arena_alloc(c->a, sz);
	out->categories = arena_alloc(c->a, sz);
	out->ratings = arena_alloc(c->a, sizeof(search_bucket) * 4);
	out->prices = arena_alloc(c->a, sizeof(search_price_bucket) * SEARCH_MAX_RANGES);
	if (!out->hits || !out->brands || !out->colors || !out->categories || !out->ratings ||
	    !out->prices)
		return ctx_fail(c, 500, "internal", "out of memory");
	for (int i = 0; i < n; i++) {
		const char *kind = db_val(r, i, "kind"), *val = db_val(r, i, "value");
		int64_t cnt = db_i64(r, i, "n");
		search_bucket b = {val ? val : "", db_i64(r, i, "id"), cnt, false};
		if (strcmp(kind, "hit") == 0) {
			/* n is the position from 1 in the whole ordering */
			int64_t k = cnt - 1 - q->offset;
			if (k >= 0 && k < q->limit) {
				put_hit(r, i, &out->hits[k]);
				if (k + 1 > out->nhits)
					out->nhits = (int)k + 1;
			}
		} else if (strcmp(kind, "total") == 0) {
			out->total = cnt;
		} else if (strcmp(kind, "brand") == 0) {
			b.selected = search_values_has(q->brands, q->nbrands, b.value);
			out->brands[out->nbrands++] = b;
		} else if (strcmp(kind, "color") == 0) {
			b.selected = search_values_has(q->colors, q->ncolors, b.value);
			out->colors[out->ncolors++] = b;
		} else if (strcmp(kind, "category") == 0) {
			out->categories[out->ncategories++] = b;
		} else if (strcmp(kind, "rating") == 0) {
			static const char *const names[] = {"4", "3", "2", "1"};
			int64_t v[4];
			int k = parse_counts(val, v, 4);
			for (int j = 0; j < k; j++)
				out->ratings[out->nratings++] =
					(search_bucket){names[j], 0, v[j], q->rating_min == 4 - j};
		} else if (strcmp(kind, "price") == 0) {
			int64_t v[SEARCH_MAX_RANGES];
			int k = parse_counts(val, v, SEARCH_MAX_RANGES);
			for (int j = 0; j < k && j < sc->nranges; j++)
				out->prices[out->nprices++] = (search_price_bucket){
					sc->ranges[j].from, sc->ranges[j].to, sc->ranges[j].key, v[j]};
		}
	}
	return SOUK_OK;
}

const search_engine search_sql_engine = {"sql", NULL, sql_resolve, sql_run_once};

/* The catalog version the cache key is built on; "0" when Redis has none.
 * Returns false when Redis is unavailable (no caching then). */
static bool catalog_version(ctx *c, str *v)
{
	int rc = rds_get(c, "catalog:version", v);
	if (rc < 0)
		return false;
	if (rc == 0)
		*v = STR("0");
	return true;
}

/* The one validation of a query: its bounds, then its free text
 * normalised into *norm (400 for control characters or bad UTF-8). */
static int checked(ctx *c, const search_query *q, const char **norm)
{
	if (search_query_validate(c, q) < 0)
		return SOUK_ERR;
	*norm = search_normalise(c, q->q);
	if (!*norm)
		return ctx_fail(c, 400, "bad_request", "q must be text without control characters");
	return SOUK_OK;
}

/* search_execute on a query already checked: norm is its free text. */
static int execute(ctx *c, const search_query *q, const char *norm, const search_engine *e,
                   search_result *out)
{
	memset(out, 0, sizeof(*out));
	const char *text = *norm ? norm : NULL;

	search_scope sc;
	memset(&sc, 0, sizeof(sc));
	sc.depth = -1;
	sc.ranges = q->nranges ? q->ranges : default_ranges;
	sc.nranges = q->nranges ? q->nranges : (int)(sizeof(default_ranges) / sizeof(default_ranges[0]));
	if (e->resolve(c, e->self, q, &sc) < 0 ||
	    e->run_once(c, e->self, q, &sc, text, 0, out) < 0)
		return SOUK_ERR;

	if (text && out->total < SEARCH_FEW && !q->no_correct &&
	    search_correct(c, e, q, &sc, text, out) < 0)
		return SOUK_ERR;
	/* Relaxed in two steps: every word but one (cheap even on a big
	 * catalog: each alternative is an AND), then any word. */
	for (int level = 1; level <= 2 && text && out->total < SEARCH_RELAX && strchr(text, ' ');
	     level++) {
		search_result alt;
		const char *cq = out->corrected_query;
		if (e->run_once(c, e->self, q, &sc, cq ? cq : text, level, &alt) < 0)
			return SOUK_ERR;
		if (alt.total > out->total) {
			alt.corrected_query = cq;
			alt.suggestions = out->suggestions;
			alt.nsuggestions = out->nsuggestions;
			*out = alt;
		}
	}
	if (out->total == 0)
		out->corrected_query = NULL; /* a guess that found nothing */
	out->engine = e->name;
	return SOUK_OK;
}

int search_execute(ctx *c, const search_query *q, const search_engine *e,
                   search_result *out)
{
	memset(out, 0, sizeof(*out));
	const char *norm;
	if (checked(c, q, &norm) < 0)
		return SOUK_ERR;
	return execute(c, q, norm, e, out);
}

/* Asks souk-searchd; answers with the SQL engine when the daemon cannot
 * (not running, still loading, timed out, or a pass it does not support).
 * A forced engine ("sql", "memory") never falls back to the other. */
static int run_engines(ctx *c, const search_query *q, const char *norm, search_result *out)
{
	bool want_sql = q->engine && strcmp(q->engine, "sql") == 0;
	bool want_mem = q->engine && strcmp(q->engine, "memory") == 0;
	if (!want_sql) {
		int rc = search_remote_run(c, q, out);
		if (rc == SEARCH_REMOTE_OK)
			return SOUK_OK;
		if (rc == SEARCH_REMOTE_ERR) {
			if (c->err_status != 501 || want_mem)
				return SOUK_ERR;
			/* unsupported by the memory engine: forget the failure */
			ctx_clear(c);
		}
		if (want_mem)
			return ctx_fail(c, 503, "unavailable", "the search daemon is not available");
	}
	return execute(c, q, norm, &search_sql_engine, out);
}

int search_run(ctx *c, const search_query *q, search_result *out)
{
	memset(out, 0, sizeof(*out));
	const char *norm;
	if (checked(c, q, &norm) < 0)
		return SOUK_ERR;

	/* A forced engine (tests, bench) reads and writes no cache: the
	 * answer must come from that engine. */
	str version;
	const char *key = NULL;
	if (!q->no_cache && !q->engine && catalog_version(c, &version)) {
		key = search_cache_key(c, q, norm, version);
		str cached;
		if (key && rds_get(c, key, &cached) == 1 &&
		    search_result_from_frame(c, cached, out) == SOUK_OK) {
			out->cache_hit = true;
			return SOUK_OK;
		}
		memset(out, 0, sizeof(*out));
	}

	if (run_engines(c, q, norm, out) < 0)
		return SOUK_ERR;

	if (key) {
		str doc = search_result_to_frame(c, out);
		if (rds_setex(c, key, c->cfg->cache_ttl, doc) < 0)
			ctx_log(c, LOG_DEBUG, "search: result not cached (redis down)");
	}
	return SOUK_OK;
}

/* ------------------------------------------------------- autocomplete */

int search_suggest(ctx *c, str prefix, int max, search_suggestion **out, int *n)
{
	*n = 0;
	*out = NULL;
	if (max < 1 || max > SEARCH_MAX_SUGGEST)
		max = SEARCH_MAX_SUGGEST;
	if (prefix.len > SEARCH_MAX_QUERY)
		return ctx_fail(c, 400, "bad_request", "q is longer than %d bytes", SEARCH_MAX_QUERY);
	const char *norm = search_normalise(c, prefix);
	if (!norm)
		return ctx_fail(c, 400, "bad_request", "q must be text without control characters");
	*out = arena_alloc(c->a, sizeof(search_suggestion) * (size_t)max);
	if (!*out)
		return ctx_fail(c, 500, "internal", "out of memory");
	if (!*norm)
		return SOUK_OK;
	/* LIKE pattern characters in the prefix match themselves. */
	buf like;
	buf_init(&like, c->a, 0);
	for (const char *s = norm; *s; s++) {
		if (*s == '%' || *s == '_' || *s == '\\')
			buf_putc(&like, '\\');
		buf_putc(&like, *s);
	}
	const char *params[] = {norm, like.p, db_param_i64(c, max)};
	db_res *r = db_exec(c, "search_suggest", 3, params);
	if (!r)
		return SOUK_ERR;
	/* Nothing: the words before the one being typed may be misspelt
	 * ("blutooth spe"); they are corrected, the last stays a prefix. */
	const char *last = strrchr(norm, ' ');
	if (db_rows(r) == 0 && last) {
		const char *head = arena_strndup(c->a, norm, (size_t)(last - norm)), *fixed;
		if (!head || search_correct_guess(c, head, &fixed) < 0)
			return SOUK_ERR;
		if (fixed) {
			buf t;
			buf_init(&t, c->a, 0);
			buf_puts(&t, fixed);
			buf_puts(&t, last);
			params[0] = t.p;
			if (!(r = db_exec(c, "search_suggest", 3, params)))
				return SOUK_ERR;
		}
	}
	/* Brands and categories first (few and short), then titles, at most
	 * max in all. */
	for (int i = 0; i < db_rows(r) && *n < max; i++) {
		search_suggestion *s = &(*out)[(*n)++];
		s->kind = db_val(r, i, "kind");
		s->text = dup_val(r, i, "text");
		s->id = db_i64(r, i, "id");
	}
	return SOUK_OK;
}
