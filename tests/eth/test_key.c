/* test_key.c - secp256k1 keys: known addresses, EIP-55, sign/recover, bad input. */
#include "zg_test.h"

#include "base/hex.h"
#include "eth/keccak.h"
#include "eth/key.h"

/* EIP-55 examples, copied from the EIP text (eips.ethereum.org/EIPS/eip-55). */
static const char *const eip55[] = {
    "0x52908400098527886E0F7030069857D2E4169EE7",
    "0x8617E340B3D01FA5F11F306F4090FD50E238070D",
    "0xde709f2102306220921060314715629080e2fb77",
    "0x27b1fdb04752bbc536007a920d24acb045561c26",
    "0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed",
    "0xfB6916095ca1df60bB79Ce92cE3Ea74c37c5d359",
    "0xdbF03B407c01E7cD3CBea99509d93f8DDDC8C6FB",
    "0xD1220A0cf47c7B9Be7A2E6BA89F429762e7b9aDb",
};

static void test_eip55(void)
{
    zg_err err;
    for (size_t i = 0; i < sizeof eip55 / sizeof eip55[0]; i++) {
        zg_address a;
        char out[ZG_ADDRESS_STR_MAX];
        CHECK_OK(zg_address_parse(eip55[i], &a, &err));
        zg_address_to_checksum(&a, out);
        CHECK_EQ_STR(out, eip55[i]);
    }
}

static void test_address_bad(void)
{
    zg_address a;
    zg_err err;
    /* One letter's case flipped breaks the checksum. */
    CHECK_EQ_INT(zg_address_parse("0x5aaeb6053F3E94C9b9A09f33669435E7Ef1BeAed", &a, &err),
                 ZG_EINVAL);
    CHECK_EQ_INT(zg_address_parse("0x5aaeb6053f3e94c9b9a09f33669435e7ef1beae", &a, &err),
                 ZG_EINVAL);
    CHECK_EQ_INT(zg_address_parse("0x5aaeb6053f3e94c9b9a09f33669435e7ef1beaedd", &a, &err),
                 ZG_EINVAL);
    CHECK_EQ_INT(zg_address_parse("0x5aaeb6053f3e94c9b9a09f33669435e7ef1beaeg", &a, &err),
                 ZG_EINVAL);
    CHECK_EQ_INT(zg_address_parse("", &a, &err), ZG_EINVAL);
    /* a private key pasted as an address is not echoed */
    CHECK_EQ_INT(zg_address_parse(
        "0x4646464646464646464646464646464646464646464646464646464646464646", &a, &err),
        ZG_EINVAL);
    CHECK(strstr(err.msg, "4646") == NULL);
    CHECK_EQ_INT(zg_address_parse(NULL, &a, &err), ZG_EINVAL);
    CHECK_OK(zg_address_parse("5aaeb6053f3e94c9b9a09f33669435e7ef1beaed", &a, &err));
}

/* Known keys: the EIP-155 example key 0x46..46, and anvil's first account. */
static void test_known_addresses(void)
{
    struct { const char *key, *addr; } v[] = {
        {"0x4646464646464646464646464646464646464646464646464646464646464646",
         "0x9d8A62f656a8d1615C1294fd71e9CFb3E4855A4F"},
        {"ac0974bec39a17e36ba4a6b4d238ff944bacb478cbed5efcae784d7bf4f2ff80",
         "0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266"},
    };
    zg_err err;
    for (size_t i = 0; i < 2; i++) {
        zg_eth_key k;
        zg_address a;
        char out[ZG_ADDRESS_STR_MAX];
        CHECK_OK(zg_eth_key_from_hex(&k, v[i].key, &err));
        CHECK_EQ_INT(zg_eth_key_address(&k, &a), ZG_OK);
        zg_address_to_checksum(&a, out);
        CHECK_EQ_STR(out, v[i].addr);
        zg_eth_key_wipe(&k);
        uint8_t zero[32] = {0};
        CHECK_EQ_MEM(k.secret, zero, 32);
    }
}

static void test_bad_keys(void)
{
    zg_eth_key k;
    zg_err err;
    uint8_t zero[32] = {0};
    CHECK_EQ_INT(zg_eth_key_from_secret(&k, zero, &err), ZG_ECRYPTO);
    /* n, the group order (SEC 2, section 2.4.1), is not a valid key. */
    CHECK_EQ_INT(zg_eth_key_from_hex(&k,
        "fffffffffffffffffffffffffffffffebaaedce6af48a03bbfd25e8cd0364141", &err), ZG_ECRYPTO);
    CHECK_EQ_INT(zg_eth_key_from_hex(&k, "0x1234", &err), ZG_EINVAL);
    CHECK(strstr(err.msg, "1234") == NULL); /* never echo key material */
    CHECK_EQ_INT(zg_eth_key_from_hex(&k, "0x1234", NULL), ZG_EINVAL);
}

static void test_sign_recover(void)
{
    zg_err err;
    zg_eth_key k;
    zg_address a, r;
    uint8_t h[32], sig[65];
    CHECK_OK(zg_eth_key_from_hex(&k,
        "4646464646464646464646464646464646464646464646464646464646464646", &err));
    zg_eth_key_address(&k, &a);
    zg_keccak256("hello", 5, h);
    CHECK_OK(zg_eth_sign_hash(&k, h, sig, &err));
    CHECK(sig[64] == 0 || sig[64] == 1);
    CHECK_OK(zg_eth_recover(h, sig, &r, &err));
    CHECK(zg_address_eq(&a, &r));
    sig[64] += 27;
    CHECK_OK(zg_eth_recover(h, sig, &r, &err));
    CHECK(zg_address_eq(&a, &r));
    sig[64] = 2;
    CHECK_EQ_INT(zg_eth_recover(h, sig, &r, &err), ZG_ECRYPTO);
    sig[64] = 0;
    memset(sig, 0xff, 32); /* r >= n */
    CHECK_EQ_INT(zg_eth_recover(h, sig, &r, &err), ZG_ECRYPTO);
    memset(sig, 0, 64);
    CHECK_EQ_INT(zg_eth_recover(h, sig, &r, &err), ZG_ECRYPTO);
}

static void test_generate(void)
{
    zg_err err;
    zg_eth_key a, b;
    zg_address x, y;
    CHECK_OK(zg_eth_key_generate(&a, &err));
    CHECK_OK(zg_eth_key_generate(&b, &err));
    CHECK(memcmp(a.secret, b.secret, 32) != 0);
    CHECK_EQ_INT(zg_eth_key_address(&a, &x), ZG_OK);
    CHECK_EQ_INT(zg_eth_key_address(&b, &y), ZG_OK);
    CHECK(!zg_address_eq(&x, &y));
    zg_eth_key_wipe(&a);
    zg_eth_key_wipe(&b);
}

int main(void)
{
    ZG_RUN(test_generate);
    ZG_RUN(test_eip55);
    ZG_RUN(test_address_bad);
    ZG_RUN(test_known_addresses);
    ZG_RUN(test_bad_keys);
    ZG_RUN(test_sign_recover);
    ZG_TEST_END();
}
