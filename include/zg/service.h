/*
 * zg/service.h - the services that providers registered in the contract.
 *
 *   zg_service_entry *list; size_t n;
 *   zg_services_list(c, &(zg_service_filter){.type = "chat"}, &list, &n, &err);
 *   for (size_t i = 0; i < n; i++) printf("%s %s\n", list[i].provider, list[i].name);
 *   zg_service_list_free(list, n);
 *
 * A service is identified by (provider address, name). Prices are wei per
 * unit; the unit rule is named in additional_properties (see docs/protocol.md:
 * "byte" counts UTF-8 bytes of message content in and generated content out).
 */
#ifndef ZG_SERVICE_H
#define ZG_SERVICE_H

#include <stddef.h>
#include <stdint.h>

#include "zg/client.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct zg_service_entry {
    char provider[ZG_ADDR_MAX];
    char *name;
    char *type;                   /* "chat", "model" or "dataset" */
    char *url;                    /* the provider's public base URL */
    char *model;
    char *verifiability;          /* "none", "TeeML", ... */
    char *additional_properties;  /* JSON text, "" if none */
    char input_price[ZG_WEI_MAX];  /* wei per input unit */
    char output_price[ZG_WEI_MAX]; /* wei per output unit */
    uint64_t updated_at;          /* unix seconds */
} zg_service_entry;

/* Filter: NULL members match everything. */
typedef struct zg_service_filter {
    const char *provider;  /* address, any case */
    const char *type;      /* exact */
    const char *name;      /* exact */
    const char *model;     /* substring */
} zg_service_filter;

/* Reads every service from the contract (paging through it) and keeps those
 * matching filter (NULL: all). *out is an array of *n services the caller
 * frees with zg_service_list_free (NULL when *n is 0). ZG_ERPC, ZG_ENOMEM. */
int zg_services_list(zg_client *c, const zg_service_filter *filter, zg_service_entry **out,
                     size_t *n, zg_err *e);

/* One service. ZG_ENOTFOUND ("provider 0x.. has no service named X"), ZG_ERPC.
 * Free with zg_service_clear. */
int zg_service_get(zg_client *c, const char *provider, const char *name, zg_service_entry *out,
                   zg_err *e);

void zg_service_clear(zg_service_entry *s);
void zg_service_list_free(zg_service_entry *list, size_t n);

/* Registers or updates one of the wallet's own services (provider side).
 * Prices are decimal wei. ZG_EREVERT with the contract's reason, ZG_ERPC. */
typedef struct zg_service_spec {
    const char *name, *type, *url, *model, *verifiability, *additional_properties;
    const char *input_price, *output_price;
} zg_service_spec;
int zg_service_register(zg_client *c, const zg_service_spec *p, char tx[ZG_HASH_MAX],
                        zg_err *e);

#ifdef __cplusplus
}
#endif
#endif
