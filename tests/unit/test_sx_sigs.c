/* test_sx_sigs: the first pass ranked from posting signatures (no
 * document read) gives the very floats and the very top-k of ranking
 * every match from its document, on random corpora: titles with repeated
 * words, A/B/C/D weights, more than 12 positions, replaced and withdrawn
 * products. */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "search/sx/sx_index.h"
#include "search/sx/sx_index_int.h"
#include "search/sx/sx_rank.h"
#include "search/sx/sx_search_int.h"
#include "search/sx/sx_tsq.h"
#include "tests.h"

#define C t_c
#define NWORDS 12
#define NDOCS 700

static const char *const words[NWORDS] = {"alpha", "bravo", "charl", "delta", "echo", "foxt",
                                          "golf", "hotel", "india", "julie", "kilo", "lima"};
static sx_index *ix;
static unsigned seed = 20261204;
static int setup_failed;

static unsigned rnd(unsigned n)
{
	seed = seed * 1103515245u + 12345u;
	return (seed >> 8) % n;
}

/* A random tsvector: 1-6 of the words, each with 0-14 positions (0: a
 * lexeme without positions), weights A, B, C or D. */
static void random_tsv(char *out, size_t cap)
{
	size_t at = 0;
	out[0] = '\0';
	for (int w = 0; w < NWORDS; w++) {
		if (rnd(NWORDS) >= 3)
			continue;
		at += (size_t)snprintf(out + at, cap - at, "%s'%s'", at ? " " : "", words[w]);
		unsigned npos = rnd(8) == 0 ? 13 + rnd(2) : rnd(5);
		int pos = 0;
		for (unsigned k = 0; k < npos; k++) {
			pos += 1 + (int)rnd(4);
			/* a long run in the title: past what a signature holds */
			char wt = npos > 12 ? "AB"[rnd(2)] : "ABCD"[rnd(4)];
			at += (size_t)snprintf(out + at, cap - at, "%c%d%c", k ? ',' : ':', pos, wt);
		}
	}
	if (!at)
		snprintf(out, cap, "'%s':1A", words[rnd(NWORDS)]);
}

static void put_random(int64_t id)
{
	char tsv[2048], ref[32];
	random_tsv(tsv, sizeof(tsv));
	snprintf(ref, sizeof(ref), "R-%lld", (long long)id);
	sx_doc d;
	memset(&d, 0, sizeof(d));
	d.id = id;
	d.category_id = 1;
	d.price = 100 + (int64_t)rnd(10000);
	d.sales_rank = (int32_t)rnd(50); /* many ties: the order falls back on id */
	d.rating10 = -1;
	d.live = true;
	d.in_stock = true;
	d.ref = ref;
	d.title = ref;
	d.image = "";
	if (sx_index_put_for_test(ix, &d, "", NULL, 0, NULL, 0, tsv) != SOUK_OK)
		setup_failed++;
}

static int setup(void)
{
	t_ctx_setup();
	ix = sx_index_new();
	if (sx_index_put_category_for_test(ix, 1, 0, "All", "all", "1") != SOUK_OK)
		setup_failed++;
	for (int64_t id = 1; id <= NDOCS; id++)
		put_random(id);
	/* replaced products: their postings' signatures must follow */
	for (int i = 0; i < NDOCS / 4; i++)
		put_random(1 + (int64_t)rnd(NDOCS));
	return setup_failed;
}

static int teardown(void)
{
	sx_index_free(ix);
	ix = NULL;
	sx_search_doc_rank = false;
	return t_ctx_teardown();
}

/* A random OR query of 1-4 words, sometimes with a word no product has. */
static int random_query(char *out, size_t cap, const char **terms, int max)
{
	int n = 1 + (int)rnd(4), k = 0;
	size_t at = 0;
	for (int i = 0; i < n && k < max; i++) {
		const char *w = rnd(10) == 0 ? "zzzz" : words[rnd(NWORDS)];
		at += (size_t)snprintf(out + at, cap - at, "%s'%s'", i ? " | " : "", w);
		terms[k++] = w;
	}
	return k;
}

/* Every live document, every query: the signatures' rank is sx_rank's. */
static void test_sigs_equal_doc_rank(void)
{
	float w15[4] = {0, 1.0f / 3, 2.0f / 3, 1};
	int compared = 0, more = 0, failures = 0;
	app_ctx_begin(C);
	sx_index_rdlock(ix);
	for (int qi = 0; qi < 150; qi++) {
		char text[256];
		const char *terms[4];
		random_query(text, sizeof(text), terms, 4);
		sx_tsq q;
		CU_ASSERT_EQUAL_FATAL(sx_tsq_parse(C->a, ix, text, &q), SOUK_OK);
		CU_ASSERT_TRUE_FATAL(sx_rank_by_sigs(&q));
		if (qi % 2)
			w15[1] = (float)rnd(100) / 100, w15[2] = (float)rnd(100) / 100;
		/* per operand a cursor over its postings, as the match loop
		 * reads them (every live slot, ascending) */
		sx_pcur cur[4];
		for (int i = 0; i < q.noperands && i < 4; i++)
			if (q.operands[i]->lex != SX_NONE)
				sx_pcur_init(&cur[i], sx_index_plist(ix, q.operands[i]->lex));
		for (sx_slot s = 0; s < sx_index_nslots(ix); s++) {
			const sx_doc *d = sx_index_doc(ix, s);
			if (!d->live)
				continue;
			uint16_t sigs[8] = {0};
			bool skip = false;
			for (int i = 0; i < q.noperands; i++) {
				sx_lex l = q.operands[i]->lex;
				if (l == SX_NONE)
					continue;
				if (sx_pcur_seek(&cur[i], s) == s)
					sigs[i] = cur[i].sig[cur[i].at];
				sx_entry e;
				/* the stored signature is the document's */
				CU_ASSERT_EQUAL(sigs[i], sx_doc_entry(d, l, &e) ? sx_entry_sig(d, &e) : 0);
				skip |= sigs[i] == SX_SIG_MORE;
			}
			if (skip) {
				more++;
				continue;
			}
			float a = sx_rank_sigs(w15, sigs, q.noperands);
			float b = sx_rank(w15, d, SX_MASK_A | SX_MASK_B, &q, 0);
			if (memcmp(&a, &b, sizeof(a)) != 0 && failures++ < 5)
				fprintf(stderr, "\n%s on slot %u: signatures %.9g, document %.9g\n", text,
				        s, a, b);
			compared++;
		}
	}
	sx_index_unlock(ix);
	CU_ASSERT_EQUAL(failures, 0);
	CU_ASSERT(compared > 50000);
	CU_ASSERT(more > 0); /* the fallback to the document was exercised */
}

/* The engine's answer (total, hits, their order and scores) with the
 * first pass from signatures equals the one ranking every document. */
static void test_topk_equal_exhaustive(void)
{
	int failures = 0;
	for (int qi = 0; qi < 120; qi++) {
		char orq[256], andq[256], tterm[4][32];
		const char *terms[4], *tq[4];
		double idfs[4];
		int n = random_query(orq, sizeof(orq), terms, 4);
		size_t at = 0;
		for (int i = 0; i < n; i++) {
			at += (size_t)snprintf(andq + at, sizeof(andq) - at, "%s'%s'", i ? " & " : "",
			                       terms[i]);
			snprintf(tterm[i], sizeof(tterm[i]), "'%s'", terms[i]);
			tq[i] = tterm[i];
			idfs[i] = 1.0 + (double)i / 3;
		}
		/* every wanted word (AND) or any (the relaxed OR) */
		const char *tsq = qi % 3 ? orq : andq;
		sx_terms t = {tsq, andq, orq, tq, idfs, n, NULL, 0};
		search_query q;
		search_query_init(&q);
		q.limit = 10 + (int64_t)rnd(20);
		q.offset = (int64_t)rnd(3) * 10;
		q.facets = qi % 2 == 0;
		search_scope sc;
		memset(&sc, 0, sizeof(sc));
		search_result a, b;
		sx_search_doc_rank = false;
		app_ctx_begin(C);
		CU_ASSERT_EQUAL_FATAL(sx_search_run_terms(C, ix, &q, &sc, &t, &a), SOUK_OK);
		sx_search_doc_rank = true;
		CU_ASSERT_EQUAL_FATAL(sx_search_run_terms(C, ix, &q, &sc, &t, &b), SOUK_OK);
		sx_search_doc_rank = false;
		bool same = a.total == b.total && a.nhits == b.nhits;
		for (int i = 0; same && i < a.nhits; i++)
			same = a.hits[i].id == b.hits[i].id && a.hits[i].score == b.hits[i].score;
		if (!same && failures++ < 5)
			fprintf(stderr, "\n%s: %lld/%d hits from signatures, %lld/%d from documents\n",
			        tsq, (long long)a.total, a.nhits, (long long)b.total, b.nhits);
		CU_ASSERT(a.nhits > 0 || a.total <= q.offset);
	}
	CU_ASSERT_EQUAL(failures, 0);
}

/* The engine's answer (facets asked) to text as every query form, one
 * term of weight idf; price_max -1: none. In C's arena. */
static void run_text(const char *text, double idf, int64_t limit, int64_t price_max,
                     search_result *out)
{
	const char *terms[] = {text};
	double idfs[] = {idf};
	sx_terms t = {text, text, text, terms, idfs, 1, NULL, 0};
	search_query q;
	search_query_init(&q);
	q.limit = limit;
	q.facets = true;
	q.price_max = price_max;
	search_scope sc;
	memset(&sc, 0, sizeof(sc));
	app_ctx_begin(C);
	CU_ASSERT_EQUAL_FATAL(sx_search_run_terms(C, ix, &q, &sc, &t, out), SOUK_OK);
}

/* An answer's total, hits and facet counts as text, to compare two. */
static void answer_text(const search_result *r, char *out, size_t cap)
{
	size_t at = (size_t)snprintf(out, cap, "%lld;", (long long)r->total);
	for (int i = 0; i < r->nhits && at < cap; i++)
		at += (size_t)snprintf(out + at, cap - at, " %lld:%.17g", (long long)r->hits[i].id,
		                       r->hits[i].score);
	for (int i = 0; i < r->ncategories && at < cap; i++)
		at += (size_t)snprintf(out + at, cap - at, " c%lld=%lld", (long long)r->categories[i].id,
		                       (long long)r->categories[i].count);
	for (int i = 0; i < r->nprices && at < cap; i++)
		at += (size_t)snprintf(out + at, cap - at, " p%s=%lld", r->prices[i].key,
		                       (long long)r->prices[i].count);
}

/* A one-word query's match is walked from its posting list (two and
 * more blocks here), the signatures taken from the blocks: its total,
 * hits, scores and facet counts are those of the general match ranked
 * from every document, also once products are withdrawn (their slots
 * stay in the list) and with a price filter. */
static void test_one_word_walk(void)
{
	static char a_txt[8192], b_txt[8192];
	int failures = 0, walked = 0;
	for (int round = 0; round < 2; round++) {
		if (round == 1) {
			/* withdraw every seventh product: dead slots in every list */
			pthread_rwlock_wrlock(&ix->lock);
			for (int64_t id = 1; id <= NDOCS; id += 7)
				sx_data_withdraw(ix->d, id);
			pthread_rwlock_unlock(&ix->lock);
		}
		for (int w = 0; w < NWORDS; w++) {
			char word[40];
			snprintf(word, sizeof(word), "'%s'", words[w]);
			int64_t price_max = w % 3 == 2 ? 5000 : -1;
			search_result a, b;
			sx_search_doc_rank = false;
			run_text(word, 1.25, 24, price_max, &a);
			answer_text(&a, a_txt, sizeof(a_txt));
			sx_search_doc_rank = true; /* ranked from documents: no walk */
			run_text(word, 1.25, 24, price_max, &b);
			answer_text(&b, b_txt, sizeof(b_txt));
			sx_search_doc_rank = false;
			if (strcmp(a_txt, b_txt) != 0 && failures++ < 3)
				fprintf(stderr, "\n%s: walked %s\nmatched %s\n", word, a_txt, b_txt);
			sx_index_rdlock(ix);
			const sx_plist *pl = sx_index_plist(ix, sx_index_lexeme(ix, words[w], strlen(words[w])));
			walked += pl && pl->nb > 1;
			sx_index_unlock(ix);
			CU_ASSERT(a.total > 20);
			CU_ASSERT_EQUAL(a.nhits, 24);
		}
	}
	CU_ASSERT_EQUAL(failures, 0);
	CU_ASSERT(walked > 2 * NWORDS / 2); /* most lists span several blocks */
}

/* One engine answer as text: total, then id:score per hit. */
static void answer(const char *orq, char *out, size_t cap)
{
	search_result r;
	run_text(orq, 1.5, 30, -1, &r);
	size_t at = (size_t)snprintf(out, cap, "%lld", (long long)r.total);
	for (int i = 0; i < r.nhits && at < cap; i++)
		at += (size_t)snprintf(out + at, cap - at, " %lld:%s:%.17g", (long long)r.hits[i].id,
		                       r.hits[i].ref, r.hits[i].score);
}

/* Replaced products leave garbage; compaction gives it back and every
 * answer stays the same, before and after more replacements. */
static void test_compaction(void)
{
	static char before[6][4096], after[4096];
	const char *qs[] = {"'alpha'", "'bravo' | 'lima'", "'echo'", "'golf' | 'hotel' | 'kilo'",
	                    "'india'", "'zzzz'"};
	for (int i = 0; i < 6; i++)
		answer(qs[i], before[i], sizeof(before[i]));
	CU_ASSERT(sx_index_garbage(ix) > 0); /* setup replaced a quarter */
	size_t bytes = sx_index_bytes(ix);
	sx_index_compact(ix);
	CU_ASSERT_EQUAL(sx_index_garbage(ix), 0);
	CU_ASSERT(sx_index_bytes(ix) <= bytes);
	for (int i = 0; i < 6; i++) {
		answer(qs[i], after, sizeof(after));
		ASSERT_CSTR(after, before[i]);
	}
	/* the index keeps working: more replacements, the same as a second
	 * compaction sees them */
	for (int i = 0; i < 50; i++)
		put_random(1 + (int64_t)rnd(NDOCS));
	CU_ASSERT(sx_index_garbage(ix) > 0);
	for (int i = 0; i < 6; i++)
		answer(qs[i], before[i], sizeof(before[i]));
	sx_index_compact(ix);
	for (int i = 0; i < 6; i++) {
		answer(qs[i], after, sizeof(after));
		ASSERT_CSTR(after, before[i]);
	}
	sx_index_rdlock(ix);
	CU_ASSERT_NOT_EQUAL(sx_index_lexeme(ix, "alpha", 5), SX_NONE);
	sx_index_unlock(ix);
}


/* ---- snapshots (sx_snap.c) ---- */

static const char *const snap_qs[] = {"'alpha'", "'bravo' | 'lima'", "'echo'",
                                      "'golf' | 'hotel' | 'kilo'", "'india' & 'julie'",
                                      "'charl' | 'delta' | 'foxt'", "'zzzz'"};
#define SNAP_NQ (sizeof(snap_qs) / sizeof(snap_qs[0]))

/* Every query's answer from index x (hits with refs and scores, facet
 * counts), one string. */
static void snap_answers(sx_index *x, char *out, size_t cap)
{
	sx_index *keep = ix;
	ix = x;
	size_t at = 0;
	for (size_t i = 0; i < SNAP_NQ && at < cap; i++) {
		search_result r;
		run_text(snap_qs[i], 1.5, 40, -1, &r);
		char one[8192];
		answer_text(&r, one, sizeof(one));
		at += (size_t)snprintf(out + at, cap - at, "%s:", snap_qs[i]);
		for (int h = 0; h < r.nhits && at < cap; h++)
			at += (size_t)snprintf(out + at, cap - at, " %s", r.hits[h].ref);
		at += (size_t)snprintf(out + at, cap - at, " %s\n", one);
	}
	ix = keep;
}

/* Two indexes hold the same: slots, documents, postings, dictionaries. */
static int snap_diff(sx_index *a, sx_index *b)
{
	const sx_data *x = a->d, *y = b->d;
	int diff = 0;
	diff += x->nslots != y->nslots || x->nlive != y->nlive || x->lex.n != y->lex.n ||
	        x->brands.n != y->brands.n || x->cats->n != y->cats->n;
	if (diff)
		return diff;
	for (uint32_t s = 0; s < x->nslots; s++) {
		const sx_doc *p = &x->docs[s], *q = &y->docs[s];
		diff += p->id != q->id || p->live != q->live || p->price != q->price ||
		        p->nentries != q->nentries || p->ncolors != q->ncolors ||
		        strcmp(p->ref, q->ref) != 0 || strcmp(p->title, q->title) != 0;
		if (p->nentries)
			diff += memcmp(p->ents, q->ents, sx_ents_bytes(p->ents, p->nentries)) != 0;
		diff += x->vers[s] != y->vers[s] || x->xids[s] != y->xids[s] ||
		        x->cat_col[s] != y->cat_col[s] ||
		        memcmp(&x->fcols[s], &y->fcols[s], sizeof(sx_fcol)) != 0;
		diff += sx_data_slot(x, p->id) != sx_data_slot(y, p->id);
	}
	static sx_slot sa[NDOCS * 2], sb[NDOCS * 2];
	static uint16_t ga[NDOCS * 2], gb[NDOCS * 2];
	for (uint32_t l = 0; l < x->lex.n; l++) {
		const sx_plist *p = &x->post[l], *q = &y->post[l];
		diff += strcmp(x->lex.names[l], y->lex.names[l]) != 0;
		diff += p->n != q->n || p->df != q->df || p->nb != q->nb || p->sigs != q->sigs;
		if (p->n == q->n && p->n <= NDOCS * 2) {
			sx_plist_decode(p, sa, ga);
			sx_plist_decode(q, sb, gb);
			diff += memcmp(sa, sb, p->n * sizeof(*sa)) != 0 ||
			        memcmp(ga, gb, p->n * sizeof(*ga)) != 0;
		}
	}
	for (uint32_t i = 0; i < x->cats->n; i++)
		diff += x->cats->cats[i].id != y->cats->cats[i].id ||
		        strcmp(x->cats->cats[i].path, y->cats->cats[i].path) != 0;
	return diff;
}

static void snap_tmp(char *path, size_t cap, const char *name)
{
	snprintf(path, cap, "%s/souk-snap-%d-%s", getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp",
	         (int)getpid(), name);
}

/* The bytes of the file at path, malloc'ed; *n its size. */
static unsigned char *slurp(const char *path, size_t *n)
{
	FILE *f = fopen(path, "rb");
	CU_ASSERT_PTR_NOT_NULL_FATAL(f);
	fseek(f, 0, SEEK_END);
	*n = (size_t)ftell(f);
	rewind(f);
	unsigned char *b = malloc(*n ? *n : 1);
	CU_ASSERT_EQUAL_FATAL(fread(b, 1, *n, f), *n);
	fclose(f);
	return b;
}

static void spit(const char *path, const unsigned char *b, size_t n)
{
	FILE *f = fopen(path, "wb");
	CU_ASSERT_PTR_NOT_NULL_FATAL(f);
	CU_ASSERT_EQUAL(fwrite(b, 1, n, f), n);
	fclose(f);
}

/* What reading path into x says (0, or why it refused). */
static const char *snap_try(sx_index *x, const char *path, const char *db)
{
	static char why[256];
	why[0] = '\0';
	return sx_index_snap_read(x, path, db, why, sizeof(why)) == 0 ? "ok" : why;
}

/* A snapshot read back is the index it was taken from: the same slots,
 * documents, postings and answers; it keeps working as an index (the
 * same changes give the same answers); and every damaged or foreign file
 * is refused with its reason, the index left as it was. */
static void test_snapshot(void)
{
	static char want[65536], got[65536];
	char path[512], bad[512];
	snap_tmp(path, sizeof(path), "index.snap");
	snap_tmp(bad, sizeof(bad), "bad.snap");
	char why[256];
	pthread_rwlock_wrlock(&ix->lock); /* withdrawn slots too */
	sx_data_withdraw(ix->d, 5);
	sx_data_withdraw(ix->d, 77);
	pthread_rwlock_unlock(&ix->lock);
	CU_ASSERT_EQUAL_FATAL(sx_index_snap_write(ix, path, "7301/souk", why, sizeof(why)), 0);
	struct stat st;
	CU_ASSERT_EQUAL(stat(path, &st), 0);
	CU_ASSERT_EQUAL(st.st_mode & 0777, 0600);
	char tmp[600];
	snprintf(tmp, sizeof(tmp), "%s.tmp.%d", path, (int)getpid());
	CU_ASSERT_NOT_EQUAL(access(tmp, F_OK), 0); /* renamed, not left beside */

	sx_index *back = sx_index_new();
	ASSERT_CSTR(snap_try(back, path, "7301/souk"), "ok");
	CU_ASSERT_EQUAL(snap_diff(ix, back), 0);
	CU_ASSERT_EQUAL(sx_index_nlive(back), sx_index_nlive(ix));
	CU_ASSERT_EQUAL(sx_index_loads(back), 1);
	snap_answers(ix, want, sizeof(want));
	snap_answers(back, got, sizeof(got));
	ASSERT_CSTR(got, want);
	CU_ASSERT(strstr(want, "'alpha': R-") != NULL); /* answers with hits */

	/* the same changes to both: replaced and new products */
	unsigned at = seed;
	for (int i = 0; i < 60; i++)
		put_random(1 + (int64_t)rnd(NDOCS + 40));
	sx_index *keep = ix;
	seed = at;
	ix = back;
	for (int i = 0; i < 60; i++)
		put_random(1 + (int64_t)rnd(NDOCS + 40));
	ix = keep;
	CU_ASSERT_EQUAL(snap_diff(ix, back), 0);
	snap_answers(ix, want, sizeof(want));
	snap_answers(back, got, sizeof(got));
	ASSERT_CSTR(got, want);

	/* refused, each with its reason; back keeps what it held */
	size_t n;
	unsigned char *b = slurp(path, &n);
	CU_ASSERT(n > 1000);
	ASSERT_CSTR(snap_try(back, path, "7301/other"), "another database");
	ASSERT_CSTR(snap_try(back, bad, "7301/souk"), "no such file");
	size_t cuts[] = {3, 40, n / 2, n - 1};
	for (size_t i = 0; i < sizeof(cuts) / sizeof(cuts[0]); i++) {
		spit(bad, b, cuts[i]);
		const char *r = snap_try(back, bad, "7301/souk");
		CU_ASSERT(strcmp(r, "truncated") == 0 || (cuts[i] < 8 && strcmp(r, "not a snapshot") == 0));
	}
	b[n / 3] ^= 0x10;
	spit(bad, b, n);
	ASSERT_CSTR(snap_try(back, bad, "7301/souk"), "checksum mismatch");
	b[n / 3] ^= 0x10;
	b[8] ^= 0x01; /* the format's version */
	spit(bad, b, n);
	ASSERT_CSTR(snap_try(back, bad, "7301/souk"), "format version");
	b[8] ^= 0x01;
	b[0] = 'X';
	spit(bad, b, n);
	ASSERT_CSTR(snap_try(back, bad, "7301/souk"), "not a snapshot");
	free(b);
	CU_ASSERT_EQUAL(sx_index_loads(back), 1);
	snap_answers(back, got, sizeof(got));
	ASSERT_CSTR(got, want);

	/* a path that cannot be written: an error, nothing left behind */
	CU_ASSERT_EQUAL(sx_index_snap_write(ix, "/nonexistent-dir/x.snap", "7301/souk", why,
	                                    sizeof(why)), -1);
	CU_ASSERT(strstr(why, "/nonexistent-dir/x.snap.tmp.") != NULL);
	unlink(path);
	unlink(bad);
	sx_index_free(back);
}

void add_sx_sigs_tests(void)
{
	CU_pSuite s = CU_add_suite("sx_sigs", setup, teardown);
	CU_add_test(s, "signatures rank every document as sx_rank does", test_sigs_equal_doc_rank);
	CU_add_test(s, "engine top-k from signatures = from every document",
	            test_topk_equal_exhaustive);
	CU_add_test(s, "compaction gives back replaced documents, answers unchanged",
	            test_compaction);
	CU_add_test(s, "one word walked from its list = the general match", test_one_word_walk);
	CU_add_test(s, "a snapshot read back is the index; damaged or foreign ones refused",
	            test_snapshot);
}
