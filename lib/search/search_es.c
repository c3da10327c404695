/* search_es: Elasticsearch-shaped request -> search_query, result -> response. */
#include "search/search_es.h"

#include <math.h>
#include <strings.h>

#include "core/js.h"

#define ES_MAX_AGG_NAME 64
#define ES_MAX_PRICE 1000000000.0 /* major units; beyond is a typo, not a price */
#define ES_MAX_TERM 200

/* Filter fields, each allowed once per query (ES would AND two term
 * clauses on one field; we only OR values, so a repeat is refused). */
enum {
	F_CATEGORY = 1 << 0,
	F_BRAND = 1 << 1,
	F_COLOR = 1 << 2,
	F_SIZE = 1 << 3,
	F_IN_STOCK = 1 << 4,
	F_PRICE = 1 << 5,
	F_RATING = 1 << 6,
};

typedef struct {
	ctx *c;
	search_es_request *r;
	unsigned seen;  /* filter fields given (F_*) */
	bool text;      /* a multi_match was given */
} es;

/* Records the 400 for the clause at `path`. */
static int bad(es *p, const char *path, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
static int bad(es *p, const char *path, const char *fmt, ...)
{
	buf b;
	buf_init(&b, p->c->a, 0);
	buf_printf(&b, "%s", path);
	va_list ap;
	va_start(ap, fmt);
	buf_vprintf(&b, fmt, ap);
	va_end(ap);
	return ctx_fail(p->c, 400, "bad_request", "%s", b.p ? b.p : "bad _search body");
}

/* "parent.key" (or "parent[i]") in the arena: the name of a clause. */
static const char *sub(es *p, const char *parent, const char *key)
{
	buf b;
	buf_init(&b, p->c->a, 0);
	buf_printf(&b, "%s%s%.*s", parent, *parent ? "." : "", 60, key);
	return b.p ? b.p : "?";
}

static const char *idx(es *p, const char *parent, size_t i)
{
	buf b;
	buf_init(&b, p->c->a, 0);
	buf_printf(&b, "%s[%zu]", parent, i);
	return b.p ? b.p : "?";
}

static bool is_type(json_object *o, json_type t)
{
	return o && json_object_is_type(o, t);
}

/* The only key of a one-key object ({"term": {...}}); NULL otherwise. */
static const char *only_key(json_object *o, json_object **val)
{
	if (!is_type(o, json_type_object) || json_object_object_length(o) != 1)
		return NULL;
	json_object_object_foreach(o, k, v)
	{
		*val = v;
		return k;
	}
	return NULL;
}

/* Every key of o must be in `allowed` (NULL-ended). */
static int known_keys(es *p, const char *path, json_object *o, const char *const *allowed)
{
	json_object_object_foreach(o, k, v)
	{
		(void)v;
		bool ok = false;
		for (int i = 0; allowed[i] && !ok; i++)
			ok = strcmp(k, allowed[i]) == 0;
		if (!ok)
			return bad(p, sub(p, path, k), " is not supported");
	}
	return SOUK_OK;
}

/* A JSON number in major units as cents; exactly representable ones only
 * (at most two decimals), 0 .. ES_MAX_PRICE. */
static int money(es *p, const char *path, json_object *v, int64_t *cents)
{
	if (!is_type(v, json_type_int) && !is_type(v, json_type_double))
		return bad(p, path, " must be a number (major units, e.g. 49.99)");
	double d = json_object_get_double(v);
	if (!isfinite(d) || d < 0 || d > ES_MAX_PRICE)
		return bad(p, path, " must be between 0 and %.0f", ES_MAX_PRICE);
	double x = d * 100.0;
	double r = round(x);
	if (fabs(x - r) > 1e-6 * (r > 1 ? r : 1))
		return bad(p, path, " must have at most two decimals");
	*cents = (int64_t)r;
	return SOUK_OK;
}

/* ------------------------------------------------------------ query */

static const char *const mm_keys[] = {"query", "fields", NULL};

/* "title^3" -> field weight; every one of the three fields is required:
 * the engine searches one weighted document, so leaving a field out
 * cannot be honoured. */
static int mm_fields(es *p, const char *path, json_object *fields, search_weights *w)
{
	if (!is_type(fields, json_type_array) || json_object_array_length(fields) == 0)
		return bad(p, path, " must be a non-empty array of field names");
	double got[3] = {-1, -1, -1};
	static const char *const names[3] = {"title", "brand", "description"};
	size_t n = json_object_array_length(fields);
	for (size_t i = 0; i < n; i++) {
		const char *fp = idx(p, path, i);
		json_object *f = json_object_array_get_idx(fields, i);
		if (!is_type(f, json_type_string))
			return bad(p, fp, " must be a string such as \"title^3\"");
		const char *s = json_object_get_string(f);
		const char *caret = strchr(s, '^');
		size_t nlen = caret ? (size_t)(caret - s) : strlen(s);
		int which = -1;
		for (int k = 0; k < 3; k++)
			if (strlen(names[k]) == nlen && strncmp(s, names[k], nlen) == 0)
				which = k;
		if (which < 0)
			return bad(p, fp, ": unknown field \"%.*s\" (title, description, brand)",
			           (int)(nlen > 40 ? 40 : nlen), s);
		if (got[which] >= 0)
			return bad(p, fp, ": field %s given twice", names[which]);
		double boost = 1.0;
		if (caret) {
			char *end;
			boost = strtod(caret + 1, &end);
			if (caret[1] == '\0' || *end != '\0' || !isfinite(boost) || boost <= 0 ||
			    boost > SEARCH_ES_MAX_BOOST)
				return bad(p, fp, ": the boost must be a number above 0 and at most %.0f",
				           SEARCH_ES_MAX_BOOST);
		}
		got[which] = boost;
	}
	for (int k = 0; k < 3; k++)
		if (got[k] < 0)
			return bad(p, path, " must name title, description and brand (with any boosts): "
			                    "searching only some fields is not supported");
	w->title = got[0];
	w->brand = got[1];
	w->description = got[2];
	return SOUK_OK;
}

static int multi_match(es *p, const char *path, json_object *o)
{
	if (!is_type(o, json_type_object))
		return bad(p, path, " must be an object");
	if (p->text)
		return bad(p, path, ": only one multi_match per query is supported");
	if (known_keys(p, path, o, mm_keys) < 0)
		return SOUK_ERR;
	const char *q;
	int rc = js_get_str(o, "query", &q);
	if (rc <= 0)
		return bad(p, sub(p, path, "query"), " must be a string");
	str s = str_c(q);
	bool blank = true;
	for (size_t i = 0; i < s.len && blank; i++)
		blank = s.p[i] == ' ' || s.p[i] == '\t' || s.p[i] == '\n' || s.p[i] == '\r';
	if (blank)
		return bad(p, sub(p, path, "query"), " must not be empty (use match_all)");
	if (s.len > SEARCH_MAX_QUERY)
		return bad(p, sub(p, path, "query"), " is longer than %d bytes", SEARCH_MAX_QUERY);
	json_object *fields;
	if (json_object_object_get_ex(o, "fields", &fields) &&
	    mm_fields(p, sub(p, path, "fields"), fields, &p->r->q.w) < 0)
		return SOUK_ERR;
	p->r->q.q = s;
	p->text = true;
	return SOUK_OK;
}

static int match_all(es *p, const char *path, json_object *o)
{
	if (!is_type(o, json_type_object))
		return bad(p, path, " must be an object");
	static const char *const none[] = {NULL};
	return known_keys(p, path, o, none);
}

/* A string value of a term/terms filter on brand/color/size. */
static int term_str(es *p, const char *path, json_object *v, str *arr, int *n)
{
	if (!is_type(v, json_type_string))
		return bad(p, path, " must be a string");
	str s = str_c(json_object_get_string(v));
	if (s.len == 0 || s.len > ES_MAX_TERM)
		return bad(p, path, " must be 1 to %d bytes", ES_MAX_TERM);
	if (*n >= SEARCH_MAX_VALUES)
		return bad(p, path, ": at most %d values", SEARCH_MAX_VALUES);
	arr[(*n)++] = s;
	return SOUK_OK;
}

/* One value of a term/terms filter on `field`. */
static int term_value(es *p, const char *path, const char *field, json_object *v)
{
	search_query *q = &p->r->q;
	if (strcmp(field, "category") == 0) {
		if (q->category_id || q->category_slug)
			return bad(p, path, ": only one category per query is supported");
		if (is_type(v, json_type_int)) {
			int64_t id = json_object_get_int64(v);
			if (id <= 0 || id == INT64_MAX)
				return bad(p, path, " must be a positive category id or a slug");
			q->category_id = id;
			return SOUK_OK;
		}
		if (!is_type(v, json_type_string) || json_object_get_string_len(v) == 0 ||
		    json_object_get_string_len(v) > ES_MAX_TERM)
			return bad(p, path, " must be a positive category id or a slug");
		q->category_slug = json_object_get_string(v);
		return SOUK_OK;
	}
	if (strcmp(field, "brand") == 0)
		return term_str(p, path, v, q->brands, &q->nbrands);
	if (strcmp(field, "color") == 0)
		return term_str(p, path, v, q->colors, &q->ncolors);
	if (strcmp(field, "size") == 0)
		return term_str(p, path, v, q->sizes, &q->nsizes);
	/* in_stock */
	if (!is_type(v, json_type_boolean))
		return bad(p, path, " must be true or false");
	if (!json_object_get_boolean(v))
		return bad(p, path, ": false is not supported (only in-stock filtering)");
	q->in_stock = true;
	return SOUK_OK;
}

static int field_bit(const char *f)
{
	static const struct {
		const char *name;
		int bit;
	} map[] = {{"category", F_CATEGORY}, {"brand", F_BRAND}, {"color", F_COLOR},
	           {"size", F_SIZE}, {"in_stock", F_IN_STOCK}, {"price", F_PRICE},
	           {"rating", F_RATING}};
	for (size_t i = 0; i < sizeof(map) / sizeof(map[0]); i++)
		if (strcmp(f, map[i].name) == 0)
			return map[i].bit;
	return 0;
}

/* Each filter field once; term/terms fields exclude price and rating. */
static int filter_field(es *p, const char *path, const char *field, bool range)
{
	int bit = field_bit(field);
	bool ok = range ? (bit == F_PRICE || bit == F_RATING) : (bit && bit != F_PRICE && bit != F_RATING);
	if (!ok)
		return bad(p, path, ": unknown field (%s)",
		           range ? "price, rating" : "category, brand, color, size, in_stock");
	if (p->seen & (unsigned)bit)
		return bad(p, path, ": a second filter on %s is not supported", field);
	p->seen |= (unsigned)bit;
	return SOUK_OK;
}

static int term(es *p, const char *path, json_object *o)
{
	json_object *v;
	const char *field = only_key(o, &v);
	if (!field)
		return bad(p, path, " must be an object with one field");
	const char *fp = sub(p, path, field);
	if (filter_field(p, fp, field, false) < 0)
		return SOUK_ERR;
	if (is_type(v, json_type_object)) { /* long form {"field": {"value": x}} */
		static const char *const keys[] = {"value", NULL};
		json_object *inner;
		if (known_keys(p, fp, v, keys) < 0)
			return SOUK_ERR;
		if (!json_object_object_get_ex(v, "value", &inner))
			return bad(p, fp, ".value is missing");
		return term_value(p, sub(p, fp, "value"), field, inner);
	}
	return term_value(p, fp, field, v);
}

static int terms(es *p, const char *path, json_object *o)
{
	json_object *v;
	const char *field = only_key(o, &v);
	if (!field)
		return bad(p, path, " must be an object with one field");
	const char *fp = sub(p, path, field);
	if (filter_field(p, fp, field, false) < 0)
		return SOUK_ERR;
	if (!is_type(v, json_type_array) || json_object_array_length(v) == 0)
		return bad(p, fp, " must be a non-empty array");
	size_t n = json_object_array_length(v);
	for (size_t i = 0; i < n; i++)
		if (term_value(p, idx(p, fp, i), field, json_object_array_get_idx(v, i)) < 0)
			return SOUK_ERR;
	return SOUK_OK;
}

static int range_price(es *p, const char *path, json_object *o)
{
	search_query *q = &p->r->q;
	int64_t lo = -1, hi = -1, v;
	json_object_object_foreach(o, k, val)
	{
		const char *kp = sub(p, path, k);
		bool gte = strcmp(k, "gte") == 0, gt = strcmp(k, "gt") == 0;
		bool lte = strcmp(k, "lte") == 0, lt = strcmp(k, "lt") == 0;
		if (!gte && !gt && !lte && !lt)
			return bad(p, kp, " is not supported (gte, gt, lte, lt)");
		if (money(p, kp, val, &v) < 0)
			return SOUK_ERR;
		if ((gte || gt) && lo >= 0)
			return bad(p, kp, ": give only one of gte and gt");
		if ((lte || lt) && hi >= 0)
			return bad(p, kp, ": give only one of lte and lt");
		if (gte)
			lo = v;
		else if (gt)
			lo = v + 1;
		else if (lte)
			hi = v;
		else if (v == 0)
			return bad(p, kp, " must be above 0");
		else
			hi = v - 1;
	}
	if (lo < 0 && hi < 0)
		return bad(p, path, " needs gte, gt, lte or lt");
	q->price_min = lo;
	q->price_max = hi;
	return SOUK_OK;
}

static int range_rating(es *p, const char *path, json_object *o)
{
	json_object_object_foreach(o, k, val)
	{
		const char *kp = sub(p, path, k);
		if (strcmp(k, "gte") != 0)
			return bad(p, kp, " is not supported (rating takes gte only)");
		double d = is_type(val, json_type_int) || is_type(val, json_type_double)
		               ? json_object_get_double(val) : -1;
		if (!(d >= 1 && d <= 5) || d != floor(d))
			return bad(p, kp, " must be a whole number from 1 to 5");
		p->r->q.rating_min = (int)d;
	}
	if (p->r->q.rating_min == 0)
		return bad(p, path, " needs gte");
	return SOUK_OK;
}

static int range(es *p, const char *path, json_object *o)
{
	json_object *v;
	const char *field = only_key(o, &v);
	if (!field)
		return bad(p, path, " must be an object with one field");
	const char *fp = sub(p, path, field);
	if (filter_field(p, fp, field, true) < 0)
		return SOUK_ERR;
	if (!is_type(v, json_type_object))
		return bad(p, fp, " must be an object such as {\"gte\": 50}");
	return strcmp(field, "price") == 0 ? range_price(p, fp, v) : range_rating(p, fp, v);
}

/* One clause of bool.must or bool.filter. */
static int clause(es *p, const char *path, json_object *o, bool must)
{
	json_object *v;
	const char *kind = only_key(o, &v);
	if (!kind)
		return bad(p, path, " must be an object with one clause");
	const char *kp = sub(p, path, kind);
	if (strcmp(kind, "match_all") == 0)
		return match_all(p, kp, v);
	if (must && strcmp(kind, "multi_match") == 0)
		return multi_match(p, kp, v);
	if (!must && strcmp(kind, "term") == 0)
		return term(p, kp, v);
	if (!must && strcmp(kind, "terms") == 0)
		return terms(p, kp, v);
	if (!must && strcmp(kind, "range") == 0)
		return range(p, kp, v);
	return bad(p, kp, " is not supported here (%s)",
	           must ? "must takes multi_match or match_all"
	                : "filter takes term, terms, range or match_all");
}

/* must / filter: one clause or an array of them. */
static int clauses(es *p, const char *path, json_object *o, bool must)
{
	if (is_type(o, json_type_object))
		return clause(p, path, o, must);
	if (!is_type(o, json_type_array))
		return bad(p, path, " must be an object or an array");
	size_t n = json_object_array_length(o);
	for (size_t i = 0; i < n; i++)
		if (clause(p, idx(p, path, i), json_object_array_get_idx(o, i), must) < 0)
			return SOUK_ERR;
	return SOUK_OK;
}

static int boolq(es *p, const char *path, json_object *o)
{
	if (!is_type(o, json_type_object))
		return bad(p, path, " must be an object");
	static const char *const keys[] = {"must", "filter", NULL};
	if (known_keys(p, path, o, keys) < 0)
		return SOUK_ERR;
	json_object *v;
	if (json_object_object_get_ex(o, "must", &v) && clauses(p, sub(p, path, "must"), v, true) < 0)
		return SOUK_ERR;
	if (json_object_object_get_ex(o, "filter", &v) &&
	    clauses(p, sub(p, path, "filter"), v, false) < 0)
		return SOUK_ERR;
	return SOUK_OK;
}

static int query(es *p, json_object *o)
{
	json_object *v;
	const char *kind = only_key(o, &v);
	if (!kind)
		return bad(p, "query", " must be an object with one clause");
	const char *kp = sub(p, "query", kind);
	if (strcmp(kind, "match_all") == 0)
		return match_all(p, kp, v);
	if (strcmp(kind, "multi_match") == 0)
		return multi_match(p, kp, v);
	if (strcmp(kind, "bool") == 0)
		return boolq(p, kp, v);
	return bad(p, kp, " is not supported (match_all, multi_match, bool)");
}

/* ------------------------------------------------------------ sort */

typedef struct {
	const char *field;
	bool desc;
} sort_key;

static int sort_entry(es *p, const char *path, json_object *e, sort_key *out)
{
	if (is_type(e, json_type_string)) { /* "_score" (desc) or "price" (asc) */
		out->field = json_object_get_string(e);
		out->desc = strcmp(out->field, "_score") == 0;
		return SOUK_OK;
	}
	json_object *v;
	const char *field = only_key(e, &v);
	if (!field)
		return bad(p, path, " must be a field name or {\"field\": \"asc|desc\"}");
	const char *fp = sub(p, path, field);
	const char *dir = NULL;
	if (is_type(v, json_type_object)) { /* {"price": {"order": "asc"}} */
		static const char *const keys[] = {"order", NULL};
		if (known_keys(p, fp, v, keys) < 0)
			return SOUK_ERR;
		if (js_get_str(v, "order", &dir) <= 0)
			return bad(p, fp, ".order must be \"asc\" or \"desc\"");
	} else if (is_type(v, json_type_string)) {
		dir = json_object_get_string(v);
	}
	if (!dir || (strcmp(dir, "asc") != 0 && strcmp(dir, "desc") != 0))
		return bad(p, fp, " must be \"asc\" or \"desc\"");
	out->field = field;
	out->desc = strcmp(dir, "desc") == 0;
	return SOUK_OK;
}

static bool key_is(const sort_key *k, const char *field, bool desc)
{
	return strcmp(k->field, field) == 0 && k->desc == desc;
}

/* The sorts the engine has: [_score desc (, sales_rank asc)], [sales_rank
 * asc] without text (the same order then), [price asc|desc], [rating
 * desc], [created_at|newest desc]. */
static int sort(es *p, json_object *o)
{
	sort_key k[2];
	size_t n;
	bool array = is_type(o, json_type_array);
	if (array) {
		n = json_object_array_length(o);
		if (n == 0 || n > 2)
			return bad(p, "sort", " must have one or two entries");
		for (size_t i = 0; i < n; i++)
			if (sort_entry(p, idx(p, "sort", i), json_object_array_get_idx(o, i), &k[i]) < 0)
				return SOUK_ERR;
	} else {
		n = 1;
		if (sort_entry(p, "sort", o, &k[0]) < 0)
			return SOUK_ERR;
	}
	search_sort *s = &p->r->q.sort;
	if (key_is(&k[0], "_score", true)) {
		if (n == 2 && !key_is(&k[1], "sales_rank", false))
			return bad(p, "sort[1]", ": after _score only {\"sales_rank\": \"asc\"} is supported");
		*s = SEARCH_SORT_RELEVANCE;
		return SOUK_OK;
	}
	const char *p0 = array ? "sort[0]" : "sort";
	if (key_is(&k[0], "sales_rank", false)) {
		if (p->text)
			return bad(p, p0, ": sales_rank alone with a text query is not supported "
			                  "(use [{\"_score\": \"desc\"}, {\"sales_rank\": \"asc\"}])");
		*s = SEARCH_SORT_RELEVANCE; /* no text: every score ties, sales_rank decides */
	} else if (key_is(&k[0], "price", false)) {
		*s = SEARCH_SORT_PRICE_ASC;
	} else if (key_is(&k[0], "price", true)) {
		*s = SEARCH_SORT_PRICE_DESC;
	} else if (key_is(&k[0], "rating", true)) {
		*s = SEARCH_SORT_RATING;
	} else if (key_is(&k[0], "created_at", true) || key_is(&k[0], "newest", true)) {
		*s = SEARCH_SORT_NEWEST;
	} else {
		return bad(p, sub(p, p0, k[0].field),
		           " %s is not supported (_score desc, sales_rank asc, price asc|desc, "
		           "rating desc, created_at desc)", k[0].desc ? "desc" : "asc");
	}
	if (n == 2)
		return bad(p, "sort[1]", ": a second sort key after %s is not supported", k[0].field);
	return SOUK_OK;
}

/* ------------------------------------------------------------ aggs */

static int agg_terms(es *p, const char *path, json_object *o, search_es_agg *a)
{
	if (!is_type(o, json_type_object))
		return bad(p, path, " must be an object");
	static const char *const keys[] = {"field", "size", NULL};
	if (known_keys(p, path, o, keys) < 0)
		return SOUK_ERR;
	const char *field;
	if (js_get_str(o, "field", &field) <= 0)
		return bad(p, sub(p, path, "field"), " must be a string (brand, color, category)");
	if (strcmp(field, "brand") == 0)
		a->kind = SEARCH_ES_TERMS_BRAND;
	else if (strcmp(field, "color") == 0)
		a->kind = SEARCH_ES_TERMS_COLOR;
	else if (strcmp(field, "category") == 0)
		a->kind = SEARCH_ES_TERMS_CATEGORY;
	else
		return bad(p, sub(p, path, "field"), ": terms on \"%.40s\" is not supported "
		                                     "(brand, color, category)", field);
	int64_t size = 10; /* Elasticsearch's default */
	int rc = js_get_i64(o, "size", &size);
	if (rc < 0 || size < 1 || size > SEARCH_MAX_FACET)
		return bad(p, sub(p, path, "size"), " must be an integer from 1 to %d", SEARCH_MAX_FACET);
	a->size = (int)size;
	return SOUK_OK;
}

static int agg_range(es *p, const char *path, json_object *o, search_es_agg *a)
{
	search_es_request *r = p->r;
	if (!is_type(o, json_type_object))
		return bad(p, path, " must be an object");
	static const char *const keys[] = {"field", "ranges", NULL};
	if (known_keys(p, path, o, keys) < 0)
		return SOUK_ERR;
	const char *field;
	if (js_get_str(o, "field", &field) <= 0 || strcmp(field, "price") != 0)
		return bad(p, sub(p, path, "field"), ": range aggregations take field \"price\" only");
	if (r->nasked)
		return bad(p, path, ": only one price range aggregation per query is supported");
	json_object *ranges;
	const char *rp = sub(p, path, "ranges");
	if (!json_object_object_get_ex(o, "ranges", &ranges) || !is_type(ranges, json_type_array) ||
	    json_object_array_length(ranges) == 0 ||
	    json_object_array_length(ranges) > SEARCH_MAX_RANGES)
		return bad(p, rp, " must be an array of 1 to %d ranges", SEARCH_MAX_RANGES);
	size_t n = json_object_array_length(ranges);
	for (size_t i = 0; i < n; i++) {
		const char *ip = idx(p, rp, i);
		json_object *e = json_object_array_get_idx(ranges, i), *v;
		static const char *const rkeys[] = {"from", "to", "key", NULL};
		if (!is_type(e, json_type_object))
			return bad(p, ip, " must be an object {from, to, key}");
		if (known_keys(p, ip, e, rkeys) < 0)
			return SOUK_ERR;
		search_range *s = &r->asked[i];
		s->from = s->to = -1;
		s->key = NULL;
		if (json_object_object_get_ex(e, "from", &v) && money(p, sub(p, ip, "from"), v, &s->from) < 0)
			return SOUK_ERR;
		if (json_object_object_get_ex(e, "to", &v) && money(p, sub(p, ip, "to"), v, &s->to) < 0)
			return SOUK_ERR;
		if (json_object_object_get_ex(e, "key", &v)) {
			if (!is_type(v, json_type_string) || json_object_get_string_len(v) == 0 ||
			    json_object_get_string_len(v) > ES_MAX_AGG_NAME)
				return bad(p, sub(p, ip, "key"), " must be a string of 1 to %d bytes",
				           ES_MAX_AGG_NAME);
			s->key = json_object_get_string(v);
		}
		if (s->from >= 0 && s->to >= 0 && s->from >= s->to)
			return bad(p, ip, ": from must be below to");
	}
	r->nasked = (int)n;
	a->kind = SEARCH_ES_RANGE_PRICE;
	a->size = (int)n;
	return SOUK_OK;
}

static int aggs(es *p, const char *path, json_object *o)
{
	search_es_request *r = p->r;
	if (!is_type(o, json_type_object))
		return bad(p, path, " must be an object of named aggregations");
	json_object_object_foreach(o, name, def)
	{
		const char *np = sub(p, path, name);
		size_t len = strlen(name);
		if (len == 0 || len > ES_MAX_AGG_NAME)
			return bad(p, path, ": aggregation names are 1 to %d bytes", ES_MAX_AGG_NAME);
		if (r->naggs >= SEARCH_ES_MAX_AGGS)
			return bad(p, path, ": at most %d aggregations", SEARCH_ES_MAX_AGGS);
		json_object *v;
		if (is_type(def, json_type_object) && (json_object_object_get_ex(def, "aggs", &v) ||
		                                       json_object_object_get_ex(def, "aggregations", &v)))
			return bad(p, np, ".aggs (sub-aggregations) is not supported");
		const char *kind = only_key(def, &v);
		if (!kind)
			return bad(p, np, " must be an object with one aggregation (terms or range)");
		search_es_agg *a = &r->aggs[r->naggs];
		a->name = name;
		const char *kp = sub(p, np, kind);
		if (strcmp(kind, "terms") == 0) {
			if (agg_terms(p, kp, v, a) < 0)
				return SOUK_ERR;
		} else if (strcmp(kind, "range") == 0) {
			if (agg_range(p, kp, v, a) < 0)
				return SOUK_ERR;
		} else {
			return bad(p, kp, " is not supported (terms, range)");
		}
		r->naggs++;
	}
	return SOUK_OK;
}

/* The engine's price facet ignores the price filter (disjunctive), but
 * an Elasticsearch range aggregation counts within it: each asked bucket
 * is cut to the filter's [price_min, price_max] before it is counted. */
static void clip_ranges(search_es_request *r)
{
	search_query *q = &r->q;
	q->nranges = 0;
	for (int i = 0; i < r->nasked; i++) {
		int64_t lo = r->asked[i].from, hi = r->asked[i].to; /* [lo, hi) */
		if (q->price_min >= 0 && (lo < 0 || lo < q->price_min))
			lo = q->price_min;
		if (q->price_max >= 0 && (hi < 0 || hi > q->price_max + 1))
			hi = q->price_max + 1;
		if (lo >= 0 && hi >= 0 && lo >= hi) {
			r->range_slot[i] = -1;
			continue;
		}
		r->range_slot[i] = q->nranges;
		q->ranges[q->nranges++] = (search_range){lo, hi, r->asked[i].key};
	}
}

/* ------------------------------------------------------------ parse */

int search_es_parse(ctx *c, json_object *body, search_es_request *out)
{
	memset(out, 0, sizeof(*out));
	search_query_init(&out->q);
	out->q.limit = 10;        /* Elasticsearch's default size */
	out->q.facets = false;    /* only when aggregations are asked */
	out->q.no_correct = true; /* Elasticsearch does not rewrite a query */
	es p = {c, out, 0, false};
	if (!body)
		return SOUK_OK;
	if (!is_type(body, json_type_object))
		return bad(&p, "the body", " must be a JSON object");
	static const char *const keys[] = {"query", "sort", "from", "size", "aggs", "aggregations",
	                                   "track_total_hits", NULL};
	if (known_keys(&p, "", body, keys) < 0)
		return SOUK_ERR;
	json_object *v, *a1 = NULL, *a2 = NULL;
	if (json_object_object_get_ex(body, "query", &v) && query(&p, v) < 0)
		return SOUK_ERR;
	if (json_object_object_get_ex(body, "sort", &v) && sort(&p, v) < 0)
		return SOUK_ERR;
	int64_t from = 0, size = 10;
	if (js_get_i64(body, "from", &from) < 0 || from < 0 || from > SEARCH_ES_MAX_WINDOW)
		return bad(&p, "from", " must be an integer from 0 to %d", SEARCH_ES_MAX_WINDOW);
	if (js_get_i64(body, "size", &size) < 0 || size < 0 || size > SEARCH_ES_MAX_SIZE)
		return bad(&p, "size", " must be an integer from 0 to %d", SEARCH_ES_MAX_SIZE);
	if (from + size > SEARCH_ES_MAX_WINDOW)
		return bad(&p, "from", " + size must not exceed %d", SEARCH_ES_MAX_WINDOW);
	out->q.offset = from;
	out->q.limit = size;
	bool tth;
	int rc = js_get_bool(body, "track_total_hits", &tth);
	if (rc < 0 || (rc > 0 && !tth))
		return bad(&p, "track_total_hits", ": only true is supported (totals are exact)");
	json_object_object_get_ex(body, "aggs", &a1);
	json_object_object_get_ex(body, "aggregations", &a2);
	if (a1 && a2)
		return bad(&p, "aggregations", ": give aggs or aggregations, not both");
	if ((a1 || a2) && aggs(&p, a1 ? "aggs" : "aggregations", a1 ? a1 : a2) < 0)
		return SOUK_ERR;
	/* A product has several colours: with a colour filter, Elasticsearch
	 * would count the other colours of the matching products too, which
	 * the engine's disjunctive colour facet cannot give. */
	for (int i = 0; i < out->naggs; i++)
		if (out->aggs[i].kind == SEARCH_ES_TERMS_COLOR && out->q.ncolors)
			return bad(&p, sub(&p, a1 ? "aggs" : "aggregations", out->aggs[i].name),
			           ": a terms aggregation on color together with a color filter "
			           "is not supported");
	out->q.facets = out->naggs > 0;
	clip_ranges(out);
	return SOUK_OK;
}

/* ------------------------------------------------------------ response */

/* Cents as Elasticsearch prints a double: 5000 -> 50.0, 4999 -> 49.99. */
static const char *major(ctx *c, int64_t cents)
{
	buf b;
	buf_init(&b, c->a, 0);
	int64_t u = cents / 100, f = cents % 100;
	if (f == 0)
		buf_printf(&b, "%lld.0", (long long)u);
	else if (f % 10 == 0)
		buf_printf(&b, "%lld.%lld", (long long)u, (long long)(f / 10));
	else
		buf_printf(&b, "%lld.%02lld", (long long)u, (long long)f);
	return b.p ? b.p : "0.0";
}

static json_object *money_json(ctx *c, int64_t cents)
{
	const char *s = major(c, cents);
	return json_object_new_double_s((double)cents / 100.0, s);
}

static json_object *score_json(ctx *c, double v)
{
	if (!isfinite(v))
		return NULL;
	buf b;
	buf_init(&b, c->a, 0);
	buf_printf(&b, "%.6g", v);
	return json_object_new_double_s(v, b.p ? b.p : "0");
}

static json_object *hit_json(ctx *c, const search_hit *h, bool scored)
{
	json_object *o = json_object_new_object(), *s = json_object_new_object();
	js_str(o, "_index", "products");
	buf id;
	buf_init(&id, c->a, 0);
	buf_printf(&id, "%lld", (long long)h->id);
	js_str(o, "_id", id.p); /* Elasticsearch ids are strings */
	json_object_object_add(o, "_score", scored ? score_json(c, h->score) : NULL);
	js_i64(s, "id", h->id);
	js_str(s, "ref", h->ref);
	js_str(s, "title", h->title);
	js_str(s, "brand", h->brand);
	json_object_object_add(s, "price", h->price >= 0 ? money_json(c, h->price) : NULL);
	js_bool(s, "in_stock", h->in_stock);
	if (h->rating_count > 0 && h->rating > 0) {
		buf r;
		buf_init(&r, c->a, 0);
		buf_printf(&r, "%.1f", h->rating);
		json_object_object_add(s, "rating", json_object_new_double_s(h->rating, r.p ? r.p : "0"));
	} else {
		json_object_object_add(s, "rating", NULL);
	}
	js_i64(s, "rating_count", h->rating_count);
	js_str(s, "image", h->image);
	js_i64(s, "sales_rank", h->sales_rank);
	json_object_object_add(o, "_source", s);
	return o;
}

/* Filters match brand and colour without regard to case (the engine
 * folds them), so the comparison here does too. */
static bool selected(const str *vals, int n, const char *v)
{
	size_t len = strlen(v);
	for (int i = 0; i < n; i++)
		if (vals[i].len == len && strncasecmp(vals[i].p, v, len) == 0)
			return true;
	return false;
}

/* A terms aggregation from an engine facet. The engine's facets are
 * disjunctive (a facet ignores its own filter); Elasticsearch counts
 * within every filter. For brand (one per product) the two agree on the
 * values the filter selects and Elasticsearch has no others, so only those
 * are kept when brand is filtered. (Colour aggs with a colour filter are
 * refused by the parser.) */
static json_object *terms_json(const search_es_request *r, const search_es_agg *a,
                               const search_result *res)
{
	const search_bucket *b = NULL;
	int n = 0;
	const str *filt = NULL;
	int nfilt = 0;
	switch (a->kind) {
	case SEARCH_ES_TERMS_BRAND:
		b = res->brands, n = res->nbrands, filt = r->q.brands, nfilt = r->q.nbrands;
		break;
	case SEARCH_ES_TERMS_COLOR:
		b = res->colors, n = res->ncolors, filt = r->q.colors, nfilt = r->q.ncolors;
		break;
	default:
		b = res->categories, n = res->ncategories;
		break;
	}
	json_object *o = json_object_new_object(), *arr = json_object_new_array();
	js_i64(o, "doc_count_error_upper_bound", 0);
	int shown = 0;
	int64_t other = 0;
	for (int i = 0; i < n; i++) {
		if (!b[i].value || !*b[i].value || b[i].count <= 0)
			continue;
		if (nfilt && !selected(filt, nfilt, b[i].value))
			continue;
		if (shown >= a->size) {
			other += b[i].count;
			continue;
		}
		json_object *e = json_object_new_object();
		js_str(e, "key", b[i].value);
		if (a->kind == SEARCH_ES_TERMS_CATEGORY)
			js_i64(e, "id", b[i].id);
		js_i64(e, "doc_count", b[i].count);
		json_object_array_add(arr, e);
		shown++;
	}
	js_i64(o, "sum_other_doc_count", other);
	json_object_object_add(o, "buckets", arr);
	return o;
}

/* The asked buckets, in order, counted on their clipped slots. */
static json_object *range_json(ctx *c, const search_es_request *r, const search_result *res)
{
	json_object *o = json_object_new_object(), *arr = json_object_new_array();
	for (int i = 0; i < r->nasked; i++) {
		const search_range *s = &r->asked[i];
		json_object *e = json_object_new_object();
		const char *key = s->key;
		if (!key) { /* Elasticsearch's own: "*-50.0", "50.0-100.0", "100.0-*" */
			buf k;
			buf_init(&k, c->a, 0);
			buf_printf(&k, "%s-%s", s->from >= 0 ? major(c, s->from) : "*",
			           s->to >= 0 ? major(c, s->to) : "*");
			key = k.p;
		}
		js_str(e, "key", key);
		if (s->from >= 0)
			json_object_object_add(e, "from", money_json(c, s->from));
		if (s->to >= 0)
			json_object_object_add(e, "to", money_json(c, s->to));
		int slot = r->range_slot[i];
		js_i64(e, "doc_count", slot >= 0 && slot < res->nprices ? res->prices[slot].count : 0);
		json_object_array_add(arr, e);
	}
	json_object_object_add(o, "buckets", arr);
	return o;
}

json_object *search_es_response(ctx *c, const search_es_request *r, const search_result *res,
                                int64_t took_ms)
{
	json_object *o = js_obj(c), *hits = json_object_new_object();
	js_i64(o, "took", took_ms);
	js_bool(o, "timed_out", false);
	json_object *sh = json_object_new_object();
	js_i64(sh, "total", 1);
	js_i64(sh, "successful", 1);
	js_i64(sh, "skipped", 0);
	js_i64(sh, "failed", 0);
	json_object_object_add(o, "_shards", sh);

	json_object *total = json_object_new_object();
	js_i64(total, "value", res->total);
	js_str(total, "relation", "eq");
	json_object_object_add(hits, "total", total);
	/* Scores exist only for a text query sorted by relevance. */
	bool scored = r->q.sort == SEARCH_SORT_RELEVANCE && r->q.q.len > 0;
	double max = 0;
	for (int i = 0; i < res->nhits; i++)
		if (i == 0 || res->hits[i].score > max)
			max = res->hits[i].score;
	json_object_object_add(hits, "max_score", scored && res->nhits ? score_json(c, max) : NULL);
	json_object *arr = json_object_new_array();
	for (int i = 0; i < res->nhits; i++)
		json_object_array_add(arr, hit_json(c, &res->hits[i], scored));
	json_object_object_add(hits, "hits", arr);
	json_object_object_add(o, "hits", hits);

	if (r->naggs) {
		json_object *ag = json_object_new_object();
		for (int i = 0; i < r->naggs; i++) {
			const search_es_agg *a = &r->aggs[i];
			json_object_object_add(ag, a->name, a->kind == SEARCH_ES_RANGE_PRICE
			                                         ? range_json(c, r, res)
			                                         : terms_json(r, a, res));
		}
		json_object_object_add(o, "aggregations", ag);
	}
	return o;
}
