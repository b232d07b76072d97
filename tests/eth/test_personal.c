/* test_personal.c - EIP-191 personal messages: hash, sign, recover. */
#include "zg_test.h"

#include "base/hex.h"
#include "eth/personal.h"

static void test_hash(void)
{
    /* keccak256("\x19Ethereum Signed Message:\n11hello world"), the value
     * ethers' hashMessage("hello world") documents. */
    uint8_t h[32];
    char hx[67];
    zg_eth_personal_hash("hello world", 11, h);
    zg_hex_encode(h, 32, hx);
    CHECK_EQ_STR(hx, "0xd9eba16ed0ecae432b71fe008c98cc872bb4cc214d3220a36f365326cf807d68");
}

static void test_sign_recover(void)
{
    zg_err err;
    zg_eth_key k;
    zg_address a, r;
    uint8_t sig[65];
    CHECK_OK(zg_eth_key_from_hex(&k,
        "ac0974bec39a17e36ba4a6b4d238ff944bacb478cbed5efcae784d7bf4f2ff80", &err));
    zg_eth_key_address(&k, &a);
    CHECK_OK(zg_eth_personal_sign(&k, "zg", 2, sig, &err));
    CHECK(sig[64] == 27 || sig[64] == 28);
    CHECK_OK(zg_eth_personal_recover("zg", 2, sig, &r, &err));
    CHECK(zg_address_eq(&a, &r));
    CHECK_OK(zg_eth_personal_recover("zh", 2, sig, &r, &err));
    CHECK(!zg_address_eq(&a, &r));
    CHECK_OK(zg_eth_personal_sign(&k, NULL, 0, sig, &err)); /* empty message */
    CHECK_OK(zg_eth_personal_recover(NULL, 0, sig, &r, &err));
    CHECK(zg_address_eq(&a, &r));
    zg_eth_key_wipe(&k);
}

int main(void)
{
    ZG_RUN(test_hash);
    ZG_RUN(test_sign_recover);
    ZG_TEST_END();
}
