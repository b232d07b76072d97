/*
 * zg/client.h - a connection to a zg-serving contract as one wallet.
 *
 * Everything in libzg starts with a zg_client: it knows the chain (a JSON-RPC
 * URL), the Serving contract (an address, usually read from the deployment
 * JSON written by `zg chain deploy`), the wallet that signs transactions and
 * requests, and a state directory where per-account request state is kept.
 *
 *   zg_client_opts o = {0};              // all NULL: defaults from the environment
 *   zg_client *c;
 *   zg_err err;
 *   if (zg_client_open(&o, &c, &err) != ZG_OK) { fprintf(stderr, "%s\n", err.msg); ... }
 *   ...
 *   zg_client_close(c);
 *
 * Each option falls back to an environment variable, then to a default:
 *
 *   rpc_url     ZG_RPC_URL       http://127.0.0.1:8545
 *   contract    ZG_CONTRACT      the "serving" address in the deployment JSON
 *   deployment  ZG_DEPLOYMENT    <home>/deployment.json
 *   private_key ZG_PRIVATE_KEY   (none) 0x + 64 hex digits
 *   keystore    ZG_KEYSTORE      <home>/wallet.json (used when no private key is given)
 *   password    ZG_PASSWORD      "" (the keystore's password)
 *   home        ZG_HOME          $HOME/.zg
 *
 * A client without any wallet can still read (services, accounts); calls that
 * sign return ZG_ESTATE with a message saying how to provide a wallet.
 *
 * Thread safety: one zg_client may be used by many threads at once; chat
 * nonces and owed fees are guarded by a mutex and by a lock on the state
 * file (<home>/accounts/<contract>/<user>-<provider>.json), so several
 * processes with the same wallet and home are safe too.
 *
 * Amounts in this API are decimal strings of wei (up to 78 digits + NUL,
 * ZG_WEI_MAX bytes) so that no 256-bit type leaks into callers; use
 * zg_wei_parse/zg_wei_format to convert from/to "1.5eth" style text.
 */
#ifndef ZG_CLIENT_H
#define ZG_CLIENT_H

#include <stddef.h>
#include <stdint.h>

#include "zg/error.h"

#ifdef __cplusplus
extern "C" {
#endif

#define ZG_WEI_MAX 80       /* decimal wei + NUL */
#define ZG_AMOUNT_TEXT_MAX 96 /* "1.5 eth" style + NUL */
#define ZG_ADDR_MAX 43      /* 0x + 40 hex digits + NUL (EIP-55 checksum case) */
#define ZG_HASH_MAX 67      /* 0x + 64 hex digits + NUL */

typedef struct zg_client zg_client;

typedef struct zg_client_opts {
    const char *rpc_url;
    const char *contract;
    const char *deployment;
    const char *private_key;
    const char *keystore;
    const char *password;
    const char *home;
} zg_client_opts;

/* Opens a client. Reads the deployment JSON (if the contract address is not
 * given), decrypts the keystore (if used) and asks the chain for its chain id,
 * so a wrong URL fails here with ZG_ERPC ("cannot reach the chain at URL").
 * Errors: ZG_EINVAL (bad option), ZG_EIO (deployment or keystore file),
 * ZG_ECRYPTO (wrong keystore password), ZG_ERPC, ZG_ENOMEM. */
int zg_client_open(const zg_client_opts *opts, zg_client **out, zg_err *e);

/* Frees the client (NULL is fine). Wipes the wallet key from memory. */
void zg_client_close(zg_client *c);

/* The wallet's address (EIP-55) into out; ZG_ESTATE if the client has none. */
int zg_client_address(const zg_client *c, char out[ZG_ADDR_MAX], zg_err *e);

/* The contract's address, the RPC URL, the chain id. */
const char *zg_client_contract(const zg_client *c);
const char *zg_client_rpc_url(const zg_client *c);
uint64_t zg_client_chain_id(const zg_client *c);

/* The native balance of an address (NULL: the wallet) in wei. */
int zg_client_wallet_balance(zg_client *c, const char *address, char wei[ZG_WEI_MAX], zg_err *e);

/* Parses an amount with a unit ("0.5eth", "20gwei", "123wei", "123" = wei)
 * into decimal wei. ZG_EINVAL, ZG_ERANGE. */
int zg_wei_parse(const char *text, char wei[ZG_WEI_MAX], zg_err *e);

/* Formats decimal wei as exact text with the largest fitting unit
 * ("1.5 eth", "20 gwei", "7 wei"). ZG_EINVAL if wei is not decimal. */
int zg_wei_format(const char *wei, char out[ZG_AMOUNT_TEXT_MAX], zg_err *e);

#ifdef __cplusplus
}
#endif
#endif
