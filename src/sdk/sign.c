/* sign.c - receipt signing with the signer key derived from the wallet
 * (serving/receipt.h does the cryptography; this file feeds it). */
#include <string.h>

#include "sdk/client_internal.h"
#include "serving/receipt.h"

int zg_sdk_signer_key(zg_client *c, const zg_address *provider, uint8_t prv[32], zg_err *e)
{
    int rc = zg_sdk_need_wallet(c, e);
    if (!rc)
        rc = zg_signer_key_derive(prv, &c->key, provider->b, e);
    return rc;
}

int zg_sdk_signer_public(zg_client *c, const zg_address *provider, uint8_t x[32], uint8_t y[32],
                         zg_err *e)
{
    uint8_t prv[32];
    int rc = zg_sdk_signer_key(c, provider, prv, e);
    if (rc)
        return rc;
    zg_bj_point pub;
    zg_signer_public(prv, &pub, NULL);
    memset(prv, 0, sizeof prv);
    zg_fr_to_bytes_be(x, &pub.x);
    zg_fr_to_bytes_be(y, &pub.y);
    return ZG_OK;
}

int zg_sdk_sign_receipt(zg_client *c, const zg_address *provider, uint64_t nonce,
                        const zg_u256 *fee, const char *body, size_t len, uint8_t sig[64],
                        zg_err *e)
{
    zg_receipt r;
    memcpy(r.user, c->user.b, 20);
    memcpy(r.provider, provider->b, 20);
    r.nonce = nonce;
    r.fee = *fee;
    zg_receipt_request_hash(body, len, r.request_hash);
    uint8_t prv[32];
    int rc = zg_sdk_signer_key(c, provider, prv, e);
    if (!rc)
        rc = zg_receipt_sign(sig, &r, prv, e);
    memset(prv, 0, sizeof prv);
    return rc;
}
