/* seller_csv: inventory files — libcsv parsing, per-row checks, one
 * transaction of array statements to apply thousands of rows at once. */
#include "shop/seller_csv.h"

#include <csv.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "http/req.h"
#include "shop/catalog.h"
#include "shop/seller_warehouse.h"
#include "shop/seller_offer.h"
#include "store/db.h"

static const db_stmt scsv_sql[] = {
	{"scsv_offers",
	 "SELECT o.sku, o.id, o.fulfillment FROM offers o"
	 " WHERE o.seller_id = $1 AND o.sku = ANY ($2::text[]) ORDER BY o.sku COLLATE \"C\""},
	{"scsv_prices",
	 "UPDATE offers o SET price = x.price FROM unnest($2::bigint[], $3::bigint[]) AS x(id, price)"
	 " WHERE o.id = x.id AND o.seller_id = $1"},
	{"scsv_stock",
	 "INSERT INTO inventory (sku_id, warehouse_id, quantity_available)"
	 " SELECT x.id, x.wh, x.qty FROM unnest($1::bigint[], $2::bigint[], $3::int[]) AS x(id, wh, qty)"
	 " ON CONFLICT (sku_id, warehouse_id) DO UPDATE SET quantity_available = EXCLUDED.quantity_available"},
	{"scsv_products",
	 "SELECT DISTINCT v.product_id FROM offers o JOIN product_variants v ON v.id = o.variant_id"
	 " WHERE o.id = ANY ($1::bigint[]) ORDER BY 1"},
	/* one `catalog` event per product, as the single write paths write */
	{"scsv_events",
	 "INSERT INTO outbox (topic, key, payload)"
	 " SELECT 'catalog', x.id::text, jsonb_build_object('type', 'catalog.inventory_file',"
	 "        'seller_id', $2::bigint, 'product_id', x.id)"
	 " FROM unnest($1::bigint[]) AS x(id)"},
};

void scsv_register(void)
{
	seller_warehouse_register();
	db_register(scsv_sql, sizeof(scsv_sql) / sizeof(scsv_sql[0]));
}

/* ---- parsing */

typedef struct parse_state {
	ctx *c;
	scsv_file *f;
	const char *fields[8];
	int nf;       /* fields of the current record (more than 8: counted only) */
	int records;  /* records seen, the header included */
	int cap;
	const char *error; /* a file-level failure */
} parse_state;

static void on_field(void *s, size_t len, void *data)
{
	parse_state *ps = data;
	if (ps->nf < 8)
		ps->fields[ps->nf] = len > SCSV_MAX_FIELD ? NULL : arena_strndup(ps->c->a, s ? s : "", len);
	ps->nf++;
}

static bool header_ok(const parse_state *ps)
{
	static const char *const want[] = {"sku", "price", "quantity", "warehouse"};
	if (ps->nf < 3 || ps->nf > 4)
		return false;
	for (int i = 0; i < ps->nf; i++)
		if (!ps->fields[i] || strcasecmp(ps->fields[i], want[i]) != 0)
			return false;
	return true;
}

static void on_record(int term, void *data)
{
	(void)term;
	parse_state *ps = data;
	int nf = ps->nf;
	ps->nf = 0;
	if (ps->error)
		return;
	if (ps->records++ == 0) {
		ps->nf = nf;
		if (!header_ok(ps)) {
			buf b;
			buf_init(&b, ps->c->a, 400);
			buf_puts(&b, "the first line must be the header sku,price,quantity[,warehouse]; found: ");
			for (int i = 0; i < nf && i < 8; i++)
				buf_printf(&b, i ? ",%s" : "%s", ps->fields[i] ? ps->fields[i] : "(too long)");
			ps->error = b.p ? b.p : "wrong columns";
		}
		ps->nf = 0;
		return;
	}
	scsv_file *f = ps->f;
	if (f->n >= SCSV_MAX_ROWS) {
		ps->error = "the file has more than 50000 rows; split it";
		return;
	}
	if (f->n == ps->cap) {
		int cap = ps->cap ? ps->cap * 2 : 256;
		scsv_row *rows = arena_alloc(ps->c->a, sizeof(scsv_row) * (size_t)cap);
		if (!rows) {
			ps->error = "the file is too large";
			return;
		}
		if (f->n)
			memcpy(rows, f->rows, sizeof(scsv_row) * (size_t)f->n);
		f->rows = rows;
		ps->cap = cap;
	}
	scsv_row *r = &f->rows[f->n++];
	memset(r, 0, sizeof(*r));
	r->line = ps->records;
	r->reason = scsv_check_row(ps->c->a, nf, ps->fields, r);
}

/* An integer field, or a decimal with a dot meaning dollars ("12.99"). */
static const char *parse_price(const char *s, int64_t *out)
{
	if (!*s) {
		*out = SOFFER_KEEP;
		return NULL;
	}
	if (s[0] == '-')
		return "price must be more than 0";
	int64_t v = strchr(s, '.') ? soffer_dollars(str_c(s)) : -1;
	if (!strchr(s, '.') && str_to_i64(str_c(s), 0, INT64_MAX, &v) < 0)
		v = -1;
	if (v < 0)
		return "price is not a number (cents, or dollars like 12.99)";
	if (v == 0)
		return "price must be more than 0";
	if (v > SOFFER_PRICE_MAX)
		return "price is absurd (more than $1,000,000)";
	*out = v;
	return NULL;
}

static const char *parse_quantity(const char *s, int64_t *out)
{
	if (!*s) {
		*out = SOFFER_KEEP;
		return NULL;
	}
	if (s[0] == '-')
		return "quantity must not be negative";
	if (str_to_i64(str_c(s), 0, INT64_MAX, out) < 0)
		return strspn(s, "0123456789") == strlen(s) ? "quantity is more than 1000000"
		                                             : "quantity is not a whole number";
	if (*out > SOFFER_QTY_MAX)
		return "quantity is more than 1000000";
	return NULL;
}

const char *scsv_check_row(arena *a, int nf, const char *const *fields, scsv_row *r)
{
	(void)a;
	r->price = r->quantity = SOFFER_KEEP;
	r->warehouse_id = 0;
	if (nf < 3 || nf > 4)
		return nf < 3 ? "too few fields (sku,price,quantity[,warehouse])"
		              : "too many fields (sku,price,quantity[,warehouse])";
	for (int i = 0; i < nf; i++)
		if (!fields[i])
			return "a field is longer than 200 characters";
	r->sku = fields[0];
	size_t n = strlen(r->sku);
	if (n == 0)
		return "sku is empty";
	if (n > SOFFER_SKU_MAX || strspn(r->sku, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
	                                         "0123456789-_.") != n)
		return "sku is not a valid sku (letters, digits, - _ .)";
	const char *why = parse_price(fields[1], &r->price);
	if (!why)
		why = parse_quantity(fields[2], &r->quantity);
	if (why)
		return why;
	if (nf == 4 && fields[3][0] && str_to_i64(str_c(fields[3]), 1, INT64_MAX, &r->warehouse_id) < 0)
		return "warehouse is not a warehouse id";
	if (r->price == SOFFER_KEEP && r->quantity == SOFFER_KEEP)
		return "nothing to change: price and quantity are both empty";
	return NULL;
}

static const char *dup_reason(ctx *c, int line)
{
	buf b;
	buf_init(&b, c->a, 80);
	buf_printf(&b, "duplicate sku and warehouse (also on line %d)", line);
	return b.p ? b.p : "duplicate sku and warehouse";
}

/* Rows with the same (sku, warehouse) contradict each other: every one of
 * them is rejected rather than guessing which one the seller meant (the
 * first keeps naming the second duplicate it met). */
static void reject_duplicates(ctx *c, scsv_file *f)
{
	size_t cap = 1;
	while (cap < (size_t)f->n * 2)
		cap <<= 1;
	int *slot = arena_alloc(c->a, sizeof(int) * cap);
	if (!slot)
		return;
	memset(slot, 0xff, sizeof(int) * cap); /* -1: empty */
	for (int i = 0; i < f->n; i++) {
		scsv_row *r = &f->rows[i];
		if (r->reason) /* rejected on its own: it changes nothing, so it contradicts nothing */
			continue;
		uint64_t h = 1469598103934665603ull ^ (uint64_t)r->warehouse_id;
		for (const char *p = r->sku; *p; p++)
			h = (h ^ (unsigned char)*p) * 1099511628211ull;
		for (size_t k = h & (cap - 1);; k = (k + 1) & (cap - 1)) {
			if (slot[k] < 0) {
				slot[k] = i;
				break;
			}
			scsv_row *o = &f->rows[slot[k]];
			if (o->warehouse_id == r->warehouse_id && strcmp(o->sku, r->sku) == 0) {
				r->reason = dup_reason(c, o->line);
				if (!o->reason)
					o->reason = dup_reason(c, r->line);
				break;
			}
		}
	}
}

int scsv_parse(ctx *c, str text, scsv_file *out)
{
	memset(out, 0, sizeof(*out));
	if (!utf8_valid(text))
		return ctx_fail(c, 400, "bad_file", "the file is not UTF-8 text; save it as CSV UTF-8");
	if (text.len >= 3 && memcmp(text.p, "\xef\xbb\xbf", 3) == 0) /* a spreadsheet's BOM */
		text.p += 3, text.len -= 3;
	struct csv_parser p;
	if (csv_init(&p, CSV_STRICT | CSV_STRICT_FINI | CSV_APPEND_NULL) != 0)
		return ctx_fail(c, 500, "internal", "csv parser");
	parse_state ps = {.c = c, .f = out};
	size_t used = csv_parse(&p, text.p, text.len, on_field, on_record, &ps);
	int err = used == text.len ? csv_fini(&p, on_field, on_record, &ps) : -1;
	csv_free(&p);
	if (err != 0 && !ps.error)
		return ctx_fail(c, 400, "bad_file",
		                "the file is not valid CSV near record %d (an unclosed quote?)", ps.records + 1);
	if (ps.error)
		return ctx_fail(c, 400, "bad_file", "%s", ps.error);
	if (ps.records == 0)
		return ctx_fail(c, 400, "bad_file", "the file is empty; it needs the header sku,price,quantity[,warehouse]");
	reject_duplicates(c, out);
	return SOUK_OK;
}

/* ---- applying */

static int reject(scsv_row *r, const char *why)
{
	r->reason = why;
	return 0;
}

int scsv_apply(ctx *c, int64_t seller_id, scsv_file *f)
{
	struct timespec t0, t1;
	clock_gettime(CLOCK_MONOTONIC, &t0);
	/* the seller's offers among the file's skus, in one query */
	buf skus;
	buf_init(&skus, c->a, 0);
	buf_putc(&skus, '{');
	int nvalid = 0;
	for (int i = 0; i < f->n; i++) {
		if (f->rows[i].reason)
			continue;
		buf_printf(&skus, nvalid++ ? ",\"%s\"" : "\"%s\"", f->rows[i].sku); /* skus hold no quotes */
	}
	buf_putc(&skus, '}');
	db_res *wr = seller_warehouses(c, seller_id);
	if (!wr)
		return SOUK_ERR;
	int64_t def_wh = db_rows(wr) ? db_i64(wr, 0, "id") : 0;
	db_res *orow = NULL;
	if (nvalid) {
		const char *p[] = {db_param_i64(c, seller_id), skus.p};
		if (skus.failed || !(orow = db_exec(c, "scsv_offers", 2, p)))
			return skus.failed ? ctx_fail(c, 500, "internal", "out of memory") : SOUK_ERR;
	}
	/* sku -> offer by binary search over the rows sorted by sku */
	int no = orow ? db_rows(orow) : 0;
	buf ids, prices, sids, whs, qtys;
	buf_init(&ids, c->a, 0), buf_init(&prices, c->a, 0), buf_init(&sids, c->a, 0);
	buf_init(&whs, c->a, 0), buf_init(&qtys, c->a, 0);
	buf_putc(&ids, '{'), buf_putc(&prices, '{'), buf_putc(&sids, '{'), buf_putc(&whs, '{'),
	    buf_putc(&qtys, '{');
	int np = 0, ns = 0;
	for (int i = 0; i < f->n; i++) {
		scsv_row *r = &f->rows[i];
		if (r->reason)
			continue;
		int lo = 0, hi = no - 1, at = -1;
		while (lo <= hi) {
			int mid = (lo + hi) / 2, cmp = strcmp(db_val(orow, mid, "sku"), r->sku);
			if (cmp == 0) {
				at = mid;
				break;
			}
			if (cmp < 0)
				lo = mid + 1;
			else
				hi = mid - 1;
		}
		if (at < 0) {
			reject(r, "unknown sku: not one of your offers");
			continue;
		}
		r->sku_id = db_i64(orow, at, "id");
		if (r->quantity != SOFFER_KEEP) {
			if (strcmp(db_val(orow, at, "fulfillment"), "FBA") == 0) {
				reject(r, "FBA stock is read-only (it sits in Souk's warehouses)");
				continue;
			}
			int64_t wh = r->warehouse_id ? r->warehouse_id : def_wh;
			bool own = false;
			for (int k = 0; k < db_rows(wr) && !own; k++)
				own = db_i64(wr, k, "id") == wh;
			if (!own) {
				reject(r, "unknown warehouse: not one of yours");
				continue;
			}
			buf_printf(&sids, ns ? ",%lld" : "%lld", (long long)r->sku_id);
			buf_printf(&whs, ns ? ",%lld" : "%lld", (long long)wh);
			buf_printf(&qtys, ns++ ? ",%lld" : "%lld", (long long)r->quantity);
		}
		if (r->price != SOFFER_KEEP) {
			buf_printf(&ids, np ? ",%lld" : "%lld", (long long)r->sku_id);
			buf_printf(&prices, np++ ? ",%lld" : "%lld", (long long)r->price);
		}
		r->applied = true;
	}
	buf_putc(&ids, '}'), buf_putc(&prices, '}'), buf_putc(&sids, '}'), buf_putc(&whs, '}'),
	    buf_putc(&qtys, '}');
	if (ids.failed || prices.failed || sids.failed || whs.failed || qtys.failed)
		return ctx_fail(c, 500, "internal", "out of memory");
	/* the offers touched, for the product refresh */
	buf all;
	buf_init(&all, c->a, 0);
	buf_putc(&all, '{');
	int na = 0;
	for (int i = 0; i < f->n; i++)
		if (f->rows[i].applied)
			buf_printf(&all, na++ ? ",%lld" : "%lld", (long long)f->rows[i].sku_id);
	buf_putc(&all, '}');
	db_res *prod = NULL;
	if (na) {
		const char *pp[] = {db_param_i64(c, seller_id), ids.p, prices.p};
		const char *ps[] = {sids.p, whs.p, qtys.p};
		const char *pa[] = {all.p};
		if (db_begin(c) < 0)
			return SOUK_ERR;
		if ((np && !db_exec(c, "scsv_prices", 3, pp)) || (ns && !db_exec(c, "scsv_stock", 3, ps)) ||
		    !(prod = db_exec(c, "scsv_products", 1, pa)))
			goto fail;
		int npr = db_rows(prod);
		int64_t *pids = arena_alloc(c->a, sizeof(int64_t) * (size_t)(npr ? npr : 1));
		if (!pids) {
			ctx_fail(c, 500, "internal", "out of memory");
			goto fail;
		}
		for (int i = 0; i < npr; i++)
			pids[i] = db_i64(prod, i, "product_id");
		const char *pe[] = {catalog_id_array(c, pids, (size_t)npr), db_param_i64(c, seller_id)};
		if (catalog_refresh(c, pe[0]) < 0 || !db_exec(c, "scsv_events", 2, pe) || db_commit(c) < 0)
			goto fail;
		catalog_invalidate_many(c, pids, (size_t)npr);
	}
	for (int i = 0; i < f->n; i++) {
		if (f->rows[i].applied)
			f->applied++;
		else
			f->rejected++;
	}
	clock_gettime(CLOCK_MONOTONIC, &t1);
	f->seconds = (double)(t1.tv_sec - t0.tv_sec) + (double)(t1.tv_nsec - t0.tv_nsec) / 1e9;
	return SOUK_OK;
fail:
	db_rollback(c);
	return SOUK_ERR;
}

str scsv_report_csv(ctx *c, const scsv_file *f)
{
	buf b;
	buf_init(&b, c->a, 0);
	buf_puts(&b, "line,sku,result,reason\r\n");
	for (int i = 0; i < f->n; i++) {
		const scsv_row *r = &f->rows[i];
		/* skus of valid rows hold no quote or comma; others are quoted */
		buf_printf(&b, "%d,\"", r->line);
		for (const char *p = r->sku ? r->sku : ""; *p; p++)
			buf_puts(&b, *p == '"' ? "\"\"" : (char[]){*p, 0});
		buf_printf(&b, "\",%s,\"%s\"\r\n", r->applied ? "applied" : "rejected",
		           r->applied ? "" : r->reason);
	}
	return buf_str(&b);
}
