/*
 * zk/eddsa.c - EdDSA-Poseidon as circomlibjs eddsa.js (see eddsa.h).
 */
#include "zk/eddsa.h"

#include <string.h>

#include "zk/blake512.h"
#include "zk/poseidon.h"

static void wipe(void *p, size_t n)
{
    volatile uint8_t *v = p;
    while (n--) *v++ = 0;
}

/* h = BLAKE-512(prv), pruned as circomlibjs pruneBuffer; s = h[0..32) LE. */
static void expand_key(uint8_t h[64], uint64_t s[4], const uint8_t prv[32])
{
    zg_blake512(prv, 32, h);
    h[0] &= 0xF8;
    h[31] &= 0x7F;
    h[31] |= 0x40;
    for (int i = 0; i < 4; i++) {
        uint64_t v = 0;
        for (int j = 7; j >= 0; j--) v = (v << 8) | h[8 * i + j];
        s[i] = v;
    }
}

static void shr3(uint64_t r[4], const uint64_t s[4])
{
    for (int i = 0; i < 4; i++) r[i] = (s[i] >> 3) | (i < 3 ? s[i + 1] << 61 : 0);
}

void zg_eddsa_public_key(zg_bj_point *a, const uint8_t prv[32])
{
    uint8_t h[64];
    uint64_t s[4], s3[4];
    zg_bj_ext p;
    expand_key(h, s, prv);
    shr3(s3, s);
    zg_bj_mul_comb(&p, zg_bj_base8_comb(), s3);
    zg_bj_to_affine(a, &p);
    wipe(&p, sizeof p); /* projective coordinates depend on the secret path */
    wipe(h, sizeof h);
    wipe(s, sizeof s);
    wipe(s3, sizeof s3);
}

/* hm = Poseidon(R8.x, R8.y, A.x, A.y, msg) as canonical limbs. */
static void challenge(uint64_t hm[4], const zg_bj_point *r8, const zg_bj_point *a, const zg_fr *msg)
{
    zg_fr in[5] = {r8->x, r8->y, a->x, a->y, *msg}, h;
    (void)zg_poseidon(&h, in, 5, NULL); /* 5 inputs: cannot fail */
    zg_fr_to_canonical(hm, &h);
}

void zg_eddsa_sign(zg_eddsa_sig *sig, const uint8_t prv[32], const zg_fr *msg)
{
    uint8_t h[64], buf[64], rh[64];
    uint64_t s[4], s3[4], r[4], hm[4];
    zg_bj_ext p;
    zg_bj_point a;
    zg_bj_ext pr;
    expand_key(h, s, prv);
    shr3(s3, s);
    zg_bj_mul_comb(&p, zg_bj_base8_comb(), s3);
    memcpy(buf, h + 32, 32);
    zg_fr_to_bytes_le(buf + 32, msg);
    zg_blake512(buf, sizeof buf, rh);
    zg_bj_scalar_reduce64(r, rh);
    zg_bj_mul_comb(&pr, zg_bj_base8_comb(), r);
    zg_bj_to_affine2(&a, &p, &sig->r8, &pr); /* one inversion for both */
    wipe(&pr, sizeof pr);
    challenge(hm, &sig->r8, &a, msg);
    zg_bj_scalar_muladd(sig->s, hm, s, r);
    wipe(&p, sizeof p);
    wipe(h, sizeof h);
    wipe(buf, sizeof buf);
    wipe(rh, sizeof rh);
    wipe(s, sizeof s);
    wipe(s3, sizeof s3);
    wipe(r, sizeof r);
}

void zg_eddsa_sig_pack(uint8_t out[64], const zg_eddsa_sig *sig)
{
    zg_bj_pack(out, &sig->r8);
    for (int i = 0; i < 32; i++) out[32 + i] = (uint8_t)(sig->s[i / 8] >> (8 * (i % 8)));
}

int zg_eddsa_sig_unpack(zg_eddsa_sig *sig, const uint8_t in[64], zg_err *e)
{
    int rc = zg_bj_unpack(&sig->r8, in, e);
    if (rc) return zg_err_wrap(e, rc, "signature R8");
    for (int i = 0; i < 4; i++) {
        uint64_t v = 0;
        for (int j = 7; j >= 0; j--) v = (v << 8) | in[32 + 8 * i + j];
        sig->s[i] = v;
    }
    return ZG_OK;
}

/* -8 mod l, so that h' = hm * (l - 8) mod l and S*B8 + h'*A == R8. */
static void neg8_mod_l(uint64_t r[4])
{
    memcpy(r, zg_bj_suborder, 32);
    r[0] -= 8; /* the low limb of l is far above 8 */
}

static int check_sig_shape(const zg_eddsa_sig *sig, zg_err *e)
{
    if (!zg_bj_scalar_is_canonical(sig->s))
        return zg_err_set(e, ZG_ECRYPTO, "invalid signature: S is not below the subgroup order");
    if (!zg_bj_on_curve(&sig->r8))
        return zg_err_set(e, ZG_ECRYPTO, "invalid signature: R8 is not on Baby Jubjub");
    return ZG_OK;
}

static int check_key(const zg_bj_point *a, zg_err *e)
{
    if (!zg_bj_on_curve(a))
        return zg_err_set(e, ZG_ECRYPTO, "invalid public key: not on Baby Jubjub");
    if (!zg_bj_in_subgroup(a))
        return zg_err_set(e, ZG_ECRYPTO, "invalid public key: not in the prime-order subgroup");
    zg_bj_ext p;
    zg_bj_from_affine(&p, a);
    if (zg_bj_is_identity(&p))
        return zg_err_set(e, ZG_ECRYPTO, "invalid public key: the identity point");
    return ZG_OK;
}

static int mismatch(zg_err *e)
{
    return zg_err_set(e, ZG_ECRYPTO, "invalid signature: does not match the message and public key");
}

int zg_eddsa_verify(const zg_bj_point *a, const zg_fr *msg, const zg_eddsa_sig *sig, zg_err *e)
{
    int rc = check_sig_shape(sig, e);
    if (!rc) rc = check_key(a, e);
    if (rc) return rc;
    uint64_t hm[4], n8[4], h[4];
    static const uint64_t zero[4] = {0, 0, 0, 0};
    challenge(hm, &sig->r8, a, msg);
    neg8_mod_l(n8);
    zg_bj_scalar_muladd(h, hm, n8, zero);
    zg_bj_ext q, ha, pa;
    zg_bj_from_affine(&pa, a);
    zg_bj_mul_vartime(&ha, &pa, h);
    zg_bj_mul_comb(&q, zg_bj_base8_comb(), sig->s);
    zg_bj_add(&q, &q, &ha);
    return zg_bj_eq_affine(&q, &sig->r8) ? ZG_OK : mismatch(e);
}

int zg_eddsa_pubkey_prepare(zg_eddsa_pubkey *pk, const zg_bj_point *a, zg_err *e)
{
    int rc = check_key(a, e);
    if (rc) return rc;
    pk->a = *a;
    zg_bj_comb_build(&pk->comb, a);
    return ZG_OK;
}

int zg_eddsa_pubkey_prepare_packed(zg_eddsa_pubkey *pk, const uint8_t packed[32], zg_err *e)
{
    zg_bj_point a;
    if (zg_bj_unpack(&a, packed, NULL) != ZG_OK)
        return zg_err_set(e, ZG_ECRYPTO, "invalid public key: the 32 bytes encode no Baby Jubjub point");
    return zg_eddsa_pubkey_prepare(pk, &a, e);
}

int zg_eddsa_verify_prepared(const zg_eddsa_pubkey *pk, const zg_fr *msg, const zg_eddsa_sig *sig,
                             zg_err *e)
{
    int rc = check_sig_shape(sig, e);
    if (rc) return rc;
    uint64_t hm[4], n8[4], h[4];
    static const uint64_t zero[4] = {0, 0, 0, 0};
    challenge(hm, &sig->r8, &pk->a, msg);
    neg8_mod_l(n8);
    zg_bj_scalar_muladd(h, hm, n8, zero);
    zg_bj_ext q;
    zg_bj_double_mul_comb_vartime(&q, zg_bj_base8_comb(), sig->s, &pk->comb, h);
    return zg_bj_eq_affine(&q, &sig->r8) ? ZG_OK : mismatch(e);
}

int zg_eddsa_verify_packed(const zg_eddsa_pubkey *pk, const zg_fr *msg, const uint8_t sig[64], zg_err *e)
{
    zg_eddsa_sig s;
    if (zg_eddsa_sig_unpack(&s, sig, NULL) != ZG_OK)
        return zg_err_set(e, ZG_ECRYPTO, "invalid signature: R8 encodes no Baby Jubjub point");
    return zg_eddsa_verify_prepared(pk, msg, &s, e);
}
