/*
 * pairing.c - the optimal ate pairing on BN254 (see pairing.h for sources).
 */
#include <stdlib.h>

#include "zk/pairing.h"

/* The BN parameter x (EIP-197) and the loop count 6x + 2 (< 2^66). */
#define BN_X 4965661367192848881ULL

/* Writes the NAF digits of 6x+2, least significant first; returns the count. */
static int loop_naf(int8_t naf[72])
{
    zg_u128 k = (zg_u128)BN_X * 6 + 2;
    int n = 0;
    while (k) {
        int d = 0;
        if (k & 1) {
            d = 2 - (int)(k & 3);   /* 1 when k = 1 mod 4, -1 when k = 3 mod 4 */
            if (d == 1) k -= 1;
            else k += 1;
        }
        naf[n++] = (int8_t)d;
        k >>= 1;
    }
    return n;
}

/* f *= the line with slope lam through the twisted point t, evaluated at p:
 * yp - lam xp w + (lam xt - yt) w^3 (the twist maps (x, y) to (x w^2, y w^3)). */
static void mul_line(zg_fq12 *f, const zg_fq2 *lam, const zg_g2_aff *t, const zg_g1_aff *p)
{
    zg_fq12 l;
    zg_fq12_zero(&l);
    l.c0.c0.c0 = p->y;
    zg_fq2_mul_fq(&l.c1.c0, lam, &p->x);
    zg_fq2_neg(&l.c1.c0, &l.c1.c0);
    zg_fq2_mul(&l.c1.c1, lam, &t->x);
    zg_fq2_sub(&l.c1.c1, &l.c1.c1, &t->y);
    zg_fq12_mul(f, f, &l);
}

/* t = 2t, f *= tangent line at t. */
static void dbl_step(zg_fq12 *f, zg_g2_aff *t, const zg_g1_aff *p)
{
    zg_fq2 lam, num, den, x3;
    zg_fq2_sqr(&num, &t->x);
    zg_fq2_add(&lam, &num, &num);
    zg_fq2_add(&num, &lam, &num);           /* 3 x^2 */
    zg_fq2_double(&den, &t->y);
    zg_fq2_inv(&den, &den);
    zg_fq2_mul(&lam, &num, &den);
    mul_line(f, &lam, t, p);
    zg_fq2_sqr(&x3, &lam);
    zg_fq2_sub(&x3, &x3, &t->x);
    zg_fq2_sub(&x3, &x3, &t->x);
    zg_fq2_sub(&num, &t->x, &x3);
    zg_fq2_mul(&num, &num, &lam);
    zg_fq2_sub(&t->y, &num, &t->y);
    t->x = x3;
}

/* t = t + q, f *= line through t and q. */
static void add_step(zg_fq12 *f, zg_g2_aff *t, const zg_g2_aff *q, const zg_g1_aff *p)
{
    zg_fq2 lam, num, den, x3;
    zg_fq2_sub(&num, &q->y, &t->y);
    zg_fq2_sub(&den, &q->x, &t->x);
    zg_fq2_inv(&den, &den);
    zg_fq2_mul(&lam, &num, &den);
    mul_line(f, &lam, t, p);
    zg_fq2_sqr(&x3, &lam);
    zg_fq2_sub(&x3, &x3, &t->x);
    zg_fq2_sub(&x3, &x3, &q->x);
    zg_fq2_sub(&num, &t->x, &x3);
    zg_fq2_mul(&num, &num, &lam);
    zg_fq2_sub(&t->y, &num, &t->y);
    t->x = x3;
}

/* pi(q) on the twist: (conj(x) gamma_1,2, conj(y) gamma_1,3);
 * -pi^2(q): (x gamma_2,2, y) since gamma_2,3 = -1. */
static void frob_q(zg_g2_aff *r, const zg_g2_aff *q)
{
    zg_fq2_conj(&r->x, &q->x);
    zg_fq2_mul(&r->x, &r->x, &zg_bn254_gamma[0][1]);
    zg_fq2_conj(&r->y, &q->y);
    zg_fq2_mul(&r->y, &r->y, &zg_bn254_gamma[0][2]);
}

static void neg_frob2_q(zg_g2_aff *r, const zg_g2_aff *q)
{
    zg_fq2_mul(&r->x, &q->x, &zg_bn254_gamma[1][1]);
    r->y = q->y;
}

int zg_miller_loop(zg_fq12 *f, const zg_g1_aff *p, const zg_g2_aff *q, size_t n)
{
    int8_t naf[72];
    int len = loop_naf(naf);
    zg_g2_aff *t = malloc((n ? n : 1) * sizeof *t);
    size_t *idx = malloc((n ? n : 1) * sizeof *idx);
    if (!t || !idx) { free(t); free(idx); return ZG_ENOMEM; }
    size_t m = 0;
    for (size_t i = 0; i < n; i++)
        if (!zg_g1_affine_is_inf(&p[i]) && !zg_g2_affine_is_inf(&q[i])) {
            idx[m] = i;
            t[m++] = q[i];
        }
    zg_fq12_one(f);
    for (int b = len - 2; b >= 0; b--) {
        zg_fq12_sqr(f, f);
        for (size_t j = 0; j < m; j++) {
            const zg_g1_aff *pp = &p[idx[j]];
            dbl_step(f, &t[j], pp);
            if (naf[b] != 0) {
                zg_g2_aff qq = q[idx[j]];
                if (naf[b] < 0) zg_fq2_neg(&qq.y, &qq.y);
                add_step(f, &t[j], &qq, pp);
            }
        }
    }
    for (size_t j = 0; j < m; j++) {
        zg_g2_aff q1, q2;
        frob_q(&q1, &q[idx[j]]);
        neg_frob2_q(&q2, &q[idx[j]]);
        add_step(f, &t[j], &q1, &p[idx[j]]);
        add_step(f, &t[j], &q2, &p[idx[j]]);
    }
    free(t);
    free(idx);
    return ZG_OK;
}

static void pow_x(zg_fq12 *r, const zg_fq12 *a)
{
    const uint64_t e[1] = {BN_X};
    zg_fq12_pow(r, a, e, 1);
}

void zg_final_exp(zg_fq12 *r, const zg_fq12 *f)
{
    zg_fq12 t0, t1, t2, fp, fp2, fp3, fu, fu2, fu3, y0, y1, y2, y3, y4, y5, y6, fu2p, fu3p;
    /* Easy part: t1 = f^((q^6 - 1)(q^2 + 1)). */
    zg_fq12_conj(&t0, f);
    zg_fq12_inv(&t1, f);
    zg_fq12_mul(&t1, &t0, &t1);
    zg_fq12_frobenius(&t2, &t1, 2);
    zg_fq12_mul(&t1, &t1, &t2);
    /* Hard part (q^4 - q^2 + 1)/r as a vectorial addition chain in x. */
    zg_fq12_frobenius(&fp, &t1, 1);
    zg_fq12_frobenius(&fp2, &t1, 2);
    zg_fq12_frobenius(&fp3, &fp2, 1);
    pow_x(&fu, &t1);
    pow_x(&fu2, &fu);
    pow_x(&fu3, &fu2);
    zg_fq12_frobenius(&y3, &fu, 1);
    zg_fq12_frobenius(&fu2p, &fu2, 1);
    zg_fq12_frobenius(&fu3p, &fu3, 1);
    zg_fq12_frobenius(&y2, &fu2, 2);
    zg_fq12_mul(&y0, &fp, &fp2);
    zg_fq12_mul(&y0, &y0, &fp3);
    zg_fq12_conj(&y1, &t1);
    zg_fq12_conj(&y5, &fu2);
    zg_fq12_conj(&y3, &y3);
    zg_fq12_mul(&y4, &fu, &fu2p);
    zg_fq12_conj(&y4, &y4);
    zg_fq12_mul(&y6, &fu3, &fu3p);
    zg_fq12_conj(&y6, &y6);
    zg_fq12_sqr(&t0, &y6);
    zg_fq12_mul(&t0, &t0, &y4);
    zg_fq12_mul(&t0, &t0, &y5);
    zg_fq12_mul(&t1, &y3, &y5);
    zg_fq12_mul(&t1, &t1, &t0);
    zg_fq12_mul(&t0, &t0, &y2);
    zg_fq12_sqr(&t1, &t1);
    zg_fq12_mul(&t1, &t1, &t0);
    zg_fq12_sqr(&t1, &t1);
    zg_fq12_mul(&t0, &t1, &y1);
    zg_fq12_mul(&t1, &t1, &y0);
    zg_fq12_sqr(&t0, &t0);
    zg_fq12_mul(r, &t0, &t1);
}

int zg_pairing(zg_fq12 *r, const zg_g1_aff *p, const zg_g2_aff *q)
{
    zg_fq12 f;
    int rc = zg_miller_loop(&f, p, q, 1);
    if (rc) return rc;
    zg_final_exp(r, &f);
    return ZG_OK;
}

int zg_pairing_check(const zg_g1_aff *p, const zg_g2_aff *q, size_t n, int *is_one)
{
    zg_fq12 f, g;
    int rc = zg_miller_loop(&f, p, q, n);
    if (rc) return rc;
    zg_final_exp(&g, &f);
    *is_one = zg_fq12_is_one(&g);
    return ZG_OK;
}
