/* resp: builds a CGI-style response (Status header + body). */
#include "http/resp.h"

#include <stdio.h>
#include <string.h>

void resp_init(resp *r, arena *a, size_t max_body)
{
	r->status = 200;
	r->content_type = "text/html; charset=utf-8";
	buf_init(&r->headers, a, 64 * 1024);
	r->kept = 0;
	buf_init(&r->body, a, max_body);
}

static bool header_safe(str s)
{
	for (size_t i = 0; i < s.len; i++)
		if (s.p[i] == '\r' || s.p[i] == '\n' || s.p[i] == '\0')
			return false;
	return true;
}

int resp_header(resp *r, const char *name, str value)
{
	if (!header_safe(str_c(name)) || !header_safe(value))
		return -1;
	buf_puts(&r->headers, name);
	buf_puts(&r->headers, ": ");
	buf_append(&r->headers, value.p, value.len);
	return buf_puts(&r->headers, "\r\n");
}

int resp_csv(resp *r, const char *filename)
{
	r->status = 200;
	r->content_type = "text/csv; charset=utf-8";
	buf_clear(&r->body);
	if (!filename)
		return 0;
	char v[160];
	int n = snprintf(v, sizeof(v), "attachment; filename=\"%s\"", filename);
	if (n < 0 || (size_t)n >= sizeof(v) || strchr(filename, '"'))
		return -1;
	return resp_header(r, "Content-Disposition", str_c(v));
}

void resp_keep_headers(resp *r)
{
	r->kept = r->headers.len;
}

void resp_drop_headers(resp *r)
{
	if (r->kept == 0 || !r->headers.p) {
		buf_clear(&r->headers);
		return;
	}
	r->headers.len = r->kept;
	r->headers.p[r->kept] = '\0';
}

static bool cookie_octets(str s)
{
	for (size_t i = 0; i < s.len; i++) {
		unsigned char c = (unsigned char)s.p[i];
		if (c <= 0x20 || c >= 0x7F || c == '"' || c == ',' || c == ';' || c == '\\')
			return false;
	}
	return true;
}

/* Path/SameSite values: no control bytes, no ';' (a new attribute). */
static bool attr_safe(const char *s)
{
	for (; s && *s; s++)
		if ((unsigned char)*s < 0x20 || *s == 0x7F || *s == ';')
			return false;
	return true;
}

int resp_cookie(resp *r, const char *name, str value, const cookie_opts *o)
{
	if (!name || !*name || !cookie_octets(str_c(name)) || !cookie_octets(value) ||
	    !attr_safe(o->path) || !attr_safe(o->same_site))
		return -1;
	buf *h = &r->headers;
	buf_printf(h, "Set-Cookie: %s=", name);
	buf_append(h, value.p, value.len);
	buf_printf(h, "; Path=%s", o->path ? o->path : "/");
	if (o->max_age >= 0)
		buf_printf(h, "; Max-Age=%d", o->max_age);
	if (o->http_only)
		buf_puts(h, "; HttpOnly");
	if (o->secure)
		buf_puts(h, "; Secure");
	if (o->same_site)
		buf_printf(h, "; SameSite=%s", o->same_site);
	return buf_puts(h, "\r\n");
}

int resp_redirect(resp *r, int status, str location)
{
	/* Only local absolute paths: never an open redirect. */
	if (location.len == 0 || location.p[0] != '/' ||
	    (location.len > 1 && (location.p[1] == '/' || location.p[1] == '\\')))
		return -1;
	/* Browsers drop TAB/CR/LF inside URLs: "/\t/evil.com" is "//evil.com". */
	for (size_t i = 0; i < location.len; i++)
		if ((unsigned char)location.p[i] <= 0x20 || location.p[i] == 0x7F)
			return -1;
	if (resp_header(r, "Location", location) < 0)
		return -1;
	r->status = status;
	r->content_type = "text/plain; charset=utf-8";
	buf_clear(&r->body);
	return 0;
}

const char *http_reason(int status)
{
	switch (status) {
	case 200: return "OK";
	case 201: return "Created";
	case 204: return "No Content";
	case 301: return "Moved Permanently";
	case 302: return "Found";
	case 303: return "See Other";
	case 304: return "Not Modified";
	case 400: return "Bad Request";
	case 401: return "Unauthorized";
	case 402: return "Payment Required";
	case 403: return "Forbidden";
	case 404: return "Not Found";
	case 405: return "Method Not Allowed";
	case 409: return "Conflict";
	case 413: return "Payload Too Large";
	case 414: return "URI Too Long";
	case 415: return "Unsupported Media Type";
	case 422: return "Unprocessable Entity";
	case 429: return "Too Many Requests";
	case 500: return "Internal Server Error";
	case 503: return "Service Unavailable";
	default: return "Unknown";
	}
}

int resp_head(const resp *r, buf *out)
{
	buf_printf(out, "Status: %d %s\r\n", r->status, http_reason(r->status));
	if (r->content_type)
		buf_printf(out, "Content-Type: %s\r\n", r->content_type);
	buf_printf(out, "Content-Length: %zu\r\n", r->body.len);
	buf_append(out, r->headers.p, r->headers.len);
	return buf_puts(out, "\r\n");
}
