/*
 * fq_inv.h - variable-time inversion in Fq and Fq2 (GMP's extended gcd), for
 * data that is not secret or whose timing does not matter beyond what the
 * caller already leaks (the MSM's batched bucket additions, which like every
 * Pippenger MSM are variable time anyway). ~20x faster than Fermat's
 * constant-time a^(q-2) in mont.h. Inverse of 0 is 0.
 */
#ifndef ZG_ZK_FQ_INV_H
#define ZG_ZK_FQ_INV_H

#include "zk/fq2.h"

void zg_fq_inv_vartime(zg_fq *r, const zg_fq *a);
void zg_fq2_inv_vartime(zg_fq2 *r, const zg_fq2 *a);

#endif
