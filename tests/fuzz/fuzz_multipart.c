/* fuzz_multipart: multipart_parse (the seller center's uploads: photos, the inventory file) on any body. */
#include "http/multipart.h"

#include "fuzz.h"

/* The first byte is the most parts allowed (0..15); the rest the body. */
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size == 0)
		return 0;
	ctx *c = fuzz_ctx();
	fuzz_begin(c);
	size_t max_parts = data[0] & 15u;
	str body = {fuzz_cstr(c, data + 1, size - 1), size - 1};
	kvlist out = {0};
	const char *why = NULL;
	if (multipart_parse(c->a, body, max_parts, &out, &why) < 0) {
		FUZZ_CHECK(why != NULL && *why != '\0');
		return 0;
	}
	/* each part adds its value and, for a file, its file name */
	FUZZ_CHECK(out.n >= 1 && out.n <= 2 * max_parts);
	for (size_t i = 0; i < out.n; i++) {
		const str *v = &out.items[i].val;
		/* values are views into the body, never past its end */
		FUZZ_CHECK(v->p >= body.p && v->p + v->len <= body.p + body.len);
		FUZZ_CHECK(out.items[i].key.len > 0 || out.items[i].key.p != NULL);
	}
	return 0;
}
