/*
 * zk_chain.h - a small test circuit built directly as a zg_r1cs (no builder):
 * 5 public inputs p1..p5, private s_0 and the chain
 *     (s_i + p_(i mod 5 + 1)) * (s_i + 3) = s_(i+1),   i = 0..m-1
 * with its witness. Shared by the Groth16 tests (header-only, static).
 */
#ifndef ZK_CHAIN_H
#define ZK_CHAIN_H

#include <stdlib.h>
#include <string.h>

#include "zk/r1cs.h"

static void zk_chain_term(zg_r1cs_term *t, uint32_t wire, uint64_t c)
{
    t->wire = wire;
    zg_fr_set_u64(&t->coeff, c);
}

/* Builds the chain of m constraints; public values from seed. 0 or -1 (ENOMEM). */
static int zk_chain_build(zg_r1cs *r, uint32_t m, uint64_t seed)
{
    const uint32_t np = 5;
    memset(r, 0, sizeof *r);
    r->n_public = np;
    r->n_constraints = m;
    r->n_wires = 1 + np + m + 1;
    for (int k = 0; k < 3; k++) {
        r->row[k] = malloc((m + 1) * sizeof(uint32_t));
        r->terms[k] = malloc(2 * (size_t)m * sizeof(zg_r1cs_term));
        if (!r->row[k] || !r->terms[k]) return -1;
    }
    r->witness = malloc(r->n_wires * sizeof(zg_fr));
    if (!r->witness) return -1;
    zg_fr *w = r->witness;
    zg_fr_one(&w[0]);
    for (uint32_t i = 1; i <= np; i++) zg_fr_set_u64(&w[i], seed * 1000003u + i * 7919u);
    uint32_t s0 = 1 + np;
    zg_fr_set_u64(&w[s0], seed ^ 0xabcdefu);
    for (uint32_t i = 0; i < m; i++) {
        uint32_t s = s0 + i, p = 1 + i % np;
        r->row[0][i] = 2 * i;
        r->row[1][i] = 2 * i;
        r->row[2][i] = i;
        /* A = p + s (sorted by wire: p < s) */
        zk_chain_term(&r->terms[0][2 * i], p, 1);
        zk_chain_term(&r->terms[0][2 * i + 1], s, 1);
        /* B = 3 * one + s */
        zk_chain_term(&r->terms[1][2 * i], 0, 3);
        zk_chain_term(&r->terms[1][2 * i + 1], s, 1);
        zk_chain_term(&r->terms[2][i], s + 1, 1);
        zg_fr a, b, three;
        zg_fr_add(&a, &w[s], &w[p]);
        zg_fr_set_u64(&three, 3);
        zg_fr_add(&b, &w[s], &three);
        zg_fr_mul(&w[s + 1], &a, &b);
    }
    r->row[0][m] = r->row[1][m] = 2 * m;
    r->row[2][m] = m;
    return 0;
}

#endif
