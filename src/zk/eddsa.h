/*
 * zk/eddsa.h - EdDSA-Poseidon on Baby Jubjub, exactly as circomlibjs eddsa.
 *
 * Key: h = BLAKE-512(prv); s = h[0..32) little-endian with the low 3 bits
 * cleared, bit 255 cleared and bit 254 set; public key A = (s >> 3) * Base8.
 * Sign (circomlibjs signPoseidon): r = BLAKE-512(h[32..64) || msg as 32 LE
 * bytes) mod l; R8 = r * Base8; hm = Poseidon(R8.x, R8.y, A.x, A.y, msg);
 * S = (r + hm * s) mod l. Packed signature: packPoint(R8) || S as 32 LE bytes.
 * Verify: S * Base8 == R8 + 8 * hm * A, with S < l, R8 on the curve, and A on
 * the curve, in the prime-order subgroup and not the identity. (circomlibjs
 * does not test A's subgroup; we do, so A + (low-order point) is rejected.)
 * R8 needs no separate subgroup test: it equals S*Base8 - 8*hm*A, which is in
 * the subgroup. Encodings must be canonical: circomlibjs also accepts R8
 * packed with y + p (a second encoding of the same signature); we reject it,
 * so a receipt signature has exactly one accepted byte form.
 * Signing is constant time (comb with masked table scans, GMP mpn_sec_*
 * scalar arithmetic, secrets wiped); verification is variable time.
 *
 * Verification is fast with a prepared public key (zg_eddsa_pubkey: the key
 * checked once plus its 48 KiB comb table); a broker keeps one per signer.
 */
#ifndef ZG_ZK_EDDSA_H
#define ZG_ZK_EDDSA_H

#include <stdint.h>

#include "zg/error.h"
#include "zk/babyjub.h"
#include "zk/fr.h"

typedef struct zg_eddsa_sig {
    zg_bj_point r8;
    uint64_t s[4];   /* S, canonical little-endian limbs */
} zg_eddsa_sig;

/* A public key ready for repeated fast verification. Large (~49 KiB):
 * allocate it on the heap. */
typedef struct zg_eddsa_pubkey {
    zg_bj_point a;
    zg_bj_comb comb;
} zg_eddsa_pubkey;

/* circomlibjs prv2pub. */
void zg_eddsa_public_key(zg_bj_point *a, const uint8_t prv[32]);

/* circomlibjs signPoseidon (deterministic). */
void zg_eddsa_sign(zg_eddsa_sig *sig, const uint8_t prv[32], const zg_fr *msg);

/* circomlibjs packSignature / unpackSignature. unpack fails (ZG_EINVAL) when
 * R8 does not decode; S is range-checked by verify. */
void zg_eddsa_sig_pack(uint8_t out[64], const zg_eddsa_sig *sig);
int zg_eddsa_sig_unpack(zg_eddsa_sig *sig, const uint8_t in[64], zg_err *e);

/* Verifies sig on msg by a: ZG_OK, or ZG_ECRYPTO with the reason. Checks the
 * key's subgroup every time (a full scalar multiplication): prefer the
 * prepared form for keys used more than once. */
int zg_eddsa_verify(const zg_bj_point *a, const zg_fr *msg, const zg_eddsa_sig *sig, zg_err *e);

/* Checks a (on curve, in the subgroup, not the identity) and builds its
 * table: ZG_OK or ZG_ECRYPTO. */
int zg_eddsa_pubkey_prepare(zg_eddsa_pubkey *pk, const zg_bj_point *a, zg_err *e);
/* Same from a packed (32-byte) key. */
int zg_eddsa_pubkey_prepare_packed(zg_eddsa_pubkey *pk, const uint8_t packed[32], zg_err *e);

/* Fast verification with a prepared key: ZG_OK or ZG_ECRYPTO. */
int zg_eddsa_verify_prepared(const zg_eddsa_pubkey *pk, const zg_fr *msg, const zg_eddsa_sig *sig,
                             zg_err *e);
/* Same with the 64-byte packed signature: ZG_OK, ZG_ECRYPTO. */
int zg_eddsa_verify_packed(const zg_eddsa_pubkey *pk, const zg_fr *msg, const uint8_t sig[64],
                           zg_err *e);

#endif
