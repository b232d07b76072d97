/*
 * gadgets.h - circuits on top of the R1CS builder: Poseidon, Baby Jubjub
 * point arithmetic and scalar multiplication, EdDSA-Poseidon verification.
 *
 * Each gadget computes its outputs' witness values as it adds constraints,
 * and its constraints never depend on the values (r1cs_builder.h). Costs in
 * constraints are given per call.
 *
 * Curve: Baby Jubjub in twisted Edwards form a x^2 + y^2 = 1 + d x^2 y^2 over
 * BN254 Fr with a = 168700, d = 168696 (EIP-2494, circomlib babyjub.circom);
 * Base8 and the subgroup order l are those of circomlibjs babyjub.js.
 */
#ifndef ZG_ZK_GADGETS_H
#define ZG_ZK_GADGETS_H

#include "zk/r1cs_builder.h"

/* ---- Poseidon (circomlib parameters, src/zk/poseidon.h) ---- */

/* Poseidon(in[0..n)) for 1 <= n <= 16: 3 constraints per S-box that acts on a
 * variable (the first capacity S-box acts on a constant and is free), e.g. 240
 * for n = 2 (t = 3), 321 for n = 5 (t = 6); fewer when inputs are constants. */
zg_lc zg_cs_poseidon(zg_cs *cs, const zg_lc *in, unsigned n);

/* ---- Baby Jubjub ---- */

typedef struct zg_cs_point { zg_lc x, y; } zg_cs_point;   /* affine, in the circuit */
typedef struct zg_bj_affine { zg_fr x, y; } zg_bj_affine;  /* affine, native constant */

/* Native constants: the curve's a and d, Base8, and l as 4 little-endian limbs. */
void zg_bj_consts(zg_fr *a, zg_fr *d);
void zg_bj_base8(zg_bj_affine *b8);
extern const uint64_t zg_bj_subgroup_order[4];
/* Native affine addition (complete on the curve), for tables and tests. */
void zg_bj_affine_add(zg_bj_affine *r, const zg_bj_affine *p, const zg_bj_affine *q);
/* Native k * p for a canonical scalar k (4 little-endian limbs); variable time. */
void zg_bj_affine_mul(zg_bj_affine *r, const zg_bj_affine *p, const uint64_t k[4]);

zg_cs_point zg_cs_point_const(zg_cs *cs, const zg_bj_affine *p);
zg_cs_point zg_cs_point_private(zg_cs *cs, const zg_bj_affine *p);
/* circomlib BabyAdd: 6 constraints (3 when one point is constant). */
zg_cs_point zg_cs_bj_add(zg_cs *cs, zg_cs_point p, zg_cs_point q);
/* Doubling: 5 constraints. */
zg_cs_point zg_cs_bj_double(zg_cs *cs, zg_cs_point p);
/* Enforces a x^2 + y^2 = 1 + d x^2 y^2: 3 constraints. */
void zg_cs_bj_assert_on_curve(zg_cs *cs, zg_cs_point p);
/* cond ? p : q, 2 constraints. */
zg_cs_point zg_cs_bj_select(zg_cs *cs, zg_lc cond, zg_cs_point p, zg_cs_point q);

/*
 * Fixed-base scalar multiplication with 3-bit windows over a constant table
 * (3 constraints per window lookup + 6 per addition: ~3 per bit; 756 for the
 * 253 bits of an EdDSA S). The table is native: build it once per circuit.
 */
#define ZG_BJ_FIX_WINDOWS 85   /* 3-bit windows: up to 255 bits */
typedef struct zg_bj_fixed_table {
    zg_bj_affine w[ZG_BJ_FIX_WINDOWS][8];   /* w[i][k] = k * 8^i * base */
} zg_bj_fixed_table;
void zg_bj_fixed_table_init(zg_bj_fixed_table *t, const zg_bj_affine *base);
/* bits little-endian, n <= 255; bits must be boolean (the caller's bits gadget). */
zg_cs_point zg_cs_bj_mul_fixed(zg_cs *cs, const zg_bj_fixed_table *t, const zg_lc *bits, unsigned n);

/*
 * Variable-base scalar multiplication with a 2-bit window table in the circuit:
 * table building costs 16 constraints per window (once per base), each
 * multiplication 12 per 2 bits (6 per bit). Sharing the table among many
 * multiplications by the same base (a signer's key in every receipt slot) is
 * what makes the settlement circuit cheap. The table is stored in the arena:
 * build it before any zg_cs_mark you will release.
 */
#define ZG_BJ_VAR_WINDOWS 127   /* 2-bit windows: up to 254 bits */
typedef struct zg_cs_bj_table {
    unsigned n_windows;
    zg_cs_point p[ZG_BJ_VAR_WINDOWS][3];   /* p[i][k] = (k + 1) * 4^i * base */
} zg_cs_bj_table;
void zg_cs_bj_table_build(zg_cs *cs, zg_cs_point base, unsigned n_bits, zg_cs_bj_table *t);
zg_cs_point zg_cs_bj_mul_table(zg_cs *cs, const zg_cs_bj_table *t, const zg_lc *bits, unsigned n);
/*
 * Variable-base multiplication with signed odd digits, for a base of the
 * prime-order subgroup (8 A): 3-bit windows v_i read as digits 2 v_i - 7 in
 * {+-1, +-3, +-5, +-7} (no zero digit, negation is free in Edwards form), over
 * the half point Q (2 Q = base, a witness checked in the circuit):
 *   sum_i (2 v_i - 7) 8^i Q = 2 h Q - (8^85 - 1) Q,
 * so starting the sum at the shared offset (8^85 - 1) Q gives h * base. Per
 * multiplication 9 constraints per window lookup + 6 per addition: 1,272 for
 * 254 bits (vs 1,518 for the 2-bit table); the table costs ~3,300 once.
 */
#define ZG_BJ_ODD_WINDOWS 85   /* 3-bit windows: up to 255 bits */
typedef struct zg_cs_bj_otable {
    zg_cs_point p[ZG_BJ_ODD_WINDOWS][4];   /* p[i][k] = (2k + 1) * 8^i * Q */
    zg_cs_point offset;                    /* (8^85 - 1) * Q */
} zg_cs_bj_otable;
void zg_cs_bj_otable_build(zg_cs *cs, zg_cs_point base, zg_cs_bj_otable *t);
/* h * base for n <= 255 boolean bits (missing top bits are 0). */
zg_cs_point zg_cs_bj_mul_otable(zg_cs *cs, const zg_cs_bj_otable *t, const zg_lc *bits, unsigned n);

/* EscalarMulAny equivalent: table + multiplication (n <= 254). */
zg_cs_point zg_cs_bj_mul_any(zg_cs *cs, zg_cs_point base, const zg_lc *bits, unsigned n);

/* ---- EdDSA-Poseidon (circomlib EdDSAPoseidonVerifier) ---- */

/*
 * A verification key prepared once per circuit: A checked on the curve, A8 =
 * 8 A with A8.x != 0 (not of small order), the signed-digit table of A8 and
 * the native table of Base8. 3,323 constraints, shared by every verification.
 */
typedef struct zg_cs_eddsa_key {
    zg_cs_point a;
    zg_cs_bj_otable a8;
    const zg_bj_fixed_table *b8;
} zg_cs_eddsa_key;
void zg_cs_eddsa_key_prepare(zg_cs *cs, zg_cs_point a, const zg_bj_fixed_table *b8,
                             zg_cs_eddsa_key *key);

/*
 * When enabled (a boolean zg_lc) is 1, enforces that (R8, S) is a valid
 * EdDSA-Poseidon signature of msg by key, as circomlib's EdDSAPoseidonVerifier:
 * S < l, h = Poseidon(R8.x, R8.y, A.x, A.y, msg) taken as its unique 254 bits,
 * and S * Base8 == R8 + h * (8 A). R8 is also checked on the curve (as
 * circomlibjs verifyPoseidon does), unconditionally: a disabled slot uses any
 * curve point, e.g. (0, 1). 3,180 constraints per verification: R8 on the
 * curve 3, S bits and S < l 423, Poseidon(5) 321, h's unique bits 397,
 * S * Base8 756, R8 + h * A8 1,278 (signed odd digits), the enabled equality 2.
 */
void zg_cs_eddsa_verify(zg_cs *cs, zg_lc enabled, const zg_cs_eddsa_key *key, zg_lc msg,
                        zg_cs_point r8, zg_lc s);

#endif
