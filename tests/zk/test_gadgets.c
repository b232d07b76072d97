/* test_gadgets.c - R1CS gadgets against native code: Poseidon (every width),
 * Baby Jubjub add/double/scalar multiplications, EdDSA-Poseidon verification
 * of circomlibjs signatures (valid, tampered, disabled). */
#include "zg_test.h"
#include "zg_rng.h"
#include "zk/gadgets.h"
#include "zk/poseidon.h"
#include "zk_node.h"

static zg_rng rng = {0x243f6a8885a308d3ULL};
static uint64_t rnd(void)
{
    return zg_rng_next(&rng);
}

static zg_fr rnd_fr(void)
{
    uint8_t b[32];
    for (int i = 0; i < 32; i++)
        b[i] = (uint8_t)rnd();
    zg_fr r;
    zg_fr_from_bytes_reduce(&r, b, 32);
    return r;
}

/* Finalizes, checks the honest witness, and frees; returns 1 when satisfied. */
static int satisfied(zg_cs *cs)
{
    zg_r1cs r;
    zg_err err;
    int ok = zg_cs_finalize(cs, &r, &err) == ZG_OK && zg_r1cs_check(&r, r.witness, NULL, &err) == ZG_OK;
    if (!ok)
        fprintf(stderr, "  (%s)\n", err.msg);
    zg_r1cs_free(&r);
    zg_cs_free(cs);
    return ok;
}

static void test_poseidon(void)
{
    for (unsigned n = 1; n <= 16; n++) {
        zg_fr in[16], want, got;
        zg_lc lin[16];
        zg_cs cs;
        zg_cs_init(&cs);
        for (unsigned i = 0; i < n; i++) {
            in[i] = rnd_fr();
            lin[i] = zg_cs_private(&cs, &in[i]);
        }
        zg_lc h = zg_cs_poseidon(&cs, lin, n);
        zg_cs_value(&cs, h, &got);
        CHECK(zg_poseidon(&want, in, n, NULL) == ZG_OK);
        CHECK_MSG(zg_fr_eq(&got, &want), "poseidon gadget width %u differs from native", n + 1);
        if (n == 2 || n == 5)
            printf("poseidon(%u inputs): %u constraints\n", n, zg_cs_n_constraints(&cs));
        if (n == 5)
            CHECK_EQ_INT(zg_cs_n_constraints(&cs), 321);
        CHECK(satisfied(&cs));
    }
}

static void test_poseidon_constants(void)
{
    /* constant and mixed inputs fold the S-boxes they can */
    zg_fr in[3] = {rnd_fr(), rnd_fr(), rnd_fr()}, want, got;
    zg_cs cs;
    zg_cs_init(&cs);
    zg_lc lin[3] = {zg_lc_const(&cs, &in[0]), zg_lc_const(&cs, &in[1]), zg_lc_const(&cs, &in[2])};
    zg_lc h = zg_cs_poseidon(&cs, lin, 3);
    zg_poseidon(&want, in, 3, NULL);
    zg_cs_value(&cs, h, &got);
    CHECK(zg_fr_eq(&got, &want));
    CHECK_EQ_INT(zg_cs_n_constraints(&cs), 0);
    lin[1] = zg_cs_private(&cs, &in[1]);
    h = zg_cs_poseidon(&cs, lin, 3);
    zg_cs_value(&cs, h, &got);
    CHECK(zg_fr_eq(&got, &want));
    CHECK(satisfied(&cs));
}

static zg_bj_affine rnd_point(void)
{
    zg_bj_affine b8, p;
    uint64_t k[4] = {rnd(), rnd(), rnd(), rnd() >> 8};
    zg_bj_base8(&b8);
    zg_bj_affine_mul(&p, &b8, k);
    return p;
}

static int point_eq(zg_cs *cs, zg_cs_point p, const zg_bj_affine *q)
{
    zg_fr x, y;
    zg_cs_value(cs, p.x, &x);
    zg_cs_value(cs, p.y, &y);
    return zg_fr_eq(&x, &q->x) && zg_fr_eq(&y, &q->y);
}

static void test_point_ops(void)
{
    zg_bj_affine p = rnd_point(), q = rnd_point(), sum, dbl;
    zg_bj_affine_add(&sum, &p, &q);
    zg_bj_affine_add(&dbl, &p, &p);
    zg_cs cs;
    zg_cs_init(&cs);
    zg_cs_point cp = zg_cs_point_private(&cs, &p), cq = zg_cs_point_private(&cs, &q);
    uint32_t before = zg_cs_n_constraints(&cs);
    zg_cs_point cs_sum = zg_cs_bj_add(&cs, cp, cq);
    CHECK_EQ_INT(zg_cs_n_constraints(&cs) - before, 6);
    CHECK(point_eq(&cs, cs_sum, &sum));
    CHECK(point_eq(&cs, zg_cs_bj_double(&cs, cp), &dbl));
    CHECK(point_eq(&cs, zg_cs_bj_add(&cs, cp, cp), &dbl));
    zg_cs_bj_assert_on_curve(&cs, cs_sum);
    CHECK(satisfied(&cs));

    /* an off-curve point fails the on-curve check */
    zg_cs_init(&cs);
    zg_bj_affine off = p;
    zg_fr one;
    zg_fr_one(&one);
    zg_fr_add(&off.y, &off.y, &one);
    zg_cs_bj_assert_on_curve(&cs, zg_cs_point_private(&cs, &off));
    CHECK(!satisfied(&cs));
}

static void test_scalar_mul(void)
{
    zg_bj_affine b8, want_fix, want_any, p = rnd_point();
    zg_bj_base8(&b8);
    zg_bj_fixed_table *tab = malloc(sizeof *tab);
    zg_bj_fixed_table_init(tab, &b8);
    uint64_t k[4] = {rnd(), rnd(), rnd(), rnd() >> 3};   /* 253 bits */
    uint64_t h[4] = {rnd(), rnd(), rnd(), rnd() >> 2};   /* 254 bits */
    zg_bj_affine_mul(&want_fix, &b8, k);
    zg_bj_affine_mul(&want_any, &p, h);
    zg_cs cs;
    zg_cs_init(&cs);
    zg_fr kf, hf;
    zg_fr_from_canonical(&kf, k, NULL);
    /* h may exceed r: reduce it like the circuit would not, so feed bits directly */
    zg_lc kbits[253], hbits[254];
    zg_cs_to_bits(&cs, zg_cs_private(&cs, &kf), 253, kbits);
    for (int i = 0; i < 254; i++)
        hbits[i] = zg_cs_bool_private(&cs, (int)((h[i / 64] >> (i % 64)) & 1));
    (void)hf;
    uint32_t c0 = zg_cs_n_constraints(&cs);
    zg_cs_point fix = zg_cs_bj_mul_fixed(&cs, tab, kbits, 253);
    uint32_t c1 = zg_cs_n_constraints(&cs);
    zg_cs_point any = zg_cs_bj_mul_any(&cs, zg_cs_point_private(&cs, &p), hbits, 254);
    uint32_t c2 = zg_cs_n_constraints(&cs);
    printf("mul_fixed(253 bits): %u constraints; mul_any(254 bits): %u (table included)\n", c1 - c0, c2 - c1);
    CHECK(point_eq(&cs, fix, &want_fix));
    CHECK(point_eq(&cs, any, &want_any));
    /* small scalars, including 0 and a 1-bit tail window */
    uint64_t three[4] = {3, 0, 0, 0};
    zg_bj_affine want3;
    zg_bj_affine_mul(&want3, &b8, three);
    zg_lc b3[4] = {zg_lc_u64(&cs, 1), zg_lc_u64(&cs, 1), zg_lc_zero(), zg_lc_zero()};
    CHECK(point_eq(&cs, zg_cs_bj_mul_fixed(&cs, tab, b3, 4), &want3));
    CHECK(point_eq(&cs, zg_cs_bj_mul_any(&cs, zg_cs_point_const(&cs, &b8), b3, 3), &want3));
    CHECK(satisfied(&cs));
    free(tab);
}

/* Signed odd-digit multiplication (the EdDSA path) against native, over a
 * subgroup base, for edge and random scalars. */
static void test_mul_otable(void)
{
    zg_bj_affine p = rnd_point(), base, want;
    uint64_t eight[4] = {8, 0, 0, 0};
    zg_bj_affine_mul(&base, &p, eight);
    uint64_t ks[6][4] = {{0, 0, 0, 0}, {1, 0, 0, 0}, {7, 0, 0, 0},
                         {~0ULL, ~0ULL, ~0ULL, ~0ULL >> 2},   /* 2^254 - 1 */
                         {rnd(), rnd(), rnd(), rnd() >> 2}, {rnd(), rnd(), rnd(), rnd() >> 2}};
    zg_cs cs;
    zg_cs_init(&cs);
    zg_cs_bj_otable *t = malloc(sizeof *t);
    uint32_t c0 = zg_cs_n_constraints(&cs);
    zg_cs_bj_otable_build(&cs, zg_cs_point_private(&cs, &base), t);
    uint32_t c1 = zg_cs_n_constraints(&cs);
    for (int k = 0; k < 6; k++) {
        zg_lc bits[254];
        for (int i = 0; i < 254; i++)
            bits[i] = zg_cs_bool_private(&cs, (int)((ks[k][i / 64] >> (i % 64)) & 1));
        uint32_t c2 = zg_cs_n_constraints(&cs);
        zg_cs_point r = zg_cs_bj_mul_otable(&cs, t, bits, 254);
        if (k == 0)
            printf("mul_otable(254 bits): %u constraints, table %u once\n", zg_cs_n_constraints(&cs) - c2, c1 - c0);
        zg_bj_affine_mul(&want, &base, ks[k]);
        CHECK_MSG(point_eq(&cs, r, &want), "signed-digit multiplication, scalar %d", k);
    }
    CHECK(satisfied(&cs));
    free(t);
}

static const char *PRV = "0001020304050607080900010203040506070809000102030405060708090001";

/* Builds a verifier of sig over m; returns 1 when the witness satisfies it. */
static int verify_in_circuit(const zg_fr *ax, const zg_fr *ay, const zg_fr *m, const zk_node_sig *sig,
                             int enabled, const zg_bj_fixed_table *tab, uint32_t *cost)
{
    zg_cs cs;
    zg_cs_init(&cs);
    zg_bj_affine a = {*ax, *ay}, r8 = {sig->r8x, sig->r8y};
    zg_cs_eddsa_key *key = malloc(sizeof *key);
    uint32_t c0 = zg_cs_n_constraints(&cs);
    zg_cs_eddsa_key_prepare(&cs, zg_cs_point_private(&cs, &a), tab, key);
    uint32_t c1 = zg_cs_n_constraints(&cs);
    zg_cs_eddsa_verify(&cs, zg_cs_bool_private(&cs, enabled), key, zg_cs_private(&cs, m),
                       zg_cs_point_private(&cs, &r8), zg_cs_private(&cs, &sig->s));
    if (cost) {
        cost[0] = c1 - c0;
        cost[1] = zg_cs_n_constraints(&cs) - c1;
    }
    free(key);
    return satisfied(&cs);
}

static void test_eddsa(void)
{
    zg_fr msgs[2] = {rnd_fr(), rnd_fr()}, ax, ay;
    zk_node_sig sigs[2];
    if (zk_node_sign(PRV, msgs, 2, &ax, &ay, sigs) != 0) {
        CHECK_MSG(0, "node tests/zk/eddsa_sign.js failed (circomlibjs on NODE_PATH?)");
        return;
    }
    zg_bj_affine b8;
    zg_bj_base8(&b8);
    zg_bj_fixed_table *tab = malloc(sizeof *tab);
    zg_bj_fixed_table_init(tab, &b8);
    uint32_t cost[2];
    CHECK(verify_in_circuit(&ax, &ay, &msgs[0], &sigs[0], 1, tab, cost));
    printf("eddsa: key preparation %u constraints (once per signer), verification %u\n", cost[0], cost[1]);
    CHECK(verify_in_circuit(&ax, &ay, &msgs[1], &sigs[1], 1, tab, NULL));
    /* wrong message, swapped signatures, tampered S: rejected when enabled */
    CHECK(!verify_in_circuit(&ax, &ay, &msgs[1], &sigs[0], 1, tab, NULL));
    zk_node_sig bad = sigs[0];
    zg_fr one;
    zg_fr_one(&one);
    zg_fr_add(&bad.s, &bad.s, &one);
    CHECK(!verify_in_circuit(&ax, &ay, &msgs[0], &bad, 1, tab, NULL));
    /* S + l: the same point, but S >= l is refused */
    zg_fr l;
    zg_fr_from_canonical(&l, zg_bj_subgroup_order, NULL);
    bad = sigs[0];
    zg_fr_add(&bad.s, &bad.s, &l);
    CHECK(!verify_in_circuit(&ax, &ay, &msgs[0], &bad, 1, tab, NULL));
    /* another key */
    zg_fr_add(&ay, &ay, &one);
    CHECK(!verify_in_circuit(&ax, &ay, &msgs[0], &sigs[0], 1, tab, NULL));
    zg_fr_sub(&ay, &ay, &one);
    /* disabled: any signature (on-curve R8, S < l) passes */
    CHECK(verify_in_circuit(&ax, &ay, &msgs[1], &sigs[0], 0, tab, NULL));
    free(tab);
}

int main(void)
{
    ZG_RUN(test_poseidon);
    ZG_RUN(test_poseidon_constants);
    ZG_RUN(test_point_ops);
    ZG_RUN(test_scalar_mul);
    ZG_RUN(test_mul_otable);
    ZG_RUN(test_eddsa);
    ZG_TEST_END();
}
