/* test_sx_post: the delta-coded posting lists (sx_post.h): round trips
 * at the block boundaries and every gap width, the cursor's seeks
 * (exact, inside, between blocks, past the end), and adds and removes
 * (splits included) against a plain sorted array. */
#include <stdlib.h>
#include <string.h>

#include "search/sx/sx_post.h"
#include "tests.h"

#define SLOT_NONE UINT32_MAX

static uint64_t rnd_state = 0x2545f4914f6cdd1du;

static uint32_t rnd32(void)
{
	/* xorshift64*: the same lists on every run */
	rnd_state ^= rnd_state >> 12;
	rnd_state ^= rnd_state << 25;
	rnd_state ^= rnd_state >> 27;
	return (uint32_t)((rnd_state * 0x2545f4914f6cdd1du) >> 32);
}

/* The list decodes to exactly slots/sigs, whole and block by block. */
static void check_list(const sx_plist *pl, const sx_slot *slots, const uint16_t *sigs, uint32_t n)
{
	CU_ASSERT_EQUAL_FATAL(pl->n, n);
	sx_slot *got = malloc((n ? n : 1) * sizeof(*got));
	uint16_t *gs = malloc((n ? n : 1) * sizeof(*gs));
	CU_ASSERT_EQUAL(sx_plist_decode(pl, got, gs), n);
	uint32_t bad = 0;
	for (uint32_t i = 0; i < n; i++)
		bad += got[i] != slots[i] || gs[i] != (sigs ? sigs[i] : 0);
	CU_ASSERT_EQUAL(bad, 0);
	/* a cursor visiting every posting finds each, with its signature */
	sx_pcur c;
	sx_pcur_init(&c, pl);
	bad = 0;
	for (uint32_t i = 0; i < n; i++) {
		bad += sx_pcur_seek(&c, slots[i]) != slots[i];
		bad += c.sig[c.at] != (sigs ? sigs[i] : 0);
	}
	CU_ASSERT_EQUAL(bad, 0);
	if (n && slots[n - 1] < SLOT_NONE - 1)
		CU_ASSERT_EQUAL(sx_pcur_seek(&c, slots[n - 1] + 1), SLOT_NONE);
	free(got);
	free(gs);
}

static void build_and_check(const sx_slot *slots, const uint16_t *sigs, uint32_t n)
{
	sx_plist pl = {0};
	sx_plist_build(&pl, slots, sigs, n);
	CU_ASSERT_EQUAL(pl.nb, (n + SX_PB_N - 1) / SX_PB_N);
	check_list(&pl, slots, sigs, n);
	sx_plist_clear(&pl);
}

static void test_round_trips(void)
{
	static sx_slot slots[1000];
	static uint16_t sigs[1000];
	const uint32_t sizes[] = {1, 2, 127, 128, 129, 255, 256, 257, 1000};
	/* gaps of 0 (consecutive slots: no bits), 1 bit, 20+ bits, and up
	 * to 32 bits (slot 0, then near the top of the range) */
	for (unsigned kind = 0; kind < 5; kind++) {
		for (size_t z = 0; z < sizeof(sizes) / sizeof(*sizes); z++) {
			uint32_t n = sizes[z];
			sx_slot s = kind == 4 ? 0 : 7;
			for (uint32_t i = 0; i < n; i++) {
				slots[i] = s;
				sigs[i] = kind == 3 && i % 3 ? (uint16_t)(rnd32() | 1) : 0;
				uint32_t gap = kind == 0   ? 0
				               : kind == 1 ? rnd32() % 2
				               : kind == 2 ? (1u << 20) + rnd32() % (1u << 21)
				                           : rnd32() % 1000;
				if (kind == 4)
					gap = i == 0 ? 0xfffff000u : 0;
				s += gap + 1;
			}
			build_and_check(slots, sigs, n);
			build_and_check(slots, NULL, n);
		}
	}
	/* a signature on the last posting of a block and the first of the
	 * next, SX_SIG_MORE among them */
	for (uint32_t i = 0; i < 300; i++) {
		slots[i] = 3 * i;
		sigs[i] = i == 127 ? 0xffff : i == 128 ? 0x1001 : i == 299 ? 0x2003 : 0;
	}
	build_and_check(slots, sigs, 300);
}

static void test_coding_is_small(void)
{
	/* a million consecutive slots: no gap bits, a 16-byte header a
	 * block (a bit a posting) */
	uint32_t n = 1000000;
	sx_slot *slots = malloc(n * sizeof(*slots));
	for (uint32_t i = 0; i < n; i++)
		slots[i] = i;
	sx_plist pl = {0};
	sx_plist_build(&pl, slots, NULL, n);
	CU_ASSERT_TRUE(sx_plist_bytes(&pl) < n / 8 + 1024);
	CU_ASSERT_FALSE(pl.sigs);
	check_list(&pl, slots, NULL, n);
	/* gaps of 0 and 2 in turn: two bits a gap, under half a byte a
	 * posting with the header and the padding */
	for (uint32_t i = 0; i < n; i++)
		slots[i] = 2 * i + (i % 2);
	sx_plist_build(&pl, slots, NULL, n);
	CU_ASSERT_TRUE(sx_plist_bytes(&pl) < n / 2);
	check_list(&pl, slots, NULL, n);
	sx_plist_clear(&pl);
	free(slots);
}

static void test_cursor_seeks(void)
{
	/* 129 postings: a full block and a block of one; slots 10, 20, ... */
	sx_slot slots[129];
	uint16_t sigs[129];
	for (uint32_t i = 0; i < 129; i++) {
		slots[i] = 10 * (i + 1);
		sigs[i] = (uint16_t)(i + 1);
	}
	sx_plist pl = {0};
	sx_plist_build(&pl, slots, sigs, 129);
	CU_ASSERT_EQUAL_FATAL(pl.nb, 2);
	sx_pcur c;
	sx_pcur_init(&c, &pl);
	CU_ASSERT_EQUAL(sx_pcur_seek(&c, 0), 10); /* before the first */
	CU_ASSERT_EQUAL(c.sig[c.at], 1);
	CU_ASSERT_EQUAL(sx_pcur_seek(&c, 10), 10); /* the same again */
	CU_ASSERT_EQUAL(sx_pcur_seek(&c, 55), 60); /* inside: the next */
	CU_ASSERT_EQUAL(c.sig[c.at], 6);
	CU_ASSERT_EQUAL(sx_pcur_seek(&c, 1280), 1280); /* the block's last */
	CU_ASSERT_EQUAL(c.sig[c.at], 128);
	CU_ASSERT_EQUAL(sx_pcur_seek(&c, 1285), 1290); /* between blocks */
	CU_ASSERT_EQUAL(c.sig[c.at], 129);
	CU_ASSERT_EQUAL(sx_pcur_seek(&c, 1290), 1290);
	CU_ASSERT_EQUAL(sx_pcur_seek(&c, 1291), SLOT_NONE); /* past the end */
	CU_ASSERT_EQUAL(sx_pcur_seek(&c, 5000), SLOT_NONE);
	/* a fresh cursor straight to the second block's slot, and one that
	 * gallops over many blocks */
	sx_pcur_init(&c, &pl);
	CU_ASSERT_EQUAL(sx_pcur_seek(&c, 1290), 1290);
	CU_ASSERT_EQUAL(c.sig[c.at], 129);
	sx_slot big[5000];
	for (uint32_t i = 0; i < 5000; i++)
		big[i] = 2 * i;
	sx_plist_build(&pl, big, NULL, 5000);
	sx_pcur_init(&c, &pl);
	CU_ASSERT_EQUAL(sx_pcur_seek(&c, 3), 4);
	CU_ASSERT_EQUAL(sx_pcur_seek(&c, 2 * 128 * 20 + 1), 2 * 128 * 20 + 2);
	CU_ASSERT_EQUAL(sx_pcur_seek(&c, 2 * 128 * 21 - 1), 2 * 128 * 21); /* first of a block */
	CU_ASSERT_EQUAL(sx_pcur_seek(&c, 9998), 9998);
	CU_ASSERT_EQUAL(sx_pcur_seek(&c, 9999), SLOT_NONE);
	/* the empty list */
	sx_plist_clear(&pl);
	sx_pcur_init(&c, &pl);
	CU_ASSERT_EQUAL(sx_pcur_seek(&c, 0), SLOT_NONE);
}

/* Adds and removes at random against a sorted array: inserts in the
 * middle of blocks until they split, appends past a full last block,
 * signature changes, removals down to nothing. */
static void add_remove_in(sx_slab *slab)
{
	enum { RANGE = 5000 };
	static bool in[RANGE];
	static uint16_t msig[RANGE];
	memset(in, 0, sizeof(in));
	sx_plist pl = {.slab = slab};
	static sx_slot slots[RANGE];
	static uint16_t sigs[RANGE];
	for (int step = 0; step < 40000; step++) {
		uint32_t r = rnd32();
		/* the first half mostly adds (clustered: splits), then removes */
		bool add = step < 20000 ? r % 4 != 0 : r % 4 == 0;
		sx_slot s = step % 7 == 0 ? rnd32() % RANGE : 1000 + rnd32() % 600;
		if (add) {
			uint16_t sig = rnd32() % 3 == 0 ? (uint16_t)rnd32() : 0;
			sx_plist_add(&pl, s, sig);
			in[s] = true;
			msig[s] = sig;
		} else {
			sx_plist_remove(&pl, s);
			in[s] = false;
		}
		if (step % 5000 == 4999) {
			uint32_t n = 0;
			for (uint32_t k = 0; k < RANGE; k++)
				if (in[k]) {
					slots[n] = k;
					sigs[n++] = msig[k];
				}
			check_list(&pl, slots, sigs, n);
			for (uint32_t b = 0; b < pl.nb; b++)
				CU_ASSERT_TRUE(pl.b[b].n >= 1 && pl.b[b].n <= SX_PB_MAX);
		}
	}
	/* appends in order, as new products come: full blocks */
	sx_plist_clear(&pl);
	for (sx_slot s = 0; s < 1000; s++)
		sx_plist_add(&pl, 3 * s, 0);
	CU_ASSERT_EQUAL(pl.nb, (1000 + SX_PB_N - 1) / SX_PB_N);
	for (sx_slot s = 0; s < 1000; s++)
		sx_plist_remove(&pl, 3 * s);
	CU_ASSERT_EQUAL(pl.n, 0);
	CU_ASSERT_EQUAL(pl.nb, 0);
	sx_plist_remove(&pl, 3); /* absent: no-op */
	sx_plist_clear(&pl);
}

static void test_add_remove(void)
{
	add_remove_in(NULL);
	/* From a slab: every block and header freed by the size it was
	 * allocated with, so nothing is left handed out at the end. */
	sx_slab slab = {0};
	add_remove_in(&slab);
	CU_ASSERT_EQUAL(slab.live, 0);
	CU_ASSERT_TRUE(slab.pool.bytes > 0);
	sx_slab_release(&slab);
	CU_ASSERT_EQUAL(slab.pool.bytes, 0);
}

/* Two lists of consecutive slot ranges, each built block by block (a
 * load's parts), concatenated: one list, its blocks in order, a short
 * one in the middle; then a change in and around that short block. */
static void concat_in(bool slabs)
{
	enum { N = 700 };
	static sx_slot slots[N + 1];
	static uint16_t sigs[N + 1];
	sx_slot s = 10;
	for (uint32_t i = 0; i < N; i++) {
		s += 1 + (i % 9 == 0 ? rnd32() % 3000 : rnd32() % 3);
		slots[i] = s;
		sigs[i] = i % 5 == 0 ? (uint16_t)(1 + rnd32() % 60000) : 0;
	}
	/* cut at 0 (empty head), inside the first block, at a block's end,
	 * past it, at the end (empty tail) */
	const uint32_t cuts[] = {0, 1, 77, SX_PB_N, SX_PB_N + 1, 333, N};
	for (size_t c = 0; c < sizeof(cuts) / sizeof(cuts[0]); c++) {
		uint32_t cut = cuts[c];
		/* a load's parts: a slab each, the tail's taken by the head's */
		sx_slab hs = {0}, ts = {0};
		sx_plist head = {.df = 42, .slab = slabs ? &hs : NULL}, tail = {.slab = slabs ? &ts : NULL};
		for (uint32_t i = 0; i < cut; i += SX_PB_N)
			sx_plist_append_block(&head, slots + i, sigs + i,
			                      cut - i < SX_PB_N ? cut - i : SX_PB_N);
		for (uint32_t i = cut; i < N; i += SX_PB_N)
			sx_plist_append_block(&tail, slots + i, sigs + i,
			                      N - i < SX_PB_N ? N - i : SX_PB_N);
		uint32_t nb = head.nb + tail.nb;
		size_t live = hs.live + ts.live;
		if (slabs) {
			sx_slab_take(&hs, &ts);
			CU_ASSERT_EQUAL(hs.live, live);
			CU_ASSERT_EQUAL(ts.live, 0);
			CU_ASSERT_EQUAL(ts.pool.bytes, 0);
		}
		sx_plist_concat(&head, &tail);
		CU_ASSERT_EQUAL(head.nb, nb);
		CU_ASSERT_EQUAL(head.df, 42);
		CU_ASSERT_TRUE(head.sigs);
		CU_ASSERT_EQUAL(tail.nb, 0);
		CU_ASSERT_EQUAL(tail.n, 0);
		CU_ASSERT_PTR_NULL(tail.b);
		check_list(&head, slots, sigs, N);
		/* a refresh's add and remove where the parts met */
		if (cut > 0 && cut < N) {
			sx_plist_remove(&head, slots[cut - 1]);
			sx_plist_add(&head, slots[cut - 1], 7);
			uint16_t was = sigs[cut - 1];
			sigs[cut - 1] = 7;
			check_list(&head, slots, sigs, N);
			sigs[cut - 1] = was;
		}
		sx_plist_clear(&head);
		sx_plist_clear(&tail);
		CU_ASSERT_EQUAL(hs.live, 0);
		sx_slab_release(&hs);
		sx_slab_release(&ts);
	}
}

static void test_concat(void)
{
	concat_in(false);
	concat_in(true);
}

void add_sx_post_tests(void)
{
	CU_pSuite s = CU_add_suite("sx_post", NULL, NULL);
	CU_add_test(s, "lists of 1, 128, 129, ... round-trip at every gap width", test_round_trips);
	CU_add_test(s, "dense lists code in a bit to half a byte a posting", test_coding_is_small);
	CU_add_test(s, "the cursor seeks exact, inside, between blocks, past the end",
	            test_cursor_seeks);
	CU_add_test(s, "adds and removes (splits, appends) match a sorted array", test_add_remove);
	CU_add_test(s, "a load's parts concatenated: one list, a short block mid-list", test_concat);
}
