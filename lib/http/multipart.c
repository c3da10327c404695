/* multipart: a multipart/form-data reader over the request body. */
#include "http/multipart.h"

#include <string.h>
#include <strings.h>

/* The value of param (name= or filename=) in a Content-Disposition line. */
static bool disposition_param(str line, const char *param, str *out)
{
	size_t pl = strlen(param);
	for (size_t i = 0; i + pl + 1 < line.len; i++) {
		if ((i == 0 || line.p[i - 1] == ' ' || line.p[i - 1] == ';') &&
		    strncasecmp(line.p + i, param, pl) == 0 && line.p[i + pl] == '=' &&
		    line.p[i + pl + 1] == '"') {
			const char *s = line.p + i + pl + 2;
			const char *e = memchr(s, '"', (size_t)(line.p + line.len - s));
			if (!e)
				return false;
			*out = (str){s, (size_t)(e - s)};
			return true;
		}
	}
	return false;
}

int multipart_parse(arena *a, str body, size_t max_parts, kvlist *out, const char **why)
{
	*why = "malformed multipart body";
	const char *end = body.p + body.len;
	const char *eol = body.len > 4 ? memmem(body.p, body.len, "\r\n", 2) : NULL;
	if (!eol || body.p[0] != '-' || body.p[1] != '-' || eol - body.p > 72)
		return -1;
	/* every later delimiter is CRLF + the first line */
	size_t dlen = (size_t)(eol - body.p) + 2;
	char *delim = arena_alloc(a, dlen);
	if (!delim)
		return -1;
	memcpy(delim, "\r\n", 2);
	memcpy(delim + 2, body.p, dlen - 2);
	const char *p = eol + 2;
	for (size_t parts = 0;; parts++) {
		if (parts >= max_parts) {
			*why = "too many parts in the form";
			return -1;
		}
		const char *hend = memmem(p, (size_t)(end - p), "\r\n\r\n", 4);
		if (!hend)
			return -1;
		str name = {0}, filename = {0};
		bool has_name = false, has_file = false;
		for (const char *l = p; l < hend;) {
			const char *le = memmem(l, (size_t)(hend + 2 - l), "\r\n", 2);
			str line = {l, (size_t)(le - l)};
			if (line.len > 20 && strncasecmp(l, "content-disposition:", 20) == 0) {
				has_name = disposition_param(line, "name", &name);
				has_file = disposition_param(line, "filename", &filename);
			}
			l = le + 2;
		}
		const char *v = hend + 4;
		const char *ve = memmem(v, (size_t)(end - v), delim, dlen);
		if (!ve || !has_name)
			return -1;
		if (kv_add(a, out, name, (str){v, (size_t)(ve - v)}) < 0) {
			*why = "out of memory";
			return -1;
		}
		if (has_file) {
			char *k = arena_alloc(a, name.len + 10);
			if (!k)
				return -1;
			memcpy(k, name.p, name.len);
			memcpy(k + name.len, "_filename", 10);
			kv_add(a, out, str_c(k), filename);
		}
		p = ve + dlen;
		if (end - p >= 2 && p[0] == '-' && p[1] == '-')
			return 0; /* the closing delimiter */
		if (end - p < 2 || p[0] != '\r' || p[1] != '\n')
			return -1;
		p += 2;
	}
}
