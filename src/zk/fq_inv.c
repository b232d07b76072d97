/*
 * fq_inv.c - variable-time Fq/Fq2 inversion (see fq_inv.h): Fq through
 * zg_mont_inv_vartime (GMP's extended gcd), Fq2 through the norm.
 */
#include "zk/fq_inv.h"

void zg_fq_inv_vartime(zg_fq *r, const zg_fq *a)
{
    zg_mont_inv_vartime(r->v, a->v, &zg_fq_field);
}

void zg_fq2_inv_vartime(zg_fq2 *r, const zg_fq2 *a)
{
    zg_fq n, t;
    zg_fq_sqr(&n, &a->c0);
    zg_fq_sqr(&t, &a->c1);
    zg_fq_add(&n, &n, &t);
    zg_fq_inv_vartime(&n, &n);
    zg_fq_mul(&r->c0, &a->c0, &n);
    zg_fq_mul(&t, &a->c1, &n);
    zg_fq_neg(&r->c1, &t);
}
