/*
 * groth16_setup.c - the DEVELOPMENT setup (NOT FOR PRODUCTION): random toxic
 * waste, then the proving and verifying keys in the snarkjs layout
 * (groth16.h). The waste lives only in this function's locals and is wiped.
 */
#include <stdlib.h>
#include <string.h>

#include "zk/fr_batch.h"
#include "zk/groth16.h"
#include "zk/msm.h"
#include "zk/ntt.h"

typedef struct waste { zg_fr tau, alpha, beta, gamma, delta; } waste;

/* u, v, w = A_i(tau), B_i(tau), C_i(tau) for every wire, from the Lagrange
 * basis values lag[j] = L_j(tau) of the n-point domain. */
static void qap_at_tau(const zg_r1cs *cs, const zg_fr *lag, zg_fr *uvw[3])
{
    for (int m = 0; m < 3; m++) {
        memset(uvw[m], 0, (size_t)cs->n_wires * sizeof(zg_fr));
        for (uint32_t j = 0; j < cs->n_constraints; j++)
            for (uint32_t t = cs->row[m][j]; t < cs->row[m][j + 1]; t++) {
                const zg_r1cs_term *term = &cs->terms[m][t];
                zg_fr p;
                zg_fr_mul(&p, &term->coeff, &lag[j]);
                zg_fr_add(&uvw[m][term->wire], &uvw[m][term->wire], &p);
            }
    }
    /* The extra rows m + i: A = wire i (i = 0..n_public). */
    for (uint32_t i = 0; i <= cs->n_public; i++)
        zg_fr_add(&uvw[0][i], &uvw[0][i], &lag[cs->n_constraints + i]);
}

/* out[j] = (tau^N - 1)/N * x_j / (tau - x_j) for x_j = shift * omega^j, j < n,
 * omega of order n; N is the size of the domain the basis belongs to. This is
 * L_j(tau) on the domain (N = n, shift 1) and L_{2j+1} of the 2n domain
 * (N = 2n, shift = omega_2n). */
static int lagrange(zg_fr *out, size_t n, const zg_fr *tau, const zg_fr *omega,
                    const zg_fr *shift, uint64_t N)
{
    zg_fr x = *shift, tn, k;
    for (size_t j = 0; j < n; j++) {
        zg_fr_sub(&out[j], tau, &x);
        zg_fr_mul(&x, &x, omega);
    }
    if (zg_fr_batch_inv(out, n)) return ZG_ENOMEM;
    const uint64_t e[4] = {N, 0, 0, 0};
    zg_fr_pow(&tn, tau, e);
    zg_fr_one(&k);
    zg_fr_sub(&tn, &tn, &k);
    zg_fr_set_u64(&k, N);
    zg_fr_inv(&k, &k);
    zg_fr_mul(&k, &k, &tn);
    x = *shift;
    for (size_t j = 0; j < n; j++) {
        zg_fr_mul(&out[j], &out[j], &x);
        zg_fr_mul(&out[j], &out[j], &k);
        zg_fr_mul(&x, &x, omega);
    }
    return ZG_OK;
}

static int draw_waste(waste *w, unsigned log_n, zg_err *e)
{
    zg_fr *f[5] = {&w->tau, &w->alpha, &w->beta, &w->gamma, &w->delta};
    for (int i = 0; i < 5; i++)
        if (zg_fr_random(f[i], e)) return ZG_EIO;
    /* tau must avoid the 2n-th roots of unity (probability ~2^-226). */
    zg_fr t = w->tau, one;
    for (unsigned i = 0; i <= log_n; i++) zg_fr_sqr(&t, &t);
    zg_fr_one(&one);
    if (zg_fr_eq(&t, &one)) return zg_err_set(e, ZG_EINTERNAL, "setup drew a root of unity; run it again");
    return ZG_OK;
}

static int alloc_pk(zg_groth16_pk *pk, const zg_r1cs *cs, unsigned log_n)
{
    size_t nw = cs->n_wires, np = cs->n_public, n = (size_t)1 << log_n;
    memset(pk, 0, sizeof *pk);
    pk->n_wires = cs->n_wires;
    pk->n_public = cs->n_public;
    pk->n_constraints = cs->n_constraints;
    pk->log_n = log_n;
    pk->vk.n_public = cs->n_public;
    pk->a1 = malloc(nw * sizeof *pk->a1);
    pk->b1 = malloc(nw * sizeof *pk->b1);
    pk->b2 = malloc(nw * sizeof *pk->b2);
    pk->l1 = malloc((nw - np - 1 ? nw - np - 1 : 1) * sizeof *pk->l1);
    pk->h1 = malloc(n * sizeof *pk->h1);
    pk->vk.ic = malloc((np + 1) * sizeof *pk->vk.ic);
    if (!pk->a1 || !pk->b1 || !pk->b2 || !pk->l1 || !pk->h1 || !pk->vk.ic) return ZG_ENOMEM;
    return ZG_OK;
}

/* Builds every scalar of the keys, then multiplies the generators once. */
static int build_keys(zg_groth16_pk *pk, const zg_r1cs *cs, const waste *tw, int threads)
{
    size_t nw = cs->n_wires, np = cs->n_public, n = (size_t)1 << pk->log_n;
    size_t npriv = nw - np - 1;
    /* G1 scalars: a1 | b1 | l1 | ic | h1 | alpha beta delta */
    size_t n1 = 2 * nw + npriv + (np + 1) + n + 3;
    zg_fr *s1 = malloc(n1 * sizeof *s1), *lag = malloc(n * sizeof *lag);
    zg_fr *uvw[3] = {malloc(nw * sizeof(zg_fr)), malloc(nw * sizeof(zg_fr)), malloc(nw * sizeof(zg_fr))};
    zg_g1_aff *p1 = malloc(n1 * sizeof *p1);
    int rc = ZG_ENOMEM;
    if (!s1 || !lag || !uvw[0] || !uvw[1] || !uvw[2] || !p1) goto out;
    zg_fr omega, omega2, one, gi, di, t;
    zg_fr_root_of_unity(&omega, pk->log_n);
    zg_fr_root_of_unity(&omega2, pk->log_n + 1);
    zg_fr_one(&one);
    if ((rc = lagrange(lag, n, &tw->tau, &omega, &one, n))) goto out;
    qap_at_tau(cs, lag, uvw);
    zg_fr_inv(&gi, &tw->gamma);
    zg_fr_inv(&di, &tw->delta);
    zg_fr *a = s1, *b = s1 + nw, *l = s1 + 2 * nw, *ic = l + npriv, *h = ic + np + 1, *x = h + n;
    for (size_t i = 0; i < nw; i++) {
        a[i] = uvw[0][i];
        b[i] = uvw[1][i];
        zg_fr k;   /* beta u + alpha v + w */
        zg_fr_mul(&k, &tw->beta, &uvw[0][i]);
        zg_fr_mul(&t, &tw->alpha, &uvw[1][i]);
        zg_fr_add(&k, &k, &t);
        zg_fr_add(&k, &k, &uvw[2][i]);
        if (i <= np) zg_fr_mul(&ic[i], &k, &gi);
        else zg_fr_mul(&l[i - np - 1], &k, &di);
    }
    if ((rc = lagrange(h, n, &tw->tau, &omega, &omega2, 2 * (uint64_t)n))) goto out;
    for (size_t i = 0; i < n; i++) zg_fr_mul(&h[i], &h[i], &di);
    x[0] = tw->alpha;
    x[1] = tw->beta;
    x[2] = tw->delta;
    zg_g1 g1;
    zg_g2 g2;
    zg_g1_generator(&g1);
    zg_g2_generator(&g2);
    if ((rc = zg_g1_batch_mul(p1, &g1, s1, n1, threads))) goto out;
    memcpy(pk->a1, p1, nw * sizeof *p1);
    memcpy(pk->b1, p1 + nw, nw * sizeof *p1);
    memcpy(pk->l1, p1 + 2 * nw, npriv * sizeof *p1);
    memcpy(pk->vk.ic, p1 + 2 * nw + npriv, (np + 1) * sizeof *p1);
    memcpy(pk->h1, p1 + 2 * nw + npriv + np + 1, n * sizeof *p1);
    pk->vk.alpha1 = p1[n1 - 3];
    pk->beta1 = p1[n1 - 2];
    pk->delta1 = p1[n1 - 1];
    /* G2: b2 | beta gamma delta */
    memcpy(s1, uvw[1], nw * sizeof *s1);
    s1[nw] = tw->beta;
    s1[nw + 1] = tw->gamma;
    s1[nw + 2] = tw->delta;
    zg_g2_aff *p2 = malloc((nw + 3) * sizeof *p2);
    if (!p2) { rc = ZG_ENOMEM; goto out; }
    rc = zg_g2_batch_mul(p2, &g2, s1, nw + 3, threads);
    if (rc == ZG_OK) {
        memcpy(pk->b2, p2, nw * sizeof *p2);
        pk->vk.beta2 = p2[nw];
        pk->vk.gamma2 = p2[nw + 1];
        pk->vk.delta2 = p2[nw + 2];
    }
    free(p2);
out:
    /* Every scalar here is derived from the toxic waste: wipe before freeing. */
    if (s1) memset(s1, 0, n1 * sizeof *s1);
    if (lag) memset(lag, 0, n * sizeof *lag);
    for (int m = 0; m < 3; m++) {
        if (uvw[m]) memset(uvw[m], 0, nw * sizeof(zg_fr));
        free(uvw[m]);
    }
    free(s1);
    free(lag);
    free(p1);
    return rc;
}

int zg_groth16_setup_dev(zg_groth16_pk *pk, const zg_r1cs *cs, int threads, zg_err *e)
{
    if (cs->n_wires < cs->n_public + 1 || !cs->row[0] || !cs->row[1] || !cs->row[2])
        return zg_err_set(e, ZG_EINVAL, "setup: malformed constraint system (%u wires, %u public)",
                          cs->n_wires, cs->n_public);
    unsigned log_n = zg_groth16_domain_log(cs->n_constraints, cs->n_public);
    if (log_n + 1 > ZG_NTT_MAX_LOG)
        return zg_err_set(e, ZG_ERANGE, "setup: %u constraints need a domain of 2^%u, above BN254's 2^27 limit",
                          cs->n_constraints, log_n);
    waste tw;
    int rc = draw_waste(&tw, log_n, e);
    if (rc) return rc;
    zg_groth16_pk k;
    rc = alloc_pk(&k, cs, log_n);
    if (rc == ZG_OK) rc = build_keys(&k, cs, &tw, threads);
    memset(&tw, 0, sizeof tw);
    if (rc) {
        zg_groth16_pk_free(&k);
        return zg_err_set(e, rc, "setup: out of memory for a circuit of %u constraints", cs->n_constraints);
    }
    *pk = k;
    return ZG_OK;
}
