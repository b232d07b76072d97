/*
 * tests/zk/test_eddsa.c - EdDSA-Poseidon against circomlibjs (h4).
 * Random (seeded) keys and messages: public keys, packed keys and packed
 * signatures byte-identical; each side verifies the other's signatures;
 * tampered messages, keys and signatures are rejected (S >= l, R8 off the
 * curve, a key outside the subgroup).
 */
#include "zg_test.h"
#include "cjs_run.h"
#include "zk/eddsa.h"

#define N 16      /* signing cases */
#define NV 10     /* verification cases (x9 variants) */

static zg_rng rng;

static void hex_of(char *out, const uint8_t *p, size_t n)
{
    for (size_t i = 0; i < n; i++) sprintf(out + 2 * i, "%02x", p[i]);
}

static void random_msg(zg_fr *m, int i)
{
    uint8_t b[32];
    zg_rng_bytes(&rng, b, sizeof b);
    if (i == 0) zg_fr_zero(m);
    else if (i == 1) { zg_fr_one(m); zg_fr_neg(m, m); }
    else zg_fr_from_bytes_reduce(m, b, sizeof b);
}

typedef struct vcase { uint8_t a[32]; zg_fr msg; uint8_t sig[64]; int want_c, want_js; } vcase;

static void test_sign_matches_circomlibjs(void)
{
    static uint8_t prv[N][32], packed_a[N][32], sig[N][64];
    static zg_bj_point pub[N];
    static zg_fr msg[N];
    zk_text in = {0};
    for (int i = 0; i < N; i++) {
        zg_rng_bytes(&rng, prv[i], 32);
        random_msg(&msg[i], i);
        zg_eddsa_public_key(&pub[i], prv[i]);
        zg_bj_pack(packed_a[i], &pub[i]);
        zg_eddsa_sig s;
        zg_eddsa_sign(&s, prv[i], &msg[i]);
        zg_eddsa_sig_pack(sig[i], &s);
        char dec[80];
        zg_fr_to_dec(dec, &msg[i]);
        zk_text_hex(&in, prv[i], 32);
        zk_text_printf(&in, " %s\n", dec);
    }
    char *lines[N + 1];
    char *out = zk_node_lines("eddsa_sign.js", &in, lines, N + 1, N);
    if (!out) return;
    int bad_pub = 0, bad_pack = 0, bad_sig = 0, bad_cverify = 0;
    for (size_t i = 0; i < N; i++) {
        char ax[80], ay[80], hx[129], jx[80], jy[80], jpack[100], jsig[200];
        if (sscanf(lines[i], "%79s %79s %99s %199s", jx, jy, jpack, jsig) != 4) { bad_pub++; continue; }
        zg_fr_to_dec(ax, &pub[i].x);
        zg_fr_to_dec(ay, &pub[i].y);
        if (strcmp(ax, jx) || strcmp(ay, jy)) bad_pub++;
        hex_of(hx, packed_a[i], 32);
        if (strcmp(hx, jpack)) bad_pack++;
        hex_of(hx, sig[i], 64);
        if (strcmp(hx, jsig)) {
            if (bad_sig++ < 3) fprintf(stderr, "sig %zu: C %s\n        js %s\n", i, hx, jsig);
        }
        /* C verifies the circomlibjs signature bytes. */
        uint8_t js_sig[64];
        for (int k = 0; k < 64; k++) {
            unsigned v;
            sscanf(jsig + 2 * k, "%2x", &v);
            js_sig[k] = (uint8_t)v;
        }
        zg_eddsa_pubkey *pk = malloc(sizeof *pk);
        zg_eddsa_sig s;
        if (!pk || zg_eddsa_pubkey_prepare(pk, &pub[i], NULL) != ZG_OK ||
            zg_eddsa_verify_packed(pk, &msg[i], js_sig, NULL) != ZG_OK ||
            zg_eddsa_sig_unpack(&s, js_sig, NULL) != ZG_OK ||
            zg_eddsa_verify(&pub[i], &msg[i], &s, NULL) != ZG_OK)
            bad_cverify++;
        free(pk);
    }
    CHECK_MSG(bad_pub == 0, "%d public keys differ", bad_pub);
    CHECK_MSG(bad_pack == 0, "%d packed public keys differ", bad_pack);
    CHECK_MSG(bad_sig == 0, "%d signatures differ", bad_sig);
    CHECK_MSG(bad_cverify == 0, "C rejected %d circomlibjs signatures", bad_cverify);
    free(out);
}

/* Adds (0, -1), the point of order 2, to p: (x, y) -> (-x, -y). */
static void add_order2(zg_bj_point *p)
{
    zg_fr_neg(&p->x, &p->x);
    zg_fr_neg(&p->y, &p->y);
}

static int c_verify(const uint8_t a[32], const zg_fr *msg, const uint8_t sig[64])
{
    zg_eddsa_pubkey *pk = malloc(sizeof *pk);
    int ok = pk && zg_eddsa_pubkey_prepare_packed(pk, a, NULL) == ZG_OK &&
             zg_eddsa_verify_packed(pk, msg, sig, NULL) == ZG_OK;
    /* The unprepared path must agree. */
    zg_bj_point ap;
    zg_eddsa_sig s;
    int ok2 = zg_bj_unpack(&ap, a, NULL) == ZG_OK && zg_eddsa_sig_unpack(&s, sig, NULL) == ZG_OK &&
              zg_eddsa_verify(&ap, msg, &s, NULL) == ZG_OK;
    free(pk);
    CHECK_EQ_INT(ok, ok2);
    return ok;
}

/* Adds l to the little-endian S in sig[32..64) (S + l < 2^256 always). */
static void add_l_to_s(uint8_t sig[64])
{
    unsigned carry = 0;
    for (int i = 0; i < 32; i++) {
        unsigned v = sig[32 + i] + (unsigned)((zg_bj_suborder[i / 8] >> (8 * (i % 8))) & 0xff) + carry;
        sig[32 + i] = (uint8_t)v;
        carry = v >> 8;
    }
}

static void test_cross_verify_and_tamper(void)
{
    static vcase c[9 * NV];
    int n = 0;
    for (int i = 0; i < NV; i++) {
        uint8_t prv[32], prv2[32];
        zg_bj_point a, a2;
        zg_eddsa_sig s;
        zg_fr msg;
        zg_rng_bytes(&rng, prv, 32);
        zg_rng_bytes(&rng, prv2, 32);
        random_msg(&msg, i + 2);
        zg_eddsa_public_key(&a, prv);
        zg_eddsa_public_key(&a2, prv2);
        zg_eddsa_sign(&s, prv, &msg);
        vcase base;
        zg_bj_pack(base.a, &a);
        base.msg = msg;
        zg_eddsa_sig_pack(base.sig, &s);
        /* 0: genuine */
        c[n] = base; c[n].want_c = 1; c[n].want_js = 1; n++;
        /* 1: message + 1 */
        c[n] = base; zg_fr one; zg_fr_one(&one); zg_fr_add(&c[n].msg, &c[n].msg, &one);
        c[n].want_c = 0; c[n].want_js = 0; n++;
        /* 2: another key */
        c[n] = base; zg_bj_pack(c[n].a, &a2); c[n].want_c = 0; c[n].want_js = 0; n++;
        /* 3: S + l (same S mod l, but S >= order) */
        c[n] = base; add_l_to_s(c[n].sig); c[n].want_c = 0; c[n].want_js = 0; n++;
        /* 4: a flipped bit in S */
        c[n] = base; c[n].sig[32 + (i % 31)] ^= 0x01; c[n].want_c = 0; c[n].want_js = 0; n++;
        /* 5: a flipped bit in R8 (another point, or none) */
        c[n] = base; c[n].sig[i % 31] ^= 0x04; c[n].want_c = 0; c[n].want_js = 0; n++;
        /* 6: R8 plus the order-2 point: same hash inputs fail the equation */
        c[n] = base;
        {
            zg_bj_point r8 = s.r8;
            add_order2(&r8);
            zg_bj_pack(c[n].sig, &r8);
        }
        c[n].want_c = 0; c[n].want_js = 0; n++;
        /* 7: key plus the order-2 point, signature genuine. We reject keys
         * outside the subgroup; circomlibjs only checks inCurve and cancels
         * the low-order part with its factor 8, so it may accept (-1 = don't care). */
        c[n] = base;
        {
            zg_bj_point ak = a;
            add_order2(&ak);
            zg_bj_pack(c[n].a, &ak);
        }
        c[n].want_c = 0; c[n].want_js = -1; n++;
        /* 8: R8 encoded with y + p instead of y (non-canonical). circomlibjs
         * reduces y and accepts this second encoding of the same signature
         * (malleable); we accept canonical encodings only. When y + p does
         * not fit in 255 bits, a plain copy stands in (genuine). */
        c[n] = base;
        c[n].want_c = c[n].want_js = 1;
        {
            uint8_t y[32];
            memcpy(y, base.sig, 32);
            y[31] &= 0x7f;
            unsigned carry = 0;
            static const uint64_t pm[4] = {0x43e1f593f0000001ULL, 0x2833e84879b97091ULL,
                                           0xb85045b68181585dULL, 0x30644e72e131a029ULL};
            for (int k = 0; k < 32; k++) {
                unsigned v = y[k] + (unsigned)((pm[k / 8] >> (8 * (k % 8))) & 0xff) + carry;
                y[k] = (uint8_t)v;
                carry = v >> 8;
            }
            if (!(y[31] & 0x80)) {
                y[31] |= base.sig[31] & 0x80;
                memcpy(c[n].sig, y, 32);
                c[n].want_c = 0;
                c[n].want_js = -1;
            }
        }
        n++;
    }
    zk_text in = {0};
    for (int i = 0; i < n; i++) {
        char dec[80];
        zg_fr_to_dec(dec, &c[i].msg);
        zk_text_hex(&in, c[i].a, 32);
        zk_text_printf(&in, " %s ", dec);
        zk_text_hex(&in, c[i].sig, 64);
        zk_text_printf(&in, "\n");
    }
    static char *lines[9 * NV + 1];
    char *out = zk_node_lines("eddsa_verify.js", &in, lines, 9 * NV + 1, n);
    if (!out) return;
    int bad_js = 0, bad_c = 0;
    for (int i = 0; i < n; i++) {
        int js = atoi(lines[i]);
        if (c[i].want_js >= 0 && js != c[i].want_js) {
            if (bad_js++ < 5) fprintf(stderr, "case %d (kind %d): circomlibjs says %d\n", i, i % 9, js);
        }
        int cv = c_verify(c[i].a, &c[i].msg, c[i].sig);
        if (cv != c[i].want_c) {
            if (bad_c++ < 5) fprintf(stderr, "case %d (kind %d): C says %d\n", i, i % 9, cv);
        }
    }
    CHECK_MSG(bad_js == 0, "%d circomlibjs verdicts unexpected", bad_js);
    CHECK_MSG(bad_c == 0, "%d C verdicts unexpected", bad_c);
    free(out);
}

static void test_off_curve(void)
{
    uint8_t prv[32];
    zg_bj_point a;
    zg_eddsa_sig s;
    zg_fr msg, one;
    zg_err err;
    zg_rng_bytes(&rng, prv, 32);
    zg_fr_set_u64(&msg, 42);
    zg_eddsa_public_key(&a, prv);
    zg_eddsa_sign(&s, prv, &msg);
    CHECK_OK(zg_eddsa_verify(&a, &msg, &s, &err));
    zg_fr_one(&one);
    zg_eddsa_sig bad = s;
    zg_fr_add(&bad.r8.y, &bad.r8.y, &one);
    CHECK_EQ_INT(zg_eddsa_verify(&a, &msg, &bad, &err), ZG_ECRYPTO);
    zg_bj_point ab = a;
    zg_fr_add(&ab.y, &ab.y, &one);
    CHECK_EQ_INT(zg_eddsa_verify(&ab, &msg, &s, &err), ZG_ECRYPTO);
    zg_eddsa_pubkey *pk = malloc(sizeof *pk);
    CHECK(pk != NULL);
    if (!pk) return;
    CHECK_EQ_INT(zg_eddsa_pubkey_prepare(pk, &ab, &err), ZG_ECRYPTO);
    zg_bj_point id;
    zg_fr_zero(&id.x);
    zg_fr_one(&id.y);
    CHECK_EQ_INT(zg_eddsa_pubkey_prepare(pk, &id, &err), ZG_ECRYPTO);
    CHECK_OK(zg_eddsa_pubkey_prepare(pk, &a, &err));
    CHECK_OK(zg_eddsa_verify_prepared(pk, &msg, &s, &err));
    CHECK_EQ_INT(zg_eddsa_verify_prepared(pk, &msg, &bad, &err), ZG_ECRYPTO);
    free(pk);
}

int main(void)
{
    rng = zk_rng_seeded("test_eddsa");
    ZG_RUN(test_off_curve);
    ZG_RUN(test_sign_matches_circomlibjs);
    ZG_RUN(test_cross_verify_and_tamper);
    ZG_TEST_END();
}
