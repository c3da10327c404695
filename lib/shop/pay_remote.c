/* pay_remote: the provider interface spoken to souk-payd over its Unix
 * socket (HTTP/1.1, JSON bodies, Connection: close). */
#include "shop/pay_remote.h"
#include "core/unixsock.h"

#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <time.h>
#include <unistd.h>

#include "core/js.h"
#include "core/log.h"

#define PAYR_MAX_RESPONSE 65536

const char *pay_remote_socket(void)
{
	static char path[108];
	const char *s = getenv("SOUK_PAYD_SOCKET");
	const char *var = getenv("SOUK_VAR");
	int n = -1;
	if (s && *s)
		n = snprintf(path, sizeof(path), "%s", s);
	else if (var && *var)
		n = snprintf(path, sizeof(path), "%s/run/payd.sock", var);
	return n > 0 && (size_t)n < sizeof(path) ? path : NULL;
}

int pay_remote_parse(str raw, int *status, str *body)
{
	const char *p = raw.p, *end = raw.p + raw.len;
	const char *head_end = NULL;
	for (const char *q = p; q + 4 <= end; q++)
		if (memcmp(q, "\r\n\r\n", 4) == 0) {
			head_end = q;
			break;
		}
	if (!head_end || raw.len < 12 || memcmp(p, "HTTP/1.", 7) != 0 || p[8] != ' ')
		return -1;
	int64_t st;
	if (str_to_i64((str){p + 9, 3}, 100, 599, &st) < 0 || (p + 12 < head_end && p[12] != ' '))
		return -1;
	const char *b = head_end + 4;
	size_t blen = (size_t)(end - b);
	/* headers: only Content-Length matters */
	for (const char *line = memchr(p, '\n', (size_t)(head_end - p)); line && line < head_end;) {
		line++;
		const char *eol = memchr(line, '\r', (size_t)(head_end + 2 - line));
		if (!eol)
			break;
		size_t n = (size_t)(eol - line);
		if (n > 15 && strncasecmp(line, "content-length:", 15) == 0) {
			const char *v = line + 15;
			while (v < eol && *v == ' ')
				v++;
			int64_t cl;
			if (str_to_i64((str){v, (size_t)(eol - v)}, 0, PAYR_MAX_RESPONSE, &cl) < 0 ||
			    (size_t)cl > blen)
				return -1; /* malformed, or the body is cut short */
			blen = (size_t)cl;
		}
		line = memchr(eol, '\n', (size_t)(head_end + 2 - eol));
	}
	*status = (int)st;
	*body = (str){b, blen};
	return 0;
}

static int unavailable(ctx *c, const char *path, const char *why)
{
	ctx_log(c, LOG_WARN, "payd: %s: %s", path, why);
	return ctx_fail(c, 503, "payment_unavailable",
	                "the payment provider is not answering; nothing was charged, please try again");
}

/* Sends the request and reads the whole answer (the daemon closes). */
static int exchange(ctx *c, const char *path, str request, str *response)
{
	const char *sock = pay_remote_socket();
	if (!sock)
		return unavailable(c, path, "SOUK_PAYD_SOCKET is not set");
	int64_t deadline = unixsock_now_ms() + cfg_env_num("SOUK_PAYD_TIMEOUT_MS", 2000, 50, 60000);
	/* a full backlog is waited for like a slow peer, up to the deadline */
	int fd = unixsock_connect(sock, true);
	if (fd < 0)
		return unavailable(c, path, strerror(errno));
	if (unixsock_send_all(fd, request.p, request.len, deadline) < 0) {
		int e = errno;
		close(fd);
		return unavailable(c, path, e == ETIMEDOUT ? "timed out sending" : strerror(e));
	}
	buf in;
	buf_init(&in, c->a, PAYR_MAX_RESPONSE + 8192);
	char chunk[4096];
	for (;;) {
		ssize_t r = recv(fd, chunk, sizeof(chunk), 0);
		if (r > 0) {
			if (buf_append(&in, chunk, (size_t)r) < 0) {
				close(fd);
				return unavailable(c, path, "answer too large");
			}
			continue;
		}
		if (r == 0)
			break;
		if (errno == EINTR)
			continue;
		if ((errno == EAGAIN || errno == EWOULDBLOCK) && unixsock_wait(fd, POLLIN, deadline) == 0)
			continue;
		int e = errno;
		close(fd);
		return unavailable(c, path, e == EAGAIN || e == EWOULDBLOCK ? "timed out" : strerror(e));
	}
	close(fd);
	*response = buf_str(&in);
	return SOUK_OK;
}

int pay_remote_call(ctx *c, const char *path, const char *key, json_object *body, int *status,
                    json_object **out)
{
	const char *text = body ? json_object_to_json_string_ext(body, JSON_C_TO_STRING_PLAIN) : "";
	buf rq;
	buf_init(&rq, c->a, 0);
	buf_printf(&rq, "%s %s HTTP/1.1\r\nHost: payd\r\nConnection: close\r\n", body ? "POST" : "GET",
	           path);
	if (key)
		buf_printf(&rq, "Idempotency-Key: %s\r\n", key);
	if (body)
		buf_printf(&rq, "Content-Type: application/json\r\nContent-Length: %zu\r\n", strlen(text));
	buf_puts(&rq, "\r\n");
	buf_puts(&rq, text);
	if (rq.failed)
		return ctx_fail(c, 500, "internal", "payment request too large");
	int64_t t0 = unixsock_now_ms();
	str raw, b;
	if (exchange(c, path, buf_str(&rq), &raw) < 0)
		return SOUK_ERR;
	if (pay_remote_parse(raw, status, &b) < 0)
		return unavailable(c, path, "malformed answer");
	ctx_log(c, LOG_DEBUG, "payd: %s -> %d in %lld ms", path, *status, (long long)(unixsock_now_ms() - t0));
	if (*status >= 500)
		return unavailable(c, path, "answered 5xx");
	json_object *o = js_parse(c, b);
	if (!o || !json_object_is_type(o, json_type_object))
		return unavailable(c, path, "answer is not a JSON object");
	*out = o;
	return SOUK_OK;
}

/* ------------------------------------------------------------ provider */

static const char *str_or_null(ctx *c, json_object *o, const char *key)
{
	const char *v = NULL;
	if (js_get_str(o, key, &v) != 1 || !v)
		return NULL;
	return str_dup(c->a, str_c(v));
}

/* A non-200 answer: the provider refused the request itself. */
static int refused(ctx *c, const char *path, int status, json_object *o)
{
	json_object *e = NULL;
	const char *msg = NULL, *code = NULL;
	if (json_object_object_get_ex(o, "error", &e)) {
		js_get_str(e, "message", &msg);
		js_get_str(e, "code", &code);
	}
	if (status == 400 && code && strcmp(code, "bad_card") == 0)
		return ctx_fail(c, 400, "bad_card", "%s", msg ? msg : "the card was refused");
	ctx_log(c, LOG_WARN, "payd: %s answered %d %s", path, status, msg ? msg : "");
	return ctx_fail(c, 502, "payment_error", "the payment provider refused the request");
}

static int call(ctx *c, const char *path, const char *key, json_object *body, pay_result *out)
{
	memset(out, 0, sizeof(*out));
	int status;
	json_object *o;
	if (pay_remote_call(c, path, key, body, &status, &o) < 0)
		return SOUK_ERR;
	if (status != 200)
		return refused(c, path, status, o);
	bool ok = false;
	js_get_bool(o, "approved", &ok);
	out->approved = ok;
	out->provider_ref = str_or_null(c, o, "ref");
	if (!out->provider_ref)
		out->provider_ref = str_or_null(c, o, "id"); /* a payment method */
	out->decline_code = str_or_null(c, o, "decline_code");
	out->message = str_or_null(c, o, "message");
	out->brand = str_or_null(c, o, "brand");
	const char *l4 = str_or_null(c, o, "last4");
	snprintf(out->last4, sizeof(out->last4), "%s", l4 ? l4 : "");
	return SOUK_OK;
}

static int r_tokenize(ctx *c, const pay_card *card, pay_result *out)
{
	json_object *b = js_obj(c);
	if (card->sealed) { /* only payd can open it */
		js_str(b, "sealed_card", card->sealed);
	} else {
		js_str(b, "card_number", card->number);
		js_i64(b, "exp_month", card->exp_month);
		js_i64(b, "exp_year", card->exp_year);
		js_str(b, "cvc", card->cvc);
	}
	int rc = call(c, "/v1/payment_methods", NULL, b, out);
	if (rc == SOUK_OK && !out->provider_ref)
		return ctx_fail(c, 502, "payment_error", "the payment provider returned no token");
	out->approved = rc == SOUK_OK;
	return rc;
}

static int r_authorize(ctx *c, const char *key, int64_t amount, const char *currency,
                       const pay_card *card, pay_result *out)
{
	const char *pm = card->token;
	if (!pm || !*pm) { /* a caller with a raw card: tokenise first */
		if (r_tokenize(c, card, out) < 0)
			return SOUK_ERR;
		pm = out->provider_ref;
	}
	json_object *b = js_obj(c);
	js_str(b, "payment_method", pm);
	js_i64(b, "amount", amount);
	js_str(b, "currency", currency ? currency : "USD");
	return call(c, "/v1/authorize", key, b, out);
}

static int r_capture(ctx *c, const char *key, const char *auth_ref, int64_t amount,
                     pay_result *out)
{
	json_object *b = js_obj(c);
	js_str(b, "authorization", auth_ref);
	js_i64(b, "amount", amount);
	return call(c, "/v1/capture", key, b, out);
}

static int r_void(ctx *c, const char *key, const char *auth_ref, pay_result *out)
{
	json_object *b = js_obj(c);
	js_str(b, "authorization", auth_ref);
	return call(c, "/v1/void", key, b, out);
}

static int r_refund(ctx *c, const char *key, const char *charge_ref, int64_t amount,
                    pay_result *out)
{
	json_object *b = js_obj(c);
	js_str(b, "charge", charge_ref);
	js_i64(b, "amount", amount);
	return call(c, "/v1/refund", key, b, out);
}

static int r_payout(ctx *c, const char *key, const char *account, int64_t amount,
                    pay_result *out)
{
	json_object *b = js_obj(c);
	js_str(b, "account", account);
	js_i64(b, "amount", amount);
	return call(c, "/v1/payout", key, b, out);
}

const pay_provider pay_remote = {"payd", r_authorize, r_capture, r_void, r_refund, r_tokenize,
                                 r_payout};
