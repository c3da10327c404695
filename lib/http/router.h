/* router: a table from method + path pattern to a handler function. */
#ifndef SOUK_ROUTER_H
#define SOUK_ROUTER_H

#include "core/ctx.h"

typedef int (*handler_fn)(ctx *c);

enum {
	ROUTE_JSON = 1 << 0,   /* errors as JSON, not an HTML page */
	ROUTE_UPLOAD = 1 << 1, /* a body up to ROUTE_UPLOAD_MAX (a photo), not SOUK_MAX_BODY */
};

/* A 10 MB photo and its form around it; nginx lets this much through
 * only to the upload locations (nginx/souk.conf.in). */
#define ROUTE_UPLOAD_MAX (11u << 20)

/* pattern: literal segments and "{name}" captures of one whole segment,
 * e.g. "/api/v1/products/{id}". A trailing "/" in the request is ignored. */
typedef struct route {
	const char *method;
	const char *pattern;
	handler_fn fn;
	int flags;
} route;

typedef enum { ROUTE_FOUND, ROUTE_NOT_FOUND, ROUTE_BAD_METHOD } route_result;

/* Finds the route for c->rq; on FOUND fills c's params and *out. On
 * BAD_METHOD writes the allowed methods ("GET, HEAD") to allow (buffer in
 * the arena). HEAD matches GET routes. */
route_result router_match(const route *routes, size_t n, ctx *c,
                          const route **out, const char **allow);

#endif
