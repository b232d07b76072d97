/* rpc_tx.c - eth_call, gas estimation, fee suggestion, sending raw txs. */
#include <stdio.h>
#include <string.h>

#include "eth/rpc_internal.h"

/* The transaction-call object of eth_call / eth_estimateGas. */
static json_t *msg_json(const zg_rpc_msg *m)
{
    json_t *o = json_object();
    int bad = !o;
    if (!bad && m->from)
        bad |= json_object_set_new(o, "from", zg_rpc_hex_json_(m->from->b, 20));
    if (!bad && m->to)
        bad |= json_object_set_new(o, "to", zg_rpc_hex_json_(m->to->b, 20));
    if (!bad && m->data_len)
        bad |= json_object_set_new(o, "input", zg_rpc_hex_json_(m->data, m->data_len));
    if (!bad && m->value) {
        char hex[ZG_U256_HEX_MAX];
        zg_u256_to_hex(m->value, hex);
        bad |= json_object_set_new(o, "value", json_string(hex));
    }
    if (!bad && m->gas) {
        char hex[24];
        snprintf(hex, sizeof hex, "0x%llx", (unsigned long long)m->gas);
        bad |= json_object_set_new(o, "gas", json_string(hex));
    }
    if (bad) {
        json_decref(o);
        return NULL;
    }
    return o;
}

int zg_rpc_eth_call(zg_rpc *r, const zg_rpc_msg *m, const char *tag, zg_buf *out, zg_err *e)
{
    json_t *p = json_pack("[o, s]", msg_json(m), tag ? tag : "latest"), *res;
    if (!p)
        return zg_err_set(e, ZG_ENOMEM, "out of memory");
    int rc = zg_rpc_call_json(r, "eth_call", p, &res, e);
    json_decref(p);
    if (rc == ZG_OK) {
        rc = zg_rpc_data_(res, "eth_call result", out, e);
        json_decref(res);
    }
    return rc;
}

int zg_rpc_estimate_gas(zg_rpc *r, const zg_rpc_msg *m, uint64_t *gas, zg_err *e)
{
    json_t *p = json_pack("[o]", msg_json(m)), *res;
    if (!p)
        return zg_err_set(e, ZG_ENOMEM, "out of memory");
    int rc = zg_rpc_call_json(r, "eth_estimateGas", p, &res, e);
    json_decref(p);
    if (rc == ZG_OK) {
        rc = zg_rpc_quantity_u64_(res, "gas estimate", gas, e);
        json_decref(res);
    }
    return rc;
}

int zg_rpc_suggest_fees(zg_rpc *r, zg_u256 *max_fee, zg_u256 *priority, zg_err *e)
{
    zg_rpc_block b;
    int rc = zg_rpc_get_block(r, "latest", &b, e);
    if (rc != ZG_OK)
        return rc;
    if (!b.has_base_fee)
        return zg_err_set(e, ZG_ESTATE, "the chain has no base fee (pre-London): "
                                        "EIP-1559 fees do not apply, use eth_gasPrice");
    json_t *res;
    zg_err sub;
    rc = zg_rpc_call_json(r, "eth_maxPriorityFeePerGas", NULL, &res, &sub);
    if (rc == ZG_OK) {
        rc = zg_rpc_quantity_u256_(res, "eth_maxPriorityFeePerGas", priority, e);
        json_decref(res);
        if (rc != ZG_OK)
            return rc;
    } else if (rc == ZG_ERPC && strstr(sub.msg, "error ")) {
        *priority = zg_u256_from_u64(1000000000ull); /* node lacks the method: 1 gwei */
    } else {
        return zg_err_set(e, rc, "%s", sub.msg);
    }
    zg_u256 two = zg_u256_from_u64(2), doubled;
    if (zg_u256_mul(&doubled, &b.base_fee, &two) != ZG_OK ||
        zg_u256_add(max_fee, &doubled, priority) != ZG_OK)
        return zg_err_set(e, ZG_ERANGE, "fee suggestion overflows");
    return ZG_OK;
}

int zg_rpc_gas_price(zg_rpc *r, zg_u256 *out, zg_err *e)
{
    json_t *res;
    int rc = zg_rpc_call_json(r, "eth_gasPrice", NULL, &res, e);
    if (rc == ZG_OK) {
        rc = zg_rpc_quantity_u256_(res, "eth_gasPrice", out, e);
        json_decref(res);
    }
    return rc;
}

int zg_rpc_send_raw(zg_rpc *r, const uint8_t *raw, size_t len, uint8_t hash[32], zg_err *e)
{
    json_t *p = json_pack("[o]", zg_rpc_hex_json_(raw, len)), *res;
    if (!p)
        return zg_err_set(e, ZG_ENOMEM, "out of memory");
    int rc = zg_rpc_call_json(r, "eth_sendRawTransaction", p, &res, e);
    json_decref(p);
    if (rc == ZG_OK) {
        rc = zg_rpc_fixed_(res, "transaction hash", hash, 32, e);
        json_decref(res);
    }
    return rc;
}
