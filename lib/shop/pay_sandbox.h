/* pay_sandbox: the built-in test-mode card processor. */
#ifndef SOUK_PAY_SANDBOX_H
#define SOUK_PAY_SANDBOX_H

#include "shop/pay_provider.h"

/* A card processor's test mode with its state in PostgreSQL (tables
 * pay_sandbox_*): 4242 4242 4242 4242 approves, 4000 0000 0000 0002
 * declines (card_declined), 4000 0000 0000 9995 declines
 * (insufficient_funds), 4000 0000 0000 0069 (expired_card); any other
 * Luhn-valid number approves. */
extern const pay_provider pay_sandbox;

/* Registers the sandbox's SQL; call before the connection opens. */
void pay_sandbox_register(void);

#endif
