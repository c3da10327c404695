/* sx_slab: many small objects of known sizes (the posting lists' block
 * headers and coded blocks) carved from an sx_pool, with a free list per
 * size, so that they belong to their index and not to malloc.
 *
 * Why: an index holds ≈ 730,000 posting blocks at a million products.
 * From malloc they were spread through the arenas of the threads that
 * built them; the next index (a reload, built while the old one served)
 * filled the holes around them, so freeing the old one left pages half
 * used that could not go back to the system (souk-searchd's RSS 50–80 MB
 * higher after some reloads than after the load at start). From a slab
 * they go back with their index, whole.
 *
 * The caller passes an object's size to free it (the slab keeps no
 * header). Objects past SX_SLAB_MAX bytes (a long list's headers) get a
 * mapping each (sx_map_resize), freed one by one: releasing the slab
 * does not free them. Every object of a NULL slab comes from malloc.
 * One writer at a time, as the index has. */
#ifndef SOUK_SX_SLAB_H
#define SOUK_SX_SLAB_H

#include <stddef.h>

#include "search/sx/sx_pool.h"

#define SX_SLAB_QUANTUM 8
#define SX_SLAB_MAX 2048

typedef struct {
	sx_pool pool;
	void *free[SX_SLAB_MAX / SX_SLAB_QUANTUM + 1]; /* by size class */
	size_t live; /* bytes handed out and not freed (rounded to the quantum) */
	size_t big;  /* bytes of the objects past SX_SLAB_MAX, mapped apart */
} sx_slab;

void *sx_slab_alloc(sx_slab *s, size_t n);
/* Gives back p, allocated from s with size n (NULL p: nothing). */
void sx_slab_free(sx_slab *s, void *p, size_t n);
/* Moves from's memory and free lists into s (from is left empty): the
 * objects from handed out are s's now. */
void sx_slab_take(sx_slab *s, sx_slab *from);
/* Frees every object at once. */
void sx_slab_release(sx_slab *s);

#endif
