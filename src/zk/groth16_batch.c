/*
 * groth16_batch.c - native batch verification (see groth16.h): the same
 * random linear combination as the generated Solidity verifier.
 */
#include <stdlib.h>

#include "zk/fr_batch.h"
#include "zk/groth16.h"
#include "zk/pairing.h"

static int valid_proof(const zg_groth16_proof *p)
{
    return zg_g1_affine_on_curve(&p->a) && zg_g1_affine_on_curve(&p->c) && zg_g2_affine_on_curve(&p->b) &&
           zg_g2_affine_in_subgroup(&p->b);
}

/* pairs[0..k): (rho_j A_j, B_j); sums: rho, rho x (per input), rho C. */
static int fold(const zg_groth16_vk *vk, const zg_fr *inputs, const zg_groth16_proof *proofs, size_t k,
                zg_g1_aff *p, zg_g2_aff *q, zg_fr *srho, zg_fr *sx, zg_g1 *sc, zg_err *e)
{
    uint32_t np = vk->n_public;
    zg_fr_zero(srho);
    for (uint32_t t = 0; t < np; t++) zg_fr_zero(&sx[t]);
    zg_g1_set_inf(sc);
    for (size_t j = 0; j < k; j++) {
        if (!valid_proof(&proofs[j]))
            return zg_err_set(e, ZG_ECRYPTO, "verify batch: proof %zu has an invalid point", j);
        zg_fr rho, t;
        if (j == 0) zg_fr_one(&rho);
        else if (zg_fr_random(&rho, e)) return ZG_EIO;
        zg_g1 a, c;
        zg_g1_from_affine(&a, &proofs[j].a);
        zg_g1_mul_fr(&a, &a, &rho);
        zg_g1_to_affine(&p[j], &a);
        q[j] = proofs[j].b;
        zg_g1_from_affine(&c, &proofs[j].c);
        zg_g1_mul_fr(&c, &c, &rho);
        zg_g1_add(sc, sc, &c);
        zg_fr_add(srho, srho, &rho);
        for (uint32_t i = 0; i < np; i++) {
            zg_fr_mul(&t, &rho, &inputs[j * np + i]);
            zg_fr_add(&sx[i], &sx[i], &t);
        }
    }
    return ZG_OK;
}

int zg_groth16_verify_batch(const zg_groth16_vk *vk, const zg_fr *inputs, const zg_groth16_proof *proofs,
                            size_t k, zg_err *e)
{
    if (k == 0) return zg_err_set(e, ZG_EINVAL, "verify batch: no proofs");
    zg_g1_aff *p = malloc((k + 3) * sizeof *p);
    zg_g2_aff *q = malloc((k + 3) * sizeof *q);
    zg_fr *sx = malloc(((size_t)vk->n_public + 1) * sizeof *sx);
    int rc = ZG_ENOMEM;
    if (!p || !q || !sx) {
        zg_err_set(e, rc, "verify batch: out of memory");
        goto out;
    }
    zg_fr srho;
    zg_g1 sc, l, t, al;
    if ((rc = fold(vk, inputs, proofs, k, p, q, &srho, sx, &sc, e))) goto out;
    /* -(sum rho) alpha, -(sum rho L), -(sum rho C) */
    zg_g1_from_affine(&al, &vk->alpha1);
    zg_g1_mul_fr(&al, &al, &srho);
    zg_g1_neg(&al, &al);
    zg_g1_from_affine(&l, &vk->ic[0]);
    zg_g1_mul_fr(&l, &l, &srho);
    for (uint32_t i = 0; i < vk->n_public; i++) {
        zg_g1_from_affine(&t, &vk->ic[i + 1]);
        zg_g1_mul_fr(&t, &t, &sx[i]);
        zg_g1_add(&l, &l, &t);
    }
    zg_g1_neg(&l, &l);
    zg_g1_neg(&sc, &sc);
    zg_g1_to_affine(&p[k], &al);
    q[k] = vk->beta2;
    zg_g1_to_affine(&p[k + 1], &l);
    q[k + 1] = vk->gamma2;
    zg_g1_to_affine(&p[k + 2], &sc);
    q[k + 2] = vk->delta2;
    int one = 0;
    if ((rc = zg_pairing_check(p, q, k + 3, &one))) {
        zg_err_set(e, rc, "verify batch: out of memory");
        goto out;
    }
    rc = one ? ZG_OK : zg_err_set(e, ZG_ECRYPTO, "verify batch: at least one of %zu proofs does not verify", k);
out:
    free(p);
    free(q);
    free(sx);
    return rc;
}
