/* client.c - opening a zg_client: chain, contract, wallet, home (see zg/client.h). */
#include "zg/client.h"

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/amount.h"
#include "base/u256.h"
#include "eth/keystore.h"
#include "sdk/client_internal.h"
#include "sdk/sdk_util.h"
#include "serving/deploy.h"

static const char *pick(const char *opt, const char *env, const char *def)
{
    const char *v = getenv(env);
    if (opt && *opt)
        return opt;
    if (v && *v)
        return v;
    return def;
}

/* Reads the Serving address from a deployment file (serving/deploy.h). */
static int read_deployment(const char *path, zg_address *out, zg_err *e)
{
    zg_deployment d;
    int rc = zg_deployment_read(path, &d, e);
    if (rc == ZG_ENOTFOUND)
        return zg_err_set(e, ZG_ENOTFOUND,
                          "cannot read the deployment file %s: deploy with `zg chain deploy`, "
                          "or give --contract / ZG_CONTRACT", path);
    if (rc)
        return zg_err_wrap(e, rc, "deployment file %s", path);
    *out = d.serving;
    return ZG_OK;
}

static int load_wallet(zg_client *c, const zg_client_opts *o, zg_err *e)
{
    const char *key = pick(o->private_key, "ZG_PRIVATE_KEY", NULL);
    if (key) {
        if (zg_eth_key_from_hex(&c->key, key, NULL) != ZG_OK)
            return zg_err_set(e, ZG_ECRYPTO, "ZG_PRIVATE_KEY is not a private key (0x + 64 hex digits)");
        c->has_key = 1;
    } else {
        char def[1024];
        snprintf(def, sizeof def, "%s/wallet.json", c->home);
        const char *path = pick(o->keystore, "ZG_KEYSTORE", def);
        FILE *f = fopen(path, "r");
        if (!f) {
            if (o->keystore)
                return zg_err_set(e, ZG_ENOTFOUND, "cannot open the keystore %s", path);
            return ZG_OK; /* no wallet: read-only client */
        }
        fclose(f);
        int rc = zg_keystore_read_file(path, pick(o->password, "ZG_PASSWORD", ""), &c->key, NULL, e);
        if (rc)
            return zg_err_wrap(e, rc, "wallet %s", path);
        c->has_key = 1;
    }
    zg_eth_key_address(&c->key, &c->user);
    zg_address_to_checksum(&c->user, c->user_str);
    return ZG_OK;
}

int zg_client_open(const zg_client_opts *opts, zg_client **out, zg_err *e)
{
    zg_client_opts none = {0};
    const zg_client_opts *o = opts ? opts : &none;
    zg_client *c = calloc(1, sizeof *c);
    if (!c)
        return zg_err_set(e, ZG_ENOMEM, "out of memory");
    pthread_mutex_init(&c->mu, NULL);
    pthread_mutex_init(&c->rpc_mu, NULL);
    int rc = zg_sdk_home(o->home, c->home, sizeof c->home, e);
    const char *url = pick(o->rpc_url, "ZG_RPC_URL", "http://127.0.0.1:8545");
    if (!rc && (size_t)snprintf(c->rpc_url, sizeof c->rpc_url, "%s", url) >= sizeof c->rpc_url)
        rc = zg_err_set(e, ZG_EINVAL, "RPC URL too long");
    const char *contract = pick(o->contract, "ZG_CONTRACT", NULL);
    if (!rc && contract) {
        if ((rc = zg_address_parse(contract, &c->contract_addr, e)))
            zg_err_wrap(e, rc, "contract address");
    } else if (!rc) {
        char def[1024];
        snprintf(def, sizeof def, "%s/deployment.json", c->home);
        rc = read_deployment(pick(o->deployment, "ZG_DEPLOYMENT", def), &c->contract_addr, e);
    }
    if (!rc)
        zg_address_to_checksum(&c->contract_addr, c->contract);
    if (!rc)
        rc = load_wallet(c, o, e);
    if (!rc)
        rc = zg_sdk_chain_init(c, e);
    if (rc) {
        zg_client_close(c);
        return rc;
    }
    *out = c;
    return ZG_OK;
}

void zg_client_close(zg_client *c)
{
    if (!c)
        return;
    zg_sdk_chain_free(c);
    zg_eth_key_wipe(&c->key);
    pthread_mutex_destroy(&c->mu);
    pthread_mutex_destroy(&c->rpc_mu);
    free(c);
}

int zg_sdk_need_wallet(const zg_client *c, zg_err *e)
{
    if (c->has_key)
        return ZG_OK;
    return zg_err_set(e, ZG_ESTATE,
                      "no wallet: create one with `zg wallet new`, or set ZG_PRIVATE_KEY or --keystore");
}

int zg_client_address(const zg_client *c, char out[ZG_ADDR_MAX], zg_err *e)
{
    int rc = zg_sdk_need_wallet(c, e);
    if (!rc)
        memcpy(out, c->user_str, ZG_ADDR_MAX);
    return rc;
}

const char *zg_client_contract(const zg_client *c) { return c->contract; }
const char *zg_client_rpc_url(const zg_client *c) { return c->rpc_url; }
uint64_t zg_client_chain_id(const zg_client *c) { return c->chain_id; }

int zg_wei_parse(const char *text, char wei[ZG_WEI_MAX], zg_err *e)
{
    zg_u256 v;
    int rc = zg_amount_parse(text, &v, e);
    if (!rc)
        zg_u256_to_dec(&v, wei);
    return rc;
}

int zg_wei_format(const char *wei, char out[ZG_AMOUNT_TEXT_MAX], zg_err *e)
{
    zg_u256 v;
    int rc = zg_u256_from_dec(&v, wei, e);
    if (!rc)
        zg_amount_format(&v, out);
    return rc;
}
