/*
 * zg/wallet.h - the secp256k1 wallet: create, import, read an address.
 *
 * Wallets are stored as Ethereum keystore v3 files (scrypt + AES-128-CTR),
 * readable by geth, cast and ethers. The default file is <home>/wallet.json
 * (see zg/client.h for <home>). Private keys and passwords never appear in
 * messages.
 */
#ifndef ZG_WALLET_H
#define ZG_WALLET_H

#include "zg/client.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Creates a new random key and writes it encrypted with password to path
 * (NULL: the default). Refuses to overwrite (ZG_ESTATE). Writes the address. */
int zg_wallet_new(const char *path, const char *password, char address[ZG_ADDR_MAX],
                  zg_err *e);

/* Imports a private key (0x + 64 hex digits) into path, like zg_wallet_new. */
int zg_wallet_import(const char *path, const char *private_key_hex, const char *password,
                     char address[ZG_ADDR_MAX], zg_err *e);

/* Reads the address of a keystore file (no password needed). */
int zg_wallet_address(const char *path, char address[ZG_ADDR_MAX], zg_err *e);

/* The address of a private key given as 0x + 64 hex digits. ZG_EINVAL. */
int zg_wallet_address_of_key(const char *private_key_hex, char address[ZG_ADDR_MAX], zg_err *e);

/* The default wallet path: $ZG_KEYSTORE, else <home>/wallet.json. */
int zg_wallet_default_path(char *out, size_t cap, zg_err *e);

#ifdef __cplusplus
}
#endif
#endif
