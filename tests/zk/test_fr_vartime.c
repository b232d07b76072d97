/*
 * tests/zk/test_fr_vartime.c - the variable-time Fr helpers agree with the
 * constant-time ones of fr.h on random (seeded) values (owner h4).
 */
#include "zg_test.h"
#include "cjs_run.h"
#include "zk/fr_vartime.h"

static zg_rng rng;

static void random_fr(zg_fr *r)
{
    uint8_t b[32];
    zg_rng_bytes(&rng, b, sizeof b);
    zg_fr_from_bytes_reduce(r, b, sizeof b);
}

static void test_pow_inv(void)
{
    int bad = 0;
    for (int i = 0; i < 200; i++) {
        zg_fr a, r1, r2;
        uint64_t e[4];
        random_fr(&a);
        for (int j = 0; j < 4; j++) e[j] = zg_rng_next(&rng);
        if (i % 4 == 0) e[3] = e[2] = 0;
        if (i == 1) e[0] = e[1] = e[2] = e[3] = 0;
        zg_fr_pow(&r1, &a, e);
        zg_fr_pow_vartime(&r2, &a, e);
        if (!zg_fr_eq(&r1, &r2)) bad++;
        zg_fr_inv(&r1, &a);
        zg_fr_inv_vartime(&r2, &a);
        if (!zg_fr_eq(&r1, &r2)) bad++;
    }
    CHECK_EQ_INT(bad, 0);
    zg_fr z, r;
    zg_fr_zero(&z);
    zg_fr_inv_vartime(&r, &z);
    CHECK(zg_fr_is_zero(&r));
}

static void test_sqrt_ratio(void)
{
    int bad = 0, squares = 0;
    for (int i = 0; i < 200; i++) {
        zg_fr u, v, q, vi, x, x2;
        random_fr(&u);
        random_fr(&v);
        zg_fr_inv(&vi, &v);
        zg_fr_mul(&q, &u, &vi);
        int want = zg_fr_legendre(&q) == 1;
        int got = zg_fr_sqrt_ratio_vartime(&x, &u, &v);
        if (want != got) bad++;
        if (got) {
            squares++;
            zg_fr_sqr(&x2, &x);
            if (!zg_fr_eq(&x2, &q)) bad++;
        }
    }
    CHECK_EQ_INT(bad, 0);
    CHECK(squares > 50 && squares < 150);
    zg_fr u, v, x;
    zg_fr_zero(&u);
    zg_fr_one(&v);
    CHECK_EQ_INT(zg_fr_sqrt_ratio_vartime(&x, &u, &v), 1);
    CHECK(zg_fr_is_zero(&x));
    CHECK_EQ_INT(zg_fr_sqrt_ratio_vartime(&x, &v, &u), 0);
}

int main(void)
{
    rng = zk_rng_seeded("test_fr_vartime");
    ZG_RUN(test_pow_inv);
    ZG_RUN(test_sqrt_ratio);
    ZG_TEST_END();
}
