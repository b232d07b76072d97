/*
 * serving/contract_internal.h - shared pieces of the Serving bindings: the
 * ABI shapes of Serving.sol's structs and small JSON/value helpers.
 * Not installed; only src/serving/contract_*.c include it.
 */
#ifndef ZG_SERVING_CONTRACT_INTERNAL_H
#define ZG_SERVING_CONTRACT_INTERNAL_H

#include <jansson.h>

#include "eth/abi.h"
#include "eth/contract.h"
#include "serving/contract.h"

/* Tuple types of Serving.sol's structs (canonical ABI form). */
#define ZG_T_SERVICE_PARAMS "(string,uint8,string,string,string,uint256,uint256,string)"
#define ZG_T_SERVICE "(address,string,uint8,string,string,string,uint256,uint256,string,uint256)"
#define ZG_T_ACCOUNT "(address,address,uint256,uint256,uint64,uint256[2],uint256,uint256,uint256)"
#define ZG_T_REFUND "(uint128,uint64,bool)"
#define ZG_T_PROOF "(uint32,address,uint64,uint64,uint256,uint256[8])"

/* New JSON strings: "0x.." address, decimal u256. NULL on ENOMEM. */
json_t *zg_sv_json_addr(const zg_address *a);
json_t *zg_sv_json_u256(const zg_u256 *v);
json_t *zg_sv_json_u64(uint64_t v);
/* A JSON string of s (NULL -> ""); NULL if s is not valid UTF-8. */
json_t *zg_sv_json_str(const char *s);

/* Runs a view: sig with outputs, args as a JSON array (stolen, may be NULL
 * after a failed build: then ZG_ENOMEM / ZG_EINVAL). */
int zg_sv_view(const zg_serving *s, const char *sig, json_t *args, zg_abi_value **out, zg_err *e);
/* Sends a transaction: as zg_contract_send, args stolen. rc may be NULL. */
int zg_sv_send(const zg_serving *s, const zg_eth_key *k, const zg_u256 *value, const char *sig,
               json_t *args, const zg_send_opts *opts, zg_rpc_receipt *rc, zg_err *e);

/* Struct conversions from decoded values (shapes above). */
int zg_sv_service_from(const zg_abi_value *v, zg_service *out, zg_err *e);
int zg_sv_account_from(const zg_abi_value *v, zg_account_info *out, zg_err *e);
int zg_sv_refund_from(const zg_abi_value *v, zg_refund *out, zg_err *e);
/* One page of a paginated view, decoded: v is the view's (T[], uint256 total)
 * result; *list gets a new array of *n elements of elem_size bytes, each
 * filled by from(); on failure the partly filled array goes to free_list. */
typedef struct zg_sv_page_kind {
    size_t elem_size;
    int (*from)(const zg_abi_value *v, void *elem, zg_err *e);
    void (*free_list)(void *list, size_t n);
} zg_sv_page_kind;
int zg_sv_page(const zg_abi_value *v, const zg_sv_page_kind *kind, void **list, size_t *n,
               uint64_t *total, zg_err *e);
/* A malloc'ed copy of a string value (NULL on ENOMEM / not a string). */
char *zg_sv_strdup(const zg_abi_value *v);
/* uint64 that may exceed 64 bits on chain: ZG_ERANGE. */
int zg_sv_u64(const zg_abi_value *v, uint64_t *out, zg_err *e);

#endif
