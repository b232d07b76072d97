/*
 * fq_inv.c - variable-time Fq/Fq2 inversion via GMP (see fq_inv.h).
 *
 * a is stored as A = a R mod q (R = 2^256). GMP gives A^-1 = a^-1 R^-1; the
 * Montgomery product with R^3 (limbs of R^3 mod q = mont(R^2, R^2)) turns it
 * into a^-1 R, the Montgomery form of a^-1.
 */
#include <gmp.h>

#include "zk/fq_inv.h"

void zg_fq_inv_vartime(zg_fq *r, const zg_fq *a)
{
    if (zg_fq_is_zero(a)) { zg_fq_zero(r); return; }
    mpz_t x, m;
    mpz_init(x);
    mpz_init(m);
    mpz_import(x, 4, -1, sizeof(uint64_t), 0, 0, a->v);
    mpz_import(m, 4, -1, sizeof(uint64_t), 0, 0, zg_fq_field.p);
    mpz_invert(x, x, m);
    zg_fq t, r3;
    zg_fq_zero(&t);
    mpz_export(t.v, NULL, -1, sizeof(uint64_t), 0, 0, x);
    for (int i = 0; i < 4; i++) r3.v[i] = zg_fq_field.r2[i];
    zg_fq_mul(&r3, &r3, &r3);   /* R^2 * R^2 / R = R^3 */
    zg_fq_mul(r, &t, &r3);
    mpz_clear(x);
    mpz_clear(m);
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
