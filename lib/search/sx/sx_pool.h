/* sx_pool: a bump allocator of big blocks that never move: pointers into
 * it stay valid until the pool is freed whole. Documents, positions and
 * strings live in one (one allocation per block, not per product), and
 * the posting lists' memory in another (sx_slab.h). Freeing a pool gives
 * every block back to the system at once: an index replaced by a load
 * leaves nothing of itself scattered through malloc's arenas. */
#ifndef SOUK_SX_POOL_H
#define SOUK_SX_POOL_H

#include <stddef.h>

typedef struct sx_block sx_block;
typedef struct {
	sx_block *head;
	size_t bytes; /* held by blocks */
} sx_pool;

void *sx_pool_alloc(sx_pool *p, size_t n, size_t align);
/* Asks for huge pages on a big array read at random (the slots). */
void sx_advise_huge(void *p, size_t n);
char *sx_pool_strndup(sx_pool *p, const char *s, size_t n);
/* n bytes of src copied into p (NULL when n is 0). */
void *sx_pool_memdup(sx_pool *p, const void *src, size_t n, size_t align);
/* Moves from's blocks into p (from is left empty). Allocation goes on in
 * p's newest block; what was left in from's is not used again. */
void sx_pool_take(sx_pool *p, sx_pool *from);
void sx_pool_free(sx_pool *p);

/* While started (counted: starts nest), a thread maps and faults in
 * standard blocks ahead of the pools that will need them, at the lowest
 * priority: a load's row phase starts it, so that the loading thread
 * does not pay the kernel's zeroing of every new page itself. Stop
 * unmaps the blocks not taken. */
void sx_pool_prefault_start(void);
void sx_pool_prefault_stop(void);
/* Blocks ready now, and blocks handed out ready since the process began
 * (SX_POOL_BLOCK bytes each): the load logs how many it got. */
void sx_pool_prefault_stats(int *ready, unsigned long *taken);
#define SX_POOL_BLOCK (4u << 20)

/* A big array on pages of its own: a new mapping (zeroed) when p is
 * NULL, grown or shrunk by mremap (contents kept, new bytes zero),
 * unmapped at new 0. old is the size p was given last. The index's slot
 * arrays and id map live so for the reason its pools do: malloc may put
 * an array of a few MB in an arena's free top, where it stays resident
 * after the index that held it is gone. */
void *sx_map_resize(void *p, size_t old, size_t n);
void sx_map_free(void *p, size_t n);

#endif
