/*
 * fq2.h - the quadratic extension Fq2 = Fq[u]/(u^2 + 1) of the BN254 base field.
 *
 * Coordinates of G2 points (on the sextic twist) live here, and Fq2 is the
 * base of the tower Fq6 = Fq2[v]/(v^3 - xi), Fq12 = Fq6[w]/(w^2 - v) with
 * xi = 9 + u (EIP-197; the same tower as go-ethereum's bn256 and snarkjs'
 * ffjavascript). An element is c0 + c1*u; both parts in Montgomery form.
 * Everything is inline and constant time, except that inv is out of line (and
 * still constant time) and sqrt is
 * variable time (public values only).
 */
#ifndef ZG_ZK_FQ2_H
#define ZG_ZK_FQ2_H

#include "zk/fq.h"

typedef struct zg_fq2 { zg_fq c0, c1; } zg_fq2;

static inline void zg_fq2_zero(zg_fq2 *r) { zg_fq_zero(&r->c0); zg_fq_zero(&r->c1); }
static inline void zg_fq2_one(zg_fq2 *r) { zg_fq_one(&r->c0); zg_fq_zero(&r->c1); }
static inline int zg_fq2_is_zero(const zg_fq2 *a) { return zg_fq_is_zero(&a->c0) & zg_fq_is_zero(&a->c1); }
static inline int zg_fq2_eq(const zg_fq2 *a, const zg_fq2 *b)
{ return zg_fq_eq(&a->c0, &b->c0) & zg_fq_eq(&a->c1, &b->c1); }
static inline void zg_fq2_add(zg_fq2 *r, const zg_fq2 *a, const zg_fq2 *b)
{ zg_fq_add(&r->c0, &a->c0, &b->c0); zg_fq_add(&r->c1, &a->c1, &b->c1); }
static inline void zg_fq2_sub(zg_fq2 *r, const zg_fq2 *a, const zg_fq2 *b)
{ zg_fq_sub(&r->c0, &a->c0, &b->c0); zg_fq_sub(&r->c1, &a->c1, &b->c1); }
static inline void zg_fq2_neg(zg_fq2 *r, const zg_fq2 *a) { zg_fq_neg(&r->c0, &a->c0); zg_fq_neg(&r->c1, &a->c1); }
static inline void zg_fq2_double(zg_fq2 *r, const zg_fq2 *a)
{ zg_fq_double(&r->c0, &a->c0); zg_fq_double(&r->c1, &a->c1); }
/* Complex conjugation, which is also the Frobenius map x -> x^q on Fq2. */
static inline void zg_fq2_conj(zg_fq2 *r, const zg_fq2 *a) { r->c0 = a->c0; zg_fq_neg(&r->c1, &a->c1); }

/* Karatsuba: 3 base multiplications. r may alias a or b. */
static inline void zg_fq2_mul(zg_fq2 *r, const zg_fq2 *a, const zg_fq2 *b)
{
    zg_fq t0, t1, s0, s1;
    zg_fq_mul(&t0, &a->c0, &b->c0);
    zg_fq_mul(&t1, &a->c1, &b->c1);
    zg_fq_add(&s0, &a->c0, &a->c1);
    zg_fq_add(&s1, &b->c0, &b->c1);
    zg_fq_mul(&s0, &s0, &s1);
    zg_fq_sub(&r->c0, &t0, &t1);
    zg_fq_sub(&s0, &s0, &t0);
    zg_fq_sub(&r->c1, &s0, &t1);
}

/* (a0 + a1 u)^2 = (a0 + a1)(a0 - a1) + 2 a0 a1 u: 2 multiplications. */
static inline void zg_fq2_sqr(zg_fq2 *r, const zg_fq2 *a)
{
    zg_fq s, d, m;
    zg_fq_add(&s, &a->c0, &a->c1);
    zg_fq_sub(&d, &a->c0, &a->c1);
    zg_fq_mul(&m, &a->c0, &a->c1);
    zg_fq_mul(&r->c0, &s, &d);
    zg_fq_double(&r->c1, &m);
}

/* r = a * k for k in Fq. */
static inline void zg_fq2_mul_fq(zg_fq2 *r, const zg_fq2 *a, const zg_fq *k)
{ zg_fq_mul(&r->c0, &a->c0, k); zg_fq_mul(&r->c1, &a->c1, k); }

/* r = a * xi with xi = 9 + u: (9 a0 - a1) + (9 a1 + a0) u, by additions only. */
static inline void zg_fq2_mul_xi(zg_fq2 *r, const zg_fq2 *a)
{
    zg_fq t0, t1, x8;
    zg_fq_double(&x8, &a->c0); zg_fq_double(&x8, &x8); zg_fq_double(&x8, &x8);
    zg_fq_add(&t0, &x8, &a->c0);            /* 9 a0 */
    zg_fq_double(&x8, &a->c1); zg_fq_double(&x8, &x8); zg_fq_double(&x8, &x8);
    zg_fq_add(&t1, &x8, &a->c1);            /* 9 a1 */
    zg_fq_add(&t1, &t1, &a->c0);
    zg_fq_sub(&r->c0, &t0, &a->c1);
    r->c1 = t1;
}

/* r = a^-1 = conj(a) / (a0^2 + a1^2); 0 for 0. */
static inline void zg_fq2_inv(zg_fq2 *r, const zg_fq2 *a)
{
    zg_fq n, t;
    zg_fq_sqr(&n, &a->c0);
    zg_fq_sqr(&t, &a->c1);
    zg_fq_add(&n, &n, &t);
    zg_fq_inv(&n, &n);
    zg_fq_mul(&r->c0, &a->c0, &n);
    zg_fq_mul(&t, &a->c1, &n);
    zg_fq_neg(&r->c1, &t);
}

static inline void zg_fq2_select(zg_fq2 *r, int bit, const zg_fq2 *a, const zg_fq2 *b)
{ zg_fq_select(&r->c0, bit, &a->c0, &b->c0); zg_fq_select(&r->c1, bit, &a->c1, &b->c1); }

/* r = a^e, e a little-endian multi-limb exponent of n limbs (variable time in e). */
void zg_fq2_pow(zg_fq2 *r, const zg_fq2 *a, const uint64_t *e, size_t n);

#endif
