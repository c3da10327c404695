/* test_sx_index: the in-memory index: tsvector parsing, postings and df
 * through replacements and withdrawals, dictionaries, categories. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "store/db.h"
#include "search/sx/sx_index_int.h"
#include "tests.h"

static sx_doc cols(int64_t id)
{
	return (sx_doc){.id = id, .category_id = 9, .price = 1999, .created_at = 1700000000000000,
	                .sales_rank = (int32_t)id * 10, .rating_count = 3, .rating10 = 45,
	                .in_stock = true, .ref = "R", .title = "T", .image = "I"};
}

static int put(sx_index *ix, int64_t id, const char *tsv)
{
	sx_doc d = cols(id);
	return sx_index_put_for_test(ix, &d, "", NULL, 0, NULL, 0, tsv);
}

/* The text of a document's entry for lexeme `text`, as PostgreSQL would
 * print its positions ("3A,17C"; "" without positions), or NULL. */
static const char *positions(sx_index *ix, const sx_doc *d, const char *text)
{
	static char out[256];
	sx_lex l = sx_index_lexeme(ix, text, strlen(text));
	sx_entry e;
	if (l == SX_NONE || !sx_doc_entry(d, l, &e))
		return NULL;
	buf b;
	buf_init(&b, t_c->a, 0);
	for (uint32_t i = 0; i < e.npos; i++) {
		uint16_t p = sx_doc_pos(d, e.first + i);
		buf_printf(&b, "%s%u", i ? "," : "", SX_POS(p));
		if (SX_WEIGHT(p))
			buf_putc(&b, (char)('A' + 3 - SX_WEIGHT(p)));
	}
	snprintf(out, sizeof(out), "%s", b.p ? b.p : "");
	return out;
}

static uint32_t df(sx_index *ix, const char *text);

static void test_parse(void)
{
	sx_index *ix = sx_index_new();
	CU_ASSERT_EQUAL(put(ix, 7, "'black':3A,17C 'shoe':4A 'x' 'it''s':5B 'a\\\\b':2,9 'two words':1"),
	                SOUK_OK);
	sx_slot s = sx_index_slot_of(ix, 7);
	CU_ASSERT_EQUAL(s, 0);
	const sx_doc *d = sx_index_doc(ix, s);
	CU_ASSERT_EQUAL(d->nentries, 6);
	ASSERT_CSTR(positions(ix, d, "black"), "3A,17C");
	ASSERT_CSTR(positions(ix, d, "shoe"), "4A");
	ASSERT_CSTR(positions(ix, d, "x"), "");
	ASSERT_CSTR(positions(ix, d, "it's"), "5B");
	ASSERT_CSTR(positions(ix, d, "a\\b"), "2,9");
	ASSERT_CSTR(positions(ix, d, "two words"), "1");
	CU_ASSERT_PTR_NULL(positions(ix, d, "white"));
	/* raw weights: A is 3 in the top bits, D (no letter) 0 */
	sx_lex black = sx_index_lexeme(ix, "black", 5);
	sx_entry e;
	CU_ASSERT_TRUE_FATAL(sx_doc_entry(d, black, &e));
	CU_ASSERT_EQUAL(sx_doc_pos(d, e.first), (3u << 14) | 3u);
	CU_ASSERT_EQUAL(sx_doc_pos(d, e.first + 1), (1u << 14) | 17u);
	ASSERT_CSTR(sx_index_lexeme_text(ix, black), "black");
	/* entries sorted by lexeme id, each found by binary search */
	for (uint32_t i = 0; i < d->nentries; i++) {
		sx_entry at = sx_doc_entry_at(d, i), found = {0};
		if (i)
			CU_ASSERT_TRUE(sx_doc_entry_at(d, i - 1).lex < at.lex);
		CU_ASSERT_TRUE(sx_doc_entry(d, at.lex, &found));
		CU_ASSERT_EQUAL(found.lex, at.lex);
		CU_ASSERT_EQUAL(found.first, at.first);
		CU_ASSERT_EQUAL(found.npos, at.npos);
	}
	CU_ASSERT_FALSE(sx_doc_entry(d, 1000, &e));
	CU_ASSERT_EQUAL(sx_index_lexeme(ix, "blac", 4), SX_NONE);
	/* columns are copied */
	CU_ASSERT_EQUAL(d->price, 1999);
	CU_ASSERT_EQUAL(d->rating10, 45);
	CU_ASSERT_EQUAL(d->sales_rank, 70);
	ASSERT_CSTR(d->title, "T");
	CU_ASSERT_TRUE(d->live);
	/* an empty document is a document */
	CU_ASSERT_EQUAL(put(ix, 8, ""), SOUK_OK);
	CU_ASSERT_EQUAL(sx_index_doc(ix, sx_index_slot_of(ix, 8))->nentries, 0);
	CU_ASSERT_EQUAL(sx_index_nlive(ix), 2);
	CU_ASSERT_TRUE(sx_index_bytes(ix) > 0);
	sx_index_free(ix);
}

/* A long document (the sort's quicksort path): entries ascending by id,
 * each with its own positions. */
static void test_long_document(void)
{
	sx_index *ix = sx_index_new();
	/* lexeme ids in an order unrelated to the second document's */
	char tsv[16384];
	size_t o = 0;
	for (int i = 0; i < 500; i++)
		o += (size_t)snprintf(tsv + o, sizeof(tsv) - o, "'w%d':%d ", (i * 7919) % 500, i + 1);
	CU_ASSERT_EQUAL(put(ix, 1, tsv), SOUK_OK);
	o = 0;
	for (int i = 0; i < 400; i++)
		o += (size_t)snprintf(tsv + o, sizeof(tsv) - o, "'w%d':%dB,%d ", (i * 263 + 11) % 600,
		                      i + 1, i + 1000);
	CU_ASSERT_EQUAL(put(ix, 2, tsv), SOUK_OK);
	const sx_doc *d = sx_index_doc(ix, sx_index_slot_of(ix, 2));
	CU_ASSERT_EQUAL_FATAL(d->nentries, 400);
	for (uint32_t i = 1; i < d->nentries; i++)
		CU_ASSERT_TRUE(sx_doc_entry_at(d, i - 1).lex < sx_doc_entry_at(d, i).lex);
	for (int i = 0; i < 400; i += 7) {
		char w[16], want[32];
		snprintf(w, sizeof(w), "w%d", (i * 263 + 11) % 600);
		snprintf(want, sizeof(want), "%dB,%d", i + 1, i + 1000);
		ASSERT_CSTR(positions(ix, d, w), want);
	}
	CU_ASSERT_EQUAL(df(ix, "w11"), 2);
	sx_index_free(ix);
}

/* Documents of 32 entries or more are sorted by a radix sort on the
 * lexeme id's bytes: ids past 2^16 (three bytes) keep their order, and a
 * lexeme printed twice is still refused. */
static void test_wide_lexeme_ids(void)
{
	sx_index *ix = sx_index_new();
	enum { NLEX = 70000 };
	size_t cap = (size_t)NLEX * 16, o = 0;
	char *tsv = malloc(cap);
	CU_ASSERT_PTR_NOT_NULL_FATAL(tsv);
	for (int i = 0; i < NLEX; i++)
		o += (size_t)snprintf(tsv + o, cap - o, "'x%d' ", i);
	CU_ASSERT_EQUAL(put(ix, 1, tsv), SOUK_OK);
	/* ids 65,500..69,999 and 0..99, interleaved, in the document's order */
	o = 0;
	for (int i = 0; i < 200; i++)
		o += (size_t)snprintf(tsv + o, cap - o, "'x%d':%d ", i % 2 ? i / 2 : 69999 - i * 20, i + 1);
	CU_ASSERT_EQUAL(put(ix, 2, tsv), SOUK_OK);
	const sx_doc *d = sx_index_doc(ix, sx_index_slot_of(ix, 2));
	CU_ASSERT_EQUAL_FATAL(d->nentries, 200);
	for (uint32_t i = 1; i < d->nentries; i++)
		CU_ASSERT_TRUE(sx_doc_entry_at(d, i - 1).lex < sx_doc_entry_at(d, i).lex);
	CU_ASSERT_TRUE(sx_doc_entry_at(d, 199).lex > 65536);
	ASSERT_CSTR(positions(ix, d, "x69999"), "1");
	ASSERT_CSTR(positions(ix, d, "x0"), "2");
	ASSERT_CSTR(positions(ix, d, "x66039"), "199");
	/* 40 entries, the last one a repeat of the fifth */
	o = 0;
	for (int i = 0; i < 39; i++)
		o += (size_t)snprintf(tsv + o, cap - o, "'x%d':%d ", 60000 + i * 100, i + 1);
	snprintf(tsv + o, cap - o, "'x60400':99");
	CU_ASSERT_EQUAL(put(ix, 3, tsv), SOUK_ERR);
	CU_ASSERT_EQUAL(sx_index_slot_of(ix, 3), SX_NONE);
	free(tsv);
	sx_index_free(ix);
}

static void test_malformed(void)
{
	static const char *bad[] = {
		"black",          /* unquoted */
		"'black",         /* unterminated */
		"'black':0",      /* positions start at 1 */
		"'black':16384",  /* beyond PostgreSQL's 14 bits */
		"'black':3E",     /* no weight E */
		"'black':",       /* no position */
		"'black':3,",     /* dangling comma */
		"'a' 'a'",        /* a lexeme printed twice */
		"''",             /* empty lexeme */
		"'a'x",           /* junk after a lexeme */
		"'a\\",           /* escape at the end */
	};
	sx_index *ix = sx_index_new();
	CU_ASSERT_EQUAL(put(ix, 1, "'ok':1"), SOUK_OK);
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		CU_ASSERT_EQUAL(put(ix, 2, bad[i]), SOUK_ERR);
		CU_ASSERT_EQUAL(put(ix, 1, bad[i]), SOUK_ERR);
	}
	/* nothing changed: product 1 keeps its document, 2 was never added */
	CU_ASSERT_EQUAL(sx_index_nslots(ix), 1);
	CU_ASSERT_EQUAL(sx_index_slot_of(ix, 2), SX_NONE);
	const sx_doc *d = sx_index_doc(ix, sx_index_slot_of(ix, 1));
	ASSERT_CSTR(positions(ix, d, "ok"), "1");
	CU_ASSERT_EQUAL(sx_index_df(ix, sx_index_lexeme(ix, "ok", 2)), 1);
	sx_index_free(ix);
}

/* The posting list of `text` as "slot,slot,..." */
static const char *plist(sx_index *ix, const char *text)
{
	static char out[256];
	uint32_t n;
	arena *a = arena_new(0);
	const sx_slot *p = sx_index_postings(ix, sx_index_lexeme(ix, text, strlen(text)), a, &n);
	size_t o = 0;
	out[0] = '\0';
	for (uint32_t i = 0; i < n && o < sizeof(out) - 16; i++)
		o += (size_t)snprintf(out + o, sizeof(out) - o, "%s%u", i ? "," : "", p[i]);
	arena_free(a);
	return out;
}

static uint32_t df(sx_index *ix, const char *text)
{
	return sx_index_df(ix, sx_index_lexeme(ix, text, strlen(text)));
}

static void test_replace_and_withdraw(void)
{
	sx_index *ix = sx_index_new();
	CU_ASSERT_EQUAL(put(ix, 10, "'red':1A 'shoe':2A"), SOUK_OK);
	CU_ASSERT_EQUAL(put(ix, 20, "'blue':1A 'shoe':2A"), SOUK_OK);
	CU_ASSERT_EQUAL(put(ix, 30, "'red':1A 'hat':2A"), SOUK_OK);
	ASSERT_CSTR(plist(ix, "red"), "0,2");
	ASSERT_CSTR(plist(ix, "shoe"), "0,1");
	CU_ASSERT_EQUAL(df(ix, "red"), 2);
	/* product 10 becomes a blue hat: same slot, red and shoe leave it */
	CU_ASSERT_EQUAL(put(ix, 10, "'blue':1A 'hat':2A"), SOUK_OK);
	CU_ASSERT_EQUAL(sx_index_slot_of(ix, 10), 0);
	CU_ASSERT_EQUAL(sx_index_nslots(ix), 3);
	CU_ASSERT_EQUAL(sx_index_nlive(ix), 3);
	ASSERT_CSTR(plist(ix, "red"), "2");
	ASSERT_CSTR(plist(ix, "shoe"), "1");
	ASSERT_CSTR(plist(ix, "blue"), "0,1");
	ASSERT_CSTR(plist(ix, "hat"), "0,2");
	CU_ASSERT_EQUAL(df(ix, "red"), 1);
	CU_ASSERT_EQUAL(df(ix, "blue"), 2);
	/* withdrawn: not live, df drops, the slot is no longer found */
	pthread_rwlock_wrlock(&ix->lock);
	sx_data_withdraw(ix->d, 20);
	sx_data_withdraw(ix->d, 20);  /* twice: no double count */
	sx_data_withdraw(ix->d, 999); /* unknown: nothing */
	pthread_rwlock_unlock(&ix->lock);
	CU_ASSERT_EQUAL(sx_index_slot_of(ix, 20), SX_NONE);
	CU_ASSERT_FALSE(sx_index_doc(ix, 1)->live);
	CU_ASSERT_EQUAL(sx_index_nlive(ix), 2);
	CU_ASSERT_EQUAL(df(ix, "shoe"), 0);
	CU_ASSERT_EQUAL(df(ix, "blue"), 1);
	/* back with a new document: its old slot, postings follow the change */
	CU_ASSERT_EQUAL(put(ix, 20, "'red':1A"), SOUK_OK);
	CU_ASSERT_EQUAL(sx_index_slot_of(ix, 20), 1);
	CU_ASSERT_EQUAL(sx_index_nlive(ix), 3);
	ASSERT_CSTR(plist(ix, "red"), "1,2");
	ASSERT_CSTR(plist(ix, "shoe"), "");
	ASSERT_CSTR(plist(ix, "blue"), "0");
	CU_ASSERT_EQUAL(df(ix, "red"), 2);
	CU_ASSERT_EQUAL(df(ix, "shoe"), 0);
	sx_index_free(ix);
}

/* Random puts and withdrawals against a model: postings hold exactly the
 * slots whose stored document has the lexeme, df counts the live ones. */
static void test_random_consistency(void)
{
	enum { NPROD = 40, NWORD = 12, STEPS = 600 };
	static const char *words[NWORD] = {"a", "b", "c", "d", "e", "f", "g", "h", "i", "j", "k", "l"};
	unsigned has[NPROD] = {0}; /* bit w: the product's document has word w */
	bool live[NPROD] = {false};
	sx_index *ix = sx_index_new();
	srand(42);
	for (int step = 0; step < STEPS; step++) {
		int p = rand() % NPROD;
		if (rand() % 5 == 0) {
			pthread_rwlock_wrlock(&ix->lock);
			sx_data_withdraw(ix->d, p + 1);
			pthread_rwlock_unlock(&ix->lock);
			live[p] = false;
			continue;
		}
		unsigned set = (unsigned)rand() & ((1u << NWORD) - 1);
		char tsv[256];
		size_t o = 0;
		for (int w = 0; w < NWORD; w++)
			if (set & (1u << w))
				o += (size_t)snprintf(tsv + o, sizeof(tsv) - o, "'%s':%d ", words[w], w + 1);
		tsv[o] = '\0';
		CU_ASSERT_EQUAL_FATAL(put(ix, p + 1, tsv), SOUK_OK);
		has[p] = set;
		live[p] = true;
	}
	uint32_t nlive = 0;
	arena *a = arena_new(0);
	for (int p = 0; p < NPROD; p++)
		nlive += live[p];
	CU_ASSERT_EQUAL(sx_index_nlive(ix), nlive);
	for (int w = 0; w < NWORD; w++) {
		sx_lex l = sx_index_lexeme(ix, words[w], strlen(words[w]));
		uint32_t n, want_df = 0, want_n = 0;
		const sx_slot *post = sx_index_postings(ix, l, a, &n);
		for (uint32_t i = 1; i < n; i++)
			CU_ASSERT_TRUE(post[i - 1] < post[i]);
		for (uint32_t s = 0; s < sx_index_nslots(ix); s++) {
			const sx_doc *d = sx_index_doc(ix, s);
			int p = (int)d->id - 1;
			bool in = false;
			for (uint32_t i = 0; i < n; i++)
				in |= post[i] == s;
			/* a live product's postings are exact */
			if (live[p])
				CU_ASSERT_EQUAL(in, (has[p] >> w) & 1u);
			sx_entry e;
			CU_ASSERT_EQUAL(in, sx_doc_entry(d, l, &e));
			want_df += live[p] && (has[p] >> w) & 1u;
			want_n += in;
		}
		CU_ASSERT_EQUAL(sx_index_df(ix, l), want_df);
		CU_ASSERT_EQUAL(n, want_n);
	}
	arena_free(a);
	sx_index_free(ix);
}

static void test_dictionaries(void)
{
	sx_index *ix = sx_index_new();
	sx_doc d = cols(1);
	const char *c1[] = {"red", "black", "red"};
	const char *s1[] = {"XL", "M"};
	CU_ASSERT_EQUAL(sx_index_put_for_test(ix, &d, "ACME", c1, 3, s1, 2, "'a':1"), SOUK_OK);
	d = cols(2);
	const char *c2[] = {"black", "white"};
	CU_ASSERT_EQUAL(sx_index_put_for_test(ix, &d, "Acme", c2, 2, NULL, 0, "'a':1"), SOUK_OK);
	d = cols(3);
	CU_ASSERT_EQUAL(sx_index_put_for_test(ix, &d, "Émile Ç", NULL, 0, s1, 1, "'a':1"), SOUK_OK);
	d = cols(4);
	CU_ASSERT_EQUAL(sx_index_put_for_test(ix, &d, "", NULL, 0, NULL, 0, "'a':1"), SOUK_OK);

	CU_ASSERT_EQUAL(sx_index_nbrands(ix), 4);
	CU_ASSERT_EQUAL(sx_index_nbrand_groups(ix), 3);
	const sx_doc *p1 = sx_index_doc(ix, sx_index_slot_of(ix, 1));
	const sx_doc *p2 = sx_index_doc(ix, sx_index_slot_of(ix, 2));
	const sx_doc *p3 = sx_index_doc(ix, sx_index_slot_of(ix, 3));
	const sx_doc *p4 = sx_index_doc(ix, sx_index_slot_of(ix, 4));
	ASSERT_CSTR(sx_index_brand_name(ix, p1->brand), "ACME");
	ASSERT_CSTR(sx_index_brand_name(ix, p2->brand), "Acme");
	ASSERT_CSTR(sx_index_brand_name(ix, p4->brand), "");
	CU_ASSERT_NOT_EQUAL(p1->brand, p2->brand);
	CU_ASSERT_EQUAL(sx_index_brand_group(ix, p1->brand), sx_index_brand_group(ix, p2->brand));
	CU_ASSERT_EQUAL(sx_index_brand_group_of(ix, "acme", 4), sx_index_brand_group(ix, p1->brand));
	CU_ASSERT_EQUAL(sx_index_brand_group_of(ix, "ACME", 4), SX_NONE);
	/* PostgreSQL's lower() folds non-ASCII letters too */
	CU_ASSERT_EQUAL(sx_index_brand_group_of(ix, "émile ç", strlen("émile ç")),
	                sx_index_brand_group(ix, p3->brand));
	CU_ASSERT_EQUAL(sx_index_brand_group_of(ix, "", 0), sx_index_brand_group(ix, p4->brand));

	/* colours: distinct ids, ascending */
	CU_ASSERT_EQUAL(sx_index_ncolors(ix), 3);
	uint32_t red = sx_index_color_of(ix, "red", 3), black = sx_index_color_of(ix, "black", 5);
	uint32_t white = sx_index_color_of(ix, "white", 5);
	CU_ASSERT_EQUAL(p1->ncolors, 2);
	CU_ASSERT_EQUAL(p1->colors[0], red < black ? red : black);
	CU_ASSERT_EQUAL(p1->colors[1], red < black ? black : red);
	CU_ASSERT_EQUAL(p2->ncolors, 2);
	CU_ASSERT_TRUE(p2->colors[0] < p2->colors[1]);
	CU_ASSERT_TRUE(p2->colors[0] == black || p2->colors[1] == black);
	CU_ASSERT_TRUE(p2->colors[0] == white || p2->colors[1] == white);
	ASSERT_CSTR(sx_index_color_name(ix, white), "white");
	CU_ASSERT_EQUAL(sx_index_color_of(ix, "Red", 3), SX_NONE);
	CU_ASSERT_PTR_NULL(sx_index_color_name(ix, 99));
	CU_ASSERT_EQUAL(p4->ncolors, 0);
	/* sizes: exact spelling */
	CU_ASSERT_EQUAL(sx_index_nsizes(ix), 2);
	CU_ASSERT_EQUAL(p1->nsizes, 2);
	CU_ASSERT_EQUAL(p3->nsizes, 1);
	CU_ASSERT_EQUAL(p3->sizes[0], sx_index_size_of(ix, "XL", 2));
	CU_ASSERT_EQUAL(sx_index_size_of(ix, "xl", 2), SX_NONE);
	sx_index_free(ix);
}

static void test_categories(void)
{
	sx_index *ix = sx_index_new();
	CU_ASSERT_EQUAL(sx_index_put_category_for_test(ix, 5, 1, "Shoes", "shoes", "1.5"), SOUK_OK);
	CU_ASSERT_EQUAL(sx_index_put_category_for_test(ix, 1, 0, "Women", "women", "1"), SOUK_OK);
	CU_ASSERT_EQUAL(sx_index_put_category_for_test(ix, 9, 5, "Boots", "boots", "1.5.9"), SOUK_OK);
	CU_ASSERT_EQUAL(sx_index_put_category_for_test(ix, 3, 0, "Boots", "boots", "3"), SOUK_OK);
	CU_ASSERT_EQUAL(sx_index_put_category_for_test(ix, 12, 0, "Boots", "boots", "12"), SOUK_OK);
	CU_ASSERT_EQUAL(sx_index_put_category_for_test(ix, 2, 0, "Men", "men", "2"), SOUK_OK);
	/* the path must end with the category's id and hold only ids */
	CU_ASSERT_EQUAL(sx_index_put_category_for_test(ix, 7, 1, "X", "x", "1.8"), SOUK_ERR);
	CU_ASSERT_EQUAL(sx_index_put_category_for_test(ix, 7, 1, "X", "x", "1..7"), SOUK_ERR);
	CU_ASSERT_EQUAL(sx_index_put_category_for_test(ix, 7, 1, "X", "x", ""), SOUK_ERR);
	CU_ASSERT_EQUAL(sx_index_put_category_for_test(ix, 7, 1, "X", "x", "1.a.7"), SOUK_ERR);
	CU_ASSERT_EQUAL(sx_index_ncategories(ix), 6);

	const sx_category *c = sx_index_category(ix, 9);
	CU_ASSERT_PTR_NOT_NULL_FATAL(c);
	CU_ASSERT_EQUAL(c->depth, 2);
	CU_ASSERT_EQUAL(c->parent_id, 5);
	CU_ASSERT_EQUAL(c->ancestors[0], 1);
	CU_ASSERT_EQUAL(c->ancestors[1], 5);
	CU_ASSERT_EQUAL(c->ancestors[2], 9);
	ASSERT_CSTR(c->path, "1.5.9");
	ASSERT_CSTR(c->name, "Boots");
	CU_ASSERT_EQUAL(sx_index_category(ix, 1)->depth, 0);
	CU_ASSERT_PTR_NULL(sx_index_category(ix, 7));
	CU_ASSERT_PTR_NULL(sx_index_category(ix, 4));

	/* by slug: shallowest first, then by id */
	const sx_category *out[4];
	CU_ASSERT_EQUAL(sx_index_categories_by_slug(ix, "boots", out, 4), 3);
	CU_ASSERT_EQUAL(out[0]->id, 3);
	CU_ASSERT_EQUAL(out[1]->id, 12);
	CU_ASSERT_EQUAL(out[2]->id, 9);
	CU_ASSERT_EQUAL(sx_index_categories_by_slug(ix, "boots", out, 1), 1);
	CU_ASSERT_EQUAL(out[0]->id, 3);
	CU_ASSERT_EQUAL(sx_index_categories_by_slug(ix, "boot", out, 4), 0);
	CU_ASSERT_EQUAL(sx_index_categories_by_slug(ix, "women", out, 4), 1);

	/* all of them, by id */
	int64_t want[] = {1, 2, 3, 5, 9, 12};
	for (uint32_t i = 0; i < 6; i++)
		CU_ASSERT_EQUAL(sx_index_category_at(ix, i)->id, want[i]);
	CU_ASSERT_PTR_NULL(sx_index_category_at(ix, 6));
	sx_index_free(ix);
}

static void test_no_database(void)
{
	sx_index *ix = sx_index_new();
	ctx_clear(t_c);
	CU_ASSERT_EQUAL(sx_index_load(ix, t_c), SOUK_ERR);
	CU_ASSERT_EQUAL(t_c->err_status, 503);
	CU_ASSERT_EQUAL(sx_index_nslots(ix), 0);
	sx_index_free(ix);
}

/* ------------------------------------------------ on the live catalog */

static ctx *L, *W; /* the index's connection; another one that writes */
static const db_stmt ut_sql[] = {
	{"ut_sx_products",
	 "SELECT id, search_doc::text AS doc, brand, lower(brand) AS lower_brand,"
	 " array_to_string(colors, chr(1)) AS colors, array_to_string(sizes, chr(1)) AS sizes,"
	 " coalesce(price_min, -1) AS price, coalesce((rating * 10)::int, -1) AS rating10,"
	 " sales_rank, rating_count, in_stock, category_id, ref, title, image_url,"
	 " (extract(epoch FROM created_at) * 1000000)::int8 AS created_us"
	 " FROM products WHERE status = 'active' AND ($1::bigint IS NULL OR id = $1)"},
	{"ut_sx_count", "SELECT count(*) AS n FROM products WHERE status = 'active'"},
	{"ut_sx_df",
	 "SELECT count(*) AS n FROM products WHERE status = 'active'"
	 " AND search_doc @@ quote_literal($1)::tsquery"},
	{"ut_sx_categories", "SELECT count(*) AS n FROM categories"},
	{"ut_sx_pick",
	 "SELECT id FROM products WHERE status = 'active' AND cardinality(colors) > 0"
	 " AND price_min IS NOT NULL"
	 " ORDER BY id LIMIT 1"},
	{"ut_sx_describe",
	 "UPDATE products SET description = description || $2 WHERE id = $1"},
	{"ut_sx_undescribe",
	 "UPDATE products SET description = left(description, length(description) - length($2))"
	 " WHERE id = $1 AND right(description, length($2)) = $2"},
	{"ut_sx_price", "UPDATE products SET price_min = $2 WHERE id = $1"},
	{"ut_sx_status", "UPDATE products SET status = $2 WHERE id = $1"},
	/* 011_searchd_stamp: a supplied stamp is overwritten, on insert too */
	{"ut_sx_insert_old_stamp",
	 "INSERT INTO products (ref, title, brand, category_id, seller_id, sales_rank, search_xid)"
	 " SELECT 'UTSTAMP', 'stamp test', '', category_id, seller_id, 999999, '3'::xid8"
	 " FROM products WHERE id = $1"
	 " RETURNING search_xid::text AS xid, pg_current_xact_id()::text AS me"},
};

static int live_setup(void)
{
	db_register(ut_sql, sizeof(ut_sql) / sizeof(ut_sql[0]));
	L = t_ctx_new(0);
	db_free(L->db);
	L->db = db_new(getenv("SOUK_TEST_DATABASE_URL"));
	W = t_ctx_new(0);
	db_free(W->db);
	W->db = db_new(getenv("SOUK_TEST_DATABASE_URL"));
	return 0;
}

static int live_teardown(void)
{
	app_ctx_free(L);
	app_ctx_free(W);
	return 0;
}

static int lex_order(const void *a, const void *b, void *ix)
{
	return strcmp(sx_index_lexeme_text(ix, ((const sx_entry *)a)->lex),
	              sx_index_lexeme_text(ix, ((const sx_entry *)b)->lex));
}

/* The document as PostgreSQL prints a tsvector: lexemes in byte order,
 * ' doubled and \ escaped, positions with their weight letter (none: D). */
static const char *doc_text(sx_index *ix, const sx_doc *d, arena *a)
{
	sx_entry *e = arena_alloc(a, (d->nentries + 1) * sizeof(*e));
	for (uint32_t i = 0; i < d->nentries; i++)
		e[i] = sx_doc_entry_at(d, i);
	qsort_r(e, d->nentries, sizeof(*e), lex_order, ix);
	buf b;
	buf_init(&b, a, 0);
	buf_puts(&b, "");
	for (uint32_t i = 0; i < d->nentries; i++) {
		buf_puts(&b, i ? " '" : "'");
		for (const char *p = sx_index_lexeme_text(ix, e[i].lex); *p; p++)
			buf_puts(&b, *p == '\'' ? "''" : *p == '\\' ? "\\\\" : (char[]){*p, 0});
		buf_putc(&b, '\'');
		for (uint32_t k = 0; k < e[i].npos; k++) {
			uint16_t p = sx_doc_pos(d, e[i].first + k);
			buf_printf(&b, "%c%u", k ? ',' : ':', SX_POS(p));
			if (SX_WEIGHT(p))
				buf_putc(&b, (char)('A' + 3 - SX_WEIGHT(p)));
		}
	}
	return b.p;
}

/* Every value of a chr(1)-joined list is among the ids, as many as ids. */
static bool same_values(const char *list, const uint32_t *ids, uint16_t n,
                        uint32_t (*of)(const sx_index *, const char *, size_t), sx_index *ix)
{
	uint16_t k = 0;
	for (const char *p = list; *p;) {
		const char *e = strchr(p, 1);
		size_t len = e ? (size_t)(e - p) : strlen(p);
		uint32_t id = of(ix, p, len);
		bool found = false;
		for (uint16_t i = 0; i < n; i++)
			found |= ids[i] == id;
		if (!found || id == SX_NONE)
			return false;
		k++;
		p += len + (e ? 1 : 0);
	}
	return k == n;
}

/* Products (all, or one id) in the index equal their row. */
static int check_products(sx_index *ix, const char *id)
{
	const char *p[] = {id};
	db_res *r = db_exec(L, "ut_sx_products", 1, p);
	CU_ASSERT_PTR_NOT_NULL_FATAL(r);
	int bad = 0;
	for (int i = 0; i < db_rows(r); i++) {
		sx_slot s = sx_index_slot_of(ix, db_i64(r, i, "id"));
		const sx_doc *d = s == SX_NONE ? NULL : sx_index_doc(ix, s);
		if (!d) {
			bad++;
			continue;
		}
		bool ok = strcmp(doc_text(ix, d, L->a), db_val(r, i, "doc")) == 0 &&
		          strcmp(sx_index_brand_name(ix, d->brand), db_val(r, i, "brand")) == 0 &&
		          sx_index_brand_group(ix, d->brand) ==
		                  sx_index_brand_group_of(ix, db_val(r, i, "lower_brand"),
		                                          strlen(db_val(r, i, "lower_brand"))) &&
		          same_values(db_val(r, i, "colors"), d->colors, d->ncolors,
		                      sx_index_color_of, ix) &&
		          same_values(db_val(r, i, "sizes"), d->sizes, d->nsizes, sx_index_size_of, ix) &&
		          d->price == db_i64(r, i, "price") && d->rating10 == db_i64(r, i, "rating10") &&
		          d->sales_rank == db_i64(r, i, "sales_rank") &&
		          d->rating_count == db_i64(r, i, "rating_count") &&
		          d->in_stock == db_bool(r, i, "in_stock") &&
		          d->category_id == db_i64(r, i, "category_id") &&
		          d->created_at == db_i64(r, i, "created_us") &&
		          strcmp(d->ref, db_val(r, i, "ref")) == 0 &&
		          strcmp(d->title, db_val(r, i, "title")) == 0 &&
		          strcmp(d->image, db_val(r, i, "image_url")) == 0 && d->live;
		if (!ok && bad++ < 3)
			printf("\nproduct %s differs: %.120s\n", db_val(r, i, "id"), doc_text(ix, d, L->a));
	}
	CU_ASSERT_TRUE(db_rows(r) >= 1);
	return bad;
}

static int64_t sql_n(ctx *c, const char *stmt, const char *arg)
{
	const char *p[] = {arg};
	db_res *r = db_exec(c, stmt, arg ? 1 : 0, p);
	return r ? db_i64(r, 0, "n") : -1;
}

static sx_index *live_ix;

static void test_live_load(void)
{
	app_ctx_begin(L);
	live_ix = sx_index_new();
	CU_ASSERT_EQUAL_FATAL(sx_index_load(live_ix, L), SOUK_OK);
	sx_index *ix = live_ix;
	int64_t n = sql_n(L, "ut_sx_count", NULL);
	CU_ASSERT_TRUE(n > 1000);
	CU_ASSERT_EQUAL(sx_index_nlive(ix), n);
	CU_ASSERT_EQUAL(sx_index_nslots(ix), n);
	CU_ASSERT_EQUAL(check_products(ix, NULL), 0);
	/* df equals PostgreSQL's count for a sample of lexemes */
	for (sx_lex l = 0; l < 400 && sx_index_lexeme_text(ix, l); l += 37)
		CU_ASSERT_EQUAL(sx_index_df(ix, l), sql_n(L, "ut_sx_df", sx_index_lexeme_text(ix, l)));
	CU_ASSERT_EQUAL(sx_index_ncategories(ix), sql_n(L, "ut_sx_categories", NULL));
	for (uint32_t i = 0; i < sx_index_ncategories(ix); i++) {
		const sx_category *c = sx_index_category_at(ix, i);
		CU_ASSERT_EQUAL(c->ancestors[c->depth], c->id);
		if (c->depth)
			CU_ASSERT_EQUAL(c->ancestors[c->depth - 1], c->parent_id);
	}
	/* the row versions the load hashed itself (sx_pghash) are
	 * PostgreSQL's: no range of the reconciliation's sums differs */
	app_ctx_begin(L);
	sx_reconcile_stats st;
	int64_t *sus = NULL;
	size_t nsus = 0;
	CU_ASSERT_EQUAL(sx_index_reconcile_find(ix, L, &sus, &nsus, &st), SOUK_OK);
	CU_ASSERT_TRUE(st.ranges > 0);
	CU_ASSERT_EQUAL(st.differed, 0);
	CU_ASSERT_EQUAL(nsus, 0);
	free(sus);
	/* nothing changed since the load */
	app_ctx_begin(L);
	CU_ASSERT_EQUAL(sx_index_refresh(ix, L), 0);
}

static const char *mark = " zzsxmark";

static void test_live_refresh(void)
{
	sx_index *ix = live_ix;
	CU_ASSERT_PTR_NOT_NULL_FATAL(ix);
	app_ctx_begin(L);
	app_ctx_begin(W);
	db_res *r = db_exec(L, "ut_sx_pick", 0, NULL);
	CU_ASSERT_PTR_NOT_NULL_FATAL(r);
	const char *id = arena_strdup(W->a, db_val(r, 0, "id"));
	sx_slot slot = sx_index_slot_of(ix, db_i64(r, 0, "id"));
	int64_t price = sx_index_doc(ix, slot)->price;
	uint32_t nlive = sx_index_nlive(ix);

	/* a new lexeme in the description: the document follows */
	const char *p2[] = {id, mark};
	CU_ASSERT_PTR_NOT_NULL_FATAL(db_exec(W, "ut_sx_describe", 2, p2));
	CU_ASSERT_EQUAL(sx_index_lexeme(ix, "zzsxmark", 8), SX_NONE);
	CU_ASSERT_EQUAL(sx_index_refresh(ix, L), 1);
	CU_ASSERT_EQUAL(sx_index_slot_of(ix, db_i64(r, 0, "id")), slot);
	CU_ASSERT_EQUAL(check_products(ix, id), 0);
	CU_ASSERT_EQUAL(sx_index_df(ix, sx_index_lexeme(ix, "zzsxmark", 8)), 1);
	CU_ASSERT_EQUAL(sx_index_refresh(ix, L), 0); /* applied once */

	/* an open transaction's change is not seen, then seen once committed */
	CU_ASSERT_EQUAL_FATAL(db_begin(W), SOUK_OK);
	const char *pp[] = {id, db_param_i64(W, price + 111)};
	CU_ASSERT_PTR_NOT_NULL(db_exec(W, "ut_sx_price", 2, pp));
	CU_ASSERT_EQUAL(sx_index_refresh(ix, L), 0);
	CU_ASSERT_EQUAL(sx_index_doc(ix, slot)->price, price);
	CU_ASSERT_EQUAL(db_commit(W), SOUK_OK);
	CU_ASSERT_EQUAL(sx_index_refresh(ix, L), 1);
	CU_ASSERT_EQUAL(sx_index_doc(ix, slot)->price, price + 111);

	/* withdrawn: out of the index, df down; back: in again */
	const char *pw[] = {id, "withdrawn"};
	CU_ASSERT_PTR_NOT_NULL(db_exec(W, "ut_sx_status", 2, pw));
	CU_ASSERT_EQUAL(sx_index_refresh(ix, L), 1);
	CU_ASSERT_EQUAL(sx_index_slot_of(ix, db_i64(r, 0, "id")), SX_NONE);
	CU_ASSERT_EQUAL(sx_index_nlive(ix), nlive - 1);
	CU_ASSERT_EQUAL(sx_index_df(ix, sx_index_lexeme(ix, "zzsxmark", 8)), 0);
	CU_ASSERT_EQUAL(sx_index_nlive(ix), sql_n(L, "ut_sx_count", NULL));

	/* restore the row: active, old price, old description */
	const char *pa[] = {id, "active"};
	const char *po[] = {id, db_param_i64(W, price)};
	CU_ASSERT_PTR_NOT_NULL(db_exec(W, "ut_sx_status", 2, pa));
	CU_ASSERT_PTR_NOT_NULL(db_exec(W, "ut_sx_price", 2, po));
	CU_ASSERT_PTR_NOT_NULL(db_exec(W, "ut_sx_undescribe", 2, p2));
	CU_ASSERT_EQUAL(sx_index_refresh(ix, L), 1);
	CU_ASSERT_EQUAL(sx_index_slot_of(ix, db_i64(r, 0, "id")), slot);
	CU_ASSERT_EQUAL(sx_index_nlive(ix), nlive);
	CU_ASSERT_EQUAL(sx_index_df(ix, sx_index_lexeme(ix, "zzsxmark", 8)), 0);
	CU_ASSERT_EQUAL(check_products(ix, NULL), 0);
	sx_index_free(ix);
	live_ix = NULL;
}

/* ------------------------------------------------ reconciliation */

static sx_range_sum rs(int64_t range, uint32_t n, uint64_t x)
{
	return (sx_range_sum){.range = range, .n = n, .x = x};
}

static void test_range_diff(void)
{
	int64_t out[16];
	sx_range_sum a[] = {rs(0, 3, 0x11), rs(1, 1, 0x22), rs(5, 2, 0x33)};
	/* equal */
	CU_ASSERT_EQUAL(sx_range_diff(a, 3, a, 3, out), 0);
	CU_ASSERT_EQUAL(sx_range_diff(NULL, 0, NULL, 0, out), 0);
	/* a checksum differs; a count differs with the same checksum */
	sx_range_sum b[] = {rs(0, 3, 0x11), rs(1, 1, 0x23), rs(5, 3, 0x33)};
	CU_ASSERT_EQUAL_FATAL(sx_range_diff(a, 3, b, 3, out), 2);
	CU_ASSERT_EQUAL(out[0], 1);
	CU_ASSERT_EQUAL(out[1], 5);
	/* ranges on one side only, either side, before, between and after */
	sx_range_sum c[] = {rs(-1, 1, 7), rs(0, 3, 0x11), rs(3, 1, 9), rs(5, 2, 0x33), rs(9, 1, 1)};
	CU_ASSERT_EQUAL_FATAL(sx_range_diff(a, 3, c, 5, out), 4);
	CU_ASSERT_EQUAL(out[0], -1);
	CU_ASSERT_EQUAL(out[1], 1);
	CU_ASSERT_EQUAL(out[2], 3);
	CU_ASSERT_EQUAL(out[3], 9);
	CU_ASSERT_EQUAL_FATAL(sx_range_diff(c, 5, a, 3, out), 4);
	CU_ASSERT_EQUAL(out[0], -1);
	CU_ASSERT_EQUAL(out[3], 9);
	CU_ASSERT_EQUAL(sx_range_diff(a, 3, NULL, 0, out), 3);
	/* an empty range equals an absent one */
	sx_range_sum d[] = {rs(0, 3, 0x11), rs(1, 1, 0x22), rs(2, 0, 0), rs(5, 2, 0x33)};
	CU_ASSERT_EQUAL(sx_range_diff(a, 3, d, 4, out), 0);
}

static void test_range_sums(void)
{
	sx_index *ix = sx_index_new();
	size_t n = 99;
	CU_ASSERT_PTR_NULL(sx_data_range_sums(ix->d, &n));
	CU_ASSERT_EQUAL(n, 0);
	/* ids at both ends of ranges 0 and 1, one in range 3, put out of order */
	const int64_t ids[] = {40000, 1, 16383, 16384, 32767, 2};
	const uint64_t vers[] = {0x100, 0x1, 0x2, 0x10, 0x20, 0x4};
	for (int i = 0; i < 6; i++) {
		CU_ASSERT_EQUAL_FATAL(put(ix, ids[i], "'a':1"), SOUK_OK);
		ix->d->vers[sx_index_slot_of(ix, ids[i])] = vers[i];
	}
	sx_range_sum *r = sx_data_range_sums(ix->d, &n);
	CU_ASSERT_EQUAL_FATAL(n, 3);
	CU_ASSERT_EQUAL(r[0].range, 0);
	CU_ASSERT_EQUAL(r[0].n, 3);
	CU_ASSERT_EQUAL(r[0].x, 0x1 ^ 0x2 ^ 0x4);
	CU_ASSERT_EQUAL(r[1].range, 1);
	CU_ASSERT_EQUAL(r[1].n, 2);
	CU_ASSERT_EQUAL(r[1].x, 0x10 ^ 0x20);
	CU_ASSERT_EQUAL(r[2].range, 2);
	CU_ASSERT_EQUAL(r[2].x, 0x100);
	/* what the database would say for the same rows: equal */
	int64_t out[8];
	sx_range_sum pg[] = {rs(0, 3, 0x7), rs(1, 2, 0x30), rs(2, 1, 0x100)};
	CU_ASSERT_EQUAL(sx_range_diff(pg, 3, r, n, out), 0);
	free(r);
	/* a withdrawn product leaves its range's count and checksum */
	sx_data_withdraw(ix->d, 16383);
	r = sx_data_range_sums(ix->d, &n);
	CU_ASSERT_EQUAL_FATAL(n, 3);
	CU_ASSERT_EQUAL(r[0].n, 2);
	CU_ASSERT_EQUAL(r[0].x, 0x1 ^ 0x4);
	CU_ASSERT_EQUAL_FATAL(sx_range_diff(pg, 3, r, n, out), 1);
	CU_ASSERT_EQUAL(out[0], 0);
	free(r);
	/* a new version of a row changes only its range */
	CU_ASSERT_EQUAL(put(ix, 16384, "'b':1"), SOUK_OK);
	ix->d->vers[sx_index_slot_of(ix, 16384)] = 0x11;
	r = sx_data_range_sums(ix->d, &n);
	CU_ASSERT_EQUAL_FATAL(sx_range_diff(pg, 3, r, n, out), 2);
	CU_ASSERT_EQUAL(out[0], 0);
	CU_ASSERT_EQUAL(out[1], 1);
	free(r);
	sx_index_free(ix);
}

/* A random tsvector over the lexemes w0..w39: each with up to three
 * positions of random weights (D unmarked), some with none. */
static void random_tsv(char *out, size_t cap, unsigned *seed)
{
	size_t o = 0;
	int pos = 1;
	out[0] = '\0';
	for (int w = 0; w < 40; w++) {
		if (rand_r(seed) % 3)
			continue;
		o += (size_t)snprintf(out + o, cap - o, "%s'w%d'", o ? " " : "", w);
		int np = (int)(rand_r(seed) % 4);
		for (int k = 0; k < np; k++) {
			pos += 1 + (int)(rand_r(seed) % 5);
			o += (size_t)snprintf(out + o, cap - o, "%c%d%s", k ? ',' : ':', pos,
			                      (const char *[]){"A", "B", "C", ""}[rand_r(seed) % 4]);
		}
	}
}

/* A load's postings, built once after its rows (defer_post), are those
 * of putting the same rows one by one: the same lists in the same order
 * with the same signatures and document frequencies, replaced products
 * included. */
static void test_deferred_postings(void)
{
	sx_index *one = sx_index_new(), *load = sx_index_new();
	arena *a = arena_new(0);
	load->d->defer_post = true;
	unsigned seed = 14;
	char tsv[2048];
	for (int i = 0; i < 400; i++) {
		/* ids 1..300, a hundred of them put again with other words */
		int64_t id = i < 300 ? i + 1 : 1 + (int64_t)(rand_r(&seed) % 300);
		random_tsv(tsv, sizeof(tsv), &seed);
		CU_ASSERT_EQUAL_FATAL(put(one, id, tsv), SOUK_OK);
		CU_ASSERT_EQUAL_FATAL(put(load, id, tsv), SOUK_OK);
	}
	uint32_t n0;
	sx_index_postings(load, sx_index_lexeme(load, "w0", 2), a, &n0);
	CU_ASSERT_EQUAL(n0, 0); /* nothing posted while deferred */
	sx_data_post_build(load->d);
	CU_ASSERT_FALSE(load->d->defer_post);
	CU_ASSERT_EQUAL_FATAL(sx_index_nlive(load), 300);
	CU_ASSERT_EQUAL(sx_index_nlive(one), 300);
	int sig_lists = 0;
	for (int w = 0; w < 40; w++) {
		char text[8];
		size_t len = (size_t)snprintf(text, sizeof(text), "w%d", w);
		sx_lex la = sx_index_lexeme(one, text, len), lb = sx_index_lexeme(load, text, len);
		CU_ASSERT_EQUAL_FATAL(la == SX_NONE, lb == SX_NONE);
		if (la == SX_NONE)
			continue;
		uint32_t na, nb;
		const sx_slot *pa = sx_index_postings(one, la, a, &na), *pb = sx_index_postings(load, lb, a, &nb);
		CU_ASSERT_EQUAL_FATAL(na, nb);
		if (na)
			CU_ASSERT_EQUAL(memcmp(pa, pb, na * sizeof(*pa)), 0);
		CU_ASSERT_EQUAL(sx_index_df(one, la), sx_index_df(load, lb));
		/* no array: every signature 0 (one by one, a list keeps its
		 * array when the title that made it is replaced) */
		const uint16_t *sa = sx_index_post_sigs(one, la, a), *sb = sx_index_post_sigs(load, lb, a);
		bool same = true;
		for (uint32_t k = 0; k < na; k++)
			same &= (sa ? sa[k] : 0) == (sb ? sb[k] : 0);
		CU_ASSERT_TRUE(same);
		sig_lists += sb != NULL;
	}
	CU_ASSERT_TRUE(sig_lists > 30); /* the comparison saw signatures */
	/* after the build, puts post as usual */
	CU_ASSERT_EQUAL(put(load, 1, "'w0':1A"), SOUK_OK);
	uint32_t n1;
	const sx_slot *p1 = sx_index_postings(load, sx_index_lexeme(load, "w0", 2), a, &n1);
	CU_ASSERT_TRUE(n1 > 0 && p1[0] == sx_index_slot_of(load, 1));
	arena_free(a);
	sx_index_free(one);
	sx_index_free(load);
}

/* The load's postings built by 2 and 3 threads (parts of the slots,
 * concatenated per lexeme) are those of 1: the same slots, signatures,
 * counts and df for every lexeme, replaced products included, and a
 * refresh's put after the build changes them alike. */
static void test_postings_threads(void)
{
	enum { NIX = 3 };
	sx_index *ix[NIX];
	arena *a = arena_new(0);
	for (int k = 0; k < NIX; k++) {
		ix[k] = sx_index_new();
		ix[k]->d->defer_post = true;
	}
	char tsv[2048];
	for (int k = 0; k < NIX; k++) {
		unsigned seed = 41;
		for (int i = 0; i < 1500; i++) {
			/* ids 1..1200 (common words: blocks full in one part, cut
			 * across both), 300 of them put again with other words */
			int64_t id = i < 1200 ? i + 1 : 1 + (int64_t)(rand_r(&seed) % 1200);
			random_tsv(tsv, sizeof(tsv), &seed);
			CU_ASSERT_EQUAL_FATAL(put(ix[k], id, tsv), SOUK_OK);
		}
		sx_data_post_build_parts(ix[k]->d, k + 1);
		CU_ASSERT_FALSE(ix[k]->d->defer_post);
	}
	for (int round = 0; round < 2; round++) {
		int compared = 0, cut = 0;
		for (int w = 0; w < 40; w++) {
			char text[8];
			size_t len = (size_t)snprintf(text, sizeof(text), "w%d", w);
			sx_lex l0 = sx_index_lexeme(ix[0], text, len);
			if (l0 == SX_NONE)
				continue;
			uint32_t n0;
			const sx_slot *p0 = sx_index_postings(ix[0], l0, a, &n0);
			const uint16_t *s0 = sx_index_post_sigs(ix[0], l0, a);
			for (int k = 1; k < NIX; k++) {
				sx_lex l = sx_index_lexeme(ix[k], text, len);
				CU_ASSERT_EQUAL_FATAL(l, l0);
				uint32_t n;
				const sx_slot *p = sx_index_postings(ix[k], l, a, &n);
				const uint16_t *sg = sx_index_post_sigs(ix[k], l, a);
				CU_ASSERT_EQUAL_FATAL(n, n0);
				CU_ASSERT_EQUAL(memcmp(p, p0, n * sizeof(*p)), 0);
				bool same = true;
				for (uint32_t i = 0; i < n; i++)
					same &= (sg ? sg[i] : 0) == (s0 ? s0[i] : 0);
				CU_ASSERT_TRUE(same);
				CU_ASSERT_EQUAL(sx_index_df(ix[k], l), sx_index_df(ix[0], l0));
				const sx_plist *pl = sx_index_plist(ix[k], l), *pl0 = sx_index_plist(ix[0], l0);
				CU_ASSERT_EQUAL(pl->sigs, pl0->sigs);
				cut += pl->nb > pl0->nb;
				compared++;
			}
		}
		CU_ASSERT_TRUE(compared >= 60);
		if (round == 0)
			CU_ASSERT_TRUE(cut > 0); /* some lists have a short block mid-list */
		/* then a refresh's puts: a replaced document, a new one */
		for (int k = 0; k < NIX; k++) {
			CU_ASSERT_EQUAL(put(ix[k], 600, "'w0':1A 'w7':3"), SOUK_OK);
			CU_ASSERT_EQUAL(put(ix[k], 5000, "'w1':2B 'w39'"), SOUK_OK);
		}
	}
	arena_free(a);
	for (int k = 0; k < NIX; k++)
		sx_index_free(ix[k]);
}

static sx_index *rc_ix;

static void test_live_stamp(void)
{
	app_ctx_begin(W);
	CU_ASSERT_EQUAL_FATAL(db_begin(W), SOUK_OK);
	const char *p[] = {"1"};
	db_res *r = db_exec(W, "ut_sx_insert_old_stamp", 1, p);
	CU_ASSERT_PTR_NOT_NULL(r);
	if (r) {
		CU_ASSERT_STRING_NOT_EQUAL(db_val(r, 0, "xid"), "3");
		CU_ASSERT_STRING_EQUAL(db_val(r, 0, "xid"), db_val(r, 0, "me"));
	}
	db_rollback(W);
}

/* The index made wrong behind PostgreSQL's back (a product dropped, one
 * that does not exist, one whose version is not the row's) is found
 * and repaired by one reconciliation; a right index is left alone. */
static void test_live_reconcile(void)
{
	app_ctx_begin(L);
	rc_ix = sx_index_new();
	sx_index *ix = rc_ix;
	CU_ASSERT_EQUAL_FATAL(sx_index_load(ix, L), SOUK_OK);
	uint32_t nlive = sx_index_nlive(ix);
	sx_reconcile_stats st;
	CU_ASSERT_EQUAL(sx_index_reconcile(ix, L, &st), SOUK_OK);
	CU_ASSERT_TRUE(st.ranges >= 1);
	CU_ASSERT_EQUAL(st.differed, 0);
	CU_ASSERT_EQUAL(st.reread, 0);

	app_ctx_begin(L);
	db_res *r = db_exec(L, "ut_sx_pick", 0, NULL);
	CU_ASSERT_PTR_NOT_NULL_FATAL(r);
	int64_t id = db_i64(r, 0, "id");
	/* the next active product in id order: another version */
	sx_slot other = SX_NONE;
	for (int64_t k = id + 1; k < id + 1000 && other == SX_NONE; k++)
		other = sx_index_slot_of(ix, k);
	CU_ASSERT_NOT_EQUAL_FATAL(other, SX_NONE);
	int64_t other_id = sx_index_doc(ix, other)->id;
	const char *title = arena_strdup(W->a, sx_index_doc(ix, other)->title);
	pthread_rwlock_wrlock(&ix->lock);
	sx_data_withdraw(ix->d, id);
	pthread_rwlock_unlock(&ix->lock);
	sx_doc ghost = cols(id + ((int64_t)1 << 40));
	CU_ASSERT_EQUAL_FATAL(sx_index_put_for_test(ix, &ghost, "", NULL, 0, NULL, 0, "'zzghost':1"),
	                      SOUK_OK);
	/* an older version of the row: other content, another version hash */
	CU_ASSERT_EQUAL_FATAL(put(ix, other_id, "'zzstale':1"), SOUK_OK);
	ix->d->vers[sx_index_slot_of(ix, other_id)] ^= 1;
	CU_ASSERT_EQUAL(sx_index_nlive(ix), nlive);
	/* the ghost's range, and the one (or two) of the others */
	uint32_t want = 1 + ((id >> SX_RANGE_SHIFT) == (other_id >> SX_RANGE_SHIFT) ? 1 : 2);

	app_ctx_begin(L);
	CU_ASSERT_EQUAL(sx_index_refresh(ix, L), 0); /* nothing a refresh could see */
	CU_ASSERT_EQUAL(sx_index_reconcile(ix, L, &st), SOUK_OK);
	CU_ASSERT_EQUAL(st.differed, want);
	CU_ASSERT_EQUAL(st.suspects, 3);
	CU_ASSERT_EQUAL(st.reread, 2);    /* the dropped and the stale product */
	CU_ASSERT_EQUAL(st.withdrawn, 1); /* the ghost */
	CU_ASSERT_EQUAL(st.newer, 0);
	CU_ASSERT_FALSE(st.reloaded);
	CU_ASSERT_EQUAL(sx_index_nlive(ix), nlive);
	CU_ASSERT_NOT_EQUAL(sx_index_slot_of(ix, id), SX_NONE);
	CU_ASSERT_EQUAL(sx_index_slot_of(ix, ghost.id), SX_NONE);
	CU_ASSERT_STRING_EQUAL(sx_index_doc(ix, sx_index_slot_of(ix, other_id))->title, title);
	CU_ASSERT_EQUAL(sx_index_df(ix, sx_index_lexeme(ix, "zzstale", 7)), 0);
	CU_ASSERT_EQUAL(check_products(ix, NULL), 0);
	app_ctx_begin(L);
	CU_ASSERT_EQUAL(sx_index_reconcile(ix, L, &st), SOUK_OK);
	CU_ASSERT_EQUAL(st.differed, 0);

	/* a row changed since the last refresh is the refresh's to apply */
	const char *p2[] = {db_param_i64(W, other_id), mark};
	CU_ASSERT_PTR_NOT_NULL_FATAL(db_exec(W, "ut_sx_describe", 2, p2));
	app_ctx_begin(L);
	CU_ASSERT_EQUAL(sx_index_reconcile(ix, L, &st), SOUK_OK);
	CU_ASSERT_EQUAL(st.suspects, 1);
	CU_ASSERT_EQUAL(st.newer, 1);
	CU_ASSERT_EQUAL(st.reread, 0);
	CU_ASSERT_EQUAL(sx_index_lexeme(ix, "zzsxmark", 8), SX_NONE);
	CU_ASSERT_EQUAL(sx_index_refresh(ix, L), 1);
	CU_ASSERT_EQUAL(sx_index_df(ix, sx_index_lexeme(ix, "zzsxmark", 8)), 1);
	CU_ASSERT_PTR_NOT_NULL(db_exec(W, "ut_sx_undescribe", 2, p2));
	CU_ASSERT_EQUAL(sx_index_refresh(ix, L), 1);

	/* more than SX_RECONCILE_MAX_IDS products differ: loaded again */
	for (int k = 0; k <= SX_RECONCILE_MAX_IDS; k++) {
		sx_doc g = cols(((int64_t)1 << 40) + k);
		if (sx_index_put_for_test(ix, &g, "", NULL, 0, NULL, 0, "'zzghost':1") != SOUK_OK)
			CU_FAIL("put");
	}
	app_ctx_begin(L);
	CU_ASSERT_EQUAL(sx_index_reconcile(ix, L, &st), SOUK_OK);
	CU_ASSERT_EQUAL(st.differed, 4); /* 50001 ids from 2^40: four ranges */
	CU_ASSERT_TRUE(st.reloaded);
	CU_ASSERT_EQUAL(sx_index_nlive(ix), nlive);
	CU_ASSERT_EQUAL(sx_index_lexeme(ix, "zzghost", 7), SX_NONE);
	app_ctx_begin(L);
	CU_ASSERT_EQUAL(sx_index_reconcile(ix, L, &st), SOUK_OK);
	CU_ASSERT_EQUAL(st.differed, 0);

	/* Suspects found before a load (the refresh's, after a bulk write)
	 * are that load's business: the repair drops them instead of
	 * loading the catalog a second time. */
	for (int k = 0; k <= SX_RECONCILE_MAX_IDS; k++) {
		sx_doc g = cols(((int64_t)1 << 40) + k);
		if (sx_index_put_for_test(ix, &g, "", NULL, 0, NULL, 0, "'zzghost':1") != SOUK_OK)
			CU_FAIL("put");
	}
	app_ctx_begin(L);
	int64_t *sus = NULL;
	size_t nsus = 0;
	CU_ASSERT_EQUAL_FATAL(sx_index_reconcile_find(ix, L, &sus, &nsus, &st), SOUK_OK);
	CU_ASSERT_EQUAL(nsus, SX_RECONCILE_MAX_IDS + 1);
	CU_ASSERT_EQUAL_FATAL(sx_index_load(ix, L), SOUK_OK);
	uint64_t loads = ix->loads;
	app_ctx_begin(L);
	CU_ASSERT_EQUAL(sx_index_reconcile_repair(ix, L, sus, nsus, &st), SOUK_OK);
	free(sus);
	CU_ASSERT_TRUE(st.outdated);
	CU_ASSERT_FALSE(st.reloaded);
	CU_ASSERT_EQUAL(st.reread, 0);
	CU_ASSERT_EQUAL(st.withdrawn, 0);
	CU_ASSERT_EQUAL(ix->loads, loads);
	CU_ASSERT_EQUAL(sx_index_nlive(ix), nlive);
	CU_ASSERT_EQUAL(sx_index_lexeme(ix, "zzghost", 7), SX_NONE);
	sx_index_free(ix);
	rc_ix = NULL;
}

void add_sx_index_tests(void)
{
	CU_pSuite s = CU_add_suite("sx_index", t_ctx_setup, t_ctx_teardown);
	CU_add_test(s, "tsvector text as PostgreSQL prints it", test_parse);
	CU_add_test(s, "malformed tsvectors change nothing", test_malformed);
	CU_add_test(s, "a long document keeps its order and positions", test_long_document);
	CU_add_test(s, "lexeme ids past 2^16 sorted; a repeated lexeme refused", test_wide_lexeme_ids);
	CU_add_test(s, "replace and withdraw keep postings and df", test_replace_and_withdraw);
	CU_add_test(s, "random puts/withdrawals match a model", test_random_consistency);
	CU_add_test(s, "a load's postings built after its rows equal those put one by one",
	            test_deferred_postings);
	CU_add_test(s, "a load's postings built by 2 or 3 threads equal 1 thread's",
	            test_postings_threads);
	CU_add_test(s, "brands, groups, colours, sizes", test_dictionaries);
	CU_add_test(s, "categories by id, by slug, ancestors", test_categories);
	CU_add_test(s, "load without a database is a 503", test_no_database);
	CU_add_test(s, "reconcile: ranges that differ, either side, empty", test_range_diff);
	CU_add_test(s, "reconcile: the index's per-range counts and checksums", test_range_sums);

	const char *url = getenv("SOUK_TEST_DATABASE_URL");
	if (!url || !*url) {
		printf("live sx_index tests skipped: SOUK_TEST_DATABASE_URL unset\n");
		return;
	}
	s = CU_add_suite("sx_index_live", live_setup, live_teardown);
	CU_add_test(s, "load equals every active row, df, categories", test_live_load);
	CU_add_test(s, "refresh: change, open transaction, withdraw, restore", test_live_refresh);
	CU_add_test(s, "011: an insert's supplied search_xid is overwritten", test_live_stamp);
	CU_add_test(s, "reconcile: a dropped, a ghost, a stale product repaired; reload", test_live_reconcile);
}
