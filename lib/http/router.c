/* router: segment-by-segment matching with {name} captures. */
#include "http/router.h"
#include "http/req.h"

#include <string.h>

/* Matches path against pattern; fills caps (at most CTX_MAX_PARAMS). */
static int match(const char *pat, str path, ctx *c, int *ncaps)
{
	const char *p = pat;
	size_t i = 0;
	int n = 0;
	if (path.len > 1 && path.p[path.len - 1] == '/')
		path.len--;
	while (*p && i <= path.len) {
		if (*p == '{') {
			const char *end = strchr(p, '}');
			if (!end || n == CTX_MAX_PARAMS)
				return 0;
			size_t j = i;
			while (j < path.len && path.p[j] != '/')
				j++;
			if (j == i)
				return 0; /* empty capture */
			char *name = arena_strndup(c->a, p + 1, (size_t)(end - p - 1));
			if (!name)
				return 0;
			c->param_names[n] = name;
			c->params[n] = (str){path.p + i, j - i};
			n++;
			i = j;
			p = end + 1;
		} else {
			if (i >= path.len || path.p[i] != *p)
				return 0;
			i++;
			p++;
		}
	}
	if (*p || i != path.len)
		return 0;
	*ncaps = n;
	return 1;
}

route_result router_match(const route *routes, size_t n, ctx *c,
                          const route **out, const char **allow)
{
	str m = c->rq->method;
	bool path_known = false;
	buf methods;
	buf_init(&methods, c->a, 256);
	for (size_t k = 0; k < n; k++) {
		int ncaps = 0;
		if (!match(routes[k].pattern, c->rq->path, c, &ncaps))
			continue;
		path_known = true;
		bool ok = str_eq_c(m, routes[k].method) ||
		          (str_eq_c(m, "HEAD") && strcmp(routes[k].method, "GET") == 0);
		if (ok) {
			c->nparams = ncaps;
			*out = &routes[k];
			return ROUTE_FOUND;
		}
		if (!strstr(methods.p, routes[k].method)) {
			if (methods.len)
				buf_puts(&methods, ", ");
			buf_puts(&methods, routes[k].method);
			if (strcmp(routes[k].method, "GET") == 0)
				buf_puts(&methods, ", HEAD");
		}
	}
	c->nparams = 0;
	if (!path_known)
		return ROUTE_NOT_FOUND;
	*allow = methods.p;
	return ROUTE_BAD_METHOD;
}
