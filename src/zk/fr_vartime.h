/*
 * zk/fr_vartime.h - faster variable-time Fr operations for public values
 * (owner h4; added beside the lead's fr.h, which is constant time). Used to
 * decode points and verify signatures, where nothing is secret.
 */
#ifndef ZG_ZK_FR_VARTIME_H
#define ZG_ZK_FR_VARTIME_H

#include "zk/fr.h"

/* r = a^e (e: 4 little-endian limbs), 4-bit sliding window. Vartime. */
void zg_fr_pow_vartime(zg_fr *r, const zg_fr *a, const uint64_t e[4]);

/* r = a^-1 (0 for 0), through GMP's extended gcd. Vartime. */
void zg_fr_inv_vartime(zg_fr *r, const zg_fr *a);

/* When u/v is a square (v != 0): sets x to a square root of u/v and returns
 * 1; otherwise returns 0. One exponentiation, no inversion (the fused
 * Tonelli-Shanks of RFC 9380 appendix F.2.1.1, variable-time loop). */
int zg_fr_sqrt_ratio_vartime(zg_fr *x, const zg_fr *u, const zg_fr *v);

#endif
