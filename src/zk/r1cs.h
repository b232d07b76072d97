/*
 * r1cs.h - a finished rank-1 constraint system (and optionally its witness).
 *
 * This is the agreed hand-off between the circuit side (r1cs_builder.h,
 * settle_circuit.h) and the Groth16 prover. Constraint i states
 *     <A_i, w> * <B_i, w> = <C_i, w>
 * over BN254 Fr. Wires are ordered as in iden3 tools: wire 0 is the constant
 * 1, wires 1..n_public are the public inputs, the rest are private. Each
 * matrix is stored as CSR: constraint i of matrix m has the terms
 * terms[m][row[m][i] .. row[m][i+1]), sorted by wire, no zero coefficients.
 */
#ifndef ZG_ZK_R1CS_H
#define ZG_ZK_R1CS_H

#include <stdint.h>

#include "zg/error.h"
#include "zk/fr.h"

typedef struct zg_r1cs_term {
    uint32_t wire;
    zg_fr coeff;
} zg_r1cs_term;

typedef struct zg_r1cs {
    uint32_t n_wires;        /* wire 0 is the constant 1 */
    uint32_t n_public;       /* public inputs are wires 1..n_public */
    uint32_t n_constraints;
    uint32_t *row[3];        /* CSR per matrix (0=A,1=B,2=C), n_constraints + 1 entries */
    zg_r1cs_term *terms[3];
    zg_fr *witness;          /* n_wires values when built with a witness, else NULL */
} zg_r1cs;

/* Frees the arrays of r (not r itself) and zeroes it; r may be NULL. */
void zg_r1cs_free(zg_r1cs *r);

/* <M_i, w> for matrix m (0..2) and constraint i. */
void zg_r1cs_row_eval(const zg_r1cs *r, int m, uint32_t i, const zg_fr *w, zg_fr *out);

/*
 * Checks that w (n_wires values, w[0] must be 1) satisfies every constraint.
 * Returns ZG_OK, or ZG_ECRYPTO with *first_bad (if not NULL) set to the index
 * of the first failing constraint (n_constraints when w[0] != 1), and a message.
 */
int zg_r1cs_check(const zg_r1cs *r, const zg_fr *w, uint32_t *first_bad, zg_err *e);

/* Total number of nonzero terms in A, B and C (a cost figure for the prover). */
uint64_t zg_r1cs_n_terms(const zg_r1cs *r);

#endif
