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

/*
 * Lazy reduction: a matrix row sum_j m_j * s_j is accumulated as a 9-limb
 * integer and reduced once. Each product is below p^2 and t <= 17, so the sum
 * is below 17 p^2 < 4 p R (p/R < 0.19): subtracting 2pR and then pR when
 * possible leaves it below pR, and one Montgomery reduction gives a value
 * below 2p. All steps are constant time.
 */
/* acc += x y 2^(64 i), the carry run up to the top limb. */
static inline void add_row_at(uint64_t acc[9], int i, uint64_t x, const uint64_t y[4])
{
    zg_u128 c = 0;
    for (int j = 0; j < 4; j++) {
        c += (zg_u128)x * y[j] + acc[i + j];
        acc[i + j] = (uint64_t)c;
        c >>= 64;
    }
    for (int k = i + 4; k < 9; k++) {
        c += acc[k];
        acc[k] = (uint64_t)c;
        c >>= 64;
    }
}

static inline void wide_mac(uint64_t acc[9], const uint64_t a[4], const uint64_t b[4])
{
    for (int i = 0; i < 4; i++) add_row_at(acc, i, a[i], b);
}

/* acc[4..8] -= m (4 limbs) when acc[4..8] >= m. */
static inline void cond_sub_high(uint64_t acc[9], const uint64_t m[4])
{
    uint64_t d[5];
    zg_u128 borrow = 0;
    for (int i = 0; i < 5; i++) {
        zg_u128 x = (zg_u128)acc[4 + i] - (i < 4 ? m[i] : 0) - borrow;
        d[i] = (uint64_t)x;
        borrow = (x >> 64) & 1;
    }
    uint64_t keep = -(uint64_t)borrow; /* borrowed: acc < m, keep acc */
    for (int i = 0; i < 5; i++) acc[4 + i] = (acc[4 + i] & keep) | (d[i] & ~keep);
}

static inline void redc9(zg_fr *r, uint64_t acc[9])
{
    const uint64_t *p = zg_fr_field.p;
    static const uint64_t two_p[4] = {0x87c3eb27e0000002ULL, 0x5067d090f372e122ULL,
                                      0x70a08b6d0302b0baULL, 0x60c89ce5c2634053ULL};
    cond_sub_high(acc, two_p);
    cond_sub_high(acc, p);
    for (int i = 0; i < 4; i++) add_row_at(acc, i, acc[i] * zg_fr_field.pinv, p);   /* acc[i] becomes 0 */
    /* acc[4..8] < 2p: subtract p once if needed. */
    cond_sub_high(acc, p);
    for (int i = 0; i < 4; i++) r->v[i] = acc[4 + i];
}

/* s = mat * s (t x t). */
static void mat_apply(zg_fr *s, const uint64_t (*mat)[4], unsigned t)
{
    zg_fr out[T_MAX];
    for (unsigned i = 0; i < t; i++) {
        uint64_t acc[9] = {0};
        for (unsigned j = 0; j < t; j++) wide_mac(acc, mat[i * t + j], s[j].v);
        redc9(&out[i], acc);
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
    uint64_t acc[9] = {0};
    zg_fr_add(&s[0], &s[0], as_fr(pp->cp[r]));
    pow5(&s[0]);
    wide_mac(acc, pp->m[0], s[0].v);
    for (unsigned j = 0; j < n1; j++) {
        wide_mac(acc, v[j], s[j + 1].v);
        zg_fr_mul(&prod, as_fr(w[j]), &s[0]);
        zg_fr_add(&s[j + 1], &s[j + 1], &prod);
    }
    redc9(&s0, acc);
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
