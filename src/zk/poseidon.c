/*
 * zk/poseidon.c - Poseidon (circomlib parameters), optimized round form.
 *
 * The generated tables (zk_gen.c) hold, per width t: the raw constants and
 * MDS matrix M, the full-round constants cf (with the partial rounds'
 * leftovers folded in), one constant per partial round cp, the matrix P of
 * the last first-half full round, and the sparse matrices of the partial
 * rounds (first row m00, v; first column w; identity elsewhere). A partial
 * round then costs 2t + 2 multiplications instead of t^2 + 3.
 */
#include "zk/poseidon.h"

#include <string.h>

typedef struct zg_pos_params {
    unsigned t, rp;
    const uint64_t (*raw_c)[4];
    const uint64_t (*m)[4];
    const uint64_t (*cf)[4];
    const uint64_t (*cp)[4];
    const uint64_t (*p)[4];
    const uint64_t (*sv)[4];
    const uint64_t (*sw)[4];
} zg_pos_params;

#include "zk/poseidon_constants.h"

#define T_MAX (ZG_POSEIDON_MAX_INPUTS + 1)

static inline const zg_fr *as_fr(const uint64_t v[4]) { return (const zg_fr *)(const void *)v; }

static inline void pow5(zg_fr *a)
{
    zg_fr s;
    zg_fr_sqr(&s, a);
    zg_fr_sqr(&s, &s);
    zg_fr_mul(a, a, &s);
}

/* s = mat * s (t x t). Each product is reduced on its own: with the
 * assembly multiplication that is faster than accumulating a row's products
 * unreduced and reducing once (19.5 against 24.6 us for Poseidon(5) in
 * bench_zk, 2026-11-22). */
static void mat_apply(zg_fr *s, const uint64_t (*mat)[4], unsigned t)
{
    zg_fr out[T_MAX], prod;
    for (unsigned i = 0; i < t; i++) {
        zg_fr_mul(&out[i], as_fr(mat[i * t]), &s[0]);
        for (unsigned j = 1; j < t; j++) {
            zg_fr_mul(&prod, as_fr(mat[i * t + j]), &s[j]);
            zg_fr_add(&out[i], &out[i], &prod);
        }
    }
    memcpy(s, out, t * sizeof *s);
}

__attribute__((noinline)) static void full_round(zg_fr *s, const zg_pos_params *pp, unsigned r, const uint64_t (*mat)[4])
{
    for (unsigned i = 0; i < pp->t; i++) {
        zg_fr_add(&s[i], &s[i], as_fr(pp->cf[r * pp->t + i]));
        pow5(&s[i]);
    }
    mat_apply(s, mat, pp->t);
}

__attribute__((noinline)) static void partial_round(zg_fr *s, const zg_pos_params *pp, unsigned r)
{
    unsigned t = pp->t, n1 = t - 1;
    const uint64_t (*v)[4] = pp->sv + r * n1, (*w)[4] = pp->sw + r * n1;
    zg_fr s0, prod;
    zg_fr_add(&s[0], &s[0], as_fr(pp->cp[r]));
    pow5(&s[0]);
    zg_fr_mul(&s0, as_fr(pp->m[0]), &s[0]);
    for (unsigned j = 0; j < n1; j++) {
        zg_fr_mul(&prod, as_fr(v[j]), &s[j + 1]);
        zg_fr_add(&s0, &s0, &prod);
        zg_fr_mul(&prod, as_fr(w[j]), &s[0]);
        zg_fr_add(&s[j + 1], &s[j + 1], &prod);
    }
    s[0] = s0;
}

static int check_n(size_t n, zg_err *e)
{
    if (n == 0 || n > ZG_POSEIDON_MAX_INPUTS)
        return zg_err_set(e, ZG_EINVAL, "poseidon takes 1 to %d inputs, not %zu",
                          ZG_POSEIDON_MAX_INPUTS, n);
    return ZG_OK;
}

int zg_poseidon(zg_fr *out, const zg_fr *in, size_t n, zg_err *e)
{
    int rc = check_n(n, e);
    if (rc) return rc;
    const zg_pos_params *pp = &zg_pos_table[n - 1];
    zg_fr s[T_MAX];
    zg_fr_zero(&s[0]);
    memcpy(&s[1], in, n * sizeof *in);
    for (unsigned r = 0; r < ZG_POS_RF / 2; r++)
        full_round(s, pp, r, r + 1 == ZG_POS_RF / 2 ? pp->p : pp->m);
    for (unsigned r = 0; r < pp->rp; r++) partial_round(s, pp, r);
    for (unsigned r = ZG_POS_RF / 2; r < ZG_POS_RF; r++) full_round(s, pp, r, pp->m);
    *out = s[0];
    return ZG_OK;
}

int zg_poseidon_reference(zg_fr *out, const zg_fr *in, size_t n, zg_err *e)
{
    int rc = check_n(n, e);
    if (rc) return rc;
    const zg_pos_params *pp = &zg_pos_table[n - 1];
    unsigned t = pp->t;
    zg_fr s[T_MAX];
    zg_fr_zero(&s[0]);
    memcpy(&s[1], in, n * sizeof *in);
    for (unsigned r = 0; r < ZG_POS_RF + pp->rp; r++) {
        int full = r < ZG_POS_RF / 2 || r >= ZG_POS_RF / 2 + pp->rp;
        for (unsigned i = 0; i < t; i++) {
            zg_fr_add(&s[i], &s[i], as_fr(pp->raw_c[r * t + i]));
            if (full || i == 0) pow5(&s[i]);
        }
        mat_apply(s, pp->m, t);
    }
    *out = s[0];
    return ZG_OK;
}

static const zg_pos_params *params_of(unsigned t)
{
    return t >= 2 && t <= T_MAX ? &zg_pos_table[t - 2] : NULL;
}

int zg_poseidon_partial_rounds(unsigned t, unsigned *partial)
{
    const zg_pos_params *pp = params_of(t);
    if (!pp) return ZG_ERANGE;
    *partial = pp->rp;
    return ZG_OK;
}

int zg_poseidon_round_constant(unsigned t, size_t i, zg_fr *out)
{
    const zg_pos_params *pp = params_of(t);
    if (!pp || i >= (size_t)(ZG_POS_RF + pp->rp) * t) return ZG_ERANGE;
    memcpy(out->v, pp->raw_c[i], sizeof out->v);
    return ZG_OK;
}

int zg_poseidon_mds(unsigned t, unsigned row, unsigned col, zg_fr *out)
{
    const zg_pos_params *pp = params_of(t);
    if (!pp || row >= t || col >= t) return ZG_ERANGE;
    memcpy(out->v, pp->m[row * t + col], sizeof out->v);
    return ZG_OK;
}
