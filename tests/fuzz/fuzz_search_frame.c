/* fuzz_search_frame: souk-searchd's binary result frame as a pool reads
 * it (search_result_from_frame): any bytes, and a frame it accepts must
 * encode back to the very same bytes (the encoding is canonical, so
 * nothing was read past, skipped or invented). */
#include <string.h>

#include "fuzz.h"
#include "search/search_frame.h"
#include "search/search_int.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	ctx *c = fuzz_ctx();
	fuzz_begin(c);
	/* a copy of exactly size bytes, so ASan sees any read past the end */
	char *p = malloc(size ? size : 1);
	if (!p)
		abort();
	if (size)
		memcpy(p, data, size);
	str in = {p, size};
	search_result r;
	if (search_result_from_frame(c, in, &r) == SOUK_OK) {
		FUZZ_CHECK(search_is_frame(in));
		FUZZ_CHECK(r.nhits >= 0 && r.nbrands >= 0 && r.ncolors >= 0 && r.ncategories >= 0 &&
		           r.nratings >= 0 && r.nprices >= 0 && r.nsuggestions >= 0);
		str again = search_result_to_frame(c, &r);
		FUZZ_CHECK(again.p && str_eq(again, in));
		/* what the pool then caches (the same frame) reads back */
		search_result r2;
		FUZZ_CHECK(search_result_from_frame(c, again, &r2) == SOUK_OK);
		FUZZ_CHECK(r2.total == r.total && r2.nhits == r.nhits);
	} else {
		FUZZ_CHECK(c->err_status == 0);
	}
	free(p);
	return 0;
}
