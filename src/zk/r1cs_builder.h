/*
 * r1cs_builder.h - build an R1CS and compute its witness in the same pass.
 *
 * A circuit is C code that calls the functions below with the values it knows:
 * every new wire gets its value at once, so when the circuit is built the
 * witness is complete. The constraints depend only on the code path, never on
 * the values (building with dummy values gives the same system), so a prover
 * key made from one build serves every other build of the same circuit.
 *
 * Linear combinations (zg_lc) are sparse, sorted by wire, merged, and free:
 * only zg_cs_mul / zg_cs_enforce and the gadgets add constraints. A zg_lc
 * whose only term is wire 0 is a constant; multiplying by a constant adds no
 * constraint. zg_lc terms live in the builder's arena: they stay valid until
 * the builder is freed or a zg_cs_release() below their mark.
 *
 * Errors are sticky: after an allocation failure every call is a no-op that
 * returns an empty zg_lc, and zg_cs_finalize() reports the failure. So a
 * circuit needs no error check after each gate.
 *
 *   zg_cs cs; zg_cs_init(&cs);
 *   zg_lc x = zg_cs_private(&cs, &xv), y = zg_cs_mul(&cs, x, x);
 *   zg_cs_assert_equal(&cs, y, zg_cs_public(&cs, &yv));
 *   zg_r1cs r; rc = zg_cs_finalize(&cs, &r, &err); zg_cs_free(&cs);
 */
#ifndef ZG_ZK_R1CS_BUILDER_H
#define ZG_ZK_R1CS_BUILDER_H

#include <stddef.h>
#include <stdint.h>

#include "zg/error.h"
#include "zk/fr.h"
#include "zk/r1cs.h"

typedef struct zg_lc {
    uint32_t n;           /* number of terms; 0 is the constant 0 */
    zg_r1cs_term *t;      /* sorted by wire, no zero coefficient; wire 0 = constant */
} zg_lc;

typedef struct zg_cs_mark {
    size_t chunk, used;
} zg_cs_mark;

typedef struct zg_cs {
    int status;                   /* ZG_OK, or the first error (sticky) */
    /* wires */
    uint32_t n_wires, cap_wires, n_public;
    zg_fr *value;                 /* witness value of each wire */
    uint8_t *is_public;
    /* constraints, CSR per matrix in creation order */
    uint32_t n_constraints, cap_constraints;
    uint32_t *row[3];
    zg_r1cs_term *terms[3];
    size_t n_terms[3], cap_terms[3];
    /* arena of zg_lc terms: a list of chunks, bump allocated */
    zg_r1cs_term **chunk;
    size_t *chunk_cap;
    size_t n_chunks, cur, used;
    /* one slot for a gadget's derived tables (Poseidon's partial rounds),
     * computed on first use and freed with the builder */
    void *gadget_cache;
    void (*gadget_cache_free)(void *);
} zg_cs;

/* Life cycle. init cannot fail (allocation errors surface at finalize). */
void zg_cs_init(zg_cs *cs);
void zg_cs_free(zg_cs *cs);

/*
 * Moves the constraints and witness into r (the builder is left empty but must
 * still be freed). Public wires are renumbered to 1..n_public in the order they
 * were created, private wires follow in creation order. Returns the sticky error.
 */
int zg_cs_finalize(zg_cs *cs, zg_r1cs *r, zg_err *e);

/* Makes room for that many more wires, constraints and terms per matrix, so
 * that a big circuit that knows its size grows its arrays once instead of by
 * doubling (each doubling copies). Optional; failures are sticky. */
void zg_cs_reserve(zg_cs *cs, uint32_t wires, uint32_t constraints, const size_t terms[3]);

/* Arena marks: zg_lc values made after a mark die at zg_cs_release(mark). */
zg_cs_mark zg_cs_mark_get(const zg_cs *cs);
void zg_cs_release(zg_cs *cs, zg_cs_mark m);
/* Releases to m but keeps the n combinations lcs[] (copied back into the
 * arena): gadgets use it to drop their intermediate garbage. */
void zg_cs_compact(zg_cs *cs, zg_cs_mark m, zg_lc *lcs, unsigned n);

/* New wires: a public input or a private (witness) value; value may be NULL (0). */
zg_lc zg_cs_public(zg_cs *cs, const zg_fr *value);
zg_lc zg_cs_private(zg_cs *cs, const zg_fr *value);

/* Linear combinations (no constraints). */
zg_lc zg_lc_zero(void);
zg_lc zg_lc_const(zg_cs *cs, const zg_fr *c);
zg_lc zg_lc_u64(zg_cs *cs, uint64_t c);
zg_lc zg_lc_wire(zg_cs *cs, uint32_t wire);
/* A combination of given terms: wires strictly increasing, coefficients nonzero. */
zg_lc zg_lc_from_terms(zg_cs *cs, const zg_r1cs_term *t, uint32_t n);
zg_lc zg_lc_add(zg_cs *cs, zg_lc a, zg_lc b);
zg_lc zg_lc_sub(zg_cs *cs, zg_lc a, zg_lc b);
zg_lc zg_lc_scale(zg_cs *cs, zg_lc a, const zg_fr *k);
zg_lc zg_lc_add_scaled(zg_cs *cs, zg_lc a, const zg_fr *k, zg_lc b);   /* a + k*b */
zg_lc zg_lc_add_const(zg_cs *cs, zg_lc a, const zg_fr *c);
zg_lc zg_lc_add_u64(zg_cs *cs, zg_lc a, uint64_t c);
zg_lc zg_lc_neg(zg_cs *cs, zg_lc a);
/* 1 and *c set when a is a constant (no wire but 0). */
int zg_lc_is_const(zg_lc a, zg_fr *c);
/* The witness value of a. */
void zg_cs_value(const zg_cs *cs, zg_lc a, zg_fr *out);
/* The value as a canonical integer's low 64 bits (for gadgets over small values). */
uint64_t zg_cs_value_u64(const zg_cs *cs, zg_lc a);

/* r = a^-1 (0 for 0) in variable time (binary extended Euclid, ~5x faster
 * than Fermat): for witness values, which are not secret keys. */
void zg_cs_fr_inv_vartime(zg_fr *r, const zg_fr *a);

/* Constraints. */
void zg_cs_enforce(zg_cs *cs, zg_lc a, zg_lc b, zg_lc c);      /* a * b = c */
void zg_cs_assert_equal(zg_cs *cs, zg_lc a, zg_lc b);          /* 1 constraint unless constant */
void zg_cs_assert_zero_if(zg_cs *cs, zg_lc en, zg_lc a);       /* en * a = 0 */
void zg_cs_assert_bool(zg_cs *cs, zg_lc a);                    /* a * (a - 1) = 0 */

/* Gates (each says its constraint cost). */
zg_lc zg_cs_mul(zg_cs *cs, zg_lc a, zg_lc b);                  /* 1 (0 if a or b constant) */
zg_lc zg_cs_square(zg_cs *cs, zg_lc a);                        /* 1 */
zg_lc zg_cs_inv(zg_cs *cs, zg_lc a);                           /* 1; unsatisfiable for a = 0 */
zg_lc zg_cs_bool_private(zg_cs *cs, int bit);                  /* 1: a new boolean wire */
zg_lc zg_cs_select(zg_cs *cs, zg_lc cond, zg_lc a, zg_lc b);   /* 1: cond ? a : b (cond boolean) */
zg_lc zg_cs_is_zero(zg_cs *cs, zg_lc a);                       /* 2: 1 if a == 0 else 0 */
zg_lc zg_cs_is_equal(zg_cs *cs, zg_lc a, zg_lc b);             /* 2 */
zg_lc zg_cs_and(zg_cs *cs, zg_lc a, zg_lc b);                  /* 1 (booleans) */
zg_lc zg_cs_or(zg_cs *cs, zg_lc a, zg_lc b);                   /* 1 (booleans) */
zg_lc zg_cs_not(zg_cs *cs, zg_lc a);                           /* 0 (boolean) */

/*
 * Bit decomposition: bits[0..n) (little-endian) of a, each constrained boolean
 * and sum(bits[i] 2^i) == a: n + 1 constraints (n when n == 0...). n <= 253 so
 * that the sum cannot wrap; use zg_cs_to_bits_strict for all 254 bits.
 * A range check a < 2^n is zg_cs_to_bits with bits == NULL.
 */
void zg_cs_to_bits(zg_cs *cs, zg_lc a, unsigned n, zg_lc *bits);
void zg_cs_range(zg_cs *cs, zg_lc a, unsigned n);
/* All 254 bits of a with the unique (< r) representation: 397 constraints. */
void zg_cs_to_bits_strict(zg_cs *cs, zg_lc a, zg_lc bits[254]);
/* Packs bits (little-endian) into one zg_lc (no constraint). */
zg_lc zg_cs_from_bits(zg_cs *cs, const zg_lc *bits, unsigned n);
/*
 * Enforces value(bits) <= c for n boolean bits (little-endian) and a constant
 * c (4 little-endian limbs): one constraint per run of zeros of c and at most
 * three per run of ones (about 140 for a 254-bit c).
 */
void zg_cs_bits_le_const(zg_cs *cs, const zg_lc *bits, unsigned n, const uint64_t c[4]);

/*
 * Comparators for values known to be < 2^n (the caller range-checks them;
 * n <= 252): less_than returns the boolean (a < b) at n + 2 constraints;
 * assert_less_than enforces a < b at n + 1 constraints (n + 2 with enabled,
 * which skips the check when enabled is 0).
 */
zg_lc zg_cs_less_than(zg_cs *cs, zg_lc a, zg_lc b, unsigned n);
void zg_cs_assert_less_than(zg_cs *cs, zg_lc a, zg_lc b, unsigned n);
void zg_cs_assert_less_than_if(zg_cs *cs, zg_lc enabled, zg_lc a, zg_lc b, unsigned n);

/* Number of constraints and wires so far (for cost reports). */
static inline uint32_t zg_cs_n_constraints(const zg_cs *cs) { return cs->n_constraints; }
static inline uint32_t zg_cs_n_wires(const zg_cs *cs) { return cs->n_wires; }

#endif
