/* resp: status, headers, cookies and body of one response. */
#ifndef SOUK_RESP_H
#define SOUK_RESP_H

#include <stdbool.h>

#include "core/buf.h"

typedef struct resp {
	int status;
	const char *content_type;
	buf headers; /* "Name: value\r\n" lines, validated */
	size_t kept; /* headers[0, kept) hold for an error answer too */
	buf body;
} resp;

void resp_init(resp *r, arena *a, size_t max_body);

/* Adds a header; refuses (-1) names/values with CR, LF or NUL. */
int resp_header(resp *r, const char *name, str value);

typedef struct cookie_opts {
	int max_age;   /* seconds; <0 = session cookie; 0 = delete */
	bool http_only;
	const char *same_site; /* "Lax", "Strict", NULL */
	const char *path;
	bool secure;   /* only sent over HTTPS */
} cookie_opts;

/* Starts a 200 CSV answer (text/csv, UTF-8) with an empty body; a
 * filename (a constant of ours, or NULL) makes it a download
 * (Content-Disposition: attachment). -1 when the header is refused. */
int resp_csv(resp *r, const char *filename);

/* Marks the headers set so far as holding for any outcome (Cache-Control,
 * Idempotent-Replayed): a failure rendered later keeps them. */
void resp_keep_headers(resp *r);
/* Drops the headers set since the last resp_keep_headers (the
 * dispatcher, before it renders a failure). */
void resp_drop_headers(resp *r);

/* Sets a cookie; the value must be a cookie-octet string (no ; , space). */
int resp_cookie(resp *r, const char *name, str value, const cookie_opts *o);

/* 303 See Other (POST -> GET) or 302/301 to a local path only. */
int resp_redirect(resp *r, int status, str location);

/* The reason phrase for a status code ("Not Found"). */
const char *http_reason(int status);

/* Serialises the CGI response head ("Status: ..."), into out. */
int resp_head(const resp *r, buf *out);

#endif
