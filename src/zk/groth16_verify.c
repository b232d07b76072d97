/*
 * groth16_verify.c - the native Groth16 verifier: one multi-pairing
 * e(-A, B) e(alpha, beta) e(L, gamma) e(C, delta) == 1, L = IC_0 + sum x_i IC_i.
 */
#include "zk/groth16.h"
#include "zk/pairing.h"

int zg_groth16_verify(const zg_groth16_vk *vk, const zg_fr *inputs, uint32_t n_public,
                      const zg_groth16_proof *proof, zg_err *e)
{
    if (n_public != vk->n_public)
        return zg_err_set(e, ZG_EINVAL, "verify: %u public inputs given, the key expects %u",
                          n_public, vk->n_public);
    if (!zg_g1_affine_on_curve(&proof->a) || !zg_g1_affine_on_curve(&proof->c) ||
        !zg_g2_affine_on_curve(&proof->b) || !zg_g2_affine_in_subgroup(&proof->b))
        return zg_err_set(e, ZG_ECRYPTO, "verify: a proof point is not a valid curve point");
    zg_g1 L, t;
    zg_g1_from_affine(&L, &vk->ic[0]);
    for (uint32_t i = 0; i < n_public; i++) {
        zg_g1_from_affine(&t, &vk->ic[i + 1]);
        zg_g1_mul_fr(&t, &t, &inputs[i]);
        zg_g1_add(&L, &L, &t);
    }
    zg_g1_aff p[4];
    zg_g2_aff q[4];
    zg_g1_affine_neg(&p[0], &proof->a);
    q[0] = proof->b;
    p[1] = vk->alpha1;
    q[1] = vk->beta2;
    zg_g1_to_affine(&p[2], &L);
    q[2] = vk->gamma2;
    p[3] = proof->c;
    q[3] = vk->delta2;
    int one = 0;
    if (zg_pairing_check(p, q, 4, &one)) return zg_err_set(e, ZG_ENOMEM, "verify: out of memory");
    if (!one) return zg_err_set(e, ZG_ECRYPTO, "verify: the proof does not verify for these public inputs");
    return ZG_OK;
}
