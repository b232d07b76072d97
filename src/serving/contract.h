/*
 * serving/contract.h - typed C bindings of the Serving contract
 * (contracts/src/Serving.sol; reference: docs/contract.md).
 *
 * Every external function, view, event and custom error of the contract has a
 * C counterpart here, written by hand against the ABI forge emits
 * (contracts/out/Serving.sol/Serving.json) on top of eth/contract.h (ABI,
 * JSON-RPC, transaction sender). Files by concern:
 *   contract_abi.c      signatures (functions, events, errors), the handle
 *   contract_service.c  service registry: add/update, remove, views
 *   contract_account.c  accounts and refunds: transactions and views
 *   contract_settle.c   settleFees
 *   contract_event.c    event decoding and log queries
 *   contract_error.c    custom errors: typed codes from revert data
 *   deploy*.c           deployment from forge artefacts (serving/deploy.h)
 *
 * Conventions:
 * - A zg_serving is a borrowed RPC client plus the contract address; it is
 *   plain data (no allocation). zg_serving_init registers the contract's error
 *   signatures on the client, so reverts read "AccountNotFound(0x.., 0x..)".
 * - Transactions take the sender's key, optional send options (NULL: estimate
 *   gas, suggested fees) and an optional receipt (NULL: not kept). ZG_OK means
 *   mined with status 1. ZG_EREVERT: refused by the contract (nothing changed;
 *   zg_serving_last_error tells which error); see eth/sender.h for the rest.
 * - Views run eth_call at "latest". A view that reverts (e.g. getAccount of a
 *   missing account) returns ZG_EREVERT; zg_serving_account_exists and friends
 *   ask without reverting.
 * - Amounts and prices are wei (zg_u256); times are Unix seconds.
 * - Strings returned in structs are malloc'ed and freed by the *_free functions.
 */
#ifndef ZG_SERVING_CONTRACT_H
#define ZG_SERVING_CONTRACT_H

#include <stddef.h>
#include <stdint.h>

#include "base/u256.h"
#include "eth/key.h"
#include "eth/rpc.h"
#include "eth/sender.h"
#include "zg/error.h"

/* serviceType values. */
#define ZG_SERVICE_CHAT 0
#define ZG_SERVICE_MODEL 1
#define ZG_SERVICE_DATASET 2

/* Contract limits (Serving.sol constants). */
#define ZG_SERVING_MAX_PAGE 100
#define ZG_SERVING_MAX_PENDING_REFUNDS 16
#define ZG_SERVING_MAX_NAME 64
#define ZG_SERVING_MAX_URL 512
#define ZG_SERVING_MAX_MODEL 256
#define ZG_SERVING_MAX_VERIFIABILITY 64
#define ZG_SERVING_MAX_PROPERTIES 4096

typedef struct zg_serving {
    zg_rpc *rpc;          /* borrowed */
    zg_address address;   /* the Serving contract */
} zg_serving;

/* Fills s and registers the contract's error signatures on rpc. */
void zg_serving_init(zg_serving *s, zg_rpc *rpc, const zg_address *address);

/* ------------------------------------------------------------ services */

/* Serving.ServiceParams: what addOrUpdateService takes. Strings are borrowed
 * (NULL counts as ""). */
typedef struct zg_service_params {
    const char *name;
    uint8_t service_type;                 /* ZG_SERVICE_* */
    const char *url;
    const char *model;
    const char *verifiability;            /* "none", "TeeML", ... */
    zg_u256 input_price, output_price;    /* wei per unit */
    const char *additional_properties;    /* JSON text, e.g. {"unit":"byte"} */
} zg_service_params;

/* Serving.Service as the views return it (strings owned). */
typedef struct zg_service {
    zg_address provider;
    char *name;
    uint8_t service_type;
    char *url;
    char *model;
    char *verifiability;
    zg_u256 input_price, output_price;
    char *additional_properties;
    uint64_t updated_at;
} zg_service;

void zg_service_free(zg_service *s);                 /* frees the strings */
void zg_services_free(zg_service *list, size_t n);   /* frees the strings and list */

/* "chat", "model", "dataset", or NULL for another value. */
const char *zg_service_type_name(uint8_t type);
/* The inverse; ZG_EINVAL with the accepted names. */
int zg_service_type_parse(const char *name, uint8_t *out, zg_err *e);

/* addOrUpdateService(ServiceParams) from key k (the provider). */
int zg_serving_add_or_update_service(const zg_serving *s, const zg_eth_key *k,
                                     const zg_service_params *p, const zg_send_opts *opts,
                                     zg_rpc_receipt *rc, zg_err *e);
/* removeService(string). */
int zg_serving_remove_service(const zg_serving *s, const zg_eth_key *k, const char *name,
                              const zg_send_opts *opts, zg_rpc_receipt *rc, zg_err *e);

/* getService(provider, name): ZG_EREVERT (ServiceNotFound) when missing. */
int zg_serving_get_service(const zg_serving *s, const zg_address *provider, const char *name,
                           zg_service *out, zg_err *e);
/* serviceExists(provider, name) -> *exists 0/1. */
int zg_serving_service_exists(const zg_serving *s, const zg_address *provider, const char *name,
                              int *exists, zg_err *e);
/* serviceCount(). */
int zg_serving_service_count(const zg_serving *s, uint64_t *count, zg_err *e);
/* getServices(offset, limit): *list (n entries, free with zg_services_free)
 * and the total count. limit is capped at ZG_SERVING_MAX_PAGE by the contract. */
int zg_serving_get_services(const zg_serving *s, uint64_t offset, uint64_t limit,
                            zg_service **list, size_t *n, uint64_t *total, zg_err *e);

/* ------------------------------------------------------------ accounts */

/* Serving.AccountInfo. */
typedef struct zg_account_info {
    zg_address user, provider;
    zg_u256 balance;          /* pending refunds included */
    zg_u256 pending_refund;
    uint64_t nonce;           /* last settled receipt nonce */
    zg_u256 signer[2];        /* Baby Jubjub public key (x, y) */
    uint64_t refund_count;    /* refunds 0 .. refund_count-1 */
    uint64_t refund_head;     /* refunds below this index are processed */
    uint64_t created_at;
} zg_account_info;

/* Serving.Refund. */
typedef struct zg_refund {
    zg_u256 amount;           /* shrinks when a settlement draws from it */
    uint64_t created_at;      /* matures at created_at + lockTime */
    int processed;
} zg_refund;

/* addAccount(provider, signer) with value as the first deposit (NULL: 0). */
int zg_serving_add_account(const zg_serving *s, const zg_eth_key *k, const zg_address *provider,
                           const zg_u256 signer[2], const zg_u256 *value,
                           const zg_send_opts *opts, zg_rpc_receipt *rc, zg_err *e);
/* depositFund(provider) with value (> 0). */
int zg_serving_deposit_fund(const zg_serving *s, const zg_eth_key *k, const zg_address *provider,
                            const zg_u256 *value, const zg_send_opts *opts, zg_rpc_receipt *rc,
                            zg_err *e);
/* requestRefund(provider, amount). */
int zg_serving_request_refund(const zg_serving *s, const zg_eth_key *k, const zg_address *provider,
                              const zg_u256 *amount, const zg_send_opts *opts, zg_rpc_receipt *rc,
                              zg_err *e);
/* processRefund(provider): pays out every matured refund. */
int zg_serving_process_refund(const zg_serving *s, const zg_eth_key *k, const zg_address *provider,
                              const zg_send_opts *opts, zg_rpc_receipt *rc, zg_err *e);
/* deleteAccount(provider): only with balance 0. */
int zg_serving_delete_account(const zg_serving *s, const zg_eth_key *k, const zg_address *provider,
                              const zg_send_opts *opts, zg_rpc_receipt *rc, zg_err *e);

/* getAccount(user, provider): ZG_EREVERT (AccountNotFound) when missing. */
int zg_serving_get_account(const zg_serving *s, const zg_address *user, const zg_address *provider,
                           zg_account_info *out, zg_err *e);
/* accountExists(user, provider). */
int zg_serving_account_exists(const zg_serving *s, const zg_address *user,
                              const zg_address *provider, int *exists, zg_err *e);
/* settledNonce(user, provider): also after deleteAccount. */
int zg_serving_settled_nonce(const zg_serving *s, const zg_address *user,
                             const zg_address *provider, uint64_t *nonce, zg_err *e);
/* getAccountsOfUser / getAccountsOfProvider(who, offset, limit): *list is
 * malloc'ed (free()), n entries; *total is the full count. */
int zg_serving_get_accounts_of_user(const zg_serving *s, const zg_address *user, uint64_t offset,
                                    uint64_t limit, zg_account_info **list, size_t *n,
                                    uint64_t *total, zg_err *e);
int zg_serving_get_accounts_of_provider(const zg_serving *s, const zg_address *provider,
                                        uint64_t offset, uint64_t limit, zg_account_info **list,
                                        size_t *n, uint64_t *total, zg_err *e);
/* getRefunds(user, provider, offset, limit): *list malloc'ed (free()). */
int zg_serving_get_refunds(const zg_serving *s, const zg_address *user, const zg_address *provider,
                           uint64_t offset, uint64_t limit, zg_refund **list, size_t *n,
                           uint64_t *total, zg_err *e);

/* ---------------------------------------------------- contract settings */

/* lockTime(). */
int zg_serving_lock_time(const zg_serving *s, uint64_t *out, zg_err *e);
/* circuitSizes(): *sizes malloc'ed (free()), n entries. */
int zg_serving_circuit_sizes(const zg_serving *s, uint32_t **sizes, size_t *n, zg_err *e);
/* verifierOf(slots): the zero address for an unknown size. */
int zg_serving_verifier_of(const zg_serving *s, uint32_t slots, zg_address *out, zg_err *e);
/* serviceKey(provider, name) / accountKey(user, provider), computed locally
 * exactly as the contract does (keccak256(abi.encode(...))). */
int zg_serving_service_key(const zg_address *provider, const char *name, uint8_t out[32], zg_err *e);
int zg_serving_account_key(const zg_address *user, const zg_address *provider, uint8_t out[32]);

/* ----------------------------------------------------------- settlement */

/* Serving.SettlementProof. The contract builds the public inputs itself from
 * msg.sender (the provider), the account's signer and these fields. */
typedef struct zg_settlement_proof {
    uint32_t slots;              /* circuit size: selects the verifier */
    zg_address user;
    uint64_t first_nonce, last_nonce;
    zg_u256 total;               /* < 2^128 */
    uint8_t proof[256];          /* uint256[8], EIP-197 order, big-endian words */
} zg_settlement_proof;

/* settleFees(proofs[0..n)) from the provider's key: all or nothing. */
int zg_serving_settle_fees(const zg_serving *s, const zg_eth_key *k,
                           const zg_settlement_proof *proofs, size_t n,
                           const zg_send_opts *opts, zg_rpc_receipt *rc, zg_err *e);

/* The 5 public inputs the contract will build for proof p settled by
 * provider with the account's signer (agreed layout: in0 = user |
 * firstNonce << 160, in1 = provider | lastNonce << 160, in2 = total,
 * in3/in4 = signer). For provers and tests. */
void zg_serving_public_inputs(const zg_settlement_proof *p, const zg_address *provider,
                              const zg_u256 signer[2], zg_u256 out[5]);

/* --------------------------------------------------------------- events */

typedef enum zg_serving_event_kind {
    ZG_EV_SERVICE_UPDATED = 1,
    ZG_EV_SERVICE_REMOVED,
    ZG_EV_ACCOUNT_CREATED,
    ZG_EV_DEPOSITED,
    ZG_EV_REFUND_REQUESTED,
    ZG_EV_REFUND_PROCESSED,
    ZG_EV_REFUND_DRAWN,
    ZG_EV_ACCOUNT_DELETED,
    ZG_EV_FEES_SETTLED
} zg_serving_event_kind;

/* One decoded event. Fields not used by a kind are zero. */
typedef struct zg_serving_event {
    zg_serving_event_kind kind;
    uint64_t block_number, log_index;
    uint8_t tx_hash[32];
    zg_address user;             /* account events */
    zg_address provider;         /* every event */
    zg_service service;          /* ServiceUpdated (all fields), ServiceRemoved (name) */
    zg_u256 amount;              /* Deposited, RefundRequested/Processed, RefundDrawn (drawn), FeesSettled (total) */
    zg_u256 balance;             /* AccountCreated, Deposited, FeesSettled: the balance after */
    zg_u256 remaining;           /* RefundDrawn: what is left of the refund */
    zg_u256 pending_refund;      /* FeesSettled: pendingRefund after */
    zg_u256 signer[2];           /* AccountCreated */
    uint64_t index;              /* refund index (Refund* events) */
    uint64_t time;               /* ServiceUpdated: updatedAt; RefundRequested: createdAt */
    uint64_t nonce;              /* AccountCreated, AccountDeleted: the account nonce */
    uint64_t first_nonce, last_nonce; /* FeesSettled */
} zg_serving_event;

void zg_serving_event_free(zg_serving_event *ev);
void zg_serving_events_free(zg_serving_event *evs, size_t n);
const char *zg_serving_event_name(zg_serving_event_kind kind);

/* Decodes one log. ZG_ENOTFOUND (no message) if it is not a Serving event
 * (another topic or emitted by another address when s is not NULL). */
int zg_serving_decode_log(const zg_serving *s, const zg_rpc_log *log, zg_serving_event *out,
                          zg_err *e);

/* Every Serving event in blocks [from_block, to_block] (to_block 0: latest),
 * optionally only of one kind (0: all) and of one user and/or provider
 * (NULL: any). *evs malloc'ed: free with zg_serving_events_free. */
int zg_serving_get_events(const zg_serving *s, uint64_t from_block, uint64_t to_block,
                          zg_serving_event_kind kind, const zg_address *user,
                          const zg_address *provider, zg_serving_event **evs, size_t *n,
                          zg_err *e);

/* Decodes the Serving events of a receipt (logs of other contracts skipped). */
int zg_serving_receipt_events(const zg_serving *s, const zg_rpc_receipt *rc,
                              zg_serving_event **evs, size_t *n, zg_err *e);

/* --------------------------------------------------------------- errors */

typedef enum zg_serving_error {
    ZG_SE_NONE = 0,              /* no revert data, or not a Serving error */
    ZG_SE_INVALID_LOCK_TIME,
    ZG_SE_NO_VERIFIERS,
    ZG_SE_LENGTH_MISMATCH,
    ZG_SE_INVALID_CIRCUIT_SIZE,
    ZG_SE_DUPLICATE_CIRCUIT_SIZE,
    ZG_SE_VERIFIER_NOT_CONTRACT,
    ZG_SE_EMPTY_SERVICE_NAME,
    ZG_SE_FIELD_TOO_LONG,
    ZG_SE_INVALID_SERVICE_TYPE,
    ZG_SE_SERVICE_NOT_FOUND,
    ZG_SE_INVALID_PROVIDER,
    ZG_SE_ACCOUNT_EXISTS,
    ZG_SE_ACCOUNT_NOT_FOUND,
    ZG_SE_INVALID_SIGNER,
    ZG_SE_ZERO_DEPOSIT,
    ZG_SE_INVALID_REFUND_AMOUNT,
    ZG_SE_TOO_MANY_PENDING_REFUNDS,
    ZG_SE_NO_REFUND_DUE,
    ZG_SE_ACCOUNT_NOT_EMPTY,
    ZG_SE_EMPTY_SETTLEMENT,
    ZG_SE_UNKNOWN_CIRCUIT_SIZE,
    ZG_SE_NONCE_NOT_ABOVE,
    ZG_SE_BAD_NONCE_RANGE,
    ZG_SE_TOTAL_TOO_LARGE,
    ZG_SE_INSUFFICIENT_BALANCE,
    ZG_SE_INVALID_PROOF,
    ZG_SE_TRANSFER_FAILED,
    ZG_SE_REENTRANCY,
    ZG_SE_COUNT
} zg_serving_error;

/* The error signatures of Serving.sol, in zg_serving_error order (index
 * code - 1), e.g. "AccountNotFound(address user, address provider)". */
extern const char *const zg_serving_error_sigs[ZG_SE_COUNT - 1];

/* Which Serving error revert data holds (ZG_SE_NONE if none). */
zg_serving_error zg_serving_error_from_revert(const uint8_t *data, size_t len);
/* The error of the last ZG_EREVERT on s->rpc. */
zg_serving_error zg_serving_last_error(const zg_serving *s);
/* "AccountNotFound", ... ("" for ZG_SE_NONE). */
const char *zg_serving_error_name(zg_serving_error code);

#endif
