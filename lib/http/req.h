/* req: the request as the handlers see it, parsed strictly and bounded. */
#ifndef SOUK_REQ_H
#define SOUK_REQ_H

#include <stdbool.h>

#include "core/arena.h"
#include "core/buf.h"

struct json_object;

typedef struct kv {
	str key, val;
} kv;

/* A small ordered multimap; keys may repeat (?brand=a&brand=b). */
typedef struct kvlist {
	kv *items;
	size_t n, cap;
} kvlist;

typedef struct req_limits {
	size_t max_path;    /* bytes of the raw path */
	size_t max_query;   /* bytes of the raw query string */
	size_t max_params;  /* per query string / form / cookie header */
	size_t max_header;  /* bytes of one header value */
	size_t max_body;    /* bytes of the body */
} req_limits;

extern const req_limits req_default_limits;

typedef struct req {
	str method;       /* "GET", "POST", ... */
	str path;         /* percent-decoded, valid UTF-8, no control bytes */
	str raw_query;
	str content_type; /* without parameters, lower-case */
	str remote_addr;
	bool https;       /* came over TLS (CGI HTTPS=on, from nginx's fastcgi_params) */
	kvlist query, form, cookies, headers; /* header names: lower-case, '-' */
	str body;
	struct json_object *json; /* parsed body when it was application/json */
} req;

/* Fills r from a CGI/FastCGI environment (NULL-terminated "K=V" array).
 * Copies everything into the arena (libfcgi's pointers die at the next
 * accept). Returns 0, or -1 with a client-facing reason in *why. */
int req_from_env(req *r, arena *a, char *const *envp, const req_limits *lim,
                 const char **why);

/* Declared body length from CONTENT_LENGTH (0 when absent); -1 when it is
 * not a number or exceeds lim->max_body. */
long long req_content_length(char *const *envp, const req_limits *lim);

/* Parses r->body according to r->content_type (form or JSON). Same
 * return convention as req_from_env. */
int req_parse_body(req *r, arena *a, const req_limits *lim, const char **why);

/* Lookup helpers: the first value, or NULL when absent. */
const str *kv_get(const kvlist *l, const char *key);
const str *req_query(const req *r, const char *key);
const str *req_form(const req *r, const char *key);
const str *req_cookie(const req *r, const char *name);
const str *req_header(const req *r, const char *name);
const char *env_get(char *const *envp, const char *key);

/* Building blocks, exported for tests. */
bool utf8_valid(str s);
/* Strict percent-decoding: a '%' must be followed by two hex digits, the
 * result must be valid UTF-8 without NUL; form=true also maps '+' to ' '.
 * allow_ws: permit \t \r \n (form values) but no other control bytes. */
int url_decode(arena *a, str in, bool form, bool allow_ws, str *out);
int parse_urlencoded(arena *a, str in, size_t max_params, kvlist *out,
                     const char **why);
int parse_cookies(arena *a, str in, size_t max_params, kvlist *out);
int kv_add(arena *a, kvlist *l, str key, str val);

#endif
