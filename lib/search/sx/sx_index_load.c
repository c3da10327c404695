/* sx_index_load: fills the index from PostgreSQL and keeps it fresh. */
#include "search/sx/sx_index_int.h"
#include "search/sx/sx_pghash.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "store/db.h"
#include "core/log.h"

/* A row version's hash: what reconciliation compares (docs/SEARCH.md,
 * "Freshness"). xmin is the transaction that wrote this version of the
 * row: any write at all (triggers off, search_xid supplied, a restore)
 * makes a new version with a new xmin, so an index that holds an older
 * version of a row, or a row that is gone, cannot have the same sum. */
#define SX_VER "hashtextextended(p.xmin::text || '/' || p.search_xid::text, p.id)"
#define SX_STR_(x) #x
#define SX_STR(x) SX_STR_(x)

/* A product's columns, in this order, in the load's COPY and the refresh;
 * created, rating and ver are the expressions of those that differ: */
#define SX_COLS_(created, rating, ver)                                                   \
	"p.id AS id, p.category_id AS category_id, p.price_min AS price, " created            \
	" AS created_us, p.sales_rank AS sales_rank, p.rating_count AS rating_count, " rating \
	" AS rating10, p.in_stock AS in_stock, p.brand AS brand,"                              \
	" lower(p.brand) AS lower_brand, p.colors AS colors, p.sizes AS sizes, p.ref AS ref," \
	" p.title AS title, p.image_url AS image, p.search_doc AS doc, " ver
/* As text (the refresh, the repair: a few rows), the server computes
 * them. */
#define SX_COLS                                                                     \
	SX_COLS_("(extract(epoch FROM p.created_at) * 1000000)::int8", "(p.rating * 10)::int", \
	         SX_VER " AS ver")
/* In the load's binary COPY the raw values come instead and are
 * converted here: per row, the numeric arithmetic and the version's
 * string building and hashing were the server's, on the core the
 * loading thread needs too. The timestamptz as sent (int8 microseconds
 * since 2000-01-01, SX_PG_EPOCH_US after 1970's epoch), the rating as a
 * numeric (rating10_binary), the version as xmin (xid, 4 bytes) and
 * search_xid (xid8, 8 bytes), hashed by sx_pg_row_version exactly as
 * SX_VER does. */
#define SX_COLS_BIN \
	SX_COLS_("p.created_at", "p.rating", "p.xmin AS row_xmin, p.search_xid AS xid")
#define SX_PG_EPOCH_US INT64_C(946684800000000)
enum { F_ID, F_CAT, F_PRICE, F_CREATED, F_RANK, F_RCOUNT, F_RATING, F_STOCK, F_BRAND,
       F_LBRAND, F_COLORS, F_SIZES, F_REF, F_TITLE, F_IMAGE, F_DOC, F_VER, F_N };
/* SX_COLS_BIN's two in place of F_VER */
enum { F_ROW_XMIN = F_VER, F_XID, F_BIN_N };
static const char *const col_names[F_N] = {
	"id", "category_id", "price", "created_us", "sales_rank", "rating_count", "rating10",
	"in_stock", "brand", "lower_brand", "colors", "sizes", "ref", "title", "image", "doc",
	"ver"};

/* The categories' signature: a refresh reloads them when it moves,
 * checked every SX_CAT_EVERY refreshes (souk-searchd: once a second). */
#define SX_CAT_EVERY 10
#define SX_CAT_SIG                                                                        \
	"(SELECT count(*) || '/' || coalesce(max(id), 0) || '/' ||"                          \
	" coalesce(sum(length(path) + length(name) + length(slug)), 0) FROM categories)"

/* More changed rows than this in one refresh: a load instead. */
#define SX_REFRESH_MAX 50000

/* The xmin of the statement's snapshot comes with the rows: every
 * transaction below it had finished when the rows were read. The LEFT
 * JOIN gives one row (NULL product) when nothing matches. No ORDER BY:
 * a sequential scan is the cheapest way through a million rows. */
#define SX_LOAD_SQL(part)                                                                  \
	"COPY (SELECT s.xmin, " SX_COLS_BIN                                                   \
	" FROM (SELECT pg_snapshot_xmin(pg_current_snapshot()) AS xmin) s"                    \
	" LEFT JOIN products p ON p.status = 'active'" part ") TO STDOUT (FORMAT binary)"
static const char load_sql[] = SX_LOAD_SQL("");
/* The same in parts of the table's pages (db_copy_out_parts): a TID
 * range scan each, and only the part's rows fetch their TOAST. */
static const char load_part_sql[] =
	SX_LOAD_SQL(" AND p.ctid >= current_setting('souk.part_lo')::tid"
	            " AND p.ctid < current_setting('souk.part_hi')::tid");
/* COPY parts in a load: one by default. Parts paid when PostgreSQL's
 * backend was the slower side (every search_doc fetched from TOAST);
 * with the documents in the heap (sql/082) one sequential scan costs
 * the backend 8.8 s of CPU at 1M where two TID range parts cost 16 s
 * (a TID range scan reads through the shared buffers without the
 * sequential scan's small ring, and each backend faults in the buffers
 * it touches), and the loading thread is the slower side. A build with
 * -DSX_LOAD_PARTS=2 reads in two parts (docs/SEARCH.md). */
#ifndef SX_LOAD_PARTS
#define SX_LOAD_PARTS 1
#endif

static const db_stmt sx_sql[] = {
	{"sx_categories",
	 "SELECT s.sig, c.id, coalesce(c.parent_id, 0) AS parent_id, c.name, c.slug, c.path"
	 " FROM (SELECT " SX_CAT_SIG " AS sig) s LEFT JOIN categories c ON true"},
	/* Every status: a withdrawn product leaves the index. At most
	 * SX_REFRESH_MAX + 1 rows: more (a bulk load) are loaded again whole
	 * instead, by one binary COPY built aside, not held in one result. */
	{"sx_refresh",
	 "SELECT s.xmin::text AS xmin, p.status, p.search_xid::text AS xid, " SX_COLS
	 " FROM (SELECT pg_snapshot_xmin(pg_current_snapshot()) AS xmin) s"
	 " LEFT JOIN products p ON p.search_xid >= $1::xid8 LIMIT " SX_STR(SX_REFRESH_MAX) " + 1"},
	/* Reconciliation: per range of ids, the active rows' count and the
	 * XOR of their versions; one sequential scan, no row leaves the
	 * server. */
	{"sx_reconcile_sums",
	 "SELECT p.id >> " SX_STR(SX_RANGE_SHIFT) " AS range, count(*) AS n,"
	 " bit_xor(" SX_VER ") AS x FROM products p WHERE p.status = 'active'"
	 " GROUP BY 1 ORDER BY 1"},
	/* A differing range row by row: ids and versions only, by the
	 * primary key, ids ascending. */
	{"sx_reconcile_ids",
	 "SELECT p.id, " SX_VER " AS ver FROM products p"
	 " WHERE p.id >= $1::int8 AND p.id < $2::int8 AND p.status = 'active' ORDER BY p.id"},
	/* The suspects' rows, every status (one no longer active leaves). */
	{"sx_reconcile_rows",
	 "SELECT p.status, p.search_xid::text AS xid, " SX_COLS
	 " FROM products p WHERE p.id = ANY($1::int8[])"},
	/* Categories change rarely and their signature reads them all: a
	 * refresh asks for it once a second (SX_CAT_EVERY), not every time. */
	{"sx_categories_sig", "SELECT " SX_CAT_SIG " AS sig"},
	/* A snapshot's database: the cluster's identifier (a dump restored
	 * into another cluster, or initdb again, is another) and the name. */
	{"sx_dbid",
	 "SELECT system_identifier::text || '/' || current_database() AS id FROM pg_control_system()"},
	/* The products table's pages, to cut the load into parts (a part
	 * past the last page at the time reads to the end). */
	{"sx_product_pages",
	 "SELECT pg_relation_size('products') / current_setting('block_size')::int8 AS pages"},
	/* Deleted products (009_searchd_deletes.sql), read after the rows
	 * above and applied before them: a delete committed in between is
	 * undone by the older row read now and applied again next time
	 * (its xid is above this read's xmin), when the row is gone. */
	{"sx_refresh_deleted",
	 "SELECT DISTINCT product_id FROM search_deleted WHERE search_xid >= $1::xid8"},
};


static int64_t num(const char *v, size_t len, int64_t def)
{
	int64_t n;
	return v && str_to_i64((str){v, len}, INT64_MIN, INT64_MAX, &n) == 0 ? n : def;
}

/* A PostgreSQL array literal as printed ({a,"b c",NULL}): elements
 * unescaped into out (room for n + 1 bytes), SQL NULL elements left
 * out. The count, or -1 when malformed or more than max. */
static int parse_array(const char *s, size_t n, char *out, const char **el, size_t *ln, int max)
{
	if (!s || n < 2 || s[0] != '{' || s[n - 1] != '}')
		return -1;
	size_t i = 1, end = n - 1;
	int k = 0;
	char *w = out;
	if (i == end)
		return 0;
	for (;;) {
		char *start = w;
		bool quoted = s[i] == '"';
		if (quoted) {
			i++;
			while (i < end && s[i] != '"') {
				if (s[i] == '\\' && i + 1 < end)
					i++;
				*w++ = s[i++];
			}
			if (i >= end)
				return -1;
			i++;
		} else {
			while (i < end && s[i] != ',') {
				if (s[i] == '\\' && i + 1 < end)
					i++;
				*w++ = s[i++];
			}
		}
		size_t len = (size_t)(w - start);
		*w++ = '\0';
		if (quoted || len != 4 || memcmp(start, "NULL", 4) != 0) {
			if (k == max)
				return -1;
			el[k] = start;
			ln[k++] = len;
		}
		if (i == end)
			return k;
		if (s[i] != ',')
			return -1;
		i++;
	}
}

#define SX_MAX_VALUES 512

typedef struct {
	ctx *c;
	sx_data *d;
	uint64_t xmin;
	bool have_xmin;
	long rows, bad;
} loader;

/* The row's strings, in SX_COLS order, whichever the format. */
static void row_strings(sx_row *r, char *const *v, const size_t *len)
{
	r->ref = v[F_REF], r->ref_len = len[F_REF];
	r->title = v[F_TITLE], r->title_len = len[F_TITLE];
	r->image = v[F_IMAGE], r->image_len = len[F_IMAGE];
	r->brand = v[F_BRAND], r->brand_len = len[F_BRAND];
	r->lower = v[F_LBRAND], r->lower_len = len[F_LBRAND];
	r->doc = v[F_DOC], r->doc_len = len[F_DOC];
}

static bool row_complete(const sx_row *r)
{
	return r->cols.id && r->ref && r->title && r->image && r->brand && r->lower && r->doc &&
	       r->ncolors >= 0 && r->nsizes >= 0;
}

/* A product row from text fields (the refresh) with its arrays parsed
 * into out and el (the caller's, room for the values); false when a
 * field is missing. */
static bool row_text(sx_row *r, char *const *v, const size_t *len, char *out,
                     const char **colors, size_t *clen, const char **sizes, size_t *slen, int max)
{
	*r = (sx_row){.cols = {
		.id = num(v[F_ID], len[F_ID], 0),
		.category_id = num(v[F_CAT], len[F_CAT], 0),
		.price = num(v[F_PRICE], len[F_PRICE], -1),
		.created_at = num(v[F_CREATED], len[F_CREATED], 0),
		.sales_rank = (int32_t)num(v[F_RANK], len[F_RANK], 0),
		.rating_count = (int32_t)num(v[F_RCOUNT], len[F_RCOUNT], 0),
		.rating10 = (int16_t)num(v[F_RATING], len[F_RATING], -1),
		.in_stock = v[F_STOCK] && v[F_STOCK][0] == 't',
	}};
	row_strings(r, v, len);
	r->ncolors = parse_array(v[F_COLORS], len[F_COLORS], out, colors, clen, max);
	r->nsizes = parse_array(v[F_SIZES], len[F_SIZES], out + len[F_COLORS] + 2, sizes, slen, max);
	r->colors = colors, r->color_lens = clen, r->sizes = sizes, r->size_lens = slen;
	return row_complete(r);
}

/* One changed row of a refresh, made ready before the write lock is
 * taken: its columns, arrays and search_doc parsed; under the lock only
 * the index's own structures change. */
typedef struct {
	sx_row r;
	sx_parsed doc;
	char *mem; /* the arrays' values and element pointers */
	int64_t id;
	uint64_t xid, ver;
	enum { PREP_SKIP, PREP_WITHDRAW, PREP_PUT, PREP_BAD } kind;
} prep_row;

static void prep_put(prep_row *pr, char *const *v, const size_t *len)
{
	size_t nv = len[F_COLORS] + len[F_SIZES] + 2;
	int max = nv < SX_MAX_VALUES ? (int)nv : SX_MAX_VALUES;
	size_t vals = len[F_COLORS] + len[F_SIZES] + 4;
	vals = (vals + 7) & ~(size_t)7;
	pr->mem = malloc(vals + (size_t)max * 2 * (sizeof(char *) + sizeof(size_t)));
	if (!pr->mem)
		abort();
	const char **colors = (const char **)(void *)(pr->mem + vals), **sizes = colors + max;
	size_t *clen = (size_t *)(void *)(sizes + max), *slen = clen + max;
	if (!row_text(&pr->r, v, len, pr->mem, colors, clen, sizes, slen, max)) {
		pr->kind = PREP_BAD;
		return;
	}
	sx_row_parse(&pr->r, &pr->doc);
	pr->kind = pr->doc.nent < 0 ? PREP_BAD : PREP_PUT;
}

/* After the write lock: logs the unreadable rows and frees every one. */
static void prep_free(ctx *c, prep_row *pr, int n)
{
	for (int i = 0; i < n; i++) {
		if (pr[i].kind == PREP_BAD)
			ctx_log(c, LOG_ERROR, "sx_index: product %lld: unreadable row, skipped",
			        (long long)pr[i].id);
		sx_parsed_free(&pr[i].doc);
		free(pr[i].mem);
	}
	free(pr);
}

static uint64_t be(const char *p, size_t n)
{
	uint64_t v = 0;
	for (size_t i = 0; i < n; i++)
		v = v << 8 | (unsigned char)p[i];
	return v;
}

/* A binary integer field of n bytes (int8, int4), def when NULL;
 * *ok false when its size is wrong. */
static int64_t bnum(const char *p, size_t len, size_t n, int64_t def, bool *ok)
{
	if (!p)
		return def;
	if (len != n) {
		*ok = false;
		return def;
	}
	uint64_t v = be(p, n);
	return n == 8 ? (int64_t)v : (int64_t)(int32_t)(uint32_t)v;
}

/* A one-dimensional text[] in array_send's format (ndim, hasnull, element
 * type, then per dimension size and lower bound, then per element its
 * int32 length, -1 for NULL, and bytes): elements point into s. */
static int parse_array_binary(const char *s, size_t n, const char **el, size_t *ln, int max)
{
	if (!s || n < 12)
		return -1;
	uint32_t ndim = (uint32_t)be(s, 4);
	if (ndim == 0)
		return 0;
	if (ndim != 1 || n < 20)
		return -1;
	uint32_t count = (uint32_t)be(s + 12, 4);
	size_t i = 20;
	int k = 0;
	for (uint32_t j = 0; j < count; j++) {
		if (n - i < 4)
			return -1;
		int32_t len = (int32_t)(uint32_t)be(s + i, 4);
		i += 4;
		if (len < 0)
			continue;
		if ((size_t)len > n - i || k == max)
			return -1;
		el[k] = s + i;
		ln[k++] = (size_t)len;
		i += (size_t)len;
	}
	return i == n ? k : -1;
}

/* A binary timestamptz as microseconds since 1970 (0 when NULL, as the
 * text paths' NULL). 'infinity' and '-infinity' (INT64_MAX and MIN)
 * stay at the ends instead of overflowing. */
static int64_t created_us(const char *p, size_t len, bool *ok)
{
	int64_t t = bnum(p, len, 8, 0, ok);
	if (!p)
		return 0;
	if (t > INT64_MAX - SX_PG_EPOCH_US)
		return INT64_MAX;
	return t == INT64_MIN ? INT64_MIN : t + SX_PG_EPOCH_US;
}

/* (rating * 10)::int of a binary numeric (numeric_send: int16 digits,
 * weight, sign, dscale, then the base-10000 digits, the first worth
 * 10000^weight); -1 when NULL or NaN, as the text paths' NULL. Rounded
 * half away from zero as PostgreSQL's cast (a numeric(2,1) needs none). */
static int16_t rating10_binary(const char *p, size_t len, bool *ok)
{
	if (!p)
		return -1;
	if (len < 8 || (len - 8) % 2 || (len - 8) / 2 != be(p, 2)) {
		*ok = false;
		return -1;
	}
	int ndig = (int)be(p, 2), weight = (int16_t)be(p + 2, 2);
	uint32_t sign = (uint32_t)be(p + 4, 2);
	if (sign != 0 && sign != 0x4000)
		return -1; /* NaN, infinities */
	/* the value in ten-thousandths, digits below those dropped (a
	 * rating has one decimal) */
	int64_t v = 0;
	for (int i = 0; i < ndig; i++) {
		int e = weight - i + 1; /* 10000^e ten-thousandths */
		if (e < 0)
			break;
		if (e > 2) {
			*ok = false; /* past 10^8: no rating */
			return -1;
		}
		int64_t d = (int64_t)be(p + 8 + 2 * i, 2);
		v += d * (e == 2 ? 100000000 : e == 1 ? 10000 : 1);
	}
	int64_t r = (v + 500) / 1000; /* times 10, in units */
	if (r > INT16_MAX) {
		*ok = false;
		return -1;
	}
	return (int16_t)(sign ? -r : r);
}

/* Puts one active product from binary fields (the load); slot or -1. */
static long put_binary(loader *L, char *const *v, const size_t *len)
{
	bool ok = true;
	sx_row r = {.cols = {
		.id = bnum(v[F_ID], len[F_ID], 8, 0, &ok),
		.category_id = bnum(v[F_CAT], len[F_CAT], 8, 0, &ok),
		.price = bnum(v[F_PRICE], len[F_PRICE], 8, -1, &ok),
		.created_at = created_us(v[F_CREATED], len[F_CREATED], &ok),
		.sales_rank = (int32_t)bnum(v[F_RANK], len[F_RANK], 4, 0, &ok),
		.rating_count = (int32_t)bnum(v[F_RCOUNT], len[F_RCOUNT], 4, 0, &ok),
		.rating10 = rating10_binary(v[F_RATING], len[F_RATING], &ok),
		.in_stock = v[F_STOCK] && len[F_STOCK] == 1 && v[F_STOCK][0] == 1,
	}, .doc_binary = true};
	row_strings(&r, v, len);
	const char *colors[SX_MAX_VALUES], *sizes[SX_MAX_VALUES];
	size_t clen[SX_MAX_VALUES], slen[SX_MAX_VALUES];
	r.ncolors = parse_array_binary(v[F_COLORS], len[F_COLORS], colors, clen, SX_MAX_VALUES);
	r.nsizes = parse_array_binary(v[F_SIZES], len[F_SIZES], sizes, slen, SX_MAX_VALUES);
	r.colors = colors, r.color_lens = clen, r.sizes = sizes, r.size_lens = slen;
	return ok && row_complete(&r) ? sx_data_put(L->d, &r) : -1;
}

/* SX_VER of a binary row (0 when a part is missing: SQL's NULL, which
 * the sums' bit_xor skips as 0 does). */
static uint64_t row_version(char *const *v, const size_t *len)
{
	if (!v[F_ROW_XMIN] || len[F_ROW_XMIN] != 4 || !v[F_XID] || len[F_XID] != 8 ||
	    !v[F_ID] || len[F_ID] != 8)
		return 0;
	return sx_pg_row_version((uint32_t)be(v[F_ROW_XMIN], 4), be(v[F_XID], 8),
	                         (int64_t)be(v[F_ID], 8));
}

static int load_row(void *arg, char **cols, const size_t *lens, int ncols)
{
	loader *L = arg;
	if (ncols != F_BIN_N + 1 || !cols[0] || lens[0] != 8)
		return ctx_fail(L->c, 500, "internal", "internal error");
	L->xmin = be(cols[0], 8);
	L->have_xmin = true;
	if (!cols[1 + F_ID])
		return 0; /* no active product at all */
	L->rows++;
	long slot = put_binary(L, cols + 1, lens + 1);
	if (slot < 0) {
		/* One bad row must not keep the whole catalog from search. */
		if (L->bad++ < 10)
			ctx_log(L->c, LOG_ERROR, "sx_index: product %s: unreadable row, skipped",
			        cols[1 + F_ID]);
		return 0;
	}
	L->d->vers[slot] = row_version(cols + 1, lens + 1);
	return 0;
}

/* Reads every category into a new set; *sig gets their signature. */
static sx_cats *load_categories(ctx *c, char *sig, size_t sigsz)
{
	db_res *r = db_exec(c, "sx_categories", 0, NULL);
	if (!r)
		return NULL;
	sx_cats *cs = sx_cats_new();
	int n = db_rows(r);
	snprintf(sig, sigsz, "%s", n ? db_val(r, 0, "sig") : "");
	for (int i = 0; i < n; i++) {
		if (db_null(r, i, "id"))
			continue;
		if (sx_cats_add(cs, db_i64(r, i, "id"), db_i64(r, i, "parent_id"),
		                db_val(r, i, "name"), db_val(r, i, "slug"), db_val(r, i, "path")) < 0)
			ctx_log(c, LOG_ERROR, "sx_index: category %s: bad path %s, skipped",
			        db_val(r, i, "id"), db_val(r, i, "path"));
	}
	sx_cats_finish(cs);
	return cs;
}

static double now_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

/* The calling thread's CPU time: a load's own figure, which a busy
 * machine does not inflate the way it does the wall time. */
static double thread_cpu_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
	return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

/* The load's rows to load_row: in SX_LOAD_PARTS parts of the table's
 * pages, or as one COPY when the parts cannot be had (an error before
 * any row: say, a server that cannot export its snapshot). */
static int copy_rows(ctx *c, loader *L)
{
	/* parts need connections of their own in one snapshot: not inside
	 * the caller's transaction (whose snapshot they would not share) */
	int64_t pages = 0;
	if (SX_LOAD_PARTS > 1 && !db_in_tx(c->db)) {
		db_res *r = db_exec(c, "sx_product_pages", 0, NULL);
		if (!r)
			return SOUK_ERR;
		pages = db_i64(r, 0, "pages");
	}
	if (pages >= SX_LOAD_PARTS) {
		char lo[SX_LOAD_PARTS][32], hi[SX_LOAD_PARTS][32];
		const char *plo[SX_LOAD_PARTS], *phi[SX_LOAD_PARTS];
		for (int k = 0; k < SX_LOAD_PARTS; k++) {
			snprintf(lo[k], sizeof(lo[k]), "(%lld,0)", (long long)(pages * k / SX_LOAD_PARTS));
			/* the last part to the end: pages added since are read too */
			if (k == SX_LOAD_PARTS - 1)
				snprintf(hi[k], sizeof(hi[k]), "(4294967295,65535)");
			else
				snprintf(hi[k], sizeof(hi[k]), "(%lld,0)",
				         (long long)(pages * (k + 1) / SX_LOAD_PARTS));
			plo[k] = lo[k], phi[k] = hi[k];
		}
		int rc = db_copy_out_parts(c, load_part_sql, SX_LOAD_PARTS, plo, phi, load_row, L);
		if (rc == SOUK_OK || L->have_xmin)
			return rc;
		ctx_log(c, LOG_WARN, "sx_index: the load in parts failed before its first row; "
		                     "loading as one COPY");
		ctx_clear(c);
	}
	return db_copy_out(c, load_sql, true, load_row, L);
}

int sx_index_load(sx_index *ix, ctx *c)
{
	/* registered by the first load (db_register ignores a repeat); the
	 * connection prepares late registrations on its next use */
	db_register(sx_sql, sizeof(sx_sql) / sizeof(sx_sql[0]));
	double t0 = now_ms(), cpu0 = thread_cpu_ms();
	char sig[sizeof(ix->cat_sig)];
	sx_cats *cs = load_categories(c, sig, sizeof(sig));
	if (!cs)
		return SOUK_ERR;
	/* Built aside, swapped in under the lock: searches go on meanwhile. */
	loader L = {.c = c, .d = sx_data_new()};
	L.d->defer_post = true;
	sx_cats_free(L.d->cats);
	L.d->cats = cs;
	int ready;
	unsigned long ahead0, ahead1;
	sx_pool_prefault_stats(&ready, &ahead0);
	sx_pool_prefault_start();
	int rc = copy_rows(c, &L);
	sx_pool_prefault_stop();
	sx_pool_prefault_stats(&ready, &ahead1);
	if (rc == SOUK_OK && !L.have_xmin)
		rc = ctx_fail(c, 500, "internal", "internal error");
	if (rc != SOUK_OK) {
		sx_data_free(L.d);
		return SOUK_ERR;
	}
	double post_ms = now_ms();
	sx_data_post_build(L.d);
	post_ms = now_ms() - post_ms;
	pthread_rwlock_wrlock(&ix->lock);
	sx_data *old = ix->d;
	ix->d = L.d;
	/* under the lock: a reconciliation reads it with its sums */
	ix->loads++;
	pthread_rwlock_unlock(&ix->lock);
	sx_data_free(old);
	ix->watermark = L.xmin;
	snprintf(ix->cat_sig, sizeof(ix->cat_sig), "%s", sig);
	ix->loaded = true;
	ctx_log(c, LOG_INFO,
	        "sx_index: loaded %u products (%ld skipped), %u lexemes, %u categories, %zu MB "
	        "in %.0f ms (%.0f ms of its thread's CPU, the rest waiting for PostgreSQL or a "
	        "core; postings built in %.0f ms; %lu MB of its pool faulted in ahead), "
	        "watermark %llu",
	        L.d->nlive, L.bad, L.d->lex.n, cs->n, sx_index_bytes(ix) >> 20, now_ms() - t0,
	        thread_cpu_ms() - cpu0, post_ms, (ahead1 - ahead0) * (SX_POOL_BLOCK >> 20),
	        (unsigned long long)L.xmin);
	char bd[512];
	sx_data_breakdown(L.d, bd, sizeof(bd));
	ctx_log(c, LOG_INFO, "sx_index: memory: %s", bd);
	return SOUK_OK;
}

int sx_index_dbid(ctx *c, char *out, size_t cap)
{
	db_register(sx_sql, sizeof(sx_sql) / sizeof(sx_sql[0]));
	db_res *r = db_exec(c, "sx_dbid", 0, NULL);
	if (!r)
		return SOUK_ERR;
	if (db_rows(r) != 1 || db_null(r, 0, "id"))
		return ctx_fail(c, 500, "internal", "internal error");
	snprintf(out, cap, "%s", db_val(r, 0, "id"));
	return SOUK_OK;
}

uint64_t sx_index_loads(const sx_index *ix)
{
	return ix->loads;
}

int sx_index_refresh(sx_index *ix, ctx *c)
{
	if (!ix->loaded) {
		/* Nothing to refresh from yet: a load is the refresh. */
		if (sx_index_load(ix, c) < 0)
			return SOUK_ERR;
		return (int)(ix->d->nlive < INT32_MAX ? ix->d->nlive : INT32_MAX);
	}
	char wm[24];
	snprintf(wm, sizeof(wm), "%llu", (unsigned long long)ix->watermark);
	const char *params[] = {wm};
	/* Rows are read before the lock is taken: searches wait only for
	 * the apply. */
	db_res *r = db_exec(c, "sx_refresh", 1, params);
	if (!r)
		return SOUK_ERR;
	int n = db_rows(r);
	if (n < 1 || db_null(r, 0, "xmin"))
		return ctx_fail(c, 500, "internal", "internal error");
	if (n > SX_REFRESH_MAX) {
		ctx_log(c, LOG_INFO, "sx_index: more than %d products changed; loading again",
		        SX_REFRESH_MAX);
		/* The rows read (with their documents, ≈ 110 MB at 1M) go
		 * before the load, which reuses their memory. Freed at the
		 * request's end instead, they came after the load's trim
		 * (sx_data_free), between the new index's blocks in this
		 * thread's malloc arena, and stayed resident for good. */
		db_res_drop(r);
		if (sx_index_load(ix, c) < 0)
			return SOUK_ERR;
		return (int)(ix->d->nlive < INT32_MAX ? ix->d->nlive : INT32_MAX);
	}
	uint64_t xmin = (uint64_t)db_i64(r, 0, "xmin");
	const char *sig = NULL;
	if (ix->refreshes % SX_CAT_EVERY == 0) {
		db_res *sr = db_exec(c, "sx_categories_sig", 0, NULL);
		if (!sr)
			return SOUK_ERR;
		sig = db_val(sr, 0, "sig");
	}
	db_res *del = db_exec(c, "sx_refresh_deleted", 1, params);
	if (!del)
		return SOUK_ERR;
	sx_cats *cs = NULL;
	char nsig[sizeof(ix->cat_sig)];
	if (sig && strcmp(sig, ix->cat_sig) != 0) {
		cs = load_categories(c, nsig, sizeof(nsig));
		if (!cs)
			return SOUK_ERR;
	}
	int applied = 0;
	/* Everything that reads the rows happens here, before the lock: the
	 * refresh thread is the index's one writer, so reading the index
	 * meanwhile needs no lock; searches wait only for the apply. */
	prep_row *pr = calloc((size_t)n, sizeof(*pr));
	if (!pr)
		abort();
	for (int i = 0; i < n; i++) {
		if (db_null(r, i, "id"))
			continue;
		char *v[F_N];
		size_t len[F_N];
		for (int f = 0; f < F_N; f++) {
			v[f] = (char *)db_val(r, i, col_names[f]);
			len[f] = v[f] ? strlen(v[f]) : 0;
		}
		pr[i].id = db_i64(r, i, "id");
		pr[i].xid = (uint64_t)db_i64(r, i, "xid");
		pr[i].ver = (uint64_t)db_i64(r, i, "ver");
		bool active = strcmp(db_val(r, i, "status"), "active") == 0;
		uint32_t s = sx_data_slot(ix->d, pr[i].id);
		/* Rows of transactions still open at the last read come again
		 * (their xid is >= that xmin); the same version (hash of xmin,
		 * not just the stamp: a write with the trigger off keeps it) is
		 * already applied. */
		if (s != SX_NONE && ix->d->vers[s] == pr[i].ver && ix->d->docs[s].live == active)
			continue;
		if (!active) {
			if (s != SX_NONE && ix->d->docs[s].live)
				pr[i].kind = PREP_WITHDRAW;
			continue;
		}
		prep_put(&pr[i], v, len);
	}
	pthread_rwlock_wrlock(&ix->lock);
	/* Deletes first: an id deleted and inserted again (souk-import
	 * --force truncates and restarts the ids) is in both lists, and its
	 * new row, applied after, must stay. */
	for (int i = 0; i < db_rows(del); i++) {
		int64_t id = db_i64(del, i, "product_id");
		uint32_t s = sx_data_slot(ix->d, id);
		if (s == SX_NONE || !ix->d->docs[s].live)
			continue;
		sx_data_withdraw(ix->d, id);
		applied++;
	}
	for (int i = 0; i < n; i++) {
		if (pr[i].kind == PREP_WITHDRAW) {
			uint32_t s = sx_data_slot(ix->d, pr[i].id);
			if (s == SX_NONE || !ix->d->docs[s].live)
				continue; /* deleted just above */
			sx_data_withdraw(ix->d, pr[i].id);
			ix->d->xids[s] = pr[i].xid;
			applied++;
		} else if (pr[i].kind == PREP_PUT) {
			long slot = sx_data_put_parsed(ix->d, &pr[i].r, &pr[i].doc);
			if (slot < 0) {
				pr[i].kind = PREP_BAD;
				continue;
			}
			ix->d->xids[slot] = pr[i].xid;
			ix->d->vers[slot] = pr[i].ver;
			applied++;
		}
	}
	sx_cats *old_cats = NULL;
	if (cs) {
		old_cats = ix->d->cats;
		ix->d->cats = cs;
	}
	pthread_rwlock_unlock(&ix->lock);
	prep_free(c, pr, n);
	if (ix->d->garbage >= SX_COMPACT_MIN && ix->d->garbage > ix->d->pool.bytes / 4) {
		double t0 = now_ms();
		size_t g = ix->d->garbage, freed = sx_data_compact(&ix->lock, ix->d);
		ctx_log(c, LOG_INFO,
		        "sx_index: compacted: %zu MB of replaced documents, %zu MB given back in %.0f ms",
		        g >> 20, freed >> 20, now_ms() - t0);
	}
	ix->watermark = xmin;
	ix->refreshes++;
	if (cs) {
		sx_cats_free(old_cats);
		snprintf(ix->cat_sig, sizeof(ix->cat_sig), "%s", nsig);
		/* New category names and paths change answers too. */
		applied++;
	}
	return applied;
}

static int cmp_i64(const void *a, const void *b)
{
	int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;
	return (x > y) - (x < y);
}

typedef struct {
	int64_t *p;
	size_t n, cap;
} idvec;

static void idvec_push(idvec *v, int64_t id)
{
	if (v->n == v->cap) {
		v->cap = v->cap ? v->cap * 2 : 256;
		v->p = realloc(v->p, v->cap * sizeof(*v->p));
		if (!v->p)
			abort();
	}
	v->p[v->n++] = id;
}

/* One differing range, row by row: the ids whose version the index
 * lacks (PostgreSQL's active rows with another version or none in the
 * index; live products PostgreSQL no longer has active) go to sus. */
static int range_suspects(sx_index *ix, ctx *c, int64_t range, idvec *sus)
{
	int64_t lo = range * ((int64_t)1 << SX_RANGE_SHIFT), hi = lo + ((int64_t)1 << SX_RANGE_SHIFT);
	const char *p[] = {db_param_i64(c, lo), db_param_i64(c, hi)};
	db_res *r = db_exec(c, "sx_reconcile_ids", 2, p);
	if (!r)
		return SOUK_ERR;
	int n = db_rows(r);
	int64_t *ids = malloc(((size_t)n + 1) * sizeof(*ids));
	if (!ids)
		abort();
	pthread_rwlock_rdlock(&ix->lock);
	const sx_data *d = ix->d;
	for (int i = 0; i < n; i++) {
		ids[i] = db_i64(r, i, "id");
		uint32_t s = sx_data_slot(d, ids[i]);
		if (s == SX_NONE || !d->docs[s].live || d->vers[s] != (uint64_t)db_i64(r, i, "ver"))
			idvec_push(sus, ids[i]);
	}
	for (uint32_t s = 0; s < d->nslots; s++) {
		const sx_doc *doc = &d->docs[s];
		if (doc->live && doc->id >= lo && doc->id < hi &&
		    !bsearch(&doc->id, ids, (size_t)n, sizeof(*ids), cmp_i64))
			idvec_push(sus, doc->id);
	}
	pthread_rwlock_unlock(&ix->lock);
	free(ids);
	/* a range's ids (up to 16,384 rows, ≈ 1 MB) are not kept to the
	 * reconciliation's end: with every range differing (a bulk write
	 * not yet applied) that held ≈ 53 MB at 1M until the next one */
	db_res_drop(r);
	return SOUK_OK;
}

int sx_index_reconcile_find(sx_index *ix, ctx *c, int64_t **suspects, size_t *nsus,
                            sx_reconcile_stats *st)
{
	db_register(sx_sql, sizeof(sx_sql) / sizeof(sx_sql[0]));
	memset(st, 0, sizeof(*st));
	*suspects = NULL;
	*nsus = 0;
	if (!ix->loaded)
		return SOUK_OK; /* the load is the reconciliation */
	double t0 = now_ms();
	db_res *r = db_exec(c, "sx_reconcile_sums", 0, NULL);
	if (!r)
		return SOUK_ERR;
	size_t npg = (size_t)db_rows(r), nmem;
	sx_range_sum *pg = malloc((npg + 1) * sizeof(*pg));
	if (!pg)
		abort();
	for (size_t i = 0; i < npg; i++)
		pg[i] = (sx_range_sum){.range = db_i64(r, (int)i, "range"),
		                       .n = (uint32_t)db_i64(r, (int)i, "n"),
		                       .x = (uint64_t)db_i64(r, (int)i, "x")};
	st->ranges = (uint32_t)npg;
	st->sql_ms = now_ms() - t0;
	/* Taken after PostgreSQL's sums: the index is at least as new, so a
	 * range also differs when rows changed meanwhile; the row-by-row
	 * pass below and the repair sort those out. */
	pthread_rwlock_rdlock(&ix->lock);
	sx_range_sum *mem = sx_data_range_sums(ix->d, &nmem);
	st->loads = ix->loads;
	pthread_rwlock_unlock(&ix->lock);
	int64_t *diff = malloc((npg + nmem + 1) * sizeof(*diff));
	if (!diff)
		abort();
	size_t nd = sx_range_diff(pg, npg, mem, nmem, diff);
	free(pg);
	free(mem);
	st->differed = (uint32_t)nd;
	idvec sus = {0};
	int rc = SOUK_OK;
	/* Past SX_RECONCILE_MAX_IDS the repair loads everything anyway. */
	for (size_t i = 0; i < nd && rc == SOUK_OK && sus.n <= SX_RECONCILE_MAX_IDS; i++)
		rc = range_suspects(ix, c, diff[i], &sus);
	free(diff);
	if (rc != SOUK_OK) {
		free(sus.p);
		return rc;
	}
	if (sus.n) {
		qsort(sus.p, sus.n, sizeof(*sus.p), cmp_i64);
		size_t k = 0;
		for (size_t i = 0; i < sus.n; i++)
			if (!k || sus.p[k - 1] != sus.p[i])
				sus.p[k++] = sus.p[i];
		sus.n = k;
	}
	st->suspects = (uint32_t)sus.n;
	st->ms = now_ms() - t0;
	*suspects = sus.p;
	*nsus = sus.n;
	return SOUK_OK;
}

#define SX_REPAIR_BATCH 1000

/* One batch of suspects: their rows read (every status), then applied
 * under the write lock. */
static int repair_batch(sx_index *ix, ctx *c, const int64_t *ids, size_t n,
                        sx_reconcile_stats *st)
{
	buf b;
	buf_init(&b, c->a, n * 12 + 2);
	buf_putc(&b, '{');
	for (size_t i = 0; i < n; i++)
		buf_printf(&b, "%s%lld", i ? "," : "", (long long)ids[i]);
	buf_putc(&b, '}');
	if (b.failed)
		return ctx_fail(c, 500, "internal", "out of memory");
	const char *p[] = {b.p};
	db_res *r = db_exec(c, "sx_reconcile_rows", 1, p);
	if (!r)
		return SOUK_ERR;
	int rows = db_rows(r);
	int64_t *found = malloc(((size_t)rows + 1) * sizeof(*found));
	if (!found)
		abort();
	/* Rows parsed before the lock (this thread is the one writer) */
	sx_data *d = ix->d;
	prep_row *pr = calloc((size_t)rows + 1, sizeof(*pr));
	if (!pr)
		abort();
	for (int i = 0; i < rows; i++) {
		int64_t id = found[i] = pr[i].id = db_i64(r, i, "id");
		uint64_t ver = pr[i].ver = (uint64_t)db_i64(r, i, "ver");
		uint64_t xid = pr[i].xid = (uint64_t)db_i64(r, i, "xid");
		bool active = strcmp(db_val(r, i, "status"), "active") == 0;
		uint32_t s = sx_data_slot(d, id);
		bool live = s != SX_NONE && d->docs[s].live;
		if (active && live && d->vers[s] == ver)
			continue; /* the refresh applied it since */
		if (!active && !live)
			continue;
		if (xid >= ix->watermark) {
			/* Written since the last refresh read: the next one will. */
			st->newer++;
			continue;
		}
		if (!active) {
			pr[i].kind = PREP_WITHDRAW;
			continue;
		}
		char *v[F_N];
		size_t len[F_N];
		for (int f = 0; f < F_N; f++) {
			v[f] = (char *)db_val(r, i, col_names[f]);
			len[f] = v[f] ? strlen(v[f]) : 0;
		}
		prep_put(&pr[i], v, len);
	}
	pthread_rwlock_wrlock(&ix->lock);
	for (int i = 0; i < rows; i++) {
		if (pr[i].kind == PREP_WITHDRAW) {
			sx_data_withdraw(d, pr[i].id);
			st->withdrawn++;
		} else if (pr[i].kind == PREP_PUT) {
			long slot = sx_data_put_parsed(d, &pr[i].r, &pr[i].doc);
			if (slot < 0) {
				pr[i].kind = PREP_BAD;
				continue;
			}
			d->xids[slot] = pr[i].xid;
			d->vers[slot] = pr[i].ver;
			st->reread++;
		}
	}
	/* Live in the index, no row at all: deleted without a trace in
	 * search_deleted (a delete with triggers off), or since the last
	 * refresh; either way it goes. */
	qsort(found, (size_t)rows, sizeof(*found), cmp_i64);
	for (size_t i = 0; i < n; i++) {
		uint32_t s = sx_data_slot(d, ids[i]);
		if (s != SX_NONE && d->docs[s].live &&
		    !bsearch(&ids[i], found, (size_t)rows, sizeof(*found), cmp_i64)) {
			sx_data_withdraw(d, ids[i]);
			st->withdrawn++;
		}
	}
	pthread_rwlock_unlock(&ix->lock);
	prep_free(c, pr, rows);
	free(found);
	db_res_drop(r); /* a batch's rows, not the whole repair's */
	return SOUK_OK;
}

int sx_index_reconcile_repair(sx_index *ix, ctx *c, const int64_t *suspects, size_t n,
                              sx_reconcile_stats *st)
{
	double t0 = now_ms();
	int rc = SOUK_OK;
	if (ix->loads != st->loads) {
		/* A load (the refresh's, after a bulk write) came between the
		 * sums and now: it read a newer snapshot than they did, so the
		 * suspects say nothing about the index any more. Reloading for
		 * them read the million products a second time. */
		st->outdated = true;
	} else if (n > SX_RECONCILE_MAX_IDS) {
		/* A bulk write past the stamp: one binary COPY beats reading
		 * that many rows as text; built aside, searches go on. */
		rc = sx_index_load(ix, c);
		if (rc == SOUK_OK) {
			st->reloaded = true;
			st->reread = sx_index_nlive(ix);
		}
	} else {
		for (size_t i = 0; i < n && rc == SOUK_OK; i += SX_REPAIR_BATCH)
			rc = repair_batch(ix, c, suspects + i,
			                  n - i < SX_REPAIR_BATCH ? n - i : SX_REPAIR_BATCH, st);
	}
	st->ms += now_ms() - t0;
	return rc;
}

int sx_index_reconcile(sx_index *ix, ctx *c, sx_reconcile_stats *st)
{
	int64_t *sus;
	size_t n;
	int rc = sx_index_reconcile_find(ix, c, &sus, &n, st);
	if (rc == SOUK_OK && n)
		rc = sx_index_reconcile_repair(ix, c, sus, n, st);
	free(sus);
	return rc;
}
