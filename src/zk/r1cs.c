/* r1cs.c - freeing and checking a finished constraint system (see r1cs.h). */
#include "zk/r1cs.h"

#include <stdlib.h>
#include <string.h>

void zg_r1cs_free(zg_r1cs *r)
{
    if (!r)
        return;
    for (int m = 0; m < 3; m++) {
        free(r->row[m]);
        free(r->terms[m]);
    }
    free(r->witness);
    memset(r, 0, sizeof *r);
}

void zg_r1cs_row_eval(const zg_r1cs *r, int m, uint32_t i, const zg_fr *w, zg_fr *out)
{
    zg_fr acc, t, one;
    zg_fr_zero(&acc);
    zg_fr_one(&one);
    for (uint32_t k = r->row[m][i]; k < r->row[m][i + 1]; k++) {
        const zg_r1cs_term *term = &r->terms[m][k];
        if (zg_fr_eq(&term->coeff, &one)) {   /* most coefficients are 1: skip the product */
            zg_fr_add(&acc, &acc, &w[term->wire]);
            continue;
        }
        zg_fr_mul(&t, &term->coeff, &w[term->wire]);
        zg_fr_add(&acc, &acc, &t);
    }
    *out = acc;
}

int zg_r1cs_check(const zg_r1cs *r, const zg_fr *w, uint32_t *first_bad, zg_err *e)
{
    zg_fr one, a, b, c, ab;
    zg_fr_one(&one);
    if (!w || r->n_wires == 0 || !zg_fr_eq(&w[0], &one)) {
        if (first_bad)
            *first_bad = r->n_constraints;
        return zg_err_set(e, ZG_ECRYPTO, "witness wire 0 must be the constant 1");
    }
    for (uint32_t i = 0; i < r->n_constraints; i++) {
        zg_r1cs_row_eval(r, 0, i, w, &a);
        zg_r1cs_row_eval(r, 1, i, w, &b);
        zg_r1cs_row_eval(r, 2, i, w, &c);
        zg_fr_mul(&ab, &a, &b);
        if (!zg_fr_eq(&ab, &c)) {
            if (first_bad)
                *first_bad = i;
            return zg_err_set(e, ZG_ECRYPTO, "constraint %u of %u is not satisfied (A*B != C)",
                              i, r->n_constraints);
        }
    }
    return ZG_OK;
}

uint64_t zg_r1cs_n_terms(const zg_r1cs *r)
{
    uint64_t n = 0;
    for (int m = 0; m < 3; m++)
        n += r->row[m] ? r->row[m][r->n_constraints] : 0;
    return n;
}
