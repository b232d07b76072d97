/*
 * groth16.h - Groth16 zk-SNARKs over BN254 (Groth, "On the Size of
 * Pairing-based Non-interactive Arguments", EUROCRYPT 2016), laid out like
 * snarkjs so that keys move both ways:
 *
 * - QAP domain: the smallest 2^k >= n_constraints + n_public + 1. Rows
 *   n_constraints + i (i = 0..n_public) get A = wire i, which keeps the public
 *   polynomials independent (snarkjs zkey_new.js does the same).
 * - H query: h1[i] = L_{2i+1}(tau) / delta, L_j the Lagrange basis of the
 *   domain of size 2n; the prover's scalars are (a b - c) evaluated on the
 *   odd coset omega_2n * D, so no division by Z is needed (snarkjs'
 *   groth16_prove.js / .zkey section 9 convention).
 *
 * Verification: e(A, B) = e(alpha, beta) e(sum_i x_i IC_i, gamma) e(C, delta),
 * x_0 = 1, x_1..x_n the public inputs; one multi-pairing of 4 pairs.
 */
#ifndef ZG_ZK_GROTH16_H
#define ZG_ZK_GROTH16_H

#include <stdint.h>
#include <stdio.h>

#include "base/buf.h"
#include "zg/error.h"
#include "zk/g1.h"
#include "zk/g2.h"
#include "zk/r1cs.h"

typedef struct zg_groth16_vk {
    uint32_t n_public;
    zg_g1_aff alpha1;
    zg_g2_aff beta2, gamma2, delta2;
    zg_g1_aff *ic;          /* n_public + 1 */
} zg_groth16_vk;

typedef struct zg_groth16_pk {
    uint32_t n_wires, n_public, n_constraints;
    unsigned log_n;         /* QAP domain 2^log_n */
    zg_g1_aff beta1, delta1;
    zg_g1_aff *a1;          /* n_wires: A_i(tau) G1 */
    zg_g1_aff *b1;          /* n_wires: B_i(tau) G1 */
    zg_g2_aff *b2;          /* n_wires: B_i(tau) G2 */
    zg_g1_aff *l1;          /* n_wires - n_public - 1: (beta A_i + alpha B_i + C_i)(tau)/delta, private wires */
    zg_g1_aff *h1;          /* 2^log_n: L_{2i+1}(tau)/delta (see above) */
    zg_groth16_vk vk;       /* alpha1, beta2, gamma2, delta2, ic */
} zg_groth16_pk;

typedef struct zg_groth16_proof {
    zg_g1_aff a;
    zg_g2_aff b;
    zg_g1_aff c;
} zg_groth16_proof;

void zg_groth16_vk_free(zg_groth16_vk *vk);
void zg_groth16_pk_free(zg_groth16_pk *pk);
/* Deep copies (ZG_ENOMEM). */
int zg_groth16_vk_copy(zg_groth16_vk *dst, const zg_groth16_vk *src);
int zg_groth16_pk_copy(zg_groth16_pk *dst, const zg_groth16_pk *src);

/* The QAP domain exponent for a constraint system (smallest 2^k >= m + n_public + 1). */
unsigned zg_groth16_domain_log(uint32_t n_constraints, uint32_t n_public);

/*
 * DEVELOPMENT ONLY - NOT FOR PRODUCTION. Draws the toxic waste (tau, alpha,
 * beta, gamma, delta) from the OS random generator, builds the keys and
 * forgets it. Whoever runs this could have kept the waste and forge proofs.
 * Phase-2 contributions cannot repair that: they re-randomise delta only,
 * and tau, alpha and beta alone suffice to forge. A real deployment imports
 * a key from a snarkjs ceremony (a public phase-1 powers of tau and a
 * multi-party phase 2) with zg_groth16_zkey_import. threads = 0: all CPUs.
 */
int zg_groth16_setup_dev(zg_groth16_pk *pk, const zg_r1cs *cs, int threads, zg_err *e);

/*
 * Proves that the witness w (cs->n_wires values, w[0] = 1; NULL means
 * cs->witness) satisfies cs, with fresh random r, s from the OS. Checks the
 * witness first (ZG_EINVAL naming the first failing constraint) and that pk
 * belongs to a circuit of cs's shape (ZG_EINVAL).
 */
int zg_groth16_prove(zg_groth16_proof *proof, const zg_groth16_pk *pk, const zg_r1cs *cs,
                     const zg_fr *w, int threads, zg_err *e);

/* ZG_OK when the proof verifies for the n_public inputs, ZG_ECRYPTO when it
 * does not, ZG_EINVAL when n_public does not match the key. */
int zg_groth16_verify(const zg_groth16_vk *vk, const zg_fr *inputs, uint32_t n_public,
                      const zg_groth16_proof *proof, zg_err *e);

/* k proofs at once, the native twin of the Solidity verifyBatch: random
 * rho_j from the OS (rho_0 = 1), one multi-pairing of k + 3 pairs
 *   prod_j e(rho_j A_j, B_j) e(-(sum rho) alpha, beta) e(-sum rho_j L_j, gamma)
 *   e(-sum rho_j C_j, delta) == 1.
 * inputs holds k * vk->n_public values, proof j's first. ZG_OK when all
 * verify, ZG_ECRYPTO when at least one does not (which one is not known:
 * check them one by one for that), ZG_EINVAL for k = 0. */
int zg_groth16_verify_batch(const zg_groth16_vk *vk, const zg_fr *inputs, const zg_groth16_proof *proofs,
                            size_t k, zg_err *e);

/*
 * Binary formats (all integers little-endian u32, points as in g1.h/g2.h:
 * big-endian coordinates, G2 imaginary part first, infinity all zeros):
 *   proof: 256 bytes = A.x A.y B.x.im B.x.re B.y.im B.y.re C.x C.y, which is
 *          exactly the Solidity uint256[8] of ISettlementVerifier.
 *   vk:    "ZGV1" n_public alpha1 beta2 gamma2 delta2 ic[n_public+1]
 *   pk:    "ZGP1" n_wires n_public n_constraints log_n beta1 delta1 vk(as above)
 *          a1[n_wires] b1[n_wires] b2[n_wires] l1[n_wires-n_public-1] h1[2^log_n]
 * Readers check lengths, coordinates < q and curve membership (vk and proof
 * G2 points also the subgroup); a bad input is ZG_EINVAL and leaves the
 * output untouched.
 */
#define ZG_GROTH16_PROOF_BYTES 256
void zg_groth16_proof_to_bytes(uint8_t out[ZG_GROTH16_PROOF_BYTES], const zg_groth16_proof *p);
int zg_groth16_proof_from_bytes(zg_groth16_proof *p, const uint8_t in[ZG_GROTH16_PROOF_BYTES], zg_err *e);
int zg_groth16_vk_write(zg_buf *out, const zg_groth16_vk *vk);
int zg_groth16_vk_read(zg_groth16_vk *vk, const uint8_t *in, size_t len, zg_err *e);
int zg_groth16_pk_write(FILE *f, const zg_groth16_pk *pk, zg_err *e);
int zg_groth16_pk_read(zg_groth16_pk *pk, FILE *f, zg_err *e);
int zg_groth16_pk_save(const char *path, const zg_groth16_pk *pk, zg_err *e);
int zg_groth16_pk_load(zg_groth16_pk *pk, const char *path, zg_err *e);

/*
 * Phase 2 (a ceremony over delta): a contribution draws a secret x, sets
 * delta' = x delta (G1 and G2) and divides l1 and h1 by x, in place. Anyone
 * can check a contribution from the previous key with
 * zg_groth16_verify_contribution: everything but delta, l1 and h1 is
 * unchanged, e(delta1', delta2) = e(delta1, delta2'), delta1/delta2 consistent,
 * and l1, h1 were scaled by the same 1/x (random linear combinations, one
 * pairing check each). After one honest contribution, nobody knows delta;
 * that protects the key only if tau, alpha and beta came from a trusted
 * phase 1 (a key imported from a ceremony, never zg_groth16_setup_dev's).
 * (No proof of knowledge of x is recorded: a ceremony coordinator should
 * accept contributions in order from known participants.)
 */
int zg_groth16_contribute(zg_groth16_pk *pk, int threads, zg_err *e);
int zg_groth16_verify_contribution(const zg_groth16_pk *before, const zg_groth16_pk *after, zg_err *e);

/*
 * snarkjs JSON (snarkjs 0.7.x, "protocol": "groth16", "curve": "bn128",
 * points as arrays of decimal strings in affine form with a trailing 1).
 * Each writes a NUL-terminated JSON text into out.
 */
int zg_groth16_vk_to_snarkjs(zg_buf *out, const zg_groth16_vk *vk);
int zg_groth16_proof_to_snarkjs(zg_buf *out, const zg_groth16_proof *p);
int zg_groth16_public_to_snarkjs(zg_buf *out, const zg_fr *inputs, uint32_t n_public);

/* Reads a snarkjs groth16 .zkey (BN254) into pk. ZG_EINVAL on a malformed or
 * non-groth16/non-bn128 file, ZG_EIO on read errors. */
int zg_groth16_zkey_import(zg_groth16_pk *pk, const char *path, zg_err *e);
/* Writes pk (made for cs) as a snarkjs .zkey that `snarkjs groth16 prove`
 * accepts (no phase-2 history). ZG_EINVAL when pk and cs differ, ZG_EIO. */
int zg_groth16_zkey_export(const zg_groth16_pk *pk, const zg_r1cs *cs, const char *path, zg_err *e);

#endif
