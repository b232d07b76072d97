/* test_u256.c - 256-bit integers: parsing, printing, arithmetic edge cases. */
#include "zg_test.h"
#include "zg_rng.h"

#include <time.h>

#include "base/u256.h"

#define MAX_DEC "115792089237316195423570985008687907853269984665640564039457584007913129639935"
#define MAX_HEX "0xffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff"

static zg_u256 P(const char *s)
{
    zg_u256 r = zg_u256_from_u64(0);
    zg_err err;
    if (zg_u256_parse(&r, s, &err))
        ZG_FAIL_("parse \"%s\": %s", s, err.msg);
    return r;
}

static void test_parse_print(void)
{
    char d[ZG_U256_DEC_MAX], h[ZG_U256_HEX_MAX];
    zg_u256 m = P(MAX_DEC);
    zg_u256_to_dec(&m, d);
    zg_u256_to_hex(&m, h);
    CHECK_EQ_STR(d, MAX_DEC);
    CHECK_EQ_STR(h, MAX_HEX);
    CHECK(zg_u256_cmp(&m, &(zg_u256){{~0ull, ~0ull, ~0ull, ~0ull}}) == 0);
    zg_u256 z = P("0");
    zg_u256_to_dec(&z, d);
    zg_u256_to_hex(&z, h);
    CHECK_EQ_STR(d, "0");
    CHECK_EQ_STR(h, "0x0");
    zg_u256 x = P("0x00001A");
    zg_u256_to_dec(&x, d);
    CHECK_EQ_STR(d, "26");
    x = P("000123");
    zg_u256_to_hex(&x, h);
    CHECK_EQ_STR(h, "0x7b");
    x = P("18446744073709551616"); /* 2^64 */
    CHECK(x.w[0] == 0 && x.w[1] == 1);
    /* Leading zeros beyond 64 digits are fine: the value is what counts. */
    x = P("0x0000000000000000000000000000000000000000000000000000000000000000001");
    CHECK_EQ_U64(x.w[0], 1);
}

static void test_parse_bad(void)
{
    zg_u256 r;
    zg_err err;
    const char *inval[] = {"", "0x", "-1", "+1", " 1", "1 ", "1.0", "1e3", "0x1g", "12a", "0xx1"};
    for (size_t i = 0; i < sizeof inval / sizeof inval[0]; i++)
        CHECK_MSG(zg_u256_parse(&r, inval[i], &err) == ZG_EINVAL, "accepted \"%s\"", inval[i]);
    CHECK_EQ_INT(zg_u256_parse(&r, NULL, &err), ZG_EINVAL);
    /* max + 1, and far too long */
    CHECK_EQ_INT(zg_u256_from_dec(&r, "115792089237316195423570985008687907853269984665640564039457584007913129639936", &err), ZG_ERANGE);
    CHECK_EQ_INT(zg_u256_from_hex(&r, "0x1" "0000000000000000000000000000000000000000000000000000000000000000", &err), ZG_ERANGE);
    char longdec[300];
    memset(longdec, '9', sizeof longdec - 1);
    longdec[sizeof longdec - 1] = 0;
    CHECK_EQ_INT(zg_u256_from_dec(&r, longdec, &err), ZG_ERANGE);
    CHECK(strlen(err.msg) < 200); /* the message quotes a bounded prefix */
    CHECK_EQ_INT(zg_u256_from_dec(&r, "0x10", &err), ZG_EINVAL);
}

static void test_add_sub(void)
{
    zg_u256 r, m = P(MAX_HEX), one = zg_u256_from_u64(1), z = zg_u256_from_u64(0);
    CHECK_EQ_INT(zg_u256_add(&r, &m, &one), ZG_ERANGE);
    CHECK_EQ_INT(zg_u256_add(&r, &m, &z), ZG_OK);
    CHECK(zg_u256_cmp(&r, &m) == 0);
    CHECK_EQ_INT(zg_u256_sub(&r, &z, &one), ZG_ERANGE);
    CHECK_EQ_INT(zg_u256_sub(&r, &m, &m), ZG_OK);
    CHECK(zg_u256_is_zero(&r));
    zg_u256 a = P("0xffffffffffffffff"), b;
    CHECK_EQ_INT(zg_u256_add(&b, &a, &one), ZG_OK); /* carry across a word */
    CHECK(b.w[0] == 0 && b.w[1] == 1);
    CHECK_EQ_INT(zg_u256_sub(&b, &b, &one), ZG_OK); /* borrow across a word */
    CHECK(zg_u256_cmp(&a, &b) == 0);
    CHECK_EQ_INT(zg_u256_add(&a, &a, &a), ZG_OK); /* aliasing */
    CHECK(a.w[0] == ~1ull && a.w[1] == 1);
}

static void test_mul_div(void)
{
    zg_u256 r, q, rem, m = P(MAX_HEX), two = zg_u256_from_u64(2), z = zg_u256_from_u64(0);
    CHECK_EQ_INT(zg_u256_mul(&r, &m, &two), ZG_ERANGE);
    zg_u256 h = P("0x100000000000000000000000000000000"); /* 2^128 */
    CHECK_EQ_INT(zg_u256_mul(&r, &h, &h), ZG_ERANGE);   /* 2^256 */
    zg_u256 h1 = P("0xffffffffffffffffffffffffffffffff");
    CHECK_EQ_INT(zg_u256_mul(&r, &h, &h1), ZG_OK);
    char d[ZG_U256_DEC_MAX];
    zg_u256 a = P("123456789012345678901234567890"), b = P("987654321098765432109876543210");
    CHECK_EQ_INT(zg_u256_mul(&r, &a, &b), ZG_OK);
    zg_u256_to_dec(&r, d);
    CHECK_EQ_STR(d, "121932631137021795226185032733622923332237463801111263526900");
    CHECK_EQ_INT(zg_u256_divmod(&q, &rem, &r, &b), ZG_OK);
    CHECK(zg_u256_cmp(&q, &a) == 0 && zg_u256_is_zero(&rem));
    CHECK_EQ_INT(zg_u256_divmod(&q, &rem, &m, &z), ZG_EINVAL);
    CHECK_EQ_INT(zg_u256_divmod(&q, &rem, &m, &m), ZG_OK);
    CHECK(q.w[0] == 1 && zg_u256_is_zero(&rem));
    zg_u256 seven = zg_u256_from_u64(7);
    CHECK_EQ_INT(zg_u256_divmod(&q, &rem, &m, &seven), ZG_OK);
    zg_u256_to_dec(&q, d);
    CHECK_EQ_STR(d, "16541727033902313631938712144098272550467140666520080577065369143987589948562");
    CHECK_EQ_U64(rem.w[0], 1);
    CHECK_EQ_INT(zg_u256_divmod(NULL, &rem, &seven, &m), ZG_OK);
    CHECK(zg_u256_cmp(&rem, &seven) == 0);
}

static void test_bytes(void)
{
    uint8_t be[32];
    zg_u256 m = P("0x0102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f20"), r;
    zg_u256_to_be(be, &m);
    for (int i = 0; i < 32; i++)
        CHECK_EQ_INT(be[i], i + 1);
    r = zg_u256_from_be(be);
    CHECK(zg_u256_cmp(&r, &m) == 0);
    CHECK_EQ_INT(zg_u256_byte_len(&m), 32);
    zg_u256 s = zg_u256_from_u64(0x1234);
    CHECK_EQ_INT(zg_u256_byte_len(&s), 2);
    CHECK_EQ_INT(zg_u256_from_be_bytes(&r, (const uint8_t *)"\x12\x34", 2), ZG_OK);
    CHECK(zg_u256_cmp(&r, &s) == 0);
    CHECK_EQ_INT(zg_u256_from_be_bytes(&r, be, 33), ZG_ERANGE);
    uint64_t v;
    CHECK_EQ_INT(zg_u256_to_u64(&s, &v), ZG_OK);
    CHECK_EQ_U64(v, 0x1234);
    CHECK_EQ_INT(zg_u256_to_u64(&m, &v), ZG_ERANGE);
}

static zg_rng rng;
static uint64_t rnd(void)
{
    return zg_rng_next(&rng);
}

/* A random value with a random number of significant words. */
static zg_u256 rnd_u256(void)
{
    zg_u256 r = {{0, 0, 0, 0}};
    int words = (int)(rnd() % 5);
    for (int i = 0; i < words; i++)
        r.w[i] = rnd();
    return r;
}

/* Algebraic identities on random values: q*b + r == a with r < b;
 * (a + b) - b == a; a*b/b == a when a*b fits; text round trips. */
static void test_random_identities(void)
{
    int bad = 0;
    for (int i = 0; i < 20000; i++) {
        zg_u256 a = rnd_u256(), b = rnd_u256(), q, r, t, back;
        if (!zg_u256_is_zero(&b)) {
            zg_u256_divmod(&q, &r, &a, &b);
            bad += zg_u256_mul(&t, &q, &b) || zg_u256_add(&t, &t, &r) || zg_u256_cmp(&t, &a) ||
                   zg_u256_cmp(&r, &b) >= 0;
        }
        if (zg_u256_add(&t, &a, &b) == ZG_OK)
            bad += zg_u256_sub(&t, &t, &b) || zg_u256_cmp(&t, &a);
        if (!zg_u256_is_zero(&b) && zg_u256_mul(&t, &a, &b) == ZG_OK) {
            zg_u256_divmod(&q, &r, &t, &b);
            bad += zg_u256_cmp(&q, &a) != 0 || !zg_u256_is_zero(&r);
        }
        char d[ZG_U256_DEC_MAX], h[ZG_U256_HEX_MAX];
        zg_u256_to_dec(&a, d);
        bad += zg_u256_from_dec(&back, d, NULL) || zg_u256_cmp(&back, &a);
        zg_u256_to_hex(&a, h);
        bad += zg_u256_from_hex(&back, h, NULL) || zg_u256_cmp(&back, &a);
    }
    CHECK_EQ_INT(bad, 0);
}

int main(void)
{
    zg_rng_seed(&rng, "test_u256");
    ZG_RUN(test_random_identities);
    ZG_RUN(test_parse_print);
    ZG_RUN(test_parse_bad);
    ZG_RUN(test_add_sub);
    ZG_RUN(test_mul_div);
    ZG_RUN(test_bytes);
    ZG_TEST_END();
}
