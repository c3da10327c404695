/* sx_pool: big blocks, bump-allocated (sx_pool.h). */
#include "search/sx/sx_pool.h"

#include <pthread.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <unistd.h>

#define SX_BLOCK SX_POOL_BLOCK

struct sx_block {
	sx_block *next;
	size_t used, cap;
	size_t mapped; /* the block's mapping, header included */
	max_align_t data[];
};

/* A block on huge pages where the kernel gives them on request
 * (transparent_hugepage = madvise): a million products' documents are
 * ≈ 1.5 GB of blocks, read at random by every search; with 4 KB pages
 * the load spent a seventh of its CPU in page faults, and searches miss
 * the TLB on nearly every document. Blocks are aligned so that whole
 * huge pages fit in them. */
#define SX_HUGE (2u << 20)

/* Asks for huge pages on a big array allocated elsewhere (malloc maps
 * it on its own pages: the advice touches nothing else). Pages already
 * there stay small; those faulted after are huge where they can be. */
void sx_advise_huge(void *p, size_t n)
{
	if (n < 2 * (size_t)SX_HUGE)
		return;
	uintptr_t a = (uintptr_t)p & ~(uintptr_t)4095;
	madvise((void *)a, n + ((uintptr_t)p - a), MADV_HUGEPAGE);
}

static size_t page_round(size_t n)
{
	return (n + 4095) & ~(size_t)4095;
}

/* Blocks are mapped here, not malloc'ed: malloc serves even a 4 MB
 * request from an arena's free top when it has room (a thread arena
 * keeps 16 MB of pad: app_malloc_for), and a block freed there stays
 * resident until that top passes the trim threshold: part of what kept
 * souk-searchd's RSS after a reload 30–80 MB above a start's. Mapped, a
 * pool's memory goes back to the system when the pool is freed. */
static sx_block *block_map(size_t n)
{
	size_t len = page_round(n), span = len + SX_HUGE;
	unsigned char *p = mmap(NULL, span, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS,
	                        -1, 0);
	if (p == MAP_FAILED)
		abort(); /* as an allocation failure anywhere in the index */
	/* keep the huge-page-aligned len bytes of the span */
	uintptr_t a = ((uintptr_t)p + SX_HUGE - 1) & ~(uintptr_t)(SX_HUGE - 1);
	size_t head = a - (uintptr_t)p, tail = span - head - len;
	if (head)
		munmap(p, head);
	if (tail)
		munmap((unsigned char *)a + len, tail);
	madvise((void *)a, len & ~(size_t)(SX_HUGE - 1), MADV_HUGEPAGE); /* advice: failure is harmless */
	sx_block *b = (sx_block *)a;
	b->mapped = len;
	return b;
}

/* Blocks faulted in ahead by a thread of their own while a load runs
 * (sx_pool_prefault_start). The first write to each page of a new block
 * has the kernel zero it (on this VM also back it by the host): 1.2 s
 * of the loading thread's 11.8 s at 1M, on the thread every other
 * step of the load waits for. The prefaulter runs at the lowest
 * priority, so it takes the time the other core has left while
 * PostgreSQL waits for the loading thread; when it falls behind, a
 * block is mapped where it is needed, as without it. */
#define SX_AHEAD 4 /* blocks ready: 16 MB, ≈ 0.25 s of a load's rows */
static struct {
	pthread_mutex_t mu;
	pthread_cond_t wake;
	sx_block *ready[SX_AHEAD];
	int n, users;
	unsigned long taken; /* blocks handed out ready, ever */
	bool run;
	pthread_t thread;
} ahead = {.mu = PTHREAD_MUTEX_INITIALIZER, .wake = PTHREAD_COND_INITIALIZER};
/* Held across a whole start or stop: a start between a stop's unlock
 * and its join would otherwise create the thread the stop then joins. */
static pthread_mutex_t ahead_life = PTHREAD_MUTEX_INITIALIZER;

static void *prefault_main(void *arg)
{
	(void)arg;
	setpriority(PRIO_PROCESS, (id_t)syscall(SYS_gettid), 19);
	pthread_mutex_lock(&ahead.mu);
	while (ahead.run) {
		if (ahead.n == SX_AHEAD) {
			pthread_cond_wait(&ahead.wake, &ahead.mu);
			continue;
		}
		pthread_mutex_unlock(&ahead.mu);
		sx_block *b = block_map(SX_BLOCK);
		for (size_t off = 4096; off < b->mapped; off += 4096)
			((volatile unsigned char *)b)[off] = 0;
		pthread_mutex_lock(&ahead.mu);
		if (ahead.run && ahead.n < SX_AHEAD)
			ahead.ready[ahead.n++] = b;
		else
			munmap(b, b->mapped);
	}
	pthread_mutex_unlock(&ahead.mu);
	return NULL;
}

void sx_pool_prefault_start(void)
{
	pthread_mutex_lock(&ahead_life);
	pthread_mutex_lock(&ahead.mu);
	if (ahead.users++ == 0) {
		ahead.run = true;
		if (pthread_create(&ahead.thread, NULL, prefault_main, NULL) != 0) {
			ahead.run = false; /* blocks are mapped as they are needed */
			ahead.users = 0;
		}
	}
	pthread_mutex_unlock(&ahead.mu);
	pthread_mutex_unlock(&ahead_life);
}

void sx_pool_prefault_stop(void)
{
	pthread_mutex_lock(&ahead_life);
	pthread_mutex_lock(&ahead.mu);
	if (ahead.users == 0 || --ahead.users > 0) {
		pthread_mutex_unlock(&ahead.mu);
		pthread_mutex_unlock(&ahead_life);
		return;
	}
	ahead.run = false;
	pthread_cond_signal(&ahead.wake);
	pthread_mutex_unlock(&ahead.mu);
	pthread_join(ahead.thread, NULL);
	pthread_mutex_lock(&ahead.mu);
	while (ahead.n > 0) {
		sx_block *b = ahead.ready[--ahead.n];
		munmap(b, b->mapped);
	}
	pthread_mutex_unlock(&ahead.mu);
	pthread_mutex_unlock(&ahead_life);
}

void sx_pool_prefault_stats(int *ready, unsigned long *taken)
{
	pthread_mutex_lock(&ahead.mu);
	*ready = ahead.n;
	*taken = ahead.taken;
	pthread_mutex_unlock(&ahead.mu);
}

/* A standard block from the prefaulter when it has one ready. */
static sx_block *block_new(size_t n)
{
	if (n == SX_BLOCK) {
		sx_block *b = NULL;
		pthread_mutex_lock(&ahead.mu);
		if (ahead.n > 0) {
			b = ahead.ready[--ahead.n];
			ahead.taken++;
			pthread_cond_signal(&ahead.wake);
		}
		pthread_mutex_unlock(&ahead.mu);
		if (b)
			return b;
	}
	return block_map(n);
}

void *sx_pool_alloc(sx_pool *p, size_t n, size_t align)
{
	if (n == 0)
		return NULL;
	sx_block *b = p->head;
	size_t off = b ? (b->used + align - 1) & ~(align - 1) : 0;
	if (!b || off + n > b->cap) {
		/* a block of SX_BLOCK bytes in all: two whole huge pages */
		size_t cap = n + align > SX_BLOCK - sizeof(*b) ? n + align : SX_BLOCK - sizeof(*b);
		b = block_new(sizeof(*b) + cap);
		b->next = p->head;
		b->used = 0;
		b->cap = cap;
		p->head = b;
		p->bytes += sizeof(*b) + cap;
		off = 0;
	}
	b->used = off + n;
	return (unsigned char *)b->data + off;
}

char *sx_pool_strndup(sx_pool *p, const char *s, size_t n)
{
	char *d = sx_pool_alloc(p, n + 1, 1);
	if (n)
		memcpy(d, s, n);
	d[n] = '\0';
	return d;
}

void *sx_pool_memdup(sx_pool *p, const void *src, size_t n, size_t align)
{
	if (!n)
		return NULL;
	void *d = sx_pool_alloc(p, n, align);
	memcpy(d, src, n);
	return d;
}

void sx_pool_take(sx_pool *p, sx_pool *from)
{
	if (!from->head)
		return;
	sx_block *last = from->head;
	while (last->next)
		last = last->next;
	/* p's newest block stays at the head: allocation goes on there */
	if (p->head) {
		last->next = p->head->next;
		p->head->next = from->head;
	} else {
		p->head = from->head;
	}
	p->bytes += from->bytes;
	from->head = NULL;
	from->bytes = 0;
}

void sx_pool_free(sx_pool *p)
{
	for (sx_block *b = p->head, *next; b; b = next) {
		next = b->next;
		munmap(b, b->mapped);
	}
	p->head = NULL;
	p->bytes = 0;
}

void *sx_map_resize(void *p, size_t old, size_t n)
{
	size_t o = p ? page_round(old) : 0, m = page_round(n);
	if (!m) {
		if (o)
			munmap(p, o);
		return NULL;
	}
	if (o == m)
		return p;
	void *q = o ? mremap(p, o, m, MREMAP_MAYMOVE)
	            : mmap(NULL, m, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (q == MAP_FAILED)
		abort(); /* as an allocation failure anywhere in the index */
	return q;
}

void sx_map_free(void *p, size_t n)
{
	sx_map_resize(p, n, 0);
}
