/* key.c - secp256k1 keys and ECDSA with recovery (see eth/key.h). */
#include <string.h>
#include <sys/random.h>

#include <secp256k1.h>
#include <secp256k1_recovery.h>

#include "base/hex.h"
#include "eth/keccak.h"
#include "eth/key.h"

int zg_eth_key_from_secret(zg_eth_key *k, const uint8_t secret[32], zg_err *e)
{
    /* The static context suffices for key checks (libsecp256k1 >= 0.2). */
    if (!secp256k1_ec_seckey_verify(secp256k1_context_static, secret))
        return zg_err_set(e, ZG_ECRYPTO, "invalid private key: must be in [1, n-1]");
    memcpy(k->secret, secret, 32);
    return ZG_OK;
}

int zg_eth_key_from_hex(zg_eth_key *k, const char *hex, zg_err *e)
{
    uint8_t s[32];
    int rc = zg_hex_decode(hex, s, sizeof s, e);
    if (rc) {
        zg_err_wrap(e, rc, "private key");
        return rc;
    }
    rc = zg_eth_key_from_secret(k, s, e);
    explicit_bzero(s, sizeof s);
    return rc;
}

int zg_eth_key_generate(zg_eth_key *k, zg_err *e)
{
    uint8_t s[32];
    int rc = ZG_ECRYPTO;
    /* A draw is invalid with probability ~2^-128; retry a few times anyway. */
    for (int tries = 0; tries < 8 && rc; tries++) {
        if (getrandom(s, sizeof s, 0) != (ssize_t)sizeof s) {
            explicit_bzero(s, sizeof s);
            return zg_err_set(e, ZG_EIO, "no randomness from the kernel");
        }
        rc = zg_eth_key_from_secret(k, s, NULL);
    }
    explicit_bzero(s, sizeof s);
    return rc ? zg_err_set(e, ZG_EINTERNAL, "could not draw a valid key") : ZG_OK;
}

void zg_eth_key_wipe(zg_eth_key *k)
{
    explicit_bzero(k->secret, sizeof k->secret);
}

/* Signing and key generation need a real context; creating one is cheap in
 * libsecp256k1 >= 0.2 (no precomputation), and a per-call context keeps us
 * free of global mutable state. */
static secp256k1_context *new_ctx(void)
{
    secp256k1_context *ctx = secp256k1_context_create(SECP256K1_CONTEXT_NONE);
    uint8_t seed[32];
    /* Blinding against side channels (libsecp256k1 recommends it); the
     * signature itself stays deterministic (RFC 6979). Without entropy we
     * simply go on unblinded. */
    if (ctx && getrandom(seed, sizeof seed, 0) == (ssize_t)sizeof seed) {
        int ok = secp256k1_context_randomize(ctx, seed);
        (void)ok; /* fails only for the static context */
    }
    explicit_bzero(seed, sizeof seed);
    return ctx;
}

static void serialize_pub(const secp256k1_pubkey *pk, uint8_t pub64[64])
{
    uint8_t ser[65];
    size_t n = sizeof ser;
    secp256k1_ec_pubkey_serialize(secp256k1_context_static, ser, &n, pk,
                                  SECP256K1_EC_UNCOMPRESSED);
    memcpy(pub64, ser + 1, 64);
}

int zg_eth_key_pubkey(const zg_eth_key *k, uint8_t pub64[64])
{
    secp256k1_context *ctx = new_ctx();
    if (!ctx)
        return ZG_ENOMEM;
    secp256k1_pubkey pk;
    int ok = secp256k1_ec_pubkey_create(ctx, &pk, k->secret);
    secp256k1_context_destroy(ctx);
    if (!ok)
        return ZG_ECRYPTO;
    serialize_pub(&pk, pub64);
    return ZG_OK;
}

void zg_address_from_pubkey(const uint8_t pub64[64], zg_address *out)
{
    uint8_t h[32];
    zg_keccak256(pub64, 64, h);
    memcpy(out->b, h + 12, 20);
}

int zg_eth_key_address(const zg_eth_key *k, zg_address *out)
{
    uint8_t pub[64];
    int rc = zg_eth_key_pubkey(k, pub);
    if (rc)
        return rc;
    zg_address_from_pubkey(pub, out);
    return ZG_OK;
}

int zg_address_eq(const zg_address *a, const zg_address *b)
{
    return memcmp(a->b, b->b, sizeof a->b) == 0;
}

int zg_eth_sign_hash(const zg_eth_key *k, const uint8_t hash[32], uint8_t sig65[65],
                     zg_err *e)
{
    secp256k1_context *ctx = new_ctx();
    if (!ctx)
        return zg_err_set(e, ZG_ENOMEM, "cannot create secp256k1 context");
    secp256k1_ecdsa_recoverable_signature sig;
    /* NULL nonce function = RFC 6979, the same as cast, ethers and geth. */
    int ok = secp256k1_ecdsa_sign_recoverable(ctx, &sig, hash, k->secret, NULL, NULL);
    int recid = 0;
    if (ok)
        secp256k1_ecdsa_recoverable_signature_serialize_compact(ctx, sig65, &recid, &sig);
    secp256k1_context_destroy(ctx);
    if (!ok)
        return zg_err_set(e, ZG_ECRYPTO, "signing failed: invalid private key");
    sig65[64] = (uint8_t)recid;
    return ZG_OK;
}

int zg_eth_recover_pubkey(const uint8_t hash[32], const uint8_t sig65[65],
                          uint8_t pub64[64], zg_err *e)
{
    int v = sig65[64];
    if (v == 27 || v == 28)
        v -= 27;
    if (v != 0 && v != 1)
        return zg_err_set(e, ZG_ECRYPTO, "invalid signature: v = %d (want 0, 1, 27 or 28)",
                          sig65[64]);
    secp256k1_ecdsa_recoverable_signature sig;
    if (!secp256k1_ecdsa_recoverable_signature_parse_compact(secp256k1_context_static,
                                                             &sig, sig65, v))
        return zg_err_set(e, ZG_ECRYPTO, "invalid signature: r or s out of range");
    secp256k1_pubkey pk;
    if (!secp256k1_ecdsa_recover(secp256k1_context_static, &pk, &sig, hash))
        return zg_err_set(e, ZG_ECRYPTO, "invalid signature: no public key recovers");
    serialize_pub(&pk, pub64);
    return ZG_OK;
}

int zg_eth_recover(const uint8_t hash[32], const uint8_t sig65[65], zg_address *out,
                   zg_err *e)
{
    uint8_t pub[64];
    int rc = zg_eth_recover_pubkey(hash, sig65, pub, e);
    if (rc)
        return rc;
    zg_address_from_pubkey(pub, out);
    return ZG_OK;
}
