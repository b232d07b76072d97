/*
 * g1.h - the BN254 group G1: y^2 = x^3 + 3 over Fq, generator (1, 2), prime
 * order r (cofactor 1), as in EIP-196.
 *
 * zg_g1 is Jacobian (x/z^2, y/z^3; z = 0 is infinity), zg_g1_aff affine with
 * infinity written (0, 0). Arithmetic is variable time (public points; the
 * prover's MSMs are variable time in the witness, like every Groth16 prover).
 */
#ifndef ZG_ZK_G1_H
#define ZG_ZK_G1_H

#include <stddef.h>
#include <stdint.h>

#include "zg/error.h"
#include "zk/fq.h"
#include "zk/fr.h"

typedef struct zg_g1 { zg_fq x, y, z; } zg_g1;
typedef struct zg_g1_aff { zg_fq x, y; } zg_g1_aff;

void zg_g1_generator(zg_g1 *r);
void zg_g1_set_inf(zg_g1 *r);
int zg_g1_is_inf(const zg_g1 *a);
int zg_g1_affine_is_inf(const zg_g1_aff *a);
void zg_g1_from_affine(zg_g1 *r, const zg_g1_aff *a);
void zg_g1_to_affine(zg_g1_aff *r, const zg_g1 *a);
int zg_g1_batch_to_affine(zg_g1_aff *r, const zg_g1 *a, size_t n); /* ZG_ENOMEM */
void zg_g1_neg(zg_g1 *r, const zg_g1 *a);
void zg_g1_affine_neg(zg_g1_aff *r, const zg_g1_aff *a);
void zg_g1_dbl(zg_g1 *r, const zg_g1 *p);
void zg_g1_add(zg_g1 *r, const zg_g1 *p, const zg_g1 *q);
void zg_g1_add_affine(zg_g1 *r, const zg_g1 *p, const zg_g1_aff *q);
int zg_g1_eq(const zg_g1 *p, const zg_g1 *q);
int zg_g1_affine_on_curve(const zg_g1_aff *a);
void zg_g1_mul(zg_g1 *r, const zg_g1 *p, const uint64_t k[4]);
void zg_g1_mul_fr(zg_g1 *r, const zg_g1 *p, const zg_fr *k);

/* 64 bytes: x || y, 32-byte big-endian each (EIP-196, Solidity uint256[2]);
 * infinity is all zeros. from_bytes rejects coordinates >= q and points off
 * the curve (ZG_EINVAL). */
void zg_g1_to_bytes(uint8_t out[64], const zg_g1_aff *a);
int zg_g1_from_bytes(zg_g1_aff *r, const uint8_t in[64], zg_err *e);

#endif
