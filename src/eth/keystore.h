/*
 * eth/keystore.h - Ethereum keystore v3 files (Web3 Secret Storage), the
 * format of geth, cast, ethers and MetaMask exports.
 *
 * Reading: KDF scrypt (OpenSSL EVP_PBE_scrypt) or pbkdf2 with hmac-sha256;
 * cipher aes-128-ctr; MAC = keccak256(derivedKey[16..32] ++ ciphertext),
 * compared in constant time. "crypto" or "Crypto" are both accepted, as is an
 * optional "address" (checked against the decrypted key when present).
 * A wrong password is ZG_ECRYPTO "wrong password (keystore MAC mismatch)".
 * KDF parameters are bounded (scrypt n <= 2^20 and 128*n*r*p <= 1 GiB,
 * pbkdf2 c <= 10,000,000) so a hostile file cannot take the machine.
 *
 * Writing: scrypt with the caller's cost (ZG_KEYSTORE_SCRYPT_STANDARD is
 * geth's default n=2^18, r=8, p=1; tests may use ZG_KEYSTORE_SCRYPT_LIGHT
 * n=2^12 to stay fast), a random salt, IV and UUID v4; "address" is written
 * (lower-case hex, no 0x, as geth does). Files are created with mode 0600
 * and never overwrite an existing file.
 *
 * Secrets: passwords and keys never appear in messages; derived keys and
 * plaintexts are wiped from memory before returning.
 */
#ifndef ZG_ETH_KEYSTORE_H
#define ZG_ETH_KEYSTORE_H

#include <stdint.h>

#include "eth/key.h"
#include "zg/error.h"

typedef struct zg_keystore_cost {
    uint64_t n; /* scrypt N, a power of two >= 2 */
    uint32_t r, p;
} zg_keystore_cost;

#define ZG_KEYSTORE_SCRYPT_STANDARD ((zg_keystore_cost){ 262144, 8, 1 })
#define ZG_KEYSTORE_SCRYPT_LIGHT ((zg_keystore_cost){ 4096, 8, 1 })

/* Decrypts keystore JSON text. *out gets the key; addr (may be NULL) its
 * address. ZG_EINVAL (malformed JSON or fields, unsupported kdf/cipher),
 * ZG_ERANGE (KDF parameters above the limits), ZG_ECRYPTO (wrong password,
 * address mismatch, invalid key), ZG_ENOMEM. */
int zg_keystore_decrypt(const char *json, const char *password, zg_eth_key *out,
                        zg_address *addr, zg_err *e);

/* Encrypts a key: *json_out is malloc'ed JSON text (caller frees; it holds
 * no secret in the clear). cost NULL means ZG_KEYSTORE_SCRYPT_STANDARD. */
int zg_keystore_encrypt(const zg_eth_key *k, const char *password,
                        const zg_keystore_cost *cost, char **json_out, zg_err *e);

/* Reads and decrypts a keystore file (at most 64 KiB). ZG_EIO if it cannot
 * be read; otherwise as zg_keystore_decrypt. */
int zg_keystore_read_file(const char *path, const char *password, zg_eth_key *out,
                          zg_address *addr, zg_err *e);

/* Encrypts k into a new file at path (mode 0600). ZG_EIO if it exists or
 * cannot be written. */
int zg_keystore_write_file(const char *path, const zg_eth_key *k, const char *password,
                           const zg_keystore_cost *cost, zg_err *e);

#endif
