/* contract_service.c - the service registry of Serving.sol (see contract.h). */
#include <stdlib.h>
#include <string.h>

#include "eth/keccak.h"
#include "serving/contract_internal.h"

static const char *const type_names[] = {"chat", "model", "dataset"};

const char *zg_service_type_name(uint8_t type)
{
    return type < 3 ? type_names[type] : NULL;
}

int zg_service_type_parse(const char *name, uint8_t *out, zg_err *e)
{
    for (uint8_t i = 0; i < 3; i++) {
        if (name && strcmp(name, type_names[i]) == 0) {
            *out = i;
            return ZG_OK;
        }
    }
    return zg_err_set(e, ZG_EINVAL, "service type \"%s\": expected chat, model or dataset",
                      name ? name : "");
}

void zg_service_free(zg_service *s)
{
    if (!s)
        return;
    free(s->name);
    free(s->url);
    free(s->model);
    free(s->verifiability);
    free(s->additional_properties);
    s->name = s->url = s->model = s->verifiability = s->additional_properties = NULL;
}

void zg_services_free(zg_service *list, size_t n)
{
    for (size_t i = 0; list && i < n; i++)
        zg_service_free(&list[i]);
    free(list);
}

int zg_serving_add_or_update_service(const zg_serving *s, const zg_eth_key *k,
                                     const zg_service_params *p, const zg_send_opts *opts,
                                     zg_rpc_receipt *rc, zg_err *e)
{
    if (!p->name || !*p->name)
        return zg_err_set(e, ZG_EINVAL, "service name is empty");
    if (p->service_type > ZG_SERVICE_DATASET)
        return zg_err_set(e, ZG_EINVAL, "service type %u: expected 0 chat, 1 model or 2 dataset",
                          (unsigned)p->service_type);
    json_t *tuple = json_pack("[o,I,o,o,o,o,o,o]", zg_sv_json_str(p->name), (json_int_t)p->service_type,
                              zg_sv_json_str(p->url), zg_sv_json_str(p->model),
                              zg_sv_json_str(p->verifiability), zg_sv_json_u256(&p->input_price),
                              zg_sv_json_u256(&p->output_price),
                              zg_sv_json_str(p->additional_properties));
    json_t *args = tuple ? json_pack("[o]", tuple) : NULL;
    return zg_sv_send(s, k, NULL, "addOrUpdateService(" ZG_T_SERVICE_PARAMS ")", args, opts, rc, e);
}

int zg_serving_remove_service(const zg_serving *s, const zg_eth_key *k, const char *name,
                              const zg_send_opts *opts, zg_rpc_receipt *rc, zg_err *e)
{
    return zg_sv_send(s, k, NULL, "removeService(string)", json_pack("[o]", zg_sv_json_str(name)),
                      opts, rc, e);
}

int zg_serving_get_service(const zg_serving *s, const zg_address *provider, const char *name,
                           zg_service *out, zg_err *e)
{
    zg_abi_value *v = NULL;
    memset(out, 0, sizeof *out);
    int rc = zg_sv_view(s, "getService(address,string)(" ZG_T_SERVICE ")",
                        json_pack("[o,o]", zg_sv_json_addr(provider), zg_sv_json_str(name)), &v, e);
    if (!rc)
        rc = zg_sv_service_from(zg_abi_at(v, 0), out, e);
    zg_abi_value_free(v);
    return rc;
}

int zg_serving_service_exists(const zg_serving *s, const zg_address *provider, const char *name,
                              int *exists, zg_err *e)
{
    zg_abi_value *v = NULL;
    int rc = zg_sv_view(s, "serviceExists(address,string)(bool)",
                        json_pack("[o,o]", zg_sv_json_addr(provider), zg_sv_json_str(name)), &v, e);
    if (!rc)
        rc = zg_abi_get_bool(zg_abi_at(v, 0), exists, e);
    zg_abi_value_free(v);
    return rc;
}

int zg_serving_service_count(const zg_serving *s, uint64_t *count, zg_err *e)
{
    zg_abi_value *v = NULL;
    int rc = zg_sv_view(s, "serviceCount()(uint256)", json_array(), &v, e);
    if (!rc)
        rc = zg_abi_get_u64(zg_abi_at(v, 0), count, e);
    zg_abi_value_free(v);
    return rc;
}

static int service_from(const zg_abi_value *v, void *elem, zg_err *e)
{
    return zg_sv_service_from(v, elem, e);
}

static void services_free(void *list, size_t n)
{
    zg_services_free(list, n);
}

static const zg_sv_page_kind service_kind = {sizeof(zg_service), service_from, services_free};

int zg_serving_get_services(const zg_serving *s, uint64_t offset, uint64_t limit,
                            zg_service **list, size_t *n, uint64_t *total, zg_err *e)
{
    zg_abi_value *v = NULL;
    *list = NULL;
    *n = 0;
    int rc = zg_sv_view(s, "getServices(uint256,uint256)(" ZG_T_SERVICE "[],uint256)",
                        json_pack("[o,o]", zg_sv_json_u64(offset), zg_sv_json_u64(limit)), &v, e);
    if (rc)
        return rc;
    void *page = NULL;
    rc = zg_sv_page(v, &service_kind, &page, n, total, e);
    zg_abi_value_free(v);
    *list = page;
    return rc;
}

int zg_serving_service_key(const zg_address *provider, const char *name, uint8_t out[32], zg_err *e)
{
    /* keccak256(abi.encode(provider, name)): the contract's serviceKey. */
    zg_abi_type *t = NULL;
    zg_abi_value *v = NULL;
    zg_buf b;
    zg_buf_init(&b);
    int rc = zg_abi_type_parse("(address,string)", &t, e);
    if (!rc && !(v = zg_abi_value_new(t)))
        rc = zg_err_set(e, ZG_ENOMEM, "out of memory");
    if (!rc) rc = zg_abi_set_address(zg_abi_at(v, 0), provider, e);
    if (!rc) rc = zg_abi_set_string(zg_abi_at(v, 1), name ? name : "", e);
    if (!rc) rc = zg_abi_encode(v, &b, e);
    if (!rc)
        zg_keccak256(b.data, b.len, out);
    zg_buf_free(&b);
    zg_abi_value_free(v);
    zg_abi_type_free(t);
    return rc;
}

int zg_serving_account_key(const zg_address *user, const zg_address *provider, uint8_t out[32])
{
    /* keccak256(abi.encode(user, provider)): two left-padded words. */
    uint8_t w[64] = {0};
    memcpy(w + 12, user->b, 20);
    memcpy(w + 44, provider->b, 20);
    zg_keccak256(w, sizeof w, out);
    return ZG_OK;
}
