/* test_mail: RFC 5322 rendering, RFC 2047 headers, header injection, atomic files. */
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "shop/mail.h"
#include "tests.h"

/* 2026-11-26 21:26:47 UTC, a Thursday */
#define T0 ((time_t)1795728407)

static mail sample(void)
{
	return (mail){.from_name = "Souk",
	              .from_addr = "orders@souk.example",
	              .to_name = "Ada Lovelace",
	              .to_addr = "ada@example.com",
	              .subject = "Your order SK-1 is confirmed",
	              .message_id = "event-42.SK-1@souk.example",
	              .date = T0,
	              .body = STR("Hello Ada,\nline two\r\nline three\rend")};
}

static const char *render(const mail *m)
{
	buf b;
	buf_init(&b, t_a, 0);
	return mail_render(m, &b) == 0 ? b.p : NULL;
}

/* Decodes one =?UTF-8?B?...?= word at p into out; returns the text after
 * it or NULL. */
static const char *decode_word(const char *p, buf *out)
{
	if (strncmp(p, "=?UTF-8?B?", 10) != 0)
		return NULL;
	p += 10;
	const char *end = strstr(p, "?=");
	if (!end)
		return NULL;
	unsigned v = 0;
	int bits = 0;
	for (; p < end; p++) {
		const char *k = strchr("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/",
		                       *p);
		if (*p == '=')
			break;
		if (!k || !*p)
			return NULL;
		v = (v << 6) | (unsigned)(k - "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/");
		bits += 6;
		if (bits >= 8) {
			bits -= 8;
			buf_putc(out, (char)((v >> bits) & 0xFF));
		}
	}
	return end + 2;
}

/* Decodes a folded run of encoded-words ("w1\r\n w2 ...") up to stop. */
static char *decode_words(const char *p, const char *stop, int *nwords, size_t *longest)
{
	buf out;
	buf_init(&out, t_a, 0);
	buf_puts(&out, "");
	*nwords = 0;
	*longest = 0;
	while (p && p < stop) {
		const char *q = decode_word(p, &out);
		if (!q)
			return NULL;
		if ((size_t)(q - p) > *longest)
			*longest = (size_t)(q - p);
		(*nwords)++;
		p = q;
		if (strncmp(p, "\r\n ", 3) == 0)
			p += 3;
		else
			break;
	}
	return out.p;
}

static void test_addr_ok(void)
{
	CU_ASSERT(mail_addr_ok("ada@example.com"));
	CU_ASSERT(mail_addr_ok("a.b+tag@sub.example.org"));
	CU_ASSERT(!mail_addr_ok(NULL));
	CU_ASSERT(!mail_addr_ok(""));
	CU_ASSERT(!mail_addr_ok("no-at-sign"));
	CU_ASSERT(!mail_addr_ok("@example.com"));
	CU_ASSERT(!mail_addr_ok("ada@"));
	CU_ASSERT(!mail_addr_ok("a@b@c"));
	CU_ASSERT(!mail_addr_ok("ada@example.com\r\nBcc: eve@evil.example"));
	CU_ASSERT(!mail_addr_ok("ada lovelace@example.com"));
	CU_ASSERT(!mail_addr_ok("<ada@example.com>"));
	CU_ASSERT(!mail_addr_ok("ad\xC3\xA4@example.com"));
}

static void test_headers_exact(void)
{
	mail m = sample();
	const char *t = render(&m);
	CU_ASSERT_PTR_NOT_NULL_FATAL(t);
	const char *want = "Date: Thu, 26 Nov 2026 21:26:47 +0000\r\n"
	                   "From: \"Souk\" <orders@souk.example>\r\n"
	                   "To: \"Ada Lovelace\" <ada@example.com>\r\n"
	                   "Subject: Your order SK-1 is confirmed\r\n"
	                   "Message-ID: <event-42.SK-1@souk.example>\r\n"
	                   "MIME-Version: 1.0\r\n"
	                   "Content-Type: text/plain; charset=utf-8\r\n"
	                   "Content-Transfer-Encoding: 8bit\r\n"
	                   "\r\n"
	                   "Hello Ada,\r\nline two\r\nline three\r\nend\r\n";
	ASSERT_CSTR(t, want);
}

static void test_crlf_everywhere(void)
{
	mail m = sample();
	m.body = STR("a\n\nb\r\r\nc\x01\x7f\td\n");
	const char *t = render(&m);
	CU_ASSERT_PTR_NOT_NULL_FATAL(t);
	for (const char *p = t; *p; p++) {
		if (*p == '\n')
			CU_ASSERT(p > t && p[-1] == '\r');
		if (*p == '\r')
			CU_ASSERT(p[1] == '\n');
	}
	const char *body = strstr(t, "\r\n\r\n");
	CU_ASSERT_PTR_NOT_NULL_FATAL(body);
	ASSERT_CSTR(body + 4, "a\r\n\r\nb\r\n\r\nc\td\r\n");
}

static void test_non_ascii_name_and_subject(void)
{
	mail m = sample();
	m.to_name = "Zo\xC3\xAB M\xC3\xBCller";
	/* 26 two-byte characters: more than one encoded-word's worth */
	m.subject = "Ihre Bestellung: \xC3\xA4\xC3\xB6\xC3\xBC\xC3\xA4\xC3\xB6\xC3\xBC\xC3\xA4\xC3\xB6"
	            "\xC3\xBC\xC3\xA4\xC3\xB6\xC3\xBC\xC3\xA4\xC3\xB6\xC3\xBC\xC3\xA4\xC3\xB6\xC3\xBC"
	            "\xC3\xA4\xC3\xB6\xC3\xBC\xC3\xA4\xC3\xB6\xC3\xBC\xC3\xA4\xC3\xB6 \xE2\x82\xAC 12";
	const char *t = render(&m);
	CU_ASSERT_PTR_NOT_NULL_FATAL(t);
	const char *to = strstr(t, "\r\nTo: ");
	CU_ASSERT_PTR_NOT_NULL_FATAL(to);
	CU_ASSERT(strncmp(to, "\r\nTo: =?UTF-8?B?Wm/DqyBNw7xsbGVy?= <ada@example.com>\r\n", 54) == 0);

	const char *subj = strstr(t, "\r\nSubject: ");
	const char *next = strstr(t, "\r\nMessage-ID: ");
	CU_ASSERT_PTR_NOT_NULL_FATAL(subj);
	CU_ASSERT_PTR_NOT_NULL_FATAL(next);
	int words;
	size_t longest;
	char *dec = decode_words(subj + 11, next, &words, &longest);
	CU_ASSERT_PTR_NOT_NULL_FATAL(dec);
	ASSERT_CSTR(dec, m.subject);
	CU_ASSERT(words >= 2);   /* folded */
	CU_ASSERT(longest <= 75); /* RFC 2047 limit per encoded-word */
	/* no raw 8-bit byte anywhere in the header block */
	for (const char *p = t; p < strstr(t, "\r\n\r\n"); p++)
		CU_ASSERT((unsigned char)*p < 0x80);
}

static void test_words_never_split_a_character(void)
{
	buf b;
	buf_init(&b, t_a, 0);
	/* 20 x a three-byte character (60 bytes): 39 is not a multiple of 3 */
	char s[64] = "";
	for (int i = 0; i < 20; i++)
		memcpy(s + i * 3, "\xE2\x82\xAC", 3);
	CU_ASSERT_EQUAL(mail_header_text(&b, s), 0);
	/* each word decodes to whole characters */
	const char *p = b.p;
	int words = 0;
	while (p && *p) {
		buf one;
		buf_init(&one, t_a, 0);
		buf_puts(&one, "");
		p = decode_word(p, &one);
		CU_ASSERT_PTR_NOT_NULL_FATAL(p);
		CU_ASSERT_EQUAL(one.len % 3, 0);
		CU_ASSERT(one.len > 0 && memcmp(one.p, "\xE2\x82\xAC", 3) == 0);
		words++;
		if (strncmp(p, "\r\n ", 3) == 0)
			p += 3;
	}
	CU_ASSERT_EQUAL(words, 2);
}

static void test_no_header_injection(void)
{
	mail m = sample();
	m.to_name = "Eve\r\nBcc: victim@example.com";
	m.subject = "Hi\nX-Injected: yes";
	const char *t = render(&m);
	CU_ASSERT_PTR_NOT_NULL_FATAL(t);
	CU_ASSERT_PTR_NULL(strstr(t, "\r\nBcc:"));
	CU_ASSERT_PTR_NULL(strstr(t, "\nX-Injected"));
	CU_ASSERT_PTR_NOT_NULL(strstr(t, "To: \"Eve  Bcc: victim@example.com\" <ada@example.com>\r\n"));
	CU_ASSERT_PTR_NOT_NULL(strstr(t, "Subject: Hi X-Injected: yes\r\n"));
	/* exactly eight header fields start a line before the blank line */
	const char *end = strstr(t, "\r\n\r\n");
	int fields = 1;
	for (const char *p = t; p < end; p++)
		if (p[0] == '\r' && p[1] == '\n' && p[2] != ' ' && p[2] != '\t')
			fields++;
	CU_ASSERT_EQUAL(fields, 8);
}

static void test_quoting_and_encoded_lookalikes(void)
{
	buf b;
	buf_init(&b, t_a, 0);
	CU_ASSERT_EQUAL(mail_mailbox(&b, "A \"B\" \\ C", "a@b.example"), 0);
	ASSERT_CSTR(b.p, "\"A \\\"B\\\" \\\\ C\" <a@b.example>");
	buf_init(&b, t_a, 0);
	CU_ASSERT_EQUAL(mail_mailbox(&b, NULL, "a@b.example"), 0);
	ASSERT_CSTR(b.p, "a@b.example");
	buf_init(&b, t_a, 0);
	CU_ASSERT_EQUAL(mail_mailbox(&b, "x", "bad address@b"), -1);
	/* text that looks like an encoded-word is encoded, not passed raw */
	buf_init(&b, t_a, 0);
	CU_ASSERT_EQUAL(mail_header_text(&b, "=?UTF-8?B?SGk=?="), 0);
	CU_ASSERT(strncmp(b.p, "=?UTF-8?B?PT9VVEYtOD9CP1NHaz0/PQ==?=", 36) == 0);
	/* invalid UTF-8 becomes U+FFFD, still encoded */
	buf_init(&b, t_a, 0);
	CU_ASSERT_EQUAL(mail_header_text(&b, "a\xFF"), 0);
	ASSERT_CSTR(b.p, "=?UTF-8?B?Ye+/vQ==?=");
}

static void test_bad_input_refused(void)
{
	mail m = sample();
	m.to_addr = "ada@example.com\nBcc: x@y";
	CU_ASSERT_PTR_NULL(render(&m));
	m = sample();
	m.message_id = "x>\r\nBcc: a@b";
	CU_ASSERT_PTR_NULL(render(&m));
	m = sample();
	m.from_addr = NULL;
	CU_ASSERT_PTR_NULL(render(&m));
}

static void test_long_body_lines_folded(void)
{
	mail m = sample();
	size_t n = 2500;
	char *long_line = arena_alloc(t_a, n + 1);
	memset(long_line, 'x', n);
	long_line[n] = '\0';
	m.body = (str){long_line, n};
	const char *t = render(&m);
	CU_ASSERT_PTR_NOT_NULL_FATAL(t);
	size_t line = 0, xs = 0;
	const char *body = strstr(t, "\r\n\r\n");
	CU_ASSERT_PTR_NOT_NULL_FATAL(body);
	for (const char *p = body + 4; *p; p++) {
		if (*p == '\r' && p[1] == '\n') {
			CU_ASSERT(line <= 998);
			line = 0;
			p++;
			continue;
		}
		line++;
		xs += *p == 'x';
	}
	CU_ASSERT_EQUAL(xs, n); /* nothing lost */
}

static void test_write_file_atomic(void)
{
	char dir[] = "/tmp/souk-mail-XXXXXX";
	CU_ASSERT_PTR_NOT_NULL_FATAL(mkdtemp(dir));
	CU_ASSERT_EQUAL(mail_write_file(dir, "event-1.eml", STR("first\r\n")), 0);
	CU_ASSERT_EQUAL(mail_write_file(dir, "event-1.eml", STR("second\r\n")), 0);
	CU_ASSERT_EQUAL(mail_write_file(dir, "../escape.eml", STR("x")), -1);
	CU_ASSERT_EQUAL(errno, EINVAL);
	CU_ASSERT_EQUAL(mail_write_file(dir, ".hidden", STR("x")), -1);
	CU_ASSERT_EQUAL(mail_write_file("/nonexistent/souk", "a.eml", STR("x")), -1);
	int files = 0;
	DIR *d = opendir(dir);
	struct dirent *e;
	while (d && (e = readdir(d))) {
		if (e->d_name[0] == '.' && (e->d_name[1] == '\0' || strcmp(e->d_name, "..") == 0))
			continue;
		files++;
		ASSERT_CSTR(e->d_name, "event-1.eml");
	}
	if (d)
		closedir(d);
	CU_ASSERT_EQUAL(files, 1); /* no temp file left, one file per name */
	char path[256], text[64] = "";
	snprintf(path, sizeof(path), "%s/event-1.eml", dir);
	FILE *f = fopen(path, "rb");
	size_t got = f ? fread(text, 1, sizeof(text) - 1, f) : 0;
	text[got] = '\0';
	if (f)
		fclose(f);
	ASSERT_CSTR(text, "second\r\n");
	unlink(path);
	rmdir(dir);
}

void add_mail_tests(void)
{
	CU_pSuite s = CU_add_suite("mail", t_arena_setup, t_arena_teardown);
	CU_add_test(s, "addresses: plain addr-specs only", test_addr_ok);
	CU_add_test(s, "headers exact, CRLF, body line ends", test_headers_exact);
	CU_add_test(s, "every line ends CRLF; controls dropped", test_crlf_everywhere);
	CU_add_test(s, "non-ASCII name and subject: RFC 2047, folded", test_non_ascii_name_and_subject);
	CU_add_test(s, "encoded-words never split a character", test_words_never_split_a_character);
	CU_add_test(s, "CR/LF in a name or subject cannot add a header", test_no_header_injection);
	CU_add_test(s, "quoted names, encoded-word lookalikes, bad UTF-8", test_quoting_and_encoded_lookalikes);
	CU_add_test(s, "bad addresses and message ids refused", test_bad_input_refused);
	CU_add_test(s, "long body lines folded under 998 bytes", test_long_body_lines_folded);
	CU_add_test(s, "files written atomically, one per name", test_write_file_atomic);
}
