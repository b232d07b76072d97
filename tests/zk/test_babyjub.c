/*
 * tests/zk/test_babyjub.c - Baby Jubjub against circomlibjs (owner h4):
 * scalar multiplications of Base8 and of the full-group Generator, packed
 * points, unpacking of random encodings, subgroup membership; and internal
 * consistency of the comb, constant-time and vartime multiplications.
 */
#include "zg_test.h"
#include "cjs_run.h"
#include "zk/babyjub.h"

#define N 24

static zg_rng rng;

static void hex_of(char *out, const uint8_t *p, size_t n)
{
    for (size_t i = 0; i < n; i++) sprintf(out + 2 * i, "%02x", p[i]);
}

static void random_scalar(uint64_t k[4], int bits)
{
    for (int i = 0; i < 4; i++) k[i] = zg_rng_next(&rng);
    if (bits < 256) {
        for (int i = 0; i < 4; i++) {
            int lo = 64 * i;
            if (lo >= bits) k[i] = 0;
            else if (bits - lo < 64) k[i] &= (1ULL << (bits - lo)) - 1;
        }
    }
}

static void scalar_dec(char out[80], const uint64_t k[4])
{
    {
        /* decimal of a 256-bit value by repeated division by 10 */
        uint64_t t[4] = {k[0], k[1], k[2], k[3]};
        char buf[80];
        int n = 0;
        do {
            unsigned __int128 rem = 0;
            for (int i = 3; i >= 0; i--) {
                unsigned __int128 cur = (rem << 64) | t[i];
                t[i] = (uint64_t)(cur / 10);
                rem = cur % 10;
            }
            buf[n++] = (char)('0' + (int)rem);
        } while (t[0] | t[1] | t[2] | t[3]);
        for (int i = 0; i < n; i++) out[i] = buf[n - 1 - i];
        out[n] = 0;
    }
}

static void point_line(char *out, const zg_bj_ext *p)
{
    zg_bj_point a;
    uint8_t packed[32];
    char x[80], y[80], h[65];
    zg_bj_to_affine(&a, p);
    zg_fr_to_dec(x, &a.x);
    zg_fr_to_dec(y, &a.y);
    zg_bj_pack(packed, &a);
    hex_of(h, packed, 32);
    sprintf(out, "%s %s %s", x, y, h);
}

static void test_internal_constants(void)
{
    zg_fr a, d, c, k, t, u;
    zg_bj_internal_constants(&a, &d, &c, &k);
    zg_fr_set_u64(&t, 168700);
    CHECK(zg_fr_eq(&t, &a));
    zg_fr_set_u64(&t, 168696);
    CHECK(zg_fr_eq(&t, &d));
    zg_fr_sqr(&t, &c);
    zg_fr_add(&t, &t, &a);
    CHECK(zg_fr_is_zero(&t));          /* c^2 = -a */
    zg_fr_mul(&t, &k, &a);
    zg_fr_double(&u, &d);
    zg_fr_add(&t, &t, &u);
    CHECK(zg_fr_is_zero(&t));          /* k * a = -2d */
}

static void test_internal_consistency(void)
{
    zg_bj_point b8, g;
    zg_bj_ext eb8, eg, r1, r2, r3;
    zg_bj_get_base8(&b8);
    zg_bj_get_generator(&g);
    CHECK(zg_bj_on_curve(&b8));
    CHECK(zg_bj_on_curve(&g));
    CHECK(zg_bj_in_subgroup(&b8));
    CHECK(!zg_bj_in_subgroup(&g));
    zg_bj_from_affine(&eb8, &b8);
    zg_bj_from_affine(&eg, &g);
    uint64_t eight[4] = {8, 0, 0, 0};
    zg_bj_mul_vartime(&r1, &eg, eight);
    CHECK(zg_bj_eq_affine(&r1, &b8));
    zg_bj_mul_vartime(&r1, &eb8, zg_bj_suborder);
    CHECK(zg_bj_is_identity(&r1));
    zg_bj_mul(&r1, &eb8, zg_bj_suborder);
    CHECK(zg_bj_is_identity(&r1));
    static zg_bj_comb c;
    zg_bj_comb_build(&c, &b8);
    CHECK(memcmp(&c, zg_bj_base8_comb(), sizeof c) == 0);
    int bad = 0;
    for (int i = 0; i < 32; i++) {
        uint64_t k[4], k2[4];
        random_scalar(k, i < 16 ? 252 : 256);
        zg_bj_mul(&r1, &eb8, k);
        zg_bj_mul_vartime(&r2, &eb8, k);
        if (!zg_bj_eq(&r1, &r2)) bad++;
        if (i < 16) {
            zg_bj_mul_comb(&r3, zg_bj_base8_comb(), k);
            if (!zg_bj_eq(&r1, &r3)) bad++;
            random_scalar(k2, 252);
            zg_bj_ext a, b;
            zg_bj_double_mul_comb_vartime(&r3, zg_bj_base8_comb(), k, &c, k2);
            zg_bj_mul_vartime(&a, &eb8, k2);
            zg_bj_add(&b, &r1, &a);
            if (!zg_bj_eq(&b, &r3)) bad++;
        }
        /* doubling agrees with adding a point to itself */
        zg_bj_double(&r2, &r1);
        zg_bj_add(&r3, &r1, &r1);
        if (!zg_bj_eq(&r2, &r3)) bad++;
    }
    CHECK_MSG(bad == 0, "%d scalar multiplication mismatches", bad);
}

static void test_against_circomlibjs(void)
{
    zk_text in = {0};
    static char want[4 * N][300];
    static uint8_t enc[N][32];
    static int c_ok[N];
    static zg_bj_point c_pt[N];
    int n = 0;
    zg_bj_point b8, g;
    zg_bj_ext eb8, eg, r;
    zg_bj_get_base8(&b8);
    zg_bj_get_generator(&g);
    zg_bj_from_affine(&eb8, &b8);
    zg_bj_from_affine(&eg, &g);
    char dec[80];
    /* k * Base8 and k * Generator */
    for (int i = 0; i < N; i++, n++) {
        uint64_t k[4];
        random_scalar(k, i % 3 == 0 ? 256 : 252);
        scalar_dec(dec, k);
        int on_g = i % 2;
        zk_text_printf(&in, "%s %s\n", on_g ? "mulg" : "mul", dec);
        zg_bj_mul_vartime(&r, on_g ? &eg : &eb8, k);
        point_line(want[n], &r);
    }
    /* subgroup membership of k * Generator */
    int n_sub = n;
    for (int i = 0; i < N; i++, n++) {
        uint64_t k[4];
        random_scalar(k, 250);
        if (i % 3 == 0) k[0] &= ~7ULL;  /* a multiple of 8: in the subgroup */
        zg_bj_mul_vartime(&r, &eg, k);
        zg_bj_point a;
        zg_bj_to_affine(&a, &r);
        char x[80], y[80];
        zg_fr_to_dec(x, &a.x);
        zg_fr_to_dec(y, &a.y);
        zk_text_printf(&in, "sub %s %s\n", x, y);
        strcpy(want[n], zg_bj_in_subgroup(&a) ? "1" : "0");
    }
    /* unpacking random canonical encodings (y < 2^253 < p) */
    int n_unp = n;
    for (int i = 0; i < N; i++, n++) {
        zg_rng_bytes(&rng, enc[i], 32);
        enc[i][31] &= 0x9f;
        c_ok[i] = zg_bj_unpack(&c_pt[i], enc[i], NULL) == ZG_OK;
        zk_text_printf(&in, "unpack ");
        zk_text_hex(&in, enc[i], 32);
        zk_text_printf(&in, "\n");
        if (!c_ok[i]) strcpy(want[n], "null");
        else {
            char x[80], y[80];
            zg_fr_to_dec(x, &c_pt[i].x);
            zg_fr_to_dec(y, &c_pt[i].y);
            sprintf(want[n], "%s %s", x, y);
        }
    }
    static char *lines[4 * N];
    char *out = zk_node_lines("babyjub.js", &in, lines, 4 * N, n);
    if (!out) return;
    int bad_mul = 0, bad_sub = 0, bad_unp = 0, valid = 0;
    for (int i = 0; i < n; i++) {
        if (strcmp(lines[i], want[i]) == 0) continue;
        fprintf(stderr, "line %d: C  %s\n         js %s\n", i, want[i], lines[i]);
        if (i < n_sub) bad_mul++;
        else if (i < n_unp) bad_sub++;
        else bad_unp++;
    }
    for (int i = 0; i < N; i++) valid += c_ok[i];
    CHECK_MSG(bad_mul == 0, "%d multiplications/packings differ", bad_mul);
    CHECK_MSG(bad_sub == 0, "%d subgroup verdicts differ", bad_sub);
    CHECK_MSG(bad_unp == 0, "%d unpackings differ", bad_unp);
    CHECK_MSG(valid > 0 && valid < N, "random encodings: %d of %d valid", valid, N);
    free(out);
}

static void test_pack_roundtrip_and_edges(void)
{
    zg_bj_point g, a, b;
    zg_bj_ext eg, r;
    zg_bj_get_generator(&g);
    zg_bj_from_affine(&eg, &g);
    int bad = 0, high = 0;
    for (int i = 0; i < 64; i++) {
        uint64_t k[4];
        random_scalar(k, 256);
        zg_bj_mul_vartime(&r, &eg, k);
        zg_bj_to_affine(&a, &r);
        uint8_t p[32];
        zg_bj_pack(p, &a);
        high += p[31] >> 7;
        if (zg_bj_unpack(&b, p, NULL) != ZG_OK || !zg_fr_eq(&a.x, &b.x) || !zg_fr_eq(&a.y, &b.y)) bad++;
    }
    CHECK_EQ_INT(bad, 0);
    CHECK(high > 0 && high < 64);
    /* (0, 1) and (0, -1) have x = 0: circomlibjs cannot unpack them either. */
    uint8_t p[32];
    zg_fr_zero(&a.x);
    zg_fr_one(&a.y);
    zg_bj_pack(p, &a);
    CHECK_EQ_INT(zg_bj_unpack(&b, p, NULL), ZG_EINVAL);
    zg_fr_neg(&a.y, &a.y);
    zg_bj_pack(p, &a);
    CHECK_EQ_INT(zg_bj_unpack(&b, p, NULL), ZG_EINVAL);
    /* y = p (non-canonical) is rejected. */
    static const uint8_t p_le[32] = {
        0x01, 0x00, 0x00, 0xf0, 0x93, 0xf5, 0xe1, 0x43, 0x91, 0x70, 0xb9, 0x79, 0x48, 0xe8, 0x33, 0x28,
        0x5d, 0x58, 0x81, 0x81, 0xb6, 0x45, 0x50, 0xb8, 0x29, 0xa0, 0x31, 0xe1, 0x72, 0x4e, 0x64, 0x30};
    zg_err err;
    CHECK_EQ_INT(zg_bj_unpack(&b, p_le, &err), ZG_EINVAL);
    /* Scalars mod l. */
    uint64_t s[4], one[4] = {1, 0, 0, 0}, zero[4] = {0, 0, 0, 0};
    zg_bj_scalar_muladd(s, zg_bj_suborder, one, one);
    CHECK(s[0] == 1 && s[1] == 0 && s[2] == 0 && s[3] == 0);
    CHECK(!zg_bj_scalar_is_canonical(zg_bj_suborder));
    CHECK(zg_bj_scalar_is_canonical(zero));
    uint8_t wide[64];
    memset(wide, 0, sizeof wide);
    for (int i = 0; i < 32; i++) wide[i] = (uint8_t)(zg_bj_suborder[i / 8] >> (8 * (i % 8)));
    wide[0] += 5; /* l + 5: the low byte of l is 0xf1, so no carry */
    wide[40] = 3; /* + 3 * 2^320 */
    zg_bj_scalar_reduce64(s, wide);
    /* expected (5 + 3 * 2^320) mod l, computed with the scalar helpers */
    uint64_t t[4] = {0, 0, 0, 0}, two64[4] = {0, 1, 0, 0}, three[4] = {3, 0, 0, 0};
    uint64_t five[4] = {5, 0, 0, 0}, two128[4] = {0, 0, 1, 0};
    zg_bj_scalar_muladd(t, three, two64, zero);      /* 3 * 2^64 */
    zg_bj_scalar_muladd(t, t, two128, zero);         /* 3 * 2^192 */
    zg_bj_scalar_muladd(t, t, two128, five);         /* 3 * 2^320 + 5 */
    CHECK(memcmp(s, t, sizeof t) == 0);
}

int main(void)
{
    rng = zk_rng_seeded("test_babyjub");
    ZG_RUN(test_internal_constants);
    ZG_RUN(test_internal_consistency);
    ZG_RUN(test_pack_roundtrip_and_edges);
    ZG_RUN(test_against_circomlibjs);
    ZG_TEST_END();
}
