/* chain.c - the client's JSON-RPC connection (see client_internal.h). */
#include <string.h>

#include "base/hex.h"
#include "sdk/client_internal.h"

int zg_sdk_chain_init(zg_client *c, zg_err *e)
{
    int rc = zg_rpc_new(c->rpc_url, &c->rpc, e);
    if (!rc) {
        zg_rpc_set_timeouts(c->rpc, 3000, 60000);
        zg_serving_init(&c->serving, c->rpc, &c->contract_addr);
        rc = zg_rpc_chain_id(c->rpc, &c->chain_id, e);
    }
    if (rc)
        return zg_err_wrap(e, rc, "cannot reach the chain at %s (is it running? see --rpc / ZG_RPC_URL)",
                           c->rpc_url);
    return ZG_OK;
}

void zg_sdk_chain_free(zg_client *c)
{
    zg_rpc_free(c->rpc);
    c->rpc = NULL;
}

int zg_client_wallet_balance(zg_client *c, const char *address, char wei[ZG_WEI_MAX], zg_err *e)
{
    zg_address a;
    int rc;
    if (address) {
        if ((rc = zg_address_parse(address, &a, e)))
            return rc;
    } else {
        if ((rc = zg_sdk_need_wallet(c, e)))
            return rc;
        a = c->user;
    }
    zg_u256 v;
    pthread_mutex_lock(&c->rpc_mu);
    rc = zg_rpc_balance(c->rpc, &a, &v, e);
    pthread_mutex_unlock(&c->rpc_mu);
    if (!rc)
        zg_u256_to_dec(&v, wei);
    return rc;
}

void zg_sdk_rpc_lock(zg_client *c) { pthread_mutex_lock(&c->rpc_mu); }
void zg_sdk_rpc_unlock(zg_client *c) { pthread_mutex_unlock(&c->rpc_mu); }

void zg_sdk_tx_hex(const zg_rpc_receipt *rc, char tx[ZG_HASH_MAX])
{
    if (tx)
        zg_hex_encode(rc->tx_hash, 32, tx);
}
