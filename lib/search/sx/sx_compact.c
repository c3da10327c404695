/* sx_compact: gives back the memory of replaced documents without a
 * reload: every document's entries and positions, strings and values are
 * copied into a fresh pool (the refresh
 * thread, the index's one writer, reads the index without a lock), then
 * swapped in under the write lock; the old pool is freed after. */
#include "search/sx/sx_index_int.h"

#include <stdlib.h>
#include <string.h>

static const char *copy_str(sx_pool *p, const char *s)
{
	return sx_pool_strndup(p, s, strlen(s));
}

size_t sx_data_compact(pthread_rwlock_t *lock, sx_data *d)
{
	sx_pool np = {0};
	sx_doc *docs = sx_map_resize(NULL, 0, sizeof(*docs) * d->cap);
	sx_advise_huge(docs, sizeof(*docs) * d->cap);
	for (uint32_t s = 0; s < d->nslots; s++) {
		/* withdrawn slots too: their entries say which postings hold them */
		sx_doc x = d->docs[s];
		x.ents = sx_pool_memdup(&np, x.ents, sx_ents_bytes(x.ents, x.nentries), 1);
		x.colors = sx_pool_memdup(&np, x.colors, x.ncolors * sizeof(uint32_t), _Alignof(uint32_t));
		x.sizes = sx_pool_memdup(&np, x.sizes, x.nsizes * sizeof(uint32_t), _Alignof(uint32_t));
		x.ref = copy_str(&np, x.ref);
		x.title = copy_str(&np, x.title);
		x.image = copy_str(&np, x.image);
		docs[s] = x;
	}
	/* the dictionaries' names live in d->names, which holds no garbage */
	size_t before = d->pool.bytes;
	sx_pool old = d->pool;
	sx_doc *old_docs = d->docs;
	pthread_rwlock_wrlock(lock);
	d->pool = np;
	d->docs = docs;
	d->garbage = 0;
	pthread_rwlock_unlock(lock);
	sx_pool_free(&old);
	sx_map_free(old_docs, sizeof(*old_docs) * d->cap);
	return before > np.bytes ? before - np.bytes : 0;
}

size_t sx_index_compact(sx_index *ix)
{
	return sx_data_compact(&ix->lock, ix->d);
}
