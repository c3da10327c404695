/* ctl_flash: souk-ctl's flash-sale commands (create, pause, resume, end, show). */
#ifndef SOUK_CTL_FLASH_H
#define SOUK_CTL_FLASH_H

#include "core/ctx.h"

/* argv: what follows "flash". SOUK_OK, SOUK_ERR (failure in c), or 2 for
 * a usage error (printed). */
int ctl_flash(ctx *c, int argc, char **argv);

#endif
