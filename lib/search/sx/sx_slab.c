/* sx_slab: small objects from an sx_pool with free lists (sx_slab.h). */
#include "search/sx/sx_slab.h"

#include <stdlib.h>
#include <string.h>

static size_t size_class(size_t n)
{
	return (n + SX_SLAB_QUANTUM - 1) / SX_SLAB_QUANTUM;
}

void *sx_slab_alloc(sx_slab *s, size_t n)
{
	if (!n)
		n = 1;
	if (!s) {
		void *p = malloc(n);
		if (!p)
			abort();
		return p;
	}
	if (n > SX_SLAB_MAX) {
		s->big += n;
		return sx_map_resize(NULL, 0, n);
	}
	size_t c = size_class(n);
	s->live += c * SX_SLAB_QUANTUM;
	void *p = s->free[c];
	if (p) {
		/* a free object's first bytes link it to the next of its size */
		memcpy(&s->free[c], p, sizeof(void *));
		return p;
	}
	return sx_pool_alloc(&s->pool, c * SX_SLAB_QUANTUM, SX_SLAB_QUANTUM);
}

void sx_slab_free(sx_slab *s, void *p, size_t n)
{
	if (!p)
		return;
	if (!n)
		n = 1;
	if (!s) {
		free(p);
		return;
	}
	if (n > SX_SLAB_MAX) {
		s->big -= n;
		sx_map_free(p, n);
		return;
	}
	size_t c = size_class(n);
	s->live -= c * SX_SLAB_QUANTUM;
	memcpy(p, &s->free[c], sizeof(void *));
	s->free[c] = p;
}

void sx_slab_take(sx_slab *s, sx_slab *from)
{
	sx_pool_take(&s->pool, &from->pool);
	for (size_t c = 0; c < sizeof(s->free) / sizeof(s->free[0]); c++) {
		void *head = from->free[c];
		if (!head)
			continue;
		/* from's list goes in front of s's */
		void *tail = head, *next;
		while (memcpy(&next, tail, sizeof(next)), next)
			tail = next;
		memcpy(tail, &s->free[c], sizeof(void *));
		s->free[c] = head;
		from->free[c] = NULL;
	}
	s->live += from->live;
	s->big += from->big;
	from->live = from->big = 0;
}

void sx_slab_release(sx_slab *s)
{
	sx_pool_free(&s->pool);
	memset(s->free, 0, sizeof(s->free));
	s->live = 0;
}
