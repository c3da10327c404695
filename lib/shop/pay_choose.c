/* pay_choose: the table of payment providers, above payment.c and the providers. */
#include "shop/pay_choose.h"

#include <string.h>

#include "core/cfg.h"
#include "core/log.h"
#include "shop/pay_remote.h"
#include "shop/pay_sandbox.h"
#include "shop/payment.h"

/* Why a table: payment.c knows only the interface, so a provider (the
 * sandbox today, a separate provider process later) is added here alone. */
static const struct choice {
	const char *name;
	const pay_provider *pv;
	void (*register_sql)(void); /* may be NULL */
} choices[] = {
	{"sandbox", &pay_sandbox, pay_sandbox_register},
	{"payd", &pay_remote, NULL}, /* souk-payd, a separate process */
};
#define NCHOICES (sizeof(choices) / sizeof(choices[0]))

int pay_choose(const char *name)
{
	for (size_t i = 0; name && i < NCHOICES; i++)
		if (strcmp(name, choices[i].name) == 0) {
			/* every provider stays known by name: payments it made
			 * before a switch are still settled through it */
			for (size_t j = 0; j < NCHOICES; j++) {
				if (choices[j].register_sql)
					choices[j].register_sql();
				pay_know(choices[j].pv);
			}
			pay_use(choices[i].pv);
			return 0;
		}
	log_msg(LOG_ERROR, NULL, "payment: SOUK_PAY_PROVIDER=%s is not a known provider (sandbox, payd)",
	        name ? name : "");
	return -1;
}

int pay_choose_configured(void)
{
	return pay_choose(cfg_env_str("SOUK_PAY_PROVIDER", "sandbox"));
}
