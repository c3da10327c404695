/* sx_parse: the free text's terms for the memory engine, from PostgreSQL
 * (statement search_parse, S_TEXT_Q as the SQL engine uses it) and
 * remembered in a bounded LRU shared by souk-searchd's threads. */
#include <pthread.h>
#include <strings.h>
#include <time.h>

#include "store/db.h"
#include "core/log.h"
#include "search/search_sql.h"
#include "search/sx/sx_search.h"
#include "search/sx/sx_search_int.h"

/* The free text's terms, exactly as the SQL engine derives them. The CTE
 * z only closes S_TEXT_Q's list of CTEs. */
static const db_stmt sx_search_sql[] = {
	{"search_parse",
	 "WITH" S_TEXT_Q("$2") " z AS (SELECT 1)"
	 " SELECT q.tsq::text AS tsq, q.andq::text AS andq, q.orq::text AS orq,"
	 " q.terms::text[] AS terms, q.idfs AS idfs, q.bigrams::text[] AS bigrams FROM q"},
};

void sx_search_register(void)
{
	db_register(sx_search_sql, sizeof(sx_search_sql) / sizeof(sx_search_sql[0]));
}

/* ------------------------------------------------------ array literals */

int sx_pg_array(arena *a, const char *lit, const char ***out, int *n)
{
	*out = NULL;
	*n = 0;
	if (!lit || *lit != '{')
		return SOUK_ERR;
	size_t len = strlen(lit), cap = 1;
	for (const char *s = lit; *s; s++)
		cap += *s == ',';
	const char **v = arena_alloc(a, sizeof(char *) * cap);
	char *tmp = arena_alloc(a, len + 1);
	if (!v || !tmp)
		return SOUK_ERR;
	const char *s = lit + 1;
	if (*s == '}')
		return s[1] ? SOUK_ERR : (*out = v, SOUK_OK);
	for (;;) {
		size_t k = 0;
		bool quoted = *s == '"';
		if (quoted) {
			for (s++; *s && *s != '"'; s++) {
				if (*s == '\\' && s[1])
					s++;
				tmp[k++] = *s;
			}
			if (*s != '"')
				return SOUK_ERR;
			s++;
		} else {
			for (; *s && *s != ',' && *s != '}'; s++)
				tmp[k++] = *s;
		}
		if ((size_t)*n >= cap)
			return SOUK_ERR;
		if (!quoted && k == 4 && strncasecmp(tmp, "NULL", 4) == 0)
			v[(*n)++] = NULL;
		else if (!(v[(*n)++] = arena_strndup(a, tmp, k)))
			return SOUK_ERR;
		if (*s == ',') {
			s++;
			continue;
		}
		if (*s == '}' && !s[1])
			break;
		return SOUK_ERR;
	}
	*out = v;
	return SOUK_OK;
}

/* ---------------------------------------------------------- the cache
 * search_parse costs a round trip and a few milliseconds of PostgreSQL;
 * a repeated query (the common case) asks it no more. The texts are
 * remembered, not the parsed trees: lexeme ids belong to one load of the
 * index. An entry lives SX_CACHE_AGE seconds at most, so a refresh of
 * the word frequencies (search_refresh_freq, after an import) reaches
 * the memory engine within that time. */
#define SX_CACHE_MAX 2048
#define SX_CACHE_BUCKETS 4096
#define SX_CACHE_AGE 60

typedef struct centry {
	struct centry *hnext, *prev, *next; /* hash chain; LRU list */
	uint64_t hash;
	int relaxed;
	double born;
	char *text, *tsq, *andq, *orq;
	char **terms, **bigrams;
	double *idfs;
	int nterms, nbigrams;
} centry;

static struct {
	pthread_mutex_t mu;
	centry *buckets[SX_CACHE_BUCKETS];
	centry *head, *tail; /* head: most recently used */
	size_t n;
} cache = {.mu = PTHREAD_MUTEX_INITIALIZER};

static double now_s(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static uint64_t key_hash(const char *text, int relaxed)
{
	uint64_t h = 1469598103934665603ULL ^ (uint64_t)relaxed;
	for (const unsigned char *s = (const unsigned char *)text; *s; s++)
		h = (h ^ *s) * 1099511628211ULL;
	return h;
}

static char *xstrdup(const char *s)
{
	if (!s)
		return NULL;
	size_t n = strlen(s) + 1;
	char *p = malloc(n);
	if (!p)
		abort();
	memcpy(p, s, n);
	return p;
}

static void centry_free(centry *e)
{
	for (int i = 0; i < e->nterms; i++)
		free(e->terms[i]);
	for (int i = 0; i < e->nbigrams; i++)
		free(e->bigrams[i]);
	free(e->terms);
	free(e->bigrams);
	free(e->idfs);
	free(e->text);
	free(e->tsq);
	free(e->andq);
	free(e->orq);
	free(e);
}

static void lru_unlink(centry *e)
{
	if (e->prev)
		e->prev->next = e->next;
	else
		cache.head = e->next;
	if (e->next)
		e->next->prev = e->prev;
	else
		cache.tail = e->prev;
	e->prev = e->next = NULL;
}

static void lru_push(centry *e)
{
	e->prev = NULL;
	e->next = cache.head;
	if (cache.head)
		cache.head->prev = e;
	cache.head = e;
	if (!cache.tail)
		cache.tail = e;
}

static void cache_remove(centry *e)
{
	centry **pp = &cache.buckets[e->hash % SX_CACHE_BUCKETS];
	while (*pp != e)
		pp = &(*pp)->hnext;
	*pp = e->hnext;
	lru_unlink(e);
	cache.n--;
	centry_free(e);
}

static centry *cache_find(const char *text, int relaxed, uint64_t h)
{
	for (centry *e = cache.buckets[h % SX_CACHE_BUCKETS]; e; e = e->hnext)
		if (e->hash == h && e->relaxed == relaxed && strcmp(e->text, text) == 0)
			return e;
	return NULL;
}

static const char *adup(arena *a, const char *s, bool *fail)
{
	if (!s)
		return NULL;
	const char *p = arena_strdup(a, s);
	if (!p)
		*fail = true;
	return p;
}

bool sx_parse_cache_get(ctx *c, const char *text, int relaxed, sx_terms *out)
{
	memset(out, 0, sizeof(*out));
	uint64_t h = key_hash(text, relaxed);
	bool hit = false, fail = false;
	pthread_mutex_lock(&cache.mu);
	centry *e = cache_find(text, relaxed, h);
	if (e && now_s() - e->born > SX_CACHE_AGE) {
		cache_remove(e);
		e = NULL;
	}
	if (e) {
		lru_unlink(e);
		lru_push(e);
		out->tsq = adup(c->a, e->tsq, &fail);
		out->andq = adup(c->a, e->andq, &fail);
		out->orq = adup(c->a, e->orq, &fail);
		const char **terms = arena_alloc(c->a, sizeof(char *) * (size_t)(e->nterms + 1));
		const char **bigrams = arena_alloc(c->a, sizeof(char *) * (size_t)(e->nbigrams + 1));
		double *idfs = arena_alloc(c->a, sizeof(double) * (size_t)(e->nterms + 1));
		if (!terms || !bigrams || !idfs) {
			fail = true;
		} else {
			for (int i = 0; i < e->nterms; i++) {
				terms[i] = adup(c->a, e->terms[i], &fail);
				idfs[i] = e->idfs[i];
			}
			for (int i = 0; i < e->nbigrams; i++)
				bigrams[i] = adup(c->a, e->bigrams[i], &fail);
		}
		out->terms = terms;
		out->idfs = idfs;
		out->nterms = e->nterms;
		out->bigrams = bigrams;
		out->nbigrams = e->nbigrams;
		hit = !fail;
	}
	pthread_mutex_unlock(&cache.mu);
	if (!hit)
		memset(out, 0, sizeof(*out));
	return hit;
}

void sx_parse_cache_put(const char *text, int relaxed, const sx_terms *t)
{
	centry *e = calloc(1, sizeof(*e));
	if (!e)
		abort();
	e->relaxed = relaxed;
	e->hash = key_hash(text, relaxed);
	e->born = now_s();
	e->text = xstrdup(text);
	e->tsq = xstrdup(t->tsq);
	e->andq = xstrdup(t->andq);
	e->orq = xstrdup(t->orq);
	e->terms = calloc((size_t)t->nterms + 1, sizeof(char *));
	e->idfs = calloc((size_t)t->nterms + 1, sizeof(double));
	e->bigrams = calloc((size_t)t->nbigrams + 1, sizeof(char *));
	if (!e->terms || !e->idfs || !e->bigrams)
		abort();
	for (int i = 0; i < t->nterms; i++) {
		e->terms[i] = xstrdup(t->terms[i]);
		e->idfs[i] = t->idfs[i];
	}
	for (int i = 0; i < t->nbigrams; i++)
		e->bigrams[i] = xstrdup(t->bigrams[i]);
	e->nterms = t->nterms;
	e->nbigrams = t->nbigrams;
	pthread_mutex_lock(&cache.mu);
	centry *old = cache_find(text, relaxed, e->hash);
	if (old)
		cache_remove(old);
	while (cache.n >= SX_CACHE_MAX && cache.tail)
		cache_remove(cache.tail);
	centry **b = &cache.buckets[e->hash % SX_CACHE_BUCKETS];
	e->hnext = *b;
	*b = e;
	lru_push(e);
	cache.n++;
	pthread_mutex_unlock(&cache.mu);
}

void sx_parse_cache_clear(void)
{
	pthread_mutex_lock(&cache.mu);
	while (cache.tail)
		cache_remove(cache.tail);
	pthread_mutex_unlock(&cache.mu);
}

size_t sx_parse_cache_size(void)
{
	pthread_mutex_lock(&cache.mu);
	size_t n = cache.n;
	pthread_mutex_unlock(&cache.mu);
	return n;
}

int sx_parse_text(ctx *c, const char *text, int relaxed, sx_terms *t)
{
	if (sx_parse_cache_get(c, text, relaxed, t))
		return SOUK_OK;
	const char *params[] = {text, db_param_i64(c, relaxed)};
	db_res *r = db_exec(c, "search_parse", 2, params);
	if (!r)
		return SOUK_ERR;
	if (db_rows(r) != 1)
		return ctx_fail(c, 500, "internal", "search_parse returned %d rows", db_rows(r));
	memset(t, 0, sizeof(*t));
	t->tsq = db_val(r, 0, "tsq");
	t->andq = db_val(r, 0, "andq");
	t->orq = db_val(r, 0, "orq");
	const char **idfs;
	int nidfs;
	if (sx_pg_array(c->a, db_val(r, 0, "terms"), &t->terms, &t->nterms) < 0 ||
	    sx_pg_array(c->a, db_val(r, 0, "idfs"), &idfs, &nidfs) < 0 ||
	    sx_pg_array(c->a, db_val(r, 0, "bigrams"), &t->bigrams, &t->nbigrams) < 0 ||
	    nidfs != t->nterms) {
		ctx_log(c, LOG_ERROR, "search_parse: unexpected arrays for '%s'", text);
		return ctx_fail(c, 500, "internal", "search terms could not be read");
	}
	double *v = arena_alloc(c->a, sizeof(double) * (size_t)(nidfs + 1));
	if (!v)
		return ctx_fail(c, 500, "internal", "out of memory");
	for (int i = 0; i < nidfs; i++)
		v[i] = idfs[i] ? strtod(idfs[i], NULL) : 0;
	t->idfs = v;
	for (int i = 0; i < t->nterms; i++)
		if (!t->terms[i])
			return ctx_fail(c, 500, "internal", "search term %d is NULL", i + 1);
	for (int i = 0; i < t->nbigrams; i++)
		if (!t->bigrams[i])
			return ctx_fail(c, 500, "internal", "search bigram %d is NULL", i + 1);
	sx_parse_cache_put(text, relaxed, t);
	return SOUK_OK;
}
