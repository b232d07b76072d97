/* sender.c - nonce, fees, gas, sign, send, wait (see eth/sender.h). */
#include <stdio.h>
#include <string.h>

#include "base/log.h"
#include "eth/rpc_internal.h"
#include "eth/sender.h"
#include "eth/tx.h"

/* Fees: EIP-1559 where the chain has a base fee, else a legacy gas price
 * (kept in max_fee_per_gas; *legacy says which). */
static int choose_fees(zg_rpc *r, const zg_send_opts *o, zg_tx1559 *tx, int *legacy, zg_err *e)
{
    zg_rpc_block b;
    int rc = zg_rpc_get_block(r, "latest", &b, e);
    if (rc != ZG_OK)
        return rc;
    *legacy = o->legacy || !b.has_base_fee;
    if (o->has_fees) {
        tx->max_fee_per_gas = o->max_fee;
        tx->max_priority_fee_per_gas = o->priority;
        return ZG_OK;
    }
    if (*legacy)
        return zg_rpc_gas_price(r, &tx->max_fee_per_gas, e);
    return zg_rpc_suggest_fees(r, &tx->max_fee_per_gas, &tx->max_priority_fee_per_gas, e);
}

/* Fills everything the caller left open. */
static int prepare(zg_rpc *r, const zg_address *from, const zg_send_opts *o, zg_tx1559 *tx,
                   int *legacy, zg_err *e)
{
    int rc = zg_rpc_chain_id(r, &tx->chain_id, e);
    if (rc == ZG_OK && o->has_nonce)
        tx->nonce = o->nonce;
    else if (rc == ZG_OK)
        rc = zg_rpc_nonce(r, from, &tx->nonce, e);
    if (rc == ZG_OK)
        rc = choose_fees(r, o, tx, legacy, e);
    if (rc != ZG_OK || o->gas_limit) {
        tx->gas = o->gas_limit;
        return rc;
    }
    zg_rpc_msg m = { from, tx->has_to ? &tx->to : NULL, tx->data, tx->data_len, &tx->value, 0 };
    uint64_t est;
    rc = zg_rpc_estimate_gas(r, &m, &est, e);
    if (rc != ZG_OK)
        return rc;
    unsigned margin = o->gas_margin_pct ? o->gas_margin_pct : 20;
    tx->gas = est + est / 100 * margin + (est % 100) * margin / 100;
    return ZG_OK;
}

/* The same transaction as EIP-155 legacy, gas price = max_fee_per_gas. */
static int sign_legacy(const zg_tx1559 *tx, const zg_eth_key *k, zg_buf *raw, uint8_t hash[32],
                       zg_err *e)
{
    zg_tx_legacy l;
    zg_tx_legacy_init(&l);
    l.chain_id = tx->chain_id;
    l.nonce = tx->nonce;
    l.gas_price = tx->max_fee_per_gas;
    l.gas = tx->gas;
    l.has_to = tx->has_to;
    l.to = tx->to;
    l.value = tx->value;
    l.data = tx->data;
    l.data_len = tx->data_len;
    return zg_tx_legacy_sign(&l, k, raw, hash, e);
}

/* The reason of a mined failure: replay the call on the parent block. */
static int explain_failure(zg_rpc *r, const zg_address *from, const zg_tx1559 *tx,
                           const zg_rpc_receipt *rc_, zg_err *e)
{
    char tag[24];
    snprintf(tag, sizeof tag, "0x%llx",
             (unsigned long long)(rc_->block_number ? rc_->block_number - 1 : 0));
    zg_rpc_msg m = { from, tx->has_to ? &tx->to : NULL, tx->data, tx->data_len, &tx->value,
                     tx->gas };
    zg_buf out;
    zg_buf_init(&out);
    zg_err sub;
    int rc = zg_rpc_eth_call(r, &m, tag, &out, &sub);
    zg_buf_free(&out);
    if (rc == ZG_EREVERT)
        return zg_err_set(e, ZG_EREVERT, "transaction mined but failed: %s", sub.msg);
    return zg_err_set(e, ZG_EREVERT, "transaction mined but failed (status 0, gas used %llu%s)",
                      (unsigned long long)rc_->gas_used,
                      rc_->gas_used >= tx->gas ? ", out of gas" : "");
}

int zg_send_tx(zg_rpc *r, const zg_eth_key *k, const zg_address *to, const zg_u256 *value,
               const uint8_t *data, size_t data_len, const zg_send_opts *opts,
               zg_rpc_receipt *out, zg_err *e)
{
    memset(out, 0, sizeof *out);
    zg_send_opts defaults;
    memset(&defaults, 0, sizeof defaults);
    const zg_send_opts *o = opts ? opts : &defaults;
    zg_address from;
    if (zg_eth_key_address(k, &from) != ZG_OK)
        return zg_err_set(e, ZG_ECRYPTO, "send: invalid key");

    zg_tx1559 tx;
    zg_tx1559_init(&tx);
    tx.has_to = to != NULL;
    if (to)
        tx.to = *to;
    if (value)
        tx.value = *value;
    tx.data = data_len ? data : NULL;
    tx.data_len = data_len;
    int legacy = 0;
    int rc = prepare(r, &from, o, &tx, &legacy, e);
    if (rc != ZG_OK)
        return zg_err_wrap(e, rc, "send");

    zg_buf raw;
    zg_buf_init(&raw);
    uint8_t hash[32];
    rc = legacy ? sign_legacy(&tx, k, &raw, hash, e) : zg_tx1559_sign(&tx, k, &raw, hash, e);
    if (rc == ZG_OK)
        rc = zg_rpc_send_raw(r, raw.data, raw.len, out->tx_hash, e);
    zg_buf_free(&raw);
    if (rc != ZG_OK)
        return zg_err_wrap(e, rc, "send");
    if (memcmp(hash, out->tx_hash, 32) != 0)
        zg_log(ZG_LOG_WARN, "send: node reported a different transaction hash than ours");

    char short_hash[23];
    zg_log_short_hash(out->tx_hash, short_hash);
    zg_log(ZG_LOG_DEBUG, "send: tx %s nonce %llu gas %llu", short_hash,
           (unsigned long long)tx.nonce, (unsigned long long)tx.gas);
    uint8_t sent[32];
    memcpy(sent, out->tx_hash, 32);
    rc = zg_rpc_wait_receipt(r, sent, o->timeout_ms > 0 ? o->timeout_ms : 60000, out, e);
    if (rc != ZG_OK) {
        memcpy(out->tx_hash, sent, 32); /* so the caller can keep waiting */
        return zg_err_wrap(e, rc, "send: tx %s", short_hash);
    }
    return out->status ? ZG_OK : explain_failure(r, &from, &tx, out, e);
}
