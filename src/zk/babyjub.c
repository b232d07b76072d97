/*
 * zk/babyjub.c - Baby Jubjub arithmetic (see babyjub.h).
 *
 * Formulas: Hisil, Wong, Carter, Dawson, "Twisted Edwards curves revisited"
 * (2008), extended coordinates with a = -1 (add-2008-hwcd-3, dbl-2008-hwcd,
 * mixed addition with a precomputed point (y+u, y-u, 2d'*u*y)), applied on the
 * curve isomorphic to Baby Jubjub through u = sqrt(-a) * x (below).
 * Scalar multiplications use signed 4-bit digits in [-7, 8], so a table of
 * 8 multiples serves each window; the constant-time versions scan the whole
 * table with masks and negate with a mask.
 */
#include "zk/babyjub.h"

#include <gmp.h>
#include <string.h>

#include "zk/babyjub_table.h"
#include "zk/fr_vartime.h"

/* l = 2736030358979909402780800718157159386076813972158567259200215660948447373041 */
const uint64_t zg_bj_suborder[4] = {0x677297dc392126f1ULL, 0xab3eedb83920ee0aULL,
                                    0x370a08b6d0302b0bULL, 0x060c89ce5c263405ULL};

/*
 * Internally the arithmetic runs on the isomorphic curve -u^2 + y^2 = 1 + d' u^2 y^2
 * with u = c*x, c = sqrt(-a), d' = -d/a (-1 is a square and d' is not, so
 * the law stays complete). With a' = -1 the HWCD formulas need 7 instead of
 * 9 multiplications for a mixed addition. zg_bj_ext holds (U:Y:Z:T) with
 * u = U/Z, y = Y/Z, u*y = T/Z; affine points in the API are always (x, y).
 * Constants in Montgomery form (R = 2^256), computed with Python:
 *   c   = 6360561867910373094066688120553762416144456282423235903351243436111059670888
 *   1/c = 19976260017534050147865154401153945156910754191401137453807035910720341838527
 *   k   = 2 d' = 2475045175004185027501911298141836274980133961483913877536377848625489762075
 * tests/zk/test_babyjub.c checks c^2 = -a and k * a = -2d.
 */
static const zg_fr bj_a = {{0x95accf61fff261e0ULL, 0x24780d659df7d378ULL, 0xe0ac11b07e906ae8ULL,
                            0x0f35db2216d3def3ULL}};
static const zg_fr bj_d = {{0x2735f484aff261f5ULL, 0x70ba1b579a2e0f63ULL, 0xff41c9a91e2caa8cULL,
                            0x07704a8e8fe6025fULL}};
static const zg_fr bj_c = {{0xe77f2cb3269fc386ULL, 0x2ffbbf36ea0da89fULL, 0x3afc6b3516e0d90fULL,
                            0x12bc88bf75913573ULL}};
static const zg_fr bj_cinv = {{0xe20e74d43e4fe829ULL, 0xa8d667e4f5a39962ULL, 0x406eb7865831de44ULL,
                               0x1f91608db0da6c67ULL}};
static const zg_fr bj_k = {{0x74951b58b09ee319ULL, 0x7948709cb6cd1cd7ULL, 0xd6b6a48830a3748dULL,
                            0x305b9e606e11e0f8ULL}};

void zg_bj_internal_constants(zg_fr *a, zg_fr *d, zg_fr *c, zg_fr *k)
{
    *a = bj_a;
    *d = bj_d;
    *c = bj_c;
    *k = bj_k;
}

const zg_bj_comb *zg_bj_base8_comb(void)
{
    return (const zg_bj_comb *)(const void *)zg_bj_b8_comb;
}

static void set_dec(zg_fr *r, const char *dec)
{
    /* The constants below are valid; the call cannot fail. */
    (void)zg_fr_from_str(r, dec, NULL);
}

void zg_bj_get_base8(zg_bj_point *p)
{
    /* circomlibjs babyjub.js Base8 */
    set_dec(&p->x, "5299619240641551281634865583518297030282874472190772894086521144482721001553");
    set_dec(&p->y, "16950150798460657717958625567821834550301663161624707787222815936182638968203");
}

void zg_bj_get_generator(zg_bj_point *p)
{
    /* circomlibjs babyjub.js Generator */
    set_dec(&p->x, "995203441582195749578291179787384436505546430278305826713579947235728471134");
    set_dec(&p->y, "5472060717959818805561601436314318772137091100104008585924551046643952123905");
}

void zg_bj_identity(zg_bj_ext *r)
{
    zg_fr_zero(&r->X);
    zg_fr_one(&r->Y);
    zg_fr_one(&r->Z);
    zg_fr_zero(&r->T);
}

void zg_bj_from_affine(zg_bj_ext *r, const zg_bj_point *p)
{
    zg_fr_mul(&r->X, &p->x, &bj_c);
    r->Y = p->y;
    zg_fr_one(&r->Z);
    zg_fr_mul(&r->T, &r->X, &p->y);
}

void zg_bj_to_affine(zg_bj_point *r, const zg_bj_ext *p)
{
    zg_fr zi, t;
    zg_fr_inv(&zi, &p->Z);
    zg_fr_mul(&t, &zi, &bj_cinv);
    zg_fr_mul(&r->x, &p->X, &t);
    zg_fr_mul(&r->y, &p->Y, &zi);
}

void zg_bj_to_affine2(zg_bj_point *r1, const zg_bj_ext *p1, zg_bj_point *r2, const zg_bj_ext *p2)
{
    zg_fr z12, inv, zi1, zi2, t;
    zg_fr_mul(&z12, &p1->Z, &p2->Z);
    zg_fr_inv(&inv, &z12);
    zg_fr_mul(&zi1, &inv, &p2->Z);
    zg_fr_mul(&zi2, &inv, &p1->Z);
    zg_fr_mul(&t, &zi1, &bj_cinv);
    zg_fr_mul(&r1->x, &p1->X, &t);
    zg_fr_mul(&r1->y, &p1->Y, &zi1);
    zg_fr_mul(&t, &zi2, &bj_cinv);
    zg_fr_mul(&r2->x, &p2->X, &t);
    zg_fr_mul(&r2->y, &p2->Y, &zi2);
}

/* The end of both additions: E, F, G, H -> X3, Y3, T3, Z3. */
static inline void finish(zg_bj_ext *r, const zg_fr *E, const zg_fr *F, const zg_fr *G, const zg_fr *H)
{
    zg_fr_mul(&r->X, E, F);
    zg_fr_mul(&r->Y, G, H);
    zg_fr_mul(&r->T, E, H);
    zg_fr_mul(&r->Z, F, G);
}

/* add-2008-hwcd-3 (a' = -1). */
void zg_bj_add(zg_bj_ext *r, const zg_bj_ext *p, const zg_bj_ext *q)
{
    zg_fr A, B, C, D, E, F, G, H, s1, s2;
    zg_fr_sub(&s1, &p->Y, &p->X);
    zg_fr_sub(&s2, &q->Y, &q->X);
    zg_fr_mul(&A, &s1, &s2);
    zg_fr_add(&s1, &p->Y, &p->X);
    zg_fr_add(&s2, &q->Y, &q->X);
    zg_fr_mul(&B, &s1, &s2);
    zg_fr_mul(&C, &p->T, &q->T);
    zg_fr_mul(&C, &C, &bj_k);
    zg_fr_mul(&D, &p->Z, &q->Z);
    zg_fr_double(&D, &D);
    zg_fr_sub(&E, &B, &A);
    zg_fr_sub(&F, &D, &C);
    zg_fr_add(&G, &D, &C);
    zg_fr_add(&H, &B, &A);
    finish(r, &E, &F, &G, &H);
}

/* r = p + q for q precomputed as (y + u, y - u, k*u*y): madd-2008-hwcd-3.
 * Out of line on purpose: inlined into the comb loops it bloated the code
 * and ran at half speed. */
__attribute__((noinline)) static void madd(zg_bj_ext *r, const zg_bj_ext *p, const zg_fr *ypx,
                                           const zg_fr *ymx, const zg_fr *t2d)
{
    zg_fr A, B, C, D, E, F, G, H, s;
    zg_fr_sub(&s, &p->Y, &p->X);
    zg_fr_mul(&A, &s, ymx);
    zg_fr_add(&s, &p->Y, &p->X);
    zg_fr_mul(&B, &s, ypx);
    zg_fr_mul(&C, &p->T, t2d);
    zg_fr_double(&D, &p->Z);
    zg_fr_sub(&E, &B, &A);
    zg_fr_sub(&F, &D, &C);
    zg_fr_add(&G, &D, &C);
    zg_fr_add(&H, &B, &A);
    finish(r, &E, &F, &G, &H);
}

/* dbl-2008-hwcd with a' = -1. */
void zg_bj_double(zg_bj_ext *r, const zg_bj_ext *p)
{
    zg_fr A, B, C, E, F, G, H;
    zg_fr_sqr(&A, &p->X);
    zg_fr_sqr(&B, &p->Y);
    zg_fr_sqr(&C, &p->Z);
    zg_fr_double(&C, &C);
    zg_fr_add(&E, &p->X, &p->Y);
    zg_fr_sqr(&E, &E);
    zg_fr_sub(&E, &E, &A);
    zg_fr_sub(&E, &E, &B);
    zg_fr_sub(&G, &B, &A);      /* D + B with D = -A */
    zg_fr_sub(&F, &G, &C);
    zg_fr_add(&H, &A, &B);
    zg_fr_neg(&H, &H);          /* D - B = -A - B */
    finish(r, &E, &F, &G, &H);
}

void zg_bj_neg(zg_bj_ext *r, const zg_bj_ext *p)
{
    zg_fr_neg(&r->X, &p->X);
    r->Y = p->Y;
    r->Z = p->Z;
    zg_fr_neg(&r->T, &p->T);
}

int zg_bj_eq(const zg_bj_ext *p, const zg_bj_ext *q)
{
    zg_fr a, b, c, d;
    zg_fr_mul(&a, &p->X, &q->Z);
    zg_fr_mul(&b, &q->X, &p->Z);
    zg_fr_mul(&c, &p->Y, &q->Z);
    zg_fr_mul(&d, &q->Y, &p->Z);
    return zg_fr_eq(&a, &b) & zg_fr_eq(&c, &d);
}

int zg_bj_eq_affine(const zg_bj_ext *p, const zg_bj_point *q)
{
    zg_fr a, c, u;
    zg_fr_mul(&u, &q->x, &bj_c);
    zg_fr_mul(&a, &u, &p->Z);
    zg_fr_mul(&c, &q->y, &p->Z);
    return zg_fr_eq(&a, &p->X) & zg_fr_eq(&c, &p->Y);
}

int zg_bj_is_identity(const zg_bj_ext *p)
{
    return zg_fr_is_zero(&p->X) & zg_fr_eq(&p->Y, &p->Z);
}

int zg_bj_on_curve(const zg_bj_point *p)
{
    zg_fr x2, y2, l, r, t;
    zg_fr_sqr(&x2, &p->x);
    zg_fr_sqr(&y2, &p->y);
    zg_fr_mul(&l, &bj_a, &x2);
    zg_fr_add(&l, &l, &y2);
    zg_fr_mul(&t, &x2, &y2);
    zg_fr_mul(&t, &t, &bj_d);
    zg_fr_one(&r);
    zg_fr_add(&r, &r, &t);
    return zg_fr_eq(&l, &r);
}

int zg_bj_in_subgroup(const zg_bj_point *p)
{
    if (!zg_bj_on_curve(p)) return 0;
    zg_bj_ext e, r;
    zg_bj_from_affine(&e, p);
    zg_bj_mul_vartime(&r, &e, zg_bj_suborder);
    return zg_bj_is_identity(&r);
}

/* ---------- scalar recoding ---------- */

/* digits[0..64] in [-7, 8] with k = sum digits[i] * 16^i; branch free. */
static void recode(int8_t digits[65], const uint64_t k[4])
{
    unsigned carry = 0;
    for (int i = 0; i < 64; i++) {
        unsigned v = (unsigned)((k[i / 16] >> (4 * (i % 16))) & 15) + carry;
        carry = (v + 7) >> 4;
        digits[i] = (int8_t)((int)v - (int)(carry << 4));
    }
    digits[64] = (int8_t)carry;
}

static inline uint64_t ct_eq_mask(unsigned a, unsigned b)
{
    uint64_t x = (uint64_t)(a ^ b);
    return ((x | (0 - x)) >> 63) - 1; /* all ones when equal */
}

static inline void fr_cmov(zg_fr *r, const zg_fr *a, uint64_t mask)
{
    for (int i = 0; i < 4; i++) r->v[i] = (r->v[i] & ~mask) | (a->v[i] & mask);
}

static inline void digit_split(int d, unsigned *abs, uint64_t *negmask)
{
    unsigned s = (unsigned)d >> 31;         /* 1 when negative */
    *abs = ((unsigned)d ^ (0u - s)) + s;
    *negmask = 0 - (uint64_t)s;
}

/* ---------- variable-base multiplication ---------- */

static void ext_table(zg_bj_ext t[8], const zg_bj_ext *p)
{
    t[0] = *p;
    zg_bj_double(&t[1], p);
    for (int j = 2; j < 8; j++) zg_bj_add(&t[j], &t[j - 1], p);
}

/* r = sign(d) * t[|d| - 1], or the identity for d = 0; constant time. */
static void ext_select(zg_bj_ext *r, const zg_bj_ext t[8], int d)
{
    unsigned abs;
    uint64_t neg;
    digit_split(d, &abs, &neg);
    zg_bj_identity(r);
    for (unsigned j = 0; j < 8; j++) {
        uint64_t m = ct_eq_mask(abs, j + 1);
        fr_cmov(&r->X, &t[j].X, m);
        fr_cmov(&r->Y, &t[j].Y, m);
        fr_cmov(&r->Z, &t[j].Z, m);
        fr_cmov(&r->T, &t[j].T, m);
    }
    zg_bj_ext n;
    zg_bj_neg(&n, r);
    fr_cmov(&r->X, &n.X, neg);
    fr_cmov(&r->T, &n.T, neg);
}

void zg_bj_mul(zg_bj_ext *r, const zg_bj_ext *p, const uint64_t k[4])
{
    zg_bj_ext t[8], acc, q;
    int8_t dg[65];
    ext_table(t, p);
    recode(dg, k);
    ext_select(&acc, t, dg[64]);
    for (int i = 63; i >= 0; i--) {
        for (int j = 0; j < 4; j++) zg_bj_double(&acc, &acc);
        ext_select(&q, t, dg[i]);
        zg_bj_add(&acc, &acc, &q);
    }
    *r = acc;
    memset(dg, 0, sizeof dg);
}

void zg_bj_mul_vartime(zg_bj_ext *r, const zg_bj_ext *p, const uint64_t k[4])
{
    zg_bj_ext t[8], acc, q;
    int8_t dg[65];
    ext_table(t, p);
    recode(dg, k);
    int top = 64;
    while (top >= 0 && dg[top] == 0) top--;
    zg_bj_identity(&acc);
    for (int i = top; i >= 0; i--) {
        if (i != top)
            for (int j = 0; j < 4; j++) zg_bj_double(&acc, &acc);
        if (dg[i] > 0) zg_bj_add(&acc, &acc, &t[dg[i] - 1]);
        else if (dg[i] < 0) {
            zg_bj_neg(&q, &t[-dg[i] - 1]);
            zg_bj_add(&acc, &acc, &q);
        }
    }
    *r = acc;
}

/* ---------- fixed-base comb ---------- */

void zg_bj_mul_comb(zg_bj_ext *r, const zg_bj_comb *c, const uint64_t k[4])
{
    int8_t dg[65];
    recode(dg, k);
    zg_bj_identity(r);
    for (int w = 0; w < 64; w++) {
        unsigned abs;
        uint64_t neg;
        digit_split(dg[w], &abs, &neg);
        /* the identity is (1, 1, 0) in this form */
        zg_fr ypx, ymx, t2d, nt2d, tmp;
        zg_fr_one(&ypx);
        zg_fr_one(&ymx);
        zg_fr_zero(&t2d);
        for (unsigned j = 0; j < 8; j++) {
            uint64_t m = ct_eq_mask(abs, j + 1);
            fr_cmov(&ypx, &c->e[w][j][0], m);
            fr_cmov(&ymx, &c->e[w][j][1], m);
            fr_cmov(&t2d, &c->e[w][j][2], m);
        }
        /* -(u, y): swap y+u and y-u, negate k*u*y */
        tmp = ypx;
        fr_cmov(&ypx, &ymx, neg);
        fr_cmov(&ymx, &tmp, neg);
        zg_fr_neg(&nt2d, &t2d);
        fr_cmov(&t2d, &nt2d, neg);
        madd(r, r, &ypx, &ymx, &t2d);
    }
    memset(dg, 0, sizeof dg);
}

static inline void comb_add_vartime(zg_bj_ext *r, const zg_fr e[3], int d)
{
    if (d > 0) {
        madd(r, r, &e[0], &e[1], &e[2]);
    } else {
        zg_fr nt;
        zg_fr_neg(&nt, &e[2]);
        madd(r, r, &e[1], &e[0], &nt);
    }
}

void zg_bj_double_mul_comb_vartime(zg_bj_ext *r, const zg_bj_comb *cp, const uint64_t a[4],
                                   const zg_bj_comb *cq, const uint64_t b[4])
{
    int8_t da[65], db[65];
    recode(da, a);
    recode(db, b);
    zg_bj_identity(r);
    for (int w = 0; w < 64; w++) {
        if (da[w]) comb_add_vartime(r, cp->e[w][(da[w] > 0 ? da[w] : -da[w]) - 1], da[w]);
        if (db[w]) comb_add_vartime(r, cq->e[w][(db[w] > 0 ? db[w] : -db[w]) - 1], db[w]);
    }
}

void zg_bj_comb_build(zg_bj_comb *c, const zg_bj_point *p)
{
    zg_bj_ext base, pts[8];
    zg_fr prefix[8], inv, t;
    zg_bj_from_affine(&base, p);
    for (int w = 0; w < 64; w++) {
        pts[0] = base;
        for (int j = 1; j < 8; j++) zg_bj_add(&pts[j], &pts[j - 1], &base);
        /* Batch inversion of the 8 Z coordinates. */
        prefix[0] = pts[0].Z;
        for (int j = 1; j < 8; j++) zg_fr_mul(&prefix[j], &prefix[j - 1], &pts[j].Z);
        zg_fr_inv(&inv, &prefix[7]);
        for (int j = 7; j >= 0; j--) {
            zg_fr zi;
            if (j > 0) {
                zg_fr_mul(&zi, &inv, &prefix[j - 1]);
                zg_fr_mul(&inv, &inv, &pts[j].Z);
            } else {
                zi = inv;
            }
            zg_fr u, y;
            zg_fr_mul(&u, &pts[j].X, &zi);
            zg_fr_mul(&y, &pts[j].Y, &zi);
            zg_fr_add(&c->e[w][j][0], &y, &u);
            zg_fr_sub(&c->e[w][j][1], &y, &u);
            zg_fr_mul(&t, &u, &y);
            zg_fr_mul(&c->e[w][j][2], &t, &bj_k);
        }
        for (int k = 0; k < 4; k++) zg_bj_double(&base, &base);
    }
}

/* ---------- packing ---------- */

/* 1 when the canonical value of a is above (p - 1) / 2. */
static int fr_is_high(const zg_fr *a)
{
    uint64_t c[4];
    zg_fr_to_canonical(c, a);
    for (int i = 3; i >= 0; i--) {
        if (c[i] != zg_fr_field.half[i]) return c[i] > zg_fr_field.half[i];
    }
    return 0;
}

void zg_bj_pack(uint8_t out[32], const zg_bj_point *p)
{
    zg_fr_to_bytes_le(out, &p->y);
    if (fr_is_high(&p->x)) out[31] |= 0x80;
}

int zg_bj_unpack(zg_bj_point *r, const uint8_t in[32], zg_err *e)
{
    uint8_t b[32];
    memcpy(b, in, 32);
    int sign = b[31] >> 7;
    b[31] &= 0x7f;
    zg_fr y, y2, num, den, x;
    if (zg_fr_from_bytes_le(&y, b, NULL) != ZG_OK)
        return zg_err_set(e, ZG_EINVAL, "packed Baby Jubjub point: y is not below the field modulus");
    zg_fr_sqr(&y2, &y);
    zg_fr_one(&num);
    zg_fr_sub(&num, &num, &y2);
    zg_fr_mul(&den, &bj_d, &y2);
    zg_fr_sub(&den, &bj_a, &den);  /* never 0: a/d is not a square */
    /* x^2 = num/den; public data, so the fused variable-time square root. */
    if (zg_fr_is_zero(&num) || !zg_fr_sqrt_ratio_vartime(&x, &num, &den))
        return zg_err_set(e, ZG_EINVAL, "packed Baby Jubjub point: no curve point has this y");
    if (fr_is_high(&x)) zg_fr_neg(&x, &x);
    if (sign) zg_fr_neg(&x, &x);
    r->x = x;
    r->y = y;
    return ZG_OK;
}

/* ---------- scalars mod l ---------- */

_Static_assert(sizeof(mp_limb_t) == 8, "64-bit GMP limbs expected");

static void reduce_limbs(uint64_t out[4], mp_limb_t *n, mp_size_t nn)
{
    mp_limb_t scratch[64];
    /* mpn_sec_div_r_itch(8, 4) is far below 64 limbs; checked to be safe. */
    if (mpn_sec_div_r_itch(nn, 4) > (mp_size_t)(sizeof scratch / sizeof scratch[0])) {
        memset(out, 0, 32);
        return;
    }
    mpn_sec_div_r(n, nn, (const mp_limb_t *)zg_bj_suborder, 4, scratch);
    for (int i = 0; i < 4; i++) out[i] = n[i];
    memset(scratch, 0, sizeof scratch);
}

void zg_bj_scalar_reduce64(uint64_t out[4], const uint8_t in[64])
{
    mp_limb_t n[8];
    for (int i = 0; i < 8; i++) {
        uint64_t v = 0;
        for (int j = 7; j >= 0; j--) v = (v << 8) | in[8 * i + j];
        n[i] = v;
    }
    reduce_limbs(out, n, 8);
    memset(n, 0, sizeof n);
}

void zg_bj_scalar_muladd(uint64_t out[4], const uint64_t a[4], const uint64_t b[4], const uint64_t c[4])
{
    mp_limb_t prod[9], scratch[64];
    if (mpn_sec_mul_itch(4, 4) > (mp_size_t)(sizeof scratch / sizeof scratch[0])) {
        memset(out, 0, 32);
        return;
    }
    mpn_sec_mul(prod, (const mp_limb_t *)a, 4, (const mp_limb_t *)b, 4, scratch);
    mp_limb_t c8[8] = {c[0], c[1], c[2], c[3], 0, 0, 0, 0};
    prod[8] = mpn_add_n(prod, prod, c8, 8);
    memset(c8, 0, sizeof c8);
    reduce_limbs(out, prod, 9);
    memset(prod, 0, sizeof prod);
    memset(scratch, 0, sizeof scratch);
}

int zg_bj_scalar_is_canonical(const uint64_t k[4])
{
    for (int i = 3; i >= 0; i--)
        if (k[i] != zg_bj_suborder[i]) return k[i] < zg_bj_suborder[i];
    return 0;
}
