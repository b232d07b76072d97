/* pending.c - SDK calls whose building blocks (JSON-RPC client, contract
 * bindings, receipt signing) have not landed yet: each fails cleanly with
 * ZG_EINTERNAL naming what is missing. Replaced file by file as they land. */
#include <string.h>

#include "sdk/client_internal.h"
#include "zg/account.h"
#include "zg/service.h"

#define MISSING(what) zg_err_set(e, ZG_EINTERNAL, "not available in this build yet: %s", what)


int zg_services_list(zg_client *c, const zg_service_filter *filter, zg_service **out, size_t *n,
                     zg_err *e)
{
    *out = NULL;
    *n = 0;
    return MISSING("contract bindings");
}

int zg_service_get(zg_client *c, const char *provider, const char *name, zg_service *out, zg_err *e)
{
    memset(out, 0, sizeof *out);
    return MISSING("contract bindings");
}

void zg_service_clear(zg_service *s) { (void)s; }
void zg_services_free(zg_service *list, size_t n) { (void)list; (void)n; }

int zg_service_register(zg_client *c, const zg_service_params *p, char tx[ZG_HASH_MAX], zg_err *e)
{
    return MISSING("contract bindings");
}

int zg_account_create(zg_client *c, const char *provider, const char *deposit_wei,
                      char tx[ZG_HASH_MAX], zg_err *e) { return MISSING("contract bindings"); }
int zg_account_deposit(zg_client *c, const char *provider, const char *amount_wei,
                       char tx[ZG_HASH_MAX], zg_err *e) { return MISSING("contract bindings"); }
int zg_account_get(zg_client *c, const char *user, const char *provider, zg_account_info *out,
                   zg_err *e) { return MISSING("contract bindings"); }
int zg_account_list(zg_client *c, zg_account_info *out, size_t max, size_t *n, zg_err *e)
{
    *n = 0;
    return MISSING("contract bindings");
}
int zg_account_refund_request(zg_client *c, const char *provider, const char *amount_wei,
                              char tx[ZG_HASH_MAX], zg_err *e) { return MISSING("contract bindings"); }
int zg_account_refund_process(zg_client *c, const char *provider, char tx[ZG_HASH_MAX], zg_err *e)
{
    return MISSING("contract bindings");
}
