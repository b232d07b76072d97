/*
 * eth/personal.h - EIP-191 version 0x45 "personal" messages (eth_sign,
 * personal_sign, cast wallet sign).
 *
 * hash = keccak256("\x19Ethereum Signed Message:\n" || decimal(len) || msg).
 * Signatures here use v = 27/28, the form wallets and cast print for
 * personal messages; zg_eth_recover accepts that form too.
 */
#ifndef ZG_ETH_PERSONAL_H
#define ZG_ETH_PERSONAL_H

#include <stddef.h>
#include <stdint.h>

#include "eth/key.h"
#include "zg/error.h"

/* The EIP-191 hash of msg. */
void zg_eth_personal_hash(const void *msg, size_t len, uint8_t out[32]);

/* Signs msg as a personal message: r || s || v with v in {27, 28}.
 * Errors as zg_eth_sign_hash. */
int zg_eth_personal_sign(const zg_eth_key *k, const void *msg, size_t len, uint8_t sig65[65],
                         zg_err *e);

/* Recovers the address that signed msg as a personal message (v 0/1/27/28).
 * ZG_ECRYPTO if the signature is malformed. */
int zg_eth_personal_recover(const void *msg, size_t len, const uint8_t sig65[65],
                            zg_address *out, zg_err *e);

#endif
