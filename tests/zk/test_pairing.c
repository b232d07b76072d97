/*
 * test_pairing.c - the BN254 tower, G1, G2 and the optimal ate pairing:
 * constants recomputed from their definitions, group laws, serialization,
 * and the pairing's bilinearity, non-degeneracy and order.
 */
#include "zg_test.h"
#include "zg_rng.h"
#include "zk/fq_inv.h"
#include "zk/pairing.h"

static zg_rng rng = {0x9e3779b97f4a7c15ULL};
static uint64_t rnd(void)
{
    return zg_rng_next(&rng);
}
static void rand_fr(zg_fr *r)
{
    uint8_t b[48];
    for (int i = 0; i < 48; i++) b[i] = (uint8_t)rnd();
    zg_fr_from_bytes_reduce(r, b, sizeof b);
}
static void rand_fq2(zg_fq2 *r)
{
    uint8_t b[48];
    for (int i = 0; i < 48; i++) b[i] = (uint8_t)rnd();
    zg_fq_from_bytes_reduce(&r->c0, b, sizeof b);
    for (int i = 0; i < 48; i++) b[i] = (uint8_t)rnd();
    zg_fq_from_bytes_reduce(&r->c1, b, sizeof b);
}
static void rand_fq12(zg_fq12 *r)
{
    zg_fq2 *c[6] = {&r->c0.c0, &r->c0.c1, &r->c0.c2, &r->c1.c0, &r->c1.c1, &r->c1.c2};
    for (int i = 0; i < 6; i++) rand_fq2(c[i]);
}

/* q as 4 limbs and small helpers over GMP-free integers. */
static const uint64_t *Q = zg_fq_field.p;

static void test_gamma(void)
{
    /* gamma_k,i = xi^(i (q^k - 1)/6): check gamma_1,1^6 = xi^(q-1), i.e.
     * gamma_1,1^6 * xi = xi^q = conj(xi), and gamma_k,i = gamma_k,1^i. */
    zg_fq2 xi, t, c;
    zg_fq_set_u64(&xi.c0, 9);
    zg_fq_one(&xi.c1);
    for (int k = 1; k <= 3; k++) {
        const uint64_t six[1] = {6};
        zg_fq2_pow(&t, &zg_bn254_gamma[k - 1][0], six, 1);
        zg_fq2_mul(&t, &t, &xi);
        /* xi^(q^k) = conj^k(xi) */
        c = xi;
        if (k & 1) zg_fq2_conj(&c, &c);
        CHECK(zg_fq2_eq(&t, &c));
        for (int i = 2; i <= 5; i++) {
            const uint64_t e[1] = {(uint64_t)i};
            zg_fq2_pow(&t, &zg_bn254_gamma[k - 1][0], e, 1);
            CHECK(zg_fq2_eq(&t, &zg_bn254_gamma[k - 1][i - 1]));
        }
    }
    /* gamma_1,1 itself: must be a 6th root choice consistent with xi^((q-1)/6);
     * check it equals xi^((q-1)/6) computed by pow. */
    uint64_t e[4];
    /* (q - 1)/6 */
    zg_u128 rem = 0;
    uint64_t qm1[4] = {Q[0] - 1, Q[1], Q[2], Q[3]};
    for (int i = 3; i >= 0; i--) {
        zg_u128 cur = (rem << 64) | qm1[i];
        e[i] = (uint64_t)(cur / 6);
        rem = cur % 6;
    }
    CHECK(rem == 0);
    zg_fq2_pow(&t, &xi, e, 4);
    CHECK(zg_fq2_eq(&t, &zg_bn254_gamma[0][0]));
}

/* The GMP (variable-time) inversion agrees with the constant-time one. */
static void test_fast_fq(void)
{
    int bad = 0;
    for (int i = 0; i < 20000; i++) {
        zg_fq x, y, r1, r2;
        uint8_t b[64];
        for (int k = 0; k < 64; k++) b[k] = (uint8_t)rnd();
        zg_fq_from_bytes_reduce(&x, b, 32);
        zg_fq_from_bytes_reduce(&y, b + 32, 32);
        if (i == 0)   /* q - 1 squared: the largest inputs */
            for (int k = 0; k < 4; k++) x.v[k] = y.v[k] = zg_fq_field.p[k] - (k == 0);
        if (i % 100 == 0) {
            zg_fq_inv(&r1, &x);
            zg_fq_inv_vartime(&r2, &x);
            bad += !zg_fq_eq(&r1, &r2);
        }
    }
    CHECK_EQ_INT(bad, 0);
    zg_fq z, zi;
    zg_fq_zero(&z);
    zg_fq_inv_vartime(&zi, &z);
    CHECK(zg_fq_is_zero(&zi));
}

static void test_tower(void)
{
    zg_fq12 a, b, c, d, one;
    rand_fq12(&a);
    rand_fq12(&b);
    zg_fq12_one(&one);
    zg_fq12_inv(&c, &a);
    zg_fq12_mul(&d, &a, &c);
    CHECK(zg_fq12_is_one(&d));
    zg_fq12_sqr(&c, &a);
    zg_fq12_mul(&d, &a, &a);
    CHECK(zg_fq12_eq(&c, &d));
    /* Frobenius is a homomorphism and equals a^q. */
    zg_fq12_frobenius(&c, &a, 1);
    zg_fq12_pow(&d, &a, Q, 4);
    CHECK(zg_fq12_eq(&c, &d));
    zg_fq12_frobenius(&c, &a, 2);
    zg_fq12_pow(&d, &d, Q, 4);
    CHECK(zg_fq12_eq(&c, &d));
    zg_fq12_frobenius(&c, &a, 3);
    zg_fq12_pow(&d, &d, Q, 4);
    CHECK(zg_fq12_eq(&c, &d));
    /* (ab)^-1 = a^-1 b^-1 */
    zg_fq12_mul(&c, &a, &b);
    zg_fq12_inv(&c, &c);
    zg_fq12_inv(&d, &a);
    zg_fq12_inv(&a, &b);
    zg_fq12_mul(&d, &d, &a);
    CHECK(zg_fq12_eq(&c, &d));
}

static void test_groups(void)
{
    zg_g1 g, p, q, s;
    zg_g2 h, P, Qp, S;
    zg_g1_aff ga;
    zg_g2_aff ha;
    zg_g1_generator(&g);
    zg_g2_generator(&h);
    zg_g1_to_affine(&ga, &g);
    zg_g2_to_affine(&ha, &h);
    CHECK(zg_g1_affine_on_curve(&ga));
    CHECK(zg_g2_affine_on_curve(&ha));
    CHECK(zg_g2_affine_in_subgroup(&ha));
    /* b' = 3 / xi */
    zg_fq2 xi, b, three;
    zg_fq_set_u64(&xi.c0, 9); zg_fq_one(&xi.c1);
    zg_fq2_zero(&three); zg_fq_set_u64(&three.c0, 3);
    zg_fq2_inv(&b, &xi);
    zg_fq2_mul(&b, &b, &three);
    zg_fq2 y2, x3;
    zg_fq2_sqr(&y2, &ha.y); zg_fq2_sqr(&x3, &ha.x); zg_fq2_mul(&x3, &x3, &ha.x); zg_fq2_add(&x3, &x3, &b);
    CHECK(zg_fq2_eq(&y2, &x3));
    /* r G = O */
    zg_g1_mul(&p, &g, zg_fr_field.p);
    CHECK(zg_g1_is_inf(&p));
    /* a (b G) = (ab) G; a G + b G = (a + b) G */
    zg_fr a, bb, ab;
    rand_fr(&a); rand_fr(&bb);
    zg_fr_mul(&ab, &a, &bb);
    zg_g1_mul_fr(&p, &g, &bb); zg_g1_mul_fr(&p, &p, &a);
    zg_g1_mul_fr(&q, &g, &ab);
    CHECK(zg_g1_eq(&p, &q));
    zg_g2_mul_fr(&P, &h, &bb); zg_g2_mul_fr(&P, &P, &a);
    zg_g2_mul_fr(&Qp, &h, &ab);
    CHECK(zg_g2_eq(&P, &Qp));
    zg_fr_add(&ab, &a, &bb);
    zg_g1_mul_fr(&p, &g, &a); zg_g1_mul_fr(&q, &g, &bb);
    zg_g1_add(&s, &p, &q);
    zg_g1_mul_fr(&q, &g, &ab);
    CHECK(zg_g1_eq(&s, &q));
    zg_g1_aff qa;
    zg_g1_mul_fr(&q, &g, &bb);
    zg_g1_to_affine(&qa, &q);
    zg_g1_add_affine(&s, &p, &qa);
    zg_g1_mul_fr(&q, &g, &ab);
    CHECK(zg_g1_eq(&s, &q));
    zg_g2_mul_fr(&P, &h, &a); zg_g2_mul_fr(&Qp, &h, &bb);
    zg_g2_add(&S, &P, &Qp);
    zg_g2_mul_fr(&Qp, &h, &ab);
    CHECK(zg_g2_eq(&S, &Qp));
    /* P + P via add equals dbl; P - P = O */
    zg_g2_add(&S, &P, &P); zg_g2_dbl(&Qp, &P);
    CHECK(zg_g2_eq(&S, &Qp));
    zg_g2_neg(&Qp, &P); zg_g2_add(&S, &P, &Qp);
    CHECK(zg_g2_is_inf(&S));
    /* Serialization: G1 (1, 2), round trips, rejections. */
    uint8_t buf[128];
    zg_err err;
    zg_g1_to_bytes(buf, &ga);
    CHECK(buf[31] == 1 && buf[63] == 2);
    zg_g1_aff back;
    CHECK_OK(zg_g1_from_bytes(&back, buf, &err));
    buf[63] = 3;
    CHECK_EQ_INT(zg_g1_from_bytes(&back, buf, &err), ZG_EINVAL);
    zg_g2_aff hb;
    zg_g2_mul_fr(&P, &h, &a);
    zg_g2_to_affine(&ha, &P);
    zg_g2_to_bytes(buf, &ha);
    CHECK_OK(zg_g2_from_bytes(&hb, buf, &err));
    CHECK(zg_fq2_eq(&hb.x, &ha.x) && zg_fq2_eq(&hb.y, &ha.y));
    buf[127] ^= 1;
    CHECK_EQ_INT(zg_g2_from_bytes(&hb, buf, &err), ZG_EINVAL);
    /* The EIP-197 byte order puts the imaginary part of x first. */
    zg_g2_to_affine(&ha, &h);
    zg_g2_to_bytes(buf, &ha);
    char hex[80];
    zg_fq_to_dec(hex, &ha.x.c1);
    CHECK_EQ_STR(hex, "11559732032986387107991004021392285783925812861821192530917403151452391805634");
}

static void test_pairing(void)
{
    zg_g1 g, p;
    zg_g2 h, q;
    zg_g1_aff ga, pa;
    zg_g2_aff ha, qa;
    zg_fq12 e, e1, e2;
    zg_g1_generator(&g);
    zg_g2_generator(&h);
    zg_g1_to_affine(&ga, &g);
    zg_g2_to_affine(&ha, &h);
    CHECK_EQ_INT(zg_pairing(&e, &ga, &ha), ZG_OK);
    CHECK(!zg_fq12_is_one(&e));
    /* e^r = 1: the result lies in GT. */
    zg_fq12_pow(&e1, &e, zg_fr_field.p, 4);
    CHECK(zg_fq12_is_one(&e1));
    /* e(aP, bQ) = e(P, Q)^(ab) */
    zg_fr a, b, ab;
    uint64_t abc[4];
    rand_fr(&a); rand_fr(&b);
    zg_fr_mul(&ab, &a, &b);
    zg_fr_to_canonical(abc, &ab);
    zg_g1_mul_fr(&p, &g, &a); zg_g1_to_affine(&pa, &p);
    zg_g2_mul_fr(&q, &h, &b); zg_g2_to_affine(&qa, &q);
    zg_pairing(&e1, &pa, &qa);
    zg_fq12_pow(&e2, &e, abc, 4);
    CHECK(zg_fq12_eq(&e1, &e2));
    /* e(abP, Q) = e(aP, bQ) */
    zg_g1_mul_fr(&p, &g, &ab); zg_g1_to_affine(&pa, &p);
    zg_pairing(&e2, &pa, &ha);
    CHECK(zg_fq12_eq(&e1, &e2));
    /* Multi-pairing: e(aP, bQ) e(-abP, Q) = 1, and not 1 when disturbed. */
    zg_g1_aff ps[2];
    zg_g2_aff qs[2];
    zg_g1_mul_fr(&p, &g, &a); zg_g1_to_affine(&ps[0], &p);
    qs[0] = qa;
    zg_g1_mul_fr(&p, &g, &ab); zg_g1_neg(&p, &p); zg_g1_to_affine(&ps[1], &p);
    qs[1] = ha;
    int one = 0;
    CHECK_EQ_INT(zg_pairing_check(ps, qs, 2, &one), ZG_OK);
    CHECK(one);
    zg_g1_add(&p, &p, &g); zg_g1_to_affine(&ps[1], &p);
    CHECK_EQ_INT(zg_pairing_check(ps, qs, 2, &one), ZG_OK);
    CHECK(!one);
    /* Infinity pairs count as 1. */
    zg_g1_aff inf1 = {0};
    CHECK_EQ_INT(zg_pairing_check(&inf1, &ha, 1, &one), ZG_OK);
    CHECK(one);
}

int main(void)
{
    ZG_RUN(test_gamma);
    ZG_RUN(test_fast_fq);
    ZG_RUN(test_tower);
    ZG_RUN(test_groups);
    ZG_RUN(test_pairing);
    ZG_TEST_END();
}
