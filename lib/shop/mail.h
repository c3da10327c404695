/* mail: RFC 5322 text/plain UTF-8 messages, written to files atomically. */
#ifndef SOUK_MAIL_H
#define SOUK_MAIL_H

#include <stdbool.h>
#include <time.h>

#include "core/buf.h"

/* One message. Every string is borrowed; names and subject may hold any
 * UTF-8 (CR/LF and other controls become spaces, so a customer's name can
 * never start a header of its own); addresses must pass mail_addr_ok. */
typedef struct mail {
	const char *from_name, *from_addr;
	const char *to_name, *to_addr;
	const char *subject;
	const char *message_id; /* without <>: [A-Za-z0-9.@_-], one '@' */
	time_t date;
	str body;               /* UTF-8 text with any line ends */
} mail;

/* A plain addr-spec we are willing to write: printable ASCII without
 * spaces, quotes, <>()[],;:\, exactly one '@' with text on both sides,
 * at most 254 bytes. */
bool mail_addr_ok(const char *addr);

/* Appends an unstructured header value (Subject): printable ASCII as is,
 * otherwise RFC 2047 encoded-words (=?UTF-8?B?...?=, at most 39 bytes of
 * text each, never splitting a character) folded with CRLF SP. */
int mail_header_text(buf *b, const char *text);

/* Appends a mailbox: `addr` alone, `"Name" <addr>` for plain ASCII names,
 * or `=?UTF-8?B?...?= <addr>`. -1 when addr is not mail_addr_ok. */
int mail_mailbox(buf *b, const char *name, const char *addr);

/* Appends an RFC 5322 date: "Sat, 28 Nov 2026 21:26:47 +0000" (UTC). */
int mail_date(buf *b, time_t t);

/* The whole message, CRLF line ends throughout, into out: Date, From, To,
 * Subject, Message-ID, MIME-Version, Content-Type text/plain; charset=utf-8,
 * Content-Transfer-Encoding 8bit, a blank line, the body (controls other
 * than TAB dropped, invalid UTF-8 as U+FFFD, lines folded under 998 bytes,
 * ending with CRLF). -1 (nothing useful in out) when an address or the
 * message id is invalid, or the buffer refused to grow. */
int mail_render(const mail *m, buf *out);

/* Writes data to dir/name via dir/.name.tmp, fsync and rename, so a reader
 * never sees half a message and a second write of the same name replaces
 * the first (one file per name). name: [A-Za-z0-9._-], no leading dot.
 * 0 on success, -1 on error (errno set). */
int mail_write_file(const char *dir, const char *name, str data);

#endif
