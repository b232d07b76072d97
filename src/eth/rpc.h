/*
 * eth/rpc.h - Ethereum JSON-RPC client over HTTP (libcurl + jansson).
 *
 * One zg_rpc per thread: it keeps a curl handle (connection reuse) and a
 * request id counter. Multi-threaded programs call
 * curl_global_init(CURL_GLOBAL_DEFAULT) once in main() before any thread
 * creates a client (libcurl's rule; single-threaded ones need not). Calls are synchronous and bounded: a connect timeout
 * (default 5 s) and a total timeout per request (default 30 s), so an
 * endpoint that never answers cannot hang the caller.
 *
 * Errors (code, then what the message says):
 *   ZG_ETIMEOUT  the endpoint did not answer in time / receipt wait expired
 *   ZG_ERPC      connection refused or failed, HTTP status other than 200,
 *                an answer that is not JSON-RPC, or a JSON-RPC error object
 *                ("RPC eth_foo: error -32601: method not found")
 *   ZG_EREVERT   the node reports a revert (eth_call, eth_estimateGas,
 *                eth_sendRawTransaction): the message carries the decoded
 *                reason, e.g. "eth_call reverted: InsufficientBalance(1, 2)";
 *                the raw revert data stays readable with zg_rpc_last_revert
 *   ZG_EFUNDS    the node says "insufficient funds" (gas * fee + value)
 *   ZG_ESTATE    a nonce conflict: "nonce too low/high", "already known",
 *                "replacement transaction underpriced" (resend with a fresh nonce)
 *   ZG_EINVAL    a malformed field in an otherwise valid answer
 * Messages name the endpoint by scheme://host:port only (URLs often carry
 * API keys in their path or query).
 *
 * Custom errors: zg_rpc_set_errors gives the client a list of error
 * signatures ("InsufficientBalance(uint256,uint256)", ...) used to decode
 * revert data; Error(string) and Panic(uint256) are always known.
 */
#ifndef ZG_ETH_RPC_H
#define ZG_ETH_RPC_H

#include <jansson.h>
#include <stddef.h>
#include <stdint.h>

#include "base/buf.h"
#include "base/u256.h"
#include "eth/key.h"
#include "zg/error.h"

typedef struct zg_rpc zg_rpc;

/* A client for url ("http://127.0.0.1:8545"). ZG_EINVAL, ZG_ENOMEM. */
int zg_rpc_new(const char *url, zg_rpc **out, zg_err *e);
void zg_rpc_free(zg_rpc *r);

/* Timeouts in milliseconds (> 0). total bounds a whole request. */
void zg_rpc_set_timeouts(zg_rpc *r, long connect_ms, long total_ms);

/* Error signatures used to decode reverts. The strings are borrowed: they
 * must outlive the client (string literals are typical). */
void zg_rpc_set_errors(zg_rpc *r, const char *const *sigs, size_t n);

/* Revert data of the last call that returned ZG_EREVERT (empty otherwise);
 * valid until the next call on r. */
const uint8_t *zg_rpc_last_revert(const zg_rpc *r, size_t *len);

/* ---- generic calls ---- */

/* Calls method with params given as JSON text ("[]", "[\"0x1\", true]", or
 * NULL for []). *result is a new reference to the "result" member (may be
 * JSON null); caller json_decref's it. */
int zg_rpc_call(zg_rpc *r, const char *method, const char *params_json,
                json_t **result, zg_err *e);

/* Same with params as a JSON array (borrowed, not consumed). */
int zg_rpc_call_json(zg_rpc *r, const char *method, json_t *params,
                     json_t **result, zg_err *e);

/* ---- chain state ---- */

int zg_rpc_chain_id(zg_rpc *r, uint64_t *out, zg_err *e);
int zg_rpc_block_number(zg_rpc *r, uint64_t *out, zg_err *e);
/* Balance at "latest". */
int zg_rpc_balance(zg_rpc *r, const zg_address *a, zg_u256 *out, zg_err *e);
/* Transaction count at "pending": the next nonce to use. */
int zg_rpc_nonce(zg_rpc *r, const zg_address *a, uint64_t *out, zg_err *e);
/* Code at "latest" (empty for an account without code), appended to out. */
int zg_rpc_code(zg_rpc *r, const zg_address *a, zg_buf *out, zg_err *e);

typedef struct zg_rpc_block {
    uint64_t number;
    uint64_t timestamp;  /* seconds */
    zg_u256 base_fee;    /* 0 before London */
    int has_base_fee;    /* 0: a pre-London chain (no EIP-1559) */
    uint64_t gas_limit;
} zg_rpc_block;

/* A block by tag ("latest", "pending", "earliest", "0x1b4"); NULL = latest.
 * ZG_ENOTFOUND if the node has no such block. */
int zg_rpc_get_block(zg_rpc *r, const char *tag, zg_rpc_block *out, zg_err *e);

/* ---- calls and transactions ---- */

/* A message for eth_call / eth_estimateGas. NULL / 0 fields are omitted. */
typedef struct zg_rpc_msg {
    const zg_address *from;
    const zg_address *to;    /* NULL: contract creation */
    const uint8_t *data;
    size_t data_len;
    const zg_u256 *value;
    uint64_t gas;
} zg_rpc_msg;

/* eth_call at block tag (NULL = "latest"); return data appended to out.
 * ZG_EREVERT with the decoded reason. */
int zg_rpc_eth_call(zg_rpc *r, const zg_rpc_msg *m, const char *tag, zg_buf *out,
                    zg_err *e);

/* eth_estimateGas. ZG_EREVERT with the decoded reason. */
int zg_rpc_estimate_gas(zg_rpc *r, const zg_rpc_msg *m, uint64_t *gas, zg_err *e);

/* EIP-1559 fee suggestion: priority = eth_maxPriorityFeePerGas (1 gwei if
 * the node lacks it), max_fee = 2 * latest base fee + priority (room for
 * six full blocks of base fee growth at 12.5% each). ZG_ESTATE on a chain
 * without base fee (pre-London). */
int zg_rpc_suggest_fees(zg_rpc *r, zg_u256 *max_fee, zg_u256 *priority, zg_err *e);

/* eth_gasPrice (legacy transactions). */
int zg_rpc_gas_price(zg_rpc *r, zg_u256 *out, zg_err *e);

/* eth_sendRawTransaction; the node's tx hash is written to hash. */
int zg_rpc_send_raw(zg_rpc *r, const uint8_t *raw, size_t len, uint8_t hash[32],
                    zg_err *e);

/* ---- receipts and logs ---- */

typedef struct zg_rpc_log {
    zg_address address;
    uint8_t topics[4][32];
    size_t n_topics;
    uint8_t *data;            /* malloc'ed */
    size_t data_len;
    uint64_t block_number;
    uint64_t log_index;
    uint8_t tx_hash[32];
} zg_rpc_log;

typedef struct zg_rpc_receipt {
    uint8_t tx_hash[32];
    int status;               /* 1 success, 0 reverted */
    uint64_t block_number;
    uint64_t gas_used;
    zg_u256 effective_gas_price;
    int has_contract;         /* creation: contract_address is set */
    zg_address contract_address;
    zg_address from;
    zg_rpc_log *logs;         /* n_logs entries, malloc'ed */
    size_t n_logs;
} zg_rpc_receipt;

/* Frees the logs of a receipt (the struct itself is the caller's). */
void zg_rpc_receipt_free(zg_rpc_receipt *rc);

/* Receipt of a mined transaction; ZG_ENOTFOUND if not (yet) mined. */
int zg_rpc_get_receipt(zg_rpc *r, const uint8_t hash[32], zg_rpc_receipt *out, zg_err *e);

/* Polls for the receipt (every 100 ms, backing off to 1 s) until it exists
 * or timeout_ms passes (ZG_ETIMEOUT). RPC failures on the way (node briefly
 * unreachable) are retried until the deadline, then reported. A mined but
 * reverted transaction is still ZG_OK: check out->status. */
int zg_rpc_wait_receipt(zg_rpc *r, const uint8_t hash[32], long timeout_ms,
                        zg_rpc_receipt *out, zg_err *e);

/* eth_getLogs filter. Blocks as tags or numbers: from_tag/to_tag win when
 * non-NULL, else from_block/to_block are used. topics[i] with
 * topic_set[i] == 0 is a wildcard. */
typedef struct zg_rpc_filter {
    const zg_address *address;  /* NULL: any contract */
    const char *from_tag, *to_tag;
    uint64_t from_block, to_block;
    uint8_t topics[4][32];
    int topic_set[4];
    size_t n_topics;            /* positions used (0..4) */
} zg_rpc_filter;

/* Logs matching f: *logs (malloc'ed, n entries); free with zg_rpc_logs_free. */
int zg_rpc_get_logs(zg_rpc *r, const zg_rpc_filter *f, zg_rpc_log **logs, size_t *n,
                    zg_err *e);
void zg_rpc_logs_free(zg_rpc_log *logs, size_t n);

/* Parses one log object of a receipt or eth_getLogs answer (for callers of
 * zg_rpc_call that get logs some other way). Free out->data. */
int zg_rpc_parse_log(const json_t *j, zg_rpc_log *out, zg_err *e);

#endif
