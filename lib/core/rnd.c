/* rnd: getrandom(2) bytes rendered as hex. */
#include "core/rnd.h"

#include <sys/random.h>

char *rnd_hex(arena *a, size_t nbytes)
{
	unsigned char raw[64];
	if (nbytes == 0 || nbytes > sizeof(raw))
		return NULL;
	size_t got = 0;
	while (got < nbytes) {
		ssize_t n = getrandom(raw + got, nbytes - got, 0);
		if (n <= 0)
			return NULL;
		got += (size_t)n;
	}
	char *out = arena_alloc(a, nbytes * 2 + 1);
	if (!out)
		return NULL;
	static const char hex[] = "0123456789abcdef";
	for (size_t i = 0; i < nbytes; i++) {
		out[2 * i] = hex[raw[i] >> 4];
		out[2 * i + 1] = hex[raw[i] & 15];
	}
	out[nbytes * 2] = '\0';
	return out;
}
