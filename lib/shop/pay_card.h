/* pay_card: a card as the shopper typed it and its checks (Luhn, brand,
 * expiry, cvc), shared by the checkout forms and the providers. */
#ifndef SOUK_PAY_CARD_H
#define SOUK_PAY_CARD_H

#include <stdbool.h>

#include "core/ctx.h"

/* A card as the shopper typed it. Lives only for the request: never
 * stored, never logged; only brand and last 4 reach the database. */
typedef struct pay_card {
	const char *number;  /* digits, spaces and dashes allowed */
	int exp_month;       /* 1..12 */
	int exp_year;        /* four digits */
	const char *cvc;     /* 3 or 4 digits */
	const char *token;   /* the provider's payment method (pm_…); when set the
	                      * fields above are unused: the card was tokenised */
	const char *sealed;  /* the card sealed for the provider (pay_seal.h): the
	                      * provider tokenises it; the fields above are unused */
} pay_card;

/* Luhn checksum over a string of 12..19 digits (no separators). */
bool pay_luhn_ok(const char *digits);

/* "visa", "mastercard", "amex", "discover" or "card". */
const char *pay_card_brand(const char *digits);

/* Validates a card as of (now_year, now_month): number 12..19 digits after
 * removing spaces/dashes and Luhn-valid, expiry not in the past, month
 * 1..12, cvc 3-4 digits. 400 "bad_card" naming the field otherwise. On
 * success *digits is the normalised number (arena) and last4 is filled. */
int pay_card_check(ctx *c, const pay_card *card, int now_year, int now_month,
                   const char **digits, char last4[5]);

/* The test-mode numbers every sandbox provider honours (the in-database
 * sandbox and souk-payd): the decline code of a normalised number, or NULL
 * (approve). 4000 0000 0000 0002 card_declined, …9995 insufficient_funds,
 * …0069 expired_card. */
const char *pay_test_decline(const char *digits);

/* The shopper's sentence for a decline code (NULL for NULL). */
const char *pay_decline_message(const char *code);

#endif
