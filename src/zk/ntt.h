/*
 * ntt.h - radix-2 number-theoretic transform over BN254 Fr.
 *
 * r - 1 = 2^28 * t (t odd), so domains of size 2^k, k <= 28, exist. The
 * primitive 2^28-th root of unity is 5^t (5 is the least quadratic
 * non-residue of Fr; zg_fr_field.root), which is the root ffjavascript and
 * snarkjs use (Fr.w[28] = 19103219067921713944291392827692070036145651957329286315305642004821462161904),
 * so our domains and evaluation orders match snarkjs' .zkey files. The root
 * of a 2^k domain is 5^(t 2^(28-k)).
 *
 * Values are in natural order on both sides: forward maps coefficients
 * a_0..a_{n-1} to evaluations a(omega^i); inverse maps back.
 */
#ifndef ZG_ZK_NTT_H
#define ZG_ZK_NTT_H

#include <stddef.h>

#include "zg/error.h"
#include "zk/fr.h"

#define ZG_NTT_MAX_LOG 28

typedef struct zg_ntt_domain {
    unsigned log_n;
    size_t n;
    zg_fr omega, omega_inv, n_inv;
    zg_fr *tw;      /* omega^i, i < n/2 */
    zg_fr *tw_inv;  /* omega^-i, i < n/2 */
} zg_ntt_domain;

/* The primitive 2^log_n-th root of unity (log_n <= 28). */
void zg_fr_root_of_unity(zg_fr *r, unsigned log_n);

int zg_ntt_domain_init(zg_ntt_domain *d, unsigned log_n, zg_err *e);
void zg_ntt_domain_free(zg_ntt_domain *d);

void zg_ntt_forward(const zg_ntt_domain *d, zg_fr *a);
void zg_ntt_inverse(const zg_ntt_domain *d, zg_fr *a);
/* Evaluations on the coset g*D: a_i *= g^i, then forward. */
void zg_ntt_coset_forward(const zg_ntt_domain *d, zg_fr *a, const zg_fr *g);
/* Inverse of the above: inverse, then a_i *= g^-i. */
void zg_ntt_coset_inverse(const zg_ntt_domain *d, zg_fr *a, const zg_fr *g);
/* Evaluations on D to evaluations on the coset g*D: zg_ntt_inverse then
 * zg_ntt_coset_forward, with the 1/n and the shift in one pass (the
 * prover's step for each of a, b, c). */
void zg_ntt_inverse_to_coset(const zg_ntt_domain *d, zg_fr *a, const zg_fr *g);

#endif
