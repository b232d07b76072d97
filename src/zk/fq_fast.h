/*
 * fq_fast.h - a faster Montgomery multiplication for BN254 Fq, used in the
 * hot loops of G1/G2 arithmetic and the MSM.
 *
 * Because q's top limb is below 2^62, the CIOS loop never needs the two
 * extra carry words that the generic zg_mont_mul keeps ("no-carry"
 * optimization, gnark-crypto, "Faster big-integer modular multiplication for
 * most moduli", Gautam Botrel et al., 2020). Same result as zg_fq_mul (fully
 * reduced Montgomery form) and constant time.
 */
#ifndef ZG_ZK_FQ_FAST_H
#define ZG_ZK_FQ_FAST_H

#include "zk/fq.h"

static inline void zg_fq_mul_nc(zg_fq *r, const zg_fq *x, const zg_fq *y)
{
    const uint64_t *q = zg_fq_field.p, qinv = zg_fq_field.pinv;
    const uint64_t *a = x->v, *b = y->v;
    uint64_t t0 = 0, t1 = 0, t2 = 0, t3 = 0;
    for (int i = 0; i < 4; i++) {
        uint64_t bi = b[i];
        zg_u128 A = (zg_u128)a[0] * bi + t0;
        t0 = (uint64_t)A;
        uint64_t ah = (uint64_t)(A >> 64);
        uint64_t m = t0 * qinv;
        zg_u128 C = (zg_u128)m * q[0] + t0;
        uint64_t ch = (uint64_t)(C >> 64);
        A = (zg_u128)a[1] * bi + t1 + ah;
        t1 = (uint64_t)A;
        ah = (uint64_t)(A >> 64);
        C = (zg_u128)m * q[1] + t1 + ch;
        t0 = (uint64_t)C;
        ch = (uint64_t)(C >> 64);
        A = (zg_u128)a[2] * bi + t2 + ah;
        t2 = (uint64_t)A;
        ah = (uint64_t)(A >> 64);
        C = (zg_u128)m * q[2] + t2 + ch;
        t1 = (uint64_t)C;
        ch = (uint64_t)(C >> 64);
        A = (zg_u128)a[3] * bi + t3 + ah;
        t3 = (uint64_t)A;
        ah = (uint64_t)(A >> 64);
        C = (zg_u128)m * q[3] + t3 + ch;
        t2 = (uint64_t)C;
        ch = (uint64_t)(C >> 64);
        t3 = ch + ah;
    }
    /* t < 2q: subtract q once unless that borrows. */
    uint64_t t[4] = {t0, t1, t2, t3}, d[4];
    zg_u128 borrow = 0;
    for (int i = 0; i < 4; i++) {
        zg_u128 s = (zg_u128)t[i] - q[i] - borrow;
        d[i] = (uint64_t)s;
        borrow = (s >> 64) & 1;
    }
    uint64_t keep_t = -(uint64_t)borrow;
    for (int i = 0; i < 4; i++) r->v[i] = (t[i] & keep_t) | (d[i] & ~keep_t);
}

static inline void zg_fq_sqr_nc(zg_fq *r, const zg_fq *x) { zg_fq_mul_nc(r, x, x); }

/* The zg_fqf_* set: Fq with the fast multiplication, for templates that take
 * a field prefix (ec_tmpl.h, msm_tmpl.h). */
static inline void zg_fqf_zero(zg_fq *r) { zg_fq_zero(r); }
static inline void zg_fqf_one(zg_fq *r) { zg_fq_one(r); }
static inline int zg_fqf_is_zero(const zg_fq *a) { return zg_fq_is_zero(a); }
static inline int zg_fqf_eq(const zg_fq *a, const zg_fq *b) { return zg_fq_eq(a, b); }
static inline void zg_fqf_add(zg_fq *r, const zg_fq *a, const zg_fq *b) { zg_fq_add(r, a, b); }
static inline void zg_fqf_sub(zg_fq *r, const zg_fq *a, const zg_fq *b) { zg_fq_sub(r, a, b); }
static inline void zg_fqf_neg(zg_fq *r, const zg_fq *a) { zg_fq_neg(r, a); }
static inline void zg_fqf_double(zg_fq *r, const zg_fq *a) { zg_fq_double(r, a); }
static inline void zg_fqf_mul(zg_fq *r, const zg_fq *a, const zg_fq *b) { zg_fq_mul_nc(r, a, b); }
static inline void zg_fqf_sqr(zg_fq *r, const zg_fq *a) { zg_fq_mul_nc(r, a, a); }
static inline void zg_fqf_inv(zg_fq *r, const zg_fq *a) { zg_fq_inv(r, a); }

#endif
