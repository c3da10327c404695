/* test_sx_entries: a document's bit-packed entries and positions
 * (sx_entries.h): round trips on random documents, every width, empty
 * documents, and a document of more than 65,535 positions through the
 * index. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "search/sx/sx_index_int.h"
#include "tests.h"

static uint64_t rnd_state = 0x9e3779b97f4a7c15u;

static uint32_t rnd32(void)
{
	/* xorshift64*: the same documents on every run */
	rnd_state ^= rnd_state >> 12;
	rnd_state ^= rnd_state << 25;
	rnd_state ^= rnd_state >> 27;
	return (uint32_t)((rnd_state * 0x2545f4914f6cdd1du) >> 32);
}

/* Packs n entries and their positions into a block of exactly its size
 * (an overread is an ASan error) and checks every entry, every position,
 * every lookup and the lexemes around them that the document lacks. */
static void round_trip(const sx_lex *lex, const uint32_t *npos, uint32_t n, const uint16_t *pos)
{
	size_t size = sx_ents_size(lex, npos, n, pos);
	CU_ASSERT_EQUAL(size == 0, n == 0);
	uint8_t *b = size ? malloc(size) : NULL;
	sx_ents_pack(b, lex, npos, n, pos);
	CU_ASSERT_EQUAL(sx_ents_bytes(b, n), size);
	uint32_t first = 0;
	for (uint32_t i = 0; i < n; i++) {
		sx_entry at = sx_ents_at(b, n, i), found = {0};
		CU_ASSERT_EQUAL(at.lex, lex[i]);
		CU_ASSERT_EQUAL(at.npos, npos[i]);
		CU_ASSERT_EQUAL(at.first, first);
		CU_ASSERT_TRUE(sx_ents_find(b, n, lex[i], &found));
		CU_ASSERT_EQUAL(found.lex, lex[i]);
		CU_ASSERT_EQUAL(found.npos, npos[i]);
		CU_ASSERT_EQUAL(found.first, first);
		for (uint32_t k = 0; k < npos[i]; k++)
			if (sx_ents_pos(b, n, first + k) != pos[first + k]) {
				CU_FAIL("a position differs");
				break;
			}
		first += npos[i];
		if (lex[i] + 1 != SX_NONE && (i + 1 == n || lex[i + 1] != lex[i] + 1))
			CU_ASSERT_FALSE(sx_ents_find(b, n, lex[i] + 1, &found));
		if (lex[i] > 0 && (i == 0 || lex[i - 1] != lex[i] - 1))
			CU_ASSERT_FALSE(sx_ents_find(b, n, lex[i] - 1, &found));
	}
	CU_ASSERT_EQUAL(sx_ents_npos(b, n), first);
	sx_entry e;
	CU_ASSERT_FALSE(sx_ents_find(b, n, SX_NONE, &e));
	if (n == 0 || lex[0] > 0)
		CU_ASSERT_FALSE(sx_ents_find(b, n, 0, &e));
	free(b);
}

/* n random WordEntryPos, each entry's ascending as PostgreSQL keeps
 * them; positions up to maxpos (1..16383). */
static void random_positions(uint16_t *pos, const uint32_t *npos, uint32_t n, unsigned maxpos)
{
	for (uint32_t i = 0, at = 0; i < n; i++)
		for (uint32_t k = 0, p = 0; k < npos[i]; k++, at++) {
			p = p + 1 + rnd32() % 8 > maxpos ? maxpos : p + 1 + rnd32() % 8;
			pos[at] = (uint16_t)((rnd32() % 4) << 14 | p);
		}
}

static void test_random_documents(void)
{
	enum { MAXN = 400 };
	sx_lex lex[MAXN];
	uint32_t npos[MAXN];
	static uint16_t pos[MAXN * 300];
	for (int doc = 0; doc < 3000; doc++) {
		uint32_t n = rnd32() % MAXN;
		/* gaps: dense (a small lexicon), wide (a large one), or huge
		 * (ids across all 32 bits) */
		uint32_t gap = (uint32_t[]){3, 500, 40000, 1u << 22}[rnd32() % 4];
		uint64_t l = rnd32() % (gap + 1);
		uint32_t k = 0;
		for (; k < n; k++) {
			if (l >= SX_NONE)
				break;
			lex[k] = (sx_lex)l;
			/* most lexemes have one or two positions; some none, some many */
			uint32_t r = rnd32() % 20;
			npos[k] = r == 0 ? 0 : r < 17 ? 1 + r % 3 : rnd32() % 300;
			l += 1 + rnd32() % gap;
		}
		/* short documents, long ones, the largest positions */
		random_positions(pos, npos, k, (unsigned[]){20, 300, 16383}[rnd32() % 3]);
		round_trip(lex, npos, k, pos);
	}
}

static void test_edges(void)
{
	/* empty: no block at all */
	round_trip(NULL, NULL, 0, NULL);
	sx_entry e;
	CU_ASSERT_FALSE(sx_ents_find(NULL, 0, 5, &e));
	CU_ASSERT_EQUAL(sx_ents_npos(NULL, 0), 0);
	CU_ASSERT_EQUAL(sx_ents_bytes(NULL, 0), 0);
	/* one entry: zero bits per lexeme */
	round_trip((sx_lex[]){7}, (uint32_t[]){2}, 1, (uint16_t[]){3u << 14 | 1, 16383});
	round_trip((sx_lex[]){0}, (uint32_t[]){0}, 1, NULL);
	/* no positions at all: zero bits per end */
	round_trip((sx_lex[]){1, 2, 9}, (uint32_t[]){0, 0, 0}, 3, NULL);
	/* a position 0 (a binary tsvector is taken as it comes): 2 bits each */
	round_trip((sx_lex[]){4, 5}, (uint32_t[]){1, 1}, 2, (uint16_t[]){3u << 14, 1u << 14});
	uint16_t *pos = malloc(300 * 60000 * sizeof(*pos));
	/* ids across all 32 bits: 32 bits per lexeme */
	uint32_t four[] = {1, 65535, 0, 65535};
	random_positions(pos, four, 4, 16383);
	round_trip((sx_lex[]){0, 1, UINT32_MAX / 2, UINT32_MAX - 1}, four, 4, pos);
	/* ends past 16 bits, then past 24 */
	uint32_t three[] = {65535, 65535, 3};
	random_positions(pos, three, 3, 16383);
	round_trip((sx_lex[]){10, 11, 12}, three, 3, pos);
	static sx_lex many[300];
	static uint32_t counts[300];
	for (uint32_t i = 0; i < 300; i++) {
		many[i] = 1000 + 3 * i;
		counts[i] = 60000;
	}
	random_positions(pos, counts, 300, 16383);
	round_trip(many, counts, 300, pos);
	free(pos);
	/* the packed size at a million products' widths (ids within 2^16,
	 * 149 positions up to 200): 3 bytes an entry, 10 bits a position,
	 * where the entry took 8 bytes and a position 2 */
	sx_lex lx[93];
	uint32_t np[93];
	uint16_t ps[149];
	for (uint32_t i = 0; i < 93; i++) {
		lx[i] = 400 * i;
		np[i] = i < 56 ? 2 : 1;
	}
	for (uint32_t j = 0; j < 149; j++)
		ps[j] = (uint16_t)(j < 15 ? 3u << 14 | (j + 1) : 200 - j);
	size_t size = sx_ents_size(lx, np, 93, ps);
	CU_ASSERT_EQUAL(size, SX_ENTS_HEAD + (93 * (16 + 8) + 149 * 10) / 8 + 8);
	CU_ASSERT_TRUE(size < 93 * 8 / 2 + 149 * 2 / 2);
	/* 16-bit ids: the lookup's own path (plain 16-bit loads) */
	round_trip(lx, np, 93, ps);
	/* and one bit either side of it: 17 bits, then 15 */
	lx[92] = 65536;
	round_trip(lx, np, 93, ps);
	for (uint32_t i = 0; i < 93; i++)
		lx[i] = 350 * i;
	round_trip(lx, np, 93, ps);
}

/* Through the index: a document of 80,000 positions (entries whose first
 * position is past 65,535) reads back what was put, and sx_rank's
 * length counts them all. */
static void test_many_positions(void)
{
	enum { NLEX = 20000, PER = 4 };
	size_t cap = (size_t)NLEX * 48, o = 0;
	char *tsv = malloc(cap);
	for (int i = 0; i < NLEX; i++)
		o += (size_t)snprintf(tsv + o, cap - o, "'w%d':%d,%dA,%dB,%d ", i, 1 + i % 16000,
		                      2 + i % 16000, 3 + i % 16000, 4 + i % 16000);
	sx_index *ix = sx_index_new();
	sx_doc cols = {.id = 1, .ref = "R", .title = "T", .image = "I"};
	CU_ASSERT_EQUAL_FATAL(sx_index_put_for_test(ix, &cols, "", NULL, 0, NULL, 0, tsv), SOUK_OK);
	CU_ASSERT_EQUAL_FATAL(sx_index_put_for_test(ix, &(sx_doc){.id = 2, .ref = "R", .title = "T",
	                                                          .image = "I"},
	                                            "", NULL, 0, NULL, 0, ""),
	                      SOUK_OK);
	const sx_doc *d = sx_index_doc(ix, sx_index_slot_of(ix, 1));
	CU_ASSERT_EQUAL_FATAL(d->nentries, NLEX);
	CU_ASSERT_EQUAL(sx_doc_npos(d), NLEX * PER);
	int past = 0;
	for (int i = 0; i < NLEX; i += 37) {
		char w[16];
		snprintf(w, sizeof(w), "w%d", i);
		sx_entry e;
		CU_ASSERT_TRUE_FATAL(sx_doc_entry(d, sx_index_lexeme(ix, w, strlen(w)), &e));
		CU_ASSERT_EQUAL(e.npos, PER);
		CU_ASSERT_EQUAL(sx_doc_pos(d, e.first), (uint16_t)(1 + i % 16000));
		CU_ASSERT_EQUAL(sx_doc_pos(d, e.first + 1), (uint16_t)(3u << 14 | (2 + i % 16000)));
		CU_ASSERT_EQUAL(sx_doc_pos(d, e.first + 2), (uint16_t)(2u << 14 | (3 + i % 16000)));
		CU_ASSERT_EQUAL(sx_doc_pos(d, e.first + 3), (uint16_t)(4 + i % 16000));
		/* the lexemes' ids follow the text's order: so do their positions */
		CU_ASSERT_EQUAL(e.first, (uint32_t)i * PER);
		past += e.first > 65535;
	}
	CU_ASSERT_TRUE(past > 50);
	/* the empty document next to it */
	const sx_doc *empty = sx_index_doc(ix, sx_index_slot_of(ix, 2));
	CU_ASSERT_EQUAL(empty->nentries, 0);
	CU_ASSERT_EQUAL(sx_doc_npos(empty), 0);
	sx_entry e;
	CU_ASSERT_FALSE(sx_doc_entry(empty, sx_index_lexeme(ix, "w1", 2), &e));
	/* replaced, then compacted: the same entries from the new pool */
	CU_ASSERT_EQUAL(sx_index_put_for_test(ix, &(sx_doc){.id = 2, .ref = "R", .title = "T",
	                                                    .image = "I"},
	                                      "", NULL, 0, NULL, 0, "'w5':9A 'w7'"),
	                SOUK_OK);
	CU_ASSERT_TRUE(sx_index_garbage(ix) > 0);
	sx_index_compact(ix);
	d = sx_index_doc(ix, sx_index_slot_of(ix, 1));
	CU_ASSERT_EQUAL(sx_doc_npos(d), NLEX * PER);
	CU_ASSERT_TRUE(sx_doc_entry(d, sx_index_lexeme(ix, "w19999", 6), &e));
	CU_ASSERT_EQUAL(e.first, (NLEX - 1) * PER);
	CU_ASSERT_EQUAL(sx_doc_pos(d, e.first + 3), (uint16_t)(4 + 19999 % 16000));
	const sx_doc *two = sx_index_doc(ix, sx_index_slot_of(ix, 2));
	CU_ASSERT_TRUE(sx_doc_entry(two, sx_index_lexeme(ix, "w5", 2), &e));
	CU_ASSERT_EQUAL(e.npos, 1);
	CU_ASSERT_EQUAL(sx_doc_pos(two, e.first), (uint16_t)(3u << 14 | 9));
	CU_ASSERT_TRUE(sx_doc_entry(two, sx_index_lexeme(ix, "w7", 2), &e));
	CU_ASSERT_EQUAL(e.npos, 0);
	sx_index_free(ix);
	free(tsv);
}

void add_sx_entries_tests(void)
{
	CU_pSuite s = CU_add_suite("sx_entries", NULL, NULL);
	CU_add_test(s, "random documents round-trip through the packed entries and positions",
	            test_random_documents);
	CU_add_test(s, "edges: empty, one entry, no positions, 32-bit ids, wide ends", test_edges);
	CU_add_test(s, "a document of more than 65,535 positions, replaced and compacted",
	            test_many_positions);
}
