/* test_cast_key.c - random keys against cast: addresses
 * (`cast wallet address`), RFC 6979 signatures of random hashes
 * (`cast wallet sign --no-hash`, byte-identical), recovery of cast's
 * signatures, and EIP-191 personal messages (`cast wallet sign`). */
#include "zg_test.h"

#include "base/hex.h"
#include "eth/key.h"
#include "eth/personal.h"
#include "eth/zg_cast.h"

static zg_rng rng;

static int random_key(zg_eth_key *k, char hex[67])
{
    uint8_t s[32];
    zg_rng_bytes(&rng, s, 32);
    if (zg_eth_key_from_secret(k, s, NULL))
        return -1; /* probability ~2^-128 */
    zg_hex_encode(s, 32, hex);
    return 0;
}

static void test_addresses(void)
{
    for (int i = 0; i < 12; i++) {
        zg_eth_key k;
        zg_address a;
        char kh[67], mine[ZG_ADDRESS_STR_MAX], theirs[128];
        if (random_key(&k, kh))
            continue;
        CHECK_EQ_INT(zg_eth_key_address(&k, &a), ZG_OK);
        zg_address_to_checksum(&a, mine);
        CHECK_EQ_INT(zg_cast(theirs, sizeof theirs, "wallet address --private-key %s", kh), 0);
        CHECK_EQ_STR(mine, theirs);
    }
}

/* cast prints r || s || v with v = 27/28; ours has v = 0/1. */
static void test_signatures(void)
{
    zg_err err;
    for (int i = 0; i < 12; i++) {
        zg_eth_key k;
        zg_address a, r;
        char kh[67], hh[67], theirs[256];
        uint8_t h[32], sig[65], csig[65];
        if (random_key(&k, kh))
            continue;
        zg_eth_key_address(&k, &a);
        zg_rng_bytes(&rng, h, 32);
        zg_hex_encode(h, 32, hh);
        CHECK_OK(zg_eth_sign_hash(&k, h, sig, &err));
        CHECK_EQ_INT(zg_cast(theirs, sizeof theirs, "wallet sign --no-hash --private-key %s %s",
                             kh, hh), 0);
        CHECK_OK(zg_hex_decode(theirs, csig, 65, &err));
        CHECK_EQ_MEM(sig, csig, 64);
        CHECK_EQ_INT(sig[64] + 27, csig[64]);
        CHECK_OK(zg_eth_recover(h, csig, &r, &err));
        CHECK(zg_address_eq(&a, &r));
    }
}

static void test_personal(void)
{
    zg_err err;
    for (int i = 0; i < 6; i++) {
        zg_eth_key k;
        zg_address a, r;
        char kh[67], mh[2 * 80 + 3], mine[140], theirs[256];
        uint8_t msg[80], sig[65];
        if (random_key(&k, kh))
            continue;
        zg_eth_key_address(&k, &a);
        size_t n = 1 + zg_rng_next(&rng) % sizeof msg;
        zg_rng_bytes(&rng, msg, n);
        zg_hex_encode(msg, n, mh);
        CHECK_OK(zg_eth_personal_sign(&k, msg, n, sig, &err));
        zg_hex_encode(sig, 65, mine);
        CHECK_EQ_INT(zg_cast(theirs, sizeof theirs, "wallet sign --private-key %s %s", kh, mh), 0);
        CHECK_EQ_STR(mine, theirs);
        CHECK_OK(zg_eth_personal_recover(msg, n, sig, &r, &err));
        CHECK(zg_address_eq(&a, &r));
    }
}

int main(void)
{
    zg_rng_seed(&rng, "test_cast_key");
    if (!zg_cast_path())
        return 1;
    ZG_RUN(test_addresses);
    ZG_RUN(test_signatures);
    ZG_RUN(test_personal);
    ZG_TEST_END();
}
