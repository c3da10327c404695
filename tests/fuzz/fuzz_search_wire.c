/* fuzz_search_wire: souk-searchd's protocol as the daemon reads it from
 * its socket: frames (search_frame_read), each payload a search_query
 * (search_query_from_json, then search_execute on the memory engine over
 * a small index, the round trip back, the answer as a pool reads it) and,
 * as the pools read the daemon's answers and the Redis cache, a
 * search_result frame (search_result_from_frame). */
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "fuzz.h"
#include "search/search_frame.h"
#include "search/search_int.h"
#include "search/search_remote.h"

static void one_payload(ctx *c, str in)
{
	search_query q;
	if (search_query_from_json(c, in, &q) == SOUK_OK) {
		search_result res;
		if (fuzz_search_execute(c, &q, &res) == SOUK_OK) {
			fuzz_check_wire_roundtrip(c, &q);
			/* the daemon's answer as the pool reads it */
			search_result back;
			FUZZ_CHECK(search_result_from_frame(c, search_result_to_frame(c, &res), &back) ==
			           SOUK_OK);
			FUZZ_CHECK(back.total == res.total && back.nhits == res.nhits &&
			           back.nbrands == res.nbrands && back.nprices == res.nprices);
			for (int i = 0; i < res.nhits; i++)
				FUZZ_CHECK(back.hits[i].id == res.hits[i].id &&
				           back.hits[i].price == res.hits[i].price);
		}
	} else {
		fuzz_check_failure(c);
	}
	c->err_status = 0, c->err_code = NULL, c->err_msg = NULL;

	search_result r;
	if (search_result_from_frame(c, in, &r) == SOUK_OK) {
		FUZZ_CHECK(r.nhits >= 0 && r.nbrands >= 0 && r.ncolors >= 0 &&
		           r.ncategories >= 0 && r.nratings >= 0 && r.nprices >= 0 &&
		           r.nsuggestions >= 0);
		/* what the cache stores must read back the same */
		str again = search_result_to_frame(c, &r);
		search_result r2;
		FUZZ_CHECK(search_result_from_frame(c, again, &r2) == SOUK_OK);
		FUZZ_CHECK(r2.total == r.total && r2.nhits == r.nhits && r2.nprices == r.nprices);
		FUZZ_CHECK(str_eq(search_result_to_frame(c, &r2), again));
	}
	c->err_status = 0, c->err_code = NULL, c->err_msg = NULL;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size > 64 * 1024)
		return 0; /* more than a socket buffer: the write below would block */
	ctx *c = fuzz_ctx();
	fuzz_begin(c);
	int sv[2];
	if (socketpair(AF_UNIX, SOCK_STREAM, 0, sv) < 0)
		abort();
	size_t off = 0;
	while (off < size) {
		ssize_t w = write(sv[1], data + off, size - off);
		if (w <= 0)
			abort();
		off += (size_t)w;
	}
	shutdown(sv[1], SHUT_WR);
	str in;
	for (int i = 0; i < 8 && search_frame_read(sv[0], c->a, &in, 0) == 0; i++) {
		FUZZ_CHECK(in.p && in.p[in.len] == '\0' && in.len <= SEARCH_REMOTE_MAX_FRAME);
		one_payload(c, in);
	}
	close(sv[0]);
	close(sv[1]);
	return 0;
}
