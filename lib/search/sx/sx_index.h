/* sx_index: souk-searchd's in-memory copy of the searchable catalog.
 *
 * One slot per active product: its filter, facet, sort and display
 * columns, and its search_doc as lexeme ids with PostgreSQL's positions
 * (search_title is the same vector restricted to weights A and B). Next
 * to it: the lexicon (lexeme text -> id, one posting list each), the
 * categories, and dictionaries for brands, colours and sizes. Built
 * from PostgreSQL by sx_index_load, kept fresh by sx_index_refresh
 * (products whose search_xid moved, 008_searchd.sql).
 *
 * Threads: readers bracket their work with sx_index_rdlock/unlock;
 * refresh takes the write lock only while it applies a batch. Pointers
 * handed out are valid until the reader unlocks. */
#ifndef SOUK_SX_INDEX_H
#define SOUK_SX_INDEX_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/arena.h"
#include "core/ctx.h"
#include "search/sx/sx_entries.h"
#include "search/sx/sx_post.h"

/* A position as PostgreSQL stores it (WordEntryPos): the low 14 bits the
 * position (1..16383), the high 2 bits the weight: 3 = A, 2 = B, 1 = C,
 * 0 = D. */
#define SX_POS(p) ((uint16_t)((p) & 0x3fff))
#define SX_WEIGHT(p) ((unsigned)((p) >> 14))
/* Weight masks, as ts_filter's '{a,b}': bit (1 << weight). */
#define SX_MASK_D 0x1u
#define SX_MASK_C 0x2u
#define SX_MASK_B 0x4u
#define SX_MASK_A 0x8u
#define SX_MASK_ALL 0xfu

#define SX_NONE UINT32_MAX /* no such lexeme / brand / colour / size */

/* sx_lex (a lexeme's id) and sx_entry (one lexeme of a document,
 * decoded): sx_entries.h */
typedef uint32_t sx_slot; /* a product's slot */

typedef struct {
	int64_t id;              /* products.id */
	int64_t category_id;
	int64_t price;           /* price_min in cents; -1: NULL */
	int64_t created_at;      /* microseconds since 1970 (sort "newest") */
	int32_t sales_rank;
	int32_t rating_count;
	int16_t rating10;        /* rating * 10 (numeric(2,1)); -1: NULL */
	bool live;               /* the slot holds an active product */
	bool in_stock;
	uint32_t brand;          /* brand spelling id ("" included) */
	const uint32_t *colors;  /* colour ids, ascending (products.colors) */
	const uint32_t *sizes;   /* size ids, ascending (products.sizes) */
	uint16_t ncolors, nsizes;
	const char *ref, *title, *image; /* image: image_url */
	/* search_doc: nentries entries sorted by lexeme id and their
	 * positions, bit-packed in ents (sx_entries.h: read them with
	 * sx_doc_entry_at, sx_doc_entry and sx_doc_pos) */
	const uint8_t *ents;
	uint32_t nentries;
} sx_doc;

/* Entry i (< d->nentries) of d. */
static inline sx_entry sx_doc_entry_at(const sx_doc *d, uint32_t i)
{
	return sx_ents_at(d->ents, d->nentries, i);
}

/* Where d's entry i's positions end (and entry i + 1's start): a walk
 * over every entry reads this alone, one value an entry. */
static inline uint32_t sx_doc_entry_end(const sx_doc *d, uint32_t i)
{
	return sx_ents_end(d->ents, d->nentries, i);
}

/* How many positions d has, all its entries'. */
static inline uint32_t sx_doc_npos(const sx_doc *d)
{
	return sx_ents_npos(d->ents, d->nentries);
}

/* Position j (< sx_doc_npos(d)) of d as a WordEntryPos: entry e's are
 * e->first .. e->first + e->npos - 1. */
static inline uint16_t sx_doc_pos(const sx_doc *d, uint32_t j)
{
	return sx_ents_pos(d->ents, d->nentries, j);
}

/* Asks for the lines a lookup in d's entries and their positions reads
 * (a match's document a few matches ahead): 640 bytes of its block at
 * most. */
static inline void sx_doc_prefetch_entries(const sx_doc *d)
{
	/* ~3 bytes an entry and ~2 of positions (a million products'
	 * average); the block's header, not yet in cache, is not read */
	size_t bytes = (size_t)d->nentries * 5 + SX_ENTS_HEAD;
	for (size_t off = 0; off < bytes && off < 640; off += 64)
		__builtin_prefetch(d->ents + off);
}

typedef struct {
	int64_t id, parent_id;   /* parent_id 0: a root */
	const char *name, *slug, *path; /* path: "1.5.9", ids root first */
	int depth;               /* 0 for a root */
	const int64_t *ancestors; /* the path's ids, root first; [depth] = id */
} sx_category;

typedef struct sx_index sx_index;

sx_index *sx_index_new(void);
void sx_index_free(sx_index *ix);

/* Loads every active product and every category through c's database
 * connection, replacing what the index held; records where refresh
 * starts from. SOUK_OK, or SOUK_ERR recorded in c. Takes the write lock. */
int sx_index_load(sx_index *ix, ctx *c);

/* Applies the products changed since the last load or refresh (new,
 * changed, withdrawn) and reloads the categories when they changed.
 * Returns how many products were applied (0: none), or SOUK_ERR recorded
 * in c. Takes the write lock only while applying. */
int sx_index_refresh(sx_index *ix, ctx *c);

/* Reconciliation: the refresh trusts search_xid; a writer that bypasses
 * the stamp (triggers disabled, a restore) is found here. Find (reads
 * only, no writer's exclusion needed): per range of 2^SX_RANGE_SHIFT
 * product ids, PostgreSQL's count and checksum of its active rows'
 * versions against the index's; in ranges that differ, row by row, the
 * ids whose version the index lacks (*suspects, malloc'ed, ascending;
 * the caller frees). Repair (as the index's one writer: no refresh
 * meanwhile): the suspects' rows read again; those written before the
 * last refresh's read (which no refresh will ever see) are applied or
 * withdrawn, newer ones left to the refresh; more than
 * SX_RECONCILE_MAX_IDS suspects: the catalog is loaded again aside and
 * swapped in. Suspects found before a load that the repair comes after
 * are dropped (st->outdated): that load read a newer snapshot than the
 * sums (a bulk write is loaded once by the refresh, not a second time
 * here); the next reconciliation compares again. Neither holds the
 * write lock while reading PostgreSQL. sx_index_reconcile does both. SOUK_OK (st filled), or SOUK_ERR
 * recorded in c. */
#define SX_RANGE_SHIFT 14 /* ranges of 16384 ids */
#define SX_RECONCILE_MAX_IDS 50000
#define SX_RECONCILE_DEFAULT_S 60 /* souk-searchd's SOUK_SEARCHD_RECONCILE_S */
typedef struct {
	uint32_t ranges;    /* ranges PostgreSQL has active products in */
	uint32_t differed;  /* ranges whose count or checksum differed */
	uint32_t suspects;  /* ids of those ranges whose version differed */
	uint32_t reread;    /* products applied: no refresh would have read them */
	uint32_t withdrawn; /* live in the index, not active (or gone) in PostgreSQL */
	uint32_t newer;     /* written since the last refresh: left to the next */
	bool reloaded;      /* too many suspects: loaded again whole */
	bool outdated;      /* the index was loaded between find and repair */
	uint64_t loads;     /* the index's loads when find read its sums */
	double sql_ms, ms;  /* PostgreSQL's sums; find and repair */
} sx_reconcile_stats;
int sx_index_reconcile_find(sx_index *ix, ctx *c, int64_t **suspects, size_t *n,
                            sx_reconcile_stats *st);
int sx_index_reconcile_repair(sx_index *ix, ctx *c, const int64_t *suspects, size_t n,
                              sx_reconcile_stats *st);
int sx_index_reconcile(sx_index *ix, ctx *c, sx_reconcile_stats *st);

/* The index on local disk (sx_snap.c), so that a restart need not read
 * the catalog from PostgreSQL again. db is the database's identity
 * (sx_index_dbid): a snapshot is read only into the database it was
 * taken from. Write as the index's writer (no refresh or repair
 * meanwhile): to path.tmp.PID (mode 0600), renamed over path when whole.
 * Read: replaces ix's contents with the snapshot's, its watermark and
 * categories' signature included (a refresh then reads what was stamped
 * since; a reconciliation compares the rest). 0, or -1 with why set
 * ("no such file", "not a snapshot", "format version", "another
 * database", "truncated", "checksum mismatch", "malformed", or the
 * system's error), ix unchanged. */
int sx_index_snap_write(sx_index *ix, const char *path, const char *db, char *why, size_t whysz);
int sx_index_snap_read(sx_index *ix, const char *path, const char *db, char *why, size_t whysz);
/* The database c connects to, as "system identifier/name" (a standby
 * shares its primary's): SOUK_OK, or SOUK_ERR recorded in c. */
int sx_index_dbid(ctx *c, char *out, size_t cap);
/* How many times ix was loaded whole (from PostgreSQL or a snapshot). */
uint64_t sx_index_loads(const sx_index *ix);

/* Replaced documents leave their old version's bytes in the index's
 * pool: how many (an estimate), and a compaction that gives them back
 * without a reload (the refresh runs it itself when they pass a quarter
 * of the pool). Call as the index's writer (the refresh thread, or a
 * test). Returns the bytes given back. */
size_t sx_index_garbage(const sx_index *ix);
size_t sx_index_compact(sx_index *ix);

void sx_index_rdlock(sx_index *ix);
void sx_index_unlock(sx_index *ix);

/* Slots are 0 .. nslots-1; a slot that is not live is skipped by every
 * reader (a withdrawn product's, or one awaiting reuse). */
uint32_t sx_index_nslots(const sx_index *ix);
uint32_t sx_index_nlive(const sx_index *ix);
const sx_doc *sx_index_doc(const sx_index *ix, sx_slot s);
/* Per slot (nslots of them), its product's category id as a dense
 * column, for scans that test it before reading the document. */
#define SX_COL_DEAD UINT32_MAX
#define SX_COL_BIG (UINT32_MAX - 1)
const uint32_t *sx_index_cat_col(const sx_index *ix);
/* Per slot (nslots of them), what a search reads of every match (the
 * filters, the facet counts, a candidate's first keys) packed in 16
 * bytes: the match loop streams through these instead of missing on
 * each match's 128-byte sx_doc and on the colours it points to (at
 * 200,000 matches those misses were most of a query's CPU; at 32 bytes
 * a slot, or 16 plus the category column, the loop still waited on
 * memory). The document stays the reference: for the product id (a
 * tie-break, read when two candidates tie on every other key) and, for
 * a slot marked SX_FC_DOC, everything here but the flags: a price of
 * 2^31 - 1 cents or more, a brand, colour or category id past 65,534, a
 * negative category id, a rating past 12.7 or more than one colour do
 * not fit. */
#define SX_FC_LIVE 0x1u     /* sx_doc.live */
#define SX_FC_IN_STOCK 0x2u /* sx_doc.in_stock */
#define SX_FC_DOC 0x4u      /* the values below: read the document */
#define SX_FC_COLOR 0x8u    /* one colour, in color (else none) */
typedef struct {
	int32_t price;      /* cents, -1 NULL */
	int32_t sales_rank;
	uint16_t brand;
	uint16_t category;
	uint16_t color;
	int8_t rating10;    /* -1 NULL */
	uint8_t flags;      /* SX_FC_* */
} sx_fcol;
const sx_fcol *sx_index_fcols(const sx_index *ix);
/* The slot of a product id, SX_NONE when it is not in the index. */
sx_slot sx_index_slot_of(const sx_index *ix, int64_t product_id);

/* The lexeme's id (exact bytes, as PostgreSQL prints it in a tsvector),
 * SX_NONE when no product has it; its text; its posting list: the live
 * and not-yet-compacted slots holding it, ascending (readers check
 * sx_doc.live), delta-coded (sx_post.h; NULL for an unknown lexeme).
 * sx_index_postings decodes it into a (NULL, *n 0: empty, or a full).
 * df: how many live products hold it. */
sx_lex sx_index_lexeme(const sx_index *ix, const char *text, size_t len);
const char *sx_index_lexeme_text(const sx_index *ix, sx_lex l);
const sx_plist *sx_index_plist(const sx_index *ix, sx_lex l);
const sx_slot *sx_index_postings(const sx_index *ix, sx_lex l, arena *a, uint32_t *n);
uint32_t sx_index_df(const sx_index *ix, sx_lex l);
/* Parallel to sx_index_postings (decoded into a): per posting, the lexeme's positions of
 * weight A or B in that document (what the first-pass ts_rank over
 * search_title reads) as a signature: 0 none; else the count (1..12) in
 * the top 4 bits and, bit j of the low 12, whether the j-th of them has
 * weight A (else B); SX_SIG_MORE: more than 12, read the document.
 * NULL: every signature of the lexeme is 0 (never in a title; or a full).
 * The match loop reads them through a cursor instead (sx_pcur). */
#define SX_SIG_MORE 0xffffu
const uint16_t *sx_index_post_sigs(const sx_index *ix, sx_lex l, arena *a);
/* The signature of entry e of document d (as stored in the postings). */
uint16_t sx_entry_sig(const sx_doc *d, const sx_entry *e);
/* The entry of lexeme l in d (binary search): true with *e set, false
 * when d lacks it. */
static inline bool sx_doc_entry(const sx_doc *d, sx_lex l, sx_entry *e)
{
	return sx_ents_find(d->ents, d->nentries, l, e);
}

/* Brands: one id per exact spelling; group = one id per lower(brand)
 * (PostgreSQL's lower), so "ACME" and "Acme" share a group. */
uint32_t sx_index_nbrands(const sx_index *ix);
const char *sx_index_brand_name(const sx_index *ix, uint32_t brand);
uint32_t sx_index_brand_group(const sx_index *ix, uint32_t brand);
uint32_t sx_index_nbrand_groups(const sx_index *ix);
/* The group of a lower-cased brand, SX_NONE when unknown. */
uint32_t sx_index_brand_group_of(const sx_index *ix, const char *lower, size_t len);

/* Colours (lower case, as in products.colors) and sizes (exact, as in
 * products.sizes): id of a value (SX_NONE unknown), value of an id. */
uint32_t sx_index_ncolors(const sx_index *ix);
uint32_t sx_index_color_of(const sx_index *ix, const char *v, size_t len);
const char *sx_index_color_name(const sx_index *ix, uint32_t id);
uint32_t sx_index_nsizes(const sx_index *ix);
uint32_t sx_index_size_of(const sx_index *ix, const char *v, size_t len);

/* Categories: by id (NULL unknown), by slug (every category with that
 * slug, at most max, shallowest first then by id, as
 * search_category_slug orders them), and all of them (i < n). */
const sx_category *sx_index_category(const sx_index *ix, int64_t id);
int sx_index_categories_by_slug(const sx_index *ix, const char *slug,
                                const sx_category **out, int max);
uint32_t sx_index_ncategories(const sx_index *ix);
const sx_category *sx_index_category_at(const sx_index *ix, uint32_t i);

/* For tests and the daemon's self-description: bytes held, loads and
 * refreshes applied. */
size_t sx_index_bytes(const sx_index *ix);

/* Builds a document for unit tests without PostgreSQL: `doc` holds the
 * columns, `tsvector` is search_doc's text ("'black':3A,17C 'shoe':4A").
 * Replaces the product with the same id. SOUK_OK or SOUK_ERR. */
int sx_index_put_for_test(sx_index *ix, const sx_doc *doc, const char *brand,
                          const char *const *colors, int ncolors,
                          const char *const *sizes, int nsizes, const char *tsvector);
int sx_index_put_category_for_test(sx_index *ix, int64_t id, int64_t parent_id,
                                   const char *name, const char *slug, const char *path);

#endif
