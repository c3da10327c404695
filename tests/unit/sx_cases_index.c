/* sx_cases_index: the suite fixture shared by test_sx_tsq and
 * test_sx_rank: an index holding sx_pg_cases.h's documents (document i
 * is product i + 1), with bare columns. */
#include <string.h>

#include "sx_pg_cases.h"
#include "tests.h"

sx_index *t_sx_ix;

int t_sx_put(sx_index *x, int64_t id, const char *tsv)
{
	sx_doc d;
	memset(&d, 0, sizeof(d));
	d.id = id;
	d.price = -1;
	d.rating10 = -1;
	d.ref = d.title = d.image = "";
	return sx_index_put_for_test(x, &d, "", NULL, 0, NULL, 0, tsv);
}

int t_sx_cases_setup(void)
{
	if (t_arena_setup())
		return 1;
	t_sx_ix = sx_index_new();
	for (int i = 0; i < SX_NDOCS; i++)
		if (!t_sx_ix || t_sx_put(t_sx_ix, i + 1, sx_docs[i]) != SOUK_OK)
			return 1;
	return 0;
}

int t_sx_cases_teardown(void)
{
	sx_index_free(t_sx_ix);
	t_sx_ix = NULL;
	return t_arena_teardown();
}

const sx_doc *t_sx_cases_doc(int64_t id)
{
	sx_slot s = sx_index_slot_of(t_sx_ix, id);
	return s == SX_NONE ? NULL : sx_index_doc(t_sx_ix, s);
}
