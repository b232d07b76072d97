/*
 * test_msm_ntt.c - Pippenger MSM against naive sums (G1 and G2, several
 * sizes and thread counts), and the NTT against naive evaluation, its
 * inverse, coset transforms, and the root of unity used by snarkjs.
 */
#include "zg_test.h"
#include "zg_rng.h"
#include "zk/msm.h"
#include "zk/ntt.h"

static zg_rng rng = {0x243f6a8885a308d3ULL};
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

/* n random points of G1 into pts, and naive = sum k_i P_i the slow way. */
static void g1_random_points(zg_g1_aff *pts, const zg_fr *k, size_t n, zg_g1 *naive)
{
    zg_g1 g, p;
    zg_g1_generator(&g);
    zg_g1_set_inf(naive);
    for (size_t i = 0; i < n; i++) {
        zg_fr t;
        rand_fr(&t);
        zg_g1_mul_fr(&p, &g, &t);
        zg_g1_to_affine(&pts[i], &p);
        zg_g1_mul_fr(&p, &p, &k[i]);
        zg_g1_add(naive, naive, &p);
    }
}

static void test_msm_g1(void)
{
    static const size_t sizes[] = {1, 5, 70, 300};
    for (size_t s = 0; s < 4; s++) {
        size_t n = sizes[s];
        zg_g1_aff *pts = malloc(n * sizeof *pts);
        zg_fr *k = malloc(n * sizeof *k);
        zg_g1 naive, fast;
        for (size_t i = 0; i < n; i++) {
            rand_fr(&k[i]);
            if (i % 7 == 3) zg_fr_zero(&k[i]);
            if (i % 7 == 4) zg_fr_one(&k[i]);
            if (i % 11 == 5) zg_fr_set_u64(&k[i], 1000);
        }
        g1_random_points(pts, k, n, &naive);
        for (int th = 1; th <= 3; th++) {
            CHECK_EQ_INT(zg_msm_g1(&fast, pts, k, n, th), ZG_OK);
            CHECK_MSG(zg_g1_eq(&fast, &naive), "msm g1 n=%zu threads=%d", n, th);
        }
        free(pts);
        free(k);
    }
}

static void test_msm_g2(void)
{
    size_t n = 90;
    zg_g2_aff *pts = malloc(n * sizeof *pts);
    zg_fr *k = malloc(n * sizeof *k);
    zg_g2 g, p, naive, fast;
    zg_g2_generator(&g);
    zg_g2_set_inf(&naive);
    for (size_t i = 0; i < n; i++) {
        zg_fr t;
        rand_fr(&t);
        zg_g2_mul_fr(&p, &g, &t);
        zg_g2_to_affine(&pts[i], &p);
        rand_fr(&k[i]);
        zg_g2_mul_fr(&p, &p, &k[i]);
        zg_g2_add(&naive, &naive, &p);
    }
    CHECK_EQ_INT(zg_msm_g2(&fast, pts, k, n, 2), ZG_OK);
    CHECK(zg_g2_eq(&fast, &naive));
    free(pts);
    free(k);
}

/* Repeated points, negated points, equal scalars: the batch-affine buckets
 * meet doublings (P + P) and cancellations (P + -P). */
static void test_msm_degenerate(void)
{
    size_t n = 600;
    zg_g1_aff *pts = malloc(n * sizeof *pts);
    zg_fr *k = malloc(n * sizeof *k);
    zg_g1 g, p, naive, fast;
    zg_g1_generator(&g);
    zg_g1_set_inf(&naive);
    zg_fr base[3];
    for (int i = 0; i < 3; i++) rand_fr(&base[i]);
    for (size_t i = 0; i < n; i++) {
        zg_g1_mul_fr(&p, &g, &base[i % 3]);
        if (i % 5 == 1) zg_g1_neg(&p, &p);
        zg_g1_to_affine(&pts[i], &p);
        if (i % 4 == 0) zg_fr_set_u64(&k[i], 7);
        else rand_fr(&k[i]);
        if (i == 17) memset(&pts[i], 0, sizeof pts[i]);   /* infinity */
        zg_g1_from_affine(&p, &pts[i]);
        zg_g1_mul_fr(&p, &p, &k[i]);
        zg_g1_add(&naive, &naive, &p);
    }
    CHECK_EQ_INT(zg_msm_g1(&fast, pts, k, n, 2), ZG_OK);
    CHECK(zg_g1_eq(&fast, &naive));
    free(pts);
    free(k);
}

/* Many equal digits: every addition in a window meets the same few buckets,
 * so the retry queue fills and the Jacobian overflow takes the rest; the
 * scalars mix small equal values (one bucket per window) with zeros. */
static void test_msm_bucket_collisions(void)
{
    size_t n = 3000;
    zg_g1_aff *pts = malloc(n * sizeof *pts);
    zg_fr *k = malloc(n * sizeof *k);
    zg_g1 naive, fast;
    for (size_t i = 0; i < n; i++) {
        if (i % 10 == 9) zg_fr_zero(&k[i]);
        else zg_fr_set_u64(&k[i], i % 3 == 0 ? 5 : 0x500000005ULL);
    }
    g1_random_points(pts, k, n, &naive);
    for (int th = 1; th <= 2; th++) {
        CHECK_EQ_INT(zg_msm_g1(&fast, pts, k, n, th), ZG_OK);
        CHECK_MSG(zg_g1_eq(&fast, &naive), "threads=%d", th);
    }
    free(pts);
    free(k);
}

/* Scalars at the signed-digit boundaries: for every window size c, the
 * value with half = 2^(c-1) in each window (no window carries), that value
 * plus one (every window carries) and minus one, and r - 1. Whichever c the
 * MSM picks, some scalars sit exactly on its recoding's edges. */
static void test_msm_digit_edges(void)
{
    size_t n = 0, cap = 19 * 3 + 1;
    zg_g1_aff *pts = malloc(cap * sizeof *pts);
    zg_fr *k = malloc(cap * sizeof *k);
    zg_g1 p, naive, fast;
    for (int c = 2; c <= 20; c++) {
        uint8_t be[32] = {0};
        for (int b = c - 1; b < 253; b += c) be[31 - b / 8] |= (uint8_t)(1u << (b % 8));
        zg_fr t, one;
        zg_fr_from_bytes_reduce(&t, be, sizeof be);
        zg_fr_one(&one);
        k[n++] = t;
        zg_fr_add(&k[n++], &t, &one);
        zg_fr_sub(&k[n++], &t, &one);
    }
    zg_fr_one(&k[n]);
    zg_fr_neg(&k[n], &k[n]);           /* r - 1 */
    n++;
    g1_random_points(pts, k, n, &naive);
    for (size_t m = 1; m <= n; m += 7) {   /* several sizes, so several window sizes */
        zg_g1 part;
        zg_g1_set_inf(&part);
        for (size_t i = 0; i < m; i++) {
            zg_g1_from_affine(&p, &pts[i]);
            zg_g1_mul_fr(&p, &p, &k[i]);
            zg_g1_add(&part, &part, &p);
        }
        CHECK_EQ_INT(zg_msm_g1(&fast, pts, k, m, 2), ZG_OK);
        CHECK_MSG(zg_g1_eq(&fast, &part), "m=%zu", m);
    }
    CHECK_EQ_INT(zg_msm_g1(&fast, pts, k, n, 1), ZG_OK);
    CHECK(zg_g1_eq(&fast, &naive));
    free(pts);
    free(k);
}

static void test_root(void)
{
    zg_fr w, one;
    char dec[80];
    zg_fr_root_of_unity(&w, 28);
    zg_fr_to_dec(dec, &w);
    CHECK_EQ_STR(dec, "19103219067921713944291392827692070036145651957329286315305642004821462161904");
    zg_fr_one(&one);
    zg_fr_root_of_unity(&w, 1);
    zg_fr_neg(&one, &one);
    CHECK(zg_fr_eq(&w, &one));
}

static void test_ntt(void)
{
    zg_err err;
    for (unsigned lg = 0; lg <= 6; lg++) {
        zg_ntt_domain d;
        CHECK_OK(zg_ntt_domain_init(&d, lg, &err));
        size_t n = d.n;
        zg_fr *a = malloc(n * sizeof *a), *b = malloc(n * sizeof *b);
        for (size_t i = 0; i < n; i++) rand_fr(&a[i]);
        memcpy(b, a, n * sizeof *a);
        zg_ntt_forward(&d, b);
        /* naive: b_i = sum_j a_j omega^(ij) */
        int ok = 1;
        zg_fr x;
        zg_fr_one(&x);
        for (size_t i = 0; i < n; i++) {
            zg_fr acc, p;
            zg_fr_zero(&acc);
            zg_fr_one(&p);
            for (size_t j = 0; j < n; j++) {
                zg_fr t;
                zg_fr_mul(&t, &a[j], &p);
                zg_fr_add(&acc, &acc, &t);
                zg_fr_mul(&p, &p, &x);
            }
            ok &= zg_fr_eq(&acc, &b[i]);
            zg_fr_mul(&x, &x, &d.omega);
        }
        CHECK_MSG(ok, "ntt 2^%u matches naive evaluation", lg);
        zg_ntt_inverse(&d, b);
        CHECK_EQ_MEM(a, b, n * sizeof *a);
        zg_fr g;
        zg_fr_set_u64(&g, 7);
        zg_ntt_coset_forward(&d, b, &g);
        zg_ntt_coset_inverse(&d, b, &g);
        CHECK_EQ_MEM(a, b, n * sizeof *a);
        /* evaluations on D to the coset in one call == the two steps */
        zg_fr *c = malloc(n * sizeof *c);
        zg_ntt_forward(&d, b);
        memcpy(c, b, n * sizeof *c);
        zg_ntt_inverse_to_coset(&d, b, &g);
        zg_ntt_inverse(&d, c);
        zg_ntt_coset_forward(&d, c, &g);
        CHECK_EQ_MEM(b, c, n * sizeof *c);
        free(c);
        free(a);
        free(b);
        zg_ntt_domain_free(&d);
    }
    zg_ntt_domain d;
    CHECK_EQ_INT(zg_ntt_domain_init(&d, 29, &err), ZG_ERANGE);
}

int main(void)
{
    ZG_RUN(test_msm_g1);
    ZG_RUN(test_msm_g2);
    ZG_RUN(test_msm_degenerate);
    ZG_RUN(test_msm_bucket_collisions);
    ZG_RUN(test_msm_digit_edges);
    ZG_RUN(test_root);
    ZG_RUN(test_ntt);
    ZG_TEST_END();
}
