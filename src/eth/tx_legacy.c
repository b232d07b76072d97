/* tx_legacy.c - legacy transactions with EIP-155 replay protection
 * (see eth/tx.h). */
#include <string.h>

#include "eth/keccak.h"
#include "eth/rlp.h"
#include "eth/tx.h"

void zg_tx_legacy_init(zg_tx_legacy *tx)
{
    memset(tx, 0, sizeof *tx);
}

/* Appends nonce, gasPrice, gas, to, value, data. */
static int put_fields(const zg_tx_legacy *tx, zg_buf *out)
{
    int rc = 0;
    rc |= zg_rlp_put_u64(out, tx->nonce);
    rc |= zg_rlp_put_u256(out, &tx->gas_price);
    rc |= zg_rlp_put_u64(out, tx->gas);
    rc |= zg_rlp_put_bytes(out, tx->to.b, tx->has_to ? 20 : 0);
    rc |= zg_rlp_put_u256(out, &tx->value);
    rc |= zg_rlp_put_bytes(out, tx->data, tx->data_len);
    return rc ? ZG_ENOMEM : ZG_OK;
}

int zg_tx_legacy_signing_hash(const zg_tx_legacy *tx, uint8_t hash[32], zg_err *e)
{
    zg_buf b;
    size_t mark;
    zg_buf_init(&b);
    zg_rlp_list_begin(&b, &mark);
    /* EIP-155: the fields, then chainId, 0, 0. */
    int rc = put_fields(tx, &b) | zg_rlp_put_u64(&b, tx->chain_id) | zg_rlp_put_u64(&b, 0) |
             zg_rlp_put_u64(&b, 0);
    if (!rc)
        rc = zg_rlp_list_end(&b, mark);
    if (!rc)
        zg_keccak256(b.data, b.len, hash);
    zg_buf_free(&b);
    return rc ? zg_err_set(e, ZG_ENOMEM, "out of memory encoding a transaction") : ZG_OK;
}

/* Appends the signed encoding with v = chainId * 2 + 35 + yParity. */
static int encode_signed(const zg_tx_legacy *tx, const uint8_t sig[65], zg_buf *raw)
{
    size_t mark;
    zg_u256 v = zg_u256_from_u64(tx->chain_id), two = zg_u256_from_u64(2),
            add = zg_u256_from_u64(35u + sig[64]);
    /* chainId is u64, so chainId*2+36 fits in 256 bits. */
    zg_u256_mul(&v, &v, &two);
    zg_u256_add(&v, &v, &add);
    zg_u256 r = zg_u256_from_be(sig), s = zg_u256_from_be(sig + 32);
    zg_rlp_list_begin(raw, &mark);
    int rc = put_fields(tx, raw) | zg_rlp_put_u256(raw, &v) | zg_rlp_put_u256(raw, &r) |
             zg_rlp_put_u256(raw, &s);
    return rc ? ZG_ENOMEM : zg_rlp_list_end(raw, mark);
}

int zg_tx_legacy_sign(const zg_tx_legacy *tx, const zg_eth_key *k, zg_buf *raw,
                      uint8_t tx_hash[32], zg_err *e)
{
    uint8_t h[32], sig[65];
    size_t start = raw->len;
    int rc = zg_tx_legacy_signing_hash(tx, h, e);
    if (!rc)
        rc = zg_eth_sign_hash(k, h, sig, e);
    if (rc)
        return rc;
    if (encode_signed(tx, sig, raw)) {
        raw->len = start;
        return zg_err_set(e, ZG_ENOMEM, "out of memory encoding a transaction");
    }
    if (tx_hash)
        zg_keccak256(raw->data + start, raw->len - start, tx_hash);
    return ZG_OK;
}
