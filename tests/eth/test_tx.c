/* test_tx.c - transactions: the EIP-155 example, an EIP-1559 vector,
 * contract creation, and encoding of an external signature. */
#include "zg_test.h"

#include "base/hex.h"
#include "eth/keccak.h"
#include "eth/rlp.h"
#include "eth/tx.h"

#define KEY46 "0x4646464646464646464646464646464646464646464646464646464646464646"

static void hexeq(const uint8_t *p, size_t n, const char *want)
{
    char *hx = malloc(2 * n + 3);
    zg_hex_encode(p, n, hx);
    CHECK_EQ_STR(hx, want);
    free(hx);
}

/* The example of EIP-155 (eips.ethereum.org/EIPS/eip-155): nonce 9, gas price
 * 20 gwei, gas 21000, to 0x3535..35, value 1 eth, no data, chain 1. */
static void test_eip155(void)
{
    zg_err err;
    zg_eth_key k;
    zg_tx_legacy tx;
    zg_tx_legacy_init(&tx);
    tx.chain_id = 1;
    tx.nonce = 9;
    tx.gas_price = zg_u256_from_u64(20000000000ull);
    tx.gas = 21000;
    tx.has_to = 1;
    memset(tx.to.b, 0x35, 20);
    tx.value = zg_u256_from_u64(1000000000000000000ull);
    uint8_t h[32], txh[32];
    CHECK_OK(zg_tx_legacy_signing_hash(&tx, h, &err));
    hexeq(h, 32, "0xdaf5a779ae972f972197303d7b574746c7ef83eadac0f2791ad23db92e4c8e53");
    CHECK_OK(zg_eth_key_from_hex(&k, KEY46, &err));
    zg_buf raw;
    zg_buf_init(&raw);
    CHECK_OK(zg_tx_legacy_sign(&tx, &k, &raw, txh, &err));
    hexeq(raw.data, raw.len,
          "0xf86c098504a817c800825208943535353535353535353535353535353535353535880de0b6b3a7"
          "6400008025a028ef61340bd939bc2195fe537567866003e1a15d3c71ff63e1590620aa636276a067"
          "cbe9d8997f761aecb703304b3800ccf555c9f3dc64214b297fb1966a3b6d83");
    uint8_t want[32];
    zg_keccak256(raw.data, raw.len, want);
    CHECK_EQ_MEM(txh, want, 32);
    zg_buf_free(&raw);
    zg_eth_key_wipe(&k);
}

static void fill_1559(zg_tx1559 *tx)
{
    zg_tx1559_init(tx);
    tx->chain_id = 1;
    tx->nonce = 9;
    tx->max_priority_fee_per_gas = zg_u256_from_u64(2000000000ull);
    tx->max_fee_per_gas = zg_u256_from_u64(50000000000ull);
    tx->gas = 21000;
    tx->has_to = 1;
    memset(tx->to.b, 0x35, 20);
    tx->value = zg_u256_from_u64(1000000000000000000ull);
}

/* Vector: the EIP-155 example's fields as an EIP-1559 transaction
 * (priority fee 2 gwei, max fee 50 gwei), key 0x46..46. Expected values
 * were produced independently by ethers 6.17.0 (Wallet.signTransaction)
 * and cast 1.7.1 (cast mktx), which agree byte for byte. */
static void test_eip1559(void)
{
    zg_err err;
    zg_eth_key k;
    zg_tx1559 tx;
    fill_1559(&tx);
    uint8_t h[32], txh[32];
    CHECK_OK(zg_tx1559_signing_hash(&tx, h, &err));
    hexeq(h, 32, "0x71773ae6d712557e993f022d95bcbe17862f4e1c7b8c8bb3929ee5955411fad2");
    CHECK_OK(zg_eth_key_from_hex(&k, KEY46, &err));
    zg_buf raw;
    zg_buf_init(&raw);
    CHECK_OK(zg_tx1559_sign(&tx, &k, &raw, txh, &err));
    hexeq(raw.data, raw.len,
          "0x02f87301098477359400850ba43b7400825208943535353535353535353535353535353535353535"
          "880de0b6b3a764000080c080a09f7c62ac22c53bbce926f6347672672a94b66cae19bb6db8087505"
          "365d12be84a06f7b882105463218f6c7af16c766d4b3dc64be310f922651db38c5d593452187");
    hexeq(txh, 32, "0x4e880b4ac3cf811337cca9b1d76a0bb2c9eda9816529a2b10bb4899d3efa2761");
    /* The body after the type byte is one canonical RLP list of 12 items. */
    zg_rlp_item it;
    size_t n = 0;
    CHECK_OK(zg_rlp_decode(raw.data + 1, raw.len - 1, &it, &err));
    CHECK_OK(zg_rlp_list_count(&it, &n, &err));
    CHECK_EQ_INT(n, 12);
    zg_buf_free(&raw);
    zg_eth_key_wipe(&k);
}

/* Published vectors: ethereumjs-monorepo packages/tx/test/json/eip1559.json
 * (commit ef29902; chain 7822, to 0x..aaaa, no data, key 0x8f2a..be63).
 * The file gives the raw tx wrapped as an RLP string (b8..); here it is
 * unwrapped. Vector 0 also gives its transaction hash. */
static const struct {
    uint64_t nonce, value, tip, fee, gas;
    const char *raw;
} ejs[] = {
    {819, 43203529, 75853, 121212, 35552,
     "0x02f870821e8e8203338301284d8301d97c828ae094000000000000000000000000000000000000aaaa84"
     "02933bc980c080a0d067f2167008c59219652f91cbf8788dbca5f771f6e91e2b7657e85b78b472e0a01d30"
     "5af9fe81fdba43f0dfcd400ed24dcace0a7e30d4e85701dcaaf484cd079e"},
    {353, 61901619, 38850, 136295, 32593,
     "0x02f86f821e8e8201618297c283021467827f5194000000000000000000000000000000000000aaaa8403"
     "b08b3380c001a004205678f13fc1d7b10feea6513dfa76e24418b6e08097d95c6f93a3b64e536da01d45ad"
     "61bfece43862de2cce7d2575a8c1d08c26c87f3cb5f26d7b0be54a91b2"},
    {985, 32531825, 66377, 136097, 68541,
     "0x02f871821e8e8203d983010349830213a183010bbd94000000000000000000000000000000000000aaaa"
     "8401f0657180c001a0e6d23c5ecc0f388a4d41a9523c3ad171e98083a61288c340b968dfe0903a6741a073"
     "19e8d54a4fd8f0c081d3ce093d869f9df598481991c8534bfd8f2c163884b4"},
};

static void test_ethereumjs_vectors(void)
{
    zg_err err;
    zg_eth_key k;
    CHECK_OK(zg_eth_key_from_hex(&k,
        "0x8f2a55949038a9610f50fb23b5883af3b4ecb3c3bb792cbcefbd1542c692be63", &err));
    for (size_t i = 0; i < sizeof ejs / sizeof ejs[0]; i++) {
        zg_tx1559 tx;
        zg_tx1559_init(&tx);
        tx.chain_id = 7822;
        tx.nonce = ejs[i].nonce;
        tx.value = zg_u256_from_u64(ejs[i].value);
        tx.max_priority_fee_per_gas = zg_u256_from_u64(ejs[i].tip);
        tx.max_fee_per_gas = zg_u256_from_u64(ejs[i].fee);
        tx.gas = ejs[i].gas;
        tx.has_to = 1;
        tx.to.b[18] = 0xaa;
        tx.to.b[19] = 0xaa;
        zg_buf raw;
        uint8_t txh[32];
        zg_buf_init(&raw);
        CHECK_OK(zg_tx1559_sign(&tx, &k, &raw, txh, &err));
        hexeq(raw.data, raw.len, ejs[i].raw);
        if (i == 0)
            hexeq(txh, 32, "0xa3bf78ff247cad934aa5fb13e05f11e59c93511523ff8a622e59c3a34700e5c8");
        zg_buf_free(&raw);
    }
    zg_eth_key_wipe(&k);
}

/* Encoding an externally made signature gives the same bytes as signing. */
static void test_external_signature(void)
{
    zg_err err;
    zg_eth_key k;
    zg_tx1559 tx;
    fill_1559(&tx);
    uint8_t h[32], sig[65];
    CHECK_OK(zg_eth_key_from_hex(&k, KEY46, &err));
    CHECK_OK(zg_tx1559_signing_hash(&tx, h, &err));
    CHECK_OK(zg_eth_sign_hash(&k, h, sig, &err));
    zg_buf a, b;
    zg_buf_init(&a);
    zg_buf_init(&b);
    CHECK_OK(zg_tx1559_sign(&tx, &k, &a, NULL, &err));
    CHECK_OK(zg_tx1559_encode_signed(&tx, sig, &b, &err));
    CHECK(a.len == b.len && memcmp(a.data, b.data, a.len) == 0);
    sig[64] = 5;
    size_t before = b.len;
    CHECK_EQ_INT(zg_tx1559_encode_signed(&tx, sig, &b, &err), ZG_EINVAL);
    CHECK_EQ_INT(b.len, before);
    zg_buf_free(&a);
    zg_buf_free(&b);
    zg_eth_key_wipe(&k);
}

/* A creation with init code: `to` is the empty string 0x80. */
static void test_create(void)
{
    zg_tx1559 tx;
    zg_tx1559_init(&tx);
    tx.chain_id = 31337;
    tx.max_fee_per_gas = zg_u256_from_u64(1);
    tx.gas = 100000;
    tx.data = (const uint8_t *)"\x60\x00";
    tx.data_len = 2;
    zg_buf b;
    zg_buf_init(&b);
    CHECK_EQ_INT(zg_tx1559_encode_unsigned(&tx, &b), ZG_OK);
    hexeq(b.data, b.len, "0x02d0827a69808001830186a08080826000c0");
    zg_buf_free(&b);
}

int main(void)
{
    ZG_RUN(test_eip155);
    ZG_RUN(test_eip1559);
    ZG_RUN(test_ethereumjs_vectors);
    ZG_RUN(test_external_signature);
    ZG_RUN(test_create);
    ZG_TEST_END();
}
