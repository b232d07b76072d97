/*
 * groth16_prove.c - the Groth16 prover (layout and H convention: groth16.h).
 *
 * Steps: a, b, c = A w, B w, C w on the domain D (plus the public-input rows);
 * to coefficients (inverse NTT) and to the odd coset omega_2n D (coset NTT),
 * the three polynomials in parallel threads; d = a b - c there. Meanwhile the
 * MSMs over the witness: A = alpha + sum w_i A_i + r delta,
 * B = beta + sum w_i B_i + s delta (G2, and in G1 for C); then
 * C = sum_priv w_i L_i + sum d_i H_i + s A + r B1 - r s delta.
 */
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "zk/fr_batch.h"
#include "zk/groth16.h"
#include "zk/msm.h"
#include "zk/ntt.h"

/* One of a, b, c: its rows evaluated on D, or its transform to the odd coset. */
typedef struct poly_job {
    const zg_r1cs *cs;
    const zg_fr *w;
    int m;                      /* 0 = a, 1 = b, 2 = c */
    zg_fr *v;                   /* 2^log_n values */
    size_t n;
    const zg_ntt_domain *d;
    zg_fr shift;
} poly_job;

static void *eval_rows(void *arg)
{
    poly_job *j = arg;
    memset(j->v, 0, j->n * sizeof(zg_fr));
    for (uint32_t i = 0; i < j->cs->n_constraints; i++) zg_r1cs_row_eval(j->cs, j->m, i, j->w, &j->v[i]);
    return NULL;
}

static void *to_odd_coset(void *arg)
{
    poly_job *j = arg;
    zg_ntt_inverse_to_coset(j->d, j->v, &j->shift);
    return NULL;
}

/* Runs fn on the three jobs, in threads when there is more than one. */
static void run_three(void *(*fn)(void *), poly_job jobs[3], int threads)
{
    pthread_t tid[3];
    int created[3] = {0, 0, 0};
    int nt = zg_msm_threads(threads);
    for (int m = 1; m < 3; m++)
        if (nt > 1) created[m] = pthread_create(&tid[m], NULL, fn, &jobs[m]) == 0;
    fn(&jobs[0]);
    for (int m = 1; m < 3; m++) {
        if (created[m]) pthread_join(tid[m], NULL);
        else fn(&jobs[m]);
    }
}

/* The rows are the witness check too: every constraint must have a b = c
 * (the test of zg_r1cs_check, without evaluating the rows twice). */
static int check_rows(zg_fr *abc[3], const zg_r1cs *cs, zg_err *e)
{
    zg_fr ab;
    for (uint32_t i = 0; i < cs->n_constraints; i++) {
        zg_fr_mul(&ab, &abc[0][i], &abc[1][i]);
        if (!zg_fr_eq(&ab, &abc[2][i]))
            return zg_err_set(e, ZG_EINVAL, "prove: the witness does not satisfy constraint %u of %u",
                              i, cs->n_constraints);
    }
    return ZG_OK;
}

/* The evaluations of a, b, c on D, then d = a b - c on the odd coset (in abc[0]). */
static int quotient_evals(zg_fr *abc[3], const zg_groth16_pk *pk, const zg_r1cs *cs,
                          const zg_fr *w, int threads, zg_err *e)
{
    zg_fr one;
    zg_fr_one(&one);
    if (cs->n_wires == 0 || !zg_fr_eq(&w[0], &one))
        return zg_err_set(e, ZG_EINVAL, "prove: witness wire 0 must be the constant 1");
    size_t n = (size_t)1 << pk->log_n;
    zg_ntt_domain d;
    int rc = zg_ntt_domain_init(&d, pk->log_n, e);
    if (rc) return rc;
    poly_job jobs[3];
    for (int m = 0; m < 3; m++) {
        jobs[m] = (poly_job){cs, w, m, abc[m], n, &d, {{0}}};
        zg_fr_root_of_unity(&jobs[m].shift, pk->log_n + 1);
    }
    run_three(eval_rows, jobs, threads);
    if ((rc = check_rows(abc, cs, e))) {
        zg_ntt_domain_free(&d);
        return rc;
    }
    for (uint32_t i = 0; i <= cs->n_public; i++) abc[0][cs->n_constraints + i] = w[i];
    run_three(to_odd_coset, jobs, threads);
    zg_ntt_domain_free(&d);
    for (size_t i = 0; i < n; i++) {
        zg_fr_mul(&abc[0][i], &abc[0][i], &abc[1][i]);
        zg_fr_sub(&abc[0][i], &abc[0][i], &abc[2][i]);
    }
    return ZG_OK;
}

static int check_shape(const zg_groth16_pk *pk, const zg_r1cs *cs, zg_err *e)
{
    if (pk->n_wires != cs->n_wires || pk->n_public != cs->n_public ||
        pk->n_constraints != cs->n_constraints ||
        pk->log_n != zg_groth16_domain_log(cs->n_constraints, cs->n_public))
        return zg_err_set(e, ZG_EINVAL,
                          "prove: the proving key is for %u wires/%u public/%u constraints, "
                          "the circuit has %u/%u/%u",
                          pk->n_wires, pk->n_public, pk->n_constraints, cs->n_wires, cs->n_public,
                          cs->n_constraints);
    return ZG_OK;
}

/* Adds the blinding: A += alpha + r delta1, B2 += beta2 + s delta2,
 * B1 += beta1 + s delta1, C += s A + r B1 - r s delta1. */
static void blind(zg_g1 *A, zg_g2 *B2, zg_g1 *B1, zg_g1 *C, const zg_groth16_pk *pk,
                  const zg_fr *r, const zg_fr *s)
{
    zg_g1 d1, t;
    zg_g2 d2, t2;
    zg_fr rs;
    zg_g1_from_affine(&d1, &pk->delta1);
    zg_g2_from_affine(&d2, &pk->vk.delta2);
    zg_g1_add_affine(A, A, &pk->vk.alpha1);
    zg_g1_mul_fr(&t, &d1, r);
    zg_g1_add(A, A, &t);
    zg_g2_add_affine(B2, B2, &pk->vk.beta2);
    zg_g2_mul_fr(&t2, &d2, s);
    zg_g2_add(B2, B2, &t2);
    zg_g1_add_affine(B1, B1, &pk->beta1);
    zg_g1_mul_fr(&t, &d1, s);
    zg_g1_add(B1, B1, &t);
    zg_g1_mul_fr(&t, A, s);
    zg_g1_add(C, C, &t);
    zg_g1_mul_fr(&t, B1, r);
    zg_g1_add(C, C, &t);
    zg_fr_mul(&rs, r, s);
    zg_fr_neg(&rs, &rs);
    zg_g1_mul_fr(&t, &d1, &rs);
    zg_g1_add(C, C, &t);
}

/* The quotient side of a proof, run beside the MSMs that do not need it. */
typedef struct quotient_job {
    zg_fr **abc;
    const zg_groth16_pk *pk;
    const zg_r1cs *cs;
    const zg_fr *w;
    int threads, rc;
    zg_err err;
} quotient_job;

/* d = a b - c on the odd coset, left canonical in place in abc[0] (the H
 * MSM's scalars). */
static void *quotient_side(void *arg)
{
    quotient_job *q = arg;
    q->rc = quotient_evals(q->abc, q->pk, q->cs, q->w, q->threads, &q->err);
    if (q->rc) return NULL;
    size_t n = (size_t)1 << q->pk->log_n;
    uint64_t (*dc)[4] = (uint64_t (*)[4])q->abc[0];
    for (size_t i = 0; i < n; i++) {
        uint64_t t[4];
        zg_fr_to_canonical(t, &q->abc[0][i]);
        memcpy(dc[i], t, sizeof t);
    }
    return NULL;
}

/*
 * The MSMs over the witness (A, B in G1 and G2, the private part of C) do
 * not wait for the quotient: they run while another thread computes it, so
 * both cores stay busy through the NTTs; the H MSM follows. A witness that
 * fails the check is only found by the quotient side: the MSMs' work is then
 * thrown away, which costs time but nothing else.
 */
static int prove_msms(zg_g1 *A, zg_g2 *B2, zg_g1 *B1, zg_g1 *C, zg_fr *abc[3],
                      const zg_groth16_pk *pk, const zg_r1cs *cs, const zg_fr *w,
                      const uint64_t (*cw)[4], int threads, zg_err *e)
{
    size_t n = (size_t)1 << pk->log_n, nw = cs->n_wires, np = cs->n_public;
    quotient_job q = {abc, pk, cs, w, threads, ZG_OK, {0}};
    pthread_t tid;
    int threaded = zg_msm_threads(threads) > 1 && pthread_create(&tid, NULL, quotient_side, &q) == 0;
    if (!threaded) quotient_side(&q);
    const zg_msm_task wires[4] = {
        {.g2 = 1, .pts2 = pk->b2, .r2 = B2, .k = cw, .n = nw},
        {.pts1 = pk->a1, .r1 = A, .k = cw, .n = nw},
        {.pts1 = pk->b1, .r1 = B1, .k = cw, .n = nw},
        {.pts1 = pk->l1, .r1 = C, .k = cw + np + 1, .n = nw - np - 1},
    };
    int rc = zg_msm_many(wires, 4, threads);
    if (threaded) pthread_join(tid, NULL);
    if (q.rc) {
        if (e) *e = q.err;
        return q.rc;
    }
    if (rc) return rc;
    zg_g1 H;
    const zg_msm_task h = {.pts1 = pk->h1, .r1 = &H, .k = (const uint64_t (*)[4])abc[0], .n = n};
    if ((rc = zg_msm_many(&h, 1, threads))) return rc;
    zg_g1_add(C, C, &H);
    return ZG_OK;
}

int zg_groth16_prove(zg_groth16_proof *proof, const zg_groth16_pk *pk, const zg_r1cs *cs,
                     const zg_fr *w, int threads, zg_err *e)
{
    int rc = check_shape(pk, cs, e);
    if (rc) return rc;
    if (!w) w = cs->witness;
    if (!w) return zg_err_set(e, ZG_EINVAL, "prove: no witness given and the circuit carries none");
    size_t n = (size_t)1 << pk->log_n, nw = cs->n_wires;
    zg_fr *abc[3] = {malloc(n * sizeof(zg_fr)), malloc(n * sizeof(zg_fr)), malloc(n * sizeof(zg_fr))};
    uint64_t (*wc)[4] = malloc(nw * sizeof *wc);
    rc = ZG_ENOMEM;
    if (!abc[0] || !abc[1] || !abc[2] || !wc) goto out;
    for (size_t i = 0; i < nw; i++) zg_fr_to_canonical(wc[i], &w[i]);
    zg_g1 A, B1, C;
    zg_g2 B2;
    if ((rc = prove_msms(&A, &B2, &B1, &C, abc, pk, cs, w, (const uint64_t (*)[4])wc, threads, e))) goto out;
    zg_fr r, s;
    if ((rc = zg_fr_random(&r, e)) || (rc = zg_fr_random(&s, e))) goto out;
    blind(&A, &B2, &B1, &C, pk, &r, &s);
    memset(&r, 0, sizeof r);
    memset(&s, 0, sizeof s);
    zg_g1_to_affine(&proof->a, &A);
    zg_g2_to_affine(&proof->b, &B2);
    zg_g1_to_affine(&proof->c, &C);
out:
    for (int m = 0; m < 3; m++) free(abc[m]);
    if (wc) memset(wc, 0, nw * sizeof *wc);   /* the private witness */
    free(wc);
    if (rc == ZG_ENOMEM) return zg_err_set(e, rc, "prove: out of memory (domain 2^%u)", pk->log_n);
    return rc;
}
