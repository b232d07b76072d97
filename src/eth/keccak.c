/* keccak.c - Keccak-256 over nettle's permutation (see eth/keccak.h). */
#include <string.h>

#include <nettle/sha3.h>

#include "eth/keccak.h"

/* Rate of Keccak-256: 1600 - 2*256 bits = 136 bytes (Keccak reference,
 * "The Keccak SHA-3 submission", section 1; as used by Ethereum's yellow paper). */
enum { RATE = 136 };

/* nettle's struct sha3_state is exactly the 25 lanes. */
_Static_assert(sizeof(struct sha3_state) == sizeof(uint64_t) * 25, "sha3_state layout");

static void permute(zg_keccak *k)
{
    struct sha3_state st;
    memcpy(st.a, k->a, sizeof st.a);
    sha3_permute(&st);
    memcpy(k->a, st.a, sizeof k->a);
}

static void xor_byte(zg_keccak *k, size_t i, uint8_t b)
{
    k->a[i / 8] ^= (uint64_t)b << (8 * (i % 8));
}

void zg_keccak_init(zg_keccak *k)
{
    memset(k, 0, sizeof *k);
}

/* Absorbs one whole block at p (k->pos is 0), a lane at a time. */
static void absorb_block(zg_keccak *k, const uint8_t *p)
{
    for (size_t i = 0; i < RATE / 8; i++) {
        uint64_t lane = 0;
        for (int j = 7; j >= 0; j--)
            lane = lane << 8 | p[8 * i + (size_t)j];
        k->a[i] ^= lane;
    }
    permute(k);
}

void zg_keccak_update(zg_keccak *k, const void *data, size_t len)
{
    const uint8_t *p = data;
    for (size_t i = 0; i < len;) {
        if (k->pos == 0 && len - i >= RATE) {
            absorb_block(k, p + i);
            i += RATE;
            continue;
        }
        xor_byte(k, k->pos++, p[i++]);
        if (k->pos == RATE) {
            permute(k);
            k->pos = 0;
        }
    }
}

void zg_keccak_final(zg_keccak *k, uint8_t out[32])
{
    /* Keccak multi-rate padding pad10*1 with domain byte 0x01 (not SHA-3's 0x06). */
    xor_byte(k, k->pos, 0x01);
    xor_byte(k, RATE - 1, 0x80);
    permute(k);
    for (size_t i = 0; i < 32; i++)
        out[i] = (uint8_t)(k->a[i / 8] >> (8 * (i % 8)));
}

void zg_keccak256(const void *data, size_t len, uint8_t out[32])
{
    zg_keccak k;
    zg_keccak_init(&k);
    zg_keccak_update(&k, data, len);
    zg_keccak_final(&k, out);
}
