/*
 * sdk/client_internal.h - the inside of a zg_client, shared by the SDK's
 * files (never installed).
 */
#ifndef ZG_SDK_CLIENT_INTERNAL_H
#define ZG_SDK_CLIENT_INTERNAL_H

#include <pthread.h>
#include <stdint.h>

#include "base/u256.h"
#include "eth/key.h"
#include "eth/rpc.h"
#include "serving/contract.h"
#include "zg/client.h"
#include "zg/service.h"

struct zg_client {
    char rpc_url[512];
    char contract[ZG_ADDR_MAX];     /* EIP-55 */
    zg_address contract_addr;
    uint64_t chain_id;
    int has_key;
    zg_eth_key key;
    zg_address user;
    char user_str[ZG_ADDR_MAX];
    char home[512];
    pthread_mutex_t mu;             /* guards the state files of this process */
    pthread_mutex_t rpc_mu;         /* guards rpc (one zg_rpc is not thread-safe) */
    zg_rpc *rpc;
    zg_serving serving;             /* the contract over rpc */
};

/* Signs the receipt (user, provider, nonce, fee, sha256(body)) with the
 * account's Baby Jubjub key derived from the wallet; sig = packed 64 bytes. */
int zg_sdk_sign_receipt(zg_client *c, const zg_address *provider, uint64_t nonce,
                        const zg_u256 *fee, const char *body, size_t len, uint8_t sig[64],
                        zg_err *e);

/* The account's signer private key / public point (big-endian x, y). */
int zg_sdk_signer_key(zg_client *c, const zg_address *provider, uint8_t prv[32], zg_err *e);
int zg_sdk_signer_public(zg_client *c, const zg_address *provider, uint8_t x[32], uint8_t y[32],
                         zg_err *e);

/* Connects to the chain (chain id) and frees what that made. */
int zg_sdk_chain_init(zg_client *c, zg_err *e);
void zg_sdk_chain_free(zg_client *c);

/* Locks / unlocks the RPC client (all chain calls go through it). */
void zg_sdk_rpc_lock(zg_client *c);
void zg_sdk_rpc_unlock(zg_client *c);

/* Writes a transaction hash as 0x hex (tx may be NULL). */
void zg_sdk_tx_hex(const zg_rpc_receipt *rc, char tx[ZG_HASH_MAX]);

/* The provider has at least one service: ZG_ENOTFOUND otherwise. */
int zg_sdk_provider_known(zg_client *c, const zg_address *provider, zg_err *e);

/* Requires a wallet: ZG_ESTATE with a how-to message otherwise. */
int zg_sdk_need_wallet(const zg_client *c, zg_err *e);

#endif
