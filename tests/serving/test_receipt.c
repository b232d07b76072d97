/*
 * tests/serving/test_receipt.c - receipts and signer keys against a
 * JavaScript customer (ethers v6 + circomlibjs), owner h4. Random (seeded)
 * wallets, addresses, nonces, fees and bodies: the derived signer key, the
 * message m, the signer public key and the packed signature are identical;
 * tampered receipts are rejected.
 */
#include "zg_test.h"
#include "../zk/cjs_run.h"
#include "serving/receipt.h"

#define N 12

static zg_rng rng;

static void hex_of(char *out, const uint8_t *p, size_t n)
{
    for (size_t i = 0; i < n; i++) sprintf(out + 2 * i, "%02x", p[i]);
}

typedef struct rcase {
    uint8_t secret[32];
    zg_receipt r;
    uint8_t body[200];
    size_t body_len;
} rcase;

static void random_case(rcase *c, int i)
{
    do zg_rng_bytes(&rng, c->secret, 32); while (c->secret[0] == 0 || c->secret[0] == 0xff);
    zg_rng_bytes(&rng, c->r.user, 20);
    zg_rng_bytes(&rng, c->r.provider, 20);
    c->r.nonce = i == 0 ? 1 : i == 1 ? UINT64_MAX : zg_rng_next(&rng);
    c->r.fee = zg_u256_from_u64(0);
    c->r.fee.w[0] = zg_rng_next(&rng);
    c->r.fee.w[1] = i == 1 ? UINT64_MAX : i == 0 ? 0 : zg_rng_next(&rng) >> (i % 64);
    if (i == 1) c->r.fee.w[0] = UINT64_MAX; /* 2^128 - 1 */
    c->body_len = i == 0 ? 0 : (size_t)(zg_rng_next(&rng) % sizeof c->body);
    zg_rng_bytes(&rng, c->body, c->body_len);
    zg_receipt_request_hash(c->body, c->body_len, c->r.request_hash);
}

static void test_against_js(void)
{
    static rcase c[N];
    zk_text in = {0};
    for (int i = 0; i < N; i++) {
        random_case(&c[i], i);
        char fee[ZG_U256_DEC_MAX];
        zg_u256_to_dec(&c[i].r.fee, fee);
        zk_text_hex(&in, c[i].secret, 32);
        zk_text_printf(&in, " ");
        zk_text_hex(&in, c[i].r.user, 20);
        zk_text_printf(&in, " ");
        zk_text_hex(&in, c[i].r.provider, 20);
        zk_text_printf(&in, " %llu %s ", (unsigned long long)c[i].r.nonce, fee);
        if (c[i].body_len) zk_text_hex(&in, c[i].body, c[i].body_len);
        else zk_text_printf(&in, "-");
        zk_text_printf(&in, "\n");
    }
    char *lines[N + 1];
    char *out = zk_node_lines("../../serving/js/receipt.js", &in, lines, N + 1, N);
    if (!out) return;
    zg_eddsa_pubkey *pk = malloc(sizeof *pk);
    CHECK(pk != NULL);
    for (size_t i = 0; pk && i < N; i++) {
        zg_err err;
        zg_eth_key w;
        uint8_t prv[32], packed[32], sig[64];
        char jprv[80], jm[100], jpub[80], jsig[200], hx[200], dec[80];
        CHECK(sscanf(lines[i], "%79s %99s %79s %199s", jprv, jm, jpub, jsig) == 4);
        CHECK_OK(zg_eth_key_from_secret(&w, c[i].secret, &err));
        CHECK_OK(zg_signer_key_derive(prv, &w, c[i].r.provider, &err));
        zg_eth_key_wipe(&w);
        hex_of(hx, prv, 32);
        CHECK_EQ_STR(hx, jprv);
        zg_fr m;
        CHECK_OK(zg_receipt_message(&m, &c[i].r, &err));
        zg_fr_to_dec(dec, &m);
        CHECK_EQ_STR(dec, jm);
        zg_signer_public(prv, NULL, packed);
        hex_of(hx, packed, 32);
        CHECK_EQ_STR(hx, jpub);
        CHECK_OK(zg_receipt_sign(sig, &c[i].r, prv, &err));
        hex_of(hx, sig, 64);
        CHECK_EQ_STR(hx, jsig);
        CHECK_OK(zg_eddsa_pubkey_prepare_packed(pk, packed, &err));
        CHECK_OK(zg_receipt_verify(pk, &c[i].r, sig, &err));
        /* Tampering with any field breaks the signature. */
        zg_receipt t = c[i].r;
        t.nonce++;
        CHECK_EQ_INT(zg_receipt_verify(pk, &t, sig, &err), ZG_ECRYPTO);
        t = c[i].r;
        t.fee.w[0] ^= 1;
        CHECK_EQ_INT(zg_receipt_verify(pk, &t, sig, &err), ZG_ECRYPTO);
        t = c[i].r;
        t.request_hash[30] ^= 0x80;
        CHECK_EQ_INT(zg_receipt_verify(pk, &t, sig, &err), ZG_ECRYPTO);
        t = c[i].r;
        t.user[0] ^= 1;
        CHECK_EQ_INT(zg_receipt_verify(pk, &t, sig, &err), ZG_ECRYPTO);
        t = c[i].r;
        t.provider[19] ^= 1;
        CHECK_EQ_INT(zg_receipt_verify(pk, &t, sig, &err), ZG_ECRYPTO);
        t = c[i].r;
        t.fee.w[2] = 1; /* 2^128 + ...: out of range */
        CHECK_EQ_INT(zg_receipt_verify(pk, &t, sig, &err), ZG_ERANGE);
        memset(prv, 0, sizeof prv);
    }
    free(pk);
    free(out);
}

static void test_request_hash(void)
{
    /* SHA-256("abc") = ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad */
    uint8_t h[31];
    char hx[63];
    zg_receipt_request_hash("abc", 3, h);
    hex_of(hx, h, 31);
    CHECK_EQ_STR(hx, "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015");
}

static void test_signer_key_per_provider(void)
{
    zg_err err;
    zg_eth_key w;
    uint8_t secret[32], p1[20], p2[20], k1[32], k2[32], k1b[32];
    memset(secret, 0x11, sizeof secret);
    memset(p1, 0xaa, sizeof p1);
    memset(p2, 0xbb, sizeof p2);
    CHECK_OK(zg_eth_key_from_secret(&w, secret, &err));
    CHECK_OK(zg_signer_key_derive(k1, &w, p1, &err));
    CHECK_OK(zg_signer_key_derive(k1b, &w, p1, &err));
    CHECK_OK(zg_signer_key_derive(k2, &w, p2, &err));
    CHECK(memcmp(k1, k1b, 32) == 0); /* deterministic */
    /* Known answer, computed with ethers v6 + circomlibjs (see receipt.h):
     * wallet secret 0x11..11 (address 0x19E7E376E7C213B7E7e7e46cc70A5dD086DAff2A),
     * provider 0xaa..aa. */
    char hx[65];
    hex_of(hx, k1, 32);
    CHECK_EQ_STR(hx, "01325f0e02d715d68f1de508054adac120d4712a00ea66bc6f9549e17ee8af2d");
    uint8_t packed[32];
    zg_signer_public(k1, NULL, packed);
    hex_of(hx, packed, 32);
    CHECK_EQ_STR(hx, "87136959c380d0ca90548e4d8ab868e6902e87571cf2bb4af49ab32308e2508b");
    CHECK(memcmp(k1, k2, 32) != 0);  /* one key per provider */
    zg_eth_key_wipe(&w);
}

static void test_receipt_known_answer(void)
{
    /* Computed with tests/serving/js/receipt.js (ethers v6 + circomlibjs):
     * wallet 0x11..11, user 0x22..22, provider 0xaa..aa, nonce 1, fee 1000,
     * body "{}" (the closing request's body). */
    zg_err err;
    zg_eth_key w;
    zg_receipt r;
    uint8_t secret[32], prv[32], sig[64];
    char dec[80], hx[129];
    memset(secret, 0x11, sizeof secret);
    memset(r.user, 0x22, sizeof r.user);
    memset(r.provider, 0xaa, sizeof r.provider);
    r.nonce = 1;
    r.fee = zg_u256_from_u64(1000);
    zg_receipt_request_hash("{}", 2, r.request_hash);
    CHECK_OK(zg_eth_key_from_secret(&w, secret, &err));
    CHECK_OK(zg_signer_key_derive(prv, &w, r.provider, &err));
    zg_eth_key_wipe(&w);
    zg_fr m;
    CHECK_OK(zg_receipt_message(&m, &r, &err));
    zg_fr_to_dec(dec, &m);
    CHECK_EQ_STR(dec, "19044758888831868431580813119084904048916929618623120071620041795118926791523");
    CHECK_OK(zg_receipt_sign(sig, &r, prv, &err));
    hex_of(hx, sig, 64);
    CHECK_EQ_STR(hx, "e930449981df2d0b8596eb6d5171131fbb9ceb3336f61cf198bb1d2e634de009"
                     "af095ec4604d58a060a58c9aeaafa55a6d45437f9a815ef6a59f23ef40325c02");
}

int main(void)
{
    rng = zk_rng_seeded("test_receipt");
    ZG_RUN(test_request_hash);
    ZG_RUN(test_signer_key_per_provider);
    ZG_RUN(test_receipt_known_answer);
    ZG_RUN(test_against_js);
    ZG_TEST_END();
}
