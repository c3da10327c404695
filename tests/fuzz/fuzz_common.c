/* fuzz_common: the harnesses' shared context and input splitting (fuzz.h). */
#include "fuzz.h"

#include <string.h>

#include "core/log.h"
#include "search/search_int.h"
#include "search/sx/sx_search.h"
#include "search/sx/sx_search_int.h"

/* Unreachable on purpose, as in the unit tests' helpers.c. */
static cfg fuzz_cfg = {
	.database_url = "host=/nonexistent/souk-fuzz dbname=none connect_timeout=1",
	.redis_url = "redis://127.0.0.1:1/0",
	.template_dir = "/nonexistent/souk-fuzz",
	.workers = 1,
	.max_body = 1 << 20,
	.arena_max = 4 << 20, /* a frame may claim 16 MB: refused at once, not allocated */
	.cache_ttl = 300,
	.log_level = LOG_ERROR,
};

ctx *fuzz_ctx(void)
{
	static ctx *c;
	if (!c) {
		log_set_level(LOG_ERROR + 1); /* quiet: ctx_fail's 4xx lines are the common case */
		c = app_ctx_new(&fuzz_cfg);
	}
	return c;
}

void fuzz_begin(ctx *c)
{
	app_ctx_begin(c);
}

char *fuzz_cstr(ctx *c, const uint8_t *data, size_t size)
{
	char *s = arena_alloc(c->a, size + 1);
	if (!s)
		abort();
	if (size)
		memcpy(s, data, size);
	s[size] = '\0';
	return s;
}

char **fuzz_env(ctx *c, const uint8_t *data, size_t size, str *body)
{
	enum { MAX_ENV = 64 };
	char **env = arena_alloc(c->a, sizeof(char *) * (MAX_ENV + 1));
	if (!env)
		abort();
	int n = 0;
	size_t i = 0;
	while (i < size) {
		size_t j = i;
		while (j < size && data[j] != '\n' && data[j] != '\0')
			j++;
		if (j == i && (j == size || data[j] == '\n')) {
			i = j + 1; /* the empty line: the body follows */
			break;
		}
		if (n < MAX_ENV)
			env[n++] = fuzz_cstr(c, data + i, j - i);
		i = j + 1;
	}
	env[n] = NULL;
	if (i > size)
		i = size;
	*body = (str){i < size ? fuzz_cstr(c, data + i, size - i) : "", size - i};
	return env;
}

void fuzz_check_failure(const ctx *c)
{
	FUZZ_CHECK(c->err_status >= 400 && c->err_status <= 599);
	FUZZ_CHECK(c->err_code && *c->err_code);
	FUZZ_CHECK(c->err_msg != NULL);
}

/* ------------------------------------------- the memory engine, no store */

/* souk-searchd's engine (sx_search) over a small index built without
 * PostgreSQL: Home(1) > Furniture(2) > Sofas(3); Home > Lamps(4); Home >
 * Outdoor(8); Garden(5) > Outdoor(7) (one slug, two categories). */
static sx_index *fuzz_ix;

static void put_doc(int64_t id, int64_t cat, int64_t price, int rating10, const char *brand,
                    const char *c1, const char *c2, const char *size, bool in_stock,
                    const char *tsv)
{
	const char *cv[2] = {c1, c2}, *sv[1] = {size};
	sx_doc d;
	memset(&d, 0, sizeof(d));
	d.id = id;
	d.category_id = cat;
	d.price = price;
	d.created_at = id * 1000;
	d.sales_rank = (int32_t)(id % 5);
	d.rating_count = (int32_t)(id % 7);
	d.rating10 = (int16_t)rating10;
	d.live = true;
	d.in_stock = in_stock;
	d.ref = "REF";
	d.title = "Product";
	d.image = "/img.png";
	FUZZ_CHECK(sx_index_put_for_test(fuzz_ix, &d, brand, cv, c1 ? (c2 ? 2 : 1) : 0, sv,
	                                 size ? 1 : 0, tsv) == SOUK_OK);
}

static sx_index *engine_index(void)
{
	if (fuzz_ix)
		return fuzz_ix;
	fuzz_ix = sx_index_new();
	FUZZ_CHECK(fuzz_ix != NULL);
	static const struct {
		int64_t id, parent;
		const char *name, *slug, *path;
	} cats[] = {{1, 0, "Home", "home", "1"},       {2, 1, "Furniture", "furniture", "1.2"},
	            {3, 2, "Sofas", "sofas", "1.2.3"}, {4, 1, "Lamps", "lamps", "1.4"},
	            {5, 0, "Garden", "garden", "5"},   {7, 5, "Outdoor", "outdoor", "5.7"},
	            {8, 1, "Outdoor", "outdoor", "1.8"}};
	for (size_t i = 0; i < sizeof(cats) / sizeof(cats[0]); i++)
		FUZZ_CHECK(sx_index_put_category_for_test(fuzz_ix, cats[i].id, cats[i].parent,
		                                          cats[i].name, cats[i].slug,
		                                          cats[i].path) == SOUK_OK);
	put_doc(101, 3, 50000, 45, "Acme", "red", NULL, "L", true,
	        "'red':1A 'sofa':2A 'acm':3B 'comfort':4C");
	put_doc(102, 3, 30000, 40, "ACME", "blue", NULL, "M", true, "'blue':1A 'sofa':2A 'acm':3B");
	put_doc(103, 4, -1, -1, "Lumo", "red", "white", NULL, true,
	        "'sofa':1A 'lamp':2A 'lumo':3B 'red':5C");
	put_doc(104, 5, 2000, 31, "", NULL, NULL, NULL, false, "'garden':1A 'chair':2A 'sofa':4C");
	put_doc(105, 8, 2500, 20, "acme", "red", NULL, "10", true, "'red':1A 'lamp':2A 'acm':3B");
	put_doc(106, 7, 10000, 50, "Zed", "green", NULL, "10.5", true,
	        "'outdoor':1A 'sofa':2A,12C 'zed':3B 'red':4A,9C");
	return fuzz_ix;
}

/* One tsquery operand: the word quoted as PostgreSQL prints it. */
static void put_word(buf *b, const char *w, size_t n)
{
	buf_putc(b, '\'');
	for (size_t i = 0; i < n; i++) {
		if (w[i] == '\'' || w[i] == '\\')
			buf_putc(b, w[i]);
		buf_putc(b, w[i]);
	}
	buf_putc(b, '\'');
}

/* What statement search_parse would give for text, without PostgreSQL:
 * each word a term (no stemming), every word (relaxed 0) or any. */
static int fake_terms(ctx *c, const char *text, int relaxed, sx_terms *t)
{
	memset(t, 0, sizeof(*t));
	size_t n = strlen(text), nw = 1;
	for (size_t i = 0; i < n; i++)
		nw += text[i] == ' ';
	t->terms = arena_alloc(c->a, sizeof(char *) * nw);
	double *idfs = arena_alloc(c->a, sizeof(double) * nw);
	t->bigrams = arena_alloc(c->a, sizeof(char *) * nw);
	if (!t->terms || !idfs || !t->bigrams)
		return ctx_fail(c, 500, "internal", "out of memory");
	buf all, any;
	buf_init(&all, c->a, 0);
	buf_init(&any, c->a, 0);
	const char *prev = NULL;
	for (size_t i = 0; i < n;) {
		size_t j = i;
		while (j < n && text[j] != ' ')
			j++;
		const char *w = arena_strndup(c->a, text + i, j - i);
		if (t->nterms) {
			buf_puts(&all, " & ");
			buf_puts(&any, " | ");
			buf bg;
			buf_init(&bg, c->a, 0);
			buf_printf(&bg, "%s %s", prev, w);
			t->bigrams[t->nbigrams++] = bg.p;
		}
		put_word(&all, text + i, j - i);
		put_word(&any, text + i, j - i);
		idfs[t->nterms] = 1.0 + (double)(j - i) / 10;
		t->terms[t->nterms++] = w;
		prev = w;
		i = j + 1;
	}
	if (all.failed || any.failed)
		return ctx_fail(c, 500, "internal", "out of memory");
	t->idfs = idfs;
	t->tsq = t->andq = all.p;
	t->orq = any.p;
	if (relaxed)
		t->tsq = any.p;
	return SOUK_OK;
}

static search_engine mem_engine;

static int fuzz_run_once(ctx *c, void *self, const search_query *q, const search_scope *sc,
                         const char *text, int relaxed, search_result *out)
{
	FUZZ_CHECK(relaxed >= 0 && relaxed <= 2);
	FUZZ_CHECK(!text || *text);
	memset(out, 0, sizeof(*out));
	if (sc->no_match)
		return SOUK_OK;
	sx_terms t;
	if (text && fake_terms(c, text, relaxed, &t) < 0)
		return SOUK_ERR;
	int rc = sx_search_run_terms(c, self, q, sc, text ? &t : NULL, out);
	if (rc == SOUK_OK) {
		FUZZ_CHECK(out->nhits >= 0 && out->nhits <= q->limit && out->total >= out->nhits);
		for (int i = 0; i + 1 < out->nhits; i++)
			FUZZ_CHECK(out->hits[i].id != out->hits[i + 1].id);
		FUZZ_CHECK(out->nprices == sc->nranges || (!q->facets && out->nprices == 0));
	}
	return rc;
}

int fuzz_search_execute(ctx *c, const search_query *q, search_result *out)
{
	if (!mem_engine.resolve) {
		sx_search_engine(engine_index(), &mem_engine);
		mem_engine.run_once = fuzz_run_once;
	}
	search_query nq = *q;
	nq.no_correct = true; /* correction asks PostgreSQL */
	int rc = search_execute(c, &nq, &mem_engine, out);
	if (rc < 0) {
		fuzz_check_failure(c);
		/* 400: the query is bad; 404: no such category id; 501: a
		 * tsquery the engine cannot parse (the pools then ask PostgreSQL) */
		FUZZ_CHECK(c->err_status == 400 || c->err_status == 404 || c->err_status == 501);
	}
	return rc;
}

static bool strs_eq(const str *a, const str *b, int n)
{
	for (int i = 0; i < n; i++)
		if (!str_eq(a[i], b[i]))
			return false;
	return true;
}

void fuzz_check_wire_roundtrip(ctx *c, const search_query *q)
{
	str text = search_query_to_json(c, q);
	FUZZ_CHECK(text.p && text.len);
	search_query b;
	if (search_query_from_json(c, text, &b) < 0) {
		fprintf(stderr, "wire: %s: %.*s\n", c->err_msg ? c->err_msg : "?", (int)text.len, text.p);
		FUZZ_CHECK(!"search_query_from_json refused search_query_to_json's text");
	}
	FUZZ_CHECK(str_eq(q->q, b.q));
	FUZZ_CHECK(q->w.title == b.w.title && q->w.brand == b.w.brand &&
	           q->w.description == b.w.description);
	FUZZ_CHECK(q->category_id == b.category_id);
	FUZZ_CHECK(!q->category_slug == !b.category_slug);
	FUZZ_CHECK(!q->category_slug || strcmp(q->category_slug, b.category_slug) == 0);
	FUZZ_CHECK(q->nbrands == b.nbrands && strs_eq(q->brands, b.brands, q->nbrands));
	FUZZ_CHECK(q->ncolors == b.ncolors && strs_eq(q->colors, b.colors, q->ncolors));
	FUZZ_CHECK(q->nsizes == b.nsizes && strs_eq(q->sizes, b.sizes, q->nsizes));
	FUZZ_CHECK(q->price_min == b.price_min && q->price_max == b.price_max);
	FUZZ_CHECK(q->in_stock == b.in_stock && q->rating_min == b.rating_min);
	FUZZ_CHECK(q->sort == b.sort && q->offset == b.offset && q->limit == b.limit);
	FUZZ_CHECK(q->facets == b.facets && q->no_cache == b.no_cache &&
	           q->no_correct == b.no_correct);
	FUZZ_CHECK(q->nranges == b.nranges);
	for (int i = 0; i < q->nranges; i++) {
		FUZZ_CHECK(q->ranges[i].from == b.ranges[i].from && q->ranges[i].to == b.ranges[i].to);
		FUZZ_CHECK(!q->ranges[i].key == !b.ranges[i].key);
		FUZZ_CHECK(!q->ranges[i].key || strcmp(q->ranges[i].key, b.ranges[i].key) == 0);
	}
}
