/*
 * base/amount.h - ether amounts with units, exact to the wei.
 *
 * Accepted: "<int>[.<frac>][ ]<unit>" with unit eth|ether (18 decimals),
 * gwei (9) or wei (0), case-insensitive; a plain integer ("123", or "0x7b")
 * means wei. Decimals beyond what the unit allows ("1.5wei",
 * "0.0000000001gwei") are rejected rather than rounded, since an amount that
 * silently changes is worse than an error.
 */
#ifndef ZG_BASE_AMOUNT_H
#define ZG_BASE_AMOUNT_H

#include "base/u256.h"
#include "zg/error.h"

#define ZG_AMOUNT_STR_MAX 96

/* Parses an amount into wei. ZG_EINVAL (malformed, unknown unit, too many
 * decimals), ZG_ERANGE (more than 2^256-1 wei). */
int zg_amount_parse(const char *s, zg_u256 *wei, zg_err *e);

/* Formats exactly, with the largest readable unit and no trailing zeros:
 * below 1 gwei "N wei"; below 0.001 eth "X gwei"; else "X eth"
 * (e.g. "1.5 eth", "20 gwei", "7 wei", "0 eth"). zg_amount_parse reads the
 * result back to the same value. */
void zg_amount_format(const zg_u256 *wei, char out[ZG_AMOUNT_STR_MAX]);

#endif
