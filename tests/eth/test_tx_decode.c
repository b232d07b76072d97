/* test_tx_decode.c - parsing signed EIP-1559 transactions: the vector,
 * sender recovery, strict rejections, and mutated input never crashing. */
#include "zg_test.h"

#include "base/hex.h"
#include "eth/tx.h"
#include "eth/zg_cast.h"

/* The EIP-1559 vector of test_tx.c (ethers 6.17.0 and cast 1.7.1 agree). */
#define RAW "0x02f87301098477359400850ba43b7400825208943535353535353535353535353535353535353535" \
            "880de0b6b3a764000080c080a09f7c62ac22c53bbce926f6347672672a94b66cae19bb6db8087505" \
            "365d12be84a06f7b882105463218f6c7af16c766d4b3dc64be310f922651db38c5d593452187"

static void test_vector(void)
{
    zg_err err;
    zg_buf raw;
    zg_tx1559 tx;
    uint8_t sig[65];
    zg_address from;
    char a[ZG_ADDRESS_STR_MAX];
    zg_buf_init(&raw);
    CHECK_OK(zg_hex_decode_buf(RAW, &raw, &err));
    CHECK_OK(zg_tx1559_decode(raw.data, raw.len, &tx, sig, &err));
    CHECK_EQ_U64(tx.chain_id, 1);
    CHECK_EQ_U64(tx.nonce, 9);
    CHECK_EQ_U64(tx.gas, 21000);
    CHECK_EQ_U64(tx.max_priority_fee_per_gas.w[0], 2000000000ull);
    CHECK_EQ_U64(tx.max_fee_per_gas.w[0], 50000000000ull);
    CHECK_EQ_U64(tx.value.w[0], 1000000000000000000ull);
    CHECK(tx.has_to && tx.to.b[0] == 0x35 && tx.data_len == 0);
    CHECK_EQ_INT(sig[64], 0);
    CHECK_OK(zg_tx1559_sender(&tx, sig, &from, &err));
    zg_address_to_checksum(&from, a);
    CHECK_EQ_STR(a, "0x9d8A62f656a8d1615C1294fd71e9CFb3E4855A4F");
    /* re-encoding gives the same bytes */
    zg_buf again;
    zg_buf_init(&again);
    CHECK_OK(zg_tx1559_encode_signed(&tx, sig, &again, &err));
    CHECK(again.len == raw.len && memcmp(again.data, raw.data, raw.len) == 0);
    zg_buf_free(&again);
    zg_buf_free(&raw);
}

static int decode_hex(const char *hex, zg_err *err)
{
    zg_buf raw;
    zg_tx1559 tx;
    uint8_t sig[65];
    zg_buf_init(&raw);
    int rc = zg_hex_decode_buf(hex, &raw, err);
    if (!rc)
        rc = zg_tx1559_decode(raw.data, raw.len, &tx, sig, err);
    zg_buf_free(&raw);
    return rc;
}

static void test_rejects(void)
{
    zg_err err;
    CHECK_EQ_INT(decode_hex("0x", &err), ZG_EINVAL);
    CHECK_EQ_INT(decode_hex("0x01c0", &err), ZG_EINVAL);             /* wrong type */
    CHECK_EQ_INT(decode_hex("0x02c0", &err), ZG_EINVAL);             /* no fields */
    CHECK_EQ_INT(decode_hex(RAW "00", &err), ZG_EINVAL);             /* trailing byte */
    /* s replaced by n - s (the high-s twin of a valid signature): EIP-2 */
    CHECK_EQ_INT(decode_hex("0x02f87301098477359400850ba43b7400825208943535353535353535353535353535353535353535"
                            "880de0b6b3a764000080c080a09f7c62ac22c53bbce926f6347672672a94b66cae19bb6db8087505"
                            "365d12be84a0908477defab9cde7093850e938992b4ade4a1eb59fb679e9e49998b73cf11fba", &err),
                 ZG_EINVAL);
    CHECK(strstr(err.msg, "EIP-2") != NULL);
    /* yParity 2 */
    CHECK_EQ_INT(decode_hex("0x02f87301098477359400850ba43b7400825208943535353535353535353535353535353535353535"
                            "880de0b6b3a764000080c002a09f7c62ac22c53bbce926f6347672672a94b66cae19bb6db8087505"
                            "365d12be84a06f7b882105463218f6c7af16c766d4b3dc64be310f922651db38c5d593452187", &err),
                 ZG_EINVAL);
}

/* Bounded mutation loop: bit flips, truncations and byte overwrites of the
 * vector are rejected or decoded, never crash (ASan checks the reads). */
static void test_mutations(void)
{
    zg_err err;
    zg_buf raw;
    zg_rng rng = {12345};
    zg_buf_init(&raw);
    CHECK_OK(zg_hex_decode_buf(RAW, &raw, &err));
    int accepted = 0;
    for (int i = 0; i < 20000; i++) {
        size_t n = raw.len;
        uint8_t *m = malloc(n);
        memcpy(m, raw.data, n);
        uint64_t r = zg_rng_next(&rng);
        if (r % 3 == 0)
            n = (size_t)(zg_rng_next(&rng) % n);
        else if (r % 3 == 1)
            m[zg_rng_next(&rng) % n] ^= (uint8_t)(1u << (zg_rng_next(&rng) % 8));
        else
            m[zg_rng_next(&rng) % n] = (uint8_t)zg_rng_next(&rng);
        uint8_t *exact = malloc(n ? n : 1);
        memcpy(exact, m, n);
        zg_tx1559 tx;
        uint8_t sig[65];
        accepted += zg_tx1559_decode(exact, n, &tx, sig, NULL) == ZG_OK;
        free(exact);
        free(m);
    }
    fprintf(stderr, "tx mutations: %d of 20000 accepted\n", accepted);
    CHECK(accepted < 20000);
    zg_buf_free(&raw);
}

int main(void)
{
    ZG_RUN(test_vector);
    ZG_RUN(test_rejects);
    ZG_RUN(test_mutations);
    ZG_TEST_END();
}
