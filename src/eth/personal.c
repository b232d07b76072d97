/* personal.c - EIP-191 personal messages (see eth/personal.h). */
#include <stdio.h>

#include "eth/keccak.h"
#include "eth/personal.h"

void zg_eth_personal_hash(const void *msg, size_t len, uint8_t out[32])
{
    /* Prefix from EIP-191 (version byte 0x45 'E'). */
    char prefix[64];
    int n = snprintf(prefix, sizeof prefix, "\x19" "Ethereum Signed Message:\n%zu", len);
    zg_keccak k;
    zg_keccak_init(&k);
    zg_keccak_update(&k, prefix, (size_t)n);
    zg_keccak_update(&k, msg, len);
    zg_keccak_final(&k, out);
}

int zg_eth_personal_sign(const zg_eth_key *k, const void *msg, size_t len, uint8_t sig65[65],
                         zg_err *e)
{
    uint8_t h[32];
    zg_eth_personal_hash(msg, len, h);
    int rc = zg_eth_sign_hash(k, h, sig65, e);
    if (rc)
        return rc;
    sig65[64] += 27;
    return ZG_OK;
}

int zg_eth_personal_recover(const void *msg, size_t len, const uint8_t sig65[65],
                            zg_address *out, zg_err *e)
{
    uint8_t h[32];
    zg_eth_personal_hash(msg, len, h);
    return zg_eth_recover(h, sig65, out, e);
}
