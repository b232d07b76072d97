/*
 * zk/blake512.c - BLAKE-512 (SHA-3 finalist, final version with 16 rounds).
 * Constants from the BLAKE specification v1.3: IV = SHA-512 IV, the 16 words
 * c_i are the leading digits of pi, sigma are the 10 message permutations.
 */
#include "zk/blake512.h"

#include <string.h>

static const uint64_t blake_iv[8] = {
    0x6A09E667F3BCC908ULL, 0xBB67AE8584CAA73BULL, 0x3C6EF372FE94F82BULL, 0xA54FF53A5F1D36F1ULL,
    0x510E527FADE682D1ULL, 0x9B05688C2B3E6C1FULL, 0x1F83D9ABFB41BD6BULL, 0x5BE0CD19137E2179ULL,
};

static const uint64_t blake_c[16] = {
    0x243F6A8885A308D3ULL, 0x13198A2E03707344ULL, 0xA4093822299F31D0ULL, 0x082EFA98EC4E6C89ULL,
    0x452821E638D01377ULL, 0xBE5466CF34E90C6CULL, 0xC0AC29B7C97C50DDULL, 0x3F84D5B5B5470917ULL,
    0x9216D5D98979FB1BULL, 0xD1310BA698DFB5ACULL, 0x2FFD72DBD01ADFB7ULL, 0xB8E1AFED6A267E96ULL,
    0xBA7C9045F12C7F99ULL, 0x24A19947B3916CF7ULL, 0x0801F2E2858EFC16ULL, 0x636920D871574E69ULL,
};

static const uint8_t blake_sigma[10][16] = {
    {0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15},
    {14, 10, 4, 8, 9, 15, 13, 6, 1, 12, 0, 2, 11, 7, 5, 3},
    {11, 8, 12, 0, 5, 2, 15, 13, 10, 14, 3, 6, 7, 1, 9, 4},
    {7, 9, 3, 1, 13, 12, 11, 14, 2, 6, 5, 10, 4, 0, 15, 8},
    {9, 0, 5, 7, 2, 4, 10, 15, 14, 1, 11, 12, 6, 8, 3, 13},
    {2, 12, 6, 10, 0, 11, 8, 3, 4, 13, 7, 5, 15, 14, 1, 9},
    {12, 5, 1, 15, 14, 13, 4, 10, 0, 7, 6, 3, 9, 2, 8, 11},
    {13, 11, 7, 14, 12, 1, 3, 9, 5, 0, 15, 4, 8, 6, 2, 10},
    {6, 15, 14, 9, 11, 3, 0, 8, 12, 2, 13, 7, 1, 4, 10, 5},
    {10, 2, 8, 4, 7, 6, 1, 5, 15, 11, 9, 14, 3, 12, 13, 0},
};

static inline uint64_t rotr64(uint64_t x, int n) { return (x >> n) | (x << (64 - n)); }

static inline uint64_t load_be64(const uint8_t *p)
{
    uint64_t v = 0;
    for (int i = 0; i < 8; i++) v = (v << 8) | p[i];
    return v;
}

static inline void store_be64(uint8_t *p, uint64_t v)
{
    for (int i = 7; i >= 0; i--) { p[i] = (uint8_t)v; v >>= 8; }
}

#define BLAKE_G(a, b, c, d, i)                                              \
    do {                                                                    \
        const uint8_t *s_ = blake_sigma[r % 10];                            \
        v[a] += v[b] + (m[s_[2 * (i)]] ^ blake_c[s_[2 * (i) + 1]]);         \
        v[d] = rotr64(v[d] ^ v[a], 32);                                     \
        v[c] += v[d];                                                       \
        v[b] = rotr64(v[b] ^ v[c], 25);                                     \
        v[a] += v[b] + (m[s_[2 * (i) + 1]] ^ blake_c[s_[2 * (i)]]);         \
        v[d] = rotr64(v[d] ^ v[a], 16);                                     \
        v[c] += v[d];                                                       \
        v[b] = rotr64(v[b] ^ v[c], 11);                                     \
    } while (0)

/* Compresses one block; t0/t1 is the bit counter for this block (0 for a
 * block that holds padding only), salt is zero. */
static void blake_compress(uint64_t h[8], const uint8_t block[128], uint64_t t0, uint64_t t1)
{
    uint64_t m[16], v[16];
    for (int i = 0; i < 16; i++) m[i] = load_be64(block + 8 * i);
    for (int i = 0; i < 8; i++) v[i] = h[i];
    for (int i = 0; i < 4; i++) v[8 + i] = blake_c[i];
    v[12] = t0 ^ blake_c[4];
    v[13] = t0 ^ blake_c[5];
    v[14] = t1 ^ blake_c[6];
    v[15] = t1 ^ blake_c[7];
    for (int r = 0; r < 16; r++) {
        BLAKE_G(0, 4, 8, 12, 0);
        BLAKE_G(1, 5, 9, 13, 1);
        BLAKE_G(2, 6, 10, 14, 2);
        BLAKE_G(3, 7, 11, 15, 3);
        BLAKE_G(0, 5, 10, 15, 4);
        BLAKE_G(1, 6, 11, 12, 5);
        BLAKE_G(2, 7, 8, 13, 6);
        BLAKE_G(3, 4, 9, 14, 7);
    }
    for (int i = 0; i < 8; i++) h[i] ^= v[i] ^ v[i + 8];
}

void zg_blake512_init(zg_blake512_ctx *c)
{
    memcpy(c->h, blake_iv, sizeof c->h);
    c->t[0] = c->t[1] = 0;
    c->buflen = 0;
}

static void blake_count(zg_blake512_ctx *c, uint64_t bits)
{
    c->t[0] += bits;
    if (c->t[0] < bits) c->t[1]++;
}

void zg_blake512_update(zg_blake512_ctx *c, const void *data, size_t len)
{
    const uint8_t *p = data;
    while (len > 0) {
        /* Keep a full block buffered: the last block is compressed by final
         * with its own counter. */
        if (c->buflen == 128) {
            blake_count(c, 1024);
            blake_compress(c->h, c->buf, c->t[0], c->t[1]);
            c->buflen = 0;
        }
        size_t n = 128 - c->buflen;
        if (n > len) n = len;
        memcpy(c->buf + c->buflen, p, n);
        c->buflen += n;
        p += n;
        len -= n;
    }
}

void zg_blake512_final(zg_blake512_ctx *c, uint8_t out[64])
{
    if (c->buflen == 128) {
        /* A full final block is compressed as is; padding gets its own. */
        blake_count(c, 1024);
        blake_compress(c->h, c->buf, c->t[0], c->t[1]);
        c->buflen = 0;
    }
    uint64_t bits = (uint64_t)c->buflen * 8;
    blake_count(c, bits);
    uint64_t t0 = c->t[0], t1 = c->t[1];
    uint8_t block[128];
    memset(block, 0, sizeof block);
    memcpy(block, c->buf, c->buflen);
    if (c->buflen <= 111) {
        /* Padding and length fit in this block. */
        block[c->buflen] |= 0x80;
        block[111] |= 0x01;
        store_be64(block + 112, t1);
        store_be64(block + 120, t0);
        blake_compress(c->h, block, bits ? t0 : 0, bits ? t1 : 0);
    } else {
        block[c->buflen] = 0x80;
        blake_compress(c->h, block, t0, t1);
        memset(block, 0, sizeof block);
        block[111] = 0x01;
        store_be64(block + 112, t1);
        store_be64(block + 120, t0);
        blake_compress(c->h, block, 0, 0);
    }
    for (int i = 0; i < 8; i++) store_be64(out + 8 * i, c->h[i]);
    volatile uint8_t *w = (volatile uint8_t *)c;
    for (size_t i = 0; i < sizeof *c; i++) w[i] = 0;
    w = block;
    for (size_t i = 0; i < sizeof block; i++) w[i] = 0;
}

void zg_blake512(const void *data, size_t len, uint8_t out[64])
{
    zg_blake512_ctx c;
    zg_blake512_init(&c);
    zg_blake512_update(&c, data, len);
    zg_blake512_final(&c, out);
}
