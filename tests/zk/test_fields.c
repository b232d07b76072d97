/* test_fields.c - the BN254 fields (mont.h, fr.h, fq.h) against GMP. */
#include <gmp.h>

#include "zg_test.h"
#include "zg_rng.h"
#include "zk/fq.h"
#include "zk/fr.h"

static zg_rng rng; /* seeded in main */
static uint64_t rnd(void)
{
    return zg_rng_next(&rng);
}

static void limbs_to_mpz(mpz_t z, const uint64_t x[4])
{
    mpz_import(z, 4, -1, sizeof(uint64_t), 0, 0, x);
}

static void mpz_to_limbs(uint64_t x[4], const mpz_t z)
{
    memset(x, 0, 32);
    mpz_export(x, NULL, -1, sizeof(uint64_t), 0, 0, z);
}

/* A random canonical value below p, biased towards edge values now and then. */
static void random_canon(mpz_t out, const mpz_t p)
{
    uint64_t x[4] = {rnd(), rnd(), rnd(), rnd()};
    limbs_to_mpz(out, x);
    switch (rnd() % 8) {
    case 0: mpz_set_ui(out, 0); return;
    case 1: mpz_set_ui(out, 1); return;
    case 2: mpz_sub_ui(out, p, 1); return;
    default: mpz_mod(out, out, p);
    }
}

static void to_field(uint64_t v[4], const mpz_t z, const zg_mont_field *f)
{
    uint64_t c[4];
    mpz_to_limbs(c, z);
    zg_mont_to_mont(v, c, f);
}

static int field_equals(const uint64_t v[4], const mpz_t z, const zg_mont_field *f)
{
    uint64_t c[4], want[4];
    zg_mont_from_mont(c, v, f);
    mpz_to_limbs(want, z);
    return memcmp(c, want, 32) == 0;
}

static void check_constants(const zg_mont_field *f)
{
    mpz_t p, R, t, x;
    mpz_inits(p, R, t, x, NULL);
    limbs_to_mpz(p, f->p);
    CHECK(mpz_probab_prime_p(p, 40) > 0);
    mpz_ui_pow_ui(R, 2, 256);
    /* mont.h needs the top limb below 2^63 - 1: the no-carry multiplication,
     * and the addition, which assumes a + b < 2p never carries out. */
    CHECK(f->p[3] < (UINT64_MAX >> 1) - 1);
    /* pinv * p == -1 mod 2^64 */
    CHECK_EQ_U64(f->pinv * f->p[0], UINT64_MAX);
    mpz_mod(x, R, p);
    uint64_t l[4];
    mpz_to_limbs(l, x);
    CHECK_EQ_MEM(l, f->r1, 32);
    mpz_mul(x, R, R);
    mpz_mod(x, x, p);
    mpz_to_limbs(l, x);
    CHECK_EQ_MEM(l, f->r2, 32);
    mpz_sub_ui(x, p, 2);
    mpz_to_limbs(l, x);
    CHECK_EQ_MEM(l, f->pm2, 32);
    mpz_sub_ui(t, p, 1);
    unsigned s = (unsigned)mpz_scan1(t, 0);
    CHECK_EQ_INT(s, f->two_adicity);
    mpz_tdiv_q_2exp(t, t, s);
    mpz_sub_ui(x, t, 1);
    mpz_tdiv_q_2exp(x, x, 1);
    mpz_to_limbs(l, x);
    CHECK_EQ_MEM(l, f->tm1h, 32);
    mpz_clears(p, R, t, x, NULL);
}

static void check_arithmetic(const zg_mont_field *f)
{
    mpz_t p, a, b, want;
    mpz_inits(p, a, b, want, NULL);
    limbs_to_mpz(p, f->p);
    for (int i = 0; i < 2000; i++) {
        uint64_t va[4], vb[4], r[4];
        random_canon(a, p);
        random_canon(b, p);
        to_field(va, a, f);
        to_field(vb, b, f);
        zg_mont_add(r, va, vb, f->p);
        mpz_add(want, a, b);
        mpz_mod(want, want, p);
        CHECK(field_equals(r, want, f));
        zg_mont_sub(r, va, vb, f->p);
        mpz_sub(want, a, b);
        mpz_mod(want, want, p);
        CHECK(field_equals(r, want, f));
        zg_mont_mul(r, va, vb, f->p, f->pinv);
        mpz_mul(want, a, b);
        mpz_mod(want, want, p);
        CHECK(field_equals(r, want, f));
        if (i % 20 == 0) {
            zg_mont_inv(r, va, f);
            if (mpz_sgn(a) == 0)
                mpz_set_ui(want, 0);
            else
                mpz_invert(want, a, p);
            CHECK(field_equals(r, want, f));
            uint64_t root[4];
            int is_sq = zg_mont_sqrt(root, va, f);
            CHECK_EQ_INT(is_sq, mpz_sgn(a) == 0 || mpz_legendre(a, p) == 1);
            if (is_sq) {
                zg_mont_mul(r, root, root, f->p, f->pinv);
                CHECK(zg_mont_eq(r, va));
            }
        }
    }
    mpz_clears(p, a, b, want, NULL);
}

static void test_constants(void)
{
    check_constants(&zg_fr_field);
    check_constants(&zg_fq_field);
}

static void test_arithmetic(void)
{
    check_arithmetic(&zg_fr_field);
    check_arithmetic(&zg_fq_field);
}

static void test_text_and_bytes(void)
{
    zg_err err;
    zg_fr a, b;
    char dec[80], hex[67];
    CHECK_OK(zg_fr_from_str(&a, "12345678901234567890123456789", &err));
    zg_fr_to_dec(dec, &a);
    CHECK_EQ_STR(dec, "12345678901234567890123456789");
    CHECK_OK(zg_fr_from_str(&b, "0x27E41B3246BEC9B16E398115", &err));
    zg_fr_to_hex(hex, &b);
    CHECK_EQ_STR(hex, "0x000000000000000000000000000000000000000027e41b3246bec9b16e398115");
    CHECK(zg_fr_eq(&a, &b)); /* the same number, written in hex */
    /* r - 1 parses; r does not; nor junk. */
    CHECK_OK(zg_fr_from_str(&a, "21888242871839275222246405745257275088548364400416034343698204186575808495616", &err));
    CHECK_EQ_INT(zg_fr_from_str(&a, "21888242871839275222246405745257275088548364400416034343698204186575808495617", &err), ZG_ERANGE);
    CHECK_EQ_INT(zg_fr_from_str(&a, "", &err), ZG_EINVAL);
    CHECK_EQ_INT(zg_fr_from_str(&a, "0x", &err), ZG_EINVAL);
    CHECK_EQ_INT(zg_fr_from_str(&a, "12a", &err), ZG_EINVAL);
    CHECK_EQ_INT(zg_fr_from_str(&a, "0x1g", &err), ZG_EINVAL);
    CHECK_EQ_INT(zg_fr_from_str(&a, "0x1ffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff", &err), ZG_ERANGE);
    zg_fr_zero(&a);
    zg_fr_to_dec(dec, &a);
    CHECK_EQ_STR(dec, "0");

    /* Bytes: round trips both ways, and >= modulus rejected. */
    uint8_t be[32], le[32];
    CHECK_OK(zg_fr_from_str(&a, "0x0102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f20", &err));
    zg_fr_to_bytes_be(be, &a);
    zg_fr_to_bytes_le(le, &a);
    CHECK_EQ_INT(be[0], 1);
    CHECK_EQ_INT(be[31], 0x20);
    CHECK_EQ_INT(le[0], 0x20);
    CHECK_OK(zg_fr_from_bytes_le(&b, le, &err));
    CHECK(zg_fr_eq(&a, &b));
    memset(be, 0xff, 32);
    CHECK_EQ_INT(zg_fr_from_bytes_be(&b, be, &err), ZG_ERANGE);

    /* Reduction of long inputs equals GMP's. */
    mpz_t z, p;
    mpz_inits(z, p, NULL);
    limbs_to_mpz(p, zg_fr_field.p);
    for (size_t n = 0; n <= 100; n += 7) {
        uint8_t buf[100];
        for (size_t i = 0; i < n; i++)
            buf[i] = (uint8_t)rnd();
        zg_fr_from_bytes_reduce(&a, buf, n);
        mpz_import(z, n, 1, 1, 1, 0, buf);
        mpz_mod(z, z, p);
        CHECK(field_equals(a.v, z, &zg_fr_field));
    }
    mpz_clears(z, p, NULL);
}

static void test_small_values(void)
{
    zg_fq a, b, c;
    zg_fq_set_u64(&a, 3);
    zg_fq_set_u64(&b, 4);
    zg_fq_mul(&c, &a, &b);
    char dec[80];
    zg_fq_to_dec(dec, &c);
    CHECK_EQ_STR(dec, "12");
    zg_fq_neg(&c, &a);
    zg_fq_add(&c, &c, &a);
    CHECK(zg_fq_is_zero(&c));
    zg_fq_one(&a);
    zg_fq_set_u64(&b, 1);
    CHECK(zg_fq_eq(&a, &b));
    CHECK_EQ_INT(zg_fq_legendre(&a), 1);
    zg_fq_set_u64(&a, 3); /* the least non-residue of Fq */
    CHECK_EQ_INT(zg_fq_legendre(&a), -1);
    CHECK_EQ_INT(zg_fq_sqrt(&b, &a), 0);
}

/* a op b in both forms (assembly when built, and portable C) must agree. */
static int forms_agree(const uint64_t a[4], const uint64_t b[4], const zg_mont_field *f)
{
    uint64_t x[4], y[4];
    int ok = 1;
    zg_mont_mul_portable(x, a, b, f->p, f->pinv);
    zg_mont_mul(y, a, b, f->p, f->pinv);
    ok &= memcmp(x, y, 32) == 0;
    zg_mont_add_portable(x, a, b, f->p);
    zg_mont_add(y, a, b, f->p);
    ok &= memcmp(x, y, 32) == 0;
    zg_mont_sub_portable(x, a, b, f->p);
    zg_mont_sub(y, a, b, f->p);
    ok &= memcmp(x, y, 32) == 0;
    return ok;
}

/* The assembly forms (when built) agree with the portable C on random
 * values, values near p and near 2^254, and the carries' worst cases (all
 * limbs of one operand at their largest below p). */
static void check_forms_agree(const zg_mont_field *f)
{
    uint64_t edge[6][4] = {{0}, {1}, {0}, {0}, {0}, {0}};
    memcpy(edge[2], f->p, 32);
    edge[2][0] -= 1;                      /* p - 1 */
    memcpy(edge[3], f->p, 32);
    edge[3][0] -= 2;                      /* p - 2 */
    memcpy(edge[4], f->r1, 32);           /* R mod p (one) */
    edge[5][0] = edge[5][1] = edge[5][2] = UINT64_MAX;
    edge[5][3] = f->p[3] - 1;             /* top limb one below p's, rest all ones */
    for (int i = 0; i < 6; i++)
        for (int j = 0; j < 6; j++) CHECK(forms_agree(edge[i], edge[j], f));
    mpz_t p, a;
    mpz_inits(p, a, NULL);
    limbs_to_mpz(p, f->p);
    for (int i = 0; i < 200000; i++) {
        uint64_t va[4], vb[4];
        random_canon(a, p);
        mpz_to_limbs(va, a);
        random_canon(a, p);
        mpz_to_limbs(vb, a);
        int ok = forms_agree(va, vb, f);
        CHECK(ok);
        if (!ok) break;
    }
    mpz_clears(p, a, NULL);
}

static void test_forms_agree(void)
{
    if (!ZG_MONT_ADD_X86) printf("  (not x86-64: add and sub are the portable C themselves)\n");
    if (!ZG_MONT_MUL_ADX) printf("  (built without BMI2/ADX: mul is the portable C itself)\n");
    check_forms_agree(&zg_fr_field);
    check_forms_agree(&zg_fq_field);
}

/* The gcd inversion agrees with Fermat's on random and edge values (the
 * Montgomery forms of 0, 1, p - 1, and limbs at their largest below p). */
static void check_inv_vartime(const zg_mont_field *f)
{
    mpz_t p, a;
    mpz_inits(p, a, NULL);
    limbs_to_mpz(p, f->p);
    for (int i = 0; i < 3000; i++) {
        uint64_t va[4], x[4], y[4];
        random_canon(a, p);
        to_field(va, a, f);
        if (i == 0) {
            memcpy(va, f->p, 32);
            va[0] -= 1;
        }
        zg_mont_inv(x, va, f);
        zg_mont_inv_vartime(y, va, f);
        CHECK(memcmp(x, y, 32) == 0);
    }
    mpz_clears(p, a, NULL);
}

static void test_inv_vartime(void)
{
    check_inv_vartime(&zg_fr_field);
    check_inv_vartime(&zg_fq_field);
}

int main(void)
{
    zg_rng_seed(&rng, "test_fields");
    ZG_RUN(test_constants);
    ZG_RUN(test_arithmetic);
    ZG_RUN(test_text_and_bytes);
    ZG_RUN(test_small_values);
    ZG_RUN(test_forms_agree);
    ZG_RUN(test_inv_vartime);
    ZG_TEST_END();
}
