/*
 * g2.h - the BN254 group G2: the order-r subgroup of the sextic (D-type) twist
 * E': y^2 = x^3 + 3/xi over Fq2, xi = 9 + u (EIP-197).
 *
 * Same representation as g1.h with Fq2 coordinates.
 */
#ifndef ZG_ZK_G2_H
#define ZG_ZK_G2_H

#include <stddef.h>
#include <stdint.h>

#include "zg/error.h"
#include "zk/fq2.h"
#include "zk/fr.h"

typedef struct zg_g2 { zg_fq2 x, y, z; } zg_g2;
typedef struct zg_g2_aff { zg_fq2 x, y; } zg_g2_aff;

void zg_g2_generator(zg_g2 *r);
void zg_g2_set_inf(zg_g2 *r);
int zg_g2_is_inf(const zg_g2 *a);
int zg_g2_affine_is_inf(const zg_g2_aff *a);
void zg_g2_from_affine(zg_g2 *r, const zg_g2_aff *a);
void zg_g2_to_affine(zg_g2_aff *r, const zg_g2 *a);
int zg_g2_batch_to_affine(zg_g2_aff *r, const zg_g2 *a, size_t n);
void zg_g2_neg(zg_g2 *r, const zg_g2 *a);
void zg_g2_affine_neg(zg_g2_aff *r, const zg_g2_aff *a);
void zg_g2_dbl(zg_g2 *r, const zg_g2 *p);
void zg_g2_add(zg_g2 *r, const zg_g2 *p, const zg_g2 *q);
void zg_g2_add_affine(zg_g2 *r, const zg_g2 *p, const zg_g2_aff *q);
int zg_g2_eq(const zg_g2 *p, const zg_g2 *q);
int zg_g2_affine_on_curve(const zg_g2_aff *a);
/* 1 when a (on the curve) lies in the order-r subgroup: [r] a = infinity. */
int zg_g2_affine_in_subgroup(const zg_g2_aff *a);
void zg_g2_mul(zg_g2 *r, const zg_g2 *p, const uint64_t k[4]);
void zg_g2_mul_fr(zg_g2 *r, const zg_g2 *p, const zg_fr *k);

/* 128 bytes in EIP-197 order: x.c1 (imaginary) || x.c0 || y.c1 || y.c0, 32-byte
 * big-endian each; infinity is all zeros. from_bytes rejects values >= q,
 * points off the twist and points outside the subgroup (ZG_EINVAL). */
void zg_g2_to_bytes(uint8_t out[128], const zg_g2_aff *a);
int zg_g2_from_bytes(zg_g2_aff *r, const uint8_t in[128], zg_err *e);

#endif
