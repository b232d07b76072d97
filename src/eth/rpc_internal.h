/*
 * eth/rpc_internal.h - the zg_rpc struct and helpers shared by rpc_*.c and
 * sender.c; not an API.
 */
#ifndef ZG_ETH_RPC_INTERNAL_H
#define ZG_ETH_RPC_INTERNAL_H

#include <curl/curl.h>

#include "eth/rpc.h"

struct zg_rpc {
    CURL *curl;
    struct curl_slist *headers;
    char *url;
    char where[160];            /* scheme://host:port, for messages */
    long connect_ms, total_ms;
    uint64_t next_id;
    const char *const *err_sigs;
    size_t n_err_sigs;
    zg_buf last_revert;
};

/* A JSON-RPC quantity ("0x1a") as u64 / u256; `what` names it in errors. */
int zg_rpc_quantity_u64_(const json_t *v, const char *what, uint64_t *out, zg_err *e);
int zg_rpc_quantity_u256_(const json_t *v, const char *what, zg_u256 *out, zg_err *e);

/* "0x..." data into out (appended); `what` names it in errors. */
int zg_rpc_data_(const json_t *v, const char *what, zg_buf *out, zg_err *e);

/* Exactly n bytes of "0x..." data (hashes, addresses). */
int zg_rpc_fixed_(const json_t *v, const char *what, uint8_t *out, size_t n, zg_err *e);

/* New JSON string "0x..." of bytes; NULL on ENOMEM. */
json_t *zg_rpc_hex_json_(const uint8_t *p, size_t n);

#endif
