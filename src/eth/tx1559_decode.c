/* tx1559_decode.c - parsing signed EIP-1559 transactions (see eth/tx.h). */
#include <string.h>

#include "eth/rlp.h"
#include "eth/tx.h"

/* n/2 for secp256k1 (SEC 2, section 2.4.1: n = ff..fe baaedce6 af48a03b
 * bfd25e8c d0364141); EIP-2 rejects s above it. */
static const uint8_t half_n[32] = {
    0x7f, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
    0x5d, 0x57, 0x6e, 0x73, 0x57, 0xa4, 0x50, 0x1d, 0xdf, 0xe9, 0x2f, 0x46, 0x68, 0x1b, 0x20, 0xa0,
};

typedef struct fields {
    zg_rlp_item it[12];
} fields;

static int split_fields(const uint8_t *raw, size_t n, fields *f, zg_err *e)
{
    if (n < 1 || raw[0] != 0x02)
        return zg_err_set(e, ZG_EINVAL, "not an EIP-1559 transaction (type byte 0x02)");
    zg_rlp_item list;
    int rc = zg_rlp_decode(raw + 1, n - 1, &list, e);
    if (rc) {
        zg_err_wrap(e, rc, "transaction");
        return rc;
    }
    if (!list.is_list)
        return zg_err_set(e, ZG_EINVAL, "transaction: expected an RLP list");
    zg_rlp_iter iter;
    zg_rlp_iter_init(&iter, &list);
    size_t k = 0;
    zg_rlp_item x;
    while (zg_rlp_next(&iter, &x, NULL) == ZG_OK) {
        if (k == 12)
            return zg_err_set(e, ZG_EINVAL, "transaction: more than 12 fields");
        f->it[k++] = x;
    }
    if (k != 12)
        return zg_err_set(e, ZG_EINVAL, "transaction: %zu fields, want 12 (signed)", k);
    return ZG_OK;
}

static int get_bytes(const zg_rlp_item *it, const char *name, zg_err *e)
{
    if (it->is_list)
        return zg_err_set(e, ZG_EINVAL, "transaction field %s: expected bytes", name);
    return ZG_OK;
}

static int read_body(const fields *f, zg_tx1559 *tx, zg_err *e)
{
    int rc;
    if ((rc = zg_rlp_get_u64(&f->it[0], &tx->chain_id, e)) ||
        (rc = zg_rlp_get_u64(&f->it[1], &tx->nonce, e)) ||
        (rc = zg_rlp_get_u256(&f->it[2], &tx->max_priority_fee_per_gas, e)) ||
        (rc = zg_rlp_get_u256(&f->it[3], &tx->max_fee_per_gas, e)) ||
        (rc = zg_rlp_get_u64(&f->it[4], &tx->gas, e)) ||
        (rc = get_bytes(&f->it[5], "to", e)) ||
        (rc = zg_rlp_get_u256(&f->it[6], &tx->value, e)) ||
        (rc = get_bytes(&f->it[7], "data", e))) {
        zg_err_wrap(e, rc, "transaction");
        return rc;
    }
    if (f->it[5].len != 0 && f->it[5].len != 20)
        return zg_err_set(e, ZG_EINVAL, "transaction: `to` has %zu bytes", f->it[5].len);
    tx->has_to = f->it[5].len == 20;
    if (tx->has_to)
        memcpy(tx->to.b, f->it[5].payload, 20);
    tx->data = f->it[7].len ? f->it[7].payload : NULL;
    tx->data_len = f->it[7].len;
    if (!f->it[8].is_list || f->it[8].len != 0)
        return zg_err_set(e, ZG_EINVAL, "transaction: access lists are not supported");
    return ZG_OK;
}

static int read_signature(const fields *f, uint8_t sig65[65], zg_err *e)
{
    uint64_t v;
    zg_u256 r, s;
    int rc;
    if ((rc = zg_rlp_get_u64(&f->it[9], &v, e)) || (rc = zg_rlp_get_u256(&f->it[10], &r, e)) ||
        (rc = zg_rlp_get_u256(&f->it[11], &s, e))) {
        zg_err_wrap(e, rc, "transaction signature");
        return rc;
    }
    zg_u256 half = zg_u256_from_be(half_n);
    if (v > 1)
        return zg_err_set(e, ZG_EINVAL, "transaction: yParity %llu", (unsigned long long)v);
    if (zg_u256_is_zero(&r) || zg_u256_is_zero(&s) || zg_u256_cmp(&s, &half) > 0)
        return zg_err_set(e, ZG_EINVAL, "transaction: signature r/s out of range (EIP-2)");
    zg_u256_to_be(sig65, &r);
    zg_u256_to_be(sig65 + 32, &s);
    sig65[64] = (uint8_t)v;
    return ZG_OK;
}

int zg_tx1559_decode(const uint8_t *raw, size_t n, zg_tx1559 *tx, uint8_t sig65[65],
                     zg_err *e)
{
    fields f;
    zg_tx1559 t;
    zg_tx1559_init(&t);
    int rc = split_fields(raw, n, &f, e);
    if (!rc)
        rc = read_body(&f, &t, e);
    if (!rc)
        rc = read_signature(&f, sig65, e);
    if (!rc)
        *tx = t;
    return rc;
}

int zg_tx1559_sender(const zg_tx1559 *tx, const uint8_t sig65[65], zg_address *from,
                     zg_err *e)
{
    uint8_t h[32];
    int rc = zg_tx1559_signing_hash(tx, h, e);
    return rc ? rc : zg_eth_recover(h, sig65, from, e);
}
