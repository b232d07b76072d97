/*
 * fq2.c - the out-of-line part of Fq2 (see fq2.h).
 */
#include "zk/fq2.h"

void zg_fq2_pow(zg_fq2 *r, const zg_fq2 *a, const uint64_t *e, size_t n)
{
    zg_fq2 acc, base = *a;
    zg_fq2_one(&acc);
    for (size_t i = 0; i < n; i++)
        for (int b = 0; b < 64; b++) {
            if ((e[i] >> b) & 1) zg_fq2_mul(&acc, &acc, &base);
            zg_fq2_sqr(&base, &base);
        }
    *r = acc;
}
