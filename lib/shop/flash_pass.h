/* flash_pass: the signed tokens of a flash sale (the ticket that keeps a
 * place in line, the pass that lets one buy), HMAC-SHA256 bound to the
 * caller (session or account). */
#ifndef SOUK_FLASH_PASS_H
#define SOUK_FLASH_PASS_H

#include <stdbool.h>
#include <stdint.h>

#include "core/arena.h"
#include "core/buf.h"

#define FLASH_SECRET_MIN 32 /* bytes of SOUK_FLASH_SECRET */

typedef enum flash_token_kind {
	FLASH_TICKET, /* n: 1 joined in the pre-queue, 0 after the start */
	FLASH_PASS,   /* n: expiry, unix seconds */
} flash_token_kind;

/* What a token says once its signature checked out. */
typedef struct flash_token {
	int64_t sale, ticket, n;
} flash_token;

/* "sale.ticket.n.<64 hex>" in the arena: the HMAC under secret over the
 * kind, the three numbers and caller (the cart_caller tag of the session
 * it belongs to). NULL when the arena or libcrypto refuses. */
const char *flash_token_sign(arena *a, str secret, flash_token_kind kind, const flash_token *t,
                             const char *caller);

/* true when tok is well-formed and signed for this kind and caller (a
 * constant-time compare); *out gets its numbers. Expiry is the caller's
 * business (flash_pass_live). */
bool flash_token_verify(arena *a, str secret, flash_token_kind kind, str tok, const char *caller,
                        flash_token *out);

/* A pass token that verifies and whose expiry is after now (unix s). */
bool flash_pass_live(arena *a, str secret, str tok, const char *caller, int64_t now,
                     flash_token *out);

/* The process's secret (SOUK_FLASH_SECRET), empty when unset or shorter
 * than FLASH_SECRET_MIN (the waiting room refuses to start). */
str flash_secret(void);

#endif
