/*
 * provider/chain.c - see chain.h. Waiting for the contract bindings
 * (serving/contract*.h): until they exist this file only explains why the
 * broker cannot reach the chain.
 */
#include "provider/chain.h"

#include <stdlib.h>

struct zg_pchain { int unused; };

int zg_pchain_new(zg_pchain **out, const zg_pcfg *cfg, const zg_eth_key *key, zg_err *e)
{
    *out = NULL;
    return zg_err_set(e, ZG_ESTATE, "this zg-provider was built without the Serving contract bindings "
                      "(serving/contract.h); it cannot read accounts or settle on %s", cfg->rpc_url);
}

void zg_pchain_free(zg_pchain *c) { free(c); }

int zg_pchain_register(zg_pchain *c, zg_err *e)
{
    return zg_err_set(e, ZG_ESTATE, "no contract bindings");
}

int zg_pchain_account(void *ctx, const uint8_t user[20], zg_chain_account *out, zg_err *e)
{
    return zg_err_set(e, ZG_ESTATE, "no contract bindings");
}

int zg_pchain_settle(void *ctx, const zg_settle_proof *proofs, size_t n, uint8_t tx_hash[32], zg_err *e)
{
    return zg_err_set(e, ZG_ESTATE, "no contract bindings");
}
