/*
 * zk/blake512.h - BLAKE-512, the SHA-3 finalist (not BLAKE2).
 *
 * circomlibjs derives EdDSA keys and nonces with npm "blake-hash"
 * ("blake512"), which is the final-round BLAKE-512 (16 rounds, 64-bit words,
 * rotations 32/25/16/11). OpenSSL 3 only ships BLAKE2, so it is written here.
 * Spec: Aumasson et al., "SHA-3 proposal BLAKE", version 1.3, 2010.
 */
#ifndef ZG_ZK_BLAKE512_H
#define ZG_ZK_BLAKE512_H

#include <stddef.h>
#include <stdint.h>

typedef struct zg_blake512_ctx {
    uint64_t h[8];
    uint64_t t[2];      /* bits of message processed so far (128-bit) */
    uint8_t buf[128];
    size_t buflen;
} zg_blake512_ctx;

void zg_blake512_init(zg_blake512_ctx *c);
void zg_blake512_update(zg_blake512_ctx *c, const void *data, size_t len);
/* Writes the 64-byte digest and wipes the context. */
void zg_blake512_final(zg_blake512_ctx *c, uint8_t out[64]);
/* One-shot. */
void zg_blake512(const void *data, size_t len, uint8_t out[64]);

#endif
