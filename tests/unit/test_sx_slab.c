/* test_sx_slab: the posting lists' allocator (sx_slab.h): objects that
 * do not overlap, a freed object reused by its size, big ones mapped
 * apart, one slab taking another's memory and free lists, release. */
#include <stdint.h>
#include <string.h>

#include "search/sx/sx_pool.h"
#include "search/sx/sx_slab.h"
#include "tests.h"

#include <time.h>

/* Waits up to 5 s for the prefaulter to have `want` blocks ready (it
 * runs at the lowest priority: a busy test machine slows it). */
static int wait_ready(int want)
{
	int ready = 0;
	unsigned long taken;
	for (int i = 0; i < 500; i++) {
		sx_pool_prefault_stats(&ready, &taken);
		if (ready >= want)
			break;
		nanosleep(&(struct timespec){.tv_nsec = 10000000}, NULL);
	}
	return ready;
}

/* While started, a pool's new standard blocks come faulted in from the
 * prefaulter: usable whole, one apart from another; starts nest; after
 * the last stop blocks are mapped where needed again. */
static void test_prefault(void)
{
	enum { N = 3, BIG = 3u << 20 }; /* a block each: two do not fit one */
	int ready;
	unsigned long t0, t1;
	sx_pool_prefault_stats(&ready, &t0);
	CU_ASSERT_EQUAL(ready, 0);
	sx_pool_prefault_start();
	sx_pool_prefault_start();
	sx_pool_prefault_stop(); /* one start still holds it */
	CU_ASSERT_TRUE(wait_ready(N) >= N);
	sx_pool p = {0};
	unsigned char *a[N];
	for (int i = 0; i < N; i++) {
		a[i] = sx_pool_alloc(&p, BIG, 16);
		memset(a[i], 'a' + i, BIG);
	}
	sx_pool_prefault_stats(&ready, &t1);
	CU_ASSERT_EQUAL(t1 - t0, N);
	int bad = 0;
	for (int i = 0; i < N; i++)
		for (size_t k = 0; k < BIG; k += 4093)
			bad += a[i][k] != 'a' + i;
	CU_ASSERT_EQUAL(bad, 0);
	CU_ASSERT_EQUAL(p.bytes, (size_t)N * SX_POOL_BLOCK);
	sx_pool_prefault_stop();
	/* stopped: nothing ready is kept, a new block is mapped here */
	sx_pool_prefault_stats(&ready, &t0);
	CU_ASSERT_EQUAL(ready, 0);
	CU_ASSERT_PTR_NOT_NULL(sx_pool_alloc(&p, BIG, 16));
	sx_pool_prefault_stats(&ready, &t1);
	CU_ASSERT_EQUAL(t1, t0);
	sx_pool_prefault_stop(); /* one too many: ignored */
	sx_pool_free(&p);
	CU_ASSERT_EQUAL(p.bytes, 0);
}

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
	CU_add_test(s, "pool blocks faulted in ahead while started; starts nest", test_prefault);
}
