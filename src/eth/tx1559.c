/* tx1559.c - EIP-1559 (type 2) transactions (see eth/tx.h). */
#include <string.h>

#include "eth/keccak.h"
#include "eth/rlp.h"
#include "eth/tx.h"

/* EIP-2718 type byte of EIP-1559 transactions. */
enum { TX_TYPE_1559 = 0x02 };

void zg_tx1559_init(zg_tx1559 *tx)
{
    memset(tx, 0, sizeof *tx);
}

/* Appends the 9 unsigned fields (without the list header). */
static int put_fields(const zg_tx1559 *tx, zg_buf *out)
{
    size_t al;
    int rc = 0;
    rc |= zg_rlp_put_u64(out, tx->chain_id);
    rc |= zg_rlp_put_u64(out, tx->nonce);
    rc |= zg_rlp_put_u256(out, &tx->max_priority_fee_per_gas);
    rc |= zg_rlp_put_u256(out, &tx->max_fee_per_gas);
    rc |= zg_rlp_put_u64(out, tx->gas);
    rc |= zg_rlp_put_bytes(out, tx->to.b, tx->has_to ? 20 : 0);
    rc |= zg_rlp_put_u256(out, &tx->value);
    rc |= zg_rlp_put_bytes(out, tx->data, tx->data_len);
    zg_rlp_list_begin(out, &al); /* empty access list */
    rc |= zg_rlp_list_end(out, al);
    return rc ? ZG_ENOMEM : ZG_OK;
}

int zg_tx1559_encode_unsigned(const zg_tx1559 *tx, zg_buf *out)
{
    size_t mark;
    int rc = zg_buf_append_byte(out, TX_TYPE_1559);
    if (rc)
        return rc;
    zg_rlp_list_begin(out, &mark);
    if ((rc = put_fields(tx, out)))
        return rc;
    return zg_rlp_list_end(out, mark);
}

int zg_tx1559_signing_hash(const zg_tx1559 *tx, uint8_t hash[32], zg_err *e)
{
    zg_buf b;
    zg_buf_init(&b);
    int rc = zg_tx1559_encode_unsigned(tx, &b);
    if (!rc)
        zg_keccak256(b.data, b.len, hash);
    zg_buf_free(&b);
    return rc ? zg_err_set(e, rc, "out of memory encoding a transaction") : ZG_OK;
}

/* Appends r and s as minimal integers (RLP integers drop leading zeros). */
static int put_rs(zg_buf *out, const uint8_t sig65[65])
{
    zg_u256 r = zg_u256_from_be(sig65), s = zg_u256_from_be(sig65 + 32);
    return zg_rlp_put_u256(out, &r) | zg_rlp_put_u256(out, &s) ? ZG_ENOMEM : ZG_OK;
}

int zg_tx1559_encode_signed(const zg_tx1559 *tx, const uint8_t sig65[65], zg_buf *raw,
                            zg_err *e)
{
    int v = sig65[64] >= 27 ? sig65[64] - 27 : sig65[64];
    if (v != 0 && v != 1)
        return zg_err_set(e, ZG_EINVAL, "signature v = %d is not a y parity", sig65[64]);
    size_t start = raw->len, mark;
    int rc = zg_buf_append_byte(raw, TX_TYPE_1559);
    zg_rlp_list_begin(raw, &mark);
    if (!rc)
        rc = put_fields(tx, raw);
    if (!rc)
        rc = zg_rlp_put_u64(raw, (uint64_t)v);
    if (!rc)
        rc = put_rs(raw, sig65);
    if (!rc)
        rc = zg_rlp_list_end(raw, mark);
    if (rc) {
        raw->len = start;
        return zg_err_set(e, rc, "out of memory encoding a transaction");
    }
    return ZG_OK;
}

int zg_tx1559_sign(const zg_tx1559 *tx, const zg_eth_key *k, zg_buf *raw,
                   uint8_t tx_hash[32], zg_err *e)
{
    uint8_t h[32], sig[65];
    size_t start = raw->len;
    int rc = zg_tx1559_signing_hash(tx, h, e);
    if (!rc)
        rc = zg_eth_sign_hash(k, h, sig, e);
    if (!rc)
        rc = zg_tx1559_encode_signed(tx, sig, raw, e);
    if (!rc && tx_hash)
        zg_keccak256(raw->data + start, raw->len - start, tx_hash);
    return rc;
}
