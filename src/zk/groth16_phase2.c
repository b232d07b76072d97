/*
 * groth16_phase2.c - phase-2 contributions over delta and their check (see
 * groth16.h). Same algebra as snarkjs' `zkey contribute` (delta' = x delta,
 * L' = L / x, H' = H / x), on our key format.
 */
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "zk/fr_batch.h"
#include "zk/groth16.h"
#include "zk/msm.h"
#include "zk/pairing.h"

typedef struct scale_job {
    zg_g1_aff *p;
    zg_g1 *tmp;
    size_t lo, hi;
    const zg_fr *k;
} scale_job;

static void *scale_worker(void *arg)
{
    scale_job *j = arg;
    for (size_t i = j->lo; i < j->hi; i++) {
        zg_g1_from_affine(&j->tmp[i], &j->p[i]);
        zg_g1_mul_fr(&j->tmp[i], &j->tmp[i], j->k);
    }
    return NULL;
}

/* p[i] = k p[i] for all i, threads splitting the points. */
static int scale_points(zg_g1_aff *p, size_t n, const zg_fr *k, int threads)
{
    zg_g1 *tmp = malloc((n ? n : 1) * sizeof *tmp);
    if (!tmp) return ZG_ENOMEM;
    int nt = zg_msm_threads(threads);
    scale_job jobs[64];
    pthread_t tid[64];
    int created[64] = {0};
    for (int t = 0; t < nt; t++) {
        jobs[t] = (scale_job){p, tmp, n * (size_t)t / (size_t)nt, n * (size_t)(t + 1) / (size_t)nt, k};
        if (t > 0) created[t] = pthread_create(&tid[t], NULL, scale_worker, &jobs[t]) == 0;
    }
    scale_worker(&jobs[0]);
    for (int t = 1; t < nt; t++) {
        if (created[t]) pthread_join(tid[t], NULL);
        else scale_worker(&jobs[t]);
    }
    int rc = zg_g1_batch_to_affine(p, tmp, n);
    free(tmp);
    return rc;
}

int zg_groth16_contribute(zg_groth16_pk *pk, int threads, zg_err *e)
{
    zg_fr x, xi;
    int rc = zg_fr_random(&x, e);
    if (rc) return rc;
    zg_fr_inv(&xi, &x);
    size_t npriv = pk->n_wires - pk->n_public - 1, n = (size_t)1 << pk->log_n;
    zg_g1_aff *l1 = malloc((npriv ? npriv : 1) * sizeof *l1), *h1 = malloc(n * sizeof *h1);
    rc = ZG_ENOMEM;
    if (l1 && h1) {
        memcpy(l1, pk->l1, npriv * sizeof *l1);
        memcpy(h1, pk->h1, n * sizeof *h1);
        rc = scale_points(l1, npriv, &xi, threads);
        if (!rc) rc = scale_points(h1, n, &xi, threads);
    }
    if (rc) {
        free(l1);
        free(h1);
        memset(&x, 0, sizeof x);
        memset(&xi, 0, sizeof xi);
        return zg_err_set(e, rc, "contribute: out of memory");
    }
    zg_g1 d1;
    zg_g2 d2;
    zg_g1_from_affine(&d1, &pk->delta1);
    zg_g1_mul_fr(&d1, &d1, &x);
    zg_g1_to_affine(&pk->delta1, &d1);
    zg_g2_from_affine(&d2, &pk->vk.delta2);
    zg_g2_mul_fr(&d2, &d2, &x);
    zg_g2_to_affine(&pk->vk.delta2, &d2);
    free(pk->l1);
    free(pk->h1);
    pk->l1 = l1;
    pk->h1 = h1;
    /* x is this contribution's toxic waste. */
    memset(&x, 0, sizeof x);
    memset(&xi, 0, sizeof xi);
    return ZG_OK;
}

static int same_except_delta(const zg_groth16_pk *a, const zg_groth16_pk *b)
{
    size_t nw = a->n_wires;
    if (a->n_wires != b->n_wires || a->n_public != b->n_public || a->n_constraints != b->n_constraints ||
        a->log_n != b->log_n || a->vk.n_public != b->vk.n_public)
        return 0;
    return !memcmp(&a->beta1, &b->beta1, sizeof a->beta1) &&
           !memcmp(&a->vk.alpha1, &b->vk.alpha1, sizeof a->vk.alpha1) &&
           !memcmp(&a->vk.beta2, &b->vk.beta2, sizeof a->vk.beta2) &&
           !memcmp(&a->vk.gamma2, &b->vk.gamma2, sizeof a->vk.gamma2) &&
           !memcmp(a->vk.ic, b->vk.ic, ((size_t)a->n_public + 1) * sizeof *a->vk.ic) &&
           !memcmp(a->a1, b->a1, nw * sizeof *a->a1) && !memcmp(a->b1, b->b1, nw * sizeof *a->b1) &&
           !memcmp(a->b2, b->b2, nw * sizeof *a->b2);
}

/* s = sum rho_i p_i over l1 and h1 with the given random weights. */
static int combine(zg_g1_aff *s, const zg_groth16_pk *pk, const zg_fr *rho)
{
    size_t npriv = pk->n_wires - pk->n_public - 1, n = (size_t)1 << pk->log_n;
    zg_g1 a, b;
    int rc = zg_msm_g1(&a, pk->l1, rho, npriv, 0);
    if (!rc) rc = zg_msm_g1(&b, pk->h1, rho + npriv, n, 0);
    if (rc) return rc;
    zg_g1_add(&a, &a, &b);
    zg_g1_to_affine(s, &a);
    return ZG_OK;
}

int zg_groth16_verify_contribution(const zg_groth16_pk *before, const zg_groth16_pk *after, zg_err *e)
{
    if (!same_except_delta(before, after))
        return zg_err_set(e, ZG_ECRYPTO, "contribution changed more than delta, L and H");
    if (zg_g1_affine_is_inf(&after->delta1) || !zg_g1_affine_on_curve(&after->delta1) ||
        !zg_g2_affine_on_curve(&after->vk.delta2) || !zg_g2_affine_in_subgroup(&after->vk.delta2))
        return zg_err_set(e, ZG_ECRYPTO, "contribution: new delta is not a valid point");
    size_t npriv = before->n_wires - before->n_public - 1, n = (size_t)1 << before->log_n;
    zg_fr *rho = malloc((npriv + n) * sizeof *rho);
    if (!rho) return zg_err_set(e, ZG_ENOMEM, "contribution check: out of memory");
    int rc = ZG_OK;
    for (size_t i = 0; i < npriv + n && !rc; i++) rc = zg_fr_random(&rho[i], e);
    zg_g1_aff p[2], sb, sa;
    zg_g2_aff q[2];
    if (!rc) rc = combine(&sb, before, rho);
    if (!rc) rc = combine(&sa, after, rho);
    free(rho);
    if (rc) return zg_err_set(e, rc, "contribution check failed to run");
    int ok1 = 0, ok2 = 0;
    /* e(delta1', delta2) = e(delta1, delta2'): the same x in G1 and G2. */
    p[0] = after->delta1;
    q[0] = before->vk.delta2;
    zg_g1_affine_neg(&p[1], &before->delta1);
    q[1] = after->vk.delta2;
    rc = zg_pairing_check(p, q, 2, &ok1);
    /* e(S', delta2') = e(S, delta2): L and H divided by that x. */
    p[0] = sa;
    q[0] = after->vk.delta2;
    zg_g1_affine_neg(&p[1], &sb);
    q[1] = before->vk.delta2;
    if (!rc) rc = zg_pairing_check(p, q, 2, &ok2);
    if (rc) return zg_err_set(e, rc, "contribution check: out of memory");
    if (!ok1) return zg_err_set(e, ZG_ECRYPTO, "contribution: delta in G1 and G2 moved by different factors");
    if (!ok2) return zg_err_set(e, ZG_ECRYPTO, "contribution: L/H queries are not scaled by 1/x");
    return ZG_OK;
}
