/* rpc_chain.c - reading chain state: chain id, blocks, balances, nonces, code. */
#include <stdio.h>
#include <string.h>

#include "eth/rpc_internal.h"

/* Calls a method whose result is a quantity. */
static int call_u64(zg_rpc *r, const char *method, json_t *params, uint64_t *out, zg_err *e)
{
    json_t *res;
    int rc = zg_rpc_call_json(r, method, params, &res, e);
    json_decref(params);
    if (rc != ZG_OK)
        return rc;
    rc = zg_rpc_quantity_u64_(res, method, out, e);
    json_decref(res);
    return rc;
}

/* [address, tag] params. */
static json_t *addr_params(const zg_address *a, const char *tag)
{
    return json_pack("[o, s]", zg_rpc_hex_json_(a->b, 20), tag);
}

int zg_rpc_chain_id(zg_rpc *r, uint64_t *out, zg_err *e)
{
    return call_u64(r, "eth_chainId", NULL, out, e);
}

int zg_rpc_block_number(zg_rpc *r, uint64_t *out, zg_err *e)
{
    return call_u64(r, "eth_blockNumber", NULL, out, e);
}

int zg_rpc_nonce(zg_rpc *r, const zg_address *a, uint64_t *out, zg_err *e)
{
    json_t *p = addr_params(a, "pending");
    return p ? call_u64(r, "eth_getTransactionCount", p, out, e)
             : zg_err_set(e, ZG_ENOMEM, "out of memory");
}

int zg_rpc_balance(zg_rpc *r, const zg_address *a, zg_u256 *out, zg_err *e)
{
    json_t *p = addr_params(a, "latest"), *res;
    if (!p)
        return zg_err_set(e, ZG_ENOMEM, "out of memory");
    int rc = zg_rpc_call_json(r, "eth_getBalance", p, &res, e);
    json_decref(p);
    if (rc == ZG_OK) {
        rc = zg_rpc_quantity_u256_(res, "balance", out, e);
        json_decref(res);
    }
    return rc;
}

int zg_rpc_code(zg_rpc *r, const zg_address *a, zg_buf *out, zg_err *e)
{
    json_t *p = addr_params(a, "latest"), *res;
    if (!p)
        return zg_err_set(e, ZG_ENOMEM, "out of memory");
    int rc = zg_rpc_call_json(r, "eth_getCode", p, &res, e);
    json_decref(p);
    if (rc == ZG_OK) {
        rc = zg_rpc_data_(res, "code", out, e);
        json_decref(res);
    }
    return rc;
}

int zg_rpc_get_block(zg_rpc *r, const char *tag, zg_rpc_block *out, zg_err *e)
{
    json_t *p = json_pack("[s, b]", tag ? tag : "latest", 0), *res;
    if (!p)
        return zg_err_set(e, ZG_ENOMEM, "out of memory");
    int rc = zg_rpc_call_json(r, "eth_getBlockByNumber", p, &res, e);
    json_decref(p);
    if (rc != ZG_OK)
        return rc;
    if (json_is_null(res)) {
        json_decref(res);
        return zg_err_set(e, ZG_ENOTFOUND, "block %s not found", tag ? tag : "latest");
    }
    memset(out, 0, sizeof *out);
    rc = zg_rpc_quantity_u64_(json_object_get(res, "number"), "block number", &out->number, e);
    if (rc == ZG_OK)
        rc = zg_rpc_quantity_u64_(json_object_get(res, "timestamp"), "block timestamp",
                                  &out->timestamp, e);
    if (rc == ZG_OK)
        rc = zg_rpc_quantity_u64_(json_object_get(res, "gasLimit"), "block gasLimit",
                                  &out->gas_limit, e);
    json_t *bf = json_object_get(res, "baseFeePerGas");
    if (rc == ZG_OK && bf && !json_is_null(bf)) { /* absent before London */
        out->has_base_fee = 1;
        rc = zg_rpc_quantity_u256_(bf, "baseFeePerGas", &out->base_fee, e);
    }
    json_decref(res);
    return rc;
}
