/* req: parse a CGI/FastCGI request into bounded, validated views. */
#include "http/req.h"

#include <json-c/json.h>
#include <string.h>
#include <strings.h>

const req_limits req_default_limits = {
	.max_path = 2048,
	.max_query = 8192,
	.max_params = 64,
	.max_header = 8192,
	.max_body = 1 << 20,
};

const char *env_get(char *const *envp, const char *key)
{
	size_t n = strlen(key);
	for (; envp && *envp; envp++)
		if (strncmp(*envp, key, n) == 0 && (*envp)[n] == '=')
			return *envp + n + 1;
	return NULL;
}

int kv_add(arena *a, kvlist *l, str key, str val)
{
	if (l->n == l->cap) {
		size_t cap = l->cap ? l->cap * 2 : 8;
		kv *items = arena_alloc(a, cap * sizeof(*items));
		if (!items)
			return -1;
		if (l->n)
			memcpy(items, l->items, l->n * sizeof(*items));
		l->items = items;
		l->cap = cap;
	}
	l->items[l->n++] = (kv){key, val};
	return 0;
}

const str *kv_get(const kvlist *l, const char *key)
{
	for (size_t i = 0; i < l->n; i++)
		if (str_eq_c(l->items[i].key, key))
			return &l->items[i].val;
	return NULL;
}

const str *req_query(const req *r, const char *key) { return kv_get(&r->query, key); }
const str *req_form(const req *r, const char *key) { return kv_get(&r->form, key); }
const str *req_cookie(const req *r, const char *name) { return kv_get(&r->cookies, name); }
const str *req_header(const req *r, const char *name) { return kv_get(&r->headers, name); }

bool utf8_valid(str s)
{
	if (s.len == 0)
		return true; /* an empty view may have no pointer: NULL + 0 is undefined */
	const unsigned char *p = (const unsigned char *)s.p, *end = p + s.len;
	while (p < end) {
		unsigned c = *p;
		size_t n;
		unsigned min;
		if (c < 0x80) {
			p++;
			continue;
		} else if ((c & 0xE0) == 0xC0) {
			n = 1, min = 0x80, c &= 0x1F;
		} else if ((c & 0xF0) == 0xE0) {
			n = 2, min = 0x800, c &= 0x0F;
		} else if ((c & 0xF8) == 0xF0) {
			n = 3, min = 0x10000, c &= 0x07;
		} else {
			return false;
		}
		if ((size_t)(end - p) <= n)
			return false;
		for (size_t i = 1; i <= n; i++) {
			if ((p[i] & 0xC0) != 0x80)
				return false;
			c = (c << 6) | (p[i] & 0x3F);
		}
		/* overlong forms, surrogates and values past U+10FFFF */
		if (c < min || c > 0x10FFFF || (c >= 0xD800 && c <= 0xDFFF))
			return false;
		p += n + 1;
	}
	return true;
}

static int hexval(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

int url_decode(arena *a, str in, bool form, bool allow_ws, str *out)
{
	char *d = arena_alloc(a, in.len + 1);
	if (!d)
		return -1;
	size_t n = 0;
	for (size_t i = 0; i < in.len; i++) {
		char c = in.p[i];
		if (c == '%') {
			if (i + 2 >= in.len)
				return -1; /* truncated escape */
			int h = hexval(in.p[i + 1]), l = hexval(in.p[i + 2]);
			if (h < 0 || l < 0)
				return -1;
			c = (char)(h * 16 + l);
			i += 2;
		} else if (c == '+' && form) {
			c = ' ';
		}
		unsigned char u = (unsigned char)c;
		if (u < 0x20 || u == 0x7F) {
			if (!(allow_ws && (c == '\t' || c == '\r' || c == '\n')))
				return -1;
		}
		d[n++] = c;
	}
	d[n] = '\0';
	*out = (str){d, n};
	return utf8_valid(*out) ? 0 : -1;
}

int parse_urlencoded(arena *a, str in, size_t max_params, kvlist *out,
                     const char **why)
{
	size_t i = 0;
	while (i < in.len) {
		size_t j = i;
		while (j < in.len && in.p[j] != '&')
			j++;
		if (j > i) {
			str pair = {in.p + i, j - i}, k = pair, v = {"", 0};
			const char *eq = memchr(pair.p, '=', pair.len);
			if (eq) {
				k.len = (size_t)(eq - pair.p);
				v = (str){eq + 1, pair.len - k.len - 1};
			}
			str dk, dv;
			if (url_decode(a, k, true, false, &dk) < 0 ||
			    url_decode(a, v, true, true, &dv) < 0) {
				*why = "malformed percent-encoding or invalid UTF-8 in parameters";
				return -1;
			}
			if (out->n >= max_params) {
				*why = "too many parameters";
				return -1;
			}
			if (kv_add(a, out, dk, dv) < 0) {
				*why = "request too large";
				return -1;
			}
		}
		i = j + 1;
	}
	return 0;
}

int parse_cookies(arena *a, str in, size_t max_params, kvlist *out)
{
	size_t i = 0;
	while (i < in.len) {
		while (i < in.len && (in.p[i] == ' ' || in.p[i] == ';'))
			i++;
		size_t j = i;
		while (j < in.len && in.p[j] != ';')
			j++;
		if (j > i) {
			const char *eq = memchr(in.p + i, '=', j - i);
			if (eq) {
				str k = {in.p + i, (size_t)(eq - in.p) - i};
				str v = {eq + 1, j - (size_t)(eq + 1 - in.p)};
				while (v.len && v.p[v.len - 1] == ' ')
					v.len--;
				if (out->n >= max_params || kv_add(a, out, k, v) < 0)
					return -1;
			}
		}
		i = j;
	}
	return 0;
}

long long req_content_length(char *const *envp, const req_limits *lim)
{
	const char *cl = env_get(envp, "CONTENT_LENGTH");
	if (!cl || !*cl)
		return 0;
	int64_t n;
	if (str_to_i64(str_c(cl), 0, (int64_t)lim->max_body, &n) < 0)
		return -1;
	return n;
}

/* HTTP_ACCEPT_LANGUAGE -> accept-language */
static str header_name(arena *a, const char *env, size_t n)
{
	char *d = arena_alloc(a, n + 1);
	if (!d)
		return (str){"", 0};
	for (size_t i = 0; i < n; i++) {
		char c = env[i];
		d[i] = c == '_' ? '-' : (c >= 'A' && c <= 'Z') ? (char)(c + 32) : c;
	}
	d[n] = '\0';
	return (str){d, n};
}

static str copy_env(arena *a, char *const *envp, const char *key)
{
	const char *v = env_get(envp, key);
	if (!v)
		return (str){"", 0};
	char *d = arena_strdup(a, v);
	return d ? str_c(d) : (str){"", 0};
}

int req_from_env(req *r, arena *a, char *const *envp, const req_limits *lim,
                 const char **why)
{
	memset(r, 0, sizeof(*r));
	r->method = copy_env(a, envp, "REQUEST_METHOD");
	r->remote_addr = copy_env(a, envp, "REMOTE_ADDR");
	const char *https = env_get(envp, "HTTPS"); /* nginx: "on" over TLS, else unset */
	r->https = https && strcasecmp(https, "on") == 0;
	if (r->method.len == 0)
		r->method = STR("GET");

	/* Raw path from REQUEST_URI (decoded here, strictly); CGI may only
	 * give SCRIPT_NAME + PATH_INFO. */
	const char *uri = env_get(envp, "REQUEST_URI");
	str raw_path, raw_query = {"", 0};
	if (uri && *uri) {
		const char *q = strchr(uri, '?');
		raw_path = (str){uri, q ? (size_t)(q - uri) : strlen(uri)};
		if (q)
			raw_query = str_c(q + 1);
	} else {
		const char *pi = env_get(envp, "PATH_INFO");
		raw_path = str_c(pi && *pi ? pi : "/");
		raw_query = str_c(env_get(envp, "QUERY_STRING"));
	}
	if (raw_path.len > lim->max_path) {
		*why = "path too long";
		return -1;
	}
	if (raw_query.len > lim->max_query) {
		*why = "query string too long";
		return -1;
	}
	if (url_decode(a, raw_path, false, false, &r->path) < 0) {
		*why = "malformed percent-encoding or invalid UTF-8 in path";
		return -1;
	}
	if (r->path.len == 0 || r->path.p[0] != '/')
		r->path = STR("/");
	r->raw_query = (str){arena_strndup(a, raw_query.p, raw_query.len), raw_query.len};
	if (parse_urlencoded(a, r->raw_query, lim->max_params, &r->query, why) < 0)
		return -1;

	for (char *const *e = envp; e && *e; e++) {
		if (strncmp(*e, "HTTP_", 5) != 0)
			continue;
		const char *eq = strchr(*e, '=');
		if (!eq)
			continue;
		size_t vlen = strlen(eq + 1);
		if (vlen > lim->max_header) {
			*why = "request header too large";
			return -1;
		}
		str name = header_name(a, *e + 5, (size_t)(eq - *e - 5));
		str val = {arena_strndup(a, eq + 1, vlen), vlen};
		if (!val.p || kv_add(a, &r->headers, name, val) < 0) {
			*why = "request headers too large";
			return -1;
		}
	}
	const str *cookie = req_header(r, "cookie");
	if (cookie && parse_cookies(a, *cookie, lim->max_params, &r->cookies) < 0) {
		*why = "too many cookies";
		return -1;
	}

	str ct = copy_env(a, envp, "CONTENT_TYPE");
	const char *semi = memchr(ct.p, ';', ct.len);
	if (semi)
		ct.len = (size_t)(semi - ct.p);
	while (ct.len && ct.p[ct.len - 1] == ' ')
		ct.len--;
	char *lc = arena_strndup(a, ct.p, ct.len);
	for (size_t i = 0; lc && i < ct.len; i++)
		if (lc[i] >= 'A' && lc[i] <= 'Z')
			lc[i] = (char)(lc[i] + 32);
	r->content_type = (str){lc ? lc : "", lc ? ct.len : 0};
	return 0;
}

static void json_put(void *p)
{
	json_object_put(p);
}

int req_parse_body(req *r, arena *a, const req_limits *lim, const char **why)
{
	if (r->body.len == 0)
		return 0;
	if (r->body.len > lim->max_body) {
		*why = "request body too large";
		return -1;
	}
	if (str_eq_c(r->content_type, "application/x-www-form-urlencoded"))
		return parse_urlencoded(a, r->body, lim->max_params, &r->form, why);
	if (str_eq_c(r->content_type, "application/json")) {
		if (!utf8_valid(r->body)) {
			*why = "request body is not valid UTF-8";
			return -1;
		}
		json_tokener *tok = json_tokener_new_ex(32);
		if (!tok) {
			*why = "out of memory";
			return -1;
		}
		json_tokener_set_flags(tok, JSON_TOKENER_STRICT | JSON_TOKENER_ALLOW_TRAILING_CHARS);
		json_object *o = json_tokener_parse_ex(tok, r->body.p, (int)r->body.len);
		enum json_tokener_error err = json_tokener_get_error(tok);
		size_t used = json_tokener_get_parse_end(tok);
		json_tokener_free(tok);
		if (!o || err != json_tokener_success) {
			if (o)
				json_object_put(o);
			*why = "malformed JSON body";
			return -1;
		}
		arena_defer(a, json_put, o);
		for (; used < r->body.len; used++) {
			char c = r->body.p[used];
			if (c != ' ' && c != '\n' && c != '\r' && c != '\t') {
				*why = "trailing bytes after the JSON body";
				return -1;
			}
		}
		r->json = o;
		return 0;
	}
	return 0; /* other bodies stay raw; handlers that need them say so */
}
