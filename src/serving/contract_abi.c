/* contract_abi.c - the Serving handle and the call plumbing shared by the
 * bindings (see contract.h and contract_internal.h). */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/hex.h"
#include "base/json.h"
#include "serving/contract_internal.h"

void zg_serving_init(zg_serving *s, zg_rpc *rpc, const zg_address *address)
{
    s->rpc = rpc;
    s->address = *address;
    zg_rpc_set_errors(rpc, zg_serving_error_sigs, ZG_SE_COUNT - 1);
}

json_t *zg_sv_json_addr(const zg_address *a)
{
    char hex[43];
    zg_hex_encode(a->b, 20, hex);
    return json_string(hex);
}

json_t *zg_sv_json_u256(const zg_u256 *v)
{
    return zg_json_u256_dec(v);
}

json_t *zg_sv_json_u64(uint64_t v)
{
    char dec[24];
    snprintf(dec, sizeof dec, "%" PRIu64, v);
    return json_string(dec);
}

json_t *zg_sv_json_str(const char *s)
{
    return json_string(s ? s : "");
}

/* Serializes args (stolen); a NULL args means a failed json_pack. */
static int args_text(json_t *args, char **text, zg_err *e)
{
    if (!args)
        return zg_err_set(e, ZG_EINVAL, "cannot build the call arguments "
                          "(a string that is not valid UTF-8, or out of memory)");
    *text = json_dumps(args, JSON_COMPACT);
    json_decref(args);
    if (!*text)
        return zg_err_set(e, ZG_ENOMEM, "out of memory");
    return ZG_OK;
}

int zg_sv_view(const zg_serving *s, const char *sig, json_t *args, zg_abi_value **out, zg_err *e)
{
    char *text;
    int rc = args_text(args, &text, e);
    if (rc)
        return rc;
    rc = zg_contract_view(s->rpc, &s->address, NULL, sig, text, out, e);
    free(text);
    return rc;
}

int zg_sv_send(const zg_serving *s, const zg_eth_key *k, const zg_u256 *value, const char *sig,
               json_t *args, const zg_send_opts *opts, zg_rpc_receipt *rc_out, zg_err *e)
{
    char *text;
    int rc = args_text(args, &text, e);
    if (rc)
        return rc;
    zg_rpc_receipt local;
    zg_rpc_receipt *r = rc_out ? rc_out : &local;
    memset(r, 0, sizeof *r);
    rc = zg_contract_send(s->rpc, k, &s->address, value, sig, text, opts, r, e);
    free(text);
    if (!rc_out)
        zg_rpc_receipt_free(&local);
    return rc;
}

char *zg_sv_strdup(const zg_abi_value *v)
{
    const char *str = zg_abi_get_string(v);
    return str ? strdup(str) : NULL;
}

int zg_sv_u64(const zg_abi_value *v, uint64_t *out, zg_err *e)
{
    return zg_abi_get_u64(v, out, e);
}

/* ---- struct conversions ---- */

int zg_sv_service_from(const zg_abi_value *v, zg_service *out, zg_err *e)
{
    memset(out, 0, sizeof *out);
    if (zg_abi_count(v) != 10)
        return zg_err_set(e, ZG_EINVAL, "Service: expected 10 fields");
    uint64_t type = 0;
    int rc = zg_abi_get_address(zg_abi_at(v, 0), &out->provider, e);
    if (!rc) rc = zg_abi_get_u64(zg_abi_at(v, 2), &type, e);
    if (!rc) rc = zg_abi_get_uint(zg_abi_at(v, 6), &out->input_price, e);
    if (!rc) rc = zg_abi_get_uint(zg_abi_at(v, 7), &out->output_price, e);
    if (!rc) rc = zg_abi_get_u64(zg_abi_at(v, 9), &out->updated_at, e);
    if (rc)
        return rc;
    out->service_type = (uint8_t)type;
    out->name = zg_sv_strdup(zg_abi_at(v, 1));
    out->url = zg_sv_strdup(zg_abi_at(v, 3));
    out->model = zg_sv_strdup(zg_abi_at(v, 4));
    out->verifiability = zg_sv_strdup(zg_abi_at(v, 5));
    out->additional_properties = zg_sv_strdup(zg_abi_at(v, 8));
    if (!out->name || !out->url || !out->model || !out->verifiability || !out->additional_properties) {
        zg_service_free(out);
        return zg_err_set(e, ZG_ENOMEM, "out of memory");
    }
    return ZG_OK;
}

int zg_sv_account_from(const zg_abi_value *v, zg_account_info *out, zg_err *e)
{
    memset(out, 0, sizeof *out);
    if (zg_abi_count(v) != 9)
        return zg_err_set(e, ZG_EINVAL, "AccountInfo: expected 9 fields");
    const zg_abi_value *signer = zg_abi_at(v, 5);
    int rc = zg_abi_get_address(zg_abi_at(v, 0), &out->user, e);
    if (!rc) rc = zg_abi_get_address(zg_abi_at(v, 1), &out->provider, e);
    if (!rc) rc = zg_abi_get_uint(zg_abi_at(v, 2), &out->balance, e);
    if (!rc) rc = zg_abi_get_uint(zg_abi_at(v, 3), &out->pending_refund, e);
    if (!rc) rc = zg_abi_get_u64(zg_abi_at(v, 4), &out->nonce, e);
    if (!rc) rc = zg_abi_get_uint(zg_abi_at(signer, 0), &out->signer[0], e);
    if (!rc) rc = zg_abi_get_uint(zg_abi_at(signer, 1), &out->signer[1], e);
    if (!rc) rc = zg_abi_get_u64(zg_abi_at(v, 6), &out->refund_count, e);
    if (!rc) rc = zg_abi_get_u64(zg_abi_at(v, 7), &out->refund_head, e);
    if (!rc) rc = zg_abi_get_u64(zg_abi_at(v, 8), &out->created_at, e);
    return rc ? zg_err_wrap(e, rc, "AccountInfo") : ZG_OK;
}

int zg_sv_refund_from(const zg_abi_value *v, zg_refund *out, zg_err *e)
{
    memset(out, 0, sizeof *out);
    if (zg_abi_count(v) != 3)
        return zg_err_set(e, ZG_EINVAL, "Refund: expected 3 fields");
    int rc = zg_abi_get_uint(zg_abi_at(v, 0), &out->amount, e);
    if (!rc) rc = zg_abi_get_u64(zg_abi_at(v, 1), &out->created_at, e);
    if (!rc) rc = zg_abi_get_bool(zg_abi_at(v, 2), &out->processed, e);
    return rc ? zg_err_wrap(e, rc, "Refund") : ZG_OK;
}

int zg_sv_page(const zg_abi_value *v, const zg_sv_page_kind *kind, void **list, size_t *n,
               uint64_t *total, zg_err *e)
{
    const zg_abi_value *arr = zg_abi_at(v, 0);
    size_t count = zg_abi_count(arr);
    *list = NULL;
    *n = 0;
    int rc = zg_abi_get_u64(zg_abi_at(v, 1), total, e);
    unsigned char *out = count ? calloc(count, kind->elem_size) : NULL;
    if (!rc && count && !out)
        rc = zg_err_set(e, ZG_ENOMEM, "out of memory");
    for (size_t i = 0; !rc && i < count; i++)
        rc = kind->from(zg_abi_at(arr, i), out + i * kind->elem_size, e);
    if (rc) {
        if (out)
            kind->free_list(out, count);
        return rc;
    }
    *list = out;
    *n = count;
    return ZG_OK;
}
