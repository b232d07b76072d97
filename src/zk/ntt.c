/*
 * ntt.c - radix-2 NTT over BN254 Fr (see ntt.h).
 */
#include <stdlib.h>

#include "zk/ntt.h"

void zg_fr_root_of_unity(zg_fr *r, unsigned log_n)
{
    zg_fr w;
    for (int i = 0; i < 4; i++) w.v[i] = zg_fr_field.root[i];
    for (unsigned i = log_n; i < ZG_NTT_MAX_LOG; i++) zg_fr_sqr(&w, &w);
    *r = w;
}

static int powers(zg_fr **out, const zg_fr *w, size_t n)
{
    zg_fr *t = malloc((n ? n : 1) * sizeof *t);
    if (!t) return ZG_ENOMEM;
    zg_fr_one(&t[0]);
    for (size_t i = 1; i < n; i++) zg_fr_mul(&t[i], &t[i - 1], w);
    *out = t;
    return ZG_OK;
}

int zg_ntt_domain_init(zg_ntt_domain *d, unsigned log_n, zg_err *e)
{
    d->tw = d->tw_inv = NULL;
    if (log_n > ZG_NTT_MAX_LOG)
        return zg_err_set(e, ZG_ERANGE, "NTT domain 2^%u is larger than BN254 Fr allows (2^28)", log_n);
    d->log_n = log_n;
    d->n = (size_t)1 << log_n;
    zg_fr_root_of_unity(&d->omega, log_n);
    zg_fr_inv(&d->omega_inv, &d->omega);
    zg_fr_set_u64(&d->n_inv, d->n);
    zg_fr_inv(&d->n_inv, &d->n_inv);
    size_t h = d->n / 2 ? d->n / 2 : 1;
    if (powers(&d->tw, &d->omega, h) || powers(&d->tw_inv, &d->omega_inv, h)) {
        zg_ntt_domain_free(d);
        return zg_err_set(e, ZG_ENOMEM, "out of memory for an NTT domain of 2^%u", log_n);
    }
    return ZG_OK;
}

void zg_ntt_domain_free(zg_ntt_domain *d)
{
    free(d->tw);
    free(d->tw_inv);
    d->tw = d->tw_inv = NULL;
}

static void bit_reverse(zg_fr *a, size_t n, unsigned log_n)
{
    for (size_t i = 0; i < n; i++) {
        size_t j = 0;
        for (unsigned b = 0; b < log_n; b++) j |= ((i >> b) & 1) << (log_n - 1 - b);
        if (i < j) {
            zg_fr t = a[i];
            a[i] = a[j];
            a[j] = t;
        }
    }
}

/* Iterative Cooley-Tukey (decimation in time) after a bit-reversal. */
static void transform(const zg_ntt_domain *d, zg_fr *a, const zg_fr *tw)
{
    size_t n = d->n;
    bit_reverse(a, n, d->log_n);
    for (size_t h = 1; h < n; h <<= 1) {
        size_t stride = n / (2 * h);
        for (size_t s = 0; s < n; s += 2 * h)
            for (size_t j = 0; j < h; j++) {
                zg_fr t;
                if (j == 0) t = a[s + h];
                else zg_fr_mul(&t, &a[s + j + h], &tw[j * stride]);
                zg_fr_sub(&a[s + j + h], &a[s + j], &t);
                zg_fr_add(&a[s + j], &a[s + j], &t);
            }
    }
}

void zg_ntt_forward(const zg_ntt_domain *d, zg_fr *a) { transform(d, a, d->tw); }

void zg_ntt_inverse(const zg_ntt_domain *d, zg_fr *a)
{
    transform(d, a, d->tw_inv);
    for (size_t i = 0; i < d->n; i++) zg_fr_mul(&a[i], &a[i], &d->n_inv);
}

/* a[i] *= c g^i. */
static void scale_powers(zg_fr *a, size_t n, const zg_fr *c, const zg_fr *g)
{
    zg_fr p = *c;
    for (size_t i = 0; i < n; i++) {
        zg_fr_mul(&a[i], &a[i], &p);
        zg_fr_mul(&p, &p, g);
    }
}

void zg_ntt_coset_forward(const zg_ntt_domain *d, zg_fr *a, const zg_fr *g)
{
    zg_fr one;
    zg_fr_one(&one);
    scale_powers(a, d->n, &one, g);
    zg_ntt_forward(d, a);
}

void zg_ntt_coset_inverse(const zg_ntt_domain *d, zg_fr *a, const zg_fr *g)
{
    zg_fr gi;
    transform(d, a, d->tw_inv);
    zg_fr_inv(&gi, g);
    scale_powers(a, d->n, &d->n_inv, &gi);   /* the 1/n of the inverse folded in */
}

void zg_ntt_inverse_to_coset(const zg_ntt_domain *d, zg_fr *a, const zg_fr *g)
{
    transform(d, a, d->tw_inv);
    scale_powers(a, d->n, &d->n_inv, g);     /* 1/n, then the shift to the coset */
    zg_ntt_forward(d, a);
}
