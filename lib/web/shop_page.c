/* shop: helpers shared by the buying pages (rendering, redirects, form
 * fields, CSRF guards). */
#include "web/shop_page.h"
#include "http/req.h"
#include "http/resp.h"

tmpl_dict *shop_page(ctx *c, const char *title)
{
	session *s = session_load(c);
	if (s)
		s->touched = true; /* personal: view_account sends no-store */
	return view_page(c, title, NULL);
}

int shop_render(ctx *c, int status, const char *file, tmpl_dict *d)
{
	if (view_render(c, file, d) < 0)
		return SOUK_ERR;
	c->rs->status = status;
	return SOUK_OK;
}

int shop_redirect(ctx *c, const char *path)
{
	if (resp_redirect(c->rs, 303, str_c(path)) < 0)
		return ctx_fail(c, 500, "internal", "bad redirect");
	resp_header(c->rs, "Cache-Control", STR("private, no-store"));
	return SOUK_OK;
}

const char *shop_take_failure(ctx *c, int *status)
{
	const char *m = c->err_msg ? c->err_msg : "something went wrong";
	/* library messages are lower-case phrases; a form shows a sentence */
	if (m[0] >= 'a' && m[0] <= 'z') {
		char *cap = str_dup(c->a, str_c(m));
		if (cap) {
			cap[0] = (char)(cap[0] - 32);
			m = cap;
		}
	}
	if (status)
		*status = c->err_status ? c->err_status : 500;
	ctx_clear(c);
	return m;
}

const char *shop_field(ctx *c, const char *name)
{
	const str *v = req_form(c->rq, name);
	if (!v)
		return "";
	/* trim blanks a pasted value brings along */
	str t = *v;
	while (t.len && (t.p[0] == ' ' || t.p[0] == '\t'))
		t.p++, t.len--;
	while (t.len && (t.p[t.len - 1] == ' ' || t.p[t.len - 1] == '\t' || t.p[t.len - 1] == '\r' ||
	                 t.p[t.len - 1] == '\n'))
		t.len--;
	char *s = str_dup(c->a, t);
	return s ? s : "";
}

int shop_field_int(ctx *c, const char *name, const char *label, int64_t min, int64_t max,
                   int64_t *out)
{
	const char *v = shop_field(c, name);
	if (str_to_i64(str_c(v), min, max, out) < 0)
		return ctx_fail(c, 400, "bad_request", "%s must be a whole number from %lld to %lld", label,
		                (long long)min, (long long)max);
	return SOUK_OK;
}

int shop_post(ctx *c)
{
	return session_csrf_check(c);
}

/* "example.com:8080" -> "example.com" ("[::1]:80" -> "[::1]") */
static str host_part(str s)
{
	size_t end = s.len;
	for (size_t i = s.len; i > 0; i--) {
		if (s.p[i - 1] == ']')
			break;
		if (s.p[i - 1] == ':') {
			end = i - 1;
			break;
		}
	}
	return (str){s.p, end};
}

/* true when a browser tells us the request came from another site. */
static bool cross_site(ctx *c)
{
	const str *sf = req_header(c->rq, "sec-fetch-site");
	if (sf && (str_eq_c(*sf, "cross-site") || str_eq_c(*sf, "same-site")))
		return true;
	const str *origin = req_header(c->rq, "origin"), *host = req_header(c->rq, "host");
	if (!origin || str_eq_c(*origin, "null"))
		return origin != NULL;
	/* "scheme://host[:port]" must name our Host */
	const char *sep = origin->len > 3 ? memmem(origin->p, origin->len, "://", 3) : NULL;
	if (!sep || !host)
		return true;
	str oh = {sep + 3, origin->len - (size_t)(sep + 3 - origin->p)};
	/* nginx passes HTTP_HOST as $host (no port): compare host names */
	return !str_eq(host_part(oh), host_part(*host));
}

session *shop_post_lazy(ctx *c)
{
	session *s = session_load(c);
	if (!s) {
		ctx_fail(c, 500, "internal", "out of memory");
		return NULL;
	}
	if (s->id || s->down) {
		if (session_csrf_check(c) < 0)
			return NULL;
		return s;
	}
	if (cross_site(c)) {
		ctx_fail(c, 403, "csrf", "this form did not come from this site");
		return NULL;
	}
	return session_ensure(c);
}

const char *shop_next(ctx *c, const char *next)
{
	(void)c;
	if (!next || next[0] != '/' || next[1] == '/' || next[1] == '\\' || strlen(next) > 300)
		return "/";
	for (const char *p = next; *p; p++)
		if ((unsigned char)*p <= 0x20 || *p == 0x7f)
			return "/";
	return next;
}

session *shop_signed_in(ctx *c, bool *redirected)
{
	*redirected = false;
	session *s = session_load(c);
	if (s && s->down) {
		ctx_fail(c, 503, "unavailable", "sessions are unavailable right now; please try again");
		return NULL;
	}
	if (s && s->id && s->user_id)
		return s;
	buf b;
	buf_init(&b, c->a, 0);
	buf_puts(&b, "/login?next=");
	/* the path is ours and already valid; escape what a query needs */
	for (size_t i = 0; i < c->rq->path.len; i++) {
		unsigned char ch = (unsigned char)c->rq->path.p[i];
		if ((ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') || (ch >= '0' && ch <= '9') ||
		    ch == '/' || ch == '-' || ch == '_' || ch == '.')
			buf_putc(&b, (char)ch);
		else
			buf_printf(&b, "%%%02X", ch);
	}
	*redirected = shop_redirect(c, b.p) == SOUK_OK;
	return NULL;
}

void shop_steps(tmpl_dict *d, int current)
{
	static const char *const names[] = {"Address", "Shipping", "Payment", "Review", "Done"};
	for (int i = 0; i < 5; i++) {
		tmpl_dict *s = tmpl_section(d, "STEP");
		tmpl_set_i64(s, "N", i + 1);
		tmpl_set(s, "NAME", names[i]);
		tmpl_set(s, "CLASS", i + 1 < current ? "done" : i + 1 == current ? "current" : "todo");
		if (i + 1 == current)
			tmpl_show(s, "CUR");
	}
}

const char *shop_when(ctx *c, const char *ts)
{
	if (!ts)
		return "";
	size_t n = strlen(ts);
	return arena_strndup(c->a, ts, n < 16 ? n : 16);
}
