/* fuzz_common: the harnesses' shared context and input splitting (fuzz.h). */
#include "fuzz.h"

#include <string.h>

#include "core/log.h"
#include "search/search_int.h"

/* Unreachable on purpose, as in the unit tests' helpers.c. */
static cfg fuzz_cfg = {
	.database_url = "host=/nonexistent/souk-fuzz dbname=none connect_timeout=1",
	.redis_url = "redis://127.0.0.1:1/0",
	.template_dir = "/nonexistent/souk-fuzz",
	.workers = 1,
	.max_body = 1 << 20,
	.arena_max = 16 << 20,
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

/* ------------------------------------------------ a store-less engine */

static int fake_resolve(ctx *c, void *self, const search_query *q, search_scope *sc)
{
	(void)c, (void)self;
	sc->filtered = q->category_id > 0 || q->category_slug;
	sc->no_match = q->category_slug && !*q->category_slug;
	return SOUK_OK;
}

static search_bucket *echo_buckets(ctx *c, const str *v, int n, int *nout)
{
	search_bucket *b = arena_alloc(c->a, sizeof(*b) * (size_t)(n + 1));
	if (!b)
		abort();
	for (int i = 0; i < n; i++)
		b[i] = (search_bucket){str_dup(c->a, v[i]), 0, i + 1, true};
	b[n] = (search_bucket){"other", 7, 3, false};
	*nout = n + 1;
	return b;
}

static int fake_run_once(ctx *c, void *self, const search_query *q, const search_scope *sc,
                         const char *text, int relaxed, search_result *out)
{
	(void)self;
	FUZZ_CHECK(relaxed >= 0 && relaxed <= 2);
	FUZZ_CHECK(!text || *text);
	memset(out, 0, sizeof(*out));
	if (sc->no_match)
		return SOUK_OK;
	out->total = relaxed ? relaxed * 2 : 0;
	out->nhits = (int)(out->total < q->limit ? out->total : q->limit);
	out->hits = arena_alloc(c->a, sizeof(search_hit) * (size_t)(out->nhits + 1));
	if (!out->hits)
		abort();
	for (int i = 0; i < out->nhits; i++)
		out->hits[i] = (search_hit){.id = i + 1, .ref = "ref", .title = text ? text : "",
		                            .brand = "b", .image = "", .slug_source = "t",
		                            .price = i ? 1999 : -1, .rating = 4.5,
		                            .score = 0.25 * i};
	if (q->facets) {
		out->brands = echo_buckets(c, q->brands, q->nbrands, &out->nbrands);
		out->colors = echo_buckets(c, q->colors, q->ncolors, &out->ncolors);
		out->categories = echo_buckets(c, q->sizes, q->nsizes, &out->ncategories);
		out->prices = arena_alloc(c->a, sizeof(*out->prices) * (size_t)(sc->nranges + 1));
		if (!out->prices)
			abort();
		for (int i = 0; i < sc->nranges; i++)
			out->prices[i] = (search_price_bucket){sc->ranges[i].from, sc->ranges[i].to,
			                                       sc->ranges[i].key, i};
		out->nprices = sc->nranges;
	}
	return SOUK_OK;
}

static const search_engine fake_engine = {"fuzz", NULL, fake_resolve, fake_run_once};

int fuzz_search_execute(ctx *c, const search_query *q, search_result *out)
{
	search_query nq = *q;
	nq.no_correct = true; /* correction asks PostgreSQL */
	int rc = search_execute(c, &nq, &fake_engine, out);
	if (rc < 0)
		fuzz_check_failure(c);
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
