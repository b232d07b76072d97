/*
 * eth/tx.h - transactions: EIP-1559 (type 2) and legacy EIP-155.
 *
 * EIP-1559: signing hash = keccak256(0x02 || rlp([chainId, nonce,
 * maxPriorityFeePerGas, maxFeePerGas, gas, to, value, data, accessList]));
 * raw = 0x02 || rlp([... same 9 ..., yParity, r, s]); tx hash = keccak256(raw).
 * The access list is always empty here.
 * EIP-155 legacy: signing hash = keccak256(rlp([nonce, gasPrice, gas, to,
 * value, data, chainId, 0, 0])); v = chainId * 2 + 35 + yParity.
 *
 * Transaction structs borrow `data`; they own nothing and need no freeing.
 * Functions writing a zg_buf APPEND to it. Errors: ZG_ENOMEM, and those of
 * zg_eth_sign_hash for signing.
 */
#ifndef ZG_ETH_TX_H
#define ZG_ETH_TX_H

#include <stddef.h>
#include <stdint.h>

#include "base/buf.h"
#include "base/u256.h"
#include "eth/key.h"
#include "zg/error.h"

typedef struct zg_tx1559 {
    uint64_t chain_id;
    uint64_t nonce;
    zg_u256 max_priority_fee_per_gas; /* wei per gas */
    zg_u256 max_fee_per_gas;          /* wei per gas */
    uint64_t gas;                     /* gas limit */
    int has_to;                       /* 0: contract creation (to is empty) */
    zg_address to;
    zg_u256 value;                    /* wei */
    const uint8_t *data;              /* calldata or init code; NULL if data_len 0 */
    size_t data_len;
} zg_tx1559;

typedef struct zg_tx_legacy {
    uint64_t chain_id;
    uint64_t nonce;
    zg_u256 gas_price;
    uint64_t gas;
    int has_to;
    zg_address to;
    zg_u256 value;
    const uint8_t *data;
    size_t data_len;
} zg_tx_legacy;

/* Zeroes every field (a creation with no data, chain 0). */
void zg_tx1559_init(zg_tx1559 *tx);
void zg_tx_legacy_init(zg_tx_legacy *tx);

/* Appends the unsigned payload 0x02 || rlp([9 fields]). */
int zg_tx1559_encode_unsigned(const zg_tx1559 *tx, zg_buf *out);

/* The hash to sign (keccak256 of the unsigned payload). */
int zg_tx1559_signing_hash(const zg_tx1559 *tx, uint8_t hash[32], zg_err *e);

/* Appends the signed raw transaction for a signature r || s || v
 * (v = yParity 0/1; 27/28 also accepted). ZG_EINVAL on another v. */
int zg_tx1559_encode_signed(const zg_tx1559 *tx, const uint8_t sig65[65], zg_buf *raw,
                            zg_err *e);

/* Signs tx with k: appends the raw transaction (ready for
 * eth_sendRawTransaction) to raw and writes its hash; tx_hash may be NULL. */
int zg_tx1559_sign(const zg_tx1559 *tx, const zg_eth_key *k, zg_buf *raw,
                   uint8_t tx_hash[32], zg_err *e);

/* Decodes a signed raw EIP-1559 transaction (0x02 || rlp([12 fields])).
 * tx->data points into raw (keep raw alive). sig65 receives r || s || v
 * (v = yParity). Strict: canonical RLP, integers without leading zeros,
 * `to` empty or 20 bytes, yParity 0/1, 0 < r, 0 < s <= n/2 (EIP-2).
 * Non-empty access lists are not supported. ZG_EINVAL on anything else. */
int zg_tx1559_decode(const uint8_t *raw, size_t n, zg_tx1559 *tx, uint8_t sig65[65],
                     zg_err *e);

/* The sender of a signed EIP-1559 transaction (recovered from sig65).
 * ZG_ECRYPTO if no key recovers. */
int zg_tx1559_sender(const zg_tx1559 *tx, const uint8_t sig65[65], zg_address *from,
                     zg_err *e);

/* EIP-155 legacy: signing hash, and signing as for zg_tx1559_sign. */
int zg_tx_legacy_signing_hash(const zg_tx_legacy *tx, uint8_t hash[32], zg_err *e);
int zg_tx_legacy_sign(const zg_tx_legacy *tx, const zg_eth_key *k, zg_buf *raw,
                      uint8_t tx_hash[32], zg_err *e);

#endif
