/* flash_pass: signing and checking the sale's ticket and pass tokens. */
#include "shop/flash_pass.h"

#include <string.h>

#include "core/cfg.h"
#include "core/digest.h"

static const char hexd[] = "0123456789abcdef";

/* The signed message: every field length-delimited by '|', so no two
 * tokens share one. */
static int mac(arena *a, str secret, flash_token_kind kind, const flash_token *t,
               const char *caller, unsigned char out[DIGEST_HMAC_LEN])
{
	buf m;
	buf_init(&m, a, 512);
	buf_printf(&m, "%s|%lld|%lld|%lld|%s", kind == FLASH_PASS ? "pass" : "ticket",
	           (long long)t->sale, (long long)t->ticket, (long long)t->n, caller ? caller : "");
	if (m.failed)
		return -1;
	return digest_hmac_sha256(secret.p, secret.len, m.p, m.len, out);
}

const char *flash_token_sign(arena *a, str secret, flash_token_kind kind, const flash_token *t,
                             const char *caller)
{
	unsigned char h[DIGEST_HMAC_LEN];
	if (secret.len == 0 || mac(a, secret, kind, t, caller, h) < 0)
		return NULL;
	buf b;
	buf_init(&b, a, 256);
	buf_printf(&b, "%lld.%lld.%lld.", (long long)t->sale, (long long)t->ticket, (long long)t->n);
	for (int i = 0; i < DIGEST_HMAC_LEN; i++) {
		buf_putc(&b, hexd[h[i] >> 4]);
		buf_putc(&b, hexd[h[i] & 15]);
	}
	return b.failed ? NULL : b.p;
}

/* One dot-terminated non-negative number of tok from *pos. */
static bool number(str tok, size_t *pos, int64_t *out)
{
	size_t s = *pos, e = s;
	while (e < tok.len && tok.p[e] != '.')
		e++;
	if (e == s || e >= tok.len || e - s > 18)
		return false;
	for (size_t i = s; i < e; i++)
		if (tok.p[i] < '0' || tok.p[i] > '9')
			return false;
	if (str_to_i64((str){tok.p + s, e - s}, 0, INT64_MAX, out) < 0)
		return false;
	*pos = e + 1;
	return true;
}

static int unhex(char ch)
{
	if (ch >= '0' && ch <= '9')
		return ch - '0';
	if (ch >= 'a' && ch <= 'f')
		return ch - 'a' + 10;
	return -1;
}

bool flash_token_verify(arena *a, str secret, flash_token_kind kind, str tok, const char *caller,
                        flash_token *out)
{
	flash_token t;
	size_t pos = 0;
	if (secret.len == 0 || tok.len > 128 || !number(tok, &pos, &t.sale) ||
	    !number(tok, &pos, &t.ticket) || !number(tok, &pos, &t.n) ||
	    tok.len - pos != 2 * DIGEST_HMAC_LEN)
		return false;
	unsigned char given[DIGEST_HMAC_LEN], want[DIGEST_HMAC_LEN];
	for (int i = 0; i < DIGEST_HMAC_LEN; i++) {
		int hi = unhex(tok.p[pos + 2 * i]), lo = unhex(tok.p[pos + 2 * i + 1]);
		if (hi < 0 || lo < 0)
			return false;
		given[i] = (unsigned char)(hi << 4 | lo);
	}
	if (mac(a, secret, kind, &t, caller, want) < 0 || !digest_equal(given, want, sizeof(want)))
		return false;
	if (out)
		*out = t;
	return true;
}

bool flash_pass_live(arena *a, str secret, str tok, const char *caller, int64_t now,
                     flash_token *out)
{
	flash_token t;
	if (!flash_token_verify(a, secret, FLASH_PASS, tok, caller, &t) || t.n <= now)
		return false;
	if (out)
		*out = t;
	return true;
}

str flash_secret(void)
{
	const char *s = cfg_env_str("SOUK_FLASH_SECRET", "");
	size_t n = strlen(s);
	return n >= FLASH_SECRET_MIN ? (str){s, n} : (str){"", 0};
}
