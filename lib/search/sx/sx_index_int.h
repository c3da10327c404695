/* sx_index_int: the index's internal structures, shared by sx_index.c
 * (structures, lookups, putting documents) and sx_index_load.c (load and
 * refresh from PostgreSQL). Not for other modules: they use sx_index.h. */
#ifndef SOUK_SX_INDEX_INT_H
#define SOUK_SX_INDEX_INT_H

#include <pthread.h>

#include "search/sx/sx_index.h"
#include "search/sx/sx_pool.h"
#include "search/sx/sx_post.h"

/* Interned strings: text -> dense id (0, 1, ...), open addressing. */
typedef struct {
	/* the name's hash in the high 32 bits, id + 1 in the low; 0 = empty:
	 * a probe reads the name only when the hashes agree */
	uint64_t *slots;
	uint32_t cap;    /* power of two */
	const char **names;
	uint32_t *lens;
	uint32_t n, ncap;
} sx_dict;

uint32_t sx_dict_find(const sx_dict *d, const char *s, size_t len);
/* Finds or adds s (copied into p); *added says which. */
uint32_t sx_dict_add(sx_dict *d, sx_pool *p, const char *s, size_t len, bool *added);
void sx_dict_free(sx_dict *d);


/* Categories are replaced whole (load, or refresh when they changed). */
typedef struct {
	sx_pool pool;
	sx_category *cats;  /* by id ascending */
	uint32_t n, cap;
	uint32_t *by_slug;  /* indexes into cats: slug, depth, id */
	bool sorted;
} sx_cats;

/* A search_doc parsed, before its lexemes have ids: what can be done
 * without the index (and so without its lock). */
typedef struct {
	const char *base; /* the entries' names: text, or the binary document */
	char *text;       /* a text document's names, unescaped */
	size_t text_cap;
	struct sx_tmp_entry *ent;
	size_t ent_cap;
	uint16_t *pos;
	size_t pos_cap;
	long nent; /* -1: malformed */
} sx_parsed;

/* What one load builds; refresh changes it in place under the lock. */
typedef struct {
	sx_pool pool;
	/* the dictionaries' names: they only ever grow (never garbage), and
	 * kept apart from the documents they stay in cache for the lookup of
	 * every lexeme of every document a load reads */
	sx_pool names;
	/* a load: new documents' postings are left to sx_data_post_build */
	bool defer_post;
	sx_doc *docs;
	uint64_t *xids; /* per slot: search_xid of the row applied, 0 unknown */
	/* per slot: the row version's hash PostgreSQL computed with the row
	 * applied (SX_VER in sx_index_load.c), what reconciliation compares */
	uint64_t *vers;
	/* per slot, columnar: the category id a scan tests first (SX_COL_DEAD
	 * not live; SX_COL_BIG an id past 32 bits, read the document) */
	uint32_t *cat_col;
	/* per slot, columnar: what the match loop reads (sx_index.h) */
	sx_fcol *fcols;
	uint32_t nslots, cap, nlive;
	/* product id -> slot (withdrawn products keep theirs for reuse) */
	int64_t *id_keys;
	uint32_t *id_vals; /* slot + 1; 0 = empty */
	uint32_t id_cap, id_n;
	/* pool bytes of replaced documents (entries, positions, strings,
	 * values), given back by sx_data_compact */
	size_t garbage;
	sx_dict lex;
	sx_plist *post; /* parallel to lex */
	sx_slab post_slab; /* the lists' headers and blocks */
	uint32_t post_cap;
	sx_dict brands, groups, colors, sizes;
	uint32_t *brand_group; /* parallel to brands */
	uint32_t bg_cap;
	sx_cats *cats;
	/* the writer's scratch for parsing one document */
	sx_parsed s_doc;
	uint32_t *s_ids;
	size_t s_ids_cap;
	uint64_t *s_keys, *s_sorted; /* (lexeme id, index), sorted by radix */
	size_t s_keys_cap, s_sorted_cap;
	sx_lex *s_lex;     /* a document's lexemes, position counts */
	uint32_t *s_npos;  /* and positions in lexeme order, for */
	uint16_t *s_pos;   /* sx_ents_pack */
	size_t s_lex_cap, s_npos_cap, s_pos_cap;
} sx_data;

struct sx_index {
	pthread_rwlock_t lock;
	sx_data *d;
	/* refresh state: the writer's (the refresh thread's) alone */
	uint64_t watermark; /* xid8: rows with search_xid >= it are re-read */
	bool loaded;
	char cat_sig[128];  /* categories' count/max(id)/sum(length(path)) */
	uint64_t loads, refreshes;
};

sx_data *sx_data_new(void);
void sx_data_free(sx_data *d);
sx_cats *sx_cats_new(void);
void sx_cats_free(sx_cats *cs);
int sx_cats_add(sx_cats *cs, int64_t id, int64_t parent_id, const char *name,
                const char *slug, const char *path);
/* Sorts and indexes the categories once all are added. */
void sx_cats_finish(sx_cats *cs);

/* One product row to put. Strings come with lengths (a binary COPY's
 * fields are not NUL-terminated); everything is copied. */
typedef struct {
	sx_doc cols; /* the numbers and flags; its strings and arrays are ignored */
	const char *ref, *title, *image, *brand, *lower; /* lower: lower(brand) */
	size_t ref_len, title_len, image_len, brand_len, lower_len;
	const char *const *colors, *const *sizes;
	const size_t *color_lens, *size_lens; /* NULL: NUL-terminated values */
	int ncolors, nsizes;
	const char *doc; /* search_doc */
	size_t doc_len;
	bool doc_binary; /* in tsvector's send format, else as text */
} sx_row;

/* Puts (adds or replaces) an active product. The slot, or -1 when the
 * document is malformed (nothing changed). */
long sx_data_put(sx_data *d, const sx_row *r);
/* The same in two halves: parse r's search_doc into p (no index
 * needed: the refresh does it before taking the write lock), then put
 * r with p already parsed. sx_parsed_free releases p's buffers. */
void sx_row_parse(const sx_row *r, sx_parsed *p);
long sx_data_put_parsed(sx_data *d, const sx_row *r, const sx_parsed *p);
void sx_parsed_free(sx_parsed *p);
/* The slot of a product id, live or not; SX_NONE when never put. */
uint32_t sx_data_slot(const sx_data *d, int64_t id);
/* Builds the posting lists of the documents put with defer_post set
 * (a load), their block headers allocated once at their length: counted
 * from the documents' entries, then filled in slot order, a block coded
 * (sx_post.h) each time a list has SX_PB_N postings. Putting them one by one
 * grew ninety million postings through reallocations and read each
 * list's tail first (a cache miss per posting). Clears defer_post. */
void sx_data_post_build(sx_data *d);
/* Threads building a load's postings (the loading thread one of them):
 * after the COPY PostgreSQL's backend is idle and both cores are free. */
#define SX_POST_THREADS 2
/* sx_data_post_build over nparts parts of the slots, each in a thread of
 * its own: the same postings whatever nparts (blocks may be cut
 * differently); tests compare 1 with more. */
void sx_data_post_build_parts(sx_data *d, int nparts);
/* Withdraws a product (its slot stops being live); no-op when unknown. */
void sx_data_withdraw(sx_data *d, int64_t id);

/* Copies what the pool holds for the documents and dictionaries into a
 * new pool and swaps it in under lock (taken only for the swap: the
 * caller is d's one writer). Returns the bytes given back. */
size_t sx_data_compact(pthread_rwlock_t *lock, sx_data *d);
/* When the garbage is worth a compaction: over a quarter of the pool
 * and at least SX_COMPACT_MIN bytes. */
#define SX_COMPACT_MIN (16u << 20)

/* Where the bytes go, one line for the load's log (docs: the slot
 * arrays; entries, positions and strings live in the pool). */
void sx_data_breakdown(const sx_data *d, char *out, size_t cap);

/* Reconciliation's arithmetic (sx_reconcile.c): per range of product
 * ids (id >> SX_RANGE_SHIFT), how many live products and the XOR of
 * their row versions; the same sums PostgreSQL computes over its active
 * rows (sx_index_load.c), so a range whose sums differ holds a product
 * the index lacks, has withdrawn, or holds in another version. */
typedef struct {
	int64_t range;
	uint32_t n;
	uint64_t x;
} sx_range_sum;

/* The live products' sums, ranges ascending: malloc'ed (the caller
 * frees), *n set; NULL with *n 0 when the index is empty. */
sx_range_sum *sx_data_range_sums(const sx_data *d, size_t *n);
/* The ranges whose sums differ between a and b (each ascending by
 * range; a range missing on one side counts as n 0, x 0), ascending into
 * out (room for na + nb). Returns how many. */
size_t sx_range_diff(const sx_range_sum *a, size_t na, const sx_range_sum *b, size_t nb,
                     int64_t *out);

/* lower() as PostgreSQL computes it in a C.UTF-8 database, into out
 * (malloc'ed, *len set). For tests; the load asks PostgreSQL. */
char *sx_lower_utf8(const char *s, size_t n, size_t *len);

#endif
