/* postal: postal codes checked against the format of the country they are for. */
#ifndef SOUK_POSTAL_H
#define SOUK_POSTAL_H

#include <stdbool.h>

/* Whether `code` (as typed: any case, spaces around, the inner space
 * optional) is a well-formed postal code of `country` (ISO 3166 alpha-2).
 * *example is set to how the country writes one ("12345 or 12345-6789",
 * "SW1A 1AA") for the message, or NULL for a country Souk knows no
 * format of, whose codes are then only checked for letters, digits,
 * spaces and hyphens. */
bool postal_valid(const char *country, const char *code, const char **example);

#endif
