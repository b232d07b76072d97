/*
 * zk/poseidon.h - the Poseidon hash with circomlib's parameters.
 *
 * Bit-compatible with circomlibjs `poseidon(inputs)` and circomlib's
 * Poseidon(n) template for n = 1..16 inputs (state width t = n + 1, x^5
 * S-box, 8 full rounds, circomlib's partial round counts, initial state 0,
 * output state[0]). The round constants and MDS matrices are generated at
 * build time with the published Grain LFSR algorithm (src/zk/gen/zk_gen.c);
 * tests/zk/test_poseidon.c proves them equal to circomlibjs's constants.
 */
#ifndef ZG_ZK_POSEIDON_H
#define ZG_ZK_POSEIDON_H

#include <stddef.h>

#include "zg/error.h"
#include "zk/fr.h"

#define ZG_POSEIDON_MAX_INPUTS 16

/* out = Poseidon(in[0..n-1]); ZG_EINVAL unless 1 <= n <= 16. out may alias in. */
int zg_poseidon(zg_fr *out, const zg_fr *in, size_t n, zg_err *e);

/* The same hash computed round by round from the raw constants, as the
 * reference script does (slow; for tests and for the circuit's gadget). */
int zg_poseidon_reference(zg_fr *out, const zg_fr *in, size_t n, zg_err *e);

/* circomlib's raw parameters of width t = n + 1 (2..17): the number of
 * partial rounds (full rounds are always 8), the round constant
 * C[round * t + i] for i < (8 + partial) * t, and the MDS entry M[row][col].
 * They return ZG_ERANGE for an index out of range. Used by the R1CS gadget. */
int zg_poseidon_partial_rounds(unsigned t, unsigned *partial);
int zg_poseidon_round_constant(unsigned t, size_t i, zg_fr *out);
int zg_poseidon_mds(unsigned t, unsigned row, unsigned col, zg_fr *out);

#endif
