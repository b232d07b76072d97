/*
 * eth/sender.h - send a transaction from a key, end to end.
 *
 * zg_send_tx: chain id, nonce (pending, unless given), fees
 * (zg_rpc_suggest_fees unless given), gas (eth_estimateGas + a margin,
 * unless given), EIP-1559 signing (eth/tx.h), eth_sendRawTransaction, then
 * waiting for the receipt. On a chain without base fee (pre-London blocks)
 * or with opts->legacy it sends an EIP-155 legacy transaction instead, at
 * eth_gasPrice (or opts->max_fee when has_fees).
 *
 * Outcomes:
 *   ZG_OK        mined with status 1; *out is the receipt (logs, gas used,
 *                contract address for a creation)
 *   ZG_EREVERT   the estimate reverted (nothing was sent; out->tx_hash is
 *                zero) or the mined transaction failed (status 0; *out is
 *                the receipt and the reason is replayed with eth_call on the
 *                parent block). The message holds the decoded reason, using
 *                the error signatures given to zg_rpc_set_errors.
 *   ZG_ETIMEOUT  sent but no receipt within the timeout: out->tx_hash says
 *                which transaction to keep waiting for (zg_rpc_wait_receipt)
 *   others       from the RPC (ZG_ERPC...) or signing (ZG_ECRYPTO)
 * Always call zg_rpc_receipt_free(out) afterwards (safe on every outcome).
 * Nonces: concurrent senders from one key must pass explicit nonces.
 */
#ifndef ZG_ETH_SENDER_H
#define ZG_ETH_SENDER_H

#include <stddef.h>
#include <stdint.h>

#include "base/u256.h"
#include "eth/key.h"
#include "eth/rpc.h"
#include "zg/error.h"

typedef struct zg_send_opts {
    uint64_t gas_limit;        /* 0: estimate and add gas_margin_pct */
    unsigned gas_margin_pct;   /* 0 means the default, 20 (%) */
    int has_fees;              /* 1: use max_fee / priority below */
    zg_u256 max_fee, priority; /* wei per gas */
    int has_nonce;             /* 1: use nonce below */
    uint64_t nonce;
    long timeout_ms;           /* receipt wait; 0 means 60000 */
    int legacy;                /* 1: EIP-155 legacy transaction even after London */
} zg_send_opts;

/* Sends value (NULL: 0) and data to `to` (NULL: contract creation with data
 * as init code) from key k. opts may be NULL (all defaults). */
int zg_send_tx(zg_rpc *r, const zg_eth_key *k, const zg_address *to, const zg_u256 *value,
               const uint8_t *data, size_t data_len, const zg_send_opts *opts,
               zg_rpc_receipt *out, zg_err *e);

#endif
