/*
 * serving/receipt.h - the signed receipt of a request (owner h4).
 *
 * A receipt is what the provider is paid for: user and provider addresses,
 * the account nonce, the fee (wei, < 2^128) and the hash of the exact request
 * body. Its message is the BN254 Fr element
 *
 *     m = Poseidon(user, provider, nonce, fee, requestHash)
 *
 * (circomlib Poseidon, 5 inputs) where user and provider are the 20-byte
 * addresses read as big-endian uint160, nonce and fee are plain integers, and
 * requestHash is the first 31 bytes of SHA-256(body) read big-endian (so it
 * is below 2^248 < r). The customer signs m with EdDSA-Poseidon
 * (circomlibjs signPoseidon) using its per-provider signer key; the packed
 * 64-byte signature travels in X-ZG-Signature.
 *
 * Signer key (deterministic, nothing to store): for wallet key W and provider
 * address P (20 bytes),
 *     h   = keccak256("zg-serving signer key v1" || P)        (24 + 20 bytes)
 *     sig = ECDSA-secp256k1 RFC 6979 signature of h by W, no prefix,
 *           low s, serialized r(32) || s(32) || v(1) with v = 27 + recovery id
 *           (ethers v6: wallet.signingKey.sign(h).serialized)
 *     prv = keccak256(sig)                                      (65 bytes)
 * and prv is the 32-byte EdDSA private key (circomlibjs prv2pub(prv) gives
 * the signer public key registered on the account).
 */
#ifndef ZG_SERVING_RECEIPT_H
#define ZG_SERVING_RECEIPT_H

#include <stddef.h>
#include <stdint.h>

#include "base/u256.h"
#include "eth/key.h"
#include "zg/error.h"
#include "zk/eddsa.h"
#include "zk/fr.h"

#define ZG_SIGNER_KEY_DOMAIN "zg-serving signer key v1"

typedef struct zg_receipt {
    uint8_t user[20];
    uint8_t provider[20];
    uint64_t nonce;
    zg_u256 fee;                /* wei, must be < 2^128 */
    uint8_t request_hash[31];   /* first 31 bytes of SHA-256(body) */
} zg_receipt;

/* request_hash = the first 31 bytes of SHA-256(body[0..len)). */
void zg_receipt_request_hash(const void *body, size_t len, uint8_t out[31]);

/* The receipt message m. ZG_ERANGE when fee >= 2^128. */
int zg_receipt_message(zg_fr *m, const zg_receipt *r, zg_err *e);

/* Signs the receipt with the 32-byte signer private key: the packed
 * signature (circomlibjs packSignature). ZG_ERANGE as zg_receipt_message. */
int zg_receipt_sign(uint8_t sig[64], const zg_receipt *r, const uint8_t signer_prv[32], zg_err *e);

/* Verifies a packed receipt signature against a prepared signer key:
 * ZG_OK, ZG_ECRYPTO (bad signature), ZG_ERANGE (fee too large). */
int zg_receipt_verify(const zg_eddsa_pubkey *signer, const zg_receipt *r, const uint8_t sig[64],
                      zg_err *e);

/* Derives the per-provider signer private key from the wallet (see above).
 * ZG_ECRYPTO if the wallet key is invalid. */
int zg_signer_key_derive(uint8_t prv[32], const zg_eth_key *wallet, const uint8_t provider[20],
                         zg_err *e);

/* The signer's public key (affine) and its packed form (circomlibjs
 * packPoint); either output may be NULL. */
void zg_signer_public(const uint8_t prv[32], zg_bj_point *pub, uint8_t packed[32]);

#endif
