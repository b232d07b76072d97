/* contract.c - view calls, transactions and logs by signature (eth/contract.h). */
#include <string.h>

#include "eth/contract.h"

int zg_contract_view(zg_rpc *r, const zg_address *to, const zg_address *from,
                     const char *sig, const char *args_json, zg_abi_value **out, zg_err *e)
{
    *out = NULL;
    zg_abi_sig *s;
    int rc = zg_abi_sig_parse(sig, &s, e);
    if (rc != ZG_OK)
        return rc;
    if (!s->outputs) {
        zg_abi_sig_free(s);
        return zg_err_set(e, ZG_EINVAL, "%s: a view call needs its outputs, e.g. f(uint256)(bool)",
                          sig);
    }
    zg_buf cd, ret;
    zg_buf_init(&cd);
    zg_buf_init(&ret);
    rc = zg_abi_encode_call_json(sig, args_json ? args_json : "[]", &cd, e);
    if (rc == ZG_OK) {
        zg_rpc_msg m = { from, to, cd.data, cd.len, NULL, 0 };
        rc = zg_rpc_eth_call(r, &m, NULL, &ret, e);
        if (rc != ZG_OK)
            zg_err_wrap(e, rc, "%s", s->canonical);
    }
    if (rc == ZG_OK && ret.len == 0)
        rc = zg_err_set(e, ZG_ENOTFOUND, "%s returned nothing: no contract at that address?",
                        s->canonical);
    if (rc == ZG_OK)
        rc = zg_abi_decode_output(s, ret.data, ret.len, out, e);
    zg_buf_free(&cd);
    zg_buf_free(&ret);
    zg_abi_sig_free(s);
    return rc;
}

int zg_contract_send(zg_rpc *r, const zg_eth_key *k, const zg_address *to,
                     const zg_u256 *value, const char *sig, const char *args_json,
                     const zg_send_opts *opts, zg_rpc_receipt *out, zg_err *e)
{
    zg_buf cd;
    zg_buf_init(&cd);
    int rc = zg_abi_encode_call_json(sig, args_json ? args_json : "[]", &cd, e);
    if (rc == ZG_OK)
        rc = zg_send_tx(r, k, to, value, cd.data, cd.len, opts, out, e);
    else
        memset(out, 0, sizeof *out);
    if (rc != ZG_OK)
        zg_err_wrap(e, rc, "%s", sig);
    zg_buf_free(&cd);
    return rc;
}

int zg_contract_deploy(zg_rpc *r, const zg_eth_key *k, const uint8_t *code, size_t code_len,
                       const char *ctor_types, const char *args_json,
                       const zg_send_opts *opts, zg_rpc_receipt *out, zg_err *e)
{
    memset(out, 0, sizeof *out);
    if (!code_len)
        return zg_err_set(e, ZG_EINVAL, "deploy: empty init code");
    zg_buf init;
    zg_buf_init(&init);
    int rc = zg_buf_append(&init, code, code_len);
    if (rc == ZG_OK && ctor_types) {
        /* Constructor arguments are ABI-encoded after the init code. */
        zg_abi_type *t;
        zg_abi_value *v = NULL;
        rc = zg_abi_type_parse(ctor_types, &t, e);
        if (rc == ZG_OK) {
            rc = zg_abi_value_parse_json(t, args_json ? args_json : "[]", &v, e);
            zg_abi_type_free(t);
        }
        if (rc == ZG_OK)
            rc = zg_abi_encode(v, &init, e);
        zg_abi_value_free(v);
    }
    if (rc == ZG_OK)
        rc = zg_send_tx(r, k, NULL, NULL, init.data, init.len, opts, out, e);
    if (rc == ZG_OK && !out->has_contract)
        rc = zg_err_set(e, ZG_ERPC, "deploy: the receipt names no contract address");
    zg_buf_free(&init);
    return rc ? zg_err_wrap(e, rc, "deploy") : ZG_OK;
}

int zg_contract_decode_log(const zg_abi_sig *sig, const zg_rpc_log *log, zg_abi_value **out,
                           zg_err *e)
{
    return zg_abi_decode_event(sig, (const uint8_t (*)[32])log->topics, log->n_topics,
                               log->data, log->data_len, out, e);
}
