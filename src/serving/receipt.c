/*
 * serving/receipt.c - receipt message, signing, verification and the
 * wallet-derived signer key (see receipt.h).
 */
#include "serving/receipt.h"

#include <openssl/evp.h>
#include <string.h>

#include "eth/keccak.h"
#include "zk/poseidon.h"

static void wipe(void *p, size_t n)
{
    volatile uint8_t *v = p;
    while (n--) *v++ = 0;
}

void zg_receipt_request_hash(const void *body, size_t len, uint8_t out[31])
{
    uint8_t h[32];
    unsigned int n = 0;
    /* EVP_Digest with SHA-256 cannot fail short of a broken libcrypto; a
     * zero hash would then make every signature check fail, never pass. */
    if (EVP_Digest(body, len, h, &n, EVP_sha256(), NULL) != 1 || n != 32) memset(h, 0, sizeof h);
    memcpy(out, h, 31);
}

/* A big-endian byte string (at most 32 bytes, value < r) as an Fr element. */
static void fr_from_be(zg_fr *r, const uint8_t *p, size_t n)
{
    uint8_t b[32] = {0};
    memcpy(b + 32 - n, p, n);
    (void)zg_fr_from_bytes_be(r, b, NULL); /* below 2^248 < r: cannot fail */
}

int zg_receipt_message(zg_fr *m, const zg_receipt *r, zg_err *e)
{
    if (r->fee.w[2] || r->fee.w[3])
        return zg_err_set(e, ZG_ERANGE, "receipt fee does not fit in 128 bits");
    zg_fr in[5];
    uint8_t fee[32];
    fr_from_be(&in[0], r->user, 20);
    fr_from_be(&in[1], r->provider, 20);
    zg_fr_set_u64(&in[2], r->nonce);
    zg_u256_to_be(fee, &r->fee);
    fr_from_be(&in[3], fee, 32);
    fr_from_be(&in[4], r->request_hash, 31);
    return zg_poseidon(m, in, 5, e);
}

int zg_receipt_sign(uint8_t sig[64], const zg_receipt *r, const uint8_t signer_prv[32], zg_err *e)
{
    zg_fr m;
    int rc = zg_receipt_message(&m, r, e);
    if (rc) return rc;
    zg_eddsa_sig s;
    zg_eddsa_sign(&s, signer_prv, &m);
    zg_eddsa_sig_pack(sig, &s);
    return ZG_OK;
}

int zg_receipt_verify(const zg_eddsa_pubkey *signer, const zg_receipt *r, const uint8_t sig[64],
                      zg_err *e)
{
    zg_fr m;
    int rc = zg_receipt_message(&m, r, e);
    if (rc) return rc;
    return zg_eddsa_verify_packed(signer, &m, sig, e);
}

int zg_signer_key_derive(uint8_t prv[32], const zg_eth_key *wallet, const uint8_t provider[20],
                         zg_err *e)
{
    static const char domain[] = ZG_SIGNER_KEY_DOMAIN;
    uint8_t msg[sizeof domain - 1 + 20], h[32], sig[65];
    memcpy(msg, domain, sizeof domain - 1);
    memcpy(msg + sizeof domain - 1, provider, 20);
    zg_keccak256(msg, sizeof msg, h);
    int rc = zg_eth_sign_hash(wallet, h, sig, e);
    if (rc) return zg_err_wrap(e, rc, "deriving the signer key");
    sig[64] = (uint8_t)(27 + (sig[64] & 1)); /* the Ethereum serialized form */
    zg_keccak256(sig, sizeof sig, prv);
    wipe(sig, sizeof sig);
    return ZG_OK;
}

void zg_signer_public(const uint8_t prv[32], zg_bj_point *pub, uint8_t packed[32])
{
    zg_bj_point a;
    zg_eddsa_public_key(&a, prv);
    if (pub) *pub = a;
    if (packed) zg_bj_pack(packed, &a);
}
