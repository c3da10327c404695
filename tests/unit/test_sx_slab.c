/* test_sx_slab: the posting lists' allocator (sx_slab.h): objects that
 * do not overlap, a freed object reused by its size, big ones mapped
 * apart, one slab taking another's memory and free lists, release. */
#include <stdint.h>
#include <string.h>

#include "search/sx/sx_slab.h"
#include "tests.h"

/* Objects of every size up to past SX_SLAB_MAX, each filled with its own
 * byte: none overwrites another. */
static void test_no_overlap(void)
{
	enum { N = 600 };
	static unsigned char *p[N];
	static size_t n[N];
	sx_slab s = {0};
	size_t want = 0, big = 0;
	for (int i = 0; i < N; i++) {
		n[i] = 1 + (size_t)i * 7 % (SX_SLAB_MAX + 300);
		p[i] = sx_slab_alloc(&s, n[i]);
		memset(p[i], i & 0xff, n[i]);
		if (n[i] <= SX_SLAB_MAX)
			want += (n[i] + SX_SLAB_QUANTUM - 1) / SX_SLAB_QUANTUM * SX_SLAB_QUANTUM;
		else
			big += n[i];
	}
	CU_ASSERT_EQUAL(s.live, want);
	CU_ASSERT_EQUAL(s.big, big);
	CU_ASSERT_TRUE(big > 0);
	int bad = 0;
	for (int i = 0; i < N; i++)
		for (size_t k = 0; k < n[i]; k++)
			bad += p[i][k] != (i & 0xff);
	CU_ASSERT_EQUAL(bad, 0);
	/* the slab's memory holds the small ones; the big ones are mapped apart */
	CU_ASSERT_TRUE(s.pool.bytes >= want);
	for (int i = 0; i < N; i++)
		sx_slab_free(&s, p[i], n[i]);
	CU_ASSERT_EQUAL(s.live, 0);
	CU_ASSERT_EQUAL(s.big, 0);
	sx_slab_release(&s);
	CU_ASSERT_EQUAL(s.pool.bytes, 0);
	CU_ASSERT_PTR_NULL(s.pool.head);
}

/* A freed object comes back for the next allocation of its size class,
 * last freed first; another size class does not get it. */
static void test_reuse_by_size(void)
{
	sx_slab s = {0};
	void *a = sx_slab_alloc(&s, 100), *b = sx_slab_alloc(&s, 100), *c = sx_slab_alloc(&s, 300);
	CU_ASSERT_TRUE(a != b && b != c && a != c);
	size_t held = s.pool.bytes;
	sx_slab_free(&s, a, 100);
	sx_slab_free(&s, b, 97); /* the same class: 97..104 bytes */
	CU_ASSERT_PTR_EQUAL(sx_slab_alloc(&s, 101), b);
	CU_ASSERT_PTR_EQUAL(sx_slab_alloc(&s, 104), a);
	void *d = sx_slab_alloc(&s, 100);
	CU_ASSERT_TRUE(d != a && d != b && d != c);
	CU_ASSERT_EQUAL(s.pool.bytes, held);
	sx_slab_free(&s, c, 300);
	CU_ASSERT_TRUE(sx_slab_alloc(&s, 200) != c);
	/* without a slab: malloc and free (the sanitizers check the pairs) */
	void *m = sx_slab_alloc(NULL, 64);
	memset(m, 1, 64);
	sx_slab_free(NULL, m, 64);
	sx_slab_free(&s, NULL, 10);
	sx_slab_release(&s);
}

/* One slab takes another's (a load's second part): the objects handed
 * out stay valid, its free objects are the taker's to reuse, and
 * releasing the taker frees them all. */
static void test_take(void)
{
	sx_slab s = {0}, t = {0};
	char *keep = sx_slab_alloc(&t, 40);
	memcpy(keep, "handed out by the part's slab, kept", 36);
	void *freed = sx_slab_alloc(&t, 64);
	sx_slab_free(&t, freed, 64);
	void *mine = sx_slab_alloc(&s, 64);
	size_t sb = s.pool.bytes, tb = t.pool.bytes, live = s.live + t.live;
	sx_slab_take(&s, &t);
	CU_ASSERT_EQUAL(s.pool.bytes, sb + tb);
	CU_ASSERT_EQUAL(s.live, live);
	CU_ASSERT_EQUAL(t.pool.bytes, 0);
	CU_ASSERT_EQUAL(t.live, 0);
	CU_ASSERT_PTR_NULL(t.pool.head);
	CU_ASSERT_STRING_EQUAL(keep, "handed out by the part's slab, kept");
	CU_ASSERT_PTR_EQUAL(sx_slab_alloc(&s, 64), freed);
	CU_ASSERT_TRUE(sx_slab_alloc(&s, 64) != mine);
	sx_slab_free(&s, keep, 40);
	sx_slab_release(&s);
	sx_slab_release(&t);
}

void add_sx_slab_tests(void)
{
	CU_pSuite s = CU_add_suite("sx_slab", NULL, NULL);
	CU_add_test(s, "objects of every size do not overlap; big ones mapped apart", test_no_overlap);
	CU_add_test(s, "a freed object is reused by its size class, last freed first",
	            test_reuse_by_size);
	CU_add_test(s, "a slab takes another's memory and free objects", test_take);
}
