/* flash: a flash sale's rules and its PostgreSQL rows (create, pause,
 * resume, the admission rule, the shuffle); what also touches the line
 * in Redis (end, the dashboard, the tick) is flash_ops.c. */
#include "shop/flash.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/digest.h"
#include "core/js.h"
#include "core/log.h"
#include "shop/catalog.h"
#include "shop/flash_push.h"
#include "shop/outbox.h"
#include "store/db.h"

#define FLASH_COLS                                                                          \
	"s.id, s.sku_id, v.product_id, s.units, s.units_sold, s.price, o.price AS list_price," \
	" extract(epoch FROM s.prequeue_at)::bigint AS pq,"                                    \
	" extract(epoch FROM s.starts_at)::bigint AS st,"                                      \
	" extract(epoch FROM s.ends_at)::bigint AS en, s.per_customer, s.max_active,"          \
	" s.admit_per_min, s.pass_minutes, s.over_admit_pct, s.state, p.title,"                \
	" s.ck_seq, s.ck_adm, s.ck_admitted"
#define FLASH_FROM                                                                          \
	" FROM flash_sales s JOIN offers o ON o.id = s.sku_id"                                  \
	" JOIN product_variants v ON v.id = o.variant_id JOIN products p ON p.id = v.product_id"

/* Stock moves keep the (sku, warehouse) lock order of inventory.c. */
static const db_stmt flash_sql[] = {
	{"flash_get", "SELECT " FLASH_COLS FLASH_FROM " WHERE s.id = $1"},
	{"flash_for_sku",
	 "SELECT " FLASH_COLS FLASH_FROM " WHERE s.sku_id = $1 AND s.state <> 'ended'"
	 " AND s.ends_at > now() AND least(s.prequeue_at, s.starts_at - interval '1 day') <= now()"
	 " ORDER BY s.starts_at LIMIT 1"},
	{"flash_offer",
	 "SELECT o.id FROM offers o WHERE o.id = $1"},
	{"flash_insert",
	 "INSERT INTO flash_sales (sku_id, units, price, prequeue_at, starts_at, ends_at,"
	 " per_customer, max_active, admit_per_min, pass_minutes, over_admit_pct)"
	 " VALUES ($1, $2, $3, to_timestamp($4), to_timestamp($5), to_timestamp($6), $7, $8, $9,"
	 " $10, $11) RETURNING id"},
	{"flash_lock_inv",
	 "SELECT warehouse_id FROM inventory WHERE sku_id = $1"
	 " ORDER BY sku_id, warehouse_id FOR UPDATE"},
	/* the first warehouses (by id) give what they have until units are
	 * taken; flash_stock remembers how many came from each */
	{"flash_take_stock",
	 "WITH s AS (SELECT warehouse_id, quantity_available AS room,"
	 "   coalesce(sum(quantity_available) OVER (ORDER BY warehouse_id ROWS BETWEEN"
	 "   UNBOUNDED PRECEDING AND 1 PRECEDING), 0) AS before FROM inventory WHERE sku_id = $2),"
	 " g AS (SELECT warehouse_id, least(room, greatest($3 - before, 0))::int AS q FROM s"
	 "       WHERE least(room, greatest($3 - before, 0)) > 0),"
	 " u AS (UPDATE inventory i SET quantity_available = i.quantity_available - g.q FROM g"
	 "       WHERE i.sku_id = $2 AND i.warehouse_id = g.warehouse_id"
	 "       AND i.quantity_available >= g.q RETURNING g.q),"
	 " f AS (INSERT INTO flash_stock (sale_id, warehouse_id, qty)"
	 "       SELECT $1, warehouse_id, q FROM g)"
	 " SELECT coalesce(sum(q), 0) AS taken FROM u"},
	{"flash_set_state",
	 "UPDATE flash_sales SET state = $2 WHERE id = $1 AND state <> 'ended' RETURNING id"},
	{"flash_end",
	 "WITH old AS (SELECT id, units - units_sold AS back FROM flash_sales"
	 "             WHERE id = $1 AND state <> 'ended' FOR UPDATE)"
	 " UPDATE flash_sales s SET state = 'ended', ended_at = now(), units = s.units_sold"
	 " FROM old WHERE s.id = old.id RETURNING old.back, s.sku_id"},
	{"flash_live_ids",
	 "SELECT id, state, ends_at <= now() AS over, starts_at <= now() AND NOT started_event"
	 " AS starting FROM flash_sales WHERE state <> 'ended'"
	 " ORDER BY id LIMIT 1000"},
	{"flash_started",
	 "UPDATE flash_sales SET started_event = true WHERE id = $1 AND NOT started_event"
	 " RETURNING id"},
	{"flash_checkpoint",
	 "UPDATE flash_sales SET ck_seq = greatest(ck_seq, $2), ck_adm = greatest(ck_adm, $3),"
	 " ck_admitted = greatest(ck_admitted, $4), ck_at = now() WHERE id = $1"},
	{"flash_sold_counts",
	 "SELECT count(*) FILTER (WHERE NOT f.released AND o.status = 'PENDING') AS pending,"
	 " count(DISTINCT f.customer) FILTER (WHERE NOT f.released) AS buyers,"
	 " count(*) FILTER (WHERE NOT f.released) AS orders"
	 " FROM flash_orders f JOIN orders o ON o.id = f.order_id WHERE f.sale_id = $1"},
	{"flash_list",
	 "SELECT " FLASH_COLS FLASH_FROM " ORDER BY s.id DESC LIMIT 100"},
};

void flash_register(void)
{
	outbox_register();
	db_register(flash_sql, sizeof(flash_sql) / sizeof(flash_sql[0]));
}

flash_phase flash_phase_at(const flash_sale *s, int64_t now)
{
	if (strcmp(s->state, "ended") == 0 || now >= s->ends_at)
		return FLASH_ENDED;
	if (now < s->prequeue_at)
		return FLASH_NOT_OPEN;
	if (now < s->starts_at)
		return FLASH_PREQUEUE;
	return strcmp(s->state, "paused") == 0 ? FLASH_PAUSED : FLASH_RUNNING;
}

static void fill(ctx *c, db_res *r, int i, flash_sale *s)
{
	s->id = db_i64(r, i, "id");
	s->sku_id = db_i64(r, i, "sku_id");
	s->product_id = db_i64(r, i, "product_id");
	s->units = db_i64(r, i, "units");
	s->units_sold = db_i64(r, i, "units_sold");
	s->price = db_i64(r, i, "price");
	s->list_price = db_i64(r, i, "list_price");
	s->prequeue_at = db_i64(r, i, "pq");
	s->starts_at = db_i64(r, i, "st");
	s->ends_at = db_i64(r, i, "en");
	s->per_customer = db_i64(r, i, "per_customer");
	s->max_active = db_i64(r, i, "max_active");
	s->admit_per_min = db_i64(r, i, "admit_per_min");
	s->pass_minutes = db_i64(r, i, "pass_minutes");
	s->over_admit_pct = db_i64(r, i, "over_admit_pct");
	s->state = db_val(r, i, "state");
	s->title = db_val(r, i, "title");
	s->ck_seq = db_i64(r, i, "ck_seq");
	s->ck_admitted = db_i64(r, i, "ck_admitted");
	const char *adm = db_val(r, i, "ck_adm");
	s->ck_adm = adm ? strtod(adm, NULL) : -1;
	(void)c;
}

int flash_get(ctx *c, int64_t id, flash_sale *out)
{
	const char *p[] = {db_param_i64(c, id)};
	db_res *r = db_exec(c, "flash_get", 1, p);
	if (!r)
		return SOUK_ERR;
	if (db_rows(r) == 0)
		return ctx_fail(c, 404, "not_found", "no such flash sale");
	fill(c, r, 0, out);
	return SOUK_OK;
}

static int64_t now_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* A few sales per process for FLASH_CACHE_MS; the strings are copied into
 * process memory (the arena's die with the request). */
#define FLASH_CACHE_SLOTS 8
static struct {
	flash_sale s;
	char state[16];
	char title[256];
	int64_t at;
} cache[FLASH_CACHE_SLOTS];

int flash_get_cached(ctx *c, int64_t id, flash_sale *out)
{
	int64_t t = now_ms();
	int slot = (int)(id % FLASH_CACHE_SLOTS);
	if (cache[slot].s.id == id && t - cache[slot].at < FLASH_CACHE_MS) {
		*out = cache[slot].s;
		return SOUK_OK;
	}
	if (flash_get(c, id, out) < 0)
		return SOUK_ERR;
	cache[slot].s = *out;
	snprintf(cache[slot].state, sizeof(cache[slot].state), "%s", out->state);
	snprintf(cache[slot].title, sizeof(cache[slot].title), "%s", out->title ? out->title : "");
	cache[slot].s.state = cache[slot].state;
	cache[slot].s.title = cache[slot].title;
	cache[slot].at = t;
	return SOUK_OK;
}

int flash_for_sku(ctx *c, int64_t sku_id, flash_sale *out)
{
	const char *p[] = {db_param_i64(c, sku_id)};
	db_res *r = db_exec(c, "flash_for_sku", 1, p);
	if (!r)
		return SOUK_ERR;
	if (db_rows(r) == 0)
		return 0;
	fill(c, r, 0, out);
	return 1;
}

static void defaults(flash_params *p)
{
	if (!p->prequeue_at)
		p->prequeue_at = p->starts_at;
	if (!p->per_customer)
		p->per_customer = 2;
	if (!p->max_active)
		p->max_active = 100;
	if (!p->admit_per_min)
		p->admit_per_min = 600;
	if (!p->pass_minutes)
		p->pass_minutes = 10;
	if (!p->over_admit_pct)
		p->over_admit_pct = 150;
}

static int check_params(ctx *c, const flash_params *p)
{
	if (p->sku_id <= 0)
		return ctx_fail(c, 400, "bad_request", "--sku must be an offer id");
	if (p->units < 1 || p->units > 1000000)
		return ctx_fail(c, 400, "bad_request", "--units must be 1 to 1000000");
	if (p->price < 1 || p->price > 100000000)
		return ctx_fail(c, 400, "bad_request", "--price must be 1 to 100000000 cents");
	if (p->starts_at <= 0 || p->ends_at <= p->starts_at)
		return ctx_fail(c, 400, "bad_request", "--ends must be after --starts");
	if (p->prequeue_at > p->starts_at)
		return ctx_fail(c, 400, "bad_request", "--prequeue must not be after --starts");
	if (p->per_customer < 1 || p->per_customer > 99)
		return ctx_fail(c, 400, "bad_request", "--limit must be 1 to 99");
	if (p->max_active < 1 || p->max_active > 100000)
		return ctx_fail(c, 400, "bad_request", "--max-active must be 1 to 100000");
	if (p->admit_per_min < 1 || p->admit_per_min > 1000000)
		return ctx_fail(c, 400, "bad_request", "--admit-per-min must be 1 to 1000000");
	if (p->pass_minutes < 1 || p->pass_minutes > 1440)
		return ctx_fail(c, 400, "bad_request", "--pass-minutes must be 1 to 1440");
	if (p->over_admit_pct < 100 || p->over_admit_pct > 1000)
		return ctx_fail(c, 400, "bad_request", "the over-admission factor must be 100 to 1000 %%");
	return SOUK_OK;
}

/* One flash.* event in the caller's transaction. */
int flash_announce(ctx *c, int64_t id, const char *type, int64_t units)
{
	json_object *e = js_obj(c);
	js_str(e, "type", type);
	js_i64(e, "sale_id", id);
	if (units >= 0)
		js_i64(e, "units", units);
	return outbox_add(c, "flash", db_param_i64(c, id), e);
}

int flash_create(ctx *c, const flash_params *in, int64_t *id)
{
	flash_params p = *in;
	defaults(&p);
	if (check_params(c, &p) < 0)
		return SOUK_ERR;
	const char *sku = db_param_i64(c, p.sku_id);
	const char *op[] = {sku};
	db_res *o = db_exec(c, "flash_offer", 1, op);
	if (!o)
		return SOUK_ERR;
	if (db_rows(o) == 0)
		return ctx_fail(c, 404, "not_found", "no such offer %lld", (long long)p.sku_id);
	if (db_begin(c) < 0)
		return SOUK_ERR;
	const char *ip[] = {sku, db_param_i64(c, p.units), db_param_i64(c, p.price),
	                    db_param_i64(c, p.prequeue_at), db_param_i64(c, p.starts_at),
	                    db_param_i64(c, p.ends_at), db_param_i64(c, p.per_customer),
	                    db_param_i64(c, p.max_active), db_param_i64(c, p.admit_per_min),
	                    db_param_i64(c, p.pass_minutes), db_param_i64(c, p.over_admit_pct)};
	db_res *r = db_exec(c, "flash_insert", 11, ip);
	int rc = r ? SOUK_OK : SOUK_ERR;
	if (rc == SOUK_OK) {
		*id = db_i64(r, 0, "id");
		rc = db_exec(c, "flash_lock_inv", 1, op) ? SOUK_OK : SOUK_ERR;
	}
	if (rc == SOUK_OK) {
		const char *tp[] = {db_param_i64(c, *id), sku, db_param_i64(c, p.units)};
		db_res *t = db_exec(c, "flash_take_stock", 3, tp);
		rc = t ? SOUK_OK : SOUK_ERR;
		if (rc == SOUK_OK && db_i64(t, 0, "taken") < p.units)
			rc = ctx_fail(c, 409, "out_of_stock",
			              "offer %lld has fewer than %lld units available in normal stock",
			              (long long)p.sku_id, (long long)p.units);
	}
	if (rc == SOUK_OK)
		rc = flash_announce(c, *id, "flash.created", p.units);
	if (rc == SOUK_OK && db_commit(c) == SOUK_OK) {
		flash_sale s;
		if (flash_get(c, *id, &s) == SOUK_OK)
			catalog_invalidate(c, s.product_id);
		ctx_clear(c);
		return SOUK_OK;
	}
	db_rollback(c);
	return SOUK_ERR;
}

static int set_state(ctx *c, int64_t id, const char *state)
{
	flash_sale s;
	if (flash_get(c, id, &s) < 0)
		return SOUK_ERR;
	const char *p[] = {db_param_i64(c, id), state};
	db_res *r = db_exec(c, "flash_set_state", 2, p);
	if (!r)
		return SOUK_ERR;
	if (db_rows(r) == 0)
		return ctx_fail(c, 409, "ended", "flash sale %lld has ended", (long long)id);
	/* the pages ask for their state again (the pools see it within
	 * FLASH_CACHE_MS; flash.js waits longer than that) */
	flash_push(c, id, strcmp(state, "paused") == 0 ? "paused" : "running", -1);
	return SOUK_OK;
}

int flash_pause(ctx *c, int64_t id) { return set_state(c, id, "paused"); }
int flash_resume(ctx *c, int64_t id) { return set_state(c, id, "scheduled"); }

int64_t flash_admit_count(int64_t active, int64_t max_active, int64_t tokens,
                          int64_t units_left, int64_t over_pct, int64_t waiting)
{
	int64_t n = max_active - active;
	if (tokens < n)
		n = tokens;
	if (waiting < n)
		n = waiting;
	/* passes beyond units_left x factor would only disappoint */
	int64_t cover = (units_left * over_pct + 99) / 100 - active;
	if (cover < n)
		n = cover;
	return n > 0 ? n : 0;
}

double flash_queue_score(str secret, int64_t sale, int64_t ticket, bool prequeue)
{
	if (!prequeue)
		return FLASH_POST_START + (double)ticket;
	char m[64];
	int n = snprintf(m, sizeof(m), "shuffle|%lld|%lld", (long long)sale, (long long)ticket);
	unsigned char h[DIGEST_HMAC_LEN];
	if (digest_hmac_sha256(secret.p, secret.len, m, (size_t)n, h) < 0)
		return (double)ticket; /* cannot happen; arrival order is still an order */
	return (double)((uint32_t)h[0] << 24 | (uint32_t)h[1] << 16 | (uint32_t)h[2] << 8 | h[3]);
}

typedef struct scored {
	double score;
	int64_t ticket;
} scored;

static int cmp_scored(const void *a, const void *b)
{
	const scored *x = a, *y = b;
	if (x->score != y->score)
		return x->score < y->score ? -1 : 1;
	return x->ticket < y->ticket ? -1 : x->ticket > y->ticket;
}

void flash_shuffle(str secret, int64_t sale, int64_t *tickets, int n)
{
	if (n <= 1)
		return;
	scored *v = calloc((size_t)n, sizeof(*v));
	if (!v)
		abort(); /* allocation failure aborts (STYLE.md) */
	for (int i = 0; i < n; i++)
		v[i] = (scored){flash_queue_score(secret, sale, tickets[i], true), tickets[i]};
	qsort(v, (size_t)n, sizeof(*v), cmp_scored);
	for (int i = 0; i < n; i++)
		tickets[i] = v[i].ticket;
	free(v);
}

static const char *phase_name(flash_phase p)
{
	static const char *const n[] = {"scheduled", "prequeue", "running", "paused", "ended"};
	return n[p];
}

db_res *flash_list(ctx *c)
{
	return db_exec(c, "flash_list", 0, NULL);
}

void flash_fill(ctx *c, db_res *r, int i, flash_sale *out)
{
	fill(c, r, i, out);
}

const char *flash_phase_name(flash_phase p)
{
	return phase_name(p);
}

bool flash_origin_ok(const char *s)
{
	if (!s || strlen(s) > 200)
		return false;
	const char *h = strncmp(s, "https://", 8) == 0 ? s + 8 : strncmp(s, "http://", 7) == 0 ? s + 7 : NULL;
	if (!h || !*h || *h == '.' || *h == '-')
		return false;
	const char *p = h;
	while ((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') || (*p >= '0' && *p <= '9') || *p == '.' ||
	       *p == '-')
		p++;
	if (p == h)
		return false;
	if (*p == ':') {
		const char *port = ++p;
		while (*p >= '0' && *p <= '9')
			p++;
		if (p == port || p - port > 5)
			return false;
	}
	return *p == '\0';
}

int64_t flash_parse_time(const char *s, int64_t now)
{
	if (strncmp(s, "now", 3) == 0) {
		int64_t t = now, n = 0;
		const char *p = s + 3;
		if (!*p)
			return t;
		if (*p != '+' && *p != '-')
			return -1;
		size_t len = strlen(p + 1), k = len;
		int64_t mult = 1;
		if (k && (p[k] == 's' || p[k] == 'm' || p[k] == 'h')) {
			mult = p[k] == 'h' ? 3600 : p[k] == 'm' ? 60 : 1;
			k--;
		}
		if (str_to_i64((str){p + 1, k}, 0, 10 * 365 * 86400, &n) < 0)
			return -1;
		return *p == '+' ? t + n * mult : t - n * mult;
	}
	if (*s == '@') {
		int64_t t;
		return str_to_i64(str_c(s + 1), 0, 32503680000LL, &t) < 0 ? -1 : t;
	}
	struct tm tm = {0};
	const char *e = strptime(s, "%Y-%m-%dT%H:%M", &tm);
	if (!e)
		e = strptime(s, "%Y-%m-%d %H:%M", &tm);
	if (!e)
		return -1;
	if (*e == ':') {
		const char *f = strptime(e, ":%S", &tm);
		if (!f)
			return -1;
		e = f;
	}
	if (*e == '.') /* fractions of a second: dropped */
		for (e++; *e >= '0' && *e <= '9'; e++)
			;
	int64_t off = 0;
	if (!*e || (*e == 'Z' && !e[1])) /* no zone: UTC */
		off = 0;
	else if ((*e == '+' || *e == '-') && strlen(e) == 6 && e[3] == ':') {
		int64_t h, m;
		if (str_to_i64((str){e + 1, 2}, 0, 23, &h) < 0 || str_to_i64((str){e + 4, 2}, 0, 59, &m) < 0)
			return -1;
		off = (*e == '+' ? 1 : -1) * (h * 3600 + m * 60);
	} else
		return -1;
	return (int64_t)timegm(&tm) - off;
}
