/* wallet.c - keystore wallets (see zg/wallet.h). */
#include "zg/wallet.h"

#include <errno.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <sys/stat.h>

#include "eth/key.h"
#include "eth/keystore.h"
#include "sdk/sdk_util.h"

int zg_wallet_default_path(char *out, size_t cap, zg_err *e)
{
    const char *env = getenv("ZG_KEYSTORE");
    if (env && *env) {
        if ((size_t)snprintf(out, cap, "%s", env) >= cap)
            return zg_err_set(e, ZG_EINVAL, "ZG_KEYSTORE path too long");
        return ZG_OK;
    }
    char home[512];
    int rc = zg_sdk_home(NULL, home, sizeof home, e);
    if (!rc && (size_t)snprintf(out, cap, "%s/wallet.json", home) >= cap)
        rc = zg_err_set(e, ZG_EINVAL, "home path too long");
    return rc;
}

/* ZG_KEYSTORE_LIGHT=1 picks the cheap scrypt cost (tests, demos). */
static const zg_keystore_cost *cost(void)
{
    static const zg_keystore_cost light = ZG_KEYSTORE_SCRYPT_LIGHT;
    const char *l = getenv("ZG_KEYSTORE_LIGHT");
    return l && strcmp(l, "1") == 0 ? &light : NULL;
}

static int save(const char *path, const zg_eth_key *k, const char *password,
                char address[ZG_ADDR_MAX], zg_err *e)
{
    char def[1024];
    int rc = ZG_OK;
    if (!path) {
        if ((rc = zg_wallet_default_path(def, sizeof def, e)))
            return rc;
        path = def;
    }
    struct stat st;
    if (stat(path, &st) == 0)
        return zg_err_set(e, ZG_ESTATE, "wallet file %s already exists; not overwriting it", path);
    if ((rc = zg_sdk_mkdirs_for(path, e)))
        return rc;
    if ((rc = zg_keystore_write_file(path, k, password ? password : "", cost(), e)))
        return zg_err_wrap(e, rc, "writing wallet %s", path);
    zg_address a;
    zg_eth_key_address(k, &a);
    zg_address_to_checksum(&a, address);
    return ZG_OK;
}

int zg_wallet_new(const char *path, const char *password, char address[ZG_ADDR_MAX], zg_err *e)
{
    zg_eth_key k;
    uint8_t secret[32];
    int rc = ZG_ECRYPTO;
    for (int tries = 0; tries < 8 && rc; tries++) {
        if (getrandom(secret, sizeof secret, 0) != (ssize_t)sizeof secret)
            return zg_err_set(e, ZG_EIO, "no randomness from the kernel: %s", strerror(errno));
        rc = zg_eth_key_from_secret(&k, secret, NULL);
    }
    memset(secret, 0, sizeof secret);
    if (rc)
        return zg_err_set(e, ZG_EINTERNAL, "could not draw a valid key");
    rc = save(path, &k, password, address, e);
    zg_eth_key_wipe(&k);
    return rc;
}

int zg_wallet_import(const char *path, const char *hex, const char *password,
                     char address[ZG_ADDR_MAX], zg_err *e)
{
    zg_eth_key k;
    if (zg_eth_key_from_hex(&k, hex, NULL) != ZG_OK)
        return zg_err_set(e, ZG_EINVAL, "not a private key: expected 0x and 64 hex digits of a valid secp256k1 key");
    int rc = save(path, &k, password, address, e);
    zg_eth_key_wipe(&k);
    return rc;
}

int zg_wallet_address(const char *path, char address[ZG_ADDR_MAX], zg_err *e)
{
    char def[1024];
    int rc;
    if (!path) {
        if ((rc = zg_wallet_default_path(def, sizeof def, e)))
            return rc;
        path = def;
    }
    json_error_t je;
    json_t *o = json_load_file(path, 0, &je);
    if (!o)
        return zg_err_set(e, errno == ENOENT ? ZG_ENOTFOUND : ZG_EIO,
                          "cannot read wallet %s (%s); create one with `zg wallet new`", path, je.text);
    json_t *a = json_object_get(o, "address");
    char buf[64];
    zg_address addr;
    rc = ZG_OK;
    if (!json_is_string(a))
        rc = zg_err_set(e, ZG_EINVAL, "wallet %s has no \"address\" field", path);
    else {
        const char *s = json_string_value(a);
        snprintf(buf, sizeof buf, "%s%s", strncmp(s, "0x", 2) ? "0x" : "", s);
        if (zg_address_parse(buf, &addr, NULL) != ZG_OK)
            rc = zg_err_set(e, ZG_EINVAL, "wallet %s has a malformed address", path);
        else
            zg_address_to_checksum(&addr, address);
    }
    json_decref(o);
    return rc;
}

int zg_wallet_address_of_key(const char *hex, char address[ZG_ADDR_MAX], zg_err *e)
{
    zg_eth_key k;
    zg_address a;
    if (zg_eth_key_from_hex(&k, hex, NULL) != ZG_OK)
        return zg_err_set(e, ZG_EINVAL, "not a private key: expected 0x and 64 hex digits of a valid secp256k1 key");
    zg_eth_key_address(&k, &a);
    zg_eth_key_wipe(&k);
    zg_address_to_checksum(&a, address);
    return ZG_OK;
}
