/* pay_choose: picks the payment provider at start-up from SOUK_PAY_PROVIDER. */
#ifndef SOUK_PAY_CHOOSE_H
#define SOUK_PAY_CHOOSE_H

/* Makes the provider called `name` the one in use (pay_use) and registers
 * its SQL; call once at start, before the connection opens. Returns 0, or
 * -1 with an error logged naming the known providers when there is no
 * such provider: the program must then refuse to start. */
int pay_choose(const char *name);

/* pay_choose(SOUK_PAY_PROVIDER), default "sandbox". */
int pay_choose_configured(void);

#endif
