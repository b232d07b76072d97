/*
 * eth/key.h - secp256k1 wallet keys, addresses, signatures (libsecp256k1).
 *
 * A zg_eth_key holds a 32-byte secret; wipe it with zg_eth_key_wipe when done.
 * Signatures are 65 bytes r(32) || s(32) || v(1) with v the recovery id in
 * {0,1}; s is always low (EIP-2) and the nonce is RFC 6979, so signatures are
 * deterministic and byte-identical to cast/ethers for the same key and hash.
 * No error message ever contains key material.
 */
#ifndef ZG_ETH_KEY_H
#define ZG_ETH_KEY_H

#include <stdint.h>

#include "zg/error.h"

typedef struct zg_eth_key {
    uint8_t secret[32];
} zg_eth_key;

typedef struct zg_address {
    uint8_t b[20];
} zg_address;

/* Buffer size of a checksummed address: "0x" + 40 + NUL. */
#define ZG_ADDRESS_STR_MAX 43

/* Copies a secret into k after checking 0 < secret < n (the curve order).
 * ZG_ECRYPTO if out of range. */
int zg_eth_key_from_secret(zg_eth_key *k, const uint8_t secret[32], zg_err *e);

/* Same from 64 hex digits (optional 0x). ZG_EINVAL (bad hex), ZG_ECRYPTO. */
int zg_eth_key_from_hex(zg_eth_key *k, const char *hex, zg_err *e);

/* Draws a fresh random key from the kernel (getrandom). ZG_EIO if no
 * randomness is available. */
int zg_eth_key_generate(zg_eth_key *k, zg_err *e);

/* Uncompressed public key without the 0x04 prefix: X(32) || Y(32).
 * ZG_ECRYPTO if the key is invalid. */
int zg_eth_key_pubkey(const zg_eth_key *k, uint8_t pub64[64]);

/* The key's address: last 20 bytes of keccak256(X || Y). ZG_ECRYPTO if the
 * key is invalid. */
int zg_eth_key_address(const zg_eth_key *k, zg_address *out);

/* Address of a public key X(32) || Y(32). */
void zg_address_from_pubkey(const uint8_t pub64[64], zg_address *out);

/* Overwrites the secret with zeros (not optimised away). */
void zg_eth_key_wipe(zg_eth_key *k);

/* Writes the EIP-55 mixed-case checksummed form "0xAbC...". */
void zg_address_to_checksum(const zg_address *a, char out[ZG_ADDRESS_STR_MAX]);

/* Parses "0x" + 40 hex digits (the prefix is optional). All-lower or
 * all-upper case is accepted as is; mixed case must be a valid EIP-55
 * checksum. ZG_EINVAL on bad length/characters or a wrong checksum. */
int zg_address_parse(const char *s, zg_address *out, zg_err *e);

/* 1 if the two addresses are equal. */
int zg_address_eq(const zg_address *a, const zg_address *b);

/* Signs a 32-byte hash (no further hashing). ZG_ECRYPTO on an invalid key,
 * ZG_ENOMEM if libsecp256k1 cannot allocate its context. */
int zg_eth_sign_hash(const zg_eth_key *k, const uint8_t hash[32], uint8_t sig65[65],
                     zg_err *e);

/* Recovers the signer's public key X || Y from a signature over hash.
 * v may be 0/1 or 27/28. ZG_ECRYPTO if the signature is malformed or
 * recovers no key. */
int zg_eth_recover_pubkey(const uint8_t hash[32], const uint8_t sig65[65],
                          uint8_t pub64[64], zg_err *e);

/* Recovers the signer's address; as zg_eth_recover_pubkey. */
int zg_eth_recover(const uint8_t hash[32], const uint8_t sig65[65], zg_address *out,
                   zg_err *e);

#endif
