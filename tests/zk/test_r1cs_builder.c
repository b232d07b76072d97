/* test_r1cs_builder.c - the R1CS builder core and gates: witnesses of honest
 * values satisfy the system, and tampered witnesses are caught by the checker. */
#include "zg_test.h"
#include "zk/r1cs_builder.h"

static zg_fr fr_u64(uint64_t x)
{
    zg_fr r;
    zg_fr_set_u64(&r, x);
    return r;
}

/* Finalizes cs, checks that the honest witness passes; returns the r1cs. */
static int finish(zg_cs *cs, zg_r1cs *r)
{
    zg_err err;
    int rc = zg_cs_finalize(cs, r, &err);
    zg_cs_free(cs);
    CHECK_OK(rc);
    if (rc)
        return rc;
    rc = zg_r1cs_check(r, r->witness, NULL, &err);
    CHECK_OK(rc);
    return rc;
}

/* 1 when the checker rejects w with wire `wire` replaced by `v`. */
static int rejects_with(const zg_r1cs *r, uint32_t wire, const zg_fr *v)
{
    zg_fr saved = r->witness[wire];
    r->witness[wire] = *v;
    int bad = zg_r1cs_check(r, r->witness, NULL, NULL) != ZG_OK;
    r->witness[wire] = saved;
    return bad;
}

/* The variable-time inverse agrees with the constant-time one. */
static void test_inv_vartime(void)
{
    uint64_t x = 0x9e3779b97f4a7c15ULL;
    for (int k = 0; k < 200; k++) {
        zg_fr a, want, got;
        if (k == 0) {
            zg_fr_one(&a);
        } else if (k == 1) {
            zg_fr_one(&a);
            zg_fr_neg(&a, &a);
        } else if (k == 2) {
            zg_fr_zero(&a);
        } else {
            uint8_t b[32];
            for (int i = 0; i < 32; i++) {
                x ^= x << 13;
                x ^= x >> 7;
                x ^= x << 17;
                b[i] = (uint8_t)x;
            }
            zg_fr_from_bytes_reduce(&a, b, 32);
        }
        zg_fr_inv(&want, &a);
        zg_cs_fr_inv_vartime(&got, &a);
        CHECK_MSG(zg_fr_eq(&got, &want), "inverse %d differs", k);
    }
}

static void test_lc_merge(void)
{
    zg_cs cs;
    zg_cs_init(&cs);
    zg_fr x = fr_u64(5), y = fr_u64(7), v;
    zg_lc a = zg_cs_private(&cs, &x), b = zg_cs_private(&cs, &y);
    zg_lc s = zg_lc_add(&cs, zg_lc_add(&cs, a, b), zg_lc_u64(&cs, 3));
    CHECK_EQ_INT(s.n, 3);
    zg_lc d = zg_lc_sub(&cs, s, a);
    CHECK_EQ_INT(d.n, 2);           /* a cancels */
    zg_cs_value(&cs, d, &v);
    zg_fr ten = fr_u64(10);
    CHECK(zg_fr_eq(&v, &ten));
    CHECK(zg_lc_is_const(zg_lc_sub(&cs, d, b), NULL));
    /* a constant factor costs no constraint */
    (void)zg_cs_mul(&cs, a, zg_lc_u64(&cs, 9));
    CHECK_EQ_INT(zg_cs_n_constraints(&cs), 0);
    (void)zg_cs_mul(&cs, a, b);
    CHECK_EQ_INT(zg_cs_n_constraints(&cs), 1);
    zg_r1cs r;
    finish(&cs, &r);
    zg_r1cs_free(&r);
}

static void test_public_order(void)
{
    zg_cs cs;
    zg_cs_init(&cs);
    zg_fr x = fr_u64(3), y = fr_u64(9);
    zg_lc a = zg_cs_private(&cs, &x);
    zg_lc sq = zg_cs_mul(&cs, a, a);
    zg_lc pub = zg_cs_public(&cs, &y);   /* created after private wires */
    zg_cs_assert_equal(&cs, sq, pub);
    zg_r1cs r;
    if (finish(&cs, &r) == ZG_OK) {
        CHECK_EQ_INT(r.n_public, 1);
        CHECK(zg_fr_eq(&r.witness[1], &y));
        zg_fr z = fr_u64(10);
        CHECK(rejects_with(&r, 1, &z));
        uint32_t bad = 99;
        r.witness[1] = z;
        CHECK(zg_r1cs_check(&r, r.witness, &bad, NULL) == ZG_ECRYPTO);
        CHECK_EQ_INT(bad, 1);
    }
    zg_r1cs_free(&r);
}

static void test_bits_and_compare(void)
{
    zg_cs cs;
    zg_cs_init(&cs);
    zg_fr x = fr_u64(1000), y = fr_u64(1001);
    zg_lc a = zg_cs_private(&cs, &x), b = zg_cs_private(&cs, &y);
    zg_lc bits[16];
    zg_cs_to_bits(&cs, a, 16, bits);
    CHECK_EQ_INT(zg_cs_value_u64(&cs, bits[3]), 1);   /* 1000 = 0b1111101000 */
    CHECK_EQ_INT(zg_cs_value_u64(&cs, bits[0]), 0);
    zg_lc lt = zg_cs_less_than(&cs, a, b, 16);
    zg_lc ge = zg_cs_less_than(&cs, b, a, 16);
    zg_lc eqlt = zg_cs_less_than(&cs, a, a, 16);
    CHECK_EQ_INT(zg_cs_value_u64(&cs, lt), 1);
    CHECK_EQ_INT(zg_cs_value_u64(&cs, ge), 0);
    CHECK_EQ_INT(zg_cs_value_u64(&cs, eqlt), 0);
    zg_cs_assert_less_than(&cs, a, b, 16);
    zg_lc z = zg_cs_is_zero(&cs, zg_lc_sub(&cs, a, a));   /* constant: folded */
    CHECK_EQ_INT(zg_cs_value_u64(&cs, z), 1);
    zg_lc nz = zg_cs_is_zero(&cs, a);
    CHECK_EQ_INT(zg_cs_value_u64(&cs, nz), 0);
    zg_lc sel = zg_cs_select(&cs, lt, a, b);
    CHECK_EQ_INT(zg_cs_value_u64(&cs, sel), 1000);
    uint64_t c[4] = {1000, 0, 0, 0};
    zg_cs_bits_le_const(&cs, bits, 16, c);
    zg_lc sb[254];
    zg_fr m1;
    zg_fr_one(&m1);
    zg_fr_neg(&m1, &m1);
    zg_lc big = zg_cs_private(&cs, &m1);
    zg_cs_to_bits_strict(&cs, big, sb);
    zg_r1cs r;
    if (finish(&cs, &r) == ZG_OK) {
        /* 1000 < 1001 fails when b is replaced by 1000 (the witness cannot follow) */
        CHECK(rejects_with(&r, 2, &x));
    }
    zg_r1cs_free(&r);
}

static void test_bad_statements(void)
{
    /* 1001 <= 1000 is unsatisfiable with the honest bits */
    zg_cs cs;
    zg_cs_init(&cs);
    zg_fr x = fr_u64(1001);
    zg_lc a = zg_cs_private(&cs, &x), bits[16];
    zg_cs_to_bits(&cs, a, 16, bits);
    uint64_t c[4] = {1000, 0, 0, 0};
    zg_cs_bits_le_const(&cs, bits, 16, c);
    zg_cs_assert_less_than(&cs, a, zg_lc_u64(&cs, 1001), 16);
    zg_r1cs r;
    zg_err err;
    CHECK_OK(zg_cs_finalize(&cs, &r, &err));
    zg_cs_free(&cs);
    CHECK(zg_r1cs_check(&r, r.witness, NULL, NULL) == ZG_ECRYPTO);
    zg_r1cs_free(&r);
}

/* bits <= constant, exhaustively over 6-bit values and constants (runs of
 * ones and zeros of every length), plus a long run near 2^64. */
static void test_bits_le_const_exhaustive(void)
{
    int bad = 0;
    for (uint64_t c = 0; c < 64; c++) {
        for (uint64_t v = 0; v < 64; v++) {
            zg_cs cs;
            zg_cs_init(&cs);
            zg_fr x = fr_u64(v);
            zg_lc bits[6];
            zg_cs_to_bits(&cs, zg_cs_private(&cs, &x), 6, bits);
            uint64_t cc[4] = {c, 0, 0, 0};
            zg_cs_bits_le_const(&cs, bits, 6, cc);
            zg_r1cs r;
            if (zg_cs_finalize(&cs, &r, NULL) != ZG_OK) {
                bad++;
                zg_cs_free(&cs);
                continue;
            }
            zg_cs_free(&cs);
            int ok = zg_r1cs_check(&r, r.witness, NULL, NULL) == ZG_OK;
            if (ok != (v <= c))
                bad++;
            zg_r1cs_free(&r);
        }
    }
    CHECK_EQ_INT(bad, 0);
    const uint64_t cs64[] = {0xfffffffffffffff0ULL, 0xf0000000000000ffULL, 0x8000000000000001ULL};
    const uint64_t vs64[] = {0xfffffffffffffff0ULL, 0xfffffffffffffff1ULL, 0xf0000000000000ffULL,
                             0xf000000000000100ULL, 0x8000000000000001ULL, 0x8000000000000002ULL, 0, UINT64_MAX};
    for (size_t i = 0; i < 3; i++) {
        for (size_t j = 0; j < 8; j++) {
            zg_cs cs;
            zg_cs_init(&cs);
            zg_fr x = fr_u64(vs64[j]);
            zg_lc bits[64];
            zg_cs_to_bits(&cs, zg_cs_private(&cs, &x), 64, bits);
            uint64_t cc[4] = {cs64[i], 0, 0, 0};
            zg_cs_bits_le_const(&cs, bits, 64, cc);
            zg_r1cs r;
            zg_err err;
            CHECK_OK(zg_cs_finalize(&cs, &r, &err));
            zg_cs_free(&cs);
            CHECK_MSG((zg_r1cs_check(&r, r.witness, NULL, NULL) == ZG_OK) == (vs64[j] <= cs64[i]),
                      "%llx <= %llx", (unsigned long long)vs64[j], (unsigned long long)cs64[i]);
            zg_r1cs_free(&r);
        }
    }
}

/* The alias h + r of a small h (it fits in 254 bits) is refused by the
 * strict decomposition's bound, while r - 1 itself passes. */
static void test_strict_alias(void)
{
    for (int alias = 0; alias < 2; alias++) {
        uint64_t v[4];
        zg_u128 c = 5;
        for (int i = 0; i < 4; i++) {   /* v = 5 + r, or r - 1 */
            uint64_t p = zg_fr_field.p[i];
            c += alias ? p : (i == 0 ? p - 6 : p);
            v[i] = (uint64_t)c;
            c >>= 64;
        }
        zg_cs cs;
        zg_cs_init(&cs);
        zg_lc bits[254];
        for (int i = 0; i < 254; i++)
            bits[i] = zg_cs_bool_private(&cs, (int)((v[i / 64] >> (i % 64)) & 1));
        uint64_t rm1[4] = {zg_fr_field.p[0] - 1, zg_fr_field.p[1], zg_fr_field.p[2], zg_fr_field.p[3]};
        zg_cs_bits_le_const(&cs, bits, 254, rm1);
        zg_r1cs r;
        zg_err err;
        CHECK_OK(zg_cs_finalize(&cs, &r, &err));
        zg_cs_free(&cs);
        CHECK((zg_r1cs_check(&r, r.witness, NULL, NULL) == ZG_OK) == !alias);
        zg_r1cs_free(&r);
    }
}

/* 64-bit comparators at the edges of the range. */
static void test_less_than_64(void)
{
    const uint64_t v[][2] = {{0, 1}, {UINT64_MAX - 1, UINT64_MAX}, {0, UINT64_MAX},
                             {5, 5}, {UINT64_MAX, UINT64_MAX - 1}, {UINT64_MAX, 0}};
    for (size_t k = 0; k < sizeof v / sizeof v[0]; k++) {
        int want = v[k][0] < v[k][1];
        zg_cs cs;
        zg_cs_init(&cs);
        zg_fr x = fr_u64(v[k][0]), y = fr_u64(v[k][1]);
        zg_lc a = zg_cs_private(&cs, &x), b = zg_cs_private(&cs, &y);
        zg_cs_range(&cs, a, 64);
        zg_cs_range(&cs, b, 64);
        zg_lc lt = zg_cs_less_than(&cs, a, b, 64);
        CHECK_EQ_INT(zg_cs_value_u64(&cs, lt), want);
        zg_cs_assert_less_than(&cs, a, b, 64);
        zg_r1cs r;
        zg_err err;
        CHECK_OK(zg_cs_finalize(&cs, &r, &err));
        zg_cs_free(&cs);
        CHECK_MSG((zg_r1cs_check(&r, r.witness, NULL, NULL) == ZG_OK) == want,
                  "assert %llu < %llu", (unsigned long long)v[k][0], (unsigned long long)v[k][1]);
        zg_r1cs_free(&r);
    }
    /* disabled: any order passes; enabled: the order is enforced */
    for (int en = 0; en < 2; en++) {
        zg_cs cs;
        zg_cs_init(&cs);
        zg_fr x = fr_u64(9), y = fr_u64(9);
        zg_cs_assert_less_than_if(&cs, zg_cs_bool_private(&cs, en), zg_cs_private(&cs, &x),
                                  zg_cs_private(&cs, &y), 64);
        zg_r1cs r;
        zg_err err;
        CHECK_OK(zg_cs_finalize(&cs, &r, &err));
        zg_cs_free(&cs);
        CHECK((zg_r1cs_check(&r, r.witness, NULL, NULL) == ZG_OK) == !en);
        zg_r1cs_free(&r);
    }
}

int main(void)
{
    ZG_RUN(test_inv_vartime);
    ZG_RUN(test_lc_merge);
    ZG_RUN(test_public_order);
    ZG_RUN(test_bits_and_compare);
    ZG_RUN(test_bad_statements);
    ZG_RUN(test_less_than_64);
    ZG_RUN(test_bits_le_const_exhaustive);
    ZG_RUN(test_strict_alias);
    ZG_TEST_END();
}
