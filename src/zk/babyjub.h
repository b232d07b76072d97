/*
 * zk/babyjub.h - the Baby Jubjub curve, bit-compatible with circomlibjs.
 *
 * Twisted Edwards a*x^2 + y^2 = 1 + d*x^2*y^2 over BN254 Fr with a = 168700,
 * d = 168696 (EIP-2494). The group has order 8*l; Base8 (circomlibjs
 * babyJub.Base8) generates the subgroup of prime order l. a is a square and d
 * is not, so the addition law is complete: no special cases.
 *
 * Points are zg_bj_point (affine x, y) at the API edge and zg_bj_ext
 * (extended U:Y:Z:T with c*x = U/Z, y = Y/Z, c*x*y = T/Z, c = sqrt(-a):
 * coordinates of the isomorphic a = -1 curve, faster formulas) for arithmetic.
 * Only use zg_bj_ext through these functions.
 * Scalars are 256-bit integers as 4 little-endian 64-bit limbs.
 * Functions marked "vartime" take time depending on their inputs: use them on
 * public values only. The others run in constant time.
 */
#ifndef ZG_ZK_BABYJUB_H
#define ZG_ZK_BABYJUB_H

#include <stdint.h>

#include "zg/error.h"
#include "zk/fr.h"

typedef struct zg_bj_point { zg_fr x, y; } zg_bj_point;
typedef struct zg_bj_ext { zg_fr X, Y, Z, T; } zg_bj_ext;

/* A fixed-base comb table: e[w][j] = (j+1) * 16^w * P as (y+u, y-u, 2d'*u*y)
 * with u = c*x, c = sqrt(-a), d' = -d/a (the coordinates of the isomorphic
 * a = -1 curve the arithmetic runs on, see babyjub.c), 48 KiB. The table of Base8 is a built-in constant; zg_bj_comb_build makes
 * one for another point (e.g. a public key verified many times). */
typedef struct zg_bj_comb { zg_fr e[64][8][3]; } zg_bj_comb;

/* l, the prime order of the subgroup of Base8 (circomlibjs babyJub.subOrder). */
extern const uint64_t zg_bj_suborder[4];

/* Base8 and the curve's generator (circomlibjs babyJub.Base8 / Generator). */
void zg_bj_get_base8(zg_bj_point *p);
void zg_bj_get_generator(zg_bj_point *p);
/* The comb table of Base8 (a constant). */
const zg_bj_comb *zg_bj_base8_comb(void);

void zg_bj_identity(zg_bj_ext *r);
void zg_bj_from_affine(zg_bj_ext *r, const zg_bj_point *p);
/* Affine coordinates (one inversion). */
void zg_bj_to_affine(zg_bj_point *r, const zg_bj_ext *p);
/* Both conversions with a single inversion. */
void zg_bj_to_affine2(zg_bj_point *r1, const zg_bj_ext *p1, zg_bj_point *r2, const zg_bj_ext *p2);
void zg_bj_add(zg_bj_ext *r, const zg_bj_ext *p, const zg_bj_ext *q);
void zg_bj_double(zg_bj_ext *r, const zg_bj_ext *p);
void zg_bj_neg(zg_bj_ext *r, const zg_bj_ext *p);
/* 1 when p and q are the same point (projective comparison), else 0. */
int zg_bj_eq(const zg_bj_ext *p, const zg_bj_ext *q);
int zg_bj_eq_affine(const zg_bj_ext *p, const zg_bj_point *q);
int zg_bj_is_identity(const zg_bj_ext *p);

/* 1 when p satisfies the curve equation. */
int zg_bj_on_curve(const zg_bj_point *p);
/* 1 when p is on the curve and l * p is the identity (vartime). */
int zg_bj_in_subgroup(const zg_bj_point *p);

/* r = k * p, constant time in k and p (signed 4-bit windows). */
void zg_bj_mul(zg_bj_ext *r, const zg_bj_ext *p, const uint64_t k[4]);
/* r = k * p, vartime. */
void zg_bj_mul_vartime(zg_bj_ext *r, const zg_bj_ext *p, const uint64_t k[4]);
/* r = k * P for the point P of comb table c; k < 2^252. Constant time. */
void zg_bj_mul_comb(zg_bj_ext *r, const zg_bj_comb *c, const uint64_t k[4]);
/* r = a * P + b * Q for comb tables of P and Q, a, b < 2^252 (vartime). */
void zg_bj_double_mul_comb_vartime(zg_bj_ext *r, const zg_bj_comb *cp, const uint64_t a[4],
                                   const zg_bj_comb *cq, const uint64_t b[4]);
/* Fills c with the comb table of p. */
void zg_bj_comb_build(zg_bj_comb *c, const zg_bj_point *p);

/* circomlibjs packPoint: y as 32 little-endian bytes, top bit set when
 * x > (p-1)/2. */
void zg_bj_pack(uint8_t out[32], const zg_bj_point *p);
/* circomlibjs unpackPoint: ZG_EINVAL when y >= p (circomlibjs would reduce
 * it; we accept canonical encodings only), when no x exists, or when x = 0
 * (circomlibjs rejects those too: its Legendre test fails on 0). The result
 * is on the curve but not necessarily in the subgroup. */
int zg_bj_unpack(zg_bj_point *r, const uint8_t in[32], zg_err *e);

/* a, d, and the internal c = sqrt(-a) and k = 2*(-d/a), for tests. */
void zg_bj_internal_constants(zg_fr *a, zg_fr *d, zg_fr *c, zg_fr *k);

/* Scalars modulo l (constant time, GMP mpn_sec_*). */
/* out = (64-byte little-endian integer) mod l. */
void zg_bj_scalar_reduce64(uint64_t out[4], const uint8_t in[64]);
/* out = (a * b + c) mod l for any 256-bit a, b, c. */
void zg_bj_scalar_muladd(uint64_t out[4], const uint64_t a[4], const uint64_t b[4], const uint64_t c[4]);
/* 1 when k < l. */
int zg_bj_scalar_is_canonical(const uint64_t k[4]);

#endif
