/* checkout_defer: finishes the authorizations a checkout deferred because
 * the provider could not be reached (the worker's payments job). */
#ifndef SOUK_CHECKOUT_DEFER_H
#define SOUK_CHECKOUT_DEFER_H

#include "core/ctx.h"

/* Registers the SQL it uses (checkout's, payment's); call once. */
void checkout_defer_register(void);

/* Runs up to `max` deferred authorizations that are due, each with no
 * transaction open: ask the provider again with the payment's own key
 * (auth:<order>: a provider that authorized before answers that first
 * result, never a second authorization), then checkout_decide with the
 * intent: approved -> CONFIRMED (billing captures on order.confirmed),
 * declined -> CANCELLED with the stock released and a payment.declined
 * event (the shopper's mail); an order the expiry cancelled meanwhile gets
 * its authorization voided. A provider still failing postpones the intent
 * (back-off); *ran counts the intents tried. SOUK_ERR only when the
 * database fails. */
int checkout_defer_run_due(ctx *c, int max, int *ran);

#endif
