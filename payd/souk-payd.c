/* souk-payd: the payment provider as a separate process: a small HTTP/1.1
 * JSON API on a Unix socket (tokenise, authorize, capture, void, refund,
 * each idempotent by the Idempotency-Key header) with its books in its
 * own database (souk_payd), plus fault knobs for tests (/_faults). */
#include <errno.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <time.h>
#include <unistd.h>

#include "core/js.h"
#include "core/log.h"
#include "core/rnd.h"
#include "http/app.h"
#include "http/prefork.h"
#include "shop/pay_remote.h"
#include "shop/pay_seal.h"
#include "shop/payment.h"
#include "store/db.h"
#include "http/req.h"
#include "core/unixsock.h"

#define PAYD_MAX_THREADS 32
#define PAYD_MAX_HEAD 8192
#define PAYD_MAX_BODY 16384
#define PAYD_IO_MS 5000

static atomic_bool stopping;
static int listen_fd = -1;

/* ------------------------------------------------------------ faults */

/* Test knobs (POST /_faults): answer 503, or sleep before doing anything
 * (a slow provider), or after the effect and before answering (a
 * provider that captured and then timed out). `path` limits them to one
 * endpoint, `count` to that many requests (0 = until reset). */
static struct {
	pthread_mutex_t mu;
	int64_t delay_ms, delay_after_ms, count;
	int fail;
	char path[64];
} faults = {.mu = PTHREAD_MUTEX_INITIALIZER};

typedef struct fault_now {
	int64_t delay_ms, delay_after_ms;
	int fail;
} fault_now;

static fault_now fault_take(const char *path)
{
	fault_now f = {0, 0, 0};
	pthread_mutex_lock(&faults.mu);
	bool on = faults.delay_ms || faults.delay_after_ms || faults.fail;
	if (on && (!faults.path[0] || strcmp(faults.path, path) == 0)) {
		f.delay_ms = faults.delay_ms;
		f.delay_after_ms = faults.delay_after_ms;
		f.fail = faults.fail;
		if (faults.count > 0 && --faults.count == 0) {
			faults.delay_ms = faults.delay_after_ms = 0;
			faults.fail = 0;
			faults.path[0] = '\0';
		}
	}
	pthread_mutex_unlock(&faults.mu);
	return f;
}

static void sleep_ms(int64_t ms)
{
	while (ms > 0 && !atomic_load(&stopping)) {
		int64_t step = ms > 100 ? 100 : ms;
		struct timespec ts = {0, (long)step * 1000000L};
		nanosleep(&ts, NULL);
		ms -= step;
	}
}

/* ------------------------------------------------------------ books */

static const db_stmt payd_sql[] = {
	{"payd_method_new",
	 "INSERT INTO payd_methods (token, brand, last4, exp_month, exp_year, decline_code)"
	 " VALUES ($1, $2, $3, $4, $5, $6)"},
	{"payd_method", "SELECT brand, last4, decline_code FROM payd_methods WHERE token = $1"},
	/* An authorization's outcome depends on the payment method alone, so
	 * the key row is written with its result and the charge in one
	 * statement; a concurrent duplicate waits on the key and replays. */
	{"payd_authorize",
	 "WITH k AS (INSERT INTO payd_ops (key, op, amount, approved, ref, decline_code, brand,"
	 "           last4) VALUES ($1, 'authorize', $2, $3, $4, $5, $6, $7)"
	 "           ON CONFLICT (key) DO NOTHING RETURNING key),"
	 " ch AS (INSERT INTO payd_charges (ref, method, amount, currency, status, brand, last4)"
	 "        SELECT $4, $9, $2, $8, 'authorized', $6, $7 FROM k WHERE $3::boolean)"
	 " SELECT count(*) AS claimed FROM k"},
	{"payd_claim",
	 "INSERT INTO payd_ops (key, op, charge_ref, amount) VALUES ($1, $2, $3, $4)"
	 " ON CONFLICT (key) DO NOTHING RETURNING key"},
	{"payd_stored",
	 "SELECT op, approved, ref, decline_code, brand, last4 FROM payd_ops WHERE key = $1"},
	{"payd_result",
	 "UPDATE payd_ops SET approved = $2, ref = $3, decline_code = $4 WHERE key = $1"},
	{"payd_capture",
	 "UPDATE payd_charges SET status = 'captured', captured = $2, updated_at = now()"
	 " WHERE ref = $1 AND status = 'authorized' AND $2::bigint <= amount RETURNING ref"},
	/* a seller's payout to a sandbox account (acct_…): always paid */
	{"payd_payout", "SELECT $1 AS ref WHERE $1 ~ '^acct_[A-Za-z0-9_]{1,60}$' AND $2::bigint > 0"},
	{"payd_void",
	 "UPDATE payd_charges SET status = 'voided', updated_at = now()"
	 " WHERE ref = $1 AND status = 'authorized' AND $2::bigint >= 0 RETURNING ref"},
	{"payd_refund",
	 "UPDATE payd_charges SET refunded = refunded + $2, updated_at = now()"
	 " WHERE ref = $1 AND status = 'captured' AND refunded + $2::bigint <= captured"
	 " RETURNING ref"},
	{"payd_charge",
	 "SELECT c.status, c.amount, c.captured, c.refunded, c.brand, c.last4,"
	 " (SELECT count(*) FROM payd_ops o WHERE o.charge_ref = c.ref AND o.op = 'capture'"
	 "  AND o.approved) AS captures,"
	 " (SELECT count(*) FROM payd_ops o WHERE o.charge_ref = c.ref AND o.op = 'capture')"
	 "  AS capture_keys,"
	 " (SELECT count(*) FROM payd_ops o WHERE o.charge_ref = c.ref AND o.op = 'void'"
	 "  AND o.approved) AS voids,"
	 " (SELECT count(*) FROM payd_ops o WHERE o.charge_ref = c.ref AND o.op = 'refund'"
	 "  AND o.approved) AS refunds"
	 " FROM payd_charges c WHERE c.ref = $1"},
	{"payd_key_newest",
	 "SELECT key_id, public_pem FROM payd_keys ORDER BY created_at DESC, key_id LIMIT 1"},
	{"payd_key_private", "SELECT private_pem FROM payd_keys WHERE key_id = $1"},
	{"payd_key_new",
	 "INSERT INTO payd_keys (key_id, private_pem, public_pem) VALUES ($1, $2, $3)"},
};

typedef struct outcome {
	const char *code, *message;
} outcome;

static outcome card_outcome(const char *digits)
{
	const char *code = pay_test_decline(digits);
	return (outcome){code, pay_decline_message(code)};
}

static const char *new_ref(ctx *c, const char *prefix)
{
	char *hex = rnd_hex(c->a, 12);
	if (!hex)
		return NULL;
	buf b;
	buf_init(&b, c->a, 64);
	buf_printf(&b, "%s_%s", prefix, hex);
	return b.p;
}

/* The answer of an operation: {"approved", "ref", "decline_code", ...}. */
static json_object *result_doc(ctx *c, db_res *r)
{
	json_object *o = js_obj(c);
	bool ok = db_bool(r, 0, "approved");
	const char *code = db_val(r, 0, "decline_code");
	js_bool(o, "approved", ok);
	js_str(o, "ref", db_val(r, 0, "ref"));
	js_str(o, "decline_code", code);
	js_str(o, "message", pay_decline_message(code));
	js_str(o, "brand", db_val(r, 0, "brand"));
	js_str(o, "last4", db_val(r, 0, "last4"));
	return o;
}

static json_object *stored(ctx *c, const char *key, const char *op)
{
	const char *q[] = {key};
	db_res *r = db_exec(c, "payd_stored", 1, q);
	if (!r)
		return NULL;
	if (db_rows(r) == 0 || strcmp(db_val(r, 0, "op"), op) != 0)
		return ctx_fail(c, 409, "key_reused", "idempotency key reused for another operation"),
		       NULL;
	return result_doc(c, r);
}

static const char *key_of(ctx *c)
{
	const str *k = req_header(c->rq, "idempotency-key");
	if (!k || k->len < 1 || k->len > 200)
		return ctx_fail(c, 400, "bad_request", "the Idempotency-Key header is required"), NULL;
	return str_dup(c->a, *k);
}

static json_object *body_of(ctx *c)
{
	json_object *b = js_parse(c, c->rq->body);
	if (!b || !json_object_is_type(b, json_type_object))
		return ctx_fail(c, 400, "bad_request", "the body must be a JSON object"), NULL;
	return b;
}

/* ------------------------------------------------------------ keys */

/* Opens a card sealed with one of payd's keys (the one its blob names;
 * older keys stay, so a rotation does not strand a sealed card). */
static int unseal(ctx *c, const char *sealed, pay_card *card)
{
	const char *id = pay_seal_key_of(c, sealed);
	const char *q[] = {id};
	db_res *r = id ? db_exec(c, "payd_key_private", 1, q) : NULL;
	if (id && !r)
		return SOUK_ERR;
	if (!id || db_rows(r) == 0)
		return ctx_fail(c, 400, "bad_card", "the sealed card names no key of this provider");
	return pay_unseal_card(c, sealed, id, db_val(r, 0, "private_pem"), card);
}

/* A new key pair becomes the one served (first start, or a rotation). */
static int key_make(ctx *c)
{
	const char *id, *priv, *pub;
	if (pay_seal_keygen(c, &id, &priv, &pub) < 0)
		return SOUK_ERR;
	const char *p[] = {id, priv, pub};
	if (!db_exec(c, "payd_key_new", 3, p))
		return SOUK_ERR;
	log_msg(LOG_INFO, NULL, "payd: new encryption key %s", id);
	return SOUK_OK;
}

/* GET /v1/encryption_key: the newest public key and its id. */
static json_object *op_encryption_key(ctx *c)
{
	db_res *r = db_exec(c, "payd_key_newest", 0, NULL);
	if (!r)
		return NULL;
	if (db_rows(r) == 0 && (key_make(c) < 0 || !(r = db_exec(c, "payd_key_newest", 0, NULL))))
		return NULL;
	if (db_rows(r) == 0)
		return ctx_fail(c, 503, "unavailable", "no encryption key yet"), NULL;
	json_object *o = js_obj(c);
	js_str(o, "key_id", db_val(r, 0, "key_id"));
	js_str(o, "algorithm", "RSA-OAEP-SHA256");
	js_str(o, "public_key", db_val(r, 0, "public_pem"));
	return o;
}

/* POST /v1/payment_methods: the only place a card number goes. Checked
 * (Luhn, expiry, cvc) and dropped; the token, brand and last 4 remain. */
static json_object *op_tokenize(ctx *c)
{
	json_object *b = body_of(c);
	if (!b)
		return NULL;
	pay_card card = {0};
	int64_t m = 0, y = 0;
	const char *sealed = NULL;
	if (js_get_str(b, "sealed_card", &sealed) == 1 && sealed) {
		if (unseal(c, sealed, &card) < 0)
			return NULL;
	} else if (js_get_str(b, "card_number", &card.number) != 1 ||
	           js_get_str(b, "cvc", &card.cvc) != 1 || js_get_i64(b, "exp_month", &m) != 1 ||
	           js_get_i64(b, "exp_year", &y) != 1) {
		return ctx_fail(c, 400, "bad_card", "card_number, exp_month, exp_year and cvc (or "
		                "sealed_card) are required"), NULL;
	} else {
		card.exp_month = m >= 1 && m <= 12 ? (int)m : 0;
		card.exp_year = y >= 2000 && y <= 2100 ? (int)y : 0;
	}
	time_t now = time(NULL);
	struct tm tm;
	gmtime_r(&now, &tm);
	const char *digits;
	char last4[5];
	if (pay_card_check(c, &card, tm.tm_year + 1900, tm.tm_mon + 1, &digits, last4) < 0)
		return NULL;
	outcome oc = card_outcome(digits);
	const char *token = new_ref(c, "pm");
	if (!token)
		return ctx_fail(c, 500, "internal", "no randomness"), NULL;
	const char *brand = pay_card_brand(digits);
	const char *p[] = {token, brand, last4, db_param_i64(c, card.exp_month),
	                   db_param_i64(c, card.exp_year), oc.code};
	if (!db_exec(c, "payd_method_new", 6, p))
		return NULL;
	json_object *o = js_obj(c);
	js_str(o, "id", token);
	js_str(o, "brand", brand);
	js_str(o, "last4", last4);
	js_i64(o, "exp_month", card.exp_month);
	js_i64(o, "exp_year", card.exp_year);
	return o;
}

static json_object *op_authorize(ctx *c)
{
	const char *key = key_of(c);
	json_object *b = key ? body_of(c) : NULL;
	if (!b)
		return NULL;
	const char *pm = NULL, *currency = "USD";
	int64_t amount;
	if (js_get_str(b, "payment_method", &pm) != 1 || js_get_i64(b, "amount", &amount) != 1 ||
	    amount < 0 || js_get_str(b, "currency", &currency) < 0)
		return ctx_fail(c, 400, "bad_request", "payment_method and amount are required"), NULL;
	const char *q[] = {pm};
	db_res *m = db_exec(c, "payd_method", 1, q);
	if (!m)
		return NULL;
	if (db_rows(m) == 0) {
		/* a replay must still answer: the key decides, not the method */
		const char *k[] = {key};
		db_res *st = db_exec(c, "payd_stored", 1, k);
		if (!st)
			return NULL;
		if (db_rows(st) == 0)
			return ctx_fail(c, 404, "no_such_method", "unknown payment_method"), NULL;
		return stored(c, key, "authorize");
	}
	const char *code = db_val(m, 0, "decline_code");
	bool approved = code == NULL;
	const char *ref = approved ? new_ref(c, "ch") : NULL;
	const char *p[] = {key, db_param_i64(c, amount), approved ? "t" : "f", ref, code,
	                   db_val(m, 0, "brand"), db_val(m, 0, "last4"),
	                   currency && *currency ? currency : "USD", pm};
	db_res *r = db_exec(c, "payd_authorize", 9, p);
	if (!r)
		return NULL;
	return stored(c, key, "authorize");
}

/* capture / void / refund: claim the key, apply the guarded UPDATE, keep
 * the result, all in one transaction of payd's own database. */
static json_object *op_apply(ctx *c, const char *op, const char *stmt, const char *ref_field)
{
	const char *key = key_of(c);
	json_object *b = key ? body_of(c) : NULL;
	if (!b)
		return NULL;
	const char *ref = NULL;
	int64_t amount = 0;
	if (js_get_str(b, ref_field, &ref) != 1 || js_get_i64(b, "amount", &amount) < 0 || amount < 0)
		return ctx_fail(c, 400, "bad_request", "%s is required", ref_field), NULL;
	if (db_begin(c) < 0)
		return NULL;
	const char *p[] = {key, op, ref, db_param_i64(c, amount)};
	db_res *k = db_exec(c, "payd_claim", 4, p);
	if (k && db_rows(k) == 1) {
		const char *a[] = {ref, db_param_i64(c, amount)};
		db_res *r = db_exec(c, stmt, 2, a);
		bool ok = r && db_rows(r) == 1;
		const char *res_ref = !ok                         ? ref
		                      : strcmp(op, "refund") == 0 ? new_ref(c, "re")
		                      : strcmp(op, "payout") == 0 ? new_ref(c, "po")
		                                                  : ref;
		const char *s[] = {key, ok ? "t" : "f", ok ? res_ref : NULL,
		                   ok ? NULL : "invalid_state"};
		if (!r || !db_exec(c, "payd_result", 4, s))
			k = NULL;
	}
	if (!k || db_commit(c) < 0) {
		db_rollback(c);
		return NULL;
	}
	return stored(c, key, op);
}

/* GET /v1/charges/{ref}: what the provider did to one charge (tests ask
 * it how many captures happened). */
static json_object *op_charge(ctx *c, const char *ref)
{
	const char *q[] = {ref};
	db_res *r = db_exec(c, "payd_charge", 1, q);
	if (!r)
		return NULL;
	if (db_rows(r) == 0)
		return ctx_fail(c, 404, "not_found", "no such charge"), NULL;
	json_object *o = js_obj(c);
	js_str(o, "ref", ref);
	js_str(o, "status", db_val(r, 0, "status"));
	static const char *const nums[] = {"amount",  "captured",     "refunded", "captures",
	                                   "capture_keys", "voids", "refunds"};
	for (size_t i = 0; i < sizeof(nums) / sizeof(nums[0]); i++)
		js_i64(o, nums[i], db_i64(r, 0, nums[i]));
	return o;
}

static json_object *op_faults(ctx *c)
{
	json_object *b = body_of(c);
	if (!b)
		return NULL;
	int64_t d = 0, da = 0, n = 0, fail = 0;
	const char *path = "";
	if (js_get_i64(b, "delay_ms", &d) < 0 || js_get_i64(b, "delay_after_ms", &da) < 0 ||
	    js_get_i64(b, "count", &n) < 0 || js_get_i64(b, "fail", &fail) < 0 ||
	    js_get_str(b, "path", &path) < 0 || d < 0 || d > 60000 || da < 0 || da > 60000 ||
	    n < 0 || (fail != 0 && (fail < 500 || fail > 599)) || strlen(path) >= sizeof(faults.path))
		return ctx_fail(c, 400, "bad_request", "faults: delay_ms, delay_after_ms (0..60000),"
		                " fail (0 or 5xx), path, count"), NULL;
	pthread_mutex_lock(&faults.mu);
	faults.delay_ms = d;
	faults.delay_after_ms = da;
	faults.fail = (int)fail;
	faults.count = n;
	snprintf(faults.path, sizeof(faults.path), "%s", path ? path : "");
	pthread_mutex_unlock(&faults.mu);
	log_msg(LOG_INFO, NULL, "payd: faults delay_ms=%lld delay_after_ms=%lld fail=%lld path=%s "
	        "count=%lld", (long long)d, (long long)da, (long long)fail, path, (long long)n);
	json_object *o = js_obj(c);
	js_bool(o, "ok", true);
	return o;
}

/* ------------------------------------------------------------ HTTP */

static int64_t now_ms(void)
{
	struct timespec t;
	clock_gettime(CLOCK_MONOTONIC, &t);
	return (int64_t)t.tv_sec * 1000 + t.tv_nsec / 1000000;
}

static void send_all(int fd, const char *p, size_t n)
{
	int64_t deadline = now_ms() + PAYD_IO_MS;
	while (n > 0 && now_ms() < deadline) {
		ssize_t w = send(fd, p, n, MSG_NOSIGNAL);
		if (w > 0) {
			p += w;
			n -= (size_t)w;
		} else if (w < 0 && errno != EINTR) {
			return; /* the client gave up: it will retry with the same key */
		}
	}
}

static void reply(ctx *c, int fd, int status, json_object *o)
{
	const char *text = json_object_to_json_string_ext(o, JSON_C_TO_STRING_PLAIN);
	buf b;
	buf_init(&b, c->a, 0);
	buf_printf(&b, "HTTP/1.1 %d %s\r\nContent-Type: application/json\r\nContent-Length: %zu\r\n"
	           "Connection: close\r\n\r\n%s", status, status == 200 ? "OK" : "Error",
	           strlen(text), text);
	send_all(fd, b.p, b.len);
}

static void reply_error(ctx *c, int fd)
{
	int status = c->err_status ? c->err_status : 500;
	json_object *o = js_obj(c), *e = json_object_new_object();
	js_str(e, "code", c->err_code ? c->err_code : "internal");
	js_str(e, "message", c->err_msg ? c->err_msg : "internal error");
	json_object_object_add(o, "error", e);
	reply(c, fd, status, o);
}

/* Reads one request (head, then Content-Length bytes) into c->rq: method,
 * path, headers, body. 0, or -1 with a failure recorded. */
static int read_request(ctx *c, int fd)
{
	memset(c->rq, 0, sizeof(*c->rq));
	char *p = arena_alloc(c->a, PAYD_MAX_HEAD + PAYD_MAX_BODY + 1);
	if (!p)
		return ctx_fail(c, 500, "internal", "out of memory");
	size_t n = 0, head = 0, want = 0;
	int64_t deadline = now_ms() + PAYD_IO_MS;
	for (;;) {
		if (head && n >= head + want)
			break;
		int64_t left = deadline - now_ms();
		struct pollfd pf = {fd, POLLIN, 0};
		if (left <= 0 || poll(&pf, 1, (int)left) <= 0)
			return ctx_fail(c, 408, "timeout", "request not read in time");
		size_t room = head ? head + want - n : PAYD_MAX_HEAD - n;
		ssize_t r = recv(fd, p + n, room, 0);
		if (r <= 0)
			return ctx_fail(c, 400, "bad_request", "connection closed mid-request");
		n += (size_t)r;
		p[n] = '\0';
		if (head)
			continue;
		char *end = strstr(p, "\r\n\r\n");
		if (!end) {
			if (n >= PAYD_MAX_HEAD)
				return ctx_fail(c, 431, "bad_request", "request head too large");
			continue;
		}
		head = (size_t)(end - p) + 4;
		/* request line */
		char *sp1 = memchr(p, ' ', head), *sp2 = sp1 ? memchr(sp1 + 1, ' ', head - (size_t)(sp1 + 1 - p)) : NULL;
		if (!sp1 || !sp2)
			return ctx_fail(c, 400, "bad_request", "malformed request line");
		c->rq->method = (str){p, (size_t)(sp1 - p)};
		c->rq->path = (str){sp1 + 1, (size_t)(sp2 - sp1 - 1)};
		char *line = strstr(p, "\r\n") + 2;
		while (line < end + 2) {
			char *eol = strstr(line, "\r\n"), *colon = memchr(line, ':', (size_t)(eol - line));
			if (colon) {
				for (char *q = line; q < colon; q++)
					if (*q >= 'A' && *q <= 'Z')
						*q = (char)(*q - 'A' + 'a');
				char *v = colon + 1;
				while (v < eol && *v == ' ')
					v++;
				if (kv_add(c->a, &c->rq->headers, (str){line, (size_t)(colon - line)},
				           (str){v, (size_t)(eol - v)}) < 0)
					return ctx_fail(c, 431, "bad_request", "too many headers");
			}
			line = eol + 2;
		}
		const str *cl = req_header(c->rq, "content-length");
		int64_t len = 0;
		if (cl && str_to_i64(*cl, 0, PAYD_MAX_BODY, &len) < 0)
			return ctx_fail(c, 413, "bad_request", "Content-Length missing or over %d", PAYD_MAX_BODY);
		want = (size_t)len;
	}
	c->rq->body = (str){p + head, want};
	return 0;
}

static void serve_one(ctx *c, int fd)
{
	if (read_request(c, fd) < 0) {
		reply_error(c, fd);
		return;
	}
	char *path = str_dup(c->a, c->rq->path);
	bool post = str_eq_c(c->rq->method, "POST"), get = str_eq_c(c->rq->method, "GET");
	json_object *o = NULL;
	fault_now f = {0, 0, 0};
	if (post && strcmp(path, "/_faults") == 0) {
		o = op_faults(c);
		goto out;
	}
	f = fault_take(path);
	sleep_ms(f.delay_ms);
	if (f.fail) {
		ctx_fail(c, f.fail, "unavailable", "payd: fault injected");
		goto out;
	}
	if (post && strcmp(path, "/v1/payment_methods") == 0)
		o = op_tokenize(c);
	else if (post && strcmp(path, "/v1/authorize") == 0)
		o = op_authorize(c);
	else if (post && strcmp(path, "/v1/capture") == 0)
		o = op_apply(c, "capture", "payd_capture", "authorization");
	else if (post && strcmp(path, "/v1/void") == 0)
		o = op_apply(c, "void", "payd_void", "authorization");
	else if (post && strcmp(path, "/v1/refund") == 0)
		o = op_apply(c, "refund", "payd_refund", "charge");
	else if (post && strcmp(path, "/v1/payout") == 0)
		o = op_apply(c, "payout", "payd_payout", "account");
	else if (get && strcmp(path, "/v1/encryption_key") == 0)
		o = op_encryption_key(c);
	else if (post && strcmp(path, "/_keys/rotate") == 0) /* a test knob, like /_faults */
		o = key_make(c) == SOUK_OK ? op_encryption_key(c) : NULL;
	else if (get && strncmp(path, "/v1/charges/", 12) == 0)
		o = op_charge(c, path + 12);
	else
		ctx_fail(c, 404, "not_found", "no such endpoint");
	sleep_ms(f.delay_after_ms); /* the effect is done; the answer is late */
out:
	if (!o) {
		reply_error(c, fd);
		return;
	}
	log_msg(LOG_INFO, NULL, "payd: %s %s 200", post ? "POST" : "GET", path);
	reply(c, fd, 200, o);
}

static void *server_main(void *arg)
{
	(void)arg;
	ctx *c = app_ctx_new(cfg_get());
	while (c && !atomic_load(&stopping)) {
		struct pollfd pf = {listen_fd, POLLIN, 0};
		if (poll(&pf, 1, 500) <= 0)
			continue;
		int fd = accept4(listen_fd, NULL, NULL, SOCK_CLOEXEC);
		if (fd < 0)
			continue;
		app_ctx_begin(c);
		serve_one(c, fd);
		close(fd);
		db_request_end(c->db);
	}
	app_ctx_free(c);
	return NULL;
}


int main(void)
{
	const cfg *cf = cfg_load();
	log_set_level(cf->log_level);
	const char *path = pay_remote_socket();
	if (!path) {
		log_msg(LOG_ERROR, NULL, "payd: set SOUK_PAYD_SOCKET (or SOUK_VAR)");
		return 2;
	}
	int nthreads = (int)cfg_env_num("SOUK_PAYD_THREADS", 4, 1, PAYD_MAX_THREADS);
	db_register(payd_sql, sizeof(payd_sql) / sizeof(payd_sql[0]));

	sigset_t set;
	sigemptyset(&set);
	sigaddset(&set, SIGTERM);
	sigaddset(&set, SIGINT);
	sigaddset(&set, SIGHUP);
	sigaddset(&set, SIGPIPE);
	pthread_sigmask(SIG_BLOCK, &set, NULL);
	int rc = 0, started = 0;
	/* a key pair before the first request (none yet: the first start);
	 * a database that is down now leaves it to GET /v1/encryption_key */
	ctx *kc = app_ctx_new(cf);
	if (kc) {
		app_ctx_begin(kc);
		db_res *kr = db_exec(kc, "payd_key_newest", 0, NULL);
		if (!kr || (db_rows(kr) == 0 && key_make(kc) < 0))
			log_msg(LOG_WARN, NULL, "payd: no encryption key yet: %s",
			        kc->err_msg ? kc->err_msg : "?");
		db_request_end(kc->db);
		app_ctx_free(kc);
	}
	prefork_write_pidfile(cf->pidfile);
	pthread_t th[PAYD_MAX_THREADS];
	if ((listen_fd = unixsock_listen(path, 128)) < 0) {
		log_msg(LOG_ERROR, NULL, "payd: cannot listen on %s: %s", path, strerror(errno));
		rc = 1;
		goto out;
	}
	for (int i = 0; i < nthreads; i++)
		if (pthread_create(&th[started], NULL, server_main, NULL) == 0)
			started++;
	log_msg(LOG_INFO, NULL, "payd: serving %s with %d threads", path, started);
	while (!atomic_load(&stopping)) {
		struct timespec ts = {1, 0};
		int sig = sigtimedwait(&set, NULL, &ts);
		if (sig == SIGTERM || sig == SIGINT)
			atomic_store(&stopping, true);
	}
out:
	atomic_store(&stopping, true);
	for (int i = 0; i < started; i++)
		pthread_join(th[i], NULL);
	if (listen_fd >= 0) {
		close(listen_fd);
		unlink(path);
	}
	if (cf->pidfile)
		unlink(cf->pidfile);
	log_msg(LOG_INFO, NULL, "payd: stopped");
	return rc;
}
