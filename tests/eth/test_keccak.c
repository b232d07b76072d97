/* test_keccak.c - Keccak-256: published vectors, incremental == one-shot. */
#include "zg_test.h"

#include "base/hex.h"
#include "eth/keccak.h"

static void hash_hex(const void *p, size_t n, char out[67])
{
    uint8_t h[32];
    zg_keccak256(p, n, h);
    zg_hex_encode(h, 32, out);
}

/* Vectors: keccak256("") and keccak256("abc") from the Keccak team's
 * known-answer tests, as quoted throughout Ethereum tooling. */
static void test_vectors(void)
{
    char hx[67];
    hash_hex("", 0, hx);
    CHECK_EQ_STR(hx, "0xc5d2460186f7233c927e7db2dcc703c0e500b653ca82273b7bfad8045d85a470");
    hash_hex("abc", 3, hx);
    CHECK_EQ_STR(hx, "0x4e03657aea45a94fc7d47ba826c8d667c0d1e6e33a64a036ec44f58fa12d6c45");
}

/* Lengths around the 136-byte rate boundary, fed in uneven pieces. */
static void test_incremental(void)
{
    uint8_t data[600];
    for (size_t i = 0; i < sizeof data; i++)
        data[i] = (uint8_t)(i * 31 + 7);
    size_t lens[] = {0, 1, 135, 136, 137, 271, 272, 273, 600};
    for (size_t t = 0; t < sizeof lens / sizeof lens[0]; t++) {
        uint8_t a[32], b[32];
        zg_keccak256(data, lens[t], a);
        zg_keccak k;
        zg_keccak_init(&k);
        for (size_t off = 0, step = 1; off < lens[t]; off += step, step = step * 2 + 1) {
            size_t n = lens[t] - off < step ? lens[t] - off : step;
            zg_keccak_update(&k, data + off, n);
        }
        zg_keccak_final(&k, b);
        CHECK_MSG(memcmp(a, b, 32) == 0, "incremental differs at len %zu", lens[t]);
    }
}

int main(void)
{
    ZG_RUN(test_vectors);
    ZG_RUN(test_incremental);
    ZG_TEST_END();
}
