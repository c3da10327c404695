/* pay_sandbox: the built-in test-mode card processor (stub). */
#include "payment.h"
