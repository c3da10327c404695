/* mail: rendering RFC 5322 messages (RFC 2047 headers) and atomic .eml files. */
#include "shop/mail.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#define WORD_BYTES 39   /* text per encoded-word: 52 base64 chars, 64 in all */
#define BODY_FOLD 990   /* RFC 5322 allows 998 octets per line */

static const char b64[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

/* Length of the valid UTF-8 sequence at p (1-4), 0 when invalid. */
static size_t utf8_len(const unsigned char *p, size_t left)
{
	unsigned char c = p[0];
	size_t n;
	unsigned min;
	unsigned cp;
	if (c < 0x80)
		return 1;
	if (c >= 0xC2 && c <= 0xDF)
		n = 2, min = 0x80, cp = c & 0x1F;
	else if (c >= 0xE0 && c <= 0xEF)
		n = 3, min = 0x800, cp = c & 0x0F;
	else if (c >= 0xF0 && c <= 0xF4)
		n = 4, min = 0x10000, cp = c & 0x07;
	else
		return 0;
	if (left < n)
		return 0;
	for (size_t i = 1; i < n; i++) {
		if ((p[i] & 0xC0) != 0x80)
			return 0;
		cp = (cp << 6) | (p[i] & 0x3F);
	}
	if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF))
		return 0;
	return n;
}

/* A header-safe copy: controls become spaces, invalid UTF-8 U+FFFD. */
static char *clean_text(arena *a, const char *s)
{
	buf b;
	buf_init(&b, a, 0);
	buf_puts(&b, "");
	const unsigned char *p = (const unsigned char *)(s ? s : "");
	size_t left = strlen((const char *)p);
	while (left) {
		size_t n = utf8_len(p, left);
		if (n == 0) {
			buf_puts(&b, "\xEF\xBF\xBD");
			n = 1;
		} else if (n == 1 && (*p < 0x20 || *p == 0x7F)) {
			buf_putc(&b, ' ');
		} else {
			buf_append(&b, p, n);
		}
		p += n;
		left -= n;
	}
	return b.failed ? NULL : b.p;
}

static bool plain_ascii(const char *s, size_t max)
{
	size_t n = strlen(s);
	if (n > max || strstr(s, "=?"))
		return false;
	for (const unsigned char *p = (const unsigned char *)s; *p; p++)
		if (*p < 0x20 || *p > 0x7E)
			return false;
	return true;
}

static void b64_append(buf *b, const unsigned char *p, size_t n)
{
	for (size_t i = 0; i < n; i += 3) {
		unsigned v = (unsigned)p[i] << 16;
		if (i + 1 < n)
			v |= (unsigned)p[i + 1] << 8;
		if (i + 2 < n)
			v |= p[i + 2];
		char q[4] = {b64[(v >> 18) & 63], b64[(v >> 12) & 63],
		             i + 1 < n ? b64[(v >> 6) & 63] : '=', i + 2 < n ? b64[v & 63] : '='};
		buf_append(b, q, 4);
	}
}

/* Encoded-words for clean UTF-8 text, folded between words. */
static void encoded_words(buf *b, const char *s)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t left = strlen(s);
	bool first = true;
	while (left) {
		size_t take = 0;
		while (take < left) {
			size_t n = utf8_len(p + take, left - take);
			if (n == 0)
				n = 1; /* cannot happen after clean_text */
			if (take + n > WORD_BYTES)
				break;
			take += n;
		}
		if (!first)
			buf_puts(b, "\r\n ");
		buf_puts(b, "=?UTF-8?B?");
		b64_append(b, p, take);
		buf_puts(b, "?=");
		first = false;
		p += take;
		left -= take;
	}
}

bool mail_addr_ok(const char *addr)
{
	if (!addr)
		return false;
	size_t n = strlen(addr);
	const char *at = strchr(addr, '@');
	if (n == 0 || n > 254 || !at || at == addr || at[1] == '\0' || strchr(at + 1, '@'))
		return false;
	for (const unsigned char *p = (const unsigned char *)addr; *p; p++)
		if (*p <= 0x20 || *p >= 0x7F || strchr("\"<>()[],;:\\", *p))
			return false;
	return true;
}

int mail_header_text(buf *b, const char *text)
{
	char *t = clean_text(b->a, text);
	if (!t)
		return -1;
	if (plain_ascii(t, 900))
		buf_puts(b, t);
	else
		encoded_words(b, t);
	return b->failed ? -1 : 0;
}

int mail_mailbox(buf *b, const char *name, const char *addr)
{
	if (!mail_addr_ok(addr))
		return -1;
	char *t = clean_text(b->a, name);
	if (!t)
		return -1;
	if (*t == '\0') {
		buf_puts(b, addr);
		return b->failed ? -1 : 0;
	}
	if (plain_ascii(t, 70)) {
		buf_putc(b, '"');
		for (const char *p = t; *p; p++) {
			if (*p == '"' || *p == '\\')
				buf_putc(b, '\\');
			buf_putc(b, *p);
		}
		buf_putc(b, '"');
	} else {
		encoded_words(b, t);
	}
	buf_printf(b, " <%s>", addr);
	return b->failed ? -1 : 0;
}

int mail_date(buf *b, time_t t)
{
	static const char *const days[] = {"Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"};
	static const char *const months[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
	                                     "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
	struct tm tm;
	if (!gmtime_r(&t, &tm))
		return -1;
	return buf_printf(b, "%s, %02d %s %04d %02d:%02d:%02d +0000", days[tm.tm_wday % 7],
	                  tm.tm_mday, months[tm.tm_mon % 12], tm.tm_year + 1900, tm.tm_hour,
	                  tm.tm_min, tm.tm_sec);
}

static bool msgid_ok(const char *id)
{
	if (!id || !*id || strlen(id) > 200 || !strchr(id, '@'))
		return false;
	for (const char *p = id; *p; p++)
		if (!((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') ||
		      (*p >= '0' && *p <= '9') || strchr(".@_-", *p)))
			return false;
	return true;
}

/* The body with CRLF line ends, no controls but TAB, valid UTF-8, and no
 * line over BODY_FOLD bytes; ends with CRLF. */
static void body_append(buf *b, str body)
{
	const unsigned char *p = (const unsigned char *)body.p;
	size_t left = body.len, line = 0;
	while (left) {
		if (*p == '\r' || *p == '\n') {
			size_t n = (*p == '\r' && left > 1 && p[1] == '\n') ? 2 : 1;
			buf_puts(b, "\r\n");
			line = 0;
			p += n;
			left -= n;
			continue;
		}
		size_t n = utf8_len(p, left);
		const char *out = (const char *)p;
		size_t outn = n;
		if (n == 0) {
			out = "\xEF\xBF\xBD";
			outn = 3;
			n = 1;
		} else if (n == 1 && ((*p < 0x20 && *p != '\t') || *p == 0x7F)) {
			outn = 0;
		}
		if (outn && line + outn > BODY_FOLD) {
			buf_puts(b, "\r\n");
			line = 0;
		}
		buf_append(b, out, outn);
		line += outn;
		p += n;
		left -= n;
	}
	if (b->len < 2 || memcmp(b->p + b->len - 2, "\r\n", 2) != 0)
		buf_puts(b, "\r\n");
}

int mail_render(const mail *m, buf *out)
{
	if (!mail_addr_ok(m->from_addr) || !mail_addr_ok(m->to_addr) || !msgid_ok(m->message_id))
		return -1;
	buf_puts(out, "Date: ");
	mail_date(out, m->date);
	buf_puts(out, "\r\nFrom: ");
	mail_mailbox(out, m->from_name, m->from_addr);
	buf_puts(out, "\r\nTo: ");
	mail_mailbox(out, m->to_name, m->to_addr);
	buf_puts(out, "\r\nSubject: ");
	mail_header_text(out, m->subject);
	buf_printf(out, "\r\nMessage-ID: <%s>\r\n", m->message_id);
	buf_puts(out, "MIME-Version: 1.0\r\n"
	              "Content-Type: text/plain; charset=utf-8\r\n"
	              "Content-Transfer-Encoding: 8bit\r\n"
	              "\r\n");
	body_append(out, m->body);
	return out->failed ? -1 : 0;
}

static bool file_name_ok(const char *name)
{
	if (!name || !*name || name[0] == '.' || strlen(name) > 200)
		return false;
	for (const char *p = name; *p; p++)
		if (!((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') ||
		      (*p >= '0' && *p <= '9') || strchr("._-", *p)))
			return false;
	return true;
}

int mail_write_file(const char *dir, const char *name, str data)
{
	char path[4096], tmp[4096];
	if (!file_name_ok(name) ||
	    snprintf(path, sizeof(path), "%s/%s", dir, name) >= (int)sizeof(path) ||
	    snprintf(tmp, sizeof(tmp), "%s/.%s.tmp", dir, name) >= (int)sizeof(tmp)) {
		errno = EINVAL;
		return -1;
	}
	int fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	if (fd < 0)
		return -1;
	size_t off = 0;
	while (off < data.len) {
		ssize_t w = write(fd, data.p + off, data.len - off);
		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0)
			goto fail;
		off += (size_t)w;
	}
	if (fsync(fd) < 0)
		goto fail;
	if (close(fd) < 0) {
		fd = -1;
		goto fail;
	}
	if (rename(tmp, path) < 0) {
		int e = errno;
		unlink(tmp);
		errno = e;
		return -1;
	}
	return 0;
fail:;
	int e = errno;
	if (fd >= 0)
		close(fd);
	unlink(tmp);
	errno = e;
	return -1;
}
