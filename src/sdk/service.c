/* service.c - services from the contract (see zg/service.h). */
#include "zg/service.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "sdk/client_internal.h"

static char *dup(const char *s)
{
    return strdup(s ? s : "");
}

/* Copies a binding's service into the public struct. */
static int convert(const zg_service *in, zg_service_entry *out, zg_err *e)
{
    memset(out, 0, sizeof *out);
    zg_address_to_checksum(&in->provider, out->provider);
    out->name = dup(in->name);
    out->type = dup(zg_service_type_name(in->service_type));
    out->url = dup(in->url);
    out->model = dup(in->model);
    out->verifiability = dup(in->verifiability);
    out->additional_properties = dup(in->additional_properties);
    zg_u256_to_dec(&in->input_price, out->input_price);
    zg_u256_to_dec(&in->output_price, out->output_price);
    out->updated_at = in->updated_at;
    if (!out->name || !out->type || !out->url || !out->model || !out->verifiability ||
        !out->additional_properties) {
        zg_service_clear(out);
        return zg_err_set(e, ZG_ENOMEM, "out of memory");
    }
    return ZG_OK;
}

static int matches(const zg_service_entry *s, const zg_service_filter *f)
{
    if (!f)
        return 1;
    if (f->provider && strcasecmp(f->provider, s->provider) != 0)
        return 0;
    if (f->type && strcmp(f->type, s->type) != 0)
        return 0;
    if (f->name && strcmp(f->name, s->name) != 0)
        return 0;
    return !f->model || strstr(s->model, f->model) != NULL;
}

/* Appends the matching services of one page to *out. */
static int take_page(zg_service *page, size_t k, const zg_service_filter *f, zg_service_entry **out,
                     size_t *n, zg_err *e)
{
    for (size_t i = 0; i < k; i++) {
        zg_service_entry s;
        int rc = convert(&page[i], &s, e);
        if (rc)
            return rc;
        if (!matches(&s, f)) {
            zg_service_clear(&s);
            continue;
        }
        zg_service_entry *grown = realloc(*out, (*n + 1) * sizeof **out);
        if (!grown) {
            zg_service_clear(&s);
            return zg_err_set(e, ZG_ENOMEM, "out of memory");
        }
        *out = grown;
        (*out)[(*n)++] = s;
    }
    return ZG_OK;
}

int zg_services_list(zg_client *c, const zg_service_filter *f, zg_service_entry **out, size_t *n,
                     zg_err *e)
{
    *out = NULL;
    *n = 0;
    uint64_t offset = 0, total = 1;
    int rc = ZG_OK;
    if (f && f->provider) {
        zg_address a;
        if ((rc = zg_address_parse(f->provider, &a, e)))
            return zg_err_wrap(e, rc, "provider filter");
    }
    while (!rc && offset < total) {
        zg_service *page = NULL;
        size_t k = 0;
        zg_sdk_rpc_lock(c);
        rc = zg_serving_get_services(&c->serving, offset, ZG_SERVING_MAX_PAGE, &page, &k, &total, e);
        zg_sdk_rpc_unlock(c);
        if (!rc)
            rc = take_page(page, k, f, out, n, e);
        zg_services_free(page, k);
        if (!k)
            break;
        offset += k;
    }
    if (rc) {
        zg_service_list_free(*out, *n);
        *out = NULL;
        *n = 0;
    }
    return rc;
}

int zg_service_get(zg_client *c, const char *provider, const char *name, zg_service_entry *out,
                   zg_err *e)
{
    memset(out, 0, sizeof *out);
    zg_address p;
    int rc = zg_address_parse(provider, &p, e), exists = 0;
    if (rc)
        return zg_err_wrap(e, rc, "provider address");
    zg_service s;
    memset(&s, 0, sizeof s);
    zg_sdk_rpc_lock(c);
    rc = zg_serving_service_exists(&c->serving, &p, name, &exists, e);
    if (!rc && exists)
        rc = zg_serving_get_service(&c->serving, &p, name, &s, e);
    zg_sdk_rpc_unlock(c);
    if (!rc && !exists)
        return zg_err_set(e, ZG_ENOTFOUND, "provider %s has no service named \"%s\" (see `zg services`)",
                          provider, name);
    if (!rc)
        rc = convert(&s, out, e);
    zg_service_free(&s);
    return rc;
}

int zg_sdk_provider_known(zg_client *c, const zg_address *provider, zg_err *e)
{
    char addr[ZG_ADDR_MAX];
    zg_address_to_checksum(provider, addr);
    zg_service_filter f = {.provider = addr};
    zg_service_entry *list;
    size_t n;
    int rc = zg_services_list(c, &f, &list, &n, e);
    zg_service_list_free(list, n);
    if (!rc && !n)
        rc = zg_err_set(e, ZG_ENOTFOUND, "provider %s has no service registered in the contract %s "
                        "(unknown provider? see `zg services`)", addr, c->contract);
    return rc;
}

void zg_service_clear(zg_service_entry *s)
{
    if (!s)
        return;
    free(s->name);
    free(s->type);
    free(s->url);
    free(s->model);
    free(s->verifiability);
    free(s->additional_properties);
    memset(s, 0, sizeof *s);
}

void zg_service_list_free(zg_service_entry *list, size_t n)
{
    for (size_t i = 0; i < n; i++)
        zg_service_clear(&list[i]);
    free(list);
}

int zg_service_register(zg_client *c, const zg_service_spec *p, char tx[ZG_HASH_MAX], zg_err *e)
{
    int rc = zg_sdk_need_wallet(c, e);
    zg_service_params sp;
    memset(&sp, 0, sizeof sp);
    if (!rc)
        rc = zg_service_type_parse(p->type ? p->type : "chat", &sp.service_type, e);
    if (!rc && (rc = zg_u256_from_dec(&sp.input_price, p->input_price, e)))
        zg_err_wrap(e, rc, "input price");
    if (!rc && (rc = zg_u256_from_dec(&sp.output_price, p->output_price, e)))
        zg_err_wrap(e, rc, "output price");
    if (rc)
        return rc;
    sp.name = p->name;
    sp.url = p->url;
    sp.model = p->model;
    sp.verifiability = p->verifiability ? p->verifiability : "none";
    sp.additional_properties = p->additional_properties ? p->additional_properties : "";
    zg_rpc_receipt r;
    memset(&r, 0, sizeof r);
    zg_sdk_rpc_lock(c);
    rc = zg_serving_add_or_update_service(&c->serving, &c->key, &sp, NULL, &r, e);
    zg_sdk_rpc_unlock(c);
    if (!rc)
        zg_sdk_tx_hex(&r, tx);
    zg_rpc_receipt_free(&r);
    return rc;
}
