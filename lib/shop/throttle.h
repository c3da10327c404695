/* throttle: failure counters and locks in Redis that slow down password
 * guessing and card testing (keys "throttle:..."), and the fingerprints
 * in those keys (SHA-256; cards: HMAC-SHA-256 under a server secret). */
#ifndef SOUK_THROTTLE_H
#define SOUK_THROTTLE_H

#include <stdbool.h>

#include "core/ctx.h"

/* Sign-in back-off (docs/BUYING.md "Abuse limits"). An account: from the
 * 5th failure in a row, each failure locks it for 15 s, doubling, at most
 * 60 s (an attacker only slows the real user down). An address: from the
 * 10th failure in 15 minutes, 15 s doubling up to 15 minutes. */
#define THROTTLE_LOGIN_WINDOW 900
#define THROTTLE_LOGIN_ACCT_AFTER 5
#define THROTTLE_LOGIN_ACCT_MAX 60
#define THROTTLE_LOGIN_IP_AFTER 10
#define THROTTLE_LOGIN_IP_MAX 900
#define THROTTLE_LOGIN_BASE 15

/* Card testing: 5 declined payments in 10 minutes from one session (cart),
 * address or card refuse further payments until the window ends. */
#define THROTTLE_DECLINE_WINDOW 600
#define THROTTLE_DECLINE_AFTER 5

/* Lower-case hex SHA-256 of data (digest_sha256_hex), 64 chars in the
 * arena; NULL when libcrypto fails. */
const char *throttle_sha256_hex(arena *a, str data);

/* The card's fingerprint: HMAC-SHA-256 under key (the server secret,
 * cfg fingerprint_key) of the number's digits, separators ignored; 64 hex
 * chars in the arena, NULL on failure. A bare hash would not do: the
 * numbers of a card range are few enough to hash them all and read the
 * card back out of a Redis key. */
const char *throttle_card_fingerprint(arena *a, const char *card_number,
                                      const unsigned char *key, size_t klen);

/* The key part for a client address: the address itself when it looks
 * like IPv4/IPv6 (so an operator can find and delete it), else its hash. */
const char *throttle_addr_part(arena *a, str addr);

/* "throttle:<kind>:<part>" in the arena. */
const char *throttle_key(arena *a, const char *kind, const char *part);

/* Seconds until the longest-lasting of keys[0..n) that holds a count of
 * at least `at_least` expires; 0 when none does; -1 when Redis is down. */
int throttle_wait(ctx *c, int n, const char *const *keys, long long at_least);

/* Counts one event in `key` and returns the new count (-1 Redis down).
 * sliding: every event renews the window; else the first one starts it. */
long long throttle_hit(ctx *c, const char *key, int window, bool sliding);

/* Stores count under `key` for `seconds` (a lock throttle_wait sees). */
int throttle_lock(ctx *c, const char *key, long long count, int seconds);

/* Deletes keys (a successful sign-in forgets the account's failures). */
void throttle_forget(ctx *c, int n, const char *const *keys);

/* The back-off for the count-th failure: 0 below `after`, else base
 * doubling with every further failure, at most max seconds. */
int throttle_backoff(long long count, int after, int base, int max);

/* Card testing, for checkout_place. The fingerprint keys of a payment:
 * the cart (a guest's session, an account's or an API cart), the client
 * address and the card's fingerprint (throttle_card_fingerprint with the
 * configured secret; never the number).
 * keys must hold 3 entries. -1 (nothing filled) when hashing fails. */
int throttle_card_keys(ctx *c, const char *cart_id, const char *card_number,
                       const char *keys[3]);
/* 429 with Retry-After when any of the keys saw THROTTLE_DECLINE_AFTER
 * declines in the window; SOUK_OK otherwise (also when Redis is down: the
 * checkout that follows needs Redis and answers 503 itself). */
int throttle_card_check(ctx *c, const char *const keys[3]);
/* Counts one decline under every key. */
void throttle_card_declined(ctx *c, const char *const keys[3]);

#endif
