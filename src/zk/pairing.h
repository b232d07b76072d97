/*
 * pairing.h - the optimal ate pairing on BN254 (e: G1 x G2 -> GT in Fq12).
 *
 * Miller loop over the NAF of 6x+2 with x = 4965661367192848881 (the BN
 * parameter of EIP-197), plus the two Frobenius lines pi(Q), -pi^2(Q)
 * (Vercauteren, "Optimal pairings", 2010; Beuchat et al., "High-Speed Software
 * Implementation of the Optimal Ate Pairing over Barreto-Naehrig Curves",
 * 2010), then the final exponentiation f^((q^12 - 1)/r): the easy part
 * (q^6 - 1)(q^2 + 1) and the hard part by the x-chain of Scott et al., "On the
 * Final Exponentiation for Calculating Pairings on Ordinary Elliptic Curves"
 * (2009). Points are affine; the Miller loop is affine too (one Fq2 inversion
 * per step), which is simple and fast enough for a verifier.
 * Variable time: for public points.
 */
#ifndef ZG_ZK_PAIRING_H
#define ZG_ZK_PAIRING_H

#include "zk/fq12.h"
#include "zk/g1.h"
#include "zk/g2.h"

/* f = prod_i MillerLoop(p[i], q[i]); pairs with an infinity are skipped.
 * ZG_ENOMEM only. */
int zg_miller_loop(zg_fq12 *f, const zg_g1_aff *p, const zg_g2_aff *q, size_t n);
/* r = f^((q^12 - 1)/r). */
void zg_final_exp(zg_fq12 *r, const zg_fq12 *f);
/* r = e(p, q). */
int zg_pairing(zg_fq12 *r, const zg_g1_aff *p, const zg_g2_aff *q);
/* *is_one = (prod_i e(p[i], q[i]) == 1), the check of the EVM precompile 0x08.
 * The points must be valid (on the curve, in the subgroup): the caller checks
 * untrusted input with zg_g1_from_bytes / zg_g2_from_bytes. ZG_ENOMEM only. */
int zg_pairing_check(const zg_g1_aff *p, const zg_g2_aff *q, size_t n, int *is_one);

#endif
