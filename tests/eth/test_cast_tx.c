/* test_cast_tx.c - transactions built and signed here equal `cast mktx`
 * byte for byte, for random fields (calls, creations, data, big values),
 * for EIP-1559 and legacy EIP-155. */
#include "zg_test.h"

#include "base/hex.h"
#include "eth/tx.h"
#include "eth/zg_cast.h"

static zg_rng rng;

/* A random value of 0..max_bytes significant bytes (often small or zero). */
static zg_u256 random_u256(size_t max_bytes)
{
    uint8_t be[32] = {0};
    size_t n = zg_rng_next(&rng) % (max_bytes + 1);
    zg_rng_bytes(&rng, be + 32 - n, n);
    return zg_u256_from_be(be);
}

typedef struct fields {
    uint64_t chain_id, nonce, gas;
    zg_u256 tip, fee, value;
    int has_to;
    zg_address to;
    uint8_t data[200];
    size_t data_len;
} fields;

static void random_fields(fields *f)
{
    f->chain_id = 1 + zg_rng_next(&rng) % 100000;
    f->nonce = zg_rng_next(&rng) % 4 ? zg_rng_next(&rng) % 1000 : zg_rng_next(&rng) >> 1;
    f->gas = 21000 + zg_rng_next(&rng) % 10000000;
    f->fee = random_u256(16);      /* alloy keeps fees in u128 */
    f->tip = random_u256(16);
    if (zg_u256_cmp(&f->tip, &f->fee) > 0) {
        zg_u256 t = f->tip;
        f->tip = f->fee;
        f->fee = t;
    }
    f->value = random_u256(32);
    f->has_to = zg_rng_next(&rng) % 4 != 0;
    zg_rng_bytes(&rng, f->to.b, 20);
    f->data_len = zg_rng_next(&rng) % 3 ? zg_rng_next(&rng) % sizeof f->data : 0;
    if (!f->has_to && f->data_len == 0)
        f->data_len = 1; /* cast --create needs code */
    zg_rng_bytes(&rng, f->data, f->data_len);
}

/* The cast arguments naming to/data: "0xTO [0xDATA]" or "--create 0xCODE". */
static void target_args(const fields *f, char *out)
{
    char to[43], data[2 * sizeof f->data + 3];
    zg_hex_encode(f->to.b, 20, to);
    zg_hex_encode(f->data, f->data_len, data);
    if (!f->has_to)
        sprintf(out, "--create %s", data);
    else
        sprintf(out, "%s %s", to, f->data_len ? data : "");
}

static void check_raw(const zg_buf *raw, const char *theirs, int i)
{
    char *mine = malloc(2 * raw->len + 3);
    zg_hex_encode(raw->data, raw->len, mine);
    CHECK_MSG(strcmp(mine, theirs) == 0, "tx %d:\n ours %s\n cast %s", i, mine, theirs);
    free(mine);
}

/* cast's transaction decodes here, and its sender is the key's address. */
static void check_sender(const char *theirs, const zg_eth_key *k)
{
    zg_err err;
    zg_buf raw;
    zg_tx1559 tx;
    uint8_t sig[65];
    zg_address want, got;
    zg_buf_init(&raw);
    CHECK_OK(zg_hex_decode_buf(theirs, &raw, &err));
    CHECK_OK(zg_tx1559_decode(raw.data, raw.len, &tx, sig, &err));
    CHECK_OK(zg_tx1559_sender(&tx, sig, &got, &err));
    zg_eth_key_address(k, &want);
    CHECK(zg_address_eq(&want, &got));
    zg_buf_free(&raw);
}

static void test_eip1559(void)
{
    zg_err err;
    for (int i = 0; i < 16; i++) {
        fields f;
        random_fields(&f);
        uint8_t sk[32];
        zg_eth_key k;
        zg_rng_bytes(&rng, sk, 32);
        if (zg_eth_key_from_secret(&k, sk, NULL))
            continue;
        zg_tx1559 tx;
        zg_tx1559_init(&tx);
        tx.chain_id = f.chain_id;
        tx.nonce = f.nonce;
        tx.max_priority_fee_per_gas = f.tip;
        tx.max_fee_per_gas = f.fee;
        tx.gas = f.gas;
        tx.has_to = f.has_to;
        tx.to = f.to;
        tx.value = f.value;
        tx.data = f.data;
        tx.data_len = f.data_len;
        zg_buf raw;
        zg_buf_init(&raw);
        CHECK_OK(zg_tx1559_sign(&tx, &k, &raw, NULL, &err));
        char kh[67], tip[80], fee[80], val[80], target[600], theirs[1024];
        zg_hex_encode(sk, 32, kh);
        zg_u256_to_dec(&f.tip, tip);
        zg_u256_to_dec(&f.fee, fee);
        zg_u256_to_dec(&f.value, val);
        target_args(&f, target);
        int rc = zg_cast(theirs, sizeof theirs,
                         "mktx --private-key %s --chain %llu --nonce %llu --priority-gas-price %s "
                         "--gas-price %s --gas-limit %llu --value %s %s 2>&1",
                         kh, (unsigned long long)f.chain_id, (unsigned long long)f.nonce, tip,
                         fee, (unsigned long long)f.gas, val, target);
        CHECK_MSG(rc == 0, "cast mktx failed: %s", theirs);
        check_raw(&raw, theirs, i);
        check_sender(theirs, &k);
        zg_buf_free(&raw);
        zg_eth_key_wipe(&k);
    }
}

static void test_legacy(void)
{
    zg_err err;
    for (int i = 0; i < 8; i++) {
        fields f;
        random_fields(&f);
        uint8_t sk[32];
        zg_eth_key k;
        zg_rng_bytes(&rng, sk, 32);
        if (zg_eth_key_from_secret(&k, sk, NULL))
            continue;
        zg_tx_legacy tx;
        zg_tx_legacy_init(&tx);
        tx.chain_id = f.chain_id;
        tx.nonce = f.nonce;
        tx.gas_price = f.fee;
        tx.gas = f.gas;
        tx.has_to = f.has_to;
        tx.to = f.to;
        tx.value = f.value;
        tx.data = f.data;
        tx.data_len = f.data_len;
        zg_buf raw;
        zg_buf_init(&raw);
        CHECK_OK(zg_tx_legacy_sign(&tx, &k, &raw, NULL, &err));
        char kh[67], fee[80], val[80], target[600], theirs[1024];
        zg_hex_encode(sk, 32, kh);
        zg_u256_to_dec(&f.fee, fee);
        zg_u256_to_dec(&f.value, val);
        target_args(&f, target);
        int rc = zg_cast(theirs, sizeof theirs,
                         "mktx --legacy --private-key %s --chain %llu --nonce %llu "
                         "--gas-price %s --gas-limit %llu --value %s %s 2>&1",
                         kh, (unsigned long long)f.chain_id, (unsigned long long)f.nonce, fee,
                         (unsigned long long)f.gas, val, target);
        CHECK_MSG(rc == 0, "cast mktx --legacy failed: %s", theirs);
        check_raw(&raw, theirs, i);
        zg_buf_free(&raw);
        zg_eth_key_wipe(&k);
    }
}

int main(void)
{
    zg_rng_seed(&rng, "test_cast_tx");
    if (!zg_cast_path())
        return 1;
    ZG_RUN(test_eip1559);
    ZG_RUN(test_legacy);
    ZG_TEST_END();
}
