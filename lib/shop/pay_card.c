/* pay_card: the checks of a typed card (digits, Luhn, brand, expiry, cvc). */
#include "shop/pay_card.h"

#include <stdio.h>
#include <string.h>

bool pay_luhn_ok(const char *d)
{
	size_t n = d ? strlen(d) : 0;
	if (n < 12 || n > 19)
		return false;
	int sum = 0;
	for (size_t i = 0; i < n; i++) {
		char ch = d[n - 1 - i];
		if (ch < '0' || ch > '9')
			return false;
		int v = ch - '0';
		if (i % 2 == 1) {
			v *= 2;
			if (v > 9)
				v -= 9;
		}
		sum += v;
	}
	return sum % 10 == 0;
}

static bool prefix_in(const char *d, int digits, int lo, int hi)
{
	int v = 0;
	for (int i = 0; i < digits; i++) {
		if (d[i] < '0' || d[i] > '9')
			return false;
		v = v * 10 + (d[i] - '0');
	}
	return v >= lo && v <= hi;
}

const char *pay_card_brand(const char *d)
{
	if (!d || strlen(d) < 4)
		return "card";
	if (d[0] == '4')
		return "visa";
	if (prefix_in(d, 2, 51, 55) || prefix_in(d, 4, 2221, 2720))
		return "mastercard";
	if (prefix_in(d, 2, 34, 34) || prefix_in(d, 2, 37, 37))
		return "amex";
	if (prefix_in(d, 4, 6011, 6011) || prefix_in(d, 2, 65, 65))
		return "discover";
	return "card";
}

int pay_card_check(ctx *c, const pay_card *card, int now_year, int now_month,
                   const char **digits, char last4[5])
{
	const char *num = card->number ? card->number : "";
	size_t n = strlen(num);
	if (n > 40)
		return ctx_fail_field(c, 400, "bad_card", "card_number", "payment.card_number is too long");
	char *d = arena_alloc(c->a, n + 1);
	if (!d)
		return ctx_fail(c, 500, "internal", "request too large");
	size_t k = 0;
	for (size_t i = 0; i < n; i++) {
		if (num[i] == ' ' || num[i] == '-')
			continue;
		if (num[i] < '0' || num[i] > '9')
			return ctx_fail_field(c, 400, "bad_card", "card_number", "payment.card_number must contain only digits");
		d[k++] = num[i];
	}
	d[k] = '\0';
	if (k < 12 || k > 19)
		return ctx_fail_field(c, 400, "bad_card", "card_number", "payment.card_number must have 12 to 19 digits");
	if (!pay_luhn_ok(d))
		return ctx_fail_field(c, 400, "bad_card", "card_number", "payment.card_number is not a valid card number");
	if (card->exp_month < 1 || card->exp_month > 12)
		return ctx_fail_field(c, 400, "bad_card", "exp_month", "payment.exp_month must be from 1 to 12");
	if (card->exp_year < 2000 || card->exp_year > 2100)
		return ctx_fail_field(c, 400, "bad_card", "exp_year", "payment.exp_year must be a four-digit year");
	if (card->exp_year < now_year || (card->exp_year == now_year && card->exp_month < now_month))
		return ctx_fail_field(c, 400, "bad_card", "exp_month", "the card has expired");
	const char *cvc = card->cvc ? card->cvc : "";
	size_t cl = strlen(cvc);
	bool cvc_ok = cl == 3 || cl == 4;
	for (size_t i = 0; i < cl; i++)
		cvc_ok = cvc_ok && cvc[i] >= '0' && cvc[i] <= '9';
	if (!cvc_ok)
		return ctx_fail_field(c, 400, "bad_card", "cvc", "payment.cvc must be 3 or 4 digits");
	if (digits)
		*digits = d;
	if (last4)
		snprintf(last4, 5, "%s", d + k - 4);
	return SOUK_OK;
}

const char *pay_test_decline(const char *digits)
{
	static const struct { const char *number, *code; } cards[] = {
		{"4000000000000002", "card_declined"},
		{"4000000000009995", "insufficient_funds"},
		{"4000000000000069", "expired_card"},
	};
	for (size_t i = 0; digits && i < sizeof(cards) / sizeof(cards[0]); i++)
		if (strcmp(digits, cards[i].number) == 0)
			return cards[i].code;
	return NULL;
}

const char *pay_decline_message(const char *code)
{
	if (!code)
		return NULL;
	if (strcmp(code, "card_declined") == 0)
		return "Your card was declined.";
	if (strcmp(code, "insufficient_funds") == 0)
		return "Your card has insufficient funds.";
	if (strcmp(code, "expired_card") == 0)
		return "Your card has expired.";
	return "The payment could not be completed.";
}
