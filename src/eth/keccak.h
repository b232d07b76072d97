/*
 * eth/keccak.h - Keccak-256 as Ethereum uses it.
 *
 * This is the original Keccak submission (padding byte 0x01), NOT FIPS-202
 * SHA3-256 (padding 0x06): keccak256("") = c5d2460186f7233c...a470.
 * Built on nettle's sha3_permute (Keccak-f[1600]); rate 136 bytes.
 */
#ifndef ZG_ETH_KECCAK_H
#define ZG_ETH_KECCAK_H

#include <stddef.h>
#include <stdint.h>

/* Incremental state, for hashing data that arrives in pieces. */
typedef struct zg_keccak {
    uint64_t a[25];   /* Keccak-f[1600] lanes, little-endian like nettle's */
    size_t pos;       /* bytes absorbed into the current block */
} zg_keccak;

/* Starts a Keccak-256 computation. */
void zg_keccak_init(zg_keccak *k);

/* Absorbs len bytes (data may be NULL when len is 0). */
void zg_keccak_update(zg_keccak *k, const void *data, size_t len);

/* Pads, writes the 32-byte digest; k must be re-initialised to reuse it. */
void zg_keccak_final(zg_keccak *k, uint8_t out[32]);

/* One-shot Keccak-256 of data. */
void zg_keccak256(const void *data, size_t len, uint8_t out[32]);

#endif
