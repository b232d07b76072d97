/*
 * fq12.h - the BN254 pairing tower above Fq2:
 *   Fq6  = Fq2[v]/(v^3 - xi), xi = 9 + u,  element c0 + c1 v + c2 v^2
 *   Fq12 = Fq6[w]/(w^2 - v),               element c0 + c1 w
 * (EIP-197 / go-ethereum bn256 / ffjavascript use the same tower, so w^6 = xi.)
 * Fq12 is the target group GT of the optimal ate pairing (pairing.h).
 */
#ifndef ZG_ZK_FQ12_H
#define ZG_ZK_FQ12_H

#include "zk/fq2.h"

typedef struct zg_fq6 { zg_fq2 c0, c1, c2; } zg_fq6;
typedef struct zg_fq12 { zg_fq6 c0, c1; } zg_fq12;

void zg_fq6_zero(zg_fq6 *r);
void zg_fq6_one(zg_fq6 *r);
int zg_fq6_is_zero(const zg_fq6 *a);
int zg_fq6_eq(const zg_fq6 *a, const zg_fq6 *b);
void zg_fq6_add(zg_fq6 *r, const zg_fq6 *a, const zg_fq6 *b);
void zg_fq6_sub(zg_fq6 *r, const zg_fq6 *a, const zg_fq6 *b);
void zg_fq6_neg(zg_fq6 *r, const zg_fq6 *a);
void zg_fq6_mul(zg_fq6 *r, const zg_fq6 *a, const zg_fq6 *b);
void zg_fq6_sqr(zg_fq6 *r, const zg_fq6 *a);
/* r = a * v. */
void zg_fq6_mul_v(zg_fq6 *r, const zg_fq6 *a);
void zg_fq6_inv(zg_fq6 *r, const zg_fq6 *a);

void zg_fq12_zero(zg_fq12 *r);
void zg_fq12_one(zg_fq12 *r);
int zg_fq12_is_one(const zg_fq12 *a);
int zg_fq12_eq(const zg_fq12 *a, const zg_fq12 *b);
void zg_fq12_mul(zg_fq12 *r, const zg_fq12 *a, const zg_fq12 *b);
void zg_fq12_sqr(zg_fq12 *r, const zg_fq12 *a);
void zg_fq12_inv(zg_fq12 *r, const zg_fq12 *a);
/* c0 - c1 w: the map x -> x^(q^6), the inverse on the cyclotomic subgroup. */
void zg_fq12_conj(zg_fq12 *r, const zg_fq12 *a);
/* r = a^(q^k) for k = 1, 2, 3. */
void zg_fq12_frobenius(zg_fq12 *r, const zg_fq12 *a, int k);
/* r = a^e, e little-endian limbs, n of them (variable time in e). */
void zg_fq12_pow(zg_fq12 *r, const zg_fq12 *a, const uint64_t *e, size_t n);

/* The Frobenius constants gamma[k-1][i-1] = xi^(i (q^k - 1) / 6), k = 1..3,
 * i = 1..5 (defined in fq12.c; tests recompute them with zg_fq2_pow). */
extern const zg_fq2 zg_bn254_gamma[3][5];

#endif
