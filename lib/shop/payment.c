/* payment: the provider in use and those known by name, and payment
 * method tokens (the order-level helpers are in pay_ops.c). */
#include "shop/payment.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/log.h"

static const pay_provider *provider;   /* new payments (pay_choose) */
static const pay_provider *known[4];  /* those payments may have used */
static size_t nknown;

void pay_know(const pay_provider *pv)
{
	for (size_t i = 0; i < nknown; i++)
		if (known[i] == pv)
			return;
	if (nknown < sizeof(known) / sizeof(known[0]))
		known[nknown++] = pv;
}

void pay_use(const pay_provider *pv)
{
	pay_know(pv);
	provider = pv;
}

const pay_provider *pay_provider_get(void)
{
	if (!provider) { /* a program that never chose one: a bug, not an outage */
		log_msg(LOG_ERROR, NULL, "payment: no provider chosen (pay_choose at start)");
		abort();
	}
	return provider;
}

const pay_provider *pay_provider_named(const char *name)
{
	for (size_t i = 0; name && i < nknown; i++)
		if (strcmp(name, known[i]->name) == 0)
			return known[i];
	return pay_provider_get();
}

bool pay_token_ok(const char *t)
{
	size_t n = t ? strlen(t) : 0;
	if (n < 4 || n > 63 || strncmp(t, "pm_", 3) != 0)
		return false;
	for (size_t i = 3; i < n; i++)
		if (!((t[i] >= 'a' && t[i] <= 'z') || (t[i] >= 'A' && t[i] <= 'Z') ||
		      (t[i] >= '0' && t[i] <= '9') || t[i] == '_'))
			return false;
	return true;
}
